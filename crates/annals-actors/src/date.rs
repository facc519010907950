//! Calendar dates at day, month or year precision, as lexicon role bounds and document
//! dates use them, with parsing of the common written forms.

/// A calendar day. Partial dates widen to the first or last day of their month or
/// year depending on which end of a range they bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// How much of a date was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// English month names, lower case, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `D Month YYYY`, `Month D, YYYY` and
    /// `Month YYYY` (month names in any case, full or three letters). Returns the
    /// earliest day the text can mean and its precision.
    pub fn parse(text: &str) -> Option<(Date, Precision)> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let parts: Vec<&str> = t.split('-').collect();
        if parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            let year: i32 = parts.first()?.parse().ok()?;
            if parts[0].len() != 4 {
                return None;
            }
            return match parts.len() {
                1 => Some((Date { year, month: 1, day: 1 }, Precision::Year)),
                2 => Some((Date::new(year, parts[1].parse().ok()?, 1)?, Precision::Month)),
                3 => Some((Date::new(year, parts[1].parse().ok()?, parts[2].parse().ok()?)?, Precision::Day)),
                _ => None,
            };
        }
        let words: Vec<String> =
            t.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
        let month_of = |w: &str| {
            let w = w.trim_end_matches('.');
            MONTHS.iter().position(|m| *m == w || (w.len() == 3 && m.starts_with(w))).map(|i| i as u8 + 1)
        };
        let num = |w: &str| w.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse::<u32>().ok();
        match words.as_slice() {
            [d, m, y] if month_of(m).is_some() => {
                let date = Date::new(num(y)? as i32, month_of(m)?, num(d)? as u8)?;
                Some((date, Precision::Day))
            }
            [m, d, y] if month_of(m).is_some() => {
                let date = Date::new(num(y)? as i32, month_of(m)?, num(d)? as u8)?;
                Some((date, Precision::Day))
            }
            [m, y] if month_of(m).is_some() => Some((Date::new(num(y)? as i32, month_of(m)?, 1)?, Precision::Month)),
            _ => None,
        }
    }

    /// The last day that a date written at `precision` can mean.
    pub fn end_of(self, precision: Precision) -> Date {
        match precision {
            Precision::Day => self,
            Precision::Month => Date { day: days_in_month(self.year, self.month), ..self },
            Precision::Year => Date { month: 12, day: 31, ..self },
        }
    }
}

impl Precision {
    /// The schema's name of the precision: `day`, `month` or `year`.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }
}

impl Date {
    /// ISO 8601 at a precision: `2024-05-01`, `2023-10` or `2023`.
    pub fn format(self, precision: Precision) -> String {
        match precision {
            Precision::Day => self.to_string(),
            Precision::Month => format!("{:04}-{:02}", self.year, self.month),
            Precision::Year => format!("{:04}", self.year),
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_written_forms() {
        let d = |y, m, dd| Date::new(y, m, dd).unwrap();
        assert_eq!(Date::parse("2024-05-01"), Some((d(2024, 5, 1), Precision::Day)));
        assert_eq!(Date::parse("2023-10"), Some((d(2023, 10, 1), Precision::Month)));
        assert_eq!(Date::parse("1999"), Some((d(1999, 1, 1), Precision::Year)));
        assert_eq!(Date::parse("10 May 2015"), Some((d(2015, 5, 10), Precision::Day)));
        assert_eq!(Date::parse("1 july 2021"), Some((d(2021, 7, 1), Precision::Day)));
        assert_eq!(Date::parse("January 1, 2003"), Some((d(2003, 1, 1), Precision::Day)));
        assert_eq!(Date::parse("Oct 2023"), Some((d(2023, 10, 1), Precision::Month)));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2024-02-29").map(|x| x.0), Some(d(2024, 2, 29)));
        assert_eq!(Date::parse("yesterday"), None);
        assert_eq!(Date::parse("12-05-2020"), None);
        assert_eq!(d(2023, 2, 1).end_of(Precision::Month), d(2023, 2, 28));
        assert_eq!(d(2024, 1, 1).end_of(Precision::Year), d(2024, 12, 31));
    }
}
