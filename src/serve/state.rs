//! What the page keeps and sends back with every request — place, meeting, seed,
//! options, what each part drew, locks and edits — and the drafts made from it. The
//! server holds nothing between requests: the same state gives the same draft, so a
//! saved state (or the page's address) reopens it exactly.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::base::error::Result as CoreResult;
use crate::draft::generate::{self, Drawn, Options};
use crate::draft::speech::{Inline, Speech, Text};
use crate::pack::Pack;
use crate::place::facts::Facts;
use crate::place::gazetteer::{AreaFilter, Gazetteer, Lookup, Place};
use crate::place::locality::{Level, Locality};
use crate::render::byline::BylineRequest;
use crate::render::script::Script;
use crate::render::{self, Format, Presentation};
use crate::serve::problem::Problem;

/// Characters a minute of speaking (as `--minutes`).
const CHARS_PER_MINUTE: usize = 220;
/// The lengths a page may ask for, in characters (as `--length`).
const LENGTHS: std::ops::RangeInclusive<usize> = 1_000..=20_000;
/// Longest text a field may hold (a place name, a speaker, one fact, one edit).
pub const FIELD_CHARS: usize = 2_000;
/// Most items a list field may hold (facts, locks, edits).
pub const LIST_ITEMS: usize = 200;

/// The user's facts for this year, as the page's simple fields (one item a line).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FactsForm {
    pub achievements: Vec<String>,
    pub pilots: Vec<String>,
    pub tasks: Vec<String>,
    pub cases: Vec<String>,
}

/// Everything a draft on the page is made from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DraftState {
    /// A township's name, path or 9-digit code; or any name with `level`.
    pub place: String,
    /// The county, to choose among places of one name.
    pub county: Option<String>,
    /// 乡, 镇, 街道, 苏木, 场, 园区 or 其他: writes for a name the gazetteer lacks.
    pub level: Option<String>,
    /// Pack id (mass-work, anquan, …); empty for the default pack.
    pub pack: String,
    pub seed: u64,
    /// Target length in characters, or in minutes of speaking.
    pub length: Option<usize>,
    pub minutes: Option<usize>,
    /// The meeting's date (2026-03-05 or 2026年3月5日): the byline and the season.
    pub date: Option<String>,
    pub speaker: Option<String>,
    /// simplified, traditional, hk or tw.
    pub script: Option<String>,
    pub facts: FactsForm,
    pub placeholders: bool,
    /// What the draft drew (absent: draw from the seed).
    pub drawn: Option<Drawn>,
    /// How often each part has been drawn again.
    pub turns: BTreeMap<String, u32>,
    /// Parts kept through a redraw of the whole draft.
    pub locks: BTreeSet<String>,
    /// Paragraphs rewritten by hand, by key (PART/N: the Nth paragraph of a part).
    pub edits: BTreeMap<String, String>,
}

/// One line of the draft as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockView {
    /// title, byline, salutation, heading, point, subpoint or paragraph.
    pub kind: &'static str,
    /// The computed numbering (一、 第一， 一是), if any.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// A point's or sub-point's lead sentence (bold or 楷体 in the Word file).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lead: String,
    pub text: String,
    /// The part (slot) the line comes from: what 换一种说法 and 锁定 act on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// The key an edit of this line is kept under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub locked: bool,
    pub edited: bool,
}

/// A draft for the page: the state that reproduces it and its lines.
#[derive(Debug, Clone, Serialize)]
pub struct DraftView {
    pub state: DraftState,
    pub place: PlaceView,
    pub pack: String,
    pub meeting: String,
    pub blocks: Vec<BlockView>,
    /// Characters of the text format, and the minutes they take to deliver.
    pub chars: usize,
    pub minutes: usize,
    /// What the page should tell the clerk (a part with no other wording, a length the
    /// pack cannot reach).
    pub notes: Vec<String>,
}

/// The place a draft is written for, as the page names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceView {
    pub name: String,
    pub code: Option<String>,
    pub path: String,
    pub county: Option<String>,
    pub level: String,
}

impl PlaceView {
    pub fn of_place(place: &Place) -> PlaceView {
        PlaceView {
            name: place.township.name.to_string(),
            code: Some(place.township.code.to_string()),
            path: place.path(),
            county: Some(place.county.name.to_string()),
            level: Level::infer(place.township.name).label().to_string(),
        }
    }
}

/// The packs the server offers, loaded once.
pub struct Packs {
    pub packs: Vec<&'static Pack>,
}

impl Packs {
    /// Every embedded pack (a request never reads the file system).
    pub fn embedded() -> CoreResult<Packs> {
        let mut packs = Vec::new();
        for id in Pack::embedded_ids() {
            // Loaded once for the server's life: leaking gives the 'static borrow the
            // worker threads share.
            packs.push(&*Box::leak(Box::new(Pack::load_embedded_trusted(&id)?)));
        }
        packs.sort_by_key(|p: &&Pack| (p.id != crate::pack::DEFAULT_PACK, p.id.clone()));
        Ok(Packs { packs })
    }

    fn find(&self, id: &str) -> Result<&'static Pack, Problem> {
        let id = if id.is_empty() {
            crate::pack::DEFAULT_PACK
        } else {
            id
        };
        self.packs
            .iter()
            .copied()
            .find(|p| p.id == id || p.meeting == id || p.name == id)
            .ok_or_else(|| {
                let known: Vec<String> = self
                    .packs
                    .iter()
                    .map(|p| format!("{}（{}）", p.id, p.meeting))
                    .collect();
                Problem::bad(format!(
                    "unknown pack “{id}”: choose one of {}.",
                    known.join("、")
                ))
            })
    }
}

/// What one request drafts with.
struct Prepared {
    pack: &'static Pack,
    loc: Locality,
    place: PlaceView,
    options: Options,
    presentation: Presentation,
}

/// Whole-draft actions beside drawing from the state as it is.
pub enum Action<'a> {
    /// Draw the state's draft (its choices when it has them, else from its seed).
    Draw,
    /// Another wording of one part; the rest stays as it is.
    Redraw(&'a str),
    /// A new draft from `seed`, keeping the locked and edited parts and the structure
    /// that holds them.
    Again(u64),
}

/// Draws the draft a state (and an action on it) asks for.
pub fn draft(packs: &Packs, state: &DraftState, action: Action) -> Result<DraftView, Problem> {
    check_sizes(state)?;
    let mut state = state.clone();
    let mut prepared = prepare(packs, &state)?;
    let mut notes = Vec::new();
    // A redraw that found a new wording has its draft already.
    let mut redrawn: Option<(Speech, Drawn)> = None;
    match action {
        Action::Draw => {
            if let Some(drawn) = &state.drawn {
                keep_drawn(&mut prepared.options, drawn);
            }
        }
        Action::Again(seed) => {
            state.seed = seed;
            prepared.options.seed = seed;
            let kept = kept_parts(&state);
            if let Some(drawn) = state.drawn.as_ref().filter(|_| !kept.is_empty()) {
                keep_drawn(&mut prepared.options, drawn);
                prepared
                    .options
                    .pins
                    .retain(|slot, _| kept.contains(slot.as_str()));
            }
            state.turns.clear();
        }
        Action::Redraw(part) => {
            let Some(drawn) = state.drawn.clone() else {
                return Err(Problem::bad(
                    "nothing to redraw yet: draw the draft first (POST /api/draft).",
                ));
            };
            let Some(current) = drawn.choices.get(part) else {
                return Err(Problem::bad(format!(
                    "the draft has no part “{part}”: redraw one of the parts its lines name."
                )));
            };
            let mut options = prepared.options.clone();
            keep_drawn(&mut options, &drawn);
            options.pins.remove(part);
            let mut turn = state.turns.get(part).copied().unwrap_or(0);
            // Turns go on until the part reads differently (a part with one wording
            // never does: the clerk is told so and the draft stays as it was).
            for _ in 0..12 {
                turn += 1;
                options.turns = BTreeMap::from([(part.to_string(), turn)]);
                let (speech, drawn_now) =
                    generate::generate_drawn(prepared.pack, &prepared.loc, &options)
                        .map_err(Problem::from_core)?;
                if drawn_now.choices.get(part) != Some(current) {
                    redrawn = Some((speech, drawn_now));
                    break;
                }
            }
            if redrawn.is_some() {
                state.turns.insert(part.to_string(), turn);
                // A new wording replaces the old one's edits.
                let prefix = format!("{part}/");
                state.edits.retain(|key, _| !key.starts_with(&prefix));
            } else {
                notes.push(format!(
                    "这一部分（{part}）没有别的说法了，可以直接修改文字。"
                ));
                keep_drawn(&mut prepared.options, &drawn);
            }
        }
    }
    let (mut speech, drawn) = match redrawn {
        Some(done) => done,
        None => generate::generate_drawn(prepared.pack, &prepared.loc, &prepared.options)
            .map_err(Problem::from_core)?,
    };
    state.drawn = Some(drawn);
    // Locks and edits name parts of this draft only.
    let parts = parts_of(&speech);
    state.locks.retain(|p| parts.contains(p));
    render::prepare(&mut speech, &prepared.presentation).map_err(Problem::from_core)?;
    // Keys come from the drawn lines' spans, which an edited line no longer has.
    let keys = keys(&speech);
    let applied = apply_edits(&mut speech, &keys, &state.edits);
    state.edits.retain(|key, _| applied.contains(key));
    let blocks = view(&speech, &keys, &state);
    let chars = render::text(&speech).chars().count();
    if let Some(target) = prepared.options.length
        && chars.abs_diff(target) * 10 > target
    {
        notes.push(format!(
            "这份稿子{chars}字，离{target}字差得较多：这类会议的讲话一般在两千到一万二千字之间。"
        ));
    }
    Ok(DraftView {
        place: prepared.place,
        pack: prepared.pack.id.clone(),
        meeting: prepared.pack.meeting.clone(),
        blocks,
        chars,
        minutes: chars.div_ceil(CHARS_PER_MINUTE),
        notes,
        state,
    })
}

/// The file a state downloads as: bytes, file name and media type.
pub fn download(
    packs: &Packs,
    state: &DraftState,
    format: &str,
) -> Result<(Vec<u8>, String, &'static str), Problem> {
    let (format, extension, media) = match format {
        "docx" => (
            Format::Docx,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "md" | "markdown" => (Format::Markdown, "md", "text/markdown; charset=utf-8"),
        "txt" | "text" => (Format::Text, "txt", "text/plain; charset=utf-8"),
        other => {
            return Err(Problem::bad(format!(
                "unknown format “{other}”: use docx, md or txt."
            )));
        }
    };
    let (speech, prepared) = drafted(packs, state)?;
    let bytes = render::format_prepared(
        &speech,
        format,
        &prepared.presentation,
        &prepared.pack.id,
        state.seed,
        &prepared.loc,
    )
    .map_err(Problem::from_core)?;
    let name = format!(
        "{}{}讲话稿.{extension}",
        prepared.loc.name, prepared.pack.meeting
    );
    Ok((bytes, name, media))
}

/// 查重: the draft's 13-character duplicate rate against the pack's reference speech
/// (its faithful draft) and against another text.
#[derive(Debug, Clone, Serialize)]
pub struct Similarity {
    pub reference: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<f64>,
    /// The seed of the other draft when none was pasted (the next seed, same place).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_seed: Option<u64>,
}

pub fn similarity(
    packs: &Packs,
    state: &DraftState,
    other: Option<&str>,
) -> Result<Similarity, Problem> {
    let (speech, prepared) = drafted(packs, state)?;
    let text = render::text(&speech);
    let faithful = Options {
        faithful: true,
        ..Options::default()
    };
    let reference = generate::generate(prepared.pack, &Locality::seed_default(), &faithful)
        .map_err(Problem::from_core)?;
    let reference = crate::base::similarity::duplicate_rate(&text, &render::text(&reference));
    let (other_text, other_seed) = match other.map(str::trim).filter(|t| !t.is_empty()) {
        Some(pasted) => {
            if pasted.chars().count() > 100_000 {
                return Err(Problem::bad(
                    "the pasted text is longer than 100,000 characters: paste one speech.",
                ));
            }
            (pasted.to_string(), None)
        }
        None => {
            let seed = state.seed.wrapping_add(1);
            let options = Options {
                seed,
                ..prepared.options.clone()
            };
            let speech = generate::generate(prepared.pack, &prepared.loc, &options)
                .map_err(Problem::from_core)?;
            (render::text(&speech), Some(seed))
        }
    };
    Ok(Similarity {
        reference,
        other: Some(crate::base::similarity::duplicate_rate(&text, &other_text)),
        other_seed,
    })
}

/// The state's draft as it stands (its choices and edits), ready to format.
fn drafted(packs: &Packs, state: &DraftState) -> Result<(Speech, Prepared), Problem> {
    check_sizes(state)?;
    let mut prepared = prepare(packs, state)?;
    if let Some(drawn) = &state.drawn {
        keep_drawn(&mut prepared.options, drawn);
    }
    let mut speech = generate::generate(prepared.pack, &prepared.loc, &prepared.options)
        .map_err(Problem::from_core)?;
    render::prepare(&mut speech, &prepared.presentation).map_err(Problem::from_core)?;
    let keys = keys(&speech);
    apply_edits(&mut speech, &keys, &state.edits);
    Ok((speech, prepared))
}

/// Field lengths and list sizes, so no request makes the server work without end.
fn check_sizes(state: &DraftState) -> Result<(), Problem> {
    let fields = [
        ("place", Some(&state.place)),
        ("county", state.county.as_ref()),
        ("level", state.level.as_ref()),
        ("pack", Some(&state.pack)),
        ("date", state.date.as_ref()),
        ("speaker", state.speaker.as_ref()),
        ("script", state.script.as_ref()),
    ];
    for (name, value) in fields {
        if value.is_some_and(|v| v.chars().count() > 200) {
            return Err(Problem::bad(format!(
                "the field “{name}” is longer than 200 characters: shorten it."
            )));
        }
        if value.is_some_and(|v| v.chars().any(unprintable)) {
            return Err(Problem::bad(format!(
                "the field “{name}” holds control or private-use characters: type it again \
                 as plain text."
            )));
        }
    }
    if let Some((key, _)) = state.edits.iter().find(|(_, text)| {
        text.chars()
            .any(|c| unprintable(c) && !matches!(c, '\n' | '\r'))
    }) {
        return Err(Problem::bad(format!(
            "the edit of {key} holds control or private-use characters: type it again as \
             plain text."
        )));
    }
    let facts = &state.facts;
    for (name, list) in [
        ("facts.achievements", &facts.achievements),
        ("facts.pilots", &facts.pilots),
        ("facts.tasks", &facts.tasks),
        ("facts.cases", &facts.cases),
    ] {
        if list.len() > LIST_ITEMS || list.iter().any(|i| i.chars().count() > FIELD_CHARS) {
            return Err(Problem::bad(format!(
                "“{name}” holds more than {LIST_ITEMS} items or an item longer than \
                 {FIELD_CHARS} characters: shorten it."
            )));
        }
    }
    if state.locks.len() > LIST_ITEMS * 5 || state.turns.len() > LIST_ITEMS * 5 {
        return Err(Problem::bad(
            "too many locks or turns: draw the draft again.",
        ));
    }
    if state.edits.len() > LIST_ITEMS
        || state
            .edits
            .values()
            .any(|e| e.chars().count() > FIELD_CHARS)
    {
        return Err(Problem::bad(format!(
            "more than {LIST_ITEMS} edits, or an edit longer than {FIELD_CHARS} characters: \
             shorten it, or download the draft and edit it in Word."
        )));
    }
    Ok(())
}

/// A character no field may hold: control characters break a Word file's XML, and the
/// private-use range is the drafts' own provenance markers.
fn unprintable(c: char) -> bool {
    c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// Place, pack, options and presentation for a state.
fn prepare(packs: &Packs, state: &DraftState) -> Result<Prepared, Problem> {
    let pack = packs.find(state.pack.trim())?;
    let (mut loc, place) = locality(state)?;
    if !pack.serves(&loc) {
        return Err(Problem::unprocessable(format!(
            "{}（{}）不开这类会议：{} 只为 {} 写。请换一种会议。",
            loc.name,
            loc.profile().tag(),
            pack.meeting,
            pack.profiles
                .iter()
                .map(|p| p.tag())
                .collect::<Vec<_>>()
                .join("、")
        )));
    }
    // One item a line; blank lines are nothing.
    let clean = |key: &str, items: &[String]| -> Result<Vec<String>, Problem> {
        let items: Vec<String> = items
            .iter()
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty())
            .collect();
        if let Some(item) = crate::place::facts::unsayable(&items) {
            return Err(Problem::bad(format!(
                "the {key} item “{item}” holds 【】〔〕 or control characters: write each \
                 item as one plain phrase."
            )));
        }
        Ok(crate::place::facts::tidy(items))
    };
    loc.facts = Facts {
        achievements: clean("achievements", &state.facts.achievements)?,
        pilots: clean("pilots", &state.facts.pilots)?,
        tasks: clean("tasks", &state.facts.tasks)?,
        cases: clean("cases", &state.facts.cases)?,
        speaker: None,
        date: None,
    };
    loc.placeholders = state.placeholders;
    let date = state
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if let Some(date) = date {
        let parsed = crate::render::byline::parse_date(date).map_err(Problem::from_core)?;
        loc.season = Some(crate::render::byline::season(parsed));
    }
    let length = match (state.length, state.minutes) {
        (Some(_), Some(_)) => {
            return Err(Problem::bad(
                "give the length in characters or in minutes, not both.",
            ));
        }
        (Some(chars), None) => Some(chars),
        (None, Some(minutes)) => Some(minutes.saturating_mul(CHARS_PER_MINUTE)),
        (None, None) => None,
    };
    if let Some(chars) = length
        && !LENGTHS.contains(&chars)
    {
        return Err(Problem::bad(format!(
            "a length of {chars} characters is out of range: ask for {} to {} characters \
             (about {} to {} minutes).",
            LENGTHS.start(),
            LENGTHS.end(),
            LENGTHS.start() / CHARS_PER_MINUTE,
            LENGTHS.end() / CHARS_PER_MINUTE
        )));
    }
    let script = match state.script.as_deref().unwrap_or("simplified") {
        "" | "simplified" => Script::Simplified,
        "traditional" => Script::Traditional,
        "hk" => Script::HongKong,
        "tw" => Script::Taiwan,
        other => {
            return Err(Problem::bad(format!(
                "unknown script “{other}”: use simplified, traditional, hk or tw."
            )));
        }
    };
    let speaker = state
        .speaker
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let presentation = Presentation {
        script,
        byline: BylineRequest {
            speaker: speaker.map(str::to_string),
            date: date.map(str::to_string),
            placeholders: false,
        },
        explain: false,
    };
    presentation.byline.line().map_err(Problem::from_core)?;
    Ok(Prepared {
        pack,
        loc,
        place,
        options: Options {
            seed: state.seed,
            length,
            ..Options::default()
        },
        presentation,
    })
}

/// The place a state names: a gazetteer township (one of several of a name needs its
/// county), or with a level any name.
fn locality(state: &DraftState) -> Result<(Locality, PlaceView), Problem> {
    let name = crate::base::numerals::ascii_digits(state.place.trim());
    let level = match state
        .level
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        None => None,
        Some(text) => Some(Level::parse(text).ok_or_else(|| {
            Problem::bad(format!(
                "unknown level “{text}”: use 乡, 镇, 街道, 苏木, 场, 园区 or 其他."
            ))
        })?),
    };
    if name.is_empty() {
        return Err(Problem::bad(
            "the place is empty: type a township's name (太平镇), its path or its 9-digit code.",
        ));
    }
    let gazetteer = Gazetteer::get().map_err(Problem::from_core)?;
    let filter = AreaFilter {
        county: state
            .county
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string),
        ..AreaFilter::default()
    };
    match gazetteer.lookup(&name, &filter) {
        Lookup::Found(place) => {
            let mut loc = crate::place::resolve::locality_of(&place).map_err(Problem::from_core)?;
            if let Some(level) = level {
                loc.relevel(level).map_err(Problem::from_core)?;
            }
            let mut view = PlaceView::of_place(&place);
            view.level = loc.level.label().to_string();
            Ok((loc, view))
        }
        Lookup::Ambiguous(places) => Err(Problem::ambiguous(&name, &places)),
        Lookup::NotFound(nearest) => match level {
            Some(level) => {
                let mut loc = Locality::with_level(&name, level).map_err(Problem::from_core)?;
                if let Some(county) = &filter.county {
                    loc.set_county(county);
                }
                Ok((
                    loc,
                    PlaceView {
                        name: name.clone(),
                        code: None,
                        path: name.clone(),
                        county: filter.county.clone(),
                        level: level.label().to_string(),
                    },
                ))
            }
            None => Err(Problem::unknown_place(&name, &nearest)),
        },
    }
}

/// Draws every part as `drawn` says, in its structure.
fn keep_drawn(options: &mut Options, drawn: &Drawn) {
    options.pins = drawn.choices.clone();
    options.layout = Some(drawn.layout.clone());
}

/// Parts a whole-draft redraw keeps: the locked ones and those edited by hand.
fn kept_parts(state: &DraftState) -> BTreeSet<&str> {
    let mut kept: BTreeSet<&str> = state.locks.iter().map(String::as_str).collect();
    kept.extend(
        state
            .edits
            .keys()
            .filter_map(|k| k.rsplit_once('/').map(|(p, _)| p)),
    );
    kept
}

/// The part a line comes from: the slot of its first span (the outer one where slots
/// nest), None for a line the skeleton wrote itself.
fn part_of(texts: &[&Text]) -> Option<String> {
    texts.iter().find_map(|t| {
        t.spans
            .iter()
            .filter_map(|s| match &s.what {
                Inline::Slot { slot, .. } => Some((s.start, slot)),
                Inline::Locality { .. } => None,
            })
            .min_by_key(|(start, _)| *start)
            .map(|(_, slot)| slot.clone())
    })
}

/// The part and edit key of every block, in order.
fn keys(speech: &Speech) -> Vec<(Option<String>, Option<String>)> {
    use crate::draft::speech::Block;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    speech
        .blocks()
        .iter()
        .map(|block| {
            let texts: Vec<&Text> = match block {
                Block::Title(t) | Block::Byline(t) => vec![*t],
                Block::Heading { text, .. } => vec![*text],
                Block::Lead { lead, rest, .. } => vec![*lead, *rest],
                Block::Paragraph(text) => vec![*text],
            };
            if matches!(block, Block::Byline(_)) {
                return (None, None);
            }
            let part = part_of(&texts);
            let key = part.as_ref().map(|p| {
                let n = seen.entry(p.clone()).or_default();
                *n += 1;
                format!("{p}/{}", *n - 1)
            });
            (part, key)
        })
        .collect()
}

fn parts_of(speech: &Speech) -> BTreeSet<String> {
    keys(speech).into_iter().filter_map(|(p, _)| p).collect()
}

/// Puts the clerk's edits into the draft; gives the keys that found their line.
fn apply_edits(
    speech: &mut Speech,
    keys: &[(Option<String>, Option<String>)],
    edits: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let mut applied = BTreeSet::new();
    for ((_, key), texts) in keys.iter().zip(speech.block_texts_mut()) {
        let Some(key) = key else { continue };
        let Some(edit) = edits.get(key) else { continue };
        let edit = edit.trim().replace(['\r', '\n'], "");
        applied.insert(key.clone());
        let mut texts = texts.into_iter();
        match (texts.next(), texts.next()) {
            (Some(lead), Some(rest)) => {
                // A lead line keeps its lead where the clerk kept it, else the first
                // sentence leads.
                let (new_lead, new_rest) = match edit.strip_prefix(lead.text.as_str()) {
                    Some(tail) if !lead.text.is_empty() => (lead.text.clone(), tail.to_string()),
                    _ => split_first_sentence(&edit),
                };
                *lead = Text::plain(&new_lead);
                *rest = Text::plain(&new_rest);
            }
            (Some(only), None) => *only = Text::plain(&edit),
            _ => {}
        }
    }
    applied
}

/// The first sentence (up to 。！？ or ；) and the rest.
fn split_first_sentence(text: &str) -> (String, String) {
    match text
        .char_indices()
        .find(|(_, c)| matches!(c, '。' | '！' | '？' | '；'))
    {
        Some((i, c)) => (
            text[..i + c.len_utf8()].to_string(),
            text[i + c.len_utf8()..].to_string(),
        ),
        None => (text.to_string(), String::new()),
    }
}

/// The lines of a draft for the page.
fn view(
    speech: &Speech,
    keys: &[(Option<String>, Option<String>)],
    state: &DraftState,
) -> Vec<BlockView> {
    use crate::draft::speech::Block;
    let mut out = Vec::new();
    let mut salutation_seen = false;
    for (block, (part, key)) in speech.blocks().iter().zip(keys.iter().cloned()) {
        let (kind, label, lead, text) = match block {
            Block::Title(t) => ("title", String::new(), String::new(), t.text.clone()),
            Block::Byline(t) => ("byline", String::new(), String::new(), t.text.clone()),
            Block::Heading { label, text } => (
                "heading",
                label.to_string(),
                String::new(),
                text.text.clone(),
            ),
            Block::Lead {
                level,
                label,
                lead,
                rest,
            } => (
                if *level == 2 { "point" } else { "subpoint" },
                label.to_string(),
                lead.text.clone(),
                rest.text.clone(),
            ),
            Block::Paragraph(paragraph) => {
                let text = paragraph.text.clone();
                let kind = if salutation_seen {
                    "paragraph"
                } else {
                    "salutation"
                };
                salutation_seen = true;
                (kind, String::new(), String::new(), text)
            }
        };
        let edited = key.as_ref().is_some_and(|k| state.edits.contains_key(k));
        let locked = part.as_ref().is_some_and(|p| state.locks.contains(p));
        out.push(BlockView {
            kind,
            label,
            lead,
            text,
            part,
            key,
            locked,
            edited,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packs() -> Packs {
        Packs::embedded().unwrap()
    }

    fn state() -> DraftState {
        DraftState {
            place: "城关镇".into(),
            county: Some("宁陕县".into()),
            seed: 7,
            length: Some(4000),
            ..DraftState::default()
        }
    }

    fn lines(view: &DraftView) -> Vec<String> {
        view.blocks
            .iter()
            .map(|b| format!("{}{}{}", b.label, b.lead, b.text))
            .collect()
    }

    #[test]
    fn a_state_draws_its_draft_again_exactly() {
        let packs = packs();
        let first = draft(&packs, &state(), Action::Draw).unwrap();
        let again = draft(&packs, &first.state, Action::Draw).unwrap();
        assert_eq!(lines(&first), lines(&again));
        assert_eq!(first.state, again.state);
    }

    #[test]
    fn a_redraw_changes_only_its_part() {
        let packs = packs();
        let first = draft(&packs, &state(), Action::Draw).unwrap();
        let point = first
            .blocks
            .iter()
            .filter(|b| b.kind == "point")
            .nth(2)
            .and_then(|b| b.part.clone())
            .unwrap();
        let redrawn = draft(&packs, &first.state, Action::Redraw(&point)).unwrap();
        let owned = |view: &DraftView| -> Vec<(Option<String>, String)> {
            view.blocks
                .iter()
                .filter(|b| b.part.as_deref() != Some(point.as_str()))
                .map(|b| (b.part.clone(), format!("{}{}", b.lead, b.text)))
                .collect()
        };
        assert_ne!(
            first
                .blocks
                .iter()
                .filter(|b| b.part.as_deref() == Some(&point))
                .map(|b| &b.text)
                .collect::<Vec<_>>(),
            redrawn
                .blocks
                .iter()
                .filter(|b| b.part.as_deref() == Some(&point))
                .map(|b| &b.text)
                .collect::<Vec<_>>()
        );
        // Other parts keep their words; only announcements that list the points' names
        // may follow the new one.
        let before = owned(&first);
        let after = owned(&redrawn);
        assert_eq!(before.len(), after.len());
        let differ = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        assert!(differ <= 1, "{differ} other lines changed");
        // The redrawn state reproduces the redrawn draft.
        let again = draft(&packs, &redrawn.state, Action::Draw).unwrap();
        assert_eq!(lines(&redrawn), lines(&again));
    }

    #[test]
    fn redraws_keep_every_other_part_for_every_pack_and_kind_of_place() {
        let packs = packs();
        let places = [
            ("西布河乡", None),
            ("大栅栏街道", None),
            ("150824202", None),
            ("朱家角镇", None),
        ];
        let mut redraws = 0;
        for pack in &packs.packs {
            for (place, level) in places {
                for seed in 1..3 {
                    let state = DraftState {
                        place: place.into(),
                        level: level.map(str::to_string),
                        pack: pack.id.clone(),
                        seed,
                        length: Some(4000),
                        ..DraftState::default()
                    };
                    let Ok(first) = draft(&packs, &state, Action::Draw) else {
                        continue; // a meeting this kind of place does not hold
                    };
                    let parts: Vec<String> = first
                        .blocks
                        .iter()
                        .filter(|b| b.kind == "point")
                        .filter_map(|b| b.part.clone())
                        .collect();
                    for part in parts.iter().skip(seed as usize).step_by(3).take(2) {
                        let redrawn = draft(&packs, &first.state, Action::Redraw(part)).unwrap();
                        let others = |v: &DraftView| -> Vec<String> {
                            v.blocks
                                .iter()
                                .filter(|b| b.part.as_deref() != Some(part))
                                .map(|b| format!("{}{}{}", b.label, b.lead, b.text))
                                .collect()
                        };
                        let (a, b) = (others(&first), others(&redrawn));
                        assert_eq!(a.len(), b.len(), "{} {place} {seed} {part}", pack.id);
                        let changed = a.iter().zip(&b).filter(|(x, y)| x != y).count();
                        assert!(
                            changed <= 1,
                            "{} {place} {seed} {part}: {changed} lines",
                            pack.id
                        );
                        let again = draft(&packs, &redrawn.state, Action::Draw).unwrap();
                        assert_eq!(lines(&redrawn), lines(&again));
                        redraws += 1;
                    }
                    // A new draft keeps a locked point word for word.
                    let mut locked = first.state.clone();
                    locked.locks.insert(parts[0].clone());
                    let renewed = draft(&packs, &locked, Action::Again(seed + 100)).unwrap();
                    let of = |v: &DraftView| -> Vec<String> {
                        v.blocks
                            .iter()
                            .filter(|b| b.part.as_deref() == Some(parts[0].as_str()))
                            .map(|b| format!("{}{}", b.lead, b.text))
                            .collect()
                    };
                    assert_eq!(of(&first), of(&renewed), "{} {place} {seed}", pack.id);
                }
            }
        }
        assert!(redraws >= 40, "only {redraws} redraws were tried");
    }

    #[test]
    fn locks_and_edits_survive_a_new_draft() {
        let packs = packs();
        let mut first = draft(&packs, &state(), Action::Draw).unwrap();
        let locked = first
            .blocks
            .iter()
            .find(|b| b.kind == "point")
            .unwrap()
            .clone();
        let edited = first
            .blocks
            .iter()
            .filter(|b| b.kind == "paragraph")
            .nth(3)
            .unwrap()
            .clone();
        first.state.locks.insert(locked.part.clone().unwrap());
        first.state.edits.insert(
            edited.key.clone().unwrap(),
            "这是书记亲手改过的一段话。".into(),
        );
        let again = draft(&packs, &first.state, Action::Again(99)).unwrap();
        let find = |key: &str| {
            again
                .blocks
                .iter()
                .find(|b| b.key.as_deref() == Some(key))
                .unwrap()
        };
        let kept = find(locked.key.as_deref().unwrap());
        assert_eq!(
            (kept.lead.as_str(), kept.text.as_str()),
            (locked.lead.as_str(), locked.text.as_str())
        );
        assert!(kept.locked);
        let mine = find(edited.key.as_deref().unwrap());
        assert_eq!(mine.text, "这是书记亲手改过的一段话。");
        assert!(mine.edited);
        assert_ne!(lines(&first), lines(&again));
        let (docx, name, _) = download(&packs, &again.state, "txt").unwrap();
        assert!(
            String::from_utf8(docx)
                .unwrap()
                .contains("这是书记亲手改过的一段话。")
        );
        assert!(name.ends_with("讲话稿.txt"), "{name}");
    }

    #[test]
    fn bad_states_get_problems_not_drafts() {
        let packs = packs();
        let cases = [
            DraftState {
                place: String::new(),
                ..state()
            },
            DraftState {
                place: "城关镇".into(),
                county: None,
                ..state()
            },
            DraftState {
                place: "不存在的地方乡".into(),
                county: None,
                ..state()
            },
            DraftState {
                length: Some(50),
                ..state()
            },
            DraftState {
                pack: "nope".into(),
                ..state()
            },
            DraftState {
                script: Some("klingon".into()),
                ..state()
            },
            DraftState {
                date: Some("明年".into()),
                ..state()
            },
        ];
        for case in cases {
            let problem = draft(&packs, &case, Action::Draw).unwrap_err();
            assert!(
                problem.status >= 400 && !problem.message.is_empty(),
                "{case:?}"
            );
        }
        // A custom place with a level is written for.
        let custom = DraftState {
            place: "不存在的地方乡".into(),
            county: None,
            level: Some("乡".into()),
            ..state()
        };
        assert!(draft(&packs, &custom, Action::Draw).is_ok());
    }
}
