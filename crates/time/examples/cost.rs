//! Throughput cost of the time layer on Reuters-21578 bodies (tokenised with
//! `petrel-text`; only `find_times` is timed).
//! `cargo run --release -p petrel-time --example cost -- ../shared/data/corpora/reuters21578/reuters21578_bodies_part00.jsonl 2000`

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: cost FILE.jsonl [LIMIT]");
        std::process::exit(2);
    };
    let limit: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(2000);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let mut docs = Vec::new();
    for line in text.lines().take(limit) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let body = v["body"].as_str().unwrap_or("").to_string();
        let mut doc = petrel_doc::Doc::new("r", body);
        doc.published = chrono::NaiveDate::from_ymd_opt(1987, 3, 1);
        petrel_text::tokenize(&mut doc);
        docs.push(doc);
    }
    let tokens: usize = docs.iter().map(|d| d.tokens.len()).sum();
    let t = Instant::now();
    let found: usize = docs.iter().map(|d| petrel_time::find_times(d).len()).sum();
    let s = t.elapsed().as_secs_f64();
    println!(
        "{} articles, {tokens} tokens, {found} time expressions: {:.3} ms/article, {:.0} tokens/s (find_times only)",
        docs.len(),
        s * 1000.0 / docs.len().max(1) as f64,
        tokens as f64 / s
    );
}
