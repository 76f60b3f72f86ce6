//! The duplicate rate (查重率) of DESIGN §4: keep only ideographs, letters and digits;
//! the share of A's characters covered by a 13-character window that also occurs in B.

use std::collections::HashSet;

pub const WINDOW: usize = 13;

fn normalise(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Share (0..=1) of `a`'s characters covered by `window`-character runs also in `b`.
pub fn duplicate_rate_with(a: &str, b: &str, window: usize) -> f64 {
    let a = normalise(a);
    let b = normalise(b);
    if a.is_empty() {
        return 0.0;
    }
    if a.len() < window || b.len() < window {
        return 0.0;
    }
    let grams: HashSet<&[char]> = b.windows(window).collect();
    let mut covered = vec![false; a.len()];
    for (i, w) in a.windows(window).enumerate() {
        if grams.contains(w) {
            covered[i..i + window].iter_mut().for_each(|c| *c = true);
        }
    }
    covered.iter().filter(|&&c| c).count() as f64 / a.len() as f64
}

pub fn duplicate_rate(a: &str, b: &str) -> f64 {
    duplicate_rate_with(a, b, WINDOW)
}

#[cfg(test)]
mod tests {
    use super::*;

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
