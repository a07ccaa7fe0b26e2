//! Trains the sentence boundary model `crates/text/data/sentence_model.tsv`
//! from the UD English EWT and GUM **train** documents (never dev/test),
//! raw text rebuilt from the `# text` comments with the sentences of a
//! paragraph joined by a space (running text). Prints the EWT and GUM
//! **dev** sentence scores after each epoch.
//!
//! `cargo run --release -p petrel-text --example build_sentence_model -- ../shared/data [EPOCHS [MIN_COUNT]]`
//! (the first argument is the shared data folder; run from the repository root).
//! Deterministic: documents are read in file-list order, no shuffling.

use petrel_text::boundary::{BoundaryModel, TrainText, Trainer};
use petrel_text::eval::{read_conllu, rebuild, segmentation_scores_by};
use std::path::Path;

/// Averaged weights below this are dropped from the file.
const MIN_WEIGHT: f64 = 0.002;

fn header(epochs: usize, min_count: u32) -> String {
    format!(
        "# Sentence boundary model for petrel-text (averaged perceptron), generated; do not edit by hand.
# Rebuild (from the repository root):
#   cargo run --release -p petrel-text --example build_sentence_model -- ../shared/data {epochs} {min_count}
# Source: UD English EWT train documents (treebanks/ud-english-ewt/file-lists/files.train)
# and UD English GUM train documents (treebanks/ud-english-gum/file-lists/files.train),
# sentences of a paragraph joined by one space; {epochs} epochs, file-list order;
# features seen fewer than {min_count} times left out; averaged weights below {MIN_WEIGHT}
# in absolute value dropped.
# Format: `version<TAB>N`, then one `WEIGHT<TAB>FEATURE` line per feature
# (feature strings as built by petrel_text::boundary; the score is the sum of the weights
# of a gap's features: above 0 ends a sentence where the rules end one, above
# boundary::ADD_MARGIN where they do not).
"
    )
}

fn read_split(root: &Path, bank: &str, out: &mut Vec<TrainText>) -> Result<usize, String> {
    let dir = root.join("treebanks").join(bank);
    let list_path = dir.join("file-lists/files.train");
    let list =
        std::fs::read_to_string(&list_path).map_err(|e| format!("{}: {e}", list_path.display()))?;
    let mut n = 0;
    for name in list.lines() {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let mut p = dir.join("sources").join(name);
        if !p.exists() {
            p = dir.join("sources").join(format!("{name}.conllu"));
        }
        if !p.exists() {
            continue; // some GUM genres are not distributed
        }
        let src = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        for d in read_conllu(&src).map_err(|e| format!("{}: {e}", p.display()))? {
            let raw = rebuild(&d, " ");
            out.push(TrainText {
                ends: raw.sentences.iter().map(|s| s.end).collect(),
                text: raw.text,
            });
        }
        n += 1;
    }
    Ok(n)
}

fn main() -> Result<(), String> {
    let root = std::env::args()
        .nth(1)
        .ok_or("usage: build_sentence_model SHARED_DATA_DIR [EPOCHS [MIN_COUNT]]")?;
    let epochs: usize = std::env::args()
        .nth(2)
        .and_then(|e| e.parse().ok())
        .unwrap_or(6);
    let min_count: u32 = std::env::args()
        .nth(3)
        .and_then(|e| e.parse().ok())
        .unwrap_or(3);
    let root = Path::new(&root);
    let mut texts = Vec::new();
    let ewt = read_split(root, "ud-english-ewt", &mut texts)?;
    let gum = read_split(root, "ud-english-gum", &mut texts)?;
    println!(
        "{ewt} EWT and {gum} GUM train files, {} documents",
        texts.len()
    );
    let dev = |bank: &str, file: &str| {
        std::fs::read_to_string(root.join("treebanks").join(bank).join(file)).ok()
    };
    let ewt_dev = dev("ud-english-ewt", "en_ewt-ud-dev.conllu");
    let gum_dev = dev("ud-english-gum", "en_gum-ud-dev.conllu");
    let mut tr = Trainer::new();
    tr.min_count = min_count;
    for t in &texts {
        tr.count(t);
    }
    let mut data = String::new();
    for e in 1..=epochs {
        tr.begin_epoch();
        for t in &texts {
            tr.train(t);
        }
        data = tr.finish(&header(epochs, min_count), MIN_WEIGHT);
        let model = BoundaryModel::from_data(&data)?;
        let mut line = format!(
            "epoch {e}: {} gaps, {} errors, {} features",
            tr.seen.1,
            tr.seen.2,
            model.len()
        );
        for (name, src) in [("EWT dev", &ewt_dev), ("GUM dev", &gum_dev)] {
            if let Some(src) = src {
                for (sep, sn) in [(" ", "space"), ("\n", "newline")] {
                    let sc =
                        segmentation_scores_by(src, sep, |t| petrel_text::segment_with(t, &model))?;
                    line += &format!("  {name} {sn} F1 {:.4}", sc.sentences.f1());
                }
            }
        }
        println!("{line}");
    }
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sentence_model.tsv");
    std::fs::write(&out, &data).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("-> {} ({} lines)", out.display(), data.lines().count());
    Ok(())
}
