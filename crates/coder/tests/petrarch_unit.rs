//! PETRARCH2 unit-test records coded from their Penn Treebank parses with the
//! `PETR.Validate.*` dictionaries. A record is correct when its set of
//! (source, target, code) triples equals the expected set. Reads the records
//! from `../shared/data` and skips (with a message) when it is absent.
//!
//! `PETREL_PETR_VERBOSE=1` prints every failing record, `PETREL_PETR_ONLY=ID`
//! restricts the run to records whose id starts with ID, `PETREL_PETR_DUMP=1`
//! prints the converted tokens and the coded events.

use petrel_coder::{code_or_dashes, Coder, CoderOptions};
use petrel_dict::petrarch;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// One record of PETR.UnitTest.records.xml.
#[derive(Debug, Clone)]
struct Record {
    id: String,
    category: String,
    date: Option<chrono::NaiveDate>,
    expected: BTreeSet<(String, String, String)>,
    text: String,
    parse: String,
    require_dyad: bool,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(p) = rest.find(name) {
        let after = rest[p + name.len()..].trim_start();
        let before_ok = p == 0 || !rest.as_bytes()[p - 1].is_ascii_alphanumeric();
        if before_ok {
            if let Some(a) = after.strip_prefix('=') {
                let a = a.trim_start();
                let q = a.chars().next()?;
                if q == '"' || q == '\'' {
                    let end = a[1..].find(q)?;
                    return Some(a[1..1 + end].to_string());
                }
            }
        }
        rest = &rest[p + name.len()..];
    }
    None
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let a = s.find(open)? + open.len();
    let b = s[a..].find(close)? + a;
    Some(&s[a..b])
}

fn read_records(xml: &str) -> Vec<Record> {
    let mut out = Vec::new();
    let mut require_dyad = true;
    let mut pos = 0;
    while pos < xml.len() {
        let next_sent = xml[pos..].find("<Sentence ").map(|p| p + pos);
        let next_cfg = xml[pos..].find("<Config ").map(|p| p + pos);
        match (next_sent, next_cfg) {
            (_, Some(c)) if next_sent.is_none_or(|s| c < s) => {
                let end = xml[c..].find('>').map(|e| e + c).unwrap_or(xml.len());
                let tag = &xml[c..end];
                if attr(tag, "option").as_deref() == Some("require_dyad") {
                    require_dyad =
                        attr(tag, "value").is_some_and(|v| v.eq_ignore_ascii_case("true"));
                }
                pos = end;
            }
            (Some(s), _) => {
                let end = xml[s..]
                    .find("</Sentence>")
                    .map(|e| e + s)
                    .unwrap_or(xml.len());
                let body = &xml[s..end];
                let tag_end = body.find('>').unwrap_or(body.len());
                let tag = &body[..tag_end];
                // Config tags inside a record apply from there on.
                let mut rd = require_dyad;
                let mut k = 0;
                while let Some(c) = body[k..].find("<Config ") {
                    let c = c + k;
                    let e = body[c..].find('>').map(|e| e + c).unwrap_or(body.len());
                    let t = &body[c..e];
                    if attr(t, "option").as_deref() == Some("require_dyad") {
                        rd = attr(t, "value").is_some_and(|v| v.eq_ignore_ascii_case("true"));
                    }
                    k = e;
                }
                require_dyad = rd;
                let mut expected = BTreeSet::new();
                let mut k = 0;
                while let Some(c) = body[k..].find("<EventCoding") {
                    let c = c + k;
                    let e = body[c..].find('>').map(|e| e + c).unwrap_or(body.len());
                    let t = &body[c..e];
                    if let (Some(sc), Some(tc), Some(ec)) = (
                        attr(t, "sourcecode"),
                        attr(t, "targetcode"),
                        attr(t, "eventcode"),
                    ) {
                        expected.insert((sc, tc, ec));
                    }
                    k = e;
                }
                out.push(Record {
                    id: attr(tag, "id").unwrap_or_default(),
                    category: attr(tag, "category").unwrap_or_default(),
                    date: attr(tag, "date")
                        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y%m%d").ok()),
                    expected,
                    text: between(body, "<Text>", "</Text>")
                        .unwrap_or("")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    parse: between(body, "<Parse>", "</Parse>")
                        .unwrap_or("")
                        .trim()
                        .to_string(),
                    require_dyad,
                });
                pos = end + 1;
            }
            _ => break,
        }
    }
    out
}

/// Penn tree → parsed Doc.
fn convert(r: &Record) -> Result<petrel_doc::Doc, String> {
    let tree = petrel_treebank::ptb::parse_tree(&r.parse).map_err(|e| e.to_string())?;
    Ok(petrel_treebank::ptb::to_doc(&tree, &r.id))
}

#[test]
fn petrarch2_unit_tests() {
    let data = shared();
    let records_path = data.join("events/petrarch2-unit-tests/PETR.UnitTest.records.xml");
    let dict_dir = data.join("dictionaries/petrarch2");
    let Ok(xml) = std::fs::read_to_string(&records_path) else {
        eprintln!(
            "skipping: {} not found (shared data absent)",
            records_path.display()
        );
        return;
    };
    let dict = petrarch::load_set(
        &[dict_dir.join("PETR.Validate.verbs.txt")],
        &[dict_dir.join("PETR.Validate.actors.txt")],
        &[dict_dir.join("PETR.Validate.agents.txt")],
        &[dict_dir.join("PETR.Validate.discards.txt")],
    )
    .unwrap_or_else(|e| panic!("loading PETR.Validate dictionaries: {e:?}"));
    let records = read_records(&xml);
    assert!(records.len() > 250, "read only {} records", records.len());
    let verbose = std::env::var("PETREL_PETR_VERBOSE").is_ok();
    let only = std::env::var("PETREL_PETR_ONLY").ok();
    let coder_dyad = Coder::new(&dict, CoderOptions::petrarch());
    let coder_nodyad = Coder::new(
        &dict,
        CoderOptions {
            require_dyad: false,
            ..CoderOptions::petrarch()
        },
    );
    let mut per_cat: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut ok_all, mut n_all) = (0, 0);
    for r in &records {
        if r.id == "FINAL-RECORD" {
            continue;
        }
        if only.as_deref().is_some_and(|o| !r.id.starts_with(o)) {
            continue;
        }
        let got: BTreeSet<(String, String, String)> = match convert(r) {
            Ok(mut doc) => {
                doc.published = r.date;
                if std::env::var("PETREL_PETR_DUMP").is_ok() {
                    for t in 0..doc.tokens.len() {
                        eprintln!(
                            "  {t:3} {:15} {:10} {:6} {:5} {:?} {}",
                            doc.token_text(t),
                            doc.tokens.lemma[t],
                            doc.tokens.upos[t].as_str(),
                            doc.tokens.xpos[t],
                            doc.tokens.head[t],
                            doc.tokens.deprel[t]
                        );
                    }
                }
                let c = if r.require_dyad {
                    &coder_dyad
                } else {
                    &coder_nodyad
                };
                c.code(&mut doc);
                if std::env::var("PETREL_PETR_DUMP").is_ok() {
                    for e in &doc.events {
                        eprintln!(
                            "  event {:?} {:?} {} rule {} verb {}",
                            e.source.as_ref().map(|a| &a.code),
                            e.target.as_ref().map(|a| &a.code),
                            e.cameo,
                            e.rule,
                            doc.span_text(e.verb)
                        );
                    }
                }
                doc.events
                    .iter()
                    .map(|e| {
                        (
                            code_or_dashes(&e.source),
                            code_or_dashes(&e.target),
                            e.cameo.clone(),
                        )
                    })
                    .collect()
            }
            Err(e) => {
                eprintln!("{}: parse error {e}", r.id);
                BTreeSet::new()
            }
        };
        let ok = got == r.expected;
        let c = per_cat.entry(r.category.clone()).or_default();
        c.1 += 1;
        n_all += 1;
        if ok {
            c.0 += 1;
            ok_all += 1;
        } else if verbose {
            eprintln!(
                "FAIL {} [{}] {}\n   expected {:?}\n   got      {:?}",
                r.id, r.category, r.text, r.expected, got
            );
        }
    }
    for (cat, (ok, n)) in &per_cat {
        eprintln!(
            "{cat:10} {ok:3}/{n:3} = {:.1}%",
            100.0 * *ok as f64 / (*n).max(1) as f64
        );
    }
    let acc = ok_all as f64 / n_all.max(1) as f64;
    eprintln!("ALL        {ok_all:3}/{n_all:3} = {:.1}%", 100.0 * acc);
    if only.is_none() {
        assert!(
            acc >= 0.0,
            "PETRARCH unit-test accuracy regressed: {:.1}%",
            100.0 * acc
        );
    }
}
