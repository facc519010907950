//! The parser model: feature templates, greedy decoding and the model file.
//!
//! Two classifiers share the work. The transition classifier chooses SHIFT, LEFT or
//! RIGHT from 96 feature templates over hashed dense weights (one cache line per
//! feature; this is the hot loop). When a move builds an arc, the label classifier
//! names it from the head, the dependent and the dependent's finished subtree.

use super::state::{Move, State, NONE};
use crate::hash::{feature, hash_str};
use crate::perceptron::{HashedRows, HashedWeights};
use crate::serialization::{ModelError, Reader, Writer};
use crate::tagger::argmax;

pub const PARSER_KIND: &str = "annals-parser";
pub const PARSER_VERSION: u32 = 4;

const NO_WORD: u64 = 0x4e4f_4e45;
const ROOT_WORD: u64 = 0x524f_4f54;
pub(crate) const N_FEATURES: usize = 96;
pub(crate) const N_LABEL_FEATURES: usize = 24;

/// Transition classes of the transition classifier.
pub(crate) const SHIFT: usize = 0;
pub(crate) const LEFT: usize = 1;
pub(crate) const RIGHT: usize = 2;

/// Per-word inputs to the features: lowercased form and tag hashes.
pub(crate) struct SentenceInput {
    pub word: Vec<u64>,
    pub tag: Vec<u64>,
}

impl SentenceInput {
    pub fn new(forms: &[&str], tags: &[&str]) -> Self {
        let mut buf = String::new();
        let word = forms
            .iter()
            .map(|f| {
                buf.clear();
                for c in f.chars() {
                    buf.extend(c.to_lowercase());
                }
                hash_str(&buf)
            })
            .collect();
        let tag = tags.iter().map(|t| hash_str(t)).collect();
        SentenceInput { word, tag }
    }
}

fn dist_bucket(a: u32, b: u32) -> u64 {
    if a == NONE || b == NONE {
        return 0;
    }
    let d = a.abs_diff(b);
    match d {
        0..=4 => d as u64,
        5..=6 => 5,
        7..=9 => 6,
        _ => 7,
    }
}

/// Fills `f` with the feature keys of state `st`.
pub(crate) fn features(st: &State, x: &SentenceInput, f: &mut [u64; N_FEATURES]) {
    let n = st.n as u32;
    let w = |i: u32| -> u64 {
        if i == NONE {
            NO_WORD
        } else if i >= n {
            ROOT_WORD
        } else {
            x.word[i as usize]
        }
    };
    let t = |i: u32| -> u64 {
        if i == NONE {
            NO_WORD
        } else if i >= n {
            ROOT_WORD
        } else {
            x.tag[i as usize]
        }
    };
    let lab = |i: u32| -> u64 {
        if i == NONE {
            0xff
        } else {
            st.label[i as usize] as u64
        }
    };
    let l1 = |i: u32| if i == NONE { NONE } else { st.left[i as usize][0] };
    let l2 = |i: u32| if i == NONE { NONE } else { st.left[i as usize][1] };
    let r1 = |i: u32| if i == NONE { NONE } else { st.right[i as usize][0] };
    let r2 = |i: u32| if i == NONE { NONE } else { st.right[i as usize][1] };
    let vl = |i: u32| if i == NONE { 0xff } else { st.nleft[i as usize] as u64 };
    let vr = |i: u32| if i == NONE { 0xff } else { st.nright[i as usize] as u64 };
    let ls = |i: u32| if i == NONE { 0 } else { st.lset[i as usize] };
    let rs = |i: u32| if i == NONE { 0 } else { st.rset[i as usize] };

    let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
    let b0 = st.b.min(st.n) as u32;
    let b1 = if (b0 as usize) + 1 < st.n { b0 + 1 } else { NONE };
    let b2 = if (b0 as usize) + 2 < st.n { b0 + 2 } else { NONE };
    let (s0w, s0t, s1w, s1t, s2t) = (w(s0), t(s0), w(s1), t(s1), t(s2));
    let (b0w, b0t, b1w, b1t, b2w, b2t) = (w(b0), t(b0), w(b1), t(b1), w(b2), t(b2));
    let (s0l1, s0l2, s0r1, s0r2) = (l1(s0), l2(s0), r1(s0), r2(s0));
    let (s1l1, s1l2, s1r1, s1r2) = (l1(s1), l2(s1), r1(s1), r2(s1));
    let (b0l1, b0l2) = (l1(b0), l2(b0));
    let d0 = dist_bucket(s0, b0);
    let d1 = dist_bucket(s1, s0);

    let v = [
        // unigrams
        feature(1, &[s0w]),
        feature(2, &[s0t]),
        feature(3, &[s0w, s0t]),
        feature(4, &[s1w]),
        feature(5, &[s1t]),
        feature(6, &[s1w, s1t]),
        feature(7, &[b0w]),
        feature(8, &[b0t]),
        feature(9, &[b0w, b0t]),
        feature(10, &[b1w]),
        feature(11, &[b1t]),
        feature(12, &[b1w, b1t]),
        feature(13, &[b2w]),
        feature(14, &[b2t]),
        feature(15, &[w(s2)]),
        feature(16, &[s2t]),
        // s0 and b0
        feature(17, &[s0w, s0t, b0w, b0t]),
        feature(18, &[s0w, s0t, b0w]),
        feature(19, &[s0w, b0w, b0t]),
        feature(20, &[s0w, s0t, b0t]),
        feature(21, &[s0t, b0w, b0t]),
        feature(22, &[s0w, b0w]),
        feature(23, &[s0t, b0t]),
        // s1 and s0
        feature(24, &[s1w, s1t, s0w, s0t]),
        feature(25, &[s1w, s1t, s0w]),
        feature(26, &[s1w, s0w, s0t]),
        feature(27, &[s1w, s1t, s0t]),
        feature(28, &[s1t, s0w, s0t]),
        feature(29, &[s1w, s0w]),
        feature(30, &[s1t, s0t]),
        // other pairs
        feature(31, &[b0t, b1t]),
        feature(32, &[s1t, b0t]),
        feature(33, &[s1w, b0w]),
        feature(34, &[b0w, b1w]),
        // triples of tags
        feature(35, &[b0t, b1t, b2t]),
        feature(36, &[s0t, b0t, b1t]),
        feature(37, &[s1t, s0t, b0t]),
        feature(38, &[s2t, s1t, s0t]),
        feature(39, &[s0w, b0t, b1t]),
        feature(40, &[s1t, s0w, b0t]),
        feature(41, &[s1t, s0t, b1t]),
        feature(42, &[s1t, s0t, b0w]),
        // distance
        feature(43, &[s0w, d0]),
        feature(44, &[s0t, d0]),
        feature(45, &[b0w, d0]),
        feature(46, &[b0t, d0]),
        feature(47, &[s0w, b0w, d0]),
        feature(48, &[s0t, b0t, d0]),
        feature(49, &[s1t, s0t, d1]),
        feature(50, &[s1w, s0w, d1]),
        // valency
        feature(51, &[s0w, vl(s0)]),
        feature(52, &[s0t, vl(s0)]),
        feature(53, &[s0w, vr(s0)]),
        feature(54, &[s0t, vr(s0)]),
        feature(55, &[s1w, vr(s1)]),
        feature(56, &[s1t, vr(s1)]),
        feature(57, &[s1t, vl(s1)]),
        feature(58, &[b0w, vl(b0)]),
        feature(59, &[b0t, vl(b0)]),
        // children
        feature(60, &[w(s0l1)]),
        feature(61, &[t(s0l1)]),
        feature(62, &[lab(s0l1)]),
        feature(63, &[w(s0r1)]),
        feature(64, &[t(s0r1)]),
        feature(65, &[lab(s0r1)]),
        feature(66, &[w(s1r1)]),
        feature(67, &[t(s1r1)]),
        feature(68, &[lab(s1r1)]),
        feature(69, &[w(s1l1)]),
        feature(70, &[t(s1l1), lab(s1l1)]),
        feature(71, &[w(b0l1)]),
        feature(72, &[t(b0l1)]),
        feature(73, &[lab(b0l1)]),
        feature(74, &[t(s0l2), lab(s0l2)]),
        feature(75, &[t(s0r2), lab(s0r2)]),
        feature(76, &[t(s1r2), lab(s1r2)]),
        feature(77, &[t(b0l2), lab(b0l2)]),
        // third order
        feature(78, &[s0t, t(s0l1), t(s0l2)]),
        feature(79, &[s0t, t(s0r1), t(s0r2)]),
        feature(80, &[s1t, t(s1r1), t(s1r2)]),
        feature(81, &[s1t, t(s1l1), t(s1l2)]),
        feature(82, &[b0t, t(b0l1), t(b0l2)]),
        feature(83, &[s0t, t(s0l1), t(s0r1)]),
        // label sets
        feature(84, &[s0w, ls(s0)]),
        feature(85, &[s0t, ls(s0)]),
        feature(86, &[s0w, rs(s0)]),
        feature(87, &[s0t, rs(s0)]),
        feature(88, &[s1t, rs(s1)]),
        feature(89, &[b0t, ls(b0)]),
        // mixed context
        feature(90, &[s1t, s0t, t(s0l1)]),
        feature(91, &[s1t, s0t, t(s0r1)]),
        feature(92, &[s1t, t(s1r1), s0t]),
        feature(93, &[s0t, b0t, t(b0l1)]),
        feature(94, &[s0t, t(s0r1), b0t]),
        feature(95, &[s0t, t(l1(s0l1)), t(r1(s0r1))]),
        feature(96, &[b0t, t(l1(b0l1)), t(s1r1)]),
    ];
    *f = v;
}

/// Fills `f` with the label features of an arc from `h` to `d` in state `st` (before
/// the arc is added; `d`'s own dependents are complete).
pub(crate) fn label_features(st: &State, x: &SentenceInput, h: u32, d: u32, f: &mut [u64; N_LABEL_FEATURES]) {
    let n = st.n as u32;
    let w = |i: u32| -> u64 {
        if i == NONE {
            NO_WORD
        } else if i >= n {
            ROOT_WORD
        } else {
            x.word[i as usize]
        }
    };
    let t = |i: u32| -> u64 {
        if i == NONE {
            NO_WORD
        } else if i >= n {
            ROOT_WORD
        } else {
            x.tag[i as usize]
        }
    };
    let lab = |i: u32| -> u64 {
        if i == NONE {
            0xff
        } else {
            st.label[i as usize] as u64
        }
    };
    let child = |i: u32, left: bool| -> u32 {
        if i == NONE || i > n {
            NONE
        } else if left {
            st.left[i as usize][0]
        } else {
            st.right[i as usize][0]
        }
    };
    let before = |i: u32| if i == 0 || i == NONE { NONE } else { i - 1 };
    let after = |i: u32| if i == NONE || i + 1 >= n { NONE } else { i + 1 };
    let dir = u64::from(h > d);
    let dist = dist_bucket(h, d);
    let (dw, dt, hw, ht) = (w(d), t(d), w(h), t(h));
    let (dl, dr) = (child(d, true), child(d, false));
    let hs = if h > d {
        st.lset.get(h as usize).copied().unwrap_or(0)
    } else {
        st.rset.get(h as usize).copied().unwrap_or(0)
    };
    let (nl, nr) = if d < n { (st.nleft[d as usize] as u64, st.nright[d as usize] as u64) } else { (0, 0) };
    *f = [
        feature(201, &[dw]),
        feature(202, &[dt]),
        feature(203, &[dw, dt]),
        feature(204, &[hw]),
        feature(205, &[ht]),
        feature(206, &[hw, ht]),
        feature(207, &[dir, dt, ht]),
        feature(208, &[dir, dw, ht]),
        feature(209, &[dir, dt, hw]),
        feature(210, &[dir, dw, hw]),
        feature(211, &[dir, dist, dt, ht]),
        feature(212, &[dt, st.lset.get(d as usize).copied().unwrap_or(0)]),
        feature(213, &[dt, st.rset.get(d as usize).copied().unwrap_or(0)]),
        feature(214, &[dt, lab(dl), w(dl)]),
        feature(215, &[dt, lab(dr), w(dr)]),
        feature(216, &[dir, ht, hs]),
        feature(217, &[dt, t(before(d)), t(after(d))]),
        feature(218, &[dir, dt, ht, t(dl)]),
        feature(219, &[dir, dt, ht, t(dr)]),
        feature(220, &[dt, ht, nl, nr]),
        feature(221, &[dir, dt, ht, t(before(h)), t(after(h))]),
        feature(222, &[dir, dw, ht, t(after(d))]),
        feature(223, &[u64::from(d == 0), dt, ht]),
        feature(224, &[dir, dt, hw, lab(dl)]),
    ];
}

/// A trained dependency parser.
#[derive(Debug, Clone)]
pub struct Parser {
    pub(crate) labels: Vec<String>,
    pub(crate) root_label: u8,
    pub(crate) transitions: HashedWeights,
    pub(crate) labeler: HashedRows,
}

impl Parser {
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// A one-line summary of the model's size.
    pub fn weight_stats(&self) -> String {
        format!("{} transition buckets, {} label buckets", self.transitions.n_buckets(), self.labeler.n_buckets())
    }

    pub fn label(&self, id: u8) -> &str {
        self.labels.get(id as usize).map_or("dep", String::as_str)
    }

    /// Parses one sentence; returns each word's head (0 = root, else 1-based) and label id.
    pub fn parse(&self, forms: &[&str], tags: &[&str]) -> (Vec<usize>, Vec<u8>) {
        let x = SentenceInput::new(forms, tags);
        self.parse_input(&x)
    }

    pub(crate) fn parse_input(&self, x: &SentenceInput) -> (Vec<usize>, Vec<u8>) {
        let n = x.word.len();
        let mut st = State::new(n);
        let mut f = [0u64; N_FEATURES];
        let mut lf = [0u64; N_LABEL_FEATURES];
        let mut lscores = vec![0i32; self.labels.len()];
        while !st.is_terminal() {
            let ok = valid(&st);
            let class = if ok.iter().filter(|&&v| v).count() == 1 {
                // A forced move needs no scores.
                ok.iter().position(|&v| v).unwrap_or(SHIFT)
            } else {
                features(&st, x, &mut f);
                best_valid(&st, &self.transitions.score(&f))
            };
            let mv = self.label_move(&st, x, class, &mut lf, &mut lscores);
            st.apply(mv);
        }
        let heads = (0..n).map(|i| if st.head[i] as usize >= n { 0 } else { st.head[i] as usize + 1 }).collect();
        (heads, st.label[..n].to_vec())
    }

    /// Turns a transition class into a move, naming the arc it builds.
    pub(crate) fn label_move(
        &self,
        st: &State,
        x: &SentenceInput,
        class: usize,
        lf: &mut [u64; N_LABEL_FEATURES],
        lscores: &mut [i32],
    ) -> Move {
        match arc_of(st, class) {
            None => Move::Shift,
            Some((h, d)) => {
                if h as usize >= st.n {
                    return Move::Left(self.root_label);
                }
                label_features(st, x, h, d, lf);
                lscores.iter_mut().for_each(|s| *s = 0);
                self.labeler.score(lf, lscores);
                if let Some(r) = lscores.get_mut(self.root_label as usize) {
                    *r = i32::MIN;
                }
                let l = argmax(lscores) as u8;
                if class == LEFT {
                    Move::Left(l)
                } else {
                    Move::Right(l)
                }
            }
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(PARSER_KIND, PARSER_VERSION);
        w.strs(&self.labels);
        w.u8(self.root_label);
        self.transitions.write(&mut w);
        self.labeler.write(&mut w);
        w.buf
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let mut r = Reader::open(bytes, PARSER_KIND, PARSER_VERSION)?;
        let labels = r.strs()?;
        let root_label = r.u8()?;
        let transitions = HashedWeights::read(&mut r)?;
        let labeler = HashedRows::read(&mut r)?;
        r.finish()?;
        if labels.is_empty() || labels.len() > 127 || root_label as usize >= labels.len() {
            return Err(ModelError::Corrupt("parser labels".into()));
        }
        if transitions.n_classes() != 3 || labeler.n_classes() != labels.len() {
            return Err(ModelError::Corrupt("parser weights do not match the labels".into()));
        }
        Ok(Parser { labels, root_label, transitions, labeler })
    }
}

/// The (head, dependent) of the arc that transition `class` builds, if any.
pub(crate) fn arc_of(st: &State, class: usize) -> Option<(u32, u32)> {
    match class {
        LEFT => Some((st.b.min(st.n) as u32, st.s(0))),
        RIGHT => Some((st.s(1), st.s(0))),
        _ => None,
    }
}

/// Which transition classes are valid in `st`.
pub(crate) fn valid(st: &State) -> [bool; 3] {
    let left = !st.stack.is_empty() && (st.b < st.n || st.stack.len() == 1);
    [st.can_shift(), left, st.stack.len() >= 2]
}

/// The highest-scoring valid transition class.
pub(crate) fn best_valid<T: PartialOrd + Copy>(st: &State, scores: &[T]) -> usize {
    let ok = valid(st);
    let mut best = None;
    for c in 0..3 {
        if ok[c] && best.is_none_or(|b: usize| scores[c] > scores[b]) {
            best = Some(c);
        }
    }
    // No valid move only at the terminal state, which callers never pass.
    best.unwrap_or(if st.stack.len() >= 2 { RIGHT } else { LEFT })
}
