//! Summaries of queried events: counts per period by PLOVER type and by quad class, the
//! most active dyads and actors. Computed from the events a query returns, so that
//! `annals stats`, the API and the dashboard count the same way on every backend.
//!
//! Counts are of events (one per event key, see `dedup.rs`), with their reports summed
//! alongside as `mentions`. An actor is labelled by its organization, else
//! `COUNTRY/SECTOR` (either may be `---`), else its canonical name, else its words: the
//! coarsest label that still names who acted. An event with two sources and two targets
//! counts once for each of its four dyads.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

/// The length of a timeline's periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
    Month,
    Year,
}

impl Period {
    /// Parses `day`, `week`, `month` or `year`.
    pub fn parse(s: &str) -> Option<Period> {
        match s.to_ascii_lowercase().as_str() {
            "day" => Some(Period::Day),
            "week" => Some(Period::Week),
            "month" => Some(Period::Month),
            "year" => Some(Period::Year),
            _ => None,
        }
    }
}

/// The four PLOVER quad classes, in the order charts show them.
pub const QUADS: [&str; 4] = ["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"];

/// The period an ISO date falls in: `2024-05-01` is `2024-05-01` by day, `2024-W18` by
/// ISO week, `2024-05` by month, `2024` by year. A date coarser than the period keeps its
/// own precision (`2023-10` stays `2023-10` by day or week); a malformed date gives None.
pub fn period_of(date: &str, period: Period) -> Option<String> {
    let parts: Vec<&str> = date.split('-').collect();
    let num = |s: &str| s.parse::<i32>().ok();
    let year = parts.first().and_then(|y| num(y)).filter(|_| parts[0].len() == 4)?;
    let month = parts.get(1).map(|m| num(m).filter(|m| (1..=12).contains(m))).unwrap_or(Some(0))?;
    let day = parts.get(2).map(|d| num(d).filter(|d| (1..=31).contains(d))).unwrap_or(Some(0))?;
    Some(match period {
        Period::Year => format!("{year:04}"),
        _ if month == 0 => format!("{year:04}"),
        Period::Month => format!("{year:04}-{month:02}"),
        _ if day == 0 => format!("{year:04}-{month:02}"),
        Period::Day => format!("{year:04}-{month:02}-{day:02}"),
        Period::Week => {
            let (wy, w) = iso_week(year, month as u32, day as u32);
            format!("{wy:04}-W{w:02}")
        }
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The ISO 8601 week (week-year, week number) of a date.
fn iso_week(y: i32, m: u32, d: u32) -> (i32, u32) {
    let days = days_from_civil(y, m, d);
    let weekday = (days + 3).rem_euclid(7); // 0 = Monday
    let thursday = days - weekday + 3;
    // The week-year is the year of that week's Thursday.
    let mut wy = y + 1;
    while days_from_civil(wy, 1, 1) > thursday {
        wy -= 1;
    }
    let week = (thursday - days_from_civil(wy, 1, 1)) / 7 + 1;
    (wy, u32::try_from(week).unwrap_or(1))
}

/// The label of one actor of an event record (see the module header).
pub fn actor_label(actor: &Value) -> String {
    let field = |k: &str| actor.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    if let Some(org) = field("org") {
        return org.to_string();
    }
    match (field("country"), field("sector")) {
        (None, None) => field("name").or(field("text")).unwrap_or("?").to_string(),
        (c, s) => format!("{}/{}", c.unwrap_or("---"), s.unwrap_or("---")),
    }
}

/// The labels of an event's actors in one role, without repeats.
pub fn role_labels(event: &Value, role: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in event.get(role).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
        let l = actor_label(a);
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

/// Counts of one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PeriodCounts {
    pub period: String,
    pub events: u64,
    pub mentions: u64,
    pub by_type: BTreeMap<String, u64>,
    pub by_quad: BTreeMap<String, u64>,
}

/// A dyad and its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DyadCount {
    pub source: String,
    pub target: String,
    pub events: u64,
    /// Events per quad class.
    pub by_quad: BTreeMap<String, u64>,
}

/// An actor and its events as source and as target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActorCount {
    pub actor: String,
    pub events: u64,
    pub as_source: u64,
    pub as_target: u64,
}

/// Everything `annals stats` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub events: u64,
    pub mentions: u64,
    pub by_type: BTreeMap<String, u64>,
    pub by_quad: BTreeMap<String, u64>,
    pub period: Period,
    pub timeline: Vec<PeriodCounts>,
    pub top_dyads: Vec<DyadCount>,
    pub top_actors: Vec<ActorCount>,
}

fn mentions_of(e: &Value) -> u64 {
    e.get("mentions").and_then(Value::as_u64).unwrap_or(1)
}

fn str_field<'a>(e: &'a Value, k: &str) -> Option<&'a str> {
    e.get(k).and_then(Value::as_str)
}

/// Counts per period, oldest first; undated events are left out.
pub fn timeline(events: &[Value], period: Period) -> Vec<PeriodCounts> {
    let mut by: BTreeMap<String, PeriodCounts> = BTreeMap::new();
    for e in events {
        let Some(p) = str_field(e, "date").and_then(|d| period_of(d, period)) else { continue };
        let c = by.entry(p.clone()).or_insert_with(|| PeriodCounts { period: p, ..PeriodCounts::default() });
        c.events += 1;
        c.mentions += mentions_of(e);
        if let Some(t) = str_field(e, "event") {
            *c.by_type.entry(t.to_string()).or_default() += 1;
        }
        if let Some(q) = str_field(e, "quad") {
            *c.by_quad.entry(q.to_string()).or_default() += 1;
        }
    }
    by.into_values().collect()
}

/// The `n` dyads with most events (ties by name).
pub fn top_dyads(events: &[Value], n: usize) -> Vec<DyadCount> {
    let mut by: HashMap<(String, String), DyadCount> = HashMap::new();
    for e in events {
        let quad = str_field(e, "quad").unwrap_or("").to_string();
        for s in role_labels(e, "source") {
            for t in role_labels(e, "target") {
                let d = by.entry((s.clone(), t.clone())).or_insert_with(|| DyadCount {
                    source: s.clone(),
                    target: t.clone(),
                    events: 0,
                    by_quad: BTreeMap::new(),
                });
                d.events += 1;
                *d.by_quad.entry(quad.clone()).or_default() += 1;
            }
        }
    }
    let mut out: Vec<DyadCount> = by.into_values().collect();
    out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| (&a.source, &a.target).cmp(&(&b.source, &b.target))));
    out.truncate(n);
    out
}

/// The `n` actors in most events, as source or target (ties by name).
pub fn top_actors(events: &[Value], n: usize) -> Vec<ActorCount> {
    let mut by: HashMap<String, ActorCount> = HashMap::new();
    for e in events {
        let sources = role_labels(e, "source");
        let targets = role_labels(e, "target");
        let mut seen: Vec<&String> = Vec::new();
        for (label, is_source) in sources.iter().map(|l| (l, true)).chain(targets.iter().map(|l| (l, false))) {
            let a = by.entry(label.clone()).or_insert_with(|| ActorCount {
                actor: label.clone(),
                events: 0,
                as_source: 0,
                as_target: 0,
            });
            if is_source {
                a.as_source += 1;
            } else {
                a.as_target += 1;
            }
            if !seen.contains(&label) {
                a.events += 1;
                seen.push(label);
            }
        }
    }
    let mut out: Vec<ActorCount> = by.into_values().collect();
    out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.actor.cmp(&b.actor)));
    out.truncate(n);
    out
}

/// All the summaries at once.
pub fn stats(events: &[Value], period: Period, top: usize) -> Stats {
    let mut by_type = BTreeMap::new();
    let mut by_quad = BTreeMap::new();
    let mut mentions = 0;
    for e in events {
        mentions += mentions_of(e);
        if let Some(t) = str_field(e, "event") {
            *by_type.entry(t.to_string()).or_default() += 1;
        }
        if let Some(q) = str_field(e, "quad") {
            *by_quad.entry(q.to_string()).or_default() += 1;
        }
    }
    Stats {
        events: events.len() as u64,
        mentions,
        by_type,
        by_quad,
        period,
        timeline: timeline(events, period),
        top_dyads: top_dyads(events, top),
        top_actors: top_actors(events, top),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn periods() {
        assert_eq!(period_of("2024-05-01", Period::Day).as_deref(), Some("2024-05-01"));
        assert_eq!(period_of("2024-05-01", Period::Month).as_deref(), Some("2024-05"));
        assert_eq!(period_of("2024-05-01", Period::Year).as_deref(), Some("2024"));
        assert_eq!(period_of("2023-10", Period::Day).as_deref(), Some("2023-10"));
        assert_eq!(period_of("2023", Period::Week).as_deref(), Some("2023"));
        assert_eq!(period_of("nonsense", Period::Day), None);
        assert_eq!(period_of("2024-13-01", Period::Day), None);
    }

    #[test]
    fn iso_weeks_at_year_ends() {
        // 2024-05-01 is a Wednesday of week 18; 2021-01-03 (Sunday) is in 2020-W53;
        // 2024-12-30 (Monday) is in 2025-W01; 2026-01-01 (Thursday) is 2026-W01.
        assert_eq!(period_of("2024-05-01", Period::Week).as_deref(), Some("2024-W18"));
        assert_eq!(period_of("2021-01-03", Period::Week).as_deref(), Some("2020-W53"));
        assert_eq!(period_of("2024-12-30", Period::Week).as_deref(), Some("2025-W01"));
        assert_eq!(period_of("2026-01-01", Period::Week).as_deref(), Some("2026-W01"));
    }

    #[test]
    fn counts_dyads_and_actors() {
        let ev = |t: &str, q: &str, d: &str, src: Value, tgt: Value| json!({"event": t, "quad": q, "date": d, "source": src, "target": tgt, "mentions": 2});
        let isr = json!({"country": "ISR", "sector": "MIL"});
        let hamas = json!({"country": "PSE", "sector": "REB", "org": "Hamas"});
        let usa = json!({"country": "USA", "sector": "GOV", "name": "Antony Blinken"});
        let events = vec![
            ev("ASSAULT", "material_conflict", "2024-05-01", json!([isr]), json!([hamas])),
            ev("ASSAULT", "material_conflict", "2024-05-02", json!([isr]), json!([hamas])),
            ev("CONSULT", "verbal_cooperation", "2024-05-02", json!([usa]), json!([isr, isr])),
            json!({"event": "AID", "source": [{"text": "donors"}], "target": []}),
        ];
        let s = stats(&events, Period::Day, 10);
        assert_eq!(s.events, 4);
        assert_eq!(s.mentions, 7);
        assert_eq!(s.timeline.len(), 2);
        assert_eq!(s.timeline[1].by_quad.get("verbal_cooperation"), Some(&1));
        assert_eq!(s.top_dyads[0].source, "ISR/MIL");
        assert_eq!(s.top_dyads[0].target, "Hamas");
        assert_eq!(s.top_dyads[0].events, 2);
        assert_eq!(s.top_dyads.len(), 2);
        assert_eq!(s.top_actors[0].actor, "ISR/MIL");
        assert_eq!((s.top_actors[0].events, s.top_actors[0].as_source, s.top_actors[0].as_target), (3, 2, 1));
        assert!(s.top_actors.iter().any(|a| a.actor == "donors"));
    }
}
