//! Tests of the plain-text, JSONL and CSV readers and of what all formats share: format
//! by extension and by sniffing, BOMs, CRLF, invalid UTF-8, empty and binary input, and
//! the exact wording of warnings and errors (file and line).

#![allow(clippy::unwrap_used)]

use annals_read::{format_of, read, sniff, Format, ReadError, ReadOutcome, SourceDocument};

fn ok(name: &str, format: Format, bytes: &[u8]) -> ReadOutcome {
    read(name, format, bytes).unwrap_or_else(|e| panic!("{name}: unexpected error: {e}"))
}

fn warnings(out: &ReadOutcome) -> Vec<String> {
    out.warnings.iter().map(ToString::to_string).collect()
}

fn doc(id: Option<&str>, text: &str, date: Option<&str>, line: usize) -> SourceDocument {
    SourceDocument {
        id: id.map(String::from),
        text: text.to_string(),
        date: date.map(String::from),
        line,
        ..SourceDocument::default()
    }
}

// ---------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------

#[test]
fn format_by_extension() {
    let cases = [
        ("a.txt", Some(Format::Text)),
        ("dir/b.TEXT", Some(Format::Text)),
        ("notes.md", Some(Format::Text)),
        ("c.jsonl", Some(Format::Jsonl)),
        ("c.ndjson", Some(Format::Jsonl)),
        ("d.CSV", Some(Format::Csv)),
        ("e.html", Some(Format::Html)),
        ("e.htm", Some(Format::Html)),
        ("e.xhtml", Some(Format::Html)),
        ("C:\\news\\f.Html", Some(Format::Html)),
        ("archive.tar.gz", None),
        ("README", None),
        (".txt", None),
        ("data.json", None),
        ("folder.csv/file", None),
    ];
    for (name, expected) in cases {
        assert_eq!(format_of(name), expected, "{name}");
    }
}

#[test]
fn sniffing_standard_input() {
    assert_eq!(sniff(b"  \n{\"text\": \"x\"}\n"), Format::Jsonl);
    assert_eq!(sniff(b"\xEF\xBB\xBF{\"text\": \"x\"}"), Format::Jsonl);
    assert_eq!(sniff(b"<!DOCTYPE html><html></html>"), Format::Html);
    assert_eq!(sniff(b"\n<HTML lang=en>"), Format::Html);
    assert_eq!(sniff(b"<p>a fragment</p>"), Format::Text);
    assert_eq!(sniff(b"The army seized power."), Format::Text);
    assert_eq!(sniff(b""), Format::Text);
    assert_eq!(sniff(b"id,text\n1,x\n"), Format::Text);
}

// ---------------------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------------------

#[test]
fn text_is_one_document_without_its_bom() {
    let out = ok("report.txt", Format::Text, "\u{FEFF}Talks resumed in Cairo.\nBoth sides attended.\n".as_bytes());
    assert_eq!(out.documents, [doc(None, "Talks resumed in Cairo.\nBoth sides attended.\n", None, 0)]);
    assert!(out.warnings.is_empty());
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning_naming_file_and_line() {
    let out = ok("broken.txt", Format::Text, b"First line.\nThe army \xff\xfe seized power.\n");
    assert_eq!(out.documents[0].text, "First line.\nThe army \u{FFFD}\u{FFFD} seized power.\n");
    assert_eq!(warnings(&out), ["broken.txt:2: invalid UTF-8, replaced by U+FFFD"]);
}

#[test]
fn latin1_text_is_text_not_binary() {
    let out =
        ok("old.txt", Format::Text, b"Le ministre a d\xe9clar\xe9 que les n\xe9gociations reprendront \xe0 Gen\xe8ve.");
    assert_eq!(out.documents.len(), 1);
    assert_eq!(warnings(&out), ["old.txt:1: invalid UTF-8, replaced by U+FFFD"]);
}

#[test]
fn empty_and_blank_input_give_no_document_and_a_warning() {
    for (format, name) in
        [(Format::Text, "x.txt"), (Format::Jsonl, "x.jsonl"), (Format::Csv, "x.csv"), (Format::Html, "x.html")]
    {
        for bytes in [&b""[..], b"  \n\r\n\t", b"\xEF\xBB\xBF", " \n\t\r\n\u{0}\u{7}\u{200B} \n".as_bytes()] {
            let out = ok(name, format, bytes);
            assert!(out.documents.is_empty() && out.empty, "{name} {bytes:?}");
            assert_eq!(warnings(&out), [format!("{name}: empty, no documents")], "{bytes:?}");
        }
    }
}

#[test]
fn binary_input_is_an_error_naming_the_file() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..=255u8).cycle().take(4000));
    for format in [Format::Text, Format::Jsonl, Format::Csv, Format::Html] {
        let err = read("x.bin", format, &png).unwrap_err();
        assert_eq!(err, ReadError::Binary { name: "x.bin".into() });
        assert_eq!(err.to_string(), "x.bin looks like a binary file, not text");
    }
    // No NUL, but mostly control bytes and invalid UTF-8.
    let noise: Vec<u8> = (1..=255u8).filter(|b| *b != b'\n').cycle().take(3000).collect();
    assert!(matches!(read("noise.txt", Format::Text, &noise), Err(ReadError::Binary { .. })));
    // A stray NUL or escape code in text does not make it binary.
    let out = ok("odd.txt", Format::Text, b"Talks\0 resumed \x1b[1min Cairo\x07 on Monday.");
    assert_eq!(out.documents[0].text, "Talks\0 resumed \x1b[1min Cairo\x07 on Monday.");
    // Nor does a NUL after the first 8 KB.
    let mut late = "word ".repeat(2000).into_bytes();
    late.push(0);
    assert_eq!(ok("late.txt", Format::Text, &late).documents.len(), 1);
}

// ---------------------------------------------------------------------------------------
// JSONL
// ---------------------------------------------------------------------------------------

#[test]
fn jsonl_records_with_all_fields() {
    let input = concat!(
        "{\"id\": \"a1\", \"text\": \"Troops crossed the border.\", \"date\": \"2024-05-01T06:00:00Z\", ",
        "\"title\": \"Border crossing\", \"url\": \"https://news.example/a1\", \"source\": \"Wire\"}\r\n",
        "{\"id\": 17, \"text\": \"Talks resumed.\", \"extra\": [1, 2]}\n",
        "\n",
        "   \n",
        "{\"text\": \"No id here.\", \"date\": \"May 2024\", \"id\": null}\n",
    );
    let out = ok("wire.jsonl", Format::Jsonl, input.as_bytes());
    assert!(out.warnings.is_empty(), "{:?}", warnings(&out));
    let first = SourceDocument {
        title: Some("Border crossing".into()),
        url: Some("https://news.example/a1".into()),
        source: Some("Wire".into()),
        ..doc(Some("a1"), "Troops crossed the border.", Some("2024-05-01"), 1)
    };
    assert_eq!(
        out.documents,
        [first, doc(Some("17"), "Talks resumed.", None, 2), doc(None, "No id here.", Some("May 2024"), 5)]
    );
}

#[test]
fn bad_jsonl_lines_are_warnings_and_the_rest_is_read() {
    let input = concat!(
        "{\"id\": \"a\", \"text\": \"The army seized power.\"}\n",
        "this is not json\n",
        "[\"an\", \"array\"]\n",
        "{\"id\": \"no-text\"}\n",
        "{\"text\": 42}\n",
        "{\"text\": \"Rebels attacked the capital.\"\n",
        "\n",
        "{\"text\": \"Talks resumed in Cairo.\"}\n",
        "{\"text\": \"   \"}\n",
    );
    let out = ok("guardian.jsonl", Format::Jsonl, input.as_bytes());
    assert!(!out.empty);
    assert_eq!(
        warnings(&out),
        [
            "guardian.jsonl:2: skipped: not valid JSON (expected ident at column 2)",
            "guardian.jsonl:3: skipped: not a JSON object",
            "guardian.jsonl:4: skipped: no \"text\" string field",
            "guardian.jsonl:5: skipped: no \"text\" string field",
            "guardian.jsonl:6: skipped: not valid JSON (EOF while parsing an object at column 39)",
        ]
    );
    // A blank text is still a record: callers drop it, but numbering stays stable.
    assert_eq!(
        out.documents,
        [
            doc(Some("a"), "The army seized power.", None, 1),
            doc(None, "Talks resumed in Cairo.", None, 8),
            doc(None, "   ", None, 9)
        ]
    );
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

#[test]
fn csv_with_quoted_multiline_fields() {
    let input = concat!(
        "id,date,text,title,url,source,notes\n",
        "n1,2024-03-02,\"The council met in the capital.\n\nIt voted to \"\"suspend\"\" talks, officials said.\",Council vote,https://x.example/1,Daily,ignored\n",
        "n2,,Ships left the harbour.\n",
        "n3,2024-03-04T11:00:00+02:00,\"Second\r\nline\",,,,\n",
    );
    let out = ok("news.csv", Format::Csv, input.as_bytes());
    assert!(out.warnings.is_empty(), "{:?}", warnings(&out));
    let first = SourceDocument {
        title: Some("Council vote".into()),
        url: Some("https://x.example/1".into()),
        source: Some("Daily".into()),
        ..doc(
            Some("n1"),
            "The council met in the capital.\n\nIt voted to \"suspend\" talks, officials said.",
            Some("2024-03-02"),
            2,
        )
    };
    assert_eq!(
        out.documents,
        [
            first,
            doc(Some("n2"), "Ships left the harbour.", None, 5),
            doc(Some("n3"), "Second\r\nline", Some("2024-03-04"), 6)
        ]
    );
}

#[test]
fn csv_with_bom_crlf_and_odd_header_case() {
    let input = "\u{FEFF} ID ;Text\r\n".replace(';', ",")
        + "1,\"Protesters gathered outside parliament.\"\r\n"
        + "2,Police dispersed the crowd.\r\n";
    let out = ok("bom.csv", Format::Csv, input.as_bytes());
    assert!(out.warnings.is_empty(), "{:?}", warnings(&out));
    assert_eq!(
        out.documents,
        [
            doc(Some("1"), "Protesters gathered outside parliament.", None, 2),
            doc(Some("2"), "Police dispersed the crowd.", None, 3)
        ]
    );
}

#[test]
fn csv_without_text_column_is_an_error_at_line_1() {
    let err = read("x.csv", Format::Csv, b"a,b, c \n1,2,3\n").unwrap_err();
    assert_eq!(err.to_string(), "x.csv:1: no `text` column (columns: a, b, c)");
    assert_eq!(err.name(), "x.csv");
    let err = read("y.csv", Format::Csv, b"\n\nfoo\n").unwrap_err();
    assert_eq!(err.to_string(), "y.csv:3: no `text` column (columns: foo)");
}

#[test]
fn csv_rows_without_text_are_warnings_with_their_line() {
    let input = concat!(
        "text,id\n",
        "First report.,a\n",
        ",b\n",
        "\"   \",c\n",
        "only-one-field-row-is-text\n",
        ",\n",
        "\n",
        "Last report.,d\n",
    );
    let out = ok("rows.csv", Format::Csv, input.as_bytes());
    assert_eq!(warnings(&out), ["rows.csv:3: skipped: empty text", "rows.csv:4: skipped: empty text"]);
    assert!(!out.empty);
    assert_eq!(
        out.documents,
        [
            doc(Some("a"), "First report.", None, 2),
            doc(None, "only-one-field-row-is-text", None, 5),
            doc(Some("d"), "Last report.", None, 8)
        ]
    );
    // A short row that lacks the text column altogether.
    let out = ok("short.csv", Format::Csv, b"id,text\nz\n");
    assert_eq!(warnings(&out), ["short.csv:2: skipped: empty text"]);
}

#[test]
fn csv_with_only_a_header_warns() {
    let out = ok("head.csv", Format::Csv, b"id,text\n");
    assert!(out.documents.is_empty() && out.empty);
    assert_eq!(warnings(&out), ["head.csv: no records after the header row, no documents"]);
}
