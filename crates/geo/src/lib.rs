//! Petrel's *where*: a compiled GeoNames gazetteer and toponym recognition
//! and resolution over a [`petrel_doc::Doc`].
//!
//! The gazetteer (`data/geo/gazetteer.tsv.gz`, built by
//! `scripts/build_gazetteer.py`) holds countries, first-level divisions,
//! continents, hand-authored regions and seas, and every GeoNames populated
//! place of 1,000 people or more. It is embedded in the binary and indexed
//! by normalised name ([`normalize`]).
//!
//! [`find_locations`] finds place names among capitalised token sequences
//! (longest match), drops person-name, title and organisation contexts, and
//! resolves each name to one gazetteer entry from its population, feature
//! class, the countries the article talks about (including its dateline),
//! explicit hierarchy ("Springfield, Illinois", "Rafah, in southern Gaza")
//! and nearby co-mentioned places. [`evaluate_geowebnews`] scores both steps
//! on GeoWebNews.
//!
//! [`action_geo`] picks, among a sentence's places ([`event_places`]: the
//! recognised ones plus unrecognised proper names after place cues such as
//! "the village of"), the one an event verb happened at, from the
//! dependency parse; the pipeline stores the links in `Doc::locations`.
//!
//! What this crate is not: it codes no events and does not parse (it reads
//! the parse the `nlp` stage left in the `Doc`), has no streets, buildings or
//! places under 1,000 people, does no geocoding of addresses and fetches
//! nothing at run time.

mod eval;
mod event_geo;
mod gazetteer;
mod normalize;
mod resolve;

pub use eval::{evaluate_geowebnews, is_gold, is_optional, read_brat, BratSpan, Report};
pub use event_geo::{action_geo, event_places, place_like_spans};
pub use gazetteer::{Country, Gazetteer, Place};
pub use normalize::normalize;
pub use resolve::{find_locations, haversine_km, resolve_spans, Location};

/// Errors of loading gazetteer data or evaluation files.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}: {msg}")]
    Parse {
        file: String,
        line: usize,
        msg: String,
    },
    #[error("gazetteer: {0}")]
    Load(String),
}
