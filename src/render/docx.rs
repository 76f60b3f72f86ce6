//! The Word file (`--format docx`): a speech as it is printed for a meeting, after
//! GB/T 9704-2012 (党政机关公文格式).
//!
//! - A4 (11906 × 16838 twips); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm,
//!   which leaves the standard 156 × 225 mm text area;
//! - 22 lines × 28 characters a page: every body line at an exact 28.9 pt (the document
//!   grid's line pitch 28.95 pt), characters 0.25 pt closer than their 16 pt so that 28
//!   fit in 156 mm;
//! - title: 2号 (22 pt) 方正小标宋简体, centred, 35 pt lines; an optional speaker/date line
//!   in 3号 楷体;
//! - body: 3号 (16 pt) 仿宋_GB2312, justified, first line indented two characters;
//!   level-1 headings 黑体 without indent; the lead sentence of a level-2 point in
//!   楷体_GB2312;
//! - page numbers `— 1 —` centred in the footer, 4号 宋体, 7 mm under the text area;
//! - title, speaker line, salutation and headings are kept with the next paragraph, so
//!   none ends a page alone.
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
//! fontconfig's substitution, which picks the system's default CJK serif face.

use std::io::Cursor;

use docx_rs::xml::common::XmlVersion;
use docx_rs::xml::writer::{EmitterConfig, XmlEvent};
use docx_rs::{
    AlignmentType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE, InstrText,
    LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Style,
    StyleType,
};

use crate::base::error::{Error, Result};
use crate::draft::speech::{Block, Speech};

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

/// An official typeface and what to use where it is not installed.
pub struct Face {
    pub name: &'static str,
    /// Comma-separated names Word tries when `name` is missing (w:altName).
    pub alt: &'static str,
    /// OOXML font family: roman (serif, 宋), modern (fixed pitch, 仿宋/黑体/楷体 in GB2312).
    family: &'static str,
}

pub const TITLE_FACE: Face = Face {
    name: "方正小标宋简体",
    alt: "华文中宋,宋体",
    family: "roman",
};
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

/// Latin letters and digits in the body: the usual companion of 仿宋 in official files.
const LATIN_FACE: &str = "Times New Roman";

/// The run fonts of a face. The hint tells Word to draw characters that both scripts
/// share (“ ” — × …) with the Chinese face, as Chinese text expects full-width quotes.
fn fonts(face: &Face) -> RunFonts {
    RunFonts::new()
        .east_asia(face.name)
        .ascii(LATIN_FACE)
        .hi_ansi(LATIN_FACE)
        .cs(face.name)
        .hint("eastAsia")
}

/// Style ids, also what a clerk sees in Word's style list.
const STYLE_BODY: &str = "SpeechBody";
const STYLE_TITLE: &str = "SpeechTitle";
const STYLE_BYLINE: &str = "SpeechByline";
const STYLE_SALUTATION: &str = "SpeechSalutation";
const STYLE_HEADING: &str = "SpeechHeading1";

fn exact(line: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(line)
}

fn styles(docx: Docx) -> Docx {
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
        .fonts(fonts(&TITLE_FACE))
        .size(SIZE_TITLE)
        .align(AlignmentType::Center)
        .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None)
        // 35 pt between the lines of a title that wraps, then one empty body line.
        .line_spacing(exact(TITLE_LINE).after(LINE as u32))
        // Off the line grid, which would round each title line up to two grid lines.
        .snap_to_grid(false)
        .outline_lvl(0);
    // The title is centred: no need to squeeze it.
    title.run_property = title.run_property.character_spacing(0);
    title.paragraph_property = title.paragraph_property.keep_next(true);
    let mut byline = Style::new(STYLE_BYLINE, StyleType::Paragraph)
        .name("讲话署名")
        .based_on(STYLE_BODY)
        .next(STYLE_BODY)
        .fonts(fonts(&LEAD_FACE))
        .align(AlignmentType::Center)
        .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None)
        .line_spacing(exact(LINE).after(LINE as u32));
    byline.paragraph_property = byline.paragraph_property.keep_next(true);
    let mut salutation = Style::new(STYLE_SALUTATION, StyleType::Paragraph)
        .name("讲话称谓")
        .based_on(STYLE_BODY)
        .next(STYLE_BODY)
        .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None);
    salutation.paragraph_property = salutation.paragraph_property.keep_next(true);
    let mut heading = Style::new(STYLE_HEADING, StyleType::Paragraph)
        .name("讲话一级标题")
        .based_on(STYLE_BODY)
        .next(STYLE_BODY)
        .fonts(fonts(&HEADING_FACE))
        .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None)
        .outline_lvl(1);
    heading.paragraph_property = heading.paragraph_property.keep_next(true);
    docx.default_fonts(fonts(&BODY_FACE))
        .default_size(SIZE_BODY)
        .add_style(body)
        .add_style(title)
        .add_style(byline)
        .add_style(salutation)
        .add_style(heading)
}

/// `— 1 —`, centred: the PAGE field between two em dashes.
fn page_number_footer() -> Footer {
    let run = || {
        Run::new()
            .fonts(fonts(&PAGE_NUMBER_FACE))
            .size(SIZE_PAGE_NUMBER)
    };
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run().add_text("— "))
            .add_run(run().add_field_char(FieldCharType::Begin, false))
            .add_run(run().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
            .add_run(run().add_field_char(FieldCharType::Separate, false))
            .add_run(run().add_text("1"))
            .add_run(run().add_field_char(FieldCharType::End, false))
            .add_run(run().add_text(" —")),
    )
}

fn paragraph(style: &str) -> Paragraph {
    Paragraph::new().style(style)
}

/// The Word file's bytes.
pub fn render(speech: &Speech) -> Result<Vec<u8>> {
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
        .footer(page_number_footer());
    docx = styles(docx);
    docx.document = docx
        .document
        .doc_grid(DocGrid::new().grid_type(DocGridType::Lines).line_pitch(579));
    for block in speech.blocks() {
        let p = match block {
            Block::Title(t) => paragraph(STYLE_TITLE).add_run(Run::new().add_text(&t.text)),
            Block::Byline(t) => paragraph(STYLE_BYLINE).add_run(Run::new().add_text(&t.text)),
            Block::Heading { label, text } => paragraph(STYLE_HEADING)
                .add_run(Run::new().add_text(format!("{label}{}", text.text))),
            Block::Lead {
                level,
                label,
                lead,
                rest,
            } => {
                let lead_run = Run::new().add_text(format!("{label}{}", lead.text));
                let lead_run = if level == 2 {
                    lead_run.fonts(fonts(&LEAD_FACE))
                } else {
                    lead_run
                };
                let p = paragraph(STYLE_BODY).add_run(lead_run);
                if rest.text.is_empty() {
                    p
                } else {
                    p.add_run(Run::new().add_text(&rest.text))
                }
            }
            Block::Paragraph(parts) => {
                let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
                let style = if std::ptr::eq(parts[0], &speech.salutation) {
                    STYLE_SALUTATION
                } else {
                    STYLE_BODY
                };
                paragraph(style).add_run(Run::new().add_text(joined))
            }
        };
        docx = docx.add_paragraph(p);
    }
    let mut xml = docx.build();
    xml.font_table = font_table()?;
    let mut bytes = Cursor::new(Vec::new());
    xml.pack(&mut bytes)
        .map_err(|e| Error::new(format!("internal: cannot assemble the Word file: {e}")))?;
    Ok(bytes.into_inner())
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
