//! Most frequent tagging and attachment errors of models on a CoNLL-U file:
//! `cargo run --release -p petrel-nlp --example errors -- <model dir> <file.conllu>`.

use petrel_nlp::Nlp;
use petrel_treebank::conllu;
use std::collections::HashMap;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        eprintln!("usage: errors <model dir> <file.conllu>");
        std::process::exit(2);
    }
    let run = || -> Result<(), String> {
        let nlp = Nlp::load(Path::new(&args[0])).map_err(|e| e.to_string())?;
        let text = std::fs::read_to_string(&args[1]).map_err(|e| e.to_string())?;
        let sents = conllu::parse(&text).map_err(|e| e.to_string())?;
        let mut xpos: HashMap<(String, String), usize> = HashMap::new();
        let mut upos: HashMap<(String, String), usize> = HashMap::new();
        let mut rel: HashMap<String, (usize, usize, usize)> = HashMap::new();
        for s in &sents {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            for (w, a) in s.words.iter().zip(nlp.annotate_words(&words)) {
                if a.xpos != w.xpos {
                    *xpos.entry((w.xpos.clone(), a.xpos.clone())).or_default() += 1;
                }
                if a.upos.as_str() != w.upos {
                    *upos
                        .entry((w.upos.clone(), a.upos.as_str().to_string()))
                        .or_default() += 1;
                }
                let e = rel.entry(w.deprel.clone()).or_default();
                e.0 += 1;
                if w.head == Some(a.head.map_or(0, |h| h as u32 + 1)) {
                    e.1 += 1;
                    e.2 += (a.deprel == w.deprel) as usize;
                }
            }
        }
        for (name, m) in [("XPOS gold->pred", &xpos), ("UPOS gold->pred", &upos)] {
            let mut v: Vec<_> = m.iter().collect();
            v.sort_by(|a, b| b.1.cmp(a.1));
            println!("{name}:");
            for ((g, p), n) in v.iter().take(20) {
                println!("  {g:>6} -> {p:<6} {n}");
            }
        }
        let mut v: Vec<_> = rel.iter().collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.1 .0 - x.1 .2));
        println!("deprel: count, head right %, head+label right %, LAS errors");
        for (r, (n, h, l)) in v.iter().take(25) {
            println!(
                "  {r:<14} {n:6} {:6.1} {:6.1} {}",
                100.0 * *h as f64 / *n as f64,
                100.0 * *l as f64 / *n as f64,
                n - l
            );
        }
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
