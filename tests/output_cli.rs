//! Output for people, through the real binary: formats, script, speaker line, --explain,
//! packs, completions, man pages, and bad input tried as a new user would.

mod common;

use assert_cmd::Command;
use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use predicates::prelude::*;

fn speechgen() -> Command {
    Command::cargo_bin("speechgen").unwrap()
}

fn stdout_of<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> String {
    let out = speechgen().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{:?}: {}",
        args.iter().map(|a| a.as_ref()).collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `generate` for 太平镇 described by examples/locality-taiping.yaml (a file, so the place
/// is the same whatever the gazetteer holds), seed 1.
fn taiping_args() -> Vec<String> {
    let file = format!(
        "{}/examples/locality-taiping.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    ["generate", "--locality-file", &file, "--seed", "1"]
        .map(String::from)
        .to_vec()
}

fn taiping(extra: &[&str]) -> String {
    let mut args = taiping_args();
    args.extend(extra.iter().map(|s| s.to_string()));
    stdout_of(&args)
}

// ---- bad input -------------------------------------------------------------------------

#[test]
fn unknown_format_names_the_formats() {
    speechgen()
        .args(["generate", "--format", "pdf"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("pdf")
                .and(predicate::str::contains("markdown"))
                .and(predicate::str::contains("docx")),
        );
}

#[test]
fn unwritable_output_path_is_a_clear_error_and_writes_nothing() {
    speechgen()
        .args(taiping_args())
        .args(["--format", "docx", "-o", "/nonexistent/dir/x.docx"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("/nonexistent/dir/x.docx")
                .and(predicate::str::contains("does not exist")),
        );
    assert!(!std::path::Path::new("/nonexistent/dir/x.docx").exists());
}

#[test]
fn existing_word_file_is_kept_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("讲话.docx");
    std::fs::write(&path, b"keep me").unwrap();
    speechgen()
        .args(taiping_args())
        .args(["--format", "docx", "-o"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
    speechgen()
        .args(taiping_args())
        .args(["--format", "docx", "--force", "-o"])
        .arg(&path)
        .assert()
        .success();
    assert!(std::fs::read(&path).unwrap().starts_with(b"PK"));
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn a_date_that_is_not_a_date_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.docx");
    for bad in ["2026-02-30", "明天", "11/25"] {
        speechgen()
            .args(taiping_args())
            .args(["--format", "docx", "--date", bad, "-o"])
            .arg(&path)
            .assert()
            .code(1)
            .stderr(
                predicate::str::contains(bad)
                    .and(predicate::str::contains("2026-11-25 or 2026年11月25日")),
            );
        assert!(!path.exists());
    }
}

#[test]
fn explain_is_refused_where_it_has_no_place() {
    speechgen()
        .args(taiping_args())
        .args(["--format", "json", "--explain"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--explain"));
}

// ---- formats ---------------------------------------------------------------------------

#[test]
fn docx_goes_to_a_pipe_when_stdout_is_not_a_terminal() {
    let out = speechgen()
        .args(taiping_args())
        .args(["--format", "docx"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"PK\x03\x04"));
}

#[test]
fn markdown_has_title_headings_and_bold_leads() {
    let md = taiping(&["--format", "markdown"]);
    let text = taiping(&[]);
    let title = text.lines().next().unwrap();
    assert!(
        md.starts_with(&format!("# {title}\n\n同志们：\n\n")),
        "{md}"
    );
    assert!((3..=5).contains(&md.matches("\n## ").count()));
    assert!(md.contains("\n## 一、"));
    // Every level-2 lead is bold, closed before its final punctuation so that
    // CommonMark closes it.
    let points = text
        .lines()
        .filter(|l| l.starts_with('第') && l.contains('，'))
        .count();
    assert!(points >= 10);
    assert_eq!(md.matches("\n**第").count(), points);
    assert!(md.contains("**。"));
    // Paragraphs are separated by blank lines: as many as the text format's lines.
    assert_eq!(md.trim_end().split("\n\n").count(), text.lines().count());
}

#[test]
fn speaker_and_date_line_only_when_asked() {
    let plain = taiping(&[]);
    assert!(plain.lines().nth(1) == Some("同志们："));
    let named = taiping(&["--speaker", "李明", "--date", "2026-11-25"]);
    assert_eq!(named.lines().nth(1), Some("李明（2026年11月25日）"));
    let same = taiping(&["--speaker", "李明", "--date", "2026年11月25日"]);
    assert_eq!(named, same);
    let placeholder = taiping(&["--byline"]);
    let line = placeholder.lines().nth(1).unwrap();
    assert!(
        line.starts_with("×××（20") && line.ends_with("日）"),
        "{line}"
    );
    let md = taiping(&["--format", "markdown", "--date", "2026-11-25", "--byline"]);
    assert!(md.contains("\n\n×××（2026年11月25日）\n\n同志们："), "{md}");
}

#[test]
fn json_with_speaker_line_and_traditional_script_keeps_spans_on_their_words() {
    let tw = |s: &str| {
        speechgen::render::script::convert_str(s, speechgen::render::script::Script::Taiwan)
            .unwrap()
    };
    let json =
        |extra: &[&str]| -> serde_json::Value { serde_json::from_str(&taiping(extra)).unwrap() };
    let converted = json(&["--format", "json", "--script", "tw", "--speaker", "李明"]);
    let simplified = json(&["--format", "json", "--speaker", "李明"]);
    let text = converted["text"].as_str().unwrap();
    assert_eq!(
        text,
        taiping(&["--script", "tw", "--speaker", "李明"]),
        "json text = text format"
    );
    let chars: Vec<char> = text.chars().collect();
    let simplified_chars: Vec<char> = simplified["text"].as_str().unwrap().chars().collect();
    let spans = converted["spans"].as_array().unwrap();
    let simplified_spans = simplified["spans"].as_array().unwrap();
    assert_eq!(spans.len(), simplified_spans.len());
    let mut kinds = std::collections::BTreeSet::new();
    for (span, original) in spans.iter().zip(simplified_spans) {
        let range = |span: &serde_json::Value| {
            span["start"].as_u64().unwrap() as usize..span["end"].as_u64().unwrap() as usize
        };
        let covered: String = chars[range(span)].iter().collect();
        let before: String = simplified_chars[range(original)].iter().collect();
        let kind = span["kind"].as_str().unwrap();
        kinds.insert(kind.to_string());
        assert_eq!(kind, original["kind"].as_str().unwrap());
        // The span covers the conversion of the words it covered in Simplified.
        assert_eq!(covered, tw(&before), "{kind}");
        match kind {
            "title" => assert_eq!(covered, converted["title"].as_str().unwrap()),
            "byline" => assert_eq!(covered, "李明"),
            "locality" => assert_eq!(
                span["place"].as_str().unwrap(),
                tw(original["place"].as_str().unwrap())
            ),
            _ => {}
        }
    }
    assert!(kinds.contains("byline") && kinds.contains("locality"));
    assert!(text.contains("太平鎮"));
}

#[test]
fn traditional_draft_has_no_simplified_only_characters() {
    let simplified = taiping(&[]);
    for (script, config, back) in [
        ("traditional", BuiltinConfig::S2t, BuiltinConfig::T2s),
        ("hk", BuiltinConfig::S2hk, BuiltinConfig::Hk2s),
        ("tw", BuiltinConfig::S2tw, BuiltinConfig::Tw2s),
    ] {
        let draft = taiping(&["--script", script]);
        let title = draft.lines().next().unwrap();
        assert_ne!(
            title,
            simplified.lines().next().unwrap(),
            "{script}: {title}"
        );
        // It was converted: back to Simplified it is the Simplified draft again…
        assert_ne!(draft, simplified);
        // (The way back is not exact where one Traditional form stands for two
        // Simplified ones: Taiwan writes 著 for both 著 and 着, and tw2s picks 着, so
        // 见微知著 comes back as 见微知着.)
        let back = OpenCC::from_config(back).unwrap().convert(&draft);
        assert_eq!(back.chars().count(), simplified.chars().count(), "{script}");
        for (b, s) in back.chars().zip(simplified.chars()) {
            assert!(
                b == s || (s, b) == ('著', '着'),
                "{script}: {s} came back as {b}"
            );
        }
        // …and wherever it kept a character that OpenCC converts on its own, that
        // character is also Traditional in its word (鄰里).
        let alone = OpenCC::from_config(config).unwrap();
        let simplified_chars: Vec<char> = simplified.chars().collect();
        let draft_chars: Vec<char> = draft.chars().collect();
        assert_eq!(simplified_chars.len(), draft_chars.len());
        for (i, (&s, &t)) in simplified_chars.iter().zip(&draft_chars).enumerate() {
            if s == t && alone.convert(&s.to_string()) != s.to_string() {
                let context: String = draft_chars
                    [i.saturating_sub(4)..(i + 4).min(draft_chars.len())]
                    .iter()
                    .collect();
                // 鄰里, and 托 in 托育 (託 is 委託's), are Traditional as they stand.
                assert!(
                    ['里', '托'].contains(&s),
                    "{script}: {s} left in “{context}”"
                );
            }
        }
        for c in [
            '们', '这', '发', '义', '乡', '县', '会', '镇', '众', '为', '党',
        ] {
            assert!(!draft.contains(c), "{script}: {c} left");
        }
    }
    // Standard Traditional keeps OpenCC's forms, Taiwan its own.
    assert!(taiping(&["--script", "traditional"]).contains("羣衆"));
    assert!(taiping(&["--script", "tw"]).contains("群眾"));
}

#[test]
fn explain_names_the_slot_and_alternative_under_every_paragraph() {
    let text = taiping(&[]);
    let explained = taiping(&["--explain"]);
    let lines: Vec<&str> = explained.lines().collect();
    assert_eq!(lines.len(), 2 * text.lines().count());
    for (pair, original) in lines.chunks(2).zip(text.lines()) {
        assert_eq!(pair[0], original);
        assert!(pair[1].starts_with("  ⟵ "), "{}", pair[1]);
    }
    assert!(lines[1].starts_with("  ⟵ title#"), "{}", lines[1]);
    assert_eq!(lines[3], "  ⟵ skeleton", "同志们： is the skeleton's own");
    assert!(explained.contains(".heading#"));
    // Every slot named exists in the pack.
    let pack = speechgen::pack::Pack::default_pack().unwrap();
    for note in lines.iter().skip(1).step_by(2) {
        for label in note.trim_start_matches("  ⟵ ").split(", ") {
            if label != "skeleton" {
                // slot#alternative, with （出处：…） after a sourced quotation.
                let label = label.split('（').next().unwrap();
                let (slot, alt) = label.rsplit_once('#').unwrap();
                let slot = pack.slots.get(slot).unwrap_or_else(|| panic!("{label}"));
                assert!(slot.alternatives.iter().any(|a| a.id == alt), "{label}");
            }
        }
    }
    // With -o it goes to the file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("explained.txt");
    let mut args = taiping_args();
    args.extend(["--explain".to_string(), "-o".to_string()]);
    speechgen().args(args).arg(&path).assert().success();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), explained);
    // Markdown hides it in comments.
    let md = taiping(&["--format", "markdown", "--explain"]);
    assert!(md.contains(".heading#"));
}

// ---- packs, completions, man ---------------------------------------------------------

#[test]
fn packs_lists_the_embedded_pack_and_a_folder_of_packs() {
    speechgen().arg("packs").assert().success().stdout(
        predicate::str::contains("mass-work")
            .and(predicate::str::contains("群众工作会议"))
            .and(predicate::str::contains("5 sections")),
    );
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good");
    std::fs::create_dir(&good).unwrap();
    common::copy_default_pack(&good);
    let text = std::fs::read_to_string(good.join("pack.yaml"))
        .unwrap()
        .replace("id: mass-work", "id: my-copy");
    std::fs::write(good.join("pack.yaml"), text).unwrap();
    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(broken.join("pack.yaml"), "id: [oops\n").unwrap();
    std::fs::create_dir(dir.path().join("not-a-pack")).unwrap();
    let listing = stdout_of(&["packs", "--pack-dir", dir.path().to_str().unwrap()]);
    assert!(listing.contains("my-copy"), "{listing}");
    assert!(
        listing.contains("not usable") && listing.contains("broken"),
        "{listing}"
    );
    assert!(!listing.contains("not-a-pack"), "{listing}");
    speechgen()
        .args(["packs", "--pack-dir", "/no/such/folder"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such folder"));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        assert!(
            script.contains("speechgen") && script.contains("locality"),
            "{shell}"
        );
    }
    speechgen().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_pages_on_stdout_and_into_a_folder() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH speechgen 1"), "{page}");
    assert!(page.contains("generate"));
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().to_str().unwrap();
    speechgen()
        .args(["man", "-o", folder])
        .assert()
        .success()
        .stderr(predicate::str::contains("speechgen-generate.1"));
    let generate = std::fs::read_to_string(dir.path().join("speechgen-generate.1")).unwrap();
    assert!(generate.contains("\\-\\-script") || generate.contains("--script"));
    std::fs::write(dir.path().join("speechgen.1"), "mine").unwrap();
    speechgen()
        .args(["man", "-o", folder])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("speechgen.1")).unwrap(),
        "mine"
    );
}

#[test]
fn man_creates_a_missing_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("share/man/man1");
    speechgen()
        .args(["man", "-o"])
        .arg(&folder)
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote"));
    assert!(folder.join("speechgen.1").is_file());
    assert!(folder.join("speechgen-batch.1").is_file());
    // A file where the folder should be is refused, and left as it was.
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "mine").unwrap();
    speechgen()
        .args(["man", "-o"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a folder"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}
