//! Does a draft read as one speech? What a reviewer of 公文 checks beyond spelling
//! (docs/content-model.md): every point has a body, sections have points, headings of a
//! level share one form, the title is a real title, nothing said twice, no stock phrase
//! repeated, no dated formula, no word the kind of place does not have, every quotation
//! sourced. `speechgen check` runs these over many seeds for every kind of place, and the
//! property tests hold every draft to them; `generate` does not refuse a draft for them
//! (they are the pack's promises, proved before it ships).

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::draft::speech::{Inline, Speech, Text, text};
use crate::draft::validate::without_place_names;
use crate::pack::Pack;
use crate::pack::content::DATED_FORMULAS;
use crate::place::locality::Locality;
use crate::place::profile::forbidden_in;

/// Phrases that read as filler when a draft says them twice.
pub const STOCK_PHRASES: [&str; 7] = [
    "半点马虎",
    "宁听骂声",
    "重中之重",
    "千方百计",
    "真金白银",
    "一把钥匙开一把锁",
    "打通最后一公里",
];

/// How many sentences a point's body must have beyond its lead.
pub const MIN_BODY_SENTENCES: usize = 2;

fn sentences(text: &str) -> usize {
    text.split(['。', '！', '？'])
        .filter(|s| s.chars().count() >= 4)
        .count()
}

fn title_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:[^——]{4,30}——)?在.{2,40}(?:会议|大会|会)上的讲话$").expect("valid regex")
    })
}

/// Everything in the draft that breaks the content model, as messages.
pub fn problems(speech: &Speech, loc: &Locality, pack: &Pack) -> Vec<String> {
    let mut found = Vec::new();
    let title = &speech.title.text;
    if !title_re().is_match(title) {
        found.push(format!(
            "the title “{title}” is not in a real form (在……会议上的讲话, or 主标题——在……会议上的讲话)"
        ));
    }
    let yao = speech
        .sections
        .iter()
        .filter(|s| s.heading.text.starts_with('要'))
        .count();
    if yao != 0 && yao != speech.sections.len() {
        found.push(format!(
            "section headings mix forms: {yao} of {} start with 要",
            speech.sections.len()
        ));
    }
    for section in &speech.sections {
        let heading = &section.heading.text;
        if section.points.len() == 1 {
            found.push(format!("section “{heading}” has a single point"));
        }
        // An intro that counts its points (三个方面, 两种意识) must count the ones that
        // follow; 几个方面 over ten points reads as a slip.
        let intro: String = section.intro.iter().map(|t| t.text.as_str()).collect();
        let count = crate::base::numerals::count(section.points.len() as i64);
        for word in ["种意识", "个方面"] {
            if let Some(at) = intro.find(word) {
                let before = intro[..at].chars().next_back().unwrap_or(' ');
                if before.to_string() != count && !intro.contains(&format!("{count}{word}")) {
                    found.push(format!(
                        "the intro of “{heading}” announces “{before}{word}” over {} points: \
                         write 【N】{word} (the count of the points that follow) or leave the \
                         count out",
                        section.points.len()
                    ));
                }
            }
        }
        for point in &section.points {
            let body: String = point.paragraphs.iter().map(|p| p.text.as_str()).collect();
            if sentences(&body) < MIN_BODY_SENTENCES {
                found.push(format!(
                    "hollow point “{}”: its body has fewer than {MIN_BODY_SENTENCES} sentences",
                    point.lead.text
                ));
            }
            if !point.lead.text.starts_with('要') {
                found.push(format!(
                    "point lead “{}” does not start with 要 like its siblings",
                    point.lead.text
                ));
            }
        }
    }
    let all = text(speech);
    for formula in DATED_FORMULAS.iter().filter(|f| all.contains(**f)) {
        found.push(format!("dated formula “{formula}”"));
    }
    for phrase in STOCK_PHRASES {
        let n = all.matches(phrase).count();
        if n > 1 {
            found.push(format!("stock phrase “{phrase}” {n} times"));
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for sentence in all.split(['。', '！', '？', '；', '\n']) {
        if sentence.chars().count() >= 15 {
            *seen.entry(sentence).or_default() += 1;
        }
    }
    for (sentence, n) in seen.into_iter().filter(|(_, n)| *n > 1) {
        found.push(format!("sentence said {n} times: “{sentence}”"));
    }
    let unnamed = crate::draft::speech::text_with(speech, without_place_names);
    for word in forbidden_in(&unnamed, loc) {
        found.push(crate::draft::validate::misfit(word, loc.profile().tag()));
    }
    found.extend(unsourced(speech, pack));
    found
}

/// Quotations (a text matching the attribution pattern) from an alternative with no
/// `source:`.
fn unsourced(speech: &Speech, pack: &Pack) -> Vec<String> {
    let mut found = Vec::new();
    for t in speech.texts() {
        for span in &t.spans {
            let Inline::Slot {
                slot,
                alternative,
                source,
            } = &span.what
            else {
                continue;
            };
            let piece: String = t
                .text
                .chars()
                .skip(span.start)
                .take(span.end - span.start)
                .collect();
            if !crate::pack::content::quotes_someone(&piece) {
                continue;
            }
            let sourced = source.is_some()
                || pack
                    .slots
                    .get(slot)
                    .and_then(|s| s.alternatives.iter().find(|a| &a.id == alternative))
                    .is_some_and(|a| a.source.is_some() || a.nested_sources());
            if !sourced {
                found.push(format!(
                    "quotation without a source in {slot}#{alternative}: “{piece}”"
                ));
            }
        }
    }
    found
}

/// The share of the draft (in characters) spent on the opening and the closing.
pub fn frame_share(speech: &Speech) -> f64 {
    let frame: usize = speech
        .opening
        .iter()
        .chain(&speech.closing)
        .map(Text::char_len)
        .sum();
    frame as f64 / speech.char_len().max(1) as f64
}
