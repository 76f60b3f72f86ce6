//! Places: what a draft is written for, and the institutional words each kind of place
//! uses (DESIGN §5). Slot texts name these words as 【placeholders】 in the 乡 form
//! (【乡党委】, 【全乡】, 【村委会】…); `Locality::word` gives this place's own word.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
pub use crate::place::facts::Facts;
use crate::place::profile::Profile;

/// The township-level kind of a place, inferred from its name's suffix. On the command
/// line (`--level`) it is written as in Chinese: 乡, 镇, 街道, 苏木, 场, 园区, 其他.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
pub enum Level {
    /// 乡 and 民族乡
    #[serde(rename = "乡")]
    #[value(name = "乡", alias = "民族乡")]
    Xiang,
    /// 镇
    #[serde(rename = "镇")]
    #[value(name = "镇")]
    Zhen,
    /// 街道 / 街道办事处
    #[serde(rename = "街道")]
    #[value(name = "街道", alias = "街道办事处")]
    Jiedao,
    /// 苏木 (Inner Mongolia), with 嘎查 instead of 村
    #[serde(rename = "苏木")]
    #[value(name = "苏木", alias = "民族苏木")]
    Sumu,
    /// 农场, 林场, 牧场, 种畜场
    #[serde(rename = "场")]
    #[value(name = "场", alias = "农场", alias = "林场", alias = "牧场")]
    Farm,
    /// 开发区, 园区, 工业区, 管委会 …
    #[serde(rename = "园区")]
    #[value(name = "园区", alias = "开发区", alias = "管委会")]
    Park,
    /// 办事处 and anything else: a dignified generic wording
    #[serde(rename = "其他")]
    #[value(name = "其他", alias = "办事处")]
    Other,
}

impl Level {
    pub const ALL: [Level; 7] = [
        Level::Xiang,
        Level::Zhen,
        Level::Jiedao,
        Level::Sumu,
        Level::Farm,
        Level::Park,
        Level::Other,
    ];

    /// Infers the level from a place name's suffix (the kinds of the statistical
    /// division table: 镇, 乡, 街道, 苏木, farms of every sort, parks and zones; the rest,
    /// such as 办事处, 地区, 管理处, prisons and 兵团 regiments, is `Other`).
    pub fn infer(name: &str) -> Level {
        if name.ends_with("街道") || name.ends_with("街道办事处") {
            Level::Jiedao
        } else if name.ends_with("苏木") {
            Level::Sumu
        } else if name.ends_with('乡') {
            Level::Xiang
        } else if name.ends_with('镇') {
            Level::Zhen
        } else if is_farm(name) {
            Level::Farm
        } else if PARK_SUFFIXES.iter().any(|s| name.ends_with(s)) {
            Level::Park
        } else {
            Level::Other
        }
    }

    /// Parses a level given by the user (`乡`, `镇`, `街道`, `苏木`, `场`, `园区`, `其他`).
    pub fn parse(text: &str) -> Option<Level> {
        Some(match text.trim() {
            "乡" | "民族乡" | "xiang" => Level::Xiang,
            "镇" | "zhen" => Level::Zhen,
            "街道" | "街道办事处" | "jiedao" => Level::Jiedao,
            "苏木" | "民族苏木" | "sumu" => Level::Sumu,
            "场" | "农场" | "林场" | "牧场" | "farm" => Level::Farm,
            "园区" | "开发区" | "管委会" | "park" => Level::Park,
            "其他" | "办事处" | "other" => Level::Other,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Xiang => "乡",
            Level::Zhen => "镇",
            Level::Jiedao => "街道",
            Level::Sumu => "苏木",
            Level::Farm => "场",
            Level::Park => "园区",
            Level::Other => "其他",
        }
    }

    /// Places with villages (村, 嘎查, 分场) and farming: rural-tagged content fits them.
    pub fn is_rural(self) -> bool {
        matches!(self, Level::Xiang | Level::Zhen | Level::Sumu | Level::Farm)
    }

    /// The suffixes stripped from a full name to get the name people say (西布河乡 → 西布河).
    fn suffixes(self) -> &'static [&'static str] {
        match self {
            Level::Xiang => &["乡"],
            Level::Zhen => &["镇"],
            Level::Jiedao => &["街道办事处", "街道"],
            Level::Sumu => &["苏木"],
            Level::Farm => &[
                "种畜场",
                "良种场",
                "原种场",
                "垦殖场",
                "农牧场",
                "农场",
                "林场",
                "牧场",
                "渔场",
            ],
            Level::Park => PARK_SUFFIXES,
            Level::Other => &["街道办事处", "办事处", "地区"],
        }
    }
}

/// Zones run by a 管委会 and a 党工委.
const PARK_SUFFIXES: &[&str] = &[
    "管理委员会",
    "管委会",
    "开发区",
    "开发试验区",
    "园区",
    "工业区",
    "工业园",
    "产业园",
    "科技园",
    "创业园",
    "物流园",
    "商贸园",
    "度假区",
    "旅游区",
    "风景区",
    "新区",
    "新城",
    "示范区",
    "试验区",
    "实验区",
    "合作区",
    "经济区",
    "保税区",
    "高新区",
    "科技城",
];

/// Farms, forest farms, ranches, breeding and seed stations: 场 with 分场/生产队 below.
fn is_farm(name: &str) -> bool {
    const NOT_FARMS: [&str; 5] = ["广场", "市场", "商场", "机场", "会场"];
    name.ends_with('场') && !NOT_FARMS.iter().any(|s| name.ends_with(s))
}

/// The county-level unit above a township: decides 县委/区委/市委/旗委 and 全县/全区….
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CountyKind {
    #[serde(rename = "县")]
    County,
    #[serde(rename = "区")]
    District,
    #[serde(rename = "市")]
    City,
    #[serde(rename = "旗")]
    Banner,
    /// County-level units of their own kind (新城, 管理区, 行政委员会, 群岛): drafts say
    /// 上级党委 and 全区 rather than guess a title.
    #[serde(rename = "其他")]
    Other,
}

impl CountyKind {
    /// 县 and 自治县 → 县; 市辖区, 林区, 特区 → 区 (林区委, 特区委 are spoken as 区委);
    /// 县级市 → 市; 旗 and 自治旗 → 旗.
    pub fn infer(name: &str) -> CountyKind {
        if name.ends_with('旗') {
            CountyKind::Banner
        } else if name.ends_with('县') {
            CountyKind::County
        } else if name.ends_with('区') && !name.ends_with("管理区") {
            CountyKind::District
        } else if name.ends_with('市') {
            CountyKind::City
        } else {
            CountyKind::Other
        }
    }

    fn word(self) -> &'static str {
        match self {
            CountyKind::County => "县",
            CountyKind::District | CountyKind::Other => "区",
            CountyKind::City => "市",
            CountyKind::Banner => "旗",
        }
    }

    /// The kind as the statistical tables name it, for display: 自治县, 市辖区, 县级市….
    pub fn describe(name: &str) -> &'static str {
        const KINDS: [(&str, &str); 8] = [
            ("自治县", "自治县"),
            ("自治旗", "自治旗"),
            ("林区", "林区"),
            ("特区", "特区"),
            ("县", "县"),
            ("旗", "旗"),
            ("区", "市辖区"),
            ("市", "县级市"),
        ];
        KINDS
            .iter()
            .find(|(suffix, _)| name.ends_with(suffix) && !name.ends_with("管理区"))
            .map_or("其他县级单位", |(_, kind)| kind)
    }
}

/// A place a draft is written for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Locality {
    /// Full name as written in documents: 西布河乡.
    pub name: String,
    /// The name people say, without the level suffix: 西布河.
    pub short: String,
    pub level: Level,
    pub county: Option<String>,
    pub county_kind: CountyKind,
    pub city: Option<String>,
    pub province: Option<String>,
    /// 9-digit statistical division code, when known.
    pub code: Option<String>,
    /// Real villages or communities, when known.
    pub villages: Vec<String>,
    /// 民族乡 / 民族苏木 / inside an autonomous county or banner.
    pub ethnic: bool,
    /// 富裕西布河-style slogan; derived from the name when not given.
    pub slogan: Option<String>,
    pub industries: Vec<String>,
    pub landmarks: Vec<String>,
    /// The ethnic groups named by the township, county or city (彝族, 傈僳族…).
    pub ethnic_groups: Vec<String>,
    /// Words a locality file sets for this place, overriding the level's table
    /// (e.g. 党委书记: 镇党委书记, 乡长: 镇长).
    pub words: BTreeMap<String, String>,
    /// The kind of place, when a locality file states it (else inferred: [`Locality::profile`]).
    pub profile_override: Option<Profile>,
    /// What the user knows about this year (`--facts`): the only source of claims.
    pub facts: Facts,
    /// The season of the meeting's date (`--date`): spring, summer, autumn or winter; the
    /// alternatives tagged for it are preferred. None without a date.
    pub season: Option<&'static str>,
    /// `--placeholders`: where a real speech gives local facts the draft has none of, it
    /// says so with a 〔待补：…〕 marker instead of leaving the point out.
    pub placeholders: bool,
}

/// Every placeholder a slot text may use, in the 乡 form.
pub const PLACEHOLDERS: &[&str] = &[
    "地名",
    "乡名",
    "乡",
    "全乡",
    "我乡",
    "乡党委",
    "乡政府",
    "乡长",
    "党委书记",
    "乡村",
    "乡村干部",
    "村",
    "村委会",
    "村党支部",
    "卫生院",
    "农村",
    "农民",
    "农户",
    "农家",
    "县",
    "全县",
    "县委",
    "口号",
    // Local colour from the gazetteer or a locality file.
    "县名",
    "市名",
    "省名",
    "村名",
    "村名二",
    "村名三",
    "民族",
    "产业",
    "地标",
    // Facts from --facts (or 〔待补〕 markers with --placeholders).
    "成绩",
    "试点村",
    "任务",
    "案例",
];

/// Placeholders that need a fact about the place, and the tag an alternative using them
/// must carry so that it is only chosen where the fact is known.
pub const FACT_PLACEHOLDERS: [(&str, &[&str]); 9] = [
    ("村名", &["villages", "many-villages"]),
    ("村名二", &["many-villages"]),
    ("村名三", &["many-villages"]),
    ("产业", &["industries"]),
    ("地标", &["landmarks"]),
    ("成绩", &["facts-achievements"]),
    ("试点村", &["facts-pilots"]),
    ("任务", &["facts-tasks"]),
    ("案例", &["facts-cases"]),
];

/// Tags the engine understands, whatever the pack declares.
/// Any tag may be negated with `not-`: `not-ethnic`, `not-villages`.
pub const BUILT_IN_TAGS: [(&str, &str); 7] = [
    ("rural", "有村（嘎查、分场）的地方：乡、镇、苏木、农林牧场"),
    ("urban", "城市社区为主的地方：街道、开发区园区、其他"),
    (
        "ethnic",
        "民族乡、民族苏木和民族自治地方（自治县、自治旗、自治州）",
    ),
    (
        "villages",
        "知道至少一个真实村、社区名称的地方：可用【村名】",
    ),
    (
        "many-villages",
        "知道至少三个村、社区名称的地方：可用【村名】【村名二】【村名三】",
    ),
    ("industries", "地点文件写明了特色产业"),
    ("landmarks", "地点文件写明了地标"),
];

/// Placeholders that name a place: their fills become `locality` spans.
pub fn is_place_name(key: &str) -> bool {
    matches!(
        key,
        "地名" | "乡名" | "口号" | "县名" | "市名" | "省名" | "村名" | "村名二" | "村名三" | "地标"
    )
}

impl Locality {
    /// A place known only by its name: the level comes from the suffix.
    pub fn from_name(name: &str) -> Result<Locality> {
        Locality::with_level(name, Level::infer(name.trim()))
    }

    pub fn with_level(name: &str, level: Level) -> Result<Locality> {
        /// The longest township-level name (the gazetteer's longest is under 20).
        const MAX_NAME: usize = 40;
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::new(
                "the place name is empty: give a township name such as 太平镇 with --locality.",
            ));
        }
        if let Some(bad) = name.chars().find(|c| c.is_control() || is_private_use(*c)) {
            return Err(Error::new(format!(
                "the place name holds the invisible character U+{:04X}: type the name again \
                 (e.g. 太平镇) without control or private-use characters.",
                bad as u32
            )));
        }
        if name.chars().count() > MAX_NAME {
            return Err(Error::new(format!(
                "the place name has {} characters; a township's name has at most {MAX_NAME}. \
                 Give the name alone (e.g. 太平镇), and the county with --county.",
                name.chars().count()
            )));
        }
        if let Some(bad) = name
            .chars()
            .find(|c| c.is_whitespace() || c.is_ascii_punctuation())
        {
            return Err(Error::new(format!(
                "the place name “{name}” contains “{bad}”: write the name alone, e.g. 太平镇 \
                 (use --county to say which county)."
            )));
        }
        let short = level
            .suffixes()
            .iter()
            .find_map(|s| name.strip_suffix(s).filter(|rest| !rest.is_empty()))
            .unwrap_or(name)
            .to_string();
        let ethnic = name.contains("族乡") || name.contains("族苏木");
        Ok(Locality {
            name: name.to_string(),
            short,
            level,
            county: None,
            // Without a known county: 街道 and 园区 sit under a district (区委), the rest under a 县.
            county_kind: if matches!(level, Level::Jiedao | Level::Park) {
                CountyKind::District
            } else {
                CountyKind::County
            },
            city: None,
            province: None,
            code: None,
            villages: Vec::new(),
            ethnic,
            slogan: None,
            industries: Vec::new(),
            landmarks: Vec::new(),
            ethnic_groups: crate::place::gazetteer::split_ethnic(name)
                .map(|(_, groups)| groups)
                .unwrap_or_default(),
            words: BTreeMap::new(),
            profile_override: None,
            facts: Facts::default(),
            season: None,
            placeholders: false,
        })
    }

    /// A real township from the gazetteer, with its county, city, province, code and
    /// the villages or communities whose names read well in a sentence.
    pub fn from_place(
        place: &crate::place::gazetteer::Place,
        villages: &[&str],
    ) -> Result<Locality> {
        let mut loc = Locality::from_name(place.township.name)?;
        loc.set_county(place.county.name);
        if let Some(city) = place.city {
            loc.city = Some(city.name.to_string());
            if city.name.contains("自治") {
                loc.ethnic = true;
            }
        }
        loc.province = Some(place.province.name.to_string());
        loc.code = Some(place.township.code.to_string());
        loc.villages = villages
            .iter()
            .filter(|v| sayable_village(v))
            .map(|v| v.to_string())
            .collect();
        for area in [Some(place.county.name), place.city.map(|c| c.name)]
            .into_iter()
            .flatten()
        {
            if let Some((_, groups)) = crate::place::gazetteer::split_ethnic(area) {
                for group in groups {
                    if !loc.ethnic_groups.contains(&group) {
                        loc.ethnic_groups.push(group);
                    }
                }
            }
        }
        Ok(loc)
    }

    /// The seed's own place: 西布河乡, 宁蒗彝族自治县, 丽江市, 云南省.
    pub fn seed_default() -> Locality {
        let mut loc = Locality::with_level("西布河乡", Level::Xiang)
            .expect("the built-in default place name is valid");
        loc.set_county("宁蒗彝族自治县");
        loc.city = Some("丽江市".into());
        loc.province = Some("云南省".into());
        loc.code = Some("530724208".into());
        loc
    }

    /// Writes for this place as a place of another level (`--level`), keeping its facts.
    pub fn relevel(&mut self, level: Level) -> Result<()> {
        let fresh = Locality::with_level(&self.name, level)?;
        self.level = level;
        self.short = fresh.short;
        if self.county.is_none() {
            self.county_kind = fresh.county_kind;
        }
        Ok(())
    }

    pub fn set_county(&mut self, county: &str) {
        self.county_kind = CountyKind::infer(county);
        if county.contains("自治") {
            self.ethnic = true;
            if let Some((_, groups)) = crate::place::gazetteer::split_ethnic(county) {
                for group in groups {
                    if !self.ethnic_groups.contains(&group) {
                        self.ethnic_groups.push(group);
                    }
                }
            }
        }
        self.county = Some(county.to_string());
    }

    /// A stable key for seeding: the code when known, else the path of names.
    pub fn key(&self) -> String {
        match &self.code {
            Some(code) => code.clone(),
            None => format!(
                "{}/{}/{}",
                self.county.as_deref().unwrap_or(""),
                self.name,
                self.level.label()
            ),
        }
    }

    /// This place's word for a placeholder (None for an unknown placeholder).
    pub fn word(&self, key: &str) -> Option<String> {
        use Level::*;
        let level = self.level;
        let pick = |xiang: &str,
                    zhen: &str,
                    jiedao: &str,
                    sumu: &str,
                    farm: &str,
                    park: &str,
                    other: &str| {
            match level {
                Xiang => xiang,
                Zhen => zhen,
                Jiedao => jiedao,
                Sumu => sumu,
                Farm => farm,
                Park => park,
                Other => other,
            }
            .to_string()
        };
        if let Some(word) = self.words.get(key) {
            return Some(word.clone());
        }
        let county = self.county_kind.word();
        let office = self.other_office();
        Some(match key {
            "地名" => self.short.clone(),
            "乡名" => self.name.clone(),
            // A farm says 农场/林场/牧场 in full: “大事不出场” would read as “does not appear”.
            "乡" if level == Farm => Level::Farm
                .suffixes()
                .iter()
                .copied()
                .find(|s| self.name.ends_with(s))
                .unwrap_or("农场")
                .to_string(),
            "乡" => pick("乡", "镇", "街道", "苏木", "场", "园区", "辖区"),
            "全乡" => pick("全乡", "全镇", "全街道", "全苏木", "全场", "全区", "全辖区"),
            "我乡" => pick(
                "我乡",
                "我镇",
                "我们街道",
                "我苏木",
                "我场",
                "我区",
                "我们辖区",
            ),
            "乡党委" => pick(
                "乡党委",
                "镇党委",
                "街道党工委",
                "苏木党委",
                "场党委",
                "党工委",
                "党委",
            ),
            "乡政府" => pick(
                "乡人民政府",
                "镇人民政府",
                "街道办事处",
                "苏木人民政府",
                "场部",
                "管委会",
                office.0,
            ),
            "乡长" => pick(
                "乡长",
                "镇长",
                "办事处主任",
                "苏木达",
                "场长",
                "管委会主任",
                office.1,
            ),
            "党委书记" => pick(
                "乡党委书记",
                "镇党委书记",
                "街道党工委书记",
                "苏木党委书记",
                "场党委书记",
                "党工委书记",
                "党委书记",
            ),
            "乡村" => pick(
                "乡、村",
                "镇、村",
                "街道、社区",
                "苏木、嘎查",
                "场、分场",
                "园区、社区",
                "辖区、社区",
            ),
            "乡村干部" => pick(
                "乡村干部",
                "镇村干部",
                "街道社区干部",
                "苏木嘎查干部",
                "场队干部",
                "园区干部",
                "基层干部",
            ),
            "村" => pick("村", "村", "社区", "嘎查", "分场", "社区", "社区"),
            "村委会" => pick(
                "村委会",
                "村委会",
                "社区居委会",
                "嘎查委员会",
                "分场",
                "社区居委会",
                "社区居委会",
            ),
            "村党支部" => pick(
                "村党支部",
                "村党支部",
                "社区党支部",
                "嘎查党支部",
                "分场党支部",
                "社区党支部",
                "社区党支部",
            ),
            "卫生院" => pick(
                "乡卫生院",
                "镇卫生院",
                "社区卫生服务中心",
                "苏木卫生院",
                "场医院",
                "社区卫生服务中心",
                "社区卫生服务中心",
            ),
            "农村" => pick("农村", "农村", "社区", "牧区", "场区", "园区", "基层"),
            "农民" => pick("农民", "农民", "居民", "牧民", "职工", "职工", "居民"),
            "农户" => pick(
                "农户",
                "农户",
                "居民家庭",
                "牧户",
                "职工家庭",
                "企业",
                "居民家庭",
            ),
            "农家" => pick("农家", "农家", "社区", "牧家", "职工家", "企业", "社区"),
            "县" => county.to_string(),
            "全县" => format!("全{county}"),
            "县委" if self.county_kind == CountyKind::Other => "上级党委".to_string(),
            // A 农场 or 林场 answers to its 农垦 or 林业 system, not to the county it lies in.
            "县委" if level == Farm => "上级党委".to_string(),
            "县委" => format!("{county}委"),
            // Unknown county, city or province: the level's own collective word reads the
            // same in the sentences that name them (落实全县……会议精神).
            "县名" => self.county.clone().unwrap_or_else(|| format!("全{county}")),
            "市名" => self.city.clone().unwrap_or_else(|| "全市".to_string()),
            "省名" => self.province.clone().unwrap_or_else(|| "全省".to_string()),
            "村名" | "村名二" | "村名三" => {
                let i = ["村名", "村名二", "村名三"]
                    .iter()
                    .position(|k| *k == key)?;
                self.villages.get(i).cloned().unwrap_or_default()
            }
            "民族" => {
                if self.ethnic_groups.is_empty() {
                    "各族".to_string()
                } else {
                    self.ethnic_groups.join("、")
                }
            }
            "产业" => self
                .industries
                .iter()
                .take(2)
                .cloned()
                .collect::<Vec<_>>()
                .join("、"),
            "地标" => self.landmarks.first().cloned().unwrap_or_default(),
            "成绩" => self.facts.say(
                &self.facts.achievements,
                "，",
                self.placeholders,
                "今年以来完成的主要工作和取得的成绩",
            ),
            "试点村" => {
                self.facts
                    .say(&self.facts.pilots, "、", self.placeholders, "试点村名称")
            }
            "任务" => self.facts.say(
                &self.facts.tasks,
                "，",
                self.placeholders,
                "下一步的重点任务",
            ),
            "案例" => self.facts.say(
                &self.facts.cases,
                "；",
                self.placeholders,
                "本地或本系统查处的典型案例",
            ),
            "口号" => match &self.slogan {
                Some(slogan) => slogan.clone(),
                // A farm by its full name: 建设富裕友谊 would read "a rich friendship";
                // 现代化农场 is what a state farm is built into.
                None if level == Level::Farm => format!("现代化{}", self.name),
                // 富裕六合, not 富裕六合彝族: a slogan names the place, not its people.
                None if level.is_rural() => format!("富裕{}", self.plain_short()),
                // A zone is built up, not made happy: 现代化经济技术开发区, not 幸福经济技术.
                None if level == Level::Park => format!("现代化{}", self.name),
                None if level == Level::Other => format!("美好{}", self.name),
                None => format!("幸福{}", self.plain_short()),
            },
            _ => return None,
        })
    }

    /// The kind of place: stated by a locality file, or inferred from level, name, county.
    pub fn profile(&self) -> Profile {
        self.profile_override
            .unwrap_or_else(|| Profile::infer(self))
    }

    /// The short name without an ethnonym (六合彝族 → 六合).
    fn plain_short(&self) -> String {
        if !self.short.ends_with('族') {
            return self.short.clone();
        }
        crate::place::gazetteer::split_ethnic(&format!("{}乡", self.short))
            .map(|(stem, _)| stem)
            .filter(|stem| !stem.is_empty())
            .unwrap_or_else(|| self.short.clone())
    }

    /// Whether an alternative carrying `tag` may be used for this place.
    pub fn accepts_tag(&self, tag: &str) -> bool {
        if let Some(negated) = tag.strip_prefix("not-") {
            return !self.accepts_tag(negated);
        }
        if let Some(accepted) = crate::place::profile::accepts(self, tag) {
            return accepted;
        }
        match tag {
            "rural" => self.level.is_rural(),
            "urban" => !self.level.is_rural(),
            "ethnic" => self.ethnic,
            "villages" => !self.villages.is_empty(),
            // Three names, so that 【村名】【村名二】【村名三】 are always distinct.
            "many-villages" => self.villages.len() >= 3,
            "industries" => !self.industries.is_empty(),
            "landmarks" => !self.landmarks.is_empty(),
            _ => true,
        }
    }

    /// The office and the head of a unit of its own kind, named after its suffix where
    /// that says it (办事处, 管理处, 管理局…); otherwise a title no unit would object to.
    fn other_office(&self) -> (&'static str, &'static str) {
        const OFFICES: [(&str, &str, &str); 6] = [
            ("办事处", "办事处", "办事处主任"),
            ("地区", "办事处", "办事处主任"),
            ("管理处", "管理处", "管理处主任"),
            ("管理局", "管理局", "局长"),
            ("林业局", "林业局", "局长"),
            ("中心", "中心", "中心主任"),
        ];
        OFFICES
            .iter()
            .find(|(suffix, _, _)| self.name.ends_with(suffix))
            .map_or(
                ("管理机构", "行政负责同志"),
                |(_, office, head)| (office, head),
            )
    }

    /// Chooses three distinct village names for this draft (for 【村名】…), in a fixed
    /// order given the random stream: the same seed names the same villages.
    pub fn with_villages_chosen(&self, rng: &mut impl rand::Rng) -> Locality {
        let mut loc = self.clone();
        if loc.villages.len() > 3 {
            let picked = rand::seq::index::sample(rng, loc.villages.len(), 3);
            loc.villages = picked.iter().map(|i| self.villages[i].clone()).collect();
        }
        loc
    }
}

/// Whether a village name reads well inside a sentence: a plain name of a 村, 社区 or
/// 嘎查 (not 生活区, 管理区, 连队 or names with brackets).
pub fn sayable_village(name: &str) -> bool {
    let count = name.chars().count();
    (3..=9).contains(&count)
        && ["村", "社区", "嘎查"].iter().any(|s| name.ends_with(s))
        && name.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// A place described in a YAML file (`--locality-file`); see README “Locality file”.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocalityFile {
    name: String,
    level: Option<String>,
    short: Option<String>,
    county: Option<String>,
    city: Option<String>,
    province: Option<String>,
    code: Option<String>,
    #[serde(default)]
    villages: Vec<String>,
    ethnic: Option<bool>,
    slogan: Option<String>,
    #[serde(default)]
    industries: Vec<String>,
    #[serde(default)]
    landmarks: Vec<String>,
    /// Overrides of the level's words, e.g. officials' titles: `党委书记: 镇党委书记`.
    #[serde(default)]
    words: BTreeMap<String, String>,
    /// The kind of place (core, seat, township, pastoral, state-farm, forest, zone, other).
    profile: Option<String>,
}

/// Private-use characters (U+E000… and the supplementary planes): invisible, never a
/// place's words, and they would pass as internal markers.
fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// Reads a locality file; errors name the file and line.
pub fn parse_locality_file(path: &str, source: &str) -> Result<Locality> {
    let file: LocalityFile = serde_saphyr::from_str(source).map_err(|e| {
        let line = e.location().map(|l| l.line() as usize).unwrap_or(0);
        Error::at(
            path,
            line,
            format!(
                "this locality file is not valid: {}. A locality file needs at least `name: 太平镇`; \
                 optional fields are level, short, county, city, province, code, villages, ethnic, \
                 slogan, industries, landmarks, words, profile (see examples/locality-taiping.yaml).",
                first_line(&e.to_string())
            ),
        )
    })?;
    let level = match &file.level {
        None => Level::infer(&file.name),
        Some(text) => Level::parse(text).ok_or_else(|| {
            Error::at(
                path,
                line_of_key(source, "level"),
                format!("unknown level “{text}”: use one of 乡, 镇, 街道, 苏木, 场, 园区, 其他."),
            )
        })?,
    };
    let mut loc = Locality::with_level(&file.name, level).map_err(|e| Error::at(path, 0, e))?;
    // Every field is one plain phrase: a line break or a control character would break
    // the sentence (and the Word file's XML) it is put into.
    let fields = [
        ("short", file.short.iter().collect::<Vec<_>>()),
        ("county", file.county.iter().collect()),
        ("city", file.city.iter().collect()),
        ("province", file.province.iter().collect()),
        ("code", file.code.iter().collect()),
        ("slogan", file.slogan.iter().collect()),
        ("villages", file.villages.iter().collect()),
        ("industries", file.industries.iter().collect()),
        ("landmarks", file.landmarks.iter().collect()),
        ("words", file.words.values().collect()),
    ];
    for (key, values) in fields {
        for value in values {
            let problem = if value.trim().is_empty() {
                Some("is empty".to_string())
            } else if value.contains(['\n', '\r']) {
                Some("spans lines".to_string())
            } else if let Some(c) = value.chars().find(|c| c.is_control() || is_private_use(*c)) {
                Some(format!(
                    "holds the invisible character U+{:04X} (control or private use)",
                    c as u32
                ))
            } else if value.chars().count() > 60 {
                Some(format!(
                    "has {} characters (at most 60)",
                    value.chars().count()
                ))
            } else if value.contains(['【', '】']) {
                Some("holds 【】, which drafts read as a placeholder".to_string())
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(Error::at(
                    path,
                    line_of_key(source, key),
                    format!(
                        "`{key}` {problem}: write each {key} entry as one short plain phrase on \
                         one line, or drop it."
                    ),
                ));
            }
        }
    }
    if let Some(short) = file.short {
        loc.short = short;
    }
    if let Some(county) = &file.county {
        loc.set_county(county);
    }
    loc.city = file.city;
    loc.province = file.province;
    loc.code = file.code;
    loc.villages = file.villages;
    if let Some(ethnic) = file.ethnic {
        loc.ethnic = ethnic;
    }
    loc.slogan = file.slogan;
    if let Some(text) = &file.profile {
        loc.profile_override = Some(Profile::parse(text).ok_or_else(|| {
            Error::at(
                path,
                line_of_key(source, "profile"),
                format!(
                    "unknown profile “{text}”: use one of {}.",
                    Profile::ALL.map(|p| p.tag()).join(", ")
                ),
            )
        })?);
    }
    loc.industries = file.industries;
    loc.landmarks = file.landmarks;
    for (key, word) in file.words {
        if !PLACEHOLDERS.contains(&key.as_str()) || FACT_PLACEHOLDERS.iter().any(|(k, _)| *k == key)
        {
            return Err(Error::at(
                path,
                line_of_key(source, &key),
                format!(
                    "“{key}” under `words:` is not a word drafts use; the words a place may set are \
                     the placeholders of docs/pack-format.md, e.g. 党委书记, 乡长, 乡政府, 乡党委, 全乡."
                ),
            ));
        }
        if word.trim().is_empty() {
            return Err(Error::at(
                path,
                line_of_key(source, &key),
                format!(
                    "the word for “{key}” is empty: write the word, e.g. `{key}: …`, or drop the line."
                ),
            ));
        }
        loc.words.insert(key, word.trim().to_string());
    }
    Ok(loc)
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// 1-based line where `key:` is written at the start of a line (0 if not found).
fn line_of_key(source: &str, key: &str) -> usize {
    source
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.starts_with(':'))
        })
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_levels_from_suffixes() {
        assert_eq!(Level::infer("西布河乡"), Level::Xiang);
        assert_eq!(Level::infer("红桥彝族乡"), Level::Xiang);
        assert_eq!(Level::infer("太平镇"), Level::Zhen);
        assert_eq!(Level::infer("大栅栏街道"), Level::Jiedao);
        assert_eq!(Level::infer("朝阳街道办事处"), Level::Jiedao);
        assert_eq!(Level::infer("巴音苏木"), Level::Sumu);
        assert_eq!(Level::infer("五一农场"), Level::Farm);
        assert_eq!(Level::infer("高新技术产业开发区"), Level::Park);
        assert_eq!(Level::infer("某某办事处"), Level::Other);
    }

    #[test]
    fn words_follow_the_level() {
        let zhen = Locality::from_name("太平镇").unwrap();
        assert_eq!(zhen.short, "太平");
        assert_eq!(zhen.word("乡党委").unwrap(), "镇党委");
        assert_eq!(zhen.word("全乡").unwrap(), "全镇");
        let jd = Locality::from_name("大栅栏街道").unwrap();
        assert_eq!(jd.word("县委").unwrap(), "区委");
        assert_eq!(jd.word("乡党委").unwrap(), "街道党工委");
        assert_eq!(jd.word("村委会").unwrap(), "社区居委会");
        assert_eq!(jd.word("口号").unwrap(), "幸福大栅栏");
        let sumu = Locality::from_name("巴音苏木").unwrap();
        assert_eq!(sumu.word("村").unwrap(), "嘎查");
        assert_eq!(sumu.word("乡长").unwrap(), "苏木达");
        let farm = Locality::from_name("红旗林场").unwrap();
        assert_eq!(farm.word("乡").unwrap(), "林场");
        assert_eq!(farm.word("全乡").unwrap(), "全场");
        let facts: Vec<&str> = FACT_PLACEHOLDERS.iter().map(|(k, _)| *k).collect();
        for key in PLACEHOLDERS.iter().filter(|k| !facts.contains(k)) {
            for level in Level::ALL {
                let loc = Locality::with_level("某地", level).unwrap();
                assert!(
                    loc.word(key).is_some_and(|w| !w.is_empty()),
                    "{key} {level:?}"
                );
            }
        }
    }

    #[test]
    fn seed_place_is_ethnic_and_rural() {
        let seed = Locality::seed_default();
        assert!(seed.ethnic);
        assert_eq!(seed.word("县委").unwrap(), "县委");
        assert_eq!(seed.word("口号").unwrap(), "富裕西布河");
        let farm = Locality::from_name("友谊农场").unwrap();
        assert_eq!(farm.word("口号").unwrap(), "现代化友谊农场");
        assert!(seed.accepts_tag("rural") && !seed.accepts_tag("urban"));
    }

    #[test]
    fn locality_file_errors_name_the_line() {
        let err = parse_locality_file("x.yaml", "level: 镇\ncounty: 某县\n").unwrap_err();
        assert!(err.message().starts_with("x.yaml"), "{err}");
        assert!(err.message().contains("name"), "{err}");
        let loc = parse_locality_file("x.yaml", "name: 太平镇\ncounty: 某某旗\nslogan: 生态太平\n")
            .unwrap();
        assert_eq!(loc.word("县委").unwrap(), "旗委");
        assert_eq!(loc.word("口号").unwrap(), "生态太平");
    }
}
