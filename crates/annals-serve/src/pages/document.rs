//! `GET /documents/{id}`: one stored article, the evidence behind its events. The text is
//! shown with its actors, triggers and places highlighted (`<mark>`, see
//! [`super::common::marks`]); beside it, each event of the document as a card
//! (`id="event-{id}"`, the target of the events table's links) with its type, mode, roles,
//! confidence, `why`, and how many reports and sources the event has. Near-duplicate copies
//! of the article are listed with links. Places are found by coding the stored text again
//! (the store keeps only events' locations, not every place a text names).

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::common::{
    actors_html, confidence_text, error_page, highlight, marks, pct_path, place_text, plural, store_error_page,
    str_field, trigger_text, MARK_LEGEND,
};
use crate::html::{escape, page};
use crate::server::{AppState, CodeRequest};

/// The most events of one document whose report counts are looked up.
const MAX_COUNTED: usize = 500;

/// Whether a URL may be a link: http or https only.
pub(crate) fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.chars().any(char::is_whitespace))
}

fn event_card(e: &Value, counts: Option<&Value>) -> String {
    let id = str_field(e, "id").unwrap_or("");
    let t = str_field(e, "event").unwrap_or("");
    let mut out = format!(
        "<li class=\"event-card\" id=\"event-{}\" data-type=\"{}\">\n<p class=\"event-head\"><strong>{}</strong>",
        escape(id),
        escape(t),
        escape(t)
    );
    if let Some(mode) = str_field(e, "mode") {
        let _ = write!(out, " <span class=\"muted\">{}</span>", escape(mode));
    }
    if e.get("negated").and_then(Value::as_bool).unwrap_or(false) {
        out += " <span class=\"badge\">negated</span>";
    }
    let target = actors_html(e, "target");
    let _ = write!(
        out,
        "</p>\n<p class=\"event-roles\">{} <span aria-label=\"acts on\">→</span> {}</p>\n<dl class=\"event-facts\">",
        actors_html(e, "source"),
        if target.is_empty() { "<span class=\"muted\">no target</span>".to_string() } else { target }
    );
    let mut fact = |k: &str, v: String| {
        if !v.is_empty() {
            let _ = write!(out, "<dt>{k}</dt><dd>{v}</dd>");
        }
    };
    fact("Trigger", escape(&trigger_text(e)));
    fact("Date", escape(str_field(e, "date").unwrap_or("")));
    fact("Place", escape(&place_text(e)));
    fact("Confidence", escape(&confidence_text(e)));
    if let Some(c) = counts {
        let mentions = c.get("mentions").and_then(Value::as_u64).unwrap_or(1);
        let sources = c.get("sources").and_then(Value::as_u64).unwrap_or(1);
        let docs = c.get("documents").and_then(Value::as_array).map(Vec::len).unwrap_or(1) as u64;
        fact(
            "Reports",
            format!(
                "{} in {} ({})",
                plural(mentions, "mention", "mentions"),
                plural(sources, "source", "sources"),
                plural(docs, "document", "documents")
            ),
        );
    }
    fact("Why", format!("<code>{}</code>", escape(str_field(e, "why").unwrap_or(""))));
    out += "</dl>\n</li>\n";
    out
}

/// The route's handler.
pub(crate) async fn handler(State(state): State<Arc<AppState>>, path: Result<Path<String>, PathRejection>) -> Response {
    let Ok(Path(id)) = path else {
        return error_page(StatusCode::BAD_REQUEST, "Bad document id", "", "This document id cannot be read.");
    };
    let lookup = id.clone();
    let result = state
        .read(move |store| {
            let Some(view) = store.document(&lookup)? else { return Ok(None) };
            let mut counts = Vec::new();
            for e in view.events.iter().take(MAX_COUNTED) {
                let grouped = match str_field(e, "id") {
                    Some(event_id) => store.event(event_id)?,
                    None => None,
                };
                counts.push(grouped);
            }
            Ok(Some((view, counts)))
        })
        .await;
    let (view, counts) = match result {
        Ok(Some(v)) => v,
        Ok(None) => {
            return error_page(
                StatusCode::NOT_FOUND,
                "Document not found",
                "",
                &format!("There is no document “{id}” in the database."),
            )
        }
        Err(e) => return store_error_page(e, ""),
    };
    let doc = &view.doc;
    let coded = state
        .code(CodeRequest { id: doc.id.clone(), text: doc.text.clone(), date: doc.date.clone() })
        .await
        .unwrap_or_default();
    let marks = marks(&doc.text, &view.events, &coded.places);

    let mut meta = Vec::new();
    if let Some(d) = &doc.date {
        meta.push(format!("<time>{}</time>", escape(d)));
    }
    if let Some(s) = &doc.source {
        meta.push(escape(s));
    }
    match &doc.url {
        Some(u) if is_web_url(u) => meta.push(format!(
            "<a href=\"{}\" rel=\"noopener noreferrer nofollow\">the original article</a>",
            escape(u.trim())
        )),
        Some(u) => meta.push(format!("<span class=\"muted\">{}</span>", escape(u))),
        None => {}
    }
    meta.push(format!("id <code>{}</code>", escape(&doc.id)));
    meta.push(format!(
        "<a href=\"#events-heading\">{} ↓</a>",
        escape(&plural(view.events.len() as u64, "event", "events"))
    ));

    let title = doc.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| format!("Document {}", doc.id));
    let mut body = format!(
        "<div class=\"doc-layout\">\n<article id=\"article\" class=\"document\" aria-labelledby=\"article-heading\">\n\
         <h2 id=\"article-heading\">The article</h2>\n<p class=\"doc-meta\">{}</p>\n{MARK_LEGEND}\n\
         <div class=\"doc-text\">{}</div>\n</article>\n",
        meta.join(" · "),
        highlight(&doc.text, &marks, true)
    );
    let _ = write!(
        body,
        "<aside class=\"doc-events\" aria-labelledby=\"events-heading\">\n<h2 id=\"events-heading\">{}</h2>\n",
        escape(&plural(view.events.len() as u64, "event", "events"))
    );
    if view.events.is_empty() {
        body += "<p>No events were coded from this article.</p>\n";
    } else {
        body += "<ol class=\"event-list\">\n";
        for (i, e) in view.events.iter().enumerate() {
            body += &event_card(e, counts.get(i).and_then(Option::as_ref));
        }
        body += "</ol>\n";
    }
    body += "</aside>\n</div>\n";
    if !view.near_duplicates.is_empty() {
        body += "<section aria-labelledby=\"copies-heading\" class=\"near-duplicates\">\
                 <h2 id=\"copies-heading\">Near-duplicate copies</h2>\n<p>The same story, stored from other documents \
                 (their events count as one):</p>\n<ul>\n";
        for copy in &view.near_duplicates {
            let _ = writeln!(body, "<li><a href=\"/documents/{}\">{}</a></li>", escape(&pct_path(copy)), escape(copy));
        }
        body += "</ul>\n</section>\n";
    }
    super::html(StatusCode::OK, page(&title, "", &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_are_links() {
        assert!(is_web_url("https://example.org/a"));
        assert!(is_web_url("HTTP://example.org"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("data:text/html,x"));
        assert!(!is_web_url("https://"));
    }
}
