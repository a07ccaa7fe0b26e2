//! Which of a sentence's places an event happened at.
//!
//! [`action_geo`] links an event verb to one of the [`Location`]s found in
//! its sentence, from the dependency parse: a place in the verb's subtree
//! wins, the nearer the better, with a bonus when it hangs under a locative
//! preposition ("in", "at", "near", …) and a penalty when the path goes
//! through the subject (an actor phrase such as "Syrian troops"). Places of
//! the sentence outside the subtree are a fallback, ranked by token distance.

use crate::Location;
use petrel_doc::Doc;

/// Prepositions that introduce where something happened.
const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "around",
    "throughout",
    "into",
    "on",
    "within",
    "over",
    "along",
    "toward",
    "towards",
    "of",
];

/// The head token of a token range: the token whose head lies outside it.
fn range_head(doc: &Doc, start: u32, end: u32) -> u32 {
    let heads = &doc.tokens.head;
    (start..end)
        .find(|&t| {
            heads
                .get(t as usize)
                .copied()
                .flatten()
                .is_none_or(|h| h < start || h >= end)
        })
        .unwrap_or(end.saturating_sub(1))
}

/// Path from `from` up the head chain to `to`: the dependency relations
/// crossed (of the nodes below `to`), or `None` when `to` is not an ancestor.
fn path_to(doc: &Doc, from: u32, to: u32) -> Option<Vec<u32>> {
    let heads = &doc.tokens.head;
    let mut path = Vec::new();
    let mut cur = from;
    for _ in 0..heads.len().min(256) {
        if cur == to {
            return Some(path);
        }
        path.push(cur);
        cur = heads.get(cur as usize).copied().flatten()?;
    }
    None
}

/// Whether token `t` has a child `case` word that is a locative preposition.
fn locative_case(doc: &Doc, t: u32) -> bool {
    let tk = &doc.tokens;
    let Some(s) = doc.sentence_of(t) else {
        return false;
    };
    let range = doc.sentences[s].tokens.clone();
    tk.children(t, range).any(|c| {
        tk.deprel.get(c as usize).is_some_and(|d| d == "case")
            && LOCATIVE.contains(&doc.token_text(c as usize).to_lowercase().as_str())
    })
}

/// Index into `locations` of the place where the event whose verb is token
/// `verb` happened, among the places of the verb's sentence; `None` when the
/// sentence names none. Needs a parsed document (heads and relations); without
/// a parse it falls back to the place nearest the verb.
pub fn action_geo(doc: &Doc, verb: u32, locations: &[Location]) -> Option<usize> {
    let sent = doc.sentence_of(verb)?;
    let range = doc.sentences[sent].tokens.clone();
    let parsed = doc.tokens.is_parsed();
    let mut best: Option<(f32, usize)> = None;
    for (i, loc) in locations.iter().enumerate() {
        if !range.contains(&loc.tokens.start) {
            continue;
        }
        let head = range_head(doc, loc.tokens.start, loc.tokens.end);
        let dist = (head as i64 - verb as i64).unsigned_abs() as f32;
        let mut score = -dist * 0.1;
        if parsed {
            if let Some(path) = path_to(doc, head, verb) {
                score += 10.0 - path.len() as f32;
                if path.iter().any(|&t| locative_case(doc, t)) {
                    score += 2.0;
                }
                let top = path.last().copied().unwrap_or(head);
                let rel = doc
                    .tokens
                    .deprel
                    .get(top as usize)
                    .map_or("", |s| s.as_str());
                if rel.starts_with("nsubj") || rel.starts_with("csubj") {
                    // The subject itself is an actor; a place inside it ("a policeman in Amara") less so.
                    score -= if path.len() == 1 { 6.0 } else { 2.0 };
                }
            } else if locative_case(doc, head) {
                score += 1.0;
            }
        }
        score -= reference_penalty(doc, loc, head);
        // Larger places are less specific: prefer a city over its division or country.
        if loc.feature_code == "PCLI" {
            score -= 1.5;
        } else if loc.feature_code.starts_with("ADM") {
            score -= 1.0;
        }
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i)
}

/// Words that make the place after them a reference point ("50 km north of Kathmandu").
const RELATIVE: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northern",
    "southern",
    "eastern",
    "western",
    "outskirts",
    "km",
    "kilometers",
    "kilometres",
    "miles",
    "meters",
    "metres",
];

/// How much less likely `loc` (head token `head`) is the event place because
/// of its role: a reference point ("north of Baghdad"), an origin ("from
/// Syria") or a modifier of a
/// noun ("U.S. patrol", "Dagestan's capital").
fn reference_penalty(doc: &Doc, loc: &Location, head: u32) -> f32 {
    let tk = &doc.tokens;
    let mut p = 0.0;
    let start = loc.tokens.start as usize;
    if start >= 2 {
        let prev = doc.token_text(start - 1).to_lowercase();
        let prev2 = doc.token_text(start - 2).to_lowercase();
        if prev == "of" && RELATIVE.contains(&prev2.as_str()) {
            p += 4.0;
        }
        // "troops from Syria": an origin, not where the act happened.
        if prev == "from" {
            p += 2.0;
        }
    }
    let rel = tk.deprel.get(head as usize).map_or("", |s| s.as_str());
    let head_noun = tk.head.get(head as usize).copied().flatten();
    let modifier = matches!(rel, "compound" | "amod" | "nmod:poss")
        && head_noun.is_some_and(|h| h > head && (h as usize) < tk.len());
    if modifier {
        p += if loc.feature_code == "PCLI" { 5.0 } else { 1.5 };
    }
    p
}

/// Nouns that introduce ("the village of X") or follow ("X district") a place name.
const PLACE_NOUNS: &[&str] = &[
    "village",
    "villages",
    "town",
    "towns",
    "city",
    "district",
    "districts",
    "neighbourhood",
    "neighborhood",
    "area",
    "areas",
    "camp",
    "settlement",
    "settlements",
    "province",
    "governorate",
    "region",
    "suburb",
    "quarter",
];

/// Proper-name runs that read as places in context but were not recognised
/// (small places, places the gazetteer lacks): a run of `PROPN` tokens right
/// after "in"/"at"/"near" or "the village of", or right before "district",
/// "neighbourhood", … . Runs overlapping `known` are skipped.
pub fn place_like_spans(doc: &Doc, known: &[Location]) -> Vec<petrel_doc::Span> {
    let tk = &doc.tokens;
    let n = tk.len().min(tk.upos.len());
    let lower = |i: usize| doc.token_text(i).to_lowercase();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        if tk.upos[i] != petrel_doc::Upos::Propn {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && tk.upos[i] == petrel_doc::Upos::Propn {
            i += 1;
        }
        let end = i;
        let same_sentence =
            |a: usize, b: usize| doc.sentence_of(a as u32) == doc.sentence_of(b as u32);
        let prev = (start > 0 && same_sentence(start - 1, start)).then(|| lower(start - 1));
        let prev2 = (start > 1 && same_sentence(start - 2, start)).then(|| lower(start - 2));
        let next = (end < n && same_sentence(end, start)).then(|| lower(end));
        let cue = matches!(prev.as_deref(), Some("in" | "at" | "near"))
            || (prev.as_deref() == Some("of")
                && prev2.as_deref().is_some_and(|w| PLACE_NOUNS.contains(&w)))
            || next.as_deref().is_some_and(|w| PLACE_NOUNS.contains(&w));
        let span = doc.tokens_span(start as u32..end as u32);
        if cue && !known.iter().any(|l| l.span.overlaps(&span)) {
            out.push(span);
        }
    }
    out
}

/// [`crate::find_locations`] plus the [`place_like_spans`] that
/// [`crate::resolve_spans`] can place (low `score` when only the document's
/// focus fits), in text order: the candidate places for [`action_geo`].
pub fn event_places(doc: &Doc, gaz: &crate::Gazetteer) -> Vec<Location> {
    let mut locs = crate::find_locations(doc, gaz);
    let extra = place_like_spans(doc, &locs);
    locs.extend(crate::resolve_spans(doc, gaz, &extra).into_iter().flatten());
    locs.sort_by_key(|l| l.span.start);
    locs
}

#[cfg(test)]
mod tests {
    use super::*;
    use petrel_doc::{Sentence, Span, Upos};

    /// A one-sentence parsed doc from (word, upos, head, deprel) rows.
    fn parsed(rows: &[(&str, Upos, Option<u32>, &str)]) -> Doc {
        let mut text = String::new();
        let mut doc = Doc::default();
        for (w, u, h, d) in rows {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(w);
            doc.tokens.span.push(Span::new(start, text.len()));
            doc.tokens.lemma.push(w.to_lowercase());
            doc.tokens.upos.push(*u);
            doc.tokens.xpos.push(String::new());
            doc.tokens.head.push(*h);
            doc.tokens.deprel.push(d.to_string());
        }
        doc.sentences.push(Sentence {
            span: Span::new(0, text.len()),
            tokens: 0..rows.len() as u32,
        });
        doc.text = text;
        doc
    }

    fn place(doc: &Doc, tok: u32, code: &str) -> Location {
        Location {
            span: doc.tokens.span[tok as usize],
            tokens: tok..tok + 1,
            name: doc.token_text(tok as usize).to_string(),
            geonameid: None,
            lat: 0.0,
            lon: 0.0,
            country_iso2: "SY".into(),
            country_iso3: "SYR".into(),
            fips: "SY".into(),
            admin1: String::new(),
            feature_class: if code == "PCLI" { 'A' } else { 'P' },
            feature_code: code.into(),
            population: 100_000,
            score: 1.0,
        }
    }

    #[test]
    fn the_obl_place_wins_over_actor_and_reference_places() {
        use Upos::*;
        let doc = parsed(&[
            ("Troops", Noun, Some(3), "nsubj"),
            ("from", Adp, Some(2), "case"),
            ("Syria", Propn, Some(0), "nmod"),
            ("attacked", Verb, None, "root"),
            ("a", Det, Some(5), "det"),
            ("base", Noun, Some(3), "obj"),
            ("in", Adp, Some(7), "case"),
            ("Homs", Propn, Some(3), "obl"),
            (",", Punct, Some(7), "punct"),
            ("north", Adv, Some(7), "advmod"),
            ("of", Adp, Some(11), "case"),
            ("Damascus", Propn, Some(9), "obl"),
            (".", Punct, Some(3), "punct"),
        ]);
        let locs = vec![
            place(&doc, 2, "PCLI"),
            place(&doc, 7, "PPL"),
            place(&doc, 11, "PPLC"),
        ];
        assert_eq!(action_geo(&doc, 3, &locs), Some(1));
        // Without Homs, the reference point still beats the subject's country.
        assert_eq!(
            action_geo(&doc, 3, &[locs[0].clone(), locs[2].clone()]),
            Some(1)
        );
        assert_eq!(action_geo(&doc, 3, &[]), None);
    }

    #[test]
    fn unrecognised_names_after_place_cues_are_candidates() {
        use Upos::*;
        let doc = parsed(&[
            ("Shelling", Noun, Some(1), "nsubj"),
            ("hit", Verb, None, "root"),
            ("the", Det, Some(3), "det"),
            ("village", Noun, Some(1), "obj"),
            ("of", Adp, Some(5), "case"),
            ("Jdeideh", Propn, Some(3), "nmod"),
            ("and", Cconj, Some(7), "cc"),
            ("Ahmed", Propn, Some(5), "conj"),
            (".", Punct, Some(1), "punct"),
        ]);
        let spans = place_like_spans(&doc, &[]);
        assert_eq!(spans.len(), 1);
        assert_eq!(doc.span_text(spans[0]), "Jdeideh");
        let known = [place(&doc, 5, "PPL")];
        assert!(place_like_spans(&doc, &known).is_empty());
    }
}
