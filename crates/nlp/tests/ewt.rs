//! Scores of the embedded models on UD English EWT test (gold tokens,
//! predicted tags). Skips when the shared treebank folder is absent.
//!
//! The thresholds are the figures measured for the shipped models (see
//! `models/en_parser.md`) minus a small margin, so a regression fails.

use petrel_nlp::{evaluate, Nlp};
use std::path::PathBuf;

fn ewt_test() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/treebanks/ud-english-ewt/en_ewt-ud-test.conllu");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipping: {} not found (shared data absent)", p.display());
        None
    }
}

#[test]
fn embedded_models_score_on_ewt_test() {
    let Some(path) = ewt_test() else { return };
    let nlp = Nlp::embedded().expect("embedded models load");
    let s = evaluate(&nlp, &path).expect("evaluates");
    eprintln!("EWT test: {s:?}");
    assert_eq!(s.words, 25094);
    assert!(s.upos >= 0.954, "UPOS {}", s.upos);
    assert!(s.xpos >= 0.947, "XPOS {}", s.xpos);
    assert!(s.uas >= 0.869, "UAS {}", s.uas);
    assert!(s.las >= 0.840, "LAS {}", s.las);
}
