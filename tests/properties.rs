//! Invariants of every draft, for every kind of place and many seeds (read from the
//! rendered text, independently of the tree that produced it).

mod common;

use proptest::prelude::*;
use regex::Regex;

const NUMERALS: &str = "一二三四五六七八九十";

fn numeral(n: usize) -> String {
    speechgen::base::numerals::cn(n as i64)
}

/// Numbering is contiguous at every level: 一、二、… ; 第一，第二，… per section;
/// 一是/二是 (or 一要) per point.
fn check_numbering(text: &str) -> Result<(), String> {
    let heading = Regex::new(&format!("^([{NUMERALS}]+)、")).unwrap();
    let point = Regex::new(&format!("^第([{NUMERALS}]+)，")).unwrap();
    let sub = Regex::new(&format!("^([{NUMERALS}]+)([是要])")).unwrap();
    let (mut sections, mut points, mut subs) = (0, 0, 0);
    for line in text.lines() {
        if let Some(c) = heading.captures(line) {
            sections += 1;
            points = 0;
            subs = 0;
            if c[1] != numeral(sections) {
                return Err(format!("section {sections} numbered {}", &c[1]));
            }
        } else if let Some(c) = point.captures(line) {
            points += 1;
            subs = 0;
            if c[1] != numeral(points) {
                return Err(format!("point {points} numbered {} in “{line}”", &c[1]));
            }
        } else if let Some(c) = sub.captures(line) {
            subs += 1;
            if c[1] != numeral(subs) {
                return Err(format!("sub-point {subs} numbered {} in “{line}”", &c[1]));
            }
        }
    }
    // Sections are optional units: three to five of the five.
    if !(3..=5).contains(&sections) {
        return Err(format!("{sections} sections instead of 3 to 5"));
    }
    Ok(())
}

/// Announced counts equal the items that follow.
fn check_counts(text: &str) -> Result<(), String> {
    let lines: Vec<&str> = text.lines().collect();
    // “三种意识” announces the points of the section it opens (一、心系群众, when present).
    let heading = Regex::new(&format!("^[{NUMERALS}]+、")).unwrap();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| heading.is_match(lines[i]))
        .chain([lines.len()])
        .collect();
    let announced = Regex::new(&format!("([{NUMERALS}]+)种意识")).unwrap();
    let Some(section) = starts
        .windows(2)
        .find(|w| lines[w[0]..w[1]].iter().any(|l| announced.is_match(l)))
    else {
        return Ok(());
    };
    let (s1, s2) = (section[0], section[1]);
    let points = lines[s1..s2].iter().filter(|l| l.starts_with('第')).count();
    for line in &lines[s1..s2] {
        if let Some(c) = announced.captures(line)
            && c[1] != numeral(points)
        {
            return Err(format!("announces {}种意识 but has {points} points", &c[1]));
        }
    }
    // “重点抓好五个方面：一是…五是…” and “X到位”：a，b，c。
    let aspects = Regex::new(&format!("([{NUMERALS}]+)个方面：(.*)")).unwrap();
    let daowei = Regex::new(&format!("“([{NUMERALS}]+)(个)?到位”：([^。]*)。")).unwrap();
    for line in &lines {
        if let Some(c) = aspects.captures(line) {
            let items = Regex::new(&format!("[{NUMERALS}]是"))
                .unwrap()
                .find_iter(&c[2])
                .count();
            if c[1] != numeral(items) {
                return Err(format!("{}个方面 with {items} items", &c[1]));
            }
        }
        if let Some(c) = daowei.captures(line) {
            let items = c[3].split('，').count();
            if c[1] != numeral(items) {
                return Err(format!("{}到位 with {items} items: {}", &c[1], &c[3]));
            }
        }
    }
    Ok(())
}

fn check_surface(text: &str, place: &str, forbidden: &[&str]) -> Result<(), String> {
    for artifact in ["{{", "{%", "【", "】", "@", "<", ">", "\u{FFFD}", "  "] {
        if text.contains(artifact) {
            return Err(format!("artifact {artifact:?}"));
        }
    }
    if let Some(c) = text
        .chars()
        .find(|c| c.is_ascii_punctuation() || c.is_ascii_alphabetic())
    {
        return Err(format!(
            "ASCII character {c:?} (half-width punctuation or Latin)"
        ));
    }
    if let Some(c) = text.chars().find(|c| ('\u{E000}'..='\u{F8FF}').contains(c)) {
        return Err(format!("private-use character {c:?}"));
    }
    let doubled = Regex::new("[，。；：、！？]{2}").unwrap();
    if let Some(m) = doubled.find(text) {
        return Err(format!("doubled punctuation {}", m.as_str()));
    }
    if place != "西布河乡" && text.contains("西布河") {
        return Err("mentions 西布河 in a draft for another place".into());
    }
    for word in forbidden {
        if text.contains(word) {
            return Err(format!("“{word}” does not fit {place}"));
        }
    }
    if let Some(problem) = speechgen::draft::validate::style_problems(text).first() {
        return Err(problem.clone());
    }
    // Line 2 is the salutation 同志们：, the only line that may end with a colon.
    for line in text.lines().filter(|l| *l != "同志们：") {
        if line.ends_with(['，', '；', '、', '：']) {
            return Err(format!("dangling line end: {line}"));
        }
    }
    Ok(())
}

fn check_all(place: &str, seed: u64, must: &[&str], forbidden: &[&str]) -> Result<(), String> {
    check_text(&common::draft(place, seed), place, seed, must, forbidden)
}

fn check_text(
    text: &str,
    place: &str,
    seed: u64,
    must: &[&str],
    forbidden: &[&str],
) -> Result<(), String> {
    let text = text.to_string();
    let r = check_numbering(&text)
        .and_then(|_| check_counts(&text))
        .and_then(|_| check_surface(&text, place, forbidden));
    // The place is named; of its own level words (the rest of `must`) at least one is
    // used: structural variety leaves out different paragraphs in different drafts.
    if !text.contains(must[0]) {
        return Err(format!("{place} draft lacks “{}”", must[0]));
    }
    if must.len() > 1 && !must[1..].iter().any(|w| text.contains(w)) {
        return Err(format!("{place} draft uses none of {:?}", &must[1..]));
    }
    r.map_err(|e| format!("{place} seed {seed}: {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn xiang_drafts_are_valid(seed in any::<u64>()) {
        check_all("红星乡", seed, &["红星", "全乡", "乡党委", "我乡", "乡村干部", "乡人民政府"], &["镇党委", "全镇", "街道党工委", "嘎查"])
            .map_err(TestCaseError::fail)?;
    }

    #[test]
    fn zhen_drafts_are_valid(seed in any::<u64>()) {
        check_all("太平镇", seed, &["太平", "全镇", "镇党委", "我镇", "镇村干部", "镇人民政府"], &["乡党委", "全乡", "我乡", "街道党工委", "嘎查"])
            .map_err(TestCaseError::fail)?;
    }

    #[test]
    fn jiedao_drafts_are_valid(seed in any::<u64>()) {
        check_all("大栅栏街道", seed, &["大栅栏", "街道党工委", "全街道", "街道", "社区"],
            &["乡党委", "全乡", "镇党委", "全镇", "村委会", "村党支部", "赶集", "嘎查", "种田"])
            .map_err(TestCaseError::fail)?;
    }

    #[test]
    fn sumu_drafts_are_valid(seed in any::<u64>()) {
        check_all("巴音苏木", seed, &["巴音", "苏木党委", "全苏木", "苏木", "嘎查"],
            &["乡党委", "全乡", "镇党委", "全镇", "村委会", "村党支部", "街道党工委"])
            .map_err(TestCaseError::fail)?;
    }
}

/// The places of the tests above, with the words their drafts must and must not use.
const PLACES: [(&str, &[&str], &[&str]); 4] = [
    (
        "红星乡",
        &["红星"],
        &["镇党委", "全镇", "街道党工委", "嘎查"],
    ),
    (
        "太平镇",
        &["太平"],
        &["乡党委", "全乡", "我乡", "街道党工委", "嘎查"],
    ),
    (
        "大栅栏街道",
        &["大栅栏"],
        &[
            "乡党委",
            "全乡",
            "镇党委",
            "全镇",
            "村委会",
            "村党支部",
            "赶集",
            "嘎查",
            "种田",
        ],
    ),
    (
        "巴音苏木",
        &["巴音"],
        &[
            "乡党委",
            "全乡",
            "镇党委",
            "全镇",
            "村委会",
            "村党支部",
            "街道党工委",
        ],
    ),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    /// --length reaches its target within ±10% by whole units, and every invariant holds
    /// at every length.
    #[test]
    fn every_length_is_valid_and_on_target(
        seed in any::<u64>(),
        length in common::MIN_LENGTH..=common::MAX_LENGTH,
        which in 0usize..4,
    ) {
        let (place, must, forbidden) = PLACES[which];
        let text = common::draft_with_length(place, seed, length);
        check_text(&text, place, seed, must, forbidden).map_err(TestCaseError::fail)?;
        let chars = text.chars().count();
        prop_assert!(
            chars.abs_diff(length) * 10 <= length,
            "{place} seed {seed}: asked {length}, got {chars}"
        );
    }
}

#[test]
fn the_checkers_can_fail() {
    assert!(check_numbering("标题\n一、甲\n第一，乙\n第三，丙\n").is_err());
    assert!(check_counts("一、甲\n“两种意识”没有\n二种意识\n第一，甲\n二、乙\n").is_err());
    assert!(check_surface("好,的", "太平镇", &[]).is_err());
    assert!(check_surface("西布河", "太平镇", &[]).is_err());
    assert!(check_surface("全乡", "太平镇", &["全乡"]).is_err());
}
