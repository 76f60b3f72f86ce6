//! Ingest: real documents in, packs out.
//!
//! Takes a speech as it comes (.txt in any encoding, .docx, text copied from a PDF or a
//! web page); `read` opens it, `clean` repairs the text (pinyin, chunk markers,
//! boilerplate, Traditional script, half-width punctuation; `gaps` marks the numbers a
//! site deleted), `outline` finds its
//! hierarchy, `placeholders` its blanks, and `decompose` turns it into a pack skeleton
//! that passes `check` and reproduces the source with `--faithful`.

pub mod clean;
pub mod decompose;
pub mod gaps;
pub mod outline;
pub mod placeholders;
pub mod read;

/// Whether one of `words` stands in `cs` at `at`.
pub(crate) fn word_at(cs: &[char], at: usize, words: &[&str]) -> bool {
    words.iter().any(|w| {
        let n = w.chars().count();
        cs.get(at..at + n)
            .is_some_and(|s| s.iter().copied().eq(w.chars()))
    })
}

/// Whether one of `words` ends in `cs` right before `at`.
pub(crate) fn word_before(cs: &[char], at: usize, words: &[&str]) -> bool {
    words.iter().any(|w| {
        let n = w.chars().count();
        at >= n && cs[at - n..at].iter().copied().eq(w.chars())
    })
}
