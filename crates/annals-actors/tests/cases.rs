//! The peer resolver's actor test cases (`../shared/data/actors/actor-cases.tsv`),
//! split by a hash of the case id into a dev half (for tuning the lexicons and rules)
//! and a test half (reported, never tuned on). Counts country and sector.

use annals_actors::{ActorCode, Date, Lexicon};
use std::path::PathBuf;

fn cases_file() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/actors/actor-cases.tsv");
    if p.exists() {
        return Some(p);
    }
    if std::env::var("ANNALS_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("{} is missing and ANNALS_REQUIRE_SHARED=1", p.display());
    }
    eprintln!("skipped: {} not found", p.display());
    None
}

/// FNV-1a: a stable split that does not depend on the file's order.
fn is_test_case(id: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % 2 == 1
}

/// The peer writes the EU as `EUR`, the UN system as `UNO` and other IGOs as `IGO`;
/// annals writes them as an organization with sector IGO and no country.
fn country_ok(expected: &str, got: &ActorCode) -> bool {
    let c = got.country.as_deref();
    match expected {
        "*" => true,
        "" => c.is_none(),
        "EUR" => c == Some("EUR") || got.org.as_deref().is_some_and(|o| o == "EU" || o.starts_with("European")),
        "UNO" => {
            c == Some("UNO") || got.org.as_deref().is_some_and(|o| o == "UN" || o.starts_with("UN ") || is_un_body(o))
        }
        "IGO" => c.is_none() && got.sector.as_deref() == Some("IGO"),
        e if e.starts_with('!') => c != Some(&e[1..]),
        e => c == Some(e),
    }
}

fn is_un_body(org: &str) -> bool {
    ["WHO", "ICJ", "UNHCR", "UNICEF", "WFP", "UNRWA", "OCHA", "UNDP", "IAEA", "ILO", "FAO", "UNESCO", "OHCHR"]
        .contains(&org)
}

/// `UNK` (unknown) counts as no sector.
fn sector_ok(expected: &str, got: &ActorCode) -> bool {
    let s = got.sector.as_deref();
    match expected {
        "*" => true,
        "" | "UNK" => s.is_none() || s == Some("UNK"),
        e if e.starts_with('!') => s != Some(&e[1..]),
        e => s == Some(e),
    }
}

/// The target is 85% on the test half; the lexicons reach 77.3% (dev 85.1%),
/// so this floor guards what is measured until the target is met.
const TEST_FLOOR: f64 = 76.0;

#[test]
fn actor_cases_test_half_stays_above_its_floor() {
    let Some(path) = cases_file() else { return };
    let text = std::fs::read_to_string(&path).expect("readable cases");
    let lex = Lexicon::builtin().expect("built-in lexicons load");
    let (mut dev, mut test) = ((0, 0), (0, 0));
    let mut failures = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 6 {
            continue;
        }
        let (id, phrase, context, date, country, sector) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        let date = Date::parse(date).map(|d| d.0);
        let got = lex.resolve(phrase.trim(), date, Some(context));
        let ok = country_ok(country.trim(), &got) && sector_ok(sector.trim(), &got);
        let half = if is_test_case(&format!("{id}:{}", i + 1)) { &mut test } else { &mut dev };
        half.1 += 1;
        if ok {
            half.0 += 1;
        } else {
            failures.push(format!(
                "{} {id} {phrase:?} expected {country}/{sector} got {}",
                if is_test_case(&format!("{id}:{}", i + 1)) { "TEST" } else { "dev " },
                got.to_json()
            ));
        }
    }
    let pct = |(a, b): (usize, usize)| 100.0 * a as f64 / b.max(1) as f64;
    eprintln!(
        "actor cases: dev {}/{} = {:.1}%, test {}/{} = {:.1}%",
        dev.0,
        dev.1,
        pct(dev),
        test.0,
        test.1,
        pct(test)
    );
    // ANNALS_SHOW_FAILURES=dev lists the dev failures (for tuning); =all also the test
    // ones (for the report only).
    let show = std::env::var("ANNALS_SHOW_FAILURES").unwrap_or_default();
    for f in failures.iter().filter(|f| show == "all" || (show == "dev" && f.starts_with("dev"))) {
        eprintln!("{f}");
    }
    assert!(pct(test) >= TEST_FLOOR, "test half below {TEST_FLOOR}%: {:.1}%", pct(test));
}
