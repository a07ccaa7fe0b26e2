//! Rebuilds `crates/text/data/lemma_learned.tsv` from the UD English EWT and
//! GUM **train** documents (never dev/test).
//!
//! `cargo run --release -p petrel-text --example build_lemma_data -- ../shared/data`
//! (the argument is the shared data folder; run from the repository root).

use petrel_text::eval::read_conllu;
use petrel_text::lemma::{Lemmatizer, TrainWord};
use std::path::Path;

const HEADER: &str = "# Learned lemma data for petrel-text, generated; do not edit by hand.
# Rebuild (from the repository root):
#   cargo run --release -p petrel-text --example build_lemma_data -- ../shared/data
# Source: UD English EWT train documents (treebanks/ud-english-ewt/file-lists/files.train)
# and UD English GUM train documents (treebanks/ud-english-gum/file-lists/files.train).
# Format, tab-separated, one entry per line:
#   C<TAB>LEMMA              a lemma seen in training; C = V (verb/aux), N (noun), A (adjective/adverb)
#   X<TAB>FORM<TAB>XPOS<TAB>LEMMA   an exception: the majority gold lemma of FORM (lowercased
#                            unless a proper noun) with Penn tag XPOS, where the rules disagree
";

fn read_split(root: &Path, bank: &str, out: &mut Vec<TrainWord>) -> Result<usize, String> {
    let dir = root.join("treebanks").join(bank);
    let list_path = dir.join("file-lists/files.train");
    let list =
        std::fs::read_to_string(&list_path).map_err(|e| format!("{}: {e}", list_path.display()))?;
    let mut n = 0;
    for (i, name) in list.lines().enumerate() {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let mut p = dir.join("sources").join(name);
        if !p.exists() {
            p = dir.join("sources").join(format!("{name}.conllu"));
        }
        if !p.exists() {
            // Some GUM genres are not distributed (licence); the list still names them.
            eprintln!(
                "{}:{}: {} absent, skipped",
                list_path.display(),
                i + 1,
                p.display()
            );
            continue;
        }
        let src = std::fs::read_to_string(&p)
            .map_err(|e| format!("{}:{}: {}: {e}", list_path.display(), i + 1, p.display()))?;
        let docs = read_conllu(&src).map_err(|e| format!("{}: {e}", p.display()))?;
        for d in docs {
            for s in d.sentences {
                for w in s.words {
                    out.push((w.form, w.upos, w.xpos, w.lemma));
                }
            }
        }
        n += 1;
    }
    Ok(n)
}

fn main() -> Result<(), String> {
    let root = std::env::args()
        .nth(1)
        .ok_or("usage: build_lemma_data SHARED_DATA_DIR")?;
    let root = Path::new(&root);
    let mut words = Vec::new();
    let ewt = read_split(root, "ud-english-ewt", &mut words)?;
    let gum = read_split(root, "ud-english-gum", &mut words)?;
    let base = Lemmatizer::from_data(include_str!("../data/irregular.tsv"), "")?;
    let text = base.learn(&words, HEADER);
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lemma_learned.tsv");
    std::fs::write(&out, &text).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "{} words from {ewt} EWT and {gum} GUM train documents -> {} ({} lines)",
        words.len(),
        out.display(),
        text.lines().count()
    );
    Ok(())
}
