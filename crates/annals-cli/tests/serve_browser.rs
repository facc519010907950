//! Issue 7, acceptance 2: the dashboard in a real headless Chromium, driven through
//! chromedriver (WebDriver) as a user would: the events page, a type filter, an event
//! followed to its document, an article coded by pasting it, and an article that
//! contains `<script>alert(1)</script>` shown as text without running. A screenshot of
//! each page (at 1280x800, and the events page at 390x844) goes to
//! `target/browser-screenshots/`, which CI keeps as an artifact.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`, which `.ci/run` installs): without them the test says so and
//! passes, unless `ANNALS_REQUIRE_BROWSER=1` (CI), where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn browser_available() -> bool {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return true;
    }
    if std::env::var("ANNALS_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("{CHROMIUM} or {CHROMEDRIVER} is missing and ANNALS_REQUIRE_BROWSER=1 (apt-get install chromium chromium-driver)");
    }
    eprintln!("skipped: {CHROMIUM} or {CHROMEDRIVER} not found (apt-get install chromium chromium-driver)");
    false
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts `annals serve` on a free port and returns it with its base URL.
fn start_server(db: &Path) -> (Killed, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["serve", "--db", db.to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start annals serve");
    let stderr = child.stderr.take().unwrap();
    let mut line = String::new();
    BufReader::new(stderr).read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (Killed(child), url)
}

#[test]
fn the_dashboard_works_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let Some(csv) = common::shared("data/news/guardian-2019-sample.csv") else { return };
    let dir = std::env::temp_dir().join(format!("annals-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("annals.db");
    let db_s = db.to_str().unwrap();
    let out = common::run_annals(&["ingest", "--db", db_s, "--date", "2019-06-01", csv.to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let hostile = r#"{"id": "hostile", "date": "2024-05-01", "title": "<script>alert(2)</script> A title", "text": "Egypt condemned Israel over the strike on Rafah. <script>alert(1)</script> The statement was read on state television, and Egyptian officials said they would recall their ambassador."}"#;
    let out = common::run_annals(&["ingest", "--db", db_s, "-"], hostile.as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let (_server, base) = start_server(&db);
    let port = free_port();
    let _driver = Killed(
        Command::new(CHROMEDRIVER)
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let profile = dir.join("chromium-profile");
    std::fs::create_dir_all(&profile).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(drive(&base, port, &profile));
    let _ = std::fs::remove_dir_all(&dir);
}

async fn drive(base: &str, port: u16, profile: &Path) {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=1280,800",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let mut client = None;
    for _ in 0..50 {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let c = client.expect("chromedriver did not accept a session");
    let shots = screenshots();
    let shot = |name: &'static str| {
        let c = c.clone();
        let path = shots.join(name);
        async move {
            let png = c.screenshot().await.expect("screenshot");
            std::fs::write(&path, png).expect("save screenshot");
        }
    };

    // 1. The events page, with its table.
    c.goto(&format!("{base}/")).await.unwrap();
    let rows = c.find_all(Locator::Css("#events tbody tr")).await.unwrap();
    assert!(!rows.is_empty(), "the events page lists no events");
    shot("1-events.png").await;

    // 2. A type filter: every row left is of that type.
    c.find(Locator::Css("select#type")).await.unwrap().select_by_value("ASSAULT").await.unwrap();
    c.find(Locator::Id("apply")).await.unwrap().click().await.unwrap();
    for _ in 0..100 {
        if c.current_url().await.unwrap().query().is_some_and(|q| q.contains("type=ASSAULT")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    c.wait().for_element(Locator::Css("#events")).await.unwrap();
    let rows = c.find_all(Locator::Css("#events tbody tr")).await.unwrap();
    assert!(!rows.is_empty(), "no ASSAULT events after filtering");
    for r in &rows {
        assert_eq!(r.attr("data-type").await.unwrap().as_deref(), Some("ASSAULT"));
    }
    shot("2-events-assault.png").await;

    // 3. An event followed to its document page.
    let link = c.find(Locator::Css("#events tbody tr a[href^='/documents/']")).await.unwrap();
    link.click().await.unwrap();
    let article = c.wait().for_element(Locator::Id("article")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/documents/"));
    assert!(!article.text().await.unwrap().is_empty());
    let marks = c.find_all(Locator::Css("#article mark")).await.unwrap();
    assert!(!marks.is_empty(), "the document page highlights nothing");
    shot("3-document.png").await;

    // 4. A stored article with a script in it: shown as text, never run.
    c.goto(&format!("{base}/documents/hostile")).await.unwrap();
    let article = c.wait().for_element(Locator::Id("article")).await.unwrap();
    assert!(article.text().await.unwrap().contains("<script>alert(1)</script>"));
    let scripts =
        c.execute("return document.querySelectorAll('#article script, h1 script').length", vec![]).await.unwrap();
    assert_eq!(scripts, serde_json::json!(0));
    // An alert that ran would be open now, and WebDriver would refuse the next command.
    assert!(c.get_alert_text().await.is_err(), "an alert is open: the script ran");
    shot("4-hostile-document.png").await;

    // 5. Code a pasted article.
    c.goto(&format!("{base}/code")).await.unwrap();
    let text = "Russian forces shelled Kharkiv on Monday, killing three civilians. <script>alert(1)</script> \
                Ukraine's foreign ministry condemned the attack.";
    c.find(Locator::Id("code-text")).await.unwrap().send_keys(text).await.unwrap();
    c.find(Locator::Id("code-submit")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".coded-event")).await.unwrap();
    let coded = c.find_all(Locator::Css(".coded-event")).await.unwrap();
    let mut all = String::new();
    for e in &coded {
        all.push_str(&e.text().await.unwrap());
    }
    assert!(all.contains("ASSAULT"), "no ASSAULT among the coded events: {all}");
    let scripts = c.execute("return document.querySelectorAll('#code-result script').length", vec![]).await.unwrap();
    assert_eq!(scripts, serde_json::json!(0));
    assert!(c.get_alert_text().await.is_err(), "an alert is open: the script ran");
    shot("5-code.png").await;

    // 6. A phone-sized screen.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{base}/")).await.unwrap();
    let width = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(width.as_u64().is_some_and(|w| w <= 420), "the page is {width} px wide on a 390 px screen");
    shot("6-events-390.png").await;

    c.close().await.unwrap();
}
