//! `annals ingest` and `annals events` end to end on SQLite: idempotent ingest of the
//! Guardian sample, filters, and clear errors for bad databases and arguments.

mod common;

use std::path::PathBuf;

use common::shared;

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("annals-store-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("annals.db")
}

fn run(args: &[&str]) -> std::process::Output {
    common::run_annals(args, b"")
}

fn summary(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("").to_string()
}

/// Issue 6, acceptance 1 (first half): ingesting the Guardian sample twice gives the same counts.
#[test]
fn ingesting_the_guardian_sample_twice_changes_nothing() {
    let Some(csv) = shared("data/news/guardian-2019-sample.csv") else { return };
    let db = temp_db("twice");
    let (db_s, csv_s) = (db.to_str().expect("utf-8 path"), csv.to_str().expect("utf-8 path"));
    let first = run(&["ingest", "--db", db_s, "--date", "2019-06-01", csv_s]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(summary(&first).contains("now holds 249 documents"), "{}", summary(&first));
    let second = run(&["ingest", "--db", db_s, "--date", "2019-06-01", csv_s]);
    assert!(second.status.success());
    assert!(summary(&second).starts_with("ingested 0 document(s) (249 already stored)"), "{}", summary(&second));
    let events_in = |s: &str| s.rsplit("documents and ").next().unwrap_or("").to_string();
    assert_eq!(events_in(&summary(&first)), events_in(&summary(&second)));

    // Filters: every returned event matches; the dyad is a subset of the source filter.
    let out = run(&["events", "--db", db_s, "--source", "TUR", "--format", "jsonl"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let by_source: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert!(!by_source.is_empty());
    for e in &by_source {
        assert!(e["source"].as_array().is_some_and(|a| a.iter().any(|x| x["country"] == "TUR")), "{e}");
    }
    let out = run(&["events", "--db", db_s, "--dyad", "TUR,SYR", "--type", "assault", "--format", "jsonl"]);
    let dyad: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert!(dyad.len() <= by_source.len());
    for e in &dyad {
        assert_eq!(e["event"], "ASSAULT");
        assert!(e["target"].as_array().is_some_and(|a| a.iter().any(|x| x["country"] == "SYR")), "{e}");
    }
    let out = run(&["events", "--db", db_s, "--text", "\"chemical OR weapons*", "--limit", "3", "--format", "csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() <= 4);
}

#[test]
fn bad_databases_and_arguments_get_one_clear_message() {
    let db = temp_db("bad");
    std::fs::write(&db, b"this is not a database at all, just text\n".repeat(200)).expect("write");
    let db_s = db.to_str().expect("utf-8 path");
    let out = common::run_annals(&["ingest", "--db", db_s, "--date", "2024-01-01"], b"Egypt condemned Israel.");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("annals.db") && err.contains("not a SQLite database"), "{err}");
    assert!(!err.contains("panicked"));
    let missing = temp_db("missing");
    let out = run(&["events", "--db", missing.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    let out = run(&["events", "--db", db_s, "--dyad", "USA"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--dyad"));
    let out = run(&["events", "--db", db_s, "--since", "last year"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since"));
}
