//! Checks on a finished draft: what a clerk must never see. Used by `generate` (a draft
//! that fails is an error, not an output) and by the property tests.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;

use crate::draft::speech::{Inline, Speech, Text};
use crate::draft::speech::{lines, text, text_with};
use crate::pack::Pack;
use crate::place::locality::{Level, Locality};

/// Words that belong to another kind of place and must not appear in this draft: the
/// other township kinds' own words (from the same table the drafts use), plus village
/// words where there are no villages and 村 words where villages are 嘎查.
fn foreign_words(loc: &Locality) -> Vec<String> {
    let own: Vec<String> = KEYS.iter().filter_map(|k| loc.word(k)).collect();
    let mut words: Vec<String> = level_words()
        .iter()
        .filter(|word| !own.iter().any(|o| o.contains(word.as_str())))
        .cloned()
        .collect();
    if loc.level != Level::Sumu {
        words.push("嘎查".into());
    }
    if loc.level == Level::Sumu || !loc.level.is_rural() {
        words.extend(["村委会", "村党支部"].map(String::from));
    }
    if !loc.level.is_rural() {
        words.extend(["赶集", "包村"].map(String::from));
    }
    words
}

/// A place's foreign words and one searcher for all of them (SIMD, `Teddy`): a draft
/// is read once for the dozen words, not once for each.
struct ForeignWords {
    words: Vec<String>,
    searcher: Option<aho_corasick::packed::Searcher>,
}

impl ForeignWords {
    /// Which of the words occur in `text`, in the words' order.
    fn present(&self, text: &str) -> Vec<bool> {
        let bytes = text.as_bytes();
        let Some(searcher) = &self.searcher else {
            return self
                .words
                .iter()
                .map(|w| memchr::memmem::find(bytes, w.as_bytes()).is_some())
                .collect();
        };
        // The search gives the leftmost place where some word starts; every word is
        // tried there and the search goes on from the next byte, so a word starting
        // inside another's match (包村 in 包村党支部) or at the same place is found too.
        let mut present = vec![false; self.words.len()];
        let mut from = 0;
        while let Some(hit) = searcher.find_in(bytes, aho_corasick::Span::from(from..bytes.len())) {
            let rest = &bytes[hit.start()..];
            for (seen, word) in present.iter_mut().zip(&self.words) {
                *seen |= rest.starts_with(word.as_bytes());
            }
            from = hit.start() + 1;
        }
        present
    }
}

/// The foreign words of `loc` and their searcher, built once per distinct list on each
/// thread: a list depends only on the place's level words, so a corpus of any size
/// builds a handful.
fn foreign_words_of(loc: &Locality) -> Rc<ForeignWords> {
    thread_local! {
        static BUILT: RefCell<Vec<Rc<ForeignWords>>> = const { RefCell::new(Vec::new()) };
    }
    let words = foreign_words(loc);
    BUILT.with_borrow_mut(|built| {
        if let Some(found) = built.iter().find(|f| f.words == words) {
            return found.clone();
        }
        // None where the CPU has no SIMD search (then each word is searched alone).
        let searcher = aho_corasick::packed::Searcher::new(words.iter());
        let found = Rc::new(ForeignWords { words, searcher });
        built.push(found.clone());
        found
    })
}

/// The placeholders whose words tell the township kinds apart.
const KEYS: [&str; 4] = ["乡党委", "全乡", "我乡", "乡长"];

/// The words of `KEYS` for a 乡, 镇, 街道 and 苏木, in that order, without repeats. They
/// are the same for every draft, so they are worked out once (every draft is checked).
fn level_words() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Vec<String> = Vec::new();
        for level in [Level::Xiang, Level::Zhen, Level::Jiedao, Level::Sumu] {
            let Ok(other) = Locality::with_level("某地", level) else {
                continue;
            };
            for word in KEYS.iter().filter_map(|k| other.word(k)) {
                if !words.contains(&word) {
                    words.push(word);
                }
            }
        }
        words
    })
}

/// Full-width punctuation that must not be doubled or open a paragraph.
fn is_punct(c: char) -> bool {
    matches!(c, '，' | '。' | '；' | '：' | '、' | '！' | '？')
}

/// The first run of Latin letters that does not belong in a Chinese speech. Acronyms
/// written in capitals with digits belong (5G, GDP, APP, LED, PM2.5, 12345热线 has
/// none); lower-case words (docx, http) and X placeholders (XX, X万亩, x书记) do not.
fn stray_latin(text: &str) -> Option<&str> {
    let is_part = |c: char| c.is_ascii_alphanumeric() || c == '.';
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphabetic()) {
        // Back to the start of the run (digits before the letters: 5G).
        let begin = rest[..start]
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_part(*c))
            .last()
            .map_or(start, |(i, _)| i);
        let end = rest[start..]
            .find(|c: char| !is_part(c))
            .map_or(rest.len(), |e| start + e);
        let word = rest[begin..end].trim_matches('.');
        let letters: Vec<char> = word.chars().filter(char::is_ascii_alphabetic).collect();
        let acronym = word.chars().count() >= 2
            && letters.iter().all(char::is_ascii_uppercase)
            && !letters.iter().all(|&c| c == 'X');
        if !acronym {
            return Some(word);
        }
        rest = &rest[end..];
    }
    None
}

// How the problems that name a fix begin (`located` reads them back).
const ARTIFACT_PROBLEM: &str = "template or scraping artifact";
const LATIN_PROBLEM: &str = "Latin letter";
const HALF_WIDTH_PROBLEM: &str = "half-width punctuation";

/// Returns every problem found (empty when the draft is clean).
pub fn problems(speech: &Speech, loc: &Locality) -> Vec<String> {
    let text = text(speech);
    let mut found = Vec::new();
    // One pass over the characters (every draft is checked) notes what the messages
    // below need; the messages keep their order.
    const ARTIFACTS: [&str; 8] = ["{{", "}}", "{%", "%}", "【", "】", "@", "\u{FFFD}"];
    const HALF_WIDTH: [char; 7] = [',', ';', ':', '?', '!', '(', ')'];
    let mut artifacts = [false; ARTIFACTS.len()];
    let mut half_width = [false; HALF_WIDTH.len()];
    let mut private_use = None;
    let mut latin = None;
    let mut doubled = None;
    let mut previous = '\n';
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Almost every character is a CJK ideograph, which none of the checks concerns:
        // U+4000–U+9FFF, whose UTF-8 lead bytes are E4–E9, are stepped over without
        // decoding (one of them as `previous` acts as any other would).
        if (0xE4..=0xE9).contains(&bytes[at]) {
            previous = '\u{4E00}';
            at += 3;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        match (previous, c) {
            ('{', '{') => artifacts[0] = true,
            ('}', '}') => artifacts[1] = true,
            ('{', '%') => artifacts[2] = true,
            ('%', '}') => artifacts[3] = true,
            _ => {}
        }
        match c {
            '【' => artifacts[4] = true,
            '】' => artifacts[5] = true,
            '@' => artifacts[6] = true,
            '\u{FFFD}' => artifacts[7] = true,
            '\u{E000}'..='\u{F8FF}' => {
                private_use.get_or_insert(c);
            }
            c if c.is_ascii_alphabetic() => {
                latin.get_or_insert(c);
            }
            c if c.is_ascii_punctuation() => {
                if let Some(i) = HALF_WIDTH.iter().position(|h| *h == c) {
                    half_width[i] = true;
                }
            }
            _ => {}
        }
        if doubled.is_none() && is_punct(previous) && is_punct(c) {
            doubled = Some((previous, c));
        }
        previous = c;
    }
    for (artifact, _) in ARTIFACTS.iter().zip(artifacts).filter(|(_, seen)| *seen) {
        found.push(format!("{ARTIFACT_PROBLEM} “{artifact}”"));
    }
    if let Some(c) = private_use {
        found.push(format!("private-use character U+{:04X}", c as u32));
    }
    if latin.is_some()
        && let Some(word) = stray_latin(&text)
    {
        found.push(format!("{LATIN_PROBLEM} “{word}” in the text"));
    }
    for (half, _) in HALF_WIDTH.iter().zip(half_width).filter(|(_, seen)| *seen) {
        found.push(format!("{HALF_WIDTH_PROBLEM} “{half}”"));
    }
    if let Some((a, b)) = doubled {
        found.push(format!("doubled punctuation “{a}{b}”"));
    }
    for line in lines(&text).skip(1) {
        if line.is_empty() {
            found.push("empty paragraph".into());
        }
        if line.ends_with('，') || line.ends_with('；') || line.ends_with('、') {
            found.push(format!(
                "paragraph ends with a dangling connective: “…{}”",
                tail(line)
            ));
        }
        if line.starts_with(is_punct) {
            found.push(format!(
                "paragraph starts with punctuation: “{}…”",
                head(line)
            ));
        }
    }
    // Place names are real and may hold any word (a 镇 with a 嘎查, a 乡长沟村): the
    // level check reads the text with them blanked out. Blanking only hides words, so a
    // word absent from the text needs no blanked copy (the usual case: none is made).
    let mut unnamed: Option<String> = None;
    let foreign = foreign_words_of(loc);
    let present = foreign.present(&text);
    for (word, _) in foreign.words.iter().zip(present).filter(|(_, seen)| *seen) {
        let unnamed = unnamed.get_or_insert_with(|| text_with(speech, without_place_names));
        if unnamed.contains(word.as_str()) {
            found.push(misfit(word, loc.level.label()));
        }
    }
    found
}

/// Words that open a paragraph by linking it to what came before: two adjacent
/// paragraphs must not open with the same one.
const CONNECTIVES: [&str; 40] = [
    "同时",
    "此外",
    "另外",
    "因此",
    "所以",
    "总之",
    "首先",
    "其次",
    "再次",
    "最后",
    "一方面",
    "另一方面",
    "当前",
    "目前",
    "近年来",
    "今年以来",
    "一年来",
    "前不久",
    "下面",
    "对此",
    "为此",
    "我们",
    "必须",
    "只有",
    "实践证明",
    "事实上",
    "可以说",
    "特别是",
    "尤其是",
    "比如",
    "例如",
    "当然",
    "可见",
    "然而",
    "但是",
    "而且",
    "还要",
    "也要",
    "总的来看",
    "会后",
];

/// What reads as careless rather than wrong: a sentence said twice, or two adjacent
/// unnumbered paragraphs opening with the same connective (同时……同时……). Not a
/// refusal in `generate` (the pack is written to avoid them); the test suites hold every
/// draft they make to it, so a pack change that causes them fails there.
pub fn style_problems(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let numbered = |line: &str| {
        let rest = line.trim_start_matches(|c: char| "第一二三四五六七八九十".contains(c));
        rest.len() < line.len() && rest.starts_with(['、', '，', '是', '要'])
    };
    let mut previous: Option<&str> = None;
    for line in text.lines().skip(2) {
        if numbered(line) {
            previous = None;
            continue;
        }
        if let Some(prev) = previous
            && let Some(word) = CONNECTIVES
                .iter()
                .find(|w| prev.starts_with(**w) && line.starts_with(**w))
        {
            found.push(format!("adjacent paragraphs both open with “{word}”"));
        }
        previous = Some(line);
    }
    // 二 as a count before a measure word (二种思想): a count of two is 两.
    let chars: Vec<char> = text.chars().collect();
    for (i, pair) in chars.windows(2).enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        if pair[0] == '二'
            && "种个点项条件".contains(pair[1])
            && !before.is_some_and(|c| "第十一二三四五六七八九零百千万".contains(c))
        {
            found.push(format!("“二{}” as a count: write 两{}", pair[1], pair[1]));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for sentence in text.split(['。', '！', '？', '\n']) {
        if sentence.chars().count() >= 12 && !seen.insert(sentence) {
            found.push(format!("sentence said twice: “{sentence}”"));
        }
    }
    found
}

/// What a draft says of a word its kind of place does not have (赶集 in a 街道).
pub fn misfit(word: &str, place: &str) -> String {
    format!("“{word}” {MISFIT} {place} place")
}

const MISFIT: &str = "does not fit a";

/// Whether a problem is a word the kind of place does not have ([`misfit`]): a pack
/// fresh from decompose may carry its source's words, and is told which places they
/// shut it out of rather than refused.
pub fn is_misfit(problem: &str) -> bool {
    problem.contains(MISFIT)
}

/// A draft problem with where it comes from: the pack file and line of the alternative
/// whose text holds it, and what to do about it.
pub fn located(pack: &Pack, speech: &Speech, problem: &str) -> String {
    let Some((name, alternative)) = slot_of(speech, problem) else {
        return problem.to_string();
    };
    let Some(slot) = pack.slots.get(&name) else {
        return format!("{problem} (slot “{name}”)");
    };
    let line = slot
        .alternatives
        .iter()
        .find(|a| a.id == alternative)
        .map_or(slot.line, |a| a.line);
    let fix = if problem.starts_with(HALF_WIDTH_PROBLEM) {
        " — write it full-width (，；：？！（）)"
    } else if problem.starts_with(LATIN_PROBLEM) {
        " — delete it, or write a blank as 〔待补〕"
    } else if problem.starts_with(ARTIFACT_PROBLEM) {
        " — delete it (a 【…】 placeholder must be one pack-format.md lists)"
    } else {
        ""
    };
    format!(
        "{}:{line}: slot “{name}”, alternative {alternative}: {problem}{fix}",
        slot.file
    )
}

/// The slot (and alternative) whose text holds what a problem quotes (“:”, “x”,
/// “{{”): found by the quoted string's first occurrence in the tree's texts and the slot
/// span around it. None when the problem quotes nothing or lies outside every slot.
pub fn slot_of(speech: &Speech, problem: &str) -> Option<(String, String)> {
    let quoted = problem.split_once('“')?.1.split_once('”')?.0;
    let quoted = quoted.trim_start_matches('…');
    let quoted = quoted.trim_end_matches('…');
    if quoted.is_empty() {
        return None;
    }
    speech.texts().into_iter().find_map(|text| {
        let at = text.text.find(quoted)?;
        let at = text.text[..at].chars().count();
        text.spans.iter().find_map(|span| match &span.what {
            Inline::Slot {
                slot, alternative, ..
            } if (span.start..span.end.max(span.start + 1)).contains(&at) => {
                Some((slot.clone(), alternative.clone()))
            }
            _ => None,
        })
    })
}

pub fn check_speech(speech: &Speech, loc: &Locality) -> Result<(), Vec<String>> {
    let found = problems(speech, loc);
    if found.is_empty() { Ok(()) } else { Err(found) }
}

/// The text with every place name blanked (□), for checks that must not read words
/// inside real names (a 镇 with a 嘎查, a 乡长沟村).
pub fn without_place_names(text: &Text) -> String {
    let places: Vec<(usize, usize)> = text
        .spans
        .iter()
        .filter(|s| matches!(s.what, Inline::Locality { .. }))
        .map(|s| (s.start, s.end))
        .collect();
    text.text
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if places.iter().any(|&(start, end)| (start..end).contains(&i)) {
                '□'
            } else {
                c
            }
        })
        .collect()
}

fn tail(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    chars[chars.len().saturating_sub(12)..].iter().collect()
}

fn head(line: &str) -> String {
    line.chars().take(12).collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn acronyms_belong_and_placeholders_do_not() {
        use super::stray_latin;
        for fine in [
            "全乡5G基站",
            "GDP增长",
            "APP上报",
            "LED屏",
            "PM2.5浓度",
            "拨打12345热线",
        ] {
            assert_eq!(stray_latin(fine), None, "{fine}");
        }
        assert_eq!(stray_latin("全乡XX个村"), Some("XX"));
        assert_eq!(stray_latin("X万亩"), Some("X"));
        assert_eq!(stray_latin("请x书记讲话"), Some("x"));
        assert_eq!(stray_latin("例文.docx"), Some("docx"));
    }

    #[test]
    fn two_as_a_count_is_flagged() {
        let text = "标题\n同志们：\n要消除二种思想。\n第二，要做。十二个村。\n";
        let found = style_problems(text);
        assert_eq!(found, ["“二种” as a count: write 两种"]);
    }

    use super::*;

    #[test]
    fn style_problems_find_repeats_and_same_openings() {
        let text =
            "标题\n同志们：\n同时要抓好甲。\n同时要抓好乙。\n第一，要这样。\n第二，要那样。\n";
        assert_eq!(style_problems(text).len(), 1);
        let twice = "标题\n同志们：\n群众利益无小事这句话要记牢。\n我们说群众利益无小事这句话要记牢。群众利益无小事这句话要记牢。\n";
        assert!(style_problems(twice).iter().any(|p| p.contains("twice")));
        assert!(style_problems("标题\n同志们：\n一、甲\n一是要甲。\n二是要乙。\n").is_empty());
    }

    #[test]
    fn every_kind_of_problem_is_named() {
        let loc = Locality::from_name("太平镇").unwrap();
        let speech = crate::draft::speech::build(
            "@title 标题{{x}}【丁】\n@para 甲{%乙%}丙@\u{FFFD}\u{E005}a，，b,;:?!()乡党委。\n@para ，开头",
            "太平镇",
        )
        .unwrap();
        let found = problems(&speech, &loc).join("\n");
        for expected in [
            "artifact “{{”",
            "artifact “}}”",
            "artifact “{%”",
            "artifact “%}”",
            "artifact “【”",
            "artifact “】”",
            "artifact “@”",
            "artifact “\u{FFFD}”",
            "private-use character U+E005",
            "Latin letter “x”",
            "half-width punctuation “,”",
            "half-width punctuation “)”",
            "doubled punctuation “，，”",
            "paragraph starts with punctuation",
            "“乡党委” does not fit a 镇 place",
        ] {
            assert!(found.contains(expected), "{expected} not in:\n{found}");
        }
        let clean =
            crate::draft::speech::build("@title 标题\n@para 镇党委召开会议。", "太平镇").unwrap();
        assert!(problems(&clean, &loc).is_empty());
    }

    #[test]
    fn one_search_finds_every_word_a_search_per_word_finds() {
        let words: Vec<String> = ["包村", "村党支部", "全乡", "全乡镇", "嘎查"]
            .map(String::from)
            .into();
        let searcher = aho_corasick::packed::Searcher::new(words.iter());
        let one = ForeignWords {
            words: words.clone(),
            searcher,
        };
        let each = ForeignWords {
            words,
            searcher: None,
        };
        for text in [
            "包村党支部书记",
            "全乡镇干部",
            "没有",
            "嘎查，嘎查全乡",
            "",
            "全",
        ] {
            assert_eq!(one.present(text), each.present(text), "{text}");
        }
        // Inside another's match, and at the same place as another.
        assert_eq!(one.present("包村党支部"), [true, true, false, false, false]);
        assert_eq!(one.present("全乡镇"), [false, false, true, true, false]);
    }

    #[test]
    fn foreign_words_follow_the_level() {
        let zhen = foreign_words(&Locality::from_name("太平镇").unwrap());
        assert!(zhen.contains(&"乡党委".to_string()) && zhen.contains(&"全街道".to_string()));
        assert!(!zhen.contains(&"镇党委".to_string()) && !zhen.contains(&"村委会".to_string()));
        let jiedao = foreign_words(&Locality::from_name("大栅栏街道").unwrap());
        assert!(jiedao.contains(&"村委会".to_string()) && jiedao.contains(&"全镇".to_string()));
        let sumu = foreign_words(&Locality::from_name("巴音苏木").unwrap());
        assert!(sumu.contains(&"村委会".to_string()) && !sumu.contains(&"嘎查".to_string()));
    }
}
