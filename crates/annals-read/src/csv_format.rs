//! CSV input: a header row, then one document per record. The `text` column is required;
//! `id`, `date`, `title`, `url` and `source` are used when present (header names match
//! case-insensitively, trimmed), other columns are ignored. Quoted fields may span lines
//! and records may have any number of fields. A record without text is a warning naming
//! the line it starts on, and is skipped.

use crate::{non_blank, normalize_date, ReadError, ReadWarning, SourceDocument};

/// Where the known columns are.
struct Columns {
    text: usize,
    id: Option<usize>,
    date: Option<usize>,
    title: Option<usize>,
    url: Option<usize>,
    source: Option<usize>,
}

/// The documents, and whether there was no record at all after the header.
pub(crate) fn read(
    name: &str,
    text: &str,
    warnings: &mut Vec<ReadWarning>,
) -> Result<(Vec<SourceDocument>, bool), ReadError> {
    let lines = Lines::new(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ReadError::Malformed {
            name: name.to_string(),
            line: 1,
            message: format!("bad header row ({e})"),
        })?
        .clone();
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let find = |wanted: &str| names.iter().position(|n| n == wanted);
    let Some(text_column) = find("text") else {
        let columns = header.iter().map(str::trim).collect::<Vec<_>>().join(", ");
        // Line 1 unless blank lines come first.
        let line = header.position().map_or(1, |p| lines.line_at(p.byte()));
        return Err(ReadError::NoTextColumn { name: name.to_string(), line, columns });
    };
    let columns = Columns {
        text: text_column,
        id: find("id"),
        date: find("date"),
        title: find("title"),
        url: find("url"),
        source: find("source"),
    };
    let mut docs = Vec::new();
    let mut record = csv::StringRecord::new();
    // Records read, good or bad, blank rows aside.
    let mut records = 0;
    loop {
        let byte = reader.position().byte();
        let line = lines.line_at(byte);
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                records += 1;
                let line = e.position().map_or(line, |p| lines.line_at(p.byte()));
                warnings.push(ReadWarning::new(name, line, format!("skipped: malformed record ({e})")));
                if reader.position().byte() == byte {
                    // The reader did not move past the bad record: stop rather than loop.
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(line, |p| lines.line_at(p.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            // A row of empty cells (spreadsheets leave them at the end): nothing to say.
            continue;
        }
        records += 1;
        let field = |k: Option<usize>| k.and_then(|k| record.get(k)).and_then(non_blank);
        let Some(text) = record.get(columns.text).filter(|t| !t.trim().is_empty()) else {
            warnings.push(ReadWarning::new(name, line, "skipped: empty text"));
            continue;
        };
        docs.push(SourceDocument {
            id: field(columns.id),
            text: text.to_string(),
            date: columns.date.and_then(|k| record.get(k)).and_then(normalize_date),
            title: field(columns.title),
            url: field(columns.url),
            source: field(columns.source),
            line,
        });
    }
    if records == 0 {
        warnings.push(ReadWarning::new(name, 0, "no records after the header row, no documents"));
    }
    Ok((docs, records == 0))
}

/// Line numbers from byte offsets. The csv crate's own `Position::line` miscounts after
/// CRLF line ends and skipped blank lines, its byte offsets are right.
struct Lines<'a> {
    text: &'a str,
    /// Byte offsets of the `\n`s.
    newlines: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines { text, newlines: text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect() }
    }

    /// The 1-based line of the record starting at `byte` (line ends before a record, which
    /// the reader may count as part of it, are skipped).
    fn line_at(&self, byte: u64) -> usize {
        let start = usize::try_from(byte).unwrap_or(usize::MAX).min(self.text.len());
        let skipped = self.text.as_bytes()[start..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        1 + self.newlines.partition_point(|&nl| nl < start + skipped)
    }
}
