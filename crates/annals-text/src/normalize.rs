//! Character classes and the model-facing normal form of a token.
//!
//! The tokenizer decides boundaries on *folded* characters (curly quotes read as
//! straight ones, fullwidth punctuation as ASCII, the many hyphens as `-`), so that
//! `don’t` splits like `don't`. This module owns that folding, the classes that drive
//! the tokenizer, and [`normalize`], which computes a token's `norm` without touching
//! the original text: offsets always point into the caller's `&str`.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// What role a character plays for the tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Whitespace (including no-break and ideographic spaces), control characters and
    /// the zero-width space: separates tokens, never part of one.
    Sep,
    /// Invisible format characters (soft hyphen, zero-width joiners, bidi marks, byte
    /// order mark): transparent inside a token, stripped from its `norm`.
    Ignorable,
    /// Combining marks, variation selectors, emoji modifiers: stick to the previous
    /// character.
    Mark,
    Letter,
    Digit,
    /// Punctuation and symbols: tokens of their own.
    Other,
}

/// The class of `c`.
#[inline]
pub(crate) fn class(c: char) -> Class {
    if c.is_ascii() {
        return match c {
            'a'..='z' | 'A'..='Z' => Class::Letter,
            '0'..='9' => Class::Digit,
            _ if c.is_ascii_whitespace() || c.is_ascii_control() => Class::Sep,
            // ASCII vertical tab is not `is_ascii_whitespace` but is a control char.
            _ => Class::Other,
        };
    }
    if c.is_whitespace() || c.is_control() || c == '\u{200B}' {
        return Class::Sep;
    }
    if is_ignorable(c) {
        return Class::Ignorable;
    }
    if is_mark(c) {
        return Class::Mark;
    }
    if c.is_alphabetic() {
        // U+02BC MODIFIER LETTER APOSTROPHE is alphabetic but reads as an apostrophe.
        if c == '\u{02BC}' {
            return Class::Other;
        }
        return Class::Letter;
    }
    if c.is_numeric() {
        return Class::Digit;
    }
    Class::Other
}

/// Invisible characters that never form tokens.
#[inline]
pub(crate) fn is_ignorable(c: char) -> bool {
    is_joiner(c) || is_stripped(c)
}

/// Zero-width (non-)joiners: kept in `norm`, since they matter in Persian, Indic
/// scripts and emoji sequences.
#[inline]
pub(crate) fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Invisible characters removed from `norm`.
#[inline]
fn is_stripped(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'                  // soft hyphen
            | '\u{034F}'            // combining grapheme joiner
            | '\u{061C}'            // Arabic letter mark
            | '\u{180E}'            // Mongolian vowel separator
            | '\u{200E}' | '\u{200F}' // LRM, RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{206F}' // bidi isolates, deprecated format chars
            | '\u{FEFF}'            // byte order mark / zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}' // tag characters
    )
}

/// Characters that attach to the character before them.
#[inline]
fn is_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05BD}'
            | '\u{05BF}' | '\u{05C1}' | '\u{05C2}' | '\u{05C4}' | '\u{05C5}' | '\u{05C7}'
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06DC}'
            | '\u{06DF}'..='\u{06E4}'
            | '\u{06E7}' | '\u{06E8}'
            | '\u{06EA}'..='\u{06ED}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{3099}' | '\u{309A}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// The character the tokenizer reasons about: quotes, apostrophes and hyphens in
/// their ASCII form, fullwidth ASCII variants as ASCII.
#[inline]
pub(crate) fn fold(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '\u{2039}' | '\u{203A}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2043}' | '\u{2212}' | '\u{FE63}' => '-',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).filter(|a| a.is_ascii_punctuation()).unwrap_or(c),
        _ => c,
    }
}

/// The replacement in `norm` for a character, if it is not kept as it is.
#[inline]
fn replacement(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '\u{2039}' | '\u{203A}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2043}' | '\u{2212}' | '\u{FE63}' => "-",
        // Horizontal bar reads as an em dash; en and em dashes stay (GUM uses them).
        '\u{2015}' => "\u{2014}",
        '\u{2026}' => "...",
        // Ideographic and Urdu full stops end sentences like ".".
        '\u{3002}' | '\u{06D4}' => ".",
        _ => return None,
    })
}

/// The normalized form of `surface` when it differs from it, else `None`.
///
/// Curly quotes and apostrophes become straight (UD EWT writes `"` and `'`), odd
/// hyphens become `-`, `…` becomes `...`, `。` becomes `.`, invisible format
/// characters other than the zero-width (non-)joiners are dropped and the rest is NFKC
/// (fullwidth letters, ligatures, compatibility forms).
pub(crate) fn normalize(surface: &str) -> Option<Box<str>> {
    if surface.is_ascii() {
        return None;
    }
    let needs_map = surface.chars().any(|c| replacement(c).is_some() || is_stripped(c));
    if !needs_map && matches!(is_nfkc_quick(surface.chars()), IsNormalized::Yes) {
        return None;
    }
    let mut mapped = String::with_capacity(surface.len());
    for c in surface.chars() {
        if is_stripped(c) {
            continue;
        }
        match replacement(c) {
            Some(r) => mapped.push_str(r),
            None => mapped.push(c),
        }
    }
    let out: String = match is_nfkc_quick(mapped.chars()) {
        IsNormalized::Yes => mapped,
        _ => mapped.nfkc().collect(),
    };
    if out == surface || out.is_empty() {
        None
    } else {
        Some(out.into_boxed_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_dashes() {
        assert_eq!(normalize("don\u{2019}t").as_deref(), Some("don't"));
        assert_eq!(normalize("\u{201C}").as_deref(), Some("\""));
        assert_eq!(normalize("\u{2014}"), None);
        assert_eq!(normalize("\u{2010}").as_deref(), Some("-"));
        assert_eq!(normalize("\u{2026}").as_deref(), Some("..."));
        assert_eq!(normalize("plain"), None);
    }

    #[test]
    fn nfkc_and_invisibles() {
        assert_eq!(normalize("\u{FF35}\u{FF33}").as_deref(), Some("US"));
        assert_eq!(normalize("\u{FB01}nance").as_deref(), Some("finance"));
        assert_eq!(normalize("co\u{00AD}operate").as_deref(), Some("cooperate"));
        assert_eq!(normalize("Caf\u{0065}\u{0301}").as_deref(), Some("Caf\u{00E9}"));
        assert_eq!(normalize("\u{05E9}\u{05DC}\u{05D5}\u{05DD}"), None);
    }

    #[test]
    fn classes() {
        assert_eq!(class('\u{00A0}'), Class::Sep);
        assert_eq!(class('\u{0007}'), Class::Sep);
        assert_eq!(class('\u{200B}'), Class::Sep);
        assert_eq!(class('\u{200D}'), Class::Ignorable);
        assert_eq!(class('\u{0301}'), Class::Mark);
        assert_eq!(class('\u{0634}'), Class::Letter);
        assert_eq!(class('\u{0663}'), Class::Digit);
        assert_eq!(class('\u{1F600}'), Class::Other);
        assert_eq!(fold('\u{FF08}'), '(');
        assert_eq!(fold('\u{FF21}'), '\u{FF21}');
    }
}
