//! Compare open-cue classifier settings quickly on cached NLP analyses
//! (measuring only; the shipped files come from `train_quotes`):
//!
//! ```text
//! cargo run --release -p petrel-graph --example tune_cues -- \
//!     ../shared/data/quotes/polnear/train /tmp/train.json \
//!     ../shared/data/quotes/polnear/dev /tmp/dev.json
//! ```
//!
//! The caches are the JSON lists of analysed `Doc`s that `polnear_cached`
//! writes. The classifier is trained on the train folder only, on the
//! contents of the shipped boundary ranker; for dev it prints, per
//! threshold, how many open candidates (and rules' attributions) the
//! classifier keeps and how many of those half-match a gold content (the
//! training label), then the dev score of the full extractor. Settings by
//! environment: `EPOCHS` (5), `MIN` (5), `L2` (0.003), `RUNS` (1: shuffle
//! orders averaged), `THR` (list,
//! 0.45), `RTHR` (list, 0.2), `DROP` (feature templates to leave out,
//! e.g. `pw=,nw=`), `WRITE_CUES` (file to write the model to).
use petrel_doc::Doc;
use petrel_graph::Models;
use std::collections::HashMap;
use std::path::Path;

fn load(p: &str) -> Result<Vec<Doc>, String> {
    let src = std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))?;
    serde_json::from_str(&src).map_err(|e| format!("{p}: {e}"))
}

fn env_list(k: &str, d: &str) -> Vec<f32> {
    std::env::var(k)
        .unwrap_or_else(|_| d.to_string())
        .split(',')
        .filter_map(|x| x.parse().ok())
        .collect()
}

fn main() -> Result<(), String> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: tune_cues TRAIN_DIR TRAIN_CACHE DEV_DIR DEV_CACHE";
    let [train, train_cache, dev, dev_cache] = [0, 1, 2, 3].map(|k| a.get(k).cloned());
    let (train, train_cache) = (train.ok_or(usage)?, train_cache.ok_or(usage)?);
    let (dev, dev_cache) = (dev.ok_or(usage)?, dev_cache.ok_or(usage)?);
    let docs: Vec<Doc> = load(&train_cache)?
        .into_iter()
        .chain(load(&dev_cache)?)
        .collect();
    let by_text: HashMap<&str, &Doc> = docs.iter().map(|d| (d.text.as_str(), d)).collect();
    let analyse = |text: &str| -> Doc {
        by_text
            .get(text)
            .map(|d| (*d).clone())
            .unwrap_or_else(|| Doc::new("missing", text))
    };
    let num = |k: &str, d: f64| -> f64 {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let shipped = Models::shipped();
    let bm = shipped.boundary;
    let mut cdata = petrel_graph::learn::open_cue_data(Path::new(&train), &analyse, bm)?;
    // DROP=prefix,prefix: leave out the feature templates that start so
    // (after the `o:`/`r:` prefix), to measure what they add.
    if let Ok(drop) = std::env::var("DROP") {
        let gone = petrel_graph::learn::dropped_features(&cdata.names, &drop);
        for ex in &mut cdata.examples {
            ex.0.retain(|&f| !gone.get(f as usize).copied().unwrap_or(false));
        }
    }
    let ddata = petrel_graph::learn::open_cue_data(Path::new(&dev), &analyse, bm)?;
    let mut cm = petrel_graph::learn::train_open_cues_runs(
        &cdata,
        num("EPOCHS", 5.0) as usize,
        num("MIN", 5.0) as usize,
        num("L2", 0.003),
        0.5,
        0.0,
        true,
        num("RUNS", 1.0) as usize,
    );
    println!(
        "train: {} candidates, {} features, {} weights",
        cdata.examples.len(),
        cdata.names.len(),
        cm.weights.len()
    );
    // Dev candidates: probabilities and labels.
    let probs: Vec<(f32, bool, bool)> = ddata
        .examples
        .iter()
        .map(|(row, y, rule)| {
            let fs: Vec<String> = row
                .iter()
                .filter_map(|&f| ddata.names.get(f as usize).cloned())
                .collect();
            (cm.prob(&fs), *y, *rule)
        })
        .collect();
    for rule in [false, true] {
        let all: Vec<&(f32, bool, bool)> = probs.iter().filter(|p| p.2 == rule).collect();
        let pos = all.iter().filter(|p| p.1).count();
        println!(
            "dev {}: {} candidates, {pos} positive",
            if rule { "rules" } else { "open" },
            all.len()
        );
        for t in [0.1f32, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6] {
            let kept: Vec<_> = all.iter().filter(|p| p.0 >= t).collect();
            let right = kept.iter().filter(|p| p.1).count();
            println!("  p >= {t}: kept {} right {right}", kept.len());
        }
    }
    for t in env_list("THR", "0.45") {
        for r in env_list("RTHR", "0.2") {
            cm.threshold = t;
            cm.rule_threshold = r;
            let m = Models {
                boundary: bm,
                cues: Some(&cm),
            };
            let s = petrel_graph::eval::polnear_with(Path::new(&dev), &analyse, &|doc| {
                petrel_graph::quotes_with(doc, &m)
            })?;
            println!(
                "dev at {t} / {r}: predicted {} matched {}; P {:.3} R {:.3} F1 {:.4}; speaker {:.3}",
                s.predicted, s.matched, s.precision, s.recall, s.f1, s.speaker_accuracy
            );
        }
    }
    if let Ok(p) = std::env::var("WRITE_CUES") {
        std::fs::write(&p, cm.write("experimental")).map_err(|e| format!("{p}: {e}"))?;
    }
    Ok(())
}
