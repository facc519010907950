//! Part-of-speech tagging: UPOS and XPOS together, by a greedy averaged perceptron.
//!
//! One class is a (UPOS, XPOS) pair as seen in the treebanks, so the two tag sets always
//! agree. Frequent unambiguous words skip the model through a tag dictionary.

mod model;
mod trainer;

pub(crate) use model::argmax;
pub use model::{TagSet, Tagger, TAGGER_KIND, TAGGER_VERSION};
pub use trainer::{train_tagger, TaggerTrainingOptions};
