//! Every kind of township-level unit in the gazetteer gets a draft in its own words:
//! a sample of 500+ in CI, all 41,352 with `cargo test --release --test townships -- --ignored`.

use speechgen::draft::generate::{Options, generate};
use speechgen::place::gazetteer::{Gazetteer, Place};
use speechgen::place::locality::{CountyKind, Level, Locality};
use speechgen::place::resolve::locality_of;
use speechgen::render;

/// Drafts one place and checks what the gazetteer issue promises; returns the failure.
fn draft_and_check(place: &Place, seed: u64) -> Result<(), String> {
    let loc = locality_of(place).map_err(|e| e.to_string())?;
    let pack = speechgen::pack::Pack::default_pack().map_err(|e| e.to_string())?;
    let options = Options {
        seed,
        ..Options::default()
    };
    // generate runs the draft checks (foreign level words, artifacts, punctuation).
    let speech = generate(pack, &loc, &options).map_err(|e| e.to_string())?;
    let text = render::text(&speech);
    let fail = |what: String| Err(format!("{} {}: {what}", place.township.code, place.path()));
    if let Some(problem) = speechgen::draft::validate::style_problems(&text).first() {
        return fail(problem.clone());
    }
    if !text.contains(place.county.name) {
        return fail("the county is not named".into());
    }
    // Its own level words are used (foreign ones are refused by generate's checks).
    let own: Vec<String> = ["乡党委", "全乡", "我乡"]
        .iter()
        .filter_map(|k| loc.word(k))
        .collect();
    if !own.iter().any(|w| text.contains(w.as_str())) {
        return fail(format!("none of its own words {own:?} appears"));
    }
    if !loc.villages.is_empty() && !loc.villages.iter().any(|v| text.contains(v.as_str())) {
        return fail("none of its villages is named".into());
    }
    Ok(())
}

/// Every 83rd unit, plus the first unit of every kind (level × county kind × ethnic ×
/// with or without villages) so that rare kinds are always covered.
fn sample() -> Vec<(Place, Locality)> {
    let g = Gazetteer::get().unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (i, place) in g.places().enumerate() {
        let loc = locality_of(&place).unwrap();
        let kind = (
            loc.level,
            loc.county_kind,
            loc.ethnic,
            loc.villages.is_empty(),
        );
        if i % 83 == 0 || seen.insert(kind) {
            out.push((place, loc));
        }
    }
    out
}

#[test]
fn a_sample_of_every_kind_drafts_in_its_own_words() {
    let sample = sample();
    assert!(sample.len() >= 500, "{}", sample.len());
    for level in Level::ALL {
        assert!(sample.iter().any(|(_, l)| l.level == level), "{level:?}");
    }
    for kind in [
        CountyKind::County,
        CountyKind::District,
        CountyKind::City,
        CountyKind::Banner,
        CountyKind::Other,
    ] {
        assert!(
            sample.iter().any(|(_, l)| l.county_kind == kind),
            "{kind:?}"
        );
    }
    let failures: Vec<String> = sample
        .iter()
        .enumerate()
        .filter_map(|(i, (place, _))| draft_and_check(place, i as u64).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "all 41,352 units: run with --release -- --ignored"]
fn every_township_drafts() {
    let g = Gazetteer::get().unwrap();
    let failures: Vec<String> = g
        .places()
        .enumerate()
        .filter_map(|(i, place)| draft_and_check(&place, i as u64).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
