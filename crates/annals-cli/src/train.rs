//! `annals train`: reproduces the committed models from the UD treebanks.

use annals_nlp::conllu::{self, ConlluSentence};
use annals_nlp::eval::score;
use annals_nlp::lemma::train_lemmatizer;
use annals_nlp::parser::{train_parser, ParserTrainingOptions};
use annals_nlp::tagger::{train_tagger, TaggerTrainingOptions};
use annals_nlp::train::jackknife_tags;
use annals_nlp::{Models, Parser, Tagger};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    #[command(subcommand)]
    pub what: TrainWhat,
}

/// Data and output shared by the training commands.
#[derive(clap::Args, Debug, Clone)]
pub struct TrainData {
    /// Training CoNLL-U files (repeatable). Default: EWT and GUM train from --ud-dir.
    #[arg(long = "train", value_name = "FILE")]
    pub train: Vec<PathBuf>,
    /// Development CoNLL-U files, scored after training (repeatable). Default: EWT and
    /// GUM dev from --ud-dir.
    #[arg(long = "dev", value_name = "FILE")]
    pub dev: Vec<PathBuf>,
    /// Folder holding the UD English EWT and GUM files.
    #[arg(long, value_name = "DIR", default_value = "../shared/data/ud")]
    pub ud_dir: PathBuf,
    /// Folder to write the model files to.
    #[arg(long, value_name = "DIR", default_value = "models")]
    pub out: PathBuf,
    /// Use only the first N training sentences (for smoke tests).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Training epochs (default: 10 for the tagger, 15 for the parser).
    #[arg(long, value_name = "N")]
    pub epochs: Option<usize>,
    /// Drop averaged tagger weights smaller than this (a smaller tagger).
    #[arg(long, value_name = "W", default_value_t = 0.0)]
    pub min_weight: f32,
    /// Random seed for shuffling and exploration.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// The parser's transition weights get 2^BITS hashed buckets (8 bytes each in memory).
    #[arg(long, value_name = "BITS", default_value_t = 21, value_parser = clap::value_parser!(u32).range(8..=26))]
    pub hash_bits: u32,
    /// The parser's label weights get 2^BITS hashed buckets (one byte per label each).
    #[arg(long, value_name = "BITS", default_value_t = 17, value_parser = clap::value_parser!(u32).range(8..=24))]
    pub label_bits: u32,
    /// Words seen at least this often with one dominant tag skip the tagger model.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub dict_min_count: usize,
    /// ... when that tag has at least this share of their occurrences.
    #[arg(long, value_name = "SHARE", default_value_t = 0.97)]
    pub dict_min_share: f64,
}

#[derive(clap::Subcommand, Debug)]
pub enum TrainWhat {
    /// Train the part-of-speech tagger (UPOS+XPOS) -> OUT/tagger.bin.
    Tagger(TrainData),
    /// Train the lemmatizer -> OUT/lemmatizer.bin.
    Lemmatizer(TrainData),
    /// Train the dependency parser on jackknifed tags -> OUT/parser.bin.
    Parser {
        #[command(flatten)]
        data: TrainData,
        /// Folds for jackknifed training tags (0 or 1: gold tags).
        #[arg(long, default_value_t = 5)]
        jackknife: usize,
    },
    /// Train all three models, then score them on the dev files.
    All {
        #[command(flatten)]
        data: TrainData,
        /// Folds for jackknifed training tags (0 or 1: gold tags).
        #[arg(long, default_value_t = 5)]
        jackknife: usize,
    },
}

pub fn run(a: &TrainArgs) -> Result<()> {
    match &a.what {
        TrainWhat::Tagger(d) => {
            let train = load_train(d)?;
            save(&d.out, "tagger.bin", &tagger(d, &train).to_bytes())
        }
        TrainWhat::Lemmatizer(d) => {
            let train = load_train(d)?;
            save(&d.out, "lemmatizer.bin", &train_lemmatizer(&train, 2).to_bytes())
        }
        TrainWhat::Parser { data, jackknife } => {
            let train = load_train(data)?;
            save(&data.out, "parser.bin", &parser(data, &train, *jackknife).to_bytes())
        }
        TrainWhat::All { data, jackknife } => {
            let train = load_train(data)?;
            let t = tagger(data, &train);
            save(&data.out, "tagger.bin", &t.to_bytes())?;
            let l = train_lemmatizer(&train, 2);
            let (rules, exceptions) = l.sizes();
            eprintln!("lemmatizer: {rules} rules, {exceptions} exceptions");
            save(&data.out, "lemmatizer.bin", &l.to_bytes())?;
            let p = parser(data, &train, *jackknife);
            save(&data.out, "parser.bin", &p.to_bytes())?;
            let models = Models { tagger: t, lemmatizer: l, parser: p };
            for path in dev_files(data) {
                report_dev(&models, &path)?;
            }
            Ok(())
        }
    }
}

fn dev_files(d: &TrainData) -> Vec<PathBuf> {
    if d.dev.is_empty() {
        vec![d.ud_dir.join("en_ewt-ud-dev.conllu"), d.ud_dir.join("en_gum-ud-dev.conllu")]
    } else {
        d.dev.clone()
    }
}

fn report_dev(models: &Models, path: &Path) -> Result<()> {
    let gold = read(path)?;
    let mut pred = gold.clone();
    pred.iter_mut().for_each(|s| models.annotate_conllu(s));
    let s = score(&gold, &pred)?;
    eprintln!(
        "dev {}: UPOS {:.2} XPOS {:.2} Lemma {:.2} UAS {:.2} LAS {:.2}",
        path.display(),
        s.upos_pct(),
        s.xpos_pct(),
        s.lemma_pct(),
        s.uas_pct(),
        s.las_pct()
    );
    Ok(())
}

fn tagger(d: &TrainData, train: &[ConlluSentence]) -> Tagger {
    let opts = TaggerTrainingOptions {
        epochs: d.epochs.unwrap_or(10),
        seed: d.seed,
        min_weight: d.min_weight,
        dict_min_count: d.dict_min_count,
        dict_min_share: d.dict_min_share,
    };
    let start = Instant::now();
    let t = train_tagger(train, &opts, |e, acc| {
        eprintln!("tagger epoch {e}: train accuracy {:.4} ({:.0?})", acc, start.elapsed())
    });
    t
}

fn parser(d: &TrainData, train: &[ConlluSentence], jackknife: usize) -> Parser {
    let start = Instant::now();
    let topts = TaggerTrainingOptions {
        seed: d.seed,
        dict_min_count: d.dict_min_count,
        dict_min_share: d.dict_min_share,
        ..Default::default()
    };
    let tagged = jackknife_tags(train, jackknife, &topts);
    if jackknife >= 2 {
        eprintln!("jackknifed tags ({jackknife} folds) in {:.0?}", start.elapsed());
    }
    let opts = ParserTrainingOptions {
        epochs: d.epochs.unwrap_or(15),
        seed: d.seed,
        hash_bits: d.hash_bits,
        label_bits: d.label_bits,
        ..Default::default()
    };
    train_parser(&tagged, &opts, |e, acc| {
        eprintln!("parser epoch {e}: correct transitions {:.4} ({:.0?})", acc, start.elapsed())
    })
}

fn read(path: &Path) -> Result<Vec<ConlluSentence>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    conllu::parse(&String::from_utf8_lossy(&bytes)).with_context(|| format!("{}", path.display()))
}

fn load_train(d: &TrainData) -> Result<Vec<ConlluSentence>> {
    let files = if d.train.is_empty() {
        vec![d.ud_dir.join("en_ewt-ud-train.conllu"), d.ud_dir.join("en_gum-ud-train.conllu")]
    } else {
        d.train.clone()
    };
    let mut all = Vec::new();
    for f in &files {
        all.extend(read(f)?);
    }
    if let Some(n) = d.limit {
        all.truncate(n);
    }
    eprintln!("training on {} sentences from {} file(s)", all.len(), files.len());
    Ok(all)
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {} ({:.1} MB)", path.display(), bytes.len() as f64 / 1e6);
    Ok(())
}
