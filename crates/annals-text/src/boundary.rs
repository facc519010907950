//! Deciding whether a sentence ends after a token on the same line.
//!
//! A [`Candidate`] is the neighbourhood of a possible boundary (the two tokens before
//! it and the two after, with the spacing between them). [`features`] turns it into
//! hashed features that an averaged perceptron scores; the weights live in
//! `data/boundary_weights.tsv`, produced by `examples/train_boundary.rs` from the UD
//! English training sets (see `trainer.rs`). A few hard constraints hold whatever the
//! model says: a title abbreviation or an initial before a capitalized word never ends
//! a sentence ("Lt. Gen. Prosper Avril", "John F. Kennedy"). When the weights file is
//! empty, plain punctuation rules decide.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use crate::lexicon::{Abbrev, LEXICON};
use crate::Token;

const WEIGHTS: &str = include_str!("../data/boundary_weights.tsv");

/// Forms longer than this are replaced by `<long>` in features.
const MAX_FEATURE_FORM: usize = 20;

/// The neighbourhood of a possible sentence end after token `i`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate<'a> {
    /// Forms of tokens `i-1`, `i`, `i+1`, `i+2` (empty past either end).
    pub prev: &'a str,
    pub left: &'a str,
    pub right: &'a str,
    pub right2: &'a str,
    /// Whitespace between `i-1` and `i`, between `i` and `i+1`.
    pub prev_space: bool,
    pub space: bool,
    /// What kind of abbreviation `left` is.
    pub abbrev: AbbrevKind,
}

/// The abbreviation facts about a token that ends in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbrevKind {
    None,
    /// A listed title ("Gen.", "Mr.").
    Title,
    /// Another listed abbreviation ("etc.", "Inc.").
    Plain,
    /// A single capital letter ("F.").
    Initial,
    /// A dotted acronym or other word with a period ("U.S.", "a.m.").
    Dotted,
}

impl AbbrevKind {
    fn as_str(self) -> &'static str {
        match self {
            AbbrevKind::None => "none",
            AbbrevKind::Title => "title",
            AbbrevKind::Plain => "plain",
            AbbrevKind::Initial => "initial",
            AbbrevKind::Dotted => "dotted",
        }
    }
}

fn abbrev_kind(form: &str) -> AbbrevKind {
    if form.len() < 2 || !form.ends_with('.') || form.starts_with('.') {
        return AbbrevKind::None;
    }
    match LEXICON.abbreviation(form) {
        Some(Abbrev::Title | Abbrev::BeforeNumber) => AbbrevKind::Title,
        Some(Abbrev::Plain) => AbbrevKind::Plain,
        None => {
            let mut chars = form.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (Some(c), Some('.'), None) if c.is_uppercase() => AbbrevKind::Initial,
                _ => AbbrevKind::Dotted,
            }
        }
    }
}

impl<'a> Candidate<'a> {
    /// The candidate after token `i` of `tokens`.
    pub(crate) fn new(text: &'a str, tokens: &'a [Token], i: usize) -> Self {
        let form = |k: Option<usize>| k.and_then(|k| tokens.get(k)).map_or("", |t| t.form(text));
        let left = form(Some(i));
        Candidate {
            prev: form(i.checked_sub(1)),
            left,
            right: form(Some(i + 1)),
            right2: form(Some(i + 2)),
            prev_space: i.checked_sub(1).and_then(|k| tokens.get(k)).is_some_and(|t| t.space_after),
            // CJK full stops take no space after them.
            space: tokens.get(i).is_some_and(|t| {
                t.space_after
                    || text.get(t.start..t.end).is_some_and(|s| matches!(s, "\u{3002}" | "\u{FF01}" | "\u{FF1F}"))
            }),
            abbrev: abbrev_kind(left),
        }
    }

    /// Whether a sentence could end here at all: after punctuation or a word with a
    /// period, or before a capitalized word.
    pub(crate) fn is_candidate(&self) -> bool {
        let lf = self.left.chars().next().unwrap_or(' ');
        let rf = self.right.chars().next().unwrap_or(' ');
        !lf.is_alphanumeric() || self.abbrev != AbbrevKind::None || rf.is_uppercase()
    }
}

/// A coarse shape: `Xx`, `X` (one capital), `XX` (all capitals), `x`, `d` (digits
/// first), the form itself for punctuation, `<long>` for long punctuation runs.
fn shape(form: &str) -> &str {
    let Some(first) = form.chars().next() else {
        return "<none>";
    };
    if first.is_uppercase() {
        if form.chars().count() == 1 {
            "X"
        } else if form.chars().all(|c| !c.is_lowercase()) {
            "XX"
        } else {
            "Xx"
        }
    } else if first.is_lowercase() {
        "x"
    } else if first.is_numeric() {
        "d"
    } else if first.is_alphabetic() {
        "o"
    } else if form.len() > MAX_FEATURE_FORM {
        "<long>"
    } else {
        form
    }
}

/// The form as a feature value: long forms collapse to `<long>`.
fn key(form: &str) -> &str {
    if form.len() > MAX_FEATURE_FORM {
        "<long>"
    } else if form.is_empty() {
        "<none>"
    } else {
        form
    }
}

fn flag(b: bool) -> &'static str {
    if b {
        "1"
    } else {
        "0"
    }
}

/// Calls `f(name, a, b)` for every feature of `c`. Values are compared lowercased.
pub(crate) fn features<'a>(c: &Candidate<'a>, mut f: impl FnMut(&'static str, &'a str, &'a str)) {
    let (p, l, r, r2) = (key(c.prev), key(c.left), key(c.right), key(c.right2));
    let (ps, ls, rs, r2s) = (shape(c.prev), shape(c.left), shape(c.right), shape(c.right2));
    let ab = c.abbrev.as_str();
    f("bias", "", "");
    f("l", l, "");
    f("r", r, "");
    f("p", p, "");
    f("r2", r2, "");
    f("lr", l, r);
    f("pl", p, l);
    f("ls-rs", ls, rs);
    f("l-rs", l, rs);
    f("ls-r", ls, r);
    f("ps-l", ps, l);
    f("rs-r2s", rs, r2s);
    f("r-r2s", r, r2s);
    f("sp", flag(c.prev_space), flag(c.space));
    f("sp-l", flag(c.space), l);
    f("psp-l", flag(c.prev_space), l);
    f("ab-rs", ab, rs);
    f("ab-r", ab, r);
}

/// FNV-1a over the feature name and its lowercased values.
pub(crate) fn feature_hash(name: &str, a: &str, b: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |byte: u8| {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    name.bytes().for_each(&mut eat);
    eat(0xFF);
    a.bytes().for_each(|x| eat(x.to_ascii_lowercase()));
    eat(0xFF);
    b.bytes().for_each(|x| eat(x.to_ascii_lowercase()));
    h
}

/// A hasher for keys that already are hashes.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type WeightMap = HashMap<u64, f32, BuildHasherDefault<IdHasher>>;

/// Parses a weights file: `weight<TAB>name<TAB>a<TAB>b` per line, `#` comments.
pub(crate) fn parse_weights(file: &str) -> WeightMap {
    let mut map = WeightMap::default();
    for line in file.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(w), Some(name)) = (fields.next(), fields.next()) else {
            continue;
        };
        let a = fields.next().unwrap_or("");
        let b = fields.next().unwrap_or("");
        if let Ok(w) = w.trim().parse::<f32>() {
            map.insert(feature_hash(name, a, b), w);
        }
    }
    map
}

static MODEL: LazyLock<WeightMap> = LazyLock::new(|| parse_weights(WEIGHTS));

/// The model's score for `c` under `weights` (positive: a sentence ends).
pub(crate) fn score(weights: &WeightMap, c: &Candidate<'_>) -> f32 {
    let mut s = 0.0;
    features(c, |name, a, b| {
        s += weights.get(&feature_hash(name, a, b)).copied().unwrap_or(0.0);
    });
    s
}

/// Whether a sentence ends at candidate `c` (which is on one line).
pub(crate) fn is_boundary(c: &Candidate<'_>) -> bool {
    let rf = c.right.chars().next().unwrap_or(' ');
    if matches!(c.abbrev, AbbrevKind::Title | AbbrevKind::Initial) && (rf.is_uppercase() || rf.is_numeric()) {
        return false;
    }
    if is_bullet(c.left) {
        return false;
    }
    let model = &*MODEL;
    if model.is_empty() {
        rule(c)
    } else {
        score(model, c) > 0.0
    }
}

/// A list bullet opens what follows it ("• As told to ...").
fn is_bullet(form: &str) -> bool {
    matches!(form, "\u{2022}" | "\u{25E6}" | "\u{25AA}" | "\u{25CF}" | "\u{2023}" | "\u{2043}" | "\u{00B7}")
}

fn is_terminal(form: &str) -> bool {
    !form.is_empty() && form.chars().all(|c| matches!(c, '.' | '!' | '?' | '\u{2026}'))
}

fn is_closer(form: &str) -> bool {
    !form.is_empty() && form.chars().all(|c| matches!(c, '"' | '\'' | ')' | ']' | '}' | '`'))
}

fn starts_sentence(form: &str) -> bool {
    let first = form.chars().next().unwrap_or(' ');
    first.is_uppercase() || first.is_numeric() || matches!(first, '"' | '\'' | '(' | '[' | '`')
}

/// Punctuation rules, used when no model is compiled in.
fn rule(c: &Candidate<'_>) -> bool {
    if is_terminal(c.left) {
        if !c.space && is_closer(c.right) {
            return false;
        }
        return starts_sentence(c.right);
    }
    if is_closer(c.left) && is_terminal(c.prev) && !c.prev_space {
        return starts_sentence(c.right);
    }
    if c.abbrev == AbbrevKind::Plain {
        return c.right.chars().next().is_some_and(char::is_uppercase);
    }
    false
}
