//! `speechgen packs`: what packs there are (embedded, and in a folder of packs) and
//! what each holds, so a user can choose one for `--pack`.

use std::path::{Path, PathBuf};

use crate::base::error::{Error, Result};
use crate::draft::generate::{self, Options};
use crate::pack::Pack;
use crate::place::locality::Locality;

/// One line of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackSummary {
    pub id: String,
    pub name: String,
    pub meeting: String,
    pub origin: String,
    /// Level-1 sections (一、二、…) of the pack's faithful draft.
    pub sections: usize,
    pub slots: usize,
    pub alternatives: usize,
    /// The place profiles the meeting exists for (empty: every kind of place).
    pub profiles: Vec<String>,
}

/// Summarises a loaded pack. The section count is read from its faithful draft (every
/// slot at its seed wording), since a skeleton may add sections through devices.
pub fn summarize(pack: &Pack) -> Result<PackSummary> {
    let options = Options {
        seed: 0,
        faithful: true,
        check: false,
        length: None,
        arc: None,
        ..Options::default()
    };
    let speech = generate::generate(pack, &Locality::seed_default(), &options)?;
    Ok(PackSummary {
        id: pack.id.clone(),
        name: pack.name.clone(),
        meeting: pack.meeting.clone(),
        origin: pack.origin.clone(),
        sections: speech.sections.len(),
        slots: pack.slots.len(),
        alternatives: pack.alternative_count(),
        profiles: pack.profiles.iter().map(|p| p.tag().to_string()).collect(),
    })
}

/// The pack folders of `dir`: `dir` itself when it is a pack, else its sub-folders that
/// hold a pack.yaml, in name order.
pub fn pack_folders(dir: &Path) -> Result<Vec<PathBuf>> {
    let shown = dir.display();
    if !dir.is_dir() {
        return Err(Error::new(format!(
            "--pack-dir {shown}: no such folder. Give a folder whose sub-folders are packs \
             (each with a pack.yaml)."
        )));
    }
    if dir.join("pack.yaml").is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::new(format!("--pack-dir {shown}: cannot read this folder: {e}.")))?;
    let mut folders: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("pack.yaml").is_file())
        .collect();
    folders.sort();
    Ok(folders)
}

/// The listing printed by `speechgen packs [--pack-dir DIR]`. A pack that fails to load
/// is listed with its error instead of stopping the listing.
pub fn list(pack_dir: Option<&Path>) -> Result<String> {
    let mut out = String::new();
    for id in Pack::embedded_ids() {
        let pack = Pack::load_embedded_trusted(&id)?;
        out.push_str(&entry(&summarize(&pack)?));
    }
    if let Some(dir) = pack_dir {
        let folders = pack_folders(dir)?;
        if folders.is_empty() {
            out.push_str(&format!(
                "(no packs in {}: a pack is a folder holding pack.yaml)\n",
                dir.display()
            ));
        }
        for folder in folders {
            match Pack::load_dir(&folder).and_then(|pack| summarize(&pack)) {
                Ok(summary) => out.push_str(&entry(&summary)),
                Err(e) => out.push_str(&format!(
                    "{}  — not usable: {e}\n  (speechgen check {} shows the details)\n",
                    folder.display(),
                    folder.display()
                )),
            }
        }
    }
    Ok(out)
}

fn entry(s: &PackSummary) -> String {
    let places = if s.profiles.is_empty() {
        "every kind of place".to_string()
    } else {
        s.profiles.join(", ")
    };
    format!(
        "{}  {}  ({})\n  meeting: {} · {} sections · {} slots · {} alternatives\n  for: {}\n",
        s.id, s.name, s.origin, s.meeting, s.sections, s.slots, s.alternatives, places
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_pack_has_five_sections() {
        let pack = Pack::default_pack().unwrap();
        let summary = summarize(pack).unwrap();
        assert_eq!(summary.sections, 5);
        assert_eq!(summary.meeting, "群众工作会议");
        assert!(summary.alternatives > summary.slots);
    }

    #[test]
    fn a_missing_pack_dir_is_an_error() {
        let err = list(Some(Path::new("/no/such/packs"))).unwrap_err();
        assert!(err.to_string().contains("no such folder"));
    }
}
