//! Learn attribution cues from a PolNeAR split (train only) and print the
//! learned lexicon (see `petrel_graph::learn`):
//!
//! ```text
//! cargo run --release -p petrel-graph --example learn_cues -- \
//!     ../shared/data/quotes/polnear/train > crates/graph/data/cues_learned.txt
//! ```
//!
//! Optional arguments after the folder: MIN_GOLD (default 5) and MIN_PRECISION
//! (default 0.4: a sweep on train peaked at 0.2–0.25, +0.002 F1, but let in
//! acts that are not speech, such as "fire", "pass" or "release").
use petrel_doc::Doc;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: learn_cues POLNEAR_SPLIT_DIR [MIN_GOLD] [MIN_PRECISION]")?;
    let min_gold: usize = match args.next() {
        Some(a) => a.parse().map_err(|e| format!("MIN_GOLD {a:?}: {e}"))?,
        None => 5,
    };
    let min_prec: f64 = match args.next() {
        Some(a) => a.parse().map_err(|e| format!("MIN_PRECISION {a:?}: {e}"))?,
        None => 0.4,
    };
    let nlp = petrel_nlp::Nlp::embedded().map_err(|e| e.to_string())?;
    let analyse = |text: &str| {
        let mut doc = Doc::new("learn", text);
        petrel_text::tokenize(&mut doc);
        nlp.annotate(&mut doc);
        doc
    };
    let stats = petrel_graph::learn::learn_cues(std::path::Path::new(&dir), &analyse)?;
    let defaults = min_gold == 5 && (min_prec - 0.4).abs() < f64::EPSILON;
    let command = format!(
        "cargo run --release -p petrel-graph --example learn_cues -- ../shared/data/quotes/polnear/train{} > crates/graph/data/cues_learned.txt",
        if defaults { String::new() } else { format!(" {min_gold} {min_prec}") }
    );
    print!(
        "{}",
        petrel_graph::learn::write_learned(&stats, min_gold, min_prec, &command)
    );
    Ok(())
}
