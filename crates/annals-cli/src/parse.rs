//! `annals parse` and `annals eval`: raw text or CoNLL-U in, CoNLL-U or scores out.

use crate::input::{read_documents, InputDocument};
use crate::ModelArgs;
use annals_nlp::conllu::{self, ConlluSentence};
use annals_nlp::eval::score;
use annals_nlp::Models;
use annals_text::eval::Joining;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct ParseArgs {
    /// Input files or folders: .txt (one document), .jsonl and .csv (columns id, date,
    /// text, optional title, url, source), .html; none or `-` reads standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Keep this CoNLL-U file's sentences and words and fill in the predictions
    /// (`-` reads standard input).
    #[arg(long, value_name = "FILE", conflicts_with = "inputs")]
    pub conllu_in: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    #[command(subcommand)]
    pub what: EvalWhat,
}

#[derive(clap::Subcommand, Debug)]
pub enum EvalWhat {
    /// Tag and parse the gold file's words (or read --pred) and report UPOS, XPOS,
    /// lemma, UAS and LAS (universal relations; subtypes also reported).
    Conllu {
        /// Gold CoNLL-U file.
        gold: PathBuf,
        /// Predictions to score instead of running the models.
        #[arg(long, value_name = "FILE")]
        pred: Option<PathBuf>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Rebuild the raw text of a CoNLL-U file (documents, paragraphs) and report the
    /// sentence splitter's boundary precision, recall and F1.
    Sentences {
        /// Gold CoNLL-U file.
        gold: PathBuf,
        /// Join every sentence with a single space instead of keeping documents and
        /// paragraphs apart (a harder test: no layout cues).
        #[arg(long)]
        spaces: bool,
    },
    /// Code labelled stories (CSV with `text` and `label`) and report how often the
    /// label is among a story's events and is its most confident event, with a
    /// confusion table.
    Events(crate::eval_events::EvalEventsArgs),
    /// Resolve labelled place mentions (TSV: id, sentence, mention, country, lat, lon,
    /// kind) and report the share with the right country and within 25 km.
    Places(crate::places::EvalPlacesArgs),
}

pub fn run_parse(a: &ParseArgs) -> Result<()> {
    a.model.init_threads();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Some(path) = &a.conllu_in {
        let sentences = read_conllu(path)?;
        let models = crate::models::load(a.model.models.as_deref())?;
        let text = annotate_all(&models, sentences);
        let mut s = String::new();
        conllu::write(&text, &mut s);
        out.write_all(s.as_bytes())?;
        return Ok(out.flush()?);
    }
    // Inputs first: a missing file is reported before anything else.
    let docs = read_documents(&a.inputs)?;
    let models = crate::models::load(a.model.models.as_deref())?;
    let bar = progress(docs.len() as u64, "documents");
    for chunk in docs.chunks(64) {
        let rendered: Vec<String> = chunk.par_iter().map(|d| render_document(&models, d)).collect();
        for r in rendered {
            out.write_all(r.as_bytes())?;
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    Ok(out.flush()?)
}

pub(crate) fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what} {{per_sec}} eta {{eta}}"))
    {
        bar.set_style(style);
    }
    bar
}

/// Reads a CoNLL-U file; `-` reads standard input.
fn read_conllu(path: &PathBuf) -> Result<Vec<ConlluSentence>> {
    let (name, bytes) = if path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).context("cannot read standard input")?;
        ("<stdin>".to_string(), b)
    } else {
        (path.display().to_string(), std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?)
    };
    let text = String::from_utf8_lossy(&bytes);
    if matches!(text, std::borrow::Cow::Owned(_)) {
        eprintln!("warning: {name}: invalid UTF-8, replaced by U+FFFD");
    }
    conllu::parse(&text).with_context(|| name.clone())
}

fn annotate_all(models: &Models, mut sentences: Vec<ConlluSentence>) -> Vec<ConlluSentence> {
    sentences.par_iter_mut().for_each(|s| models.annotate_conllu(s));
    sentences
}

/// CoNLL-U for one raw-text document.
fn render_document(models: &Models, d: &InputDocument) -> String {
    let text = d.text.as_str();
    let (doc, parsed) = models.analyze_text(text);
    if doc.sentences.is_empty() {
        // No sentence, no block: a lone comment would attach to the next document.
        return String::new();
    }
    let mut s = String::with_capacity(text.len() * 8);
    let id = one_line(&d.id);
    let _ = writeln!(s, "# newdoc id = {id}");
    for (k, (sent, p)) in doc.sentences.iter().zip(&parsed).enumerate() {
        let _ = writeln!(s, "# sent_id = {id}-{}", k + 1);
        let _ = writeln!(s, "# text = {}", one_line(text.get(sent.start..sent.end).unwrap_or("")));
        let tokens = doc.tokens.get(sent.tokens.clone()).unwrap_or(&[]);
        for (i, (t, w)) in tokens.iter().zip(&p.words).enumerate() {
            // FORM is the text's own characters (so tokens rebuild `# text`); the models
            // saw the normalized `t.form(text)`.
            let form = field(text.get(t.start..t.end).unwrap_or(""));
            let misc = if t.space_after || i + 1 == tokens.len() { "_" } else { "SpaceAfter=No" };
            // Plain pushes: this loop writes every token of the corpus.
            push_number(&mut s, i + 1);
            for part in [&*form, &*field(&w.lemma), models.upos(w.tag), models.xpos(w.tag), "_"] {
                s.push('\t');
                s.push_str(part);
            }
            s.push('\t');
            push_number(&mut s, w.head as usize);
            for part in [models.deprel(w.deprel), "_", misc] {
                s.push('\t');
                s.push_str(part);
            }
            s.push('\n');
        }
        s.push('\n');
    }
    s
}

/// Appends a decimal number without going through `fmt`.
fn push_number(s: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[k..] {
        s.push(d as char);
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_empty() {
        "_".into()
    } else if s.contains(char::is_whitespace) {
        s.replace(char::is_whitespace, "_").into()
    } else {
        s.into()
    }
}

pub fn run_eval(a: &EvalArgs) -> Result<()> {
    match &a.what {
        EvalWhat::Conllu { gold, pred, model } => {
            model.init_threads();
            let g = read_conllu(gold)?;
            let (p, secs) = match pred {
                Some(p) => (read_conllu(p)?, 0.0),
                None => {
                    let models = crate::models::load(model.models.as_deref())?;
                    let t = Instant::now();
                    let p = annotate_all(&models, g.clone());
                    (p, t.elapsed().as_secs_f64())
                }
            };
            let s = score(&g, &p).with_context(|| format!("{} and the predictions do not align", gold.display()))?;
            println!("file\t{}", gold.display());
            println!("sentences\t{}", g.len());
            println!("words\t{}", s.words);
            println!("UPOS\t{:.2}", s.upos_pct());
            println!("XPOS\t{:.2}", s.xpos_pct());
            println!("Lemma\t{:.2}", s.lemma_pct());
            println!("UAS\t{:.2}", s.uas_pct());
            println!("LAS\t{:.2}", s.las_pct());
            println!("LAS-full\t{:.2}", s.las_full_pct());
            if secs > 0.0 {
                println!("words/s\t{:.0}", s.words as f64 / secs);
            }
            Ok(())
        }
        EvalWhat::Events(a) => crate::eval_events::run(a),
        EvalWhat::Places(a) => crate::places::run_eval(a),
        EvalWhat::Sentences { gold, spaces } => {
            let bytes = std::fs::read(gold).with_context(|| format!("cannot read {}", gold.display()))?;
            let text = String::from_utf8_lossy(&bytes);
            // Validate the file first so a malformed treebank gets a line-numbered error.
            conllu::parse(&text).with_context(|| format!("{}", gold.display()))?;
            let joining = if *spaces { Joining::Spaces } else { Joining::Paragraphs };
            let e = annals_text::eval::evaluate(&text, joining);
            let s = e.sentences;
            println!("file\t{}", gold.display());
            println!("joining\t{}", if *spaces { "spaces" } else { "paragraphs" });
            println!("boundaries\t{}", s.true_pos + s.false_neg);
            println!("precision\t{:.4}", s.precision());
            println!("recall\t{:.4}", s.recall());
            println!("F1\t{:.4}", s.f1());
            println!("token-F1\t{:.4}", e.tokens.f1());
            Ok(())
        }
    }
}
