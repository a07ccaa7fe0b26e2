//! Held-out check on Reuters-21578 (1987 newswire, not used to write the
//! rules): every story is "DATELINE body" with its timestamp as publication
//! date; the date inside the dateline ("SALVADOR, Feb 26 -") must resolve
//! to the publication day, give or take one (datelines carry the local
//! date, timestamps are US time). Skips when the data is absent.

use chrono::NaiveDate;
use petrel_doc::Doc;
use petrel_time::{find_times, TimexType};
use std::collections::HashMap;
use std::path::Path;

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.split_whitespace().next()?, "%d-%b-%Y").ok()
}

#[test]
fn reuters_datelines_resolve_to_publication() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/corpora/reuters21578/reuters21578_bodies_part00.jsonl");
    let Ok(data) = std::fs::read_to_string(&path) else {
        println!("SKIPPED reuters_datelines: {} not found", path.display());
        return;
    };
    let (mut stories, mut with_date, mut found, mut right) = (0, 0, 0, 0);
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (n, line) in data.lines().enumerate().take(2000) {
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => panic!("{}:{}: {e}", path.display(), n + 1),
        };
        let (Some(date), Some(dl), Some(body)) = (
            v["date"].as_str(),
            v["dateline"].as_str(),
            v["body"].as_str(),
        ) else {
            continue;
        };
        let Some(published) = parse_date(date) else {
            continue;
        };
        stories += 1;
        let mut doc = Doc::new(format!("r{n}"), format!("{dl} {body}"));
        doc.published = Some(published);
        let times = find_times(&doc);
        if std::env::var_os("PETREL_TIME_DUMP").is_some() {
            for t in &times {
                *counts
                    .entry(format!("{}\t{}", doc.span_text(t.span), t.kind.as_str()))
                    .or_default() += 1;
            }
        }
        // Only datelines that carry a month and day.
        if !dl.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        with_date += 1;
        let dl_end = dl.len() as u32;
        let Some(t) = times
            .iter()
            .find(|t| t.span.end <= dl_end && t.kind == TimexType::Date)
        else {
            if std::env::var_os("PETREL_TIME_DUMP").is_some() {
                println!("NOT FOUND\t{dl}");
            }
            continue;
        };
        found += 1;
        // Datelines carry the local date: one day either side (time zones).
        let ok = [
            published,
            published.pred_opt().unwrap_or(published),
            published.succ_opt().unwrap_or(published),
        ]
        .iter()
        .any(|d| t.value == d.format("%Y-%m-%d").to_string());
        right += ok as usize;
        if !ok && std::env::var_os("PETREL_TIME_DUMP").is_some() {
            println!(
                "WRONG\t{dl}\t{date}\t{}\t{}",
                doc.span_text(t.span),
                t.value
            );
        }
    }
    if std::env::var_os("PETREL_TIME_DUMP").is_some() {
        let mut v: Vec<_> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (k, c) in v.iter().take(150) {
            println!("{c}\t{k}");
        }
    }
    println!("reuters: {stories} stories, {with_date} dated datelines, {found} found, {right} resolved to the publication day (+-1)");
    assert!(stories > 1000);
    assert!(
        found as f64 >= 0.95 * with_date as f64,
        "found {found} of {with_date}"
    );
    assert!(
        right as f64 >= 0.99 * found as f64,
        "right {right} of {found}"
    );
}
