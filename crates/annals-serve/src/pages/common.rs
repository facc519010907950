//! Pieces every page shares: query parameters, URL encoding, error pages, how an actor and
//! an event are shown, the events table, and the highlighting of a text (actors, triggers,
//! places) from event records and place spans.
//!
//! Highlighting follows the event schema: an event's spans are character offsets into its
//! sentence (`text`), so each sentence is first found in the document text, searching
//! forward from the previous one, and its spans are shifted by where it starts. Marks never
//! nest: actors and triggers are placed first, then places that do not overlap them. The
//! script of the "code an article" page (`html::APP_JS`) does the same in the browser and
//! must stay in step with [`highlight`] and [`coded_events_table`].

use std::fmt::Write as _;

use annals_store::stats::actor_label;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use crate::html::{escape, page};
use crate::server::{ApiError, PlaceSpan};

/// The query parameters of a request, in order; empty values count as absent.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Parses a raw query string (`a=1&b=x+y`); never fails (bad escapes are kept lossily).
    pub(crate) fn parse(raw: Option<&str>) -> Params {
        Params::from_bytes(raw.unwrap_or("").as_bytes())
    }

    /// Parses an `application/x-www-form-urlencoded` body.
    pub(crate) fn from_bytes(raw: &[u8]) -> Params {
        Params(form_urlencoded::parse(raw).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The first non-blank value of `name`, trimmed.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim()).find(|v| !v.is_empty())
    }

    /// The first value of `name`, untrimmed (for texts whose spaces matter).
    pub(crate) fn raw(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Percent-encodes `s` for one path segment: everything but unreserved characters.
pub(crate) fn pct_path(s: &str) -> String {
    pct(s, b"-._~")
}

/// Percent-encodes `s` for a URL fragment (keeps `:` so that ids like `doc:0:1` read well).
pub(crate) fn pct_fragment(s: &str) -> String {
    pct(s, b"-._~:@!$*+,;=/")
}

fn pct(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `path?k=v&…` for the pairs with a non-empty value, HTML-escaped for an `href`.
pub(crate) fn href(path: &str, pairs: &[(&str, &str)]) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            ser.append_pair(k, v);
        }
    }
    let query = ser.finish();
    if query.is_empty() {
        escape(path)
    } else {
        escape(&format!("{path}?{query}"))
    }
}

/// The link to an event's evidence: its document page, at the event.
pub(crate) fn evidence_href(doc: &str, event_id: &str) -> String {
    escape(&format!("/documents/{}#event-{}", pct_path(doc), pct_fragment(event_id)))
}

/// A count with thousands separators: `12,345`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 event`, `12 events`.
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(n))
    }
}

/// A page answering an error: the message, a way back, and `status`.
pub(crate) fn error_page(status: StatusCode, title: &str, nav: &str, message: &str) -> Response {
    let body = format!(
        "<p class=\"error\" role=\"alert\">{}</p>\n<p><a href=\"/\">Back to the events</a></p>",
        escape(message)
    );
    super::html(status, page(title, nav, &body))
}

/// A failure of the store (or of a blocking task) as a page.
pub(crate) fn store_error_page(e: ApiError, nav: &str) -> Response {
    let title = if e.status == StatusCode::SERVICE_UNAVAILABLE { "Busy" } else { "Something went wrong" };
    let message = if e.status == StatusCode::SERVICE_UNAVAILABLE {
        "The database is busy; try again in a moment.".to_string()
    } else {
        format!("The page could not be made: {}.", e.message)
    };
    error_page(e.status, title, nav, &message)
}

pub(crate) fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// How an actor is shown: its label (`ISR/MIL`, `Hamas`, …, as `stats` counts it), with
/// the person's name in front when there is one: `Antony Blinken (USA/GOV)`.
pub(crate) fn actor_display(a: &Value) -> String {
    let label = actor_label(a);
    match str_field(a, "name") {
        Some(name) if name != label => format!("{name} ({label})"),
        _ => label,
    }
}

fn actors<'a>(event: &'a Value, role: &str) -> Vec<&'a Value> {
    event.get(role).and_then(Value::as_array).map(|v| v.iter().collect()).unwrap_or_default()
}

/// The actors of `role` as plain text, `; `-separated.
pub(crate) fn actors_text(event: &Value, role: &str) -> String {
    actors(event, role).into_iter().map(actor_display).collect::<Vec<_>>().join("; ")
}

/// The actors of `role` as HTML, each with its words in the text as a tooltip.
pub(crate) fn actors_html(event: &Value, role: &str) -> String {
    actors(event, role)
        .into_iter()
        .map(|a| match str_field(a, "text") {
            Some(words) => format!("<span title=\"{}\">{}</span>", escape(words), escape(&actor_display(a))),
            None => escape(&actor_display(a)),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// An event's place as text: `Rafah, PSE`.
pub(crate) fn place_text(event: &Value) -> String {
    let Some(loc) = event.get("location").filter(|l| l.is_object()) else { return String::new() };
    match (str_field(loc, "name"), str_field(loc, "country")) {
        (Some(n), Some(c)) => format!("{n}, {c}"),
        (Some(n), None) => n.to_string(),
        (None, Some(c)) => c.to_string(),
        (None, None) => String::new(),
    }
}

pub(crate) fn trigger_text(event: &Value) -> String {
    event.get("trigger").and_then(|t| str_field(t, "text")).unwrap_or("").to_string()
}

pub(crate) fn confidence_text(event: &Value) -> String {
    event.get("confidence").and_then(Value::as_f64).map(|c| format!("{c:.2}")).unwrap_or_default()
}

fn negated(event: &Value) -> bool {
    event.get("negated").and_then(Value::as_bool).unwrap_or(false)
}

/// The table of stored events (the events page, a dyad's events): date, type, mode,
/// source, target, place, mentions, trigger (linked to the evidence). Rows carry
/// `data-type`; the table gets `id` when one is given.
pub(crate) fn events_table(events: &[Value], id: Option<&str>, label: &str) -> String {
    let mut out = format!(
        "<div class=\"table-wrap\" role=\"region\" aria-label=\"{label}\" tabindex=\"0\">\n\
         <table class=\"sortable events\"{id}>\n<caption class=\"visually-hidden\">{label}</caption>\n\
         <thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Type</th><th scope=\"col\">Mode</th>\
         <th scope=\"col\">Source</th><th scope=\"col\">Target</th><th scope=\"col\">Place</th>\
         <th scope=\"col\" class=\"num\">Mentions</th><th scope=\"col\">Trigger (evidence)</th></tr></thead>\n<tbody>\n",
        label = escape(label),
        id = id.map(|i| format!(" id=\"{}\"", escape(i))).unwrap_or_default(),
    );
    for e in events {
        let event_type = str_field(e, "event").unwrap_or("");
        let mentions = e.get("mentions").and_then(Value::as_u64).unwrap_or(1);
        let sources = e.get("sources").and_then(Value::as_u64).unwrap_or(1);
        let doc = str_field(e, "doc").unwrap_or("");
        let event_id = str_field(e, "id").unwrap_or("");
        let trigger = trigger_text(e);
        let trigger = if trigger.is_empty() { "evidence".to_string() } else { trigger };
        let sentence = str_field(e, "text").unwrap_or("");
        let neg = if negated(e) { " <span class=\"badge\">negated</span>" } else { "" };
        let _ = writeln!(
            out,
            "<tr data-type=\"{t}\"><td class=\"nowrap\">{date}</td><td>{t}</td><td>{mode}</td><td>{src}</td>\
             <td>{tgt}</td><td>{place}</td><td class=\"num\" title=\"{mtitle}\">{mentions}</td>\
             <td><a href=\"{href}\" title=\"{sentence}\">{trigger}</a>{neg}</td></tr>",
            t = escape(event_type),
            date = escape(str_field(e, "date").unwrap_or("")),
            mode = escape(str_field(e, "mode").unwrap_or("")),
            src = actors_html(e, "source"),
            tgt = actors_html(e, "target"),
            place = escape(&place_text(e)),
            mtitle = escape(&format!(
                "{} in {}",
                plural(mentions, "report", "reports"),
                plural(sources, "source", "sources")
            )),
            mentions = thousands(mentions),
            href = evidence_href(doc, event_id),
            sentence = escape(sentence),
            trigger = escape(&trigger),
        );
    }
    out += "</tbody>\n</table>\n</div>\n";
    out
}

/// The table of freshly coded events (the "code an article" page). The script builds the
/// same table from the JSON API's answer: keep the two in step.
pub(crate) fn coded_events_table(events: &[Value]) -> String {
    let mut out = String::from(
        "<div class=\"table-wrap\" role=\"region\" aria-label=\"Coded events\" tabindex=\"0\">\n\
         <table class=\"sortable events\" id=\"coded-events\">\n\
         <thead><tr><th scope=\"col\">Type</th><th scope=\"col\">Mode</th><th scope=\"col\">Source</th>\
         <th scope=\"col\">Target</th><th scope=\"col\">Trigger</th><th scope=\"col\">Date</th>\
         <th scope=\"col\">Place</th><th scope=\"col\" class=\"num\">Confidence</th></tr></thead>\n<tbody>\n",
    );
    for e in events {
        let t = str_field(e, "event").unwrap_or("");
        let trigger = trigger_text(e);
        let trigger = if negated(e) { format!("{trigger} (negated)") } else { trigger };
        let _ = writeln!(
            out,
            "<tr class=\"coded-event\" data-type=\"{t}\"><td>{t}</td><td>{mode}</td><td>{src}</td><td>{tgt}</td>\
             <td title=\"{sentence}\">{trigger}</td><td class=\"nowrap\">{date}</td><td>{place}</td>\
             <td class=\"num\">{conf}</td></tr>",
            t = escape(t),
            mode = escape(str_field(e, "mode").unwrap_or("")),
            src = escape(&actors_text(e, "source")),
            tgt = escape(&actors_text(e, "target")),
            sentence = escape(str_field(e, "text").unwrap_or("")),
            trigger = escape(&trigger),
            date = escape(str_field(e, "date").unwrap_or("")),
            place = escape(&place_text(e)),
            conf = escape(&confidence_text(e)),
        );
    }
    out += "</tbody>\n</table>\n</div>\n";
    out
}

/// One highlight: `[start, end)` in characters of the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mark {
    pub start: usize,
    pub end: usize,
    /// `actor`, `trigger` or `place`.
    pub class: &'static str,
    pub title: String,
    /// For triggers: the event id (the mark links to the event's card).
    pub event: Option<String>,
}

/// The marks of `events` (actors and triggers) and `places` in `text`, without overlaps,
/// in order.
pub(crate) fn marks(text: &str, events: &[Value], places: &[PlaceSpan]) -> Vec<Mark> {
    // Character index → byte offset (one past the end for the end of the text).
    let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
    let nchars = bytes.len() - 1;
    let char_of = |byte: usize| bytes.binary_search(&byte).unwrap_or_else(|i| i);

    let mut order: Vec<&Value> = events.iter().collect();
    order.sort_by_key(|e| e.get("sentence").and_then(Value::as_u64).unwrap_or(0));
    let mut starts: std::collections::HashMap<u64, Option<(usize, usize)>> = std::collections::HashMap::new();
    let mut cursor = 0usize; // bytes
    let mut candidates: Vec<Mark> = Vec::new();
    for e in order {
        let sentence_no = e.get("sentence").and_then(Value::as_u64).unwrap_or(0);
        let sentence = str_field(e, "text").unwrap_or("");
        let found = *starts.entry(sentence_no).or_insert_with(|| {
            if sentence.is_empty() {
                return None;
            }
            let at = text
                .get(cursor..)
                .and_then(|rest| rest.find(sentence))
                .map(|i| i + cursor)
                .or_else(|| text.find(sentence))?;
            cursor = cursor.max(at + sentence.len());
            Some((char_of(at), sentence.chars().count()))
        });
        let Some((base, len)) = found else { continue };
        let event_type = str_field(e, "event").unwrap_or("event");
        let span = |v: &Value| -> Option<(usize, usize)> {
            let s = v.get("span")?.as_array()?;
            let (a, b) = (s.first()?.as_u64()? as usize, s.get(1)?.as_u64()? as usize);
            (a < b && b <= len).then_some((base + a, base + b))
        };
        for role in ["source", "target"] {
            for a in actors(e, role) {
                if let Some((start, end)) = span(a) {
                    candidates.push(Mark {
                        start,
                        end,
                        class: "actor",
                        title: format!("{role} of {event_type}: {}", actor_display(a)),
                        event: None,
                    });
                }
            }
        }
        if let Some((start, end)) = e.get("trigger").and_then(span) {
            let mut title = event_type.to_string();
            if let Some(mode) = str_field(e, "mode") {
                title += &format!(" / {mode}");
            }
            if negated(e) {
                title += ", negated";
            }
            candidates.push(Mark {
                start,
                end,
                class: "trigger",
                title,
                event: str_field(e, "id").map(str::to_string),
            });
        }
    }
    let mut chosen: Vec<Mark> = Vec::new();
    candidates.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut place_marks: Vec<Mark> = places
        .iter()
        .filter(|p| p.start < p.end && p.end <= nchars)
        .map(|p| Mark {
            start: p.start,
            end: p.end,
            class: "place",
            title: match &p.country {
                Some(c) => format!("place: {}, {c}", p.name),
                None => format!("place: {}", p.name),
            },
            event: None,
        })
        .collect();
    place_marks.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    for m in candidates.into_iter().chain(place_marks) {
        if chosen.iter().all(|c| m.end <= c.start || m.start >= c.end) {
            chosen.push(m);
        }
    }
    chosen.sort_by_key(|m| m.start);
    chosen
}

/// `text` as escaped HTML with `marks` as `<mark class="…" title="…">`; with
/// `link_triggers`, a trigger links to its event's card (`#event-{id}`).
pub(crate) fn highlight(text: &str, marks: &[Mark], link_triggers: bool) -> String {
    let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
    let at = |c: usize| bytes.get(c).copied().unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + marks.len() * 64);
    let mut pos = 0usize;
    for m in marks {
        let (s, e) = (at(m.start), at(m.end));
        if s < pos || e <= s {
            continue;
        }
        out += &escape(text.get(pos..s).unwrap_or(""));
        let inner = format!(
            "<mark class=\"{}\" title=\"{}\">{}</mark>",
            m.class,
            escape(&m.title),
            escape(text.get(s..e).unwrap_or(""))
        );
        match (&m.event, link_triggers) {
            (Some(id), true) => {
                let _ = write!(out, "<a class=\"mark-link\" href=\"#event-{}\">{inner}</a>", escape(&pct_fragment(id)));
            }
            _ => out += &inner,
        }
        pos = e;
    }
    out += &escape(text.get(pos..).unwrap_or(""));
    out
}

/// The legend of the highlights.
pub(crate) const MARK_LEGEND: &str = "<p class=\"mark-legend\">Highlighted: <mark class=\"actor\">actors</mark> \
     <mark class=\"trigger\">event triggers</mark> <mark class=\"place\">places</mark></p>";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_encodings() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(123), "123");
        assert_eq!(pct_path("a b/é"), "a%20b%2F%C3%A9");
        assert_eq!(pct_fragment("doc:0:1"), "doc:0:1");
        assert_eq!(href("/", &[("a", "x&y"), ("b", "")]), "/?a=x%26y");
        assert_eq!(evidence_href("d 1", "d 1:0:0"), "/documents/d%201#event-d%201:0:0");
    }

    #[test]
    fn marks_follow_sentences_and_never_overlap() {
        let text = "Intro. Israel struck Gaza. Israel struck Gaza.";
        let ev = |sentence: u64, id: &str| {
            json!({"id": id, "sentence": sentence, "event": "ASSAULT", "text": "Israel struck Gaza.",
                   "source": [{"text": "Israel", "country": "ISR", "span": [0, 6]}],
                   "target": [{"text": "Gaza", "country": "PSE", "span": [14, 18]}],
                   "trigger": {"text": "struck", "span": [7, 13]}})
        };
        let places = vec![PlaceSpan { start: 21, end: 25, name: "Gaza".into(), country: None, lat: None, lon: None }];
        let m = marks(text, &[ev(2, "b"), ev(1, "a")], &places);
        let spans: Vec<(usize, usize, &str)> = m.iter().map(|m| (m.start, m.end, m.class)).collect();
        assert_eq!(
            spans,
            vec![
                (7, 13, "actor"),
                (14, 20, "trigger"),
                (21, 25, "actor"),
                (27, 33, "actor"),
                (34, 40, "trigger"),
                (41, 45, "actor")
            ]
        );
        let html = highlight(text, &m, true);
        assert!(html.contains("<a class=\"mark-link\" href=\"#event-a\"><mark class=\"trigger\""));
        assert!(html.starts_with("Intro. <mark class=\"actor\""));
    }

    #[test]
    fn spans_are_characters_and_text_is_escaped() {
        let text = "«Ü» <b>Israel</b> struck";
        let e = json!({"id": "x", "sentence": 0, "event": "ASSAULT", "text": text,
                       "source": [{"text": "Israel", "country": "ISR", "span": [7, 13]}], "target": [],
                       "trigger": {"text": "struck", "span": [18, 24]}});
        let m = marks(text, &[e], &[]);
        let html = highlight(text, &m, false);
        assert_eq!(
            html,
            "«Ü» &lt;b&gt;<mark class=\"actor\" title=\"source of ASSAULT: ISR/---\">Israel</mark>&lt;/b&gt; \
             <mark class=\"trigger\" title=\"ASSAULT\">struck</mark>"
        );
    }
}
