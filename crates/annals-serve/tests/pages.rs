//! The dashboard's pages, in process: each test builds a SQLite store in the temporary
//! folder from synthetic event records (with an article that contains
//! `<script>alert(1)</script>`, and actor names full of quotes and ampersands), serves it
//! with a fake coder through `annals_serve::server::router`, and sends requests with
//! `tower::ServiceExt::oneshot`. It checks the answers' status and headers, that every page
//! parses as XML (every element closed, every attribute quoted), that the filters filter,
//! that nothing from the store or the user reaches a page unescaped, and that the charts
//! have their axes, legends and outlines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use annals_events::{ActorRecord, EventRecord, EventType, LocationRecord, TriggerRecord};
use annals_serve::pages::CSP;
use annals_serve::server::{router, AppState, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LIMIT};
use annals_serve::{CodeRequest, CodedText, PlaceSpan, ServeConfig};
use annals_store::{Store, StoredDocument};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use tower::ServiceExt;

const XSS: &str = "<script>alert(1)</script>";
const XSS_ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";
/// An organization whose name needs escaping everywhere.
const ODD_ORG: &str = "Tom & Jerry \"Cats\" <Ltd>";

// ---------------------------------------------------------------------------------------------
// The synthetic store
// ---------------------------------------------------------------------------------------------

/// A database file, removed (with its companions) when dropped.
struct TempDb(PathBuf);

impl TempDb {
    fn new(name: &str) -> TempDb {
        let path = std::env::temp_dir().join(format!("annals-serve-pages-{}-{name}.db", std::process::id()));
        remove(&path);
        TempDb(path)
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

#[derive(Clone, Copy)]
struct Actor {
    text: &'static str,
    name: Option<&'static str>,
    country: Option<&'static str>,
    sector: Option<&'static str>,
    org: Option<&'static str>,
}

const ISRAEL: Actor = Actor { text: "Israel", name: None, country: Some("ISR"), sector: None, org: None };
const MILITANTS: Actor =
    Actor { text: "Palestinian militants", name: None, country: Some("PSE"), sector: Some("REB"), org: None };
const BLINKEN: Actor = Actor {
    text: "Antony Blinken",
    name: Some("Antony Blinken"),
    country: Some("USA"),
    sector: Some("GOV"),
    org: None,
};
const ODD: Actor = Actor { text: ODD_ORG, name: None, country: None, sector: Some("NGO"), org: Some(ODD_ORG) };
const ACTORS: [Actor; 4] = [ISRAEL, MILITANTS, BLINKEN, ODD];

const PLACES: [(&str, &str, f64, f64); 3] =
    [("Gaza", "PSE", 31.5, 34.47), ("Jerusalem", "ISR", 31.78, 35.22), ("Washington", "USA", 38.9, -77.04)];

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn actor_record(a: Actor, start: usize) -> ActorRecord {
    ActorRecord {
        text: a.text.to_string(),
        name: a.name.map(str::to_string),
        country: a.country.map(str::to_string),
        sector: a.sector.map(str::to_string),
        org: a.org.map(str::to_string),
        span: [start, start + chars(a.text)],
    }
}

/// "PREFIX SOURCE TRIGGER TARGET in PLACE." and its event record.
#[allow(clippy::too_many_arguments)]
fn sentence_event(
    prefix: &str,
    doc: &str,
    sentence_no: usize,
    event: EventType,
    source: Actor,
    target: Actor,
    place: Option<(&str, &str, f64, f64)>,
    date: &str,
) -> (String, EventRecord) {
    let trigger = event.as_str().to_lowercase() + "ed";
    let mut text = format!("{prefix}{} {} {}", source.text, trigger, target.text);
    if let Some((p, ..)) = place {
        text += &format!(" in {p}");
    }
    text += ".";
    let base = chars(prefix);
    let t_start = base + chars(source.text) + 1;
    let target_start = t_start + chars(&trigger) + 1;
    let record = EventRecord {
        id: format!("{doc}:{sentence_no}:0"),
        doc: doc.to_string(),
        sentence: sentence_no,
        event: event.as_str(),
        mode: None,
        context: Vec::new(),
        source: vec![actor_record(source, base)],
        target: vec![actor_record(target, target_start)],
        trigger: TriggerRecord { text: trigger.clone(), span: [t_start, t_start + chars(&trigger)] },
        negated: false,
        location: place.map(|(name, country, lat, lon)| LocationRecord {
            name: name.to_string(),
            country: Some(country.to_string()),
            lat: Some(lat),
            lon: Some(lon),
            precision: "sentence".to_string(),
        }),
        date: Some(date.to_string()),
        date_precision: Some("day"),
        text: text.clone(),
        confidence: 0.8,
        quad: event.quad().as_str(),
        why: "lexicon:test -> synthetic & \"quoted\"".to_string(),
        dropped: None,
        trigger_tokens: 0..0,
    };
    (text, record)
}

/// The synthetic documents: 60 short ones with 3 events each, over 60 days, cycling through
/// types, actors and places; an article with a script in its text and title; and a long
/// story with a near-duplicate copy.
fn documents() -> Vec<(StoredDocument, Vec<EventRecord>)> {
    let mut out = Vec::new();
    let types = EventType::ALL;
    let mut k = 0usize;
    for i in 0..60 {
        let doc = format!("doc-{i:03}");
        let day = 1 + (i % 28);
        let month = 4 + i / 20;
        let date = format!("2024-{month:02}-{day:02}");
        let mut text = String::from("Officials spoke on the record.");
        let mut records = Vec::new();
        for s in 1..=3 {
            let source = ACTORS[k % ACTORS.len()];
            let target = ACTORS[(k + 1 + k / 4) % ACTORS.len()];
            let place = if k % 5 == 4 { None } else { Some(PLACES[k % PLACES.len()]) };
            let (sentence, record) = sentence_event("", &doc, s, types[k % types.len()], source, target, place, &date);
            text += " ";
            text += &sentence;
            records.push(record);
            k += 1;
        }
        out.push((
            StoredDocument {
                id: doc.clone(),
                text,
                date: Some(date),
                title: Some(format!("Report {i}")),
                url: Some(format!("https://example.org/news/{i}?a=1&b=2")),
                source: Some(if i % 2 == 0 { "Wire A" } else { "Wire B" }.to_string()),
            },
            records,
        ));
    }

    // The article with markup in it.
    let prefix = format!("{XSS} ");
    let (sentence, record) =
        sentence_event(&prefix, "xss-doc", 1, EventType::Assault, ISRAEL, MILITANTS, Some(PLACES[0]), "2024-05-15");
    let text = format!("Breaking & more. {sentence} Crowds gathered in Gaza.");
    out.push((
        StoredDocument {
            id: "xss-doc".into(),
            text,
            date: Some("2024-05-15".into()),
            title: Some(format!("Title {XSS}")),
            url: Some("javascript:alert(1)".into()),
            source: Some(format!("Source {XSS}")),
        },
        vec![record],
    ));

    // A long story and its copy (near-duplicates: the store merges their events).
    let filler = "The talks continued late into the night as delegations from both sides met with mediators \
                  to discuss the terms of a possible agreement on prisoners, aid deliveries and the reopening of \
                  border crossings, while diplomats warned that the gaps remained wide and that any deal would \
                  need the approval of several governments.";
    for (id, title) in [("story-a", "Talks go on"), ("story-b", "Talks continue (updated)")] {
        let (sentence, record) =
            sentence_event("", id, 1, EventType::Consult, BLINKEN, ISRAEL, Some(PLACES[1]), "2024-05-20");
        out.push((
            StoredDocument {
                id: id.into(),
                text: format!("{filler} {sentence}"),
                date: Some("2024-05-20".into()),
                title: Some(title.into()),
                url: None,
                source: Some(format!("Outlet {id}")),
            },
            vec![record],
        ));
    }
    out
}

/// The fake coder: an ASSAULT by Israel on militants when the text names both ("Israel" …
/// "militants"), the text's "Gaza"s as places; an actor with markup in its name.
fn fake_coder(req: &CodeRequest) -> CodedText {
    let text = &req.text;
    let char_at = |byte: usize| text[..byte].chars().count();
    let mut events = Vec::new();
    if let (Some(src), Some(tgt)) = (text.find("Israel"), text.find("militants")) {
        let mut source = actor_record(ISRAEL, char_at(src));
        source.org = Some("<img src=x onerror=alert(2)>".into());
        events.push(EventRecord {
            id: format!("{}:0:0", req.id),
            doc: req.id.clone(),
            sentence: 0,
            event: "ASSAULT",
            mode: Some("beat".into()),
            context: Vec::new(),
            source: vec![source],
            target: vec![ActorRecord {
                text: "militants".into(),
                name: None,
                country: Some("PSE".into()),
                sector: Some("REB".into()),
                org: None,
                span: [char_at(tgt), char_at(tgt) + 9],
            }],
            trigger: TriggerRecord { text: String::new(), span: [0, 0] },
            negated: false,
            location: None,
            date: req.date.clone(),
            date_precision: Some("day"),
            text: text.clone(),
            confidence: 0.5,
            quad: "material_conflict",
            why: "fake".into(),
            dropped: None,
            trigger_tokens: 0..0,
        });
    }
    let places = text
        .match_indices("Gaza")
        .map(|(b, _)| PlaceSpan {
            start: char_at(b),
            end: char_at(b) + 4,
            name: "Gaza".into(),
            country: Some("PSE".into()),
            lat: Some(31.5),
            lon: Some(34.47),
        })
        .collect();
    CodedText { events, places }
}

struct App {
    router: axum::Router,
    _db: TempDb,
}

fn app(name: &str) -> App {
    let db = TempDb::new(name);
    let target = db.0.display().to_string();
    {
        let mut store = Store::open(&target).unwrap();
        store.ingest_batch(&documents(), false).unwrap();
    }
    let config = ServeConfig {
        db: target,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        write_token: None,
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        max_limit: DEFAULT_MAX_LIMIT,
        coder: Arc::new(fake_coder),
    };
    let state = Arc::new(AppState::new(config).unwrap());
    App { router: router(state), _db: db }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl App {
    async fn send(&self, req: Request<Body>) -> Answer {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        Answer { status, headers, body: String::from_utf8(bytes.to_vec()).unwrap() }
    }

    async fn get(&self, uri: &str) -> Answer {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    async fn post_form(&self, uri: &str, pairs: &[(&str, &str)]) -> Answer {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

impl Answer {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Checks the answer is an HTML page with the security headers, well-formed as XML.
    fn page(&self, expected: StatusCode) -> roxmltree::Document<'_> {
        assert_eq!(self.status, expected, "{}", &self.body[..self.body.len().min(3000)]);
        assert_eq!(self.header(header::CONTENT_SECURITY_POLICY), CSP);
        assert_eq!(self.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(self.header(header::CONTENT_TYPE), "text/html; charset=utf-8");
        assert_eq!(self.body.matches("<script").count(), 1, "only the page's own script tag");
        assert!(!self.body.contains("style="), "no inline styles");
        let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
        match roxmltree::Document::parse_with_options(&self.body, options) {
            Ok(doc) => doc,
            Err(e) => panic!("not well-formed: {e}\n{}", &self.body),
        }
    }
}

fn by_id<'a>(doc: &'a roxmltree::Document<'a>, id: &str) -> Option<roxmltree::Node<'a, 'a>> {
    doc.descendants().find(|n| n.attribute("id") == Some(id))
}

fn has_class(n: &roxmltree::Node, class: &str) -> bool {
    n.attribute("class").is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

fn rows<'a>(doc: &'a roxmltree::Document<'a>, table_id: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    match by_id(doc, table_id) {
        Some(t) => t
            .descendants()
            .filter(|n| n.has_tag_name("tbody"))
            .flat_map(|b| b.children())
            .filter(|n| n.has_tag_name("tr"))
            .collect(),
        None => Vec::new(),
    }
}

fn text_of(n: roxmltree::Node) -> String {
    n.descendants().filter(|d| d.is_text()).map(|d| d.text().unwrap_or("")).collect()
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_page_answers_with_the_security_headers_and_parses() {
    let app = app("every-page");
    for uri in [
        "/",
        "/?type=ASSAULT&since=2024-04&until=2024-05-31",
        "/dyad",
        "/dyad?a=ISR&b=PSE",
        "/dyad?a=ISR&b=---%2FNGO&period=month",
        "/network",
        "/network?type=ACCUSE",
        "/map",
        "/map?source=ISR",
        "/documents/xss-doc",
        "/documents/story-a",
        "/code",
    ] {
        let answer = app.get(uri).await;
        let doc = answer.page(StatusCode::OK);
        assert!(by_id(&doc, "main").is_some(), "{uri}");
        assert!(doc.descendants().any(|n| has_class(&n, "skip-link")), "{uri}");
    }
    let answer = app.post_form("/code", &[("text", "Israel struck militants in Gaza."), ("date", "")]).await;
    answer.page(StatusCode::OK);
}

#[tokio::test]
async fn static_files_have_their_types_and_a_cache_header() {
    let app = app("static");
    let css = app.get("/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header(header::CONTENT_TYPE), "text/css; charset=utf-8");
    assert!(css.header(header::CACHE_CONTROL).contains("max-age"));
    assert_eq!(css.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(css.body, annals_serve::html::APP_CSS);
    let js = app.get("/static/app.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(js.header(header::CONTENT_TYPE), "text/javascript; charset=utf-8");
    assert!(js.header(header::CACHE_CONTROL).contains("max-age"));
    assert_eq!(js.body, annals_serve::html::APP_JS);
}

#[tokio::test]
async fn the_events_page_has_the_form_and_the_type_filter_limits_the_rows() {
    let app = app("type-filter");
    let all = app.get("/").await;
    let doc = all.page(StatusCode::OK);
    let form = doc.descendants().find(|n| n.has_tag_name("form") && has_class(n, "filters")).unwrap();
    assert_eq!(form.attribute("method"), Some("get"));
    for field in ["source", "target", "dyad", "type", "since", "until", "place", "text"] {
        let input = by_id(&doc, field).unwrap_or_else(|| panic!("no #{field}"));
        assert_eq!(input.attribute("name"), Some(field));
        assert!(
            doc.descendants().any(|n| n.has_tag_name("label") && n.attribute("for") == Some(field)),
            "{field} has no label"
        );
    }
    let select = by_id(&doc, "type").unwrap();
    assert!(select.has_tag_name("select"));
    assert_eq!(select.descendants().filter(|n| n.has_tag_name("option")).count(), 17);
    assert_eq!(by_id(&doc, "apply").unwrap().attribute("type"), Some("submit"));
    let table = by_id(&doc, "events").unwrap();
    assert!(has_class(&table, "sortable"));
    assert!(has_class(&table.parent().unwrap(), "table-wrap"));
    let all_rows = rows(&doc, "events");
    assert_eq!(all_rows.len(), 100, "a full first page");

    let assaults = app.get("/?type=ASSAULT").await;
    let doc = assaults.page(StatusCode::OK);
    let r = rows(&doc, "events");
    assert!(!r.is_empty());
    assert!(r.len() < 30, "{}", r.len());
    assert!(r.iter().all(|row| row.attribute("data-type") == Some("ASSAULT")));
    let selected = by_id(&doc, "type")
        .unwrap()
        .descendants()
        .find(|n| n.attribute("selected").is_some())
        .and_then(|n| n.attribute("value"));
    assert_eq!(selected, Some("ASSAULT"), "the form keeps the chosen type");
    // Every row links to its evidence.
    for row in &r {
        let link = row.descendants().find(|n| n.has_tag_name("a")).unwrap().attribute("href").unwrap();
        assert!(link.starts_with("/documents/") && link.contains("#event-"), "{link}");
    }

    let none = app.get("/?type=ASSAULT&source=nobody").await;
    let doc = none.page(StatusCode::OK);
    assert!(rows(&doc, "events").is_empty());
    assert!(none.body.contains("No events match these filters."));
}

#[tokio::test]
async fn the_events_page_pages_forward_without_gaps_or_repeats() {
    let app = app("paging");
    let mut seen: Vec<String> = Vec::new();
    let mut uri = "/?since=2024".to_string();
    for _ in 0..10 {
        let answer = app.get(&uri).await;
        let doc = answer.page(StatusCode::OK);
        for row in rows(&doc, "events") {
            let href = row.descendants().find(|n| n.has_tag_name("a")).unwrap().attribute("href").unwrap();
            seen.push(href.to_string());
        }
        match by_id(&doc, "next-page") {
            Some(next) => uri = next.attribute("href").unwrap().to_string(),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no event twice");
    let mut store = Store::open_read_only(&app._db.0.display().to_string()).unwrap();
    let total = store.query(&annals_store::EventQuery::default()).unwrap().len();
    assert!(total > 100);
    assert_eq!(seen.len(), total, "every event once");
}

#[tokio::test]
async fn markup_from_the_store_is_only_ever_shown_escaped() {
    let app = app("xss");
    let answer = app.get("/documents/xss-doc").await;
    let doc = answer.page(StatusCode::OK);
    assert!(answer.body.contains(XSS_ESCAPED));
    assert!(!answer.body.contains(XSS));
    let article = by_id(&doc, "article").unwrap();
    assert!(text_of(article).contains(XSS), "the script is shown as text");
    // The javascript: URL is not a link.
    assert!(!doc.descendants().any(|n| n.attribute("href").is_some_and(|h| h.contains("javascript"))));

    let events = app.get("/?text=struck+Gaza&since=2024-05-15&until=2024-05-15").await;
    events.page(StatusCode::OK);
    let events = app.get("/?since=2024-05-15&until=2024-05-15").await;
    let doc = events.page(StatusCode::OK);
    assert!(!events.body.contains(XSS));
    assert!(events.body.contains(XSS_ESCAPED), "the sentence, escaped, as the evidence link's title");
    assert!(rows(&doc, "events")
        .iter()
        .any(|r| r.descendants().any(|a| a.attribute("href") == Some("/documents/xss-doc#event-xss-doc:1:0"))));

    // Actor names with quotes, ampersands and brackets.
    let network = app.get("/network").await;
    network.page(StatusCode::OK);
    assert!(network.body.contains("Tom &amp; Jerry &quot;Cats&quot; &lt;Ltd&gt;"));
    assert!(!network.body.contains(ODD_ORG));

    // The code page, with the script in the text and markup in an actor.
    let text = format!("{XSS} Israel struck militants in Gaza.");
    let coded = app.post_form("/code", &[("text", &text), ("date", "2024-05-01")]).await;
    let doc = coded.page(StatusCode::OK);
    assert!(!coded.body.contains(XSS));
    assert!(!coded.body.contains("<img"));
    assert!(coded.body.contains(XSS_ESCAPED));
    let result = by_id(&doc, "code-result").unwrap();
    assert!(text_of(result).contains(XSS));
    assert!(text_of(by_id(&doc, "code-text").unwrap()).contains(XSS), "the form keeps the text");
}

#[tokio::test]
async fn unknown_documents_are_404_pages() {
    let app = app("not-found");
    let answer = app.get("/documents/no-such-doc").await;
    let doc = answer.page(StatusCode::NOT_FOUND);
    assert!(text_of(by_id(&doc, "main").unwrap()).contains("no-such-doc"));
    let answer = app.get("/documents/%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    answer.page(StatusCode::NOT_FOUND);
    assert!(!answer.body.contains(XSS));
    // Other paths are 404 pages too; the API keeps its JSON answers.
    app.get("/no/such/page").await.page(StatusCode::NOT_FOUND);
    app.get("/documents/").await.page(StatusCode::NOT_FOUND);
    let api = app.get("/api/no-such-endpoint").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.header(header::CONTENT_TYPE).starts_with("application/json"), "{}", api.header(header::CONTENT_TYPE));
}

#[tokio::test]
async fn bad_parameters_are_400_pages_with_a_message() {
    let app = app("bad-params");
    for (uri, field) in [
        ("/?since=yesterday", "since"),
        ("/?until=2024-13-01", "until"),
        ("/?type=BOMB", "type"),
        ("/?dyad=ISR", "dyad"),
        ("/?since=2024-06&until=2024-05", "until"),
        ("/?after_date=soon&after_id=x", "after_id"),
        ("/dyad?a=ISR", "b"),
        ("/dyad?a=ISR&b=PSE&period=fortnight", "period"),
        ("/dyad?a=ISR&b=PSE&since=tomorrow", "since"),
        ("/network?type=nope", "type"),
        ("/map?since=%3Cscript%3E", "since"),
    ] {
        let answer = app.get(uri).await;
        let doc = answer.page(StatusCode::BAD_REQUEST);
        let summary = doc.descendants().find(|n| has_class(n, "error-summary")).unwrap_or_else(|| panic!("{uri}"));
        assert!(summary.descendants().any(|n| n.attribute("href") == Some(&format!("#{field}"))), "{uri}");
        assert!(!answer.body.contains("<script>"), "{uri}");
        if let Some(input) = by_id(&doc, field) {
            assert_eq!(input.attribute("aria-invalid"), Some("true"), "{uri}");
        }
    }
}

#[tokio::test]
async fn the_dyad_page_draws_both_directions_with_axes_and_legends() {
    let app = app("dyad");
    let answer = app.get("/dyad?a=ISR&b=PSE").await;
    let doc = answer.page(StatusCode::OK);
    let charts: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("svg")).collect();
    assert_eq!(charts.len(), 2, "a→b and b→a");
    for svg in &charts {
        let texts: Vec<String> = svg.descendants().filter(|n| n.has_tag_name("text")).map(text_of).collect();
        for needed in ["period", "events", "verbal cooperation", "material conflict"] {
            assert!(texts.iter().any(|t| t == needed), "no {needed:?} in {texts:?}");
        }
        assert!(svg.descendants().any(|n| has_class(&n, "legend")));
        assert_eq!(svg.descendants().filter(|n| n.has_tag_name("polyline")).count(), 4);
    }
    assert!(answer.body.contains("counted per week"), "60 days of data: weeks");
    let events = rows(&doc, "dyad-events");
    assert!(!events.is_empty());

    let daily = app.get("/dyad?a=ISR&b=PSE&period=day&since=2024-04-01&until=2024-04-10").await;
    daily.page(StatusCode::OK);
    assert!(daily.body.contains("counted per day"));

    // The index lists top dyads linking to their pages; a label works as an actor.
    let index = app.get("/dyad").await;
    let doc = index.page(StatusCode::OK);
    let links: Vec<&str> = rows(&doc, "top-dyads-table")
        .iter()
        .filter_map(|r| r.descendants().find(|n| n.has_tag_name("a")).and_then(|a| a.attribute("href")))
        .collect();
    assert!(!links.is_empty());
    let labelled = links.iter().find(|l| l.contains("PSE%2FREB")).expect("a dyad with PSE/REB");
    let page = app.get(labelled).await;
    let doc = page.page(StatusCode::OK);
    assert!(!rows(&doc, "dyad-events").is_empty(), "{labelled}");
}

#[tokio::test]
async fn the_network_and_map_pages_have_their_charts_and_tables() {
    let app = app("charts");
    let network = app.get("/network").await;
    let doc = network.page(StatusCode::OK);
    let svg = doc.descendants().find(|n| n.has_tag_name("svg")).unwrap();
    assert_eq!(svg.attribute("role"), Some("img"));
    assert!(!rows(&doc, "network-edges").is_empty());
    assert_eq!(rows(&doc, "network-actors").len(), 4);

    let map = app.get("/map").await;
    let doc = map.page(StatusCode::OK);
    let countries = doc.descendants().find(|n| has_class(n, "countries")).expect("the world outline");
    assert!(countries.children().filter(|n| n.is_element()).count() > 100);
    let points = doc.descendants().find(|n| has_class(n, "points")).unwrap();
    assert_eq!(points.children().filter(|n| n.is_element()).count(), 3, "three places");
    let places = rows(&doc, "places");
    assert_eq!(places.len(), 3);
    let link = places[0].descendants().find(|n| n.has_tag_name("a")).unwrap().attribute("href").unwrap();
    assert!(link.starts_with("/?place="), "{link}");

    let filtered = app.get("/map?place=Washington").await;
    let doc = filtered.page(StatusCode::OK);
    assert_eq!(rows(&doc, "places").len(), 1);
}

#[tokio::test]
async fn the_document_page_highlights_its_evidence_and_lists_its_events() {
    let app = app("document");
    let answer = app.get("/documents/xss-doc").await;
    let doc = answer.page(StatusCode::OK);
    let article = by_id(&doc, "article").unwrap();
    let marks: Vec<(String, String)> = article
        .descendants()
        .filter(|n| n.has_tag_name("mark") && !n.ancestors().any(|a| has_class(&a, "mark-legend")))
        .map(|n| (n.attribute("class").unwrap().to_string(), text_of(n)))
        .collect();
    assert_eq!(
        marks,
        vec![
            ("actor".to_string(), "Israel".to_string()),
            ("trigger".to_string(), "assaulted".to_string()),
            ("actor".to_string(), "Palestinian militants".to_string()),
            ("place".to_string(), "Gaza".to_string()),
            ("place".to_string(), "Gaza".to_string()),
        ]
    );
    assert!(article
        .descendants()
        .filter(|n| n.has_tag_name("mark") && !n.ancestors().any(|a| has_class(&a, "mark-legend")))
        .all(|m| m.attribute("title").is_some()));
    let card = by_id(&doc, "event-xss-doc:1:0").expect("the event's card");
    let card_text = text_of(card);
    assert!(
        card_text.contains("ASSAULT") && card_text.contains("0.80") && card_text.contains("synthetic & \"quoted\"")
    );
    assert!(card_text.contains("1 mention in 1 source"), "{card_text}");

    // Near-duplicates link to each other; their shared event counts both reports.
    let answer = app.get("/documents/story-b").await;
    let doc = answer.page(StatusCode::OK);
    assert!(doc.descendants().any(|n| n.attribute("href") == Some("/documents/story-a")));
    let card = by_id(&doc, "event-story-b:1:0").unwrap();
    assert!(text_of(card).contains("2 mentions in 2 sources"), "{}", text_of(card));
    // An http(s) URL is a link.
    let answer = app.get("/documents/doc-001").await;
    let doc = answer.page(StatusCode::OK);
    assert!(doc.descendants().any(|n| n.attribute("href") == Some("https://example.org/news/1?a=1&b=2")));
}

#[tokio::test]
async fn the_code_page_codes_on_the_server_without_javascript() {
    let app = app("code");
    let empty = app.get("/code").await;
    let doc = empty.page(StatusCode::OK);
    let form = by_id(&doc, "code-form").unwrap();
    assert_eq!(form.attribute("method"), Some("post"));
    assert_eq!(form.attribute("action"), Some("/code"));
    assert_eq!(by_id(&doc, "code-text").unwrap().attribute("name"), Some("text"));
    assert_eq!(by_id(&doc, "code-date").unwrap().attribute("name"), Some("date"));
    assert_eq!(by_id(&doc, "code-submit").unwrap().attribute("type"), Some("submit"));
    assert!(by_id(&doc, "code-result").is_some());

    let answer =
        app.post_form("/code", &[("text", "Israel struck militants near Gaza."), ("date", "2024-05-01")]).await;
    let doc = answer.page(StatusCode::OK);
    let coded: Vec<_> = doc.descendants().filter(|n| has_class(n, "coded-event")).collect();
    assert_eq!(coded.len(), 1);
    assert_eq!(coded[0].attribute("data-type"), Some("ASSAULT"));
    let result = by_id(&doc, "code-result").unwrap();
    let marks: Vec<String> = result
        .descendants()
        .filter(|n| n.has_tag_name("mark"))
        .filter_map(|n| n.attribute("class"))
        .map(String::from)
        .collect();
    assert!(marks.contains(&"actor".to_string()) && marks.contains(&"place".to_string()), "{marks:?}");

    let none = app.post_form("/code", &[("text", "Nothing happened.")]).await;
    let doc = none.page(StatusCode::OK);
    assert!(text_of(by_id(&doc, "code-result").unwrap()).contains("0 events"));

    let blank = app.post_form("/code", &[("text", "   "), ("date", "")]).await;
    blank.page(StatusCode::BAD_REQUEST);
    let bad_date = app.post_form("/code", &[("text", "Israel struck militants."), ("date", "yesterday")]).await;
    let doc = bad_date.page(StatusCode::BAD_REQUEST);
    assert_eq!(by_id(&doc, "code-date").unwrap().attribute("aria-invalid"), Some("true"));
    let json = Request::builder()
        .method(Method::POST)
        .uri("/code")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"text\": \"x\"}"))
        .unwrap();
    let answer = app.send(json).await;
    answer.page(StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn pages_mark_the_current_navigation_entry() {
    let app = app("nav");
    for (uri, current) in
        [("/", "/"), ("/dyad", "/dyad"), ("/network", "/network"), ("/map", "/map"), ("/code", "/code")]
    {
        let answer = app.get(uri).await;
        let doc = answer.page(StatusCode::OK);
        let marked: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("aria-current") == Some("page"))
            .filter_map(|n| n.attribute("href"))
            .collect();
        assert_eq!(marked, vec![current], "{uri}");
    }
}

#[tokio::test]
async fn the_script_renders_the_apis_answer_with_text_nodes_only() {
    // The script never turns data into markup.
    let js = annals_serve::html::APP_JS;
    for banned in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"] {
        assert!(!js.contains(banned), "{banned}");
    }
    for needed in ["/api/code", "code-form", "code-result", "coded-event", "textContent", "createTextNode"] {
        assert!(js.contains(needed), "{needed}");
    }
    // The API answers what the script reads: events with their sentence and spans, and places.
    let app = app("api-contract");
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/code")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({"text": format!("{XSS} Israel struck militants in Gaza."), "date": "2024-05-01"})
                .to_string(),
        ))
        .unwrap();
    let answer = app.send(req).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let value: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    let events = value["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    for key in ["event", "sentence", "text", "source", "target", "trigger", "confidence"] {
        assert!(events[0].get(key).is_some(), "{key}");
    }
    let places = value["places"].as_array().unwrap();
    assert_eq!(places.len(), 1);
    assert_eq!((places[0]["start"].as_u64(), places[0]["end"].as_u64()), (Some(53), Some(57)));
}
