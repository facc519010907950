//! Opening databases: schema creation and reopening, schema versions (a newer one is
//! refused), files that are not annals databases (random bytes, a damaged database,
//! another program's database, a folder), read-only opens and locked databases. None of
//! them may panic; each error names the file.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use annals_store::{EventQuery, SqliteStore, StoreError, SCHEMA_VERSION};
use common::{Rng, TempDb};

fn raw(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn creates_the_schema_and_reopens() {
    let db = TempDb::new("create");
    {
        let mut store = SqliteStore::open(&db.path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let c = store.counts().unwrap();
        assert_eq!((c.documents, c.events, c.actors), (0, 0, 0));
        store.ingest_batch(&common::corpus(1, 4, 3), false).unwrap();
    }
    let conn = raw(&db.path);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in ["documents", "event_actors", "events", "events_fts", "schema_version"] {
        assert!(tables.iter().any(|x| x == t), "{t} missing from {tables:?}");
    }
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    drop(conn);

    let store = SqliteStore::open(&db.path).unwrap();
    let c = store.counts().unwrap();
    assert_eq!((c.documents, c.events), (4, 12));
    assert_eq!(store.query(&EventQuery::default()).unwrap().len(), 12);
    let fk: i64 = raw(&db.path).query_row("SELECT count(*) FROM schema_version", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1, "reopening must not migrate again");
    drop(store);
    let store = SqliteStore::open_read_only(&db.path).unwrap();
    assert_eq!(store.counts().unwrap().events, 12);
}

#[test]
fn foreign_keys_cascade_from_documents() {
    let db = TempDb::new("cascade");
    let mut store = SqliteStore::open(&db.path).unwrap();
    store.ingest_batch(&common::corpus(2, 2, 4), false).unwrap();
    drop(store);
    // A connection with foreign keys on, as the store's: deleting a document deletes its
    // events and their actors.
    let conn = raw(&db.path);
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    conn.execute("DELETE FROM documents WHERE id = 'doc-000'", []).unwrap();
    let left: i64 = conn.query_row("SELECT count(*) FROM events WHERE doc = 'doc-000'", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0);
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM event_actors WHERE event_id NOT IN (SELECT id FROM events)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orphans, 0);
    conn.execute("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')", []).unwrap();
}

#[test]
fn a_newer_schema_is_refused() {
    let db = TempDb::new("newer");
    drop(SqliteStore::open(&db.path).unwrap());
    raw(&db.path)
        .execute("INSERT INTO schema_version (version, name, applied_at) VALUES (7, 'future', '2030-01-01')", [])
        .unwrap();
    let want = format!("{} has schema version 7; this annals knows up to 1: upgrade annals", db.path.display());
    let e = SqliteStore::open(&db.path).unwrap_err();
    assert!(matches!(e, StoreError::TooNew { found: 7, known: 1, .. }), "{e:?}");
    assert_eq!(e.to_string(), want);
    let e = SqliteStore::open_read_only(&db.path).unwrap_err();
    assert_eq!(e.to_string(), want);
}

#[test]
fn an_older_read_only_database_asks_for_migration() {
    let db = TempDb::new("older");
    drop(SqliteStore::open(&db.path).unwrap());
    raw(&db.path).execute("DELETE FROM schema_version", []).unwrap();
    let e = SqliteStore::open_read_only(&db.path).unwrap_err();
    assert!(matches!(e, StoreError::NeedsMigration { found: 0, known: 1, .. }), "{e:?}");
    assert!(e.to_string().contains("migrate"), "{e}");
}

#[test]
fn random_bytes_are_a_clear_error() {
    let db = TempDb::new("random");
    let mut rng = Rng(99);
    let bytes: Vec<u8> = (0..8192).map(|_| rng.next() as u8).collect();
    std::fs::write(&db.path, &bytes).unwrap();
    for e in [SqliteStore::open(&db.path).unwrap_err(), SqliteStore::open_read_only(&db.path).unwrap_err()] {
        assert!(matches!(e, StoreError::NotADatabase { .. }), "{e:?}");
        assert_eq!(e.to_string(), format!("{} is not a SQLite database, or it is damaged", db.path.display()));
    }
    assert_eq!(std::fs::read(&db.path).unwrap(), bytes, "the file must be left as it was");
}

#[test]
fn a_text_file_is_a_clear_error() {
    let db = TempDb::new("text");
    std::fs::write(&db.path, "{\"id\": \"a\", \"text\": \"not a database\"}\n".repeat(20)).unwrap();
    let e = SqliteStore::open(&db.path).unwrap_err();
    assert!(matches!(e, StoreError::NotADatabase { .. }), "{e:?}");
}

#[test]
fn a_damaged_database_is_a_clear_error() {
    let db = TempDb::new("damaged");
    {
        let mut store = SqliteStore::open(&db.path).unwrap();
        store.ingest_batch(&common::corpus(5, 40, 5), false).unwrap();
    }
    // Fold the WAL into the file, then garble everything after the first page.
    raw(&db.path).pragma_update(None, "journal_mode", "DELETE").unwrap();
    let mut bytes = std::fs::read(&db.path).unwrap();
    assert!(bytes.len() > 3 * 4096);
    let mut rng = Rng(5);
    for b in bytes.iter_mut().skip(4096) {
        *b = rng.next() as u8;
    }
    std::fs::write(&db.path, &bytes).unwrap();

    let result = SqliteStore::open(&db.path).and_then(|s| {
        s.counts()?;
        s.query(&EventQuery::default())?;
        s.query(&EventQuery { source: Some("ISR".into()), ..EventQuery::default() })
    });
    let e = result.unwrap_err();
    assert!(matches!(e, StoreError::NotADatabase { .. }), "{e:?}");
    assert!(e.to_string().contains(&db.path.display().to_string()), "{e}");
}

#[test]
fn another_programs_database_is_refused() {
    let db = TempDb::new("foreign");
    raw(&db.path).execute("CREATE TABLE accounts (id INTEGER, balance REAL)", []).unwrap();
    let e = SqliteStore::open(&db.path).unwrap_err();
    assert!(matches!(e, StoreError::Foreign { .. }), "{e:?}");
    assert!(e.to_string().contains("not an annals database"), "{e}");
    let tables: i64 = raw(&db.path).query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).unwrap();
    assert_eq!(tables, 1, "nothing may be added to it");
    let mode: String = raw(&db.path).query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "delete", "its journal mode must be left alone");
}

#[test]
fn a_folder_is_a_clear_error() {
    let dir = std::env::temp_dir();
    let want = format!("cannot open {}: it is a folder", dir.display());
    assert_eq!(SqliteStore::open(&dir).unwrap_err().to_string(), want);
    assert_eq!(SqliteStore::open_read_only(&dir).unwrap_err().to_string(), want);
    let nowhere = dir.join("annals-no-such-folder").join("annals.db");
    let e = SqliteStore::open(&nowhere).unwrap_err();
    assert_eq!(e.to_string(), format!("cannot open {}: its folder does not exist", nowhere.display()));
}

#[test]
fn read_only_open_cannot_write() {
    let db = TempDb::new("readonly");
    let corpus = common::corpus(8, 6, 3);
    {
        let mut store = SqliteStore::open(&db.path).unwrap();
        store.ingest_batch(&corpus[..3], false).unwrap();
    }
    let mut store = SqliteStore::open_read_only(&db.path).unwrap();
    let e = store.ingest_batch(&corpus[3..], false).unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
    assert!(e.to_string().contains("read-only"), "{e}");
    let e = store.ingest_batch(&corpus[..1], true).unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
    let c = store.counts().unwrap();
    assert_eq!((c.documents, c.events), (3, 9));
    assert_eq!(store.query(&EventQuery::default()).unwrap().len(), 9);
    assert!(store.has_document("doc-000").unwrap());
    assert!(!store.has_document("doc-004").unwrap());
}

#[test]
fn read_only_open_of_a_missing_file_does_not_create_it() {
    let db = TempDb::new("missing");
    let e = SqliteStore::open_read_only(&db.path).unwrap_err();
    assert!(matches!(e, StoreError::NotFound { .. }), "{e:?}");
    assert_eq!(e.to_string(), format!("{} does not exist", db.path.display()));
    assert!(!db.path.exists());
}

#[test]
fn a_locked_database_is_a_clear_error() {
    let db = TempDb::new("locked");
    let corpus = common::corpus(9, 4, 2);
    drop(SqliteStore::open(&db.path).unwrap());

    // Another process holds the write lock.
    let other = raw(&db.path);
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let mut store = SqliteStore::open(&db.path).unwrap();
    store.set_busy_timeout(Duration::from_millis(100)).unwrap();
    let e = store.ingest_batch(&corpus, false).unwrap_err();
    assert!(matches!(e, StoreError::Locked { waited_ms: 100, .. }), "{e:?}");
    assert!(e.to_string().contains("is locked by another process"), "{e}");
    // Readers are not blocked by a writer (WAL).
    assert_eq!(store.counts().unwrap().documents, 0);

    other.execute_batch("COMMIT").unwrap();
    assert_eq!(store.ingest_batch(&corpus, false).unwrap(), (4, 8));
}
