//! The tokenizer: raw text to UD English (EWT-style) tokens that are byte spans.
//!
//! Text is cut at whitespace into chunks; each chunk is scanned once over its folded
//! characters (see `normalize`) and cut further by the conventions of the UD English
//! treebanks: clitics split (`do|n't`, `it|'s`, `ca|n't`, `gon|na`), abbreviations keep
//! their period (`U.S.`, `Gen.`, `J.`), numbers (`1,000`, `3.5`, `10:30`, `2024-05-01`),
//! URLs and e-mail addresses stay whole, hyphenated compounds split (`long - term`)
//! except after listed prefixes (`e-mail`, `non-profit`), and punctuation stands alone
//! (runs like `...`, `--`, `!!` stay one token). No regexes, one pass, spans only: a
//! `norm` string is allocated only for tokens whose form differs from the text.

use crate::lexicon::{Abbrev, Lexicon, LEXICON};
use crate::normalize::{class, fold, is_joiner, normalize, Class};
use crate::Token;

/// One character of a chunk: its byte span (marks after it included), its folded form
/// and its class.
#[derive(Debug, Clone, Copy)]
struct Ch {
    start: usize,
    end: usize,
    c: char,
    class: Class,
}

impl Ch {
    fn is_alnum(&self) -> bool {
        matches!(self.class, Class::Letter | Class::Digit)
    }
}

/// Whether `c` starts a new line (for headline and list-item rules).
#[inline]
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}')
}

/// Tokenizes `text` into UD English-style tokens. Never fails; tokens are in order,
/// non-overlapping, non-empty, and `text[t.start..t.end]` is each token's surface.
pub fn tokenize(text: &str) -> Vec<Token> {
    let lex = &*LEXICON;
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut chunk: Vec<Ch> = Vec::with_capacity(64);
    let mut line_first = true;
    // Emoji sequences: a zero-width joiner glues two symbols ("👨‍👩‍👧"), and regional
    // indicators pair into flags ("🇺🇦").
    let mut glue_next = false;
    let mut open_flag = false;
    for (i, c) in text.char_indices() {
        let cl = class(c);
        let end = i + c.len_utf8();
        if cl == Class::Other {
            let indicator = ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
            let glued = glue_next || (indicator && open_flag);
            glue_next = false;
            open_flag = indicator && !glued;
            if glued {
                if let Some(last) = chunk.last_mut() {
                    last.end = end;
                    continue;
                }
            }
        } else if is_joiner(c) {
            glue_next = chunk.last().is_some_and(|l| l.class == Class::Other);
            continue;
        } else if cl != Class::Mark {
            glue_next = false;
            open_flag = false;
        }
        match cl {
            Class::Sep => {
                if !chunk.is_empty() {
                    let before = out.len();
                    chunk_tokens(text, &chunk, line_first, lex, &mut out);
                    line_first &= out.len() == before;
                    chunk.clear();
                }
                if is_line_break(c) {
                    line_first = true;
                }
            }
            Class::Ignorable => {}
            Class::Mark => match chunk.last_mut() {
                Some(last) => last.end = end,
                None => chunk.push(Ch { start: i, end, c, class: Class::Letter }),
            },
            _ => chunk.push(Ch { start: i, end, c: fold(c), class: cl }),
        }
    }
    if !chunk.is_empty() {
        chunk_tokens(text, &chunk, line_first, lex, &mut out);
    }
    finish(text, &mut out);
    out
}

/// Fills in `space_after` and `norm` once all spans are known.
fn finish(text: &str, tokens: &mut [Token]) {
    let mut next_start = text.len();
    for t in tokens.iter_mut().rev() {
        let gap = text.get(t.end..next_start).unwrap_or("");
        t.space_after = match gap.as_bytes().first() {
            None => false,
            Some(b) if b.is_ascii_whitespace() => true,
            Some(_) => gap.chars().any(|c| class(c) == Class::Sep),
        };
        t.norm = text.get(t.start..t.end).and_then(normalize);
        next_start = t.start;
    }
}

fn push(out: &mut Vec<Token>, start: usize, end: usize) {
    if start < end {
        out.push(Token { start, end, norm: None, space_after: false });
    }
}

/// Pushes the token spanning chunk characters `lo..hi` (exclusive).
fn push_chars(out: &mut Vec<Token>, b: &[Ch], lo: usize, hi: usize) {
    if let (Some(first), Some(last)) = (b.get(lo), hi.checked_sub(1).and_then(|h| b.get(h))) {
        push(out, first.start, last.end);
    }
}

/// The class of chunk character `i`, or `Sep` past either end.
fn class_at(b: &[Ch], i: usize) -> Class {
    b.get(i).map_or(Class::Sep, |c| c.class)
}

fn char_at(b: &[Ch], i: usize) -> char {
    b.get(i).map_or(' ', |c| c.c)
}

/// The text of chunk characters `lo..hi`.
fn span_text<'t>(text: &'t str, b: &[Ch], lo: usize, hi: usize) -> &'t str {
    match (b.get(lo), hi.checked_sub(1).and_then(|h| b.get(h))) {
        (Some(first), Some(last)) if lo < hi => text.get(first.start..last.end).unwrap_or(""),
        _ => "",
    }
}

/// Tokenizes one whitespace-delimited chunk.
fn chunk_tokens(text: &str, b: &[Ch], line_first: bool, lex: &Lexicon, out: &mut Vec<Token>) {
    if b.iter().all(|c| c.class == Class::Letter) {
        word_tokens(text, b, 0, b.len(), b.len(), false, lex, out);
        return;
    }
    match find_url(text, b) {
        Some((s, e)) => {
            scan(text, b, 0, s, line_first, lex, out);
            push_chars(out, b, s, e);
            scan(text, b, e, b.len(), false, lex, out);
        }
        None => scan(text, b, 0, b.len(), line_first, lex, out),
    }
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// The chunk characters `s..e` of a URL or e-mail address in the chunk, if any.
fn find_url(text: &str, b: &[Ch]) -> Option<(usize, usize)> {
    let n = b.len();
    let chunk = span_text(text, b, 0, n);
    let base = b.first()?.start;
    let index_of = |byte: usize| b.iter().position(|c| c.start == base + byte);
    let s = if let Some(p) = chunk.find("://") {
        let mut s = index_of(p)?;
        while s > 0 && class_at(b, s - 1) == Class::Letter {
            s -= 1;
        }
        s
    } else {
        let mut s = 0;
        while s < n && matches!(char_at(b, s), '(' | '[' | '<' | '{' | '"' | '\'') {
            s += 1;
        }
        let rest = span_text(text, b, s, n);
        if starts_with_ci(rest, "www.") || starts_with_ci(rest, "mailto:") {
            s
        } else {
            let at = (s..n).find(|&i| char_at(b, i) == '@')?;
            let alnum_around = b.get(at.checked_sub(1)?).is_some_and(|c| c.is_alnum() || c.c == '.')
                && b.get(at + 1).is_some_and(Ch::is_alnum);
            let dotted_domain =
                (at + 1..n.saturating_sub(1)).any(|i| char_at(b, i) == '.' && class_at(b, i + 1) == Class::Letter);
            if !alnum_around || !dotted_domain {
                return None;
            }
            let mut s = at;
            while s > 0
                && (b.get(s - 1).is_some_and(Ch::is_alnum) || matches!(char_at(b, s - 1), '.' | '_' | '%' | '+' | '-'))
            {
                s -= 1;
            }
            s
        }
    };
    // Trailing punctuation is not part of the address; a closing bracket is, when it
    // closes one opened inside ("wiki/Foo_(bar)"). Counts are kept, not recounted.
    const PAIRS: [(char, char); 4] = [('(', ')'), ('[', ']'), ('<', '>'), ('{', '}')];
    let mut opens = [0usize; 4];
    let mut closes = [0usize; 4];
    for k in s..n {
        let c = char_at(b, k);
        for (p, (open, close)) in PAIRS.iter().enumerate() {
            opens[p] += usize::from(c == *open);
            closes[p] += usize::from(c == *close);
        }
    }
    let mut e = n;
    while e > s + 1 {
        let c = char_at(b, e - 1);
        let strip = match PAIRS.iter().position(|(_, close)| *close == c) {
            Some(p) => opens[p] < closes[p],
            None => matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\''),
        };
        if !strip {
            break;
        }
        if let Some(p) = PAIRS.iter().position(|(_, close)| *close == c) {
            closes[p] -= 1;
        }
        e -= 1;
    }
    (e >= s + 4).then_some((s, e))
}

/// Tokenizes chunk characters `lo..hi` (no URL among them).
fn scan(text: &str, b: &[Ch], lo: usize, hi: usize, line_first: bool, lex: &Lexicon, out: &mut Vec<Token>) {
    let mut i = lo;
    while i < hi {
        let Some(ch) = b.get(i) else { return };
        let prev_alnum = i > lo && b.get(i - 1).is_some_and(Ch::is_alnum);
        let next_class = if i + 1 < hi { class_at(b, i + 1) } else { Class::Sep };
        let starts_word = ch.is_alnum()
            || (matches!(ch.c, '@' | '#') && next_class == Class::Letter && !prev_alnum)
            || (matches!(ch.c, '.' | '\'') && next_class == Class::Digit && !prev_alnum);
        if starts_word {
            i = word(text, b, i, hi, line_first && i == lo, lex, out);
            continue;
        }
        if let Some(len) = emoticon_at(text, b, i, hi, lex) {
            push_chars(out, b, i, i + len);
            i += len;
            continue;
        }
        let mut j = i + 1;
        if ch.c == '.' && char_at(b, j) == '.' {
            // An ellipsis: dots only ("...?" is "..." + "?").
            while j < hi && char_at(b, j) == '.' {
                j += 1;
            }
        } else if matches!(ch.c, '!' | '?' | '.') {
            // "?!", "!!!", ".?", "!."
            while j < hi && matches!(char_at(b, j), '!' | '?' | '.') {
                j += 1;
            }
        } else {
            while j < hi && char_at(b, j) == ch.c && class_at(b, j) == Class::Other {
                j += 1;
            }
        }
        push_chars(out, b, i, j);
        i = j;
    }
}

/// The length in characters of a listed emoticon starting at chunk character `i`.
fn emoticon_at(text: &str, b: &[Ch], i: usize, hi: usize, lex: &Lexicon) -> Option<usize> {
    let start = b.get(i)?.start;
    let rest = text.get(start..)?;
    lex.emoticons.iter().find_map(|e| {
        let len = e.len();
        let fits = rest.starts_with(e)
            && i + len <= hi
            && b.get(i + len - 1).is_some_and(|c| c.end == start + len)
            && !(i + len < hi && b.get(i + len).is_some_and(Ch::is_alnum));
        fits.then_some(len)
    })
}

/// Scans the word starting at chunk character `i`, pushes its token(s) and returns the
/// index after it.
fn word(text: &str, b: &[Ch], i: usize, hi: usize, line_first: bool, lex: &Lexicon, out: &mut Vec<Token>) -> usize {
    let start = i;
    let mut j = i + 1;
    let mut seg_start = i;
    let mut has_dot = false;
    let mut has_letter = class_at(b, i) == Class::Letter;
    let mut number_hyphen = false;
    'word: loop {
        while j < hi && b.get(j).is_some_and(Ch::is_alnum) {
            if class_at(b, j) == Class::Letter {
                if !has_letter && class_at(b, j - 1) == Class::Digit && !unit_stays(b, j, hi) {
                    // "375mm", "10am", "$5bn": UD splits a number from its unit.
                    break 'word;
                }
                has_letter = true;
            }
            j += 1;
        }
        if j + 1 >= hi {
            break;
        }
        let left = class_at(b, j - 1);
        let right = class_at(b, j + 1);
        if !matches!(right, Class::Letter | Class::Digit) {
            break;
        }
        let alnum = |c: Class| matches!(c, Class::Letter | Class::Digit);
        let join = match char_at(b, j) {
            '.' => alnum(left),
            ',' | ':' | '/' => left == Class::Digit && right == Class::Digit,
            '-' if left == Class::Digit && right == Class::Digit => number_hyphen || joined_number(b, seg_start, j, hi),
            '-' => right == Class::Letter && lex.is_hyphen_prefix(span_text(text, b, seg_start, j)),
            '\'' => alnum(left) && right == Class::Letter,
            '&' => char_at(b, j - 1).is_uppercase() && char_at(b, j + 1).is_uppercase(),
            '_' | '@' => true,
            _ => false,
        };
        if !join {
            break;
        }
        match char_at(b, j) {
            '.' => has_dot = true,
            '-' => {
                number_hyphen = left == Class::Digit;
                seg_start = j + 1;
            }
            _ => {}
        }
        j += 1;
    }
    word_tokens(text, b, start, j, hi, has_dot || line_first, lex, out)
}

/// Whether the letters at chunk character `j`, after digits, stay with the number:
/// ordinals and decades ("5th", "1990s") do, units ("5kg", "10am") do not.
fn unit_stays(b: &[Ch], j: usize, hi: usize) -> bool {
    let mut k = j;
    while k < hi && class_at(b, k) == Class::Letter {
        k += 1;
    }
    if k < hi && class_at(b, k) == Class::Digit {
        return true; // a code like "3G4"
    }
    let lower = |i: usize| char_at(b, i).to_ascii_lowercase();
    match k - j {
        1 => lower(j) == 's',
        2 => matches!((lower(j), lower(j + 1)), ('t', 'h') | ('s', 't') | ('n', 'd') | ('r', 'd')),
        _ => false,
    }
}

/// Whether the digits at `seg_start..j` and after the hyphen at `j` form one number:
/// phone numbers and dates ("555-1234", "2024-05-01") do, ranges ("13-17",
/// "1998-2001") do not.
fn joined_number(b: &[Ch], seg_start: usize, j: usize, hi: usize) -> bool {
    let digits = |from: usize| (from..hi).take_while(|&k| class_at(b, k) == Class::Digit).count();
    let left = j - seg_start;
    if (seg_start..j).any(|k| class_at(b, k) != Class::Digit) {
        return false;
    }
    let right = digits(j + 1);
    let after = j + 1 + right;
    let more = char_at(b, after) == '-' && after + 1 < hi && class_at(b, after + 1) == Class::Digit;
    more || (right == 4 && (left == 3 || left == 5))
}

/// Pushes the token(s) of the word at chunk characters `start..end`: takes a following
/// abbreviation period, or splits a clitic or contraction. Returns the index after the
/// last character consumed. `maybe_special` enables the dotted-acronym and list-number
/// checks.
#[allow(clippy::too_many_arguments)]
fn word_tokens(
    text: &str,
    b: &[Ch],
    start: usize,
    end: usize,
    hi: usize,
    maybe_special: bool,
    lex: &Lexicon,
    out: &mut Vec<Token>,
) -> usize {
    // A period after the word, not part of an ellipsis.
    let dots = (end..hi).take_while(|&k| char_at(b, k) == '.').count();
    if dots == 1 || dots == 2 {
        let word = span_text(text, b, start, end);
        let with_dot = span_text(text, b, start, end + 1);
        let listed = match lex.abbreviation(with_dot) {
            Some(Abbrev::BeforeNumber) => b
                .get(end)
                .and_then(|dot| text.get(dot.end..))
                .and_then(|rest| rest.trim_start().chars().next())
                .is_some_and(|c| c.is_ascii_digit()),
            Some(_) => true,
            None => false,
        };
        let dotted = maybe_special && is_dotted_acronym(word);
        let take = listed
            || dotted
            || (dots == 1 && is_initial(b, start, end))
            || (maybe_special
                && dots == 1
                && end + 1 == hi
                && word.len() <= 3
                && word.bytes().all(|c| c.is_ascii_digit())
                && start == 0);
        if take {
            push_chars(out, b, start, end + 1);
            return end + 1;
        }
    }
    // A word cut off by a hyphen ("I kn- I know", "pro- and anti-war").
    if char_at(b, end) == '-'
        && end < hi
        && !(end + 1 < hi && matches!(b.get(end + 1).map(|c| c.class), Some(Class::Letter | Class::Digit)))
        && char_at(b, end + 1) != '-'
        && class_at(b, end - 1) == Class::Letter
    {
        push_chars(out, b, start, end + 1);
        return end + 1;
    }
    match clitic_split(text, b, start, end, lex) {
        Some(split) => {
            push_chars(out, b, start, split);
            push_chars(out, b, split, end);
        }
        None => push_chars(out, b, start, end),
    }
    end
}

/// A single capital letter other than `I` ("J." in "John F. Kennedy").
fn is_initial(b: &[Ch], start: usize, end: usize) -> bool {
    end == start + 1 && b.get(start).is_some_and(|c| c.c.is_uppercase() && c.c != 'I')
}

/// Letters with internal periods, every part at most three letters and one at most
/// two ("U.S", "e.g", "a.m", "Ph.D", "a.k.a").
fn is_dotted_acronym(word: &str) -> bool {
    let mut parts = 0;
    let mut short = false;
    for part in word.split('.') {
        let n = part.chars().count();
        if n == 0 || n > 3 || !part.chars().all(char::is_alphabetic) {
            return false;
        }
        short |= n <= 2;
        parts += 1;
    }
    parts >= 2 && short
}

/// Where the clitic of the word at `start..end` begins, if it has one.
fn clitic_split(text: &str, b: &[Ch], start: usize, end: usize, lex: &Lexicon) -> Option<usize> {
    let lower = |i: usize| char_at(b, i).to_ascii_lowercase();
    let apos = (start + 1..end).rev().find(|&i| char_at(b, i) == '\'');
    match apos {
        Some(a) => {
            let suffix_len = end - a - 1;
            let suffix_is =
                |s: &str| suffix_len == s.len() && s.chars().enumerate().all(|(k, c)| lower(a + 1 + k) == c);
            if suffix_is("s") && class_at(b, a - 1) != Class::Letter {
                None // "70's", "12's" stay whole
            } else if ["s", "m", "d", "re", "ve", "ll"].iter().any(|c| suffix_is(c)) {
                Some(a)
            } else if suffix_is("t") && lower(a - 1) == 'n' && a - 1 > start {
                Some(a - 1)
            } else {
                None
            }
        }
        None => {
            let len = end - start;
            if !(2..=8).contains(&len) {
                return None;
            }
            let first = lex.contraction_split(span_text(text, b, start, end))?;
            (first > 0 && first < len).then_some(start + first)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(text: &str) -> Vec<String> {
        tokenize(text).iter().map(|t| t.form(text).to_string()).collect()
    }

    fn surfaces(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn clitics() {
        assert_eq!(surfaces("I don't know"), ["I", "do", "n't", "know"]);
        assert_eq!(surfaces("can't won't cannot"), ["ca", "n't", "wo", "n't", "can", "not"]);
        assert_eq!(surfaces("gonna"), ["gon", "na"]);
        assert_eq!(
            surfaces("It's we're I'm you've they'll he'd"),
            ["It", "'s", "we", "'re", "I", "'m", "you", "'ve", "they", "'ll", "he", "'d"]
        );
        assert_eq!(surfaces("the parents' house"), ["the", "parents", "'", "house"]);
        assert_eq!(surfaces("O'Brien's"), ["O'Brien", "'s"]);
    }

    #[test]
    fn curly_apostrophes() {
        let text = "Israel\u{2019}s army didn\u{2019}t";
        assert_eq!(surfaces(text), ["Israel", "\u{2019}s", "army", "did", "n\u{2019}t"]);
        assert_eq!(forms(text), ["Israel", "'s", "army", "did", "n't"]);
        assert_eq!(forms("\u{201C}No,\u{201D} he said."), ["\"", "No", ",", "\"", "he", "said", "."]);
    }

    #[test]
    fn abbreviations() {
        assert_eq!(surfaces("U.S. Secretary"), ["U.S.", "Secretary"]);
        assert_eq!(surfaces("Lt. Gen. Prosper Avril"), ["Lt.", "Gen.", "Prosper", "Avril"]);
        assert_eq!(surfaces("John F. Kennedy"), ["John", "F.", "Kennedy"]);
        assert_eq!(surfaces("e.g. this, i.e. that"), ["e.g.", "this", ",", "i.e.", "that"]);
        assert_eq!(surfaces("at 5 p.m., then"), ["at", "5", "p.m.", ",", "then"]);
        assert_eq!(surfaces("Apple Inc. said"), ["Apple", "Inc.", "said"]);
        assert_eq!(surfaces("he said no."), ["he", "said", "no", "."]);
        assert_eq!(surfaces("and so did I."), ["and", "so", "did", "I", "."]);
    }

    #[test]
    fn numbers() {
        assert_eq!(surfaces("1,000 3.5 2024-05-01 10:30"), ["1,000", "3.5", "2024-05-01", "10:30"]);
        assert_eq!(surfaces("$5 5% (.5)"), ["$", "5", "5", "%", "(", ".5", ")"]);
        assert_eq!(surfaces("a 15-year term"), ["a", "15", "-", "year", "term"]);
    }

    #[test]
    fn hyphens() {
        assert_eq!(surfaces("long-term e-mail non-profit"), ["long", "-", "term", "e-mail", "non-profit"]);
        assert_eq!(surfaces("wait--what"), ["wait", "--", "what"]);
    }

    #[test]
    fn urls_and_emails() {
        assert_eq!(surfaces("see https://example.com/a?b=1&c=2)."), ["see", "https://example.com/a?b=1&c=2", ")", "."]);
        assert_eq!(surfaces("(www.example.org)"), ["(", "www.example.org", ")"]);
        assert_eq!(surfaces("mail jo.smith@example.co.uk."), ["mail", "jo.smith@example.co.uk", "."]);
    }

    #[test]
    fn punctuation_runs() {
        assert_eq!(surfaces("Wait... what?!"), ["Wait", "...", "what", "?!"]);
        assert_eq!(surfaces("(yes)"), ["(", "yes", ")"]);
        assert_eq!(surfaces("great :) thanks"), ["great", ":)", "thanks"]);
    }

    #[test]
    fn invisible_and_control() {
        let text = "co\u{00AD}operate \u{200B}\u{0007} a\u{0000}b \u{200E}";
        assert_eq!(surfaces(text), ["co\u{00AD}operate", "a", "b"]);
        assert_eq!(forms(text), ["cooperate", "a", "b"]);
    }

    #[test]
    fn spans_and_space_after() {
        let text = "Hi, there.";
        let toks = tokenize(text);
        let spaced: Vec<bool> = toks.iter().map(|t| t.space_after).collect();
        assert_eq!(spaced, [false, true, false, false]);
    }
}
