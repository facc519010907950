//! Reading documents for the commands: plain text files, JSONL with a `text` field, and
//! standard input. One bad JSONL record is a warning naming file and line, not an error.

use anyhow::{Context, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// One document to analyze.
#[derive(Debug, Clone)]
pub struct InputDocument {
    pub id: String,
    pub text: String,
    /// The `date` field of a JSONL record, as written.
    pub date: Option<String>,
}

fn decode(bytes: Vec<u8>, name: &str) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("warning: {name}: invalid UTF-8, replaced by U+FFFD");
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    }
}

/// Reads the documents of `inputs` (none or `-` is standard input).
pub fn read_documents(inputs: &[PathBuf]) -> Result<Vec<InputDocument>> {
    let mut docs = Vec::new();
    let stdin_only = inputs.is_empty();
    for (k, path) in inputs.iter().map(Some).chain(stdin_only.then_some(None)).enumerate() {
        let (name, bytes) = match path {
            Some(p) if p.as_os_str() != "-" => {
                let b = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
                (p.display().to_string(), b)
            }
            _ => {
                let mut b = Vec::new();
                std::io::stdin().read_to_end(&mut b).context("cannot read standard input")?;
                ("<stdin>".to_string(), b)
            }
        };
        let text = decode(bytes, &name);
        let is_jsonl = path.is_some_and(|p| p.extension().is_some_and(|e| e == "jsonl" || e == "ndjson"));
        if is_jsonl {
            read_jsonl(&text, &name, &mut docs);
        } else {
            let id = path
                .and_then(|p| p.file_stem())
                .map_or_else(|| format!("doc{}", k + 1), |s| s.to_string_lossy().into_owned());
            docs.push(InputDocument { id, text, date: None });
        }
    }
    make_ids_unique(&mut docs);
    Ok(docs)
}

/// Repeated document ids (two `x.txt` in different folders, repeated JSONL ids) get a
/// suffix `-2`, `-3` ... so that every `# newdoc id` and `# sent_id` is unique.
fn make_ids_unique(docs: &mut [InputDocument]) {
    let mut seen = std::collections::HashSet::new();
    for d in docs.iter_mut() {
        if !seen.insert(d.id.clone()) {
            let mut k = 2;
            while !seen.insert(format!("{}-{k}", d.id)) {
                k += 1;
            }
            d.id = format!("{}-{k}", d.id);
        }
    }
}

fn read_jsonl(text: &str, name: &str, docs: &mut Vec<InputDocument>) {
    let stem = Path::new(name).file_stem().map_or_else(|| "doc".to_string(), |s| s.to_string_lossy().into_owned());
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("warning: {name}:{}: skipped: not valid JSON ({e})", i + 1);
                continue;
            }
        };
        let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
            eprintln!("warning: {name}:{}: skipped: no \"text\" string field", i + 1);
            continue;
        };
        let id = match v.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => format!("{stem}-{}", i + 1),
        };
        let date = v.get("date").and_then(|d| d.as_str()).map(String::from);
        docs.push(InputDocument { id, text: text.to_string(), date });
    }
}
