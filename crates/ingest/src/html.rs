//! HTML page → article: main text and metadata.
//!
//! [`extract`] decodes the bytes (charset from the HTTP header, a byte-order
//! mark, `<meta charset>`, else UTF-8 when valid, else a statistical guess),
//! parses them with an HTML5 parser and reads:
//!
//! - **title**: `og:title`, JSON-LD `headline`, `<title>`, the first `<h1>`;
//! - **byline**: `<meta name=author>`, `article:author` (unless it is a URL),
//!   JSON-LD `author.name` (names joined with `, `), `rel=author` links,
//!   `itemprop=author`; a leading `By ` is removed;
//! - **published**: `article:published_time`, JSON-LD `datePublished`,
//!   `itemprop=datePublished`, `<time datetime>` (inside the article first),
//!   `<meta name=date|pubdate|publishdate|dc.date|…>`; ISO, RFC 2822 and
//!   `1 May 2024`/`May 1, 2024` forms are understood ([`parse_loose_date`]);
//! - **url**: `<link rel=canonical>`, `og:url`, JSON-LD `url` (relative ones
//!   resolved against the base URL), else the base URL;
//! - **source**: `og:site_name`, JSON-LD `publisher.name`, else the URL host;
//! - **text**: the main text, one paragraph per block element, paragraphs
//!   separated by a blank line, whitespace collapsed within paragraphs. The
//!   container is the `itemprop=articleBody` element, else the `<article>`
//!   with the most paragraph text, else the element that a readability-style
//!   score prefers (paragraph text length and commas credited to the parent
//!   and half to the grandparent, discounted by link density). Inside it,
//!   `script`, `style`, `nav`, `header`, `footer`, `aside`, `form`,
//!   `figure`, … and elements whose class/id/role names them as comments,
//!   sharing, related links, ads, cookie or newsletter notices are dropped.
//!   When JSON-LD `articleBody` is more than twice as long as that text, the
//!   JSON-LD body is used instead.

use chrono::NaiveDate;
use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};
use serde_json::Value;
use std::collections::HashMap;

/// What was found in a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<NaiveDate>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// Main text; empty when none was found.
    pub text: String,
}

impl Page {
    /// The article of this page; `fallback_url` is used when the page names
    /// no URL. A page without text is an error.
    pub fn into_article(
        self,
        id: String,
        fallback_url: Option<String>,
        default_date: Option<NaiveDate>,
    ) -> Result<petrel_doc::Article, String> {
        if self.text.trim().is_empty() {
            return Err("no article text found in the HTML".into());
        }
        Ok(petrel_doc::Article {
            id,
            url: self.url.or(fallback_url),
            source: self.source,
            title: self.title,
            published: self.published.or(default_date),
            text: self.text,
            byline: self.byline,
        })
    }
}

/// Extracts a page. `charset` is the HTTP header's, if any; `base_url` the
/// address the page was fetched from, if known.
pub fn extract(bytes: &[u8], charset: Option<&str>, base_url: Option<&str>) -> Page {
    let text = decode(bytes, charset);
    let doc = Html::parse_document(&text);
    let meta = Meta::collect(&doc);
    let ld = JsonLd::collect(&meta.ld_scripts);

    let mut text = String::new();
    let mut root = None;
    if let Some(id) = meta
        .article_body
        .or_else(|| best_article(&doc, &meta.articles))
    {
        root = doc.tree.get(id);
        text = root.map(render).unwrap_or_default();
    }
    if text.chars().count() < 200 {
        if let Some(best) = densest(&doc) {
            let t = render(best);
            if t.len() > text.len() {
                text = t;
                root = Some(best);
            }
        }
    }
    if let Some(body) = &ld.body {
        if body.chars().count() > 2 * text.chars().count() {
            text = paragraphs_of_plain(body);
        }
    }

    let title = meta
        .og
        .get("og:title")
        .cloned()
        .or(ld.headline.clone())
        .or(meta.title.clone())
        .or(meta.h1.clone());
    let byline = meta
        .named
        .get("author")
        .cloned()
        .or_else(|| {
            meta.og
                .get("article:author")
                .filter(|a| !a.starts_with("http"))
                .cloned()
        })
        .or(ld.author.clone())
        .or(meta.rel_author.clone())
        .or(meta.itemprop_author.clone())
        .map(|b| clean_byline(&b))
        .filter(|b| !b.is_empty());
    let time_in_root = root.and_then(first_time_datetime);
    let published = [
        meta.og.get("article:published_time").cloned(),
        ld.published.clone(),
        meta.itemprop_date.clone(),
        time_in_root,
        meta.time.clone(),
    ]
    .into_iter()
    .flatten()
    .chain(
        DATE_META
            .iter()
            .filter_map(|k| meta.named.get(*k).or_else(|| meta.og.get(*k)).cloned()),
    )
    .find_map(|s| parse_loose_date(&s));
    let url = [
        meta.canonical.clone(),
        meta.og.get("og:url").cloned(),
        ld.url.clone(),
    ]
    .into_iter()
    .flatten()
    .find_map(|u| resolve_url(&u, base_url))
    .or_else(|| base_url.map(str::to_string));
    let source = meta
        .og
        .get("og:site_name")
        .cloned()
        .or(ld.publisher.clone())
        .or_else(|| url.as_deref().and_then(host).map(str::to_string));
    Page {
        title: title.map(|t| collapse(&t)).filter(|t| !t.is_empty()),
        byline,
        published,
        url,
        source,
        text,
    }
}

/// The text of an HTML fragment (a feed item's content), paragraphs
/// separated by blank lines, boilerplate blocks dropped as in pages.
pub fn fragment_text(fragment: &str) -> String {
    if !fragment.contains('<') && !fragment.contains('&') {
        return paragraphs_of_plain(fragment);
    }
    let doc = Html::parse_fragment(fragment);
    render(doc.tree.root())
}

/// Meta names that may carry the publication date, in order of trust.
const DATE_META: &[&str] = &[
    "og:published_time",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "dcterms.issued",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "datepublished",
    "article:modified_time",
];

/// Decodes page bytes to text (see the module docs).
pub fn decode(bytes: &[u8], charset: Option<&str>) -> String {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_with_bom_removal(bytes).0.into_owned();
    }
    let from_header = charset.and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()));
    let from_meta = || {
        meta_charset(bytes)
            .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
            // A page cannot declare UTF-16 in ASCII-compatible bytes: the
            // HTML standard reads it as UTF-8.
            .map(|e| {
                if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    e
                }
            })
    };
    let enc = match from_header.or_else(from_meta) {
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => {
            let mut det = chardetng::EncodingDetector::new();
            det.feed(bytes, true);
            det.guess(None, true)
        }
    };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// The charset a page declares in its first 4 KiB (`<meta charset=x>` or
/// `content="text/html; charset=x"`; also `<?xml encoding="x"?>`).
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head: Vec<u8> = bytes
        .iter()
        .take(4096)
        .map(u8::to_ascii_lowercase)
        .collect();
    for key in [&b"charset="[..], &b"encoding="[..]] {
        let mut from = 0;
        while let Some(i) = head
            .get(from..)
            .and_then(|h| h.windows(key.len()).position(|w| w == key))
        {
            let start = from + i + key.len();
            let label: String = head
                .get(start..)
                .unwrap_or_default()
                .iter()
                .skip_while(|b| **b == b'"' || **b == b'\'' || b.is_ascii_whitespace())
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                .map(|b| char::from(*b))
                .collect();
            if !label.is_empty() {
                return Some(label);
            }
            from = start;
        }
    }
    None
}

/// Page metadata gathered in one pass over the elements.
#[derive(Default)]
struct Meta {
    /// `<meta property=…>` (Open Graph, article:*), lower-cased keys.
    og: HashMap<String, String>,
    /// `<meta name=…>` and `<meta itemprop=…>`, lower-cased keys.
    named: HashMap<String, String>,
    title: Option<String>,
    h1: Option<String>,
    canonical: Option<String>,
    rel_author: Option<String>,
    itemprop_author: Option<String>,
    itemprop_date: Option<String>,
    time: Option<String>,
    ld_scripts: Vec<String>,
    article_body: Option<NodeId>,
    articles: Vec<NodeId>,
}

impl Meta {
    fn collect(doc: &Html) -> Meta {
        let mut m = Meta::default();
        for node in doc.tree.root().descendants() {
            let Node::Element(el) = node.value() else {
                continue;
            };
            let attr = |k: &str| el.attr(k).map(str::trim).filter(|v| !v.is_empty());
            match el.name() {
                "meta" => {
                    if let Some(content) = attr("content") {
                        for key in ["property", "name", "itemprop"] {
                            if let Some(k) = attr(key) {
                                let k = k.to_ascii_lowercase();
                                let map = if key == "property" || k.starts_with("og:") {
                                    &mut m.og
                                } else {
                                    &mut m.named
                                };
                                map.entry(k).or_insert_with(|| content.to_string());
                            }
                        }
                    }
                }
                "title" if m.title.is_none() => {
                    m.title = Some(text_of(node)).filter(|t| !t.is_empty());
                }
                "h1" if m.h1.is_none() => m.h1 = Some(text_of(node)).filter(|t| !t.is_empty()),
                "link" => {
                    let rel = attr("rel").unwrap_or_default().to_ascii_lowercase();
                    if rel.split_whitespace().any(|r| r == "canonical") && m.canonical.is_none() {
                        m.canonical = attr("href").map(str::to_string);
                    }
                }
                "script"
                    if attr("type")
                        .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
                {
                    m.ld_scripts.push(raw_text(node));
                }
                "article" => m.articles.push(node.id()),
                "time" if m.time.is_none() => m.time = attr("datetime").map(str::to_string),
                _ => {}
            }
            if el.name() == "a"
                && m.rel_author.is_none()
                && attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("author"))
            {
                m.rel_author = Some(text_of(node)).filter(|t| !t.is_empty());
            }
            match attr("itemprop") {
                Some("articleBody") if m.article_body.is_none() => m.article_body = Some(node.id()),
                Some("author") if m.itemprop_author.is_none() && el.name() != "meta" => {
                    // The author may be an item with a name inside.
                    let name = node
                        .descendants()
                        .find(|d| {
                            d.value()
                                .as_element()
                                .is_some_and(|e| e.attr("itemprop") == Some("name"))
                        })
                        .map(
                            |d| match d.value().as_element().and_then(|e| e.attr("content")) {
                                Some(c) => c.to_string(),
                                None => text_of(d),
                            },
                        );
                    m.itemprop_author = name
                        .or_else(|| Some(text_of(node)))
                        .filter(|t| !t.is_empty());
                }
                Some("datePublished") if m.itemprop_date.is_none() => {
                    m.itemprop_date = attr("content")
                        .or_else(|| attr("datetime"))
                        .map(str::to_string)
                        .or_else(|| Some(text_of(node)));
                }
                _ => {}
            }
        }
        m
    }
}

/// Fields read from JSON-LD.
#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    author: Option<String>,
    published: Option<String>,
    body: Option<String>,
    url: Option<String>,
    publisher: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
    "WebPage",
];

impl JsonLd {
    fn collect(scripts: &[String]) -> JsonLd {
        // Flatten top-level arrays and @graph lists into candidate objects.
        let mut objects = Vec::new();
        for s in scripts {
            let Ok(v) = serde_json::from_str::<Value>(s.trim()) else {
                continue;
            };
            let mut stack = vec![v];
            while let Some(v) = stack.pop() {
                match v {
                    Value::Array(a) => stack.extend(a.into_iter().rev()),
                    Value::Object(mut o) => {
                        if let Some(g) = o.remove("@graph") {
                            stack.push(g);
                        }
                        objects.push(o);
                    }
                    _ => {}
                }
            }
        }
        // The best object: the most specific article type.
        let rank = |o: &serde_json::Map<String, Value>| {
            let types: Vec<&str> = match o.get("@type") {
                Some(Value::String(s)) => vec![s.as_str()],
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            types
                .iter()
                .filter_map(|t| ARTICLE_TYPES.iter().position(|a| a == t))
                .map(|p| if p == ARTICLE_TYPES.len() - 1 { 1 } else { 2 })
                .max()
                .unwrap_or(0)
        };
        let Some(best) = objects
            .iter()
            .filter(|o| rank(o) > 0)
            .max_by_key(|o| (rank(o), o.contains_key("articleBody")))
        else {
            return JsonLd::default();
        };
        let s = |k: &str| match best.get(k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => None,
        };
        JsonLd {
            headline: s("headline").or_else(|| s("name")),
            author: best.get("author").and_then(names),
            published: s("datePublished").or_else(|| s("dateCreated")),
            body: s("articleBody"),
            url: s("url"),
            publisher: best.get("publisher").and_then(names),
        }
    }
}

/// Names from a JSON-LD person/organisation value (string, object with
/// `name`, or an array of them), joined with `, `.
fn names(v: &Value) -> Option<String> {
    let list: Vec<String> = match v {
        Value::String(s) => vec![s.trim().to_string()],
        Value::Object(o) => o
            .get("name")
            .and_then(Value::as_str)
            .map(|s| vec![s.trim().to_string()])
            .unwrap_or_default(),
        Value::Array(a) => a.iter().filter_map(names).collect(),
        _ => Vec::new(),
    };
    let list: Vec<String> = list.into_iter().filter(|s| !s.is_empty()).collect();
    (!list.is_empty()).then(|| list.join(", "))
}

/// Removes a leading "By" and collapses whitespace.
fn clean_byline(b: &str) -> String {
    let b = collapse(b);
    let lower = b.to_ascii_lowercase();
    if lower.starts_with("by ") {
        b.get(3..).unwrap_or_default().trim().to_string()
    } else {
        b
    }
}

/// Collapses runs of whitespace to one space and trims.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text with paragraphs separated by blank lines: lines are
/// paragraphs, whitespace collapsed.
fn paragraphs_of_plain(s: &str) -> String {
    s.lines()
        .map(collapse)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The text of a node and its descendants, whitespace collapsed.
fn text_of(node: NodeRef<'_, Node>) -> String {
    collapse(&raw_text(node))
}

fn raw_text(node: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            out.push_str(t);
        }
    }
    out
}

/// Elements never part of the article text.
const JUNK_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "input",
    "figure",
    "figcaption",
    "menu",
    "dialog",
    "object",
    "embed",
    "video",
    "audio",
    "canvas",
    "map",
    "head",
    "title",
];

/// Class/id tokens that mark boilerplate blocks.
const JUNK_TOKENS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "advertisement",
    "advertising",
    "banner-ad",
    "sponsor",
    "sponsored",
    "promo",
    "promoted",
    "comment",
    "comments",
    "commentlist",
    "share",
    "sharing",
    "shares",
    "social",
    "related",
    "recommended",
    "recirculation",
    "cookie",
    "cookies",
    "consent",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "sidebar",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "footer",
    "header",
    "masthead",
    "popup",
    "modal",
    "outbrain",
    "taboola",
    "disqus",
    "byline",
    "caption",
    "hidden",
    "sr-only",
    "visually-hidden",
    "paywall",
    "tags",
    "toolbar",
    "widget",
];

/// Token prefixes that mark boilerplate blocks.
const JUNK_PREFIXES: &[&str] = &[
    "advert",
    "sponsor",
    "cookie",
    "newsletter",
    "outbrain",
    "taboola",
    "disqus",
    "breadcrumb",
    "sidebar",
];

const JUNK_ROLES: &[&str] = &[
    "navigation",
    "complementary",
    "banner",
    "contentinfo",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "search",
];

/// Whether an element is boilerplate by its tag, class, id, role or
/// visibility.
fn is_junk(el: &scraper::node::Element) -> bool {
    if JUNK_TAGS.contains(&el.name()) {
        return true;
    }
    if el.attr("hidden").is_some()
        || el
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if el
        .attr("role")
        .is_some_and(|r| JUNK_ROLES.contains(&r.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    let names: Vec<String> = el
        .attr("class")
        .into_iter()
        .chain(el.attr("id"))
        .flat_map(|v| v.split(|c: char| c.is_whitespace() || c == '-' || c == '_'))
        .map(str::to_ascii_lowercase)
        .collect();
    // A container that names itself the article is kept even when it also
    // carries a layout word (`page has-sidebar article-main`).
    if names
        .iter()
        .any(|t| matches!(t.as_str(), "article" | "story" | "main"))
        && !names.iter().any(|t| t.starts_with("comment"))
    {
        return false;
    }
    for t in names {
        if t.is_empty() {
            continue;
        }
        if JUNK_TOKENS.contains(&t.as_str())
            || (JUNK_PREFIXES.iter().any(|p| t.starts_with(p)))
            || (t.starts_with("comment") && !t.starts_with("commentary"))
        {
            return true;
        }
    }
    false
}

/// Elements that end a paragraph.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "br"
            | "hr"
            | "tr"
            | "table"
            | "td"
            | "th"
            | "address"
            | "body"
            | "center"
    )
}

/// The text of a subtree as paragraphs, boilerplate dropped (see the module
/// docs). Iterative, so deep nesting cannot overflow the stack.
fn render(root: NodeRef<'_, Node>) -> String {
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, paras: &mut Vec<String>| {
        let p = collapse(cur);
        if !p.is_empty() {
            paras.push(p);
        }
        cur.clear();
    };
    let mut skipping: Option<NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(n) => {
                if skipping.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Element(el) => {
                        if n.id() != root.id() && is_junk(el) {
                            skipping = Some(n.id());
                        } else if is_block(el.name()) {
                            flush(&mut cur, &mut paras);
                        }
                    }
                    Node::Text(t) => cur.push_str(t),
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skipping == Some(n.id()) {
                    skipping = None;
                    // A dropped block still separates the text around it.
                    flush(&mut cur, &mut paras);
                    continue;
                }
                if skipping.is_none() {
                    if let Node::Element(el) = n.value() {
                        if is_block(el.name()) {
                            flush(&mut cur, &mut paras);
                        }
                    }
                }
            }
        }
    }
    flush(&mut cur, &mut paras);
    paras.join("\n\n")
}

/// Whether a node or one of its ancestors is boilerplate. Looks at most
/// 256 levels up, so pathological nesting stays linear.
fn in_junk(node: NodeRef<'_, Node>) -> bool {
    std::iter::once(node)
        .chain(node.ancestors())
        .take(256)
        .any(|n| n.value().as_element().is_some_and(is_junk))
}

/// Paragraph-text length of an element (text inside `<p>` not in junk).
fn paragraph_chars(node: NodeRef<'_, Node>) -> usize {
    node.descendants()
        .filter(|d| d.value().as_element().is_some_and(|e| e.name() == "p") && !in_junk(*d))
        .map(|p| text_of(p).chars().count())
        .sum()
}

/// The `<article>` with the most paragraph text.
fn best_article(doc: &Html, articles: &[NodeId]) -> Option<NodeId> {
    articles
        .iter()
        .filter_map(|id| doc.tree.get(*id))
        .filter(|n| !in_junk(*n))
        .map(|n| (paragraph_chars(n), n.id()))
        .filter(|(chars, _)| *chars > 0)
        .max_by_key(|(chars, _)| *chars)
        .map(|(_, id)| id)
}

/// The element a readability-style score prefers (see the module docs).
fn densest(doc: &Html) -> Option<NodeRef<'_, Node>> {
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    for node in doc.tree.root().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        if !matches!(el.name(), "p" | "pre" | "td") || in_junk(node) {
            continue;
        }
        let text = text_of(node);
        let len = text.chars().count();
        if len < 25 {
            continue;
        }
        let score = 1.0 + text.matches(',').count() as f64 + (len as f64 / 100.0).min(3.0);
        if let Some(parent) = node.parent() {
            *scores.entry(parent.id()).or_default() += score;
            if let Some(gp) = parent.parent() {
                *scores.entry(gp.id()).or_default() += score / 2.0;
            }
        }
    }
    let mut best: Option<(f64, NodeId)> = None;
    // The five best by raw score (ties by document order, so the choice is
    // deterministic) are discounted by link density.
    let mut entries: Vec<(NodeId, f64)> = scores.into_iter().collect();
    entries.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (id, score) in entries.into_iter().take(5) {
        let Some(node) = doc.tree.get(id) else {
            continue;
        };
        if !node.value().is_element() {
            continue;
        }
        let score = score * (1.0 - link_density(node));
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, id));
        }
    }
    best.and_then(|(_, id)| doc.tree.get(id))
}

/// Share of a subtree's text inside links.
fn link_density(node: NodeRef<'_, Node>) -> f64 {
    let total = text_of(node).chars().count();
    if total == 0 {
        return 0.0;
    }
    let linked: usize = node
        .descendants()
        .filter(|d| d.value().as_element().is_some_and(|e| e.name() == "a"))
        .map(|a| text_of(a).chars().count())
        .sum();
    (linked as f64 / total as f64).min(1.0)
}

/// The `datetime` of the first `<time>` in a subtree.
fn first_time_datetime(root: NodeRef<'_, Node>) -> Option<String> {
    root.descendants().find_map(|d| {
        d.value()
            .as_element()
            .filter(|e| e.name() == "time")
            .and_then(|e| e.attr("datetime"))
            .map(str::to_string)
    })
}

/// `scheme://host` and the host of an absolute http(s) URL.
fn origin(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host);
    if host.is_empty() {
        return None;
    }
    let origin_len = scheme.len() + 3 + end;
    Some((url.get(..origin_len)?, host))
}

/// The host of an absolute URL, without `www.`.
pub fn host(url: &str) -> Option<&str> {
    let (_, h) = origin(url)?;
    Some(h.strip_prefix("www.").unwrap_or(h))
}

/// An absolute URL from `u`, resolving `/path` and `//host/path` against
/// `base`.
fn resolve_url(u: &str, base: Option<&str>) -> Option<String> {
    let u = u.trim();
    if origin(u).is_some() {
        return Some(u.to_string());
    }
    let base = base?;
    if let Some(rest) = u.strip_prefix("//") {
        let scheme = base.split_once("://")?.0;
        return Some(format!("{scheme}://{rest}"));
    }
    if u.starts_with('/') {
        let (o, _) = origin(base)?;
        return Some(format!("{o}{u}"));
    }
    None
}

/// A calendar date from the forms found in pages and feeds: ISO 8601 /
/// RFC 3339 (`2024-05-01`, `2024-05-01T10:00:00+02:00`), RFC 2822
/// (`Wed, 01 May 2024 10:00:00 GMT`), and written dates (`1 May 2024`,
/// `May 1, 2024`, `2024/05/01`). The calendar date is the one written
/// (no time-zone conversion).
pub fn parse_loose_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = petrel_doc::parse_published(s) {
        return Some(d);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(dt.date_naive());
    }
    let slashed = s.replace('/', "-");
    if slashed != s {
        if let Ok(d) = petrel_doc::parse_published(&slashed) {
            return Some(d);
        }
    }
    // Written dates: a month name, a day number and a four-digit year.
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let (mut year, mut month, mut day) = (None, None, None);
    for tok in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
    {
        let lower = tok.to_ascii_lowercase();
        if let Some(m) = MONTHS
            .iter()
            .position(|m| lower.len() >= 3 && lower.starts_with(m))
        {
            month = month.or(Some(m as u32 + 1));
            continue;
        }
        let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let Ok(n) = digits.parse::<u32>() else {
            continue;
        };
        if digits.len() == 4 && (1900..=2100).contains(&n) {
            year = year.or(Some(n as i32));
        } else if digits.len() <= 2 && (1..=31).contains(&n) && day.is_none() {
            day = Some(n);
        }
    }
    NaiveDate::from_ymd_opt(year?, month?, day?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_dates() {
        let d = NaiveDate::from_ymd_opt(2024, 5, 1);
        assert_eq!(parse_loose_date("2024-05-01T10:00:00+02:00"), d);
        assert_eq!(parse_loose_date("Wed, 01 May 2024 10:00:00 GMT"), d);
        assert_eq!(parse_loose_date("1 May 2024"), d);
        assert_eq!(parse_loose_date("May 1st, 2024, 10:00"), d);
        assert_eq!(parse_loose_date("2024/05/01"), d);
        assert_eq!(parse_loose_date("yesterday"), None);
        assert_eq!(parse_loose_date("31 February 2024"), None);
        // Byte 10 inside a character must not panic.
        assert_eq!(parse_loose_date("2024-07-\u{e9}1T12:00:00Z"), None);
    }

    #[test]
    fn charsets() {
        let latin1 =
            b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf\xe9</p></body></html>";
        assert!(decode(latin1, None).contains("café"));
        let header = b"<p>na\xefve</p>";
        assert!(decode(header, Some("windows-1252")).contains("naïve"));
        assert_eq!(decode("<p>ünï</p>".as_bytes(), None), "<p>ünï</p>");
        assert_eq!(
            meta_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">"
            )
            .as_deref(),
            Some("shift_jis")
        );
    }

    #[test]
    fn urls() {
        assert_eq!(host("https://www.bbc.co.uk/news/1"), Some("bbc.co.uk"));
        assert_eq!(host("http://user@example.org:8080"), Some("example.org"));
        assert_eq!(host("/relative"), None);
        assert_eq!(
            resolve_url("/a/b", Some("https://x.org/c?d")).as_deref(),
            Some("https://x.org/a/b")
        );
        assert_eq!(
            resolve_url("//cdn.x.org/a", Some("https://x.org/")).as_deref(),
            Some("https://cdn.x.org/a")
        );
        assert_eq!(resolve_url("a/b", None), None);
    }

    #[test]
    fn junk_tokens_are_whole_words() {
        let page = extract(
            b"<body><div class=\"article-body\"><p>Alpha beta gamma delta epsilon zeta eta theta.</p>\
              <div class=\"ad-slot\"><p>Buy now, buy now, buy now, best offer today.</p></div>\
              <div class=\"commentary\"><p>Commentary is part of the article, not a comment.</p></div>\
              </div></body>",
            None,
            None,
        );
        assert!(page.text.contains("Alpha beta"), "{}", page.text);
        assert!(page.text.contains("Commentary is part"), "{}", page.text);
        assert!(!page.text.contains("Buy now"), "{}", page.text);
    }

    #[test]
    fn fragments() {
        assert_eq!(
            fragment_text("<p>One &amp; two.</p><p>Three</p><script>x()</script>"),
            "One & two.\n\nThree"
        );
        assert_eq!(fragment_text("plain  text\nsecond"), "plain text\n\nsecond");
    }

    #[test]
    fn deep_paragraph_nesting_stays_fast() {
        let mut s = String::new();
        for _ in 0..5_000 {
            s.push_str("<div><p>Nested paragraph text, long enough to be scored here.</p>");
        }
        let t = std::time::Instant::now();
        let page = extract(s.as_bytes(), None, None);
        assert!(page.text.contains("Nested paragraph"));
        assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut s = String::new();
        for _ in 0..20_000 {
            s.push_str("<div>");
        }
        s.push_str("<p>Deep text, deep down, very deep indeed in the tree.</p>");
        let page = extract(s.as_bytes(), None, None);
        assert!(page.text.contains("Deep text"));
    }
}
