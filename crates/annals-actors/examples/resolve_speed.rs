//! Times loading the built-in lexicons and resolving 100,000 actor phrases on one
//! thread (`bench/actors.sh` runs it). Phrases come from a file, one per line, or from a
//! built-in mix of typical news actor phrases.

use annals_actors::{Date, Lexicon};
use std::time::Instant;

const MIX: [&str; 20] = [
    "U.S. Secretary of State Antony Blinken",
    "Israeli Prime Minister Benjamin Netanyahu",
    "UN aid chief Martin Griffiths",
    "Egyptian mediators",
    "Hamas combat units",
    "the Kremlin",
    "former President Nursultan Nazarbayev",
    "Russian soldiers in eastern Ukraine",
    "the European Union",
    "Chinese Foreign Minister Wang Yi",
    "protesters in Tehran",
    "the Taliban",
    "Sudan's Rapid Support Forces",
    "Hungarian and Romanian officials",
    "a spokesman for the Pentagon",
    "opposition leader Alexei Navalny",
    "Kenyan police",
    "the weather",
    "NATO Secretary General Jens Stoltenberg",
    "Houthi rebels",
];

fn main() {
    let phrases: Vec<String> = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).unwrap_or_default().lines().map(String::from).collect(),
        None => MIX.iter().map(|s| s.to_string()).collect(),
    };
    if phrases.is_empty() {
        eprintln!("no phrases");
        return;
    }
    let t = Instant::now();
    let lex = match Lexicon::builtin() {
        Ok(l) => l,
        Err(e) => return eprintln!("{e}"),
    };
    let load = t.elapsed();
    let date = Date::new(2024, 5, 1);
    let n = 100_000;
    let t = Instant::now();
    let mut found = 0usize;
    for k in 0..n {
        if !lex.resolve(&phrases[k % phrases.len()], date, None).is_empty() {
            found += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!("lexicon load\t{:.1} ms\t({} phrase keys)", load.as_secs_f64() * 1000.0, lex.len());
    println!("resolve\t{n} phrases in {secs:.3} s\t{:.0} phrases/s\t({found} with an actor)", n as f64 / secs);
}
