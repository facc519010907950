//! Measuring the tokenizer and the sentence splitter against UD treebanks.
//!
//! Pure functions over `&str` (no file I/O: tests and tools read the `.conllu` files):
//! [`parse_conllu`] reads the sentences, [`documents`] rebuilds the raw text of each
//! document with the gold word spans and sentence ends, and [`evaluate`] runs
//! [`crate::analyze`] on it and counts precision, recall and F1 for word tokens
//! (exact byte spans) and sentence boundaries (the byte offset where a sentence ends).
//!
//! Raw text reconstruction: within a document (`# newdoc`), the `# text` of the
//! sentences of one paragraph (`# newpar` starts a paragraph) are joined with a single
//! space and paragraphs with `"\n\n"` ([`Joining::Paragraphs`]), or every sentence is
//! joined with a single space ([`Joining::Spaces`]). The words of a multiword token
//! (`don't` = `do` + `n't`) are substrings of its surface in every UD English treebank,
//! so each gold word gets a byte span by matching the word forms in order.

use crate::{analyze, Document};

/// One sentence of a CoNLL-U file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSentence<'a> {
    /// The `# text` comment.
    pub text: &'a str,
    /// A `# newdoc` comment precedes the sentence (or it is the first one).
    pub new_doc: bool,
    /// A `# newpar` comment precedes the sentence (or it starts a document).
    pub new_par: bool,
    /// The forms of the syntactic words (integer IDs; multiword-token ranges and
    /// empty nodes left out).
    pub words: Vec<&'a str>,
}

/// Reads the sentences of a CoNLL-U file. Malformed lines are skipped.
pub fn parse_conllu(conllu: &str) -> Vec<GoldSentence<'_>> {
    let mut out = Vec::new();
    let mut cur = GoldSentence { text: "", new_doc: true, new_par: true, words: Vec::new() };
    let mut in_sentence = false;
    for line in conllu.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if in_sentence {
                let next = GoldSentence { text: "", new_doc: false, new_par: false, words: Vec::new() };
                out.push(std::mem::replace(&mut cur, next));
                in_sentence = false;
            }
            continue;
        }
        in_sentence = true;
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim_start();
            if comment.starts_with("newdoc") {
                cur.new_doc = true;
                cur.new_par = true;
            } else if comment.starts_with("newpar") {
                cur.new_par = true;
            } else if let Some(text) = comment.strip_prefix("text =") {
                cur.text = text.trim();
            }
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(id), Some(form)) = (fields.next(), fields.next()) else {
            continue;
        };
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            cur.words.push(form);
        }
    }
    if in_sentence {
        out.push(cur);
    }
    if let Some(first) = out.first_mut() {
        first.new_doc = true;
        first.new_par = true;
    }
    out
}

/// How sentences are joined into raw text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joining {
    /// One space within a paragraph, a blank line (`"\n\n"`) between paragraphs.
    Paragraphs,
    /// One space between all sentences of a document.
    Spaces,
}

/// The raw text of one document with its gold annotation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoldDocument {
    pub text: String,
    /// Byte offset where each sentence ends, ascending (the last is the text's end).
    pub sentence_ends: Vec<usize>,
    /// Byte span of each gold word, in order.
    pub words: Vec<(usize, usize)>,
}

/// Rebuilds the documents of `sentences` as raw text.
pub fn documents(sentences: &[GoldSentence<'_>], joining: Joining) -> Vec<GoldDocument> {
    let mut out: Vec<GoldDocument> = Vec::new();
    for s in sentences {
        if s.new_doc || out.is_empty() {
            out.push(GoldDocument::default());
        }
        let Some(doc) = out.last_mut() else { continue };
        if !doc.text.is_empty() {
            let sep = if s.new_par && joining == Joining::Paragraphs { "\n\n" } else { " " };
            doc.text.push_str(sep);
        }
        let base = doc.text.len();
        doc.text.push_str(s.text);
        let mut pos = 0;
        for w in &s.words {
            let rest = s.text.get(pos..).unwrap_or("");
            let skipped = rest.len() - rest.trim_start().len();
            let at = if rest.get(skipped..).is_some_and(|r| r.starts_with(w)) {
                Some(pos + skipped)
            } else {
                rest.find(w).map(|k| pos + k)
            };
            if let Some(at) = at {
                doc.words.push((base + at, base + at + w.len()));
                pos = at + w.len();
            }
        }
        doc.sentence_ends.push(doc.text.len());
    }
    out
}

/// True positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    pub true_pos: usize,
    pub false_pos: usize,
    pub false_neg: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_pos)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_neg)
    }

    pub fn f1(&self) -> f64 {
        ratio(2 * self.true_pos, 2 * self.true_pos + self.false_pos + self.false_neg)
    }

    /// Adds the counts of `other`.
    pub fn add(&mut self, other: Prf) {
        self.true_pos += other.true_pos;
        self.false_pos += other.false_pos;
        self.false_neg += other.false_neg;
    }
}

impl std::fmt::Display for Prf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "P {:.4} R {:.4} F1 {:.4} (tp {} fp {} fn {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.true_pos,
            self.false_pos,
            self.false_neg
        )
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// Compares two ascending lists of items.
pub fn compare<T: Ord>(gold: &[T], predicted: &[T]) -> Prf {
    let (mut g, mut p) = (gold.iter().peekable(), predicted.iter().peekable());
    let mut prf = Prf::default();
    loop {
        match (g.peek(), p.peek()) {
            (Some(a), Some(b)) => match a.cmp(b) {
                std::cmp::Ordering::Equal => {
                    prf.true_pos += 1;
                    g.next();
                    p.next();
                }
                std::cmp::Ordering::Less => {
                    prf.false_neg += 1;
                    g.next();
                }
                std::cmp::Ordering::Greater => {
                    prf.false_pos += 1;
                    p.next();
                }
            },
            (Some(_), None) => {
                prf.false_neg += 1;
                g.next();
            }
            (None, Some(_)) => {
                prf.false_pos += 1;
                p.next();
            }
            (None, None) => return prf,
        }
    }
}

/// Scores of one evaluation run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Word tokens: a predicted token counts when its byte span equals a gold word's.
    pub tokens: Prf,
    /// Sentence boundaries: every sentence end, including each document's last.
    pub sentences: Prf,
    /// Sentence boundaries without each document's last (which is trivially found).
    pub inner_sentences: Prf,
}

/// Scores `doc` (the analysis of `gold.text`) against `gold`.
pub fn score(gold: &GoldDocument, doc: &Document) -> Evaluation {
    let predicted_words: Vec<(usize, usize)> = doc.tokens.iter().map(|t| (t.start, t.end)).collect();
    let predicted_ends: Vec<usize> = doc.sentences.iter().map(|s| s.end).collect();
    let inner = |ends: &[usize]| -> Vec<usize> {
        ends.iter().copied().filter(|&e| gold.text.get(e..).is_some_and(|r| !r.trim().is_empty())).collect()
    };
    Evaluation {
        tokens: compare(&gold.words, &predicted_words),
        sentences: compare(&gold.sentence_ends, &predicted_ends),
        inner_sentences: compare(&inner(&gold.sentence_ends), &inner(&predicted_ends)),
    }
}

/// Rebuilds the documents of a CoNLL-U file, analyzes each one and sums the scores.
pub fn evaluate(conllu: &str, joining: Joining) -> Evaluation {
    let mut total = Evaluation::default();
    for gold in documents(&parse_conllu(conllu), joining) {
        let e = score(&gold, &analyze(&gold.text));
        total.tokens.add(e.tokens);
        total.sentences.add(e.sentences);
        total.inner_sentences.add(e.inner_sentences);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# newpar id = p1\n# text = I don't know.\n\
        1-2\tdon't\t_\n1\tI\t_\n2\tdo\t_\n3\tn't\t_\n4\tknow\t_\n5\t.\t_\n\n\
        # text = Fine.\n1\tFine\t_\n2\t.\t_\n\n\
        # newpar id = p2\n# text = Next par\n1\tNext\t_\n2\tpar\t_\n\n\
        # newdoc id = d2\n# text = Other doc.\n1\tOther\t_\n2\tdoc\t_\n3\t.\t_\n";

    #[test]
    fn parse_and_rebuild() {
        let sents = parse_conllu(SAMPLE);
        assert_eq!(sents.len(), 4);
        assert_eq!(sents[0].words, ["I", "do", "n't", "know", "."]);
        let docs = documents(&sents, Joining::Paragraphs);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "I don't know. Fine.\n\nNext par");
        assert_eq!(docs[0].sentence_ends, [13, 19, 29]);
        assert_eq!(&docs[0].words[1..3], &[(2, 4), (4, 7)]);
        let spaced = documents(&sents, Joining::Spaces);
        assert_eq!(spaced[0].text, "I don't know. Fine. Next par");
    }

    #[test]
    fn scores() {
        let e = evaluate(SAMPLE, Joining::Paragraphs);
        assert_eq!(e.tokens.f1(), 1.0);
        assert_eq!(e.sentences.f1(), 1.0);
        let prf = compare(&[1, 2, 3], &[2, 3, 4, 5]);
        assert_eq!(prf, Prf { true_pos: 2, false_pos: 2, false_neg: 1 });
    }
}
