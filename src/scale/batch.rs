//! `speechgen batch`: one draft per township, for a list of places or a whole county,
//! city or province. A line that does not resolve is reported and skipped; the others
//! are written. Same seed, same files.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::base::error::{Error, Result};
use crate::base::files;
use crate::draft::generate::{self, Options};
use crate::pack::Pack;
use crate::place::gazetteer::{AreaFilter, Gazetteer};
use crate::place::locality::Locality;
use crate::place::resolve::{self, PlaceQuery};
use crate::render::Format;

#[derive(Debug, Clone)]
pub struct BatchArgs {
    pub pack: Option<String>,
    /// A list of places: one query per line, CSV or YAML.
    pub localities: Option<String>,
    pub area: AreaFilter,
    pub out_dir: String,
    pub format: Format,
    pub script: crate::render::script::Script,
    pub seed: Option<u64>,
    /// Target length in characters.
    pub length: Option<usize>,
    pub force: bool,
    pub quiet: bool,
}

/// One place to write for, and where it came from (for error messages).
struct Job {
    origin: String,
    query: Option<PlaceQuery>,
    place: Option<crate::place::gazetteer::Place>,
}

/// One row of the summary.
pub struct Written {
    pub code: String,
    pub name: String,
    pub level: String,
    pub chars: usize,
    pub file: String,
    pub unchanged: bool,
}

pub struct BatchReport {
    pub written: Vec<Written>,
    pub failed: Vec<String>,
    pub seed: u64,
    pub out_dir: String,
}

impl BatchReport {
    /// The summary table (stdout).
    pub fn table(&self) -> String {
        let mut out = String::from("code\tplace\tlevel\tchars\tfile\n");
        for w in &self.written {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}{}\n",
                if w.code.is_empty() { "-" } else { &w.code },
                w.name,
                w.level,
                w.chars,
                w.file,
                if w.unchanged { " (unchanged)" } else { "" }
            ));
        }
        let unchanged = self.written.iter().filter(|w| w.unchanged).count();
        out.push_str(&format!(
            "{} drafts in {} ({} new or replaced, {} unchanged), {} failed; seed {}\n",
            self.written.len(),
            self.out_dir,
            self.written.len() - unchanged,
            unchanged,
            self.failed.len(),
            self.seed
        ));
        out
    }
}

pub fn batch(args: &BatchArgs) -> Result<BatchReport> {
    let loaded = crate::draft::check::load_pack(args.pack.as_deref())?;
    let pack: &Pack = &loaded;
    let jobs = jobs(args)?;
    let dir = Path::new(&args.out_dir);
    if !dir.is_dir() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::new(format!(
                "cannot create the output folder {}: {e}. Choose another --out-dir.",
                args.out_dir
            ))
        })?;
    }
    let seed = args.seed.unwrap_or_else(|| {
        let seed = rand::random_range(0..1_000_000_000u64);
        eprintln!("speechgen: seed {seed} (add --seed {seed} to reproduce these drafts)");
        seed
    });
    let bar = crate::scale::progress::bar(jobs.len() as u64, 0, args.quiet);
    let mut report = BatchReport {
        written: Vec::new(),
        failed: Vec::new(),
        seed,
        out_dir: args.out_dir.clone(),
    };
    for job in &jobs {
        // The bar counts a draft once it is written (or has failed), not before.
        match write_one(pack, job, seed, args, dir) {
            Ok(written) => {
                bar.set_message(written.name.clone());
                bar.inc(1);
                report.written.push(written);
            }
            Err(e) => {
                // The first line says what is wrong; a long candidate list belongs to
                // `speechgen locality`, not to a batch summary.
                let message = e.message();
                let first = message.lines().next().unwrap_or_default();
                let more = if message.lines().count() > 1 {
                    " (see `speechgen locality` for the candidates)"
                } else {
                    ""
                };
                report.failed.push(format!("{}: {first}{more}", job.origin));
                bar.inc(1);
            }
        }
    }
    bar.finish_and_clear();
    Ok(report)
}

fn write_one(pack: &Pack, job: &Job, seed: u64, args: &BatchArgs, dir: &Path) -> Result<Written> {
    let loc = match (&job.place, &job.query) {
        (Some(place), _) => resolve::locality_of(place)?,
        (None, Some(query)) => resolve::resolve(query)?,
        (None, None) => return Err(Error::new("nothing to resolve")),
    };
    let options = Options {
        seed,
        faithful: false,
        check: true,
        length: args.length,
        arc: None,
        ..Options::default()
    };
    let speech = generate::generate(pack, &loc, &options)?;
    let chars = crate::render::text(&speech).chars().count();
    let presentation = crate::render::Presentation {
        script: args.script,
        ..Default::default()
    };
    let bytes = crate::render::render(speech, args.format, &presentation, &pack.id, seed, &loc)?;
    let file = file_name(&loc, args.format);
    let path: PathBuf = dir.join(&file);
    let unchanged = std::fs::read(&path).is_ok_and(|old| old == bytes);
    if !unchanged {
        files::write_file(
            &path,
            &bytes,
            args.force,
            files::NamedBy::Folder("--out-dir"),
        )?;
    }
    Ok(Written {
        code: loc.code.clone().unwrap_or_default(),
        name: loc.name.clone(),
        level: loc.level.label().to_string(),
        chars,
        file,
        unchanged,
    })
}

/// `530724208-西布河乡.txt`: the code keeps same-named places apart and sorts by area.
pub fn file_name(loc: &Locality, format: Format) -> String {
    let safe: String = loc
        .name
        .chars()
        .map(|c| {
            if c.is_whitespace() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let ext = match format {
        Format::Text => "txt",
        Format::Json => "json",
        Format::Markdown => "md",
        Format::Docx => "docx",
    };
    match &loc.code {
        Some(code) => format!("{code}-{safe}.{ext}"),
        None => format!("{safe}.{ext}"),
    }
}

fn jobs(args: &BatchArgs) -> Result<Vec<Job>> {
    let gazetteer = Gazetteer::get()?;
    match &args.localities {
        Some(path) => {
            let (_, queries) = read_list(path)?;
            Ok(queries
                .into_iter()
                .map(|(origin, mut query)| {
                    // --county/--city/--province narrow every line that does not say.
                    query.county = query.county.or_else(|| args.area.county.clone());
                    query.city = query.city.or_else(|| args.area.city.clone());
                    query.province = query.province.or_else(|| args.area.province.clone());
                    Job {
                        origin,
                        query: Some(query),
                        place: None,
                    }
                })
                .collect())
        }
        None => {
            if args.area.county.is_none()
                && args.area.city.is_none()
                && args.area.province.is_none()
            {
                return Err(Error::new(
                    "say which places: --localities FILE, or --county, --city or --province NAME.",
                ));
            }
            let places = gazetteer.places_in(&args.area);
            if places.is_empty() {
                return Err(Error::new(
                    "no township-level unit lies in that area; check the names with `speechgen locality` \
                     (full or short names work: 宁蒗彝族自治县 or 宁蒗, 丽江市 or 丽江).",
                ));
            }
            Ok(places
                .into_iter()
                .map(|place| Job {
                    origin: place.township.code.to_string(),
                    query: None,
                    place: Some(place),
                })
                .collect())
        }
    }
}

/// Reads a list of places from a file, or from standard input for `-`: the name to show
/// for it in messages, and its entries (see [`parse_list`]). An empty list is an error.
pub(crate) fn read_list(path: &str) -> Result<(String, Vec<(String, PlaceQuery)>)> {
    let bytes = files::read_input(path)?;
    let (text, _) = files::decode(&bytes);
    let queries = parse_list(path, &text)?;
    let shown = if path == "-" { "standard input" } else { path };
    if queries.is_empty() {
        return Err(Error::new(format!(
            "{shown}: no places in this list; write one place per line (西布河乡, 530724208 or 宁陕县城关镇)."
        )));
    }
    Ok((shown.to_string(), queries))
}

/// A YAML list entry: a query string, or a map naming the place and its area.
#[derive(Deserialize)]
#[serde(untagged)]
enum YamlEntry {
    Query(String),
    Place {
        #[serde(alias = "name")]
        locality: String,
        county: Option<String>,
        city: Option<String>,
        province: Option<String>,
        level: Option<String>,
    },
}

/// Reads a list of places: YAML (.yaml/.yml), CSV (.csv) or one query per line; from
/// standard input (`-`), which has no extension, a YAML list is told by its first entry
/// (`- `) and a CSV by a comma in its first line. Returns (where it came from, the query).
pub(crate) fn parse_list(path: &str, text: &str) -> Result<Vec<(String, PlaceQuery)>> {
    let lower = path.to_lowercase();
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    let from_stdin = path == "-";
    let path = if from_stdin { "standard input" } else { path };
    if lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || (from_stdin && first.starts_with("- "))
    {
        let entries: Vec<YamlEntry> = serde_saphyr::from_str(text).map_err(|e| {
            let line = e.location().map(|l| l.line() as usize).unwrap_or(0);
            Error::at(
                path,
                line,
                format!(
                    "this list of places is not valid YAML ({}). Write a list: `- 西布河乡` or \
                     `- {{locality: 城关镇, county: 宁陕县}}`.",
                    e.to_string().lines().next().unwrap_or_default()
                ),
            )
        })?;
        return Ok(entries
            .into_iter()
            .enumerate()
            .map(|(i, entry)| {
                let query = match entry {
                    YamlEntry::Query(q) => PlaceQuery {
                        locality: Some(q),
                        ..PlaceQuery::default()
                    },
                    YamlEntry::Place {
                        locality,
                        county,
                        city,
                        province,
                        level,
                    } => PlaceQuery {
                        locality: Some(locality),
                        county,
                        city,
                        province,
                        level,
                        locality_file: None,
                    },
                };
                (format!("{path}: entry {}", i + 1), query)
            })
            .collect());
    }
    let csv = lower.ends_with(".csv") || (from_stdin && first.contains([',', '，']));
    let mut columns: Option<Vec<String>> = None;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let origin = format!("{path}:{}", i + 1);
        if !csv {
            out.push((
                origin,
                PlaceQuery {
                    locality: Some(line.to_string()),
                    ..PlaceQuery::default()
                },
            ));
            continue;
        }
        let cells = csv_cells(line).map_err(|e| {
            Error::at(
                path,
                i + 1,
                format!(
                    "this CSV row cannot be read ({e}): quote a field that holds a comma, \
                         \"太平,镇\"."
                ),
            )
        })?;
        if columns.is_none() && out.is_empty() && cells.iter().any(|c| header_key(c).is_some()) {
            columns = Some(cells);
            continue;
        }
        let mut query = PlaceQuery::default();
        for (j, cell) in cells.into_iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let key = match &columns {
                Some(header) => header.get(j).and_then(|h| header_key(h)),
                // Without a header: place, county, city.
                None => ["locality", "county", "city"].get(j).copied(),
            };
            match key {
                Some("locality") => query.locality = Some(cell),
                Some("county") => query.county = Some(cell),
                Some("city") => query.city = Some(cell),
                Some("province") => query.province = Some(cell),
                Some("level") => query.level = Some(cell),
                _ => {}
            }
        }
        if query.locality.is_none() {
            return Err(Error::at(
                path,
                i + 1,
                "this row names no place: put the place in the first column or under a `name` header.",
            ));
        }
        out.push((origin, query));
    }
    Ok(out)
}

/// The fields of one CSV row (RFC 4180 quoting: "太平,镇" is one field). A row written
/// with full-width commas only (城关镇，宁陕县) is split at them.
fn csv_cells(line: &str) -> std::result::Result<Vec<String>, csv::Error> {
    let line = if line.contains(',') {
        line.to_string()
    } else {
        line.replace('，', ",")
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(line.as_bytes());
    match reader.records().next() {
        Some(record) => Ok(record?.iter().map(str::to_string).collect()),
        None => Ok(Vec::new()),
    }
}

fn header_key(cell: &str) -> Option<&'static str> {
    Some(match cell.trim().to_lowercase().as_str() {
        "name" | "locality" | "place" | "地名" | "名称" | "乡镇" | "代码" | "code" => {
            "locality"
        }
        "county" | "县" | "县区" | "区县" => "county",
        "city" | "市" | "地市" => "city",
        "province" | "省" | "省份" => "province",
        "level" | "层级" => "level",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_csv_with_and_without_header_and_yaml() {
        let lines = parse_list("a.txt", "# comment\n西布河乡\n\n530724208\n").unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].0, "a.txt:4");
        let csv = parse_list("a.csv", "name,county\n城关镇,宁陕县\n").unwrap();
        assert_eq!(csv[0].1.county.as_deref(), Some("宁陕县"));
        let quoted = parse_list("a.csv", "\"太平,镇\",宁陕县\n").unwrap();
        assert_eq!(quoted[0].1.locality.as_deref(), Some("太平,镇"));
        let bare = parse_list("a.csv", "城关镇,宁陕县\n").unwrap();
        assert_eq!(bare[0].1.locality.as_deref(), Some("城关镇"));
        assert_eq!(bare[0].1.county.as_deref(), Some("宁陕县"));
        let yaml = parse_list(
            "a.yaml",
            "- 西布河乡\n- {locality: 城关镇, county: 宁陕县}\n",
        )
        .unwrap();
        assert_eq!(yaml[1].1.county.as_deref(), Some("宁陕县"));
        assert!(parse_list("a.yaml", "- [\n").is_err());
    }
}
