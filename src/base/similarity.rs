//! The duplicate rate (查重率) of DESIGN §4: keep only ideographs, letters and digits;
//! the share of A's characters covered by a 13-character window that also occurs in B.

use std::collections::HashSet;

pub const WINDOW: usize = 13;

fn normalise(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// For each character of `a`, whether a `window`-character run of `b` covers it.
fn coverage(a: &[char], b: &[char], window: usize) -> Vec<bool> {
    let mut covered = vec![false; a.len()];
    if a.len() < window || b.len() < window {
        return covered;
    }
    let grams: HashSet<&[char]> = b.windows(window).collect();
    for (i, w) in a.windows(window).enumerate() {
        if grams.contains(w) {
            covered[i..i + window].iter_mut().for_each(|c| *c = true);
        }
    }
    covered
}

/// Share (0..=1) of `a`'s characters covered by `window`-character runs also in `b`.
pub fn duplicate_rate_with(a: &str, b: &str, window: usize) -> f64 {
    let a = normalise(a);
    if a.is_empty() {
        return 0.0;
    }
    let covered = coverage(&a, &normalise(b), window);
    covered.iter().filter(|&&c| c).count() as f64 / a.len() as f64
}

pub fn duplicate_rate(a: &str, b: &str) -> f64 {
    duplicate_rate_with(a, b, WINDOW)
}

/// A text prepared once for many comparisons (`variety` compares every pair of drafts).
pub struct Prepared {
    chars: Vec<char>,
    grams: HashSet<u64>,
}

fn gram_hash(window: &[char]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    window.hash(&mut hasher);
    hasher.finish()
}

impl Prepared {
    pub fn new(text: &str) -> Prepared {
        let chars = normalise(text);
        let grams = chars.windows(WINDOW).map(gram_hash).collect();
        Prepared { chars, grams }
    }

    /// The 13-character duplicate rate of this text against `other`.
    pub fn rate_against(&self, other: &Prepared) -> f64 {
        if self.chars.is_empty() {
            return 0.0;
        }
        let mut covered = vec![false; self.chars.len()];
        for (i, w) in self.chars.windows(WINDOW).enumerate() {
            if other.grams.contains(&gram_hash(w)) {
                covered[i..i + WINDOW].iter_mut().for_each(|c| *c = true);
            }
        }
        covered.iter().filter(|&&c| c).count() as f64 / self.chars.len() as f64
    }
}

/// Runs of `a` (as char ranges of the original text, punctuation included) covered by
/// 13-character windows that also occur in `b`: what `similarity --show` marks.
pub fn shared_runs(a: &str, b: &str) -> Vec<(usize, usize)> {
    let original: Vec<char> = a.chars().collect();
    let kept: Vec<usize> = (0..original.len())
        .filter(|&i| original[i].is_alphanumeric())
        .collect();
    let a_norm: Vec<char> = kept.iter().map(|&i| original[i]).collect();
    let covered = coverage(&a_norm, &normalise(b), WINDOW);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (k, &is_covered) in covered.iter().enumerate() {
        if !is_covered {
            continue;
        }
        let (start, end) = (kept[k], kept[k] + 1);
        match runs.last_mut() {
            // Extend across the punctuation between two covered characters.
            Some(last) if k > 0 && covered[k - 1] => last.1 = end,
            _ => runs.push((start, end)),
        }
    }
    runs
}

/// `text` with each shared run wrapped in ⟦…⟧.
pub fn mark_runs(text: &str, runs: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + runs.len() * 6);
    let mut next = runs.iter().peekable();
    let mut open_end = None;
    for (i, c) in text.chars().enumerate() {
        if let Some(&&(start, end)) = next.peek()
            && start == i
        {
            out.push('⟦');
            open_end = Some(end);
            next.next();
        }
        out.push(c);
        if open_end == Some(i + 1) {
            out.push('⟧');
            open_end = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepared_texts_give_the_same_rate() {
        let a = "群众工作是党的生命线，我们必须始终坚持从群众中来、到群众中去的工作方法。";
        let b = "我们必须始终坚持从群众中来、到群众中去，把群众工作做细做实。";
        let rate = Prepared::new(a).rate_against(&Prepared::new(b));
        assert!((rate - duplicate_rate(a, b)).abs() < 1e-12);
        assert!(rate > 0.3 && rate < 1.0, "{rate}");
    }

    #[test]
    fn shared_runs_are_marked_in_the_original_text() {
        let a = "开头不同。群众工作是我们党的政治优势、优良传统和看家本领。结尾";
        let b = "另一篇：群众工作是我们党的政治优势、优良传统和看家本领，完。";
        let marked = mark_runs(a, &shared_runs(a, b));
        assert_eq!(
            marked,
            "开头不同。⟦群众工作是我们党的政治优势、优良传统和看家本领⟧。结尾"
        );
        assert!(shared_runs(a, "毫不相干的一句话而已，共有十三个字以上吧").is_empty());
    }

    #[test]
    fn identical_and_disjoint() {
        let a = "群众工作是我们党的政治优势、优良传统和看家本领，也是党执政的三大法宝之一。";
        assert!((duplicate_rate(a, a) - 1.0).abs() < 1e-9);
        assert_eq!(
            duplicate_rate(a, "完全不同的一段文字内容没有任何重复的地方啊啊啊"),
            0.0
        );
        // Punctuation does not matter.
        let b = a.replace('，', "").replace('、', " ");
        assert!((duplicate_rate(a, &b) - 1.0).abs() < 1e-9);
    }
}
