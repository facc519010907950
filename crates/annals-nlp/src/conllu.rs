//! CoNLL-U reading and writing: the treebank format that training, evaluation and
//! `annals parse` share.
//!
//! Reading keeps what evaluation needs (words with their gold annotation, comments,
//! multiword-token lines) and skips empty nodes (`8.1`), which basic trees do not use.
//! Errors name the line, so a broken treebank file points at itself.

use std::fmt::Write as _;

/// One syntactic word of a CoNLL-U sentence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConlluWord {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 0 is the root; otherwise the 1-based index of the head word.
    pub head: usize,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

/// A multiword token line (`1-2 don't`) kept for output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiwordToken {
    pub first: usize,
    pub last: usize,
    pub form: String,
    pub misc: String,
}

/// One sentence: its comment lines (without `# `), multiword tokens and words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConlluSentence {
    pub comments: Vec<String>,
    pub multiword: Vec<MultiwordToken>,
    pub words: Vec<ConlluWord>,
}

impl ConlluSentence {
    /// The value of a `# key = value` comment.
    pub fn comment(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let rest = c.strip_prefix(key)?.trim_start();
            rest.strip_prefix('=').map(str::trim)
        })
    }
}

/// A malformed CoNLL-U line.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ConlluError {
    pub line: usize,
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> ConlluError {
    ConlluError { line, message: message.into() }
}

/// Parses a whole CoNLL-U text.
pub fn parse(text: &str) -> Result<Vec<ConlluSentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = ConlluSentence::default();
    let mut cur_start = 1;
    for (i, raw) in text.lines().enumerate() {
        let lineno = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.words.is_empty() || !cur.comments.is_empty() {
                finish(&mut cur, cur_start)?;
                out.push(std::mem::take(&mut cur));
            }
            cur_start = lineno + 1;
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            cur.comments.push(c.trim_start().to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(err(lineno, format!("expected 10 tab-separated columns, found {}", cols.len())));
        }
        let id = cols[0];
        if id.contains('.') {
            continue; // empty node of the enhanced graph
        }
        if let Some((a, b)) = id.split_once('-') {
            let first = a.parse().map_err(|_| err(lineno, format!("bad token range {id:?}")))?;
            let last = b.parse().map_err(|_| err(lineno, format!("bad token range {id:?}")))?;
            cur.multiword.push(MultiwordToken { first, last, form: cols[1].to_string(), misc: cols[9].to_string() });
            continue;
        }
        let n: usize = id.parse().map_err(|_| err(lineno, format!("bad word id {id:?}")))?;
        if n != cur.words.len() + 1 {
            return Err(err(lineno, format!("word id {n} out of sequence (expected {})", cur.words.len() + 1)));
        }
        let head = if cols[6] == "_" {
            0
        } else {
            cols[6].parse().map_err(|_| err(lineno, format!("bad head {:?}", cols[6])))?
        };
        cur.words.push(ConlluWord {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            deps: cols[8].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !cur.words.is_empty() {
        finish(&mut cur, cur_start)?;
        out.push(cur);
    }
    Ok(out)
}

fn finish(s: &mut ConlluSentence, line: usize) -> Result<(), ConlluError> {
    let n = s.words.len();
    if n == 0 {
        return Err(err(line, "sentence has comments but no words"));
    }
    for w in &s.words {
        if w.head > n {
            return Err(err(line, format!("head {} beyond the sentence's {} words", w.head, n)));
        }
    }
    Ok(())
}

/// Writes sentences as CoNLL-U.
pub fn write(sentences: &[ConlluSentence], out: &mut String) {
    for s in sentences {
        write_sentence(s, out);
    }
}

/// Writes one sentence followed by a blank line.
pub fn write_sentence(s: &ConlluSentence, out: &mut String) {
    for c in &s.comments {
        out.push_str("# ");
        out.push_str(c);
        out.push('\n');
    }
    let mut mwt = s.multiword.iter().peekable();
    for (i, w) in s.words.iter().enumerate() {
        let id = i + 1;
        while let Some(m) = mwt.peek() {
            if m.first > id {
                break;
            }
            if m.first == id {
                let _ = writeln!(out, "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}", m.first, m.last, m.form, m.misc);
            }
            mwt.next();
        }
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            id,
            field(&w.form),
            field(&w.lemma),
            field(&w.upos),
            field(&w.xpos),
            field(&w.feats),
            w.head,
            field(&w.deprel),
            field(&w.deps),
            field(&w.misc),
        );
    }
    out.push('\n');
}

/// CoNLL-U fields may not be empty or contain tabs and newlines.
fn field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_empty() {
        return "_".into();
    }
    if s.contains(['\t', '\n', '\r']) {
        return s.replace(['\t', '\n', '\r'], " ").into();
    }
    s.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = a-1\n# text = Don't go.\n1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tDo\tdo\tAUX\tVB\t_\t3\taux\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_\n3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n3.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";

    #[test]
    fn round_trip() {
        let s = parse(SAMPLE).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 4);
        assert_eq!(s[0].comment("sent_id"), Some("a-1"));
        assert_eq!(s[0].multiword.len(), 1);
        let mut out = String::new();
        write(&s, &mut out);
        assert_eq!(out, SAMPLE.replace("3.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n", ""));
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("1\ta\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse("1\ta\ta\tX\tX\t_\t9\tdep\t_\t_\n\n").unwrap_err();
        assert!(e.to_string().contains("head 9"), "{e}");
        let e = parse("1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n3\ta\ta\tX\tX\t_\t0\troot\t_\t_\n").unwrap_err();
        assert_eq!(e.line, 2);
    }
}
