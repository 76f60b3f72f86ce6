//! A small version of `speechgen variety` in CI: the duplicate-rate targets of issue 4
//! must not regress. The full figures (50 townships) are in the README.

use speechgen::scale::variety::{VarietyArgs, variety};

#[test]
fn townships_differ_from_each_other_and_from_the_seed() {
    let report = variety(&VarietyArgs {
        pack: None,
        n: 12,
        seed: 1,
        same_place: None,
        length: None,
    })
    .unwrap();
    assert!(report.pairwise.median <= 15.0, "{:?}", report.pairwise);
    assert!(report.pairwise.max <= 30.0, "{:?}", report.pairwise);
    let vs_seed = report
        .vs_seed
        .expect("the default pack names its cleaned source");
    assert!(vs_seed.median <= 30.0, "{vs_seed:?}");
}

#[test]
fn seeds_for_one_place_differ() {
    let report = variety(&VarietyArgs {
        pack: None,
        n: 6,
        seed: 1,
        same_place: Some("西布河乡".into()),
        length: None,
    })
    .unwrap();
    assert!(report.pairwise.max <= 30.0, "{:?}", report.pairwise);
}

/// Drafts of two different meetings for the same place and seed share at most 10%,
/// however much of the common bank they use.
#[test]
fn different_meetings_read_as_different_speeches() {
    let report = speechgen::scale::variety::across_packs(12, 1).unwrap();
    assert!(report.packs.len() >= 5, "{:?}", report.packs);
    assert!(report.pairwise.count > 0);
    assert!(
        report.pairwise.max <= 10.0,
        "across packs: max {:.1}% ({:?})",
        report.pairwise.max,
        report.closest
    );
}
