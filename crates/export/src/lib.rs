//! Petrel's output formats.
//!
//! - [`annotate_json`]: the **annotation contract** read by external scorers
//!   (a whole document with sentences, tokens, entities and events, every
//!   span in character offsets, end exclusive).
//! - [`EventWriter`]: event-only exports as JSONL, CSV or GDELT 2.0 Events
//!   TSV (61 columns, see [`gdelt`]), plus GDELT 2.0 Mentions rows (16
//!   columns) carrying Petrel's character offsets.
//! - [`gkg_row`] / [`Format::Gkg`]: GDELT GKG 2.1, one 27-field row per
//!   document (counts, locations, names, tone, dates, quotations, amounts).
//!
//! Merged events (the same event reported by several articles, see
//! `petrel_store::Store::merge_events`) are written by
//! [`EventWriter::write_merged`]: one GDELT Events row per merged event with
//! its NumMentions/NumSources/NumArticles, one Mentions row per mention
//! pointing to the merged id, or one JSON object with the mention list.
//!
//! Every event goes through one flat [`EventRecord`] (from
//! `petrel-store`), whether it comes from an in-memory [`Doc`]
//! ([`EventRecord::from_doc`]) or from a database ([`petrel_store::Store::events`]),
//! so the two paths print the same thing.
//!
//! What it is not: a reader of these formats (beyond the conformance tests),
//! and not a geocoder or tone model: GDELT fields Petrel does not produce are
//! left empty.

use std::io::{self, Write};
use std::str::FromStr;

use chrono::NaiveDateTime;
use petrel_doc::Doc;
pub use petrel_store::{ActorRecord, EventRecord, SpanText};

mod actor_code;
pub mod gdelt;
pub mod gkg;
mod json;

pub use actor_code::{is_country, is_religion, is_type, split_actor_code, ActorFields};
pub use gdelt::{
    gdelt_row, mention_row, merged_gdelt_row, merged_mention_rows, url_domain, GDELT_EVENT_COLUMNS,
    GDELT_MENTION_COLUMNS,
};
pub use gkg::{gkg_row, GKG_COLUMNS, GKG_COLUMN_NAMES};
pub use json::{annotate_json, event_json, event_jsonl, merged_event_json};
pub use petrel_store::{Mention, MergedEvent};

/// An event export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON event object per line ([`event_jsonl`]).
    Jsonl,
    /// CSV with a header row ([`CSV_COLUMNS`]).
    Csv,
    /// GDELT 2.0 Events: 61 tab-separated fields, no header.
    Gdelt,
    /// GDELT 2.0 Mentions: 16 tab-separated fields, no header, one row per
    /// event (the sentence it was coded from).
    GdeltMentions,
    /// GDELT GKG 2.1: 27 tab-separated fields, no header, ONE row per
    /// document ([`gkg_row`]).
    Gkg,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "gdelt" | "gdelt-events" | "tsv" => Ok(Format::Gdelt),
            "gdelt-mentions" | "mentions" => Ok(Format::GdeltMentions),
            "gkg" | "gdelt-gkg" => Ok(Format::Gkg),
            _ => Err(format!(
                "unknown export format {s:?} (expected jsonl, csv, gdelt, gdelt-mentions or gkg)"
            )),
        }
    }
}

/// CSV header, in column order.
pub const CSV_COLUMNS: [&str; 24] = [
    "doc_id",
    "global_event_id",
    "event_idx",
    "date",
    "cameo",
    "root",
    "quad_class",
    "goldstein",
    "plover_type",
    "plover_mode",
    "source_code",
    "source_text",
    "target_code",
    "target_text",
    "verb_text",
    "negated",
    "modality",
    "reported_by_code",
    "confidence",
    "sentence_idx",
    "sentence_text",
    "rule",
    "in_lead",
    "url",
];

/// The CSV fields of one event (CAMEO code as text: leading zeros kept).
pub fn csv_row(e: &EventRecord) -> [String; 24] {
    let code = |a: &Option<ActorRecord>| a.as_ref().map(|a| a.code.clone()).unwrap_or_default();
    let text =
        |a: &Option<ActorRecord>| a.as_ref().map(|a| a.span.text.clone()).unwrap_or_default();
    [
        e.doc_id.clone(),
        e.global_event_id.to_string(),
        e.idx.to_string(),
        e.date.map(|d| d.to_string()).unwrap_or_default(),
        e.cameo.clone(),
        e.root.clone(),
        e.quad_class.to_string(),
        json::num(e.goldstein).to_string(),
        e.plover_type.clone().unwrap_or_default(),
        e.plover_mode.clone().unwrap_or_default(),
        code(&e.source),
        text(&e.source),
        code(&e.target),
        text(&e.target),
        e.verb.text.clone(),
        e.negated.to_string(),
        e.modality.clone(),
        code(&e.reported_by),
        json::num(e.confidence).to_string(),
        e.sentence_idx.to_string(),
        e.sentence_text.clone(),
        e.rule.clone(),
        e.in_lead.to_string(),
        e.url.clone().unwrap_or_default(),
    ]
}

/// Writer options.
#[derive(Debug, Clone, Default)]
pub struct WriterOptions {
    /// GDELT `DATEADDED` for events not read from a store (the CLI passes the
    /// run time); events from a store use their `coded_at`.
    pub date_added: Option<NaiveDateTime>,
}

enum Sink<W: Write> {
    Plain(W),
    Csv(Box<csv::Writer<W>>),
}

/// Streams events to `W` in one [`Format`]. Call [`EventWriter::finish`] to
/// flush and get the writer back.
pub struct EventWriter<W: Write> {
    format: Format,
    opts: WriterOptions,
    sink: Sink<W>,
    header_done: bool,
    written: u64,
}

impl<W: Write> EventWriter<W> {
    pub fn new(out: W, format: Format, opts: WriterOptions) -> EventWriter<W> {
        let sink = match format {
            Format::Csv => Sink::Csv(Box::new(
                csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(out),
            )),
            _ => Sink::Plain(out),
        };
        EventWriter {
            format,
            opts,
            sink,
            header_done: false,
            written: 0,
        }
    }

    /// Writes one event.
    pub fn write_record(&mut self, e: &EventRecord) -> io::Result<()> {
        match &mut self.sink {
            Sink::Plain(w) => {
                let line = match self.format {
                    Format::Gdelt => gdelt_row(e, self.opts.date_added).join("\t"),
                    Format::GdeltMentions => mention_row(e, self.opts.date_added).join("\t"),
                    Format::Gkg => {
                        return Err(io::Error::other(
                            "GKG rows are per document: use write_doc, not write_record",
                        ))
                    }
                    _ => event_jsonl(e).to_string(),
                };
                w.write_all(line.as_bytes())?;
                w.write_all(b"\n")?;
            }
            Sink::Csv(w) => {
                if !self.header_done {
                    w.write_record(CSV_COLUMNS)?;
                    self.header_done = true;
                }
                w.write_record(csv_row(e))?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Writes one merged event: one GDELT Events row ([`merged_gdelt_row`]),
    /// one Mentions row per mention ([`merged_mention_rows`]) or one JSON
    /// line ([`merged_event_json`]). Returns the rows written. CSV and GKG
    /// have no merged form (an error).
    pub fn write_merged(&mut self, m: &MergedEvent) -> io::Result<usize> {
        let lines: Vec<String> = match self.format {
            Format::Gdelt => vec![merged_gdelt_row(m, self.opts.date_added).join("\t")],
            Format::GdeltMentions => merged_mention_rows(m, self.opts.date_added)
                .into_iter()
                .map(|r| r.join("\t"))
                .collect(),
            Format::Jsonl => vec![merged_event_json(m).to_string()],
            Format::Csv | Format::Gkg => {
                return Err(io::Error::other(
                    "merged events can be written as jsonl, gdelt or gdelt-mentions only",
                ))
            }
        };
        let Sink::Plain(w) = &mut self.sink else {
            return Err(io::Error::other("merged events cannot go to a CSV sink"));
        };
        for l in &lines {
            w.write_all(l.as_bytes())?;
            w.write_all(b"\n")?;
        }
        self.written += lines.len() as u64;
        Ok(lines.len())
    }

    /// Writes every event of a document; returns how many.
    ///
    /// For [`Format::Gkg`] it writes one GKG row for the document instead
    /// (record id `DATE-N`, N counting documents from 0) and returns 1.
    pub fn write_doc(&mut self, doc: &Doc) -> io::Result<usize> {
        if self.format == Format::Gkg {
            return self.write_gkg(doc);
        }
        let recs = EventRecord::from_doc(doc);
        for r in &recs {
            self.write_record(r)?;
        }
        Ok(recs.len())
    }

    fn write_gkg(&mut self, doc: &Doc) -> io::Result<usize> {
        let date = self
            .opts
            .date_added
            .or_else(|| doc.published.and_then(|d| d.and_hms_opt(0, 0, 0)))
            .unwrap_or_else(|| chrono::Utc::now().naive_utc());
        let id = format!("{}-{}", gkg::gkg_date(date), self.written);
        let line = gkg_row(doc, &id, date).join("\t");
        match &mut self.sink {
            Sink::Plain(w) => {
                w.write_all(line.as_bytes())?;
                w.write_all(b"\n")?;
            }
            Sink::Csv(_) => {
                return Err(io::Error::other("GKG rows cannot go to a CSV sink"));
            }
        }
        self.written += 1;
        Ok(1)
    }

    /// Rows written so far (events, or documents for [`Format::Gkg`]).
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Flushes (writing the CSV header even when there were no events) and
    /// returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        match self.sink {
            Sink::Plain(mut w) => {
                w.flush()?;
                Ok(w)
            }
            Sink::Csv(ref mut w) if !self.header_done => {
                w.write_record(CSV_COLUMNS)?;
                self.header_done = true;
                self.finish()
            }
            Sink::Csv(w) => w.into_inner().map_err(|e| io::Error::other(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests;
