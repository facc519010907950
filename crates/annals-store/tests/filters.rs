//! Every filter of `EventQuery` against a direct scan of the inserted records in Rust, on
//! SQLite and on PostgreSQL: each store must return exactly the records the scan finds,
//! in the same order (so both backends answer alike). Also: any user text, FTS syntax
//! and quotes included, searches without error; order and limits are the SQL's.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod common;

use annals_events::{ActorRecord, EventRecord};
use annals_store::{EventQuery, StoredDocument};
use common::{TestDb, ACTOR_VALUES, TYPES};

on_both_backends!(
    every_filter_matches_a_direct_scan,
    fts_syntax_in_user_text_never_errors,
    results_are_ordered_by_date_then_id_and_limited_in_sql,
    pages_follow_the_cursor,
    dyad_queries_survive_recoding,
);

fn actor_matches(a: &ActorRecord, v: &str) -> bool {
    [&a.country, &a.sector, &a.org, &a.name].iter().any(|f| f.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(v)))
}

/// Words as FTS5's unicode61 tokenizer sees them (for ASCII text): runs of letters and
/// digits, lowercased.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn has_phrase(hay: &str, phrase: &[String]) -> bool {
    !phrase.is_empty() && words(hay).windows(phrase.len()).any(|w| w == phrase)
}

/// The meaning of a query, written independently of the SQL.
fn oracle_matches(q: &EventQuery, e: &EventRecord) -> bool {
    let role = |actors: &[ActorRecord], v: &Option<String>| {
        v.as_ref().is_none_or(|v| actors.iter().any(|a| actor_matches(a, v)))
    };
    if !role(&e.source, &q.source) || !role(&e.target, &q.target) {
        return false;
    }
    if let Some((a, b)) = &q.dyad {
        if !(e.source.iter().any(|x| actor_matches(x, a)) && e.target.iter().any(|x| actor_matches(x, b))) {
            return false;
        }
    }
    if q.event_type.as_ref().is_some_and(|t| !e.event.eq_ignore_ascii_case(t)) {
        return false;
    }
    if q.mode.as_ref().is_some_and(|m| !e.mode.as_ref().is_some_and(|x| x.eq_ignore_ascii_case(m))) {
        return false;
    }
    if q.since.as_ref().is_some_and(|s| e.date.as_ref().is_none_or(|d| d.as_str() < s.as_str())) {
        return false;
    }
    if q.until
        .as_ref()
        .is_some_and(|u| !e.date.as_ref().is_some_and(|d| d.as_str() <= u.as_str() || d.starts_with(u.as_str())))
    {
        return false;
    }
    if let Some(p) = &q.place {
        let ok = e.location.as_ref().is_some_and(|l| {
            l.name.eq_ignore_ascii_case(p) || l.country.as_ref().is_some_and(|c| c.eq_ignore_ascii_case(p))
        });
        if !ok {
            return false;
        }
    }
    if let Some(t) = &q.text {
        let phrase = words(t);
        if !(has_phrase(&e.text, &phrase) || has_phrase(&e.trigger.text, &phrase)) {
            return false;
        }
    }
    true
}

fn oracle(q: &EventQuery, corpus: &[(StoredDocument, Vec<EventRecord>)]) -> Vec<serde_json::Value> {
    common::expected_events(corpus, |e| oracle_matches(q, e), q.limit)
}

fn queries() -> Vec<EventQuery> {
    let q = EventQuery::default;
    let s = |v: &str| Some(v.to_string());
    let mut out = vec![q(), EventQuery { limit: Some(0), ..q() }, EventQuery { limit: Some(7), ..q() }];
    for v in ACTOR_VALUES {
        out.push(EventQuery { source: s(v), ..q() });
        out.push(EventQuery { target: s(v), ..q() });
    }
    let dyad_values = ["ISR", "PSE", "Hamas", "GOV", "USA", "UN", "Antony Blinken", "XYZ"];
    for a in dyad_values {
        for b in dyad_values {
            out.push(EventQuery { dyad: Some((a.into(), b.into())), ..q() });
        }
    }
    for (t, _, modes) in TYPES {
        out.push(EventQuery { event_type: s(t), ..q() });
        out.push(EventQuery { event_type: Some(t.to_lowercase()), ..q() });
        for m in *modes {
            out.push(EventQuery { mode: s(m), ..q() });
            out.push(EventQuery { event_type: s(t), mode: s(m), ..q() });
        }
    }
    out.push(EventQuery { event_type: s("FLY"), ..q() });
    let dates =
        ["2023", "2023-10", "2023-10-07", "2024", "2024-05", "2024-05-01", "2024-05-10", "2024-05-31", "2025", "1999"];
    for d in dates {
        out.push(EventQuery { since: s(d), ..q() });
        out.push(EventQuery { until: s(d), ..q() });
        for e in dates {
            out.push(EventQuery { since: s(d), until: s(e), ..q() });
        }
    }
    for p in ["Rafah", "gaza", "PSE", "ukr", "Israel", "the Black Sea", "Nowhere", ""] {
        out.push(EventQuery { place: s(p), ..q() });
    }
    for t in fts_texts() {
        out.push(EventQuery { text: s(t), ..q() });
    }
    // Combinations.
    out.push(EventQuery { source: s("ISR"), event_type: s("ASSAULT"), since: s("2024"), ..q() });
    out.push(EventQuery { dyad: Some(("ISR".into(), "PSE".into())), place: s("PSE"), ..q() });
    out.push(EventQuery { text: s("ceasefire talks"), until: s("2024-05"), limit: Some(3), ..q() });
    out.push(EventQuery { source: s("GOV"), target: s("GOV"), mode: s("MEET"), ..q() });
    out.push(EventQuery { target: s("Hamas"), text: s("strike"), place: s("Gaza"), since: s("2023-10"), ..q() });
    out.push(EventQuery {
        source: s("gov"),
        target: s("isr"),
        dyad: Some(("USA".into(), "ISR".into())),
        event_type: s("consult"),
        since: s("2023"),
        until: s("2025"),
        place: s("israel"),
        text: s("talks"),
        limit: Some(5),
        ..q()
    });
    out
}

/// Texts a user might search for, including FTS5 syntax that must be taken literally.
fn fts_texts() -> Vec<&'static str> {
    vec![
        "ceasefire",
        "CEASEFIRE talks",
        "talks ceasefire",
        "fired rockets at",
        "rockets",
        "met with",
        "said \"no\"",
        "\"no\" to ceasefire",
        "\"",
        "\"\"",
        "\"ceasefire",
        "ceasefire AND talks",
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "NOT in our name",
        "NEAR the border",
        "NEAR(ceasefire talks)",
        "talks OR",
        "aid convoys OR trucks",
        "O'Brien",
        "O'Brien's report:",
        "'",
        "text:ceasefire",
        "trigger: condemned",
        "{text trigger}: talks",
        "a * war crime",
        "*",
        "cease*",
        "^ceasefire",
        "(speaking to reporters)",
        "(",
        ")",
        "-",
        "+ -",
        "",
        "   ",
        "a\0b",
        "\0",
        "é",
        "日本",
        ";DROP TABLE events;--",
        "nothing like this appears",
    ]
}

fn every_filter_matches_a_direct_scan(db: &TestDb) {
    let corpus = common::corpus(42, 60, 5);
    let all: Vec<&EventRecord> = corpus.iter().flat_map(|(_, evs)| evs.iter()).collect();
    assert_eq!(all.len(), 300);
    let mut store = db.open();
    assert_eq!(store.ingest_batch(&corpus, false).unwrap(), (60, 300));

    let queries = queries();
    let mut nonempty = 0;
    for q in &queries {
        let got = store.query(q).unwrap_or_else(|e| panic!("{q:?}: {e}"));
        let want = oracle(q, &corpus);
        let ids =
            |v: &[serde_json::Value]| v.iter().map(|r| r["id"].as_str().unwrap_or("").to_string()).collect::<Vec<_>>();
        assert_eq!(ids(&got), ids(&want), "{q:?}");
        assert_eq!(got, want, "{q:?}");
        if !want.is_empty() {
            nonempty += 1;
        }
    }
    // The corpus must make the comparison mean something: most queries find events.
    assert!(nonempty * 2 > queries.len(), "only {nonempty} of {} queries found events", queries.len());
}

fn fts_syntax_in_user_text_never_errors(db: &TestDb) {
    let corpus = common::corpus(7, 10, 5);
    let mut store = db.open();
    store.ingest_batch(&corpus, false).unwrap();
    for t in fts_texts() {
        let q = EventQuery { text: Some(t.to_string()), ..EventQuery::default() };
        assert!(store.query(&q).is_ok(), "{t:?}");
    }
    // Operators are words inside the phrase: "ceasefire AND talks" finds the sentence
    // that says exactly that, not every sentence with both words.
    let q = EventQuery { text: Some("ceasefire AND talks".into()), ..EventQuery::default() };
    for r in store.query(&q).unwrap() {
        assert!(r["text"].as_str().unwrap().contains("ceasefire AND talks"));
    }
}

fn results_are_ordered_by_date_then_id_and_limited_in_sql(db: &TestDb) {
    let corpus = common::corpus(3, 20, 5);
    let mut store = db.open();
    store.ingest_batch(&corpus, false).unwrap();
    let all = store.query(&EventQuery::default()).unwrap();
    assert_eq!(all.len(), 100);
    let keys: Vec<(Option<String>, String)> =
        all.iter().map(|r| (r["date"].as_str().map(str::to_string), r["id"].as_str().unwrap().to_string())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let first = store.query(&EventQuery { limit: Some(10), ..EventQuery::default() }).unwrap();
    assert_eq!(first, all[..10].to_vec());
}

/// Paging with the `after` cursor (the last event's date, "" when undated, and id) walks
/// through every event once, in order, whatever the page size.
fn pages_follow_the_cursor(db: &TestDb) {
    let corpus = common::corpus(4, 20, 5);
    let mut store = db.open();
    store.ingest_batch(&corpus, false).unwrap();
    let all = store.query(&EventQuery::default()).unwrap();
    for size in [1, 7, 100] {
        let mut pages = Vec::new();
        let mut after = None;
        loop {
            let page =
                store.query(&EventQuery { after: after.clone(), limit: Some(size), ..EventQuery::default() }).unwrap();
            let Some(last) = page.last() else { break };
            after = Some((last["date"].as_str().unwrap_or("").to_string(), last["id"].as_str().unwrap().to_string()));
            pages.extend(page);
        }
        assert_eq!(pages, all, "page size {size}");
    }
}

/// Dyad-only and one-side queries have their own indexes (`event_dyads`, `event_roles`);
/// they must give what the direct
/// scan gives when events have several reports (some naming a person, some not) and
/// after re-coding removes an event's first report.
fn dyad_queries_survive_recoding(db: &TestDb) {
    let mut corpus = common::corpus(99, 40, 4);
    // Each event reported twice in its document; the second report drops person names
    // (same key: the key codes actors by country, sector and org).
    for (_, evs) in corpus.iter_mut() {
        let copies: Vec<EventRecord> = evs
            .iter()
            .map(|e| {
                let mut c = e.clone();
                c.id = format!("{}-again", e.id);
                c.sentence += 100;
                for a in c.source.iter_mut().chain(c.target.iter_mut()) {
                    if a.country.is_some() || a.sector.is_some() || a.org.is_some() {
                        a.name = None;
                    }
                }
                c
            })
            .collect();
        evs.extend(copies);
    }
    let mut store = db.open();
    store.ingest_batch(&corpus, false).unwrap();
    // Re-code every third document without its first reports.
    let mut order: Vec<(StoredDocument, Vec<EventRecord>)> = Vec::new();
    let mut recoded = Vec::new();
    for (i, (doc, evs)) in corpus.iter().enumerate() {
        if i % 3 == 0 {
            let kept: Vec<EventRecord> = evs.iter().filter(|e| e.id.ends_with("-again")).cloned().collect();
            recoded.push((doc.clone(), kept));
        } else {
            order.push((doc.clone(), evs.clone()));
        }
    }
    store.ingest_batch(&recoded, true).unwrap();
    order.extend(recoded);
    let values = ["ISR", "PSE", "Hamas", "GOV", "USA", "UN", "Antony Blinken", "Benjamin Netanyahu", "mil", "XYZ"];
    let mut checked = 0;
    // One side only (`event_roles`).
    for v in values {
        for (since, until, limit) in [(None, None, None), (Some("2024"), None, Some(3)), (None, Some("2024-05"), None)]
        {
            for q in [
                EventQuery { source: Some(v.into()), ..EventQuery::default() },
                EventQuery { target: Some(v.into()), ..EventQuery::default() },
            ] {
                let q = EventQuery { since: since.map(str::to_string), until: until.map(str::to_string), limit, ..q };
                let got = store.query(&q).unwrap();
                assert_eq!(got, oracle(&q, &order), "{q:?}");
                checked += usize::from(!got.is_empty());
            }
        }
    }
    for a in values {
        for b in values {
            for (since, until, limit) in
                [(None, None, None), (Some("2024"), None, Some(3)), (None, Some("2024-05"), None)]
            {
                let q = EventQuery {
                    dyad: Some((a.into(), b.into())),
                    since: since.map(str::to_string),
                    until: until.map(str::to_string),
                    limit,
                    ..EventQuery::default()
                };
                let got = store.query(&q).unwrap();
                assert_eq!(got, oracle(&q, &order), "{q:?}");
                checked += usize::from(!got.is_empty());
            }
        }
    }
    assert!(checked > 80, "only {checked} actor queries found events");
    if db.backend == common::Backend::Sqlite {
        // Re-coding leaves no row behind: the dyad and role tables hold what a clean
        // ingest of the final documents writes (their first reports differ, not their
        // number of rows).
        drop(store);
        let clean = TestDb::sqlite("recoded-clean");
        clean.open().ingest_batch(&order, false).unwrap();
        let count = |path: &str, table: &str| -> i64 {
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
        };
        for table in ["event_dyads", "event_roles"] {
            assert_eq!(count(&db.target, table), count(&clean.target, table), "{table}");
        }
    }
}
