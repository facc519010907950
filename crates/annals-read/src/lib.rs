//! The read stage: turns the bytes of one input (plain text, JSONL, CSV or an HTML page)
//! into [`SourceDocument`]s. It owns decoding (BOM, UTF-16, invalid UTF-8), the binary and
//! empty-input checks shared by every format, and the dispatch to the format readers.
//!
//! It does no file I/O: callers pass a display name (used in every message) and the
//! bytes, so that the same code serves files, folders, standard input and tests. Problems
//! with one record are [`ReadWarning`]s naming file and line, and the rest is still read;
//! problems with the whole input are [`ReadError`]s. No byte sequence makes it panic.

mod csv_format;
mod html;
mod jsonl;

use std::fmt;

/// One document read from an input, before any analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceDocument {
    /// The record's own id (JSONL `id`, CSV `id` column); `None` when it has none, and for
    /// whole-file formats: callers then name it after the file.
    pub id: Option<String>,
    /// The text to analyze. For HTML, the article's paragraphs separated by blank lines.
    pub text: String,
    /// The publication date: `YYYY-MM-DD` when the input gave an ISO date or timestamp,
    /// otherwise as written.
    pub date: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// The publisher (CSV/JSONL `source`, an HTML page's `og:site_name`).
    pub source: Option<String>,
    /// The 1-based line where the record starts in its input; 0 for a whole-file document.
    pub line: usize,
}

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The whole input is one document.
    Text,
    /// One JSON object per line with a `text` string.
    Jsonl,
    /// A header row naming a `text` column, then one document per record.
    Csv,
    /// A web page: its main article text and metadata.
    Html,
}

/// The format that a file name's extension says (case-insensitive), or `None` when the
/// extension is not one of the known ones.
pub fn format_of(path_name: &str) -> Option<Format> {
    let file_name = path_name.rsplit(['/', '\\']).next().unwrap_or(path_name);
    let (stem, ext) = file_name.rsplit_once('.')?;
    if stem.is_empty() {
        // `.txt` alone is a hidden file's name, not an extension.
        return None;
    }
    match ext.to_ascii_lowercase().as_str() {
        "txt" | "text" | "md" => Some(Format::Text),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "csv" => Some(Format::Csv),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        _ => None,
    }
}

/// Guesses the format of unnamed input (standard input): JSONL when the first
/// non-space character is `{`, HTML when it starts with `<!doctype` or `<html`, else text.
pub fn sniff(bytes: &[u8]) -> Format {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let head = &bytes[start..];
    let starts_with = |prefix: &[u8]| head.len() >= prefix.len() && head[..prefix.len()].eq_ignore_ascii_case(prefix);
    if head.first() == Some(&b'{') {
        Format::Jsonl
    } else if starts_with(b"<!doctype") || starts_with(b"<html") {
        Format::Html
    } else {
        Format::Text
    }
}

/// A problem with part of an input: that part was skipped or repaired, the rest was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadWarning {
    /// The input's name as given to [`read`].
    pub name: String,
    /// The 1-based line (or CSV record's first line); 0 when it concerns the whole input.
    pub line: usize,
    pub message: String,
}

impl ReadWarning {
    fn new(name: &str, line: usize, message: impl Into<String>) -> ReadWarning {
        ReadWarning { name: name.to_string(), line, message: message.into() }
    }
}

impl fmt::Display for ReadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.name, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.name, self.message)
        }
    }
}

/// What reading one input gave: its documents in input order, and its warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOutcome {
    pub documents: Vec<SourceDocument>,
    pub warnings: Vec<ReadWarning>,
    /// True when the input held nothing to read: empty or blank, or a CSV header without
    /// records. (Not when records were there but all were skipped.)
    pub empty: bool,
}

/// A problem that leaves nothing to read in an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{name} looks like a binary file, not text")]
    Binary { name: String },
    #[error("{name}:{line}: no `text` column (columns: {columns})")]
    NoTextColumn { name: String, line: usize, columns: String },
    #[error("{name}:{line}: {message}")]
    Malformed { name: String, line: usize, message: String },
    #[error("{name}: {message}")]
    Unreadable { name: String, message: String },
    #[error("{name}: no article text found")]
    NoArticle { name: String },
}

impl ReadError {
    /// The name of the input the error is about.
    pub fn name(&self) -> &str {
        match self {
            ReadError::Binary { name }
            | ReadError::NoTextColumn { name, .. }
            | ReadError::Malformed { name, .. }
            | ReadError::Unreadable { name, .. }
            | ReadError::NoArticle { name } => name,
        }
    }
}

/// Reads the documents of one input. `name` is only used in messages (and is what the
/// caller shows for the input: a path, `<stdin>`); `bytes` is the whole content.
///
/// Empty or blank input gives no document and a warning. Binary input, a CSV without a
/// `text` column and a page without an article are errors.
pub fn read(name: &str, format: Format, bytes: &[u8]) -> Result<ReadOutcome, ReadError> {
    let mut warnings = Vec::new();
    let text = decode(name, bytes, &mut warnings)?;
    if is_blank(&text) {
        warnings.push(ReadWarning::new(name, 0, "empty, no documents"));
        return Ok(ReadOutcome { documents: Vec::new(), warnings, empty: true });
    }
    let (documents, empty) = match format {
        Format::Text => (vec![SourceDocument { text, ..SourceDocument::default() }], false),
        Format::Jsonl => (jsonl::read(name, &text, &mut warnings), false),
        Format::Csv => csv_format::read(name, &text, &mut warnings)?,
        Format::Html => (vec![html::read(name, &text)?], false),
    };
    Ok(ReadOutcome { documents, warnings, empty })
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many leading bytes the binary check looks at.
const SAMPLE: usize = 8 * 1024;

/// The text of `bytes`: UTF-16 when it opens with a UTF-16 byte-order mark, else UTF-8
/// without its BOM, invalid sequences replaced by U+FFFD with a warning. Input that looks
/// binary (see [`looks_binary`]) is an error, unless it is blank (control characters
/// alone are "empty", not "binary").
fn decode(name: &str, bytes: &[u8], warnings: &mut Vec<ReadWarning>) -> Result<String, ReadError> {
    if let Some(text) = decode_utf16(bytes) {
        let sample: Vec<char> = text.chars().take(SAMPLE / 2).collect();
        let odd = sample.iter().filter(|&&c| c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace())).count();
        if !is_blank(&text) && odd * 10 > sample.len() * 3 {
            return Err(ReadError::Binary { name: name.to_string() });
        }
        if text.contains('\u{FFFD}') {
            warnings.push(ReadWarning::new(name, 0, "invalid UTF-16, replaced by U+FFFD"));
        }
        return Ok(text);
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            warnings.push(ReadWarning::new(name, line, "invalid UTF-8, replaced by U+FFFD"));
            String::from_utf8_lossy(bytes).into_owned()
        }
    };
    if !is_blank(&text) && looks_binary(bytes) {
        return Err(ReadError::Binary { name: name.to_string() });
    }
    Ok(text)
}

/// UTF-16 text with a byte-order mark (what some Windows tools write), decoded lossily.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let (little, body) = if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        (true, body)
    } else {
        (false, bytes.strip_prefix(b"\xFE\xFF")?)
    };
    let units = body.chunks(2).map(|c| match (c, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        // An odd trailing byte: not a code unit; decodes as U+FFFD.
        _ => 0xDC00,
    });
    Some(char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect())
}

/// Whether the first 8 KB look like binary data: more than 10% NUL bytes, or more than
/// 30% control bytes and invalid UTF-8. A stray NUL or escape code in text is not enough
/// (`annals parse` reads such text); binary formats have far more (images and executables
/// are full of zeros, compressed data is mostly invalid UTF-8, UTF-16 without a
/// byte-order mark is half zeros).
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    if nuls * 10 > sample.len() {
        return true;
    }
    let controls = sample.iter().filter(|&&b| (b < 0x20 && !b"\t\n\r\x0C\x1B".contains(&b)) || b == 0x7F).count();
    let mut invalid = 0;
    let mut rest = sample;
    while let Err(e) = std::str::from_utf8(rest) {
        // No error length: a sequence cut by the end of the sample, not an invalid one.
        let Some(len) = e.error_len() else { break };
        invalid += len;
        rest = &rest[e.valid_up_to() + len..];
    }
    (controls + invalid) * 10 > sample.len() * 3
}

/// True when `text` has nothing to read: only whitespace, control characters and
/// invisible format characters (zero-width spaces and joiners, BOMs).
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}')
    })
}

/// `YYYY-MM-DD` when `raw` starts with an ISO date (alone or followed by a time),
/// otherwise `raw` trimmed; `None` when it is blank.
pub(crate) fn normalize_date(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let b = raw.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let iso = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b.get(10).is_none_or(|c| matches!(c, b'T' | b't' | b' ' | b'Z' | b'z' | b'+'));
    Some(if iso { raw[..10].to_string() } else { raw.to_string() })
}

/// A field value trimmed, `None` when blank.
pub(crate) fn non_blank(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_normalized_when_iso() {
        assert_eq!(normalize_date(" 2024-05-01T10:00:00Z ").as_deref(), Some("2024-05-01"));
        assert_eq!(normalize_date("2024-05-01").as_deref(), Some("2024-05-01"));
        assert_eq!(normalize_date("2024-05-01 10:00").as_deref(), Some("2024-05-01"));
        assert_eq!(normalize_date("2024-05").as_deref(), Some("2024-05"));
        assert_eq!(normalize_date("May 1, 2024").as_deref(), Some("May 1, 2024"));
        assert_eq!(normalize_date("2024-05-0x"), Some("2024-05-0x".to_string()));
        assert_eq!(normalize_date("   "), None);
        // Multi-byte text after ten ASCII bytes must not be cut inside a character.
        assert_eq!(normalize_date("2024-05-01é").as_deref(), Some("2024-05-01é"));
    }

    #[test]
    fn blank_and_binary() {
        assert!(is_blank(" \n\t\u{0}\u{7}\u{200B}"));
        assert!(!is_blank(" a "));
        assert!(looks_binary(b"abc\0def"));
        assert!(looks_binary("a\0b\0c\0".repeat(100).as_bytes()));
        // A stray NUL and escape codes in a line of text.
        assert!(!looks_binary(b"Control\0characters\x07 in\x1b[31m the\x08 text\x0c and a\x0btab\tsplit. Next one."));
        assert!(looks_binary(&[0x01, 0x02, 0x03, b'a', 0x04]));
        assert!(!looks_binary("The army \u{e9}\u{e8} seized".as_bytes()));
        assert!(!looks_binary(b"The army \xff\xfe seized power in 1988.\nTalks resumed.\n"));
        // A multi-byte character cut by the end of the sample is not invalid.
        let mut long = vec![b'a'; SAMPLE - 1];
        long.extend_from_slice("é".as_bytes());
        assert!(!looks_binary(&long));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Talks resumed.".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let out = read("w.txt", Format::Text, &bytes).unwrap();
        assert_eq!(out.documents[0].text, "Talks resumed.");
        assert!(out.warnings.is_empty());
    }
}
