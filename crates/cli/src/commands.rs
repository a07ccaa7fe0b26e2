//! The commands that read articles and write analyses: `code`, `annotate`,
//! `parse`, `export`, `dict check`, `train`.

use crate::{stream, ResourceArgs};
use anyhow::{bail, Context, Result};
use clap::Args;
use petrel_coder::CoderOptions;
use petrel_doc::Doc;
use petrel_export::{EventWriter, WriterOptions};
use petrel_ingest::{IngestOptions, OnError};
use petrel_pipeline::{DictSource, Pipeline};
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct InputArgs {
    /// Input files or folders (`-` for stdin; stdin when none is given).
    pub inputs: Vec<PathBuf>,
    /// Input format: auto (by extension/content), text (one article per file), jsonl, reuters,
    /// html (one page per file), feed (RSS 2.0 / Atom; also `rss`, `atom`), warc (WARC or WARC.gz).
    #[arg(long = "input", default_value = "auto")]
    pub input_format: petrel_ingest::Format,
    /// On a malformed record: skip it (and report it) or reject the run.
    #[arg(long, default_value = "skip", value_parser = ["skip", "reject"])]
    pub on_error: String,
    /// Publication date for articles that do not carry one (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
    /// Worker threads (default: all cores). Results are identical whatever the count.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Articles per chunk: the unit handed to a worker and, in `code`, committed
    /// to the database in one transaction.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub batch: u64,
    /// Do not draw the progress bar (articles/s, events, ETA), which is drawn
    /// on stderr only when stderr is a terminal.
    #[arg(long)]
    pub no_progress: bool,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    petrel_doc::parse_published(s)
}

impl InputArgs {
    fn ingest_options(&self) -> IngestOptions {
        IngestOptions {
            format: self.input_format,
            on_error: if self.on_error == "reject" {
                OnError::Reject
            } else {
                OnError::Skip
            },
            default_date: self.date,
            ..IngestOptions::default()
        }
    }

    /// How the stream runs: threads, chunk size, rejection, progress bar.
    pub fn stream_options(&self) -> stream::Options {
        stream::Options {
            threads: self.threads,
            batch: usize::try_from(self.batch).unwrap_or(usize::MAX),
            reject: self.on_error == "reject",
            progress: !self.no_progress,
            ..stream::Options::default()
        }
    }

    /// The article reader over the inputs.
    pub fn reader(&self) -> petrel_ingest::Reader {
        petrel_ingest::read(&self.paths(), &self.ingest_options())
    }

    fn paths(&self) -> Vec<PathBuf> {
        if self.inputs.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            self.inputs.clone()
        }
    }
}

#[derive(Args, Debug)]
pub struct CodeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub resources: ResourceArgs,
    /// Output format: jsonl, csv, gdelt (GDELT 2.0 Events TSV), gdelt-mentions, gkg (GDELT GKG 2.1, one row per article).
    #[arg(long, default_value = "jsonl")]
    pub format: petrel_export::Format,
    /// SQLite database the articles and events are stored in.
    #[arg(long, default_value = "petrel.db")]
    pub db: PathBuf,
    /// Do not store anything; only write the events.
    #[arg(long, conflicts_with = "db")]
    pub no_db: bool,
    /// Skip articles already coded in the database with identical content by the
    /// same Petrel version and resources (to finish an interrupted run quickly).
    /// Without it, an article coded again replaces its rows, so re-running an
    /// interrupted run gives the same database either way.
    #[arg(long)]
    pub resume: bool,
    /// Write events to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct AnnotateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub resources: ResourceArgs,
}

#[derive(Args, Debug)]
pub struct ParseArgs {
    /// Input file (`-` for stdin).
    #[arg(default_value = "-")]
    pub file: PathBuf,
    /// `text` (tokenise, split, tag and parse) or `conllu` (keep the given tokens and sentences).
    #[arg(long = "input", default_value = "text", value_parser = ["text", "conllu"])]
    pub format: String,
    /// Load models from this folder instead of the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Parse greedily instead of with the parser model's beam (faster, less accurate).
    #[arg(long)]
    pub fast: bool,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Database to read.
    #[arg(long, default_value = "petrel.db")]
    pub db: PathBuf,
    #[arg(long, default_value = "jsonl")]
    pub format: petrel_export::Format,
    /// Only events on or after this date.
    #[arg(long, value_parser = parse_date)]
    pub since: Option<chrono::NaiveDate>,
    /// Only events on or before this date.
    #[arg(long, value_parser = parse_date)]
    pub until: Option<chrono::NaiveDate>,
    /// Only events whose CAMEO code starts with this prefix (`14`, `0311`).
    #[arg(long)]
    pub cameo: Option<String>,
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// One row per merged event (the same source, target, code, date and
    /// place reported by several articles), with its counts and mentions.
    /// The default for gdelt and gdelt-mentions; jsonl gets a mention list.
    #[arg(long, conflicts_with = "per_article")]
    pub merged: bool,
    /// One row per event of each article (no merging), also for gdelt.
    #[arg(long)]
    pub per_article: bool,
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Folder holding `ud-english-ewt` (and optionally `ud-english-gum`).
    #[arg(long, default_value = "../shared/data/treebanks")]
    pub treebanks: PathBuf,
    /// Where the model files are written.
    #[arg(long, default_value = "models")]
    pub out: PathBuf,
    /// Seed of every random choice (training is deterministic for a seed).
    #[arg(long)]
    pub seed: Option<u64>,
}

/// Builds the pipeline the resource options describe.
pub fn pipeline(res: &ResourceArgs) -> Result<Pipeline> {
    let source = if !res.petrarch_verbs.is_empty() || !res.petrarch_actors.is_empty() {
        DictSource::Petrarch {
            verbs: res.petrarch_verbs.clone(),
            actors: res.petrarch_actors.clone(),
            agents: res.petrarch_agents.clone(),
            discards: res.petrarch_discards.clone(),
        }
    } else if let Some(d) = &res.dicts {
        DictSource::PetrelDir(d.clone())
    } else {
        DictSource::Embedded
    };
    let mut options = if matches!(source, DictSource::Petrarch { .. }) {
        CoderOptions::petrarch()
    } else {
        CoderOptions::default()
    };
    options.lead_only = res.lead;
    if res.allow_monads {
        options.require_dyad = false;
    }
    let mut pipeline = Pipeline::with(res.models.as_deref(), &source, options)?;
    if res.fast {
        greedy(pipeline.nlp_mut());
    }
    Ok(pipeline)
}

/// Switches the parser to greedy search (`--fast`).
pub(crate) fn greedy(nlp: &mut petrel_nlp::Nlp) {
    nlp.set_parser_search(petrel_nlp::ParserSearch::Greedy, 0.0);
}

fn output(path: &Option<PathBuf>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

fn report_summary(s: &petrel_ingest::Summary, counts: &stream::Counts) {
    let mut line = format!(
        "petrel: {} articles coded, {} events",
        counts.articles, counts.events
    );
    if s.skipped > 0 {
        line.push_str(&format!(", {} malformed records skipped", s.skipped));
    }
    if counts.passed_over > 0 {
        line.push_str(&format!(", {} already coded (resume)", counts.passed_over));
    }
    if s.not_articles > 0 {
        line.push_str(&format!(
            ", {} web records passed over (not HTML articles)",
            s.not_articles
        ));
    }
    eprintln!("{line}");
}

/// What the store records as the coder of each article, so that `--resume`
/// re-codes articles coded by another Petrel version or other resources.
fn pipeline_version(res: &ResourceArgs) -> String {
    let resources = format!("{res:?}");
    format!(
        "petrel {} resources {:016x}",
        env!("CARGO_PKG_VERSION"),
        petrel_doc::fnv1a64(&[resources.as_bytes()])
    )
}

fn open_store(db: &std::path::Path, version: &str) -> Result<petrel_store::Store> {
    let mut store = petrel_store::Store::open(db)
        .with_context(|| format!("cannot open database {}", db.display()))?;
    store.set_pipeline_version(version);
    Ok(store)
}

pub fn code(args: CodeArgs) -> Result<ExitCode> {
    let pipeline = pipeline(&args.resources)?;
    let version = pipeline_version(&args.resources);
    let mut store = if args.no_db {
        None
    } else {
        Some(open_store(&args.db, &version)?)
    };
    // The resume filter runs on the reader thread with its own connection.
    let probe = match (&store, args.resume) {
        (Some(_), true) => Some(open_store(&args.db, &version)?),
        _ => None,
    };
    let opts = WriterOptions {
        date_added: Some(chrono::Utc::now().naive_utc()),
    };
    let mut writer = EventWriter::new(output(&args.output)?, args.format, opts);
    let outcome = stream::run(
        args.input.reader(),
        &args.input.stream_options(),
        move |a| match &probe {
            Some(p) => Ok(!p.is_coded(&a.id, &petrel_store::article_content_hash(a))?),
            None => Ok(true),
        },
        |a| pipeline.process(a),
        |d| d,
        |docs| {
            if let Some(s) = store.as_mut() {
                s.save_batch(&docs)
                    .context("cannot store the coded articles")?;
            }
            for d in &docs {
                writer.write_doc(d)?;
            }
            Ok(())
        },
    )?;
    writer.finish()?;
    report_summary(&outcome.summary, &outcome.counts);
    if let Some(s) = store.as_mut() {
        // Cross-article events (GDELT Mentions semantics); idempotent, so an
        // interrupted run that skipped this gets it on resume or on export.
        let merged = s
            .merge_events()
            .context("cannot merge the events across articles")?;
        eprintln!("petrel: {merged} distinct events after merging mentions across articles");
    }
    if outcome.rejected {
        bail!("stopped at a malformed record (--on-error reject); articles coded before it are stored");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn annotate(args: AnnotateArgs) -> Result<ExitCode> {
    let pipeline = pipeline(&args.resources)?;
    let mut out = output(&None)?;
    let outcome = stream::run(
        args.input.reader(),
        &args.input.stream_options(),
        |_| Ok(true),
        |a| pipeline.process(a),
        // Serialised on the workers; written in input order.
        |d| serde_json::to_vec(&petrel_export::annotate_json(&d)),
        |lines| {
            for line in lines {
                out.write_all(&line?)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        },
    )?;
    out.flush()?;
    if outcome.summary.skipped > 0 {
        eprintln!(
            "petrel: {} malformed records skipped",
            outcome.summary.skipped
        );
    }
    if outcome.rejected {
        bail!("stopped at a malformed record (--on-error reject)");
    }
    Ok(ExitCode::SUCCESS)
}

fn read_input(path: &PathBuf) -> Result<String> {
    let mut s = String::new();
    if path.as_os_str() == "-" {
        io::stdin()
            .read_to_string(&mut s)
            .context("cannot read stdin")?;
    } else {
        s = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
    }
    Ok(s)
}

pub fn parse(args: ParseArgs) -> Result<ExitCode> {
    let mut nlp = match &args.models {
        Some(d) => petrel_nlp::Nlp::load(d),
        None => petrel_nlp::Nlp::embedded(),
    }
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if args.fast {
        greedy(&mut nlp);
    }
    let text = read_input(&args.file)?;
    let mut out = output(&None)?;
    if args.format == "conllu" {
        let mut sentences = petrel_treebank::conllu::parse(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
        for s in &mut sentences {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let analysis = nlp.annotate_words(&words);
            for (w, a) in s.words.iter_mut().zip(analysis) {
                w.lemma = a.lemma;
                w.upos = a.upos.as_str().to_string();
                w.xpos = a.xpos;
                w.head = Some(a.head.map_or(0, |h| h as u32 + 1));
                w.deprel = a.deprel;
            }
        }
        out.write_all(petrel_treebank::conllu::write_sentences(&sentences).as_bytes())?;
    } else {
        let name = args
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "stdin".into());
        let mut doc = Doc::new(name, text);
        petrel_text::tokenize(&mut doc);
        nlp.annotate(&mut doc);
        out.write_all(petrel_treebank::conllu::write_doc(&doc).as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn export(args: ExportArgs) -> Result<ExitCode> {
    if !args.db.exists() {
        bail!(
            "database {} does not exist (run `petrel code` first)",
            args.db.display()
        );
    }
    let mut store = petrel_store::Store::open(&args.db)?;
    let filter = petrel_store::EventFilter {
        since: args.since,
        until: args.until,
        cameo_prefix: args.cameo.clone(),
        ..Default::default()
    };
    use petrel_export::Format;
    let merged = args.merged
        || (!args.per_article && matches!(args.format, Format::Gdelt | Format::GdeltMentions));
    if merged
        && !matches!(
            args.format,
            Format::Gdelt | Format::GdeltMentions | Format::Jsonl
        )
    {
        bail!("--merged works with --format jsonl, gdelt or gdelt-mentions");
    }
    let mut writer = EventWriter::new(output(&args.output)?, args.format, WriterOptions::default());
    let mut err: Option<io::Error> = None;
    if merged {
        let n = store.merge_events()?;
        eprintln!("petrel: {n} merged events");
        store.for_each_merged(&filter, |m| {
            if err.is_none() {
                err = writer.write_merged(&m).err();
            }
            Ok(())
        })?;
    } else {
        store.for_each_event(&filter, |e| {
            if err.is_none() {
                err = writer.write_record(&e).err();
            }
            Ok(())
        })?;
    }
    if let Some(e) = err {
        return Err(e.into());
    }
    let n = writer.written();
    writer.finish()?;
    eprintln!("petrel: {n} events exported");
    Ok(ExitCode::SUCCESS)
}

pub fn dict_check(dir: Option<PathBuf>) -> Result<ExitCode> {
    let report = match &dir {
        Some(d) => petrel_dict::petrel::validate_dir(d),
        None => petrel_dict::petrel::validate_embedded(),
    };
    let mut out = std::io::stdout().lock();
    write!(out, "{report}")?;
    out.flush()?;
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn train(args: TrainArgs) -> Result<ExitCode> {
    let root = args.treebanks.join("ud-english-ewt");
    if !root.is_dir() {
        bail!(
            "{} not found: pass --treebanks DIR (the folder holding ud-english-ewt)",
            root.display()
        );
    }
    let mut opts = petrel_nlp::TrainOptions {
        verbose: true,
        ..Default::default()
    };
    if let Some(s) = args.seed {
        opts.seed = s;
    }
    std::fs::create_dir_all(&args.out)?;
    let report = petrel_nlp::train(&root, &args.out, &opts).map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!("{report:#?}");
    Ok(ExitCode::SUCCESS)
}
