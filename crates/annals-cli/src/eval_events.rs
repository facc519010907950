//! `annals eval events`: scores event coding on labelled stories (a CSV with `text` and
//! `label` columns, one PLOVER type per story, such as the PLOVER synthetic stories).
//! Rows are split by index: `dev` is index mod 3 in {0, 1} (tune there), `test` is
//! index mod 3 = 2 (report there).

use crate::actor::LexiconArgs;
use crate::ModelArgs;
use annals_actors::{Date, Precision};
use annals_events::EventType;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Rows whose index mod 3 is 0 or 1.
    Dev,
    /// Rows whose index mod 3 is 2.
    Test,
    /// Every row.
    All,
}

#[derive(clap::Args, Debug)]
pub struct EvalEventsArgs {
    /// CSV file with columns `text` and `label` (a PLOVER type).
    pub stories: PathBuf,
    /// Which rows to score.
    #[arg(long, value_enum, default_value = "test")]
    pub split: Split,
    /// Print each story's label, top event and event types (for error analysis).
    #[arg(long)]
    pub verbose: bool,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// One coded story: row index, label, (type, confidence) of its events, sentences with events.
type CodedStory = (usize, String, Vec<(EventType, f64)>, usize);

/// Scores of one run.
#[derive(Debug, Default)]
pub struct StoryScores {
    pub stories: usize,
    /// The label is among the story's (non-negated) event types.
    pub label_found: usize,
    /// The label is the type of the story's most confident event.
    pub label_top: usize,
    pub events: usize,
    pub sentences: usize,
    /// label -> predicted top type (or "NONE") -> count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
}

pub fn run(a: &EvalEventsArgs) -> Result<()> {
    a.model.init_threads();
    let name = a.stories.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&a.stories)
        .with_context(|| format!("cannot read {name}"))?;
    let headers = reader.headers().with_context(|| format!("{name}:1: cannot read the header"))?.clone();
    let col = |c: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(c));
    let (Some(text_col), Some(label_col)) = (col("text"), col("label")) else {
        bail!("{name}:1: needs `text` and `label` columns");
    };
    let mut rows: Vec<(usize, String, String)> = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                eprintln!("warning: {name}: record {}: skipped ({e})", i + 1);
                continue;
            }
        };
        let keep = match a.split {
            Split::Dev => i % 3 != 2,
            Split::Test => i % 3 == 2,
            Split::All => true,
        };
        if keep {
            let text = rec.get(text_col).unwrap_or("").to_string();
            let label = rec.get(label_col).unwrap_or("").trim().to_uppercase();
            rows.push((i, text, label));
        }
    }
    let (lex, events) = crate::code::load_lexicons(&a.lexicon)?;
    let models = crate::models::load(a.model.models.as_deref())?;
    let gaz = annals_places::Gazetteer::shared().context("the built-in gazetteer is invalid")?;
    let date = Date::new(2020, 1, 1).map(|d| (d, Precision::Day));
    let bar = crate::parse::progress(rows.len() as u64, "stories");
    let results: Vec<CodedStory> = rows
        .par_iter()
        .map(|(i, text, label)| {
            let recs =
                crate::code::code_text(&models, &lex, &events, Some(gaz), &format!("row-{i}"), text, date, false);
            bar.inc(1);
            let sentences = recs.iter().map(|r| r.sentence).collect::<std::collections::BTreeSet<_>>().len();
            let types = recs
                .iter()
                .filter(|r| !r.negated)
                .filter_map(|r| EventType::parse(r.event).map(|t| (t, r.confidence)))
                .collect();
            (*i, label.clone(), types, sentences)
        })
        .collect();
    bar.finish_and_clear();
    let mut s = StoryScores::default();
    for (i, label, types, sentences) in &results {
        s.stories += 1;
        s.events += types.len();
        s.sentences += sentences;
        if types.iter().any(|(t, _)| t.as_str() == label) {
            s.label_found += 1;
        }
        // Most confident; ties go to the earliest event.
        let mut top: Option<(EventType, f64)> = None;
        for &(t, c) in types {
            if top.is_none_or(|(_, best)| c > best) {
                top = Some((t, c));
            }
        }
        let top_name = top.map_or("NONE", |(t, _)| t.as_str());
        if top_name == label {
            s.label_top += 1;
        }
        *s.confusion.entry(label.clone()).or_default().entry(top_name.to_string()).or_default() += 1;
        if a.verbose {
            let all: Vec<&str> = types.iter().map(|(t, _)| t.as_str()).collect();
            println!("row {i}\t{label}\ttop {top_name}\t{}", all.join(" "));
        }
    }
    print_scores(&s, &name, a.split);
    Ok(())
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

fn print_scores(s: &StoryScores, name: &str, split: Split) {
    println!("stories: {} ({name}, split {split:?})", s.stories);
    println!("label among the story's events: {} = {:.1}%", s.label_found, pct(s.label_found, s.stories));
    println!("label = most confident event:   {} = {:.1}%", s.label_top, pct(s.label_top, s.stories));
    println!("events: {} ({:.2} per story)", s.events, s.events as f64 / s.stories.max(1) as f64);
    let mut columns: Vec<String> = EventType::ALL.iter().map(|t| t.as_str().to_string()).collect();
    columns.push("NONE".into());
    println!();
    println!("confusion (rows: label; columns: most confident event type)");
    println!();
    let short = |c: &str| c.chars().take(4).collect::<String>();
    println!("| label | n | top-1 % | {} |", columns.iter().map(|c| short(c)).collect::<Vec<_>>().join(" | "));
    println!("|---|---:|---:|{}|", columns.iter().map(|_| "---:").collect::<Vec<_>>().join("|"));
    for (label, row) in &s.confusion {
        let n: usize = row.values().sum();
        let right = row.get(label).copied().unwrap_or(0);
        let cells: Vec<String> = columns.iter().map(|c| row.get(c).map_or(String::new(), |v| v.to_string())).collect();
        println!("| {label} | {n} | {:.0} | {} |", pct(right, n), cells.join(" | "));
    }
}
