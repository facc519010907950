//! [`Store`]: one handle over every backend, chosen by the database name a user gives
//! (`annals.db`, a path, or a `postgres://` URL), so that the commands and the server
//! never care which backend they talk to. Both backends answer every method the same way
//! (the store tests run each behaviour on both).

use std::path::Path;

use annals_events::EventRecord;

use crate::{
    Counts, DocumentView, EventJson, EventQuery, PgStore, PreparedDocument, SqliteStore, StoreError, StoredDocument,
};

/// An open annals database.
#[derive(Debug)]
pub enum Store {
    Sqlite(SqliteStore),
    /// Boxed: a PostgreSQL client is several times the size of a SQLite connection.
    Postgres(Box<PgStore>),
}

/// Whether a database name is a PostgreSQL URL rather than a SQLite file.
pub fn is_postgres_url(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}

impl Store {
    /// Opens (creating or migrating) the database named by `target` for writing.
    pub fn open(target: &str) -> Result<Store, StoreError> {
        if is_postgres_url(target) {
            return Ok(Store::Postgres(Box::new(PgStore::open(target)?)));
        }
        Ok(Store::Sqlite(SqliteStore::open(Path::new(target))?))
    }

    /// Opens an existing database for reading only.
    pub fn open_read_only(target: &str) -> Result<Store, StoreError> {
        if is_postgres_url(target) {
            return Ok(Store::Postgres(Box::new(PgStore::open_read_only(target)?)));
        }
        Ok(Store::Sqlite(SqliteStore::open_read_only(Path::new(target))?))
    }

    /// The database's name for messages: its path, or its URL without a password.
    pub fn label(&self) -> String {
        match self {
            Store::Sqlite(s) => s.path().display().to_string(),
            Store::Postgres(s) => s.url().to_string(),
        }
    }

    pub fn schema_version(&mut self) -> Result<i64, StoreError> {
        match self {
            Store::Sqlite(s) => s.schema_version(),
            Store::Postgres(s) => s.schema_version(),
        }
    }

    pub fn has_document(&mut self, id: &str) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.has_document(id),
            Store::Postgres(s) => s.has_document(id),
        }
    }

    /// Stores a batch in one transaction; see [`SqliteStore::ingest_batch`].
    pub fn ingest_batch(
        &mut self,
        batch: &[(StoredDocument, Vec<EventRecord>)],
        replace: bool,
    ) -> Result<(usize, usize), StoreError> {
        match self {
            Store::Sqlite(s) => s.ingest_batch(batch, replace),
            Store::Postgres(s) => s.ingest_batch(batch, replace),
        }
    }

    /// Stores a batch of prepared documents in one transaction; see
    /// [`SqliteStore::ingest_prepared`].
    pub fn ingest_prepared(&mut self, batch: &[PreparedDocument], replace: bool) -> Result<(usize, usize), StoreError> {
        match self {
            Store::Sqlite(s) => s.ingest_prepared(batch, replace),
            Store::Postgres(s) => s.ingest_prepared(batch, replace),
        }
    }

    pub fn counts(&mut self) -> Result<Counts, StoreError> {
        match self {
            Store::Sqlite(s) => s.counts(),
            Store::Postgres(s) => s.counts(),
        }
    }

    /// The events matching `q`; see [`SqliteStore::query`].
    pub fn query(&mut self, q: &EventQuery) -> Result<Vec<serde_json::Value>, StoreError> {
        match self {
            Store::Sqlite(s) => s.query(q),
            Store::Postgres(s) => s.query(q),
        }
    }

    /// The events matching `q` as JSON text, unparsed (see [`SqliteStore::query_json`]).
    pub fn query_json(&mut self, q: &EventQuery) -> Result<Vec<EventJson>, StoreError> {
        match self {
            Store::Sqlite(s) => s.query_json(q),
            Store::Postgres(s) => Ok(s
                .query(q)?
                .into_iter()
                .map(|v| EventJson {
                    id: v.get("id").and_then(|x| x.as_str()).unwrap_or("").to_string(),
                    date: v.get("date").and_then(|x| x.as_str()).unwrap_or("").to_string(),
                    json: v.to_string(),
                })
                .collect()),
        }
    }

    pub fn event(&mut self, id: &str) -> Result<Option<serde_json::Value>, StoreError> {
        match self {
            Store::Sqlite(s) => s.event(id),
            Store::Postgres(s) => s.event(id),
        }
    }

    pub fn document(&mut self, id: &str) -> Result<Option<DocumentView>, StoreError> {
        match self {
            Store::Sqlite(s) => s.document(id),
            Store::Postgres(s) => s.document(id),
        }
    }
}
