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
