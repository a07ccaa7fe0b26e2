//! Gold and predicted trees side by side, for error analysis:
//! `cargo run --release -p petrel-nlp --example predict -- <model dir> <file.conllu>`
//! prints one line per word: sentence number, word number (from 1), form,
//! gold UPOS, predicted XPOS, gold head, gold relation, predicted head,
//! predicted relation (heads numbered from 1, 0 = root), tab-separated,
//! with an empty line after each sentence.

use petrel_nlp::Nlp;
use petrel_treebank::conllu;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        eprintln!("usage: predict <model dir> <file.conllu>");
        std::process::exit(2);
    }
    let run = || -> Result<(), String> {
        let nlp = Nlp::load(Path::new(&args[0])).map_err(|e| e.to_string())?;
        let text = std::fs::read_to_string(&args[1]).map_err(|e| e.to_string())?;
        let sents = conllu::parse(&text).map_err(|e| e.to_string())?;
        let mut out = String::new();
        for (k, s) in sents.iter().enumerate() {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            for (i, (w, a)) in s.words.iter().zip(nlp.annotate_words(&words)).enumerate() {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    k + 1,
                    i + 1,
                    w.form,
                    w.upos,
                    a.xpos,
                    w.head.map_or(-1, i64::from),
                    w.deprel,
                    a.head.map_or(0, |h| h + 1),
                    a.deprel
                ));
            }
            out.push('\n');
        }
        print!("{out}");
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
