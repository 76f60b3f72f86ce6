//! Prepares embedded data once, at build time, so that a run does not:
//! - the division list is inflated here (the repository keeps it gzipped) and written as
//!   Rust tables (`OUT_DIR/divisions.rs`, included by `src/place/gazetteer.rs`);
//! - the embedded packs' slot files are parsed from YAML into plain trees
//!   (`src/pack/raw.rs`, compiled into this script too), with each text's forbidden-word
//!   mask (`src/place/forbidden.rs`, likewise), stored in the binary.
//!
//! A slot file that does not parse is left out: the binary then reads its YAML at run
//! time and reports the error with its file and line, as for any pack folder.

use std::env;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

#[path = "src/pack/raw.rs"]
#[allow(dead_code)]
mod raw;

#[path = "src/place/forbidden.rs"]
#[allow(dead_code)]
mod forbidden;

fn main() {
    println!("cargo:rerun-if-changed=corpora");
    println!("cargo:rerun-if-changed=src/pack/raw.rs");
    println!("cargo:rerun-if-changed=src/place/forbidden.rs");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));

    let gz =
        fs::read("corpora/gazetteer/divisions.tsv.gz").expect("corpora/gazetteer/divisions.tsv.gz");
    let mut tsv = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut tsv)
        .expect("divisions.tsv.gz is gzipped UTF-8");
    fs::write(out.join("divisions.rs"), divisions_table(&tsv)).expect("write OUT_DIR/divisions.rs");

    let mut files = Vec::new();
    for entry in fs::read_dir("corpora").expect("corpora/") {
        let dir = entry.expect("corpora/ entry").path();
        if dir.is_dir() {
            slot_files(&dir, &mut files);
        }
    }
    files.sort();
    let mut index: raw::PrebuiltIndex = Vec::new();
    let mut data: Vec<u8> = Vec::new();
    for path in files {
        let text = fs::read_to_string(&path).unwrap_or_default();
        let Ok(mut parsed) = raw::parse_yaml(&text) else {
            continue;
        };
        parsed.set_masks(&forbidden::text_mask);
        let bytes = postcard::to_stdvec(&parsed).expect("a parsed slot file serialises");
        let start = data.len() as u64;
        data.extend_from_slice(&bytes);
        let key = path
            .strip_prefix("corpora")
            .expect("under corpora/")
            .to_string_lossy()
            .trim_start_matches('/')
            .to_string();
        index.push((key, text.len() as u64, start, data.len() as u64));
    }
    fs::write(
        out.join("slots.idx"),
        postcard::to_stdvec(&index).expect("the index serialises"),
    )
    .expect("write OUT_DIR/slots.idx");
    fs::write(out.join("slots.bin"), data).expect("write OUT_DIR/slots.bin");
}

/// The slot files of one folder under corpora/: its .yaml files but pack.yaml, as the
/// embedded loader reads them (top level only).
fn slot_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("corpora/ folder") {
        let path = entry.expect("corpora/ entry").path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_file()
            && (name.ends_with(".yaml") || name.ends_with(".yml"))
            && name != "pack.yaml"
        {
            out.push(path);
        }
    }
}

/// The division list as Rust: every `code\tname` line a `Division`, in file (code) order,
/// and the indexes of the township-level units (9-digit codes).
fn divisions_table(tsv: &str) -> String {
    let mut rows = String::from("static DIVISION_ROWS: &[Division] = &[\n");
    let mut townships = String::from("static TOWNSHIP_ROWS: &[u32] = &[\n");
    let mut index = 0u32;
    for (n, line) in tsv.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let (code, name) = line.split_once('\t').unwrap_or_else(|| {
            panic!("divisions.tsv line {}: no tab in “{line}”; rebuild it with corpora/gazetteer/build.py", n + 1)
        });
        rows.push_str(&format!(
            "    Division {{ code: {code:?}, name: {name:?} }},\n"
        ));
        if code.len() == 9 {
            townships.push_str(&format!("    {index},\n"));
        }
        index += 1;
    }
    rows.push_str("];\n");
    townships.push_str("];\n");
    rows + &townships
}
