//! Development tool: tokenizer + sentence splitter throughput on real news text.
//!
//! `cargo run --release -p annals-text --example speed [-- FILE.csv]` reads the
//! `text` column of a CSV file (default: `../shared/data/news/guardian-2019-sample.csv`),
//! runs `analyze` over all texts several times and prints tokens and words per second.
//! Not a test: timings vary by machine.

use std::time::Instant;

/// The fields of each record of a CSV file with double-quoted fields.
fn csv_records(data: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = data.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, _) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\r') => {}
            (false, _) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/news/guardian-2019-sample.csv").to_string()
    });
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        return;
    };
    let records = csv_records(&data);
    let col = records.first().and_then(|h| h.iter().position(|f| f == "text")).unwrap_or(2);
    let texts: Vec<&str> = records.iter().skip(1).filter_map(|r| r.get(col)).map(String::as_str).collect();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let rounds = 20;
    let mut tokens = 0;
    let mut sentences = 0;
    let start = Instant::now();
    for _ in 0..rounds {
        for t in &texts {
            let doc = annals_text::analyze(t);
            tokens += doc.tokens.len();
            sentences += doc.sentences.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let tok_start = Instant::now();
    let mut only_tokens = 0;
    for _ in 0..rounds {
        for t in &texts {
            only_tokens += annals_text::tokenize(t).len();
        }
    }
    let tok_secs = tok_start.elapsed().as_secs_f64();
    println!(
        "{} texts, {} words, {} bytes; {} tokens, {} sentences per round",
        texts.len(),
        words,
        bytes,
        tokens / rounds,
        sentences / rounds
    );
    println!(
        "analyze:  {:.0} words/s, {:.0} tokens/s, {:.1} MB/s",
        (words * rounds) as f64 / secs,
        tokens as f64 / secs,
        (bytes * rounds) as f64 / secs / 1e6
    );
    println!(
        "tokenize: {:.0} words/s, {:.0} tokens/s",
        (words * rounds) as f64 / tok_secs,
        only_tokens as f64 / tok_secs
    );
}
