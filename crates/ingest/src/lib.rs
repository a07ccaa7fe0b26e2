//! Petrel's article readers.
//!
//! [`read`] turns a list of inputs (files, directories, `-` for stdin) into a
//! stream of [`Article`]s, one record at a time (a JSONL file is never loaded
//! whole), with errors that name the file and line (`news.jsonl:12: invalid
//! JSON: …`). What it is not: a crawler, an HTML extractor or a
//! deduplicator; text is taken as given.
//!
//! # Inputs
//! - **Directories** are walked recursively; files ending in `.txt`
//!   (plain text) or `.jsonl`/`.ndjson` (JSON lines) are read in sorted path
//!   order, so runs are deterministic. Names starting with `.` are skipped,
//!   symbolic links to directories are not followed, and other extensions
//!   are ignored.
//! - **Files** are read whatever their extension; [`Format::Auto`] picks the
//!   format from the extension (`.jsonl`/`.ndjson` → JSONL, `.txt` → text) and
//!   otherwise from the first non-blank character (`{` → JSONL).
//! - **`-`** reads standard input, sniffed the same way.
//!
//! A forced format ([`Format::Text`], [`Format::Jsonl`], [`Format::Reuters`])
//! applies to files named directly and to stdin; inside directories a
//! `.txt` file stays one text article (so a corpus folder's `README.txt` is
//! not parsed as JSON) and the forced format applies to the `.jsonl` files.
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
//! `{"id","url","source","published","title","text"}`; unknown fields are
//! ignored, blank lines skipped. `text` is required and must be a non-empty
//! string. `published` is an ISO date or datetime
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
//! # Errors
//! Malformed records and unreadable files are yielded as `Err`
//! ([`IngestError`]). With [`OnError::Skip`] reading goes on after them; with
//! [`OnError::Reject`] the first one ends the stream. [`Reader::summary`]
//! counts what was read and skipped.

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
pub use petrel_doc::Article;
use serde_json::{Map, Value};

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// By extension, else by the first non-blank character.
    #[default]
    Auto,
    /// One article per file.
    Text,
    /// One JSON article per line.
    Jsonl,
    /// Reuters-21578 JSON lines.
    Reuters,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "text" | "txt" => Ok(Format::Text),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            "reuters" => Ok(Format::Reuters),
            _ => Err(format!(
                "unknown input format {s:?} (expected auto, text, jsonl or reuters)"
            )),
        }
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

/// A malformed record or an I/O failure, located by file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    /// The file (`-` for stdin).
    pub file: String,
    /// 1-based line for JSONL records; `None` for whole-file problems.
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
}

/// The id given to a JSONL article without one (see the crate docs).
pub fn text_id(text: &str) -> String {
    format!("fnv-{:016x}", petrel_doc::fnv1a64(&[text.as_bytes()]))
}

/// Reads `inputs` (paths, or `-` for stdin) as a stream of articles.
pub fn read<P: AsRef<Path>>(inputs: &[P], opts: &IngestOptions) -> Reader {
    Reader {
        opts: opts.clone(),
        queue: inputs
            .iter()
            .map(|p| Pending::Input(p.as_ref().to_path_buf()))
            .collect(),
        current: None,
        summary: Summary::default(),
        done: false,
    }
}

/// Reads one already-open stream (`name` is used in errors; a text
/// article gets `name` as its id), sniffed under [`Format::Auto`]. Standard
/// input is `read(&["-"], …)`.
pub fn read_stream(input: Box<dyn Read + Send>, name: &str, opts: &IngestOptions) -> Reader {
    let mut queue = VecDeque::new();
    queue.push_back(Pending::Stream(input, name.to_string()));
    Reader {
        opts: opts.clone(),
        queue,
        current: None,
        summary: Summary::default(),
        done: false,
    }
}

enum Pending {
    /// An open stream and its name.
    Stream(Box<dyn Read + Send>, String),
    /// As given by the caller (file, directory or `-`).
    Input(PathBuf),
    /// A file found in a directory, with its id stem.
    Found(PathBuf, String),
}

struct LineSource {
    reader: Box<dyn BufRead + Send>,
    file: String,
    line: usize,
    reuters: bool,
    buf: Vec<u8>,
}

/// The article stream returned by [`read`].
pub struct Reader {
    opts: IngestOptions,
    queue: VecDeque<Pending>,
    current: Option<LineSource>,
    summary: Summary,
    done: bool,
}

impl Reader {
    /// Counts so far (final once the iterator is exhausted).
    pub fn summary(&self) -> &Summary {
        &self.summary
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

    /// Next JSONL record of the current source; `None` at its end.
    fn next_line(&mut self) -> Option<Result<Article, IngestError>> {
        let src = self.current.as_mut()?;
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

    /// Opens the next pending input: yields a text article or an error, or
    /// sets `current` to a JSONL source (then returns `None`).
    fn open_next(&mut self, pending: Pending) -> Option<Result<Article, IngestError>> {
        let (path, found_id) = match pending {
            Pending::Input(p) => (p, None),
            Pending::Found(p, id) => (p, Some(id)),
            Pending::Stream(r, name) => {
                self.summary.files += 1;
                return self.open_stream(BufReader::new(r), name.clone(), name, self.opts.format);
            }
        };
        let name = path.display().to_string();
        if found_id.is_none() && name == "-" {
            self.summary.files += 1;
            let stdin: Box<dyn Read + Send> = Box::new(io::stdin());
            return self.open_stream(
                BufReader::new(stdin),
                "-".into(),
                "stdin".into(),
                self.opts.format,
            );
        }
        if found_id.is_none() {
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => {
                    return match walk(&path) {
                        Ok(files) => {
                            for (i, f) in files.into_iter().enumerate() {
                                self.queue.insert(i, Pending::Found(f.0, f.1));
                            }
                            None
                        }
                        Err(e) => self.fail(
                            IngestError {
                                file: name,
                                line: None,
                                message: e,
                            },
                            false,
                        ),
                    };
                }
                Ok(_) => {}
                Err(e) => {
                    return self.fail(
                        IngestError {
                            file: name,
                            line: None,
                            message: format!("cannot read: {e}"),
                        },
                        false,
                    )
                }
            }
        }
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
        let by_ext = match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl") | Some("ndjson") => Some(Format::Jsonl),
            Some("txt") => Some(Format::Text),
            _ => None,
        };
        let format = match (self.opts.format, by_ext) {
            (Format::Auto, Some(f)) => f,
            // In a directory a `.txt` file is always one text article.
            (_, Some(Format::Text)) if found_id.is_some() => Format::Text,
            (f, _) => f,
        };
        let id = found_id.unwrap_or_else(|| {
            path.file_stem()
                .map_or(name.clone(), |s| s.to_string_lossy().into_owned())
        });
        let reader: Box<dyn Read + Send> = Box::new(file);
        self.open_stream(BufReader::with_capacity(1 << 16, reader), name, id, format)
    }

    fn open_stream(
        &mut self,
        mut reader: BufReader<Box<dyn Read + Send>>,
        file: String,
        id: String,
        format: Format,
    ) -> Option<Result<Article, IngestError>> {
        let format = match format {
            Format::Auto => match sniff(&mut reader) {
                Ok(f) => f,
                Err(e) => {
                    return self.fail(
                        IngestError {
                            file,
                            line: None,
                            message: format!("read error: {e}"),
                        },
                        false,
                    )
                }
            },
            f => f,
        };
        match format {
            Format::Text | Format::Auto => {
                let mut bytes = Vec::new();
                if let Err(e) = reader.read_to_end(&mut bytes) {
                    return self.fail(
                        IngestError {
                            file,
                            line: None,
                            message: format!("read error: {e}"),
                        },
                        false,
                    );
                }
                match text_article(bytes, id, &self.opts) {
                    Ok((a, lossy)) => {
                        if lossy {
                            self.summary.lossy += 1;
                        }
                        self.ok(a)
                    }
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
                self.current = Some(LineSource {
                    reader: Box::new(reader),
                    file,
                    line: 0,
                    reuters: format == Format::Reuters,
                    buf: Vec::new(),
                });
                None
            }
        }
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
                if let Some(r) = self.next_line() {
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

/// JSONL when the first non-blank byte is `{`, else text.
fn sniff(reader: &mut BufReader<Box<dyn Read + Send>>) -> io::Result<Format> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(Format::Text);
        }
        let buf = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
        if let Some(&b) = buf.iter().find(|b| !b.is_ascii_whitespace()) {
            return Ok(if b == b'{' {
                Format::Jsonl
            } else {
                Format::Text
            });
        }
        // Only whitespace buffered: the stream is blank so far; consume it
        // (a blank prefix is not part of any JSONL record).
        let n = reader.buffer().len();
        reader.consume(n);
    }
}

/// Files under `root` with a known extension, sorted, with their ids.
fn walk(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
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
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("txt" | "jsonl" | "ndjson")
            ) {
                // Symlinks to files are read; symlinks to directories are not
                // followed (file_type does not follow links).
                if ft.is_symlink() && path.is_dir() {
                    continue;
                }
                let rel = path.strip_prefix(root).unwrap_or(&path).with_extension("");
                let id = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((path, id));
            }
        }
    }
    out.sort();
    Ok(out)
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
