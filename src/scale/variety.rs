//! `speechgen variety`: the number we steer by. Drafts for n distinct real townships (or
//! n seeds for one place), their pairwise 13-character duplicate rates and each one's rate
//! against the seed speech.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::base::error::{Error, Result};
use crate::base::seed::stream_seed;
use crate::base::similarity::Prepared;
use crate::draft::generate::{self, Options};
use crate::pack::Pack;
use crate::place::gazetteer::Gazetteer;
use crate::place::locality::Locality;
use crate::place::resolve::{self, PlaceQuery};
use crate::render;

#[derive(Debug, Clone)]
pub struct VarietyArgs {
    pub pack: Option<String>,
    pub n: usize,
    pub seed: u64,
    /// n seeds for this one place instead of n places.
    pub same_place: Option<String>,
    pub length: Option<usize>,
}

/// Distribution of a set of rates, in percent.
#[derive(Debug, Serialize)]
pub struct Stats {
    pub count: usize,
    pub median: f64,
    pub p95: f64,
    pub max: f64,
}

impl Stats {
    fn of(mut rates: Vec<f64>) -> Stats {
        rates.sort_by(f64::total_cmp);
        let at = |q: f64| {
            if rates.is_empty() {
                0.0
            } else {
                let i = ((rates.len() - 1) as f64 * q).round() as usize;
                (rates[i] * 1000.0).round() / 10.0
            }
        };
        Stats {
            count: rates.len(),
            median: at(0.5),
            p95: at(0.95),
            max: at(1.0),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Draft {
    pub place: String,
    pub code: Option<String>,
    pub seed: u64,
    pub chars: usize,
    /// Rate against the seed speech, in percent.
    pub vs_seed: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct VarietyReport {
    pub pack: String,
    pub mode: String,
    pub pairwise: Stats,
    pub vs_seed: Option<Stats>,
    /// Draft lengths in characters: min, median, max.
    pub lengths: [usize; 3],
    /// The most similar ordered pair: (a, b, percent).
    pub closest: Option<(String, String, f64)>,
    pub sameness: Sameness,
    pub drafts: Vec<Draft>,
}

/// How alike the drafts read beyond shared runs: stock sentences, one arc, one title.
#[derive(Debug, Serialize)]
pub struct Sameness {
    /// Share (percent) of the sentences of 15+ characters, place names blanked, that
    /// occur in more than 10% of the drafts.
    pub common_sentences: f64,
    /// Distinct section arcs (the sequence of sections, by their heading slots).
    pub arcs: usize,
    /// Distinct titles, place names blanked.
    pub titles: usize,
}

/// Sentences of at least this many characters count for `common_sentences`.
const SENTENCE_MIN: usize = 15;

fn sameness(speeches: &[crate::draft::speech::Speech]) -> Sameness {
    use std::collections::{BTreeSet, HashMap};
    let blank = crate::draft::validate::without_place_names;
    let mut in_drafts: HashMap<String, usize> = HashMap::new();
    let mut per_draft: Vec<Vec<String>> = Vec::new();
    for speech in speeches {
        let text = crate::draft::speech::text_with(speech, blank);
        let sentences: Vec<String> = text
            .split(['。', '！', '？', '；', '\n'])
            .filter(|s| s.chars().count() >= SENTENCE_MIN)
            .map(str::to_string)
            .collect();
        for s in sentences.iter().collect::<BTreeSet<_>>() {
            *in_drafts.entry(s.clone()).or_default() += 1;
        }
        per_draft.push(sentences);
    }
    let threshold = speeches.len() as f64 * 0.10;
    let total: usize = per_draft.iter().map(Vec::len).sum();
    let common = per_draft
        .iter()
        .flatten()
        .filter(|s| in_drafts[*s] as f64 > threshold)
        .count();
    let arcs: BTreeSet<String> = speeches
        .iter()
        .map(|sp| {
            sp.sections
                .iter()
                .map(|sec| {
                    sec.heading
                        .spans
                        .iter()
                        .find_map(|span| match &span.what {
                            crate::draft::speech::Inline::Slot { slot, .. } => Some(slot.clone()),
                            _ => None,
                        })
                        .unwrap_or_else(|| sec.heading.text.clone())
                })
                .collect::<Vec<_>>()
                .join(">")
        })
        .collect();
    let titles: BTreeSet<String> = speeches.iter().map(|sp| blank(&sp.title)).collect();
    Sameness {
        common_sentences: (common as f64 * 1000.0 / total.max(1) as f64).round() / 10.0,
        arcs: arcs.len(),
        titles: titles.len(),
    }
}

/// The cleaned seed text of a pack, when the pack names a source with a `.clean.txt`
/// beside it (embedded, or on disk relative to the pack folder or the working folder).
pub fn seed_text(pack: &Pack) -> Option<String> {
    let source = pack.source.as_deref()?;
    let clean = source
        .strip_suffix(".txt")
        .map(|s| format!("{s}.clean.txt"))?;
    if let Some(bytes) = clean
        .strip_prefix("corpora/")
        .and_then(crate::base::embedded::data)
    {
        return String::from_utf8(bytes.to_vec()).ok();
    }
    let mut candidates = vec![std::path::PathBuf::from(&clean)];
    if pack.origin != "embedded" {
        candidates.insert(0, std::path::Path::new(&pack.origin).join(&clean));
    }
    candidates
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
}

pub fn variety(args: &VarietyArgs) -> Result<VarietyReport> {
    if args.n < 2 {
        return Err(Error::new(
            "variety compares drafts pairwise: give --n 2 or more (50 is the figure we steer by).",
        ));
    }
    let loaded = crate::draft::check::load_pack(args.pack.as_deref())?;
    let pack: &Pack = &loaded;
    let (places, mode): (Vec<(Locality, u64)>, String) = match &args.same_place {
        Some(name) => {
            let loc = resolve::resolve(&PlaceQuery {
                locality: Some(name.clone()),
                ..PlaceQuery::default()
            })?;
            let seeds = (0..args.n as u64).map(|i| args.seed + i);
            (
                seeds.map(|s| (loc.clone(), s)).collect(),
                format!("{} seeds for {}", args.n, loc.name),
            )
        }
        None => {
            let gazetteer = Gazetteer::get()?;
            let all: Vec<_> = gazetteer.places().collect();
            if args.n > all.len() {
                return Err(Error::new(format!(
                    "--n {} is more than the {} townships of the gazetteer.",
                    args.n,
                    all.len()
                )));
            }
            let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(&[
                &args.seed.to_le_bytes(),
                b"variety places",
            ]));
            let places = if pack.profiles.is_empty() {
                rand::seq::index::sample(&mut rng, all.len(), args.n)
                    .iter()
                    .map(|i| Ok((resolve::locality_of(&all[i])?, args.seed)))
                    .collect::<Result<Vec<_>>>()?
            } else {
                // A meeting held only in some kinds of place: the first n of a shuffle
                // that are such places.
                let mut places = Vec::with_capacity(args.n);
                for i in rand::seq::index::sample(&mut rng, all.len(), all.len()) {
                    let loc = resolve::locality_of(&all[i])?;
                    if pack.serves(&loc) {
                        places.push((loc, args.seed));
                        if places.len() == args.n {
                            break;
                        }
                    }
                }
                places
            };
            (
                places,
                format!("{} distinct townships, seed {}", args.n, args.seed),
            )
        }
    };
    let mut texts = Vec::with_capacity(places.len());
    let mut speeches = Vec::with_capacity(places.len());
    for (loc, seed) in &places {
        let options = Options {
            seed: *seed,
            length: args.length,
            ..Options::default()
        };
        let speech = generate::generate(pack, loc, &options)?;
        texts.push(render::text(&speech));
        speeches.push(speech);
    }
    let prepared: Vec<Prepared> = texts.iter().map(|t| Prepared::new(t)).collect();
    let label = |i: usize| match &args.same_place {
        Some(_) => format!("{} seed {}", places[i].0.name, places[i].1),
        None => format!(
            "{} {}",
            places[i].0.code.as_deref().unwrap_or(""),
            places[i].0.name
        ),
    };
    let mut pairwise = Vec::new();
    let mut closest: Option<(usize, usize, f64)> = None;
    for (i, a) in prepared.iter().enumerate() {
        for (j, b) in prepared.iter().enumerate() {
            if i != j {
                let rate = a.rate_against(b);
                if closest.is_none_or(|(_, _, r)| rate > r) {
                    closest = Some((i, j, rate));
                }
                pairwise.push(rate);
            }
        }
    }
    let seed_prepared = seed_text(pack).map(|t| Prepared::new(&t));
    let drafts: Vec<Draft> = places
        .iter()
        .zip(&texts)
        .zip(&prepared)
        .map(|(((loc, seed), text), p)| Draft {
            place: loc.name.clone(),
            code: loc.code.clone(),
            seed: *seed,
            chars: text.chars().count(),
            vs_seed: seed_prepared
                .as_ref()
                .map(|s| (p.rate_against(s) * 1000.0).round() / 10.0),
        })
        .collect();
    Ok(VarietyReport {
        pack: pack.id.clone(),
        mode,
        pairwise: Stats::of(pairwise),
        vs_seed: seed_prepared
            .as_ref()
            .map(|s| Stats::of(prepared.iter().map(|p| p.rate_against(s)).collect())),
        lengths: {
            let mut l: Vec<usize> = drafts.iter().map(|d| d.chars).collect();
            l.sort_unstable();
            [l[0], l[l.len() / 2], l[l.len() - 1]]
        },
        closest: closest.map(|(i, j, r)| (label(i), label(j), (r * 1000.0).round() / 10.0)),
        sameness: sameness(&speeches),
        drafts,
    })
}

/// Drafts of different packs for the same place and seed, compared pairwise.
#[derive(Debug, Serialize)]
pub struct AcrossPacks {
    pub packs: Vec<String>,
    pub places: usize,
    pub pairwise: Stats,
    /// The most similar ordered pair: (place, pack a, pack b, percent).
    pub closest: Option<(String, String, String, f64)>,
}

/// `variety --across-packs`: n gazetteer places (drawn as `variety` draws them); for each,
/// one draft per embedded pack that serves it, all with the same seed, and the rate of
/// every draft against every other pack's draft for that place.
pub fn across_packs(n: usize, seed: u64) -> Result<AcrossPacks> {
    let packs: Vec<Pack> = Pack::embedded_ids()
        .iter()
        .map(|id| Pack::load_embedded_trusted(id))
        .collect::<Result<_>>()?;
    if packs.len() < 2 {
        return Err(Error::new(
            "--across-packs compares packs: the binary has only one embedded pack.",
        ));
    }
    let gazetteer = Gazetteer::get()?;
    let all: Vec<_> = gazetteer.places().collect();
    let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(&[&seed.to_le_bytes(), b"variety places"]));
    let picked = rand::seq::index::sample(&mut rng, all.len(), n.min(all.len()));
    let options = Options {
        seed,
        ..Options::default()
    };
    let mut rates = Vec::new();
    let mut closest: Option<(String, String, String, f64)> = None;
    for i in picked.iter() {
        let loc = resolve::locality_of(&all[i])?;
        let mut drafts = Vec::new();
        for pack in packs.iter().filter(|p| p.serves(&loc)) {
            let speech = generate::generate(pack, &loc, &options)?;
            drafts.push((&pack.id, Prepared::new(&render::text(&speech))));
        }
        for (a, pa) in &drafts {
            for (b, pb) in &drafts {
                if a != b {
                    let rate = pa.rate_against(pb);
                    if closest.as_ref().is_none_or(|c| rate * 100.0 > c.3) {
                        closest = Some((
                            loc.name.clone(),
                            a.to_string(),
                            b.to_string(),
                            (rate * 1000.0).round() / 10.0,
                        ));
                    }
                    rates.push(rate);
                }
            }
        }
    }
    Ok(AcrossPacks {
        packs: packs.iter().map(|p| p.id.clone()).collect(),
        places: picked.len(),
        pairwise: Stats::of(rates),
        closest,
    })
}

impl AcrossPacks {
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "packs {}: {} places, each drafted by every pack that serves it (same seed)\n",
            self.packs.join(", "),
            self.places
        );
        out.push_str(&format!(
            "  across packs ({} ordered pairs): median {:.1}%  p95 {:.1}%  max {:.1}%\n",
            self.pairwise.count, self.pairwise.median, self.pairwise.p95, self.pairwise.max
        ));
        if let Some((place, a, b, r)) = &self.closest {
            out.push_str(&format!("  closest: {place}, {a} vs {b}: {r:.1}%\n"));
        }
        out
    }
}

impl VarietyReport {
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "pack {}: {}\n13-character duplicate rate (share of A in runs also in B)\n",
            self.pack, self.mode
        );
        out.push_str(&format!(
            "  pairwise ({} ordered pairs): median {:.1}%  p95 {:.1}%  max {:.1}%\n",
            self.pairwise.count, self.pairwise.median, self.pairwise.p95, self.pairwise.max
        ));
        match &self.vs_seed {
            Some(s) => out.push_str(&format!(
                "  against the seed speech:      median {:.1}%  p95 {:.1}%  max {:.1}%\n",
                s.median, s.p95, s.max
            )),
            None => out.push_str("  against the seed speech: the pack names no cleaned source\n"),
        }
        let [min, median, max] = self.lengths;
        out.push_str(&format!(
            "  length: min {min}  median {median}  max {max} characters\n"
        ));
        if let Some((a, b, r)) = &self.closest {
            out.push_str(&format!("  closest pair: {a} vs {b}: {r:.1}%\n"));
        }
        out.push_str(&format!(
            "sameness: {:.1}% of sentences (15+ characters) occur in more than 10% of the drafts; \
             {} section arcs, {} titles\n",
            self.sameness.common_sentences, self.sameness.arcs, self.sameness.titles
        ));
        out
    }
}
