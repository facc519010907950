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

pub use coder::{code_sentence, ActorSlot, CodeOptions, EventCandidate, EventToken};
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
    code_document_with(lex, doc, false)
}

/// [`code_document`], optionally with the dropped candidates (`explain`): records whose
/// `dropped` field says why they are not events.
pub fn code_document_with(lex: &EventLexicon, doc: &CodedDocumentInput<'_, '_>, explain: bool) -> Vec<EventRecord> {
    let mut out = Vec::new();
    let mut all: Vec<Mention> = doc.mentions.to_vec();
    all.extend(group_pronouns(doc));
    inherit_owner_countries(doc, &mut all);
    national_institutions(doc.text, &mut all);
    let mut by_sentence: Vec<Vec<&Mention>> = vec![Vec::new(); doc.sentences.len()];
    for m in &all {
        if let Some(v) = by_sentence.get_mut(m.sentence) {
            v.push(m);
        }
    }
    let (date, precision) = match doc.date {
        Some((d, p)) => (Some(d.format(p)), Some(p.as_str())),
        None => (None, None),
    };
    for (si, tokens) in doc.sentences.iter().enumerate() {
        let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else { continue };
        let mentions = &by_sentence[si];
        let slots: Vec<ActorSlot> = mentions
            .iter()
            .map(|m| ActorSlot {
                tokens: m.tokens.clone(),
                place: m.place,
                agent: m.code.sector.is_some() || m.code.org.is_some() || m.code.name.is_some(),
            })
            .collect();
        let last_form = last.form;
        let question = last_form == "?";
        let mut events = code_sentence(lex, tokens, &slots, CodeOptions { question, explain });
        // News puts the main event first (the inverted pyramid): events further from
        // the lead are less likely to be what the story reports.
        let lead = 0.05 * si.min(6) as f32;
        for e in events.iter_mut().filter(|e| e.dropped.is_none()) {
            e.confidence = (e.confidence - lead).max(0.05);
        }
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
                dropped: e.dropped.clone(),
                trigger_tokens: e.trigger.clone(),
            });
        }
    }
    out
}

/// Mentions for "it", "they", "we", "its", "their" as subjects or possessives, which the
/// actor stage leaves to us: the subject of the clause that reports them ("Tanzania
/// says it has lifted ..."), else the last group or state that was a subject in this or
/// the previous sentence. Persons are never antecedents (the actor stage handles
/// "he"/"she").
fn group_pronouns(doc: &CodedDocumentInput<'_, '_>) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut last_subject: Option<(usize, &Mention)> = None;
    let mut by_sentence: Vec<Vec<&Mention>> = vec![Vec::new(); doc.sentences.len()];
    for m in doc.mentions {
        if let Some(v) = by_sentence.get_mut(m.sentence) {
            v.push(m);
        }
    }
    let is_group = |m: &Mention| m.code.name.is_none() && !m.code.is_empty();
    for (si, tokens) in doc.sentences.iter().enumerate() {
        let mentions = &by_sentence[si];
        let covered = |t: usize| mentions.iter().find(|m| m.tokens.contains(&t)).copied();
        for (t, tok) in tokens.iter().enumerate() {
            let form = tok.form.to_lowercase();
            if !matches!(form.as_str(), "it" | "they" | "we" | "its" | "their" | "our" | "them" | "us")
                || covered(t).is_some()
            {
                continue;
            }
            if matches!(tok.deprel, "obj" | "iobj") && matches!(form.as_str(), "it" | "them") {
                // "Erdoğan stepped up his rhetoric against the US, accusing it of ...":
                // the last group named before it in the sentence that is not the doer.
                let subject_here = mentions.iter().filter(|m| m.subject).map(|m| m.code.clone()).collect::<Vec<_>>();
                let before = mentions
                    .iter()
                    .rev()
                    .find(|m| m.tokens.end <= t && is_group(m) && !m.place && !subject_here.contains(&m.code));
                if let Some(a) = before {
                    out.push(Mention {
                        sentence: si,
                        tokens: t..t + 1,
                        start: tok.start,
                        end: tok.end,
                        code: a.code.clone(),
                        rule: annals_actors::MentionRule::Anaphor,
                        subject: false,
                        place: false,
                    });
                }
                continue;
            }
            if !matches!(tok.deprel, "nsubj" | "nsubj:pass" | "nmod:poss") {
                continue;
            }
            let subject_of = |v: usize| -> Option<&Mention> {
                let subj = tokens.iter().enumerate().find(|(k, x)| x.head == v + 1 && x.deprel == "nsubj" && *k < t);
                subj.and_then(|(k, _)| covered(k)).filter(|m| is_group(m))
            };
            let mut antecedent: Option<&Mention> = None;
            let mut own_subject = false;
            let mut cur = if tok.head > 0 { tok.head - 1 } else { usize::MAX };
            if tok.deprel == "nmod:poss" {
                // "Russia has wielded its veto": the subject of the possessive's own
                // clause; when that subject is not an actor ("warplanes kept up their
                // bombardment"), the possessive is its, not an earlier actor's.
                for _ in 0..3 {
                    let Some(c) = tokens.get(cur) else { break };
                    if c.upos == "VERB" || c.upos == "AUX" {
                        antecedent = subject_of(cur);
                        own_subject =
                            tokens.iter().enumerate().any(|(k, x)| x.head == cur + 1 && x.deprel == "nsubj" && k < t);
                        break;
                    }
                    cur = c.head.wrapping_sub(1);
                }
                if antecedent.is_none() && own_subject {
                    continue;
                }
            }
            // The subject of a clause above that reports or governs this one.
            for _ in 0..4 {
                let Some(c) = tokens.get(cur) else { break };
                if !matches!(c.deprel.split(':').next(), Some("ccomp" | "parataxis" | "advcl" | "conj" | "xcomp")) {
                    break;
                }
                if antecedent.is_some() {
                    break;
                }
                let h = c.head.wrapping_sub(1);
                if let Some(m) = subject_of(h) {
                    antecedent = Some(m);
                    break;
                }
                cur = h;
            }
            // Else the last group named before it in this sentence that is not a
            // subject ("rhetoric against the US, accusing it of ..."), else the last
            // group subject of this or the previous sentence.
            let antecedent = antecedent
                .or_else(|| {
                    (tok.deprel != "nmod:poss")
                        .then(|| {
                            mentions.iter().rev().find(|m| m.tokens.end <= t && is_group(m) && !m.place && !m.subject)
                        })
                        .flatten()
                        .copied()
                })
                .or_else(|| last_subject.filter(|(s, _)| si.saturating_sub(*s) <= 1).map(|(_, m)| m));
            if let Some(a) = antecedent {
                out.push(Mention {
                    sentence: si,
                    tokens: t..t + 1,
                    start: tok.start,
                    end: tok.end,
                    code: a.code.clone(),
                    rule: annals_actors::MentionRule::Anaphor,
                    subject: tok.deprel.starts_with("nsubj"),
                    place: false,
                });
            }
        }
        if let Some(m) = mentions.iter().rev().find(|m| m.subject && is_group(m)) {
            last_subject = Some((si, m));
        }
    }
    out
}

/// "Erdoğan's government", "its military forces", "the government of Afghanistan": a
/// mention without a country takes the country of its owner.
fn inherit_owner_countries(doc: &CodedDocumentInput<'_, '_>, mentions: &mut [Mention]) {
    for k in 0..mentions.len() {
        if mentions[k].code.country.is_some() || mentions[k].code.is_empty() {
            continue;
        }
        let (si, range) = (mentions[k].sentence, mentions[k].tokens.clone());
        let Some(tokens) = doc.sentences.get(si) else { continue };
        // The owner: a possessive, or an "of" phrase ("the government of Afghanistan").
        let of_phrase = |t: usize| {
            tokens.iter().any(|c| c.head == t + 1 && c.deprel == "case" && c.form.eq_ignore_ascii_case("of"))
        };
        let owner = tokens.iter().enumerate().find(|(t, x)| {
            x.head > 0
                && range.contains(&(x.head - 1))
                && !range.contains(t)
                && (x.deprel == "nmod:poss" || (x.deprel == "nmod" && of_phrase(*t)) || x.deprel == "compound")
        });
        let Some((t, _)) = owner else { continue };
        // An owner that is a person or a state ("Assad regime", "Trump administration").
        let country = mentions
            .iter()
            .find(|m| m.sentence == si && m.tokens.contains(&t) && !m.place)
            .filter(|m| tokens[t].deprel != "compound" || m.code.name.is_some() || m.code.sector.is_none())
            .and_then(|m| m.code.country.clone());
        if country.is_some() {
            mentions[k].code.country = country;
        }
    }
}

/// "The government", "the army", "police" without a country: the country the document
/// is about, when one country has at least half of its mentions with a country
/// (the document's context country, as event coders have long used).
fn national_institutions(doc_text: &str, mentions: &mut [Mention]) {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut total = 0;
    for m in mentions.iter() {
        if let Some(c) = m.code.country.as_deref() {
            *counts.entry(c).or_default() += 1;
            total += 1;
        }
    }
    let Some((top, n)) = counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))) else { return };
    if total < 3 || 2 * n < total {
        return;
    }
    let top = top.to_string();
    for m in mentions.iter_mut() {
        let national = matches!(m.code.sector.as_deref(), Some("GOV" | "MIL" | "COP" | "LEG" | "JUD" | "SPY"));
        // Only a bare institution ("the government"), not one with a qualifier the
        // lexicon did not place ("the Kurdish authorities").
        let bare = doc_text.get(m.start..m.end).is_some_and(|t| !t.chars().any(char::is_uppercase));
        if m.code.country.is_none() && m.code.org.is_none() && m.code.name.is_none() && national && bare {
            m.code.country = Some(top.clone());
        }
    }
}
