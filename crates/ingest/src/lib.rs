//! Petrel's article readers.
//!
//! [`read`] turns a list of inputs (files, directories, globs, `-` for
//! stdin) into a stream of [`Article`]s, one record at a time (a JSONL or
//! WARC file is never loaded whole), with errors that name the file and the
//! record (`news.jsonl:12: invalid JSON: …`, `crawl.warc.gz: record 7 at
//! byte 40960: truncated block`). What it is not: a crawler or a
//! deduplicator.
//!
//! # Inputs
//! - **Directories** are walked recursively; files with a known extension
//!   (`.txt`, `.jsonl`/`.ndjson`, `.html`/`.htm`/`.xhtml`,
//!   `.xml`/`.rss`/`.atom`, `.warc`/`.warc.gz`, and any of them `.gz`) are read in sorted path
//!   order, so runs are deterministic. Names starting with `.` are skipped,
//!   symbolic links to directories are not followed, and other extensions
//!   are ignored.
//! - **Globs**: a path that does not exist and contains `*`, `?` or `[` is
//!   expanded (`data/*.warc.gz`, `news/**/*.html`), matches in sorted order;
//!   no match is an error naming the pattern.
//! - **Files** are read whatever their extension; [`Format::Auto`] picks the
//!   format from the extension (`.xml` is sniffed: feed or XHTML) and
//!   otherwise from the first bytes (`{` →
//!   JSONL; `<!doctype html`/`<html`/other tags → HTML; `<rss`, `<feed`,
//!   `<rdf:RDF` or `<?xml` followed by one of them → feed; `WARC/1.` →
//!   WARC; anything else → text). Gzip files (magic `1f 8b`) are decompressed
//!   and their content sniffed the same way (`.warc.gz`, but also
//!   `.jsonl.gz`).
//! - **`-`** reads standard input, sniffed the same way.
//!
//! A forced format applies to files named directly (or matched by a glob) and
//! to stdin; inside directories every file keeps the format of its extension,
//! except that a forced [`Format::Reuters`] applies to `.jsonl` files (so a
//! corpus folder's `README.txt` is not parsed as JSON).
//!
//! # Plain text (one article per file)
//! - `id`: the file stem for a file named directly; for a file found in a
//!   directory, its path relative to that directory without the extension,
//!   with `/` separators (`politics/001`), so equal stems in sibling folders
//!   do not collide; `stdin` for standard input.
//! - `text`: the whole file, byte for byte (offsets refer to the file), minus
//!   a leading UTF-8 byte-order mark. A file that is not valid UTF-8 is
//!   decoded lossily (U+FFFD for bad bytes) and counted in
//!   [`Summary::lossy`]. An empty or blank file is a malformed record.
//! - `title`: the first line, trimmed, when it is followed by a blank line and
//!   is at most 300 characters (the headline convention of news dumps); it
//!   stays in `text` too. Disable with [`IngestOptions::text_titles`].
//! - `published`: [`IngestOptions::default_date`] (the CLI's `--date`).
//!
//! # JSONL (one article per line)
//! `{"id","url","source","published","title","text","byline"}`; unknown
//! fields are ignored, blank lines skipped. `text` is required and must be a
//! non-empty string. `published` is an ISO date or datetime
//! ([`petrel_doc::parse_published`]); when absent, null or empty the
//! default date applies. `id` may be a string or an integer; when missing or empty it is
//! derived from the text: `fnv-` followed by the 16 hex digits of the 64-bit
//! FNV-1a hash of the text's UTF-8 bytes (stable across runs, platforms and
//! versions). A line that is not a JSON object, misses `text`, or has a field
//! of the wrong type or a bad date is a malformed record.
//!
//! # Reuters-21578 JSONL ([`Format::Reuters`])
//! `{"newid","date","title","dateline","body"}` with dates like
//! `26-FEB-1987 15:01:01.79`: `id` = `newid`, `text` = `body`, `source` =
//! `Reuters`. Under [`Format::Auto`] a JSONL record with `newid` and no
//! `text` is read this way.
//!
//! # HTML (one article per file, [`Format::Html`])
//! The article body, title, byline, date, canonical URL and site name are
//! extracted as described in [`html`]; `id` as for text files; `url` falls
//! back to the file path. A page without any body text is a malformed record.
//!
//! # RSS 2.0 and Atom feeds ([`Format::Feed`])
//! One article per `<item>`/`<entry>`, see [`feed`]. A malformed item is a
//! malformed record named by its item number and line; reading resumes at the
//! next item.
//!
//! # WARC and WARC.gz ([`Format::Warc`])
//! One article per `response` record whose HTTP status is 200 and whose
//! content type is HTML (and per `resource` record with `text/html`), see
//! [`warc`]. Other records are not articles: responses with another status
//! or content type are counted in [`Summary::not_articles`], other record
//! types (`request`, `metadata`, `warcinfo`, …) are passed over silently. A
//! broken record (bad header, bad `Content-Length`, truncated gzip member,
//! broken chunked encoding, no text) is a malformed record named by its
//! record number and byte offset; reading resumes at the next record where
//! the file allows it.
//!
//! # Errors
//! Malformed records and unreadable files are yielded as `Err`
//! ([`IngestError`]). With [`OnError::Skip`] reading goes on after them; with
//! [`OnError::Reject`] the first one ends the stream. [`Reader::summary`]
//! counts what was read and skipped, [`Reader::progress`] how many input
//! bytes were consumed. No input, however broken, makes a reader panic.

pub mod feed;
pub mod html;
pub mod warc;

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;
pub use petrel_doc::Article;
use serde_json::{Map, Value};

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// By extension, else by the first bytes.
    #[default]
    Auto,
    /// One article per file.
    Text,
    /// One JSON article per line.
    Jsonl,
    /// Reuters-21578 JSON lines.
    Reuters,
    /// One HTML page per file.
    Html,
    /// An RSS 2.0 or Atom feed: one article per item/entry.
    Feed,
    /// A WARC file, plain or gzipped: one article per HTML response.
    Warc,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "text" | "txt" => Ok(Format::Text),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            "reuters" => Ok(Format::Reuters),
            "html" | "htm" | "xhtml" => Ok(Format::Html),
            "feed" | "rss" | "atom" => Ok(Format::Feed),
            "warc" => Ok(Format::Warc),
            _ => Err(format!(
                "unknown input format {s:?} (expected auto, text, jsonl, reuters, html, feed/rss/atom or warc)"
            )),
        }
    }
}

/// The format a file name implies, if any (`Auto`: a known extension whose
/// content is sniffed).
fn format_of_name(path: &Path) -> Option<Format> {
    // Case-sensitive, as before: a corpus folder's `README.TXT` is not read.
    let name = path.file_name()?.to_str()?;
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let ext = name.rsplit_once('.')?.1;
    match ext {
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "txt" => Some(Format::Text),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "rss" | "atom" => Some(Format::Feed),
        // A feed or an XHTML page: the first bytes decide.
        "xml" => Some(Format::Auto),
        "warc" => Some(Format::Warc),
        _ => None,
    }
}

/// What to do with a malformed record or unreadable file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Yield the error and go on.
    #[default]
    Skip,
    /// Yield the error and stop.
    Reject,
}

/// Reader options.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub format: Format,
    pub on_error: OnError,
    /// Publication date for articles that do not carry one.
    pub default_date: Option<NaiveDate>,
    /// Take a plain-text file's first line as its title when a blank line
    /// follows it.
    pub text_titles: bool,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            format: Format::Auto,
            on_error: OnError::Skip,
            default_date: None,
            text_titles: true,
        }
    }
}

/// A malformed record or an I/O failure, located by file and line; records
/// without lines (feed items, WARC records) are named at the start of the
/// message (`item 3: …`, `record 7 at byte 40960: …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    /// The file (`-` for stdin).
    pub file: String,
    /// 1-based line for JSONL records and feed items; `None` for whole-file
    /// problems and WARC records.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file, l, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for IngestError {}

/// What a run read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files (and stdin) opened.
    pub files: usize,
    /// Articles yielded.
    pub read: usize,
    /// Malformed records skipped (each was yielded as an error).
    pub skipped: usize,
    /// All errors yielded (malformed records and I/O failures).
    pub errors: usize,
    /// Text files decoded lossily because they were not valid UTF-8.
    pub lossy: usize,
    /// WARC responses passed over quietly because they are not articles
    /// (HTTP status other than 200, content other than HTML).
    pub not_articles: usize,
}

/// The id given to a JSONL article without one (see the crate docs).
pub fn text_id(text: &str) -> String {
    format!("fnv-{:016x}", petrel_doc::fnv1a64(&[text.as_bytes()]))
}

/// Reads `inputs` (paths, globs, or `-` for stdin) as a stream of articles.
///
/// Directories are walked and globs expanded here, so that
/// [`Reader::progress`] knows the total size from the start.
pub fn read<P: AsRef<Path>>(inputs: &[P], opts: &IngestOptions) -> Reader {
    let mut queue = VecDeque::new();
    let mut total = 0u64;
    for p in inputs {
        expand(p.as_ref(), &mut queue, &mut total);
    }
    Reader::new(opts, queue, total)
}

/// Reads one already-open stream (`name` is used in errors; a text
/// article gets `name` as its id), sniffed under [`Format::Auto`]. Standard
/// input is `read(&["-"], …)`.
pub fn read_stream(input: Box<dyn Read + Send>, name: &str, opts: &IngestOptions) -> Reader {
    let mut queue = VecDeque::new();
    queue.push_back(Pending::Stream(input, name.to_string()));
    Reader::new(opts, queue, 0)
}

fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Queues one input: a file, the files of a directory, the matches of a
/// glob, stdin, or the error that says why it cannot be read.
fn expand(path: &Path, queue: &mut VecDeque<Pending>, total: &mut u64) {
    let name = path.display().to_string();
    if name == "-" {
        queue.push_back(Pending::Stdin);
        return;
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => match walk(path) {
            Ok(files) => {
                for (f, id, size) in files {
                    *total += size;
                    queue.push_back(Pending::Found(f, id));
                }
            }
            Err(message) => queue.push_back(Pending::Failed(IngestError {
                file: name,
                line: None,
                message,
            })),
        },
        Ok(m) => {
            *total += m.len();
            queue.push_back(Pending::Input(path.to_path_buf()));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound && has_glob_chars(&name) => {
            let matches = match glob::glob(&name) {
                Ok(paths) => paths,
                Err(e) => {
                    queue.push_back(Pending::Failed(IngestError {
                        file: name,
                        line: None,
                        message: format!("bad glob pattern: {e}"),
                    }));
                    return;
                }
            };
            let mut found = Vec::new();
            for m in matches {
                match m {
                    Ok(p) => found.push(p),
                    Err(e) => queue.push_back(Pending::Failed(IngestError {
                        file: e.path().display().to_string(),
                        line: None,
                        message: format!("cannot read: {}", e.error()),
                    })),
                }
            }
            if found.is_empty() {
                queue.push_back(Pending::Failed(IngestError {
                    file: name,
                    line: None,
                    message: "no file matches this pattern".into(),
                }));
            }
            found.sort();
            for p in found {
                // A match never contains glob characters that do not exist,
                // so this cannot recurse into another expansion.
                if std::fs::metadata(&p).is_ok() {
                    expand(&p, queue, total);
                }
            }
        }
        Err(e) => queue.push_back(Pending::Failed(IngestError {
            file: name,
            line: None,
            message: format!("cannot read: {e}"),
        })),
    }
}

enum Pending {
    /// An open stream and its name.
    Stream(Box<dyn Read + Send>, String),
    /// Standard input.
    Stdin,
    /// A file named by the caller (or matched by a glob).
    Input(PathBuf),
    /// A file found in a directory, with its id stem.
    Found(PathBuf, String),
    /// An input that could not be listed.
    Failed(IngestError),
}

/// Counts the bytes read through it into a shared counter.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

struct LineSource {
    reader: Box<dyn BufRead + Send>,
    file: String,
    line: usize,
    reuters: bool,
    buf: Vec<u8>,
}

/// A source of several records in one file.
enum Source {
    Lines(LineSource),
    Warc(warc::WarcArticles),
    /// Records already parsed (feed items), in order.
    Items(VecDeque<feed::Item>),
}

/// The article stream returned by [`read`].
pub struct Reader {
    opts: IngestOptions,
    queue: VecDeque<Pending>,
    current: Option<Source>,
    summary: Summary,
    done: bool,
    consumed: Arc<AtomicU64>,
    total: u64,
}

type Buffered = BufReader<Box<dyn Read + Send>>;

impl Reader {
    fn new(opts: &IngestOptions, queue: VecDeque<Pending>, total: u64) -> Reader {
        Reader {
            opts: opts.clone(),
            queue,
            current: None,
            summary: Summary::default(),
            done: false,
            consumed: Arc::new(AtomicU64::new(0)),
            total,
        }
    }

    /// Counts so far (final once the iterator is exhausted).
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// `(bytes consumed so far, total bytes of all inputs)`. Bytes are
    /// counted as read from the files (compressed bytes for gzip files),
    /// slightly ahead of the records yielded because of buffering. The total
    /// is the size of the files named, found in directories or matched by
    /// globs when the reader was made; 0 when unknown (stdin or a stream
    /// only, whose bytes are still counted as consumed).
    pub fn progress(&self) -> (u64, u64) {
        (self.consumed.load(Ordering::Relaxed), self.total)
    }

    fn fail(&mut self, e: IngestError, record: bool) -> Option<Result<Article, IngestError>> {
        self.summary.errors += 1;
        if record {
            self.summary.skipped += 1;
        }
        if self.opts.on_error == OnError::Reject {
            self.done = true;
            self.current = None;
            self.queue.clear();
        }
        Some(Err(e))
    }

    fn ok(&mut self, a: Article) -> Option<Result<Article, IngestError>> {
        self.summary.read += 1;
        Some(Ok(a))
    }

    /// Next record of the current source; `None` at its end.
    fn next_record(&mut self) -> Option<Result<Article, IngestError>> {
        match self.current.as_mut()? {
            Source::Lines(_) => self.next_line(),
            Source::Items(items) => match items.pop_front() {
                Some(Ok(a)) => self.ok(a),
                Some(Err((e, record))) => self.fail(e, record),
                None => {
                    self.current = None;
                    None
                }
            },
            Source::Warc(w) => match w.next_article(&self.opts, &mut self.summary) {
                Some(Ok(a)) => self.ok(a),
                Some(Err((e, record))) => self.fail(e, record),
                None => {
                    self.current = None;
                    None
                }
            },
        }
    }

    /// Next JSONL record of the current source; `None` at its end.
    fn next_line(&mut self) -> Option<Result<Article, IngestError>> {
        let Some(Source::Lines(src)) = self.current.as_mut() else {
            return None;
        };
        loop {
            src.buf.clear();
            match src.reader.read_until(b'\n', &mut src.buf) {
                Ok(0) => {
                    self.current = None;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    let err = IngestError {
                        file: src.file.clone(),
                        line: Some(src.line + 1),
                        message: format!("read error: {e}"),
                    };
                    self.current = None;
                    return self.fail(err, false);
                }
            }
            src.line += 1;
            let line_no = src.line;
            let mut bytes: &[u8] = &src.buf;
            if line_no == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            let line = match std::str::from_utf8(bytes) {
                Ok(l) => l,
                Err(e) => {
                    let err = IngestError {
                        file: src.file.clone(),
                        line: Some(line_no),
                        message: format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
                    };
                    return self.fail(err, true);
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            let parsed = parse_json_line(line, src.reuters, &self.opts);
            let file = src.file.clone();
            return match parsed {
                Ok(a) => self.ok(a),
                Err(message) => self.fail(
                    IngestError {
                        file,
                        line: Some(line_no),
                        message,
                    },
                    true,
                ),
            };
        }
    }

    /// Opens the next pending input: yields a one-article file or an error,
    /// or sets `current` to a multi-record source (then returns `None`).
    fn open_next(&mut self, pending: Pending) -> Option<Result<Article, IngestError>> {
        let (path, found_id) = match pending {
            Pending::Input(p) => (p, None),
            Pending::Found(p, id) => (p, Some(id)),
            Pending::Failed(e) => return self.fail(e, false),
            Pending::Stream(r, name) => {
                self.summary.files += 1;
                let r: Box<dyn Read + Send> = Box::new(Counting {
                    inner: r,
                    count: self.consumed.clone(),
                });
                let stream = Opened {
                    file: name.clone(),
                    id: name,
                    path: None,
                };
                return self.open_stream(BufReader::new(r), stream, self.opts.format);
            }
            Pending::Stdin => {
                self.summary.files += 1;
                let stdin: Box<dyn Read + Send> = Box::new(Counting {
                    inner: io::stdin(),
                    count: self.consumed.clone(),
                });
                let stream = Opened {
                    file: "-".into(),
                    id: "stdin".into(),
                    path: None,
                };
                return self.open_stream(BufReader::new(stdin), stream, self.opts.format);
            }
        };
        let name = path.display().to_string();
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                return self.fail(
                    IngestError {
                        file: name,
                        line: None,
                        message: format!("cannot open: {e}"),
                    },
                    false,
                )
            }
        };
        self.summary.files += 1;
        let by_name = format_of_name(&path);
        let format = match (self.opts.format, by_name, found_id.is_some()) {
            (Format::Auto, Some(f), _) => f,
            // In a directory every file keeps the format of its extension,
            // except that JSONL files may be forced to Reuters.
            (Format::Reuters, Some(Format::Jsonl), true) => Format::Reuters,
            (_, Some(f), true) => f,
            (f, _, _) => f,
        };
        let id = found_id.unwrap_or_else(|| file_id(&path, &name));
        let reader: Box<dyn Read + Send> = Box::new(Counting {
            inner: file,
            count: self.consumed.clone(),
        });
        let opened = Opened {
            file: name,
            id,
            path: Some(path.display().to_string()),
        };
        self.open_stream(BufReader::with_capacity(1 << 16, reader), opened, format)
    }

    fn read_error(&mut self, file: String, e: io::Error) -> Option<Result<Article, IngestError>> {
        self.fail(
            IngestError {
                file,
                line: None,
                message: format!("read error: {e}"),
            },
            false,
        )
    }

    fn open_stream(
        &mut self,
        reader: Buffered,
        opened: Opened,
        format: Format,
    ) -> Option<Result<Article, IngestError>> {
        let mut reader = match ungzip(reader) {
            Ok(r) => r,
            Err(e) => return self.read_error(opened.file, e),
        };
        let format = match format {
            Format::Auto => match sniff(&mut reader) {
                Ok(f) => f,
                Err(e) => return self.read_error(opened.file, e),
            },
            f => f,
        };
        let Opened { file, id, path } = opened;
        match format {
            Format::Text | Format::Auto | Format::Html | Format::Feed => {
                let mut bytes = Vec::new();
                if let Err(e) = reader.read_to_end(&mut bytes) {
                    return self.read_error(file, e);
                }
                let result = match format {
                    Format::Html => html_article(&bytes, id, path, &self.opts),
                    Format::Feed => {
                        let items = feed::read_feed(&bytes, &file, &self.opts);
                        self.current = Some(Source::Items(items.into()));
                        return None;
                    }
                    _ => text_article(bytes, id, &self.opts).map(|(a, lossy)| {
                        if lossy {
                            self.summary.lossy += 1;
                        }
                        a
                    }),
                };
                match result {
                    Ok(a) => self.ok(a),
                    Err(message) => self.fail(
                        IngestError {
                            file,
                            line: None,
                            message,
                        },
                        true,
                    ),
                }
            }
            Format::Jsonl | Format::Reuters => {
                self.current = Some(Source::Lines(LineSource {
                    reader: Box::new(reader),
                    file,
                    line: 0,
                    reuters: format == Format::Reuters,
                    buf: Vec::new(),
                }));
                None
            }
            Format::Warc => {
                self.current = Some(Source::Warc(warc::WarcArticles::new(
                    Box::new(reader),
                    file,
                )));
                None
            }
        }
    }
}

/// What an opened input is called.
struct Opened {
    /// The name used in errors.
    file: String,
    /// The id of a one-article file.
    id: String,
    /// The file path, for the URL of an HTML page.
    path: Option<String>,
}

/// The id of a file named directly: its stem, without `.gz` and the
/// extension before it.
fn file_id(path: &Path, name: &str) -> String {
    let Some(fname) = path.file_name().map(|s| s.to_string_lossy().into_owned()) else {
        return name.to_string();
    };
    let base = fname.strip_suffix(".gz").unwrap_or(&fname);
    match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => base.to_string(),
    }
}

/// Wraps a gzip stream (magic `1f 8b`) in a multi-member decoder.
fn ungzip(mut reader: Buffered) -> io::Result<Buffered> {
    let buf = reader.fill_buf()?;
    if buf.starts_with(&[0x1f, 0x8b]) {
        let dec: Box<dyn Read + Send> = Box::new(flate2::bufread::MultiGzDecoder::new(reader));
        Ok(BufReader::with_capacity(1 << 16, dec))
    } else {
        Ok(reader)
    }
}

impl Iterator for Reader {
    type Item = Result<Article, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            if self.current.is_some() {
                if let Some(r) = self.next_record() {
                    return Some(r);
                }
                continue;
            }
            let pending = match self.queue.pop_front() {
                Some(p) => p,
                None => {
                    self.done = true;
                    return None;
                }
            };
            if let Some(r) = self.open_next(pending) {
                return Some(r);
            }
        }
    }
}

/// The format of a stream from its first bytes (see the crate docs).
fn sniff(reader: &mut Buffered) -> io::Result<Format> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(Format::Text);
        }
        let buf = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
        if let Some(start) = buf.iter().position(|b| !b.is_ascii_whitespace()) {
            return Ok(sniff_bytes(buf.get(start..).unwrap_or_default()));
        }
        // Only whitespace buffered: the stream is blank so far; consume it
        // (a blank prefix is not part of any record).
        let n = reader.buffer().len();
        reader.consume(n);
    }
}

/// The format of bytes that start with a non-blank byte.
fn sniff_bytes(buf: &[u8]) -> Format {
    if buf.starts_with(b"WARC/") {
        return Format::Warc;
    }
    match buf.first() {
        Some(b'{') => return Format::Jsonl,
        Some(b'<') => {}
        _ => return Format::Text,
    }
    // Skip the XML declaration, comments and processing instructions to the
    // first doctype or element.
    let head: Vec<u8> = buf.iter().take(4096).map(u8::to_ascii_lowercase).collect();
    let mut rest: &[u8] = &head;
    let mut xml_decl = false;
    loop {
        let trimmed = match rest.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => rest.get(i..).unwrap_or_default(),
            None => return Format::Html,
        };
        let skip_to = |end: &[u8]| {
            trimmed
                .windows(end.len())
                .position(|w| w == end)
                .map(|i| i + end.len())
        };
        let next = if trimmed.starts_with(b"<?") {
            xml_decl |= trimmed.starts_with(b"<?xml");
            skip_to(b"?>")
        } else if trimmed.starts_with(b"<!--") {
            skip_to(b"-->")
        } else if trimmed.starts_with(b"<!doctype") {
            return if trimmed.starts_with(b"<!doctype html") {
                Format::Html
            } else {
                Format::Feed
            };
        } else if trimmed.starts_with(b"<rss")
            || trimmed.starts_with(b"<feed")
            || trimmed.starts_with(b"<rdf:rdf")
        {
            return Format::Feed;
        } else if trimmed.starts_with(b"<") {
            // Another root after an XML declaration is some other XML
            // (reported as "not a feed"); without one, an HTML fragment.
            return if xml_decl && !trimmed.starts_with(b"<html") {
                Format::Feed
            } else {
                Format::Html
            };
        } else {
            return Format::Text;
        };
        match next.and_then(|i| trimmed.get(i..)) {
            Some(r) => rest = r,
            // A declaration or comment longer than the sniffed prefix.
            None => return Format::Feed,
        }
    }
}

/// Files under `root` with a known extension, sorted, with their ids and
/// sizes.
fn walk(root: &Path) -> Result<Vec<(PathBuf, String, u64)>, String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
            let path = entry.path();
            let fname = entry.file_name();
            if fname.to_string_lossy().starts_with('.') {
                continue;
            }
            let ft = entry
                .file_type()
                .map_err(|e| format!("{}: {e}", path.display()))?;
            if ft.is_dir() {
                stack.push(path);
            } else if format_of_name(&path).is_some() {
                // Symlinks to files are read; symlinks to directories are not
                // followed (file_type does not follow links).
                if ft.is_symlink() && path.is_dir() {
                    continue;
                }
                let size = std::fs::metadata(&path).map_or(0, |m| m.len());
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if let Some(last) = parts.last_mut() {
                    *last = file_id(Path::new(last.as_str()), last);
                }
                out.push((path, parts.join("/"), size));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// An HTML page as one article.
fn html_article(
    bytes: &[u8],
    id: String,
    path: Option<String>,
    opts: &IngestOptions,
) -> Result<Article, String> {
    let page = html::extract(bytes, None, None);
    page.into_article(id, path, opts.default_date)
}

/// A plain-text article from a file's bytes; the flag says whether the
/// bytes were not valid UTF-8 (decoded lossily).
fn text_article(
    bytes: Vec<u8>,
    id: String,
    opts: &IngestOptions,
) -> Result<(Article, bool), String> {
    let (mut text, lossy) = match String::from_utf8(bytes) {
        Ok(s) => (s, false),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
    };
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    if text.trim().is_empty() {
        return Err("empty article text".into());
    }
    let title = if opts.text_titles {
        headline(&text)
    } else {
        None
    };
    Ok((
        Article {
            id,
            url: None,
            source: None,
            title,
            published: opts.default_date,
            text,
            byline: None,
        },
        lossy,
    ))
}

/// The first line when a blank line follows it (see the crate docs).
fn headline(text: &str) -> Option<String> {
    let mut lines = text.split('\n');
    let first = lines.next()?.trim();
    let second = lines.next()?;
    (!first.is_empty() && second.trim().is_empty() && first.chars().count() <= 300)
        .then(|| first.to_string())
}

fn opt_string(m: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v) => Err(format!(
            "field {key:?} must be a string, got {}",
            type_name(v)
        )),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn id_field(m: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => Ok(Some(n.to_string())),
        Some(v) => Err(format!(
            "field {key:?} must be a string or an integer, got {}",
            type_name(v)
        )),
    }
}

fn required_text(m: &Map<String, Value>, key: &str) -> Result<String, String> {
    match opt_string(m, key)? {
        None => Err(format!("missing field {key:?}")),
        Some(s) if s.trim().is_empty() => Err(format!("field {key:?} is empty")),
        Some(s) => Ok(s),
    }
}

fn parse_json_line(line: &str, reuters: bool, opts: &IngestOptions) -> Result<Article, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(m) = v else {
        return Err(format!("expected a JSON object, got {}", type_name(&v)));
    };
    let reuters = reuters
        || (opts.format == Format::Auto && m.contains_key("newid") && !m.contains_key("text"));
    if reuters {
        return reuters_article(&m, opts);
    }
    let text = required_text(&m, "text")?;
    let published = match opt_string(&m, "published")? {
        Some(s) if !s.trim().is_empty() => Some(petrel_doc::parse_published(&s)?),
        _ => opts.default_date,
    };
    let id = id_field(&m, "id")?.unwrap_or_else(|| text_id(&text));
    Ok(Article {
        id,
        url: opt_string(&m, "url")?,
        source: opt_string(&m, "source")?,
        title: opt_string(&m, "title")?,
        published,
        text,
        byline: opt_string(&m, "byline")?,
    })
}

/// Parses a Reuters-21578 date (`26-FEB-1987 15:01:01.79`, day may be one
/// digit) to its calendar date.
pub fn parse_reuters_date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    let day_part = s.split_whitespace().next().unwrap_or("");
    let mut it = day_part.split('-');
    let (Some(d), Some(mon), Some(y), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(format!(
            "Reuters date must look like 26-FEB-1987 15:01:01.79, got {s:?}"
        ));
    };
    let month = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ]
    .iter()
    .position(|m| m.eq_ignore_ascii_case(mon))
    .ok_or_else(|| format!("unknown month {mon:?} in Reuters date {s:?}"))?;
    let (d, y) = match (d.parse::<u32>(), y.parse::<i32>()) {
        (Ok(d), Ok(y)) => (d, y),
        _ => {
            return Err(format!(
                "Reuters date must look like 26-FEB-1987 15:01:01.79, got {s:?}"
            ))
        }
    };
    NaiveDate::from_ymd_opt(y, month as u32 + 1, d)
        .ok_or_else(|| format!("invalid calendar date in {s:?}"))
}

fn reuters_article(m: &Map<String, Value>, opts: &IngestOptions) -> Result<Article, String> {
    let id = id_field(m, "newid")?.ok_or_else(|| "missing field \"newid\"".to_string())?;
    let text = required_text(m, "body")?;
    let published = match opt_string(m, "date")? {
        None => opts.default_date,
        Some(s) => Some(parse_reuters_date(&s)?),
    };
    Ok(Article {
        id,
        url: None,
        source: Some("Reuters".into()),
        title: opt_string(m, "title")?,
        published,
        text,
        byline: None,
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod tests_web;
