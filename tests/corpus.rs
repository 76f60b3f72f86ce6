//! `speechgen corpus`, run as the real binary: the JSON lines and their spans, shards,
//! interruption and resume, --verify, txt-dir. A few hundred documents in all, so that the
//! debug-build CI stays quick.

use std::path::Path;
use std::process::Command as Process;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn speechgen() -> Command {
    Command::cargo_bin("speechgen").unwrap()
}

/// Writes a corpus with the given extra arguments and returns its bytes.
fn corpus(dir: &Path, name: &str, args: &[&str]) -> Vec<u8> {
    let path = dir.join(name);
    speechgen()
        .args(["corpus", "--quiet", "-o"])
        .arg(&path)
        .args(args)
        .assert()
        .success();
    std::fs::read(&path).unwrap()
}

fn lines(bytes: &[u8]) -> Vec<Value> {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect()
}

#[test]
fn every_span_lies_in_its_text_and_every_place_mention_names_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = corpus(dir.path(), "c.jsonl", &["--count", "200", "--seed", "11"]);
    assert!(bytes.ends_with(b"\n"));
    let docs = lines(&bytes);
    assert_eq!(docs.len(), 200);
    let mut codes = std::collections::BTreeSet::new();
    let mut levels = std::collections::BTreeSet::new();
    for (i, doc) in docs.iter().enumerate() {
        assert_eq!(doc["index"], i as u64);
        assert_eq!(doc["id"], format!("sg-11-{i}"));
        for key in [
            "text", "title", "pack", "seed", "locality", "outline", "spans",
        ] {
            assert!(doc.get(key).is_some(), "document {i} has no {key}");
        }
        let text = doc["text"].as_str().unwrap();
        let chars: Vec<char> = text.chars().collect();
        let loc = &doc["locality"];
        let name = loc["name"].as_str().unwrap();
        codes.insert(loc["code"].as_str().unwrap().to_string());
        levels.insert(loc["level"].as_str().unwrap().to_string());
        let mut kinds = std::collections::BTreeSet::new();
        for span in doc["spans"].as_array().unwrap() {
            let (start, end) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            assert!(start < end && end <= chars.len(), "document {i}: {span}");
            let covered: String = chars[start..end].iter().collect();
            assert!(
                !covered.contains('\n'),
                "document {i}: {span} crosses a line"
            );
            let kind = span["kind"].as_str().unwrap();
            kinds.insert(kind.to_string());
            match kind {
                "title" => assert_eq!(covered, doc["title"].as_str().unwrap()),
                "locality" => {
                    // The span's text is the place it names: the township's short name
                    // (地名) or its slogan (口号, holding the short name), else the name.
                    let place = span["place"].as_str().unwrap();
                    match span["placeholder"].as_str().unwrap() {
                        "地名" => {
                            assert_eq!(place, name, "document {i}");
                            assert!(name.starts_with(&covered), "document {i}: {covered}");
                        }
                        "口号" => {
                            assert_eq!(place, name, "document {i}");
                            let short = doc["spans"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .find(|s| s["placeholder"] == "地名")
                                .map(|s| {
                                    let (a, b) = (
                                        s["start"].as_u64().unwrap() as usize,
                                        s["end"].as_u64().unwrap() as usize,
                                    );
                                    chars[a..b].iter().collect::<String>()
                                });
                            if let Some(short) = short {
                                assert!(covered.contains(&short), "document {i}: {covered}");
                            }
                        }
                        _ => assert_eq!(covered, place, "document {i}"),
                    }
                }
                "slot" => {
                    assert!(span["slot"].as_str().is_some_and(|s| !s.is_empty()));
                    assert!(span["alternative"].as_str().is_some());
                }
                "heading" => assert!((1..=3).contains(&span["level"].as_u64().unwrap())),
                _ => {}
            }
        }
        for kind in ["title", "heading", "paragraph", "slot", "locality"] {
            assert!(kinds.contains(kind), "document {i} has no {kind} span");
        }
    }
    // Localities default to every township in the country: the corpus spreads out.
    assert!(codes.len() > 150, "{} places", codes.len());
    assert!(
        levels.contains("镇") && levels.contains("街道"),
        "{levels:?}"
    );
}

#[test]
fn a_corpus_line_is_what_generate_writes_for_its_seed_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut docs = lines(&corpus(
        dir.path(),
        "c.jsonl",
        &["--count", "2", "--seed", "5"],
    ));
    // With --script mixed each line says its script, drawn per document.
    let mixed = lines(&corpus(
        dir.path(),
        "m.jsonl",
        &["--count", "6", "--seed", "5", "--script", "mixed"],
    ));
    let scripts: std::collections::BTreeSet<&str> = mixed
        .iter()
        .map(|d| d["script"].as_str().unwrap())
        .collect();
    assert!(scripts.len() > 1, "{scripts:?}");
    docs.extend(mixed.iter().cloned());
    // With --lengths each line says the target length it drew.
    docs.extend(lines(&corpus(
        dir.path(),
        "l.jsonl",
        &["--count", "2", "--seed", "5", "--lengths", "2500-3500"],
    )));
    for doc in docs {
        let script = doc
            .get("script")
            .and_then(Value::as_str)
            .unwrap_or("simplified");
        let mut generate = speechgen();
        generate
            .args([
                "generate",
                "--format",
                "json",
                "--script",
                script,
                "--locality",
            ])
            .arg(doc["locality"]["code"].as_str().unwrap())
            .arg("--seed")
            .arg(doc["seed"].to_string());
        if let Some(length) = doc.get("length") {
            generate.arg("--length").arg(length.to_string());
        }
        let out = generate.output().unwrap();
        assert!(out.status.success());
        let draft: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut line = doc.clone();
        let line = line.as_object_mut().unwrap();
        line.remove("id");
        line.remove("index");
        line.remove("script");
        line.remove("length");
        assert_eq!(&Value::Object(line.clone()), &draft);
        // The corpus puts id and index first, then the fields in the JSON format's order.
        let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(keys[..2], ["id", "index"]);
    }
}

#[test]
fn shards_concatenated_in_order_are_the_whole_corpus_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let base = ["--count", "50", "--seed", "3", "--lengths", "2000-4000"];
    let whole = corpus(dir.path(), "whole.jsonl", &base);
    let mut joined = Vec::new();
    for k in 1..=4 {
        let shard = format!("{k}/4");
        let part = corpus(
            dir.path(),
            &format!("part-{k}.jsonl"),
            &[&base[..], &["--shard", &shard, "--threads", "1"]].concat(),
        );
        joined.extend(part);
    }
    assert!(
        joined == whole,
        "shards 1..4 differ from the unsharded corpus"
    );
    // The merged file verifies as the whole corpus; a shard verifies as that shard.
    let merged = dir.path().join("merged.jsonl");
    std::fs::write(&merged, &joined).unwrap();
    speechgen()
        .args(["corpus", "--verify", "-o"])
        .arg(&merged)
        .args(base)
        .assert()
        .success()
        .stderr(predicate::str::contains("50 lines"));
    speechgen()
        .args(["corpus", "--verify", "--shard", "2/4", "-o"])
        .arg(dir.path().join("part-2.jsonl"))
        .args(base)
        .assert()
        .success();
    // Lengths are drawn per document within the range (±10% is the generator's promise).
    for doc in lines(&whole) {
        let n = doc["text"].as_str().unwrap().chars().count();
        assert!((1_800..=4_400).contains(&n), "{n} characters");
    }
}

#[test]
fn verify_finds_missing_altered_and_foreign_lines() {
    let dir = tempfile::tempdir().unwrap();
    let base = ["--count", "12", "--seed", "8"];
    let whole = corpus(dir.path(), "c.jsonl", &base);
    let path = dir.path().join("c.jsonl");
    let check = |bytes: &[u8], args: &[&str], expected: &str| {
        std::fs::write(&path, bytes).unwrap();
        speechgen()
            .args(["corpus", "--verify", "--sample", "12", "-o"])
            .arg(&path)
            .args(args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(expected));
    };
    let text = String::from_utf8(whole.clone()).unwrap();
    let all: Vec<&str> = text.lines().collect();
    // A line missing in the middle, a line altered, the file cut short, another seed.
    let missing = format!("{}\n{}\n", all[..5].join("\n"), all[6..].join("\n"));
    check(missing.as_bytes(), &base, "expected document 5");
    let altered = text.replacen("同志们", "同志们们", 1);
    check(altered.as_bytes(), &base, "differs");
    check(&whole[..whole.len() - 10], &base, "cut off");
    check(&whole, &["--count", "12", "--seed", "9"], "sg-9-0");
    check(&whole, &["--count", "13", "--seed", "8"], "12 lines");
}

#[test]
fn a_killed_run_leaves_no_final_file_and_resume_completes_it_identically() {
    interrupted_run_resumes(|child| child.kill().unwrap());
}

#[test]
fn ctrl_c_leaves_no_final_file_and_resume_completes_it_identically() {
    // SIGINT, as Ctrl-C in a terminal sends it.
    interrupted_run_resumes(|child| {
        let status = Process::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    });
}

/// Stops a corpus run with `stop` once it has written some documents; the final file
/// must not exist, and --resume must complete it byte for byte.
fn interrupted_run_resumes(stop: impl Fn(&mut std::process::Child)) {
    let dir = tempfile::tempdir().unwrap();
    let base = ["--count", "300", "--seed", "21"];
    let whole = corpus(dir.path(), "whole.jsonl", &base);
    let target = dir.path().join("run.jsonl");
    let partial = dir.path().join("run.jsonl.partial");
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("speechgen"))
        .args(["corpus", "--quiet", "--threads", "1", "-o"])
        .arg(&target)
        .args(base)
        .spawn()
        .unwrap();
    // Kill it once some documents have reached the partial file.
    let started = Instant::now();
    while std::fs::metadata(&partial).map_or(0, |m| m.len()) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "nothing written"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // While it runs, nobody else may write its partial file.
    speechgen()
        .args(["corpus", "--resume", "-o"])
        .arg(&target)
        .args(base)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "another speechgen corpus run is writing",
        ));
    stop(&mut child);
    child.wait().unwrap();
    assert!(!target.exists(), "an interrupted run left the final file");
    let left = std::fs::read(&partial).unwrap();
    assert!(
        !left.is_empty() && left.len() < whole.len(),
        "the run finished before it was killed ({} bytes)",
        left.len()
    );
    assert!(whole.starts_with(&left), "the partial file is not a prefix");
    // Without --resume the leftover is not overwritten silently.
    speechgen()
        .args(["corpus", "-o"])
        .arg(&target)
        .args(base)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--resume"));
    speechgen()
        .args(["corpus", "--resume", "-o"])
        .arg(&target)
        .args(base)
        .assert()
        .success()
        .stderr(predicate::str::contains("already written"));
    assert!(std::fs::read(&target).unwrap() == whole);
    assert!(!partial.exists());
}

#[test]
fn resume_cuts_a_torn_line_and_refuses_another_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let base = ["--count", "20", "--seed", "4"];
    let whole = corpus(dir.path(), "whole.jsonl", &base);
    let target = dir.path().join("run.jsonl");
    let partial = dir.path().join("run.jsonl.partial");
    // Seven complete lines and half of the eighth, as a kill leaves it.
    let ends: Vec<usize> = whole
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
        .collect();
    let torn = &whole[..ends[6] + (ends[7] - ends[6]) / 2];
    std::fs::write(&partial, torn).unwrap();
    speechgen()
        .args(["corpus", "--resume", "--seed", "5", "--count", "20", "-o"])
        .arg(&target)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not continue this corpus"));
    speechgen()
        .args(["corpus", "--resume", "--quiet", "-o"])
        .arg(&target)
        .args(base)
        .assert()
        .success();
    assert!(std::fs::read(&target).unwrap() == whole);
    // An empty partial (killed before the first line) resumes from the start.
    std::fs::write(&partial, b"{\"id\":\"sg-4").unwrap();
    speechgen()
        .args(["corpus", "--resume", "--force", "--quiet", "-o"])
        .arg(&target)
        .args(base)
        .assert()
        .success();
    assert!(std::fs::read(&target).unwrap() == whole);
}

#[test]
fn txt_dir_writes_one_text_per_document_and_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let base = ["--count", "4", "--seed", "2"];
    let jsonl = lines(&corpus(dir.path(), "c.jsonl", &base));
    let out = dir.path().join("texts");
    speechgen()
        .args(["corpus", "--quiet", "--format", "txt-dir", "-o"])
        .arg(&out)
        .args(base)
        .assert()
        .success();
    let manifest = lines(&std::fs::read(out.join("manifest.jsonl")).unwrap());
    assert_eq!(manifest.len(), 4);
    for (entry, line) in manifest.iter().zip(&jsonl) {
        let file = entry["file"].as_str().unwrap();
        assert_eq!(file, format!("{}.txt", line["id"].as_str().unwrap()));
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert_eq!(text, line["text"].as_str().unwrap());
        // The manifest line is the corpus line with `file` in place of `text`.
        let mut expected = line.as_object().unwrap().clone();
        expected.remove("text");
        expected.insert("file".into(), Value::String(file.into()));
        assert_eq!(entry.as_object().unwrap(), &expected);
    }
    speechgen()
        .args(["corpus", "--verify", "--format", "txt-dir", "-o"])
        .arg(&out)
        .args(base)
        .assert()
        .success();
    assert!(!dir.path().join("texts.partial").exists());
}

#[test]
fn bad_options_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.jsonl");
    for (args, expected) in [
        (vec!["--count", "5", "--shard", "0/3"], "--shard"),
        (vec!["--count", "5", "--shard", "4/3"], "1 ≤ K ≤ M"),
        (vec!["--count", "0"], "--count"),
        (vec!["--count", "5", "--lengths", "9000-100"], "--lengths"),
        (
            vec!["--count", "5", "--province", "火星"],
            "no township-level unit",
        ),
        (
            vec!["--count", "5", "--packs", "no-such-pack"],
            "no embedded pack",
        ),
        (
            vec!["--count", "5", "--localities", "/no/such/list.txt"],
            "/no/such/list.txt",
        ),
    ] {
        speechgen()
            .args(["corpus", "-o"])
            .arg(&out)
            .args(&args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(expected));
    }
    std::fs::write(&out, "keep me").unwrap();
    speechgen()
        .args(["corpus", "--count", "2", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
}

#[test]
fn a_list_of_places_and_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("places.txt");
    std::fs::write(&list, "西布河乡\n310118102\n宁陕县城关镇\n").unwrap();
    let out = speechgen()
        .args([
            "corpus",
            "--count",
            "6",
            "--seed",
            "1",
            "-o",
            "-",
            "--localities",
        ])
        .arg(&list)
        .output()
        .unwrap();
    assert!(out.status.success());
    let docs = lines(&out.stdout);
    assert_eq!(docs.len(), 6);
    for doc in &docs {
        let name = doc["locality"]["name"].as_str().unwrap();
        assert!(["西布河乡", "朱家角镇", "城关镇"].contains(&name), "{name}");
    }
    // The throughput report goes to stderr.
    let report = String::from_utf8(out.stderr).unwrap();
    assert!(
        report.contains("drafts/s") && report.contains("peak RSS"),
        "{report}"
    );
}

#[test]
fn txt_dir_takes_a_trailing_slash_and_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    speechgen()
        .current_dir(dir.path())
        .args([
            "corpus", "--count", "3", "--format", "txt-dir", "-o", "texts/", "-q",
        ])
        .assert()
        .success();
    assert!(dir.path().join("texts/manifest.jsonl").is_file());
    assert!(!dir.path().join("texts/.partial").exists());
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    speechgen()
        .current_dir(dir.path())
        .args([
            "corpus", "--count", "3", "--format", "txt-dir", "-o", "empty", "-q",
        ])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_dir(dir.path().join("empty")).unwrap().count(),
        4
    );
    // A folder holding something else is still refused and left as it was.
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/notes.txt"), "keep").unwrap();
    speechgen()
        .current_dir(dir.path())
        .args([
            "corpus", "--count", "3", "--format", "txt-dir", "-o", "mine", "-q",
        ])
        .assert()
        .failure();
    assert_eq!(
        std::fs::read_dir(dir.path().join("mine")).unwrap().count(),
        1
    );
}

#[test]
fn resume_after_the_run_finished_verifies_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let before = corpus(dir.path(), "c.jsonl", &["--count", "4", "--seed", "2"]);
    speechgen()
        .current_dir(dir.path())
        .args([
            "corpus", "--count", "4", "--seed", "2", "-o", "c.jsonl", "--resume",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("nothing to resume"));
    assert_eq!(std::fs::read(dir.path().join("c.jsonl")).unwrap(), before);
    // Other options: the finished file is not this corpus, and --resume says so.
    speechgen()
        .current_dir(dir.path())
        .args([
            "corpus", "--count", "4", "--seed", "3", "-o", "c.jsonl", "--resume",
        ])
        .assert()
        .failure();
}

#[test]
fn force_replaces_a_corpus_folder_but_never_removes_what_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let run = |seed: &str| {
        speechgen()
            .current_dir(dir.path())
            .args([
                "corpus", "--count", "2", "--format", "txt-dir", "-o", "texts/",
            ])
            .args(["--seed", seed, "--force", "-q"])
            .assert()
    };
    run("1").success();
    assert!(dir.path().join("texts/sg-1-0.txt").is_file());
    // A replaced corpus folder holds the new corpus only.
    run("2").success();
    assert!(!dir.path().join("texts/sg-1-0.txt").exists());
    assert!(dir.path().join("texts/sg-2-1.txt").is_file());
    // A file the user put there: --force refuses, and nothing is written or removed.
    std::fs::write(dir.path().join("texts/notes.txt"), "keep").unwrap();
    run("3").code(1).stderr(
        predicate::str::contains("notes.txt").and(predicate::str::contains("nothing was written")),
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("texts/notes.txt")).unwrap(),
        "keep"
    );
    assert!(dir.path().join("texts/sg-2-0.txt").is_file());
    assert!(!dir.path().join("texts.partial").exists());
    // The same for a left-over partial folder.
    std::fs::remove_file(dir.path().join("texts/notes.txt")).unwrap();
    std::fs::create_dir(dir.path().join("texts.partial")).unwrap();
    std::fs::write(dir.path().join("texts.partial/mine.md"), "keep").unwrap();
    run("3").code(1).stderr(predicate::str::contains("mine.md"));
    assert!(dir.path().join("texts.partial/mine.md").is_file());
}
