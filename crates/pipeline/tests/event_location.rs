//! Event-location linking on Halterman's event_location data
//! (`shared/data/geo/event-location`): for each sentence with a gold event
//! location, is the place `petrel_geo::action_geo` picks for the gold verb
//! one of the gold location spans? Runs on the `RELABEL` gold subset (the
//! dataset's test set); `PETREL_GEO_EVAL_ALL=1` scores all 10k items.

use petrel_doc::{Doc, Span};
use petrel_pipeline::Pipeline;
use serde_json::Value;
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/geo/event-location")
}

/// Byte offset of character offset `c` in `text`.
fn byte_of(text: &str, c: usize) -> usize {
    text.char_indices().nth(c).map_or(text.len(), |(b, _)| b)
}

#[test]
fn event_location_accuracy() {
    let dir = data_dir();
    if !dir.is_dir() {
        println!("skipped: {} is absent", dir.display());
        return;
    }
    let all = std::env::var("PETREL_GEO_EVAL_ALL").is_ok_and(|v| v == "1");
    let pipeline = Pipeline::embedded().expect("embedded pipeline");
    let gaz = petrel_geo::Gazetteer::embedded().expect("embedded gazetteer");
    let (mut total, mut hit, mut none) = (0usize, 0usize, 0usize);
    for part in ["event_location_spans_part00.jsonl", "event_location_spans_part01.jsonl"] {
        let path = dir.join(part);
        let body = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (n, line) in body.lines().enumerate() {
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
            if !all && v["gold_relabel"] != Value::Bool(true) {
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
            total += 1;
            let locs = petrel_geo::find_locations(&doc, gaz);
            match petrel_geo::action_geo(&doc, vt as u32, &locs) {
                Some(i) if gold.iter().any(|g| g.overlaps(&locs[i].span)) => hit += 1,
                Some(i) => {
                    if std::env::var("PETREL_GEO_EVAL_SHOW").is_ok() {
                        println!("WRONG {} | picked {} | gold {:?}", text, doc.span_text(locs[i].span), gold.iter().map(|g| doc.span_text(*g)).collect::<Vec<_>>());
                    }
                }
                None => {
                    none += 1;
                    if std::env::var("PETREL_GEO_EVAL_SHOW").is_ok() {
                        println!("NONE {} | ents {:?} | gold {:?}", text, doc.entities.iter().map(|e| (doc.span_text(e.span), e.label.as_str())).collect::<Vec<_>>(), gold.iter().map(|g| doc.span_text(*g)).collect::<Vec<_>>());
                    }
                }
            }
        }
    }
    let acc = hit as f64 / total.max(1) as f64;
    println!(
        "event-location ({}): {hit}/{total} = {:.1}% ActionGeo overlaps a gold span; {none} with no place found",
        if all { "all" } else { "RELABEL" },
        100.0 * acc
    );
    assert!(total > 300, "too few gold items: {total}");
    assert!(acc >= 0.5, "event-location accuracy {acc:.3} below 0.5");
}
