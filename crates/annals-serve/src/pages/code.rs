//! `GET /code` and `POST /code`: "code an article". The form (`#code-form`, `#code-text`,
//! `#code-date`, `#code-submit`) posts to `/code`, which codes the text on the server and
//! answers the page with the result in `#code-result`: the events as rows
//! `tr.coded-event` and the text with its actors, triggers and places highlighted. With
//! JavaScript, `html::APP_JS` sends the text to `POST /api/code` instead and builds the
//! same result in the page with DOM calls (text nodes only), falling back to posting the
//! form when the API does not answer. Nothing is stored.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;

use super::common::{coded_events_table, error_page, highlight, marks, plural, Params, MARK_LEGEND};
use super::filters::parse_ymd;
use crate::html::{escape, page};
use crate::server::{AppState, CodeRequest, CodedText};

const TITLE: &str = "Code an article";
const NAV: &str = "/code";

/// The form, filled with `text` and `date`, with `error` under it when there is one.
fn form(text: &str, date: &str, error: Option<(&str, &str)>) -> String {
    let invalid = |name: &str| match error {
        Some((n, _)) if n == name => format!(" aria-invalid=\"true\" aria-describedby=\"{name}-error\""),
        _ => String::new(),
    };
    let message = |name: &str| match error {
        Some((n, m)) if n == name => format!("<p class=\"error field-error\" id=\"{name}-error\">{}</p>", escape(m)),
        _ => String::new(),
    };
    format!(
        "<p class=\"lead\">Paste the text of a news article: annals codes its events (nothing is stored) and \
         shows who did what to whom, with the words it read them from.</p>\n\
         <form id=\"code-form\" class=\"code-form\" method=\"post\" action=\"/code\">\n\
         <div class=\"field\"><label for=\"code-text\">Article text</label>\
         <textarea id=\"code-text\" name=\"text\" rows=\"12\" required=\"required\" spellcheck=\"false\"{ti}>\n{text}</textarea>{tm}</div>\n\
         <div class=\"field field-date\"><label for=\"code-date\">Publication date <span class=\"muted\">(optional; \
         dates like “on Monday” count from it)</span></label>\
         <input id=\"code-date\" name=\"date\" type=\"date\" value=\"{date}\"{di} />{dm}</div>\n\
         <div class=\"actions\"><button type=\"submit\" id=\"code-submit\">Code the article</button>\
         <span id=\"code-status\" class=\"muted\" role=\"status\" aria-live=\"polite\"></span></div>\n\
         </form>\n",
        text = escape(text),
        date = escape(date),
        ti = invalid("code-text"),
        tm = message("code-text"),
        di = invalid("code-date"),
        dm = message("code-date"),
    )
}

/// The result: a summary, the events table and the highlighted text.
fn result(text: &str, coded: &CodedText) -> String {
    let events: Vec<Value> = coded.events.iter().filter_map(|e| serde_json::to_value(e).ok()).collect();
    let marks = marks(text, &events, &coded.places);
    let mut out = format!(
        "<h2 id=\"code-result-heading\" tabindex=\"-1\">Result</h2>\n<p class=\"code-summary\">{} and {} found.</p>\n",
        plural(events.len() as u64, "event", "events"),
        plural(coded.places.len() as u64, "place name", "place names")
    );
    if !events.is_empty() {
        out += &coded_events_table(&events);
    }
    let _ = write!(
        out,
        "<h3>The text</h3>\n{MARK_LEGEND}\n<div class=\"doc-text coded-text\">{}</div>\n",
        highlight(text, &marks, false)
    );
    out
}

fn respond(status: StatusCode, text: &str, date: &str, error: Option<(&str, &str)>, result_html: &str) -> Response {
    let body = format!(
        "{}<div id=\"code-result\" class=\"code-result\" aria-labelledby=\"code-result-heading\">{result_html}</div>\n",
        form(text, date, error)
    );
    super::html(status, page(TITLE, NAV, &body))
}

/// `GET /code`: the empty form.
pub(crate) async fn form_page() -> Response {
    respond(StatusCode::OK, "", "", None, "")
}

/// `POST /code` (`application/x-www-form-urlencoded`: `text`, optional `date`).
pub(crate) async fn submit(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return error_page(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            TITLE,
            NAV,
            "Send the form as application/x-www-form-urlencoded (or use POST /api/code with JSON).",
        );
    }
    let params = Params::from_bytes(&body);
    let text = params.raw("text").unwrap_or("").replace("\r\n", "\n");
    let date = params.get("date").unwrap_or("").to_string();
    if text.trim().is_empty() {
        return respond(
            StatusCode::BAD_REQUEST,
            &text,
            &date,
            Some(("code-text", "Paste the text of an article.")),
            "",
        );
    }
    if !date.is_empty() && parse_ymd(&date).is_none() {
        let message = format!("Expected a date like 2024-05-01 (got “{date}”).");
        return respond(StatusCode::BAD_REQUEST, &text, &date, Some(("code-date", &message)), "");
    }
    let request = CodeRequest {
        id: "article".to_string(),
        text: text.clone(),
        date: if date.is_empty() { None } else { Some(date.clone()) },
    };
    match state.code(request).await {
        Ok(coded) => respond(StatusCode::OK, &text, &date, None, &result(&text, &coded)),
        Err(e) => error_page(e.status, TITLE, NAV, "The text could not be coded."),
    }
}
