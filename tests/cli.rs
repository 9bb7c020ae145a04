//! The `helpsearch` binary, run as a real process on temp dirs.

mod util;

use helpsearch::protocol::BatchAnswer;
use util::{project_root, search_json, stderr, stdout, Dir};

const SEED: &str = "how-to-close-your-account";

#[test]
fn first_run_builds_the_default_index_from_the_seeds() {
    let dir = Dir::new();
    let out = dir.run(&["stänga konto"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    assert!(err.contains("building it from"), "{err}");
    let text = stdout(&out);
    assert!(text.starts_with("Så stänger du ditt konto\n"), "{text}");
    assert!(text.contains("sv-SE · how-to-close-your-account"), "{text}");
    assert!(
        text.contains("4. Inaktivera multifaktorautentisering."),
        "{text}"
    );
    assert!(dir.path().join("index/CURRENT").exists());

    let again = dir.run(&["stänga konto"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(stderr(&again).is_empty(), "no rebuild: {}", stderr(&again));
}

#[test]
fn a_chosen_index_location_is_never_filled_with_the_seeds() {
    let dir = Dir::new();
    let out = dir.run(&["--index", "mine", "stänga konto"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no index at mine"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("mine/CURRENT").exists());
    // The environment variable chooses a location too.
    let out = dir
        .cmd(&["stänga konto"])
        .env("HELPSEARCH_INDEX", "env-index")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no index at env-index"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn each_seed_language_finds_its_article_from_other_word_forms() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    for (query, locale) in [
        ("stänga kontot", "sv-SE"),
        ("sluit account", "nl-NL"),
        ("închiderea contului", "ro-RO"),
        ("konta slēgšana", "lv-LV"),
        ("zapiranja računov", "sl-SI"),
    ] {
        let results = search_json(&dir, &index, &["--lang", locale, query]);
        let top = results
            .hits
            .first()
            .unwrap_or_else(|| panic!("no hit for {query}"));
        assert_eq!(
            (top.slug.as_str(), top.locale.code()),
            (SEED, locale),
            "{query}"
        );
    }
}

#[test]
fn the_query_language_is_detected() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    for (query, locale) in [
        ("stänga konto", "sv-SE"),
        ("hoe sluit ik mijn account", "nl-NL"),
        ("închiderea contului", "ro-RO"),
        ("slēgt kontu", "lv-LV"),
        ("zapiranje računa", "sl-SI"),
    ] {
        let results = search_json(&dir, &index, &[query]);
        assert!(results.detected);
        assert_eq!(results.lang.map(|l| l.code()), Some(locale), "{query}");
        assert_eq!(results.hits[0].locale.code(), locale, "{query}");
    }
}

#[test]
fn a_step_query_returns_the_step() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let results = search_json(
        &dir,
        &index,
        &["--lang", "sv", "inaktivera multifaktorautentisering"],
    );
    let step = results.hits[0].step.as_ref().expect("a step");
    assert_eq!(step.n, 4);
    assert_eq!(step.text, "Inaktivera multifaktorautentisering.");
    assert_eq!(step.highlights, [[0, 10], [11, 35]]);
    let results = search_json(&dir, &index, &["--lang", "nl-NL", "abonnementen annuleren"]);
    assert_eq!(results.hits[0].step.as_ref().map(|s| s.n), Some(2));
}

#[test]
fn a_word_typed_in_two_parts_finds_the_step_that_has_it_whole() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    for query in ["multifaktor autentisering", "multifaktor-autentisering"] {
        let results = search_json(&dir, &index, &["--lang", "sv", query]);
        let hit = results.hits.first().expect("a hit");
        assert_eq!(hit.slug, "how-to-close-your-account", "{query}");
        let step = hit.step.as_ref().expect("a step");
        assert_eq!(step.n, 4, "{query}");
        assert_eq!(step.highlights, [[11, 35]], "{query}");
    }
}

#[test]
fn a_query_typed_without_diacritics_finds_the_article() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    for (query, locale) in [
        ("stanga konto", "sv-SE"),
        ("slegt kontu", "lv-LV"),
        ("inchideti contul", "ro-RO"),
        ("zapiranje racuna", "sl-SI"),
    ] {
        let results = search_json(&dir, &index, &["--lang", locale, query]);
        assert_eq!(
            results.hits.first().map(|h| h.locale.code()),
            Some(locale),
            "{query}"
        );
    }
}

/// East Asian input methods type Latin letters fullwidth ("ｓｔäｎｇａ"): the query is the
/// same words, its language told as typed the usual way.
#[test]
fn a_query_typed_in_fullwidth_letters_finds_the_article() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    for query in ["ｓｔäｎｇａ　ｋｏｎｔｏ", "ＳＴÄＮＧＡ ｋｏｎｔｏ"] {
        let results = search_json(&dir, &index, &[query]);
        assert_eq!(results.query, query, "the query is echoed as typed");
        assert_eq!(results.lang.map(|l| l.code()), Some("sv-SE"), "{query}");
        let hit = results.hits.first().expect("a hit");
        assert_eq!(hit.slug, SEED, "{query}");
        assert_eq!(hit.title, "Så stänger du ditt konto", "{query}");
    }
}

/// A typo in a word's ending keeps its stemmer from stripping it ("abonamentleor" stays
/// whole): the word is found by a start of it ("abonament", of "abonamentelor").
#[test]
fn a_word_mistyped_in_its_ending_finds_its_stem() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let results = search_json(&dir, &index, &["--lang", "ro", "anularea abonamentleor"]);
    let hit = results.hits.first().expect("a hit");
    assert_eq!(hit.slug, "how-to-close-your-account");
    let step = hit.step.as_ref().expect("a step");
    assert_eq!(step.text, "Anularea tuturor abonamentelor active.");
    assert_eq!(step.highlights, [[0, 8], [17, 30]]);
}

/// A stemmer strips some endings only with their diacritics: Portuguese "configuração"
/// stems to "configur", "configuracao" to "configuraca", which no text has. The index
/// knows which words such a bare word stands for.
#[test]
fn a_word_typed_bare_that_stems_otherwise_finds_the_word_it_stands_for() {
    let dir = Dir::new();
    let article = |title: &str, step: &str| {
        format!(
            "---\ntitle: {title}\n---\n# {title}\n\nPode fazê-lo assim.\n\n1. {step}\n2. Guarde.\n"
        )
    };
    let settings = article("Alterar o e-mail", "Abra a configuração do e-mail.");
    dir.write("src/pt-PT/email-settings.md", settings);
    dir.write(
        "src/pt-PT/printer.md",
        article("Adicionar uma impressora", "Abra as definições."),
    );
    let index = dir.path().join("idx");
    let out = dir.build(&index, &dir.path().join("src"));
    assert!(out.status.success(), "{}", stderr(&out));
    for query in ["configuração", "configuracao", "Configuracao do e-mail"] {
        let results = search_json(&dir, &index, &["--lang", "pt-PT", query]);
        let hit = results.hits.first().expect("a hit");
        assert_eq!(hit.slug, "email-settings", "{query}");
        let step = hit.step.as_ref().expect("a step");
        assert_eq!(step.n, 1, "{query}");
        let word = step.text.find("configuração").unwrap();
        assert_eq!(
            step.highlights.first(),
            Some(&[word, word + "configuração".len()]),
            "{query}"
        );
    }
}

#[test]
fn an_english_query_with_lang_finds_the_localized_article() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let results = search_json(
        &dir,
        &index,
        &[
            "--lang",
            "ro_RO",
            "--source",
            "disable multi-factor authentication",
        ],
    );
    let top = &results.hits[0];
    assert_eq!((top.slug.as_str(), top.locale.code()), (SEED, "ro-RO"));
    let step = top
        .step
        .as_ref()
        .expect("the step, found through its English source");
    assert_eq!(step.n, 4);
    assert_eq!(
        step.source.as_deref(),
        Some("Disable multi-factor authentication.")
    );
    assert_eq!(
        top.title_source.as_deref(),
        Some("How to close your account")
    );
}

#[test]
fn source_lines_in_text_output() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let out = dir.run(&[
        "--index",
        index.to_str().unwrap(),
        "--lang",
        "sv",
        "--source",
        "stänga konto",
    ]);
    let text = stdout(&out);
    assert!(text.contains("How to close your account\n"), "{text}");
    assert!(text.contains("Delete users."), "{text}");
}

#[test]
fn no_color_when_not_a_terminal() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let out = dir.run(&["--index", index.to_str().unwrap(), "stänga konto"]);
    assert!(!stdout(&out).contains('\x1b'));
}

#[test]
fn exit_codes_say_what_happened() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let index = index.to_str().unwrap();
    let found = dir.run(&["--index", index, "--lang", "sv", "konto"]);
    assert_eq!(found.status.code(), Some(0));
    let nothing = dir.run(&["--index", index, "--lang", "sv", "xyzzy plugh"]);
    assert_eq!(nothing.status.code(), Some(1));
    assert!(stderr(&nothing).contains("nothing found"));
    let bad_lang = dir.run(&["--index", index, "--lang", "xx", "konto"]);
    assert_eq!(bad_lang.status.code(), Some(2));
    assert!(
        stderr(&bad_lang).contains("unknown language \"xx\""),
        "{}",
        stderr(&bad_lang)
    );
    let not_indexed = dir.run(&["--index", index, "--lang", "de", "konto"]);
    assert_eq!(not_indexed.status.code(), Some(2));
    assert!(stderr(&not_indexed).contains("no articles in de-DE"));
    let empty = dir.run(&["--index", index, "   "]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).contains("the query is empty"));
}

#[test]
fn query_syntax_characters_are_just_words() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    for query in [
        "\"konto\" AND (stänga) OR -NOT",
        "title:konto [x TO y] {a} ~2 ^3 * ? \\ / !",
        "+ - && || :",
    ] {
        let out = dir.run(&["--index", index.to_str().unwrap(), "--lang", "sv", query]);
        assert!(
            matches!(out.status.code(), Some(0) | Some(1)),
            "{query}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn json_lines_batch_answers_every_line() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let input = [
        r#"{"id": "q1", "query": "stänga konto", "lang": "sv-SE"}"#,
        "this is not json",
        "",
        r#"{"id": 7, "query": "slēgt kontu"}"#,
        r#"{"id": "q3", "query": "konto", "lang": "klingon"}"#,
        r#"{"id": "q4", "query": ""}"#,
    ]
    .join("\n");
    let out = dir.run_with_input(&["--index", index.to_str().unwrap(), "--jsonl"], &input);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let answers: Vec<BatchAnswer> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line decodes"))
        .collect();
    assert_eq!(answers.len(), 5, "blank lines get no answer");
    match &answers[0] {
        BatchAnswer::Results { id, results } => {
            assert_eq!(id, "q1");
            assert_eq!(results.hits[0].slug, "how-to-close-your-account");
            assert_eq!(results.lang.unwrap().code(), "sv-SE");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&answers[1], BatchAnswer::Error { error, .. } if error.contains("bad request line"))
    );
    match &answers[2] {
        BatchAnswer::Results { id, results } => {
            assert_eq!(id, 7);
            assert_eq!(results.lang.unwrap().code(), "lv-LV");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&answers[3], BatchAnswer::Error { id, error } if id == "q3" && error.contains("klingon"))
    );
    assert!(
        matches!(&answers[4], BatchAnswer::Error { id, error } if id == "q4" && error.contains("empty"))
    );
}

#[test]
fn json_output_is_the_protocol_shape() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let out = dir.run(&[
        "--index",
        index.to_str().unwrap(),
        "--json",
        "--lang",
        "sv",
        "konto",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hit = &value["hits"][0];
    assert_eq!(hit["slug"], "how-to-close-your-account");
    assert_eq!(hit["locale"], "sv-SE");
    assert!(hit.get("step").is_some(), "step is present (maybe null)");
}

#[test]
fn analyze_prints_tokens() {
    let dir = Dir::new();
    let out = dir.run(&["analyze", "--lang", "sv", "Stänga kontona"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "0\tstäng\t0..7\tStänga\n1\tkonton\t8..15\tkontona\n"
    );
    let out = dir.run(&["analyze", "--lang", "ja", "--json", "アカウント"]);
    let tokens: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(tokens.as_array().unwrap().len(), 4);
}

#[test]
fn show_and_languages() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let index = index.to_str().unwrap();
    let out = dir.run(&["show", "--index", index, "lv", SEED]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Kā slēgt kontu\n"));
    assert!(stdout(&out).contains("1. Izdzēsiet lietotājus."));
    let out = dir.run(&["show", "--index", index, "lv", "no-such-article"]);
    assert_eq!(out.status.code(), Some(1));
    let out = dir.run(&["languages", "--index", index]);
    assert_eq!(stdout(&out).lines().count(), 5);
    assert!(stdout(&out).contains("sv-SE\t1\tSwedish"));
}

#[test]
fn an_index_of_an_older_format_is_rebuilt_from_its_sources() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let current = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    let manifest = index.join(current.trim()).join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace(&current_version(), "\"format_version\": 0"),
    )
    .unwrap();
    let out = dir.run(&["--index", index.to_str().unwrap(), "stänga konto"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("older format; rebuilding it"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains(&format!("helpsearch index --index {}", index.display())));
}

#[test]
fn an_index_whose_sources_are_gone_names_the_rebuild_command() {
    let dir = Dir::new();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("sv-SE")).unwrap();
    std::fs::copy(
        project_root().join("seeds/sv-SE/how-to-close-your-account.md"),
        src.join("sv-SE/a.md"),
    )
    .unwrap();
    let index = dir.path().join("idx");
    let out = dir.build(&index, &src);
    assert!(out.status.success());
    std::fs::remove_dir_all(&src).unwrap();
    let current = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    let manifest = index.join(current.trim()).join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace(&current_version(), "\"format_version\": 99"),
    )
    .unwrap();
    let out = dir.run(&["--index", index.to_str().unwrap(), "konto"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("format version 99"), "{err}");
    assert!(
        err.contains("rebuild it with: helpsearch index --index"),
        "{err}"
    );
}

/// How the manifest writes this build's format version.
fn current_version() -> String {
    format!("\"format_version\": {}", helpsearch::index::FORMAT_VERSION)
}

#[test]
fn identical_articles_under_several_slugs_are_shown_once() {
    let dir = Dir::new();
    let seed =
        std::fs::read_to_string(project_root().join("seeds/sv-SE/how-to-close-your-account.md"))
            .unwrap();
    dir.write("src/sv-SE/close-account.md", &seed);
    dir.write(
        "src/sv-SE/close-account-copy.md",
        seed.replace("Så stänger du ditt konto", "Stäng kontot"),
    );
    let other = seed.replace("Ta bort användare.", "Ta bort alla användare först.");
    dir.write("src/sv-SE/close-account-edited.md", other);
    let index = dir.path().join("idx");
    let src = dir.path().join("src");
    let out = dir.build(&index, &src);
    assert!(out.status.success(), "{}", stderr(&out));
    let results = search_json(&dir, &index, &["--lang", "sv", "stänga konto"]);
    let slugs: Vec<&str> = results.hits.iter().map(|h| h.slug.as_str()).collect();
    assert_eq!(slugs.len(), 2, "{slugs:?}");
    let (shown, other): (Vec<_>, Vec<_>) = results.hits.iter().partition(|h| !h.also.is_empty());
    let shown = shown[0];
    let copy = if shown.slug == "close-account" {
        "close-account-copy"
    } else {
        "close-account"
    };
    assert_eq!(shown.also, [copy]);
    assert_eq!(other[0].slug, "close-account-edited");
    let text = stdout(&dir.run(&[
        "--index",
        index.to_str().unwrap(),
        "--lang",
        "sv",
        "stänga konto",
    ]));
    assert!(text.contains(&format!("same article as: {copy}")), "{text}");
}

#[test]
fn the_index_location_goes_before_or_after_the_subcommand() {
    let dir = Dir::new();
    let index = dir.index_seeds();
    let index = index.to_str().unwrap();
    for args in [
        ["--index", index, "show", "sv-SE", SEED],
        ["show", "--index", index, "sv-SE", SEED],
        ["show", "sv-SE", SEED, "--index", index],
    ] {
        let out = dir.run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with("Så stänger du ditt konto\n"),
            "{args:?}"
        );
    }
    let out = dir.run(&["--index", index, "--lang", "sv", "show", "sv-SE", SEED]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("search options and words go after `search`"));
}

#[test]
fn the_server_listens_on_loopback_unless_told_otherwise() {
    let dir = Dir::new();
    let out = dir.run(&["serve", "--help"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("[default: 127.0.0.1:7700]"),
        "{}",
        stdout(&out)
    );
}
