//! The PostgreSQL backend: the same store as [`crate::SqliteStore`] (same tables and
//! versions, same skip/replace ingest in one transaction, same stories and event keys,
//! same answers to every [`EventQuery`]) in a PostgreSQL database named by a
//! `postgres://` URL.
//!
//! It uses the synchronous `postgres` client without TLS (the client runs a small runtime
//! of its own: an async server calls it from `spawn_blocking`). Differences of form from
//! SQLite are kept here and in `migrations/postgres/`:
//!
//! - writers are serialized by an advisory lock taken at the start of each batch (as
//!   SQLite's immediate transactions do), waited for at most the busy timeout;
//! - a read-only open makes every transaction of the session read-only; an empty database
//!   opened read-only asks to be opened for writing once (SQLite: an empty file is foreign);
//! - text columns cannot hold NUL characters, so each is stored as U+FFFD (the JSON record,
//!   which escapes them, keeps them as they were);
//! - the full-text columns are filled from [`plain_words`], the split the queries use;
//! - filters compare with `lower()`, which folds non-ASCII letters too (SQLite's NOCASE
//!   folds ASCII only): "É" finds "é" here, not there.
//!
//! Every error names the database by its URL without the password.

use std::collections::HashMap;
use std::time::Duration;

use annals_events::EventRecord;
use postgres::types::{ToSql, Type};
use postgres::{Client, Config, NoTls, Statement, Transaction};

use crate::dedup;
use crate::error::{classify_pg, pg_message, Kind, PgFailure, StoreError};
use crate::migrate::{self, Found, MigrateError, POSTGRES_MIGRATIONS, SCHEMA_VERSION};
use crate::query::{event_by_id_sql, event_sql, grouped_value, plain_words, Dialect, EventQuery, Param};
use crate::{Counts, DocumentView, PreparedDocument, StoredDocument, DEFAULT_BUSY_TIMEOUT};

/// How long a connection attempt may take when the URL does not say (`connect_timeout`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The key of the advisory lock that serializes writers (`annals` in ASCII, then 2).
const INGEST_LOCK: i64 = 0x616e_6e61_6c73_0002;

/// Prepared query statements kept per connection; the cache is emptied when it is full.
const STATEMENT_CACHE: usize = 64;

/// The current time as stored in `ingested_at` (as SQLite's `strftime`).
const NOW_UTC: &str = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

/// An annals database in PostgreSQL.
pub struct PgStore {
    client: Client,
    /// The URL without its password: what messages name.
    url: String,
    read_only: bool,
    busy_timeout: Duration,
    statements: HashMap<String, Statement>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("url", &self.url).field("read_only", &self.read_only).finish_non_exhaustive()
    }
}

impl PgStore {
    /// Opens the database at `url` for reading and writing: creates the schema in an
    /// empty database (in its current schema, normally `public`), migrates an older one,
    /// refuses a newer one or another program's tables. The database itself must exist.
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        let mut store = Self::connect(url, false)?;
        // Nothing is written before the database is known to be ours and not too new.
        match migrate::current_pg(&mut store.client).map_err(|e| store.err(e))? {
            Found::Foreign => return Err(store.foreign()),
            Found::Version(v) if v > SCHEMA_VERSION => return Err(store.too_new(v)),
            Found::Version(SCHEMA_VERSION) => return Ok(store),
            Found::Empty | Found::Version(_) => {}
        }
        match migrate::migrate_pg(&mut store.client, POSTGRES_MIGRATIONS) {
            Ok(()) => {}
            Err(MigrateError::Foreign) => return Err(store.foreign()),
            Err(MigrateError::Step { version, name, source }) => {
                return Err(match classify_pg(&source) {
                    Kind::Other if !source.is_closed() => StoreError::Migration {
                        path: store.url.clone().into(),
                        version,
                        name,
                        source: Box::new(PgFailure(source)),
                    },
                    _ => store.err(source),
                })
            }
        }
        // Another process may have migrated past us meanwhile.
        match migrate::current_pg(&mut store.client).map_err(|e| store.err(e))? {
            Found::Version(v) if v > SCHEMA_VERSION => Err(store.too_new(v)),
            _ => Ok(store),
        }
    }

    /// Opens an existing annals database for reading only: every transaction of the
    /// session is read-only, and the schema is never created nor migrated (an empty or
    /// older database asks to be opened for writing once; a foreign or newer one is an
    /// error).
    pub fn open_read_only(url: &str) -> Result<PgStore, StoreError> {
        let mut store = Self::connect(url, true)?;
        store.client.batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY").map_err(|e| store.err(e))?;
        match migrate::current_pg(&mut store.client).map_err(|e| store.err(e))? {
            Found::Foreign => Err(store.foreign()),
            Found::Empty => Err(StoreError::NeedsMigration { path: store.url.into(), found: 0, known: SCHEMA_VERSION }),
            Found::Version(v) if v > SCHEMA_VERSION => Err(store.too_new(v)),
            Found::Version(v) if v < SCHEMA_VERSION => {
                Err(StoreError::NeedsMigration { path: store.url.into(), found: v, known: SCHEMA_VERSION })
            }
            Found::Version(_) => Ok(store),
        }
    }

    fn connect(url: &str, read_only: bool) -> Result<PgStore, StoreError> {
        let label = redact_url(url);
        let mut config: Config = url
            .parse()
            .map_err(|e: postgres::Error| StoreError::BadUrl { url: label.clone(), reason: e.to_string() })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("annals");
        }
        let mut client = config.connect(NoTls).map_err(|e| connect_error(&config, &label, e))?;
        let encoding: String = client
            .query_one("SELECT current_setting('server_encoding')", &[])
            .and_then(|r| r.try_get(0))
            .map_err(|e| StoreError::Postgres { url: label.clone(), source: Box::new(e) })?;
        if encoding != "UTF8" {
            return Err(StoreError::Unsupported {
                url: label,
                reason: format!(
                    "the database's encoding is {encoding}; annals needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8')"
                ),
            });
        }
        Ok(PgStore { client, url: label, read_only, busy_timeout: DEFAULT_BUSY_TIMEOUT, statements: HashMap::new() })
    }

    /// How long a batch waits for another writer (or any lock) before failing with
    /// [`StoreError::Locked`] (default [`DEFAULT_BUSY_TIMEOUT`], as SQLite's).
    pub fn set_busy_timeout(&mut self, timeout: Duration) {
        self.busy_timeout = timeout;
    }

    /// The database's URL without its password.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The schema version of the open database (always [`SCHEMA_VERSION`] once opened).
    pub fn schema_version(&mut self) -> Result<i64, StoreError> {
        match migrate::current_pg(&mut self.client).map_err(|e| self.err(e))? {
            Found::Version(v) => Ok(v),
            Found::Empty | Found::Foreign => Err(self.foreign()),
        }
    }

    /// Whether a document with this id is stored.
    pub fn has_document(&mut self, id: &str) -> Result<bool, StoreError> {
        let id = PgValue::Text(pg_text(id));
        let stmt = self.statement("SELECT 1 FROM documents WHERE id = $1", std::slice::from_ref(&id))?;
        let row = self.client.query_opt(&stmt, &[id.as_sql()]).map_err(|e| self.err(e))?;
        Ok(row.is_some())
    }

    /// Stores a batch of coded documents in ONE transaction, as
    /// [`crate::SqliteStore::ingest_batch`]: if anything fails, nothing of the batch is
    /// stored; a stored document is skipped unless `replace`, which stores it anew.
    /// Returns the number of documents written and of their events.
    pub fn ingest_batch(
        &mut self,
        batch: &[(StoredDocument, Vec<EventRecord>)],
        replace: bool,
    ) -> Result<(usize, usize), StoreError> {
        self.ingest_prepared(&PreparedDocument::batch(batch)?, replace)
    }

    /// [`PgStore::ingest_batch`] for documents already prepared (on other threads).
    pub fn ingest_prepared(&mut self, batch: &[PreparedDocument], replace: bool) -> Result<(usize, usize), StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly { path: self.url.clone().into() });
        }
        let url = self.url.clone();
        let waited = self.busy_timeout;
        let err = |e: postgres::Error| map_err(&url, waited, e);
        let mut tx = self.client.transaction().map_err(err)?;
        // One writer at a time, as in SQLite: a document being stored by another process
        // is then seen as stored, not written twice.
        let ms = u64::try_from(waited.as_millis()).unwrap_or(u64::MAX).max(1);
        tx.batch_execute(&format!("SET LOCAL lock_timeout = {ms}")).map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&INGEST_LOCK]).map_err(err)?;
        let st = IngestStatements::prepare(&mut tx).map_err(err)?;
        let mut docs = 0;
        let mut events = 0;
        for prepared in batch {
            let doc = &prepared.doc;
            let id = pg_text(&doc.id);
            if tx.query_opt(&st.has_document, &[&id]).map_err(err)?.is_some() {
                if !replace {
                    continue;
                }
                tx.execute(&st.delete_events, &[&id]).map_err(err)?;
                tx.execute(&st.delete_document, &[&id]).map_err(err)?;
            }
            let story = insert_document(&mut tx, &st, prepared).map_err(err)?;
            for (ev, json) in prepared.events.iter().zip(&prepared.records) {
                if ev.doc != doc.id {
                    return Err(StoreError::WrongDocument {
                        event: ev.id.clone(),
                        found: ev.doc.clone(),
                        expected: doc.id.clone(),
                    });
                }
                insert_event(&mut tx, &st, ev, json, &dedup::event_key(&story, ev)).map_err(
                    |source| match classify_pg(&source) {
                        Kind::Other if !source.is_closed() => StoreError::Event {
                            path: url.clone().into(),
                            doc: doc.id.clone(),
                            event: ev.id.clone(),
                            source: Box::new(PgFailure(source)),
                        },
                        _ => err(source),
                    },
                )?;
                events += 1;
            }
            docs += 1;
        }
        tx.commit().map_err(err)?;
        Ok((docs, events))
    }

    /// How many documents, stories, events, reports and event actors are stored.
    pub fn counts(&mut self) -> Result<Counts, StoreError> {
        let row = self
            .client
            .query_one(
                "SELECT (SELECT count(*) FROM documents),
                        (SELECT count(*) FROM (SELECT DISTINCT story FROM documents) s),
                        (SELECT count(*) FROM (SELECT DISTINCT event_key FROM events) k),
                        (SELECT count(*) FROM events),
                        (SELECT count(*) FROM event_actors)",
                &[],
            )
            .map_err(|e| self.err(e))?;
        let n = |i: usize| -> Result<usize, StoreError> {
            let v: i64 = row.try_get(i).map_err(|e| self.err(e))?;
            Ok(usize::try_from(v).unwrap_or(0))
        };
        Ok(Counts { documents: n(0)?, stories: n(1)?, events: n(2)?, mentions: n(3)?, actors: n(4)? })
    }

    /// The events that match `q`, as [`crate::SqliteStore::query`] answers them.
    pub fn query(&mut self, q: &EventQuery) -> Result<Vec<serde_json::Value>, StoreError> {
        let (sql, params) = event_sql(Dialect::Postgres, q);
        self.grouped(&sql, &params)
    }

    /// The event one of whose reports has this id, as [`PgStore::query`] gives it.
    pub fn event(&mut self, id: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let (sql, params) = event_by_id_sql(Dialect::Postgres, id);
        Ok(self.grouped(&sql, &params)?.into_iter().next())
    }

    /// A stored document with its text, its story, the other documents of that story and
    /// the records of its own reports (by sentence, then id), or `None`.
    pub fn document(&mut self, id: &str) -> Result<Option<DocumentView>, StoreError> {
        let id = pg_text(id);
        let row = self
            .client
            .query_opt(
                "SELECT id, coalesce(text, ''), date, title, url, source, coalesce(story, id) FROM documents WHERE id = $1",
                &[&id],
            )
            .map_err(|e| self.err(e))?;
        let Some(row) = row else { return Ok(None) };
        let get = |i: usize| -> Result<Option<String>, StoreError> { row.try_get(i).map_err(|e| self.err(e)) };
        let doc = StoredDocument {
            id: get(0)?.unwrap_or_default(),
            text: get(1)?.unwrap_or_default(),
            date: get(2)?,
            title: get(3)?,
            url: get(4)?,
            source: get(5)?,
        };
        let story = get(6)?.unwrap_or_default();
        let rows = self
            .client
            .query("SELECT record, id FROM events WHERE doc = $1 ORDER BY sentence, id COLLATE \"C\"", &[&id])
            .map_err(|e| self.err(e))?;
        let mut events = Vec::new();
        for row in rows {
            let record: String = row.try_get(0).map_err(|e| self.err(e))?;
            let event: String = row.try_get(1).map_err(|e| self.err(e))?;
            events.push(serde_json::from_str(&record).map_err(|source| StoreError::BadRecord {
                path: self.url.clone().into(),
                event,
                source,
            })?);
        }
        let rows = self
            .client
            .query(
                "SELECT id FROM documents WHERE story = $1 AND id <> $2 ORDER BY id COLLATE \"C\"",
                &[&story, &doc.id],
            )
            .map_err(|e| self.err(e))?;
        let mut copies = Vec::with_capacity(rows.len());
        for row in rows {
            copies.push(row.try_get::<_, String>(0).map_err(|e| self.err(e))?);
        }
        Ok(Some(DocumentView { doc, story, near_duplicates: copies, events }))
    }

    fn grouped(&mut self, sql: &str, params: &[Param]) -> Result<Vec<serde_json::Value>, StoreError> {
        let values: Vec<PgValue> = params
            .iter()
            .map(|p| match p {
                Param::Text(t) => PgValue::Text(pg_text(t)),
                Param::Int(i) => PgValue::Int(*i),
            })
            .collect();
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(PgValue::as_sql).collect();
        let stmt = self.statement(sql, &values)?;
        let rows = self.client.query(&stmt, &refs).map_err(|e| self.err(e))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let cols = (|| -> Result<_, postgres::Error> {
                Ok((
                    row.try_get::<_, String>(0)?,
                    row.try_get::<_, String>(1)?,
                    row.try_get::<_, i64>(2)?,
                    row.try_get::<_, i64>(3)?,
                    row.try_get::<_, String>(4)?,
                    row.try_get::<_, Option<String>>(5)?,
                    row.try_get::<_, Option<String>>(6)?,
                ))
            })();
            let (record, id, mentions, sources, documents, url, doc_date) = cols.map_err(|e| self.err(e))?;
            let value = grouped_value(&record, mentions, sources, &documents, url, doc_date)
                .map_err(|source| StoreError::BadRecord { path: self.url.clone().into(), event: id, source })?;
            out.push(value);
        }
        Ok(out)
    }

    /// A prepared statement for `sql`, with the parameter types of `values` (so that the
    /// server never has to guess them), from the cache when it was prepared before.
    fn statement(&mut self, sql: &str, values: &[PgValue]) -> Result<Statement, StoreError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let types: Vec<Type> = values.iter().map(PgValue::sql_type).collect();
        let stmt = self.client.prepare_typed(sql, &types).map_err(|e| map_err(&self.url, self.busy_timeout, e))?;
        if self.statements.len() >= STATEMENT_CACHE {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    fn err(&self, e: postgres::Error) -> StoreError {
        map_err(&self.url, self.busy_timeout, e)
    }

    fn too_new(&self, found: i64) -> StoreError {
        StoreError::TooNew { path: self.url.clone().into(), found, known: SCHEMA_VERSION }
    }

    fn foreign(&self) -> StoreError {
        StoreError::Foreign { path: self.url.clone().into() }
    }
}

/// A statement parameter, owned.
enum PgValue {
    Text(String),
    Int(i64),
}

impl PgValue {
    fn as_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            PgValue::Text(t) => t,
            PgValue::Int(i) => i,
        }
    }

    fn sql_type(&self) -> Type {
        match self {
            PgValue::Text(_) => Type::TEXT,
            PgValue::Int(_) => Type::INT8,
        }
    }
}

/// The store error for a PostgreSQL error on the database at `url` (without password).
fn map_err(url: &str, waited: Duration, e: postgres::Error) -> StoreError {
    match classify_pg(&e) {
        Kind::ReadOnly => StoreError::ReadOnly { path: url.into() },
        Kind::Locked => {
            StoreError::Locked { path: url.into(), waited_ms: u64::try_from(waited.as_millis()).unwrap_or(u64::MAX) }
        }
        Kind::NotADatabase | Kind::Other => StoreError::Postgres { url: url.to_string(), source: Box::new(e) },
    }
}

/// The error for a failed connection: a missing database is [`StoreError::NotFound`];
/// anything else names the server's address and says what went wrong.
fn connect_error(config: &Config, url: &str, e: postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    if e.code() == Some(&SqlState::INVALID_CATALOG_NAME) {
        return StoreError::NotFound { path: url.into() };
    }
    let reason = if e.as_db_error().is_some() {
        pg_message(&e)
    } else {
        match io_error(&e) {
            Some(io) => match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    "connection refused: is the server running and accepting TCP connections there?".to_string()
                }
                std::io::ErrorKind::TimedOut => "no answer: the connection timed out".to_string(),
                std::io::ErrorKind::NotFound => "no server socket there".to_string(),
                _ => io.to_string(),
            },
            None => e.to_string(),
        }
    };
    StoreError::Connect { url: url.to_string(), addr: server_address(config), reason, source: Box::new(e) }
}

/// The first I/O error in an error's chain of causes.
fn io_error(e: &postgres::Error) -> Option<&std::io::Error> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        cause = c.source();
    }
    None
}

/// `host:port` of every server the URL names (the client tries them in turn).
fn server_address(config: &Config) -> String {
    let ports = config.get_ports();
    let port = |i: usize| ports.get(i).or_else(|| ports.first()).copied().unwrap_or(5432);
    let hosts = config.get_hosts();
    if hosts.is_empty() {
        return config.get_hostaddrs().first().map_or_else(|| "(no host)".to_string(), |a| format!("{a}:{}", port(0)));
    }
    hosts
        .iter()
        .enumerate()
        .map(|(i, h)| match h {
            postgres::config::Host::Tcp(name) if name.contains(':') => format!("[{name}]:{}", port(i)),
            postgres::config::Host::Tcp(name) => format!("{name}:{}", port(i)),
            postgres::config::Host::Unix(dir) => format!("{}/.s.PGSQL.{}", dir.display(), port(i)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A PostgreSQL URL without its password (in the user part or a `password=` option), to
/// name the database in messages.
pub(crate) fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (main, query) = match rest.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (rest, None),
    };
    // user:password@host...: everything from the first ':' to the last '@' goes, so that
    // no part of a password with '@' or '/' in it is left.
    let main = match main.rfind('@') {
        Some(at) => {
            let (userinfo, host) = (&main[..at], &main[at..]);
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{user}{host}"),
                None => main.to_string(),
            }
        }
        None => main.to_string(),
    };
    let query = query.map(|q| {
        q.split('&')
            .filter(|kv| !kv.split('=').next().is_some_and(|k| k.eq_ignore_ascii_case("password")))
            .collect::<Vec<_>>()
            .join("&")
    });
    match query {
        Some(q) if !q.is_empty() => format!("{scheme}://{main}?{q}"),
        _ => format!("{scheme}://{main}"),
    }
}

/// Text as PostgreSQL can hold it: `text` refuses NUL characters, so each becomes U+FFFD
/// (the replacement character: character offsets into the text stay right).
fn pg_text(s: &str) -> String {
    s.replace('\0', "\u{FFFD}")
}

fn opt(s: Option<&str>) -> Option<String> {
    s.map(pg_text)
}

fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The statements of one ingest transaction, prepared once per batch.
struct IngestStatements {
    has_document: Statement,
    delete_events: Statement,
    delete_document: Statement,
    find_bands: Statement,
    insert_document: Statement,
    insert_band: Statement,
    insert_event: Statement,
    insert_actor: Statement,
}

impl IngestStatements {
    fn prepare(tx: &mut Transaction<'_>) -> Result<IngestStatements, postgres::Error> {
        Ok(IngestStatements {
            has_document: tx.prepare("SELECT 1 FROM documents WHERE id = $1")?,
            // Events first, as in SQLite (the cascade from `documents` would do it too).
            delete_events: tx.prepare("DELETE FROM events WHERE doc = $1")?,
            delete_document: tx.prepare("DELETE FROM documents WHERE id = $1")?,
            // One round trip per document for all its bands (arrays of bands and values).
            find_bands: tx.prepare(
                "SELECT d.seq, d.minhash, coalesce(d.story, d.id) FROM documents d
                 WHERE d.id IN (SELECT b.doc FROM document_bands b
                                JOIN UNNEST($1::bigint[], $2::bigint[]) AS q(band, value)
                                  ON b.band = q.band AND b.value = q.value)",
            )?,
            insert_document: tx.prepare(&format!(
                "INSERT INTO documents (id, text_hash, date, title, url, source, n_events, ingested_at, text, minhash, story)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, {NOW_UTC}, $8, $9, $10)"
            ))?,
            insert_band: tx.prepare(
                "INSERT INTO document_bands (band, value, doc)
                 SELECT band, value, $3 FROM UNNEST($1::bigint[], $2::bigint[]) AS q(band, value)
                 ON CONFLICT DO NOTHING",
            )?,
            insert_event: tx.prepare(
                "INSERT INTO events (id, doc, sentence, event, mode, quad, negated, confidence, date, date_precision,
                                     place, place_country, lat, lon, place_precision, text, \"trigger\", why, record,
                                     event_key, text_tsv, trigger_tsv)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                         to_tsvector('simple', $21), to_tsvector('simple', $22))",
            )?,
            // All the actors of one event in one round trip (one array per column).
            insert_actor: tx.prepare(
                "INSERT INTO event_actors (event_id, role, pos, text, name, country, sector, org)
                 SELECT $1, * FROM UNNEST($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                                          $7::text[], $8::text[])",
            )?,
        })
    }
}

/// Stores a document (with its MinHash bands) and returns its story: the story of the
/// most similar stored near-duplicate (the first stored among equals), else its own id.
fn insert_document(
    tx: &mut Transaction<'_>,
    st: &IngestStatements,
    prepared: &PreparedDocument,
) -> Result<String, postgres::Error> {
    let doc = &prepared.doc;
    let id = pg_text(&doc.id);
    let sig = prepared.signature;
    let mut story = id.clone();
    if let Some(sig) = &sig {
        let mut best: dedup::Closest = None;
        let (bands, values): (Vec<i64>, Vec<i64>) = dedup::bands(sig).into_iter().unzip();
        for row in tx.query(&st.find_bands, &[&bands, &values])? {
            let seq: i64 = row.try_get(0)?;
            let other: Option<Vec<u8>> = row.try_get(1)?;
            let other_story: String = row.try_get(2)?;
            dedup::weigh(&mut best, sig, other.as_deref(), seq, other_story);
        }
        if let Some((_, _, s)) = best {
            story = s;
        }
    }
    tx.execute(
        &st.insert_document,
        &[
            &id,
            &prepared.text_hash,
            &opt(doc.date.as_deref()),
            &opt(doc.title.as_deref()),
            &opt(doc.url.as_deref()),
            &opt(doc.source.as_deref()),
            &int(prepared.events.len()),
            &pg_text(&doc.text),
            &sig.as_ref().map(dedup::to_bytes),
            &story,
        ],
    )?;
    if let Some(sig) = &sig {
        let (bands, values): (Vec<i64>, Vec<i64>) = dedup::bands(sig).into_iter().unzip();
        tx.execute(&st.insert_band, &[&bands, &values, &id])?;
    }
    Ok(story)
}

fn insert_event(
    tx: &mut Transaction<'_>,
    st: &IngestStatements,
    ev: &EventRecord,
    json: &str,
    key: &str,
) -> Result<(), postgres::Error> {
    let loc = ev.location.as_ref();
    let id = pg_text(&ev.id);
    tx.execute(
        &st.insert_event,
        &[
            &id,
            &pg_text(&ev.doc),
            &int(ev.sentence),
            &pg_text(ev.event),
            &opt(ev.mode.as_deref()),
            &pg_text(ev.quad),
            &ev.negated,
            &ev.confidence,
            &opt(ev.date.as_deref()),
            &opt(ev.date_precision),
            &opt(loc.map(|l| l.name.as_str())),
            &opt(loc.and_then(|l| l.country.as_deref())),
            &loc.and_then(|l| l.lat),
            &loc.and_then(|l| l.lon),
            &opt(loc.map(|l| l.precision.as_str())),
            &pg_text(&ev.text),
            &pg_text(&ev.trigger.text),
            &pg_text(&ev.why),
            &json,
            &key,
            &plain_words(&ev.text),
            &plain_words(&ev.trigger.text),
        ],
    )?;
    let mut columns = ActorColumns::default();
    for (role, actors) in [("source", &ev.source), ("target", &ev.target)] {
        for (pos, a) in actors.iter().enumerate() {
            columns.role.push(role);
            columns.pos.push(int(pos));
            columns.text.push(pg_text(&a.text));
            columns.name.push(opt(a.name.as_deref()));
            columns.country.push(opt(a.country.as_deref()));
            columns.sector.push(opt(a.sector.as_deref()));
            columns.org.push(opt(a.org.as_deref()));
        }
    }
    if !columns.role.is_empty() {
        let c = &columns;
        tx.execute(&st.insert_actor, &[&id, &c.role, &c.pos, &c.text, &c.name, &c.country, &c.sector, &c.org])?;
    }
    Ok(())
}

/// The actors of one event as columns, for one `UNNEST` insert.
#[derive(Default)]
struct ActorColumns {
    role: Vec<&'static str>,
    pos: Vec<i64>,
    text: Vec<String>,
    name: Vec<Option<String>>,
    country: Vec<Option<String>>,
    sector: Vec<Option<String>>,
    org: Vec<Option<String>>,
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact_url("postgres://u:secret@h:5432/db"), "postgres://u@h:5432/db");
        assert_eq!(redact_url("postgres://u:p@ss/w@rd@h/db?sslmode=disable"), "postgres://u@h/db?sslmode=disable");
        assert_eq!(
            redact_url("postgresql://h/db?password=secret&application_name=x"),
            "postgresql://h/db?application_name=x"
        );
        assert_eq!(redact_url("postgres://h/db?password=secret"), "postgres://h/db");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("postgres://h:5432/db"), "postgres://h:5432/db");
    }
}
