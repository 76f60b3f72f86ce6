//! The gazetteer through the CLI: `locality` and `generate --locality` resolve names,
//! paths and codes, list candidates for shared names and suggest near names.

use assert_cmd::Command;
use predicates::prelude::*;

fn speechgen() -> Command {
    Command::cargo_bin("speechgen").unwrap()
}

#[test]
fn locality_prints_path_code_level_words_and_villages() {
    speechgen()
        .args(["locality", "云南省丽江市宁蒗彝族自治县西布河乡"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("530724208  云南省 / 丽江市 / 宁蒗彝族自治县 / 西布河乡")
                .and(predicate::str::contains("层级 level: 乡（自治县下辖）"))
                .and(predicate::str::contains("【乡党委】乡党委"))
                .and(predicate::str::contains("彝族"))
                .and(predicate::str::contains("西布河村")),
        );
}

#[test]
fn a_shared_name_lists_candidates_and_fails_until_narrowed() {
    speechgen()
        .args(["locality", "城关镇"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("names 88 township-level units")
                .and(predicate::str::contains(
                    "610923100  陕西省 / 安康市 / 宁陕县 / 城关镇",
                ))
                .and(predicate::str::contains("--county")),
        );
    for args in [
        vec!["locality", "城关镇", "--county", "宁陕县"],
        vec!["locality", "城关镇", "--county", "宁陕"],
        vec!["locality", "610923100"],
        vec!["locality", "安康市宁陕县城关镇"],
    ] {
        speechgen()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains("610923100"));
    }
    speechgen()
        .args(["generate", "--locality", "城关镇"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("88"));
}

#[test]
fn an_unknown_name_suggests_real_ones_and_the_ways_out() {
    speechgen()
        .args(["locality", "西布合乡"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("not a township-level unit")
                .and(predicate::str::contains("西布河乡"))
                .and(predicate::str::contains("--level"))
                .and(predicate::str::contains("--locality-file")),
        );
    // A forced level writes for any name.
    speechgen()
        .args([
            "generate",
            "--locality",
            "幸福镇",
            "--level",
            "镇",
            "--seed",
            "1",
        ])
        .assert()
        .success()
        // The name is spoken (富裕幸福 in the call), the words are a 镇's.
        .stdout(predicate::str::contains("幸福").and(predicate::str::contains("镇党委")));
}

#[test]
fn drafts_name_the_county_and_real_villages() {
    let out = speechgen()
        .args(["generate", "--locality", "610923100", "--seed", "3"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("宁陕县"), "county not named");
    let report = speechgen()
        .args(["locality", "610923100", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let villages: Vec<&str> = v["villages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(
        villages.iter().any(|name| text.contains(name)),
        "no village named"
    );
}
