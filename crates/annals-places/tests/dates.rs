//! Date expressions against `tests/data/date-expressions.tsv`: every expression line
//! through `resolve_expression` and every sentence line through `find_dates` must come out
//! exactly right (all failures are printed before the test fails); plus properties:
//! `find_dates` and `resolve_expression` never panic on arbitrary text or publication
//! dates, spans are in bounds, on char boundaries, ordered and non-overlapping, and a
//! large input is handled in one linear pass.

use annals_actors::{Date, Precision};
use annals_places::{find_dates, resolve_expression};
use proptest::prelude::*;

const DATA: &str = include_str!("data/date-expressions.tsv");

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with the precision its shape gives.
fn parse_expected(s: &str) -> Option<(Date, Precision)> {
    Date::parse(s).filter(|_| s.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
}

fn precision_name(p: Precision) -> &'static str {
    match p {
        Precision::Year => "year",
        Precision::Month => "month",
        Precision::Day => "day",
    }
}

fn show(r: Option<(Date, Precision)>) -> String {
    match r {
        Some((d, p)) => format!("{d} {}", precision_name(p)),
        None => "none".to_string(),
    }
}

#[derive(Default)]
struct Sections<'a> {
    expressions: Vec<(usize, &'a str)>,
    sentences: Vec<(usize, &'a str)>,
}

fn sections() -> Sections<'static> {
    let mut s = Sections::default();
    let mut section = "";
    for (n, line) in DATA.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            section = line;
            continue;
        }
        match section {
            "[expressions]" => s.expressions.push((n + 1, line)),
            "[sentences]" => s.sentences.push((n + 1, line)),
            other => panic!("line {}: outside a known section ({other:?})", n + 1),
        }
    }
    s
}

#[test]
fn every_expression_resolves_as_written() {
    let lines = sections().expressions;
    assert!(lines.len() >= 120, "only {} expression lines", lines.len());
    let mut failures = Vec::new();
    for &(n, line) in &lines {
        let cols: Vec<&str> = line.split('\t').collect();
        let [expr, publication, expected, precision] = cols[..] else {
            panic!("line {n}: want 4 tab-separated columns: {line:?}");
        };
        let publication = Date::parse(publication).unwrap_or_else(|| panic!("line {n}: bad publication date")).0;
        let want = if expected == "none" {
            assert_eq!(precision, "-", "line {n}: `none` takes precision `-`");
            None
        } else {
            let (date, shape) = parse_expected(expected).unwrap_or_else(|| panic!("line {n}: bad expected date"));
            assert_eq!(precision, precision_name(shape), "line {n}: precision does not match the date's shape");
            Some((date, shape))
        };
        let got = resolve_expression(expr, publication);
        if got != want {
            failures.push(format!(
                "line {n}: {expr:?} published {publication}: want {}, got {}",
                show(want),
                show(got)
            ));
        }
    }
    let passed = lines.len() - failures.len();
    eprintln!("date expressions: {passed}/{} right", lines.len());
    assert!(failures.is_empty(), "{} of {} expressions wrong:\n{}", failures.len(), lines.len(), failures.join("\n"));
}

#[test]
fn every_sentence_finds_exactly_its_dates() {
    let lines = sections().sentences;
    assert!(lines.len() >= 30, "only {} sentence lines", lines.len());
    let mut failures = Vec::new();
    for &(n, line) in &lines {
        let mut cols = line.split('\t');
        let sentence = cols.next().unwrap_or_default();
        let publication =
            cols.next().and_then(Date::parse).unwrap_or_else(|| panic!("line {n}: bad or missing publication date")).0;
        let want: Vec<(String, Option<(Date, Precision)>)> = cols
            .map(|m| {
                let (text, date) =
                    m.rsplit_once('=').unwrap_or_else(|| panic!("line {n}: mention {m:?} is not text=date"));
                let date = parse_expected(date).unwrap_or_else(|| panic!("line {n}: bad date in {m:?}"));
                (text.to_string(), Some(date))
            })
            .collect();
        let got: Vec<(String, Option<(Date, Precision)>)> = find_dates(sentence, publication)
            .into_iter()
            .map(|m| (sentence[m.start..m.end].to_string(), Some((m.date, m.precision))))
            .collect();
        if got != want {
            let fmt = |v: &[(String, Option<(Date, Precision)>)]| {
                v.iter().map(|(t, d)| format!("{t:?}={}", show(*d))).collect::<Vec<_>>().join(", ")
            };
            failures.push(format!(
                "line {n}: {sentence:?} published {publication}:\n    want [{}]\n    got  [{}]",
                fmt(&want),
                fmt(&got)
            ));
        }
    }
    let passed = lines.len() - failures.len();
    eprintln!("date sentences: {passed}/{} right", lines.len());
    assert!(failures.is_empty(), "{} of {} sentences wrong:\n{}", failures.len(), lines.len(), failures.join("\n"));
}

#[test]
fn malformed_publication_dates_do_not_panic() {
    let odd = [
        Date { year: 2024, month: 0, day: 0 },
        Date { year: 2023, month: 13, day: 40 },
        Date { year: i32::MAX, month: 12, day: 31 },
        Date { year: i32::MIN, month: 1, day: 1 },
        Date { year: 0, month: 2, day: 29 },
    ];
    let text = "On Saturday, 12 March, last week, next year, next month, tomorrow, 999999 days ago, \
                999999 years ago, in 2019, last October, next December, the day after tomorrow, 29 February";
    for p in odd {
        let _ = find_dates(text, p);
        for expr in text.split(", ") {
            let _ = resolve_expression(expr, p);
        }
    }
}

#[test]
fn a_large_input_is_one_linear_pass() {
    let unit = "On Saturday, 12 March 2024, three days ago, he may march in May and June 2019-05-01 ";
    let text = unit.repeat(20_000);
    let publication = Date::new(2024, 5, 15).unwrap();
    let start = std::time::Instant::now();
    let found = find_dates(&text, publication);
    let elapsed = start.elapsed();
    // "Saturday, 12 March 2024", "three days ago", "May", "June", "2019-05-01".
    assert_eq!(found.len(), 5 * 20_000);
    eprintln!("{} bytes, {} dates in {elapsed:?}", text.len(), found.len());
    assert!(elapsed.as_secs() < 10, "took {elapsed:?}");
    let long_word = "a".repeat(1_000_000);
    assert!(find_dates(&long_word, publication).is_empty());
}

fn check_spans(s: &str, publication: Date) -> Result<(), TestCaseError> {
    let found = find_dates(s, publication);
    let mut last_end = 0;
    for m in &found {
        prop_assert!(m.start < m.end && m.end <= s.len(), "span {}..{} out of bounds", m.start, m.end);
        prop_assert!(s.is_char_boundary(m.start) && s.is_char_boundary(m.end));
        prop_assert!(m.start >= last_end, "overlapping or unordered spans");
        last_end = m.end;
        prop_assert!(Date::new(m.date.year, m.date.month, m.date.day).is_some(), "invalid date {}", m.date);
    }
    let _ = resolve_expression(s, publication);
    Ok(())
}

fn publication() -> impl Strategy<Value = Date> {
    (1900i32..2100, 1u8..=12, 1u8..=31)
        .prop_map(|(y, m, d)| Date::new(y, m, d).unwrap_or(Date { year: y, month: m, day: 1 }))
}

proptest! {
    #[test]
    fn arbitrary_text_gives_in_bounds_spans(s in "\\PC{0,200}", p in publication()) {
        check_spans(&s, p)?;
    }

    #[test]
    fn date_word_soup_gives_in_bounds_spans(
        words in proptest::collection::vec(
            "May|may|March|march|Saturday|last|next|this|the|day|before|after|yesterday|tomorrow|today|week|month|year|\
             years|ago|in|on|of|early|mid|-|,|\\.|/|:|1st|12|29|31|2024|1999|0|February|Feb|Sept|a|three|twenty|and|\
             Theresa|Sunday|Times|morning|night|[0-9]{1,5}|\\PC{1,3}",
            0..40,
        ),
        seps in proptest::collection::vec("|[ ]|[ ]{2}|\u{a0}", 40),
        p in publication(),
    ) {
        let mut s = String::new();
        for (i, w) in words.iter().enumerate() {
            s.push_str(w);
            s.push_str(seps.get(i).map_or(" ", String::as_str));
        }
        check_spans(&s, p)?;
    }
}
