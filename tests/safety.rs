//! Nothing lost: commands replace only what they wrote, never write through links or over
//! special files, and refuse before touching anything (issue: safe writes).

use assert_cmd::Command;
use std::path::Path;

const SEED: &str = "corpora/sources/000_fe6face1bb91762f.txt";

fn speechgen(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("speechgen")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn decompose_force_never_removes_files_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    std::fs::create_dir_all(out.join(".github/workflows")).unwrap();
    std::fs::create_dir_all(out.join("config")).unwrap();
    std::fs::write(out.join(".github/workflows/ci.yml"), "on: push\n").unwrap();
    std::fs::write(out.join("config/app.yaml"), "port: 8080\n").unwrap();
    let run = speechgen(&["decompose", SEED, "--out", out.to_str().unwrap(), "--force"]);
    assert!(!run.status.success());
    assert!(stderr(&run).contains("did not write"), "{}", stderr(&run));
    assert!(stderr(&run).contains("config/app.yaml"), "{}", stderr(&run));
    assert_eq!(
        std::fs::read_to_string(out.join(".github/workflows/ci.yml")).unwrap(),
        "on: push\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("config/app.yaml")).unwrap(),
        "port: 8080\n"
    );
    assert!(!out.join("pack.yaml").exists(), "nothing was written");
}

#[test]
fn decompose_force_replaces_its_own_pack_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    let out_s = out.to_str().unwrap();
    assert!(
        speechgen(&["decompose", SEED, "--out", out_s])
            .status
            .success()
    );
    std::fs::write(out.join("notes.txt"), "my notes\n").unwrap();
    std::fs::create_dir_all(out.join(".git")).unwrap();
    std::fs::write(out.join(".git/config.yml"), "x: 1\n").unwrap();
    std::fs::write(
        out.join("s1.yaml"),
        "# edited by hand, replaced by --force\n",
    )
    .unwrap();
    let again = speechgen(&["decompose", SEED, "--out", out_s, "--force"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "my notes\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join(".git/config.yml")).unwrap(),
        "x: 1\n"
    );
    assert!(
        !std::fs::read_to_string(out.join("s1.yaml"))
            .unwrap()
            .starts_with("# edited")
    );
    let faithful = speechgen(&[
        "generate",
        "--pack",
        out_s,
        "--faithful",
        "--locality",
        "红星乡",
        "--level",
        "乡",
    ]);
    assert!(faithful.status.success(), "{}", stderr(&faithful));
}

#[test]
fn decompose_does_not_write_through_a_linked_folder() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("keep.yaml"), "a: 1\n").unwrap();
    let link = dir.path().join("link");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    #[cfg(unix)]
    {
        let run = speechgen(&[
            "decompose",
            SEED,
            "--out",
            link.to_str().unwrap(),
            "--force",
        ]);
        assert!(!run.status.success());
        assert!(stderr(&run).contains("symbolic link"), "{}", stderr(&run));
        assert!(elsewhere.join("keep.yaml").exists());
        assert!(!elsewhere.join("pack.yaml").exists());
    }
}

#[cfg(unix)]
#[test]
fn output_refuses_fifos_and_links_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let run = speechgen(&[
        "generate",
        "--seed",
        "1",
        "-o",
        fifo.to_str().unwrap(),
        "--force",
    ]);
    assert!(!run.status.success());
    assert!(
        stderr(&run).contains("not a regular file"),
        "{}",
        stderr(&run)
    );
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(!meta.file_type().is_file(), "the FIFO is still a FIFO");

    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
    for force in [false, true] {
        let mut args = vec!["generate", "--seed", "1", "-o", dangling.to_str().unwrap()];
        if force {
            args.push("--force");
        }
        let run = speechgen(&args);
        assert!(!run.status.success());
        assert!(stderr(&run).contains("symbolic link"), "{}", stderr(&run));
        assert!(
            std::fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(!Path::new(&dir.path().join("nowhere")).exists());
    }
}

#[test]
fn dev_stdout_is_standard_output() {
    let run = speechgen(&["generate", "--seed", "1", "-o", "/dev/stdout"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(String::from_utf8_lossy(&run.stdout).contains("同志们："));
}

fn write_pack(dir: &Path, skeleton: &str, slots: &str) {
    std::fs::write(
        dir.join("pack.yaml"),
        "id: t\nname: 测试\nmeeting: 测试会议\nskeleton: speech.tera\n",
    )
    .unwrap();
    std::fs::write(dir.join("speech.tera"), skeleton).unwrap();
    std::fs::write(dir.join("slots.yaml"), slots).unwrap();
}

#[test]
fn slots_that_insert_each_other_twice_forty_deep_are_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut slots = String::new();
    for i in 0..41 {
        slots.push_str(&format!(
            "l{i}:\n  - 甲【@l{}】乙【@l{}】丙\n",
            i + 1,
            i + 1
        ));
    }
    slots.push_str("l41:\n  - 末\n");
    write_pack(dir.path(), "{{ <para text={s.l0} /> }}\n", &slots);
    let run = speechgen(&["check", dir.path().to_str().unwrap()]);
    assert!(!run.status.success());
    assert!(
        stderr(&run).contains("can expand to more than"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn a_skeleton_with_range_loops_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_pack(
        dir.path(),
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}{{ <para text={s.a} /> }}\n",
        "a:\n  - 同志们好。\n",
    );
    let run = speechgen(&["check", dir.path().to_str().unwrap()]);
    assert!(!run.status.success());
    assert!(stderr(&run).contains("range()"), "{}", stderr(&run));
}

#[test]
fn clean_removes_and_reports_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "同志们：\u{0}大家好\u{1b}[31m。\u{7}\n").unwrap();
    let run = speechgen(&["clean", input.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let out = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(out.contains("大家好。"));
    assert!(
        stderr(&run).contains("removed 3 control character(s)"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn bad_places_and_options_get_clear_refusals() {
    for (args, expected) in [
        (vec!["generate", "--locality", ""], "--locality is empty"),
        (vec!["generate", "--locality", "太平\u{7}镇"], "U+0007"),
        (
            vec!["corpus", "--count", "2", "-o", "-", "--threads", "20000"],
            "--threads 20000",
        ),
    ] {
        let run = speechgen(&args);
        assert!(!run.status.success(), "{args:?}");
        assert!(
            stderr(&run).contains(expected),
            "{args:?}: {}",
            stderr(&run)
        );
    }
    let long = "太".repeat(5_000) + "镇";
    let run = speechgen(&["generate", "--locality", &long]);
    assert!(stderr(&run).contains("at most 40"), "{}", stderr(&run));
    // Full-width digits are a code.
    let run = speechgen(&["locality", "５３０７２４２０８"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(String::from_utf8_lossy(&run.stdout).contains("西布河乡"));
}

#[test]
fn locality_file_fields_are_checked_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("place.yaml");
    std::fs::write(&file, "name: 太平镇\ncounty: \"宁陕\\n县\"\n").unwrap();
    let run = speechgen(&["generate", "--locality-file", file.to_str().unwrap()]);
    assert!(!run.status.success());
    assert!(
        stderr(&run).contains("place.yaml:2: `county` spans lines"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn corpus_to_a_closed_pipe_stops_promptly() {
    use std::io::Read;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("speechgen"))
        .args(["corpus", "--count", "1000000", "-o", "-", "--quiet"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The reader is gone (its end of the pipe was dropped above): a million documents
    // would take minutes; the writer must notice and stop.
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("corpus kept writing after its reader closed standard output");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn resume_refuses_a_partial_corpus_with_a_missing_or_altered_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.jsonl");
    let out_s = out.to_str().unwrap();
    assert!(
        speechgen(&["corpus", "--count", "20", "-o", out_s, "--quiet"])
            .status
            .success()
    );
    let full = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = full.lines().collect();
    let partial = dir.path().join("c.jsonl.partial");
    let owned = |part: &[&str]| part.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let mut altered = owned(&lines[..15]);
    altered[3] = altered[3].replacen("同志们", "同志门", 1);
    let cases = [
        // A middle line missing: the last line is still document 14.
        (
            [owned(&lines[..6]), owned(&lines[7..15])].concat(),
            "a line is missing, repeated or out of order",
        ),
        // A line altered by one character.
        (altered, "differs from what these options write"),
    ];
    for (kept, expected) in cases {
        std::fs::remove_file(&out).ok();
        std::fs::write(&partial, kept.join("\n") + "\n").unwrap();
        let run = speechgen(&[
            "corpus", "--count", "20", "-o", out_s, "--resume", "--quiet",
        ]);
        assert!(!run.status.success());
        assert!(stderr(&run).contains(expected), "{}", stderr(&run));
        assert!(!out.exists(), "an unproven partial file is never finished");
    }
    // An intact prefix is continued to exactly the full corpus.
    std::fs::write(&partial, lines[..15].join("\n") + "\n").unwrap();
    assert!(
        speechgen(&[
            "corpus", "--count", "20", "-o", out_s, "--resume", "--quiet"
        ])
        .status
        .success()
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), full);
}

#[test]
fn a_second_corpus_writer_is_told_another_run_is_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.jsonl");
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("speechgen"))
        .args([
            "corpus",
            "--count",
            "1000000",
            "--quiet",
            "-o",
            out.to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    let partial = dir.path().join("c.jsonl.partial");
    let started = std::time::Instant::now();
    while !partial.exists() && started.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    for extra in [None, Some("--force"), Some("--resume")] {
        let mut args = vec!["corpus", "--count", "1000000", "-o", out.to_str().unwrap()];
        args.extend(extra);
        let run = speechgen(&args);
        assert!(!run.status.success(), "{extra:?}");
        assert!(
            stderr(&run).contains("another speechgen corpus run is writing"),
            "{extra:?}: {}",
            stderr(&run)
        );
    }
    first.kill().unwrap();
    first.wait().unwrap();
}

#[test]
fn private_use_characters_in_a_locality_file_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("place.yaml");
    std::fs::write(&file, "name: 太平镇\nslogan: \"美丽\u{E000}太平\"\n").unwrap();
    let run = speechgen(&["generate", "--locality-file", file.to_str().unwrap()]);
    assert!(!run.status.success());
    assert!(
        stderr(&run).contains("place.yaml:2: `slogan` holds the invisible character U+E000"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn a_killed_runs_temporary_file_is_removed_by_the_next_write_and_nothing_else_is() {
    let dir = tempfile::tempdir().unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let leftover = dir.path().join(".speechgen-Ab12Cd.partial");
    let fresh = dir.path().join(".speechgen-Zz99Yy.partial");
    let mine = dir.path().join(".speechgen-notes.partial");
    for path in [&leftover, &fresh, &mine] {
        std::fs::write(path, "半截").unwrap();
    }
    for path in [&leftover, &mine] {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let out_path = dir.path().join("draft.txt");
    let out = speechgen(&["generate", "--seed", "1", "-o", out_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("left by an interrupted run"),
        "{}",
        stderr(&out)
    );
    assert!(!leftover.exists(), "the stale temporary file is removed");
    assert!(fresh.exists(), "a live run's temporary file is left alone");
    assert_eq!(
        std::fs::read_to_string(&mine).unwrap(),
        "半截",
        "the user's file is kept"
    );
    assert!(out_path.exists());
}
