//! Near-duplicate documents and repeated reports of one event: the SimHash of a text and
//! the key that merges the reports of one event.
//!
//! The same wire story runs in many outlets with a changed headline, a trimmed paragraph
//! or a different byline. Such copies must not count as separate events (GDELT counts
//! them as more mentions and sources of one event). A document's [`signature`] is a
//! MinHash of its word 3-shingles (lowercased letters and digits): [`SIGNATURE_LEN`]
//! minimum hash values, of which the fraction two documents share estimates the Jaccard
//! similarity of their shingle sets. Two documents are near-duplicates when that estimate
//! is at least [`NEAR_DUPLICATE_JACCARD`]. Candidates are found by locality-sensitive
//! hashing: the signature is cut into [`BANDS`] bands of [`ROWS`] values, and documents
//! that share one band hash are compared (a pair with Jaccard 0.8 shares a band with
//! probability 0.98, a pair with 0.3 with 0.06).
//!
//! (SimHash was tried first: a retitled copy of a 250-word story already differed in 5
//! of 64 bits, beyond the usual 3-bit threshold, so MinHash it is.)
//!
//! An [`event_key`] names one event within a story (a group of near-duplicate documents):
//! its type, mode, negation, date, and the coded identity of its sources and targets
//! (country/sector/org, else the lowercased name or words). Two reports with the same key
//! are one event, whether they come from two copies of a story or twice from one article.

use annals_events::{ActorRecord, EventRecord};

/// Minimum hashes per signature.
pub const SIGNATURE_LEN: usize = 32;
/// Bands of the signature for candidate lookup.
pub const BANDS: usize = 8;
/// Values per band.
pub const ROWS: usize = SIGNATURE_LEN / BANDS;
/// Documents whose signatures agree in at least this fraction are near-duplicates.
pub const NEAR_DUPLICATE_JACCARD: f64 = 0.6;

/// Texts shorter than this many words get no signature: short texts (a headline, a
/// one-line alert) share too few shingles to tell a copy from a template.
pub const MIN_WORDS: usize = 40;

fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A 64-bit finalizer (splitmix64), so that similar inputs give unrelated bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A MinHash signature.
pub type Signature = [u64; SIGNATURE_LEN];

/// The MinHash signature of a text, or `None` when it has fewer than [`MIN_WORDS`] words.
pub fn signature(text: &str) -> Option<Signature> {
    let words = word_hashes(text);
    if words.len() < MIN_WORDS {
        return None;
    }
    let mut sig = [u64::MAX; SIGNATURE_LEN];
    for shingle in words.windows(3) {
        // The i-th hash function is h1 + i * h2 (double hashing): two mixes per shingle
        // instead of one per function, with the same estimate in practice.
        let h1 = mix(shingle[0] ^ mix(shingle[1] ^ mix(shingle[2])));
        let h2 = mix(h1) | 1;
        let mut v = h1;
        for slot in sig.iter_mut() {
            if v < *slot {
                *slot = v;
            }
            v = v.wrapping_add(h2);
        }
    }
    Some(sig)
}

/// The FNV-1a hash of each word of a text: runs of letters and digits, lowercased.
fn word_hashes(text: &str) -> Vec<u64> {
    // One hash per word (lowercased letters and digits), without allocating the words.
    // ASCII bytes take a fast path; any other character is decoded and lowercased, which
    // gives the same hashes (an ASCII character lowercases to one ASCII byte).
    let mut words: Vec<u64> = Vec::with_capacity(text.len() / 5);
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut in_word = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let alphanumeric = if b.is_ascii() {
            i += 1;
            if b.is_ascii_alphanumeric() {
                h = fnv1a(&[b.to_ascii_lowercase()], h);
                true
            } else {
                false
            }
        } else {
            // `i` is at a character boundary: ASCII bytes never occur inside a character.
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else { break };
            i += c.len_utf8();
            if c.is_alphanumeric() {
                for l in c.to_lowercase() {
                    let mut buf = [0u8; 4];
                    h = fnv1a(l.encode_utf8(&mut buf).as_bytes(), h);
                }
                true
            } else {
                false
            }
        };
        if alphanumeric {
            in_word = true;
        } else if in_word {
            words.push(h);
            h = 0xcbf2_9ce4_8422_2325;
            in_word = false;
        }
    }
    if in_word {
        words.push(h);
    }
    words
}

/// The estimated Jaccard similarity of two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / SIGNATURE_LEN as f64
}

/// Whether two signatures are near-duplicates.
pub fn near_duplicates(a: &Signature, b: &Signature) -> bool {
    similarity(a, b) >= NEAR_DUPLICATE_JACCARD
}

/// The closest stored near-duplicate found so far: (similarity, storage order, story).
pub type Closest = Option<(f64, i64, String)>;

/// Weighs one stored candidate (its signature bytes, its storage order, its story) for a
/// new document's signature: a near-duplicate replaces `best` when it is more similar,
/// or as similar and stored earlier. Both backends choose a story this way.
pub fn weigh(best: &mut Closest, sig: &Signature, other: Option<&[u8]>, order: i64, story: String) {
    let Some(other) = other.and_then(from_bytes) else { return };
    let sim = similarity(sig, &other);
    if sim < NEAR_DUPLICATE_JACCARD {
        return;
    }
    if best.as_ref().is_none_or(|b| sim > b.0 || (sim == b.0 && order < b.1)) {
        *best = Some((sim, order, story));
    }
}

/// The band hashes of a signature, as (band number, value) for the lookup table.
pub fn bands(sig: &Signature) -> [(i64, i64); BANDS] {
    let mut out = [(0, 0); BANDS];
    for (b, slot) in out.iter_mut().enumerate() {
        let mut h = 0xcbf2_9ce4_8422_2325;
        for v in &sig[b * ROWS..(b + 1) * ROWS] {
            h = fnv1a(&v.to_le_bytes(), h);
        }
        *slot = (b as i64, i64::from_le_bytes(h.to_le_bytes()));
    }
    out
}

/// The stored form of a signature: its values as little-endian bytes.
pub fn to_bytes(sig: &Signature) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// A signature from its stored form, or `None` if the bytes are not one.
pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
    if bytes.len() != SIGNATURE_LEN * 8 {
        return None;
    }
    let mut sig = [0u64; SIGNATURE_LEN];
    for (slot, chunk) in sig.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        *slot = u64::from_le_bytes(b);
    }
    Some(sig)
}

fn actor_identity(a: &ActorRecord) -> String {
    if a.country.is_some() || a.sector.is_some() || a.org.is_some() {
        let f = |v: &Option<String>| v.as_deref().unwrap_or("-").to_ascii_uppercase();
        format!("{}/{}/{}", f(&a.country), f(&a.sector), f(&a.org))
    } else {
        a.name.as_deref().unwrap_or(&a.text).to_lowercase()
    }
}

fn actors_identity(actors: &[ActorRecord]) -> String {
    let mut ids: Vec<String> = actors.iter().map(actor_identity).collect();
    ids.sort();
    ids.dedup();
    ids.join("+")
}

/// The key of an event within a story: equal keys are reports of one event.
pub fn event_key(story: &str, ev: &EventRecord) -> String {
    let parts = [
        story,
        ev.event,
        ev.mode.as_deref().unwrap_or(""),
        if ev.negated { "not" } else { "" },
        ev.date.as_deref().unwrap_or(""),
        &actors_identity(&ev.source),
        &actors_identity(&ev.target),
    ];
    let mut h = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        h = fnv1a(p.as_bytes(), h);
        h = fnv1a(&[0xff], h);
    }
    let h2 = mix(h ^ 0x5851_f42d_4c95_7f2d);
    format!("{h:016x}{h2:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Israeli troops and Hamas fighters clashed in the southern Gaza city of Rafah on \
        Tuesday as international mediators pressed both sides to accept a ceasefire proposal that would \
        see hostages released in exchange for Palestinian prisoners, officials said. Egypt and Qatar have \
        led the talks, which the United States has backed, while aid agencies warned that an offensive \
        would be catastrophic for the more than one million people sheltering in the city. The Israeli \
        military said its aircraft had struck dozens of targets overnight, including tunnels and rocket \
        launchers, and that ground forces were operating in the eastern part of the city. Hamas said its \
        fighters had attacked an armoured column near the border crossing with Egypt. Local health \
        officials said at least twenty people had been killed, among them several children, and that the \
        main hospital was running out of fuel. The United Nations secretary general repeated his call for \
        an immediate humanitarian pause and for the crossings to be reopened to convoys of food and \
        medicine. In Cairo, a delegation of Hamas officials was expected to deliver its answer to the \
        latest proposal within days, according to two people familiar with the negotiations, who spoke \
        on condition of anonymity because they were not authorised to discuss them. Israel has said it \
        will press on with its campaign until the group is defeated and all hostages are home.";

    #[test]
    fn copies_are_near_and_other_stories_are_far() {
        let a = signature(STORY).unwrap_or([0; SIGNATURE_LEN]);
        let retitled = format!("Clashes in Rafah as talks go on\n\nBy a staff reporter\n\n{STORY}");
        let trimmed = STORY
            .replace(", officials said", "")
            .replace("Tuesday", "Tuesday morning")
            .replace(" Israel has said it will press on with its campaign until the group is defeated and all hostages are home.", "");
        for copy in [retitled.as_str(), trimmed.as_str()] {
            let b = signature(copy).unwrap_or([1; SIGNATURE_LEN]);
            assert!(near_duplicates(&a, &b), "similarity {}", similarity(&a, &b));
            assert!(bands(&a).iter().zip(bands(&b)).any(|(x, y)| *x == y));
        }
        let other = "Parliament voted on Wednesday to approve the budget after a long debate in which the \
            opposition accused the finance minister of hiding the true cost of the pension reform, and \
            several members walked out before the final count was read by the speaker of the house, who \
            called for calm as protesters gathered outside the building in the rain and police closed \
            the nearby streets to traffic until late in the evening.";
        let c = signature(other).unwrap_or(a);
        assert!(similarity(&a, &c) < 0.2, "similarity {}", similarity(&a, &c));
        // The first half of a story against the whole: related, not a copy.
        let half: String = STORY.chars().take(STORY.len() / 2).collect();
        let h = signature(&half).unwrap_or(a);
        assert!(!near_duplicates(&a, &h), "similarity {}", similarity(&a, &h));
    }

    /// Words hashed character by character, as before the ASCII fast path.
    fn word_hashes_by_char(text: &str) -> Vec<u64> {
        let mut words = Vec::new();
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        let mut in_word = false;
        for c in text.chars() {
            if c.is_alphanumeric() {
                for l in c.to_lowercase() {
                    let mut buf = [0u8; 4];
                    h = fnv1a(l.encode_utf8(&mut buf).as_bytes(), h);
                }
                in_word = true;
            } else if in_word {
                words.push(h);
                h = 0xcbf2_9ce4_8422_2325;
                in_word = false;
            }
        }
        if in_word {
            words.push(h);
        }
        words
    }

    #[test]
    fn the_ascii_fast_path_hashes_words_as_characters_do() {
        for text in [
            STORY,
            "",
            "x",
            "Ünïcödé wörds, İstanbul and ΣΊΣΥΦΟΣ: 東京 2024年; naïve café—“quoted” 🙂 end",
            "tail without separator İ",
            "ÀB12cd\u{0301}e\tTAB\r\nline ǅungla ﬁne ß Σ",
        ] {
            assert_eq!(word_hashes(text), word_hashes_by_char(text), "{text:?}");
        }
    }

    #[test]
    fn short_texts_get_no_signature() {
        assert_eq!(signature("Israel struck Gaza."), None);
    }

    #[test]
    fn stored_form_round_trips() {
        let sig = signature(STORY).unwrap_or([7; SIGNATURE_LEN]);
        assert_eq!(from_bytes(&to_bytes(&sig)), Some(sig));
        assert_eq!(from_bytes(&[1, 2, 3]), None);
    }
}
