//! Scoring of PETRARCH validation records (`PETR.UnitTest.records.xml`): a
//! record is correct when the set of coded (source, target, code) triples
//! equals the expected set (`noevents` and `error` records expect none).

use crate::metrics::{ratio, Prf};
use crate::petr::{Expected, Record};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// A coded triple (source, target, CAMEO code).
pub type Triple = (String, String, String);

#[derive(Debug, Clone, Default, Serialize)]
pub struct PetrarchReport {
    pub records: usize,
    pub correct: usize,
    pub accuracy: f64,
    /// Triple-level precision/recall over all records.
    pub triples: Prf,
    /// Per category: (records, correct).
    pub per_category: BTreeMap<String, (usize, usize)>,
    /// Ids of records coded wrongly, with what was produced and expected.
    pub failures: Vec<(String, Vec<Triple>, Vec<Triple>)>,
}

/// The expected triple set of a record.
pub fn expected(r: &Record) -> Vec<Triple> {
    let mut v: Vec<Triple> = r
        .expected
        .iter()
        .filter_map(|e| match e {
            Expected::Event {
                source,
                target,
                code,
            } => Some((source.clone(), target.clone(), code.clone())),
            _ => None,
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Scores `code` (which codes one record into triples) over `records`.
pub fn score<F>(records: &[Record], code: F) -> PetrarchReport
where
    F: Fn(&Record) -> Vec<Triple> + Sync,
{
    let results: Vec<(Vec<Triple>, Vec<Triple>)> = records
        .par_iter()
        .map(|r| {
            let mut got = code(r);
            got.sort();
            got.dedup();
            (got, expected(r))
        })
        .collect();
    let mut rep = PetrarchReport {
        records: records.len(),
        ..PetrarchReport::default()
    };
    for (r, (got, want)) in records.iter().zip(results) {
        let e = rep.per_category.entry(r.category.clone()).or_default();
        e.0 += 1;
        rep.triples.add_sets(&got, &want);
        if got == want {
            rep.correct += 1;
            e.1 += 1;
        } else {
            rep.failures.push((r.id.clone(), got, want));
        }
    }
    rep.accuracy = ratio(rep.correct, rep.records);
    rep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, exp: Vec<Expected>) -> Record {
        Record {
            id: id.into(),
            date_raw: String::new(),
            date: None,
            category: "DEMO".into(),
            attrs: Default::default(),
            text: String::new(),
            parse: None,
            expected: exp,
            config: Default::default(),
            line: 1,
        }
    }

    #[test]
    fn a_record_is_right_only_when_the_sets_are_equal() {
        let ev = |s: &str, t: &str, c: &str| Expected::Event {
            source: s.into(),
            target: t.into(),
            code: c.into(),
        };
        let recs = vec![
            rec("a", vec![ev("ARN", "GON", "064")]),
            rec("b", vec![Expected::NoEvents]),
            rec("c", vec![ev("ARN", "GON", "064"), ev("GON", "ARN", "064")]),
        ];
        let t = |s: &str, g: &str, c: &str| (s.to_string(), g.to_string(), c.to_string());
        let rep = score(&recs, |r| match r.id.as_str() {
            "a" => vec![t("ARN", "GON", "064"), t("ARN", "GON", "064")],
            "b" => vec![t("X", "Y", "010")],
            _ => vec![t("ARN", "GON", "064")],
        });
        assert_eq!(rep.correct, 1);
        assert_eq!((rep.triples.tp, rep.triples.fp, rep.triples.fn_), (2, 1, 1));
        assert_eq!(rep.per_category["DEMO"], (3, 1));
    }
}
