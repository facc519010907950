//! The JSON API under `/api/` (being written).

use std::sync::Arc;

use crate::server::AppState;

pub fn routes() -> axum::Router<Arc<AppState>> {
    axum::Router::new()
}
