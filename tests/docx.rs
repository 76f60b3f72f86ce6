//! The Word file, opened the way another program would: as a zip of XML parts, and with
//! docx-rs's reader. (A look at the printed pages needs LibreOffice: see
//! examples/docx-preview.sh; CI does not have it.)

use std::io::Read;

use speechgen::draft::generate::{Options, generate};
use speechgen::draft::speech::Speech;
use speechgen::pack::Pack;
use speechgen::place::locality::Locality;
use speechgen::render::Format;
use speechgen::render::script::Script;
use speechgen::render::{self, Presentation};

fn taiping(script: Script) -> (Speech, Vec<u8>) {
    let pack = Pack::default_pack().unwrap();
    let loc = Locality::from_name("太平镇").unwrap();
    let options = Options {
        seed: 1,
        ..Options::default()
    };
    let speech = generate(pack, &loc, &options).unwrap();
    let presentation = Presentation {
        script,
        ..Presentation::default()
    };
    // The tree as rendered (converted), to compare the file against.
    let mut converted = speech.clone();
    speechgen::render::script::convert(&mut converted, script).unwrap();
    let bytes = render::render(speech, Format::Docx, &presentation, &pack.id, 1, &loc).unwrap();
    (converted, bytes)
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
    assert!(styles.contains(r#"<w:spacing w:line="578" w:lineRule="exact" />"#));
    // Two-character first-line indent, justified.
    assert!(styles.contains(r#"w:firstLine="630""#));
    assert!(styles.contains(r#"<w:jc w:val="both" />"#));
}

#[test]
fn fonts_are_the_official_faces_with_declared_fallbacks() {
    let (_, docx) = taiping(Script::Simplified);
    let styles = part(&docx, "word/styles.xml");
    for face in ["方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"] {
        let east_asia = format!(r#"w:eastAsia="{face}""#);
        let in_styles = styles.contains(&east_asia);
        let in_document = part(&docx, "word/document.xml").contains(&east_asia);
        assert!(in_styles || in_document, "no run or style uses {face}");
    }
    // Title 22 pt, body 16 pt (half-points).
    assert!(styles.contains(r#"<w:sz w:val="44" />"#));
    assert!(styles.contains(r#"<w:sz w:val="32" />"#));
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
fn title_and_every_heading_are_separate_paragraphs() {
    let (speech, docx) = taiping(Script::Simplified);
    let paragraphs = paragraphs(&docx);
    assert_eq!(
        paragraphs[0],
        ("SpeechTitle".to_string(), speech.title.text.clone())
    );
    assert_eq!(paragraphs[1].1, "同志们：");
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
    assert_eq!(headings.len(), 5);
    // Every level-2 point opens its own paragraph with its lead.
    for point in speech.sections.iter().flat_map(|s| &s.points) {
        let lead = format!("{}{}", point.label, point.lead.text);
        assert!(
            paragraphs.iter().any(|(_, text)| text.starts_with(&lead)),
            "{lead}"
        );
    }
    // Nothing lost: the paragraphs are the text format's lines.
    let text = speechgen::render::text(&speech);
    let lines: Vec<&str> = text.lines().collect();
    let texts: Vec<&str> = paragraphs.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(texts, lines);
}

#[test]
fn leads_are_kaiti_and_headings_keep_with_the_next_paragraph() {
    let (speech, docx) = taiping(Script::Simplified);
    let document = part(&docx, "word/document.xml");
    let kaiti_runs = document.matches(r#"w:eastAsia="楷体_GB2312""#).count();
    let points: usize = speech.sections.iter().map(|s| s.points.len()).sum();
    assert!(points >= 10);
    assert_eq!(kaiti_runs, points, "one 楷体 run per level-2 point");
    let styles = part(&docx, "word/styles.xml");
    for style in ["SpeechTitle", "SpeechHeading1"] {
        let start = styles.find(&format!(r#"w:styleId="{style}""#)).unwrap();
        let body = &styles[start..start + styles[start..].find("</w:style>").unwrap()];
        assert!(body.contains("<w:keepNext />"), "{style}: {body}");
    }
}

#[test]
fn footer_prints_the_page_number_between_dashes() {
    let (_, docx) = taiping(Script::Simplified);
    let footer = part(&docx, "word/footer1.xml");
    assert!(footer.contains(r#"<w:jc w:val="center" />"#));
    assert!(footer.contains("<w:instrText>PAGE</w:instrText>"));
    let dash = footer.find(">— <").unwrap();
    let field = footer.find("PAGE").unwrap();
    let closing = footer.find("> —<").unwrap();
    assert!(dash < field && field < closing);
}

#[test]
fn the_same_draft_gives_the_same_bytes() {
    assert_eq!(taiping(Script::Simplified).1, taiping(Script::Simplified).1);
}

#[test]
fn a_traditional_word_file_is_traditional_throughout() {
    let (speech, docx) = taiping(Script::Taiwan);
    let paragraphs = paragraphs(&docx);
    assert_eq!(paragraphs[0].1, speech.title.text);
    let simplified = taiping(Script::Simplified).0.title.text;
    assert_ne!(paragraphs[0].1, simplified);
    let all: String = paragraphs.iter().map(|(_, t)| t.as_str()).collect();
    for simplified in ['们', '这', '发', '会', '镇', '众'] {
        assert!(!all.contains(simplified), "{simplified} left in the file");
    }
}
