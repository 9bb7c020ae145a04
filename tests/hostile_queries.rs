//! Queries built to break things get an answer or a clear error, never a panic.

use helpsearch::{build_index, Error, HelpIndex, SearchRequest, Source};

fn seeds_index() -> (tempfile::TempDir, HelpIndex) {
    let dir = tempfile::tempdir().unwrap();
    build_index(dir.path(), &[Source::BuiltinSeeds], &()).unwrap();
    let index = HelpIndex::open(dir.path()).unwrap();
    (dir, index)
}

#[test]
fn oversized_queries_are_refused_clearly() {
    let (_dir, index) = seeds_index();
    for query in ["konto ".repeat(20_000), "a ".repeat(10_000)] {
        match index.search(&SearchRequest::new(query)) {
            Err(Error::BadQuery(message)) => assert!(message.contains("at most 1000"), "{message}"),
            other => panic!("expected a clear error, got {other:?}"),
        }
    }
}

#[test]
fn odd_characters_are_just_text() {
    let (_dir, index) = seeds_index();
    let syntax: String = (0x21u8..0x7f)
        .map(char::from)
        .filter(|c| !c.is_ascii_alphanumeric())
        .collect();
    let queries = [
        "\u{0}\u{1}konto\u{7f}\u{1b}[31m".to_string(),
        "\u{200f}konto\u{200e} \u{202e}stänga".to_string(),
        "🔒 konto 👍🏽 🇸🇪".to_string(),
        syntax.clone(),
        format!("konto {syntax} stänga"),
        "\u{feff}\u{fffd}\u{fffe}".to_string(),
        "ｋｏｎｔｏ".to_string(),
        "x".repeat(999),
    ];
    for query in queries {
        match index.search(&SearchRequest::new(query.clone())) {
            Ok(_) | Err(Error::BadQuery(_)) => {}
            Err(e) => panic!("{query:?}: {e}"),
        }
    }
    let sv = "sv".parse().unwrap();
    let found = index
        .search(&SearchRequest::new("\u{200f}konto\u{200e}").lang(sv))
        .unwrap();
    assert_eq!(found.hits[0].slug, "how-to-close-your-account");
}

#[test]
fn json_lines_with_broken_escapes_get_an_error_answer() {
    let (_dir, index) = seeds_index();
    for line in [
        r#"{"id": 1, "query": "\ud800konto"}"#,
        r#"{"id": 2, "query": "konto\u0000"}"#,
        r#"{"id": 3, "query": 42}"#,
        r#"{"id": 4, "query": "konto", "limit": -1}"#,
        r#"{"id": 5, "query": "konto", "lang": null}"#,
        "[1, 2, 3]",
        "\"just a string\"",
        "{",
    ] {
        let answer = index
            .answer_line(line)
            .expect("a non-blank line is answered");
        let json = serde_json::to_string(&answer).unwrap();
        assert!(
            json.contains("\"error\"") || json.contains("\"hits\""),
            "{line}: {json}"
        );
    }
}
