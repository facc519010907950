//! `annals actor`: resolves actor phrases to country, sector, organization and person
//! (JSON, one object per phrase), with the built-in lexicons or a user's additions.

use annals_actors::{Date, Lexicon};
use anyhow::{bail, Context, Result};
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ActorArgs {
    /// The phrase to resolve. Without it, reads standard input: one phrase per line,
    /// optionally followed by a tab and a date and a tab and a context.
    pub text: Option<String>,
    /// The date the phrase is from (YYYY-MM-DD, YYYY-MM or YYYY): selects dated roles.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Text around the phrase (e.g. the country of the story), used when the phrase
    /// itself names no country.
    #[arg(long, value_name = "TEXT")]
    pub context: Option<String>,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
}

/// Lexicon options shared by the commands that resolve actors.
#[derive(clap::Args, Debug, Clone)]
pub struct LexiconArgs {
    /// A folder of lexicon files (countries.tsv, places.tsv, organizations.tsv,
    /// agents.tsv, titles.tsv, people.tsv) whose lines add to the built-in ones and win over them.
    #[arg(long, value_name = "DIR")]
    pub lexicon: Option<PathBuf>,
}

/// The built-in lexicons plus the user's files; the folder must hold at least one.
pub fn load_lexicon(args: &LexiconArgs) -> Result<Lexicon> {
    let (lex, found) = load_actor_files(args)?;
    if let (Some(dir), 0) = (&args.lexicon, found) {
        bail!("{} holds no lexicon file ({})", dir.display(), ACTOR_FILES.join(", "));
    }
    Ok(lex)
}

/// Like [`load_lexicon`], for commands whose folder may hold other lexicons only
/// (`annals code` also reads `triggers.tsv` and `modality.tsv`).
pub fn load_lexicon_optional(args: &LexiconArgs) -> Result<Lexicon> {
    if let Some(dir) = &args.lexicon {
        if !dir.is_dir() {
            bail!("lexicon folder {} does not exist", dir.display());
        }
    }
    Ok(load_actor_files(args)?.0)
}

const ACTOR_FILES: [&str; 6] =
    ["countries.tsv", "places.tsv", "organizations.tsv", "agents.tsv", "titles.tsv", "people.tsv"];

fn load_actor_files(args: &LexiconArgs) -> Result<(Lexicon, usize)> {
    let mut lex = Lexicon::builtin().context("the built-in lexicons are invalid")?;
    let mut found = 0;
    if let Some(dir) = &args.lexicon {
        if !dir.is_dir() {
            bail!("lexicon folder {} does not exist", dir.display());
        }
        for name in ACTOR_FILES {
            let path = dir.join(name);
            if !path.exists() {
                continue;
            }
            found += 1;
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))?;
            lex.add_file(&path.display().to_string(), &text)?;
        }
    }
    Ok((lex, found))
}

fn parse_date(text: &str, what: &str) -> Result<Date> {
    match Date::parse(text) {
        Some((d, _)) => Ok(d),
        None => bail!("{what}: not a date: {text:?} (expected YYYY-MM-DD, YYYY-MM or YYYY)"),
    }
}

pub fn run(a: &ActorArgs) -> Result<()> {
    let lex = load_lexicon(&a.lexicon)?;
    let date = a.date.as_deref().map(|d| parse_date(d, "--date")).transpose()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Some(text) = &a.text {
        writeln!(out, "{}", lex.resolve(text, date, a.context.as_deref()).to_json())?;
        return Ok(out.flush()?);
    }
    let stdin = std::io::stdin();
    for (i, line) in stdin.lock().lines().enumerate() {
        let line = line.with_context(|| format!("<stdin>:{}: cannot read the line (not UTF-8?)", i + 1))?;
        let mut fields = line.split('\t');
        let phrase = fields.next().unwrap_or("");
        let line_date = match fields.next().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(parse_date(d, &format!("<stdin>:{}", i + 1))?),
            None => date,
        };
        let context = fields.next().filter(|c| !c.trim().is_empty()).or(a.context.as_deref());
        writeln!(out, "{}", lex.resolve(phrase, line_date, context).to_json())?;
    }
    Ok(out.flush()?)
}

#[derive(clap::Args, Debug)]
pub struct ActorsArgs {
    /// Input files or folders: .txt (one document), .jsonl and .csv (columns id, date,
    /// text, optional title, url, source), .html; none or `-` reads standard input.
    pub inputs: Vec<PathBuf>,
    /// Date of documents that carry none (YYYY-MM-DD): selects dated roles.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    #[command(flatten)]
    pub model: crate::ModelArgs,
}

/// `annals actors`: the resolved actors of each document with their mentions, one JSON
/// object per document.
pub fn run_actors(a: &ActorsArgs) -> Result<()> {
    use rayon::prelude::*;
    a.model.init_threads();
    let docs = crate::input::read_documents(&a.inputs)?;
    let lex = load_lexicon(&a.lexicon)?;
    let models = crate::models::load(a.model.models.as_deref())?;
    let default_date = a.date.as_deref().map(|d| parse_date(d, "--date")).transpose()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Drawn on standard error only when it is a terminal.
    let bar = crate::parse::progress(docs.len() as u64, "documents");
    for chunk in docs.chunks(64) {
        let rendered: Vec<String> = chunk
            .par_iter()
            .map(|d| {
                let date = match d.date.as_deref().map(Date::parse) {
                    Some(Some((date, _))) => Some(date),
                    Some(None) => {
                        eprintln!("warning: document {}: unreadable date, using --date", d.id);
                        default_date
                    }
                    None => default_date,
                };
                document_actors_json(&lex, &models, &d.id, &d.text, date)
            })
            .collect();
        for r in rendered {
            writeln!(out, "{r}")?;
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    Ok(out.flush()?)
}

/// Tags and parses one document and lists its actors as JSON.
pub fn document_actors_json(
    lex: &Lexicon,
    models: &annals_nlp::Models,
    id: &str,
    text: &str,
    date: Option<Date>,
) -> String {
    let (doc, parsed) = models.analyze_text(text);
    let sentences: Vec<Vec<annals_actors::TaggedToken<'_>>> = doc
        .sentences
        .iter()
        .zip(&parsed)
        .map(|(s, p)| {
            doc.tokens[s.tokens.clone()]
                .iter()
                .zip(&p.words)
                .map(|(t, w)| annals_actors::TaggedToken {
                    form: t.form(text),
                    start: t.start,
                    end: t.end,
                    upos: models.upos(w.tag),
                    deprel: models.deprel(w.deprel),
                })
                .collect()
        })
        .collect();
    let mentions = annals_actors::find_mentions(lex, &sentences, date);
    // Group mentions by actor, in order of first mention.
    let mut actors: Vec<(annals_actors::ActorCode, Vec<&annals_actors::Mention>)> = Vec::new();
    for m in &mentions {
        match actors.iter_mut().find(|(c, _)| *c == m.code) {
            Some((_, ms)) => ms.push(m),
            None => actors.push((m.code.clone(), vec![m])),
        }
    }
    let mut s = format!("{{\"id\":{},\"actors\":[", serde_json::Value::from(id));
    for (k, (code, ms)) in actors.iter().enumerate() {
        if k > 0 {
            s.push(',');
        }
        let json = code.to_json();
        s.push_str(&json[..json.len() - 1]);
        s.push_str(",\"mentions\":[");
        for (j, m) in ms.iter().enumerate() {
            if j > 0 {
                s.push(',');
            }
            let mention_text = text.get(m.start..m.end).unwrap_or("");
            s.push_str(&format!(
                "{{\"text\":{},\"start\":{},\"end\":{},\"rule\":\"{}\"}}",
                serde_json::Value::from(mention_text),
                m.start,
                m.end,
                m.rule.as_str()
            ));
        }
        s.push_str("]}");
    }
    s.push_str("]}");
    s
}
