//! The store's errors: one variant per thing a user can be told to do something about
//! (a foreign or damaged file, a schema too new or too old, a read-only or locked
//! database), each naming the database file, and the low-level errors with context.
//!
//! Backend errors are classified here ([`classify`]) so that every call site reports a
//! busy, read-only or damaged database the same way, whatever statement hit it.

use std::path::PathBuf;

/// An error of the event store. Every message names the database file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{} is not a SQLite database, or it is damaged", path.display())]
    NotADatabase { path: PathBuf },

    #[error("{} is a SQLite database but not an annals database (it has tables but no schema_version)", path.display())]
    Foreign { path: PathBuf },

    #[error("{} has schema version {found}; this annals knows up to {known}: upgrade annals", path.display())]
    TooNew { path: PathBuf, found: i64, known: i64 },

    #[error(
        "{} has schema version {found}, older than this annals ({known}); open it for writing once (annals ingest) to migrate it",
        path.display()
    )]
    NeedsMigration { path: PathBuf, found: i64, known: i64 },

    #[error("{} does not exist", path.display())]
    NotFound { path: PathBuf },

    #[error("{} is read-only (opened read-only, or the file or its folder is not writable): cannot write to it", path.display())]
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

    #[error("{}: migration to schema version {version} ({name}) failed: {source}", path.display())]
    Migration {
        path: PathBuf,
        version: i64,
        name: &'static str,
        #[source]
        source: Box<rusqlite::Error>,
    },

    #[error("{}: cannot store event {event} of document {doc}: {source}", path.display())]
    Event {
        path: PathBuf,
        doc: String,
        event: String,
        #[source]
        source: Box<rusqlite::Error>,
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
