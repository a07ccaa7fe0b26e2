//! Training from UD treebanks and evaluation on CoNLL-U files.

use crate::clusters::{self, ClusterConfig, Clusters};
use crate::data::{load, load_list, read_conllu, GoldSentence};
use crate::parser::{self, ParserExample, ParserTrainConfig};
use crate::tagger::{self, TaggerTrainConfig};
use crate::{Error, Nlp, Result, CLUSTERS_FILE, PARSER_FILE, TAGGER_FILE};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Training settings. The defaults rebuild the shipped models.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Maximum tagger epochs (the best on dev is kept).
    pub tagger_epochs: usize,
    /// Maximum parser epochs (the best dev LAS is kept).
    pub parser_epochs: usize,
    /// Seed of every shuffle and exploration decision.
    pub seed: u64,
    /// Add the GUM training documents (if `ud-english-gum` is beside EWT).
    pub use_gum: bool,
    /// Probability of following a wrong parser prediction while training
    /// (greedy training only; from the second epoch). Default 1.0: the
    /// two-seed ensemble scores higher on EWT dev than with 0.9 although
    /// each member scores lower (see `models/en_parser.md`).
    pub explore: f64,
    /// Parser beam width: 1 = greedy parser trained with the dynamic
    /// oracle; k ≥ 2 = global training with max-violation updates and beam
    /// search of width k at parse time.
    pub parser_beam: usize,
    /// Parse-time search of the written parser, with the temperature of the
    /// scores it compares (> 0: sums of log-softmax(score / temperature);
    /// 0: sums of raw scores). `None`: greedy, or for beam training
    /// (`parser_beam` ≥ 2) a raw-score beam of that width. Default: beam
    /// of 4 with margin 2 over locally normalised scores at temperature 30
    /// (see `models/en_parser.md`).
    pub parser_search: Option<(ParserSearch, f32)>,
    /// With `k` ≥ 2: tag the training set with `k` jackknifed first-pass
    /// taggers, train a second tagger pass on those tags (it sees predicted
    /// tags on both sides), and train the parser on them. `0`/`1`: one
    /// tagger pass, parser on gold tags.
    pub jackknife: usize,
    /// Weights of smaller magnitude are dropped from the tagger / parser.
    pub prune_tagger: f32,
    pub prune_parser: f32,
    /// Report dev scores at these pruning thresholds (model-size tuning).
    pub prune_sweep: Vec<f32>,
    /// Unlabelled corpora (folders of `.txt`, `.jsonl` files with `title`
    /// and `body`) to induce word clusters from, besides the treebank
    /// training text. `None`: the `corpora/reuters21578` and
    /// `corpora/bbc2225` folders two levels above the EWT folder, if present
    /// (the layout of Petrel's shared data).
    pub corpora: Option<Vec<PathBuf>>,
    /// Fine and coarse cluster counts (0 fine clusters: no clusters).
    pub clusters: (usize, usize),
    /// Parser training visits the EWT (target-domain) sentences this many
    /// times an epoch, GUM's once.
    pub parser_home_repeat: usize,
    /// Epochs of the parser's second-stage arc labeller (0: none).
    pub parser_labeller_epochs: usize,
    /// (folds, epochs of each fold's parser) of the stacked labeller;
    /// fewer than 2 folds: labeller trained on gold trees.
    pub parser_labeller_folds: (usize, usize),
    /// Parser-only runs with 0 parser epochs: average the weights of the
    /// parsers in these directories into the reused one (an ensemble).
    pub parser_mix: Vec<PathBuf>,
    /// Seeds (as `seed`) of further parsers, trained like the first, whose
    /// weights are averaged with its (a linear ensemble; empty: one parser).
    /// Default: one more, seed 7 (see `models/en_parser.md`).
    pub parser_ensemble: Vec<u64>,
    /// Weights of the ensemble's mean (and of a `parser_mix`) below this
    /// magnitude are dropped. Default 0: all kept (the members are already
    /// pruned at `prune_parser`; see `models/en_parser.md`).
    pub parser_ensemble_prune: f32,
    /// Print progress to stderr.
    pub verbose: bool,
    /// Write the parser's training tags (jackknifed tagger output) to this
    /// file, one `XPOS\tUPOS` line per word, a blank line after each
    /// sentence; with `parser_only` they are read from it instead.
    pub tags_cache: Option<PathBuf>,
    /// Parser experiments: take `en_tagger.bin` and `en_clusters.bin` from
    /// this directory, the training tags from `tags_cache`, and train only
    /// the parser (all three files are written to the output directory).
    pub parser_only: Option<PathBuf>,
    /// Tagger experiments: take `en_clusters.bin` from this directory,
    /// train only the tagger (dev UPOS/XPOS logged per epoch) and write
    /// `en_tagger.bin` and `en_clusters.bin` to the output directory.
    pub tagger_only: Option<PathBuf>,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            tagger_epochs: 12,
            parser_epochs: 12,
            seed: 20_260_101,
            use_gum: true,
            explore: 1.0,
            parser_beam: 1,
            parser_search: Some((ParserSearch::Beam { k: 4, margin: 2.0 }, 30.0)),
            jackknife: 4,
            prune_tagger: 0.5,
            prune_parser: 1.0,
            prune_sweep: Vec::new(),
            corpora: None,
            clusters: (512, 48),
            parser_home_repeat: 1,
            parser_labeller_epochs: 0,
            parser_labeller_folds: (0, 1),
            parser_mix: Vec::new(),
            parser_ensemble: vec![7],
            parser_ensemble_prune: 0.0,
            verbose: false,
            tags_cache: None,
            parser_only: None,
            tagger_only: None,
        }
    }
}

/// How the parser searches at parse time (written into `en_parser.bin`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParserSearch {
    /// Best transition at every step.
    Greedy,
    /// Beam of `k` sequences, those scored more than `margin` below the
    /// best dropped (0: none dropped).
    Beam { k: usize, margin: f32 },
    /// Selectional branching: a greedy pass, then greedy passes from at most
    /// `k - 1` transitions scored within `margin` of the best.
    Branch { k: usize, margin: f32 },
}

impl ParserSearch {
    /// Reads `greedy`, `beam:K[:MARGIN]` (margin 0 when absent) or
    /// `branch:K:MARGIN`; `None` for anything else.
    pub fn parse(spec: &str) -> Option<ParserSearch> {
        let parts: Vec<&str> = spec.split(':').collect();
        let n = |k: usize| parts.get(k).and_then(|x| x.parse::<f64>().ok());
        match (parts.first().copied(), n(1), n(2)) {
            (Some("greedy"), _, _) => Some(ParserSearch::Greedy),
            (Some("beam"), Some(k), m) => Some(ParserSearch::Beam {
                k: k as usize,
                margin: m.unwrap_or(0.0) as f32,
            }),
            (Some("branch"), Some(k), Some(m)) => Some(ParserSearch::Branch {
                k: k as usize,
                margin: m as f32,
            }),
            _ => None,
        }
    }

    pub(crate) fn to_search(self) -> parser::Search {
        match self {
            ParserSearch::Greedy => parser::Search::Greedy,
            ParserSearch::Beam { k, margin } => parser::Search::Beam { k, margin },
            ParserSearch::Branch { k, margin } => parser::Search::Branch { k, margin },
        }
    }
}

/// What training did and how well the result scores on EWT dev.
#[derive(Debug, Clone)]
pub struct TrainReport {
    pub train_sentences: usize,
    pub train_words: usize,
    /// Dev accuracy (UPOS and XPOS both right) after each tagger epoch.
    pub tagger_curve: Vec<f64>,
    /// Dev (UAS, LAS) after each parser epoch.
    pub parser_curve: Vec<(f64, f64)>,
    /// Scores of the written models on EWT dev.
    pub dev: Scores,
    pub tagger_features: usize,
    pub parser_features: usize,
    pub seconds: f64,
    /// Progress lines (also printed when `verbose`).
    pub log: Vec<String>,
}

/// Accuracy figures over all words (punctuation included), as fractions.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub sentences: usize,
    pub words: usize,
    pub upos: f64,
    pub xpos: f64,
    pub lemma: f64,
    pub uas: f64,
    /// Head and full relation (with subtype, `nmod:poss`) right.
    pub las: f64,
    /// Head and universal relation (subtype ignored) right: CoNLL 2018 LAS.
    pub las_universal: f64,
    /// Words per second of tagging + parsing + lemmatising (one thread).
    pub words_per_second: f64,
}

/// Train tagger and parser from a UD English EWT folder
/// (`file-lists/files.train`, `sources/`, `en_ewt-ud-dev.conllu`), write
/// `en_tagger.bin` and `en_parser.bin` into `out_dir`, and score them on dev.
///
/// Only train documents are trained on; dev picks the epochs. With
/// `use_gum`, the GUM train documents are read from the sibling
/// `ud-english-gum` folder when it exists.
pub fn train(treebank_root: &Path, out_dir: &Path, opts: &TrainOptions) -> Result<TrainReport> {
    let t0 = Instant::now();
    let mut lines: Vec<String> = Vec::new();
    let verbose = opts.verbose;
    let mut log = |s: &str| {
        if verbose {
            eprintln!("[{:7.1}s] {s}", t0.elapsed().as_secs_f64());
        }
        lines.push(s.to_string());
    };
    let (mut train_set, missing) = load_list(
        &treebank_root.join("file-lists/files.train"),
        &treebank_root.join("sources"),
    )?;
    if !missing.is_empty() {
        log(&format!(
            "EWT: {} listed train documents missing (first: {})",
            missing.len(),
            missing[0]
        ));
    }
    log(&format!("EWT train: {} sentences", train_set.len()));
    // The tagger's target domain: EWT's sentences come first.
    let ewt_sentences = train_set.len();
    if opts.use_gum {
        if let Some(parent) = treebank_root.parent() {
            let gum = parent.join("ud-english-gum");
            if gum.join("file-lists/files.train").exists() {
                let (g, missing) =
                    load_list(&gum.join("file-lists/files.train"), &gum.join("sources"))?;
                log(&format!(
                    "GUM train: {} sentences ({} listed documents absent)",
                    g.len(),
                    missing.len()
                ));
                train_set.extend(g);
            } else {
                log("GUM not found beside EWT; training on EWT only");
            }
        }
    }
    if train_set.is_empty() {
        return Err(Error::Data(format!(
            "no training sentences under {}",
            treebank_root.display()
        )));
    }
    let dev_path = treebank_root.join("en_ewt-ud-dev.conllu");
    let dev = load(&dev_path)?;
    let train_words: usize = train_set.iter().map(GoldSentence::len).sum();

    let mut reused = match &opts.parser_only {
        Some(dir) => Some(load_reused(dir)?),
        None => None,
    };
    let clusters = if let Some(r) = reused.as_mut() {
        std::mem::take(&mut r.1)
    } else if let Some(dir) = &opts.tagger_only {
        let p = dir.join(CLUSTERS_FILE);
        let bytes = std::fs::read(&p).map_err(|e| Error::Io(format!("{}: {e}", p.display())))?;
        Clusters::read(&bytes, CLUSTERS_FILE)?
    } else if opts.clusters.0 == 0 {
        Clusters::default()
    } else {
        let paths = match &opts.corpora {
            Some(p) => p.clone(),
            None => {
                let base = treebank_root.join("../../corpora");
                ["reuters21578", "bbc2225"]
                    .iter()
                    .map(|c| base.join(c))
                    .filter(|p| p.exists())
                    .collect()
            }
        };
        let mut texts = Vec::new();
        for p in &paths {
            clusters::corpus_texts(p, &mut texts)?;
        }
        log(&format!(
            "clusters: {} texts from {} corpus folders",
            texts.len(),
            paths.len()
        ));
        let mut docs = clusters::tokenise_texts(&texts);
        docs.extend(train_set.iter().map(|s| {
            s.words
                .iter()
                .map(|w| crate::tagger::normalise(w))
                .collect()
        }));
        let cfg = ClusterConfig {
            fine: opts.clusters.0,
            coarse: opts.clusters.1.max(1),
            min_count: 3,
            max_vocab: 60_000,
            contexts: 500,
            iterations: 12,
            seed: opts.seed ^ 0xc1,
        };
        let c = clusters::induce(&docs, &cfg, &mut log);
        log(&format!("clusters: {} words clustered", c.len()));
        c
    };

    let (tagger, tagger_curve, train_tags) = match reused {
        Some((tagger, _)) => {
            let Some(path) = &opts.tags_cache else {
                return Err(Error::Data(
                    "parser-only training needs a tags cache file".into(),
                ));
            };
            let tags = read_tags(path, &train_set)?;
            log(&format!(
                "parser only: training tags from {}",
                path.display()
            ));
            (tagger, Vec::new(), tags)
        }
        None => {
            let tcfg = TaggerTrainConfig {
                epochs: opts.tagger_epochs.max(1),
                seed: opts.seed,
                prune: opts.prune_tagger,
                prune_sweep: opts.prune_sweep.clone(),
                jackknife: opts.jackknife,
                home_sentences: ewt_sentences,
            };
            let tt = tagger::train(&train_set, &dev, &clusters, &tcfg, &mut log)?;
            let tagger = tt.tagger;
            let tagger_curve = tt.curve;
            if opts.tagger_only.is_some() {
                return tagger_only_report(
                    tagger,
                    tagger_curve,
                    &clusters,
                    &dev,
                    out_dir,
                    (train_set.len(), train_words),
                    t0,
                    &mut log,
                )
                .map(|mut r| {
                    r.log = lines;
                    r
                });
            }

            // Tags the parser trains on: jackknifed first-pass tags, every
            // sentence tagged as the target domain (as at run time), or gold.
            let train_tags: Vec<(Vec<String>, Vec<String>)> = train_set
                .iter()
                .enumerate()
                .map(|(i, s)| match tt.jackknifed_home.get(i) {
                    Some(cl) if cl.len() == s.len() => (
                        cl.iter().map(|&c| tagger.xpos(c).to_string()).collect(),
                        cl.iter()
                            .map(|&c| tagger.upos(c).as_str().to_string())
                            .collect(),
                    ),
                    _ => (s.xpos.clone(), s.upos.clone()),
                })
                .collect();
            if let Some(path) = &opts.tags_cache {
                write_tags(path, &train_tags)?;
            }
            (tagger, tagger_curve, train_tags)
        }
    };
    // NER trains on the same jackknifed tags (the tagger has seen the GUM
    // training documents, so its own tags there are too clean).
    let mut ner_tags = crate::ner::TrainTags::default();
    for (g, (x, u)) in train_set.iter().zip(&train_tags) {
        ner_tags.insert(&g.words, x, u);
    }
    let train_ex: Vec<ParserExample> = train_set
        .iter()
        .zip(train_tags)
        .map(|(g, (x, u))| ParserExample {
            gold: g,
            xpos: x,
            upos: u,
        })
        .collect();
    let dev_ex: Vec<ParserExample> = dev
        .iter()
        .map(|g| {
            let words: Vec<&str> = g.words.iter().map(String::as_str).collect();
            let cl = tagger.tag(&words, &clusters);
            ParserExample {
                gold: g,
                xpos: cl.iter().map(|&c| tagger.xpos(c).to_string()).collect(),
                upos: cl
                    .iter()
                    .map(|&c| tagger.upos(c).as_str().to_string())
                    .collect(),
            }
        })
        .collect();
    let pcfg = ParserTrainConfig {
        epochs: opts.parser_epochs.max(1),
        seed: opts.seed ^ 0x5041,
        explore: opts.explore,
        prune: opts.prune_parser,
        prune_sweep: opts.prune_sweep.clone(),
        beam: opts.parser_beam,
        search: opts.parser_search.map(|(s, t)| (s.to_search(), t)),
        search_report: true,
        home: ewt_sentences,
        home_repeat: opts.parser_home_repeat,
        labeller_epochs: opts.parser_labeller_epochs,
        labeller_folds: opts.parser_labeller_folds.0,
        labeller_fold_epochs: opts.parser_labeller_folds.1,
    };
    // `--parser-only DIR` with 0 parser epochs: keep DIR's parser, retrain
    // only its labeller.
    let (parser, parser_curve) = match (&opts.parser_only, opts.parser_epochs) {
        (Some(dir), 0) => {
            let p = dir.join(PARSER_FILE);
            let bytes =
                std::fs::read(&p).map_err(|e| Error::Io(format!("{}: {e}", p.display())))?;
            let mut parser = parser::Parser::read(&bytes, PARSER_FILE)?;
            let mut others = Vec::new();
            for d in &opts.parser_mix {
                let p = d.join(PARSER_FILE);
                let b =
                    std::fs::read(&p).map_err(|e| Error::Io(format!("{}: {e}", p.display())))?;
                others.push(parser::Parser::read(&b, PARSER_FILE)?);
            }
            if !others.is_empty() {
                parser::average_parsers(&mut parser, &others, opts.parser_ensemble_prune)?;
            }
            if opts.parser_labeller_epochs > 0 {
                parser::train_labeller(
                    &mut parser,
                    &train_ex,
                    &dev_ex,
                    &clusters,
                    &pcfg,
                    &mut log,
                )?;
            }
            (parser, Vec::new())
        }
        _ => parser::train_ensemble(
            &train_ex,
            &dev_ex,
            &clusters,
            &pcfg,
            &opts
                .parser_ensemble
                .iter()
                .map(|s| s ^ 0x5041)
                .collect::<Vec<_>>(),
            opts.parser_ensemble_prune,
            &mut log,
        )?,
    };

    std::fs::create_dir_all(out_dir)
        .map_err(|e| Error::Io(format!("{}: {e}", out_dir.display())))?;
    let tb = tagger.write();
    let pb = parser.write();
    let cb = clusters.write();
    for (name, bytes) in [(TAGGER_FILE, &tb), (PARSER_FILE, &pb), (CLUSTERS_FILE, &cb)] {
        let p = out_dir.join(name);
        std::fs::write(&p, bytes).map_err(|e| Error::Io(format!("{}: {e}", p.display())))?;
    }
    let tagger_features = tagger.feature_count();
    let parser_features = parser.feature_count();
    let nlp = Nlp::from_bytes(&tb, &pb, &cb)?;
    let dev_scores = evaluate(&nlp, &dev_path)?;
    log(&format!(
        "dev: UPOS {:.2} XPOS {:.2} UAS {:.2} LAS {:.2}; models {} + {} + {} bytes",
        100.0 * dev_scores.upos,
        100.0 * dev_scores.xpos,
        100.0 * dev_scores.uas,
        100.0 * dev_scores.las,
        tb.len(),
        pb.len(),
        cb.len()
    ));
    let ner_tags = (opts.jackknife >= 2).then_some(ner_tags);
    crate::ner::train_beside(
        treebank_root,
        out_dir,
        &nlp,
        opts.seed,
        ner_tags,
        verbose,
        &mut log,
    )?;
    Ok(TrainReport {
        train_sentences: train_set.len(),
        train_words,
        tagger_curve,
        parser_curve,
        dev: dev_scores,
        tagger_features,
        parser_features,
        seconds: t0.elapsed().as_secs_f64(),
        log: lines,
    })
}

/// Write the tagger (and the clusters it was trained with) and report its
/// dev UPOS/XPOS; parser scores are left at zero.
#[allow(clippy::too_many_arguments)]
fn tagger_only_report(
    tagger: tagger::Tagger,
    tagger_curve: Vec<f64>,
    clusters: &Clusters,
    dev: &[GoldSentence],
    out_dir: &Path,
    (train_sentences, train_words): (usize, usize),
    t0: Instant,
    log: &mut dyn FnMut(&str),
) -> Result<TrainReport> {
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Error::Io(format!("{}: {e}", out_dir.display())))?;
    for (name, bytes) in [
        (TAGGER_FILE, tagger.write()),
        (CLUSTERS_FILE, clusters.write()),
    ] {
        let p = out_dir.join(name);
        std::fs::write(&p, bytes).map_err(|e| Error::Io(format!("{}: {e}", p.display())))?;
    }
    let (mut words, mut upos, mut xpos) = (0usize, 0usize, 0usize);
    for s in dev {
        let w: Vec<&str> = s.words.iter().map(String::as_str).collect();
        for (i, c) in tagger.tag(&w, clusters).into_iter().enumerate() {
            words += 1;
            upos += s.upos.get(i).is_some_and(|g| g == tagger.upos(c).as_str()) as usize;
            xpos += s.xpos.get(i).is_some_and(|g| g == tagger.xpos(c)) as usize;
        }
    }
    let n = words.max(1) as f64;
    let dev_scores = Scores {
        sentences: dev.len(),
        words,
        upos: upos as f64 / n,
        xpos: xpos as f64 / n,
        ..Scores::default()
    };
    log(&format!(
        "tagger only: dev UPOS {:.2} XPOS {:.2} ({} features)",
        100.0 * dev_scores.upos,
        100.0 * dev_scores.xpos,
        tagger.feature_count()
    ));
    Ok(TrainReport {
        train_sentences,
        train_words,
        tagger_curve,
        parser_curve: Vec::new(),
        dev: dev_scores,
        tagger_features: tagger.feature_count(),
        parser_features: 0,
        seconds: t0.elapsed().as_secs_f64(),
        log: Vec::new(),
    })
}

/// The tagger and clusters of an existing model directory.
fn load_reused(dir: &Path) -> Result<(tagger::Tagger, Clusters)> {
    let read = |f: &str| {
        let p = dir.join(f);
        std::fs::read(&p).map_err(|e| Error::Io(format!("{}: {e}", p.display())))
    };
    let t = tagger::Tagger::read(&read(TAGGER_FILE)?, TAGGER_FILE)?;
    let c = Clusters::read(&read(CLUSTERS_FILE)?, CLUSTERS_FILE)?;
    Ok((t, c))
}

/// Write per-sentence (XPOS, UPOS) tags: `XPOS\tUPOS` lines, a blank line
/// after each sentence.
fn write_tags(path: &Path, tags: &[(Vec<String>, Vec<String>)]) -> Result<()> {
    let mut out = String::new();
    for (x, u) in tags {
        for (x, u) in x.iter().zip(u) {
            out.push_str(x);
            out.push('\t');
            out.push_str(u);
            out.push('\n');
        }
        out.push('\n');
    }
    std::fs::write(path, out).map_err(|e| Error::Io(format!("{}: {e}", path.display())))
}

/// Read tags written by [`write_tags`]; they must match `sents` in number
/// and length.
fn read_tags(path: &Path, sents: &[GoldSentence]) -> Result<Vec<(Vec<String>, Vec<String>)>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    let mut tags = Vec::with_capacity(sents.len());
    let (mut x, mut u) = (Vec::new(), Vec::new());
    for (no, line) in text.lines().enumerate() {
        if line.is_empty() {
            tags.push((std::mem::take(&mut x), std::mem::take(&mut u)));
            continue;
        }
        let Some((a, b)) = line.split_once('\t') else {
            return Err(Error::Data(format!(
                "{}:{}: expected XPOS<TAB>UPOS",
                path.display(),
                no + 1
            )));
        };
        x.push(a.to_string());
        u.push(b.to_string());
    }
    let lengths_match =
        tags.len() == sents.len() && tags.iter().zip(sents).all(|(t, s)| t.0.len() == s.len());
    if !lengths_match {
        return Err(Error::Data(format!(
            "{}: tags do not match the training sentences",
            path.display()
        )));
    }
    Ok(tags)
}

/// Score `nlp` on a CoNLL-U file with gold tokenisation (tags predicted).
pub fn evaluate(nlp: &Nlp, conllu_path: &Path) -> Result<Scores> {
    let sents = read_conllu(conllu_path)?;
    let mut s = Scores::default();
    let (mut upos, mut xpos, mut lemma, mut uas, mut las, mut lasu) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    let mut secs = 0.0;
    for sent in &sents {
        let words: Vec<&str> = sent.words.iter().map(|w| w.form.as_str()).collect();
        if words.is_empty() {
            continue;
        }
        let t = Instant::now();
        let a = nlp.annotate_words(&words);
        secs += t.elapsed().as_secs_f64();
        s.sentences += 1;
        for (w, r) in sent.words.iter().zip(&a) {
            s.words += 1;
            upos += (r.upos.as_str() == w.upos) as usize;
            xpos += (r.xpos == w.xpos) as usize;
            lemma += (r.lemma == w.lemma) as usize;
            let h = r.head.map_or(0, |h| h as u32 + 1);
            if Some(h) == w.head {
                uas += 1;
                las += (r.deprel == w.deprel) as usize;
                let univ = |l: &str| l.split(':').next().unwrap_or("").to_string();
                lasu += (univ(&r.deprel) == univ(&w.deprel)) as usize;
            }
        }
    }
    let n = s.words.max(1) as f64;
    s.upos = upos as f64 / n;
    s.xpos = xpos as f64 / n;
    s.lemma = lemma as f64 / n;
    s.uas = uas as f64 / n;
    s.las = las as f64 / n;
    s.las_universal = lasu as f64 / n;
    s.words_per_second = if secs > 0.0 {
        s.words as f64 / secs
    } else {
        0.0
    };
    Ok(s)
}

#[cfg(test)]
mod tags_cache_tests {
    use super::*;

    fn sent(words: &[&str]) -> GoldSentence {
        GoldSentence {
            words: words.iter().map(|s| s.to_string()).collect(),
            ..GoldSentence::default()
        }
    }

    #[test]
    fn tags_cache_round_trips_and_checks_lengths() {
        let dir = std::env::temp_dir().join(format!("petrel-tags-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("tags.tsv");
        let tags = vec![
            (
                vec!["NNS".to_string(), "VBP".into()],
                vec!["NOUN".to_string(), "VERB".into()],
            ),
            (vec![".".to_string()], vec!["PUNCT".to_string()]),
        ];
        write_tags(&path, &tags).expect("writes");
        let sents = [sent(&["dogs", "bark"]), sent(&["."])];
        assert_eq!(read_tags(&path, &sents).expect("reads"), tags);
        // Another sentence count or length is refused.
        assert!(read_tags(&path, &sents[..1]).is_err());
        assert!(read_tags(&path, &[sent(&["dogs"]), sent(&["."])]).is_err());
        std::fs::write(&path, "NNS NOUN\n\n").expect("writes");
        assert!(read_tags(&path, &sents[1..]).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
