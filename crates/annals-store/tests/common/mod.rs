//! Shared by the store's tests: the databases they run on, and a deterministic set of ~300
//! synthetic event records with varied actors, types, dates, places and sentences (some
//! full of quotes and FTS operator words).
//!
//! Every test about behaviour runs on both backends: [`on_both_backends!`] makes a
//! `sqlite::NAME` and a `postgres::NAME` test of a function that takes a [`TestDb`]. A
//! SQLite [`TestDb`] is a file in the temporary folder; a PostgreSQL one is a database of
//! its own (`annals_test_<pid>_<name>`, created on the server named by
//! `ANNALS_TEST_POSTGRES`, dropped afterwards), so that tests run in parallel. Without
//! that variable the PostgreSQL half says so and passes, unless
//! `ANNALS_REQUIRE_POSTGRES=1` (CI), where it fails. [`Raw`] is a plain connection to
//! either, to look at or tamper with what the store wrote.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use annals_events::{ActorRecord, EventRecord, LocationRecord, TriggerRecord};
use annals_store::{Store, StoredDocument};

/// Makes, for each named `fn NAME(db: &TestDb)`, a test `sqlite::NAME` and a test
/// `postgres::NAME` that run it on a fresh database of that backend.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::$name(&crate::common::TestDb::sqlite(stringify!($name)));
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    if let Some(db) = crate::common::TestDb::postgres(stringify!($name)) {
                        super::$name(&db);
                    }
                }
            )*
        }
    };
}

/// A database path in the temporary folder, unique to this process and name; the file
/// and its WAL companions are removed before use and on drop.
pub struct TempDb {
    pub path: PathBuf,
}

impl TempDb {
    pub fn new(name: &str) -> TempDb {
        let path = std::env::temp_dir().join(format!("annals-store-test-{}-{name}.db", std::process::id()));
        remove_db(&path);
        TempDb { path }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        remove_db(&self.path);
    }
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database of one backend, removed when dropped.
pub struct TestDb {
    pub backend: Backend,
    /// What `Store::open` takes: the file's path, or the database's URL.
    pub target: String,
    file: Option<TempDb>,
    pg: Option<PgDatabase>,
}

impl TestDb {
    pub fn sqlite(name: &str) -> TestDb {
        let file = TempDb::new(name);
        TestDb { backend: Backend::Sqlite, target: file.path.display().to_string(), file: Some(file), pg: None }
    }

    /// A new database on the test server, or `None` (after saying so) when there is none
    /// and none is required.
    pub fn postgres(name: &str) -> Option<TestDb> {
        let admin = postgres_admin_url()?;
        let pg = PgDatabase::create(&admin, name);
        Some(TestDb { backend: Backend::Postgres, target: pg.url.clone(), file: None, pg: Some(pg) })
    }

    /// How the store's messages name this database (the test URLs carry no password).
    pub fn label(&self) -> String {
        self.target.clone()
    }

    /// The database file (SQLite only).
    pub fn path(&self) -> &Path {
        match &self.file {
            Some(f) => &f.path,
            None => panic!("a PostgreSQL database has no file"),
        }
    }

    pub fn open(&self) -> Store {
        Store::open(&self.target).unwrap_or_else(|e| panic!("cannot open {}: {e}", self.target))
    }

    pub fn open_read_only(&self) -> Store {
        Store::open_read_only(&self.target).unwrap_or_else(|e| panic!("cannot open {} read-only: {e}", self.target))
    }

    /// A plain connection to the database, beside the store's.
    pub fn raw(&self) -> Raw {
        match self.backend {
            Backend::Sqlite => Raw::Sqlite(rusqlite::Connection::open(self.path()).unwrap_or_else(|e| panic!("{e}"))),
            Backend::Postgres => Raw::Postgres(
                postgres::Client::connect(&self.target, postgres::NoTls).unwrap_or_else(|e| panic!("{e}")),
            ),
        }
    }

    /// The migration file of `version` for this backend.
    pub fn migration_sql(&self, version: i64) -> &'static str {
        let ms = match self.backend {
            Backend::Sqlite => annals_store::migrate::SQLITE_MIGRATIONS,
            Backend::Postgres => annals_store::migrate::POSTGRES_MIGRATIONS,
        };
        ms.iter().find(|m| m.version == version).map(|m| m.sql).unwrap_or_else(|| panic!("no migration {version}"))
    }
}

/// The PostgreSQL server of the tests: `ANNALS_TEST_POSTGRES`, a URL of a database the
/// tests may create other databases from (`postgres://postgres@127.0.0.1:54329/postgres`).
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("ANNALS_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ => {
            if std::env::var("ANNALS_REQUIRE_POSTGRES").is_ok_and(|v| v.trim() == "1") {
                panic!("ANNALS_REQUIRE_POSTGRES=1 but ANNALS_TEST_POSTGRES is not set: no PostgreSQL to test on");
            }
            eprintln!("skipping PostgreSQL: ANNALS_TEST_POSTGRES is not set");
            None
        }
    }
}

/// `url` with its database name replaced by `db`.
pub fn url_with_database(url: &str, db: &str) -> String {
    let (main, query) = match url.split_once('?') {
        Some((m, q)) => (m, format!("?{q}")),
        None => (url, String::new()),
    };
    let start = main.find("://").map_or(0, |i| i + 3);
    let authority_end = main[start..].rfind('@').map_or(start, |at| start + at);
    let base = match main[authority_end..].find('/') {
        Some(slash) => &main[..authority_end + slash],
        None => main,
    };
    format!("{base}/{db}{query}")
}

/// A database created for one test on the test server, dropped (connections and all)
/// when the test ends.
struct PgDatabase {
    admin: String,
    name: String,
    url: String,
}

impl PgDatabase {
    fn create(admin: &str, test: &str) -> PgDatabase {
        let mut clean: String =
            test.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
        if clean.len() > 30 {
            let h =
                clean.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
            clean = format!("{}_{:08x}", &clean[..30], h as u32);
        }
        let name = format!("annals_test_{}_{clean}", std::process::id());
        let mut client = postgres::Client::connect(admin, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to ANNALS_TEST_POSTGRES ({admin}): {e}"));
        // One statement each: a database cannot be dropped or created in a transaction.
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .unwrap_or_else(|e| panic!("cannot drop the old test database {name}: {}", pg_error(&e)));
        // A collation that is not byte order (ICU English: "a" < "B", "1:2" < "10:3"), where
        // the server has one, so that the tests see the store order by bytes regardless.
        let icu = format!("CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'");
        if client.batch_execute(&icu).is_err() {
            client
                .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                .unwrap_or_else(|e| panic!("cannot create the test database {name}: {}", pg_error(&e)));
        }
        PgDatabase { admin: admin.to_string(), url: url_with_database(admin, &name), name }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}

/// A PostgreSQL error with the server's message, when it sent one.
pub fn pg_error(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{e}: {db}"),
        None => e.to_string(),
    }
}

/// A plain connection to a test database.
pub enum Raw {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::Client),
}

impl Raw {
    /// Runs statements (no results).
    pub fn execute(&mut self, sql: &str) {
        match self {
            Raw::Sqlite(c) => c.execute_batch(sql).unwrap_or_else(|e| panic!("{sql}: {e}")),
            Raw::Postgres(c) => c.batch_execute(sql).unwrap_or_else(|e| panic!("{sql}: {}", pg_error(&e))),
        }
    }

    /// The rows of a query, every value as text (`None` for NULL).
    pub fn rows(&mut self, sql: &str) -> Vec<Vec<Option<String>>> {
        match self {
            Raw::Sqlite(c) => {
                let mut stmt = c.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
                let n = stmt.column_count();
                let rows = stmt
                    .query_map([], |r| {
                        (0..n)
                            .map(|i| {
                                use rusqlite::types::ValueRef;
                                Ok(match r.get_ref(i)? {
                                    ValueRef::Null => None,
                                    ValueRef::Integer(v) => Some(v.to_string()),
                                    ValueRef::Real(v) => Some(v.to_string()),
                                    ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                                    ValueRef::Blob(b) => Some(b.iter().map(|x| format!("{x:02x}")).collect()),
                                })
                            })
                            .collect::<rusqlite::Result<Vec<_>>>()
                    })
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
                rows.collect::<rusqlite::Result<Vec<_>>>().unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
            Raw::Postgres(c) => c
                .simple_query(sql)
                .unwrap_or_else(|e| panic!("{sql}: {}", pg_error(&e)))
                .into_iter()
                .filter_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(r) => {
                        Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
                    }
                    _ => None,
                })
                .collect(),
        }
    }

    /// The first value of the first row.
    pub fn value(&mut self, sql: &str) -> Option<String> {
        self.rows(sql).into_iter().next().and_then(|r| r.into_iter().next()).flatten()
    }

    /// A count (or any integer) a query answers.
    pub fn int(&mut self, sql: &str) -> i64 {
        let v = self.value(sql).unwrap_or_else(|| panic!("{sql}: no value"));
        v.parse().unwrap_or_else(|e| panic!("{sql}: {v:?}: {e}"))
    }

    /// Checks that the full-text index holds every event, and only as the store wrote it:
    /// FTS5's integrity check, or (PostgreSQL) each row's word vectors against the words of
    /// its text and trigger.
    pub fn check_text_index(&mut self) {
        match self {
            Raw::Sqlite(c) => {
                c.execute("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')", []).unwrap();
                let (events, indexed): (i64, i64) = c
                    .query_row(
                        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM events_fts_docsize)",
                        [],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .unwrap();
                assert_eq!(events, indexed);
            }
            Raw::Postgres(c) => {
                let rows = c
                    .query(
                        "SELECT id, text, \"trigger\", text_tsv::text, trigger_tsv::text FROM events ORDER BY seq",
                        &[],
                    )
                    .unwrap();
                for row in rows {
                    let id: String = row.get(0);
                    for (col, stored) in [(1, 3), (2, 4)] {
                        let text: Option<String> = row.get(col);
                        let stored: String = row.get(stored);
                        let words = annals_store::plain_words(text.as_deref().unwrap_or(""));
                        let want: String =
                            c.query_one("SELECT to_tsvector('simple', $1)::text", &[&words]).unwrap().get(0);
                        assert_eq!(stored, want, "event {id}, column {col}");
                    }
                }
            }
        }
    }
}

/// A SQL string literal (for test data written by hand on either backend).
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A SQL literal of an optional string.
pub fn lit_opt(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".to_string(), lit)
}

/// splitmix64: a small deterministic generator.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// (text, name, country, sector, org)
pub type ActorSpec =
    (&'static str, Option<&'static str>, Option<&'static str>, Option<&'static str>, Option<&'static str>);

pub const ACTORS: &[ActorSpec] = &[
    ("Israel", None, Some("ISR"), None, None),
    ("the Israeli military", None, Some("ISR"), Some("MIL"), None),
    ("Israeli Prime Minister Benjamin Netanyahu", Some("Benjamin Netanyahu"), Some("ISR"), Some("GOV"), None),
    ("Hamas", None, Some("PSE"), Some("REB"), Some("Hamas")),
    ("Palestinian civilians", None, Some("PSE"), Some("CVL"), None),
    ("U.S. Secretary of State Antony Blinken", Some("Antony Blinken"), Some("USA"), Some("GOV"), None),
    ("Washington", None, Some("USA"), Some("GOV"), None),
    ("the UN", None, None, Some("IGO"), Some("UN")),
    ("NATO", None, None, Some("IGO"), Some("NATO")),
    ("the Kremlin", None, Some("RUS"), Some("GOV"), None),
    ("Russian forces", None, Some("RUS"), Some("MIL"), None),
    ("Ukraine", None, Some("UKR"), None, None),
    ("Ukrainian protesters", None, Some("UKR"), Some("CVL"), None),
    ("President Erdogan", Some("Recep Tayyip Erdogan"), Some("TUR"), Some("GOV"), None),
    ("Hezbollah", None, Some("LBN"), Some("REB"), Some("Hezbollah")),
    ("Egyptian mediators", None, Some("EGY"), Some("GOV"), None),
];

/// Values to filter actors by: codes, sectors, orgs and names, in several cases, and
/// some that match nothing.
pub const ACTOR_VALUES: &[&str] = &[
    "ISR",
    "isr",
    "PSE",
    "USA",
    "RUS",
    "UKR",
    "TUR",
    "LBN",
    "EGY",
    "GOV",
    "gov",
    "MIL",
    "REB",
    "CVL",
    "IGO",
    "Hamas",
    "hamas",
    "UN",
    "NATO",
    "Hezbollah",
    "Antony Blinken",
    "antony BLINKEN",
    "Benjamin Netanyahu",
    "Recep Tayyip Erdogan",
    "Israel",
    "XYZ",
    "",
    "ISR' OR 1=1 --",
];

/// (event type, quad, modes)
pub const TYPES: &[(&str, &str, &[&str])] = &[
    ("AGREE", "verbal_cooperation", &[]),
    ("CONSULT", "verbal_cooperation", &["VISIT", "HOST", "MEET"]),
    ("SUPPORT", "verbal_cooperation", &[]),
    ("CONCEDE", "material_cooperation", &["CEASEFIRE"]),
    ("COOPERATE", "material_cooperation", &[]),
    ("AID", "material_cooperation", &["HUMANITARIAN"]),
    ("RETREAT", "material_cooperation", &[]),
    ("REQUEST", "verbal_cooperation", &[]),
    ("ACCUSE", "verbal_conflict", &["DISAPPROVE", "ALLEGE"]),
    ("REJECT", "verbal_conflict", &[]),
    ("THREATEN", "verbal_conflict", &["ATTACK", "SANCTION"]),
    ("PROTEST", "material_conflict", &["DEMONSTRATE"]),
    ("SANCTION", "material_conflict", &[]),
    ("MOBILIZE", "material_conflict", &["TROOPS"]),
    ("COERCE", "material_conflict", &["ARREST"]),
    ("ASSAULT", "material_conflict", &["AERIAL", "FIREARMS"]),
];

pub const DATES: &[(Option<&str>, Option<&str>)] = &[
    (Some("2023-10-07"), Some("day")),
    (Some("2023-10"), Some("month")),
    (Some("2023"), Some("year")),
    (Some("2024-01-15"), Some("day")),
    (Some("2024-05"), Some("month")),
    (Some("2024-05-01"), Some("day")),
    (Some("2024-05-10"), Some("day")),
    (Some("2024-05-31"), Some("day")),
    (Some("2024-06-02"), Some("day")),
    (Some("2025-02-28"), Some("day")),
    (None, None),
];

/// (name, country, lat, lon, precision); lat and lon are exact binary fractions so that
/// JSON round trips compare equal.
type PlaceSpec = (&'static str, Option<&'static str>, Option<f64>, Option<f64>, &'static str);

pub const PLACES: &[PlaceSpec] = &[
    ("Rafah", Some("PSE"), Some(31.25), Some(34.25), "city"),
    ("Gaza", Some("PSE"), Some(31.5), Some(34.5), "city"),
    ("Kyiv", Some("UKR"), Some(50.5), Some(30.5), "city"),
    ("Israel", Some("ISR"), Some(31.0), Some(35.0), "country"),
    ("Beirut", Some("LBN"), Some(33.875), Some(35.5), "city"),
    ("the Black Sea", None, None, None, "region"),
];

pub const TRIGGERS: &[&str] =
    &["condemned", "met with", "fired rockets at", "agreed to", "accused", "called on", "sent aid to", "arrested"];

pub const SENTENCES: &[&str] = &[
    "officials said the ceasefire talks would resume in Cairo",
    "Hamas said \"no\" to ceasefire AND talks with mediators",
    "the strike hit a school NEAR the border overnight",
    "protesters chanted \"NOT in our name\" outside parliament",
    "the minister (speaking to reporters) called it a * war crime",
    "rockets were fired at dawn; sirens sounded in the south",
    "O'Brien's report: aid convoys OR trucks were stopped",
    "talks on prisoner exchanges broke down again",
    "a missile strike on the port killed several people",
    "the envoy warned of sanctions if attacks continue",
];

/// An actor record of a spec, at the start of its sentence.
pub fn actor_of(spec: &ActorSpec) -> ActorRecord {
    let (text, name, country, sector, org) = *spec;
    ActorRecord {
        text: text.to_string(),
        name: name.map(str::to_string),
        country: country.map(str::to_string),
        sector: sector.map(str::to_string),
        org: org.map(str::to_string),
        span: [0, text.chars().count()],
    }
}

pub fn actor(rng: &mut Rng, sentence_len: usize) -> ActorRecord {
    let (text, name, country, sector, org) = *rng.pick(ACTORS);
    let start = rng.below(sentence_len.max(1));
    ActorRecord {
        text: text.to_string(),
        name: name.map(str::to_string),
        country: country.map(str::to_string),
        sector: sector.map(str::to_string),
        org: org.map(str::to_string),
        span: [start, start + text.chars().count()],
    }
}

/// The synthetic corpus: `n_docs` documents of `per_doc` events each, deterministic in
/// `seed`. Event ids are unique; sentence numbers vary so that ids sort as text.
pub fn corpus(seed: u64, n_docs: usize, per_doc: usize) -> Vec<(StoredDocument, Vec<EventRecord>)> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for d in 0..n_docs {
        let doc_id = format!("doc-{d:03}");
        let mut records = Vec::new();
        let mut sentence = 0usize;
        for k in 0..per_doc {
            sentence += rng.below(12);
            records.push(event(&mut rng, &doc_id, sentence, k));
        }
        let doc = StoredDocument {
            id: doc_id.clone(),
            text: format!("text of {doc_id}"),
            date: Some("2024-05-01".into()),
            title: (d % 3 != 0).then(|| format!("Title {d}")),
            url: (d % 2 == 0).then(|| format!("https://news.example/{d}")),
            source: Some("synthetic".into()),
        };
        out.push((doc, records));
    }
    out
}

pub fn event(rng: &mut Rng, doc: &str, sentence: usize, k: usize) -> EventRecord {
    let (event, quad, modes) = *rng.pick(TYPES);
    let mode = if modes.is_empty() || rng.below(4) == 0 { None } else { Some(rng.pick(modes).to_string()) };
    let base = *rng.pick(SENTENCES);
    let trigger = *rng.pick(TRIGGERS);
    let text = format!("{base} as leaders {trigger} the others");
    let n_chars = text.chars().count();
    let sources = (0..1 + rng.below(2)).map(|_| actor(rng, n_chars)).collect();
    let targets = (0..rng.below(3)).map(|_| actor(rng, n_chars)).collect();
    let (date, date_precision) = *rng.pick(DATES);
    let location = if rng.below(3) == 0 {
        None
    } else {
        let (name, country, lat, lon, precision) = *rng.pick(PLACES);
        Some(LocationRecord {
            name: name.to_string(),
            country: country.map(str::to_string),
            lat,
            lon,
            precision: precision.to_string(),
        })
    };
    let tstart = base.chars().count() + " as leaders ".len();
    EventRecord {
        id: format!("{doc}:{sentence}:{k}"),
        doc: doc.to_string(),
        sentence,
        event,
        mode,
        context: if rng.below(2) == 0 { vec!["military".into()] } else { Vec::new() },
        source: sources,
        target: targets,
        trigger: TriggerRecord { text: trigger.to_string(), span: [tstart, tstart + trigger.chars().count()] },
        negated: rng.below(5) == 0,
        location,
        date: date.map(str::to_string),
        date_precision,
        text,
        confidence: rng.below(65) as f64 / 64.0,
        quad,
        why: format!("lexicon:{} -> {event}; source=nsubj", trigger.replace(' ', "_")),
        dropped: None,
        trigger_tokens: 0..0,
    }
}

/// The counts a corpus of short (signature-less) documents gives: each document is its
/// own story; reports with the same event key within a document are one event.
pub fn expected_counts(corpus: &[(StoredDocument, Vec<EventRecord>)]) -> annals_store::Counts {
    let mut keys = std::collections::HashSet::new();
    let mut mentions = 0;
    let mut actors = 0;
    for (doc, evs) in corpus {
        for e in evs {
            keys.insert(annals_store::dedup::event_key(&doc.id, e));
            mentions += 1;
            actors += e.source.len() + e.target.len();
        }
    }
    annals_store::Counts { documents: corpus.len(), stories: corpus.len(), events: keys.len(), mentions, actors }
}

/// What a query must answer, computed in Rust: reports grouped by event key (documents
/// are their own stories), a group kept when one of its reports `matches`, answered by
/// its first report (in corpus order) with `mentions`, `sources`, `documents`, `url` and
/// `doc_date`; ordered by date ("" when undated), then id; at most `limit`.
pub fn expected_events(
    corpus: &[(StoredDocument, Vec<EventRecord>)],
    matches: impl Fn(&EventRecord) -> bool,
    limit: Option<usize>,
) -> Vec<serde_json::Value> {
    let mut groups: Vec<(String, Vec<(&StoredDocument, &EventRecord)>)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for (doc, evs) in corpus {
        for e in evs {
            let key = annals_store::dedup::event_key(&doc.id, e);
            let i = *index.entry(key.clone()).or_insert_with(|| {
                groups.push((key, Vec::new()));
                groups.len() - 1
            });
            groups[i].1.push((doc, e));
        }
    }
    let mut out: Vec<serde_json::Value> = Vec::new();
    for (_, members) in &groups {
        if !members.iter().any(|(_, e)| matches(e)) {
            continue;
        }
        let (doc, first) = members[0];
        let mut v = serde_json::to_value(first).expect("a record serializes");
        let mut docs: Vec<String> = members.iter().map(|(d, _)| d.id.clone()).collect();
        docs.sort();
        docs.dedup();
        let mut outlets: Vec<String> =
            members.iter().map(|(d, _)| d.source.clone().unwrap_or_else(|| d.id.clone())).collect();
        outlets.sort();
        outlets.dedup();
        let obj = v.as_object_mut().expect("a record is an object");
        obj.insert("mentions".into(), members.len().into());
        obj.insert("sources".into(), outlets.len().into());
        obj.insert("documents".into(), docs.into());
        obj.insert("url".into(), doc.url.clone().into());
        obj.insert("doc_date".into(), doc.date.clone().into());
        out.push(v);
    }
    let key = |v: &serde_json::Value| {
        (v["date"].as_str().unwrap_or("").to_string(), v["id"].as_str().unwrap_or("").to_string())
    };
    out.sort_by_key(key);
    out.truncate(limit.unwrap_or(usize::MAX));
    out
}
