//! Training the tagger from CoNLL-U sentences.

use super::model::{argmax, features, token_hashes, TagSet, Tagger, TokenHashes};
use crate::conllu::ConlluSentence;
use crate::perceptron::{FeatureMap, PerceptronTrainer};
use crate::rng::Rng;
use std::collections::HashMap;

/// Settings of a tagger training run.
#[derive(Debug, Clone)]
pub struct TaggerTrainingOptions {
    pub epochs: usize,
    pub seed: u64,
    /// A word enters the tag dictionary when seen this often ...
    pub dict_min_count: usize,
    /// ... with its most frequent class at least this share of the time.
    pub dict_min_share: f64,
    /// Averaged weights smaller than this are dropped from the model.
    pub min_weight: f32,
}

impl Default for TaggerTrainingOptions {
    fn default() -> Self {
        TaggerTrainingOptions { epochs: 10, seed: 7, dict_min_count: 3, dict_min_share: 0.97, min_weight: 0.0 }
    }
}

/// Trains a tagger; `progress` is told each finished epoch (epoch, train accuracy).
pub fn train_tagger(
    sentences: &[ConlluSentence],
    opts: &TaggerTrainingOptions,
    mut progress: impl FnMut(usize, f64),
) -> Tagger {
    let mut pairs: Vec<(String, String)> =
        sentences.iter().flat_map(|s| s.words.iter().map(|w| (w.upos.clone(), w.xpos.clone()))).collect();
    pairs.sort();
    pairs.dedup();
    pairs.truncate(256);
    let tags =
        TagSet { upos: pairs.iter().map(|p| p.0.clone()).collect(), xpos: pairs.iter().map(|p| p.1.clone()).collect() };
    let index: HashMap<(&str, &str), u8> =
        pairs.iter().enumerate().map(|(i, p)| ((p.0.as_str(), p.1.as_str()), i as u8)).collect();

    let mut buf = String::new();
    let data: Vec<(Vec<TokenHashes>, Vec<u8>)> = sentences
        .iter()
        .map(|s| {
            let h = s.words.iter().map(|w| token_hashes(&w.form, &mut buf)).collect();
            let y =
                s.words.iter().map(|w| index.get(&(w.upos.as_str(), w.xpos.as_str())).copied().unwrap_or(0)).collect();
            (h, y)
        })
        .collect();

    // Tag dictionary from exact forms.
    let mut counts: FeatureMap<HashMap<u8, usize>> = FeatureMap::default();
    for (h, y) in &data {
        for (t, &c) in h.iter().zip(y) {
            *counts.entry(t.raw).or_default().entry(c).or_default() += 1;
        }
    }
    let mut tagdict = FeatureMap::default();
    for (k, m) in &counts {
        let total: usize = m.values().sum();
        if let Some((&c, &n)) = m.iter().max_by_key(|e| (*e.1, *e.0)) {
            if total >= opts.dict_min_count && n as f64 / total as f64 >= opts.dict_min_share {
                tagdict.insert(*k, c);
            }
        }
    }

    let mut model = PerceptronTrainer::new(tags.len());
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng::new(opts.seed);
    let mut feats = Vec::new();
    let mut scores = vec![0f32; tags.len()];
    for epoch in 0..opts.epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &si in &order {
            let (h, y) = &data[si];
            let mut prev: Vec<u64> = Vec::with_capacity(h.len());
            for i in 0..h.len() {
                let guess = if let Some(&c) = tagdict.get(&h[i].raw) {
                    c as usize
                } else {
                    features(h, &prev, i, &mut feats);
                    scores.iter_mut().for_each(|s| *s = 0.0);
                    model.score(&feats, &mut scores);
                    let g = argmax(&scores);
                    model.update(&feats, y[i] as usize, g);
                    model.tick();
                    g
                };
                right += usize::from(guess == y[i] as usize);
                total += 1;
                prev.push(guess as u64);
            }
        }
        progress(epoch + 1, right as f64 / total.max(1) as f64);
    }
    Tagger { tags, weights: model.finish(opts.min_weight), tagdict }
}
