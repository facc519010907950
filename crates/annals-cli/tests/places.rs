//! The places and dates stage end to end: the Rafah article's locations and dates
//! (`../shared/spec/rafah-events.md`), `annals places`, and the held-out half of our
//! labelled place mentions (`crates/annals-places/tests/data/place-mentions.tsv`).

mod common;

use serde_json::Value;
use std::path::PathBuf;

use common::shared;

fn lines(out: &std::process::Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

/// Issue 5, acceptance 1: M1 at Rafah, M3 dated 2023-10 in southern Israel, Gaza is PSE.
#[test]
fn rafah_events_are_placed_and_dated() {
    let Some(path) = shared("spec/rafah-article.txt") else { return };
    let out = common::run_annals(
        &["code", "--date", "2024-05-01", "--format", "jsonl", path.to_str().expect("utf-8 path")],
        b"",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let evs = lines(&out);
    let m1 = evs
        .iter()
        .find(|e| e["event"] == "ACCUSE" && e["text"].as_str().is_some_and(|t| t.contains("continued reservations")))
        .expect("M1");
    let loc = &m1["location"];
    assert_eq!(loc["country"], "PSE", "{m1}");
    assert!(loc["name"].as_str().is_some_and(|n| n.starts_with("Rafa")), "{m1}");
    let (lat, lon) = (loc["lat"].as_f64().expect("lat"), loc["lon"].as_f64().expect("lon"));
    assert!((lat - 31.28).abs() < 0.1 && (lon - 34.25).abs() < 0.1, "{m1}");
    let m3 = evs
        .iter()
        .find(|e| {
            e["event"] == "ASSAULT" && e["text"].as_str().is_some_and(|t| t.contains("attacks on southern Israel"))
        })
        .expect("M3");
    assert_eq!(m3["date"], "2023-10", "{m3}");
    assert_eq!(m3["date_precision"], "month", "{m3}");
    assert_eq!(m3["location"]["country"], "ISR", "{m3}");
    assert!(m3["location"]["name"].as_str().is_some_and(|n| n.contains("southern")), "{m3}");
    for e in &evs {
        if e["location"]["name"].as_str().is_some_and(|n| n.contains("Gaza")) {
            assert_eq!(e["location"]["country"], "PSE", "{e}");
        }
        // Undated clauses take the publication date.
        if e["date_precision"] == "day" {
            assert_eq!(e["date"], "2024-05-01", "{e}");
        }
    }
}

#[test]
fn places_lists_resolved_places_with_mentions() {
    let text =
        "Fighting continued in Tripoli, Lebanon, while aid reached Rafah and southern Israel. Hamas said nothing.";
    let out = common::run_annals(&["places"], text.as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = &lines(&out)[0];
    let places = doc["places"].as_array().expect("places");
    let find = |name: &str| places.iter().find(|p| p["mentions"][0]["text"].as_str().is_some_and(|t| t.contains(name)));
    assert_eq!(find("Tripoli").expect("Tripoli")["country"], "LBN", "{doc}");
    assert_eq!(find("Rafah").expect("Rafah")["country"], "PSE", "{doc}");
    let south = find("southern Israel").expect("southern Israel");
    assert_eq!(south["country"], "ISR");
    assert_eq!(south["mentions"][0]["precision"], "region");
    // An organization is not a place, whatever the gazetteer holds.
    assert!(find("Hamas").is_none(), "{doc}");
}

/// Issue 5, acceptance 2: the targets, 90% right country and 80% within 25 km, on the
/// even ids (measured 90.1% and 93.3% on 2026-11-26; tuned on the odd ids).
#[test]
fn place_mentions_test_half_floor() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../annals-places/tests/data/place-mentions.tsv");
    let out = common::run_annals(&["eval", "places", "--split", "test", file.to_str().expect("utf-8 path")], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8_lossy(&out.stdout);
    let pct = |prefix: &str| -> f64 {
        let line = report.lines().find(|l| l.starts_with(prefix)).expect("score line");
        line.rsplit("= ").next().and_then(|p| p.trim_end_matches('%').parse().ok()).expect("percentage")
    };
    assert!(pct("right country") >= 90.0, "{report}");
    assert!(pct("within 25 km") >= 80.0, "{report}");
}
