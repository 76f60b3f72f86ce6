//! A pack from documentation alone: the small pack printed in docs/pack-format.md is
//! written to a folder, and `check` and `generate --pack DIR` accept it.

use assert_cmd::Command;

fn speechgen(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("speechgen")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

const DOC: &str = include_str!("../docs/pack-format.md");

/// The files of the doc's small pack: each fenced block after a `<!-- file: NAME -->` line.
fn files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = DOC.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("<!-- file: ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap_or_default();
        assert!(
            fence.starts_with("```"),
            "{name}: a fenced block must follow"
        );
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        out.push((name.to_string(), body.join("\n") + "\n"));
    }
    out
}

#[test]
fn the_documented_small_pack_checks_and_generates() {
    let files = files();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["pack.yaml", "speech.tera", "frame.yaml", "points.yaml"]
    );
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let pack = dir.path().to_str().unwrap();
    let check = speechgen(&["check", pack]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("OK"));
    let out = speechgen(&[
        "generate",
        "--pack",
        pack,
        "--locality",
        "朱家角镇",
        "--seed",
        "2",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("朱家角镇冬季防火工作会议上的讲话"), "{text}");
    assert!(text.contains("一、") && text.contains("二、") && text.contains("第二，"));
    // The pack serves townships only: a city-core 街道 is refused with a reason.
    let refused = speechgen(&["generate", "--pack", pack, "--locality", "大栅栏街道"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("serves township"));
}
