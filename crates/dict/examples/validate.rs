//! Validates dictionaries and prints every error and warning with `file:line`.
//!
//! ```text
//! cargo run -p petrel-dict --example validate                      # dictionaries/petrel
//! cargo run -p petrel-dict --example validate -- DIR               # a Petrel folder
//! cargo run -p petrel-dict --example validate -- --petrarch verbs FILE...
//! ```
//! `--petrarch` takes `verbs`, `actors`, `agents` or `discards`. Exits with
//! status 1 when there is an error.

use petrel_dict::petrarch;
use petrel_dict::petrel;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--petrarch") {
        let (Some(kind), files) = (args.get(1), &args[2.min(args.len())..]) else {
            eprintln!("usage: validate --petrarch verbs|actors|agents|discards FILE...");
            return ExitCode::from(2);
        };
        let loader: fn(&Path) -> Result<petrarch::Loaded, Vec<petrel_dict::DictError>> =
            match kind.as_str() {
                "verbs" => petrarch::load_verbs,
                "actors" => petrarch::load_actors,
                "agents" => petrarch::load_agents,
                "discards" => petrarch::load_discards,
                k => {
                    eprintln!("unknown kind `{k}` (verbs, actors, agents or discards)");
                    return ExitCode::from(2);
                }
            };
        let mut failed = false;
        for f in files {
            match loader(Path::new(f)) {
                Ok(l) => {
                    println!("{f}: {:?}", l.stats);
                    for w in &l.warnings {
                        println!("warning: {w}");
                    }
                }
                Err(errors) => {
                    failed = true;
                    for e in &errors {
                        println!("error: {e}");
                    }
                }
            }
        }
        return if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        };
    }
    let dir = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dictionaries/petrel"));
    let report = petrel::validate_dir(&dir);
    print!("{report}");
    if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
