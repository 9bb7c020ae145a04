//! `helpsearch serve`: the real server on an ephemeral loopback port, a real HTTP client.

mod util;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use helpsearch::protocol::BatchAnswer;
use helpsearch::serve::LanguageInfo;
use helpsearch::{Article, SearchResults};
use util::{corpus, corpus_of, project_root, stderr, Dir};

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(dir: &Dir, index: &Path) -> Server {
        let mut child = dir
            .cmd(&[
                "serve",
                "--index",
                index.to_str().unwrap(),
                "--addr",
                "127.0.0.1:0",
            ])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the server says where it listens")
                .unwrap();
            if let Some(addr) = line.strip_prefix("helpsearch: listening on ") {
                break addr.to_string();
            }
        };
        // Keep draining stderr so the server never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(20))
        .build()
}

/// GET or POST, returning (status, body) for every status.
fn call(request: ureq::Request, body: Option<&str>) -> (u16, String) {
    let result = match body {
        Some(b) => request.send_string(b),
        None => request.call(),
    };
    match result {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap()),
        Err(e) => panic!("transport error: {e}"),
    }
}

fn get(server: &Server, path: &str) -> (u16, String) {
    call(agent().get(&server.url(path)), None)
}

fn error_of(body: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(body).expect("errors are JSON");
    v["error"].as_str().expect("an error message").to_string()
}

#[test]
fn every_endpoint_answers() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let server = Server::start(&dir, &index);

    let (status, body) = get(&server, "/search?q=st%C3%A4nga%20konto");
    assert_eq!(status, 200, "{body}");
    let results: SearchResults = serde_json::from_str(&body).unwrap();
    assert_eq!(results.lang.unwrap().code(), "sv-SE");
    assert_eq!(results.hits[0].slug, "how-to-close-your-account");

    let (status, body) = get(
        &server,
        "/search?q=disable%20multi-factor%20authentication&lang=ro&limit=1&source=true",
    );
    assert_eq!(status, 200, "{body}");
    let results: SearchResults = serde_json::from_str(&body).unwrap();
    assert_eq!(results.hits.len(), 1);
    let step = results.hits[0].step.as_ref().unwrap();
    assert_eq!(step.n, 4);
    assert_eq!(
        step.source.as_deref(),
        Some("Disable multi-factor authentication.")
    );

    let (status, body) = call(
        agent()
            .post(&server.url("/search"))
            .set("Content-Type", "application/json"),
        Some(r#"{"query": "slēgt kontu", "lang": "lv-LV", "limit": 3}"#),
    );
    assert_eq!(status, 200, "{body}");
    let results: SearchResults = serde_json::from_str(&body).unwrap();
    assert_eq!(results.hits[0].locale.code(), "lv-LV");

    let batch = "{\"id\": 1, \"query\": \"stänga konto\"}\nnot json\n{\"id\": 3, \"query\": \"zapiranje računa\", \"lang\": \"sl\"}\n";
    let (status, body) = call(
        agent()
            .post(&server.url("/search"))
            .set("Content-Type", "application/x-ndjson"),
        Some(batch),
    );
    assert_eq!(status, 200, "{body}");
    let answers: Vec<BatchAnswer> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 3);
    assert!(matches!(&answers[1], BatchAnswer::Error { .. }));
    assert!(
        matches!(&answers[2], BatchAnswer::Results { results, .. } if results.hits[0].locale.code() == "sl-SI")
    );

    let (status, body) = get(&server, "/articles/sv-SE/how-to-close-your-account");
    assert_eq!(status, 200, "{body}");
    let article: Article = serde_json::from_str(&body).unwrap();
    assert_eq!(article.title.text, "Så stänger du ditt konto");
    assert_eq!(article.steps().count(), 5);

    let (status, body) = get(&server, "/languages");
    assert_eq!(status, 200);
    let languages: Vec<LanguageInfo> = serde_json::from_str(&body).unwrap();
    assert_eq!(languages.len(), 5);
    assert!(languages.iter().all(|l| l.articles == 1));

    let (status, body) = get(&server, "/health");
    assert_eq!(status, 200);
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["articles"], 5);
}

#[test]
fn errors_have_the_right_status() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let server = Server::start(&dir, &index);

    let cases: &[(&str, u16, &str)] = &[
        ("/search", 400, "missing parameter q"),
        ("/search?q=", 400, "the query is empty"),
        ("/search?q=konto&lang=klingon", 400, "unknown language"),
        ("/search?q=konto&limit=abc", 400, "limit must be a number"),
        ("/search?q=konto&limit=0", 400, "limit must be between"),
        ("/search?q=konto&limit=1000", 400, "limit must be between"),
        ("/search?q=konto&source=maybe", 400, "source must be"),
        ("/search?q=konto&lang=de", 404, "no articles in de-DE"),
        (
            "/articles/sv-SE/no-such-article",
            404,
            "no article no-such-article in sv-SE",
        ),
        (
            "/articles/xx-XX/how-to-close-your-account",
            404,
            "unknown language",
        ),
        (
            "/articles/de-DE/how-to-close-your-account",
            404,
            "no articles in de-DE",
        ),
        ("/articles/sv-SE/../../etc/passwd", 404, ""),
        (
            "/articles/sv-SE/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            404,
            "no article",
        ),
        ("/nowhere", 404, "no such endpoint"),
    ];
    for (path, status, message) in cases {
        let (got, body) = get(&server, path);
        assert_eq!(got, *status, "{path}: {body}");
        if !message.is_empty() {
            assert!(error_of(&body).contains(message), "{path}: {body}");
        }
    }

    let long = "a".repeat(5000);
    let (status, body) = get(&server, &format!("/search?q={long}"));
    assert_eq!(status, 414, "{body}");

    let (status, body) = call(
        agent().post(&server.url("/search")),
        Some("{\"lang\": \"sv\"}"),
    );
    assert_eq!(status, 400, "{body}");
    assert!(error_of(&body).contains("bad request body"), "{body}");

    // A body over the limit is refused from its Content-Length, before it is read (a raw
    // request: an HTTP client would fail writing the body the server will not read).
    let addr = server.base.trim_start_matches("http://");
    let request = format!(
        "POST /search HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{{\"query\": \"",
        2 * 1024 * 1024
    );
    let response = raw_exchange(&server, request.as_bytes());
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
}

#[test]
fn a_rebuild_under_load_is_picked_up_without_failing_requests() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let server = Arc::new(Server::start(&dir, &index));

    // The next corpus: the seeds and one more article.
    let next = dir.path().join("next");
    for locale in ["sv-SE", "lv-LV", "sl-SI", "ro-RO", "nl-NL"] {
        let from = project_root()
            .join("seeds")
            .join(locale)
            .join("how-to-close-your-account.md");
        std::fs::create_dir_all(next.join(locale)).unwrap();
        std::fs::copy(from, next.join(locale).join("how-to-close-your-account.md")).unwrap();
    }
    dir.write(
        "next/sv-SE/zebra.md",
        "---\ntitle: Zebror i Teams\nms.contentlocale: sv-SE\n---\n# Zebror i Teams\n\n1. Öppna zebrapanelen.\n",
    );

    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (server, stop, served) = (server.clone(), stop.clone(), served.clone());
            std::thread::spawn(move || {
                let agent = agent();
                while !stop.load(Ordering::Relaxed) {
                    let (status, body) =
                        call(agent.get(&server.url("/search?q=konto&lang=sv")), None);
                    assert_eq!(status, 200, "{body}");
                    let results: SearchResults = serde_json::from_str(&body).unwrap();
                    // Old or new generation, the answer is whole.
                    assert_eq!(results.hits[0].slug, "how-to-close-your-account");
                    served.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    std::thread::sleep(Duration::from_millis(300));
    let out = dir.build(&index, &next);
    assert!(out.status.success(), "{}", stderr(&out));

    // The new article shows up without a restart.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = get(&server, "/search?q=zebror&lang=sv");
        if status == 200 && body.contains("\"zebra\"") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the rebuilt index was not picked up: {status} {body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().expect("no request failed");
    }
    assert!(served.load(Ordering::Relaxed) > 10);
}

#[test]
fn answers_during_rebuilds_come_whole_from_one_generation() {
    let dir = Dir::new();
    let (a, b) = (corpus(dir.path(), "A"), corpus(dir.path(), "B"));
    let index = dir.path().join("index");
    let out = dir.build(&index, &a);
    assert!(out.status.success(), "{}", stderr(&out));
    let server = Arc::new(Server::start(&dir, &index));

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (server, stop) = (server.clone(), stop.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let mut seen = [0usize; 2];
                while !stop.load(Ordering::Relaxed) {
                    let url = server.url("/search?q=st%C3%A4nga%20konto&lang=sv");
                    let (status, body) = call(agent.get(&url), None);
                    assert_eq!(status, 200, "{body}");
                    let results: SearchResults = serde_json::from_str(&body).unwrap();
                    let titles: Vec<String> = results.hits.into_iter().map(|h| h.title).collect();
                    seen[(corpus_of(&titles) == 'B') as usize] += 1;
                }
                seen
            })
        })
        .collect();
    for round in 0..4 {
        std::thread::sleep(Duration::from_millis(700));
        let next = if round % 2 == 0 { &b } else { &a };
        let out = dir.build(&index, next);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    std::thread::sleep(Duration::from_millis(700));
    stop.store(true, Ordering::Relaxed);
    let mut seen = [0usize; 2];
    for w in workers {
        let s = w.join().expect("no request failed or mixed generations");
        seen = [seen[0] + s[0], seen[1] + s[1]];
    }
    assert!(seen[0] > 0 && seen[1] > 0, "answers from A and B: {seen:?}");
}

/// Sends `raw` on a new connection and reads until the server closes it (or 15 s pass).
fn raw_exchange(server: &Server, raw: &[u8]) -> String {
    use std::io::{Read, Write};
    let addr = server.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    stream.write_all(raw).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn slow_broken_and_vanishing_clients_do_not_stop_the_others() {
    use std::io::{Read, Write};
    let dir = Dir::new();
    let index = dir.index_seeds();
    let server = Server::start(&dir, &index);
    let addr = server.base.trim_start_matches("http://").to_string();

    // Slow clients: a header a byte at a time, never finished.
    let slow: Vec<std::net::TcpStream> = (0..200)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            s.write_all(b"GET /search?q=konto HTTP/1.1\r\nHo").unwrap();
            s
        })
        .collect();

    // Malformed requests get 400 and a closed connection.
    for raw in [
        &b"NONSENSE\r\n\r\n"[..],
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET /search?q=konto HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        &[b'A'; 100_000][..],
    ] {
        let response = raw_exchange(&server, raw);
        assert!(
            response.is_empty() || response.starts_with("HTTP/1.1 4"),
            "{response}"
        );
    }
    // A header over the limit is refused.
    let huge = format!(
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "b".repeat(200_000)
    );
    let response = raw_exchange(&server, huge.as_bytes());
    assert!(
        response.is_empty() || response.starts_with("HTTP/1.1 431"),
        "{response}"
    );

    // Clients that leave mid-response.
    for _ in 0..50 {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.write_all(b"GET /articles/sv-SE/how-to-close-your-account HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut first = [0u8; 16];
        let _ = s.read(&mut first);
        drop(s);
    }

    // Meanwhile the well-behaved clients are answered, promptly.
    for _ in 0..20 {
        let started = Instant::now();
        let (status, body) = get(&server, "/search?q=st%C3%A4nga%20konto&lang=sv");
        assert_eq!(status, 200, "{body}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    // A slow client is cut off once its headers take longer than the server allows.
    let mut one = slow.into_iter().next().unwrap();
    one.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = one.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited < helpsearch::serve::HEADER_TIMEOUT + Duration::from_secs(5),
        "a slow client held its connection for {waited:?}"
    );
}
