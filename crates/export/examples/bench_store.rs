//! Throughput check of ingest → store → export on a JSONL/Reuters corpus.
//!
//! `cargo run -p petrel-export --example bench_store -- FILE_OR_DIR... [--reuters]`
//!
//! Each article gets one sentence per line and one synthetic event per
//! sentence (CAMEO 010 on the first word): this measures storage and
//! export, not coding.

use std::time::Instant;

use petrel_doc::{Doc, Event, Modality, Sentence, Span};
use petrel_export::{EventWriter, Format, WriterOptions};
use petrel_ingest::{IngestOptions, OnError};
use petrel_store::{EventFilter, Store};

fn synthetic(mut d: Doc) -> Doc {
    let mut pos = 0;
    for line in d.text.split_inclusive('\n') {
        let t = line.trim_end();
        let lead = t.len() - t.trim_start().len();
        if !t.trim().is_empty() {
            let span = Span::new(pos + lead, pos + t.len());
            let first = t.split_whitespace().next().unwrap_or("");
            let verb = Span::new(span.start as usize, span.start as usize + first.len());
            let sentence = d.sentences.len();
            d.sentences.push(Sentence { span, tokens: 0..0 });
            d.events.push(Event {
                cameo: "010".into(),
                root: "01".into(),
                quad_class: 1,
                goldstein: 0.0,
                plover_type: None,
                plover_mode: None,
                source: None,
                target: None,
                verb,
                verb_tokens: 0..0,
                negated: false,
                modality: Modality::Asserted,
                reported_by: None,
                date: d.published,
                sentence,
                rule: "bench".into(),
                confidence: 1.0,
            });
        }
        pos += line.len();
    }
    d
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reuters = args.iter().any(|a| a == "--reuters");
    let inputs: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if inputs.is_empty() {
        return Err("usage: bench_store FILE_OR_DIR... [--reuters]".into());
    }
    let opts = IngestOptions {
        format: if reuters {
            petrel_ingest::Format::Reuters
        } else {
            petrel_ingest::Format::Auto
        },
        on_error: OnError::Skip,
        ..Default::default()
    };
    let t = Instant::now();
    let docs: Vec<Doc> = petrel_ingest::read(&inputs, &opts)
        .filter_map(Result::ok)
        .map(|a| synthetic(Doc::from_article(a)))
        .collect();
    let chars: usize = docs.iter().map(|d| d.text.len()).sum();
    println!(
        "ingest: {} articles, {:.1} MB in {:.2?}",
        docs.len(),
        chars as f64 / 1e6,
        t.elapsed()
    );

    let path = std::env::temp_dir().join(format!("petrel-bench-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut st = Store::open(&path)?;
    let t = Instant::now();
    for chunk in docs.chunks(256) {
        st.save_batch(chunk)?;
    }
    let el = t.elapsed();
    let c = st.counts()?;
    println!(
        "store (batches of 256): {} articles, {} sentences, {} events in {el:.2?} = {:.0} articles/s",
        c.articles,
        c.sentences,
        c.events,
        c.articles as f64 / el.as_secs_f64()
    );
    let t = Instant::now();
    for d in docs.iter().take(1000) {
        st.save(d)?;
    }
    println!(
        "store (one transaction per article, re-save of 1000): {:.2?}",
        t.elapsed()
    );

    for format in [Format::Jsonl, Format::Csv, Format::Gdelt] {
        let t = Instant::now();
        let mut w = EventWriter::new(std::io::sink(), format, WriterOptions::default());
        st.for_each_event(&EventFilter::default(), |e| Ok(w.write_record(&e)?))?;
        let n = w.written();
        w.finish()?;
        println!(
            "export {format:?} from the store: {n} events in {:.2?}",
            t.elapsed()
        );
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("database: {:.1} MB", size as f64 / 1e6);
    drop(st);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
    Ok(())
}
