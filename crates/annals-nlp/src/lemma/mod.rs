//! Lemmatization: suffix rules learned per XPOS tag, plus the training words the rules
//! get wrong as exceptions (irregular verbs, plurals, pronouns).
//!
//! The lemmatizer needs only the form and the tag: it runs after the tagger and before
//! the parser, and costs two hash lookups for most words.

use crate::hash::{hash_str, mix};
use crate::perceptron::FeatureMap;
use crate::serialization::{ModelError, Reader, Writer};
use std::borrow::Cow;
use std::collections::HashMap;

mod trainer;
pub use trainer::train_lemmatizer;

pub const LEMMATIZER_KIND: &str = "annals-lemmatizer";
pub const LEMMATIZER_VERSION: u32 = 1;
pub(crate) const MAX_SUFFIX: usize = 5;

/// How to turn a form into its lemma: from the lowercased or the raw form, strip
/// `strip` characters, append `append`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Edit {
    pub lower: bool,
    pub strip: u8,
    pub append: String,
}

impl Edit {
    /// The edit that turns `form` into `lemma`, preferring the lowercase base.
    pub fn between(form: &str, lemma: &str) -> Edit {
        let lower = form.to_lowercase();
        let cp = |a: &str| a.chars().zip(lemma.chars()).take_while(|(x, y)| x == y).count();
        let (use_lower, base) = if cp(&lower) >= cp(form) { (true, lower.as_str()) } else { (false, form) };
        let keep = cp(base);
        let strip = base.chars().count() - keep;
        let append: String = lemma.chars().skip(keep).collect();
        Edit { lower: use_lower, strip: strip.min(255) as u8, append }
    }

    pub fn apply<'a>(&self, form: &'a str) -> Cow<'a, str> {
        let base: Cow<'a, str> = if self.lower && form.chars().any(char::is_uppercase) {
            Cow::Owned(form.to_lowercase())
        } else {
            Cow::Borrowed(form)
        };
        if self.strip == 0 && self.append.is_empty() {
            return base;
        }
        let n = base.chars().count();
        let keep = n.saturating_sub(self.strip as usize);
        let end = base.char_indices().nth(keep).map_or(base.len(), |(i, _)| i);
        let mut s = String::with_capacity(end + self.append.len());
        s.push_str(&base[..end]);
        s.push_str(&self.append);
        Cow::Owned(s)
    }
}

pub(crate) fn suffix_key(xpos: &str, lower: &str, k: usize) -> u64 {
    let n = lower.chars().count();
    let start = if k >= n { 0 } else { lower.char_indices().nth(n - k).map_or(0, |(i, _)| i) };
    mix(mix(hash_str(xpos), k as u64), hash_str(&lower[start..]))
}

pub(crate) fn exception_key(form: &str, xpos: &str) -> u64 {
    mix(hash_str(form), hash_str(xpos))
}

/// A trained lemmatizer.
#[derive(Debug, Clone, Default)]
pub struct Lemmatizer {
    pub(crate) edits: Vec<Edit>,
    /// (xpos, suffix) -> edit index; the longest known suffix wins.
    pub(crate) rules: FeatureMap<u32>,
    /// (form, xpos) -> lemma, for the training words the rules get wrong.
    pub(crate) exceptions: FeatureMap<u32>,
    pub(crate) lemmas: Vec<String>,
}

impl Lemmatizer {
    /// The lemma of `form` tagged `xpos`.
    pub fn lemmatize<'a>(&'a self, form: &'a str, xpos: &str) -> Cow<'a, str> {
        if let Some(&i) = self.exceptions.get(&exception_key(form, xpos)) {
            if let Some(l) = self.lemmas.get(i as usize) {
                return Cow::Borrowed(l);
            }
        }
        let lower: Cow<'_, str> =
            if form.chars().any(char::is_uppercase) { Cow::Owned(form.to_lowercase()) } else { Cow::Borrowed(form) };
        if let Some(&i) = self.exceptions.get(&exception_key(&lower, xpos)) {
            if let Some(l) = self.lemmas.get(i as usize) {
                if !xpos.starts_with("NNP") {
                    return Cow::Borrowed(l);
                }
            }
        }
        for k in (0..=MAX_SUFFIX.min(lower.chars().count())).rev() {
            if let Some(&e) = self.rules.get(&suffix_key(xpos, &lower, k)) {
                if let Some(edit) = self.edits.get(e as usize) {
                    return edit.apply(form);
                }
            }
        }
        Cow::Borrowed(form)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(LEMMATIZER_KIND, LEMMATIZER_VERSION);
        w.len(self.edits.len());
        for e in &self.edits {
            w.u8(u8::from(e.lower));
            w.u8(e.strip);
            w.str(&e.append);
        }
        for map in [&self.rules, &self.exceptions] {
            let mut v: Vec<(u64, u32)> = map.iter().map(|(&k, &x)| (k, x)).collect();
            v.sort_unstable();
            w.u64s(&v.iter().map(|e| e.0).collect::<Vec<_>>());
            w.u32s(&v.iter().map(|e| e.1).collect::<Vec<_>>());
        }
        w.strs(&self.lemmas);
        w.buf
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let mut r = Reader::open(bytes, LEMMATIZER_KIND, LEMMATIZER_VERSION)?;
        let n = r.len(10)?;
        let mut edits = Vec::with_capacity(n);
        for _ in 0..n {
            let lower = r.u8()? != 0;
            let strip = r.u8()?;
            let append = r.str()?;
            edits.push(Edit { lower, strip, append });
        }
        let mut maps = Vec::new();
        for _ in 0..2 {
            let keys = r.u64s()?;
            let vals = r.u32s()?;
            if keys.len() != vals.len() {
                return Err(ModelError::Corrupt("lemmatizer table sizes".into()));
            }
            maps.push(keys.into_iter().zip(vals).collect::<FeatureMap<u32>>());
        }
        let lemmas = r.strs()?;
        r.finish()?;
        let exceptions = maps.pop().unwrap_or_default();
        let rules = maps.pop().unwrap_or_default();
        if rules.values().any(|&e| e as usize >= edits.len())
            || exceptions.values().any(|&e| e as usize >= lemmas.len())
        {
            return Err(ModelError::Corrupt("lemmatizer index out of range".into()));
        }
        Ok(Lemmatizer { edits, rules, exceptions, lemmas })
    }

    /// Number of rules and exceptions (for reports).
    pub fn sizes(&self) -> (usize, usize) {
        (self.rules.len(), self.exceptions.len())
    }
}

/// Counts per key, for choosing the most frequent value deterministically.
pub(crate) fn most_frequent<V: Ord + Clone>(m: &HashMap<V, usize>) -> Option<(V, usize)> {
    m.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(v, &n)| (v.clone(), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits() {
        let e = Edit::between("Running", "run");
        assert_eq!(e.apply("Running"), "run");
        assert_eq!(e.apply("gunning"), "gun");
        let e = Edit::between("Google", "Google");
        assert_eq!(e.apply("Apple"), "Apple");
        let e = Edit::between("wolves", "wolf");
        assert_eq!(e.apply("knives"), "knif");
        assert_eq!(Edit::between("é", "ée").apply("ü"), "üe");
        assert_eq!(Edit { lower: true, strip: 9, append: "x".into() }.apply("ab"), "x");
    }
}
