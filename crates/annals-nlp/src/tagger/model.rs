//! The tagger model: feature extraction, greedy decoding and the model file.

use crate::hash::{feature, hash_str, mix};
use crate::perceptron::{FeatureMap, Weights};
use crate::serialization::{ModelError, Reader, Writer};

pub const TAGGER_KIND: &str = "annals-tagger";
pub const TAGGER_VERSION: u32 = 1;

/// The tag classes: (UPOS, XPOS) pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagSet {
    pub upos: Vec<String>,
    pub xpos: Vec<String>,
}

impl TagSet {
    pub fn len(&self) -> usize {
        self.upos.len()
    }
    pub fn is_empty(&self) -> bool {
        self.upos.is_empty()
    }
    pub fn find(&self, upos: &str, xpos: &str) -> Option<usize> {
        (0..self.len()).find(|&i| self.upos[i] == upos && self.xpos[i] == xpos)
    }
}

/// Per-token hashes computed once per sentence.
#[derive(Clone, Copy, Default)]
pub(crate) struct TokenHashes {
    pub lower: u64,
    pub raw: u64,
    pub suffix: [u64; 4],
    pub prefix: [u64; 3],
    pub shape: u64,
    pub flags: u64,
}

const START: u64 = 0x5354_4152_5421;
const END: u64 = 0x454e_4421;
/// The class id used for "no tag" (before the sentence).
pub(crate) const NO_TAG: u64 = 0xffff;

pub(crate) fn token_hashes(form: &str, lower_buf: &mut String) -> TokenHashes {
    lower_buf.clear();
    for c in form.chars() {
        lower_buf.extend(c.to_lowercase());
    }
    let lower = lower_buf.as_str();
    let mut suffix = [0u64; 4];
    let mut prefix = [0u64; 3];
    // Byte offsets where the last 1..=4 characters start (0 when the word is shorter).
    let mut ends = [0usize; 4];
    for (k, (i, _)) in lower.char_indices().rev().take(4).enumerate() {
        ends[k] = i;
    }
    for k in 1..=4 {
        suffix[k - 1] = mix(k as u64, hash_str(&lower[ends[k - 1]..]));
    }
    let mut starts = [lower.len(); 3];
    for (k, (i, _)) in lower.char_indices().skip(1).take(3).enumerate() {
        starts[k] = i;
    }
    for k in 1..=3 {
        prefix[k - 1] = mix(k as u64 + 10, hash_str(&lower[..starts[k - 1]]));
    }
    let mut shape = 0x5348u64;
    let mut last = '\0';
    let mut run = 0;
    let (mut upper, mut digit, mut hyphen) = (false, false, false);
    for c in form.chars() {
        let s = if c.is_uppercase() {
            upper = true;
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            digit = true;
            'd'
        } else {
            if c == '-' {
                hyphen = true;
            }
            c
        };
        if s == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        last = s;
        shape = mix(shape, s as u64);
    }
    let flags = u64::from(upper) | u64::from(digit) << 1 | u64::from(hyphen) << 2;
    TokenHashes { lower: hash_str(lower), raw: hash_str(form), suffix, prefix, shape, flags }
}

/// Features of token `i` given the tags chosen for earlier tokens.
pub(crate) fn features(h: &[TokenHashes], tags: &[u64], i: usize, out: &mut Vec<u64>) {
    out.clear();
    let w = |j: isize| -> u64 {
        if j < 0 {
            START
        } else {
            h.get(j as usize).map_or(END, |t| t.lower)
        }
    };
    let tok = |j: isize| -> Option<&TokenHashes> {
        if j < 0 {
            None
        } else {
            h.get(j as usize)
        }
    };
    let t = |j: isize| -> u64 {
        if j < 0 {
            NO_TAG
        } else {
            tags.get(j as usize).copied().unwrap_or(NO_TAG)
        }
    };
    let i = i as isize;
    let cur = &h[i as usize];
    let (p1, p2) = (t(i - 1), t(i - 2));
    let (wp1, wp2, wn1, wn2) = (w(i - 1), w(i - 2), w(i + 1), w(i + 2));
    let shape = |j: isize| tok(j).map_or(START, |x| x.shape);
    let suf3 = |j: isize| tok(j).map_or(START, |x| x.suffix[2]);
    out.extend_from_slice(&[
        feature(0, &[]),
        feature(1, &[cur.lower]),
        feature(2, &[cur.raw]),
        feature(3, &[cur.suffix[0]]),
        feature(4, &[cur.suffix[1]]),
        feature(5, &[cur.suffix[2]]),
        feature(6, &[cur.suffix[3]]),
        feature(7, &[cur.prefix[0]]),
        feature(8, &[cur.prefix[1]]),
        feature(9, &[cur.prefix[2]]),
        feature(10, &[cur.shape]),
        feature(11, &[wp1]),
        feature(12, &[wp2]),
        feature(13, &[wn1]),
        feature(14, &[wn2]),
        feature(15, &[p1]),
        feature(16, &[p2]),
        feature(17, &[p1, p2]),
        feature(18, &[p1, cur.lower]),
        feature(19, &[wp1, cur.lower]),
        feature(20, &[cur.lower, wn1]),
        feature(21, &[suf3(i + 1)]),
        feature(22, &[suf3(i - 1)]),
        feature(23, &[shape(i + 1)]),
        feature(24, &[shape(i - 1)]),
        feature(25, &[u64::from(i == 0), cur.shape]),
        feature(26, &[p1, cur.suffix[2]]),
        feature(27, &[wn1, wn2]),
        feature(28, &[cur.flags]),
        feature(29, &[p1, wn1]),
        feature(30, &[cur.shape, shape(i + 1)]),
        feature(31, &[p1, cur.shape]),
    ]);
}

/// A trained tagger.
#[derive(Debug, Clone)]
pub struct Tagger {
    pub(crate) tags: TagSet,
    pub(crate) weights: Weights,
    /// Frequent words that always take one class, by lowercase-insensitive exact form hash.
    pub(crate) tagdict: FeatureMap<u8>,
}

impl Tagger {
    pub fn tagset(&self) -> &TagSet {
        &self.tags
    }

    /// A one-line summary of the model's size.
    pub fn weight_stats(&self) -> String {
        format!(
            "{} features, {} weights ({:.1} per feature), {} dictionary words",
            self.weights.len(),
            self.weights.n_weights(),
            self.weights.n_weights() as f64 / self.weights.len().max(1) as f64,
            self.tagdict.len()
        )
    }

    /// Tags one sentence of normalized forms; returns one class per form.
    pub fn tag(&self, forms: &[&str]) -> Vec<u8> {
        self.tag_with_hashes(forms).0
    }

    /// Tags one sentence and also returns the lowercase-form hashes, which the parser
    /// uses too.
    pub(crate) fn tag_with_hashes(&self, forms: &[&str]) -> (Vec<u8>, Vec<u64>) {
        let mut buf = String::new();
        let hashes: Vec<TokenHashes> = forms.iter().map(|f| token_hashes(f, &mut buf)).collect();
        (self.tag_hashes(&hashes), hashes.iter().map(|h| h.lower).collect())
    }

    pub(crate) fn tag_hashes(&self, hashes: &[TokenHashes]) -> Vec<u8> {
        let n_classes = self.tags.len();
        let mut tags: Vec<u64> = Vec::with_capacity(hashes.len());
        let mut out = Vec::with_capacity(hashes.len());
        let mut feats = Vec::with_capacity(40);
        let mut scores = vec![0i32; n_classes];
        for i in 0..hashes.len() {
            let class = if let Some(&c) = self.tagdict.get(&hashes[i].raw) {
                c
            } else {
                features(hashes, &tags, i, &mut feats);
                scores.iter_mut().for_each(|s| *s = 0);
                self.weights.score(&feats, &mut scores);
                argmax(&scores) as u8
            };
            tags.push(class as u64);
            out.push(class);
        }
        out
    }

    pub fn upos(&self, class: u8) -> &str {
        self.tags.upos.get(class as usize).map_or("X", String::as_str)
    }

    pub fn xpos(&self, class: u8) -> &str {
        self.tags.xpos.get(class as usize).map_or("_", String::as_str)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(TAGGER_KIND, TAGGER_VERSION);
        w.strs(&self.tags.upos);
        w.strs(&self.tags.xpos);
        let mut dict: Vec<(u64, u8)> = self.tagdict.iter().map(|(&k, &v)| (k, v)).collect();
        dict.sort_unstable();
        w.u64s(&dict.iter().map(|d| d.0).collect::<Vec<_>>());
        w.bytes(&dict.iter().map(|d| d.1).collect::<Vec<_>>());
        self.weights.write(&mut w);
        w.buf
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let mut r = Reader::open(bytes, TAGGER_KIND, TAGGER_VERSION)?;
        let upos = r.strs()?;
        let xpos = r.strs()?;
        if upos.len() != xpos.len() || upos.is_empty() || upos.len() > 256 {
            return Err(ModelError::Corrupt("tag set sizes differ".into()));
        }
        let keys = r.u64s()?;
        let vals = r.bytes()?;
        if keys.len() != vals.len() || vals.iter().any(|&v| v as usize >= upos.len()) {
            return Err(ModelError::Corrupt("tag dictionary".into()));
        }
        let tagdict = keys.into_iter().zip(vals.iter().copied()).collect();
        let weights = Weights::read(&mut r)?;
        r.finish()?;
        if weights.n_classes() != upos.len() {
            return Err(ModelError::Corrupt("tagger weights do not match the tag set".into()));
        }
        Ok(Tagger { tags: TagSet { upos, xpos }, weights, tagdict })
    }
}

pub(crate) fn argmax<T: PartialOrd + Copy>(scores: &[T]) -> usize {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    best
}
