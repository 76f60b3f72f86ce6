//! The typed Speech tree every output format renders from, and its builder from the
//! skeleton's structural line markup (see templates/devices.tera).
//!
//! Slot fills reach the builder wrapped in private-use marker characters that carry their
//! provenance (slot name and alternative id) and place-name mentions; the builder turns
//! them into inline spans, so nothing downstream ever re-parses rendered text.

use std::borrow::Cow;

use serde::Serialize;

use crate::base::error::{Error, Result};
use crate::base::numerals::{self, cn};

/// Marker characters written around slot fills and place names during rendering.
pub(crate) mod marker {
    pub const SLOT_OPEN: char = '\u{E000}';
    pub const SEP: char = '\u{E001}';
    pub const SLOT_CLOSE: char = '\u{E002}';
    pub const PLACE_OPEN: char = '\u{E003}';
    pub const PLACE_CLOSE: char = '\u{E004}';
    /// Inside a slot label: what follows is the source of its quotation.
    pub const SOURCE: char = '§';

    /// Every marker is U+E000–U+E004, three bytes in UTF-8: EE 80 80–84.
    const LEAD: u8 = 0xEE;

    /// The next marker at or after byte 0 of `text` that `wanted` accepts: its byte
    /// offset and the marker. Finds the lead byte with memchr (SIMD) rather than decoding
    /// every character; text between markers is almost all CJK.
    pub fn find(text: &str, wanted: impl Fn(char) -> bool) -> Option<(usize, char)> {
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(i) = memchr::memchr(LEAD, &bytes[from..]) {
            let at = from + i;
            // A lead byte always starts a character in valid UTF-8.
            let c = text[at..].chars().next()?;
            if wanted(c) {
                return Some((at, c));
            }
            from = at + c.len_utf8();
        }
        None
    }

    /// Any of the markers.
    pub fn is_any(c: char) -> bool {
        matches!(c, SLOT_OPEN | SEP | SLOT_CLOSE | PLACE_OPEN | PLACE_CLOSE)
    }

    /// A marker that opens or closes a span (SEP only ends a label).
    pub fn is_open_or_close(c: char) -> bool {
        matches!(c, SLOT_OPEN | SLOT_CLOSE | PLACE_OPEN | PLACE_CLOSE)
    }
}

/// What an inline span says about a stretch of text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Inline {
    /// Produced by this slot's alternative; `source` names the work a quotation in it
    /// comes from (`source:` in the pack).
    Slot {
        slot: String,
        alternative: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
    /// A mention of the place (or its slogan): `placeholder` says which word.
    Locality { place: String, placeholder: String },
}

/// A span inside one `Text`, in characters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InlineSpan {
    pub start: usize,
    pub end: usize,
    #[serde(flatten)]
    pub what: Inline,
}

/// Plain text with its provenance spans.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Text {
    pub text: String,
    pub spans: Vec<InlineSpan>,
}

impl Text {
    pub fn plain(text: &str) -> Text {
        Text {
            text: text.to_string(),
            spans: Vec::new(),
        }
    }

    pub fn char_len(&self) -> usize {
        self.text.chars().count()
    }

    /// Appends another text, shifting its spans.
    pub fn push(&mut self, other: &Text) {
        let offset = self.char_len();
        self.text.push_str(&other.text);
        self.spans.extend(other.spans.iter().map(|s| InlineSpan {
            start: s.start + offset,
            end: s.end + offset,
            what: s.what.clone(),
        }));
    }

    /// Parses marker-laden text into plain text and spans. Plain runs between markers are
    /// copied whole (every paragraph of every draft passes through here).
    fn from_marked(marked: &str, place: &str) -> Result<Text> {
        let mut text = String::with_capacity(marked.len());
        // A span is three markers (open, separator, close): sized once, not grown.
        let markers = memchr::memchr_iter(0xEE, marked.as_bytes()).count();
        let mut spans = Vec::with_capacity(markers / 3);
        // Open spans, as indexes into `spans`.
        let mut open: Vec<usize> = Vec::with_capacity(4);
        let mut len = 0usize;
        let mut rest = marked;
        while let Some((at, c)) = marker::find(rest, marker::is_open_or_close) {
            let plain = &rest[..at];
            text.push_str(plain);
            len += plain.chars().count();
            rest = &rest[at + c.len_utf8()..];
            match c {
                marker::SLOT_OPEN | marker::PLACE_OPEN => {
                    let label = match marker::find(rest, |m| m == marker::SEP) {
                        Some((end, _)) => {
                            let label = &rest[..end];
                            rest = &rest[end + marker::SEP.len_utf8()..];
                            label
                        }
                        None => std::mem::take(&mut rest),
                    };
                    let what = if c == marker::SLOT_OPEN {
                        // slot#alternative, then §source for a sourced quotation.
                        let (label, source) = match label.split_once(marker::SOURCE) {
                            Some((l, s)) => (l, Some(s.to_string())),
                            None => (label, None),
                        };
                        let (slot, alternative) = label.rsplit_once('#').unwrap_or((label, ""));
                        Inline::Slot {
                            slot: slot.to_string(),
                            alternative: alternative.to_string(),
                            source,
                        }
                    } else {
                        // Labels read 县名=宁蒗彝族自治县: the placeholder and the place it names.
                        let (placeholder, named) = label.split_once('=').unwrap_or((label, place));
                        Inline::Locality {
                            place: named.to_string(),
                            placeholder: placeholder.to_string(),
                        }
                    };
                    open.push(spans.len());
                    spans.push(InlineSpan {
                        start: len,
                        end: len,
                        what,
                    });
                }
                _ => {
                    let Some(index) = open.pop() else {
                        return Err(Error::new("internal: unbalanced provenance marker"));
                    };
                    spans[index].end = len;
                }
            }
        }
        text.push_str(rest);
        if !open.is_empty() {
            return Err(Error::new("internal: unclosed provenance marker"));
        }
        // Empty fills (optional slots) carry no information.
        spans.retain(|s| s.end > s.start);
        Ok(Text { text, spans })
    }
}

/// How a sub-point is numbered: 一是 or 一要 (the packs' forms), or 1. and （1） (kept
/// from a decomposed source that numbers so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SubStyle {
    #[serde(rename = "是")]
    Shi,
    #[serde(rename = "要")]
    Yao,
    #[serde(rename = "1.")]
    Arabic,
    #[serde(rename = "（1）")]
    ArabicParen,
}

impl SubStyle {
    /// The label of sub-point `n` (1-based).
    fn label(self, n: usize) -> String {
        match self {
            SubStyle::Shi => format!("{}是", cn(n as i64)),
            SubStyle::Yao => format!("{}要", cn(n as i64)),
            SubStyle::Arabic => format!("{n}."),
            SubStyle::ArabicParen => format!("（{n}）"),
        }
    }
}

/// How a point is numbered: 第一， (a lead sentence) or （一） (kept from a source).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PointStyle {
    Ordinal,
    Paren,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubPoint {
    /// 一是 / 二要 …, computed from the position.
    pub label: String,
    /// What the sub-point asks, in a few words (`label:` in the pack): announcements
    /// list these names; empty when the pack gives none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub lead: Text,
    /// paragraphs[0] continues the lead's paragraph (may be empty).
    pub paragraphs: Vec<Text>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// 第一， / 第二，…, computed from the position.
    pub label: String,
    /// What the point asks, in a few words (织好工作网络): announcements list these names.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub lead: Text,
    /// paragraphs[0] continues the lead's paragraph (may be empty).
    pub paragraphs: Vec<Text>,
    pub subpoints: Vec<SubPoint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// 一、 / 二、 …, computed from the position.
    pub label: String,
    pub heading: Text,
    pub intro: Vec<Text>,
    pub points: Vec<Point>,
}

/// A whole draft.
#[derive(Debug, Clone, Serialize)]
pub struct Speech {
    pub title: Text,
    /// The speaker/date line under the title (`--speaker`, `--date`, `--byline`); absent
    /// unless asked for, so the text format stays title-then-同志们： by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byline: Option<Text>,
    pub salutation: Text,
    pub opening: Vec<Text>,
    pub sections: Vec<Section>,
    pub closing: Vec<Text>,
}

/// Characters of marked text as a reader sees them: markers and their labels removed.
/// Runs between markers are counted whole (the length planner measures every fill).
pub fn plain_len(marked: &str) -> usize {
    let mut len = 0;
    let mut rest = marked;
    while let Some((at, c)) = marker::find(rest, marker::is_any) {
        len += rest[..at].chars().count();
        rest = &rest[at + c.len_utf8()..];
        if matches!(c, marker::SLOT_OPEN | marker::PLACE_OPEN) {
            rest = marker::find(rest, |m| m == marker::SEP).map_or("", |(end, _)| &rest[end..]);
        }
    }
    len + rest.chars().count()
}

/// Whether marked text holds nothing but provenance markers and labels (and whitespace),
/// with its markers balanced — what `Text::from_marked` would turn into blank text.
/// Checked for every paragraph line, so it reads the text once and builds nothing.
fn is_blank(marked: &str) -> bool {
    let mut depth = 0usize;
    let mut in_label = false;
    for c in marked.chars() {
        match c {
            _ if in_label => in_label = c != marker::SEP,
            marker::SLOT_OPEN | marker::PLACE_OPEN => {
                depth += 1;
                in_label = true;
            }
            marker::SLOT_CLOSE | marker::PLACE_CLOSE => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            c if c.is_whitespace() => {}
            _ => return false,
        }
    }
    depth == 0
}

/// Where the next `@para` / `@more` goes.
enum Cursor {
    Opening,
    SectionIntro,
    Point,
    Sub,
    Closing,
}

/// The lines of a text as `str::lines` gives them (a `\r` before the `\n` dropped, no
/// empty line after a final `\n`), split where memchr finds a `\n`: a build splits a
/// few hundred short lines, the checks a whole draft, and the standard library's char
/// search costs more per line.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let last = (!text.is_empty() && !text.ends_with('\n')).then_some(text.len());
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .chain(last)
        .map(move |end| {
            let line = &text[start..end];
            start = end + 1;
            line.strip_suffix('\r').unwrap_or(line)
        })
}

/// Builds the tree from the skeleton's markup. `place` names the place for locality spans.
pub fn build(markup: &str, place: &str) -> Result<Speech> {
    // Lines are borrowed from the markup; only a paragraph continued by @more is copied.
    let mut title: Option<&str> = None;
    let mut salutation = "同志们：";
    let mut opening: Vec<Cow<str>> = Vec::new();
    let mut closing: Vec<Cow<str>> = Vec::new();
    let mut sections: Vec<RawSection> = Vec::new();
    let mut cursor = Cursor::Opening;

    for (number, line) in lines(markup).enumerate() {
        // A structural line starts with its tag: only its end can need trimming.
        let line = if line.starts_with('@') {
            line.trim_end()
        } else {
            line.trim()
        };
        if line.is_empty() {
            continue;
        }
        let bad = || {
            Error::new(format!(
                "skeleton output line {} is not structural markup: “{}”. Every line a skeleton \
                 prints must come from a device (@para, @section, @point …); check for stray text \
                 outside {{{{ <…/> }}}} calls.",
                number + 1,
                strip_markers(line)
            ))
        };
        // The tag is ASCII and short: found byte by byte, not by a substring search.
        let (tag, rest) = match line.bytes().position(|b| b == b' ') {
            Some(at) => (&line[..at], &line[at + 1..]),
            None => (line, ""),
        };
        let rest = rest.trim();
        match tag {
            "@title" => title = Some(rest),
            "@salutation" => salutation = rest,
            "@section" => {
                sections.push(RawSection {
                    heading: rest,
                    intro: Vec::new(),
                    points: Vec::new(),
                });
                cursor = Cursor::SectionIntro;
            }
            "@point" | "@point（一）" => {
                let section = sections.last_mut().ok_or_else(|| {
                    Error::new(
                        "a point (@point) comes before any section (@section) in the skeleton",
                    )
                })?;
                section.points.push(RawPoint {
                    style: if tag == "@point" {
                        PointStyle::Ordinal
                    } else {
                        PointStyle::Paren
                    },
                    name: String::new(),
                    lead: rest,
                    paragraphs: vec![Cow::Borrowed("")],
                    subs: Vec::new(),
                });
                cursor = Cursor::Point;
            }
            "@sub" => {
                let (style, lead) = rest.split_once(' ').unwrap_or((rest, ""));
                let style = match style {
                    "是" => SubStyle::Shi,
                    "要" => SubStyle::Yao,
                    "1." => SubStyle::Arabic,
                    "（1）" => SubStyle::ArabicParen,
                    other => {
                        return Err(Error::new(format!(
                            "sub-point style “{other}” is unknown: use 是 (一是), 要 (一要), 1. (1.) or （1） (（1）)"
                        )));
                    }
                };
                let point = sections
                    .last_mut()
                    .and_then(|s| s.points.last_mut())
                    .ok_or_else(|| {
                        Error::new("a sub-point (@sub) comes before any point (@point)")
                    })?;
                point.subs.push(RawSub {
                    name: String::new(),
                    style,
                    lead: lead.trim(),
                    paragraphs: vec![Cow::Borrowed("")],
                });
                cursor = Cursor::Sub;
            }
            "@closing" => cursor = Cursor::Closing,
            // The name of the point or sub-point just opened, for announcements.
            "@label" => {
                let name = strip_markers(rest);
                let point = sections.last_mut().and_then(|s| s.points.last_mut());
                match (&cursor, point) {
                    (Cursor::Sub, Some(point)) => {
                        if let Some(sub) = point.subs.last_mut() {
                            sub.name = name;
                        }
                    }
                    (Cursor::Point, Some(point)) => point.name = name,
                    _ => return Err(bad()),
                }
            }
            // A slot may say nothing here (an empty alternative, e.g. local colour a place
            // lacks): its markers alone make no paragraph.
            "@para" | "@more" if is_blank(rest) => {}
            "@para" | "@more" => {
                let target: &mut Vec<Cow<str>> = match cursor {
                    Cursor::Opening => &mut opening,
                    Cursor::Closing => &mut closing,
                    Cursor::SectionIntro => &mut sections.last_mut().ok_or_else(bad)?.intro,
                    Cursor::Point => {
                        &mut sections
                            .last_mut()
                            .and_then(|s| s.points.last_mut())
                            .ok_or_else(bad)?
                            .paragraphs
                    }
                    Cursor::Sub => {
                        &mut sections
                            .last_mut()
                            .and_then(|s| s.points.last_mut())
                            .and_then(|p| p.subs.last_mut())
                            .ok_or_else(bad)?
                            .paragraphs
                    }
                };
                match (tag, target.last_mut()) {
                    ("@more", Some(last)) if last.is_empty() => *last = Cow::Borrowed(rest),
                    ("@more", Some(last)) => last.to_mut().push_str(rest),
                    _ => target.push(Cow::Borrowed(rest)),
                }
            }
            _ => return Err(bad()),
        }
    }

    let title = title.ok_or_else(|| Error::new("the skeleton prints no title (@title)"))?;
    let text = |s: &str| Text::from_marked(s, place);
    let texts = |v: &[Cow<str>]| v.iter().map(|s| text(s)).collect::<Result<Vec<_>>>();
    let mut built = Vec::new();
    for (i, section) in sections.iter().enumerate() {
        let point_count = section.points.len();
        let point_names: Vec<&str> = section.points.iter().map(|p| p.name.as_str()).collect();
        let mut points = Vec::new();
        for (j, point) in section.points.iter().enumerate() {
            let sub_count = point.subs.len();
            let mut subs = Vec::new();
            for (k, sub) in point.subs.iter().enumerate() {
                // A single sub-point is not numbered: “一是” with no “二是” is a slip.
                let label = if sub_count == 1 {
                    String::new()
                } else {
                    sub.style.label(k + 1)
                };
                subs.push(SubPoint {
                    label,
                    name: sub.name.clone(),
                    lead: text(sub.lead)?,
                    paragraphs: texts(no_count(&sub.paragraphs, "a sub-point")?)?,
                });
            }
            let sub_names: Vec<&str> = point.subs.iter().map(|s| s.name.as_str()).collect();
            points.push(Point {
                name: point.name.clone(),
                // Likewise a single point: “第一，” needs a “第二，”.
                label: match point.style {
                    _ if point_count == 1 => String::new(),
                    PointStyle::Ordinal => format!("第{}，", cn(j as i64 + 1)),
                    PointStyle::Paren => format!("（{}）", cn(j as i64 + 1)),
                },
                lead: text(&sub_count_in(point.lead, sub_count))?,
                paragraphs: texts(&counted(
                    &point.paragraphs,
                    &sub_names,
                    "sub-points",
                    section.heading,
                )?)?,
                subpoints: subs,
            });
        }
        built.push(Section {
            label: format!("{}、", cn(i as i64 + 1)),
            heading: text(section.heading)?,
            intro: texts(&counted(
                &section.intro,
                &point_names,
                "points",
                section.heading,
            )?)?,
            points,
        });
    }
    Ok(Speech {
        title: text(title)?,
        byline: None,
        salutation: text(salutation)?,
        // 下面，我讲【N】点意见: the number of sections.
        opening: texts(&counted(
            &opening,
            &vec![""; built.len()],
            "sections",
            "the opening",
        )?)?,
        sections: built,
        closing: texts(no_count(&closing, "the closing")?)?,
    })
}

struct RawSection<'m> {
    heading: &'m str,
    intro: Vec<Cow<'m, str>>,
    points: Vec<RawPoint<'m>>,
}

struct RawPoint<'m> {
    style: PointStyle,
    name: String,
    lead: &'m str,
    paragraphs: Vec<Cow<'m, str>>,
    subs: Vec<RawSub<'m>>,
}

struct RawSub<'m> {
    name: String,
    style: SubStyle,
    lead: &'m str,
    paragraphs: Vec<Cow<'m, str>>,
}

const COUNT: &str = "【N】";
/// The names of the parts that follow, joined by “，” (`【列举】`) or “、” (`【列举、】`).
const LIST: &str = "【列举";
const LIST_COMMA: &str = "【列举】";
const LIST_DUN: &str = "【列举、】";

/// Whether marked text holds a 【 at all: one SIMD search with a searcher built once,
/// before the two pattern searches (the planner asks for every fill of every draft, and
/// almost none holds one).
fn has_bracket(text: &str) -> bool {
    static BRACKET: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("【"));
    BRACKET.find(text.as_bytes()).is_some()
}

/// Whether a text announces what follows: a count (【N】) or a list (【列举】).
pub fn announces(text: &str) -> bool {
    has_bracket(text) && (text.contains(COUNT) || text.contains(LIST))
}

fn sub_count_in(lead: &str, count: usize) -> Cow<'_, str> {
    if lead.contains(COUNT) {
        Cow::Owned(lead.replace(COUNT, &numerals::count(count as i64)))
    } else {
        Cow::Borrowed(lead)
    }
}

/// Replaces 【N】 with the number of items that follow and 【列举】 (【列举、】) with their
/// names joined by “，” (“、”); an announcement with nothing after it is an error, never a
/// silent “零”, and a list of names needs every item to have one.
fn counted<'m>(
    paragraphs: &'m [Cow<'m, str>],
    names: &[&str],
    what: &str,
    heading: &str,
) -> Result<Vec<Cow<'m, str>>> {
    let count = names.len();
    if count == 0 && paragraphs.iter().any(|p| announces(p)) {
        return Err(Error::new(format!(
            "a text announces a count (【N】) or a list (【列举】) of {what} in “{}”, but none follow",
            strip_markers(heading)
        )));
    }
    let lists = paragraphs
        .iter()
        .any(|p| has_bracket(p) && p.contains(LIST));
    if lists && names.iter().any(|n| n.is_empty()) {
        return Err(Error::new(format!(
            "a text in “{}” lists the {what} that follow (【列举】), but one of them has no \
             `label:`; give every point and sub-point a label.",
            strip_markers(heading)
        )));
    }
    let n = numerals::count(count as i64);
    Ok(paragraphs
        .iter()
        .map(|p| {
            if !has_bracket(p) {
                return Cow::Borrowed(p.as_ref());
            }
            let p = p.replace(COUNT, &n);
            Cow::Owned(if lists {
                p.replace(LIST_DUN, &names.join("、"))
                    .replace(LIST_COMMA, &names.join("，"))
            } else {
                p
            })
        })
        .collect())
}

fn no_count<'p, 'm>(paragraphs: &'p [Cow<'m, str>], place: &str) -> Result<&'p [Cow<'m, str>]> {
    if let Some(p) = paragraphs.iter().find(|p| has_bracket(p)) {
        return Err(Error::new(format!(
            "a text in {place} still holds a placeholder: “{}”. 【N】 only counts the points or \
             sub-points that follow it in a section intro or a point",
            strip_markers(p)
        )));
    }
    Ok(paragraphs)
}

/// Removes provenance markers (for messages).
pub fn strip_markers(text: &str) -> String {
    // Runs between markers are copied whole (every @label line passes through here).
    let mut out = String::with_capacity(text.len());
    let mut in_label = false;
    let mut rest = text;
    while let Some((at, c)) = marker::find(rest, marker::is_any) {
        if !in_label {
            out.push_str(&rest[..at]);
        }
        match c {
            marker::SLOT_OPEN | marker::PLACE_OPEN => in_label = true,
            marker::SEP => in_label = false,
            _ => {}
        }
        rest = &rest[at + c.len_utf8()..];
    }
    if !in_label {
        out.push_str(rest);
    }
    out
}

impl Speech {
    /// Every text of the tree, in reading order (title, byline, salutation, opening,
    /// headings, leads, paragraphs, closing).
    pub fn texts(&self) -> Vec<&Text> {
        let mut out: Vec<&Text> = vec![&self.title];
        out.extend(self.byline.iter());
        out.push(&self.salutation);
        out.extend(self.opening.iter());
        for section in &self.sections {
            out.push(&section.heading);
            out.extend(section.intro.iter());
            for point in &section.points {
                out.push(&point.lead);
                out.extend(point.paragraphs.iter());
                for sub in &point.subpoints {
                    out.push(&sub.lead);
                    out.extend(sub.paragraphs.iter());
                }
            }
        }
        out.extend(self.closing.iter());
        out
    }

    /// Every text of the tree (title, byline, headings, leads, paragraphs), for
    /// transformations of the whole draft such as the script conversion.
    pub fn texts_mut(&mut self) -> Vec<&mut Text> {
        let mut out: Vec<&mut Text> = vec![&mut self.title, &mut self.salutation];
        out.extend(self.byline.iter_mut());
        out.extend(self.opening.iter_mut());
        for section in &mut self.sections {
            out.push(&mut section.heading);
            out.extend(section.intro.iter_mut());
            for point in &mut section.points {
                out.push(&mut point.lead);
                out.extend(point.paragraphs.iter_mut());
                for sub in &mut point.subpoints {
                    out.push(&mut sub.lead);
                    out.extend(sub.paragraphs.iter_mut());
                }
            }
        }
        out.extend(self.closing.iter_mut());
        out
    }

    /// The computed numbering labels (一、 第一， 一是 …).
    pub fn labels_mut(&mut self) -> Vec<&mut String> {
        let mut out = Vec::new();
        for section in &mut self.sections {
            out.push(&mut section.label);
            for point in &mut section.points {
                out.push(&mut point.label);
                out.extend(point.subpoints.iter_mut().map(|sub| &mut sub.label));
            }
        }
        out
    }

    /// Every paragraph of the draft in reading order, with its structural role.
    /// Characters of the text format (title, paragraphs and their line ends).
    /// Counted piece by piece: the planner asks for every draft it tries, and writing
    /// the text out only to count it was a tenth of a draft.
    pub fn char_len(&self) -> usize {
        measure(self, |s| s.chars().count())
    }

    pub fn blocks(&self) -> Vec<Block<'_>> {
        let mut out = vec![Block::Title(&self.title)];
        if let Some(byline) = &self.byline {
            out.push(Block::Byline(byline));
        }
        out.push(Block::Paragraph(&self.salutation));
        out.extend(self.opening.iter().map(Block::Paragraph));
        for section in &self.sections {
            out.push(Block::Heading {
                label: &section.label,
                text: &section.heading,
            });
            out.extend(section.intro.iter().map(Block::Paragraph));
            for point in &section.points {
                out.push(Block::Lead {
                    level: 2,
                    label: &point.label,
                    lead: &point.lead,
                    rest: &point.paragraphs[0],
                });
                out.extend(point.paragraphs[1..].iter().map(Block::Paragraph));
                for sub in &point.subpoints {
                    out.push(Block::Lead {
                        level: 3,
                        label: &sub.label,
                        lead: &sub.lead,
                        rest: &sub.paragraphs[0],
                    });
                    out.extend(sub.paragraphs[1..].iter().map(Block::Paragraph));
                }
            }
        }
        out.extend(self.closing.iter().map(Block::Paragraph));
        out.retain(|b| !matches!(b, Block::Paragraph(t) if t.text.is_empty()));
        out
    }
}

impl Speech {
    /// The texts of every block of [`Speech::blocks`], in the same order, to change one
    /// line in place (a clerk's edit): a lead block gives its lead and the rest of its
    /// paragraph, any other block its one text.
    pub fn block_texts_mut(&mut self) -> Vec<Vec<&mut Text>> {
        let mut out: Vec<Vec<&mut Text>> = vec![vec![&mut self.title]];
        if let Some(byline) = &mut self.byline {
            out.push(vec![byline]);
        }
        // Empty paragraphs are not blocks (as in `blocks`).
        let paragraph = |t: &&mut Text| -> bool { !t.text.is_empty() };
        if !self.salutation.text.is_empty() {
            out.push(vec![&mut self.salutation]);
        }
        out.extend(self.opening.iter_mut().filter(paragraph).map(|t| vec![t]));
        for section in &mut self.sections {
            out.push(vec![&mut section.heading]);
            out.extend(section.intro.iter_mut().filter(paragraph).map(|t| vec![t]));
            for point in &mut section.points {
                let (first, rest) = point.paragraphs.split_at_mut(1);
                out.push(vec![&mut point.lead, &mut first[0]]);
                out.extend(rest.iter_mut().filter(paragraph).map(|t| vec![t]));
                for sub in &mut point.subpoints {
                    let (first, rest) = sub.paragraphs.split_at_mut(1);
                    out.push(vec![&mut sub.lead, &mut first[0]]);
                    out.extend(rest.iter_mut().filter(paragraph).map(|t| vec![t]));
                }
            }
        }
        out.extend(self.closing.iter_mut().filter(paragraph).map(|t| vec![t]));
        out
    }
}

/// One line of output.
pub enum Block<'a> {
    Title(&'a Text),
    /// The speaker/date line under the title, when asked for.
    Byline(&'a Text),
    /// A level-1 heading: `label` is 一、
    Heading {
        label: &'a str,
        text: &'a Text,
    },
    /// A paragraph opening with a numbered lead sentence (level 2 point, level 3 sub-point).
    Lead {
        level: u8,
        label: &'a str,
        lead: &'a Text,
        rest: &'a Text,
    },
    Paragraph(&'a Text),
}

/// The text format: title, 同志们：, one paragraph per line, headings alone, `\n` endings.
pub fn text(speech: &Speech) -> String {
    // Sized exactly, by bytes: counting characters here would read the text twice.
    let mut out = String::with_capacity(measure(speech, str::len));
    write_text(speech, &mut out, |t, out| out.push_str(&t.text));
    out
}

/// The text format with every piece of text passed through `show` (the checks use it
/// to hide place names, which may contain any word).
pub fn text_with(speech: &Speech, show: impl Fn(&Text) -> String) -> String {
    let mut out = String::new();
    write_text(speech, &mut out, |t, out| out.push_str(&show(t)));
    out
}

/// Writes the text format, each piece of text through `write`.
fn write_text(speech: &Speech, out: &mut String, write: impl Fn(&Text, &mut String)) {
    for_each_piece(speech, |piece| match piece {
        Piece::Label(label) => out.push_str(label),
        Piece::Text(t) => write(t, out),
        Piece::LineEnd => out.push('\n'),
    });
}

/// The length of the text format, each label and text measured by `len` (a line end
/// is one character and one byte).
fn measure(speech: &Speech, len: impl Fn(&str) -> usize) -> usize {
    let mut total = 0;
    for_each_piece(speech, |piece| {
        total += match piece {
            Piece::Label(label) => len(label),
            Piece::Text(t) => len(&t.text),
            Piece::LineEnd => 1,
        }
    });
    total
}

/// One piece of the text format, in reading order.
enum Piece<'a> {
    /// A computed numbering label (一、 第一， 一是 …).
    Label(&'a str),
    Text(&'a Text),
    /// The end of a block's line.
    LineEnd,
}

/// The text format as pieces: each block's label and texts, then its line end. Writing
/// the text and counting its characters both walk this, so they cannot disagree.
fn for_each_piece<'a>(speech: &'a Speech, mut piece: impl FnMut(Piece<'a>)) {
    for block in speech.blocks() {
        match block {
            Block::Title(t) | Block::Byline(t) => piece(Piece::Text(t)),
            Block::Heading { label, text } => {
                piece(Piece::Label(label));
                piece(Piece::Text(text));
            }
            Block::Lead {
                label, lead, rest, ..
            } => {
                piece(Piece::Label(label));
                piece(Piece::Text(lead));
                piece(Piece::Text(rest));
            }
            Block::Paragraph(t) => piece(Piece::Text(t)),
        }
        piece(Piece::LineEnd);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_counts_come_from_the_tree() {
        let markup = "@title 标题\n@para 开场。\n@section 要心系群众\n@para 树立“【N】种意识”。\n\
                      @point 要甲。\n@more 正文。\n@sub 要 消除甲。\n@sub 要 消除乙。\n@point 要乙。\n\
                      @section 要帮助群众\n@closing\n@para 让我们奋斗！";
        let speech = build(markup, "某乡").unwrap();
        assert_eq!(speech.sections[0].label, "一、");
        assert_eq!(speech.sections[1].label, "二、");
        assert_eq!(speech.sections[0].intro[0].text, "树立“两种意识”。");
        assert_eq!(speech.sections[0].points[1].label, "第二，");
        assert_eq!(speech.sections[0].points[0].subpoints[1].label, "二要");
        assert_eq!(speech.sections[0].points[0].paragraphs[0].text, "正文。");
        assert_eq!(speech.closing[0].text, "让我们奋斗！");
    }

    #[test]
    fn lines_are_numbered_as_str_lines_numbers_them() {
        for markup in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\na\n\nb\n",
            "甲\n乙\n\n",
        ] {
            let kept = |it: &mut dyn Iterator<Item = &str>| -> Vec<(usize, String)> {
                it.enumerate()
                    .map(|(i, l)| (i, l.trim().to_string()))
                    .filter(|(_, l)| !l.is_empty())
                    .collect()
            };
            assert_eq!(
                kept(&mut lines(markup)),
                kept(&mut markup.lines()),
                "{markup:?}"
            );
            assert_eq!(
                lines(markup).collect::<Vec<_>>(),
                markup.lines().collect::<Vec<_>>(),
                "{markup:?}"
            );
        }
    }

    #[test]
    fn strip_markers_removes_markers_and_labels() {
        let marked = "\u{E000}s1.p1#2\u{E001}要\u{E003}乡名=太平镇\u{E001}太平镇\u{E004}抓好\u{E002}。\u{E000}x\u{E001}";
        assert_eq!(strip_markers(marked), "要太平镇抓好。");
        assert_eq!(strip_markers("无标记"), "无标记");
        // A label left open hides the rest, as the builder reads it.
        assert_eq!(strip_markers("甲\u{E000}s1#1"), "甲");
    }

    #[test]
    fn char_len_is_the_length_of_the_text_format() {
        let markup = "@title 标题\n@para 开场。\n@section 要心系群众\n@para 树立“【N】种意识”。\n\
                      @point 要甲。\n@more 正文。\n@more 第二段。\n@sub 要 消除甲。\n@point 要乙。\n\
                      @section 要帮助群众\n@closing\n@para 让我们奋斗！";
        let mut speech = build(markup, "某乡").unwrap();
        assert_eq!(speech.char_len(), text(&speech).chars().count());
        speech.byline = Some(Text::plain("张三　2026年12月4日"));
        assert_eq!(speech.char_len(), text(&speech).chars().count());
    }

    #[test]
    fn markers_become_spans() {
        let marked = format!(
            "{}s1#2{}召开{}地名{}太平{}会议{}",
            marker::SLOT_OPEN,
            marker::SEP,
            marker::PLACE_OPEN,
            marker::SEP,
            marker::PLACE_CLOSE,
            marker::SLOT_CLOSE
        );
        let text = Text::from_marked(&marked, "太平镇").unwrap();
        assert_eq!(text.text, "召开太平会议");
        assert_eq!(text.spans.len(), 2);
        assert_eq!((text.spans[0].start, text.spans[0].end), (0, 6));
        assert_eq!((text.spans[1].start, text.spans[1].end), (2, 4));
    }

    #[test]
    fn plain_len_skips_markers_and_labels() {
        // The definition, character by character.
        fn reference(marked: &str) -> usize {
            let mut len = 0;
            let mut in_label = false;
            for c in marked.chars() {
                match c {
                    marker::SLOT_OPEN | marker::PLACE_OPEN => in_label = true,
                    marker::SEP => in_label = false,
                    marker::SLOT_CLOSE | marker::PLACE_CLOSE => {}
                    _ if in_label => {}
                    _ => len += 1,
                }
            }
            len
        }
        let (o, sep, c, po, pc) = (
            marker::SLOT_OPEN,
            marker::SEP,
            marker::SLOT_CLOSE,
            marker::PLACE_OPEN,
            marker::PLACE_CLOSE,
        );
        for marked in [
            String::new(),
            "召开会议".to_string(),
            format!("{o}s1#2{sep}召开{po}地名{sep}太平{pc}会议{c}。"),
            format!("{o}s1#2{po}{c}{sep}甲{c}{sep}乙"),
            format!("{o}label without end"),
            format!("甲{c}{pc}乙{sep}丙"),
        ] {
            assert_eq!(plain_len(&marked), reference(&marked), "{marked:?}");
        }
    }

    #[test]
    fn blank_means_what_from_marked_would_make_blank() {
        let (o, sep, c, po, pc) = (
            marker::SLOT_OPEN,
            marker::SEP,
            marker::SLOT_CLOSE,
            marker::PLACE_OPEN,
            marker::PLACE_CLOSE,
        );
        for marked in [
            String::new(),
            format!("{o}s1#2{sep}{c}"),
            format!("{o}s1#2{sep} {po}地名{sep}{pc}{c}"),
            format!("{o}s1#2{sep}字{c}"),
            format!("{o}s1#2{sep}"),
            format!("{c}"),
            format!("{sep}"),
            format!("{o}s1#2"),
            format!("  {o}a{sep}{c}{o}b{sep}\u{3000}{c}"),
        ] {
            let expected = Text::from_marked(&marked, "").is_ok_and(|t| t.text.trim().is_empty());
            assert_eq!(is_blank(&marked), expected, "{marked:?}");
        }
    }

    #[test]
    fn stray_text_and_missing_items_are_errors() {
        assert!(build("@title t\nhello", "x").is_err());
        assert!(build("@title t\n@section 甲\n@para 有【N】点", "x").is_err());
        assert!(build("@point 甲", "x").is_err());
    }
}
