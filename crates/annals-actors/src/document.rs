//! Actor mentions in a whole document: finding the phrases that name actors in tagged
//! sentences, resolving them, and linking later mentions to earlier ones (a surname to
//! the person introduced with title and country, "he"/"his" to the last person
//! subject, "the group" to the last organization) when the choice is unambiguous.
//!
//! Mentions are runs of tokens covered by lexicon phrases, extended by capitalized
//! proper names after a title or known person and by a possessive owner followed by
//! an actor noun ("Chile's Ministry of Mines"). Part-of-speech tags keep a verb or a
//! common word that happens to be in the lexicon out of a run.

use crate::date::Date;
use crate::lexicon::{Entry, Lexicon};
use crate::resolve::{find_matches, ActorCode};
use std::collections::HashMap;

/// One token of a tagged sentence, as the actor stage needs it.
#[derive(Debug, Clone, Copy)]
pub struct TaggedToken<'a> {
    pub form: &'a str,
    /// Byte offsets into the document text.
    pub start: usize,
    pub end: usize,
    /// Universal POS tag.
    pub upos: &'a str,
    /// Universal dependency relation to the head (`nsubj`, `obj`, ...), or "" if unknown.
    pub deprel: &'a str,
}

/// How a mention was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionRule {
    /// From the lexicon phrases of the mention itself.
    Lexicon,
    /// A surname (or full name) of a person met earlier in the document.
    Surname,
    /// A personal pronoun: the last person subject.
    Pronoun,
    /// "the group", "the militants": the last organization.
    Anaphor,
}

impl MentionRule {
    pub fn as_str(self) -> &'static str {
        match self {
            MentionRule::Lexicon => "lexicon",
            MentionRule::Surname => "surname",
            MentionRule::Pronoun => "pronoun",
            MentionRule::Anaphor => "anaphor",
        }
    }
}

/// One actor mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub sentence: usize,
    /// Token range within the sentence.
    pub tokens: std::ops::Range<usize>,
    /// Byte offsets into the document text.
    pub start: usize,
    pub end: usize,
    pub code: ActorCode,
    pub rule: MentionRule,
    /// Whether the mention is the subject of its clause (by the parse).
    pub subject: bool,
    /// Whether the mention only names a city or region ("Geneva", "Rafah"): a place
    /// more often than an actor.
    pub place: bool,
}

const PRONOUNS: [&str; 8] = ["he", "him", "his", "she", "her", "hers", "himself", "herself"];
const GROUP_ANAPHORS: [&str; 8] =
    ["group", "militants", "movement", "organization", "organisation", "militia", "faction", "insurgents"];

fn is_possessive(form: &str) -> bool {
    matches!(form, "'s" | "'" | "\u{2019}s" | "\u{2019}")
}

fn is_capitalized_name(t: &TaggedToken<'_>) -> bool {
    t.upos == "PROPN" && t.form.chars().next().is_some_and(char::is_uppercase)
}

/// Finds and resolves the actor mentions of a document given as tagged sentences.
pub fn find_mentions(lex: &Lexicon, sentences: &[Vec<TaggedToken<'_>>], date: Option<Date>) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    // Surname or full name (folded) -> the code of the person it names.
    let mut people: HashMap<String, ActorCode> = HashMap::new();
    for (si, sent) in sentences.iter().enumerate() {
        let forms: Vec<&str> = sent.iter().map(|t| t.form).collect();
        let matches = find_matches(lex, &forms);
        let mut covered = vec![false; sent.len()];
        for m in &matches {
            // A lexicon word used as a verb ("Israel reiterated its resolve" is fine, but
            // "they will court voters") is not an actor.
            // A capitalized word inside the sentence is a name, whatever its tag
            // ("the United Nations" with "United" tagged as a verb).
            let verb = (m.start..m.end).any(|k| {
                matches!(sent[k].upos, "VERB" | "AUX") && (k == 0 || !sent[k].form.starts_with(char::is_uppercase))
            });
            // A proper name written in lowercase in running text is a common word
            // ("forced labour", "roast turkey").
            let lowercase = (m.start..m.end).all(|k| !sent[k].form.chars().any(char::is_uppercase));
            let proper = m.entries.iter().all(|e| {
                matches!(
                    e,
                    Entry::Organization(_) | Entry::Person(_) | Entry::Country(_) | Entry::Seat(_) | Entry::Place(_)
                )
            });
            if !(verb || lowercase && proper) {
                covered[m.start..m.end].iter_mut().for_each(|c| *c = true);
            }
        }
        let mut i = 0;
        while i < sent.len() {
            if !covered[i] {
                // Coreference of names and pronouns.
                let key = crate::lexicon::fold(sent[i].form);
                if is_capitalized_name(&sent[i]) {
                    let mut j = i;
                    while j < sent.len() && !covered[j] && is_capitalized_name(&sent[j]) {
                        j += 1;
                    }
                    let full = sent[i..j].iter().map(|t| crate::lexicon::fold(t.form)).collect::<Vec<_>>().join(" ");
                    let last = crate::lexicon::fold(sent[j - 1].form);
                    if let Some(code) = people.get(&full).or_else(|| people.get(&last)) {
                        out.push(mention(si, sent, i, j, code.clone(), MentionRule::Surname));
                    } else {
                        // A bare surname the document has not introduced ("Trump",
                        // "Erdoğan"): the one office holder of that name at the date.
                        let code = lex.resolve_forms(&forms[i..j], date);
                        if code.name.is_some() {
                            people.insert(last.clone(), code.clone());
                            out.push(mention(si, sent, i, j, code, MentionRule::Lexicon));
                        }
                    }
                    i = j;
                    continue;
                }
                if sent[i].upos == "PRON" || sent[i].upos == "DET" {
                    if PRONOUNS.contains(&key.as_str()) {
                        if let Some(code) = last_person(&out, si, pronoun_gender(&key)) {
                            out.push(mention(si, sent, i, i + 1, code, MentionRule::Pronoun));
                        }
                    }
                } else if GROUP_ANAPHORS.contains(&key.as_str())
                    && i > 0
                    && sent[i - 1].form.eq_ignore_ascii_case("the")
                {
                    if let Some(code) = last_organization(lex, &out, si) {
                        out.push(mention(si, sent, i - 1, i + 1, code, MentionRule::Anaphor));
                    }
                }
                i += 1;
                continue;
            }
            // A run of lexicon words, possessive owners followed by an actor noun, and
            // capitalized names after a title or known person.
            let mut j = i;
            loop {
                while j < sent.len() && covered[j] {
                    j += 1;
                }
                if j + 1 < sent.len() && is_possessive(sent[j].form) && covered[j + 1] {
                    j += 1;
                    continue;
                }
                if j < sent.len() && is_capitalized_name(&sent[j]) && ends_in_title(lex, &forms[i..j]) {
                    j += crate::resolve::name_length(&forms[j..]).max(1);
                    continue;
                }
                break;
            }
            // An actor noun used as an adjective ("military intervention", "civilian
            // lives") is not an actor; a country adjective ("Israeli strikes") still is.
            if sent[j - 1].upos == "ADJ" && ends_in_common_noun(lex, &forms[i..j]) {
                i = j;
                continue;
            }
            let end_with_possessive = j < sent.len() && is_possessive(sent[j].form);
            let words: Vec<&str> = forms[i..j + usize::from(end_with_possessive)].to_vec();
            // The mention takes in adjectives right before it ("nationalist allies").
            let mut first = i;
            while first > 0 && sent[first - 1].upos == "ADJ" && !covered[first - 1] && !claimed(&out, si, first - 1) {
                first -= 1;
            }
            let mut code = lex.resolve_forms(&words, date);
            if code.country.is_none() && code.name.is_none() && code.org.is_none() && code.sector.is_some() {
                // "the Assad regime", "the Trump administration": a person named inside
                // the phrase gives the institution its country.
                for (k, w) in words.iter().enumerate() {
                    if !w.starts_with(char::is_uppercase) {
                        continue;
                    }
                    let inner = lex.resolve_forms(&words[k..=k], date);
                    if inner.name.is_some() && inner.country.is_some() {
                        code.country = inner.country;
                        break;
                    }
                }
            }
            if !code.is_empty() {
                if let Some(name) = &code.name {
                    let folded: Vec<String> = name.split_whitespace().map(crate::lexicon::fold).collect();
                    if let Some(surname) = folded.last() {
                        people.insert(surname.clone(), code.clone());
                        // "al-Sisi" is also "Sisi".
                        if let Some(tail) = surname.rsplit('-').next().filter(|t| t.len() > 2 && *t != surname) {
                            people.insert(tail.to_string(), code.clone());
                        }
                    }
                    people.insert(folded.join(" "), code.clone());
                }
                let place = code.sector.is_none() && code.org.is_none() && lex.names_only_places(&words);
                let mut m = mention(si, sent, first, j + usize::from(end_with_possessive), code, MentionRule::Lexicon);
                m.place = place;
                out.push(m);
            }
            i = j.max(i + 1);
        }
    }
    share_heads_across_conjunctions(sentences, &mut out);
    fill_countries_from_sentence(sentences, &mut out);
    out
}

/// "Hungarian and Romanian officials": a bare country adjective joined by "and", "or"
/// or a comma to the next mention takes that mention's sector.
fn share_heads_across_conjunctions(sentences: &[Vec<TaggedToken<'_>>], mentions: &mut [Mention]) {
    for k in (0..mentions.len().saturating_sub(1)).rev() {
        let (a, b) = (&mentions[k], &mentions[k + 1]);
        if a.sentence != b.sentence || a.rule != MentionRule::Lexicon || b.rule != MentionRule::Lexicon {
            continue;
        }
        let Some(sent) = sentences.get(a.sentence) else { continue };
        let between = &sent[a.tokens.end.min(b.tokens.start)..b.tokens.start];
        let joined = !between.is_empty() && between.iter().all(|t| matches!(t.form, "and" | "or" | ","));
        let bare = a.code.sector.is_none()
            && a.code.org.is_none()
            && a.code.name.is_none()
            && a.code.country.is_some()
            && sent.get(a.tokens.end - 1).is_some_and(|t| t.upos == "ADJ");
        if joined && bare && b.code.sector.is_some() && b.code.name.is_none() && b.code.org.is_none() {
            let sector = b.code.sector.clone();
            mentions[k].code.sector = sector;
        }
    }
}

/// Whether token `k` of sentence `si` already belongs to a mention.
fn claimed(mentions: &[Mention], si: usize, k: usize) -> bool {
    mentions.iter().rev().take_while(|m| m.sentence == si).any(|m| m.tokens.contains(&k))
}

fn mention(si: usize, sent: &[TaggedToken<'_>], a: usize, b: usize, code: ActorCode, rule: MentionRule) -> Mention {
    let subject = sent[a..b].iter().any(|t| t.deprel.starts_with("nsubj"));
    Mention {
        sentence: si,
        tokens: a..b,
        start: sent[a].start,
        end: sent[b - 1].end,
        code,
        rule,
        subject,
        place: false,
    }
}

/// Whether the words end with an actor noun or title (not a name or country word).
fn ends_in_common_noun(lex: &Lexicon, forms: &[&str]) -> bool {
    find_matches(lex, forms).last().is_some_and(|m| {
        m.end == forms.len() && m.entries.iter().any(|e| matches!(e, Entry::Title(_) | Entry::Agent(_)))
    })
}

/// Whether the words end with a title or a known person (so that a following
/// capitalized name belongs to them).
fn ends_in_title(lex: &Lexicon, forms: &[&str]) -> bool {
    find_matches(lex, forms).last().is_some_and(|m| {
        m.end == forms.len() && m.entries.iter().any(|e| matches!(e, Entry::Title(_) | Entry::Person(_)))
    })
}

/// Given names and their gender (`data/given_names.tsv`), for pronoun agreement.
static GIVEN_NAMES: std::sync::LazyLock<HashMap<String, char>> = std::sync::LazyLock::new(|| {
    include_str!("../data/given_names.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (name, g) = l.split_once('\t')?;
            let g = g.trim().chars().next().filter(|c| matches!(c, 'm' | 'f'))?;
            Some((crate::lexicon::fold(name.trim()), g))
        })
        .collect()
});

fn pronoun_gender(pronoun: &str) -> Option<char> {
    match pronoun {
        "he" | "him" | "his" | "himself" => Some('m'),
        "she" | "her" | "hers" | "herself" => Some('f'),
        _ => None,
    }
}

/// The gender of a person by the first given name of their name, if known.
fn person_gender(code: &ActorCode) -> Option<char> {
    let first = code.name.as_deref()?.split_whitespace().next()?;
    GIVEN_NAMES.get(&crate::lexicon::fold(first)).copied()
}

/// The most recent person subject (else person) that agrees with the pronoun, if the
/// current and previous sentences name only one such person.
fn last_person(mentions: &[Mention], sentence: usize, gender: Option<char>) -> Option<ActorCode> {
    let agrees = |m: &&Mention| {
        m.code.name.is_some() && (gender.is_none() || person_gender(&m.code).is_none_or(|g| Some(g) == gender))
    };
    let recent: Vec<&Mention> = mentions.iter().filter(|m| m.sentence + 1 >= sentence).filter(agrees).collect();
    let first = recent.first()?;
    if recent.iter().any(|m| m.code.name != first.code.name) {
        return None;
    }
    // The last agreeing person subject; without a parse, the last agreeing person.
    mentions
        .iter()
        .rev()
        .filter(agrees)
        .find(|m| m.subject)
        .or_else(|| mentions.iter().rev().find(agrees))
        .map(|m| m.code.clone())
}

/// Whether an organization can be "the group" / "the militants": a non-state group,
/// not a government body, army or international organization (by the organization's
/// own sector, whatever the mention's modifiers made of it).
fn is_group_like(lex: &Lexicon, code: &ActorCode) -> bool {
    let sector = code.org.as_deref().and_then(|o| lex.organization_named(o)).map(|o| o.sector.as_ref());
    !matches!(sector, Some("GOV" | "MIL" | "COP" | "SPY" | "IGO" | "LEG" | "JUD"))
}

/// The most recent compatible organization, if the current and previous sentences name
/// only one.
fn last_organization(lex: &Lexicon, mentions: &[Mention], sentence: usize) -> Option<ActorCode> {
    let recent: Vec<&Mention> = mentions
        .iter()
        .filter(|m| m.code.org.is_some() && is_group_like(lex, &m.code) && m.sentence + 1 >= sentence)
        .collect();
    let first = recent.first()?;
    if recent.iter().any(|m| m.code.org != first.code.org) {
        return None;
    }
    let org = first.code.org.clone();
    mentions.iter().rev().find(|m| m.code.org == org).map(|m| ActorCode { name: None, ..m.code.clone() })
}

/// Relational nouns (`data/relational.txt`): their country is that of the actor they
/// relate to.
static RELATIONAL: std::sync::LazyLock<std::collections::HashSet<&'static str>> = std::sync::LazyLock::new(|| {
    include_str!("../data/relational.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// A relational actor noun without a country ("nationalist allies") takes the country
/// of the other actors of its sentence when they all share one.
fn fill_countries_from_sentence(sentences: &[Vec<TaggedToken<'_>>], mentions: &mut [Mention]) {
    for k in 0..mentions.len() {
        if mentions[k].code.country.is_some() || mentions[k].code.sector.is_none() || mentions[k].code.org.is_some() {
            continue;
        }
        let last = sentences.get(mentions[k].sentence).and_then(|s| s.get(mentions[k].tokens.end - 1));
        if !last.is_some_and(|t| RELATIONAL.contains(crate::lexicon::fold(t.form).as_str())) {
            continue;
        }
        if mentions[k].code.sector.as_deref() == Some("IGO") {
            continue;
        }
        let s = mentions[k].sentence;
        let mut countries = mentions.iter().filter(|m| m.sentence == s).filter_map(|m| m.code.country.clone());
        if let Some(c) = countries.next() {
            if countries.all(|x| x == c) {
                mentions[k].code.country = Some(c);
            }
        }
    }
}
