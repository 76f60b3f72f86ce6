//! `speechgen corpus`: test corpora at scale — many annotated drafts, reproducibly, fast,
//! and split into shards that separate machines can write.
//!
//! Document `i` of a corpus with seed `S` depends on `(S, i)` alone: a ChaCha stream seeded
//! from them draws the draft's own seed, its place, its pack and, when asked for, its
//! target length and its script. So any range of indexes
//! can be written anywhere, in any order, by any number of threads or machines, and the
//! result is the same bytes. A shard `K/M` is the contiguous range of indexes
//! `[(K-1)·N/M, K·N/M)`: concatenating shards 1..M in order gives the unsharded file.
//!
//! Output streams: documents are made a chunk at a time on every core (rayon), written in
//! index order by one writer thread, and dropped; memory stays flat whatever the count.
//! A file is written as `PATH.partial` and renamed when complete; `--resume` continues a
//! partial file after its last complete line.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::base::seed::stream_seed;
use crate::draft::generate::{self, Options};
use crate::pack::{DEFAULT_PACK, Pack};
use crate::place::gazetteer::{AreaFilter, Gazetteer, Place};
use crate::place::locality::Locality;
use crate::render::script::Script;
use crate::render::{self, JsonDraft, json_writer};

/// Documents made in parallel before they are handed to the writer. Small enough that a
/// chunk of full drafts (40–60 KB of JSON each) stays a few MB and that an interrupted run
/// loses little; large enough that the cores are not idle at chunk boundaries.
const CHUNK: usize = 64;

/// Chunks waiting for the writer: bounds memory while the writer catches up.
const QUEUE: usize = 2;

/// A draft that fails its checks is drawn again (new seed and place) from the document's
/// own stream, so the corpus still depends only on (S, i); this many times at most.
const ATTEMPTS: u32 = 8;

/// Draft seeds stay below 2^53 so that every JSON reader (JavaScript too) reads them
/// exactly, and `speechgen generate --seed` reproduces the draft.
const SEED_LIMIT: u64 = 1 << 53;

/// The manifest of a `txt-dir` corpus.
pub const MANIFEST: &str = "manifest.jsonl";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CorpusFormat {
    /// One JSON object per line: the JSON format plus `id` and `index`.
    Jsonl,
    /// One `.txt` per document plus `manifest.jsonl` (the JSON lines without `text`,
    /// with `file`).
    TxtDir,
}

#[derive(Debug, Clone)]
pub struct CorpusArgs {
    /// Documents in the whole corpus (all shards together).
    pub count: u64,
    pub seed: u64,
    /// Comma-separated pack ids or folders, or `all` (every embedded pack).
    pub packs: Option<String>,
    /// `all` (every township in the gazetteer, the default) or a file listing places.
    pub localities: Option<String>,
    /// Narrows the gazetteer (or the lines of a list that do not say) to an area.
    pub area: AreaFilter,
    /// `MIN-MAX` (or one number): each document's target length in characters, drawn
    /// per document; without it every draft aims at its pack's default length.
    pub lengths: Option<String>,
    /// The script of every document, or `Mixed`: drawn per document.
    pub script: CorpusScript,
    /// `K/M`: write only shard K of M.
    pub shard: Option<String>,
    pub format: CorpusFormat,
    /// The output file (jsonl; `-` for stdout) or folder (txt-dir).
    pub output: String,
    pub resume: bool,
    pub force: bool,
    /// Check an existing corpus instead of writing one.
    pub verify: bool,
    /// Lines `--verify` recomputes.
    pub sample: usize,
    /// Worker threads; 0 = one per core.
    pub threads: usize,
    pub quiet: bool,
}

impl Default for CorpusArgs {
    fn default() -> Self {
        CorpusArgs {
            count: 0,
            seed: 0,
            packs: None,
            localities: None,
            area: AreaFilter::default(),
            lengths: None,
            script: CorpusScript::One(Script::Simplified),
            shard: None,
            format: CorpusFormat::Jsonl,
            output: "-".into(),
            resume: false,
            force: false,
            verify: false,
            sample: 100,
            threads: 0,
            quiet: false,
        }
    }
}

/// The script of a corpus's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpusScript {
    One(Script),
    /// Each document draws one of `MIXED_SCRIPTS`, and its line says which (`script`).
    Mixed,
}

/// The scripts `--script mixed` draws from, equally often, and their names in the lines.
pub const MIXED_SCRIPTS: [(Script, &str); 4] = [
    (Script::Simplified, "simplified"),
    (Script::Traditional, "traditional"),
    (Script::HongKong, "hk"),
    (Script::Taiwan, "tw"),
];

/// A pack the corpus draws from: the process-wide default or one loaded for this run.
enum PackRef {
    Shared(&'static Pack),
    Owned(Box<Pack>),
}

impl std::ops::Deref for PackRef {
    type Target = Pack;
    fn deref(&self) -> &Pack {
        match self {
            PackRef::Shared(pack) => pack,
            PackRef::Owned(pack) => pack,
        }
    }
}

/// The places documents are written for.
enum Places {
    /// Gazetteer townships: the locality (with its villages) is built per document.
    Gazetteer(Vec<Place>),
    /// Places read from a list, resolved once.
    Listed(Vec<Locality>),
}

impl Places {
    fn len(&self) -> usize {
        match self {
            Places::Gazetteer(places) => places.len(),
            Places::Listed(places) => places.len(),
        }
    }

    fn locality(&self, index: usize) -> Result<std::borrow::Cow<'_, Locality>> {
        Ok(match self {
            Places::Gazetteer(places) => {
                std::borrow::Cow::Owned(crate::place::resolve::locality_of(&places[index])?)
            }
            Places::Listed(places) => std::borrow::Cow::Borrowed(&places[index]),
        })
    }
}

/// Everything a document depends on besides its index: seed, packs, places.
pub struct Plan {
    seed: u64,
    packs: Vec<PackRef>,
    places: Places,
    /// Target lengths drawn per document (inclusive), if asked for.
    lengths: Option<(usize, usize)>,
    script: CorpusScript,
    /// The indexes this run covers (the shard).
    range: Range<u64>,
}

/// One finished document.
pub struct Document {
    pub index: u64,
    pub id: String,
    /// JSONL: the corpus line; txt-dir: the manifest line. Ends with `\n`.
    pub line: Vec<u8>,
    /// txt-dir: the text file's contents.
    pub text: Option<String>,
    /// Times the draft was drawn again after failing its checks.
    pub redrawn: u32,
    /// The pack that wrote it.
    pub pack: String,
}

/// A corpus line: the JSON format of one draft with its corpus id and index first.
#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    index: u64,
    /// Only in `--lengths` corpora: the target length drawn for this document.
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<usize>,
    /// Only in `--script mixed` corpora: which script this document is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    script: Option<&'a str>,
    #[serde(flatten)]
    draft: &'a JsonDraft<'a>,
}

impl Line<'_> {
    /// The line as `serde_json::to_vec` writes it (a test compares the two), written
    /// directly: serde's `flatten` goes through a map for every field of the draft.
    fn write(&self, out: &mut Vec<u8>) {
        self.write_head(out);
        self.draft.write_fields(out, false);
        out.push(b'}');
    }

    /// The manifest line of a txt-dir corpus: the same fields in the same order, with
    /// `file` (the text file's name) instead of `text`.
    fn write_manifest(&self, out: &mut Vec<u8>, file: &str) {
        self.write_head(out);
        json_writer::key(out, "file", false);
        json_writer::string(out, file);
        self.draft.write_fields_after_text(out);
        out.push(b'}');
    }

    fn write_head(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        json_writer::key(out, "id", true);
        json_writer::string(out, self.id);
        json_writer::key(out, "index", false);
        json_writer::number(out, self.index);
        if let Some(length) = self.length {
            json_writer::key(out, "length", false);
            json_writer::number(out, length);
        }
        if let Some(script) = self.script {
            json_writer::key(out, "script", false);
            json_writer::string(out, script);
        }
    }
}

/// A manifest line of a txt-dir corpus as serde writes it: what `Line::write_manifest`
/// is compared with. A test keeps it in step with `JsonDraft`.
#[cfg(test)]
#[derive(Serialize)]
struct ManifestLine<'a> {
    id: &'a str,
    index: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    script: Option<&'a str>,
    file: &'a str,
    title: &'a str,
    pack: &'a str,
    seed: u64,
    locality: &'a render::JsonLocality<'a>,
    outline: &'a [render::OutlineNode<'a>],
    spans: &'a [render::Span<'a>],
}

/// The start of every line, enough to check order and resume.
#[derive(Deserialize)]
struct LineHead {
    id: String,
    index: u64,
}

/// The id of document `index` of the corpus with seed `seed`.
pub fn document_id(seed: u64, index: u64) -> String {
    format!("sg-{seed}-{index}")
}

/// Parses `K/M` (1 ≤ K ≤ M).
pub fn parse_shard(text: &str) -> Result<(u64, u64)> {
    let bad = || {
        Error::new(format!(
            "--shard “{text}” is not a shard: write K/M with 1 ≤ K ≤ M, e.g. --shard 3/8 for the \
             third of eight shards."
        ))
    };
    let (k, m) = text.trim().split_once('/').ok_or_else(bad)?;
    let k: u64 = k.trim().parse().map_err(|_| bad())?;
    let m: u64 = m.trim().parse().map_err(|_| bad())?;
    if k == 0 || m == 0 || k > m {
        return Err(bad());
    }
    Ok((k, m))
}

/// Parses `MIN-MAX` (or `N`) target lengths, within what `generate --length` accepts.
pub fn parse_lengths(text: &str) -> Result<(usize, usize)> {
    let bad = || {
        Error::new(format!(
            "--lengths “{text}” is not a range of lengths: write MIN-MAX in characters between \
             200 and 100000, e.g. --lengths 2000-7000 (or one number for a single length)."
        ))
    };
    let (min, max) = text.trim().split_once('-').unwrap_or((text, text));
    let min: usize = min.trim().parse().map_err(|_| bad())?;
    let max: usize = max.trim().parse().map_err(|_| bad())?;
    if min < 200 || max > 100_000 || min > max {
        return Err(bad());
    }
    Ok((min, max))
}

/// The indexes of shard `k` of `m` in a corpus of `count`: a contiguous range, so that
/// shards 1..m in order are the whole corpus in order.
pub fn shard_range(count: u64, k: u64, m: u64) -> Range<u64> {
    let at = |j: u64| (u128::from(count) * u128::from(j) / u128::from(m)) as u64;
    at(k - 1)..at(k)
}

impl Plan {
    /// Loads packs and places and works out the range of indexes to write.
    pub fn new(args: &CorpusArgs) -> Result<Plan> {
        if args.count == 0 {
            return Err(Error::new(
                "--count must be at least 1: the number of documents in the whole corpus.",
            ));
        }
        let range = match &args.shard {
            None => 0..args.count,
            Some(text) => {
                let (k, m) = parse_shard(text)?;
                shard_range(args.count, k, m)
            }
        };
        Ok(Plan {
            seed: args.seed,
            packs: load_packs(args.packs.as_deref())?,
            places: load_places(args.localities.as_deref(), &args.area)?,
            lengths: args.lengths.as_deref().map(parse_lengths).transpose()?,
            script: args.script,
            range,
        })
    }

    pub fn range(&self) -> Range<u64> {
        self.range.clone()
    }

    /// Document `index`, as a finished line (and text, for txt-dir).
    pub fn document(&self, index: u64, format: CorpusFormat) -> Result<Document> {
        let id = document_id(self.seed, index);
        let mut failures = Vec::new();
        for attempt in 0..ATTEMPTS {
            let seed_bytes = self.seed.to_le_bytes();
            let index_bytes = index.to_le_bytes();
            let attempt_bytes = attempt.to_le_bytes();
            let mut parts: Vec<&[u8]> = vec![&seed_bytes, &index_bytes];
            if attempt > 0 {
                parts.push(&attempt_bytes);
            }
            // The order of the draws is part of the corpus format: a new per-document
            // choice must be drawn after these, never before, or every corpus changes.
            let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(&parts));
            let draft_seed = rng.random_range(0..SEED_LIMIT);
            let place = rng.random_range(0..self.places.len());
            let mut pack = &self.packs[rng.random_range(0..self.packs.len())];
            let length = self.lengths.map(|(min, max)| rng.random_range(min..=max));
            let (script, script_name) = match self.script {
                CorpusScript::One(script) => (script, None),
                CorpusScript::Mixed => {
                    let (script, name) = MIXED_SCRIPTS[rng.random_range(0..MIXED_SCRIPTS.len())];
                    (script, Some(name))
                }
            };
            let loc = self.places.locality(place)?;
            // A meeting this place does not hold (乡村振兴 in a city-core 街道): one of the
            // packs that serve it instead, drawn last so that other corpora do not change.
            if !pack.serves(&loc) {
                let serving: Vec<&PackRef> = self.packs.iter().filter(|p| p.serves(&loc)).collect();
                if serving.is_empty() {
                    failures.push(pack.refuse_place(&loc).to_string());
                    continue;
                }
                pack = serving[rng.random_range(0..serving.len())];
            }
            let options = Options {
                seed: draft_seed,
                faithful: false,
                check: true,
                length,
                arc: None,
                ..Options::default()
            };
            match generate::generate(pack, &loc, &options) {
                Ok(mut speech) => {
                    // As `generate --script`: the tree is converted, then rendered.
                    crate::render::script::convert(&mut speech, script)?;
                    let draft = render::json_draft(&speech, &pack.id, draft_seed, &loc);
                    let head = Line {
                        id: &id,
                        index,
                        length,
                        script: script_name,
                        draft: &draft,
                    };
                    // A line is about 1.9 times its text (spans and outline): sized so
                    // that it is not copied to grow.
                    let mut line = Vec::with_capacity(draft.text.len() * 5 / 2 + 4096);
                    let text = match format {
                        CorpusFormat::Jsonl => {
                            head.write(&mut line);
                            None
                        }
                        CorpusFormat::TxtDir => {
                            head.write_manifest(&mut line, &format!("{id}.txt"));
                            Some(draft.text.clone())
                        }
                    };
                    line.push(b'\n');
                    return Ok(Document {
                        index,
                        id,
                        line,
                        text,
                        redrawn: attempt,
                        pack: pack.id.clone(),
                    });
                }
                Err(e) => failures.push(format!("{} (seed {draft_seed}): {e}", loc.name)),
            }
        }
        Err(Error::new(format!(
            "document {index} failed its checks {ATTEMPTS} times; the pack cannot write for these \
             places — check it with `speechgen check`: {}",
            failures.join("; ")
        )))
    }
}

fn load_packs(spec: Option<&str>) -> Result<Vec<PackRef>> {
    let spec = spec.map(str::trim).filter(|s| !s.is_empty());
    let ids: Vec<String> = match spec {
        None => vec![DEFAULT_PACK.to_string()],
        Some("all") => Pack::embedded_ids(),
        Some(list) => list
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    if ids.is_empty() {
        return Err(Error::new(
            "--packs names no pack: give embedded ids or folders separated by commas (mass-work,./my-pack), or all.",
        ));
    }
    ids.iter()
        .map(|id| {
            Ok(if id == DEFAULT_PACK {
                PackRef::Shared(Pack::default_pack()?)
            } else {
                PackRef::Owned(Box::new(crate::draft::check::load(id)?))
            })
        })
        .collect()
}

fn load_places(spec: Option<&str>, area: &AreaFilter) -> Result<Places> {
    let gazetteer = Gazetteer::get()?;
    match spec.map(str::trim) {
        None | Some("all") | Some("") => {
            let places = gazetteer.places_in(area);
            if places.is_empty() {
                return Err(Error::new(
                    "no township-level unit lies in that area; check the names with `speechgen \
                     locality` (full or short names work: 宁蒗彝族自治县 or 宁蒗, 丽江市 or 丽江).",
                ));
            }
            Ok(Places::Gazetteer(places))
        }
        Some(path) => {
            let (list, queries) = crate::scale::batch::read_list(path)?;
            let mut places = Vec::with_capacity(queries.len());
            let mut failed = Vec::new();
            for (origin, mut query) in queries {
                query.county = query.county.or_else(|| area.county.clone());
                query.city = query.city.or_else(|| area.city.clone());
                query.province = query.province.or_else(|| area.province.clone());
                match crate::place::resolve::resolve(&query) {
                    Ok(loc) => places.push(loc),
                    Err(e) => failed.push(format!(
                        "{origin}: {}",
                        e.message().lines().next().unwrap_or_default()
                    )),
                }
            }
            if !failed.is_empty() {
                let shown = failed.len().min(10);
                return Err(Error::new(format!(
                    "{} of the places in {list} do not resolve; a corpus needs every one (fix or \
                     remove these lines, see `speechgen locality NAME`):\n  {}{}",
                    failed.len(),
                    failed[..shown].join("\n  "),
                    if failed.len() > shown { "\n  …" } else { "" }
                )));
            }
            Ok(Places::Listed(places))
        }
    }
}

/// What a run did, for the throughput report.
#[derive(Debug, Clone)]
pub struct CorpusReport {
    pub output: String,
    /// Documents written by this run.
    pub documents: u64,
    /// Documents already in the partial file when resuming.
    pub resumed: u64,
    /// Bytes written by this run (lines, plus text files for txt-dir).
    pub bytes: u64,
    pub seconds: f64,
    /// Peak resident memory of the process (VmHWM), in kB.
    pub peak_rss_kb: Option<u64>,
    /// Indexes whose first draw failed its checks and was drawn again.
    pub redrawn: Vec<u64>,
    pub threads: usize,
    /// Documents written by each pack, by pack id.
    pub per_pack: std::collections::BTreeMap<String, u64>,
    /// The reader of standard output went away before the end (`| head`).
    pub stopped: bool,
}

impl CorpusReport {
    /// The throughput report printed at the end of a run.
    pub fn summary(&self) -> String {
        let seconds = self.seconds.max(1e-9);
        let mb = self.bytes as f64 / 1e6;
        let mut out = format!(
            "speechgen corpus: {} documents in {:.2} s on {} thread{}: {:.0} drafts/s, {:.1} MB/s ({:.1} MB){}; peak RSS {}; {}\n",
            self.documents,
            self.seconds,
            self.threads,
            if self.threads == 1 { "" } else { "s" },
            self.documents as f64 / seconds,
            mb / seconds,
            mb,
            if self.resumed > 0 {
                format!(", after {} documents already written", self.resumed)
            } else {
                String::new()
            },
            self.peak_rss_kb.map_or("unknown".to_string(), |kb| format!(
                "{:.1} MB",
                kb as f64 / 1024.0
            )),
            self.output
        );
        if self.stopped {
            out.push_str(
                "note: the reader closed standard output; the corpus stopped after the documents \
                 counted above.\n",
            );
        }
        if self.per_pack.len() > 1 && !self.stopped {
            let counts: Vec<String> = self
                .per_pack
                .iter()
                .map(|(id, n)| format!("{id} {n}"))
                .collect();
            out.push_str(&format!("packs: {}\n", counts.join(", ")));
        }
        if !self.redrawn.is_empty() {
            let shown: Vec<String> = self.redrawn.iter().take(10).map(u64::to_string).collect();
            out.push_str(&format!(
                "note: {} document(s) failed their checks at the first draw and were drawn again \
                 (indexes {}{}); `speechgen check` may tell why.\n",
                self.redrawn.len(),
                shown.join(", "),
                if self.redrawn.len() > 10 { ", …" } else { "" }
            ));
        }
        out
    }
}

/// Peak resident set size of this process in kB (Linux; None elsewhere).
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Where the documents go.
enum Target {
    /// Standard output or a device such as /dev/null: written directly, no resume.
    Stream {
        name: String,
        out: Box<dyn Write + Send>,
    },
    /// A JSONL file, written as `partial` and renamed to `path`.
    File {
        path: PathBuf,
        partial: PathBuf,
        file: BufWriter<File>,
    },
    /// A txt-dir corpus, written as the folder `partial` and renamed to `path`.
    Dir {
        path: PathBuf,
        partial: PathBuf,
        manifest: BufWriter<File>,
    },
}

/// `speechgen corpus`: writes the corpus (or the shard) and reports the throughput.
pub fn run(args: &CorpusArgs) -> Result<CorpusReport> {
    let pool = thread_pool(args.threads)?;
    let threads = pool.current_num_threads();
    pool.install(|| {
        let plan = Plan::new(args)?;
        write(&plan, args, threads)
    })
}

fn thread_pool(threads: usize) -> Result<rayon::ThreadPool> {
    // More threads than a few per core only add switching (and --threads 20000 would
    // spend minutes starting them).
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let limit = (cores * 4).max(8);
    if threads > limit {
        return Err(Error::new(format!(
            "--threads {threads} is more than this machine can use ({cores} cores; at most \
             {limit}). Leave it out (one per core) or give a smaller number."
        )));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::new(format!("cannot start {threads} worker threads: {e}")))
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::new(format!("cannot {what} {}: {e}.", path.display()))
}

/// The output path as the user wrote it, without a trailing slash (`-o texts/` names the
/// folder `texts`, whose partial twin is `texts.partial` beside it).
fn output_path(output: &str) -> PathBuf {
    let trimmed = output.trim_end_matches(['/', '\\']);
    PathBuf::from(if trimmed.is_empty() { output } else { trimmed })
}

/// An existing folder with nothing in it: a txt-dir corpus may be written there.
fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

/// `--resume` with nothing to resume: the output is there and no partial file is left,
/// so the run finished earlier (the caller verifies it instead of writing).
pub fn already_finished(args: &CorpusArgs) -> bool {
    let path = output_path(&args.output);
    args.resume
        && args.output != "-"
        && path.exists()
        && !is_empty_dir(&path)
        && !partial_path(&path).exists()
}

/// The files of a txt-dir corpus folder, when it holds nothing else: its manifest and its
/// `ID.txt` texts. Anything else (a file speechgen does not write there, a sub-folder) is
/// an error naming it, so that replacing a corpus never removes what the user put there.
fn corpus_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, "read", e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, "read", e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_id = |id: &str| {
            id.strip_prefix("sg-")
                .and_then(|rest| rest.split_once('-'))
                .is_some_and(|(seed, index)| {
                    [seed, index]
                        .iter()
                        .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                })
        };
        let ours = name == MANIFEST || name.strip_suffix(".txt").is_some_and(is_id);
        if !ours || !entry.file_type().is_ok_and(|t| t.is_file()) {
            return Err(Error::new(format!(
                "{} holds {name}, which is not part of a corpus speechgen wrote; nothing was \
                 written or removed. Move it away, or choose another -o.",
                dir.display()
            )));
        }
        files.push(entry.path());
    }
    Ok(files)
}

/// Removes a txt-dir corpus folder: its own files (see [`corpus_files`]), then the folder.
fn remove_corpus_folder(dir: &Path) -> Result<()> {
    for file in corpus_files(dir)? {
        std::fs::remove_file(&file).map_err(|e| io_error(&file, "remove", e))?;
    }
    std::fs::remove_dir(dir).map_err(|e| io_error(dir, "remove", e))
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

fn write(plan: &Plan, args: &CorpusArgs, threads: usize) -> Result<CorpusReport> {
    let started = Instant::now();
    let (mut target, done) = open_target(plan, args)?;
    let range = plan.range.start + done..plan.range.end;
    let bar = crate::scale::progress::bar(plan.range.end - plan.range.start, done, args.quiet);
    let bytes = AtomicU64::new(0);
    // Documents the writer wrote before the reader of standard output went away.
    let stopped_after = std::sync::Mutex::new(None::<u64>);
    let mut redrawn = Vec::new();
    let mut per_pack = std::collections::BTreeMap::new();
    let format = args.format;
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Document>>(QUEUE);
        let target = &mut target;
        let bytes = &bytes;
        let bar = &bar;
        let stopped_after = &stopped_after;
        let writer = scope.spawn(move || -> Result<()> {
            let mut documents = 0u64;
            for chunk in rx {
                let mut written = 0u64;
                for doc in &chunk {
                    let n = write_document(target, doc)?;
                    if n == READER_GONE {
                        // Dropping the receiver stops the producers at their next chunk.
                        *stopped_after.lock().unwrap_or_else(|e| e.into_inner()) = Some(documents);
                        return Ok(());
                    }
                    documents += 1;
                    written += n;
                }
                flush_chunk(target)?;
                let total = bytes.fetch_add(written, Ordering::Relaxed) + written;
                bar.set_message(format!("{:.0} MB written", total as f64 / 1e6));
                bar.inc(chunk.len() as u64);
            }
            Ok(())
        });
        let mut start = range.start;
        let mut failure = None;
        while start < range.end {
            let end = (start + CHUNK as u64).min(range.end);
            let made: Vec<Result<Document>> = (0..(end - start) as usize)
                .into_par_iter()
                .map(|k| plan.document(start + k as u64, format))
                .collect();
            let chunk = match made.into_iter().collect::<Result<Vec<Document>>>() {
                Ok(chunk) => chunk,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            redrawn.extend(chunk.iter().filter(|d| d.redrawn > 0).map(|d| d.index));
            for doc in &chunk {
                *per_pack.entry(doc.pack.clone()).or_insert(0) += 1;
            }
            if tx.send(chunk).is_err() {
                break; // the writer stopped: its error is reported below
            }
            start = end;
        }
        drop(tx);
        let written = writer
            .join()
            .map_err(|_| Error::new("internal: the corpus writer thread panicked"))?;
        written?;
        match failure {
            Some(e) => Err(e),
            None => Ok(()),
        }
    })?;
    bar.finish_and_clear();
    let output = finish(target)?;
    let stopped = stopped_after
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    Ok(CorpusReport {
        output,
        documents: stopped.unwrap_or(range.end - range.start),
        stopped: stopped.is_some(),
        resumed: done,
        bytes: bytes.into_inner(),
        seconds: started.elapsed().as_secs_f64(),
        peak_rss_kb: peak_rss_kb(),
        redrawn,
        threads,
        per_pack,
    })
}

/// Opens the output for writing, or reopens a partial one with `--resume`; returns it
/// and how many documents of the range it already holds.
fn open_target(plan: &Plan, args: &CorpusArgs) -> Result<(Target, u64)> {
    let path = output_path(&args.output);
    if args.format == CorpusFormat::TxtDir && args.output == "-" {
        return Err(Error::new(
            "--format txt-dir writes a folder: give its name with -o (e.g. -o corpus).",
        ));
    }
    if args.format == CorpusFormat::Jsonl
        && (args.output == "-" || path.exists() && !path.is_file() && !path.is_dir())
    {
        if args.resume {
            return Err(Error::new(format!(
                "--resume needs an output file; {} is a stream. Give -o FILE.",
                args.output
            )));
        }
        let stream: Box<dyn Write + Send> = if args.output == "-" {
            Box::new(std::io::stdout())
        } else {
            Box::new(
                OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .map_err(|e| io_error(&path, "open", e))?,
            )
        };
        return Ok((
            Target::Stream {
                name: if args.output == "-" {
                    "standard output".into()
                } else {
                    args.output.clone()
                },
                out: Box::new(BufWriter::with_capacity(1 << 20, stream)),
            },
            0,
        ));
    }
    let partial = partial_path(&path);
    let shown = path.display();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::new(format!(
            "cannot write {shown}: the folder {} does not exist. Create it first or choose another -o.",
            dir.display()
        )));
    }
    match args.format {
        CorpusFormat::Jsonl if path.is_dir() => {
            return Err(Error::new(format!(
                "{shown} is a folder: give a file name for -o (e.g. -o {shown}/corpus.jsonl), or \
                 --format txt-dir to write one text file per document into a folder."
            )));
        }
        CorpusFormat::TxtDir if path.is_file() => {
            return Err(Error::new(format!(
                "{shown} is a file: --format txt-dir writes a folder; give a folder name for -o."
            )));
        }
        _ => {}
    }
    let empty_dir = args.format == CorpusFormat::TxtDir && is_empty_dir(&path);
    if path.exists() && !empty_dir && !args.force {
        return Err(Error::new(format!(
            "{shown} already exists; nothing was written. Add --force to replace it, or choose another -o."
        )));
    }
    if path.exists()
        && !empty_dir
        && args.format == CorpusFormat::TxtDir
        && !path.join(MANIFEST).is_file()
    {
        return Err(Error::new(format!(
            "{shown} exists and is not a corpus folder (it has no {MANIFEST}); it is left alone. \
             Choose another -o."
        )));
    }
    if path.exists() && args.format == CorpusFormat::TxtDir {
        // Refused now, before anything is written, if the folder holds more than a corpus.
        corpus_files(&path)?;
    }
    let lines = match args.format {
        CorpusFormat::Jsonl => partial.clone(),
        CorpusFormat::TxtDir => partial.join(MANIFEST),
    };
    if args.resume {
        if !partial.exists() {
            return Err(Error::new(format!(
                "--resume: there is no {} to continue. Run without --resume to start the corpus.",
                partial.display()
            )));
        }
        let mut file = open_locked(&lines)?;
        let done = recover(plan, args.format, &partial, &mut file)?;
        file.seek(SeekFrom::End(0))
            .map_err(|e| io_error(&lines, "open", e))?;
        return Ok((target(args.format, path, partial, file), done));
    }
    // A partial file another run is still writing is not "left from an interrupted run":
    // say so first, whatever the flags.
    if lines.exists() {
        drop(open_locked(&lines)?);
    }
    if partial.exists() && !args.force {
        return Err(Error::new(format!(
            "{} is left from an interrupted run. Add --resume to continue it (with the same \
             options), or --force to start again.",
            partial.display()
        )));
    }
    if args.format == CorpusFormat::TxtDir {
        if partial.exists() {
            // Not while another run is writing into it.
            if lines.exists() {
                drop(open_locked(&lines)?);
            }
            remove_corpus_folder(&partial)?;
        }
        std::fs::create_dir(&partial).map_err(|e| io_error(&partial, "create", e))?;
    }
    let file = open_locked(&lines)?;
    file.set_len(0).map_err(|e| io_error(&lines, "create", e))?;
    Ok((target(args.format, path, partial, file), 0))
}

/// Opens (creating, not truncating) the file a run appends its lines to, and locks it, so
/// that two runs never write one corpus: a second run, or a `--resume` while the first
/// still runs, stops with a message instead of interleaving lines. Where the file system
/// cannot lock, the run goes ahead unlocked.
fn open_locked(path: &Path) -> Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| io_error(path, "open", e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::new(format!(
            "another speechgen corpus run is writing {}; wait for it to finish (or stop it), \
             then run again with --resume.",
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(_)) => Ok(file),
    }
}

fn target(format: CorpusFormat, path: PathBuf, partial: PathBuf, file: File) -> Target {
    let buffered = BufWriter::with_capacity(1 << 20, file);
    match format {
        CorpusFormat::Jsonl => Target::File {
            path,
            partial,
            file: buffered,
        },
        CorpusFormat::TxtDir => Target::Dir {
            path,
            partial,
            manifest: buffered,
        },
    }
}

/// Makes a partial corpus end at its last complete line and returns how many documents
/// it holds. The last line must be exactly what these options give for its index, so a
/// partial file of another corpus is never continued.
fn recover(plan: &Plan, format: CorpusFormat, partial: &Path, file: &mut File) -> Result<u64> {
    let lines = match format {
        CorpusFormat::Jsonl => partial.to_path_buf(),
        CorpusFormat::TxtDir => partial.join(MANIFEST),
    };
    let (keep, last) = last_complete_line(file).map_err(|e| io_error(&lines, "read", e))?;
    let truncate = |file: &File| {
        file.set_len(keep)
            .map_err(|e| io_error(&lines, "truncate", e))
    };
    let Some(last) = last else {
        truncate(file)?;
        return Ok(0);
    };
    let other = |why: String| {
        Error::new(format!(
            "{} does not continue this corpus ({why}); resume with the options it was started \
             with (--count, --seed, --shard, --packs, --localities, area, --lengths, --script), or add \
             --force without --resume to start again.",
            partial.display()
        ))
    };
    let head: LineHead = serde_json::from_slice(&last)
        .map_err(|e| other(format!("its last line is not a corpus line: {e}")))?;
    if !plan.range.contains(&head.index) || head.id != document_id(plan.seed, head.index) {
        return Err(other(format!(
            "its last line is {} (index {}), outside indexes {}..{} of seed {}",
            head.id, head.index, plan.range.start, plan.range.end, plan.seed
        )));
    }
    let expected = plan.document(head.index, format)?;
    if expected.line != last {
        return Err(other(format!(
            "document {} differs from what these options write",
            head.index
        )));
    }
    let done = head.index - plan.range.start + 1;
    prove_prefix(plan, format, &lines, keep, done).map_err(other)?;
    // Only now, with the file known to be this corpus, is a torn last line cut off.
    truncate(file)?;
    Ok(done)
}

/// Every complete line of a partial corpus is the document these options write at its
/// place: ids and indexes in order (a missing or repeated line is caught), and each line
/// recomputed and compared byte for byte (an altered one is caught). Costs what writing
/// those documents cost, on every core; resuming is rare and must not continue a corpus
/// that is not this one.
fn prove_prefix(
    plan: &Plan,
    format: CorpusFormat,
    lines: &Path,
    keep: u64,
    done: u64,
) -> std::result::Result<(), String> {
    use std::io::{BufRead, BufReader, Read};
    let file = File::open(lines).map_err(|e| format!("it cannot be read: {e}"))?;
    let mut reader = BufReader::new(file.take(keep));
    let mut index = plan.range.start;
    let mut chunk: Vec<(u64, Vec<u8>)> = Vec::with_capacity(CHUNK);
    let check = |chunk: &[(u64, Vec<u8>)]| -> std::result::Result<(), String> {
        let bad = chunk
            .par_iter()
            .find_map_first(|(i, line)| match plan.document(*i, format) {
                Ok(doc) if doc.line == *line => None,
                Ok(_) => Some(format!(
                    "its line for document {i} differs from what these options write"
                )),
                Err(e) => Some(format!("document {i} cannot be recomputed: {e}")),
            });
        bad.map_or(Ok(()), Err)
    };
    loop {
        let mut line = Vec::new();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("it cannot be read: {e}"))?;
        if n == 0 {
            break;
        }
        let head: LineHead = serde_json::from_slice(&line).map_err(|e| {
            format!(
                "line {} is not a corpus line: {e}",
                index - plan.range.start + 1
            )
        })?;
        if head.index != index || head.id != document_id(plan.seed, index) {
            return Err(format!(
                "line {} is {} (index {}) where document {index} belongs: a line is missing, \
                 repeated or out of order",
                index - plan.range.start + 1,
                head.id,
                head.index
            ));
        }
        chunk.push((index, line));
        index += 1;
        if chunk.len() == CHUNK * 4 {
            check(&chunk)?;
            chunk.clear();
        }
    }
    check(&chunk)?;
    if index - plan.range.start != done {
        return Err(format!(
            "it holds {} complete lines but its last line is document {}",
            index - plan.range.start,
            plan.range.start + done - 1
        ));
    }
    Ok(())
}

/// Finds the end of the last complete line (`\n`) of a file and returns that length and
/// the line (with its `\n`). Reads backwards, so a huge file costs one line, not a scan.
fn last_complete_line(file: &mut File) -> std::io::Result<(u64, Option<Vec<u8>>)> {
    let len = file.metadata()?.len();
    let Some(newline) = rfind_newline(file, len)? else {
        return Ok((0, None));
    };
    let end = newline + 1;
    let start = rfind_newline(file, newline)?.map_or(0, |p| p + 1);
    let mut line = vec![0u8; (end - start) as usize];
    file.seek(SeekFrom::Start(start))?;
    file.read_exact(&mut line)?;
    Ok((end, Some(line)))
}

/// The position of the last `\n` before byte `before`.
fn rfind_newline(file: &mut File, before: u64) -> std::io::Result<Option<u64>> {
    const BLOCK: u64 = 64 * 1024;
    let mut pos = before;
    let mut block = Vec::new();
    while pos > 0 {
        let from = pos.saturating_sub(BLOCK);
        block.resize((pos - from) as usize, 0);
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut block)?;
        if let Some(i) = block.iter().rposition(|&b| b == b'\n') {
            return Ok(Some(from + i as u64));
        }
        pos = from;
    }
    Ok(None)
}

/// What `write_document` returns when standard output was closed by its reader.
const READER_GONE: u64 = u64::MAX;

fn write_document(target: &mut Target, doc: &Document) -> Result<u64> {
    match target {
        Target::Stream { out, .. } => match out.write_all(&doc.line) {
            Ok(()) => Ok(doc.line.len() as u64),
            // The reader has gone (`| head`): the caller stops writing.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(READER_GONE),
            Err(e) => Err(Error::new(format!("cannot write the corpus: {e}"))),
        },
        Target::File { partial, file, .. } => {
            file.write_all(&doc.line)
                .map_err(|e| io_error(partial, "write", e))?;
            Ok(doc.line.len() as u64)
        }
        Target::Dir {
            partial, manifest, ..
        } => {
            // The text file first: a manifest line always names a complete file.
            let text = doc.text.as_deref().unwrap_or_default();
            let file = partial.join(format!("{}.txt", doc.id));
            std::fs::write(&file, text).map_err(|e| io_error(&file, "write", e))?;
            manifest
                .write_all(&doc.line)
                .map_err(|e| io_error(partial, "write the manifest in", e))?;
            Ok((doc.line.len() + text.len()) as u64)
        }
    }
}

fn flush_chunk(target: &mut Target) -> Result<()> {
    match target {
        Target::Stream { out, .. } => match out.flush() {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(Error::new(format!("cannot write the corpus: {e}")))
            }
            _ => Ok(()),
        },
        // Files are flushed when their buffer fills; a torn last line is repaired by --resume.
        _ => Ok(()),
    }
}

/// Flushes, syncs and renames the partial output into place; returns the output's name.
fn finish(target: Target) -> Result<String> {
    match target {
        Target::Stream { name, mut out } => match out.flush() {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::new(format!(
                "cannot write the corpus to {name}: {e}"
            ))),
            _ => Ok(name),
        },
        Target::File {
            path,
            partial,
            file,
        } => {
            let file = file
                .into_inner()
                .map_err(|e| io_error(&partial, "write", e.into_error()))?;
            file.sync_all()
                .map_err(|e| io_error(&partial, "write", e))?;
            std::fs::rename(&partial, &path).map_err(|e| io_error(&path, "rename into", e))?;
            Ok(path.display().to_string())
        }
        Target::Dir {
            path,
            partial,
            manifest,
        } => {
            let file = manifest
                .into_inner()
                .map_err(|e| io_error(&partial, "write", e.into_error()))?;
            file.sync_all()
                .map_err(|e| io_error(&partial, "write", e))?;
            if path.exists() {
                // An empty folder, or a corpus folder with --force (open_target checked):
                // only the files a corpus run writes are removed.
                remove_corpus_folder(&path)?;
            }
            std::fs::rename(&partial, &path).map_err(|e| io_error(&path, "rename into", e))?;
            Ok(path.display().to_string())
        }
    }
}

/// What `--verify` found.
#[derive(Debug, Clone)]
pub struct VerifyReport {
    pub output: String,
    pub lines: u64,
    pub sampled: usize,
    pub seconds: f64,
}

impl VerifyReport {
    pub fn summary(&self) -> String {
        format!(
            "speechgen corpus --verify: {} OK — {} lines in order with the expected ids, {} \
             recomputed and identical ({:.2} s)\n",
            self.output, self.lines, self.sampled, self.seconds
        )
    }
}

/// `speechgen corpus --verify`: checks that an existing corpus (or shard, or merged
/// shards) is what these options write: the count, every line's id and index in order,
/// and a sample of documents recomputed byte for byte (first, last and spread between).
pub fn verify(args: &CorpusArgs) -> Result<VerifyReport> {
    let pool = thread_pool(args.threads)?;
    pool.install(|| {
        let started = Instant::now();
        let plan = Plan::new(args)?;
        let path = output_path(&args.output);
        let lines_path = match args.format {
            CorpusFormat::Jsonl => path.clone(),
            CorpusFormat::TxtDir => path.join(MANIFEST),
        };
        let file = File::open(&lines_path).map_err(|e| {
            Error::new(format!(
                "cannot verify {}: {e}. Give the corpus with -o and the options it was written with.",
                lines_path.display()
            ))
        })?;
        let expected = plan.range.end - plan.range.start;
        let sample = sample_indexes(&plan, args.sample);
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut line = Vec::new();
        let mut n = 0u64;
        let mut to_check: Vec<(u64, Vec<u8>)> = Vec::new();
        let shown = lines_path.display();
        loop {
            line.clear();
            let read = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| io_error(&lines_path, "read", e))?;
            if read == 0 {
                break;
            }
            let index = plan.range.start + n;
            if n >= expected {
                return Err(Error::new(format!(
                    "{shown}: more lines than the {expected} documents these options give (line {} \
                     is extra); check --count and --shard.",
                    n + 1
                )));
            }
            if line.last() != Some(&b'\n') {
                return Err(Error::new(format!(
                    "{shown}:{}: the last line is cut off (an interrupted run?); continue it with \
                     --resume or write it again.",
                    n + 1
                )));
            }
            let head = format!(
                "{{\"id\":\"{}\",\"index\":{index},",
                document_id(plan.seed, index)
            );
            if !line.starts_with(head.as_bytes()) {
                let found: String = String::from_utf8_lossy(&line[..line.len().min(60)]).into();
                return Err(Error::new(format!(
                    "{shown}:{}: expected document {index} (id {}), found “{found}…”. Lines are \
                     missing, repeated or out of order — merge shards in order 1..M — or the \
                     options differ from the run that wrote it.",
                    n + 1,
                    document_id(plan.seed, index)
                )));
            }
            if sample.binary_search(&index).is_ok() {
                to_check.push((index, line.clone()));
            }
            n += 1;
        }
        if n != expected {
            return Err(Error::new(format!(
                "{shown}: {n} lines, but these options give {expected} documents (indexes {}..{}); \
                 the corpus is incomplete — resume it, or merge every shard.",
                plan.range.start, plan.range.end
            )));
        }
        let format = args.format;
        to_check
            .par_iter()
            .map(|(index, found)| -> Result<()> {
                let doc = plan.document(*index, format)?;
                if &doc.line != found {
                    return Err(Error::new(format!(
                        "{shown}: document {index} differs from what these options write; the \
                         corpus was written with other options or has been altered."
                    )));
                }
                if let Some(text) = &doc.text {
                    let file = path.join(format!("{}.txt", doc.id));
                    let on_disk = std::fs::read(&file).map_err(|e| io_error(&file, "read", e))?;
                    if on_disk != text.as_bytes() {
                        return Err(Error::new(format!(
                            "{}: the text differs from what these options write.",
                            file.display()
                        )));
                    }
                }
                Ok(())
            })
            .collect::<Result<Vec<()>>>()?;
        Ok(VerifyReport {
            output: args.output.clone(),
            lines: n,
            sampled: to_check.len(),
            seconds: started.elapsed().as_secs_f64(),
        })
    })
}

/// The indexes `--verify` recomputes: the first and last of the range and others spread
/// over it by a stream seeded from the corpus seed; sorted, without repeats.
fn sample_indexes(plan: &Plan, sample: usize) -> Vec<u64> {
    let range = plan.range();
    if range.is_empty() || sample == 0 {
        return Vec::new();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(&[&plan.seed.to_le_bytes(), b"verify"]));
    let mut out = vec![range.start, range.end - 1];
    while out.len() < sample && (out.len() as u64) < range.end - range.start {
        out.push(rng.random_range(range.clone()));
        out.sort_unstable();
        out.dedup();
    }
    out.truncate(sample.max(1));
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_written_as_serde_writes_them() {
        let pack = Pack::default_pack().unwrap();
        let loc = Locality::from_name("太平镇").unwrap();
        let options = Options {
            seed: 3,
            ..Options::default()
        };
        let speech = generate::generate(pack, &loc, &options).unwrap();
        let draft = render::json_draft(&speech, &pack.id, 3, &loc);
        for (length, script) in [(None, None), (Some(4200), Some("zh-Hant")), (Some(1), None)] {
            let line = Line {
                id: "sg-1-7",
                index: 7,
                length,
                script,
                draft: &draft,
            };
            let mut direct = Vec::new();
            line.write(&mut direct);
            assert_eq!(
                String::from_utf8(direct).unwrap(),
                serde_json::to_string(&line).unwrap()
            );
            let mut direct = Vec::new();
            line.write_manifest(&mut direct, "sg-1-7.txt");
            let serde = serde_json::to_string(&ManifestLine {
                id: "sg-1-7",
                index: 7,
                length,
                script,
                file: "sg-1-7.txt",
                title: draft.title,
                pack: draft.pack,
                seed: draft.seed,
                locality: &draft.locality,
                outline: &draft.outline,
                spans: &draft.spans,
            })
            .unwrap();
            assert_eq!(String::from_utf8(direct).unwrap(), serde);
        }
    }

    #[test]
    fn shards_are_contiguous_and_cover_the_corpus() {
        for (count, m) in [(10, 3), (7, 7), (3, 5), (1_000_003, 64)] {
            let mut next = 0;
            for k in 1..=m {
                let r = shard_range(count, k, m);
                assert_eq!(r.start, next);
                next = r.end;
            }
            assert_eq!(next, count);
        }
        assert_eq!(parse_shard("3/8").unwrap(), (3, 8));
        assert_eq!(parse_lengths("2000-7000").unwrap(), (2000, 7000));
        assert_eq!(parse_lengths("3000").unwrap(), (3000, 3000));
        for bad in ["7000-2000", "10-20", "x", "2000-"] {
            assert!(parse_lengths(bad).is_err(), "{bad}");
        }
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_last_complete_line_is_found_and_a_torn_one_cut() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x");
        let long = "y".repeat(200_000);
        for (content, keep, last) in [
            ("", 0, None),
            ("abc", 0, None),
            ("a\n", 2, Some("a\n")),
            ("a\nbb\ncc", 5, Some("bb\n")),
            (
                &format!("a\n{long}\nzz") as &str,
                200_003,
                Some(&format!("{long}\n") as &str),
            ),
        ] {
            std::fs::write(&path, content).unwrap();
            let mut file = File::open(&path).unwrap();
            let (k, l) = last_complete_line(&mut file).unwrap();
            assert_eq!(k, keep, "{}", &content[..content.len().min(10)]);
            assert_eq!(l.as_deref(), last.map(str::as_bytes));
        }
    }
}
