//! Draft: one speech from a pack, a place and a seed.
//!
//! Takes a validated [`crate::pack::Pack`] and a [`crate::place::locality::Locality`];
//! gives a [`speech::Speech`], the one typed tree every output format renders. `plan`
//! chooses the optional parts for a target length, `generate` chooses the wording and
//! renders the skeleton, `speech` builds the tree and computes numbering and announced
//! counts, `validate` checks the draft (level words, artifacts, punctuation), `check`
//! trial-renders a pack folder for every kind of place.

pub mod check;
pub mod coherence;
pub mod generate;
pub mod plan;
pub mod speech;
pub mod validate;
