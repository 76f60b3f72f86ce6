//! Shell completions and man pages, generated from the same clap definition the binary
//! parses with (so they never drift from the real options).

use std::path::Path;

use clap_complete::Shell;

use crate::base::error::{Error, Result};
use crate::base::files;

/// The completion script for `shell`, for the command `cmd` (the binary's `Cli::command()`).
pub fn completions(mut cmd: clap::Command, shell: Shell) -> Vec<u8> {
    let name = cmd.get_name().to_string();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    out
}

/// Man pages: `(file name, roff)` for the command and each of its subcommands
/// (`speechgen.1`, `speechgen-generate.1`, …).
pub fn man_pages(cmd: clap::Command) -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut roff = Vec::new();
        man.render(&mut roff)
            .map_err(|e| Error::new(format!("internal: cannot render a man page: {e}")))?;
        out.push((man.get_filename(), roff));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub.clone(), out)?;
        }
        Ok(())
    }
    let mut cmd = cmd.disable_help_subcommand(true);
    // Building gives subcommands their display names (speechgen-generate).
    cmd.build();
    let mut pages = Vec::new();
    walk(cmd, &mut pages)?;
    Ok(pages)
}

/// `speechgen man [-o DIR]`: without a folder, the main page on stdout; with one, every
/// page written into it (each through a temporary file; existing pages need `force`).
/// Returns the report for stderr.
pub fn write_man(cmd: clap::Command, dir: Option<&str>, force: bool) -> Result<String> {
    let pages = man_pages(cmd)?;
    let Some(dir) = dir.filter(|d| *d != "-") else {
        files::write(None, &pages[0].1, false)?;
        return Ok(String::new());
    };
    let dir = Path::new(dir);
    if dir.exists() && !dir.is_dir() {
        return Err(Error::new(format!(
            "man -o {}: this is a file, not a folder. Give the folder for the pages, e.g. -o ~/.local/share/man/man1.",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::new(format!(
            "man -o {}: cannot create this folder ({e}). Choose a folder you can write to.",
            dir.display()
        ))
    })?;
    // Refuse before writing anything, so a run without --force changes no file.
    let existing = pages.iter().find(|(name, _)| dir.join(name).exists());
    if let (false, Some((name, _))) = (force, existing) {
        return Err(Error::new(format!(
            "{} already exists; nothing was written. Add --force to replace the man pages.",
            dir.join(name).display()
        )));
    }
    for (name, roff) in &pages {
        files::write_file(&dir.join(name), roff, true, files::NamedBy::Folder("-o"))?;
    }
    Ok(format!(
        "speechgen man: wrote {} pages to {} ({})\n",
        pages.len(),
        dir.display(),
        pages
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}
