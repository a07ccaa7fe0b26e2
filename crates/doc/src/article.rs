//! A raw article as it arrives from ingestion, before analysis.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One input article. `text` is kept byte-for-byte: every offset of the
/// analysis refers to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub text: String,
    /// Author line, where the input names one (HTML meta, JSON-LD, feeds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
}

/// Parses an ISO date or datetime (`2024-05-01`, `2024-05-01T10:00:00Z`,
/// `2024-05-01 10:00`, `20240501`) and returns its calendar date.
pub fn parse_published(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    // `get`, not indexing: byte 10 need not be a character boundary.
    if let (Some(day), Some(rest)) = (s.get(..10), s.get(10..)) {
        if let Ok(d) = NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            if rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ') {
                return Ok(d);
            }
        }
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y%m%d") {
            return Ok(d);
        }
    }
    Err(format!(
        "`published` must be an ISO date or datetime (YYYY-MM-DD[THH:MM:SS]), got {s:?}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_datetimes() {
        let d = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        assert_eq!(parse_published("2024-05-01"), Ok(d));
        assert_eq!(parse_published("2024-05-01T10:00:00Z"), Ok(d));
        assert_eq!(parse_published("2024-05-01 10:00"), Ok(d));
        assert_eq!(parse_published("20240501"), Ok(d));
        assert!(parse_published("May 1").is_err());
        assert!(parse_published("2024-13-01").is_err());
        assert!(parse_published("2024-05-01x").is_err());
    }
}
