//! Helpers shared by the integration tests of the `annals` binary: running it with
//! arguments and standard input, as a user would.

use std::ffi::OsStr;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Runs `annals ARGS`, feeding `stdin` to standard input, and returns what it printed.
pub fn run_annals<S: AsRef<OsStr>>(args: &[S], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start the annals binary");
    let input = stdin.to_vec();
    let mut pipe = child.stdin.take().expect("stdin is piped");
    // Write from another thread so that a large input cannot deadlock against output.
    let writer = std::thread::spawn(move || {
        // The binary may exit without reading (usage errors): a broken pipe is fine.
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("cannot wait for annals");
    writer.join().expect("stdin writer thread panicked");
    out
}

/// A file of `../shared`, or None with a message when it is absent; a failure when
/// ANNALS_REQUIRE_SHARED=1 (CI).
#[allow(dead_code)] // not every test file reads ../shared
pub fn shared(path: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(path);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("ANNALS_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("{} is missing and ANNALS_REQUIRE_SHARED=1", p.display());
    }
    eprintln!("skipped: {} not found", p.display());
    None
}
