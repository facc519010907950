//! `annals actor` and `annals actors` end to end: the JSON contract, standard input
//! with per-line dates and contexts, user lexicons, and errors naming file and line.

mod common;

use std::path::PathBuf;
use std::process::Output;

fn annals(args: &[&str], stdin: &str) -> Output {
    common::run_annals(args, stdin.as_bytes())
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("annals-actors-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

#[test]
fn actor_prints_the_four_fields() {
    let out = annals(&["actor", "Israeli Prime Minister Benjamin Netanyahu", "--date", "2024-05-01"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = &json_lines(&out)[0];
    assert_eq!(v["country"], "ISR");
    assert_eq!(v["sector"], "GOV");
    assert!(v.get("org").is_some() && v.get("name").is_some(), "{v}");
    let out = annals(&["actor", "the weather"], "");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), r#"{"country":null,"sector":null,"org":null,"name":null}"#);
}

#[test]
fn actor_reads_phrases_dates_and_contexts_from_stdin() {
    let input = "Egyptian mediators\nthe Kremlin\t2022-06-01\nofficials\t\tRussia\n\n";
    let out = annals(&["actor"], input);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_lines(&out);
    assert_eq!(v.len(), 4);
    assert_eq!((v[0]["country"].as_str(), v[0]["sector"].as_str()), (Some("EGY"), Some("GOV")));
    assert_eq!((v[1]["country"].as_str(), v[1]["sector"].as_str()), (Some("RUS"), Some("GOV")));
    assert_eq!((v[2]["country"].as_str(), v[2]["sector"].as_str()), (Some("RUS"), Some("GOV")));
    assert!(v[3]["country"].is_null());
    let out = annals(&["actor"], "officials\tnot-a-date\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>:1"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_user_lexicon_adds_and_overrides() {
    let dir = temp_dir("user");
    std::fs::write(
        dir.join("organizations.tsv"),
        "# org\tnames\tcountry\tsector\nZorro Front\tZorro Front|ZF\tMEX\tREB\n",
    )
    .expect("write");
    let out = annals(&["actor", "Zorro Front fighters", "--lexicon", dir.to_str().expect("utf-8 path")], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = &json_lines(&out)[0];
    assert_eq!((v["country"].as_str(), v["org"].as_str()), (Some("MEX"), Some("Zorro Front")));
}

#[test]
fn a_bad_lexicon_line_names_the_file_and_line() {
    let dir = temp_dir("bad");
    std::fs::write(dir.join("people.tsv"), "# header\nJane Doe\t\tUSA\tGOV\tSenator\t2020\t2019\n").expect("write");
    let out = annals(&["actor", "Jane Doe", "--lexicon", dir.to_str().expect("utf-8 path")], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("people.tsv:2:"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[test]
fn actors_lists_each_documents_actors_with_mentions() {
    let text = "U.S. Secretary of State Antony Blinken met Egyptian mediators in Cairo. Blinken said Hamas must accept the deal.";
    let input = format!("{}\n", serde_json::json!({"id": "d1", "date": "2024-05-01", "text": text}));
    let dir = temp_dir("docs");
    let path = dir.join("news.jsonl");
    std::fs::write(&path, input).expect("write");
    let out = annals(&["actors", path.to_str().expect("utf-8 path")], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = &json_lines(&out)[0];
    assert_eq!(v["id"], "d1");
    let actors = v["actors"].as_array().expect("actors");
    let blinken = actors.iter().find(|a| a["name"] == "Antony Blinken").expect("Blinken found");
    assert_eq!(blinken["country"], "USA");
    let mentions: Vec<&str> =
        blinken["mentions"].as_array().expect("mentions").iter().filter_map(|m| m["text"].as_str()).collect();
    assert_eq!(mentions, ["U.S. Secretary of State Antony Blinken", "Blinken"]);
    for m in blinken["mentions"].as_array().expect("mentions") {
        let (s, e) = (m["start"].as_u64().expect("start") as usize, m["end"].as_u64().expect("end") as usize);
        assert_eq!(&text[s..e], m["text"].as_str().expect("text"));
    }
    assert!(actors.iter().any(|a| a["country"] == "EGY" && a["sector"] == "GOV"), "{v}");
    assert!(actors.iter().any(|a| a["org"] == "Hamas"), "{v}");
}

use common::shared;

/// The "Actors in the document" table of `../shared/spec/rafah-events.md`.
#[test]
fn rafah_article_actors_resolve_as_specified() {
    let Some(path) = shared("spec/rafah-article.txt") else { return };
    let out = annals(&["actors", "--date", "2024-05-01", path.to_str().expect("utf-8 path")], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = &json_lines(&out)[0];
    let actors = doc["actors"].as_array().expect("actors");
    // Every mention text -> the codes it got.
    let mut by_text: std::collections::HashMap<String, Vec<&serde_json::Value>> = Default::default();
    for a in actors {
        for m in a["mentions"].as_array().expect("mentions") {
            let t = m["text"].as_str().expect("text").replace('\u{2019}', "'");
            by_text.entry(t).or_default().push(a);
        }
    }
    let check = |mention: &str, ok: &dyn Fn(&serde_json::Value) -> bool| {
        let found = by_text.get(mention).unwrap_or_else(|| panic!("no mention {mention:?} in {doc:#}"));
        assert!(found.iter().all(|a| ok(a)), "{mention:?} resolved to {found:?}");
    };
    let s = |a: &serde_json::Value, k: &str| a[k].as_str().map(String::from);
    let blinken = |a: &serde_json::Value| {
        s(a, "country").as_deref() == Some("USA")
            && s(a, "sector").as_deref() == Some("GOV")
            && s(a, "name").as_deref() == Some("Antony Blinken")
    };
    check("U.S. Secretary of State Antony Blinken", &blinken);
    check("Blinken", &blinken);
    check("his", &blinken);
    let netanyahu = |a: &serde_json::Value| {
        s(a, "country").as_deref() == Some("ISR")
            && s(a, "sector").as_deref() == Some("GOV")
            && s(a, "name").as_deref() == Some("Benjamin Netanyahu")
    };
    check("Israeli Prime Minister Benjamin Netanyahu", &netanyahu);
    check("Netanyahu", &netanyahu);
    check("UN aid chief Martin Griffiths", &|a| {
        s(a, "org").as_deref() == Some("UN")
            && s(a, "sector").as_deref() == Some("IGO")
            && s(a, "name").as_deref() == Some("Martin Griffiths")
    });
    check("Israel", &|a| s(a, "country").as_deref() == Some("ISR"));
    check("Israeli counterparts", &|a| {
        s(a, "country").as_deref() == Some("ISR") && s(a, "sector").as_deref() == Some("GOV")
    });
    let hamas =
        |a: &serde_json::Value| s(a, "org").as_deref() == Some("Hamas") && s(a, "country").as_deref() == Some("PSE");
    check("Hamas", &|a| hamas(a) && s(a, "sector").as_deref() == Some("REB"));
    check("Hamas combat units", &|a| hamas(a) && matches!(s(a, "sector").as_deref(), Some("REB" | "MIL")));
    check("Egyptian mediators", &|a| {
        s(a, "country").as_deref() == Some("EGY") && s(a, "sector").as_deref() == Some("GOV")
    });
    check("nationalist allies", &|a| {
        s(a, "country").as_deref() == Some("ISR") && matches!(s(a, "sector").as_deref(), Some("PTY" | "GOV"))
    });
}

/// Expected-output test: `tests/data/actors-sample.txt` (our own text) against
/// `actors-sample.expected.jsonl`. Run with UPDATE_EXPECT=1 to rewrite the expectation
/// after a deliberate change, and review the diff.
#[test]
fn actors_sample_matches_its_expected_output() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let input = dir.join("actors-sample.txt");
    let expected_path = dir.join("actors-sample.expected.jsonl");
    let out = annals(&["actors", "--date", "2024-06-01", input.to_str().expect("utf-8 path")], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // One line per actor, easier to review than one long line per document.
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut got = String::new();
    for a in doc["actors"].as_array().expect("actors") {
        got.push_str(&a.to_string());
        got.push('\n');
    }
    if std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1") {
        std::fs::write(&expected_path, &got).expect("write expectation");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).expect("expected output exists (UPDATE_EXPECT=1 writes it)");
    assert_eq!(got, expected, "actors output changed; rerun with UPDATE_EXPECT=1 and review the diff");
}
