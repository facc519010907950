//! `annals ingest`, `annals events` and `annals stats` end to end on SQLite: idempotent
//! and crash-safe ingest, filters, exports, and clear errors for bad input, bad databases
//! and bad arguments.

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

/// The store's state as the summary line tells it: "N documents (S stories) and E events (R reports)".
fn holds(out: &std::process::Output) -> String {
    summary(out).rsplit(" now holds ").next().unwrap_or("").to_string()
}

fn jsonl(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON")).collect()
}

/// Issue 6, acceptance 1 (first half): ingesting the Guardian sample twice gives the same counts.
#[test]
fn ingesting_the_guardian_sample_twice_changes_nothing() {
    let Some(csv) = shared("data/news/guardian-2019-sample.csv") else { return };
    let db = temp_db("twice");
    let (db_s, csv_s) = (db.to_str().expect("utf-8 path"), csv.to_str().expect("utf-8 path"));
    let first = run(&["ingest", "--db", db_s, "--date", "2019-06-01", csv_s]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(holds(&first).starts_with("249 documents"), "{}", summary(&first));
    let all_first = jsonl(&run(&["events", "--db", db_s, "--format", "jsonl"]));
    let second = run(&["ingest", "--db", db_s, "--date", "2019-06-01", csv_s]);
    assert!(second.status.success());
    assert!(summary(&second).starts_with("ingested 0 document(s) (249 already stored)"), "{}", summary(&second));
    assert_eq!(holds(&first), holds(&second));
    let all = jsonl(&run(&["events", "--db", db_s, "--format", "jsonl"]));
    assert_eq!(all, all_first);
    // The summary counts what `events` lists; JSONL is the event schema plus the counts.
    assert!(holds(&first).contains(&format!(" and {} events (", all.len())), "{} vs {}", holds(&first), all.len());
    for e in &all {
        assert!(e["mentions"].as_u64().is_some_and(|n| n >= 1), "{e}");
        assert!(e["sources"].as_u64().is_some_and(|n| n >= 1), "{e}");
        assert!(e["documents"].as_array().is_some_and(|d| d.iter().any(|x| *x == e["doc"])), "{e}");
        for field in ["id", "doc", "event", "source", "target", "trigger", "text", "quad", "why"] {
            assert!(e.get(field).is_some(), "{field} missing in {e}");
        }
    }

    // Filters: every returned event matches; the dyad is a subset of the source filter.
    let by_source = jsonl(&run(&["events", "--db", db_s, "--source", "TUR", "--format", "jsonl"]));
    assert!(!by_source.is_empty());
    for e in &by_source {
        assert!(e["source"].as_array().is_some_and(|a| a.iter().any(|x| x["country"] == "TUR")), "{e}");
    }
    let dyad = jsonl(&run(&["events", "--db", db_s, "--dyad", "TUR,SYR", "--type", "assault", "--format", "jsonl"]));
    assert!(dyad.len() <= by_source.len());
    for e in &dyad {
        assert_eq!(e["event"], "ASSAULT");
        assert!(e["target"].as_array().is_some_and(|a| a.iter().any(|x| x["country"] == "SYR")), "{e}");
    }
    let out = run(&["events", "--db", db_s, "--text", "\"chemical OR weapons*", "--limit", "3", "--format", "csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() <= 4);

    // Exports: Parquet read back has the rows of the JSONL, in order; GDELT has 61 columns.
    let parquet = db.with_file_name("events.parquet");
    let out = run(&["events", "--db", db_s, "--format", "parquet", "--output", parquet.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = std::fs::File::open(&parquet).expect("parquet written");
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("a Parquet file")
        .build()
        .expect("a reader");
    let mut ids = Vec::new();
    for batch in reader {
        let batch = batch.expect("a record batch");
        let col = batch.column_by_name("id").expect("an id column");
        let col = col.as_any().downcast_ref::<arrow_array::StringArray>().expect("ids are strings");
        ids.extend(col.iter().map(|v| v.unwrap_or("").to_string()));
    }
    let want: Vec<String> = all.iter().map(|e| e["id"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(ids, want);
    let out = run(&["events", "--db", db_s, "--format", "parquet"]);
    assert_eq!(out.status.code(), Some(1), "parquet to a terminal or pipe needs --output");
    let out = run(&["events", "--db", db_s, "--format", "gdelt", "--limit", "20"]);
    let tsv = String::from_utf8_lossy(&out.stdout);
    assert_eq!(tsv.lines().count(), 21);
    assert!(tsv.lines().all(|l| l.split('\t').count() == 61));
    let out = run(&["events", "--db", db_s, "--format", "plover", "--limit", "5"]);
    assert_eq!(jsonl(&out).len(), 5);

    // Stats count what the query returns.
    let out = run(&["stats", "--db", db_s, "--format", "json", "--period", "week"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stats JSON");
    assert_eq!(stats["events"].as_u64(), Some(all.len() as u64));
    let per_period: u64 =
        stats["timeline"].as_array().expect("timeline").iter().filter_map(|p| p["events"].as_u64()).sum();
    assert_eq!(per_period, all.len() as u64, "every Guardian event is dated");
    assert!(stats["top_dyads"].as_array().is_some_and(|d| !d.is_empty()));
    let out = run(&["stats", "--db", db_s, "--format", "table", "--type", "ASSAULT"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("top dyads"));
}

/// Issue 6, acceptance 1 (second half): `kill -9` during an ingest of the 4,500 synthetic
/// stories, twice, then the same command, gives exactly the store of a clean ingest.
#[cfg(unix)]
#[test]
fn an_ingest_killed_twice_then_resumed_equals_a_clean_one() {
    let Some(csv) = shared("data/synthetic/plover-synthetic-stories.csv") else { return };
    let csv_s = csv.to_str().expect("utf-8 path");
    let clean = temp_db("clean");
    let clean_s = clean.to_str().expect("utf-8 path");
    let args = |db: &str| {
        vec![
            "ingest".to_string(),
            "--db".into(),
            db.into(),
            "--date".into(),
            "2024-01-01".into(),
            "--batch".into(),
            "32".into(),
            csv_s.into(),
        ]
    };
    let done = common::run_annals(&args(clean_s), b"");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(holds(&done).starts_with("4500 documents"), "{}", summary(&done));

    let crashed = temp_db("crashed");
    let crashed_s = crashed.to_str().expect("utf-8 path");
    let wal = crashed.with_file_name("annals.db-wal");
    for (round, grown) in [(1, 64 * 1024), (2, 2 * 1024 * 1024)] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(args(crashed_s))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start annals");
        // Kill once batches are being committed: the write-ahead log has grown.
        let started = std::time::Instant::now();
        while std::fs::metadata(&wal).map_or(0, |m| m.len()) < grown && started.elapsed().as_secs() < 120 {
            if child.try_wait().expect("wait").is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let finished_early = child.try_wait().expect("wait").is_some();
        // SIGKILL: no destructor, no rollback, no checkpoint runs.
        child.kill().expect("kill -9");
        let _ = child.wait();
        assert!(!finished_early, "round {round}: the ingest finished before it could be killed");
    }
    let resumed = common::run_annals(&args(crashed_s), b"");
    assert!(resumed.status.success(), "{}", String::from_utf8_lossy(&resumed.stderr));
    assert!(!summary(&resumed).starts_with("ingested 0 "), "the kills left nothing to do: {}", summary(&resumed));
    assert!(!summary(&resumed).contains("(0 already stored"), "the kills stored nothing: {}", summary(&resumed));
    assert_eq!(holds(&resumed), holds(&done));
    let a = run(&["events", "--db", clean_s, "--format", "jsonl"]);
    let b = run(&["events", "--db", crashed_s, "--format", "jsonl"]);
    assert!(a.stdout == b.stdout, "the resumed store lists other events than the clean one");
}

/// Issue 6, acceptance 5 (first half): a broken record and a document over the size
/// limit are warnings naming file and line; the rest is stored.
#[test]
fn bad_records_mid_batch_are_skipped_with_a_warning() {
    let db = temp_db("midbatch");
    let dir = db.parent().expect("a folder").to_path_buf();
    let input = dir.join("docs.jsonl");
    let big = "Russia shelled the city. ".repeat(200);
    let lines = [
        r#"{"id": "a", "date": "2024-05-01", "text": "Egypt condemned Israel over the strike."}"#.to_string(),
        r#"{"id": "b", "date": "2024-05-01", "text": "truncated"#.to_string(),
        format!(r#"{{"id": "c", "date": "2024-05-01", "text": "{big}"}}"#),
        r#"{"id": "d", "date": "2024-05-02", "text": "Turkey and Greece agreed to resume talks."}"#.to_string(),
    ];
    std::fs::write(&input, lines.join("\n")).expect("write input");
    let out = run(&[
        "ingest",
        "--db",
        db.to_str().expect("utf-8"),
        "--max-doc-bytes",
        "2000",
        input.to_str().expect("utf-8"),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("docs.jsonl:2"), "{err}");
    assert!(err.contains("docs.jsonl:3") && err.contains("--max-doc-bytes"), "{err}");
    assert!(holds(&out).starts_with("2 documents"), "{err}");
    assert!(!err.contains("panicked"));
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

    // A database of a newer schema, and one locked by another process: one clear
    // message, exit 1, and nothing written.
    let newer = temp_db("newer");
    let newer_s = newer.to_str().expect("utf-8 path");
    let out = common::run_annals(&["ingest", "--db", newer_s, "--date", "2024-01-01"], b"Egypt condemned Israel.");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let conn = rusqlite::Connection::open(&newer).expect("open");
    conn.execute("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')", []).expect("insert");
    drop(conn);
    for args in [vec!["events", "--db", newer_s], vec!["ingest", "--db", newer_s, "--date", "2024-01-01"]] {
        let out = common::run_annals(&args, b"Turkey condemned Greece.");
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("schema version 99") && err.contains("upgrade annals"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let locked = temp_db("locked");
    let locked_s = locked.to_str().expect("utf-8 path");
    let out = common::run_annals(&["ingest", "--db", locked_s, "--date", "2024-01-01"], b"Egypt condemned Israel.");
    assert!(out.status.success());
    let before = run(&["events", "--db", locked_s, "--format", "jsonl"]).stdout;
    let conn = rusqlite::Connection::open(&locked).expect("open");
    conn.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    let out = common::run_annals(&["ingest", "--db", locked_s, "--date", "2024-01-02"], b"Turkey condemned Greece.");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("locked by another process"), "{err}");
    conn.execute_batch("ROLLBACK").expect("unlock");
    drop(conn);
    assert_eq!(run(&["events", "--db", locked_s, "--format", "jsonl"]).stdout, before);
}
