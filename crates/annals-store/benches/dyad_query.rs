//! Benchmark (issue 6, acceptance 4): one dyad's events out of a million stored events.
//!
//! Generates `ANNALS_BENCH_EVENTS` (default 1,000,000) events in 100,000 documents with
//! Zipf-distributed actors (120 countries x 8 sectors, a few organizations), stores them
//! in a fresh SQLite file (and in PostgreSQL when `ANNALS_BENCH_POSTGRES` names a
//! database URL), then times dyad queries: the busiest dyad and a middling one, the
//! first page (100 events, as the API asks) and the whole answer. Reports the median and
//! the worst of 20 runs of each. Run: `cargo bench -p annals-store --bench dyad_query`
//! (`ANNALS_BENCH_DB=path` keeps the SQLite file and reuses it on the next run).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use annals_events::{ActorRecord, EventRecord, TriggerRecord};
use annals_store::{EventQuery, Store, StoredDocument};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const TYPES: [(&str, &str); 8] = [
    ("ASSAULT", "material_conflict"),
    ("ACCUSE", "verbal_conflict"),
    ("CONSULT", "verbal_cooperation"),
    ("AGREE", "verbal_cooperation"),
    ("AID", "material_cooperation"),
    ("PROTEST", "material_conflict"),
    ("THREATEN", "verbal_conflict"),
    ("REQUEST", "verbal_cooperation"),
];
const SECTORS: [&str; 8] = ["GOV", "MIL", "REB", "CVL", "COP", "JUD", "MED", "BUS"];

fn country(i: usize) -> String {
    let a = (b'A' + (i / 26 % 26) as u8) as char;
    let b = (b'A' + (i % 26) as u8) as char;
    format!("X{a}{b}")
}

/// An index in 0..n, Zipf-like (weight 1/(k+1)).
fn zipf(rng: &mut Rng, cumulative: &[f64]) -> usize {
    let total = cumulative.last().copied().unwrap_or(1.0);
    let x = rng.unit() * total;
    cumulative.partition_point(|c| *c < x).min(cumulative.len() - 1)
}

fn actor(rng: &mut Rng, cumulative: &[f64]) -> ActorRecord {
    let c = country(zipf(rng, cumulative));
    let s = SECTORS[(rng.next() % 8) as usize];
    ActorRecord {
        text: format!("{c} {s}"),
        name: None,
        country: Some(c),
        sector: Some(s.to_string()),
        org: None,
        span: [0, 7],
    }
}

fn corpus(n_events: usize) -> Vec<(StoredDocument, Vec<EventRecord>)> {
    let mut rng = Rng(2026);
    let mut cumulative = Vec::new();
    let mut acc = 0.0;
    for k in 0..120 {
        acc += 1.0 / (k as f64 + 1.0);
        cumulative.push(acc);
    }
    let per_doc = 10;
    let mut out = Vec::new();
    for d in 0..n_events.div_ceil(per_doc) {
        let id = format!("doc-{d:07}");
        let day = 1 + d % 28;
        let month = 1 + (d / 28) % 12;
        let date = format!("2024-{month:02}-{day:02}");
        let events = (0..per_doc)
            .map(|k| {
                let (event, quad) = TYPES[(rng.next() % 8) as usize];
                let text = format!("Sentence {k} of {id}: {event} between the parties near the border.");
                EventRecord {
                    id: format!("{id}:{k}:0"),
                    doc: id.clone(),
                    sentence: k,
                    event,
                    mode: None,
                    context: Vec::new(),
                    source: vec![actor(&mut rng, &cumulative)],
                    target: vec![actor(&mut rng, &cumulative)],
                    trigger: TriggerRecord { text: "did".into(), span: [0, 3] },
                    negated: false,
                    location: None,
                    date: Some(date.clone()),
                    date_precision: Some("day"),
                    text,
                    confidence: 0.5,
                    quad,
                    why: "bench".into(),
                    dropped: None,
                    trigger_tokens: 0..0,
                }
            })
            .collect();
        let doc = StoredDocument {
            id: id.clone(),
            text: format!("text of {id}"),
            date: Some(date),
            title: None,
            url: None,
            source: Some("bench".into()),
        };
        out.push((doc, events));
    }
    out
}

fn time_query(store: &mut Store, q: &EventQuery) -> (Duration, Duration, usize) {
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..20 {
        let t = Instant::now();
        n = store.query(q).expect("query").len();
        times.push(t.elapsed());
    }
    times.sort();
    (times[times.len() / 2], times[times.len() - 1], n)
}

fn bench(label: &str, store: &mut Store) {
    let dyads = [("XAA", "XAB"), ("XAJ", "XAT")];
    for (a, b) in dyads {
        for limit in [Some(100), None] {
            let q = EventQuery { dyad: Some((a.into(), b.into())), limit, ..EventQuery::default() };
            let (median, worst, n) = time_query(store, &q);
            println!(
                "{label}: dyad {a},{b} limit {:>4}: {n:>6} events, median {:>7.2} ms, worst {:>7.2} ms",
                limit.map_or("all".to_string(), |l| l.to_string()),
                median.as_secs_f64() * 1e3,
                worst.as_secs_f64() * 1e3
            );
        }
    }
}

fn main() {
    let n: usize = std::env::var("ANNALS_BENCH_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let data = corpus(n);
    let dir = std::env::temp_dir().join(format!("annals-bench-dyad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // ANNALS_BENCH_DB keeps the database (and reuses it when it is already full).
    let keep = std::env::var("ANNALS_BENCH_DB").ok();
    let path = keep.clone().map_or_else(|| dir.join("bench.db"), std::path::PathBuf::from);
    let mut targets = vec![("sqlite", path.to_string_lossy().into_owned())];
    if let Ok(url) = std::env::var("ANNALS_BENCH_POSTGRES") {
        targets.push(("postgres", url));
    }
    for (label, target) in targets {
        let mut store = Store::open(&target).expect("open the store");
        let t = Instant::now();
        if store.counts().expect("counts").mentions < n {
            for chunk in data.chunks(1000) {
                store.ingest_batch(chunk, false).expect("ingest");
            }
        }
        let c = store.counts().expect("counts");
        println!(
            "{label}: {} events in {} documents stored in {:.1} s",
            c.mentions,
            c.documents,
            t.elapsed().as_secs_f64()
        );
        bench(label, &mut store);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
