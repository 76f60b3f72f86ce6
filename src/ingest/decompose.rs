//! From one speech to a pack an author can refine: `speechgen decompose FILE --out DIR`.
//!
//! The speech is read and cleaned ([`crate::ingest::read`]), outlined ([`crate::ingest::outline`]), and
//! written in the pack format (docs/pack-format.md):
//!
//! - `speech.tera`: the skeleton, composed from the shared devices (section, point, sub,
//!   para, closing) in the order of the outline — form only;
//! - one slot file per part (`opening.yaml`, `s1.yaml` …, `closing.yaml`): every paragraph
//!   of the speech becomes slots named after its place in the outline (`s1.heading`,
//!   `s1.intro`, `s1.p2.lead`, `s1.p2.body`, `s1.p2.sub1.lead`, `s1.p2.para2` …) whose first
//!   alternative is the source's own wording, so `generate --faithful` gives the speech back;
//! - place words in the 乡 form inside 【】: the township's name → 【乡名】, the name people
//!   say → 【地名】, 全乡/全镇 → 【全乡】, 我乡/我镇 → 【我乡】, 乡党委/镇党委 → 【乡党委】,
//!   村委会 → 【村委会】, 县委 → 【县委】 …, taken from the same table drafts are written
//!   with ([`crate::place::locality`]);
//! - announced counts (“三种意识” before three points) become 【N】 where the devices
//!   compute them (a section's intro, a point's lead or body), so the count stays true when
//!   an author adds or removes items;
//! - a template's blanks (`×××同志`, `__月__日`) become slots in `meeting.yaml`.
//!
//! The pack is written to a temporary folder beside DIR, loaded and trial-rendered there
//! (exactly what `speechgen check` does), and only then moved into DIR: a failed run never
//! leaves half a pack.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::base::error::{Error, Result};
use crate::draft::generate::{self, Options as GenerateOptions};
use crate::ingest::clean::CleanReport;
use crate::ingest::outline::{self, CountIn, Node, Outline, Style};
use crate::ingest::placeholders::{PlaceholderKind, find_placeholders};
use crate::ingest::{word_at, word_before};
use crate::pack::Pack;
use crate::place::locality::{Level, Locality};
use crate::render;

/// What the author chose on the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Pack id (default: from the file name).
    pub id: Option<String>,
    /// Pack name, e.g. 安全生产工作会议讲话 (default: from the title).
    pub name: Option<String>,
    /// The township the speech names (default: [`detect_place`]).
    pub place: Option<String>,
    /// Give the parts every speech shares (the transition, the closing call) the common
    /// bank's wordings after the speech's own, so that drafts are not copies of it.
    pub enrich: bool,
}

/// A pack ready to be written, with what the author should know about it.
#[derive(Debug, Clone)]
pub struct PackDraft {
    pub id: String,
    pub name: String,
    /// File name → contents, in writing order.
    pub files: Vec<(String, String)>,
    /// Every slot: (file, name).
    pub slots: Vec<(String, String)>,
    /// The place whose words became placeholders, and whether it was detected.
    pub place: Option<(String, bool)>,
    /// Level of the place (from its name, or from the level words found).
    pub level: Level,
    /// Replacements made: (written, placeholder) → times.
    pub replaced: BTreeMap<(String, String), usize>,
    /// Counts turned into 【N】: (slot, phrase).
    pub computed: Vec<(String, String)>,
    /// Things the author should look at.
    pub notes: Vec<String>,
    pub outline: Outline,
    /// The cleaned source text (what `--faithful` should give back).
    pub clean_text: String,
}

// ---------------------------------------------------------------------------------------
// The place
// ---------------------------------------------------------------------------------------

/// Level suffixes of township-level names, longest first.
const SUFFIXES: [&str; 4] = ["街道", "苏木", "乡", "镇"];

/// Characters that do not occur in a township's name but do stand before 乡/镇 in running
/// text (全乡, 我镇, 各乡镇, 到乡, 不出乡 …).
const NOT_IN_NAMES: &str = "全我各本该此其每这那贵们的地得了在和与及或是为对把被从向到于至等个位名所有不也都就要将已由乡镇村县市区省街道苏木之以并且而后前中上下里外内";

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

fn is_blank(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | '×' | '*' | '＊' | '○' | '□')
}

/// The township a speech is about: the most frequent …乡 / …镇 / …街道 / …苏木 name in
/// the text (a template's `XX镇` counts too). A name must be seen at least twice, or once
/// in the title (the first line).
///
/// A name's left edge is a guess: every 2–4 character stem before a suffix is a
/// candidate, and a candidate earns a point each time the character before it could not
/// belong to a name (punctuation, the start of a line, 在/全/召开…), so “太平镇” wins over
/// “开太平镇” in “召开太平镇…”; a candidate the gazetteer knows as a real township wins
/// over every guess.
pub fn detect_place(text: &str) -> Option<String> {
    let title = text.lines().next().unwrap_or_default();
    let cs: Vec<char> = text.chars().collect();
    // candidate → (occurrences, occurrences with a clean left edge)
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for i in 0..cs.len() {
        for suffix in SUFFIXES {
            let sc: Vec<char> = suffix.chars().collect();
            if cs.get(i..i + sc.len()) != Some(&sc[..]) {
                continue;
            }
            // 乡镇, 乡村, 镇村 …: not a name's end — unless the 村 opens the villages'
            // own bodies (大山乡村“两委”换届: the township 大山乡, its 村“两委”).
            let villages_follow = cs.get(i + sc.len()) == Some(&'村') && {
                let after: String = cs[i + sc.len() + 1..cs.len().min(i + sc.len() + 5)]
                    .iter()
                    .collect();
                [
                    "“两委”",
                    "\"两委\"",
                    "两委",
                    "（社区）",
                    "(社区)",
                    "党组织",
                    "干部",
                ]
                .iter()
                .any(|w| after.starts_with(w))
            };
            if suffix.chars().count() == 1
                && !villages_follow
                && cs
                    .get(i + 1)
                    .is_some_and(|c| "镇村乡里亲土间情愁音长".contains(*c))
            {
                continue;
            }
            for len in 2..=4usize {
                let Some(start) = i.checked_sub(len) else {
                    break;
                };
                let stem = &cs[start..i];
                let blank_stem = stem.iter().all(|&c| is_blank(c));
                let name_stem = stem.iter().all(|&c| is_han(c) && !NOT_IN_NAMES.contains(c));
                if !blank_stem && !name_stem {
                    break;
                }
                let edge = start
                    .checked_sub(1)
                    .and_then(|p| cs.get(p))
                    .is_none_or(|&c| !is_han(c) || NOT_IN_NAMES.contains(c) || c == '开');
                let name: String = stem.iter().chain(sc.iter()).collect();
                let entry = seen.entry(name).or_default();
                entry.0 += 1;
                entry.1 += usize::from(edge);
            }
            break;
        }
    }
    seen.into_iter()
        .filter(|(name, (count, _))| *count >= 2 || title.contains(name.as_str()))
        .filter(|(_, (_, edges))| *edges > 0)
        .max_by(|(a, (ca, ea)), (b, (cb, eb))| {
            // A name the gazetteer knows as a township outweighs any guess about edges.
            let score = |name: &str, edges: usize| {
                edges * 2 + usize::from(title.contains(name)) * 3 + usize::from(is_real(name)) * 100
            };
            (
                score(a, *ea),
                ca,
                a.chars().count(),
                std::cmp::Reverse(a.clone()),
            )
                .cmp(&(
                    score(b, *eb),
                    cb,
                    b.chars().count(),
                    std::cmp::Reverse(b.clone()),
                ))
        })
        .map(|(name, _)| name)
}

/// Whether some township of the gazetteer has this name.
fn is_real(name: &str) -> bool {
    use crate::place::gazetteer::{AreaFilter, Gazetteer, Lookup};
    Gazetteer::get().is_ok_and(|g| {
        matches!(
            g.lookup(name, &AreaFilter::default()),
            Lookup::Found(_) | Lookup::Ambiguous(_)
        )
    })
}

/// Words replaced by placeholders: (written form, placeholder), longest first.
fn replacement_rules(
    place: Option<&str>,
    levels: &[Level],
) -> Vec<(String, String, Option<Level>)> {
    const KEYS: [&str; 11] = [
        "全乡",
        "我乡",
        "乡党委",
        "乡政府",
        "乡长",
        "党委书记",
        "乡村",
        "乡村干部",
        "村委会",
        "村党支部",
        "卫生院",
    ];
    // (written word, what the slot text says instead, the level the word belongs to)
    let mut rules: Vec<(String, String, Option<Level>)> = Vec::new();
    let mut add = |word: String, replacement: String, level: Option<Level>| {
        if !word.is_empty() && !rules.iter().any(|(w, _, _)| *w == word) {
            rules.push((word, replacement, level));
        }
    };
    if let Some(place) = place {
        add(place.to_string(), "【乡名】".into(), None);
        let is_template = place.chars().any(is_blank);
        let short = SUFFIXES
            .iter()
            .find_map(|s| place.strip_suffix(s))
            .unwrap_or(place);
        if !is_template && short.chars().count() >= 2 && short != place {
            add(short.to_string(), "【地名】".into(), None);
        }
    }
    for &level in levels {
        let Ok(loc) = Locality::with_level("某地", level) else {
            continue;
        };
        for key in KEYS {
            if let Some(word) = loc.word(key) {
                add(word, format!("【{key}】"), Some(level));
            }
        }
        // Where the grassroots unit has its own word (嘎查, 社区), it is the 【村】 placeholder;
        // 村 itself is too common a character (村民, 村庄) to replace.
        if matches!(level, Level::Sumu | Level::Jiedao)
            && let Some(word) = loc.word("村")
        {
            add(word, "【村】".into(), Some(level));
        }
        // The township's own offices (镇安监站 is 乡安监站 in a 乡, 街道安监站 in a 街道).
        if let Some(word) = loc.word("乡") {
            for office in TOWNSHIP_OFFICES {
                add(
                    format!("{word}{office}"),
                    format!("【乡】{office}"),
                    Some(level),
                );
            }
        }
        // The short forms speeches use for the government.
        match level {
            Level::Xiang => add("乡政府".into(), "【乡政府】".into(), Some(level)),
            Level::Zhen => add("镇政府".into(), "【乡政府】".into(), Some(level)),
            _ => {}
        }
    }
    add("县委".into(), "【县委】".into(), None);
    add("全县".into(), "【全县】".into(), None);
    // 县政府 is 区政府 / 市政府 / 旗政府 above other townships.
    add("县人民政府".into(), "【县】人民政府".into(), None);
    add("县政府".into(), "【县】政府".into(), None);
    // The county's own offices (县应急管理局 is 区应急管理局 in a 区).
    for office in COUNTY_OFFICES {
        add(format!("县{office}"), format!("【县】{office}"), None);
    }
    rules.sort_by_key(|(w, _, _)| std::cmp::Reverse(w.chars().count()));
    rules
}

/// Township offices a speech names after 乡 or 镇 (镇安监站, 乡派出所).
const TOWNSHIP_OFFICES: [&str; 14] = [
    "安监站",
    "应急办",
    "派出所",
    "财政所",
    "司法所",
    "农技站",
    "农业服务中心",
    "综治中心",
    "便民服务中心",
    "文化站",
    "林业站",
    "水利站",
    "畜牧站",
    "党政办",
];

/// County offices a township speech names after 县 (县应急管理局, 县纪委).
const COUNTY_OFFICES: [&str; 30] = [
    "应急管理局",
    "应急局",
    "公安局",
    "民政局",
    "财政局",
    "教育局",
    "交通运输局",
    "住建局",
    "自然资源局",
    "农业农村局",
    "水利局",
    "林业局",
    "卫健局",
    "市场监管局",
    "生态环境局",
    "人社局",
    "文旅局",
    "气象局",
    "统计局",
    "发改局",
    "商务局",
    "信访局",
    "纪委",
    "人大",
    "政协",
    "人民法院",
    "人民检察院",
    "法院",
    "检察院",
    "消防救援大队",
];

/// A match that would cut a longer word: 乡镇长, 城镇长期, 本乡长期以来 …
fn guarded(cs: &[char], at: usize, word: &[char]) -> bool {
    let before = at.checked_sub(1).and_then(|p| cs.get(p)).copied();
    let after = cs.get(at + word.len()).copied();
    let head_word = matches!(word, ['乡', '长'] | ['镇', '长']);
    (head_word
        && (before.is_some_and(|c| "乡城村".contains(c))
            || after.is_some_and(|c| "期远久效足大短城".contains(c))))
        || (word == ['县', '委'] && after == Some('员'))
}

// ---------------------------------------------------------------------------------------
// Slot texts
// ---------------------------------------------------------------------------------------

/// Builds the slots and the skeleton.
struct Builder {
    rules: Vec<(Vec<char>, String, String, Option<Level>)>,
    replaced: BTreeMap<(String, String), usize>,
    /// Level words found, by level (to guess the level when no place is known).
    level_votes: BTreeMap<&'static str, usize>,
    meeting: Vec<(String, String)>,
    meeting_counts: BTreeMap<&'static str, usize>,
    /// file → slots (name, text, line, comment)
    files: Vec<(String, String, Vec<SlotOut>)>,
    skeleton: Vec<String>,
    computed: Vec<(String, String)>,
    notes: Vec<String>,
}

struct SlotOut {
    name: String,
    text: String,
    line: usize,
    /// Wordings after the speech's own (from the common bank, with --enrich).
    more: Vec<String>,
}

impl Builder {
    fn new(place: Option<&str>, levels: &[Level]) -> Builder {
        let rules = replacement_rules(place, levels)
            .into_iter()
            .map(|(w, k, l)| (w.chars().collect(), k, w, l))
            .collect();
        Builder {
            rules,
            replaced: BTreeMap::new(),
            level_votes: BTreeMap::new(),
            meeting: Vec::new(),
            meeting_counts: BTreeMap::new(),
            files: Vec::new(),
            skeleton: Vec::new(),
            computed: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn file(&mut self, name: &str, header: String) {
        self.files.push((name.to_string(), header, Vec::new()));
    }

    /// Turns source text into a slot text: escapes what the pack format reserves, marks the
    /// computed count, puts the place words and blanks in, fixes punctuation the loader
    /// rejects.
    fn slot_text(&mut self, raw: &str, count: Option<&str>, ends_paragraph: bool) -> String {
        // Reserved: 【】 mark placeholders, {{ {% are Tera.
        let mut text: String = raw
            .replace('【', "〔")
            .replace('】', "〕")
            .replace("{{", "｛｛")
            .replace("{%", "｛％")
            .chars()
            .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c) && *c != '\u{FFFD}')
            .collect();
        if let Some(phrase) = count
            && let Some(pos) = text.rfind(phrase)
        {
            let numeral_len = phrase
                .char_indices()
                .find(|(_, c)| !"二三四五六七八九十两".contains(*c))
                .map_or(phrase.len(), |(i, _)| i);
            text.replace_range(pos..pos + numeral_len, "【N】");
        }
        // Place words, longest match first, never inside a placeholder already put in.
        let cs: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < cs.len() {
            if cs[i] == '【' {
                while i < cs.len() {
                    out.push(cs[i]);
                    i += 1;
                    if cs[i - 1] == '】' {
                        break;
                    }
                }
                continue;
            }
            let hit = self
                .rules
                .iter()
                .find(|(w, _, _, _)| cs.get(i..i + w.len()) == Some(&w[..]) && !guarded(&cs, i, w));
            match hit {
                Some((w, replacement, written, level)) => {
                    out.push_str(replacement);
                    *self
                        .replaced
                        .entry((written.clone(), replacement.clone()))
                        .or_default() += 1;
                    if let Some(level) = level {
                        *self.level_votes.entry(level.label()).or_default() += 1;
                    }
                    i += w.len();
                }
                None => {
                    out.push(cs[i]);
                    i += 1;
                }
            }
        }
        // A template's blanks: one meeting slot each, named in text order.
        let mut text = out;
        let blanks = find_placeholders(&text);
        if !blanks.is_empty() {
            let cs: Vec<char> = text.chars().collect();
            let mut rebuilt = String::with_capacity(text.len());
            let mut last = 0;
            for blank in &blanks {
                rebuilt.extend(&cs[last..blank.start]);
                let kind = match blank.kind {
                    PlaceholderKind::Person => "person",
                    PlaceholderKind::Date => "date",
                    PlaceholderKind::Place => "place",
                    PlaceholderKind::Blank => "blank",
                };
                let counter = self.meeting_counts.entry(kind).or_default();
                *counter += 1;
                let name = format!("meeting.{kind}{counter}");
                // Letters would fail the draft checks: a blank is written ×××.
                let value: String = blank
                    .text
                    .chars()
                    .map(|c| {
                        if matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ') {
                            '×'
                        } else {
                            c
                        }
                    })
                    .collect();
                rebuilt.push_str(&format!("【@{name}】"));
                self.meeting.push((name, value));
                last = blank.end;
            }
            rebuilt.extend(&cs[last..]);
            text = rebuilt;
        }
        let mut text = crate::ingest::clean::restore_punctuation(&text);
        // Doubled punctuation left where unreadable characters were dropped.
        let mut fixed = String::with_capacity(text.len());
        for c in text.chars() {
            if "，。；：、".contains(c) && fixed.ends_with(|p: char| "，。；：、".contains(p))
            {
                continue;
            }
            fixed.push(c);
        }
        text = fixed.trim().to_string();
        // A paragraph never ends on a comma (drafts are checked for that).
        if ends_paragraph && text.ends_with(['，', '；', '、']) {
            text.pop();
            text.push('。');
        }
        text
    }

    /// Adds a slot to the current file and returns its name.
    fn slot(&mut self, name: &str, text: String, line: usize) -> String {
        if let Some((_, _, slots)) = self.files.last_mut() {
            slots.push(SlotOut {
                name: name.to_string(),
                text,
                line,
                more: Vec::new(),
            });
        }
        name.to_string()
    }

    fn emit(&mut self, line: String) {
        self.skeleton.push(line);
    }

    /// A paragraph slot with a `para` device (skipped when the text is empty).
    /// A text that continues the paragraph before it (an item of an enumeration that
    /// ran inside one paragraph of the source).
    fn more(&mut self, name: &str, raw: &str, line: usize) {
        self.text_device("more", name, raw, line, None);
    }

    fn para(&mut self, name: &str, raw: &str, line: usize, count: Option<&str>) {
        self.text_device("para", name, raw, line, count);
    }

    /// A slot holding one paragraph's text and the device that prints it (`para` starts
    /// a paragraph, `more` continues one); nothing when the text is empty.
    fn text_device(
        &mut self,
        device: &str,
        name: &str,
        raw: &str,
        line: usize,
        count: Option<&str>,
    ) {
        let text = self.slot_text(raw, count, true);
        if text.is_empty() {
            return;
        }
        if count.is_some() && text.contains("【N】") {
            self.computed
                .push((name.to_string(), count.unwrap_or_default().to_string()));
        }
        self.slot(name, text, line);
        self.emit(format!("{{{{ <{device} text={{s.{name}}} /> }}}}"));
    }
}

/// The count phrase of a node that a device may compute, if it sits where allowed.
fn computable(node: &Node, allowed: &[CountIn]) -> Option<(CountIn, String)> {
    let a = node.announced.as_ref()?;
    let place_ok = allowed.iter().any(|p| match (p, a.place) {
        (CountIn::Paragraph(_), CountIn::Paragraph(_)) => true,
        (x, y) => *x == y,
    });
    (a.matches() && place_ok).then(|| (a.place, a.phrase.clone()))
}

/// A lead sentence for a point or sub-point: ends with a stop so that the body can follow.
fn as_lead(node: &Node) -> String {
    let mut lead = node.heading.trim().to_string();
    if !lead.is_empty() && !lead.ends_with(['。', '！', '？', '”', '：']) {
        lead.push('。');
    }
    lead
}

fn strip_stop(text: &str) -> String {
    text.trim()
        .trim_end_matches(['。', '！', '；', '，'])
        .to_string()
}

/// The paragraphs of a node as written (for parts nested deeper than sub-points, which
/// the devices do not number: their own numbering stays in the text).
fn literal_paragraphs(node: &Node, out: &mut Vec<(String, usize)>) {
    let mut first = format!("{}{}", node.marker, node.heading);
    if node.style.is_heading_style() && node.standalone {
        // A heading line keeps its own line.
        out.push((first, node.line));
        if !node.rest.is_empty() {
            out.push((node.rest.clone(), node.line));
        }
    } else {
        first.push_str(&node.rest);
        out.push((first, node.line));
    }
    out.extend(node.paragraphs.iter().map(|p| (p.text.clone(), p.line)));
    for child in &node.children {
        literal_paragraphs(child, out);
    }
}

/// Emits a point (level 2) or sub-point (level 3) with its lead, body and paragraphs.
fn emit_item(b: &mut Builder, node: &Node, prefix: &str, sub_style: Option<&str>) {
    let counting = sub_style.is_none() && !node.children.is_empty();
    let count = if counting {
        computable(
            node,
            &[CountIn::Heading, CountIn::Rest, CountIn::Paragraph(0)],
        )
    } else {
        None
    };
    let count_in = |place: CountIn| {
        count
            .as_ref()
            .filter(|(p, _)| *p == place)
            .map(|(_, phrase)| phrase.clone())
    };
    // A point numbered （一） (or (1) standing for it) keeps that form; standing alone on
    // its line, it stays a heading line with its paragraph below, as written.
    let paren = sub_style.is_none() && matches!(node.style, Style::CnParen | Style::ArabicParen);
    let own_line = paren && node.standalone && node.rest.is_empty();
    let lead_name = format!("{prefix}.lead");
    let lead_count = count_in(CountIn::Heading);
    let lead_text = if own_line {
        node.heading.trim().to_string()
    } else {
        as_lead(node)
    };
    let lead = b.slot_text(&lead_text, lead_count.as_deref(), false);
    if let Some(phrase) = lead_count.filter(|_| lead.contains("【N】")) {
        b.computed.push((lead_name.clone(), phrase));
    }
    b.slot(&lead_name, lead, node.line);
    // The body continues the lead's paragraph: the rest of its line, or — for a heading
    // standing alone — the paragraph after it.
    let mut paragraphs: Vec<(usize, &str, usize)> = node
        .paragraphs
        .iter()
        .enumerate()
        .map(|(k, p)| (k, p.text.as_str(), p.line))
        .collect();
    let (body_raw, body_line, body_count) = if !node.rest.is_empty() {
        (node.rest.clone(), node.line, count_in(CountIn::Rest))
    } else if node.standalone && !own_line && !paragraphs.is_empty() {
        let (k, text, line) = paragraphs.remove(0);
        (text.to_string(), line, count_in(CountIn::Paragraph(k)))
    } else {
        (String::new(), node.line, None)
    };
    let body = b.slot_text(&body_raw, body_count.as_deref(), true);
    let style_attr = match sub_style {
        Some(style) if style != "是" => format!(" style=\"{style}\""),
        None if paren => " style=\"（一）\"".to_string(),
        _ => String::new(),
    };
    let device = if sub_style.is_some() { "sub" } else { "point" };
    if body.is_empty() {
        b.emit(format!(
            "{{{{ <{device}{style_attr} lead={{s.{lead_name}}} /> }}}}"
        ));
    } else {
        let body_name = format!("{prefix}.body");
        if let Some(phrase) = body_count.filter(|_| body.contains("【N】")) {
            b.computed.push((body_name.clone(), phrase));
        }
        b.slot(&body_name, body, body_line);
        b.emit(format!(
            "{{{{ <{device}{style_attr} lead={{s.{lead_name}}} rest={{s.{body_name}}} /> }}}}"
        ));
    }
    let mut n = 2;
    for (k, text, line) in paragraphs {
        let name = format!("{prefix}.para{n}");
        b.para(
            &name,
            text,
            line,
            count_in(CountIn::Paragraph(k)).as_deref(),
        );
        n += 1;
    }
    match sub_style {
        // A point: its children are sub-points.
        None => {
            for (k, child) in node.children.iter().enumerate() {
                // The source's numbering stays: 一要, 1., （1）; 一是 otherwise.
                let style = match child.style {
                    Style::Yao => "要",
                    Style::Arabic => "1.",
                    Style::ArabicParen => "（1）",
                    _ => "是",
                };
                b.emit(format!(
                    "{{#- {} -#}}",
                    comment_text(&format!("{}{}", child.marker, child.heading))
                ));
                emit_item(b, child, &format!("{prefix}.sub{}", k + 1), Some(style));
            }
        }
        // A sub-point: anything deeper is kept as written, numbering included.
        Some(_) => {
            let mut deeper = Vec::new();
            for child in &node.children {
                literal_paragraphs(child, &mut deeper);
            }
            for (text, line) in deeper {
                let name = format!("{prefix}.para{n}");
                b.para(&name, &text, line, None);
                n += 1;
            }
        }
    }
}

/// Text safe inside a Tera comment.
fn comment_text(text: &str) -> String {
    let cleaned = text.replace("#}", "# }").replace("{#", "{ #");
    let cs: Vec<char> = cleaned.chars().collect();
    if cs.len() > 40 {
        format!("{}…", cs[..39].iter().collect::<String>())
    } else {
        cleaned
    }
}

// ---------------------------------------------------------------------------------------
// Decomposition
// ---------------------------------------------------------------------------------------

/// Removes the spots `clean` could not repair (mojibake, private-use characters): a slot
/// text must not hold them. Returns the text and one note per spot.
fn drop_unrepaired(report: &CleanReport) -> (String, Vec<crate::ingest::clean::Issue>) {
    let mut lines: Vec<String> = report.text.lines().map(str::to_string).collect();
    let mut dropped = Vec::new();
    // A deleted number's mark (××) stays: it becomes a meeting slot like any blank.
    let mut issues: Vec<&crate::ingest::clean::Issue> = report
        .issues
        .iter()
        .filter(|i| i.kind != crate::ingest::clean::IssueKind::MissingNumber)
        .collect();
    issues.sort_by_key(|i| std::cmp::Reverse((i.line, i.column)));
    for issue in issues {
        let Some(line) = lines.get_mut(issue.line - 1) else {
            continue;
        };
        let cs: Vec<char> = line.chars().collect();
        let start = issue.column - 1;
        let len = issue.snippet.chars().count();
        if cs
            .get(start..start + len)
            .map(|s| s.iter().collect::<String>())
            == Some(issue.snippet.clone())
        {
            *line = cs[..start].iter().chain(cs[start + len..].iter()).collect();
            dropped.push(issue.clone());
        }
    }
    dropped.reverse();
    let mut text = lines.join("\n");
    text.push('\n');
    (text, dropped)
}

/// The meeting a title names: 在全县安全生产工作会议上的讲话 → 安全生产工作会议.
fn meeting_of(title: &str, place: Option<&str>) -> Option<String> {
    let title = title.split("——").last().unwrap_or(title);
    let core = match (title.find('在'), title.rfind("上的")) {
        (Some(a), Some(b)) if a < b => &title[a + '在'.len_utf8()..b],
        _ => title
            .trim_end_matches("讲话稿")
            .trim_end_matches("讲话")
            .trim_end_matches("发言稿")
            .trim_end_matches("发言"),
    };
    let mut core = core.to_string();
    if let Some(p) = place {
        core = core.replace(p, "");
    }
    for prefix in [
        "全乡",
        "全镇",
        "全县",
        "全区",
        "全市",
        "全旗",
        "全街道",
        "全苏木",
    ] {
        if let Some(rest) = core.strip_prefix(prefix) {
            core = rest.to_string();
        }
    }
    let core = core.trim().to_string();
    (core.chars().count() >= 2 && core.contains("会")).then_some(core)
}

fn default_id(source: &str) -> String {
    let stem = Path::new(source)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "my-speech".into()
    } else {
        id
    }
}

/// Common surnames: a name the speech gives (乡长王立军同志) starts with one of them.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤甘";

/// Titles a name stands before or after (`王立军乡长`, `乡长张建国要……`), longest first.
const TITLES: [&str; 20] = [
    "副书记",
    "副乡长",
    "副镇长",
    "副县长",
    "副主任",
    "书记",
    "乡长",
    "镇长",
    "县长",
    "区长",
    "市长",
    "局长",
    "主任",
    "部长",
    "主席",
    "站长",
    "所长",
    "校长",
    "院长",
    "委员",
];

/// Words that start like a name (a surname and one or two characters) and are not one.
const NOT_NAMES: [&str; 24] = [
    "武装", "严格", "严肃", "严厉", "马上", "任务", "方面", "方式", "高度", "于是", "万元", "向大",
    "向全", "金融", "石油", "龙头", "田间", "林业", "程序", "苏木", "余下", "江河", "钟点", "付出",
];

/// People a speech quotes or holds up as models, not its own people: they stay.
const QUOTED_PEOPLE: [&str; 22] = [
    "毛泽东",
    "周恩来",
    "刘少奇",
    "朱德",
    "邓小平",
    "陈云",
    "任弼时",
    "董必武",
    "陈毅",
    "彭德怀",
    "江泽民",
    "胡锦涛",
    "习近平",
    "焦裕禄",
    "谷文昌",
    "杨善洲",
    "孔繁森",
    "雷锋",
    "廖俊波",
    "黄大年",
    "张桂梅",
    "黄文秀",
];

fn could_be_name(name: &[char]) -> bool {
    let text: String = name.iter().collect();
    name.len() >= 2
        && !QUOTED_PEOPLE.contains(&text.as_str())
        && SURNAMES.contains(name[0])
        && name.iter().all(|c| is_han(*c))
        && !NOT_NAMES.iter().any(|w| text.starts_with(w))
        // A place (石门镇乡长, 金山村主任) is not a person.
        && !name.last().is_some_and(|c| "镇乡村县区市州旗盟".contains(*c))
}

/// Where the names of people stand in `cs` (start, length): before 同志 after a title or a
/// break (`乡长王立军同志`, `，王强同志`); before a title after a break or an office
/// (`，王立军乡长`, `管理局李明局长`); after a title before a break or the verb of a duty
/// (`乡长张建国要亲自抓`, `副乡长刘芳负责`).
fn people_at(cs: &[char]) -> Vec<(usize, usize)> {
    let boundary = |i: usize| i == 0 || !is_han(cs[i - 1]) || "由请和与及".contains(cs[i - 1]);
    let office = |i: usize| i > 0 && "局委办部院所站厅处队会".contains(cs[i - 1]);
    let after_title = |i: usize| word_before(cs, i, &TITLES);
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let mut hit = None;
        for len in [3, 2] {
            let Some(name) = cs.get(i..i + len) else {
                continue;
            };
            if !could_be_name(name) {
                continue;
            }
            let end = i + len;
            let before_comrade = word_at(cs, end, &["同志"]) && (after_title(i) || boundary(i));
            let before_title = word_at(cs, end, &TITLES) && (boundary(i) || office(i));
            let after_title_duty = after_title(i)
                && !"向于严马任方万".contains(cs[i])
                && (end == cs.len()
                    || "，、。；：".contains(cs[end])
                    || word_at(
                        cs,
                        end,
                        &["要", "负责", "亲自", "牵头", "分管", "主持", "带头"],
                    ));
            if before_comrade || before_title || after_title_duty {
                hit = Some(len);
                break;
            }
        }
        match hit {
            Some(len) => {
                found.push((i, len));
                i += len;
            }
            None => i += 1,
        }
    }
    found
}

/// The people a speech names (`乡党委书记甘志宏同志`, `王立军乡长`, `乡长张建国要……`)
/// become blanks (`×××`), so that no other place's draft names them; gives the text and
/// the names.
fn blank_people(text: &str) -> (String, Vec<String>) {
    let cs: Vec<char> = text.chars().collect();
    let mut names: Vec<String> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, len) in people_at(&cs) {
        out.extend(&cs[last..start]);
        let name: String = cs[start..start + len].iter().collect();
        if !names.contains(&name) {
            names.push(name);
        }
        out.push_str(&"×".repeat(len));
        last = start + len;
    }
    out.extend(&cs[last..]);
    (out, names)
}

/// Decomposes a cleaned speech into pack files (nothing is written here).
pub fn decompose(source: &str, report: &CleanReport, options: &Options) -> Result<PackDraft> {
    let (text, dropped) = drop_unrepaired(report);
    let (text, people) = blank_people(&text);
    let outline = outline::outline(&text);
    if outline.title.is_none() && outline.opening.is_empty() && outline.sections.is_empty() {
        return Err(Error::new(format!(
            "{source}: no speech text found after cleaning; give the speech as text or .docx."
        )));
    }
    let (place, detected) = match &options.place {
        Some(p) => (Some(p.trim().to_string()), false),
        None => (detect_place(&text), true),
    };
    let levels: Vec<Level> = match &place {
        Some(p) => vec![Level::infer(p)],
        None => vec![Level::Xiang, Level::Zhen],
    };
    let mut b = Builder::new(place.as_deref(), &levels);
    if !people.is_empty() {
        b.notes.push(format!(
            "people the speech names became blanks (×××), so that no other place's draft \
             names them: {}",
            people.join("、")
        ));
    }
    let short_name = place
        .as_deref()
        .map(|p| SUFFIXES.iter().find_map(|s| p.strip_suffix(s)).unwrap_or(p));
    if let (Some(p), false) = (&place, detected)
        && !text.contains(p.as_str())
        && !short_name.is_some_and(|s| s.chars().count() >= 2 && text.contains(s))
    {
        b.notes.push(format!(
            "the place “{p}” given with --place does not occur in the text; only its level words were replaced"
        ));
    }

    // Title, salutation, opening.
    let source_shown = comment_text(source);
    b.file(
        "opening.yaml",
        format!("# Title, salutation and opening of the speech, decomposed from {source_shown}.\n"),
    );
    let title_raw = outline
        .title
        .as_ref()
        .map_or("讲话稿".to_string(), |t| t.text.clone());
    if outline.title.is_none() {
        b.notes
            .push("no title found: the pack's title is “讲话稿”; write one in opening.yaml".into());
    }
    let title = b.slot_text(&title_raw, None, false);
    let title_line = outline.title.as_ref().map_or(0, |t| t.line);
    b.slot("title", title, title_line);
    b.emit("{{ <title text={s.title} /> }}".into());
    match &outline.salutation {
        Some(s) if s.text != "同志们：" => {
            let text = b.slot_text(&s.text, None, false);
            b.slot("salutation", text, s.line);
            b.emit("{{ <salutation text={s.salutation} /> }}".into());
        }
        _ => b.emit("{{ <salutation /> }}".into()),
    }
    for (k, p) in outline.opening.iter().enumerate() {
        let name = if k == 0 {
            "opening.p1".to_string()
        } else {
            format!("opening.p{}", k + 1)
        };
        b.para(&name, &p.text, p.line, None);
    }
    if let Some(t) = &outline.transition {
        b.para("opening.transition", &t.text, t.line, None);
        if let Some(a) = outline.transition_count.as_ref().filter(|a| a.matches()) {
            b.notes.push(format!(
                "line {}: the transition's count “{}” stays as written (the opening cannot compute counts): change it if you add or remove sections",
                a.line, a.phrase
            ));
        }
    }

    // Sections.
    for (i, section) in outline.sections.iter().enumerate() {
        let sec = format!("s{}", i + 1);
        let last_line = last_line_of(section);
        b.file(
            &format!("{sec}.yaml"),
            format!(
                "# {}{} — part {} of the speech (lines {}–{} of the cleaned source {source_shown}).\n",
                section.marker,
                comment_text(&section.heading),
                i + 1,
                section.line,
                last_line
            ),
        );
        b.emit(String::new());
        b.emit(format!(
            "{{#- {} -#}}",
            comment_text(&format!("{}{}", section.marker, section.heading))
        ));
        let heading_raw = strip_stop(&section.heading);
        let heading = b.slot_text(&heading_raw, None, false);
        let heading = strip_stop(&heading);
        b.slot(&format!("{sec}.heading"), heading, section.line);
        b.emit(format!("{{{{ <section heading={{s.{sec}.heading}} /> }}}}"));
        if section
            .announced
            .as_ref()
            .is_some_and(|a| a.place == CountIn::Heading)
        {
            b.notes.push(format!(
                "line {}: the count in the heading “{}” stays as written (a heading cannot compute counts)",
                section.line, section.heading
            ));
        }
        let count = if section.children.is_empty() {
            None
        } else {
            computable(section, &[CountIn::Rest, CountIn::Paragraph(0)])
        };
        let mut intro: Vec<(CountIn, &str, usize)> = Vec::new();
        if !section.rest.is_empty() {
            intro.push((CountIn::Rest, &section.rest, section.line));
        }
        intro.extend(
            section
                .paragraphs
                .iter()
                .enumerate()
                .map(|(k, p)| (CountIn::Paragraph(k), p.text.as_str(), p.line)),
        );
        let mut last_line = None;
        for (n, (place, text, line)) in intro.into_iter().enumerate() {
            last_line = Some(line);
            let name = if n == 0 {
                format!("{sec}.intro")
            } else {
                format!("{sec}.intro_{}", n + 1)
            };
            let phrase = count
                .as_ref()
                .filter(|(p, _)| *p == place)
                .map(|(_, phrase)| phrase.as_str());
            b.para(&name, text, line, phrase);
        }
        for (j, point) in section.children.iter().enumerate() {
            b.emit(format!(
                "{{#- {} -#}}",
                comment_text(&format!("{}{}", point.marker, point.heading))
            ));
            if matches!(point.style, Style::Shi | Style::Yao) {
                // 一是/一要 right under a heading is an enumeration, not points with
                // leads (the devices number 一是 only inside a point): kept as written,
                // numbering included, and an item from the same source paragraph as the
                // text before it continues that paragraph.
                let mut written = Vec::new();
                literal_paragraphs(point, &mut written);
                for (n, (text, line)) in written.into_iter().enumerate() {
                    let name = format!("{sec}.p{}.para{}", j + 1, n + 1);
                    if last_line == Some(line) {
                        b.more(&name, &text, line);
                    } else {
                        b.para(&name, &text, line, None);
                    }
                    last_line = Some(line);
                }
                continue;
            }
            last_line = None;
            emit_item(&mut b, point, &format!("{sec}.p{}", j + 1), None);
        }
    }

    // Closing.
    if !outline.closing.is_empty() {
        b.file(
            "closing.yaml",
            format!("# Closing of the speech, decomposed from {source_shown}.\n"),
        );
        b.emit(String::new());
        b.emit("{{ <closing /> }}".into());
        for (k, p) in outline.closing.iter().enumerate() {
            b.para(&format!("closing.p{}", k + 1), &p.text, p.line, None);
        }
    }

    // Where the unreadable characters were: the slot holding the words just before them.
    let mut dropped_notes = Vec::new();
    for issue in &dropped {
        let snippet_at = issue.context.find(&issue.snippet).unwrap_or(0);
        let before: String = issue.context[..snippet_at]
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let on_line: Vec<&SlotOut> = b
            .files
            .iter()
            .flat_map(|(_, _, slots)| slots.iter())
            .filter(|s| s.line == issue.line)
            .collect();
        let holder = on_line
            .iter()
            .find(|s| !before.is_empty() && s.text.contains(&before))
            .map(|s| s.name.clone())
            .unwrap_or_else(|| {
                on_line
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            });
        dropped_notes.push(format!(
            "{issue} — dropped; repair that sentence by hand in {holder}"
        ));
    }
    b.notes.splice(0..0, dropped_notes);

    // Notes on counts that stay as written, and on the numbering the pack redoes.
    note_counts(&outline.sections, &mut b.notes);
    for finding in &outline.findings {
        let consequence = match finding.kind {
            outline::FindingKind::Miscount => {
                "kept as written: correct the count or the items by hand"
            }
            _ => "drafts are numbered without the gap: the pack numbers every part itself",
        };
        b.notes.push(format!(
            "line {}: {} ({consequence})",
            finding.line, finding.message
        ));
    }

    let level = match &place {
        Some(p) => Level::infer(p),
        None => {
            let zhen = b.level_votes.get("镇").copied().unwrap_or(0);
            let xiang = b.level_votes.get("乡").copied().unwrap_or(0);
            if zhen > xiang {
                Level::Zhen
            } else {
                Level::Xiang
            }
        }
    };

    let id = options.id.clone().unwrap_or_else(|| default_id(source));
    let meeting = outline
        .title
        .as_ref()
        .and_then(|t| meeting_of(&t.text, place.as_deref()));
    let name = options.name.clone().unwrap_or_else(|| match &meeting {
        Some(m) => format!("{m}讲话"),
        None => strip_stop(&title_raw),
    });
    let meeting = meeting.unwrap_or_else(|| name.clone());

    // Files.
    let mut files: Vec<(String, String)> = Vec::new();
    let mut slots: Vec<(String, String)> = Vec::new();
    files.push((
        "pack.yaml".into(),
        manifest(&id, &name, &meeting, source, &outline),
    ));
    let skeleton_header = format!(
        "{{#-\n  Skeleton of “{}” (pack {}), decomposed by `speechgen decompose` from\n  {}.\n  Form only: every word of content is a slot in the .yaml files beside this file\n  (`s.<slot name>`); the devices (section, point, sub, para, closing) come from the shared\n  devices.tera and number every part themselves.\n-#}}\n",
        comment_text(&name),
        comment_text(&id),
        source_shown
    );
    if options.enrich {
        enrich(&mut b)?;
    }
    let mut skeleton = skeleton_header;
    for line in &b.skeleton {
        skeleton.push_str(line);
        skeleton.push('\n');
    }
    files.push(("speech.tera".into(), skeleton));
    let guide = "# The first alternative of every slot is the speech's own wording (used by --faithful).\n\
                 # Add other wordings below it, one `- ` line each. Write place words in the 乡 form\n\
                 # inside 【】 (【全乡】【乡党委】【村委会】…, see docs/pack-format.md); 【N】 is a count\n\
                 # computed from the items that follow.\n";
    for (file, header, file_slots) in &b.files {
        if file_slots.is_empty() {
            continue;
        }
        let mut yaml = format!("{header}{guide}");
        for slot in file_slots {
            yaml.push('\n');
            if slot.line > 0 {
                let _ = writeln!(yaml, "{}:  # line {}", slot.name, slot.line);
            } else {
                let _ = writeln!(yaml, "{}:", slot.name);
            }
            let _ = writeln!(yaml, "  - {}", yaml_scalar(&slot.text));
            for wording in &slot.more {
                let _ = writeln!(yaml, "  - {}", yaml_scalar(wording));
            }
            slots.push((file.clone(), slot.name.clone()));
        }
        files.push((file.clone(), yaml));
    }
    if !b.meeting.is_empty() {
        let mut yaml = String::from(
            "# Blanks the source left for names, dates and places (×××同志, __月__日): fill in the\n\
             # first alternative of each, or add alternatives. Texts insert them as 【@meeting.…】.\n",
        );
        for (name, value) in &b.meeting {
            let _ = write!(yaml, "\n{name}:\n  - {}\n", yaml_scalar(value));
            slots.push(("meeting.yaml".into(), name.clone()));
        }
        files.push(("meeting.yaml".into(), yaml));
    }

    Ok(PackDraft {
        id,
        name,
        files,
        slots,
        place: place.map(|p| (p, detected)),
        level,
        replaced: b.replaced,
        computed: b.computed,
        notes: b.notes,
        outline,
        clean_text: text,
    })
}

/// A wording in the common bank: plain text, or something else (a quotation with its
/// source, a tagged alternative) that `--enrich` does not take.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum BankText {
    Text(String),
    Other(serde::de::IgnoredAny),
}

/// The plain texts among `items`.
fn plain_texts(items: Vec<BankText>) -> impl Iterator<Item = String> {
    items.into_iter().filter_map(|t| match t {
        BankText::Text(text) => Some(text),
        BankText::Other(_) => None,
    })
}

/// The embedded common bank's file `corpora/common/<name>`, slot by slot.
fn bank_file<T: serde::de::DeserializeOwned>(name: &str) -> Result<indexmap::IndexMap<String, T>> {
    let path = format!("common/{name}");
    let text = crate::base::embedded::CORPORA
        .get_file(&path)
        .and_then(|f| f.contents_utf8())
        .ok_or_else(|| {
            Error::new(format!(
                "internal: the common bank's {name} is not embedded"
            ))
        })?;
    serde_saphyr::from_str(text).map_err(|e| Error::new(format!("internal: corpora/{path}: {e}")))
}

/// The common bank's plain wordings of its frame slots (the transition
/// `下面，我讲【N】点意见`, the closing call `同志们，……`), by slot: only wordings written
/// for any meeting (not those tagged for one meeting, nor those quoting a source).
fn bank_wordings() -> Result<indexmap::IndexMap<String, Vec<String>>> {
    Ok(bank_file::<Vec<BankText>>("frame.yaml")?
        .into_iter()
        .map(|(name, alternatives)| (name, plain_texts(alternatives).collect()))
        .collect())
}

/// The shared point a heading names, as the common bank's file of its whole points:
/// 加强组织领导 → lead, 强化督查考核 → inspect, 改进作风 → style, 压实责任 → duty. A
/// heading about one field's duty (压实属地管理责任) is the speech's own.
fn bank_role(heading: &str) -> Option<&'static str> {
    let has = |words: &[&str]| words.iter().any(|w| heading.contains(w));
    if has(&["组织领导", "加强领导"]) {
        Some("lead")
    } else if has(&["督查", "督导", "考核", "问责"]) {
        Some("inspect")
    } else if has(&["作风"]) {
        Some("style")
    } else if has(&["压实责任", "落实责任", "责任落实", "压紧压实责任"]) {
        Some("duty")
    } else {
        None
    }
}

/// The leads and bodies of the common bank's whole point `common.<role>`, from its
/// variants written for any meeting (untagged).
fn bank_point_wordings(role: &str) -> Result<(Vec<String>, Vec<String>)> {
    #[derive(serde::Deserialize)]
    struct BankPoint {
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        lead: Vec<BankText>,
        #[serde(default)]
        body: Vec<BankText>,
    }
    let (mut leads, mut bodies) = (Vec::new(), Vec::new());
    for points in bank_file::<Vec<BankPoint>>(&format!("{role}.yaml"))?.into_values() {
        for point in points.into_iter().filter(|p| p.tags.is_empty()) {
            leads.extend(plain_texts(point.lead));
            bodies.extend(plain_texts(point.body));
        }
    }
    Ok((leads, bodies))
}

/// `--enrich`: the parts every speech shares get the common bank's wordings after the
/// speech's own: the transition, the closing call, and a point (or a section without
/// points) on 组织领导, 督查, 作风 or 压实责任 — its lead and body, or the section's intro.
fn enrich(b: &mut Builder) -> Result<()> {
    let bank = bank_wordings()?;
    let none = Vec::new();
    let transitions = bank.get("common.transition").unwrap_or(&none);
    let closings = bank.get("common.closing").unwrap_or(&none);
    let all_slots = || b.files.iter().flat_map(|(_, _, slots)| slots.iter());
    let last_closing = all_slots()
        .filter(|s| s.name.starts_with("closing.") && s.text.starts_with("同志们"))
        .map(|s| s.name.clone())
        .next_back();
    // Which slots take which of the bank's shared points: `s2.p3.lead` / `.body` of a
    // point, or `s3.intro` of a section whose heading names one and that has no points.
    let names: BTreeSet<String> = all_slots().map(|s| s.name.clone()).collect();
    let mut roles: BTreeMap<String, (&'static str, bool)> = BTreeMap::new();
    for slot in all_slots() {
        let Some(role) = bank_role(&slot.text) else {
            continue;
        };
        let parts: Vec<&str> = slot.name.split('.').collect();
        match parts[..] {
            [s, p, "lead"] if s.starts_with('s') && p.starts_with('p') => {
                roles.insert(slot.name.clone(), (role, true));
                roles.insert(format!("{s}.{p}.body"), (role, false));
            }
            [s, "heading"] if !names.contains(&format!("{s}.p1.lead")) => {
                roles.insert(format!("{s}.intro"), (role, false));
            }
            _ => {}
        }
    }
    let mut points: BTreeMap<&str, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for (role, _) in roles.values() {
        if !points.contains_key(role) {
            points.insert(role, bank_point_wordings(role)?);
        }
    }
    let mut enriched = 0;
    for slot in b
        .files
        .iter_mut()
        .flat_map(|(_, _, slots)| slots.iter_mut())
    {
        let wordings = if slot.name == "opening.transition" && slot.text.starts_with("下面") {
            transitions
        } else if last_closing.as_deref() == Some(slot.name.as_str()) {
            closings
        } else if let Some((role, lead)) = roles.get(&slot.name) {
            let (leads, bodies) = &points[role];
            if *lead { leads } else { bodies }
        } else {
            continue;
        };
        slot.more = wordings
            .iter()
            .filter(|w| **w != slot.text)
            .cloned()
            .collect();
        enriched += usize::from(!slot.more.is_empty());
    }
    b.notes.push(format!(
        "--enrich: {enriched} slot(s) got the common bank's wordings after the speech's own \
         (the transition, the closing call, and points on 组织领导, 督查, 作风 or 压实责任); \
         add your own for the rest"
    ));
    Ok(())
}

fn last_line_of(node: &Node) -> usize {
    let mut last = node.line;
    if let Some(p) = node.paragraphs.last() {
        last = last.max(p.line);
    }
    for child in &node.children {
        last = last.max(last_line_of(child));
    }
    last
}

/// Notes for announced counts that a device cannot compute and that stay as written.
fn note_counts(nodes: &[Node], notes: &mut Vec<String>) {
    for node in nodes {
        if let Some(a) = &node.announced
            && a.matches()
            && a.numeral == "两"
        {
            notes.push(format!(
                "line {}: “{}” stays as written (the devices write 二, not 两)",
                a.line, a.phrase
            ));
        }
        note_counts(&node.children, notes);
    }
}

fn manifest(id: &str, name: &str, meeting: &str, source: &str, outline: &Outline) -> String {
    let points: usize = outline.sections.iter().map(|s| s.children.len()).sum();
    format!(
        "# Pack manifest, written by `speechgen decompose` from {}.\n\
         # The skeleton is speech.tera; the slot vocabularies are the other *.yaml files here.\n\
         id: {}\n\
         name: {}\n\
         meeting: {}\n\
         description: {}\n\
         source: {}\n\
         skeleton: speech.tera\n\
         # Tags an alternative may carry (`tags: [rural]`): it is then used only where the tag\n\
         # applies; untagged alternatives are used everywhere.\n\
         tags:\n\
         \x20 rural: 有村（嘎查、分场）的地方：乡、镇、苏木、农林牧场\n\
         \x20 urban: 城市社区为主的地方：街道、开发区园区\n\
         \x20 ethnic: 民族乡、民族苏木和民族自治地方（自治县、自治旗）\n",
        comment_text(source),
        yaml_scalar(id),
        yaml_scalar(name),
        yaml_scalar(meeting),
        yaml_scalar(&format!(
            "由 speechgen decompose 从讲话稿拆解：{} 个部分，{} 个要点。",
            outline.sections.len(),
            points
        )),
        yaml_scalar(source),
    )
}

/// A YAML scalar: plain when that is safe (Chinese text nearly always is), otherwise
/// double-quoted with JSON escapes (valid YAML).
fn yaml_scalar(text: &str) -> String {
    let first = text.chars().next();
    let risky_start = first.is_none_or(|c| "-?:,[]{}#&*!|>'\"%@`~ ".contains(c));
    let risky_inside = text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.ends_with(' ')
        || text.contains('\t')
        || text.contains('\\');
    let looks_typed = matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "null" | "on" | "off" | "~"
    ) || text.parse::<f64>().is_ok();
    if risky_start || risky_inside || looks_typed {
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
    } else {
        text.to_string()
    }
}

// ---------------------------------------------------------------------------------------
// Writing and reporting
// ---------------------------------------------------------------------------------------

/// The list of the files `decompose` wrote into a pack folder, one name a line: with
/// `--force`, these and only these may be replaced or removed.
const WRITTEN_LIST: &str = ".speechgen-pack";

/// The files speechgen wrote into `dir` last time (its WRITTEN_LIST), plain names only.
fn files_we_wrote(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(WRITTEN_LIST))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.contains(['/', '\\']) && !n.starts_with('.'))
        .map(str::to_string)
        .collect()
}

/// Replaces the pack in the existing folder `out` with the files in `tmp`: removes the
/// regular files of the last decomposition (never a link, never a file it did not
/// write), moves the new ones in and records them. Refuses, before touching anything,
/// when `out` holds pack files speechgen did not write (they would be read as part of the
/// pack, and replacing them would destroy the user's work).
fn replace_pack_files(out: &Path, tmp: &Path, names: &[String]) -> Result<()> {
    let shown = out.display();
    let ours = files_we_wrote(out);
    let mut found = Vec::new();
    crate::pack::collect_files(out, &mut found)?;
    let strangers: Vec<String> = found
        .iter()
        .map(|(p, _)| p.clone())
        .filter(|p| {
            let relative = Path::new(p).strip_prefix(out).unwrap_or(Path::new(p));
            !ours.iter().any(|n| Path::new(n) == relative)
        })
        .collect();
    if !strangers.is_empty() {
        return Err(Error::new(format!(
            "{shown} holds pack files that speechgen did not write ({}{}); nothing was written or \
             removed. A pack folder is read whole, so they would become part of the new pack. \
             Move them away, or choose another --out.",
            strangers
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            if strangers.len() > 5 { ", …" } else { "" }
        )));
    }
    for name in &ours {
        let path = out.join(name);
        let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
        if regular && !names.contains(name) {
            std::fs::remove_file(&path).map_err(|e| {
                Error::new(format!(
                    "{}: cannot remove this old pack file ({e}).",
                    path.display()
                ))
            })?;
        }
    }
    for name in names {
        std::fs::rename(tmp.join(name), out.join(name))
            .map_err(|e| Error::new(format!("cannot move {name} into {shown}: {e}.")))?;
    }
    std::fs::rename(tmp.join(WRITTEN_LIST), out.join(WRITTEN_LIST))
        .map_err(|e| Error::new(format!("cannot record the pack's files in {shown}: {e}.")))
}

/// Writes the pack: into a temporary folder beside `out`, loads and trial-renders it
/// there, then moves it into `out`. Returns the pack as loaded.
pub fn write_pack(draft: &PackDraft, out: &Path, force: bool) -> Result<Pack> {
    let shown = out.display();
    if std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::new(format!(
            "{shown} is a symbolic link; nothing was written. Give --out the real folder's path."
        )));
    }
    if out.exists() && !out.is_dir() {
        return Err(Error::new(format!(
            "{shown} is a file, not a folder: give --out a folder name for the pack, e.g. --out ./my-pack."
        )));
    }
    let non_empty = out.is_dir()
        && std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true);
    if non_empty && !force {
        return Err(Error::new(format!(
            "{shown} already exists and is not empty; nothing was written. Choose another --out, \
             or add --force to replace the pack files an earlier decompose wrote there (the \
             others are never touched)."
        )));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| {
        Error::new(format!(
            "cannot create the folder {} for the pack: {e}.",
            parent.display()
        ))
    })?;
    let tmp = tempfile::Builder::new()
        .prefix(".speechgen-pack-")
        .tempdir_in(&parent)
        .map_err(|e| {
            Error::new(format!(
                "cannot write the pack beside {shown}: {e} (is the folder writable?)."
            ))
        })?;
    for (name, content) in &draft.files {
        std::fs::write(tmp.path().join(name), content).map_err(|e| {
            Error::new(format!(
                "cannot write {name} for the pack: {e}; nothing was written."
            ))
        })?;
    }
    let names: Vec<String> = draft.files.iter().map(|(n, _)| n.clone()).collect();
    std::fs::write(tmp.path().join(WRITTEN_LIST), names.join("\n") + "\n").map_err(|e| {
        Error::new(format!(
            "cannot write the pack's file list: {e}; nothing was written."
        ))
    })?;
    let mut pack = Pack::load_dir(tmp.path()).map_err(|e| {
        Error::new(format!(
            "the pack decomposed from the speech does not load, so nothing was written (this is \
             a speechgen bug; please report it with the input file): {e}"
        ))
    })?;
    // The pack's files are named where they end up, not in the temporary folder (whose
    // random name would make the report differ from run to run).
    let (tmp_shown, out_shown) = (tmp.path().display().to_string(), out.display().to_string());
    for slot in pack.slots.values_mut() {
        if let Some(rest) = slot.file.strip_prefix(&tmp_shown) {
            slot.file = format!("{out_shown}{rest}");
        }
    }
    if out.is_dir() {
        replace_pack_files(out, tmp.path(), &names)?;
    } else {
        let kept = tmp.keep();
        std::fs::rename(&kept, out).map_err(|e| {
            let _ = std::fs::remove_dir_all(&kept);
            Error::new(format!("cannot create {shown}: {e}; nothing was written."))
        })?;
    }
    Ok(pack)
}

/// A sample place of each level, for trial drafts.
fn sample_place(level: Level) -> &'static str {
    match level {
        Level::Xiang => "红星乡",
        Level::Zhen => "太平镇",
        Level::Jiedao => "大栅栏街道",
        Level::Sumu => "巴音苏木",
        Level::Farm => "红旗农场",
        Level::Park => "高新技术产业园区",
        Level::Other => "城关办事处",
    }
}

/// The place `generate --locality NAME --level L` writes for: the gazetteer's when it
/// knows the name for sure, otherwise a place of that level known only by its name.
fn locality_for(name: &str, level: Level) -> Result<Locality> {
    crate::place::resolve::resolve(&crate::place::resolve::PlaceQuery {
        locality: Some(name.to_string()),
        level: Some(level.label().to_string()),
        ..Default::default()
    })
}

/// `speechgen decompose FILE --out DIR`: writes the pack and returns the report for the
/// author (what was done, what to look at, what to do next).
pub fn command(input: &str, out: &str, options: &Options, force: bool) -> Result<String> {
    let bytes = crate::base::files::read_input(input)?;
    let report = crate::ingest::read::clean_document(input, &bytes)?;
    let draft = decompose(input, &report, options)?;
    let pack = write_pack(&draft, Path::new(out), force)?;
    Ok(report_text(&draft, &pack, out, report.encoding))
}

fn report_text(draft: &PackDraft, pack: &Pack, out: &str, encoding: &str) -> String {
    let mut r = String::new();
    let sections = draft.outline.sections.len();
    let points: usize = draft
        .outline
        .sections
        .iter()
        .map(|s| s.children.len())
        .sum();
    let subs: usize = draft
        .outline
        .sections
        .iter()
        .flat_map(|s| s.children.iter())
        .map(|p| p.children.len())
        .sum();
    let _ = writeln!(
        r,
        "speechgen decompose: wrote pack “{}” ({}) to {out} — read as {encoding}",
        draft.id, draft.name
    );
    let files: Vec<&str> = draft.files.iter().map(|(f, _)| f.as_str()).collect();
    let _ = writeln!(r, "  files: {}", files.join(", "));
    let _ = writeln!(
        r,
        "  structure: {sections} sections, {points} points, {subs} sub-points; {} slots, {} alternatives",
        pack.slots.len(),
        pack.alternative_count()
    );
    match &draft.place {
        Some((place, detected)) => {
            let _ = writeln!(
                r,
                "  place: {place} ({}; level {})",
                if *detected {
                    "the township named most often; give --place NAME to change it"
                } else {
                    "from --place"
                },
                draft.level.label()
            );
        }
        None => {
            let _ = writeln!(
                r,
                "  place: none found in the text (give --place NAME if the speech names its township); level words read as {}",
                draft.level.label()
            );
        }
    }
    if !draft.replaced.is_empty() {
        let list: Vec<String> = draft
            .replaced
            .iter()
            .map(|((written, replacement), n)| format!("{written}→{replacement}×{n}"))
            .collect();
        let _ = writeln!(r, "  place words: {}", list.join(", "));
    }
    if !draft.computed.is_empty() {
        let list: Vec<String> = draft
            .computed
            .iter()
            .map(|(slot, phrase)| format!("{slot} “{phrase}”"))
            .collect();
        let _ = writeln!(
            r,
            "  counts computed from the items (【N】): {}",
            list.join(", ")
        );
    }

    // Trial drafts: the source's own place (coverage) and one place of every level.
    let own = match &draft.place {
        Some((p, _)) if !p.chars().any(is_blank) => p.clone(),
        _ => sample_place(draft.level).to_string(),
    };
    let options = GenerateOptions {
        seed: 0,
        faithful: true,
        check: true,
        ..GenerateOptions::default()
    };
    let mut problems: Vec<String> = Vec::new();
    match locality_for(&own, draft.level).and_then(|loc| generate::generate(pack, &loc, &options)) {
        Ok(speech) => {
            let text = render::text(&speech);
            let coverage = crate::base::similarity::duplicate_rate(&draft.clean_text, &text);
            let _ = writeln!(
                r,
                "  faithful draft for {own}: covers {:.1}% of the cleaned speech (13-character runs)",
                coverage * 100.0
            );
        }
        Err(e) => problems.push(format!("a faithful draft for {own} fails: {e}")),
    }
    // How much of a drawn draft (not --faithful) is the source: what the slots with more
    // than one wording change.
    let own_place = locality_for(&own, draft.level).ok();
    let varied = (1..=5u64)
        .filter_map(|seed| {
            let options = GenerateOptions {
                seed,
                ..GenerateOptions::default()
            };
            let loc = own_place.as_ref()?;
            let text = render::text(&generate::generate(pack, loc, &options).ok()?);
            Some(crate::base::similarity::duplicate_rate(
                &text,
                &draft.clean_text,
            ))
        })
        .collect::<Vec<f64>>();
    let with_more = pack
        .slots
        .values()
        .filter(|s| s.alternatives.len() > 1)
        .count();
    if !varied.is_empty() {
        let _ = writeln!(
            r,
            "  drafts (seeds 1–5): {with_more} of {} slots have more than one wording; on average {:.1}% of a draft is the source's text",
            pack.slots.len(),
            varied.iter().sum::<f64>() / varied.len() as f64 * 100.0
        );
    }
    for level in [Level::Xiang, Level::Zhen, Level::Jiedao, Level::Sumu] {
        let place = sample_place(level);
        if place == own {
            continue;
        }
        if let Err(e) =
            locality_for(place, level).and_then(|loc| generate::generate(pack, &loc, &options))
        {
            problems.push(format!(
                "a draft for a {} ({place}) fails its checks: {e} — write such words as placeholders (嘎查/社区 → 【村】, see docs/pack-format.md), or tag that wording (`tags: [rural]`) and add an untagged alternative",
                level.label()
            ));
        }
    }
    let notes: Vec<&String> = draft.notes.iter().chain(problems.iter()).collect();
    if !notes.is_empty() {
        let _ = writeln!(r, "to look at ({}):", notes.len());
        for note in notes {
            let _ = writeln!(r, "  - {note}");
        }
    }

    // Next steps.
    let single: Vec<&crate::pack::Slot> = pack
        .slots
        .values()
        .filter(|s| s.alternatives.len() < 2)
        .collect();
    let _ = writeln!(r, "next steps:");
    if !single.is_empty() {
        let _ = writeln!(
            r,
            "  1. {} of {} slots have only one alternative, so every draft repeats the speech there:",
            single.len(),
            pack.slots.len()
        );
        let mut by_file: BTreeMap<usize, (String, Vec<String>)> = BTreeMap::new();
        for slot in &single {
            let file = Path::new(&slot.file)
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default();
            let order = draft
                .files
                .iter()
                .position(|(f, _)| *f == file)
                .unwrap_or(usize::MAX);
            by_file
                .entry(order)
                .or_insert_with(|| (file, Vec::new()))
                .1
                .push(slot.name.clone());
        }
        for (file, names) in by_file.values() {
            let _ = writeln!(r, "       {file}: {}", names.join(", "));
        }
    } else {
        let _ = writeln!(r, "  1. every slot has alternatives.");
    }
    let example = draft
        .slots
        .iter()
        .find(|(_, n)| n.ends_with(".lead"))
        .or_else(|| draft.slots.iter().find(|(_, n)| n.ends_with(".heading")))
        .or_else(|| draft.slots.first());
    if let Some((file, name)) = example {
        let first = pack
            .slots
            .get(name)
            .and_then(|s| s.alternatives.first())
            .map(|a| alternative_text(&a.value))
            .unwrap_or_default();
        let _ = writeln!(
            r,
            "  2. add alternatives: in {out}/{file}, under a slot, one `- ` line per wording; keep the\n     first (your speech's own, used by --faithful):\n       {name}:\n         - {first}\n         - （another way to say it）\n     place words go in 【】 in the 乡 form (【全乡】【乡党委】【村委会】), see docs/pack-format.md;\n     wording only for places with villages gets `tags: [rural]`."
        );
    }
    let _ = writeln!(r, "  3. speechgen check {out}");
    let _ = writeln!(
        r,
        "  4. speechgen generate --pack {out} --faithful --locality {own} --level {}   # your speech back",
        draft.level.label()
    );
    let other = if draft.level == Level::Zhen {
        Level::Xiang
    } else {
        Level::Zhen
    };
    let _ = writeln!(
        r,
        "     speechgen generate --pack {out} --locality {} --level {} --seed 1   # a draft for another place",
        sample_place(other),
        other.label()
    );
    r
}

fn alternative_text(value: &crate::pack::Value) -> String {
    use crate::pack::{Segment, Value};
    match value {
        Value::Text(segments) => segments
            .iter()
            .map(|s| match s {
                Segment::Literal(t, _) => t.clone(),
                Segment::Word(w) => format!("【{w}】"),
                Segment::Slot(n) => format!("【@{n}】"),
                Segment::Choice(options) => format!("【{}】", options.join("|")),
            })
            .collect(),
        Value::List(items) => items
            .iter()
            .map(alternative_text)
            .collect::<Vec<_>>()
            .join("；"),
        Value::Choose(items, _) => items.first().map(alternative_text).unwrap_or_default(),
        Value::Map(fields) => fields
            .iter()
            .map(|(_, v)| alternative_text(v))
            .collect::<Vec<_>>()
            .join(""),
        Value::Meta(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_detection() {
        let text = "在太平镇安全生产工作会议上的讲话\n同志们：\n今天召开太平镇安全生产工作会议。镇党委高度重视，太平镇各村都要落实。全镇上下要加强乡卫生院建设。\n";
        assert_eq!(detect_place(text).as_deref(), Some("太平镇"));
        // The seed never writes its own name with its suffix.
        let seed = include_str!("../../corpora/sources/000_fe6face1bb91762f.clean.txt");
        assert_eq!(detect_place(seed), None);
        assert_eq!(
            detect_place("标题\n各乡镇要抓好。全乡、我乡、到乡。\n"),
            None
        );
        // A template's blank counts.
        assert_eq!(
            detect_place("在XX镇防汛工作会议上的讲话\n同志们：\nXX镇是防汛重点。\n").as_deref(),
            Some("XX镇")
        );
        assert_eq!(
            detect_place("标题\n大栅栏街道的工作。在大栅栏街道，社区居委会要……\n").as_deref(),
            Some("大栅栏街道")
        );
        // 乡村 is no name's end, except where the 村 opens 村“两委”: the township is 大山乡.
        assert_eq!(
            detect_place(
                "在大山乡村“两委”换届选举工作会议上的讲话\n同志们：\n全乡要抓好乡村振兴。\n"
            )
            .as_deref(),
            Some("大山乡")
        );
        // A verb before 街道 is not a name.
        assert_eq!(
            detect_place("标题\n要推动街道安全生产。全镇要抓好。\n"),
            None
        );
    }

    #[test]
    fn people_become_blanks() {
        let (text, names) = blank_people(
            "乡党委书记甘志宏同志和乡长王立军同志要亲自抓。王强同志主持。各位同志、有关同志要参加。",
        );
        assert_eq!(
            text,
            "乡党委书记×××同志和乡长×××同志要亲自抓。××同志主持。各位同志、有关同志要参加。"
        );
        assert_eq!(names, ["甘志宏", "王立军", "王强"]);
        let (text, names) = blank_people(
            "刚才，王立军乡长通报了情况，县应急管理局李明局长作了讲话，甘志宏书记提出了要求。\
             乡长张建国要亲自抓，副乡长刘芳负责具体工作。",
        );
        assert_eq!(
            text,
            "刚才，×××乡长通报了情况，县应急管理局××局长作了讲话，×××书记提出了要求。\
             乡长×××要亲自抓，副乡长××负责具体工作。"
        );
        assert_eq!(names, ["王立军", "李明", "甘志宏", "张建国", "刘芳"]);
        // Offices, places and words that start like names stay.
        for plain in [
            "，党委书记要亲自抓，武装部长和石门镇镇长、金山村主任参加。",
            "书记严格要求，局长马上部署，主任任务重，书记向大家讲了。",
            "镇长要带头，副镇长分管，乡长、副乡长，县委书记高度重视。",
            "毛泽东同志讲过，群众的小事就是大事。要学习焦裕禄同志。",
        ] {
            assert_eq!(blank_people(plain).0, plain);
        }
    }

    #[test]
    fn place_words_become_placeholders() {
        let mut b = Builder::new(Some("太平镇"), &[Level::Zhen]);
        let text = b.slot_text(
            "太平镇党委决定，全镇上下、镇、村两级和各村委会要在县委领导下，推动富裕太平建设，城乡长期发展，乡镇长要带头。",
            None,
            true,
        );
        assert_eq!(
            text,
            "【乡名】党委决定，【全乡】上下、【乡村】两级和各【村委会】要在【县委】领导下，推动富裕【地名】建设，城乡长期发展，乡镇长要带头。"
        );
        // The county's and the township's offices follow the place too.
        let text = b.slot_text(
            "县应急管理局和县纪委、县政府，镇安监站、镇派出所",
            None,
            true,
        );
        assert_eq!(
            text,
            "【县】应急管理局和【县】纪委、【县】政府，【乡】安监站、【乡】派出所"
        );
        assert_eq!(
            b.replaced.get(&("全镇".into(), "【全乡】".into())),
            Some(&1)
        );
    }

    #[test]
    fn counts_blanks_and_reserved_characters() {
        let mut b = Builder::new(None, &[Level::Xiang]);
        assert_eq!(
            b.slot_text("要牢固树立“三种意识”。", Some("三种"), true),
            "要牢固树立“【N】种意识”。"
        );
        assert_eq!(
            b.slot_text(
                "请×××同志和*县长于__月__日到XX村检查【典型案例】,好",
                None,
                true
            ),
            "请【@meeting.person1】同志和【@meeting.person2】县长于【@meeting.date1】月【@meeting.date2】日到【@meeting.place1】村检查〔典型案例〕，好"
        );
        assert_eq!(
            b.meeting,
            vec![
                ("meeting.person1".to_string(), "×××".to_string()),
                ("meeting.person2".to_string(), "*".to_string()),
                ("meeting.date1".to_string(), "__".to_string()),
                ("meeting.date2".to_string(), "__".to_string()),
                ("meeting.place1".to_string(), "××".to_string()),
            ]
        );
        assert_eq!(b.slot_text("落实责任，", None, true), "落实责任。");
        assert_eq!(b.slot_text("甲，，乙", None, true), "甲，乙");
    }

    #[test]
    fn yaml_scalars_round_trip() {
        for text in [
            "要始终心系群众",
            "【乡党委】决定，",
            "- 3 -",
            "yes",
            "a: b",
            "“三种意识”",
            "123",
        ] {
            let yaml = format!("k:\n  - {}\n", yaml_scalar(text));
            let parsed: BTreeMap<String, Vec<String>> = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(parsed["k"][0], text, "{yaml}");
        }
    }

    #[test]
    fn odd_speeches_give_packs_that_load_or_clear_errors() {
        let odd = [
            "同志们：\n今天开会，研究工作。\n",
            "一、\n二、\n",
            "标题\n一、甲\n（一）\n1.\n（1）\n①\n",
            "【重要】讲话\n同志们：\n要做到{{a}}和{%b%}，GDP增长5%。\n一、第一部分\n内容，\n",
            "标题\n同志们：\n首先，甲。\n其次，乙。\n最后，丙。\n同志们，让我们奋斗！\n",
            "标题\n同志们：\n一、甲\n牢固树立“两种意识”。\n第一，子。\n第二，丑。\n一是寅。\n二是卯。\n（1）辰。\n",
            "在××乡会议上的讲话\n同志们：\n××乡、××乡的×××同志，请于__日到会。\n",
        ];
        for raw in odd {
            let report = crate::ingest::clean::clean_text(raw);
            let draft = decompose("odd.txt", &report, &Options::default())
                .unwrap_or_else(|e| panic!("{raw}: {e}"));
            let tmp = tempfile::tempdir().unwrap();
            let pack = write_pack(&draft, &tmp.path().join("p"), false)
                .unwrap_or_else(|e| panic!("{raw}: {e}"));
            let _ = report_text(&draft, &pack, "p", "UTF-8");
        }
        for raw in ["", "\n\n"] {
            let report = crate::ingest::clean::clean_text(raw);
            let err = decompose("e.txt", &report, &Options::default()).unwrap_err();
            assert!(err.message().contains("no speech text"), "{err}");
        }
    }

    #[test]
    fn meeting_from_title() {
        assert_eq!(
            meeting_of("在全县安全生产工作会议上的讲话", None).as_deref(),
            Some("安全生产工作会议")
        );
        assert_eq!(
            meeting_of("全乡群众工作会议讲话稿", None).as_deref(),
            Some("群众工作会议")
        );
        assert_eq!(
            meeting_of("在太平镇党建工作会议上的讲话", Some("太平镇")).as_deref(),
            Some("党建工作会议")
        );
        assert_eq!(meeting_of("讲话", None), None);
        assert_eq!(
            default_id("tests/fixtures/ingest/anquan-pdf.txt"),
            "anquan-pdf"
        );
        assert_eq!(default_id("讲话稿.docx"), "my-speech");
    }
}
