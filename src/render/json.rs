//! The JSON format: the text, the outline, and spans over the text (which slot and
//! alternative wrote each piece, where each heading and place mention is).

use serde::Serialize;

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

#[derive(Serialize)]
pub struct OutlineNode {
    pub level: u8,
    pub number: usize,
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<OutlineNode>,
}

/// A span over the whole text, offsets in Unicode characters. Serialised as one flat
/// object: start, end, kind, then the kind's fields.
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: SpanKind,
}

/// Written by hand rather than with `#[serde(flatten)]`: a draft has hundreds of spans,
/// and flattening goes through serde's generic map machinery for each (same bytes).
impl Serialize for Span {
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
pub enum SpanKind {
    Title,
    /// The speaker/date line under the title (only when asked for).
    Byline,
    Heading {
        level: u8,
    },
    Paragraph,
    Slot {
        slot: String,
        alternative: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
    Locality {
        place: String,
        placeholder: String,
    },
}

#[derive(Serialize)]
pub struct JsonDraft<'a> {
    pub text: String,
    pub title: &'a str,
    pub pack: &'a str,
    pub seed: u64,
    pub locality: JsonLocality<'a>,
    pub outline: Vec<OutlineNode>,
    pub spans: Vec<Span>,
}

/// Builds the JSON object of one draft.
pub fn json_draft<'a>(
    speech: &'a Speech,
    pack_id: &'a str,
    seed: u64,
    loc: &'a Locality,
) -> JsonDraft<'a> {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut pos = 0usize;
    let add = |text: &mut String, spans: &mut Vec<Span>, pos: &mut usize, t: &Text| {
        push_inline(spans, *pos, &t.spans);
        text.push_str(&t.text);
        *pos += t.char_len();
    };
    for block in speech.blocks() {
        let start = pos;
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
                add(&mut text, &mut spans, &mut pos, &Text::plain(label));
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
                add(&mut text, &mut spans, &mut pos, &Text::plain(label));
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
            Block::Paragraph(parts) => {
                for p in parts {
                    add(&mut text, &mut spans, &mut pos, p);
                }
                spans.push(Span {
                    start,
                    end: pos,
                    kind: SpanKind::Paragraph,
                });
            }
        }
        text.push('\n');
        pos += 1;
    }
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
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

fn push_inline(spans: &mut Vec<Span>, offset: usize, inline: &[InlineSpan]) {
    use crate::draft::speech::Inline;
    for s in inline {
        let kind = match &s.what {
            Inline::Slot {
                slot,
                alternative,
                source,
            } => SpanKind::Slot {
                slot: slot.clone(),
                alternative: alternative.clone(),
                source: source.clone(),
            },
            Inline::Locality { place, placeholder } => SpanKind::Locality {
                place: place.clone(),
                placeholder: placeholder.clone(),
            },
        };
        spans.push(Span {
            start: s.start + offset,
            end: s.end + offset,
            kind,
        });
    }
}

/// Nested headings: sections → points → sub-points.
pub fn outline(speech: &Speech) -> Vec<OutlineNode> {
    speech
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| OutlineNode {
            level: 1,
            number: i + 1,
            text: format!("{}{}", section.label, section.heading.text),
            children: section
                .points
                .iter()
                .enumerate()
                .map(|(j, point)| OutlineNode {
                    level: 2,
                    number: j + 1,
                    text: format!("{}{}", point.label, point.lead.text),
                    children: point
                        .subpoints
                        .iter()
                        .enumerate()
                        .map(|(k, sub)| OutlineNode {
                            level: 3,
                            number: k + 1,
                            text: format!("{}{}", sub.label, sub.lead.text),
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
    let result = if compact {
        serde_json::to_string(&draft)
    } else {
        serde_json::to_string_pretty(&draft)
    };
    let mut out = result.unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
                    slot: "s1.lead".into(),
                    alternative: "2".into(),
                    source: None,
                },
            },
            Span {
                start: 3,
                end: 4,
                kind: SpanKind::Locality {
                    place: "太平镇".into(),
                    placeholder: "地名".into(),
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
