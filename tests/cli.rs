//! The real binary, used as a newcomer would.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;

fn speechgen() -> Command {
    Command::cargo_bin("speechgen").unwrap()
}

#[test]
fn generate_with_embedded_defaults() {
    speechgen()
        .args(["generate", "--seed", "1"])
        .assert()
        .success()
        // A real title (在全乡群众工作会议上的讲话, with or without a main title).
        .stdout(
            predicate::str::is_match(
                "^(?:[^\n]+——)?在(?:全乡|西布河乡)群众工作会议上的讲话\n同志们：\n",
            )
            .unwrap(),
        );
}

#[test]
fn without_seed_a_seed_is_printed_and_reproduces() {
    let out = speechgen()
        .args(["generate", "--locality", "朱家角镇"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let seed: String = stderr
        .split("--seed ")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let again = speechgen()
        .args(["generate", "--locality", "朱家角镇", "--seed", &seed])
        .output()
        .unwrap();
    assert_eq!(out.stdout, again.stdout);
}

#[test]
fn json_has_the_contract_fields_and_valid_spans() {
    let out = speechgen()
        .args([
            "generate",
            "--locality",
            "朱家角镇",
            "--seed",
            "5",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v["text"].as_str().unwrap();
    let text_out = speechgen()
        .args(["generate", "--locality", "朱家角镇", "--seed", "5"])
        .output()
        .unwrap();
    assert_eq!(text, String::from_utf8(text_out.stdout).unwrap());
    for key in ["title", "pack", "seed", "locality", "outline", "spans"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["locality"]["level"], "镇");
    // Three sections (提高认识 / 突出重点 / 加强领导) or three to five of the seed's arc.
    assert!((3..=5).contains(&v["outline"].as_array().unwrap().len()));
    let chars: Vec<char> = text.chars().collect();
    let mut kinds = std::collections::BTreeSet::new();
    let mut places = std::collections::BTreeSet::new();
    for span in v["spans"].as_array().unwrap() {
        let (s, e) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        assert!(s <= e && e <= chars.len());
        let kind = span["kind"].as_str().unwrap();
        kinds.insert(kind.to_string());
        let covered: String = chars[s..e].iter().collect();
        if kind == "locality" {
            // The span's text is the place it names (or that place's short name or slogan).
            let place = span["place"].as_str().unwrap();
            match span["placeholder"].as_str().unwrap() {
                "地名" => assert_eq!(covered, "朱家角"),
                "口号" => assert!(covered.contains("朱家角"), "{covered}"),
                _ => assert_eq!(covered, place),
            }
            places.insert(place.to_string());
        }
        if kind == "title" {
            assert_eq!(covered, v["title"].as_str().unwrap());
        }
    }
    for kind in ["title", "heading", "paragraph", "slot", "locality"] {
        assert!(kinds.contains(kind), "no {kind} span");
    }
    // The township and at least one of its villages are named (the district, in the
    // paragraph that sets the place in its county, only where the draft has room).
    assert!(places.contains("朱家角镇"), "{places:?}");
    assert!(places.len() >= 2, "{places:?}");
    assert_eq!(v["locality"]["code"], "310118102");
}

#[test]
fn output_file_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.txt");
    std::fs::write(&path, "keep me").unwrap();
    speechgen()
        .args(["generate", "--seed", "1", "-o", path.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
    speechgen()
        .args([
            "generate",
            "--seed",
            "1",
            "--force",
            "-o",
            path.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert!(std::fs::read_to_string(&path).unwrap().contains("同志们："));
}

#[test]
fn missing_pack_dir_is_a_clear_error() {
    speechgen()
        .args(["generate", "--pack", "./no/such/pack"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such pack folder"));
}

#[test]
fn pack_folder_loads_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_default_pack(dir.path());
    speechgen()
        .args(["check", dir.path().to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("OK"));
    let embedded = speechgen()
        .args(["generate", "--seed", "3"])
        .output()
        .unwrap();
    let from_disk = speechgen()
        .args([
            "generate",
            "--seed",
            "3",
            "--pack",
            dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(embedded.stdout, from_disk.stdout);
}

#[test]
fn malformed_yaml_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_default_pack(dir.path());
    let file = dir.path().join("s2.yaml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\ns2.broken: [unclosed\n");
    std::fs::write(&file, text).unwrap();
    speechgen()
        .args(["check", dir.path().to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("s2.yaml:").and(predicate::str::contains("YAML")));
}

#[test]
fn template_reading_a_missing_slot_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_default_pack(dir.path());
    let file = dir.path().join("speech.tera");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("s.s3.intro", "s.s3.introduction");
    std::fs::write(&file, text).unwrap();
    speechgen()
        .args(["check", dir.path().to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("speech.tera:")
                .and(predicate::str::contains("s3.introduction")),
        );
}

#[test]
fn unknown_placeholder_and_unused_slot_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_default_pack(dir.path());
    std::fs::write(
        dir.path().join("extra.yaml"),
        "s9.unused:\n  - 没有人读这一句。\n",
    )
    .unwrap();
    speechgen()
        .args(["check", dir.path().to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("never used"));
    std::fs::write(dir.path().join("extra.yaml"), "").unwrap();
    let file = dir.path().join("s2.yaml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replacen("【乡党委】", "【乡委员会】", 1);
    std::fs::write(&file, text).unwrap();
    speechgen()
        .args(["check", dir.path().to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown placeholder"));
}

#[test]
fn locality_file_with_missing_field_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("place.yaml");
    std::fs::write(&file, "county: 某某县\nslogan: 生态某地\n").unwrap();
    speechgen()
        .args(["generate", "--locality-file", file.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("place.yaml").and(predicate::str::contains("name")));
}

#[test]
fn example_locality_file_is_used() {
    let root = env!("CARGO_MANIFEST_DIR");
    speechgen()
        .args(["generate", "--seed", "4", "--locality-file"])
        .arg(format!("{root}/examples/locality-taiping.yaml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("太平镇").and(predicate::str::contains("镇党委")));
}

#[test]
fn clean_the_seed_reports_every_unrepaired_spot() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed.txt");
    let root = env!("CARGO_MANIFEST_DIR");
    let assert = speechgen()
        .args([
            "clean",
            &format!("{root}/corpora/sources/000_fe6face1bb91762f.txt"),
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("6 spot(s)"), "{stderr}");
    assert_eq!(stderr.matches("line ").count(), 6, "{stderr}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("全乡群众工作会议讲话稿\n同志们：\n"));
    assert!(!text.contains("下载本文档") && !text.contains("(xiāng)"));
}

#[test]
fn clean_reads_gbk_from_stdin() {
    let (gbk, _, _) =
        encoding_rs::GBK.encode("全鄉群眾工作會議講話稿\n同志們:今天召開會議,大家好。\n");
    speechgen()
        .args(["clean", "-"])
        .write_stdin(gbk.into_owned())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("同志们：")
                .and(predicate::str::contains("今天召开会议，大家好。")),
        );
}

#[test]
fn clean_of_an_unreadable_input_is_a_clear_error() {
    speechgen()
        .args(["clean", "/no/such/file.txt"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("/no/such/file.txt")
                .and(predicate::str::contains("cannot read")),
        );
}

#[test]
fn similarity_of_a_text_with_itself_is_total_and_json_is_per_pair() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    let draft = speechgen()
        .args(["generate", "--seed", "1", "--locality", "朱家角镇"])
        .output()
        .unwrap();
    std::fs::write(&a, &draft.stdout).unwrap();
    std::fs::write(&b, &draft.stdout).unwrap();
    speechgen()
        .arg("similarity")
        .args([&a, &b])
        .assert()
        .success()
        .stdout(predicate::str::contains("100.0%"));
    let out = speechgen()
        .arg("similarity")
        .args([&a, &b])
        .arg("--json")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["rate"], 1.0);
    speechgen()
        .args(["similarity", "only-one.txt"])
        .assert()
        .failure();
}

// ---- messages name only the running subcommand's own flags (issue 11, item 4) ----------

/// `--pack` as a flag, not as the start of `--packs`.
/// A length a pack cannot reach still gives the closest draft, with a note that says how
/// long it is and on which side the target lies (not a fixed range: each pack has its own).
#[test]
fn an_unreachable_length_gives_the_closest_draft_and_says_so() {
    for (length, said) in [
        (
            "12000",
            "about the most pack jingji can write for this place; 12000 is above",
        ),
        (
            "300",
            "about the least pack jingji can write for this place; 300 is below",
        ),
    ] {
        speechgen()
            .args([
                "generate", "--pack", "jingji", "--seed", "1", "--length", length,
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("同志们"))
            .stderr(predicate::str::contains(said))
            .stderr(predicate::str::contains("12,000").not());
    }
    // A reachable length says nothing.
    speechgen()
        .args([
            "generate", "--pack", "jingji", "--seed", "1", "--length", "3000",
        ])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

fn names_pack_flag() -> predicates::str::RegexPredicate {
    predicate::str::is_match(r"--pack\b").unwrap()
}

#[test]
fn check_of_a_folder_that_is_not_a_pack_names_no_pack_flag() {
    let dir = tempfile::tempdir().unwrap();
    for spec in ["./no-such-pack", "no-such-id"] {
        speechgen()
            .current_dir(dir.path())
            .args(["check", spec])
            .assert()
            .code(1)
            .stderr(
                predicate::str::contains(spec)
                    .and(predicate::str::contains("give a pack folder"))
                    .and(names_pack_flag().not()),
            );
    }
    // corpus has --packs, not --pack.
    speechgen()
        .current_dir(dir.path())
        .args([
            "corpus",
            "--count",
            "1",
            "--packs",
            "./no-such-pack",
            "-o",
            "c.jsonl",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such pack folder").and(names_pack_flag().not()));
}

#[test]
fn batch_says_out_dir_where_a_file_exists() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("places.txt"), "西布河乡\n").unwrap();
    let run = |seed: &str| {
        speechgen()
            .current_dir(dir.path())
            .args([
                "batch",
                "--localities",
                "places.txt",
                "--out-dir",
                "drafts",
                "-q",
            ])
            .args(["--seed", seed])
            .assert()
    };
    run("1").success();
    run("2").code(1).stderr(
        predicate::str::contains("530724208-西布河乡.txt already exists")
            .and(predicate::str::contains("choose another --out-dir"))
            .and(predicate::str::is_match(r"(^|\s)-o\b").unwrap().not()),
    );
}

#[test]
fn explain_with_docx_says_the_word_file_has_no_place_for_it() {
    let dir = tempfile::tempdir().unwrap();
    speechgen()
        .current_dir(dir.path())
        .args([
            "generate",
            "--seed",
            "1",
            "--explain",
            "--format",
            "docx",
            "-o",
            "x.docx",
        ])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("text and markdown formats only")
                .and(predicate::str::contains("Word file has no place"))
                .and(predicate::str::contains("JSON").not()),
        );
    assert!(!dir.path().join("x.docx").exists());
}

#[test]
fn batch_without_places_names_every_way_to_give_them() {
    let dir = tempfile::tempdir().unwrap();
    speechgen()
        .current_dir(dir.path())
        .args(["batch", "--out-dir", "drafts"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("--localities")
                .and(predicate::str::contains("--county"))
                .and(predicate::str::contains("--city"))
                .and(predicate::str::contains("--province")),
        );
    assert!(!dir.path().join("drafts").exists());
}

#[test]
fn similarity_refuses_standard_input_twice() {
    speechgen()
        .args(["similarity", "-", "-"])
        .write_stdin("同志们：今天召开会议。\n")
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(
            predicate::str::contains("standard input").and(predicate::str::contains("only once")),
        );
}

// ---- exit status: 0 ok, 1 failure, 2 usage ---------------------------------------------

#[test]
fn an_unknown_level_or_format_is_a_usage_error() {
    speechgen()
        .args(["generate", "--locality", "某地", "--level", "村"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("村").and(predicate::str::contains("街道")));
    speechgen()
        .args(["generate", "--format", "pdf"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pdf"));
}

// ---- colour ----------------------------------------------------------------------------

const RED_PREFIX: &str = "\x1b[1;31mspeechgen: error:\x1b[0m";

/// A failure (exit 1) with speechgen's own error prefix.
fn failing() -> Command {
    let mut cmd = speechgen();
    cmd.args(["check", "./no-such-pack"]).env_remove("NO_COLOR");
    cmd
}

#[test]
fn color_always_colours_the_error_prefix() {
    failing()
        .arg("--color")
        .arg("always")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(RED_PREFIX));
    // Even with NO_COLOR: an explicit --color always wins.
    failing()
        .args(["--color=always"])
        .env("NO_COLOR", "1")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(RED_PREFIX));
}

#[test]
fn color_never_and_no_color_give_a_plain_prefix() {
    failing()
        .args(["--color", "never"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::starts_with("speechgen: error: ")
                .and(predicate::str::contains("\x1b[").not()),
        );
    failing().env("NO_COLOR", "1").assert().code(1).stderr(
        predicate::str::starts_with("speechgen: error: ")
            .and(predicate::str::contains("\x1b[").not()),
    );
}

// ---- progress bar ----------------------------------------------------------------------

/// Runs speechgen under a pseudo-terminal (util-linux `script`), so that the progress bar
/// is drawn; returns what the terminal received, or None where `script` is missing.
#[cfg(target_os = "linux")]
fn on_a_terminal(dir: &std::path::Path, args: &str) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_speechgen");
    let out = std::process::Command::new("script")
        .current_dir(dir)
        .env("TERM", "xterm")
        .args(["-qec", &format!("'{bin}' {args}"), "/dev/null"])
        .output()
        .ok()?;
    assert!(out.status.success(), "{args}: {out:?}");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(target_os = "linux")]
#[test]
fn batch_and_corpus_draw_one_progress_bar_with_whole_rates() {
    let dir = tempfile::tempdir().unwrap();
    let Some(batch) = on_a_terminal(dir.path(), "batch --county 宁蒗 --out-dir drafts --seed 1")
    else {
        eprintln!("skipped: no `script` to give speechgen a terminal");
        return;
    };
    let corpus = on_a_terminal(dir.path(), "corpus --count 70 -o c.jsonl").unwrap();
    let frame = regex::Regex::new(r"\] (\d+)/(\d+) drafts  (\S+) drafts/s  ETA (\S+)").unwrap();
    let whole = regex::Regex::new(r"^\d{1,3}(,\d{3})*$").unwrap();
    for (name, out, len) in [("batch", &batch, "16"), ("corpus", &corpus, "70")] {
        let frames: Vec<_> = frame.captures_iter(out).collect();
        assert!(!frames.is_empty(), "{name} drew no bar: {out:?}");
        // The first frame comes before a second has passed: no rate yet, not 45,208.2352/s.
        assert_eq!(&frames[0][3], "…", "{name}: {out:?}");
        assert_eq!(&frames[0][4], "…", "{name}: {out:?}");
        for f in &frames {
            assert_eq!(&f[2], len, "{name}");
            let rate = &f[3];
            assert!(
                rate == "…" || whole.is_match(rate),
                "{name}: rate {rate} is not a whole number"
            );
        }
    }
}

// ---- standard input for lists of places and locality files -----------------------------

#[test]
fn batch_reads_its_list_of_places_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    for (list, files) in [
        ("西布河乡\n", 1),
        ("- 西布河乡\n- {locality: 城关镇, county: 宁陕县}\n", 2),
        ("name,county\n城关镇,宁陕县\n", 1),
    ] {
        let out = dir.path().join(format!("drafts-{files}-{}", list.len()));
        speechgen()
            .args([
                "batch",
                "--localities",
                "-",
                "--seed",
                "1",
                "-q",
                "--out-dir",
            ])
            .arg(&out)
            .write_stdin(list)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("{files} drafts in")));
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), files, "{list}");
    }
    speechgen()
        .args(["batch", "--localities", "-", "--out-dir"])
        .arg(dir.path().join("none"))
        .write_stdin("# nothing\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("standard input: no places"));
}

#[test]
fn corpus_reads_its_list_of_places_from_standard_input() {
    let out = speechgen()
        .args([
            "corpus",
            "--count",
            "2",
            "--localities",
            "-",
            "-o",
            "-",
            "-q",
        ])
        .write_stdin("宁陕县城关镇\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2);
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["locality"]["code"], "610923100", "{line}");
    }
    speechgen()
        .args([
            "corpus",
            "--count",
            "2",
            "--localities",
            "-",
            "-o",
            "-",
            "-q",
        ])
        .write_stdin("幸福湾镇\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("standard input:1"));
}

#[test]
fn generate_reads_a_locality_file_from_standard_input() {
    let file = format!(
        "{}/examples/locality-taiping.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let from_file = speechgen()
        .args(["generate", "--seed", "4", "--locality-file", &file])
        .output()
        .unwrap();
    assert!(from_file.status.success());
    speechgen()
        .args(["generate", "--seed", "4", "--locality-file", "-"])
        .write_stdin(std::fs::read(&file).unwrap())
        .assert()
        .success()
        .stdout(from_file.stdout);
    speechgen()
        .args(["generate", "--locality-file", "-"])
        .write_stdin("county: 某某县\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("standard input").and(predicate::str::contains("name")));
}

/// Copies a folder (files and subfolders) for the source-tree tests.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_pack_folder_in_the_source_tree_reads_the_common_bank_there() {
    // `--pack corpora/jingji` in a source tree takes corpora/common from the same tree, so
    // an author sees an edit to the bank without a rebuild; the embedded pack is untouched.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&root.join("templates"), &tree.path().join("templates"));
    for folder in ["common", "jingji"] {
        copy_tree(
            &root.join("corpora").join(folder),
            &tree.path().join("corpora").join(folder),
        );
    }
    let pack = tree.path().join("corpora/jingji");
    let pack = pack.to_str().unwrap();
    let embedded = speechgen()
        .args(["generate", "--pack", "jingji", "--seed", "3"])
        .output()
        .unwrap();
    let from_tree = speechgen()
        .args(["generate", "--pack", pack, "--seed", "3"])
        .output()
        .unwrap();
    assert!(embedded.status.success());
    assert_eq!(embedded.stdout, from_tree.stdout);
    // A broken bank in the tree is the tree's error, with its file.
    std::fs::write(
        tree.path().join("corpora/common/frame.yaml"),
        "common.transition:\n  - [unclosed\n",
    )
    .unwrap();
    speechgen()
        .args(["check", pack])
        .assert()
        .failure()
        .stderr(predicate::str::contains("frame.yaml"));
    speechgen()
        .args(["generate", "--pack", "jingji", "--seed", "3"])
        .assert()
        .success();
}
