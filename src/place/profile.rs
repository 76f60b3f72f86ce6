//! What kind of place a draft is for, beyond its level: a 街道 in a city core is not a
//! 街道 of a county seat, a 农场 of the 农垦 system has no 县委 above it, a 林场 is about
//! 管护 and 防火. Alternatives are tagged by profile (`core`, `state-farm` …), and every
//! profile forbids the words its places do not have: an alternative using one is never
//! chosen there, and the property tests check that no draft shows one.

use serde::{Deserialize, Serialize};

use crate::place::forbidden::LISTS;
use crate::place::locality::{CountyKind, Level, Locality};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
#[value(rename_all = "kebab-case")]
pub enum Profile {
    /// 街道 of a 市辖区: 社区、物业、老旧小区.
    Core,
    /// A county seat: 街道 of a 县、县级市 or 旗, and 城关镇.
    Seat,
    /// An ordinary 乡 or 镇 with villages and farming.
    Township,
    /// 苏木 and 牧场: 草原、牧民、嘎查.
    Pastoral,
    /// 农场 and its 分场, under the 农垦 system.
    StateFarm,
    /// 林场: 管护、防火.
    Forest,
    /// 开发区、园区 run by a 管委会: 企业、项目.
    Zone,
    /// 办事处 and the other units.
    Other,
}

/// Profile tags, and the orthogonal tags of region and facts, with what they mean.
pub const PROFILE_TAGS: [(&str, &str); 20] = [
    ("core", "城市核心区的街道（市辖区的街道）"),
    ("seat", "县城：县、县级市、旗的街道和城关镇"),
    ("township", "一般乡镇（有村、有农业）"),
    ("pastoral", "牧区：苏木和牧场"),
    ("state-farm", "农垦系统的农场和分场"),
    ("forest", "国有林场"),
    ("zone", "开发区、园区、管委会"),
    ("other", "办事处等其他单位"),
    ("north", "北方供暖地区（取暖、供暖只在这里）"),
    ("coast", "东南沿海台风地区（台风只在这里）"),
    (
        "metro",
        "北京、上海、天津、广州、深圳（不写通村公路、危房改造、安全饮水）",
    ),
    ("beijing", "北京（接诉即办）"),
    (
        "facts-achievements",
        "事实文件写明了今年的成绩，或 --placeholders",
    ),
    ("facts-pilots", "事实文件写明了试点村，或 --placeholders"),
    ("facts-tasks", "事实文件写明了下一步任务，或 --placeholders"),
    ("facts-cases", "事实文件写明了典型案例，或 --placeholders"),
    ("spring", "春季（--date 在3至5月）"),
    ("summer", "夏季（--date 在6至8月）"),
    ("autumn", "秋季（--date 在9至11月）"),
    ("winter", "冬季（--date 在12至2月）"),
];

impl Profile {
    pub const ALL: [Profile; 8] = [
        Profile::Core,
        Profile::Seat,
        Profile::Township,
        Profile::Pastoral,
        Profile::StateFarm,
        Profile::Forest,
        Profile::Zone,
        Profile::Other,
    ];

    pub fn tag(self) -> &'static str {
        PROFILE_TAGS[self as usize].0
    }

    pub fn parse(text: &str) -> Option<Profile> {
        Profile::from_tag(text.trim())
    }

    /// The profile a tag names, word for word (a pack's tags are checked so at load).
    pub fn from_tag(tag: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.tag() == tag)
    }

    /// The profile a place's level, name and county imply.
    pub fn infer(loc: &Locality) -> Profile {
        match loc.level {
            Level::Jiedao if loc.county_kind == CountyKind::District => Profile::Core,
            Level::Jiedao => Profile::Seat,
            Level::Xiang | Level::Zhen if loc.short == "城关" || loc.name.ends_with("城关镇") => {
                Profile::Seat
            }
            Level::Xiang | Level::Zhen => Profile::Township,
            Level::Sumu => Profile::Pastoral,
            Level::Farm if loc.name.contains("林场") => Profile::Forest,
            Level::Farm if loc.name.contains("牧场") => Profile::Pastoral,
            Level::Farm => Profile::StateFarm,
            Level::Park => Profile::Zone,
            // 林业局 and 农场管理局 at township level are forest and farm enterprises.
            Level::Other if loc.name.contains("林业局") || loc.name.contains("林场") => {
                Profile::Forest
            }
            Level::Other if loc.name.contains("农场") => Profile::StateFarm,
            Level::Other => Profile::Other,
        }
    }
}

/// Provinces that heat in winter (north of the Qinling–Huai line, and the plateau).
const NORTH: [&str; 16] = [
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "山东",
    "河南",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "西藏",
];
/// Provinces where typhoons make landfall.
const COAST: [&str; 6] = ["上海", "浙江", "福建", "广东", "广西", "海南"];

fn province_in(loc: &Locality, list: &[&str]) -> bool {
    loc.province
        .as_deref()
        .is_some_and(|p| list.iter().any(|n| p.starts_with(n)))
}

pub fn is_north(loc: &Locality) -> bool {
    province_in(loc, &NORTH)
}

pub fn is_coast(loc: &Locality) -> bool {
    province_in(loc, &COAST)
}

pub fn is_beijing(loc: &Locality) -> bool {
    province_in(loc, &["北京"])
}

/// The big cities whose towns are suburbs, not countryside.
pub fn is_metro(loc: &Locality) -> bool {
    province_in(loc, &["北京", "上海", "天津"])
        || loc
            .city
            .as_deref()
            .is_some_and(|c| c == "广州市" || c == "深圳市")
}

/// When a word list applies to a place.
#[derive(Clone, Copy)]
enum Applies {
    Profile(Profile),
    NotNorth,
    NotCoast,
    NotBeijing,
    Metro,
    /// 街道, 园区 and other units without villages (the level, whatever the profile).
    NotRural,
}

/// Which places each word list of `place::forbidden::LISTS` is for (list i, bit i): an
/// alternative whose text uses one of its words is never chosen for such a place.
const APPLIES: [Applies; 13] = [
    Applies::Profile(Profile::Core),
    Applies::Profile(Profile::Seat),
    Applies::Profile(Profile::Township),
    Applies::Profile(Profile::Pastoral),
    Applies::Profile(Profile::StateFarm),
    Applies::Profile(Profile::Forest),
    Applies::Profile(Profile::Zone),
    Applies::Profile(Profile::Other),
    Applies::NotNorth,
    Applies::NotCoast,
    Applies::NotBeijing,
    Applies::NotRural,
    Applies::Metro,
];

/// The word lists that apply to this place (as a bit mask over `LISTS`).
pub fn forbidden_here(loc: &Locality) -> u32 {
    let profile = loc.profile();
    APPLIES
        .iter()
        .enumerate()
        .filter(|(_, applies)| match applies {
            Applies::Profile(p) => *p == profile,
            Applies::NotNorth => !is_north(loc),
            Applies::NotCoast => !is_coast(loc),
            Applies::NotBeijing => !is_beijing(loc),
            Applies::Metro => is_metro(loc),
            Applies::NotRural => !loc.level.is_rural(),
        })
        .fold(0, |mask, (i, _)| mask | 1 << i)
}

/// The forbidden words a text uses for this place (for checks and messages).
pub fn forbidden_in(text: &str, loc: &Locality) -> Vec<&'static str> {
    let here = forbidden_here(loc);
    LISTS
        .iter()
        .enumerate()
        .filter(|(i, _)| here & (1 << i) != 0)
        .flat_map(|(_, words)| words.iter().copied())
        .filter(|w| text.contains(w))
        .fold(Vec::new(), |mut found, w| {
            if !found.contains(&w) {
                found.push(w);
            }
            found
        })
}

/// Whether a tag of this module applies to the place (None: not one of these tags).
pub fn accepts(loc: &Locality, tag: &str) -> Option<bool> {
    if let Some(profile) = Profile::from_tag(tag) {
        return Some(loc.profile() == profile);
    }
    Some(match tag {
        "north" => is_north(loc),
        "coast" => is_coast(loc),
        "metro" => is_metro(loc),
        "beijing" => is_beijing(loc),
        "facts-achievements" => loc.placeholders || !loc.facts.achievements.is_empty(),
        "facts-pilots" => loc.placeholders || !loc.facts.pilots.is_empty(),
        "facts-tasks" => loc.placeholders || !loc.facts.tasks.is_empty(),
        "facts-cases" => loc.placeholders || !loc.facts.cases.is_empty(),
        "spring" | "summer" | "autumn" | "winter" => loc.season == Some(tag),
        _ => return None,
    })
}

/// One place of every profile, in regions that exercise every word list: what a pack
/// must be able to write for (`Pack::check_coverage`, `speechgen check`).
pub fn sample_places() -> Vec<Locality> {
    let make = |name: &str, county: &str, province: &str| {
        let mut loc = Locality::from_name(name).expect("sample names are valid");
        loc.set_county(county);
        loc.province = Some(province.to_string());
        loc
    };
    vec![
        make("东华门街道", "东城区", "北京市"),
        make("城东街道", "宁陕县", "陕西省"),
        make("城关镇", "宁陕县", "陕西省"),
        make("西布河乡", "宁蒗彝族自治县", "云南省"),
        make("朱家角镇", "青浦区", "上海市"),
        make("太平镇", "苍南县", "浙江省"),
        make("巴音苏木", "阿巴嘎旗", "内蒙古自治区"),
        make("八五二农场", "宝清县", "黑龙江省"),
        make("红旗林场", "汪清县", "吉林省"),
        make("某某牧场", "某某县", "青海省"),
        make("经济技术开发区", "某某区", "江苏省"),
        make("某某办事处", "某某县", "甘肃省"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_follow_level_name_and_county() {
        let mut jd = Locality::from_name("东华门街道").unwrap();
        jd.set_county("东城区");
        assert_eq!(jd.profile(), Profile::Core);
        jd.set_county("宁陕县");
        assert_eq!(jd.profile(), Profile::Seat);
        assert_eq!(
            Locality::from_name("城关镇").unwrap().profile(),
            Profile::Seat
        );
        assert_eq!(
            Locality::from_name("八五二农场").unwrap().profile(),
            Profile::StateFarm
        );
        assert_eq!(
            Locality::from_name("红旗林场").unwrap().profile(),
            Profile::Forest
        );
        assert_eq!(
            Locality::from_name("巴音苏木").unwrap().profile(),
            Profile::Pastoral
        );
        for p in Profile::ALL {
            assert_eq!(Profile::parse(p.tag()), Some(p));
        }
    }

    #[test]
    fn forbidden_words_are_per_place() {
        let mut jd = Locality::from_name("东华门街道").unwrap();
        jd.set_county("东城区");
        jd.province = Some("北京市".into());
        assert_eq!(forbidden_in("修通村公路，冬季取暖", &jd), vec!["通村公路"]);
        let mut south = Locality::from_name("太平镇").unwrap();
        south.province = Some("浙江省".into());
        assert_eq!(forbidden_in("冬季取暖，防御台风", &south), vec!["取暖"]);
        assert_ne!(
            crate::place::forbidden::plain_mask("物业") & forbidden_here(&south),
            0
        );
    }
}
