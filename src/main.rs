//! Command-line front end: parses arguments and hands them to the library.

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use speechgen::byline::BylineRequest;
use speechgen::commands::{self, Format, GenerateArgs};
use speechgen::present::Presentation;
use speechgen::script::Script;

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

#[derive(Subcommand)]
enum Command {
    /// Write a speech draft (default pack mass-work, default place 西布河乡).
    #[command(
        after_help = "Examples:\n  speechgen generate --locality 太平镇 --seed 7\n  \
        speechgen generate --locality 大栅栏街道 --format json -o draft.json\n  \
        speechgen generate --locality 城关镇 --county 宁蒗彝族自治县\n  \
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
            script,
            speaker,
            date,
            byline,
            explain,
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
                FormatArg::Markdown => Format::Markdown,
                FormatArg::Docx => Format::Docx,
            },
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
        Command::Check { dir } => commands::check(dir.as_deref()).map(|report| print!("{report}")),
        Command::Packs { pack_dir } => {
            commands::packs(pack_dir.as_deref()).map(|report| print!("{report}"))
        }
        Command::Completions { shell } => commands::completions(Cli::command(), shell),
        Command::Man { output, force } => {
            commands::man(Cli::command(), output.as_deref(), force).map(|r| eprint!("{r}"))
        }
    };
    if let Err(err) = result {
        eprintln!("speechgen: error: {err}");
        std::process::exit(1);
    }
}
