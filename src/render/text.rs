//! The text format (one paragraph per line) and its annotated form for `--explain`.

use crate::draft::speech::{Block, InlineSpan, Speech, Text};
pub use crate::draft::speech::{text, text_with};

/// Where each paragraph came from: the slot alternatives (`slot#alternative`) whose words
/// it holds, outermost first; `skeleton` when every word is the skeleton's own.
pub fn provenance(block: &Block) -> String {
    use crate::draft::speech::Inline;
    let texts: Vec<&Text> = match block {
        Block::Title(t) | Block::Byline(t) => vec![t],
        Block::Heading { text, .. } => vec![text],
        Block::Lead { lead, rest, .. } => vec![lead, rest],
        Block::Paragraph(text) => vec![text],
    };
    let mut labels: Vec<String> = Vec::new();
    for text in texts {
        let mut spans: Vec<&InlineSpan> = text.spans.iter().collect();
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        for span in spans {
            if let Inline::Slot {
                slot,
                alternative,
                source,
            } = &span.what
            {
                let label = match source {
                    Some(source) => format!("{slot}#{alternative}（出处：{source}）"),
                    None => format!("{slot}#{alternative}"),
                };
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
