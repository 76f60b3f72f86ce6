//! A pack that loads is known to draft: the trial render that `check` runs, and the one
//! loader the CLI uses for `--pack`, which trial-renders a pack folder before any draft is
//! written (so a corpus never fails half-way through). It lives here, above `pack`,
//! because it drafts.

use crate::base::error::{Error, Result};
use crate::draft::generate::{Options, generate};
use crate::draft::validate::{is_misfit, located, problems};
use crate::pack::{Checks, LoadedPack, Pack};
use crate::place::locality::{Level, Locality};

/// The pack `--pack` names (embedded id or folder), or the default pack. A folder is
/// trial-rendered for every kind of place; the embedded packs are fixed at compile time
/// and rendered by the test suite, and skipping theirs keeps `generate` start-up fast.
pub fn load_pack(spec: Option<&str>) -> Result<LoadedPack> {
    Ok(match spec {
        None => LoadedPack::Default(Pack::default_pack()?),
        Some(spec) => LoadedPack::Owned(Box::new(load(spec)?)),
    })
}

/// [`Pack::load`], then the trial render when the pack comes from a folder.
pub fn load(spec: &str) -> Result<Pack> {
    // An embedded pack is held to every check by the test suite; a folder here and now.
    let pack = Pack::load_with(spec, Checks::Trusted)?;
    if pack.origin != "embedded" {
        trial_render(&pack)?;
    }
    Ok(pack)
}

/// Renders the pack once for each kind of place, so that a pack that loads never
/// fails half-way through a corpus, and holds every draft to exactly the checks
/// `generate` runs. Gives, for a pack not held to the content model (fresh from
/// decompose), the kinds of place its drafts do not fit — a rural speech's 赶集 in a
/// 街道 — with the first reason, located: `generate` refuses those places the same way.
pub fn trial_render(pack: &Pack) -> Result<Vec<(&'static str, String)>> {
    let mut places = vec![Locality::seed_default()];
    for level in Level::ALL {
        places.push(Locality::with_level("某地", level)?);
        let mut known = Locality::with_level("某地", level)?;
        known.set_county("某某自治县");
        known.villages = ["甲村", "乙村", "丙村", "丁村"].map(String::from).to_vec();
        known.industries = vec!["茶叶".into()];
        known.landmarks = vec!["某某湖".into()];
        places.push(known);
    }
    places.retain(|p| pack.serves(p));
    let arcs: Vec<Option<usize>> = (0..pack.arcs.len()).map(Some).collect();
    let seed_level = Locality::seed_default().level;
    let mut unfit: Vec<(&'static str, String)> = Vec::new();
    for place in &places {
        for (faithful, arc) in [(true, None)]
            .into_iter()
            .chain(arcs.iter().map(|a| (false, *a)))
        {
            let options = Options {
                seed: 1,
                faithful,
                check: false,
                length: None,
                arc,
                ..Options::default()
            };
            let fails = |e: &dyn std::fmt::Display| {
                Error::new(format!(
                    "pack “{}” ({}) does not render for a {} place: {e}",
                    pack.id,
                    pack.origin,
                    place.level.label()
                ))
            };
            let speech = generate(pack, place, &options).map_err(|e| fails(&e))?;
            // The faithful draft is the source's own speech: it is held to the checks
            // for the source's kind of place only.
            if faithful && place.level != seed_level {
                continue;
            }
            // A strict pack is refused for every finding; one fresh from decompose is
            // told which kinds of place its source's words shut it out of.
            let found = problems(&speech, place);
            let refused: Vec<String> = found
                .iter()
                .filter(|p| pack.strict || !is_misfit(p))
                .map(|p| located(pack, &speech, p))
                .collect();
            if !refused.is_empty() {
                return Err(fails(&format!(
                    "the draft fails its checks (seed 1): {}",
                    refused.join("; ")
                )));
            }
            if let Some(first) = found.iter().find(|p| is_misfit(p))
                && !unfit.iter().any(|(label, _)| *label == place.level.label())
            {
                unfit.push((place.level.label(), located(pack, &speech, first)));
            }
        }
    }
    Ok(unfit)
}

/// The places the coherence sweep drafts for: one of every profile, with and without
/// known villages, and one with facts and one with placeholders.
pub fn sweep_places() -> Vec<Locality> {
    let mut places = Vec::new();
    for (i, base) in crate::place::profile::sample_places()
        .into_iter()
        .enumerate()
    {
        let mut known = base.clone();
        known.villages = ["甲村", "乙村", "丙村"].map(String::from).to_vec();
        known.industries = vec!["茶叶".into()];
        known.landmarks = vec!["某某湖".into()];
        if i % 2 == 0 {
            known.placeholders = true;
        } else {
            known.facts.achievements = vec!["新建养老服务站3个".into()];
            known.facts.pilots = vec!["甲村".into()];
            known.facts.cases = vec!["某村原党支部书记侵占集体资金被查处".into()];
        }
        // Every season, in turn, for the drafts that know their date.
        known.season = Some(["spring", "summer", "autumn", "winter"][i % 4]);
        places.push(base);
        places.push(known);
    }
    places
}

/// Drafts `seeds` seeds at a short, the default and a long length for every sweep
/// place and returns what breaks the content model (draft::coherence): each distinct
/// problem once, with the first place, seed and length that shows it and how many drafts
/// show it, at most `limit` of them.
pub fn coherence_sweep(pack: &Pack, seeds: u64, limit: usize) -> Result<Vec<String>> {
    let mut found: indexmap::IndexMap<String, (String, usize)> = indexmap::IndexMap::new();
    for place in sweep_places().into_iter().filter(|p| pack.serves(p)) {
        for seed in 0..seeds {
            for length in [Some(2_000), None, Some(12_000)] {
                // A pack not held to the content model is only surveyed (its drafts may
                // use words of another kind of place: they are the source's).
                let options = Options {
                    seed,
                    faithful: false,
                    check: pack.strict,
                    length,
                    arc: None,
                    ..Options::default()
                };
                let speech = generate(pack, &place, &options)?;
                for problem in crate::draft::coherence::problems(&speech, &place, pack) {
                    let at = format!(
                        "{} ({}), seed {seed}, length {}",
                        place.name,
                        place.profile().tag(),
                        length.map_or("default".to_string(), |l| l.to_string())
                    );
                    found.entry(problem).or_insert((at, 0)).1 += 1;
                }
            }
        }
    }
    Ok(found
        .into_iter()
        .take(limit)
        .map(|(problem, (at, n))| format!("{problem} — {at}; in {n} draft(s)"))
        .collect())
}
