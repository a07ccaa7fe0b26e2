//! Train the NER model alone against the shipped tagger/parser, or score it.
//!
//! ```text
//! cargo run --release -p petrel-nlp --example train_ner -- train ../shared/data/treebanks/ud-english-gum models/en_ner.bin
//! cargo run --release -p petrel-nlp --example train_ner -- eval  ../shared/data/treebanks/ud-english-gum models/en_ner.bin dev|test
//! ```
//!
//! Training options from the environment: `NER_EPOCHS`, `NER_SEED`, `NER_PRUNE`,
//! `NER_FOLDS` (second-pass jackknife), `NER_MINPOP`, `NER_SMALLPOP` (towns
//! of at least that many people as a lexicon category of their own, 0: none),
//! `NER_WORDNET` (n ≥ 1: WordNet's named instances of ≥ n words in the
//! lexicon, 0: none), `NER_CV` (k-fold
//! cross-validated epoch choice, 0 = on dev), `NER_TRAIN_DEV` (0|1),
//! `NER_TAGS` + `NER_EWT` (jackknifed training tags), `NER_SILVER` (silver
//! data file of `scripts/ner_silver.py`), `NER_SILVER_MAX`, `NER_SILVER_EPOCH`
//! (0: no silver sentences), `NER_SILVER_LEX` (0|1: silver names in the lexicon), `NER_SILVER_VOTE`
//! (0|1: silver kinds by corpus-level majority), `NER_ENSEMBLE` (members of
//! the averaged seed ensemble).

use petrel_nlp::ner::{
    analyse_ner, cross_validate_ner, evaluate_ner_gold, evaluate_peer, gum_gold, train_ner,
    GoldSpans, NerTrainOptions, TrainTags,
};
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

/// `NER_GOLD=mentions` scores and trains on GUM's mention spans (default:
/// the names).
fn gold() -> GoldSpans {
    match std::env::var("NER_GOLD").as_deref() {
        Ok("mentions") => GoldSpans::Mentions,
        _ => GoldSpans::Names,
    }
}

/// A number from the environment, else `default`.
fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Training options from the environment (see the crate comment).
fn options(gum: &str) -> Result<NerTrainOptions, String> {
    let d = NerTrainOptions::default();
    Ok(NerTrainOptions {
        verbose: true,
        epochs: env_or("NER_EPOCHS", d.epochs),
        seed: env_or("NER_SEED", d.seed),
        prune: env_or("NER_PRUNE", d.prune),
        folds: env_or("NER_FOLDS", d.folds),
        min_population: env_or("NER_MINPOP", d.min_population),
        small_population: env_or("NER_SMALLPOP", d.small_population),
        wordnet: env_or("NER_WORDNET", d.wordnet),
        cv_folds: env_or("NER_CV", d.cv_folds),
        train_on_dev: std::env::var("NER_TRAIN_DEV").map_or(d.train_on_dev, |v| v == "1"),
        // NER_TAGS=cache NER_EWT=ud-english-ewt: train on the jackknifed
        // tags of a `petrel train` tags cache.
        train_tags: match (std::env::var("NER_TAGS"), std::env::var("NER_EWT")) {
            (Ok(t), Ok(e)) => Some(
                TrainTags::from_cache(Path::new(&e), Path::new(gum), Path::new(&t))
                    .map_err(|e| e.to_string())?,
            ),
            _ => None,
        },
        gold: gold(),
        // NER_SILVER=file of scripts/ner_silver.py (PETREL_NER_SILVER for
        // `petrel train`), NER_SILVER_MAX sentences read, NER_SILVER_EPOCH
        // drawn per epoch.
        silver: std::env::var_os("NER_SILVER")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from),
        silver_max: env_or("NER_SILVER_MAX", d.silver_max),
        silver_per_epoch: env_or("NER_SILVER_EPOCH", d.silver_per_epoch),
        silver_lexicon: std::env::var("NER_SILVER_LEX").map_or(d.silver_lexicon, |v| v == "1"),
        silver_vote: std::env::var("NER_SILVER_VOTE").map_or(d.silver_vote, |v| v == "1"),
        ensemble: env_or("NER_ENSEMBLE", d.ensemble),
        beam: env_or("NER_BEAM", d.beam),
        ..d
    })
}

fn run(args: &[String]) -> Result<(), String> {
    let (Some(cmd), Some(gum), Some(model)) = (args.first(), args.get(1), args.get(2)) else {
        return Err(
            "usage: train_ner train|eval|analyse|errors|bench|tag GUM_DIR MODEL [dev|test], train_ner peer GUM_DIR PEER_FILE dev|test, train_ner cv GUM_DIR list|-"
                .into(),
        );
    };
    let nlp = Nlp::embedded().map_err(|e| e.to_string())?;
    match cmd.as_str() {
        "train" => {
            let opts = options(gum)?;
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
            let s = evaluate_ner_gold(&nlp, Path::new(gum), split, gold())
                .map_err(|e| e.to_string())?;
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
        "peer" => {
            // A peer tagger's entities (file of scripts/ner_peer.py in
            // place of MODEL) scored as silver spans are normalised.
            let split = args.get(3).map_or("dev", String::as_str);
            let s = evaluate_peer(&nlp, Path::new(gum), split, Path::new(model), gold())
                .map_err(|e| e.to_string())?;
            println!("GUM {split}, peer {model}: {} sentences", s.sentences);
            print!("{}", s.table());
            Ok(())
        }
        "cv" => {
            // Cross-validated per-genre scores and mismatches on the train
            // documents (`list`: and the mismatched spans).
            let opts = NerTrainOptions {
                cv_folds: 4,
                ..options(gum)?
            };
            print!(
                "{}",
                cross_validate_ner(&nlp, Path::new(gum), &opts, model == "list")
                    .map_err(|e| e.to_string())?
            );
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
                    gold(),
                    args.get(4).is_some_and(|a| a == "list")
                )
                .map_err(|e| e.to_string())?
            );
            Ok(())
        }
        "bench" => {
            // CPU seconds of the NER step alone over a GUM split's
            // sentences (analysed once beforehand), `NER_BENCH_ROUNDS`
            // times, with a checksum of the spans found (equal checksums:
            // equal output).
            let split = args.get(3).map_or("dev", String::as_str);
            let bytes = std::fs::read(model).map_err(|e| format!("{model}: {e}"))?;
            let nlp = nlp.with_ner(&bytes).map_err(|e| e.to_string())?;
            let p = Path::new(gum).join(format!("en_gum-ud-{split}.conllu"));
            let text = std::fs::read_to_string(&p).map_err(|e| e.to_string())?;
            let sents = petrel_treebank::conllu::parse(&text).map_err(|e| e.to_string())?;
            let words: Vec<Vec<&str>> = sents
                .iter()
                .map(|s| s.words.iter().map(|w| w.form.as_str()).collect())
                .collect();
            let c0 = cpu_seconds();
            let an: Vec<_> = words.iter().map(|w| nlp.annotate_words(w)).collect();
            let c1 = cpu_seconds();
            let rounds: usize = std::env::var("NER_BENCH_ROUNDS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(10);
            let mut sum: u64 = 0;
            for _ in 0..rounds {
                for (w, a) in words.iter().zip(&an) {
                    for e in nlp.entities_words(w, a) {
                        sum = sum
                            .wrapping_mul(31)
                            .wrapping_add((e.start * 1000 + e.end) as u64)
                            .wrapping_add(e.label as u64);
                    }
                }
            }
            let c2 = cpu_seconds();
            let n: usize = words.iter().map(Vec::len).sum();
            println!(
                "{n} tokens; tagger + parser {:.2} CPU s; NER {:.3} CPU s per round ({:.0} tokens/s); checksum {sum:016x}",
                c1 - c0,
                (c2 - c1) / rounds as f64,
                n as f64 * rounds as f64 / (c2 - c1).max(1e-9)
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
                let gold: Vec<(usize, usize, &str)> = gum_gold(s, gold())
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

/// User + system CPU seconds of this process (Linux `/proc/self/stat`).
fn cpu_seconds() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = s.rfind(')').and_then(|i| s.get(i + 2..)).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let t = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12)) / 100.0
}
