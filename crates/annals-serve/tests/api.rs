//! The JSON API in process: each test builds a SQLite store in the temporary folder from
//! synthetic event records (actors with curly quotes and non-ASCII letters, undated events,
//! document ids that need escaping in a URL, repeated sentences), serves it through
//! `annals_serve::server::router` with a fake coder (one ASSAULT event for a text that says
//! "attacked", a place for each "Kyiv"), and sends requests with `tower::ServiceExt::oneshot`.
//!
//! It checks every endpoint's answers against the store (pagination walks every event once,
//! in order; filters equal the store's query), every bad parameter's 400 naming it, the
//! 401/404/405/413/415 answers, and the OpenAPI document: its structure, its `$ref`s, that
//! it lists exactly the router's operations and parameters, and that real answers match
//! the schemas it documents.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use annals_events::{ActorRecord, EventRecord, LocationRecord, TriggerRecord};
use annals_serve::api::{document_spans, Op, ENDPOINTS, FILTERS};
use annals_serve::server::{router, AppState};
use annals_serve::{CodeRequest, CodedText, PlaceSpan, ServeConfig};
use annals_store::{EventQuery, Store, StoredDocument};
use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const TOKEN: &str = "s3cret-write-token";

// ---------------------------------------------------------------------------------------------
// The synthetic store
// ---------------------------------------------------------------------------------------------

/// A database file, removed (with its companions) when dropped.
struct TempDb(PathBuf);

impl TempDb {
    fn new(name: &str) -> TempDb {
        let path = std::env::temp_dir().join(format!("annals-serve-api-{}-{name}.db", std::process::id()));
        remove(&path);
        TempDb(path)
    }
    fn target(&self) -> String {
        self.0.display().to_string()
    }
}

fn remove(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        remove(&self.0);
    }
}

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// (text, name, country, sector, org)
type ActorSpec = (&'static str, Option<&'static str>, Option<&'static str>, Option<&'static str>, Option<&'static str>);

const ACTORS: &[ActorSpec] = &[
    ("Israel", None, Some("ISR"), None, None),
    ("the Israeli military", None, Some("ISR"), Some("MIL"), None),
    ("Hamas", None, Some("PSE"), Some("REB"), Some("Hamas")),
    ("U.S. Secretary of State Antony Blinken", Some("Antony Blinken"), Some("USA"), Some("GOV"), None),
    ("the UN", None, None, Some("IGO"), Some("UN")),
    ("Russian forces", None, Some("RUS"), Some("MIL"), None),
    ("Ukraine", None, Some("UKR"), None, None),
    ("President Erdoğan", Some("Recep Tayyip Erdoğan"), Some("TUR"), Some("GOV"), None),
    ("Kyiv’s mayor", None, Some("UKR"), Some("GOV"), None),
    ("Egypt’s “mediators”", None, Some("EGY"), Some("GOV"), None),
];

/// (type, quad, trigger words, modes)
const TYPES: &[(&str, &str, &str, &[&str])] = &[
    ("AGREE", "verbal_cooperation", "agreed with", &[]),
    ("CONSULT", "verbal_cooperation", "met", &["VISIT", "MEET"]),
    ("AID", "material_cooperation", "sent aid to", &["HUMANITARIAN"]),
    ("ACCUSE", "verbal_conflict", "accused", &["DISAPPROVE"]),
    ("THREATEN", "verbal_conflict", "threatened", &[]),
    ("PROTEST", "material_conflict", "protested against", &[]),
    ("COERCE", "material_conflict", "arrested", &["ARREST"]),
    ("ASSAULT", "material_conflict", "shelled", &["AERIAL", "FIREARMS"]),
];

const DATES: &[(Option<&str>, Option<&str>)] = &[
    (Some("2023-10-07"), Some("day")),
    (Some("2023-10"), Some("month")),
    (Some("2023"), Some("year")),
    (Some("2024-01-15"), Some("day")),
    (Some("2024-05-01"), Some("day")),
    (Some("2024-05-31"), Some("day")),
    (Some("2024-06-02"), Some("day")),
    (None, None),
];

const PLACES: &[(&str, Option<&str>)] = &[("Rafah", Some("PSE")), ("Kyiv", Some("UKR")), ("Beirut", Some("LBN"))];

const FILLERS: &[&str] = &["Residents 🙏 waited for news.", "Officials declined to comment.", "Ça va, said one."];

fn actor_record(spec: &ActorSpec, start: usize) -> ActorRecord {
    let (text, name, country, sector, org) = *spec;
    ActorRecord {
        text: text.to_string(),
        name: name.map(str::to_string),
        country: country.map(str::to_string),
        sector: sector.map(str::to_string),
        org: org.map(str::to_string),
        span: [start, start + text.chars().count()],
    }
}

/// A sentence and its events: "SOURCE TRIGGER TARGET in PLACE." with one or two events.
fn sentence_events(rng: &mut Rng, doc: &str, sentence_no: usize) -> (String, Vec<EventRecord>) {
    let src = *rng.pick(ACTORS);
    let tgt = if rng.below(4) == 0 { None } else { Some(*rng.pick(ACTORS)) };
    let (place, place_country) = *rng.pick(PLACES);
    let (event, quad, trigger, modes) = *rng.pick(TYPES);
    let mut text = format!("{} {trigger}", src.0);
    let tstart = src.0.chars().count() + 1;
    let tgt_start = text.chars().count() + 1;
    if let Some(t) = tgt {
        text += &format!(" {}", t.0);
    }
    text += &format!(" in {place}.");
    let mut events = Vec::new();
    for k in 0..1 + rng.below(2) {
        let (date, date_precision) = *rng.pick(DATES);
        let (event, quad, trigger_text, tspan) = if k == 0 {
            (event, quad, trigger, [tstart, tstart + trigger.chars().count()])
        } else {
            // A second event of the sentence, from the same words.
            ("ACCUSE", "verbal_conflict", trigger, [tstart, tstart + trigger.chars().count()])
        };
        let mode = if modes.is_empty() || k > 0 { None } else { Some(rng.pick(modes).to_string()) };
        events.push(EventRecord {
            id: format!("{doc}:{sentence_no}:{k}"),
            doc: doc.to_string(),
            sentence: sentence_no,
            event,
            mode,
            context: Vec::new(),
            source: vec![actor_record(&src, 0)],
            target: tgt.iter().map(|t| actor_record(t, tgt_start)).collect(),
            trigger: TriggerRecord { text: trigger_text.to_string(), span: tspan },
            negated: rng.below(6) == 0,
            location: (rng.below(3) > 0).then(|| LocationRecord {
                name: place.to_string(),
                country: place_country.map(str::to_string),
                lat: Some(31.25),
                lon: Some(34.5),
                precision: "city".into(),
            }),
            date: date.map(str::to_string),
            date_precision,
            text: text.clone(),
            confidence: rng.below(65) as f64 / 64.0,
            quad,
            why: format!("lexicon:{} -> {event}", trigger.replace(' ', "_")),
            dropped: None,
            trigger_tokens: 0..0,
        });
    }
    (text, events)
}

fn doc_id(d: usize) -> String {
    match d % 9 {
        // Ids that need escaping in a URL path, and sort oddly.
        4 => format!("doc {d:03}/ü,\"q\"?#%"),
        7 => format!("Doc-{d:03}"),
        _ => format!("doc-{d:03}"),
    }
}

/// `n_docs` documents of 1 to 5 sentences (with fillers between, and now and then a
/// sentence repeated, right after itself or later), their events.
fn corpus(seed: u64, n_docs: usize) -> Vec<(StoredDocument, Vec<EventRecord>)> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for d in 0..n_docs {
        let id = doc_id(d);
        let mut parts: Vec<String> = Vec::new();
        let mut records = Vec::new();
        let mut sentence_no = 0;
        let mut first: Option<String> = None;
        for _ in 0..1 + rng.below(5) {
            if rng.below(2) == 0 {
                parts.push(rng.pick(FILLERS).to_string());
                sentence_no += 1;
            }
            let (text, mut events) = sentence_events(&mut rng, &id, sentence_no);
            parts.push(text.clone());
            first.get_or_insert(text.clone());
            records.append(&mut events);
            sentence_no += 1;
            if d % 5 == 0 {
                // The same sentence again at once: its own events, found at its own place.
                parts.push(text.clone());
                records.extend(repeat(&records, &text, &id, sentence_no));
                sentence_no += 1;
            }
        }
        if let (Some(text), true) = (first, d % 3 == 0) {
            parts.push(text.clone());
            records.extend(repeat(&records, &text, &id, sentence_no));
        }
        let doc = StoredDocument {
            id: id.clone(),
            text: parts.join(" "),
            date: (d % 4 != 0).then(|| "2024-05-01".into()),
            title: Some(format!("Title {d} “quoted”")),
            url: (d % 2 == 0).then(|| format!("https://news.example/{d}")),
            source: Some(if d % 3 == 0 { "outlet-a".into() } else { "outlet-b".into() }),
        };
        out.push((doc, records));
    }
    out
}

/// The events of the sentence `text` again, as sentence `sentence_no`.
fn repeat(records: &[EventRecord], text: &str, doc: &str, sentence_no: usize) -> Vec<EventRecord> {
    let first = records.iter().find(|r| r.text == text).map(|r| r.sentence);
    records
        .iter()
        .filter(|r| Some(r.sentence) == first)
        .enumerate()
        .map(|(k, r)| EventRecord { id: format!("{doc}:{sentence_no}:{k}"), sentence: sentence_no, ..r.clone() })
        .collect()
}

/// The fake coder: for a text that says "attacked", one ASSAULT event whose source is the
/// text's first word; a place for each "Kyiv".
fn fake_coder(req: &CodeRequest) -> CodedText {
    let text = &req.text;
    let chars = |b: usize| text[..b].chars().count();
    let mut events = Vec::new();
    if let Some(b) = text.find("attacked") {
        let first = text.split_whitespace().next().unwrap_or("");
        let start = chars(b);
        events.push(EventRecord {
            id: format!("{}:0:0", req.id),
            doc: req.id.clone(),
            sentence: 0,
            event: "ASSAULT",
            mode: None,
            context: Vec::new(),
            source: vec![ActorRecord {
                text: first.to_string(),
                name: None,
                country: Some("RUS".into()),
                sector: Some("MIL".into()),
                org: None,
                span: [0, first.chars().count()],
            }],
            target: Vec::new(),
            trigger: TriggerRecord { text: "attacked".into(), span: [start, start + 8] },
            negated: false,
            location: None,
            date: req.date.clone(),
            date_precision: req.date.as_ref().map(|_| "day"),
            text: text.clone(),
            confidence: 0.75,
            quad: "material_conflict",
            why: "fake".into(),
            dropped: None,
            trigger_tokens: 0..0,
        });
    }
    let places = text
        .match_indices("Kyiv")
        .map(|(b, _)| PlaceSpan {
            start: chars(b),
            end: chars(b) + 4,
            name: "Kyiv".into(),
            country: Some("UKR".into()),
            lat: Some(50.5),
            lon: Some(30.5),
        })
        .collect();
    CodedText { events, places }
}

/// A served synthetic store.
struct App {
    router: axum::Router,
    db: TempDb,
    corpus: Vec<(StoredDocument, Vec<EventRecord>)>,
}

fn app_with(name: &str, n_docs: usize, write_token: Option<&str>, max_body_bytes: usize) -> App {
    let db = TempDb::new(name);
    let corpus = corpus(7, n_docs);
    let mut store = Store::open(&db.target()).unwrap();
    store.ingest_batch(&corpus, false).unwrap();
    drop(store);
    let config = ServeConfig {
        db: db.target(),
        addr: "127.0.0.1:0".parse().unwrap(),
        write_token: write_token.map(str::to_string),
        max_body_bytes,
        max_limit: 500,
        coder: Arc::new(fake_coder),
    };
    let state = Arc::new(AppState::new(config).unwrap());
    App { router: router(state), db, corpus }
}

fn app(name: &str) -> App {
    app_with(name, 60, Some(TOKEN), 4096)
}

impl App {
    fn store(&self) -> Store {
        Store::open_read_only(&self.db.target()).unwrap()
    }

    fn query(&self, q: &EventQuery) -> Vec<Value> {
        self.store().query(q).unwrap()
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, HeaderMap, Value) {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(headers.get(header::X_CONTENT_TYPE_OPTIONS).map(|v| v.to_str().unwrap()), Some("nosniff"));
        let ct = headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string());
        assert_eq!(ct.as_deref(), Some("application/json"), "{status}: {}", String::from_utf8_lossy(&bytes));
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{status}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
        (status, headers, value)
    }

    async fn get(&self, uri: &str) -> (StatusCode, Value) {
        let (status, _, v) = self.send(Request::get(uri).body(Body::empty()).unwrap()).await;
        (status, v)
    }

    /// GET that must answer 200.
    async fn ok(&self, uri: &str) -> Value {
        let (status, v) = self.get(uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {v}");
        v
    }

    async fn post(
        &self,
        uri: &str,
        content_type: &str,
        auth: Option<&str>,
        body: impl Into<Body>,
    ) -> (StatusCode, HeaderMap, Value) {
        let mut req = Request::post(uri).header(header::CONTENT_TYPE, content_type);
        if let Some(a) = auth {
            req = req.header(header::AUTHORIZATION, a);
        }
        self.send(req.body(body.into()).unwrap()).await
    }

    /// Every event of a query, by walking its pages of `limit`.
    async fn walk(&self, query: &str, limit: usize) -> Vec<Value> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        let sep = if query.is_empty() { "" } else { "&" };
        for _ in 0..10_000 {
            let mut uri = format!("/api/events?{query}{sep}limit={limit}");
            if let Some(c) = &cursor {
                uri += &format!("&cursor={c}");
            }
            let page = self.ok(&uri).await;
            let events = page["events"].as_array().unwrap();
            assert!(events.len() <= limit, "{uri}");
            all.extend(events.iter().cloned());
            match page["next"].as_str() {
                Some(c) => {
                    assert_eq!(events.len(), limit, "a page before the last is full: {uri}");
                    cursor = Some(c.to_string());
                }
                None => {
                    assert!(page["next"].is_null());
                    return all;
                }
            }
        }
        panic!("pagination does not end");
    }
}

/// Percent-encodes everything but unreserved characters.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn ids(events: &[Value]) -> Vec<String> {
    events.iter().map(|e| e["id"].as_str().unwrap().to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Events and pagination
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn events_answer_the_first_page_and_a_cursor() {
    let app = app("first_page");
    let all = app.query(&EventQuery::default());
    assert!(all.len() > 150, "{}", all.len());
    let (status, headers, page) = app.send(Request::get("/api/events").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let events = page["events"].as_array().unwrap();
    assert_eq!(events.len(), annals_serve::server::DEFAULT_LIMIT);
    assert_eq!(events[..], all[..100]);
    assert!(page["next"].is_string());
    for field in ["mentions", "sources", "documents", "url", "doc_date", "event", "source", "trigger", "quad"] {
        assert!(events[0].get(field).is_some(), "{field} missing in {}", events[0]);
    }
    // The largest page takes everything at once.
    let page = app.ok("/api/events?limit=500").await;
    assert_eq!(page["events"].as_array().unwrap(), &all);
    assert!(page["next"].is_null());
}

#[tokio::test]
async fn walking_the_pages_lists_every_event_once_in_order() {
    let app = app("pagination");
    let all = app.query(&EventQuery::default());
    assert!(all.iter().any(|e| e["date"].is_null()), "some events are undated");
    for limit in [1, 2, 7, 50, 100, 499, 500] {
        let walked = app.walk("", limit).await;
        assert_eq!(walked.len(), all.len(), "limit {limit}");
        assert_eq!(walked, all, "limit {limit}");
        let unique: HashSet<String> = ids(&walked).into_iter().collect();
        assert_eq!(unique.len(), walked.len(), "no duplicates (limit {limit})");
    }
    // With filters too: the pages of a filtered query are that query's events.
    for (query, q) in [
        ("source=isr", EventQuery { source: Some("isr".into()), ..EventQuery::default() }),
        (
            "type=accuse&since=2024",
            EventQuery { event_type: Some("ACCUSE".into()), since: Some("2024".into()), ..EventQuery::default() },
        ),
    ] {
        let want = app.query(&q);
        assert!(want.len() > 5, "{query}");
        for limit in [1, 3, 10] {
            assert_eq!(app.walk(query, limit).await, want, "{query} limit {limit}");
        }
    }
}

#[tokio::test]
async fn filters_answer_what_the_store_answers() {
    let app = app("filters");
    let q = EventQuery::default;
    let cases: Vec<(String, EventQuery)> = vec![
        ("source=ISR".into(), EventQuery { source: Some("ISR".into()), ..q() }),
        ("target=hamas".into(), EventQuery { target: Some("hamas".into()), ..q() }),
        (
            "source=Recep%20Tayyip%20Erdo%C4%9Fan".into(),
            EventQuery { source: Some("Recep Tayyip Erdoğan".into()), ..q() },
        ),
        ("dyad=RUS,UKR".into(), EventQuery { dyad: Some(("RUS".into(), "UKR".into())), ..q() }),
        ("dyad=%20USA%20,%20GOV".into(), EventQuery { dyad: Some(("USA".into(), "GOV".into())), ..q() }),
        ("type=assault".into(), EventQuery { event_type: Some("ASSAULT".into()), ..q() }),
        ("mode=aerial".into(), EventQuery { mode: Some("AERIAL".into()), ..q() }),
        ("since=2024-05".into(), EventQuery { since: Some("2024-05".into()), ..q() }),
        ("until=2023-10".into(), EventQuery { until: Some("2023-10".into()), ..q() }),
        (
            "since=2023-10-07&until=2024".into(),
            EventQuery { since: Some("2023-10-07".into()), until: Some("2024".into()), ..q() },
        ),
        ("place=kyiv".into(), EventQuery { place: Some("kyiv".into()), ..q() }),
        ("place=PSE".into(), EventQuery { place: Some("PSE".into()), ..q() }),
        ("text=sent%20aid".into(), EventQuery { text: Some("sent aid".into()), ..q() }),
        ("text=%22OR%20*".into(), EventQuery { text: Some("\"OR *".into()), ..q() }),
        // Empty values are absent.
        ("source=&type=".into(), q()),
    ];
    for (query, want) in cases {
        let want = app.query(&want);
        let got = app.ok(&format!("/api/events?{query}&limit=500")).await;
        assert_eq!(got["events"].as_array().unwrap(), &want, "{query}");
    }
    let dyad = app.ok("/api/events?dyad=RUS,UKR&type=ASSAULT&limit=500").await;
    for e in dyad["events"].as_array().unwrap() {
        assert_eq!(e["event"], "ASSAULT");
        assert!(e["source"].as_array().unwrap().iter().any(|a| a["country"] == "RUS"), "{e}");
        assert!(e["target"].as_array().unwrap().iter().any(|a| a["country"] == "UKR"), "{e}");
    }
}

#[tokio::test]
async fn bad_parameters_are_400s_that_name_them() {
    let app = app("bad_parameters");
    let cases = [
        ("/api/events?limit=0", "limit"),
        ("/api/events?limit=501", "limit"),
        ("/api/events?limit=ten", "limit"),
        ("/api/events?limit=-1", "limit"),
        ("/api/events?limit=1.5", "limit"),
        ("/api/events?cursor=!!!", "cursor"),
        ("/api/events?cursor=e30", "cursor"),
        ("/api/events?cursor=WyJ4Il0", "cursor"),
        ("/api/events?since=2024-13", "since"),
        ("/api/events?since=May%202024", "since"),
        ("/api/events?until=2024-02-30", "until"),
        ("/api/events?until=24", "until"),
        ("/api/events?dyad=USA", "dyad"),
        ("/api/events?dyad=USA,", "dyad"),
        ("/api/events?type=ATTACK", "type"),
        ("/api/events?sourc=ISR", "sourc"),
        ("/api/events?type=ASSAULT&type=AID", "type"),
        ("/api/events?period=month", "period"),
        ("/api/events/doc-001:0:0?verbose=1", "verbose"),
        ("/api/documents/doc-001?spans=0", "spans"),
        ("/api/actors?limit=0", "limit"),
        ("/api/actors?top=5", "top"),
        ("/api/actors?since=yesterday", "since"),
        ("/api/dyads?limit=9999", "limit"),
        ("/api/dyads?cursor=abc", "cursor"),
        ("/api/timeline?period=decade", "period"),
        ("/api/timeline?by=country", "by"),
        ("/api/timeline?limit=3", "limit"),
        ("/api/stats?top=0", "top"),
        ("/api/stats?period=hour", "period"),
        ("/api/stats?type=nonsense", "type"),
        ("/api/openapi.json?format=yaml", "format"),
    ];
    for (uri, parameter) in cases {
        let (status, v) = app.get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert_eq!(v["parameter"], parameter, "{uri}: {v}");
        assert!(v["error"].as_str().is_some_and(|e| e.contains(parameter)), "{uri}: {v}");
    }
}

#[tokio::test]
async fn one_event_by_id_and_404s() {
    let app = app("one_event");
    let all = app.query(&EventQuery::default());
    for e in all.iter().step_by(17) {
        let id = e["id"].as_str().unwrap();
        assert_eq!(&app.ok(&format!("/api/events/{}", enc(id))).await, e, "{id}");
    }
    // Another report of a deduplicated event answers that event.
    let (doc, records) = app.corpus.iter().find(|(d, _)| d.id.contains('ü')).unwrap();
    let any = &records[0];
    let got = app.ok(&format!("/api/events/{}", enc(&any.id))).await;
    assert!(got["documents"].as_array().unwrap().iter().any(|d| d == doc.id.as_str()), "{got}");
    for uri in ["/api/events/no-such-event", "/api/documents/no-such-doc", "/api/documents/%2e%2e%2fetc"] {
        let (status, v) = app.get(uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {v}");
        assert!(v["error"].is_string() && v.get("parameter").is_none(), "{v}");
    }
}

// ---------------------------------------------------------------------------------------------
// Documents and spans
// ---------------------------------------------------------------------------------------------

fn chars_of(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

#[tokio::test]
async fn documents_answer_their_text_events_and_spans() {
    let app = app("documents");
    for (doc, records) in &app.corpus {
        let v = app.ok(&format!("/api/documents/{}", enc(&doc.id))).await;
        assert_eq!(v["id"], doc.id.as_str());
        assert_eq!(v["text"], doc.text.as_str());
        assert_eq!(v["title"], json!(doc.title));
        assert_eq!(v["date"], json!(doc.date));
        assert_eq!(v["url"], json!(doc.url));
        assert_eq!(v["source"], json!(doc.source));
        assert!(v["story"].is_string() && v["near_duplicates"].is_array(), "{v}");
        let events = v["events"].as_array().unwrap();
        assert_eq!(events.len(), records.len(), "{}", doc.id);
        let text = v["text"].as_str().unwrap();
        let spans = v["spans"].as_array().unwrap();
        // Every actor and trigger of every event, and every "Kyiv".
        let want_actor_trigger: usize = records.iter().map(|r| r.source.len() + r.target.len() + 1).sum();
        let kinds = |k: &str| spans.iter().filter(|s| s["kind"] == k).count();
        assert_eq!(kinds("actor") + kinds("trigger"), want_actor_trigger, "{}", doc.id);
        assert_eq!(kinds("place"), doc.text.matches("Kyiv").count(), "{}", doc.id);
        for s in spans {
            let (start, end) = (s["start"].as_u64().unwrap() as usize, s["end"].as_u64().unwrap() as usize);
            assert_eq!(chars_of(text, start, end), s["label"].as_str().unwrap(), "{}: {s}", doc.id);
            match s["kind"].as_str().unwrap() {
                "actor" => assert!(s["role"] == "source" || s["role"] == "target", "{s}"),
                "trigger" => assert!(s.get("role").is_none(), "{s}"),
                "place" => assert_eq!(s["name"], "Kyiv"),
                other => panic!("kind {other}"),
            }
            if s["kind"] != "place" {
                assert!(records.iter().any(|r| s["event"] == r.id.as_str()), "{s}");
            }
        }
        // A repeated sentence's spans are at each of its places, not all at the first.
        for r in records {
            let at: BTreeSet<u64> = spans
                .iter()
                .filter(|s| s["event"] == r.id.as_str() && s["kind"] == "trigger")
                .map(|s| s["start"].as_u64().unwrap())
                .collect();
            assert_eq!(at.len(), 1, "{}: one trigger", r.id);
        }
        let starts: BTreeSet<(String, u64)> = spans
            .iter()
            .filter(|s| s["kind"] == "trigger")
            .map(|s| (s["label"].as_str().unwrap().to_string(), s["start"].as_u64().unwrap()))
            .collect();
        let sentences: BTreeSet<(usize, &str)> = records.iter().map(|r| (r.sentence, r.text.as_str())).collect();
        let trigger_places: BTreeSet<u64> = starts.iter().map(|(_, s)| *s).collect();
        assert!(
            trigger_places.len() == sentences.len(),
            "{}: each sentence its own place ({} vs {})",
            doc.id,
            trigger_places.len(),
            sentences.len()
        );
    }
}

#[test]
fn spans_skip_what_they_cannot_place() {
    let text = "Kyiv’s mayor met Hamas. Kyiv’s mayor met Hamas.";
    let ev = |id: &str, sentence: usize, s: &str, actor: &str, span: [usize; 2]| {
        json!({"id": id, "sentence": sentence, "text": s, "source": [{"text": actor, "span": span}], "target": [],
               "trigger": {"text": "met", "span": [13, 16]}})
    };
    let events = vec![
        ev("a:0:0", 0, "Kyiv’s mayor met Hamas.", "Kyiv’s mayor", [0, 12]),
        // Same sentence, another event: same place.
        ev("a:0:1", 0, "Kyiv’s mayor met Hamas.", "it", [0, 12]),
        // The same words again as the next sentence: the second copy.
        ev("a:1:0", 1, "Kyiv’s mayor met Hamas.", "Kyiv’s mayor", [0, 12]),
        // Not in the text.
        ev("a:2:0", 2, "Nobody met anyone.", "Nobody", [0, 6]),
        // A span past its sentence.
        ev("a:3:0", 3, "Kyiv’s mayor met Hamas.", "Hamas", [17, 99]),
    ];
    let places = [
        PlaceSpan { start: 0, end: 4, name: "Kyiv".into(), country: None, lat: None, lon: None },
        PlaceSpan { start: 40, end: 99, name: "Nowhere".into(), country: None, lat: None, lon: None },
    ];
    let spans = document_spans(text, &events, &places);
    let got: Vec<(usize, usize, &str, Option<&str>)> =
        spans.iter().map(|s| (s.start, s.end, s.kind, s.event.as_deref())).collect();
    // a:0:1's actor ("it") does not cover its words; a:2:0's sentence is not in the text;
    // a:3:0's sentence is found again from the start, its actor's span is past its end.
    assert_eq!(
        got,
        vec![
            (0, 4, "place", None),
            (0, 12, "actor", Some("a:0:0")),
            (13, 16, "trigger", Some("a:0:0")),
            (13, 16, "trigger", Some("a:0:1")),
            (13, 16, "trigger", Some("a:3:0")),
            (24, 36, "actor", Some("a:1:0")),
            (37, 40, "trigger", Some("a:1:0")),
        ]
    );
    for s in &spans {
        assert_eq!(chars_of(text, s.start, s.end), s.label);
    }
}

// ---------------------------------------------------------------------------------------------
// Summaries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn actors_dyads_timeline_and_stats_count_the_filtered_events() {
    let app = app("summaries");
    let all = app.query(&EventQuery::default());
    let v = app.ok("/api/actors").await;
    assert_eq!(v["events"], all.len());
    assert_eq!(v["actors"], serde_json::to_value(annals_store::stats::top_actors(&all, 50)).unwrap());
    let assaults = app.query(&EventQuery { event_type: Some("ASSAULT".into()), ..EventQuery::default() });
    let v = app.ok("/api/actors?type=assault&limit=3").await;
    assert_eq!(v["actors"], serde_json::to_value(annals_store::stats::top_actors(&assaults, 3)).unwrap());
    assert_eq!(v["actors"].as_array().unwrap().len(), 3);
    let v = app.ok("/api/dyads?type=ASSAULT&limit=4").await;
    assert_eq!(v["events"], assaults.len());
    assert_eq!(v["dyads"], serde_json::to_value(annals_store::stats::top_dyads(&assaults, 4)).unwrap());

    // Timeline: one count per period in each series; the quads add up to the events.
    let dated = all.iter().filter(|e| e["date"].is_string()).count() as u64;
    let t = app.ok("/api/timeline").await;
    assert_eq!((t["period"].as_str(), t["by"].as_str()), (Some("month"), Some("quad")));
    let periods = t["periods"].as_array().unwrap();
    assert!(periods.iter().any(|p| p == "2024-05") && periods.iter().any(|p| p == "2023"), "{t}");
    let series = t["series"].as_array().unwrap();
    assert_eq!(series.iter().map(|s| s["key"].as_str().unwrap()).collect::<Vec<_>>(), annals_store::stats::QUADS);
    let mut total = 0;
    for (i, _) in periods.iter().enumerate() {
        let sum: u64 = series.iter().map(|s| s["counts"][i].as_u64().unwrap()).sum();
        assert_eq!(sum, t["events"][i].as_u64().unwrap());
        total += sum;
    }
    assert_eq!(total, dated);
    let t = app.ok("/api/timeline?period=year&by=type&source=RUS").await;
    assert_eq!((t["period"].as_str(), t["by"].as_str()), (Some("year"), Some("type")));
    let rus = app.query(&EventQuery { source: Some("RUS".into()), ..EventQuery::default() });
    let want = annals_store::stats::timeline(&rus, annals_store::stats::Period::Year);
    assert_eq!(t["periods"], json!(want.iter().map(|p| p.period.clone()).collect::<Vec<_>>()));
    for s in t["series"].as_array().unwrap() {
        let key = s["key"].as_str().unwrap();
        let counts: Vec<u64> = want.iter().map(|p| p.by_type.get(key).copied().unwrap_or(0)).collect();
        assert_eq!(s["counts"], json!(counts), "{key}");
    }
    let t = app.ok("/api/timeline?period=week").await;
    assert!(t["periods"].as_array().unwrap().iter().any(|p| p == "2024-W18"), "{t}");

    // Stats: the summary of `annals stats`, with the store's counts.
    let s = app.ok("/api/stats?period=day&top=3&since=2024").await;
    let since = app.query(&EventQuery { since: Some("2024".into()), ..EventQuery::default() });
    let mut want =
        serde_json::to_value(annals_store::stats::stats(&since, annals_store::stats::Period::Day, 3)).unwrap();
    let counts = app.store().counts().unwrap();
    want["store"] = json!({"documents": counts.documents, "stories": counts.stories, "events": counts.events,
                           "mentions": counts.mentions, "actors": counts.actors});
    assert_eq!(s, want);
    assert_eq!(s["store"]["documents"], app.corpus.len());
}

// ---------------------------------------------------------------------------------------------
// Coding and storing
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn code_answers_events_and_places_without_storing() {
    let app = app("code");
    let before = app.store().counts().unwrap();
    let body = json!({"text": "Russian forces attacked Kyiv on Monday.", "date": "2024-05-06", "id": "mine"});
    let (status, _, v) = app.post("/api/code", "application/json", None, body.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["id"], "mine");
    assert_eq!(v["events"][0]["event"], "ASSAULT");
    assert_eq!(v["events"][0]["doc"], "mine");
    assert_eq!(v["events"][0]["date"], "2024-05-06");
    assert_eq!(
        v["places"],
        json!([{"start": 24, "end": 28, "name": "Kyiv", "country": "UKR", "lat": 50.5, "lon": 30.5}])
    );
    // The bare text, and a default id.
    let (status, _, v) = app.post("/api/code", "text/plain; charset=utf-8", None, "Rebels attacked a base.").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["events"].as_array().unwrap().len(), 1);
    assert!(v["id"].as_str().unwrap().starts_with("text-"), "{v}");
    let (_, _, v) = app.post("/api/code", "application/json", None, r#"{"text": "Nothing happened."}"#).await;
    assert_eq!(v["events"], json!([]));
    assert_eq!(app.store().counts().unwrap(), before, "coding stores nothing");

    let bad: [(&str, &str, Option<&str>); 10] = [
        ("{}", "application/json", Some("text")),
        (r#"{"text": ""}"#, "application/json", Some("text")),
        (r#"{"text": "   "}"#, "application/json", Some("text")),
        (r#"{"text": 5}"#, "application/json", Some("text")),
        (r#"{"text": "x", "date": "2024-02-30"}"#, "application/json", Some("date")),
        (r#"{"text": "x", "date": "yesterday"}"#, "application/json", Some("date")),
        (r#"{"text": "x", "txt": "y"}"#, "application/json", Some("txt")),
        (r#"{"text": "x""#, "application/json", None),
        ("[1, 2]", "application/json", None),
        ("", "text/plain", Some("text")),
    ];
    for (body, ct, parameter) in bad {
        let (status, _, v) = app.post("/api/code", ct, None, body.to_string()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert_eq!(v.get("parameter").and_then(Value::as_str), parameter, "{body}: {v}");
        assert!(v["error"].is_string());
    }
    let (status, _, v) = app.post("/api/code", "application/x-www-form-urlencoded", None, "text=hello").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{v}");
    // Over max_body_bytes (4096 here): 413, as JSON.
    let big = json!({"text": "x".repeat(5000)}).to_string();
    let (status, _, v) = app.post("/api/code", "application/json", None, big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert!(v["error"].as_str().unwrap().contains("4096"), "{v}");
    let (status, _, _) = app.post("/api/code", "text/plain", None, "y".repeat(4097)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn storing_a_document_needs_the_token() {
    let app = app("store_document");
    let body = json!({"id": "new-doc", "text": "Russian forces attacked Kyiv.", "date": "2024-06-01",
                      "title": "A new one", "url": "https://news.example/new", "source": "wire"})
    .to_string();
    let basic = format!("Basic {TOKEN}");
    for auth in [None, Some("Bearer wrong-token-xx"), Some(basic.as_str()), Some("Bearer"), Some("")] {
        let (status, headers, v) = app.post("/api/documents", "application/json", auth, body.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}: {v}");
        assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
        assert!(v["error"].is_string());
    }
    assert!(!app.store().has_document("new-doc").unwrap());
    let bearer = format!("Bearer {TOKEN}");
    let (status, _, v) = app.post("/api/documents", "application/json", Some(&bearer), body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v, json!({"id": "new-doc", "stored": true, "events": 1}));
    let doc = app.ok("/api/documents/new-doc").await;
    assert_eq!((doc["title"].as_str(), doc["source"].as_str()), (Some("A new one"), Some("wire")));
    assert_eq!(doc["events"][0]["event"], "ASSAULT");
    let found = app.ok("/api/events?text=attacked&source=RUS&limit=500").await;
    assert!(found["events"].as_array().unwrap().iter().any(|e| e["doc"] == "new-doc"), "{found}");
    // Again: already stored, nothing changes.
    let (status, _, v) = app.post("/api/documents", "application/json", Some(&format!("bearer  {TOKEN} ")), body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v, json!({"id": "new-doc", "stored": false, "events": 1}));
    // Without an id: named by the hash of its text, as `annals ingest` names it.
    let (status, _, v) = app.post("/api/documents", "text/plain", Some(&bearer), "Militants attacked a post.").await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let hash = annals_store::text_hash("Militants attacked a post.");
    assert_eq!(v["id"], format!("text-{}", hash.trim_start_matches("fnv1a64:")));
    // Bad bodies with the right token.
    for (body, parameter) in [
        (r#"{"id": "x"}"#, "text"),
        (r#"{"text": "x", "date": "2024-5-1"}"#, "date"),
        (r#"{"text": "x", "title": 3}"#, "title"),
        (r#"{"text": "x", "author": "me"}"#, "author"),
    ] {
        let (status, _, v) = app.post("/api/documents", "application/json", Some(&bearer), body.to_string()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert_eq!(v["parameter"], parameter, "{body}: {v}");
    }
    let big = json!({"text": "x".repeat(5000)}).to_string();
    let (status, _, _) = app.post("/api/documents", "application/json", Some(&bearer), big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn storing_is_404_without_a_write_token() {
    let app = app_with("no_token", 3, None, 1 << 20);
    let bearer = format!("Bearer {TOKEN}");
    for auth in [None, Some(bearer.as_str())] {
        let (status, _, v) =
            app.post("/api/documents", "application/json", auth, r#"{"text": "Rebels attacked."}"#).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
        assert!(v["error"].as_str().unwrap().contains("disabled"), "{v}");
    }
    assert_eq!(app.store().counts().unwrap().documents, 3);
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_json() {
    let app = app_with("unknown", 3, None, 1 << 20);
    for uri in ["/api/nope", "/api/events/a/b", "/api", "/api/"] {
        let (status, v) = app.get(uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {v}");
        assert!(v["error"].as_str().unwrap().contains("no such API endpoint"), "{uri}: {v}");
    }
    for (method, uri) in [
        (Method::DELETE, "/api/events"),
        (Method::POST, "/api/events/x"),
        (Method::GET, "/api/code"),
        (Method::PUT, "/api/documents"),
        (Method::POST, "/api/openapi.json"),
    ] {
        let req = Request::builder().method(method.clone()).uri(uri).body(Body::empty()).unwrap();
        let (status, headers, v) = app.send(req).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}: {v}");
        assert!(headers.contains_key(header::ALLOW), "{method} {uri}");
        assert!(v["error"].is_string());
    }
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI document
// ---------------------------------------------------------------------------------------------

/// Follows a local `$ref` (`#/components/...`).
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let target = doc.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("unresolved $ref {r}"));
            resolve(doc, target)
        }
        None => v,
    }
}

/// Every `$ref` in the document.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// Checks `value` against the JSON Schema subset the document uses (type, enum,
/// properties, required, additionalProperties, items, min/maxItems, minimum, maximum,
/// minLength, allOf, oneOf, $ref); the problems found, with where.
fn validate(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            validate(doc, s, value, at, errors);
        }
    }
    if let Some(one) = schema.get("oneOf").and_then(Value::as_array) {
        let passing = one
            .iter()
            .filter(|s| {
                let mut e = Vec::new();
                validate(doc, s, value, at, &mut e);
                e.is_empty()
            })
            .count();
        if passing != 1 {
            errors.push(format!("{at}: {passing} oneOf branches match {value}"));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => panic!("{at}: bad type {t}"),
        };
        let is = |ty: &str| match ty {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            other => panic!("{at}: unknown type {other}"),
        };
        if !types.iter().any(|ty| is(ty)) {
            errors.push(format!("{at}: {value} is not {types:?}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(value) {
            errors.push(format!("{at}: {value} not in {e:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), value.as_f64()) {
        if n < min {
            errors.push(format!("{at}: {n} < {min}"));
        }
    }
    if let (Some(max), Some(n)) = (schema.get("maximum").and_then(Value::as_f64), value.as_f64()) {
        if n > max {
            errors.push(format!("{at}: {n} > {max}"));
        }
    }
    if let (Some(min), Some(s)) = (schema.get("minLength").and_then(Value::as_u64), value.as_str()) {
        if (s.chars().count() as u64) < min {
            errors.push(format!("{at}: shorter than {min}"));
        }
    }
    if let Some(obj) = value.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for r in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !obj.contains_key(r.as_str().unwrap()) {
                errors.push(format!("{at}: required {r} missing"));
            }
        }
        for (k, v) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(doc, s, v, &format!("{at}.{k}"), errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => errors.push(format!("{at}: unexpected {k}")),
                    Some(s @ Value::Object(_)) => validate(doc, s, v, &format!("{at}.{k}"), errors),
                    _ => {}
                },
            }
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(s) = schema.get("items") {
            for (i, v) in items.iter().enumerate() {
                validate(doc, s, v, &format!("{at}[{i}]"), errors);
            }
        }
        let n = items.len() as u64;
        if schema.get("minItems").and_then(Value::as_u64).is_some_and(|m| n < m)
            || schema.get("maxItems").and_then(Value::as_u64).is_some_and(|m| n > m)
        {
            errors.push(format!("{at}: {n} items"));
        }
    }
}

/// Checks a real answer against what the document says `method path` answers with
/// `status`.
fn check_answer(doc: &Value, method: &str, template: &str, status: StatusCode, body: &Value) {
    let op = &doc["paths"][template][method];
    assert!(op.is_object(), "{method} {template} is not documented");
    let response = op["responses"]
        .get(status.as_str())
        .unwrap_or_else(|| panic!("{method} {template}: answer {status} is not documented"));
    let response = resolve(doc, response);
    let schema = &response["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "{method} {template} {status}: no JSON schema");
    let mut errors = Vec::new();
    validate(doc, schema, body, "$", &mut errors);
    assert!(errors.is_empty(), "{method} {template} {status}: {errors:#?}");
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let app = app("openapi");
    let doc = app.ok("/api/openapi.json").await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());

    // Every $ref resolves.
    let mut all_refs = Vec::new();
    refs(&doc, &mut all_refs);
    assert!(all_refs.len() > 30);
    for r in &all_refs {
        assert!(r.starts_with("#/components/"), "{r}");
        assert!(doc.pointer(r.trim_start_matches('#')).is_some(), "unresolved {r}");
    }

    // The documented operations are exactly the router's.
    let paths = doc["paths"].as_object().unwrap();
    let documented: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(p, item)| item.as_object().unwrap().keys().map(move |m| (m.clone(), p.clone())))
        .collect();
    let routed: BTreeSet<(String, String)> =
        ENDPOINTS.iter().map(|e| (e.verb.as_str().to_string(), e.path.to_string())).collect();
    assert_eq!(documented, routed);
    assert_eq!(documented.len(), 10);
    for want in [
        "/api/events",
        "/api/events/{id}",
        "/api/documents/{id}",
        "/api/documents",
        "/api/actors",
        "/api/dyads",
        "/api/timeline",
        "/api/stats",
        "/api/code",
        "/api/openapi.json",
    ] {
        assert!(paths.contains_key(want), "{want}");
    }
    let mut op_ids = HashSet::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let what = format!("{method} {path}");
            assert!(op_ids.insert(op["operationId"].as_str().unwrap().to_string()), "{what}: operationId repeats");
            assert!(op["summary"].is_string(), "{what}");
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.keys().any(|k| k.starts_with('2')), "{what}: no success answer");
            for (code, r) in responses {
                let r = resolve(&doc, r);
                assert!(r["description"].is_string(), "{what} {code}");
                if code.starts_with('4') || code.starts_with('5') {
                    assert_eq!(
                        r["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error",
                        "{what} {code}"
                    );
                }
            }
            // Path parameters: exactly the template's names, required.
            let params = op["parameters"].as_array().unwrap();
            let in_path: Vec<&str> =
                params.iter().filter(|p| p["in"] == "path").map(|p| p["name"].as_str().unwrap()).collect();
            assert_eq!(in_path, annals_serve::openapi::path_parameters(path), "{what}");
            assert!(params.iter().filter(|p| p["in"] == "path").all(|p| p["required"] == true));
            for p in params {
                assert!(p["schema"].is_object() && p["description"].is_string(), "{what}: {p}");
            }
            // Request bodies for the POSTs only.
            assert_eq!(op.get("requestBody").is_some(), method == "post" && path != "/api/openapi.json", "{what}");
        }
    }
    for (path, codes) in [
        ("/api/events", &["200", "400"][..]),
        ("/api/events/{id}", &["200", "404"]),
        ("/api/documents/{id}", &["200", "404"]),
        ("/api/code", &["200", "400", "413"]),
        ("/api/documents", &["201", "400", "401", "404", "413"]),
    ] {
        let item = &doc["paths"][path];
        let op = item.get("get").or_else(|| item.get("post")).unwrap();
        for c in codes {
            assert!(op["responses"].get(*c).is_some(), "{path} lacks {c}");
        }
    }

    // Query parameters: each endpoint's documented names are the names it accepts. Each
    // documented one with its example is accepted; any other name is a 400 naming it.
    for e in &ENDPOINTS {
        let op = &doc["paths"][e.path][e.verb.as_str()];
        let documented: Vec<&str> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["in"] == "query")
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        let accepted: Vec<&str> = e.query.iter().map(|p| p.name).collect();
        assert_eq!(documented, accepted, "{}", e.path);
        if e.verb.as_str() != "get" || e.path.contains('{') {
            continue;
        }
        for p in op["parameters"].as_array().unwrap() {
            let (name, example) = (p["name"].as_str().unwrap(), p["example"].as_str().unwrap());
            let (status, v) = app.get(&format!("{}?{name}={}", e.path, enc(example))).await;
            assert_eq!(status, StatusCode::OK, "{} {name}={example}: {v}", e.path);
        }
        let (status, v) = app.get(&format!("{}?not_a_parameter=1", e.path)).await;
        assert_eq!((status, v["parameter"].as_str()), (StatusCode::BAD_REQUEST, Some("not_a_parameter")));
    }
    // The filtered endpoints all take the filters of `annals events`.
    for op in [Op::Events, Op::Actors, Op::Dyads, Op::Timeline, Op::Stats] {
        let q = annals_serve::api::query_of(op);
        assert_eq!(q[..FILTERS.len()], FILTERS, "{op:?}");
    }
    let events_params: Vec<&str> = annals_serve::api::query_of(Op::Events).iter().map(|p| p.name).collect();
    assert_eq!(
        events_params,
        ["source", "target", "dyad", "type", "mode", "since", "until", "place", "text", "limit", "cursor"]
    );
    let limit = doc["paths"]["/api/events"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!((limit["schema"]["maximum"].as_u64(), limit["schema"]["default"].as_u64()), (Some(500), Some(100)));

    // Real answers match the documented schemas.
    let event_id = app.query(&EventQuery::default())[0]["id"].as_str().unwrap().to_string();
    let doc_id = &app.corpus[1].0.id;
    let gets = [
        ("/api/events".to_string(), "/api/events"),
        ("/api/events?limit=500".to_string(), "/api/events"),
        ("/api/events?limit=0".to_string(), "/api/events"),
        (format!("/api/events/{}", enc(&event_id)), "/api/events/{id}"),
        ("/api/events/none".to_string(), "/api/events/{id}"),
        (format!("/api/documents/{}", enc(doc_id)), "/api/documents/{id}"),
        ("/api/documents/none".to_string(), "/api/documents/{id}"),
        ("/api/actors".to_string(), "/api/actors"),
        ("/api/dyads?type=ACCUSE".to_string(), "/api/dyads"),
        ("/api/timeline?by=type&period=week".to_string(), "/api/timeline"),
        ("/api/timeline?by=x".to_string(), "/api/timeline"),
        ("/api/stats".to_string(), "/api/stats"),
        ("/api/openapi.json".to_string(), "/api/openapi.json"),
    ];
    for (uri, template) in &gets {
        let (status, v) = app.get(uri).await;
        check_answer(&doc, "get", template, status, &v);
    }
    let bearer = format!("Bearer {TOKEN}");
    let posts = [
        ("/api/code", r#"{"text": "Russian forces attacked Kyiv."}"#.to_string(), None),
        ("/api/code", r#"{"text": ""}"#.to_string(), None),
        ("/api/code", json!({"text": "x".repeat(5000)}).to_string(), None),
        ("/api/documents", r#"{"id": "d1", "text": "Rebels attacked Kyiv."}"#.to_string(), Some(bearer.as_str())),
        ("/api/documents", r#"{"id": "d1", "text": "Rebels attacked Kyiv."}"#.to_string(), Some(bearer.as_str())),
        ("/api/documents", r#"{"text": "Rebels attacked Kyiv."}"#.to_string(), None),
        ("/api/documents", r#"{"text": 1}"#.to_string(), Some(bearer.as_str())),
    ];
    for (uri, body, auth) in &posts {
        let (status, _, v) = app.post(uri, "application/json", *auth, body.clone()).await;
        check_answer(&doc, "post", uri, status, &v);
    }
    // And a request body the document describes is one the server takes.
    let schema = &doc["components"]["schemas"]["CodeRequest"];
    let body = json!({"text": "Rebels attacked.", "date": "2024-05-01", "id": "x"});
    let mut errors = Vec::new();
    validate(&doc, schema, &body, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    let (status, _, _) = app.post("/api/code", "application/json", None, body.to_string()).await;
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn the_openapi_document_parses_as_openapi_3_1() {
    let config = ServeConfig {
        db: String::new(),
        addr: "127.0.0.1:0".parse().unwrap(),
        write_token: None,
        max_body_bytes: 1 << 20,
        max_limit: 1000,
        coder: Arc::new(fake_coder),
    };
    let doc = annals_serve::openapi::document(&config);
    let spec = oas3::from_json(doc.to_string()).unwrap_or_else(|e| panic!("not an OpenAPI document: {e}"));
    let version = spec.validate_version().unwrap();
    assert_eq!((version.major, version.minor), (3, 1));
    let ops: Vec<_> = spec.operations().collect();
    assert_eq!(ops.len(), ENDPOINTS.len());
    for (path, method, op) in ops {
        let what = format!("{method} {path}");
        let documented = &doc["paths"][&path][method.as_str().to_ascii_lowercase()];
        // Everything resolves: the parser drops what does not.
        let params = op.parameters(&spec).unwrap();
        assert_eq!(params.len(), documented["parameters"].as_array().unwrap().len(), "{what}");
        let responses = op.responses(&spec);
        assert_eq!(responses.len(), documented["responses"].as_object().unwrap().len(), "{what}");
        for (code, r) in &responses {
            for media in r.content.values() {
                media.schema.as_ref().unwrap().resolve(&spec).unwrap_or_else(|e| panic!("{what} {code}: {e}"));
            }
        }
        assert_eq!(op.request_body(&spec).unwrap().is_some(), documented.get("requestBody").is_some(), "{what}");
    }
    let components = spec.components.as_ref().unwrap();
    assert!(components.schemas.len() > 20);
    for (name, schema) in &components.schemas {
        schema.resolve(&spec).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
