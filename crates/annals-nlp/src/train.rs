//! Training the whole NLP stage: the tagger, the lemmatizer, and a parser trained on
//! jackknifed (predicted) tags so that it learns from the tags it will see at run time.

use crate::conllu::ConlluSentence;
use crate::tagger::{train_tagger, TaggerTrainingOptions};
use rayon::prelude::*;

/// The predicted (UPOS, XPOS) of each word of one sentence, by sentence index.
type FoldTags = Vec<(usize, Vec<(String, String)>)>;

/// Replaces the XPOS and UPOS of `sentences` by those of taggers trained on the other
/// `folds - 1` folds (k-fold jackknifing). With fewer than 2 folds, returns the gold tags.
pub fn jackknife_tags(sentences: &[ConlluSentence], folds: usize, opts: &TaggerTrainingOptions) -> Vec<ConlluSentence> {
    let mut out = sentences.to_vec();
    if folds < 2 || sentences.len() < folds {
        return out;
    }
    let predicted: Vec<FoldTags> = (0..folds)
        .into_par_iter()
        .map(|k| {
            let train: Vec<ConlluSentence> =
                sentences.iter().enumerate().filter(|(i, _)| i % folds != k).map(|(_, s)| s.clone()).collect();
            let tagger = train_tagger(&train, opts, |_, _| {});
            sentences
                .iter()
                .enumerate()
                .filter(|(i, _)| i % folds == k)
                .map(|(i, s)| {
                    let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                    let tags = tagger.tag(&forms);
                    (i, tags.iter().map(|&t| (tagger.upos(t).to_string(), tagger.xpos(t).to_string())).collect())
                })
                .collect()
        })
        .collect();
    for fold in predicted {
        for (i, tags) in fold {
            for (w, (u, x)) in out[i].words.iter_mut().zip(tags) {
                w.upos = u;
                w.xpos = x;
            }
        }
    }
    out
}
