//! `annals code`: documents in, PLOVER events out (JSONL, CSV or an aligned table).
//! Runs the whole chain per document — tokens, tags, parse, actors, events — in
//! parallel across documents, and prints events in input order.

use crate::actor::LexiconArgs;
use crate::ModelArgs;
use annals_actors::{Date, Lexicon, Precision, TaggedToken};
use annals_events::{code_document_with, CodedDocumentInput, EventLexicon, EventRecord, EventToken};
use annals_nlp::Models;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON object per event (the event schema).
    Jsonl,
    /// A readable aligned table.
    Table,
    /// Comma-separated values with a header row.
    Csv,
}

#[derive(clap::Args, Debug)]
pub struct CodeArgs {
    /// Input files or folders: .txt (one document), .jsonl and .csv (columns id, date,
    /// text, optional title, url, source), .html; none or `-` reads standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Publication date of documents that carry none (YYYY-MM-DD). Without it, such
    /// documents take today's date, with a warning.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Skip the places and dates stage: no `location`, and every event takes its
    /// document's date (faster; for measuring the stage's cost).
    #[arg(long)]
    pub no_places: bool,
    /// Also print the trigger candidates that were not coded, each with a `dropped`
    /// field saying why (not a fact, no actor, ...): for checking lexicons and rules.
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// The actor and event lexicons: built-in, plus a user's folder.
pub fn load_lexicons(args: &LexiconArgs) -> Result<(Lexicon, EventLexicon)> {
    let actors = crate::actor::load_lexicon_optional(args)?;
    let mut events = EventLexicon::builtin().context("the built-in event lexicons are invalid")?;
    if let Some(dir) = &args.lexicon {
        for (name, triggers) in [("triggers.tsv", true), ("modality.tsv", false)] {
            let path = dir.join(name);
            if !path.exists() {
                continue;
            }
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))?;
            let file = path.display().to_string();
            if triggers {
                events.add_triggers(&file, &text)?;
            } else {
                events.add_modality(&file, &text)?;
            }
        }
    }
    Ok((actors, events))
}

/// Today's date (UTC) from the system clock.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date::new(year, month, day).unwrap_or(Date { year: 1970, month: 1, day: 1 })
}

/// Tags, parses, finds actors and codes the events of one document.
#[allow(clippy::too_many_arguments)]
pub fn code_text(
    models: &Models,
    lex: &Lexicon,
    events: &EventLexicon,
    gaz: Option<&annals_places::Gazetteer>,
    id: &str,
    text: &str,
    date: Option<(Date, Precision)>,
    explain: bool,
) -> Vec<EventRecord> {
    let (doc, parsed) = models.analyze_text(text);
    let mut tagged: Vec<Vec<TaggedToken<'_>>> = Vec::with_capacity(doc.sentences.len());
    let mut lemmas: Vec<Vec<String>> = Vec::with_capacity(doc.sentences.len());
    for (s, p) in doc.sentences.iter().zip(&parsed) {
        let toks = &doc.tokens[s.tokens.clone()];
        tagged.push(
            toks.iter()
                .zip(&p.words)
                .map(|(t, w)| TaggedToken {
                    form: t.form(text),
                    start: t.start,
                    end: t.end,
                    upos: models.upos(w.tag),
                    deprel: models.deprel(w.deprel),
                })
                .collect(),
        );
        lemmas.push(p.words.iter().map(|w| w.lemma.to_lowercase()).collect());
    }
    let mentions = annals_actors::find_mentions(lex, &tagged, date.map(|(d, _)| d));
    let sentences: Vec<Vec<EventToken<'_>>> = tagged
        .iter()
        .zip(&parsed)
        .zip(&lemmas)
        .map(|((toks, p), ls)| {
            toks.iter()
                .zip(&p.words)
                .zip(ls)
                .map(|((t, w), l)| EventToken {
                    form: t.form,
                    lemma: l,
                    upos: t.upos,
                    xpos: models.xpos(w.tag),
                    head: w.head as usize,
                    deprel: t.deprel,
                    start: t.start,
                    end: t.end,
                })
                .collect()
        })
        .collect();
    let input = CodedDocumentInput { id, text, date, sentences: &sentences, mentions: &mentions };
    let mut records = code_document_with(events, &input, explain);
    let Some(gaz) = gaz else { return records };
    let place_sentences: Vec<Vec<annals_places::PlaceToken<'_>>> = sentences
        .iter()
        .map(|s| {
            s.iter()
                .map(|t| annals_places::PlaceToken {
                    form: t.form,
                    upos: t.upos,
                    head: t.head,
                    deprel: t.deprel,
                    start: t.start,
                    end: t.end,
                    actor: false,
                })
                .collect()
        })
        .collect();
    let mut place_sentences = place_sentences;
    mark_actor_tokens(&mut place_sentences, &mentions);
    let actor_countries: Vec<&str> =
        mentions.iter().filter(|m| !m.place).filter_map(|m| m.code.country.as_deref()).collect();
    locate_and_date(gaz, text, &place_sentences, &actor_countries, date, &mut records);
    records
}

/// Gives each event its place and date (issue 5): the place named in the event's own
/// clause, else a locative place of its sentence, else the document's dominant place;
/// the date written in its clause, else the publication date.
pub fn locate_and_date(
    gaz: &annals_places::Gazetteer,
    text: &str,
    sentences: &[Vec<annals_places::toponyms::PlaceToken<'_>>],
    actor_countries: &[&str],
    publication: Option<(Date, Precision)>,
    records: &mut [EventRecord],
) {
    use annals_places::toponyms::{clause_tokens, dominant_place, find_places, LocationPrecision};
    let places = find_places(gaz, sentences, actor_countries);
    let usable: Vec<&annals_places::toponyms::PlaceMention> = places.iter().filter(|m| !m.subject).collect();
    let dominant = dominant_place(&places.iter().filter(|m| !m.subject).cloned().collect::<Vec<_>>()).cloned();
    let mut dates_by_sentence: Vec<Option<Vec<annals_places::DateMention>>> = vec![None; sentences.len()];
    for r in records.iter_mut() {
        let Some(sent) = sentences.get(r.sentence) else { continue };
        let mut roots: Vec<usize> = r.trigger_tokens.clone().collect();
        // A noun trigger's clause is its light verb's ("launched an attack in Rafah").
        if let Some(t) = sent.get(r.trigger_tokens.start) {
            let light = matches!(t.deprel.split(':').next(), Some("obj" | "obl"));
            if t.upos == "NOUN" && light && t.head > 0 && sent.get(t.head - 1).is_some_and(|h| h.upos == "VERB") {
                roots.push(t.head - 1);
            }
        }
        let clause = clause_tokens(sent, &roots);
        let in_clause = |m: &&&annals_places::toponyms::PlaceMention| {
            m.sentence == r.sentence && clause.get(m.tokens.start).copied().unwrap_or(false)
        };
        let chosen = usable
            .iter()
            .filter(in_clause)
            .max_by_key(|m| {
                let fine = match m.precision {
                    LocationPrecision::Point => 3,
                    LocationPrecision::Region => 2,
                    _ => 1,
                };
                (m.locative || m.direction.is_some(), fine, std::cmp::Reverse(m.start))
            })
            .map(|m| ((*m).clone(), false))
            .or_else(|| usable.iter().find(|m| m.sentence == r.sentence && m.locative).map(|m| ((*m).clone(), false)))
            .or_else(|| dominant.clone().map(|m| (m, true)));
        if let Some((m, from_document)) = chosen {
            let p = gaz.place(m.place);
            let name = match &m.direction {
                Some(d) => format!("{d} {}", p.name),
                None => p.name.clone(),
            };
            let precision = if from_document { LocationPrecision::Document } else { m.precision };
            r.location = Some(annals_events::LocationRecord {
                name,
                country: p.country_code().map(str::to_string),
                lat: Some(p.lat),
                lon: Some(p.lon),
                precision: precision.as_str().to_string(),
            });
        }
        // The date written in the event's clause.
        let Some(((publication, _), (first, last))) = publication.zip(sent.first().zip(sent.last())) else { continue };
        let base = first.start;
        let sentence_text = text.get(base..last.end).unwrap_or("");
        let found = dates_by_sentence[r.sentence]
            .get_or_insert_with(|| annals_places::find_dates(sentence_text, publication))
            .clone();
        for d in found {
            let token = sent.iter().position(|t| t.start >= base + d.start && t.start < base + d.end);
            if token.is_some_and(|k| clause.get(k).copied().unwrap_or(false)) {
                r.date = Some(d.date.format(d.precision));
                r.date_precision = Some(d.precision.as_str());
                break;
            }
        }
    }
}

/// Marks the tokens of actor mentions that name an organization, a person or a sector
/// ("Hamas", "Egyptian mediators"): they are not place names.
pub fn mark_actor_tokens(sentences: &mut [Vec<annals_places::PlaceToken<'_>>], mentions: &[annals_actors::Mention]) {
    for m in mentions {
        let Some(sent) = sentences.get_mut(m.sentence) else { continue };
        // An organization or a person is not a place ("Hamas"); in other mentions only
        // the actor nouns are ("Jordan's foreign ministry": Jordan is still a place).
        // An organization that is also a territory ("Somaliland", "Transnistria") is a
        // place in a locative phrase ("across Amhara", "to Transnistria").
        let head = m.tokens.end.saturating_sub(1);
        let locative = sent.iter().any(|c| {
            c.head == head + 1
                && c.deprel == "case"
                && matches!(
                    c.form.to_lowercase().as_str(),
                    "in" | "at"
                        | "near"
                        | "to"
                        | "into"
                        | "across"
                        | "from"
                        | "through"
                        | "throughout"
                        | "within"
                        | "inside"
                        | "outside"
                        | "around"
                )
        });
        let whole = m.code.name.is_some() || (m.code.org.is_some() && !locative);
        // A mention that only names a country or place ("Deir ez-Zor") marks nothing.
        if !whole && m.code.sector.is_none() {
            continue;
        }
        // The owner before a possessive stays a place ("Congo's President Tshisekedi").
        let owners_end = m
            .tokens
            .clone()
            .filter(|&t| sent.get(t + 1).is_some_and(|n| matches!(n.form, "'s" | "’s" | "'" | "’")))
            .map(|t| t + 2)
            .max()
            .unwrap_or(m.tokens.start);
        for t in m.tokens.clone() {
            if t < owners_end {
                continue;
            }
            if let Some(tok) = sent.get_mut(t) {
                if whole || !tok.form.starts_with(char::is_uppercase) {
                    tok.actor = true;
                }
            }
        }
    }
}

pub fn run(a: &CodeArgs) -> Result<()> {
    a.model.init_threads();
    let default_date = match a.date.as_deref() {
        Some(d) => match Date::parse(d) {
            Some(x) => Some(x),
            None => bail!("--date: not a date: {d:?} (expected YYYY-MM-DD, YYYY-MM or YYYY)"),
        },
        None => None,
    };
    let docs = crate::input::read_documents(&a.inputs)?;
    let (lex, events) = load_lexicons(&a.lexicon)?;
    let models = crate::models::load(a.model.models.as_deref())?;
    let gaz = if a.no_places {
        None
    } else {
        Some(annals_places::Gazetteer::shared().context("the built-in gazetteer is invalid")?)
    };
    let stdout = std::io::stdout();
    let format = a.format.unwrap_or(if stdout.is_terminal() { OutputFormat::Table } else { OutputFormat::Jsonl });
    let mut out = std::io::BufWriter::new(stdout.lock());
    let bar = crate::parse::progress(docs.len() as u64, "documents");
    let mut undated = 0usize;
    let mut table_rows: Vec<[String; 8]> = Vec::new();
    if format == OutputFormat::Csv {
        writeln!(out, "{}", CSV_HEADER.join(","))?;
    }
    for chunk in docs.chunks(64) {
        let coded: Vec<(Vec<EventRecord>, bool)> = chunk
            .par_iter()
            .map(|d| {
                let parsed = d.date.as_deref().and_then(Date::parse);
                if d.date.is_some() && parsed.is_none() {
                    eprintln!("warning: document {}: unreadable date {:?}, using --date or today", d.id, d.date);
                }
                let missing = parsed.is_none() && default_date.is_none();
                let date = parsed.or(default_date).unwrap_or((today(), Precision::Day));
                (code_text(&models, &lex, &events, gaz, &d.id, &d.text, Some(date), a.explain), missing)
            })
            .collect();
        for (records, missing) in coded {
            undated += usize::from(missing);
            for r in &records {
                match format {
                    OutputFormat::Jsonl => writeln!(out, "{}", r.to_json())?,
                    OutputFormat::Csv => writeln!(out, "{}", csv_row(r))?,
                    OutputFormat::Table => table_rows.push(table_row(r)),
                }
            }
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    if format == OutputFormat::Table {
        write_table(&mut out, &table_rows)?;
    }
    if undated > 0 {
        eprintln!("warning: {undated} document(s) had no date and took today's date ({}); pass --date", today());
    }
    Ok(out.flush()?)
}

const CSV_HEADER: [&str; 16] = [
    "id",
    "doc",
    "sentence",
    "event",
    "mode",
    "quad",
    "source",
    "source_country",
    "source_sector",
    "target",
    "target_country",
    "target_sector",
    "trigger",
    "negated",
    "date",
    "confidence",
];

fn join_actors(list: &[annals_events::ActorRecord], f: impl Fn(&annals_events::ActorRecord) -> String) -> String {
    list.iter().map(f).collect::<Vec<_>>().join(";")
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(r: &EventRecord) -> String {
    let fields = [
        r.id.clone(),
        r.doc.clone(),
        r.sentence.to_string(),
        r.event.to_string(),
        r.mode.clone().unwrap_or_default(),
        r.quad.to_string(),
        join_actors(&r.source, |a| a.text.clone()),
        join_actors(&r.source, |a| a.country.clone().unwrap_or_default()),
        join_actors(&r.source, |a| a.sector.clone().unwrap_or_default()),
        join_actors(&r.target, |a| a.text.clone()),
        join_actors(&r.target, |a| a.country.clone().unwrap_or_default()),
        join_actors(&r.target, |a| a.sector.clone().unwrap_or_default()),
        r.trigger.text.clone(),
        r.negated.to_string(),
        r.date.clone().unwrap_or_default(),
        format!("{:.2}", r.confidence),
    ];
    fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",")
}

/// An actor as a short code: `USA/GOV Antony Blinken`, `PSE/REB Hamas`.
fn actor_code(a: &annals_events::ActorRecord) -> String {
    let mut s = format!("{}/{}", a.country.as_deref().unwrap_or("---"), a.sector.as_deref().unwrap_or("---"));
    if let Some(n) = a.name.as_deref().or(a.org.as_deref()) {
        s.push(' ');
        s.push_str(n);
    }
    s
}

fn table_row(r: &EventRecord) -> [String; 8] {
    let actors = |l: &[annals_events::ActorRecord]| {
        if l.is_empty() {
            "-".to_string()
        } else {
            l.iter().map(actor_code).collect::<Vec<_>>().join(" + ")
        }
    };
    let mut trig: String = r.trigger.text.chars().take(30).collect();
    if r.negated {
        trig = format!("NOT {trig}");
    }
    if let Some(reason) = &r.dropped {
        trig = format!("[dropped: {reason}] {trig}");
    }
    [
        format!("{}:{}", r.doc, r.sentence),
        r.event.to_string(),
        r.mode.clone().unwrap_or_else(|| "-".into()),
        actors(&r.source),
        actors(&r.target),
        trig,
        format!("{:.2}", r.confidence),
        r.date.clone().unwrap_or_default(),
    ]
}

fn write_table(out: &mut impl Write, rows: &[[String; 8]]) -> std::io::Result<()> {
    let header = ["doc:sent", "event", "mode", "source", "target", "trigger", "conf", "date"].map(String::from);
    let mut width = [0usize; 8];
    for row in std::iter::once(&header).chain(rows) {
        for (w, c) in width.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count()).min(48);
        }
    }
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (k, (c, w)) in row.iter().zip(width).enumerate() {
            let cell: String = c.chars().take(w).collect();
            line.push_str(&cell);
            if k + 1 < row.len() {
                line.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    if rows.is_empty() {
        writeln!(out, "(no events)")?;
    }
    Ok(())
}
