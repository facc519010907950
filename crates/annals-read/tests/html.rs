//! Tests of the HTML reader on pages written for them: the article's paragraphs come out
//! separated by blank lines, without navigation, footer or cookie banner; title, date,
//! URL and site come from the page's metadata; a page without an article is an error.

#![allow(clippy::unwrap_used)]

use annals_read::{read, Format, ReadError, SourceDocument};
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

fn read_page(name: &str) -> Result<SourceDocument, ReadError> {
    let bytes = std::fs::read(data(name)).unwrap();
    let out = read(name, Format::Html, &bytes)?;
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert_eq!(out.documents.len(), 1);
    Ok(out.documents.into_iter().next().unwrap())
}

/// Compares `actual` with the file `name` in tests/data; UPDATE_EXPECT=1 rewrites it.
fn expect_file(name: &str, actual: &str) {
    let path = data(name);
    if std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(actual, expected, "{} differs (UPDATE_EXPECT=1 rewrites it)", path.display());
}

#[test]
fn article_page_gives_its_paragraphs_and_metadata() {
    let doc = read_page("article.html").unwrap();
    expect_file("article.expected.txt", &doc.text);
    assert_eq!(doc.text.split("\n\n").count(), 3, "{}", doc.text);
    for boilerplate in ["cookies", "Weather forecast", "Subscribe", "Most read", "Copyright", "Accept", "Ines Marrow"] {
        assert!(!doc.text.contains(boilerplate), "{boilerplate:?} in the text: {}", doc.text);
    }
    // Entities are decoded.
    assert!(doc.text.contains("\u{201C}offered everything") && doc.text.contains("January & local"), "{}", doc.text);
    assert_eq!(doc.title.as_deref(), Some("Harbour talks stall as envoys leave Valmora"));
    assert_eq!(doc.date.as_deref(), Some("2025-03-14"));
    assert_eq!(doc.url.as_deref(), Some("https://courier.example/world/harbour-talks-stall"));
    assert_eq!(doc.source.as_deref(), Some("The Lowland Courier"));
    assert_eq!((doc.id, doc.line), (None, 0));
}

#[test]
fn line_breaks_separate_paragraphs_and_meta_date_wins_over_json_ld() {
    let doc = read_page("plain-divs.html").unwrap();
    expect_file("plain-divs.expected.txt", &doc.text);
    assert!(doc.text.contains("floods.\n\nPolice"), "{}", doc.text);
    assert!(!doc.text.contains("Home") && !doc.text.contains("Events"), "{}", doc.text);
    assert_eq!(doc.date.as_deref(), Some("2024-11-02"));
    assert_eq!(doc.title, None);
}

#[test]
fn json_ld_date_and_title_element() {
    let doc = read_page("json-ld.html").unwrap();
    assert_eq!(doc.date.as_deref(), Some("2022-06-30"));
    assert_eq!(doc.title.as_deref(), Some("Court rules on border fence"));
    assert!(doc.text.starts_with("The supreme court of Tarsland"), "{}", doc.text);
    assert!(doc.text.contains("winter.") && doc.text.contains("\n\nThe ruling"), "{}", doc.text);
}

#[test]
fn time_element_gives_the_date_when_nothing_else_does() {
    let page = format!(
        "<html><body><article><p>Updated <time datetime=\"2021-02-03T04:05\">3 Feb</time></p><p>{}</p></article></body></html>",
        "Dock workers in the southern port went on strike over pay, halting the unloading of grain ships for a second day while union leaders met the port authority.",
    );
    let out = read("t.html", Format::Html, page.as_bytes()).unwrap();
    assert_eq!(out.documents[0].date.as_deref(), Some("2021-02-03"));
}

#[test]
fn page_without_an_article_is_an_error() {
    let err = read_page("nav-only.html").unwrap_err();
    assert_eq!(err, ReadError::NoArticle { name: "nav-only.html".into() });
    assert_eq!(err.to_string(), "nav-only.html: no article text found");

    // A short note is not an article either.
    let err = read("short.html", Format::Html, b"<html><body><p>Back soon.</p></body></html>").unwrap_err();
    assert_eq!(err.to_string(), "short.html: no article text found");
    // Not HTML at all: the text is too short to be an article.
    assert!(read("x.html", Format::Html, b"just words").is_err());
}

#[test]
fn deeply_nested_markup_does_not_overflow() {
    let depth = 20_000;
    let mut page = "<div>".repeat(depth);
    page.push_str(&"word ".repeat(40));
    page.push_str(&"</div>".repeat(depth));
    let started = std::time::Instant::now();
    let err = read("deep.html", Format::Html, page.as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "deep.html: HTML elements nested more than 512 deep, not read");
    assert!(started.elapsed().as_secs() < 10, "took {:?}", started.elapsed());
    // Ordinary nesting is read.
    let page = format!("{}<p>{}</p>{}", "<div>".repeat(100), "word ".repeat(40), "</div>".repeat(100));
    assert_eq!(read("ok.html", Format::Html, page.as_bytes()).unwrap().documents.len(), 1);
}

#[test]
fn a_form_around_the_whole_page_or_a_shareable_article_is_not_boilerplate() {
    let article = "<p>The election commission of Norland confirmed on Sunday that the governing party lost its majority, \
        and the prime minister said she would seek a coalition partner.</p>\
        <p>Turnout was the highest in twenty years, the commission said, after a campaign dominated by energy prices.</p>";
    let pages = [
        format!("<html><body><form id=\"aspnetForm\"><nav><a href=/>Home</a></nav><div id=main>{article}</div></form></body></html>"),
        format!("<html><body><nav><a href=/>Home</a></nav><div class=\"story shareable-content\">{article}</div></body></html>"),
    ];
    for page in pages {
        let out = read("wrapped.html", Format::Html, page.as_bytes()).unwrap();
        let text = &out.documents[0].text;
        assert!(text.starts_with("The election commission") && text.ends_with("energy prices."), "{text}");
        assert!(!text.contains("Home"), "{text}");
    }
}
