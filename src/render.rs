//! Output formats, all rendered from the Speech tree (DESIGN §3).

use serde::Serialize;

use crate::locality::Locality;
use crate::speech::{Block, InlineSpan, Speech, Text};

/// The text format: title, 同志们：, one paragraph per line, headings alone, `\n` endings.
pub fn text(speech: &Speech) -> String {
    text_with(speech, |t| t.text.clone())
}

/// The text format with every piece of text passed through `show` (the checks use it
/// to hide place names, which may contain any word).
pub fn text_with(speech: &Speech, show: impl Fn(&Text) -> String) -> String {
    let mut out = String::new();
    for block in speech.blocks() {
        match block {
            Block::Title(t) => out.push_str(&show(t)),
            Block::Heading { label, text } => {
                out.push_str(label);
                out.push_str(&show(text));
            }
            Block::Lead {
                label, lead, rest, ..
            } => {
                out.push_str(label);
                out.push_str(&show(lead));
                out.push_str(&show(rest));
            }
            Block::Paragraph(parts) => parts.iter().for_each(|p| out.push_str(&show(p))),
        }
        out.push('\n');
    }
    out
}

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

/// A span over the whole text, offsets in Unicode characters.
#[derive(Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    #[serde(flatten)]
    pub kind: SpanKind,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SpanKind {
    Title,
    Heading { level: u8 },
    Paragraph,
    Slot { slot: String, alternative: String },
    Locality { place: String, placeholder: String },
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
    use crate::speech::Inline;
    for s in inline {
        let kind = match &s.what {
            Inline::Slot { slot, alternative } => SpanKind::Slot {
                slot: slot.clone(),
                alternative: alternative.clone(),
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
