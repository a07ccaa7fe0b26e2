//! Scores on the UD English EWT test set (read from `../shared/data`; the
//! tests skip with a message when it is absent).

use petrel_text::eval::{lemma_accuracy, segmentation_scores};
use std::path::PathBuf;

fn ewt_test() -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/treebanks/ud-english-ewt/en_ewt-ud-test.conllu");
    match std::fs::read_to_string(&p) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("SKIPPED: cannot read {} ({e})", p.display());
            None
        }
    }
}

#[test]
fn ewt_test_segmentation() {
    let Some(src) = ewt_test() else { return };
    for (sep, name) in [("\n", "newline"), (" ", "space")] {
        let sc = segmentation_scores(&src, sep).expect("EWT test parses");
        println!(
            "EWT test, sentences joined by {name}: token P/R/F1 {:.4}/{:.4}/{:.4}  sentence P/R/F1 {:.4}/{:.4}/{:.4}  (unaligned gold words: {})",
            sc.tokens.precision(),
            sc.tokens.recall(),
            sc.tokens.f1(),
            sc.sentences.precision(),
            sc.sentences.recall(),
            sc.sentences.f1(),
            sc.unaligned
        );
        assert!(
            sc.tokens.f1() >= 0.98,
            "token F1 {:.4} < 0.98 ({name})",
            sc.tokens.f1()
        );
    }
}

#[test]
fn ewt_test_lemmas() {
    let Some(src) = ewt_test() else { return };
    let sc = lemma_accuracy(&src, 0).expect("EWT test parses");
    println!(
        "EWT test lemma accuracy (gold UPOS/XPOS): {:.4} over {} words",
        sc.accuracy(),
        sc.words
    );
    assert!(
        sc.accuracy() >= 0.96,
        "lemma accuracy {:.4} < 0.96",
        sc.accuracy()
    );
}
