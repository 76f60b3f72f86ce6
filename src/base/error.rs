//! One error type for the whole library: a single human-readable paragraph that says
//! which file (and line), what is wrong and how to fix it. The CLI prints it and exits 1.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
        }
    }

    /// An error located in a file: `path:line: message`.
    pub fn at(path: &str, line: usize, message: impl fmt::Display) -> Self {
        if line == 0 {
            Error::new(format!("{path}: {message}"))
        } else {
            Error::new(format!("{path}:{line}: {message}"))
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// 1-based line number of a byte offset in `text`.
pub fn line_of(text: &str, byte_offset: usize) -> usize {
    text[..byte_offset.min(text.len())].matches('\n').count() + 1
}
