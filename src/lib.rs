//! speechgen: Chinese meeting-speech drafts from template packs.
//!
//! The stages, each a folder, each using only the ones after it in this list
//! (see ARCHITECTURE.md; `tests/layout.rs` checks it):
//!
//! - `cli`: argument structs, the subcommand runners, completions, man pages, the pack list;
//! - `scale`: batch, corpus, variety;
//! - `ingest`: reading, cleaning, outlining and decomposing real documents;
//! - `render`: text, JSON, Markdown, Word, scripts, the speaker/date line;
//! - `draft`: planning, generating and checking one draft, the Speech tree;
//! - `pack`: template packs, loaded and validated;
//! - `place`: the gazetteer, localities, resolving a query;
//! - `base`: errors, numerals, similarity, seeds, embedded data, files.

pub mod base;
pub mod cli;
pub mod draft;
pub mod ingest;
pub mod pack;
pub mod place;
pub mod render;
pub mod scale;
pub mod serve;

pub use base::error::{Error, Result};
