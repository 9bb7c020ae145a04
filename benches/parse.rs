//! Parsing and document-making cost per article, in one thread, from memory:
//! `cargo bench --bench parse`.
//!
//! Reads the articles of `$HELPSEARCH_BENCH_CORPUS` (an unpacked corpus folder), else of
//! the five seed locales of ../shared/corpus unpacked under target/, into memory first, so
//! that the figures are the parser's and not the disk's. Prints the median and the least of 7
//! rounds, per article: parsing (front matter, Markdown, side-by-side spans) and the content
//! fingerprint that duplicate folding computes for every document.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use helpsearch::article::{parse_article, Origin};

/// mimalloc, as in the binary: parsing allocates many small strings.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROUNDS: usize = 7;

fn corpus() -> PathBuf {
    if let Some(dir) = std::env::var_os("HELPSEARCH_BENCH_CORPUS") {
        return PathBuf::from(dir);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-parse");
    if !root.join("sv-SE").exists() {
        std::fs::create_dir_all(&root).unwrap();
        let unpack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/unpack");
        let status = std::process::Command::new("bash")
            .arg(unpack)
            .arg(&root)
            .args(["sv-SE", "lv-LV", "sl-SI", "ro-RO", "nl-NL"])
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    }
    root
}

/// Every `.md` file under `dir`, as (slug, bytes).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "md") {
            let slug = path.with_extension("");
            let slug = slug
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((slug, std::fs::read(path).unwrap()));
        }
    }
    out
}

/// Median and least of `ROUNDS` timings of `f` over all files, in µs per file (the least
/// is the one least disturbed by the machine's other work).
fn per_file(files: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e6 / files as f64
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    (rounds[ROUNDS / 2], rounds[0])
}

fn main() {
    let dir = corpus();
    let files = files(&dir);
    assert!(!files.is_empty(), "no articles under {}", dir.display());
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let origin = |slug: &str| Origin {
        slug: slug.to_string(),
        folder_locale: None,
    };
    let parse = per_file(files.len(), || {
        for (slug, b) in &files {
            black_box(parse_article(b, &origin(slug)).ok());
        }
    });
    let articles: Vec<_> = files
        .iter()
        .filter_map(|(slug, b)| parse_article(b, &origin(slug)).ok())
        .map(|p| p.article)
        .collect();
    let fingerprint = per_file(articles.len(), || {
        for a in &articles {
            black_box(a.content_fingerprint());
        }
    });
    println!(
        "{} articles, {:.1} MB, from {}",
        files.len(),
        bytes as f64 / 1e6,
        dir.display()
    );
    println!(
        "parse        median {:>6.1} µs/article ({:>5.1} MB/s), least {:>6.1}",
        parse.0,
        bytes as f64 / files.len() as f64 / parse.0,
        parse.1
    );
    println!(
        "fingerprint  median {:>6.1} µs/article, least {:>6.1}",
        fingerprint.0, fingerprint.1
    );
}
