//! Event coding of one parsed sentence: find trigger words and phrases of the lexicon,
//! take source and target actors from the dependency parse, and drop what did not
//! happen (plans, conditions, questions, the content of a demand or a threat).
//!
//! Roles: a verb's source is its subject (or the `by` agent of a passive, or the subject
//! it shares with the verb it is conjoined to or completes); its target is found where
//! the lexicon entry says (object, an oblique with a given preposition). A noun's source
//! is its possessive, an actor adjective or compound ("Israeli airstrikes", "Hamas
//! attacks"), a `by` phrase, or the subject of the light verb that governs it ("launched
//! an attack", "held talks"); its target is its prepositional modifier ("attack on Y").
//! When a role is filled by a word that is not an actor ("condemned the attack"), the
//! actor inside that phrase is taken ("Israel's attack").

use crate::lexicon::{EventLexicon, ModalityKind, TargetSpec, TriggerEntry, TriggerPos};
use crate::plover::EventType;
use std::ops::Range;

/// One token of a parsed sentence, as the event stage needs it.
#[derive(Debug, Clone, Copy)]
pub struct EventToken<'a> {
    pub form: &'a str,
    /// Lower-case lemma.
    pub lemma: &'a str,
    pub upos: &'a str,
    pub xpos: &'a str,
    /// 0 for the root, else the 1-based index of the head token.
    pub head: usize,
    /// Universal dependency relation (with subtype, e.g. `nsubj:pass`).
    pub deprel: &'a str,
    /// Byte offsets into the document text.
    pub start: usize,
    pub end: usize,
}

/// An actor mention of the sentence: its token range (within the sentence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorSlot {
    pub tokens: Range<usize>,
    /// Names only a city or region: never a source, and a target of force only.
    pub place: bool,
    /// Has a sector, organization or person, not only a country.
    pub agent: bool,
}

/// Settings of [`code_sentence`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CodeOptions {
    /// The sentence is a question: its events are not facts.
    pub question: bool,
    /// Also return the candidates that were dropped, with the reason in `dropped`.
    pub explain: bool,
}

/// One coded event of a sentence. Actors are indices into the sentence's mention list.
#[derive(Debug, Clone, PartialEq)]
pub struct EventCandidate {
    pub event: EventType,
    pub mode: Option<Box<str>>,
    pub sources: Vec<usize>,
    pub targets: Vec<usize>,
    /// Token range of the trigger (from the head to the farthest completing word).
    pub trigger: Range<usize>,
    pub negated: bool,
    pub confidence: f32,
    pub why: String,
    /// Why the candidate is not an event (only with [`CodeOptions::explain`]).
    pub dropped: Option<String>,
}

/// How the sentence's words relate: children lists, mention of each token, trigger marks.
struct Sentence<'s, 'a> {
    tokens: &'s [EventToken<'a>],
    children: Vec<Vec<usize>>,
    mention_at: Vec<Option<usize>>,
    /// Whether each token is a noun the lexicon knows as an event ("objections").
    event_noun: Vec<bool>,
    /// Whether each mention names only a place.
    place: Vec<bool>,
    /// Whether each mention has a sector, organization or person (more than a country).
    sector: Vec<bool>,
    /// Whether each token is a reporting verb ("said"): its subject speaks, it does not act.
    reports: Vec<bool>,
}

impl<'s, 'a> Sentence<'s, 'a> {
    fn new(tokens: &'s [EventToken<'a>], mentions: &[ActorSlot], lex: &EventLexicon) -> Self {
        let n = tokens.len();
        let mut children = vec![Vec::new(); n];
        for (i, t) in tokens.iter().enumerate() {
            if t.head > 0 && t.head <= n && t.head - 1 != i {
                children[t.head - 1].push(i);
            }
        }
        let mut mention_at = vec![None; n];
        for (m, slot) in mentions.iter().enumerate() {
            for t in slot.tokens.clone() {
                if let Some(x) = mention_at.get_mut(t) {
                    x.get_or_insert(m);
                }
            }
        }
        let event_noun = tokens
            .iter()
            .map(|t| {
                t.upos == "NOUN"
                    && (lex.has_head(TriggerPos::Noun, t.lemma)
                        || lex.lemma_of_form(&t.form.to_lowercase()).is_some_and(|l| lex.has_head(TriggerPos::Noun, l)))
            })
            .collect();
        let place = mentions.iter().map(|m| m.place).collect();
        let sector = mentions.iter().map(|m| m.agent).collect();
        let reports = tokens.iter().map(|t| t.upos == "VERB" && lex.is(t.lemma, ModalityKind::Report)).collect();
        Sentence { tokens, children, mention_at, event_noun, place, sector, reports }
    }

    fn head(&self, i: usize) -> Option<usize> {
        let h = self.tokens[i].head;
        (h > 0 && h <= self.tokens.len() && h - 1 != i).then(|| h - 1)
    }

    fn rel(&self, i: usize) -> &str {
        self.tokens[i].deprel
    }

    fn base_rel(&self, i: usize) -> &str {
        let r = self.tokens[i].deprel;
        r.split(':').next().unwrap_or(r)
    }

    fn lemma(&self, i: usize) -> &str {
        self.tokens[i].lemma
    }

    fn kids<'k>(&'k self, i: usize, rel: &'k str) -> impl Iterator<Item = usize> + 'k {
        self.children[i].iter().copied().filter(move |&c| self.rel(c) == rel)
    }

    fn kids_base<'k>(&'k self, i: usize, base: &'k str) -> impl Iterator<Item = usize> + 'k {
        self.children[i].iter().copied().filter(move |&c| self.base_rel(c) == base)
    }

    /// The preposition (case marker) of a nominal, lower case.
    fn case_of(&self, i: usize) -> Option<String> {
        let mut cases: Vec<usize> =
            self.children[i].iter().copied().filter(|&c| matches!(self.rel(c), "case" | "mark")).collect();
        if cases.is_empty() {
            // "by a Brazilian court Wednesday" parsed with "court" as a compound.
            for c in self.kids(i, "compound") {
                cases.extend(self.children[c].iter().copied().filter(|&g| self.rel(g) == "case" && g < c));
            }
        }
        let first = *cases.first()?;
        // "out of", "on behalf of": the first word is enough for our patterns.
        Some(self.tokens[first].form.to_lowercase())
    }

    /// The actor a nominal names: its own mention, else one in its modifiers
    /// ("Israel's offensive", "U.S. objections", "units of Hamas").
    fn actor_in(&self, i: usize, depth: usize, loose: bool) -> Option<usize> {
        if let Some(m) = self.mention_at[i] {
            return Some(m);
        }
        if depth == 0 {
            return None;
        }
        // An owner or an "of" phrase names the actor of any noun ("Israel's offensive",
        // "units of Hamas"); adjectives and compounds only of an event noun ("U.S.
        // objections"), not of a thing ("a Yemeni port", "a British band").
        let order = ["nmod:poss", "nmod", "amod", "compound", "appos", "flat", "nmod:desc"];
        for rel in order {
            let thing = matches!(rel, "amod" | "compound" | "nmod:desc") && !self.event_noun[i] && !loose;
            for c in self.kids(i, rel) {
                if rel == "nmod" && self.case_of(c).is_some_and(|p| !matches!(p.as_str(), "of" | "from" | "including"))
                {
                    continue;
                }
                if let Some(m) = self.actor_in(c, depth - 1, loose) {
                    // "armed police officers" names an actor; "a Yemeni port" does not.
                    if thing && !self.sector[m] {
                        continue;
                    }
                    return Some(m);
                }
            }
        }
        None
    }

    /// The actors of a nominal and of the nominals conjoined to it.
    fn actors_of(&self, i: usize) -> Vec<usize> {
        self.actors_of_with(i, false)
    }

    /// As [`Self::actors_of`], but a thing names its owner too ("shot down a Russian
    /// jet", "struck a Yemeni port"): for the targets of force.
    fn actors_of_with(&self, i: usize, loose: bool) -> Vec<usize> {
        let mut out = Vec::new();
        let mut push = |m: usize| {
            if !out.contains(&m) {
                out.push(m)
            }
        };
        if let Some(m) = self.actor_in(i, 2, loose) {
            push(m);
        }
        for c in self.kids(i, "conj") {
            if let Some(m) = self.actor_in(c, 2, loose) {
                push(m);
            }
        }
        out
    }

    /// The source of a verb: (actors, rule, passive subject token).
    fn subject_of(&self, v: usize, depth: usize) -> (Vec<usize>, &'static str, Option<usize>) {
        let pass = self.kids(v, "nsubj:pass").next();
        if pass.is_some() {
            let agent = self.children[v].iter().copied().find(|&c| {
                self.rel(c) == "obl:agent" || (self.base_rel(c) == "obl" && self.case_of(c).as_deref() == Some("by"))
            });
            return match agent {
                Some(a) => (self.actors_of(a), "obl:agent", pass),
                None => (Vec::new(), "passive", pass),
            };
        }
        // Of several subjects (a parse error: "The government ... today commends"), an
        // actor wins, then the nearest.
        let subjects: Vec<usize> = self.kids(v, "nsubj").collect();
        let best = subjects.iter().copied().find(|&s| !self.actors_of(s).is_empty());
        if let Some(s) = best.or_else(|| subjects.iter().copied().min_by_key(|&s| s.abs_diff(v))) {
            let t = &self.tokens[s];
            if t.upos == "PRON" && matches!(t.lemma, "who" | "which" | "that") && self.rel(v) == "acl:relcl" {
                if let Some(h) = self.head(v) {
                    return (self.actors_of(h), "nsubj(relcl)", None);
                }
            }
            return (self.actors_of(s), "nsubj", None);
        }
        let (a, rule, pass) = self.inherited_subject(v, depth);
        if a.is_empty() && matches!(self.tokens[v].xpos, "VBG" | "VB" | "VBN") {
            // A non-finite clause whose subject the parse lost: the sentence's subject,
            // but only along adverbial, complement and coordinated clauses; a clause
            // inside a report or a noun phrase ("said they were a cell responsible for
            // beheading ...") has its own doer.
            let mut cur = v;
            for _ in 0..6 {
                let Some(h) = self.head(cur) else { break };
                // Gerunds completing a noun ("the necessity of exploring") count too;
                // relative clauses and reported clauses do not.
                if !matches!(self.rel(cur), "advcl" | "xcomp" | "conj" | "acl" | "obj" | "obl") {
                    break;
                }
                if self.tokens[h].head == 0 {
                    if let Some(subj) = self.kids(h, "nsubj").next() {
                        return (self.actors_of(subj), "nsubj(root)", None);
                    }
                    break;
                }
                cur = h;
            }
        }
        (a, rule, pass)
    }

    fn inherited_subject(&self, v: usize, depth: usize) -> (Vec<usize>, &'static str, Option<usize>) {
        if depth == 0 {
            return (Vec::new(), "none", None);
        }
        let Some(h) = self.head(v) else { return (Vec::new(), "none", None) };
        match self.base_rel(v) {
            "conj" => {
                let (a, _, _) = self.subject_of(h, depth - 1);
                (a, "nsubj(conj)", None)
            }
            "xcomp" => {
                // Object control ("forced Hamas to withdraw"), else subject control.
                if let Some(o) = self.kids(h, "obj").next() {
                    let a = self.actors_of(o);
                    if !a.is_empty() {
                        return (a, "obj(xcomp)", None);
                    }
                }
                let (a, _, _) = self.subject_of(h, depth - 1);
                (a, "nsubj(xcomp)", None)
            }
            "advcl" => {
                // "Russian forces shelled Kharkiv, killing three, officials said", with
                // "killing" attached to "said": the doer is in the reported clause.
                if self.reports[h] {
                    if let Some(c) =
                        self.children[h].iter().copied().find(|&c| matches!(self.base_rel(c), "ccomp" | "parataxis"))
                    {
                        let (a, _, _) = self.subject_of(c, depth - 1);
                        return (a, "nsubj(reported clause)", None);
                    }
                    return (Vec::new(), "none", None);
                }
                let (a, _, _) = self.subject_of(h, depth - 1);
                (a, "nsubj(advcl)", None)
            }
            "acl" => {
                // "protesters demanding ...": the noun modified is the doer.
                // A past participle is passive ("sanctions imposed by X") unless it
                // has an object, which only an active verb the parser misattached has.
                let x = self.tokens[v].xpos;
                if x == "VBN" && self.kids(v, "obj").next().is_none() {
                    (Vec::new(), "none", None)
                } else {
                    (self.actors_of(h), "acl", None)
                }
            }
            _ => (Vec::new(), "none", None),
        }
    }
}

/// Matches an entry at a head token: the positions of its completing words, or None.
fn match_entry(lex: &EventLexicon, s: &Sentence<'_, '_>, head: usize, e: &TriggerEntry) -> Option<Vec<usize>> {
    let mut found = Vec::new();
    for w in e.words.iter().skip(1) {
        let w: &str = w;
        let hit = s.children[head].iter().copied().find(|&c| {
            !found.contains(&c)
                && (s.lemma(c) == w
                    || s.tokens[c].form.eq_ignore_ascii_case(w)
                    || lex.lemma_of_form(&s.tokens[c].form.to_lowercase()) == Some(w))
        });
        let hit = hit.or_else(|| {
            // An object measured out: "return some of the land", "withdraw half of its troops".
            s.kids(head, "obj").find_map(|o| {
                s.kids_base(o, "nmod").find(|&g| {
                    !found.contains(&g)
                        && s.case_of(g).as_deref() == Some("of")
                        && (s.lemma(g) == w || lex.lemma_of_form(&s.tokens[g].form.to_lowercase()) == Some(w))
                })
            })
        });
        let hit = hit.or_else(|| {
            // The preposition of an oblique or nominal modifier: "call on X".
            s.children[head].iter().copied().find_map(|c| {
                if !matches!(s.base_rel(c), "obl" | "nmod" | "advcl" | "xcomp" | "acl") {
                    return None;
                }
                s.children[c].iter().copied().find(|&g| {
                    matches!(s.rel(g), "case" | "mark")
                        && s.tokens[g].form.eq_ignore_ascii_case(w)
                        && !found.contains(&g)
                })
            })
        });
        found.push(hit?);
    }
    Some(found)
}

/// The candidate targets of an entry, in the entry's order of preference.
fn find_targets(
    s: &Sentence<'_, '_>,
    lex: &EventLexicon,
    head: usize,
    extra: &[usize],
    light: Option<usize>,
    passive: Option<usize>,
    e: &TriggerEntry,
) -> (Vec<usize>, String) {
    // Places where prepositional targets may hang: the trigger, its completing words,
    // and the light verb of a noun trigger (parsers attach these either way).
    let loose = matches!(e.event, EventType::Assault | EventType::Coerce);
    let mut hosts = vec![head];
    hosts.extend(extra.iter().copied().filter(|&x| s.tokens[x].upos == "NOUN" || s.tokens[x].upos == "PROPN"));
    hosts.extend(light);
    for spec in &e.targets {
        let mut found = Vec::new();
        let mut rule = spec.as_string();
        match spec {
            TargetSpec::Obj => {
                if let Some(p) = passive {
                    found = s.actors_of_with(p, loose);
                    rule = "nsubj:pass".into();
                } else {
                    // Parsers often read "urged Hamas to" as an indirect object.
                    for o in s.kids(head, "obj").chain(s.kids(head, "iobj")) {
                        if !extra.contains(&o) {
                            found.extend(s.actors_of_with(o, loose));
                        }
                    }
                    // An object that completes the trigger ("freed two American
                    // prisoners") still names its owner in its modifiers.
                    if found.is_empty() {
                        for o in s.kids(head, "obj").filter(|o| extra.contains(o)) {
                            found.extend(s.actors_of_with(o, loose));
                        }
                    }
                }
            }
            TargetSpec::Iobj => {
                for o in s.kids(head, "iobj") {
                    found.extend(s.actors_of_with(o, loose));
                }
            }
            TargetSpec::Poss => {
                for o in s.kids(head, "nmod:poss") {
                    found.extend(s.actors_of_with(o, loose));
                }
            }
            TargetSpec::Pred => {
                if let Some(subj) = s.kids(head, "nsubj").next() {
                    found = s.actors_of_with(subj, loose);
                } else if let Some(h) = s.head(head) {
                    match (s.base_rel(head), s.tokens[h].upos) {
                        ("nmod" | "appos", "NOUN" | "PROPN") => found = s.actors_of_with(h, loose),
                        ("xcomp" | "obl", "VERB") => {
                            for o in s.kids(h, "obj") {
                                found.extend(s.actors_of_with(o, loose));
                            }
                        }
                        _ => {}
                    }
                }
            }
            TargetSpec::Obl(p) | TargetSpec::Nmod(p) => {
                for &h in &hosts {
                    for c in s.children[h].iter().copied() {
                        if extra.contains(&c) || !matches!(s.base_rel(c), "obl" | "nmod") || s.rel(c) == "nmod:poss" {
                            continue;
                        }
                        if s.case_of(c).as_deref() == Some(&**p) {
                            found.extend(s.actors_of_with(c, loose));
                        }
                    }
                    if !found.is_empty() {
                        break;
                    }
                }
            }
        }
        let _ = lex;
        if !found.is_empty() {
            found.dedup();
            return (found, rule);
        }
    }
    // Force has a direction whatever the entry lists: "assaults into Syria" (also when
    // the parser hung the phrase on the verb above the noun).
    if e.event == EventType::Assault {
        let above = (e.pos == TriggerPos::Noun).then(|| s.head(head)).flatten();
        for &h in hosts.iter().chain(above.iter()) {
            for c in s.children[h].iter().copied() {
                if matches!(s.base_rel(c), "obl" | "nmod")
                    && s.case_of(c).is_some_and(|p| matches!(p.as_str(), "into" | "on" | "against"))
                {
                    let found = s.actors_of_with(c, loose);
                    if !found.is_empty() {
                        return (found, "obl/nmod:into|on|against".into());
                    }
                }
            }
        }
    }
    (Vec::new(), "none".into())
}

/// Why an event did not (yet) happen.
#[derive(Debug, Clone, PartialEq)]
enum Unreal {
    /// A modal, a condition, a "proposed"/"planned" modifier, a question.
    Marked(String),
    /// Under a governor of intent or plan ("plans to", "efforts to"); `intent` when the
    /// governor commits to the act ("vowed to", "commitment to").
    Governed { lemma: String, intent: bool, at: Option<usize> },
    /// The content of another trigger at this token ("urged X to withdraw").
    Content(usize),
}

/// Whether the trigger is negated, and why it did not happen, if so.
fn modality(
    s: &Sentence<'_, '_>,
    lex: &EventLexicon,
    head: usize,
    light: Option<usize>,
    is_trigger: &[Option<EventType>],
) -> (bool, Option<Unreal>) {
    let mut negated = false;
    let own = [Some(head), light];
    for v in own.into_iter().flatten() {
        for &c in &s.children[v] {
            let form = s.tokens[c].form.to_lowercase();
            if matches!(s.base_rel(c), "advmod" | "det" | "cc" | "mark" | "case")
                && (lex.is(&form, ModalityKind::Negation) || lex.is(s.lemma(c), ModalityKind::Negation))
            {
                negated = true;
            }
        }
    }
    for v in own.into_iter().flatten() {
        for &c in &s.children[v] {
            let lemma = s.lemma(c);
            let form = s.tokens[c].form.to_lowercase();
            match s.base_rel(c) {
                "advmod" | "det" | "cc" | "mark" | "case"
                    if lex.is(&form, ModalityKind::Negation) || lex.is(lemma, ModalityKind::Negation) =>
                {
                    negated = true
                }
                "aux" if lex.is(&form, ModalityKind::Aux) => {
                    return (negated, Some(Unreal::Marked(format!("aux:{form}"))));
                }
                "aux" if lex.is(&form, ModalityKind::Future) => {
                    let conditional = s.children[v]
                        .iter()
                        .any(|&m| s.rel(m) == "mark" && lex.is(&s.tokens[m].form.to_lowercase(), ModalityKind::Mark));
                    // "would" states an intention only when reported ("said it would
                    // withdraw"); alone it is a conditional ("would welcome").
                    let clause = if s.base_rel(v) == "conj" { s.head(v).unwrap_or(v) } else { v };
                    let reported = s.base_rel(clause) == "ccomp"
                        && s.head(clause).is_some_and(|h| lex.is(s.lemma(h), ModalityKind::Report));
                    let conditional = conditional || (matches!(form.as_str(), "would" | "'d") && !reported);
                    if !conditional {
                        return (negated, Some(Unreal::Governed { lemma: form, intent: true, at: None }));
                    }
                    return (negated, Some(Unreal::Marked(format!("aux:{form}"))));
                }
                "mark" if lex.is(&form, ModalityKind::Mark) => {
                    return (negated, Some(Unreal::Marked(format!("mark:{form}"))))
                }
                "amod" | "acl" | "det"
                    if lex.is(&form, ModalityKind::Modifier) || lex.is(lemma, ModalityKind::Governor) =>
                {
                    return (negated, Some(Unreal::Marked(format!("modifier:{form}"))));
                }
                _ => {}
            }
        }
    }
    // "offered no concessions", "showed no sign of": a negated object negates the act.
    for o in s.kids(head, "obj") {
        if s.children[o]
            .iter()
            .any(|&d| s.rel(d) == "det" && lex.is(&s.tokens[d].form.to_lowercase(), ModalityKind::Negation))
        {
            negated = true;
        }
    }
    // The verb governing a noun trigger may itself be a plan ("is planning an offensive").
    if let Some(l) = light {
        let lemma = s.lemma(l);
        let intent = lex.is(lemma, ModalityKind::Intent);
        if intent || lex.is(lemma, ModalityKind::Governor) {
            return (negated, Some(Unreal::Governed { lemma: lemma.to_string(), intent, at: Some(l) }));
        }
        if lex.is(lemma, ModalityKind::Negator) {
            negated = true;
        }
    }
    // A purpose clause ("launched an operation to eliminate Hamas") states an aim.
    let top = light.unwrap_or(head);
    if s.base_rel(top) == "advcl" && s.children[top].iter().any(|&c| s.rel(c) == "mark" && s.lemma(c) == "to") {
        return (negated, Some(Unreal::Governed { lemma: "to(purpose)".into(), intent: false, at: None }));
    }
    // The consequence of a condition ("X could turn to Y if ..."), and a second verb
    // that shares the first one's modal ("could turn to and embrace").
    let clause = if s.base_rel(top) == "conj" && !s.children[top].iter().any(|&c| s.base_rel(c) == "nsubj") {
        s.head(top).unwrap_or(top)
    } else {
        top
    };
    for &c in &s.children[clause] {
        if s.base_rel(c) == "advcl"
            && s.children[c]
                .iter()
                .any(|&m| s.rel(m) == "mark" && lex.is(&s.tokens[m].form.to_lowercase(), ModalityKind::Mark))
        {
            return (negated, Some(Unreal::Marked("condition".into())));
        }
        if clause != top && s.base_rel(c) == "aux" && lex.is(&s.tokens[c].form.to_lowercase(), ModalityKind::Aux) {
            return (negated, Some(Unreal::Marked(format!("aux:{}", s.tokens[c].form.to_lowercase()))));
        }
    }
    // "is going to attack": the future.
    if s.rel(top) == "xcomp" {
        if let Some(h) = s.head(top) {
            if s.lemma(h) == "go" && s.tokens[h].xpos == "VBG" {
                return (negated, Some(Unreal::Governed { lemma: "going to".into(), intent: true, at: None }));
            }
            // "lobbied Brussels not to offer aid", "asked X to ...": what one actor
            // asks of another has not happened.
            let asks = s.children[h].iter().any(|&o| matches!(s.rel(o), "obj" | "iobj"));
            let infinitive = s.children[top].iter().any(|&m| s.rel(m) == "mark" && s.lemma(m) == "to");
            if asks && infinitive && is_trigger[h].is_none() {
                return (negated, Some(Unreal::Governed { lemma: s.lemma(h).to_string(), intent: false, at: Some(h) }));
            }
        }
    }
    // Up the tree: governors ("plans to"), negators ("denied"), governing triggers.
    let mut cur = top;
    for _ in 0..4 {
        let rel = s.base_rel(cur);
        if !matches!(rel, "xcomp" | "ccomp" | "obj" | "obl" | "nmod" | "acl" | "advcl" | "conj" | "csubj") {
            break;
        }
        // The agent of a passive ("conflict sparked by Hamas' attacks") and participles
        // modifying a noun are facts, not the content of what governs them; adverbial
        // clauses are content only when infinitival ("deployed troops to attack").
        if s.rel(cur) == "obl:agent" || s.case_of(cur).as_deref() == Some("by") {
            break;
        }
        let infinitival = s.children[cur].iter().any(|&c| s.rel(c) == "mark" && s.lemma(c) == "to");
        if matches!(rel, "acl" | "advcl") && !infinitival {
            // "denied launching the attack" (often parsed as an adverbial clause).
            if rel == "advcl" && s.head(cur).is_some_and(|h| lex.is(s.lemma(h), ModalityKind::Negator)) {
                negated = true;
            }
            break;
        }
        let Some(h) = s.head(cur) else { break };
        let lemma = s.lemma(h);
        if rel != "conj" {
            if lex.is(lemma, ModalityKind::Negator) {
                // "denied arresting journalists": a negated act, not the content of
                // the denial.
                negated = true;
                break;
            }
            let intent = lex.is(lemma, ModalityKind::Intent);
            if intent || lex.is(lemma, ModalityKind::Governor) {
                return (negated, Some(Unreal::Governed { lemma: lemma.to_string(), intent, at: Some(h) }));
            }
            if let Some(t) = is_trigger[h] {
                let content = matches!(
                    t,
                    EventType::Request
                        | EventType::Threaten
                        | EventType::Agree
                        | EventType::Reject
                        | EventType::Consult
                );
                if rel == "xcomp" || (content && rel != "acl") || (content && infinitival) {
                    return (negated, Some(Unreal::Content(h)));
                }
            }
        }
        // Modals and conditions of the clause above reach down ("would like to attack").
        for &c in &s.children[h] {
            let form = s.tokens[c].form.to_lowercase();
            if rel != "conj" && s.base_rel(c) == "aux" && lex.is(&form, ModalityKind::Aux) {
                return (negated, Some(Unreal::Marked(format!("aux:{form}"))));
            }
            if rel != "conj" && s.base_rel(c) == "aux" && lex.is(&form, ModalityKind::Future) {
                return (negated, Some(Unreal::Governed { lemma: form, intent: true, at: None }));
            }
        }
        cur = h;
    }
    (negated, None)
}

/// An event before the sentence-level decisions (unreal events, borrowed targets).
struct Draft<'l> {
    token: usize,
    entry: &'l TriggerEntry,
    event: EventType,
    sources: Vec<usize>,
    targets: Vec<usize>,
    source_rule: String,
    target_rule: String,
    trigger: Range<usize>,
    negated: bool,
    unreal: Option<Unreal>,
    note: String,
    /// The mode, when a rule changed it from the entry's.
    mode: Option<Box<str>>,
}

/// Codes the events of one sentence. `mentions` are the sentence's actor mentions;
/// `question` says the sentence is a question (its events are not facts).
pub fn code_sentence(
    lex: &EventLexicon,
    tokens: &[EventToken<'_>],
    mentions: &[ActorSlot],
    opts: CodeOptions,
) -> Vec<EventCandidate> {
    let question = opts.question;
    let s = Sentence::new(tokens, mentions, lex);
    let n = tokens.len();
    // Pass 1: the best entry at each token.
    let mut chosen: Vec<Option<(&TriggerEntry, Vec<usize>)>> = vec![None; n];
    for i in 0..n {
        if s.mention_at[i].is_some() {
            continue;
        }
        let pos = match tokens[i].upos {
            "VERB" => TriggerPos::Verb,
            "NOUN" => TriggerPos::Noun,
            _ => continue,
        };
        let mut lemma = tokens[i].lemma;
        if !lex.has_head(pos, lemma) {
            // The lemmatizer's guess has no entry: try the form ("shelled" -> "shell").
            match lex.lemma_of_form(&tokens[i].form.to_lowercase()) {
                Some(l) => lemma = l,
                None => continue,
            }
        }
        for e in lex.candidates(pos, lemma) {
            if let Some(extra) = match_entry(lex, &s, i, e) {
                chosen[i] = Some((e, extra));
                break;
            }
        }
    }
    // Completing words of a phrase are not triggers of their own.
    let mut consumed = vec![false; n];
    for (_, extra) in chosen.iter().flatten() {
        for &x in extra {
            consumed[x] = true;
        }
    }
    let is_trigger: Vec<Option<EventType>> = chosen
        .iter()
        .zip(&consumed)
        .map(|(c, &used)| if used { None } else { c.as_ref().map(|(e, _)| e.event) })
        .collect();
    // Pass 2: roles and modality of each trigger.
    let mut drafts: Vec<Draft<'_>> = Vec::new();
    for (i, c) in chosen.iter().enumerate() {
        let Some((e, extra)) = c else { continue };
        if consumed[i] {
            continue;
        }
        let noun = e.pos == TriggerPos::Noun;
        let mut light = None;
        let predicative = e.targets.contains(&TargetSpec::Pred);
        let (mut sources, source_rule, passive) = if noun && predicative {
            speaker_of(&s, i)
        } else if noun {
            noun_source(&s, i, &is_trigger, &mut light)
        } else {
            s.subject_of(i, 3)
        };
        let (negated, mut unreal) = modality(&s, lex, i, light, &is_trigger);
        if question && unreal.is_none() {
            unreal = Some(Unreal::Marked("question".into()));
        }
        let (mut targets, target_rule) = find_targets(&s, lex, i, extra, light, passive, e);
        let mut source_rule = source_rule.to_string();
        let mut target_rule = target_rule;
        // "Israel drew criticism from Egypt", "faced demands": the light verb's subject
        // receives the event.
        let receiver = light.is_some_and(|l| lex.is(s.lemma(l), ModalityKind::Receiver));
        if receiver {
            source_rule = "light-verb(receiver)".into();
            target_rule = format!("{target_rule}(receiver)");
        }
        if e.reverse != receiver {
            std::mem::swap(&mut sources, &mut targets);
            std::mem::swap(&mut source_rule, &mut target_rule);
        }
        // A city or region is where something happened: never the doer, and the
        // recipient only of force ("shelled Kharkiv"), not of talks or statements.
        sources.retain(|&m| !s.place[m]);
        let forceful = matches!(e.event, EventType::Assault | EventType::Coerce | EventType::Mobilize);
        if !forceful {
            targets.retain(|&m| !s.place[m]);
        } else if targets.is_empty() && noun {
            // "the Manchester attack": a place compound is the target of the attack.
            if let Some(m) = s.kids(i, "compound").find_map(|c| s.mention_at[c]).filter(|&m| s.place[m]) {
                targets.push(m);
                target_rule = "compound(place)".into();
            }
        }
        if targets.is_empty() && !noun && s.rel(i) == "acl" && tokens[i].xpos == "VBN" && !e.reverse {
            // "a US pastor detained for two years": the noun a passive participle
            // modifies is its patient.
            if let Some(h) = s.head(i) {
                targets = s.actors_of(h).into_iter().filter(|t| !sources.contains(t)).collect();
                target_rule = "acl(patient)".into();
            }
        }
        if targets.is_empty() && noun && s.base_rel(i) == "nsubj" {
            // "The attack targeted a police station", "its attacks were aimed at Iranian
            // bases": the verb of which the event noun is the subject names the target.
            if let Some(h) = s.head(i).filter(|&h| tokens[h].upos == "VERB") {
                for c in s.children[h].iter().copied() {
                    let object = s.rel(c) == "obj";
                    let aimed = s.base_rel(c) == "obl"
                        && s.case_of(c).is_some_and(|p| matches!(p.as_str(), "at" | "against" | "on" | "into"));
                    if object || aimed {
                        targets.extend(s.actors_of(c).into_iter().filter(|t| !sources.contains(t)));
                    }
                }
                if !targets.is_empty() {
                    target_rule = "obj/obl(head verb)".into();
                }
            }
        }
        if targets.is_empty() && !noun && !e.event.is_material() {
            // "accusing it of building ...", "urged Hamas to seize" read as a clause: the
            // subject of the complement clause is the one spoken to or about.
            let complement = |c: usize| {
                matches!(s.base_rel(c), "ccomp" | "xcomp")
                    || (s.base_rel(c) == "advcl"
                        && s.children[c].iter().any(|&m| s.rel(m) == "mark" && s.lemma(m) == "of"))
            };
            for c in s.children[i].iter().copied().filter(|&c| complement(c)) {
                if let Some(subj) = s.kids(c, "nsubj").next() {
                    targets = s.actors_of(subj).into_iter().filter(|t| !sources.contains(t)).collect();
                    target_rule = "nsubj(complement)".into();
                    break;
                }
            }
        }
        if targets.is_empty() && noun && s.base_rel(i) == "obl" {
            // "X was killed in a Russian airstrike": the victim of the passive verb.
            if let Some(p) = s.head(i).and_then(|h| s.kids(h, "nsubj:pass").next()) {
                targets = s.actors_of(p).into_iter().filter(|t| !sources.contains(t)).collect();
                target_rule = "nsubj:pass(head)".into();
            }
        }
        targets.retain(|t| !sources.contains(t));
        if targets.is_empty() && !sources.is_empty() && !e.event.is_material() {
            // "X has drawn concern, with Y warning against ...": the statement of a
            // clause attached to another is about that clause's subject.
            if let Some(t) = main_clause_subject(&s, light.unwrap_or(i)) {
                let t: Vec<usize> = t.into_iter().filter(|m| !sources.contains(m)).collect();
                if !t.is_empty() {
                    targets = t;
                    target_rule = "nsubj(main clause)".into();
                }
            }
        }
        let mut first = i;
        let mut last = i;
        for &x in extra {
            first = first.min(x);
            last = last.max(x);
        }
        drafts.push(Draft {
            token: i,
            entry: e,
            event: e.event,
            sources,
            targets,
            source_rule,
            target_rule,
            trigger: first..last + 1,
            negated,
            unreal,
            note: String::new(),
            mode: e.mode.clone(),
        });
    }
    // Pass 3: a demand, threat or offer without a target takes the target of its
    // content ("threatened to attack Kurdish militants"); a violent act under a
    // commitment is a threat ("vowed to destroy Hamas").
    let at_token: Vec<Option<usize>> = {
        let mut v = vec![None; n];
        for (k, d) in drafts.iter().enumerate() {
            v[d.token] = Some(k);
        }
        v
    };
    for k in 0..drafts.len() {
        match drafts[k].unreal.clone() {
            Some(Unreal::Content(g)) => {
                let Some(gk) = at_token[g] else { continue };
                if drafts[gk].event == EventType::Threaten && drafts[gk].mode.is_none() {
                    drafts[gk].mode = threat_mode(drafts[k].event, drafts[k].entry.mode.as_deref());
                }
                if drafts[gk].targets.is_empty() && !drafts[k].targets.is_empty() {
                    let borrowed: Vec<usize> =
                        drafts[k].targets.iter().copied().filter(|t| !drafts[gk].sources.contains(t)).collect();
                    if !borrowed.is_empty() {
                        drafts[gk].targets = borrowed;
                        drafts[gk].target_rule = format!("{}(content)", drafts[k].target_rule);
                    }
                }
            }
            Some(Unreal::Governed { lemma, intent: true, at }) => {
                // PLOVER manual: an announced or intended act is coded as what it signals.
                let signalled = match drafts[k].event {
                    EventType::Assault | EventType::Coerce | EventType::Sanction => Some(EventType::Threaten),
                    EventType::Consult | EventType::Support | EventType::Cooperate | EventType::Aid => {
                        Some(EventType::Agree)
                    }
                    EventType::Retreat | EventType::Concede => Some(EventType::Concede),
                    EventType::Agree => Some(EventType::Agree),
                    _ => None,
                };
                // "would not attend the talks": refusing to cooperate is a REJECT.
                let signalled = match signalled {
                    Some(EventType::Agree) if drafts[k].negated => {
                        drafts[k].negated = false;
                        Some(EventType::Reject)
                    }
                    other => other,
                };
                if let Some(t) = signalled {
                    // "threatened to expel diplomats": one THREATEN (EXPEL), not two.
                    if let Some(gk) = at.and_then(|g| at_token[g]) {
                        if drafts[gk].event == t && drafts[gk].unreal.is_none() {
                            drafts[gk].unreal =
                                Some(Unreal::Marked(format!("stated by {:?}", tokens[drafts[k].token].form)));
                        }
                    }
                    drafts[k].note = format!("; intent:{lemma} -> {}", t.as_str());
                    if t == EventType::Threaten {
                        drafts[k].mode = threat_mode(drafts[k].event, drafts[k].entry.mode.as_deref());
                    }
                    drafts[k].event = t;
                    drafts[k].unreal = None;
                }
            }
            _ => {}
        }
    }
    // PLOVER manual: an announced or ordered retreat is a concession.
    for d in drafts
        .iter_mut()
        .filter(|d| d.event == EventType::Retreat && d.unreal.is_none() && d.mode.as_deref() != Some("RESIGN"))
    {
        let mut cur = d.token;
        for _ in 0..3 {
            let Some(h) = s.head(cur) else { break };
            if !matches!(s.base_rel(cur), "ccomp" | "xcomp" | "obj" | "conj") {
                break;
            }
            if lex.is(s.lemma(h), ModalityKind::Announce) {
                d.event = EventType::Concede;
                d.note = format!("; announced by {:?} -> CONCEDE", s.lemma(h));
                break;
            }
            cur = h;
        }
    }
    let mut out: Vec<EventCandidate> = Vec::new();
    for d in drafts {
        let e = d.entry;
        let dropped = match &d.unreal {
            Some(Unreal::Marked(m)) => Some(format!("not a fact ({m})")),
            Some(Unreal::Governed { lemma, .. }) => Some(format!("not a fact (governed by {lemma:?})")),
            Some(Unreal::Content(g)) => Some(format!("content of the trigger {:?}", tokens[*g].form)),
            None if d.sources.is_empty() && d.targets.is_empty() => Some("no actor".to_string()),
            // Who did it is the first thing an event must say: a sentence that does not
            // name the doer ("16 people were killed in the attack") gives no event.
            None if d.sources.is_empty() => Some("no source actor".to_string()),
            None if e.weak && d.targets.is_empty() => Some("weak trigger without a target actor".to_string()),
            None => None,
        };
        if dropped.is_some() && !opts.explain {
            continue;
        }
        let mut confidence: f32 = 0.9;
        if d.sources.is_empty() {
            confidence -= 0.3;
        }
        if d.targets.is_empty() {
            confidence -= 0.15;
        }
        if e.pos == TriggerPos::Noun {
            confidence -= 0.05;
        }
        if e.weak {
            confidence -= 0.2;
        }
        if d.source_rule.contains('(') || d.source_rule == "light-verb" || d.target_rule.contains('(') {
            confidence -= 0.05;
        }
        if d.negated {
            confidence -= 0.3;
        }
        let why = format!(
            "lexicon:{} ({}) -> {}{}; source={}; target={}{}{}",
            e.key(),
            e.origin,
            e.event.as_str(),
            e.mode.as_deref().map(|m| format!("/{m}")).unwrap_or_default(),
            d.source_rule,
            d.target_rule,
            d.note,
            if d.negated { "; negated" } else { "" }
        );
        out.push(EventCandidate {
            event: d.event,
            mode: if d.event != e.event && d.event != EventType::Threaten { None } else { d.mode },
            sources: d.sources,
            targets: d.targets,
            trigger: d.trigger,
            negated: d.negated,
            confidence: if dropped.is_some() { 0.0 } else { confidence.clamp(0.05, 0.99) },
            why,
            dropped,
        });
    }
    dedupe(&mut out);
    out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.trigger.start.cmp(&b.trigger.start)));
    out
}

/// The actors of the subject of the clause that `t` is attached to as an adverbial or
/// complement clause ("..., with Y warning against it").
fn main_clause_subject(s: &Sentence<'_, '_>, t: usize) -> Option<Vec<usize>> {
    if !matches!(s.base_rel(t), "advcl" | "xcomp" | "acl") {
        return None;
    }
    let h = s.head(t)?;
    if s.tokens[h].upos != "VERB" && s.tokens[h].upos != "AUX" {
        return None;
    }
    let subj = s.kids(h, "nsubj").next()?;
    let a = s.actors_of(subj);
    (!a.is_empty()).then_some(a)
}

/// The source of a predicative noun ("Israel's role as the main obstacle"): the
/// subject of the nearest verb above it.
fn speaker_of(s: &Sentence<'_, '_>, n: usize) -> (Vec<usize>, &'static str, Option<usize>) {
    let mut cur = n;
    for _ in 0..4 {
        let Some(h) = s.head(cur) else { break };
        if s.tokens[h].upos == "VERB" {
            let (a, _, _) = s.subject_of(h, 3);
            return (a, "nsubj(clause)", None);
        }
        cur = h;
    }
    (Vec::new(), "none", None)
}

fn noun_source(
    s: &Sentence<'_, '_>,
    n: usize,
    is_trigger: &[Option<EventType>],
    light: &mut Option<usize>,
) -> (Vec<usize>, &'static str, Option<usize>) {
    let mut found = Vec::new();
    for c in s.kids(n, "nmod:poss") {
        found.extend(s.actors_of(c));
    }
    if !found.is_empty() {
        return (found, "nmod:poss", None);
    }
    for c in s.children[n].iter().copied() {
        if matches!(s.rel(c), "amod" | "compound" | "nmod:desc") {
            if let Some(m) = s.mention_at[c].filter(|&m| !s.place[m]) {
                if !found.contains(&m) {
                    found.push(m);
                }
            }
        }
    }
    if !found.is_empty() {
        return (found, "amod/compound", None);
    }
    for c in s.kids_base(n, "nmod") {
        if s.case_of(c).as_deref() == Some("by") {
            found.extend(s.actors_of(c));
        }
    }
    if !found.is_empty() {
        return (found, "nmod:by", None);
    }
    let Some(h) = s.head(n) else { return (found, "none", None) };
    match s.base_rel(n) {
        "obj" | "obl" | "xcomp" if s.tokens[h].upos == "VERB" && is_trigger[h].is_none() => {
            *light = Some(h);
            let (a, _, _) = s.subject_of(h, 3);
            (a, "light-verb", None)
        }
        "conj" if s.tokens[h].upos == "NOUN" => {
            let (a, _, _) = noun_source(s, h, is_trigger, light);
            (a, "conj", None)
        }
        _ => (found, "none", None),
    }
}

/// The THREATEN mode that a threatened act signals (PLOVER codebook modes).
fn threat_mode(act: EventType, act_mode: Option<&str>) -> Option<Box<str>> {
    let m = match (act, act_mode) {
        (EventType::Assault, _) => "VIOLENCE",
        (EventType::Coerce, Some("BAN")) => "BAN",
        (EventType::Coerce, Some("ARREST")) => "ARREST",
        (EventType::Coerce, Some("DEPORT")) | (EventType::Sanction, Some("EXPEL")) => "EXPEL",
        (EventType::Coerce, Some("RESTRICT" | "CURFEW" | "CENSOR")) => "RESTRICT",
        (EventType::Coerce, Some("SEIZE")) => "TERRITORY",
        (EventType::Sanction, _) => "RELATIONS",
        _ => return None,
    };
    Some(m.into())
}

/// Keeps one event per (type, sources, targets) in a sentence: the most confident,
/// and of equally confident ones the one with a mode.
fn dedupe(events: &mut Vec<EventCandidate>) {
    let mut keep: Vec<EventCandidate> = Vec::with_capacity(events.len());
    for e in events.drain(..) {
        if e.dropped.is_some() {
            keep.push(e);
            continue;
        }
        let same = keep
            .iter_mut()
            .find(|k| k.dropped.is_none() && k.event == e.event && k.sources == e.sources && k.targets == e.targets);
        match same {
            Some(k)
                if k.confidence > e.confidence
                    || (k.confidence == e.confidence && (k.mode.is_some() || e.mode.is_none())) => {}
            Some(k) => *k = e,
            None => keep.push(e),
        }
    }
    *events = keep;
}
