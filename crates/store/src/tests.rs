use super::*;
use petrel_doc::{ActorRef, Entity, EntityLabel, Event, Modality, Sentence, Span};

fn at() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 5, 2)
        .and_then(|d| d.and_hms_opt(10, 30, 0))
        .expect("valid time")
}

fn span_of(text: &str, needle: &str) -> Span {
    let s = text.find(needle).expect("needle in text");
    Span::new(s, s + needle.len())
}

/// A hand-built coded doc with a non-ASCII prefix (character offsets differ
/// from byte offsets).
pub(crate) fn sample_doc(id: &str) -> Doc {
    let text = "Bogotá (Reuters) – Colombia's government condemned the rebels.\n\nThe rebels did not attack Cali.";
    let mut d = Doc::new(id, text);
    d.url = Some("https://example.org/a".into());
    d.published = NaiveDate::from_ymd_opt(2024, 5, 1);
    let s1 = span_of(
        text,
        "Bogotá (Reuters) – Colombia's government condemned the rebels.",
    );
    let s2 = span_of(text, "The rebels did not attack Cali.");
    d.sentences = vec![
        Sentence {
            span: s1,
            tokens: 0..0,
        },
        Sentence {
            span: s2,
            tokens: 0..0,
        },
    ];
    let gov = span_of(text, "Colombia's government");
    let rebels = span_of(text, "the rebels");
    d.entities = vec![
        Entity {
            span: gov,
            tokens: 0..0,
            label: EntityLabel::Organization,
            code: Some("COLGOV".into()),
            source: "actors.txt:3".into(),
        },
        Entity {
            span: rebels,
            tokens: 0..0,
            label: EntityLabel::Other,
            code: Some("REB".into()),
            source: "agents.txt:9".into(),
        },
    ];
    let actor = |code: &str, span: Span| ActorRef {
        code: code.into(),
        span,
        tokens: 0..0,
        via: "dict".into(),
    };
    d.events = vec![
        Event {
            cameo: "122".into(),
            root: "12".into(),
            quad_class: 3,
            goldstein: -4.0,
            plover_type: Some("REJECT".into()),
            plover_mode: None,
            source: Some(actor("COLGOV", gov)),
            target: Some(actor("REB", rebels)),
            verb: span_of(text, "condemned"),
            verb_tokens: 0..0,
            negated: false,
            modality: Modality::Asserted,
            reported_by: None,
            date: d.published,
            sentence: 0,
            rule: "verbs.txt:12".into(),
            confidence: 0.9,
        },
        Event {
            cameo: "0190".into(),
            root: "19".into(),
            quad_class: 4,
            goldstein: -10.0,
            plover_type: None,
            plover_mode: None,
            source: Some(actor("REB", span_of(text, "The rebels"))),
            target: None,
            verb: span_of(text, "attack"),
            verb_tokens: 0..0,
            negated: true,
            modality: Modality::Asserted,
            reported_by: None,
            date: None,
            sentence: 1,
            rule: "verbs.txt:40".into(),
            confidence: 0.5,
        },
    ];
    d
}

#[test]
fn save_twice_does_not_duplicate() {
    let mut st = Store::open_in_memory().expect("open");
    let d = sample_doc("a1");
    st.save_at(&d, at()).expect("save");
    st.save_at(&d, at()).expect("save again");
    assert_eq!(
        st.counts().expect("counts"),
        Counts {
            articles: 1,
            sentences: 2,
            events: 2,
            actors: 2
        }
    );
    // A re-save with fewer events replaces, it does not merge.
    let mut d2 = d.clone();
    d2.events.truncate(1);
    st.save_at(&d2, at()).expect("save shorter");
    assert_eq!(st.counts().expect("counts").events, 1);
    st.save_at(&sample_doc("a2"), at()).expect("save other");
    assert_eq!(
        st.counts().expect("counts"),
        Counts {
            articles: 2,
            sentences: 4,
            events: 3,
            actors: 4
        }
    );
}

#[test]
fn events_round_trip_in_character_offsets() {
    let mut st = Store::open_in_memory().expect("open");
    let d = sample_doc("a1");
    st.save_at(&d, at()).expect("save");
    let got = st.events(&EventFilter::default()).expect("events");
    let mut want = EventRecord::from_doc(&d);
    for w in &mut want {
        w.coded_at = Some(at());
    }
    assert_eq!(got, want);
    let e = &got[0];
    assert_eq!(e.cameo, "122");
    let src = e.source.as_ref().expect("source");
    // "Bogotá (Reuters) – " is 19 characters but 22 bytes.
    assert_eq!((src.span.start, src.span.end), (19, 40));
    assert_eq!(src.span.text, "Colombia's government");
    assert!(e.in_lead);
    assert!(!got[1].in_lead);
    assert_eq!(got[1].cameo, "0190", "leading zero kept");
    assert!(got[1].negated && got[1].target.is_none() && got[1].date.is_none());
    assert_eq!(got[1].sentence_text, "The rebels did not attack Cali.");
}

#[test]
fn filters_select_events() {
    let mut st = Store::open_in_memory().expect("open");
    st.save_at(&sample_doc("a1"), at()).expect("save");
    st.save_at(&sample_doc("b2"), at()).expect("save");
    let n = |f: EventFilter| st.events(&f).expect("events").len();
    assert_eq!(n(EventFilter::default()), 4);
    assert_eq!(
        n(EventFilter {
            article_id: Some("b2".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            cameo_prefix: Some("01".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            cameo_prefix: Some("12".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            quad_class: Some(4),
            ..Default::default()
        }),
        2
    );
    let day = NaiveDate::from_ymd_opt(2024, 5, 1);
    assert_eq!(
        n(EventFilter {
            since: day,
            until: day,
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            since: NaiveDate::from_ymd_opt(2024, 5, 2),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        n(EventFilter {
            limit: Some(3),
            ..Default::default()
        }),
        3
    );
}

#[test]
fn failed_save_leaves_previous_data() {
    let mut st = Store::open_in_memory().expect("open");
    let d = sample_doc("a1");
    st.save_at(&d, at()).expect("save");
    let before = st.events(&EventFilter::default()).expect("events");

    // The second event points past the sentences: detected after the old
    // rows were deleted inside the transaction, so this checks the rollback.
    let mut bad = d.clone();
    bad.text.push_str(" More.");
    bad.events[1].sentence = 7;
    let err = st.save_at(&bad, at()).expect_err("must fail");
    assert!(
        err.to_string().contains("event 1 refers to sentence 7"),
        "{err}"
    );
    assert_eq!(st.events(&EventFilter::default()).expect("events"), before);
    assert_eq!(
        st.counts().expect("counts"),
        Counts {
            articles: 1,
            sentences: 2,
            events: 2,
            actors: 2
        }
    );

    // A span off a character boundary ("á" is two bytes) is refused too.
    let mut bad = d.clone();
    bad.events[0].verb = Span::new(5, 6);
    let err = st.save_at(&bad, at()).expect_err("must fail");
    assert!(
        err.to_string().contains("not on character boundaries"),
        "{err}"
    );
    assert_eq!(st.counts().expect("counts").events, 2);
}

#[test]
fn is_coded_follows_content_hash() {
    let mut st = Store::open_in_memory().expect("open");
    let d = sample_doc("a1");
    let h = doc_content_hash(&d);
    assert!(!st.is_coded("a1", &h).expect("query"));
    st.save_at(&d, at()).expect("save");
    assert!(st.is_coded("a1", &h).expect("query"));
    let mut changed = d.clone();
    changed.text.push_str(" Update.");
    assert!(!st
        .is_coded("a1", &doc_content_hash(&changed))
        .expect("query"));
    assert!(st.delete("a1").expect("delete"));
    assert!(!st.is_coded("a1", &h).expect("query"));
    assert_eq!(st.counts().expect("counts"), Counts::default());
}

#[test]
fn file_database_persists_and_checks_version() {
    let dir = std::env::temp_dir().join(format!("petrel-store-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join("events.db");
    let _ = std::fs::remove_file(&path);
    {
        let mut st = Store::open(&path).expect("open file");
        st.save(&sample_doc("a1")).expect("save");
        let mode: String = st
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
    }
    {
        let st = Store::open(&path).expect("reopen");
        assert_eq!(st.counts().expect("counts").events, 2);
        let ev = st.events(&EventFilter::default()).expect("events");
        assert!(ev[0].coded_at.is_some());
        st.conn
            .execute_batch("PRAGMA user_version = 99")
            .expect("bump version");
    }
    let err = Store::open(&path).err().expect("newer schema refused");
    assert!(err.to_string().contains("schema version 99"), "{err}");

    // A foreign SQLite file is not touched.
    let other = dir.join("other.db");
    let _ = std::fs::remove_file(&other);
    {
        let c = Connection::open(&other).expect("open");
        c.execute_batch("CREATE TABLE t (x)").expect("create");
    }
    let err = Store::open(&other).err().expect("foreign db refused");
    assert!(
        err.to_string().contains("no Petrel schema version"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn empty_id_is_refused() {
    let mut st = Store::open_in_memory().expect("open");
    let err = st.save(&Doc::new("", "text")).expect_err("empty id");
    assert!(err.to_string().contains("empty article id"));
}

#[test]
fn pipeline_version_invalidates_is_coded() {
    let mut st = Store::open_in_memory().expect("open");
    st.set_pipeline_version("petrel-0.1+dict-abc");
    let d = sample_doc("a1");
    let h = doc_content_hash(&d);
    st.save_at(&d, at()).expect("save");
    assert!(st.is_coded("a1", &h).expect("query"));
    st.set_pipeline_version("petrel-0.1+dict-def");
    assert_eq!(st.pipeline_version(), "petrel-0.1+dict-def");
    assert!(
        !st.is_coded("a1", &h).expect("query"),
        "new dictionaries: code again"
    );
}

#[test]
fn batch_is_all_or_nothing() {
    let mut st = Store::open_in_memory().expect("open");
    let docs: Vec<Doc> = (0..5).map(|i| sample_doc(&format!("d{i}"))).collect();
    st.save_batch(&docs).expect("batch");
    assert_eq!(st.counts().expect("counts").articles, 5);
    let mut more: Vec<Doc> = (5..8).map(|i| sample_doc(&format!("d{i}"))).collect();
    more[2].events[0].sentence = 99;
    let err = st.save_batch(&more).expect_err("bad doc in batch");
    assert!(err.to_string().contains("\"d7\""), "{err}");
    assert_eq!(
        st.counts().expect("counts").articles,
        5,
        "nothing of the failed batch kept"
    );
    // Re-saving within a batch replaces too.
    st.save_batch(&docs[..2]).expect("again");
    assert_eq!(
        st.counts().expect("counts"),
        Counts {
            articles: 5,
            sentences: 10,
            events: 10,
            actors: 10
        }
    );
}

#[test]
fn concurrent_opens_of_a_new_file_agree() {
    let dir = std::env::temp_dir().join(format!("petrel-store-race-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join("race.db");
    let _ = std::fs::remove_file(&path);
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let path = path.clone();
            std::thread::spawn(move || -> Result<(), String> {
                let mut st = Store::open(&path).map_err(|e| e.to_string())?;
                st.save(&sample_doc(&format!("t{i}")))
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    for h in handles {
        let r = h.join().unwrap_or_else(|_| Err("thread panicked".into()));
        assert_eq!(r, Ok(()));
    }
    let st = Store::open(&path).expect("reopen");
    assert_eq!(st.counts().expect("counts").articles, 4);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn version_1_database_is_migrated() {
    let dir = std::env::temp_dir().join(format!("petrel-store-v1-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join("v1.db");
    let _ = std::fs::remove_file(&path);
    {
        let c = Connection::open(&path).expect("open");
        c.execute_batch(&format!("{SCHEMA_V1} PRAGMA user_version = 1;"))
            .expect("v1 schema");
    }
    {
        let mut st = Store::open(&path).expect("migrating open");
        let v: i64 = st
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(v, SCHEMA_VERSION);
        let mut d = sample_doc("m1");
        d.locations.push(petrel_doc::LocationMention {
            span: span_of(&d.text.clone(), "Cali"),
            tokens: 0..0,
            name: "Cali".into(),
            geonameid: Some(3_687_925),
            lat: 3.437_22,
            lon: -76.5225,
            country_iso3: "COL".into(),
            fips: "CO".into(),
            admin1: "29".into(),
            feature_class: 'P',
            feature_code: "PPLA".into(),
            gdelt_type: 4,
            score: 0.8,
            events: vec![1],
        });
        st.save(&d).expect("save after migration");
        let ev = st.events(&EventFilter::default()).expect("events");
        let mem = EventRecord::from_doc(&d);
        assert_eq!(ev.len(), mem.len());
        for (s, m) in ev.iter().zip(&mem) {
            assert_eq!(s.action_geo, m.action_geo);
            assert_eq!(s.actor1_geo, m.actor1_geo);
            assert_eq!(s.actor2_geo, m.actor2_geo);
            assert_eq!(s.date_precision, m.date_precision);
            assert_eq!(s.date_text, m.date_text);
        }
        let g = ev[1].action_geo.as_ref().expect("event 1 located");
        assert_eq!((g.adm1_code.as_str(), g.source.as_str()), ("CO29", "verb"));
        assert_eq!(g.feature_id, "3687925");
    }
    // Reopening a migrated database does not migrate again.
    assert!(Store::open(&path).is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn geo_record_round_trips_and_rejects_garbage() {
    let g = GeoRecord {
        gdelt_type: 2,
        full_name: "Texas, United States".into(),
        country_fips: "US".into(),
        adm1_code: "USTX".into(),
        adm2_code: String::new(),
        lat: 31.25,
        lon: -99.25,
        feature_id: "4736286".into(),
        source: "dateline".into(),
    };
    assert_eq!(GeoRecord::decode(&g.encode()), Ok(g));
    assert!(GeoRecord::decode("1\u{1f}x").is_err());
    let bad = "x\u{1f}a\u{1f}b\u{1f}c\u{1f}\u{1f}1\u{1f}2\u{1f}f\u{1f}verb";
    assert!(GeoRecord::decode(bad).is_err());
}

// ---- schema v3: stories and merged events ----

const LONG_TAIL: &str = "\n\nIn other news, the national football team beat its neighbours three \
    goals to one in a friendly match played in the capital on Sunday evening, with two late goals \
    from substitutes sealing a win that the coach called the best performance of the season so far \
    in front of a crowd of more than forty thousand supporters.";

fn band_rows(st: &Store) -> i64 {
    st.conn
        .query_row("SELECT count(*) FROM lsh_bands", [], |r| r.get(0))
        .expect("count bands")
}

/// Three articles: "b" repeats "a" (another URL, another source), "c" has
/// the same events but a different text (another story), "d" is unrelated.
fn story_docs() -> Vec<Doc> {
    let mut a = sample_doc("a");
    a.source = Some("Reuters".into());
    let mut b = sample_doc("b");
    b.url = Some("https://www.other.example/story?utm_source=x".into());
    b.source = None;
    let mut c = sample_doc("c");
    c.text.push_str(LONG_TAIL);
    c.url = Some("https://third.example/c".into());
    let d = Doc::new(
        "d",
        "Shares in the carmaker fell sharply after it warned that profits for the year would be \
         lower than expected because of rising steel prices and weak demand in its main markets.",
    );
    vec![b, d, a, c]
}

#[test]
fn stories_do_not_depend_on_order_or_batches() {
    let docs = story_docs();
    let mut one = Store::open_in_memory().expect("open");
    one.save_batch(&docs).expect("batch");
    let want = one.stories().expect("stories");
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        want,
        pairs(&[("a", "a"), ("b", "a"), ("c", "c"), ("d", "d")])
    );
    let mut rev = Store::open_in_memory().expect("open");
    for d in docs.iter().rev() {
        rev.save(d).expect("save");
    }
    assert_eq!(rev.stories().expect("stories"), want);
    let mut split = Store::open_in_memory().expect("open");
    split.save_batch(&docs[..1]).expect("batch 1");
    split.save_batch(&docs[1..3]).expect("batch 2");
    split.save_batch(&docs[3..]).expect("batch 3");
    assert_eq!(split.stories().expect("stories"), want);
}

#[test]
fn resaving_and_deleting_keep_band_keys_exact() {
    let docs = story_docs();
    let mut st = Store::open_in_memory().expect("open");
    st.save_batch(&docs).expect("batch");
    let bands = band_rows(&st);
    assert!(bands > 0);
    st.save_batch(&docs).expect("again");
    assert_eq!(band_rows(&st), bands);
    let stories = st.stories().expect("stories");
    st.save(&docs[2]).expect("resave a");
    assert_eq!(st.stories().expect("stories"), stories);
    assert!(st.delete("d").expect("delete"));
    let per_article = bands / 4;
    assert_eq!(band_rows(&st), bands - per_article);
}

fn merged(st: &mut Store) -> Vec<MergedEvent> {
    st.merge_events().expect("merge");
    st.merged_events(&EventFilter::default()).expect("merged")
}

#[test]
fn events_merge_across_articles_with_counts() {
    let docs = story_docs();
    let mut st = Store::open_in_memory().expect("open");
    st.save_batch(&docs).expect("batch");
    let per_doc = docs[2].events.len();
    let m = merged(&mut st);
    assert_eq!(m.len(), per_doc);
    for e in &m {
        assert_eq!(e.num_mentions, 3);
        assert_eq!(e.num_articles, 3);
        assert_eq!(e.num_stories, 2);
        // "reuters", then the URL hosts "other.example" and "third.example".
        assert_eq!(e.num_sources, 3);
        let ids: Vec<&str> = e.mentions.iter().map(|m| m.event.doc_id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let stories: Vec<&str> = e.mentions.iter().map(|m| m.story_id.as_str()).collect();
        assert_eq!(stories, ["a", "a", "c"]);
        let rec = e.record();
        assert_eq!(rec.global_event_id, e.cluster_id);
        assert_eq!(rec.merge_key(), e.cluster_id);
    }
    assert!(m.iter().any(|e| e.is_root));
    // Idempotent: merging again, or re-saving an article, changes nothing.
    assert_eq!(merged(&mut st), m);
    st.save(&docs[0]).expect("resave b");
    assert_eq!(merged(&mut st), m);
    // Filters: an article id keeps its merged events with all mentions.
    let only_c = st
        .merged_events(&EventFilter {
            article_id: Some("c".into()),
            ..Default::default()
        })
        .expect("filtered");
    assert_eq!(only_c, m);
    let limited = st
        .merged_events(&EventFilter {
            limit: Some(1),
            ..Default::default()
        })
        .expect("limited");
    assert_eq!(limited.len(), 1);
}

#[test]
fn negated_and_asserted_events_do_not_merge() {
    let mut d = sample_doc("n");
    let mut neg = d.events[0].clone();
    neg.negated = !neg.negated;
    d.events.push(neg);
    let mut st = Store::open_in_memory().expect("open");
    st.save(&d).expect("save");
    let m = merged(&mut st);
    assert_eq!(m.len(), d.events.len());
}

#[test]
fn version_2_database_is_migrated_to_3() {
    let dir = std::env::temp_dir().join(format!("petrel-store-v2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join("v2.db");
    let _ = std::fs::remove_file(&path);
    let docs = story_docs();
    let (stories, events) = {
        let mut st = Store::open(&path).expect("open");
        st.save_batch(&docs).expect("batch");
        (st.stories().expect("stories"), merged(&mut st))
    };
    {
        // Remove every version-3 addition: what a v2 Petrel left behind.
        let c = Connection::open(&path).expect("open raw");
        c.execute_batch(
            "DROP VIEW event_mentions; DROP TABLE event_clusters; DROP TABLE lsh_bands; \
             DROP INDEX articles_by_url; DROP INDEX articles_by_text_hash; \
             DROP INDEX articles_by_story; DROP INDEX events_by_merge_key; \
             ALTER TABLE articles DROP COLUMN norm_url; ALTER TABLE articles DROP COLUMN text_hash; \
             ALTER TABLE articles DROP COLUMN shingles; ALTER TABLE articles DROP COLUMN minhash; \
             ALTER TABLE articles DROP COLUMN story_id; ALTER TABLE articles DROP COLUMN source_name; \
             ALTER TABLE events DROP COLUMN merge_key; PRAGMA user_version = 2;",
        )
        .expect("downgrade");
    }
    {
        let mut st = Store::open(&path).expect("migrating open");
        let v: i64 = st
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(v, SCHEMA_VERSION);
        assert_eq!(st.stories().expect("stories"), stories);
        assert_eq!(merged(&mut st), events);
        // And it keeps working: a re-save joins the same story.
        st.save(&docs[0]).expect("save after migration");
        assert_eq!(st.stories().expect("stories"), stories);
    }
    assert!(Store::open(&path).is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}
