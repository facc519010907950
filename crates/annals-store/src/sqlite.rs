//! The SQLite backend: opening (creating, migrating or refusing) a database file, storing
//! batches of coded documents in one transaction each, counting and querying events.
//!
//! Connection settings: WAL journal (readers never wait for the writer), `synchronous =
//! NORMAL` (a crash loses at most the last transactions, never consistency), foreign keys
//! on, and a busy timeout after which a locked database is a clear error. Every SQLite
//! error goes through [`SqliteStore::err`], so that a damaged, read-only or locked file is
//! reported the same way wherever it shows.

use std::path::{Path, PathBuf};
use std::time::Duration;

use annals_events::{ActorRecord, EventRecord};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::dedup;
use crate::error::{classify, Kind, StoreError};
use crate::migrate::{self, Found, MigrateError, SCHEMA_VERSION, SQLITE_MIGRATIONS};
use crate::query::{answer_json, sqlite_answer_sql, EventQuery, Param};
use crate::{Counts, DocumentView, EventJson, PreparedDocument, StoredDocument};

/// How long a statement waits for another process's lock before giving up.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An annals database in a SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    busy_timeout: Duration,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("path", &self.path).finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the database at `path` for reading and writing: creates it (and its schema)
    /// if it does not exist, migrates an older schema, refuses a newer one.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut store = Self::connect(path, flags)?;
        // SQLite quietly opens a write-protected file read-only; say so now, not at the
        // first write.
        if store.conn.is_readonly(rusqlite::MAIN_DB).map_err(|e| store.err(e))? {
            return Err(StoreError::ReadOnly { path: store.path });
        }
        // Nothing is written to a file before it is known to be ours and not too new.
        match migrate::current(&store.conn).map_err(|e| store.err(e))? {
            Found::Foreign => return Err(StoreError::Foreign { path: store.path }),
            Found::Version(v) if v > SCHEMA_VERSION => return Err(store.too_new(v)),
            Found::Empty | Found::Version(_) => {}
        }
        // WAL persists in the file; it is the mode of every annals database. (A file
        // system without shared memory keeps the old mode, which still works.)
        // Switching a new file to WAL needs it to itself, and SQLite answers "busy" at once,
        // without waiting, when another process is opening it too: try again until the
        // busy timeout.
        let started = std::time::Instant::now();
        loop {
            match store.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
                Ok(_) => break,
                Err(e) if matches!(classify(&e), Kind::Locked) && started.elapsed() < store.busy_timeout => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => return Err(store.err(e)),
            }
        }
        store.conn.pragma_update(None, "synchronous", "NORMAL").map_err(|e| store.err(e))?;
        // A writer touches pages all over the indexes (event keys and ids are hashes):
        // 64 MB of page cache instead of 2 MB keeps them in memory between batches, and
        // checkpointing every 64 MB of log instead of 4 MB writes each page back less
        // often. (Measured: 4,500 synthetic stories went from 390,000 page reads and
        // 510,000 page writes to 33,000 and 259,000.)
        store.conn.pragma_update(None, "cache_size", -65_536).map_err(|e| store.err(e))?;
        store.conn.pragma_update(None, "wal_autocheckpoint", 16_384).map_err(|e| store.err(e))?;
        if let Found::Version(SCHEMA_VERSION) = migrate::current(&store.conn).map_err(|e| store.err(e))? {
            return Ok(store);
        }
        match migrate::migrate(&mut store.conn, SQLITE_MIGRATIONS) {
            Ok(()) => {}
            Err(MigrateError::Foreign) => return Err(StoreError::Foreign { path: store.path }),
            Err(MigrateError::Step { version, name, source }) => {
                return Err(match classify(&source) {
                    Kind::Other => StoreError::Migration { path: store.path, version, name, source: Box::new(source) },
                    _ => store.err(source),
                })
            }
        }
        // Another process may have migrated past us meanwhile.
        match migrate::current(&store.conn).map_err(|e| store.err(e))? {
            Found::Version(v) if v > SCHEMA_VERSION => Err(store.too_new(v)),
            _ => Ok(store),
        }
    }

    /// Opens an existing database for reading only. It is never created nor migrated: a
    /// missing file, a foreign file or any other schema version is an error.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, StoreError> {
        if !path.exists() {
            return Err(StoreError::NotFound { path: path.to_path_buf() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let store = Self::connect(path, flags)?;
        match migrate::current(&store.conn).map_err(|e| store.err(e))? {
            Found::Empty | Found::Foreign => Err(StoreError::Foreign { path: store.path }),
            Found::Version(v) if v > SCHEMA_VERSION => Err(store.too_new(v)),
            Found::Version(v) if v < SCHEMA_VERSION => {
                Err(StoreError::NeedsMigration { path: store.path, found: v, known: SCHEMA_VERSION })
            }
            Found::Version(_) => Ok(store),
        }
    }

    fn connect(path: &Path, flags: OpenFlags) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open_with_flags(path, flags).map_err(|source| match classify(&source) {
            Kind::Other => StoreError::Open {
                path: path.to_path_buf(),
                reason: open_failure(path, &source),
                source: Box::new(source),
            },
            kind => error_of_kind(kind, path, DEFAULT_BUSY_TIMEOUT, source),
        })?;
        let mut store = SqliteStore { conn, path: path.to_path_buf(), busy_timeout: DEFAULT_BUSY_TIMEOUT };
        store.set_busy_timeout(DEFAULT_BUSY_TIMEOUT)?;
        store.conn.pragma_update(None, "foreign_keys", "ON").map_err(|e| store.err(e))?;
        Ok(store)
    }

    /// How long to wait for another process's lock before failing with
    /// [`StoreError::Locked`] (default [`DEFAULT_BUSY_TIMEOUT`]).
    pub fn set_busy_timeout(&mut self, timeout: Duration) -> Result<(), StoreError> {
        self.conn.busy_timeout(timeout).map_err(|e| self.err(e))?;
        self.busy_timeout = timeout;
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database (always [`SCHEMA_VERSION`] once opened).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        match migrate::current(&self.conn).map_err(|e| self.err(e))? {
            Found::Version(v) => Ok(v),
            Found::Empty | Found::Foreign => Err(StoreError::Foreign { path: self.path.clone() }),
        }
    }

    /// Whether a document with this id is stored.
    pub fn has_document(&self, id: &str) -> Result<bool, StoreError> {
        has_document(&self.conn, id).map_err(|e| self.err(e))
    }

    /// Stores a batch of coded documents in ONE transaction: if anything fails, nothing of
    /// the batch is stored. A document already present is skipped, unless `replace`, which
    /// deletes it and its events and stores it anew (re-coding). Returns the number of
    /// documents written (new or replaced) and of their events.
    ///
    /// Each event must name its document (`doc`); event ids must be unique.
    pub fn ingest_batch(
        &mut self,
        batch: &[(StoredDocument, Vec<EventRecord>)],
        replace: bool,
    ) -> Result<(usize, usize), StoreError> {
        self.ingest_prepared(&PreparedDocument::batch(batch)?, replace)
    }

    /// [`SqliteStore::ingest_batch`] for documents already prepared (on other threads).
    pub fn ingest_prepared(&mut self, batch: &[PreparedDocument], replace: bool) -> Result<(usize, usize), StoreError> {
        let path = self.path.clone();
        let waited = self.busy_timeout;
        let err = |e: rusqlite::Error| map_err(&path, waited, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        // A new row id is one more than the largest at the time, so every row from the
        // first event this batch stores on is this batch's: the text index takes them in
        // one statement at the end.
        let mut first_new_seq: Option<i64> = None;
        // Events whose answer must be recomputed: re-coded, or reported again.
        let mut recompute: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        let mut docs = 0;
        let mut events = 0;
        {
            let mut st = Writer::new(&tx).map_err(err)?;
            for prepared in batch {
                let doc = &prepared.doc;
                let stored = st.has_document(&doc.id).map_err(err)?;
                if stored {
                    if !replace {
                        continue;
                    }
                    // The keys of the document's events: their dyads are rebuilt without it.
                    let keys: Vec<String> = tx
                        .prepare_cached(
                            "SELECT DISTINCT event_key FROM events WHERE doc = ?1 AND event_key IS NOT NULL",
                        )
                        .and_then(|mut s| s.query_map([&doc.id], |r| r.get(0))?.collect())
                        .map_err(err)?;
                    for key in &keys {
                        forget_dyads(&tx, key).map_err(err)?;
                    }
                    // Events first: their delete trigger keeps the text index in step (the cascade from
                    // `documents` would fire it too; explicit is clearer).
                    tx.prepare_cached("DELETE FROM events WHERE doc = ?1")
                        .and_then(|mut s| s.execute([&doc.id]))
                        .map_err(err)?;
                    forget_bands(&tx, &doc.id).map_err(err)?;
                    tx.prepare_cached("DELETE FROM documents WHERE id = ?1")
                        .and_then(|mut s| s.execute([&doc.id]))
                        .map_err(err)?;
                    for key in &keys {
                        rebuild_dyads(&tx, key).map_err(err)?;
                    }
                    recompute.extend(keys);
                }
                let story = st.insert_document(prepared).map_err(err)?;
                // A new document that starts its own story can share event keys only with
                // itself: no stored report can have them (a story is named after its first
                // document, and this id was not stored), so its first reports are tracked
                // here instead of looked up.
                let own_story = story == doc.id && !stored;
                let mut own_reports: std::collections::HashMap<String, FirstReport> = std::collections::HashMap::new();
                // The `documents` of a new event's answer: this document alone.
                let only_this_doc = serde_json::to_string(&[&doc.id]).unwrap_or_else(|_| "[]".into());
                for (ev, json) in prepared.events.iter().zip(&prepared.records) {
                    if ev.doc != doc.id {
                        return Err(StoreError::WrongDocument {
                            event: ev.id.clone(),
                            found: ev.doc.clone(),
                            expected: doc.id.clone(),
                        });
                    }
                    let key = dedup::event_key(&story, ev);
                    // The first report of an event carries its answer; a later one makes the
                    // answer be recomputed at the end of the batch.
                    let known =
                        if own_story { own_reports.get(&key).cloned() } else { st.first_report(&key).map_err(err)? };
                    let answer = match known {
                        Some(_) => {
                            recompute.insert(key.clone());
                            None
                        }
                        None => Some(answer_json(json, 1, 1, &only_this_doc, doc.url.as_deref(), doc.date.as_deref())),
                    };
                    let seq = st
                        .insert_event(ev, json, &key, answer.as_deref())
                        .and_then(|seq| {
                            // A new event is its own first report.
                            let rep = known
                                .clone()
                                .unwrap_or_else(|| (seq, ev.date.clone().unwrap_or_default(), ev.id.clone()));
                            st.add_dyads(ev, &key, &rep)?;
                            if own_story && known.is_none() {
                                own_reports.insert(key.clone(), rep);
                            }
                            Ok(seq)
                        })
                        .map_err(|source| match classify(&source) {
                            Kind::Other => StoreError::Event {
                                path: path.clone(),
                                doc: doc.id.clone(),
                                event: ev.id.clone(),
                                source: Box::new(source),
                            },
                            _ => err(source),
                        })?;
                    first_new_seq.get_or_insert(seq);
                    events += 1;
                }
                docs += 1;
            }
        }
        for key in &recompute {
            recompute_answer(&tx, key).map_err(err)?;
        }
        if let Some(first) = first_new_seq {
            tx.prepare_cached(
                "INSERT INTO events_fts(rowid, text, \"trigger\") SELECT seq, text, \"trigger\" FROM events WHERE seq >= ?1",
            )
            .and_then(|mut s| s.execute([first]))
            .map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok((docs, events))
    }

    /// How many documents, events and event actors are stored.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let count = |table: &str| -> Result<usize, StoreError> {
            let n: i64 = self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            Ok(usize::try_from(n).unwrap_or(0))
        };
        Ok(Counts {
            documents: count("documents")?,
            stories: count("(SELECT DISTINCT story FROM documents)")?,
            events: count("(SELECT DISTINCT event_key FROM events)")?,
            mentions: count("events")?,
            actors: count("event_actors")?,
        })
    }

    /// The events that match `q`, by date, then id: each is the JSON record of its first
    /// report with `mentions`, `sources`, `documents`, `url` and `doc_date` added.
    pub fn query(&self, q: &EventQuery) -> Result<Vec<serde_json::Value>, StoreError> {
        self.query_json(q)?
            .into_iter()
            .map(|EventJson { id, json, .. }| {
                serde_json::from_str(&json).map_err(|source| StoreError::BadRecord {
                    path: self.path.clone(),
                    event: id,
                    source,
                })
            })
            .collect()
    }

    /// The events that match `q` as [`SqliteStore::query`] gives them, as JSON text: the
    /// stored answers, not parsed (the server sends them as they are).
    pub fn query_json(&self, q: &EventQuery) -> Result<Vec<EventJson>, StoreError> {
        let (sql, params) = sqlite_answer_sql(q);
        self.answers(&sql, &params)
    }

    /// The event one of whose reports has this id, as [`SqliteStore::query`] gives it.
    pub fn event(&self, id: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let sql = "SELECT r.answer, r.id, coalesce(r.date, '') FROM events r
                   WHERE r.answer IS NOT NULL AND r.event_key = (SELECT event_key FROM events WHERE id = ?1)";
        let found = self.answers(sql, &[Param::Text(id.to_string())])?;
        found
            .into_iter()
            .next()
            .map(|EventJson { id, json, .. }| {
                serde_json::from_str(&json).map_err(|source| StoreError::BadRecord {
                    path: self.path.clone(),
                    event: id,
                    source,
                })
            })
            .transpose()
    }

    /// A stored document with its text and the records of its own reports (by sentence,
    /// then id), or `None`.
    pub fn document(&self, id: &str) -> Result<Option<DocumentView>, StoreError> {
        let row = self
            .conn
            .prepare_cached("SELECT id, coalesce(text, ''), date, title, url, source, coalesce(story, id) FROM documents WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([id], |r| {
                    Ok((
                        StoredDocument {
                            id: r.get(0)?,
                            text: r.get(1)?,
                            date: r.get(2)?,
                            title: r.get(3)?,
                            url: r.get(4)?,
                            source: r.get(5)?,
                        },
                        r.get::<_, String>(6)?,
                    ))
                })
                .optional()
            })
            .map_err(|e| self.err(e))?;
        let Some((doc, story)) = row else { return Ok(None) };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT record, id FROM events WHERE doc = ?1 ORDER BY sentence, id")
            .map_err(|e| self.err(e))?;
        let rows =
            stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(|e| self.err(e))?;
        let mut events = Vec::new();
        for row in rows {
            let (record, event) = row.map_err(|e| self.err(e))?;
            events.push(serde_json::from_str(&record).map_err(|source| StoreError::BadRecord {
                path: self.path.clone(),
                event,
                source,
            })?);
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM documents WHERE story = ?1 AND id <> ?2 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let copies = stmt
            .query_map([&story, &doc.id], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
            .map_err(|e| self.err(e))?;
        Ok(Some(DocumentView { doc, story, near_duplicates: copies, events }))
    }

    fn answers(&self, sql: &str, params: &[Param]) -> Result<Vec<EventJson>, StoreError> {
        let values: Vec<rusqlite::types::Value> = params
            .iter()
            .map(|p| match p {
                Param::Text(t) => rusqlite::types::Value::Text(t.clone()),
                Param::Int(i) => rusqlite::types::Value::Integer(*i),
            })
            .collect();
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values.iter()), |r| {
                Ok(EventJson { json: r.get(0)?, id: r.get(1)?, date: r.get(2)? })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(e))
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        map_err(&self.path, self.busy_timeout, e)
    }

    fn too_new(&self, found: i64) -> StoreError {
        StoreError::TooNew { path: self.path.clone(), found, known: SCHEMA_VERSION }
    }
}

/// The store error for a SQLite error on the database at `path`.
fn map_err(path: &Path, waited: Duration, e: rusqlite::Error) -> StoreError {
    let kind = classify(&e);
    error_of_kind(kind, path, waited, e)
}

fn error_of_kind(kind: Kind, path: &Path, waited: Duration, source: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    match kind {
        Kind::NotADatabase => StoreError::NotADatabase { path },
        Kind::ReadOnly => StoreError::ReadOnly { path },
        Kind::Locked => StoreError::Locked { path, waited_ms: u64::try_from(waited.as_millis()).unwrap_or(u64::MAX) },
        Kind::Other => StoreError::Sqlite { path, source: Box::new(source) },
    }
}

/// Why a file could not be opened, in words: SQLite's own message repeats the path.
fn open_failure(path: &Path, e: &rusqlite::Error) -> String {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if path.is_dir() {
        "it is a folder".to_string()
    } else if folder.is_some_and(|f| !f.is_dir()) {
        "its folder does not exist".to_string()
    } else if let rusqlite::Error::SqliteFailure(code, _) = e {
        code.to_string().to_lowercase()
    } else {
        e.to_string()
    }
}

/// Recomputes the answer of one event from its stored reports: the first report gets
/// it, the others none; an event without reports left has none.
fn recompute_answer(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE events SET answer = NULL WHERE event_key = ?1 AND answer IS NOT NULL")?
        .execute([key])?;
    // Every report of the event, in storage order, with its document's outlet, URL and
    // date; counted here (one plain index range: SQLite re-planned the statement that
    // counted with subqueries on every run).
    let mut reports = conn.prepare_cached(
        "SELECT e.seq, e.record, e.doc, d.source, d.url, d.date FROM events e JOIN documents d ON d.id = e.doc
         WHERE e.event_key = ?1 ORDER BY e.seq",
    )?;
    let mut rows = reports.query([key])?;
    let mut first: Option<(i64, String, Option<String>, Option<String>)> = None;
    let mut mentions = 0i64;
    let mut outlets: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut docs: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    while let Some(r) = rows.next()? {
        let doc: String = r.get(2)?;
        mentions += 1;
        outlets.insert(r.get::<_, Option<String>>(3)?.unwrap_or_else(|| doc.clone()));
        if first.is_none() {
            first = Some((r.get(0)?, r.get(1)?, r.get(4)?, r.get(5)?));
        }
        docs.insert(doc);
    }
    let Some((seq, record, url, doc_date)) = first else { return Ok(()) };
    let docs = serde_json::to_string(&docs).unwrap_or_else(|_| "[]".into());
    let answer = answer_json(&record, mentions, int(outlets.len()), &docs, url.as_deref(), doc_date.as_deref());
    drop(rows);
    conn.prepare_cached("UPDATE events SET answer = ?1 WHERE seq = ?2")?.execute(params![answer, seq])?;
    Ok(())
}

/// The values an actor filter can match: country, sector, org, name (without repeats,
/// ignoring ASCII case).
fn actor_values(actors: &[ActorRecord]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for a in actors {
        for v in [&a.country, &a.sector, &a.org, &a.name].into_iter().flatten() {
            if !out.iter().any(|x| x.eq_ignore_ascii_case(v)) {
                out.push(v);
            }
        }
    }
    out
}

/// The (seq, date or "", id) of an event's first report.
type FirstReport = (i64, String, String);

const FIRST_REPORT: &str = "SELECT seq, coalesce(date, ''), id FROM events WHERE event_key = ?1 ORDER BY seq LIMIT 1";
const HAS_DOCUMENT: &str = "SELECT 1 FROM documents WHERE id = ?1";
const INSERT_ROLE: &str = "INSERT OR IGNORE INTO event_roles (role, value, rep_date, rep_id, rep_seq, event_key)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const INSERT_DYAD: &str = "INSERT OR IGNORE INTO event_dyads (source, target, rep_date, rep_id, rep_seq, event_key)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// The first stored report of the event with this key, if any.
fn first_report(conn: &Connection, key: &str) -> rusqlite::Result<Option<FirstReport>> {
    conn.prepare_cached(FIRST_REPORT)?.query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()
}

/// Writes the roles (each source and target value) and dyads (each source × target value)
/// of one report, pointing at its event's first report.
fn write_dyads(
    role: &mut rusqlite::Statement<'_>,
    dyad: &mut rusqlite::Statement<'_>,
    sources: &[&str],
    targets: &[&str],
    key: &str,
    (rep_seq, rep_date, rep_id): &FirstReport,
) -> rusqlite::Result<()> {
    for (name, values) in [("source", sources), ("target", targets)] {
        for v in values {
            role.execute(params![name, v, rep_date, rep_id, rep_seq, key])?;
        }
    }
    for s in sources {
        for t in targets {
            dyad.execute(params![s, t, rep_date, rep_id, rep_seq, key])?;
        }
    }
    Ok(())
}

/// Deletes a stored document's MinHash bands (by primary key: they have no index by
/// document), before the document itself is deleted.
fn forget_bands(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    let stored: Option<Option<Vec<u8>>> =
        conn.prepare_cached("SELECT minhash FROM documents WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    let Some(sig) = stored.flatten().as_deref().and_then(dedup::from_bytes) else { return Ok(()) };
    let mut delete = conn.prepare_cached("DELETE FROM document_bands WHERE band = ?1 AND value = ?2 AND doc = ?3")?;
    for (band, value) in dedup::bands(&sig) {
        delete.execute(params![band, value, id])?;
    }
    Ok(())
}

/// The source and target values of each stored report of one event, in storage order.
fn report_values(conn: &Connection, key: &str) -> rusqlite::Result<Vec<(Vec<String>, Vec<String>)>> {
    let records: Vec<String> = conn
        .prepare_cached("SELECT record FROM events WHERE event_key = ?1 ORDER BY seq")?
        .query_map([key], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(records.len());
    for record in records {
        // Records were written by this store; one that does not parse has no dyads.
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&record) else { continue };
        let values = |role: &str| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for a in value.get(role).and_then(|v| v.as_array()).map(Vec::as_slice).unwrap_or(&[]) {
                for field in ["country", "sector", "org", "name"] {
                    if let Some(v) = a.get(field).and_then(|v| v.as_str()) {
                        if !out.iter().any(|x| x.eq_ignore_ascii_case(v)) {
                            out.push(v.to_string());
                        }
                    }
                }
            }
            out
        };
        out.push((values("source"), values("target")));
    }
    Ok(out)
}

/// Deletes the dyads and roles of one event before some of its reports are removed.
/// Its rows all point at its current first report, and their keys are the values of its
/// reports: they are deleted by primary key (an index on the event key would cost every
/// insert for the sake of re-coding).
fn forget_dyads(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    let Some((_, rep_date, rep_id)) = first_report(conn, key)? else { return Ok(()) };
    let mut role = conn
        .prepare_cached("DELETE FROM event_roles WHERE role = ?1 AND value = ?2 AND rep_date = ?3 AND rep_id = ?4")?;
    let mut dyad = conn.prepare_cached(
        "DELETE FROM event_dyads WHERE source = ?1 AND target = ?2 AND rep_date = ?3 AND rep_id = ?4",
    )?;
    for (sources, targets) in report_values(conn, key)? {
        for (name, values) in [("source", &sources), ("target", &targets)] {
            for v in values {
                role.execute(params![name, v, rep_date, rep_id])?;
            }
        }
        for s in &sources {
            for t in &targets {
                dyad.execute(params![s, t, rep_date, rep_id])?;
            }
        }
    }
    Ok(())
}

/// Writes the dyads of one event from its remaining reports (after a re-code removed
/// some, perhaps its first, and [`forget_dyads`] removed its rows).
fn rebuild_dyads(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    let Some(rep) = first_report(conn, key)? else { return Ok(()) };
    for (sources, targets) in report_values(conn, key)? {
        let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
        let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
        write_dyads(
            &mut *conn.prepare_cached(INSERT_ROLE)?,
            &mut *conn.prepare_cached(INSERT_DYAD)?,
            &sources,
            &targets,
            key,
            &rep,
        )?;
    }
    Ok(())
}

fn has_document(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    let found: Option<i64> = conn.prepare_cached(HAS_DOCUMENT)?.query_row([id], |r| r.get(0)).optional()?;
    Ok(found.is_some())
}

fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The stored documents (row id, MinHash, story) that share a band with a signature:
/// parameters are the (band, value) pairs of [`dedup::bands`], in order.
fn candidates_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let bands: Vec<String> = (0..dedup::BANDS)
            .map(|b| format!("SELECT doc FROM document_bands WHERE band = ?{} AND value = ?{}", 2 * b + 1, 2 * b + 2))
            .collect();
        format!(
            "SELECT d.rowid, d.minhash, coalesce(d.story, d.id) FROM documents d WHERE d.id IN ({})",
            bands.join(" UNION ALL ")
        )
    })
}

/// The statements of one ingest transaction, prepared once for the whole batch (looking
/// each up in the statement cache per row cost more than some of the inserts).
struct Writer<'c> {
    has_document: rusqlite::CachedStatement<'c>,
    candidates: rusqlite::CachedStatement<'c>,
    insert_document: rusqlite::CachedStatement<'c>,
    insert_band: rusqlite::CachedStatement<'c>,
    first_report: rusqlite::CachedStatement<'c>,
    insert_event: rusqlite::CachedStatement<'c>,
    insert_actor: rusqlite::CachedStatement<'c>,
    insert_role: rusqlite::CachedStatement<'c>,
    insert_dyad: rusqlite::CachedStatement<'c>,
    conn: &'c Connection,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection) -> rusqlite::Result<Writer<'c>> {
        Ok(Writer {
            has_document: conn.prepare_cached(HAS_DOCUMENT)?,
            candidates: conn.prepare_cached(candidates_sql())?,
            insert_document: conn.prepare_cached(
                "INSERT INTO documents (id, text_hash, date, title, url, source, n_events, ingested_at, text, minhash, story)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?8, ?9, ?10)",
            )?,
            insert_band: conn.prepare_cached("INSERT OR IGNORE INTO document_bands (band, value, doc) VALUES (?1, ?2, ?3)")?,
            first_report: conn.prepare_cached(FIRST_REPORT)?,
            insert_event: conn.prepare_cached(
                "INSERT INTO events (id, doc, sentence, event, mode, quad, negated, confidence, date, date_precision,
                                     place, place_country, lat, lon, place_precision, text, \"trigger\", why, record, event_key, answer)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
            )?,
            insert_actor: conn.prepare_cached(
                "INSERT INTO event_actors (event_id, role, pos, text, name, country, sector, org)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            insert_role: conn.prepare_cached(INSERT_ROLE)?,
            insert_dyad: conn.prepare_cached(INSERT_DYAD)?,
            conn,
        })
    }

    fn has_document(&mut self, id: &str) -> rusqlite::Result<bool> {
        Ok(self.has_document.query_row([id], |r| r.get::<_, i64>(0)).optional()?.is_some())
    }

    fn first_report(&mut self, key: &str) -> rusqlite::Result<Option<FirstReport>> {
        self.first_report.query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()
    }

    /// Stores a document (with its MinHash bands) and returns its story: the story of a
    /// stored near-duplicate (the closest; the first stored among equals), else its own id.
    fn insert_document(&mut self, prepared: &PreparedDocument) -> rusqlite::Result<String> {
        let doc = &prepared.doc;
        let sig = prepared.signature.as_ref();
        let mut story = doc.id.clone();
        if let Some(sig) = sig {
            // The most similar stored near-duplicate; the first stored among equals. One
            // statement looks up all the bands (a join per band was re-planned by SQLite
            // on a quarter of its runs).
            let mut best: dedup::Closest = None;
            let values: Vec<i64> = dedup::bands(sig).iter().flat_map(|&(band, value)| [band, value]).collect();
            let rows = self.candidates.query_map(rusqlite::params_from_iter(values), |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Option<Vec<u8>>>(1)?, r.get::<_, String>(2)?))
            })?;
            for row in rows {
                let (rowid, other, other_story) = row?;
                dedup::weigh(&mut best, sig, other.as_deref(), rowid, other_story);
            }
            if let Some((_, _, s)) = best {
                story = s;
            }
        }
        self.insert_document.execute(params![
            doc.id,
            prepared.text_hash,
            doc.date,
            doc.title,
            doc.url,
            doc.source,
            int(prepared.events.len()),
            doc.text,
            sig.map(dedup::to_bytes),
            story
        ])?;
        if let Some(sig) = sig {
            for (band, value) in dedup::bands(sig) {
                self.insert_band.execute(params![band, value, doc.id])?;
            }
        }
        Ok(story)
    }

    /// Stores one report and its actors; returns its row id (`seq`).
    fn insert_event(&mut self, ev: &EventRecord, json: &str, key: &str, answer: Option<&str>) -> rusqlite::Result<i64> {
        let loc = ev.location.as_ref();
        self.insert_event.execute(params![
            ev.id,
            ev.doc,
            int(ev.sentence),
            ev.event,
            ev.mode,
            ev.quad,
            ev.negated,
            ev.confidence,
            ev.date,
            ev.date_precision,
            loc.map(|l| l.name.as_str()),
            loc.and_then(|l| l.country.as_deref()),
            loc.and_then(|l| l.lat),
            loc.and_then(|l| l.lon),
            loc.map(|l| l.precision.as_str()),
            ev.text,
            ev.trigger.text,
            ev.why,
            json,
            key,
            answer,
        ])?;
        let seq = self.conn.last_insert_rowid();
        let roles: [(&str, &[ActorRecord]); 2] = [("source", &ev.source), ("target", &ev.target)];
        for (role, actors) in roles {
            for (pos, a) in actors.iter().enumerate() {
                self.insert_actor.execute(params![
                    ev.id,
                    role,
                    int(pos),
                    a.text,
                    a.name,
                    a.country,
                    a.sector,
                    a.org
                ])?;
            }
        }
        Ok(seq)
    }

    /// Adds the dyads and roles of a just-inserted report, pointing at its event's first
    /// report.
    fn add_dyads(&mut self, ev: &EventRecord, key: &str, rep: &FirstReport) -> rusqlite::Result<()> {
        write_dyads(
            &mut self.insert_role,
            &mut self.insert_dyad,
            &actor_values(&ev.source),
            &actor_values(&ev.target),
            key,
            rep,
        )
    }
}
