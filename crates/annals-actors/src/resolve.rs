//! Resolving one actor phrase ("U.S. Secretary of State Antony Blinken", "Egyptian
//! mediators", "former President Nursultan Nazarbayev") to country, sector,
//! organization and person, from its lexicon matches and a few structural rules.
//!
//! The phrase is cut at its first preposition or punctuation: the part before is the
//! core that names the actor; what follows ("... in Denmark") only supplies a country
//! the core lacks. In the core, the rightmost actor word is the head and gives the
//! sector; a known person's dated role overrides it; a modifier ("former",
//! "opposition") changes it; the first country word, possessive owner or
//! organization gives the country.

use crate::date::Date;
use crate::lexicon::{acronym_key, token_key, Entry, Lexicon};

/// The code of one actor. Every field is `None` when the phrase names no political actor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorCode {
    /// ISO 3166-1 alpha-3, or `None` for transnational actors.
    pub country: Option<String>,
    /// PLOVER agent code.
    pub sector: Option<String>,
    /// Organization name from the lexicon.
    pub org: Option<String>,
    /// Canonical person name.
    pub name: Option<String>,
}

impl ActorCode {
    pub fn is_empty(&self) -> bool {
        self.country.is_none() && self.sector.is_none() && self.org.is_none() && self.name.is_none()
    }

    /// The code as a JSON object with the four fields of the output contract.
    pub fn to_json(&self) -> String {
        let f = |v: &Option<String>| match v {
            Some(s) => json_string(s),
            None => "null".to_string(),
        };
        format!(
            "{{\"country\":{},\"sector\":{},\"org\":{},\"name\":{}}}",
            f(&self.country),
            f(&self.sector),
            f(&self.org),
            f(&self.name)
        )
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One lexicon match over tokens `[start, end)`.
#[derive(Debug, Clone)]
pub struct PhraseMatch<'a> {
    pub start: usize,
    pub end: usize,
    pub entries: &'a [Entry],
}

/// Words that end the core of a phrase.
const BOUNDARY_WORDS: [&str; 24] = [
    "in", "at", "from", "with", "to", "on", "near", "across", "under", "against", "between", "among", "inside",
    "outside", "around", "within", "for", "by", "during", "after", "before", "over", "who", "which",
];

fn is_boundary(form: &str) -> bool {
    matches!(form, "," | ";" | ":" | "(" | ")" | "\u{2014}" | "\u{2013}" | "--" | "\"")
        || BOUNDARY_WORDS.iter().any(|w| form.eq_ignore_ascii_case(w))
}

fn is_possessive(form: &str) -> bool {
    matches!(form, "'s" | "'" | "\u{2019}s" | "\u{2019}")
}

/// Finds lexicon phrases in `forms`, longest first, left to right, without overlaps.
pub fn find_matches<'a>(lex: &'a Lexicon, forms: &[&str]) -> Vec<PhraseMatch<'a>> {
    let keys: Vec<String> = forms.iter().map(|f| token_key(f)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut key = String::new();
    while i < forms.len() {
        // Acronym keys hold no lowercase letter: skip the lookup for ordinary words.
        let mut best: Option<(usize, &'a [Entry])> = if forms[i].chars().any(char::is_lowercase) {
            None
        } else {
            lex.get(&acronym_key(forms[i])).map(|e| (i + 1, e))
        };
        key.clear();
        let stop = forms.len().min(i + lex.max_tokens.max(1));
        for (j, k) in keys.iter().enumerate().take(stop).skip(i) {
            if j > i {
                key.push(' ');
            }
            key.push_str(k);
            if let Some(e) = lex.get(&key) {
                if best.is_none_or(|(end, _)| j + 1 > end) {
                    best = Some((j + 1, e));
                }
            }
            if !lex.is_prefix(&key) {
                break;
            }
        }
        match best {
            Some((end, entries)) => {
                out.push(PhraseMatch { start: i, end, entries });
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

fn is_name_token(form: &str) -> bool {
    let mut chars = form.chars();
    chars.next().is_some_and(char::is_uppercase) && form.chars().all(|c| c.is_alphabetic() || c == '.' || c == '\'')
}

/// Lowercase particles and joiners inside personal names ("al-Sisi", "bin Salman",
/// "van der Leyen").
pub(crate) fn is_name_particle(form: &str) -> bool {
    matches!(
        form,
        "al" | "el"
            | "bin"
            | "ibn"
            | "bint"
            | "abu"
            | "ben"
            | "de"
            | "del"
            | "della"
            | "der"
            | "den"
            | "van"
            | "von"
            | "da"
            | "di"
            | "du"
            | "le"
            | "la"
            | "dos"
            | "-"
    )
}

/// The length of the personal name at the start of `forms`: capitalized words, with
/// particles only between them.
pub(crate) fn name_length(forms: &[&str]) -> usize {
    let mut n = 0;
    let mut k = 0;
    while k < forms.len() {
        if is_name_token(forms[k]) {
            k += 1;
            n = k;
        } else if is_name_particle(forms[k]) {
            k += 1;
        } else {
            break;
        }
    }
    n
}

/// Joins name tokens, without spaces around hyphens ("al - Sisi" -> "al-Sisi").
fn join_name(forms: &[&str]) -> String {
    let mut out = String::new();
    for (k, f) in forms.iter().enumerate() {
        if k > 0 && *f != "-" && forms[k - 1] != "-" {
            out.push(' ');
        }
        out.push_str(f);
    }
    out
}

/// What the core of a phrase says, before dates and context are applied.
#[derive(Default)]
struct Reading {
    country: Option<String>,
    head_sector: Option<String>,
    org: Option<u32>,
    person: Option<u32>,
    modifier: Option<String>,
    title_name: Option<String>,
}

impl Lexicon {
    /// Resolves one actor phrase at `date` (dated roles), with `context` (another
    /// phrase, e.g. the place or country of the story) supplying a missing country.
    pub fn resolve(&self, phrase: &str, date: Option<Date>, context: Option<&str>) -> ActorCode {
        let tokens = annals_text::tokenize(phrase);
        let forms: Vec<&str> = tokens.iter().map(|t| t.form(phrase)).collect();
        let mut code = self.resolve_forms(&forms, date);
        if code.country.is_none() && code.sector.as_deref() != Some("IGO") {
            if let Some(ctx) = context.filter(|c| !c.trim().is_empty()) {
                let tokens = annals_text::tokenize(ctx);
                let forms: Vec<&str> = tokens.iter().map(|t| t.form(ctx)).collect();
                let c = self.resolve_forms(&forms, date);
                if c.country.is_some() && !code.is_empty() {
                    code.country = c.country;
                }
            }
        }
        code
    }

    /// Whether the words name only cities or regions (no country, seat, organization,
    /// person or actor noun).
    pub fn names_only_places(&self, forms: &[&str]) -> bool {
        let matches = find_matches(self, forms);
        !matches.is_empty()
            && matches.iter().all(|m| m.entries.iter().all(|e| matches!(e, Entry::Place(_) | Entry::Region)))
    }

    /// Resolves a phrase given as word forms.
    pub fn resolve_forms(&self, forms: &[&str], date: Option<Date>) -> ActorCode {
        let matches = find_matches(self, forms);
        // A boundary word inside a lexicon phrase ("commander-in-chief") is not one.
        let inside = |k: usize| matches.iter().any(|m| m.start < k && k < m.end);
        let end = (1..forms.len()).find(|&k| is_boundary(forms[k]) && !inside(k)).unwrap_or(forms.len());
        let mut start = 0;
        // "several of the unions", "members of SANDF": the head follows "of".
        if let Some(of) = (0..end).find(|&k| forms[k].eq_ignore_ascii_case("of") && !inside(k)) {
            if !matches.iter().any(|m| m.start < of) {
                start = of + 1;
            }
        }
        let core: Vec<&PhraseMatch<'_>> = matches.iter().filter(|m| m.start >= start && m.end <= end).collect();
        let rest: Vec<&PhraseMatch<'_>> = matches.iter().filter(|m| m.start >= end).collect();
        let mut reading = self.read_core(forms, &core, end, date);
        // A bare surname ("Museveni") names the one known person of that surname who
        // held a role on the date, if there is exactly one.
        if core.is_empty() && end == start + 1 && is_name_token(forms[start]) {
            if let Some(d) = date {
                let holders: Vec<u32> = self
                    .people_with_surname(&crate::lexicon::fold(forms[start]))
                    .iter()
                    .copied()
                    .filter(|&p| self.person(p).is_some_and(|p| p.role_on(Some(d)).is_some()))
                    .collect();
                if let [p] = holders.as_slice() {
                    reading.person = Some(*p);
                }
            }
        }

        let mut code = ActorCode {
            org: reading.org.and_then(|o| self.organization(o)).map(|o| o.org.to_string()),
            country: reading.country.clone(),
            sector: reading.head_sector.clone(),
            name: None,
        };
        if let Some(p) = reading.person.and_then(|p| self.person(p)) {
            code.name = Some(p.name.to_string());
            if let Some(role) = p.role_on(date) {
                code.sector = Some(role.sector.to_string());
                if role.country.is_some() {
                    code.country = role.country.as_ref().map(|c| c.to_string());
                }
            } else if let Some(d) = date.filter(|&d| p.last_role_before(d).is_some()) {
                // Out of office: a former official (elite), of the country of the latest
                // national role, unless the phrase gives a title ("Senator X").
                code.sector = Some(reading.head_sector.clone().unwrap_or_else(|| "ELI".into()));
                let national = p
                    .roles
                    .iter()
                    .filter(|r| r.country.is_some() && r.from.is_none_or(|f| f <= d))
                    .max_by_key(|r| r.from);
                if let Some(c) = national.and_then(|r| r.country.as_ref()) {
                    code.country = Some(c.to_string());
                }
            } else if let Some(role) = p.roles.iter().min_by_key(|r| r.from) {
                // Before any known role: the person's country; the sector only from a
                // title in the phrase ("Lt. Gen. X").
                code.country = role.country.as_ref().map(|c| c.to_string()).or(code.country);
                code.sector = reading.head_sector.clone();
            }
        } else if let Some(name) = reading.title_name {
            code.name = Some(name);
        }
        if let Some(m) = reading.modifier {
            if code.sector.is_some() || code.name.is_some() {
                code.sector = Some(m);
            }
        }
        if code.country.is_none() && code.sector.as_deref() != Some("IGO") {
            code.country = rest.iter().find_map(|m| self.country_of(m.entries));
        }
        code
    }

    fn country_of(&self, entries: &[Entry]) -> Option<String> {
        entries.iter().find_map(|e| match e {
            Entry::Country(c) | Entry::Adjective(c) | Entry::Seat(c) | Entry::Place(c) => {
                self.country(*c).map(|c| c.code.to_string())
            }
            Entry::Organization(o) => self.organization(*o).and_then(|o| o.country.as_ref()).map(|c| c.to_string()),
            _ => None,
        })
    }

    fn read_core(&self, forms: &[&str], core: &[&PhraseMatch<'_>], end: usize, date: Option<Date>) -> Reading {
        let mut r = Reading::default();
        let mut last_title_end = None;
        let mut head: Option<(String, bool)> = None; // (sector, generic GOV title/agent)
        for (k, m) in core.iter().enumerate() {
            // A possessive owner ("Israel's soldiers") is not the head, unless nothing follows.
            let possessive = forms.get(m.end).is_some_and(|f| is_possessive(f)) && k + 1 < core.len();
            // One entry per match: the most specific reading.
            let pick = m
                .entries
                .iter()
                .min_by_key(|e| match e {
                    Entry::Person(_) => 0,
                    Entry::Organization(_) => 1,
                    Entry::Title(_) => 2,
                    Entry::Agent(_) => 3,
                    Entry::Seat(_) => 4,
                    Entry::Country(_) => 5,
                    Entry::Adjective(_) => 6,
                    Entry::Place(_) => 7,
                    Entry::Region => 8,
                    Entry::Modifier(_) => 9,
                })
                .cloned();
            let Some(mut entry) = pick else { continue };
            // Several people under one name ("George Bush"): the one in office then.
            if matches!(entry, Entry::Person(_)) {
                if let Some(p) = m.entries.iter().find(|e| match e {
                    Entry::Person(p) => self.person(*p).is_some_and(|p| p.role_on(date).is_some()),
                    _ => false,
                }) {
                    entry = p.clone();
                }
            }
            if r.country.is_none() {
                r.country = self.country_of(std::slice::from_ref(&entry));
            }
            match entry {
                Entry::Person(p) => {
                    r.person.get_or_insert(p);
                }
                Entry::Organization(o) => {
                    r.org.get_or_insert(o);
                    if let Some(org) = self.organization(o) {
                        if !possessive {
                            head = Some((org.sector.to_string(), false));
                        }
                    }
                }
                Entry::Title(s) => {
                    last_title_end = Some(m.end);
                    // GOV and NGO titles are generic: "UN aid chief" is the UN's.
                    head = Some((s.to_string(), matches!(s.as_ref(), "GOV" | "NGO")));
                }
                Entry::Agent(s) => head = Some((s.to_string(), s.as_ref() == "GOV")),
                Entry::Seat(_) => {
                    if !possessive {
                        head = Some(("GOV".into(), false));
                    }
                }
                Entry::Modifier(s) => r.modifier = Some(s.to_string()),
                Entry::Country(_) | Entry::Adjective(_) | Entry::Place(_) | Entry::Region => {}
            }
        }
        // A generic GOV title or noun after an organization names one of its members
        // ("Hamas official", "UN aid chief"); a specific one keeps its sector
        // ("EU legislators").
        let org_sector = r.org.and_then(|o| self.organization(o)).map(|o| o.sector.to_string());
        r.head_sector = match head {
            Some((s, true)) => org_sector.or(Some(s)),
            // Fighters and commanders of a non-state armed group are that group.
            Some((s, false)) if s == "MIL" && matches!(org_sector.as_deref(), Some("REB" | "PRM" | "UAF" | "CRM")) => {
                org_sector
            }
            Some((s, false)) => Some(s),
            // A modifier alone ("the Syrian opposition") names its own sector.
            None => r.modifier.clone().filter(|m| m != "ELI"),
        };
        // An unknown name after a title: "Governor Vadim Shumkov".
        if r.person.is_none() {
            if let Some(t) = last_title_end {
                let rest = &forms[t.min(end)..end];
                let n = name_length(rest);
                if n > 0 && t + n == end {
                    r.title_name = Some(join_name(&rest[..n]));
                }
            }
        }
        r
    }
}

fn is_head_entry(e: &Entry) -> bool {
    matches!(e, Entry::Title(_) | Entry::Agent(_) | Entry::Organization(_) | Entry::Person(_) | Entry::Seat(_))
}

impl Lexicon {
    /// Resolves a phrase that may name several actors ("Hungarian and Romanian
    /// officials", "Israel and Hamas"): one code per conjunct; a head noun shared by
    /// bare adjectives is distributed over them. Conjuncts that name no actor are dropped.
    pub fn resolve_compound(&self, phrase: &str, date: Option<Date>) -> Vec<ActorCode> {
        let tokens = annals_text::tokenize(phrase);
        let forms: Vec<&str> = tokens.iter().map(|t| t.form(phrase)).collect();
        let end = (1..forms.len()).find(|&k| is_boundary(forms[k]) && forms[k] != ",").unwrap_or(forms.len());
        let mut conjuncts: Vec<&[&str]> = Vec::new();
        let mut start = 0;
        for k in 0..end {
            if matches!(forms[k], "and" | "&" | ",") {
                if k > start {
                    conjuncts.push(&forms[start..k]);
                }
                start = k + 1;
            }
        }
        if start < end {
            conjuncts.push(&forms[start..end]);
        }
        if conjuncts.len() < 2 {
            let code = self.resolve(phrase, date, None);
            return if code.is_empty() { Vec::new() } else { vec![code] };
        }
        let last = conjuncts[conjuncts.len() - 1];
        let last_matches = find_matches(self, last);
        let head: &[&str] =
            last_matches.iter().find(|m| m.entries.iter().any(is_head_entry)).map_or(&[], |m| &last[m.start..]);
        let rest = &forms[end..];
        let mut out = Vec::new();
        // Only a common noun is shared ("Hungarian and Romanian officials"), and only by
        // conjuncts made of adjectives ("Israel and Hamas" shares nothing).
        let shared_head = last_matches
            .iter()
            .find(|m| m.entries.iter().any(is_head_entry))
            .is_some_and(|m| m.entries.iter().any(|e| matches!(e, Entry::Title(_) | Entry::Agent(_))));
        for (i, c) in conjuncts.iter().enumerate() {
            let ms = find_matches(self, c);
            let bare_adjectives = !ms.is_empty()
                && ms.iter().all(|m| {
                    m.entries.iter().any(|e| matches!(e, Entry::Adjective(_)))
                        && !m.entries.iter().any(|e| matches!(e, Entry::Country(_)) || is_head_entry(e))
                });
            let mut words: Vec<&str> = c.to_vec();
            if shared_head && bare_adjectives && i + 1 < conjuncts.len() {
                words.extend_from_slice(head);
            }
            words.extend_from_slice(rest);
            let code = self.resolve_forms(&words, date);
            if !code.is_empty() {
                out.push(code);
            }
        }
        out
    }
}
