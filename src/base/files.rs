//! Files in and out. Reading: a path or `-` for standard input, text decoded from
//! UTF-8, GB18030/GBK or UTF-16. Writing: `-` is stdout; files are written to a temporary
//! file in the same folder and renamed, so an interrupted run never leaves half a file,
//! and an existing file is only replaced with `--force`.

use std::io::{Read, Write};
use std::path::Path;

use crate::base::error::{Error, Result};

/// The largest input speechgen reads (a speech is tens of kilobytes; a 文库 page a few MB).
pub const MAX_INPUT: u64 = 64 * 1024 * 1024;

fn too_big(path: &str) -> Error {
    Error::new(format!(
        "{path}: more than {} MB; speechgen reads documents up to that size. Split the file, \
         or give the part that holds the speech.",
        MAX_INPUT / (1024 * 1024)
    ))
}

/// Reads a file (or `-` for stdin) as bytes, at most MAX_INPUT of them.
pub fn read_input(path: &str) -> Result<Vec<u8>> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_INPUT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::new(format!("cannot read standard input: {e}")))?;
        if bytes.len() as u64 > MAX_INPUT {
            return Err(too_big("standard input"));
        }
        return Ok(bytes);
    }
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
        && meta.len() > MAX_INPUT
    {
        return Err(too_big(path));
    }
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        // A device or FIFO (/dev/zero): read at most the budget.
        let file = std::fs::File::open(path)
            .map_err(|e| Error::new(format!("{path}: cannot read this file ({e}).")))?;
        let mut bytes = Vec::new();
        file.take(MAX_INPUT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::new(format!("{path}: cannot read this file ({e}).")))?;
        if bytes.len() as u64 > MAX_INPUT {
            return Err(too_big(path));
        }
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|e| {
        Error::new(format!(
            "{path}: cannot read this file ({e}). Give a text file (UTF-8, GB18030/GBK or UTF-16) or - for standard input."
        ))
    })
}

/// Decodes bytes: UTF-8 (with or without BOM), UTF-16LE/BE with BOM; anything that is not
/// valid UTF-8 is decoded as GB18030 (a superset of GBK and GB2312). Returns the text and the
/// name of the encoding used. Never fails: undecodable bytes become U+FFFD (reported later).
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        let (text, _had_errors) = enc.decode_without_bom_handling(body);
        let name = if enc == encoding_rs::UTF_8 {
            "UTF-8 (BOM)"
        } else if enc == encoding_rs::UTF_16LE {
            "UTF-16LE"
        } else if enc == encoding_rs::UTF_16BE {
            "UTF-16BE"
        } else {
            enc.name()
        };
        return (text.into_owned(), name);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), "UTF-8"),
        // A UTF-8 file with a few bad bytes (cut mid-character, one corrupt byte) is still
        // UTF-8: GB18030 would turn all of it into mojibake. The bad bytes become U+FFFD,
        // which `clean` reports with line and column.
        Err(_) if invalid_utf8_sequences(bytes) <= (bytes.len() / 2000).max(3) => (
            String::from_utf8_lossy(bytes).into_owned(),
            "UTF-8 (with invalid bytes)",
        ),
        Err(_) => {
            let (text, _had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            (text.into_owned(), "GB18030")
        }
    }
}

/// How many invalid sequences a byte string has as UTF-8.
fn invalid_utf8_sequences(mut bytes: &[u8]) -> usize {
    let mut count = 0;
    while let Err(e) = std::str::from_utf8(bytes) {
        count += 1;
        let skip = e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
        bytes = &bytes[skip.min(bytes.len())..];
    }
    count
}

/// Writes `bytes` to `target` (`None` or `-` = stdout).
pub fn write(target: Option<&str>, bytes: &[u8], force: bool) -> Result<()> {
    match target {
        // /dev/stdout names standard output: written as a stream, like -o -.
        None | Some("-") | Some("/dev/stdout") => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(bytes)
                .and_then(|_| stdout.flush())
                .or_else(|e| {
                    // A closed pipe (`| head`) is not an error worth reporting.
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        Ok(())
                    } else {
                        Err(Error::new(format!("cannot write to standard output: {e}")))
                    }
                })
        }
        Some(path) => write_file(Path::new(path), bytes, force, NamedBy::Output),
    }
}

/// The option that chose a file's name, so that a message names only a flag the running
/// subcommand has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedBy {
    /// `-o FILE`: the user named the file.
    Output,
    /// A folder option (`batch --out-dir DIR`, `man -o DIR`): the command names the files
    /// in it. The string is the option as the user types it.
    Folder(&'static str),
}

/// The temporary files `write_file` writes: `.speechgen-` + 6 random letters or digits +
/// `.partial` (tempfile's default random part).
const TEMP_PREFIX: &str = ".speechgen-";
const TEMP_SUFFIX: &str = ".partial";
/// A temporary file older than this belongs to no live run: a write takes milliseconds
/// from creating it to renaming it.
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Whether a file name is one of our temporary files.
fn is_our_temporary(name: &str) -> bool {
    name.strip_prefix(TEMP_PREFIX)
        .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        .is_some_and(|random| {
            random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Removes, once per folder and run, the temporary files a killed run left in `dir`:
/// only regular files with exactly our name pattern, untouched for ten minutes. Says
/// what it removed on stderr.
fn remove_leftovers(dir: &Path) {
    use std::sync::Mutex;
    static SWEPT: Mutex<Vec<std::path::PathBuf>> = Mutex::new(Vec::new());
    let Ok(mut swept) = SWEPT.lock() else { return };
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if swept.contains(&key) {
        return;
    }
    swept.push(key);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str().filter(|n| is_our_temporary(n)) else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > LEFTOVER_AGE);
        if meta.file_type().is_file() && old && std::fs::remove_file(entry.path()).is_ok() {
            eprintln!(
                "speechgen: removed {}, a temporary file left by an interrupted run",
                dir.join(name).display()
            );
        }
    }
}

/// Writes `bytes` to the file `path` through a temporary file in the same folder; an
/// existing file is only replaced with `force`. `named_by` is the option that chose the
/// path, for the messages.
pub fn write_file(path: &Path, bytes: &[u8], force: bool, named_by: NamedBy) -> Result<()> {
    let shown = path.display();
    let flag = match named_by {
        NamedBy::Output => "-o",
        NamedBy::Folder(flag) => flag,
    };
    if path.is_dir() {
        return Err(Error::new(match named_by {
            NamedBy::Output => {
                format!("{shown} is a folder: give a file name for -o, e.g. -o {shown}/draft.txt.")
            }
            NamedBy::Folder(flag) => format!(
                "{shown} is a folder where this file would go; nothing was written. Move the \
                 folder away or choose another {flag}."
            ),
        }));
    }
    // Look at the path itself, not where a link points: a link, a device or a FIFO is
    // never replaced by a regular file, --force or not.
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let kind = meta.file_type();
        if kind.is_symlink() {
            return Err(Error::new(format!(
                "{shown} is a symbolic link; nothing was written. speechgen does not write \
                 through or over links: give the real file's path with {flag}, or -o - for \
                 standard output."
            )));
        }
        if !kind.is_file() {
            return Err(Error::new(format!(
                "{shown} is not a regular file (a device, FIFO or socket); nothing was written, \
                 and --force does not replace it. Give a file path with {flag}, or -o - to write \
                 to standard output."
            )));
        }
        if !force {
            return Err(Error::new(format!(
                "{shown} already exists; nothing was written. Add --force to replace it, or choose another {flag}."
            )));
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::new(format!(
            "cannot write {shown}: the folder {} does not exist. Create it first or choose another {flag}.",
            dir.display()
        )));
    }
    remove_leftovers(dir);
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // A temporary file is private (0600) by default; the finished file should be as
    // readable as any other the user creates (0666 less the umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(|e| {
        Error::new(format!(
            "cannot write {shown}: {e} (is the folder writable?)."
        ))
    })?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| Error::new(format!("cannot write {shown}: {e}; nothing was written.")))?;
    tmp.persist(path).map_err(|e| {
        Error::new(format!(
            "cannot write {shown}: {}; nothing was written.",
            e.error
        ))
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_a_cut_character_stays_utf8() {
        let mut bytes = "第一行文字。\n第二行文字".as_bytes().to_vec();
        bytes.extend_from_slice(&[0xe4, 0xb8]);
        let (text, encoding) = decode(&bytes);
        assert_eq!(encoding, "UTF-8 (with invalid bytes)");
        assert!(text.starts_with("第一行文字。\n第二行文字"));
        assert!(text.ends_with('\u{FFFD}'));
    }

    #[test]
    fn only_our_temporary_names_are_leftovers() {
        assert!(is_our_temporary(".speechgen-a1B2c3.partial"));
        for name in [
            ".speechgen-notes.partial",
            ".speechgen-a1B2c3.partial.bak",
            "speechgen-a1B2c3.partial",
            ".speechgen-a1B2c!.partial",
            "texts.partial",
        ] {
            assert!(!is_our_temporary(name), "{name}");
        }
    }

    #[test]
    fn gbk_is_still_gbk() {
        let (gbk, _, _) = encoding_rs::GBK.encode("同志们：今天召开全乡群众工作会议。");
        let (text, encoding) = decode(&gbk);
        assert_eq!(encoding, "GB18030");
        assert_eq!(text, "同志们：今天召开全乡群众工作会议。");
    }
}
