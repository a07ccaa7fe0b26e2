use super::*;

/// A fresh temporary directory for one test.
pub(crate) fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("petrel-ingest-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

fn write(path: &Path, content: &[u8]) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("mkdir");
    }
    std::fs::write(path, content).expect("write");
}

/// Reads `inputs` to the end: the articles, the errors as text, the summary.
pub(crate) fn collect<P: AsRef<Path>>(
    inputs: &[P],
    opts: &IngestOptions,
) -> (Vec<Article>, Vec<String>, Summary) {
    let mut r = read(inputs, opts);
    let (mut ok, mut err) = (Vec::new(), Vec::new());
    for x in r.by_ref() {
        match x {
            Ok(a) => ok.push(a),
            Err(e) => err.push(e.to_string()),
        }
    }
    (ok, err, r.summary().clone())
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

const JSONL: &str = r#"{"id":"a1","url":"http://x/1","source":"X","published":"2024-05-01T10:00:00Z","title":"T","text":"Body one.","extra":[1,2]}

{"id":"a2","text":"Body two."}
{"id": 7, "text": "Numeric id.", "published": ""}
{"text":"No id here."}
{"id":"","text":"Empty id."}
"#;

#[test]
fn jsonl_fields_and_defaults() {
    let d = tmp("jsonl");
    let f = d.join("news.jsonl");
    write(&f, JSONL.as_bytes());
    let opts = IngestOptions {
        default_date: date(2020, 1, 2),
        ..Default::default()
    };
    let (arts, errs, sum) = collect(&[f], &opts);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(arts.len(), 5);
    assert_eq!(
        arts[0],
        Article {
            id: "a1".into(),
            url: Some("http://x/1".into()),
            source: Some("X".into()),
            title: Some("T".into()),
            published: date(2024, 5, 1),
            text: "Body one.".into(),
            byline: None,
        }
    );
    assert_eq!(arts[1].published, date(2020, 1, 2), "default date");
    assert_eq!(arts[2].id, "7");
    assert_eq!(arts[2].published, date(2020, 1, 2), "empty date = absent");
    assert_eq!(arts[3].published, date(2020, 1, 2));
    assert_eq!(arts[3].id, text_id("No id here."));
    assert!(arts[3].id.starts_with("fnv-") && arts[3].id.len() == 20);
    assert_eq!(arts[4].id, text_id("Empty id."));
    // Pinned value: the derived id must never change between versions.
    assert_eq!(text_id("a"), "fnv-af63dc4c8601ec8c");
    assert_eq!(
        sum,
        Summary {
            files: 1,
            read: 5,
            skipped: 0,
            errors: 0,
            lossy: 0,
            not_articles: 0,
        }
    );
}

const BAD: &str = "{\"id\":\"ok1\",\"text\":\"Fine.\"}\n\
{\"id\":\"x\",\"text\":\"unterminated\n\
[1,2]\n\
{\"id\":\"nt\",\"title\":\"no text\"}\n\
{\"id\":\"bd\",\"text\":\"Bad date.\",\"published\":\"May 1\"}\n\
{\"id\":\"tt\",\"text\":42}\n\
{\"id\":\"et\",\"text\":\"   \"}\n\
{\"id\":[1],\"text\":\"Array id.\"}\n\
{\"id\":\"ok2\",\"text\":\"Also fine.\"}\n";

#[test]
fn malformed_records_are_located_and_skipped() {
    let d = tmp("bad");
    let f = d.join("bad.jsonl");
    let mut bytes = BAD.as_bytes().to_vec();
    bytes.extend_from_slice(b"{\"id\":\"u\",\"text\":\"\xff\"}\n");
    write(&f, &bytes);
    let (arts, errs, sum) = collect(std::slice::from_ref(&f), &IngestOptions::default());
    assert_eq!(
        arts.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["ok1", "ok2"]
    );
    let name = f.display().to_string();
    let want = [
        (2, "invalid JSON: "),
        (3, "expected a JSON object, got an array"),
        (4, "missing field \"text\""),
        (5, "`published` must be an ISO date"),
        (6, "field \"text\" must be a string, got a number"),
        (7, "field \"text\" is empty"),
        (
            8,
            "field \"id\" must be a string or an integer, got an array",
        ),
        (10, "invalid UTF-8 at byte 18 of the line"),
    ];
    assert_eq!(errs.len(), want.len(), "{errs:#?}");
    for (e, (line, msg)) in errs.iter().zip(want) {
        assert!(e.starts_with(&format!("{name}:{line}: {msg}")), "{e}");
    }
    assert_eq!(
        sum,
        Summary {
            files: 1,
            read: 2,
            skipped: 8,
            errors: 8,
            lossy: 0,
            not_articles: 0,
        }
    );

    // Reject: the first error ends the stream.
    let opts = IngestOptions {
        on_error: OnError::Reject,
        ..Default::default()
    };
    let (arts, errs, sum) = collect(&[f], &opts);
    assert_eq!(arts.len(), 1);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].contains(":2: invalid JSON"));
    assert_eq!((sum.read, sum.skipped), (1, 1));
}

#[test]
fn text_files_titles_and_ids() {
    let d = tmp("text");
    write(
        &d.join("politics/001.txt"),
        "Labour plans rise\n\nMaternity pay will rise.\n".as_bytes(),
    );
    write(
        &d.join("sport/001.txt"),
        "No headline here. Just text.\nSecond line.\n".as_bytes(),
    );
    write(
        &d.join("sport/002.txt"),
        b"\xef\xbb\xbfBOM title\n\nBody \xa315m.\n",
    );
    write(&d.join("sport/003.txt"), b"  \n\n");
    write(&d.join("notes.md"), b"ignored");
    write(&d.join(".hidden.txt"), b"ignored");
    write(
        &d.join("all.jsonl"),
        b"{\"id\":\"j\",\"text\":\"From JSONL.\"}\n",
    );
    let opts = IngestOptions {
        default_date: date(2024, 2, 3),
        ..Default::default()
    };
    let (arts, errs, sum) = collect(std::slice::from_ref(&d), &opts);
    let ids: Vec<&str> = arts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["j", "politics/001", "sport/001", "sport/002"]);
    assert_eq!(arts[1].title.as_deref(), Some("Labour plans rise"));
    assert_eq!(
        arts[1].text, "Labour plans rise\n\nMaternity pay will rise.\n",
        "text kept whole"
    );
    assert_eq!(arts[1].published, date(2024, 2, 3));
    assert_eq!(arts[2].title, None);
    assert_eq!(arts[3].title.as_deref(), Some("BOM title"));
    assert_eq!(
        arts[3].text, "BOM title\n\nBody \u{fffd}15m.\n",
        "BOM dropped, bad byte replaced"
    );
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].ends_with("003.txt: empty article text"),
        "{}",
        errs[0]
    );
    assert_eq!(
        sum,
        Summary {
            files: 5,
            read: 4,
            skipped: 1,
            errors: 1,
            lossy: 1,
            not_articles: 0,
        }
    );

    // A file given directly uses its stem; titles can be turned off.
    let opts = IngestOptions {
        text_titles: false,
        ..Default::default()
    };
    let (arts, _, _) = collect(&[d.join("politics/001.txt")], &opts);
    assert_eq!(
        (arts[0].id.as_str(), arts[0].title.as_deref()),
        ("001", None)
    );
}

#[test]
fn forced_and_sniffed_formats() {
    let d = tmp("formats");
    // No known extension: sniffed from the content.
    write(
        &d.join("feed.data"),
        b"\n{\"id\":\"s\",\"text\":\"Sniffed.\"}\n",
    );
    write(&d.join("plain.data"), b"Just words.");
    let (arts, errs, _) = collect(
        &[d.join("feed.data"), d.join("plain.data")],
        &IngestOptions::default(),
    );
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!((arts[0].id.as_str(), arts[1].id.as_str()), ("s", "plain"));
    assert_eq!(arts[1].text, "Just words.");
    // Forced text: a JSONL file read as one article.
    let opts = IngestOptions {
        format: Format::Text,
        ..Default::default()
    };
    let (arts, _, _) = collect(&[d.join("feed.data")], &opts);
    assert_eq!(arts.len(), 1);
    assert!(arts[0].text.contains("\"Sniffed.\""));
    assert_eq!("JSONL".parse::<Format>(), Ok(Format::Jsonl));
    assert!("xml".parse::<Format>().is_err());
}

#[test]
fn missing_input_is_an_error() {
    let d = tmp("missing");
    let (arts, errs, sum) = collect(
        &[d.join("nope.txt"), d.join("nope-dir")],
        &IngestOptions::default(),
    );
    assert!(arts.is_empty());
    assert_eq!(errs.len(), 2);
    assert!(errs[0].contains("nope.txt: cannot read"), "{}", errs[0]);
    assert_eq!((sum.errors, sum.skipped, sum.files), (2, 0, 0));
}

#[test]
fn reuters_records() {
    let d = tmp("reuters");
    let f = d.join("r.jsonl");
    write(
        &f,
        concat!(
            r#"{"newid": 1, "date": "26-FEB-1987 15:01:01.79", "title": "BAHIA COCOA REVIEW", "dateline": "SALVADOR, Feb 26 -", "places": ["usa"], "topics": [], "body": "Showers continued."}"#,
            "\n",
            r#"{"newid": 2, "date": "1-APR-1987 05:27:05.32", "title": "T", "body": "Call money."}"#,
            "\n",
            r#"{"newid": 3, "date": "31-FOO-1987 00:00:00.00", "body": "Bad month."}"#,
            "\n",
            r#"{"newid": 4, "date": "1-APR-1987 05:27:05.32", "title": "No body"}"#,
            "\n"
        )
        .as_bytes(),
    );
    for format in [Format::Auto, Format::Reuters] {
        let (arts, errs, _) = collect(
            std::slice::from_ref(&f),
            &IngestOptions {
                format,
                ..Default::default()
            },
        );
        assert_eq!(arts.len(), 2);
        assert_eq!(arts[0].id, "1");
        assert_eq!(arts[0].published, date(1987, 2, 26));
        assert_eq!(arts[0].title.as_deref(), Some("BAHIA COCOA REVIEW"));
        assert_eq!(arts[0].source.as_deref(), Some("Reuters"));
        assert_eq!(arts[1].published, date(1987, 4, 1));
        assert!(errs[0].contains(":3: unknown month \"FOO\""), "{}", errs[0]);
        assert!(
            errs[1].contains(":4: missing field \"body\""),
            "{}",
            errs[1]
        );
    }
    // As plain JSONL the Reuters shape lacks "text".
    let (arts, errs, _) = collect(
        &[f],
        &IngestOptions {
            format: Format::Jsonl,
            ..Default::default()
        },
    );
    assert!(arts.is_empty());
    assert!(errs[0].ends_with(":1: missing field \"text\""));
}

#[test]
fn reuters_corpus_reads_without_errors() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/corpora/reuters21578");
    if !dir.is_dir() {
        eprintln!("SKIP: Reuters corpus not found at {}", dir.display());
        return;
    }
    let opts = IngestOptions {
        format: Format::Reuters,
        ..Default::default()
    };
    // The folder also holds README.txt/SOURCE.txt: name the JSONL parts.
    let mut parts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("list corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    parts.sort();
    let t0 = std::time::Instant::now();
    let mut r = read(&parts, &opts);
    let mut n = 0;
    for a in r.by_ref() {
        let a = a.unwrap_or_else(|e| panic!("{e}"));
        assert!(a.published.is_some());
        n += 1;
    }
    assert_eq!(n, 19_043);
    assert_eq!(r.summary().files, 6);
    eprintln!("read {n} Reuters articles in {:?}", t0.elapsed());
}

#[test]
fn streams_are_sniffed() {
    let jsonl = "  \n{\"id\":\"s1\",\"text\":\"One.\"}\n{\"id\":\"s2\",\"text\":\"Two.\"}\n";
    let r = read_stream(
        Box::new(std::io::Cursor::new(jsonl.to_string())),
        "-",
        &IngestOptions::default(),
    );
    let ids: Vec<String> = r
        .map(|a| a.map(|a| a.id).unwrap_or_else(|e| e.to_string()))
        .collect();
    assert_eq!(ids, ["s1", "s2"]);
    let text = "Headline\n\nBody text.";
    let mut r = read_stream(
        Box::new(std::io::Cursor::new(text.to_string())),
        "stdin",
        &IngestOptions::default(),
    );
    let a = r.next().and_then(Result::ok).expect("one article");
    assert_eq!(
        (a.id.as_str(), a.title.as_deref(), a.text.as_str()),
        ("stdin", Some("Headline"), text)
    );
    assert!(r.next().is_none());
    let r = read_stream(
        Box::new(std::io::Cursor::new(String::new())),
        "-",
        &IngestOptions::default(),
    );
    let errs: Vec<String> = r.filter_map(|a| a.err().map(|e| e.to_string())).collect();
    assert_eq!(errs, ["-: empty article text"]);
}

#[test]
fn bbc_corpus_reads_as_text() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/corpora/bbc2225/bbc");
    if !dir.is_dir() {
        eprintln!("SKIP: BBC corpus not found at {}", dir.display());
        return;
    }
    let mut r = read(&[dir], &IngestOptions::default());
    let mut ids = std::collections::HashSet::new();
    let mut titled = 0;
    for a in r.by_ref() {
        let a = a.unwrap_or_else(|e| panic!("{e}"));
        titled += usize::from(a.title.is_some());
        ids.insert(a.id);
    }
    assert_eq!(ids.len(), 2225, "ids are unique across sections");
    assert!(ids.contains("politics/001"));
    assert_eq!(titled, 2225, "every BBC file starts with a headline line");
    assert_eq!(r.summary().lossy, 1, "sport/199.txt has one latin-1 byte");
}

#[test]
fn reader_can_move_to_a_thread() {
    fn assert_send<T: Send>(_: &T) {}
    let r = read(&["-"], &IngestOptions::default());
    assert_send(&r);
}
