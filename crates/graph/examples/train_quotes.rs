//! Train the learned parts of attribution extraction on PolNeAR's train
//! split and write them, deterministically, to `crates/graph/data/`:
//! the content-boundary ranker (`quote_boundary.tsv`, see
//! `petrel_graph::boundary`) and the open-cue classifier (`quote_cues.tsv`,
//! see `petrel_graph::open_cues`, trained on the contents the boundary
//! model gives):
//!
//! ```text
//! cargo run --release -p petrel-graph --example train_quotes -- ../shared/data/quotes/polnear/train
//! ```
//!
//! Options after the folder (defaults are the shipped settings):
//! `--epochs N` / `--min-count N` / `--runs N` (boundary rankers: the
//! weights are averaged over N shuffle orders), `--starts 0|1` (1: also
//! train the content-start ranker, on the contents the end ranker gives), `--cue-epochs N` /
//! `--cue-min-count N` / `--l2 X` / `--cue-average 0|1` (classifier; 1:
//! weights averaged over the last epoch), `--threshold P` (open-cue
//! acceptance probability), `--nested-threshold P` (probability a nested attribution of the
//! rules needs to be scored as top-level; 0: never), `--rule-threshold P` (probability the rules'
//! indirect attributions need; comma-separated lists of both compare
//! values on the dev folder, the first are written), `--out-dir DIR`
//! (default `crates/graph/data`), `--dev DIR` (also score on a dev folder:
//! for measuring only, never for training), `--cache FILE[,FILE…]` (NLP
//! analyses written by the `polnear_cached` example, read instead of
//! re-analysing those texts; they must come from the embedded models).
use petrel_doc::Doc;
use petrel_graph::Models;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const DEFAULTS: [(&str, &str); 11] = [
    ("--epochs", "5"),
    ("--starts", "0"),
    ("--min-count", "10"),
    ("--runs", "5"),
    ("--cue-average", "1"),
    ("--cue-epochs", "5"),
    ("--cue-min-count", "5"),
    ("--l2", "0.003"),
    ("--threshold", "0.4"),
    ("--rule-threshold", "0.3"),
    ("--nested-threshold", "0.4"),
];

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or(
        "usage: train_quotes POLNEAR_TRAIN_DIR [--epochs N] [--min-count N] [--cue-epochs N] \
         [--cue-min-count N] [--l2 X] [--threshold P[,P…]] [--rule-threshold P[,P…]] [--nested-threshold P[,P…]] [--out-dir DIR] [--dev DIR]",
    )?;
    let mut opt: HashMap<String, String> = DEFAULTS
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut out_dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data"));
    let mut dev: Option<PathBuf> = None;
    let mut preloaded: HashMap<String, Doc> = HashMap::new();
    while let Some(a) = args.next() {
        let val = args.next().ok_or_else(|| format!("{a}: missing value"))?;
        match a.as_str() {
            "--out-dir" => out_dir = PathBuf::from(val),
            "--dev" => dev = Some(PathBuf::from(val)),
            "--cache" => {
                for p in val.split(',') {
                    let src = std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))?;
                    let docs: Vec<Doc> =
                        serde_json::from_str(&src).map_err(|e| format!("{p}: {e}"))?;
                    preloaded.extend(docs.into_iter().map(|d| (d.text.clone(), d)));
                }
            }
            k if opt.contains_key(k) => {
                opt.insert(k.to_string(), val);
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    let num = |k: &str| -> Result<f64, String> {
        let v = opt.get(k).map(String::as_str).unwrap_or("");
        v.parse().map_err(|e| format!("{k} {v:?}: {e}"))
    };
    let (epochs, min_count) = (num("--epochs")? as usize, num("--min-count")? as usize);
    let (runs, cue_average) = (num("--runs")? as usize, num("--cue-average")? != 0.0);
    let (cue_epochs, cue_min) = (
        num("--cue-epochs")? as usize,
        num("--cue-min-count")? as usize,
    );
    let l2 = num("--l2")?;
    let floats = |k: &str| -> Result<Vec<f32>, String> {
        opt[k]
            .split(',')
            .map(|x| x.parse().map_err(|e| format!("{k} {x:?}: {e}")))
            .collect()
    };
    let thresholds = floats("--threshold")?;
    let rule_thresholds = floats("--rule-threshold")?;
    let nested_thresholds = floats("--nested-threshold")?;
    let command: String = {
        let mut c = format!(
            "cargo run --release -p petrel-graph --example train_quotes -- {}",
            "../shared/data/quotes/polnear/train"
        );
        for (k, d) in DEFAULTS {
            if opt[k] != d {
                c.push_str(&format!(" {k} {}", opt[k]));
            }
        }
        c
    };

    let nlp = petrel_nlp::Nlp::embedded().map_err(|e| e.to_string())?;
    let cache: RefCell<HashMap<String, Doc>> = RefCell::new(preloaded);
    let analyse = |text: &str| {
        if let Some(d) = cache.borrow().get(text) {
            return d.clone();
        }
        let mut doc = Doc::new("train", text);
        petrel_text::tokenize(&mut doc);
        nlp.annotate(&mut doc);
        cache.borrow_mut().insert(text.to_string(), doc.clone());
        doc
    };
    let score = |m: &Models, what: &str| -> Result<(), String> {
        if let Some(d) = &dev {
            let s = petrel_graph::eval::polnear_with(d, &analyse, &|doc| {
                petrel_graph::quotes_with(doc, m)
            })?;
            eprintln!(
                "dev, {what}: predicted {} matched {}; P {:.3} R {:.3} F1 {:.4}; speaker {:.3}",
                s.predicted, s.matched, s.precision, s.recall, s.f1, s.speaker_accuracy
            );
            // Env TRAIN_SCORE=1: the same setting on the training split.
            if std::env::var_os("TRAIN_SCORE").is_some() {
                let s = petrel_graph::eval::polnear_with(Path::new(&dir), &analyse, &|doc| {
                    petrel_graph::quotes_with(doc, m)
                })?;
                eprintln!(
                    "train, {what}: predicted {} matched {}; F1 {:.4}",
                    s.predicted, s.matched, s.f1
                );
            }
        }
        Ok(())
    };

    let bdata = petrel_graph::learn::boundary_data(Path::new(&dir), &analyse)?;
    let fixable = bdata.examples.iter().filter(|e| e.fixable).count();
    eprintln!(
        "boundary: {} examples ({fixable} unmatched contents a candidate end would match), {} features",
        bdata.examples.len(),
        bdata.names.len()
    );
    let mut bm = petrel_graph::learn::train_boundary_with(&bdata, epochs, min_count, runs);
    let (fixed, broken) = petrel_graph::learn::boundary_fit(&bdata, &bm);
    eprintln!(
        "boundary: {} weights; on train {fixed} contents fixed, {broken} broken",
        bm.weights.len()
    );
    score(&Models::default(), "rules only")?;
    score(
        &Models {
            boundary: Some(&bm),
            cues: None,
        },
        "rules + boundary (ends)",
    )?;
    let mut start_n = 0;
    if num("--starts")? != 0.0 {
        // The start ranker, on the contents the end ranker gives; its
        // features (prefix `S`) go into the same model file.
        let sdata = petrel_graph::learn::start_data(Path::new(&dir), &analyse, Some(&bm))?;
        let sm = petrel_graph::learn::train_boundary_with(&sdata, epochs, min_count, runs);
        let (fixed, broken) = petrel_graph::learn::boundary_fit(&sdata, &sm);
        eprintln!(
            "starts: {} examples, {} weights; on train {fixed} contents fixed, {broken} broken",
            sdata.examples.len(),
            sm.weights.len()
        );
        start_n = sdata.examples.len();
        bm.weights.extend(sm.weights);
        score(
            &Models {
                boundary: Some(&bm),
                cues: None,
            },
            "rules + boundary (ends and starts)",
        )?;
    }

    let cdata = petrel_graph::learn::open_cue_data(Path::new(&dir), &analyse, Some(&bm))?;
    let pos = cdata.examples.iter().filter(|e| e.1).count();
    let rule_n = cdata.examples.iter().filter(|e| e.2).count();
    let rule_pos = cdata.examples.iter().filter(|e| e.1 && e.2).count();
    eprintln!("classifier: {rule_n} rule attributions ({rule_pos} matching gold)");
    eprintln!(
        "open cues: {} candidates ({pos} positive), {} features",
        cdata.examples.len(),
        cdata.names.len()
    );
    let mut cm = petrel_graph::learn::train_open_cues_with(
        &cdata,
        cue_epochs,
        cue_min,
        l2,
        0.5,
        0.0,
        cue_average,
    );
    eprintln!("open cues: {} weights", cm.weights.len());
    if dev.is_some() {
        for &t in &thresholds {
            for &r in &rule_thresholds {
                for &n in &nested_thresholds {
                    cm.threshold = t;
                    cm.rule_threshold = r;
                    cm.nested_threshold = n;
                    score(
                        &Models {
                            boundary: Some(&bm),
                            cues: Some(&cm),
                        },
                        &format!(
                            "rules (kept at {r}) + boundary + open cues at {t}, nested at {n}"
                        ),
                    )?;
                }
            }
        }
    }
    cm.threshold = thresholds.first().copied().unwrap_or(0.5);
    cm.rule_threshold = rule_thresholds.first().copied().unwrap_or(0.0);
    cm.nested_threshold = nested_thresholds.first().copied().unwrap_or(0.0);

    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let bh = format!(
        "Petrel attribution content-boundary model: averaged perceptrons ranking the\n\
         candidate ends (features o|, s|, x|) and starts (features S…|) of indirect\n\
         contents, trained on the PolNeAR train split only (feature names and weights,\n\
         no corpus text). Format and features: crates/graph/src/boundary.rs.\n\
         {} training contents for ends, {start_n} for starts, {} weights.\n\
         Do not edit by hand: rebuild with\n{command}",
        bdata.examples.len(),
        bm.weights.len()
    );
    let ch = format!(
        "Petrel open-cue model: logistic regression over candidate attributions whose\n\
         cue verb or noun is outside the lexicon (features o:) and over the rules'\n\
         top-level indirect attributions (features r:) and nested ones (features n:),\n\
         trained on the PolNeAR train split only\n\
         (feature names and weights, no corpus text). Format and features:\n\
         crates/graph/src/open_cues.rs. {} training candidates ({pos} positive), {} weights.\n\
         Do not edit by hand: rebuild with\n{command}",
        cdata.examples.len(),
        cm.weights.len()
    );
    for (name, body) in [
        ("quote_boundary.tsv", bm.write(&bh)),
        ("quote_cues.tsv", cm.write(&ch)),
    ] {
        let p = out_dir.join(name);
        std::fs::write(&p, body).map_err(|e| format!("{}: {e}", p.display()))?;
        eprintln!("wrote {}", p.display());
    }
    Ok(())
}
