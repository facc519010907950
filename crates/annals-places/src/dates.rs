//! Date expressions in news text ("on Saturday", "12 March", "last month", "three days
//! ago", "2024-05-01"): finding them in a sentence and resolving them against the
//! document's publication date. This is where an event gets its "when", so it lives in
//! the places-and-dates stage; it uses the `Date`/`Precision` types of `annals-actors` so
//! event dates compare directly with the lexicons' dated roles.
//!
//! A partial date is represented by its first day together with its precision. The rules,
//! including the choices made for ambiguous cases (news mostly reports the past):
//!
//! - Absolute dates: `1 May 2024`, `1st of May 2024`, `May 1, 2024`, `May 1st, 2024`,
//!   `Saturday, 4 May 2024`, `2024-05-01` (also `2024/05/01`), `May 2024`, `May of 2024`,
//!   `March last year`, `in 2019`. Slash dates with the day first or the month first
//!   (`01/05/2024`) are ambiguous and are not read.
//! - Day and month without a year (`12 March`, `March 12`): the most recent such day not
//!   after the publication date, even when it would fall in the next few days (a sentence
//!   about a coming event will be dated a year early; the text alone rarely tells).
//! - A bare weekday (`Saturday`, `on Saturday`): the latest such day not after the
//!   publication date (the publication day counts). `last Saturday`, `this past Saturday`:
//!   the same but strictly before. `next Saturday`, `this coming Saturday`: the first one
//!   strictly after. `this Saturday`: that day of the publication's ISO week (Monday to
//!   Sunday).
//! - `today`, `tonight`, `this morning/afternoon/evening`, `earlier/later today`: the
//!   publication date; `yesterday`, `last night`: one day before; `the day before
//!   yesterday`: two days before; `tomorrow`: one day after; `the day after tomorrow`: two.
//!   A following `morning/afternoon/evening/night` is part of the expression.
//! - Weeks: `last week`, `this week`, `earlier/later this week`, `next week` resolve to the
//!   Monday of that ISO week with precision Day: a week is represented by its first day,
//!   as a month or a year is; a reader who needs the range adds six days.
//! - `last month`, `this month`, `earlier/later this month`, `next month`: the month
//!   (precision Month); likewise `last/this/next year`, `earlier/later this year` (Year).
//! - A bare month name (`in October`, `October`, `early March`, `mid-March`, `late May`):
//!   the most recent such month not after the publication month. `last October`: the same,
//!   except that when the publication is in October it means October a year earlier.
//!   `next October`: the first October after the publication month. `this October`: the
//!   October of the publication year.
//! - `N days/weeks/months/years ago` (digits, number words up to ninety-nine, `a`/`an`):
//!   precision Day, Day, Month and Year; weeks count as seven days.
//!
//! Against false alarms: a lowercase `may`, `march` or `august` is never a month; a month
//! name needs a day or year after it, or a cue before it (`in`, `on`, `since`, `of`, ...;
//! `May`, `April`, `June` and `August`, which are also names, need a stronger cue:
//! `in`, `since`, `during`, `until`, `throughout`, `of`), except the months that are not
//! common words or names (January, February, July, September to December); a month
//! right after a capitalised word that is not a date word is taken for part of a name
//! (`Theresa May`, `the Long March`). A weekday after `Bloody`, `Black`, `Good`, `Easter`
//! and the like is a named day, and before a newspaper word (`Sunday Times`) a title.
//! A bare year (`in 2019`) needs `in`, `since`, `during`, `until` or `throughout` before
//! it (or `early/late/mid`), so `from 2000 to 2005` is not read, and `in 2000 cases` is
//! misread as a year. A month or year joined by `and`, `or`, `to`, a comma or a dash to a
//! month or year just found counts as cued (`between March and May`, `in 2019 and 2020`),
//! but does not inherit its year (`June 2022 and July`: July is the most recent July).
//!
//! Everything is linear in the input: one tokenising pass, then a left-to-right scan that
//! tries a fixed set of patterns of bounded length at each token.

use annals_actors::date::days_in_month;
use annals_actors::{Date, Precision};

/// A date expression found in a sentence: its byte span and the date it resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Byte offset of the expression's first character in the sentence.
    pub start: usize,
    /// Byte offset just past the expression's last character.
    pub end: usize,
    /// The day the expression means, or the first day of the month, week or year it means.
    pub date: Date,
    pub precision: Precision,
}

/// All date expressions in `sentence`, left to right, non-overlapping, each the longest
/// match at its position, resolved against `publication` (see the module docs for the
/// rules). Leading prepositions (`in`, `on`, `since`) are not part of a span; modifiers
/// that change the meaning (`last`, `next`, `early`, `mid-`) are.
pub fn find_dates(sentence: &str, publication: Date) -> Vec<DateMention> {
    let toks = tokenize(sentence);
    let m = Matcher { toks: &toks, publication: normalise(publication), whole: false };
    let mut out = Vec::new();
    let mut i = 0;
    // End token of the last mention, if it was a month or a year (for "March and May").
    let mut last_list_end: Option<usize> = None;
    while i < toks.len() {
        let chained = last_list_end.is_some_and(|e| {
            e < i && i - e <= 2 && toks.get(e..i).is_some_and(|between| between.iter().all(Tok::is_connector))
        });
        match m.match_at(i, chained) {
            Some(f) if f.end > i => {
                if let (Some(first), Some(last)) = (toks.get(i), toks.get(f.end - 1)) {
                    out.push(DateMention { start: first.start, end: last.end, date: f.date, precision: f.precision });
                }
                last_list_end = f.list.then_some(f.end);
                i = f.end;
            }
            _ => i += 1,
        }
    }
    out
}

/// Resolves one date expression (the whole of `expr`, optionally after a leading
/// preposition such as `in` or `on` and before trailing punctuation) against
/// `publication`. Since the caller says the text is a date, a bare month name or year is
/// enough here and case is not checked, except that a lowercase `may`, `march` or
/// `august` is still not a month. Returns `None` if `expr` is not wholly a date.
pub fn resolve_expression(expr: &str, publication: Date) -> Option<(Date, Precision)> {
    let trimmed = expr.trim().trim_end_matches(['.', ',', ';', ':', '!', '?']).trim_end();
    let toks = tokenize(trimmed);
    let m = Matcher { toks: &toks, publication: normalise(publication), whole: true };
    let whole_from =
        |start: usize| m.match_at(start, false).filter(|f| f.end == toks.len()).map(|f| (f.date, f.precision));
    if toks.is_empty() {
        return None;
    }
    whole_from(0).or_else(|| if toks.len() > 1 && m.word_in(0, LEADING_CUES) { whole_from(1) } else { None })
}

/// Prepositions `resolve_expression` skips at the start of an expression.
const LEADING_CUES: &[&str] = &[
    "in",
    "on",
    "at",
    "since",
    "during",
    "by",
    "from",
    "until",
    "till",
    "of",
    "around",
    "before",
    "after",
    "throughout",
    "through",
];

/// Cues before a bare month name that make it a month, for every month.
const STRONG_MONTH_CUES: &[&str] = &["in", "since", "during", "until", "till", "throughout", "of"];

/// Cues before a bare month name that make it a month, except for the months that are
/// also common names (April, May, June, August: "a letter from May").
const WEAK_MONTH_CUES: &[&str] = &["on", "by", "before", "after", "from", "between", "through", "around"];

/// Cues before a bare four-digit year.
const YEAR_CUES: &[&str] = &["in", "since", "during", "until", "till", "throughout"];

/// Words that may stand, capitalised, right before a month or weekday without making it
/// part of a name.
const DATE_WORDS: &[&str] = &[
    "in",
    "on",
    "at",
    "since",
    "during",
    "until",
    "till",
    "through",
    "throughout",
    "by",
    "before",
    "after",
    "from",
    "between",
    "of",
    "around",
    "early",
    "late",
    "mid",
    "last",
    "next",
    "this",
    "the",
    "and",
    "or",
    "to",
    "for",
    "that",
    "every",
    "each",
    "as",
    "earlier",
    "later",
    "then",
    "but",
    "so",
    "when",
    "while",
    "if",
    "dated",
    "updated",
    "published",
    "posted",
];

/// Capitalised words after a weekday that make it part of a title ("Sunday Times").
const TITLE_WORDS: &[&str] = &[
    "times",
    "telegraph",
    "express",
    "mirror",
    "people",
    "post",
    "herald",
    "observer",
    "independent",
    "mail",
    "star",
    "sport",
    "tribune",
    "standard",
    "business",
    "journal",
    "guardian",
    "world",
    "record",
    "review",
    "edition",
    "magazine",
    "show",
    "school",
    "sun",
    "age",
    "nation",
];

/// Capitalised words before a weekday that make it a named day, not a date.
/// ("Bloody Sunday", "Good Friday": a feast or a historic day, not the latest such weekday).
const NAMED_DAY_WORDS: &[&str] =
    &["bloody", "black", "super", "cyber", "blue", "manic", "good", "easter", "palm", "ash", "holy", "maundy"];

/// Months (1-based) that are rarely anything but months when capitalised, so they need
/// no cue: January, February, July, September, October, November, December.
const SELF_EVIDENT_MONTHS: &[u8] = &[1, 2, 7, 9, 10, 11, 12];

/// Months that are also common given names (April, May, June, August).
const NAME_MONTHS: &[u8] = &[4, 5, 6, 8];

use annals_actors::date::MONTHS as MONTH_NAMES;

const MONTH_ABBREVIATIONS: [(&str, u8); 12] = [
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

const PARTS_OF_DAY: &[&str] = &["morning", "afternoon", "evening", "night"];

const NUMBER_WORDS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS_WORDS: [(&str, i64); 8] = [
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Letters only.
    Word,
    /// ASCII digits only.
    Num,
    /// ASCII digits and an English ordinal suffix: `1st`, `12th`.
    Ord,
    /// One character that is neither a letter, a digit nor whitespace.
    Punct,
    /// Any other run of letters and digits.
    Other,
}

#[derive(Debug, Clone)]
struct Tok<'s> {
    text: &'s str,
    start: usize,
    end: usize,
    kind: Kind,
    /// Value of the leading digits of a `Num` or `Ord` (at most nine digits).
    num: Option<u32>,
    digits: usize,
    /// First character uppercase.
    cap: bool,
    /// Every character lowercase.
    lower: bool,
    /// Month number and whether the word is an abbreviation.
    month: Option<(u8, bool)>,
    /// 0 = Monday .. 6 = Sunday.
    weekday: Option<u8>,
}

impl<'s> Tok<'s> {
    fn new(text: &'s str, start: usize, end: usize) -> Tok<'s> {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        // ASCII digits are one byte each, so `digits` is a char boundary.
        let rest = text.get(digits..).unwrap_or("");
        let first = text.chars().next();
        let kind = if first.is_some_and(|c| !c.is_alphanumeric()) {
            Kind::Punct
        } else if digits == text.len() {
            Kind::Num
        } else if digits > 0 && ["st", "nd", "rd", "th"].iter().any(|s| rest.eq_ignore_ascii_case(s)) {
            Kind::Ord
        } else if text.chars().all(char::is_alphabetic) {
            Kind::Word
        } else {
            Kind::Other
        };
        let num = if (1..=9).contains(&digits) { text.get(..digits).and_then(|d| d.parse().ok()) } else { None };
        let (mut month, mut weekday) = (None, None);
        if kind == Kind::Word && text.len() <= 9 && text.is_ascii() {
            let lower = text.to_ascii_lowercase();
            month = MONTH_NAMES
                .iter()
                .position(|m| *m == lower)
                .map(|p| (p as u8 + 1, false))
                .or_else(|| MONTH_ABBREVIATIONS.iter().find(|(a, _)| *a == lower).map(|&(_, m)| (m, true)));
            weekday = WEEKDAYS.iter().position(|w| *w == lower).map(|p| p as u8);
        }
        Tok {
            text,
            start,
            end,
            kind,
            num,
            digits,
            cap: first.is_some_and(char::is_uppercase),
            lower: text.chars().all(char::is_lowercase),
            month,
            weekday,
        }
    }

    fn is(&self, w: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(w)
    }

    fn is_any(&self, ws: &[&str]) -> bool {
        self.kind == Kind::Word && ws.iter().any(|w| self.text.eq_ignore_ascii_case(w))
    }

    /// Capitalised but not all capitals: the shape of a name (or a sentence's first word).
    fn name_shaped(&self) -> bool {
        self.kind == Kind::Word && self.cap && self.text.chars().skip(1).any(char::is_lowercase)
    }

    /// A lowercase full month name that is not also a common word (`may`, `march`,
    /// `august`).
    fn lowercase_month_ok(&self) -> bool {
        self.lower && matches!(self.month, Some((m, false)) if ![3, 5, 8].contains(&m))
    }

    fn is_connector(&self) -> bool {
        self.is_any(&["and", "or", "to", "through", "until", "till"])
            || (self.kind == Kind::Punct && matches!(self.text, "," | "-" | "–" | "—" | "/" | "&"))
    }
}

/// Splits text into runs of letters and digits and single other characters, skipping
/// whitespace.
fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = start + c.len_utf8();
        if c.is_alphanumeric() {
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_alphanumeric() {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
        }
        if let Some(text) = s.get(start..end) {
            toks.push(Tok::new(text, start, end));
        }
    }
    toks
}

/// A match starting at some token: where it ends (exclusive token index) and its date.
#[derive(Debug, Clone, Copy)]
struct Found {
    end: usize,
    date: Date,
    precision: Precision,
    /// A month or a year, which a following "and May" or "to 2021" may continue.
    list: bool,
}

impl Found {
    fn day(end: usize, date: Date) -> Found {
        Found { end, date, precision: Precision::Day, list: false }
    }
    fn month(end: usize, date: Date) -> Found {
        Found { end, date, precision: Precision::Month, list: true }
    }
    fn year(end: usize, date: Date) -> Found {
        Found { end, date, precision: Precision::Year, list: true }
    }
}

struct Matcher<'a, 's> {
    toks: &'a [Tok<'s>],
    publication: Date,
    /// The text is known to be one date expression (`resolve_expression`): relax the cues.
    whole: bool,
}

impl<'s> Matcher<'_, 's> {
    fn tok(&self, i: usize) -> Option<&Tok<'s>> {
        self.toks.get(i)
    }

    fn word(&self, i: usize, w: &str) -> bool {
        self.tok(i).is_some_and(|t| t.is(w))
    }

    fn word_in(&self, i: usize, ws: &[&str]) -> bool {
        self.tok(i).is_some_and(|t| t.is_any(ws))
    }

    fn punct(&self, i: usize, p: &str) -> bool {
        self.tok(i).is_some_and(|t| t.kind == Kind::Punct && t.text == p)
    }

    fn prev_word_in(&self, i: usize, ws: &[&str]) -> bool {
        i > 0 && self.word_in(i - 1, ws)
    }

    /// Token `i` starts exactly where token `i - 1` ends.
    fn touches_prev(&self, i: usize) -> bool {
        i > 0 && matches!((self.tok(i - 1), self.tok(i)), (Some(a), Some(b)) if a.end == b.start)
    }

    fn is_num(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| t.kind == Kind::Num)
    }

    /// Number token `i` is part of a larger number, time or amount: `12:30`, `1.5`,
    /// `1,000`, `3/4`, `12%`.
    fn glued_number(&self, i: usize) -> bool {
        let glue =
            |k: usize| self.tok(k).is_some_and(|t| t.kind == Kind::Punct && matches!(t.text, ":" | "." | "," | "/"));
        let after = self.touches_prev(i + 1)
            && (self.punct(i + 1, "%") || (glue(i + 1) && self.touches_prev(i + 2) && self.is_num(i + 2)));
        let before = i >= 2 && self.touches_prev(i) && glue(i - 1) && self.touches_prev(i - 1) && self.is_num(i - 2);
        after || before
    }

    /// A day of the month at token `i`: `1`..`31`, `01`, `1st`.
    fn day_num(&self, i: usize) -> Option<u8> {
        let t = self.tok(i)?;
        if !matches!(t.kind, Kind::Num | Kind::Ord) || t.digits > 2 || self.glued_number(i) {
            return None;
        }
        let v = t.num?;
        if (1..=31).contains(&v) {
            u8::try_from(v).ok()
        } else {
            None
        }
    }

    /// A four-digit year in `lo..=hi` at token `i`.
    fn year4(&self, i: usize, lo: u32, hi: u32) -> Option<i32> {
        let t = self.tok(i)?;
        // Not the start of a `2024-05-01` date either.
        if t.kind != Kind::Num || t.digits != 4 || self.glued_number(i) || self.iso(i).is_some() {
            return None;
        }
        let v = t.num?;
        if (lo..=hi).contains(&v) {
            i32::try_from(v).ok()
        } else {
            None
        }
    }

    /// `[of] last/this/next year` at token `i`: the year and the token after.
    fn relative_year(&self, i: usize) -> Option<(i32, usize)> {
        let j = if self.word(i, "of") { i + 1 } else { i };
        let delta = if self.word(j, "last") {
            -1
        } else if self.word(j, "this") {
            0
        } else if self.word(j, "next") {
            1
        } else {
            return None;
        };
        if !self.word(j + 1, "year") {
            return None;
        }
        Some((self.publication.year.checked_add(delta)?, j + 2))
    }

    /// Index after an optional part of the day (`morning`, `night`) at token `i`.
    fn part_of_day(&self, i: usize) -> usize {
        if self.word_in(i, PARTS_OF_DAY) {
            i + 1
        } else {
            i
        }
    }

    /// A capitalised word right before token `i` that is not a date word: token `i` is
    /// then the second word of a name ("Theresa May", "Bloody Sunday").
    fn after_name(&self, i: usize) -> bool {
        !self.whole
            && i > 0
            && self
                .tok(i - 1)
                .is_some_and(|p| p.name_shaped() && !p.is_any(DATE_WORDS) && p.month.is_none() && p.weekday.is_none())
    }

    /// The longest date expression starting at token `i`.
    fn match_at(&self, i: usize, chained: bool) -> Option<Found> {
        let candidates = [
            self.iso(i),
            self.day_first(i),
            self.month_first(i, chained),
            self.weekday(i),
            self.modifier(i),
            self.relative_day(i),
            self.ago(i),
            self.bare_year(i, chained),
        ];
        candidates.into_iter().flatten().fold(None, |best: Option<Found>, f| match best {
            Some(b) if b.end >= f.end => Some(b),
            _ => Some(f),
        })
    }

    /// `2024-05-01`, `2024/05/01`.
    fn iso(&self, i: usize) -> Option<Found> {
        let y = self.tok(i)?;
        if y.kind != Kind::Num || y.digits != 4 {
            return None;
        }
        let sep = self.tok(i + 1)?.text;
        if !matches!(sep, "-" | "/") || !self.punct(i + 3, sep) {
            return None;
        }
        let two = |k: usize| self.tok(k).is_some_and(|t| t.kind == Kind::Num && (1..=2).contains(&t.digits));
        if !two(i + 2) || !two(i + 4) || !(i + 1..=i + 4).all(|k| self.touches_prev(k)) {
            return None;
        }
        // Not part of a longer run of numbers and separators.
        let glue = |k: usize| self.tok(k).is_some_and(|t| t.kind == Kind::Punct && matches!(t.text, "-" | "/" | "."));
        if i >= 2 && self.touches_prev(i) && glue(i - 1) && self.touches_prev(i - 1) && self.is_num(i - 2) {
            return None;
        }
        if self.touches_prev(i + 5) && glue(i + 5) && self.touches_prev(i + 6) && self.is_num(i + 6) {
            return None;
        }
        let year = i32::try_from(y.num?).ok()?;
        let month = u8::try_from(self.tok(i + 2)?.num?).ok()?;
        let day = u8::try_from(self.tok(i + 4)?.num?).ok()?;
        Some(Found::day(i + 5, Date::new(year, month, day)?))
    }

    /// `12 March`, `12th March 2024`, `1st of May`, `the 12th of March last year`.
    fn day_first(&self, i: usize) -> Option<Found> {
        let mut j = i;
        if self.word(j, "the") {
            j += 1;
            if self.tok(j)?.kind != Kind::Ord {
                return None;
            }
        }
        let day = self.day_num(j)?;
        let mut k = j + 1;
        if self.tok(j)?.kind == Kind::Ord && self.word(k, "of") {
            k += 1;
        }
        let (month, after) = self.month_word(k, true)?;
        let (year, end) = if let Some(y) = self.year4(after, 1000, 2999) {
            (Some(y), after + 1)
        } else if let Some((y, e)) = self.relative_year(after) {
            (Some(y), e)
        } else {
            (None, after)
        };
        let date = match year {
            Some(y) => Date::new(y, month, day)?,
            None => self.recent_day(month, day)?,
        };
        Some(Found::day(end, date))
    }

    /// A month name at token `i` usable before a number (`with_number`) or alone: its
    /// number and the index after it (and after an abbreviation's dot).
    fn month_word(&self, i: usize, with_number: bool) -> Option<(u8, usize)> {
        let t = self.tok(i)?;
        let (month, abbreviated) = t.month?;
        let shape_ok = if abbreviated {
            t.cap && with_number
        } else {
            t.cap || (t.lowercase_month_ok() && (with_number || self.whole))
        };
        if !shape_ok || self.after_name(i) {
            return None;
        }
        let after = if abbreviated && self.punct(i + 1, ".") && self.touches_prev(i + 1) { i + 2 } else { i + 1 };
        Some((month, after))
    }

    /// `March 12`, `March 12, 2024`, `March 2024`, `March of last year`, and a bare
    /// `March` when cued (`cued`: by a modifier or a list the caller saw).
    fn month_first(&self, i: usize, cued: bool) -> Option<Found> {
        let (month, k) = self.month_word(i, true)?;
        let abbreviated = self.tok(i)?.month.is_some_and(|(_, a)| a);
        if let Some(day) = self.day_num(k) {
            let mut j = k + 1;
            if self.punct(j, ",") {
                j += 1;
            }
            let (year, end) = if let Some(y) = self.year4(j, 1000, 2999) {
                (Some(y), j + 1)
            } else if let Some((y, e)) = self.relative_year(k + 1) {
                (Some(y), e)
            } else {
                (None, k + 1)
            };
            // "In March 12 people were killed": after "in", a plain number followed by a
            // word is a count, not a day.
            let count_not_day = year.is_none()
                && self.prev_word_in(i, &["in"])
                && self.tok(k).is_some_and(|t| t.kind == Kind::Num)
                && self.tok(k + 1).is_some_and(|t| t.kind == Kind::Word);
            if !count_not_day {
                let date = match year {
                    Some(y) => Date::new(y, month, day),
                    None => self.recent_day(month, day),
                };
                return date.map(|d| Found::day(end, d));
            }
        }
        let mut j = k;
        if self.punct(j, ",") || self.word(j, "of") {
            j += 1;
        }
        if let Some(y) = self.year4(j, 1000, 2999) {
            return Some(Found::month(j + 1, Date::new(y, month, 1)?));
        }
        if let Some((y, e)) = self.relative_year(k) {
            return Some(Found::month(e, Date::new(y, month, 1)?));
        }
        if abbreviated || !self.bare_month_ok(i, month, cued) {
            return None;
        }
        Some(Found::month(k, self.recent_month(month)?))
    }

    /// Whether a month name at `i` with no day or year is a month here.
    fn bare_month_ok(&self, i: usize, month: u8, cued: bool) -> bool {
        let Some(t) = self.tok(i) else { return false };
        if self.whole {
            return t.cap || t.lowercase_month_ok();
        }
        if !t.cap {
            return false;
        }
        // "March for Our Lives", "the March on Washington".
        if month == 3 && self.word_in(i + 1, &["for", "on", "against", "to", "through"]) {
            return false;
        }
        let cue = self.prev_word_in(i, STRONG_MONTH_CUES)
            || (!NAME_MONTHS.contains(&month) && self.prev_word_in(i, WEAK_MONTH_CUES));
        if cued || cue {
            return true;
        }
        // Uncued: only the self-evident months, and not "31 November" or "October Revolution".
        SELF_EVIDENT_MONTHS.contains(&month)
            && !(i > 0 && self.is_num(i - 1))
            && !self.tok(i + 1).is_some_and(|n| n.name_shaped() && n.month.is_none() && n.weekday.is_none())
    }

    /// A weekday name at token `i` that is not part of a title or a named day.
    fn weekday_at(&self, i: usize) -> Option<u8> {
        let t = self.tok(i)?;
        let w = t.weekday?;
        if self.whole {
            return Some(w);
        }
        // No general name test here, unlike months: "told Reuters Monday" is a date.
        if !t.cap || (i > 0 && self.tok(i - 1).is_some_and(|p| p.cap && p.is_any(NAMED_DAY_WORDS))) {
            return None;
        }
        if self.tok(i + 1).is_some_and(|n| n.cap && n.is_any(TITLE_WORDS)) {
            return None;
        }
        Some(w)
    }

    /// `Saturday`, `Saturday night`, `Saturday, 4 May 2024`, `Saturday May 4`.
    fn weekday(&self, i: usize) -> Option<Found> {
        let w = self.weekday_at(i)?;
        let j = if self.punct(i + 1, ",") { i + 2 } else { i + 1 };
        if let Some(f) =
            self.day_first(j).or_else(|| self.month_first(j, false).filter(|f| f.precision == Precision::Day))
        {
            return Some(f);
        }
        let date = self.weekday_not_after(w)?;
        Some(Found::day(self.part_of_day(i + 1), date))
    }

    /// `last/next/this` + weekday, week, month, year, month name; `last night`;
    /// `this morning`; `earlier/later today/this week`; `early/late/mid(-)` + month or year.
    fn modifier(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        if t.kind != Kind::Word {
            return None;
        }
        if t.is_any(&["last", "next", "this"]) {
            let delta: i64 = if t.is("last") {
                -1
            } else if t.is("next") {
                1
            } else {
                0
            };
            // "the last week", "the next month": a span, not a calendar unit.
            if delta != 0 && self.prev_word_in(i, &["the"]) {
                return None;
            }
            return self.unit_after(i + 1, delta);
        }
        if t.is_any(&["earlier", "later"]) {
            if self.word(i + 1, "today") {
                return Some(Found::day(i + 2, self.publication));
            }
            if self.word(i + 1, "this") && self.word_in(i + 2, &["week", "month", "year"]) {
                return self.unit_after(i + 2, 0);
            }
            return None;
        }
        if t.is_any(&["early", "late", "mid"]) {
            let mut j = i + 1;
            if self.punct(j, "-") && self.touches_prev(j) && self.touches_prev(j + 1) {
                j += 1;
            }
            if let Some(f) = self.month_first(j, true) {
                return Some(f);
            }
            if let Some(y) = self.year4(j, 1000, 2999) {
                return Some(Found::year(j + 1, Date::new(y, 1, 1)?));
            }
        }
        None
    }

    /// What follows `last` (`delta` -1), `this` (0) or `next` (1), starting at token `j`.
    fn unit_after(&self, j: usize, delta: i64) -> Option<Found> {
        let p = self.publication;
        let this = delta == 0;
        // "this past Saturday", "this coming Saturday".
        if this && self.word_in(j, &["past", "coming"]) {
            let w = self.weekday_at(j + 1)?;
            let date = if self.word(j, "past") { self.weekday_before(w)? } else { self.weekday_after(w)? };
            return Some(Found::day(self.part_of_day(j + 2), date));
        }
        if let Some(w) = self.weekday_at(j) {
            let date = match delta {
                -1 => self.weekday_before(w)?,
                1 => self.weekday_after(w)?,
                _ => self.weekday_this_week(w)?,
            };
            return Some(Found::day(self.part_of_day(j + 1), date));
        }
        if self.word(j, "week") {
            let monday = days_from_civil(p) - weekday_of(days_from_civil(p)) + 7 * delta;
            return Some(Found::day(j + 1, civil_from_days(monday)?));
        }
        if self.word(j, "month") {
            let (y, m) = add_months(p.year, p.month, delta)?;
            return Some(Found::month(j + 1, Date::new(y, m, 1)?));
        }
        if self.word(j, "year") {
            let y = p.year.checked_add(i32::try_from(delta).ok()?)?;
            return Some(Found::year(j + 1, Date::new(y, 1, 1)?));
        }
        if delta == -1 && self.word(j, "night") {
            return Some(Found::day(j + 1, civil_from_days(days_from_civil(p) - 1)?));
        }
        if this && self.word_in(j, &["morning", "afternoon", "evening"]) {
            return Some(Found::day(j + 1, p));
        }
        let t = self.tok(j)?;
        let (m, abbreviated) = t.month?;
        if abbreviated || !(t.cap || t.lowercase_month_ok()) {
            return None;
        }
        let year = match delta {
            -1 if m >= p.month => p.year.checked_sub(1)?,
            1 if m <= p.month => p.year.checked_add(1)?,
            _ => p.year,
        };
        Some(Found::month(j + 1, Date::new(year, m, 1)?))
    }

    /// `today`, `tonight`, `yesterday (morning)`, `tomorrow`, `the day before yesterday`,
    /// `the day after tomorrow`.
    fn relative_day(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        let p = days_from_civil(self.publication);
        if t.is("the") && self.word(i + 1, "day") {
            let offset = if self.word(i + 2, "before") && self.word(i + 3, "yesterday") {
                -2
            } else if self.word(i + 2, "after") && self.word(i + 3, "tomorrow") {
                2
            } else {
                return None;
            };
            return Some(Found::day(self.part_of_day(i + 4), civil_from_days(p + offset)?));
        }
        let offset = if t.is("today") {
            // "USA Today", "the Today programme".
            let title = |w: &Tok<'_>| w.is("the") || (w.cap && w.kind == Kind::Word && !w.is_any(DATE_WORDS));
            if !self.whole && t.name_shaped() && i > 0 && self.tok(i - 1).is_some_and(title) {
                return None;
            }
            0
        } else if t.is("tonight") {
            return Some(Found::day(i + 1, self.publication));
        } else if t.is("yesterday") {
            -1
        } else if t.is("tomorrow") {
            1
        } else {
            return None;
        };
        Some(Found::day(self.part_of_day(i + 1), civil_from_days(p + offset)?))
    }

    /// A count at token `i` (`3`, `three`, `twenty-one`, `a`) and the index after it.
    fn count(&self, i: usize) -> Option<(i64, usize)> {
        let t = self.tok(i)?;
        if t.kind == Kind::Num {
            if t.digits > 6 || self.glued_number(i) {
                return None;
            }
            return Some((i64::from(t.num?), i + 1));
        }
        if t.is_any(&["a", "an"]) {
            return Some((1, i + 1));
        }
        if let Some(v) = NUMBER_WORDS.iter().position(|w| t.is(w)) {
            return Some((i64::try_from(v).ok()?, i + 1));
        }
        let tens = TENS_WORDS.iter().find(|(w, _)| t.is(w))?.1;
        if self.punct(i + 1, "-") && self.touches_prev(i + 1) && self.touches_prev(i + 2) {
            if let Some(u) = self.tok(i + 2).and_then(|u| NUMBER_WORDS.iter().take(10).position(|w| u.is(w))) {
                return Some((tens + i64::try_from(u).ok()?, i + 3));
            }
        }
        Some((tens, i + 1))
    }

    /// `3 days ago`, `two weeks ago`, `a month ago`, `twenty-one years ago`.
    fn ago(&self, i: usize) -> Option<Found> {
        let (n, j) = self.count(i)?;
        if !self.word(j + 1, "ago") {
            return None;
        }
        let unit = self.tok(j)?;
        let singular_only = self.word_in(i, &["a", "an"]);
        let unit_is =
            |u: &str| unit.is(u) || (!singular_only && unit.text.len() == u.len() + 1 && unit.is(&format!("{u}s")));
        let p = self.publication;
        let end = j + 2;
        if unit_is("day") {
            Some(Found::day(end, civil_from_days(days_from_civil(p) - n)?))
        } else if unit_is("week") {
            Some(Found::day(end, civil_from_days(days_from_civil(p) - 7 * n)?))
        } else if unit_is("month") {
            let (y, m) = add_months(p.year, p.month, -n)?;
            Some(Found::month(end, Date::new(y, m, 1)?))
        } else if unit_is("year") {
            let y = i32::try_from(i64::from(p.year) - n).ok()?;
            Some(Found::year(end, Date::new(y, 1, 1)?))
        } else {
            None
        }
    }

    /// A four-digit year after a cue (`in 2019`), in a list (`2019 and 2020`), or alone in
    /// `resolve_expression`.
    fn bare_year(&self, i: usize, chained: bool) -> Option<Found> {
        let y = if self.whole {
            self.year4(i, 1000, 2999)?
        } else if chained || self.prev_word_in(i, YEAR_CUES) {
            self.year4(i, 1900, 2100)?
        } else {
            return None;
        };
        Some(Found::year(i + 1, Date::new(y, 1, 1)?))
    }

    /// The most recent `day month` not after the publication date (29 February looks back
    /// up to eight years for a leap year).
    fn recent_day(&self, month: u8, day: u8) -> Option<Date> {
        (0..=8).find_map(|back| {
            let y = self.publication.year.checked_sub(back)?;
            Date::new(y, month, day).filter(|d| *d <= self.publication)
        })
    }

    /// The most recent `month` not after the publication month.
    fn recent_month(&self, month: u8) -> Option<Date> {
        let p = self.publication;
        let y = if month <= p.month { p.year } else { p.year.checked_sub(1)? };
        Date::new(y, month, 1)
    }

    /// The latest weekday `w` not after the publication date.
    fn weekday_not_after(&self, w: u8) -> Option<Date> {
        let p = days_from_civil(self.publication);
        civil_from_days(p - (weekday_of(p) - i64::from(w)).rem_euclid(7))
    }

    /// The latest weekday `w` strictly before the publication date.
    fn weekday_before(&self, w: u8) -> Option<Date> {
        let p = days_from_civil(self.publication);
        let back = (weekday_of(p) - i64::from(w)).rem_euclid(7);
        civil_from_days(p - if back == 0 { 7 } else { back })
    }

    /// The first weekday `w` strictly after the publication date.
    fn weekday_after(&self, w: u8) -> Option<Date> {
        let p = days_from_civil(self.publication);
        let ahead = (i64::from(w) - weekday_of(p)).rem_euclid(7);
        civil_from_days(p + if ahead == 0 { 7 } else { ahead })
    }

    /// Weekday `w` of the publication's ISO week (Monday to Sunday).
    fn weekday_this_week(&self, w: u8) -> Option<Date> {
        let p = days_from_civil(self.publication);
        civil_from_days(p - weekday_of(p) + i64::from(w))
    }
}

/// A publication date with its month and day clamped into range, so arithmetic on a
/// malformed `Date` still means something and never panics.
fn normalise(p: Date) -> Date {
    let month = p.month.clamp(1, 12);
    let day = p.day.clamp(1, days_in_month(p.year, month));
    Date { year: p.year, month, day }
}

/// `month + delta` months, as (year, month).
fn add_months(year: i32, month: u8, delta: i64) -> Option<(i32, u8)> {
    let total = i64::from(year) * 12 + i64::from(month) - 1 + delta;
    let y = i32::try_from(total.div_euclid(12)).ok()?;
    let m = u8::try_from(total.rem_euclid(12) + 1).ok()?;
    Some((y, m))
}

/// Days since 1970-01-01 of a civil (proleptic Gregorian) date (H. Hinnant's algorithm).
fn days_from_civil(d: Date) -> i64 {
    let m = i64::from(d.month);
    let y = i64::from(d.year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `z` days after 1970-01-01; `None` outside the years an `i32` holds.
fn civil_from_days(z: i64) -> Option<Date> {
    let z = z.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe.checked_add(era.checked_mul(400)?)? + i64::from(month <= 2);
    Date::new(i32::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
}

/// 0 = Monday .. 6 = Sunday, for days since 1970-01-01 (a Thursday).
fn weekday_of(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_arithmetic_round_trips() {
        for z in -800_000..800_000 {
            let d = civil_from_days(z).unwrap();
            assert_eq!(days_from_civil(d), z);
        }
        assert_eq!(days_from_civil(Date::new(1970, 1, 1).unwrap()), 0);
        assert_eq!(weekday_of(days_from_civil(Date::new(2024, 5, 4).unwrap())), 5);
        assert_eq!(add_months(2024, 1, -1), Some((2023, 12)));
        assert_eq!(add_months(2023, 12, 1), Some((2024, 1)));
    }
}
