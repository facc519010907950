//! The HTTP server of annals: JSON API and dashboard (server being written); this part draws
//! charts and pages.
//!
//! Everything here is a pure function from data to a `String`: [`svg`] draws the dashboard's
//! charts (timeline, actor network, map) as self-contained SVG, [`world`] holds the embedded
//! Natural Earth country outlines the map draws, and [`html`] wraps a body into a complete
//! page with the site's navigation, and holds the stylesheet and script the server will serve
//! at `/static/app.css` and `/static/app.js`. No I/O, no templates, no JavaScript needed to read
//! a page: the script only adds sorting to tables.

pub mod api;
pub mod html;
pub mod openapi;
pub mod pages;
pub mod server;
pub mod svg;
pub mod world;

pub use server::{serve, AppState, CodeRequest, CodedText, Coder, PlaceSpan, ServeConfig, ServeError};
