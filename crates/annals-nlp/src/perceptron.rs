//! The averaged perceptron shared by the tagger and the parser: a dense training store
//! and a compact sparse store for inference.
//!
//! Training keeps, per feature, one weight and one running sum per class and averages
//! lazily (Daumé's trick: `avg = w - u / c`). Finishing drops the weights that round to
//! zero and keeps each feature's few non-zero classes, quantized to 16 bits on disk.
//! Lookups go through an open-addressing table built at load time.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::hash::finalize;

/// The 32-bit key a 64-bit feature hash is stored under (never 0).
#[inline]
fn short_key(key: u64) -> u32 {
    ((key >> 32) as u32) | 1
}

#[inline]
fn slot_of(k: u32) -> usize {
    finalize(u64::from(k)) as usize
}
use crate::serialization::{ModelError, Reader, Writer};

/// Keys are already hashed: the map uses them as they are.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        // Feature keys are well mixed in their high bits; hash maps index with the low ones.
        self.0 = n ^ (n >> 32);
    }
}

pub type FeatureMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// Averaged-perceptron weights while training.
pub struct PerceptronTrainer {
    n_classes: usize,
    index: FeatureMap<u32>,
    w: Vec<f32>,
    u: Vec<f64>,
    /// Examples seen so far (the averaging clock).
    time: f64,
}

impl PerceptronTrainer {
    pub fn new(n_classes: usize) -> Self {
        PerceptronTrainer { n_classes, index: FeatureMap::default(), w: Vec::new(), u: Vec::new(), time: 1.0 }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Adds the current (unaveraged) weights of `feats` to `scores`.
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        for f in feats {
            if let Some(&row) = self.index.get(f) {
                let base = row as usize * self.n_classes;
                for (s, w) in scores.iter_mut().zip(&self.w[base..base + self.n_classes]) {
                    *s += *w;
                }
            }
        }
    }

    fn row(&mut self, f: u64) -> usize {
        let n = self.index.len() as u32;
        let row = *self.index.entry(f).or_insert(n) as usize;
        if row == n as usize {
            self.w.resize(self.w.len() + self.n_classes, 0.0);
            self.u.resize(self.u.len() + self.n_classes, 0.0);
        }
        row
    }

    /// Moves weight from `guess` to `truth` for every feature.
    pub fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        for &f in feats {
            let base = self.row(f) * self.n_classes;
            self.w[base + truth] += 1.0;
            self.u[base + truth] += self.time;
            self.w[base + guess] -= 1.0;
            self.u[base + guess] -= self.time;
        }
    }

    /// Advances the averaging clock by one example.
    pub fn tick(&mut self) {
        self.time += 1.0;
    }

    /// Averages, drops weights smaller than `min_abs` and returns the inference store.
    pub fn finish(&self, min_abs: f32) -> Weights {
        let c = self.n_classes;
        let mut rows: Vec<(u64, u32)> = self.index.iter().map(|(&k, &r)| (k, r)).collect();
        rows.sort_unstable();
        let mut avg = vec![0f32; c];
        let mut max_abs = 0f32;
        let mut tmp: Vec<(u64, Vec<(u8, f32)>)> = Vec::with_capacity(rows.len());
        for (key, row) in rows {
            let base = row as usize * c;
            for (k, a) in avg.iter_mut().enumerate() {
                *a = (self.w[base + k] as f64 - self.u[base + k] / self.time) as f32;
            }
            let entries: Vec<(u8, f32)> = avg
                .iter()
                .enumerate()
                .filter(|(_, w)| w.abs() >= min_abs.max(1e-3))
                .map(|(k, &w)| (k as u8, w))
                .collect();
            if entries.is_empty() {
                continue;
            }
            for e in &entries {
                max_abs = max_abs.max(e.1.abs());
            }
            tmp.push((key, entries));
        }
        let scale = if max_abs > 0.0 { max_abs / 32767.0 } else { 1.0 };
        let mut keys: Vec<u32> = Vec::with_capacity(tmp.len());
        let mut lens = Vec::with_capacity(tmp.len());
        let mut classes = Vec::new();
        let mut values = Vec::new();
        for (key, entries) in tmp {
            // Weights that quantize to zero carry nothing.
            let q: Vec<(u8, i16)> =
                entries.iter().map(|&(k, w)| (k, (w / scale).round() as i16)).filter(|e| e.1 != 0).collect();
            if q.is_empty() {
                continue;
            }
            keys.push(short_key(key));
            lens.push(q.len() as u8);
            for (k, v) in q {
                classes.push(k);
                values.push(v);
            }
        }
        Weights::build(c, scale, keys, lens, classes, values)
    }
}

/// Sparse averaged weights for inference.
///
/// A lookup usually touches one cache line: the open-addressing slot holds the key and
/// up to three (class, weight) entries inline; longer rows keep their length and start
/// in the slot and their entries in `overflow`. An entry packs the class (bits 16..24)
/// and the quantized weight (low 16 bits) into one `u32`. Scores are summed as integers;
/// [`Weights::scale`] converts them back to the trained units.
#[derive(Debug, Clone)]
pub struct Weights {
    n_classes: usize,
    scale: f32,
    /// 32-bit feature keys, one per row (see [`short_key`]); kept for writing.
    keys: Vec<u32>,
    /// Row lengths, one per key; kept for writing.
    lens: Vec<u8>,
    classes: Vec<u8>,
    quantized: Vec<i16>,
    /// Slots: `[key, e1, e2, e3]`, key 0 = empty; `e1 = OVERFLOW | len, e2 = start`
    /// for rows of more than three entries.
    table: Vec<[u32; 4]>,
    overflow: Vec<u32>,
    mask: usize,
}

/// An unused inline entry.
const NO_ENTRY: u32 = u32::MAX;
/// Marks an inline slot whose row lives in `overflow`.
const OVERFLOW: u32 = 0x8000_0000;

impl Weights {
    fn build(
        n_classes: usize,
        scale: f32,
        keys: Vec<u32>,
        lens: Vec<u8>,
        classes: Vec<u8>,
        quantized: Vec<i16>,
    ) -> Self {
        // At most half full: probes for absent features stop soon.
        let size = (keys.len() * 2).next_power_of_two().max(16);
        let mask = size - 1;
        let mut table = vec![[0u32, NO_ENTRY, NO_ENTRY, NO_ENTRY]; size];
        let mut overflow = Vec::new();
        let mut at = 0usize;
        for (&k, &len) in keys.iter().zip(&lens) {
            let entry = |j: usize| u32::from(classes[j]) << 16 | u32::from(quantized[j] as u16);
            let mut slot = [k, NO_ENTRY, NO_ENTRY, NO_ENTRY];
            if len <= 3 {
                for (i, j) in (at..at + len as usize).enumerate() {
                    slot[1 + i] = entry(j);
                }
            } else {
                slot[1] = OVERFLOW | u32::from(len);
                slot[2] = overflow.len() as u32;
                overflow.extend((at..at + len as usize).map(entry));
            }
            at += len as usize;
            let mut i = slot_of(k) & mask;
            // On a 32-bit collision between two kept features, lookups find the first.
            while table[i][0] != 0 {
                i = (i + 1) & mask;
            }
            table[i] = slot;
        }
        Weights { n_classes, scale, keys, lens, classes, quantized, table, overflow, mask }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// The factor from integer scores to trained weight units.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Number of features kept.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Number of (feature, class) weights kept.
    pub fn n_weights(&self) -> usize {
        self.classes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The slot of `key` after the first, if any (the rare probe past a full slot).
    #[inline]
    fn probe(&self, key: u32, first: usize) -> Option<&[u32; 4]> {
        let mut i = first;
        loop {
            i = (i + 1) & self.mask;
            let slot = &self.table[i];
            if slot[0] == key {
                return Some(slot);
            }
            if slot[0] == 0 || i == first {
                return None;
            }
        }
    }

    #[inline]
    fn add_slot(&self, slot: &[u32; 4], scores: &mut [i32]) {
        let mut add = |e: u32| {
            if let Some(s) = scores.get_mut((e >> 16) as usize) {
                *s += i32::from(e as u16 as i16);
            }
        };
        if slot[1] & OVERFLOW != 0 && slot[1] != NO_ENTRY {
            let (len, start) = ((slot[1] & 0xff) as usize, slot[2] as usize);
            if let Some(row) = self.overflow.get(start..start + len) {
                row.iter().for_each(|&e| add(e));
            }
        } else {
            for &e in &slot[1..] {
                if e != NO_ENTRY {
                    add(e);
                }
            }
        }
    }

    /// Adds the integer weights of `feats` to `scores` (length `n_classes`).
    ///
    /// The first slot of every feature of a batch is loaded before any is examined, so
    /// the cache misses overlap instead of waiting for each other.
    #[inline]
    pub fn score(&self, feats: &[u64], scores: &mut [i32]) {
        const BATCH: usize = 32;
        let mut keys = [0u32; BATCH];
        let mut first = [0usize; BATCH];
        let mut slots = [[0u32; 4]; BATCH];
        for chunk in feats.chunks(BATCH) {
            let m = chunk.len();
            for i in 0..m {
                keys[i] = short_key(chunk[i]);
                first[i] = slot_of(keys[i]) & self.mask;
            }
            for i in 0..m {
                slots[i] = self.table[first[i]];
            }
            for i in 0..m {
                if slots[i][0] == keys[i] {
                    self.add_slot(&slots[i], scores);
                } else if slots[i][0] != 0 {
                    if let Some(slot) = self.probe(keys[i], first[i]) {
                        self.add_slot(slot, scores);
                    }
                }
            }
        }
    }

    pub fn write(&self, w: &mut Writer) {
        w.u32(self.n_classes as u32);
        w.f32(self.scale);
        w.u32s(&self.keys);
        w.bytes(&self.lens);
        w.bytes(&self.classes);
        w.i16s(&self.quantized);
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Self, ModelError> {
        let n_classes = r.u32()? as usize;
        let scale = r.f32()?;
        let keys = r.u32s()?;
        let lens = r.bytes()?.to_vec();
        let classes = r.bytes()?.to_vec();
        let quantized = r.i16s()?;
        let bad = |m: &str| Err(ModelError::Corrupt(m.to_string()));
        if lens.len() != keys.len() {
            return bad("weight rows do not match the keys");
        }
        let total: usize = lens.iter().map(|&l| l as usize).sum();
        if total != classes.len() {
            return bad("weight rows do not add up");
        }
        if classes.len() != quantized.len() || classes.iter().any(|&k| k as usize >= n_classes) {
            return bad("weight classes out of range");
        }
        if keys.contains(&0) || !scale.is_finite() {
            return bad("invalid weight key or scale");
        }
        Ok(Weights::build(n_classes, scale, keys, lens, classes, quantized))
    }
}

/// The number of classes a [`HashedWeights`] bucket holds.
pub const HASHED_CLASSES: usize = 3;

/// The quantization step for 8-bit weights: the magnitude below which all but the
/// largest `clip` share of the non-zero weights fall, over 127.
fn clipped_scale(weights: &[f32], clip: f64) -> f32 {
    let mut mags: Vec<f32> = weights.iter().map(|w| w.abs()).filter(|&w| w > 0.0).collect();
    if mags.is_empty() {
        return 1.0;
    }
    let k = (((mags.len() as f64) * (1.0 - clip.clamp(0.0, 0.5))) as usize).min(mags.len() - 1);
    let limit = *mags.select_nth_unstable_by(k, f32::total_cmp).1;
    if limit > 0.0 {
        limit / 127.0
    } else {
        1.0
    }
}

/// Dense weights for up to three classes under the hashing trick: a feature's bucket is
/// the high bits of its hash, with no key check. Training runs in the same hashed space
/// ([`HashedTrainer`]), so collisions are learnt around.
///
/// Weights are 14-bit integers. In memory a bucket packs its classes into one `u64` as
/// 21-bit lanes holding `weight + BIAS`, so scoring a feature is one load and one
/// integer add for all classes at once (no lane can carry into the next for up to
/// [`LANE_BATCH`] features); the bias is taken off at the end. Few instructions per
/// lookup keep many cache misses in flight: the table is larger than the caches.
#[derive(Debug, Clone)]
pub struct HashedWeights {
    bits: u32,
    n_classes: usize,
    scale: f32,
    packed: Vec<u64>,
}

/// Largest weight magnitude of [`HashedWeights`] (14 bits).
const WEIGHT_MAX: i32 = 8191;
const BIAS: u64 = 8192;
const LANE_BITS: u32 = 21;
const LANE_MASK: u64 = (1 << LANE_BITS) - 1;
/// Features summed before the lanes are unpacked: 128 * 16383 < 2^21.
const LANE_BATCH: usize = 128;

#[inline]
fn bucket_of(key: u64, bits: u32) -> usize {
    (key >> (64 - bits)) as usize
}

fn pack(weights: &[i16]) -> u64 {
    let mut v = 0u64;
    for k in 0..HASHED_CLASSES {
        let w = weights.get(k).map_or(0, |&w| i64::from(w));
        v |= ((w + BIAS as i64) as u64 & LANE_MASK) << (LANE_BITS * k as u32);
    }
    v
}

fn unpack(v: u64, k: usize) -> i16 {
    (((v >> (LANE_BITS * k as u32)) & LANE_MASK) as i64 - BIAS as i64) as i16
}

impl HashedWeights {
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn n_buckets(&self) -> usize {
        self.packed.len()
    }

    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Integer scores of the classes for `feats`.
    #[inline]
    pub fn score(&self, feats: &[u64]) -> [i32; HASHED_CLASSES] {
        let mut s = [0i32; HASHED_CLASSES];
        let packed = &self.packed;
        let mask = packed.len().saturating_sub(1);
        let zero = pack(&[]);
        for chunk in feats.chunks(LANE_BATCH) {
            let mut sum = 0u64;
            for &f in chunk {
                sum += packed.get(bucket_of(f, self.bits) & mask).copied().unwrap_or(zero);
            }
            let bias = (chunk.len() as u64 * BIAS) as i32;
            for (k, sk) in s.iter_mut().enumerate() {
                *sk += ((sum >> (LANE_BITS * k as u32)) & LANE_MASK) as i32 - bias;
            }
        }
        s
    }

    pub fn write(&self, w: &mut Writer) {
        w.u32(self.bits);
        w.u32(self.n_classes as u32);
        w.f32(self.scale);
        let flat: Vec<i16> = self.packed.iter().flat_map(|&v| (0..self.n_classes).map(move |k| unpack(v, k))).collect();
        w.i16s(&flat);
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Self, ModelError> {
        let bits = r.u32()?;
        let n_classes = r.u32()? as usize;
        let scale = r.f32()?;
        let flat = r.i16s()?;
        let bad = |m: &str| Err(ModelError::Corrupt(m.to_string()));
        if !(8..=26).contains(&bits) || n_classes == 0 || n_classes > HASHED_CLASSES || !scale.is_finite() {
            return bad("hashed weight header");
        }
        if flat.len() != (1usize << bits) * n_classes {
            return bad("hashed weight table size");
        }
        if flat.iter().any(|&w| i32::from(w).abs() > WEIGHT_MAX) {
            return bad("hashed weight out of range");
        }
        let packed = flat.chunks_exact(n_classes).map(pack).collect();
        Ok(HashedWeights { bits, n_classes, scale, packed })
    }
}

/// Averaged-perceptron training in a hashed feature space of `2^bits` buckets of
/// `n_classes` weights each; it finishes into [`HashedWeights`] (a few classes, 14-bit)
/// or [`HashedRows`] (tens of classes, 8-bit).
pub struct HashedTrainer {
    bits: u32,
    n_classes: usize,
    w: Vec<f32>,
    u: Vec<f64>,
    time: f64,
}

impl HashedTrainer {
    pub fn new(bits: u32, n_classes: usize) -> Self {
        let bits = bits.clamp(8, 26);
        let n_classes = n_classes.clamp(1, 256);
        let size = (1usize << bits) * n_classes;
        HashedTrainer { bits, n_classes, w: vec![0.0; size], u: vec![0.0; size], time: 1.0 }
    }

    /// Adds the current (unaveraged) weights of `feats` to `scores`.
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        let c = self.n_classes;
        for &f in feats {
            let base = bucket_of(f, self.bits) * c;
            for (s, w) in scores.iter_mut().zip(&self.w[base..base + c]) {
                *s += *w;
            }
        }
    }

    pub fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        if truth == guess || truth >= self.n_classes || guess >= self.n_classes {
            return;
        }
        for &f in feats {
            let base = bucket_of(f, self.bits) * self.n_classes;
            self.w[base + truth] += 1.0;
            self.u[base + truth] += self.time;
            self.w[base + guess] -= 1.0;
            self.u[base + guess] -= self.time;
        }
    }

    pub fn tick(&mut self) {
        self.time += 1.0;
    }

    fn averaged(&self) -> Vec<f32> {
        self.w.iter().zip(&self.u).map(|(&w, &u)| (w as f64 - u / self.time) as f32).collect()
    }

    /// Averages and quantizes to 14 bits (at most [`HASHED_CLASSES`] classes).
    pub fn finish_weights(&self) -> HashedWeights {
        let avg = self.averaged();
        let max_abs = avg.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max_abs > 0.0 { max_abs / WEIGHT_MAX as f32 } else { 1.0 };
        let n_classes = self.n_classes.min(HASHED_CLASSES);
        let packed = avg
            .chunks_exact(self.n_classes)
            .map(|c| {
                let q: Vec<i16> = c[..n_classes].iter().map(|&w| (w / scale).round() as i16).collect();
                pack(&q)
            })
            .collect();
        HashedWeights { bits: self.bits, n_classes, scale, packed }
    }

    /// Averages and quantizes to 8 bits. The scale clips the largest `clip` share of
    /// weights (by magnitude) so that the bulk of them keeps its resolution.
    pub fn finish_rows(&self, clip: f64) -> HashedRows {
        let avg = self.averaged();
        let scale = clipped_scale(&avg, clip);
        let flat: Vec<i8> = avg.iter().map(|&w| (w / scale).round().clamp(-127.0, 127.0) as i8).collect();
        HashedRows::new(self.bits, self.n_classes, scale, &flat)
    }
}

/// One cache line of 8-bit weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(64))]
struct Line([i8; 64]);

/// Dense rows of 8-bit weights under the hashing trick, for classifiers with tens of
/// classes (the arc labeler): a feature's bucket is the high bits of its hash, and the
/// bucket holds one signed byte per class padded to whole cache lines, so a lookup
/// reads one aligned line (up to 64 classes) and adds it with vector instructions.
/// Training runs in the same hashed space ([`HashedTrainer`]).
#[derive(Debug, Clone)]
pub struct HashedRows {
    bits: u32,
    n_classes: usize,
    scale: f32,
    /// Cache lines per bucket.
    lines: usize,
    weights: Vec<Line>,
}

impl HashedRows {
    fn new(bits: u32, n_classes: usize, scale: f32, flat: &[i8]) -> Self {
        let lines = n_classes.div_ceil(64).max(1);
        let mut weights = vec![Line([0; 64]); lines << bits];
        for (b, row) in flat.chunks_exact(n_classes).enumerate() {
            for (k, &w) in row.iter().enumerate() {
                weights[b * lines + k / 64].0[k % 64] = w;
            }
        }
        HashedRows { bits, n_classes, scale, lines, weights }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn n_buckets(&self) -> usize {
        1 << self.bits
    }

    /// Adds the integer weights of `feats` to `scores` (length `n_classes`).
    ///
    /// Sums run in 16-bit lanes (twice as many per vector instruction), in blocks of
    /// features small enough that no lane can overflow, then widen into `scores`.
    #[inline]
    pub fn score(&self, feats: &[u64], scores: &mut [i32]) {
        const BLOCK: usize = 256; // 256 * 127 < i16::MAX
        let mut acc = [[0i16; 64]; 4];
        let lines = self.lines.min(acc.len());
        for block in feats.chunks(BLOCK) {
            acc.iter_mut().for_each(|a| *a = [0; 64]);
            for &f in block {
                let base = bucket_of(f, self.bits) * self.lines;
                if let Some(row) = self.weights.get(base..base + lines) {
                    for (a, line) in acc.iter_mut().zip(row) {
                        for (x, &w) in a.iter_mut().zip(&line.0) {
                            *x += i16::from(w);
                        }
                    }
                }
            }
            for (s, &a) in scores.iter_mut().zip(acc.iter().flatten()) {
                *s += i32::from(a);
            }
        }
    }

    fn flat(&self) -> Vec<i8> {
        let c = self.n_classes;
        let mut out = Vec::with_capacity(c << self.bits);
        for b in 0..1usize << self.bits {
            for k in 0..c {
                out.push(self.weights[b * self.lines + k / 64].0[k % 64]);
            }
        }
        out
    }

    pub fn write(&self, w: &mut Writer) {
        w.u32(self.bits);
        w.u32(self.n_classes as u32);
        w.f32(self.scale);
        w.bytes(&self.flat().iter().map(|&x| x as u8).collect::<Vec<u8>>());
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Self, ModelError> {
        let bits = r.u32()?;
        let n_classes = r.u32()? as usize;
        let scale = r.f32()?;
        let bytes = r.bytes()?;
        if !(8..=24).contains(&bits) || n_classes == 0 || n_classes > 256 || !scale.is_finite() {
            return Err(ModelError::Corrupt("hashed rows header".into()));
        }
        if bytes.len() != (1usize << bits) * n_classes {
            return Err(ModelError::Corrupt("hashed rows size".into()));
        }
        let flat: Vec<i8> = bytes.iter().map(|&b| b as i8).collect();
        Ok(HashedRows::new(bits, n_classes, scale, &flat))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serialization::{Reader, Writer};

    #[test]
    fn learns_separable_data_and_round_trips() {
        let mut t = PerceptronTrainer::new(3);
        let k = |x: u64| finalize(x);
        let data: Vec<(Vec<u64>, usize)> =
            vec![(vec![k(11), k(99)], 0), (vec![k(13), k(99)], 1), (vec![k(15), k(99)], 2)];
        for _ in 0..5 {
            for (f, y) in &data {
                let mut s = vec![0.0; 3];
                t.score(f, &mut s);
                let g = (0..3).max_by(|&a, &b| s[a].total_cmp(&s[b])).unwrap();
                t.update(f, *y, g);
                t.tick();
            }
        }
        let w = t.finish(0.0);
        for (f, y) in &data {
            let mut s = vec![0i32; 3];
            w.score(f, &mut s);
            let g = (0..3).max_by_key(|&a| s[a]).unwrap();
            assert_eq!(g, *y);
        }
        let mut out = Writer::new("w", 1);
        w.write(&mut out);
        let mut r = Reader::open(&out.buf, "w", 1).unwrap();
        let back = Weights::read(&mut r).unwrap();
        r.finish().unwrap();
        assert_eq!(back.keys, w.keys);
        assert_eq!(back.table, w.table);
        assert_eq!(back.overflow, w.overflow);
    }

    #[test]
    fn hashed_rows_learn_and_round_trip() {
        let mut t = HashedTrainer::new(10, 5);
        let k = |x: u64| finalize(x);
        let data: Vec<(Vec<u64>, usize)> = (0..5).map(|c| (vec![k(100 + c as u64), k(7)], c)).collect();
        for _ in 0..20 {
            for (f, y) in &data {
                let mut s = vec![0f32; 5];
                t.score(f, &mut s);
                let g = (0..5).max_by(|&a, &b| s[a].total_cmp(&s[b])).unwrap();
                t.update(f, *y, g);
                t.tick();
            }
        }
        let w = t.finish_rows(0.001);
        for (f, y) in &data {
            let mut s = vec![0i32; 5];
            w.score(f, &mut s);
            assert_eq!((0..5).max_by_key(|&a| s[a]).unwrap(), *y, "{s:?} scale {}", w.scale);
        }
        let mut out = Writer::new("r", 1);
        w.write(&mut out);
        let mut r = Reader::open(&out.buf, "r", 1).unwrap();
        let back = HashedRows::read(&mut r).unwrap();
        r.finish().unwrap();
        let mut again = Writer::new("r", 1);
        back.write(&mut again);
        assert_eq!(again.buf, out.buf);
    }

    #[test]
    fn hashed_weights_learn_and_round_trip() {
        let mut t = HashedTrainer::new(12, 3);
        let k = |x: u64| finalize(x);
        let data: Vec<(Vec<u64>, usize)> =
            vec![(vec![k(11), k(99)], 0), (vec![k(13), k(99)], 1), (vec![k(15), k(99)], 2)];
        for _ in 0..5 {
            for (f, y) in &data {
                let mut s = [0f32; 3];
                t.score(f, &mut s);
                let g = (0..3).max_by(|&a, &b| s[a].total_cmp(&s[b])).unwrap();
                t.update(f, *y, g);
                t.tick();
            }
        }
        let w = t.finish_weights();
        for (f, y) in &data {
            let s = w.score(f);
            let g = (0..3).max_by_key(|&a| s[a]).unwrap();
            assert_eq!(g, *y);
        }
        let mut out = Writer::new("h", 1);
        w.write(&mut out);
        let mut r = Reader::open(&out.buf, "h", 1).unwrap();
        let back = HashedWeights::read(&mut r).unwrap();
        r.finish().unwrap();
        assert_eq!(back.packed, w.packed);
        let mut again = Writer::new("h", 1);
        back.write(&mut again);
        assert_eq!(again.buf, out.buf);
    }
}
