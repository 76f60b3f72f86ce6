//! The README cannot go stale: every command it shows runs here, and wherever it shows
//! what a command prints, the command must print exactly that.
//!
//! Conventions in README.md (also stated in its "Tests" section):
//! - a ```sh block: each line is a shell command (`speechgen` is the binary under test);
//!   it must exit 0, or the status its `# exits N` comment names. `cargo run --release --`
//!   is run as `speechgen`; `cargo test` is not run (it is this test);
//! - a ```console block: `$ command` lines, each followed by what it prints (stdout, then
//!   stderr). An expected line `…` stands for any number of lines; a line ending in `…`
//!   matches any line that starts with the text before it;
//! - `<!-- readme: file PATH -->` before a block: the block is written to PATH first (the
//!   README shows a file the reader writes);
//! - `speechgen serve …` (in either kind of block) starts in the background for the rest
//!   of its block and must print its address first (a console block shows that line);
//! - every other block (```text, ```yaml, ```json …) is shown, not run.
//!
//! All blocks run in order in one sandbox folder holding copies of `examples/`,
//! `corpora/sources/` and `tests/fixtures/`, so a later command may read what an earlier one
//! wrote. The examples of every subcommand's `--help` run the same way.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::CommandFactory;

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_speechgen"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A folder laid out like the repository for the examples, with a home of its own (for
/// `~/.local/…` in the completion examples) and the binary on PATH as `speechgen`.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for part in ["examples", "corpora/sources", "tests/fixtures"] {
            copy_dir(&root.join(part), &dir.path().join(part));
        }
        for home in [
            ".local/share/bash-completion/completions",
            ".zfunc",
            ".config/fish/completions",
            "bin",
        ] {
            std::fs::create_dir_all(dir.path().join("home").join(home)).unwrap();
        }
        std::os::unix::fs::symlink(binary(), dir.path().join("home/bin/speechgen")).unwrap();
        Sandbox { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// One command line for `sh -c`, in the sandbox with its home and PATH.
    fn shell(&self, line: &str) -> Command {
        let home = self.path().join("home");
        let path = format!(
            "{}:{}",
            home.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(line)
            .current_dir(self.path())
            .env("PATH", path)
            .env("PROFILE", home.join("profile.ps1"))
            .env("HOME", home)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100");
        command
    }

    /// Runs one command line with `sh -c`; returns (status, stdout + stderr).
    fn run(&self, line: &str) -> (i32, String) {
        let out = self.shell(line).output().unwrap();
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        (out.status.code().unwrap_or(-1), text)
    }

    /// Runs a command that must succeed (or exit as its `# exits N` comment says).
    fn check_status(&self, origin: &str, line: &str) -> String {
        let expected = line
            .split_once(" #")
            .and_then(|(_, comment)| comment.split("exits ").nth(1))
            .and_then(|n| n.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
            .unwrap_or(0);
        let (status, output) = self.run(line);
        assert_eq!(
            status, expected,
            "{origin}: `{line}` exited {status}, expected {expected}:\n{output}"
        );
        output
    }
}

/// A command that runs until stopped (`speechgen serve`): started in the background for
/// the rest of its block, killed when dropped.
struct Background(std::process::Child);

impl Drop for Background {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn is_server(line: &str) -> bool {
    line.starts_with("speechgen serve")
}

impl Sandbox {
    /// Starts a server command; gives it and the first line it printed (its address).
    fn start(&self, origin: &str, line: &str) -> (Background, String) {
        use std::io::BufRead;
        let mut child = self
            .shell(&format!("exec {line}"))
            .env("BROWSER", "true")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(
            first.contains("open http://"),
            "{origin}: `{line}` did not start a server: {first:?}"
        );
        (Background(child), first.trim_end().to_string())
    }
}

/// Does `actual` match the `expected` lines (`…` = any lines, `text…` = a line starting
/// with text)?
fn matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"…", rest)) => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((first, rest)) => actual.split_first().is_some_and(|(line, others)| {
            let same = match first.strip_suffix('…') {
                Some(prefix) => line.starts_with(prefix),
                None => line == first,
            };
            same && matches(rest, others)
        }),
    }
}

struct Block {
    /// Line of the opening fence in README.md.
    line: usize,
    lang: String,
    body: Vec<String>,
    /// `<!-- readme: file PATH -->` before the block.
    file: Option<String>,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    let mut pending_file = None;
    for (n, line) in markdown.lines().enumerate() {
        if let Some(block) = current.as_mut() {
            if line.starts_with("```") {
                blocks.push(current.take().unwrap());
            } else {
                block.body.push(line.to_string());
            }
        } else if let Some(lang) = line.strip_prefix("```") {
            current = Some(Block {
                line: n + 1,
                lang: lang.trim().to_string(),
                body: Vec::new(),
                file: pending_file.take(),
            });
        } else if let Some(path) = line
            .strip_prefix("<!-- readme: file ")
            .and_then(|r| r.strip_suffix(" -->"))
        {
            pending_file = Some(path.trim().to_string());
        }
    }
    assert!(current.is_none(), "README.md: a code block is not closed");
    blocks
}

fn run_console(sandbox: &Sandbox, origin: &str, body: &[String]) {
    let mut servers = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let command = body[i].strip_prefix("$ ").unwrap_or_else(|| {
            panic!(
                "{origin}: a console block line must start with `$ `: {}",
                body[i]
            )
        });
        let mut expected = Vec::new();
        i += 1;
        while i < body.len() && !body[i].starts_with("$ ") {
            expected.push(body[i].as_str());
            i += 1;
        }
        let output = if is_server(command) {
            let (server, first) = sandbox.start(origin, command);
            servers.push(server);
            first
        } else {
            sandbox.check_status(origin, command)
        };
        let actual: Vec<&str> = output.lines().collect();
        assert!(
            matches(&expected, &actual),
            "{origin}: `{command}` printed something else than the README shows.\n\
             --- README\n{}\n--- printed\n{}",
            expected.join("\n"),
            output
        );
    }
}

#[test]
fn readme_commands_run_and_print_what_the_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let sandbox = Sandbox::new();
    let mut commands = 0;
    for block in blocks(&readme) {
        let origin = format!("README.md:{}", block.line);
        if let Some(path) = &block.file {
            let target = sandbox.path().join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, block.body.join("\n") + "\n").unwrap();
            continue;
        }
        match block.lang.as_str() {
            "sh" => {
                let mut servers = Vec::new();
                for line in &block.body {
                    let line = line.trim();
                    if line.is_empty() || line.starts_with('#') || line.starts_with("cargo test") {
                        continue;
                    }
                    let line = match line.strip_prefix("cargo run --release -- ") {
                        Some(args) => format!("speechgen {args}"),
                        None => line.to_string(),
                    };
                    if line.starts_with("cargo ") {
                        continue; // building and installing: what CI does before this test
                    }
                    if is_server(&line) {
                        servers.push(sandbox.start(&origin, &line).0);
                        continue;
                    }
                    sandbox.check_status(&origin, &line);
                    commands += 1;
                }
            }
            "console" => {
                run_console(&sandbox, &origin, &block.body);
                commands += 1;
            }
            _ => {}
        }
    }
    assert!(commands > 20, "only {commands} README commands found");
}

/// The `Examples:` lines of every subcommand's `--help`.
fn help_examples() -> Vec<(String, String)> {
    let mut cli = speechgen::cli::args::Cli::command();
    cli.build();
    let mut examples = Vec::new();
    for sub in cli.get_subcommands() {
        let help = sub
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        for line in help.lines() {
            if let Some(command) = line.trim_start().strip_prefix("speechgen ") {
                examples.push((sub.get_name().to_string(), format!("speechgen {command}")));
            } else if line.trim_start().starts_with("cat ") && line.contains("| speechgen") {
                examples.push((sub.get_name().to_string(), line.trim().to_string()));
            }
        }
    }
    examples
}

#[test]
fn every_help_example_runs() {
    let sandbox = Sandbox::new();
    // What the examples read: two drafts, a Word file, a speech, a pack folder.
    for setup in [
        "speechgen generate --locality 朱家角镇 --seed 7 -o 朱家角镇.txt",
        "speechgen generate --seed 1 -o 西布河乡.txt",
        "cp tests/fixtures/ingest/dangjian.docx 讲话稿.docx",
        "speechgen clean tests/fixtures/ingest/anquan-pdf.txt -o anquan.txt",
        "speechgen decompose anquan.txt --out packs/anquan",
    ] {
        sandbox.check_status("setup", setup);
    }
    let examples = help_examples();
    assert!(
        examples.len() > 30,
        "only {} help examples found",
        examples.len()
    );
    for (sub, example) in examples {
        // `# comment` after an example explains it; the shell ignores it. A server is
        // started, must print its address, and is stopped.
        let origin = format!("speechgen {sub} --help");
        if is_server(&example) {
            drop(sandbox.start(&origin, &example));
        } else {
            sandbox.check_status(&origin, &example);
        }
    }
}

#[test]
fn the_matcher_understands_the_readme_conventions() {
    assert!(matches(&["a", "…", "d"], &["a", "b", "c", "d"]));
    assert!(matches(&["a", "…"], &["a"]));
    assert!(matches(&["ab…"], &["abc"]));
    assert!(!matches(&["a", "d"], &["a", "b", "d"]));
    assert!(!matches(&["ab…"], &["ba"]));
    assert!(!matches(&["a"], &["a", "b"]));
}
