//! Broken files are reported with path and reason, and the rest is indexed; a failed build
//! leaves the previous index answering.

mod util;

use util::{entries_starting_with, project_root, search_json, stderr, Dir};

fn seed(locale: &str) -> String {
    std::fs::read_to_string(
        project_root()
            .join("seeds")
            .join(locale)
            .join("how-to-close-your-account.md"),
    )
    .unwrap()
}

/// A corpus with one file of each kind of bad input, beside good ones.
fn bad_corpus(dir: &Dir) {
    let sv = seed("sv-SE");
    let body = sv.splitn(3, "---").nth(2).unwrap().to_string();
    dir.write("corpus/sv-SE/good.md", &sv);
    dir.write("corpus/sv-SE/no-front-matter.md", body.trim_start());
    dir.write(
        "corpus/sv-SE/bad-yaml.md",
        format!("---\ntitle: [unclosed\nms.contentlocale: sv-SE\n---{body}"),
    );
    let mut invalid = sv.clone().into_bytes();
    invalid.extend_from_slice(b"\n\nKorrupt \xff\xfe zzmarker.\n");
    dir.write("corpus/sv-SE/invalid-utf8.md", invalid);
    dir.write("corpus/sv-SE/bom.md", format!("\u{feff}{sv}"));
    dir.write("corpus/sv-SE/crlf.md", sv.replace('\n', "\r\n"));
    dir.write("corpus/sv-SE/empty.md", "");
    dir.write(
        "corpus/sv-SE/binary.md",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    let mut huge = sv.clone();
    huge.push_str(&"ord ".repeat(3_000_000));
    dir.write("corpus/sv-SE/huge.md", huge);
    dir.write(
        "corpus/sv-SE/spans.md",
        "---\ntitle: Trasiga spann\nms.contentlocale: sv-SE\n---\n# Rubrik\n\n<span data-ttu-id=\"a\">Ett</span></span> <span data-ttu-id=\"b\">Två spannlöst\n",
    );
    dir.write(
        "corpus/sv-SE/empty-translation.md",
        "---\ntitle: Tom översättning\n---\n# Rubrik\n\n<span data-ttu-id=\"a\"></span><span class=\"sxs-lookup\"><span data-stu-id=\"a\">Untranslated sentence about zebras.</span></span>\n",
    );
    dir.write("corpus/sv-SE/not-markdown.txt", "ignored");
    // A link out of the source tree is not followed.
    let outside = dir.write(
        "outside/secret.md",
        "---\ntitle: Hemligt\n---\n# Hemligt\n\nzzsecret\n",
    );
    std::os::unix::fs::symlink(&outside, dir.path().join("corpus/sv-SE/link.md")).unwrap();
}

#[test]
fn bad_files_are_reported_and_the_rest_indexed() {
    let dir = Dir::new();
    bad_corpus(&dir);
    let index = dir.path().join("idx");
    let corpus = dir.path().join("corpus");
    let out = dir.build(&index, &corpus);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    // Is there a line "WHAT: …/sv-SE/FILE.md: …REASON…"?
    let reported = |what: &str, file: &str, reason: &str| {
        let found = err.lines().any(|l| {
            l.starts_with(what) && l.contains(&format!("sv-SE/{file}.md: ")) && l.contains(reason)
        });
        assert!(
            found,
            "no {what} line for {file} saying {reason:?} in:\n{err}"
        );
    };
    reported("warning", "no-front-matter", "no front matter");
    reported("warning", "bad-yaml", "front matter is not valid YAML");
    reported("warning", "invalid-utf8", "invalid UTF-8 at byte");
    reported("skipped", "empty", "empty file");
    reported("skipped", "binary", "binary file");
    reported("skipped", "huge", "over the 10485760 byte limit");
    reported("warning", "spans", "stray </span>");
    reported("warning", "spans", "unclosed <span>");
    reported("warning", "empty-translation", "empty translation");
    reported("skipped", "link", "symbolic link not followed");
    assert!(!err.contains("bom.md"), "a BOM is fine: {err}");
    assert!(!err.contains("crlf.md"), "CRLF is fine: {err}");
    assert!(!err.contains("not-markdown"), "only .md files are read");
    let summary = err.lines().last().unwrap();
    assert!(
        summary.starts_with("indexed 8 articles in 1 locales (5 with warnings), skipped 4"),
        "{summary}"
    );

    // What could be read is searchable.
    let results = search_json(&dir, &index, &["--lang", "sv", "zebras"]);
    assert_eq!(results.hits[0].slug, "empty-translation");
    let results = search_json(&dir, &index, &["--lang", "sv", "spannlöst"]);
    assert_eq!(results.hits[0].slug, "spans");
    let secret = search_json(&dir, &index, &["--lang", "sv", "zzsecret"]);
    assert!(secret.hits.is_empty(), "a symlinked file was indexed");
    let results = search_json(&dir, &index, &["--lang", "sv", "zzmarker"]);
    assert_eq!(results.hits[0].slug, "invalid-utf8");
}

#[test]
fn a_failed_build_leaves_the_previous_index_answering() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let before = search_json(&dir, &index, &["--lang", "sv", "stänga konto"]);

    // A missing source fails the build.
    let out = dir.run(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        "/no/such/folder",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/no/such/folder"), "{}", stderr(&out));
    // So does a source with nothing readable in it.
    dir.write("junk/sv-SE/empty.md", "");
    let junk = dir.path().join("junk");
    let out = dir.build(&index, &junk);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no article could be read"),
        "{}",
        stderr(&out)
    );

    assert_eq!(
        search_json(&dir, &index, &["--lang", "sv", "stänga konto"]),
        before
    );
}

#[test]
fn an_abandoned_build_is_cleaned_up_by_the_next() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    // What a build killed mid-way leaves behind.
    dir.write("index/.building-gen-dead/sv-SE/meta.json", "{ half written");
    let before = search_json(&dir, &index, &["--lang", "sv", "stänga konto"]);
    let seeds = project_root().join("seeds");
    let out = dir.build(&index, &seeds);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!index.join(".building-gen-dead").exists());
    let generations = entries_starting_with(&index, "gen-");
    assert_eq!(
        generations, 2,
        "the current and the replaced generation are kept"
    );
    let out = dir.build(&index, &seeds);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let generations = entries_starting_with(&index, "gen-");
    assert_eq!(generations, 2, "older generations are removed");
    assert_eq!(
        search_json(&dir, &index, &["--lang", "sv", "stänga konto"]),
        before
    );
}
