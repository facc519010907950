//! Tagging, lemmatizing and dependency parsing with models trained by annals.
//!
//! This crate owns the NLP stage: it turns the tokens of `annals-text` into words with
//! UPOS and XPOS tags, lemmas and a labelled dependency tree. Models are averaged
//! perceptrons in a compact versioned binary format; training code sits beside each
//! model (`tagger/trainer.rs`, `parser/trainer.rs`, `lemma/trainer.rs`). The crate does
//! no I/O: callers hand it bytes and text.

pub mod conllu;
pub mod eval;
pub mod hash;
pub mod lemma;
pub mod parser;
pub mod perceptron;
mod pipeline;
mod rng;
pub mod serialization;
pub mod tagger;
pub mod train;

pub use lemma::Lemmatizer;
pub use parser::Parser;
pub use pipeline::{Models, ParsedSentence, ParsedWord};
pub use serialization::ModelError;
pub use tagger::Tagger;
