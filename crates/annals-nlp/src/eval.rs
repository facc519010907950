//! Scores of predicted CoNLL-U against gold: UPOS, XPOS, lemma, UAS and LAS.
//!
//! LAS compares the universal relation only (`nmod:poss` counts as `nmod`), as the
//! acceptance criteria and the CoNLL shared tasks do; every word counts, punctuation too.

use crate::conllu::ConlluSentence;

/// Counts of correct words per measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseScores {
    pub words: usize,
    pub upos: usize,
    pub xpos: usize,
    pub lemma: usize,
    pub uas: usize,
    pub las: usize,
    /// LAS with full labels, subtypes included.
    pub las_full: usize,
}

impl ParseScores {
    fn pct(&self, n: usize) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            100.0 * n as f64 / self.words as f64
        }
    }
    pub fn upos_pct(&self) -> f64 {
        self.pct(self.upos)
    }
    pub fn xpos_pct(&self) -> f64 {
        self.pct(self.xpos)
    }
    pub fn lemma_pct(&self) -> f64 {
        self.pct(self.lemma)
    }
    pub fn uas_pct(&self) -> f64 {
        self.pct(self.uas)
    }
    pub fn las_pct(&self) -> f64 {
        self.pct(self.las)
    }
    pub fn las_full_pct(&self) -> f64 {
        self.pct(self.las_full)
    }
}

fn universal(rel: &str) -> &str {
    rel.split(':').next().unwrap_or(rel)
}

/// Mismatched sentence or word counts between gold and prediction.
#[derive(Debug, thiserror::Error)]
#[error("sentence {sentence}: {message}")]
pub struct AlignError {
    pub sentence: usize,
    pub message: String,
}

/// Scores `pred` against `gold`; both must have the same sentences and words.
pub fn score(gold: &[ConlluSentence], pred: &[ConlluSentence]) -> Result<ParseScores, AlignError> {
    if gold.len() != pred.len() {
        return Err(AlignError {
            sentence: gold.len().min(pred.len()) + 1,
            message: format!("gold has {} sentences, prediction {}", gold.len(), pred.len()),
        });
    }
    let mut s = ParseScores::default();
    for (i, (g, p)) in gold.iter().zip(pred).enumerate() {
        if g.words.len() != p.words.len() {
            return Err(AlignError {
                sentence: i + 1,
                message: format!("gold has {} words, prediction {}", g.words.len(), p.words.len()),
            });
        }
        for (gw, pw) in g.words.iter().zip(&p.words) {
            s.words += 1;
            s.upos += usize::from(gw.upos == pw.upos);
            s.xpos += usize::from(gw.xpos == pw.xpos);
            s.lemma += usize::from(gw.lemma == pw.lemma);
            if gw.head == pw.head {
                s.uas += 1;
                s.las += usize::from(universal(&gw.deprel) == universal(&pw.deprel));
                s.las_full += usize::from(gw.deprel == pw.deprel);
            }
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::parse;

    #[test]
    fn counts_universal_relations() {
        let gold = parse("1\ta\ta\tDET\tDT\t_\t2\tnmod:poss\t_\t_\n2\tb\tb\tNOUN\tNN\t_\t0\troot\t_\t_\n\n").unwrap();
        let pred = parse("1\ta\ta\tDET\tDT\t_\t2\tnmod\t_\t_\n2\tb\tc\tVERB\tNN\t_\t1\troot\t_\t_\n\n").unwrap();
        let s = score(&gold, &pred).unwrap();
        assert_eq!((s.words, s.upos, s.xpos, s.lemma, s.uas, s.las, s.las_full), (2, 1, 2, 1, 1, 1, 0));
        assert!((s.uas_pct() - 50.0).abs() < 1e-9);
        assert!(score(&gold, &[]).is_err());
    }
}
