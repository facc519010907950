//! The server's shared state and assembly: configuration, the pool of store connections
//! (every database call runs on a blocking thread, never on the async workers), the
//! coder supplied by the binary, the JSON error type, and the router that joins the API
//! ([`crate::api`]) and the dashboard ([`crate::pages`]).
//!
//! The crate knows nothing of models and lexicons: the binary hands it a [`Coder`], a
//! function from text to event records and place spans. So the NLP crates never depend on
//! HTTP, and this crate never loads a model.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use annals_store::{Store, StoreError};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// A text to code (`POST /api/code`, the "code an article" page, stored documents).
#[derive(Debug, Clone)]
pub struct CodeRequest {
    /// The document id the events will carry.
    pub id: String,
    pub text: String,
    /// Publication date (YYYY-MM-DD); None: today.
    pub date: Option<String>,
}

/// A place named in a text, for highlighting: `[start, end)` in characters of the text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlaceSpan {
    pub start: usize,
    pub end: usize,
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// What the coder finds in a text: event records (as `annals code` prints them) and the
/// places it names.
#[derive(Debug, Clone, Default)]
pub struct CodedText {
    pub events: Vec<annals_events::EventRecord>,
    pub places: Vec<PlaceSpan>,
}

/// Codes a text. Called on blocking threads; must not panic on any text.
pub type Coder = Arc<dyn Fn(&CodeRequest) -> CodedText + Send + Sync>;

/// How the server runs.
#[derive(Clone)]
pub struct ServeConfig {
    /// The database: a SQLite file or a PostgreSQL URL.
    pub db: String,
    pub addr: SocketAddr,
    /// The bearer token `POST /api/documents` needs; None disables that endpoint.
    pub write_token: Option<String>,
    /// Largest request body accepted, in bytes (larger: 413).
    pub max_body_bytes: usize,
    /// Most events one response lists (`limit` above it is a 400).
    pub max_limit: usize,
    pub coder: Coder,
}

impl std::fmt::Debug for ServeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeConfig")
            .field("db", &self.db)
            .field("addr", &self.addr)
            .field("write_token", &self.write_token.as_ref().map(|_| "***"))
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_limit", &self.max_limit)
            .finish_non_exhaustive()
    }
}

/// Default body cap: 1 MiB, more than any news article.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;
/// Default and largest page of events.
pub const DEFAULT_LIMIT: usize = 100;
pub const DEFAULT_MAX_LIMIT: usize = 1000;

/// Everything a handler needs.
pub struct AppState {
    pub config: ServeConfig,
    /// Read-only connections, reused; one is opened when none is free.
    readers: Mutex<Vec<Store>>,
    /// The one writing connection, opened at the first write.
    writer: Mutex<Option<Store>>,
}

impl AppState {
    /// Checks that the database opens read-only (a missing, foreign or too-new database
    /// fails here, before the server listens), and keeps that connection.
    pub fn new(config: ServeConfig) -> Result<AppState, StoreError> {
        let first = Store::open_read_only(&config.db)?;
        Ok(AppState { config, readers: Mutex::new(vec![first]), writer: Mutex::new(None) })
    }

    /// Runs `f` with a read-only connection on a blocking thread.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let pooled = state.readers.lock().ok().and_then(|mut v| v.pop());
            let mut store = match pooled {
                Some(s) => s,
                None => Store::open_read_only(&state.config.db).map_err(ApiError::store)?,
            };
            let result = f(&mut store).map_err(ApiError::store);
            if let Ok(mut v) = state.readers.lock() {
                v.push(store);
            }
            result
        })
        .await
        .map_err(|_| ApiError::internal())?
    }

    /// Runs `f` with the writing connection on a blocking thread (one writer at a time).
    pub async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut guard = state.writer.lock().map_err(|_| ApiError::internal())?;
            if guard.is_none() {
                *guard = Some(Store::open(&state.config.db).map_err(ApiError::store)?);
            }
            match guard.as_mut() {
                Some(store) => f(store).map_err(ApiError::store),
                None => Err(ApiError::internal()),
            }
        })
        .await
        .map_err(|_| ApiError::internal())?
    }

    /// Codes a text on a blocking thread.
    pub async fn code(self: &Arc<Self>, req: CodeRequest) -> Result<CodedText, ApiError> {
        let coder = Arc::clone(&self.config.coder);
        tokio::task::spawn_blocking(move || coder(&req)).await.map_err(|_| ApiError::internal())
    }
}

/// An error answer: a status and a JSON body `{"error": message, "parameter": name?}`.
/// Messages name what the client got wrong; internal failures say only that they happened
/// (the details go to standard error, never to the client).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub parameter: Option<String>,
}

impl ApiError {
    /// 400 naming the parameter.
    pub fn bad_parameter(parameter: &str, message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, message: message.into(), parameter: Some(parameter.to_string()) }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::NOT_FOUND, message: message.into(), parameter: None }
    }

    pub fn internal() -> ApiError {
        ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, message: "internal error".into(), parameter: None }
    }

    /// A store failure: logged in full, answered as 503 (locked) or 500, without details.
    pub fn store(e: StoreError) -> ApiError {
        eprintln!("annals serve: store error: {e}");
        match e {
            StoreError::Locked { .. } => ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: "the database is busy; try again".into(),
                parameter: None,
            },
            _ => ApiError::internal(),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: &self.message, parameter: self.parameter.as_deref() };
        (self.status, Json(body)).into_response()
    }
}

/// An error of starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// The whole application: API and dashboard, with the body cap.
pub fn router(state: Arc<AppState>) -> axum::Router {
    let max_body = state.config.max_body_bytes;
    axum::Router::new()
        .merge(crate::api::routes())
        .merge(crate::pages::routes())
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// Opens the store, binds the address and serves until Ctrl-C.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let addr = config.addr;
    let state = Arc::new(AppState::new(config)?);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })?;
    let local = listener.local_addr().unwrap_or(addr);
    eprintln!("annals serve: listening on http://{local}/ (API under /api/, Ctrl-C stops)");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
