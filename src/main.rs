//! Command-line front end: parses arguments and hands them to the library.

use clap::{Parser, Subcommand, ValueEnum};
use speechgen::commands::{self, Format, GenerateArgs};

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
}

#[derive(Subcommand)]
enum Command {
    /// Write a speech draft (default pack mass-work, default place 西布河乡).
    #[command(
        after_help = "Examples:\n  speechgen generate --locality 太平镇 --seed 7\n  \
        speechgen generate --locality 大栅栏街道 --format json -o draft.json\n  \
        speechgen generate --locality 城关镇 --county 宁蒗彝族自治县\n  \
        speechgen generate --locality-file examples/locality-taiping.yaml\n  \
        speechgen generate --faithful            # the seed speech, repaired and completed"
    )]
    Generate {
        /// Pack: an embedded id (mass-work) or a pack folder.
        #[arg(long)]
        pack: Option<String>,
        /// Place name, e.g. 太平镇, 西布河乡, 大栅栏街道, 巴音苏木; the level comes from the suffix.
        #[arg(long)]
        locality: Option<String>,
        /// County-level unit above the place, e.g. 宁蒗彝族自治县 (decides 县委/区委/市委/旗委).
        #[arg(long)]
        county: Option<String>,
        /// Force the level: 乡, 镇, 街道, 苏木, 场, 园区, 其他.
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
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: FormatArg,
        /// Output file (- for stdout, the default).
        #[arg(short, long, value_name = "FILE")]
        output: Option<String>,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
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
    /// Validate a pack (the embedded default when no folder is given).
    #[command(after_help = "Examples:\n  speechgen check\n  speechgen check ./my-pack")]
    Check {
        /// Pack folder (or embedded id).
        dir: Option<String>,
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
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate {
            pack,
            locality,
            county,
            level,
            locality_file,
            seed,
            faithful,
            format,
            output,
            force,
        } => commands::generate(&GenerateArgs {
            pack,
            locality,
            county,
            level,
            locality_file,
            seed,
            faithful,
            format: match format {
                FormatArg::Text => Format::Text,
                FormatArg::Json => Format::Json,
            },
            output,
            force,
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
        Command::Check { dir } => commands::check(dir.as_deref()).map(|report| print!("{report}")),
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
    };
    if let Err(err) = result {
        eprintln!("speechgen: error: {err}");
        std::process::exit(1);
    }
}
