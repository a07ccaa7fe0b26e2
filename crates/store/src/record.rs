//! The flat event record: one row of the `events` table, and the one mapping
//! from a [`Doc`] event to what every writer (JSONL, CSV, GDELT) prints.
//!
//! Offsets here are **character** (Unicode scalar) offsets, end exclusive, as
//! in the JSON contract; the [`Doc`] keeps bytes.

use chrono::{NaiveDate, NaiveDateTime};
use petrel_doc::{ActorRef, CharMap, Doc, Event, LocationMention, Span};

/// A span in character offsets with the text it covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpanText {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

impl SpanText {
    /// Converts a byte span of `doc.text`. A span outside the text or not on
    /// character boundaries gets the empty text (never panics); [`check_span`]
    /// is the strict form.
    pub fn from_doc(doc: &Doc, cm: &CharMap, span: Span) -> SpanText {
        let (s, e) = cm.chars(span);
        SpanText {
            start: s as u32,
            end: e as u32,
            text: doc.span_text(span).to_string(),
        }
    }
}

/// Whether `span` is a valid, non-inverted byte span of `text` on character
/// boundaries. Returns a description of the problem otherwise.
pub fn check_span(text: &str, span: Span) -> Result<(), String> {
    if span.start > span.end {
        return Err(format!("span {}..{} is inverted", span.start, span.end));
    }
    if span.end as usize > text.len() {
        return Err(format!(
            "span {}..{} ends past the text ({} bytes)",
            span.start,
            span.end,
            text.len()
        ));
    }
    if !text.is_char_boundary(span.start as usize) || !text.is_char_boundary(span.end as usize) {
        return Err(format!(
            "span {}..{} is not on character boundaries",
            span.start, span.end
        ));
    }
    Ok(())
}

/// An actor slot of an event, flattened.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActorRecord {
    /// Actor code (`USAGOV`); empty when the slot was found but not resolved.
    pub code: String,
    pub span: SpanText,
    /// What resolved the code (dictionary entry id or rule).
    pub via: String,
}

impl ActorRecord {
    fn from_ref(doc: &Doc, cm: &CharMap, a: &ActorRef) -> ActorRecord {
        ActorRecord {
            code: a.code.clone(),
            span: SpanText::from_doc(doc, cm, a.span),
            via: a.via.clone(),
        }
    }
}

/// One coded event with everything the writers need, independent of whether
/// it comes from an in-memory [`Doc`] or from the store.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventRecord {
    pub doc_id: String,
    pub url: Option<String>,
    /// The article's source (publisher), not the event's source actor.
    pub article_source: Option<String>,
    pub published: Option<NaiveDate>,
    /// Length of the article text in characters.
    pub doc_chars: u32,
    /// Index of the event in the document's event layer.
    pub idx: u32,
    /// Deterministic id from the doc id and `idx` (see [`global_event_id`]).
    pub global_event_id: i64,
    /// Full CAMEO code as text (`"043"`, `"0311"`): leading zeros kept.
    pub cameo: String,
    pub root: String,
    pub quad_class: u8,
    pub goldstein: f32,
    pub plover_type: Option<String>,
    pub plover_mode: Option<String>,
    pub source: Option<ActorRecord>,
    pub target: Option<ActorRecord>,
    pub reported_by: Option<ActorRecord>,
    pub verb: SpanText,
    pub negated: bool,
    /// `asserted`, `future`, `intent`, `threat` or `hypothetical`.
    pub modality: String,
    pub date: Option<NaiveDate>,
    pub sentence_idx: u32,
    pub sentence_text: String,
    /// The event's sentence lies in the lead paragraph (GDELT's IsRootEvent).
    pub in_lead: bool,
    pub rule: String,
    pub confidence: f32,
    /// When the article was saved to the store (UTC); `None` for records
    /// built straight from a [`Doc`].
    pub coded_at: Option<NaiveDateTime>,
    /// Where the event happened (GDELT ActionGeo).
    pub action_geo: Option<GeoRecord>,
    /// Where the source actor is (GDELT Actor1Geo).
    pub actor1_geo: Option<GeoRecord>,
    /// Where the target actor is (GDELT Actor2Geo).
    pub actor2_geo: Option<GeoRecord>,
    /// Precision of `date` (`day`, `week`, `month`, `year`, …).
    pub date_precision: String,
    /// Text of the time expression that dated the event; `None` when the
    /// date is the publication date.
    pub date_text: Option<String>,
}

/// A place attached to an event, in GDELT's geo-block terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeoRecord {
    /// 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
    pub gdelt_type: u8,
    pub full_name: String,
    /// FIPS 10-4 country code.
    pub country_fips: String,
    /// FIPS country code + first-level division code (`US06`); the country
    /// code alone for a country.
    pub adm1_code: String,
    /// Always empty (no second-level divisions).
    pub adm2_code: String,
    pub lat: f64,
    pub lon: f64,
    /// GeoNames id, or the FIPS code for a country.
    pub feature_id: String,
    /// How the place was attached: `verb`, `dateline`, `actor-span` or
    /// `actor-country`.
    pub source: String,
}

const GEO_SEP: char = '\u{1f}';

impl GeoRecord {
    fn from_location(l: &LocationMention, source: &str) -> GeoRecord {
        let adm1_code = if l.admin1.is_empty() || l.gdelt_type == 1 {
            l.fips.clone()
        } else {
            format!("{}{}", l.fips, l.admin1)
        };
        let feature_id = match (l.gdelt_type, l.geonameid) {
            (1, _) | (_, None) => l.fips.clone(),
            (_, Some(g)) => g.to_string(),
        };
        GeoRecord {
            gdelt_type: l.gdelt_type,
            full_name: l.name.clone(),
            country_fips: l.fips.clone(),
            adm1_code,
            adm2_code: String::new(),
            lat: l.lat,
            lon: l.lon,
            feature_id,
            source: source.to_string(),
        }
    }

    /// The one-column text form used by the store (fields separated by
    /// U+001F).
    pub fn encode(&self) -> String {
        let s = GEO_SEP.to_string();
        [
            self.gdelt_type.to_string(),
            self.full_name.replace(GEO_SEP, " "),
            self.country_fips.clone(),
            self.adm1_code.clone(),
            self.adm2_code.clone(),
            self.lat.to_string(),
            self.lon.to_string(),
            self.feature_id.clone(),
            self.source.clone(),
        ]
        .join(&s)
    }

    /// Parses [`GeoRecord::encode`]'s form; an error says which field is bad.
    pub fn decode(s: &str) -> Result<GeoRecord, String> {
        let f: Vec<&str> = s.split(GEO_SEP).collect();
        if f.len() != 9 {
            return Err(format!("geo {s:?}: {} fields, expected 9", f.len()));
        }
        let num = |i: usize| {
            f[i].parse::<f64>()
                .map_err(|e| format!("geo {s:?}: field {i}: {e}"))
        };
        Ok(GeoRecord {
            gdelt_type: f[0].parse().map_err(|e| format!("geo {s:?}: type: {e}"))?,
            full_name: f[1].to_string(),
            country_fips: f[2].to_string(),
            adm1_code: f[3].to_string(),
            adm2_code: f[4].to_string(),
            lat: num(5)?,
            lon: num(6)?,
            feature_id: f[7].to_string(),
            source: f[8].to_string(),
        })
    }
}

/// The country place of the actor code's first three letters, when they
/// are an ISO3 country found among the document's locations.
fn actor_country(doc: &Doc, code: &str) -> Option<GeoRecord> {
    let iso = code.get(..3)?;
    if !iso.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    doc.locations
        .iter()
        .find(|l| l.gdelt_type == 1 && l.country_iso3 == iso)
        .map(|l| GeoRecord::from_location(l, "actor-country"))
}

fn inside(outer: Span, inner: Span) -> bool {
    inner.start >= outer.start && inner.end <= outer.end
}

/// ActionGeo of event `idx`: the location whose `events` lists it, else the
/// dateline's place, else the source actor's country.
fn action_geo(doc: &Doc, idx: usize, ev: &Event) -> Option<GeoRecord> {
    if let Some(l) = doc.locations.iter().find(|l| l.events.contains(&idx)) {
        return Some(GeoRecord::from_location(l, "verb"));
    }
    if let Some(d) = petrel_text::dateline(&doc.text) {
        if let Some(l) = doc.locations.iter().find(|l| inside(d, l.span)) {
            return Some(GeoRecord::from_location(l, "dateline"));
        }
    }
    ev.source.as_ref().and_then(|a| actor_country(doc, &a.code))
}

/// Actor geo: a location inside the actor's span, else its country.
fn actor_geo(doc: &Doc, a: &Option<ActorRef>) -> Option<GeoRecord> {
    let a = a.as_ref()?;
    if let Some(l) = doc.locations.iter().find(|l| inside(a.span, l.span)) {
        return Some(GeoRecord::from_location(l, "actor-span"));
    }
    actor_country(doc, &a.code)
}

/// Precision and text of the event's date: the time expression of the
/// event's sentence whose value starts with the date, nearest the verb;
/// else `("day", None)` (the publication date).
fn date_source(doc: &Doc, ev: &Event) -> (String, Option<String>) {
    let (Some(date), Some(sent)) = (ev.date, doc.sentences.get(ev.sentence)) else {
        return ("day".into(), None);
    };
    let ymd = date.to_string();
    let verb = ev.verb.start as i64;
    doc.times
        .iter()
        .filter(|t| inside(sent.span, t.span) && !t.value.is_empty())
        .filter(|t| ymd.starts_with(&t.value) || t.value.starts_with(&ymd))
        .min_by_key(|t| (t.span.start as i64 - verb).abs())
        .map_or(("day".into(), None), |t| {
            (t.precision.clone(), Some(doc.span_text(t.span).to_string()))
        })
}

impl EventRecord {
    /// Builds the record of event `idx` of `doc`. Lenient: a bad span or
    /// sentence index yields empty text rather than a panic (the store
    /// validates before saving).
    pub fn from_event(
        doc: &Doc,
        cm: &CharMap,
        lead_end: usize,
        idx: usize,
        ev: &Event,
    ) -> EventRecord {
        let sentence = doc.sentences.get(ev.sentence);
        let (date_precision, date_text) = date_source(doc, ev);
        EventRecord {
            doc_id: doc.id.clone(),
            url: doc.url.clone(),
            article_source: doc.source.clone(),
            published: doc.published,
            doc_chars: cm.char_of(doc.text.len() as u32) as u32,
            idx: idx as u32,
            global_event_id: global_event_id(&doc.id, idx as u32),
            cameo: ev.cameo.clone(),
            root: ev.root.clone(),
            quad_class: ev.quad_class,
            goldstein: ev.goldstein,
            plover_type: ev.plover_type.clone(),
            plover_mode: ev.plover_mode.clone(),
            source: ev
                .source
                .as_ref()
                .map(|a| ActorRecord::from_ref(doc, cm, a)),
            target: ev
                .target
                .as_ref()
                .map(|a| ActorRecord::from_ref(doc, cm, a)),
            reported_by: ev
                .reported_by
                .as_ref()
                .map(|a| ActorRecord::from_ref(doc, cm, a)),
            verb: SpanText::from_doc(doc, cm, ev.verb),
            negated: ev.negated,
            modality: ev.modality.as_str().to_string(),
            date: ev.date,
            sentence_idx: ev.sentence as u32,
            sentence_text: sentence
                .map(|s| doc.span_text(s.span).to_string())
                .unwrap_or_default(),
            in_lead: sentence.is_some_and(|s| (s.span.start as usize) < lead_end),
            rule: ev.rule.clone(),
            confidence: ev.confidence,
            coded_at: None,
            action_geo: action_geo(doc, idx, ev),
            actor1_geo: actor_geo(doc, &ev.source),
            actor2_geo: actor_geo(doc, &ev.target),
            date_precision,
            date_text,
        }
    }

    /// All event records of a document, in event order.
    pub fn from_doc(doc: &Doc) -> Vec<EventRecord> {
        let cm = CharMap::new(&doc.text);
        let lead = lead_end(doc);
        doc.events
            .iter()
            .enumerate()
            .map(|(i, ev)| EventRecord::from_event(doc, &cm, lead, i, ev))
            .collect()
    }
}

/// Byte offset where the lead paragraph of `doc` ends.
///
/// The lead is the first non-blank paragraph (paragraphs are separated by a
/// blank line) that is not the title repeated as the first line; when the text
/// has a single paragraph the lead is its first sentence (or all of it when no
/// sentences are known).
pub fn lead_end(doc: &Doc) -> usize {
    let text = doc.text.as_str();
    let mut pos = 0;
    let mut paragraphs = Vec::new();
    while pos < text.len() {
        let rest = &text[pos..];
        let end = find_blank_line(rest).map_or(text.len(), |e| pos + e);
        let para = text[pos..end].trim();
        if !para.is_empty() {
            paragraphs.push((pos, end, para));
        }
        // Skip the blank-line separator(s).
        let mut next = end;
        while next < text.len() && text.as_bytes()[next].is_ascii_whitespace() {
            next += 1;
        }
        if next == pos {
            break;
        }
        pos = next;
    }
    let title = doc
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let mut iter = paragraphs.iter().filter(|(_, _, p)| Some(*p) != title);
    match (iter.next(), paragraphs.len()) {
        (Some(&(_, end, _)), n) if n > 1 => end,
        _ => doc
            .sentences
            .first()
            .map_or(text.len(), |s| s.span.end as usize),
    }
}

/// Byte offset of the first blank line (`\n` followed by optional spaces and
/// another `\n`) in `s`, i.e. where the current paragraph ends.
fn find_blank_line(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' {
            let mut j = i + 1;
            while j < b.len() && (b[j] == b' ' || b[j] == b'\t' || b[j] == b'\r') {
                j += 1;
            }
            if j < b.len() && b[j] == b'\n' {
                return Some(if i > 0 && b[i - 1] == b'\r' { i - 1 } else { i });
            }
        }
        i += 1;
    }
    None
}

pub use petrel_doc::fnv1a64;

/// Deterministic, positive event id from the document id and the event
/// index: FNV-1a of `doc_id`, a separator and `idx` (decimal), mixed by
/// MurmurHash3's 64-bit finalizer and reduced to 53
/// bits so that it survives a round trip through JSON numbers (IEEE doubles).
/// Never 0.
pub fn global_event_id(doc_id: &str, idx: u32) -> i64 {
    let mut h = fnv1a64(&[doc_id.as_bytes(), idx.to_string().as_bytes()]);
    // MurmurHash3's fmix64 finalizer: FNV-1a barely mixes the last bytes, so
    // ids of neighbouring events would otherwise share their high bits.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    let h = h & ((1u64 << 53) - 1);
    h.max(1) as i64
}

/// The id of the merged event an event belongs to (see
/// [`EventRecord::merge_key`]): FNV-1a over the key fields, separated, mixed
/// like [`global_event_id`] and reduced to 53 bits; never 0. Absent actors
/// and places are empty strings.
pub fn event_merge_key(
    source: &str,
    target: &str,
    cameo: &str,
    date: Option<NaiveDate>,
    place: &str,
    negated: bool,
    modality: &str,
) -> i64 {
    let date = date.map(|d| d.to_string()).unwrap_or_default();
    let mut h = fnv1a64(&[
        b"petrel-event-key",
        source.as_bytes(),
        target.as_bytes(),
        cameo.as_bytes(),
        date.as_bytes(),
        place.as_bytes(),
        if negated { b"1" } else { b"0" },
        modality.as_bytes(),
    ]);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    let h = h & ((1u64 << 53) - 1);
    h.max(1) as i64
}

impl EventRecord {
    /// The merged-event id of this event. Events of any articles with the
    /// same key are one event (GDELT's Events/Mentions split). The key is:
    /// source actor code, target actor code, full CAMEO code, event date
    /// (else the article's publication date), ActionGeo feature id, whether
    /// negated, and modality — "X did not attack Y" and "X threatened to
    /// attack Y" are not the same event as "X attacked Y". Actor text,
    /// spans, rule and confidence are not part of it.
    pub fn merge_key(&self) -> i64 {
        fn code(a: &Option<ActorRecord>) -> &str {
            a.as_ref().map_or("", |a| a.code.as_str())
        }
        event_merge_key(
            code(&self.source),
            code(&self.target),
            &self.cameo,
            self.date.or(self.published),
            self.action_geo
                .as_ref()
                .map_or("", |g| g.feature_id.as_str()),
            self.negated,
            &self.modality,
        )
    }
}

/// Hash of the article content that decides whether a stored article is
/// up to date: FNV-1a 64 over id-independent fields (text, title, url,
/// source, published), as 16 lower-case hex digits.
pub fn content_hash(
    text: &str,
    title: Option<&str>,
    url: Option<&str>,
    source: Option<&str>,
    published: Option<NaiveDate>,
) -> String {
    let date = published.map(|d| d.to_string()).unwrap_or_default();
    let opt = |o: Option<&str>| o.map_or(Vec::new(), |s| [b"1".as_slice(), s.as_bytes()].concat());
    let h = fnv1a64(&[
        text.as_bytes(),
        &opt(title),
        &opt(url),
        &opt(source),
        date.as_bytes(),
    ]);
    format!("{h:016x}")
}

/// [`content_hash`] of a document.
pub fn doc_content_hash(doc: &Doc) -> String {
    content_hash(
        &doc.text,
        doc.title.as_deref(),
        doc.url.as_deref(),
        doc.source.as_deref(),
        doc.published,
    )
}

/// [`content_hash`] of an article (equal to [`doc_content_hash`] of the
/// `Doc` made from it, so it can be checked before analysis).
pub fn article_content_hash(a: &petrel_doc::Article) -> String {
    content_hash(
        &a.text,
        a.title.as_deref(),
        a.url.as_deref(),
        a.source.as_deref(),
        a.published,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use petrel_doc::{Article, Sentence};

    #[test]
    fn event_ids_are_stable_and_distinct() {
        let a = global_event_id("doc-1", 0);
        assert_eq!(a, global_event_id("doc-1", 0));
        assert_ne!(a, global_event_id("doc-1", 1));
        assert_ne!(a, global_event_id("doc-10", 0));
        assert!(a > 0 && a < (1i64 << 53));
        // Neighbouring events do not share their leading digits.
        let b = global_event_id("doc-1", 1);
        assert!((a >> 40) != (b >> 40), "{a} {b}");
        // Pinned: stored ids and exports must not change between versions.
        assert_eq!(global_event_id("doc-1", 0), 1426587685544181);
        // Pinned: a change of the hash would renumber every stored event.
        assert_eq!(fnv1a64(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn content_hash_matches_for_article_and_doc() {
        let a = Article {
            id: "x".into(),
            title: Some("T".into()),
            text: "Body.".into(),
            published: NaiveDate::from_ymd_opt(2024, 1, 2),
            ..Article::default()
        };
        let h = article_content_hash(&a);
        assert_eq!(h.len(), 16);
        let mut d = Doc::from_article(a);
        assert_eq!(doc_content_hash(&d), h);
        d.title = None;
        assert_ne!(doc_content_hash(&d), h);
        // Empty title and missing title differ.
        let empty = content_hash("Body.", Some(""), None, None, None);
        assert_ne!(empty, content_hash("Body.", None, None, None, None));
    }

    #[test]
    fn lead_skips_title_line() {
        let text = "Rebels seize town\n\nRebels seized the town on Monday. Troops fled.\n\nLater, talks began.";
        let mut d = Doc::new("a", text);
        d.title = Some("Rebels seize town".into());
        let end = lead_end(&d);
        assert_eq!(
            &text[..end],
            "Rebels seize town\n\nRebels seized the town on Monday. Troops fled."
        );
        // Without a title the first paragraph is the lead.
        d.title = None;
        assert_eq!(&text[..lead_end(&d)], "Rebels seize town");
        // One paragraph: the first sentence.
        let mut one = Doc::new("b", "One. Two.");
        one.sentences.push(Sentence {
            span: Span::new(0, 4),
            tokens: 0..0,
        });
        assert_eq!(lead_end(&one), 4);
    }

    #[test]
    fn check_span_rejects_bad_spans() {
        assert!(check_span("héllo", Span::new(0, 3)).is_ok());
        assert!(check_span("héllo", Span::new(0, 2)).is_err());
        assert!(check_span("abc", Span::new(2, 9)).is_err());
        assert!(check_span("abc", Span { start: 2, end: 1 }).is_err());
    }
}
