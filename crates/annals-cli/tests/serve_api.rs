//! `annals serve`'s JSON API end to end: the real binary ingests the Guardian sample, serves
//! it on a free loopback port, and this test talks HTTP/1.1 to it over a plain TcpStream
//! (a few lines of client, no dependency): pagination against `annals events`, filters,
//! one event, documents whose spans reproduce the words they name, coding a sentence with
//! the real models, the 400s and 404s, the OpenAPI document; and storing a document with
//! the write token. Each server is killed when its test ends, panicking or not.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use common::shared;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("annals-serve-api-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A running `annals serve`, killed on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `annals serve --db DB --addr 127.0.0.1:0 EXTRA...` and learns its port from the
/// first line it prints on standard error.
fn serve(db: &str, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["serve", "--db", db, "--addr", "127.0.0.1:0"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start annals serve");
    let stderr = child.stderr.take().expect("stderr is piped");
    // The server is owned by the guard from here on, so that a failed start kills it too.
    let mut server = Server { child, port: 0 };
    let mut lines = BufReader::new(stderr);
    let mut first = String::new();
    lines.read_line(&mut first).expect("cannot read the server's standard error");
    // Keep reading what it says, so that it never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = lines.read_to_string(&mut rest);
    });
    let addr = first
        .strip_prefix("annals serve: listening on http://")
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("unexpected first line from annals serve: {first:?}"));
    server.port =
        addr.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("no port in {first:?}"));
    server
}

/// An answer: status, headers (names lowercased), body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {}", self.status, String::from_utf8_lossy(&self.body)))
    }
}

/// Decodes a chunked body.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").expect("chunk size line");
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16).expect("chunk size");
        raw = &raw[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// One HTTP/1.1 request on its own connection.
fn request(server: &Server, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("cannot connect to annals serve");
    stream.set_read_timeout(Some(Duration::from_secs(120))).expect("timeout");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
        server.port,
        body.len()
    );
    for (k, v) in headers {
        head += &format!("{k}: {v}\r\n");
    }
    head += "\r\n";
    stream.write_all(head.as_bytes()).expect("send");
    stream.write_all(body).expect("send body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read answer");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status: u16 =
        status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body);
    }
    let answer = Answer { status, headers, body };
    assert_eq!(answer.header("content-type"), Some("application/json"), "{method} {path}");
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{method} {path}");
    answer
}

fn get(server: &Server, path: &str) -> (u16, Value) {
    let a = request(server, "GET", path, &[], b"");
    (a.status, a.json())
}

fn get_ok(server: &Server, path: &str) -> Value {
    let (status, v) = get(server, path);
    assert_eq!(status, 200, "GET {path}: {v}");
    v
}

fn post_json(server: &Server, path: &str, auth: Option<&str>, body: &Value) -> (u16, Value) {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(a) = auth {
        headers.push(("Authorization", a));
    }
    let a = request(server, "POST", path, &headers, body.to_string().as_bytes());
    (a.status, a.json())
}

/// Percent-encodes everything but unreserved characters.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn jsonl(out: &std::process::Output) -> Vec<Value> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON")).collect()
}

/// Every event of a query, walking its pages.
fn walk(server: &Server, query: &str, limit: usize) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/events?limit={limit}{query}");
        if let Some(c) = &cursor {
            path += &format!("&cursor={c}");
        }
        let page = get_ok(server, &path);
        let events = page["events"].as_array().expect("events");
        assert!(events.len() <= limit);
        all.extend(events.iter().cloned());
        match page["next"].as_str() {
            Some(c) => {
                assert_eq!(events.len(), limit, "{path}");
                cursor = Some(c.to_string());
            }
            None => return all,
        }
        assert!(all.len() < 1_000_000, "pagination does not end");
    }
}

fn ids(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["id"].as_str().expect("id")).collect()
}

/// Issue 7, acceptance 1: the JSON API over the Guardian sample.
#[test]
fn the_api_serves_the_guardian_sample() {
    let Some(csv) = shared("data/news/guardian-2019-sample.csv") else { return };
    let dir = temp_dir("guardian");
    let db = dir.join("g.db");
    let (db_s, csv_s) = (db.to_str().expect("utf-8 path"), csv.to_str().expect("utf-8 path"));
    let out = common::run_annals(&["ingest", "--db", db_s, "--date", "2019-06-01", csv_s], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let server = serve(db_s, &[]);

    // Pagination: every page of 50 walked is `annals events`, in order.
    let all = jsonl(&common::run_annals(&["events", "--db", db_s, "--format", "jsonl"], b""));
    assert!(all.len() > 100, "{} events", all.len());
    let walked = walk(&server, "", 50);
    assert_eq!(ids(&walked), ids(&all));
    assert_eq!(walked, all);
    let first = get_ok(&server, "/api/events");
    assert_eq!(first["events"].as_array().map(Vec::len), Some(100));

    // Filters: the same events as the same flags of `annals events`.
    for (query, flags) in [
        ("&type=assault", vec!["--type", "assault"]),
        ("&dyad=TUR,SYR", vec!["--dyad", "TUR,SYR"]),
        (
            "&source=USA&since=2019-03&until=2019-04",
            vec!["--source", "USA", "--since", "2019-03", "--until", "2019-04"],
        ),
    ] {
        let mut args = vec!["events", "--db", db_s, "--format", "jsonl"];
        args.extend(flags);
        let want = jsonl(&common::run_annals(&args, b""));
        assert!(!want.is_empty(), "{query}");
        let got = walk(&server, query, 1000);
        assert_eq!(ids(&got), ids(&want), "{query}");
    }
    for e in walk(&server, "&type=ASSAULT", 1000) {
        assert_eq!(e["event"], "ASSAULT");
    }
    for e in walk(&server, "&dyad=TUR,SYR", 1000) {
        assert!(e["source"].as_array().is_some_and(|a| a.iter().any(|x| x["country"] == "TUR")), "{e}");
        assert!(e["target"].as_array().is_some_and(|a| a.iter().any(|x| x["country"] == "SYR")), "{e}");
    }

    // One event.
    let one = &all[all.len() / 2];
    let id = one["id"].as_str().expect("id");
    assert_eq!(&get_ok(&server, &format!("/api/events/{}", enc(id))), one);

    // Documents: every span reproduces the words it names.
    let mut docs: Vec<&str> = all.iter().filter_map(|e| e["doc"].as_str()).collect();
    docs.dedup();
    let (mut actors, mut triggers, mut places) = (0, 0, 0);
    for doc in docs.iter().take(25) {
        let d = get_ok(&server, &format!("/api/documents/{}", enc(doc)));
        assert_eq!(d["id"], *doc);
        let text = d["text"].as_str().expect("text");
        assert!(!d["events"].as_array().expect("events").is_empty(), "{doc}");
        for s in d["spans"].as_array().expect("spans") {
            let (start, end) = (s["start"].as_u64().expect("start") as usize, s["end"].as_u64().expect("end") as usize);
            let words: String = text.chars().skip(start).take(end - start).collect();
            assert_eq!(words, s["label"].as_str().expect("label"), "{doc}: {s}");
            match s["kind"].as_str() {
                Some("actor") => actors += 1,
                Some("trigger") => triggers += 1,
                Some("place") => places += 1,
                other => panic!("kind {other:?}"),
            }
        }
    }
    assert!(actors > 25 && triggers > 25 && places > 5, "{actors} actors, {triggers} triggers, {places} places");

    // Summaries answer.
    let actors = get_ok(&server, "/api/actors?limit=5");
    assert_eq!(actors["actors"].as_array().map(Vec::len), Some(5));
    assert_eq!(actors["events"].as_u64(), Some(all.len() as u64));
    assert!(get_ok(&server, "/api/dyads?type=ASSAULT")["dyads"].as_array().is_some_and(|d| !d.is_empty()));
    let t = get_ok(&server, "/api/timeline?period=month&by=quad");
    assert_eq!(t["series"].as_array().map(Vec::len), Some(4));
    let s = get_ok(&server, "/api/stats");
    assert_eq!(s["store"]["documents"], 249);
    assert_eq!(s["events"].as_u64(), Some(all.len() as u64));

    // Coding a sentence with the real models, without storing it.
    let (status, coded) = post_json(
        &server,
        "/api/code",
        None,
        &json!({"text": "Russian forces shelled Kharkiv on Monday.", "date": "2022-03-01"}),
    );
    assert_eq!(status, 200, "{coded}");
    let events = coded["events"].as_array().expect("events");
    assert!(events.iter().any(|e| e["event"] == "ASSAULT"), "{coded}");
    assert!(coded["places"].as_array().is_some_and(|p| p.iter().any(|p| p["name"] == "Kharkiv")), "{coded}");
    let plain =
        request(&server, "POST", "/api/code", &[("Content-Type", "text/plain")], b"Russian forces shelled Kharkiv.");
    assert_eq!(plain.status, 200);
    assert!(plain.json()["events"].as_array().is_some_and(|e| e.iter().any(|e| e["event"] == "ASSAULT")));
    assert_eq!(get_ok(&server, "/api/stats")["store"]["documents"], 249, "coding stores nothing");

    // 404s and 400s.
    for path in ["/api/events/no-such-event", "/api/documents/no-such-document", "/api/no-such-endpoint"] {
        let (status, v) = get(&server, path);
        assert_eq!(status, 404, "{path}: {v}");
        assert!(v["error"].is_string());
    }
    for (path, parameter) in [
        ("/api/events?limit=0", "limit"),
        ("/api/events?limit=100000", "limit"),
        ("/api/events?cursor=garbage", "cursor"),
        ("/api/events?since=2019-02-30", "since"),
        ("/api/events?tpye=ASSAULT", "tpye"),
        ("/api/timeline?period=fortnight", "period"),
    ] {
        let (status, v) = get(&server, path);
        assert_eq!((status, v["parameter"].as_str()), (400, Some(parameter)), "{path}: {v}");
    }
    let (status, v) = post_json(&server, "/api/code", None, &json!({"text": ""}));
    assert_eq!((status, v["parameter"].as_str()), (400, Some("text")), "{v}");
    // Without --write-token, storing does not exist.
    let (status, _) = post_json(&server, "/api/documents", Some("Bearer whatever-token"), &json!({"text": "x"}));
    assert_eq!(status, 404);

    // The OpenAPI document lists every endpoint.
    let doc = get_ok(&server, "/api/openapi.json");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")));
    for (path, method) in [
        ("/api/events", "get"),
        ("/api/events/{id}", "get"),
        ("/api/documents/{id}", "get"),
        ("/api/documents", "post"),
        ("/api/actors", "get"),
        ("/api/dyads", "get"),
        ("/api/timeline", "get"),
        ("/api/stats", "get"),
        ("/api/code", "post"),
        ("/api/openapi.json", "get"),
    ] {
        assert!(doc["paths"][path][method]["responses"].is_object(), "{method} {path} is not documented");
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `POST /api/documents` with the write token: 401 without it, 201 with it, then served.
#[test]
fn the_api_stores_documents_with_the_write_token() {
    let dir = temp_dir("write");
    let db = dir.join("w.db");
    let db_s = db.to_str().expect("utf-8 path");
    let out =
        common::run_annals(&["ingest", "--db", db_s, "--date", "2024-05-01"], b"Israel condemned Hamas on Monday.\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = "a-long-enough-token";
    let server = serve(db_s, &["--write-token", token]);
    let body = json!({"id": "kharkiv-1", "text": "Russian forces shelled Kharkiv on Monday.", "date": "2022-03-07",
                      "title": "Shelling", "source": "wire"});
    for auth in [None, Some("Bearer wrong-token-here"), Some("Basic a-long-enough-token")] {
        let a = request(
            &server,
            "POST",
            "/api/documents",
            &[("Content-Type", "application/json")]
                .into_iter()
                .chain(auth.map(|a| ("Authorization", a)))
                .collect::<Vec<_>>(),
            body.to_string().as_bytes(),
        );
        assert_eq!(a.status, 401, "{auth:?}");
        assert_eq!(a.header("www-authenticate"), Some("Bearer"));
    }
    let bearer = format!("Bearer {token}");
    let (status, v) = post_json(&server, "/api/documents", Some(&bearer), &body);
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["id"], "kharkiv-1");
    assert_eq!(v["stored"], true);
    assert!(v["events"].as_u64().is_some_and(|n| n >= 1), "{v}");
    let (status, again) = post_json(&server, "/api/documents", Some(&bearer), &body);
    assert_eq!((status, &again["stored"]), (200, &json!(false)), "{again}");
    let d = get_ok(&server, "/api/documents/kharkiv-1");
    assert_eq!(d["title"], "Shelling");
    assert!(d["events"].as_array().is_some_and(|e| e.iter().any(|e| e["event"] == "ASSAULT")), "{d}");
    let found = get_ok(&server, "/api/events?type=ASSAULT");
    assert!(found["events"].as_array().is_some_and(|e| e.iter().any(|e| e["doc"] == "kharkiv-1")), "{found}");
    assert_eq!(get_ok(&server, "/api/stats")["store"]["documents"], 2);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
