//! Reading source speeches as they really come, before `clean`:
//!
//! - Word `.docx` files: the paragraphs of the body in reading order (tables and text boxes
//!   included, deleted revisions and field codes left out), with Word's *automatic*
//!   numbering written out as text (`一、`, `（一）`, `1.`), because a speech numbered by
//!   Word's list feature carries no numbering in its text and its outline would be lost.
//!   Headers, footers and footnotes live in other parts of the file and are not read, so
//!   running headers and page numbers never reach the text.
//! - text files in UTF-8, GB18030/GBK or UTF-16 ([`crate::base::files::decode`]);
//! - old `.doc` and `.pdf` files are refused with a message saying how to convert them.
//!
//! It also recognises the placeholders that template speeches leave for names, places and
//! dates (`XX镇`, `×××同志`, `*县长`, `__月__日`), which `clean` keeps and `decompose` turns
//! into slots.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use crate::base::error::{Error, Result};
use crate::ingest::clean::{self, CleanReport};

/// Largest XML part read from a .docx (a speech is a few hundred kilobytes; this stops a
/// zip bomb from exhausting memory).
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// A source document read into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub text: String,
    /// How the bytes were read: `UTF-8`, `GB18030`, `UTF-16LE`, `Word .docx` …
    pub format: &'static str,
}

/// Reads a file (`-` = standard input) into text: .docx by content (a zip holding
/// `word/document.xml`), anything else as text in the encodings `clean` knows.
pub fn read_document(path: &str) -> Result<Document> {
    let bytes = crate::base::files::read_input(path)?;
    document_from_bytes(path, &bytes)
}

/// [`read_document`] on bytes already read; `name` is used in messages.
pub fn document_from_bytes(name: &str, bytes: &[u8]) -> Result<Document> {
    if bytes.is_empty() {
        return Err(Error::new(format!(
            "{name}: the input is empty; give the speech as a .txt or .docx file."
        )));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let paragraphs = docx_paragraphs(name, bytes)?;
        let mut text = paragraphs.join("\n");
        text.push('\n');
        return Ok(Document {
            text,
            format: "Word .docx",
        });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::new(format!(
            "{name}: this is an old Word 97–2003 (.doc) or other OLE file, which speechgen cannot \
             read. Open it in Word or WPS and save it as .docx (or as plain text), then try again."
        )));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(Error::new(format!(
            "{name}: this is a PDF file. Open it, select all the text, copy it into a .txt file \
             and give that file: clean rejoins the broken lines and removes page numbers and \
             running headers."
        )));
    }
    let (text, format) = crate::base::files::decode(bytes);
    Ok(Document { text, format })
}

/// Reads and cleans a document: what `speechgen clean`, `outline` and `decompose` start from.
pub fn clean_document(name: &str, bytes: &[u8]) -> Result<CleanReport> {
    let document = document_from_bytes(name, bytes)?;
    let mut report = clean::clean_text(&document.text);
    report.encoding = document.format;
    Ok(report)
}

// ---------------------------------------------------------------------------------------
// .docx
// ---------------------------------------------------------------------------------------

fn docx_error(name: &str, what: impl std::fmt::Display) -> Error {
    Error::new(format!(
        "{name}: cannot read this Word file ({what}). Open it in Word or WPS and save it again \
         as .docx, or save it as plain text (.txt) and give that file."
    ))
}

fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    part: &str,
) -> Result<Option<String>> {
    let mut file = match archive.by_name(part) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(docx_error(name, format!("{part}: {e}"))),
    };
    if file.size() > MAX_PART_BYTES {
        return Err(docx_error(
            name,
            format!("{part} is larger than {} MB", MAX_PART_BYTES / 1024 / 1024),
        ));
    }
    let mut text = String::new();
    file.by_ref()
        .take(MAX_PART_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| docx_error(name, format!("{part}: {e}")))?;
    Ok(Some(text))
}

/// The paragraphs of a .docx body, in reading order, with automatic numbering written out.
/// Empty paragraphs are dropped; a manual line break inside a paragraph starts a new line.
pub fn docx_paragraphs(name: &str, bytes: &[u8]) -> Result<Vec<String>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| docx_error(name, format!("not a valid zip archive: {e}")))?;
    let document = read_part(&mut archive, name, "word/document.xml")?.ok_or_else(|| {
        Error::new(format!(
            "{name}: this zip file has no word/document.xml, so it is not a Word document \
             (an Excel or PowerPoint file?). Give the speech as .docx or .txt."
        ))
    })?;
    let numbering = match read_part(&mut archive, name, "word/numbering.xml")? {
        Some(xml) => parse_numbering(&xml).map_err(|e| docx_error(name, e))?,
        None => Numbering::default(),
    };
    let styles = match read_part(&mut archive, name, "word/styles.xml")? {
        Some(xml) => parse_style_numbering(&xml).map_err(|e| docx_error(name, e))?,
        None => HashMap::new(),
    };
    parse_document(&document, &numbering, &styles).map_err(|e| docx_error(name, e))
}

/// One level of a Word list definition.
#[derive(Debug, Clone, Default)]
struct LevelDef {
    start: u32,
    format: String,
    text: String,
}

/// word/numbering.xml: list instances (`w:num`) → abstract definitions → levels.
#[derive(Debug, Clone, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u8, LevelDef>>,
    /// numId → (abstractNumId, start overrides by level)
    instances: HashMap<String, (String, HashMap<u8, u32>)>,
}

impl Numbering {
    fn level(&self, num_id: &str, ilvl: u8) -> Option<LevelDef> {
        let (abstract_id, overrides) = self.instances.get(num_id)?;
        let mut def = self.abstracts.get(abstract_id)?.get(&ilvl)?.clone();
        if let Some(start) = overrides.get(&ilvl) {
            def.start = *start;
        }
        Some(def)
    }
}

/// The `w:val` (or any `*:val`) attribute of an element.
fn val(e: &BytesStart) -> Option<String> {
    attr(e, b"val")
}

fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

fn parse_numbering(xml: &str) -> std::result::Result<Numbering, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut numbering = Numbering::default();
    let mut abstract_id: Option<String> = None;
    let mut level: Option<(u8, LevelDef)> = None;
    let mut num: Option<(String, String, HashMap<u8, u32>)> = None;
    let mut override_level: Option<u8> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("numbering.xml: {e}"))?;
        let (e, is_empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    b"abstractNum" => abstract_id = None,
                    b"lvl" => {
                        if let (Some(id), Some((ilvl, def))) = (&abstract_id, level.take()) {
                            numbering
                                .abstracts
                                .entry(id.clone())
                                .or_default()
                                .insert(ilvl, def);
                        }
                    }
                    b"num" => {
                        if let Some((num_id, abs, overrides)) = num.take() {
                            numbering.instances.insert(num_id, (abs, overrides));
                        }
                    }
                    b"lvlOverride" => override_level = None,
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            b"abstractNum" if !is_empty => abstract_id = attr(e, b"abstractNumId"),
            b"lvl" if abstract_id.is_some() && !is_empty => {
                let ilvl = attr(e, b"ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                level = Some((
                    ilvl,
                    LevelDef {
                        start: 1,
                        format: "decimal".into(),
                        text: String::new(),
                    },
                ));
            }
            b"start" => {
                if let (Some((_, def)), Some(v)) = (&mut level, val(e)) {
                    def.start = v.parse().unwrap_or(1);
                }
            }
            b"numFmt" => {
                if let (Some((_, def)), Some(v)) = (&mut level, val(e)) {
                    def.format = v;
                }
            }
            b"lvlText" => {
                if let (Some((_, def)), Some(v)) = (&mut level, val(e)) {
                    def.text = v;
                }
            }
            b"num" if !is_empty => {
                num = attr(e, b"numId").map(|id| (id, String::new(), HashMap::new()));
            }
            b"abstractNumId" => {
                if let (Some((_, abs, _)), Some(v)) = (&mut num, val(e)) {
                    *abs = v;
                }
            }
            b"lvlOverride" if !is_empty => {
                override_level = attr(e, b"ilvl").and_then(|v| v.parse().ok());
            }
            b"startOverride" => {
                if let (Some((_, _, overrides)), Some(ilvl), Some(v)) =
                    (&mut num, override_level, val(e))
                {
                    overrides.insert(ilvl, v.parse().unwrap_or(1));
                }
            }
            _ => {}
        }
    }
    Ok(numbering)
}

/// Paragraph styles that carry numbering themselves (Word's outline-numbered headings):
/// styleId → (numId, ilvl), following `basedOn` one step at a time.
fn parse_style_numbering(xml: &str) -> std::result::Result<HashMap<String, (String, u8)>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut own: HashMap<String, (Option<String>, Option<u8>)> = HashMap::new();
    let mut based_on: HashMap<String, String> = HashMap::new();
    let mut style: Option<String> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("styles.xml: {e}"))?;
        let e = match &event {
            Event::Start(e) | Event::Empty(e) => e,
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                style = None;
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            b"style" => style = attr(e, b"styleId"),
            b"basedOn" => {
                if let (Some(s), Some(v)) = (&style, val(e)) {
                    based_on.insert(s.clone(), v);
                }
            }
            b"numId" => {
                if let (Some(s), Some(v)) = (&style, val(e)) {
                    own.entry(s.clone()).or_default().0 = Some(v);
                }
            }
            b"ilvl" => {
                if let (Some(s), Some(v)) = (&style, val(e)) {
                    own.entry(s.clone()).or_default().1 = v.parse().ok();
                }
            }
            _ => {}
        }
    }
    let mut resolved = HashMap::new();
    let ids: Vec<String> = own.keys().chain(based_on.keys()).cloned().collect();
    for id in ids {
        let (mut num, mut lvl) = (None, None);
        let mut cur = Some(id.clone());
        // Follow basedOn (bounded: a style chain is short, a cycle must not hang).
        for _ in 0..16 {
            let Some(c) = cur else { break };
            if let Some((n, l)) = own.get(&c) {
                num = num.or_else(|| n.clone());
                lvl = lvl.or(*l);
            }
            cur = based_on.get(&c).cloned();
        }
        if let Some(n) = num {
            resolved.insert(id, (n, lvl.unwrap_or(0)));
        }
    }
    Ok(resolved)
}

/// Counters of the lists met so far, to write out automatic numbers as Word shows them.
#[derive(Default)]
struct ListCounters {
    /// numId → current value of each level (None: not started since the parent moved).
    values: HashMap<String, [Option<u32>; 9]>,
}

impl ListCounters {
    fn label(&mut self, numbering: &Numbering, num_id: &str, ilvl: u8) -> String {
        let ilvl = ilvl.min(8);
        let Some(def) = numbering.level(num_id, ilvl) else {
            return String::new();
        };
        let values = self.values.entry(num_id.to_string()).or_default();
        let i = usize::from(ilvl);
        values[i] = Some(values[i].map_or(def.start, |v| v + 1));
        for deeper in values.iter_mut().skip(i + 1) {
            *deeper = None;
        }
        if matches!(def.format.as_str(), "bullet" | "none") {
            return String::new();
        }
        let mut label = def.text.clone();
        for level in 0..=ilvl {
            let placeholder = format!("%{}", level + 1);
            if !label.contains(&placeholder) {
                continue;
            }
            let format = numbering
                .level(num_id, level)
                .map_or_else(|| "decimal".to_string(), |d| d.format);
            let start = numbering.level(num_id, level).map_or(1, |d| d.start);
            let value = values[usize::from(level)].unwrap_or(start);
            label = label.replace(&placeholder, &format_number(value, &format));
        }
        label
    }
}

/// A list number in one of Word's number formats (the ones Chinese documents use, and the
/// common Western ones; anything else falls back to Arabic digits).
fn format_number(n: u32, format: &str) -> String {
    const TIANGAN: [&str; 10] = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"];
    const MAX_LETTER_ITEM: u32 = 26 * 4;
    const DAXIE: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "ideographDigital" => crate::base::numerals::cn(i64::from(n)),
        "chineseLegalSimplified" if n < 10 => DAXIE[n as usize].to_string(),
        "ideographTraditional" if (1..=10).contains(&n) => TIANGAN[n as usize - 1].to_string(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "decimalZero" => format!("{n:02}"),
        // A real list ends long before a letter label is long (aaaa… at 4294967295 would
        // be 165 million letters): beyond 26 × 4 items, or Roman beyond 3999, write digits.
        "lowerLetter" | "upperLetter" | "lowerRoman" | "upperRoman"
            if n > MAX_LETTER_ITEM && !format.ends_with("Roman") || n > 3999 =>
        {
            n.to_string()
        }
        "lowerLetter" | "upperLetter" if n >= 1 => {
            let base = if format == "lowerLetter" { b'a' } else { b'A' };
            let letter = char::from(base + ((n - 1) % 26) as u8);
            letter.to_string().repeat(((n - 1) / 26 + 1) as usize)
        }
        "lowerRoman" | "upperRoman" => {
            let roman = roman(n);
            if format == "lowerRoman" {
                roman.to_lowercase()
            } else {
                roman
            }
        }
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// A paragraph being read: its text and numbering.
#[derive(Default)]
struct OpenParagraph {
    text: String,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

fn parse_document(
    xml: &str,
    numbering: &Numbering,
    styles: &HashMap<String, (String, u8)>,
) -> std::result::Result<Vec<String>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<String> = Vec::new();
    // Paragraphs nest (a text box inside a paragraph): a stack.
    let mut open: Vec<OpenParagraph> = Vec::new();
    let mut in_text = false;
    // Depth inside an element whose content must not be read (mc:Fallback duplicates the
    // mc:Choice content; w:del holds deleted text).
    let mut skip_depth = 0usize;
    let mut counters = ListCounters::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("word/document.xml: {e}"))?;
        match &event {
            Event::Start(e) => {
                let local = e.local_name();
                if skip_depth > 0 {
                    skip_depth += 1;
                    continue;
                }
                match local.as_ref() {
                    b"Fallback" | b"del" | b"moveFrom" => skip_depth = 1,
                    b"p" => open.push(OpenParagraph::default()),
                    b"t" => in_text = true,
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip_depth > 0 {
                    continue;
                }
                let Some(p) = open.last_mut() else { continue };
                match e.local_name().as_ref() {
                    b"tab" if !p.text.is_empty() => p.text.push(' '),
                    b"br" | b"cr" => p.text.push('\n'),
                    b"pStyle" => p.style = val(e),
                    b"numId" => p.num_id = val(e),
                    b"ilvl" => p.ilvl = val(e).and_then(|v| v.parse().ok()),
                    _ => {}
                }
            }
            Event::Text(t) if in_text && skip_depth == 0 => {
                if let Some(p) = open.last_mut() {
                    let text = t.xml10_content().map_err(|e| e.to_string())?;
                    p.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) if in_text && skip_depth == 0 => {
                if let Some(p) = open.last_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        p.text.push(c);
                    } else if let Ok(name) = r.decode()
                        && let Some(s) = quick_xml::escape::resolve_predefined_entity(&name)
                    {
                        p.text.push_str(s);
                    }
                }
            }
            Event::End(e) => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    b"t" => in_text = false,
                    b"p" => {
                        let Some(p) = open.pop() else { continue };
                        let (num_id, ilvl) = match (&p.num_id, &p.style) {
                            (Some(n), _) => (Some(n.clone()), p.ilvl.unwrap_or(0)),
                            (None, Some(s)) => match styles.get(s) {
                                Some((n, l)) => (Some(n.clone()), p.ilvl.unwrap_or(*l)),
                                None => (None, 0),
                            },
                            (None, None) => (None, 0),
                        };
                        if p.text.trim().is_empty() {
                            continue;
                        }
                        let label = match num_id {
                            Some(n) if n != "0" => counters.label(numbering, &n, ilvl),
                            _ => String::new(),
                        };
                        for (k, line) in p.text.split('\n').enumerate() {
                            if line.trim().is_empty() {
                                continue;
                            }
                            if k == 0 {
                                out.push(format!("{label}{line}"));
                            } else {
                                out.push(line.to_string());
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_labels_stay_short_whatever_the_start() {
        assert_eq!(super::format_number(3, "lowerLetter"), "c");
        assert_eq!(super::format_number(27, "upperLetter"), "AA");
        assert_eq!(
            super::format_number(4_294_967_295, "lowerLetter"),
            "4294967295"
        );
        assert_eq!(
            super::format_number(4_294_967_295, "upperRoman"),
            "4294967295"
        );
        assert_eq!(super::format_number(12, "lowerRoman"), "xii");
    }

    use super::*;
    use std::io::Write;

    /// A minimal .docx: the parts Word needs to open it, with the given body XML and
    /// optional numbering part.
    fn docx(body: &str, numbering: Option<&str>) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
        let mut parts = vec![
            (
                "[Content_Types].xml".to_string(),
                r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
            ),
            (
                "word/document.xml".to_string(),
                format!(r#"<?xml version="1.0"?><w:document {w}><w:body>{body}</w:body></w:document>"#),
            ),
        ];
        if let Some(n) = numbering {
            parts.push((
                "word/numbering.xml".into(),
                format!(r#"<?xml version="1.0"?><w:numbering {w}>{n}</w:numbering>"#),
            ));
        }
        for (name, content) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn para(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn docx_paragraphs_in_order() {
        let body = format!(
            "{}{}<w:p><w:r><w:t xml:space=\"preserve\">今天召开会议，</w:t></w:r><w:r><w:t>研究安全生产&amp;防汛工作。</w:t></w:r></w:p>\
             <w:p/><w:p><w:del><w:r><w:delText>删掉的字</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>一、压实责任</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
            para("在全镇安全生产工作会议上的讲话"),
            para("同志们："),
            para("表格里的字"),
        );
        let paragraphs = docx_paragraphs("t.docx", &docx(&body, None)).unwrap();
        assert_eq!(
            paragraphs,
            [
                "在全镇安全生产工作会议上的讲话",
                "同志们：",
                "今天召开会议，研究安全生产&防汛工作。",
                "一、压实责任",
                "表格里的字"
            ]
        );
    }

    #[test]
    fn docx_automatic_numbering_is_written_out() {
        let numbering = r#"<w:abstractNum w:abstractNumId="3">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
              <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
            </w:abstractNum>
            <w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num>"#;
        let numbered = |lvl: u8, text: &str| {
            format!(
                "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"7\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
            )
        };
        let body = [
            numbered(0, "提高认识"),
            numbered(1, "统一思想"),
            numbered(2, "学习文件。"),
            numbered(2, "开展讨论。"),
            numbered(1, "压实责任"),
            numbered(2, "签订责任书。"),
            numbered(0, "强化措施"),
            numbered(1, "排查隐患"),
        ]
        .concat();
        let paragraphs = docx_paragraphs("n.docx", &docx(&body, Some(numbering))).unwrap();
        assert_eq!(
            paragraphs,
            [
                "一、提高认识",
                "（一）统一思想",
                "1.学习文件。",
                "2.开展讨论。",
                "（二）压实责任",
                "1.签订责任书。",
                "二、强化措施",
                "（一）排查隐患"
            ]
        );
    }

    #[test]
    fn number_formats() {
        assert_eq!(format_number(12, "chineseCounting"), "十二");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(2, "ideographTraditional"), "乙");
        assert_eq!(format_number(14, "lowerRoman"), "xiv");
        assert_eq!(format_number(28, "upperLetter"), "BB");
        assert_eq!(format_number(7, "decimalFullWidth"), "７");
        assert_eq!(format_number(5, "someNewFormat"), "5");
    }

    #[test]
    fn non_word_inputs_are_refused_with_advice() {
        let err = document_from_bytes("a.pdf", b"%PDF-1.7 ...").unwrap_err();
        assert!(err.message().contains("copy it into a .txt"), "{err}");
        let err = document_from_bytes("a.doc", &[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).unwrap_err();
        assert!(err.message().contains("save it as .docx"), "{err}");
        let err = document_from_bytes("a.docx", b"PK\x03\x04garbage").unwrap_err();
        assert!(
            err.message()
                .starts_with("a.docx: cannot read this Word file"),
            "{err}"
        );
        assert!(document_from_bytes("e.txt", b"").is_err());
        // A zip that is not a Word document.
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"<x/>").unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let err = document_from_bytes("a.xlsx", &bytes).unwrap_err();
        assert!(err.message().contains("not a Word document"), "{err}");
    }

    #[test]
    fn broken_xml_is_an_error_not_a_panic() {
        let bytes = docx("<w:p><w:r><w:t>半截", None);
        assert!(docx_paragraphs("b.docx", &bytes).is_err());
    }
}
