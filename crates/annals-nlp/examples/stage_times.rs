//! Times each NLP stage (tokenize+split, tag, parse, lemmatize) on one text file, to
//! see where `annals parse` spends its time. Usage: stage_times MODELS_DIR FILE.

use annals_nlp::Models;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, file) = (args.get(1).cloned().unwrap_or("models".into()), args.get(2).cloned().unwrap_or_default());
    let read = |n: &str| std::fs::read(format!("{dir}/{n}")).unwrap_or_default();
    let t = Instant::now();
    let models = match Models::from_bytes(&read("tagger.bin"), &read("lemmatizer.bin"), &read("parser.bin")) {
        Ok(m) => m,
        Err(e) => return eprintln!("{e}"),
    };
    println!("load      {:>8.3} s", t.elapsed().as_secs_f64());
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let t = Instant::now();
    let doc = annals_text::analyze(&text);
    println!("text      {:>8.3} s  ({} tokens)", t.elapsed().as_secs_f64(), doc.tokens.len());
    let sentences: Vec<Vec<&str>> =
        doc.sentences.iter().map(|s| doc.tokens[s.tokens.clone()].iter().map(|t| t.form(&text)).collect()).collect();
    let t = Instant::now();
    let tags: Vec<Vec<u8>> = sentences.iter().map(|s| models.tagger.tag(s)).collect();
    println!("tag       {:>8.3} s", t.elapsed().as_secs_f64());
    let xpos: Vec<Vec<&str>> = tags.iter().map(|ts| ts.iter().map(|&c| models.tagger.xpos(c)).collect()).collect();
    let t = Instant::now();
    let mut arcs = 0usize;
    for (s, x) in sentences.iter().zip(&xpos) {
        arcs += models.parser.parse(s, x).0.len();
    }
    println!("parse     {:>8.3} s  ({arcs} words)", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut n = 0usize;
    for (s, x) in sentences.iter().zip(&xpos) {
        for (f, p) in s.iter().zip(x) {
            n += models.lemmatizer.lemmatize(f, p).len();
        }
    }
    println!("lemmatize {:>8.3} s  ({n} bytes)", t.elapsed().as_secs_f64());
}
