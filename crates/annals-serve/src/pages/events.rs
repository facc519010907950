//! `GET /`: the events page. The filter form, then the matching events as a sortable table
//! (`#events`, one row per event with `data-type`, each linking to its evidence), 100 per
//! page, paged forward with the store's cursor (`after_date` and `after_id` in the links).

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::common::{events_table, plural, store_error_page, str_field, thousands, Params};
use super::filters::{error_summary, filter_form, is_date_prefix, Filters, ALL_FIELDS};
use crate::html::page;
use crate::server::AppState;

/// Events per page.
pub(crate) const PAGE: usize = 100;
/// Longest cursor id accepted.
const MAX_ID_CHARS: usize = 1000;

pub(crate) async fn handler(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let mut filters = Filters::parse(&params, &ALL_FIELDS);
    let after_date = params.raw("after_date").map(str::trim).unwrap_or("").to_string();
    let after_id = params.raw("after_id").unwrap_or("").to_string();
    if !after_id.is_empty() || !after_date.is_empty() {
        if !(after_date.is_empty() || is_date_prefix(&after_date)) || after_id.chars().count() > MAX_ID_CHARS {
            filters.error("after_id", "The page link is damaged: start again from the first page.".to_string());
        } else {
            filters.query.after = Some((after_date.clone(), after_id.clone()));
        }
    }
    if !filters.errors.is_empty() {
        let body = format!(
            "{}{}<p class=\"muted\">No events shown: the filters need fixing first.</p>",
            error_summary(&filters.errors),
            filter_form("/", &filters, &[])
        );
        return super::html(StatusCode::BAD_REQUEST, page("Events", "/", &body));
    }
    let mut query = filters.query.clone();
    query.limit = Some(PAGE + 1);
    let result = state
        .read(move |store| {
            let counts = store.counts()?;
            let events = store.query(&query)?;
            Ok((counts, events))
        })
        .await;
    let (counts, mut events) = match result {
        Ok(r) => r,
        Err(e) => return store_error_page(e, "/"),
    };
    let more = events.len() > PAGE;
    events.truncate(PAGE);

    let mut body = format!(
        "<p class=\"lead\">The database holds {} from {} ({} in all). Filter them, sort the table by a \
         column, and follow a trigger to the sentence it was coded from.</p>\n",
        plural(counts.events as u64, "event", "events"),
        plural(counts.documents as u64, "document", "documents"),
        plural(counts.mentions as u64, "report", "reports"),
    );
    body += &filter_form("/", &filters, &[]);
    let paged = filters.query.after.is_some();
    let shown = if events.is_empty() {
        if filters.any() || paged {
            "No events match these filters.".to_string()
        } else {
            "No events yet: store some with <code>annals ingest</code>.".to_string()
        }
    } else {
        let what = if filters.any() { "matching events" } else { "events" };
        format!(
            "Showing {} {what}{}{}, by date.",
            thousands(events.len() as u64),
            if paged { " (a later page)" } else { "" },
            if more { "; more on the next page" } else { "" }
        )
    };
    body += &format!("<h2 id=\"results\">Results</h2>\n<p role=\"status\">{shown}</p>\n");
    if !events.is_empty() {
        body += &events_table(&events, Some("events"), "Events");
    }
    body += &pager(&filters, &events, more, paged);
    super::html(StatusCode::OK, page("Events", "/", &body))
}

/// The "first page" and "next page" links.
fn pager(filters: &Filters, events: &[Value], more: bool, paged: bool) -> String {
    let mut links = Vec::new();
    if paged {
        links.push(format!("<a href=\"{}\">« First page</a>", filters.href("/", &[])));
    }
    if more {
        if let Some(last) = events.last() {
            let date = str_field(last, "date").unwrap_or("");
            let id = str_field(last, "id").unwrap_or("");
            let next = filters.href("/", &[("after_date", date), ("after_id", id)]);
            links.push(format!("<a href=\"{next}\" rel=\"next\" id=\"next-page\">Next {PAGE} events »</a>"));
        }
    }
    if links.is_empty() {
        return String::new();
    }
    format!("<nav class=\"pager\" aria-label=\"Pages of events\">{}</nav>\n", links.join(" "))
}
