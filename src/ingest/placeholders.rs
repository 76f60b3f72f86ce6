//! Placeholders in template speeches (`XX镇`, `×××同志`, `__月__日`): found so that
//! `outline` can show them and `decompose` can turn them into 【slots】.

use serde::Serialize;

// ---------------------------------------------------------------------------------------
// Placeholders
// ---------------------------------------------------------------------------------------

/// What a placeholder stands for, from the word that follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceholderKind {
    /// `XX镇`, `××乡`, `*街道`: the place a template speech is for.
    Place,
    /// `×××同志`, `*县长`: a person.
    Person,
    /// `__月__日`, `XX年`: a date.
    Date,
    /// Anything else left blank (`XX公司`, `__`).
    Blank,
}

/// A placeholder found in a text: `text` is the blank itself (`××`, `*`, `__`), `word`
/// the word it stands before (`镇`, `同志`, `月`), offsets in chars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub word: String,
    pub kind: PlaceholderKind,
}

const PLACE_WORDS: [&str; 8] = ["街道", "苏木", "乡", "镇", "县", "区", "市", "村"];
const PERSON_WORDS: [&str; 14] = [
    "同志",
    "书记",
    "县长",
    "乡长",
    "镇长",
    "主任",
    "局长",
    "部长",
    "主席",
    "副县长",
    "委员",
    "代表",
    "先生",
    "女士",
];
const DATE_WORDS: [&str; 4] = ["年", "月", "日", "号"];

fn is_blank_char(c: char) -> bool {
    matches!(
        c,
        'X' | 'x' | 'Ｘ' | 'ｘ' | '×' | '*' | '＊' | '○' | '□' | '_' | '＿'
    )
}

/// Finds the placeholders in `text`: runs of `X x × * ○ □ _` (two or more, or a single
/// `*`/`×`/`○`/`□` before a place or person word) that stand between Chinese words, not
/// inside Latin words or arithmetic (`3×5`).
pub fn find_placeholders(text: &str) -> Vec<Placeholder> {
    let cs: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if !is_blank_char(cs[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < cs.len() && is_blank_char(cs[i]) {
            i += 1;
        }
        let mut start = start;
        let letters_only = cs[start..i]
            .iter()
            .all(|c| matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ'));
        // A year with its last digit blanked (`201x年`): the whole year is the blank.
        if letters_only
            && start > 0
            && cs[start - 1].is_ascii_digit()
            && matches!(cs.get(i), Some('年'))
        {
            while start > 0 && cs[start - 1].is_ascii_digit() {
                start -= 1;
            }
        }
        let run: String = cs[start..i].iter().collect();
        let before = start.checked_sub(1).and_then(|p| cs.get(p)).copied();
        let after = cs.get(i).copied();
        // Part of a Latin word, a number or an expression: not a blank.
        let latin_neighbour = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if latin_neighbour(before) || latin_neighbour(after) {
            continue;
        }
        let rest: String = cs[i..cs.len().min(i + 3)].iter().collect();
        let word_of = |list: &[&str]| {
            list.iter()
                .filter(|w| rest.starts_with(**w))
                .max_by_key(|w| w.chars().count())
                .map(|w| w.to_string())
        };
        let (kind, word) = if let Some(w) = word_of(&PERSON_WORDS) {
            (PlaceholderKind::Person, w)
        } else if let Some(w) = word_of(&PLACE_WORDS) {
            (PlaceholderKind::Place, w)
        } else if let Some(w) = word_of(&DATE_WORDS) {
            (PlaceholderKind::Date, w)
        } else {
            (PlaceholderKind::Blank, String::new())
        };
        let single_ok =
            matches!(cs[start], '*' | '＊' | '×' | '○' | '□') && kind != PlaceholderKind::Blank;
        // `XX` before nothing Chinese is probably Latin text; a lone `x` between Chinese
        // words (`x书记`, `X万亩`) is never a word of a Chinese speech: a blank.
        let next_is_chinese = after.is_some_and(|c| !c.is_ascii());
        let prev_is_chinese = before.is_none_or(|c| !c.is_ascii());
        let between_chinese = next_is_chinese && prev_is_chinese;
        let long_enough =
            run.chars().count() >= 2 || single_ok || (letters_only && between_chinese);
        if long_enough && (!letters_only || between_chinese) {
            found.push(Placeholder {
                start,
                end: i,
                text: run,
                word,
                kind,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_letters_and_blanked_years_are_blanks() {
        let texts: Vec<String> =
            find_placeholders("请x书记讲话，新增X万亩，201x年，Windows XP，5G")
                .into_iter()
                .map(|p| p.text)
                .collect();
        assert_eq!(texts, ["x", "X", "201x"]);
    }

    #[test]
    fn placeholders_are_recognised() {
        let text =
            "在XX镇召开会议，×××同志主持，*县长讲话，会议于__月__日举行，3×5=15，Windows XP。";
        let found = find_placeholders(text);
        let summary: Vec<(&str, &str, PlaceholderKind)> = found
            .iter()
            .map(|p| (p.text.as_str(), p.word.as_str(), p.kind))
            .collect();
        assert_eq!(
            summary,
            [
                ("XX", "镇", PlaceholderKind::Place),
                ("×××", "同志", PlaceholderKind::Person),
                ("*", "县长", PlaceholderKind::Person),
                ("__", "月", PlaceholderKind::Date),
                ("__", "日", PlaceholderKind::Date),
            ]
        );
        let cs: Vec<char> = text.chars().collect();
        let first: String = cs[found[0].start..found[0].end].iter().collect();
        assert_eq!(first, "XX");
        assert!(find_placeholders("提高GDP增长，xx").is_empty());
    }
}
