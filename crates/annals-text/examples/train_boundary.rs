//! Regenerates `data/boundary_weights.tsv`, the sentence-boundary model.
//!
//! `cargo run --release -p annals-text --example train_boundary [-- OUT.tsv]`
//! reads the UD English EWT and GUM training sets from `../shared/data/ud` (relative
//! to the workspace), trains the averaged perceptron of `annals_text::trainer` and
//! writes the weights file (by default over `crates/annals-text/data/`). Training is
//! deterministic: the same treebanks give the same file.

use annals_text::eval::{documents, parse_conllu, Joining};
use annals_text::trainer::{train, TrainOptions};

fn main() -> std::process::ExitCode {
    let manifest = env!("CARGO_MANIFEST_DIR");
    let out = std::env::args().nth(1).unwrap_or_else(|| format!("{manifest}/data/boundary_weights.tsv"));
    let dir = format!("{manifest}/../../../shared/data/ud");
    let mut docs = Vec::new();
    for set in ["en_ewt-ud-train", "en_gum-ud-train"] {
        let path = format!("{dir}/{set}.conllu");
        let Ok(conllu) = std::fs::read_to_string(&path) else {
            eprintln!("cannot read {path}");
            return std::process::ExitCode::FAILURE;
        };
        docs.extend(documents(&parse_conllu(&conllu), Joining::Paragraphs));
    }
    let weights = train(&docs, TrainOptions::default());
    if let Err(e) = std::fs::write(&out, weights) {
        eprintln!("cannot write {out}: {e}");
        return std::process::ExitCode::FAILURE;
    }
    eprintln!("wrote {out}");
    std::process::ExitCode::SUCCESS
}
