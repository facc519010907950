//! JSONL input: one JSON object per line with a `text` string and optional `id` (string
//! or number), `date`, `title`, `url` and `source` strings. A line that is not an object
//! with a `text` string is a warning naming file and line, and is skipped; blank lines are
//! ignored. A record whose text is blank is still a document (callers drop it later), so
//! that record numbering does not depend on the text.

use crate::{non_blank, normalize_date, ReadWarning, SourceDocument};
use serde_json::Value;

pub(crate) fn read(name: &str, text: &str, warnings: &mut Vec<ReadWarning>) -> Vec<SourceDocument> {
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                warnings.push(ReadWarning::new(name, line_no, format!("skipped: not valid JSON ({})", json_error(&e))));
                continue;
            }
        };
        let Value::Object(record) = value else {
            warnings.push(ReadWarning::new(name, line_no, "skipped: not a JSON object"));
            continue;
        };
        let Some(Value::String(text)) = record.get("text") else {
            warnings.push(ReadWarning::new(name, line_no, "skipped: no \"text\" string field"));
            continue;
        };
        let string = |key: &str| record.get(key).and_then(Value::as_str).and_then(non_blank);
        let id = match record.get("id") {
            Some(Value::String(s)) => non_blank(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        docs.push(SourceDocument {
            id,
            text: text.clone(),
            date: record.get("date").and_then(Value::as_str).and_then(normalize_date),
            title: string("title"),
            url: string("url"),
            source: string("source"),
            line: line_no,
        });
    }
    docs
}

/// serde_json's message without its "at line 1": the line is already in the warning.
fn json_error(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match full.strip_suffix(&suffix) {
        Some(message) if e.line() == 1 => format!("{message} at column {}", e.column()),
        _ => full,
    }
}
