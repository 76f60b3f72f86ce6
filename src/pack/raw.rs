//! A slot file as YAML gives it: slot names with their lines, and each alternative as a
//! plain tree of texts, numbers, lists and maps, before any of the pack's rules apply.
//!
//! This file is also compiled into `build.rs` (it uses nothing but serde, serde-saphyr
//! and indexmap): the build parses the embedded packs' slot files once and stores the
//! trees in the binary, with each text's forbidden-word mask, so that drafting from an
//! embedded pack parses no YAML and scans no text for those words.
//! Reading YAML was most of a single `generate`.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// One node of an alternative: a string, a whole number, a list or a map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RawNode {
    /// A text, and which of the profiles' forbidden word lists it uses when the build
    /// has found that (`place::forbidden::text_mask`; None when read from YAML, or when
    /// the text changed since, as 【会议】 does when the pack's meeting is put in).
    Text(
        #[serde(deserialize_with = "text_from_bytes")] String,
        Option<u32>,
    ),
    Number(i64),
    List(Vec<RawNode>),
    Map(IndexMap<String, RawNode>),
}

/// One slot as written: its name, the line of its name, and each alternative with the
/// line it starts on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawSlot {
    pub name: String,
    pub line: u32,
    pub alternatives: Vec<(u32, RawNode)>,
}

/// A slot file, its slots in file order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawSlotFile {
    pub slots: Vec<RawSlot>,
}

/// Parses a slot file's YAML.
pub fn parse_yaml(text: &str) -> Result<RawSlotFile, serde_saphyr::Error> {
    use serde_saphyr::Spanned;
    let raw: IndexMap<String, Spanned<Vec<Spanned<Yaml>>>> = serde_saphyr::from_str(text)?;
    Ok(RawSlotFile {
        slots: raw
            .into_iter()
            .map(|(name, alts)| RawSlot {
                name,
                line: alts.referenced.line() as u32,
                alternatives: alts
                    .value
                    .into_iter()
                    .map(|alt| (alt.referenced.line() as u32, alt.value.0))
                    .collect(),
            })
            .collect(),
    })
}

impl RawNode {
    /// Every text in the tree with `from` replaced by `to` (the pack's meeting name for
    /// 【会议】, which is the same in every draft of a pack).
    pub fn replace_text(&mut self, from: &str, to: &str) {
        match self {
            RawNode::Text(text, mask) => {
                if text.contains(from) {
                    *text = text.replace(from, to);
                    *mask = None;
                }
            }
            RawNode::Number(_) => {}
            RawNode::List(items) => items.iter_mut().for_each(|i| i.replace_text(from, to)),
            RawNode::Map(map) => map.values_mut().for_each(|v| v.replace_text(from, to)),
        }
    }

    /// Gives every text in the tree its word-list mask (the build, with
    /// `place::forbidden::text_mask`).
    pub fn set_masks(&mut self, mask: &dyn Fn(&str) -> u32) {
        match self {
            RawNode::Text(text, slot) => *slot = Some(mask(text)),
            RawNode::Number(_) => {}
            RawNode::List(items) => items.iter_mut().for_each(|i| i.set_masks(mask)),
            RawNode::Map(map) => map.values_mut().for_each(|v| v.set_masks(mask)),
        }
    }
}

impl RawSlotFile {
    /// Every text's word-list mask (see [`RawNode::set_masks`]).
    pub fn set_masks(&mut self, mask: &dyn Fn(&str) -> u32) {
        for slot in &mut self.slots {
            for (_, node) in &mut slot.alternatives {
                node.set_masks(mask);
            }
        }
    }
}

/// A stored text: the build wrote it from a `String`, so it is checked as UTF-8 with
/// simdutf8 (serde's own check of `String` took a tenth of a `generate`).
fn text_from_bytes<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    struct Bytes;
    impl<'de> serde::de::Visitor<'de> for Bytes {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a UTF-8 text")
        }
        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<String, E> {
            simdutf8::basic::from_utf8(v)
                .map(str::to_string)
                .map_err(|_| E::custom("a stored text is not UTF-8"))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    deserializer.deserialize_bytes(Bytes)
}

/// A node read from YAML straight from the parser's events. `#[serde(untagged)]` would
/// first buffer every node into serde's generic content and then try each variant on it;
/// `RawNode`'s own derived form is the compact one the build stores.
struct Yaml(RawNode);

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor).map(Yaml)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a text, a whole number, a list or a map")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Text(v.to_string(), None))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Text(v, None))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Number(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawNode, E> {
        i64::try_from(v)
            .map(RawNode::Number)
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Yaml(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawNode::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = IndexMap::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((key, Yaml(value))) = map.next_entry::<String, Yaml>()? {
            entries.insert(key, value);
        }
        Ok(RawNode::Map(entries))
    }
}

/// The index of the embedded slot files the build parsed (`OUT_DIR/slots.idx`): for each,
/// its path under `corpora/`, the length of the text it was parsed from (an entry whose
/// text differs is never used), and the byte range of its `RawSlotFile` in
/// `OUT_DIR/slots.bin`.
pub type PrebuiltIndex = Vec<(String, u64, u64, u64)>;
