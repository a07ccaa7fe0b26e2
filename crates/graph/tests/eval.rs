//! Evaluation on the shared dev sets (PolNeAR attributions, GVDB casualty
//! counts) and a throughput measurement on Reuters-21578. Each test prints
//! its figures and skips with a message when `../shared/data` is absent.
//! Run: `cargo test --release -p petrel-graph --test eval -- --nocapture`
//! (the Reuters throughput test is `#[ignore]`d: add `--ignored`).

use petrel_doc::Doc;
use petrel_nlp::Nlp;
use std::path::PathBuf;
use std::sync::OnceLock;

fn data_dir() -> Option<PathBuf> {
    let d = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!("SKIP: shared data folder {} not found", d.display());
        None
    }
}

fn nlp() -> &'static Nlp {
    static N: OnceLock<Nlp> = OnceLock::new();
    N.get_or_init(|| match Nlp::embedded() {
        Ok(n) => n,
        Err(e) => panic!("embedded NLP models failed to load: {e}"),
    })
}

fn analyse(text: &str) -> Doc {
    let mut doc = Doc::new("eval", text);
    petrel_text::tokenize(&mut doc);
    nlp().annotate(&mut doc);
    doc
}

#[test]
fn polnear_dev() {
    let Some(d) = data_dir() else { return };
    // POLNEAR_SPLIT=train scores the train split (for error analysis).
    let split = std::env::var("POLNEAR_SPLIT").unwrap_or_else(|_| "dev".to_string());
    let dir = d.join("quotes/polnear").join(&split);
    if !dir.is_dir() {
        eprintln!("SKIP: {} not found", dir.display());
        return;
    }
    let s = match petrel_graph::eval::polnear(&dir, &analyse) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    println!(
        "PolNeAR {split}: {} docs, gold {}, predicted {} (+{} nested, not scored), matched {}; content P {:.3} R {:.3} F1 {:.3}",
        s.docs, s.gold, s.predicted, s.nested, s.matched, s.precision, s.recall, s.f1
    );
    println!(
        "PolNeAR {split} direct quotes with source: {} gold, {} found, speaker correct {} -> accuracy {:.3}",
        s.direct_gold, s.direct_found, s.speaker_correct, s.speaker_accuracy
    );
    if let Some(path) = std::env::var_os("POLNEAR_ERRORS") {
        if let Err(e) = std::fs::write(&path, s.errors.join("\n")) {
            eprintln!("cannot write {path:?}: {e}");
        }
    }
    if split != "dev" {
        return;
    }
    assert!(
        s.docs >= 80,
        "expected the 84 dev articles, read {}",
        s.docs
    );
    assert!(
        s.f1 >= 0.70,
        "content F1 {:.3} fell below the measured level",
        s.f1
    );
    assert!(
        s.speaker_accuracy >= 0.82,
        "speaker accuracy {:.3} fell below the measured level",
        s.speaker_accuracy
    );
}

#[test]
fn gvdb_dev() {
    let Some(d) = data_dir() else { return };
    let file = d.join("counts/gvdb/dev.tsv");
    if !file.is_file() {
        eprintln!("SKIP: {} not found", file.display());
        return;
    }
    let (s, rows) = match petrel_graph::eval::gvdb(&file, &analyse, 0) {
        Ok(x) => x,
        Err(e) => panic!("{e}"),
    };
    if std::env::var_os("GVDB_ERRORS").is_some() {
        for (id, gk, gi, pk, pi) in rows.iter().filter(|r| r.1 != r.3 || r.2 != r.4) {
            println!("  {id}: gold killed {gk} injured {gi}, predicted {pk} {pi}");
        }
    }
    println!(
        "GVDB dev: {} articles; killed exact {} ({:.3}), injured exact {} ({:.3}), both exact {} ({:.3})",
        s.articles,
        s.killed_exact,
        s.killed_exact as f64 / s.articles.max(1) as f64,
        s.injured_exact,
        s.injured_exact as f64 / s.articles.max(1) as f64,
        s.both_exact,
        s.both_accuracy
    );
    assert!(
        s.articles >= 390,
        "expected 400 dev articles, read {}",
        s.articles
    );
    assert!(
        s.both_accuracy >= 0.73,
        "both-exact {:.3} fell below the measured level",
        s.both_accuracy
    );
}

#[test]
#[ignore]
fn reuters_throughput() {
    let Some(d) = data_dir() else { return };
    let dir = d.join("corpora/reuters21578");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect(),
        Err(e) => {
            eprintln!("SKIP: {}: {e}", dir.display());
            return;
        }
    };
    files.sort();
    let mut bodies = Vec::new();
    for f in &files {
        let Ok(src) = std::fs::read_to_string(f) else {
            continue;
        };
        for line in src.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(b) = v
                    .get("body")
                    .and_then(|b| b.as_str())
                    .filter(|b| !b.is_empty())
                {
                    bodies.push(b.to_string());
                }
            }
            if bodies.len() >= 1000 {
                break;
            }
        }
        if bodies.len() >= 1000 {
            break;
        }
    }
    assert!(
        !bodies.is_empty(),
        "no Reuters bodies read from {}",
        dir.display()
    );
    let t0 = std::time::Instant::now();
    let docs: Vec<Doc> = bodies.iter().map(|b| analyse(b)).collect();
    let nlp_ms = t0.elapsed().as_secs_f64() * 1e3;
    let t1 = std::time::Instant::now();
    let (mut nq, mut nc) = (0, 0);
    let mut tone_sum = 0.0;
    for d in &docs {
        nq += petrel_graph::quotes(d).len();
        nc += petrel_graph::counts(d).len();
        tone_sum += petrel_graph::tone(d).tone;
    }
    let graph_ms = t1.elapsed().as_secs_f64() * 1e3;
    // The quotes alone, with the learned models and with the rules only.
    let t2 = std::time::Instant::now();
    let nq_models: usize = docs.iter().map(|d| petrel_graph::quotes(d).len()).sum();
    let quotes_ms = t2.elapsed().as_secs_f64() * 1e3;
    let t3 = std::time::Instant::now();
    let nq_rules: usize = docs
        .iter()
        .map(|d| petrel_graph::quotes_with(d, &petrel_graph::Models::default()).len())
        .sum();
    let rules_ms = t3.elapsed().as_secs_f64() * 1e3;
    let n = docs.len() as f64;
    println!(
        "Reuters: {} articles; graph layer {:.3} ms/article (text+nlp {:.2} ms/article); {nq} quotes, {nc} counts, mean tone {:.2}",
        docs.len(),
        graph_ms / n,
        nlp_ms / n,
        tone_sum / n
    );
    println!(
        "Reuters quotes: {:.3} ms/article with the learned models ({nq_models} quotes), {:.3} ms/article rules only ({nq_rules} quotes)",
        quotes_ms / n,
        rules_ms / n
    );
}

/// Diagnostics: every GVDB miss with its text and the counts found.
/// `GVDB_DUMP=/tmp/file cargo test --release -p petrel-graph --test eval gvdb_dump -- --ignored`
#[test]
#[ignore]
fn gvdb_dump() {
    let Some(d) = data_dir() else { return };
    let file = d.join("counts/gvdb/dev.tsv");
    let Ok(src) = std::fs::read_to_string(&file) else {
        return;
    };
    let (_, rows) = match petrel_graph::eval::gvdb(&file, &analyse, 0) {
        Ok(x) => x,
        Err(e) => panic!("{e}"),
    };
    let mut out = String::new();
    for (line, (id, gk, gi, pk, pi)) in src.lines().skip(1).zip(&rows) {
        if gk == pk && gi == pi {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(title), Some(full)) = (f.get(2), f.get(3)) else {
            continue;
        };
        let text = match full.strip_prefix(title) {
            Some(body) if !title.is_empty() => format!("{title}\n{body}"),
            _ => full.to_string(),
        };
        let doc = analyse(&text);
        out.push_str(&format!(
            "=== {id}: gold K{gk} I{gi} pred K{pk} I{pi}\n{text}\n"
        ));
        for c in petrel_graph::counts(&doc) {
            out.push_str(&format!(
                "  {:?} {} gen={} [{}] obj={:?} trig={:?} s{}\n",
                c.kind,
                c.number,
                c.generic,
                doc.span_text(c.span),
                c.object.map(|o| doc.span_text(o)),
                doc.span_text(c.trigger),
                c.sentence
            ));
        }
    }
    let path = std::env::var("GVDB_DUMP").unwrap_or_else(|_| "/tmp/gvdb_dump.txt".into());
    if let Err(e) = std::fs::write(&path, out) {
        eprintln!("{path}: {e}");
    }
}
