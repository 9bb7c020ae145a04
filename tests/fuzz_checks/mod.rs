//! What each fuzz target checks of one input. Shared by the fuzz targets (`fuzz/`, through
//! `#[path]`) and by `tests/fuzz_regressions.rs`, which replays every input that ever failed.
#![allow(dead_code)] // each user takes the checks it needs

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use helpsearch::article::{parse_article, Origin};
use helpsearch::language::{fold_text, AnalyzerKind};
use helpsearch::{build_index, Error, HelpIndex, LiveIndex, Locale, SearchRequest, Source};
use tower::ServiceExt;

/// The targets, by name (the folders under `fuzz/regressions/`).
pub const TARGETS: [&str; 5] = [
    "parse_article",
    "analyze",
    "search",
    "json_lines",
    "http_request",
];

/// Runs the check of `target` on `bytes`; panics on a failure.
pub fn check(target: &str, bytes: &[u8]) {
    match target {
        "parse_article" => check_parse_article(bytes),
        "analyze" => check_analyze(bytes),
        "search" => check_search(bytes),
        "json_lines" => check_json_lines(bytes),
        "http_request" => check_http_request(bytes),
        _ => panic!("no fuzz target {target}"),
    }
}

/// Any bytes as an article file: parsed or refused with a reason, never a panic.
pub fn check_parse_article(bytes: &[u8]) {
    let origin = Origin {
        slug: "fuzz".into(),
        folder_locale: "sv-SE".parse().ok(),
    };
    if let Ok(parsed) = parse_article(bytes, &origin) {
        // What the index and the printers do with every article.
        let _ = parsed.article.steps().count();
        let _ = parsed.article.content_fingerprint();
        serde_json::to_string(&parsed.article).expect("an article always serializes");
    }
}

fn locale_from(pick: u8) -> Locale {
    let locales: Vec<Locale> = Locale::all().collect();
    locales[pick as usize % locales.len()]
}

/// Any text through any language's analyzers (the first byte picks the language); token
/// offsets fall on character boundaries.
pub fn check_analyze(bytes: &[u8]) {
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    let locale = locale_from(pick);
    let text = String::from_utf8_lossy(rest);
    for kind in [AnalyzerKind::Exact, AnalyzerKind::Folded] {
        for token in locale.analyze(kind, &text) {
            assert!(
                text.get(token.offset_from..token.offset_to).is_some(),
                "{locale}: token offsets {}..{} off a character boundary",
                token.offset_from,
                token.offset_to
            );
        }
    }
    let _ = fold_text(&text);
}

/// The seeds index, built once per process.
fn seeds() -> &'static (tempfile::TempDir, HelpIndex) {
    static INDEX: OnceLock<(tempfile::TempDir, HelpIndex)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        build_index(dir.path(), &[Source::BuiltinSeeds], &()).expect("the seeds index");
        let index = HelpIndex::open(dir.path()).expect("the seeds index opens");
        (dir, index)
    })
}

/// Any query against the seeds index: detection, planning, ranking, highlighting. The
/// first byte picks the language (or detection) and whether to include the source.
pub fn check_search(bytes: &[u8]) {
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    let mut request = SearchRequest::new(String::from_utf8_lossy(rest)).with_source(pick & 1 == 1);
    if pick >= 128 {
        request = request.lang(locale_from(pick));
    }
    match seeds().1.search(&request) {
        Ok(results) => {
            for hit in &results.hits {
                if let Some(step) = &hit.step {
                    for h in &step.highlights {
                        assert!(step.text.get(h[0]..h[1]).is_some(), "step highlight");
                    }
                }
                if let Some(snippet) = &hit.snippet {
                    for h in &snippet.highlights {
                        assert!(snippet.text.get(h[0]..h[1]).is_some(), "snippet highlight");
                    }
                }
            }
        }
        Err(Error::BadQuery(_) | Error::LocaleNotIndexed(_)) => {}
        Err(e) => panic!("unexpected error: {e}"),
    }
}

/// Any lines of the JSON-lines batch protocol: each gets an answer that serializes.
pub fn check_json_lines(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for line in text.lines() {
        if let Some(answer) = seeds().1.answer_line(line) {
            serde_json::to_string(&answer).expect("an answer always serializes");
        }
    }
}

fn app() -> &'static (tempfile::TempDir, axum::Router, tokio::runtime::Runtime) {
    type App = (tempfile::TempDir, axum::Router, tokio::runtime::Runtime);
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        build_index(dir.path(), &[Source::BuiltinSeeds], &()).expect("the seeds index");
        let live = LiveIndex::open(dir.path()).expect("the seeds index opens");
        let router = helpsearch::serve::router(Arc::new(live));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        (dir, router, runtime)
    })
}

/// Any request target and body through the HTTP routes (paths, query strings, JSON and
/// JSON-lines bodies): never a panic, never a server error. Input: the target, then a
/// newline and the body of a POST.
pub fn check_http_request(bytes: &[u8]) {
    let (target, body) = match bytes.iter().position(|&b| b == b'\n') {
        Some(i) => (&bytes[..i], Some(&bytes[i + 1..])),
        None => (bytes, None),
    };
    let target = String::from_utf8_lossy(target);
    let uri = format!("/{}", target.trim_start_matches('/'));
    let method = if body.is_some() {
        Method::POST
    } else {
        Method::GET
    };
    let Ok(request) = Request::builder()
        .method(method)
        .uri(uri.as_str())
        .body(Body::from(body.unwrap_or_default().to_vec()))
    else {
        return; // not a request line hyper would hand over
    };
    let (_, router, runtime) = app();
    let response = runtime
        .block_on(router.clone().oneshot(request))
        .expect("the router is infallible");
    assert_ne!(
        response.status(),
        StatusCode::INTERNAL_SERVER_ERROR,
        "{uri}: a request must never be a server error"
    );
}
