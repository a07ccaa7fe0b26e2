//! `petrel bench`: end-to-end throughput of `petrel code`'s work (ingest →
//! analysis → coding) on a corpus, on one thread and on all threads, with peak
//! memory. A benchmark, not a test: figures go to BENCHMARKS.md.

use crate::commands::pipeline;
use crate::ResourceArgs;
use anyhow::{bail, Result};
use clap::Args;
use petrel_doc::Article;
use rayon::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Corpus files or folders (default: the Reuters-21578 JSONL in ../shared/data).
    pub inputs: Vec<PathBuf>,
    /// Input format (the default corpus is read as `reuters`).
    #[arg(long = "input", default_value = "auto")]
    pub format: petrel_ingest::Format,
    /// Use at most this many articles.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Thread counts to measure (comma-separated; default `1,<all cores>`).
    #[arg(long, value_delimiter = ',')]
    pub threads: Vec<usize>,
    /// What to run: `code` (the whole of `petrel code`'s analysis and coding)
    /// or `nlp` (tokenisation, sentence splitting, tagging, lemmas, parsing).
    #[arg(long, default_value = "code", value_parser = ["code", "nlp"])]
    pub stage: String,
    /// Also store into a temporary SQLite database, as `petrel code` does.
    #[arg(long)]
    pub store: bool,
    #[command(flatten)]
    pub resources: ResourceArgs,
}

/// Peak resident set size of this process in MiB (Linux `VmHWM`).
pub fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let (inputs, format) = if args.inputs.is_empty() {
        // The corpus files only (the folder also holds README.txt and SOURCE.txt).
        let dir = PathBuf::from("../shared/data/corpora/reuters21578");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| anyhow::anyhow!("{}: {e} (pass corpus files explicitly)", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        (files, petrel_ingest::Format::Reuters)
    } else {
        (args.inputs.clone(), args.format)
    };
    let opts = petrel_ingest::IngestOptions {
        format,
        ..Default::default()
    };
    let t_read = Instant::now();
    let mut articles: Vec<Article> = Vec::new();
    for a in petrel_ingest::read(&inputs, &opts) {
        match a {
            Ok(a) if !a.text.trim().is_empty() => articles.push(a),
            Ok(_) => {}
            Err(e) => eprintln!("petrel: {e}"),
        }
        if args.limit.is_some_and(|l| articles.len() >= l) {
            break;
        }
    }
    if articles.is_empty() {
        bail!("no articles read from {:?}", inputs);
    }
    let read_s = t_read.elapsed().as_secs_f64();
    let t_load = Instant::now();
    let pipeline = pipeline(&args.resources)?;
    let load_s = t_load.elapsed().as_secs_f64();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let threads = if args.threads.is_empty() {
        vec![1, cores]
    } else {
        args.threads.clone()
    };
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    println!(
        "corpus: {} articles, {:.1} MB (read in {:.2} s); resources loaded in {:.2} s; {} cores",
        articles.len(),
        bytes as f64 / 1e6,
        read_s,
        load_s,
        cores
    );
    println!(
        "{:>7}  {:>9}  {:>11}  {:>12}  {:>11}  {:>9}  {:>8}",
        "threads", "seconds", "articles/s", "sentences/s", "tokens/s", "events", "speedup"
    );
    let nlp_only = args.stage == "nlp";
    println!(
        "stage: {}",
        if nlp_only {
            "nlp (tokens, sentences, tags, lemmas, dependencies)"
        } else {
            "code (analysis, actors, events)"
        }
    );
    let mut base = None;
    for &n in &threads {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()?;
        let work = articles.clone();
        let t = Instant::now();
        let counts: Vec<(usize, usize, usize)> = pool.install(|| {
            work.into_par_iter()
                .map(|a| {
                    let d = if nlp_only {
                        let mut d = petrel_doc::Doc::from_article(a);
                        pipeline.analyze(&mut d);
                        d
                    } else {
                        pipeline.process(a)
                    };
                    (d.sentences.len(), d.tokens.len(), d.events.len())
                })
                .collect()
        });
        let secs = t.elapsed().as_secs_f64();
        let (s, tk, ev) = counts
            .iter()
            .fold((0, 0, 0), |acc, c| (acc.0 + c.0, acc.1 + c.1, acc.2 + c.2));
        let aps = articles.len() as f64 / secs;
        let speedup = base.map(|b: f64| aps / b).unwrap_or(1.0);
        base.get_or_insert(aps);
        println!(
            "{:>7}  {:>9.2}  {:>11.1}  {:>12.0}  {:>11.0}  {:>9}  {:>7.2}x",
            n,
            secs,
            aps,
            s as f64 / secs,
            tk as f64 / secs,
            ev,
            speedup
        );
    }
    if args.store {
        let dir = std::env::temp_dir().join(format!("petrel-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let db = dir.join("bench.db");
        let t = Instant::now();
        let docs: Vec<_> = articles
            .clone()
            .into_par_iter()
            .map(|a| pipeline.process(a))
            .collect();
        let mut store = petrel_store::Store::open(&db)?;
        for chunk in docs.chunks(256) {
            store.save_batch(chunk)?;
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "with SQLite store ({cores} threads): {:.2} s, {:.1} articles/s",
            secs,
            articles.len() as f64 / secs
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
    if let Some(rss) = peak_rss_mib() {
        println!("peak RSS: {rss:.0} MiB (includes the whole corpus held in memory for timing)");
    }
    Ok(ExitCode::SUCCESS)
}
