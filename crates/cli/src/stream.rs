//! The streaming engine behind `petrel code`, `annotate` and `bench`.
//!
//! ```text
//!  reader thread ──chunks──► dispatcher ──jobs──► rayon pool ──results──► caller's thread
//!  (ingest, resume           (one job per chunk,   (analysis, coding,      (reorders by chunk
//!   filter, chunking)         at most K in flight)   the caller's `map`)     number; store, output)
//! ```
//!
//! * **Bounded memory.** Articles travel in chunks of at most `batch`
//!   articles and `batch_bytes` bytes of text. At most `K` chunks
//!   (`2 × threads + 2`) are between the reader and the caller's `work`
//!   (queued, being analysed or waiting for their turn): a chunk's slot is
//!   given back only once `work` has taken it. Memory therefore depends on
//!   the chunk size and the thread count, never on the corpus size.
//! * **Order.** `work` sees the chunks in input order, whatever the thread
//!   count, so the output is byte-identical with 1 or N threads.
//! * **Overlap.** Reading, analysis and the caller's writes (SQLite, output)
//!   run on different threads at the same time.
//! * **Errors.** An error from `work` or the resume filter stops the reader
//!   and the dispatcher; chunks already handed to `work` stay done (each is
//!   one transaction in `petrel code`), so a later run can resume.

use anyhow::{anyhow, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use petrel_doc::{Article, Doc};
use petrel_ingest::{IngestError, Summary};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A stream of articles with its counts; [`petrel_ingest::Reader`] is one.
pub trait Source: Iterator<Item = Result<Article, IngestError>> + Send {
    /// Records read and skipped so far.
    fn summary(&self) -> Summary;
    /// `(bytes consumed, bytes in all)` of the input, for the ETA; a total of
    /// 0 means unknown (stdin, or a reader that does not tell).
    fn progress(&self) -> (u64, u64) {
        (0, 0)
    }
}

impl Source for petrel_ingest::Reader {
    fn summary(&self) -> Summary {
        petrel_ingest::Reader::summary(self).clone()
    }
    fn progress(&self) -> (u64, u64) {
        petrel_ingest::Reader::progress(self)
    }
}

/// How a stream runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads (None: all cores).
    pub threads: Option<usize>,
    /// At most this many articles per chunk (the unit of work and of commit).
    pub batch: usize,
    /// At most this many bytes of text per chunk (a chunk holds at least one article).
    pub batch_bytes: usize,
    /// Stop at the first malformed record (`--on-error reject`).
    pub reject: bool,
    /// Draw a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: None,
            batch: 64,
            batch_bytes: 1 << 20,
            reject: false,
            progress: false,
        }
    }
}

/// What was analysed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub articles: u64,
    /// Bytes of article text analysed.
    pub bytes: u64,
    pub sentences: u64,
    pub tokens: u64,
    pub events: u64,
    /// Articles the `keep` filter passed over (already coded, on resume).
    pub passed_over: u64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.articles += o.articles;
        self.bytes += o.bytes;
        self.sentences += o.sentences;
        self.tokens += o.tokens;
        self.events += o.events;
        self.passed_over += o.passed_over;
    }
}

/// The result of [`run`].
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The source's final summary.
    pub summary: Summary,
    /// Whether reading stopped at a malformed record (`reject`).
    pub rejected: bool,
    pub counts: Counts,
    /// Threads of the analysis pool.
    pub threads: usize,
}

/// Builds the analysis pool (`None`: one thread per core).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("petrel-worker-{i}"));
    if let Some(n) = threads {
        b = b.num_threads(n.max(1));
    }
    Ok(b.build()?)
}

struct Chunk {
    seq: u64,
    articles: Vec<Article>,
    passed_over: u64,
    progress: (u64, u64),
}

struct Done<T> {
    seq: u64,
    items: Vec<T>,
    counts: Counts,
    progress: (u64, u64),
}

/// Streams `source` through `process` (analysis, on the pool) and `map`
/// (on the pool too: per-document work that needs no order, such as
/// serialising), then hands each chunk's results to `work` on the calling
/// thread, in input order. `keep` runs on the reader thread and decides
/// whether an article is analysed at all (false: passed over, as on resume).
pub fn run<S, K, P, M, T, W>(
    source: S,
    opts: &Options,
    keep: K,
    process: P,
    map: M,
    work: W,
) -> Result<Outcome>
where
    S: Source,
    K: FnMut(&Article) -> Result<bool> + Send,
    P: Fn(Article) -> Doc + Sync,
    M: Fn(Doc) -> T + Sync,
    T: Send,
    W: FnMut(Vec<T>) -> Result<()>,
{
    let pool = thread_pool(opts.threads)?;
    run_in(&pool, source, opts, keep, process, map, work)
}

/// [`run`] on a given pool (`opts.threads` is then ignored).
pub fn run_in<S, K, P, M, T, W>(
    pool: &rayon::ThreadPool,
    source: S,
    opts: &Options,
    keep: K,
    process: P,
    map: M,
    mut work: W,
) -> Result<Outcome>
where
    S: Source,
    K: FnMut(&Article) -> Result<bool> + Send,
    P: Fn(Article) -> Doc + Sync,
    M: Fn(Doc) -> T + Sync,
    T: Send,
    W: FnMut(Vec<T>) -> Result<()>,
{
    let threads = pool.current_num_threads();
    let slots = 2 * threads + 2;
    let bar = progress_bar(opts.progress);
    let (chunk_tx, chunk_rx) = mpsc::sync_channel::<Chunk>(slots);
    let (slot_tx, slot_rx) = mpsc::sync_channel::<()>(slots);
    for _ in 0..slots {
        slot_tx
            .try_send(())
            .map_err(|_| anyhow!("internal error: slot channel full"))?;
    }
    let (done_tx, done_rx) = mpsc::channel::<Done<T>>();
    let started = Instant::now();
    let (process, map) = (&process, &map);

    std::thread::scope(|ts| {
        let reader_bar = bar.clone();
        let reader = std::thread::Builder::new()
            .name("petrel-reader".into())
            .spawn_scoped(ts, move || {
                read_chunks(source, keep, opts, chunk_tx, &reader_bar)
            })?;
        let dispatcher = std::thread::Builder::new()
            .name("petrel-dispatch".into())
            .spawn_scoped(ts, move || {
                pool.in_place_scope(|s| {
                    for chunk in chunk_rx.iter() {
                        // Wait for a free slot: bounds the work in flight.
                        if slot_rx.recv().is_err() {
                            break; // the caller stopped
                        }
                        let done_tx = done_tx.clone();
                        s.spawn(move |_| {
                            let docs: Vec<Doc> =
                                chunk.articles.into_par_iter().map(process).collect();
                            let mut counts = Counts {
                                passed_over: chunk.passed_over,
                                ..Counts::default()
                            };
                            for d in &docs {
                                counts.articles += 1;
                                counts.bytes += d.text.len() as u64;
                                counts.sentences += d.sentences.len() as u64;
                                counts.tokens += d.tokens.len() as u64;
                                counts.events += d.events.len() as u64;
                            }
                            let items: Vec<T> = docs.into_par_iter().map(map).collect();
                            // A send fails only when the caller stopped early.
                            let _ = done_tx.send(Done {
                                seq: chunk.seq,
                                items,
                                counts,
                                progress: chunk.progress,
                            });
                        });
                    }
                });
                drop(done_tx);
            })?;

        let mut counts = Counts::default();
        let mut pending: BTreeMap<u64, Done<T>> = BTreeMap::new();
        let mut next = 0u64;
        let mut failed: Option<anyhow::Error> = None;
        'recv: for done in done_rx.iter() {
            pending.insert(done.seq, done);
            while let Some(d) = pending.remove(&next) {
                next += 1;
                if let Err(e) = work(d.items) {
                    failed = Some(e);
                    break 'recv;
                }
                counts.add(&d.counts);
                update_bar(&bar, &counts, d.progress, started);
                // The slot is free again (the dispatcher may have finished).
                let _ = slot_tx.try_send(());
            }
        }
        // Stop the others (when `work` failed) and wait for them.
        drop(done_rx);
        drop(slot_tx);
        let dispatched = dispatcher.join();
        let read = reader.join();
        bar.finish_and_clear();
        if dispatched.is_err() {
            return Err(anyhow!("an analysis thread panicked"));
        }
        let (summary, rejected, reader_error) = match read {
            Ok(r) => r,
            Err(_) => return Err(anyhow!("the reader thread panicked")),
        };
        if let Some(e) = failed {
            return Err(e);
        }
        if let Some(e) = reader_error {
            return Err(e);
        }
        if !pending.is_empty() {
            return Err(anyhow!("internal error: chunks out of order"));
        }
        Ok(Outcome {
            summary,
            rejected,
            counts,
            threads,
        })
    })
}

/// The reader thread: reads, filters, cuts into chunks. Returns the source's
/// summary, whether a record was rejected, and the error that stopped it.
fn read_chunks<S: Source>(
    mut source: S,
    mut keep: impl FnMut(&Article) -> Result<bool>,
    opts: &Options,
    tx: mpsc::SyncSender<Chunk>,
    bar: &ProgressBar,
) -> (Summary, bool, Option<anyhow::Error>) {
    let batch = opts.batch.max(1);
    let mut seq = 0u64;
    let mut articles: Vec<Article> = Vec::with_capacity(batch);
    let mut bytes = 0usize;
    let mut passed_over = 0u64;
    let mut rejected = false;
    let mut error = None;
    // Sends the chunk; false when nobody listens any more.
    let mut send = |articles: &mut Vec<Article>, passed_over: &mut u64, progress| -> bool {
        let chunk = Chunk {
            seq,
            articles: std::mem::replace(articles, Vec::with_capacity(batch)),
            passed_over: std::mem::take(passed_over),
            progress,
        };
        seq += 1;
        tx.send(chunk).is_ok()
    };
    while let Some(item) = source.next() {
        match item {
            Ok(a) => match keep(&a) {
                Ok(true) => {
                    bytes += a.text.len();
                    articles.push(a);
                }
                Ok(false) => passed_over += 1,
                Err(e) => {
                    error = Some(e);
                    break;
                }
            },
            Err(e) => {
                bar.suspend(|| eprintln!("petrel: {e}"));
                if opts.reject {
                    rejected = true;
                    break;
                }
            }
        }
        if articles.len() >= batch || bytes >= opts.batch_bytes {
            bytes = 0;
            if !send(&mut articles, &mut passed_over, source.progress()) {
                return (source.summary(), rejected, error);
            }
        }
    }
    // What was read before a rejected record or an error is still coded.
    if !articles.is_empty() || passed_over > 0 {
        send(&mut articles, &mut passed_over, source.progress());
    }
    (source.summary(), rejected, error)
}

fn progress_bar(enabled: bool) -> ProgressBar {
    // `stderr()` draws nothing when stderr is not a terminal.
    let target = if enabled {
        ProgressDrawTarget::stderr_with_hz(4)
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(None, target);
    bar.set_style(spinner_style());
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {percent:>3}% {msg} (ETA {eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

fn update_bar(bar: &ProgressBar, c: &Counts, (done, total): (u64, u64), started: Instant) {
    if bar.is_hidden() {
        return;
    }
    if total > 0 {
        if bar.length().is_none() {
            bar.set_style(bar_style());
        }
        bar.set_length(total);
        bar.set_position(done.min(total));
    }
    let secs = started.elapsed().as_secs_f64().max(1e-3);
    let mut msg = format!(
        "{} articles, {} events, {:.0} articles/s",
        c.articles,
        c.events,
        c.articles as f64 / secs
    );
    if c.passed_over > 0 {
        msg.push_str(&format!(", {} already coded", c.passed_over));
    }
    bar.set_message(msg);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source of `n` tiny articles, with a malformed record at `bad`.
    struct Fake {
        n: usize,
        i: usize,
        bad: Option<usize>,
        summary: Summary,
    }

    impl Iterator for Fake {
        type Item = Result<Article, IngestError>;
        fn next(&mut self) -> Option<Self::Item> {
            if self.i >= self.n {
                return None;
            }
            self.i += 1;
            if self.bad == Some(self.i - 1) {
                self.summary.skipped += 1;
                return Some(Err(IngestError {
                    file: "fake.jsonl".into(),
                    line: Some(self.i),
                    message: "invalid JSON".into(),
                }));
            }
            self.summary.read += 1;
            Some(Ok(Article {
                id: format!("a{:04}", self.i - 1),
                text: "x".repeat(self.i % 7 + 1),
                ..Article::default()
            }))
        }
    }

    impl Source for Fake {
        fn summary(&self) -> Summary {
            self.summary.clone()
        }
    }

    fn fake(n: usize, bad: Option<usize>) -> Fake {
        Fake {
            n,
            i: 0,
            bad,
            summary: Summary::default(),
        }
    }

    fn ids(threads: usize, batch: usize) -> Vec<String> {
        let opts = Options {
            threads: Some(threads),
            batch,
            ..Options::default()
        };
        let mut out = Vec::new();
        let outcome = run(
            fake(500, None),
            &opts,
            |_| Ok(true),
            |a| {
                // Uneven work so that chunks finish out of order.
                let spin = (a.text.len() * 1_000) as u64;
                let mut x = 0u64;
                for i in 0..spin {
                    x = x.wrapping_mul(31).wrapping_add(i);
                }
                let mut d = Doc::from_article(a);
                d.source = Some(x.to_string());
                d
            },
            |d| d.id,
            |items| {
                out.extend(items);
                Ok(())
            },
        );
        assert!(outcome.is_ok());
        out
    }

    #[test]
    fn output_is_in_input_order_whatever_the_threads_and_chunks() {
        let want: Vec<String> = (0..500).map(|i| format!("a{i:04}")).collect();
        assert_eq!(ids(1, 64), want);
        assert_eq!(ids(2, 7), want);
        assert_eq!(ids(4, 1), want);
    }

    #[test]
    fn keep_filter_passes_over_and_counts() {
        let mut seen = 0;
        let outcome = run(
            fake(100, None),
            &Options::default(),
            |a| Ok(!a.id.ends_with('0')),
            Doc::from_article,
            |d| d,
            |items| {
                seen += items.len();
                Ok(())
            },
        );
        let Ok(outcome) = outcome else {
            panic!("run failed");
        };
        assert_eq!(seen, 90);
        assert_eq!(outcome.counts.articles, 90);
        assert_eq!(outcome.counts.passed_over, 10);
    }

    #[test]
    fn an_error_in_work_stops_the_stream_without_hanging() {
        let mut calls = 0;
        let opts = Options {
            threads: Some(2),
            batch: 4,
            ..Options::default()
        };
        let outcome = run(
            fake(10_000, None),
            &opts,
            |_| Ok(true),
            Doc::from_article,
            |d| d,
            |_| {
                calls += 1;
                if calls == 3 {
                    anyhow::bail!("disk full")
                }
                Ok(())
            },
        );
        assert!(outcome.is_err_and(|e| e.to_string() == "disk full"));
        assert_eq!(calls, 3);
    }

    #[test]
    fn reject_stops_at_the_bad_record_and_keeps_what_came_before() {
        let mut seen = Vec::new();
        let opts = Options {
            batch: 8,
            reject: true,
            ..Options::default()
        };
        let outcome = run(
            fake(100, Some(21)),
            &opts,
            |_| Ok(true),
            Doc::from_article,
            |d| d.id,
            |items| {
                seen.extend(items);
                Ok(())
            },
        );
        let Ok(outcome) = outcome else {
            panic!("run failed");
        };
        assert!(outcome.rejected);
        assert_eq!(seen.len(), 21);
        assert_eq!(seen.last().map(String::as_str), Some("a0020"));
    }
}
