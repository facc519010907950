//! The chart pages: `GET /dyad` (cooperation and conflict between two actors over time),
//! `GET /network` (who acts on whom) and `GET /map` (where events happened). Each draws its
//! chart with [`crate::svg`] from the summaries of `annals_store::stats`, and gives the same
//! numbers as a table under it for keyboard, touch and screen-reader users.
//!
//! Summaries are computed from at most [`MAX_SUMMARY_EVENTS`] events (the first by date);
//! a page says so when the filters select more.
//!
//! A dyad's actors are filter values (`ISR`, `GOV`, `Hamas`) or the labels `stats` gives
//! (`ISR/MIL`, `---/REB`): a label is looked up by its country (else sector) and then kept
//! only when one of the event's actors has exactly that label, so every dyad of
//! `stats::top_dyads` has a working page.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use annals_store::stats::{self, period_of, role_labels, Period, QUADS};
use annals_store::EventQuery;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::common::{events_table, href, plural, store_error_page, str_field, thousands, Params};
use super::filters::{
    error_summary, filter_form, filter_form_with, parse_ymd, text_field, Field, FieldError, Filters, ALL_FIELDS,
};
use crate::html::{escape, page};
use crate::server::AppState;
use crate::svg;

/// The most events a chart page summarizes.
pub(crate) const MAX_SUMMARY_EVENTS: usize = 20_000;
/// The most periods a timeline has.
const MAX_PERIODS: usize = 2_000;
/// Events listed under a dyad's charts.
const DYAD_EVENTS_SHOWN: usize = 200;
/// Longest actor value, in characters.
const MAX_ACTOR_CHARS: usize = 200;
/// The most pairs the network chart draws (the strongest; the table lists them all).
const MAX_EDGES_DRAWN: usize = 60;
/// The most pairs the network's table lists.
const MAX_PAIRS_LISTED: usize = 200;

fn quad_label(q: &str) -> String {
    q.replace('_', " ")
}

/// `Verbal cooperation`, for column headers.
fn quad_header(q: &str) -> String {
    let label = quad_label(q);
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => label,
    }
}

/// A note when the summary was cut at [`MAX_SUMMARY_EVENTS`].
fn cut_note(cut: bool) -> String {
    if cut {
        format!(
            "<p class=\"note\">These summaries count the first {} events by date only; narrow the \
             filters to see the rest.</p>\n",
            thousands(MAX_SUMMARY_EVENTS as u64)
        )
    } else {
        String::new()
    }
}

/// Runs `query` (capped) and returns its events and whether the cap cut them.
async fn summary_events(state: &Arc<AppState>, queries: Vec<EventQuery>) -> Result<Vec<(Vec<Value>, bool)>, Response> {
    let result = state
        .read(move |store| {
            let mut out = Vec::new();
            for mut q in queries {
                q.limit = Some(MAX_SUMMARY_EVENTS + 1);
                let mut events = store.query(&q)?;
                let cut = events.len() > MAX_SUMMARY_EVENTS;
                events.truncate(MAX_SUMMARY_EVENTS);
                out.push((events, cut));
            }
            Ok(out)
        })
        .await;
    result.map_err(|e| store_error_page(e, ""))
}

// ---------------------------------------------------------------------------------------------
// Dyads
// ---------------------------------------------------------------------------------------------

/// An actor of a dyad: the value the store is asked for, and the exact label to keep.
#[derive(Debug, Clone, PartialEq)]
struct ActorValue {
    query: String,
    label: Option<String>,
}

impl ActorValue {
    fn new(v: &str) -> ActorValue {
        match v.split_once('/') {
            Some((country, sector)) => {
                let query = if country != "---" && !country.is_empty() { country } else { sector };
                ActorValue { query: query.to_string(), label: Some(v.to_string()) }
            }
            None => ActorValue { query: v.to_string(), label: None },
        }
    }

    fn keeps(&self, event: &Value, role: &str) -> bool {
        match &self.label {
            Some(l) => role_labels(event, role).iter().any(|x| x == l),
            None => true,
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn day_number(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number.
fn civil(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (i32::try_from(y).unwrap_or(i32::MAX), m, d)
}

/// The first day of an ISO date or prefix (`2024-05` → 1 May 2024).
fn first_day(date: &str) -> Option<i64> {
    if let Some((y, m, d)) = parse_ymd(date) {
        return Some(day_number(y, m, d));
    }
    let mut it = date.split('-');
    let y: i32 = it.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let m: u32 = match it.next() {
        Some(m) => m.parse().ok().filter(|m| (1..=12).contains(m))?,
        None => 1,
    };
    if it.next().is_some() {
        return None;
    }
    Some(day_number(y, m, 1))
}

/// The period auto-chosen for a span of days: day under 60 days, week under a year,
/// month under 150 years, else year.
fn auto_period(span_days: i64) -> Period {
    match span_days {
        d if d < 60 => Period::Day,
        d if d < 366 => Period::Week,
        d if d < 150 * 365 => Period::Month,
        _ => Period::Year,
    }
}

fn period_name(p: Period) -> &'static str {
    match p {
        Period::Day => "day",
        Period::Week => "week",
        Period::Month => "month",
        Period::Year => "year",
    }
}

/// Every period from day `min` to day `max`, in order; None when more than [`MAX_PERIODS`].
fn periods_between(min: i64, max: i64, period: Period) -> Option<Vec<String>> {
    let label = |days: i64| {
        let (y, m, d) = civil(days);
        period_of(&format!("{y:04}-{m:02}-{d:02}"), period)
    };
    let mut out: Vec<String> = Vec::new();
    match period {
        Period::Day | Period::Week => {
            let step = if period == Period::Day { 1 } else { 7 };
            if (max - min) / step > MAX_PERIODS as i64 {
                return None;
            }
            let mut day = min;
            while day <= max + step {
                if let Some(l) = label(day.min(max)) {
                    if out.last() != Some(&l) {
                        out.push(l);
                    }
                }
                if day >= max {
                    break;
                }
                day += step;
            }
        }
        Period::Month | Period::Year => {
            let (y0, m0, _) = civil(min);
            let (y1, m1, _) = civil(max);
            let (mut y, mut m) = (y0, m0);
            loop {
                let l = if period == Period::Month { format!("{y:04}-{m:02}") } else { format!("{y:04}") };
                if out.last() != Some(&l) {
                    out.push(l);
                }
                if out.len() > MAX_PERIODS {
                    return None;
                }
                if (y, m) >= (y1, m1) {
                    break;
                }
                if m == 12 {
                    y += 1;
                    m = 1;
                } else {
                    m += 1;
                }
            }
        }
    }
    (out.len() <= MAX_PERIODS).then_some(out)
}

/// One direction of a dyad: its events per period and quad class, the events whose dates
/// are coarser than the periods (not drawn).
struct Direction {
    series: Vec<(String, Vec<u64>)>,
    undrawn: u64,
}

fn direction(events: &[Value], period: Period, periods: &[String]) -> Direction {
    let index: HashMap<&str, usize> = periods.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
    let mut series: Vec<(String, Vec<u64>)> = QUADS.iter().map(|q| (quad_label(q), vec![0; periods.len()])).collect();
    let mut undrawn = 0;
    for counts in stats::timeline(events, period) {
        match index.get(counts.period.as_str()) {
            Some(&i) => {
                for (q, (_, values)) in QUADS.iter().zip(series.iter_mut()) {
                    if let Some(v) = values.get_mut(i) {
                        *v += counts.by_quad.get(*q).copied().unwrap_or(0);
                    }
                }
            }
            None => undrawn += counts.events,
        }
    }
    Direction { series, undrawn }
}

/// The numbers of a direction's chart: one row per period with events.
fn direction_table(label: &str, periods: &[String], d: &Direction) -> String {
    let mut out = format!(
        "<details class=\"numbers\"><summary>The numbers: {}</summary>\
         <div class=\"table-wrap\" role=\"region\" aria-label=\"{label}\" tabindex=\"0\">\
         <table class=\"sortable\"><caption class=\"visually-hidden\">{label}</caption><thead><tr><th scope=\"col\">Period</th>",
        escape(label),
        label = escape(label)
    );
    for q in QUADS {
        let _ = write!(out, "<th scope=\"col\" class=\"num\">{}</th>", quad_header(q));
    }
    out += "<th scope=\"col\" class=\"num\">All</th></tr></thead><tbody>";
    for (i, p) in periods.iter().enumerate() {
        let values: Vec<u64> = d.series.iter().map(|(_, v)| v.get(i).copied().unwrap_or(0)).collect();
        let total: u64 = values.iter().sum();
        if total == 0 {
            continue;
        }
        let _ = write!(out, "<tr><td class=\"nowrap\">{}</td>", escape(p));
        for v in values {
            let _ = write!(out, "<td class=\"num\">{}</td>", thousands(v));
        }
        let _ = write!(out, "<td class=\"num\">{}</td></tr>", thousands(total));
    }
    out += "</tbody></table></div></details>\n";
    out
}

/// The `<select>` of periods.
fn period_field(selected: Option<Period>, errors: &[FieldError]) -> String {
    let mut out = String::from("<div class=\"field\"><label for=\"period\">Period</label>");
    let invalid = errors.iter().any(|e| e.param == "period");
    let _ = write!(
        out,
        "<select id=\"period\" name=\"period\"{}>",
        if invalid { " aria-invalid=\"true\" aria-describedby=\"period-error\"" } else { "" }
    );
    let sel = |p: Option<Period>| if p == selected { " selected=\"selected\"" } else { "" };
    let _ = write!(out, "<option value=\"\"{}>automatic</option>", sel(None));
    for p in [Period::Day, Period::Week, Period::Month, Period::Year] {
        let _ = write!(out, "<option value=\"{n}\"{}>{n}</option>", sel(Some(p)), n = period_name(p));
    }
    out += "</select>";
    if let Some(e) = errors.iter().find(|e| e.param == "period") {
        let _ = write!(out, "<p class=\"error field-error\" id=\"period-error\">{}</p>", escape(&e.message));
    }
    out += "</div>\n";
    out
}

/// `GET /dyad?a=…&b=…` (+ since, until, period).
pub(crate) async fn dyad(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let mut filters = Filters::parse(&params, &[Field::Since, Field::Until]);
    let a = params.get("a").unwrap_or("").to_string();
    let b = params.get("b").unwrap_or("").to_string();
    let period_raw = params.get("period").unwrap_or("");
    let period = match period_raw.to_ascii_lowercase().as_str() {
        "" | "auto" | "automatic" => None,
        p => match Period::parse(p) {
            Some(p) => Some(p),
            None => {
                filters.error("period", format!("Period: expected day, week, month or year (got “{period_raw}”)."));
                None
            }
        },
    };
    for (name, v) in [("a", &a), ("b", &b)] {
        if v.chars().count() > MAX_ACTOR_CHARS {
            filters.error(
                if name == "a" { "a" } else { "b" },
                format!("Actor: at most {MAX_ACTOR_CHARS} characters, please."),
            );
        }
    }
    if a.is_empty() != b.is_empty() {
        let missing = if a.is_empty() { "a" } else { "b" };
        filters.error(missing, "Give both actors of the dyad.".to_string());
    }
    let leading = format!(
        "{}{}{}",
        text_field("a", "Actor A", &a, "ISR, USA/GOV, Hamas…", &filters.errors),
        text_field("b", "Actor B", &b, "PSE", &filters.errors),
        period_field(period, &filters.errors)
    );
    let form = filter_form_with("/dyad", &filters, &[], &leading);
    let intro = "<p class=\"lead\">Cooperation and conflict between two actors over time, in both directions. \
                 An actor is a country (<code>ISR</code>), a sector (<code>GOV</code>), an organization \
                 (<code>Hamas</code>), a person's name, or a label from the list of top dyads \
                 (<code>ISR/MIL</code>).</p>\n";
    if !filters.errors.is_empty() {
        let body = format!("{}{intro}{form}", error_summary(&filters.errors));
        return super::html(StatusCode::BAD_REQUEST, page("Dyads", "/dyad", &body));
    }
    if a.is_empty() {
        return dyad_index(&state, &filters, intro, &form).await;
    }

    let (va, vb) = (ActorValue::new(&a), ActorValue::new(&b));
    let mut q = filters.query.clone();
    q.dyad = Some((va.query.clone(), vb.query.clone()));
    let mut q_back = filters.query.clone();
    q_back.dyad = Some((vb.query.clone(), va.query.clone()));
    let mut results = match summary_events(&state, vec![q, q_back]).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let (mut back, cut_back) = results.pop().unwrap_or_default();
    let (mut forth, cut_forth) = results.pop().unwrap_or_default();
    forth.retain(|e| va.keeps(e, "source") && vb.keeps(e, "target"));
    back.retain(|e| vb.keeps(e, "source") && va.keeps(e, "target"));

    let days: Vec<i64> = forth.iter().chain(&back).filter_map(|e| str_field(e, "date")).filter_map(first_day).collect();
    let (min, max) = (days.iter().min().copied(), days.iter().max().copied());
    let span = match (min, max) {
        (Some(lo), Some(hi)) => hi - lo,
        _ => 0,
    };
    let period = period.unwrap_or_else(|| auto_period(span));
    let periods = match (min, max) {
        (Some(lo), Some(hi)) => match periods_between(lo, hi, period) {
            Some(p) => p,
            None => {
                filters.error(
                    "period",
                    format!(
                        "Period: {} {}s is too many to draw; choose a longer period or fewer dates.",
                        thousands(span as u64),
                        period_name(period)
                    ),
                );
                let body = format!("{}{intro}{}", error_summary(&filters.errors), {
                    let leading = format!(
                        "{}{}{}",
                        text_field("a", "Actor A", &a, "", &filters.errors),
                        text_field("b", "Actor B", &b, "", &filters.errors),
                        period_field(Some(period), &filters.errors)
                    );
                    filter_form_with("/dyad", &filters, &[], &leading)
                });
                return super::html(StatusCode::BAD_REQUEST, page("Dyads", "/dyad", &body));
            }
        },
        _ => Vec::new(),
    };

    let mut body = format!("{intro}{form}");
    body += &cut_note(cut_forth || cut_back);
    let _ = writeln!(
        body,
        "<p role=\"status\">{} from {a_} to {b_}, {} from {b_} to {a_}; counted per {}.</p>",
        plural(forth.len() as u64, "event", "events"),
        plural(back.len() as u64, "event", "events"),
        period_name(period),
        a_ = escape(&a),
        b_ = escape(&b),
    );
    for (from, to, events, id) in [(&a, &b, &forth, "a-to-b"), (&b, &a, &back, "b-to-a")] {
        let d = direction(events, period, &periods);
        let heading = format!("{from} → {to}");
        let title = format!("{from} → {to}: events per {} by quad class", period_name(period));
        let _ = write!(
            body,
            "<h2 id=\"{id}\">{}</h2>\n<figure class=\"chart-wrap\">{}<figcaption>Events from {} to {} per {}, by PLOVER \
             quad class: dashed lines are verbal, solid lines material; circles cooperation, squares conflict.{}</figcaption>\
             </figure>\n",
            escape(&heading),
            svg::timeline(&title, &periods, &d.series),
            escape(from),
            escape(to),
            period_name(period),
            if d.undrawn > 0 {
                let verb = if d.undrawn == 1 { "is" } else { "are" };
                format!(" {} dated only to a month or year {verb} not drawn.", plural(d.undrawn, "event", "events"))
            } else {
                String::new()
            }
        );
        body += &direction_table(&format!("Events from {from} to {to} per {}", period_name(period)), &periods, &d);
    }

    let mut both: Vec<&Value> = forth.iter().chain(&back).collect();
    both.sort_by(|x, y| {
        let key =
            |e: &Value| (str_field(e, "date").unwrap_or("").to_string(), str_field(e, "id").unwrap_or("").to_string());
        key(x).cmp(&key(y))
    });
    let listed: Vec<Value> = both.iter().take(DYAD_EVENTS_SHOWN).map(|e| (*e).clone()).collect();
    body += "<h2 id=\"dyad-events-heading\">The events</h2>\n";
    if listed.is_empty() {
        body += "<p>No events between these actors for these dates.</p>\n";
    } else {
        if both.len() > DYAD_EVENTS_SHOWN {
            let _ = writeln!(
                body,
                "<p>The first {} of {}, by date.</p>",
                thousands(DYAD_EVENTS_SHOWN as u64),
                thousands(both.len() as u64)
            );
        }
        body += &events_table(&listed, Some("dyad-events"), &format!("Events between {a} and {b}"));
    }
    if va.label.is_none() && vb.label.is_none() {
        let since = filters.value(Field::Since);
        let until = filters.value(Field::Until);
        let _ = writeln!(
            body,
            "<p>On the events page: <a href=\"{}\">{a_} → {b_}</a> · <a href=\"{}\">{b_} → {a_}</a></p>",
            href("/", &[("dyad", &format!("{a},{b}")), ("since", since), ("until", until)]),
            href("/", &[("dyad", &format!("{b},{a}")), ("since", since), ("until", until)]),
            a_ = escape(&a),
            b_ = escape(&b),
        );
    }
    super::html(StatusCode::OK, page(&format!("{a} and {b}"), "/dyad", &body))
}

/// `/dyad` without actors: the form and the top dyads.
/// A sortable table of dyads (source, target, events, events by quad class) in a
/// scrolling region; each row links to the dyad's page for the filters' period, from the
/// actors' names (`link_names`) or from the number of events.
fn dyad_table(id: &str, label: &str, dyads: &[stats::DyadCount], filters: &Filters, link_names: bool) -> String {
    let mut out = format!(
        "<div class=\"table-wrap\" role=\"region\" aria-label=\"{label}\" tabindex=\"0\">\
         <table class=\"sortable\" id=\"{id}\"><caption class=\"visually-hidden\">{label}</caption>\
         <thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Target</th><th scope=\"col\" class=\"num\">Events</th>"
    );
    for q in QUADS {
        let _ = write!(out, "<th scope=\"col\" class=\"num\">{}</th>", quad_header(q));
    }
    out += "</tr></thead><tbody>\n";
    for d in dyads {
        let link = href(
            "/dyad",
            &[
                ("a", &d.source),
                ("b", &d.target),
                ("since", filters.value(Field::Since)),
                ("until", filters.value(Field::Until)),
            ],
        );
        let (source, target, events) = (escape(&d.source), escape(&d.target), thousands(d.events));
        if link_names {
            let _ = write!(
                out,
                "<tr><td><a href=\"{link}\">{source}</a></td><td><a href=\"{link}\">{target}</a></td><td class=\"num\">{events}</td>"
            );
        } else {
            let _ = write!(
                out,
                "<tr><td>{source}</td><td>{target}</td><td class=\"num\"><a href=\"{link}\" title=\"The dyad's page\">{events}</a></td>"
            );
        }
        for q in QUADS {
            let _ = write!(out, "<td class=\"num\">{}</td>", thousands(d.by_quad.get(q).copied().unwrap_or(0)));
        }
        out += "</tr>\n";
    }
    out += "</tbody></table></div>\n";
    out
}

async fn dyad_index(state: &Arc<AppState>, filters: &Filters, intro: &str, form: &str) -> Response {
    let results = match summary_events(state, vec![filters.query.clone()]).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let (events, cut) = results.into_iter().next().unwrap_or_default();
    let top = stats::top_dyads(&events, 50);
    let mut body = format!("{intro}{form}<h2 id=\"top-dyads\">Top dyads</h2>\n{}", cut_note(cut));
    if top.is_empty() {
        body += "<p>No dyads yet: no stored event has both a source and a target.</p>\n";
    } else {
        body += &dyad_table("top-dyads-table", "Top dyads", &top, filters, true);
    }
    super::html(StatusCode::OK, page("Dyads", "/dyad", &body))
}

// ---------------------------------------------------------------------------------------------
// Network
// ---------------------------------------------------------------------------------------------

/// `GET /network` (+ type, since, until).
pub(crate) async fn network(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let filters = Filters::parse(&params, &[Field::Type, Field::Since, Field::Until]);
    let form = filter_form("/network", &filters, &[]);
    let intro = "<p class=\"lead\">Who acts on whom: the 30 most active actors and the events between them. \
                 An arrow goes from source to target; its width is the number of events.</p>\n";
    if !filters.errors.is_empty() {
        let body = format!("{}{intro}{form}", error_summary(&filters.errors));
        return super::html(StatusCode::BAD_REQUEST, page("Network", "/network", &body));
    }
    let results = match summary_events(&state, vec![filters.query.clone()]).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let (events, cut) = results.into_iter().next().unwrap_or_default();
    let actors = stats::top_actors(&events, svg::MAX_NODES);
    let index: HashMap<&str, usize> = actors.iter().enumerate().map(|(i, a)| (a.actor.as_str(), i)).collect();
    let dyads: Vec<stats::DyadCount> = stats::top_dyads(&events, usize::MAX)
        .into_iter()
        .filter(|d| index.contains_key(d.source.as_str()) && index.contains_key(d.target.as_str()))
        .collect();
    let nodes: Vec<(String, u64)> = actors.iter().map(|a| (a.actor.clone(), a.events)).collect();
    let edges: Vec<(usize, usize, u64)> = dyads
        .iter()
        .take(MAX_EDGES_DRAWN)
        .filter_map(|d| Some((*index.get(d.source.as_str())?, *index.get(d.target.as_str())?, d.events)))
        .collect();

    let mut body = format!("{intro}{form}{}", cut_note(cut));
    let _ = write!(
        body,
        "<p role=\"status\">{}; the chart shows the {} most active actors and {}.</p>\n\
         <figure class=\"chart-wrap\">{}<figcaption>Actors are circles sized by their events; an arrow goes from source \
         to target, wider with more events{}. The numbers are in the tables below.</figcaption></figure>\n",
        plural(events.len() as u64, "event", "events"),
        thousands(actors.len() as u64),
        plural(dyads.len() as u64, "pair between them", "pairs between them"),
        svg::network("Who acts on whom", &nodes, &edges),
        if dyads.len() > MAX_EDGES_DRAWN {
            format!(" (the {MAX_EDGES_DRAWN} strongest pairs are drawn)")
        } else {
            String::new()
        }
    );
    body += "<h2 id=\"pairs\">Pairs of actors</h2>\n";
    if dyads.is_empty() {
        body += "<p>No events between the top actors.</p>\n";
    } else {
        let listed = &dyads[..dyads.len().min(MAX_PAIRS_LISTED)];
        body += &dyad_table("network-edges", "Pairs of actors", listed, &filters, false);
        if dyads.len() > MAX_PAIRS_LISTED {
            let _ = writeln!(
                body,
                "<p class=\"muted\">The {MAX_PAIRS_LISTED} pairs with most events of {}.</p>",
                thousands(dyads.len() as u64)
            );
        }
    }
    body += "<h2 id=\"actors\">The actors</h2>\n";
    if !actors.is_empty() {
        body += "<div class=\"table-wrap\" role=\"region\" aria-label=\"Actors\" tabindex=\"0\">\
                 <table class=\"sortable\" id=\"network-actors\"><caption class=\"visually-hidden\">Actors</caption>\
                 <thead><tr><th scope=\"col\">Actor</th><th scope=\"col\" class=\"num\">Events</th>\
                 <th scope=\"col\" class=\"num\">As source</th><th scope=\"col\" class=\"num\">As target</th></tr></thead><tbody>\n";
        for a in &actors {
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&a.actor),
                thousands(a.events),
                thousands(a.as_source),
                thousands(a.as_target)
            );
        }
        body += "</tbody></table></div>\n";
    } else {
        body += "<p>No actors.</p>\n";
    }
    super::html(StatusCode::OK, page("Network", "/network", &body))
}

// ---------------------------------------------------------------------------------------------
// Map
// ---------------------------------------------------------------------------------------------

/// A place events happened at.
#[derive(Debug, Clone)]
struct Place {
    name: String,
    country: Option<String>,
    lat: f64,
    lon: f64,
    events: u64,
}

/// Groups events by location (name, country and coordinates rounded to 0.1°); events
/// without coordinates are counted apart.
fn places(events: &[Value]) -> (Vec<Place>, u64) {
    let mut by: BTreeMap<(String, String, i64, i64), Place> = BTreeMap::new();
    let mut without = 0;
    for e in events {
        let Some(loc) = e.get("location").filter(|l| l.is_object()) else {
            without += 1;
            continue;
        };
        let lat = loc.get("lat").and_then(Value::as_f64).filter(|v| v.is_finite() && (-90.0..=90.0).contains(v));
        let lon = loc.get("lon").and_then(Value::as_f64).filter(|v| v.is_finite() && (-180.0..=180.0).contains(v));
        let (Some(lat), Some(lon)) = (lat, lon) else {
            without += 1;
            continue;
        };
        let name = str_field(loc, "name").unwrap_or("?").to_string();
        let country = str_field(loc, "country").map(str::to_string);
        let key = (
            name.clone(),
            country.clone().unwrap_or_default(),
            (lat * 10.0).round() as i64,
            (lon * 10.0).round() as i64,
        );
        by.entry(key).or_insert(Place { name, country, lat, lon, events: 0 }).events += 1;
    }
    let mut out: Vec<Place> = by.into_values().collect();
    out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
    (out, without)
}

fn place_label(p: &Place) -> String {
    match &p.country {
        Some(c) => format!("{}, {c}", p.name),
        None => p.name.clone(),
    }
}

/// `GET /map` (+ the events filters).
pub(crate) async fn map(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let filters = Filters::parse(&params, &ALL_FIELDS);
    let form = filter_form("/map", &filters, &[]);
    let intro = "<p class=\"lead\">Where events happened: each circle is a place, its area the number of events \
                 located there.</p>\n";
    if !filters.errors.is_empty() {
        let body = format!("{}{intro}{form}", error_summary(&filters.errors));
        return super::html(StatusCode::BAD_REQUEST, page("Map", "/map", &body));
    }
    let results = match summary_events(&state, vec![filters.query.clone()]).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let (events, cut) = results.into_iter().next().unwrap_or_default();
    let (places, without) = places(&events);
    let points: Vec<(f64, f64, String, u64)> =
        places.iter().map(|p| (p.lat, p.lon, place_label(p), p.events)).collect();
    let located: u64 = places.iter().map(|p| p.events).sum();
    let mut body = format!("{intro}{form}{}", cut_note(cut));
    let _ = write!(
        body,
        "<p role=\"status\">{} at {}{}.</p>\n<figure class=\"chart-wrap\">{}<figcaption>Event locations on a world map \
         (equirectangular projection). The places are listed in the table below.</figcaption></figure>\n",
        plural(located, "event", "events"),
        plural(places.len() as u64, "place", "places"),
        if without > 0 { format!("; {} without coordinates", plural(without, "event", "events")) } else { String::new() },
        svg::map("Where events happened", &points)
    );
    body += "<h2 id=\"top-places\">Top places</h2>\n";
    if places.is_empty() {
        body += "<p>No located events.</p>\n";
    } else {
        body += "<div class=\"table-wrap\" role=\"region\" aria-label=\"Top places\" tabindex=\"0\">\
                 <table class=\"sortable\" id=\"places\"><caption class=\"visually-hidden\">Top places</caption>\
                 <thead><tr><th scope=\"col\">Place</th><th scope=\"col\">Country</th>\
                 <th scope=\"col\" class=\"num\">Latitude</th><th scope=\"col\" class=\"num\">Longitude</th>\
                 <th scope=\"col\" class=\"num\">Events</th></tr></thead><tbody>\n";
        for p in places.iter().take(100) {
            let link = filters.href_replacing("/", Field::Place, &[("place", &p.name)]);
            let _ = writeln!(
                body,
                "<tr><td><a href=\"{link}\">{}</a></td><td>{}</td><td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td>\
                 <td class=\"num\">{}</td></tr>",
                escape(&p.name),
                escape(p.country.as_deref().unwrap_or("")),
                p.lat,
                p.lon,
                thousands(p.events)
            );
        }
        body += "</tbody></table></div>\n";
    }
    super::html(StatusCode::OK, page("Map", "/map", &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (2024, 2, 29), (2000, 12, 31), (1999, 3, 1)] {
            assert_eq!(civil(day_number(y, m, d)), (y, m, d));
        }
        assert_eq!(first_day("2024-05"), Some(day_number(2024, 5, 1)));
        assert_eq!(first_day("2024"), Some(day_number(2024, 1, 1)));
        assert_eq!(first_day("soon"), None);
    }

    #[test]
    fn periods_cover_the_span() {
        let lo = day_number(2024, 4, 29);
        let hi = day_number(2024, 5, 14);
        assert_eq!(periods_between(lo, hi, Period::Day).map(|p| p.len()), Some(16));
        assert_eq!(
            periods_between(lo, hi, Period::Week),
            Some(vec!["2024-W18".into(), "2024-W19".into(), "2024-W20".into()])
        );
        assert_eq!(periods_between(lo, hi, Period::Month), Some(vec!["2024-04".into(), "2024-05".into()]));
        assert_eq!(periods_between(lo, day_number(2024, 5, 2), Period::Week), Some(vec!["2024-W18".into()]));
        assert_eq!(periods_between(day_number(1900, 1, 1), day_number(2024, 1, 1), Period::Day), None);
        assert_eq!(auto_period(10), Period::Day);
        assert_eq!(auto_period(100), Period::Week);
        assert_eq!(auto_period(1000), Period::Month);
    }

    #[test]
    fn labels_select_by_country_then_keep_exact_matches() {
        let v = ActorValue::new("---/REB");
        assert_eq!(v.query, "REB");
        let e = serde_json::json!({"source": [{"sector": "REB"}], "target": [{"country": "ISR", "sector": "MIL"}]});
        assert!(v.keeps(&e, "source"));
        assert!(ActorValue::new("ISR/MIL").keeps(&e, "target"));
        assert!(!ActorValue::new("ISR/GOV").keeps(&e, "target"));
        assert!(ActorValue::new("ISR").keeps(&e, "source"));
    }
}
