//! `petrel actors learn | review | show`: mining actor candidates from a
//! corpus, reviewing them into a Petrel actors file, and looking names up.

use crate::commands::{pipeline, InputArgs};
use crate::ResourceArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use petrel_actors::learn::{self, Candidate, Learner, Tally};
use petrel_dict::Dictionaries;
use petrel_doc::Article;
use petrel_ingest::{IngestOptions, OnError};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ActorsCommand {
    /// Mine title/apposition patterns ("Colombian President Gustavo Petro") into candidates (TSV).
    Learn(Box<LearnArgs>),
    /// Print candidates and write the accepted ones as a Petrel actors file.
    Review(ReviewArgs),
    /// Look a name up in the dictionaries: entry, names, dated codes, code on a date.
    Show(ShowArgs),
}

#[derive(Args, Debug)]
pub struct LearnArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub resources: ResourceArgs,
    /// Candidates TSV (stdout when absent).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the candidates as JSON lines to this file.
    #[arg(long)]
    pub jsonl: Option<PathBuf>,
    /// Read at most N articles.
    #[arg(long)]
    pub limit: Option<usize>,
}

#[derive(Args, Debug)]
pub struct ReviewArgs {
    /// Candidates TSV written by `petrel actors learn`.
    pub candidates: PathBuf,
    /// Accept new candidates seen at least N times (when no --accept is given).
    #[arg(long, default_value_t = 2)]
    pub min_count: usize,
    /// Accept exactly these names (repeatable; case-insensitive); overrides --min-count.
    #[arg(long, value_name = "NAME")]
    pub accept: Vec<String>,
    /// Write the accepted entries (Petrel actors format) to this file.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The name to look up ("Gustavo Petro").
    pub name: String,
    /// Date the code in force is given for (YYYY-MM-DD; default: the undated code).
    #[arg(long, value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
    /// Petrel-format dictionary folder (default: the embedded dictionaries).
    #[arg(long, value_name = "DIR")]
    pub dicts: Option<PathBuf>,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    petrel_doc::parse_published(s)
}

pub fn run(cmd: ActorsCommand) -> Result<ExitCode> {
    match cmd {
        ActorsCommand::Learn(a) => learn_cmd(*a),
        ActorsCommand::Review(a) => review(a),
        ActorsCommand::Show(a) => show(a),
    }
}

fn load_dicts(dir: &Option<PathBuf>) -> Result<Dictionaries> {
    let r = match dir {
        Some(d) => petrel_dict::petrel::load_dir(d),
        None => petrel_dict::petrel::embedded(),
    };
    r.map_err(|errs| {
        let lines: Vec<String> = errs.iter().take(10).map(|e| e.to_string()).collect();
        anyhow::anyhow!("dictionary errors:\n{}", lines.join("\n"))
    })
}

fn learn_cmd(args: LearnArgs) -> Result<ExitCode> {
    if !args.resources.petrarch_verbs.is_empty() || !args.resources.petrarch_actors.is_empty() {
        bail!("actors learn works with Petrel dictionaries (--dicts), not PETRARCH ones");
    }
    let dicts = load_dicts(&args.resources.dicts)?;
    let learner = Learner::new(&dicts);
    let pipe = pipeline(&args.resources)?;
    let opts = IngestOptions {
        format: args.input.input_format,
        on_error: if args.input.on_error == "reject" {
            OnError::Reject
        } else {
            OnError::Skip
        },
        default_date: args.input.date,
        ..IngestOptions::default()
    };
    let paths = if args.input.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.input.inputs.clone()
    };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.input.threads {
        pool = pool.num_threads(n.max(1));
    }
    let pool = pool.build()?;
    let limit = args.limit.unwrap_or(usize::MAX);
    let mut reader = petrel_ingest::read(&paths, &opts);
    let mut tally = Tally::new();
    let mut batch: Vec<Article> = Vec::new();
    let mut read = 0usize;
    let flush = |batch: &mut Vec<Article>, tally: &mut Tally| {
        let docs: Vec<_> = pool.install(|| {
            std::mem::take(batch)
                .into_par_iter()
                .map(|a| pipe.process(a))
                .collect()
        });
        for d in &docs {
            tally.add_doc(&learner, d);
        }
    };
    for item in reader.by_ref() {
        if read >= limit {
            break;
        }
        match item {
            Ok(a) => {
                read += 1;
                batch.push(a);
                if batch.len() >= 64 {
                    flush(&mut batch, &mut tally);
                }
            }
            Err(e) => {
                eprintln!("petrel: {e}");
                if args.input.on_error == "reject" {
                    bail!("malformed record rejected");
                }
            }
        }
    }
    flush(&mut batch, &mut tally);
    let cands = tally.candidates(&learner);
    let tsv = learn::to_tsv(&cands);
    match &args.out {
        Some(p) => {
            std::fs::write(p, &tsv).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => std::io::stdout().lock().write_all(tsv.as_bytes())?,
    }
    if let Some(p) = &args.jsonl {
        let mut s = String::new();
        for c in &cands {
            s.push_str(&serde_json::to_string(&candidate_json(c))?);
            s.push('\n');
        }
        std::fs::write(p, s).with_context(|| format!("cannot write {}", p.display()))?;
    }
    let new = cands.iter().filter(|c| c.known.is_none()).count();
    eprintln!(
        "petrel: {read} articles, {} candidates ({new} new, {} known)",
        cands.len(),
        cands.len() - new
    );
    Ok(ExitCode::SUCCESS)
}

fn candidate_json(c: &Candidate) -> serde_json::Value {
    serde_json::json!({
        "name": c.name,
        "country": c.country,
        "role": c.role,
        "code": c.code,
        "count": c.count,
        "first_seen": c.first_seen.map(|d| d.to_string()),
        "last_seen": c.last_seen.map(|d| d.to_string()),
        "titles": c.titles,
        "provenance": c.provenance.iter().map(|(d, s)| serde_json::json!({"doc": d, "sentence": s})).collect::<Vec<_>>(),
        "known": c.known.as_ref().map(|k| serde_json::json!({"id": k.id, "code": k.code, "agrees": k.agrees})),
    })
}

fn review(args: ReviewArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&args.candidates)
        .with_context(|| format!("cannot read {}", args.candidates.display()))?;
    let cands =
        learn::from_tsv(&text).map_err(|e| anyhow::anyhow!("{}:{e}", args.candidates.display()))?;
    let wanted: Vec<String> = args
        .accept
        .iter()
        .map(|n| n.trim().to_lowercase())
        .collect();
    let accepted: Vec<Candidate> = cands
        .iter()
        .filter(|c| {
            c.known.is_none()
                && if wanted.is_empty() {
                    c.count >= args.min_count
                } else {
                    wanted.contains(&c.name.to_lowercase())
                }
        })
        .cloned()
        .collect();
    let mut out = std::io::stdout().lock();
    for c in &cands {
        let mark = if accepted.contains(c) {
            "ACCEPT"
        } else if c.known.is_some() {
            "known"
        } else {
            "-"
        };
        writeln!(
            out,
            "{mark:6} {:>4}  {:28} {:9} {}..{}  {}",
            c.count,
            c.name,
            c.code,
            c.first_seen.map(|d| d.to_string()).unwrap_or_default(),
            c.last_seen.map(|d| d.to_string()).unwrap_or_default(),
            c.titles.join(", ")
        )?;
        if let Some(k) = &c.known {
            writeln!(
                out,
                "         curated {} code {}",
                k.id,
                k.code.as_deref().unwrap_or("-")
            )?;
        }
        for (d, s) in &c.provenance {
            writeln!(out, "         {d}: {s}")?;
        }
    }
    for w in &wanted {
        if !cands.iter().any(|c| &c.name.to_lowercase() == w) {
            eprintln!("petrel: --accept {w}: no such candidate");
        }
    }
    if let Some(p) = &args.out {
        std::fs::write(p, learn::to_actors_file(&accepted))
            .with_context(|| format!("cannot write {}", p.display()))?;
        eprintln!(
            "petrel: {} entries written to {}",
            accepted.len(),
            p.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn show(args: ShowArgs) -> Result<ExitCode> {
    let dicts = load_dicts(&args.dicts)?;
    let want = petrel_actors::name_words(std::slice::from_ref(&args.name));
    let hits: Vec<_> = dicts
        .actors
        .iter()
        .filter(|a| a.names.iter().any(|n| petrel_actors::name_words(n) == want))
        .collect();
    if hits.is_empty() {
        println!("{}: not in the dictionaries", args.name);
        return Ok(ExitCode::from(1));
    }
    for a in hits {
        println!("{}  ({})", args.name, a.id);
        let names: Vec<String> = a.names.iter().map(|n| n.join(" ")).collect();
        println!("  names: {}", names.join(" | "));
        for c in &a.codes {
            let range = match (c.from, c.to) {
                (None, None) => "default".to_string(),
                (f, t) => format!(
                    "{}..{}",
                    f.map(|d| d.to_string()).unwrap_or_default(),
                    t.map(|d| d.to_string()).unwrap_or_default()
                ),
            };
            println!("  code: {} {}", c.code, range);
        }
        let when = args
            .date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "(no date)".into());
        println!(
            "  in force on {when}: {}",
            a.code_on(args.date).unwrap_or("none")
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use petrel_actors::learn::{Learner, Mention};
    use petrel_doc::Article;
    use petrel_pipeline::Pipeline;

    fn mentions(text: &str) -> Vec<Mention> {
        let p = Pipeline::embedded().expect("embedded pipeline");
        let d = petrel_dict::petrel::embedded().expect("embedded dictionaries");
        let doc = p.process(Article {
            id: "t".into(),
            text: text.into(),
            published: chrono::NaiveDate::from_ymd_opt(1987, 3, 4),
            ..Article::default()
        });
        Learner::new(&d).extract(&doc)
    }

    fn has(ms: &[Mention], name: &str, country: &str, role: &str) -> bool {
        ms.iter()
            .any(|m| m.name == name && m.country == country && m.role == role)
    }

    #[test]
    fn adjective_country_title_name() {
        let ms = mentions("Colombian President Virgilio Barco met the delegation on Monday.");
        assert!(has(&ms, "Virgilio Barco", "COL", "GOV"), "{ms:?}");
    }

    #[test]
    fn possessive_title_name_and_apposition() {
        let ms = mentions("Japan's foreign minister Tadashi Kuranari arrived in Seoul.");
        assert!(has(&ms, "Tadashi Kuranari", "JPN", "GOV"), "{ms:?}");
        let ms = mentions("Tadashi Kuranari, Japan's foreign minister, arrived in Seoul.");
        assert!(has(&ms, "Tadashi Kuranari", "JPN", "GOV"), "{ms:?}");
    }

    #[test]
    fn title_name_of_country() {
        let ms = mentions("Foreign Minister Roland Dumas of France said talks would resume.");
        assert!(has(&ms, "Roland Dumas", "FRA", "GOV"), "{ms:?}");
    }

    #[test]
    fn head_of_army_apposition() {
        let ms = mentions("He met Carlos Ruiz, the head of Peru's army, in Lima.");
        assert!(has(&ms, "Carlos Ruiz", "PER", "MIL"), "{ms:?}");
    }

    #[test]
    fn bare_surname_counts_into_the_full_name() {
        let p = Pipeline::embedded().expect("embedded pipeline");
        let d = petrel_dict::petrel::embedded().expect("embedded dictionaries");
        let learner = Learner::new(&d);
        let mut tally = petrel_actors::learn::Tally::new();
        for (id, text, day) in [
            (
                "a",
                "Colombian President Virgilio Barco met the delegation.",
                2,
            ),
            (
                "b",
                "Colombian President Barco left for Caracas on Monday.",
                9,
            ),
        ] {
            let doc = p.process(Article {
                id: id.into(),
                text: text.into(),
                published: chrono::NaiveDate::from_ymd_opt(1987, 3, day),
                ..Article::default()
            });
            tally.add_doc(&learner, &doc);
        }
        let cs = tally.candidates(&learner);
        assert_eq!(cs.len(), 1, "{cs:?}");
        assert_eq!(
            (cs[0].name.as_str(), cs[0].code.as_str(), cs[0].count),
            ("Virgilio Barco", "COLGOV", 2)
        );
        assert_eq!(cs[0].last_seen, chrono::NaiveDate::from_ymd_opt(1987, 3, 9));
        assert_eq!(cs[0].provenance.len(), 2);
    }

    #[test]
    fn titles_of_organisations_named_after_a_country_give_nothing() {
        let ms = mentions("Bank of China President Wang Deyan said rates would rise.");
        assert!(ms.is_empty(), "{ms:?}");
        let ms = mentions("Julian Mateo, vice president of Costa Rica's Sugar League, disagreed.");
        assert!(ms.is_empty(), "{ms:?}");
    }

    #[test]
    fn former_and_countryless_titles_give_nothing() {
        let ms = mentions(
            "Former Brazilian President Joao Figueiredo spoke. Chairman John Smith resigned.",
        );
        assert!(ms.is_empty(), "{ms:?}");
    }
}
