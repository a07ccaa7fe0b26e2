//! GDELT 2.0 Events rows (61 tab-separated columns, no header, no quoting).
//!
//! Mapping from an [`EventRecord`] (fields Petrel does not produce are left
//! empty, as GDELT leaves unknown fields):
//! - `GLOBALEVENTID`: [`EventRecord::global_event_id`] (deterministic).
//! - `SQLDATE`/`MonthYear`/`Year`/`FractionDate`: the event date, else the
//!   article date; `FractionDate` = year + ((month−1)·30 + day)/365 to 4
//!   decimals, GDELT's approximation (`20150217` → `2015.1288`). Empty when
//!   no date is known.
//! - Actor fields: code as is; name = the mention text upper-cased; the
//!   other eight from [`crate::split_actor_code`].
//! - `IsRootEvent`: 1 when the event's sentence is in the lead paragraph.
//! - `EventBaseCode`: the first 3 digits of a 4-digit code, else the code.
//! - `NumMentions`/`NumSources`/`NumArticles`: 1 (one mention in one article)
//!   for a per-article row; for a merged event ([`merged_gdelt_row`]) the
//!   counts of its cluster, with `IsRootEvent` 1 when any mention is in a
//!   lead paragraph and the other fields from the representative mention.
//! - `AvgTone`: empty (no tone model).
//! - Geo blocks (Actor1Geo, Actor2Geo, ActionGeo): from the record's
//!   [`GeoRecord`]s (type, full name, FIPS country, ADM1, empty ADM2,
//!   lat/long to 4 decimals, feature id); without one, type `0` and the
//!   other seven fields empty, as in GDELT's own rows.
//! - `DATEADDED`: when the article was stored, else the writer's
//!   `date_added`, as `YYYYMMDDHHMMSS`.
//! - `SOURCEURL`: the article URL, else its id (GDELT puts citations there).
//!
//! Tabs and line breaks inside text fields are replaced by spaces so that a
//! row always has exactly 61 fields on one line.

use chrono::{Datelike, NaiveDateTime};
use petrel_store::{ActorRecord, EventRecord, GeoRecord, MergedEvent};

/// GDELT 2.0 event column names, in order.
pub const GDELT_EVENT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// Replaces tabs and line breaks with spaces and trims.
fn clean(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c == '\t' || c == '\n' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .collect();
    s.trim().to_string()
}

fn actor_fields(a: &Option<ActorRecord>, out: &mut Vec<String>) {
    match a {
        // Placeholder codes without letters (PETRARCH's `---`) count as no actor.
        Some(a) if a.code.chars().any(|c| c.is_ascii_alphabetic()) => {
            let f = crate::split_actor_code(&a.code);
            let name = clean(&a.span.text)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_uppercase();
            out.extend([
                clean(&a.code),
                name,
                f.country,
                f.known_group,
                f.ethnic,
                f.religion1,
                f.religion2,
            ]);
            out.extend(f.types);
        }
        _ => out.extend(std::iter::repeat_n(String::new(), 10)),
    }
}

fn geo_block(g: &Option<GeoRecord>, out: &mut Vec<String>) {
    match g {
        Some(g) => out.extend([
            g.gdelt_type.to_string(),
            clean(&g.full_name),
            clean(&g.country_fips),
            clean(&g.adm1_code),
            clean(&g.adm2_code),
            format!("{:.4}", g.lat),
            format!("{:.4}", g.lon),
            clean(&g.feature_id),
        ]),
        None => {
            out.push("0".into());
            out.extend(std::iter::repeat_n(String::new(), 7));
        }
    }
}

/// The 61 fields of the GDELT row for one event.
pub fn gdelt_row(e: &EventRecord, date_added: Option<NaiveDateTime>) -> Vec<String> {
    gdelt_row_counts(e, [1, 1, 1], date_added)
}

/// The GDELT row of a merged event: [`MergedEvent::record`] (its id,
/// IsRootEvent and representative mention) with NumMentions, NumSources
/// and NumArticles filled from the cluster.
pub fn merged_gdelt_row(m: &MergedEvent, date_added: Option<NaiveDateTime>) -> Vec<String> {
    gdelt_row_counts(
        &m.record(),
        [m.num_mentions, m.num_sources, m.num_articles],
        date_added,
    )
}

/// The Mentions rows of a merged event: one per mention, each pointing to
/// the merged event's id; `EventTimeDate` is the representative's
/// `DATEADDED`.
pub fn merged_mention_rows(m: &MergedEvent, date_added: Option<NaiveDateTime>) -> Vec<Vec<String>> {
    let rep = m.record();
    let event_time = rep
        .coded_at
        .or(date_added)
        .map(|t| t.format("%Y%m%d%H%M%S").to_string())
        .unwrap_or_default();
    m.mentions
        .iter()
        .map(|x| {
            let mut e = x.event.clone();
            e.global_event_id = m.cluster_id;
            let mut row = mention_row(&e, date_added);
            if let Some(f) = row.get_mut(1) {
                f.clone_from(&event_time);
            }
            row
        })
        .collect()
}

fn gdelt_row_counts(
    e: &EventRecord,
    counts: [u32; 3],
    date_added: Option<NaiveDateTime>,
) -> Vec<String> {
    let mut out = Vec::with_capacity(61);
    out.push(e.global_event_id.to_string());
    match e.date.or(e.published) {
        Some(d) => {
            let frac = ((d.month() as f64 - 1.0) * 30.0 + d.day() as f64) / 365.0;
            out.push(d.format("%Y%m%d").to_string());
            out.push(d.format("%Y%m").to_string());
            out.push(d.format("%Y").to_string());
            out.push(format!("{:.4}", d.year() as f64 + frac));
        }
        None => out.extend(std::iter::repeat_n(String::new(), 4)),
    }
    actor_fields(&e.source, &mut out);
    actor_fields(&e.target, &mut out);
    out.push(if e.in_lead { "1" } else { "0" }.into());
    let code = clean(&e.cameo);
    let base = if code.chars().count() > 3 {
        code.chars().take(3).collect()
    } else {
        code.clone()
    };
    let root = if e.root.is_empty() {
        code.chars().take(2).collect()
    } else {
        clean(&e.root)
    };
    out.extend([code, base, root]);
    out.push(e.quad_class.to_string());
    out.push(format!("{:.1}", e.goldstein));
    out.extend(counts.map(|n| n.to_string()));
    out.push(String::new());
    geo_block(&e.actor1_geo, &mut out);
    geo_block(&e.actor2_geo, &mut out);
    geo_block(&e.action_geo, &mut out);
    out.push(
        e.coded_at
            .or(date_added)
            .map(|t| t.format("%Y%m%d%H%M%S").to_string())
            .unwrap_or_default(),
    );
    out.push(clean(e.url.as_deref().unwrap_or(&e.doc_id)));
    debug_assert_eq!(out.len(), 61);
    out
}

/// GDELT 2.0 Mentions column names, in order.
pub const GDELT_MENTION_COLUMNS: [&str; 16] = [
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
];

/// The registrable-looking domain of a URL's host: `www.` dropped, and the
/// last two labels kept, or three when the second-level label is a generic
/// one under a two-letter country domain (`co.uk`, `com.pk`). A heuristic,
/// not the Public Suffix List.
pub fn url_domain(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host
        .split(':')
        .next()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    if host.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some(host);
    }
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let generic = [
        "co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go", "mil",
    ];
    let keep = if n >= 3 && labels[n - 1].len() == 2 && generic.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    Some(labels[n.saturating_sub(keep)..].join("."))
}

/// The 16 fields of the GDELT Mentions row for one event (one mention: the
/// sentence it was coded from). Offsets are character offsets into the
/// article text, `-1` for an absent actor; `SentenceID` is 1-based;
/// `Confidence` is the coder confidence in percent; `MentionType` is 1 (web)
/// with a URL, else 2 (citation only); tone and translation fields are empty.
pub fn mention_row(e: &EventRecord, date_added: Option<NaiveDateTime>) -> Vec<String> {
    let when = e
        .coded_at
        .or(date_added)
        .map(|t| t.format("%Y%m%d%H%M%S").to_string())
        .unwrap_or_default();
    let offset = |a: &Option<ActorRecord>| {
        a.as_ref()
            .map_or("-1".to_string(), |a| a.span.start.to_string())
    };
    let source_name = e
        .article_source
        .as_deref()
        .map(clean)
        .filter(|s| !s.is_empty())
        .or_else(|| e.url.as_deref().and_then(url_domain))
        .unwrap_or_default();
    let confidence = if e.confidence.is_finite() {
        (e.confidence.clamp(0.0, 1.0) * 100.0).round() as u32
    } else {
        0
    };
    vec![
        e.global_event_id.to_string(),
        when.clone(),
        when,
        if e.url.is_some() { "1" } else { "2" }.to_string(),
        clean(&source_name),
        clean(e.url.as_deref().unwrap_or(&e.doc_id)),
        (e.sentence_idx + 1).to_string(),
        offset(&e.source),
        offset(&e.target),
        e.verb.start.to_string(),
        "1".to_string(),
        confidence.to_string(),
        e.doc_chars.to_string(),
        String::new(),
        String::new(),
        String::new(),
    ]
}
