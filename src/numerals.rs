//! Chinese numerals for computed counts and numbering (三种意识, 第一, 一是).

use chinese_number::{ChineseCase, ChineseCountMethod, ChineseVariant, NumberToChinese};

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
}
