//! Storing batches: ingesting is idempotent, `replace` re-codes a document (its old
//! events, actors and text-index entries go), and a batch that fails midway leaves no
//! trace: one transaction per batch.
#![allow(clippy::unwrap_used)]

mod common;

use annals_events::EventRecord;
use annals_store::{Counts, EventQuery, SqliteStore, StoreError, StoredDocument};
use common::{Rng, TempDb};

fn text_query(t: &str) -> EventQuery {
    EventQuery { text: Some(t.to_string()), ..EventQuery::default() }
}

fn actors(batch: &[(StoredDocument, Vec<EventRecord>)]) -> usize {
    batch.iter().flat_map(|(_, evs)| evs).map(|e| e.source.len() + e.target.len()).sum()
}

fn fts_integrity(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')", []).unwrap();
    let (events, indexed): (i64, i64) = conn
        .query_row("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM events_fts_docsize)", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(events, indexed);
}

#[test]
fn ingesting_twice_changes_nothing() {
    let db = TempDb::new("idempotent");
    let corpus = common::corpus(11, 30, 4);
    let mut store = SqliteStore::open(&db.path).unwrap();
    assert_eq!(store.ingest_batch(&corpus, false).unwrap(), (30, 120));
    let first = store.counts().unwrap();
    assert_eq!(first, Counts { documents: 30, events: 120, actors: actors(&corpus) });
    let everything = store.query(&EventQuery::default()).unwrap();

    assert_eq!(store.ingest_batch(&corpus, false).unwrap(), (0, 0));
    assert_eq!(store.counts().unwrap(), first);
    drop(store);
    let mut store = SqliteStore::open(&db.path).unwrap();
    assert_eq!(store.ingest_batch(&corpus, false).unwrap(), (0, 0));
    assert_eq!(store.counts().unwrap(), first);
    assert_eq!(store.query(&EventQuery::default()).unwrap(), everything);
    assert!(store.has_document("doc-029").unwrap());
    assert!(!store.has_document("doc-030").unwrap());
    assert_eq!(store.ingest_batch(&[], false).unwrap(), (0, 0));
    fts_integrity(&db.path);
}

#[test]
fn a_batch_with_new_and_known_documents_adds_only_the_new() {
    let db = TempDb::new("mixed");
    let corpus = common::corpus(12, 10, 3);
    let mut store = SqliteStore::open(&db.path).unwrap();
    store.ingest_batch(&corpus[..6], false).unwrap();
    assert_eq!(store.ingest_batch(&corpus[4..], false).unwrap(), (4, 12));
    assert_eq!(store.counts().unwrap(), Counts { documents: 10, events: 30, actors: actors(&corpus) });
}

#[test]
fn replace_recodes_documents() {
    let db = TempDb::new("replace");
    let corpus = common::corpus(13, 8, 4);
    let mut store = SqliteStore::open(&db.path).unwrap();
    store.ingest_batch(&corpus, false).unwrap();

    // doc-002 re-coded: two events whose sentences say something new.
    let (doc, old) = &corpus[2];
    let mut rng = Rng(77);
    let recoded: Vec<EventRecord> = (0..2)
        .map(|k| {
            let mut e = common::event(&mut rng, &doc.id, 40 + k, k);
            e.text = format!("recoded sentence number {k} about armistice");
            e
        })
        .collect();
    let batch = vec![(doc.clone(), recoded.clone())];

    // Without replace, a stored document is skipped.
    assert_eq!(store.ingest_batch(&batch, false).unwrap(), (0, 0));
    assert!(store.query(&text_query("armistice")).unwrap().is_empty());

    assert_eq!(store.ingest_batch(&batch, true).unwrap(), (1, 2));
    let n_actors = actors(&corpus) - actors(&corpus[2..3]) + actors(&batch);
    assert_eq!(store.counts().unwrap(), Counts { documents: 8, events: 30, actors: n_actors });
    let found = store.query(&text_query("armistice")).unwrap();
    assert_eq!(found.len(), 2);
    for e in old {
        let q = EventQuery { text: Some(e.text.clone()), ..EventQuery::default() };
        assert!(store.query(&q).unwrap().iter().all(|r| r["id"] != e.id.as_str()), "{} is still found", e.id);
    }
    let all = store.query(&EventQuery::default()).unwrap();
    assert!(all.iter().all(|r| !old.iter().any(|e| r["id"] == e.id.as_str())));
    fts_integrity(&db.path);

    // Replacing again with the same records is stable.
    assert_eq!(store.ingest_batch(&batch, true).unwrap(), (1, 2));
    assert_eq!(store.counts().unwrap(), Counts { documents: 8, events: 30, actors: n_actors });
    fts_integrity(&db.path);
}

#[test]
fn a_batch_that_fails_midway_stores_nothing() {
    let db = TempDb::new("atomic");
    let corpus = common::corpus(14, 12, 3);
    let mut store = SqliteStore::open(&db.path).unwrap();
    store.ingest_batch(&corpus[..4], false).unwrap();
    let before = store.counts().unwrap();
    let everything = store.query(&EventQuery::default()).unwrap();

    // The third document of the batch repeats an event id of the first one.
    let mut bad: Vec<(StoredDocument, Vec<EventRecord>)> = corpus[4..8].to_vec();
    let dup_id = bad[0].1[0].id.clone();
    let mut dup = bad[2].1[1].clone();
    dup.id = dup_id.clone();
    dup.text = "a sentence with the unique word zanzibar".into();
    bad[2].1.push(dup);
    let e = store.ingest_batch(&bad, false).unwrap_err();
    assert!(matches!(&e, StoreError::Event { event, .. } if *event == dup_id), "{e:?}");
    assert!(e.to_string().contains(&dup_id), "{e}");

    assert_eq!(store.counts().unwrap(), before);
    assert_eq!(store.query(&EventQuery::default()).unwrap(), everything);
    for (doc, _) in &bad {
        assert!(!store.has_document(&doc.id).unwrap(), "{} was stored", doc.id);
    }
    assert!(store.query(&text_query("zanzibar")).unwrap().is_empty());
    fts_integrity(&db.path);

    // An event id already stored under another document fails the same way.
    let mut clash: Vec<(StoredDocument, Vec<EventRecord>)> = corpus[8..10].to_vec();
    let mut stolen = clash[1].1[0].clone();
    stolen.id = corpus[0].1[0].id.clone();
    clash[1].1.push(stolen);
    assert!(store.ingest_batch(&clash, false).is_err());
    assert_eq!(store.counts().unwrap(), before);

    // An event filed under the wrong document fails too, after earlier documents were
    // written inside the transaction.
    let mut misfiled: Vec<(StoredDocument, Vec<EventRecord>)> = corpus[8..10].to_vec();
    misfiled[1].1[0].doc = "elsewhere".into();
    let e = store.ingest_batch(&misfiled, false).unwrap_err();
    assert!(matches!(e, StoreError::WrongDocument { .. }), "{e:?}");
    assert_eq!(store.counts().unwrap(), before);

    // A replace that fails keeps the old version of the document.
    let mut bad_replace = vec![corpus[1].clone(), corpus[0].clone()];
    let again = bad_replace[1].1[0].clone();
    bad_replace[1].1.push(again);
    assert!(store.ingest_batch(&bad_replace, true).is_err());
    assert_eq!(store.query(&EventQuery::default()).unwrap(), everything);

    // The store is still usable, and the good batch goes in whole.
    assert_eq!(store.ingest_batch(&corpus[4..], false).unwrap(), (8, 24));
    assert_eq!(store.counts().unwrap(), Counts { documents: 12, events: 36, actors: actors(&corpus) });
    fts_integrity(&db.path);
}

#[test]
fn documents_keep_their_metadata() {
    let db = TempDb::new("metadata");
    let corpus = common::corpus(15, 3, 2);
    let mut store = SqliteStore::open(&db.path).unwrap();
    store.ingest_batch(&corpus, false).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let (hash, title, url, n, at): (String, Option<String>, Option<String>, i64, String) = conn
        .query_row("SELECT text_hash, title, url, n_events, ingested_at FROM documents WHERE id = 'doc-001'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap();
    assert_eq!(hash, annals_store::text_hash("text of doc-001"));
    assert_eq!(title.as_deref(), Some("Title 1"));
    assert_eq!(url, None);
    assert_eq!(n, 2);
    assert_eq!(at.len(), "2026-01-01T00:00:00Z".len());
}
