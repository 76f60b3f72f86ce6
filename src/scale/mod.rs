//! Scale: many drafts at once.
//!
//! `batch` writes one draft per township of a list or an area, `corpus` writes large
//! annotated, sharded, resumable test corpora, `variety` measures how different drafts
//! are from each other and from the seed speech; `progress` is the progress bar
//! `batch` and `corpus` share.

pub mod batch;
pub mod corpus;
pub mod progress;
pub mod variety;
