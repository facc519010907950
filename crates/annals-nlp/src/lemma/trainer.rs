//! Learning the lemmatizer's suffix rules and exceptions from CoNLL-U sentences.

use super::{exception_key, most_frequent, suffix_key, Edit, Lemmatizer, MAX_SUFFIX};
use crate::conllu::ConlluSentence;
use std::collections::HashMap;

/// Learns rules (a (tag, suffix) key is kept when seen `min_count` times) and then
/// exceptions for the training words that the rules lemmatize wrongly.
pub fn train_lemmatizer(sentences: &[ConlluSentence], min_count: usize) -> Lemmatizer {
    let mut pairs: HashMap<(String, String, String), usize> = HashMap::new();
    for s in sentences {
        for w in &s.words {
            if w.lemma == "_" || w.lemma.is_empty() {
                continue;
            }
            *pairs.entry((w.form.clone(), w.xpos.clone(), w.lemma.clone())).or_default() += 1;
        }
    }
    // Rules: per (xpos, suffix), the most frequent edit; counted over distinct words so
    // that frequent irregulars do not dominate.
    let mut by_key: HashMap<u64, HashMap<Edit, usize>> = HashMap::new();
    for (form, xpos, lemma) in pairs.keys() {
        let edit = Edit::between(form, lemma);
        let lower = form.to_lowercase();
        for k in 0..=MAX_SUFFIX.min(lower.chars().count()) {
            *by_key.entry(suffix_key(xpos, &lower, k)).or_default().entry(edit.clone()).or_default() += 1;
        }
    }
    let mut edits: Vec<Edit> = Vec::new();
    let mut edit_ids: HashMap<Edit, u32> = HashMap::new();
    let mut lem = Lemmatizer::default();
    let mut keys: Vec<_> = by_key.into_iter().collect();
    keys.sort_by_key(|e| e.0);
    for (key, m) in keys {
        if let Some((edit, n)) = most_frequent(&m) {
            if n >= min_count {
                let id = *edit_ids.entry(edit.clone()).or_insert_with(|| {
                    edits.push(edit);
                    (edits.len() - 1) as u32
                });
                lem.rules.insert(key, id);
            }
        }
    }
    lem.edits = edits;
    // Exceptions: the most frequent lemma of each (form, xpos) where the rules are wrong.
    let mut by_form: HashMap<(String, String), HashMap<String, usize>> = HashMap::new();
    for ((form, xpos, lemma), n) in pairs {
        *by_form.entry((form, xpos)).or_default().entry(lemma).or_default() += n;
    }
    let mut forms: Vec<_> = by_form.into_iter().collect();
    forms.sort_by(|a, b| a.0.cmp(&b.0));
    let mut lemma_ids: HashMap<String, u32> = HashMap::new();
    for ((form, xpos), m) in forms {
        let Some((lemma, _)) = most_frequent(&m) else { continue };
        if lem.lemmatize(&form, &xpos) == lemma {
            continue;
        }
        let id = *lemma_ids.entry(lemma.clone()).or_insert_with(|| {
            lem.lemmas.push(lemma);
            (lem.lemmas.len() - 1) as u32
        });
        lem.exceptions.insert(exception_key(&form, &xpos), id);
    }
    lem
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::parse;

    #[test]
    fn learns_rules_and_exceptions() {
        let mut text = String::new();
        for (f, l, x) in [
            ("walked", "walk", "VBD"),
            ("talked", "talk", "VBD"),
            ("jumped", "jump", "VBD"),
            ("went", "go", "VBD"),
            ("cats", "cat", "NNS"),
            ("dogs", "dog", "NNS"),
            ("Paris", "Paris", "NNP"),
        ] {
            text.push_str(&format!("1\t{f}\t{l}\tX\t{x}\t_\t0\troot\t_\t_\n\n"));
        }
        let s = parse(&text).unwrap();
        let lem = train_lemmatizer(&s, 2);
        assert_eq!(lem.lemmatize("kicked", "VBD"), "kick");
        assert_eq!(lem.lemmatize("went", "VBD"), "go");
        assert_eq!(lem.lemmatize("Went", "VBD"), "go");
        assert_eq!(lem.lemmatize("rats", "NNS"), "rat");
        let back = Lemmatizer::from_bytes(&lem.to_bytes()).unwrap();
        assert_eq!(back.lemmatize("kicked", "VBD"), "kick");
        assert_eq!(back.lemmatize("went", "VBD"), "go");
    }
}
