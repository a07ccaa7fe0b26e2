//! Toponym recognition (which token sequences name places) and resolution
//! (which gazetteer entry each one names).

use crate::gazetteer::{Gazetteer, Place};
use crate::normalize::normalize;
use petrel_doc::{Doc, Span, TokenRange, Upos};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A place name found in a document and the gazetteer entry it resolved to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    /// Byte span of the name in [`Doc::text`].
    pub span: Span,
    pub tokens: TokenRange,
    /// Gazetteer name of the resolved place ("United States" for "U.S.").
    pub name: String,
    pub geonameid: Option<u32>,
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-1 alpha-2; empty for regions spanning several countries.
    pub country_iso2: String,
    pub country_iso3: String,
    /// FIPS 10-4 country code (what GDELT uses).
    pub fips: String,
    /// GeoNames first-level division code of the place (empty for countries).
    pub admin1: String,
    pub feature_class: char,
    pub feature_code: String,
    pub population: u64,
    /// Confidence in the chosen sense among the name's senses, in (0, 1].
    pub score: f32,
}

impl Location {
    /// GDELT geographic resolution: 1 country, 2 US state, 3 US city,
    /// 4 world city, 5 world state (first-level division). Regions and
    /// physical features count as cities of their country (3 or 4).
    pub fn gdelt_type(&self) -> u8 {
        match (self.feature_code.as_str(), self.country_iso2.as_str()) {
            ("PCLI", _) => 1,
            ("ADM1", "US") => 2,
            ("ADM1", _) => 5,
            (_, "US") => 3,
            _ => 4,
        }
    }

    /// GDELT-style ADM1 code: FIPS country code followed by the division
    /// code (`"US"` + `"TX"`); the country's FIPS code alone for countries.
    /// GeoNames division codes outside the US are not always FIPS codes.
    pub fn gdelt_adm1_code(&self) -> String {
        if self.feature_code == "PCLI" || self.admin1.is_empty() {
            self.fips.clone()
        } else {
            format!("{}{}", self.fips, self.admin1)
        }
    }
}

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

fn place_km(a: &Place, b: &Place) -> f64 {
    haversine_km(
        f64::from(a.lat),
        f64::from(a.lon),
        f64::from(b.lat),
        f64::from(b.lon),
    )
}

// ---------------------------------------------------------------------------
// Word lists (normalised forms).

/// Titles and roles before a person's name ("Mr. Jordan", "President Trump").
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sen",
    "rep",
    "gov",
    "gen",
    "lt",
    "col",
    "capt",
    "sgt",
    "cpl",
    "adm",
    "maj",
    "prof",
    "rev",
    "fr",
    "president",
    "senator",
    "governor",
    "mayor",
    "minister",
    "secretary",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "sir",
    "lord",
    "lady",
    "dame",
    "judge",
    "justice",
    "coach",
    "officer",
    "detective",
    "deputy",
    "chairman",
    "chairwoman",
    "ambassador",
    "commissioner",
    "sheikh",
    "emir",
    "ayatollah",
    "imam",
    "rabbi",
    "bishop",
    "cardinal",
    "archbishop",
    "chancellor",
    "premier",
    "councilman",
    "councilwoman",
    "assemblyman",
    "assemblywoman",
    "congressman",
    "congresswoman",
    "speaker",
    "sheriff",
    "chief",
    "mister",
    "madam",
    "saint-",
];

/// Capitalised words that may follow a place name without making it part of
/// a longer name ("Texas Governor", "Idlib Province", "Paris Monday").
const ALLOWED_AFTER: &[&str] = &[
    "governor",
    "gov",
    "mayor",
    "president",
    "senator",
    "sen",
    "rep",
    "attorney",
    "secretary",
    "minister",
    "prime",
    "premier",
    "police",
    "sheriff",
    "chief",
    "king",
    "queen",
    "prince",
    "emperor",
    "province",
    "region",
    "governorate",
    "oblast",
    "county",
    "district",
    "state",
    "territory",
    "prefecture",
    "department",
    "municipality",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "ap",
    "afp",
    "reuters",
    "i",
    "archbishop",
    "bishop",
    "cardinal",
    "councillor",
    "councilman",
    "councilwoman",
    "council",
    "lawmaker",
    "lawmakers",
    "mp",
    "mps",
    "congressman",
    "congresswoman",
    "assemblyman",
    "official",
    "officials",
    "residents",
    "voters",
    "leader",
    "leaders",
    "ambassador",
    "embassy",
    "consulate",
    "envoy",
];

/// Function words: capitalised only at the start of a sentence or in titles.
const STOPWORDS: &[&str] = &[
    "under",
    "over",
    "about",
    "against",
    "among",
    "along",
    "amid",
    "beyond",
    "during",
    "through",
    "without",
    "upon",
    "despite",
    "per",
    "than",
    "because",
    "although",
    "though",
    "unlike",
    "including",
    "where",
    "whereas",
    "then",
    "so",
    "yet",
    "nor",
    "all",
    "every",
    "both",
    "each",
    "many",
    "most",
    "some",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "our",
    "its",
    "my",
    "your",
    "a",
    "an",
    "not",
    "no",
    "only",
    "even",
    "also",
    "why",
    "how",
    "what",
    "which",
    "who",
    "whom",
    "whose",
    "once",
    "until",
    "unless",
    "whether",
    "meanwhile",
    "elsewhere",
    "here",
    "there",
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "now",
    "still",
    "just",
    "back",
    "up",
    "down",
    "off",
    "out",
    "beneath",
    "above",
    "below",
    "behind",
    "beside",
    "besides",
    "past",
    "plus",
    "is",
    "was",
    "are",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "it",
    "he",
    "she",
    "we",
    "they",
    "you",
    "i",
    "one",
    "two",
    "three",
];

/// Capitalised words that may precede a place name.
const ALLOWED_BEFORE: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "upper",
    "lower",
    "greater",
    "inner",
    "outer",
    "downtown",
    "mainland",
    "rural",
    "metro",
    "the",
    "in",
    "at",
    "from",
    "to",
    "of",
    "for",
    "on",
    "near",
    "and",
    "but",
    "with",
    "by",
    "across",
    "around",
    "outside",
    "inside",
    "into",
    "between",
    "after",
    "before",
    "since",
    "as",
    "when",
    "while",
    "if",
    "like",
    "via",
    "or",
    "throughout",
    "within",
    "toward",
    "towards",
    "visit",
    "visiting",
    "dateline",
    "title",
    "link",
];

/// Heads of "X of <place>" that keep the place a place ("President of
/// France", "Gulf of Mexico"); other capitalised heads make it part of an
/// organisation name ("University of Texas", "Bank of America").
const OF_HEADS: &[&str] = &[
    "president",
    "minister",
    "king",
    "queen",
    "governor",
    "mayor",
    "emir",
    "sultan",
    "prince",
    "republic",
    "kingdom",
    "people",
    "province",
    "state",
    "city",
    "gulf",
    "sea",
    "bay",
    "strait",
    "isle",
    "island",
    "islands",
    "port",
    "capital",
    "ambassador",
    "embassy",
    "citizens",
    "government",
    "region",
    "district",
    "county",
    "north",
    "south",
    "east",
    "west",
    "parts",
    "people's",
    "coast",
    "west bank",
    "heart",
    "centre",
    "center",
    "outskirts",
];

const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "wrote",
    "argued",
    "explained",
    "noted",
    "asked",
    "replied",
    "testified",
    "tweeted",
    "posted",
    "insisted",
    "recalled",
    "admitted",
];

/// Lowercase words allowed inside a name ("Gulf of Mexico", "Rio de Janeiro").
const PARTICLES: &[&str] = &[
    "of", "the", "de", "del", "la", "le", "el", "al", "du", "des", "da", "do", "dos", "das", "di",
    "upon", "on", "sur", "am", "an", "y", "and", "en", "van", "von", "der", "den", "bin", "ibn",
    "'s", "-", "'", "&", "es", "ez", "ash", "as", "ad", "at", "ar", "an",
];

/// "the city of X": X is a populated place.
const PLACE_HEADS: &[&str] = &[
    "city",
    "town",
    "village",
    "capital",
    "port",
    "suburb",
    "hamlet",
    "municipality",
    "enclave",
    "province",
    "region",
    "district",
    "county",
    "island",
    "neighbourhood",
    "neighborhood",
    "outskirts",
    "state",
];

/// Single words that are never a place on their own (directions, months, days).
const NEVER_ALONE: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mid",
    "centre",
    "center",
];

const DIRECTIONS: &[&str] = &[
    "the",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "north",
    "south",
    "east",
    "west",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "rural",
    "neighbouring",
    "neighboring",
    "nearby",
    "downtown",
];

/// Words that make a name an institution, not a place ("University of Texas").
const INSTITUTIONS: &[&str] = &[
    "university",
    "college",
    "school",
    "academy",
    "hospital",
    "institute",
    "church",
    "cathedral",
    "mosque",
    "temple",
    "stadium",
    "arena",
    "museum",
    "library",
    "prison",
    "base",
    "house",
];

fn is_cap(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_uppercase)
}

fn is_all_caps(t: &str) -> bool {
    let mut letters = 0;
    for c in t.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 2
}

fn has_alpha(t: &str) -> bool {
    t.chars().any(char::is_alphabetic)
}

// ---------------------------------------------------------------------------

/// Tokens and sentences of a document (segmented here when the doc has none).
struct View<'a> {
    text: &'a str,
    spans: Vec<Span>,
    /// Sentence of each token.
    sent_of: Vec<usize>,
    sents: Vec<(usize, usize)>,
    upos: Option<&'a [Upos]>,
    /// Per sentence: mostly capitalised (a headline).
    headline: Vec<bool>,
    dateline: Option<Span>,
}

impl<'a> View<'a> {
    fn new(doc: &'a Doc) -> View<'a> {
        let text = doc.text.as_str();
        let (spans, sents): (Vec<Span>, Vec<(usize, usize)>) = if doc.tokens.span.is_empty() {
            let (spans, sents) = petrel_text::segment(text);
            let s = sents
                .iter()
                .map(|s| (s.tokens.start as usize, s.tokens.end as usize))
                .collect();
            (spans, s)
        } else {
            let n = doc.tokens.span.len();
            let mut s: Vec<(usize, usize)> = doc
                .sentences
                .iter()
                .map(|s| (s.tokens.start as usize, (s.tokens.end as usize).min(n)))
                .filter(|s| s.0 < s.1)
                .collect();
            if s.is_empty() {
                s.push((0, n));
            }
            (doc.tokens.span.clone(), s)
        };
        let n = spans.len();
        let mut sent_of = vec![usize::MAX; n];
        for (k, &(a, b)) in sents.iter().enumerate() {
            for x in sent_of.iter_mut().take(b).skip(a) {
                *x = k;
            }
        }
        let upos = (doc.tokens.upos.len() == n).then_some(doc.tokens.upos.as_slice());
        let tok = |i: usize| text.get(spans[i].range()).unwrap_or("");
        let headline = sents
            .iter()
            .map(|&(a, b)| {
                let words: Vec<&str> = (a..b)
                    .map(tok)
                    .filter(|t| t.chars().any(char::is_alphabetic))
                    .collect();
                let caps = words.iter().filter(|t| is_cap(t)).count();
                words.len() >= 4 && caps * 10 >= words.len() * 7
            })
            .collect();
        View {
            text,
            spans,
            sent_of,
            sents,
            upos,
            headline,
            dateline: petrel_text::dateline(text),
        }
    }

    fn tok(&self, i: usize) -> &'a str {
        self.spans
            .get(i)
            .and_then(|s| self.text.get(s.range()))
            .unwrap_or("")
    }

    fn sent(&self, i: usize) -> Option<(usize, usize)> {
        self.sent_of
            .get(i)
            .and_then(|&k| self.sents.get(k))
            .copied()
    }

    /// First word of its sentence (after opening punctuation).
    fn sentence_initial(&self, i: usize) -> bool {
        match self.sent(i) {
            Some((a, _)) => (a..i).all(|k| !has_alpha(self.tok(k))),
            None => true,
        }
    }

    fn headline_at(&self, i: usize) -> bool {
        self.sent_of
            .get(i)
            .and_then(|&k| self.headline.get(k))
            .copied()
            .unwrap_or(false)
    }
}

/// A candidate place name.
#[derive(Debug, Clone)]
struct Mention {
    t0: usize,
    t1: usize,
    key: String,
    cands: Vec<u32>,
    /// Candidates that carry the name only as an alternate (historic,
    /// foreign-language spellings).
    alt: HashSet<u32>,
    /// Evidence needed to accept the mention.
    need: Need,
    /// Introduced as "the city of X".
    city_of: bool,
}

/// Evidence a candidate needs beyond its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Need {
    /// Accepted as it is.
    Nothing,
    /// An article country that one of its senses lies in, or hierarchy.
    Context,
    /// An explicit container ("Hanover, New Hampshire").
    Hierarchy,
}

/// Longest gazetteer match starting at token `i`, within its sentence.
fn match_at(v: &View, gaz: &Gazetteer, i: usize) -> Option<Mention> {
    let (_, send) = v.sent(i)?;
    if !is_cap(v.tok(i)) || matches!(v.tok(i), "The" | "A" | "An" | "THE") {
        return None;
    }
    // Extent of tokens allowed inside a name.
    let limit = (i + gaz.max_words() * 2 + 1).min(send);
    let mut ext = i + 1;
    while ext < limit {
        let t = v.tok(ext);
        let lt = t.to_lowercase();
        if is_cap(t) || PARTICLES.contains(&lt.as_str()) || t == "\u{2019}s" || t == "." || t == ","
        {
            ext += 1;
        } else {
            break;
        }
    }
    for j in (i + 1..=ext).rev() {
        let last = v.tok(j - 1);
        if !is_cap(last) {
            continue;
        }
        let s = v.spans[i].start as usize;
        let e = v.spans[j - 1].end as usize;
        let Some(surface) = v.text.get(s..e) else {
            continue;
        };
        if surface.contains('\n') {
            continue;
        }
        let key = normalize(surface);
        let entries = gaz.lookup_entries(&key);
        if !entries.is_empty() {
            let cands = entries.iter().map(|e| e.0).collect();
            let alt = entries.iter().filter(|e| e.1).map(|e| e.0).collect();
            return Some(Mention {
                t0: i,
                t1: j,
                key,
                cands,
                alt,
                need: Need::Nothing,
                city_of: false,
            });
        }
    }
    None
}

/// Candidate mentions: longest matches, left to right, not overlapping.
fn detect(v: &View, gaz: &Gazetteer) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < v.spans.len() {
        match match_at(v, gaz, i) {
            Some(m) => {
                i = m.t1;
                out.push(m);
            }
            None => i += 1,
        }
    }
    // AP abbreviations of US states that are also words ("Md.", "Wash.")
    // count only right after a place and a comma: "Bethesda, Md.".
    let mut k = 0;
    while k < out.len() {
        let after = out[k].t1;
        let next_start = out.get(k + 1).map_or(v.spans.len(), |m| m.t0);
        if after + 1 < next_start && v.tok(after) == "," {
            if let Some(code) = AP_STATES
                .iter()
                .find(|(a, _)| *a == v.tok(after + 1))
                .map(|(_, c)| *c)
            {
                if let Some(idx) = gaz.admin1_index("US", code) {
                    let m = Mention {
                        t0: after + 1,
                        t1: after + 2,
                        key: normalize(v.tok(after + 1)),
                        cands: vec![idx],
                        alt: HashSet::new(),
                        need: Need::Nothing,
                        city_of: false,
                    };
                    out.insert(k + 1, m);
                    k += 1;
                }
            }
        }
        k += 1;
    }
    out
}

/// AP abbreviations of US states whose letters also spell a word.
const AP_STATES: &[(&str, &str)] = &[
    ("Pa.", "PA"),
    ("Ga.", "GA"),
    ("La.", "LA"),
    ("Va.", "VA"),
    ("Wash.", "WA"),
    ("Ill.", "IL"),
    ("Ind.", "IN"),
    ("Mo.", "MO"),
    ("Miss.", "MS"),
    ("Del.", "DE"),
    ("Mass.", "MA"),
    ("Ore.", "OR"),
    ("Md.", "MD"),
    ("Ky.", "KY"),
    ("Me.", "ME"),
];

fn any_admin_level(gaz: &Gazetteer, cands: &[u32]) -> bool {
    cands
        .iter()
        .any(|&c| matches!(gaz.place(c).feature_class, 'A' | 'L' | 'T' | 'H'))
}

/// Largest population among the candidates; a city known by this name only
/// as an alternate counts for a twentieth.
fn max_pop(gaz: &Gazetteer, m: &Mention) -> u64 {
    m.cands
        .iter()
        .map(|&c| {
            let p = gaz.place(c);
            if m.alt.contains(&c) && !matches!(p.feature_code.as_str(), "PCLI" | "ADM1") {
                p.population / 20
            } else {
                p.population
            }
        })
        .max()
        .unwrap_or(0)
}

/// Capitalised words that name people in this document: words after a
/// title or a first name ("Mr. Jordan", "Michael Jordan").
fn person_words(v: &View, gaz: &Gazetteer) -> HashSet<String> {
    let mut out = HashSet::new();
    let n = v.spans.len();
    for i in 0..n {
        let t = v.tok(i);
        if !is_cap(t) {
            continue;
        }
        let lt = normalize(t);
        let trigger =
            TITLES.contains(&lt.as_str()) || (gaz.is_first_name(&lt) && !is_place_word(gaz, &lt));
        if !trigger || v.headline_at(i) {
            continue;
        }
        let mut k = i + 1;
        while k < n && k <= i + 3 && v.sent_of.get(k) == v.sent_of.get(i) {
            let w = v.tok(k);
            if !is_cap(w) || is_all_caps(w) && w.len() <= 3 {
                break;
            }
            let lw = normalize(w);
            if TITLES.contains(&lw.as_str()) {
                k += 1;
                continue;
            }
            // "President Obama": the words after the title are the name.
            out.insert(lw);
            k += 1;
        }
    }
    out
}

/// Whether a single normalised word names a country, first-level division
/// or a city of 100,000 or more (such words are not read as first names).
fn is_place_word(gaz: &Gazetteer, w: &str) -> bool {
    gaz.lookup_norm(w).iter().any(|&c| {
        let p = gaz.place(c);
        p.is_country() || p.is_admin1() || p.population >= 100_000
    })
}

/// Applies the context rules; returns the mentions kept.
fn filter(v: &View, gaz: &Gazetteer, mentions: Vec<Mention>) -> Vec<Mention> {
    let persons = person_words(v, gaz);
    // Mentions that name a country or division: they may follow another
    // place directly ("Atlanta Georgia" in a headline-less caption).
    let strong_starts: HashSet<usize> = mentions
        .iter()
        .filter(|m| {
            m.cands
                .iter()
                .any(|&c| gaz.place(c).is_country() || gaz.place(c).is_admin1())
        })
        .map(|m| m.t0)
        .collect();
    let ends: HashSet<usize> = mentions.iter().map(|m| m.t1).collect();
    let mut out = Vec::new();
    for mut m in mentions {
        let single = m.t1 - m.t0 == 1;
        let first = v.tok(m.t0);
        let head = v.headline_at(m.t0);
        let initial = v.sentence_initial(m.t0);
        let strong_class = any_admin_level(gaz, &m.cands);
        let pop = max_pop(gaz, &m);
        let surface = v
            .text
            .get(v.spans[m.t0].start as usize..v.spans[m.t1 - 1].end as usize)
            .unwrap_or("");
        let propn = v.upos.is_some_and(|u| u.get(m.t0) == Some(&Upos::Propn));

        if m.key.split(' ').any(|w| INSTITUTIONS.contains(&w)) {
            continue;
        }
        // Short all-capitals words ("US", "UK", "EU") only name countries and regions.
        let letters = surface.chars().filter(|c| c.is_alphabetic()).count();
        if is_all_caps(surface) && letters <= 3 && !strong_class {
            continue;
        }
        // Title or first name before: a person ("Mr. Jordan", "Paris Hilton").
        let sent_start = v.sent(m.t0).map_or(0, |s| s.0);
        if m.t0 > sent_start {
            let prev = v.tok(m.t0 - 1);
            let lp = normalize(prev);
            let prev_is_place_end = ends.contains(&m.t0);
            if is_cap(prev) && !prev_is_place_end {
                if TITLES.contains(&lp.as_str()) {
                    continue;
                }
                if gaz.is_first_name(&lp) && !is_place_word(gaz, &lp) && !head {
                    continue;
                }
            }
        }
        // A word used as a person's name elsewhere in the article.
        if single && persons.contains(&m.key) {
            continue;
        }
        // "Clinton said": a person, unless the name is a country or region.
        if !strong_class
            && m.t1 < v.spans.len()
            && SPEECH.contains(&v.tok(m.t1).to_lowercase().as_str())
        {
            continue;
        }
        if single && NEVER_ALONE.contains(&m.key.as_str()) {
            continue;
        }
        let national = m.cands.iter().any(|&c| {
            let p = gaz.place(c);
            p.is_country() || matches!(p.feature_class, 'L' | 'H' | 'T')
        });
        let common = single && gaz.is_common_word(&m.key);
        if common && initial && !propn && !national && !is_all_caps(first) {
            continue;
        }
        // Common words ("Orange", "Centre") and surnames ("Walker") are
        // places only with an explicit container, unless they name a
        // country, a region or a big city.
        let letters_first = first.chars().filter(|c| c.is_alphabetic()).count();
        let person_name = gaz.is_surname(&m.key) || gaz.is_first_name(&m.key);
        if single
            && !national
            && (common || person_name || letters_first <= 3 && !is_all_caps(first))
        {
            let limit = if common { 300_000 } else { 100_000 };
            if pop < limit {
                m.need = Need::Hierarchy;
            }
        }
        if !head {
            // Part of a longer capitalised name ("Washington Post", "New York Giants").
            if let Some(next) = (m.t1 < v.spans.len() && v.sent_of.get(m.t1) == v.sent_of.get(m.t0))
                .then(|| v.tok(m.t1))
            {
                let ln = normalize(next);
                let countryish = m
                    .cands
                    .iter()
                    .any(|&c| matches!(gaz.place(c).feature_code.as_str(), "PCLI" | "CONT" | "ZN"));
                if is_cap(next)
                    && !countryish
                    && !ALLOWED_AFTER.contains(&ln.as_str())
                    && !STOPWORDS.contains(&ln.as_str())
                    && ln != "the"
                    && !strong_starts.contains(&m.t1)
                    && !(is_all_caps(surface) && !is_all_caps(next)
                        || is_all_caps(next) && is_all_caps(surface))
                {
                    continue;
                }
            }
            // Preceded by a capitalised word that is not a direction or a
            // function word at the start of the sentence.
            if m.t0 > sent_start {
                let prev = v.tok(m.t0 - 1);
                let lp = normalize(prev);
                let ok = !is_cap(prev)
                    || ALLOWED_BEFORE.contains(&lp.as_str())
                    || STOPWORDS.contains(&lp.as_str())
                    || v.sentence_initial(m.t0 - 1) && !is_all_caps(prev)
                    || ends.contains(&m.t0)
                    || gaz.demonym_country(prev).is_some()
                    || (is_all_caps(prev) && is_all_caps(surface));
                if !ok {
                    continue;
                }
            }
            // "University of Texas": a place inside an organisation name.
            if m.t0 >= sent_start + 2 && v.tok(m.t0 - 1) == "of" {
                let h = v.tok(m.t0 - 2);
                let lh = normalize(h);
                if is_cap(h)
                    && !OF_HEADS.contains(&lh.as_str())
                    && !ends.contains(&(m.t0 - 1))
                    && !v.sentence_initial(m.t0 - 2)
                {
                    continue;
                }
            }
        }
        // Known only by a historic or foreign alternate name ("Salisbury"
        // for Harare): needs a container when a single word.
        let national_primary = m.cands.iter().any(|&c| {
            let p = gaz.place(c);
            !m.alt.contains(&c)
                || p.is_country()
                || p.is_admin1()
                || matches!(p.feature_class, 'L' | 'H' | 'T')
        });
        if !national_primary {
            m.need = m.need.max(if single {
                Need::Hierarchy
            } else {
                Need::Context
            });
        }
        // "the city of Salisbury": a populated place, whatever the word.
        if m.t0 >= sent_start + 2 && v.tok(m.t0 - 1) == "of" {
            let head = normalize(v.tok(m.t0 - 2));
            if PLACE_HEADS.contains(&head.as_str()) && !is_cap(v.tok(m.t0 - 2)) {
                m.need = Need::Nothing;
                m.city_of = true;
                out.push(m);
                continue;
            }
        }
        // Small places need supporting context.
        if !strong_class && (if single { pop < 15_000 } else { pop < 1_000 }) {
            m.need = m.need.max(Need::Context);
        }
        out.push(m);
    }
    out
}

// ---------------------------------------------------------------------------
// Resolution.

fn prior(p: &Place) -> f32 {
    let pop = if p.feature_class == 'H' {
        1_000_000
    } else {
        p.population.max(1)
    };
    let mut s = (pop as f32 + 1.0).ln();
    s += match p.feature_code.as_str() {
        "PCLI" => 3.0,
        "CONT" => 2.0,
        "PPLC" => 3.0,
        "ADM1" => 0.5,
        "RGN" | "PEN" | "SEA" | "GULF" | "OCN" | "STRT" | "ZN" => 1.0,
        _ => 0.0,
    };
    s
}

/// Whether `p` lies inside container `q`.
fn contains(q: &Place, p: &Place) -> bool {
    if std::ptr::eq(p, q) || q.cc.is_empty() || p.cc != q.cc {
        return false;
    }
    if q.is_country() {
        return !p.is_country();
    }
    if q.is_admin1() {
        return !p.is_admin1() && !p.is_country() && p.admin1 == q.admin1;
    }
    matches!(q.feature_class, 'L' | 'T') && !p.is_country() && place_km(p, q) < 300.0
}

struct Group {
    cands: Vec<u32>,
    alt: HashSet<u32>,
    mentions: Vec<usize>,
    bonus: HashMap<u32, f32>,
    /// Has an explicit container.
    contained: bool,
    /// Lies in an article country.
    in_context: bool,
    need: Need,
    forced: bool,
}

/// Resolves mentions; returns, per mention, the chosen place and its score
/// (`None` for weak mentions without support, unless `forced`).
fn resolve(
    v: &View,
    gaz: &Gazetteer,
    mentions: &[Mention],
    forced: &[bool],
) -> Vec<Option<(u32, f32)>> {
    let mut groups: Vec<Group> = Vec::new();
    let mut gidx: HashMap<(&str, &[u32]), usize> = HashMap::new();
    let mut group_of = Vec::with_capacity(mentions.len());
    for (k, m) in mentions.iter().enumerate() {
        let g = *gidx
            .entry((m.key.as_str(), m.cands.as_slice()))
            .or_insert_with(|| {
                groups.push(Group {
                    cands: m.cands.clone(),
                    alt: m.alt.clone(),
                    mentions: Vec::new(),
                    bonus: HashMap::new(),
                    contained: false,
                    in_context: false,
                    need: Need::Hierarchy,
                    forced: false,
                });
                groups.len() - 1
            });
        groups[g].mentions.push(k);
        if m.city_of {
            for &c in &m.cands {
                if gaz.place(c).is_city() || gaz.place(c).feature_code == "ADM2" {
                    *groups[g].bonus.entry(c).or_insert(0.0) += 3.0;
                }
            }
        }
        groups[g].need = groups[g].need.min(m.need);
        groups[g].forced |= forced.get(k).copied().unwrap_or(false);
        group_of.push(g);
    }

    // Hierarchy: "A, B", "A in (southern) B", "A (B)".
    for a in 0..mentions.len() {
        let ma = &mentions[a];
        let Some(b) = (a + 1..mentions.len()).find(|&b| mentions[b].t0 >= ma.t1) else {
            continue;
        };
        let mb = &mentions[b];
        if v.sent_of.get(ma.t0) != v.sent_of.get(mb.t0) || mb.t0 > ma.t1 + 4 {
            continue;
        }
        let gap: Vec<String> = (ma.t1..mb.t0).map(|k| v.tok(k).to_lowercase()).collect();
        let linked = match gap.first().map(String::as_str) {
            Some(",") | Some("(") => gap.len() <= 2 && gap.iter().skip(1).all(|w| w == "the"),
            Some("in") | Some("near") | Some("outside") => {
                gap.iter().skip(1).all(|w| DIRECTIONS.contains(&w.as_str()))
            }
            _ => false,
        };
        if !linked {
            continue;
        }
        // "Washington, New York and Boston": a list, not a container.
        if gap.first().map(String::as_str) == Some(",") {
            if let Some(c) = mentions.get(b + 1) {
                let between: Vec<String> = (mb.t1..c.t0).map(|k| v.tok(k).to_lowercase()).collect();
                let list = !between.is_empty()
                    && between.len() <= 2
                    && between.iter().all(|w| w == "," || w == "and" || w == "or")
                    && v.sent_of.get(c.t0) == v.sent_of.get(mb.t0);
                if list {
                    continue;
                }
            }
        }
        let (ga, gb) = (group_of[a], group_of[b]);
        if ga == gb {
            continue;
        }
        let (ca, cb) = (groups[ga].cands.clone(), groups[gb].cands.clone());
        for &x in &ca {
            for &y in &cb {
                if contains(gaz.place(y), gaz.place(x)) {
                    let w = if groups[ga].alt.contains(&x) {
                        3.0
                    } else {
                        8.0
                    };
                    *groups[ga].bonus.entry(x).or_insert(0.0) += w;
                    *groups[gb].bonus.entry(y).or_insert(0.0) += 3.0;
                    groups[ga].contained = true;
                }
            }
        }
    }

    // Article country context: unambiguous mentions, demonyms, the dateline.
    let mut ctx: HashMap<String, f32> = HashMap::new();
    for g in &groups {
        if g.need != Need::Nothing {
            continue;
        }
        let first = gaz.place(g.cands[0]).cc.as_str();
        if !first.is_empty() && g.cands.iter().all(|&c| gaz.place(c).cc == first) {
            *ctx.entry(first.to_string()).or_insert(0.0) += g.mentions.len() as f32;
        }
    }
    for i in 0..v.spans.len() {
        let t = v.tok(i);
        if is_cap(t) {
            if let Some(cc) = gaz.demonym_country(t) {
                *ctx.entry(cc.to_string()).or_insert(0.0) += 0.5;
            }
        }
    }
    let in_dateline = |m: &Mention| {
        v.dateline
            .is_some_and(|d| d.start <= v.spans[m.t0].start && v.spans[m.t0].end <= d.end)
    };

    let choose = |g: &Group, ctx: &HashMap<String, f32>, prox: &HashMap<u32, f32>| -> (u32, f32) {
        let total: f32 = ctx.values().sum::<f32>().max(1.0);
        let mut scored: Vec<(u32, f32)> = g
            .cands
            .iter()
            .map(|&c| {
                let p = gaz.place(c);
                let alt_only =
                    g.alt.contains(&c) && !matches!(p.feature_code.as_str(), "PCLI" | "ADM1");
                let base = if alt_only {
                    ((p.population / 50) as f32 + 1.0).ln()
                } else {
                    prior(p)
                };
                let mut s = base
                    + g.bonus.get(&c).copied().unwrap_or(0.0)
                    + prox.get(&c).copied().unwrap_or(0.0);
                if let Some(&w) = ctx.get(&p.cc) {
                    if w > 0.0 {
                        s += 1.5 + 2.0 * (w / total).min(1.0);
                    }
                }
                // A division named after its big city: the bare name is the city.
                if p.is_admin1()
                    && g.cands.iter().any(|&o| {
                        let q = gaz.place(o);
                        q.is_city()
                            && q.cc == p.cc
                            && q.admin1 == p.admin1
                            && q.population >= 100_000
                    })
                {
                    s -= 3.0;
                }
                (c, s)
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let best = scored[0];
        let z: f32 = scored.iter().map(|&(_, s)| (s - best.1).exp()).sum();
        (best.0, 1.0 / z)
    };

    // Dateline places weigh as three mentions of their country.
    let mut ctx1 = ctx.clone();
    for (k, m) in mentions.iter().enumerate() {
        if in_dateline(m) {
            let (c, _) = choose(&groups[group_of[k]], &ctx, &HashMap::new());
            let cc = &gaz.place(c).cc;
            if !cc.is_empty() {
                *ctx1.entry(cc.clone()).or_insert(0.0) += 3.0;
            }
        }
    }
    for g in groups.iter_mut() {
        if g.cands
            .iter()
            .any(|&c| ctx1.get(&gaz.place(c).cc).is_some_and(|&w| w >= 1.0))
        {
            g.in_context = true;
        }
    }
    let live = |g: &Group| {
        g.forced
            || match g.need {
                Need::Nothing => true,
                Need::Context => g.in_context || g.contained,
                Need::Hierarchy => g.contained,
            }
    };

    // Round 1.
    let empty = HashMap::new();
    let round1: Vec<Option<(u32, f32)>> = groups
        .iter()
        .map(|g| live(g).then(|| choose(g, &ctx1, &empty)))
        .collect();
    // Round 2: context from what round 1 resolved, and proximity.
    let mut ctx2 = ctx1.clone();
    for (g, r) in groups.iter().zip(&round1) {
        if let Some((c, _)) = r {
            let p = gaz.place(*c);
            if !p.cc.is_empty() && g.cands.len() > 1 {
                let w = if p.is_country() || p.is_admin1() {
                    1.0
                } else {
                    0.5
                };
                *ctx2.entry(p.cc.clone()).or_insert(0.0) += w * g.mentions.len() as f32;
            }
        }
    }
    let anchors: Vec<(usize, u32)> = round1
        .iter()
        .enumerate()
        .filter_map(|(gi, r)| r.map(|(c, _)| (gi, c)))
        .filter(|&(_, c)| {
            let p = gaz.place(c);
            !p.is_country() && p.feature_code != "CONT" && p.feature_class != 'H'
        })
        .collect();
    let out_groups: Vec<Option<(u32, f32)>> = groups
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            if !live(g) {
                return None;
            }
            if g.cands.len() == 1 {
                return round1[gi];
            }
            let mut prox = HashMap::new();
            for &c in &g.cands {
                let p = gaz.place(c);
                if anchors.iter().any(|&(gj, a)| {
                    let q = gaz.place(a);
                    gj != gi && (place_km(q, p) < 150.0 || contains(q, p) || contains(p, q))
                }) {
                    prox.insert(c, 1.5);
                }
            }
            Some(choose(g, &ctx2, &prox))
        })
        .collect();
    (0..mentions.len())
        .map(|k| out_groups[group_of[k]])
        .collect()
}

fn location(v: &View, gaz: &Gazetteer, m: &Mention, place: u32, score: f32) -> Location {
    let p = gaz.place(place);
    let country = gaz.country(&p.cc);
    let span = v.spans[m.t0].cover(v.spans[m.t1 - 1]);
    Location {
        span,
        tokens: m.t0 as u32..m.t1 as u32,
        name: p.name.clone(),
        geonameid: p.geonameid,
        lat: f64::from(p.lat),
        lon: f64::from(p.lon),
        country_iso2: p.cc.clone(),
        country_iso3: country.map(|c| c.iso3.clone()).unwrap_or_default(),
        fips: country.map(|c| c.fips.clone()).unwrap_or_default(),
        admin1: if p.is_country() {
            String::new()
        } else {
            p.admin1.clone()
        },
        feature_class: p.feature_class,
        feature_code: p.feature_code.clone(),
        population: p.population,
        score,
    }
}

/// Finds and resolves the place names of a document. Uses the doc's tokens
/// and sentences (segmenting the text itself when they are absent) and its
/// POS tags when present.
pub fn find_locations(doc: &Doc, gaz: &Gazetteer) -> Vec<Location> {
    let v = View::new(doc);
    let mut mentions = filter(&v, gaz, detect(&v, gaz));
    extend(&v, gaz, &mut mentions);
    let forced = vec![false; mentions.len()];
    let res = resolve(&v, gaz, &mentions, &forced);
    mentions
        .iter()
        .zip(res)
        .filter_map(|(m, r)| r.map(|(p, s)| location(&v, gaz, m, p, s)))
        .collect()
}

/// Widens mention spans to what a reader takes as the name: a capitalised
/// direction before ("South Florida"), a division word after a division
/// ("Sokoto State", "Idlib Province"), the final full stop of an
/// abbreviation ("U.S.").
fn extend(v: &View, gaz: &Gazetteer, mentions: &mut [Mention]) {
    let n = v.spans.len();
    for k in 0..mentions.len() {
        let prev_end = if k > 0 { mentions[k - 1].t1 } else { 0 };
        let next_start = mentions.get(k + 1).map_or(n, |m| m.t0);
        let m = &mut mentions[k];
        let same_sent = |a: usize, b: usize| v.sent_of.get(a) == v.sent_of.get(b);
        if m.t0 > prev_end && same_sent(m.t0 - 1, m.t0) {
            let p = v.tok(m.t0 - 1);
            if is_cap(p) && !is_all_caps(p) && DIRECTION_WORDS.contains(&normalize(p).as_str()) {
                m.t0 -= 1;
            }
        }
        let division = m
            .cands
            .iter()
            .any(|&c| matches!(gaz.place(c).feature_code.as_str(), "ADM1" | "ADM2"));
        if division && m.t1 < next_start && same_sent(m.t1, m.t0) {
            let w = v.tok(m.t1);
            if DIVISION_WORDS.contains(&w) {
                m.t1 += 1;
            }
        }
        if m.t1 < next_start && v.tok(m.t1) == "." && v.spans[m.t1].start == v.spans[m.t1 - 1].end {
            let last = v.tok(m.t1 - 1);
            if last.contains('.') || AP_NO_DOT.contains(&last) {
                m.t1 += 1;
            }
        }
    }
}

const DIRECTION_WORDS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "upper",
    "lower",
];

const DIVISION_WORDS: &[&str] = &[
    "State",
    "Province",
    "County",
    "Region",
    "Governorate",
    "District",
    "Oblast",
    "Prefecture",
    "Territory",
];

/// AP abbreviations of US states the tokenizer may split from their full stop.
const AP_NO_DOT: &[&str] = &[
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Fla", "Kan", "Kans", "Mich", "Minn", "Mont",
    "Neb", "Nebr", "Nev", "Okla", "Tenn", "Wis", "Wisc", "Wyo", "Tex", "Oreg", "Penn",
];

/// Generic words dropped when a given name is not in the gazetteer as it
/// stands ("Idlib Province" → "Idlib").
const GENERIC: &[&str] = &[
    "the",
    "county",
    "province",
    "city",
    "river",
    "state",
    "region",
    "district",
    "governorate",
    "parish",
    "island",
    "islands",
    "valley",
    "'s",
    "s",
];

/// Words naming a kind of facility or way, never a place by themselves.
const FACILITY: &[&str] = &[
    "street",
    "avenue",
    "road",
    "drive",
    "lane",
    "boulevard",
    "highway",
    "church",
    "chapel",
    "centre",
    "center",
    "hall",
    "theatre",
    "theater",
    "farm",
    "farms",
    "plantation",
    "estate",
    "canal",
    "park",
    "square",
    "bridge",
    "tower",
    "station",
    "airport",
    "hotel",
    "market",
    "union",
    "republic",
    "trust",
    "national",
    "grand",
    "rue",
    "new",
    "old",
    "saint",
    "st",
    "san",
    "santa",
    "city",
    "town",
    "village",
];

/// Resolves given spans (e.g. gold toponyms) in the context of the whole
/// document: one result per span, `None` when no gazetteer name fits it.
pub fn resolve_spans(doc: &Doc, gaz: &Gazetteer, spans: &[Span]) -> Vec<Option<Location>> {
    let v = View::new(doc);
    let mut mentions = Vec::new();
    let mut forced = Vec::new();
    let mut slot = Vec::with_capacity(spans.len());
    for sp in spans {
        let t0 = v.spans.partition_point(|s| s.end <= sp.start);
        let t1 = v.spans.partition_point(|s| s.start < sp.end);
        if t0 >= t1 {
            slot.push(None);
            continue;
        }
        let surface = doc.text.get(sp.range()).unwrap_or("");
        let key0 = normalize(surface);
        let facility = key0
            .rsplit(' ')
            .next()
            .is_some_and(|w| FACILITY_HEADS.contains(&w));
        if facility && gaz.lookup_entries(&key0).is_empty() {
            slot.push(Some(Slot::Focus(t0, t1)));
            continue;
        }
        let ap = AP_STATES
            .iter()
            .find(|(a, _)| *a == surface.trim())
            .and_then(|(_, c)| gaz.admin1_index("US", c));
        if let Some(idx) = ap {
            slot.push(Some(Slot::Mention(mentions.len())));
            mentions.push(Mention {
                t0,
                t1,
                key: key0,
                cands: vec![idx],
                alt: HashSet::new(),
                need: Need::Nothing,
                city_of: false,
            });
            forced.push(true);
            continue;
        }
        let key = normalize(surface);
        let mut entries = gaz.lookup_entries(&key);
        // "Canadian" is the country's adjective before it is a Texas town.
        let minor = entries.iter().all(|&(c, _)| {
            let p = gaz.place(c);
            p.population < 100_000 && !p.is_country() && !p.is_admin1()
        });
        if minor {
            let adj = adjective_place(gaz, surface);
            if !adj.is_empty() {
                entries = adj;
            }
        }
        if entries.is_empty() {
            let words: Vec<&str> = key.split(' ').filter(|w| !GENERIC.contains(w)).collect();
            if !words.is_empty() {
                entries = gaz.lookup_entries(&words.join(" "));
            }
            // Longest run of words that names a place ("South Kilburn
            // Estate" → "Kilburn"), never a generic word alone.
            let n = words.len();
            'outer: for len in (1..n).rev() {
                if !entries.is_empty() {
                    break;
                }
                for s in 0..=n - len {
                    let sub = &words[s..s + len];
                    if len == 1
                        && (FACILITY.contains(&sub[0])
                            || NEVER_ALONE.contains(&sub[0])
                            || gaz.is_common_word(sub[0])
                            || sub[0].len() < 4)
                    {
                        continue;
                    }
                    let e = gaz.lookup_entries(&sub.join(" "));
                    if !e.is_empty() {
                        entries = e;
                        break 'outer;
                    }
                }
            }
        }
        if entries.is_empty() {
            entries = adjective_place(gaz, surface);
        }
        if entries.is_empty() {
            slot.push(Some(Slot::Focus(t0, t1)));
            continue;
        }
        slot.push(Some(Slot::Mention(mentions.len())));
        let cands = entries.iter().map(|e| e.0).collect();
        let alt = entries.iter().filter(|e| e.1).map(|e| e.0).collect();
        mentions.push(Mention {
            t0,
            t1,
            key,
            cands,
            alt,
            need: Need::Nothing,
            city_of: false,
        });
        forced.push(true);
    }
    // Context from the places found in the rest of the document.
    let given: Vec<(usize, usize)> = mentions.iter().map(|m| (m.t0, m.t1)).collect();
    for m in filter(&v, gaz, detect(&v, gaz)) {
        if !given.iter().any(|&(a, b)| m.t0 < b && a < m.t1) {
            mentions.push(m);
            forced.push(false);
        }
    }
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&k| (mentions[k].t0, mentions[k].t1));
    let sorted: Vec<Mention> = order.iter().map(|&k| mentions[k].clone()).collect();
    let sorted_forced: Vec<bool> = order.iter().map(|&k| forced[k]).collect();
    let res_sorted = resolve(&v, gaz, &sorted, &sorted_forced);
    let mut res = vec![None; mentions.len()];
    for (pos, &k) in order.iter().enumerate() {
        res[k] = res_sorted[pos];
    }
    // The document's focus: its most mentioned locality, else division,
    // else country. Names of streets and buildings (and names the
    // gazetteer lacks) are placed there.
    let mut counts: HashMap<u32, (usize, usize)> = HashMap::new();
    for (k, r) in res.iter().enumerate() {
        if let Some((p, _)) = r {
            let e = counts.entry(*p).or_insert((0, mentions[k].t0));
            e.0 += 1;
            e.1 = e.1.min(mentions[k].t0);
        }
    }
    let level = |p: &Place| match p.feature_code.as_str() {
        "PCLI" => 1,
        "ADM1" => 2,
        "CONT" | "ZN" => 0,
        _ if p.feature_class == 'P' || p.feature_code == "ADM2" => 3,
        _ => 0,
    };
    // ... within the article's main country, if it has one.
    let mut by_country: HashMap<&str, usize> = HashMap::new();
    for (&p, &(n, _)) in &counts {
        let cc = gaz.place(p).cc.as_str();
        if !cc.is_empty() {
            *by_country.entry(cc).or_insert(0) += n;
        }
    }
    let main_country = by_country
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|e| e.0);
    let focus = (1..=3).rev().find_map(|lv| {
        counts
            .iter()
            .filter(|(&p, _)| level(gaz.place(p)) == lv)
            .filter(|(&p, _)| main_country.is_none_or(|cc| gaz.place(p).cc == cc))
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
            .map(|(&p, _)| p)
    });
    slot.into_iter()
        .map(|s| match s? {
            Slot::Mention(k) => res[k].map(|(p, sc)| location(&v, gaz, &mentions[k], p, sc)),
            Slot::Focus(t0, t1) => {
                let m = Mention {
                    t0,
                    t1,
                    key: String::new(),
                    cands: Vec::new(),
                    alt: HashSet::new(),
                    need: Need::Nothing,
                    city_of: false,
                };
                focus.map(|p| location(&v, gaz, &m, p, 0.1))
            }
        })
        .collect()
}

/// The country, continent or region an adjective names ("African" →
/// Africa, "Canadian" → Canada, "Latin American" → Latin America).
fn adjective_place(gaz: &Gazetteer, surface: &str) -> Vec<(u32, bool)> {
    if let Some(i) = gaz
        .demonym_country(surface)
        .and_then(|cc| gaz.country_index(cc))
    {
        return vec![(i, false)];
    }
    let key = normalize(surface);
    let (head, last) = match key.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l.to_string()),
        None => (String::new(), key.clone()),
    };
    const SUFFIXES: &[(&str, &str)] = &[
        ("ean", "e"),
        ("ian", "ia"),
        ("ian", ""),
        ("an", "a"),
        ("an", ""),
        ("ese", ""),
        ("ish", ""),
    ];
    for (suf, rep) in SUFFIXES {
        if let Some(stem) = last.strip_suffix(suf) {
            if stem.len() < 3 {
                continue;
            }
            let e: Vec<(u32, bool)> = gaz
                .lookup_entries(&format!("{head}{stem}{rep}"))
                .into_iter()
                .filter(|&(c, _)| {
                    let p = gaz.place(c);
                    p.is_country() || matches!(p.feature_code.as_str(), "CONT" | "RGN" | "ZN")
                })
                .collect();
            if !e.is_empty() {
                return e;
            }
        }
    }
    Vec::new()
}

/// How a given span is resolved.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// As a mention (index into the mentions).
    Mention(usize),
    /// At the document's focus (tokens of the span).
    Focus(usize, usize),
}

/// Last words of names of streets and buildings.
const FACILITY_HEADS: &[&str] = &[
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "drive",
    "lane",
    "boulevard",
    "blvd",
    "highway",
    "place",
    "church",
    "chapel",
    "cathedral",
    "basilica",
    "centre",
    "center",
    "hall",
    "theatre",
    "theater",
    "farm",
    "farms",
    "plantation",
    "estate",
    "canal",
    "square",
    "bridge",
    "tower",
    "station",
    "hotel",
    "market",
    "inn",
    "library",
    "school",
    "hospital",
    "gardens",
    "stadium",
    "arena",
    "court",
    "building",
    "club",
    "house",
    "museum",
    "park",
    "mall",
    "terrace",
    "way",
    "trail",
    "point",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn gaz() -> &'static Gazetteer {
        Gazetteer::embedded().expect("embedded gazetteer")
    }

    fn locs(text: &str) -> Vec<(String, Location)> {
        let doc = Doc::new("t", text);
        find_locations(&doc, gaz())
            .into_iter()
            .map(|l| (doc.span_text(l.span).to_string(), l))
            .collect()
    }

    fn find<'a>(ls: &'a [(String, Location)], surface: &str) -> Option<&'a Location> {
        ls.iter().find(|(s, _)| s == surface).map(|(_, l)| l)
    }

    #[test]
    fn big_places_win_by_population() {
        let ls = locs("Talks were held in Paris and Moscow on Tuesday.");
        assert_eq!(
            find(&ls, "Paris").map(|l| l.country_iso2.as_str()),
            Some("FR")
        );
        assert_eq!(
            find(&ls, "Moscow").map(|l| l.country_iso2.as_str()),
            Some("RU")
        );
        assert_eq!(find(&ls, "Paris").map(|l| l.gdelt_type()), Some(4));
    }

    #[test]
    fn admin_hierarchy_overrides_population() {
        let ls = locs("The storm hit Paris, Texas, late on Monday.");
        let p = find(&ls, "Paris").expect("Paris found");
        assert_eq!((p.country_iso2.as_str(), p.admin1.as_str()), ("US", "TX"));
        assert_eq!(p.gdelt_type(), 3);
        assert_eq!(find(&ls, "Texas").map(|l| l.gdelt_type()), Some(2));
        let ls = locs("Officials in Springfield, Illinois, said the plant would close.");
        assert_eq!(
            find(&ls, "Springfield").map(|l| l.admin1.as_str()),
            Some("IL")
        );
        let ls = locs("Officials in Springfield, Missouri, said the plant would close.");
        assert_eq!(
            find(&ls, "Springfield").map(|l| l.admin1.as_str()),
            Some("MO")
        );
    }

    #[test]
    fn in_region_pattern_picks_the_contained_sense() {
        let ls = locs("Shelling was reported near Rafah, in southern Gaza, overnight.");
        assert_eq!(
            find(&ls, "Rafah").map(|l| l.country_iso2.as_str()),
            Some("PS")
        );
    }

    #[test]
    fn article_country_context_shifts_ambiguous_names() {
        // Without context "Georgia" is the larger of country and US state;
        // with US places around it is the state.
        let ls = locs("Voters in Texas, Ohio and Georgia went to the polls as Florida counted.");
        let g = find(&ls, "Georgia").expect("Georgia found");
        assert_eq!(
            (g.country_iso2.as_str(), g.feature_code.as_str()),
            ("US", "ADM1")
        );
        let ls = locs("Russia and Armenia held talks with Georgia and Azerbaijan.");
        let g = find(&ls, "Georgia").expect("Georgia found");
        assert_eq!(
            (g.country_iso2.as_str(), g.feature_code.as_str()),
            ("GE", "PCLI")
        );
        assert_eq!(g.gdelt_type(), 1);
    }

    #[test]
    fn person_contexts_are_not_places() {
        let ls =
            locs("Mr. Jordan said the deal was good. Michael Jordan agreed. Jordan later left.");
        assert!(ls.is_empty(), "{ls:?}");
        let ls = locs("The Washington Post reported that Paris Hilton was in London.");
        assert_eq!(
            ls.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
            vec!["London"]
        );
    }

    #[test]
    fn organisation_names_and_common_words_are_skipped() {
        let ls = locs("She studied at the University of Texas. Police said the hope was gone.");
        assert!(ls.is_empty(), "{ls:?}");
        let ls = locs("Reading the report, officials in Turkey disagreed.");
        assert_eq!(
            ls.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
            vec!["Turkey"]
        );
    }

    #[test]
    fn aliases_regions_and_datelines() {
        let ls = locs("BEIRUT (Reuters) - The U.S. and the UK condemned strikes in the Gaza Strip and Eastern Ghouta.");
        let names: Vec<&str> = ls.iter().map(|(_, l)| l.name.as_str()).collect();
        assert!(
            names.contains(&"Beirut")
                && names.contains(&"United States")
                && names.contains(&"United Kingdom"),
            "{names:?}"
        );
        assert!(
            names.contains(&"Gaza Strip") && names.contains(&"Eastern Ghouta"),
            "{names:?}"
        );
        let us = find(&ls, "U.S.").expect("U.S.");
        assert_eq!(
            (us.country_iso3.as_str(), us.fips.as_str(), us.gdelt_type()),
            ("USA", "US", 1)
        );
    }

    #[test]
    fn small_places_need_context() {
        // A village-sized homonym alone is not taken as a place ...
        let ls = locs("Speaking to Kushner, the aide left.");
        assert!(find(&ls, "Kushner").is_none(), "{ls:?}");
        // ... but hierarchy supports it.
        let ls = locs("The fire started in Hanover, New Hampshire, on Friday.");
        assert_eq!(find(&ls, "Hanover").map(|l| l.admin1.as_str()), Some("NH"));
    }

    #[test]
    fn resolves_given_spans() {
        let text = "Protests spread from Idlib Province to Aleppo.";
        let doc = Doc::new("t", text);
        let a = text.find("Idlib Province").unwrap();
        let b = text.find("Aleppo").unwrap();
        let r = resolve_spans(
            &doc,
            gaz(),
            &[Span::new(a, a + 14), Span::new(b, b + 6), Span::new(0, 8)],
        );
        assert_eq!(r[0].as_ref().map(|l| l.country_iso2.as_str()), Some("SY"));
        assert_eq!(r[1].as_ref().map(|l| l.country_iso2.as_str()), Some("SY"));
        // A name the gazetteer lacks is placed at the document's focus, with a low score.
        let focus = r[2].as_ref().expect("focus fallback");
        assert_eq!((focus.country_iso2.as_str(), focus.score), ("SY", 0.1));
        let text = "Fire broke out on Royal Street in New Orleans. New Orleans police closed Royal Street.";
        let doc = Doc::new("t", text);
        let a = text.find("Royal Street").unwrap();
        let r = resolve_spans(&doc, gaz(), &[Span::new(a, a + 12)]);
        assert_eq!(r[0].as_ref().map(|l| l.name.as_str()), Some("New Orleans"));
        let text = "The office is at 12 Creek Cir., Gainesville, Va. There will be a meeting.";
        let doc = Doc::new("t", text);
        let a = text.find("Va.").unwrap();
        let g = text.find("Gainesville").unwrap();
        let r = resolve_spans(&doc, gaz(), &[Span::new(g, g + 11), Span::new(a, a + 3)]);
        assert_eq!(
            r[1].as_ref().map(|l| l.name.as_str()),
            Some("Virginia"),
            "{r:?}"
        );
        assert_eq!(
            r[0].as_ref().map(|l| l.admin1.as_str()),
            Some("VA"),
            "{r:?}"
        );
    }

    #[test]
    fn lists_are_not_containers() {
        // "Washington, New York": a list, so Washington stays the capital.
        let ls = locs("After stops in Washington, New York and Boston, the prince flew home.");
        let w = find(&ls, "Washington").expect("Washington");
        assert_eq!((w.admin1.as_str(), w.feature_code.as_str()), ("DC", "PPLC"));
    }

    #[test]
    fn historic_alternate_names_need_a_container() {
        // Harare was once called Salisbury; the English town is meant here.
        let ls = locs("The attack took place in the English city of Salisbury, police said.");
        assert_eq!(
            find(&ls, "Salisbury").map(|l| l.country_iso2.as_str()),
            Some("GB")
        );
        // A surname alone is not a place ...
        let ls = locs("The report was written by Nelson and reviewed later.");
        assert!(find(&ls, "Nelson").is_none(), "{ls:?}");
    }

    #[test]
    fn spans_take_directions_division_words_and_final_stops() {
        let ls = locs("Flooding hit South Florida and Borno State while the U.S. watched.");
        let spans: Vec<&str> = ls.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(spans, vec!["South Florida", "Borno State", "U.S."]);
        let ls = locs("She lives in Bethesda, Md., with her family.");
        let md = find(&ls, "Md.").expect("Md.");
        assert_eq!((md.country_iso2.as_str(), md.admin1.as_str()), ("US", "MD"));
        assert_eq!(find(&ls, "Bethesda").map(|l| l.admin1.as_str()), Some("MD"));
    }

    #[test]
    fn adjectives_resolve_to_their_place_when_given() {
        let text = "African and European leaders met with Canadian officials.";
        let doc = Doc::new("t", text);
        let spans: Vec<Span> = ["African", "European", "Canadian"]
            .iter()
            .map(|w| {
                let a = text.find(w).unwrap();
                Span::new(a, a + w.len())
            })
            .collect();
        let r = resolve_spans(&doc, gaz(), &spans);
        let names: Vec<&str> = r
            .iter()
            .map(|l| l.as_ref().map_or("", |l| l.name.as_str()))
            .collect();
        assert_eq!(names, vec!["Africa", "Europe", "Canada"]);
    }

    #[test]
    fn haversine_is_sane() {
        let d = haversine_km(48.8566, 2.3522, 51.5074, -0.1278);
        assert!((d - 344.0).abs() < 5.0, "{d}");
        assert_eq!(haversine_km(10.0, 10.0, 10.0, 10.0), 0.0);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "",
            " ",
            "\n\n",
            "Ä",
            "U.S",
            "New",
            "(",
            "Paris,",
            ", Texas",
            "ﬁ Paris ﬁ",
        ] {
            let _ = locs(t);
        }
        let doc = Doc::new("t", "Bogotá and Paris.");
        let odd = [
            Span::new(5, 500),
            Span::new(3, 1),
            Span::new(6, 7),
            Span::new(0, 0),
        ];
        let r = resolve_spans(&doc, gaz(), &odd);
        assert_eq!(r.len(), odd.len());
    }
}
