//! What goes wrong with a request, as the JSON the page shows: a message saying what is
//! wrong and how to fix it, the HTTP status, and for a place the real candidates.

use serde::Serialize;

use crate::place::gazetteer::Place;
use crate::serve::state::PlaceView;

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(skip)]
    pub status: u16,
    /// What is wrong and what to do.
    #[serde(rename = "error")]
    pub message: String,
    /// The places a name could mean (ambiguous), or the nearest real ones (unknown).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<PlaceView>,
}

impl Problem {
    fn new(status: u16, message: impl Into<String>) -> Problem {
        Problem {
            status,
            message: message.into(),
            candidates: Vec::new(),
        }
    }

    /// The request itself is malformed or out of range (400).
    pub fn bad(message: impl Into<String>) -> Problem {
        Problem::new(400, message)
    }

    /// Well formed, but nothing can be drafted from it (422).
    pub fn unprocessable(message: impl Into<String>) -> Problem {
        Problem::new(422, message)
    }

    pub fn not_found(message: impl Into<String>) -> Problem {
        Problem::new(404, message)
    }

    pub fn method(message: impl Into<String>) -> Problem {
        Problem::new(405, message)
    }

    pub fn too_large(message: impl Into<String>) -> Problem {
        Problem::new(413, message)
    }

    pub fn busy() -> Problem {
        Problem::new(
            503,
            "the server is drafting as many speeches as it can at once: try again in a moment.",
        )
    }

    pub fn internal(message: impl Into<String>) -> Problem {
        Problem::new(500, message)
    }

    /// An error of the drafting stages: their messages already say what to fix.
    pub fn from_core(error: crate::base::error::Error) -> Problem {
        Problem::unprocessable(error.message().to_string())
    }

    /// A name shared by several townships (409): the page lists them to choose from.
    pub fn ambiguous(name: &str, places: &[Place]) -> Problem {
        let mut problem = Problem::new(
            409,
            format!(
                "“{name}” names {} township-level units: choose one (its county is then filled \
                 in){}.",
                places.len(),
                if places.len() > 50 {
                    ", or give the county to narrow the list (the first 50 are listed)"
                } else {
                    ""
                }
            ),
        );
        problem.candidates = places.iter().take(50).map(PlaceView::of_place).collect();
        problem
    }

    /// A name the gazetteer does not have (404), with the nearest real ones.
    pub fn unknown_place(name: &str, nearest: &[Place]) -> Problem {
        let mut problem = Problem::not_found(format!(
            "“{name}” is not a township-level unit in the gazetteer (国家统计局 2023 codes): \
             choose one of the nearest real names, or choose a level (乡, 镇, 街道, 苏木, 场, \
             园区, 其他) to write for this name anyway."
        ));
        problem.candidates = nearest.iter().map(PlaceView::of_place).collect();
        problem
    }
}
