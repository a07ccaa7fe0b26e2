//! What geography costs: gazetteer load time, then the time of
//! `petrel_geo::event_places` + `action_geo` alone over analysed and coded
//! Reuters articles, next to the rest of `Pipeline::code`, and peak RSS.
//!
//! `cargo run -p petrel-pipeline --release --example geo_cost -- [LIMIT]`

use petrel_pipeline::Pipeline;
use std::time::{Duration, Instant};

fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() -> Result<(), String> {
    let limit: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().map_err(|e| format!("limit {s:?}: {e}")))
        .transpose()?
        .unwrap_or(2000);
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/corpora/reuters21578");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let rss0 = peak_rss_mib().unwrap_or(0.0);
    let t = Instant::now();
    let gaz = petrel_geo::Gazetteer::embedded().map_err(|e| e.to_string())?;
    let load = t.elapsed();
    let rss1 = peak_rss_mib().unwrap_or(0.0);
    let pipeline = Pipeline::embedded().map_err(|e| e.to_string())?;
    let opts = petrel_ingest::IngestOptions {
        format: petrel_ingest::Format::Reuters,
        ..Default::default()
    };
    let (mut n, mut places, mut code_t, mut geo_t) =
        (0usize, 0usize, Duration::ZERO, Duration::ZERO);
    for a in petrel_ingest::read(&files, &opts).flatten() {
        if a.text.trim().is_empty() {
            continue;
        }
        let mut doc = petrel_doc::Doc::from_article(a);
        pipeline.analyze(&mut doc);
        let t = Instant::now();
        pipeline.code(&mut doc);
        code_t += t.elapsed();
        let t = Instant::now();
        let locs = petrel_geo::event_places(&doc, gaz);
        for e in &doc.events {
            std::hint::black_box(petrel_geo::action_geo(&doc, e.verb_tokens.start, &locs));
        }
        geo_t += t.elapsed();
        places += locs.len();
        n += 1;
        if n >= limit {
            break;
        }
    }
    println!(
        "gazetteer load {:.0} ms, +{:.0} MiB peak RSS; {n} articles, {places} places",
        load.as_secs_f64() * 1e3,
        rss1 - rss0
    );
    println!(
        "Pipeline::code (geo included) {:.2} ms/article; geo alone {:.2} ms/article ({:.0}% of code); peak RSS {:.0} MiB",
        code_t.as_secs_f64() * 1e3 / n.max(1) as f64,
        geo_t.as_secs_f64() * 1e3 / n.max(1) as f64,
        100.0 * geo_t.as_secs_f64() / code_t.as_secs_f64().max(1e-9),
        peak_rss_mib().unwrap_or(0.0)
    );
    Ok(())
}
