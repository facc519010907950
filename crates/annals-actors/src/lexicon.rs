//! The actor lexicons: parsing the tab-separated files of `data/` (and a user's files
//! of the same format) into one phrase index, with errors that name file and line.
//!
//! Every name, adjective, seat, title and agent noun becomes a key: its tokens (by the
//! annals tokenizer) lowercased and stripped of diacritics, joined by spaces. Single
//! tokens written in capitals (acronyms such as `US`) keep their case, so `us` does not
//! match. Later files win over earlier ones for the same key, which is how a user's
//! `--lexicon DIR` overrides the built-in entries.

use crate::date::Date;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// FxHash: the phrase tables are built and probed with short string keys, where
/// SipHash's protection against crafted keys costs more than the whole lookup.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(a)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// A lexicon line that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct LexiconError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// A sector code (`GOV`, `MIL`, ...): three to five capital letters.
pub type Sector = Box<str>;

#[derive(Debug, Clone)]
pub struct Country {
    pub code: Box<str>,
    pub name: Box<str>,
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub org: Box<str>,
    pub country: Option<Box<str>>,
    pub sector: Sector,
}

/// One dated role of a person.
#[derive(Debug, Clone)]
pub struct Role {
    pub country: Option<Box<str>>,
    pub sector: Sector,
    pub role: Box<str>,
    pub from: Option<Date>,
    /// Last day of the role (inclusive); `None` while it continues.
    pub until: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub name: Box<str>,
    pub roles: Vec<Role>,
}

/// What a matched phrase is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A country's name (index into `countries`).
    Country(u32),
    /// An adjective or demonym of a country.
    Adjective(u32),
    /// A capital or seat of power: the country's government.
    Seat(u32),
    /// A city or region of a country: gives the country only.
    Place(u32),
    /// A region spanning countries ("Latin America", "the Middle East"): names no
    /// country, and keeps its words from matching one ("America").
    Region,
    Organization(u32),
    Person(u32),
    /// A generic actor noun ("soldiers").
    Agent(Sector),
    /// A position held by a person ("foreign minister").
    Title(Sector),
    /// A word that changes the sector of what it modifies ("former").
    Modifier(Sector),
}

/// The compiled lexicons.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub countries: Vec<Country>,
    pub organizations: Vec<Organization>,
    pub people: Vec<Person>,
    /// Phrase key -> (file rank, entries).
    phrases: FastMap<String, (u32, Vec<Entry>)>,
    /// Every proper prefix (in tokens) of a key, to stop extending a match early.
    prefixes: FastSet<String>,
    person_ids: FastMap<String, u32>,
    /// Folded surname (last word of the canonical name) -> people with that surname.
    surnames: FastMap<String, Vec<u32>>,
    country_ids: FastMap<String, u32>,
    org_ids: FastMap<String, u32>,
    /// Longest key, in tokens.
    pub max_tokens: usize,
    rank: u32,
}

/// The built-in lexicon files, in load order.
pub const BUILTIN: [(&str, &str); 6] = [
    ("countries.tsv", include_str!("../data/countries.tsv")),
    ("places.tsv", include_str!("../data/places.tsv")),
    ("organizations.tsv", include_str!("../data/organizations.tsv")),
    ("agents.tsv", include_str!("../data/agents.tsv")),
    ("titles.tsv", include_str!("../data/titles.tsv")),
    ("people.tsv", include_str!("../data/people.tsv")),
];

/// Lowercases and strips diacritics ("Khürelsükh" -> "khurelsukh").
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// Whether a single-token value is an acronym that must match in capitals.
fn is_acronym(token: &str) -> bool {
    let letters = token.chars().filter(|c| c.is_alphabetic()).count();
    (1..=5).contains(&letters) && token.chars().all(|c| !c.is_lowercase()) && token.chars().any(char::is_uppercase)
}

/// The key of one token of running text or of a lexicon value.
pub fn token_key(form: &str) -> String {
    fold(form)
}

/// The exact-case key used for acronyms.
pub fn acronym_key(form: &str) -> String {
    format!("={form}")
}

/// Keys of a lexicon value: its tokens folded and joined; a one-token acronym keeps its case.
fn value_key(value: &str) -> Option<(String, usize)> {
    // Plain words tokenize at spaces; anything else goes through the tokenizer.
    if value.bytes().all(|b| b.is_ascii_alphabetic() || b == b' ') && value.bytes().any(|b| b != b' ') {
        let words: Vec<&str> = value.split_whitespace().collect();
        if let [one] = words.as_slice() {
            if is_acronym(one) {
                return Some((acronym_key(one), 1));
            }
            if annals_text::tokenize(one).len() != 1 {
                return tokenized_key(value);
            }
        }
        return Some((words.iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join(" "), words.len()));
    }
    tokenized_key(value)
}

fn tokenized_key(value: &str) -> Option<(String, usize)> {
    let tokens = annals_text::tokenize(value);
    let forms: Vec<&str> = tokens.iter().map(|t| t.form(value)).collect();
    match forms.as_slice() {
        [] => None,
        [one] if is_acronym(one) => Some((acronym_key(one), 1)),
        _ => Some((forms.iter().map(|f| token_key(f)).collect::<Vec<_>>().join(" "), forms.len())),
    }
}

fn check_code(file: &str, line: usize, field: &str, value: &str, what: &str) -> Result<(), LexiconError> {
    let ok = (3..=5).contains(&value.len()) && value.chars().all(|c| c.is_ascii_uppercase());
    if ok {
        Ok(())
    } else {
        Err(LexiconError {
            file: file.into(),
            line,
            message: format!("{what} {field:?} is not a code of 3 to 5 capital letters: {value:?}"),
        })
    }
}

/// Organizations and people share their first columns: a name, an optional country
/// (third column) and a sector (fourth).
fn check_name_country_sector(file: &str, line: usize, fields: &[&str], what: &str) -> Result<(), LexiconError> {
    if fields[0].is_empty() {
        return Err(LexiconError { file: file.into(), line, message: format!("empty {what} name") });
    }
    if !fields[2].is_empty() {
        check_code(file, line, "country", fields[2], what)?;
    }
    check_code(file, line, "sector", fields[3], what)
}

impl Lexicon {
    /// The lexicons compiled into the binary.
    pub fn builtin() -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon::default();
        for (name, text) in BUILTIN {
            lex.add_file(name, text)?;
        }
        Ok(lex)
    }

    /// Adds one lexicon file; its kind comes from its name (`countries.tsv`, ...).
    /// Entries of this file win over those of earlier files for the same phrase.
    pub fn add_file(&mut self, name: &str, text: &str) -> Result<(), LexiconError> {
        self.rank += 1;
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let kind = base.trim_end_matches(".tsv");
        let columns = match kind {
            "countries" => 5,
            "places" => 2,
            "organizations" => 4,
            "agents" => 2,
            "titles" => 3,
            "people" => 7,
            _ => {
                return Err(LexiconError {
                    file: name.into(),
                    line: 0,
                    message: "unknown lexicon file: expected countries.tsv, places.tsv, organizations.tsv, agents.tsv, titles.tsv or people.tsv".into(),
                })
            }
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim_end_matches('\r');
            if l.trim().is_empty() || l.trim_start().starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = l.split('\t').map(str::trim).collect();
            if fields.len() != columns {
                return Err(LexiconError {
                    file: name.into(),
                    line,
                    message: format!("expected {columns} tab-separated fields, found {}", fields.len()),
                });
            }
            let values = |f: &str| -> Vec<String> {
                f.split('|').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect()
            };
            let err = |message: String| LexiconError { file: name.into(), line, message };
            match kind {
                "countries" => {
                    check_code(name, line, "code", fields[0], "country")?;
                    let id = self.country_id(fields[0], fields[1]);
                    let names = values(fields[2]);
                    if names.is_empty() {
                        return Err(err("a country needs at least one name".into()));
                    }
                    for v in names {
                        self.add_phrase(&v, Entry::Country(id));
                    }
                    for v in values(fields[3]) {
                        self.add_phrase(&v, Entry::Adjective(id));
                    }
                    for v in values(fields[4]) {
                        self.add_phrase(&v, Entry::Seat(id));
                    }
                }
                "places" if fields[0] == "-" => {
                    for v in values(fields[1]) {
                        self.add_phrase(&v, Entry::Region);
                    }
                }
                "places" => {
                    check_code(name, line, "code", fields[0], "place")?;
                    let id = match self.country_ids.get(fields[0]) {
                        Some(&id) => id,
                        None => self.country_id(fields[0], fields[0]),
                    };
                    for v in values(fields[1]) {
                        self.add_phrase(&v, Entry::Place(id));
                    }
                }
                "organizations" => {
                    check_name_country_sector(name, line, &fields, "organization")?;
                    let org = Organization {
                        org: fields[0].into(),
                        country: (!fields[2].is_empty()).then(|| fields[2].into()),
                        sector: fields[3].into(),
                    };
                    let id = match self.org_ids.get(fields[0]) {
                        Some(&id) => {
                            self.organizations[id as usize] = org;
                            id
                        }
                        None => {
                            let id = self.organizations.len() as u32;
                            self.org_ids.insert(fields[0].to_string(), id);
                            self.organizations.push(org);
                            id
                        }
                    };
                    self.add_phrase(fields[0], Entry::Organization(id));
                    for v in values(fields[1]) {
                        self.add_phrase(&v, Entry::Organization(id));
                    }
                }
                "agents" => {
                    check_code(name, line, "sector", fields[1], "agent")?;
                    let names = values(fields[0]);
                    if names.is_empty() {
                        return Err(err("an agent line needs at least one name".into()));
                    }
                    for v in names {
                        self.add_phrase(&v, Entry::Agent(fields[1].into()));
                    }
                }
                "titles" => {
                    check_code(name, line, "sector", fields[1], "title")?;
                    let entry = |s: &str| match fields[2] {
                        "title" => Ok(Entry::Title(s.into())),
                        "modifier" => Ok(Entry::Modifier(s.into())),
                        other => Err(err(format!("kind must be title or modifier, not {other:?}"))),
                    };
                    let e = entry(fields[1])?;
                    for v in values(fields[0]) {
                        self.add_phrase(&v, e.clone());
                    }
                }
                "people" => {
                    check_name_country_sector(name, line, &fields, "person")?;
                    let bound = |f: &str, end: bool| -> Result<Option<Date>, LexiconError> {
                        if f.is_empty() {
                            return Ok(None);
                        }
                        match Date::parse(f) {
                            Some((d, p)) => Ok(Some(if end { d.end_of(p) } else { d })),
                            None => Err(err(format!("not a date (YYYY, YYYY-MM or YYYY-MM-DD): {f:?}"))),
                        }
                    };
                    let (from, until) = (bound(fields[5], false)?, bound(fields[6], true)?);
                    if let (Some(a), Some(b)) = (from, until) {
                        if a > b {
                            return Err(err(format!("role ends ({b}) before it starts ({a})")));
                        }
                    }
                    let role = Role {
                        country: (!fields[2].is_empty()).then(|| fields[2].into()),
                        sector: fields[3].into(),
                        role: fields[4].into(),
                        from,
                        until,
                    };
                    let id = match self.person_ids.get(fields[0]) {
                        Some(&id) => id,
                        None => {
                            let id = self.people.len() as u32;
                            self.person_ids.insert(fields[0].to_string(), id);
                            self.people.push(Person { name: fields[0].into(), roles: Vec::new() });
                            if let Some(last) = fields[0].split_whitespace().last() {
                                self.surnames.entry(fold(last)).or_default().push(id);
                            }
                            id
                        }
                    };
                    self.people[id as usize].roles.push(role);
                    self.add_phrase(fields[0], Entry::Person(id));
                    for v in values(fields[1]) {
                        if let Some(last) = v.split_whitespace().last() {
                            let ids = self.surnames.entry(fold(last)).or_default();
                            if !ids.contains(&id) {
                                ids.push(id);
                            }
                        }
                        self.add_phrase(&v, Entry::Person(id));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn country_id(&mut self, code: &str, name: &str) -> u32 {
        if let Some(&id) = self.country_ids.get(code) {
            self.countries[id as usize].name = name.into();
            return id;
        }
        let id = self.countries.len() as u32;
        self.country_ids.insert(code.to_string(), id);
        self.countries.push(Country { code: code.into(), name: name.into() });
        id
    }

    fn add_phrase(&mut self, value: &str, entry: Entry) {
        let Some((key, n)) = value_key(value) else { return };
        self.max_tokens = self.max_tokens.max(n);
        if n > 1 {
            let mut prefix = String::new();
            for (i, part) in key.split(' ').enumerate().take(n - 1) {
                if i > 0 {
                    prefix.push(' ');
                }
                prefix.push_str(part);
                if !self.prefixes.contains(prefix.as_str()) {
                    self.prefixes.insert(prefix.clone());
                }
            }
        }
        let rank = self.rank;
        let slot = self.phrases.entry(key).or_insert_with(|| (rank, Vec::new()));
        if slot.0 < rank {
            // A later file redefines this phrase.
            *slot = (rank, Vec::new());
        }
        if !slot.1.contains(&entry) {
            slot.1.push(entry);
        }
    }

    /// Entries of a phrase key.
    pub fn get(&self, key: &str) -> Option<&[Entry]> {
        self.phrases.get(key).map(|(_, e)| e.as_slice())
    }

    /// Whether some key is longer than `key` and starts with it (whole tokens).
    pub fn is_prefix(&self, key: &str) -> bool {
        self.prefixes.contains(key)
    }

    /// People whose canonical name ends with this (folded) surname.
    pub fn people_with_surname(&self, folded: &str) -> &[u32] {
        self.surnames.get(folded).map_or(&[], Vec::as_slice)
    }

    pub fn country(&self, id: u32) -> Option<&Country> {
        self.countries.get(id as usize)
    }

    pub fn organization(&self, id: u32) -> Option<&Organization> {
        self.organizations.get(id as usize)
    }

    /// The organization with this canonical name.
    pub fn organization_named(&self, org: &str) -> Option<&Organization> {
        self.org_ids.get(org).and_then(|&id| self.organization(id))
    }

    pub fn person(&self, id: u32) -> Option<&Person> {
        self.people.get(id as usize)
    }

    /// Number of phrase keys.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

impl Person {
    /// The role held on `date`; without a date, the latest role.
    pub fn role_on(&self, date: Option<Date>) -> Option<&Role> {
        let Some(d) = date else {
            return self.roles.iter().max_by_key(|r| r.from);
        };
        self.roles
            .iter()
            .filter(|r| r.from.is_none_or(|f| f <= d) && r.until.is_none_or(|u| d <= u))
            // The most specific (latest-starting) role wins when roles overlap.
            .max_by_key(|r| r.from)
    }

    /// The latest role that ended before `date`.
    pub fn last_role_before(&self, date: Date) -> Option<&Role> {
        self.roles.iter().filter(|r| r.until.is_some_and(|u| u < date)).max_by_key(|r| r.until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path of `value_key` must give the tokenizer's keys.
    #[test]
    fn plain_values_key_like_the_tokenizer() {
        for (_, text) in BUILTIN {
            for line in text.lines().filter(|l| !l.starts_with('#')) {
                for field in line.split('\t') {
                    for v in field.split('|').map(str::trim).filter(|v| !v.is_empty()) {
                        assert_eq!(value_key(v), tokenized_key(v), "{v:?}");
                    }
                }
            }
        }
    }
}
