//! The dashboard's charts as hand-written SVG strings: a timeline of event counts, an actor
//! network and a world map of event places; plus [`escape`], the XML/HTML text escaper.
//!
//! Why by hand: three small charts need no plotting crate, and strings keep the output
//! deterministic (same data, same bytes) and testable. Every chart:
//! - is sized only by its `viewBox` (640 units wide, height from the content), so it scales
//!   to the width of its container, a 390 px phone or a 1280 px screen; the page's CSS
//!   (`html::APP_CSS`, class `chart`) gives it `width: 100%`;
//! - has `role="img"`, an `aria-label` that summarizes it, a `<title>` and a `<desc>`, a
//!   visible title, labelled axes (where it has axes) and a legend;
//! - uses the Okabe–Ito palette, which colour-blind readers can tell apart, and never colour
//!   alone: timeline series also differ by dash and marker shape;
//! - escapes every caller string ([`escape`]), and uses presentation attributes only (no
//!   `style=`, no script), so it passes a strict Content-Security-Policy;
//! - says "no events" when there is nothing to draw, instead of an empty frame.
//!
//! Tooltips are SVG `<title>` children, which mouse users see; the page should also give the
//! numbers as a table for keyboard and touch users.

use crate::world;

/// Width of every chart in `viewBox` units.
const W: f64 = 640.0;
/// Left and right page margin inside the chart.
const MARGIN: f64 = 16.0;
/// The most nodes [`network`] draws; the caller passes the top ones, the rest are dropped.
pub const MAX_NODES: usize = 30;

// The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design").
const BLACK: &str = "#000000";
const ORANGE: &str = "#E69F00";
const SKY_BLUE: &str = "#56B4E9";
const GREEN: &str = "#009E73";
const BLUE: &str = "#0072B2";
const VERMILLION: &str = "#D55E00";
const PURPLE: &str = "#CC79A7";
/// Series colours in order of use; yellow is left out, too pale on white.
const PALETTE: [&str; 7] = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, BLACK];

const TEXT: &str = "#222222";
const MUTED: &str = "#555555";
const GRID: &str = "#e3e3e3";
const FONT: &str = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif";

/// Escapes text for XML and HTML, in element content and in quoted attributes: `&`, `<`, `>`,
/// `"` and `'` become entities, and characters XML 1.0 forbids (control characters other than
/// tab, newline and carriage return; U+FFFE, U+FFFF) become U+FFFD, so the output is always
/// well-formed.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/// A coordinate with at most one decimal, never `NaN` or `-0`.
fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let s = format!("{:.1}", v);
    let s = s.strip_suffix(".0").unwrap_or(&s);
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A count with thousands separators: `12,345`.
fn count(n: u64) -> String {
    let digits = n.to_string();
    let head = match digits.len() % 3 {
        0 => 3.min(digits.len()),
        r => r,
    };
    let (first, rest) = digits.split_at(head);
    let mut out = first.to_string();
    for group in rest.as_bytes().chunks(3) {
        out.push(',');
        out.extend(group.iter().map(|&b| char::from(b)));
    }
    out
}

/// `1 event`, `12 events`.
fn events(n: u64) -> String {
    if n == 1 {
        "1 event".to_string()
    } else {
        format!("{} events", count(n))
    }
}

/// Rough width of `s` in a sans-serif font of `size` units (no font metrics at hand).
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.58
}

/// `s` cut to `max` characters, with an ellipsis when cut.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Axis ticks from 0 to the smallest "nice" top ≥ `max` (steps of 1, 2 or 5 × 10^k), at
/// most `target` intervals.
fn nice_ticks(max: u64, target: u64) -> Vec<u64> {
    let target = target.max(1);
    let max = max.max(1);
    let mut step = 1u64;
    let mut magnitude = 1u64;
    'search: loop {
        for m in [1u64, 2, 5] {
            let Some(candidate) = magnitude.checked_mul(m) else { break 'search };
            if max.div_ceil(candidate) <= target {
                step = candidate;
                break 'search;
            }
        }
        match magnitude.checked_mul(10) {
            Some(next) => magnitude = next,
            None => {
                step = magnitude;
                break;
            }
        }
    }
    let intervals = max.div_ceil(step);
    (0..=intervals).map(|i| i.saturating_mul(step)).collect()
}

/// The largest of 1, 2, 5 × 10^k that is ≤ `x` (0 when `x` < 1).
fn nice_below(x: u64) -> u64 {
    let mut best = 0;
    let mut magnitude = 1u64;
    loop {
        for m in [1u64, 2, 5] {
            match magnitude.checked_mul(m) {
                Some(v) if v <= x => best = v,
                _ => return best,
            }
        }
        match magnitude.checked_mul(10) {
            Some(next) => magnitude = next,
            None => return best,
        }
    }
}

/// Sample counts for a size legend: the largest, and round values near a quarter and a
/// sixteenth of it; distinct, largest first.
fn size_legend_values(max: u64) -> Vec<u64> {
    let mut values = vec![max, nice_below(max / 4), nice_below(max / 16)];
    values.retain(|&v| v > 0);
    values.dedup();
    values
}

/// A small deterministic hash (FNV-1a) to make element ids unique per chart in a page.
fn fnv(parts: &[&[u8]]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for part in parts {
        for &b in *part {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The opening of a chart: root element with its accessible name, `<title>`, `<desc>`,
/// a white background and the visible title.
fn open(height: f64, title: &str, summary: &str) -> String {
    let title_text = if title.trim().is_empty() { "Chart" } else { title };
    let label = format!("{title_text}. {summary}");
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" class=\"chart\" role=\"img\" \
         aria-label=\"{label}\" font-family=\"{FONT}\" fill=\"{TEXT}\">\
         <title>{title}</title><desc>{summary}</desc>\
         <rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>",
        w = num(W),
        h = num(height),
        label = escape(&label),
        title = escape(title_text),
        summary = escape(summary),
    );
    let max_chars = ((W - 2.0 * MARGIN) / (20.0 * 0.6)) as usize;
    out += &format!(
        "<text x=\"{x}\" y=\"30\" font-size=\"20\" font-weight=\"bold\">{}</text>",
        escape(&truncate(title_text, max_chars)),
        x = num(MARGIN)
    );
    out
}

/// The "no events" message, centred at (`x`, `y`) on a white plate.
fn no_events(x: f64, y: f64) -> String {
    format!(
        "<g class=\"no-events\"><rect x=\"{rx}\" y=\"{ry}\" width=\"160\" height=\"40\" rx=\"6\" fill=\"#ffffff\" \
         stroke=\"#bbbbbb\"/><text x=\"{x}\" y=\"{ty}\" font-size=\"18\" text-anchor=\"middle\" fill=\"{MUTED}\">\
         no events</text></g>",
        rx = num(x - 80.0),
        ry = num(y - 20.0),
        x = num(x),
        ty = num(y + 6.0),
    )
}

// ---------------------------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Debug)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

/// Colour, dash pattern and marker of a timeline series. The four PLOVER quad classes keep
/// fixed styles across charts: dashed = verbal, solid = material; circle = cooperation,
/// square = conflict; any other series takes the palette in order.
fn series_style(label: &str, index: usize) -> (&'static str, Option<&'static str>, Marker) {
    let key: String =
        label.trim().to_ascii_lowercase().chars().map(|c| if c == '_' || c == '-' { ' ' } else { c }).collect();
    match key.as_str() {
        "verbal cooperation" => (GREEN, Some("7 4"), Marker::Circle),
        "material cooperation" => (BLUE, None, Marker::Circle),
        "verbal conflict" => (ORANGE, Some("7 4"), Marker::Square),
        "material conflict" => (VERMILLION, None, Marker::Square),
        _ => {
            let dash = match (index / PALETTE.len()) % 3 {
                0 => None,
                1 => Some("7 4"),
                _ => Some("2 3"),
            };
            let marker = [Marker::Circle, Marker::Square, Marker::Triangle, Marker::Diamond][index % 4];
            (PALETTE[index % PALETTE.len()], dash, marker)
        }
    }
}

/// A marker of `shape` centred at (`x`, `y`), with an optional tooltip.
fn marker(shape: Marker, x: f64, y: f64, colour: &str, tooltip: Option<&str>) -> String {
    let (tag, geometry) = match shape {
        Marker::Circle => ("circle", format!("cx=\"{}\" cy=\"{}\" r=\"4.5\"", num(x), num(y))),
        Marker::Square => ("rect", format!("x=\"{}\" y=\"{}\" width=\"8\" height=\"8\"", num(x - 4.0), num(y - 4.0))),
        Marker::Triangle => (
            "polygon",
            format!(
                "points=\"{},{} {},{} {},{}\"",
                num(x),
                num(y - 5.5),
                num(x + 5.0),
                num(y + 4.0),
                num(x - 5.0),
                num(y + 4.0)
            ),
        ),
        Marker::Diamond => (
            "polygon",
            format!(
                "points=\"{},{} {},{} {},{} {},{}\"",
                num(x),
                num(y - 5.5),
                num(x + 5.5),
                num(y),
                num(x),
                num(y + 5.5),
                num(x - 5.5),
                num(y)
            ),
        ),
    };
    match tooltip {
        Some(t) => {
            format!("<{tag} {geometry} fill=\"{colour}\" stroke=\"#ffffff\"><title>{}</title></{tag}>", escape(t))
        }
        None => format!("<{tag} {geometry} fill=\"{colour}\" stroke=\"#ffffff\"/>"),
    }
}

/// Lines of event counts per period, one per series (e.g. the four quad classes).
///
/// `periods` label the x axis in order (`"2024-05"`, `"2024-W19"`, …); each series is a label
/// and its count for each period, by position: a series shorter than `periods` counts 0 for
/// the missing periods, extra values are ignored. The x axis is "period" (labels thinned so
/// they never overlap), the y axis "events" with round ticks from 0. Each point has a marker
/// with a tooltip, unless the periods are too many for markers (more than one per 4 units).
/// No periods, no series or no event at all give a chart that says "no events".
pub fn timeline(title: &str, periods: &[String], series: &[(String, Vec<u64>)]) -> String {
    let n = periods.len();
    let value = |values: &[u64], i: usize| values.get(i).copied().unwrap_or(0);
    let total: u64 = series.iter().flat_map(|(_, v)| v.iter().take(n)).fold(0u64, |a, &b| a.saturating_add(b));
    let max = series.iter().flat_map(|(_, v)| v.iter().take(n)).copied().max().unwrap_or(0);
    let empty = n == 0 || series.is_empty() || total == 0;

    // Legend rows under the title.
    let legend_font = 15.0;
    let mut legend = String::new();
    let mut lx = MARGIN;
    let mut ly = 56.0;
    if !empty {
        legend += "<g class=\"legend\">";
        for (i, (label, _)) in series.iter().enumerate() {
            let (colour, dash, shape) = series_style(label, i);
            let label = truncate(label, 40);
            let item_w = 34.0 + text_width(&label, legend_font) + 18.0;
            if lx > MARGIN && lx + item_w > W - MARGIN {
                lx = MARGIN;
                ly += 24.0;
            }
            legend += &format!(
                "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2.5\"{dash}/>",
                num(lx),
                num(lx + 28.0),
                y = num(ly),
                dash = dash.map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default(),
            );
            legend += &marker(shape, lx + 14.0, ly, colour, None);
            legend += &format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\">{}</text>",
                num(lx + 34.0),
                num(ly + 5.0),
                num(legend_font),
                escape(&label)
            );
            lx += item_w;
        }
        legend += "</g>";
    }
    let plot_top = if empty { 60.0 } else { ly + 30.0 };

    let ticks = if empty { vec![0] } else { nice_ticks(max, 5) };
    let top_value = ticks.last().copied().unwrap_or(1).max(1) as f64;
    let tick_w = ticks.iter().map(|&t| text_width(&count(t), 14.0)).fold(0.0, f64::max);
    let plot_left = MARGIN + 24.0 + tick_w + 8.0;
    let plot_right = W - MARGIN - 4.0;
    let plot_w = plot_right - plot_left;
    let plot_h = 260.0;
    let plot_bottom = plot_top + plot_h;
    let height = plot_bottom + 66.0;

    let summary = if empty {
        "No events.".to_string()
    } else {
        format!(
            "Events per period: {} series over {} periods, {} to {}; {} in all, at most {} in one period.",
            series.len(),
            n,
            periods.first().map(String::as_str).unwrap_or(""),
            periods.last().map(String::as_str).unwrap_or(""),
            events(total),
            count(max)
        )
    };
    let mut out = open(height, title, &summary);
    out += &legend;

    // Grid and y ticks.
    let y_of = |v: u64| plot_bottom - v as f64 / top_value * plot_h;
    out += "<g class=\"y-axis\" font-size=\"14\" text-anchor=\"end\">";
    if !empty {
        for &t in &ticks {
            let y = y_of(t);
            out += &format!(
                "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{GRID}\"/>\
                 <text x=\"{}\" y=\"{}\" fill=\"{MUTED}\">{}</text>",
                num(plot_left),
                num(plot_right),
                num(plot_left - 6.0),
                num(y + 4.5),
                count(t),
                y = num(y)
            );
        }
    }
    let mid_y = (plot_top + plot_bottom) / 2.0;
    out += &format!(
        "<text x=\"{x}\" y=\"{y}\" font-size=\"16\" text-anchor=\"middle\" transform=\"rotate(-90 {x} {y})\">\
         events</text></g>",
        x = num(MARGIN + 6.0),
        y = num(mid_y)
    );

    // X ticks, thinned so labels never overlap.
    let band = if n > 0 { plot_w / n as f64 } else { plot_w };
    let x_of = |i: usize| plot_left + (i as f64 + 0.5) * band;
    out += "<g class=\"x-axis\" font-size=\"14\" text-anchor=\"middle\">";
    if !empty {
        let labels: Vec<String> = periods.iter().map(|p| truncate(p, 16)).collect();
        let label_w = labels.iter().map(|l| text_width(l, 14.0)).fold(0.0, f64::max) + 12.0;
        let step = ((label_w / band).ceil() as usize).max(1);
        for (i, label) in labels.iter().enumerate() {
            if i % step != 0 {
                continue;
            }
            let x = x_of(i);
            out += &format!(
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{TEXT}\"/>\
                 <text x=\"{x}\" y=\"{}\" fill=\"{MUTED}\">{}</text>",
                num(plot_bottom),
                num(plot_bottom + 5.0),
                num(plot_bottom + 20.0),
                escape(label),
                x = num(x)
            );
        }
    }
    out += &format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"16\">period</text></g>",
        num((plot_left + plot_right) / 2.0),
        num(plot_bottom + 48.0)
    );

    // Axis lines.
    out += &format!(
        "<path d=\"M{l} {t}V{b}H{r}\" fill=\"none\" stroke=\"{TEXT}\"/>",
        l = num(plot_left),
        t = num(plot_top),
        b = num(plot_bottom),
        r = num(plot_right)
    );

    if empty {
        out += &no_events((plot_left + plot_right) / 2.0, mid_y);
        out += "</svg>";
        return out;
    }

    // The series: a line, then markers with tooltips (left out when points crowd).
    let draw_markers = band >= 4.0;
    for (i, (label, values)) in series.iter().enumerate() {
        let (colour, dash, shape) = series_style(label, i);
        let points: Vec<String> = (0..n).map(|p| format!("{},{}", num(x_of(p)), num(y_of(value(values, p))))).collect();
        out += &format!(
            "<g class=\"series\"><polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\" \
             stroke-linejoin=\"round\"{dash}/>",
            points.join(" "),
            dash = dash.map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default(),
        );
        if draw_markers {
            for (p, period) in periods.iter().enumerate() {
                let v = value(values, p);
                let tip = format!("{label}, {period}: {}", events(v));
                out += &marker(shape, x_of(p), y_of(v), colour, Some(&tip));
            }
        }
        out += "</g>";
    }
    out += "</svg>";
    out
}

// ---------------------------------------------------------------------------------------------
// Network
// ---------------------------------------------------------------------------------------------

/// Radius of a circle whose area is proportional to `value` (`max` gets `r_max`), never
/// smaller than `r_min` so small counts stay visible.
fn area_radius(value: u64, max: u64, r_max: f64, r_min: f64) -> f64 {
    if max == 0 {
        return r_min;
    }
    (r_max * (value as f64 / max as f64).sqrt()).max(r_min)
}

/// Stroke width of an edge: 1 to 8 units, linear in its count.
fn edge_width(value: u64, max: u64) -> f64 {
    if max == 0 {
        return 1.0;
    }
    1.0 + 7.0 * value as f64 / max as f64
}

/// An arrowhead (filled triangle) whose tip is at `tip`, pointing along `dir` (unit vector).
fn arrowhead(tip: (f64, f64), dir: (f64, f64), size: f64, colour: &str) -> String {
    let base = (tip.0 - dir.0 * size, tip.1 - dir.1 * size);
    let normal = (-dir.1, dir.0);
    let half = size * 0.55;
    format!(
        "<polygon points=\"{},{} {},{} {},{}\" fill=\"{colour}\"/>",
        num(tip.0),
        num(tip.1),
        num(base.0 + normal.0 * half),
        num(base.1 + normal.1 * half),
        num(base.0 - normal.0 * half),
        num(base.1 - normal.1 * half)
    )
}

fn unit(dx: f64, dy: f64) -> (f64, f64) {
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-9 {
        (1.0, 0.0)
    } else {
        (dx / len, dy / len)
    }
}

/// How far a network label may be pushed out of its neighbour's way, in units.
const LABEL_PUSH_MAX: f64 = 30.0;

/// Where a node's label goes: its baseline position and anchor.
#[derive(Clone, Copy, Debug)]
struct LabelSpot {
    x: f64,
    y: f64,
    anchor: &'static str,
}

/// The label of each node of a network, outside the circle: beside the nodes on the left and
/// right, centred above or below them at the top and bottom. A label centred at the top or
/// bottom that would overlap the previous label around the circle is pushed outward (at most
/// `max_push`, the room the chart keeps), so crowded labels alternate between two rows.
fn place_labels(
    pos: &[(f64, f64)],
    node_r: &[f64],
    has_loop: &[bool],
    labels: &[String],
    angle: &dyn Fn(usize) -> f64,
    max_push: f64,
) -> Vec<LabelSpot> {
    const SIZE: f64 = 14.0;
    let spot = |i: usize, push: f64| -> (LabelSpot, f64) {
        let (x, y) = pos[i];
        let (cos, sin) = (angle(i).cos(), angle(i).sin());
        // Past the loop, when the actor acts on itself.
        let gap = node_r[i] + if has_loop[i] { 30.0 } else { 6.0 } + push;
        let anchor = if cos > 0.45 {
            "start"
        } else if cos < -0.45 {
            "end"
        } else {
            "middle"
        };
        let dy = if sin > 0.3 {
            12.0
        } else if sin < -0.3 {
            -2.0
        } else {
            4.5
        };
        (LabelSpot { x: x + cos * gap, y: y + sin * gap + dy, anchor }, sin)
    };
    // The horizontal extent of a label.
    let extent = |l: &LabelSpot, i: usize| {
        let w = text_width(&labels[i], SIZE);
        match l.anchor {
            "start" => (l.x, l.x + w),
            "end" => (l.x - w, l.x),
            _ => (l.x - w / 2.0, l.x + w / 2.0),
        }
    };
    let overlaps = |a: &LabelSpot, i: usize, b: &LabelSpot, j: usize| {
        let ((a0, a1), (b0, b1)) = (extent(a, i), extent(b, j));
        a0 < b1 + 4.0 && b0 < a1 + 4.0 && (a.y - b.y).abs() < SIZE + 2.0
    };
    let n = pos.len();
    let mut out: Vec<LabelSpot> = Vec::with_capacity(n);
    for i in 0..n {
        let (mut l, sin) = spot(i, 0.0);
        if l.anchor == "middle" && max_push > 0.0 && sin.abs() > 0.3 {
            // The previous label, and (for the last) the first, which it also neighbours.
            let mut neighbours: Vec<usize> = Vec::new();
            if i > 0 {
                neighbours.push(i - 1);
            }
            if i + 1 == n && n > 2 {
                neighbours.push(0);
            }
            let mut push = 0.0;
            for j in neighbours {
                let other = out[j];
                if overlaps(&l, i, &other, j) {
                    // Move past the other label: down below the circle, up above it.
                    let needed = if sin > 0.0 { other.y + SIZE + 3.0 - l.y } else { l.y - (other.y - SIZE - 3.0) };
                    push = (push + needed.max(0.0) / sin.abs()).min(max_push);
                    l = spot(i, push).0;
                }
            }
        }
        out.push(l);
    }
    out
}

/// Who acts on whom: actors on a circle, an arrow from source to target per pair.
///
/// `nodes` are actor labels with their event counts (circle area ∝ count); `edges` are
/// `(source index, target index, events)` into `nodes` (stroke width ∝ count, arrowhead at
/// the target; the two directions of a pair curve apart; an actor acting on itself gets a
/// loop). At most [`MAX_NODES`] nodes are drawn: the caller passes the top actors (e.g. by
/// event count), nodes past the cap and edges touching them or pointing outside `nodes` are
/// dropped, edges of the same pair are added up, and zero counts are not drawn. Labels longer
/// than 18 characters are cut (the tooltip has them whole). No nodes give "no events".
pub fn network(title: &str, nodes: &[(String, u64)], edges: &[(usize, usize, u64)]) -> String {
    let nodes = &nodes[..nodes.len().min(MAX_NODES)];
    let n = nodes.len();
    let mut pairs: std::collections::BTreeMap<(usize, usize), u64> = std::collections::BTreeMap::new();
    for &(s, t, c) in edges {
        if s < n && t < n && c > 0 {
            let e = pairs.entry((s, t)).or_insert(0);
            *e = e.saturating_add(c);
        }
    }
    let max_node = nodes.iter().map(|(_, c)| *c).max().unwrap_or(0);
    let max_edge = pairs.values().copied().max().unwrap_or(0);
    let empty = n == 0;

    // Layout: a circle wide enough for the labels on its left and right.
    let labels: Vec<String> = nodes.iter().map(|(l, _)| truncate(l, 18)).collect();
    let label_w = labels.iter().map(|l| text_width(l, 14.0)).fold(0.0, f64::max);
    let spacing = if n > 1 { 2.0 * 170.0 * (std::f64::consts::PI / n as f64).sin() } else { 80.0 };
    let r_max = (spacing * 0.42).clamp(8.0, 22.0);
    let radius = (W / 2.0 - MARGIN - label_w - r_max - 10.0).clamp(110.0, 210.0);
    let top = 48.0;
    // Room for the labels at the top and bottom of the circle to move out of each other's way.
    let stagger = if n > 8 { LABEL_PUSH_MAX } else { 0.0 };
    let cx = W / 2.0;
    let cy = top + radius + r_max + 30.0 + stagger;
    let graph_bottom = cy + radius + r_max + 30.0 + stagger;
    let legend_top = graph_bottom + 10.0;
    let height = if empty { top + 200.0 } else { legend_top + 2.0 * r_max + 110.0 };

    let summary = if empty {
        "No events.".to_string()
    } else {
        let total: u64 = pairs.values().fold(0u64, |a, &b| a.saturating_add(b));
        format!(
            "Who acts on whom: {} actors on a circle, {} arrows from source to target actor carrying {}.",
            n,
            pairs.len(),
            events(total)
        )
    };
    let mut out = open(height, title, &summary);
    if empty {
        out += &no_events(W / 2.0, top + 100.0);
        out += "</svg>";
        return out;
    }

    let angle = |i: usize| -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * i as f64 / n as f64;
    let pos: Vec<(f64, f64)> = (0..n).map(|i| (cx + radius * angle(i).cos(), cy + radius * angle(i).sin())).collect();
    let node_r: Vec<f64> = nodes.iter().map(|(_, c)| area_radius(*c, max_node, r_max, 3.0)).collect();

    // Edges under the nodes; thick ones first so thin ones stay visible on top.
    let mut ordered: Vec<(&(usize, usize), &u64)> = pairs.iter().collect();
    ordered.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    out += "<g class=\"edges\">";
    for (&(s, t), &c) in ordered {
        let w = edge_width(c, max_edge);
        let head = 6.0 + 1.6 * w;
        let tip_text = format!("{} → {}: {}", nodes[s].0, nodes[t].0, events(c));
        let (path, tip, dir) = if s == t {
            // A loop outside the circle.
            let a = angle(s);
            let (px, py) = pos[s];
            let r = node_r[s];
            let start = (px + r * (a - 0.5).cos(), py + r * (a - 0.5).sin());
            let end = (px + r * (a + 0.5).cos(), py + r * (a + 0.5).sin());
            let reach = r + 34.0;
            let c1 = (px + reach * (a - 0.7).cos(), py + reach * (a - 0.7).sin());
            let c2 = (px + reach * (a + 0.7).cos(), py + reach * (a + 0.7).sin());
            let dir = unit(end.0 - c2.0, end.1 - c2.1);
            let stop = (end.0 - dir.0 * head * 0.8, end.1 - dir.1 * head * 0.8);
            (
                format!(
                    "M{} {}C{} {} {} {} {} {}",
                    num(start.0),
                    num(start.1),
                    num(c1.0),
                    num(c1.1),
                    num(c2.0),
                    num(c2.1),
                    num(stop.0),
                    num(stop.1)
                ),
                end,
                dir,
            )
        } else {
            let (x1, y1) = pos[s];
            let (x2, y2) = pos[t];
            let (dx, dy) = (x2 - x1, y2 - y1);
            let len = (dx * dx + dy * dy).sqrt();
            // Bend to the left of the direction of travel, so a→b and b→a part.
            let bend = 0.12 * len;
            let normal = unit(dy, -dx);
            let ctrl = ((x1 + x2) / 2.0 + normal.0 * bend, (y1 + y2) / 2.0 + normal.1 * bend);
            let d_start = unit(ctrl.0 - x1, ctrl.1 - y1);
            let start = (x1 + d_start.0 * (node_r[s] + 2.0), y1 + d_start.1 * (node_r[s] + 2.0));
            let d_end = unit(x2 - ctrl.0, y2 - ctrl.1);
            let tip = (x2 - d_end.0 * (node_r[t] + 2.0), y2 - d_end.1 * (node_r[t] + 2.0));
            let stop = (tip.0 - d_end.0 * head * 0.8, tip.1 - d_end.1 * head * 0.8);
            (
                format!(
                    "M{} {}Q{} {} {} {}",
                    num(start.0),
                    num(start.1),
                    num(ctrl.0),
                    num(ctrl.1),
                    num(stop.0),
                    num(stop.1)
                ),
                tip,
                d_end,
            )
        };
        out += &format!(
            "<g><title>{}</title><path d=\"{path}\" fill=\"none\" stroke=\"{BLUE}\" stroke-opacity=\"0.6\" \
             stroke-width=\"{}\" stroke-linecap=\"round\"/>{}</g>",
            escape(&tip_text),
            num(w),
            arrowhead(tip, dir, head, BLUE)
        );
    }
    out += "</g>";

    // Nodes and their labels.
    let has_loop: Vec<bool> = (0..n).map(|i| pairs.contains_key(&(i, i))).collect();
    let placed = place_labels(&pos, &node_r, &has_loop, &labels, &angle, stagger);
    out += "<g class=\"nodes\" font-size=\"14\">";
    for (i, ((label, c), short)) in nodes.iter().zip(&labels).enumerate() {
        let (x, y) = pos[i];
        let l = placed[i];
        out += &format!(
            "<g><title>{}: {}</title><circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{ORANGE}\" stroke=\"{TEXT}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text></g>",
            escape(label),
            events(*c),
            num(x),
            num(y),
            num(node_r[i]),
            num(l.x),
            num(l.y),
            l.anchor,
            escape(short)
        );
    }
    out += "</g>";

    // Legend: circle sizes, then line widths.
    out += "<g class=\"legend\" font-size=\"14\">";
    out += &format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"15\" font-weight=\"bold\">Circle area: events of the actor</text>",
        num(MARGIN),
        num(legend_top + 14.0)
    );
    let mut x = MARGIN;
    let circle_y = legend_top + 28.0 + r_max;
    for v in size_legend_values(max_node) {
        let r = area_radius(v, max_node, r_max, 3.0);
        let label = events(v);
        out += &format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{ORANGE}\" stroke=\"{TEXT}\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            num(x + r),
            num(circle_y),
            num(r),
            num(x + 2.0 * r + 6.0),
            num(circle_y + 4.5),
            escape(&label)
        );
        x += 2.0 * r + 16.0 + text_width(&label, 14.0);
    }
    let lines_y = circle_y + r_max + 24.0;
    out += &format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"15\" font-weight=\"bold\">Arrow width: events, from source to target</text>",
        num(MARGIN),
        num(lines_y)
    );
    let mut x = MARGIN;
    let sample_y = lines_y + 22.0;
    if max_edge == 0 {
        out += &format!(
            "<text x=\"{}\" y=\"{}\" fill=\"{MUTED}\">no links between these actors</text>",
            num(x),
            num(sample_y + 4.5)
        );
    }
    for v in size_legend_values(max_edge) {
        let w = edge_width(v, max_edge);
        let head = 6.0 + 1.6 * w;
        let label = events(v);
        out += &format!(
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{BLUE}\" stroke-opacity=\"0.6\" \
             stroke-width=\"{}\"/>{}<text x=\"{}\" y=\"{}\">{}</text>",
            num(x),
            num(x + 40.0 - head * 0.8),
            num(w),
            arrowhead((x + 40.0, sample_y), (1.0, 0.0), head, BLUE),
            num(x + 46.0),
            num(sample_y + 4.5),
            escape(&label),
            y = num(sample_y)
        );
        x += 62.0 + text_width(&label, 14.0);
    }
    out += "</g></svg>";
    out
}

// ---------------------------------------------------------------------------------------------
// Map
// ---------------------------------------------------------------------------------------------

/// Where the map's plot area sits in the chart.
const MAP_LEFT: f64 = 60.0;
const MAP_TOP: f64 = 48.0;
const MAP_W: f64 = W - MAP_LEFT - MARGIN - 4.0;
const MAP_H: f64 = MAP_W / 2.0;
/// Radius of the largest circle on the map.
const MAP_R_MAX: f64 = 16.0;

/// Equirectangular projection: longitude −180…180 to the plot's width, latitude 90…−90 to its
/// height. Longitudes outside ±180 (unwrapped rings) land outside the plot and are clipped.
fn project(lat: f64, lon: f64) -> (f64, f64) {
    (MAP_LEFT + (lon + 180.0) / 360.0 * MAP_W, MAP_TOP + (90.0 - lat) / 180.0 * MAP_H)
}

/// The SVG path data of one ring. A ring that steps across the antimeridian is unwrapped
/// (longitudes made continuous past ±180) and drawn again shifted by 360°, so both halves
/// fill correctly under the plot's clip; a ring that goes all the way round (Antarctica) is
/// closed along its pole.
fn ring_path(ring: &[(f32, f32)], d: &mut String) {
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(ring.len() + 2);
    let mut offset = 0.0;
    for &(lon, lat) in ring {
        let (lon, lat) = (f64::from(lon), f64::from(lat));
        if let Some(&(prev, _)) = points.last() {
            let step = lon + offset - prev;
            if step > 180.0 {
                offset -= 360.0;
            } else if step < -180.0 {
                offset += 360.0;
            }
        }
        points.push((lon + offset, lat));
    }
    let (Some(&first), Some(&last)) = (points.first(), points.last()) else { return };
    if (first.0 - last.0).abs() > 180.0 {
        let mean_lat = points.iter().map(|p| p.1).sum::<f64>() / points.len() as f64;
        let pole = if mean_lat < 0.0 { -90.0 } else { 90.0 };
        points.push((last.0, pole));
        points.push((first.0, pole));
    }
    let min = points.iter().map(|p| p.0).fold(f64::MAX, f64::min);
    let max = points.iter().map(|p| p.0).fold(f64::MIN, f64::max);
    for shift in [-360.0, 0.0, 360.0] {
        if min + shift >= 180.0 || max + shift <= -180.0 {
            continue;
        }
        let mut previous = String::new();
        for (i, &(lon, lat)) in points.iter().enumerate() {
            let (x, y) = project(lat, lon + shift);
            let xy = format!("{} {}", num(x), num(y));
            if xy == previous {
                continue;
            }
            d.push(if i == 0 { 'M' } else { 'L' });
            d.push_str(&xy);
            previous = xy;
        }
        d.push('Z');
    }
}

/// The country outlines as one SVG group, projected once and kept: they never change.
fn countries_svg() -> &'static str {
    static COUNTRIES: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    COUNTRIES.get_or_init(|| {
        let mut out =
            "<g class=\"countries\" fill=\"#d6d6d6\" stroke=\"#ffffff\" stroke-width=\"0.5\" fill-rule=\"evenodd\">"
                .to_string();
        for country in world::world() {
            let mut d = String::new();
            for ring in &country.rings {
                ring_path(ring, &mut d);
            }
            if !d.is_empty() {
                out += &format!("<path d=\"{d}\"><title>{}</title></path>", escape(country.name));
            }
        }
        out += "</g>";
        out
    })
}

/// `30°N`, `0°`, `120°W`.
fn degrees(v: i32, positive: char, negative: char) -> String {
    match v.cmp(&0) {
        std::cmp::Ordering::Equal => "0°".to_string(),
        std::cmp::Ordering::Greater => format!("{v}°{positive}"),
        std::cmp::Ordering::Less => format!("{}°{negative}", -v),
    }
}

/// Where events happened: circles on a world map.
///
/// Country outlines are the embedded Natural Earth 1:110m ones ([`world::world`]) in light grey
/// on an equirectangular projection with longitude and latitude axes. Each point is
/// `(lat, lon, label, events)`: a circle whose area is proportional to its count, with a
/// tooltip "label: N events"; larger circles are drawn first so smaller ones stay on top.
/// Points with a zero count or with coordinates that are not finite or out of range are left
/// out. No points give the map with "no events" on it.
pub fn map(title: &str, points: &[(f64, f64, String, u64)]) -> String {
    let mut shown: Vec<&(f64, f64, String, u64)> = points
        .iter()
        .filter(|(lat, lon, _, c)| {
            *c > 0
                && lat.is_finite()
                && lon.is_finite()
                && (-90.0..=90.0).contains(lat)
                && (-180.0..=180.0).contains(lon)
        })
        .collect();
    shown.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.2.cmp(&b.2)));
    let max = shown.first().map(|p| p.3).unwrap_or(0);
    let total = shown.iter().fold(0u64, |a, p| a.saturating_add(p.3));
    let empty = shown.is_empty();

    let plot_bottom = MAP_TOP + MAP_H;
    let legend_top = plot_bottom + 58.0;
    let height = if empty { legend_top } else { legend_top + 2.0 * MAP_R_MAX + 34.0 };
    let summary = if empty {
        "World map; no events.".to_string()
    } else {
        let top: Vec<String> = shown.iter().take(3).map(|p| format!("{} ({})", p.2, count(p.3))).collect();
        format!("World map of {} at {} places; most at {}.", events(total), count(shown.len() as u64), top.join(", "))
    };
    let mut out = open(height, title, &summary);

    let id = format!(
        "annals-map-clip-{:08x}",
        fnv(&[title.as_bytes(), &(points.len() as u64).to_le_bytes(), &total.to_le_bytes()])
    );
    out += &format!(
        "<defs><clipPath id=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>",
        num(MAP_LEFT),
        num(MAP_TOP),
        num(MAP_W),
        num(MAP_H)
    );
    // Sea, graticule, countries, all clipped to the plot.
    out += &format!(
        "<g clip-path=\"url(#{id})\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#eef4f8\"/>",
        num(MAP_LEFT),
        num(MAP_TOP),
        num(MAP_W),
        num(MAP_H)
    );
    let lons: Vec<i32> = (-180..=180).step_by(60).collect();
    let lats: Vec<i32> = (-90..=90).step_by(30).collect();
    let mut grid = String::new();
    for &lon in &lons {
        let (x, _) = project(0.0, f64::from(lon));
        grid += &format!("M{} {}V{}", num(x), num(MAP_TOP), num(plot_bottom));
    }
    for &lat in &lats {
        let (_, y) = project(f64::from(lat), 0.0);
        grid += &format!("M{} {}H{}", num(MAP_LEFT), num(y), num(MAP_LEFT + MAP_W));
    }
    out += &format!("<path d=\"{grid}\" fill=\"none\" stroke=\"#d4dee6\" stroke-width=\"0.6\"/>");
    out += countries_svg();

    // The events.
    out += &format!(
        "<g class=\"points\" fill=\"{VERMILLION}\" fill-opacity=\"0.6\" stroke=\"#5a2600\" stroke-width=\"0.8\">"
    );
    for (lat, lon, label, c) in &shown {
        let (x, y) = project(*lat, *lon);
        out += &format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"><title>{}: {}</title></circle>",
            num(x),
            num(y),
            num(area_radius(*c, max, MAP_R_MAX, 2.5)),
            escape(label),
            events(*c)
        );
    }
    out += "</g></g>";
    out += &format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{MUTED}\"/>",
        num(MAP_LEFT),
        num(MAP_TOP),
        num(MAP_W),
        num(MAP_H)
    );

    // Axes: longitude under the map, latitude on its left.
    out += &format!("<g class=\"x-axis\" font-size=\"13\" text-anchor=\"middle\" fill=\"{MUTED}\">");
    for &lon in &lons {
        let (x, _) = project(0.0, f64::from(lon));
        out += &format!("<text x=\"{}\" y=\"{}\">{}</text>", num(x), num(plot_bottom + 16.0), degrees(lon, 'E', 'W'));
    }
    out += &format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"16\" fill=\"{TEXT}\">longitude</text></g>",
        num(MAP_LEFT + MAP_W / 2.0),
        num(plot_bottom + 38.0)
    );
    out += &format!("<g class=\"y-axis\" font-size=\"13\" text-anchor=\"end\" fill=\"{MUTED}\">");
    for &lat in &lats {
        let (_, y) = project(f64::from(lat), 0.0);
        out += &format!("<text x=\"{}\" y=\"{}\">{}</text>", num(MAP_LEFT - 5.0), num(y + 4.0), degrees(lat, 'N', 'S'));
    }
    let mid_y = MAP_TOP + MAP_H / 2.0;
    out += &format!(
        "<text x=\"{x}\" y=\"{y}\" font-size=\"16\" text-anchor=\"middle\" fill=\"{TEXT}\" \
         transform=\"rotate(-90 {x} {y})\">latitude</text></g>",
        x = num(MARGIN + 4.0),
        y = num(mid_y)
    );

    if empty {
        out += &no_events(MAP_LEFT + MAP_W / 2.0, mid_y);
        out += "</svg>";
        return out;
    }

    // Legend of circle sizes.
    out += "<g class=\"legend\" font-size=\"14\">";
    out += &format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"15\" font-weight=\"bold\">Circle area: events at the place</text>",
        num(MARGIN),
        num(legend_top)
    );
    let mut x = MARGIN;
    let cy = legend_top + 14.0 + MAP_R_MAX;
    for v in size_legend_values(max) {
        let r = area_radius(v, max, MAP_R_MAX, 2.5);
        let label = events(v);
        out += &format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{VERMILLION}\" fill-opacity=\"0.6\" stroke=\"#5a2600\" \
             stroke-width=\"0.8\"/><text x=\"{}\" y=\"{}\">{}</text>",
            num(x + r),
            num(cy),
            num(r),
            num(x + 2.0 * r + 6.0),
            num(cy + 4.5),
            escape(&label)
        );
        x += 2.0 * r + 18.0 + text_width(&label, 14.0);
    }
    out += "</g></svg>";
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Parses `svg` as XML and returns the document text for further checks; fails the test
    /// when it is not well-formed or is not an accessible chart.
    fn check(svg: &str) -> roxmltree::Document<'_> {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.attribute("aria-label").is_some_and(|l| !l.is_empty()));
        assert!(root.attribute("viewBox").is_some());
        assert!(root.attribute("width").is_none(), "sized by viewBox only");
        let first = root.children().find(|n| n.is_element()).unwrap();
        assert_eq!(first.tag_name().name(), "title", "the <title> comes first");
        assert!(!svg.contains("style="), "presentation attributes only");
        doc
    }

    fn texts(doc: &roxmltree::Document<'_>) -> Vec<String> {
        doc.descendants().filter(|n| n.has_tag_name("text")).map(|n| n.text().unwrap_or("").to_string()).collect()
    }

    fn has_text(doc: &roxmltree::Document<'_>, s: &str) -> bool {
        texts(doc).iter().any(|t| t == s)
    }

    const EVIL: &str = "<script>alert(1)</script> \"quoted\" & 'single'\u{1}";

    fn quads() -> Vec<(String, Vec<u64>)> {
        vec![
            ("verbal cooperation".to_string(), vec![3, 5, 8, 2]),
            ("material cooperation".to_string(), vec![1, 0, 2, 4]),
            ("verbal conflict".to_string(), vec![7, 9, 4, 12]),
            ("material conflict".to_string(), vec![2, 6, 11, 3]),
        ]
    }

    fn periods(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("2024-{:02}", i % 12 + 1)).collect()
    }

    #[test]
    fn escape_handles_markup_quotes_and_control_characters() {
        assert_eq!(escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escape("a \"b\" & 'c'"), "a &quot;b&quot; &amp; &#39;c&#39;");
        assert_eq!(escape("tab\tnl\nnul\u{0}"), "tab\tnl\nnul\u{FFFD}");
        assert_eq!(escape("Gaza – غزة ✓"), "Gaza – غزة ✓");
    }

    #[test]
    fn numbers_and_ticks_are_round() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(2.0), "2");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(nice_ticks(12, 5), [0, 5, 10, 15]);
        assert_eq!(nice_ticks(1, 5), [0, 1]);
        assert_eq!(nice_ticks(7, 5), [0, 2, 4, 6, 8]);
        assert_eq!(nice_ticks(1000, 5), [0, 200, 400, 600, 800, 1000]);
        assert!(nice_ticks(u64::MAX, 5).len() <= 6);
        assert_eq!(size_legend_values(100), [100, 20, 5]);
        assert_eq!(size_legend_values(1), [1]);
        assert_eq!(size_legend_values(0), Vec::<u64>::new());
    }

    #[test]
    fn timeline_has_axes_legend_and_a_line_per_series() {
        let svg = timeline("Events by quad class", &periods(4), &quads());
        let doc = check(&svg);
        assert!(has_text(&doc, "period") && has_text(&doc, "events"));
        for (label, _) in quads() {
            assert!(has_text(&doc, &label), "legend lacks {label}");
        }
        assert_eq!(doc.descendants().filter(|n| n.has_tag_name("polyline")).count(), 4);
        assert!(has_text(&doc, "2024-01") && has_text(&doc, "2024-04"));
        assert!(has_text(&doc, "0") && has_text(&doc, "15"), "y ticks 0..15: {:?}", texts(&doc));
        assert!(svg.contains("verbal conflict, 2024-04: 12 events"));
        // Colour is not the only cue: verbal series are dashed, material ones solid.
        assert_eq!(svg.matches("stroke-dasharray").count(), 4, "two legend swatches and two lines");
    }

    #[test]
    fn timeline_thins_crowded_period_labels() {
        let series = vec![("events".to_string(), (0..200).map(|i| i % 17).collect::<Vec<u64>>())];
        let svg = timeline("Daily", &periods(200), &series);
        let doc = check(&svg);
        let ticks = doc.descendants().filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("x-axis"));
        let labels = ticks.flat_map(|g| g.children().filter(|n| n.has_tag_name("text"))).count();
        assert!(labels > 3 && labels < 20, "{labels} period labels");
    }

    #[test]
    fn timeline_escapes_titles_and_labels() {
        let series = vec![(EVIL.to_string(), vec![1, 2])];
        let svg = timeline(EVIL, &[EVIL.to_string(), "b".to_string()], &series);
        let doc = check(&svg);
        assert!(!svg.contains("<script"));
        assert_eq!(
            doc.root_element().children().find(|n| n.has_tag_name("title")).unwrap().text(),
            Some("<script>alert(1)</script> \"quoted\" & 'single'\u{FFFD}")
        );
    }

    #[test]
    fn timeline_without_events_says_so() {
        for svg in [
            timeline("Nothing", &[], &[]),
            timeline("No series", &periods(3), &[]),
            timeline("All zero", &periods(3), &[("verbal conflict".to_string(), vec![0, 0, 0])]),
            timeline("Short series", &periods(3), &[("x".to_string(), vec![])]),
        ] {
            let doc = check(&svg);
            assert!(has_text(&doc, "no events"), "{svg}");
            assert!(has_text(&doc, "period") && has_text(&doc, "events"));
        }
        // A series shorter than the periods counts 0 for the rest.
        let short = timeline("Short", &periods(3), &[("x".to_string(), vec![4])]);
        assert!(!has_text(&check(&short), "no events"));
    }

    fn actors() -> Vec<(String, u64)> {
        ["ISR", "PSE", "USA", "EGY", "QAT", "IRN"]
            .iter()
            .zip([40, 30, 22, 9, 5, 1])
            .map(|(a, c)| (a.to_string(), c))
            .collect()
    }

    #[test]
    fn network_draws_nodes_arrows_and_legend() {
        let edges = [(0, 1, 20), (1, 0, 12), (2, 0, 8), (3, 1, 3), (4, 4, 2), (0, 1, 1)];
        let svg = network("Who acts on whom", &actors(), &edges);
        let doc = check(&svg);
        for (a, _) in actors() {
            assert!(has_text(&doc, &a));
        }
        let edges_g = doc.descendants().find(|n| n.attribute("class") == Some("edges")).unwrap();
        assert_eq!(edges_g.children().filter(|n| n.is_element()).count(), 5, "duplicates are summed");
        assert!(svg.contains("ISR → PSE: 21 events"));
        assert!(has_text(&doc, "Circle area: events of the actor"));
        assert!(has_text(&doc, "Arrow width: events, from source to target"));
        assert!(has_text(&doc, "40 events") && has_text(&doc, "21 events"));
    }

    #[test]
    fn network_caps_nodes_and_drops_bad_edges() {
        let nodes: Vec<(String, u64)> = (0..45).map(|i| (format!("actor {i}"), 100 - i)).collect();
        let edges = [(0, 40, 5), (0, 1, 3), (99, 0, 1), (2, 3, 0)];
        let svg = network("Many", &nodes, &edges);
        let doc = check(&svg);
        let nodes_g = doc.descendants().find(|n| n.attribute("class") == Some("nodes")).unwrap();
        assert_eq!(nodes_g.children().filter(|n| n.is_element()).count(), MAX_NODES);
        let edges_g = doc.descendants().find(|n| n.attribute("class") == Some("edges")).unwrap();
        assert_eq!(edges_g.children().filter(|n| n.is_element()).count(), 1);
    }

    #[test]
    fn network_escapes_and_handles_empty_input() {
        let nodes = vec![(EVIL.to_string(), 3), ("b".to_string(), 1)];
        let svg = network(EVIL, &nodes, &[(0, 1, 2)]);
        check(&svg);
        assert!(!svg.contains("<script"));
        let doc_svg = network("Nobody", &[], &[(0, 1, 1)]);
        let doc = check(&doc_svg);
        assert!(has_text(&doc, "no events"));
        let lonely = network("No links", &nodes, &[]);
        assert!(has_text(&check(&lonely), "no links between these actors"));
    }

    #[test]
    fn map_projects_the_origin_to_the_centre() {
        let (x, y) = project(0.0, 0.0);
        assert!((x - (MAP_LEFT + MAP_W / 2.0)).abs() < 1e-9);
        assert!((y - (MAP_TOP + MAP_H / 2.0)).abs() < 1e-9);
        assert_eq!(project(90.0, -180.0), (MAP_LEFT, MAP_TOP));
        assert_eq!(project(-90.0, 180.0), (MAP_LEFT + MAP_W, MAP_TOP + MAP_H));
        // And a point at (0, 0) is drawn there.
        let svg = map("Origin", &[(0.0, 0.0, "Null Island".to_string(), 1)]);
        assert!(svg.contains(&format!("<circle cx=\"{}\" cy=\"{}\"", num(x), num(y))));
    }

    #[test]
    fn map_draws_countries_points_axes_and_legend() {
        let points = vec![
            (31.5, 34.47, "Gaza".to_string(), 120),
            (50.45, 30.52, "Kyiv".to_string(), 40),
            (38.9, -77.04, "Washington".to_string(), 7),
            (f64::NAN, 0.0, "nowhere".to_string(), 5),
            (95.0, 0.0, "off the map".to_string(), 5),
            (10.0, 10.0, "nothing happened".to_string(), 0),
        ];
        let svg = map("Where", &points);
        let doc = check(&svg);
        let countries = doc.descendants().find(|n| n.attribute("class") == Some("countries")).unwrap();
        assert!(countries.children().filter(|n| n.is_element()).count() > 170);
        let circles = doc.descendants().find(|n| n.attribute("class") == Some("points")).unwrap();
        assert_eq!(circles.children().filter(|n| n.is_element()).count(), 3);
        assert!(svg.contains("Gaza: 120 events"));
        assert!(has_text(&doc, "longitude") && has_text(&doc, "latitude"));
        assert!(has_text(&doc, "0°") && has_text(&doc, "60°E") && has_text(&doc, "30°S"));
        assert!(has_text(&doc, "Circle area: events at the place"));
        assert!(has_text(&doc, "120 events") && has_text(&doc, "20 events"));
        assert!(svg.len() < 400_000, "map is {} bytes", svg.len());
    }

    #[test]
    fn map_escapes_and_handles_empty_input() {
        let svg = map(EVIL, &[(1.0, 2.0, EVIL.to_string(), 3)]);
        check(&svg);
        assert!(!svg.contains("<script"));
        let doc_svg = map("Nothing", &[]);
        let doc = check(&doc_svg);
        assert!(has_text(&doc, "no events"));
        assert!(has_text(&doc, "longitude"));
    }

    #[test]
    fn rings_across_the_antimeridian_are_unwrapped_not_smeared() {
        // A ring stepping from 179 to -179 and back: drawn twice (shifted by 360), and no
        // segment of either copy spans more than half the map.
        let ring = [(178.0f32, 10.0f32), (-179.0, 10.0), (-179.0, 12.0), (178.0, 12.0)];
        let mut d = String::new();
        ring_path(&ring, &mut d);
        assert_eq!(d.matches('M').count(), 2, "{d}");
        for sub in d.split('M').filter(|s| !s.is_empty()) {
            let xs: Vec<f64> =
                sub.trim_end_matches('Z').split('L').map(|p| p.split(' ').next().unwrap().parse().unwrap()).collect();
            let span = xs.iter().cloned().fold(f64::MIN, f64::max) - xs.iter().cloned().fold(f64::MAX, f64::min);
            assert!(span < MAP_W / 2.0, "{sub}");
        }
        // A ring round the pole is closed along the pole.
        let polar = [(-180.0f32, -80.0f32), (-60.0, -70.0), (60.0, -70.0), (180.0, -80.0)];
        let mut d = String::new();
        ring_path(&polar, &mut d);
        assert!(d.contains(&num(MAP_TOP + MAP_H)), "{d}");
    }
}
