//! What the user knows about the place this year (`--facts FILE.yaml`). A draft claims
//! nothing about a real place that is not written here: results, named pilots and the
//! tasks ahead come from this file, or (with `--placeholders`) appear as 〔待补：…〕 markers
//! for the clerk to fill in, or the sentences that would need them are left out.

use serde::Deserialize;

use crate::base::error::{Error, Result};

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Facts {
    /// This year's achievements and figures, each a phrase (全镇地区生产总值增长6.5%).
    pub achievements: Vec<String>,
    /// Villages the meeting names as pilots.
    pub pilots: Vec<String>,
    /// The tasks ahead, each a phrase (完成12个村的人居环境整治).
    pub tasks: Vec<String>,
    /// Typical cases a 警示教育 speech names (each a phrase, as the discipline body
    /// published it): never invented, so they come only from here.
    pub cases: Vec<String>,
    /// Who speaks (署名), when the command line does not say.
    pub speaker: Option<String>,
    /// The meeting's date (2026年3月5日), when the command line does not say.
    pub date: Option<String>,
}

/// Opening and closing of a placeholder marker; the Word file highlights what is inside.
pub const MARK_OPEN: &str = "〔待补：";
pub const MARK_CLOSE: char = '〕';

impl Facts {
    /// The fact as a draft says it: the items joined, or a marker asking for them.
    pub fn say(&self, items: &[String], sep: &str, placeholders: bool, what: &str) -> String {
        if items.is_empty() {
            if placeholders {
                format!("{MARK_OPEN}{what}{MARK_CLOSE}")
            } else {
                String::new()
            }
        } else {
            items.join(sep)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsFile {
    #[serde(default)]
    achievements: Vec<String>,
    #[serde(default)]
    pilots: Vec<String>,
    #[serde(default)]
    tasks: Vec<String>,
    #[serde(default)]
    cases: Vec<String>,
    speaker: Option<String>,
    date: Option<String>,
}

/// Reads a facts file; errors name the file, the line and the fix.
pub fn parse_facts_file(path: &str, source: &str) -> Result<Facts> {
    let file: FactsFile = serde_saphyr::from_str(source).map_err(|e| {
        let line = e.location().map(|l| l.line() as usize).unwrap_or(0);
        let text = e.to_string();
        Error::at(
            path,
            line,
            format!(
                "this facts file is not valid: {}. A facts file has the lists achievements, \
                 pilots, tasks and cases and the lines speaker and date (see examples/facts.yaml).",
                text.lines().next().unwrap_or(&text)
            ),
        )
    })?;
    let check = |key: &str, items: &[String]| -> Result<()> {
        if let Some(item) = unsayable(items) {
            {
                return Err(Error::at(
                    path,
                    line_of(source, item),
                    format!(
                        "an item under `{key}` is empty, spans lines or holds 【】〔〕 or control \
                         characters: write each {key} item as one plain phrase."
                    ),
                ));
            }
        }
        Ok(())
    };
    check("achievements", &file.achievements)?;
    check("pilots", &file.pilots)?;
    check("tasks", &file.tasks)?;
    check("cases", &file.cases)?;
    let strip = tidy;
    Ok(Facts {
        achievements: strip(file.achievements),
        pilots: strip(file.pilots),
        tasks: strip(file.tasks),
        cases: strip(file.cases),
        speaker: file.speaker.map(|s| s.trim().to_string()),
        date: file.date.map(|s| s.trim().to_string()),
    })
}

/// The first item a draft cannot say: empty, spanning lines, holding 【】〔〕 (the pack's
/// own markers) or control characters.
pub fn unsayable(items: &[String]) -> Option<&String> {
    items.iter().find(|item| {
        item.trim().is_empty()
            || item.contains('\n')
            || item.contains(['【', '】', '〔', '〕'])
            || item.chars().any(char::is_control)
    })
}

/// Items as a draft joins them: trimmed, without a closing 。；，、.
pub fn tidy(items: Vec<String>) -> Vec<String> {
    items
        .into_iter()
        .map(|i| {
            i.trim()
                .trim_end_matches(['。', '；', '，', '、'])
                .to_string()
        })
        .collect()
}

fn line_of(source: &str, item: &str) -> usize {
    let probe = item.trim();
    source
        .lines()
        .position(|l| !probe.is_empty() && l.contains(probe))
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_says_facts() {
        let facts = parse_facts_file(
            "f.yaml",
            "achievements:\n  - 新建村级养老服务站3个。\n  - 完成农村道路改造12公里\npilots: [郭庄村]\n",
        )
        .unwrap();
        assert_eq!(
            facts.say(&facts.achievements, "，", false, "x"),
            "新建村级养老服务站3个，完成农村道路改造12公里"
        );
        assert_eq!(
            facts.say(&facts.tasks, "，", true, "下一步任务"),
            "〔待补：下一步任务〕"
        );
        assert_eq!(facts.say(&facts.tasks, "，", false, "下一步任务"), "");
        let err = parse_facts_file("f.yaml", "achivements: [a]\n").unwrap_err();
        assert!(err.message().starts_with("f.yaml"), "{err}");
        let err = parse_facts_file("f.yaml", "tasks:\n  - 【乡名】\n").unwrap_err();
        assert!(err.message().contains("f.yaml:2"), "{err}");
    }
}
