//! The Markdown format.

use crate::draft::speech::{Block, Speech};
use crate::render::text::provenance;

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
            Block::Paragraph(text) => out.push_str(&escape_markdown(&text.text)),
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
}
