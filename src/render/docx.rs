//! The Word file (`--format docx`): a speech as it is printed for a meeting, after
//! GB/T 9704-2012 (党政机关公文格式).
//!
//! - A4 (11906 × 16838 twips); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm,
//!   which leaves the standard 156 × 225 mm text area;
//! - 22 lines × 28 characters a page: every body line at an exact 28.9 pt (the document
//!   grid's line pitch 28.95 pt), characters 0.25 pt closer than their 16 pt so that 28
//!   fit in 156 mm;
//! - title: 2号 (22 pt) 方正小标宋简体, centred, 35 pt lines, broken at a meaningful place
//!   when it does not fit one line (see [`title_layout`]); a `——` subtitle part on its own
//!   line in 3号 楷体; an optional speaker/date line in 3号 楷体;
//! - body: 3号 (16 pt) 仿宋_GB2312, justified, first line indented two characters;
//!   level-1 headings (一、) 黑体 without indent; the lead sentence of a level-2 point
//!   (第一，) in 楷体_GB2312; level-3 leads (一是) in the body face (GB/T 9704 §7.3.3:
//!   黑体, 楷体, then 仿宋);
//! - page numbers `— 1 —` in 4号 宋体 digits, 7 mm under the text area, odd pages right
//!   and even pages left, one character (14 pt) in from the edge (§7.5);
//! - title, subtitle, speaker line, salutation and headings are kept with the next
//!   paragraph, so none ends a page alone.
//!
//! Styles. Every paragraph names a paragraph style and every lead a character style
//! (ids below, names in Chinese as a clerk sees them in Word's style list); runs carry
//! no direct formatting beyond their language, so changing a style changes the file.
//!
//! Language. Every run, every style and the document defaults carry
//! `<w:lang w:val=… w:eastAsia=…>` (zh-CN for Simplified drafts; see [`language`]), and
//! settings.xml says `w:themeFontLang`: Word then proofs the text as Chinese and
//! LibreOffice picks Chinese (not Japanese) glyph forms for a missing face.
//!
//! Fonts. The official faces (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312) are on most office
//! machines in China but not everywhere. A run can name one font only, so the fallback
//! is declared where Word looks when a font is missing: the document's font table
//! (word/fontTable.xml) lists each official face with `w:altName` (the installed name to
//! use instead: 仿宋, 楷体, 华文中宋/宋体), the GB2312 character set (86) and its family,
//! so Word substitutes a Chinese face of the same kind instead of a Latin default.
//! docx-rs writes a fixed font table (Times New Roman, Symbol, Arial), so this module
//! replaces that one part, built with docx-rs's own XML writer. A theme fallback was
//! not an option: docx-rs writes no theme part. LibreOffice ignores `altName` and uses
//! fontconfig's substitution (examples/preview-fonts.conf maps the faces for previews).
//!
//! Post-processing. docx-rs cannot write `w:lang` or `w:themeFontLang`, and it writes
//! property elements in its own order, not the schema's (Word is lenient, validators
//! are not). After docx-rs has built the XML parts, `xml::normalize` reads the
//! document, styles, footers and settings back with quick-xml, adds the language, puts
//! the children of `w:rPr`, `w:pPr`, `w:style`, `w:sectPr` and `w:settings` in schema
//! order and writes them again. Nothing in it depends on time or hashing, and docx-rs
//! packs the parts in a fixed order with the zip format's fixed 1980 timestamp, so the
//! same draft gives the same bytes.

use std::io::Cursor;

use docx_rs::xml::common::XmlVersion;
use docx_rs::xml::writer::{EmitterConfig, XmlEvent};
use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE,
    InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts,
    SpecialIndentType, Style, StyleType,
};

use crate::base::error::{Error, Result};
use crate::draft::speech::{Block, Inline, Speech, Text};
use crate::render::script::Script;

/// A4 portrait, in twips (1/1440 inch).
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;

/// Millimetres to twips.
const fn mm(tenths_of_mm: i32) -> i32 {
    // 1 mm = 1440 / 25.4 twips; computed in tenths of a millimetre, rounded.
    (tenths_of_mm * 14400 + 1270) / 2540
}

pub const MARGIN_TOP: i32 = mm(370);
pub const MARGIN_BOTTOM: i32 = mm(350);
pub const MARGIN_LEFT: i32 = mm(280);
pub const MARGIN_RIGHT: i32 = mm(260);
/// Width of the text area (156 mm), in twips.
const TEXT_WIDTH: i32 = PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT;

/// Exact line height of the body, in twentieths of a point: 28.9 pt, so that 22 lines
/// fill the 225 mm text area.
pub const LINE: i32 = 578;
/// Line height of the title (22 pt characters): 35 pt.
pub const TITLE_LINE: i32 = 700;
/// Character pitch of the body in twips: 15.75 pt, so that 28 characters fit the
/// 156 mm (442.25 pt) line. Written as a character spacing of −0.25 pt on the 16 pt body
/// rather than as a character grid (`docGrid linesAndChars`): Word squeezes a grid
/// evenly, but LibreOffice lays 16 pt characters on a 15.8 pt grid two cells apart.
pub const PITCH: i32 = 315;
/// Font sizes in half-points.
const SIZE_TITLE: usize = 44; // 2号
const SIZE_BODY: usize = 32; // 3号
const SIZE_PAGE_NUMBER: usize = 28; // 4号

/// Characters on a title line: 156 mm at 22 pt (7.76 mm) a character, 20.
pub const TITLE_CHARS: usize = (TEXT_WIDTH / (SIZE_TITLE as i32 * 10)) as usize;
/// Characters on a subtitle line (3号 at the body's pitch): 28, as the body.
pub const SUBTITLE_CHARS: usize = (TEXT_WIDTH / PITCH) as usize;
/// One 4号 character (14 pt), in twips: how far the page number sits in from the edge.
const PAGE_NUMBER_INDENT: i32 = SIZE_PAGE_NUMBER as i32 * 10;

/// An official typeface and what to use where it is not installed.
pub struct Face {
    pub name: &'static str,
    /// Comma-separated names Word tries when `name` is missing (w:altName).
    pub alt: &'static str,
    /// OOXML font family: roman (serif, 宋), modern (fixed pitch, 仿宋/黑体/楷体 in GB2312).
    family: &'static str,
}

/// The title face. Where 方正小标宋简体 is missing, offices use 方正小标宋_GBK, 华文中宋
/// (STZhongsong) or, last, 宋体 set bold; Word takes the first installed of `alt`.
pub const TITLE_FACE: Face = Face {
    name: "方正小标宋简体",
    alt: "华文中宋,宋体",
    family: "roman",
};
/// The body face: 仿宋_GB2312 (Windows XP era name), 仿宋 on Windows 7 and later.
pub const BODY_FACE: Face = Face {
    name: "仿宋_GB2312",
    alt: "仿宋,FangSong",
    family: "modern",
};
pub const HEADING_FACE: Face = Face {
    name: "黑体",
    alt: "SimHei",
    family: "modern",
};
/// The point-lead face: 楷体_GB2312, 楷体 on Windows 7 and later.
pub const LEAD_FACE: Face = Face {
    name: "楷体_GB2312",
    alt: "楷体,KaiTi",
    family: "modern",
};
pub const PAGE_NUMBER_FACE: Face = Face {
    name: "宋体",
    alt: "SimSun",
    family: "roman",
};
const FACES: [&Face; 5] = [
    &TITLE_FACE,
    &BODY_FACE,
    &HEADING_FACE,
    &LEAD_FACE,
    &PAGE_NUMBER_FACE,
];

/// ASCII letters and digits in the body: the usual companion of 仿宋 in official files.
const LATIN_FACE: &str = "Times New Roman";

/// Run fonts for running text (body, leads, speaker line). The Chinese face serves
/// Chinese characters (eastAsia) and also the high-ANSI range (hAnsi), where Word files
/// the punctuation both scripts share — “ ” ‘ ’ — … · ×: Chinese text wants them in
/// their full-width Chinese forms. Only ASCII (letters, digits, %) is set in Times New
/// Roman. The eastAsia hint says the same for Word's ambiguous characters.
fn fonts(face: &Face) -> RunFonts {
    RunFonts::new()
        .ascii(LATIN_FACE)
        .hi_ansi(face.name)
        .east_asia(face.name)
        .cs(face.name)
        .hint("eastAsia")
}

/// Run fonts for display text (title, headings, page numbers): one face for every
/// character, so digits in a 黑体 heading are 黑体 and page numbers are 宋体 digits.
fn fonts_whole(face: &Face) -> RunFonts {
    RunFonts::new()
        .ascii(face.name)
        .hi_ansi(face.name)
        .east_asia(face.name)
        .cs(face.name)
        .hint("eastAsia")
}

/// Style ids, also what a clerk sees in Word's style list (the w:name is Chinese).
pub const STYLE_BODY: &str = "SpeechBody";
pub const STYLE_TITLE: &str = "SpeechTitle";
pub const STYLE_SUBTITLE: &str = "SpeechSubtitle";
pub const STYLE_BYLINE: &str = "SpeechByline";
pub const STYLE_SALUTATION: &str = "SpeechSalutation";
pub const STYLE_HEADING: &str = "SpeechHeading1";
/// Character style of the 第一， point lead (楷体).
pub const STYLE_POINT_LEAD: &str = "SpeechPointLead";
/// Character style of the 一是 sub-point lead (the body face; a style so that a clerk
/// can set all of them bold at once).
pub const STYLE_SUBPOINT_LEAD: &str = "SpeechSubpointLead";
pub const STYLE_PAGE_NUMBER: &str = "SpeechPageNumber";
pub const STYLE_PAGE_NUMBER_ODD: &str = "SpeechPageNumberOdd";
pub const STYLE_PAGE_NUMBER_EVEN: &str = "SpeechPageNumberEven";

/// The `w:lang` value for a draft in `script`.
///
/// Simplified → zh-CN; `--script hk` → zh-HK; `--script tw` → zh-TW. Plain
/// `traditional` (OpenCC's standard forms, written for no one region) is tagged zh-TW:
/// Word has no region-free Traditional Chinese language (zh-Hant is not in its list),
/// zh-TW is the Traditional Chinese it proofs and offers first, and LibreOffice maps it
/// to Traditional glyph forms just as well.
pub fn language(script: Script) -> &'static str {
    match script {
        Script::Simplified => "zh-CN",
        Script::Traditional | Script::Taiwan => "zh-TW",
        Script::HongKong => "zh-HK",
    }
}

fn exact(line: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(line)
}

fn no_indent() -> (
    Option<i32>,
    Option<SpecialIndentType>,
    Option<i32>,
    Option<i32>,
) {
    (Some(0), Some(SpecialIndentType::FirstLine(0)), None, None)
}

fn keep_next(mut style: Style) -> Style {
    style.paragraph_property = style.paragraph_property.keep_next(true);
    style
}

fn styles(docx: Docx) -> Docx {
    let (l, s, e, c) = no_indent();
    let mut body = Style::new(STYLE_BODY, StyleType::Paragraph)
        .name("讲话正文")
        .fonts(fonts(&BODY_FACE))
        .size(SIZE_BODY)
        .line_spacing(exact(LINE))
        .align(AlignmentType::Both)
        .indent(
            Some(0),
            Some(SpecialIndentType::FirstLine(2 * PITCH)),
            None,
            None,
        );
    body.run_property = body
        .run_property
        .character_spacing(PITCH - SIZE_BODY as i32 * 10);
    let mut title = Style::new(STYLE_TITLE, StyleType::Paragraph)
        .name("讲话标题")
        .based_on(STYLE_BODY)
        .next(STYLE_BODY)
        .fonts(fonts_whole(&TITLE_FACE))
        .size(SIZE_TITLE)
        .align(AlignmentType::Center)
        .indent(l, s, e, c)
        // 35 pt between the lines of a title that wraps. The empty line under the
        // title block is the salutation's (or the speaker line's) space before.
        .line_spacing(exact(TITLE_LINE))
        // Off the line grid, which would round each title line up to two grid lines.
        .snap_to_grid(false)
        .outline_lvl(0);
    // The title is centred: no need to squeeze it.
    title.run_property = title.run_property.character_spacing(0);
    let subtitle = Style::new(STYLE_SUBTITLE, StyleType::Paragraph)
        .name("讲话副标题")
        .based_on(STYLE_BODY)
        .next(STYLE_BODY)
        .fonts(fonts(&LEAD_FACE))
        .align(AlignmentType::Center)
        .indent(l, s, e, c)
        .line_spacing(exact(LINE));
    let byline = Style::new(STYLE_BYLINE, StyleType::Paragraph)
        .name("讲话署名")
        .based_on(STYLE_BODY)
        .next(STYLE_BODY)
        .fonts(fonts(&LEAD_FACE))
        .align(AlignmentType::Center)
        .indent(l, s, e, c)
        .line_spacing(exact(LINE).before(LINE as u32));
    let salutation = Style::new(STYLE_SALUTATION, StyleType::Paragraph)
        .name("讲话称谓")
        .based_on(STYLE_BODY)
        .next(STYLE_BODY)
        .indent(l, s, e, c)
        // One empty body line between the title block and 同志们：.
        .line_spacing(exact(LINE).before(LINE as u32));
    let heading = Style::new(STYLE_HEADING, StyleType::Paragraph)
        .name("讲话一级标题")
        .based_on(STYLE_BODY)
        .next(STYLE_BODY)
        .fonts(fonts_whole(&HEADING_FACE))
        .indent(l, s, e, c)
        .outline_lvl(1);
    let point_lead = Style::new(STYLE_POINT_LEAD, StyleType::Character)
        .name("讲话二级标题")
        .fonts(fonts(&LEAD_FACE));
    let subpoint_lead = Style::new(STYLE_SUBPOINT_LEAD, StyleType::Character)
        .name("讲话三级标题")
        .fonts(fonts(&BODY_FACE));
    let mut page_number = Style::new(STYLE_PAGE_NUMBER, StyleType::Paragraph)
        .name("讲话页码")
        .fonts(fonts_whole(&PAGE_NUMBER_FACE))
        .size(SIZE_PAGE_NUMBER)
        .snap_to_grid(false);
    page_number.run_property = page_number.run_property.character_spacing(0);
    let page_odd = Style::new(STYLE_PAGE_NUMBER_ODD, StyleType::Paragraph)
        .name("讲话页码（单页）")
        .based_on(STYLE_PAGE_NUMBER)
        .align(AlignmentType::Right)
        .indent(Some(0), None, Some(PAGE_NUMBER_INDENT), None);
    let page_even = Style::new(STYLE_PAGE_NUMBER_EVEN, StyleType::Paragraph)
        .name("讲话页码（双页）")
        .based_on(STYLE_PAGE_NUMBER)
        .align(AlignmentType::Left)
        .indent(Some(PAGE_NUMBER_INDENT), None, Some(0), None);
    docx.default_fonts(fonts(&BODY_FACE))
        .default_size(SIZE_BODY)
        .add_style(body)
        .add_style(keep_next(title))
        .add_style(keep_next(subtitle))
        .add_style(keep_next(byline))
        .add_style(keep_next(salutation))
        .add_style(keep_next(heading))
        .add_style(point_lead)
        .add_style(subpoint_lead)
        .add_style(page_number)
        .add_style(page_odd)
        .add_style(page_even)
}

/// `— 1 —` in the given footer style: the PAGE field between two em dashes.
fn page_number_footer(style: &str) -> Footer {
    Footer::new().add_paragraph(
        Paragraph::new()
            .style(style)
            .add_run(Run::new().add_text("— "))
            .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
            .add_run(Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
            .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
            .add_run(Run::new().add_text("1"))
            .add_run(Run::new().add_field_char(FieldCharType::End, false))
            .add_run(Run::new().add_text(" —")),
    )
}

fn paragraph(style: &str) -> Paragraph {
    Paragraph::new().style(style)
}

/// Adds a body text as runs: the 〔待补：…〕 markers of --placeholders are highlighted, so
/// a clerk sees at a glance what to fill in.
fn add_marked(mut p: Paragraph, text: &str) -> Paragraph {
    use crate::place::facts::{MARK_CLOSE, MARK_OPEN};
    let mut rest = text;
    while let Some(start) = rest.find(MARK_OPEN) {
        let Some(len) = rest[start..].find(MARK_CLOSE) else {
            break;
        };
        let end = start + len + MARK_CLOSE.len_utf8();
        if start > 0 {
            p = p.add_run(Run::new().add_text(&rest[..start]));
        }
        p = p.add_run(Run::new().highlight("yellow").add_text(&rest[start..end]));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        p = p.add_run(Run::new().add_text(rest));
    }
    p
}

/// Lines joined by line breaks, in one run.
fn lines_run(lines: &[String]) -> Run {
    let mut run = Run::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

/// The Word file's bytes, for a draft in Simplified characters (language zh-CN).
/// A converted draft needs [`render_with`] and its [`language`].
pub fn render(speech: &Speech) -> Result<Vec<u8>> {
    render_with(speech, language(Script::Simplified))
}

/// The Word file's bytes, with `lang` (e.g. `zh-CN`, `zh-TW`, `zh-HK`: see [`language`])
/// as the language of every run and style.
pub fn render_with(speech: &Speech, lang: &str) -> Result<Vec<u8>> {
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(PageMargin {
            top: MARGIN_TOP,
            bottom: MARGIN_BOTTOM,
            left: MARGIN_LEFT,
            right: MARGIN_RIGHT,
            header: mm(150),
            // The page number's line starts 7 mm under the text area.
            footer: MARGIN_BOTTOM - mm(70) - SIZE_PAGE_NUMBER as i32 * 10,
            gutter: 0,
        })
        // The default footer serves odd pages once settings.xml says
        // evenAndOddHeaders, which docx-rs writes with the even footer.
        .footer(page_number_footer(STYLE_PAGE_NUMBER_ODD))
        .even_footer(page_number_footer(STYLE_PAGE_NUMBER_EVEN));
    docx = styles(docx);
    docx.document = docx
        .document
        .doc_grid(DocGrid::new().grid_type(DocGridType::Lines).line_pitch(579));
    for block in speech.blocks() {
        match block {
            Block::Title(t) => {
                let layout = title_layout(t);
                docx = docx.add_paragraph(paragraph(STYLE_TITLE).add_run(lines_run(&layout.main)));
                if !layout.subtitle.is_empty() {
                    docx = docx.add_paragraph(
                        paragraph(STYLE_SUBTITLE).add_run(lines_run(&layout.subtitle)),
                    );
                }
            }
            Block::Byline(t) => {
                docx = docx
                    .add_paragraph(paragraph(STYLE_BYLINE).add_run(Run::new().add_text(&t.text)))
            }
            Block::Heading { label, text } => {
                docx = docx.add_paragraph(
                    paragraph(STYLE_HEADING)
                        .add_run(Run::new().add_text(format!("{label}{}", text.text))),
                )
            }
            Block::Lead {
                level,
                label,
                lead,
                rest,
            } => {
                let style = if level == 2 {
                    STYLE_POINT_LEAD
                } else {
                    STYLE_SUBPOINT_LEAD
                };
                let lead_run = Run::new()
                    .style(style)
                    .add_text(format!("{label}{}", lead.text));
                let mut p = paragraph(STYLE_BODY).add_run(lead_run);
                if !rest.text.is_empty() {
                    p = add_marked(p, &rest.text);
                }
                docx = docx.add_paragraph(p);
            }
            Block::Paragraph(text) => {
                let style = if std::ptr::eq(text, &speech.salutation) {
                    STYLE_SALUTATION
                } else {
                    STYLE_BODY
                };
                docx = docx.add_paragraph(add_marked(paragraph(style), &text.text));
            }
        }
    }
    let mut parts = docx.build();
    parts.font_table = font_table()?;
    let internal =
        |part: &str, e: String| Error::new(format!("internal: cannot write the Word {part}: {e}"));
    parts.document = xml::normalize(&parts.document, lang).map_err(|e| internal("document", e))?;
    parts.styles = xml::normalize(&parts.styles, lang).map_err(|e| internal("styles", e))?;
    parts.settings = xml::normalize(&parts.settings, lang).map_err(|e| internal("settings", e))?;
    for footer in &mut parts.footers {
        *footer = xml::normalize(footer, lang).map_err(|e| internal("footer", e))?;
    }
    let mut bytes = Cursor::new(Vec::new());
    parts
        .pack(&mut bytes)
        .map_err(|e| Error::new(format!("internal: cannot assemble the Word file: {e}")))?;
    Ok(bytes.into_inner())
}

// ---------------------------------------------------------------------------------------
// Titles

/// How a title is set: the main title's lines (one paragraph, broken with line breaks)
/// and the subtitle's lines (the part from `——` on, its own paragraph; empty if none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleLayout {
    pub main: Vec<String>,
    pub subtitle: Vec<String>,
}

/// Lays out a title: a `——` part goes to its own subtitle paragraph (the break comes
/// before the dashes), and each part that does not fit its line is broken by
/// [`break_title`], keeping the place names of the title (its locality spans) whole.
pub fn title_layout(title: &Text) -> TitleLayout {
    let chars: Vec<char> = title.text.chars().collect();
    // Place names, as character ranges (spans that a conversion left out of bounds
    // are dropped rather than trusted).
    let places: Vec<(usize, usize)> = title
        .spans
        .iter()
        .filter(|s| matches!(s.what, Inline::Locality { .. }))
        .filter(|s| s.start < s.end && s.end <= chars.len())
        .map(|s| (s.start, s.end))
        .collect();
    let dash = (1..chars.len()).find(|&i| chars[i - 1] == '—' && chars[i] == '—');
    let split = dash
        .map(|i| i - 1)
        .filter(|&at| chars[..at].iter().any(|c| !c.is_whitespace()));
    let part = |from: usize, to: usize, width: usize| -> Vec<String> {
        // Trim spaces at the join, shifting the place ranges with the text.
        let mut from = from;
        let mut to = to;
        while from < to && chars[from].is_whitespace() {
            from += 1;
        }
        while to > from && chars[to - 1].is_whitespace() {
            to -= 1;
        }
        let text: String = chars[from..to].iter().collect();
        let keep: Vec<(usize, usize)> = places
            .iter()
            .filter(|&&(s, e)| s >= from && e <= to)
            .map(|&(s, e)| (s - from, e - from))
            .collect();
        break_title(&text, &keep, width)
    };
    match split {
        Some(at) => TitleLayout {
            main: part(0, at, TITLE_CHARS),
            subtitle: part(at, chars.len(), SUBTITLE_CHARS),
        },
        None => TitleLayout {
            main: part(0, chars.len(), TITLE_CHARS),
            subtitle: Vec::new(),
        },
    }
}

/// May not start a line (closing punctuation, 避头).
const NO_LINE_START: &str = "，。、；：？！”’」』）》〉】…—·";
/// May not end a line (opening punctuation, 避尾).
const NO_LINE_END: &str = "“‘「『（《〈【";
/// A pause: the best place to break is after one.
const PAUSES: &str = "，。、；：？！";
/// Words of meeting titles (both scripts) that a line break must not cut, and whose
/// edges are good places to break: `在朱家角镇群众工作会议` / `上的讲话`.
const TITLE_WORDS: &[&str] = &[
    "群众工作",
    "群眾工作",
    "工作会议",
    "工作會議",
    "会议",
    "會議",
    "大会",
    "大會",
    "座谈会",
    "座談會",
    "推进会",
    "推進會",
    "上的讲话",
    "上的講話",
    "上的发言",
    "上的發言",
    "讲话稿",
    "講話稿",
    "讲话",
    "講話",
    "群众",
    "群眾",
    "新形势下",
    "新形勢下",
    "乡村振兴",
    "鄉村振興",
];

/// How good a place `at` (a break between `chars[at - 1]` and `chars[at]`) is to break a
/// title: lower is better, `None` where a break is never allowed.
fn break_cost(
    chars: &[char],
    at: usize,
    keep: &[(usize, usize)],
    words: &[(usize, usize)],
) -> Option<u32> {
    let (before, after) = (chars[at - 1], chars[at]);
    // 在 opens the 在…上的讲话 phrase: never left at a line's end (nor, then, alone).
    if before == '在' || NO_LINE_START.contains(after) || NO_LINE_END.contains(before) {
        return None;
    }
    let inside = |ranges: &[(usize, usize)]| ranges.iter().any(|&(s, e)| s < at && at < e);
    let edge = |ranges: &[(usize, usize)]| ranges.iter().any(|&(s, e)| s == at || e == at);
    Some(if inside(keep) {
        // A place name cut in two: only if nothing else fits.
        20
    } else if PAUSES.contains(before) {
        0
    } else if after == '在' && chars[at..].windows(2).any(|w| w == ['上', '的']) {
        // Before 在…上的讲话.
        0
    } else if after == '暨' {
        // Before 暨, which joins two meetings' names.
        0
    } else if edge(keep) {
        1
    } else if inside(words) {
        10
    } else if edge(words) {
        2
    } else if before == '的' {
        3
    } else {
        // Between two characters nothing is known about: perhaps inside a word.
        6
    })
}

/// Breaks a title (or subtitle) into lines of at most `width` characters, in as few
/// lines as fit, at the best places (after a pause, before 在…上的讲话 or 暨, at the edge
/// of a place name or a known word), then as evenly as possible. `keep` are character
/// ranges not to cut (the place names). Never leaves 在 at a line's end, never starts a
/// line with closing punctuation or ends one with opening punctuation.
pub fn break_title(text: &str, keep: &[(usize, usize)], width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let width = width.max(1);
    if n <= width {
        return vec![text.to_string()];
    }
    let mut words = Vec::new();
    for word in TITLE_WORDS {
        let w: Vec<char> = word.chars().collect();
        for start in 0..=n.saturating_sub(w.len()) {
            if chars[start..].starts_with(&w) {
                words.push((start, start + w.len()));
            }
        }
    }
    let costs: Vec<Option<u32>> = (0..n)
        .map(|at| {
            (at > 0)
                .then(|| break_cost(&chars, at, keep, &words))
                .flatten()
        })
        .collect();
    let mut lines = n.div_ceil(width);
    loop {
        let mut best: Option<(u32, usize, Vec<usize>)> = None;
        search(&costs, n, width, lines, 0, &mut Vec::new(), &mut best);
        if let Some((_, _, breaks)) = best {
            let mut out = Vec::new();
            let mut from = 0;
            for at in breaks.into_iter().chain([n]) {
                out.push(chars[from..at].iter().collect());
                from = at;
            }
            return out;
        }
        if lines >= n {
            // Nothing allowed anywhere (a run of closing punctuation?): one line.
            return vec![text.to_string()];
        }
        lines += 1;
    }
}

/// Exhaustive search for `lines` lines from `from`: the breaks with the lowest total
/// cost (short lines of under four characters cost extra), then the least difference
/// between the longest and the shortest line; the first found wins a tie (the longer
/// first line).
fn search(
    costs: &[Option<u32>],
    n: usize,
    width: usize,
    lines: usize,
    from: usize,
    breaks: &mut Vec<usize>,
    best: &mut Option<(u32, usize, Vec<usize>)>,
) {
    if lines == 1 {
        if n - from > width {
            return;
        }
        let mut bounds = vec![0];
        bounds.extend(breaks.iter().copied());
        bounds.push(n);
        let lengths: Vec<usize> = bounds.windows(2).map(|w| w[1] - w[0]).collect();
        let cost: u32 = breaks.iter().map(|&at| costs[at].unwrap_or(0)).sum::<u32>()
            + 4 * lengths.iter().filter(|&&l| l < 4).count() as u32;
        let spread = lengths.iter().max().unwrap() - lengths.iter().min().unwrap();
        if best
            .as_ref()
            .is_none_or(|(c, s, _)| (cost, spread) < (*c, *s))
        {
            *best = Some((cost, spread, breaks.clone()));
        }
        return;
    }
    // The rest must fit the remaining lines.
    let lowest = from + 1;
    let lowest = lowest.max(n.saturating_sub((lines - 1) * width));
    let highest = (from + width).min(n - (lines - 1));
    for at in (lowest..=highest).rev() {
        if costs[at].is_some() {
            breaks.push(at);
            search(costs, n, width, lines - 1, at, breaks, best);
            breaks.pop();
        }
    }
}

// ---------------------------------------------------------------------------------------
// The font table

/// word/fontTable.xml: docx-rs's three Latin faces plus the official Chinese faces with
/// their fallbacks (see the module comment).
fn font_table() -> Result<Vec<u8>> {
    let fail = |e: docx_rs::xml::writer::Error| {
        Error::new(format!("internal: cannot write the Word font table: {e}"))
    };
    let mut w = EmitterConfig::default().create_writer(Vec::new());
    let mut put = |event: XmlEvent| w.write(event).map_err(fail);
    put(XmlEvent::StartDocument {
        version: XmlVersion::Version10,
        encoding: Some("UTF-8"),
        standalone: Some(true),
    })?;
    put(XmlEvent::start_element("w:fonts")
        .attr(
            "xmlns:w",
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        )
        .attr(
            "xmlns:r",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        )
        .into())?;
    let latin = [
        ("Times New Roman", "00", "roman"),
        ("Symbol", "02", "roman"),
        ("Arial", "00", "swiss"),
    ];
    let chinese = FACES.iter().map(|f| (f.name, "86", f.family));
    for (name, charset, family) in latin.into_iter().chain(chinese) {
        put(XmlEvent::start_element("w:font")
            .attr("w:name", name)
            .into())?;
        if let Some(face) = FACES.iter().find(|f| f.name == name) {
            put(XmlEvent::start_element("w:altName")
                .attr("w:val", face.alt)
                .into())?;
            put(XmlEvent::end_element())?;
        }
        for (element, value) in [
            ("w:charset", charset),
            ("w:family", family),
            ("w:pitch", "variable"),
        ] {
            put(XmlEvent::start_element(element).attr("w:val", value).into())?;
            put(XmlEvent::end_element())?;
        }
        put(XmlEvent::end_element())?;
    }
    put(XmlEvent::end_element())?;
    w.into_inner().map_err(fail)
}

// ---------------------------------------------------------------------------------------
// Post-processing

/// What docx-rs cannot write, added to its XML parts afterwards: `w:lang` on every
/// run, style and the defaults, `w:themeFontLang`, and property children in schema
/// order. A small tree is read with quick-xml and written back byte for byte, except
/// for what is changed.
mod xml {
    use quick_xml::Reader;
    use quick_xml::escape::escape;
    use quick_xml::events::{BytesStart, Event};

    enum Node {
        Element(Element),
        Other(Event<'static>),
    }

    struct Element {
        start: BytesStart<'static>,
        children: Vec<Node>,
    }

    impl Element {
        fn new(content: String) -> Element {
            let name_len = content.find(' ').unwrap_or(content.len());
            Element {
                start: BytesStart::from_content(content, name_len),
                children: Vec::new(),
            }
        }

        fn name(&self) -> &[u8] {
            self.start.name().into_inner()
        }

        fn has_child(&self, name: &[u8]) -> bool {
            self.children
                .iter()
                .any(|c| matches!(c, Node::Element(e) if e.name() == name))
        }

        fn attribute(&self, name: &[u8]) -> Option<Vec<u8>> {
            self.start
                .attributes()
                .flatten()
                .find(|a| a.key.as_ref() == name)
                .map(|a| a.value.into_owned())
        }
    }

    fn parse(xml: &[u8]) -> Result<Vec<Node>, String> {
        let text = std::str::from_utf8(xml).map_err(|e| e.to_string())?;
        let mut reader = Reader::from_str(text);
        let mut stack: Vec<Element> = Vec::new();
        let mut top: Vec<Node> = Vec::new();
        fn push(stack: &mut [Element], top: &mut Vec<Node>, node: Node) {
            match stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => top.push(node),
            }
        }
        loop {
            match reader.read_event().map_err(|e| e.to_string())? {
                Event::Start(start) => stack.push(Element {
                    start: start.into_owned(),
                    children: Vec::new(),
                }),
                Event::End(_) => {
                    let element = stack.pop().ok_or("an end tag without a start")?;
                    push(&mut stack, &mut top, Node::Element(element));
                }
                Event::Empty(start) => push(
                    &mut stack,
                    &mut top,
                    Node::Element(Element {
                        start: start.into_owned(),
                        children: Vec::new(),
                    }),
                ),
                Event::Eof => break,
                other => push(&mut stack, &mut top, Node::Other(other.into_owned())),
            }
        }
        if !stack.is_empty() {
            return Err("unclosed elements".into());
        }
        Ok(top)
    }

    fn write(nodes: &[Node], out: &mut Vec<u8>) {
        for node in nodes {
            match node {
                Node::Element(e) => {
                    let content: &[u8] = &e.start;
                    let content = content.trim_ascii_end();
                    out.push(b'<');
                    out.extend_from_slice(content);
                    if e.children.is_empty() {
                        out.extend_from_slice(b" />");
                    } else {
                        out.push(b'>');
                        write(&e.children, out);
                        out.extend_from_slice(b"</");
                        out.extend_from_slice(e.name());
                        out.push(b'>');
                    }
                }
                // Text, references, comments, declarations: quick-xml writes them as read
                // (into a Vec, which cannot fail).
                Node::Other(event) => {
                    let _ = quick_xml::Writer::new(&mut *out).write_event(event.borrow());
                }
            }
        }
    }

    /// CT_RPr (with CT_ParaRPr's revision marks first): the order of a w:rPr's children.
    const RPR: &[&str] = &[
        "w:ins",
        "w:del",
        "w:moveFrom",
        "w:moveTo",
        "w:rStyle",
        "w:rFonts",
        "w:b",
        "w:bCs",
        "w:i",
        "w:iCs",
        "w:caps",
        "w:smallCaps",
        "w:strike",
        "w:dstrike",
        "w:outline",
        "w:shadow",
        "w:emboss",
        "w:imprint",
        "w:noProof",
        "w:snapToGrid",
        "w:vanish",
        "w:webHidden",
        "w:color",
        "w:spacing",
        "w:w",
        "w:kern",
        "w:position",
        "w:sz",
        "w:szCs",
        "w:highlight",
        "w:u",
        "w:effect",
        "w:bdr",
        "w:shd",
        "w:fitText",
        "w:vertAlign",
        "w:rtl",
        "w:cs",
        "w:em",
        "w:lang",
        "w:eastAsianLayout",
        "w:specVanish",
        "w:oMath",
        "w:rPrChange",
    ];
    /// CT_PPr.
    const PPR: &[&str] = &[
        "w:pStyle",
        "w:keepNext",
        "w:keepLines",
        "w:pageBreakBefore",
        "w:framePr",
        "w:widowControl",
        "w:numPr",
        "w:suppressLineNumbers",
        "w:pBdr",
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    ];
    /// CT_Style.
    const STYLE: &[&str] = &[
        "w:name",
        "w:aliases",
        "w:basedOn",
        "w:next",
        "w:link",
        "w:autoRedefine",
        "w:hidden",
        "w:uiPriority",
        "w:semiHidden",
        "w:unhideWhenUsed",
        "w:qFormat",
        "w:locked",
        "w:personal",
        "w:personalCompose",
        "w:personalReply",
        "w:rsid",
        "w:pPr",
        "w:rPr",
        "w:tblPr",
        "w:trPr",
        "w:tcPr",
        "w:tblStylePr",
    ];
    /// CT_SectPr (header and footer references share the first place).
    const SECT_PR: &[&str] = &[
        "w:headerReference|w:footerReference",
        "w:footnotePr",
        "w:endnotePr",
        "w:type",
        "w:pgSz",
        "w:pgMar",
        "w:paperSrc",
        "w:pgBorders",
        "w:lnNumType",
        "w:pgNumType",
        "w:cols",
        "w:formProt",
        "w:vAlign",
        "w:noEndnote",
        "w:titlePg",
        "w:textDirection",
        "w:bidi",
        "w:rtlGutter",
        "w:docGrid",
        "w:printerSettings",
        "w:sectPrChange",
    ];
    /// CT_Settings.
    const SETTINGS: &[&str] = &[
        "w:writeProtection",
        "w:view",
        "w:zoom",
        "w:removePersonalInformation",
        "w:removeDateAndTime",
        "w:doNotDisplayPageBoundaries",
        "w:displayBackgroundShape",
        "w:printPostScriptOverText",
        "w:printFractionalCharacterWidth",
        "w:printFormsData",
        "w:embedTrueTypeFonts",
        "w:embedSystemFonts",
        "w:saveSubsetFonts",
        "w:saveFormsData",
        "w:mirrorMargins",
        "w:alignBordersAndEdges",
        "w:bordersDoNotSurroundHeader",
        "w:bordersDoNotSurroundFooter",
        "w:gutterAtTop",
        "w:hideSpellingErrors",
        "w:hideGrammaticalErrors",
        "w:activeWritingStyle",
        "w:proofState",
        "w:formsDesign",
        "w:attachedTemplate",
        "w:linkStyles",
        "w:stylePaneFormatFilter",
        "w:stylePaneSortMethod",
        "w:documentType",
        "w:mailMerge",
        "w:revisionView",
        "w:trackRevisions",
        "w:doNotTrackMoves",
        "w:doNotTrackFormatting",
        "w:documentProtection",
        "w:autoFormatOverride",
        "w:styleLockTheme",
        "w:styleLockQFSet",
        "w:defaultTabStop",
        "w:autoHyphenation",
        "w:consecutiveHyphenLimit",
        "w:hyphenationZone",
        "w:doNotHyphenateCaps",
        "w:showEnvelope",
        "w:summaryLength",
        "w:clickAndTypeStyle",
        "w:defaultTableStyle",
        "w:evenAndOddHeaders",
        "w:bookFoldRevPrinting",
        "w:bookFoldPrinting",
        "w:bookFoldPrintingSheets",
        "w:drawingGridHorizontalSpacing",
        "w:drawingGridVerticalSpacing",
        "w:displayHorizontalDrawingGridEvery",
        "w:displayVerticalDrawingGridEvery",
        "w:doNotUseMarginsForDrawingGridOrigin",
        "w:drawingGridHorizontalOrigin",
        "w:drawingGridVerticalOrigin",
        "w:doNotShadeFormData",
        "w:noPunctuationKerning",
        "w:characterSpacingControl",
        "w:printTwoOnOne",
        "w:strictFirstAndLastChars",
        "w:noLineBreaksAfter",
        "w:noLineBreaksBefore",
        "w:savePreviewPicture",
        "w:doNotValidateAgainstSchema",
        "w:saveInvalidXml",
        "w:ignoreMixedContent",
        "w:alwaysShowPlaceholderText",
        "w:doNotDemarcateInvalidXml",
        "w:saveXmlDataOnly",
        "w:useXSLTWhenSaving",
        "w:saveThroughXslt",
        "w:showXMLTags",
        "w:alwaysMergeEmptyNamespace",
        "w:updateFields",
        "w:hdrShapeDefaults",
        "w:footnotePr",
        "w:endnotePr",
        "w:compat",
        "w:docVars",
        "w:rsids",
        "m:mathPr",
        "w:attachedSchema",
        "w:themeFontLang",
        "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats",
        "w:doNotAutoCompressPictures",
        "w:forceUpgrade",
        "w:captions",
        "w:readModeInkLockDown",
        "w:smartTagType",
        "sl:schemaLibrary",
        "w:shapeDefaults",
        "w:doNotEmbedSmartTags",
        "w:decimalSymbol",
        "w:listSeparator",
    ];

    /// Sorts children into `order` (stable; what the order does not know goes last).
    fn sort(children: &mut [Node], order: &[&str]) {
        let rank = |node: &Node| match node {
            Node::Element(e) => order
                .iter()
                .position(|names| names.split('|').any(|n| n.as_bytes() == e.name()))
                .unwrap_or(order.len()),
            Node::Other(_) => order.len(),
        };
        children.sort_by_key(rank);
    }

    fn lang_element(lang: &str) -> Element {
        let lang = escape(lang);
        Element::new(format!(r#"w:lang w:val="{lang}" w:eastAsia="{lang}""#))
    }

    fn fix(element: &mut Element, lang: &str, in_styles: bool) {
        let name = element.name().to_vec();
        match name.as_slice() {
            // Every run has run properties, first.
            b"w:r" if !element.has_child(b"w:rPr") => {
                element
                    .children
                    .insert(0, Node::Element(Element::new("w:rPr".into())));
            }
            b"w:style" => {
                if !element.has_child(b"w:rPr") {
                    element
                        .children
                        .push(Node::Element(Element::new("w:rPr".into())));
                }
                // A character style has no paragraph properties.
                if element.attribute(b"w:type").as_deref() == Some(b"character") {
                    element
                        .children
                        .retain(|c| !matches!(c, Node::Element(e) if e.name() == b"w:pPr"));
                }
            }
            b"w:settings" if !element.has_child(b"w:themeFontLang") => {
                let lang = escape(lang);
                element.children.push(Node::Element(Element::new(format!(
                    r#"w:themeFontLang w:val="{lang}" w:eastAsia="{lang}""#
                ))));
            }
            _ => {}
        }
        // In styles.xml a w:pPr is CT_PPrGeneral, which holds no run properties.
        if in_styles && name == b"w:pPr" {
            element
                .children
                .retain(|c| !matches!(c, Node::Element(e) if e.name() == b"w:rPr"));
        }
        for child in &mut element.children {
            if let Node::Element(e) = child {
                fix(e, lang, in_styles);
            }
        }
        match name.as_slice() {
            b"w:rPr" => {
                element
                    .children
                    .retain(|c| !matches!(c, Node::Element(e) if e.name() == b"w:lang"));
                element.children.push(Node::Element(lang_element(lang)));
                sort(&mut element.children, RPR);
            }
            b"w:pPr" => sort(&mut element.children, PPR),
            b"w:style" => sort(&mut element.children, STYLE),
            b"w:sectPr" => sort(&mut element.children, SECT_PR),
            b"w:settings" => sort(&mut element.children, SETTINGS),
            _ => {}
        }
    }

    /// One XML part with the language added and the property children in schema order.
    pub fn normalize(xml: &[u8], lang: &str) -> Result<Vec<u8>, String> {
        let mut nodes = parse(xml)?;
        let in_styles = nodes
            .iter()
            .any(|n| matches!(n, Node::Element(e) if e.name() == b"w:styles"));
        for node in &mut nodes {
            if let Node::Element(e) = node {
                fix(e, lang, in_styles);
            }
        }
        let mut out = Vec::with_capacity(xml.len() + xml.len() / 4);
        write(&nodes, &mut out);
        Ok(out)
    }

    #[cfg(test)]
    mod tests {
        use super::normalize;

        fn run(xml: &str) -> String {
            String::from_utf8(normalize(xml.as_bytes(), "zh-CN").unwrap()).unwrap()
        }

        #[test]
        fn runs_get_a_language_and_properties_in_schema_order() {
            let out = run(
                r#"<w:p><w:r><w:t xml:space="preserve">一&amp;二</w:t></w:r><w:r><w:rPr><w:sz w:val="32" /><w:rStyle w:val="X" /></w:rPr><w:t>三</w:t></w:r></w:p>"#,
            );
            assert_eq!(
                out,
                r#"<w:p><w:r><w:rPr><w:lang w:val="zh-CN" w:eastAsia="zh-CN" /></w:rPr><w:t xml:space="preserve">一&amp;二</w:t></w:r><w:r><w:rPr><w:rStyle w:val="X" /><w:sz w:val="32" /><w:lang w:val="zh-CN" w:eastAsia="zh-CN" /></w:rPr><w:t>三</w:t></w:r></w:p>"#
            );
        }

        #[test]
        fn an_existing_language_is_replaced_not_doubled() {
            let out = run(r#"<w:rPr><w:lang w:val="en-US" /></w:rPr>"#);
            assert_eq!(out.matches("<w:lang").count(), 1);
            assert!(out.contains(r#"w:eastAsia="zh-CN""#));
        }

        #[test]
        fn styles_lose_paragraph_mark_properties_and_character_styles_lose_ppr() {
            let out = run(
                r#"<?xml version="1.0"?><w:styles><w:style w:type="character" w:styleId="A"><w:name w:val="A" /><w:rPr /><w:pPr><w:rPr /></w:pPr></w:style><w:style w:type="paragraph" w:styleId="B"><w:pPr><w:rPr /><w:jc w:val="both" /></w:pPr><w:name w:val="B" /></w:style></w:styles>"#,
            );
            assert_eq!(
                out,
                r#"<?xml version="1.0"?><w:styles><w:style w:type="character" w:styleId="A"><w:name w:val="A" /><w:rPr><w:lang w:val="zh-CN" w:eastAsia="zh-CN" /></w:rPr></w:style><w:style w:type="paragraph" w:styleId="B"><w:name w:val="B" /><w:pPr><w:jc w:val="both" /></w:pPr><w:rPr><w:lang w:val="zh-CN" w:eastAsia="zh-CN" /></w:rPr></w:style></w:styles>"#
            );
        }

        #[test]
        fn settings_are_ordered_and_name_the_theme_language() {
            let out = run(
                r#"<w:settings><w:defaultTabStop w:val="840" /><w:zoom w:percent="100" /><w:compat /><w:evenAndOddHeaders /></w:settings>"#,
            );
            assert_eq!(
                out,
                r#"<w:settings><w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:evenAndOddHeaders /><w:compat /><w:themeFontLang w:val="zh-CN" w:eastAsia="zh-CN" /></w:settings>"#
            );
        }

        #[test]
        fn section_references_come_first() {
            let out = run(
                r#"<w:sectPr><w:pgSz w:w="1" /><w:docGrid /><w:footerReference w:type="default" /><w:footerReference w:type="even" /></w:sectPr>"#,
            );
            assert_eq!(
                out,
                r#"<w:sectPr><w:footerReference w:type="default" /><w:footerReference w:type="even" /><w:pgSz w:w="1" /><w:docGrid /></w:sectPr>"#
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::speech::InlineSpan;

    #[test]
    fn margins_are_the_standard_millimetres() {
        assert_eq!(MARGIN_TOP, 2098);
        assert_eq!(MARGIN_BOTTOM, 1984);
        assert_eq!(MARGIN_LEFT, 1587);
        assert_eq!(MARGIN_RIGHT, 1474);
    }

    #[test]
    fn a_line_holds_28_characters() {
        let width = PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT;
        assert!((28 * PITCH..29 * PITCH).contains(&width), "{width}");
        assert_eq!(SUBTITLE_CHARS, 28);
    }

    #[test]
    fn a_title_line_holds_20_characters() {
        assert_eq!(TITLE_CHARS, 20);
    }

    #[test]
    fn languages_follow_the_script() {
        assert_eq!(language(Script::Simplified), "zh-CN");
        assert_eq!(language(Script::Taiwan), "zh-TW");
        assert_eq!(language(Script::HongKong), "zh-HK");
        assert_eq!(language(Script::Traditional), "zh-TW");
    }

    #[test]
    fn font_table_declares_fallbacks() {
        let xml = String::from_utf8(font_table().unwrap()).unwrap();
        assert!(
            xml.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋,FangSong" />"#)
        );
        assert!(xml.contains(r#"<w:charset w:val="86" />"#));
        assert!(xml.starts_with("<?xml"));
    }

    /// A title with the place name marked, as the generator marks it.
    fn title(text: &str, place: &str) -> Text {
        let mut spans = Vec::new();
        if let Some(byte) = text.find(place) {
            let start = text[..byte].chars().count();
            spans.push(InlineSpan {
                start,
                end: start + place.chars().count(),
                what: Inline::Locality {
                    place: place.to_string(),
                    placeholder: "乡名".to_string(),
                },
            });
        }
        Text {
            text: text.to_string(),
            spans,
        }
    }

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_title_that_fits_is_one_line() {
        let layout = title_layout(&title("在朱家角镇群众工作会议上的讲话", "朱家角镇"));
        assert_eq!(layout.main, lines(&["在朱家角镇群众工作会议上的讲话"]));
        assert!(layout.subtitle.is_empty());
        // 20 characters still fit.
        let twenty = "一二三四五六七八九十一二三四五六七八九十";
        assert_eq!(break_title(twenty, &[], TITLE_CHARS), lines(&[twenty]));
    }

    #[test]
    fn the_subtitle_breaks_before_the_dashes_onto_its_own_paragraph() {
        let layout = title_layout(&title(
            "凝心聚力抓落实 ……——在朱家角镇群众工作会议上的讲话",
            "朱家角镇",
        ));
        assert_eq!(layout.main, lines(&["凝心聚力抓落实 ……"]));
        assert_eq!(
            layout.subtitle,
            lines(&["——在朱家角镇群众工作会议上的讲话"])
        );
        let layout = title_layout(&title(
            "密切党群干群关系，筑牢基层执政根基——在朱家角镇群众工作会议上的讲话",
            "朱家角镇",
        ));
        assert_eq!(layout.main, lines(&["密切党群干群关系，筑牢基层执政根基"]));
        assert_eq!(
            layout.subtitle,
            lines(&["——在朱家角镇群众工作会议上的讲话"])
        );
    }

    #[test]
    fn a_long_main_title_breaks_after_a_pause() {
        let layout = title_layout(&title(
            "坚持以人民为中心的发展思想，扎实做好新形势下的群众工作——在朱家角镇群众工作会议上的讲话",
            "朱家角镇",
        ));
        assert_eq!(
            layout.main,
            lines(&["坚持以人民为中心的发展思想，", "扎实做好新形势下的群众工作"])
        );
        assert_eq!(layout.subtitle.len(), 1);
    }

    #[test]
    fn a_long_title_breaks_after_the_place_name_not_inside_it() {
        let place = "新疆生产建设兵团第十四师昆玉市老兵镇";
        let text = format!("在{place}群众工作会议上的讲话");
        let layout = title_layout(&title(&text, place));
        assert_eq!(
            layout.main,
            lines(&[&format!("在{place}"), "群众工作会议上的讲话"])
        );
        // Without the span the break still falls at a known word's edge, not inside it.
        let out = break_title(&text, &[], TITLE_CHARS);
        assert_eq!(out.concat(), text);
        assert!(out.iter().all(|l| l.chars().count() <= TITLE_CHARS));
        for line in &out {
            assert!(
                !line.ends_with("群众工") && !line.ends_with("会"),
                "{out:?}"
            );
        }
    }

    #[test]
    fn a_long_title_breaks_before_zai_or_a_conjunction() {
        assert_eq!(
            break_title(
                "加强群众工作推动乡村全面振兴在全县乡镇党委书记座谈会上的讲话",
                &[],
                TITLE_CHARS
            ),
            lines(&[
                "加强群众工作推动乡村全面振兴",
                "在全县乡镇党委书记座谈会上的讲话"
            ])
        );
        assert_eq!(
            break_title(
                "在全县农村人居环境整治提升暨乡村振兴工作推进会议上的讲话",
                &[],
                TITLE_CHARS
            ),
            lines(&[
                "在全县农村人居环境整治提升",
                "暨乡村振兴工作推进会议上的讲话"
            ])
        );
        assert_eq!(
            break_title(
                "关于进一步密切党群干群关系的几点意见在朱家角镇群众工作会议上的讲话",
                &[],
                TITLE_CHARS
            ),
            lines(&[
                "关于进一步密切党群干群关系的几点意见",
                "在朱家角镇群众工作会议上的讲话"
            ])
        );
    }

    #[test]
    fn zai_is_never_left_at_a_line_end() {
        let chars: Vec<char> = "在朱家角镇".chars().collect();
        assert_eq!(break_cost(&chars, 1, &[], &[]), None);
        assert!(break_cost(&chars, 2, &[], &[]).is_some());
        // Even where the break after 在 would be the place name's edge.
        let text = "在一二三四五六七八九十一二三四五六七八九十群众工作会议";
        let out = break_title(text, &[(1, 21)], TITLE_CHARS);
        assert!(out.iter().all(|l| !l.ends_with('在')), "{out:?}");
        assert!(out.iter().all(|l| l != "在"), "{out:?}");
    }

    #[test]
    fn lines_never_start_with_closing_or_end_with_opening_punctuation() {
        let chars: Vec<char> = "一，二“三".chars().collect();
        assert_eq!(break_cost(&chars, 1, &[], &[]), None); // before ，
        assert_eq!(break_cost(&chars, 2, &[], &[]), Some(0)); // after ，
        assert_eq!(break_cost(&chars, 4, &[], &[]), None); // after “
    }

    #[test]
    fn a_place_name_is_cut_only_when_nothing_else_fits() {
        let chars: Vec<char> = "在朱家角镇群众".chars().collect();
        let keep = [(1, 5)];
        assert_eq!(break_cost(&chars, 3, &keep, &[]), Some(20));
        assert_eq!(break_cost(&chars, 5, &keep, &[]), Some(1));
    }

    #[test]
    fn traditional_titles_break_at_the_same_words() {
        let layout = title_layout(&title(
            "紮實做好新形勢下的群眾工作——在朱家角鎮群眾工作會議上的講話",
            "朱家角鎮",
        ));
        assert_eq!(layout.main, lines(&["紮實做好新形勢下的群眾工作"]));
        assert_eq!(
            layout.subtitle,
            lines(&["——在朱家角鎮群眾工作會議上的講話"])
        );
        let out = break_title(
            "在新疆生產建設兵團第十四師昆玉市老兵鎮群眾工作會議上的講話",
            &[],
            20,
        );
        assert_eq!(
            out,
            lines(&[
                "在新疆生產建設兵團第十四師昆玉市老兵鎮",
                "群眾工作會議上的講話"
            ])
        );
    }
}
