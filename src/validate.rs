//! Checks on a finished draft: what a clerk must never see. Used by `generate` (a draft
//! that fails is an error, not an output) and by the property tests.

use crate::locality::{Level, Locality};
use crate::render;
use crate::speech::Speech;

/// Words that belong to one kind of place and must not appear in a draft for another.
fn foreign_words(level: Level) -> &'static [&'static str] {
    match level {
        Level::Xiang => &[
            "镇党委",
            "全镇",
            "我镇",
            "镇长",
            "街道党工委",
            "全街道",
            "苏木党委",
            "苏木达",
            "嘎查",
        ],
        Level::Zhen => &[
            "乡党委",
            "全乡",
            "我乡",
            "乡长",
            "街道党工委",
            "全街道",
            "苏木党委",
            "苏木达",
            "嘎查",
        ],
        Level::Jiedao => &[
            "乡党委",
            "全乡",
            "我乡",
            "乡长",
            "镇党委",
            "全镇",
            "我镇",
            "镇长",
            "苏木党委",
            "苏木达",
            "嘎查",
            "村委会",
            "村党支部",
            "赶集",
            "包村",
        ],
        Level::Sumu => &[
            "乡党委",
            "全乡",
            "我乡",
            "乡长",
            "镇党委",
            "全镇",
            "我镇",
            "镇长",
            "街道党工委",
            "村委会",
            "村党支部",
        ],
        Level::Farm | Level::Park | Level::Other => &[
            "乡党委",
            "全乡",
            "我乡",
            "乡长",
            "镇党委",
            "全镇",
            "我镇",
            "镇长",
            "街道党工委",
            "苏木党委",
            "苏木达",
            "嘎查",
        ],
    }
}

/// Returns every problem found (empty when the draft is clean).
pub fn problems(speech: &Speech, loc: &Locality) -> Vec<String> {
    let text = render::text(speech);
    let mut found = Vec::new();
    for artifact in ["{{", "}}", "{%", "%}", "【", "】", "@", "\u{FFFD}"] {
        if text.contains(artifact) {
            found.push(format!("template or scraping artifact “{artifact}”"));
        }
    }
    if let Some(c) = text.chars().find(|c| ('\u{E000}'..='\u{F8FF}').contains(c)) {
        found.push(format!("private-use character U+{:04X}", c as u32));
    }
    if let Some(c) = text.chars().find(|c| c.is_ascii_alphabetic()) {
        found.push(format!("Latin letter “{c}” in the text"));
    }
    for half in [',', ';', ':', '?', '!', '(', ')'] {
        if text.contains(half) {
            found.push(format!("half-width punctuation “{half}”"));
        }
    }
    const PUNCT: &str = "，。；：、！？";
    let chars: Vec<char> = text.chars().collect();
    for pair in chars.windows(2) {
        if PUNCT.contains(pair[0]) && PUNCT.contains(pair[1]) {
            found.push(format!("doubled punctuation “{}{}”", pair[0], pair[1]));
            break;
        }
    }
    for line in text.lines().skip(1) {
        if line.is_empty() {
            found.push("empty paragraph".into());
        }
        if line.ends_with('，') || line.ends_with('；') || line.ends_with('、') {
            found.push(format!(
                "paragraph ends with a dangling connective: “…{}”",
                tail(line)
            ));
        }
        if line.starts_with(|c: char| PUNCT.contains(c)) {
            found.push(format!(
                "paragraph starts with punctuation: “{}…”",
                head(line)
            ));
        }
    }
    for word in foreign_words(loc.level) {
        if text.contains(word) {
            found.push(format!(
                "“{word}” does not fit a {} place",
                loc.level.label()
            ));
        }
    }
    found
}

pub fn check_speech(speech: &Speech, loc: &Locality) -> Result<(), Vec<String>> {
    let found = problems(speech, loc);
    if found.is_empty() { Ok(()) } else { Err(found) }
}

fn tail(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    chars[chars.len().saturating_sub(12)..].iter().collect()
}

fn head(line: &str) -> String {
    line.chars().take(12).collect()
}
