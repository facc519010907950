//! `annals serve`: the binary's side of the server. It loads the models, lexicons and
//! gazetteer once, wraps them in the [`annals_serve::Coder`] the server calls, and runs
//! the server on a tokio runtime. Everything HTTP lives in `annals-serve`.

use crate::actor::LexiconArgs;
use crate::ModelArgs;
use annals_actors::{Date, Precision};
use annals_places::{find_places, Gazetteer};
use annals_serve::{CodeRequest, CodedText, PlaceSpan, ServeConfig};
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The database: a SQLite file, or a PostgreSQL URL. Opened read-only unless
    /// --write-token is given.
    #[arg(long, value_name = "PATH_OR_URL", default_value = "annals.db")]
    pub db: String,
    /// Address to listen on (loopback by default; port 0 picks a free port).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8750")]
    pub addr: SocketAddr,
    /// Enables `POST /api/documents` (store and code a document) for requests that send
    /// `Authorization: Bearer TOKEN`. Without it the server never writes.
    #[arg(long, value_name = "TOKEN", env = "ANNALS_WRITE_TOKEN", hide_env_values = true)]
    pub write_token: Option<String>,
    /// Largest request body, in bytes (larger requests get 413).
    #[arg(long, value_name = "BYTES", default_value_t = annals_serve::server::DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Most events one API response lists.
    #[arg(long, value_name = "N", default_value_t = annals_serve::server::DEFAULT_MAX_LIMIT)]
    pub max_limit: usize,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// Character offset of each byte offset that starts a character (for place spans).
fn char_offset(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or_else(|| text.chars().count(), |s| s.chars().count())
}

pub fn run(a: &ServeArgs) -> Result<()> {
    a.model.init_threads();
    if a.write_token.as_deref().is_some_and(|t| t.trim().len() < 8) {
        anyhow::bail!("--write-token: use at least 8 characters");
    }
    let (lex, events) = crate::code::load_lexicons(&a.lexicon)?;
    let models = crate::models::load(a.model.models.as_deref())?;
    let gaz = Gazetteer::shared().context("the built-in gazetteer is invalid")?;
    let coder = move |req: &CodeRequest| -> CodedText {
        let date = req.date.as_deref().and_then(Date::parse).unwrap_or((crate::code::today(), Precision::Day));
        let records = crate::code::code_text(&models, &lex, &events, Some(gaz), &req.id, &req.text, Some(date), false);
        let parsed = crate::places::parse_for_places(&models, &lex, &req.text);
        let countries: Vec<&str> = parsed.actor_countries.iter().map(String::as_str).collect();
        let places = find_places(gaz, &parsed.sentences, &countries)
            .iter()
            .map(|m| {
                let p = gaz.place(m.place);
                PlaceSpan {
                    start: char_offset(&req.text, m.start),
                    end: char_offset(&req.text, m.end),
                    name: p.name.to_string(),
                    country: Some(p.country.to_string()).filter(|c| !c.is_empty()),
                    lat: Some(p.lat),
                    lon: Some(p.lon),
                }
            })
            .collect();
        CodedText { events: records, places }
    };
    let config = ServeConfig {
        db: a.db.clone(),
        addr: a.addr,
        write_token: a.write_token.clone(),
        max_body_bytes: a.max_body_bytes,
        max_limit: a.max_limit.max(1),
        coder: Arc::new(coder),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    let db = crate::store::redact(&a.db);
    runtime.block_on(annals_serve::serve(config)).with_context(|| format!("annals serve on {db}"))?;
    Ok(())
}
