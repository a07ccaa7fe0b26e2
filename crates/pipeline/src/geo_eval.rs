//! Event-location linking scored on Halterman's event_location data
//! (`shared/data/geo/event-location`, "Geolocating Political Events in
//! Text", 2019): each item is a sentence, one gold event verb and the spans
//! where that event happened. For each item with a gold location, the place
//! [`petrel_geo::action_geo`] picks for the gold verb among
//! [`petrel_geo::event_places`] is correct when it overlaps a gold span.

use crate::Pipeline;
use petrel_doc::{Doc, Span};
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// The data files, in order.
pub const EVENT_LOCATION_FILES: [&str; 2] = [
    "event_location_spans_part00.jsonl",
    "event_location_spans_part01.jsonl",
];

/// Scores of one run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EventLocationReport {
    /// Items with a gold verb and at least one gold location.
    pub items: usize,
    /// Items whose picked place overlaps a gold location span.
    pub correct: usize,
    /// Items where no candidate place was found in the verb's sentence.
    pub no_place: usize,
    /// `correct / items`.
    pub accuracy: f64,
    /// Misses: (text, picked place or empty, gold places), at most 200.
    pub misses: Vec<(String, String, Vec<String>)>,
}

/// Byte offset of character offset `c` in `text`.
fn byte_of(text: &str, c: usize) -> usize {
    text.char_indices().nth(c).map_or(text.len(), |(b, _)| b)
}

/// Scores the items of `dir` (all of them, or only the `RELABEL` gold test
/// subset when `gold_only`). Errors name the file and line.
pub fn evaluate_event_location(
    pipeline: &Pipeline,
    dir: &Path,
    gold_only: bool,
) -> Result<EventLocationReport, String> {
    let gaz = petrel_geo::Gazetteer::embedded().map_err(|e| e.to_string())?;
    let mut rep = EventLocationReport::default();
    for part in EVENT_LOCATION_FILES {
        let path = dir.join(part);
        let body =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (n, line) in body.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(line)
                .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
            if gold_only && v["gold_relabel"] != Value::Bool(true) {
                continue;
            }
            let text = v["text"].as_str().unwrap_or("");
            let spans = v["spans"].as_array().cloned().unwrap_or_default();
            let span_of = |s: &Value| {
                let a = s["start"].as_u64().unwrap_or(0) as usize;
                let b = s["end"].as_u64().unwrap_or(0) as usize;
                Span::new(byte_of(text, a), byte_of(text, b))
            };
            let Some(verb) = spans.iter().find(|s| s["label"] == "VERB").map(span_of) else {
                continue;
            };
            let gold: Vec<Span> = spans
                .iter()
                .filter(|s| s["label"] == "LOCATION")
                .map(span_of)
                .collect();
            if gold.is_empty() {
                continue;
            }
            let mut doc = Doc::new(format!("{}", v["_id"]), text);
            pipeline.analyze(&mut doc);
            let Some(vt) = (0..doc.tokens.len()).find(|&i| doc.tokens.span[i].overlaps(&verb))
            else {
                continue;
            };
            rep.items += 1;
            let locs = petrel_geo::event_places(&doc, gaz);
            let picked = petrel_geo::action_geo(&doc, vt as u32, &locs);
            match picked {
                Some(i) if gold.iter().any(|g| g.overlaps(&locs[i].span)) => rep.correct += 1,
                _ => {
                    if picked.is_none() {
                        rep.no_place += 1;
                    }
                    if rep.misses.len() < 200 {
                        rep.misses.push((
                            text.to_string(),
                            picked.map_or(String::new(), |i| doc.span_text(locs[i].span).into()),
                            gold.iter().map(|g| doc.span_text(*g).to_string()).collect(),
                        ));
                    }
                }
            }
        }
    }
    rep.accuracy = rep.correct as f64 / rep.items.max(1) as f64;
    Ok(rep)
}
