//! The outline of a speech: title, salutation, opening, transition, the numbered hierarchy
//! (sections → points → sub-points → …), closing, and what is wrong with its numbering.
//!
//! Chinese speeches number their parts with a handful of styles — `一、`, `（一）`, `第一，`,
//! `一是`, `一要`, `1.`/`1、`, `（1）`, `①`, `首先…其次…再次…最后` — but no fixed order of
//! nesting: one speech puts `（一）` under `一、`, another `第一，` under `一、` and `一是` under
//! that, another starts with `首先`. So levels are not assigned by style. As a reader does,
//! a style met for the first time opens a level below the current one, and a style already
//! open closes everything below it and continues its level (a sibling).
//!
//! Findings: numbering gaps (`一、` then `三、`, a lone `三是`), numbering that goes back,
//! `其次` without `首先`, and announced counts that do not match what follows
//! (“讲三点意见” followed by two sections, “三种意识” followed by two points, “五个方面：
//! 一是…四是”).

use std::fmt::Write as _;
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::base::numerals::cn_numeral;

/// A numbering style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Style {
    /// `一、` — a heading on its own line, as a rule.
    #[serde(rename = "一、")]
    CnComma,
    /// `（一）` / `(一)` — a heading on its own line, or the lead of a paragraph.
    #[serde(rename = "（一）")]
    CnParen,
    /// `第一，` / `第一、` — the lead sentence of a paragraph.
    #[serde(rename = "第一，")]
    Ordinal,
    /// `一是`
    #[serde(rename = "一是")]
    Shi,
    /// `一要`
    #[serde(rename = "一要")]
    Yao,
    /// `1.` / `1、` / `1．`
    #[serde(rename = "1.")]
    Arabic,
    /// `（1）` / `(1)`
    #[serde(rename = "（1）")]
    ArabicParen,
    /// `①`
    #[serde(rename = "①")]
    Circled,
    /// `首先` `其次` `再次` `最后`
    #[serde(rename = "首先")]
    Sequence,
}

impl Style {
    /// How the style is shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Style::CnComma => "一、",
            Style::CnParen => "（一）",
            Style::Ordinal => "第一，",
            Style::Shi => "一是",
            Style::Yao => "一要",
            Style::Arabic => "1.",
            Style::ArabicParen => "（1）",
            Style::Circled => "①",
            Style::Sequence => "首先/其次",
        }
    }

    /// The marker of item `n` in this style (for messages: “expected 二、”).
    pub fn marker_for(self, n: usize) -> String {
        let cn = crate::base::numerals::cn(n as i64);
        match self {
            Style::CnComma => format!("{cn}、"),
            Style::CnParen => format!("（{cn}）"),
            Style::Ordinal => format!("第{cn}，"),
            Style::Shi => format!("{cn}是"),
            Style::Yao => format!("{cn}要"),
            Style::Arabic => format!("{n}."),
            Style::ArabicParen => format!("（{n}）"),
            Style::Circled => char::from_u32(0x2460 + n.clamp(1, 20) as u32 - 1)
                .map_or_else(|| n.to_string(), String::from),
            Style::Sequence => ["最后", "首先", "其次", "再次"]
                .get(n)
                .unwrap_or(&"再次")
                .to_string(),
        }
    }

    /// Styles whose text is usually a heading line rather than a paragraph's lead sentence.
    pub fn is_heading_style(self) -> bool {
        matches!(self, Style::CnComma | Style::CnParen)
    }
}

/// A numbering marker at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub style: Style,
    /// 1, 2, 3 …; for `最后`, 0 (it ends a sequence whatever its length).
    pub number: usize,
    /// The marker as written (`（一）`, `第一，`, `首先，`).
    pub text: String,
    /// Length in chars of the marker and the punctuation or space after it.
    pub len: usize,
}

fn arabic_digit(c: char) -> Option<usize> {
    c.to_digit(10).map(|d| d as usize).or_else(|| {
        ('０'..='９')
            .contains(&c)
            .then(|| c as usize - '０' as usize)
    })
}

/// Arabic number of 1–2 digits at `i`: (value, length).
fn arabic_at(cs: &[char], i: usize) -> Option<(usize, usize)> {
    let d0 = arabic_digit(*cs.get(i)?)?;
    match cs.get(i + 1).copied().and_then(arabic_digit) {
        Some(d1) if cs.get(i + 2).copied().and_then(arabic_digit).is_none() => {
            Some((d0 * 10 + d1, 2))
        }
        Some(_) => None,
        None => Some((d0, 1)),
    }
}

/// Recognises a numbering marker at the start of `line` (see [`Style`]).
pub fn parse_marker(line: &str) -> Option<Marker> {
    let cs: Vec<char> = line.chars().take(12).collect();
    let make = |style: Style, number: usize, len: usize| {
        // Spaces after a marker belong to it (`1. 加强领导`, Word's tab).
        let mut full = len;
        while matches!(cs.get(full), Some(' ' | '\u{3000}' | '\t')) {
            full += 1;
        }
        Some(Marker {
            style,
            number,
            text: cs[..len].iter().collect(),
            len: full,
        })
    };
    let c0 = *cs.first()?;
    // 一、 一是 一要
    if let Some((v, l)) = cn_numeral(&cs, 0) {
        return match cs.get(l) {
            Some('、' | '．') => make(Style::CnComma, v, l + 1),
            Some('是') => make(Style::Shi, v, l + 1),
            Some('要') if !matches!(cs.get(l + 1), Some('素' | '求' | '点' | '害' | '件')) => {
                make(Style::Yao, v, l + 1)
            }
            _ => None,
        };
    }
    // 第一， 第一、
    if c0 == '第' {
        let (v, l) = cn_numeral(&cs, 1)?;
        return match cs.get(1 + l) {
            Some('，' | '、' | ',' | '：' | ':') => make(Style::Ordinal, v, l + 2),
            _ => None,
        };
    }
    // （一） （1）
    if matches!(c0, '（' | '(') {
        let (style, (v, l)) = match cn_numeral(&cs, 1) {
            Some(found) => (Style::CnParen, found),
            None => (Style::ArabicParen, arabic_at(&cs, 1)?),
        };
        if !matches!(cs.get(1 + l), Some('）' | ')')) {
            return None;
        }
        let mut len = l + 2;
        if matches!(cs.get(len), Some('、' | '，')) {
            len += 1;
        }
        return make(style, v, len);
    }
    // 1. 1、 1．
    if let Some((v, l)) = arabic_at(&cs, 0) {
        // A digit after 、 is a short heading's own number (`1、1-4月经济运行情况良好`);
        // before a long sentence it is a site's chunk counter (`1、2022年以来，全镇…`), and
        // after a point it is a decimal (1.5).
        let heading_like = || {
            line.chars().count() <= 30
                && !line
                    .chars()
                    .skip(l + 1)
                    .any(|c| matches!(c, '，' | ',' | '；'))
        };
        return match (cs.get(l), cs.get(l + 1)) {
            (Some('、'), Some(c)) if v > 0 && arabic_digit(*c).is_some() => heading_like()
                .then(|| make(Style::Arabic, v, l + 1))
                .flatten(),
            (Some('、'), _) if v > 0 => make(Style::Arabic, v, l + 1),
            (Some('.' | '．'), next)
                if v > 0 && next.is_none_or(|c| arabic_digit(*c).is_none()) =>
            {
                make(Style::Arabic, v, l + 1)
            }
            _ => None,
        };
    }
    // ①
    if ('\u{2460}'..='\u{2473}').contains(&c0) {
        return make(Style::Circled, c0 as usize - 0x2460 + 1, 1);
    }
    // 首先， 其次， 再次， 最后，  (also 首先要…)
    for (word, n) in [("首先", 1), ("其次", 2), ("再次", 3), ("最后", 0)] {
        if line.starts_with(word) {
            return match cs.get(2) {
                Some('，' | '、' | ',') => make(Style::Sequence, n, 3),
                Some('要' | '是') => make(Style::Sequence, n, 2),
                _ => None,
            };
        }
    }
    None
}

/// Does the line start with a structural marker that must begin a paragraph? Used by
/// `clean` when it rejoins lines broken by a PDF: such a line is never glued to the one
/// before. Sequence words need their comma here (`最后一公里` may start a broken line).
pub fn starts_paragraph(line: &str) -> bool {
    match parse_marker(line) {
        Some(m) if m.style == Style::Sequence => m.text.chars().count() == 3,
        Some(_) => true,
        None => {
            line.starts_with("同志们")
                || line.starts_with("下面，")
                || re_salutation_line().is_match(line)
        }
    }
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("constant regex"))
}

fn re_salutation_line() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    re(
        &CELL,
        r"^(?:尊敬的)?[^。！？]{0,24}(?:同志们|朋友们|代表们|各位代表|各位来宾|各位领导|各位嘉宾|老师们|同学们)[！!]?\s*[：:]$",
    )
}

fn re_transition() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    re(
        &CELL,
        r"^(?:下面|下边|接下来|现在|借此机会|在此|这里|为此|围绕|结合|根据|就)[^。！？]*(?:讲|谈|强调|提出|说|汇报|布置|部署)[^。！？]*(?:意见|要求|看法|想法|问题|几点|方面|事项|体会)[^。！？]*[。！：]?$",
    )
}

fn re_count() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    // 三点意见, 三种意识, 五个方面, 四项工作, 两件事, 三大任务, 六条措施, 三句话
    re(
        &CELL,
        r"([二三四五六七八九十两]{1,3})(个方面|大方面|方面|点|种|项|件|条|个|句话|大|类)",
    )
}

/// A paragraph of the cleaned text, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    pub line: usize,
    pub text: String,
}

/// Where an announced count stands in a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CountIn {
    /// The heading or lead sentence.
    Heading,
    /// The rest of the marked paragraph.
    Rest,
    /// One of the following paragraphs (index into `paragraphs`).
    Paragraph(usize),
}

/// A count announced before the items it counts: “讲三点意见”, “三种意识”.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Announced {
    /// The words as written: `三种`, `三个方面`, `三点`.
    pub phrase: String,
    /// The numeral as written: `三`, `两`.
    pub numeral: String,
    pub count: usize,
    /// How many items actually follow.
    pub found: usize,
    pub line: usize,
    #[serde(rename = "in")]
    pub place: CountIn,
}

impl Announced {
    pub fn matches(&self) -> bool {
        self.count == self.found
    }
}

/// A numbered part of the speech.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// 1 = top level (sections), 2 = points, 3 = sub-points, …
    pub level: usize,
    pub style: Style,
    /// The number the marker says (0 for `最后`).
    pub number: usize,
    /// The marker as written.
    pub marker: String,
    /// The heading (a heading line without its final stop) or the lead sentence.
    pub heading: String,
    /// True when the heading stood alone on its line (or ended it).
    pub standalone: bool,
    pub line: usize,
    /// The rest of the marked paragraph after the heading or lead sentence.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub rest: String,
    /// Paragraphs that follow, up to the next numbered part.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paragraphs: Vec<Paragraph>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub announced: Option<Announced>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// What is wrong with the numbering or a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// A number is skipped (`一、` then `三、`, a lone `三是`).
    Gap,
    /// A number repeats or goes back.
    Order,
    /// An announced count differs from the items that follow.
    Miscount,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub line: usize,
    pub kind: FindingKind,
    pub message: String,
}

/// The numbering styles used at one level, in order of first appearance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelStyles {
    pub level: usize,
    pub styles: Vec<Style>,
}

/// A placeholder of a template speech (`XX镇`, `×××同志`), by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceholderAt {
    pub line: usize,
    /// The placeholder with the word it stands before: `XX镇`, `×××同志`, `__月`.
    pub text: String,
    pub kind: crate::ingest::placeholders::PlaceholderKind,
}

/// The outline of one speech.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outline {
    pub title: Option<Paragraph>,
    pub salutation: Option<Paragraph>,
    pub opening: Vec<Paragraph>,
    pub transition: Option<Paragraph>,
    /// The count announced by the transition (“讲三点意见”), compared with the sections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transition_count: Option<Announced>,
    pub sections: Vec<Node>,
    pub closing: Vec<Paragraph>,
    pub levels: Vec<LevelStyles>,
    pub placeholders: Vec<PlaceholderAt>,
    pub findings: Vec<Finding>,
}

// ---------------------------------------------------------------------------------------
// Sentences
// ---------------------------------------------------------------------------------------

fn is_stop(c: char) -> bool {
    matches!(c, '。' | '！' | '？')
}

/// Splits off the first sentence (its stop included, and a closing quote after it).
pub fn split_first_sentence(text: &str) -> (String, String) {
    let cs: Vec<char> = text.chars().collect();
    let mut depth = 0i32;
    for (i, &c) in cs.iter().enumerate() {
        match c {
            '“' | '（' | '《' => depth += 1,
            '”' | '）' | '》' => depth -= 1,
            c if is_stop(c) && depth <= 0 => {
                let mut end = i + 1;
                while matches!(cs.get(end), Some('”' | '’' | '）')) {
                    end += 1;
                }
                return (cs[..end].iter().collect(), cs[end..].iter().collect());
            }
            _ => {}
        }
    }
    (text.to_string(), String::new())
}

/// The last sentence of a text (without its stop).
fn last_sentence(text: &str) -> &str {
    let trimmed = text.trim_end_matches(['。', '！', '？', '：', '”', '’', '；']);
    let start = trimmed
        .char_indices()
        .filter(|(_, c)| is_stop(*c))
        .map(|(i, c)| i + c.len_utf8())
        .next_back()
        .unwrap_or(0);
    &trimmed[start..]
}

/// Splits a marked paragraph into heading (or lead sentence) and the rest.
fn split_heading(style: Style, text: &str) -> (String, String, bool) {
    let text = text.trim_start_matches(['，', '、', '：', ' ', '\u{3000}']);
    let (first, rest) = split_first_sentence(text);
    if style.is_heading_style() {
        // `一、指导思想：以……为指导` — a short label before a colon.
        if let Some((label, body)) = text.split_once('：')
            && label.chars().count() <= 15
            && !label.contains(is_stop)
            && !body.is_empty()
        {
            return (label.to_string(), body.to_string(), false);
        }
        // A heading line: no stop inside, or one short sentence.
        if rest.is_empty() && (first.chars().count() <= 60 || !first.ends_with(is_stop)) {
            let heading = first.trim_end_matches(is_stop).to_string();
            return (heading, String::new(), true);
        }
        let heading = first.trim_end_matches(is_stop).to_string();
        return (heading, rest, false);
    }
    let standalone = rest.is_empty() && !first.ends_with(is_stop);
    (first, rest, standalone)
}

/// Splits a paragraph that runs several items of one style together (`一是……。二是……。`)
/// into one paragraph per item; `marker` is the paragraph's own first marker.
fn split_runs(text: &str, marker: &Marker) -> Vec<String> {
    if marker.number == 0 || marker.style.is_heading_style() {
        return vec![text.to_string()];
    }
    let cs: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut expected = marker.number + 1;
    for i in 1..cs.len() {
        let after_stop =
            is_stop(cs[i - 1]) || (i >= 2 && matches!(cs[i - 1], '”' | '’') && is_stop(cs[i - 2]));
        if !after_stop {
            continue;
        }
        let rest: String = cs[i..cs.len().min(i + 12)].iter().collect();
        // An inline list (`……五个方面：一是……`) keeps the rest of the paragraph together.
        if inline_list_before(cs.as_slice(), start, i) {
            break;
        }
        if let Some(m) = parse_marker(&rest)
            && m.style == marker.style
            && m.number == expected
        {
            pieces.push(cs[start..i].iter().collect());
            start = i;
            expected += 1;
        }
    }
    pieces.push(cs[start..].iter().collect());
    pieces
}

/// An unnumbered paragraph that enumerates after a colon (`……新问题：一是要求高。二是
/// 时间紧。`): the intro up to the colon, the items, and the first item's marker. Only
/// 一是/一要 lists with a second item count: a lone 一是 is a turn of phrase.
fn inline_enumeration(text: &str) -> Option<(String, String, Marker)> {
    let (at, colon) = text.char_indices().find(|&(i, c)| {
        matches!(c, '：' | ':')
            && parse_marker(&text[i + c.len_utf8()..])
                .is_some_and(|m| m.number == 1 && matches!(m.style, Style::Shi | Style::Yao))
    })?;
    let (intro, items) = text.split_at(at + colon.len_utf8());
    let marker = parse_marker(items)?;
    (!intro.trim().is_empty() && split_runs(items, &marker).len() >= 2)
        .then(|| (intro.to_string(), items.to_string(), marker))
}

/// Does an inline list start between `from` and `to`: a colon directly followed by an
/// item numbered 1 (`……五个方面：一是……`)?
fn inline_list_before(cs: &[char], from: usize, to: usize) -> bool {
    (from..to).any(|i| {
        cs[i] == '：' && {
            let rest: String = cs[i + 1..cs.len().min(i + 13)].iter().collect();
            parse_marker(&rest).is_some_and(|m| m.number == 1)
        }
    })
}

/// The last count phrase in the last sentence of `text`: (phrase, numeral, count).
fn count_phrase(text: &str) -> Option<(String, String, usize)> {
    let sentence = last_sentence(text);
    let found = re_count().captures_iter(sentence).last()?;
    let whole = found.get(0)?;
    let numeral = found.get(1)?.as_str();
    // 第三种, 每三个, 前三项: not an announcement.
    if sentence[..whole.start()].ends_with(['第', '每', '前', '后', '这', '那']) {
        return None;
    }
    let count = numeral_value(numeral)?;
    Some((whole.as_str().to_string(), numeral.to_string(), count))
}

fn numeral_value(numeral: &str) -> Option<usize> {
    if numeral == "两" {
        return Some(2);
    }
    let cs: Vec<char> = numeral.chars().collect();
    match cn_numeral(&cs, 0) {
        Some((v, l)) if l == cs.len() => Some(v),
        _ => None,
    }
}

/// Counted inline lists inside one paragraph: “重点抓好五个方面：一是……二是……”.
/// Returns (announced phrase, announced count, items found) for each mismatch.
fn inline_miscounts(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for caps in re_count().captures_iter(text) {
        let (Some(whole), Some(numeral)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let Some(count) = numeral_value(numeral.as_str()) else {
            continue;
        };
        let after = &text[whole.end()..];
        // The list starts right after a colon that closes the announcing phrase.
        let Some(colon) = after.find('：') else {
            continue;
        };
        if after[..colon].chars().count() > 8 || after[..colon].contains(is_stop) {
            continue;
        }
        let list = &after[colon + '：'.len_utf8()..];
        let Some(first) = parse_marker(list).filter(|m| m.number == 1) else {
            continue;
        };
        let cs: Vec<char> = list.chars().collect();
        let mut items = 1;
        for i in 1..cs.len() {
            if !matches!(cs[i - 1], '。' | '；' | '！') {
                continue;
            }
            let rest: String = cs[i..cs.len().min(i + 12)].iter().collect();
            match parse_marker(&rest) {
                Some(m) if m.style == first.style && m.number == items + 1 => items += 1,
                _ => {}
            }
        }
        if items != count {
            out.push((whole.as_str().to_string(), count, items));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Building the outline
// ---------------------------------------------------------------------------------------

/// A node while the tree is being built (children by index into the arena).
struct Flat {
    node: Node,
    children: Vec<usize>,
}

const CLOSING_STARTS: [&str; 5] = ["同志们，", "同志们！", "总之，", "综上所述", "让我们"];

/// Builds the outline of a cleaned speech (one paragraph per line, as `clean` writes it).
pub fn outline(text: &str) -> Outline {
    let lines: Vec<Paragraph> = text
        .lines()
        .enumerate()
        .map(|(i, l)| Paragraph {
            line: i + 1,
            text: l.trim().to_string(),
        })
        .filter(|p| !p.text.is_empty())
        .collect();

    // Title and salutation.
    let salutation_at = lines
        .iter()
        .take(3)
        .position(|p| p.text.chars().count() <= 30 && re_salutation_line().is_match(&p.text));
    let (title, salutation, body_start) = match salutation_at {
        Some(0) => (None, Some(lines[0].clone()), 1),
        Some(k) => (Some(lines[0].clone()), Some(lines[k].clone()), k + 1),
        None => {
            let first = lines.first();
            let is_title = first.is_some_and(|p| {
                lines.len() > 1
                    && p.text.chars().count() <= 60
                    && !p.text.ends_with(is_stop)
                    && parse_marker(&p.text).is_none()
            });
            if is_title {
                (first.cloned(), None, 1)
            } else {
                (None, None, 0)
            }
        }
    };
    let body = lines.get(body_start..).unwrap_or_default();

    // 首先/其次 count as numbering only when the speech uses at least two of them.
    let sequence_words = body
        .iter()
        .filter_map(|p| parse_marker(&p.text))
        .filter(|m| m.style == Style::Sequence)
        .map(|m| m.number)
        .collect::<Vec<_>>();
    let sequence_ok = sequence_words.contains(&1) && sequence_words.len() >= 2;
    let marker_of =
        |text: &str| parse_marker(text).filter(|m| m.style != Style::Sequence || sequence_ok);

    // One paragraph per item, also where a paragraph runs `一是……。二是……` together.
    // An enumeration inside an unnumbered paragraph becomes items only where its style
    // numbers nothing else in the speech (else it is a list inside that item's text).
    let styles_used: Vec<Style> = body
        .iter()
        .filter_map(|p| marker_of(&p.text))
        .map(|m| m.style)
        .collect();
    let mut paragraphs: Vec<Paragraph> = Vec::with_capacity(body.len());
    for p in body {
        match marker_of(&p.text) {
            Some(m) => paragraphs.extend(
                split_runs(&p.text, &m)
                    .into_iter()
                    .map(|text| Paragraph { line: p.line, text }),
            ),
            None => match inline_enumeration(&p.text)
                .filter(|(_, _, m)| !styles_used.contains(&m.style))
            {
                // `……新问题：一是要求高。二是时间紧。` — the intro, then one item each.
                Some((intro, items, m)) => {
                    paragraphs.push(Paragraph {
                        line: p.line,
                        text: intro,
                    });
                    paragraphs.extend(
                        split_runs(&items, &m)
                            .into_iter()
                            .map(|text| Paragraph { line: p.line, text }),
                    );
                }
                None => paragraphs.push(p.clone()),
            },
        }
    }

    let mut arena: Vec<Flat> = Vec::new();
    let mut roots: Vec<usize> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut opening: Vec<Paragraph> = Vec::new();
    // Which body paragraphs are numbered (for the closing search).
    let mut last_marked = None;
    for (k, p) in paragraphs.iter().enumerate() {
        let Some(m) = marker_of(&p.text) else {
            match stack.last() {
                Some(&top) => arena[top].node.paragraphs.push(p.clone()),
                None => opening.push(p.clone()),
            }
            continue;
        };
        last_marked = Some(k);
        if let Some(depth) = stack.iter().position(|&n| arena[n].node.style == m.style) {
            stack.truncate(depth);
        }
        let rest_of_line: String = p.text.chars().skip(m.len).collect();
        let (heading, rest, standalone) = split_heading(m.style, &rest_of_line);
        let index = arena.len();
        arena.push(Flat {
            node: Node {
                level: stack.len() + 1,
                style: m.style,
                number: m.number,
                marker: m.text.clone(),
                heading,
                standalone,
                line: p.line,
                rest,
                paragraphs: Vec::new(),
                announced: None,
                children: Vec::new(),
            },
            children: Vec::new(),
        });
        match stack.last() {
            Some(&parent) => arena[parent].children.push(index),
            None => roots.push(index),
        }
        stack.push(index);
    }

    // The closing: from the first closing-like paragraph after the last numbered one.
    let mut closing = Vec::new();
    let closing_from = |candidates: &[Paragraph]| {
        candidates
            .iter()
            .position(|p| CLOSING_STARTS.iter().any(|s| p.text.starts_with(s)))
    };
    if let Some(last) = last_marked {
        let after: Vec<Paragraph> = paragraphs[last + 1..].to_vec();
        let start = closing_from(&after).or_else(|| {
            // No 同志们: a final exhortation (…让我们…！) still closes the speech.
            after
                .last()
                .filter(|p| p.text.contains("让我们") && p.text.ends_with('！'))
                .map(|_| after.len() - 1)
        });
        if let Some(start) = start {
            closing = after[start..].to_vec();
            // Those paragraphs were attached to the last open node: take them back.
            if let Some(&top) = stack.last() {
                let keep = arena[top].node.paragraphs.len()
                    - closing.len().min(arena[top].node.paragraphs.len());
                arena[top].node.paragraphs.truncate(keep);
            }
        }
    } else if opening.len() > 1
        && let Some(start) = closing_from(&opening[1..])
    {
        closing = opening.split_off(start + 1);
    }

    // The transition: the last opening paragraph, or its last sentence.
    let mut transition = None;
    if let Some(last) = opening.last().cloned() {
        if re_transition().is_match(&last.text) {
            transition = opening.pop();
        } else {
            let sentence = last_sentence(&last.text);
            if !sentence.is_empty()
                && sentence.len() < last.text.len()
                && re_transition().is_match(sentence)
                && let Some(pos) = last.text.rfind(sentence)
            {
                let (before, after) = last.text.split_at(pos);
                if let Some(p) = opening.last_mut() {
                    p.text = before.to_string();
                }
                transition = Some(Paragraph {
                    line: last.line,
                    text: after.to_string(),
                });
            }
        }
    }

    let mut findings = Vec::new();
    let sections = assemble(&arena, &roots, &mut findings, None);

    // The transition's count (讲三点意见) against the sections.
    let transition_count = transition.as_ref().and_then(|t| {
        let (phrase, numeral, count) = count_phrase(&t.text)?;
        Some(Announced {
            phrase,
            numeral,
            count,
            found: sections.len(),
            line: t.line,
            place: CountIn::Heading,
        })
    });
    if let Some(a) = &transition_count
        && !a.matches()
    {
        findings.push(Finding {
            line: a.line,
            kind: FindingKind::Miscount,
            message: format!(
                "the transition announces “{}” ({}), but {} section{} follow{}",
                a.phrase,
                a.count,
                a.found,
                if a.found == 1 { "" } else { "s" },
                if a.found == 1 { "s" } else { "" },
            ),
        });
    }
    // Counted inline lists everywhere.
    let mut all: Vec<&Paragraph> = opening.iter().chain(closing.iter()).collect();
    let mut flat_texts: Vec<(usize, String)> = Vec::new();
    collect_texts(&sections, &mut flat_texts);
    for p in all.drain(..) {
        flat_texts.push((p.line, p.text.clone()));
    }
    flat_texts.sort_by_key(|(line, _)| *line);
    for (line, text) in &flat_texts {
        for (phrase, count, items) in inline_miscounts(text) {
            findings.push(Finding {
                line: *line,
                kind: FindingKind::Miscount,
                message: format!(
                    "“{phrase}” announces {count}, but the list after it has {items} item{}",
                    if items == 1 { "" } else { "s" }
                ),
            });
        }
    }
    findings.sort_by_key(|f| f.line);

    let mut levels: Vec<LevelStyles> = Vec::new();
    for flat in &arena {
        let node = &flat.node;
        if levels.len() < node.level {
            levels.resize_with(node.level, || LevelStyles {
                level: 0,
                styles: Vec::new(),
            });
        }
        let entry = &mut levels[node.level - 1];
        entry.level = node.level;
        if !entry.styles.contains(&node.style) {
            entry.styles.push(node.style);
        }
    }

    let placeholders = lines
        .iter()
        .flat_map(|p| {
            let cs: Vec<char> = p.text.chars().collect();
            crate::ingest::placeholders::find_placeholders(&p.text)
                .into_iter()
                .map(move |ph| {
                    let word_end = (ph.end + ph.word.chars().count()).min(cs.len());
                    PlaceholderAt {
                        line: p.line,
                        text: cs[ph.start..word_end].iter().collect(),
                        kind: ph.kind,
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect();

    Outline {
        title,
        salutation,
        opening,
        transition,
        transition_count,
        sections,
        closing,
        levels,
        placeholders,
        findings,
    }
}

fn collect_texts(nodes: &[Node], out: &mut Vec<(usize, String)>) {
    for node in nodes {
        out.push((node.line, format!("{}{}", node.heading, node.rest)));
        out.extend(node.paragraphs.iter().map(|p| (p.line, p.text.clone())));
        collect_texts(&node.children, out);
    }
}

/// Turns the arena into nested nodes, checking numbering and announced counts.
fn assemble(
    arena: &[Flat],
    indices: &[usize],
    findings: &mut Vec<Finding>,
    parent: Option<&Node>,
) -> Vec<Node> {
    let mut nodes = Vec::with_capacity(indices.len());
    let mut expected = 1usize;
    let mut previous: Option<&Node> = None;
    for &i in indices {
        let flat = &arena[i];
        let mut node = flat.node.clone();
        node.children = assemble(arena, &flat.children, findings, Some(&flat.node));
        // Numbering: contiguous from 1 (最后 closes a sequence at any length).
        if node.number != 0 {
            if node.number > expected {
                let missing: Vec<String> = (expected..node.number)
                    .map(|n| node.style.marker_for(n))
                    .collect();
                let after = match (previous, parent) {
                    (Some(p), _) => {
                        format!("after {}{} (line {})", p.marker, short(&p.heading), p.line)
                    }
                    (None, Some(p)) => format!(
                        "as the first item under {}{} (line {})",
                        p.marker,
                        short(&p.heading),
                        p.line
                    ),
                    (None, None) => "as the first section".to_string(),
                };
                findings.push(Finding {
                    line: node.line,
                    kind: FindingKind::Gap,
                    message: format!(
                        "numbering gap: {} comes {after}; {} missing",
                        node.marker,
                        if missing.len() == 1 {
                            format!("{} is", missing[0])
                        } else {
                            format!("{} are", missing.join(" "))
                        }
                    ),
                });
            } else if node.number < expected {
                findings.push(Finding {
                    line: node.line,
                    kind: FindingKind::Order,
                    message: format!(
                        "numbering goes back: {} comes after {}",
                        node.marker,
                        previous.map_or_else(String::new, |p| p.marker.clone())
                    ),
                });
            }
            expected = node.number + 1;
        }
        // An announced count just before the children.
        if !node.children.is_empty() {
            let texts: Vec<(CountIn, &str, usize)> =
                std::iter::once((CountIn::Heading, node.heading.as_str(), node.line))
                    .chain(std::iter::once((
                        CountIn::Rest,
                        node.rest.as_str(),
                        node.line,
                    )))
                    .chain(
                        node.paragraphs
                            .iter()
                            .enumerate()
                            .map(|(k, p)| (CountIn::Paragraph(k), p.text.as_str(), p.line)),
                    )
                    .filter(|(_, t, _)| !t.is_empty())
                    .collect();
            if let Some(&(place, text, line)) = texts.last()
                && let Some((phrase, numeral, count)) = count_phrase(text)
            {
                let announced = Announced {
                    phrase,
                    numeral,
                    count,
                    found: node.children.len(),
                    line,
                    place,
                };
                if !announced.matches() {
                    let what = level_noun(node.level + 1);
                    findings.push(Finding {
                        line,
                        kind: FindingKind::Miscount,
                        message: format!(
                            "“{}” announces {}, but {} {what} follow under {}{}",
                            announced.phrase,
                            announced.count,
                            announced.found,
                            node.marker,
                            short(&node.heading)
                        ),
                    });
                }
                node.announced = Some(announced);
            }
        }
        nodes.push(node);
        previous = Some(&flat.node);
    }
    // `其次` without `首先` shows as a gap above; nothing else to check here.
    nodes
}

fn level_noun(level: usize) -> &'static str {
    match level {
        1 => "sections",
        2 => "points",
        3 => "sub-points",
        _ => "items",
    }
}

/// A heading shortened for messages.
fn short(text: &str) -> String {
    let cs: Vec<char> = text.chars().collect();
    if cs.len() <= 16 {
        text.to_string()
    } else {
        format!("{}…", cs[..15].iter().collect::<String>())
    }
}

// ---------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The outline as an indented tree for people.
pub fn render_text(outline: &Outline) -> String {
    let mut out = String::new();
    let line_of = |p: &Paragraph| format!(" (line {})", p.line);
    match &outline.title {
        Some(t) => {
            let _ = writeln!(out, "title: {}{}", t.text, line_of(t));
        }
        None => out.push_str("title: none found\n"),
    }
    match &outline.salutation {
        Some(s) => {
            let _ = writeln!(out, "salutation: {}{}", s.text, line_of(s));
        }
        None => out.push_str("salutation: none found\n"),
    }
    let span = |ps: &[Paragraph]| match (ps.first(), ps.last()) {
        (Some(a), Some(b)) if a.line == b.line => format!("line {}", a.line),
        (Some(a), Some(b)) => format!("lines {}–{}", a.line, b.line),
        _ => String::new(),
    };
    if outline.opening.is_empty() {
        out.push_str("opening: none\n");
    } else {
        let _ = writeln!(
            out,
            "opening: {}, {} characters ({}): {}",
            plural(outline.opening.len(), "paragraph", "paragraphs"),
            outline
                .opening
                .iter()
                .map(|p| p.text.chars().count())
                .sum::<usize>(),
            span(&outline.opening),
            short(&outline.opening[0].text)
        );
    }
    match &outline.transition {
        Some(t) => {
            let _ = write!(out, "transition: {}{}", t.text, line_of(t));
            if let Some(a) = &outline.transition_count {
                let _ = write!(
                    out,
                    " — “{}” announces {}, {} follow",
                    a.phrase, a.count, a.found
                );
            }
            out.push('\n');
        }
        None => out.push_str("transition: none found\n"),
    }
    out.push_str("outline:\n");
    if outline.sections.is_empty() {
        out.push_str("  (no numbered parts)\n");
    }
    fn node_lines(out: &mut String, nodes: &[Node]) {
        for node in nodes {
            let indent = "  ".repeat(node.level);
            let mut notes = vec![format!("line {}", node.line)];
            if !node.paragraphs.is_empty() {
                notes.push(plural(
                    node.paragraphs.len(),
                    "more paragraph",
                    "more paragraphs",
                ));
            }
            if let Some(a) = &node.announced {
                notes.push(format!(
                    "“{}” announces {}: {}",
                    a.phrase,
                    a.count,
                    if a.matches() {
                        "✓".to_string()
                    } else {
                        format!("{} follow ✗", a.found)
                    }
                ));
            }
            let _ = writeln!(
                out,
                "{indent}{}{} [level {}; {}]",
                node.marker,
                node.heading,
                node.level,
                notes.join("; ")
            );
            node_lines(out, &node.children);
        }
    }
    node_lines(&mut out, &outline.sections);
    if outline.closing.is_empty() {
        out.push_str("closing: none found\n");
    } else {
        let _ = writeln!(
            out,
            "closing: {} ({}): {}",
            plural(outline.closing.len(), "paragraph", "paragraphs"),
            span(&outline.closing),
            short(&outline.closing[0].text)
        );
    }
    if !outline.levels.is_empty() {
        let levels: Vec<String> = outline
            .levels
            .iter()
            .map(|l| {
                format!(
                    "level {} {}",
                    l.level,
                    l.styles
                        .iter()
                        .map(|s| s.label())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            })
            .collect();
        let _ = writeln!(out, "numbering: {}", levels.join(" · "));
    }
    if outline.placeholders.is_empty() {
        out.push_str("placeholders: none\n");
    } else {
        let list: Vec<String> = outline
            .placeholders
            .iter()
            .map(|p| format!("{} (line {})", p.text, p.line))
            .collect();
        let _ = writeln!(out, "placeholders: {}", list.join(", "));
    }
    if outline.findings.is_empty() {
        out.push_str("findings: none — numbering contiguous, announced counts match\n");
    } else {
        let _ = writeln!(out, "findings: {}", outline.findings.len());
        for f in &outline.findings {
            let _ = writeln!(out, "  line {}: {}", f.line, f.message);
        }
    }
    out
}

/// The outline as JSON (one object; nested `sections` → `children`).
pub fn render_json(outline: &Outline) -> String {
    let mut s = serde_json::to_string_pretty(outline).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// `speechgen outline FILE [--format text|json]`: reads and cleans the file, then returns
/// its outline (line numbers are those of the cleaned text).
pub fn command(input: &str, json: bool) -> crate::Result<String> {
    let bytes = crate::base::files::read_input(input)?;
    let report = crate::ingest::read::clean_document(input, &bytes)?;
    let outline = outline(&report.text);
    Ok(if json {
        render_json(&outline)
    } else {
        let mut text = render_text(&outline);
        text.push_str(&format!(
            "(line numbers are those of the cleaned text: speechgen clean {input})\n"
        ));
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(s: &str) -> Option<(Style, usize, String)> {
        parse_marker(s).map(|m| (m.style, m.number, m.text))
    }

    #[test]
    fn markers_of_every_style() {
        assert_eq!(
            marker("一、要始终心系群众"),
            Some((Style::CnComma, 1, "一、".into()))
        );
        assert_eq!(
            marker("十二、其他"),
            Some((Style::CnComma, 12, "十二、".into()))
        );
        assert_eq!(
            marker("（三）压实责任"),
            Some((Style::CnParen, 3, "（三）".into()))
        );
        assert_eq!(
            marker("(二)压实责任"),
            Some((Style::CnParen, 2, "(二)".into()))
        );
        assert_eq!(
            marker("第二，要树立"),
            Some((Style::Ordinal, 2, "第二，".into()))
        );
        assert_eq!(
            marker("第一、要树立"),
            Some((Style::Ordinal, 1, "第一、".into()))
        );
        assert_eq!(marker("三是要鼓励"), Some((Style::Shi, 3, "三是".into())));
        assert_eq!(marker("二要消除"), Some((Style::Yao, 2, "二要".into())));
        assert_eq!(marker("1.加强领导"), Some((Style::Arabic, 1, "1.".into())));
        assert_eq!(
            marker("12、加强领导"),
            Some((Style::Arabic, 12, "12、".into()))
        );
        assert_eq!(
            marker("２．加强领导"),
            Some((Style::Arabic, 2, "２．".into()))
        );
        assert_eq!(
            marker("（4）落实"),
            Some((Style::ArabicParen, 4, "（4）".into()))
        );
        assert_eq!(marker("③落实"), Some((Style::Circled, 3, "③".into())));
        assert_eq!(
            marker("首先，要提高"),
            Some((Style::Sequence, 1, "首先，".into()))
        );
        assert_eq!(
            marker("其次要落实"),
            Some((Style::Sequence, 2, "其次".into()))
        );
        assert_eq!(
            marker("最后，我强调"),
            Some((Style::Sequence, 0, "最后，".into()))
        );
        // Not markers.
        for s in [
            "一方面",
            "1.5倍",
            "2024年",
            "第一书记",
            "一要素",
            "最后一公里",
            "（注）",
            "三大法宝",
        ] {
            assert_eq!(marker(s), None, "{s}");
        }
        assert_eq!(parse_marker("1. 加强领导").map(|m| m.len), Some(3));
        // A number right after 、 is the heading's own (a page whose 一、 became 1、).
        assert_eq!(
            marker("1、1-4月经济运行情况良好"),
            Some((Style::Arabic, 1, "1、".into()))
        );
        assert_eq!(marker("1、2022年以来，全镇安全生产形势总体平稳"), None);
    }

    #[test]
    fn headings_and_leads() {
        assert_eq!(
            split_heading(Style::CnComma, "要始终心系群众"),
            ("要始终心系群众".into(), String::new(), true)
        );
        assert_eq!(
            split_heading(Style::CnParen, "强化责任落实。各级各部门要切实担负起责任。"),
            (
                "强化责任落实".into(),
                "各级各部门要切实担负起责任。".into(),
                false
            )
        );
        assert_eq!(
            split_heading(
                Style::CnComma,
                "指导思想：以习近平新时代中国特色社会主义思想为指导。"
            ),
            (
                "指导思想".into(),
                "以习近平新时代中国特色社会主义思想为指导。".into(),
                false
            )
        );
        assert_eq!(
            split_heading(
                Style::Ordinal,
                "要树立“群众工作无小事”意识。从客观上讲，群众工作无小事。"
            ),
            (
                "要树立“群众工作无小事”意识。".into(),
                "从客观上讲，群众工作无小事。".into(),
                false
            )
        );
        // A stop inside quotes does not end the lead.
        assert_eq!(
            split_first_sentence("要做到“民之所忧。我之所思。”然后"),
            ("要做到“民之所忧。我之所思。”然后".into(), String::new())
        );
        assert_eq!(
            split_first_sentence("要正。正人先正己。"),
            ("要正。".into(), "正人先正己。".into())
        );
    }

    #[test]
    fn levels_follow_the_order_of_first_appearance() {
        let text = "在全镇党建工作会议上的讲话\n同志们：\n今天召开会议。\n下面，我讲三点意见。\n\
                    一、提高认识\n开场白。\n（一）统一思想\n1.学习文件。\n2.开展讨论。\n（二）压实责任\n\
                    二、强化措施\n第一，要排查。\n一是要查隐患。二是要建台账。\n第二，要整改。\n\
                    三、加强领导\n同志们，让我们努力奋斗！\n";
        let o = outline(text);
        assert_eq!(o.title.as_ref().unwrap().text, "在全镇党建工作会议上的讲话");
        assert_eq!(o.salutation.as_ref().unwrap().text, "同志们：");
        assert_eq!(o.opening.len(), 1);
        assert_eq!(o.transition.as_ref().unwrap().text, "下面，我讲三点意见。");
        assert!(o.transition_count.as_ref().unwrap().matches());
        assert_eq!(o.sections.len(), 3);
        let s1 = &o.sections[0];
        assert_eq!(
            (s1.level, s1.style, s1.heading.as_str()),
            (1, Style::CnComma, "提高认识")
        );
        assert_eq!(s1.paragraphs[0].text, "开场白。");
        assert_eq!(s1.children[0].style, Style::CnParen);
        assert_eq!(s1.children[0].level, 2);
        assert_eq!(s1.children[0].children.len(), 2);
        assert_eq!(s1.children[0].children[1].level, 3);
        // In section 二, 第一 is level 2 (first style under it) and 一是 level 3, split in two.
        let s2 = &o.sections[1];
        assert_eq!(s2.children[0].style, Style::Ordinal);
        assert_eq!(s2.children[0].level, 2);
        assert_eq!(s2.children[0].children.len(), 2);
        assert_eq!(s2.children[0].children[1].heading, "要建台账。");
        assert_eq!(o.closing.len(), 1);
        assert!(o.sections[2].paragraphs.is_empty());
        assert!(o.findings.is_empty(), "{:?}", o.findings);
        assert_eq!(
            o.levels
                .iter()
                .map(|l| l.styles.clone())
                .collect::<Vec<_>>(),
            vec![
                vec![Style::CnComma],
                vec![Style::CnParen, Style::Ordinal],
                vec![Style::Arabic, Style::Shi]
            ]
        );
    }

    #[test]
    fn gaps_and_miscounts_are_reported() {
        let text = "标题\n同志们：\n开场。下面，我讲三点意见。\n\
                    一、心系群众\n要牢固树立“三种意识”。\n第一，要树立甲意识。\n第二，要树立乙意识。\n\
                    三、帮助群众\n第一，要发展。\n三是要鼓励群众创业。\n重点抓好五个方面：一是甲。二是乙。三是丙。四是丁。\n";
        let o = outline(text);
        assert_eq!(o.transition.as_ref().unwrap().text, "下面，我讲三点意见。");
        assert_eq!(o.opening[0].text, "开场。");
        let kinds: Vec<(usize, FindingKind)> = o
            .findings
            .iter()
            .map(|f| (f.line, f.kind.clone()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (3, FindingKind::Miscount),
                (5, FindingKind::Miscount),
                (8, FindingKind::Gap),
                (10, FindingKind::Gap),
                (11, FindingKind::Miscount),
            ],
            "{:#?}",
            o.findings
        );
        let messages: Vec<&str> = o.findings.iter().map(|f| f.message.as_str()).collect();
        assert!(
            messages[0].contains("“三点” (3), but 2 sections follow"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("“三种” announces 3, but 2 points follow"),
            "{messages:?}"
        );
        assert!(messages[2].contains("二、 is missing"), "{messages:?}");
        assert!(
            messages[3].contains("一是 二是 are missing"),
            "{messages:?}"
        );
        assert!(
            messages[4].contains("“五个方面” announces 5, but the list after it has 4 items"),
            "{messages:?}"
        );
    }

    #[test]
    fn sequence_words_need_a_partner() {
        let o = outline("标题\n同志们：\n首先，我代表镇党委表示感谢。\n谢谢大家。\n");
        assert!(o.sections.is_empty());
        let o = outline(
            "标题\n同志们：\n开场。\n首先，要提高认识。甲。\n其次，要压实责任。乙。\n最后，要加强督查。丙。\n",
        );
        assert_eq!(o.sections.len(), 3);
        assert_eq!(o.sections[2].number, 0);
        assert!(o.findings.is_empty(), "{:?}", o.findings);
        assert_eq!(o.sections[1].heading, "要压实责任。");
    }

    #[test]
    fn texts_render() {
        let o = outline("标题\n同志们：\n开场。\n一、甲\n正文。\n三、乙\n正文。\n");
        let text = render_text(&o);
        assert!(
            text.contains("  一、甲 [level 1; line 4; 1 more paragraph]"),
            "{text}"
        );
        assert!(
            text.contains("findings: 1\n  line 6: numbering gap"),
            "{text}"
        );
        let json: serde_json::Value = serde_json::from_str(&render_json(&o)).unwrap();
        assert_eq!(json["sections"][1]["marker"], "三、");
        assert_eq!(json["findings"][0]["kind"], "gap");
    }
}
