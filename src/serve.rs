//! The HTTP adapter over search: `helpsearch serve`.
//!
//! | request | answer |
//! |---|---|
//! | `GET /search?q=…&lang=…&limit=…&source=true` | the `--json` document ([`SearchResults`]) |
//! | `POST /search` with a JSON object | the same, for one [`SearchRequest`] |
//! | `POST /search` with JSON lines | JSON lines, the batch protocol ([`crate::protocol`]) |
//! | `GET /articles/{locale}/{slug}` | the whole [`crate::Article`] |
//! | `GET /languages` | `[{"locale": "sv-SE", "name": "Swedish", "articles": 2910}, …]` |
//! | `GET /health` | `{"status": "ok", "generation": …, "articles": …}` |
//!
//! Errors are `{"error": "…"}` with the status saying what went wrong: 400 for a missing or
//! bad parameter, 404 for an unknown locale or article, 413 for a body over
//! [`MAX_BODY_BYTES`], 414 for a query over [`MAX_QUERY_CHARS`], 503 when a batch or an
//! article request runs over [`REQUEST_TIMEOUT`] (a single search, bounded by its length, runs
//! to its end), 500 when the index is damaged or a handler panics (a bug: the connection and
//! the server go on). The index is re-checked every [`RELOAD_INTERVAL`]: after a
//! rebuild the server answers from the new generation without a restart.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::Error;
use crate::index::LiveIndex;
use crate::language::Locale;
use crate::search::{SearchRequest, SearchResults, DEFAULT_LIMIT, MAX_QUERY_CHARS};

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Longest a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server looks for a rebuilt index.
pub const RELOAD_INTERVAL: Duration = Duration::from_millis(500);
/// Longest a client may take to send a request's headers (slow clients hold a connection
/// only this long).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; more wait to be accepted. Bounds the server's memory.
pub const MAX_CONNECTIONS: usize = 4096;
/// Blocking threads (batches, article fetches, reloads) at once, per core.
const BLOCKING_THREADS_PER_CORE: usize = 4;
/// Largest buffered request head, in bytes.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// An error answer: a status and a message, sent as `{"error": "…"}`.
#[derive(Debug)]
pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match &e {
            Error::BadQuery(_) | Error::UnknownLocale(_) => StatusCode::BAD_REQUEST,
            Error::LocaleNotIndexed(_) | Error::NoArticle { .. } => StatusCode::NOT_FOUND,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError(status, e.to_string())
    }
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, message.into())
}

/// The query string of `GET /search`.
#[derive(Debug, Deserialize)]
struct SearchParams {
    q: Option<String>,
    lang: Option<String>,
    limit: Option<String>,
    source: Option<String>,
}

impl SearchParams {
    fn into_request(self) -> Result<SearchRequest, ApiError> {
        let q = self.q.ok_or_else(|| bad_request("missing parameter q"))?;
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiError(
                StatusCode::URI_TOO_LONG,
                format!("the query is over {MAX_QUERY_CHARS} characters"),
            ));
        }
        let mut request = SearchRequest::new(q);
        if let Some(lang) = self.lang.filter(|l| !l.is_empty()) {
            request = request.lang(
                lang.parse::<Locale>()
                    .map_err(|e| bad_request(e.to_string()))?,
            );
        }
        request.limit = match self.limit {
            None => DEFAULT_LIMIT,
            Some(l) => l
                .parse()
                .map_err(|_| bad_request(format!("limit must be a number, not {l:?}")))?,
        };
        request.source = match self.source.as_deref() {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") | Some("") => true,
            Some(other) => {
                return Err(bad_request(format!(
                    "source must be true or false, not {other:?}"
                )))
            }
        };
        Ok(request)
    }
}

type AppState = Arc<LiveIndex>;

/// Runs a search on the async worker that received it. A search is short, bounded CPU work
/// (a query is at most [`MAX_QUERY_CHARS`]); handing it to a blocking thread cost more than
/// it saved: measured under 64 connections, 279 → 247–259 µs of CPU a request, p99 26 → 16 ms,
/// RSS 93 → 50 MiB.
fn run_search(live: &LiveIndex, request: &SearchRequest) -> Result<SearchResults, ApiError> {
    live.get().search(request).map_err(ApiError::from)
}

async fn search_get(
    State(live): State<AppState>,
    params: Result<Query<SearchParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SearchResults>, ApiError> {
    let Query(params) = params.map_err(|e| bad_request(e.body_text()))?;
    let request = params.into_request()?;
    Ok(Json(run_search(&live, &request)?))
}

fn too_large() -> ApiError {
    ApiError(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the body is over {MAX_BODY_BYTES} bytes"),
    )
}

async fn search_post(
    State(live): State<AppState>,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let headers: HeaderMap = parts.headers;
    // Refuse a declared oversize body at once, without waiting for it.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let body: Bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large())?;
    let text = std::str::from_utf8(&body).map_err(|_| bad_request("the body is not UTF-8"))?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let ndjson = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("ndjson") || v.contains("jsonl"));
    if lines.is_empty() {
        return Err(bad_request("the body holds no request"));
    }
    if !ndjson && lines.len() == 1 {
        let request: SearchRequest = serde_json::from_str(lines[0])
            .map_err(|e| bad_request(format!("bad request body: {e}")))?;
        return Ok(Json(run_search(&live, &request)?).into_response());
    }
    // A batch: one answer line per request line, errors included.
    let lines: Vec<String> = lines.into_iter().map(str::to_string).collect();
    let out = tokio::task::spawn_blocking(move || {
        let index = live.get();
        let mut out = Vec::new();
        for line in &lines {
            if let Some(answer) = index.answer_line(line) {
                serde_json::to_writer(&mut out, &answer).expect("answers serialize");
                out.push(b'\n');
            }
        }
        out
    })
    .await
    .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], out).into_response())
}

async fn article(
    State(live): State<AppState>,
    Path((locale, slug)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let locale: Locale = locale
        .parse()
        .map_err(|e: crate::language::UnknownLocale| {
            ApiError(StatusCode::NOT_FOUND, e.to_string())
        })?;
    let article = tokio::task::spawn_blocking(move || live.get().article(locale, &slug))
        .await
        .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok(Json(article).into_response())
}

/// One entry of `GET /languages`.
#[derive(Debug, Serialize, Deserialize)]
pub struct LanguageInfo {
    /// The locale.
    pub locale: Locale,
    /// Its English name.
    pub name: String,
    /// Articles indexed.
    pub articles: usize,
}

async fn languages(State(live): State<AppState>) -> Json<Vec<LanguageInfo>> {
    let index = live.get();
    Json(
        index
            .languages()
            .map(|(locale, articles)| LanguageInfo {
                locale,
                name: locale.language().name.to_string(),
                articles,
            })
            .collect(),
    )
}

async fn health(State(live): State<AppState>) -> Json<serde_json::Value> {
    let index = live.get();
    let articles: usize = index.languages().map(|(_, n)| n).sum();
    Json(json!({
        "status": "ok",
        "generation": index.generation_name(),
        "articles": articles,
    }))
}

async fn not_found() -> ApiError {
    ApiError(StatusCode::NOT_FOUND, "no such endpoint".into())
}

/// The routes, over an index that follows rebuilds.
pub fn router(live: Arc<LiveIndex>) -> Router {
    let routes = Router::new()
        .route("/search", get(search_get).post(search_post))
        .route("/articles/{locale}/{*slug}", get(article))
        .route("/languages", get(languages))
        .route("/health", get(health));
    with_safeguards(routes).with_state(live)
}

/// What every route runs under: unknown paths answer 404, bodies are capped, slow requests
/// time out, and a request that panics answers 500 (the connection and the server go on).
fn with_safeguards<S: Clone + Send + Sync + 'static>(routes: Router<S>) -> Router<S> {
    use tower_http::catch_panic::CatchPanicLayer;
    use tower_http::timeout::TimeoutLayer;
    routes
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(CatchPanicLayer::custom(panic_answer))
}

/// The answer to a request whose handler panicked: a bug of ours, said as such.
fn panic_answer(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("no message");
    ApiError(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("internal error (a bug in helpsearch): {what}"),
    )
    .into_response()
}

/// Serves `live` on `addr` until the process is stopped; `ready` hears the bound address
/// (port 0 picks a free port).
pub fn serve(
    live: Arc<LiveIndex>,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    // Batches, article fetches and reloads run on blocking threads: a few per core keep the
    // cores busy; hundreds (the default cap is 512) would only hold memory each.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS_PER_CORE * cores)
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        let watcher = Arc::clone(&live);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(RELOAD_INTERVAL);
            loop {
                tick.tick().await;
                let live = Arc::clone(&watcher);
                // A generation that fails to open is retried at the next tick.
                let _ = tokio::task::spawn_blocking(move || live.refresh()).await;
            }
        });
        accept_loop(listener, router(live)).await
    })
}

/// Serves each connection on a task of its own, at most [`MAX_CONNECTIONS`] at once, each
/// with [`HEADER_TIMEOUT`] to send its headers. A failed accept (out of file descriptors,
/// say) is waited out, never fatal.
async fn accept_loop(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return Ok(()); // the semaphore is never closed
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEAD_BYTES)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(slot);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real server on loopback with the routes `app`; its address.
    fn serve_on_loopback(app: Router) -> (tokio::runtime::Runtime, SocketAddr) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(accept_loop(listener, app));
        (runtime, addr)
    }

    fn get_answer(addr: SocketAddr, path: &str) -> (u16, serde_json::Value) {
        let response = match ureq::get(&format!("http://{addr}{path}")).call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("GET {path}: {e}"),
        };
        let status = response.status();
        (
            status,
            serde_json::from_str(&response.into_string().unwrap()).unwrap(),
        )
    }

    #[test]
    fn a_panicking_request_answers_500_and_the_server_goes_on() {
        async fn panics() -> &'static str {
            panic!("on purpose")
        }
        let routes = Router::new()
            .route("/panics", get(panics))
            .route("/works", get(|| async { Json(json!({ "ok": true })) }));
        let (_runtime, addr) = serve_on_loopback(with_safeguards(routes));

        let (status, body) = get_answer(addr, "/panics");
        assert_eq!(status, 500);
        let error = body["error"].as_str().unwrap();
        assert!(error.contains("on purpose"), "{error}");

        assert_eq!(get_answer(addr, "/works"), (200, json!({ "ok": true })));
        assert_eq!(get_answer(addr, "/nowhere").0, 404);
    }
}
