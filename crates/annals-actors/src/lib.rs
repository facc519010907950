//! Political actors: who is acting, coded as country, sector, organization and person.
//!
//! This crate owns the actor stage of annals. Its lexicons (`data/*.tsv`, written by the
//! project, compiled into the binary and extendable with a user's files of the same
//! format) list countries with their names, adjectives and seats of power,
//! organizations, generic actor nouns, titles and modifiers, and people with dated
//! roles. [`Lexicon::resolve`] codes one phrase; the document's date picks the role a
//! person held. The crate does no I/O: callers hand it the text of lexicon files.

pub mod date;
pub mod document;
pub mod lexicon;
pub mod resolve;

pub use date::{Date, Precision};
pub use document::{find_mentions, Mention, MentionRule, TaggedToken};
pub use lexicon::{Entry, Lexicon, LexiconError};
pub use resolve::{find_matches, ActorCode, PhraseMatch};
