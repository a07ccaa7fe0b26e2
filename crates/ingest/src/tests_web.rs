//! Tests of the web inputs (HTML, feeds, WARC) on the fixtures in
//! `tests/fixtures/` and on WARC files made here.

use super::*;
use crate::tests::{collect, date, tmp};
use std::io::Write;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("fixture")
}

#[test]
fn news_page_body_and_metadata() {
    let (arts, errs, _) = collect(&[fixture("news_page.html")], &IngestOptions::default());
    assert!(errs.is_empty(), "{errs:?}");
    let a = &arts[0];
    assert_eq!(a.id, "news_page");
    assert_eq!(
        a.title.as_deref(),
        Some("Rebels and government resume peace talks in Geneva"),
        "og:title first"
    );
    assert_eq!(
        a.byline.as_deref(),
        Some("Jane Doe, Omar Said"),
        "JSON-LD authors"
    );
    assert_eq!(a.published, date(2024, 5, 3));
    assert_eq!(
        a.url.as_deref(),
        Some("https://news.example.org/world/2024/05/geneva-talks"),
        "a relative canonical without a base falls back to og:url"
    );
    assert_eq!(a.source.as_deref(), Some("The Daily Petrel"));
    let paras: Vec<&str> = a.text.split("\n\n").collect();
    assert_eq!(paras.len(), 3, "{:?}", a.text);
    assert!(paras[0].starts_with("GENEVA \u{2014} Rebel leaders and government negotiators resumed peace talks in Geneva on Friday, the United Nations"));
    assert!(paras[2].starts_with("\u{201c}We are ready to sign a ceasefire,\u{201d}"));
    for noise in [
        "cookies",
        "Home",
        "Advertisement",
        "Share",
        "Related",
        "newsletter",
        "never work",
        "rights reserved",
        "Delegates arrive",
        "By Jane Doe",
        "dataLayer",
        "font-family",
    ] {
        assert!(!a.text.contains(noise), "{noise:?} in {:?}", a.text);
    }
}

#[test]
fn page_with_meta_tags_only() {
    let (arts, errs, _) = collect(&[fixture("meta_only.html")], &IngestOptions::default());
    assert!(errs.is_empty(), "{errs:?}");
    let a = &arts[0];
    assert_eq!(a.title.as_deref(), Some("Minister visits Montréal"));
    assert_eq!(a.byline.as_deref(), Some("Pierre Dupont"));
    assert_eq!(a.published, date(2023, 11, 20));
    assert_eq!(
        a.url.as_deref(),
        Some("https://petit.example.fr/monde/visite")
    );
    assert_eq!(a.source.as_deref(), Some("Le Petit Exemple"));
    assert_eq!(a.text.split("\n\n").count(), 3, "{:?}", a.text);
    assert!(a
        .text
        .starts_with("The foreign minister arrived in Montréal"));
    assert!(a.text.contains("outside the café"), "windows-1252 decoded");
    for noise in ["Accueil", "Other headline", "Contact"] {
        assert!(!a.text.contains(noise), "{noise:?} in {:?}", a.text);
    }
}

#[test]
fn broken_and_empty_pages() {
    let opts = IngestOptions {
        default_date: date(2020, 1, 1),
        ..Default::default()
    };
    let (arts, errs, sum) = collect(&[fixture("broken.html"), fixture("no_text.html")], &opts);
    assert_eq!(arts.len(), 1);
    assert!(arts[0].text.contains("twelve protesters"));
    assert!(arts[0].text.contains("Opposition leaders condemned"));
    assert_eq!(arts[0].title.as_deref(), Some("Broken page"));
    assert_eq!(arts[0].published, date(2020, 1, 1), "default date");
    assert!(
        arts[0]
            .url
            .as_deref()
            .is_some_and(|u| u.ends_with("broken.html")),
        "file path as URL"
    );
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("no_text.html: no article text"),
        "{}",
        errs[0]
    );
    assert_eq!((sum.read, sum.skipped), (1, 1));
}

#[test]
fn rss_items() {
    let opts = IngestOptions {
        default_date: date(2020, 1, 1),
        ..Default::default()
    };
    let (arts, errs, sum) = collect(&[fixture("feed_rss.xml")], &opts);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(arts.len(), 3);
    assert_eq!(sum.read, 3);
    let a = &arts[0];
    assert_eq!(a.id, "wire-0001");
    assert_eq!(a.url.as_deref(), Some("https://feeds.example.org/world/1"));
    assert_eq!(a.source.as_deref(), Some("Petrel World News"));
    assert_eq!(a.byline.as_deref(), Some("Ana Lopez"));
    assert_eq!(a.published, date(2024, 5, 7));
    assert_eq!(
        a.text,
        "The army shelled rebel positions near the northern border on Tuesday, a military spokesman said.\n\nRebels said three civilians were wounded.",
        "content:encoded wins; the share block is dropped"
    );
    let b = &arts[1];
    assert_eq!(b.title.as_deref(), Some("Leaders & envoys meet in Cairo"));
    assert_eq!(b.byline.as_deref(), Some("Sam Reed"));
    assert_eq!(b.published, date(2024, 5, 8));
    assert_eq!(b.id, "https://feeds.example.org/world/2", "link as id");
    assert_eq!(
        b.text,
        "Egypt hosted regional leaders in Cairo on Wednesday to discuss the crisis in Gaza.",
        "entities decoded, the no-break space collapsed"
    );
    let c = &arts[2];
    assert_eq!(
        c.text, "Headline only: parliament dissolved",
        "title as text"
    );
    assert_eq!(c.published, date(2020, 1, 1), "unreadable date: default");
}

#[test]
fn atom_entries() {
    let (arts, errs, _) = collect(&[fixture("feed_atom.atom")], &IngestOptions::default());
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(arts.len(), 3);
    let a = &arts[0];
    assert_eq!(a.id, "tag:atom.example.org,2024:1");
    assert_eq!(
        a.url.as_deref(),
        Some("https://atom.example.org/2024/06/accord"),
        "rel=alternate, not rel=edit"
    );
    assert_eq!(a.byline.as_deref(), Some("Lea Martin"));
    assert_eq!(a.published, date(2024, 6, 1), "published before updated");
    assert_eq!(a.source.as_deref(), Some("Petrel Atom Desk"));
    assert_eq!(
        a.text,
        "India and Bangladesh signed a water-sharing accord in Dhaka on Saturday.\n\nThe deal runs for thirty years."
    );
    let b = &arts[1];
    assert_eq!(b.title.as_deref(), Some("Talks collapse"));
    assert_eq!(
        b.text,
        "Negotiators walked out of the talks in Vienna on Sunday, AT&T reported.\n\nNo new date was set."
    );
    assert_eq!(b.published, date(2024, 6, 2));
    assert_eq!(
        arts[2].text,
        "Troops withdrew from the disputed town on Monday."
    );
    assert_eq!(arts[2].url, None);
}

#[test]
fn broken_feed_items_are_located_and_skipped() {
    let (arts, errs, sum) = collect(&[fixture("broken_feed.rss")], &IngestOptions::default());
    let ids: Vec<&str> = arts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["b1", "b4"], "reading resumes after a broken item");
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs[0].contains("broken_feed.rss:10: item 2: broken XML at line 13"),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].contains("broken_feed.rss:15: item 3: no title, content or summary"),
        "{}",
        errs[1]
    );
    assert!(
        errs[2].contains("broken_feed.rss:23: item 5: the feed ends inside it"),
        "{}",
        errs[2]
    );
    assert_eq!((sum.read, sum.skipped, sum.errors), (2, 3, 3));
    // Reject stops at the first.
    let (arts, errs, _) = collect(
        &[fixture("broken_feed.rss")],
        &IngestOptions {
            on_error: OnError::Reject,
            ..Default::default()
        },
    );
    assert_eq!((arts.len(), errs.len()), (1, 1));
}

#[test]
fn xml_that_is_not_a_feed() {
    let d = tmp("notfeed");
    let f = d.join("sitemap.xml");
    std::fs::write(&f, "<?xml version=\"1.0\"?><urlset><url>x</url></urlset>").expect("write");
    let (arts, errs, sum) = collect(&[f], &IngestOptions::default());
    assert!(arts.is_empty());
    assert!(
        errs[0].contains("not an RSS or Atom feed: root element <urlset>"),
        "{errs:?}"
    );
    assert_eq!(sum.skipped, 1);
    // An XHTML page saved as .xml is read as HTML.
    let x = d.join("page.xml");
    std::fs::write(
        &x,
        "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>Troops left the city on Monday.</p></body></html>",
    )
    .expect("write");
    let (arts, errs, _) = collect(&[x], &IngestOptions::default());
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(arts[0].text, "Troops left the city on Monday.");
}

fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut v = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    v.extend_from_slice(body);
    v
}

fn response(n: usize, uri: &str, http_block: &[u8]) -> Vec<u8> {
    warc::record_bytes(
        "response",
        &format!("urn:uuid:00000000-0000-0000-0000-{n:012}"),
        "2024-07-01T12:00:00Z",
        Some(uri),
        Some("application/http; msgtype=response"),
        http_block,
    )
}

/// A WARC.gz (one member per record) with articles, non-articles and a
/// truncated record at the end.
fn test_warc() -> Vec<u8> {
    let page = fixture_bytes("news_page.html");
    let meta = fixture_bytes("meta_only.html");
    let mut chunked = Vec::new();
    for part in meta.chunks(100) {
        chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let gz_page = warc::gzip(&page).expect("gzip");
    let records: Vec<Vec<u8>> =
        vec![
        warc::record_bytes(
            "warcinfo",
            "urn:uuid:info",
            "2024-07-01T12:00:00Z",
            None,
            Some("application/warc-fields"),
            b"software: petrel-test\r\n",
        ),
        warc::record_bytes(
            "request",
            "urn:uuid:req1",
            "2024-07-01T12:00:00Z",
            Some("https://news.example.org/world/2024/05/geneva-talks"),
            Some("application/http; msgtype=request"),
            b"GET /world/2024/05/geneva-talks HTTP/1.1\r\nHost: news.example.org\r\n\r\n",
        ),
        response(
            1,
            "https://news.example.org/world/2024/05/geneva-talks",
            &http(
                "200 OK",
                "Content-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n",
                &gz_page,
            ),
        ),
        response(
            2,
            "https://petit.example.fr/monde/visite?ref=rss",
            &http(
                "200 OK",
                "Content-Type: text/html; charset=windows-1252\r\nTransfer-Encoding: chunked\r\n",
                &chunked,
            ),
        ),
        response(
            3,
            "https://news.example.org/logo.png",
            &http("200 OK", "Content-Type: image/png\r\n", b"\x89PNG\r\n\x1a\n"),
        ),
        response(
            4,
            "https://news.example.org/missing",
            &http("404 Not Found", "Content-Type: text/html\r\n", b"<p>Not found</p>"),
        ),
        warc::record_bytes(
            "resource",
            "urn:uuid:res1",
            "2024-07-02T00:00:00Z",
            Some("file:///archive/broken.html"),
            Some("text/html"),
            &fixture_bytes("broken.html"),
        ),
        response(
            5,
            "https://news.example.org/empty",
            &http("200 OK", "Content-Type: text/html\r\n", &fixture_bytes("no_text.html")),
        ),
        response(
            6,
            "https://news.example.org/badhttp",
            b"this is not an HTTP response\r\n\r\n<p>x</p>",
        ),
    ];
    let mut out = Vec::new();
    for r in &records {
        out.extend(warc::gzip(r).expect("gzip"));
    }
    // A last record cut in the middle of its gzip member.
    let last = warc::gzip(&response(
        7,
        "https://news.example.org/cut",
        &http("200 OK", "Content-Type: text/html\r\n", &page),
    ))
    .expect("gzip");
    out.extend_from_slice(last.get(..last.len() / 2).unwrap_or_default());
    out
}

#[test]
fn warc_gz_records() {
    let d = tmp("warc");
    let f = d.join("crawl.warc.gz");
    std::fs::write(&f, test_warc()).expect("write");
    let (arts, errs, sum) = collect(std::slice::from_ref(&f), &IngestOptions::default());
    let ids: Vec<&str> = arts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "urn:uuid:00000000-0000-0000-0000-000000000001",
            "urn:uuid:00000000-0000-0000-0000-000000000002",
            "urn:uuid:res1"
        ]
    );
    let a = &arts[0];
    assert_eq!(
        a.url.as_deref(),
        Some("https://news.example.org/world/2024/05/geneva-talks"),
        "canonical resolved against the target URI"
    );
    assert_eq!(a.published, date(2024, 5, 3));
    assert!(a.text.starts_with("GENEVA"), "gzip content decoded");
    let b = &arts[1];
    assert!(b.text.contains("outside the café"), "chunked, windows-1252");
    assert_eq!(
        b.url.as_deref(),
        Some("https://petit.example.fr/monde/visite")
    );
    let c = &arts[2];
    assert_eq!(c.published, date(2024, 7, 2), "WARC-Date fallback");
    assert_eq!(c.url.as_deref(), Some("file:///archive/broken.html"));
    assert_eq!(sum.not_articles, 2, "the PNG and the 404");
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs[0].starts_with(&format!("{}: record 8 at byte ", f.display())),
        "{}",
        errs[0]
    );
    assert!(
        errs[0].ends_with("no article text found in the HTML"),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].contains("record 9 at byte") && errs[1].contains("bad HTTP status line"),
        "{}",
        errs[1]
    );
    assert!(errs[2].contains("record 10 at byte"), "{}", errs[2]);
    assert_eq!((sum.read, sum.skipped), (3, 3));
    // Progress: every compressed byte was read.
    let mut r = read(std::slice::from_ref(&f), &IngestOptions::default());
    let size = std::fs::metadata(&f).expect("meta").len();
    assert_eq!(r.progress(), (0, size));
    for _ in r.by_ref() {}
    assert_eq!(r.progress(), (size, size));
}

#[test]
fn plain_warc_with_a_bad_content_length_resumes() {
    let page = fixture_bytes("news_page.html");
    let ok = |n| {
        response(
            n,
            "https://news.example.org/x",
            &http("200 OK", "Content-Type: text/html\r\n", &page),
        )
    };
    let mut bad = ok(2);
    // Claim 10 bytes fewer than the block has.
    let text = String::from_utf8(bad.clone()).expect("utf8");
    let len = text
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .expect("length");
    bad = text
        .replacen(
            &format!("Content-Length: {len}"),
            &format!("Content-Length: {}", len - 10),
            1,
        )
        .into_bytes();
    let data = [ok(1), bad, ok(3)].concat();
    let r = read_stream(
        Box::new(std::io::Cursor::new(data)),
        "mem.warc",
        &IngestOptions::default(),
    );
    let items: Vec<_> = r.collect();
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[2].is_ok());
    let e = items[1].as_ref().expect_err("bad length");
    assert!(e.to_string().contains("mem.warc: record 2 at byte"), "{e}");
    assert!(e.to_string().contains("Content-Length"), "{e}");
}

#[test]
fn formats_by_name_and_sniffing() {
    for (name, f) in [
        ("html", Format::Html),
        ("RSS", Format::Feed),
        ("atom", Format::Feed),
        ("feed", Format::Feed),
        ("warc", Format::Warc),
    ] {
        assert_eq!(name.parse::<Format>(), Ok(f));
    }
    assert_eq!(sniff_bytes(b"<!DOCTYPE html><html>"), Format::Html);
    assert_eq!(
        sniff_bytes(b"<?xml version=\"1.0\"?>\n<!-- c -->\n<rss>"),
        Format::Feed
    );
    assert_eq!(
        sniff_bytes(b"<?xml version=\"1.0\"?><feed xmlns=\"x\">"),
        Format::Feed
    );
    assert_eq!(sniff_bytes(b"<?xml version=\"1.0\"?><html>"), Format::Html);
    assert_eq!(
        sniff_bytes(b"<?xml version=\"1.0\"?><urlset>"),
        Format::Feed
    );
    assert_eq!(sniff_bytes(b"<div>fragment</div>"), Format::Html);
    assert_eq!(sniff_bytes(b"WARC/1.0\r\n"), Format::Warc);
    assert_eq!(sniff_bytes(b"<3 text"), Format::Html);
    assert_eq!(sniff_bytes(b"Plain text."), Format::Text);
    // Streams without names are sniffed, gzip looked into.
    let opts = IngestOptions::default();
    let cases: Vec<(Vec<u8>, usize)> = vec![
        (fixture_bytes("news_page.html"), 1),
        (fixture_bytes("feed_rss.xml"), 3),
        (fixture_bytes("feed_atom.atom"), 3),
        (test_warc(), 3),
        (
            warc::gzip(b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n").expect("gz"),
            2,
        ),
    ];
    for (i, (bytes, n)) in cases.into_iter().enumerate() {
        let r = read_stream(Box::new(std::io::Cursor::new(bytes)), "in", &opts);
        let ok = r.filter(Result::is_ok).count();
        assert_eq!(ok, n, "case {i}");
    }
}

#[test]
fn directories_and_globs() {
    let d = tmp("globs");
    for f in ["news_page.html", "feed_rss.xml", "feed_atom.atom"] {
        std::fs::copy(fixture(f), d.join(f)).expect("copy");
    }
    std::fs::create_dir_all(d.join("sub")).expect("mkdir");
    std::fs::write(d.join("sub/crawl.warc.gz"), test_warc()).expect("write");
    std::fs::write(d.join("notes.md"), "ignored").expect("write");
    let (arts, _, sum) = collect(std::slice::from_ref(&d), &IngestOptions::default());
    assert_eq!(arts.len(), 1 + 3 + 3 + 3);
    assert_eq!(sum.files, 4);
    assert_eq!(arts.iter().filter(|a| a.id == "news_page").count(), 1);
    // Globs: sorted matches; no match is an error naming the pattern.
    let pat = d.join("*.xml").display().to_string();
    let deep = d.join("**/*.warc.gz").display().to_string();
    let none = d.join("*.nothing").display().to_string();
    let (arts, errs, sum) = collect(&[pat, deep, none.clone()], &IngestOptions::default());
    assert_eq!(arts.len(), 3 + 3);
    assert_eq!(sum.files, 2);
    assert!(
        errs.iter()
            .any(|e| e.contains(&none) && e.contains("no file matches")),
        "{errs:?}"
    );
    let total: u64 = ["feed_rss.xml", "sub/crawl.warc.gz"]
        .iter()
        .map(|f| std::fs::metadata(d.join(f)).map_or(0, |m| m.len()))
        .sum();
    let r = read(&[d.join("*.xml"), d.join("sub")], &IngestOptions::default());
    assert_eq!(r.progress().1, total);
}

/// A small deterministic generator for the corruption test.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn random_and_truncated_bytes_never_panic() {
    let mut rng = Lcg(7);
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    let sources = [
        fixture_bytes("news_page.html"),
        fixture_bytes("meta_only.html"),
        fixture_bytes("feed_rss.xml"),
        fixture_bytes("feed_atom.atom"),
        fixture_bytes("broken_feed.rss"),
        test_warc(),
        {
            let mut v = Vec::new();
            let page = fixture_bytes("news_page.html");
            v.extend(response(
                1,
                "https://x/1",
                &http("200 OK", "Content-Type: text/html\r\n", &page),
            ));
            v.extend(response(
                2,
                "https://x/2",
                &http(
                    "200 OK",
                    "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
                    b"5\r\nabc",
                ),
            ));
            v
        },
    ];
    for src in &sources {
        // Truncations.
        for k in 1..12 {
            inputs.push(src.get(..src.len() * k / 12).unwrap_or_default().to_vec());
        }
        // Random byte flips.
        for _ in 0..12 {
            let mut v = src.clone();
            for _ in 0..8 {
                let i = (rng.next() as usize) % v.len().max(1);
                if let Some(b) = v.get_mut(i) {
                    *b = rng.next() as u8;
                }
            }
            inputs.push(v);
        }
    }
    for n in [0usize, 1, 2, 17, 300, 5000] {
        inputs.push((0..n).map(|_| rng.next() as u8).collect());
    }
    inputs.push(b"WARC/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n".to_vec());
    inputs.push(b"WARC/1.1\r\nContent-Length: 999999999999\r\n\r\nshort".to_vec());
    inputs.push(vec![0x1f, 0x8b, 0x08, 0x00]);
    for (i, bytes) in inputs.into_iter().enumerate() {
        for format in [
            Format::Auto,
            Format::Html,
            Format::Feed,
            Format::Warc,
            Format::Text,
        ] {
            let opts = IngestOptions {
                format,
                ..Default::default()
            };
            let r = read_stream(Box::new(std::io::Cursor::new(bytes.clone())), "x", &opts);
            let n = r.take(10_000).count();
            assert!(n < 10_000, "input {i} {format:?} does not end");
        }
    }
}

#[test]
fn large_gzip_member_count_streams() {
    // 300 records, each its own member: all read, in order.
    let page = fixture_bytes("news_page.html");
    let mut data = Vec::new();
    for n in 0..300 {
        data.extend(
            warc::gzip(&response(
                n,
                &format!("https://x.org/{n}"),
                &http("200 OK", "Content-Type: text/html\r\n", &page),
            ))
            .expect("gzip"),
        );
    }
    let d = tmp("many");
    let f = d.join("many.warc.gz");
    let mut file = std::fs::File::create(&f).expect("create");
    file.write_all(&data).expect("write");
    drop(file);
    let (arts, errs, _) = collect(&[f], &IngestOptions::default());
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(arts.len(), 300);
    assert!(arts[299].id.ends_with("000000000299"));
}

/// The BBC corpus wrapped in three page templates full of boilerplate: the
/// extracted text is exactly the article's paragraphs (headline excluded).
#[test]
fn bbc_pages_extract_exactly() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/corpora/bbc2225/bbc");
    if !dir.is_dir() {
        eprintln!("SKIP: BBC corpus not found at {}", dir.display());
        return;
    }
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let (mut n, mut exact) = (0usize, 0usize);
    let mut r = read(&[dir], &IngestOptions::default());
    for a in r.by_ref() {
        let a = a.expect("BBC text");
        let mut blocks = a
            .text
            .split("\n\n")
            .map(str::trim)
            .filter(|b| !b.is_empty());
        let title = esc(blocks.next().unwrap_or_default());
        let paras: Vec<String> = blocks
            .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let body: String = paras
            .iter()
            .map(|p| format!("<p>{}</p>\n", esc(p)))
            .collect();
        let noise = "<aside class=\"related\"><p>Related: other story, other story, other story.</p></aside>\
                     <div class=\"ad-slot\"><p>Advertisement, advertisement, buy now, buy now.</p></div>";
        let main = match n % 3 {
            0 => format!("<main><article><header><h1>{title}</h1><p class=\"byline\">By BBC</p></header>{body}{noise}</article></main>"),
            1 => format!("<div class=\"page has-sidebar\"><div itemprop=\"articleBody\">{body}</div>{noise}</div>"),
            _ => format!("<div class=\"layout\"><div class=\"teasers\"><a href=\"/a\">More, more, more news here</a></div><div class=\"story-text\">{body}</div>{noise}</div>"),
        };
        let html = format!(
            "<!DOCTYPE html><html><head><title>{title}</title></head><body>\
             <div id=\"cookie-notice\"><p>We use cookies, accept all cookies, manage cookie settings.</p></div>\
             <nav><a href=\"/\">Home</a></nav>{main}\
             <section class=\"comments\"><p>Comment: great story, great story, great story.</p></section>\
             <footer><p>Copyright, terms, privacy, cookies.</p></footer></body></html>"
        );
        let page = html::extract(html.as_bytes(), None, None);
        if page.text == paras.join("\n\n") {
            exact += 1;
        } else if n - exact < 3 {
            eprintln!(
                "{}: {:?}",
                a.id,
                page.text.chars().take(300).collect::<String>()
            );
        }
        n += 1;
    }
    assert_eq!(n, 2225);
    assert_eq!(
        exact, n,
        "pages whose text is exactly the article's paragraphs"
    );
}
