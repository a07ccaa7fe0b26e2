//! WARC 1.0/1.1 files (plain or gzipped, one gzip member per record or one
//! for the whole file) → one article per HTML page.
//!
//! A record is a `WARC/1.x` line, header lines, a blank line, a block of
//! `Content-Length` bytes and a blank line (`\r\n\r\n`). Records are read one
//! at a time, so a file of any size streams.
//!
//! - `response` records: the block is an HTTP response. Status 200 with an
//!   HTML `Content-Type` (`text/html`, `application/xhtml+xml`; with no
//!   content type, a body that starts like HTML) becomes an article; other
//!   responses are counted as not articles. `Transfer-Encoding: chunked` and
//!   `Content-Encoding: gzip`/`deflate` are undone (a body that already
//!   looks like HTML is taken as stored decoded); the charset comes from the
//!   HTTP `Content-Type`, else from the page.
//! - `resource` records whose WARC `Content-Type` is HTML: the block is the
//!   page.
//! - Other record types are passed over silently.
//!
//! The page is extracted with [`crate::html::extract`] (base URL:
//! `WARC-Target-URI`). `id` = `WARC-Record-ID` without its angle brackets,
//! else the hash of the target URI (`fnv-…`); `url` falls back to
//! `WARC-Target-URI`; `published` falls back to `WARC-Date`, then to the
//! default date.
//!
//! Errors name the record by number (1-based, counting all records) and by
//! byte offset in the (decompressed) stream. A bad version line, header or
//! `Content-Length` skips to the next `WARC/1.` line; a truncated file or a
//! broken gzip member ends the file.

use crate::html;
use crate::{IngestError, IngestOptions, Summary};
use petrel_doc::Article;
use std::io::{self, BufRead, Read};

/// Longest header line accepted.
const MAX_LINE: u64 = 64 * 1024;
/// Most header lines in one record.
const MAX_HEADERS: usize = 1000;
/// Largest record block read (bigger ones are skipped as errors).
const MAX_BLOCK: u64 = 256 * 1024 * 1024;
/// Largest decompressed HTTP body.
const MAX_BODY: u64 = 64 * 1024 * 1024;

/// One WARC record.
#[derive(Debug)]
pub struct Record {
    /// 1-based number in the file.
    pub number: usize,
    /// Byte offset of its version line in the (decompressed) stream.
    pub offset: u64,
    /// Header names (as written) and values.
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl Record {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A record-level failure.
#[derive(Debug)]
pub struct RecordError {
    pub number: usize,
    pub offset: u64,
    pub message: String,
    /// Whether reading can go on after it.
    pub recoverable: bool,
}

/// Reads WARC records from a stream.
pub struct WarcReader<R> {
    reader: R,
    number: usize,
    offset: u64,
    /// A version line found while resynchronising, not yet used.
    peeked: Option<(Vec<u8>, u64)>,
    done: bool,
}

impl<R: BufRead> WarcReader<R> {
    pub fn new(reader: R) -> Self {
        WarcReader {
            reader,
            number: 0,
            offset: 0,
            peeked: None,
            done: false,
        }
    }

    /// One line (with its terminator), at most [`MAX_LINE`] bytes; empty at
    /// the end of the stream.
    fn line(&mut self) -> io::Result<Vec<u8>> {
        let mut buf = Vec::new();
        (&mut self.reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut buf)?;
        self.offset += buf.len() as u64;
        Ok(buf)
    }

    /// Skips to the next line that starts with `WARC/1.`.
    fn resync(&mut self) -> io::Result<()> {
        loop {
            let at = self.offset;
            let l = self.line()?;
            if l.is_empty() {
                self.done = true;
                return Ok(());
            }
            if l.starts_with(b"WARC/1.") {
                self.peeked = Some((l, at));
                return Ok(());
            }
        }
    }

    fn fail(&mut self, number: usize, offset: u64, message: String, resync: bool) -> RecordError {
        let recoverable = resync && self.resync().is_ok() && !self.done;
        if !recoverable {
            self.done = true;
        }
        RecordError {
            number,
            offset,
            message,
            recoverable,
        }
    }

    fn fatal(&mut self, number: usize, offset: u64, message: String) -> RecordError {
        self.done = true;
        RecordError {
            number,
            offset,
            message,
            recoverable: false,
        }
    }

    /// The next record; `None` at the end of the stream.
    pub fn next_record(&mut self) -> Option<Result<Record, RecordError>> {
        if self.done {
            return None;
        }
        // The version line, after any blank lines.
        let (version, offset) = match self.peeked.take() {
            Some(p) => p,
            None => loop {
                let at = self.offset;
                match self.line() {
                    Ok(l) if l.is_empty() => {
                        self.done = true;
                        return None;
                    }
                    Ok(l) if l.iter().all(u8::is_ascii_whitespace) => continue,
                    Ok(l) => break (l, at),
                    Err(e) => {
                        let n = self.number + 1;
                        return Some(Err(self.fatal(n, at, format!("read error: {e}"))));
                    }
                }
            },
        };
        self.number += 1;
        let number = self.number;
        if !version.starts_with(b"WARC/") {
            let shown: String = String::from_utf8_lossy(&version)
                .trim()
                .chars()
                .take(40)
                .collect();
            return Some(Err(self.fail(
                number,
                offset,
                format!("expected a WARC/1.x version line, got {shown:?}"),
                true,
            )));
        }
        // Header lines up to the blank line.
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            let l = match self.line() {
                Ok(l) => l,
                Err(e) => return Some(Err(self.fatal(number, offset, format!("read error: {e}")))),
            };
            if l.is_empty() {
                return Some(Err(self.fatal(
                    number,
                    offset,
                    "the file ends inside the record header (truncated)".into(),
                )));
            }
            if l.last() != Some(&b'\n') {
                return Some(Err(self.fail(
                    number,
                    offset,
                    "header line too long".into(),
                    true,
                )));
            }
            let text = String::from_utf8_lossy(&l);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                break;
            }
            if text.starts_with([' ', '\t']) {
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(text.trim());
                }
                continue;
            }
            let Some((k, v)) = text.split_once(':') else {
                let shown: String = text.chars().take(40).collect();
                return Some(Err(self.fail(
                    number,
                    offset,
                    format!("malformed header line {shown:?}"),
                    true,
                )));
            };
            if headers.len() >= MAX_HEADERS {
                return Some(Err(self.fail(
                    number,
                    offset,
                    "too many header lines".into(),
                    true,
                )));
            }
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        let length = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
            .map(|(_, v)| v.parse::<u64>());
        let length = match length {
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                return Some(Err(self.fail(
                    number,
                    offset,
                    "bad Content-Length".into(),
                    true,
                )))
            }
            None => {
                return Some(Err(self.fail(
                    number,
                    offset,
                    "missing Content-Length".into(),
                    true,
                )))
            }
        };
        if length > MAX_BLOCK {
            let skipped = io::copy(&mut (&mut self.reader).take(length), &mut io::sink());
            self.offset += skipped.as_ref().map_or(0, |n| *n);
            let message = format!("record block of {length} bytes is too large");
            return Some(Err(match skipped {
                Ok(n) if n == length => self.fail(number, offset, message, true),
                _ => self.fatal(number, offset, message),
            }));
        }
        let mut block = Vec::new();
        match (&mut self.reader).take(length).read_to_end(&mut block) {
            Ok(n) => self.offset += n as u64,
            Err(e) => return Some(Err(self.fatal(number, offset, format!("read error: {e}")))),
        }
        if (block.len() as u64) < length {
            return Some(Err(self.fatal(
                number,
                offset,
                format!(
                    "the file ends inside the record block ({} of {length} bytes; truncated)",
                    block.len()
                ),
            )));
        }
        // The two line ends after the block.
        match self.trailer() {
            Ok(true) => {}
            Ok(false) => {
                return Some(Err(self.fail(
                    number,
                    offset,
                    format!(
                        "Content-Length {length} does not match the block (no blank line after it)"
                    ),
                    true,
                )))
            }
            Err(e) => return Some(Err(self.fatal(number, offset, format!("read error: {e}")))),
        }
        Some(Ok(Record {
            number,
            offset,
            headers,
            block,
        }))
    }

    /// Consumes `\r\n\r\n` (or `\n\n`) after a block; `true` when found or at
    /// the end of the stream.
    fn trailer(&mut self) -> io::Result<bool> {
        for _ in 0..2 {
            let buf = self.reader.fill_buf()?;
            let n = if buf.is_empty() {
                return Ok(true);
            } else if buf.starts_with(b"\r\n") {
                2
            } else if buf.starts_with(b"\n") {
                1
            } else if buf == b"\r" {
                // A line end split across buffers.
                self.reader.consume(1);
                self.offset += 1;
                let next = self.reader.fill_buf()?;
                if next.starts_with(b"\n") {
                    1
                } else {
                    return Ok(false);
                }
            } else {
                return Ok(false);
            };
            self.reader.consume(n);
            self.offset += n as u64;
        }
        Ok(true)
    }
}

/// What an HTTP response or resource holds.
enum Payload {
    /// An HTML page, with its charset when declared.
    Html(Vec<u8>, Option<String>),
    /// Not an article (status, content type, record type).
    NotArticle,
}

/// Articles from a WARC stream (the reader's source for one file).
pub(crate) struct WarcArticles {
    records: WarcReader<Box<dyn BufRead + Send>>,
    file: String,
}

impl WarcArticles {
    pub(crate) fn new(reader: Box<dyn BufRead + Send>, file: String) -> Self {
        WarcArticles {
            records: WarcReader::new(reader),
            file,
        }
    }

    fn error(&self, number: usize, offset: u64, message: impl std::fmt::Display) -> IngestError {
        IngestError {
            file: self.file.clone(),
            line: None,
            message: format!("record {number} at byte {offset}: {message}"),
        }
    }

    /// The next article or error; `None` at the end of the file.
    pub(crate) fn next_article(
        &mut self,
        opts: &IngestOptions,
        summary: &mut Summary,
    ) -> Option<Result<Article, (IngestError, bool)>> {
        loop {
            let rec = match self.records.next_record()? {
                Ok(r) => r,
                Err(e) => return Some(Err((self.error(e.number, e.offset, e.message), true))),
            };
            let payload = match classify(&rec) {
                Ok(p) => p,
                Err(msg) => return Some(Err((self.error(rec.number, rec.offset, msg), true))),
            };
            let (body, charset) = match payload {
                Payload::Html(b, c) => (b, c),
                Payload::NotArticle => {
                    let kind = rec.header("WARC-Type").unwrap_or_default();
                    if kind.eq_ignore_ascii_case("response")
                        || kind.eq_ignore_ascii_case("resource")
                    {
                        summary.not_articles += 1;
                    }
                    continue;
                }
            };
            let target = rec
                .header("WARC-Target-URI")
                .map(|u| u.trim_matches(['<', '>']).to_string())
                .filter(|u| !u.is_empty());
            let page = html::extract(&body, charset.as_deref(), target.as_deref());
            let id = rec
                .header("WARC-Record-ID")
                .map(|i| i.trim_matches(['<', '>']).to_string())
                .filter(|i| !i.is_empty())
                .or_else(|| target.as_deref().map(crate::text_id))
                .unwrap_or_else(|| crate::text_id(&page.text));
            let date = rec
                .header("WARC-Date")
                .and_then(html::parse_loose_date)
                .or(opts.default_date);
            return Some(
                page.into_article(id, target, date)
                    .map_err(|m| (self.error(rec.number, rec.offset, m), true)),
            );
        }
    }
}

fn is_html_type(ct: &str) -> bool {
    let mime = ct.split(';').next().unwrap_or_default().trim();
    mime.eq_ignore_ascii_case("text/html") || mime.eq_ignore_ascii_case("application/xhtml+xml")
}

/// The `charset` parameter of a content type.
fn charset_of(ct: &str) -> Option<String> {
    ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// Whether bytes start (after blanks) like an HTML document.
fn looks_like_html(body: &[u8]) -> bool {
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    let rest = start.and_then(|i| body.get(i..)).unwrap_or_default();
    rest.first() == Some(&b'<') && crate::sniff_bytes(rest) == crate::Format::Html
}

/// What a record holds; `Err` for a broken HTTP message.
fn classify(rec: &Record) -> Result<Payload, String> {
    let kind = rec.header("WARC-Type").unwrap_or_default();
    if kind.eq_ignore_ascii_case("resource") {
        return Ok(match rec.header("Content-Type") {
            Some(ct) if is_html_type(ct) => Payload::Html(rec.block.clone(), charset_of(ct)),
            _ => Payload::NotArticle,
        });
    }
    if !kind.eq_ignore_ascii_case("response") {
        return Ok(Payload::NotArticle);
    }
    // Only HTTP responses (not e.g. DNS records) are read.
    if !rec
        .header("WARC-Target-URI")
        .is_some_and(|u| u.trim_matches(['<', '>']).starts_with("http"))
        && !rec.block.starts_with(b"HTTP/")
    {
        return Ok(Payload::NotArticle);
    }
    let http = parse_http(&rec.block)?;
    if http.status != 200 {
        return Ok(Payload::NotArticle);
    }
    let ct = http.header("content-type");
    if ct.is_some_and(|c| !is_html_type(c)) {
        return Ok(Payload::NotArticle);
    }
    let mut body = http.body.to_vec();
    if http
        .header("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        match dechunk(&body) {
            Ok(b) => body = b,
            Err(e) if !looks_like_html(&body) => return Err(e),
            Err(_) => {}
        }
    }
    if let Some(enc) = http.header("content-encoding") {
        let enc = enc.trim().to_ascii_lowercase();
        match enc.as_str() {
            "" | "identity" | "none" => {}
            "gzip" | "x-gzip" | "deflate" => match inflate(&body, &enc) {
                Ok(b) => body = b,
                Err(e) if !looks_like_html(&body) => {
                    return Err(format!("cannot decode Content-Encoding {enc}: {e}"))
                }
                Err(_) => {}
            },
            other if looks_like_html(&body) => {
                // Stored decoded although the header names an encoding.
                let _ = other;
            }
            other => return Err(format!("unsupported Content-Encoding {other:?}")),
        }
    }
    if ct.is_none() && !looks_like_html(&body) {
        return Ok(Payload::NotArticle);
    }
    Ok(Payload::Html(body, ct.and_then(charset_of)))
}

/// A parsed HTTP response.
struct Http<'a> {
    status: u16,
    /// Lower-cased names.
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

impl Http<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn parse_http(block: &[u8]) -> Result<Http<'_>, String> {
    let (head_end, body_start) = match block.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => (i, i + 4),
        None => match block.windows(2).position(|w| w == b"\n\n") {
            Some(i) => (i, i + 2),
            None => return Err("HTTP response without the end of its header".into()),
        },
    };
    let head = String::from_utf8_lossy(block.get(..head_end).unwrap_or_default());
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.split_whitespace();
    let proto = parts.next().unwrap_or_default();
    let status = parts.next().and_then(|s| s.parse::<u16>().ok());
    let status = match status {
        Some(s) if proto.starts_with("HTTP/") => s,
        _ => {
            let shown: String = status_line.chars().take(40).collect();
            return Err(format!("bad HTTP status line {shown:?}"));
        }
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for l in lines {
        if l.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(l.trim());
            }
        } else if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    Ok(Http {
        status,
        headers,
        body: block.get(body_start..).unwrap_or_default(),
    })
}

/// Undoes `Transfer-Encoding: chunked`.
fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let nl = data
            .iter()
            .position(|b| *b == b'\n')
            .ok_or("broken chunked encoding: no chunk size line")?;
        let size_line = String::from_utf8_lossy(data.get(..nl).unwrap_or_default());
        let hex = size_line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(hex, 16)
            .map_err(|_| format!("broken chunked encoding: bad chunk size {hex:?}"))?;
        data = data.get(nl + 1..).unwrap_or_default();
        if size == 0 {
            return Ok(out);
        }
        let chunk = data
            .get(..size)
            .ok_or("broken chunked encoding: chunk longer than the body")?;
        out.extend_from_slice(chunk);
        data = data.get(size..).unwrap_or_default();
        data = data
            .strip_prefix(b"\r\n")
            .or_else(|| data.strip_prefix(b"\n"))
            .unwrap_or(data);
        if data.is_empty() {
            // A missing last chunk: keep what came.
            return Ok(out);
        }
    }
}

/// Undoes `Content-Encoding: gzip`/`deflate` (zlib-wrapped or raw).
fn inflate(body: &[u8], enc: &str) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    if enc == "deflate" {
        let zlib = flate2::read::ZlibDecoder::new(body)
            .take(MAX_BODY)
            .read_to_end(&mut out);
        if zlib.is_ok() {
            return Ok(out);
        }
        out.clear();
        flate2::read::DeflateDecoder::new(body)
            .take(MAX_BODY)
            .read_to_end(&mut out)?;
        return Ok(out);
    }
    flate2::read::MultiGzDecoder::new(body)
        .take(MAX_BODY)
        .read_to_end(&mut out)?;
    Ok(out)
}

/// One WARC/1.1 record as bytes (a minimal writer for tests and tools):
/// `WARC-Type`, `WARC-Record-ID`, `WARC-Date`, optionally `WARC-Target-URI`
/// and `Content-Type`, `Content-Length`, the block and the closing blank
/// line.
pub fn record_bytes(
    warc_type: &str,
    record_id: &str,
    date: &str,
    target_uri: Option<&str>,
    content_type: Option<&str>,
    block: &[u8],
) -> Vec<u8> {
    let mut head = format!(
        "WARC/1.1\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <{record_id}>\r\nWARC-Date: {date}\r\n"
    );
    if let Some(u) = target_uri {
        head.push_str(&format!("WARC-Target-URI: {u}\r\n"));
    }
    if let Some(c) = content_type {
        head.push_str(&format!("Content-Type: {c}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut out = head.into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// Bytes as one gzip member (a `.warc.gz` is a concatenation of them, one
/// per record).
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes)?;
    enc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\n\r\n").as_deref(),
            Ok(&b"Wikipedia"[..])
        );
        assert!(dechunk(b"zz\r\nabc").is_err());
        assert!(dechunk(b"10\r\nabc").is_err());
    }

    #[test]
    fn http() {
        let h = parse_http(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\nx").unwrap();
        assert_eq!(h.status, 404);
        assert_eq!(h.header("content-type"), Some("text/html"));
        assert_eq!(h.body, b"x");
        assert!(parse_http(b"garbage\r\n\r\n").is_err());
        assert!(parse_http(b"HTTP/1.1 200 OK").is_err());
        assert_eq!(
            charset_of("text/html; charset=\"ISO-8859-1\"").as_deref(),
            Some("ISO-8859-1")
        );
    }

    #[test]
    fn records_and_resync() {
        let good = |id: &str, body: &str| {
            format!(
                "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <{id}>\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
                body.len()
            )
        };
        let bad_len =
            "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 3\r\n\r\nlonger than three\r\n\r\n";
        let data = format!(
            "{}{}{}",
            good("a", "<p>A</p>"),
            bad_len,
            good("b", "<p>B</p>")
        );
        let mut r = WarcReader::new(data.as_bytes());
        let first = r.next_record().unwrap().unwrap();
        assert_eq!(first.header("warc-record-id"), Some("<a>"));
        assert_eq!(first.block, b"<p>A</p>");
        let err = r.next_record().unwrap().unwrap_err();
        assert_eq!(err.number, 2);
        assert!(
            err.recoverable && err.message.contains("Content-Length"),
            "{err:?}"
        );
        let third = r.next_record().unwrap().unwrap();
        assert_eq!(third.number, 3);
        assert_eq!(third.block, b"<p>B</p>");
        assert!(r.next_record().is_none());
    }
}
