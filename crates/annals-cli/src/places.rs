//! `annals places`: the resolved places of each document with their mentions (JSON
//! lines), for checking the gazetteer and the toponym rules; and `annals eval places`
//! on a labelled file of place mentions.

use crate::ModelArgs;
use annals_places::toponyms::{find_places, PlaceMention, PlaceToken};
use annals_places::Gazetteer;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct PlacesArgs {
    /// Input files or folders: .txt (one document), .jsonl and .csv (columns id, date,
    /// text, optional title, url, source), .html; none or `-` reads standard input.
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub lexicon: crate::actor::LexiconArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// The parse of a document as the places stage needs it, with the actors' countries.
pub struct ParsedForPlaces<'t> {
    pub sentences: Vec<Vec<PlaceToken<'t>>>,
    pub actor_countries: Vec<String>,
}

pub fn parse_for_places<'t>(
    models: &'t annals_nlp::Models,
    lex: &annals_actors::Lexicon,
    text: &'t str,
) -> ParsedForPlaces<'t> {
    let (doc, parsed) = models.analyze_text(text);
    let mut sentences = Vec::with_capacity(doc.sentences.len());
    let mut tagged = Vec::with_capacity(doc.sentences.len());
    for (s, p) in doc.sentences.iter().zip(&parsed) {
        let toks = &doc.tokens[s.tokens.clone()];
        let sent: Vec<PlaceToken<'t>> = toks
            .iter()
            .zip(&p.words)
            .map(|(t, w)| PlaceToken {
                form: text.get(t.start..t.end).unwrap_or(""),
                upos: models.upos(w.tag),
                head: w.head as usize,
                deprel: models.deprel(w.deprel),
                start: t.start,
                end: t.end,
                actor: false,
            })
            .collect();
        tagged.push(
            sent.iter()
                .map(|t| annals_actors::TaggedToken {
                    form: t.form,
                    start: t.start,
                    end: t.end,
                    upos: t.upos,
                    deprel: t.deprel,
                })
                .collect::<Vec<_>>(),
        );
        sentences.push(sent);
    }
    let mentions = annals_actors::find_mentions(lex, &tagged, None);
    crate::code::mark_actor_tokens(&mut sentences, &mentions);
    let actor_countries = mentions.iter().filter(|m| !m.place).filter_map(|m| m.code.country.clone()).collect();
    ParsedForPlaces { sentences, actor_countries }
}

fn places_json(gaz: &Gazetteer, id: &str, text: &str, places: &[PlaceMention]) -> String {
    let mut by_place: Vec<(annals_places::PlaceId, Vec<&PlaceMention>)> = Vec::new();
    for m in places {
        match by_place.iter_mut().find(|(p, _)| *p == m.place) {
            Some((_, v)) => v.push(m),
            None => by_place.push((m.place, vec![m])),
        }
    }
    let list: Vec<serde_json::Value> = by_place
        .iter()
        .map(|(id, ms)| {
            let p = gaz.place(*id);
            serde_json::json!({
                "name": p.name,
                "country": p.country,
                "kind": format!("{:?}", p.kind).to_lowercase(),
                "lat": p.lat,
                "lon": p.lon,
                "mentions": ms.iter().map(|m| serde_json::json!({
                    "text": text.get(m.start..m.end).unwrap_or(""),
                    "start": m.start,
                    "end": m.end,
                    "sentence": m.sentence,
                    "direction": m.direction,
                    "locative": m.locative,
                    "as_actor": m.subject,
                    "precision": m.precision.as_str(),
                    "alternatives": m.alternatives,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({"id": id, "places": list}).to_string()
}

pub fn run(a: &PlacesArgs) -> Result<()> {
    a.model.init_threads();
    let docs = crate::input::read_documents(&a.inputs)?;
    let lex = crate::actor::load_lexicon_optional(&a.lexicon)?;
    let models = crate::models::load(a.model.models.as_deref())?;
    let gaz = Gazetteer::shared().context("the built-in gazetteer is invalid")?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let bar = crate::parse::progress(docs.len() as u64, "documents");
    for chunk in docs.chunks(64) {
        let rendered: Vec<String> = chunk
            .par_iter()
            .map(|d| {
                let p = parse_for_places(&models, &lex, &d.text);
                let countries: Vec<&str> = p.actor_countries.iter().map(String::as_str).collect();
                let places = find_places(gaz, &p.sentences, &countries);
                places_json(gaz, &d.id, &d.text, &places)
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

#[derive(clap::Args, Debug)]
pub struct EvalPlacesArgs {
    /// TSV of place mentions: id, sentence, mention, country, lat, lon, kind.
    pub file: PathBuf,
    /// Which lines to score: odd ids (dev), even ids (test) or all.
    #[arg(long, value_enum, default_value = "test")]
    pub split: crate::eval_events::Split,
    /// Print each miss.
    #[arg(long)]
    pub verbose: bool,
    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn run_eval(a: &EvalPlacesArgs) -> Result<()> {
    a.model.init_threads();
    let name = a.file.display().to_string();
    let text = std::fs::read_to_string(&a.file).with_context(|| format!("cannot read {name}"))?;
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 7 {
            bail!("{name}:{}: expected 7 tab-separated columns", i + 1);
        }
        let Ok(id) = cols[0].trim().parse::<usize>() else { bail!("{name}:{}: id is not a number", i + 1) };
        let keep = match a.split {
            crate::eval_events::Split::Dev => id % 2 == 1,
            crate::eval_events::Split::Test => id % 2 == 0,
            crate::eval_events::Split::All => true,
        };
        if keep {
            cases.push((
                id,
                cols[1].to_string(),
                cols[2].to_string(),
                cols[3].to_string(),
                cols[4].parse::<f64>().ok(),
                cols[5].parse::<f64>().ok(),
            ));
        }
    }
    let lex = annals_actors::Lexicon::builtin().context("the built-in lexicons are invalid")?;
    let models = crate::models::load(a.model.models.as_deref())?;
    let gaz = Gazetteer::shared().context("the built-in gazetteer is invalid")?;
    let results: Vec<(usize, bool, Option<bool>, String)> = cases
        .par_iter()
        .map(|(id, sentence, mention, country, lat, lon)| {
            let p = parse_for_places(&models, &lex, sentence);
            let countries: Vec<&str> = p.actor_countries.iter().map(String::as_str).collect();
            let places = find_places(gaz, &p.sentences, &countries);
            // The resolved place whose span overlaps the mention.
            let at = sentence.find(mention.as_str()).unwrap_or(usize::MAX);
            let hit = places.iter().find(|m| m.start < at.saturating_add(mention.len()) && at < m.end);
            let (country_ok, point_ok, got) = match hit {
                Some(m) => {
                    let pl = gaz.place(m.place);
                    let point = match (lat, lon) {
                        (Some(la), Some(lo)) => {
                            Some(annals_places::gazetteer::distance_km((*la, *lo), (pl.lat, pl.lon)) <= 25.0)
                        }
                        _ => None,
                    };
                    // "-" in the file: a place of no single country (a sea, a shared river).
                    let same = pl.country == *country || (country == "-" && pl.country_code().is_none());
                    (same, point, format!("{} {} ({:.2}, {:.2})", pl.name, pl.country, pl.lat, pl.lon))
                }
                None => (false, lat.map(|_| false), "not found".to_string()),
            };
            (*id, country_ok, point_ok, got)
        })
        .collect();
    let n = results.len();
    let right = results.iter().filter(|r| r.1).count();
    let points: Vec<bool> = results.iter().filter_map(|r| r.2).collect();
    let near = points.iter().filter(|&&b| b).count();
    if a.verbose {
        for (r, c) in results.iter().zip(&cases) {
            if !r.1 || r.2 == Some(false) {
                println!("miss {}\t{}\texpected {} ({:?}, {:?})\tgot {}", r.0, c.2, c.3, c.4, c.5, r.3);
            }
        }
    }
    let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    println!("place mentions: {n} ({name}, split {:?})", a.split);
    println!("right country: {right} = {:.1}%", pct(right, n));
    println!("within 25 km where a point is expected: {near} of {} = {:.1}%", points.len(), pct(near, points.len()));
    Ok(())
}
