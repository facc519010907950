//! Writes sample charts and a sample page to a folder, to look at them in a browser:
//! `cargo run -p annals-serve --example preview -- /tmp/serve-preview` (then open `index.html`).

use annals_serve::{html, svg};
use std::{fs, path::PathBuf};

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "serve-preview".to_string()));
    fs::create_dir_all(dir.join("static"))?;

    let periods: Vec<String> = (1..=24).map(|i| format!("2024-W{i:02}")).collect();
    let wave = |a: u64, b: u64| (0..24u64).map(|i| a + (i * b + i * i / 3) % 17).collect::<Vec<u64>>();
    let series = vec![
        ("verbal cooperation".to_string(), wave(10, 3)),
        ("material cooperation".to_string(), wave(2, 5)),
        ("verbal conflict".to_string(), wave(20, 7)),
        ("material conflict".to_string(), wave(14, 2)),
    ];
    let timeline = svg::timeline("Events per week by quad class", &periods, &series);

    let nodes: Vec<(String, u64)> = [
        ("Israel", 140),
        ("Hamas", 95),
        ("United States", 80),
        ("Palestinian Authority", 40),
        ("Egypt", 33),
        ("Qatar", 30),
        ("Iran", 22),
        ("Hezbollah", 18),
        ("United Nations Security Council", 12),
        ("Jordan", 6),
    ]
    .iter()
    .map(|(a, c)| (a.to_string(), *c))
    .collect();
    let edges = [
        (0, 1, 60),
        (1, 0, 45),
        (2, 0, 30),
        (0, 2, 12),
        (4, 1, 10),
        (5, 1, 9),
        (6, 7, 8),
        (7, 0, 7),
        (8, 0, 5),
        (0, 0, 4),
        (3, 0, 3),
        (9, 3, 2),
    ];
    let network = svg::network("Who acts on whom", &nodes, &edges);

    let points = vec![
        (31.5, 34.47, "Gaza".to_string(), 120),
        (31.78, 35.22, "Jerusalem".to_string(), 45),
        (50.45, 30.52, "Kyiv".to_string(), 60),
        (38.9, -77.04, "Washington".to_string(), 25),
        (33.89, 35.5, "Beirut".to_string(), 18),
        (30.04, 31.24, "Cairo".to_string(), 12),
        (25.29, 51.53, "Doha".to_string(), 10),
        (15.55, 32.53, "Khartoum".to_string(), 8),
        (-33.87, 151.21, "Sydney".to_string(), 1),
        (64.8, -147.7, "Fairbanks".to_string(), 2),
        (-17.8, 178.0, "Fiji".to_string(), 3),
    ];
    let map = svg::map("Where events happened", &points);

    let empty = svg::timeline("Nothing yet", &[], &[]);
    for (name, chart) in [("timeline", &timeline), ("network", &network), ("map", &map), ("empty", &empty)] {
        fs::write(dir.join(format!("{name}.svg")), chart)?;
    }

    let mut rows = String::new();
    for (i, (date, src, tgt, kind, n)) in [
        ("2024-05-01", "ISR", "PSE", "ASSAULT", 12),
        ("2024-04-28", "USA", "ISR", "CONSULT", 3),
        ("2024-05-10", "EGY", "PSE", "AID", 1100),
        ("2024-03-02", "QAT", "ISR", "DEMAND", 7),
    ]
    .iter()
    .enumerate()
    {
        rows += &format!(
            "<tr><td class=\"nowrap\">{date}</td><td>{src}</td><td>{tgt}</td><td>{kind}</td><td class=\"num\">{}</td>\
             <td class=\"text\">Sentence {i}: {}</td></tr>",
            n,
            html::escape("Officials said \"talks\" would resume <soon> & again.")
        );
    }
    let body = format!(
        "<form class=\"filters\" action=\"/\" method=\"get\">\
         <div><label for=\"actor\">Actor</label><input id=\"actor\" name=\"actor\" /></div>\
         <div><label for=\"type\">Event type</label><select id=\"type\" name=\"type\"><option>any</option></select></div>\
         <div><label for=\"since\">Since</label><input id=\"since\" name=\"since\" type=\"date\" /></div>\
         <div><label for=\"until\">Until</label><input id=\"until\" name=\"until\" type=\"date\" /></div>\
         <div class=\"actions\"><button type=\"submit\">Filter</button></div></form>\
         <h2>Timeline</h2><figure>{timeline}</figure>\
         <h2>Events</h2><div class=\"table-wrap\" role=\"region\" aria-label=\"Events\" tabindex=\"0\">\
         <table class=\"sortable\"><thead><tr><th>Date</th><th>Source</th><th>Target</th><th>Type</th>\
         <th class=\"num\">Events</th><th data-nosort=\"\">Sentence</th></tr></thead><tbody>{rows}</tbody></table></div>\
         <h2>Network</h2><figure>{network}</figure><h2>Map</h2><figure>{map}</figure>"
    );
    fs::write(dir.join("index.html"), html::page("Events", "/", &body).replace("/static/", "static/"))?;
    fs::write(dir.join("static/app.css"), html::APP_CSS)?;
    fs::write(dir.join("static/app.js"), html::APP_JS)?;
    println!("wrote {}", dir.display());
    Ok(())
}
