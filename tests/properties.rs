//! Invariants of every draft, for every kind of place and many seeds (read from the
//! rendered text, independently of the tree that produced it).

mod common;

use proptest::prelude::*;
use regex::Regex;

const NUMERALS: &str = "一二三四五六七八九十";

fn numeral(n: usize) -> String {
    speechgen::numerals::cn(n as i64)
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
    if sections != 5 {
        return Err(format!("{sections} sections instead of 5"));
    }
    Ok(())
}

/// Announced counts equal the items that follow.
fn check_counts(text: &str) -> Result<(), String> {
    let lines: Vec<&str> = text.lines().collect();
    // “三种意识” announces the points of section one.
    let s1 = lines.iter().position(|l| l.starts_with("一、")).unwrap();
    let s2 = lines.iter().position(|l| l.starts_with("二、")).unwrap();
    let points = lines[s1..s2].iter().filter(|l| l.starts_with('第')).count();
    let announced = Regex::new(&format!("([{NUMERALS}]+)种意识")).unwrap();
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
        .find(|c| c.is_ascii_punctuation() || c.is_ascii_alphanumeric())
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
    // Line 2 is the salutation 同志们：, the only line that may end with a colon.
    for line in text.lines().filter(|l| *l != "同志们：") {
        if line.ends_with(['，', '；', '、', '：']) {
            return Err(format!("dangling line end: {line}"));
        }
    }
    Ok(())
}

fn check_all(place: &str, seed: u64, must: &[&str], forbidden: &[&str]) -> Result<(), String> {
    let text = common::draft(place, seed);
    let r = check_numbering(&text)
        .and_then(|_| check_counts(&text))
        .and_then(|_| check_surface(&text, place, forbidden));
    for word in must {
        if !text.contains(word) {
            return Err(format!("{place} draft lacks “{word}”"));
        }
    }
    r.map_err(|e| format!("{place} seed {seed}: {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn xiang_drafts_are_valid(seed in any::<u64>()) {
        check_all("红星乡", seed, &["红星乡", "全乡"], &["镇党委", "全镇", "街道党工委", "嘎查"])
            .map_err(TestCaseError::fail)?;
    }

    #[test]
    fn zhen_drafts_are_valid(seed in any::<u64>()) {
        check_all("太平镇", seed, &["太平镇", "全镇"], &["乡党委", "全乡", "我乡", "街道党工委", "嘎查"])
            .map_err(TestCaseError::fail)?;
    }

    #[test]
    fn jiedao_drafts_are_valid(seed in any::<u64>()) {
        check_all("大栅栏街道", seed, &["大栅栏街道", "街道党工委"],
            &["乡党委", "全乡", "镇党委", "全镇", "村委会", "村党支部", "赶集", "嘎查", "种田"])
            .map_err(TestCaseError::fail)?;
    }

    #[test]
    fn sumu_drafts_are_valid(seed in any::<u64>()) {
        check_all("巴音苏木", seed, &["巴音苏木", "苏木党委"],
            &["乡党委", "全乡", "镇党委", "全镇", "村委会", "村党支部", "街道党工委"])
            .map_err(TestCaseError::fail)?;
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
