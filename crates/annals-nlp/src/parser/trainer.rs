//! Training the parser: projectivized gold trees, the arc-hybrid dynamic oracle
//! (Goldberg and Nivre 2013) and error exploration.

use super::model::{
    arc_of, best_valid, features, label_features, valid, Parser, SentenceInput, LEFT, N_FEATURES, N_LABEL_FEATURES,
    RIGHT, SHIFT,
};
use super::state::{Move, State};
use crate::conllu::ConlluSentence;
use crate::perceptron::HashedTrainer;
use crate::rng::Rng;
use crate::tagger::argmax;
use std::collections::BTreeSet;

/// Settings of a parser training run.
#[derive(Debug, Clone)]
pub struct ParserTrainingOptions {
    pub epochs: usize,
    pub seed: u64,
    /// From this epoch on (0-based), the parser follows its own predictions ...
    pub explore_from: usize,
    /// ... with this probability, learning to recover from its mistakes.
    pub explore_p: f64,
    /// The transition weights have `2^hash_bits` buckets.
    pub hash_bits: u32,
    /// The label weights have `2^label_bits` buckets (one byte per label each).
    pub label_bits: u32,
}

impl Default for ParserTrainingOptions {
    fn default() -> Self {
        ParserTrainingOptions { epochs: 15, seed: 11, explore_from: 1, explore_p: 0.9, hash_bits: 21, label_bits: 17 }
    }
}

/// Lifts non-projective arcs (a word moves to its grandparent) until the tree is
/// projective. `heads` are 0 = root, else 1-based.
pub fn projectivize(heads: &mut [usize]) {
    let n = heads.len();
    // Each pass lifts the shortest non-projective arc; trees are short.
    for _ in 0..n * n {
        let mut worst: Option<(usize, usize)> = None;
        for d in 1..=n {
            let h = heads[d - 1];
            if h == 0 {
                continue;
            }
            let (a, b) = if h < d { (h, d) } else { (d, h) };
            let projective = (a + 1..b).all(|k| dominates(heads, h, k));
            if !projective {
                let len = b - a;
                if worst.is_none_or(|(_, l)| len < l) {
                    worst = Some((d, len));
                }
            }
        }
        match worst {
            Some((d, _)) => {
                let h = heads[d - 1];
                heads[d - 1] = heads[h - 1];
            }
            None => return,
        }
    }
}

/// Whether `h` is an ancestor of `k` (1-based words, 0 = root).
fn dominates(heads: &[usize], h: usize, mut k: usize) -> bool {
    for _ in 0..=heads.len() {
        if k == h {
            return true;
        }
        if k == 0 {
            return false;
        }
        k = heads[k - 1];
    }
    false
}

/// Gold tree in the parser's indexing: word `n` is the root.
struct Gold {
    head: Vec<usize>,
    label: Vec<u8>,
    deps: Vec<Vec<usize>>,
}

impl Gold {
    fn new(heads: &[usize], labels: Vec<u8>) -> Gold {
        let n = heads.len();
        let head: Vec<usize> = heads.iter().map(|&h| if h == 0 { n } else { h - 1 }).collect();
        let mut deps = vec![Vec::new(); n + 1];
        for (d, &h) in head.iter().enumerate() {
            deps[h].push(d);
        }
        Gold { head, label: labels, deps }
    }

    /// Arcs lost by popping `s0` when it receives head `h_new`.
    fn pop_cost(&self, st: &State, s0: usize, reachable_heads: impl Fn(usize) -> bool) -> usize {
        let gh = self.head[s0];
        let lost_head = usize::from(reachable_heads(gh));
        let lost_deps = self.deps[s0].iter().filter(|&&d| d >= st.b).count();
        lost_head + lost_deps
    }

    fn left_cost(&self, st: &State) -> usize {
        let s0 = st.s(0) as usize;
        let s1 = st.s(1);
        let b = st.b;
        self.pop_cost(st, s0, |gh| gh != b && ((s1 != super::state::NONE && gh == s1 as usize) || gh > b))
    }

    fn right_cost(&self, st: &State) -> usize {
        let s0 = st.s(0) as usize;
        let s1 = st.s(1) as usize;
        self.pop_cost(st, s0, |gh| gh != s1 && gh >= st.b)
    }

    fn shift_cost(&self, st: &State) -> usize {
        let b = st.b;
        let s0 = st.s(0);
        let gh = self.head[b];
        let lost_head = usize::from(gh < st.n && st.on_stack[gh] && gh as u32 != s0);
        let lost_deps = self.deps[b].iter().filter(|&&d| st.on_stack[d]).count();
        lost_head + lost_deps
    }
}

/// Trains a parser on sentences whose XPOS column holds the tags the parser will see
/// (predicted tags, for a parser that runs after the tagger). `progress` receives
/// (epoch, share of transitions that were correct).
pub fn train_parser(
    sentences: &[ConlluSentence],
    opts: &ParserTrainingOptions,
    mut progress: impl FnMut(usize, f64),
) -> Parser {
    let labels: Vec<String> = sentences
        .iter()
        .flat_map(|s| s.words.iter().map(|w| w.deprel.clone()))
        .chain(std::iter::once("root".to_string()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .take(127)
        .collect();
    let root_label = labels.iter().position(|l| l == "root").unwrap_or(0) as u8;
    let label_id = |l: &str| labels.iter().position(|x| x == l).unwrap_or(root_label as usize) as u8;
    let n_labels = labels.len();

    let data: Vec<(SentenceInput, Gold)> = sentences
        .iter()
        .filter(|s| !s.words.is_empty())
        .map(|s| {
            let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let tags: Vec<&str> = s.words.iter().map(|w| w.xpos.as_str()).collect();
            let mut heads: Vec<usize> = s.words.iter().map(|w| w.head).collect();
            projectivize(&mut heads);
            // A tree needs exactly one root: extra roots attach to the first.
            let first_root = heads.iter().position(|&h| h == 0);
            let mut labs: Vec<u8> = s.words.iter().map(|w| label_id(&w.deprel)).collect();
            for (i, h) in heads.iter_mut().enumerate() {
                if *h == 0 {
                    match first_root {
                        Some(r) if r != i => {
                            *h = r + 1;
                            if labs[i] == root_label {
                                labs[i] = label_id("parataxis");
                            }
                        }
                        _ => labs[i] = root_label,
                    }
                } else if labs[i] == root_label {
                    labs[i] = label_id("dep");
                }
            }
            (SentenceInput::new(&forms, &tags), Gold::new(&heads, labs))
        })
        .collect();

    let mut model = HashedTrainer::new(opts.hash_bits, 3);
    let mut labeler = HashedTrainer::new(opts.label_bits, n_labels);
    let mut rng = Rng::new(opts.seed);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut f = [0u64; N_FEATURES];
    let mut lf = [0u64; N_LABEL_FEATURES];
    let mut lscores = vec![0f32; n_labels];
    for epoch in 0..opts.epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &si in &order {
            let (x, gold) = &data[si];
            let mut st = State::new(x.word.len());
            while !st.is_terminal() {
                features(&st, x, &mut f);
                let mut scores = [0f32; 3];
                model.score(&f, &mut scores);
                let ok = valid(&st);
                let costs = [
                    if ok[SHIFT] { gold.shift_cost(&st) } else { usize::MAX },
                    if ok[LEFT] { gold.left_cost(&st) } else { usize::MAX },
                    if ok[RIGHT] { gold.right_cost(&st) } else { usize::MAX },
                ];
                let guess = best_valid(&st, &scores);
                let min_cost = costs.iter().copied().min().unwrap_or(0);
                let mut best = guess;
                if costs[guess] != min_cost {
                    let mut bs = f32::NEG_INFINITY;
                    for c in 0..3 {
                        if costs[c] == min_cost && scores[c] > bs {
                            bs = scores[c];
                            best = c;
                        }
                    }
                    model.update(&f, best, guess);
                } else {
                    right += 1;
                }
                total += 1;
                model.tick();
                let follow = if epoch >= opts.explore_from && rng.unit() < opts.explore_p { guess } else { best };
                let mv = match arc_of(&st, follow) {
                    None => Move::Shift,
                    Some((h, d)) => {
                        let label = if h as usize >= st.n {
                            root_label
                        } else {
                            label_features(&st, x, h, d, &mut lf);
                            lscores.iter_mut().for_each(|s| *s = 0.0);
                            labeler.score(&lf, &mut lscores);
                            lscores[root_label as usize] = f32::NEG_INFINITY;
                            let guess_label = argmax(&lscores);
                            if gold.head[d as usize] == h as usize {
                                let truth = gold.label[d as usize] as usize;
                                labeler.update(&lf, truth, guess_label);
                                labeler.tick();
                                truth as u8
                            } else {
                                guess_label as u8
                            }
                        };
                        if follow == LEFT {
                            Move::Left(label)
                        } else {
                            Move::Right(label)
                        }
                    }
                };
                st.apply(mv);
            }
        }
        progress(epoch + 1, right as f64 / total.max(1) as f64);
    }
    Parser { labels, root_label, transitions: model.finish_weights(), labeler: labeler.finish_rows(0.001) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projectivize_lifts_crossing_arcs() {
        // 1 <- 3, 2 <- 4 crossing (3 -> 1 spans 2 whose head 4 is outside)
        let mut heads = vec![3, 4, 0, 3];
        projectivize(&mut heads);
        // every arc now projective
        for d in 1..=heads.len() {
            let h = heads[d - 1];
            if h == 0 {
                continue;
            }
            let (a, b) = if h < d { (h, d) } else { (d, h) };
            assert!((a + 1..b).all(|k| dominates(&heads, h, k)), "{heads:?}");
        }
        let mut proj = vec![2, 0, 2];
        projectivize(&mut proj);
        assert_eq!(proj, vec![2, 0, 2]);
    }

    #[test]
    fn static_path_reproduces_gold_trees() {
        // With zero-cost moves only, the parser's transitions rebuild the gold tree.
        let gold_heads = [2usize, 0, 4, 2, 2];
        let g = Gold::new(&gold_heads, vec![0; 5]);
        let mut st = State::new(5);
        while !st.is_terminal() {
            let mv = if st.can_shift() && g.shift_cost(&st) == 0 {
                Move::Shift
            } else if valid(&st)[LEFT] && g.left_cost(&st) == 0 {
                Move::Left(0)
            } else {
                Move::Right(0)
            };
            st.apply(mv);
        }
        let heads: Vec<usize> =
            (0..5).map(|i| if st.head[i] as usize >= 5 { 0 } else { st.head[i] as usize + 1 }).collect();
        assert_eq!(heads, gold_heads);
    }
}
