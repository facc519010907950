//! `annals code` end to end: the Rafah article's required events
//! (`../shared/spec/rafah-events.md`), output formats, spans, and bad input.

mod common;

use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

fn annals(args: &[&str], stdin: &str) -> Output {
    common::run_annals(args, stdin.as_bytes())
}

use common::shared;

fn events(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

fn has_actor(list: &Value, pred: impl Fn(&Value) -> bool) -> bool {
    list.as_array().is_some_and(|a| a.iter().any(pred))
}

fn country(c: &'static str) -> impl Fn(&Value) -> bool {
    move |a: &Value| a["country"] == c
}

/// An event of `kind` in a sentence containing `fragment`, whose source and target
/// satisfy the predicates.
fn find<'a>(
    evs: &'a [Value],
    fragment: &str,
    kind: &str,
    source: impl Fn(&Value) -> bool,
    target: impl Fn(&Value) -> bool,
) -> Option<&'a Value> {
    evs.iter().find(|e| {
        e["text"].as_str().is_some_and(|t| t.contains(fragment))
            && e["event"] == kind
            && !e["negated"].as_bool().unwrap_or(false)
            && has_actor(&e["source"], &source)
            && has_actor(&e["target"], &target)
    })
}

fn code_rafah() -> Option<Vec<Value>> {
    let path = shared("spec/rafah-article.txt")?;
    let out = annals(&["code", "--date", "2024-05-01", "--format", "jsonl", path.to_str().expect("utf-8 path")], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(events(&out))
}

/// The "Must be found" and "Must not be found" tables of the Rafah spec.
#[test]
fn rafah_article_must_events() {
    let Some(evs) = code_rafah() else { return };
    let dump = evs.iter().map(|e| format!("{} {} {}", e["event"], e["trigger"]["text"], e["why"])).collect::<Vec<_>>();
    let blinken = |a: &Value| a["country"] == "USA" && a["sector"] == "GOV" && a["name"] == "Antony Blinken";
    let m1 = find(&evs, "expressed continued reservations", "ACCUSE", blinken, country("ISR"));
    assert!(m1.is_some_and(|e| e["mode"] == "DISAPPROVE"), "M1 missing: {dump:#?}");
    assert!(
        find(&evs, "disregarding U.S. objections", "REJECT", country("ISR"), country("USA")).is_some(),
        "M2: {dump:#?}"
    );
    let hamas = |a: &Value| a["country"] == "PSE" && a["org"] == "Hamas";
    assert!(
        find(&evs, "Hamas’ attacks on southern Israel", "ASSAULT", hamas, country("ISR")).is_some(),
        "M3: {dump:#?}"
    );
    assert!(find(&evs, "Blinken urged Hamas", "REQUEST", blinken, |a| a["org"] == "Hamas").is_some(), "M4: {dump:#?}");
    let griffiths = |a: &Value| a["org"] == "UN" && a["sector"] == "IGO" && a["name"] == "Martin Griffiths";
    assert!(find(&evs, "Martin Griffiths warning", "ACCUSE", griffiths, country("ISR")).is_some(), "M5: {dump:#?}");
    assert!(find(&evs, "Hamas remains cautious", "ACCUSE", hamas, country("ISR")).is_some(), "M6: {dump:#?}");
    let usa_gov = |a: &Value| a["country"] == "USA" && a["sector"] == "GOV";
    let isr_gov = |a: &Value| a["country"] == "ISR" && a["sector"] == "GOV";
    let consult = evs.iter().any(|e| {
        e["event"] == "CONSULT"
            && ((has_actor(&e["source"], usa_gov) && has_actor(&e["target"], country("ISR")))
                || (has_actor(&e["source"], country("ISR")) && has_actor(&e["target"], usa_gov))
                || (has_actor(&e["source"], isr_gov) && has_actor(&e["target"], country("USA"))))
    });
    assert!(consult, "M7: no CONSULT between USA/GOV and ISR/GOV: {dump:#?}");

    // Must not be found.
    for e in &evs {
        let text = e["text"].as_str().unwrap_or("");
        assert!(!text.starts_with("The focus remains"), "an event from the focus sentence: {e}");
        let planned = [
            "proposed offensive",
            "proceed with the operation",
            "plans for the Rafah operation",
            "proceeding with the Rafah offensive",
        ];
        if e["event"] == "ASSAULT" && has_actor(&e["source"], country("ISR")) {
            assert!(!planned.iter().any(|p| text.contains(p)), "ASSAULT by Israel from a planned offensive: {e}");
        }
        for a in e["source"].as_array().into_iter().chain(e["target"].as_array()).flatten() {
            let t = a["text"].as_str().unwrap_or("");
            if t.contains("Blinken") {
                assert!(usa_gov(a), "Blinken not USA/GOV: {a}");
            }
            if t.contains("Netanyahu") {
                assert!(isr_gov(a), "Netanyahu not ISR/GOV: {a}");
            }
        }
    }

    // Should be found: reported, not required.
    let should = [
        ("remained firm in its commitment", "THREATEN"),
        ("airstrikes continuing in Gaza", "ASSAULT"),
        ("accelerate humanitarian aid delivery", "AID"),
        ("truce deal proposed by Egyptian mediators", "CONSULT"),
        ("Netanyahu confronts demands", "REQUEST"),
    ];
    for (fragment, kind) in should {
        let found = evs.iter().any(|e| e["event"] == kind && e["text"].as_str().is_some_and(|t| t.contains(fragment)));
        eprintln!("SHOULD {kind:<9} {fragment:?}: {}", if found { "found" } else { "not found" });
    }
}

/// Spans index into the sentence text (in characters) and reproduce what they name.
fn check_spans(evs: &[Value]) {
    for e in evs {
        let text: Vec<char> = e["text"].as_str().expect("text").chars().collect();
        let cut = |span: &Value| -> String {
            let s = span[0].as_u64().expect("span start") as usize;
            let t = span[1].as_u64().expect("span end") as usize;
            assert!(s <= t && t <= text.len(), "span {span} outside the sentence of {e}");
            text[s..t].iter().collect()
        };
        assert_eq!(cut(&e["trigger"]["span"]), e["trigger"]["text"].as_str().expect("trigger text"), "{e}");
        for a in e["source"].as_array().into_iter().chain(e["target"].as_array()).flatten() {
            assert_eq!(cut(&a["span"]), a["text"].as_str().expect("actor text"), "{e}");
        }
    }
}

#[test]
fn rafah_spans_and_schema_fields() {
    let Some(evs) = code_rafah() else { return };
    check_spans(&evs);
    for e in &evs {
        for field in ["id", "doc", "sentence", "event", "mode", "context", "source", "target", "trigger", "negated"] {
            assert!(e.get(field).is_some(), "{field} missing in {e}");
        }
        for field in ["location", "date", "date_precision", "text", "confidence", "quad", "why"] {
            assert!(e.get(field).is_some(), "{field} missing in {e}");
        }
        // The publication date, unless the event's clause gives its own ("last October").
        if e["date_precision"] == "day" {
            assert_eq!(e["date"], "2024-05-01");
        } else {
            assert!(e["date"].as_str().is_some_and(|d| d.len() == 7 || d.len() == 4), "{e}");
        }
        let c = e["confidence"].as_f64().expect("confidence");
        assert!((0.0..=1.0).contains(&c));
    }
    // Within a sentence, most confident first.
    for w in evs.windows(2) {
        if w[0]["sentence"] == w[1]["sentence"] {
            assert!(w[0]["confidence"].as_f64() >= w[1]["confidence"].as_f64());
        }
    }
}

/// Acceptance 6 of the events issue: every span of every event of the Guardian sample.
#[test]
fn guardian_sample_spans_reproduce_their_text() {
    let Some(path) = shared("data/news/guardian-2019-sample.csv") else { return };
    let out = annals(&["code", "--date", "2019-06-01", "--format", "jsonl", path.to_str().expect("utf-8 path")], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let evs = events(&out);
    assert!(evs.len() > 1000, "only {} events in the Guardian sample", evs.len());
    check_spans(&evs);
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("annals-code-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn code_text(text: &str) -> Vec<Value> {
    let out = annals(&["code", "--date", "2024-03-01", "--format", "jsonl"], text);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    events(&out)
}

/// One sentence per rule of the coder, written for this test: (text, type, source
/// country, target country) that must be coded, not negated.
#[test]
fn roles_from_the_parse() {
    let cases: [(&str, &str, &str, Option<&str>); 8] = [
        ("Russian forces shelled the Ukrainian city of Kharkiv on Monday.", "ASSAULT", "RUS", Some("UKR")),
        ("The United States imposed new sanctions on Iran on Tuesday.", "SANCTION", "USA", Some("IRN")),
        ("Hamas fighters were attacked by Israeli troops near the border.", "ASSAULT", "ISR", Some("PSE")),
        ("The UN urged Israel to allow more aid into Gaza.", "REQUEST", "", Some("ISR")),
        ("German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris.", "CONSULT", "DEU", Some("FRA")),
        ("Egypt condemned Israel's airstrikes on Rafah.", "ACCUSE", "EGY", Some("ISR")),
        ("Ukraine received military aid from the United States.", "AID", "USA", Some("UKR")),
        ("Hungarian police arrested dozens of protesters in Budapest.", "COERCE", "HUN", None),
    ];
    for (text, kind, source, target) in cases {
        let evs = code_text(text);
        let hit = evs.iter().any(|e| {
            e["event"] == kind
                && !e["negated"].as_bool().unwrap_or(true)
                && (source.is_empty() || has_actor(&e["source"], |a| a["country"] == source))
                && target.is_none_or(|t| has_actor(&e["target"], |a| a["country"] == t))
        });
        assert!(hit, "{text}: no {kind} {source} -> {target:?} in {evs:#?}");
    }
    // Compound sources: both actors of "Egypt and Qatar".
    let evs = code_text("Egypt and Qatar held talks with Hamas in Cairo.");
    let talks = evs.iter().find(|e| e["event"] == "CONSULT").expect("CONSULT");
    assert!(has_actor(&talks["source"], country("EGY")) && has_actor(&talks["source"], country("QAT")), "{talks}");
    assert!(has_actor(&talks["target"], |a| a["org"] == "Hamas"), "{talks}");
}

/// Negation, plans, conditions and questions (PLOVER: future acts are coded as what
/// they signal, threats of force as THREATEN).
#[test]
fn negation_plans_conditions_and_questions() {
    let none_of = |text: &str, kind: &str| {
        let evs = code_text(text);
        assert!(
            !evs.iter().any(|e| e["event"] == kind && !e["negated"].as_bool().unwrap_or(false)),
            "{text}: unexpected {kind}: {evs:#?}"
        );
        evs
    };
    let evs = none_of("Iran did not attack Israel.", "ASSAULT");
    assert!(evs.iter().all(|e| e["negated"] == true), "{evs:#?}");
    none_of("Israel is considering a possible offensive against Hamas in Rafah.", "ASSAULT");
    none_of("If Russia attacks Poland, NATO could respond.", "ASSAULT");
    assert!(code_text("Did China attack Taiwan?").is_empty());
    let evs = none_of("Turkey threatened to attack Kurdish militants in Syria.", "ASSAULT");
    assert!(evs.iter().any(|e| e["event"] == "THREATEN" && has_actor(&e["source"], country("TUR"))), "{evs:#?}");
    let evs = none_of("Israel vowed to destroy Hamas.", "ASSAULT");
    assert!(evs.iter().any(|e| e["event"] == "THREATEN" && e["mode"] == "VIOLENCE"), "{evs:#?}");
    // "announced ... would withdraw troops" is CONCEDE (PLOVER manual, RETREAT).
    let evs = none_of("Russia announced that it would withdraw its troops from Kherson.", "RETREAT");
    assert!(evs.iter().any(|e| e["event"] == "CONCEDE" && has_actor(&e["source"], country("RUS"))), "{evs:#?}");
}

#[test]
fn table_and_csv_formats() {
    let text = "Egypt condemned Israel's airstrikes on Rafah.";
    let out = annals(&["code", "--date", "2024-03-01", "--format", "table"], text);
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.lines().next().is_some_and(|h| h.starts_with("doc:sent") && h.contains("event")), "{table}");
    assert!(table.contains("ACCUSE") && table.contains("EGY/"), "{table}");
    let out = annals(&["code", "--date", "2024-03-01", "--format", "csv"], text);
    assert!(out.status.success());
    let csv = String::from_utf8_lossy(&out.stdout);
    let mut lines = csv.lines();
    assert!(lines.next().is_some_and(|h| h.starts_with("id,doc,sentence,event,mode,quad")), "{csv}");
    assert!(lines.any(|l| l.contains(",ACCUSE,") && l.contains(",verbal_conflict,")), "{csv}");
}

/// Acceptance 7: bad input gives clear messages and the schema's exit codes.
#[test]
fn bad_input_is_reported_not_panicked() {
    let dir = temp_dir("bad");
    let path = |name: &str| dir.join(name).to_str().expect("utf-8 path").to_string();
    std::fs::write(dir.join("empty.txt"), "").expect("write");
    let out = annals(&["code", "--date", "2024-03-01", &path("empty.txt")], "");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty.txt"));

    std::fs::write(dir.join("blob.bin"), [0u8, 159, 146, 150, 0, 0, 0, 1, 2, 3, 0, 0, 255, 254].repeat(100))
        .expect("write");
    let out = annals(&["code", "--date", "2024-03-01", &path("blob.bin")], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("blob.bin") && err.contains("binary"), "{err}");

    std::fs::write(dir.join("docs.jsonl"), "{\"id\":\"a\",\"text\":\"Egypt condemned Israel.\"}\nnot json\n")
        .expect("write");
    let out = annals(&["code", "--date", "2024-03-01", "--format", "jsonl", &path("docs.jsonl")], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("docs.jsonl:2"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(events(&out).iter().any(|e| e["doc"] == "a"));

    std::fs::write(dir.join("notext.csv"), "id,body\n1,Egypt condemned Israel.\n").expect("write");
    let out = annals(&["code", "--date", "2024-03-01", &path("notext.csv")], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("notext.csv:1") && err.contains("text"), "{err}");

    std::fs::write(
        dir.join("nav.html"),
        "<html><body><nav><a href='/'>Home</a> <a href='/x'>World</a></nav></body></html>",
    )
    .expect("write");
    let out = annals(&["code", "--date", "2024-03-01", &path("nav.html")], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nav.html") && err.contains("no article"), "{err}");
    assert!(!err.contains("panicked"));

    let out = annals(&["code", "--date", "not-a-date", &path("docs.jsonl")], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--date"));
    let out = annals(&["code", "--format", "xml"], "");
    assert_eq!(out.status.code(), Some(2));
}

/// Output keeps the input order although documents are coded in parallel.
#[test]
fn parallel_coding_keeps_input_order() {
    let mut input = String::new();
    for k in 0..200 {
        input.push_str(&format!("{{\"id\":\"d{k:03}\",\"date\":\"2024-03-01\",\"text\":\"Egypt condemned Israel's airstrikes on Rafah.\"}}\n"));
    }
    let dir = temp_dir("order");
    std::fs::write(dir.join("many.jsonl"), input).expect("write");
    let out = annals(&["code", "--threads", "2", dir.join("many.jsonl").to_str().expect("utf-8 path")], "");
    assert!(out.status.success());
    let docs: Vec<String> = events(&out).iter().map(|e| e["doc"].as_str().unwrap_or("").to_string()).collect();
    let mut sorted = docs.clone();
    sorted.sort();
    assert_eq!(docs, sorted);
    assert_eq!(docs.iter().collect::<std::collections::BTreeSet<_>>().len(), 200);
}

/// Expected-output test: `tests/data/code-sample.txt` (our own text) against
/// `code-sample.expected.tsv`, one line per event (sentence, type, mode, source ->
/// target, trigger, negated). Run with UPDATE_EXPECT=1 to rewrite the expectation after a
/// deliberate change, and review the diff.
#[test]
fn code_sample_matches_its_expected_output() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let input = dir.join("code-sample.txt");
    let expected_path = dir.join("code-sample.expected.tsv");
    let out = annals(&["code", "--date", "2024-06-01", "--format", "jsonl", input.to_str().expect("utf-8 path")], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let actors = |l: &Value| {
        l.as_array()
            .into_iter()
            .flatten()
            .map(|a| {
                format!(
                    "{}={}/{}",
                    a["text"].as_str().unwrap_or(""),
                    a["country"].as_str().unwrap_or("-"),
                    a["sector"].as_str().unwrap_or("-")
                )
            })
            .collect::<Vec<_>>()
            .join("+")
    };
    let mut got = String::new();
    for e in events(&out) {
        got.push_str(&format!(
            "{}\t{}\t{}\t{} -> {}\t{}\t{}\n",
            e["sentence"],
            e["event"].as_str().unwrap_or(""),
            e["mode"].as_str().unwrap_or("-"),
            actors(&e["source"]),
            actors(&e["target"]),
            e["trigger"]["text"].as_str().unwrap_or(""),
            if e["negated"] == true { "negated" } else { "" }
        ));
    }
    if std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1") {
        std::fs::write(&expected_path, &got).expect("write expectation");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).expect("expected output exists (UPDATE_EXPECT=1 writes it)");
    assert_eq!(got, expected, "code output changed; rerun with UPDATE_EXPECT=1 and review the diff");
}

/// `annals eval events` on a tiny labelled file of our own: the split and the scores.
#[test]
fn eval_events_scores_labelled_stories() {
    let dir = temp_dir("eval");
    let csv = "text,label\n\"Russian forces shelled Kharkiv on Monday.\",ASSAULT\n\"Egypt condemned Israel's airstrikes.\",ACCUSE\n\"The weather was fine.\",AID\n";
    std::fs::write(dir.join("stories.csv"), csv).expect("write");
    let out = annals(&["eval", "events", "--split", "all", dir.join("stories.csv").to_str().expect("utf-8 path")], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("stories: 3"), "{report}");
    assert!(report.contains("label among the story's events: 2 = 66.7%"), "{report}");
    let out = annals(&["eval", "events", "--split", "test", dir.join("stories.csv").to_str().expect("utf-8 path")], "");
    assert!(String::from_utf8_lossy(&out.stdout).contains("stories: 1"));
}

/// The held-out split of the PLOVER synthetic stories (rows whose index mod 3 is 2;
/// rules and lexicons were tuned on the others): floors a little under the measured
/// scores (39.7% label found, 27.9% label first on 2026-11-26), so a regression fails.
#[test]
fn synthetic_stories_test_split_floor() {
    let Some(path) = shared("data/synthetic/plover-synthetic-stories.csv") else { return };
    let out = annals(&["eval", "events", "--split", "test", path.to_str().expect("utf-8 path")], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8_lossy(&out.stdout);
    let pct = |prefix: &str| -> f64 {
        let line = report.lines().find(|l| l.starts_with(prefix)).expect("score line");
        line.rsplit("= ").next().and_then(|p| p.trim_end_matches('%').parse().ok()).expect("percentage")
    };
    assert!(report.starts_with("stories: 1500"), "{report}");
    assert!(pct("label among the story's events") >= 37.0, "{report}");
    assert!(pct("label = most confident event") >= 25.0, "{report}");
}
