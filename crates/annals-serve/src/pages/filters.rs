//! The filters of the dashboard's pages: reading them from the query string, checking
//! them (a bad value is a message for the page and a 400, never a 500), turning them into
//! an [`EventQuery`], writing them back into links, and the filter form itself.
//!
//! The values mean what the store's filters mean (`annals_store::EventQuery`): an actor
//! value matches a country, sector, org or name; `dyad` is `A,B`; dates are ISO dates or
//! their prefixes (`2024`, `2024-05`), `until` taking in every date that starts with it.

use std::fmt::Write as _;

use annals_events::EventType;
use annals_store::EventQuery;

use super::common::{href, Params};
use crate::html::escape;

/// Longest value a text filter takes, in characters.
const MAX_VALUE_CHARS: usize = 200;

/// A field of the filter form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Source,
    Target,
    Dyad,
    Type,
    Since,
    Until,
    Place,
    Text,
}

impl Field {
    /// The parameter name, also the input's `id`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::Source => "source",
            Field::Target => "target",
            Field::Dyad => "dyad",
            Field::Type => "type",
            Field::Since => "since",
            Field::Until => "until",
            Field::Place => "place",
            Field::Text => "text",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::Source => "Source actor",
            Field::Target => "Target actor",
            Field::Dyad => "Dyad (source,target)",
            Field::Type => "Event type",
            Field::Since => "Since",
            Field::Until => "Until",
            Field::Place => "Place",
            Field::Text => "Words in the evidence",
        }
    }

    fn placeholder(self) -> &'static str {
        match self {
            Field::Source | Field::Target => "ISR, GOV, Hamas…",
            Field::Dyad => "USA,ISR",
            Field::Since | Field::Until => "YYYY-MM-DD",
            Field::Place => "Gaza or PSE",
            Field::Text => "ceasefire",
            Field::Type => "",
        }
    }
}

/// Every field, in the form's order.
pub(crate) const ALL_FIELDS: [Field; 8] =
    [Field::Source, Field::Target, Field::Dyad, Field::Type, Field::Since, Field::Until, Field::Place, Field::Text];

/// A problem with one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// The parameter, also the `id` of its input when the form has one.
    pub param: &'static str,
    pub message: String,
}

/// The checked filters of a request, with the values as the user typed them (trimmed)
/// to fill the form again.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filters {
    pub fields: Vec<Field>,
    pub values: Vec<(Field, String)>,
    pub query: EventQuery,
    pub errors: Vec<FieldError>,
}

impl Filters {
    /// Reads `fields` from `params`; parameters of other fields are ignored.
    pub(crate) fn parse(params: &Params, fields: &[Field]) -> Filters {
        let mut f = Filters { fields: fields.to_vec(), ..Filters::default() };
        for &field in fields {
            let Some(raw) = params.get(field.name()) else { continue };
            f.values.push((field, raw.to_string()));
            if raw.chars().count() > MAX_VALUE_CHARS {
                f.error(field.name(), format!("{}: at most {MAX_VALUE_CHARS} characters, please.", field.label()));
                continue;
            }
            let value = raw.to_string();
            match field {
                Field::Source => f.query.source = Some(value),
                Field::Target => f.query.target = Some(value),
                Field::Dyad => match value.split_once(',') {
                    Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() && !b.contains(',') => {
                        f.query.dyad = Some((a.trim().to_string(), b.trim().to_string()))
                    }
                    _ => f.error(
                        "dyad",
                        format!("Dyad: expected two actors separated by a comma, like USA,ISR (got “{raw}”)."),
                    ),
                },
                Field::Type => match EventType::parse(raw) {
                    Some(t) => f.query.event_type = Some(t.as_str().to_string()),
                    None => f.error("type", format!("Event type: “{raw}” is not one of the 16 PLOVER types.")),
                },
                Field::Since | Field::Until => {
                    if is_date_prefix(raw) {
                        if field == Field::Since {
                            f.query.since = Some(value);
                        } else {
                            f.query.until = Some(value);
                        }
                    } else {
                        f.error(
                            field.name(),
                            format!(
                                "{}: expected a date like 2024-05-01, 2024-05 or 2024 (got “{raw}”).",
                                field.label()
                            ),
                        );
                    }
                }
                Field::Place => f.query.place = Some(value),
                Field::Text => f.query.text = Some(value),
            }
        }
        if let (Some(s), Some(u)) = (&f.query.since, &f.query.until) {
            if s.as_str() > u.as_str() && !s.starts_with(u.as_str()) {
                f.error("until", format!("Until ({u}) is before since ({s})."));
            }
        }
        f
    }

    pub(crate) fn error(&mut self, param: &'static str, message: String) {
        self.errors.push(FieldError { param, message });
    }

    pub(crate) fn value(&self, field: Field) -> &str {
        self.values.iter().find(|(f, _)| *f == field).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// The filters as (name, value) pairs for links.
    pub(crate) fn pairs(&self) -> Vec<(&'static str, &str)> {
        self.values.iter().map(|(f, v)| (f.name(), v.as_str())).collect()
    }

    /// A link to `path` with these filters and `extra` pairs.
    pub(crate) fn href(&self, path: &str, extra: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(&str, &str)> = self.pairs();
        pairs.extend_from_slice(extra);
        href(path, &pairs)
    }

    /// A link to `path` with these filters but `replaced`, and `extra` pairs.
    pub(crate) fn href_replacing(&self, path: &str, replaced: Field, extra: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(&str, &str)> =
            self.values.iter().filter(|(f, _)| *f != replaced).map(|(f, v)| (f.name(), v.as_str())).collect();
        pairs.extend_from_slice(extra);
        href(path, &pairs)
    }

    /// Whether any filter is set.
    pub(crate) fn any(&self) -> bool {
        !self.values.is_empty()
    }
}

/// Whether `s` is an ISO date or a prefix of one: `2024`, `2024-05` or `2024-05-01`, with
/// a real month and day.
pub(crate) fn is_date_prefix(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [_, _, _] => parse_ymd(s).is_some(),
        _ => false,
    }
}

/// A full ISO date `YYYY-MM-DD` with a real month and day.
pub(crate) fn parse_ymd(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    if !(y.bytes().chain(m.bytes()).chain(d.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m, d) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?, d.parse::<u32>().ok()?);
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some((y, m, d))
}

pub(crate) fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// The list of errors at the top of a form, each linking to its field.
pub(crate) fn error_summary(errors: &[FieldError]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\">\
         <h2 id=\"error-summary-title\">Please check the form</h2><ul>",
    );
    for e in errors {
        let _ = write!(out, "<li><a href=\"#{}\">{}</a></li>", e.param, escape(&e.message));
    }
    out += "</ul></div>\n";
    out
}

/// The `<option>`s of the 16 PLOVER types, grouped by quad class, `selected` marked.
fn type_options(selected: &str) -> String {
    let groups: [(&str, &[&str]); 4] = [
        ("Verbal cooperation", &["AGREE", "CONSULT", "SUPPORT", "CONCEDE"]),
        ("Material cooperation", &["COOPERATE", "AID", "RETREAT"]),
        ("Verbal conflict", &["REQUEST", "ACCUSE", "REJECT", "THREATEN", "SANCTION"]),
        ("Material conflict", &["PROTEST", "MOBILIZE", "COERCE", "ASSAULT"]),
    ];
    let mut out = String::from("<option value=\"\">any type</option>");
    for (label, types) in groups {
        let _ = write!(out, "<optgroup label=\"{label}\">");
        for t in types {
            let sel = if t.eq_ignore_ascii_case(selected) { " selected=\"selected\"" } else { "" };
            let _ = write!(out, "<option value=\"{t}\"{sel}>{t}</option>");
        }
        out += "</optgroup>";
    }
    out
}

/// The filter form (`form.filters`, GET to `action`) with `filters`' fields and values,
/// its errors next to their fields, `hidden` pairs kept, and the submit button `#apply`.
pub(crate) fn filter_form(action: &str, filters: &Filters, hidden: &[(&str, &str)]) -> String {
    filter_form_with(action, filters, hidden, "")
}

/// A text input of a form, in its `div.field` with its label and error.
pub(crate) fn text_field(name: &str, label: &str, value: &str, placeholder: &str, errors: &[FieldError]) -> String {
    let mut out = format!("<div class=\"field\"><label for=\"{name}\">{}</label>", escape(label));
    let error = errors.iter().find(|e| e.param == name);
    let described = match error {
        Some(_) => format!(" aria-invalid=\"true\" aria-describedby=\"{name}-error\""),
        None => String::new(),
    };
    let _ = write!(
        out,
        "<input id=\"{name}\" name=\"{name}\" value=\"{}\" placeholder=\"{}\" autocomplete=\"off\"{described} />",
        escape(value),
        escape(placeholder)
    );
    if let Some(e) = error {
        let _ = write!(out, "<p class=\"error field-error\" id=\"{name}-error\">{}</p>", escape(&e.message));
    }
    out += "</div>\n";
    out
}

/// [`filter_form`] with `leading` fields (trusted HTML) before the filters' own.
pub(crate) fn filter_form_with(action: &str, filters: &Filters, hidden: &[(&str, &str)], leading: &str) -> String {
    let mut out =
        format!("<form class=\"filters\" method=\"get\" action=\"{}\" aria-label=\"Filters\">\n", escape(action));
    for (k, v) in hidden {
        if !v.is_empty() {
            let _ = writeln!(out, "<input type=\"hidden\" name=\"{}\" value=\"{}\" />", escape(k), escape(v));
        }
    }
    out += leading;
    for &field in &filters.fields {
        let name = field.name();
        let value = filters.value(field);
        let error = filters.errors.iter().find(|e| e.param == name);
        let described = match error {
            Some(_) => format!(" aria-invalid=\"true\" aria-describedby=\"{name}-error\""),
            None => String::new(),
        };
        let _ = write!(out, "<div class=\"field\"><label for=\"{name}\">{}</label>", field.label());
        match field {
            Field::Type => {
                let _ = write!(out, "<select id=\"type\" name=\"type\"{described}>{}</select>", type_options(value));
            }
            _ => {
                let extra = match field {
                    Field::Since | Field::Until => {
                        // Plain text, checked by the server: a date input cannot take "2024-05",
                        // and a numeric keypad has no hyphen on some phones.
                        " autocomplete=\"off\" title=\"A date: YYYY-MM-DD, YYYY-MM or YYYY\""
                    }
                    Field::Text => " type=\"search\"",
                    _ => " autocomplete=\"off\"",
                };
                let _ = write!(
                    out,
                    "<input id=\"{name}\" name=\"{name}\" value=\"{}\" placeholder=\"{}\"{extra}{described} />",
                    escape(value),
                    escape(field.placeholder())
                );
            }
        }
        if let Some(e) = error {
            let _ = write!(out, "<p class=\"error field-error\" id=\"{name}-error\">{}</p>", escape(&e.message));
        }
        out += "</div>\n";
    }
    let _ = write!(
        out,
        "<div class=\"actions\"><button type=\"submit\" id=\"apply\">Apply filters</button>\
         <a class=\"button secondary\" href=\"{}\">Clear</a></div>\n</form>\n",
        href(action, hidden)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_prefixes() {
        for ok in ["2024", "2024-05", "2024-05-01", "2024-02-29", "2000-02-29"] {
            assert!(is_date_prefix(ok), "{ok}");
        }
        for bad in ["yesterday", "2024-13", "2023-02-29", "1900-02-29", "24-05-01", "2024-5-1", "", "2024-05-01x"] {
            assert!(!is_date_prefix(bad), "{bad}");
        }
    }

    #[test]
    fn bad_values_are_errors_and_good_ones_fill_the_query() {
        let p = Params::parse(Some("source=ISR&type=assault&since=yesterday&dyad=USA&until=2024-05"));
        let f = Filters::parse(&p, &ALL_FIELDS);
        assert_eq!(f.query.source.as_deref(), Some("ISR"));
        assert_eq!(f.query.event_type.as_deref(), Some("ASSAULT"));
        assert_eq!(f.query.until.as_deref(), Some("2024-05"));
        let params: Vec<&str> = f.errors.iter().map(|e| e.param).collect();
        assert_eq!(params, vec!["dyad", "since"]);
        let p = Params::parse(Some("since=2024-06&until=2024-05-31&dyad=A%2CB"));
        let f = Filters::parse(&p, &ALL_FIELDS);
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.query.dyad, Some(("A".to_string(), "B".to_string())));
        let f = Filters::parse(&Params::parse(Some("since=2024-05-03&until=2024-05")), &ALL_FIELDS);
        assert!(f.errors.is_empty());
    }
}
