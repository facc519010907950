//! Prints the size of each model's weight tables (features kept, weights per feature).

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "models".into());
    let read = |n: &str| std::fs::read(format!("{dir}/{n}")).unwrap_or_default();
    match annals_nlp::Tagger::from_bytes(&read("tagger.bin")) {
        Ok(t) => println!("tagger: {} classes, {}", t.tagset().len(), t.weight_stats()),
        Err(e) => eprintln!("tagger: {e}"),
    }
    match annals_nlp::Parser::from_bytes(&read("parser.bin")) {
        Ok(p) => println!("parser: {} labels, {}", p.labels().len(), p.weight_stats()),
        Err(e) => eprintln!("parser: {e}"),
    }
}
