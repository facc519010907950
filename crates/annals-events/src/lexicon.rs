//! The event lexicons: trigger words and phrases mapped to PLOVER types and modes
//! (`data/triggers.tsv`), and the words that negate or make an event hypothetical
//! (`data/modality.tsv`). Both are data written by the project, compiled in, and
//! extendable by a user's files of the same format whose lines win.

use crate::plover::EventType;
use std::collections::HashMap;

/// An error in a lexicon file, naming file and line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct EventLexiconError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Part of speech of a trigger's head word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerPos {
    Verb,
    Noun,
}

/// Where an entry's target actor is found, relative to the trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetSpec {
    /// The direct object.
    Obj,
    /// The indirect object.
    Iobj,
    /// An oblique of the verb (or of the light verb governing a noun) with this preposition.
    Obl(Box<str>),
    /// A modifier of the noun (or of the trigger's object word) with this preposition.
    Nmod(Box<str>),
    /// The possessive of a noun trigger.
    Poss,
    /// The actor a noun trigger is said of: "Israel's role as the main obstacle",
    /// "Israel is the obstacle", "called Israel an obstacle". The source is then the
    /// subject of the clause that says it.
    Pred,
}

impl TargetSpec {
    fn parse(s: &str) -> Option<TargetSpec> {
        match s {
            "obj" => Some(TargetSpec::Obj),
            "iobj" => Some(TargetSpec::Iobj),
            "poss" => Some(TargetSpec::Poss),
            "pred" => Some(TargetSpec::Pred),
            _ => {
                let (kind, prep) = s.split_once(':')?;
                if prep.is_empty() || !prep.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    return None;
                }
                match kind {
                    "obl" => Some(TargetSpec::Obl(prep.into())),
                    "nmod" => Some(TargetSpec::Nmod(prep.into())),
                    _ => None,
                }
            }
        }
    }

    pub fn as_string(&self) -> String {
        match self {
            TargetSpec::Obj => "obj".into(),
            TargetSpec::Iobj => "iobj".into(),
            TargetSpec::Poss => "poss".into(),
            TargetSpec::Pred => "pred".into(),
            TargetSpec::Obl(p) => format!("obl:{p}"),
            TargetSpec::Nmod(p) => format!("nmod:{p}"),
        }
    }
}

/// One trigger: a head lemma, the dependents that complete it, and what it codes.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerEntry {
    /// Head lemma first, then the lemmas of the dependents that complete the phrase.
    pub words: Vec<Box<str>>,
    pub pos: TriggerPos,
    pub event: EventType,
    /// Upper-case PLOVER mode, if any.
    pub mode: Option<Box<str>>,
    pub targets: Vec<TargetSpec>,
    /// The target found is the source and the subject the target ("receive aid from").
    pub reverse: bool,
    /// Often not political: lower confidence, needs an actor target.
    pub weak: bool,
    /// A verbal type used for an action: plans of it are not events either.
    pub material: bool,
    /// `file:line` of the entry, for `why`.
    pub origin: Box<str>,
}

impl TriggerEntry {
    /// The entry's name in `why`: its words joined by `_`.
    pub fn key(&self) -> String {
        self.words.join("_")
    }
}

/// How a modality word affects the events below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModalityKind {
    /// A modal auxiliary of possibility or obligation ("could", "must"): hypothetical.
    Aux,
    /// An auxiliary of the future ("will", "would"): an intention.
    Future,
    /// A subordinating conjunction of a condition ("if", "unless"): hypothetical.
    Mark,
    /// An adjective or participle on a noun ("proposed", "planned"): hypothetical.
    Modifier,
    /// A verb or noun whose complement is not (yet) an event ("plan", "intend", "insistence").
    Governor,
    /// A negation word ("not", "never").
    Negation,
    /// A verb or noun that negates its complement ("deny", "refuse").
    Negator,
    /// A governor of plan or commitment ("plan", "vow"): the act under it is an intention.
    Intent,
    /// A verb of announcing or ordering: a retreat under it is a concession.
    Announce,
    /// A verb reporting a statement of intent ("said it would withdraw"), as opposed
    /// to an opinion ("argued it would help").
    Report,
    /// A light verb whose subject receives the event of its object noun ("drew
    /// criticism", "faces demands", "received aid").
    Receiver,
}

/// The event lexicon: triggers and modality words.
#[derive(Debug, Clone, Default)]
pub struct EventLexicon {
    entries: Vec<TriggerEntry>,
    /// (pos, head lemma) -> indices into `entries`, longest phrases first.
    by_head: HashMap<(TriggerPos, Box<str>), Vec<usize>>,
    modality: HashMap<Box<str>, Vec<ModalityKind>>,
    /// Inflected form (lower case) -> lemma: regular forms generated from the trigger
    /// words, plus `data/irregular.tsv`. Used when the lemmatizer's lemma has no entry.
    forms: HashMap<Box<str>, Box<str>>,
    irregular: HashMap<Box<str>, Box<str>>,
}

const BUILTIN_TRIGGERS: &str = include_str!("../data/triggers.tsv");
const BUILTIN_MODALITY: &str = include_str!("../data/modality.tsv");
const BUILTIN_IRREGULAR: &str = include_str!("../data/irregular.tsv");

fn err(file: &str, line: usize, message: impl Into<String>) -> EventLexiconError {
    EventLexiconError { file: file.to_string(), line, message: message.into() }
}

impl EventLexicon {
    /// The lexicons compiled into the binary.
    pub fn builtin() -> Result<EventLexicon, EventLexiconError> {
        let mut lex = EventLexicon::default();
        lex.add_triggers("triggers.tsv", BUILTIN_TRIGGERS)?;
        lex.add_modality("modality.tsv", BUILTIN_MODALITY)?;
        lex.add_irregular("irregular.tsv", BUILTIN_IRREGULAR)?;
        Ok(lex)
    }

    pub fn entries(&self) -> &[TriggerEntry] {
        &self.entries
    }

    /// The entries whose head is `lemma` (lower case) with this part of speech, longest first.
    pub fn candidates(&self, pos: TriggerPos, lemma: &str) -> impl Iterator<Item = &TriggerEntry> {
        self.by_head.get(&(pos, Box::from(lemma))).into_iter().flatten().filter_map(|&i| self.entries.get(i))
    }

    /// The lemma of a trigger word that `form` (lower case) inflects, if the lexicon
    /// knows it: for words the lemmatizer got wrong ("shelled", "struck").
    pub fn lemma_of_form(&self, form: &str) -> Option<&str> {
        self.forms.get(form).map(|l| &**l)
    }

    /// Adds the lines of an irregular-forms file (`form lemma`).
    pub fn add_irregular(&mut self, file: &str, text: &str) -> Result<(), EventLexiconError> {
        for (i, raw) in text.lines().enumerate() {
            let content = raw.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = content.split('\t').map(str::trim).collect();
            if cols.len() != 2 || cols[0].is_empty() || cols[1].is_empty() {
                return Err(err(file, i + 1, "expected 2 tab-separated columns: form and lemma"));
            }
            self.irregular.insert(cols[0].to_lowercase().into(), cols[1].to_lowercase().into());
        }
        self.reindex();
        Ok(())
    }

    pub fn has_head(&self, pos: TriggerPos, lemma: &str) -> bool {
        self.by_head.contains_key(&(pos, Box::from(lemma)))
    }

    pub fn modality(&self, word: &str) -> &[ModalityKind] {
        self.modality.get(word).map_or(&[], Vec::as_slice)
    }

    pub fn is(&self, word: &str, kind: ModalityKind) -> bool {
        self.modality(word).contains(&kind)
    }

    /// Adds the lines of a triggers file (`trigger pos type mode targets flags`).
    /// A line whose trigger and part of speech are already known replaces that entry;
    /// type `-` removes it.
    pub fn add_triggers(&mut self, file: &str, text: &str) -> Result<(), EventLexiconError> {
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.trim_end_matches('\r');
            if content.trim().is_empty() || content.trim_start().starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = content.split('\t').map(str::trim).collect();
            if cols.len() < 3 {
                return Err(err(file, line, format!("expected 6 tab-separated columns, found {}", cols.len())));
            }
            let words: Vec<Box<str>> = cols[0].split_whitespace().map(|w| Box::from(w.to_lowercase())).collect();
            if words.is_empty() || words.len() > 4 {
                return Err(err(file, line, format!("trigger {:?} must have 1 to 4 words", cols[0])));
            }
            let pos = match cols[1] {
                "V" | "v" => TriggerPos::Verb,
                "N" | "n" => TriggerPos::Noun,
                other => return Err(err(file, line, format!("part of speech {other:?} is not V or N"))),
            };
            let existing = self.entries.iter().position(|e| e.pos == pos && e.words == words);
            if cols[2] == "-" {
                if let Some(k) = existing {
                    self.entries.remove(k);
                    self.reindex();
                }
                continue;
            }
            if cols.len() != 6 {
                return Err(err(file, line, format!("expected 6 tab-separated columns, found {}", cols.len())));
            }
            let Some(event) = EventType::parse(cols[2]) else {
                return Err(err(file, line, format!("{:?} is not one of the 16 PLOVER types", cols[2])));
            };
            let mode = match cols[3] {
                "-" | "" => None,
                m if m.chars().all(|c| c.is_ascii_alphabetic() || c == '-') => Some(Box::from(m.to_uppercase())),
                m => return Err(err(file, line, format!("mode {m:?} is not a word"))),
            };
            let mut targets = Vec::new();
            if cols[4] != "-" {
                for t in cols[4].split(',').map(str::trim) {
                    match TargetSpec::parse(t) {
                        Some(spec) => targets.push(spec),
                        None => {
                            return Err(err(
                                file,
                                line,
                                format!("target {t:?} is not obj, iobj, poss, pred, obl:PREP or nmod:PREP"),
                            ))
                        }
                    }
                }
            }
            let (mut reverse, mut weak, mut material) = (false, false, false);
            if cols[5] != "-" {
                for f in cols[5].split(',').map(str::trim) {
                    match f {
                        "reverse" => reverse = true,
                        "weak" => weak = true,
                        "material" => material = true,
                        other => {
                            return Err(err(file, line, format!("flag {other:?} is not reverse, weak or material")))
                        }
                    }
                }
            }
            let entry = TriggerEntry {
                words,
                pos,
                event,
                mode,
                targets,
                reverse,
                weak,
                material,
                origin: format!("{file}:{line}").into(),
            };
            match existing {
                Some(k) => self.entries[k] = entry,
                None => self.entries.push(entry),
            }
        }
        self.reindex();
        Ok(())
    }

    /// Adds the lines of a modality file (`word kind`).
    pub fn add_modality(&mut self, file: &str, text: &str) -> Result<(), EventLexiconError> {
        for (i, raw) in text.lines().enumerate() {
            let content = raw.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = content.split('\t').map(str::trim).collect();
            if cols.len() != 2 || cols[0].is_empty() {
                return Err(err(file, i + 1, "expected 2 tab-separated columns: word and kind"));
            }
            let kind = match cols[1] {
                "aux" => ModalityKind::Aux,
                "future" => ModalityKind::Future,
                "mark" => ModalityKind::Mark,
                "modifier" => ModalityKind::Modifier,
                "governor" => ModalityKind::Governor,
                "negation" => ModalityKind::Negation,
                "negator" => ModalityKind::Negator,
                "receiver" => ModalityKind::Receiver,
                "intent" => ModalityKind::Intent,
                "announce" => ModalityKind::Announce,
                "report" => ModalityKind::Report,
                other => {
                    return Err(err(
                        file,
                        i + 1,
                        format!("kind {other:?} is not aux, future, mark, modifier, governor, negation, negator, receiver, intent, announce or report"),
                    ))
                }
            };
            let kinds = self.modality.entry(Box::from(cols[0].to_lowercase())).or_default();
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        Ok(())
    }

    fn reindex(&mut self) {
        self.by_head.clear();
        for (i, e) in self.entries.iter().enumerate() {
            self.by_head.entry((e.pos, e.words[0].clone())).or_default().push(i);
        }
        let entries = &self.entries;
        for list in self.by_head.values_mut() {
            list.sort_by_key(|&i| std::cmp::Reverse(entries[i].words.len()));
        }
        self.forms.clear();
        for e in &self.entries {
            for w in &e.words {
                for f in inflections(w) {
                    if f != **w {
                        self.forms.entry(f.into()).or_insert_with(|| w.clone());
                    }
                }
            }
        }
        for (form, lemma) in &self.irregular {
            self.forms.insert(form.clone(), lemma.clone());
        }
    }
}

/// Regular English inflections of a word: -s/-es/-ies, -ed/-d/-ied, -ing, with the
/// final consonant doubled after a short vowel ("ban" -> "banned") and a final "e"
/// dropped before "-ing".
fn inflections(w: &str) -> Vec<String> {
    let mut out = vec![format!("{w}s"), format!("{w}ing")];
    if w.ends_with('e') {
        out.push(format!("{w}d"));
    } else {
        out.push(format!("{w}ed"));
    }
    if ["s", "x", "z", "ch", "sh", "o"].iter().any(|x| w.ends_with(x)) {
        out.push(format!("{w}es"));
    }
    let b = w.as_bytes();
    let n = b.len();
    if let Some(stem) = w.strip_suffix('y') {
        out.push(format!("{stem}ies"));
        out.push(format!("{stem}ied"));
    }
    if let Some(stem) = w.strip_suffix('e') {
        out.push(format!("{stem}ing"));
    }
    let vowel = |c: u8| b"aeiou".contains(&c);
    if n >= 3 && !vowel(b[n - 1]) && vowel(b[n - 2]) && !vowel(b[n - 3]) && !b"wxy".contains(&b[n - 1]) {
        let last = char::from(b[n - 1]);
        out.push(format!("{w}{last}ed"));
        out.push(format!("{w}{last}ing"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicons_load() {
        let lex = EventLexicon::builtin().unwrap();
        assert!(lex.entries().len() > 100);
        assert!(lex.is("would", ModalityKind::Future));
        assert!(lex.is("could", ModalityKind::Aux));
        assert_eq!(lex.lemma_of_form("shelled"), Some("shell"));
    }

    #[test]
    fn inflected_forms_find_their_lemma() {
        let mut lex = EventLexicon::default();
        lex.add_triggers(
            "a.tsv",
            "shell\tV\tASSAULT\t-\tobj\t-\nban\tV\tCOERCE\t-\tobj\t-\nraid\tV\tCOERCE\t-\tobj\t-\n",
        )
        .unwrap();
        lex.add_irregular("i.tsv", "struck\tstrike\n").unwrap();
        assert_eq!(lex.lemma_of_form("shelled"), Some("shell"));
        assert_eq!(lex.lemma_of_form("banned"), Some("ban"));
        assert_eq!(lex.lemma_of_form("raiding"), Some("raid"));
        assert_eq!(lex.lemma_of_form("struck"), Some("strike"));
        assert_eq!(lex.lemma_of_form("weather"), None);
        // "band" is not a form of "ban".
        assert_eq!(lex.lemma_of_form("band"), None);
    }

    #[test]
    fn user_lines_replace_and_remove() {
        let mut lex = EventLexicon::default();
        lex.add_triggers("a.tsv", "attack\tV\tASSAULT\t-\tobj\t-\ncall on\tV\tREQUEST\t-\tobl:on\tweak\n").unwrap();
        assert_eq!(lex.candidates(TriggerPos::Verb, "call").count(), 1);
        lex.add_triggers("b.tsv", "attack\tV\tCOERCE\t-\tobj\t-\ncall on\tV\t-\n").unwrap();
        let e: Vec<_> = lex.candidates(TriggerPos::Verb, "attack").collect();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].event, EventType::Coerce);
        assert_eq!(&*e[0].origin, "b.tsv:1");
        assert_eq!(lex.candidates(TriggerPos::Verb, "call").count(), 0);
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let mut lex = EventLexicon::default();
        let e = lex.add_triggers("t.tsv", "# c\nattack\tV\tATTACK\t-\tobj\t-\n").unwrap_err();
        assert_eq!(e.to_string(), "t.tsv:2: \"ATTACK\" is not one of the 16 PLOVER types");
        let e = lex.add_triggers("t.tsv", "attack\tV\tASSAULT\t-\tobject\t-\n").unwrap_err();
        assert!(e.to_string().starts_with("t.tsv:1: target \"object\""));
        let e = lex.add_triggers("t.tsv", "attack\tX\tASSAULT\t-\tobj\t-\n").unwrap_err();
        assert!(e.to_string().starts_with("t.tsv:1: part of speech"));
        let e = lex.add_modality("m.tsv", "would\tmaybe\n").unwrap_err();
        assert!(e.to_string().starts_with("m.tsv:1: kind"));
    }
}
