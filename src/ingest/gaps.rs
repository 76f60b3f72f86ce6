//! Numbers a site deleted: pages that strip digits leave `今年月日召开`, `全县有个村`,
//! `同比增长%`, `完成投资亿元`. Such a gap is marked `××` (a blank that `decompose` turns into
//! a meeting slot) so that a draft never says 全县有个村, and `clean` reports where it is.
//!
//! Only shapes that ordinary Chinese does not have are marked: 月 right before 日, a `%`
//! or 个百分点 with no number, and a count word (个, 万, 亿, 元, 户, 人次) right after a
//! verb of counting and before the thing counted. `有个别`, `近万人`, `万亩良田`, `元旦`
//! and `有个村的书记说` stay as written.

use crate::ingest::{word_at, word_before};

/// The blank written into a gap.
pub const GAP: &str = "××";

/// Digits, Chinese numerals and words that stand for a number (`数`, `几`, `多`).
fn is_number(c: char) -> bool {
    c.is_ascii_digit()
        || "０１２３４５６７８９.．〇零一二三四五六七八九十百千万亿两几数多余半".contains(c)
}

/// A blank a template or an earlier pass already left.
fn is_blank(c: char) -> bool {
    "Xx×*＊_＿○□".contains(c)
}

fn filled(c: Option<char>) -> bool {
    c.is_some_and(|c| is_number(c) || is_blank(c))
}

/// Verbs and words after which a count follows (`完成`, `新建`, `全县有`).
const COUNTING: [&str; 40] = [
    "完成", "实现", "新建", "建成", "新增", "累计", "涉及", "覆盖", "引进", "签约", "实施", "开工",
    "储备", "排查", "整改", "化解", "办结", "受理", "培训", "慰问", "走访", "组建", "成立", "培育",
    "改造", "硬化", "发放", "投资", "投入", "筹集", "争取", "拨付", "兑现", "收入", "增加", "减少",
    "达到", "超过", "共计", "合计",
];

/// 有 counts only after a whole (`全县有`, `共有`, `现有`); `还有个村的书记说` is speech.
fn counting_before(cs: &[char], at: usize) -> bool {
    if word_before(cs, at, &COUNTING) || word_before(cs, at, &["共", "计", "达", "辖", "约"]) {
        return true;
    }
    at >= 2
        && cs[at - 1] == '有'
        && (word_before(cs, at - 1, &["共", "现", "拥", "辖", "总", "其中"])
            || (at >= 3 && cs[at - 3] == '全'))
}

/// What a count of 个 counts in a speech.
const COUNTED_BY_GE: [&str; 24] = [
    "村",
    "行政村",
    "自然村",
    "社区",
    "村民小组",
    "企业",
    "项目",
    "合作社",
    "乡镇",
    "部门",
    "单位",
    "重点",
    "示范",
    "基地",
    "园区",
    "站",
    "支部",
    "党支部",
    "党组织",
    "工作组",
    "专班",
    "方面",
    "家庭农场",
    "小组",
];

/// Units a number of 万 or 亿 is counted in (`万元`, `亿元`, `万人次`).
const UNITS_AFTER_WAN: [&str; 7] = ["元", "人", "户", "吨", "平方米", "立方米", "千瓦"];

/// Where in `cs` a number is missing: the char index before which [`GAP`] goes.
fn gaps(cs: &[char]) -> Vec<usize> {
    let mut at = Vec::new();
    for i in 0..cs.len() {
        let prev = i.checked_sub(1).map(|p| cs[p]);
        let next = cs.get(i + 1).copied();
        match cs[i] {
            // 今年月日 → 今年××月××日; 3月日 → 3月××日; 2023年月15日 → 2023年××月15日.
            '月' if matches!(next, Some('日' | '号')) && prev != Some('岁') => {
                if !filled(prev) && !matches!(prev, Some('正' | '腊' | '日')) {
                    at.push(i);
                }
                at.push(i + 1);
            }
            '月' if prev == Some('年') && next.is_some_and(|c| c.is_ascii_digit()) => {
                at.push(i);
            }
            // 同比增长% and 提高个百分点.
            '%' | '％' if !filled(prev) && prev.is_some_and(|c| !c.is_ascii()) => at.push(i),
            '个' if word_at(cs, i + 1, &["百分点"]) && !filled(prev) => at.push(i),
            '个' if counting_before(cs, i) && word_at(cs, i + 1, &COUNTED_BY_GE) => at.push(i),
            '万' | '亿'
                if counting_before(cs, i)
                    && !matches!(prev, Some('近' | '上' | '超' | '过' | '逾' | '成'))
                    && word_at(cs, i + 1, &UNITS_AFTER_WAN) =>
            {
                at.push(i)
            }
            // 人均收入元, 发放补助元 (but 元旦, 元月, 单元).
            '元' if word_before(
                cs,
                i,
                &["收入", "补助", "奖励", "资助", "人均", "发放", "投资"],
            ) && next.is_none_or(|c| !"旦宵月素老首帅年气件器宝".contains(c)) =>
            {
                at.push(i)
            }
            // 培训人次, 惠及户群众.
            '人' if word_before(
                cs,
                i,
                &[
                    "培训", "慰问", "救助", "安置", "转移", "惠及", "带动", "吸纳",
                ],
            ) && next == Some('次') =>
            {
                at.push(i)
            }
            '户' if word_before(
                cs,
                i,
                &["惠及", "帮扶", "覆盖", "涉及", "走访", "慰问", "救助"],
            ) && next
                .is_none_or(|c| "，。；、".contains(c) || c == '群' || c == '农' || c == '居') =>
            {
                at.push(i)
            }
            _ => {}
        }
    }
    at
}

/// The line with every gap marked [`GAP`], and the 0-based char columns (in the new line)
/// where the marks start.
pub fn mark_missing_numbers(line: &str) -> (String, Vec<usize>) {
    let cs: Vec<char> = line.chars().collect();
    let at = gaps(&cs);
    if at.is_empty() {
        return (line.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(line.len() + at.len() * GAP.len());
    let mut columns = Vec::with_capacity(at.len());
    let gap_chars = GAP.chars().count();
    for (i, &c) in cs.iter().enumerate() {
        if at.contains(&i) {
            columns.push(i + columns.len() * gap_chars);
            out.push_str(GAP);
        }
        out.push(c);
    }
    (out, columns)
}

#[cfg(test)]
mod tests {
    use super::mark_missing_numbers;

    fn marked(line: &str) -> String {
        mark_missing_numbers(line).0
    }

    #[test]
    fn deleted_numbers_are_marked() {
        assert_eq!(
            marked("今年月日，邻县发生一起事故。"),
            "今年××月××日，邻县发生一起事故。"
        );
        assert_eq!(marked("3月日召开"), "3月××日召开");
        assert_eq!(marked("2023年月15日"), "2023年××月15日");
        assert_eq!(
            marked("全县有个村还没有建立台账"),
            "全县有××个村还没有建立台账"
        );
        assert_eq!(
            marked("同比增长%，提高个百分点"),
            "同比增长××%，提高××个百分点"
        );
        assert_eq!(
            marked("完成投资亿元，新建个项目"),
            "完成投资××亿元，新建××个项目"
        );
        assert_eq!(marked("人均收入元，培训人次"), "人均收入××元，培训××人次");
        assert_eq!(marked("人均收入元的目标"), "人均收入××元的目标");
        let (_, columns) = mark_missing_numbers("今年月日");
        assert_eq!(columns, [2, 5]);
    }

    #[test]
    fn ordinary_words_stay() {
        for line in [
            "有个别干部作风不实，还有个村的书记跟我说，近万人受益，打造万亩良田。",
            "元旦春节期间，每月、逐月、本月召开，岁月日新。",
            "同比增长5.2%，提高3个百分点，全县有12个村，完成投资1.5亿元，今年3月15日。",
            "×××同志，XX个村，__月__日，上万人参加，人民群众，单元楼道。",
        ] {
            assert_eq!(marked(line), line);
        }
    }
}
