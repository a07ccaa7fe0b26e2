//! Score [`petrel_graph::quotes`] on a PolNeAR split with the NLP analyses
//! cached on disk, so that rule changes can be measured in seconds:
//!
//! ```text
//! cargo run --release -p petrel-graph --example polnear_cached -- \
//!     ../shared/data/quotes/polnear/dev /tmp/polnear_dev.json [ERRORS_FILE]
//! ```
//!
//! The cache (JSON list of analysed `Doc`s, embedded NLP models) is written
//! on the first run and read afterwards; delete it when the tokenizer or
//! the NLP models change. Measuring only: nothing here trains anything.
use petrel_doc::Doc;
use std::collections::HashMap;
use std::path::Path;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: polnear_cached POLNEAR_SPLIT_DIR CACHE.json [ERRORS_FILE]";
    let dir = args.next().ok_or(usage)?;
    let cache_path = args.next().ok_or(usage)?;
    let errors = args.next();
    let docs: Vec<Doc> = match std::fs::read_to_string(&cache_path) {
        Ok(src) => serde_json::from_str(&src).map_err(|e| format!("{cache_path}: {e}"))?,
        Err(_) => {
            let nlp = petrel_nlp::Nlp::embedded().map_err(|e| e.to_string())?;
            let mut docs = Vec::new();
            let list = std::fs::read_dir(Path::new(&dir).join("text"))
                .map_err(|e| format!("{dir}: {e}"))?;
            let mut names: Vec<_> = list.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            names.sort();
            for p in names {
                let text =
                    std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                let mut doc = Doc::new("polnear", &text);
                petrel_text::tokenize(&mut doc);
                nlp.annotate(&mut doc);
                docs.push(doc);
            }
            let json = serde_json::to_string(&docs).map_err(|e| e.to_string())?;
            std::fs::write(&cache_path, json).map_err(|e| format!("{cache_path}: {e}"))?;
            docs
        }
    };
    let by_text: HashMap<&str, &Doc> = docs.iter().map(|d| (d.text.as_str(), d)).collect();
    let nlp: std::cell::OnceCell<petrel_nlp::Nlp> = std::cell::OnceCell::new();
    let analyse = |text: &str| -> Doc {
        if let Some(d) = by_text.get(text) {
            return (*d).clone();
        }
        let n = nlp.get_or_init(|| match petrel_nlp::Nlp::embedded() {
            Ok(n) => n,
            Err(e) => panic!("{e}"),
        });
        let mut doc = Doc::new("polnear", text);
        petrel_text::tokenize(&mut doc);
        n.annotate(&mut doc);
        doc
    };
    if let Ok(pat) = std::env::var("DUMP") {
        for d in docs.iter().filter(|d| d.text.contains(&pat)) {
            for q in petrel_graph::quotes(d) {
                let t = |s: Option<petrel_doc::Span>| {
                    s.and_then(|s| d.text.get(s.range())).unwrap_or("")
                };
                println!(
                    "{:?}{} cue {:?} sp {:?} | {}",
                    q.kind,
                    if q.nested { " nested" } else { "" },
                    t(q.cue),
                    t(q.speaker),
                    t(Some(q.content))
                );
            }
        }
    }
    let t0 = std::time::Instant::now();
    let s = petrel_graph::eval::polnear(Path::new(&dir), &analyse)?;
    println!(
        "{dir}: {} docs, gold {}, predicted {} (+{} nested), matched {}; P {:.3} R {:.3} F1 {:.4}; direct {}/{} speaker {:.3} ({:.1}s)",
        s.docs,
        s.gold,
        s.predicted,
        s.nested,
        s.matched,
        s.precision,
        s.recall,
        s.f1,
        s.direct_found,
        s.direct_gold,
        s.speaker_accuracy,
        t0.elapsed().as_secs_f64()
    );
    if let Some(p) = errors {
        std::fs::write(&p, s.errors.join("\n")).map_err(|e| format!("{p}: {e}"))?;
    }
    Ok(())
}
