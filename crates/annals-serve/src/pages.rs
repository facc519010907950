//! The dashboard of `annals serve`: server-rendered HTML pages over the store, and the
//! stylesheet and script they link to. This module owns the routes and the response
//! headers; each page lives in its own file:
//!
//! - `/` ([`events`]): the filter form and the table of matching events, 100 per page;
//! - `/dyad`, `/network`, `/map` ([`charts`]): timelines of a dyad, who acts on whom, where;
//! - `/documents/{id}` ([`document`]): an article with its actors, triggers and places
//!   highlighted, beside its events;
//! - `/code` ([`code`]): "code an article", a form that works with or without JavaScript;
//! - `/static/app.css`, `/static/app.js`: [`crate::html::APP_CSS`] and [`crate::html::APP_JS`].
//!
//! Every page is complete without JavaScript and passes a strict Content-Security-Policy
//! (no inline script or style), sent with every answer ([`CSP`]). Text from the store or
//! from the user only ever reaches a page through [`crate::html::escape`]. Bad query
//! parameters give the page with an error message and status 400, never a 500.

mod charts;
mod code;
mod common;
mod document;
mod events;
mod filters;

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::html::{APP_CSS, APP_CSS_PATH, APP_JS, APP_JS_PATH};
use crate::server::AppState;

/// The Content-Security-Policy of every answer of the dashboard.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                       object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// How long browsers may keep the stylesheet and script (they change only with the binary).
const STATIC_CACHE: &str = "public, max-age=3600";

/// The dashboard's routes.
pub fn routes() -> axum::Router<Arc<AppState>> {
    axum::Router::new()
        .route("/", get(events::handler))
        .route("/dyad", get(charts::dyad))
        .route("/network", get(charts::network))
        .route("/map", get(charts::map))
        .route("/documents/{id}", get(document::handler))
        .route("/code", get(code::form_page).post(code::submit))
        .route(APP_CSS_PATH, get(app_css))
        .route(APP_JS_PATH, get(app_js))
        .fallback(not_found)
}

/// Any other path (the API answers its own under `/api/`): a 404 page.
async fn not_found() -> Response {
    common::error_page(StatusCode::NOT_FOUND, "Page not found", "", "There is no page at this address.")
}

/// Adds the security headers every answer of the dashboard carries.
fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// A complete HTML page as a response with `status`.
pub(crate) fn html(status: StatusCode, page: String) -> Response {
    secure(
        (status, [(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))], page).into_response(),
    )
}

fn static_file(content_type: &'static str, body: &'static str) -> Response {
    secure(
        (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static(STATIC_CACHE)),
            ],
            body,
        )
            .into_response(),
    )
}

async fn app_css() -> Response {
    static_file("text/css; charset=utf-8", APP_CSS)
}

async fn app_js() -> Response {
    static_file("text/javascript; charset=utf-8", APP_JS)
}
