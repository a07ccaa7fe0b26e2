//! RSS 2.0 / RSS 1.0 (RDF) and Atom feeds → one article per item/entry.
//!
//! The feed is decoded (byte-order mark, `<?xml encoding=…?>`, else UTF-8
//! or a guess) and read with an XML pull parser; element names are matched
//! by their local part, so namespace prefixes do not matter.
//!
//! Per `<item>` / `<entry>`:
//! - **text**: `content:encoded`, Atom `content`, `description`, `summary`,
//!   the first present; HTML inside (escaped, CDATA or Atom
//!   `type="xhtml"`) becomes text with [`crate::html::fragment_text`]. An
//!   item with none of them is read from its title alone; one without a
//!   title either is a malformed record;
//! - **title**, **url** (RSS `link`, Atom `link` with `rel` absent or
//!   `alternate`), **byline** (`dc:creator`, `author` — RSS's
//!   `mail (Name)` gives `Name` — or Atom `author/name`), **published**
//!   (`pubDate`, `published`, `dc:date`, `updated`, RFC 2822 or
//!   ISO/RFC 3339, see [`crate::html::parse_loose_date`]; the default date
//!   when absent or unreadable), **id** (`guid`/`id`, else the link, else
//!   the hash of the text as in JSONL), **source** (the channel's or feed's
//!   title, else the link's host).
//!
//! Broken XML inside an item makes that item a malformed record (named by
//! its number and line); reading resumes at the next `<item`/`<entry`. An
//! unknown root element is an error for the whole file.

use crate::html::{fragment_text, parse_loose_date};
use crate::{text_id, IngestError, IngestOptions};
use petrel_doc::Article;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

/// One parsed record: an article, or an error and whether it is a
/// malformed record (`true`) or a problem of the whole file.
pub(crate) type Item = Result<Article, (IngestError, bool)>;

/// Fields read from an item, by local name.
const FIELDS: &[&str] = &[
    "title",
    "link",
    "description",
    "encoded",
    "content",
    "summary",
    "creator",
    "author",
    "pubdate",
    "published",
    "updated",
    "date",
    "guid",
    "id",
];

struct Capture {
    field: &'static str,
    /// Local name of the captured element.
    name: String,
    /// Open elements of the same name inside it.
    same: usize,
    /// Atom `type="xhtml"`: the content is markup, kept escaped.
    xhtml: bool,
    buf: String,
}

#[derive(Default)]
struct ItemState {
    number: usize,
    line: usize,
    depth: usize,
    fields: HashMap<&'static str, String>,
}

/// Reads a whole feed; `file` names it in errors.
pub(crate) fn read_feed(bytes: &[u8], file: &str, opts: &IngestOptions) -> Vec<Item> {
    let text = crate::html::decode(bytes, None);
    let mut p = Parser {
        text: &text,
        file,
        opts,
        out: Vec::new(),
        stack: Vec::new(),
        item: None,
        capture: None,
        items: 0,
        feed_title: None,
        title_capture: None,
        root_seen: false,
    };
    p.run();
    p.out
}

struct Parser<'a> {
    text: &'a str,
    file: &'a str,
    opts: &'a IngestOptions,
    out: Vec<Item>,
    /// Local names of the open elements.
    stack: Vec<String>,
    item: Option<ItemState>,
    capture: Option<Capture>,
    items: usize,
    feed_title: Option<String>,
    title_capture: Option<String>,
    root_seen: bool,
}

fn local(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    let l = s.rsplit(':').next().unwrap_or(&s);
    l.to_ascii_lowercase()
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == key).then(|| {
            a.unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
        })
    })
}

/// Replaces the five XML entities and character references; other
/// references are left for the HTML parser.
fn xml_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let tail = rest.get(i..).unwrap_or_default();
        let end = tail.find(';').filter(|e| *e <= 12);
        let ent = end.and_then(|e| tail.get(1..e));
        let rep = match ent {
            Some("lt") => Some("<".to_string()),
            Some("gt") => Some(">".to_string()),
            Some("amp") => Some("&".to_string()),
            Some("quot") => Some("\"".to_string()),
            Some("apos") => Some("'".to_string()),
            Some(e) if e.starts_with('#') => {
                let n = if let Some(h) = e.strip_prefix("#x").or_else(|| e.strip_prefix("#X")) {
                    u32::from_str_radix(h, 16).ok()
                } else {
                    e.get(1..).and_then(|d| d.parse::<u32>().ok())
                };
                n.and_then(char::from_u32).map(String::from)
            }
            _ => None,
        };
        match (rep, end) {
            (Some(r), Some(e)) => {
                out.push_str(&r);
                rest = tail.get(e + 1..).unwrap_or_default();
            }
            _ => {
                out.push('&');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

impl Parser<'_> {
    fn line_at(&self, pos: usize) -> usize {
        let upto = self
            .text
            .get(..pos.min(self.text.len()))
            .unwrap_or_default();
        upto.bytes().filter(|b| *b == b'\n').count() + 1
    }

    fn error(&mut self, line: usize, message: String, record: bool) {
        self.out.push(Err((
            IngestError {
                file: self.file.to_string(),
                line: Some(line),
                message,
            },
            record,
        )));
    }

    fn run(&mut self) {
        let mut base = 0usize;
        loop {
            let Some(slice) = self.text.get(base..) else {
                return;
            };
            match self.parse(slice, base) {
                Ok(()) => return,
                Err((pos, msg)) => {
                    let line = self.line_at(pos);
                    match self.item.take() {
                        Some(item) => self.error(
                            item.line,
                            format!("item {}: broken XML at line {line}: {msg}", item.number),
                            true,
                        ),
                        None => self.error(line, format!("broken XML: {msg}"), !self.root_seen),
                    }
                    self.capture = None;
                    self.title_capture = None;
                    if !self.root_seen {
                        return;
                    }
                    // Resume at the next item or entry.
                    match next_item_start(self.text, pos + 1) {
                        Some(next) => {
                            self.stack.clear();
                            base = next;
                        }
                        None => return,
                    }
                }
            }
        }
    }

    /// Parses `slice` (starting at byte `base` of the text); on broken XML
    /// returns the absolute position and the message.
    fn parse(&mut self, slice: &str, base: usize) -> Result<(), (usize, String)> {
        let mut reader = quick_xml::Reader::from_str(slice);
        reader.config_mut().check_end_names = false;
        loop {
            let pos = base + reader.buffer_position() as usize;
            let ev = reader
                .read_event()
                .map_err(|e| (base + reader.error_position() as usize, e.to_string()))?;
            match ev {
                Event::Start(e) => {
                    let name = local(e.name().as_ref());
                    if let Some(c) = self.capture.as_mut() {
                        // Markup inside a field (Atom xhtml, or stray HTML in
                        // RSS): kept as text, need not nest.
                        if name == c.name {
                            c.same += 1;
                        }
                        c.buf.push('<');
                        c.buf.push_str(&String::from_utf8_lossy(&e));
                        c.buf.push('>');
                        continue;
                    }
                    self.open(&e, &name, pos, false)?;
                    self.stack.push(name);
                    self.after_push(&e);
                }
                Event::Empty(e) => {
                    if let Some(c) = self.capture.as_mut() {
                        c.buf.push('<');
                        c.buf.push_str(&String::from_utf8_lossy(&e));
                        c.buf.push_str("/>");
                        continue;
                    }
                    let name = local(e.name().as_ref());
                    self.open(&e, &name, pos, true)?;
                }
                Event::End(e) => {
                    let name = local(e.name().as_ref());
                    if let Some(c) = self.capture.as_mut() {
                        if name != c.name || c.same > 0 {
                            if name == c.name {
                                c.same -= 1;
                            }
                            c.buf.push_str("</");
                            c.buf.push_str(&String::from_utf8_lossy(e.name().as_ref()));
                            c.buf.push('>');
                            continue;
                        }
                    }
                    self.close(&name, pos)?;
                }
                Event::Text(t) => {
                    let raw = String::from_utf8_lossy(&t);
                    self.text_event(&raw, true);
                }
                Event::CData(t) => {
                    let raw = String::from_utf8_lossy(&t);
                    self.text_event(&raw, false);
                }
                Event::Eof => {
                    if let Some(item) = self.item.take() {
                        self.error(
                            item.line,
                            format!("item {}: the feed ends inside it (truncated?)", item.number),
                            true,
                        );
                    } else if !self.root_seen {
                        self.error(1, "empty feed: no root element".into(), false);
                    } else if !self.stack.is_empty() {
                        let line = self.line_at(self.text.len());
                        self.error(
                            line,
                            "the feed ends before its root element is closed (truncated?)".into(),
                            false,
                        );
                    }
                    return Ok(());
                }
                _ => {}
            }
        }
    }

    fn text_event(&mut self, raw: &str, escaped: bool) {
        if let Some(c) = self.capture.as_mut() {
            if c.xhtml || !escaped {
                c.buf.push_str(raw);
            } else {
                c.buf.push_str(&xml_unescape(raw));
            }
        } else if let Some(t) = self.title_capture.as_mut() {
            t.push_str(&if escaped {
                xml_unescape(raw)
            } else {
                raw.to_string()
            });
        }
    }

    fn open(
        &mut self,
        e: &BytesStart<'_>,
        name: &str,
        pos: usize,
        empty: bool,
    ) -> Result<(), (usize, String)> {
        if !self.root_seen {
            if !matches!(name, "rss" | "feed" | "rdf") {
                return Err((
                    pos,
                    format!("not an RSS or Atom feed: root element <{name}>"),
                ));
            }
            self.root_seen = true;
            return Ok(());
        }
        let depth = self.stack.len() + 1; // depth of this element once pushed
        if self.item.is_none() && (name == "item" || name == "entry") && !empty {
            self.items += 1;
            self.item = Some(ItemState {
                number: self.items,
                line: self.line_at(pos),
                depth,
                ..ItemState::default()
            });
            return Ok(());
        }
        if let Some(item) = self.item.as_mut() {
            if name == "link" && depth == item.depth + 1 {
                if let Some(href) = attr(e, "href") {
                    let rel = attr(e, "rel").unwrap_or_default();
                    if rel.is_empty() || rel == "alternate" {
                        item.fields.entry("link").or_insert(href);
                    }
                    return Ok(());
                }
            }
        } else if name == "title"
            && self.feed_title.is_none()
            && !empty
            && matches!(
                self.stack.last().map(String::as_str),
                Some("channel") | Some("feed")
            )
        {
            self.title_capture = Some(String::new());
        }
        Ok(())
    }

    /// Starts capturing a field after its element was pushed.
    fn after_push(&mut self, e: &BytesStart<'_>) {
        let Some(item) = self.item.as_ref() else {
            return;
        };
        if self.capture.is_some() {
            return;
        }
        let depth = self.stack.len();
        let name = self.stack.last().map(String::as_str).unwrap_or_default();
        let field = if depth == item.depth + 1 {
            FIELDS.iter().find(|f| **f == name).copied()
        } else {
            None
        };
        if let Some(field) = field {
            self.capture = Some(Capture {
                field,
                name: name.to_string(),
                same: 0,
                xhtml: attr(e, "type").is_some_and(|t| t == "xhtml"),
                buf: String::new(),
            });
        }
    }

    fn close(&mut self, name: &str, pos: usize) -> Result<(), (usize, String)> {
        let depth = self.stack.len();
        match self.stack.last() {
            Some(top) if top == name => {}
            Some(top) => {
                return Err((pos, format!("</{name}> closes <{top}>")));
            }
            // Closing tags of elements opened before a resumption.
            None => return Ok(()),
        }
        self.stack.pop();
        if let Some(c) = self.capture.take() {
            if let Some(item) = self.item.as_mut() {
                item.fields.entry(c.field).or_insert(c.buf);
            }
            return Ok(());
        }
        if let Some(t) = self.title_capture.take() {
            self.feed_title = Some(fragment_text(&t)).filter(|t| !t.is_empty());
            return Ok(());
        }
        if self.item.as_ref().is_some_and(|i| i.depth == depth) {
            if let Some(item) = self.item.take() {
                let line = item.line;
                let number = item.number;
                match self.article(item) {
                    Ok(a) => self.out.push(Ok(a)),
                    Err(msg) => self.error(line, format!("item {number}: {msg}"), true),
                }
            }
        }
        Ok(())
    }

    fn article(&self, item: ItemState) -> Result<Article, String> {
        let f = |k: &str| {
            item.fields
                .get(k)
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let title = f("title").map(fragment_text).filter(|t| !t.is_empty());
        let body = ["encoded", "content", "description", "summary"]
            .iter()
            .filter_map(|k| f(k))
            .map(fragment_text)
            .find(|t| !t.is_empty());
        let text = match (body, &title) {
            (Some(b), _) => b,
            (None, Some(t)) => t.clone(),
            (None, None) => return Err("no title, content or summary".into()),
        };
        let url = f("link").map(|l| l.split_whitespace().collect::<String>());
        let byline = f("creator").or_else(|| f("author")).map(|a| {
            if let Some(name) = atom_name(a) {
                return fragment_text(name);
            }
            // RSS: "mail@example.org (Jane Doe)".
            match (a.find('('), a.rfind(')')) {
                (Some(i), Some(j)) if i < j && a.contains('@') => {
                    a.get(i + 1..j).unwrap_or(a).trim().to_string()
                }
                _ => a.split_whitespace().collect::<Vec<_>>().join(" "),
            }
        });
        let published = ["pubdate", "published", "date", "updated"]
            .iter()
            .filter_map(|k| f(k))
            .find_map(parse_loose_date)
            .or(self.opts.default_date);
        let id = f("guid")
            .or_else(|| f("id"))
            .map(str::to_string)
            .or_else(|| url.clone())
            .unwrap_or_else(|| text_id(&text));
        let source = self.feed_title.clone().or_else(|| {
            url.as_deref()
                .and_then(crate::html::host)
                .map(str::to_string)
        });
        Ok(Article {
            id,
            url,
            source,
            title,
            published,
            text,
            byline: byline.filter(|b| !b.is_empty()),
        })
    }
}

/// The content of the first `<name>` element (any prefix) in an Atom
/// `author`'s captured markup.
fn atom_name(s: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(i) = s.get(from..).and_then(|t| t.find("name>")) {
        let at = from + i;
        let before = s.get(..at).and_then(|b| b.chars().last());
        let open = s.get(..at).and_then(|b| b.rfind('<'));
        if let (Some(c), Some(o)) = (before, open) {
            let tag = s.get(o + 1..at).unwrap_or_default();
            if (c == '<' || c == ':') && !tag.starts_with('/') && !tag.contains([' ', '>']) {
                let start = at + "name>".len();
                let end = s.get(start..).and_then(|t| t.find("</"))?;
                return s.get(start..start + end);
            }
        }
        from = at + 1;
    }
    None
}

/// The byte position of the next `<item` or `<entry` start tag (with any
/// namespace prefix) at or after `from`.
fn next_item_start(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let rel = bytes.get(i..)?.iter().position(|b| *b == b'<')?;
        let at = i + rel;
        let name: Vec<u8> = bytes
            .get(at + 1..)?
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.'))
            .copied()
            .collect();
        let l = local(&name);
        let after = bytes.get(at + 1 + name.len()).copied();
        if (l == "item" || l == "entry")
            && matches!(
                after,
                Some(b'>') | Some(b' ') | Some(b'\t') | Some(b'\n') | Some(b'\r')
            )
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape() {
        assert_eq!(
            xml_unescape("a &lt;b&gt; &amp;amp; &#233;&#x41;"),
            "a <b> &amp; éA"
        );
        assert_eq!(xml_unescape("&nbsp;&bogus &"), "&nbsp;&bogus &");
    }

    #[test]
    fn atom_author_names() {
        assert_eq!(atom_name("<name>Lea</name><email>x</email>"), Some("Lea"));
        assert_eq!(atom_name("<a:name>Lea</a:name>"), Some("Lea"));
        assert_eq!(atom_name("<uri>x</uri><name>Lea</name>"), Some("Lea"));
        assert_eq!(atom_name("Plain Name"), None);
    }

    #[test]
    fn next_item() {
        let t = "<rss><items/><item>x</item><entry>";
        assert_eq!(next_item_start(t, 0), Some(13));
        assert_eq!(next_item_start(t, 14), Some(27));
        assert_eq!(next_item_start(t, 28), None);
    }
}
