//! Shared by the store's tests: temporary database files that remove themselves, and a
//! deterministic set of ~300 synthetic event records with varied actors, types, dates,
//! places and sentences (some full of quotes and FTS operator words).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use annals_events::{ActorRecord, EventRecord, LocationRecord, TriggerRecord};
use annals_store::StoredDocument;

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
type ActorSpec = (&'static str, Option<&'static str>, Option<&'static str>, Option<&'static str>, Option<&'static str>);

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
