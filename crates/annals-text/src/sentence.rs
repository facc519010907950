//! The sentence splitter: tokens to sentences, in one linear pass.
//!
//! Layout decides first: a blank line always ends a sentence; a single line break ends
//! one unless the text plainly continues (the next line starts in lowercase, or the
//! line ends with a comma, a hyphen or a word that cannot end a sentence, listed in
//! `data/continuation_words.txt`: "of", "the", "on", ...). Within a line, every token after which a sentence
//! could end is a candidate, scored by a small averaged-perceptron model
//! (`boundary.rs`) trained on the UD English treebanks; the model sees the
//! neighbouring tokens, abbreviation and capitalization facts, so "U.S. Secretary",
//! "Lt. Gen. Prosper Avril", "John F. Kennedy" and `He said "no." Then` come out right.
//! Finally sentences longer than [`MAX_SENTENCE_TOKENS`] are cut, after a comma or
//! semicolon when there is one near the limit, so downstream time stays linear.

use crate::boundary::{self, Candidate};
use crate::lexicon::LEXICON;
use crate::token::is_line_break;
use crate::{Sentence, Token, MAX_SENTENCE_TOKENS};

/// Splits `tokens` (from [`crate::tokenize`] on `text`) into sentences that cover all
/// tokens in order.
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(tokens.len() / 16 + 1);
    let mut start = 0;
    for i in 0..tokens.len() {
        if i + 1 == tokens.len() || ends_sentence(text, tokens, i) {
            push_capped(text, tokens, start, i + 1, &mut out);
            start = i + 1;
        }
    }
    out
}

/// How many line breaks `gap` holds; a paragraph separator counts as two.
pub(crate) fn line_breaks(gap: &str) -> usize {
    if gap.len() == 1 && gap.as_bytes().first() == Some(&b' ') {
        return 0;
    }
    let mut n = 0;
    let mut chars = gap.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\u{2029}' => n += 2,
            _ if is_line_break(c) => n += 1,
            _ => {}
        }
    }
    n
}

/// Whether a sentence ends after token `i` (which has a successor).
fn ends_sentence(text: &str, tokens: &[Token], i: usize) -> bool {
    let (Some(t), Some(next)) = (tokens.get(i), tokens.get(i + 1)) else {
        return true;
    };
    let breaks = line_breaks(text.get(t.end..next.start).unwrap_or(""));
    if breaks >= 2 {
        return true;
    }
    if breaks == 1 {
        return !continues_across_line(t.form(text), next.form(text));
    }
    let cand = Candidate::new(text, tokens, i);
    cand.is_candidate() && boundary::is_boundary(&cand)
}

/// Whether the text continues over a single line break (wrapped text).
fn continues_across_line(prev: &str, next: &str) -> bool {
    let next_first = next.chars().next().unwrap_or(' ');
    next_first.is_lowercase()
        || matches!(next, "," | ")" | "]" | "%")
        || matches!(prev, "," | "-" | "(" | "[" | "&" | "/")
        || LEXICON.continues_line(prev)
}

/// Pushes the sentence of tokens `start..end`, cut into pieces of at most
/// [`MAX_SENTENCE_TOKENS`].
fn push_capped(text: &str, tokens: &[Token], mut start: usize, end: usize, out: &mut Vec<Sentence>) {
    while end - start > MAX_SENTENCE_TOKENS {
        let hard = start + MAX_SENTENCE_TOKENS;
        let cut = (start + MAX_SENTENCE_TOKENS / 2..hard)
            .rev()
            .find(|&k| {
                tokens.get(k).is_some_and(|t| matches!(t.form(text), "," | ";" | ":" | "--" | "\u{2014}" | "\u{2013}"))
            })
            .map_or(hard, |k| k + 1);
        push(tokens, start, cut, out);
        start = cut;
    }
    push(tokens, start, end, out);
}

fn push(tokens: &[Token], start: usize, end: usize, out: &mut Vec<Sentence>) {
    if let (Some(first), Some(last)) = (tokens.get(start), end.checked_sub(1).and_then(|e| tokens.get(e))) {
        if start < end {
            out.push(Sentence { start: first.start, end: last.end, tokens: start..end });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze;

    fn sentences(text: &str) -> Vec<&str> {
        analyze(text).sentences.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        let text = "U.S. Secretary of State Antony Blinken met Egyptian officials in Cairo on \
                    Tuesday. Lt. Gen. Prosper Avril took power. John F. Kennedy was elected.";
        assert_eq!(
            sentences(text),
            [
                "U.S. Secretary of State Antony Blinken met Egyptian officials in Cairo on Tuesday.",
                "Lt. Gen. Prosper Avril took power.",
                "John F. Kennedy was elected."
            ]
        );
    }

    #[test]
    fn quotes_and_ellipses() {
        assert_eq!(sentences("He said \"no.\" Then he left."), ["He said \"no.\"", "Then he left."]);
        assert_eq!(
            sentences("He said \u{201C}no.\u{201D} Then he left."),
            ["He said \u{201C}no.\u{201D}", "Then he left."]
        );
        assert_eq!(sentences("Wait! Who are you? I am here."), ["Wait!", "Who are you?", "I am here."]);
    }

    #[test]
    fn lines() {
        assert_eq!(
            sentences("Rockets hit Gaza\nThe army said on Monday."),
            ["Rockets hit Gaza", "The army said on Monday."]
        );
        assert_eq!(sentences("Troops entered the\ncity on Monday."), ["Troops entered the\ncity on Monday."]);
        assert_eq!(sentences("First part\n\nsecond part"), ["First part", "second part"]);
    }

    #[test]
    fn long_runs_are_cut() {
        let text = "word ".repeat(1000);
        let doc = analyze(&text);
        assert_eq!(doc.sentences.len(), 5);
        assert!(doc.sentences.iter().all(|s| s.tokens.len() <= crate::MAX_SENTENCE_TOKENS));
        let commas = "a, ".repeat(300);
        let doc = analyze(&commas);
        let first = &doc.sentences[0];
        assert_eq!(doc.tokens[first.tokens.end - 1].form(&commas), ",");
    }
}
