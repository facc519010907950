//! Opening databases, on SQLite and on PostgreSQL: schema creation and reopening, schema
//! versions (a newer one is refused, an older one migrated, or asked to be when opened
//! read-only), another program's database, read-only opens, concurrent first opens. Then
//! what only one backend has: files that are not annals databases (random bytes, a damaged
//! database, a folder) and locked files for SQLite; a missing database, an unreachable
//! server, a password kept out of messages and a lock held by another session for
//! PostgreSQL. None of them may panic; each error names the database.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod common;

use std::time::Duration;

use annals_store::{EventQuery, PgStore, SqliteStore, Store, StoreError, SCHEMA_VERSION};
use common::{lit, lit_opt, Backend, Rng, TempDb, TestDb};

on_both_backends!(
    creates_the_schema_and_reopens,
    foreign_keys_cascade_from_documents,
    a_newer_schema_is_refused,
    an_older_read_only_database_asks_for_migration,
    another_programs_database_is_refused,
    read_only_open_cannot_write,
    a_version_1_database_is_migrated_with_its_events,
    concurrent_first_opens_both_succeed,
);

fn raw(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

/// The names of the tables (SQLite: and virtual tables) in the database.
fn tables(db: &TestDb) -> Vec<String> {
    let sql = match db.backend {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        Backend::Postgres => "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    };
    db.raw().rows(sql).into_iter().filter_map(|r| r.into_iter().next().flatten()).collect()
}

fn creates_the_schema_and_reopens(db: &TestDb) {
    {
        let mut store = db.open();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let c = store.counts().unwrap();
        assert_eq!((c.documents, c.events, c.actors), (0, 0, 0));
        store.ingest_batch(&common::corpus(1, 4, 3), false).unwrap();
        assert_eq!(store.label(), db.label());
    }
    let found = tables(db);
    for t in ["document_bands", "documents", "event_actors", "events", "schema_version"] {
        assert!(found.iter().any(|x| x == t), "{t} missing from {found:?}");
    }
    if db.backend == Backend::Sqlite {
        assert!(found.iter().any(|x| x == "events_fts"), "events_fts missing from {found:?}");
        let mode: String = raw(db.path()).query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
    }

    let mut store = db.open();
    let c = store.counts().unwrap();
    assert_eq!((c.documents, c.events), (4, 12));
    assert_eq!(store.query(&EventQuery::default()).unwrap().len(), 12);
    let versions = db.raw().int("SELECT count(*) FROM schema_version");
    assert_eq!(versions, SCHEMA_VERSION, "reopening must not migrate again");
    drop(store);
    let mut store = db.open_read_only();
    assert_eq!(store.counts().unwrap().events, 12);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
}

fn foreign_keys_cascade_from_documents(db: &TestDb) {
    let mut store = db.open();
    store.ingest_batch(&common::corpus(2, 2, 4), false).unwrap();
    drop(store);
    // A connection with foreign keys on, as the store's: deleting a document deletes its
    // events and their actors.
    let mut conn = db.raw();
    if db.backend == Backend::Sqlite {
        conn.execute("PRAGMA foreign_keys = ON");
    }
    conn.execute("DELETE FROM documents WHERE id = 'doc-000'");
    assert_eq!(conn.int("SELECT count(*) FROM events WHERE doc = 'doc-000'"), 0);
    assert_eq!(conn.int("SELECT count(*) FROM event_actors WHERE event_id NOT IN (SELECT id FROM events)"), 0);
    if db.backend == Backend::Postgres {
        // SQLite's bands have no foreign key (schema version 3): the store deletes them
        // itself when it re-codes a document (tests/ingest.rs).
        assert_eq!(conn.int("SELECT count(*) FROM document_bands WHERE doc = 'doc-000'"), 0);
    }
    conn.check_text_index();
    assert_eq!(db.open().counts().unwrap().documents, 1);
}

fn a_newer_schema_is_refused(db: &TestDb) {
    drop(db.open());
    db.raw().execute("INSERT INTO schema_version (version, name, applied_at) VALUES (7, 'future', '2030-01-01')");
    let want =
        format!("{} has schema version 7; this annals knows up to {}: upgrade annals", db.label(), SCHEMA_VERSION);
    let e = Store::open(&db.target).unwrap_err();
    assert!(matches!(e, StoreError::TooNew { found: 7, known: SCHEMA_VERSION, .. }), "{e:?}");
    assert_eq!(e.to_string(), want);
    let e = Store::open_read_only(&db.target).unwrap_err();
    assert_eq!(e.to_string(), want);
}

fn an_older_read_only_database_asks_for_migration(db: &TestDb) {
    drop(db.open());
    db.raw().execute("DELETE FROM schema_version");
    let e = Store::open_read_only(&db.target).unwrap_err();
    assert!(matches!(e, StoreError::NeedsMigration { found: 0, known: SCHEMA_VERSION, .. }), "{e:?}");
    assert!(e.to_string().contains("migrate"), "{e}");
    assert!(e.to_string().starts_with(&db.label()), "{e}");
}

fn another_programs_database_is_refused(db: &TestDb) {
    db.raw().execute("CREATE TABLE accounts (id INTEGER, balance REAL)");
    let count_sql = match db.backend {
        Backend::Sqlite => "SELECT count(*) FROM sqlite_master",
        Backend::Postgres => {
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
        }
    };
    let before = db.raw().int(count_sql);
    for e in [Store::open(&db.target).unwrap_err(), Store::open_read_only(&db.target).unwrap_err()] {
        assert!(matches!(e, StoreError::Foreign { .. }), "{e:?}");
        assert!(e.to_string().contains("not an annals database"), "{e}");
        assert!(e.to_string().starts_with(&db.label()), "{e}");
    }
    assert_eq!(db.raw().int(count_sql), before, "nothing may be added to it");
    if db.backend == Backend::Sqlite {
        let mode: String = raw(db.path()).query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "delete", "its journal mode must be left alone");
    }
}

fn read_only_open_cannot_write(db: &TestDb) {
    let corpus = common::corpus(8, 6, 3);
    {
        let mut store = db.open();
        store.ingest_batch(&corpus[..3], false).unwrap();
    }
    let mut store = db.open_read_only();
    let e = store.ingest_batch(&corpus[3..], false).unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
    assert!(e.to_string().contains("read-only"), "{e}");
    assert!(e.to_string().starts_with(&db.label()), "{e}");
    let e = store.ingest_batch(&corpus[..1], true).unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
    let c = store.counts().unwrap();
    assert_eq!((c.documents, c.events), (3, 9));
    assert_eq!(store.query(&EventQuery::default()).unwrap().len(), 9);
    assert!(store.has_document("doc-000").unwrap());
    assert!(!store.has_document("doc-004").unwrap());
    assert!(store.document("doc-000").unwrap().is_some());
}

fn a_version_1_database_is_migrated_with_its_events(db: &TestDb) {
    let corpus = common::corpus(21, 3, 2);
    {
        // A database as annals wrote it at schema version 1.
        let mut conn = db.raw();
        conn.execute(db.migration_sql(1));
        conn.execute("INSERT INTO schema_version VALUES (1, 'init', '2026-11-01T00:00:00Z')");
        for (doc, evs) in &corpus {
            conn.execute(&format!("INSERT INTO documents (id, text_hash) VALUES ({}, 'x')", lit(&doc.id)));
            for e in evs {
                conn.execute(&format!(
                    "INSERT INTO events (id, doc, event, date, text, record) VALUES ({}, {}, {}, {}, {}, {})",
                    lit(&e.id),
                    lit(&e.doc),
                    lit(e.event),
                    lit_opt(e.date.as_deref()),
                    lit(&e.text),
                    lit(&e.to_json())
                ));
            }
        }
    }
    let e = Store::open_read_only(&db.target).unwrap_err();
    assert!(matches!(e, StoreError::NeedsMigration { found: 1, .. }), "{e:?}");
    let mut store = db.open();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let c = store.counts().unwrap();
    assert_eq!((c.documents, c.stories, c.events, c.mentions), (3, 3, 6, 6));
    let all = store.query(&EventQuery::default()).unwrap();
    assert_eq!(all.len(), 6);
    assert!(all.iter().all(|v| v["mentions"] == 1 && v["documents"].as_array().is_some_and(|d| d.len() == 1)));
    assert_eq!(db.raw().int("SELECT count(*) FROM schema_version"), SCHEMA_VERSION);
    // New documents go in beside the migrated ones.
    store.ingest_batch(&common::corpus(22, 5, 2)[3..], false).unwrap();
    assert_eq!(store.counts().unwrap().documents, 5);
}

/// Two processes open a new database at the same moment: both create-or-find the schema,
/// and it is created once.
fn concurrent_first_opens_both_succeed(db: &TestDb) {
    let barrier = std::sync::Barrier::new(4);
    std::thread::scope(|s| {
        let opens: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    Store::open(&db.target).map(|mut st| st.schema_version())
                })
            })
            .collect();
        for o in opens {
            let version = o.join().unwrap().unwrap_or_else(|e| panic!("{e}")).unwrap();
            assert_eq!(version, SCHEMA_VERSION);
        }
    });
    assert_eq!(db.raw().int("SELECT count(*) FROM schema_version"), SCHEMA_VERSION);
}

// ---- SQLite files only -------------------------------------------------------------
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

// ---- PostgreSQL only ---------------------------------------------------------------

/// A server that does not answer: one clear error that names the host and port, for both
/// opens, without needing a server at all.
#[test]
fn an_unreachable_server_is_a_clear_error() {
    // Port 1 on the loopback: nothing listens there.
    let url = "postgres://annals@127.0.0.1:1/annals";
    for e in [Store::open(url).unwrap_err(), Store::open_read_only(url).unwrap_err()] {
        assert!(matches!(e, StoreError::Connect { .. }), "{e:?}");
        let m = e.to_string();
        assert!(
            m.starts_with("cannot connect to PostgreSQL at 127.0.0.1:1 (postgres://annals@127.0.0.1:1/annals): "),
            "{m}"
        );
        assert!(m.contains("connection refused"), "{m}");
    }
}

/// The password of a URL never shows in a message.
#[test]
fn a_password_stays_out_of_messages() {
    let url = "postgres://annals:s3cret@127.0.0.1:1/annals?password=s3cret&connect_timeout=5";
    let e = Store::open(url).unwrap_err();
    let m = format!("{e} {e:?}");
    assert!(!m.contains("s3cret"), "{m}");
    assert!(m.contains("postgres://annals@127.0.0.1:1/annals?connect_timeout=5"), "{m}");
    let e = Store::open("postgres://annals:s3cret@127.0.0.1:notaport/annals").unwrap_err();
    assert!(matches!(e, StoreError::BadUrl { .. }), "{e:?}");
    assert!(!format!("{e} {e:?}").contains("s3cret"), "{e}");
}

/// A database that does not exist on the server is not created: both opens say so.
#[test]
fn a_missing_postgres_database_is_a_clear_error() {
    let Some(admin) = common::postgres_admin_url() else { return };
    let url = common::url_with_database(&admin, &format!("annals_test_{}_no_such_database", std::process::id()));
    for e in [Store::open(&url).unwrap_err(), Store::open_read_only(&url).unwrap_err()] {
        assert!(matches!(e, StoreError::NotFound { .. }), "{e:?}");
        assert!(e.to_string().starts_with(&format!("{url} does not exist")), "{e}");
    }
}

/// Another session holds a lock that writers need: a batch waits the busy timeout, then
/// fails clearly (storing nothing); readers are not blocked; once the lock is gone the
/// batch goes in.
#[test]
fn a_locked_postgres_database_is_a_clear_error() {
    let Some(db) = TestDb::postgres("a_locked_postgres_database_is_a_clear_error") else { return };
    let corpus = common::corpus(9, 4, 2);
    drop(db.open());
    let mut other = ::postgres::Client::connect(&db.target, ::postgres::NoTls).unwrap();
    let mut tx = other.transaction().unwrap();
    tx.batch_execute("LOCK TABLE documents IN EXCLUSIVE MODE").unwrap();
    let mut store = PgStore::open(&db.target).unwrap();
    store.set_busy_timeout(Duration::from_millis(100));
    let e = store.ingest_batch(&corpus, false).unwrap_err();
    assert!(matches!(e, StoreError::Locked { waited_ms: 100, .. }), "{e:?}");
    assert!(e.to_string().contains("is locked by another process"), "{e}");
    assert_eq!(store.counts().unwrap().documents, 0);
    tx.commit().unwrap();
    assert_eq!(store.ingest_batch(&corpus, false).unwrap(), (4, 8));
}

/// An annals store in a schema of its own, named by the URL's `options`: the tables go
/// there, and another program's tables in `public` are none of its business.
#[test]
fn a_postgres_schema_of_its_own_is_used() {
    let Some(db) = TestDb::postgres("a_postgres_schema_of_its_own_is_used") else { return };
    db.raw().execute("CREATE TABLE accounts (id INTEGER); CREATE SCHEMA annals");
    let sep = if db.target.contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}options=-csearch_path%3Dannals", db.target);
    let mut store = Store::open(&url).unwrap();
    store.ingest_batch(&common::corpus(3, 2, 2), false).unwrap();
    let n = db.raw().int("SELECT count(*) FROM pg_tables WHERE schemaname = 'annals'");
    assert_eq!(n, 5);
    assert_eq!(Store::open_read_only(&url).unwrap().counts().unwrap().events, 4);
    assert!(matches!(Store::open(&db.target).unwrap_err(), StoreError::Foreign { .. }));
}
