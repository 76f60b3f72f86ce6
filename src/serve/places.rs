//! The lists the page offers: packs, and places as the clerk types (name, path or code).

use serde::Serialize;

use crate::place::gazetteer::{AreaFilter, Gazetteer, Lookup, Place};
use crate::serve::problem::Problem;
use crate::serve::state::{Packs, PlaceView};

/// Most places one completion lists as the clerk types.
const LIMIT: usize = 12;
/// Most places listed for a name several townships share (城关镇: 88), so the clerk
/// can find theirs by its county in the list.
const SHARED_LIMIT: usize = 100;

/// One meeting the page offers.
#[derive(Debug, Clone, Serialize)]
pub struct PackView {
    pub id: String,
    pub name: String,
    pub meeting: String,
    pub description: String,
    /// The kinds of place the meeting exists for (empty: every kind).
    pub profiles: Vec<&'static str>,
    pub slots: usize,
    pub alternatives: usize,
}

pub fn pack_list(packs: &Packs) -> Vec<PackView> {
    packs
        .packs
        .iter()
        .map(|p| PackView {
            id: p.id.clone(),
            name: p.name.clone(),
            meeting: p.meeting.clone(),
            description: p.description.clone(),
            profiles: p.profiles.iter().map(|p| p.tag()).collect(),
            slots: p.slots.len(),
            alternatives: p.alternative_count(),
        })
        .collect()
}

/// What a typed place names.
#[derive(Debug, Clone, Serialize)]
pub struct Completion {
    pub query: String,
    /// found (one place), ambiguous (several of this name), partial (names that start
    /// with or hold what was typed), nearest (no such name: the nearest real ones), or
    /// empty.
    pub status: &'static str,
    pub places: Vec<PlaceView>,
}

/// Places for what the clerk has typed so far.
pub fn complete(query: &str, county: Option<&str>) -> Result<Completion, Problem> {
    let query: String = query.trim().chars().take(100).collect();
    let query = crate::base::numerals::ascii_digits(&query);
    let done = |status, places: Vec<Place>| Completion {
        query: query.clone(),
        status,
        places: places
            .iter()
            .take(if status == "ambiguous" {
                SHARED_LIMIT
            } else {
                LIMIT
            })
            .map(PlaceView::of_place)
            .collect(),
    };
    if query.is_empty() {
        return Ok(done("empty", Vec::new()));
    }
    let gazetteer = Gazetteer::get().map_err(Problem::from_core)?;
    let filter = AreaFilter {
        county: county
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string),
        ..AreaFilter::default()
    };
    if query.chars().all(|c| c.is_ascii_digit()) {
        let places: Vec<Place> = gazetteer
            .places()
            .filter(|p| p.township.code.starts_with(&query))
            .take(LIMIT)
            .collect();
        let status = if places.len() == 1 && query.len() == 9 {
            "found"
        } else {
            "partial"
        };
        return Ok(done(status, places));
    }
    let nearest = match gazetteer.lookup(&query, &filter) {
        Lookup::Found(place) => return Ok(done("found", vec![place])),
        Lookup::Ambiguous(places) => return Ok(done("ambiguous", places)),
        Lookup::NotFound(nearest) => nearest,
    };
    // Names that start with what was typed come first, then names that hold it.
    let in_area = |p: &Place| {
        filter
            .county
            .as_deref()
            .is_none_or(|c| p.county.name.contains(c))
    };
    let mut starting: Vec<Place> = Vec::new();
    let mut holding: Vec<Place> = Vec::new();
    for place in gazetteer.places() {
        let name = place.township.name;
        if name.starts_with(query.as_str()) && in_area(&place) {
            starting.push(place);
        } else if holding.len() < LIMIT && name.contains(query.as_str()) && in_area(&place) {
            holding.push(place);
        }
        if starting.len() >= LIMIT {
            break;
        }
    }
    starting.extend(holding);
    if starting.is_empty() {
        return Ok(done("nearest", nearest));
    }
    Ok(done("partial", starting))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_names_codes_and_shared_names() {
        let found = complete("530724208", None).unwrap();
        assert_eq!(found.status, "found");
        assert_eq!(found.places[0].name, "西布河乡");
        let shared = complete("太平镇", None).unwrap();
        assert_eq!(shared.status, "ambiguous");
        assert!(shared.places.len() > 3);
        let one = complete("城关镇", Some("宁陕县")).unwrap();
        assert_eq!(one.status, "found");
        let partial = complete("西布", None).unwrap();
        assert_eq!(partial.status, "partial");
        assert!(partial.places.iter().all(|p| p.name.contains("西布")));
        let nearest = complete("西布河相", None).unwrap();
        assert_eq!(nearest.status, "nearest");
        assert!(!nearest.places.is_empty());
        assert_eq!(complete("  ", None).unwrap().status, "empty");
    }
}
