//! Train the NER model alone against the shipped tagger/parser, or score it.
//!
//! ```text
//! cargo run --release -p petrel-nlp --example train_ner -- train ../shared/data/treebanks/ud-english-gum models/en_ner.bin
//! cargo run --release -p petrel-nlp --example train_ner -- eval  ../shared/data/treebanks/ud-english-gum models/en_ner.bin dev|test
//! ```

use petrel_nlp::ner::{analyse_ner, evaluate_ner, train_ner, NerTrainOptions, TrainTags};
use petrel_nlp::Nlp;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let (Some(cmd), Some(gum), Some(model)) = (args.first(), args.get(1), args.get(2)) else {
        return Err("usage: train_ner train|eval GUM_DIR MODEL [dev|test]".into());
    };
    let nlp = Nlp::embedded().map_err(|e| e.to_string())?;
    match cmd.as_str() {
        "train" => {
            let opts = NerTrainOptions {
                verbose: true,
                epochs: std::env::var("NER_EPOCHS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(NerTrainOptions::default().epochs),
                prune: std::env::var("NER_PRUNE")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(NerTrainOptions::default().prune),
                folds: std::env::var("NER_FOLDS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(NerTrainOptions::default().folds),
                min_population: std::env::var("NER_MINPOP")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(NerTrainOptions::default().min_population),
                // NER_TAGS=cache NER_EWT=ud-english-ewt: train on the jackknifed
                // tags of a `petrel train` tags cache.
                train_tags: match (std::env::var("NER_TAGS"), std::env::var("NER_EWT")) {
                    (Ok(t), Ok(e)) => Some(
                        TrainTags::from_cache(Path::new(&e), Path::new(gum), Path::new(&t))
                            .map_err(|e| e.to_string())?,
                    ),
                    _ => None,
                },
                ..Default::default()
            };
            let (bytes, rep) = train_ner(&nlp, Path::new(gum), &opts).map_err(|e| e.to_string())?;
            std::fs::write(model, &bytes).map_err(|e| format!("{model}: {e}"))?;
            eprintln!("{rep:#?}");
            eprint!("dev:\n{}", rep.dev.table());
            Ok(())
        }
        "eval" => {
            let split = args.get(3).map_or("dev", String::as_str);
            let bytes = std::fs::read(model).map_err(|e| format!("{model}: {e}"))?;
            let nlp = nlp.with_ner(&bytes).map_err(|e| e.to_string())?;
            let t = std::time::Instant::now();
            let s = evaluate_ner(&nlp, Path::new(gum), split).map_err(|e| e.to_string())?;
            println!(
                "GUM {split}: {} documents, {} sentences ({:.1}s)",
                s.documents,
                s.sentences,
                t.elapsed().as_secs_f64()
            );
            print!("{}", s.table());
            println!("output labels: {:?}", s.labels);
            Ok(())
        }
        "analyse" => {
            // Per-genre scores and mismatch categories (`list`: and the
            // mismatched spans of each sentence).
            let split = args.get(3).map_or("dev", String::as_str);
            let bytes = std::fs::read(model).map_err(|e| format!("{model}: {e}"))?;
            let nlp = nlp.with_ner(&bytes).map_err(|e| e.to_string())?;
            print!(
                "{}",
                analyse_ner(
                    &nlp,
                    Path::new(gum),
                    split,
                    args.get(4).is_some_and(|a| a == "list")
                )
                .map_err(|e| e.to_string())?
            );
            Ok(())
        }
        "tag" => {
            // Whitespace-tokenised sentences on stdin, one per line.
            let bytes = std::fs::read(model).map_err(|e| format!("{model}: {e}"))?;
            let nlp = nlp.with_ner(&bytes).map_err(|e| e.to_string())?;
            for line in std::io::stdin().lines() {
                let line = line.map_err(|e| e.to_string())?;
                let words: Vec<&str> = line.split_whitespace().collect();
                let an = nlp.annotate_words(&words);
                let tags: Vec<String> = words
                    .iter()
                    .zip(&an)
                    .map(|(w, a)| format!("{w}/{}", a.upos.as_str()))
                    .collect();
                println!("{}", tags.join(" "));
                for e in nlp.entities_words(&words, &an) {
                    println!(
                        "  [{}] {}",
                        words[e.start..e.end].join(" "),
                        e.label.as_str()
                    );
                }
            }
            Ok(())
        }
        "errors" => {
            // Mismatches on the dev file: `- gold` / `+ predicted` spans.
            let bytes = std::fs::read(model).map_err(|e| format!("{model}: {e}"))?;
            let nlp = nlp.with_ner(&bytes).map_err(|e| e.to_string())?;
            let split = args.get(3).map_or("dev", String::as_str);
            let p = Path::new(gum).join(format!("en_gum-ud-{split}.conllu"));
            let text = std::fs::read_to_string(&p).map_err(|e| e.to_string())?;
            let sents = petrel_treebank::conllu::parse(&text).map_err(|e| e.to_string())?;
            for s in &sents {
                let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                let an = nlp.annotate_words(&words);
                let gold: Vec<(usize, usize, &str)> = petrel_nlp::ner::gum_named_mentions(s)
                    .into_iter()
                    .map(|(a, b, k)| (a, b, k.as_str()))
                    .collect();
                let pred: Vec<(usize, usize, &str)> = nlp
                    .entities_words(&words, &an)
                    .into_iter()
                    .map(|e| {
                        let k = match e.label {
                            petrel_doc::EntityLabel::Person => "PERSON",
                            petrel_doc::EntityLabel::Norp => "NORP",
                            petrel_doc::EntityLabel::Organization => "ORG",
                            _ => "PLACE",
                        };
                        (e.start, e.end, k)
                    })
                    .collect();
                let show =
                    |x: &(usize, usize, &str)| format!("[{}]{}", words[x.0..x.1].join(" "), x.2);
                let mut lines = Vec::new();
                for g in &gold {
                    if !pred.contains(g) {
                        lines.push(format!("  - {}", show(g)));
                    }
                }
                for q in &pred {
                    if !gold.contains(q) && q.2 != "NORP" {
                        lines.push(format!("  + {}", show(q)));
                    }
                }
                if !lines.is_empty() {
                    println!("{}", words.join(" "));
                    for l in lines {
                        println!("{l}");
                    }
                }
            }
            Ok(())
        }
        _ => Err(format!("unknown command {cmd}")),
    }
}
