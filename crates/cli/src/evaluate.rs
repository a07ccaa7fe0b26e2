//! `petrel eval`: scores Petrel on the dev sets in `../shared/data` and prints
//! one table (and, with `--json`, the full reports).

use crate::commands::pipeline;
use crate::ResourceArgs;
use anyhow::{bail, Result};
use clap::Args;
use petrel_coder::CoderOptions;
use petrel_doc::{Article, Doc};
use petrel_eval::{conflibert, petr, petrarch, plv, Annotator};
use petrel_pipeline::{DictSource, Pipeline};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Which sets: all, petrarch, conflibert, plv, geo, dedup (comma-separated).
    #[arg(long, default_value = "all")]
    pub sets: String,
    /// Also write the full reports as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Print each failing PETRARCH record.
    #[arg(long)]
    pub verbose: bool,
    /// Write the ConfliBERT span sentences (gold and predicted character
    /// spans, one JSON object a line; `miss` marks those whose predicted
    /// source or target spans, all events, differ from gold).
    #[arg(long)]
    pub errors: Option<PathBuf>,
    #[command(flatten)]
    pub resources: ResourceArgs,
}

struct Coded<'a>(&'a Pipeline);

impl Annotator for Coded<'_> {
    fn annotate(&self, id: &str, text: &str, date: Option<chrono::NaiveDate>) -> Doc {
        self.0.process(Article {
            id: id.into(),
            text: text.into(),
            published: date,
            ..Article::default()
        })
    }
}

/// The (source, target, code) triples of the events asserted in `doc` (negated events are not coded).
fn triples(doc: &Doc) -> Vec<petrarch::Triple> {
    doc.events
        .iter()
        .filter(|e| !e.negated)
        .map(|e| {
            let code = petrel_coder::code_or_dashes;
            (code(&e.source), code(&e.target), e.cameo.clone())
        })
        .collect()
}

/// The BBC corpus as `(topic/NNN, text)`, in path order (one file is not
/// valid UTF-8: read lossily).
fn read_bbc(dir: &std::path::Path) -> Result<Vec<(String, String)>> {
    let list = |d: &std::path::Path| -> Result<Vec<PathBuf>> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .map_err(|e| anyhow::anyhow!("{}: {e}", d.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        v.sort();
        Ok(v)
    };
    let mut out = Vec::new();
    for topic in list(dir)?.into_iter().filter(|p| p.is_dir()) {
        let name = topic
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for f in list(&topic)?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        {
            let bytes = std::fs::read(&f).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
            let stem = f
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((
                format!("{name}/{stem}"),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    Ok(out)
}

/// Near-duplicate detection on the perturbed BBC set (issue 7).
fn dedup(
    data: &std::path::Path,
    table: &mut Vec<(String, String, String)>,
    json: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<()> {
    use petrel_dedup::{eval, Params};
    const SET: &str = "dedup (perturbed BBC)";
    let corpus = read_bbc(&data.join("corpora/bbc2225/bbc"))?;
    let set = eval::perturbed_set(&corpus, eval::SEED, eval::RATE);
    let mut push = |metric: String, v: String| table.push((SET.to_string(), metric, v));
    push(
        "articles (originals + copies; ambiguous originals left out)".into(),
        format!(
            "{} ({} + {}; {})",
            set.docs.len(),
            set.docs.len() - set.copies,
            set.copies,
            set.excluded.len()
        ),
    );
    let d = Params::default();
    let s = eval::score(&set.docs, &d);
    push(
        format!(
            "pair P / R at Jaccard >= {} or containment >= {}",
            d.jaccard, d.containment
        ),
        format!(
            "{:.3} / {:.3} ({} of {} true pairs, {} found)",
            s.precision(),
            s.recall(),
            s.correct_pairs,
            s.true_pairs,
            s.found_pairs
        ),
    );
    let mut sweep = Vec::new();
    for (j, c) in eval::SWEEP {
        let p = Params {
            jaccard: j,
            containment: c,
            ..d
        };
        let r = eval::score(&set.docs, &p);
        push(
            format!("sweep: Jaccard >= {j}, containment >= {c}"),
            format!("{:.3} / {:.3}", r.precision(), r.recall()),
        );
        sweep.push(serde_json::json!({"jaccard": j, "containment": c,
            "precision": r.precision(), "recall": r.recall()}));
    }
    json.insert(
        "dedup".into(),
        serde_json::json!({
            "docs": set.docs.len(), "copies": set.copies, "excluded": set.excluded.len(),
            "true_pairs": s.true_pairs, "found_pairs": s.found_pairs,
            "correct_pairs": s.correct_pairs,
            "precision": s.precision(), "recall": s.recall(), "sweep": sweep,
        }),
    );
    Ok(())
}

/// The span sentences as JSON lines, `miss` set where the predicted source
/// or target spans (all events) differ from the gold ones.
fn write_span_errors(path: &std::path::Path, details: &[conflibert::SpanDetail]) -> Result<()> {
    use std::io::Write;
    let file =
        std::fs::File::create(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut w = std::io::BufWriter::new(file);
    let set = |v: &mut Vec<(usize, usize)>| {
        v.sort();
        v.dedup();
    };
    for d in details {
        let mut ps: Vec<(usize, usize)> = d
            .events
            .iter()
            .filter_map(|e| e.source.as_ref().map(|a| (a.0, a.1)))
            .collect();
        let mut pt: Vec<(usize, usize)> = d
            .events
            .iter()
            .filter_map(|e| e.target.as_ref().map(|a| (a.0, a.1)))
            .collect();
        let (mut gs, mut gt) = (d.gold_sources.clone(), d.gold_targets.clone());
        for v in [&mut ps, &mut pt, &mut gs, &mut gt] {
            set(v);
        }
        let mut v = serde_json::to_value(d)?;
        if let Some(o) = v.as_object_mut() {
            o.insert("miss".into(), (ps != gs || pt != gt).into());
        }
        serde_json::to_writer(&mut w, &v)?;
        writeln!(w)?;
    }
    w.flush()?;
    Ok(())
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    if !args.data.is_dir() {
        bail!(
            "{} not found: pass --data (the shared data folder)",
            args.data.display()
        );
    }
    let want = |s: &str| args.sets == "all" || args.sets.split(',').any(|x| x.trim() == s);
    let mut table: Vec<(String, String, String)> = Vec::new();
    let mut json = serde_json::Map::new();
    let row = |t: &mut Vec<(String, String, String)>, set: &str, metric: &str, v: String| {
        t.push((set.to_string(), metric.to_string(), v))
    };

    if want("petrarch") {
        let path = args
            .data
            .join("events/petrarch2-unit-tests/PETR.UnitTest.records.xml");
        let file =
            petr::load(&path).map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e[0]))?;
        let dir = args.data.join("dictionaries/petrarch2");
        let source = DictSource::petrarch_validate(&dir);
        // Records carry their own `require_dyad` setting (default on).
        let mut dyad = Pipeline::with(
            args.resources.models.as_deref(),
            &source,
            CoderOptions::petrarch(),
        )?;
        let mut monad = Pipeline::with(
            args.resources.models.as_deref(),
            &source,
            CoderOptions {
                require_dyad: false,
                ..CoderOptions::petrarch()
            },
        )?;
        if args.resources.fast {
            crate::commands::greedy(dyad.nlp_mut());
            crate::commands::greedy(monad.nlp_mut());
        }
        let pick = |r: &petr::Record| {
            if r.config_flag("require_dyad").unwrap_or(true) {
                &dyad
            } else {
                &monad
            }
        };
        // FINAL-RECORD is the suite's end-of-file sentinel, not a test.
        let records: Vec<petr::Record> = file
            .records
            .into_iter()
            .filter(|r| r.id != "FINAL-RECORD")
            .collect();
        let from_parse = petrarch::score(&records, |r| {
            r.parse
                .as_deref()
                .and_then(|t| pick(r).process_ptb(&r.id, t, r.date).ok())
                .map(|d| triples(&d))
                .unwrap_or_default()
        });
        let from_text = petrarch::score(&records, |r| {
            let d = pick(r).process(Article {
                id: r.id.clone(),
                text: r.text.clone(),
                published: r.date,
                ..Article::default()
            });
            triples(&d)
        });
        for (name, rep) in [
            ("supplied parses", &from_parse),
            ("own analysis", &from_text),
        ] {
            row(
                &mut table,
                "PETRARCH2 unit tests",
                &format!("records fully correct, {name}"),
                format!(
                    "{:.1}% ({}/{})",
                    rep.accuracy * 100.0,
                    rep.correct,
                    rep.records
                ),
            );
            row(
                &mut table,
                "PETRARCH2 unit tests",
                &format!("triple P / R, {name}"),
                format!(
                    "{:.3} / {:.3}",
                    rep.triples.precision(),
                    rep.triples.recall()
                ),
            );
        }
        if args.verbose {
            for (id, got, want) in &from_parse.failures {
                eprintln!("{id}: got {got:?} want {want:?}");
            }
        }
        json.insert("petrarch_parses".into(), serde_json::to_value(&from_parse)?);
        json.insert("petrarch_text".into(), serde_json::to_value(&from_text)?);
    }

    if want("dedup") {
        dedup(&args.data, &mut table, &mut json)?;
    }

    let needs_own = want("conflibert") || want("plv") || want("geo");
    let own = if needs_own {
        Some(pipeline(&args.resources)?)
    } else {
        None
    };
    if let Some(p) = &own {
        let ann = Coded(p);
        if want("conflibert") {
            let dir = args.data.join("events/conflibert-cameo");
            let classes = conflibert::read_class_file(&dir.join("cameo_class.train.tsv"))
                .map_err(anyhow::Error::msg)?;
            let c = conflibert::score_classes(&ann, &classes);
            row(
                &mut table,
                "ConfliBERT CAMEO",
                "PentaClass accuracy (all sentences)",
                format!("{:.3}", c.accuracy),
            );
            row(
                &mut table,
                "ConfliBERT CAMEO",
                "sentences coded",
                format!("{} / {}", c.coded, c.sentences),
            );
            row(
                &mut table,
                "ConfliBERT CAMEO",
                "coded sentences with an event of the right class",
                format!("{:.3}", c.any_right_when_coded),
            );
            row(
                &mut table,
                "ConfliBERT CAMEO",
                "coded sentences whose main event has the right class",
                format!("{:.3}", c.chosen_right_when_coded),
            );
            for (k, p, r) in &c.per_class {
                row(
                    &mut table,
                    "ConfliBERT CAMEO",
                    &format!("class {k} P / R"),
                    format!("{p:.3} / {r:.3}"),
                );
            }
            let bio = conflibert::read_bio_file(&dir.join("cameo_ner.train.txt"))
                .map_err(anyhow::Error::msg)?;
            let (s, details) = conflibert::score_spans_detailed(&ann, &bio);
            if let Some(path) = &args.errors {
                write_span_errors(path, &details)?;
            }
            let prf = |p: &petrel_eval::metrics::Prf| {
                format!("{:.3} / {:.3} / {:.3}", p.precision(), p.recall(), p.f1())
            };
            for (metric, p) in [
                ("source span P / R / F1 (all coded events)", &s.source),
                ("target span P / R / F1 (all coded events)", &s.target),
                ("source span P / R / F1 (main event only)", &s.main_source),
                ("target span P / R / F1 (main event only)", &s.main_target),
                (
                    "source span P / R / F1 (main act: main event's verb and pattern)",
                    &s.main_act_source,
                ),
                (
                    "target span P / R / F1 (main act: main event's verb and pattern)",
                    &s.main_act_target,
                ),
            ] {
                row(&mut table, "ConfliBERT CAMEO", metric, prf(p));
            }
            json.insert("conflibert_classes".into(), serde_json::to_value(&c)?);
            json.insert("conflibert_spans".into(), serde_json::to_value(&s)?);
        }
        if want("plv") {
            let items = plv::read(&args.data.join("events/plv/PLV_train.tsv"))
                .map_err(anyhow::Error::msg)?;
            let r = plv::score(&ann, &items);
            row(
                &mut table,
                "PLV_train",
                "PLOVER type P / R (event linking the marked actors)",
                format!(
                    "{:.3} / {:.3} ({} linked of {})",
                    r.precision, r.recall, r.linked, r.items
                ),
            );
            row(
                &mut table,
                "PLV_train",
                "main-event type accuracy (actors ignored)",
                format!("{:.3}", r.any_event_accuracy),
            );
            json.insert("plv".into(), serde_json::to_value(&r)?);
        }
        if want("geo") {
            let dir = args.data.join("geo/event-location");
            for (name, gold_only) in [("RELABEL gold", true), ("all", false)] {
                let r = petrel_pipeline::evaluate_event_location(p, &dir, gold_only)
                    .map_err(anyhow::Error::msg)?;
                row(
                    &mut table,
                    "event-location",
                    &format!("ActionGeo overlaps gold place, {name}"),
                    format!("{:.1}% ({}/{})", r.accuracy * 100.0, r.correct, r.items),
                );
                let key = if gold_only { "geo_relabel" } else { "geo_all" };
                json.insert(key.into(), serde_json::to_value(&r)?);
            }
        }
    }

    let w0 = table.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let w1 = table.iter().map(|r| r.1.len()).max().unwrap_or(0);
    println!("{:w0$}  {:w1$}  value", "set", "metric");
    for (a, b, c) in &table {
        println!("{a:w0$}  {b:w1$}  {c}");
    }
    if let Some(p) = &args.json {
        std::fs::write(
            p,
            serde_json::to_string_pretty(&serde_json::Value::Object(json))?,
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
