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
            Block::Title(t) | Block::Byline(t) => out.push_str(&show(t)),
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
            SpanKind::Slot { slot, alternative } => {
                out.serialize_field("kind", "slot")?;
                out.serialize_field("slot", slot)?;
                out.serialize_field("alternative", alternative)?;
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

/// Where each paragraph came from: the slot alternatives (`slot#alternative`) whose words
/// it holds, outermost first; `skeleton` when every word is the skeleton's own.
pub fn provenance(block: &Block) -> String {
    use crate::speech::Inline;
    let texts: Vec<&Text> = match block {
        Block::Title(t) | Block::Byline(t) => vec![t],
        Block::Heading { text, .. } => vec![text],
        Block::Lead { lead, rest, .. } => vec![lead, rest],
        Block::Paragraph(parts) => parts.clone(),
    };
    let mut labels: Vec<String> = Vec::new();
    for text in texts {
        let mut spans: Vec<&InlineSpan> = text.spans.iter().collect();
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        for span in spans {
            if let Inline::Slot { slot, alternative } = &span.what {
                let label = format!("{slot}#{alternative}");
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
        }
    }
    if labels.is_empty() {
        "skeleton".to_string()
    } else {
        labels.join(", ")
    }
}

/// The text format with, under each line, the slots and alternatives that produced it
/// (`generate --explain`), so a template author can find the source of any sentence.
pub fn text_explained(speech: &Speech) -> String {
    let mut out = String::new();
    let plain = text(speech);
    for (line, block) in plain.lines().zip(speech.blocks()) {
        out.push_str(line);
        out.push('\n');
        out.push_str("  ⟵ ");
        out.push_str(&provenance(&block));
        out.push('\n');
    }
    out
}

/// Markdown for a git forge or a note app: `#` title, `##` level-1 headings, the lead
/// sentence of each level-2 point in bold, a blank line between paragraphs. With
/// `explain`, each paragraph is followed by an HTML comment naming its slots (invisible
/// when rendered).
pub fn markdown(speech: &Speech, explain: bool) -> String {
    let mut out = String::new();
    for block in speech.blocks() {
        match &block {
            Block::Title(t) => {
                out.push_str("# ");
                out.push_str(&escape_markdown(&t.text));
            }
            Block::Byline(t) => out.push_str(&escape_markdown(&t.text)),
            Block::Heading { label, text } => {
                out.push_str("## ");
                out.push_str(&escape_markdown(&format!("{label}{}", text.text)));
            }
            Block::Lead {
                level,
                label,
                lead,
                rest,
            } => {
                let lead = escape_markdown(&format!("{label}{}", lead.text));
                if *level == 2 {
                    out.push_str(&strong(&lead));
                } else {
                    out.push_str(&lead);
                }
                out.push_str(&escape_markdown(&rest.text));
            }
            Block::Paragraph(parts) => {
                let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
                out.push_str(&escape_markdown(&joined));
            }
        }
        out.push('\n');
        if explain {
            out.push_str(&format!("<!-- ⟵ {} -->\n", provenance(&block)));
        }
        out.push('\n');
    }
    // One final newline, not two.
    out.pop();
    out
}

/// `**…**` around a lead sentence. CommonMark does not close `**` squeezed between
/// punctuation and a letter, and a Chinese lead ends in punctuation (。 ” ：) followed
/// directly by the next sentence; so the last punctuation mark goes after the `**`,
/// where a closing `**` followed by punctuation always closes:
/// `**第一，要树立“无小事”意识**。`
fn strong(text: &str) -> String {
    match text.chars().last() {
        Some(last) if !last.is_alphanumeric() && !last.is_whitespace() => {
            let core = &text[..text.len() - last.len_utf8()];
            if core.is_empty() {
                text.to_string()
            } else {
                format!("**{core}**{last}")
            }
        }
        _ => format!("**{text}**"),
    }
}

/// Backslash-escapes the ASCII characters that Markdown would read as markup. Chinese
/// drafts rarely hold any, but a pack may.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // A paragraph opening like a list item or a setext underline.
    let starts_like_list = out.starts_with(['-', '+', '='])
        || out
            .find(|c: char| !c.is_ascii_digit())
            .is_some_and(|i| i > 0 && out[i..].starts_with(['.', ')']));
    if starts_like_list {
        out.insert(0, '\\');
        if out[1..].starts_with(|c: char| c.is_ascii_digit()) {
            // Escape the delimiter, not the digit: `2026\. …`
            out.remove(0);
            if let Some(i) = out.find(['.', ')']) {
                out.insert(i, '\\');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strong_keeps_closing_punctuation_outside() {
        assert_eq!(strong("第一，要树立意识。"), "**第一，要树立意识**。");
        assert_eq!(strong("第一，要“无小事”。"), "**第一，要“无小事”**。");
        assert_eq!(strong("第一，要甲"), "**第一，要甲**");
        assert_eq!(strong("。"), "。");
    }

    #[test]
    fn markdown_specials_are_escaped() {
        assert_eq!(escape_markdown("a*b_c"), "a\\*b\\_c");
        assert_eq!(escape_markdown("- 项"), "\\- 项");
        assert_eq!(escape_markdown("2026. 年"), "2026\\. 年");
        assert_eq!(escape_markdown("同志们："), "同志们：");
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
                    slot: "s1.lead".into(),
                    alternative: "2".into(),
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
