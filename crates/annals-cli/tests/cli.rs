//! End-to-end tests of the `annals` binary: exit statuses, messy input (bad UTF-8, bad
//! JSONL lines, control characters, non-Latin scripts), the shape of the CoNLL-U it
//! writes, and a training smoke run; they run the built executable so that they see
//! exactly what a user sees, flags and error messages included.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// What one run of the binary produced.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Panics with the whole run in the message unless the exit status is `code`.
    fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "unexpected exit status: {self:#?}");
        self
    }

    fn expect_no_panic(&self) -> &Self {
        assert!(!self.stderr.contains("panicked"), "the binary panicked: {}", self.stderr);
        self
    }
}

/// Runs `annals ARGS`, feeding `stdin` (or nothing) to standard input.
fn annals<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: Option<&[u8]>) -> Run {
    let out = common::run_annals(args, stdin.unwrap_or_default());
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("annals wrote invalid UTF-8 to stdout"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `annals parse` over standard input; must succeed without panicking.
fn parse_stdin(text: &str) -> Run {
    let run = annals(&["parse"], Some(text.as_bytes()));
    run.expect_no_panic().expect_code(0);
    run
}

/// A scratch folder under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("annals-cli-test-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("cannot create a temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `bytes` to `name` inside the folder and returns its path.
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).expect("cannot write a test file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One token line of CoNLL-U output.
#[derive(Debug, Clone)]
struct Word {
    id: String,
    form: String,
    upos: String,
    head: usize,
    deprel: String,
    misc: String,
}

/// One sentence of CoNLL-U output.
#[derive(Debug, Clone, Default)]
struct Sent {
    comments: Vec<String>,
    /// Every token line, multiword ranges included, in order.
    lines: Vec<Word>,
}

impl Sent {
    fn comment(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| c.strip_prefix(key)?.trim_start().strip_prefix('=').map(str::trim))
    }

    fn text(&self) -> &str {
        self.comment("text").unwrap_or("")
    }

    /// The syntactic words (integer ids).
    fn words(&self) -> Vec<&Word> {
        self.lines.iter().filter(|w| w.id.parse::<usize>().is_ok()).collect()
    }

    fn forms(&self) -> Vec<&str> {
        self.words().iter().map(|w| w.form.as_str()).collect()
    }
}

/// Characters that separate tokens and do not survive into forms: whitespace, control
/// characters and the zero-width space.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_control() || c == '\u{200B}'
}

/// Invisible format characters: byte order mark, soft hyphen, zero-width (non-)joiners,
/// directional marks, embeddings and isolates.
fn is_format(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200C}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// `s` with every run of separators turned into one space, trimmed.
fn squash(s: &str) -> String {
    s.split(is_separator).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Parses CoNLL-U output and panics (with the offending sentence) unless it is well
/// formed: `# sent_id` and `# text` on every sentence, 10 tab-separated columns, ids
/// 1..n, heads in range, exactly one root, a tree (no cycles), and the surface tokens
/// with their `SpaceAfter=No` rebuild `# text` up to whitespace (and invisible format
/// characters).
fn check_conllu(out: &str) -> Vec<Sent> {
    let mut sents = Vec::new();
    for block in out.split("\n\n") {
        let lines: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
        if lines.is_empty() {
            continue;
        }
        let mut s = Sent::default();
        for line in &lines {
            if let Some(c) = line.strip_prefix('#') {
                s.comments.push(c.trim_start().to_string());
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 10, "not 10 tab-separated columns: {line:?}\nin:\n{block}");
            let head = if cols[6] == "_" {
                usize::MAX
            } else {
                cols[6].parse().unwrap_or_else(|_| panic!("bad HEAD in {line:?}"))
            };
            s.lines.push(Word {
                id: cols[0].to_string(),
                form: cols[1].to_string(),
                upos: cols[3].to_string(),
                head,
                deprel: cols[7].to_string(),
                misc: cols[9].to_string(),
            });
        }
        if s.lines.is_empty() {
            // A document without sentences leaves only its `# newdoc` line behind.
            assert!(
                s.comments.iter().all(|c| c.starts_with("newdoc")),
                "comment-only block that is not a bare # newdoc:\n{block}"
            );
            continue;
        }
        assert!(s.comment("sent_id").is_some_and(|v| !v.is_empty()), "no # sent_id:\n{block}");
        assert!(s.comment("text").is_some(), "no # text:\n{block}");
        let words = s.words();
        let n = words.len();
        assert!(n > 0, "no words:\n{block}");
        for (i, w) in words.iter().enumerate() {
            assert_eq!(w.id, (i + 1).to_string(), "word ids out of sequence:\n{block}");
            assert!(w.head <= n, "HEAD {} beyond {} words:\n{block}", w.head, n);
            assert_ne!(w.head, i + 1, "word {} is its own head:\n{block}", i + 1);
            assert!(!w.form.is_empty() && w.form != "_", "empty form:\n{block}");
            assert!(!w.upos.is_empty() && w.upos != "_", "no UPOS:\n{block}");
            assert!(!w.deprel.is_empty() && w.deprel != "_", "no DEPREL:\n{block}");
        }
        let roots: Vec<usize> = (0..n).filter(|&i| words[i].head == 0).collect();
        assert_eq!(roots.len(), 1, "not exactly one root:\n{block}");
        // Every word reaches the root within n steps: no cycles.
        for start in 0..n {
            let (mut at, mut steps) = (start + 1, 0);
            while at != 0 {
                at = words[at - 1].head;
                steps += 1;
                assert!(steps <= n, "cycle through word {}:\n{block}", start + 1);
            }
        }
        // The surface tokens rebuild the text. Tokens are the multiword ranges plus the
        // words outside them.
        let mut rebuilt = String::new();
        let mut covered_to = 0;
        for w in &s.lines {
            if let Some((a, b)) = w.id.split_once('-') {
                let a: usize = a.parse().unwrap_or_else(|_| panic!("bad range {}", w.id));
                let b: usize = b.parse().unwrap_or_else(|_| panic!("bad range {}", w.id));
                assert!(a <= b && b <= n, "bad range {}:\n{block}", w.id);
                covered_to = b;
            } else if w.id.parse::<usize>().is_ok_and(|id| id <= covered_to) {
                continue;
            }
            rebuilt.push_str(&w.form);
            if !w.misc.split('|').any(|m| m == "SpaceAfter=No") {
                rebuilt.push(' ');
            }
        }
        // Invisible format characters between tokens belong to no token.
        let visible = |s: &str| squash(&s.replace(is_format, ""));
        assert_eq!(visible(&rebuilt), visible(s.text()), "tokens do not rebuild # text:\n{block}");
        sents.push(s);
    }
    sents
}

/// The `# newdoc id` values of CoNLL-U output, in order.
fn newdoc_ids(out: &str) -> Vec<String> {
    out.lines().filter_map(|l| l.strip_prefix("# newdoc id = ")).map(str::to_string).collect()
}

/// The folder holding the UD English treebanks, or `None` (after saying so) when absent;
/// panics instead when `ANNALS_REQUIRE_SHARED=1`.
fn ud_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ud");
    if dir.join("en_ewt-ud-train.conllu").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("ANNALS_REQUIRE_SHARED").as_deref() != Ok("1"),
        "ANNALS_REQUIRE_SHARED=1 but {} is missing",
        dir.display()
    );
    eprintln!("skipping: {} not found", dir.display());
    None
}

/// A small hand-written, fully annotated CoNLL-U file (three sentences, one multiword
/// token).
const GOLD: &str = "\
# sent_id = t-1
# text = The army seized power.
1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_
2\tarmy\tarmy\tNOUN\tNN\t_\t3\tnsubj\t_\t_
3\tseized\tseize\tVERB\tVBD\t_\t0\troot\t_\t_
4\tpower\tpower\tNOUN\tNN\t_\t3\tobj\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

# sent_id = t-2
# text = Rebels don't negotiate.
1\tRebels\trebel\tNOUN\tNNS\t_\t4\tnsubj\t_\t_
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_
4\tnegotiate\tnegotiate\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_

# sent_id = t-3
# text = Talks resumed in Cairo on Monday.
1\tTalks\ttalk\tNOUN\tNNS\t_\t2\tnsubj\t_\t_
2\tresumed\tresume\tVERB\tVBD\t_\t0\troot\t_\t_
3\tin\tin\tADP\tIN\t_\t4\tcase\t_\t_
4\tCairo\tCairo\tPROPN\tNNP\t_\t2\tobl\t_\t_
5\ton\ton\tADP\tIN\t_\t6\tcase\t_\t_
6\tMonday\tMonday\tPROPN\tNNP\t_\t2\tobl:tmod\t_\tSpaceAfter=No
7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

";

// ---------------------------------------------------------------------------------------
// Command line: help and usage errors
// ---------------------------------------------------------------------------------------

#[test]
fn help_works_for_every_command() {
    let commands: &[&[&str]] = &[
        &[],
        &["parse"],
        &["train"],
        &["train", "tagger"],
        &["train", "lemmatizer"],
        &["train", "parser"],
        &["train", "all"],
        &["eval"],
        &["eval", "conllu"],
        &["eval", "sentences"],
        &["actor"],
        &["actors"],
    ];
    for cmd in commands {
        let mut args: Vec<&str> = cmd.to_vec();
        args.push("--help");
        let run = annals(&args, None);
        assert_eq!(run.code, Some(0), "annals {} --help: {run:#?}", cmd.join(" "));
        assert!(run.stdout.contains("Usage"), "annals {} --help prints no usage: {run:#?}", cmd.join(" "));
    }
}

#[test]
fn usage_errors_exit_2() {
    let cases: &[&[&str]] = &[
        &["--no-such-flag"],
        &["no-such-command"],
        &["parse", "--no-such-flag"],
        &["train", "no-such-model"],
        &["eval", "no-such-thing"],
        &["eval", "conllu"],
        &["parse", "--threads", "many"],
        &[],
    ];
    for args in cases {
        let run = annals(args, None);
        assert_eq!(run.code, Some(2), "annals {}: {run:#?}", args.join(" "));
        assert!(!run.stderr.is_empty(), "annals {} printed no error", args.join(" "));
        run.expect_no_panic();
    }
}

// ---------------------------------------------------------------------------------------
// Input handling
// ---------------------------------------------------------------------------------------

#[test]
fn invalid_utf8_is_a_warning() {
    let dir = TempDir::new("utf8");
    let path = dir.file("broken.txt", b"The army \xff\xfe seized power in 1988.\nTalks resumed.\n");
    let run = annals(&[Path::new("parse"), &path], None);
    run.expect_no_panic().expect_code(0);
    assert!(
        run.stderr.contains("warning") && run.stderr.contains("broken.txt"),
        "no warning naming the file: {}",
        run.stderr
    );
    let sents = check_conllu(&run.stdout);
    assert!(!sents.is_empty(), "no sentences: {}", run.stdout);
    assert!(run.stdout.contains("seized"), "{}", run.stdout);
}

#[test]
fn empty_file_and_empty_stdin() {
    let dir = TempDir::new("empty");
    let path = dir.file("empty.txt", b"");
    let run = annals(&[Path::new("parse"), &path], None);
    run.expect_no_panic().expect_code(0);
    assert!(check_conllu(&run.stdout).is_empty(), "{}", run.stdout);

    let run = parse_stdin("");
    assert!(check_conllu(&run.stdout).is_empty(), "{}", run.stdout);

    // Whitespace and control characters only: still no sentence and no panic.
    let run = parse_stdin(" \n\t\r\n\u{0}\u{7}\u{200B} \n");
    assert!(check_conllu(&run.stdout).is_empty(), "{}", run.stdout);
}

#[test]
fn jsonl_bad_lines_are_warnings() {
    let dir = TempDir::new("jsonl");
    let jsonl = concat!(
        "{\"id\": \"a\", \"text\": \"The army seized power. The president fled.\"}\n",
        "this is not json\n",
        "{\"text\": \"Rebels attacked the capital.\"}\n",
        "{\"id\": \"no-text\"}\n",
        "\n",
        "{\"id\": 7, \"text\": \"Talks resumed in Cairo.\"}\n",
    );
    let path = dir.file("news.jsonl", jsonl);
    let run = annals(&[Path::new("parse"), &path], None);
    run.expect_no_panic().expect_code(0);
    assert!(run.stderr.contains("news.jsonl:2:"), "no warning for line 2: {}", run.stderr);
    assert!(run.stderr.contains("news.jsonl:4:"), "no warning for line 4: {}", run.stderr);
    assert_eq!(run.stderr.matches("warning").count(), 2, "{}", run.stderr);
    assert_eq!(newdoc_ids(&run.stdout), ["a", "news-3", "7"], "{}", run.stdout);
    let sents = check_conllu(&run.stdout);
    assert_eq!(sents.len(), 4, "{}", run.stdout);
    assert_eq!(sents[0].comment("sent_id"), Some("a-1"));
    assert_eq!(sents[1].comment("sent_id"), Some("a-2"));
}

/// Regression: repeated ids used to give duplicate `# newdoc id` and `# sent_id`, and an
/// empty document a lone `# newdoc id` that stuck to the next document.
#[test]
fn document_ids_are_unique_and_empty_documents_leave_no_trace() {
    let dir = TempDir::new("dupids");
    let jsonl = concat!(
        "{\"id\": \"x\", \"text\": \"Troops crossed the border.\"}\n",
        "{\"id\": \"x\", \"text\": \"   \"}\n",
        "{\"id\": \"x\", \"text\": \"Talks resumed in Doha.\"}\n",
    );
    let path = dir.file("wire.jsonl", jsonl);
    let run = annals(&[Path::new("parse"), &path, &path], None);
    run.expect_no_panic().expect_code(0);
    assert_eq!(newdoc_ids(&run.stdout), ["x", "x-3", "x-4", "x-6"], "{}", run.stdout);
    let sents = check_conllu(&run.stdout);
    let ids: Vec<_> = sents.iter().filter_map(|s| s.comment("sent_id")).collect();
    assert_eq!(ids, ["x-1", "x-3-1", "x-4-1", "x-6-1"], "{}", run.stdout);
}

#[test]
fn missing_input_file_is_a_one_line_error() {
    let dir = TempDir::new("missing");
    let path = dir.path().join("does-not-exist.txt");
    let run = annals(&[Path::new("parse"), &path], None);
    run.expect_no_panic().expect_code(1);
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "not one line: {}", run.stderr);
    assert!(run.stderr.contains("does-not-exist.txt"), "does not name the file: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn reads_standard_input() {
    let run = parse_stdin("The president met the prime minister in Jerusalem.\n");
    let sents = check_conllu(&run.stdout);
    assert_eq!(sents.len(), 1, "{}", run.stdout);
    assert_eq!(sents[0].forms(), ["The", "president", "met", "the", "prime", "minister", "in", "Jerusalem", "."]);
    assert_eq!(newdoc_ids(&run.stdout).len(), 1, "{}", run.stdout);

    // `-` is standard input too.
    let run = annals(&["parse", "-"], Some(b"Rebels attacked the capital."));
    run.expect_no_panic().expect_code(0);
    assert_eq!(check_conllu(&run.stdout).len(), 1, "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

#[test]
fn output_is_well_formed_conllu() {
    let text = "\
Israeli troops withdrew from Gaza on Tuesday, officials said. The U.N. Security \
Council met in New York (at 10:30 a.m.) to discuss a $5 million aid package.

\"We won't accept this,\" the minister told reporters; talks would resume next week.
Protesters in Port-au-Prince, Haiti's capital, clashed with police -- at least 3 people \
were hurt.   Gen. Avril's government didn't comment.
";
    let dir = TempDir::new("wellformed");
    let path = dir.file("report.txt", text);
    let run = annals(&[Path::new("parse"), &path], None);
    run.expect_no_panic().expect_code(0);
    let sents = check_conllu(&run.stdout);
    assert!(sents.len() >= 5, "{}", run.stdout);
    assert_eq!(newdoc_ids(&run.stdout), ["report"]);
    for (i, s) in sents.iter().enumerate() {
        assert_eq!(s.comment("sent_id"), Some(format!("report-{}", i + 1).as_str()));
    }
    // Every non-space character of the input shows up, in order, in the sentences.
    let all: String = sents.iter().map(|s| squash(s.text()).replace(' ', "")).collect();
    assert_eq!(all, text.split_whitespace().collect::<String>());
}

#[test]
fn abbreviations_do_not_split_sentences() {
    for text in [
        "U.S. Secretary of State Antony Blinken met Egyptian officials.",
        "Lt. Gen. Prosper Avril seized power in 1988.",
    ] {
        let run = parse_stdin(text);
        let sents = check_conllu(&run.stdout);
        assert_eq!(sents.len(), 1, "{text:?} split:\n{}", run.stdout);
        assert_eq!(sents[0].text(), text);
    }
    let run = parse_stdin("Mr. Smith went to Washington. He met Dr. Jones.");
    let sents = check_conllu(&run.stdout);
    let texts: Vec<&str> = sents.iter().map(Sent::text).collect();
    assert_eq!(texts, ["Mr. Smith went to Washington.", "He met Dr. Jones."], "{}", run.stdout);
}

/// `needle` occurs as consecutive forms, each but the last marked `SpaceAfter=No`.
fn assert_split(s: &Sent, needle: &[&str]) {
    let words = s.words();
    let found = words.windows(needle.len()).any(|w| {
        w.iter().zip(needle).all(|(w, n)| w.form == *n)
            && w[..needle.len() - 1].iter().all(|w| w.misc.contains("SpaceAfter=No"))
    });
    assert!(found, "{needle:?} not found in {:?}", s.forms());
}

#[test]
fn contractions_and_possessives_split() {
    let run = parse_stdin("They don't trust Israel's army.");
    let sents = check_conllu(&run.stdout);
    assert_eq!(sents.len(), 1, "{}", run.stdout);
    assert_split(&sents[0], &["do", "n't"]);
    assert_split(&sents[0], &["Israel", "'s"]);
    assert_eq!(sents[0].forms(), ["They", "do", "n't", "trust", "Israel", "'s", "army", "."]);
}

#[test]
fn curly_apostrophes_keep_their_surface_form() {
    // The models see `n't`, but FORM must be the text's own characters so that the
    // tokens rebuild `# text` (checked by `check_conllu`).
    let run = parse_stdin("They don\u{2019}t trust Israel\u{2019}s \u{201C}peace plan\u{201D}.");
    let sents = check_conllu(&run.stdout);
    assert_eq!(sents.len(), 1, "{}", run.stdout);
    assert_split(&sents[0], &["do", "n\u{2019}t"]);
    assert_split(&sents[0], &["Israel", "\u{2019}s"]);
}

#[test]
fn messy_text_never_fails() {
    let inputs = [
        "Control\u{0}characters\u{7} in\u{1b}[31m the\u{8} text\u{c} and a\u{b}tab\tsplit. Next one.",
        "\u{feff}A byte order mark, a soft\u{ad}hyphen and zero\u{200B}width\u{200D}joiners.",
        "مصر وإسرائيل وقعتا اتفاقية سلام في واشنطن. الرئيس السادات وقع.",
        "ישראל ומצרים חתמו על הסכם שלום.",
        "中国和日本的外长在北京举行会谈。双方同意加强合作。",
        "東京で会談が行われた。ＡＢＣ１２３　全角テキスト。",
        "Protesters 🔥🔥 chanted 👍🏽 outside the embassy 🇺🇸! Police responded 👮‍♀️.",
        "Mixed: Netanyahu (נתניהו) met Sisi (السيسي) and Xi (习近平) — 🤝.",
        "\u{202E}reversed\u{202C} text, combining e\u{301}\u{301}\u{301} marks, and \u{FFFD}\u{FFFD}.",
        "a",
        ".",
        "!!!???...",
        "\u{1F600}",
    ];
    for text in inputs {
        let run = parse_stdin(text);
        let sents = check_conllu(&run.stdout);
        assert!(!sents.is_empty(), "{text:?} gave no sentence:\n{}", run.stdout);
        // Invisible format characters may fall outside sentences; nothing else may.
        let visible = |s: &str| -> String { s.chars().filter(|&c| !is_separator(c) && !is_format(c)).collect() };
        let all: String = sents.iter().map(|s| visible(s.text())).collect();
        assert_eq!(all, visible(text), "{text:?} lost text:\n{}", run.stdout);
    }
    // A long line without any sentence end is cut, not fed whole to the parser.
    let long = "word ".repeat(5000);
    let run = parse_stdin(&long);
    let sents = check_conllu(&run.stdout);
    assert!(sents.len() > 1, "a 5000-word line stayed one sentence");
}

// ---------------------------------------------------------------------------------------
// CoNLL-U input and evaluation
// ---------------------------------------------------------------------------------------

#[test]
fn conllu_in_keeps_words_and_fills_predictions() {
    // Strip the gold annotation: only ids, forms and the multiword token remain.
    let bare: String = GOLD
        .lines()
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            if cols.len() == 10 {
                format!("{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}\n", cols[0], cols[1], cols[9])
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let dir = TempDir::new("conllu-in");
    let path = dir.file("bare.conllu", &bare);
    let run = annals(&[Path::new("parse"), Path::new("--conllu-in"), &path], None);
    run.expect_no_panic().expect_code(0);
    let out = check_conllu(&run.stdout);
    let want = check_lines(&bare);
    assert_eq!(out.len(), want.len(), "{}", run.stdout);
    for (o, w) in out.iter().zip(&want) {
        assert_eq!(o.comments, w.comments);
        let ids = |s: &Sent| s.lines.iter().map(|w| (w.id.clone(), w.form.clone())).collect::<Vec<_>>();
        assert_eq!(ids(o), ids(w), "words changed:\n{}", run.stdout);
    }
}

/// The sentences and token lines of CoNLL-U without checking annotation.
fn check_lines(text: &str) -> Vec<Sent> {
    text.split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .map(|b| {
            let mut s = Sent::default();
            for l in b.lines() {
                if let Some(c) = l.strip_prefix('#') {
                    s.comments.push(c.trim_start().to_string());
                } else {
                    let cols: Vec<&str> = l.split('\t').collect();
                    s.lines.push(Word {
                        id: cols[0].to_string(),
                        form: cols[1].to_string(),
                        upos: String::new(),
                        head: 0,
                        deprel: String::new(),
                        misc: String::new(),
                    });
                }
            }
            s
        })
        .collect()
}

#[test]
fn eval_conllu_scores_identical_files_100() {
    let dir = TempDir::new("eval");
    let gold = dir.file("gold.conllu", GOLD);
    let pred = dir.file("pred.conllu", GOLD);
    let run = annals(&[Path::new("eval"), Path::new("conllu"), &gold, Path::new("--pred"), &pred], None);
    run.expect_no_panic().expect_code(0);
    let value = |key: &str| {
        run.stdout
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('\t'))
            .unwrap_or_else(|| panic!("no {key} in {}", run.stdout))
            .to_string()
    };
    assert_eq!(value("sentences"), "3");
    assert_eq!(value("words"), "17");
    for key in ["UPOS", "XPOS", "Lemma", "UAS", "LAS", "LAS-full"] {
        assert_eq!(value(key), "100.00", "{key}: {}", run.stdout);
    }
}

#[test]
fn eval_runs_the_models_on_gold_words() {
    let dir = TempDir::new("eval-models");
    let gold = dir.file("gold.conllu", GOLD);
    let run = annals(&[Path::new("eval"), Path::new("conllu"), &gold], None);
    run.expect_no_panic().expect_code(0);
    assert!(run.stdout.lines().any(|l| l.starts_with("LAS\t")), "{}", run.stdout);
    let run = annals(&[Path::new("eval"), Path::new("sentences"), &gold], None);
    run.expect_no_panic().expect_code(0);
    assert!(run.stdout.lines().any(|l| l.starts_with("F1\t")), "{}", run.stdout);
}

#[test]
fn malformed_conllu_names_file_and_line() {
    let dir = TempDir::new("malformed");
    let bad = dir.file("bad.conllu", "# sent_id = x-1\n# text = Talks resumed.\n1\tTalks\ttalk\tNOUN\tNNS\n");
    let good = dir.file("good.conllu", GOLD);
    let runs = [
        annals(&[Path::new("eval"), Path::new("conllu"), &bad, Path::new("--pred"), &good], None),
        annals(&[Path::new("eval"), Path::new("conllu"), &good, Path::new("--pred"), &bad], None),
        annals(&[Path::new("eval"), Path::new("sentences"), &bad], None),
        annals(&[Path::new("parse"), Path::new("--conllu-in"), &bad], None),
    ];
    for run in runs {
        run.expect_no_panic().expect_code(1);
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "not one line: {}", run.stderr);
        assert!(
            run.stderr.contains("bad.conllu") && run.stderr.contains("line 3"),
            "does not name file and line: {}",
            run.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------
// Training
// ---------------------------------------------------------------------------------------

#[test]
fn train_all_smoke() {
    let Some(ud) = ud_dir() else { return };
    let dir = TempDir::new("train");
    let models = dir.path().join("models");
    let dev = dir.file("dev.conllu", GOLD);
    let start = std::time::Instant::now();
    let run = annals(
        &[
            Path::new("train"),
            Path::new("all"),
            Path::new("--ud-dir"),
            &ud,
            Path::new("--train"),
            &ud.join("en_ewt-ud-train.conllu"),
            Path::new("--dev"),
            &dev,
            Path::new("--limit"),
            Path::new("200"),
            Path::new("--epochs"),
            Path::new("2"),
            Path::new("--jackknife"),
            Path::new("0"),
            Path::new("--out"),
            &models,
        ],
        None,
    );
    run.expect_no_panic().expect_code(0);
    eprintln!("train all --limit 200: {:.1?}", start.elapsed());
    assert!(run.stderr.contains("training on 200 sentences"), "{}", run.stderr);
    assert!(run.stderr.contains("dev ") && run.stderr.contains("LAS"), "no dev report: {}", run.stderr);
    for name in ["tagger.bin", "lemmatizer.bin", "parser.bin"] {
        let len = std::fs::metadata(models.join(name)).map(|m| m.len()).unwrap_or(0);
        assert!(len > 0, "{name} missing or empty");
    }
    let run = annals(
        &[Path::new("parse"), Path::new("--models"), &models],
        Some(b"The army seized power in 1988. Talks resumed."),
    );
    run.expect_no_panic().expect_code(0);
    assert_eq!(check_conllu(&run.stdout).len(), 2, "{}", run.stdout);

    // A folder without models is a one-line runtime error.
    let run = annals(&[Path::new("parse"), Path::new("--models"), dir.path()], Some(b"Hello."));
    run.expect_no_panic().expect_code(1);
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
}

/// Regression: `--conllu-in -` read a file named "-" instead of standard input.
#[test]
fn conllu_in_reads_standard_input() {
    let input = "1\tPeace\t_\t_\t_\t_\t2\tnsubj\t_\t_\n2\tholds\t_\t_\t_\t_\t0\troot\t_\t_\n\n";
    let run = annals(&["parse", "--conllu-in", "-"], Some(input.as_bytes()));
    run.expect_no_panic().expect_code(0);
    let forms: Vec<&str> = run.stdout.lines().filter_map(|l| l.split('\t').nth(1)).collect();
    assert_eq!(forms, ["Peace", "holds"], "{}", run.stdout);
}
