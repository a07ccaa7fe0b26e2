//! `petrel bench`: end-to-end throughput of `petrel code` (ingest → analysis
//! → coding → SQLite store) on a corpus, through the same streaming engine
//! ([`crate::stream`]), for each thread count asked, with CPU time, peak
//! memory and the load average. A benchmark, not a test: figures go to
//! BENCHMARKS.md.

use crate::commands::pipeline;
use crate::stream::{self, Source};
use crate::ResourceArgs;
use anyhow::{bail, Result};
use clap::Args;
use petrel_doc::{Article, Doc};
use petrel_ingest::{IngestError, IngestOptions, Reader, Summary};
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
    /// Use at most this many articles (per pass).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Read the inputs this many times in one pass, the copies under new ids
    /// (`<id>~1`, `<id>~2`…), to measure memory on a large corpus.
    #[arg(long, default_value_t = 1)]
    pub repeat: usize,
    /// Thread counts to measure (comma-separated; default `1,<all cores>`).
    #[arg(long, value_delimiter = ',')]
    pub threads: Vec<usize>,
    /// What to run: `code` (the whole of `petrel code`'s analysis and coding)
    /// or `nlp` (tokenisation, sentence splitting, tagging, lemmas, parsing).
    #[arg(long, default_value = "code", value_parser = ["code", "nlp"])]
    pub stage: String,
    /// Also store into a fresh temporary SQLite database, as `petrel code` does.
    #[arg(long)]
    pub store: bool,
    /// Articles per chunk (as `petrel code --batch`).
    #[arg(long, default_value_t = 64)]
    pub batch: usize,
    #[command(flatten)]
    pub resources: ResourceArgs,
}

/// Peak resident set size of this process in MiB (Linux `VmHWM`).
pub fn peak_rss_mib() -> Option<f64> {
    status_kib("VmHWM:").map(|kb| kb / 1024.0)
}

fn status_kib(key: &str) -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the peak RSS to the current RSS (Linux `clear_refs` 5); false when
/// that is not possible.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// User + system CPU seconds of this process, all threads (Linux
/// `/proc/self/stat`, at the usual 100 ticks per second).
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = s.get(s.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// The corpus read `rounds` times, copies renamed, at most `limit` articles.
struct Corpus {
    inputs: Vec<PathBuf>,
    opts: IngestOptions,
    rounds: usize,
    round: usize,
    reader: Option<Reader>,
    limit: Option<usize>,
    yielded: usize,
    summary: Summary,
}

impl Corpus {
    fn new(inputs: &[PathBuf], opts: &IngestOptions, rounds: usize, limit: Option<usize>) -> Self {
        Corpus {
            inputs: inputs.to_vec(),
            opts: opts.clone(),
            rounds: rounds.max(1),
            round: 0,
            reader: None,
            limit,
            yielded: 0,
            summary: Summary::default(),
        }
    }
}

impl Iterator for Corpus {
    type Item = Result<Article, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.limit.is_some_and(|l| self.yielded >= l) {
                return None;
            }
            if self.reader.is_none() {
                if self.round >= self.rounds {
                    return None;
                }
                self.round += 1;
                self.reader = Some(petrel_ingest::read(&self.inputs, &self.opts));
            }
            let reader = self.reader.as_mut()?;
            match reader.next() {
                Some(Ok(mut a)) => {
                    if self.round > 1 {
                        a.id = format!("{}~{}", a.id, self.round - 1);
                    }
                    self.yielded += 1;
                    return Some(Ok(a));
                }
                Some(Err(e)) => return Some(Err(e)),
                None => {
                    let s = reader.summary();
                    self.summary.files += s.files;
                    self.summary.read += s.read;
                    self.summary.skipped += s.skipped;
                    self.summary.errors += s.errors;
                    self.summary.lossy += s.lossy;
                    self.reader = None;
                }
            }
        }
    }
}

impl Source for Corpus {
    fn summary(&self) -> Summary {
        self.summary.clone()
    }
    fn progress(&self) -> (u64, u64) {
        let (done, total) = self.reader.as_ref().map_or((0, 0), |r| r.progress());
        let rounds = self.rounds as u64;
        let before = (self.round.max(1) as u64 - 1) * total;
        (before + done, total * rounds)
    }
}

/// One measured pass.
struct Pass {
    threads: usize,
    secs: f64,
    cpu: Option<f64>,
    counts: stream::Counts,
    rss: Option<f64>,
    load: (String, String),
    /// Per worker thread: (seconds on a CPU, seconds runnable but waiting for one).
    workers: Vec<(f64, f64)>,
}

/// This thread's (seconds on a CPU, seconds waiting in the run queue), from
/// Linux `/proc/thread-self/schedstat`.
fn thread_schedstat() -> Option<(f64, f64)> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut f = s.split_whitespace().map(|x| x.parse::<f64>().ok());
    let run = f.next()??;
    let wait = f.next()??;
    Some((run / 1e9, wait / 1e9))
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
    let opts = IngestOptions {
        format,
        ..Default::default()
    };
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
    let nlp_only = args.stage == "nlp";
    let what = match (nlp_only, args.store) {
        (true, _) => "ingest + nlp (tokens, sentences, tags, lemmas, dependencies)",
        (false, false) => "ingest + analysis + actors + events (no store)",
        (false, true) => "ingest + analysis + actors + events + SQLite store (= petrel code)",
    };
    println!(
        "stage: {what}; resources loaded in {load_s:.2} s; {cores} cores; rss after loading {:.0} MiB",
        status_kib("VmRSS:").unwrap_or(0.0) / 1024.0
    );
    let dir = std::env::temp_dir().join(format!("petrel-bench-{}", std::process::id()));
    let mut passes: Vec<Pass> = Vec::new();
    for &n in &threads {
        let corpus = Corpus::new(&inputs, &opts, args.repeat, args.limit);
        let mut store = if args.store {
            std::fs::create_dir_all(&dir)?;
            let db = dir.join(format!("bench-{n}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(dir.join(format!("bench-{n}.db{suffix}")));
            }
            Some(petrel_store::Store::open(&db)?)
        } else {
            None
        };
        let stream_opts = stream::Options {
            threads: Some(n.max(1)),
            batch: args.batch.max(1),
            // Drawn only when stderr is a terminal.
            progress: true,
            ..stream::Options::default()
        };
        let rss_reset = reset_peak_rss();
        let load_before = loadavg();
        let pool = stream::thread_pool(Some(n.max(1)))?;
        let cpu0 = cpu_seconds();
        let t = Instant::now();
        let keep_docs = args.store;
        let outcome = stream::run_in(
            &pool,
            corpus,
            &stream_opts,
            |_| Ok(true),
            |a| {
                if nlp_only {
                    let mut d = Doc::from_article(a);
                    pipeline.analyze(&mut d);
                    d
                } else {
                    pipeline.process(a)
                }
            },
            // Without a store the documents are dropped on the workers.
            |d| keep_docs.then_some(d),
            |docs| {
                if let Some(s) = store.as_mut() {
                    let docs: Vec<Doc> = docs.into_iter().flatten().collect();
                    s.save_batch(&docs)?;
                }
                Ok(())
            },
        )?;
        let secs = t.elapsed().as_secs_f64();
        let cpu = cpu0.and_then(|c0| cpu_seconds().map(|c1| c1 - c0));
        // Each worker's time on a CPU and waiting for one (since the pool started).
        let workers: Vec<(f64, f64)> = pool
            .broadcast(|_| thread_schedstat())
            .into_iter()
            .flatten()
            .collect();
        drop(pool);
        drop(store);
        if outcome.counts.articles == 0 {
            bail!("no articles read from {:?}", inputs);
        }
        passes.push(Pass {
            threads: outcome.threads,
            secs,
            cpu,
            counts: outcome.counts,
            rss: if rss_reset || passes.is_empty() {
                peak_rss_mib()
            } else {
                None
            },
            load: (load_before, loadavg()),
            workers,
        });
        if let Some(p) = passes.last() {
            if passes.len() == 1 {
                println!(
                    "corpus: {} articles, {:.1} MB, {} sentences, {} tokens, {} events",
                    p.counts.articles,
                    p.counts.bytes as f64 / 1e6,
                    p.counts.sentences,
                    p.counts.tokens,
                    p.counts.events
                );
                println!(
                    "| threads | seconds | articles/s | sentences/s | tokens/s | sentences/s per thread | CPU s | sentences/CPU-s | speedup | workers: CPU s / waiting for a CPU s / idle % | idle-machine estimate s | peak RSS MiB | load 1 min (start–end) |"
                );
                println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|");
            }
            print_pass(p, passes.first().map(|b| b.secs));
        }
    }
    if args.store {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let first = passes.first().map(|p| p.counts);
    if passes.iter().any(|p| Some(p.counts) != first) {
        bail!("the passes disagree on the counts: results depend on the thread count");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_pass(p: &Pass, base_secs: Option<f64>) {
    let c = &p.counts;
    let per = |x: u64| x as f64 / p.secs;
    let cpu = p.cpu.map_or("?".into(), |c| format!("{c:.1}"));
    let per_cpu = p
        .cpu
        .filter(|&c| c > 0.0)
        .map_or("?".into(), |cpu| format!("{:.0}", c.sentences as f64 / cpu));
    let speedup = base_secs.map_or(1.0, |b| b / p.secs);
    let rss = p.rss.map_or("?".into(), |r| format!("{r:.0}"));
    // Idle: neither running nor runnable (starved of work or blocked).
    let run: f64 = p.workers.iter().map(|w| w.0).sum();
    let wait: f64 = p.workers.iter().map(|w| w.1).sum();
    let idle: f64 = p
        .workers
        .iter()
        .map(|w| (p.secs - w.0 - w.1).max(0.0))
        .sum();
    let workers = if p.workers.is_empty() {
        "?".to_string()
    } else {
        format!(
            "{run:.1} / {wait:.1} / {:.1} % (other threads: {} CPU s)",
            100.0 * idle / (p.secs * p.workers.len() as f64),
            p.cpu
                .map_or("?".into(), |c| format!("{:.1}", (c - run).max(0.0)))
        )
    };
    // With a free core per worker the run-queue wait disappears: the pass
    // would last about as long as its busiest worker's CPU time plus its idle time.
    let estimate = p
        .workers
        .iter()
        .map(|w| w.0 + (p.secs - w.0 - w.1).max(0.0))
        .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))))
        .map_or("?".into(), |e| format!("{e:.2}"));
    println!(
        "| {} | {:.2} | {:.1} | {:.0} | {:.0} | {:.0} | {} | {} | {:.2}x | {} | {} | {} | {}–{} |",
        p.threads,
        p.secs,
        per(c.articles),
        per(c.sentences),
        per(c.tokens),
        per(c.sentences) / p.threads as f64,
        cpu,
        per_cpu,
        speedup,
        workers,
        estimate,
        rss,
        p.load.0,
        p.load.1
    );
}
