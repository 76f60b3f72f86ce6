//! A slot's value as one draft fills it: the texts, lists and fields a skeleton reads.
//! Every slot of every draft is filled, so field names are borrowed from the pack and a
//! map's fields are kept in a vector in name order (the order of a JSON object, which is
//! what Tera sees) rather than in a map of owned strings. Tera gets the JSON form
//! ([`Fill::to_json`]) only when it renders.

use std::borrow::Cow;

use serde_json::Value as Json;

#[derive(Debug, Clone, PartialEq)]
pub enum Fill<'p> {
    /// A text with its provenance markers, and how many characters a reader sees of
    /// it (markers and their labels left out): the length planner sizes every text of
    /// every draft, so its builder counts them as it writes it.
    Text {
        text: Cow<'p, str>,
        shown: usize,
    },
    List(Vec<Fill<'p>>),
    /// Fields in ascending order of their names, each name once.
    Map(Vec<(&'p str, Fill<'p>)>),
}

impl<'p> Fill<'p> {
    /// Fields in any order, put in name order; of a name given twice the last is kept,
    /// as a JSON object keeps it.
    pub fn map(mut fields: Vec<(&'p str, Fill<'p>)>) -> Fill<'p> {
        if !fields.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable, so that of equal names the last stays last.
            fields.sort_by_key(|(name, _)| *name);
            // A name given twice is rare: the vector is rebuilt only then.
            if fields.windows(2).any(|pair| pair[0].0 == pair[1].0) {
                let mut unique: Vec<(&'p str, Fill<'p>)> = Vec::with_capacity(fields.len());
                for field in fields {
                    match unique.last_mut() {
                        Some(last) if last.0 == field.0 => *last = field,
                        _ => unique.push(field),
                    }
                }
                fields = unique;
            }
        }
        Fill::Map(fields)
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Fill::Text { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The field `name` of a map. A map has a handful of fields: read in turn, most
    /// are told apart by their length alone.
    pub fn field(&self, name: &str) -> Option<&Fill<'p>> {
        match self {
            Fill::Map(fields) => fields
                .iter()
                .find(|(field, _)| *field == name)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// Whether it says nothing: an empty text, list or map (Tera's falsy values).
    pub fn is_empty(&self) -> bool {
        match self {
            Fill::Text { text, .. } => text.is_empty(),
            Fill::List(items) => items.is_empty(),
            Fill::Map(fields) => fields.is_empty(),
        }
    }

    /// The JSON value Tera renders.
    pub fn to_json(&self) -> Json {
        match self {
            Fill::Text { text, .. } => Json::String(text.to_string()),
            Fill::List(items) => Json::Array(items.iter().map(Fill::to_json).collect()),
            Fill::Map(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(name, value)| (name.to_string(), value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// A text without markers (a pack's own words): every character is seen.
impl<'p> From<&'p str> for Fill<'p> {
    fn from(text: &'p str) -> Fill<'p> {
        Fill::Text {
            text: Cow::Borrowed(text),
            shown: text.chars().count(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_is_in_name_order_and_finds_its_fields() {
        let map = Fill::map(vec![("lead", "要".into()), ("body", "正文".into())]);
        assert_eq!(map.field("body").and_then(Fill::text), Some("正文"));
        assert_eq!(map.field("lead").and_then(Fill::text), Some("要"));
        assert_eq!(map.field("absent"), None);
        assert_eq!(
            map.to_json(),
            serde_json::json!({"body": "正文", "lead": "要"})
        );
    }

    #[test]
    fn of_a_name_given_twice_the_last_is_kept_as_json_keeps_it() {
        let map = Fill::map(vec![
            ("b", "1".into()),
            ("a", "2".into()),
            ("b", "3".into()),
        ]);
        assert_eq!(map.field("b").and_then(Fill::text), Some("3"));
        let json: Json = serde_json::from_str(r#"{"b": "1", "a": "2", "b": "3"}"#).unwrap();
        assert_eq!(map.to_json(), json);
    }

    #[test]
    fn empty_values_are_falsy() {
        assert!(Fill::from("").is_empty());
        assert!(Fill::List(Vec::new()).is_empty());
        assert!(Fill::map(Vec::new()).is_empty());
        assert!(!Fill::from("甲").is_empty());
    }
}
