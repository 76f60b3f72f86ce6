//! The content rules every alternative must keep (docs/content-model.md), checked when a
//! pack loads: no dated formula, no count or list of the following parts written in
//! words (the engine computes them from what follows), no quotation without a source.
//! The seed speech's own wording (tag `seed`, used only by --faithful) is exempt: it is
//! reproduced as it was.

use std::sync::OnceLock;

use regex::Regex;

use crate::pack::{Alternative, SEED_TAG, Segment, Value};

/// Formulas of another era or plainly wrong (三大法宝 are 统一战线、武装斗争、党的建设, not
/// mass work); a draft for today must not use them.
pub const DATED_FORMULAS: [&str; 12] = [
    "又好又快",
    "科学发展",
    "跨越式发展",
    "跨越发展",
    "农业税",
    "上交提留",
    "三大法宝",
    "法制宣传",
    "专政",
    "团结稳定是福",
    "分裂动乱是祸",
    "构建和谐社会",
];

/// A count of the parts that follow, written in words (三种思想, 四个方面, 讲三点意见).
fn announcing_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            "([两二三四五六七八九十])(种思想|种意识|种观念|种倾向|个方面|点意见|点要求|点想法|点认识|项任务|个重点|到位|个一)",
        )
        .expect("valid regex")
    })
}

/// A sentence that puts words in someone's mouth or quotes a classic or a saying.
fn attribution_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            "(毛泽东|邓小平|江泽民|胡锦涛|习近平|周恩来|刘少奇|陈云|朱德|陈毅|焦裕禄|孔子|孟子|老子|荀子|管子|韩非|王充|郑板桥|刘备)[^。；]{0,8}(说|讲|指出|强调|告诫|写道|写过|提出)|《[^》]{1,20}》[^。；]{0,4}(讲|说|写道|指出|有言|中的)|(古人|先贤|俗话|常言|老话)(讲|说|道|云)",
        )
        .expect("valid regex")
    })
}

/// Whether a text quotes a person, a classic or a saying.
pub fn quotes_someone(text: &str) -> bool {
    attribution_re().is_match(text)
}

/// Checks one alternative; the message says what is wrong and how to fix it.
pub fn check_alternative(alt: &Alternative) -> Result<(), String> {
    if alt.tags.iter().any(|t| t == SEED_TAG) {
        return Ok(());
    }
    check_value(&alt.value, alt.source.is_some())
}

/// The literal text of a value (all wordings, placeholders left out), for word checks.
pub fn literal_text(value: &Value) -> String {
    let mut out = String::new();
    fn walk(value: &Value, out: &mut String) {
        match value {
            Value::Text(segments) => {
                for s in segments {
                    match s {
                        Segment::Literal(t, _) => out.push_str(t),
                        Segment::Choice(options) => out.push_str(&options.join("…")),
                        _ => out.push('…'),
                    }
                }
                out.push('…');
            }
            Value::List(items) | Value::Choose(items, _) => items.iter().for_each(|v| walk(v, out)),
            Value::Map(fields) => fields.iter().for_each(|(_, v)| walk(v, out)),
            Value::Meta(_) => {}
        }
    }
    walk(value, &mut out);
    out
}

fn check_value(value: &Value, sourced: bool) -> Result<(), String> {
    match value {
        Value::Text(segments) => {
            let text: String = segments
                .iter()
                .filter_map(|s| match s {
                    Segment::Literal(t, _) => Some(t.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("…");
            check_text(&text, sourced)
        }
        Value::List(items) | Value::Choose(items, _) => {
            items.iter().try_for_each(|v| check_value(v, sourced))
        }
        Value::Map(fields) => {
            let sourced = sourced || fields.iter().any(|(k, _)| k == "source");
            fields.iter().try_for_each(|(_, v)| check_value(v, sourced))
        }
        Value::Meta(_) => Ok(()),
    }
}

fn check_text(text: &str, sourced: bool) -> Result<(), String> {
    // A blank written into the text would be printed in every draft, asked for or not.
    if text.contains('〔') {
        return Err(
            "“〔…〕” is a blank written into the text, so every draft would print it; state the \
             fact through 【成绩】 or 【任务】 (tag facts-…: filled from --facts, marked only with \
             --placeholders), or reword the sentence so that it needs no local fact."
                .into(),
        );
    }
    if let Some(formula) = DATED_FORMULAS.iter().find(|f| text.contains(**f)) {
        return Err(format!(
            "“{formula}” is a dated or wrong formula; reword it in today's language (only the \
             seed's own wording, tagged [seed], may keep it)."
        ));
    }
    for m in announcing_re().find_iter(text) {
        let ordinal = text[..m.start()].ends_with('第');
        if !ordinal {
            return Err(format!(
                "“{}” counts the parts that follow in words; write 【N】 (the engine counts what \
                 is actually there: 两种, 三个方面) or 【列举】 for their labels, or announce nothing.",
                m.as_str()
            ));
        }
    }
    if !sourced && let Some(m) = attribution_re().find(text) {
        return Err(format!(
            "“{}…” quotes someone but the alternative has no `source:`; add the work or speech \
             and year (source: 毛泽东《关心群众生活，注意工作方法》（1934年）; 俗语 for a saying), or \
             drop the quotation.",
            m.as_str()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_a_reviewer_found() {
        assert!(check_text("推动经济社会又好又快发展。", false).is_err());
        assert!(check_text("首先要消除三种思想。", false).is_err());
        assert!(check_text("我讲两点意见。", false).is_err());
        assert!(check_text("这是第三点意见。", false).is_ok());
        assert!(check_text("首先要消除【N】种思想。", false).is_ok());
        assert!(check_text("毛泽东同志讲过，群众的小事也是大事。", false).is_err());
        assert!(check_text("毛泽东同志讲过，……", true).is_ok());
        assert!(check_text("俗话说，金杯银杯不如口碑。", false).is_err());
        assert!(check_text("群众的事再小也是大事。", false).is_ok());
        // A blank in a wording reaches every draft: the facts go through 【成绩】/【任务】.
        assert!(check_text("形势怎么看，〔待补：上一阶段的情况〕从这些情况看。", false).is_err());
    }
}
