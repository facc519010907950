//! The read stage through the binary: `annals actors` reads its documents with the same
//! code as every command, so these tests run it on folders, CSV, HTML, JSONL, empty and
//! binary files, and check the documents it reports, the warnings naming file and line,
//! and the exit status.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

/// A scratch folder under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("annals-read-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("cannot create a temp dir");
        TempDir(dir)
    }

    /// Writes `bytes` to `name` (which may name a subfolder) and returns its path.
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("cannot create a folder");
        }
        std::fs::write(&p, bytes).expect("cannot write a test file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What one run of `annals actors PATHS` printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The `id` of each document, in output order.
    fn ids(&self) -> Vec<String> {
        self.stdout
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
                v["id"].as_str().expect("an id").to_string()
            })
            .collect()
    }

    fn warnings(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.starts_with("warning: ")).collect()
    }
}

fn actors(paths: &[&Path], stdin: &[u8]) -> Run {
    let mut args = vec![Path::new("actors")];
    args.extend_from_slice(paths);
    let out: Output = common::run_annals(&args, stdin);
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "the binary panicked: {}", run.stderr);
    run
}

const PAGE: &str = r#"<!doctype html>
<html><head>
<title>Ministers meet | Harbour Gazette</title>
<meta name="date" content="2024-09-12T10:00:00Z">
</head><body>
<nav><a href="/">Front page</a> <a href="/region">Region</a> <a href="/sport">Sport</a></nav>
<article>
<p>The foreign ministers of Norland and Estmark met in the border town of Kell on Wednesday to discuss the reopening of the railway between the two countries.</p>
<p>Both ministers said the talks had been useful and that experts would meet again in October to agree on a timetable.</p>
</article>
<footer>Harbour Gazette, all rights reserved.</footer>
</body></html>
"#;

#[test]
fn a_folder_with_text_csv_and_html_gives_three_documents() {
    let dir = TempDir::new("folder");
    dir.file("news/a-report.txt", "Police arrested two protesters in the capital on Monday.\n");
    dir.file(
        "news/b-wire.csv",
        "ID,Text,Date\nw1,\"Troops withdrew from the northern province,\nofficials said.\",2024-09-10\n",
    );
    dir.file("news/sub/c-page.html", PAGE);
    // Not read: hidden files and unknown extensions inside folders.
    dir.file("news/.hidden.txt", "Secret note that must not be read.");
    dir.file("news/notes.docx", "not a document");
    let run = actors(&[&dir.0.join("news")], b"");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.ids(), ["a-report", "w1", "c-page"], "{}\n{}", run.stdout, run.stderr);
    assert!(run.warnings().is_empty(), "{}", run.stderr);
}

#[test]
fn csv_without_text_column_exits_1_naming_file_and_line_1() {
    let dir = TempDir::new("notext");
    let path = dir.file("table.csv", "id,body\n1,Rebels attacked the capital.\n");
    let run = actors(&[&path], b"");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "not one line: {}", run.stderr);
    assert!(run.stderr.starts_with("annals: error: "), "{}", run.stderr);
    assert!(run.stderr.contains("table.csv:1: no `text` column (columns: id, body)"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn binary_file_alone_exits_1_naming_it_and_is_skipped_among_others() {
    let dir = TempDir::new("binary");
    let bin = dir.file("photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0");
    let run = actors(&[&bin], b"");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("photo.txt looks like a binary file, not text"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);

    // Among several inputs it is a warning and the others are read.
    let text = dir.file("story.txt", "The parliament of Norland approved the budget.\n");
    let run = actors(&[&bin, &text], b"");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.ids(), ["story"]);
    assert_eq!(run.warnings().len(), 1, "{}", run.stderr);
    assert!(run.warnings()[0].contains("photo.txt looks like a binary file"), "{}", run.stderr);

    // When nothing at all is read it is an error again.
    let page = dir.file("menu.html", "<html><body><nav><a href=/>Home</a></nav></body></html>");
    let run = actors(&[&bin, &page], b"");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("annals: error: no documents in 2 inputs (2 unreadable"), "{}", run.stderr);
}

#[test]
fn a_bad_jsonl_line_warns_with_file_and_line_and_the_rest_is_read() {
    let dir = TempDir::new("jsonl");
    let path = dir.file(
        "feed.jsonl",
        concat!(
            "{\"id\": \"first\", \"text\": \"Negotiators met in Geneva.\"}\n",
            "{\"id\": \"broken\", \"text\": \n",
            "{\"text\": \"Talks ended without agreement.\"}\n",
        ),
    );
    let run = actors(&[&path], b"");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.ids(), ["first", "feed-3"]);
    assert_eq!(run.warnings().len(), 1, "{}", run.stderr);
    assert!(run.warnings()[0].contains("feed.jsonl:2: skipped: not valid JSON"), "{}", run.stderr);
}

#[test]
fn an_empty_file_exits_0_with_a_warning() {
    let dir = TempDir::new("empty");
    let path = dir.file("nothing.txt", "");
    let run = actors(&[&path], b"");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(run.warnings(), [format!("warning: {}: empty, no documents", path.display())]);
}

#[test]
fn standard_input_is_sniffed_and_named_stdin() {
    let run = actors(&[], b"The army seized power in the capital.\n");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.ids(), ["stdin-1"]);
    let jsonl = b"{\"text\": \"Rebels attacked a convoy.\"}\n{\"id\": 9, \"text\": \"The convoy turned back.\"}\n";
    let run = actors(&[Path::new("-")], jsonl);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.ids(), ["stdin-1", "9"]);
    let run = actors(&[], PAGE.as_bytes());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.ids(), ["stdin-1"]);
}

#[test]
fn an_explicit_file_with_an_unknown_extension_is_text() {
    let dir = TempDir::new("unknown");
    let path = dir.file("dispatch.eml", "The embassy in Kell reopened on Friday.\n");
    let run = actors(&[&path], b"");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.ids(), ["dispatch"]);
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let dir = TempDir::new("missing");
    let real = dir.file("real.txt", "Talks resumed.\n");
    let run = actors(&[&real, &dir.0.join("gone.csv")], b"");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("gone.csv"), "{}", run.stderr);
}
