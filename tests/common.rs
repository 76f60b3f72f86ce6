//! Helpers shared by the integration tests.
#![allow(dead_code)]

use speechgen::draft::generate::{Options, generate};
use speechgen::pack::Pack;
use speechgen::place::locality::Locality;
use speechgen::render;

/// The range of --length the default pack promises to reach within ±10%.
pub const MIN_LENGTH: usize = 2_000;
pub const MAX_LENGTH: usize = 12_000;

pub fn draft(place: &str, seed: u64) -> String {
    draft_options(place, seed, None)
}

pub fn draft_with_length(place: &str, seed: u64, length: usize) -> String {
    draft_options(place, seed, Some(length))
}

fn draft_options(place: &str, seed: u64, length: Option<usize>) -> String {
    let pack = Pack::default_pack().expect("default pack loads");
    let loc = if place == "西布河乡" {
        Locality::seed_default()
    } else {
        Locality::from_name(place).expect("valid name")
    };
    let options = Options {
        seed,
        length,
        ..Options::default()
    };
    render::text(&generate(pack, &loc, &options).expect("draft renders"))
}

pub fn faithful() -> String {
    let pack = Pack::default_pack().expect("default pack loads");
    let options = Options {
        faithful: true,
        ..Options::default()
    };
    render::text(&generate(pack, &Locality::seed_default(), &options).expect("renders"))
}

/// Copies the embedded default pack into a folder, as an author would start a new pack.
pub fn copy_default_pack(dir: &std::path::Path) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["corpora/mass-work", "templates/mass-work"] {
        for entry in std::fs::read_dir(root.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// Every embedded pack (mass-work and the other meetings), loaded once with the full checks.
pub fn embedded_packs() -> &'static [Pack] {
    static PACKS: std::sync::OnceLock<Vec<Pack>> = std::sync::OnceLock::new();
    PACKS.get_or_init(|| {
        Pack::embedded_ids()
            .iter()
            .map(|id| Pack::load_embedded(id).unwrap_or_else(|e| panic!("pack {id}: {e}")))
            .collect()
    })
}
