//! Repository hygiene, checked by `cargo test` so it cannot drift: every `.rs` file under
//! `crates/` opens with a `//!` comment saying what it owns, library and binary sources
//! do not call `.unwrap()` outside test code, and the top-level documents exist.

use std::path::{Path, PathBuf};

/// The workspace root (this crate lives in `crates/annals-cli`).
fn root() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Every `.rs` file under `dir`, sorted, skipping `target/` and hidden folders.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("cannot list {}: {e}", d.display()));
        for entry in entries {
            let path = entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", d.display())).path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if path.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    stack.push(path);
                }
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// `path` relative to the workspace root, for messages.
fn shown(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let files = rust_files(&root().join("crates"));
    assert!(!files.is_empty(), "no .rs files found under crates/");
    let missing: Vec<String> = files.iter().filter(|f| !read(f).starts_with("//!")).map(|f| shown(f)).collect();
    assert!(
        missing.is_empty(),
        "these files do not start with a `//!` line saying what they own and why:\n  {}",
        missing.join("\n  ")
    );
}

/// Where a `#[cfg(test)]` item ends, scanning from the attribute: the end of its
/// outermost `{ ... }` block, or its `;` when it has no block. Braces in string and
/// character literals and in `//` comments do not count.
struct TestItemSkipper {
    depth: usize,
    opened: bool,
}

impl TestItemSkipper {
    fn new() -> TestItemSkipper {
        TestItemSkipper { depth: 0, opened: false }
    }

    /// Feeds one line; true when the item ended on it.
    fn feed(&mut self, line: &str) -> bool {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '/' if chars.get(i + 1) == Some(&'/') => return false,
                '"' => {
                    // Skip to the closing quote (strings may span lines; good enough for
                    // the test modules this is used on).
                    i += 1;
                    while i < chars.len() && chars[i] != '"' {
                        if chars[i] == '\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
                '\'' => {
                    // A character literal ('x' or '\x'), else a lifetime.
                    if chars.get(i + 1) == Some(&'\\') {
                        i += 2;
                        while i < chars.len() && chars[i] != '\'' {
                            i += 1;
                        }
                    } else if chars.get(i + 2) == Some(&'\'') {
                        i += 2;
                    }
                }
                '{' => {
                    self.depth += 1;
                    self.opened = true;
                }
                '}' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.opened && self.depth == 0 {
                        return true;
                    }
                }
                ';' if !self.opened => return true,
                _ => {}
            }
            i += 1;
        }
        false
    }
}

/// The `(line number, line)` pairs of `src` outside `#[cfg(test)]` items.
fn non_test_lines(src: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut skipping: Option<TestItemSkipper> = None;
    for (i, line) in src.lines().enumerate() {
        if let Some(skipper) = skipping.as_mut() {
            if skipper.feed(line) {
                skipping = None;
            }
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            let mut skipper = TestItemSkipper::new();
            // The item may start, and even end, on the attribute's own line.
            let rest = trimmed.trim_start_matches("#[cfg(test)]");
            let ended_here = !rest.trim().is_empty() && skipper.feed(rest);
            if !ended_here {
                skipping = Some(skipper);
            }
            continue;
        }
        out.push((i + 1, line));
    }
    out
}

#[test]
fn no_unwrap_outside_tests() {
    let crates = root().join("crates");
    let mut found = Vec::new();
    let dirs = std::fs::read_dir(&crates).unwrap_or_else(|e| panic!("cannot list {}: {e}", crates.display()));
    for entry in dirs.flatten() {
        let src = entry.path().join("src");
        if !src.is_dir() {
            continue;
        }
        for file in rust_files(&src) {
            let text = read(&file);
            for (n, line) in non_test_lines(&text) {
                let code = line.trim_start();
                if code.starts_with("//") || line.contains("// allow-unwrap:") {
                    continue;
                }
                if line.contains(".unwrap()") {
                    found.push(format!("{}:{n}: {}", shown(&file), line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "`.unwrap()` in non-test code (handle the error, use `expect` with a reason, or mark \
         the line `// allow-unwrap: why`):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn top_level_documents_exist() {
    let root = root();
    let missing: Vec<&str> = ["README.md", "ARCHITECTURE.md", "Cargo.lock", "models/README.md"]
        .into_iter()
        .filter(|f| !root.join(f).is_file())
        .collect();
    assert!(missing.is_empty(), "missing at the workspace root: {}", missing.join(", "));
}

#[test]
fn test_items_are_skipped() {
    let src = "\
fn a() { x.unwrap(); }
#[cfg(test)]
mod tests {
    fn b() { let c = '{'; let s = \"}}\"; y.unwrap(); } // }
    fn d<'a>(x: &'a str) {}
}
fn e() { z.unwrap(); }
#[cfg(test)]
use std::fmt;
fn f() { w.unwrap(); }
#[cfg(test)] fn g() { v.unwrap(); }
fn h() { u.unwrap(); }
";
    let lines: Vec<usize> =
        non_test_lines(src).into_iter().filter(|(_, l)| l.contains("unwrap")).map(|(n, _)| n).collect();
    assert_eq!(lines, [1, 7, 10, 12]);
}
