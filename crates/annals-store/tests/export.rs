//! Tests of the exports (`annals_store::export`): Parquet read back with the parquet
//! crate's Arrow reader, CSV read back with the csv reader, every line of the GDELT TSV
//! and PLOVER JSON Lines, on ~50 varied synthetic stored events (nulls, several actors,
//! quotes, tabs, newlines, non-ASCII text) and on rows with missing or mistyped fields.
#![allow(clippy::unwrap_used)]

use annals_store::export::{
    cameo_code, gdelt_event_id, parquet_schema, write_csv, write_gdelt_tsv, write_parquet, write_plover_json, COLUMNS,
    GDELT_COLUMNS,
};
use arrow_array::{Array, BooleanArray, Float64Array, Int64Array, ListArray, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

const TYPES: &[(&str, &str, &[&str])] = &[
    ("AGREE", "verbal_cooperation", &[]),
    ("CONSULT", "verbal_cooperation", &["VISIT", "PHONE"]),
    ("SUPPORT", "verbal_cooperation", &[]),
    ("CONCEDE", "verbal_cooperation", &[]),
    ("COOPERATE", "material_cooperation", &[]),
    ("AID", "material_cooperation", &[]),
    ("RETREAT", "material_cooperation", &["CEASEFIRE", "WITHDRAW"]),
    ("REQUEST", "verbal_conflict", &["ASSIST"]),
    ("ACCUSE", "verbal_conflict", &["DISAPPROVE", "ALLEGE"]),
    ("REJECT", "verbal_conflict", &[]),
    ("THREATEN", "verbal_conflict", &["VIOLENCE"]),
    ("PROTEST", "material_conflict", &["DEMO"]),
    ("SANCTION", "verbal_conflict", &["DISCONTINUE"]),
    ("MOBILIZE", "material_conflict", &["TROOPS"]),
    ("COERCE", "material_conflict", &["ARREST"]),
    ("ASSAULT", "material_conflict", &["AERIAL", "FIREARMS"]),
];

/// text, name, country, sector, org
type ActorSpec = (&'static str, Option<&'static str>, Option<&'static str>, Option<&'static str>, Option<&'static str>);

const ACTORS: &[ActorSpec] = &[
    ("U.S. Secretary of State Antony Blinken", Some("Antony Blinken"), Some("USA"), Some("GOV"), None),
    ("Israel", None, Some("ISR"), None, None),
    ("Hamas", None, Some("PSE"), Some("REB"), Some("Hamas")),
    ("the \"so-called\" council", None, None, Some("GOV"), None),
    ("Erdoğan's government", Some("Recep Tayyip Erdoğan"), Some("TUR"), Some("GOV"), None),
    ("the UN", None, None, Some("IGO"), Some("UN")),
    ("doctors\tin Gaza", None, Some("PSE"), Some("MED"), None),
    ("北京 officials", None, Some("CHN"), Some("GOV"), None),
    ("protesters,\nstudents", None, Some("USA"), Some("CVL"), None),
    ("reporters", None, Some("UKR"), Some("JRN"), None),
];

/// name, country, lat, lon, precision
type PlaceSpec = (&'static str, Option<&'static str>, Option<f64>, Option<f64>, &'static str);

const PLACES: &[PlaceSpec] = &[
    ("Rafah", Some("PSE"), Some(31.28), Some(34.25), "point"),
    ("Germany", Some("DEU"), Some(51.5), Some(10.5), "country"),
    ("Texas", Some("USA"), Some(31.25), Some(-99.25), "region"),
    ("Paris, Texas", Some("USA"), Some(33.66), Some(-95.55), "point"),
    ("southern Israel", Some("ISR"), None, None, "region"),
    ("Kyiv", Some("UKR"), Some(50.45), Some(30.52), "document"),
];

const DATES: &[(Option<&str>, Option<&str>)] = &[
    (Some("2023-10-07"), Some("day")),
    (Some("2023-10"), Some("month")),
    (Some("2023"), Some("year")),
    (Some("2024-02-29"), Some("day")),
    (None, None),
    (Some("not a date"), Some("day")),
];

fn actor(i: usize) -> Value {
    let (text, name, country, sector, org) = ACTORS[i % ACTORS.len()];
    json!({"text": text, "name": name, "country": country, "sector": sector, "org": org, "span": [i, i + text.chars().count()]})
}

/// The i-th synthetic stored event.
fn row(i: usize) -> Value {
    let (event, quad, modes) = TYPES[i % TYPES.len()];
    let mode = if modes.is_empty() || i % 5 == 4 { None } else { Some(modes[i % modes.len()]) };
    let n_sources = [1, 1, 2, 3, 0][i % 5];
    let n_targets = [1, 0, 2, 1][i % 4];
    let source: Vec<Value> = (0..n_sources).map(|k| actor(i + k)).collect();
    let target: Vec<Value> = (0..n_targets).map(|k| actor(i + 3 + k)).collect();
    let location = if i % 7 == 6 {
        Value::Null
    } else {
        let (name, country, lat, lon, precision) = PLACES[i % PLACES.len()];
        json!({"name": name, "country": country, "lat": lat, "lon": lon, "precision": precision})
    };
    let (date, date_precision) = DATES[i % DATES.len()];
    let doc = if i.is_multiple_of(9) { format!("dépêche-{i}") } else { format!("doc-{i}") };
    let documents: Vec<String> =
        (0..=(i % 3)).map(|k| format!("{doc}{}", if k == 0 { String::new() } else { format!("~{k}") })).collect();
    let text = match i % 4 {
        0 => format!("Sentence {i} with \"quotes\", commas; and a tab\there."),
        1 => format!("Line one {i}\nline two — ünïcödé 🚀"),
        2 => format!("Plain sentence number {i}."),
        _ => format!("Carriage\r\nreturn {i}"),
    };
    json!({
        "id": format!("{doc}:{}:{}", i % 4, i % 2),
        "doc": doc,
        "sentence": i % 4,
        "event": event,
        "mode": mode,
        "context": if i.is_multiple_of(3) { json!(["military", "diplomatic"]) } else { json!([]) },
        "source": source,
        "target": target,
        "trigger": {"text": format!("trigger\t{i}"), "span": [3, 9]},
        "negated": i % 6 == 5,
        "location": location,
        "date": date,
        "date_precision": date_precision,
        "text": text,
        "confidence": (i as f64) / 64.0,
        "quad": quad,
        "why": format!("lexicon:entry_{i} -> {event}; source=nsubj"),
        "mentions": 1 + i % 4,
        "sources": 1 + i % 3,
        "documents": documents,
        "url": if i.is_multiple_of(2) { json!(format!("https://news.example/{i}?a=1&b=\"2\"")) } else { Value::Null },
        "doc_date": if i % 8 == 7 { Value::Null } else { json!("2024-05-01") },
    })
}

/// The schema's example event (with the store's fields), and rows with missing or
/// mistyped fields.
fn example() -> Value {
    json!({
      "id": "rafah-2024-05-01:0:0",
      "doc": "rafah-2024-05-01",
      "sentence": 0,
      "event": "ACCUSE",
      "mode": "DISAPPROVE",
      "context": ["military"],
      "source": [
        {"text": "U.S. Secretary of State Antony Blinken", "name": "Antony Blinken",
         "country": "USA", "sector": "GOV", "org": null, "span": [0, 38]}
      ],
      "target": [
        {"text": "Israel", "name": null, "country": "ISR", "sector": null, "org": null, "span": [72, 78]}
      ],
      "trigger": {"text": "expressed continued reservations", "span": [39, 71]},
      "negated": false,
      "location": {"name": "Rafah", "country": "PSE", "lat": 31.28, "lon": 34.25, "precision": "point"},
      "date": "2024-05",
      "date_precision": "month",
      "text": "U.S. Secretary of State Antony Blinken expressed continued reservations about Israel.",
      "confidence": 0.82,
      "quad": "verbal_conflict",
      "why": "lexicon:express_reservations -> ACCUSE/DISAPPROVE; source=nsubj; target=obl:about",
      "mentions": 3,
      "sources": 2,
      "documents": ["rafah-2024-05-01", "rafah-bbc"],
      "url": "https://news.example/rafah",
      "doc_date": "2024-05-01"
    })
}

fn odd_rows() -> Vec<Value> {
    vec![
        json!({}),
        json!({"id": null, "source": "oops", "target": {"text": "lone\tobject", "country": "FRA"}, "location": 5,
               "sentence": "x", "confidence": "high", "negated": "yes", "documents": "one-doc", "date": 20231007,
               "mentions": -1, "sources": 1.5, "trigger": "not an object", "context": "military"}),
        json!({"event": "UNKNOWN", "mode": "weird", "quad": null, "location": {"name": null}}),
        json!({"event": "assault", "quad": null, "sentence": 3, "source": [null, 7]}),
    ]
}

fn all_rows() -> Vec<Value> {
    let mut rows: Vec<Value> = (0..50).map(row).collect();
    rows.push(example());
    rows.extend(odd_rows());
    rows
}

// ---------------------------------------------------------------------------------------
// Parquet.

/// Opens Parquet bytes with the reader (through a file: the reader takes files or
/// `bytes::Bytes`, and this crate does not depend on `bytes`).
fn parquet_reader(bytes: &[u8]) -> ParquetRecordBatchReaderBuilder<std::fs::File> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let path =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("export-{}-{n}.parquet", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    // The open file stays readable after the name is gone (and on Windows removal may
    // fail while it is open: that only leaves a file in the target folder).
    let _ = std::fs::remove_file(&path);
    ParquetRecordBatchReaderBuilder::try_new(file).unwrap()
}

fn read_parquet(bytes: Vec<u8>) -> (Vec<String>, Vec<RecordBatch>) {
    let builder = parquet_reader(&bytes);
    let names = builder.schema().fields().iter().map(|f| f.name().clone()).collect();
    let batches = builder.with_batch_size(17).build().unwrap().collect::<Result<Vec<_>, _>>().unwrap();
    (names, batches)
}

fn strings(batches: &[RecordBatch], col: &str) -> Vec<Option<String>> {
    batches
        .iter()
        .flat_map(|b| {
            let a = b.column_by_name(col).unwrap().as_any().downcast_ref::<StringArray>().unwrap();
            (0..a.len()).map(|i| if a.is_null(i) { None } else { Some(a.value(i).to_string()) }).collect::<Vec<_>>()
        })
        .collect()
}

fn ints(batches: &[RecordBatch], col: &str) -> Vec<Option<i64>> {
    batches
        .iter()
        .flat_map(|b| {
            let a = b.column_by_name(col).unwrap().as_any().downcast_ref::<Int64Array>().unwrap();
            (0..a.len()).map(|i| if a.is_null(i) { None } else { Some(a.value(i)) }).collect::<Vec<_>>()
        })
        .collect()
}

fn floats(batches: &[RecordBatch], col: &str) -> Vec<Option<f64>> {
    batches
        .iter()
        .flat_map(|b| {
            let a = b.column_by_name(col).unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
            (0..a.len()).map(|i| if a.is_null(i) { None } else { Some(a.value(i)) }).collect::<Vec<_>>()
        })
        .collect()
}

fn bools(batches: &[RecordBatch], col: &str) -> Vec<Option<bool>> {
    batches
        .iter()
        .flat_map(|b| {
            let a = b.column_by_name(col).unwrap().as_any().downcast_ref::<BooleanArray>().unwrap();
            (0..a.len()).map(|i| if a.is_null(i) { None } else { Some(a.value(i)) }).collect::<Vec<_>>()
        })
        .collect()
}

fn lists(batches: &[RecordBatch], col: &str) -> Vec<Option<Vec<String>>> {
    batches
        .iter()
        .flat_map(|b| {
            let a = b.column_by_name(col).unwrap().as_any().downcast_ref::<ListArray>().unwrap();
            (0..a.len())
                .map(|i| {
                    if a.is_null(i) {
                        return None;
                    }
                    let v = a.value(i);
                    let s = v.as_any().downcast_ref::<StringArray>().unwrap();
                    Some((0..s.len()).map(|k| s.value(k).to_string()).collect())
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn s(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

fn first(v: &Value, role: &str, key: &str) -> Option<String> {
    v[role].as_array().and_then(|a| a.first()).and_then(|a| s(&a[key]))
}

#[test]
fn parquet_round_trips_every_value_of_the_main_columns() {
    let rows: Vec<Value> = (0..50).map(row).chain([example()]).collect();
    let mut buf = Vec::new();
    write_parquet(&rows, &mut buf).unwrap();
    assert_eq!(&buf[..4], b"PAR1");
    let (names, batches) = read_parquet(buf);
    assert_eq!(names, COLUMNS.to_vec());
    assert_eq!(batches.iter().map(RecordBatch::num_rows).sum::<usize>(), rows.len());

    assert_eq!(strings(&batches, "id"), rows.iter().map(|r| s(&r["id"])).collect::<Vec<_>>());
    assert_eq!(strings(&batches, "text"), rows.iter().map(|r| s(&r["text"])).collect::<Vec<_>>());
    assert_eq!(strings(&batches, "mode"), rows.iter().map(|r| s(&r["mode"])).collect::<Vec<_>>());
    assert_eq!(strings(&batches, "date"), rows.iter().map(|r| s(&r["date"])).collect::<Vec<_>>());
    assert_eq!(ints(&batches, "sentence"), rows.iter().map(|r| r["sentence"].as_i64()).collect::<Vec<_>>());
    assert_eq!(ints(&batches, "mentions"), rows.iter().map(|r| r["mentions"].as_i64()).collect::<Vec<_>>());
    assert_eq!(ints(&batches, "sources"), rows.iter().map(|r| r["sources"].as_i64()).collect::<Vec<_>>());
    assert_eq!(floats(&batches, "confidence"), rows.iter().map(|r| r["confidence"].as_f64()).collect::<Vec<_>>());
    assert_eq!(floats(&batches, "lat"), rows.iter().map(|r| r["location"]["lat"].as_f64()).collect::<Vec<_>>());
    assert_eq!(floats(&batches, "lon"), rows.iter().map(|r| r["location"]["lon"].as_f64()).collect::<Vec<_>>());
    assert_eq!(bools(&batches, "negated"), rows.iter().map(|r| r["negated"].as_bool()).collect::<Vec<_>>());
    assert_eq!(strings(&batches, "location_name"), rows.iter().map(|r| s(&r["location"]["name"])).collect::<Vec<_>>());
    for key in ["text", "country", "sector", "org", "name"] {
        for role in ["source", "target"] {
            let col = format!("{role}_{key}");
            assert_eq!(strings(&batches, &col), rows.iter().map(|r| first(r, role, key)).collect::<Vec<_>>(), "{col}");
        }
    }
    let all: Vec<Option<Value>> =
        strings(&batches, "source_all").into_iter().map(|v| v.map(|j| serde_json::from_str(&j).unwrap())).collect();
    assert_eq!(all, rows.iter().map(|r| Some(r["source"].clone())).collect::<Vec<_>>());
    let docs = lists(&batches, "documents");
    let want: Vec<Option<Vec<String>>> = rows
        .iter()
        .map(|r| Some(r["documents"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()).collect()))
        .collect();
    assert_eq!(docs, want);
    let contexts = lists(&batches, "context");
    assert_eq!(contexts[0], Some(vec!["military".to_string(), "diplomatic".to_string()]));
    assert_eq!(contexts[1], Some(vec![]));
}

#[test]
fn parquet_schema_has_the_documented_types() {
    use arrow_schema::DataType;
    let schema = parquet_schema();
    let ty = |name: &str| schema.field_with_name(name).unwrap().data_type().clone();
    assert_eq!(ty("sentence"), DataType::Int64);
    assert_eq!(ty("mentions"), DataType::Int64);
    assert_eq!(ty("confidence"), DataType::Float64);
    assert_eq!(ty("lat"), DataType::Float64);
    assert_eq!(ty("negated"), DataType::Boolean);
    assert_eq!(ty("id"), DataType::Utf8);
    assert!(matches!(ty("documents"), DataType::List(f) if f.data_type() == &DataType::Utf8));
    assert!(schema.fields().iter().all(|f| f.is_nullable()));
}

#[test]
fn parquet_of_no_rows_and_of_odd_rows() {
    let mut buf = Vec::new();
    write_parquet(&[], &mut buf).unwrap();
    let (names, batches) = read_parquet(buf);
    assert_eq!(names, COLUMNS.to_vec());
    assert_eq!(batches.iter().map(RecordBatch::num_rows).sum::<usize>(), 0);

    let rows = odd_rows();
    let mut buf = Vec::new();
    write_parquet(&rows, &mut buf).unwrap();
    let (_, batches) = read_parquet(buf);
    assert_eq!(strings(&batches, "id"), vec![None; 4]);
    assert_eq!(ints(&batches, "sentence"), vec![None, None, None, Some(3)]);
    assert_eq!(floats(&batches, "confidence"), vec![None; 4]);
    assert_eq!(bools(&batches, "negated"), vec![None; 4]);
    assert_eq!(strings(&batches, "target_country"), vec![None, Some("FRA".into()), None, None]);
    assert_eq!(strings(&batches, "source_text"), vec![None; 4]);
    assert_eq!(lists(&batches, "documents"), vec![None, Some(vec!["one-doc".into()]), None, None]);
    assert_eq!(ints(&batches, "mentions"), vec![None, Some(-1), None, None]);
}

#[test]
fn parquet_writes_several_row_groups() {
    let rows: Vec<Value> = (0..20_000).map(|i| row(i % 50)).collect();
    let mut buf = Vec::new();
    write_parquet(&rows, &mut buf).unwrap();
    let builder = parquet_reader(&buf);
    assert_eq!(builder.metadata().num_row_groups(), 3);
    assert_eq!(builder.metadata().file_metadata().num_rows(), 20_000);
}

// ---------------------------------------------------------------------------------------
// GDELT TSV.

fn gdelt_lines(rows: &[Value], header: bool) -> Vec<String> {
    let mut buf = Vec::new();
    write_gdelt_tsv(rows, &mut buf, header).unwrap();
    let out = String::from_utf8(buf).unwrap();
    assert!(out.ends_with('\n') || rows.is_empty() && !header);
    out.lines().map(str::to_string).collect()
}

fn gdelt_field<'a>(line: &'a str, name: &str) -> &'a str {
    let i = GDELT_COLUMNS.iter().position(|c| *c == name).unwrap();
    line.split('\t').nth(i).unwrap()
}

#[test]
fn gdelt_lines_have_61_fields_and_the_header_is_gdelts() {
    let rows = all_rows();
    let lines = gdelt_lines(&rows, true);
    assert_eq!(lines.len(), rows.len() + 1);
    assert_eq!(GDELT_COLUMNS.len(), 61);
    assert_eq!(
        lines[0],
        "GLOBALEVENTID\tSQLDATE\tMonthYear\tYear\tFractionDate\t\
         Actor1Code\tActor1Name\tActor1CountryCode\tActor1KnownGroupCode\tActor1EthnicCode\t\
         Actor1Religion1Code\tActor1Religion2Code\tActor1Type1Code\tActor1Type2Code\tActor1Type3Code\t\
         Actor2Code\tActor2Name\tActor2CountryCode\tActor2KnownGroupCode\tActor2EthnicCode\t\
         Actor2Religion1Code\tActor2Religion2Code\tActor2Type1Code\tActor2Type2Code\tActor2Type3Code\t\
         IsRootEvent\tEventCode\tEventBaseCode\tEventRootCode\tQuadClass\tGoldsteinScale\t\
         NumMentions\tNumSources\tNumArticles\tAvgTone\t\
         Actor1Geo_Type\tActor1Geo_FullName\tActor1Geo_CountryCode\tActor1Geo_ADM1Code\tActor1Geo_ADM2Code\t\
         Actor1Geo_Lat\tActor1Geo_Long\tActor1Geo_FeatureID\t\
         Actor2Geo_Type\tActor2Geo_FullName\tActor2Geo_CountryCode\tActor2Geo_ADM1Code\tActor2Geo_ADM2Code\t\
         Actor2Geo_Lat\tActor2Geo_Long\tActor2Geo_FeatureID\t\
         ActionGeo_Type\tActionGeo_FullName\tActionGeo_CountryCode\tActionGeo_ADM1Code\tActionGeo_ADM2Code\t\
         ActionGeo_Lat\tActionGeo_Long\tActionGeo_FeatureID\tDATEADDED\tSOURCEURL"
    );
    for (n, line) in lines.iter().enumerate() {
        assert_eq!(line.split('\t').count(), 61, "line {n}: {line:?}");
        assert!(!line.contains('\r'), "line {n}");
    }
    // Without the header: one line per row, the same lines.
    assert_eq!(gdelt_lines(&rows, false), lines[1..].to_vec());
    assert!(gdelt_lines(&[], false).is_empty());
}

#[test]
fn gdelt_row_of_the_schema_example() {
    let lines = gdelt_lines(&[example()], false);
    let id = gdelt_event_id("rafah-2024-05-01:0:0");
    let mut want = vec![
        id.to_string(),
        "20240501".into(),
        "202405".into(),
        "2024".into(),
        "2024.3342".into(),
        // Actor1
        "USAGOV".into(),
        "Antony Blinken".into(),
        "USA".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        "GOV".into(),
        "".into(),
        "".into(),
        // Actor2
        "ISR".into(),
        "Israel".into(),
        "ISR".into(),
    ];
    want.extend(["", "", "", "", "", "", ""].map(String::from));
    want.extend(["1", "111", "111", "11", "3", "", "3", "2", "2", ""].map(String::from));
    want.extend(std::iter::repeat_n(String::new(), 16));
    want.extend(["4", "Rafah", "WE", "", "", "31.28", "34.25", ""].map(String::from));
    want.extend(["20240501000000", "https://news.example/rafah"].map(String::from));
    assert_eq!(want.len(), 61);
    assert_eq!(lines, vec![want.join("\t")]);
}

#[test]
fn gdelt_dates_quads_codes_and_places() {
    let rows: Vec<Value> = (0..50).map(row).collect();
    let lines = gdelt_lines(&rows, false);
    for (r, line) in rows.iter().zip(&lines) {
        let quad = match r["quad"].as_str().unwrap() {
            "verbal_cooperation" => "1",
            "material_cooperation" => "2",
            "verbal_conflict" => "3",
            _ => "4",
        };
        assert_eq!(gdelt_field(line, "QuadClass"), quad);
        let sqldate = match r["date"].as_str() {
            Some("2023-10-07") => "20231007",
            Some("2023-10") => "20231001",
            Some("2023") => "20230101",
            Some("2024-02-29") => "20240229",
            _ => "",
        };
        assert_eq!(gdelt_field(line, "SQLDATE"), sqldate, "{}", r["date"]);
        assert_eq!(gdelt_field(line, "MonthYear"), sqldate.get(..6).unwrap_or(""));
        assert_eq!(gdelt_field(line, "Year"), sqldate.get(..4).unwrap_or(""));
        let id: u64 = gdelt_field(line, "GLOBALEVENTID").parse().unwrap();
        assert!(id < 1 << 63);
        assert_eq!(id, gdelt_event_id(r["id"].as_str().unwrap()));
        let code = cameo_code(r["event"].as_str().unwrap(), r["mode"].as_str()).unwrap();
        assert_eq!(gdelt_field(line, "EventCode"), code);
        assert_eq!(gdelt_field(line, "EventBaseCode"), &code[..3]);
        assert_eq!(gdelt_field(line, "EventRootCode"), &code[..2]);
        assert_eq!(gdelt_field(line, "IsRootEvent"), if r["sentence"] == 0 { "1" } else { "0" });
        assert_eq!(gdelt_field(line, "NumArticles"), r["documents"].as_array().unwrap().len().to_string());
        let added = if r["doc_date"].is_null() { "" } else { "20240501000000" };
        assert_eq!(gdelt_field(line, "DATEADDED"), added);
        let url = r["url"].as_str().map(str::to_string).unwrap_or_else(|| r["documents"][0].as_str().unwrap().into());
        assert_eq!(gdelt_field(line, "SOURCEURL"), url);
    }
    // Fraction dates: day of year / 365.
    assert_eq!(gdelt_field(&lines[0], "FractionDate"), "2023.7671"); // 2023-10-07, day 280
    assert_eq!(gdelt_field(&lines[2], "FractionDate"), "2023.0027"); // 2023: January 1st
                                                                     // Places: type from precision, FIPS country codes.
    let geo = |i: usize| {
        (
            gdelt_field(&lines[i], "ActionGeo_Type").to_string(),
            gdelt_field(&lines[i], "ActionGeo_FullName").to_string(),
            gdelt_field(&lines[i], "ActionGeo_CountryCode").to_string(),
            gdelt_field(&lines[i], "ActionGeo_Lat").to_string(),
        )
    };
    assert_eq!(geo(0), ("4".into(), "Rafah".into(), "WE".into(), "31.28".into()));
    assert_eq!(geo(1), ("1".into(), "Germany".into(), "GM".into(), "51.5".into()));
    assert_eq!(geo(2), ("2".into(), "Texas".into(), "US".into(), "31.25".into()));
    assert_eq!(geo(3), ("3".into(), "Paris, Texas".into(), "US".into(), "33.66".into()));
    assert_eq!(geo(4), ("5".into(), "southern Israel".into(), "IS".into(), "".into()));
    assert_eq!(geo(5), ("".into(), "Kyiv".into(), "UP".into(), "50.45".into()));
    assert_eq!(geo(6), ("".into(), "".into(), "".into(), "".into()));
    // Actors: CAMEO codes and types, names with tabs and newlines made spaces.
    let actor1 = |i: usize| {
        (
            gdelt_field(&lines[i], "Actor1Code").to_string(),
            gdelt_field(&lines[i], "Actor1Name").to_string(),
            gdelt_field(&lines[i], "Actor1Type1Code").to_string(),
        )
    };
    assert_eq!(actor1(0), ("USAGOV".into(), "Antony Blinken".into(), "GOV".into()));
    assert_eq!(actor1(1), ("ISR".into(), "Israel".into(), "".into()));
    assert_eq!(actor1(5), ("IGO".into(), "UN".into(), "IGO".into()));
    assert_eq!(actor1(6), ("PSEHLH".into(), "doctors in Gaza".into(), "HLH".into()));
    assert_eq!(actor1(8), ("USACVL".into(), "protesters, students".into(), "CVL".into()));
    assert_eq!(actor1(4), ("".into(), "".into(), "".into())); // no source
    assert_eq!(gdelt_field(&lines[1], "Actor2Code"), ""); // no target
}

#[test]
fn cameo_codes_of_types_and_modes() {
    assert_eq!(cameo_code("ACCUSE", Some("DISAPPROVE")), Some("111"));
    assert_eq!(cameo_code("accuse", Some("allege")), Some("112"));
    assert_eq!(cameo_code("ACCUSE", None), Some("110"));
    assert_eq!(cameo_code("ASSAULT", Some("AERIAL")), Some("195"));
    assert_eq!(cameo_code("ASSAULT", Some("no-such-mode")), Some("190"));
    assert_eq!(cameo_code("RETREAT", Some("CEASEFIRE")), Some("0871"));
    assert_eq!(cameo_code("CONSULT", Some("VISIT")), Some("042"));
    assert_eq!(cameo_code("NOPE", None), None);
}

// ---------------------------------------------------------------------------------------
// PLOVER JSON.

fn plover_lines(rows: &[Value]) -> Vec<Value> {
    let mut buf = Vec::new();
    write_plover_json(rows, &mut buf).unwrap();
    let out = String::from_utf8(buf).unwrap();
    out.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

const PLOVER_FIELDS: &[&str] = &[
    "id",
    "date",
    "actor",
    "recipient",
    "event",
    "mode",
    "context",
    "event_text",
    "event_loc",
    "quad_code",
    "text",
    "text_info",
    "cite_info",
    "coder",
    "comment",
    "negated",
    "confidence",
    "date_precision",
    "mentions",
    "sources",
    "documents",
    "doc_date",
];

#[test]
fn plover_lines_parse_with_the_chosen_field_names() {
    let rows = all_rows();
    let lines = plover_lines(&rows);
    assert_eq!(lines.len(), rows.len());
    let mut want: Vec<&str> = PLOVER_FIELDS.to_vec();
    want.sort_unstable();
    for (r, v) in rows.iter().zip(&lines) {
        let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, want);
        assert!(v["actor"].is_array() && v["recipient"].is_array() && v["event"].is_array());
        assert_eq!(v["id"], r.get("id").cloned().unwrap_or(Value::Null));
        assert_eq!(v["text"], r.get("text").cloned().unwrap_or(Value::Null));
    }
    // Quad codes, also from the type when the row has no quad.
    assert_eq!(lines[0]["quad_code"], 1);
    assert_eq!(lines[15]["quad_code"], 4);
    assert_eq!(lines[rows.len() - 1]["quad_code"], 4); // "assault", quad null
    assert_eq!(lines[rows.len() - 2]["quad_code"], Value::Null); // unknown type
}

#[test]
fn plover_record_of_the_schema_example() {
    let v = &plover_lines(&[example()])[0];
    let want = json!({
        "id": "rafah-2024-05-01:0:0",
        "date": "2024-05-01",
        "actor": [{"code": "USA", "sector": "GOV", "entity_text": "U.S. Secretary of State Antony Blinken",
                   "identifier_text": "Antony Blinken", "org": null, "span": [0, 38]}],
        "recipient": [{"code": "ISR", "sector": null, "entity_text": "Israel", "identifier_text": null,
                       "org": null, "span": [72, 78]}],
        "event": ["ACCUSE"],
        "mode": ["disapprove"],
        "context": ["military"],
        "event_text": ["expressed continued reservations"],
        "event_loc": {"resolved_place": "Rafah", "country_code": "PSE", "lat": 31.28, "lon": 34.25,
                      "resolution": 4, "precision": "point"},
        "quad_code": 3,
        "text": "U.S. Secretary of State Antony Blinken expressed continued reservations about Israel.",
        "text_info": {"sequence": 0},
        "cite_info": {"citation": "rafah-2024-05-01", "url": "https://news.example/rafah"},
        "coder": format!("annals {}", env!("CARGO_PKG_VERSION")),
        "comment": "lexicon:express_reservations -> ACCUSE/DISAPPROVE; source=nsubj; target=obl:about",
        "negated": false,
        "confidence": 0.82,
        "date_precision": "month",
        "mentions": 3,
        "sources": 2,
        "documents": ["rafah-2024-05-01", "rafah-bbc"],
        "doc_date": "2024-05-01"
    });
    assert_eq!(v, &want);
}

#[test]
fn plover_of_an_empty_row_is_all_null() {
    let v = &plover_lines(&[json!({})])[0];
    assert_eq!(v["id"], Value::Null);
    assert_eq!(v["actor"], json!([]));
    assert_eq!(v["event"], json!([]));
    assert_eq!(v["mode"], Value::Null);
    assert_eq!(v["context"], Value::Null);
    assert_eq!(v["event_loc"], Value::Null);
    assert_eq!(v["documents"], Value::Null);
}

// ---------------------------------------------------------------------------------------
// CSV.

#[test]
fn csv_round_trips_with_the_csv_reader() {
    let rows = all_rows();
    let mut buf = Vec::new();
    write_csv(&rows, &mut buf).unwrap();
    let mut reader = csv::Reader::from_reader(buf.as_slice());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(headers, COLUMNS.to_vec());
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    assert_eq!(records.len(), rows.len());
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
    for (r, rec) in rows.iter().zip(&records) {
        assert_eq!(rec.len(), COLUMNS.len());
        let or_empty = |v: &Value| v.as_str().unwrap_or("").to_string();
        assert_eq!(rec[col("id")], or_empty(r.get("id").unwrap_or(&Value::Null)));
        assert_eq!(rec[col("text")], or_empty(r.get("text").unwrap_or(&Value::Null)));
        assert_eq!(rec[col("why")], or_empty(r.get("why").unwrap_or(&Value::Null)));
        assert_eq!(rec[col("source_text")], first(r, "source", "text").unwrap_or_default());
        assert_eq!(rec[col("target_name")], first(r, "target", "name").unwrap_or_default());
        assert_eq!(rec[col("url")], or_empty(r.get("url").unwrap_or(&Value::Null)));
        if let Some(c) = r.get("confidence").and_then(Value::as_f64) {
            assert_eq!(rec[col("confidence")].parse::<f64>().unwrap(), c);
        }
        if let Some(lat) = r.get("location").and_then(|l| l.get("lat")).and_then(Value::as_f64) {
            assert_eq!(rec[col("lat")].parse::<f64>().unwrap(), lat);
        }
        if let Some(docs) = r.get("documents").and_then(Value::as_array) {
            let joined: Vec<&str> = docs.iter().filter_map(Value::as_str).collect();
            assert_eq!(rec[col("documents")], joined.join("|"));
        }
    }
    assert_eq!(&records[0][col("negated")], "false");
    assert_eq!(&records[5][col("negated")], "true");
    assert_eq!(&records[0][col("sentence")], "0");
    assert_eq!(&records[0][col("context")], "military|diplomatic");
    assert_eq!(&records[50][col("date")], "2024-05");
    assert_eq!(&records[51][col("mentions")], ""); // {}: everything empty
}

#[test]
fn every_exporter_survives_rows_with_missing_fields() {
    let rows = odd_rows();
    write_parquet(&rows, Vec::new()).unwrap();
    write_csv(&rows, Vec::new()).unwrap();
    write_plover_json(&rows, Vec::new()).unwrap();
    let lines = gdelt_lines(&rows, false);
    assert_eq!(lines.len(), rows.len());
    assert!(lines.iter().all(|l| l.split('\t').count() == 61));
    // The object given as target is used; its tab becomes a space.
    assert_eq!(gdelt_field(&lines[1], "Actor2Name"), "lone object");
    assert_eq!(gdelt_field(&lines[1], "Actor2Code"), "FRA");
    assert_eq!(gdelt_field(&lines[1], "SOURCEURL"), "one-doc");
    assert_eq!(gdelt_field(&lines[0], "GLOBALEVENTID"), "");
}
