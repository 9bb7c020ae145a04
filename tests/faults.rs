//! Faults: a damaged index is named as damaged (never a panic or a wrong answer), a build
//! that cannot write (disk full, read-only) fails clearly and leaves the old index as it was,
//! and a source file that vanishes mid-build is reported while the rest is indexed.

mod util;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use helpsearch::{build_index, BuildObserver, Error, HelpIndex, SearchRequest, Source};
use util::{entries_starting_with, project_root, search_json, stderr, stdout, Dir};

const QUERY: [&str; 3] = ["--lang", "sv", "stänga konto"];

/// The segment files of one tantivy index (`folder`: a locale, or the English source) of the
/// index at `root`.
fn segment_files(root: &Path, folder: &str) -> Vec<PathBuf> {
    let current = fs::read_to_string(root.join("CURRENT")).unwrap();
    let dir = root.join(current.trim()).join(folder);
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            // Segment files (the build's record of them is checked separately below, and
            // so are the tokens recorded of the English sources).
            !name.starts_with('.')
                && name != "meta.json"
                && name != "verified.json"
                && !name.starts_with("source-terms")
        })
        .collect();
    files.sort();
    files
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Asserts that searching `index` fails as a damaged index, naming the rebuild command.
fn assert_reported_damaged(dir: &Dir, index: &Path, what: &str) {
    let mut args = vec!["--index", index.to_str().unwrap()];
    args.extend(QUERY);
    let out = dir.run(&args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(err.contains("damaged"), "{what}: {err}");
    let rebuild = format!("helpsearch index --index {}", index.display());
    assert!(err.contains(&rebuild), "{what}: {err}");

    match HelpIndex::open(index).and_then(|i| i.search(&SearchRequest::new("stänga konto"))) {
        Err(Error::Corrupt { .. }) => {}
        other => panic!("{what}: expected a corrupt-index error, got {other:?}"),
    }
}

#[test]
fn a_truncated_or_altered_index_file_is_reported_with_the_rebuild_command() {
    let dir = Dir::new();
    let good = dir.index_seeds();
    let mut cases = 0;
    // A Swedish search reads the Swedish index and the English one.
    for (f, folder) in ["sv-SE", "english-source"].into_iter().enumerate() {
        let files = segment_files(&good, folder);
        assert!(files.len() >= 5, "{files:?}");
        for (k, file) in files.iter().enumerate() {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            for damage in ["truncated", "altered at 10%", "altered at 50%"] {
                let copy = dir.path().join(format!("damaged-{f}-{k}-{}", damage.len()));
                copy_dir(&good, &copy);
                let target = segment_files(&copy, folder).remove(k);
                let mut bytes = fs::read(&target).unwrap();
                match damage {
                    "truncated" => bytes.truncate(bytes.len() / 2),
                    _ => {
                        let at = bytes.len() * if damage.ends_with("10%") { 10 } else { 50 } / 100;
                        let end = (at + 4).min(bytes.len());
                        for b in &mut bytes[at..end] {
                            *b ^= 0x5a;
                        }
                    }
                }
                fs::write(&target, bytes).unwrap();
                assert_reported_damaged(&dir, &copy, &format!("{folder}/{name} {damage}"));
                cases += 1;
            }
        }
    }

    // The detection lexicon and the manifest are checked too.
    let copy = dir.path().join("damaged-lexicon");
    copy_dir(&good, &copy);
    let current = fs::read_to_string(copy.join("CURRENT")).unwrap();
    let lexicon = copy.join(current.trim()).join("lexicon.fst");
    let mut bytes = fs::read(&lexicon).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x5a;
    fs::write(&lexicon, bytes).unwrap();
    let out = dir.run(&["--index", copy.to_str().unwrap(), "stänga konto"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("lexicon.fst"), "{}", stderr(&out));
    // With the language given, only typo correction reads it: a search still answers, a
    // mistyped word corrected without the title spellings.
    for query in ["stänga konto", "stänga kontto"] {
        let out = dir.run(&["--index", copy.to_str().unwrap(), "--lang", "sv", query]);
        assert!(out.status.success(), "{query}: {}", stderr(&out));
        assert!(stdout(&out).contains("Så stänger du ditt konto"), "{query}");
    }

    // The tokens recorded of the English sources, read when a query has English words.
    for damage in ["truncated", "altered"] {
        let copy = dir.path().join(format!("damaged-source-terms-{damage}"));
        copy_dir(&good, &copy);
        let file = copy
            .join(current.trim())
            .join("english-source/source-terms");
        let mut bytes = fs::read(&file).unwrap();
        match damage {
            "truncated" => bytes.truncate(bytes.len() / 2),
            _ => {
                let at = bytes.len() / 2;
                bytes[at] ^= 0x5a;
            }
        }
        fs::write(&file, bytes).unwrap();
        let english = ["--lang", "sv", "close account"];
        let out = dir.run(&[&["--index", copy.to_str().unwrap()][..], &english].concat());
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "source-terms {damage}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            err.contains("damaged") && err.contains("source-terms"),
            "{err}"
        );
        // A query without English words does not need it.
        let found = search_json(&dir, &copy, &QUERY);
        assert_eq!(found.hits[0].slug, "how-to-close-your-account");
    }

    // A damaged record of what the build checked only costs a full check.
    let copy = dir.path().join("damaged-record");
    copy_dir(&good, &copy);
    let record = copy.join(current.trim()).join("sv-SE/verified.json");
    fs::write(&record, "{\"x\": ").unwrap();
    let found = search_json(&dir, &copy, &QUERY);
    assert_eq!(found.hits[0].slug, "how-to-close-your-account");

    let copy = dir.path().join("damaged-manifest");
    copy_dir(&good, &copy);
    let manifest = copy.join(current.trim()).join("manifest.json");
    fs::write(&manifest, "{\"format_version\": 4, \"loc").unwrap();
    assert_reported_damaged(&dir, &copy, "manifest.json cut short");
    assert!(cases >= 30);

    // The undamaged index still answers.
    let found = search_json(&dir, &good, &QUERY);
    assert_eq!(found.hits[0].slug, "how-to-close-your-account");

    // Damage in place, in an index just built (whose files the build recorded as checked).
    let fresh = Dir::new();
    let index = fresh.index_seeds();
    let target = segment_files(&index, "sv-SE")
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .unwrap();
    let mut bytes = fs::read(&target).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x5a;
    fs::write(&target, bytes).unwrap();
    assert_reported_damaged(&fresh, &index, "postings altered in place");
}

/// `helpsearch index` run through `sh` with `setup` before it (a limit, a lower privilege).
fn build_under(dir: &Dir, setup: &str, index: &Path, source: &Path) -> std::process::Output {
    build_with(
        Path::new(env!("CARGO_BIN_EXE_helpsearch")),
        dir,
        setup,
        index,
        source,
    )
}

fn build_with(
    binary: &Path,
    dir: &Dir,
    setup: &str,
    index: &Path,
    source: &Path,
) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("{setup}; exec \"$0\" \"$@\""))
        .arg(binary)
        .args(["index", "--index"])
        .arg(index)
        .arg(source)
        .current_dir(dir.path())
        .output()
        .expect("sh runs")
}

/// A corpus of a few hundred real articles (a build that writes a few MB).
fn swedish_corpus(dir: &Dir) -> PathBuf {
    let corpus = dir.path().join("corpus");
    util::unpack(&corpus, &["sv-SE"]);
    corpus
}

#[test]
fn a_full_disk_fails_the_build_clearly_and_keeps_the_old_index() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let before = search_json(&dir, &index, &QUERY);
    let corpus = swedish_corpus(&dir);

    // No file may grow past 256 KiB: writes fail as on a full disk (EFBIG; the signal that
    // would otherwise end the process is ignored, as a long-running indexer's should be).
    let out = build_under(&dir, "trap '' XFSZ; ulimit -f 512", &index, &corpus);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("File too large"), "{err}");
    assert_eq!(search_json(&dir, &index, &QUERY), before);

    // With room again, the next build succeeds and cleans up after the failed one.
    let out = dir.build(&index, &corpus);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(entries_starting_with(&index, ".building-"), 0);
    assert!(search_json(&dir, &index, &QUERY).hits.len() > 1);
}

/// Every folder and file under `root`, `root` included.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.to_path_buf()];
    if root.is_dir() {
        for entry in fs::read_dir(root).unwrap() {
            out.extend(walk(&entry.unwrap().path()));
        }
    }
    out
}

fn running_as_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

#[test]
fn a_read_only_index_location_fails_the_build_clearly_and_keeps_the_old_index() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let before = search_json(&dir, &index, &QUERY);
    // Read-only for everyone but root, who ignores permissions: as root, the build runs as
    // nobody (setpriv), to whom the folder is read-only too.
    let everyone_reads = |path: &Path, mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    };
    everyone_reads(dir.path(), 0o755);
    everyone_reads(&index, 0o555);
    let setup = if running_as_root() {
        "exec setpriv --reuid=65534 --regid=65534 --clear-groups \"$0\" \"$@\"; exit 126"
    } else {
        "true"
    };
    // A copy of the binary and of the seeds that nobody may read, wherever the checkout is.
    let binary = dir.path().join("helpsearch");
    fs::copy(env!("CARGO_BIN_EXE_helpsearch"), &binary).unwrap();
    everyone_reads(&binary, 0o755);
    let seeds = dir.path().join("seeds");
    copy_dir(&project_root().join("seeds"), &seeds);
    for entry in walk(&seeds) {
        everyone_reads(&entry, if entry.is_dir() { 0o755 } else { 0o644 });
    }
    let out = build_with(&binary, &dir, setup, &index, &seeds);
    let err = stderr(&out);
    everyone_reads(&index, 0o755);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("Permission denied"), "{err}");
    assert!(err.contains(index.to_str().unwrap()), "{err}");
    assert_eq!(search_json(&dir, &index, &QUERY), before);
}

/// Deletes one source file once the build has listed them.
struct DeleteAfterListing(PathBuf);

impl BuildObserver for DeleteAfterListing {
    fn files_found(&self, _count: usize) {
        fs::remove_file(&self.0).unwrap();
    }
}

#[test]
fn a_source_file_that_vanishes_mid_build_is_reported_and_the_rest_indexed() {
    let dir = Dir::new();
    let seeds = dir.path().join("seeds");
    copy_dir(&project_root().join("seeds"), &seeds);
    let vanishing = seeds.join("sv-SE/how-to-close-your-account.md");
    let index = dir.path().join("index");
    let summary = build_index(
        &index,
        &[Source::Path(seeds)],
        &DeleteAfterListing(vanishing.clone()),
    )
    .unwrap();
    assert_eq!(summary.indexed, 4);
    assert_eq!(summary.skipped, 1);
    let problem = &summary.problems[0];
    assert_eq!(problem.path, vanishing);
    assert!(problem.reason.contains("No such file"), "{problem:?}");
    let index = HelpIndex::open(&index).unwrap();
    assert_eq!(index.languages().count(), 4);
}
