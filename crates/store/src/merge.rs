//! Duplicate stories and merged events (schema version 3).
//!
//! **Stories.** Every saved article gets a fingerprint from `petrel-dedup`
//! (normalised URL, 128-bit content hash, shingle count, MinHash signature)
//! and one row per LSH band key in `lsh_bands`. On save, the article is
//! compared with the stored articles that share its URL, its content hash
//! or a band key ([`petrel_dedup::Fingerprint::matches`], default
//! [`petrel_dedup::Params`]); the stories of all matches and of the article
//! are joined, and the joined story is named by its smallest article id
//! (earlier rows are relabelled). The pair test is symmetric, so the stories
//! are the connected components of the duplicate graph of the stored set:
//! the same whatever the order, batch split or thread count of the saves,
//! and re-saving an article joins nothing new. Limits: a band key shared by
//! more than [`MAX_BUCKET`] articles contributes only its first
//! [`MAX_BUCKET`] (by id) as candidates; an article re-saved with a
//! different text leaves the stories it had already joined joined.
//!
//! **Merged events** (GDELT's Events/Mentions). Each event row carries its
//! [`EventRecord::merge_key`]; [`Store::merge_events`] rebuilds
//! `event_clusters` from scratch with one `GROUP BY`: per key, NumMentions
//! (every event row), NumSources (distinct article sources: the `source`
//! field lower-cased, else the URL's host; articles with neither count as
//! one unknown source), NumArticles (distinct articles, duplicates included,
//! as GDELT counts them), NumStories (distinct stories) and IsRootEvent (any
//! mention in a lead paragraph). The mentions are the event rows themselves
//! (`event_mentions` view).

use std::collections::{BTreeMap, BTreeSet};

use petrel_dedup::{Fingerprint, Params};
use rusqlite::{params, Connection, OptionalExtension};

use crate::{
    read_event, under_schema_lock, Ctx, EventFilter, EventRecord, Store, StoreError, EVENT_COLUMNS,
};

/// Candidates read per LSH band key (see the module docs).
pub const MAX_BUCKET: usize = 1000;

/// Version-3 additions: fingerprint and story columns, band keys, event
/// merge keys, clusters, and the mentions view.
pub(crate) const SCHEMA_V3: &str = r#"
ALTER TABLE articles ADD COLUMN norm_url TEXT;
ALTER TABLE articles ADD COLUMN text_hash TEXT;
ALTER TABLE articles ADD COLUMN shingles INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN minhash BLOB;
ALTER TABLE articles ADD COLUMN story_id TEXT;
ALTER TABLE articles ADD COLUMN source_name TEXT;
ALTER TABLE events ADD COLUMN merge_key INTEGER;
CREATE INDEX articles_by_url ON articles(norm_url);
CREATE INDEX articles_by_text_hash ON articles(text_hash);
CREATE INDEX articles_by_story ON articles(story_id);
CREATE INDEX events_by_merge_key ON events(merge_key);
CREATE TABLE lsh_bands (
    key        INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
CREATE TABLE event_clusters (
    cluster_id   INTEGER PRIMARY KEY NOT NULL,  -- = events.merge_key
    num_mentions INTEGER NOT NULL,
    num_sources  INTEGER NOT NULL,
    num_articles INTEGER NOT NULL,
    num_stories  INTEGER NOT NULL,
    is_root      INTEGER NOT NULL
);
CREATE VIEW event_mentions AS
    SELECT e.merge_key AS cluster_id, e.article_id, a.url, a.story_id, e.idx AS event_idx,
           e.sentence_idx, e.source_start, e.source_end, e.target_start, e.target_end,
           e.verb_start, e.verb_end, e.confidence, e.in_lead
    FROM events e JOIN articles a ON a.id = e.article_id;
"#;

/// One mention of a merged event: an event row of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The story (duplicate cluster) of the article.
    pub story_id: String,
    pub event: EventRecord,
}

/// One merged event with its mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedEvent {
    /// [`EventRecord::merge_key`] of every mention: the global event id.
    pub cluster_id: i64,
    pub num_mentions: u32,
    pub num_sources: u32,
    pub num_articles: u32,
    pub num_stories: u32,
    /// Some mention is in its article's lead paragraph.
    pub is_root: bool,
    /// Ordered by publication date (unknown last), article id, event index;
    /// the first is the representative. Never empty.
    pub mentions: Vec<Mention>,
}

impl MergedEvent {
    /// The representative mention's record with the merged event's id and
    /// IsRootEvent: what one GDELT Events row prints.
    pub fn record(&self) -> EventRecord {
        let mut r = self
            .mentions
            .first()
            .map(|m| m.event.clone())
            .unwrap_or_default();
        r.global_event_id = self.cluster_id;
        r.in_lead = self.is_root;
        r
    }
}

fn params() -> Params {
    Params::default()
}

/// The normalised source name of an article: its `source` lower-cased and
/// trimmed, else the host of its normalised URL.
fn source_name(source: Option<&str>, fp: &Fingerprint) -> Option<String> {
    source
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .or_else(|| {
            fp.url
                .as_deref()
                .map(|u| petrel_dedup::normalized_host(u).to_string())
        })
}

/// Deletes the band keys of article `id` (computed from its stored
/// signature). Call before deleting or replacing its row.
pub(crate) fn remove_bands(tx: &Connection, id: &str) -> Result<(), StoreError> {
    let blob: Option<Option<Vec<u8>>> = tx
        .query_row("SELECT minhash FROM articles WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()
        .ctx(|| format!("article {id:?}: reading its signature"))?;
    let Some(Some(blob)) = blob else {
        return Ok(());
    };
    let fp = Fingerprint {
        minhash: Fingerprint::minhash_from_bytes(&blob)
            .map_err(|e| StoreError::Corrupt(format!("article {id:?}: {e}")))?,
        ..Fingerprint::default()
    };
    let mut st = tx
        .prepare_cached("DELETE FROM lsh_bands WHERE key = ?1 AND article_id = ?2")
        .ctx(|| "preparing band delete".into())?;
    for k in fp.band_keys(&params()) {
        st.execute(params![k, id])
            .ctx(|| format!("article {id:?}: deleting band keys"))?;
    }
    Ok(())
}

/// A stored article as a duplicate candidate.
struct Candidate {
    story: String,
    fp: Fingerprint,
}

fn read_candidates(
    tx: &Connection,
    sql: &str,
    arg: &dyn rusqlite::ToSql,
    id: &str,
    out: &mut BTreeMap<String, Candidate>,
) -> Result<(), StoreError> {
    let mut st = tx
        .prepare_cached(sql)
        .ctx(|| "preparing the candidate query".into())?;
    let mut rows = st
        .query(params![arg, id, MAX_BUCKET as i64])
        .ctx(|| format!("article {id:?}: finding duplicate candidates"))?;
    while let Some(r) = rows
        .next()
        .ctx(|| format!("article {id:?}: reading candidates"))?
    {
        let cid: String = r.get(0).ctx(|| "candidate id".into())?;
        if out.contains_key(&cid) {
            continue;
        }
        let story: Option<String> = r.get(1).ctx(|| "candidate story".into())?;
        let blob: Option<Vec<u8>> = r.get(5).ctx(|| "candidate signature".into())?;
        let minhash = Fingerprint::minhash_from_bytes(blob.as_deref().unwrap_or_default())
            .map_err(|e| StoreError::Corrupt(format!("article {cid:?}: {e}")))?;
        let fp = Fingerprint {
            url: r.get(2).ctx(|| "candidate url".into())?,
            text_hash: r.get(3).ctx(|| "candidate hash".into())?,
            shingles: r.get(4).ctx(|| "candidate shingles".into())?,
            minhash,
        };
        out.insert(
            cid.clone(),
            Candidate {
                story: story.unwrap_or(cid),
                fp,
            },
        );
    }
    Ok(())
}

const CANDIDATE_COLUMNS: &str = "a.id, a.story_id, a.norm_url, a.text_hash, a.shingles, a.minhash";

/// Fingerprints the article just inserted as `id`, stores its fingerprint
/// and band keys, and assigns its story (see the module docs).
pub(crate) fn add_article(
    tx: &Connection,
    id: &str,
    text: &str,
    url: Option<&str>,
    source: Option<&str>,
) -> Result<(), StoreError> {
    let p = params();
    let fp = Fingerprint::new(text, url, &p);
    let keys = fp.band_keys(&p);
    let mut cands: BTreeMap<String, Candidate> = BTreeMap::new();
    if let Some(u) = &fp.url {
        let sql = format!(
            "SELECT {CANDIDATE_COLUMNS} FROM articles a WHERE a.norm_url = ?1 AND a.id <> ?2 \
             ORDER BY a.id LIMIT ?3"
        );
        read_candidates(tx, &sql, u, id, &mut cands)?;
    }
    if let Some(h) = &fp.text_hash {
        let sql = format!(
            "SELECT {CANDIDATE_COLUMNS} FROM articles a WHERE a.text_hash = ?1 AND a.id <> ?2 \
             ORDER BY a.id LIMIT ?3"
        );
        read_candidates(tx, &sql, h, id, &mut cands)?;
    }
    let band_sql = format!(
        "SELECT {CANDIDATE_COLUMNS} FROM lsh_bands l JOIN articles a ON a.id = l.article_id \
         WHERE l.key = ?1 AND l.article_id <> ?2 ORDER BY l.article_id LIMIT ?3"
    );
    for k in &keys {
        read_candidates(tx, &band_sql, k, id, &mut cands)?;
    }
    let mut stories: BTreeSet<String> = cands
        .values()
        .filter(|c| fp.matches(&c.fp, &p).is_some())
        .map(|c| c.story.clone())
        .collect();
    stories.insert(id.to_string());
    let story = stories.first().cloned().unwrap_or_else(|| id.to_string());
    for s in stories.iter().filter(|s| **s != story) {
        tx.execute(
            "UPDATE articles SET story_id = ?1 WHERE story_id = ?2",
            params![story, s],
        )
        .ctx(|| format!("article {id:?}: joining story {s:?}"))?;
    }
    tx.execute(
        "UPDATE articles SET norm_url = ?2, text_hash = ?3, shingles = ?4, minhash = ?5, \
         story_id = ?6, source_name = ?7 WHERE id = ?1",
        params![
            id,
            fp.url,
            fp.text_hash,
            fp.shingles,
            fp.minhash_bytes(),
            story,
            source_name(source, &fp),
        ],
    )
    .ctx(|| format!("article {id:?}: storing its fingerprint"))?;
    let mut st = tx
        .prepare_cached("INSERT OR IGNORE INTO lsh_bands (key, article_id) VALUES (?1, ?2)")
        .ctx(|| "preparing band insert".into())?;
    for k in keys {
        st.execute(params![k, id])
            .ctx(|| format!("article {id:?}: band keys"))?;
    }
    Ok(())
}

/// Takes a version-2 database to version 3, under `BEGIN IMMEDIATE`,
/// re-checking the version inside: adds the columns and tables, then
/// fingerprints every stored article (in insertion order) and computes
/// every event's merge key. Clusters are left empty until
/// [`Store::merge_events`].
pub(crate) fn migrate_v2(conn: &Connection, name: &str) -> Result<(), StoreError> {
    under_schema_lock(conn, name, "schema migration", |version| {
        if version != 2 {
            return Ok(());
        }
        conn.execute_batch(SCHEMA_V3)
            .ctx(|| format!("{name}: migrating schema v2 to v3"))?;
        let tx = conn;
        let articles: Vec<(String, String, Option<String>, Option<String>)> = {
            let mut st = tx
                .prepare("SELECT id, text, url, source FROM articles ORDER BY rowid")
                .ctx(|| format!("{name}: listing articles"))?;
            let rows = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .ctx(|| format!("{name}: listing articles"))?;
            rows.collect::<Result<_, _>>()
                .ctx(|| format!("{name}: reading articles"))?
        };
        for (id, text, url, source) in &articles {
            add_article(tx, id, text, url.as_deref(), source.as_deref())?;
        }
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id \
             LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_idx"
        );
        let keys: Vec<(String, u32, i64)> = {
            let mut st = tx.prepare(&sql).ctx(|| format!("{name}: listing events"))?;
            let mut rows = st.query([]).ctx(|| format!("{name}: listing events"))?;
            let mut out = Vec::new();
            while let Some(r) = rows.next().ctx(|| format!("{name}: reading events"))? {
                let e = read_event(r)?;
                out.push((e.doc_id.clone(), e.idx, e.merge_key()));
            }
            out
        };
        {
            let mut st = tx
                .prepare("UPDATE events SET merge_key = ?3 WHERE article_id = ?1 AND idx = ?2")
                .ctx(|| format!("{name}: preparing merge keys"))?;
            for (id, idx, key) in keys {
                st.execute(params![id, idx, key])
                    .ctx(|| format!("{name}: article {id:?}: merge key"))?;
            }
        }
        conn.execute_batch("PRAGMA user_version = 3;")
            .ctx(|| format!("{name}: setting user_version"))
    })
}

impl Store {
    /// Rebuilds `event_clusters` from the stored events (see the module
    /// docs) in one transaction; returns the number of merged events.
    /// Idempotent: it depends only on what is stored, so running it twice,
    /// or after an interrupted and resumed run, gives the same rows.
    pub fn merge_events(&mut self) -> Result<u64, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .ctx(|| "merging events: starting transaction".into())?;
        tx.execute("DELETE FROM event_clusters", [])
            .ctx(|| "merging events: clearing clusters".into())?;
        let n = tx
            .execute(
                "INSERT INTO event_clusters \
                 (cluster_id, num_mentions, num_sources, num_articles, num_stories, is_root) \
                 SELECT e.merge_key, count(*), count(DISTINCT coalesce(a.source_name, '')), \
                 count(DISTINCT e.article_id), count(DISTINCT coalesce(a.story_id, a.id)), \
                 max(e.in_lead) \
                 FROM events e JOIN articles a ON a.id = e.article_id \
                 WHERE e.merge_key IS NOT NULL GROUP BY e.merge_key",
                [],
            )
            .ctx(|| "merging events: grouping".into())?;
        tx.commit().ctx(|| "merging events: commit".into())?;
        Ok(n as u64)
    }

    /// The story id of every stored article, by article id.
    pub fn stories(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT id, coalesce(story_id, id) FROM articles ORDER BY id")
            .ctx(|| "listing stories".into())?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .ctx(|| "listing stories".into())?;
        rows.collect::<Result<_, _>>()
            .ctx(|| "reading stories".into())
    }

    /// Streams the merged events matching `filter` (as of the last
    /// [`Store::merge_events`]) to `f`, ordered by date (event date, else
    /// publication date), then merged-event id. Date filters apply to that
    /// date; `article_id` keeps the merged events that article mentions
    /// (with all their mentions); `limit` counts merged events.
    pub fn for_each_merged(
        &self,
        filter: &EventFilter,
        mut f: impl FnMut(MergedEvent) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut sql = format!(
            "SELECT {EVENT_COLUMNS}, e.merge_key, c.num_mentions, c.num_sources, c.num_articles, \
             c.num_stories, c.is_root, coalesce(a.story_id, a.id) \
             FROM events e JOIN articles a ON a.id = e.article_id \
             JOIN event_clusters c ON c.cluster_id = e.merge_key \
             LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_idx WHERE 1"
        );
        let args = crate::filter_conditions(
            filter,
            "e.merge_key IN (SELECT merge_key FROM events WHERE article_id = ?{})",
            "coalesce(e.date, a.published)",
            &mut sql,
        );
        sql.push_str(
            " ORDER BY coalesce(e.date, a.published), e.merge_key, \
             a.published IS NULL, a.published, e.article_id, e.idx",
        );
        let mut stmt = self
            .conn
            .prepare(&sql)
            .ctx(|| "preparing the merged event query".into())?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(args.iter()))
            .ctx(|| "querying merged events".into())?;
        let g = |e: rusqlite::Error| StoreError::Sqlite {
            context: "decoding a merged event row".into(),
            source: e,
        };
        let mut current: Option<MergedEvent> = None;
        let mut emitted: u64 = 0;
        let limit = filter.limit.unwrap_or(u64::MAX);
        while let Some(r) = rows.next().ctx(|| "reading merged events".into())? {
            let base = crate::EVENT_COLUMN_COUNT;
            let key: i64 = r.get(base).map_err(g)?;
            let mention = Mention {
                event: read_event(r)?,
                story_id: r.get(base + 6).map_err(g)?,
            };
            match current.as_mut() {
                Some(m) if m.cluster_id == key => m.mentions.push(mention),
                _ => {
                    if let Some(done) = current.take() {
                        if emitted >= limit {
                            return Ok(());
                        }
                        emitted += 1;
                        f(done)?;
                    }
                    current = Some(MergedEvent {
                        cluster_id: key,
                        num_mentions: r.get(base + 1).map_err(g)?,
                        num_sources: r.get(base + 2).map_err(g)?,
                        num_articles: r.get(base + 3).map_err(g)?,
                        num_stories: r.get(base + 4).map_err(g)?,
                        is_root: r.get(base + 5).map_err(g)?,
                        mentions: vec![mention],
                    });
                }
            }
        }
        if let Some(done) = current {
            if emitted < limit {
                f(done)?;
            }
        }
        Ok(())
    }

    /// All merged events matching `filter` (see [`Store::for_each_merged`]).
    pub fn merged_events(&self, filter: &EventFilter) -> Result<Vec<MergedEvent>, StoreError> {
        let mut out = Vec::new();
        self.for_each_merged(filter, |m| {
            out.push(m);
            Ok(())
        })?;
        Ok(out)
    }
}
