//! Base: what every stage may use and nothing here uses a stage.
//!
//! Errors with file and line, Chinese numerals (written and read), the 13-character
//! duplicate rate, seeds for independent random streams, data compiled into the binary,
//! and files in and out (encodings on the way in, atomic writes on the way out).

pub mod embedded;
pub mod error;
pub mod files;
pub mod numerals;
pub mod seed;
pub mod similarity;
