//! Petrel's SQLite store for coded articles.
//!
//! One database file holds the articles, their sentences, actor mentions and
//! coded events, with every offset in **characters** (Unicode scalar values,
//! end exclusive), as in the JSON contract. It is used for resumable,
//! idempotent ingestion ([`Store::is_coded`]) and for exporting events later
//! ([`Store::events`]), through the same flat [`EventRecord`] the writers of
//! `petrel-export` print from an in-memory [`Doc`].
//!
//! What it is not: an analysis store. Token layers (lemmas, POS, trees) are
//! not saved, and a `Doc` cannot be rebuilt from the database.
//!
//! Properties: WAL journal, foreign keys with `ON DELETE CASCADE`, schema
//! versioned by `PRAGMA user_version` ([`SCHEMA_VERSION`]; version-1
//! databases are migrated in place by adding the geo and date columns,
//! version-2 ones by adding and back-filling the story and merge columns,
//! see [`merge`]). Each saved article is assigned its duplicate
//! story ([`Store::stories`]); [`Store::merge_events`] builds the merged
//! events that [`Store::for_each_merged`] reads. [`Store::save`]
//! runs in one transaction and replaces everything stored under the same
//! article id, so re-saving never duplicates rows and a failed save leaves
//! the previous rows as they were. CAMEO and actor codes are `TEXT`
//! (leading zeros kept).

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, Utc};
use petrel_doc::{CharMap, Doc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};

pub mod merge;
mod record;

pub use merge::{Mention, MergedEvent};

pub use record::{
    article_content_hash, check_span, content_hash, doc_content_hash, event_merge_key, fnv1a64,
    global_event_id, lead_end, ActorRecord, EventRecord, GeoRecord, SpanText,
};

/// Alias: an event as read back from the store.
pub type StoredEvent = EventRecord;

/// The schema version this build writes and reads (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 3;

/// Columns added in version 2 (geo blocks as [`GeoRecord::encode`] text,
/// date precision and the dating expression's text).
const SCHEMA_V2_COLUMNS: [&str; 5] = [
    "action_geo TEXT",
    "actor1_geo TEXT",
    "actor2_geo TEXT",
    "date_precision TEXT",
    "date_text TEXT",
];

fn v2_migration() -> String {
    SCHEMA_V2_COLUMNS
        .iter()
        .map(|c| format!("ALTER TABLE events ADD COLUMN {c};"))
        .collect::<String>()
}

const SCHEMA_V1: &str = r#"
CREATE TABLE articles (
    id           TEXT PRIMARY KEY NOT NULL,
    url          TEXT,
    source       TEXT,
    title        TEXT,
    published    TEXT,            -- YYYY-MM-DD
    text         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    pipeline     TEXT NOT NULL,   -- pipeline version that coded it
    coded_at     TEXT NOT NULL    -- YYYY-MM-DDTHH:MM:SS (UTC)
);
CREATE TABLE sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,  -- character offsets, end exclusive
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE actors (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    label      TEXT NOT NULL,
    code       TEXT,
    via        TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE events (
    article_id        TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx               INTEGER NOT NULL,
    global_event_id   INTEGER NOT NULL,
    cameo             TEXT NOT NULL,
    root              TEXT NOT NULL,
    quad_class        INTEGER NOT NULL,
    goldstein         REAL NOT NULL,
    plover_type       TEXT,
    plover_mode       TEXT,
    source_code       TEXT,
    source_start      INTEGER,
    source_end        INTEGER,
    source_text       TEXT,
    source_via        TEXT,
    target_code       TEXT,
    target_start      INTEGER,
    target_end        INTEGER,
    target_text       TEXT,
    target_via        TEXT,
    verb_start        INTEGER NOT NULL,
    verb_end          INTEGER NOT NULL,
    verb_text         TEXT NOT NULL,
    negated           INTEGER NOT NULL,
    modality          TEXT NOT NULL,
    reported_by_code  TEXT,
    reported_by_start INTEGER,
    reported_by_end   INTEGER,
    reported_by_text  TEXT,
    reported_by_via   TEXT,
    date              TEXT,
    sentence_idx      INTEGER NOT NULL,
    in_lead           INTEGER NOT NULL,
    rule              TEXT NOT NULL,
    confidence        REAL NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX events_by_date ON events(date);
CREATE INDEX events_by_cameo ON events(cameo);
CREATE INDEX events_by_geid ON events(global_event_id);
"#;

/// A store error, with the article id or the SQL step it happened in.
#[derive(Debug)]
pub enum StoreError {
    /// SQLite failed; `context` says doing what.
    Sqlite {
        context: String,
        source: rusqlite::Error,
    },
    /// The document cannot be stored as it is (bad span, sentence index…).
    InvalidDoc { doc_id: String, message: String },
    /// The database was written by a different schema version.
    Schema(String),
    /// A stored value cannot be read back (corrupt or foreign row).
    Corrupt(String),
    /// Raised by a callback of [`Store::for_each_event`].
    Io(std::io::Error),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Sqlite { context, source } => write!(f, "store: {context}: {source}"),
            StoreError::InvalidDoc { doc_id, message } => {
                write!(f, "store: article {doc_id:?}: {message}")
            }
            StoreError::Schema(m) => write!(f, "store: {m}"),
            StoreError::Corrupt(m) => write!(f, "store: corrupt row: {m}"),
            StoreError::Io(e) => write!(f, "store: {e}"),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Sqlite { source, .. } => Some(source),
            StoreError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Io(e)
    }
}

/// Adds a context message to a rusqlite result.
trait Ctx<T> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T, StoreError>;
}

impl<T> Ctx<T> for rusqlite::Result<T> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Sqlite {
            context: context(),
            source,
        })
    }
}

/// Row counts of each table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub articles: u64,
    pub sentences: u64,
    pub events: u64,
    pub actors: u64,
}

/// Which events [`Store::events`] returns. All conditions are ANDed; the
/// default selects every event. Results are ordered by article id, then
/// event index.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub article_id: Option<String>,
    /// Event date on or after.
    pub since: Option<NaiveDate>,
    /// Event date on or before.
    pub until: Option<NaiveDate>,
    /// CAMEO code prefix (`"14"` for every protest, `"0"` for roots 01–09).
    pub cameo_prefix: Option<String>,
    pub quad_class: Option<u8>,
    pub limit: Option<u64>,
}

/// A Petrel event database.
pub struct Store {
    conn: Connection,
    pipeline: String,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, in WAL mode.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let path = path.as_ref();
        let conn = Connection::open(path).ctx(|| format!("opening {}", path.display()))?;
        Store::init(conn, &path.display().to_string())
    }

    /// A private in-memory database (for tests and one-shot runs).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().ctx(|| "opening an in-memory database".into())?;
        Store::init(conn, ":memory:")
    }

    fn init(conn: Connection, name: &str) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .ctx(|| format!("{name}: setting busy timeout"))?;
        // journal_mode returns the mode in force ("memory" for :memory:).
        // Switching the mode does not wait on the busy handler: while
        // another connection creates the file it fails with "locked", so
        // it is retried for as long as the busy timeout.
        let started = std::time::Instant::now();
        let _mode: String = loop {
            match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if matches!(
                        e.code,
                        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                    ) && started.elapsed() < std::time::Duration::from_secs(10) =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => break other.ctx(|| format!("{name}: enabling WAL"))?,
            }
        };
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .ctx(|| format!("{name}: setting pragmas"))?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .ctx(|| format!("{name}: reading user_version"))?;
        if version == 0 {
            create_schema(&conn, name)?;
        } else if version == 1 || version == 2 {
            if version == 1 {
                migrate_v1(&conn, name)?;
            }
            merge::migrate_v2(&conn, name)?;
        } else if version != SCHEMA_VERSION {
            return Err(StoreError::Schema(format!(
                "{name} has schema version {version}; this Petrel reads version {SCHEMA_VERSION}"
            )));
        }
        Ok(Store {
            conn,
            pipeline: String::new(),
        })
    }

    /// Sets the version string of the pipeline doing the coding (Petrel
    /// version, dictionaries, models — whatever changes the output). It is
    /// stored with each saved article, and [`Store::is_coded`] is true only
    /// for articles coded by this same version. Default: empty.
    pub fn set_pipeline_version(&mut self, version: impl Into<String>) {
        self.pipeline = version.into();
    }

    /// See [`Store::set_pipeline_version`].
    pub fn pipeline_version(&self) -> &str {
        &self.pipeline
    }

    /// Saves a coded document, stamped with the current UTC time. See
    /// [`Store::save_at`].
    pub fn save(&mut self, doc: &Doc) -> Result<(), StoreError> {
        self.save_at(doc, Utc::now().naive_utc())
    }

    /// Saves several documents in one transaction (much faster than one
    /// [`Store::save`] each): all are saved, or, on the first error, none.
    pub fn save_batch(&mut self, docs: &[Doc]) -> Result<(), StoreError> {
        let now = Utc::now().naive_utc();
        if docs.iter().any(|d| d.id.is_empty()) {
            return Err(StoreError::InvalidDoc {
                doc_id: String::new(),
                message: "empty article id".into(),
            });
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx(|| "batch: starting transaction".into())?;
        for d in docs {
            write_doc(&tx, d, now, &self.pipeline)?;
        }
        tx.commit()
            .ctx(|| format!("batch of {}: commit", docs.len()))
    }

    /// Saves a coded document in one transaction: any previous rows under
    /// `doc.id` (article, sentences, actors, events) are replaced. On error
    /// nothing changes. Spans are validated (inside the text, on character
    /// boundaries) and event sentence indices must exist.
    pub fn save_at(&mut self, doc: &Doc, coded_at: NaiveDateTime) -> Result<(), StoreError> {
        if doc.id.is_empty() {
            return Err(StoreError::InvalidDoc {
                doc_id: String::new(),
                message: "empty article id".into(),
            });
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx(|| format!("article {:?}: starting transaction", doc.id))?;
        write_doc(&tx, doc, coded_at, &self.pipeline)?;
        tx.commit().ctx(|| format!("article {:?}: commit", doc.id))
    }

    /// Whether article `id` is stored with this content hash (see
    /// [`content_hash`]) and was coded by this store's pipeline version: if
    /// so, it need not be coded again.
    pub fn is_coded(&self, id: &str, content_hash: &str) -> Result<bool, StoreError> {
        let stored: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT content_hash, pipeline FROM articles WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .ctx(|| format!("article {id:?}: reading content hash"))?;
        Ok(stored.is_some_and(|(h, p)| h == content_hash && p == self.pipeline))
    }

    /// Deletes an article and all its rows. Returns whether it existed.
    pub fn delete(&mut self, id: &str) -> Result<bool, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx(|| format!("deleting {id:?}: starting transaction"))?;
        merge::remove_bands(&tx, id)?;
        let n = tx
            .execute("DELETE FROM articles WHERE id = ?1", [id])
            .ctx(|| format!("deleting {id:?}"))?;
        tx.commit().ctx(|| format!("deleting {id:?}: commit"))?;
        Ok(n > 0)
    }

    /// Row counts of every table.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let count = |table: &str| -> Result<u64, StoreError> {
            let n: i64 = self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .ctx(|| format!("counting {table}"))?;
            Ok(n as u64)
        };
        Ok(Counts {
            articles: count("articles")?,
            sentences: count("sentences")?,
            events: count("events")?,
            actors: count("actors")?,
        })
    }

    /// The events matching `filter`, in (article id, event index) order.
    pub fn events(&self, filter: &EventFilter) -> Result<Vec<EventRecord>, StoreError> {
        let mut out = Vec::new();
        self.for_each_event(filter, |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams the events matching `filter` to `f` without collecting them
    /// (for exporting large databases). An error from `f` stops the scan.
    pub fn for_each_event(
        &self,
        filter: &EventFilter,
        mut f: impl FnMut(EventRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id \
             LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_idx WHERE 1"
        );
        let args = filter_conditions(filter, "e.article_id = ?{}", "e.date", &mut sql);
        sql.push_str(" ORDER BY e.article_id, e.idx");
        if let Some(n) = filter.limit {
            sql.push_str(&format!(" LIMIT {n}"));
        }
        let mut stmt = self
            .conn
            .prepare(&sql)
            .ctx(|| "preparing the event query".into())?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(args.iter()))
            .ctx(|| "querying events".into())?;
        while let Some(row) = rows.next().ctx(|| "reading events".into())? {
            f(read_event(row)?)?;
        }
        Ok(())
    }
}

/// The columns [`read_event`] reads, in order (aliases `e` events, `a`
/// articles, `s` sentences).
const EVENT_COLUMNS: &str = "e.article_id, a.url, a.source, a.published, e.idx, e.global_event_id, e.cameo, e.root, \
     e.quad_class, e.goldstein, e.plover_type, e.plover_mode, \
     e.source_code, e.source_start, e.source_end, e.source_text, e.source_via, \
     e.target_code, e.target_start, e.target_end, e.target_text, e.target_via, \
     e.reported_by_code, e.reported_by_start, e.reported_by_end, e.reported_by_text, e.reported_by_via, \
     e.verb_start, e.verb_end, e.verb_text, e.negated, e.modality, e.date, e.sentence_idx, \
     coalesce(s.text, ''), e.in_lead, e.rule, e.confidence, a.coded_at, length(a.text), \
     e.action_geo, e.actor1_geo, e.actor2_geo, e.date_precision, e.date_text";

/// Number of columns in [`EVENT_COLUMNS`].
const EVENT_COLUMN_COUNT: usize = 45;

/// Appends to `sql` an ` AND …` condition per field set in `filter` and
/// returns their parameters, numbered from 1 in that order. `article_cond`
/// (with `?{}` for the parameter) and `date_expr` are what the query
/// filters an article id and a date on.
pub(crate) fn filter_conditions(
    filter: &EventFilter,
    article_cond: &str,
    date_expr: &str,
    sql: &mut String,
) -> Vec<rusqlite::types::Value> {
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    // `{}` in a condition is replaced by the parameter's number.
    let mut add = |cond: &str, v: rusqlite::types::Value| {
        args.push(v);
        sql.push_str(" AND ");
        sql.push_str(&cond.replace("{}", &args.len().to_string()));
    };
    if let Some(id) = &filter.article_id {
        add(article_cond, id.clone().into());
    }
    if let Some(d) = filter.since {
        add(&format!("{date_expr} >= ?{{}}"), d.to_string().into());
    }
    if let Some(d) = filter.until {
        add(&format!("{date_expr} <= ?{{}}"), d.to_string().into());
    }
    if let Some(p) = &filter.cameo_prefix {
        add("substr(e.cameo, 1, length(?{})) = ?{}", p.clone().into());
    }
    if let Some(q) = filter.quad_class {
        add("e.quad_class = ?{}", (q as i64).into());
    }
    args
}

/// Runs `body` with the schema version read under `BEGIN IMMEDIATE`
/// (another connection may have changed it meanwhile), then commits, or
/// rolls back when `body` fails. `what` names the step in errors.
pub(crate) fn under_schema_lock(
    conn: &Connection,
    name: &str,
    what: &str,
    body: impl FnOnce(i64) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN IMMEDIATE")
        .ctx(|| format!("{name}: locking for {what}"))?;
    let result = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .ctx(|| format!("{name}: reading user_version"))
        .and_then(body);
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let ended = conn
        .execute_batch(end)
        .ctx(|| format!("{name}: {end} of {what}"));
    result.and(ended)
}

/// Creates the schema in an empty database. Runs under `BEGIN IMMEDIATE`
/// and re-checks the version inside, so two processes opening the same new
/// file do not both create it.
fn create_schema(conn: &Connection, name: &str) -> Result<(), StoreError> {
    under_schema_lock(conn, name, "schema creation", |version| {
        if version == SCHEMA_VERSION {
            return Ok(()); // created meanwhile by another connection
        }
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .ctx(|| format!("{name}: listing tables"))?;
        if version != 0 || tables > 0 {
            return Err(StoreError::Schema(format!(
                "{name} is an SQLite database with {tables} table(s) but no Petrel schema version; refusing to touch it"
            )));
        }
        conn.execute_batch(&format!(
            "{SCHEMA_V1} {} {} PRAGMA user_version = {SCHEMA_VERSION};",
            v2_migration(),
            merge::SCHEMA_V3
        ))
        .ctx(|| format!("{name}: creating schema v{SCHEMA_VERSION}"))
    })
}

/// Adds the version-2 columns to a version-1 database (which
/// [`merge::migrate_v2`] then takes to version 3), under `BEGIN
/// IMMEDIATE` and re-checking the version inside (another connection may
/// have migrated it meanwhile). Existing rows get NULL geo blocks and date
/// text, read back as "no place" and precision `day`.
fn migrate_v1(conn: &Connection, name: &str) -> Result<(), StoreError> {
    under_schema_lock(conn, name, "schema migration", |version| {
        if version != 1 {
            return Ok(());
        }
        conn.execute_batch(&format!("{} PRAGMA user_version = 2;", v2_migration()))
            .ctx(|| format!("{name}: migrating schema v1 to v2"))
    })
}

fn write_doc(
    tx: &Transaction<'_>,
    doc: &Doc,
    coded_at: NaiveDateTime,
    pipeline: &str,
) -> Result<(), StoreError> {
    let id = doc.id.as_str();
    let invalid = |message: String| StoreError::InvalidDoc {
        doc_id: id.to_string(),
        message,
    };
    let cm = CharMap::new(&doc.text);
    let chars = |span: petrel_doc::Span, what: &str| -> Result<(i64, i64, String), StoreError> {
        check_span(&doc.text, span).map_err(|m| invalid(format!("{what}: {m}")))?;
        let (s, e) = cm.chars(span);
        Ok((s as i64, e as i64, doc.span_text(span).to_string()))
    };

    merge::remove_bands(tx, id)?;
    tx.execute("DELETE FROM articles WHERE id = ?1", [id])
        .ctx(|| format!("article {id:?}: deleting old rows"))?;
    tx.execute(
        "INSERT INTO articles (id, url, source, title, published, text, content_hash, pipeline, coded_at, story_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?1)",
        params![
            id,
            doc.url,
            doc.source,
            doc.title,
            doc.published.map(|d| d.to_string()),
            doc.text,
            doc_content_hash(doc),
            pipeline,
            coded_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        ],
    )
    .ctx(|| format!("article {id:?}: inserting"))?;
    merge::add_article(tx, id, &doc.text, doc.url.as_deref(), doc.source.as_deref())?;

    {
        let mut st = tx
            .prepare_cached("INSERT INTO sentences (article_id, idx, start, \"end\", text) VALUES (?1, ?2, ?3, ?4, ?5)")
            .ctx(|| "preparing sentence insert".into())?;
        for (i, s) in doc.sentences.iter().enumerate() {
            let (a, b, text) = chars(s.span, &format!("sentence {i}"))?;
            st.execute(params![id, i as i64, a, b, text])
                .ctx(|| format!("article {id:?}: sentence {i}"))?;
        }
    }
    {
        let mut st = tx
            .prepare_cached(
                "INSERT INTO actors (article_id, idx, start, \"end\", text, label, code, via) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .ctx(|| "preparing actor insert".into())?;
        for (i, e) in doc.entities.iter().enumerate() {
            let (a, b, text) = chars(e.span, &format!("entity {i}"))?;
            st.execute(params![
                id,
                i as i64,
                a,
                b,
                text,
                e.label.as_str(),
                e.code,
                e.source
            ])
            .ctx(|| format!("article {id:?}: entity {i}"))?;
        }
    }
    {
        let mut st = tx
            .prepare_cached(
                "INSERT INTO events (article_id, idx, global_event_id, cameo, root, quad_class, goldstein, \
                 plover_type, plover_mode, \
                 source_code, source_start, source_end, source_text, source_via, \
                 target_code, target_start, target_end, target_text, target_via, \
                 verb_start, verb_end, verb_text, negated, modality, \
                 reported_by_code, reported_by_start, reported_by_end, reported_by_text, reported_by_via, \
                 date, sentence_idx, in_lead, rule, confidence, \
                 action_geo, actor1_geo, actor2_geo, date_precision, date_text, merge_key) VALUES \
                 (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
                  ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, \
                  ?35, ?36, ?37, ?38, ?39, ?40)",
            )
            .ctx(|| "preparing event insert".into())?;
        let lead = lead_end(doc);
        for (i, ev) in doc.events.iter().enumerate() {
            if ev.sentence >= doc.sentences.len() {
                return Err(invalid(format!(
                    "event {i} refers to sentence {} but the article has {} sentence(s)",
                    ev.sentence,
                    doc.sentences.len()
                )));
            }
            if ev.cameo.is_empty() {
                return Err(invalid(format!("event {i} has an empty CAMEO code")));
            }
            let verb = chars(ev.verb, &format!("event {i} verb"))?;
            let actor =
                |a: &Option<petrel_doc::ActorRef>, slot: &str| -> Result<ActorCols, StoreError> {
                    match a {
                        None => Ok(ActorCols::default()),
                        Some(a) => {
                            let (s, e, t) = chars(a.span, &format!("event {i} {slot}"))?;
                            Ok(ActorCols {
                                code: Some(a.code.clone()),
                                start: Some(s),
                                end: Some(e),
                                text: Some(t),
                                via: Some(a.via.clone()),
                            })
                        }
                    }
                };
            let (src, tgt, rep) = (
                actor(&ev.source, "source")?,
                actor(&ev.target, "target")?,
                actor(&ev.reported_by, "reported_by")?,
            );
            let rec = EventRecord::from_event(doc, &cm, lead, i, ev);
            st.execute(params![
                id,
                i as i64,
                rec.global_event_id,
                ev.cameo,
                ev.root,
                ev.quad_class as i64,
                ev.goldstein as f64,
                ev.plover_type,
                ev.plover_mode,
                src.code,
                src.start,
                src.end,
                src.text,
                src.via,
                tgt.code,
                tgt.start,
                tgt.end,
                tgt.text,
                tgt.via,
                verb.0,
                verb.1,
                verb.2,
                ev.negated,
                ev.modality.as_str(),
                rep.code,
                rep.start,
                rep.end,
                rep.text,
                rep.via,
                ev.date.map(|d| d.to_string()),
                ev.sentence as i64,
                rec.in_lead,
                ev.rule,
                ev.confidence as f64,
                rec.action_geo.as_ref().map(GeoRecord::encode),
                rec.actor1_geo.as_ref().map(GeoRecord::encode),
                rec.actor2_geo.as_ref().map(GeoRecord::encode),
                rec.date_precision,
                rec.date_text,
                rec.merge_key(),
            ])
            .ctx(|| format!("article {id:?}: event {i}"))?;
        }
    }
    Ok(())
}

#[derive(Default)]
struct ActorCols {
    code: Option<String>,
    start: Option<i64>,
    end: Option<i64>,
    text: Option<String>,
    via: Option<String>,
}

fn parse_date(s: Option<String>, what: &str) -> Result<Option<NaiveDate>, StoreError> {
    match s {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("{what} {s:?}: {e}"))),
    }
}

fn read_event(r: &Row<'_>) -> Result<EventRecord, StoreError> {
    let g = |e: rusqlite::Error| StoreError::Sqlite {
        context: "decoding an event row".into(),
        source: e,
    };
    let actor = |base: usize| -> Result<Option<ActorRecord>, StoreError> {
        let code: Option<String> = r.get(base).map_err(g)?;
        let Some(code) = code else { return Ok(None) };
        Ok(Some(ActorRecord {
            code,
            span: SpanText {
                start: r.get::<_, Option<u32>>(base + 1).map_err(g)?.unwrap_or(0),
                end: r.get::<_, Option<u32>>(base + 2).map_err(g)?.unwrap_or(0),
                text: r
                    .get::<_, Option<String>>(base + 3)
                    .map_err(g)?
                    .unwrap_or_default(),
            },
            via: r
                .get::<_, Option<String>>(base + 4)
                .map_err(g)?
                .unwrap_or_default(),
        }))
    };
    let doc_id: String = r.get(0).map_err(g)?;
    let coded_at: String = r.get(38).map_err(g)?;
    let coded_at = NaiveDateTime::parse_from_str(&coded_at, "%Y-%m-%dT%H:%M:%S").map_err(|e| {
        StoreError::Corrupt(format!("article {doc_id:?}: coded_at {coded_at:?}: {e}"))
    })?;
    let quad: i64 = r.get(8).map_err(g)?;
    let geo = |i: usize| -> Result<Option<GeoRecord>, StoreError> {
        let s: Option<String> = r.get(i).map_err(g)?;
        s.map(|s| GeoRecord::decode(&s))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("article {doc_id:?}: {e}")))
    };
    Ok(EventRecord {
        action_geo: geo(40)?,
        actor1_geo: geo(41)?,
        actor2_geo: geo(42)?,
        date_precision: r
            .get::<_, Option<String>>(43)
            .map_err(g)?
            .unwrap_or_else(|| "day".into()),
        date_text: r.get(44).map_err(g)?,
        url: r.get(1).map_err(g)?,
        article_source: r.get(2).map_err(g)?,
        published: parse_date(r.get(3).map_err(g)?, "published")?,
        doc_chars: r.get(39).map_err(g)?,
        idx: r.get(4).map_err(g)?,
        global_event_id: r.get(5).map_err(g)?,
        cameo: r.get(6).map_err(g)?,
        root: r.get(7).map_err(g)?,
        quad_class: u8::try_from(quad)
            .map_err(|_| StoreError::Corrupt(format!("article {doc_id:?}: quad_class {quad}")))?,
        goldstein: r.get::<_, f64>(9).map_err(g)? as f32,
        plover_type: r.get(10).map_err(g)?,
        plover_mode: r.get(11).map_err(g)?,
        source: actor(12)?,
        target: actor(17)?,
        reported_by: actor(22)?,
        verb: SpanText {
            start: r.get(27).map_err(g)?,
            end: r.get(28).map_err(g)?,
            text: r.get(29).map_err(g)?,
        },
        negated: r.get(30).map_err(g)?,
        modality: r.get(31).map_err(g)?,
        date: parse_date(r.get(32).map_err(g)?, "event date")?,
        sentence_idx: r.get(33).map_err(g)?,
        sentence_text: r.get(34).map_err(g)?,
        in_lead: r.get(35).map_err(g)?,
        rule: r.get(36).map_err(g)?,
        confidence: r.get::<_, f64>(37).map_err(g)? as f32,
        coded_at: Some(coded_at),
        doc_id,
    })
}

#[cfg(test)]
mod tests;
