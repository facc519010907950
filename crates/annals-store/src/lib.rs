//! The event store: coded documents and their PLOVER event records in a database that
//! `annals ingest` fills and `annals events` / `annals serve` read.
//!
//! This crate owns the database schema (versioned SQL files under `migrations/`, compiled
//! in, applied on open by [`migrate`]), the SQLite backend ([`SqliteStore`]), and the
//! meaning of the event filters ([`EventQuery`]). It is the only crate of annals that
//! speaks SQL. A PostgreSQL backend will get its own migration folder with the same
//! tables and versions, and the same [`EventQuery`].
//!
//! What is stored: one `documents` row per document (an id, a hash of its text, its
//! metadata), one `events` row per event with the filterable fields in columns and the
//! full JSON record as `annals code` prints it, one `event_actors` row per source or
//! target actor, and a full-text index over each event's sentence and trigger words.

mod error;
pub mod migrate;
mod query;
mod sqlite;

pub use error::StoreError;
pub use migrate::SCHEMA_VERSION;
pub use query::{fts_phrase, EventQuery};
pub use sqlite::{SqliteStore, DEFAULT_BUSY_TIMEOUT};

/// A document as it is stored: its text is hashed (to tell a changed text), not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredDocument {
    pub id: String,
    pub text: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
}

/// How many rows the store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub documents: usize,
    pub events: usize,
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
