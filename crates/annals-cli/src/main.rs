//! The `annals` binary: command-line flags and thin glue over the stage crates.
//!
//! Exit status: 0 on success, 1 on a runtime error, 2 on a usage error (clap's own).
//! Errors print as one line on standard error; a closed output pipe is not an error.

mod actor;
mod code;
mod eval_events;
mod input;
mod models;
mod parse;
mod places;
mod serve;
mod store;
mod train;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// annals: political event data from English news text, offline.
#[derive(Parser, Debug)]
#[command(name = "annals", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Tokenize, tag, lemmatize and parse raw text (or a CoNLL-U file) to CoNLL-U.
    Parse(parse::ParseArgs),
    /// Train the NLP models from Universal Dependencies treebanks.
    Train(train::TrainArgs),
    /// Code documents into PLOVER events (who did what to whom), with evidence.
    Code(code::CodeArgs),
    /// Code documents and store them with their events (SQLite, `annals.db` by default);
    /// documents already stored are skipped.
    Ingest(store::IngestArgs),
    /// Query stored events (filters by actor, dyad, type, mode, period, place, text) and
    /// export them (table, JSON lines, CSV, Parquet, PLOVER JSON, GDELT TSV).
    Events(store::EventsArgs),
    /// Summarize stored events: counts by type and quad class per period, top dyads and
    /// actors.
    Stats(store::StatsArgs),
    /// Serve the store: a JSON API under /api/ and a dashboard at / (loopback by default).
    Serve(serve::ServeArgs),
    /// List the resolved places of each document with their mentions (JSON lines).
    Places(places::PlacesArgs),
    /// Resolve actor phrases to country, sector, organization and person (JSON lines).
    Actor(actor::ActorArgs),
    /// List the actors of each document with all their mentions (JSON lines).
    Actors(actor::ActorsArgs),
    /// Score predictions against a gold CoNLL-U file (UPOS, XPOS, lemma, UAS, LAS) or
    /// sentence boundaries on its raw text.
    Eval(parse::EvalArgs),
}

/// Settings shared by commands that run the models.
#[derive(clap::Args, Debug, Clone)]
pub struct ModelArgs {
    /// Read models from this folder (tagger.bin, lemmatizer.bin, parser.bin) instead of
    /// the ones embedded in the binary.
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

impl ModelArgs {
    pub fn init_threads(&self) {
        if let Some(n) = self.threads {
            // Fails only when a pool already exists, which is harmless.
            let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
        }
    }
}

fn main() {
    let cli = Cli::parse();
    let result: Result<()> = match cli.command {
        Command::Parse(a) => parse::run_parse(&a),
        Command::Train(a) => train::run(&a),
        Command::Eval(a) => parse::run_eval(&a),
        Command::Code(a) => code::run(&a),
        Command::Places(a) => places::run(&a),
        Command::Ingest(a) => store::run_ingest(&a),
        Command::Events(a) => store::run_events(&a),
        Command::Stats(a) => store::run_stats(&a),
        Command::Serve(a) => serve::run(&a),
        Command::Actor(a) => actor::run(&a),
        Command::Actors(a) => actor::run_actors(&a),
    };
    if let Err(e) = result {
        if is_broken_pipe(&e) {
            std::process::exit(0);
        }
        eprintln!("annals: error: {e:#}");
        std::process::exit(1);
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
