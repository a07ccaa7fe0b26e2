//! Compare boundary-ranker settings quickly on cached NLP analyses
//! (measuring only; the shipped files come from `train_quotes`):
//!
//! ```text
//! cargo run --release -p petrel-graph --example tune_boundary -- \
//!     ../shared/data/quotes/polnear/train /tmp/train.json \
//!     ../shared/data/quotes/polnear/dev /tmp/dev.json [EPOCHS,… [MIN_COUNT,…]]
//! ```
//!
//! The caches are the JSON lists of analysed `Doc`s that `polnear_cached`
//! writes (run it first on both folders). The ranker is trained on the train
//! folder only; dev is scored with the shipped open-cue model and with one
//! retrained on the new ranker's contents.
use petrel_doc::Doc;
use petrel_graph::Models;
use std::collections::HashMap;
use std::path::Path;

fn load(p: &str) -> Result<Vec<Doc>, String> {
    let src = std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))?;
    serde_json::from_str(&src).map_err(|e| format!("{p}: {e}"))
}

fn main() -> Result<(), String> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: tune_boundary TRAIN_DIR TRAIN_CACHE DEV_DIR DEV_CACHE [EPOCHS,…] [MIN,…]";
    let [train, train_cache, dev, dev_cache] = [0, 1, 2, 3].map(|k| a.get(k).cloned());
    let (train, train_cache) = (train.ok_or(usage)?, train_cache.ok_or(usage)?);
    let (dev, dev_cache) = (dev.ok_or(usage)?, dev_cache.ok_or(usage)?);
    let list = |k: usize, d: &str| -> Result<Vec<usize>, String> {
        a.get(k)
            .map_or(d, String::as_str)
            .split(',')
            .map(|x| x.parse().map_err(|e| format!("{x:?}: {e}")))
            .collect()
    };
    let (epochs, mins) = (list(4, "3")?, list(5, "20")?);
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
    let score = |m: &Models, what: &str, d: &str| -> Result<(), String> {
        let s = petrel_graph::eval::polnear_with(Path::new(d), &analyse, &|doc| {
            petrel_graph::quotes_with(doc, m)
        })?;
        println!(
            "{what}: predicted {} matched {}; P {:.3} R {:.3} F1 {:.4}; speaker {:.3}",
            s.predicted, s.matched, s.precision, s.recall, s.f1, s.speaker_accuracy
        );
        Ok(())
    };
    let shipped = Models::shipped();
    score(&shipped, "dev shipped", &dev)?;
    let mut bdata = petrel_graph::learn::boundary_data(Path::new(&train), &analyse)?;
    // DROP=prefix,prefix: leave out the feature templates that start so
    // (after the direction letter), to measure what they add.
    if let Ok(drop) = std::env::var("DROP") {
        let gone = petrel_graph::learn::dropped_features(&bdata.names, &drop);
        for ex in &mut bdata.examples {
            for row in &mut ex.cands {
                row.retain(|&f| !gone.get(f as usize).copied().unwrap_or(false));
            }
        }
    }
    println!(
        "boundary: {} examples, {} features",
        bdata.examples.len(),
        bdata.names.len()
    );
    for &ep in &epochs {
        for &mc in &mins {
            let bm = petrel_graph::learn::train_boundary_with(
                &bdata,
                ep,
                mc,
                std::env::var("RUNS")
                    .ok()
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(1),
            );
            let (fixed, broken) = petrel_graph::learn::boundary_fit(&bdata, &bm);
            println!(
                "epochs {ep} min {mc}: {} weights, train fixed {fixed} broken {broken}",
                bm.weights.len()
            );
            let m = Models {
                boundary: Some(&bm),
                cues: shipped.cues,
            };
            score(&m, "  dev new boundary + shipped cues", &dev)?;
            if std::env::var("RETRAIN_CUES").is_ok() {
                let cdata =
                    petrel_graph::learn::open_cue_data(Path::new(&train), &analyse, Some(&bm))?;
                let mut cm = petrel_graph::learn::train_open_cues_with(
                    &cdata,
                    5,
                    20,
                    0.03,
                    0.5,
                    0.0,
                    std::env::var("AVG").is_ok(),
                );
                let env = |k: &str, d: &str| -> Vec<f32> {
                    std::env::var(k)
                        .unwrap_or_else(|_| d.to_string())
                        .split(',')
                        .filter_map(|x| x.parse().ok())
                        .collect()
                };
                for t in env("THR", "0.45") {
                    for r in env("RTHR", "0.2") {
                        cm.threshold = t;
                        cm.rule_threshold = r;
                        let m = Models {
                            boundary: Some(&bm),
                            cues: Some(&cm),
                        };
                        score(&m, &format!("  dev new boundary + new cues {t} {r}"), &dev)?;
                    }
                }
                let m = Models {
                    boundary: Some(&bm),
                    cues: Some(&cm),
                };
                if std::env::var("TRAIN_SCORE").is_ok() {
                    score(&m, "  train new boundary + new cues", &train)?;
                }
            }
            if let Ok(p) = std::env::var("WRITE_BOUNDARY") {
                std::fs::write(&p, bm.write("experimental")).map_err(|e| format!("{p}: {e}"))?;
            }
        }
    }
    Ok(())
}
