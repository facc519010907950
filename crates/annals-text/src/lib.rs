//! Raw text to sentences and tokens whose offsets point into the original text.
//!
//! This crate owns the first stage of annals: it never fails on messy text and never
//! allocates a copy of the document. Tokens are byte spans into the caller's `&str`;
//! a token carries a normalized form only when it differs from its span (curly
//! apostrophes, compatibility characters), so downstream models see one spelling.
//!
//! - `token.rs`: the UD English (EWT-style) tokenizer.
//! - `normalize.rs`: character classes and the `norm` of a token.
//! - `lexicon.rs`: the word lists of `data/` (abbreviations, prefixes, contractions).
//! - `sentence.rs` and `boundary.rs`: the sentence splitter and its boundary model;
//!   `trainer.rs` retrains the model (see `examples/train_boundary.rs`).
//! - [`eval`]: scores against UD treebanks (token and sentence-boundary F1).

use std::borrow::Cow;
use std::ops::Range;

mod boundary;
pub mod eval;
mod lexicon;
mod normalize;
mod sentence;
mod token;
pub mod trainer;

pub use sentence::split_sentences;
pub use token::tokenize;

/// One token: a byte span `[start, end)` into the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// The normalized form, present only when it differs from `text[start..end]`.
    pub norm: Option<Box<str>>,
    /// Whether whitespace follows the token in the original text.
    pub space_after: bool,
}

impl Token {
    /// The form models see: the normalized form, or the original span.
    pub fn form<'a>(&'a self, text: &'a str) -> &'a str {
        match &self.norm {
            Some(n) => n,
            None => text.get(self.start..self.end).unwrap_or(""),
        }
    }
}

/// One sentence: a byte span into the text and the range of its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub tokens: Range<usize>,
}

/// The tokens and sentences of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
}

/// Longest sentence, in tokens, that the splitter emits; longer runs are cut so that
/// the parser's time stays linear in the input.
pub const MAX_SENTENCE_TOKENS: usize = 200;

/// Tokenizes and splits `text` into sentences.
pub fn analyze(text: &str) -> Document {
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    Document { tokens, sentences }
}

/// Decodes `bytes` as UTF-8, replacing invalid sequences with U+FFFD. The flag is
/// `true` when the input was not valid UTF-8 (for the CLI to warn). Borrows when the
/// input is valid.
pub fn decode_lossy(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    let text = String::from_utf8_lossy(bytes);
    let invalid = matches!(text, Cow::Owned(_));
    (text, invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_into_the_text() {
        let text = "\u{201C}Caf\u{E9} \u{2019}s\u{201D} \u{2014} it\u{2019}s 5\u{A0}km. \u{5317}\u{4EAC}!\n\nNext.";
        let doc = analyze(text);
        let mut prev_end = 0;
        for t in &doc.tokens {
            let surface = text.get(t.start..t.end);
            assert!(surface.is_some_and(|s| !s.is_empty()), "bad span {t:?}");
            assert!(t.start >= prev_end, "overlap at {t:?}");
            prev_end = t.end;
        }
        let forms: Vec<&str> = doc.tokens.iter().map(|t| t.form(text)).collect();
        assert_eq!(
            forms,
            [
                "\"",
                "Caf\u{E9}",
                "'",
                "s",
                "\"",
                "\u{2014}",
                "it",
                "'s",
                "5",
                "km",
                ".",
                "\u{5317}\u{4EAC}",
                "!",
                "Next",
                "."
            ]
        );
        let mut next = 0;
        for s in &doc.sentences {
            assert_eq!(s.tokens.start, next);
            assert_eq!(s.start, doc.tokens[s.tokens.start].start);
            assert_eq!(s.end, doc.tokens[s.tokens.end - 1].end);
            next = s.tokens.end;
        }
        assert_eq!(next, doc.tokens.len());
        assert_eq!(doc.sentences.len(), 3);
    }

    #[test]
    fn empty_and_blank_text() {
        assert_eq!(analyze(""), Document::default());
        assert_eq!(analyze(" \n\t\u{200B}\u{FEFF}\u{0}"), Document::default());
    }

    #[test]
    fn decode_lossy_reports_invalid_bytes() {
        assert_eq!(decode_lossy(b"ok"), (Cow::Borrowed("ok"), false));
        assert!(decode_lossy(b"\xffok").1);
    }
}
