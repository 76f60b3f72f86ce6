//! speechgen: Chinese meeting-speech drafts from template packs.
//!
//! Stages, one module each: `clean` (scraped text → clean Simplified Chinese), `pack`
//! (templates + slot vocabularies, validated at load), `locality` (places and their
//! institutional words), `generate` (choose, fill, render the skeleton), `speech` (the
//! typed tree), `render` (text / json), `validate` (draft checks), `similarity` (查重率).
//! Output for people: `present` (speaker line, script, format), `script` (简→繁),
//! `byline` (speaker/date line), `docx` (the Word file); `catalog` lists packs and
//! `manual` writes shell completions and man pages.
//! `commands` runs the CLI's subcommands on top of them.

pub mod batch;
pub mod clean;
pub mod commands;
pub mod corpus;
pub mod decompose;
pub mod error;
pub mod gazetteer;
pub mod generate;
pub mod ingest;
pub mod locality;
pub mod numerals;
pub mod outline;
pub mod output;
pub mod pack;
pub mod plan;
pub mod render;
pub mod resolve;
pub mod similarity;
pub mod speech;
pub mod validate;
pub mod variety;

pub mod byline;
pub mod catalog;
pub mod docx;
pub mod manual;
pub mod present;
pub mod script;

pub use error::{Error, Result};
