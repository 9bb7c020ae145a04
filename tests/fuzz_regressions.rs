//! Every input a fuzz target ever failed on (kept under `fuzz/regressions/<target>/`), and
//! a few hand-made ones, replayed through the same checks as the fuzzers.

mod fuzz_checks;

use std::fs;
use std::path::Path;

#[test]
fn every_kept_input_passes_its_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for target in fuzz_checks::TARGETS {
        let Ok(entries) = fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = fs::read(&path).unwrap();
            eprintln!("{target}: {}", path.display());
            fuzz_checks::check(target, &bytes);
            replayed += 1;
        }
    }
    assert!(
        replayed > 0,
        "no regression inputs under {}",
        root.display()
    );
}

#[test]
fn every_check_runs_on_ordinary_input() {
    fuzz_checks::check("parse_article", b"---\ntitle: Konto\n---\n1. Steg ett\n");
    fuzz_checks::check("analyze", "\u{0}Så stänger du ditt konto".as_bytes());
    fuzz_checks::check("search", "\u{80}stänga konto".as_bytes());
    fuzz_checks::check("json_lines", br#"{"id": 1, "query": "konto"}"#);
    fuzz_checks::check("http_request", b"search?q=konto&lang=sv");
}
