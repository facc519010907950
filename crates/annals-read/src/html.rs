//! HTML input: a web page becomes one document holding its main article text, with title,
//! date, canonical URL and site name from the page's metadata.
//!
//! The article is found by `dom_smoothie` (a port of Mozilla's Readability) after the
//! obvious boilerplate is removed (navigation, footers, asides, forms, cookie and consent
//! banners, each only when it holds less than half the page's words); its text is then rebuilt here from the article HTML, one paragraph per block
//! element, paragraphs separated by blank lines so that sentences of different paragraphs
//! never run together. Metadata is read with `scraper` selectors from the whole page. A
//! page whose article has fewer than [`MIN_WORDS`] words outside links is not an article.

use crate::{non_blank, normalize_date, ReadError, SourceDocument};
use scraper::{ElementRef, Html, Node, Selector};

/// Fewer words than this (not counting link text) is navigation or a stub, not an article.
const MIN_WORDS: usize = 25;

/// Deeper markup is refused (see [`read`]).
const MAX_DEPTH: usize = 512;

/// Removed before the article is looked for: never part of an article's text.
const BOILERPLATE_TAGS: &str =
    "nav, footer, aside, form, dialog, [role=navigation], [role=contentinfo], [role=complementary]";

/// Containers whose `id` or `class` holds one of these words are banners and widgets.
/// Only these tags, so that a word in a `<body>` or `<article>` class removes nothing big.
const BOILERPLATE_WORDS: &[&str] = &["cookie", "consent", "gdpr", "newsletter", "share", "social", "promo", "advert"];
const BOILERPLATE_CONTAINERS: &[&str] = &["div", "section", "ul", "p", "span"];

fn boilerplate_selector() -> String {
    let mut selector = BOILERPLATE_TAGS.to_string();
    for word in BOILERPLATE_WORDS {
        for tag in BOILERPLATE_CONTAINERS {
            for attr in ["id", "class"] {
                selector.push_str(&format!(", {tag}[{attr}*={word} i]"));
            }
        }
    }
    selector
}

/// Elements whose text is never article text, even inside the article.
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "button",
    "select",
    "textarea",
    "iframe",
    "object",
    "figcaption",
    "nav",
    "aside",
    "footer",
    "head",
    "title",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "dl",
    "dt",
    "dd",
    "hr",
    "br",
    "figure",
    "address",
    "details",
    "summary",
    "body",
    "center",
];

pub(crate) fn read(name: &str, page: &str) -> Result<SourceDocument, ReadError> {
    let no_article = || ReadError::NoArticle { name: name.to_string() };
    let parsed = Html::parse_document(page);
    if nesting_depth(&parsed) > MAX_DEPTH {
        // Readability's scoring takes time quadratic in the depth: 20,000 nested elements
        // take minutes. Real pages nest a few dozen levels.
        return Err(ReadError::Unreadable {
            name: name.to_string(),
            message: format!("HTML elements nested more than {MAX_DEPTH} deep, not read"),
        });
    }
    let meta = Metadata::of(&parsed);
    drop(parsed);
    let mut readability = dom_smoothie::Readability::new(page, None, None).map_err(|_| no_article())?;
    if let Some(boilerplate) = readability.doc.try_select(&boilerplate_selector()) {
        // Only what holds less than half the page's words: some sites wrap the whole page
        // in a `<form>`, or give the article's container a class like "shareable".
        let page_words = readability.doc.try_select("body").map_or(0, |b| b.text().split_whitespace().count());
        for node in boilerplate.nodes() {
            if node.text().split_whitespace().count() * 2 < page_words {
                node.remove_from_parent();
            }
        }
    }
    let article = readability.parse().map_err(|_| no_article())?;
    let (text, words) = article_text(&article.content);
    if words < MIN_WORDS {
        return Err(no_article());
    }
    Ok(SourceDocument {
        id: None,
        text,
        date: meta.date.or_else(|| article.published_time.as_deref().and_then(normalize_date)),
        title: meta.title.or_else(|| non_blank(&article.title)),
        url: meta.url,
        source: meta.source,
        line: 0,
    })
}

/// The text of an article's HTML, one paragraph per block, and its number of words
/// outside links.
fn article_text(html: &str) -> (String, usize) {
    let fragment = Html::parse_fragment(html);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        let paragraph = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !paragraph.is_empty() {
            paragraphs.push(paragraph);
        }
        current.clear();
    };
    let (mut skipped, mut in_link, mut words) = (0usize, 0usize, 0usize);
    // An explicit stack (node, closing) rather than recursion, so that deeply nested
    // markup cannot overflow the call stack.
    let mut stack = vec![(fragment.tree.root(), false)];
    while let Some((node, closing)) = stack.pop() {
        match node.value() {
            Node::Element(e) => {
                let tag = e.name();
                let skip = SKIPPED.contains(&tag);
                if closing {
                    if skip {
                        skipped = skipped.saturating_sub(1);
                    } else if tag == "a" {
                        in_link = in_link.saturating_sub(1);
                    }
                } else if skip {
                    skipped += 1;
                } else if tag == "a" {
                    in_link += 1;
                }
                if skipped == 0 && BLOCKS.contains(&tag) {
                    flush(&mut current);
                }
            }
            Node::Text(t) if !closing && skipped == 0 => {
                if in_link == 0 {
                    words += t.split_whitespace().count();
                }
                current.push_str(t);
            }
            _ => {}
        }
        if !closing {
            stack.push((node, true));
            stack.extend(node.children().rev().map(|child| (child, false)));
        }
    }
    flush(&mut current);
    (paragraphs.join("\n\n"), words)
}

/// How deep the page's elements nest (iteratively: the depth may be huge).
fn nesting_depth(page: &Html) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(page.tree.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        stack.extend(node.children().map(|child| (child, depth + 1)));
    }
    deepest
}

/// What a page says about itself.
#[derive(Debug, Default)]
struct Metadata {
    title: Option<String>,
    date: Option<String>,
    url: Option<String>,
    source: Option<String>,
}

impl Metadata {
    fn of(page: &Html) -> Metadata {
        let title = first_attr(page, r#"meta[property="og:title" i], meta[name="og:title" i]"#, "content")
            .or_else(|| first_attr(page, r#"meta[name="twitter:title" i]"#, "content"))
            .or_else(|| first_text(page, "title"));
        let date = [
            (r#"meta[property="article:published_time" i], meta[name="article:published_time" i]"#, "content"),
            (r#"meta[name="date" i], meta[name="pubdate" i], meta[name="publish-date" i], meta[name="dc.date" i], meta[name="dcterms.date" i]"#, "content"),
            (r#"meta[itemprop="datePublished" i]"#, "content"),
        ]
        .iter()
        .find_map(|(selector, attr)| first_attr(page, selector, attr))
        .or_else(|| json_ld_date(page))
        .or_else(|| first_attr(page, r#"[itemprop="datePublished" i][datetime]"#, "datetime"))
        .or_else(|| first_attr(page, "article time[datetime]", "datetime"))
        .or_else(|| first_attr(page, "time[datetime]", "datetime"))
        .and_then(|d| normalize_date(&d));
        let url = first_attr(page, r#"link[rel="canonical" i]"#, "href")
            .or_else(|| first_attr(page, r#"meta[property="og:url" i]"#, "content"));
        let source = first_attr(page, r#"meta[property="og:site_name" i]"#, "content");
        Metadata { title, date, url, source }
    }
}

/// The first non-blank `attr` of an element matching `selector`, whitespace collapsed.
fn first_attr(page: &Html, selector: &str, attr: &str) -> Option<String> {
    let selector = Selector::parse(selector).ok()?;
    page.select(&selector).find_map(|e| e.value().attr(attr).and_then(collapse))
}

/// The text of the first element matching `selector` that has some, whitespace collapsed.
fn first_text(page: &Html, selector: &str) -> Option<String> {
    let selector = Selector::parse(selector).ok()?;
    page.select(&selector).find_map(|e: ElementRef<'_>| collapse(&e.text().collect::<String>()))
}

fn collapse(s: &str) -> Option<String> {
    non_blank(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `datePublished` of the page's JSON-LD blocks (also inside `@graph` and arrays).
fn json_ld_date(page: &Html) -> Option<String> {
    let selector = Selector::parse(r#"script[type="application/ld+json" i]"#).ok()?;
    page.select(&selector).find_map(|script| {
        let json: serde_json::Value = serde_json::from_str(&script.text().collect::<String>()).ok()?;
        find_key(&json, "datePublished")
    })
}

/// The first string value of `key` in `value`, depth first. serde_json limits nesting to
/// 128 levels, so the recursion is bounded.
fn find_key(value: &serde_json::Value, key: &str) -> Option<String> {
    match value {
        serde_json::Value::Object(map) => map
            .get(key)
            .and_then(serde_json::Value::as_str)
            .and_then(non_blank)
            .or_else(|| map.values().find_map(|v| find_key(v, key))),
        serde_json::Value::Array(items) => items.iter().find_map(|v| find_key(v, key)),
        _ => None,
    }
}
