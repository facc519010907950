//! The event store: coded documents and their PLOVER event records in a database that
//! `annals ingest` fills and `annals events` / `annals serve` read.
//!
//! This crate owns the database schema (versioned SQL files under `migrations/`, compiled
//! in, applied on open by [`migrate`]), the SQLite backend ([`SqliteStore`]), the
//! PostgreSQL backend ([`PgStore`]), and the meaning of the event filters ([`EventQuery`]).
//! It is the only crate of annals that speaks SQL. [`Store`] picks the backend from the
//! database name: a file path is SQLite, a `postgres://` URL PostgreSQL (its own migration
//! folder, same tables and versions, same [`EventQuery`] meaning).
//!
//! Reports of one event (the same act in near-duplicate copies of a story, or repeated in
//! one article) share an event key ([`dedup`]); queries answer one event per key with
//! GDELT-style `mentions` and `sources` counts.
//!
//! What is stored: one `documents` row per document (an id, a hash of its text, its
//! metadata), one `events` row per event with the filterable fields in columns and the
//! full JSON record as `annals code` prints it, one `event_actors` row per source or
//! target actor, and a full-text index over each event's sentence and trigger words.

pub mod dedup;
mod error;
pub mod export;
pub mod migrate;
mod postgres;
mod query;
mod sqlite;
pub mod stats;
mod store;

pub use error::StoreError;
pub use migrate::SCHEMA_VERSION;
pub use postgres::PgStore;
pub use query::{fts_phrase, plain_words, Dialect, EventQuery};
pub use sqlite::{SqliteStore, DEFAULT_BUSY_TIMEOUT};
pub use store::{is_postgres_url, Store};

/// A document as it is stored: its metadata and text (hashed too, to tell a changed text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredDocument {
    pub id: String,
    pub text: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
}

/// A coded document ready to store: the document, its event records, and what storing
/// them computes from them (the MinHash signature and hash of the text, each record's
/// JSON). [`PreparedDocument::new`] is pure CPU work, so `annals ingest` runs it on the
/// coding threads, in parallel, and the single writer only writes.
#[derive(Debug, Clone)]
pub struct PreparedDocument {
    pub doc: StoredDocument,
    pub events: Vec<annals_events::EventRecord>,
    pub(crate) signature: Option<dedup::Signature>,
    pub(crate) text_hash: String,
    /// The JSON of each record of `events`, in order.
    pub(crate) records: Vec<String>,
}

impl PreparedDocument {
    /// Prepares a document and its events for storing. Fails only when a record cannot
    /// be serialized (a non-finite confidence, say), naming the event.
    pub fn new(doc: StoredDocument, events: Vec<annals_events::EventRecord>) -> Result<PreparedDocument, StoreError> {
        let records = events
            .iter()
            .map(|ev| {
                serde_json::to_string(ev).map_err(|source| StoreError::Serialize { event: ev.id.clone(), source })
            })
            .collect::<Result<Vec<String>, StoreError>>()?;
        Ok(PreparedDocument {
            signature: dedup::signature(&doc.text),
            text_hash: text_hash(&doc.text),
            doc,
            events,
            records,
        })
    }

    /// Prepares each (document, events) pair of a batch.
    pub fn batch(
        batch: &[(StoredDocument, Vec<annals_events::EventRecord>)],
    ) -> Result<Vec<PreparedDocument>, StoreError> {
        batch.iter().map(|(doc, events)| PreparedDocument::new(doc.clone(), events.clone())).collect()
    }
}

/// A stored document as the dashboard shows it: its text, its story (the first stored
/// document of its near-duplicate group), the other documents of that story, and the
/// JSON records of the event reports coded from it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentView {
    pub doc: StoredDocument,
    pub story: String,
    pub near_duplicates: Vec<String>,
    pub events: Vec<serde_json::Value>,
}

/// One answered event as JSON text (what `query` parses), with the two fields that order
/// results and make a page's cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventJson {
    pub id: String,
    /// The event's date, "" when undated.
    pub date: String,
    pub json: String,
}

/// How many rows the store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub documents: usize,
    /// Groups of near-duplicate documents (a document without copies is its own story).
    pub stories: usize,
    /// Distinct events (reports with the same event key count once).
    pub events: usize,
    /// Stored event reports: every event record of every document.
    pub mentions: usize,
    /// Source and target actors of all events.
    pub actors: usize,
}

/// The stored hash of a document's text: 64-bit FNV-1a of its UTF-8 bytes, in hex, with
/// the name of the scheme in front so that it can change without confusion.
pub fn text_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("fnv1a64:{h:016x}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_hash_is_fnv1a() {
        assert_eq!(super::text_hash(""), "fnv1a64:cbf29ce484222325");
        assert_eq!(super::text_hash("a"), "fnv1a64:af63dc4c8601ec8c");
    }
}
