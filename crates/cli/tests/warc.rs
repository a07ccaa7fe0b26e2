//! End to end: a WARC.gz of BBC news pages (wrapped in page templates with
//! navigation, ads, related links and comments) is coded by the `petrel`
//! binary. Skips when `../shared/data/corpora/bbc2225` is absent.
//!
//! `PETREL_WARC_PAGES` sets the number of pages (default 300, to keep the
//! debug test profile fast; the 1,000-page run is
//! `PETREL_WARC_PAGES=1000 cargo test --release -p petrel-cli --test warc`).

use petrel_ingest::warc::{gzip, record_bytes};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("petrel-warc-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Sentences in the boilerplate that the coder would code if the extractor
/// kept them.
const RELATED: &str = "Related: Russia condemned France over the visit.";
const COMMENT: &str = "Comment: The army attacked rebels in the north.";

/// One page from a BBC text file (headline line, blank line, paragraphs),
/// in one of three templates.
fn page(n: usize, text: &str) -> String {
    let mut blocks = text.split("\n\n").map(str::trim).filter(|b| !b.is_empty());
    let title = escape(blocks.next().unwrap_or("Untitled"));
    let paras: String = blocks
        .map(|b| {
            format!(
                "<p>{}</p>\n",
                escape(&b.split_whitespace().collect::<Vec<_>>().join(" "))
            )
        })
        .collect();
    let day = 1 + n % 28;
    let head = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title} - BBC News</title>\
         <meta property=\"og:title\" content=\"{title}\">\
         <meta property=\"article:published_time\" content=\"2005-02-{day:02}T10:00:00Z\">\
         <link rel=\"canonical\" href=\"/news/{n}\"></head><body>\
         <div id=\"cookie-notice\"><p>We use cookies. Accept all cookies to continue browsing the site.</p></div>\
         <header><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/sport\">Sport</a></nav></header>"
    );
    let noise = format!(
        "<aside class=\"related-links\"><p>{RELATED}</p></aside>\
         <div class=\"ad-slot\"><p>Advertisement for a better mortgage, apply today.</p></div>"
    );
    let tail = format!(
        "<section class=\"comments\"><p>{COMMENT}</p></section>\
         <footer><p>Copyright BBC. Terms of use, privacy and cookies.</p></footer></body></html>"
    );
    let main = match n % 3 {
        0 => format!("<main><article><h1>{title}</h1>{paras}{noise}</article></main>"),
        1 => format!(
            "<div class=\"page\"><div class=\"col\"><div itemprop=\"articleBody\">{paras}</div>{noise}</div></div>"
        ),
        _ => format!(
            "<div class=\"layout\"><div class=\"teasers\"><a href=\"/a\">More news</a></div>\
             <div class=\"story-text\">{paras}</div>{noise}</div>"
        ),
    };
    format!("{head}{main}{tail}")
}

fn bbc_texts(dir: &Path, limit: usize) -> Vec<String> {
    let mut files = Vec::new();
    for section in ["business", "entertainment", "politics", "sport", "tech"] {
        if let Ok(entries) = std::fs::read_dir(dir.join(section)) {
            files.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|f| std::fs::read(f).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .take(limit)
        .collect()
}

#[test]
fn warc_of_bbc_pages_is_coded_end_to_end() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/corpora/bbc2225/bbc");
    if !dir.is_dir() {
        eprintln!("SKIP: BBC corpus not found at {}", dir.display());
        return;
    }
    let pages: usize = std::env::var("PETREL_WARC_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let texts = bbc_texts(&dir, pages);
    assert_eq!(texts.len(), pages, "the corpus has enough articles");
    let mut warc = Vec::new();
    for (n, text) in texts.iter().enumerate() {
        let uri = format!("https://www.bbc.co.uk/news/{n}");
        let mut http =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
        http.extend_from_slice(page(n, text).as_bytes());
        let rec = record_bytes(
            "response",
            &format!("urn:uuid:bbc-{n:05}"),
            "2005-03-01T00:00:00Z",
            Some(&uri),
            Some("application/http; msgtype=response"),
            &http,
        );
        warc.extend(gzip(&rec).expect("gzip"));
        if n % 50 == 0 {
            // Not articles: an image and a 404.
            for (status, ct) in [("200 OK", "image/jpeg"), ("404 Not Found", "text/html")] {
                let block = format!("HTTP/1.1 {status}\r\nContent-Type: {ct}\r\n\r\nxx");
                let rec = record_bytes(
                    "response",
                    &format!("urn:uuid:other-{n}-{status}"),
                    "2005-03-01T00:00:00Z",
                    Some("https://www.bbc.co.uk/x"),
                    Some("application/http; msgtype=response"),
                    block.as_bytes(),
                );
                warc.extend(gzip(&rec).expect("gzip"));
            }
        }
    }
    let d = tmp("bbc");
    let file = d.join("bbc.warc.gz");
    std::fs::write(&file, &warc).expect("write warc");

    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_petrel"))
        .arg("code")
        .arg(&file)
        .arg("--no-db")
        .output()
        .expect("petrel runs");
    let secs = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stderr: {stderr}");
    assert!(
        stderr.contains(&format!("{pages} articles coded")),
        "every page is an article: {stderr}"
    );
    assert!(!stderr.contains("malformed"), "no errors: {stderr}");
    let events: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("JSON event"))
        .collect();
    let docs: std::collections::HashSet<&str> =
        events.iter().filter_map(|e| e["doc_id"].as_str()).collect();
    eprintln!(
        "{pages} pages, {} bytes of WARC.gz: {} events from {} articles in {secs:.1} s",
        warc.len(),
        events.len(),
        docs.len()
    );
    assert!(
        docs.len() * 2 > pages,
        "most articles yield events ({} of {pages})",
        docs.len()
    );
    assert!(docs.iter().all(|d| d.starts_with("urn:uuid:bbc-")));
    for e in &events {
        let s = e["sentence_text"].as_str().unwrap_or_default();
        assert!(
            !s.contains("Related:") && !s.contains("Comment:") && !s.contains("cookies"),
            "boilerplate was coded: {s}"
        );
        assert!(
            e["url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://www.bbc.co.uk/news/")),
            "canonical URL: {e}"
        );
    }
}
