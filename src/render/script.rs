//! Writing a finished draft in Traditional characters (`--script traditional|hk|tw`).
//!
//! The conversion runs on the Speech tree, before any format renders it, so the title,
//! headings, Word file and JSON all say the same thing, and the JSON span offsets are
//! computed from the converted text. OpenCC's configurations: `s2t` (OpenCC standard
//! Traditional), `s2hk` (Hong Kong forms) and `s2tw` (Taiwan forms). `s2twp` also swaps
//! mainland vocabulary for Taiwan usage (信息→資訊, 网络→網路); a speech to a mainland
//! township meeting must keep its own words, so `tw` converts the characters only.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

use crate::base::error::{Error, Result};
use crate::draft::speech::{Inline, Speech, Text};

/// The script a draft is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Script {
    /// 简体 (the drafts' own script: no conversion).
    #[default]
    Simplified,
    /// 繁體, OpenCC standard forms.
    Traditional,
    /// 繁體, Hong Kong forms.
    #[value(name = "hk")]
    HongKong,
    /// 繁體, Taiwan forms (characters only, no vocabulary swap).
    #[value(name = "tw")]
    Taiwan,
}

impl Script {
    fn config(self) -> Option<BuiltinConfig> {
        match self {
            Script::Simplified => None,
            Script::Traditional => Some(BuiltinConfig::S2t),
            Script::HongKong => Some(BuiltinConfig::S2hk),
            Script::Taiwan => Some(BuiltinConfig::S2tw),
        }
    }
}

/// Words OpenCC gets wrong in this genre, with the Traditional form they must take.
/// OpenCC converts by longest dictionary match, and some matches swallow the start of
/// the next word: “不如干部” matches 如干 (= 若干, kept as 干) and leaves 干部 unconverted;
/// “村党支书” keeps 党 (also a surname written so in Traditional). In a speech 干部 is
/// always 幹部 and 党 always the Party, 黨. The same forms serve all three scripts.
const FORCED: &[(&str, &str)] = &[("干部", "幹部"), ("党", "黨")];

/// Puts the forced words back where the Simplified `original` has them. Works when the
/// conversion kept the length (then every character sits where it was); otherwise
/// leaves the conversion as it is.
fn enforce(original: &str, converted: String) -> String {
    let source: Vec<char> = original.chars().collect();
    let mut out: Vec<char> = converted.chars().collect();
    if source.len() != out.len() {
        return converted;
    }
    for (simplified, traditional) in FORCED {
        let word: Vec<char> = simplified.chars().collect();
        let forced: Vec<char> = traditional.chars().collect();
        for start in 0..source.len().saturating_sub(word.len() - 1) {
            if source[start..start + word.len()] == word[..] {
                out[start..start + word.len()].copy_from_slice(&forced);
            }
        }
    }
    out.into_iter().collect()
}

/// One converter per configuration, loaded once per process (the dictionaries are large).
fn converter(script: Script) -> Result<Option<&'static OpenCC>> {
    static CELLS: [OnceLock<Option<OpenCC>>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let (Some(config), index) = (
        script.config(),
        match script {
            Script::HongKong => 1,
            Script::Taiwan => 2,
            _ => 0,
        },
    ) else {
        return Ok(None);
    };
    CELLS[index]
        .get_or_init(|| OpenCC::from_config(config).ok())
        .as_ref()
        .map(Some)
        .ok_or_else(|| {
            Error::new(format!(
                "internal: the OpenCC dictionary for {script:?} did not load; \
                 use --script simplified or report this"
            ))
        })
}

/// Converts a string (for places outside the tree, such as messages or file names).
pub fn convert_str(text: &str, script: Script) -> Result<String> {
    Ok(match converter(script)? {
        Some(cc) => enforce(text, cc.convert(text)),
        None => text.to_string(),
    })
}

/// Converts every text and label of the draft in place.
pub fn convert(speech: &mut Speech, script: Script) -> Result<()> {
    let Some(cc) = converter(script)? else {
        return Ok(());
    };
    let convert = |s: &str| enforce(s, cc.convert(s));
    for text in speech.texts_mut() {
        convert_text(text, &convert);
    }
    for label in speech.labels_mut() {
        *label = convert(label);
    }
    Ok(())
}

/// Converts one text and keeps its spans on the same words.
///
/// The whole text is converted at once so that OpenCC's phrase dictionary sees every
/// phrase whole. When that keeps the number of characters (the usual case: the
/// conversion is character for character), the spans keep their offsets. When it does
/// not, the text is converted piece by piece between span boundaries, so every
/// boundary's new offset is known exactly.
fn convert_text(text: &mut Text, convert: &dyn Fn(&str) -> String) {
    for span in &mut text.spans {
        if let Inline::Locality { place, .. } = &mut span.what {
            *place = convert(place);
        }
    }
    let whole = convert(&text.text);
    if whole.chars().count() == text.char_len() {
        text.text = whole;
        return;
    }
    let chars: Vec<char> = text.text.chars().collect();
    let mut cuts: Vec<usize> = text
        .spans
        .iter()
        .flat_map(|s| [s.start, s.end])
        .chain([0, chars.len()])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(whole.len());
    // new_at[i] = new offset of old boundary cuts[i]
    let mut new_at = Vec::with_capacity(cuts.len());
    let mut len = 0usize;
    new_at.push(0);
    for pair in cuts.windows(2) {
        let piece: String = chars[pair[0]..pair[1]].iter().collect();
        let converted = convert(&piece);
        len += converted.chars().count();
        out.push_str(&converted);
        new_at.push(len);
    }
    let moved = |old: usize| new_at[cuts.binary_search(&old).unwrap_or(0)];
    for span in &mut text.spans {
        span.start = moved(span.start);
        span.end = moved(span.end);
    }
    text.text = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::speech::InlineSpan;

    fn slot(start: usize, end: usize) -> InlineSpan {
        InlineSpan {
            start,
            end,
            what: Inline::Slot {
                slot: "s".into(),
                alternative: "1".into(),
                source: None,
            },
        }
    }

    #[test]
    fn same_length_conversion_keeps_offsets() {
        let mut text = Text {
            text: "我们召开会议".into(),
            spans: vec![slot(2, 6)],
        };
        convert_text(&mut text, &|s| convert_str(s, Script::Traditional).unwrap());
        assert_eq!(text.text, "我們召開會議");
        assert_eq!((text.spans[0].start, text.spans[0].end), (2, 6));
    }

    #[test]
    fn length_changes_move_the_spans_with_their_words() {
        // A made-up converter that doubles 会: the span after it must shift by one.
        let mut text = Text {
            text: "开会讲话".into(),
            spans: vec![slot(0, 2), slot(2, 4)],
        };
        convert_text(&mut text, &|s| s.replace('会', "会会"));
        assert_eq!(text.text, "开会会讲话");
        assert_eq!((text.spans[0].start, text.spans[0].end), (0, 3));
        assert_eq!((text.spans[1].start, text.spans[1].end), (3, 5));
    }

    #[test]
    fn words_opencc_misses_are_forced() {
        assert_eq!(
            convert_str("村党支书为成员", Script::Taiwan).unwrap(),
            "村黨支書為成員"
        );
        assert_eq!(
            convert_str("与其坐等群众上门，不如干部主动下访", Script::Traditional).unwrap(),
            "與其坐等羣衆上門，不如幹部主動下訪"
        );
        // 干 stays where it is 干 (若干, 干涉).
        assert_eq!(
            convert_str("若干问题不容干涉", Script::Traditional).unwrap(),
            "若干問題不容干涉"
        );
    }

    #[test]
    fn hong_kong_and_taiwan_forms_differ_where_they_should() {
        assert_eq!(convert_str("群众", Script::Traditional).unwrap(), "羣衆");
        assert_eq!(convert_str("群众", Script::Taiwan).unwrap(), "群眾");
        assert_eq!(convert_str("群众", Script::Simplified).unwrap(), "群众");
    }
}
