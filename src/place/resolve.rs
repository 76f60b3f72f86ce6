//! From what a user types (--locality, --county, --level, a locality file) to the place a
//! draft is written for, through the gazetteer; and the `speechgen locality` report.

use serde::Serialize;

use crate::base::error::{Error, Result};
use crate::base::numerals::ascii_digits;
use crate::place::gazetteer::{AreaFilter, Gazetteer, Lookup, Place};
use crate::place::locality::{self, CountyKind, Level, Locality};

/// The seed speech's own place, used when no place is given.
pub const SEED_PLACE_CODE: &str = "530724208";

/// How the user named the place.
#[derive(Debug, Clone, Default)]
pub struct PlaceQuery {
    pub locality: Option<String>,
    pub county: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
    pub level: Option<String>,
    pub locality_file: Option<String>,
}

impl PlaceQuery {
    fn filter(&self) -> AreaFilter {
        AreaFilter {
            county: self.county.clone(),
            city: self.city.clone(),
            province: self.province.clone(),
        }
    }
}

/// A gazetteer place as a Locality, with its villages.
pub fn locality_of(place: &Place) -> Result<Locality> {
    let villages = Gazetteer::get()?.villages(place.township.code)?;
    Locality::from_place(place, &villages)
}

/// Resolves the place options of `generate` and `batch`.
pub fn resolve(query: &PlaceQuery) -> Result<Locality> {
    let forced = match &query.level {
        None => None,
        Some(text) => Some(Level::parse(text).ok_or_else(|| {
            Error::new(format!(
                "unknown level “{text}”: use one of 乡, 镇, 街道, 苏木, 场, 园区, 其他."
            ))
        })?),
    };
    let gazetteer = Gazetteer::get()?;
    let locality = query.locality.as_deref().map(ascii_digits);
    let mut loc = match (&query.locality_file, &locality) {
        (Some(_), Some(_)) => {
            return Err(Error::new(
                "give either --locality or --locality-file, not both (the file names the place itself).",
            ));
        }
        (Some(path), None) => {
            let bytes = crate::base::files::read_input(path)?;
            let (text, _) = crate::base::files::decode(&bytes);
            let shown = if path == "-" {
                "standard input"
            } else {
                path.as_str()
            };
            let mut loc = locality::parse_locality_file(shown, &text)?;
            complete_from_gazetteer(&mut loc, gazetteer)?;
            loc
        }
        (None, None) => {
            let place = gazetteer
                .by_code(SEED_PLACE_CODE)
                .ok_or_else(|| Error::new("the seed place is missing from the gazetteer"))?;
            locality_of(&place)?
        }
        (None, Some(name)) if name.trim().is_empty() => {
            return Err(Error::new(
                "--locality is empty: give a township's name (太平镇), path (宁蒗彝族自治县西布河乡) \
                 or 9-digit code, or leave --locality out for the seed's place.",
            ));
        }
        (None, Some(name)) if name.chars().any(char::is_control) || name.chars().count() > 80 => {
            // Checked before the gazetteer search: the name's own rules say what is wrong.
            return Err(Locality::with_level(name, Level::Zhen)
                .err()
                .unwrap_or_else(|| Error::new("the place name is not valid.")));
        }
        (None, Some(name)) => match forced {
            // A forced level is the way to write for a place the gazetteer does not know;
            // a known place keeps its facts and takes the level.
            Some(_) => match gazetteer.lookup(name, &query.filter()) {
                Lookup::Found(place) => locality_of(&place)?,
                _ => {
                    let mut loc = Locality::from_name(name)?;
                    if let Some(county) = &query.county {
                        loc.set_county(county);
                    }
                    loc.city = query.city.clone();
                    loc.province = query.province.clone();
                    loc
                }
            },
            None => locality_of(&gazetteer.resolve(name, &query.filter())?)?,
        },
    };
    if let Some(level) = forced {
        loc.relevel(level)?;
    }
    if query.locality_file.is_some()
        && let Some(county) = &query.county
    {
        loc.set_county(county);
    }
    Ok(loc)
}

/// Fills what a locality file leaves out (county, city, province, code, villages) from
/// the gazetteer when the file's place is found there unambiguously.
fn complete_from_gazetteer(loc: &mut Locality, gazetteer: &Gazetteer) -> Result<()> {
    let found = match &loc.code {
        Some(code) => gazetteer.by_code(code),
        None => {
            let filter = AreaFilter {
                county: loc.county.clone(),
                city: loc.city.clone(),
                province: loc.province.clone(),
            };
            match gazetteer.lookup(&loc.name, &filter) {
                Lookup::Found(place) => Some(place),
                _ => None,
            }
        }
    };
    let Some(place) = found else {
        return Ok(());
    };
    let known = locality_of(&place)?;
    if loc.county.is_none()
        && let Some(county) = &known.county
    {
        loc.set_county(county);
    }
    loc.city = loc.city.take().or(known.city);
    loc.province = loc.province.take().or(known.province);
    loc.code = loc.code.take().or(known.code);
    if loc.villages.is_empty() {
        loc.villages = known.villages;
    }
    for group in known.ethnic_groups {
        if !loc.ethnic_groups.contains(&group) {
            loc.ethnic_groups.push(group);
        }
    }
    loc.ethnic |= known.ethnic;
    Ok(())
}

/// What `speechgen locality` shows for a place.
#[derive(Serialize)]
pub struct PlaceReport {
    pub name: String,
    pub path: String,
    pub code: String,
    pub level: String,
    pub county: String,
    pub county_kind: String,
    pub ethnic_groups: Vec<String>,
    /// placeholder → this place's word
    pub words: Vec<(String, String)>,
    /// Every village or community, as people say them.
    pub villages: Vec<String>,
    /// The ones drafts may name in a sentence.
    pub villages_in_drafts: usize,
}

const SHOWN_WORDS: [&str; 14] = [
    "乡党委",
    "乡政府",
    "党委书记",
    "乡长",
    "全乡",
    "我乡",
    "村",
    "村委会",
    "村党支部",
    "乡村干部",
    "卫生院",
    "县委",
    "全县",
    "口号",
];

/// `speechgen locality QUERY [--county] [--city] [--province]`
pub fn report(query: &str, filter: &AreaFilter) -> Result<PlaceReport> {
    let gazetteer = Gazetteer::get()?;
    let place = gazetteer.resolve(&ascii_digits(query), filter)?;
    let all = gazetteer.villages(place.township.code)?;
    let loc = Locality::from_place(&place, &all)?;
    let level = match loc.level {
        Level::Xiang if loc.name.ends_with("族乡") => "民族乡".to_string(),
        Level::Sumu if loc.name.ends_with("族苏木") => "民族苏木".to_string(),
        level => level.label().to_string(),
    };
    Ok(PlaceReport {
        name: loc.name.clone(),
        path: place.path(),
        code: place.township.code.to_string(),
        level,
        county: place.county.name.to_string(),
        county_kind: CountyKind::describe(place.county.name).to_string(),
        ethnic_groups: loc.ethnic_groups.clone(),
        words: SHOWN_WORDS
            .iter()
            .filter_map(|k| Some((k.to_string(), loc.word(k)?)))
            .collect(),
        villages: all.iter().map(|v| v.to_string()).collect(),
        villages_in_drafts: loc.villages.len(),
    })
}

impl PlaceReport {
    pub fn to_text(&self) -> String {
        let mut out = format!("{}  {}\n", self.code, self.path);
        out.push_str(&format!(
            "层级 level: {}（{}下辖）\n",
            self.level, self.county_kind
        ));
        if !self.ethnic_groups.is_empty() {
            out.push_str(&format!(
                "民族 ethnic: {}（草稿加入民族团结内容）\n",
                self.ethnic_groups.join("、")
            ));
        }
        out.push_str("用语 words: ");
        out.push_str(
            &self
                .words
                .iter()
                .map(|(k, w)| format!("【{k}】{w}"))
                .collect::<Vec<_>>()
                .join(" "),
        );
        out.push('\n');
        out.push_str(&format!(
            "村、社区 villages ({}; {} usable in sentences): {}\n",
            self.villages.len(),
            self.villages_in_drafts,
            if self.villages.is_empty() {
                "—".to_string()
            } else {
                self.villages.join("、")
            }
        ));
        out
    }
}
