//! The NLP pipeline over one document: tokens -> tags -> lemmas -> dependency trees.

use crate::conllu::ConlluSentence;
use crate::hash::hash_str;
use crate::lemma::Lemmatizer;
use crate::parser::{Parser, SentenceInput};
use crate::serialization::ModelError;
use crate::tagger::Tagger;
use annals_text::{Document, Sentence};

/// The three models the pipeline runs.
#[derive(Debug, Clone)]
pub struct Models {
    pub tagger: Tagger,
    pub lemmatizer: Lemmatizer,
    pub parser: Parser,
}

/// The analysis of one word, aligned with a token of the sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedWord {
    /// Tag class of the tagger: see [`Models::upos`] and [`Models::xpos`].
    pub tag: u8,
    pub lemma: Box<str>,
    /// 0 for the root, else the 1-based index of the head word in the sentence.
    pub head: u32,
    /// Relation label id: see [`Models::deprel`].
    pub deprel: u8,
}

/// One parsed sentence: one word per token of the sentence's token range.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedSentence {
    pub words: Vec<ParsedWord>,
}

impl Models {
    /// Loads the three models from their model-file bytes.
    pub fn from_bytes(tagger: &[u8], lemmatizer: &[u8], parser: &[u8]) -> Result<Models, ModelError> {
        Ok(Models {
            tagger: Tagger::from_bytes(tagger)?,
            lemmatizer: Lemmatizer::from_bytes(lemmatizer)?,
            parser: Parser::from_bytes(parser)?,
        })
    }

    pub fn upos(&self, tag: u8) -> &str {
        self.tagger.upos(tag)
    }

    pub fn xpos(&self, tag: u8) -> &str {
        self.tagger.xpos(tag)
    }

    pub fn deprel(&self, id: u8) -> &str {
        self.parser.label(id)
    }

    /// Tags, lemmatizes and parses one sentence of normalized word forms.
    pub fn analyze_words(&self, forms: &[&str]) -> ParsedSentence {
        if forms.is_empty() {
            return ParsedSentence::default();
        }
        let (tags, lower) = self.tagger.tag_with_hashes(forms);
        let x = SentenceInput { word: lower, tag: tags.iter().map(|&t| hash_str(self.tagger.xpos(t))).collect() };
        let (heads, labels) = self.parser.parse_input(&x);
        let words = forms
            .iter()
            .zip(&tags)
            .zip(heads.iter().zip(&labels))
            .map(|((form, &tag), (&head, &deprel))| ParsedWord {
                tag,
                lemma: self.lemmatizer.lemmatize(form, self.tagger.xpos(tag)).into(),
                head: head as u32,
                deprel,
            })
            .collect();
        ParsedSentence { words }
    }

    /// Analyzes one sentence of a tokenized document.
    pub fn analyze_sentence(&self, text: &str, doc: &Document, sentence: &Sentence) -> ParsedSentence {
        let tokens = doc.tokens.get(sentence.tokens.clone()).unwrap_or(&[]);
        let forms: Vec<&str> = tokens.iter().map(|t| t.form(text)).collect();
        self.analyze_words(&forms)
    }

    /// Tokenizes, splits and analyzes a whole text.
    pub fn analyze_text(&self, text: &str) -> (Document, Vec<ParsedSentence>) {
        let doc = annals_text::analyze(text);
        let parsed = doc.sentences.iter().map(|s| self.analyze_sentence(text, &doc, s)).collect();
        (doc, parsed)
    }

    /// Replaces a CoNLL-U sentence's predictions (UPOS, XPOS, lemma, head, relation),
    /// keeping its words: the evaluation mode.
    pub fn annotate_conllu(&self, s: &mut ConlluSentence) {
        let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        let parsed = self.analyze_words(&forms);
        for (w, p) in s.words.iter_mut().zip(parsed.words) {
            w.upos = self.upos(p.tag).to_string();
            w.xpos = self.xpos(p.tag).to_string();
            w.lemma = p.lemma.into();
            w.head = p.head as usize;
            w.deprel = self.deprel(p.deprel).to_string();
            w.feats = "_".into();
            w.deps = "_".into();
        }
    }
}
