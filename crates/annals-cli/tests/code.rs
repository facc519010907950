//! `annals code` end to end: the Rafah article's required events
//! (`../shared/spec/rafah-events.md`), output formats, spans, and bad input.

mod common;

use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

fn annals(args: &[&str], stdin: &str) -> Output {
    common::run_annals(args, stdin.as_bytes())
}

fn shared(path: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(path);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("ANNALS_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("{} is missing and ANNALS_REQUIRE_SHARED=1", p.display());
    }
    eprintln!("skipped: {} not found", p.display());
    None
}

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
        assert_eq!(e["date"], "2024-05-01");
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
