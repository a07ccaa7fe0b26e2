//! `petrel`: the command line. Argument parsing, files, exit codes and the
//! batching of work across threads live here; every capability lives in a
//! library crate.

mod actors_cmd;
mod bench;
mod commands;
mod evaluate;
mod stream;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc instead of glibc malloc: documents are built on worker threads
/// and freed on the writer thread, a pattern glibc handles slowly
/// (BENCHMARKS.md, issue 7 section).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "petrel",
    version,
    about = "Petrel: code news into explainable CAMEO/PLOVER event data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code articles into events, store them (SQLite) and write the events.
    Code(commands::CodeArgs),
    /// Write one JSON object per document with every annotation layer (character offsets).
    Annotate(commands::AnnotateArgs),
    /// Tokenise, tag and parse; write CoNLL-U.
    Parse(commands::ParseArgs),
    /// Write the events stored in a database.
    Export(commands::ExportArgs),
    /// Score Petrel on the dev sets in ../shared/data.
    Eval(evaluate::EvalArgs),
    /// Check dictionaries (Petrel's own format; the embedded ones by default).
    Dict {
        #[command(subcommand)]
        command: DictCommand,
    },
    /// Rebuild the tagger and parser models from the UD treebanks.
    Train(commands::TrainArgs),
    /// Measure throughput (articles/s, sentences/s, tokens/s) and peak memory.
    Bench(bench::BenchArgs),
    /// Learn actor candidates from a corpus, review them, look names up.
    Actors {
        #[command(subcommand)]
        command: actors_cmd::ActorsCommand,
    },
}

#[derive(Subcommand)]
enum DictCommand {
    /// Validate a dictionary folder and print errors (file:line) and statistics.
    Check {
        /// Folder in Petrel's layout (default: the dictionaries compiled into the binary).
        dir: Option<PathBuf>,
    },
}

/// Options choosing models and dictionaries, shared by the analysing commands.
#[derive(Args, Clone, Debug, Default)]
pub struct ResourceArgs {
    /// Load models from this folder instead of the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Use Petrel-format dictionaries from this folder instead of the embedded ones.
    #[arg(long, value_name = "DIR", conflicts_with = "petrarch_verbs")]
    pub dicts: Option<PathBuf>,
    /// PETRARCH2/TABARI verb dictionary (repeatable); switches to PETRARCH dictionaries.
    #[arg(long, value_name = "FILE")]
    pub petrarch_verbs: Vec<PathBuf>,
    /// PETRARCH/Phoenix actor dictionary (repeatable).
    #[arg(long, value_name = "FILE")]
    pub petrarch_actors: Vec<PathBuf>,
    /// PETRARCH/Phoenix agent dictionary (repeatable).
    #[arg(long, value_name = "FILE")]
    pub petrarch_agents: Vec<PathBuf>,
    /// PETRARCH/Phoenix discard dictionary (repeatable).
    #[arg(long, value_name = "FILE")]
    pub petrarch_discards: Vec<PathBuf>,
    /// Code only the first N sentences of each article (lead-paragraph coding).
    #[arg(long, value_name = "N")]
    pub lead: Option<usize>,
    /// Also keep events with only one coded actor. This is already the default with
    /// Petrel's dictionaries (events need at least one coded actor); with PETRARCH
    /// dictionaries it lifts PETRARCH's requirement of both a source and a target.
    #[arg(long)]
    pub allow_monads: bool,
    /// Parse greedily instead of with the parser model's beam: the NLP core runs
    /// about 1.4 times as fast, with about 0.9 points lower attachment accuracy.
    #[arg(long)]
    pub fast: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(a) => commands::code(a),
        Command::Annotate(a) => commands::annotate(a),
        Command::Parse(a) => commands::parse(a),
        Command::Export(a) => commands::export(a),
        Command::Eval(a) => evaluate::run(a),
        Command::Dict {
            command: DictCommand::Check { dir },
        } => commands::dict_check(dir),
        Command::Train(a) => commands::train(a),
        Command::Bench(a) => bench::run(a),
        Command::Actors { command } => actors_cmd::run(command),
    };
    match result {
        Ok(code) => code,
        // A reader that stops early (`petrel … | head`) is not an error.
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("petrel: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Whether `e` comes from writing to a closed pipe.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
