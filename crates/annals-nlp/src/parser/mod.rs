//! Dependency parsing: a greedy arc-hybrid transition parser with a labelled averaged
//! perceptron, trained with a dynamic oracle.
//!
//! The artificial root sits at the end of the buffer and may take a dependent only when
//! the stack holds one word, so every parse is a single-rooted projective tree. Parsing
//! takes 2n transitions: time is linear in the sentence length.

mod model;
mod state;
mod trainer;

pub(crate) use model::SentenceInput;
pub use model::{Parser, PARSER_KIND, PARSER_VERSION};
pub use trainer::{projectivize, train_parser, ParserTrainingOptions};
