//! Throughput of `petrel_text::segment` (tokens + sentences) on a folder of
//! plain-text files, e.g. the BBC corpus:
//!
//! `cargo run --release -p petrel-text --example bench_segment -- ../shared/data/corpora/bbc2225/bbc`

use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in rd {
        let p = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
    Ok(())
}

fn main() -> Result<(), String> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: bench_segment DIR [ROUNDS]")?;
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let mut files = Vec::new();
    collect(Path::new(&dir), &mut files)?;
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| {
            std::fs::read(p)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        })
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let (mut toks, mut sents) = (0usize, 0usize);
    let t0 = Instant::now();
    for _ in 0..rounds {
        for t in &texts {
            let (a, b) = petrel_text::segment(t);
            toks += a.len();
            sents += b.len();
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{} files, {:.1} MB x {rounds}: {} tokens, {} sentences in {secs:.2}s = {:.2} M tokens/s, {:.1} MB/s",
        texts.len(),
        bytes as f64 / 1e6,
        toks,
        sents,
        toks as f64 / secs / 1e6,
        (bytes * rounds) as f64 / secs / 1e6
    );
    Ok(())
}
