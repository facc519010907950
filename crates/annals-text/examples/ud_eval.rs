//! Development tool: token and sentence-boundary scores against UD treebanks.
//!
//! `cargo run --release -p annals-text --example ud_eval -- [FILE.conllu ...] [--errors N]`
//! With no files, scores the EWT and GUM dev and test sets from `../shared/data/ud`.
//! `--errors N` prints up to N token and boundary disagreements per file (for tuning
//! on dev sets only).

use annals_text::analyze;
use annals_text::eval::{documents, parse_conllu, score, Evaluation, Joining};

fn main() {
    let mut files = Vec::new();
    let mut errors = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--errors" {
            errors = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
        } else {
            files.push(a);
        }
    }
    if files.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ud");
        for set in ["en_ewt-ud-dev", "en_ewt-ud-test", "en_gum-ud-dev", "en_gum-ud-test"] {
            files.push(format!("{dir}/{set}.conllu"));
        }
    }
    for file in &files {
        let Ok(conllu) = std::fs::read_to_string(file) else {
            eprintln!("cannot read {file}");
            continue;
        };
        let name = file.rsplit('/').next().unwrap_or(file);
        for joining in [Joining::Paragraphs, Joining::Spaces] {
            let mut total = Evaluation::default();
            let mut shown_tok = 0;
            let mut shown_sent = 0;
            for gold in documents(&parse_conllu(&conllu), joining) {
                let doc = analyze(&gold.text);
                let e = score(&gold, &doc);
                total.tokens.add(e.tokens);
                total.sentences.add(e.sentences);
                total.inner_sentences.add(e.inner_sentences);
                if errors > 0 && joining == Joining::Paragraphs {
                    show_errors(&gold, &doc, errors, &mut shown_tok, &mut shown_sent);
                }
            }
            println!("{name} {joining:?}");
            println!("  tokens            {}", total.tokens);
            println!("  sentences         {}", total.sentences);
            println!("  inner sentences   {}", total.inner_sentences);
        }
    }
}

fn show_errors(
    gold: &annals_text::eval::GoldDocument,
    doc: &annals_text::Document,
    max: usize,
    shown_tok: &mut usize,
    shown_sent: &mut usize,
) {
    let text = gold.text.as_str();
    let pred: std::collections::HashSet<(usize, usize)> = doc.tokens.iter().map(|t| (t.start, t.end)).collect();
    for &(s, e) in &gold.words {
        if *shown_tok >= max {
            break;
        }
        if !pred.contains(&(s, e)) {
            let ctx_s = floor(text, s.saturating_sub(25));
            let ctx_e = ceil(text, (e + 25).min(text.len()));
            let ours: Vec<&str> =
                doc.tokens.iter().filter(|t| t.end > s && t.start < e).map(|t| &text[t.start..t.end]).collect();
            let theirs: Vec<&str> = gold
                .words
                .iter()
                .filter(|w| w.1 > s.saturating_sub(10) && w.0 < e + 10)
                .map(|w| &text[w.0..w.1])
                .collect();
            println!("TOK gold {:?} ours {:?} gold-ctx {:?} | {:?}", &text[s..e], ours, theirs, &text[ctx_s..ctx_e]);
            *shown_tok += 1;
        }
    }
    let pe: std::collections::HashSet<usize> = doc.sentences.iter().map(|s| s.end).collect();
    let ge: std::collections::HashSet<usize> = gold.sentence_ends.iter().copied().collect();
    let mut all: Vec<(usize, &str)> = Vec::new();
    for &e in &ge {
        if !pe.contains(&e) {
            all.push((e, "MISS"));
        }
    }
    for &e in &pe {
        if !ge.contains(&e) {
            all.push((e, "FALSE"));
        }
    }
    all.sort();
    for (e, kind) in all {
        if *shown_sent >= max {
            break;
        }
        let a = floor(text, e.saturating_sub(40));
        let b = ceil(text, (e + 40).min(text.len()));
        println!("SENT {kind} {:?} || {:?}", &text[a..e], &text[e..b]);
        *shown_sent += 1;
    }
}

/// The largest char boundary of `text` at or before `i`.
fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `text` at or after `i`.
fn ceil(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}
