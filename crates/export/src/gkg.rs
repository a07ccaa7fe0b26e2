//! GDELT Global Knowledge Graph 2.1 rows: one 27-field, tab-separated row
//! per document (see `formats/GDELT_formats.md` §3 for the field layout).
//!
//! Petrel fills the fields it has layers for: counts (`doc.counts`),
//! locations (`doc.locations`), persons and organizations (`doc.entities`
//! plus resolved quote speakers), tone (`doc.tone`), dates (`doc.times`),
//! quotations (`doc.quotes`), all names and amounts. Every offset is a
//! CHARACTER offset into `doc.text` ([`CharMap`]). Themes, GCAM dictionaries
//! beyond the word count, images, embeds and translation info are left empty,
//! as GDELT does when it has nothing.
//!
//! Count types: Petrel's `KILL`, `WOUND`, `KIDNAP`, `ARREST` and `PROTEST` are
//! GDELT count types of the same name. `DISPLACED` is written as
//! `CRISISLEX_T09_DISPLACEDRELOCATEDEVACUATED` and `MISSING` as
//! `CRISISLEX_T08_MISSINGFOUNDTRAPPEDPEOPLE` (GDELT's CrisisLex count types;
//! the real rows carry `CRISISLEX_T09_…` for evacuations). Unknown kinds are
//! written upper-cased, stripped of delimiters.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use petrel_doc::{CharMap, Doc, EntityLabel, LocationMention, Span};

use crate::gdelt::url_domain;

/// Number of fields in a GKG 2.1 row.
pub const GKG_COLUMNS: usize = 27;

/// GKG 2.1 field names, in column order.
pub const GKG_COLUMN_NAMES: [&str; GKG_COLUMNS] = [
    "GKGRECORDID",
    "V2.1DATE",
    "V2SOURCECOLLECTIONIDENTIFIER",
    "V2SOURCECOMMONNAME",
    "V2DOCUMENTIDENTIFIER",
    "V1COUNTS",
    "V2.1COUNTS",
    "V1THEMES",
    "V2ENHANCEDTHEMES",
    "V1LOCATIONS",
    "V2ENHANCEDLOCATIONS",
    "V1PERSONS",
    "V2ENHANCEDPERSONS",
    "V1ORGANIZATIONS",
    "V2ENHANCEDORGANIZATIONS",
    "V1.5TONE",
    "V2.1ENHANCEDDATES",
    "V2GCAM",
    "V2.1SHARINGIMAGE",
    "V2.1RELATEDIMAGES",
    "V2.1SOCIALIMAGEEMBEDS",
    "V2.1SOCIALVIDEOEMBEDS",
    "V2.1QUOTATIONS",
    "V2.1ALLNAMES",
    "V2.1AMOUNTS",
    "V2.1TRANSLATIONINFO",
    "V2EXTRASXML",
];

/// GDELT's count type for a Petrel count kind (see the module docs).
pub fn gkg_count_type(kind: &str) -> String {
    match kind.to_ascii_uppercase().as_str() {
        "DISPLACED" => "CRISISLEX_T09_DISPLACEDRELOCATEDEVACUATED".to_string(),
        "MISSING" => "CRISISLEX_T08_MISSINGFOUNDTRAPPEDPEOPLE".to_string(),
        other => clean(other, &['#', ';', ',']),
    }
}

/// `YYYYMMDDHHMMSS`.
pub fn gkg_date(d: NaiveDateTime) -> String {
    d.format("%Y%m%d%H%M%S").to_string()
}

/// Replaces tabs, line breaks and the given delimiter characters by spaces
/// and collapses runs of whitespace, as GDELT does with free text.
fn clean(s: &str, delims: &[char]) -> String {
    let mapped: String = s
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() || delims.contains(&c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A float as GDELT prints it: no exponent, trailing zeros trimmed.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A latitude or longitude with GDELT's 4 decimals, trailing zeros trimmed.
fn coord(x: f64) -> String {
    num((x * 10_000.0).round() / 10_000.0)
}

fn span_text(doc: &Doc, span: Span) -> &str {
    doc.text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("")
}

/// GDELT ADM1 code: FIPS country code plus the first-level division code
/// (the bare FIPS code for countries).
fn adm1(l: &LocationMention) -> String {
    if l.gdelt_type == 1 || l.admin1.is_empty() {
        l.fips.clone()
    } else {
        format!("{}{}", l.fips, l.admin1)
    }
}

/// GDELT FeatureID: the GeoNames id, or the FIPS code for countries.
fn feature_id(l: &LocationMention) -> String {
    if l.gdelt_type == 1 {
        return l.fips.clone();
    }
    l.geonameid.map(|g| g.to_string()).unwrap_or_default()
}

/// `GeoType#FullName#CountryCode#ADM1` then either `#Lat#Long#FeatureID`
/// (V1) or `#ADM2#Lat#Long#FeatureID` (V2, with `with_adm2`).
fn location_fields(l: &LocationMention, with_adm2: bool) -> String {
    let name = clean(&l.name, &['#', ';']);
    let mut s = format!("{}#{}#{}#{}", l.gdelt_type, name, l.fips, adm1(l));
    if with_adm2 {
        s.push('#');
    }
    s.push_str(&format!(
        "#{}#{}#{}",
        coord(l.lat),
        coord(l.lon),
        feature_id(l)
    ));
    s
}

/// Geographic fields of a count: the first location of the count's sentence,
/// else the document's first location, else type 0 with empty fields.
fn count_geo(doc: &Doc, sentence: usize) -> String {
    let in_sentence = doc.sentences.get(sentence).and_then(|s| {
        doc.locations
            .iter()
            .find(|l| l.span.start >= s.span.start && l.span.end <= s.span.end)
    });
    match in_sentence.or(doc.locations.first()) {
        Some(l) => location_fields(l, false),
        None => "0######".to_string(),
    }
}

/// One V2.1EnhancedDates entry (`Resolution#Month#Day#Year#Offset`) for a
/// TIMEX3 `DATE` value, or `None` when it is not a calendar date.
fn date_entry(value: &str, offset: usize) -> Option<String> {
    let parts: Vec<&str> = value.split('-').collect();
    let year = parts.first()?;
    let known_year = year.len() == 4 && year.chars().all(|c| c.is_ascii_digit());
    let y: i32 = if known_year { year.parse().ok()? } else { 0 };
    let month: Option<u32> = parts.get(1).and_then(|m| m.parse().ok());
    let day: Option<u32> = parts.get(2).and_then(|d| d.parse().ok());
    let (res, m, d) = match (known_year, month, day) {
        (true, Some(m), Some(d)) => {
            NaiveDate::from_ymd_opt(y, m, d)?;
            (3, m, d)
        }
        (true, Some(m), None) if (1..=12).contains(&m) => (2, m, 0),
        (true, None, None) if parts.len() == 1 => (1, 0, 0),
        (false, Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => (4, m, d),
        _ => return None,
    };
    Some(format!("{res}#{m}#{d}#{y}#{offset}"))
}

fn join_terminated(items: &[String]) -> String {
    items.iter().map(|s| format!("{s};")).collect()
}

/// The 27 GKG 2.1 fields of one document.
///
/// `record_id` is GKGRECORDID (GDELT uses `YYYYMMDDHHMMSS-N`), `date` is
/// V2.1DATE. V2DocumentIdentifier is the URL, or the document id when there
/// is none; V2SourceCommonName is `doc.source`, else the URL's domain.
pub fn gkg_row(doc: &Doc, record_id: &str, date: NaiveDateTime) -> Vec<String> {
    let cm = CharMap::new(&doc.text);
    let off = |s: Span| cm.char_of(s.start);

    // Counts and amounts.
    let mut v1_counts = Vec::new();
    let mut v2_counts = Vec::new();
    let mut amounts = Vec::new();
    for c in &doc.counts {
        let ty = gkg_count_type(&c.kind);
        let object = c
            .object
            .map(|o| clean(span_text(doc, o), &['#', ';', ',']))
            .unwrap_or_default();
        let geo = count_geo(doc, c.sentence);
        let v1 = format!("{ty}#{}#{object}#{geo}", c.number);
        v2_counts.push(format!("{v1}#{}", off(c.span)));
        v1_counts.push(v1);
        amounts.push(format!("{},{object},{}", c.number, off(c.span)));
    }

    // Locations: V1 unique, V2 one per mention.
    let mut v1_locs = Vec::new();
    let mut seen = HashSet::new();
    let mut v2_locs = Vec::new();
    for l in &doc.locations {
        let v1 = location_fields(l, false);
        if seen.insert(v1.clone()) {
            v1_locs.push(v1);
        }
        v2_locs.push(format!("{}#{}", location_fields(l, true), off(l.span)));
    }

    // Persons, organizations, all names.
    let name_of = |s: Span| clean(span_text(doc, s), &['#', ';', ',']);
    let mut persons: Vec<(String, usize)> = Vec::new();
    let mut orgs: Vec<(String, usize)> = Vec::new();
    let mut all: Vec<(String, usize)> = Vec::new();
    for e in &doc.entities {
        let name = name_of(e.span);
        if name.is_empty() {
            continue;
        }
        let o = off(e.span);
        match e.label {
            EntityLabel::Person => persons.push((name.clone(), o)),
            EntityLabel::Organization => orgs.push((name.clone(), o)),
            _ => {}
        }
        if e.label != EntityLabel::Other {
            all.push((name, o));
        }
    }
    for q in &doc.quotes {
        let Some(sp) = q.speaker_resolved.or(q.speaker) else {
            continue;
        };
        // A speaker inside any entity mention is already listed (or is not a person).
        let covered = doc.entities.iter().any(|e| e.span.overlaps(&sp));
        let name = name_of(sp);
        let proper = is_proper_name(&name);
        let o = off(sp);
        if !covered && proper && !persons.iter().any(|(n, po)| *po == o || *n == name) {
            persons.push((name.clone(), o));
            all.push((name, o));
        }
    }
    // Place names the entity layer missed are proper names too.
    for l in &doc.locations {
        let o = off(l.span);
        if !all.iter().any(|(_, ao)| *ao == o) {
            let name = name_of(l.span);
            if !name.is_empty() {
                all.push((name, o));
            }
        }
    }
    persons.sort_by_key(|p| p.1);
    all.sort_by_key(|p| p.1);
    let v1_names = |v: &[(String, usize)]| {
        let mut seen = HashSet::new();
        v.iter()
            .map(|(n, _)| n.to_lowercase())
            .filter(|n| seen.insert(n.clone()))
            .collect::<Vec<_>>()
            .join(";")
    };
    let v2_names = |v: &[(String, usize)]| {
        v.iter()
            .map(|(n, o)| format!("{n},{o}"))
            .collect::<Vec<_>>()
            .join(";")
    };

    // Tone and GCAM.
    let (tone, gcam) = match &doc.tone {
        Some(t) => (
            [
                t.tone,
                t.positive,
                t.negative,
                t.polarity,
                t.activity_density,
                t.self_group_density,
            ]
            .iter()
            .map(|x| num(*x))
            .chain(std::iter::once(t.word_count.to_string()))
            .collect::<Vec<_>>()
            .join(","),
            format!("wc:{}", t.word_count),
        ),
        None => (String::new(), String::new()),
    };

    // Dates.
    let dates: Vec<String> = doc
        .times
        .iter()
        .filter(|t| t.kind == "DATE")
        .filter_map(|t| date_entry(&t.value, off(t.span)))
        .collect();

    // Quotations.
    let quotes: Vec<String> = doc
        .quotes
        .iter()
        .filter_map(|q| {
            let text = clean(span_text(doc, q.content), &['#', '|']);
            if text.is_empty() {
                return None;
            }
            let (s, e) = cm.chars(q.content);
            let verb = q
                .cue
                .map(|c| clean(span_text(doc, c), &['#', '|']))
                .unwrap_or_default();
            Some(format!("{s}|{}|{verb}|{text}", e - s))
        })
        .collect();

    let source = doc
        .source
        .clone()
        .or_else(|| doc.url.as_deref().and_then(url_domain))
        .map(|s| clean(&s, &[]))
        .unwrap_or_default();
    let doc_ident = clean(doc.url.as_deref().unwrap_or(&doc.id), &[]);
    let extras = doc
        .title
        .as_deref()
        .map(|t| clean(t, &[]))
        .filter(|t| !t.is_empty())
        .map(|t| format!("<PAGE_TITLE>{}</PAGE_TITLE>", xml_escape(&t)))
        .unwrap_or_default();

    vec![
        clean(record_id, &[]),
        gkg_date(date),
        "1".to_string(),
        source,
        doc_ident,
        join_terminated(&v1_counts),
        join_terminated(&v2_counts),
        String::new(),
        String::new(),
        v1_locs.join(";"),
        v2_locs.join(";"),
        v1_names(&persons),
        v2_names(&persons),
        v1_names(&orgs),
        v2_names(&orgs),
        tone,
        join_terminated(&dates),
        gcam,
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        quotes.join("#"),
        v2_names(&all),
        join_terminated(&amounts),
        String::new(),
        extras,
    ]
}

/// Whether a speaker phrase reads as a person's name: capitalised words
/// (name particles such as "de", "al-", "bin" allowed), not starting with a
/// determiner or pronoun ("The government", "His spokesman", "He" are not names).
fn is_proper_name(s: &str) -> bool {
    const PARTICLES: [&str; 16] = [
        "de", "da", "del", "della", "di", "al", "el", "bin", "ibn", "van", "von", "der", "la",
        "le", "du", "dos",
    ];
    const NOT_NAME_START: [&str; 20] = [
        "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our",
        "he", "she", "they", "it", "we", "i", "you", "who",
    ];
    let words: Vec<&str> = s.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    if NOT_NAME_START.contains(&first.to_lowercase().as_str()) {
        return false;
    }
    words.iter().all(|w| {
        let head = w.split('-').next().unwrap_or(w);
        match w.chars().next() {
            Some(c) if c.is_alphabetic() => c.is_uppercase() || PARTICLES.contains(&head),
            _ => true,
        }
    })
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_strips_delimiters_and_breaks() {
        assert_eq!(clean("a\tb\n#c|d", &['#', '|']), "a b c d");
        assert_eq!(clean("x;y", &[]), "x;y");
    }

    #[test]
    fn count_types_map() {
        assert_eq!(gkg_count_type("KILL"), "KILL");
        assert_eq!(gkg_count_type("kidnap"), "KIDNAP");
        assert_eq!(
            gkg_count_type("DISPLACED"),
            "CRISISLEX_T09_DISPLACEDRELOCATEDEVACUATED"
        );
        assert_eq!(
            gkg_count_type("MISSING"),
            "CRISISLEX_T08_MISSINGFOUNDTRAPPEDPEOPLE"
        );
    }

    #[test]
    fn dates_resolution() {
        assert_eq!(
            date_entry("2015-02-18", 7).as_deref(),
            Some("3#2#18#2015#7")
        );
        assert_eq!(date_entry("2015-02", 1).as_deref(), Some("2#2#0#2015#1"));
        assert_eq!(date_entry("2015", 1).as_deref(), Some("1#0#0#2015#1"));
        assert_eq!(
            date_entry("XXXX-02-18", 706).as_deref(),
            Some("4#2#18#0#706")
        );
        assert_eq!(date_entry("2015-W07", 1), None);
        assert_eq!(date_entry("2015-02-30", 1), None);
    }

    #[test]
    fn proper_names() {
        assert!(is_proper_name("Bashar al-Assad"));
        assert!(is_proper_name("Luiz Inácio Lula da Silva"));
        assert!(!is_proper_name("The government"));
        assert!(!is_proper_name("the minister"));
        assert!(!is_proper_name("He"));
        assert!(!is_proper_name(""));
    }

    #[test]
    fn numbers_print_plain() {
        assert_eq!(num(-5.347593582887), "-5.347594");
        assert_eq!(num(2.0), "2");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(f64::NAN), "0");
    }
}
