//! The Word file, opened the way another program would: as a zip of XML parts, and with
//! docx-rs's reader. (A look at the printed pages needs LibreOffice: see
//! examples/docx-preview.sh; CI does not have it.)

use std::io::Read;

use speechgen::draft::generate::{Options, generate};
use speechgen::draft::speech::{Speech, Text};
use speechgen::pack::Pack;
use speechgen::place::locality::Locality;
use speechgen::render::byline::BylineRequest;
use speechgen::render::docx;
use speechgen::render::script::Script;
use speechgen::render::{self, Format, Presentation};

/// The seed-1 draft for 太平镇 (generated, not yet converted).
fn draft() -> (Speech, Locality) {
    let pack = Pack::default_pack().unwrap();
    let loc = Locality::from_name("太平镇").unwrap();
    let options = Options {
        seed: 1,
        ..Options::default()
    };
    (generate(pack, &loc, &options).unwrap(), loc)
}

/// The Word file as the CLI writes it, through the library's render entry point, with
/// the tree as rendered (converted) to compare the file against.
fn taiping_with(presentation: Presentation) -> (Speech, Vec<u8>) {
    let pack = Pack::default_pack().unwrap();
    let (speech, loc) = draft();
    let mut converted = speech.clone();
    converted.byline = presentation.byline.line().unwrap();
    speechgen::render::script::convert(&mut converted, presentation.script).unwrap();
    let bytes = render::render(speech, Format::Docx, &presentation, &pack.id, 1, &loc).unwrap();
    (converted, bytes)
}

fn taiping(script: Script) -> (Speech, Vec<u8>) {
    taiping_with(Presentation {
        script,
        ..Presentation::default()
    })
}

/// A draft with every kind of block: a title with a `——` subtitle, a speaker line.
fn full_draft() -> Speech {
    let (mut speech, _) = draft();
    speech.title = Text::plain("扎实做好新形势下的群众工作——在太平镇群众工作会议上的讲话");
    speech.byline = Some(Text::plain("李明（2026年11月25日）"));
    speech
}

fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip file");
    let mut file = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("no {name}"));
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

/// Every `<tag …>…</tag>` element (tag given with its `<`, e.g. `<w:r>` or `<w:style `).
fn elements<'a>(xml: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(open) {
        let from = &rest[start..];
        let end = from
            .find(close)
            .unwrap_or_else(|| panic!("{open} not closed"));
        out.push(&from[..end + close.len()]);
        rest = &from[end + close.len()..];
    }
    out
}

/// The `<w:style>` element of a style id.
fn style<'a>(styles: &'a str, id: &str) -> &'a str {
    let start = styles
        .find(&format!(r#"w:styleId="{id}""#))
        .unwrap_or_else(|| panic!("no style {id}"));
    let rest = &styles[start..];
    &rest[..rest.find("</w:style>").unwrap()]
}

/// The footer part a section references for `kind` (default or even).
fn footer_part(docx: &[u8], kind: &str) -> String {
    let document = part(docx, "word/document.xml");
    let needle = format!(r#"<w:footerReference w:type="{kind}" r:id=""#);
    let start = document
        .find(&needle)
        .unwrap_or_else(|| panic!("no {kind} footer reference"))
        + needle.len();
    let id = &document[start..start + document[start..].find('"').unwrap()];
    let rels = part(docx, "word/_rels/document.xml.rels");
    let rel = elements(&rels, "<Relationship ", "/>")
        .into_iter()
        .find(|r| r.contains(&format!(r#"Id="{id}""#)))
        .unwrap_or_else(|| panic!("no relationship {id}"));
    let target = rel.split(r#"Target=""#).nth(1).unwrap();
    let target = &target[..target.find('"').unwrap()];
    part(docx, &format!("word/{target}"))
}

/// (style id, text) of every body paragraph, read back with docx-rs's reader.
fn paragraphs(docx: &[u8]) -> Vec<(String, String)> {
    let doc = docx_rs::read_docx(docx).expect("docx-rs reads the file back");
    doc.document
        .children
        .iter()
        .filter_map(|child| match child {
            docx_rs::DocumentChild::Paragraph(p) => Some((
                p.property
                    .style
                    .as_ref()
                    .map(|s| s.val.clone())
                    .unwrap_or_default(),
                p.raw_text(),
            )),
            _ => None,
        })
        .collect()
}

fn lang(tag: &str) -> String {
    format!(r#"<w:lang w:val="{tag}" w:eastAsia="{tag}" />"#)
}

/// Every run (document and footers), every style and the document defaults carry the
/// language `tag`, and no other language is named anywhere.
fn assert_language_everywhere(docx: &[u8], tag: &str) {
    let lang = lang(tag);
    let mut runs = 0;
    for name in ["word/document.xml", "word/footer1.xml", "word/footer2.xml"] {
        let xml = part(docx, name);
        assert!(
            !xml.contains("<w:r "),
            "{name}: a run with attributes escapes the check"
        );
        for run in elements(&xml, "<w:r>", "</w:r>") {
            assert!(run.starts_with("<w:r><w:rPr>"), "{name}: {run}");
            assert!(run.contains(&lang), "{name}: {run}");
            runs += 1;
        }
        assert_eq!(xml.matches("<w:lang ").count(), xml.matches(&lang).count());
    }
    assert!(runs > 100, "{runs} runs");
    let styles = part(docx, "word/styles.xml");
    let defaults = elements(&styles, "<w:rPrDefault>", "</w:rPrDefault>");
    assert_eq!(defaults.len(), 1);
    assert!(defaults[0].contains(&lang), "{}", defaults[0]);
    let all = elements(&styles, "<w:style ", "</w:style>");
    assert!(all.len() >= 12, "{} styles", all.len());
    for style in all {
        let rpr = elements(style, "<w:rPr>", "</w:rPr>");
        assert_eq!(rpr.len(), 1, "{style}");
        assert!(rpr[0].contains(&lang), "{style}");
    }
    assert_eq!(
        styles.matches("<w:lang ").count(),
        styles.matches(&lang).count()
    );
    let settings = part(docx, "word/settings.xml");
    assert!(
        settings.contains(&format!(
            r#"<w:themeFontLang w:val="{tag}" w:eastAsia="{tag}" />"#
        )),
        "{settings}"
    );
}

#[test]
fn page_is_a4_with_the_official_margins_and_line_grid() {
    let (_, docx) = taiping(Script::Simplified);
    let document = part(&docx, "word/document.xml");
    assert!(document.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#));
    // 37 / 26 / 35 / 28 mm
    assert!(
        document.contains(r#"w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#),
        "{}",
        &document[document.find("<w:pgMar").unwrap()..][..200]
    );
    assert!(document.contains(r#"<w:docGrid w:type="lines" w:linePitch="579" />"#));
    let styles = part(&docx, "word/styles.xml");
    let body = style(&styles, "SpeechBody");
    assert!(body.contains(r#"<w:spacing w:line="578" w:lineRule="exact" />"#));
    // Two-character first-line indent, justified, 16 pt characters 0.25 pt closer.
    assert!(body.contains(r#"w:firstLine="630""#));
    assert!(body.contains(r#"<w:jc w:val="both" />"#));
    assert!(body.contains(r#"<w:spacing w:val="-5" />"#));
    assert!(body.contains(r#"<w:sz w:val="32" />"#));
}

#[test]
fn fonts_are_the_official_faces_with_declared_fallbacks() {
    let (_, docx) = taiping(Script::Simplified);
    let styles = part(&docx, "word/styles.xml");
    // Running text: the Chinese face for Chinese and the shared punctuation (hAnsi),
    // Times New Roman for ASCII.
    for (id, face) in [
        ("SpeechBody", "仿宋_GB2312"),
        ("SpeechPointLead", "楷体_GB2312"),
        ("SpeechByline", "楷体_GB2312"),
        ("SpeechSubtitle", "楷体_GB2312"),
    ] {
        let fonts = format!(
            r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="{face}" w:cs="{face}" w:eastAsia="{face}" w:hint="eastAsia" />"#
        );
        assert!(
            style(&styles, id).contains(&fonts),
            "{id}: {}",
            style(&styles, id)
        );
    }
    // Display text: one face for every character.
    for (id, face) in [
        ("SpeechTitle", "方正小标宋简体"),
        ("SpeechHeading1", "黑体"),
        ("SpeechPageNumber", "宋体"),
    ] {
        let fonts = format!(
            r#"<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:cs="{face}" w:eastAsia="{face}" w:hint="eastAsia" />"#
        );
        assert!(
            style(&styles, id).contains(&fonts),
            "{id}: {}",
            style(&styles, id)
        );
    }
    // The document default is the body face, 3号.
    let defaults = elements(&styles, "<w:rPrDefault>", "</w:rPrDefault>")[0];
    assert!(
        defaults.contains(r#"w:eastAsia="仿宋_GB2312""#),
        "{defaults}"
    );
    assert!(defaults.contains(r#"<w:sz w:val="32" />"#), "{defaults}");
    // Title 2号 (22 pt), page numbers 4号 (14 pt), in half-points.
    assert!(style(&styles, "SpeechTitle").contains(r#"<w:sz w:val="44" />"#));
    assert!(style(&styles, "SpeechPageNumber").contains(r#"<w:sz w:val="28" />"#));
    let fonts = part(&docx, "word/fontTable.xml");
    for (face, alt) in [
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
        ("方正小标宋简体", "宋体"),
    ] {
        let start = fonts
            .find(&format!(r#"<w:font w:name="{face}">"#))
            .unwrap_or_else(|| panic!("{face} is not in the font table"));
        let entry = &fonts[start..start + fonts[start..].find("</w:font>").unwrap()];
        assert!(
            entry.contains("<w:altName") && entry.contains(alt),
            "{entry}"
        );
        assert!(entry.contains(r#"<w:charset w:val="86" />"#), "{entry}");
    }
}

#[test]
fn every_run_style_and_the_defaults_are_in_chinese_zh_cn() {
    let (_, docx) = taiping(Script::Simplified);
    assert_language_everywhere(&docx, "zh-CN");
}

#[test]
fn traditional_drafts_are_in_zh_tw_or_zh_hk() {
    for (script, tag) in [
        (Script::Taiwan, "zh-TW"),
        (Script::HongKong, "zh-HK"),
        (Script::Traditional, "zh-TW"),
    ] {
        let (mut speech, _) = draft();
        speechgen::render::script::convert(&mut speech, script).unwrap();
        assert_eq!(docx::language(script), tag);
        let bytes = docx::render_with(&speech, docx::language(script)).unwrap();
        assert_language_everywhere(&bytes, tag);
        for name in ["word/document.xml", "word/styles.xml", "word/settings.xml"] {
            assert!(!part(&bytes, name).contains("zh-CN"), "{script:?}: {name}");
        }
    }
    // The plain entry point is for Simplified drafts.
    let (speech, _) = draft();
    assert_eq!(
        docx::render(&speech).unwrap(),
        docx::render_with(&speech, "zh-CN").unwrap()
    );
}

#[test]
fn every_named_style_exists_and_is_referenced() {
    let docx = docx::render(&full_draft()).unwrap();
    let styles = part(&docx, "word/styles.xml");
    let paragraph_styles = [
        ("SpeechBody", "讲话正文"),
        ("SpeechTitle", "讲话标题"),
        ("SpeechSubtitle", "讲话副标题"),
        ("SpeechByline", "讲话署名"),
        ("SpeechSalutation", "讲话称谓"),
        ("SpeechHeading1", "讲话一级标题"),
        ("SpeechPageNumberOdd", "讲话页码（单页）"),
        ("SpeechPageNumberEven", "讲话页码（双页）"),
    ];
    let character_styles = [
        ("SpeechPointLead", "讲话二级标题"),
        ("SpeechSubpointLead", "讲话三级标题"),
    ];
    let document = part(&docx, "word/document.xml");
    let footers = part(&docx, "word/footer1.xml") + &part(&docx, "word/footer2.xml");
    for (id, name) in paragraph_styles {
        let s = style(&styles, id);
        assert!(s.starts_with(&format!(r#"w:styleId="{id}""#)), "{s}");
        assert!(styles.contains(&format!(r#"<w:style w:type="paragraph" w:styleId="{id}">"#)));
        assert!(s.contains(&format!(r#"<w:name w:val="{name}" />"#)), "{s}");
        let reference = format!(r#"<w:pStyle w:val="{id}" />"#);
        assert!(
            document.contains(&reference) || footers.contains(&reference),
            "{id} is not used"
        );
    }
    for (id, name) in character_styles {
        assert!(styles.contains(&format!(r#"<w:style w:type="character" w:styleId="{id}">"#)));
        let s = style(&styles, id);
        assert!(s.contains(&format!(r#"<w:name w:val="{name}" />"#)), "{s}");
        assert!(
            !s.contains("<w:pPr"),
            "a character style with paragraph properties: {s}"
        );
        assert!(
            document.contains(&format!(r#"<w:rStyle w:val="{id}" />"#)),
            "{id} is not used"
        );
    }
    // Styles build on the body (and the page numbers on their own base).
    for id in [
        "SpeechTitle",
        "SpeechSubtitle",
        "SpeechByline",
        "SpeechSalutation",
        "SpeechHeading1",
    ] {
        assert!(
            style(&styles, id).contains(r#"<w:basedOn w:val="SpeechBody" />"#),
            "{id}"
        );
    }
    for id in ["SpeechPageNumberOdd", "SpeechPageNumberEven"] {
        assert!(
            style(&styles, id).contains(r#"<w:basedOn w:val="SpeechPageNumber" />"#),
            "{id}"
        );
    }
}

#[test]
fn paragraphs_and_runs_carry_no_direct_formatting() {
    let docx = docx::render(&full_draft()).unwrap();
    for name in ["word/document.xml", "word/footer1.xml", "word/footer2.xml"] {
        let xml = part(&docx, name);
        let paragraphs = elements(&xml, "<w:p ", "</w:p>");
        assert!(!paragraphs.is_empty());
        for p in paragraphs {
            let ppr = elements(p, "<w:pPr>", "</w:pPr>");
            assert_eq!(ppr.len(), 1, "{p}");
            // A style, then the paragraph mark's language: nothing else.
            let rest = ppr[0]
                .strip_prefix("<w:pPr><w:pStyle w:val=\"")
                .unwrap_or_else(|| panic!("{name}: no style first: {p}"));
            let rest = &rest[rest.find("\" />").unwrap() + 4..];
            assert_eq!(
                rest,
                format!("<w:rPr>{}</w:rPr></w:pPr>", lang("zh-CN")),
                "{p}"
            );
        }
        for run in elements(&xml, "<w:r>", "</w:r>") {
            let rpr = &run[..run.find("</w:rPr>").unwrap()];
            let rpr = rpr.strip_prefix("<w:r><w:rPr>").unwrap();
            let rpr = match rpr.strip_prefix("<w:rStyle w:val=\"") {
                Some(rest) => &rest[rest.find("\" />").unwrap() + 4..],
                None => rpr,
            };
            assert_eq!(rpr, lang("zh-CN"), "{name}: {run}");
        }
    }
}

#[test]
fn title_and_every_heading_are_separate_paragraphs() {
    let (speech, docx) = taiping(Script::Simplified);
    let paragraphs = paragraphs(&docx);
    assert_eq!(paragraphs[0].0, "SpeechTitle");
    // The title: one paragraph, or two when it has a —— subtitle.
    let title_paragraphs = if paragraphs[1].0 == "SpeechSubtitle" {
        2
    } else {
        1
    };
    let title: String = paragraphs[..title_paragraphs]
        .iter()
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(title, speech.title.text);
    assert_eq!(
        paragraphs[title_paragraphs],
        ("SpeechSalutation".to_string(), "同志们：".to_string())
    );
    let headings: Vec<&str> = paragraphs
        .iter()
        .filter(|(style, _)| style == "SpeechHeading1")
        .map(|(_, text)| text.as_str())
        .collect();
    let expected: Vec<String> = speech
        .sections
        .iter()
        .map(|s| format!("{}{}", s.label, s.heading.text))
        .collect();
    assert_eq!(headings, expected);
    assert!((3..=5).contains(&headings.len()), "{headings:?}");
    // Every level-2 point opens its own paragraph with its lead.
    for point in speech.sections.iter().flat_map(|s| &s.points) {
        let lead = format!("{}{}", point.label, point.lead.text);
        assert!(
            paragraphs.iter().any(|(_, text)| text.starts_with(&lead)),
            "{lead}"
        );
    }
    // Nothing lost: the paragraphs are the text format's lines (the title's joined).
    let text = speechgen::render::text(&speech);
    let lines: Vec<&str> = text.lines().collect();
    let mut texts: Vec<&str> = vec![title.as_str()];
    texts.extend(
        paragraphs[title_paragraphs..]
            .iter()
            .map(|(_, t)| t.as_str()),
    );
    assert_eq!(texts, lines);
}

#[test]
fn a_subtitle_is_its_own_paragraph_after_the_title() {
    let docx = docx::render(&full_draft()).unwrap();
    let paragraphs = paragraphs(&docx);
    let styles: Vec<&str> = paragraphs[..4].iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        styles,
        [
            "SpeechTitle",
            "SpeechSubtitle",
            "SpeechByline",
            "SpeechSalutation"
        ]
    );
    assert_eq!(paragraphs[0].1, "扎实做好新形势下的群众工作");
    assert_eq!(paragraphs[1].1, "——在太平镇群众工作会议上的讲话");
    let styles = part(&docx, "word/styles.xml");
    let subtitle = style(&styles, "SpeechSubtitle");
    assert!(
        subtitle.contains(r#"<w:jc w:val="center" />"#),
        "{subtitle}"
    );
    assert!(
        subtitle.contains(r#"w:eastAsia="楷体_GB2312""#),
        "{subtitle}"
    );
    // 3号: the body's size, not the title's.
    assert!(!subtitle.contains("<w:sz "), "{subtitle}");
    // The title block is kept together and with 同志们：.
    for id in [
        "SpeechTitle",
        "SpeechSubtitle",
        "SpeechByline",
        "SpeechSalutation",
        "SpeechHeading1",
    ] {
        assert!(style(&styles, id).contains("<w:keepNext />"), "{id}");
    }
}

#[test]
fn a_long_title_is_broken_with_a_line_break_at_a_meaningful_place() {
    let (mut speech, _) = draft();
    speech.title = Text::plain("在新疆生产建设兵团第十四师昆玉市老兵镇群众工作会议上的讲话");
    let docx = docx::render(&speech).unwrap();
    let document = part(&docx, "word/document.xml");
    let title = elements(&document, "<w:p ", "</w:p>")[0];
    assert!(
        title.contains(r#"<w:pStyle w:val="SpeechTitle" />"#),
        "{title}"
    );
    assert!(
        title.contains(
            r#"<w:t xml:space="preserve">在新疆生产建设兵团第十四师昆玉市老兵镇</w:t><w:br w:type="textWrapping" /><w:t xml:space="preserve">群众工作会议上的讲话</w:t>"#
        ),
        "{title}"
    );
    // A title that fits stays one line.
    let (speech, _) = draft();
    let docx = docx::render(&speech).unwrap();
    let document = part(&docx, "word/document.xml");
    let title = elements(&document, "<w:p ", "</w:p>")[0];
    assert!(!title.contains("<w:br"), "{title}");
}

#[test]
fn leads_are_character_styles_and_headings_keep_with_the_next_paragraph() {
    let (speech, docx) = taiping(Script::Simplified);
    let document = part(&docx, "word/document.xml");
    let points: usize = speech.sections.iter().map(|s| s.points.len()).sum();
    let subpoints: usize = speech
        .sections
        .iter()
        .flat_map(|s| &s.points)
        .map(|p| p.subpoints.len())
        .sum();
    assert!(points >= 10);
    assert!(subpoints >= 1);
    assert_eq!(
        document
            .matches(r#"<w:rStyle w:val="SpeechPointLead" />"#)
            .count(),
        points,
        "one 楷体 lead run per level-2 point"
    );
    assert_eq!(
        document
            .matches(r#"<w:rStyle w:val="SpeechSubpointLead" />"#)
            .count(),
        subpoints
    );
    // Each lead run holds the label and the lead sentence.
    for point in speech.sections.iter().flat_map(|s| &s.points) {
        let run = format!(
            r#"<w:rStyle w:val="SpeechPointLead" />{}</w:rPr><w:t xml:space="preserve">{}{}</w:t>"#,
            lang("zh-CN"),
            point.label,
            point.lead.text
        );
        assert!(document.contains(&run), "{run}");
    }
    let styles = part(&docx, "word/styles.xml");
    assert!(style(&styles, "SpeechPointLead").contains(r#"w:eastAsia="楷体_GB2312""#));
    for id in ["SpeechTitle", "SpeechHeading1"] {
        assert!(style(&styles, id).contains("<w:keepNext />"), "{id}");
    }
}

#[test]
fn odd_and_even_pages_have_their_own_footers() {
    let (_, docx) = taiping(Script::Simplified);
    let settings = part(&docx, "word/settings.xml");
    assert!(settings.contains("<w:evenAndOddHeaders />"), "{settings}");
    let document = part(&docx, "word/document.xml");
    let section = elements(&document, "<w:sectPr>", "</w:sectPr>")[0];
    // Both references, first in the section properties (schema order).
    assert!(
        section.starts_with(r#"<w:sectPr><w:footerReference w:type="default" r:id="#),
        "{section}"
    );
    assert_eq!(
        section.matches("<w:footerReference ").count(),
        2,
        "{section}"
    );
    let odd = footer_part(&docx, "default");
    let even = footer_part(&docx, "even");
    assert_ne!(odd, even);
    assert!(
        odd.contains(r#"<w:pStyle w:val="SpeechPageNumberOdd" />"#),
        "{odd}"
    );
    assert!(
        even.contains(r#"<w:pStyle w:val="SpeechPageNumberEven" />"#),
        "{even}"
    );
    let styles = part(&docx, "word/styles.xml");
    // Odd pages: right, one 4号 character (14 pt = 280 twips) in from the right edge.
    let odd_style = style(&styles, "SpeechPageNumberOdd");
    assert!(
        odd_style.contains(r#"<w:jc w:val="right" />"#),
        "{odd_style}"
    );
    assert!(
        odd_style.contains(r#"<w:ind w:left="0" w:right="280" />"#),
        "{odd_style}"
    );
    // Even pages: left, one character in from the left edge.
    let even_style = style(&styles, "SpeechPageNumberEven");
    assert!(
        even_style.contains(r#"<w:jc w:val="left" />"#),
        "{even_style}"
    );
    assert!(
        even_style.contains(r#"<w:ind w:left="280" w:right="0" />"#),
        "{even_style}"
    );
}

#[test]
fn footers_print_the_page_number_between_dashes() {
    let (_, docx) = taiping(Script::Simplified);
    for kind in ["default", "even"] {
        let footer = footer_part(&docx, kind);
        let dash = footer.find(">— <").expect("an opening dash");
        let begin = footer.find(r#"<w:fldChar w:fldCharType="begin""#).unwrap();
        let field = footer.find("<w:instrText>PAGE</w:instrText>").unwrap();
        let end = footer.find(r#"<w:fldChar w:fldCharType="end""#).unwrap();
        let closing = footer.find("> —<").expect("a closing dash");
        assert!(
            dash < begin && begin < field && field < end && end < closing,
            "{footer}"
        );
    }
}

#[test]
fn the_same_draft_gives_the_same_bytes() {
    let first = taiping(Script::Simplified).1;
    assert_eq!(first, taiping(Script::Simplified).1);
    // No clock in the archive: every entry has the zip format's fixed 1980 date.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&first)).unwrap();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        let time = entry.last_modified().expect("a modification time");
        assert_eq!(
            (time.year(), time.month(), time.day()),
            (1980, 1, 1),
            "{}",
            entry.name()
        );
    }
}

#[test]
fn a_traditional_word_file_is_traditional_throughout() {
    let (speech, docx) = taiping(Script::Taiwan);
    let paragraphs = paragraphs(&docx);
    assert!(speech.title.text.starts_with(&paragraphs[0].1));
    let simplified = taiping(Script::Simplified).0.title.text;
    assert_ne!(speech.title.text, simplified);
    let all: String = paragraphs.iter().map(|(_, t)| t.as_str()).collect();
    for simplified in ['们', '这', '发', '会', '镇', '众'] {
        assert!(!all.contains(simplified), "{simplified} left in the file");
    }
    // Through render::render, as the CLI writes it: Taiwan forms are tagged zh-TW.
    assert_language_everywhere(&docx, "zh-TW");
}

#[test]
fn the_speaker_line_comes_under_the_title() {
    let (speech, docx) = taiping_with(Presentation {
        byline: BylineRequest {
            speaker: Some("李明".into()),
            date: Some("2026-11-25".into()),
            placeholders: false,
        },
        ..Presentation::default()
    });
    let paragraphs = paragraphs(&docx);
    let at = paragraphs
        .iter()
        .position(|(style, _)| style == "SpeechByline")
        .expect("a speaker line");
    assert_eq!(paragraphs[at].1, speech.byline.unwrap().text);
    assert_eq!(paragraphs[at + 1].0, "SpeechSalutation");
    assert!(
        paragraphs[..at]
            .iter()
            .all(|(s, _)| s.starts_with("SpeechTitle") || s == "SpeechSubtitle")
    );
}
