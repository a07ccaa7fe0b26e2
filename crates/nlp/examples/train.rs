//! Rebuild the models: `cargo run --release -p petrel-nlp --example train --
//! <ud-english-ewt dir> <out dir> [--no-gum] [--tagger-epochs N]
//! [--parser-epochs N] [--jackknife K] [--explore P] [--beam K] [--home-repeat K]
//! [--labeller-epochs N] [--labeller-folds K EPOCHS] [--mix DIR]... [--ensemble SEED,...]
//! [--ensemble-prune W]
//! [--search SPEC] [--temperature T] [--seed S]
//! [--tags-cache FILE] [--parser-only MODEL_DIR] [--tagger-only MODEL_DIR]`.
//!
//! `--tagger-only DIR` trains only the tagger, with the clusters of DIR
//! (e.g. `models`), logs dev UPOS/XPOS per epoch and writes `en_tagger.bin`
//! and `en_clusters.bin` to the output directory (add `--jackknife 0` for
//! a quick first-pass-only run).
//!
//! `--beam K` (K ≥ 2) trains the parser globally with a beam of K;
//! `--search greedy|beam:K[:MARGIN]|branch:K:MARGIN` and `--temperature T` set the
//! parse-time search written into the model (either order).
//!
//! `--parser-only DIR --parser-epochs 0 --labeller-epochs N` keeps DIR's
//! parser and trains only its second-stage labeller.
//!
//! `--tags-cache FILE` writes the parser's (jackknifed) training tags; with
//! `--parser-only DIR` they are read back and only the parser is trained,
//! on the tagger and clusters found in DIR.

use petrel_nlp::{train, ParserSearch, TrainOptions};
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos = Vec::new();
    let mut o = TrainOptions {
        verbose: true,
        ..TrainOptions::default()
    };
    let mut i = 0;
    let num = |v: Option<&String>, name: &str| -> f64 {
        match v.and_then(|s| s.parse::<f64>().ok()) {
            Some(x) => x,
            None => {
                eprintln!("{name} needs a number");
                std::process::exit(2)
            }
        }
    };
    while i < args.len() {
        match args[i].as_str() {
            "--no-gum" => o.use_gum = false,
            "--no-clusters" => o.clusters = (0, 0),
            "--clusters" => {
                o.clusters.0 = num(args.get(i + 1), "--clusters") as usize;
                i += 1
            }
            "--tagger-epochs" => {
                o.tagger_epochs = num(args.get(i + 1), "--tagger-epochs") as usize;
                i += 1
            }
            "--parser-epochs" => {
                o.parser_epochs = num(args.get(i + 1), "--parser-epochs") as usize;
                i += 1
            }
            "--jackknife" => {
                o.jackknife = num(args.get(i + 1), "--jackknife") as usize;
                i += 1
            }
            "--search" => {
                let spec = args.get(i + 1).cloned().unwrap_or_default();
                let temp = o.parser_search.map_or(0.0, |s| s.1);
                let Some(search) = ParserSearch::parse(&spec) else {
                    eprintln!("--search needs greedy, beam:K[:MARGIN] or branch:K:MARGIN");
                    std::process::exit(2)
                };
                o.parser_search = Some((search, temp));
                i += 1
            }
            "--temperature" => {
                let t = num(args.get(i + 1), "--temperature") as f32;
                let s = o.parser_search.map_or(ParserSearch::Greedy, |s| s.0);
                o.parser_search = Some((s, t));
                i += 1
            }
            "--beam" => {
                o.parser_beam = num(args.get(i + 1), "--beam") as usize;
                i += 1
            }
            "--labeller-epochs" => {
                o.parser_labeller_epochs = num(args.get(i + 1), "--labeller-epochs") as usize;
                i += 1
            }
            "--labeller-folds" => {
                o.parser_labeller_folds.0 = num(args.get(i + 1), "--labeller-folds") as usize;
                o.parser_labeller_folds.1 = num(args.get(i + 2), "--labeller-folds") as usize;
                i += 2
            }
            "--mix" => {
                o.parser_mix.extend(args.get(i + 1).map(PathBuf::from));
                i += 1
            }
            "--ensemble" => {
                o.parser_ensemble = args
                    .get(i + 1)
                    .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
                    .unwrap_or_default();
                i += 1
            }
            "--ensemble-prune" => {
                o.parser_ensemble_prune = num(args.get(i + 1), "--ensemble-prune") as f32;
                i += 1
            }
            "--home-repeat" => {
                o.parser_home_repeat = num(args.get(i + 1), "--home-repeat") as usize;
                i += 1
            }
            "--explore" => {
                o.explore = num(args.get(i + 1), "--explore");
                i += 1
            }
            "--seed" => {
                o.seed = num(args.get(i + 1), "--seed") as u64;
                i += 1
            }
            "--prune-tagger" => {
                o.prune_tagger = num(args.get(i + 1), "--prune-tagger") as f32;
                i += 1
            }
            "--prune-parser" => {
                o.prune_parser = num(args.get(i + 1), "--prune-parser") as f32;
                i += 1
            }
            "--prune-sweep" => {
                o.prune_sweep = args
                    .get(i + 1)
                    .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
                    .unwrap_or_default();
                i += 1
            }
            "--tags-cache" => {
                o.tags_cache = args.get(i + 1).map(PathBuf::from);
                i += 1
            }
            "--parser-only" => {
                o.parser_only = args.get(i + 1).map(PathBuf::from);
                i += 1
            }
            "--tagger-only" => {
                o.tagger_only = args.get(i + 1).map(PathBuf::from);
                i += 1
            }
            a => pos.push(PathBuf::from(a)),
        }
        i += 1;
    }
    if pos.len() != 2 {
        eprintln!("usage: train <ud-english-ewt dir> <out dir> [options]");
        std::process::exit(2);
    }
    match train(&pos[0], &pos[1], &o) {
        Ok(r) => {
            println!(
                "trained on {} sentences / {} words in {:.0}s; dev UPOS {:.2} XPOS {:.2} lemma {:.2} UAS {:.2} LAS {:.2} (universal {:.2}); {:.0} words/s",
                r.train_sentences,
                r.train_words,
                r.seconds,
                100.0 * r.dev.upos,
                100.0 * r.dev.xpos,
                100.0 * r.dev.lemma,
                100.0 * r.dev.uas,
                100.0 * r.dev.las,
                100.0 * r.dev.las_universal,
                r.dev.words_per_second
            );
        }
        Err(e) => {
            eprintln!("training failed: {e}");
            std::process::exit(1);
        }
    }
}
