//! Event queries: the filters of `annals events` and the API ([`EventQuery`]), and their
//! translation into one parameterized SQL statement.
//!
//! The meaning of each filter is written once, here, so that every backend answers the
//! same question: an actor value matches an actor whose country, sector, org or name
//! equals it (ignoring ASCII case); dates compare as ISO text, `until` taking in every
//! date that starts with it ("2024-05" takes in "2024-05-31"); `text` is a phrase searched
//! in the evidence sentence and the trigger words. User values are only ever bound as
//! parameters, never pasted into the SQL.

use rusqlite::types::Value;

/// A search for stored events. Every filter that is set must hold; `None` ignores it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventQuery {
    /// An actor value that one of the event's sources must match.
    pub source: Option<String>,
    /// An actor value that one of the event's targets must match.
    pub target: Option<String>,
    /// (A, B): a source matching A and a target matching B.
    pub dyad: Option<(String, String)>,
    /// A PLOVER event type ("ASSAULT"), ignoring case.
    pub event_type: Option<String>,
    /// A PLOVER mode, ignoring case.
    pub mode: Option<String>,
    /// Events dated at or after this ISO date (or prefix: "2024", "2024-05").
    pub since: Option<String>,
    /// Events dated at or before this ISO date, including every date that starts with it.
    pub until: Option<String>,
    /// The location's name or its country code, ignoring case.
    pub place: Option<String>,
    /// Words that must appear, in this order, in the evidence sentence or the trigger.
    pub text: Option<String>,
    /// At most this many events (the first by date, then id).
    pub limit: Option<usize>,
}

/// Quotes a user's text as one FTS5 phrase: double quotes around it, inner double quotes
/// doubled. Inside a phrase, FTS5 operators (AND, OR, NOT, NEAR, `*`, `^`, `:`, parentheses)
/// are plain words or separators, so no text can make the query fail to parse.
pub fn fts_phrase(text: &str) -> String {
    // NUL would end the query string inside FTS5's parser; it is no word character anyway.
    let cleaned = text.replace('\0', " ").replace('"', "\"\"");
    format!("\"{cleaned}\"")
}

/// A statement under construction: SQL text and the values bound to `?1`, `?2`, ...
struct Builder {
    sql: String,
    params: Vec<Value>,
}

impl Builder {
    /// Binds a value and returns its parameter number.
    fn bind(&mut self, v: Value) -> usize {
        self.params.push(v);
        self.params.len()
    }

    fn text(&mut self, v: &str) -> usize {
        self.bind(Value::Text(v.to_string()))
    }

    /// `AND` one condition; `{}` in `cond` stands for the parameter of `v`.
    fn and(&mut self, cond: &str, v: Value) {
        let n = self.bind(v);
        self.sql.push_str(" AND ");
        self.sql.push_str(&cond.replace("{}", &format!("?{n}")));
    }

    /// The event has an actor in `role` whose country, sector, org or name is `value`.
    fn actor(&mut self, role: &'static str, value: &str) {
        let n = self.text(value);
        // One lookup per column, so that each uses its (column, role) index.
        let parts: Vec<String> = ["country", "sector", "org", "name"]
            .iter()
            .map(|col| format!("SELECT event_id FROM event_actors WHERE {col} = ?{n} AND role = '{role}'"))
            .collect();
        self.sql.push_str(&format!(" AND e.id IN ({})", parts.join(" UNION ")));
    }
}

/// Builds the SQLite statement for a query: the SQL text and its parameters (`?1`, ...).
/// The statement selects the stored JSON record and the event id, ordered by date, id.
pub(crate) fn sqlite_sql(q: &EventQuery) -> (String, Vec<Value>) {
    let mut b = Builder { sql: String::from("SELECT e.record, e.id FROM events e WHERE 1 = 1"), params: Vec::new() };
    if let Some(v) = &q.source {
        b.actor("source", v);
    }
    if let Some(v) = &q.target {
        b.actor("target", v);
    }
    if let Some((src, tgt)) = &q.dyad {
        b.actor("source", src);
        b.actor("target", tgt);
    }
    if let Some(v) = &q.event_type {
        b.and("e.event = {}", Value::Text(v.clone()));
    }
    if let Some(v) = &q.mode {
        b.and("e.mode = {}", Value::Text(v.clone()));
    }
    if let Some(v) = &q.since {
        b.and("e.date >= {}", Value::Text(v.clone()));
    }
    if let Some(v) = &q.until {
        // The highest code point sorts after every character of an ISO date, so each date
        // that starts with `until` compares below `until` followed by it.
        b.and("e.date <= {}", Value::Text(format!("{v}\u{10FFFF}")));
    }
    if let Some(v) = &q.place {
        b.and("(e.place = {} OR e.place_country = {})", Value::Text(v.clone()));
    }
    if let Some(v) = &q.text {
        b.and("e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH {})", Value::Text(fts_phrase(v)));
    }
    b.sql.push_str(" ORDER BY e.date, e.id");
    if let Some(limit) = q.limit {
        let n = b.bind(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        b.sql.push_str(&format!(" LIMIT ?{n}"));
    }
    (b.sql, b.params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_quoted() {
        assert_eq!(fts_phrase("cease fire"), "\"cease fire\"");
        assert_eq!(fts_phrase("he said \"no\""), "\"he said \"\"no\"\"\"");
        assert_eq!(fts_phrase(""), "\"\"");
    }

    #[test]
    fn values_are_parameters() {
        let q = EventQuery { source: Some("x' OR 1=1 --".into()), ..EventQuery::default() };
        let (sql, params) = sqlite_sql(&q);
        assert!(!sql.contains("OR 1=1"));
        assert_eq!(params.len(), 1);
    }
}
