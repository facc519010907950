//! Property tests: `analyze` never panics and always returns well-formed spans and
//! sentences, on arbitrary strings, arbitrary bytes (through `decode_lossy`) and a
//! megabyte of text without punctuation.

use annals_text::{analyze, decode_lossy, Document, MAX_SENTENCE_TOKENS};
use proptest::prelude::*;

/// Characters that may stay outside every token: whitespace, controls, invisible
/// format characters.
fn may_be_uncovered(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
        )
}

/// Checks every invariant of `doc` over `text`; returns the first violation.
fn check(text: &str, doc: &Document) -> Result<(), String> {
    let mut prev_end = 0;
    for (k, t) in doc.tokens.iter().enumerate() {
        if t.start >= t.end || t.end > text.len() {
            return Err(format!("token {k} has a bad span {}..{}", t.start, t.end));
        }
        if !text.is_char_boundary(t.start) || !text.is_char_boundary(t.end) {
            return Err(format!("token {k} splits a character"));
        }
        if t.start < prev_end {
            return Err(format!("token {k} overlaps its predecessor"));
        }
        if t.norm.as_deref() == Some("") {
            return Err(format!("token {k} has an empty norm"));
        }
        let surface = &text[t.start..t.end];
        if surface.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("token {k} {surface:?} holds whitespace or a control character"));
        }
        prev_end = t.end;
    }
    // Every visible character belongs to a token.
    let mut tokens = doc.tokens.iter().peekable();
    for (i, c) in text.char_indices() {
        while tokens.peek().is_some_and(|t| t.end <= i) {
            tokens.next();
        }
        let covered = tokens.peek().is_some_and(|t| t.start <= i);
        if !covered && !may_be_uncovered(c) {
            return Err(format!("character {c:?} at {i} is in no token"));
        }
    }
    let mut next = 0;
    for (k, s) in doc.sentences.iter().enumerate() {
        if s.tokens.start != next || s.tokens.is_empty() {
            return Err(format!("sentence {k} does not continue at token {next}"));
        }
        if s.tokens.len() > MAX_SENTENCE_TOKENS {
            return Err(format!("sentence {k} has {} tokens", s.tokens.len()));
        }
        let first = &doc.tokens[s.tokens.start];
        let last = &doc.tokens[s.tokens.end - 1];
        if s.start != first.start || s.end != last.end {
            return Err(format!("sentence {k} span differs from its tokens"));
        }
        next = s.tokens.end;
    }
    if next != doc.tokens.len() {
        return Err(format!("sentences cover {next} of {} tokens", doc.tokens.len()));
    }
    Ok(())
}

/// Text built from pieces that exercise the tokenizer's special cases.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "U.S.",
        "Mr.",
        "Gen.",
        "J.",
        "e.g.",
        "No.",
        "don't",
        "can\u{2019}t",
        "cannot",
        "gonna",
        "it's",
        "parents'",
        "O'Brien",
        "3.5",
        "1,000",
        "2024-05-01",
        "10:30",
        "$5",
        "5%",
        "555-1234",
        "13-17",
        "375mm",
        "1990s",
        "http://example.com/a_(b).",
        "www.x.org,",
        "a@b.co",
        "x@",
        "@user",
        "#tag",
        "#1",
        "e-mail",
        "long-term",
        "--",
        "...",
        "\u{2026}",
        "?!",
        ":)",
        "(",
        ")",
        "\"",
        "\u{201C}",
        "\u{201D}",
        "'",
        "`",
        ".",
        ",",
        ";",
        "-",
        "-5",
        "\u{00AD}",
        "\u{200B}",
        "\u{200D}",
        "\u{200E}",
        "\u{FEFF}",
        "\u{0301}",
        "\u{FE0F}",
        "\u{1F1FA}",
        "\u{1F468}",
        "\u{1F3FD}",
        "\u{3002}",
        "\u{FF21}",
        "\u{FB01}",
        "\u{0000}",
        "\u{0007}",
        "\u{00A0}",
        "\u{2028}",
        "\u{2029}",
        "\r\n",
        "\n",
        "\n\n",
        " ",
        " ",
        " ",
        "\t",
        "word",
        "Word",
        "WORD",
        "the",
        "of",
        "\u{0645}\u{0631}\u{06AF}",
        "\u{05E9}",
        "\u{5317}",
        "\u{D3C9}",
        "\u{FFFD}",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        let doc = analyze(&text);
        prop_assert_eq!(check(&text, &doc), Ok(()));
    }

    #[test]
    fn tricky_strings(text in tricky_text()) {
        let doc = analyze(&text);
        prop_assert_eq!(check(&text, &doc), Ok(()));
    }

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let (text, invalid) = decode_lossy(&bytes);
        prop_assert_eq!(invalid, std::str::from_utf8(&bytes).is_err());
        let doc = analyze(&text);
        prop_assert_eq!(check(&text, &doc), Ok(()));
    }
}

#[test]
fn megabyte_without_punctuation() {
    let words = ["protesters", "gathered", "in", "the", "square", "and", "police", "watched"];
    let mut text = String::with_capacity(1 << 20);
    let mut k = 0;
    while text.len() < 1 << 20 {
        text.push_str(words[k % words.len()]);
        text.push(' ');
        k += 1;
    }
    let doc = analyze(&text);
    assert_eq!(doc.tokens.len(), k);
    assert_eq!(check(&text, &doc), Ok(()));
    assert!(doc.sentences.len() >= k / MAX_SENTENCE_TOKENS);
}

#[test]
fn decode_lossy_flags_invalid_input() {
    let (text, invalid) = decode_lossy(b"caf\xc3\xa9");
    assert_eq!((text.as_ref(), invalid), ("caf\u{e9}", false));
    assert!(matches!(text, std::borrow::Cow::Borrowed(_)));
    let (text, invalid) = decode_lossy(b"bad \xff byte");
    assert_eq!((text.as_ref(), invalid), ("bad \u{FFFD} byte", true));
}

/// Inputs built to trigger quadratic behaviour if any scan were repeated per
/// character; each must finish (quickly) with valid output.
#[test]
fn adversarial_inputs() {
    let n = 1 << 18;
    let inputs = [
        format!("http://x.org/{}", ")".repeat(n)),
        format!("a@b.{}", "c.".repeat(n / 2)),
        "1-".repeat(n / 2),
        "a.".repeat(n / 2),
        ".".repeat(n),
        "don't".repeat(n / 5),
        "x".repeat(n) + ".",
        "\u{200D}\u{1F468}".repeat(n / 4),
        "\u{1F1FA}".repeat(n / 4),
        "\u{0301}".repeat(n / 2),
        "\n".repeat(n),
        "(".repeat(n),
        "Mr. ".repeat(n / 4),
        "5mm".repeat(n / 3),
    ];
    for text in &inputs {
        let doc = analyze(text);
        assert_eq!(check(text, &doc), Ok(()), "input starting {:?}", &text[..20]);
    }
}
