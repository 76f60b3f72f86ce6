//! The decomposition lost nothing: the faithful draft reproduces the cleaned seed.

mod common;

use speechgen::base::similarity::duplicate_rate;

const CLEAN_SEED: &str = include_str!("../corpora/sources/000_fe6face1bb91762f.clean.txt");

#[test]
fn faithful_draft_covers_the_cleaned_seed() {
    let draft = common::faithful();
    let coverage = duplicate_rate(CLEAN_SEED, &draft);
    assert!(
        coverage >= 0.95,
        "faithful draft covers only {:.1}% of the cleaned seed",
        coverage * 100.0
    );
}

#[test]
fn faithful_draft_fixes_the_slips_and_completes_section_five() {
    let draft = common::faithful();
    assert!(draft.starts_with("全乡群众工作会议讲话稿\n同志们：\n"));
    // 乡/县 mix-up in the opening is fixed.
    assert!(draft.contains("今天召开全乡群众工作会议"));
    assert!(!draft.contains("今天召开全县群众工作会议"));
    // The lone 三是 in section three now has a 一是 before it.
    let s3 = &draft[draft.find("三、").unwrap()..draft.find("四、").unwrap()];
    assert!(s3.contains("\n一是要问计于民"), "{s3}");
    // Section five has its four points and the speech closes.
    let s5 = &draft[draft.find("五、").unwrap()..];
    for label in ["\n第一，", "\n第二，", "\n第三，", "\n第四，"] {
        assert!(s5.contains(label), "section five lacks {label}");
    }
    assert!(draft.trim_end().ends_with('！'));
}

/// Every embedded pack reproduces its own reference speech with --faithful.
#[test]
fn every_pack_reproduces_its_reference_speech() {
    use speechgen::draft::generate::{Options, generate};
    use speechgen::pack::Pack;
    use speechgen::place::locality::Locality;
    let ids = Pack::embedded_ids();
    assert!(ids.len() >= 5, "packs: {ids:?}");
    for id in ids {
        let pack = Pack::load_embedded(&id).unwrap();
        let reference = speechgen::scale::variety::seed_text(&pack)
            .unwrap_or_else(|| panic!("pack {id} names no reference speech with a .clean.txt"));
        let options = Options {
            faithful: true,
            ..Options::default()
        };
        let speech = generate(&pack, &Locality::seed_default(), &options).unwrap();
        let draft = speechgen::render::text(&speech);
        let coverage = duplicate_rate(&reference, &draft);
        assert!(
            coverage >= 0.95,
            "pack {id}: the faithful draft covers only {:.1}% of its reference speech",
            coverage * 100.0
        );
    }
}
