//! GKG 2.1 conformance: our rows against the structure of GDELT's real GKG
//! rows in `shared/data/formats/gdelt` (skipped with a message when absent).

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use petrel_doc::{
    Article, CountMention, Doc, Entity, EntityLabel, LocationMention, QuoteMention, Sentence, Span,
    TimeMention, ToneScores,
};
use petrel_export::{gkg_row, EventWriter, Format, WriterOptions, GKG_COLUMNS};

fn gdelt_dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/formats/gdelt/test/resources/com/aamend/spark/gdelt");
    if d.is_dir() {
        Some(d)
    } else {
        println!("SKIP: {} not found; real GKG rows unavailable", d.display());
        None
    }
}

fn is_int(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

fn is_float(s: &str) -> bool {
    s.parse::<f64>().is_ok_and(f64::is_finite)
}

fn is_date14(s: &str) -> bool {
    s.len() == 14 && NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S").is_ok()
}

/// Items of a `;`-separated field, ignoring the terminating `;`.
fn items(f: &str) -> Vec<&str> {
    f.split(';').filter(|s| !s.is_empty()).collect()
}

/// Checks the internal structure of one GKG 2.1 row (split on tabs).
fn check_row(f: &[&str]) -> Result<(), String> {
    if f.len() != GKG_COLUMNS {
        return Err(format!("{} fields, expected {GKG_COLUMNS}", f.len()));
    }
    let (date, n) = f[0]
        .split_once('-')
        .ok_or(format!("record id {:?}", f[0]))?;
    if !is_date14(date) || !is_int(n.trim_start_matches('T')) {
        return Err(format!("record id {:?}", f[0]));
    }
    if !is_date14(f[1]) {
        return Err(format!("V2.1DATE {:?}", f[1]));
    }
    if !is_int(f[2]) {
        return Err(format!("collection id {:?}", f[2]));
    }
    for (col, subfields) in [(5, 10), (6, 11)] {
        for it in items(f[col]) {
            let p: Vec<&str> = it.split('#').collect();
            if p.len() != subfields || !is_int(p[1]) || !is_int(p[3]) {
                return Err(format!("counts col {col}: {it:?}"));
            }
            if col == 6 && !is_int(p[10]) {
                return Err(format!("count offset {it:?}"));
            }
        }
    }
    for it in items(f[8]) {
        let (_, o) = it.rsplit_once(',').ok_or(format!("theme {it:?}"))?;
        if !is_int(o) {
            return Err(format!("theme {it:?}"));
        }
    }
    for (col, subfields) in [(9, 7), (10, 9)] {
        for it in items(f[col]) {
            let p: Vec<&str> = it.split('#').collect();
            if p.len() != subfields || !is_int(p[0]) {
                return Err(format!("location col {col}: {it:?}"));
            }
            let ll = if col == 9 { &p[4..6] } else { &p[5..7] };
            if ll.iter().any(|x| !x.is_empty() && !is_float(x)) {
                return Err(format!("location lat/long {it:?}"));
            }
            if col == 10 && !is_int(p[8]) {
                return Err(format!("location offset {it:?}"));
            }
        }
    }
    for col in [12, 14, 23] {
        for it in items(f[col]) {
            let (name, o) = it.rsplit_once(',').ok_or(format!("name {it:?}"))?;
            if name.is_empty() || !is_int(o) {
                return Err(format!("name col {col}: {it:?}"));
            }
        }
    }
    if !f[15].is_empty() {
        let t: Vec<&str> = f[15].split(',').collect();
        if t.len() < 7 || !t.iter().all(|x| is_float(x)) {
            return Err(format!("tone {:?}", f[15]));
        }
    }
    for it in items(f[16]) {
        let p: Vec<&str> = it.split('#').collect();
        if p.len() != 5 || !p.iter().all(|x| is_int(x)) {
            return Err(format!("date {it:?}"));
        }
    }
    for it in f[17].split(',').filter(|s| !s.is_empty()) {
        let (k, v) = it.split_once(':').ok_or(format!("gcam {it:?}"))?;
        if k.is_empty() || !is_float(v) {
            return Err(format!("gcam {it:?}"));
        }
    }
    for block in f[22].split('#').filter(|s| !s.is_empty()) {
        let p: Vec<&str> = block.splitn(4, '|').collect();
        if p.len() != 4 || !is_int(p[0]) || !is_int(p[1]) {
            return Err(format!("quotation {block:?}"));
        }
    }
    for it in items(f[24]) {
        let (amount, rest) = it.split_once(',').ok_or(format!("amount {it:?}"))?;
        let (_, o) = rest.rsplit_once(',').ok_or(format!("amount {it:?}"))?;
        if !is_float(amount) || !is_int(o) {
            return Err(format!("amount {it:?}"));
        }
    }
    Ok(())
}

fn span_of(text: &str, needle: &str) -> Span {
    let s = text.find(needle).expect("needle in test text");
    Span::new(s, s + needle.len())
}

/// A hand-built document with every GKG layer, non-ASCII text before the
/// annotations (so byte and character offsets differ) and delimiter
/// characters inside the quotation.
fn hand_doc() -> Doc {
    let text = "Bogotá – Gustavo Petro said the army killed 12 rebels near Cúcuta on 18 February 2015.\n\
                \"We will not\tyield #never | ever; to terror,\" Petro told the Senado de Colombia.";
    let mut d = Doc::new("doc-gkg-1", text);
    d.url = Some("https://www.example.org/news/1".into());
    d.title = Some("Army <kills> 12 & more".into());
    d.published = NaiveDate::from_ymd_opt(2015, 2, 18);
    let s1_end = text.find('\n').expect("newline");
    d.sentences = vec![
        Sentence {
            span: Span::new(0, s1_end),
            tokens: 0..0,
        },
        Sentence {
            span: Span::new(s1_end + 1, text.len()),
            tokens: 0..0,
        },
    ];
    let ent = |needle: &str, label| Entity {
        span: span_of(text, needle),
        tokens: 0..0,
        label,
        code: None,
        source: "test".into(),
    };
    d.entities = vec![
        ent("Gustavo Petro", EntityLabel::Person),
        ent("Cúcuta", EntityLabel::Gpe),
        ent("Senado de Colombia", EntityLabel::Organization),
    ];
    d.locations = vec![LocationMention {
        span: span_of(text, "Cúcuta"),
        tokens: 0..0,
        name: "Cúcuta, Norte de Santander, Colombia".into(),
        geonameid: Some(3685533),
        lat: 7.89391,
        lon: -72.50782,
        country_iso3: "COL".into(),
        fips: "CO".into(),
        admin1: "21".into(),
        feature_class: 'P',
        feature_code: "PPLA".into(),
        gdelt_type: 4,
        score: 0.9,
        events: Vec::new(),
    }];
    d.counts = vec![CountMention {
        kind: "KILL".into(),
        number: 12,
        qualifier: None,
        span: span_of(text, "12"),
        object: Some(span_of(text, "rebels")),
        trigger: span_of(text, "killed"),
        sentence: 0,
    }];
    let q_start = text.find("We will").expect("quote");
    let q_end = text.find(",\" Petro").expect("quote end") + 1;
    d.quotes = vec![QuoteMention {
        content: Span::new(q_start, q_end),
        cue: Some(span_of(text, "told")),
        speaker: Some(Span::new(
            text.rfind("Petro").expect("speaker"),
            text.rfind("Petro").expect("speaker") + 5,
        )),
        speaker_resolved: Some(span_of(text, "Gustavo Petro")),
        speaker_code: Some("COLGOV".into()),
        kind: "direct".into(),
        nested: false,
    }];
    d.tone = Some(ToneScores {
        tone: -5.347593582887,
        positive: 2.139037433155,
        negative: 7.486631016043,
        polarity: 9.625668449198,
        activity_density: 21.1229946524064,
        self_group_density: 0.0,
        word_count: 29,
    });
    d.times = vec![TimeMention {
        span: span_of(text, "18 February 2015"),
        tokens: 0..0,
        kind: "DATE".into(),
        value: "2015-02-18".into(),
        precision: "day".into(),
        anchored: false,
        rule: "test".into(),
    }];
    d
}

fn when() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2015, 2, 18)
        .and_then(|d| d.and_hms_opt(23, 0, 0))
        .expect("valid date")
}

#[test]
fn real_gdelt_rows_pass_the_checker() {
    let Some(dir) = gdelt_dir() else { return };
    let mut n = 0;
    for file in ["gkg.csv", "gkgT.csv"] {
        let path = dir.join(file);
        let Ok(data) = std::fs::read_to_string(&path) else {
            println!("SKIP: cannot read {}", path.display());
            continue;
        };
        for (i, line) in data.lines().enumerate() {
            let f: Vec<&str> = line.split('\t').collect();
            if let Err(e) = check_row(&f) {
                panic!(
                    "{}:{}: real row fails the checker: {e}",
                    path.display(),
                    i + 1
                );
            }
            n += 1;
        }
    }
    assert!(n > 0, "no real GKG rows read");
}

#[test]
fn hand_doc_row_is_conformant() {
    let d = hand_doc();
    let row = gkg_row(&d, "20150218230000-0", when());
    assert_eq!(row.len(), GKG_COLUMNS);
    for (i, f) in row.iter().enumerate() {
        assert!(
            !f.contains(['\t', '\n', '\r']),
            "field {i} has a tab or newline: {f:?}"
        );
    }
    let line = row.join("\t");
    let f: Vec<&str> = line.split('\t').collect();
    check_row(&f).unwrap_or_else(|e| panic!("our row fails: {e}\n{line}"));

    let text = &d.text;
    let ch = |needle: &str| text[..text.find(needle).expect("needle")].chars().count();
    assert_eq!(f[1], "20150218230000");
    assert_eq!(f[2], "1");
    assert_eq!(f[3], "example.org");
    assert_eq!(f[4], "https://www.example.org/news/1");
    // Counts: same number of '#' sub-fields as the real rows (10 and 11).
    assert_eq!(
        f[5],
        "KILL#12#rebels#4#Cúcuta  Norte de Santander  Colombia#CO#CO21#7.8939#-72.5078#3685533;"
            .replace("  ", ", ")
    );
    assert_eq!(
        f[6],
        format!("{}#{};", f[5].trim_end_matches(';'), ch("12"))
    );
    assert_eq!(
        f[9],
        "4#Cúcuta, Norte de Santander, Colombia#CO#CO21#7.8939#-72.5078#3685533"
    );
    assert_eq!(
        f[10],
        format!(
            "4#Cúcuta, Norte de Santander, Colombia#CO#CO21##7.8939#-72.5078#3685533#{}",
            ch("Cúcuta")
        )
    );
    assert_eq!(f[11], "gustavo petro");
    assert_eq!(f[12], format!("Gustavo Petro,{}", ch("Gustavo")));
    assert_eq!(f[13], "senado de colombia");
    assert_eq!(f[14], format!("Senado de Colombia,{}", ch("Senado")));
    assert_eq!(f[15], "-5.347594,2.139037,7.486631,9.625668,21.122995,0,29");
    assert_eq!(f[16], format!("3#2#18#2015#{};", ch("18 February")));
    assert_eq!(f[17], "wc:29");
    // Quotation: offset|length|verb|quote, with the tab, '#' and '|' removed.
    let q_len = "We will not\tyield #never | ever; to terror,"
        .chars()
        .count();
    assert_eq!(
        f[22],
        format!(
            "{}|{q_len}|told|We will not yield never ever; to terror,",
            ch("We will")
        )
    );
    assert_eq!(
        f[23],
        format!(
            "Gustavo Petro,{};Cúcuta,{};Senado de Colombia,{}",
            ch("Gustavo"),
            ch("Cúcuta"),
            ch("Senado")
        )
    );
    assert_eq!(f[24], format!("12,rebels,{};", ch("12")));
    assert_eq!(
        f[26],
        "<PAGE_TITLE>Army &lt;kills&gt; 12 &amp; more</PAGE_TITLE>"
    );
    // Character, not byte, offsets ("Bogotá –" has 3 extra bytes).
    assert_ne!(ch("12"), text.find("12").expect("12"));
}

#[test]
fn empty_doc_row_has_27_fields() {
    let d = Doc::new("bare", "Nothing here.");
    let row = gkg_row(&d, "20150218230000-3", when());
    assert_eq!(row.len(), GKG_COLUMNS);
    assert_eq!(row[4], "bare");
    assert!(row[5..].iter().all(String::is_empty), "{row:?}");
    let line = row.join("\t");
    check_row(&line.split('\t').collect::<Vec<_>>()).expect("empty row conforms");
}

/// Nested attributions are exported like top-level ones: the real rows
/// carry overlapping quotations too (gkg.csv has one quote inside another).
#[test]
fn nested_quotes_are_exported() {
    let text = "Smith said that Jones warned that the bridge would close.";
    let mut d = Doc::new("n", text);
    let mention = |content: &str, cue: &str, speaker: &str, nested: bool| QuoteMention {
        content: span_of(text, content),
        cue: Some(span_of(text, cue)),
        speaker: Some(span_of(text, speaker)),
        speaker_resolved: None,
        speaker_code: None,
        kind: "indirect".into(),
        nested,
    };
    d.quotes = vec![
        mention(
            "Jones warned that the bridge would close",
            "said",
            "Smith",
            false,
        ),
        mention("the bridge would close", "warned", "Jones", true),
    ];
    let row = gkg_row(&d, "20150218230000-4", when());
    assert_eq!(
        row[22],
        format!(
            "{}|40|said|Jones warned that the bridge would close#{}|22|warned|the bridge would close",
            text.find("Jones").expect("outer"),
            text.find("the bridge").expect("inner")
        )
    );
}

#[test]
fn counts_match_real_subfield_structure() {
    let Some(dir) = gdelt_dir() else { return };
    let data = std::fs::read_to_string(dir.join("gkg.csv")).expect("gkg.csv readable");
    let real: Vec<usize> = data
        .lines()
        .filter_map(|l| l.split('\t').nth(6))
        .flat_map(|f| items(f).into_iter().map(|i| i.split('#').count()))
        .collect();
    assert!(!real.is_empty(), "real rows have V2.1Counts");
    let ours = gkg_row(&hand_doc(), "20150218230000-0", when());
    for it in items(&ours[6]) {
        assert!(real.contains(&it.split('#').count()), "{it:?}");
    }
}

#[test]
fn writer_writes_one_row_per_doc() {
    let opts = WriterOptions {
        date_added: Some(when()),
    };
    let mut w = EventWriter::new(Vec::new(), Format::Gkg, opts);
    assert_eq!(w.write_doc(&hand_doc()).expect("write"), 1);
    assert_eq!(w.write_doc(&Doc::new("b", "x")).expect("write"), 1);
    assert_eq!(w.written(), 2);
    let out = String::from_utf8(w.finish().expect("finish")).expect("utf8");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("20150218230000-0\t"));
    assert!(lines[1].starts_with("20150218230000-1\t"));
    for l in lines {
        check_row(&l.split('\t').collect::<Vec<_>>()).expect("conformant");
    }
    assert_eq!("gkg".parse::<Format>(), Ok(Format::Gkg));
}

#[test]
fn pipeline_doc_row_is_conformant() {
    let pipeline = match petrel_pipeline::Pipeline::embedded() {
        Ok(p) => p,
        Err(e) => panic!("embedded pipeline: {e}"),
    };
    let article = Article {
        id: "gkg-pipeline-1".into(),
        url: Some("https://news.example.com/2015/02/18/clashes".into()),
        source: Some("Example News".into()),
        title: Some("Clashes in Aleppo".into()),
        published: NaiveDate::from_ymd_opt(2015, 2, 18),
        text: "Syrian troops killed at least 14 rebels in Aleppo on Tuesday, the \
               Syrian Observatory for Human Rights said.\n\nPolice arrested 30 protesters \
               in Damascus. \"We will defend every street,\" President Bashar al-Assad \
               told reporters in Damascus on 17 February."
            .into(),
        byline: None,
    };
    let doc = pipeline.process(article);
    let row = gkg_row(&doc, "20150218230000-0", when());
    let line = row.join("\t");
    let f: Vec<&str> = line.split('\t').collect();
    check_row(&f).unwrap_or_else(|e| panic!("pipeline row fails: {e}\n{line}"));
    assert!(!line.contains('\n'));
    assert_eq!(f[3], "Example News");
    println!("pipeline GKG row:\n{line}");
    assert!(!f[15].is_empty(), "tone expected from the pipeline: {line}");
    // Each person once: a quote speaker inside an entity is not repeated,
    // so no two person mentions overlap.
    let ranges: Vec<(usize, usize)> = items(f[12])
        .iter()
        .filter_map(|p| {
            let (n, o) = p.rsplit_once(',')?;
            let o: usize = o.parse().ok()?;
            Some((o, o + n.chars().count()))
        })
        .collect();
    for (i, a) in ranges.iter().enumerate() {
        for b in &ranges[..i] {
            assert!(a.1 <= b.0 || b.1 <= a.0, "overlapping persons: {}", f[12]);
        }
    }
    // Every located place is among all names.
    let cm = petrel_doc::CharMap::new(&doc.text);
    for l in &doc.locations {
        let o = cm.char_of(l.span.start);
        assert!(
            items(f[23]).iter().any(|n| n.ends_with(&format!(",{o}"))),
            "location at {o} missing from AllNames: {}",
            f[23]
        );
    }
}
