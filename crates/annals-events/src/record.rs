//! The event record of `../shared/spec/event-schema.md`: one JSON object per event, with
//! spans as character offsets into the sentence text. Field names are a contract.

use serde::Serialize;

/// An actor of an event as the schema writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorRecord {
    pub text: String,
    pub name: Option<String>,
    pub country: Option<String>,
    pub sector: Option<String>,
    pub org: Option<String>,
    /// `[start, end)` in characters of the sentence text.
    pub span: [usize; 2],
}

/// The trigger words of an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriggerRecord {
    pub text: String,
    pub span: [usize; 2],
}

/// Where an event happened (filled by the places stage).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocationRecord {
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub precision: String,
}

/// One event, as `annals code --format jsonl` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    pub id: String,
    pub doc: String,
    pub sentence: usize,
    pub event: &'static str,
    pub mode: Option<String>,
    pub context: Vec<String>,
    pub source: Vec<ActorRecord>,
    pub target: Vec<ActorRecord>,
    pub trigger: TriggerRecord,
    pub negated: bool,
    pub location: Option<LocationRecord>,
    pub date: Option<String>,
    pub date_precision: Option<&'static str>,
    pub text: String,
    pub confidence: f64,
    pub quad: &'static str,
    pub why: String,
    /// With `annals code --explain`: why this candidate is not an event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped: Option<String>,
    /// Token range of the trigger within its sentence (for the places and dates stage;
    /// not part of the output).
    #[serde(skip)]
    pub trigger_tokens: std::ops::Range<usize>,
}

impl EventRecord {
    pub fn to_json(&self) -> String {
        // Serializing plain strings, numbers and options cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Converts byte offsets within `text` to character offsets.
pub(crate) fn char_span(text: &str, start: usize, end: usize) -> [usize; 2] {
    let s = text.get(..start).map_or(0, |p| p.chars().count());
    let len = text.get(start..end).map_or(0, |p| p.chars().count());
    [s, s + len]
}
