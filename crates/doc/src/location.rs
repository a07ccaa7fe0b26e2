//! The location layer: place names resolved to gazetteer entries.

use crate::{Span, TokenRange};
use serde::{Deserialize, Serialize};

/// One resolved place name ("Rafah", "U.S.", "Homs province").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationMention {
    pub span: Span,
    pub tokens: TokenRange,
    /// Gazetteer name of the resolved place ("United States" for "U.S.").
    pub name: String,
    /// GeoNames id, when the gazetteer has one for the place.
    pub geonameid: Option<u32>,
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-1 alpha-3 country code; empty for multi-country regions.
    pub country_iso3: String,
    /// FIPS 10-4 country code (what GDELT uses).
    pub fips: String,
    /// GeoNames first-level division code (empty for countries).
    pub admin1: String,
    /// GeoNames feature class (`A` division/country, `P` populated place, `L`/`H`/`T` regions, seas, terrain).
    pub feature_class: char,
    /// GeoNames feature code (`PCLI`, `ADM1`, `PPLC`, …).
    pub feature_code: String,
    /// GDELT geographic type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
    pub gdelt_type: u8,
    /// Confidence of the resolution in (0, 1].
    pub score: f32,
    /// Indices into [`crate::Doc::events`] of the events that happened here
    /// (their ActionGeo): a place of the verb's clause, else the dateline place.
    #[serde(default)]
    pub events: Vec<usize>,
}
