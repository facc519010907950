//! Reading documents for the commands: the file-system side of the read stage. It owns
//! what `annals-read` leaves out on purpose: files, folders (walked recursively in sorted
//! order) and standard input, document ids, and the policy for problems — warnings go to
//! standard error, an unreadable input among several is skipped, but a lone unreadable
//! input, a missing file, or inputs that give no document at all are errors.

use annals_read::{format_of, Format, ReadError};
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One document to analyze.
#[derive(Debug, Clone)]
pub struct InputDocument {
    pub id: String,
    pub text: String,
    /// The document's date: `YYYY-MM-DD` when the input gave an ISO date or timestamp,
    /// otherwise as written.
    pub date: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// Where the document came from, for messages: `file`, or `file:line` for a record.
    pub origin: String,
    /// Whether the id was given (by the record, or by the name of a whole-file document)
    /// rather than made up from a position (`stdin-1`, `file-3`).
    pub named: bool,
}

/// One input to read.
#[derive(Debug, Clone)]
enum Source {
    Stdin,
    File { path: PathBuf, format: Format },
}

impl Source {
    fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File { path, .. } => path.display().to_string(),
        }
    }
}

/// Reads the documents of `inputs`: files, folders (their `.txt`, `.md`, `.jsonl`, `.csv`
/// and `.html` files, recursively) and standard input (none or `-`).
pub fn read_documents(inputs: &[PathBuf]) -> Result<Vec<InputDocument>> {
    let sources = sources(inputs)?;
    // Reading and extraction (HTML above all) in parallel; reports in input order.
    let results: Vec<Result<Result<annals_read::ReadOutcome, ReadError>>> = sources.par_iter().map(load).collect();
    let mut docs = Vec::new();
    let (mut unreadable, mut all_empty) = (0, true);
    for (source, result) in sources.iter().zip(results) {
        match result? {
            Ok(outcome) => {
                for w in &outcome.warnings {
                    eprintln!("warning: {w}");
                }
                all_empty &= outcome.empty;
                docs.extend(outcome.documents.into_iter().map(|d| input_document(source, d)));
            }
            Err(e) if sources.len() == 1 => return Err(e.into()),
            Err(e) => {
                eprintln!("warning: {e}; skipped");
                unreadable += 1;
                all_empty = false;
            }
        }
    }
    if docs.is_empty() && !all_empty {
        let what = match sources.as_slice() {
            [one] => one.name(),
            _ => format!("{} inputs", sources.len()),
        };
        match unreadable {
            0 => bail!("no documents in {what} (see the warnings above)"),
            n => bail!("no documents in {what} ({n} unreadable, see the warnings above)"),
        }
    }
    make_ids_unique(&mut docs);
    Ok(docs)
}

/// The inputs to read, in order: standard input when there are none.
fn sources(inputs: &[PathBuf]) -> Result<Vec<Source>> {
    if inputs.is_empty() {
        return Ok(vec![Source::Stdin]);
    }
    let mut sources = Vec::new();
    for path in inputs {
        if path.as_os_str() == "-" {
            sources.push(Source::Stdin);
        } else if path.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            files.sort_by(|a, b| a.0.cmp(&b.0));
            if files.is_empty() {
                eprintln!(
                    "warning: {}: no .txt, .text, .md, .jsonl, .ndjson, .csv, .html, .htm or .xhtml files, no documents",
                    path.display()
                );
            }
            sources.extend(files.into_iter().map(|(path, format)| Source::File { path, format }));
        } else {
            // Given by name: an unknown extension is read as text. A missing file is
            // reported when it is read.
            let format = format_of(&path.to_string_lossy()).unwrap_or(Format::Text);
            sources.push(Source::File { path: path.clone(), format });
        }
    }
    Ok(sources)
}

/// The files under `dir` whose extension names a format, hidden files and folders left
/// out. Symbolic links to folders are not followed (they could make cycles).
fn walk(dir: &Path, files: &mut Vec<(PathBuf, Format)>) -> Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().with_context(|| format!("cannot read {}", path.display()))?;
        if kind.is_dir() {
            walk(&path, files)?;
        } else if let Some(format) = format_of(&name) {
            if path.is_file() {
                files.push((path, format));
            }
        }
    }
    Ok(())
}

/// Reads one input's bytes and its documents. The outer error (I/O) is fatal, the inner
/// one is about the content.
fn load(source: &Source) -> Result<Result<annals_read::ReadOutcome, ReadError>> {
    match source {
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).context("cannot read standard input")?;
            Ok(annals_read::read(&source.name(), annals_read::sniff(&bytes), &bytes))
        }
        Source::File { path, format } => {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok(annals_read::read(&source.name(), *format, &bytes))
        }
    }
}

/// A read document with its id: its own, else `<file stem>-<line>` for records, the file
/// stem for whole files, and `stdin-<line>` (`stdin-1` for a whole text) for standard input.
fn input_document(source: &Source, d: annals_read::SourceDocument) -> InputDocument {
    let stem = match source {
        Source::Stdin => "stdin".to_string(),
        Source::File { path, .. } => {
            path.file_stem().map_or_else(|| "doc".to_string(), |s| s.to_string_lossy().into_owned())
        }
    };
    let named = d.id.is_some() || (matches!(source, Source::File { .. }) && d.line == 0);
    let id = d.id.unwrap_or_else(|| match (source, d.line) {
        (Source::Stdin, 0) => format!("{stem}-1"),
        (_, 0) => stem,
        (_, line) => format!("{stem}-{line}"),
    });
    let origin = match d.line {
        0 => source.name(),
        line => format!("{}:{line}", source.name()),
    };
    InputDocument { id, text: d.text, date: d.date, title: d.title, url: d.url, source: d.source, origin, named }
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
