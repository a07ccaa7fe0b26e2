//! PLV_train (`events/plv/PLV_train.tsv`): sentences with a marked source
//! `<s>…</s>` and target `<t>…</t>` and a gold PLOVER root; we score the PLOVER
//! type of the event Petrel codes between the marked actors.

use crate::metrics::ratio;
use crate::Annotator;
use petrel_doc::{CharMap, Event};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct PlvItem {
    pub text: String,
    /// Character spans of the marked source and target in `text` (a few
    /// items mark only one of them).
    pub source: Option<(usize, usize)>,
    pub target: Option<(usize, usize)>,
    pub gold: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PlvReport {
    pub items: usize,
    /// Items where an event links the marked actors.
    pub linked: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    /// Type of the sentence's main event, actors ignored: accuracy over all items.
    pub any_event_accuracy: f64,
    /// Per gold label: (label, gold count, correct).
    pub per_label: Vec<(String, usize, usize)>,
}

/// PLOVER v0.8 splits the old YIELD into CONCEDE and RETREAT; PLV keeps YIELD.
pub fn plv_label(plover_type: &str) -> &str {
    match plover_type {
        "CONCEDE" | "RETREAT" => "YIELD",
        t => t,
    }
}

/// A clean text with the character spans of its marked source and target.
pub type Marked = (String, Option<(usize, usize)>, Option<(usize, usize)>);

/// Strips the `<s>`/`<t>` marks and returns the clean text with the spans;
/// `None` when a mark is opened and not closed, or nothing is marked.
pub fn parse_marked(marked: &str) -> Option<Marked> {
    let mut text = String::new();
    let (mut s, mut t) = ((None, None), (None, None));
    let mut rest = marked;
    while !rest.is_empty() {
        let n = text.chars().count();
        if let Some(r) = rest.strip_prefix("<s>") {
            s.0 = Some(n);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("</s>") {
            s.1 = Some(n);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("<t>") {
            t.0 = Some(n);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("</t>") {
            t.1 = Some(n);
            rest = r;
        } else {
            let c = rest.chars().next()?;
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    let pair = |p: (Option<usize>, Option<usize>)| match p {
        (Some(a), Some(b)) if a <= b => Ok(Some((a, b))),
        (None, None) => Ok(None),
        _ => Err(()),
    };
    let (s, t) = (pair(s).ok()?, pair(t).ok()?);
    (s.is_some() || t.is_some()).then_some((text, s, t))
}

pub fn read(path: &Path) -> Result<Vec<PlvItem>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| format!("{}: no column {name:?}", path.display()))
    };
    let (cm, cg) = (col("marked_sentence")?, col("gold_root")?);
    let mut out = Vec::new();
    for (i, line) in lines.enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(m), Some(g)) = (f.get(cm), f.get(cg)) else {
            return Err(format!("{}:{}: too few columns", path.display(), i + 2));
        };
        let (text, source, target) = parse_marked(m)
            .ok_or_else(|| format!("{}:{}: unbalanced <s>/<t> marks", path.display(), i + 2))?;
        out.push(PlvItem {
            text,
            source,
            target,
            gold: g.trim().to_string(),
        });
    }
    Ok(out)
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

pub fn score(annotator: &dyn Annotator, items: &[PlvItem]) -> PlvReport {
    let preds: Vec<(Option<String>, Option<String>)> = items
        .par_iter()
        .enumerate()
        .map(|(i, it)| {
            let doc = annotator.annotate(&format!("plv-{i}"), &it.text, None);
            let map = CharMap::new(&doc.text);
            let slot_matches =
                |a: &Option<petrel_doc::ActorRef>, gold: Option<(usize, usize)>| match gold {
                    Some(g) => a.as_ref().is_some_and(|a| overlaps(map.chars(a.span), g)),
                    None => true,
                };
            let linking = |e: &&Event| {
                !e.negated
                    && e.plover_type.is_some()
                    && slot_matches(&e.source, it.source)
                    && slot_matches(&e.target, it.target)
            };
            let linked = doc
                .events
                .iter()
                .find(linking)
                .and_then(|e| e.plover_type.clone());
            let main =
                crate::conflibert::main_event(&doc.events).and_then(|e| e.plover_type.clone());
            (
                linked.map(|t| plv_label(&t).to_string()),
                main.map(|t| plv_label(&t).to_string()),
            )
        })
        .collect();
    let mut r = PlvReport {
        items: items.len(),
        ..PlvReport::default()
    };
    let mut any = 0;
    let mut labels: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for (it, (linked, main)) in items.iter().zip(&preds) {
        let e = labels.entry(it.gold.clone()).or_default();
        e.0 += 1;
        if let Some(l) = linked {
            r.linked += 1;
            if *l == it.gold {
                r.correct += 1;
                e.1 += 1;
            }
        }
        if main.as_deref() == Some(it.gold.as_str()) {
            any += 1;
        }
    }
    r.precision = ratio(r.correct, r.linked);
    r.recall = ratio(r.correct, r.items);
    r.any_event_accuracy = ratio(any, r.items);
    r.per_label = labels.into_iter().map(|(l, (n, c))| (l, n, c)).collect();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_marks_into_character_spans() {
        let (t, s, g) = parse_marked("<s>Zarif</s> condemned <t>the U.S. decision</t>.").unwrap();
        assert_eq!(t, "Zarif condemned the U.S. decision.");
        let (s, g) = (s.unwrap(), g.unwrap());
        assert_eq!(&t[s.0..s.1], "Zarif");
        assert_eq!(&t[g.0..g.1], "the U.S. decision");
        assert_eq!(parse_marked("<s>a</s> b").unwrap().2, None);
        assert!(parse_marked("<s>a b").is_none());
        assert!(parse_marked("a b").is_none());
    }

    #[test]
    fn yield_folds_concede_and_retreat() {
        assert_eq!(plv_label("RETREAT"), "YIELD");
        assert_eq!(plv_label("ASSAULT"), "ASSAULT");
    }
}
