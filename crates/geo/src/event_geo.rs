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
    "to",
    "from",
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
                    score -= 6.0;
                }
            } else if locative_case(doc, head) {
                score += 1.0;
            }
        }
        // Larger places are less specific: prefer a city over its country.
        if loc.feature_code == "PCLI" {
            score -= 0.5;
        }
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i)
}
