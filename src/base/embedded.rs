//! Data compiled into the binary: the `corpora/` folder (the gazetteer, the embedded packs'
//! vocabularies, the seed speech). Both `place` (the gazetteer) and `pack` read from it.

use include_dir::{Dir, include_dir};

pub static CORPORA: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/corpora");

/// The bytes of an embedded file, by its path under `corpora/`.
pub fn data(path: &str) -> Option<&'static [u8]> {
    CORPORA.get_file(path).map(|f| f.contents())
}
