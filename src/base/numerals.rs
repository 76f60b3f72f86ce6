//! Chinese numerals: writing computed counts and numbering (三种意识, 第一, 一是) and
//! reading the numerals of headings (`ingest` finds 一、 and 第十二， with them).

use chinese_number::{ChineseCase, ChineseCountMethod, ChineseVariant, NumberToChinese};

/// Full-width digits (０–９, as typed with a Chinese input method) as ASCII digits; other
/// characters unchanged.
pub fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// 1 → 一, 10 → 十, 12 → 十二; numbers below 1 fall back to Arabic digits (never shown
/// by a valid pack, but never a panic either).
pub fn cn(n: i64) -> String {
    if n < 1 {
        return n.to_string();
    }
    n.to_chinese(
        ChineseVariant::Simple,
        ChineseCase::Lower,
        ChineseCountMethod::TenThousand,
    )
    .unwrap_or_else(|_| n.to_string())
}

/// A count before a measure word or noun, as a speech says it: 两种意识, 两个方面,
/// 两到位 — 2 is 两 here, never 二 (二 is for numbering: 第二, 二是, and inside larger
/// numbers: 十二, 二十). Every other number is [`cn`].
pub fn count(n: i64) -> String {
    if n == 2 { "两".to_string() } else { cn(n) }
}

fn cn_digit(c: char) -> Option<usize> {
    "一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p + 1)
}

/// A Chinese numeral 一…九十九 at `i`: (value, length in chars).
pub fn cn_numeral(cs: &[char], i: usize) -> Option<(usize, usize)> {
    let c0 = *cs.get(i)?;
    if c0 == '十' {
        return match cs.get(i + 1).copied().and_then(cn_digit) {
            Some(d) => Some((10 + d, 2)),
            None => Some((10, 1)),
        };
    }
    let d0 = cn_digit(c0)?;
    if cs.get(i + 1) == Some(&'十') {
        return match cs.get(i + 2).copied().and_then(cn_digit) {
            Some(d) => Some((d0 * 10 + d, 3)),
            None => Some((d0 * 10, 2)),
        };
    }
    Some((d0, 1))
}

#[cfg(test)]
mod tests {
    use super::cn;

    #[test]
    fn small_numbers() {
        assert_eq!(cn(1), "一");
        assert_eq!(cn(3), "三");
        assert_eq!(cn(10), "十");
        assert_eq!(cn(12), "十二");
        assert_eq!(cn(0), "0");
    }

    #[test]
    fn two_as_a_count_is_liang() {
        use super::count;
        assert_eq!(count(2), "两");
        assert_eq!(count(3), "三");
        assert_eq!(count(12), "十二");
        assert_eq!(count(20), "二十");
    }
}
