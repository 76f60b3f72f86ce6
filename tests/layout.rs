//! The stages of `src/` and the one direction of their dependencies (ARCHITECTURE.md):
//! cli → serve → scale → ingest → render → draft → pack → place → base. A file may use its own
//! stage and the stages after it, never one before it; `main.rs` only parses and
//! dispatches. This reads every `crate::` path in the sources, so a new upward import
//! fails here.

use std::path::{Path, PathBuf};

const ORDER: [&str; 9] = [
    "cli", "serve", "scale", "ingest", "render", "draft", "pack", "place", "base",
];

fn rank(stage: &str) -> Option<usize> {
    ORDER.iter().position(|s| *s == stage)
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The stages a source text names through `crate::STAGE` (in `use` lines and paths).
fn stages_used(text: &str) -> Vec<(usize, String)> {
    let mut used = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '{')
                .collect();
            if name.starts_with('{') {
                // use crate::{a, b}: every name in the group
                let inner = after[1..].split('}').next().unwrap_or("");
                for part in inner.split(',') {
                    let stage = part.trim().split("::").next().unwrap_or("").to_string();
                    used.push((n + 1, stage));
                }
            } else {
                used.push((n + 1, name));
            }
            rest = after;
        }
    }
    used
}

#[test]
fn every_stage_uses_only_the_stages_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap();
        let Some(stage) = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .filter(|_| relative.components().count() > 1)
            .map(str::to_string)
        else {
            continue; // lib.rs, main.rs
        };
        let own = rank(&stage).unwrap_or_else(|| panic!("{stage}/ is not a stage in ORDER"));
        let text = std::fs::read_to_string(file).unwrap();
        for (line, used) in stages_used(&text) {
            let Some(theirs) = rank(&used) else {
                // crate::Result, crate::Error (re-exports of base::error)
                assert!(
                    matches!(used.as_str(), "Result" | "Error"),
                    "{}:{line}: crate::{used} is not a stage",
                    relative.display()
                );
                continue;
            };
            if theirs < own {
                violations.push(format!(
                    "{}:{line}: {stage} uses {used}, a stage above it",
                    relative.display()
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "upward imports:\n{}",
        violations.join("\n")
    );
}

#[test]
fn src_has_one_folder_per_stage_and_a_short_main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut loose: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    loose.sort();
    assert_eq!(loose, ["lib.rs", "main.rs"]);
    for stage in ORDER {
        assert!(
            root.join(stage).join("mod.rs").is_file(),
            "src/{stage}/mod.rs"
        );
    }
    let main = std::fs::read_to_string(root.join("main.rs")).unwrap();
    assert!(
        main.lines().count() < 250,
        "main.rs has {} lines",
        main.lines().count()
    );
}

#[test]
fn the_checker_sees_upward_imports() {
    let used = stages_used("use crate::cli::args;\nuse crate::{draft::speech, base};\n");
    let names: Vec<&str> = used.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(names, ["cli", "draft", "base"]);
}
