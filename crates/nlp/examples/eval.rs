//! Score models on a CoNLL-U file: `cargo run --release -p petrel-nlp
//! --example eval -- <model dir | --embedded> <file.conllu> [repeat]`.
//!
//! `PETREL_EVAL_SEARCH=beam:K:MARGIN:TEMPERATURE` (or `greedy`) overrides the
//! parse-time search recorded in the parser file, for tuning it on dev.

use petrel_nlp::{evaluate, Nlp, ParserSearch};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: eval <model dir | --embedded> <file.conllu> [repeat]");
        std::process::exit(2);
    }
    let nlp = if args[0] == "--embedded" {
        Nlp::embedded()
    } else {
        Nlp::load(Path::new(&args[0]))
    };
    let mut nlp = match nlp {
        Ok(n) => n,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    };
    if let Ok(spec) = std::env::var("PETREL_EVAL_SEARCH") {
        // The temperature is the last field of a beam spec.
        let (search, t) = match spec.rsplit_once(':') {
            Some((s, t)) if s.starts_with("beam:") && s.matches(':').count() == 2 => {
                (ParserSearch::parse(s), t.parse().ok())
            }
            _ => (ParserSearch::parse(&spec), None),
        };
        match (search, t) {
            (Some(s @ ParserSearch::Greedy), _) => nlp.set_parser_search(s, 0.0),
            (Some(s @ ParserSearch::Beam { .. }), Some(t)) => nlp.set_parser_search(s, t),
            _ => {
                eprintln!("PETREL_EVAL_SEARCH: greedy or beam:K:MARGIN:TEMPERATURE, not {spec}");
                std::process::exit(2)
            }
        }
    }
    let cpu0 = cpu_seconds();
    let mut words = 0usize;
    let repeat: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    for _ in 0..repeat.max(1) {
        match evaluate(&nlp, Path::new(&args[1])) {
            Ok(s) => {
                words += s.words;
                println!(
                "{} sentences, {} words: UPOS {:.2} XPOS {:.2} lemma {:.2} UAS {:.2} LAS {:.2} (universal {:.2}); {:.0} words/s",
                s.sentences,
                s.words,
                100.0 * s.upos,
                100.0 * s.xpos,
                100.0 * s.lemma,
                100.0 * s.uas,
                100.0 * s.las,
                100.0 * s.las_universal,
                s.words_per_second
            )
            }
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1)
            }
        }
    }
    if let (Some(a), Some(b)) = (cpu0, cpu_seconds()) {
        // Includes reading and checking the file; a lower bound on speed.
        println!(
            "{:.0} words per CPU-second (this thread, {:.2}s)",
            words as f64 / (b - a).max(1e-9),
            b - a
        );
    }
}

/// User+system CPU time of the current thread (Linux), in seconds.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ut: f64 = f.get(11)?.parse().ok()?;
    let st: f64 = f.get(12)?.parse().ok()?;
    Some((ut + st) / 100.0)
}
