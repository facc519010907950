//! The dashboard's page frame: [`page`] wraps a body into a complete HTML5 page with the
//! site's navigation, and [`APP_CSS`] / [`APP_JS`] are the stylesheet and script every page
//! links to (the server serves them at [`APP_CSS_PATH`] and [`APP_JS_PATH`]).
//!
//! The design works with a strict Content-Security-Policy (`default-src 'self'`): no inline
//! `<style>`, `<script>` or `style=`/`on…=` attributes, no CDN, no web fonts. Pages work
//! without JavaScript; the script makes tables sortable and lets "code an article" answer
//! without a reload. The CSS is readable from a 390 px phone to a 1280 px screen: tables
//! scroll sideways inside `<div class="table-wrap">`, the filter form (`<form class="filters">`)
//! narrows to two columns of fields on a phone (one on the narrowest), charts
//! (`svg.chart`) take the width they are given (on a phone at least 30rem, scrolling sideways
//! inside their `<figure>`), and keyboard focus is always visible.
//!
//! Conventions for body HTML (the server's job): wrap each table in
//! `<div class="table-wrap" role="region" aria-label="…" tabindex="0">` so keyboard users can
//! scroll it; give a table `class="sortable"` (and a `<thead>`) to let readers sort it; give a
//! cell `data-sort-value="…"` when its text does not sort right; mark numeric cells
//! `class="num"` (`class="nowrap"` keeps a date on one line). Put each chart in a `<figure>`
//! (or `<div class="chart-wrap">`) with a `<figcaption>`, next to a table of its numbers for
//! keyboard and touch users, who cannot hover over the charts' tooltips. Headings in the
//! body start at `<h2>`: [`page`] writes the `<h1>`.

pub use crate::svg::escape;

/// Where the server serves [`APP_CSS`].
pub const APP_CSS_PATH: &str = "/static/app.css";
/// Where the server serves [`APP_JS`].
pub const APP_JS_PATH: &str = "/static/app.js";

/// The site's navigation: (label, href), in order.
pub const NAV: [(&str, &str); 6] = [
    ("Events", "/"),
    ("Dyads", "/dyad"),
    ("Network", "/network"),
    ("Map", "/map"),
    ("Code an article", "/code"),
    ("API", "/api/openapi.json"),
];

/// A complete HTML5 page: `title` (escaped) as the document title and the `<h1>`, the
/// navigation with the entry `nav_active` marked `aria-current="page"`, and `body_html`
/// (trusted HTML the caller built and escaped) as the main content.
///
/// `nav_active` is the href (`"/dyad"`) or the label (`"Dyads"`, any case) of the active
/// entry; anything else marks none. The page links [`APP_CSS_PATH`] and [`APP_JS_PATH`]
/// (deferred) and has a skip link to the main content.
pub fn page(title: &str, nav_active: &str, body_html: &str) -> String {
    let title = escape(title);
    let mut nav = String::new();
    for (label, href) in NAV {
        let current = href == nav_active || label.eq_ignore_ascii_case(nav_active.trim());
        nav +=
            &format!("<li><a href=\"{href}\"{}>{label}</a></li>", if current { " aria-current=\"page\"" } else { "" });
    }
    format!(
        "<!DOCTYPE html>\n\
         <html lang=\"en\">\n\
         <head>\n\
         <meta charset=\"utf-8\" />\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
         <meta name=\"color-scheme\" content=\"light\" />\n\
         <title>{title} · annals</title>\n\
         <link rel=\"icon\" href=\"data:,\" />\n\
         <link rel=\"stylesheet\" href=\"{APP_CSS_PATH}\" />\n\
         <script src=\"{APP_JS_PATH}\" defer=\"defer\"></script>\n\
         </head>\n\
         <body>\n\
         <a class=\"skip-link\" href=\"#main\">Skip to content</a>\n\
         <header class=\"site-header\">\n\
         <a class=\"brand\" href=\"/\">annals</a>\n\
         <nav aria-label=\"Main\"><ul>{nav}</ul></nav>\n\
         </header>\n\
         <main id=\"main\" tabindex=\"-1\">\n\
         <h1>{title}</h1>\n\
         {body_html}\n\
         </main>\n\
         <footer class=\"site-footer\"><p>annals: political events coded from news text in \
         <a href=\"https://github.com/openeventdata/PLOVER\">PLOVER</a> categories. \
         Data: <a href=\"/api/openapi.json\">JSON API</a>.</p></footer>\n\
         </body>\n\
         </html>\n"
    )
}

/// The stylesheet of every page, served at [`APP_CSS_PATH`].
pub const APP_CSS: &str = r#"/* annals dashboard: one small stylesheet, no web fonts, no external resources. */
:root {
  color-scheme: light;
  --fg: #1f2328;
  --muted: #57606a;
  --bg: #ffffff;
  --panel: #f6f8fa;
  --border: #d0d7de;
  --link: #0a58a8;
  --focus: #0a58a8;
  --accent: #b34700;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 100%;
  line-height: 1.5;
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); }
a { color: var(--link); text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }

/* Keyboard focus is always visible, never removed. */
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
main:focus { outline: none; }

.skip-link {
  position: absolute; left: 0.5rem; top: -10rem; z-index: 10;
  padding: 0.5rem 1rem; background: var(--bg); color: var(--link);
  border: 2px solid var(--focus); border-radius: 4px; font-weight: 600;
}
.skip-link:focus { top: 0.5rem; }

.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}

/* Header and navigation: one row on wide screens, wrapping on narrow ones. */
.site-header {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 1.5rem;
  padding: 0.5rem max(1rem, calc((100% - 76rem) / 2));
  border-bottom: 1px solid var(--border); background: var(--panel);
}
.brand { font-weight: 700; font-size: 1.25rem; color: var(--fg); text-decoration: none; }
.site-header nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem; margin: 0; padding: 0; list-style: none; }
.site-header nav a {
  display: inline-block; padding: 0.5rem 0.65rem; min-height: 2.75rem; line-height: 1.75rem;
  text-decoration: none; border-bottom: 3px solid transparent;
}
.site-header nav a:hover { text-decoration: underline; }
.site-header nav a[aria-current="page"] { color: var(--fg); font-weight: 700; border-bottom-color: var(--accent); }

main { display: block; max-width: 76rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.3rem; margin: 1.75rem 0 0.75rem; }
h3 { font-size: 1.1rem; }
p, li { max-width: 70ch; }
.muted { color: var(--muted); }
.site-footer {
  max-width: 76rem; margin: 2rem auto 0; padding: 1rem; color: var(--muted);
  border-top: 1px solid var(--border); font-size: 0.9rem;
}

/* Tables: full width, scrolling sideways inside .table-wrap when they do not fit. */
.table-wrap { max-width: 100%; overflow-x: auto; margin: 1rem 0; border: 1px solid var(--border); border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
caption { text-align: left; font-weight: 600; padding: 0.5rem 0.6rem; }
th, td { padding: 0.45rem 0.6rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--border); }
thead th { background: var(--panel); white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafbfc; }
tbody tr:hover { background: #eef4fb; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.text { min-width: 18rem; }

/* Sort buttons, added by app.js to the headers of table.sortable. */
th button.sort {
  font: inherit; font-weight: 700; color: inherit; background: none; border: 0;
  padding: 0.25rem 0; margin: 0; cursor: pointer; text-align: inherit; min-height: 2rem;
}
th button.sort::after { content: " \2195"; color: var(--muted); font-weight: 400; }
th[aria-sort="ascending"] button.sort::after { content: " \25B2"; color: var(--fg); }
th[aria-sort="descending"] button.sort::after { content: " \25BC"; color: var(--fg); }

/* Forms: the filter form is a grid that becomes one column on narrow screens. */
form.filters {
  display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
  gap: 0.75rem 1rem; align-items: end; padding: 1rem; margin: 1rem 0;
  background: var(--panel); border: 1px solid var(--border); border-radius: 4px;
}
form.filters .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; grid-column: 1 / -1; }
label { display: block; font-weight: 600; margin-bottom: 0.2rem; }
label .muted { font-weight: 400; }
input, select, textarea, button {
  font: inherit; color: inherit; max-width: 100%;
}
input, select, textarea {
  width: 100%; min-height: 2.5rem; padding: 0.35rem 0.5rem;
  border: 1px solid #8c959f; border-radius: 4px; background: var(--bg);
}
textarea { min-height: 12rem; resize: vertical; }
button, .button {
  display: inline-block; min-height: 2.5rem; padding: 0.4rem 1rem; border-radius: 4px;
  border: 1px solid var(--link); background: var(--link); color: #ffffff; font-weight: 600;
  cursor: pointer; text-decoration: none;
}
button.secondary, .button.secondary { background: var(--bg); color: var(--link); }
.error { color: #a40e26; font-weight: 600; }

/* Charts scale with their container; on a phone they keep a readable size and scroll
   sideways inside their <figure> (or .chart-wrap). */
figure, .chart-wrap { margin: 1rem 0; max-width: 100%; overflow-x: auto; }
figcaption { color: var(--muted); font-size: 0.9rem; }
svg.chart { display: block; width: 100%; height: auto; max-width: 52rem; }
.nowrap { white-space: nowrap; }

pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
pre { overflow-x: auto; padding: 0.75rem; background: var(--panel); border-radius: 4px; }

/* Dashboard pages: notes, error summaries, pagers, badges. */
.lead { max-width: 70ch; }
.note { padding: 0.5rem 0.75rem; background: #fff8e6; border-left: 4px solid #b38600; }
.error-summary { margin: 1rem 0; padding: 0.5rem 1rem; border: 2px solid #a40e26; border-radius: 4px; background: #fff5f5; }
.error-summary h2 { margin: 0.25rem 0; font-size: 1.1rem; color: #a40e26; }
.error-summary a { color: #a40e26; }
.field-error { margin: 0.25rem 0 0; font-size: 0.9rem; }
input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"] { border: 2px solid #a40e26; }
.pager { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 1rem 0; }
.pager a { display: inline-block; padding: 0.5rem 0; min-height: 2.75rem; font-weight: 600; }
.badge {
  display: inline-block; padding: 0 0.4rem; border: 1px solid var(--border); border-radius: 0.6rem;
  background: #eaeef2; font-size: 0.8rem; font-weight: 600;
}
details.numbers { margin: 0.25rem 0 1.5rem; }
details.numbers summary { cursor: pointer; padding: 0.4rem 0; }

/* Highlights in a text: colour plus a distinct underline, so colour is not the only cue. */
mark { color: inherit; padding: 0 0.1em; border-radius: 2px; }
mark.actor { background: #cfe0fc; border-bottom: 2px solid #0050a0; }
mark.trigger { background: #ffe0a0; border-bottom: 2px dashed #b34700; font-weight: 600; }
mark.place { background: #e8f6ec; border-bottom: 2px dotted #00704f; }
a.mark-link { color: inherit; text-decoration: none; }
a.mark-link:hover mark { text-decoration: underline; }
.mark-legend mark { margin-right: 0.35rem; }

/* A document: the article and its events side by side on wide screens, stacked on narrow. */
.doc-layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(17rem, 2fr); gap: 1.5rem; align-items: start; }
.doc-layout h2 { margin-top: 0.5rem; }
.doc-meta { color: var(--muted); overflow-wrap: anywhere; }
.doc-text { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.7; max-width: 72ch; }
.doc-events { position: sticky; top: 0.5rem; max-height: calc(100vh - 1rem); overflow-y: auto; padding-right: 0.25rem; }
.event-list { list-style: none; margin: 0; padding: 0; }
.event-card {
  max-width: none; margin: 0 0 0.75rem; padding: 0.6rem 0.8rem;
  border: 1px solid var(--border); border-radius: 4px; background: var(--bg);
}
.event-card:target { border: 2px solid var(--accent); background: #fff6ee; }
.event-card p { margin: 0 0 0.35rem; }
.event-facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.15rem 0.75rem; margin: 0.35rem 0 0; font-size: 0.9rem; }
.event-facts dt { font-weight: 600; color: var(--muted); }
.event-facts dd { margin: 0; overflow-wrap: anywhere; }

/* Code an article. */
.code-form { display: grid; gap: 0.75rem; padding: 1rem; margin: 1rem 0; background: var(--panel); border: 1px solid var(--border); border-radius: 4px; }
.code-form .field-date input { max-width: 14rem; }
.code-form .actions { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
.code-result:empty { display: none; }
button:disabled { opacity: 0.6; cursor: progress; }

@media (max-width: 60rem) {
  .doc-layout { grid-template-columns: minmax(0, 1fr); }
  .doc-events { position: static; max-height: none; overflow-y: visible; }
}
@media (max-width: 40rem) {
  main { padding: 0.75rem; }
  h1 { font-size: 1.4rem; }
  form.filters { grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); gap: 0.6rem 0.75rem; padding: 0.75rem; }
  .site-header { gap: 0 1rem; }
  .site-header nav a { padding: 0.4rem 0.5rem; }
  th, td { padding: 0.4rem 0.45rem; }
  svg.chart { min-width: 30rem; }
}
@media (prefers-reduced-motion: reduce) {
  * { scroll-behavior: auto !important; transition: none !important; animation: none !important; }
}
"#;

/// The script of every page, served at [`APP_JS_PATH`] and loaded with `defer`.
///
/// Progressive only: each `<table class="sortable">` gets a `<button class="sort">` in each
/// header cell of its `<thead>` (cells with `data-nosort` excepted); activating it (click,
/// Enter or Space) sorts the body rows by that column, ascending then descending, sets
/// `aria-sort` on the header and announces the order in a polite live region. Numbers sort as
/// numbers (thousands separators allowed), the rest with a locale-aware, numeric-aware
/// comparison (so ISO dates sort by date); `data-sort-value` on a cell overrides its text.
/// No inline handlers: it attaches listeners itself, so it runs under a strict CSP.
///
/// On the "code an article" page (`#code-form`), it sends the text to `POST /api/code` and
/// renders the answer into `#code-result` (rows `tr.coded-event`, the text with `<mark>`
/// highlights) with DOM calls and text nodes only, never markup from data; when the API
/// does not answer it posts the form, and the server renders the same result.
pub const APP_JS: &str = r#"// annals dashboard: progressive enhancement only; every page works without this script.
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var v = cell.getAttribute("data-sort-value");
    return v !== null ? v : cell.textContent.trim();
  }

  function asNumber(s) {
    var t = s.replace(/[,\s\u00a0\u202f]/g, "").replace(/%$/, "");
    if (!/^[-+\u2212]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return NaN;
    return parseFloat(t.replace("\u2212", "-"));
  }

  var collator = typeof Intl !== "undefined" && Intl.Collator
    ? new Intl.Collator(undefined, { numeric: true, sensitivity: "base" })
    : { compare: function (a, b) { return a < b ? -1 : a > b ? 1 : 0; } };

  function sortBy(table, th, status) {
    var body = table.tBodies[0];
    if (!body) return;
    var index = th.cellIndex;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    var items = rows.map(function (row, i) { return { row: row, value: cellValue(row, index), i: i }; });
    var filled = items.filter(function (it) { return it.value !== ""; });
    var numeric = filled.length > 0 && filled.every(function (it) { return !isNaN(asNumber(it.value)); });
    items.sort(function (a, b) {
      var c;
      if (a.value === "" || b.value === "") {
        c = (a.value === "" ? 1 : 0) - (b.value === "" ? 1 : 0); // empty cells last, both ways
        return c !== 0 ? c : a.i - b.i;
      }
      c = numeric ? asNumber(a.value) - asNumber(b.value) : collator.compare(a.value, b.value);
      if (c === 0) return a.i - b.i;
      return ascending ? c : -c;
    });
    var fragment = document.createDocumentFragment();
    items.forEach(function (it) { fragment.appendChild(it.row); });
    body.appendChild(fragment);
    var headers = th.parentNode.querySelectorAll("th");
    for (var k = 0; k < headers.length; k++) {
      if (headers[k] !== th) headers[k].removeAttribute("aria-sort");
    }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    status.textContent = "Sorted by " + th.textContent.trim() + ", " + (ascending ? "ascending" : "descending") + ".";
  }

  function enhance(table) {
    if (!table.tHead || table.getAttribute("data-enhanced") === "true") return;
    table.setAttribute("data-enhanced", "true");
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    table.parentNode.insertBefore(status, table.nextSibling);
    var row = table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) return;
    Array.prototype.forEach.call(row.cells, function (th) {
      if (th.tagName !== "TH" || th.hasAttribute("data-nosort")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, th, status); });
    });
  }

  // "Code an article" (/code): send the text to POST /api/code and show the answer in
  // #code-result without reloading. Data only ever reaches the page as text nodes
  // (textContent, createTextNode), never as markup. When the API does not answer, the form
  // is posted as usual and the server renders the same result.

  function actorLabel(a) {
    function field(k) { var v = a ? a[k] : null; return typeof v === "string" && v !== "" ? v : null; }
    var org = field("org");
    if (org) return org;
    var country = field("country"), sector = field("sector");
    if (!country && !sector) return field("name") || field("text") || "?";
    return (country || "---") + "/" + (sector || "---");
  }

  function actorDisplay(a) {
    var label = actorLabel(a);
    var name = a && typeof a.name === "string" && a.name !== "" ? a.name : null;
    return name && name !== label ? name + " (" + label + ")" : label;
  }

  function list(v) { return Array.isArray(v) ? v : []; }
  function str(v) { return typeof v === "string" ? v : ""; }

  function actorsText(event, role) { return list(event[role]).map(actorDisplay).join("; "); }

  function placeText(event) {
    var loc = event.location;
    if (!loc || typeof loc !== "object") return "";
    var name = str(loc.name), country = str(loc.country);
    return name && country ? name + ", " + country : name || country;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined && text !== null) el.textContent = String(text);
    return el;
  }

  function codePoints(s) { return Array.from(s); }

  // The marks of the events (actors, triggers) and places in text, as [start, end) in
  // characters (code points), without overlaps, in order: as the server's highlight.
  function markSpans(text, events, places) {
    var starts = {};
    var cursor = 0; // UTF-16 units
    var candidates = [];
    var ordered = events.map(function (e, i) { return { e: e, i: i }; });
    ordered.sort(function (x, y) { return ((x.e.sentence || 0) - (y.e.sentence || 0)) || x.i - y.i; });
    ordered.forEach(function (item) {
      var e = item.e;
      var key = String(e.sentence || 0);
      if (!Object.prototype.hasOwnProperty.call(starts, key)) {
        var sentence = str(e.text);
        var found = null;
        if (sentence) {
          var at = text.indexOf(sentence, cursor);
          if (at < 0) at = text.indexOf(sentence);
          if (at >= 0) {
            cursor = Math.max(cursor, at + sentence.length);
            found = { base: codePoints(text.slice(0, at)).length, len: codePoints(sentence).length };
          }
        }
        starts[key] = found;
      }
      var where = starts[key];
      if (!where) return;
      var type = str(e.event) || "event";
      function span(v) {
        var s = v && Array.isArray(v.span) ? v.span : null;
        if (!s || typeof s[0] !== "number" || typeof s[1] !== "number") return null;
        if (!(s[0] < s[1] && s[1] <= where.len && s[0] >= 0)) return null;
        return [where.base + s[0], where.base + s[1]];
      }
      ["source", "target"].forEach(function (role) {
        list(e[role]).forEach(function (a) {
          var sp = span(a);
          if (sp) candidates.push({ start: sp[0], end: sp[1], cls: "actor", title: role + " of " + type + ": " + actorDisplay(a) });
        });
      });
      var tsp = span(e.trigger);
      if (tsp) {
        var title = type + (str(e.mode) ? " / " + e.mode : "") + (e.negated === true ? ", negated" : "");
        candidates.push({ start: tsp[0], end: tsp[1], cls: "trigger", title: title });
      }
    });
    function byStart(x, y) { return (x.start - y.start) || (y.end - x.end); }
    candidates.sort(byStart);
    var total = codePoints(text).length;
    var placeMarks = list(places).filter(function (p) {
      return p && typeof p.start === "number" && typeof p.end === "number" && p.start >= 0 && p.start < p.end && p.end <= total;
    }).map(function (p) {
      var country = str(p.country);
      return { start: p.start, end: p.end, cls: "place", title: "place: " + str(p.name) + (country ? ", " + country : "") };
    });
    placeMarks.sort(byStart);
    var chosen = [];
    candidates.concat(placeMarks).forEach(function (m) {
      var free = chosen.every(function (c) { return m.end <= c.start || m.start >= c.end; });
      if (free) chosen.push(m);
    });
    chosen.sort(function (x, y) { return x.start - y.start; });
    return chosen;
  }

  function highlighted(text, events, places) {
    var box = element("div", "doc-text coded-text");
    var chars = codePoints(text);
    var pos = 0;
    markSpans(text, events, places).forEach(function (m) {
      if (m.start < pos) return;
      if (m.start > pos) box.appendChild(document.createTextNode(chars.slice(pos, m.start).join("")));
      var mark = element("mark", m.cls, chars.slice(m.start, m.end).join(""));
      mark.title = m.title;
      box.appendChild(mark);
      pos = m.end;
    });
    if (pos < chars.length) box.appendChild(document.createTextNode(chars.slice(pos).join("")));
    return box;
  }

  function legend() {
    var p = element("p", "mark-legend", "Highlighted: ");
    [["actor", "actors"], ["trigger", "event triggers"], ["place", "places"]].forEach(function (pair, i) {
      if (i > 0) p.appendChild(document.createTextNode(" "));
      p.appendChild(element("mark", pair[0], pair[1]));
    });
    return p;
  }

  function plural(n, one, many) { return n === 1 ? "1 " + one : n + " " + many; }

  function eventsTable(events) {
    var wrap = element("div", "table-wrap");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", "Coded events");
    wrap.tabIndex = 0;
    var table = element("table", "sortable events");
    table.id = "coded-events";
    var headRow = table.createTHead().insertRow();
    ["Type", "Mode", "Source", "Target", "Trigger", "Date", "Place", "Confidence"].forEach(function (h) {
      var th = element("th", h === "Confidence" ? "num" : "", h);
      th.scope = "col";
      headRow.appendChild(th);
    });
    var body = table.createTBody();
    events.forEach(function (e) {
      var row = body.insertRow();
      row.className = "coded-event";
      row.setAttribute("data-type", str(e.event));
      var trigger = str(e.trigger && e.trigger.text) + (e.negated === true ? " (negated)" : "");
      var confidence = typeof e.confidence === "number" ? e.confidence.toFixed(2) : "";
      [
        [str(e.event), ""], [str(e.mode), ""], [actorsText(e, "source"), ""], [actorsText(e, "target"), ""],
        [trigger, ""], [str(e.date), "nowrap"], [placeText(e), ""], [confidence, "num"]
      ].forEach(function (cell, i) {
        var td = row.insertCell();
        td.textContent = cell[0];
        if (cell[1]) td.className = cell[1];
        if (i === 4 && str(e.text)) td.title = e.text;
      });
    });
    wrap.appendChild(table);
    return wrap;
  }

  function showCoded(result, text, data) {
    var events = list(data.events);
    var places = list(data.places);
    while (result.firstChild) result.removeChild(result.firstChild);
    var heading = element("h2", "", "Result");
    heading.id = "code-result-heading";
    heading.tabIndex = -1;
    result.appendChild(heading);
    result.appendChild(element("p", "code-summary",
      plural(events.length, "event", "events") + " and " + plural(places.length, "place name", "place names") + " found."));
    if (events.length > 0) {
      var wrap = eventsTable(events);
      result.appendChild(wrap);
      enhance(wrap.querySelector("table"));
    }
    result.appendChild(element("h3", "", "The text"));
    result.appendChild(legend());
    result.appendChild(highlighted(text, events, places));
    heading.focus();
  }

  function showError(result, message) {
    while (result.firstChild) result.removeChild(result.firstChild);
    result.appendChild(element("p", "error", message)).setAttribute("role", "alert");
  }

  function initCodeForm() {
    var form = document.getElementById("code-form");
    var result = document.getElementById("code-result");
    var button = document.getElementById("code-submit");
    var textBox = document.getElementById("code-text");
    var dateBox = document.getElementById("code-date");
    if (!form || !result || !button || !textBox || typeof window.fetch !== "function" || !Array.from) return;
    var status = document.getElementById("code-status");
    function say(s) { if (status) status.textContent = s; }
    var busy = false;
    form.addEventListener("submit", function (event) {
      if (busy) { event.preventDefault(); return; }
      var text = textBox.value;
      if (text.trim() === "") return; // the browser or the server says what is missing
      event.preventDefault();
      var date = dateBox ? dateBox.value.trim() : "";
      var payload = { text: text };
      if (date) payload.date = date;
      busy = true;
      button.disabled = true;
      say("Coding\u2026");
      function done() { busy = false; button.disabled = false; }
      function fallback() { done(); say(""); form.submit(); }
      window.fetch("/api/code", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(payload),
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(
          function (data) { return { ok: response.ok, status: response.status, data: data }; },
          function () { return { ok: false, status: response.status, data: null }; });
      }).then(function (r) {
        if (r.ok && r.data && Array.isArray(r.data.events)) {
          done();
          showCoded(result, text, r.data);
          say("Coded: " + plural(r.data.events.length, "event", "events") + ".");
        } else if (r.data && typeof r.data.error === "string" && r.status >= 400 && r.status < 500 &&
                   r.status !== 404 && r.status !== 405) {
          done();
          showError(result, r.data.error);
          say(r.data.error);
        } else {
          fallback();
        }
      }, fallback);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), enhance);
    initCodeForm();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
"#;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Parses a page as XML (the pages are written to be XML-compatible, so this checks that
    /// every element is closed and every attribute quoted).
    fn parse(html: &str) -> roxmltree::Document<'_> {
        let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
        roxmltree::Document::parse_with_options(html, options).unwrap()
    }

    fn body() -> &'static str {
        "<div class=\"table-wrap\" role=\"region\" aria-label=\"Events\" tabindex=\"0\">\
         <table class=\"sortable\"><thead><tr><th>Date</th><th class=\"num\">Events</th></tr></thead>\
         <tbody><tr><td>2024-05-01</td><td class=\"num\">3</td></tr></tbody></table></div>"
    }

    #[test]
    fn the_page_is_well_formed_with_everything_it_promises() {
        let html = page("Events", "/", body());
        let doc = parse(&html);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert_eq!(doc.root_element().attribute("lang"), Some("en"));
        let meta = doc.descendants().find(|n| n.attribute("name") == Some("viewport")).unwrap();
        assert_eq!(meta.attribute("content"), Some("width=device-width, initial-scale=1"));
        let skip = doc.descendants().find(|n| n.attribute("class") == Some("skip-link")).unwrap();
        assert_eq!(skip.attribute("href"), Some("#main"));
        assert!(doc.descendants().any(|n| n.has_tag_name("main") && n.attribute("id") == Some("main")));
        let script = doc.descendants().find(|n| n.has_tag_name("script")).unwrap();
        assert_eq!(script.attribute("src"), Some(APP_JS_PATH));
        assert!(script.attribute("defer").is_some());
        assert!(doc.descendants().any(|n| n.has_tag_name("link") && n.attribute("href") == Some(APP_CSS_PATH)));
        let links: Vec<(&str, &str)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("nav"))
            .flat_map(|nav| nav.descendants().filter(|n| n.has_tag_name("a")))
            .map(|a| (a.text().unwrap(), a.attribute("href").unwrap()))
            .collect();
        assert_eq!(links, NAV);
        assert!(doc.descendants().any(|n| n.has_tag_name("h1") && n.text() == Some("Events")));
        assert!(doc.descendants().any(|n| n.has_tag_name("table")));
    }

    #[test]
    fn exactly_the_active_entry_is_current() {
        for (active, expected) in [("/dyad", Some("/dyad")), ("Map", Some("/map")), ("code an article", Some("/code"))]
        {
            let html = page("x", active, "");
            let doc = parse(&html);
            let current: Vec<&str> = doc
                .descendants()
                .filter(|n| n.attribute("aria-current") == Some("page"))
                .map(|n| n.attribute("href").unwrap())
                .collect();
            assert_eq!(current, expected.into_iter().collect::<Vec<_>>(), "{active}");
        }
        assert!(!page("x", "/nowhere", "").contains("aria-current"));
    }

    #[test]
    fn the_title_is_escaped() {
        let html = page("<script>alert(1)</script> \"q\" 'a'", "/", "");
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &#39;a&#39;"));
        let doc = parse(&html);
        let h1 = doc.descendants().find(|n| n.has_tag_name("h1")).unwrap();
        assert_eq!(h1.text(), Some("<script>alert(1)</script> \"q\" 'a'"));
        assert_eq!(escape("a&b"), "a&amp;b");
    }

    #[test]
    fn nothing_inline_that_a_strict_csp_would_block() {
        let html = page("Events", "/", body());
        assert!(!html.contains("<style"));
        assert!(!html.contains("style="));
        assert_eq!(html.matches("<script").count(), 1, "only the external script");
        for attr in ["onclick", "onload", "onkeydown", "javascript:"] {
            assert!(!html.contains(attr) && !APP_JS.contains(attr), "{attr}");
        }
        assert!(!APP_CSS.contains("@import") && !APP_CSS.contains("url("), "no external resources");
    }

    #[test]
    fn the_css_covers_phones_focus_and_wide_tables() {
        for needle in [":focus-visible", "@media (max-width: 40rem)", ".table-wrap", "overflow-x: auto", "svg.chart"] {
            assert!(APP_CSS.contains(needle), "{needle}");
        }
        assert!(APP_JS.contains("aria-sort") && APP_JS.contains("table.sortable"));
    }
}
