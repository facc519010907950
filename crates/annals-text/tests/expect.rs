//! Expected-output tests: each `test_data/*.txt` is analyzed and compared with the
//! `*.tokens` file beside it (one sentence per line, tokens separated by spaces,
//! `surface→norm` where the normalized form differs, invisible characters escaped).
//! Run with `UPDATE_EXPECT=1` to rewrite the expected files after a deliberate change.

use std::fmt::Write;
use std::path::Path;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let invisible = c.is_control()
            || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}');
        if invisible {
            let _ = write!(out, "\\u{{{:X}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

fn render(text: &str) -> String {
    let doc = annals_text::analyze(text);
    let mut out = String::new();
    for s in &doc.sentences {
        let mut first = true;
        for t in doc.tokens.get(s.tokens.clone()).unwrap_or(&[]) {
            if !first {
                out.push(' ');
            }
            first = false;
            let surface = text.get(t.start..t.end).unwrap_or("<bad span>");
            out.push_str(&escape(surface));
            if let Some(norm) = &t.norm {
                out.push('→');
                out.push_str(&escape(norm));
            }
        }
        out.push('\n');
    }
    out
}

#[test]
fn expected_tokens() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut inputs: Vec<_> =
        std::fs::read_dir(&dir).map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
    inputs.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    let mut failures = Vec::new();
    for input in inputs {
        let text = std::fs::read_to_string(&input).unwrap_or_default();
        let actual = render(&text);
        let expected_path = input.with_extension("tokens");
        if update {
            std::fs::write(&expected_path, &actual).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            let mut diff = String::new();
            for (k, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
                if e != a {
                    let _ = writeln!(diff, "line {}:\n  expected: {e}\n  actual:   {a}", k + 1);
                }
            }
            let (ne, na) = (expected.lines().count(), actual.lines().count());
            if ne != na {
                let _ = writeln!(diff, "expected {ne} lines, got {na}");
            }
            failures.push(format!("{}:\n{diff}", expected_path.display()));
        }
    }
    assert!(failures.is_empty(), "output changed (rerun with UPDATE_EXPECT=1 to accept):\n{}", failures.join("\n"));
}
