//! Place: where a draft is for.
//!
//! Takes a query (a name, a path, a 9-digit code, a YAML locality file) and gives a
//! [`locality::Locality`]: the place's level (乡, 镇, 街道, 苏木, 场, 园区 …), its county and
//! the institutional words that follow from both, its villages and ethnic groups. The
//! embedded gazetteer (国家统计局 2023 division codes) answers the lookups.

pub mod facts;
pub mod forbidden;
pub mod gazetteer;
pub mod locality;
pub mod profile;
pub mod resolve;
