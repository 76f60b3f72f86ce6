//! The speaker/date line printed under a speech's title (`--speaker`, `--date`,
//! `--byline`): `×××（2026年11月25日）`.
//!
//! A draft has no such line unless asked for. With `--byline` the missing parts are
//! filled with the placeholders a clerk replaces by hand (××× for the speaker, today's
//! date); with only `--speaker` or `--date` just the given part is printed.

use crate::base::error::{Error, Result};
use crate::draft::speech::Text;

/// The placeholder for an unnamed speaker.
pub const SPEAKER_PLACEHOLDER: &str = "×××";

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BylineRequest {
    pub speaker: Option<String>,
    /// As typed: 2026-11-25 or 2026年11月25日.
    pub date: Option<String>,
    /// Print the line even when parts are missing, with placeholders.
    pub placeholders: bool,
}

impl BylineRequest {
    /// The line to print, or `None` when none was asked for. A bad date is an error.
    pub fn line(&self) -> Result<Option<Text>> {
        let date = self.date.as_deref().map(parse_date).transpose()?;
        if self.speaker.is_none() && date.is_none() && !self.placeholders {
            return Ok(None);
        }
        let speaker = match &self.speaker {
            Some(name) if !name.trim().is_empty() => name.trim().to_string(),
            _ if self.placeholders => SPEAKER_PLACEHOLDER.to_string(),
            _ => String::new(),
        };
        let date = match date {
            Some(date) => Some(date),
            None if self.placeholders => Some(today()),
            None => None,
        };
        let mut line = speaker;
        if let Some(date) = date {
            line.push_str(&format!("（{}）", chinese_date(date)));
        }
        Ok(Some(Text::plain(&line)))
    }
}

/// A calendar date, checked (no 2月30日).
pub type Date = jiff::civil::Date;

/// Reads `2026-11-25`, `2026/11/25`, `2026.11.25` or `2026年11月25日` (full-width digits
/// too).
pub fn parse_date(input: &str) -> Result<Date> {
    let bad = |why: &str| {
        Error::new(format!(
            "--date “{input}” is not a date{why}: write it as 2026-11-25 or 2026年11月25日."
        ))
    };
    let ascii = crate::base::numerals::ascii_digits(input.trim());
    let body = ascii.strip_suffix('日').unwrap_or(&ascii);
    let parts: Vec<&str> = body.split(['-', '/', '.', '年', '月']).collect();
    let [year, month, day] = parts[..] else {
        return Err(bad(""));
    };
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i16>().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (number(year), number(month), number(day)) else {
        return Err(bad(""));
    };
    if year.len() != 4 {
        return Err(bad(" (the year needs four digits)"));
    }
    let (Ok(m), Ok(d)) = (i8::try_from(m), i8::try_from(d)) else {
        return Err(bad(" (no such month or day)"));
    };
    Date::new(y, m, d).map_err(|_| bad(" (no such day in the calendar)"))
}

/// The season tag of a meeting date (spring Mar–May, summer Jun–Aug, autumn Sep–Nov,
/// winter Dec–Feb): a 防汛 meeting in April prepares, in July it fights the flood.
pub fn season(date: Date) -> &'static str {
    match date.month() {
        3..=5 => "spring",
        6..=8 => "summer",
        9..=11 => "autumn",
        _ => "winter",
    }
}

/// `2026年11月25日`: the form official documents print (no leading zeros).
pub fn chinese_date(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// Today in the machine's time zone (a clerk in Beijing at 07:00 means today, not UTC's
/// yesterday).
fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_give_the_same_date() {
        let a = parse_date("2026-11-25").unwrap();
        let b = parse_date("2026年11月25日").unwrap();
        assert_eq!(a, b);
        assert_eq!(chinese_date(a), "2026年11月25日");
        assert_eq!(
            chinese_date(parse_date("２０２６年３月５日").unwrap()),
            "2026年3月5日"
        );
        assert_eq!(
            chinese_date(parse_date("2026/03/05").unwrap()),
            "2026年3月5日"
        );
    }

    #[test]
    fn bad_dates_are_clear_errors() {
        for bad in [
            "tomorrow",
            "2026-02-30",
            "2026-13-01",
            "26-11-25",
            "2026年11月",
            "",
        ] {
            let err = parse_date(bad).unwrap_err().to_string();
            assert!(err.contains("2026-11-25"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_line_appears_only_when_asked() {
        assert_eq!(BylineRequest::default().line().unwrap(), None);
        let both = BylineRequest {
            speaker: Some("张三".into()),
            date: Some("2026-11-25".into()),
            placeholders: false,
        };
        assert_eq!(both.line().unwrap().unwrap().text, "张三（2026年11月25日）");
        let only_speaker = BylineRequest {
            speaker: Some("张三".into()),
            ..Default::default()
        };
        assert_eq!(only_speaker.line().unwrap().unwrap().text, "张三");
        let placeholders = BylineRequest {
            placeholders: true,
            date: Some("2026-11-25".into()),
            ..Default::default()
        };
        assert_eq!(
            placeholders.line().unwrap().unwrap().text,
            "×××（2026年11月25日）"
        );
        let today = BylineRequest {
            placeholders: true,
            ..Default::default()
        }
        .line()
        .unwrap()
        .unwrap()
        .text;
        assert!(
            today.starts_with("×××（20") && today.ends_with("日）"),
            "{today}"
        );
    }
}
