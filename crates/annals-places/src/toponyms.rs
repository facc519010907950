//! Toponym resolution: which place each place name in a document means.
//!
//! Candidates come from the gazetteer's longest name match at each capitalized word;
//! a directional word before a name ("southern Israel") makes the mention a region of
//! that place. The choice among candidates uses, in order of weight: an explicit
//! qualifier after the name ("Paris, Texas", "Tripoli, Lebanon"), the countries the
//! document's actors and unambiguous places belong to, and population. Names used as
//! actors (the subject of a verb: "Washington warned", "Jordan said") are not
//! locations; names in locative phrases ("in", "near", "outside" ...) are.

use crate::gazetteer::{distance_km, Gazetteer, PlaceId, PlaceKind};
use std::collections::HashMap;

/// One token of a parsed sentence, as place resolution needs it.
#[derive(Debug, Clone, Copy)]
pub struct PlaceToken<'a> {
    pub form: &'a str,
    pub upos: &'a str,
    /// 0 for the root, else the 1-based index of the head.
    pub head: usize,
    pub deprel: &'a str,
    /// Byte offsets into the document text.
    pub start: usize,
    pub end: usize,
    /// Part of an actor mention that names an organization, a person or a sector
    /// ("Hamas", "Egyptian mediators"): not a place name.
    pub actor: bool,
}

/// How precisely a location is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationPrecision {
    Point,
    Region,
    Country,
    Document,
}

impl LocationPrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            LocationPrecision::Point => "point",
            LocationPrecision::Region => "region",
            LocationPrecision::Country => "country",
            LocationPrecision::Document => "document",
        }
    }
}

/// A resolved place name in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMention {
    pub sentence: usize,
    /// Token range within the sentence.
    pub tokens: std::ops::Range<usize>,
    /// Byte offsets into the document text.
    pub start: usize,
    pub end: usize,
    pub place: PlaceId,
    /// A direction word before the name ("southern"): the mention is a region of the place.
    pub direction: Option<String>,
    /// In a locative phrase ("in Rafah", "near Kharkiv"), as opposed to a name used as
    /// an actor or a modifier.
    pub locative: bool,
    /// The subject of its clause ("Washington warned ..."): an actor, not a location.
    pub subject: bool,
    pub precision: LocationPrecision,
    /// Other places the name could have meant.
    pub alternatives: usize,
}

const DIRECTIONS: [&str; 16] = [
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "north",
    "south",
    "east",
    "west",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "north-east",
    "south-east",
    "north-west",
];

const LOCATIVE: [&str; 18] = [
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "around",
    "into",
    "from",
    "to",
    "towards",
    "toward",
    "through",
    "throughout",
    "within",
    "over",
    "off",
    "between",
];

fn capitalized(form: &str) -> bool {
    form.chars().next().is_some_and(char::is_uppercase)
}

/// Finds and resolves the place names of a document.
pub fn find_places(gaz: &Gazetteer, sentences: &[Vec<PlaceToken<'_>>], actor_countries: &[&str]) -> Vec<PlaceMention> {
    // Pass 1: spans and their candidates.
    struct Raw {
        sentence: usize,
        tokens: std::ops::Range<usize>,
        ids: Vec<PlaceId>,
        direction: Option<String>,
        locative: bool,
        subject: bool,
        qualifier: Option<Vec<PlaceId>>,
    }
    let mut raw: Vec<Raw> = Vec::new();
    for (si, sent) in sentences.iter().enumerate() {
        let forms: Vec<&str> = sent.iter().map(|t| t.form).collect();
        let mut i = 0;
        while i < sent.len() {
            if !capitalized(sent[i].form) || !matches!(sent[i].upos, "PROPN" | "NOUN" | "ADJ" | "X") || sent[i].actor {
                i += 1;
                continue;
            }
            // The name may not run into an actor's words ("Washington state officials").
            let free = sent[i..].iter().position(|t| t.actor).map_or(sent.len(), |k| i + k);
            let Some((len, ids)) = gaz.longest_match(&forms[i..free]) else {
                i += 1;
                continue;
            };
            let end = i + len.max(1);
            let mut first = i;
            let mut direction = None;
            if i > 0 && DIRECTIONS.contains(&sent[i - 1].form.to_lowercase().as_str()) {
                direction = Some(sent[i - 1].form.to_lowercase());
                first = i - 1;
            }
            // The syntactic head of the span: the token whose head lies outside it.
            let head = (i..end).find(|&k| !(i..end).contains(&sent[k].head.wrapping_sub(1))).unwrap_or(i);
            let case = sent.iter().find(|c| c.head == head + 1 && c.deprel == "case").map(|c| c.form.to_lowercase());
            let subject = sent[head].deprel.starts_with("nsubj");
            let locative = case.as_deref().is_some_and(|c| LOCATIVE.contains(&c));
            // "Paris, Texas": a comma and a containing place right after the name.
            let qualifier = (end + 1 < sent.len() && sent[end].form == ",")
                .then(|| gaz.longest_match(&forms[end + 1..]).map(|(_, q)| q.to_vec()))
                .flatten();
            raw.push(Raw {
                sentence: si,
                tokens: first..end,
                ids: ids.to_vec(),
                direction,
                locative,
                subject,
                qualifier,
            });
            i = end;
        }
    }
    // Pass 2: the document's countries, from actors and from unambiguous places.
    let mut weight: HashMap<String, f64> = HashMap::new();
    for c in actor_countries {
        *weight.entry((*c).to_string()).or_default() += 1.0;
    }
    weight.remove(crate::gazetteer::NO_COUNTRY);
    for r in &raw {
        let countries: Vec<&str> = r.ids.iter().map(|&id| gaz.place(id).country.as_str()).collect();
        if let Some(first) = countries.first() {
            if countries.iter().all(|c| c == first) && *first != crate::gazetteer::NO_COUNTRY {
                *weight.entry((*first).to_string()).or_default() += 1.0;
            }
        }
    }
    // Places with a single candidate anchor the others: "Alexandria" near "Arlington"
    // is the one in Virginia.
    let anchors: Vec<(f64, f64)> = raw
        .iter()
        .filter(|r| r.ids.len() == 1)
        .filter_map(|r| r.ids.first())
        .map(|&id| gaz.place(id))
        .filter(|p| p.kind != PlaceKind::Country && p.kind != PlaceKind::Water)
        .map(|p| (p.lat, p.lon))
        .collect();
    // Pass 3: choose.
    let mut out = Vec::new();
    for r in raw {
        let sent = &sentences[r.sentence];
        let mut best: Option<(f64, PlaceId)> = None;
        for &id in &r.ids {
            let p = gaz.place(id);
            let mut score = (p.population.max(1) as f64).log10() / 2.0;
            match p.kind {
                PlaceKind::Country => score += 2.0,
                // A state or province yields to a same-named city ("Washington"), whose
                // population the state's total would otherwise swamp.
                PlaceKind::Region => score -= 1.0,
                _ => {}
            }
            score += 1.5 * weight.get(&p.country).copied().unwrap_or(0.0).min(4.0);
            if r.ids.len() > 1 {
                let nearest = anchors.iter().map(|&a| distance_km(a, (p.lat, p.lon))).fold(f64::INFINITY, f64::min);
                if nearest < 300.0 {
                    score += 3.0;
                } else if nearest < 1000.0 {
                    score += 1.5;
                }
            }
            if let Some(q) = &r.qualifier {
                let inside = q.iter().any(|&qid| {
                    let qp = gaz.place(qid);
                    qp.country == p.country
                        && (qp.kind == PlaceKind::Country
                            || qp.admin1 == p.admin1
                            || distance_km((qp.lat, qp.lon), (p.lat, p.lon)) < 600.0)
                });
                if inside {
                    score += 20.0;
                }
            }
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, id));
            }
        }
        let Some((_, id)) = best else { continue };
        let p = gaz.place(id);
        let precision = match (p.kind, &r.direction) {
            (_, Some(_)) => LocationPrecision::Region,
            (PlaceKind::Country, None) => LocationPrecision::Country,
            (PlaceKind::Region | PlaceKind::Water, None) => LocationPrecision::Region,
            _ => LocationPrecision::Point,
        };
        let (Some(a), Some(b)) = (sent.get(r.tokens.start), sent.get(r.tokens.end.saturating_sub(1))) else { continue };
        out.push(PlaceMention {
            sentence: r.sentence,
            start: a.start,
            end: b.end,
            tokens: r.tokens,
            place: id,
            direction: r.direction,
            locative: r.locative,
            subject: r.subject && !r.locative,
            precision,
            alternatives: r.ids.len().saturating_sub(1),
        });
    }
    out
}

/// The document's dominant place: the most mentioned one (ties: the first mentioned).
pub fn dominant_place(mentions: &[PlaceMention]) -> Option<&PlaceMention> {
    let mut counts: HashMap<PlaceId, (usize, usize)> = HashMap::new();
    for (k, m) in mentions.iter().enumerate() {
        let e = counts.entry(m.place).or_insert((0, k));
        e.0 += 1;
    }
    let (_, (_, first)) = counts.into_iter().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))?;
    mentions.get(first)
}

/// The tokens of the clause of a trigger: its subtree (and its light verb's), without
/// reported or attached clauses that have their own subject.
pub fn clause_tokens(sent: &[PlaceToken<'_>], roots: &[usize]) -> Vec<bool> {
    let n = sent.len();
    let mut children = vec![Vec::new(); n];
    for (i, t) in sent.iter().enumerate() {
        if t.head > 0 && t.head <= n && t.head - 1 != i {
            children[t.head - 1].push(i);
        }
    }
    let mut inside = vec![false; n];
    let mut stack: Vec<usize> = roots.iter().copied().filter(|&r| r < n).collect();
    while let Some(i) = stack.pop() {
        if inside[i] {
            continue;
        }
        inside[i] = true;
        for &c in &children[i] {
            let own_clause = matches!(sent[c].deprel.split(':').next(), Some("ccomp" | "parataxis" | "acl" | "advcl"))
                && children[c].iter().any(|&g| sent[g].deprel.starts_with("nsubj"));
            if !own_clause {
                stack.push(c);
            }
        }
    }
    inside
}
