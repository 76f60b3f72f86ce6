//! A bounded fuzz run in stable Rust (proptest as the engine): clean, outline, the Word
//! reader, locality and facts files and pack loading get arbitrary and mutated input and
//! must answer with a result or a clear error, never a panic, a hang or runaway memory.
//! CI runs `FUZZ_CASES` cases per target (default 500, well under a minute in all); a
//! longer run: `FUZZ_CASES=20000 cargo test --release --test fuzz`.

use proptest::prelude::*;
use speechgen::ingest::{clean, outline, read};
use speechgen::place::{facts, locality};

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500)
}

/// Pieces real documents are made of, so that random input reaches the deep paths.
const PIECES: &[&str] = &[
    "同志们：",
    "一、",
    "（一）",
    "(2)",
    "1、",
    "第一，",
    "一是",
    "二是要",
    "讲三点意见：",
    "。",
    "，",
    "\n",
    "\r\n",
    " ",
    "\u{3000}",
    "\t",
    "第1页 / 共5页",
    "返回首页",
    "【村】",
    "【@s1.p1】",
    "【N】",
    "{{",
    "}}",
    "{%",
    "%}",
    "：",
    ":",
    "\u{0}",
    "\u{1b}[31m",
    "\u{FEFF}",
    "\u{E000}",
    "要加强领导",
    "乡党委",
    "——",
    "…",
    "\"",
    "'",
    "name: 太平镇",
    "villages: [甲村]",
];

fn pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

/// Arbitrary bytes, or a zip header and then arbitrary bytes (the .docx reader).
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        prop::collection::vec(any::<u8>(), 0..400).prop_map(|mut b| {
            b.splice(0..0, *b"PK\x03\x04");
            b
        }),
        pieces().prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn clean_and_outline_take_any_text(text in pieces(), raw in bytes()) {
        for input in [text.into_bytes(), raw] {
            let report = clean::clean_bytes(&input);
            prop_assert!(!report.text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{:?}", report.text);
            let _ = outline::outline(&report.text);
            let _ = read::clean_document("fuzz.docx", &input);
        }
    }

    #[test]
    fn locality_and_facts_files_take_any_text(text in pieces(), raw in bytes()) {
        for source in [text, String::from_utf8_lossy(&raw).into_owned()] {
            let _ = locality::parse_locality_file("fuzz.yaml", &source);
            let _ = facts::parse_facts_file("fuzz.yaml", &source);
            let _ = locality::parse_locality_file("fuzz.yaml", &format!("name: 太平镇\n{source}"));
        }
    }

    #[test]
    fn pack_loading_takes_any_slot_file(slots in pieces(), skeleton in pieces()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pack.yaml"),
            "id: fuzz\nname: 测试\nmeeting: 测试会议\nskeleton: speech.tera\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("speech.tera"), format!("{{{{ <para text={{s.a}} /> }}}}\n{skeleton}")).unwrap();
        std::fs::write(dir.path().join("a.yaml"), format!("a:\n  - 同志们好。\n{slots}")).unwrap();
        let _ = speechgen::pack::Pack::load_dir(dir.path());
    }
}
