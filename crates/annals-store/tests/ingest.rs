//! Storing batches, on SQLite and on PostgreSQL alike: ingesting is idempotent, `replace`
//! re-codes a document (its old events, actors and text-index entries go), a batch that
//! fails midway leaves no trace (one transaction per batch), two writers at once neither
//! fail nor store a document twice, and near-duplicate documents merge their events.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod common;

use annals_events::EventRecord;
use annals_store::{EventQuery, StoreError, StoredDocument};
use common::{Rng, TestDb};

on_both_backends!(
    ingesting_twice_changes_nothing,
    a_batch_with_new_and_known_documents_adds_only_the_new,
    replace_recodes_documents,
    a_batch_that_fails_midway_stores_nothing,
    documents_keep_their_metadata,
    near_duplicate_documents_merge_their_events,
    two_writers_at_once_store_each_document_once,
    nul_characters_do_not_stop_a_batch,
);

fn text_query(t: &str) -> EventQuery {
    EventQuery { text: Some(t.to_string()), ..EventQuery::default() }
}

fn actors(batch: &[(StoredDocument, Vec<EventRecord>)]) -> usize {
    batch.iter().flat_map(|(_, evs)| evs).map(|e| e.source.len() + e.target.len()).sum()
}

fn ingesting_twice_changes_nothing(db: &TestDb) {
    let corpus = common::corpus(11, 30, 4);
    let mut store = db.open();
    assert_eq!(store.ingest_batch(&corpus, false).unwrap(), (30, 120));
    let first = store.counts().unwrap();
    assert_eq!(first, common::expected_counts(&corpus));
    assert_eq!((first.documents, first.mentions, first.actors), (30, 120, actors(&corpus)));
    let everything = store.query(&EventQuery::default()).unwrap();

    assert_eq!(store.ingest_batch(&corpus, false).unwrap(), (0, 0));
    assert_eq!(store.counts().unwrap(), first);
    drop(store);
    let mut store = db.open();
    assert_eq!(store.ingest_batch(&corpus, false).unwrap(), (0, 0));
    assert_eq!(store.counts().unwrap(), first);
    assert_eq!(store.query(&EventQuery::default()).unwrap(), everything);
    assert!(store.has_document("doc-029").unwrap());
    assert!(!store.has_document("doc-030").unwrap());
    assert_eq!(store.ingest_batch(&[], false).unwrap(), (0, 0));
    db.raw().check_text_index();
}

fn a_batch_with_new_and_known_documents_adds_only_the_new(db: &TestDb) {
    let corpus = common::corpus(12, 10, 3);
    let mut store = db.open();
    store.ingest_batch(&corpus[..6], false).unwrap();
    assert_eq!(store.ingest_batch(&corpus[4..], false).unwrap(), (4, 12));
    assert_eq!(store.counts().unwrap(), common::expected_counts(&corpus));
}

fn replace_recodes_documents(db: &TestDb) {
    let corpus = common::corpus(13, 8, 4);
    let mut store = db.open();
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
    let mut recoded_corpus = corpus.clone();
    recoded_corpus[2] = batch[0].clone();
    let want = common::expected_counts(&recoded_corpus);
    assert_eq!(store.counts().unwrap(), want);
    assert_eq!((want.documents, want.mentions), (8, 30));
    let found = store.query(&text_query("armistice")).unwrap();
    assert_eq!(found.len(), 2);
    for e in old {
        let q = EventQuery { text: Some(e.text.clone()), ..EventQuery::default() };
        assert!(store.query(&q).unwrap().iter().all(|r| r["id"] != e.id.as_str()), "{} is still found", e.id);
    }
    let all = store.query(&EventQuery::default()).unwrap();
    assert!(all.iter().all(|r| !old.iter().any(|e| r["id"] == e.id.as_str())));
    db.raw().check_text_index();

    // Replacing again with the same records is stable, and the newest document (whose
    // row ids a re-code frees and reuses) stays searchable.
    assert_eq!(store.ingest_batch(&batch, true).unwrap(), (1, 2));
    assert_eq!(store.counts().unwrap(), want);
    assert_eq!(store.query(&text_query("armistice")).unwrap().len(), 2);
    db.raw().check_text_index();

    // Re-coding a document whose text changed replaces its MinHash bands: the store then
    // holds the bands of a clean ingest of the final documents, none of the old text.
    let long_text = |seed: usize| (0..120).map(|i| format!("text{seed}word{} ", i % 60)).collect::<String>();
    let mut changed = batch[0].clone();
    for seed in [1, 2] {
        changed.0.text = long_text(seed);
        store.ingest_batch(std::slice::from_ref(&changed), true).unwrap();
    }
    recoded_corpus[2] = changed;
    let clean = TestDb::sqlite("recoded-bands-clean");
    clean.open().ingest_batch(&recoded_corpus, false).unwrap();
    let bands = |db: &TestDb| db.raw().int("SELECT count(*) FROM document_bands");
    let doc_bands = db.raw().int("SELECT count(*) FROM document_bands WHERE doc = 'doc-002'");
    assert_eq!(doc_bands, 8, "the new text's bands");
    assert_eq!(bands(db), bands(&clean));
}

fn a_batch_that_fails_midway_stores_nothing(db: &TestDb) {
    let corpus = common::corpus(14, 12, 3);
    let mut store = db.open();
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
    db.raw().check_text_index();

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
    assert_eq!(store.counts().unwrap(), common::expected_counts(&corpus));
    db.raw().check_text_index();
}

fn documents_keep_their_metadata(db: &TestDb) {
    let corpus = common::corpus(15, 3, 2);
    let mut store = db.open();
    store.ingest_batch(&corpus, false).unwrap();
    drop(store);
    let rows = db.raw().rows("SELECT text_hash, title, url, n_events, ingested_at FROM documents WHERE id = 'doc-001'");
    let [hash, title, url, n, at] = &rows[0][..] else { panic!("{rows:?}") };
    assert_eq!(hash.as_deref(), Some(annals_store::text_hash("text of doc-001").as_str()));
    assert_eq!(title.as_deref(), Some("Title 1"));
    assert_eq!(url, &None);
    assert_eq!(n.as_deref(), Some("2"));
    let at = at.as_deref().unwrap();
    assert_eq!(at.len(), "2026-01-01T00:00:00Z".len(), "{at}");
    assert!(at.starts_with("20") && at.as_bytes()[10] == b'T' && at.ends_with('Z'), "{at}");
}

/// A wire story in three outlets (one retitled, one trimmed) and an unrelated story: the
/// copies are one story, the event they all report is one event with three mentions from
/// three outlets, and the event that one article repeats counts two mentions.
fn near_duplicate_documents_merge_their_events(db: &TestDb) {
    let body = "Egyptian and Qatari mediators met Hamas officials in Cairo on Monday to discuss a \
        proposal for a truce in Gaza, according to officials briefed on the talks, as Israeli forces \
        pressed on with an offensive in the south of the territory. The proposal would see a pause in \
        fighting of several weeks and the release of hostages held in Gaza in exchange for Palestinian \
        prisoners held by Israel. Aid agencies said the situation in the territory was desperate, with \
        shortages of food, water and medicine, and urged all sides to agree to a ceasefire.";
    let mut rng = Rng(5);
    let report = |doc: &str, sentence: usize, k: usize, rng: &mut Rng| {
        let mut e = common::event(rng, doc, sentence, k);
        e.event = "CONSULT";
        e.mode = Some("MEET".into());
        e.quad = "verbal_cooperation";
        e.negated = false;
        e.date = Some("2024-05-01".into());
        e.source = vec![common::ACTORS.iter().find(|a| a.0 == "Egyptian mediators").map(common::actor_of).unwrap()];
        e.target = vec![common::ACTORS.iter().find(|a| a.0 == "Hamas").map(common::actor_of).unwrap()];
        e
    };
    let doc = |id: &str, text: String, source: &str| StoredDocument {
        id: id.into(),
        text,
        date: Some("2024-05-01".into()),
        title: None,
        url: Some(format!("https://{source}.example/{id}")),
        source: Some(source.into()),
    };
    let mut other = common::event(&mut rng, "other", 0, 0);
    other.event = "ASSAULT";
    let batch = vec![
        (doc("wire", body.to_string(), "wire"), vec![report("wire", 0, 0, &mut rng), report("wire", 3, 1, &mut rng)]),
        (doc("paper", format!("Truce talks in Cairo\n\n{body}"), "paper"), vec![report("paper", 1, 0, &mut rng)]),
        (
            doc("site", body.replace(" Aid agencies said the situation", " Agencies said the situation"), "site"),
            vec![report("site", 0, 0, &mut rng)],
        ),
        (
            doc("other", format!("{} {}", "An unrelated story about a budget vote.", "words ".repeat(60)), "wire"),
            vec![other],
        ),
    ];
    let mut store = db.open();
    assert_eq!(store.ingest_batch(&batch, false).unwrap(), (4, 5));
    let c = store.counts().unwrap();
    assert_eq!((c.documents, c.stories, c.events, c.mentions), (4, 2, 2, 5));
    let consult = store.query(&EventQuery { event_type: Some("CONSULT".into()), ..EventQuery::default() }).unwrap();
    assert_eq!(consult.len(), 1);
    assert_eq!(consult[0]["id"], "wire:0:0");
    assert_eq!(consult[0]["mentions"], 4);
    assert_eq!(consult[0]["sources"], 3);
    assert_eq!(consult[0]["documents"], serde_json::json!(["paper", "site", "wire"]));
    assert_eq!(consult[0]["url"], "https://wire.example/wire");
    // Any report finds the event.
    assert_eq!(store.event("site:0:0").unwrap(), Some(consult[0].clone()));
    assert_eq!(store.event("nope").unwrap(), None);
    let view = store.document("paper").unwrap().unwrap();
    assert_eq!(view.story, "wire");
    assert_eq!(view.near_duplicates, vec!["site".to_string(), "wire".to_string()]);
    assert_eq!(view.events.len(), 1);
    assert!(view.doc.text.starts_with("Truce talks"));
    assert_eq!(store.document("other").unwrap().unwrap().story, "other");
    assert!(store.document("missing").unwrap().is_none());
}

/// Two processes ingest overlapping batches at the same moment: both succeed, and every
/// document is stored once (writers take turns, as in SQLite).
fn two_writers_at_once_store_each_document_once(db: &TestDb) {
    let corpus = common::corpus(16, 24, 3);
    drop(db.open());
    let barrier = std::sync::Barrier::new(2);
    let written: Vec<(usize, usize)> = std::thread::scope(|s| {
        let runs: Vec<_> = [&corpus[..16], &corpus[8..]]
            .into_iter()
            .map(|batch| {
                let barrier = &barrier;
                s.spawn(move || {
                    let mut store = db.open();
                    barrier.wait();
                    store.ingest_batch(batch, false).unwrap()
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let docs: usize = written.iter().map(|w| w.0).sum();
    assert_eq!(docs, 24, "{written:?}");
    let mut store = db.open();
    assert_eq!(store.counts().unwrap(), common::expected_counts(&corpus));
}

/// NUL characters in a document or an event (PostgreSQL text cannot hold them) neither
/// fail the batch nor change the record that queries answer.
fn nul_characters_do_not_stop_a_batch(db: &TestDb) {
    let mut corpus = common::corpus(17, 2, 2);
    corpus[0].0.text = "a text\0with a NUL".into();
    corpus[0].0.title = Some("title\0".into());
    corpus[0].1[0].text = "the ceasefire\0talks resumed".into();
    corpus[0].1[0].source[0].name = Some("Name\0".into());
    let mut store = db.open();
    assert_eq!(store.ingest_batch(&corpus, false).unwrap(), (2, 4));
    let q = EventQuery { text: Some("ceasefire talks".into()), ..EventQuery::default() };
    let found = store.query(&q).unwrap();
    assert!(found.iter().any(|r| r["id"] == corpus[0].1[0].id.as_str()), "{found:?}");
    let all = store.query(&EventQuery::default()).unwrap();
    assert_eq!(all, common::expected_events(&corpus, |_| true, None));
    let view = store.document(&corpus[0].0.id).unwrap().unwrap();
    // SQLite keeps the NUL; PostgreSQL stores U+FFFD in its place.
    assert_eq!(view.doc.text.replace(['\0', '\u{FFFD}'], " "), "a text with a NUL");
}
