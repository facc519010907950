//! The OpenAPI 3.1 description of the JSON API, served at `/api/openapi.json`.
//!
//! Written by hand with `serde_json` (no code generation), from the same table the router
//! is built from ([`crate::api::ENDPOINTS`]): every operation, its query parameters (names,
//! descriptions, examples and the schema of their [`ParamKind`]), its path parameters, its
//! request body and its answers. The schemas of the answers are in `components` and
//! referenced with `$ref`; the tests check that every reference resolves and that real
//! answers match their schemas.

use serde_json::{json, Map, Value};

use annals_events::EventType;
use annals_store::stats::QUADS;

use crate::api::{Endpoint, Op, ParamKind, QueryParam, ENDPOINTS};
use crate::server::ServeConfig;

/// The version of the OpenAPI specification the document follows.
pub const OPENAPI_VERSION: &str = "3.1.0";

/// The whole document, for this server's limits.
pub fn document(config: &ServeConfig) -> Value {
    let mut paths = Map::new();
    for e in &ENDPOINTS {
        let entry = paths.entry(e.path.to_string()).or_insert_with(|| json!({}));
        if let Some(obj) = entry.as_object_mut() {
            obj.insert(e.verb.as_str().to_string(), operation(e, config));
        }
    }
    json!({
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "annals API",
            "version": env!("CARGO_PKG_VERSION"),
            "summary": "PLOVER political events coded from news text.",
            "description": "Events coded from news text by annals, with the PLOVER event types and modes, \
                            stored and served read-only (writing needs the server's write token). Every \
                            answer is JSON; errors are `{\"error\": message, \"parameter\": name}`, where \
                            `parameter` names the query parameter or body field at fault. A query parameter \
                            the operation does not list is a 400. Empty parameter values count as absent.",
            "license": { "name": "Apache-2.0 OR MIT", "identifier": "Apache-2.0 OR MIT" }
        },
        "servers": [{ "url": "/" }],
        "paths": paths,
        "components": components(config),
    })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn response_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{name}") })
}

fn json_content(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

fn ok_response(description: &str, schema: &str) -> Value {
    json!({ "description": description, "content": json_content(reference(schema)) })
}

/// The JSON schema of a query parameter's values.
pub fn param_schema(kind: ParamKind, config: &ServeConfig) -> Value {
    match kind {
        ParamKind::Actor | ParamKind::Mode | ParamKind::Place | ParamKind::Text => json!({ "type": "string" }),
        ParamKind::Dyad => json!({ "type": "string", "pattern": "^[^,]+,.+$" }),
        ParamKind::EventType => {
            let all: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
            json!({ "type": "string", "enum": all, "description": "Any case is accepted." })
        }
        ParamKind::Date => json!({ "type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" }),
        ParamKind::Count { default } => json!({
            "type": "integer",
            "minimum": 1,
            "maximum": config.max_limit,
            "default": default.min(config.max_limit),
        }),
        ParamKind::Cursor => json!({ "type": "string", "pattern": "^[A-Za-z0-9_-]+$" }),
        ParamKind::Period => json!({ "type": "string", "enum": ["day", "week", "month", "year"], "default": "month" }),
        ParamKind::By => json!({ "type": "string", "enum": ["type", "quad"], "default": "quad" }),
    }
}

fn query_parameter(p: &QueryParam, config: &ServeConfig) -> Value {
    json!({
        "name": p.name,
        "in": "query",
        "required": false,
        "description": p.description,
        "schema": param_schema(p.kind, config),
        "example": p.example,
    })
}

/// The names in `{...}` of a path template.
pub fn path_parameters(path: &str) -> Vec<&str> {
    path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect()
}

fn operation(e: &Endpoint, config: &ServeConfig) -> Value {
    let mut parameters: Vec<Value> = path_parameters(e.path)
        .into_iter()
        .map(|name| {
            let what = if e.op == Op::Event { "An event id (any of its reports' ids)." } else { "A document id." };
            json!({ "name": name, "in": "path", "required": true, "description": what, "schema": { "type": "string" } })
        })
        .collect();
    parameters.extend(e.query.iter().map(|p| query_parameter(p, config)));
    let mut responses = Map::new();
    let mut add = |code: &str, v: Value| {
        responses.insert(code.to_string(), v);
    };
    let (id, summary, description) = match e.op {
        Op::Events => {
            add("200", ok_response("A page of events, by date then id.", "EventPage"));
            add("400", response_ref("BadRequest"));
            (
                "listEvents",
                "Stored events matching the filters, a page at a time",
                "Fetch the next page with `cursor` set to the answer's `next`; `next` is null on the last page. \
                 Walking every page lists exactly the events of the unpaginated query, in order.",
            )
        }
        Op::Event => {
            add("200", ok_response("The event.", "Event"));
            add("404", response_ref("NotFound"));
            ("getEvent", "One event", "The event one of whose reports has this id, as `/api/events` lists it.")
        }
        Op::Document => {
            add("200", ok_response("The document.", "Document"));
            add("404", response_ref("NotFound"));
            (
                "getDocument",
                "One stored document with its events and highlighted spans",
                "`spans` are character offsets into `text`: the actors and triggers of its events, and \
                 the places named in it.",
            )
        }
        Op::Actors => {
            add("200", ok_response("The actors.", "ActorList"));
            add("400", response_ref("BadRequest"));
            ("topActors", "The actors in most events", "Over the events matching the filters.")
        }
        Op::Dyads => {
            add("200", ok_response("The dyads.", "DyadList"));
            add("400", response_ref("BadRequest"));
            ("topDyads", "The source-target pairs with most events", "Over the events matching the filters.")
        }
        Op::Timeline => {
            add("200", ok_response("The timeline.", "Timeline"));
            add("400", response_ref("BadRequest"));
            (
                "timeline",
                "Events per period, by type or quad class",
                "`periods` lists the periods that have events, oldest first; each series has one count per \
                 period. Undated events are left out.",
            )
        }
        Op::Stats => {
            add("200", ok_response("The summary.", "Stats"));
            add("400", response_ref("BadRequest"));
            (
                "stats",
                "Summary statistics of the matching events, and the store's counts",
                "What `annals stats --format json` prints, with `store`: the counts of the whole store.",
            )
        }
        Op::Code => {
            add("200", ok_response("The events and places found.", "Coded"));
            add("400", response_ref("BadRequest"));
            add("413", response_ref("PayloadTooLarge"));
            add("415", response_ref("UnsupportedMediaType"));
            (
                "codeText",
                "Code a text into events without storing it",
                "The body is a JSON object, or the bare text as `text/plain`.",
            )
        }
        Op::AddDocument => {
            add("201", ok_response("The document was coded and stored.", "StoredResult"));
            add("200", ok_response("A document with this id was already stored; nothing changed.", "StoredResult"));
            add("400", response_ref("BadRequest"));
            add("401", response_ref("Unauthorized"));
            add("404", response_ref("WritingDisabled"));
            add("413", response_ref("PayloadTooLarge"));
            add("415", response_ref("UnsupportedMediaType"));
            (
                "addDocument",
                "Code and store a document",
                "Needs `Authorization: Bearer <token>` with the token the server was started with \
                 (`annals serve --write-token`). A server started without one answers 404 (not 405): \
                 the operation does not exist there. A document whose id is stored already is not \
                 coded again.",
            )
        }
        Op::OpenApi => {
            add(
                "200",
                json!({ "description": "This document.", "content": json_content(json!({ "type": "object" })) }),
            );
            ("openapi", "This description of the API", "OpenAPI 3.1.")
        }
    };
    add("500", response_ref("InternalError"));
    add("503", response_ref("Busy"));
    let mut op = json!({
        "operationId": id,
        "summary": summary,
        "description": description,
        "parameters": parameters,
        "responses": responses,
    });
    let body = match e.op {
        Op::Code => Some(("CodeRequest", "The text to code.")),
        Op::AddDocument => Some(("NewDocument", "The document to code and store.")),
        _ => None,
    };
    if let (Some((schema, description)), Some(obj)) = (body, op.as_object_mut()) {
        obj.insert(
            "requestBody".into(),
            json!({
                "required": true,
                "description": description,
                "content": {
                    "application/json": { "schema": reference(schema) },
                    "text/plain": { "schema": { "type": "string", "minLength": 1 } },
                },
            }),
        );
        if e.op == Op::AddDocument {
            obj.insert("security".into(), json!([{ "bearer": [] }]));
        }
    }
    op
}

fn nullable(kind: &str) -> Value {
    json!({ "type": [kind, "null"] })
}

fn counts_map() -> Value {
    json!({ "type": "object", "additionalProperties": { "type": "integer", "minimum": 0 } })
}

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": json_content(reference("Error")) })
}

fn components(config: &ServeConfig) -> Value {
    let types: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
    let span2 = json!({ "type": "array", "items": { "type": "integer", "minimum": 0 }, "minItems": 2, "maxItems": 2,
                        "description": "[start, end) in characters of the sentence `text`." });
    json!({
        "securitySchemes": {
            "bearer": { "type": "http", "scheme": "bearer", "description": "The server's write token." }
        },
        "responses": {
            "BadRequest": error_response("A parameter or field is wrong; `parameter` names it."),
            "NotFound": error_response("No such event, document or endpoint."),
            "WritingDisabled": error_response("The server runs without a write token: storing is disabled."),
            "Unauthorized": {
                "description": "The bearer token is missing or wrong.",
                "headers": { "WWW-Authenticate": { "description": "`Bearer`.", "schema": { "type": "string" } } },
                "content": json_content(reference("Error")),
            },
            "PayloadTooLarge": error_response(&format!("The body is larger than {} bytes.", config.max_body_bytes)),
            "UnsupportedMediaType": error_response("The body is neither application/json nor text/plain."),
            "InternalError": error_response("The server failed; the details are in its log."),
            "Busy": error_response("The database is busy; try again."),
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": { "type": "string", "description": "What went wrong, in one sentence." },
                    "parameter": { "type": "string", "description": "The query parameter or body field at fault." },
                },
            },
            "Actor": {
                "type": "object",
                "required": ["text", "name", "country", "sector", "org", "span"],
                "properties": {
                    "text": { "type": "string" },
                    "name": nullable("string"),
                    "country": { "type": ["string", "null"], "description": "ISO 3166-1 alpha-3." },
                    "sector": { "type": ["string", "null"], "description": "A PLOVER agent code." },
                    "org": nullable("string"),
                    "span": span2,
                },
            },
            "Trigger": {
                "type": "object",
                "required": ["text", "span"],
                "properties": { "text": { "type": "string" }, "span": span2 },
            },
            "Location": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": { "type": "string" },
                    "country": nullable("string"),
                    "lat": nullable("number"),
                    "lon": nullable("number"),
                    "precision": { "type": "string" },
                },
            },
            "EventRecord": {
                "type": "object",
                "description": "One event as `annals code --format jsonl` prints it (the event schema).",
                "required": ["id", "doc", "sentence", "event", "mode", "context", "source", "target", "trigger",
                             "negated", "location", "date", "date_precision", "text", "confidence", "quad", "why"],
                "properties": {
                    "id": { "type": "string" },
                    "doc": { "type": "string" },
                    "sentence": { "type": "integer", "minimum": 0 },
                    "event": { "type": "string", "enum": types },
                    "mode": nullable("string"),
                    "context": { "type": "array", "items": { "type": "string" } },
                    "source": { "type": "array", "items": reference("Actor") },
                    "target": { "type": "array", "items": reference("Actor") },
                    "trigger": reference("Trigger"),
                    "negated": { "type": "boolean" },
                    "location": { "oneOf": [reference("Location"), { "type": "null" }] },
                    "date": { "type": ["string", "null"], "description": "ISO 8601 at `date_precision`." },
                    "date_precision": { "type": ["string", "null"], "enum": ["day", "month", "year", null] },
                    "text": { "type": "string", "description": "The sentence." },
                    "confidence": { "type": "number", "minimum": 0, "maximum": 1 },
                    "quad": { "type": "string", "enum": QUADS },
                    "why": { "type": "string" },
                },
            },
            "Event": {
                "description": "A stored event: its first report's record, with the counts of its reports.",
                "allOf": [
                    reference("EventRecord"),
                    {
                        "type": "object",
                        "required": ["mentions", "sources", "documents", "url", "doc_date"],
                        "properties": {
                            "mentions": { "type": "integer", "minimum": 1, "description": "Reports of this event." },
                            "sources": { "type": "integer", "minimum": 1, "description": "Distinct outlets reporting it." },
                            "documents": { "type": "array", "items": { "type": "string" } },
                            "url": nullable("string"),
                            "doc_date": nullable("string"),
                        },
                    },
                ],
            },
            "EventPage": {
                "type": "object",
                "required": ["events", "next"],
                "properties": {
                    "events": { "type": "array", "items": reference("Event") },
                    "next": { "type": ["string", "null"], "description": "The `cursor` of the next page; null on the last." },
                },
            },
            "Span": {
                "type": "object",
                "required": ["start", "end", "kind", "label"],
                "properties": {
                    "start": { "type": "integer", "minimum": 0, "description": "In characters of the document's text." },
                    "end": { "type": "integer", "minimum": 0 },
                    "kind": { "type": "string", "enum": ["actor", "trigger", "place"] },
                    "event": { "type": "string", "description": "The event of an actor or trigger." },
                    "role": { "type": "string", "enum": ["source", "target"] },
                    "label": { "type": "string", "description": "The words the span covers." },
                    "name": { "type": "string", "description": "A place's name in the gazetteer." },
                    "country": { "type": "string" },
                    "lat": { "type": "number" },
                    "lon": { "type": "number" },
                },
            },
            "Document": {
                "type": "object",
                "required": ["id", "title", "date", "url", "source", "story", "near_duplicates", "text", "events", "spans"],
                "properties": {
                    "id": { "type": "string" },
                    "title": nullable("string"),
                    "date": nullable("string"),
                    "url": nullable("string"),
                    "source": nullable("string"),
                    "story": { "type": "string", "description": "The first stored document of its near-duplicate group." },
                    "near_duplicates": { "type": "array", "items": { "type": "string" } },
                    "text": { "type": "string" },
                    "events": { "type": "array", "items": reference("EventRecord") },
                    "spans": { "type": "array", "items": reference("Span") },
                },
            },
            "ActorCount": {
                "type": "object",
                "required": ["actor", "events", "as_source", "as_target"],
                "properties": {
                    "actor": { "type": "string", "description": "Organization, else COUNTRY/SECTOR, else name or words." },
                    "events": { "type": "integer", "minimum": 0 },
                    "as_source": { "type": "integer", "minimum": 0 },
                    "as_target": { "type": "integer", "minimum": 0 },
                },
            },
            "DyadCount": {
                "type": "object",
                "required": ["source", "target", "events", "by_quad"],
                "properties": {
                    "source": { "type": "string" },
                    "target": { "type": "string" },
                    "events": { "type": "integer", "minimum": 0 },
                    "by_quad": counts_map(),
                },
            },
            "ActorList": {
                "type": "object",
                "required": ["events", "actors"],
                "properties": {
                    "events": { "type": "integer", "minimum": 0, "description": "Events counted." },
                    "actors": { "type": "array", "items": reference("ActorCount") },
                },
            },
            "DyadList": {
                "type": "object",
                "required": ["events", "dyads"],
                "properties": {
                    "events": { "type": "integer", "minimum": 0, "description": "Events counted." },
                    "dyads": { "type": "array", "items": reference("DyadCount") },
                },
            },
            "Timeline": {
                "type": "object",
                "required": ["period", "by", "periods", "events", "series"],
                "properties": {
                    "period": { "type": "string", "enum": ["day", "week", "month", "year"] },
                    "by": { "type": "string", "enum": ["type", "quad"] },
                    "periods": { "type": "array", "items": { "type": "string" } },
                    "events": { "type": "array", "items": { "type": "integer", "minimum": 0 },
                                "description": "All events of each period." },
                    "series": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["key", "counts"],
                            "properties": {
                                "key": { "type": "string", "description": "A PLOVER type or quad class." },
                                "counts": { "type": "array", "items": { "type": "integer", "minimum": 0 } },
                            },
                        },
                    },
                },
            },
            "PeriodCounts": {
                "type": "object",
                "required": ["period", "events", "mentions", "by_type", "by_quad"],
                "properties": {
                    "period": { "type": "string" },
                    "events": { "type": "integer", "minimum": 0 },
                    "mentions": { "type": "integer", "minimum": 0 },
                    "by_type": counts_map(),
                    "by_quad": counts_map(),
                },
            },
            "StoreCounts": {
                "type": "object",
                "required": ["documents", "stories", "events", "mentions", "actors"],
                "properties": {
                    "documents": { "type": "integer", "minimum": 0 },
                    "stories": { "type": "integer", "minimum": 0 },
                    "events": { "type": "integer", "minimum": 0 },
                    "mentions": { "type": "integer", "minimum": 0 },
                    "actors": { "type": "integer", "minimum": 0 },
                },
            },
            "Stats": {
                "type": "object",
                "required": ["events", "mentions", "by_type", "by_quad", "period", "timeline", "top_dyads", "top_actors", "store"],
                "properties": {
                    "events": { "type": "integer", "minimum": 0 },
                    "mentions": { "type": "integer", "minimum": 0 },
                    "by_type": counts_map(),
                    "by_quad": counts_map(),
                    "period": { "type": "string", "enum": ["day", "week", "month", "year"] },
                    "timeline": { "type": "array", "items": reference("PeriodCounts") },
                    "top_dyads": { "type": "array", "items": reference("DyadCount") },
                    "top_actors": { "type": "array", "items": reference("ActorCount") },
                    "store": reference("StoreCounts"),
                },
            },
            "CodeRequest": {
                "type": "object",
                "required": ["text"],
                "additionalProperties": false,
                "properties": {
                    "text": { "type": "string", "minLength": 1 },
                    "date": { "type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
                              "description": "Publication date; default today." },
                    "id": { "type": "string", "description": "The document id the events carry; default text-<hash>." },
                },
            },
            "Place": {
                "type": "object",
                "required": ["start", "end", "name", "country", "lat", "lon"],
                "properties": {
                    "start": { "type": "integer", "minimum": 0, "description": "In characters of the text." },
                    "end": { "type": "integer", "minimum": 0 },
                    "name": { "type": "string" },
                    "country": nullable("string"),
                    "lat": nullable("number"),
                    "lon": nullable("number"),
                },
            },
            "Coded": {
                "type": "object",
                "required": ["id", "events", "places"],
                "properties": {
                    "id": { "type": "string" },
                    "events": { "type": "array", "items": reference("EventRecord") },
                    "places": { "type": "array", "items": reference("Place") },
                },
            },
            "NewDocument": {
                "type": "object",
                "required": ["text"],
                "additionalProperties": false,
                "properties": {
                    "id": { "type": "string", "description": "Default: text-<FNV-1a hash of the text>, as annals ingest names it." },
                    "text": { "type": "string", "minLength": 1 },
                    "date": { "type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" },
                    "title": { "type": "string" },
                    "url": { "type": "string" },
                    "source": { "type": "string", "description": "The outlet." },
                },
            },
            "StoredResult": {
                "type": "object",
                "required": ["id", "stored", "events"],
                "properties": {
                    "id": { "type": "string" },
                    "stored": { "type": "boolean", "description": "false: a document with this id was already stored." },
                    "events": { "type": "integer", "minimum": 0, "description": "Event reports stored (or already stored) for it." },
                },
            },
        },
    })
}
