//! The parser alone, timed: `cargo run --release -p petrel-nlp --example
//! parse_speed -- <model dir> <file.conllu> [--retag] [--repeat N] [SEARCH...]`.
//!
//! Reads the sentences (words, XPOS, UPOS, heads, relations) of a CoNLL-U
//! file; with `--retag` the tags are first replaced by the tagger's (not
//! timed: use it on gold treebank files, so the parser sees predicted tags
//! as in use). Then, per SEARCH (`model`: what the model file says;
//! `greedy`; `beam:K[:MARGIN]`; `branch:K:MARGIN`; each optionally
//! `@TEMPERATURE`, default 30), parses every sentence `--repeat` times and
//! prints the attachment scores against the file's heads and relations,
//! the parser's CPU time per word (this thread, user + system), the share
//! of words whose head and relation equal the first search's, and a
//! checksum of the output (equal checksums: identical parses).
//!
//! Reuters text in CoNLL-U: `petrel parse --fast FILE.txt > FILE.conllu`
//! (scores then measure agreement with the greedy parse, not accuracy).

use petrel_nlp::{Nlp, ParserSearch};
use std::path::Path;

struct Sent {
    words: Vec<String>,
    xpos: Vec<String>,
    upos: Vec<String>,
    head: Vec<usize>,
    rel: Vec<String>,
}

fn read_conllu(text: &str) -> Vec<Sent> {
    let mut out = Vec::new();
    let mut cur = Sent {
        words: Vec::new(),
        xpos: Vec::new(),
        upos: Vec::new(),
        head: Vec::new(),
        rel: Vec::new(),
    };
    for line in text.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    Sent {
                        words: Vec::new(),
                        xpos: Vec::new(),
                        upos: Vec::new(),
                        head: Vec::new(),
                        rel: Vec::new(),
                    },
                ));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(id), Some(form)) = (f.first(), f.get(1)) else {
            continue;
        };
        if id.contains('-') || id.contains('.') {
            continue;
        }
        let col = |k: usize| f.get(k).copied().unwrap_or("_").to_string();
        cur.words.push(form.to_string());
        cur.upos.push(col(3));
        cur.xpos.push(col(4));
        cur.head
            .push(f.get(6).and_then(|h| h.parse().ok()).unwrap_or(0));
        cur.rel.push(col(7));
    }
    out
}

fn parse_search(spec: &str) -> Option<Option<(ParserSearch, f32)>> {
    if spec == "model" {
        return Some(None);
    }
    let (s, t) = match spec.split_once('@') {
        Some((s, t)) => (s, t.parse::<f32>().ok()?),
        None => (spec, 30.0),
    };
    let search = ParserSearch::parse(s)?;
    Some(Some((search, t)))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos = Vec::new();
    let mut retag = false;
    let mut repeat = 1usize;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--retag" => retag = true,
            "--repeat" => {
                repeat = args.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or(1);
                i += 1;
            }
            a => pos.push(a.to_string()),
        }
        i += 1;
    }
    if pos.len() < 2 {
        eprintln!(
            "usage: parse_speed <model dir> <file.conllu> [--retag] [--repeat N] [SEARCH...]"
        );
        std::process::exit(2);
    }
    let mut nlp = match Nlp::load(Path::new(&pos[0])) {
        Ok(n) => n.without_ner(),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    };
    let text = match std::fs::read_to_string(&pos[1]) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", pos[1]);
            std::process::exit(1)
        }
    };
    let mut sents = read_conllu(&text);
    if retag {
        for s in &mut sents {
            let w: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let a = nlp.annotate_words(&w);
            s.xpos = a.iter().map(|t| t.xpos.clone()).collect();
            s.upos = a.iter().map(|t| t.upos.as_str().to_string()).collect();
        }
    }
    let nwords: usize = sents.iter().map(|s| s.words.len()).sum();
    let mut specs: Vec<String> = pos[2..].to_vec();
    if specs.is_empty() {
        specs = vec!["model".into(), "greedy".into()];
    }
    let mut first: Option<Vec<(Option<usize>, String)>> = None;
    for spec in &specs {
        let Some(search) = parse_search(spec) else {
            eprintln!("bad search {spec}: model, greedy, beam:K[:M] or branch:K:M, then @T");
            std::process::exit(2)
        };
        let mut nlp2 = match Nlp::load(Path::new(&pos[0])) {
            Ok(n) => n.without_ner(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1)
            }
        };
        if let Some((s, t)) = search {
            nlp2.set_parser_search(s, t);
        }
        std::mem::swap(&mut nlp, &mut nlp2);
        let mut out: Vec<(Option<usize>, String)> = Vec::with_capacity(nwords);
        let t0 = cpu_seconds();
        for r in 0..repeat.max(1) {
            for s in &sents {
                let w: Vec<&str> = s.words.iter().map(String::as_str).collect();
                let x: Vec<&str> = s.xpos.iter().map(String::as_str).collect();
                let u: Vec<&str> = s.upos.iter().map(String::as_str).collect();
                let (h, l) = nlp.parse_tagged(&w, &x, &u);
                if r == 0 {
                    out.extend(h.into_iter().zip(l.into_iter().map(str::to_string)));
                }
            }
        }
        let t1 = cpu_seconds();
        let (mut ua, mut la, mut k) = (0usize, 0usize, 0usize);
        let mut sum: u64 = 0xcbf2_9ce4_8422_2325;
        for s in &sents {
            for i in 0..s.words.len() {
                let Some((h, l)) = out.get(k) else { break };
                let h1 = h.map_or(0, |h| h + 1);
                if h1 == s.head[i] {
                    ua += 1;
                    la += (*l == s.rel[i]) as usize;
                }
                for b in h1.to_le_bytes().iter().chain(l.as_bytes()) {
                    sum = (sum ^ *b as u64).wrapping_mul(0x100_0000_01b3);
                }
                k += 1;
            }
        }
        let same = first.as_ref().map_or(nwords, |f| {
            f.iter().zip(&out).filter(|(a, b)| a == b).count()
        });
        let cpu = match (t0, t1) {
            (Some(a), Some(b)) => b - a,
            _ => f64::NAN,
        };
        let per = cpu / (nwords * repeat.max(1)).max(1) as f64;
        println!(
            "{spec:<16} UAS {:.2} LAS {:.2}  parse {:.2} CPU-s, {:.2} us/word ({:.0} words/CPU-s)  same as first {:.2}%  checksum {sum:016x}",
            100.0 * ua as f64 / nwords.max(1) as f64,
            100.0 * la as f64 / nwords.max(1) as f64,
            cpu,
            per * 1e6,
            1.0 / per,
            100.0 * same as f64 / nwords.max(1) as f64,
        );
        if first.is_none() {
            first = Some(out);
        }
    }
}

/// User+system CPU time of the current thread (Linux), in seconds.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ut: f64 = f.get(11)?.parse().ok()?;
    let st: f64 = f.get(12)?.parse().ok()?;
    Some((ut + st) / 100.0)
}
