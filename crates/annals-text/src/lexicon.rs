//! The tokenizer's word lists, parsed once from the human-editable files in `data/`.
//!
//! Lexicons are data, not code: abbreviations, hyphen prefixes, contractions,
//! emoticons and line-continuation words live in `crates/annals-text/data/*.txt`, are compiled in with
//! `include_str!`, and are parsed on first use into a [`Lexicon`] behind a
//! `LazyLock`. Lookups are case-insensitive where the file says so and never allocate.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const ABBREVIATIONS: &str = include_str!("../data/abbreviations.txt");
const HYPHEN_PREFIXES: &str = include_str!("../data/hyphen_prefixes.txt");
const CONTRACTIONS: &str = include_str!("../data/contractions.txt");
const EMOTICONS: &str = include_str!("../data/emoticons.txt");
const CONTINUATION_WORDS: &str = include_str!("../data/continuation_words.txt");

/// Longest word the case-folding lookups consider; longer words are never listed.
const MAX_KEY: usize = 24;

/// What kind of abbreviation a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Abbrev {
    /// A title or name part ("Mr.", "Gen.", "St."): never ends a sentence before a
    /// capitalized word.
    Title,
    /// Any other listed abbreviation ("etc.", "Inc.", "Jan.").
    Plain,
    /// An abbreviation only before a number ("No. 5", "c. 1871"); elsewhere "No." is a
    /// word and a period.
    BeforeNumber,
}

/// All word lists, parsed.
pub(crate) struct Lexicon {
    abbreviations: HashMap<&'static str, Abbrev>,
    hyphen_prefixes: HashSet<&'static str>,
    /// Lowercase word → byte length of its first part.
    contractions: HashMap<String, usize>,
    /// Longest first, so that ":))" wins over ":)".
    pub(crate) emoticons: Vec<&'static str>,
    continuation_words: HashSet<&'static str>,
}

/// The lines of a data file that carry data: trimmed, without `#` comments.
fn data_lines(file: &'static str) -> impl Iterator<Item = &'static str> {
    file.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut abbreviations = HashMap::new();
    for line in data_lines(ABBREVIATIONS) {
        let mut fields = line.split_whitespace();
        let Some(word) = fields.next() else { continue };
        let kind = match fields.next() {
            Some("title") => Abbrev::Title,
            Some("number") => Abbrev::BeforeNumber,
            _ => Abbrev::Plain,
        };
        abbreviations.insert(word, kind);
    }
    let hyphen_prefixes = data_lines(HYPHEN_PREFIXES).collect();
    let mut contractions = HashMap::new();
    for line in data_lines(CONTRACTIONS) {
        if let Some((first, second)) = line.split_once('|') {
            let mut word = first.to_ascii_lowercase();
            word.push_str(&second.to_ascii_lowercase());
            contractions.insert(word, first.len());
        }
    }
    let mut emoticons: Vec<&'static str> = data_lines(EMOTICONS).collect();
    emoticons.sort_by_key(|e| std::cmp::Reverse(e.len()));
    let continuation_words = data_lines(CONTINUATION_WORDS).collect();
    Lexicon { abbreviations, hyphen_prefixes, contractions, emoticons, continuation_words }
});

/// Lowercases an ASCII `word` into `buf`; `None` when it is not short ASCII.
fn ascii_lower<'b>(word: &str, buf: &'b mut [u8; MAX_KEY]) -> Option<&'b str> {
    let bytes = word.as_bytes();
    if bytes.len() > MAX_KEY || !word.is_ascii() {
        return None;
    }
    let dst = buf.get_mut(..bytes.len())?;
    for (d, s) in dst.iter_mut().zip(bytes) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(dst).ok()
}

impl Lexicon {
    /// The kind of abbreviation `word` (with its final period) is, if listed.
    ///
    /// An all-capitals spelling matches the title-case entry ("GEN." → "Gen.").
    pub(crate) fn abbreviation(&self, word: &str) -> Option<Abbrev> {
        if let Some(kind) = self.abbreviations.get(word) {
            return Some(*kind);
        }
        let bytes = word.as_bytes();
        if bytes.len() > MAX_KEY || !word.is_ascii() || bytes.iter().any(u8::is_ascii_lowercase) {
            return None;
        }
        let mut buf = [0u8; MAX_KEY];
        let dst = buf.get_mut(..bytes.len())?;
        for (i, (d, s)) in dst.iter_mut().zip(bytes).enumerate() {
            *d = if i == 0 { *s } else { s.to_ascii_lowercase() };
        }
        let title = std::str::from_utf8(dst).ok()?;
        self.abbreviations.get(title).copied()
    }

    /// Whether a line that ends with `word` continues on the next line ("of", "the").
    pub(crate) fn continues_line(&self, word: &str) -> bool {
        let mut buf = [0u8; MAX_KEY];
        ascii_lower(word, &mut buf).is_some_and(|w| self.continuation_words.contains(w))
    }

    /// Whether `prefix` stays joined across a hyphen ("non-profit").
    pub(crate) fn is_hyphen_prefix(&self, prefix: &str) -> bool {
        let mut buf = [0u8; MAX_KEY];
        ascii_lower(prefix, &mut buf).is_some_and(|p| self.hyphen_prefixes.contains(p))
    }

    /// The byte length of the first part of `word` if it is a listed contraction
    /// written without an apostrophe ("cannot" → 3).
    pub(crate) fn contraction_split(&self, word: &str) -> Option<usize> {
        if word.len() < 2 || word.len() > 8 {
            return None;
        }
        let mut buf = [0u8; MAX_KEY];
        let lower = ascii_lower(word, &mut buf)?;
        self.contractions.get(lower).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let lex = &*LEXICON;
        assert_eq!(lex.abbreviation("Gen."), Some(Abbrev::Title));
        assert_eq!(lex.abbreviation("GEN."), Some(Abbrev::Title));
        assert_eq!(lex.abbreviation("etc."), Some(Abbrev::Plain));
        assert_eq!(lex.abbreviation("no."), None);
        assert!(lex.is_hyphen_prefix("Non"));
        assert!(!lex.is_hyphen_prefix("search"));
        assert_eq!(lex.contraction_split("Cannot"), Some(3));
        assert_eq!(lex.contraction_split("gonna"), Some(3));
        assert_eq!(lex.contraction_split("going"), None);
        assert_eq!(lex.emoticons.first().map(|e| e.len()), Some(3));
        assert!(lex.continues_line("On"));
        assert!(!lex.continues_line("said"));
    }
}
