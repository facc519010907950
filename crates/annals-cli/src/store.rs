//! `annals ingest` and `annals events`: coding documents into the event store and
//! querying it. The store is a SQLite file by default (`annals.db` in the current folder).

use crate::actor::LexiconArgs;
use crate::ModelArgs;
use annals_actors::{Date, Precision};
use annals_store::{EventQuery, SqliteStore, StoredDocument};
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct IngestArgs {
    /// Input files or folders: .txt, .jsonl, .csv, .html; none or `-` reads standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// The database file (SQLite).
    #[arg(long, value_name = "PATH", default_value = "annals.db")]
    pub db: PathBuf,
    /// Re-code documents already stored (after a lexicon or model change), replacing
    /// their events.
    #[arg(long)]
    pub recode: bool,
    /// Publication date of documents that carry none (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn run_ingest(a: &IngestArgs) -> Result<()> {
    a.model.init_threads();
    let default_date = match a.date.as_deref() {
        Some(d) => match Date::parse(d) {
            Some(x) => Some(x),
            None => bail!("--date: not a date: {d:?} (expected YYYY-MM-DD, YYYY-MM or YYYY)"),
        },
        None => None,
    };
    let mut store = SqliteStore::open(&a.db).with_context(|| format!("cannot open the store {}", a.db.display()))?;
    let docs = crate::input::read_documents(&a.inputs)?;
    let (lex, events) = crate::code::load_lexicons(&a.lexicon)?;
    let models = crate::models::load(a.model.models.as_deref())?;
    let gaz = annals_places::Gazetteer::shared().context("the built-in gazetteer is invalid")?;
    let bar = crate::parse::progress(docs.len() as u64, "documents");
    let started = std::time::Instant::now();
    let (mut added, mut skipped, mut stored_events) = (0usize, 0usize, 0usize);
    for chunk in docs.chunks(64) {
        let mut todo = Vec::with_capacity(chunk.len());
        for d in chunk {
            if !a.recode && store.has_document(&d.id)? {
                skipped += 1;
                continue;
            }
            todo.push(d);
        }
        let batch: Vec<(StoredDocument, Vec<annals_events::EventRecord>)> = todo
            .par_iter()
            .map(|d| {
                let date = d
                    .date
                    .as_deref()
                    .and_then(Date::parse)
                    .or(default_date)
                    .unwrap_or((crate::code::today(), Precision::Day));
                let records =
                    crate::code::code_text(&models, &lex, &events, Some(gaz), &d.id, &d.text, Some(date), false);
                let doc = StoredDocument {
                    id: d.id.clone(),
                    text: d.text.clone(),
                    date: d.date.clone(),
                    title: d.title.clone(),
                    url: d.url.clone(),
                    source: d.source.clone(),
                };
                (doc, records)
            })
            .collect();
        let (docs_added, events_added) = store
            .ingest_batch(&batch, a.recode)
            .with_context(|| format!("cannot store a batch in {}", a.db.display()))?;
        added += docs_added;
        skipped += batch.len() - docs_added;
        stored_events += events_added;
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    let counts = store.counts()?;
    eprintln!(
        "ingested {added} document(s) ({skipped} already stored), {stored_events} event(s) in {:.1} s; {} now holds {} documents and {} events",
        started.elapsed().as_secs_f64(),
        a.db.display(),
        counts.documents,
        counts.events
    );
    Ok(())
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryFormat {
    Table,
    Jsonl,
    Csv,
}

#[derive(clap::Args, Debug)]
pub struct EventsArgs {
    /// The database file (SQLite).
    #[arg(long, value_name = "PATH", default_value = "annals.db")]
    pub db: PathBuf,
    /// Events whose source matches (a country code, sector, organization or person name).
    #[arg(long)]
    pub source: Option<String>,
    /// Events whose target matches (a country code, sector, organization or person name).
    #[arg(long)]
    pub target: Option<String>,
    /// Events from A to B: `--dyad USA,ISR`.
    #[arg(long, value_name = "A,B")]
    pub dyad: Option<String>,
    /// PLOVER event type.
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,
    /// PLOVER mode.
    #[arg(long)]
    pub mode: Option<String>,
    /// Events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Events on or before this date.
    #[arg(long)]
    pub until: Option<String>,
    /// Events located at this place name or country code.
    #[arg(long)]
    pub place: Option<String>,
    /// Full-text search over the evidence sentences.
    #[arg(long)]
    pub text: Option<String>,
    /// At most this many events.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    pub format: Option<QueryFormat>,
}

pub fn run_events(a: &EventsArgs) -> Result<()> {
    use std::io::IsTerminal;
    if !a.db.exists() {
        bail!("{} does not exist (create it with annals ingest)", a.db.display());
    }
    let dyad = match a.dyad.as_deref() {
        Some(d) => match d.split_once(',') {
            Some((x, y)) if !x.trim().is_empty() && !y.trim().is_empty() => {
                Some((x.trim().to_string(), y.trim().to_string()))
            }
            _ => bail!("--dyad: expected two actors separated by a comma, like USA,ISR (got {d:?})"),
        },
        None => None,
    };
    for (what, v) in [("--since", &a.since), ("--until", &a.until)] {
        if let Some(d) = v {
            if Date::parse(d).is_none() {
                bail!("{what}: not a date: {d:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)");
            }
        }
    }
    let store =
        SqliteStore::open_read_only(&a.db).with_context(|| format!("cannot open the store {}", a.db.display()))?;
    let q = EventQuery {
        source: a.source.clone(),
        target: a.target.clone(),
        dyad,
        event_type: a.event_type.as_ref().map(|t| t.to_uppercase()),
        mode: a.mode.as_ref().map(|m| m.to_uppercase()),
        since: a.since.clone(),
        until: a.until.clone(),
        place: a.place.clone(),
        text: a.text.clone(),
        limit: a.limit,
    };
    let rows = store.query(&q).with_context(|| format!("cannot query {}", a.db.display()))?;
    let stdout = std::io::stdout();
    let format = a.format.unwrap_or(if stdout.is_terminal() { QueryFormat::Table } else { QueryFormat::Jsonl });
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        QueryFormat::Jsonl => {
            for r in &rows {
                writeln!(out, "{r}")?;
            }
        }
        QueryFormat::Csv | QueryFormat::Table => {
            let sep = if format == QueryFormat::Csv { "," } else { "\t" };
            writeln!(out, "{}", ["id", "date", "event", "mode", "source", "target", "place", "trigger"].join(sep))?;
            let actors = |v: &serde_json::Value| {
                v.as_array()
                    .map(|l| {
                        l.iter()
                            .map(|a| {
                                format!(
                                    "{}/{}",
                                    a["country"].as_str().unwrap_or("---"),
                                    a["sector"].as_str().unwrap_or("---")
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("+")
                    })
                    .unwrap_or_default()
            };
            for r in &rows {
                let cells = [
                    r["id"].as_str().unwrap_or("").to_string(),
                    r["date"].as_str().unwrap_or("").to_string(),
                    r["event"].as_str().unwrap_or("").to_string(),
                    r["mode"].as_str().unwrap_or("").to_string(),
                    actors(&r["source"]),
                    actors(&r["target"]),
                    r["location"]["name"].as_str().unwrap_or("").to_string(),
                    r["trigger"]["text"].as_str().unwrap_or("").to_string(),
                ];
                let cells: Vec<String> = if format == QueryFormat::Csv {
                    cells
                        .iter()
                        .map(|c| {
                            if c.contains([',', '"', '\n']) {
                                format!("\"{}\"", c.replace('"', "\"\""))
                            } else {
                                c.clone()
                            }
                        })
                        .collect()
                } else {
                    cells.to_vec()
                };
                writeln!(out, "{}", cells.join(sep))?;
            }
        }
    }
    Ok(out.flush()?)
}
