//! Language detection accuracy, whatlang alone against helpsearch's detection (whatlang plus
//! the index's vocabulary): `cargo bench --bench detect`.
//!
//! Uses the index at `$HELPSEARCH_BENCH_INDEX` (build it over the full corpus to compare all
//! 36 locales). Queries: ../shared/eval/dev-queries.tsv and dev-title-queries.tsv, without
//! the English ones (an English query cannot tell its user's language).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use helpsearch::{HelpIndex, Locale, SearchRequest};

fn main() {
    let Some(dir) = std::env::var_os("HELPSEARCH_BENCH_INDEX").map(PathBuf::from) else {
        eprintln!("set HELPSEARCH_BENCH_INDEX to a built index");
        return;
    };
    let index = HelpIndex::open(&dir).unwrap();
    let locales: Vec<Locale> = index.languages().map(|(l, _)| l).collect();
    let allow: Vec<whatlang::Lang> = locales.iter().map(|l| l.language().detector).collect();
    let detector = whatlang::Detector::with_allowlist(allow);
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    for set in ["dev-queries.tsv", "dev-title-queries.tsv"] {
        let tsv = std::fs::read_to_string(shared.join(set)).unwrap();
        // Per language: queries, right by whatlang alone, right by helpsearch.
        let mut tally: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
        for line in tsv.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 4 || cols[2] == "en" {
                continue;
            }
            let (lang, query) = (cols[1], cols[3]);
            let expected: Locale = lang.parse().unwrap();
            // whatlang names a language; pt-BR/pt-PT and zh-CN/zh-TW share one, so it is
            // right when the expected locale is among the locales of its guess.
            let whatlang_right = detector
                .detect_lang(query)
                .is_some_and(|g| Locale::for_detected(g).any(|l| l == expected));
            let ours = index.search(&SearchRequest::new(query)).unwrap().lang;
            let t = tally.entry(lang.to_string()).or_default();
            t.0 += 1;
            t.1 += usize::from(whatlang_right);
            t.2 += usize::from(ours == Some(expected));
        }
        let (n, w, h) = tally
            .values()
            .fold((0, 0, 0), |a, t| (a.0 + t.0, a.1 + t.1, a.2 + t.2));
        println!(
            "{set}: {n} queries; language right: whatlang alone {:.3}, helpsearch {:.3}",
            w as f64 / n as f64,
            h as f64 / n as f64
        );
        for (lang, (n, w, h)) in &tally {
            println!(
                "  {lang:<11} n={n:<4} whatlang={:.3} helpsearch={:.3}",
                *w as f64 / *n as f64,
                *h as f64 / *n as f64
            );
        }
    }
}
