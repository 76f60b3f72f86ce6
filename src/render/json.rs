//! The JSON format: the text, the outline, and spans over the text (which slot and
//! alternative wrote each piece, where each heading and place mention is).

use serde::Serialize;

use super::json_writer::{joined_string, key, number, optional_string, string};
use crate::draft::speech::{Block, InlineSpan, Speech, Text};
use crate::place::locality::Locality;

#[derive(Serialize)]
pub struct JsonLocality<'a> {
    pub name: &'a str,
    pub level: &'a str,
    pub county: Option<&'a str>,
    pub city: Option<&'a str>,
    pub province: Option<&'a str>,
    pub code: Option<&'a str>,
}

/// A heading of the outline. Its `text` is the heading as the draft prints it, its
/// label (一、, 第一，) and its words, borrowed from the speech as two pieces (a draft
/// has dozens of headings, and each was copied into a string of its own only to be
/// written once).
pub struct OutlineNode<'a> {
    pub level: u8,
    pub number: usize,
    pub label: &'a str,
    pub heading: &'a str,
    pub children: Vec<OutlineNode<'a>>,
}

/// As `{level, number, text, children}` (children left out when there are none).
impl Serialize for OutlineNode<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let fields = if self.children.is_empty() { 3 } else { 4 };
        let mut node = serializer.serialize_struct("OutlineNode", fields)?;
        node.serialize_field("level", &self.level)?;
        node.serialize_field("number", &self.number)?;
        node.serialize_field("text", &format_args!("{}{}", self.label, self.heading))?;
        if !self.children.is_empty() {
            node.serialize_field("children", &self.children)?;
        }
        node.end()
    }
}

/// A span over the whole text, offsets in Unicode characters. Serialised as one flat
/// object: start, end, kind, then the kind's fields. It borrows its names from the
/// speech: a draft has hundreds of spans, and copying each name costs more than writing it.
pub struct Span<'a> {
    pub start: usize,
    pub end: usize,
    pub kind: SpanKind<'a>,
}

/// Written by hand rather than with `#[serde(flatten)]`: a draft has hundreds of spans,
/// and flattening goes through serde's generic map machinery for each (same bytes).
impl Serialize for Span<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let fields = match &self.kind {
            SpanKind::Title | SpanKind::Byline | SpanKind::Paragraph => 3,
            SpanKind::Heading { .. } => 4,
            SpanKind::Slot {
                source: Some(_), ..
            } => 6,
            SpanKind::Slot { .. } | SpanKind::Locality { .. } => 5,
        };
        let mut out = serializer.serialize_struct("Span", fields)?;
        out.serialize_field("start", &self.start)?;
        out.serialize_field("end", &self.end)?;
        match &self.kind {
            SpanKind::Title => out.serialize_field("kind", "title")?,
            SpanKind::Byline => out.serialize_field("kind", "byline")?,
            SpanKind::Paragraph => out.serialize_field("kind", "paragraph")?,
            SpanKind::Heading { level } => {
                out.serialize_field("kind", "heading")?;
                out.serialize_field("level", level)?;
            }
            SpanKind::Slot {
                slot,
                alternative,
                source,
            } => {
                out.serialize_field("kind", "slot")?;
                out.serialize_field("slot", slot)?;
                out.serialize_field("alternative", alternative)?;
                if let Some(source) = source {
                    out.serialize_field("source", source)?;
                }
            }
            SpanKind::Locality { place, placeholder } => {
                out.serialize_field("kind", "locality")?;
                out.serialize_field("place", place)?;
                out.serialize_field("placeholder", placeholder)?;
            }
        }
        out.end()
    }
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SpanKind<'a> {
    Title,
    /// The speaker/date line under the title (only when asked for).
    Byline,
    Heading {
        level: u8,
    },
    Paragraph,
    Slot {
        slot: &'a str,
        alternative: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<&'a str>,
    },
    Locality {
        place: &'a str,
        placeholder: &'a str,
    },
}

#[derive(Serialize)]
pub struct JsonDraft<'a> {
    pub text: String,
    pub title: &'a str,
    pub pack: &'a str,
    pub seed: u64,
    pub locality: JsonLocality<'a>,
    pub outline: Vec<OutlineNode<'a>>,
    pub spans: Vec<Span<'a>>,
}

impl JsonDraft<'_> {
    /// One compact object, the bytes `serde_json::to_vec` writes.
    pub fn write_compact(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        self.write_fields(out, true);
        out.push(b'}');
    }

    /// Every field, for an object that adds its own around them (a corpus line puts its
    /// id first). `first`: no comma before the first field.
    pub fn write_fields(&self, out: &mut Vec<u8>, first: bool) {
        key(out, "text", first);
        string(out, &self.text);
        self.write_fields_after_text(out);
    }

    /// The fields after `text`, each with its leading comma (a txt-dir manifest line
    /// writes `file` instead of `text`).
    pub fn write_fields_after_text(&self, out: &mut Vec<u8>) {
        key(out, "title", false);
        string(out, self.title);
        key(out, "pack", false);
        string(out, self.pack);
        key(out, "seed", false);
        number(out, self.seed);
        key(out, "locality", false);
        self.locality.write(out);
        key(out, "outline", false);
        write_outline(out, &self.outline);
        key(out, "spans", false);
        out.push(b'[');
        for (i, span) in self.spans.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            span.write(out);
        }
        out.push(b']');
    }
}

impl JsonLocality<'_> {
    fn write(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        key(out, "name", true);
        string(out, self.name);
        key(out, "level", false);
        string(out, self.level);
        for (name, value) in [
            ("county", self.county),
            ("city", self.city),
            ("province", self.province),
            ("code", self.code),
        ] {
            key(out, name, false);
            optional_string(out, value);
        }
        out.push(b'}');
    }
}

fn write_outline(out: &mut Vec<u8>, nodes: &[OutlineNode]) {
    out.push(b'[');
    for (i, node) in nodes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        key(out, "level", true);
        number(out, node.level);
        key(out, "number", false);
        number(out, node.number);
        key(out, "text", false);
        joined_string(out, node.label, node.heading);
        if !node.children.is_empty() {
            key(out, "children", false);
            write_outline(out, &node.children);
        }
        out.push(b'}');
    }
    out.push(b']');
}

impl Span<'_> {
    /// A line has hundreds of spans: the fixed parts of each are copied as whole runs
    /// (`{"start":`, `,"end":`, `,"kind":"slot","slot":` …) rather than key by key.
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"start\":");
        number(out, self.start);
        out.extend_from_slice(b",\"end\":");
        number(out, self.end);
        match &self.kind {
            SpanKind::Title => out.extend_from_slice(b",\"kind\":\"title\""),
            SpanKind::Byline => out.extend_from_slice(b",\"kind\":\"byline\""),
            SpanKind::Paragraph => out.extend_from_slice(b",\"kind\":\"paragraph\""),
            SpanKind::Heading { level } => {
                out.extend_from_slice(b",\"kind\":\"heading\",\"level\":");
                number(out, *level);
            }
            SpanKind::Slot {
                slot,
                alternative,
                source,
            } => {
                out.extend_from_slice(b",\"kind\":\"slot\",\"slot\":");
                string(out, slot);
                out.extend_from_slice(b",\"alternative\":");
                string(out, alternative);
                if let Some(source) = source {
                    out.extend_from_slice(b",\"source\":");
                    string(out, source);
                }
            }
            SpanKind::Locality { place, placeholder } => {
                out.extend_from_slice(b",\"kind\":\"locality\",\"place\":");
                string(out, place);
                out.extend_from_slice(b",\"placeholder\":");
                string(out, placeholder);
            }
        }
        out.push(b'}');
    }
}

/// Builds the JSON object of one draft.
pub fn json_draft<'a>(
    speech: &'a Speech,
    pack_id: &'a str,
    seed: u64,
    loc: &'a Locality,
) -> JsonDraft<'a> {
    // Sized once: the draft's texts and labels, and a span per inline span and block.
    let (mut bytes, mut inline) = (0, 0);
    for t in speech.texts() {
        bytes += t.text.len() + 1;
        inline += t.spans.len() + 1;
    }
    let labels: usize = speech
        .sections
        .iter()
        .map(|s| s.label.len() + 16 * s.points.len())
        .sum();
    let mut text = String::with_capacity(bytes + labels);
    let mut spans = Vec::with_capacity(inline + 2 * speech.sections.len());
    let mut pos = 0usize;
    let add = |text: &mut String, spans: &mut Vec<Span<'a>>, pos: &mut usize, t: &'a Text| {
        push_inline(spans, *pos, &t.spans);
        text.push_str(&t.text);
        *pos += t.char_len();
    };
    let add_label = |text: &mut String, pos: &mut usize, label: &str| {
        text.push_str(label);
        *pos += label.chars().count();
    };
    for block in speech.blocks() {
        let start = pos;
        let first = spans.len();
        match block {
            Block::Title(t) => {
                add(&mut text, &mut spans, &mut pos, t);
                spans.push(Span {
                    start,
                    end: pos,
                    kind: SpanKind::Title,
                });
            }
            Block::Byline(t) => {
                add(&mut text, &mut spans, &mut pos, t);
                spans.push(Span {
                    start,
                    end: pos,
                    kind: SpanKind::Byline,
                });
            }
            Block::Heading { label, text: t } => {
                add_label(&mut text, &mut pos, label);
                add(&mut text, &mut spans, &mut pos, t);
                spans.push(Span {
                    start,
                    end: pos,
                    kind: SpanKind::Heading { level: 1 },
                });
            }
            Block::Lead {
                level,
                label,
                lead,
                rest,
            } => {
                add_label(&mut text, &mut pos, label);
                add(&mut text, &mut spans, &mut pos, lead);
                spans.push(Span {
                    start,
                    end: pos,
                    kind: SpanKind::Heading { level },
                });
                add(&mut text, &mut spans, &mut pos, rest);
                spans.push(Span {
                    start,
                    end: pos,
                    kind: SpanKind::Paragraph,
                });
            }
            Block::Paragraph(p) => {
                add(&mut text, &mut spans, &mut pos, p);
                spans.push(Span {
                    start,
                    end: pos,
                    kind: SpanKind::Paragraph,
                });
            }
        }
        // Spans in text order, the enclosing first. A block's spans lie inside it and
        // the blocks follow each other, so sorting each block's few spans (pushed nearly
        // in order) orders the whole list as one stable sort of it would, without the
        // scratch buffer and merges of a sort of a thousand.
        spans[first..].sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        text.push('\n');
        pos += 1;
    }
    JsonDraft {
        text,
        title: &speech.title.text,
        pack: pack_id,
        seed,
        locality: JsonLocality {
            name: &loc.name,
            level: loc.level.label(),
            county: loc.county.as_deref(),
            city: loc.city.as_deref(),
            province: loc.province.as_deref(),
            code: loc.code.as_deref(),
        },
        outline: outline(speech),
        spans,
    }
}

fn push_inline<'a>(spans: &mut Vec<Span<'a>>, offset: usize, inline: &'a [InlineSpan]) {
    use crate::draft::speech::Inline;
    for s in inline {
        let kind = match &s.what {
            Inline::Slot {
                slot,
                alternative,
                source,
            } => SpanKind::Slot {
                slot,
                alternative,
                source: source.as_deref(),
            },
            Inline::Locality { place, placeholder } => SpanKind::Locality { place, placeholder },
        };
        spans.push(Span {
            start: s.start + offset,
            end: s.end + offset,
            kind,
        });
    }
}

/// Nested headings: sections → points → sub-points.
pub fn outline(speech: &Speech) -> Vec<OutlineNode<'_>> {
    speech
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| OutlineNode {
            level: 1,
            number: i + 1,
            label: &section.label,
            heading: &section.heading.text,
            children: section
                .points
                .iter()
                .enumerate()
                .map(|(j, point)| OutlineNode {
                    level: 2,
                    number: j + 1,
                    label: &point.label,
                    heading: &point.lead.text,
                    children: point
                        .subpoints
                        .iter()
                        .enumerate()
                        .map(|(k, sub)| OutlineNode {
                            level: 3,
                            number: k + 1,
                            label: &sub.label,
                            heading: &sub.lead.text,
                            children: Vec::new(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// The JSON format: one object, pretty-printed unless `compact` (the corpus writes one
/// compact object per line).
pub fn json(speech: &Speech, pack_id: &str, seed: u64, loc: &Locality, compact: bool) -> String {
    let draft = json_draft(speech, pack_id, seed, loc);
    let mut out = if compact {
        let mut bytes = Vec::new();
        draft.write_compact(&mut bytes);
        // Only `&str` pieces and ASCII punctuation went in.
        String::from_utf8(bytes).unwrap_or_default()
    } else {
        serde_json::to_string_pretty(&draft).unwrap_or_default()
    };
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::generate::{self, Options};
    use crate::pack::Pack;

    /// Drafts of every embedded pack for a 镇, a 街道, a 乡 and a 苏木 (gazetteer places,
    /// so county, city, province and code are filled), plus one place the gazetteer does
    /// not know (they are null), with and without a byline.
    fn sample_drafts() -> Vec<(Speech, String, u64, Locality)> {
        // As `--locality NAME` resolves them.
        let mut places: Vec<Locality> = ["朱家角镇", "大栅栏街道", "西布河乡", "巴音乌兰苏木"]
            .iter()
            .map(|name| {
                crate::place::resolve::resolve(&crate::place::resolve::PlaceQuery {
                    locality: Some(name.to_string()),
                    ..Default::default()
                })
                .unwrap()
            })
            .collect();
        places.push(Locality::from_name("青石镇").unwrap());
        let mut drafts = Vec::new();
        for id in Pack::embedded_ids() {
            let pack = Pack::load_embedded_trusted(&id).unwrap();
            for (i, loc) in places.iter().filter(|loc| pack.serves(loc)).enumerate() {
                let seed = 11 + i as u64;
                let options = Options {
                    seed,
                    ..Options::default()
                };
                let mut speech = generate::generate(&pack, loc, &options).unwrap();
                if i % 2 == 1 {
                    speech.byline =
                        Some(Text::plain("县委书记 张三 \"代\" \\ \n（2026年12月4日）"));
                }
                drafts.push((speech, id.clone(), seed, loc.clone()));
            }
        }
        drafts
    }

    #[test]
    fn direct_writing_is_what_serde_writes() {
        let drafts = sample_drafts();
        assert!(drafts.len() >= 20, "{} drafts compared", drafts.len());
        for (speech, pack, seed, loc) in &drafts {
            let draft = json_draft(speech, pack, *seed, loc);
            let mut direct = Vec::new();
            draft.write_compact(&mut direct);
            let serde = serde_json::to_vec(&draft).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&direct),
                String::from_utf8_lossy(&serde),
                "{pack} for {}",
                loc.name
            );
            let mut line = json(speech, pack, *seed, loc, true);
            assert_eq!(line.pop(), Some('\n'));
            assert_eq!(line.as_bytes(), serde.as_slice());
        }
    }

    #[test]
    fn spans_serialise_flat_with_their_kind_fields() {
        let spans = vec![
            Span {
                start: 0,
                end: 5,
                kind: SpanKind::Title,
            },
            Span {
                start: 1,
                end: 2,
                kind: SpanKind::Heading { level: 3 },
            },
            Span {
                start: 2,
                end: 4,
                kind: SpanKind::Slot {
                    slot: "s1.lead",
                    alternative: "2",
                    source: None,
                },
            },
            Span {
                start: 3,
                end: 4,
                kind: SpanKind::Locality {
                    place: "太平镇",
                    placeholder: "地名",
                },
            },
            Span {
                start: 6,
                end: 9,
                kind: SpanKind::Paragraph,
            },
            Span {
                start: 10,
                end: 12,
                kind: SpanKind::Byline,
            },
        ];
        // The same fields as the derived (tagged) SpanKind, after start and end: a new
        // kind that the hand-written impl forgets shows here.
        for span in &spans {
            let mut expected = serde_json::json!({"start": span.start, "end": span.end});
            if let serde_json::Value::Object(kind) = serde_json::to_value(&span.kind).unwrap() {
                expected.as_object_mut().unwrap().extend(kind);
            }
            assert_eq!(serde_json::to_value(span).unwrap(), expected);
        }
        assert_eq!(
            serde_json::to_string(&spans).unwrap(),
            r#"[{"start":0,"end":5,"kind":"title"},{"start":1,"end":2,"kind":"heading","level":3},{"start":2,"end":4,"kind":"slot","slot":"s1.lead","alternative":"2"},{"start":3,"end":4,"kind":"locality","place":"太平镇","placeholder":"地名"},{"start":6,"end":9,"kind":"paragraph"},{"start":10,"end":12,"kind":"byline"}]"#
        );
    }
}
