//! The store's errors: one variant per thing a user can be told to do something about
//! (a foreign or damaged file, a schema too new or too old, a read-only or locked
//! database, an unreachable server), each naming the database: a SQLite file's path or a
//! PostgreSQL URL without its password (held in the same `path` field), and the low-level
//! errors with context.
//!
//! Backend errors are classified here ([`classify`], [`classify_pg`]) so that every call
//! site reports a busy, read-only or damaged database the same way, whatever statement
//! hit it, on either backend.

use std::path::PathBuf;

/// An error of the event store. Every message names the database: a SQLite file, or a
/// PostgreSQL URL without its password.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{} is not a SQLite database, or it is damaged", path.display())]
    NotADatabase { path: PathBuf },

    #[error(
        "{} is a {} database but not an annals database (it has tables but no schema_version)",
        path.display(),
        backend_name(path)
    )]
    Foreign { path: PathBuf },

    #[error("{} has schema version {found}; this annals knows up to {known}: upgrade annals", path.display())]
    TooNew { path: PathBuf, found: i64, known: i64 },

    #[error(
        "{} has schema version {found}, older than this annals ({known}); open it for writing once (annals ingest) to migrate it",
        path.display()
    )]
    NeedsMigration { path: PathBuf, found: i64, known: i64 },

    #[error("{} does not exist{}", path.display(), if is_url(path) { " (create the database first: createdb)" } else { "" })]
    NotFound { path: PathBuf },

    #[error(
        "{} is read-only ({}): cannot write to it",
        path.display(),
        if is_url(path) {
            "opened read-only, or the server does not take writes"
        } else {
            "opened read-only, or the file or its folder is not writable"
        }
    )]
    ReadOnly { path: PathBuf },

    #[error("{} is locked by another process (waited {waited_ms} ms); try again when it has finished", path.display())]
    Locked { path: PathBuf, waited_ms: u64 },

    #[error("cannot open {}: {reason}", path.display())]
    Open {
        path: PathBuf,
        /// What is wrong, in words ("it is a folder", "its folder does not exist").
        reason: String,
        #[source]
        source: Box<rusqlite::Error>,
    },

    /// A migration failed; `source` is the backend's error (rusqlite or postgres).
    #[error("{}: migration to schema version {version} ({name}) failed: {source}", path.display())]
    Migration {
        path: PathBuf,
        version: i64,
        name: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },

    /// An event could not be stored (a repeated id, say); `source` is the backend's error.
    #[error("{}: cannot store event {event} of document {doc}: {source}", path.display())]
    Event {
        path: PathBuf,
        doc: String,
        event: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },

    #[error("event {event} names document {found}, but it was given with document {expected}")]
    WrongDocument { event: String, found: String, expected: String },

    #[error("{}: the stored record of event {event} is not valid JSON: {source}", path.display())]
    BadRecord {
        path: PathBuf,
        event: String,
        #[source]
        source: serde_json::Error,
    },

    #[error("event {event} cannot be written as JSON: {source}")]
    Serialize {
        event: String,
        #[source]
        source: serde_json::Error,
    },

    #[error("{}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: Box<rusqlite::Error>,
    },

    /// The PostgreSQL URL cannot be read (an unknown option, a port that is no number).
    #[error("{url} is not a usable PostgreSQL URL: {reason}")]
    BadUrl { url: String, reason: String },

    /// No connection to the server: it is down, unreachable, or refused us.
    #[error("cannot connect to PostgreSQL at {addr} ({url}): {reason}")]
    Connect {
        /// The URL without its password.
        url: String,
        /// `host:port` (every one, when the URL names several).
        addr: String,
        /// What went wrong, in words.
        reason: String,
        #[source]
        source: Box<postgres::Error>,
    },

    /// The database is reachable but cannot hold an annals store as it is set up.
    #[error("{url}: {reason}")]
    Unsupported { url: String, reason: String },

    #[error("{url}: {}", pg_message(source))]
    Postgres {
        /// The URL without its password.
        url: String,
        #[source]
        source: Box<postgres::Error>,
    },
}

/// Whether an error's database name is a PostgreSQL URL rather than a file.
fn is_url(path: &std::path::Path) -> bool {
    path.to_str().is_some_and(crate::is_postgres_url)
}

fn backend_name(path: &std::path::Path) -> &'static str {
    if is_url(path) {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}

/// A PostgreSQL error as the `source` of [`StoreError::Migration`] or
/// [`StoreError::Event`]: shown in one line (the server's message, detail and hint), the
/// client's error kept inside.
#[derive(Debug)]
pub(crate) struct PgFailure(pub(crate) postgres::Error);

impl std::fmt::Display for PgFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&pg_message(&self.0))
    }
}

impl std::error::Error for PgFailure {}

/// A PostgreSQL error in words: the server's message (with its detail and hint) when the
/// server sent one, else the client's.
pub(crate) fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut m = db.message().to_string();
            if let Some(detail) = db.detail() {
                m.push_str(&format!(" ({detail})"));
            }
            if let Some(hint) = db.hint() {
                m.push_str(&format!("; {hint}"));
            }
            m
        }
        None => e.to_string(),
    }
}

/// The user-facing kinds a backend error can be, before context is added.
pub(crate) enum Kind {
    NotADatabase,
    ReadOnly,
    Locked,
    Other,
}

/// Classifies a SQLite error by its primary result code.
pub(crate) fn classify(e: &rusqlite::Error) -> Kind {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Kind::NotADatabase,
        Some(ErrorCode::ReadOnly) => Kind::ReadOnly,
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Kind::Locked,
        _ => Kind::Other,
    }
}

/// Classifies a PostgreSQL error by its SQLSTATE.
pub(crate) fn classify_pg(e: &postgres::Error) -> Kind {
    use postgres::error::SqlState;
    match e.code() {
        Some(c) if *c == SqlState::READ_ONLY_SQL_TRANSACTION => Kind::ReadOnly,
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => Kind::Locked,
        _ => Kind::Other,
    }
}
