//! Loading the NLP models: embedded in the binary by default, or from `--models DIR`.

use annals_nlp::Models;
use anyhow::{bail, Context, Result};
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_models.rs"));
}

/// The models to use: files from `dir` when given, else the embedded ones.
pub fn load(dir: Option<&Path>) -> Result<Models> {
    match dir {
        Some(dir) => {
            let read = |name: &str| {
                let p = dir.join(name);
                std::fs::read(&p).with_context(|| format!("cannot read model {}", p.display()))
            };
            let (t, l, p) = (read("tagger.bin")?, read("lemmatizer.bin")?, read("parser.bin")?);
            Models::from_bytes(&t, &l, &p).with_context(|| format!("invalid model in {}", dir.display()))
        }
        None => {
            if embedded::TAGGER.is_empty() || embedded::LEMMATIZER.is_empty() || embedded::PARSER.is_empty() {
                bail!("this build has no embedded models (models/*.bin were missing at build time): pass --models DIR");
            }
            Models::from_bytes(embedded::TAGGER, embedded::LEMMATIZER, embedded::PARSER)
                .context("the embedded models are invalid")
        }
    }
}
