//! Near-duplicate detection on the perturbed BBC set (issue 7's measure:
//! pairwise precision ≥ 0.95, recall ≥ 0.90). Skips when the shared data is
//! absent.

use std::path::{Path, PathBuf};

use petrel_dedup::eval::{perturbed_set, score};
use petrel_dedup::Params;

/// The shared BBC corpus, as `(topic/NNN, text)` in path order.
fn bbc() -> Option<Vec<(String, String)>> {
    let root: PathBuf =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/corpora/bbc2225/bbc");
    let mut out = Vec::new();
    let mut topics: Vec<PathBuf> = std::fs::read_dir(&root)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    topics.sort();
    for t in topics {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&t)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).ok()?;
            let topic = t.file_name()?.to_string_lossy().to_string();
            let stem = f.file_stem()?.to_string_lossy().to_string();
            out.push((
                format!("{topic}/{stem}"),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    Some(out)
}

#[test]
fn perturbed_bbc_precision_and_recall() {
    let Some(corpus) = bbc() else {
        eprintln!("SKIPPED: ../shared/data/corpora/bbc2225 not found");
        return;
    };
    // PETREL_DEDUP_SEED=N measures another draw of the same construction.
    let seed = std::env::var("PETREL_DEDUP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(petrel_dedup::eval::SEED);
    let set = perturbed_set(&corpus, seed, petrel_dedup::eval::RATE);
    eprintln!("{} excluded, {} copies", set.excluded.len(), set.copies);
    let docs = set.docs;
    let s = score(&docs, &Params::default());
    eprintln!(
        "{} docs, {} true pairs, {} found, {} correct: P {:.4} R {:.4}",
        s.docs,
        s.true_pairs,
        s.found_pairs,
        s.correct_pairs,
        s.precision(),
        s.recall()
    );
    if std::env::var_os("PETREL_DEDUP_SWEEP").is_some() {
        for (j, c) in petrel_dedup::eval::SWEEP {
            let p = Params {
                jaccard: j,
                containment: c,
                ..Params::default()
            };
            let s = score(&docs, &p);
            eprintln!(
                "J>={j} C>={c}: P {:.4} R {:.4} ({} found pairs)",
                s.precision(),
                s.recall(),
                s.found_pairs
            );
        }
        for (a, b, same) in petrel_dedup::eval::errors(&docs, &Params::default(), 30) {
            eprintln!("{} {a} {b}", if same { "MISSED" } else { "WRONG" });
        }
    }
    assert!(s.precision() >= 0.95, "precision {:.4}", s.precision());
    assert!(s.recall() >= 0.90, "recall {:.4}", s.recall());
}
