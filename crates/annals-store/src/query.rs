//! Event queries: the filters of `annals events` and the API ([`EventQuery`]), and their
//! translation into one parameterized SQL statement per backend ([`Dialect`]).
//!
//! The meaning of each filter is written once, here, so that every backend answers the
//! same question: an actor value matches an actor whose country, sector, org or name
//! equals it (ignoring ASCII case); dates compare as ISO text, `until` taking in every
//! date that starts with it ("2024-05" takes in "2024-05-31"); `text` is a phrase searched
//! in the evidence sentence and the trigger words. User values are only ever bound as
//! parameters, never pasted into the SQL.
//!
//! Stored rows are reports ("mentions") of events; reports with the same `event_key` are
//! one event (see `dedup.rs`). An event matches when one of its reports matches; it is
//! answered by its first stored report, with the number of reports (`mentions`), of
//! distinct outlets (`sources`: a document's `source`, else the document itself) and the
//! list of its documents. Events come ordered by date, then id (byte order), which is
//! also the order of the pagination cursor (`after`).

/// A value bound to a statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Text(String),
    Int(i64),
}

/// The SQL dialect of a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

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
    /// Only events after this (date, id) in the result order: the cursor of the next
    /// page, made from the last event of the previous one (an undated event has date "").
    pub after: Option<(String, String)>,
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

/// The words of a text as both backends' full-text indexes see them: runs of letters
/// and digits, lowercased, joined by single spaces.
pub fn plain_words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A statement under construction: SQL text and the values bound to its parameters.
struct Builder {
    dialect: Dialect,
    sql: String,
    params: Vec<Param>,
}

impl Builder {
    fn new(dialect: Dialect) -> Builder {
        Builder { dialect, sql: String::new(), params: Vec::new() }
    }

    /// Binds a value and returns its placeholder (`?3` or `$3`).
    fn bind(&mut self, v: Param) -> String {
        self.params.push(v);
        match self.dialect {
            Dialect::Sqlite => format!("?{}", self.params.len()),
            Dialect::Postgres => format!("${}", self.params.len()),
        }
    }

    /// `column = value`, ignoring ASCII case. SQLite's columns are declared NOCASE (and
    /// so are their indexes); PostgreSQL compares `lower()` on both sides (with
    /// expression indexes).
    fn ci_eq(&mut self, column: &str, v: &str) -> String {
        let p = self.bind(Param::Text(v.to_string()));
        match self.dialect {
            Dialect::Sqlite => format!("{column} = {p}"),
            Dialect::Postgres => format!("lower({column}) = lower({p})"),
        }
    }

    fn push(&mut self, s: &str) {
        self.sql.push_str(s);
    }

    /// The event has an actor in `role` whose country, sector, org or name is `value`.
    fn actor(&mut self, role: &'static str, value: &str) {
        if self.dialect == Dialect::Sqlite {
            // The events with such an actor in some report come from `event_roles` (one
            // index range); the report itself must have it, checked by its primary key.
            let p = self.bind(Param::Text(value.to_string()));
            self.push(&format!(
                " AND e.event_key IN (SELECT event_key FROM event_roles WHERE role = '{role}' AND value = {p}) \
                 AND EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.role = '{role}' \
                 AND (a.country = {p} OR a.sector = {p} OR a.org = {p} OR a.name = {p}))"
            ));
            return;
        }
        // One lookup per column, so that each uses its (column, role) index.
        let p = self.bind(Param::Text(value.to_string()));
        let parts: Vec<String> = ["country", "sector", "org", "name"]
            .iter()
            .map(|col| {
                let cond = match self.dialect {
                    Dialect::Sqlite => format!("{col} = {p}"),
                    Dialect::Postgres => format!("lower({col}) = lower({p})"),
                };
                format!("SELECT event_id FROM event_actors WHERE {cond} AND role = '{role}'")
            })
            .collect();
        self.push(&format!(" AND e.id IN ({})", parts.join(" UNION ")));
    }

    /// The filters of `q` on the reports `e`, as `AND ...` conditions.
    fn filters(&mut self, q: &EventQuery) {
        if let Some(v) = &q.source {
            self.actor("source", v);
        }
        if let Some(v) = &q.target {
            self.actor("target", v);
        }
        if let Some((src, tgt)) = &q.dyad {
            self.actor("source", src);
            self.actor("target", tgt);
        }
        if let Some(v) = &q.event_type {
            let c = self.ci_eq("e.event", v);
            self.push(&format!(" AND {c}"));
        }
        if let Some(v) = &q.mode {
            let c = self.ci_eq("e.mode", v);
            self.push(&format!(" AND {c}"));
        }
        if let Some(v) = &q.since {
            let p = self.bind(Param::Text(v.clone()));
            self.push(&format!(" AND e.date >= {p}{}", self.byte_order()));
        }
        if let Some(v) = &q.until {
            // The highest code point sorts after every character of an ISO date, so each
            // date that starts with `until` compares below `until` followed by it.
            let p = self.bind(Param::Text(format!("{v}\u{10FFFF}")));
            self.push(&format!(" AND e.date <= {p}{}", self.byte_order()));
        }
        if let Some(v) = &q.place {
            let a = self.ci_eq("e.place", v);
            let b = self.ci_eq("e.place_country", v);
            self.push(&format!(" AND ({a} OR {b})"));
        }
        if let Some(v) = &q.text {
            match self.dialect {
                Dialect::Sqlite => {
                    let p = self.bind(Param::Text(fts_phrase(v)));
                    self.push(&format!(" AND e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH {p})"));
                }
                Dialect::Postgres => {
                    // `simple` configuration: lowercased words, no stemming, no stop
                    // words, as FTS5's default tokenizer. The words are cleaned first so
                    // that both backends split a text the same way.
                    let p = self.bind(Param::Text(plain_words(v)));
                    self.push(&format!(
                        " AND {p} <> '' AND (e.text_tsv @@ phraseto_tsquery('simple', {p}) \
                         OR e.trigger_tsv @@ phraseto_tsquery('simple', {p}))"
                    ));
                }
            }
        }
    }

    /// Text comparisons in byte order (PostgreSQL's default collation may differ).
    fn byte_order(&self) -> &'static str {
        match self.dialect {
            Dialect::Sqlite => "",
            Dialect::Postgres => " COLLATE \"C\"",
        }
    }
}

/// The grouped statement over the event keys selected by `hits` (a statement that
/// selects `event_key` from `events e`, already in `b`).
fn grouped(mut b: Builder, after: Option<&(String, String)>, limit: Option<usize>) -> (String, Vec<Param>) {
    let hits = std::mem::take(&mut b.sql);
    let (docs, date, id) = match b.dialect {
        Dialect::Sqlite => ("json_group_array(DISTINCT e.doc)", "coalesce(r.date, '')", "r.id"),
        Dialect::Postgres => {
            ("json_agg(DISTINCT e.doc)::text", "coalesce(r.date, '') COLLATE \"C\"", "r.id COLLATE \"C\"")
        }
    };
    b.push(&format!(
        "WITH hits AS ({hits}), \
         groups AS (SELECT e.event_key, min(e.seq) AS first, count(*) AS mentions, \
                           count(DISTINCT coalesce(d.source, d.id)) AS sources, {docs} AS documents \
                    FROM events e JOIN documents d ON d.id = e.doc \
                    WHERE e.event_key IN (SELECT event_key FROM hits) GROUP BY e.event_key) \
         SELECT r.record, r.id, g.mentions, g.sources, g.documents, d.url, d.date \
         FROM groups g JOIN events r ON r.seq = g.first JOIN documents d ON d.id = r.doc WHERE 1 = 1"
    ));
    if let Some((after_date, after_id)) = after {
        let pd = b.bind(Param::Text(after_date.clone()));
        let pd2 = b.bind(Param::Text(after_date.clone()));
        let pi = b.bind(Param::Text(after_id.clone()));
        let (cd, cd2) = match b.dialect {
            Dialect::Sqlite => (pd.clone(), pd2.clone()),
            Dialect::Postgres => (format!("{pd} COLLATE \"C\""), format!("{pd2} COLLATE \"C\"")),
        };
        b.push(&format!(" AND ({date} > {cd} OR ({date} = {cd2} AND {id} > {pi}))"));
    }
    b.push(&format!(" ORDER BY {date}, {id}"));
    if let Some(limit) = limit {
        let p = b.bind(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        b.push(&format!(" LIMIT {p}"));
    }
    (b.sql, b.params)
}

/// Builds the statement for a query: the SQL text and its parameters. It selects, per
/// event: the first report's JSON record and id, mentions, sources, the JSON array of
/// document ids, and the first document's URL and date.
pub(crate) fn event_sql(dialect: Dialect, q: &EventQuery) -> (String, Vec<Param>) {
    let mut b = Builder::new(dialect);
    b.push("SELECT DISTINCT e.event_key FROM events e WHERE 1 = 1");
    b.filters(q);
    grouped(b, q.after.as_ref(), q.limit)
}

/// The SQLite statement for a query: the stored answers of the matching events, in
/// result order. Filters on what every report of an event shares (type, mode, date: they
/// are part of the event key) read the answers' own indexes; a query for one dyad, one
/// source or one target reads `event_dyads` or `event_roles`; anything else finds the
/// matching event keys first.
pub(crate) fn sqlite_answer_sql(q: &EventQuery) -> (String, Vec<Param>) {
    let shared_only =
        q.source.is_none() && q.target.is_none() && q.dyad.is_none() && q.place.is_none() && q.text.is_none();
    let mut b = Builder::new(Dialect::Sqlite);
    // Actor-only queries (one dyad, or one source, or one target; a period allowed) read
    // their index in result order.
    let no_other = q.event_type.is_none() && q.mode.is_none() && q.place.is_none() && q.text.is_none();
    let indexed: Option<(&str, Vec<(&str, &String)>)> = match (&q.dyad, &q.source, &q.target) {
        (Some((a, t)), None, None) if no_other => Some(("event_dyads", vec![("source", a), ("target", t)])),
        (None, Some(v), None) if no_other => Some(("event_roles", vec![("value", v)])),
        (None, None, Some(v)) if no_other => Some(("event_roles", vec![("value", v)])),
        _ => None,
    };
    if let Some((table, conds)) = indexed {
        b.push(&format!("SELECT rep_seq, rep_date, rep_id FROM {table} WHERE 1 = 1"));
        if table == "event_roles" {
            b.push(if q.source.is_some() { " AND role = 'source'" } else { " AND role = 'target'" });
        }
        for (column, value) in conds {
            let p = b.bind(Param::Text(value.clone()));
            b.push(&format!(" AND {column} = {p}"));
        }
        if let Some(v) = &q.since {
            let p = b.bind(Param::Text(v.clone()));
            b.push(&format!(" AND rep_date >= {p}"));
        }
        if let Some(v) = &q.until {
            // Undated events ("" here) never match a period, as below.
            let p = b.bind(Param::Text(format!("{v}\u{10FFFF}")));
            b.push(&format!(" AND rep_date <> '' AND rep_date <= {p}"));
        }
        if let Some((after_date, after_id)) = &q.after {
            let pd = b.bind(Param::Text(after_date.clone()));
            let pi = b.bind(Param::Text(after_id.clone()));
            b.push(&format!(" AND (rep_date, rep_id) > ({pd}, {pi})"));
        }
        b.push(" ORDER BY rep_date, rep_id");
        if let Some(limit) = q.limit {
            let p = b.bind(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
            b.push(&format!(" LIMIT {p}"));
        }
        let page = std::mem::take(&mut b.sql);
        b.push(&format!(
            "WITH page AS ({page}) SELECT r.answer, r.id, p.rep_date FROM page p JOIN events r ON r.seq = p.rep_seq \
             ORDER BY p.rep_date, p.rep_id"
        ));
        return (b.sql, b.params);
    }
    b.push("SELECT r.answer, r.id, coalesce(r.date, '') FROM events r WHERE r.answer IS NOT NULL");
    if shared_only {
        if let Some(v) = &q.event_type {
            let c = b.ci_eq("r.event", v);
            b.push(&format!(" AND {c}"));
        }
        if let Some(v) = &q.mode {
            let c = b.ci_eq("r.mode", v);
            b.push(&format!(" AND {c}"));
        }
        if let Some(v) = &q.since {
            let p = b.bind(Param::Text(v.clone()));
            b.push(&format!(" AND r.date >= {p}"));
        }
        if let Some(v) = &q.until {
            let p = b.bind(Param::Text(format!("{v}\u{10FFFF}")));
            b.push(&format!(" AND r.date <= {p}"));
        }
    } else {
        let outer = std::mem::take(&mut b.sql);
        b.push("SELECT e.event_key FROM events e WHERE 1 = 1");
        b.filters(q);
        let keys = std::mem::take(&mut b.sql);
        b.push(&format!("{outer} AND r.event_key IN ({keys})"));
    }
    if let Some((after_date, after_id)) = &q.after {
        let pd = b.bind(Param::Text(after_date.clone()));
        let pi = b.bind(Param::Text(after_id.clone()));
        b.push(&format!(" AND (coalesce(r.date, ''), r.id) > ({pd}, {pi})"));
    }
    b.push(" ORDER BY coalesce(r.date, ''), r.id");
    if let Some(limit) = q.limit {
        let p = b.bind(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        b.push(&format!(" LIMIT {p}"));
    }
    (b.sql, b.params)
}

/// Splices the query-time fields into a stored JSON record (an object): the answer of
/// an event. `documents` must be a JSON array of strings, sorted.
pub(crate) fn answer_json(
    record: &str,
    mentions: i64,
    sources: i64,
    documents: &str,
    url: Option<&str>,
    doc_date: Option<&str>,
) -> String {
    let body = record.trim_end();
    let body = body.strip_suffix('}').unwrap_or(body);
    let sep = if body.trim_end().ends_with('{') { "" } else { "," };
    let s = |v: Option<&str>| serde_json::to_string(&v).unwrap_or_else(|_| "null".into());
    format!(
        "{body}{sep}\"mentions\":{mentions},\"sources\":{sources},\"documents\":{documents},\"url\":{},\"doc_date\":{}}}",
        s(url),
        s(doc_date)
    )
}

/// The statement that answers the event one of whose reports has id `id`.
pub(crate) fn event_by_id_sql(dialect: Dialect, id: &str) -> (String, Vec<Param>) {
    let mut b = Builder::new(dialect);
    let p = b.bind(Param::Text(id.to_string()));
    b.push(&format!("SELECT e.event_key FROM events e WHERE e.id = {p}"));
    grouped(b, None, None)
}

/// Turns one selected row into the answer's JSON: the record with `mentions`, `sources`,
/// `documents` (sorted), `url` and `doc_date` added.
pub(crate) fn grouped_value(
    record: &str,
    mentions: i64,
    sources: i64,
    documents: &str,
    url: Option<String>,
    doc_date: Option<String>,
) -> Result<serde_json::Value, serde_json::Error> {
    let mut value: serde_json::Value = serde_json::from_str(record)?;
    let mut docs: Vec<String> = serde_json::from_str(documents)?;
    docs.sort();
    if let Some(obj) = value.as_object_mut() {
        obj.insert("mentions".into(), mentions.into());
        obj.insert("sources".into(), sources.into());
        obj.insert("documents".into(), docs.into());
        obj.insert("url".into(), url.into());
        obj.insert("doc_date".into(), doc_date.into());
    }
    Ok(value)
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
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            let q = EventQuery {
                source: Some("x' OR 1=1 --".into()),
                text: Some("'; DROP TABLE events; --".into()),
                ..EventQuery::default()
            };
            let (sql, params) = event_sql(dialect, &q);
            assert!(!sql.contains("OR 1=1") && !sql.contains("DROP"), "{sql}");
            assert_eq!(params.len(), 2);
        }
    }

    #[test]
    fn placeholders_follow_the_dialect() {
        let q = EventQuery { event_type: Some("ASSAULT".into()), limit: Some(3), ..EventQuery::default() };
        assert!(event_sql(Dialect::Sqlite, &q).0.contains("?2"));
        assert!(event_sql(Dialect::Postgres, &q).0.contains("$2"));
    }

    #[test]
    fn plain_words_split_like_the_indexes() {
        assert_eq!(plain_words("O'Brien's  REPORT: (aid)"), "o brien s report aid");
        assert_eq!(plain_words("*"), "");
    }
}
