//! `annals ingest`, `annals events` and `annals stats`: coding documents into the event
//! store, querying it and summarizing it. The store is a SQLite file by default
//! (`annals.db` in the current folder) or a PostgreSQL database (`--db postgres://...`).
//!
//! Ingesting commits one transaction per batch of documents, and skips documents already
//! stored, so that an interrupted ingest (even `kill -9`) resumed with the same command
//! ends with exactly the store of an uninterrupted one.

use crate::actor::LexiconArgs;
use crate::ModelArgs;
use annals_actors::{Date, Precision};
use annals_store::stats::Period;
use annals_store::{export, EventQuery, PreparedDocument, Store, StoredDocument};
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct IngestArgs {
    /// Input files or folders: .txt, .jsonl, .csv, .html; none or `-` reads standard input.
    /// A document is stored under its id (a record's `id`, a file's name), else under a
    /// hash of its text.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// The database: a SQLite file, or a PostgreSQL URL (postgres://user@host:port/db).
    #[arg(long, value_name = "PATH_OR_URL", default_value = "annals.db")]
    pub db: String,
    /// Re-code documents already stored (after a lexicon or model change), replacing
    /// their events.
    #[arg(long)]
    pub recode: bool,
    /// Publication date of documents that carry none (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Documents per transaction: an interrupted ingest loses at most one batch of work.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub batch: usize,
    /// Documents longer than this many bytes of text are skipped with a warning.
    #[arg(long, value_name = "BYTES", default_value_t = 8 << 20)]
    pub max_doc_bytes: usize,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

fn ingest_bar(len: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents {per_sec} eta {eta} {msg}")
    {
        bar.set_style(style);
    }
    bar
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
    if a.batch == 0 {
        bail!("--batch: must be at least 1");
    }
    let mut store = Store::open(&a.db).with_context(|| format!("cannot open the store {}", redact(&a.db)))?;
    let label = store.label();
    let mut docs = crate::input::read_documents(&a.inputs)?;
    // A document is stored under its id; one without (a line of standard input, a record
    // with no id) under a hash of its text, so that ingesting it again finds it.
    for d in docs.iter_mut().filter(|d| !d.named) {
        d.id = format!("text-{}", annals_store::text_hash(&d.text).trim_start_matches("fnv1a64:"));
    }
    let (lex, events) = crate::code::load_lexicons(&a.lexicon)?;
    let models = crate::models::load(a.model.models.as_deref())?;
    let gaz = annals_places::Gazetteer::shared().context("the built-in gazetteer is invalid")?;
    let started = std::time::Instant::now();
    // Which documents to code: not too large, and (unless re-coding) not yet stored.
    let (mut skipped, mut too_large) = (0usize, 0usize);
    let mut todo = Vec::with_capacity(docs.len());
    for d in &docs {
        if d.text.len() > a.max_doc_bytes {
            eprintln!(
                "warning: {}: document {} has {} bytes of text, over the limit of {} (--max-doc-bytes); skipped",
                d.origin,
                d.id,
                d.text.len(),
                a.max_doc_bytes
            );
            too_large += 1;
        } else if !a.recode && store.has_document(&d.id).with_context(|| format!("cannot read {label}"))? {
            skipped += 1;
        } else {
            todo.push(d);
        }
    }
    let bar = ingest_bar(todo.len() as u64);
    // Coding (all cores, one batch at a time) and storing (one transaction per batch, on
    // its own thread) overlap: the next batch is coded while the last one is written.
    // Preparing a document for the store (its MinHash, its records' JSON) is part of the
    // parallel work; the writer only writes.
    type Batch = Vec<PreparedDocument>;
    let (store, added, stored_events) = std::thread::scope(|scope| -> Result<(Store, usize, usize)> {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(2);
        let writer_bar = bar.clone();
        let recode = a.recode;
        let writer = scope.spawn(move || -> Result<(Store, usize, usize)> {
            let (mut added, mut stored_events) = (0usize, 0usize);
            for batch in receiver {
                let (docs_added, events_added) = store
                    .ingest_prepared(&batch, recode)
                    .with_context(|| format!("cannot store a batch in {label}"))?;
                added += docs_added;
                stored_events += events_added;
                writer_bar.inc(batch.len() as u64);
                writer_bar.set_message(format!("{stored_events} events"));
            }
            Ok((store, added, stored_events))
        });
        for chunk in batches(&todo, a.batch) {
            let batch: Result<Batch> = chunk
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
                    PreparedDocument::new(doc, records)
                        .with_context(|| format!("{}: cannot store document {}", d.origin, d.id))
                })
                .collect();
            let batch = batch?;
            // The writer has stopped only on an error, which join() reports.
            if sender.send(batch).is_err() {
                break;
            }
        }
        drop(sender);
        match writer.join() {
            Ok(result) => result,
            Err(_) => bail!("the database writer stopped unexpectedly"),
        }
    })?;
    let mut store = store;
    let label = store.label();
    skipped += todo.len().saturating_sub(added);
    bar.finish_and_clear();
    let counts = store.counts()?;
    let large = if too_large > 0 { format!(", {too_large} too large") } else { String::new() };
    eprintln!(
        "ingested {added} document(s) ({skipped} already stored{large}), {stored_events} event report(s) in {:.1} s; {label} now holds {} documents ({} stories) and {} events ({} reports)",
        started.elapsed().as_secs_f64(),
        counts.documents,
        counts.stories,
        counts.events,
        counts.mentions
    );
    Ok(())
}

/// The documents in batches of `size`, except the last batch's worth, which is cut in
/// eighths: the writer stores a batch after it is coded, so the last one is written while
/// nothing else runs, and a smaller last batch shortens that tail.
fn batches<'a, T>(docs: &'a [T], size: usize) -> impl Iterator<Item = &'a [T]> + 'a {
    let size = size.max(1);
    let tail = docs.len().saturating_sub(size);
    let (head, last) = docs.split_at(tail);
    head.chunks(size).chain(last.chunks(size.div_ceil(8)))
}

/// A database name for messages: a URL loses its password.
pub fn redact(db: &str) -> String {
    if !annals_store::is_postgres_url(db) {
        return db.to_string();
    }
    match (db.find("://"), db.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &db[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &db[..scheme + 3], &db[at..]),
                None => db.to_string(),
            }
        }
        _ => db.to_string(),
    }
}

/// The filters shared by `annals events` and `annals stats`.
#[derive(clap::Args, Debug, Clone)]
pub struct FilterArgs {
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
}

impl FilterArgs {
    /// The query these filters ask for, or a usage error naming the bad flag.
    pub fn query(&self) -> Result<EventQuery> {
        let dyad = match self.dyad.as_deref() {
            Some(d) => match d.split_once(',') {
                Some((x, y)) if !x.trim().is_empty() && !y.trim().is_empty() => {
                    Some((x.trim().to_string(), y.trim().to_string()))
                }
                _ => bail!("--dyad: expected two actors separated by a comma, like USA,ISR (got {d:?})"),
            },
            None => None,
        };
        for (what, v) in [("--since", &self.since), ("--until", &self.until)] {
            if let Some(d) = v {
                if Date::parse(d).is_none() {
                    bail!("{what}: not a date: {d:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)");
                }
            }
        }
        Ok(EventQuery {
            source: self.source.clone(),
            target: self.target.clone(),
            dyad,
            event_type: self.event_type.as_ref().map(|t| t.to_uppercase()),
            mode: self.mode.as_ref().map(|m| m.to_uppercase()),
            since: self.since.clone(),
            until: self.until.clone(),
            place: self.place.clone(),
            text: self.text.clone(),
            after: None,
            limit: None,
        })
    }
}

/// Opens a store for reading; a SQLite file must exist.
fn open_for_reading(db: &str) -> Result<Store> {
    if !annals_store::is_postgres_url(db) && !std::path::Path::new(db).exists() {
        bail!("{db} does not exist (create it with annals ingest)");
    }
    Store::open_read_only(db).with_context(|| format!("cannot open the store {}", redact(db)))
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryFormat {
    /// Columns for reading in a terminal.
    Table,
    /// The event schema plus `mentions`, `sources`, `documents`, one per line.
    Jsonl,
    /// Flat columns for spreadsheets.
    Csv,
    /// Apache Parquet (flat columns), for pandas, polars, DuckDB, Spark; needs --output.
    Parquet,
    /// JSON lines with the field names of the PLOVER manual.
    Plover,
    /// GDELT 2.0 event table columns, tab-separated, with a header line.
    Gdelt,
}

#[derive(clap::Args, Debug)]
pub struct EventsArgs {
    /// The database: a SQLite file, or a PostgreSQL URL.
    #[arg(long, value_name = "PATH_OR_URL", default_value = "annals.db")]
    pub db: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// At most this many events.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    pub format: Option<QueryFormat>,
    /// Write to this file instead of standard output (required for parquet).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run_events(a: &EventsArgs) -> Result<()> {
    use std::io::IsTerminal;
    let mut q = a.filters.query()?;
    q.limit = a.limit;
    let format = a.format.unwrap_or(if a.output.is_none() && std::io::stdout().is_terminal() {
        QueryFormat::Table
    } else {
        QueryFormat::Jsonl
    });
    if format == QueryFormat::Parquet && a.output.is_none() {
        bail!("--format parquet needs --output FILE (Parquet is a binary file format)");
    }
    let mut store = open_for_reading(&a.db)?;
    let label = store.label();
    let rows = store.query(&q).with_context(|| format!("cannot query {label}"))?;
    match &a.output {
        Some(path) => {
            // Written beside the target, then renamed: a failed export leaves no half file.
            let tmp = path.with_extension(format!(
                "{}.partial",
                path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default()
            ));
            let file = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
            let written = write_events(&rows, format, std::io::BufWriter::new(file))
                .with_context(|| format!("cannot write {}", path.display()));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
            std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {} event(s) to {}", rows.len(), path.display());
            Ok(())
        }
        None => {
            let stdout = std::io::stdout();
            write_events(&rows, format, std::io::BufWriter::new(stdout.lock()))
        }
    }
}

fn write_events<W: Write>(rows: &[serde_json::Value], format: QueryFormat, mut out: W) -> Result<()> {
    match format {
        QueryFormat::Jsonl => {
            for r in rows {
                writeln!(out, "{r}")?;
            }
        }
        QueryFormat::Csv => export::write_csv(rows, &mut out)?,
        QueryFormat::Parquet => {
            let mut buf = Vec::new();
            export::write_parquet(rows, &mut buf)?;
            out.write_all(&buf)?;
        }
        QueryFormat::Plover => export::write_plover_json(rows, &mut out)?,
        QueryFormat::Gdelt => export::write_gdelt_tsv(rows, &mut out, true)?,
        QueryFormat::Table => write_table(rows, &mut out)?,
    }
    Ok(out.flush()?)
}

/// Aligned columns for a terminal; long cells are cut with an ellipsis.
fn write_table<W: Write>(rows: &[serde_json::Value], out: &mut W) -> Result<()> {
    let actors = |v: &serde_json::Value| {
        v.as_array()
            .map(|l| l.iter().map(annals_store::stats::actor_label).collect::<Vec<_>>().join("+"))
            .unwrap_or_default()
    };
    let header = ["date", "event", "mode", "source", "target", "place", "n", "trigger", "id"];
    let widths = [10, 10, 12, 22, 22, 16, 3, 28, 0];
    let cut = |s: &str, w: usize| -> String {
        if w == 0 || s.chars().count() <= w {
            s.to_string()
        } else {
            let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
            t.push('…');
            t
        }
    };
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .zip(widths)
            .map(|(c, w)| {
                let c = cut(c, w);
                let pad = w.saturating_sub(c.chars().count());
                format!("{c}{}", " ".repeat(pad))
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(&header.map(str::to_string)))?;
    for r in rows {
        let cells = [
            r["date"].as_str().unwrap_or("").to_string(),
            r["event"].as_str().unwrap_or("").to_string(),
            r["mode"].as_str().unwrap_or("").to_string(),
            actors(&r["source"]),
            actors(&r["target"]),
            r["location"]["name"].as_str().unwrap_or("").to_string(),
            r["mentions"].as_u64().unwrap_or(1).to_string(),
            r["trigger"]["text"].as_str().unwrap_or("").to_string(),
            r["id"].as_str().unwrap_or("").to_string(),
        ];
        writeln!(out, "{}", line(&cells))?;
    }
    Ok(())
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsFormat {
    Table,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    /// The database: a SQLite file, or a PostgreSQL URL.
    #[arg(long, value_name = "PATH_OR_URL", default_value = "annals.db")]
    pub db: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Timeline periods: day, week (ISO), month or year.
    #[arg(long, default_value = "month", value_parser = ["day", "week", "month", "year"])]
    pub period: String,
    /// How many dyads and actors to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub format: Option<StatsFormat>,
}

pub fn run_stats(a: &StatsArgs) -> Result<()> {
    use std::io::IsTerminal;
    let q = a.filters.query()?;
    let period = Period::parse(&a.period).unwrap_or(Period::Month);
    let mut store = open_for_reading(&a.db)?;
    let label = store.label();
    let rows = store.query(&q).with_context(|| format!("cannot query {label}"))?;
    let stats = annals_store::stats::stats(&rows, period, a.top);
    let stdout = std::io::stdout();
    let format = a.format.unwrap_or(if stdout.is_terminal() { StatsFormat::Table } else { StatsFormat::Json });
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        StatsFormat::Json => writeln!(out, "{}", serde_json::to_string(&stats)?)?,
        StatsFormat::Table => {
            use annals_store::stats::QUADS;
            writeln!(out, "{} events ({} reports)", stats.events, stats.mentions)?;
            writeln!(out, "\nby quad class:")?;
            for q in QUADS {
                writeln!(out, "  {:<22} {:>7}", q.replace('_', " "), stats.by_quad.get(q).copied().unwrap_or(0))?;
            }
            writeln!(out, "\nby type:")?;
            let mut types: Vec<(&String, &u64)> = stats.by_type.iter().collect();
            types.sort_by(|x, y| y.1.cmp(x.1).then_with(|| x.0.cmp(y.0)));
            for (t, n) in types {
                writeln!(out, "  {t:<22} {n:>7}")?;
            }
            writeln!(
                out,
                "\nper {}: {:<10} {:>7} {:>9} {:>9} {:>9} {:>9}",
                a.period, "period", "events", "verb.coop", "mat.coop", "verb.conf", "mat.conf"
            )?;
            for p in &stats.timeline {
                let q = |k: &str| p.by_quad.get(k).copied().unwrap_or(0);
                writeln!(
                    out,
                    "  {:<18} {:>7} {:>9} {:>9} {:>9} {:>9}",
                    p.period,
                    p.events,
                    q(QUADS[0]),
                    q(QUADS[1]),
                    q(QUADS[2]),
                    q(QUADS[3])
                )?;
            }
            writeln!(out, "\ntop dyads:")?;
            for d in &stats.top_dyads {
                writeln!(out, "  {:<24} -> {:<24} {:>6}", d.source, d.target, d.events)?;
            }
            writeln!(out, "\ntop actors:")?;
            for x in &stats.top_actors {
                writeln!(
                    out,
                    "  {:<24} {:>6} ({} as source, {} as target)",
                    x.actor, x.events, x.as_source, x.as_target
                )?;
            }
        }
    }
    Ok(out.flush()?)
}

#[cfg(test)]
mod tests {
    use super::batches;

    #[test]
    fn batches_keep_every_document_once_in_order_and_cut_the_last_one() {
        for (n, size) in [(0, 256), (1, 256), (100, 256), (256, 256), (257, 256), (4500, 256), (10, 1), (9, 3)] {
            let docs: Vec<usize> = (0..n).collect();
            let got: Vec<&[usize]> = batches(&docs, size).collect();
            assert_eq!(got.concat(), docs, "n={n} size={size}");
            assert!(got.iter().all(|b| !b.is_empty() && b.len() <= size), "n={n} size={size}");
            if n >= size {
                let last: usize = got.iter().rev().take_while(|b| b.len() <= size.div_ceil(8)).map(|b| b.len()).sum();
                assert!(last >= size.min(n) || size < 8, "n={n} size={size}: {last}");
            }
        }
    }
}
