//! Measures how long the built-in gazetteer takes to load (parse the embedded TSV and
//! build the name index), which the places stage pays once per process.
//!
//! `cargo run --release -p annals-places --example gazetteer_load` prints the time of the
//! first load and the best of several more, with the counts.

use annals_places::Gazetteer;
use std::time::{Duration, Instant};

fn main() {
    let start = Instant::now();
    let g = match Gazetteer::builtin() {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let first = start.elapsed();
    let mut best = Duration::MAX;
    for _ in 0..10 {
        let t = Instant::now();
        let again = Gazetteer::builtin();
        best = best.min(t.elapsed());
        drop(again);
    }
    println!("places: {}", g.len());
    println!("first load: {:.1} ms", first.as_secs_f64() * 1e3);
    println!("best of 10: {:.1} ms", best.as_secs_f64() * 1e3);
}
