//! In-process query latency over the dev queries: `cargo bench --bench query`.
//!
//! Uses the index at `$HELPSEARCH_BENCH_INDEX` (e.g. the full 36-locale corpus), else
//! unpacks the five seed locales of ../shared/corpus and indexes them under target/.
//! Queries: `$HELPSEARCH_BENCH_QUERIES` (a query set of ../shared/eval), else dev-queries;
//! hits per query: `$HELPSEARCH_BENCH_LIMIT`, else 10.
//! Prints p50/p99 per query with the language given, detected for every query, and detected
//! as ../shared/eval/score sends queries with `--detect` (English ones with their language),
//! and checks every query gets an answer (so a broken search cannot look fast). `$HELPSEARCH_BENCH_SLOWEST=N` also
//! lists the N slowest queries by their median time. For profiling (e.g. under callgrind,
//! whose instruction counts the machine's noise does not touch): `$HELPSEARCH_BENCH_ONLY`
//! (`given`, `detect` or `detect-as-scored`) runs one of the three, and
//! `$HELPSEARCH_BENCH_ROUNDS` sets the rounds after the warm-up one (5).

use std::path::{Path, PathBuf};
use std::time::Instant;

use helpsearch::{build_index, HelpIndex, Locale, SearchRequest, Source};

/// mimalloc: searching and indexing allocate many small, short-lived values (8 % off the
/// query p50, 10 % more server requests per second than glibc's malloc). Built without
/// transparent huge pages, which cost a one-query process 1 ms of page clearing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn index_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HELPSEARCH_BENCH_INDEX") {
        return PathBuf::from(dir);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-index");
    if !root.join("index/CURRENT").exists() {
        let corpus = root.join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let status = std::process::Command::new("bash")
            .arg(shared().join("corpus/unpack"))
            .arg(&corpus)
            .args(["sv-SE", "lv-LV", "sl-SI", "ro-RO", "nl-NL"])
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        build_index(&root.join("index"), &[Source::Path(corpus)], &()).unwrap();
    }
    root.join("index")
}

/// A query of the set: its text, its language, and whether it is of kind `en` (English
/// words for a user of another language).
struct Query {
    text: String,
    lang: Locale,
    english: bool,
}

/// Which queries go with their language.
#[derive(Clone, Copy, PartialEq)]
enum Lang {
    /// All of them.
    Given,
    /// None: the language of each is detected.
    Detected,
    /// As ../shared/eval/score sends them with `--detect`: only the English ones (an English
    /// query cannot tell its user's language).
    DetectedAsScored,
}

/// `$HELPSEARCH_BENCH_QUERIES`, else ../shared/eval/dev-queries.tsv.
fn queries() -> Vec<Query> {
    let path = std::env::var_os("HELPSEARCH_BENCH_QUERIES")
        .map_or_else(|| shared().join("eval/dev-queries.tsv"), PathBuf::from);
    let tsv = std::fs::read_to_string(&path).unwrap();
    tsv.lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Some(Query {
                text: cols.get(3)?.to_string(),
                lang: cols.get(1)?.parse().ok()?,
                english: cols.get(2) == Some(&"en"),
            })
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn run(index: &HelpIndex, queries: &[Query], lang: Lang, rounds: usize) {
    let limit = std::env::var("HELPSEARCH_BENCH_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let mut times = Vec::with_capacity(queries.len() * rounds);
    let mut by_query = vec![Vec::with_capacity(rounds); queries.len()];
    for _ in 0..rounds {
        for (q, own) in queries.iter().zip(&mut by_query) {
            let mut request = SearchRequest::new(q.text.as_str()).limit(limit);
            if lang == Lang::Given || (lang == Lang::DetectedAsScored && q.english) {
                request = request.lang(q.lang);
            }
            let start = Instant::now();
            let results = index.search(&request).unwrap();
            let micros = start.elapsed().as_secs_f64() * 1e6;
            times.push(micros);
            own.push(micros);
            assert!(results.lang.is_some(), "{}", q.text);
        }
    }
    let slowest: usize = std::env::var("HELPSEARCH_BENCH_SLOWEST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if slowest > 0 {
        let mut medians: Vec<(f64, &str)> = by_query
            .iter_mut()
            .zip(queries)
            .map(|(own, q)| {
                own.sort_by(f64::total_cmp);
                (percentile(own, 0.5), q.text.as_str())
            })
            .collect();
        medians.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (micros, q) in medians.iter().take(slowest) {
            println!("  {micros:>7.0} µs  {q}");
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{:<16} queries={:<5} p50={:>7.0} µs  p99={:>7.0} µs  mean={:>7.0} µs",
        match lang {
            Lang::Given => "lang given",
            Lang::Detected => "detect",
            Lang::DetectedAsScored => "detect, en given",
        },
        times.len(),
        percentile(&times, 0.50),
        percentile(&times, 0.99),
        times.iter().sum::<f64>() / times.len() as f64
    );
}

fn main() {
    let dir = index_dir();
    let index = HelpIndex::open(&dir).unwrap();
    index.open_all().unwrap();
    let queries = queries();
    println!(
        "index {} ({} locales)",
        dir.display(),
        index.languages().count()
    );
    run(&index, &queries, Lang::Given, 1); // warm-up
    let rounds = std::env::var("HELPSEARCH_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let only = std::env::var("HELPSEARCH_BENCH_ONLY").ok();
    for (name, lang) in [
        ("given", Lang::Given),
        ("detect", Lang::Detected),
        ("detect-as-scored", Lang::DetectedAsScored),
    ] {
        if only.as_deref().is_none_or(|o| o == name) {
            run(&index, &queries, lang, rounds);
        }
    }
}
