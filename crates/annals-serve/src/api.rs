//! The JSON API under `/api/`: events (filtered, paginated), one event, one document with
//! its highlighted spans, top actors and dyads, a timeline, summary statistics, coding a
//! text without storing it, storing a document (with a write token), and the OpenAPI
//! description of all of it ([`crate::openapi`]).
//!
//! One table, [`ENDPOINTS`], lists every operation with its method, path and query
//! parameters: the router is built from it, each handler accepts exactly the parameters
//! its entry names (any other is a 400 naming it, so that a typo never silently returns
//! everything), and the OpenAPI document is written from it. The filters are the ones of
//! `annals events` ([`FILTERS`]), with the same meaning ([`annals_store::EventQuery`]).
//!
//! Every answer is JSON with `X-Content-Type-Options: nosniff`, errors included: the
//! handlers answer [`ApiError`]s, and a last layer turns what axum answers by itself
//! (unknown method, malformed path) into the same `{"error", "parameter"?}` shape.
//!
//! Pagination: `GET /api/events` answers at most `limit` events and, when more follow, a
//! `next` cursor: the base64url (no padding) of the JSON array `[date, id]` of the page's
//! last event (`date` is "" for an undated event), which is the store's order
//! (`EventQuery::after`). Clients treat it as opaque.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Path, RawQuery, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, WWW_AUTHENTICATE, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, on, MethodFilter, MethodRouter};
use axum::Json;
use base64::Engine as _;
use serde::Serialize;
use serde_json::{json, Map, Value};

use annals_events::EventType;
use annals_store::stats::{self, Period, QUADS};
use annals_store::{EventQuery, StoredDocument};

use crate::server::{ApiError, AppState, CodeRequest, PlaceSpan, DEFAULT_LIMIT};

/// What a query parameter holds: how it is checked, and how the OpenAPI document
/// describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// An actor value: a country code, sector, organization or person name.
    Actor,
    /// `A,B`: two actor values.
    Dyad,
    /// One of the 16 PLOVER types, any case.
    EventType,
    /// A PLOVER mode, any case.
    Mode,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// A place name or country code.
    Place,
    /// Words searched as one phrase.
    Text,
    /// A count from 1 to the server's `max_limit`, with this default.
    Count { default: usize },
    /// A pagination cursor from a previous page's `next`.
    Cursor,
    /// `day`, `week`, `month` or `year` (default month).
    Period,
    /// `type` or `quad` (default quad).
    By,
}

/// A query parameter an endpoint accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryParam {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: ParamKind,
    /// A valid value, for the OpenAPI document (and the tests that try each parameter).
    pub example: &'static str,
}

const SOURCE: QueryParam = QueryParam {
    name: "source",
    description: "Events one of whose sources matches: a country code, sector, organization or person name (ignoring ASCII case).",
    kind: ParamKind::Actor,
    example: "USA",
};
const TARGET: QueryParam = QueryParam {
    name: "target",
    description: "Events one of whose targets matches: a country code, sector, organization or person name (ignoring ASCII case).",
    kind: ParamKind::Actor,
    example: "ISR",
};
const DYAD: QueryParam = QueryParam {
    name: "dyad",
    description: "Events from A to B, written `A,B`: a source matching A and a target matching B.",
    kind: ParamKind::Dyad,
    example: "USA,ISR",
};
const TYPE: QueryParam = QueryParam {
    name: "type",
    description: "A PLOVER event type (any case).",
    kind: ParamKind::EventType,
    example: "ASSAULT",
};
const MODE: QueryParam =
    QueryParam { name: "mode", description: "A PLOVER mode (any case).", kind: ParamKind::Mode, example: "AERIAL" };
const SINCE: QueryParam = QueryParam {
    name: "since",
    description: "Events dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).",
    kind: ParamKind::Date,
    example: "2019-01",
};
const UNTIL: QueryParam = QueryParam {
    name: "until",
    description: "Events dated on or before this date, including every date that starts with it (`2019-05` takes in `2019-05-31`).",
    kind: ParamKind::Date,
    example: "2019-12-31",
};
const PLACE: QueryParam = QueryParam {
    name: "place",
    description: "Events located at this place name or country code (ignoring ASCII case).",
    kind: ParamKind::Place,
    example: "SYR",
};
const TEXT: QueryParam = QueryParam {
    name: "text",
    description: "Words that must appear, in this order, in the evidence sentence or the trigger (searched as one phrase; no query syntax).",
    kind: ParamKind::Text,
    example: "ceasefire",
};
const EVENTS_LIMIT: QueryParam = QueryParam {
    name: "limit",
    description: "Events per page (at most the server's maximum).",
    kind: ParamKind::Count { default: DEFAULT_LIMIT },
    example: "50",
};
const CURSOR: QueryParam = QueryParam {
    name: "cursor",
    description: "Where the page starts: the `next` of the previous page (opaque).",
    kind: ParamKind::Cursor,
    example: "WyIyMDE5LTA2LTAxIiwiZG9jOjA6MCJd",
};
const TOP_LIMIT: QueryParam = QueryParam {
    name: "limit",
    description: "How many to list, most events first (at most the server's maximum).",
    kind: ParamKind::Count { default: 50 },
    example: "10",
};
const PERIOD: QueryParam = QueryParam {
    name: "period",
    description: "The length of a timeline period (weeks are ISO weeks).",
    kind: ParamKind::Period,
    example: "month",
};
const BY: QueryParam = QueryParam {
    name: "by",
    description: "One series per PLOVER type, or per quad class.",
    kind: ParamKind::By,
    example: "quad",
};
const TOP: QueryParam = QueryParam {
    name: "top",
    description: "How many dyads and actors to list.",
    kind: ParamKind::Count { default: 10 },
    example: "10",
};

/// The event filters, the flags of `annals events` (`--type` is `type`), in this order at
/// the head of every filtered endpoint's parameters.
pub const FILTERS: [QueryParam; 9] = [SOURCE, TARGET, DYAD, TYPE, MODE, SINCE, UNTIL, PLACE, TEXT];

macro_rules! with_filters {
    ($($extra:expr),* $(,)?) => {
        &[SOURCE, TARGET, DYAD, TYPE, MODE, SINCE, UNTIL, PLACE, TEXT, $($extra),*]
    };
}

const EVENTS_QUERY: &[QueryParam] = with_filters![EVENTS_LIMIT, CURSOR];
const TOP_QUERY: &[QueryParam] = with_filters![TOP_LIMIT];
const TIMELINE_QUERY: &[QueryParam] = with_filters![PERIOD, BY];
const STATS_QUERY: &[QueryParam] = with_filters![PERIOD, TOP];
const NO_QUERY: &[QueryParam] = &[];

/// Which handler an endpoint runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Events,
    Event,
    Document,
    Actors,
    Dyads,
    Timeline,
    Stats,
    Code,
    AddDocument,
    OpenApi,
}

/// The HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
}

impl Verb {
    /// The lowercase name, as OpenAPI keys operations.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::Post => "post",
        }
    }
}

/// One operation of the API.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub op: Op,
    pub verb: Verb,
    /// The route, in the syntax axum and OpenAPI share (`/api/events/{id}`).
    pub path: &'static str,
    /// The query parameters it accepts; any other is a 400.
    pub query: &'static [QueryParam],
}

/// Every operation of the API: the router and the OpenAPI document are made from this.
pub const ENDPOINTS: [Endpoint; 10] = [
    Endpoint { op: Op::Events, verb: Verb::Get, path: "/api/events", query: EVENTS_QUERY },
    Endpoint { op: Op::Event, verb: Verb::Get, path: "/api/events/{id}", query: NO_QUERY },
    Endpoint { op: Op::Document, verb: Verb::Get, path: "/api/documents/{id}", query: NO_QUERY },
    Endpoint { op: Op::Actors, verb: Verb::Get, path: "/api/actors", query: TOP_QUERY },
    Endpoint { op: Op::Dyads, verb: Verb::Get, path: "/api/dyads", query: TOP_QUERY },
    Endpoint { op: Op::Timeline, verb: Verb::Get, path: "/api/timeline", query: TIMELINE_QUERY },
    Endpoint { op: Op::Stats, verb: Verb::Get, path: "/api/stats", query: STATS_QUERY },
    Endpoint { op: Op::Code, verb: Verb::Post, path: "/api/code", query: NO_QUERY },
    Endpoint { op: Op::AddDocument, verb: Verb::Post, path: "/api/documents", query: NO_QUERY },
    Endpoint { op: Op::OpenApi, verb: Verb::Get, path: "/api/openapi.json", query: NO_QUERY },
];

/// The query parameters of an operation.
pub fn query_of(op: Op) -> &'static [QueryParam] {
    ENDPOINTS.iter().find(|e| e.op == op).map_or(NO_QUERY, |e| e.query)
}

/// The fields a JSON body of `POST /api/code` may have.
pub const CODE_FIELDS: [&str; 3] = ["text", "date", "id"];
/// The fields a JSON body of `POST /api/documents` may have.
pub const DOCUMENT_FIELDS: [&str; 6] = ["id", "text", "date", "title", "url", "source"];

/// The API's routes: every entry of [`ENDPOINTS`], a JSON 404 for any other path under
/// `/api/`, and the layer that makes every answer JSON with `nosniff`.
pub fn routes() -> axum::Router<Arc<AppState>> {
    let mut router = axum::Router::new();
    for e in &ENDPOINTS {
        router = router.route(e.path, method_router(e));
    }
    router
        .route("/api", any(unknown_endpoint))
        .route("/api/", any(unknown_endpoint))
        .route("/api/{*rest}", any(unknown_endpoint))
        .layer(axum::middleware::map_response(finish))
}

fn method_router(e: &Endpoint) -> MethodRouter<Arc<AppState>> {
    let filter = match e.verb {
        Verb::Get => MethodFilter::GET,
        Verb::Post => MethodFilter::POST,
    };
    match e.op {
        Op::Events => on(filter, events),
        Op::Event => on(filter, event),
        Op::Document => on(filter, document),
        Op::Actors => on(filter, actors),
        Op::Dyads => on(filter, dyads),
        Op::Timeline => on(filter, timeline),
        Op::Stats => on(filter, stats_handler),
        Op::Code => on(filter, code),
        Op::AddDocument => on(filter, add_document),
        Op::OpenApi => on(filter, openapi),
    }
}

// ---------------------------------------------------------------------------------------
// Query parameters
// ---------------------------------------------------------------------------------------

/// The query parameters of one request, checked against what the endpoint accepts.
/// Empty values count as absent (an empty form field).
#[derive(Debug, Default)]
pub struct Params {
    values: HashMap<&'static str, String>,
}

impl Params {
    /// Parses a raw query string: a parameter the endpoint does not accept, or one given
    /// twice, is a 400 naming it.
    pub fn parse(raw: Option<&str>, accepted: &'static [QueryParam]) -> Result<Params, ApiError> {
        let mut values = HashMap::new();
        let mut seen: Vec<String> = Vec::new();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let Some(p) = accepted.iter().find(|p| p.name == key) else {
                let names: Vec<&str> = accepted.iter().map(|p| p.name).collect();
                let allowed = if names.is_empty() { "none".to_string() } else { names.join(", ") };
                return Err(ApiError::bad_parameter(
                    &key,
                    format!("unknown parameter {key:?}; this endpoint accepts: {allowed}"),
                ));
            };
            if seen.iter().any(|k| *k == key) {
                return Err(ApiError::bad_parameter(p.name, format!("{} is given more than once", p.name)));
            }
            seen.push(key.to_string());
            if !value.is_empty() {
                values.insert(p.name, value.into_owned());
            }
        }
        Ok(Params { values })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A count parameter: 1 to `max`, `default` when absent.
    fn count(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let Some(v) = self.get(name) else { return Ok(default.min(max)) };
        match v.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => {
                Err(ApiError::bad_parameter(name, format!("{name} must be a whole number from 1 to {max} (got {v:?})")))
            }
        }
    }

    /// The event filters ([`FILTERS`]), checked as `annals events` checks its flags.
    pub fn filters(&self) -> Result<EventQuery, ApiError> {
        let dyad = match self.get("dyad") {
            Some(d) => match d.split_once(',') {
                Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
                    Some((a.trim().to_string(), b.trim().to_string()))
                }
                _ => {
                    return Err(ApiError::bad_parameter(
                        "dyad",
                        format!("dyad: expected two actors separated by a comma, like USA,ISR (got {d:?})"),
                    ))
                }
            },
            None => None,
        };
        for name in ["since", "until"] {
            if let Some(d) = self.get(name) {
                if !is_iso_date(d) {
                    return Err(ApiError::bad_parameter(
                        name,
                        format!("{name}: not a date: {d:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)"),
                    ));
                }
            }
        }
        let event_type = match self.get("type") {
            Some(t) => match EventType::parse(t.trim()) {
                Some(t) => Some(t.as_str().to_string()),
                None => {
                    let all: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
                    return Err(ApiError::bad_parameter(
                        "type",
                        format!("type: not a PLOVER event type: {t:?} (one of {})", all.join(", ")),
                    ));
                }
            },
            None => None,
        };
        Ok(EventQuery {
            source: self.get("source").map(str::to_string),
            target: self.get("target").map(str::to_string),
            dyad,
            event_type,
            mode: self.get("mode").map(str::to_uppercase),
            since: self.get("since").map(str::to_string),
            until: self.get("until").map(str::to_string),
            place: self.get("place").map(str::to_string),
            text: self.get("text").map(str::to_string),
            after: None,
            limit: None,
        })
    }

    fn period(&self) -> Result<Period, ApiError> {
        match self.get("period") {
            None => Ok(Period::Month),
            Some(p) => Period::parse(p).ok_or_else(|| {
                ApiError::bad_parameter("period", format!("period must be day, week, month or year (got {p:?})"))
            }),
        }
    }
}

/// Whether `s` is an ISO date at year, month or day precision with a real month and day.
pub fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if parts.is_empty() || parts.len() > 3 || !digits(parts[0], 4) || !parts[1..].iter().all(|p| digits(p, 2)) {
        return false;
    }
    let year: u32 = parts[0].parse().unwrap_or(0);
    let month: u32 = parts.get(1).map_or(1, |m| m.parse().unwrap_or(0));
    let day: u32 = parts.get(2).map_or(1, |d| d.parse().unwrap_or(0));
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The cursor of the page that starts after this event.
pub fn cursor_of(event: &Value) -> String {
    let date = event.get("date").and_then(Value::as_str).unwrap_or("");
    let id = event.get("id").and_then(Value::as_str).unwrap_or("");
    cursor_from(date, id)
}

/// The cursor after the event with this date ("" when undated) and id.
pub fn cursor_from(date: &str, id: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json!([date, id]).to_string())
}

/// The (date, id) a cursor holds, or a 400 naming `cursor`.
pub fn parse_cursor(cursor: &str) -> Result<(String, String), ApiError> {
    let bad = || ApiError::bad_parameter("cursor", "cursor: not a cursor of this API (use the `next` of a page)");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| bad())?;
    let (date, id): (String, String) = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    // Both values are only ever bound as query parameters; an empty id is no event's.
    if id.is_empty() || date.len() > 64 {
        return Err(bad());
    }
    Ok((date, id))
}

// ---------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------

type ApiResult = Result<Response, ApiError>;

fn ok(value: Value) -> ApiResult {
    Ok(Json(value).into_response())
}

fn to_value<T: Serialize>(v: &T) -> Result<Value, ApiError> {
    serde_json::to_value(v).map_err(|_| ApiError::internal())
}

async fn events(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> ApiResult {
    let p = Params::parse(raw.as_deref(), EVENTS_QUERY)?;
    let mut q = p.filters()?;
    let limit = p.count("limit", DEFAULT_LIMIT, state.config.max_limit)?;
    q.after = p.get("cursor").map(parse_cursor).transpose()?;
    q.limit = Some(limit + 1);
    let mut rows = state.read(move |s| s.query_json(&q)).await?;
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|e| cursor_from(&e.date, &e.id))
    } else {
        None
    };
    // The stored answers are JSON already: the page is spliced from them, not re-encoded.
    let mut body = String::with_capacity(rows.iter().map(|e| e.json.len() + 1).sum::<usize>() + 64);
    body.push_str("{\"events\":[");
    for (i, e) in rows.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&e.json);
    }
    body.push_str("],\"next\":");
    body.push_str(&serde_json::to_string(&next).map_err(|_| ApiError::internal())?);
    body.push('}');
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn event(State(state): State<Arc<AppState>>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> ApiResult {
    Params::parse(raw.as_deref(), query_of(Op::Event))?;
    let key = id.clone();
    match state.read(move |s| s.event(&key)).await? {
        Some(e) => ok(e),
        None => Err(ApiError::not_found(format!("no event {id:?}"))),
    }
}

/// A highlighted stretch of a document's text: `[start, end)` in characters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    /// `actor`, `trigger` or `place`.
    pub kind: &'static str,
    /// The event an actor or trigger belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// `source` or `target`, for actors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    /// The words the span covers.
    pub label: String,
    /// A place's name in the gazetteer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

/// The spans of a document: each event's actors and trigger, moved from its sentence
/// (whose `span`s are character offsets into the sentence `text`) onto the document by
/// finding the sentence in the text (after the previous sentence, else from the start;
/// events come by sentence number, and those of one sentence share its place), and the places the coder found (already character offsets into the text).
/// A span that does not cover its own words (a sentence not found, an actor that stands
/// for words elsewhere) is left out. Sorted by start, then end.
pub fn document_spans(text: &str, events: &[Value], places: &[PlaceSpan]) -> Vec<Span> {
    let mut spans = Vec::new();
    // Where the search for the next sentence starts (the end of the last one found), in
    // bytes and characters; and the last sentence found: (number, text, start character).
    let (mut from_byte, mut from_char) = (0usize, 0usize);
    let mut last: Option<(u64, String, usize)> = None;
    for ev in events {
        let Some(sentence) = ev.get("text").and_then(Value::as_str).filter(|s| !s.is_empty()) else { continue };
        let number = ev.get("sentence").and_then(Value::as_u64).unwrap_or(u64::MAX);
        let start_char = match &last {
            // Another event of the same sentence.
            Some((n, s, c)) if *n == number && s == sentence => *c,
            _ => {
                let forward = text.get(from_byte..).and_then(|rest| rest.find(sentence)).map(|i| from_byte + i);
                let (byte, char) = match forward {
                    Some(b) => (b, from_char + text.get(from_byte..b).map_or(0, |s| s.chars().count())),
                    None => match text.find(sentence) {
                        Some(b) => (b, text.get(..b).map_or(0, |s| s.chars().count())),
                        None => continue,
                    },
                };
                from_byte = byte + sentence.len();
                from_char = char + sentence.chars().count();
                last = Some((number, sentence.to_string(), char));
                char
            }
        };
        let chars: Vec<char> = sentence.chars().collect();
        let event_id = ev.get("id").and_then(Value::as_str).map(str::to_string);
        let mut push = |kind: &'static str, role: Option<&'static str>, item: &Value| {
            let label = item.get("text").and_then(Value::as_str).unwrap_or("");
            let span = item.get("span").and_then(Value::as_array);
            let bound = |i: usize| span.and_then(|s| s.get(i)).and_then(Value::as_u64).map(|n| n as usize);
            let (Some(a), Some(b)) = (bound(0), bound(1)) else { return };
            if a >= b || b > chars.len() || label.is_empty() || chars[a..b].iter().collect::<String>() != label {
                return;
            }
            spans.push(Span {
                start: start_char + a,
                end: start_char + b,
                kind,
                event: event_id.clone(),
                role,
                label: label.to_string(),
                name: None,
                country: None,
                lat: None,
                lon: None,
            });
        };
        for role in ["source", "target"] {
            for actor in ev.get(role).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
                push("actor", Some(role), actor);
            }
        }
        if let Some(trigger) = ev.get("trigger") {
            push("trigger", None, trigger);
        }
    }
    let ranges: Vec<(usize, usize)> = places.iter().map(|p| (p.start, p.end)).collect();
    for (p, label) in places.iter().zip(char_slices(text, &ranges)) {
        let Some(label) = label.filter(|l| !l.is_empty()) else { continue };
        spans.push(Span {
            start: p.start,
            end: p.end,
            kind: "place",
            event: None,
            role: None,
            label,
            name: Some(p.name.clone()),
            country: p.country.clone(),
            lat: p.lat,
            lon: p.lon,
        });
    }
    spans.sort_by(|a, b| (a.start, a.end, a.kind).cmp(&(b.start, b.end, b.kind)));
    spans
}

/// The text of each character range `[start, end)` of `text`, or None when it is empty,
/// reversed or past the end; one pass over the text.
fn char_slices(text: &str, ranges: &[(usize, usize)]) -> Vec<Option<String>> {
    let mut wanted: Vec<usize> = ranges.iter().flat_map(|&(a, b)| [a, b]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut byte_of: HashMap<usize, usize> = HashMap::new();
    let mut next = wanted.iter().peekable();
    for (ci, (bi, _)) in text.char_indices().chain(std::iter::once((text.len(), ' '))).enumerate() {
        while let Some(&&w) = next.peek() {
            if w > ci {
                break;
            }
            if w == ci {
                byte_of.insert(ci, bi);
            }
            next.next();
        }
        if next.peek().is_none() {
            break;
        }
    }
    ranges
        .iter()
        .map(|&(a, b)| match (byte_of.get(&a), byte_of.get(&b)) {
            (Some(&x), Some(&y)) if x < y => text.get(x..y).map(str::to_string),
            _ => None,
        })
        .collect()
}

async fn document(State(state): State<Arc<AppState>>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> ApiResult {
    Params::parse(raw.as_deref(), query_of(Op::Document))?;
    let key = id.clone();
    let Some(view) = state.read(move |s| s.document(&key)).await? else {
        return Err(ApiError::not_found(format!("no document {id:?}")));
    };
    let doc = view.doc;
    let coded = state.code(CodeRequest { id: doc.id.clone(), text: doc.text.clone(), date: doc.date.clone() }).await?;
    let spans = document_spans(&doc.text, &view.events, &coded.places);
    ok(json!({
        "id": doc.id,
        "title": doc.title,
        "date": doc.date,
        "url": doc.url,
        "source": doc.source,
        "story": view.story,
        "near_duplicates": view.near_duplicates,
        "text": doc.text,
        "events": view.events,
        "spans": to_value(&spans)?,
    }))
}

async fn actors(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> ApiResult {
    let p = Params::parse(raw.as_deref(), query_of(Op::Actors))?;
    let q = p.filters()?;
    let n = p.count("limit", 50, state.config.max_limit)?;
    let rows = state.read(move |s| s.query(&q)).await?;
    ok(json!({ "events": rows.len(), "actors": to_value(&stats::top_actors(&rows, n))? }))
}

async fn dyads(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> ApiResult {
    let p = Params::parse(raw.as_deref(), query_of(Op::Dyads))?;
    let q = p.filters()?;
    let n = p.count("limit", 50, state.config.max_limit)?;
    let rows = state.read(move |s| s.query(&q)).await?;
    ok(json!({ "events": rows.len(), "dyads": to_value(&stats::top_dyads(&rows, n))? }))
}

async fn timeline(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> ApiResult {
    let p = Params::parse(raw.as_deref(), query_of(Op::Timeline))?;
    let q = p.filters()?;
    let period = p.period()?;
    let by = match p.get("by").map(str::to_ascii_lowercase).as_deref() {
        None | Some("quad") => "quad",
        Some("type") => "type",
        Some(other) => {
            return Err(ApiError::bad_parameter("by", format!("by must be type or quad (got {other:?})")));
        }
    };
    let rows = state.read(move |s| s.query(&q)).await?;
    let counts = stats::timeline(&rows, period);
    let keys: Vec<&str> = if by == "quad" {
        QUADS.to_vec()
    } else {
        EventType::ALL
            .iter()
            .map(|t| t.as_str())
            .filter(|t| counts.iter().any(|c| c.by_type.contains_key(*t)))
            .collect()
    };
    let series: Vec<Value> = keys
        .iter()
        .map(|k| {
            let of = |c: &stats::PeriodCounts| {
                let m: &BTreeMap<String, u64> = if by == "quad" { &c.by_quad } else { &c.by_type };
                m.get(*k).copied().unwrap_or(0)
            };
            json!({ "key": k, "counts": counts.iter().map(of).collect::<Vec<u64>>() })
        })
        .collect();
    ok(json!({
        "period": period,
        "by": by,
        "periods": counts.iter().map(|c| c.period.as_str()).collect::<Vec<_>>(),
        "events": counts.iter().map(|c| c.events).collect::<Vec<_>>(),
        "series": series,
    }))
}

async fn stats_handler(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> ApiResult {
    let p = Params::parse(raw.as_deref(), query_of(Op::Stats))?;
    let q = p.filters()?;
    let period = p.period()?;
    let top = p.count("top", 10, state.config.max_limit)?;
    let (rows, counts) = state.read(move |s| Ok((s.query(&q)?, s.counts()?))).await?;
    let mut out = to_value(&stats::stats(&rows, period, top))?;
    if let Some(obj) = out.as_object_mut() {
        obj.insert(
            "store".into(),
            json!({
                "documents": counts.documents,
                "stories": counts.stories,
                "events": counts.events,
                "mentions": counts.mentions,
                "actors": counts.actors,
            }),
        );
    }
    ok(out)
}

/// The fields of a request body: a JSON object (only `accepted` fields), or, for
/// `text/plain`, the whole body as `text`. Too large: 413; not JSON: 400; another media
/// type: 415.
async fn body_fields(req: Request, accepted: &[&str], max_bytes: usize) -> Result<Map<String, Value>, ApiError> {
    let media = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    let is_json = match media.as_deref() {
        Some("application/json") => true,
        Some(m) if m.starts_with("application/") && m.ends_with("+json") => true,
        Some("text/plain") => false,
        _ => {
            return Err(ApiError {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message: "send the body as application/json (or the bare text as text/plain)".into(),
                parameter: None,
            })
        }
    };
    let bytes = Bytes::from_request(req, &()).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(max_bytes)
        } else {
            ApiError {
                status: StatusCode::BAD_REQUEST,
                message: "cannot read the request body".into(),
                parameter: None,
            }
        }
    })?;
    if !is_json {
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| ApiError::bad_parameter("text", "text: the body is not UTF-8"))?;
        let mut map = Map::new();
        map.insert("text".into(), Value::String(text));
        return Ok(map);
    }
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| ApiError {
        status: StatusCode::BAD_REQUEST,
        message: format!("the body is not valid JSON: {e}"),
        parameter: None,
    })?;
    let Value::Object(map) = value else {
        return Err(ApiError {
            status: StatusCode::BAD_REQUEST,
            message: format!("the body must be a JSON object with the fields {}", accepted.join(", ")),
            parameter: None,
        });
    };
    if let Some(unknown) = map.keys().find(|k| !accepted.contains(&k.as_str())) {
        return Err(ApiError::bad_parameter(
            unknown,
            format!("unknown field {unknown:?}; the body may have: {}", accepted.join(", ")),
        ));
    }
    Ok(map)
}

fn too_large(max_bytes: usize) -> ApiError {
    ApiError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: format!("the request body is larger than {max_bytes} bytes"),
        parameter: None,
    }
}

/// An optional string field (null or absent: None; empty or blank: None).
fn string_field(map: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::bad_parameter(name, format!("{name} must be a string"))),
    }
}

/// The text, date and id of a body, checked; the id defaults to `text-<hash>` as
/// `annals ingest` names a document without one.
fn text_date_id(map: &Map<String, Value>) -> Result<(String, Option<String>, String), ApiError> {
    let Some(text) = string_field(map, "text")? else {
        return Err(ApiError::bad_parameter("text", "text is required and must not be empty"));
    };
    let date = string_field(map, "date")?;
    if let Some(d) = &date {
        if !is_iso_date(d) {
            return Err(ApiError::bad_parameter(
                "date",
                format!("date: not a date: {d:?} (expected YYYY-MM-DD, YYYY-MM or YYYY)"),
            ));
        }
    }
    let id = match string_field(map, "id")? {
        Some(id) => id,
        None => format!("text-{}", annals_store::text_hash(&text).trim_start_matches("fnv1a64:")),
    };
    Ok((text, date, id))
}

async fn code(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery, req: Request) -> ApiResult {
    Params::parse(raw.as_deref(), query_of(Op::Code))?;
    let map = body_fields(req, &CODE_FIELDS, state.config.max_body_bytes).await?;
    let (text, date, id) = text_date_id(&map)?;
    let coded = state.code(CodeRequest { id: id.clone(), text, date }).await?;
    ok(json!({ "id": id, "events": to_value(&coded.events)?, "places": to_value(&coded.places)? }))
}

/// Compares two byte strings in time that depends only on their lengths.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for i in 0..a.len().max(b.len()) {
        diff |= a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0xff);
    }
    diff == 0
}

/// Whether the request carries `Authorization: Bearer <token>`.
fn authorized(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else { return false };
    let Some((scheme, given)) = value.trim().split_once(' ') else { return false };
    scheme.eq_ignore_ascii_case("bearer") && constant_time_eq(given.trim().as_bytes(), token.as_bytes())
}

async fn add_document(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery, req: Request) -> ApiResult {
    let Some(token) = state.config.write_token.as_deref() else {
        return Err(ApiError::not_found(
            "storing documents is disabled on this server (it runs without --write-token)",
        ));
    };
    if !authorized(req.headers(), token) {
        let err = ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: "send Authorization: Bearer <token> with the server's write token".into(),
            parameter: None,
        };
        return Ok(([(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))], err).into_response());
    }
    Params::parse(raw.as_deref(), query_of(Op::AddDocument))?;
    let map = body_fields(req, &DOCUMENT_FIELDS, state.config.max_body_bytes).await?;
    let (text, date, id) = text_date_id(&map)?;
    let doc = StoredDocument {
        id: id.clone(),
        text: text.clone(),
        date: date.clone(),
        title: string_field(&map, "title")?,
        url: string_field(&map, "url")?,
        source: string_field(&map, "source")?,
    };
    let key = id.clone();
    let present = state.read(move |s| Ok(s.document(&key)?.map(|v| v.events.len()))).await?;
    if let Some(n) = present {
        return ok(json!({ "id": id, "stored": false, "events": n }));
    }
    let coded = state.code(CodeRequest { id: id.clone(), text, date }).await?;
    let (docs, n) = state.write(move |s| s.ingest_batch(&[(doc, coded.events)], false)).await?;
    let body = json!({ "id": id, "stored": docs > 0, "events": n });
    let status = if docs > 0 { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(body)).into_response())
}

async fn openapi(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> ApiResult {
    Params::parse(raw.as_deref(), query_of(Op::OpenApi))?;
    ok(crate::openapi::document(&state.config))
}

async fn unknown_endpoint(req: Request) -> ApiError {
    ApiError::not_found(format!("no such API endpoint: {} {} (see /api/openapi.json)", req.method(), req.uri().path()))
}

/// The last layer: `nosniff` on every answer, and a JSON body on every error answer
/// that axum made by itself (405, malformed paths, ...).
async fn finish(res: Response) -> Response {
    let (mut parts, body) = res.into_parts();
    parts.headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let status = parts.status;
    let is_json = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return Response::from_parts(parts, body);
    }
    let message = if status == StatusCode::METHOD_NOT_ALLOWED {
        "method not allowed (the Allow header lists the allowed ones)".to_string()
    } else if status.is_server_error() {
        "internal error".to_string()
    } else {
        // axum's own rejections are one plain sentence about the request.
        let text = axum::body::to_bytes(body, 4096).await.ok().and_then(|b| String::from_utf8(b.to_vec()).ok());
        match text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
            Some(t) => t,
            None => status.canonical_reason().unwrap_or("bad request").to_string(),
        }
    };
    let json = json!({ "error": message }).to_string();
    parts.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for ok in ["2024", "2024-05", "2024-05-31", "2024-02-29", "2000-02-29"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in ["", "24", "2024-5", "2024-13", "2024-02-30", "1900-02-29", "2024-05-01T00", "May 2024", " 2024"] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }

    #[test]
    fn cursors_round_trip() {
        let e = json!({"date": "2024-05-01", "id": "doc,\"x\":1:2"});
        assert_eq!(parse_cursor(&cursor_of(&e)), Ok(("2024-05-01".to_string(), "doc,\"x\":1:2".to_string())));
        let undated = json!({"date": null, "id": "a"});
        assert_eq!(parse_cursor(&cursor_of(&undated)), Ok((String::new(), "a".to_string())));
        // Not base64, `{}`, `["x"]`, `["x",""]`.
        for bad in ["", "!!", "e30", "WyJ4Il0", "WyJ4IiwiIl0"] {
            assert!(parse_cursor(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn char_slices_follow_characters() {
        let t = "Erdoğan’s 🚀 Kyiv";
        assert_eq!(
            char_slices(t, &[(0, 7), (12, 16), (3, 3), (15, 99)]),
            vec![Some("Erdoğan".into()), Some("Kyiv".into()), None, None]
        );
    }

    #[test]
    fn tokens_compare() {
        assert!(constant_time_eq(b"secret-token", b"secret-token"));
        assert!(!constant_time_eq(b"secret-token", b"secret-tokem"));
        assert!(!constant_time_eq(b"secret", b"secret-token"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
