//! The actor-resolution case table (`tests/cases.tsv`, format in its
//! header): each text runs through the whole pipeline with its article
//! date, then the marked mention is looked up in the document's actor chain
//! ([`petrel_actors::coref`]), so coreference applies. Prints every failure
//! and asserts a pass rate of at least 95%.

use petrel_doc::{Article, Span};
use petrel_pipeline::Pipeline;
use std::collections::BTreeSet;

struct Case {
    id: String,
    category: String,
    date: chrono::NaiveDate,
    text: String,
    mark: (usize, usize),
    expected: BTreeSet<String>,
}

fn read_cases() -> Result<Vec<Case>, String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases.tsv");
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let at = |k: usize| {
            cols.get(k)
                .copied()
                .ok_or_else(|| format!("cases.tsv:{}: missing column {}", i + 1, k + 1))
        };
        let raw = at(3)?;
        let a = raw
            .find("[[")
            .ok_or_else(|| format!("cases.tsv:{}: no [[mark]]", i + 1))?;
        let b = raw
            .find("]]")
            .filter(|&b| b > a)
            .ok_or_else(|| format!("cases.tsv:{}: unclosed [[mark]]", i + 1))?;
        let text = raw.replacen("[[", "", 1).replacen("]]", "", 1);
        let expected: BTreeSet<String> = at(4)?
            .split_whitespace()
            .filter(|c| *c != "-")
            .map(String::from)
            .collect();
        out.push(Case {
            id: at(0)?.to_string(),
            category: at(1)?.to_string(),
            date: chrono::NaiveDate::parse_from_str(at(2)?, "%Y-%m-%d")
                .map_err(|e| format!("cases.tsv:{}: date: {e}", i + 1))?,
            text,
            mark: (a, b - 2),
            expected,
        });
    }
    Ok(out)
}

#[test]
fn actor_resolution_cases() {
    let cases = read_cases().unwrap();
    assert!(cases.len() >= 200, "only {} cases", cases.len());
    let pipe = Pipeline::embedded().unwrap();
    let resolver = pipe.coder().resolver();
    let mut failures = Vec::new();
    let mut per_cat: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for c in &cases {
        let doc = pipe.process(Article {
            id: c.id.clone(),
            url: None,
            source: None,
            title: None,
            published: Some(c.date),
            text: c.text.clone(),
            byline: None,
        });
        let chain = resolver.chain(&doc);
        let mark = Span::new(c.mark.0, c.mark.1);
        // Mentions headed inside the mark, outermost only.
        let inside: Vec<&petrel_actors::coref::Mention> = chain
            .mentions
            .iter()
            .filter(|m| {
                doc.tokens
                    .span
                    .get(m.head as usize)
                    .is_some_and(|s| s.start >= mark.start && s.end <= mark.end)
            })
            .collect();
        let outer: Vec<&&petrel_actors::coref::Mention> = inside
            .iter()
            .filter(|m| {
                !inside.iter().any(|o| {
                    o.head != m.head
                        && o.tokens.start <= m.tokens.start
                        && o.tokens.end >= m.tokens.end
                        && (o.tokens.end - o.tokens.start) > (m.tokens.end - m.tokens.start)
                })
            })
            .collect();
        // Of a compound mention, the conjuncts inside the mark.
        let head_in = |t: u32| {
            doc.tokens
                .span
                .get(t as usize)
                .is_some_and(|s| s.start >= mark.start && s.end <= mark.end)
        };
        let got: BTreeSet<String> = outer
            .iter()
            .flat_map(|m| {
                m.actors
                    .iter()
                    .filter(|a| {
                        a.head == m.head
                            || head_in(a.head)
                            || (a.name.start..a.name.end).all(head_in)
                    })
                    .map(|a| a.code.clone())
            })
            .collect();
        let e = per_cat.entry(c.category.clone()).or_default();
        e.1 += 1;
        if got == c.expected {
            e.0 += 1;
        } else {
            let via: Vec<String> = outer
                .iter()
                .flat_map(|m| m.actors.iter().map(|a| format!("{}<-{}", a.code, a.via)))
                .collect();
            failures.push(format!(
                "{} [{}] {:?}: expected {:?}, got {:?} {:?}",
                c.id, c.category, c.text, c.expected, got, via
            ));
        }
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    for (k, (p, n)) in &per_cat {
        println!("{k:12} {p}/{n}");
    }
    let passed = cases.len() - failures.len();
    let rate = passed as f64 / cases.len() as f64;
    println!(
        "actor cases: {passed}/{} = {:.1}%",
        cases.len(),
        rate * 100.0
    );
    assert!(rate >= 0.95, "pass rate {:.1}% below 95%", rate * 100.0);
}
