//! CLI: the command line on top of every stage.
//!
//! `args` holds the clap types (shared flag groups flattened into each subcommand), `run`
//! the subcommand runners, `catalog` the pack list, `manual` completions and man pages.
//! [`main`] parses, dispatches and turns an error into one message and an exit status:
//! 0 success, 1 failure, 2 usage error (clap's own).

pub mod args;
pub mod catalog;
pub mod manual;
pub mod run;

use std::io::IsTerminal;

use clap::CommandFactory;

use args::{Cli, ColorWhen, Command};

/// Parses the process's arguments, runs the subcommand and returns the exit status.
pub fn main() -> i32 {
    let color = color_from_args(std::env::args_os());
    let matches = Cli::command()
        .color(match color {
            Some(ColorWhen::Always) => clap::ColorChoice::Always,
            Some(ColorWhen::Never) => clap::ColorChoice::Never,
            _ => clap::ColorChoice::Auto,
        })
        .get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    let colored = use_color(cli.color);
    match dispatch(cli.command) {
        Ok(()) => 0,
        Err(err) => {
            let prefix = if colored {
                "\x1b[1;31mspeechgen: error:\x1b[0m"
            } else {
                "speechgen: error:"
            };
            eprintln!("{prefix} {err}");
            1
        }
    }
}

/// `--color` as given before parsing, so clap's own help and usage errors follow it too.
fn color_from_args(args: impl Iterator<Item = std::ffi::OsString>) -> Option<ColorWhen> {
    let args: Vec<String> = args.map(|a| a.to_string_lossy().into_owned()).collect();
    let value = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--color=")
            .map(str::to_string)
            .or_else(|| (a == "--color").then(|| args.get(i + 1).cloned().unwrap_or_default()))
    })?;
    match value.as_str() {
        "always" => Some(ColorWhen::Always),
        "never" => Some(ColorWhen::Never),
        _ => None,
    }
}

/// Colour for speechgen's own messages: `always`, or `auto` on a terminal when NO_COLOR
/// is unset or empty (https://no-color.org).
pub fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
}

fn print(report: String) {
    // A closed pipe (`| head`) is not worth an error message.
    let _ = crate::base::files::write(None, report.as_bytes(), false);
}

fn dispatch(command: Command) -> crate::Result<()> {
    match command {
        Command::Generate(args) => run::generate(&args),
        Command::Serve(args) => crate::serve::run(&crate::serve::ServeOptions {
            port: args.port,
            listen: args.listen,
            open: args.open,
        }),
        Command::Clean { input, output } => {
            run::clean(&input, output.output.as_deref(), output.force).map(|report| {
                for line in report {
                    eprintln!("{line}");
                }
            })
        }
        Command::Similarity { files, json, show } => run::similarity(&files, json, show).map(print),
        Command::Locality { query, area, json } => {
            run::locality(&query, &area.filter(), json).map(print)
        }
        Command::Batch(args) => run::batch(&args),
        Command::Variety(args) => run::variety(&args).map(print),
        Command::Check { dir } => run::check(dir.as_deref()).map(print),
        Command::Packs { pack_dir } => run::packs(pack_dir.as_deref()).map(print),
        Command::Completions { shell } => run::completions(Cli::command(), shell),
        Command::Man { output, force } => {
            run::man(Cli::command(), output.as_deref(), force).map(|r| eprint!("{r}"))
        }
        Command::Outline { input, format } => run::outline(&input, format).map(print),
        Command::Decompose {
            input,
            out,
            id,
            name,
            place,
            force,
            enrich,
        } => crate::ingest::decompose::command(
            &input,
            &out,
            &crate::ingest::decompose::Options {
                id,
                name,
                place,
                enrich,
            },
            force,
        )
        .map(print),
        Command::Corpus(args) => run::corpus(&args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_flag_is_read_before_parsing() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            color_from_args(args(&["speechgen", "--color", "never", "packs"]).into_iter()),
            Some(ColorWhen::Never)
        );
        assert_eq!(
            color_from_args(args(&["speechgen", "packs", "--color=always"]).into_iter()),
            Some(ColorWhen::Always)
        );
        assert_eq!(
            color_from_args(args(&["speechgen", "packs"]).into_iter()),
            None
        );
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
