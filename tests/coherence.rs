//! The content model's promises (docs/content-model.md), over many seeds, every profile
//! of place and random lengths from 2,000 to 12,000 characters: every draft reads as one
//! speech (draft::coherence: no hollow point, headings of one form, a real title, nothing
//! said twice, no dated formula, no word the profile forbids, every quotation sourced),
//! announcements equal what follows, numerals in 两/二 form, a short speech keeps its
//! frame short.

mod common;

use common::embedded_packs as packs;
use proptest::prelude::*;
use speechgen::draft::coherence;
use speechgen::draft::generate::{Options, generate};
use speechgen::draft::speech::Speech;
use speechgen::draft::validate;
use speechgen::pack::Pack;
use speechgen::place::locality::Locality;
use speechgen::place::profile::{Profile, sample_places};
use speechgen::render;

fn place(index: usize, villages: bool, placeholders: bool) -> Locality {
    let places = sample_places();
    let mut loc = places[index % places.len()].clone();
    if villages {
        loc.villages = ["甲村", "乙村", "丙村"].map(String::from).to_vec();
    }
    loc.placeholders = placeholders;
    loc
}

/// Announcements equal what follows: every 【N】 and 【列举】 was computed from the parts
/// present (the tree builder fails otherwise), so the rendered “N种意识” of section 一 and
/// the list of a section intro name exactly the points below.
fn check_announcements(speech: &Speech) -> Result<(), String> {
    for section in &speech.sections {
        let names: Vec<&str> = section.points.iter().map(|p| p.name.as_str()).collect();
        let intro: String = section.intro.iter().map(|t| t.text.as_str()).collect();
        if names.iter().all(|n| !n.is_empty()) && names.len() >= 2 {
            let listed = names.join("，");
            let partly = names.iter().filter(|n| intro.contains(**n)).count();
            // An intro lists all the labels, in order, or none of them.
            if partly == names.len() && !intro.contains(&listed) {
                return Err(format!("intro lists the points out of order: {intro}"));
            }
            if partly > 0 && partly < names.len() && intro.contains('，') {
                let first = names[0];
                if intro.contains(first) && !intro.contains(&listed) {
                    return Err(format!("intro lists some points only: {intro}"));
                }
            }
        }
        let n = speechgen::base::numerals::count(section.points.len() as i64);
        for word in ["种意识", "个方面"] {
            if let Some(at) = intro.find(word) {
                let before: String = intro[..at].chars().rev().take(1).collect();
                if before != n && !intro.contains(&format!("{n}{word}")) {
                    return Err(format!(
                        "intro announces “{before}{word}” over {} points",
                        section.points.len()
                    ));
                }
            }
        }
    }
    Ok(())
}

fn check(pack: &Pack, loc: &Locality, seed: u64, length: usize) -> Result<(), String> {
    let options = Options {
        seed,
        length: Some(length),
        ..Options::default()
    };
    let speech = generate(pack, loc, &options).map_err(|e| e.to_string())?;
    let mut problems = coherence::problems(&speech, loc, pack);
    problems.extend(validate::style_problems(&render::text(&speech)));
    if let Err(e) = check_announcements(&speech) {
        problems.push(e);
    }
    // A short speech keeps its frame short: opening and closing together at most a
    // quarter of a 2,000-character draft.
    if length <= 2_500 && coherence::frame_share(&speech) > 0.25 {
        problems.push(format!(
            "opening and closing are {:.0}% of a {length}-character draft",
            coherence::frame_share(&speech) * 100.0
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "pack {}, {} ({}), seed {seed}, length {length}:\n  {}\n\n{}",
            pack.id,
            loc.name,
            loc.profile().tag(),
            problems.join("\n  "),
            render::text(&speech)
        ))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_pack_and_profile_reads_as_one_speech(
        seed in any::<u64>(),
        pack in 0usize..64,
        index in 0usize..64,
        villages in any::<bool>(),
        placeholders in any::<bool>(),
        season in 0usize..5,
        length in 2_000usize..=12_000,
    ) {
        let pack = &packs()[pack % packs().len()];
        let mut loc = place(index, villages, placeholders);
        loc.season = [None, Some("spring"), Some("summer"), Some("autumn"), Some("winter")][season];
        prop_assume!(pack.serves(&loc));
        let result = check(pack, &loc, seed, length);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

/// 200 seeds for each profile of every pack, across four lengths (50 at each).
#[test]
fn two_hundred_seeds_for_every_pack_and_profile() {
    assert!(
        packs().len() >= 5,
        "mass-work and at least four other meetings"
    );
    for pack in packs() {
        let mut seen = std::collections::BTreeSet::new();
        for (i, loc) in sample_places().iter().enumerate() {
            if !pack.serves(loc) {
                continue;
            }
            seen.insert(loc.profile());
            for seed in 0..200 / 4 {
                let length = [2_000, 4_000, 6_800, 12_000][(seed as usize + i) % 4];
                if let Err(e) = check(pack, loc, seed, length) {
                    panic!("{e}");
                }
            }
        }
        let expected = if pack.profiles.is_empty() {
            Profile::ALL.len()
        } else {
            pack.profiles.len()
        };
        assert_eq!(
            seen.len(),
            expected,
            "pack {}: every profile it serves is sampled",
            pack.id
        );
    }
}

/// The checks can fail: a draft with the faults a reviewer found is caught.
#[test]
fn the_coherence_checks_can_fail() {
    let pack = Pack::default_pack().unwrap();
    let loc = place(0, false, false);
    let speech = speechgen::draft::speech::build(
        "@title 东华门街道群众工作会议讲话稿\n@salutation 同志们：\n@para 推动经济社会又好又快发展。\n\
         @section 要心系群众\n@point 要为群众办事。\n@more 办成一件实事。\n\
         @section 服务群众，办好实事\n@point 要修好通村公路。\n@more 要修好通村公路，方便沿线群众出行。来不得半点马虎，容不得半点马虎。\n\
         @point 办好实事。\n@more 要修好通村公路，方便沿线群众出行。这件事很重要。",
        "东华门街道",
    )
    .unwrap();
    let found = coherence::problems(&speech, &loc, pack).join("\n");
    for expected in [
        "not in a real form",
        "mix forms",
        "single point",
        "hollow point",
        "does not start with 要",
        "dated formula",
        "stock phrase",
        "said 2 times",
        "“通村公路” does not fit a core place",
    ] {
        assert!(found.contains(expected), "{expected} not in:\n{found}");
    }
}
