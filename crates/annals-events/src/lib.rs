//! PLOVER events: who did what to whom, coded from parsed sentences and their actors.
//!
//! This crate owns the event stage of annals: the trigger lexicon (`data/triggers.tsv`,
//! words and phrases mapped to the 16 PLOVER types and their modes), the modality
//! words (`data/modality.tsv`: negation, plans, conditions), the rules that take source
//! and target from the dependency parse ([`coder`]), and the event record of the
//! output contract ([`record`]). It does no I/O and never fails on a sentence: a
//! sentence it cannot read yields no event.

pub mod coder;
pub mod lexicon;
pub mod plover;
pub mod record;

pub use coder::{code_sentence, ActorSlot, EventCandidate, EventToken};
pub use lexicon::{EventLexicon, EventLexiconError, ModalityKind, TargetSpec, TriggerEntry, TriggerPos};
pub use plover::{EventType, Quad};
pub use record::{ActorRecord, EventRecord, LocationRecord, TriggerRecord};

use annals_actors::{Date, Mention, Precision};

/// A document to code: its id, text, date, and parsed sentences with actor mentions.
pub struct CodedDocumentInput<'a, 't> {
    pub id: &'a str,
    pub text: &'a str,
    pub date: Option<(Date, Precision)>,
    /// Tokens of each sentence (offsets into `text`).
    pub sentences: &'a [Vec<EventToken<'t>>],
    /// The document's actor mentions (each names its sentence and token range).
    pub mentions: &'a [Mention],
}

/// Codes all sentences of a document and renders the events as records, in sentence
/// order and, within a sentence, most confident first.
pub fn code_document(lex: &EventLexicon, doc: &CodedDocumentInput<'_, '_>) -> Vec<EventRecord> {
    let mut out = Vec::new();
    let mut by_sentence: Vec<Vec<&Mention>> = vec![Vec::new(); doc.sentences.len()];
    for m in doc.mentions {
        if let Some(v) = by_sentence.get_mut(m.sentence) {
            v.push(m);
        }
    }
    let (date, precision) = match doc.date {
        Some((d, p)) => (Some(format_date(d, p)), Some(precision_name(p))),
        None => (None, None),
    };
    for (si, tokens) in doc.sentences.iter().enumerate() {
        let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else { continue };
        let mentions = &by_sentence[si];
        let slots: Vec<ActorSlot> = mentions.iter().map(|m| ActorSlot { tokens: m.tokens.clone() }).collect();
        let last_form = last.form;
        let question = last_form == "?";
        let events = code_sentence(lex, tokens, &slots, question);
        if events.is_empty() {
            continue;
        }
        let base = first.start;
        let sentence_text = doc.text.get(base..last.end).unwrap_or("");
        let actor = |k: usize| -> Option<ActorRecord> {
            let m = mentions.get(k)?;
            let span = record::char_span(sentence_text, m.start.saturating_sub(base), m.end.saturating_sub(base));
            Some(ActorRecord {
                text: doc.text.get(m.start..m.end).unwrap_or("").to_string(),
                name: m.code.name.clone(),
                country: m.code.country.clone(),
                sector: m.code.sector.clone(),
                org: m.code.org.clone(),
                span,
            })
        };
        for (k, e) in events.iter().enumerate() {
            let (ts, te) = (tokens[e.trigger.start].start, tokens[e.trigger.end - 1].end);
            out.push(EventRecord {
                id: format!("{}:{}:{}", doc.id, si, k),
                doc: doc.id.to_string(),
                sentence: si,
                event: e.event.as_str(),
                mode: e.mode.as_deref().map(str::to_string),
                context: Vec::new(),
                source: e.sources.iter().filter_map(|&k| actor(k)).collect(),
                target: e.targets.iter().filter_map(|&k| actor(k)).collect(),
                trigger: TriggerRecord {
                    text: doc.text.get(ts..te).unwrap_or("").to_string(),
                    span: record::char_span(sentence_text, ts - base, te - base),
                },
                negated: e.negated,
                location: None,
                date: date.clone(),
                date_precision: precision,
                text: sentence_text.to_string(),
                confidence: (f64::from(e.confidence) * 100.0).round() / 100.0,
                quad: e.event.quad().as_str(),
                why: e.why.clone(),
            });
        }
    }
    out
}

fn precision_name(p: Precision) -> &'static str {
    match p {
        Precision::Day => "day",
        Precision::Month => "month",
        Precision::Year => "year",
    }
}

fn format_date(d: Date, p: Precision) -> String {
    match p {
        Precision::Day => d.to_string(),
        Precision::Month => format!("{:04}-{:02}", d.year, d.month),
        Precision::Year => format!("{:04}", d.year),
    }
}
