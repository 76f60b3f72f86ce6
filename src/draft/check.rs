//! A pack that loads is known to draft: the trial render that `check` runs, and the one
//! loader the CLI uses for `--pack`, which trial-renders a pack folder before any draft is
//! written (so a corpus never fails half-way through). It lives here, above `pack`,
//! because it drafts.

use crate::base::error::{Error, Result};
use crate::draft::generate::{Options, generate};
use crate::pack::{LoadedPack, Pack};
use crate::place::locality::{Level, Locality};

/// The pack `--pack` names (embedded id or folder), or the default pack. A folder is
/// trial-rendered for every kind of place; the embedded packs are fixed at compile time
/// and rendered by the test suite, and skipping theirs keeps `generate` start-up fast.
pub fn load_pack(spec: Option<&str>) -> Result<LoadedPack> {
    Ok(match spec {
        None => LoadedPack::Default(Pack::default_pack()?),
        Some(spec) => LoadedPack::Owned(Box::new(load(spec)?)),
    })
}

/// [`Pack::load`], then the trial render when the pack comes from a folder.
pub fn load(spec: &str) -> Result<Pack> {
    let pack = Pack::load(spec)?;
    if pack.origin != "embedded" {
        trial_render(&pack)?;
    }
    Ok(pack)
}

/// Renders the pack once for each kind of place, so that a pack that loads never
/// fails half-way through a corpus.
pub fn trial_render(pack: &Pack) -> Result<()> {
    let mut places = vec![Locality::seed_default()];
    for level in Level::ALL {
        places.push(Locality::with_level("某地", level)?);
        let mut known = Locality::with_level("某地", level)?;
        known.set_county("某某自治县");
        known.villages = ["甲村", "乙村", "丙村", "丁村"].map(String::from).to_vec();
        known.industries = vec!["茶叶".into()];
        known.landmarks = vec!["某某湖".into()];
        places.push(known);
    }
    for place in &places {
        for faithful in [true, false] {
            let options = Options {
                seed: 1,
                faithful,
                check: false,
                length: None,
            };
            generate(pack, place, &options).map_err(|e| {
                Error::new(format!(
                    "pack “{}” ({}) does not render for a {} place: {e}",
                    pack.id,
                    pack.origin,
                    place.level.label()
                ))
            })?;
        }
    }
    Ok(())
}
