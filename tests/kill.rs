//! A build killed with SIGKILL at any point leaves the previous index answering as before,
//! and the next build succeeds without cleanup by hand.

mod util;

use std::time::Instant;

use util::{entries_starting_with, search_json, stderr, unpack, Dir};

/// Unpacks two locales of the real corpus (about 6,000 files: a build of a second or so).
fn corpus(dir: &Dir) -> std::path::PathBuf {
    let corpus = dir.path().join("corpus");
    unpack(&corpus, &["sv-SE", "lv-LV"]);
    corpus
}

#[test]
fn a_killed_build_leaves_the_previous_index_answering() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let corpus = corpus(&dir);
    let query = ["--lang", "sv", "stänga konto"];
    let before = search_json(&dir, &index, &query);

    // A build into a place it cannot write fails clearly.
    let out = dir.run(&["index", "--index", "/dev/null/x", corpus.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/dev/null/x"), "{}", stderr(&out));

    // How long a whole build takes here, to kill builds early, mid-way and late.
    let probe = dir.path().join("probe");
    let started = Instant::now();
    let out = dir.build(&probe, &corpus);
    assert!(out.status.success(), "{}", stderr(&out));
    let build_time = started.elapsed();
    let complete = search_json(&dir, &probe, &query);

    let mut killed = 0;
    for fraction in [0.05, 0.25, 0.5, 0.75, 0.9, 0.97] {
        let mut child = dir
            .cmd(&[
                "index",
                "--index",
                index.to_str().unwrap(),
                corpus.to_str().unwrap(),
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(build_time.mul_f64(fraction));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        let status = child.wait().unwrap();
        let after = search_json(&dir, &index, &query);
        if status.success() {
            // The build finished before the kill: the new index answers.
            assert!(!after.hits.is_empty());
            break;
        }
        // Killed before the swap: the old index; killed after it (while the process cleans
        // up): the complete new one. Never anything in between.
        assert!(
            after == before || after.hits == complete.hits,
            "killed at {fraction} of a build: {after:?}"
        );
    }
    assert!(killed >= 2, "builds were killed mid-way ({killed})");

    let out = dir.build(&index, &corpus);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        entries_starting_with(&index, ".building-"),
        0,
        "the next build removed what killed ones left"
    );
    let after = search_json(&dir, &index, &["--lang", "lv", "slēgt kontu"]);
    assert_eq!(after.hits[0].locale.code(), "lv-LV");
}

/// The states a kill during the final swap can leave: the new generation moved into place but
/// `CURRENT` not yet switched, or the new `CURRENT` written beside the old one but not yet
/// renamed over it. The old index answers; the next build clears both.
#[test]
fn a_build_killed_during_the_swap_leaves_the_previous_index_answering() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let query = ["--lang", "sv", "stänga konto"];
    let before = search_json(&dir, &index, &query);

    let current = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    let orphan = index.join("gen-ffffffffffffffff-1");
    std::fs::create_dir(&orphan).unwrap();
    std::fs::write(orphan.join("manifest.json"), "{}").unwrap();
    std::fs::write(index.join("CURRENT.tmp"), "gen-ffffffffffffffff-1").unwrap();
    assert_eq!(search_json(&dir, &index, &query), before);

    let out = dir.build(&index, &util::project_root().join("seeds"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!orphan.exists(), "the half-swapped generation was removed");
    assert!(!index.join("CURRENT.tmp").exists());
    let now = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    assert_ne!(now, current);
    assert_eq!(search_json(&dir, &index, &query).hits, before.hits);
}
