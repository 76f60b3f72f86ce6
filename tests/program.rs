//! The compiled skeletons write exactly what Tera writes: every embedded pack, on every
//! arc, for every kind of place, over many seeds and lengths (with and without villages,
//! facts placeholders and --faithful), is drafted with `Renderer::Both`, which renders
//! each plan both ways and fails on the first byte that differs, or when the program
//! gives up on a value. So the compiled path can never drift from the templates.

mod common;

use common::embedded_packs as packs;
use proptest::prelude::*;
use speechgen::draft::generate::{Options, Renderer, generate};
use speechgen::pack::Pack;
use speechgen::place::profile::sample_places;

#[test]
fn every_embedded_skeleton_is_compiled() {
    for pack in packs() {
        for arc in &pack.arcs {
            assert!(
                arc.program.is_some(),
                "pack {}: skeleton {} has no program, so Tera renders it",
                pack.id,
                arc.skeleton
            );
        }
    }
}

#[test]
fn a_folder_with_its_own_devices_is_rendered_by_tera() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let pack_dir = dir.path().join("anquan");
    std::fs::create_dir(&pack_dir).unwrap();
    for folder in ["corpora/anquan", "templates/anquan"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, pack_dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    let devices = std::fs::read_to_string(root.join("templates/devices.tera")).unwrap();
    std::fs::write(
        pack_dir.join("devices.tera"),
        devices.replace("@para {{ text }}", "@para {{ text }}{# own #}"),
    )
    .unwrap();
    let pack = Pack::load_dir(&pack_dir).unwrap();
    assert!(pack.arcs.iter().all(|arc| arc.program.is_none()));
}

fn both_ways(pack: &Pack, index: usize, seed: u64, length: Option<usize>, faithful: bool) {
    let places = sample_places();
    let mut loc = places[index % places.len()].clone();
    if seed.is_multiple_of(3) {
        loc.villages = ["甲村", "乙村", "丙村"].map(String::from).to_vec();
    }
    loc.placeholders = seed.is_multiple_of(5);
    for arc in 0..pack.arcs.len() {
        let options = Options {
            seed,
            length,
            faithful,
            // A faithful draft is the seed speech's wording, which a 街道 may refuse.
            check: !faithful,
            arc: Some(arc),
            renderer: Renderer::Both,
            ..Options::default()
        };
        if let Err(e) = generate(pack, &loc, &options) {
            // A place the meeting is not held in is refused before any rendering.
            if pack.serves(&loc) {
                panic!(
                    "pack {}, {}, seed {seed}, arc {arc}: {e}",
                    pack.id, loc.name
                );
            }
        }
    }
}

#[test]
fn faithful_and_default_drafts_render_alike_for_every_place() {
    for pack in packs() {
        for index in 0..sample_places().len() {
            both_ways(pack, index, 1, None, true);
            both_ways(pack, index, index as u64 + 7, None, false);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn compiled_and_tera_renderings_are_byte_identical(
        seed in any::<u64>(),
        index in 0usize..64,
        length in 1500usize..12000,
    ) {
        for pack in packs() {
            both_ways(pack, index, seed, Some(length), false);
        }
    }
}

/// Packs fresh from `decompose` (every ingest fixture and the seed speech): their
/// skeletons compile, and the program writes what Tera writes for every kind of place.
#[test]
fn decomposed_packs_render_alike() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources: Vec<std::path::PathBuf> =
        std::fs::read_dir(root.join("tests/fixtures/ingest"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.to_string_lossy();
                (name.ends_with(".txt") && !name.ends_with(".expected.txt"))
                    || name.ends_with(".docx")
            })
            .collect();
    sources.sort();
    sources.push(root.join("corpora/sources/000_fe6face1bb91762f.txt"));
    let dir = tempfile::tempdir().unwrap();
    let (mut packs, mut arcs, mut compiled) = (0, 0, 0);
    for (i, source) in sources.iter().enumerate() {
        let out = dir.path().join(format!("pack{i}"));
        let options = speechgen::ingest::decompose::Options {
            id: None,
            name: None,
            place: None,
            enrich: i % 2 == 0,
        };
        let input = source.to_string_lossy();
        if speechgen::ingest::decompose::command(&input, &out.to_string_lossy(), &options, false)
            .is_err()
        {
            continue;
        }
        let pack = Pack::load_dir(&out).unwrap_or_else(|e| panic!("{input}: {e}"));
        packs += 1;
        arcs += pack.arcs.len();
        compiled += pack.arcs.iter().filter(|a| a.program.is_some()).count();
        for loc in sample_places() {
            for seed in 0..3 {
                let options = Options {
                    seed,
                    check: false,
                    length: (seed > 0).then_some(1500 * seed as usize),
                    renderer: Renderer::Both,
                    ..Options::default()
                };
                if let Err(e) = generate(&pack, &loc, &options)
                    && e.to_string().contains("compiled skeleton")
                {
                    panic!("{input}, {}, seed {seed}: {e}", loc.name);
                }
            }
        }
    }
    // decompose writes skeletons in the program's subset: each one compiles.
    assert!(packs >= 10, "only {packs} fixtures decomposed");
    assert_eq!(
        compiled, arcs,
        "{compiled} of {arcs} decomposed skeletons compiled"
    );
}
