//! The real corpus: ten locales of ../shared/corpus (the five seed languages, and five
//! scripts that are hard to tokenize or detect), indexed once, then searched.

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use helpsearch::Article;
use util::{search_json, shared, stderr, stdout, unpack, Dir};

const LOCALES: &[&str] = &[
    "sv-SE", "lv-LV", "sl-SI", "ro-RO", "nl-NL", "ja-JP", "zh-CN", "th-TH", "ar-SA", "ru-RU",
];

/// The overall s@1 of dev-queries.tsv (language given) must not fall below this: the figure
/// reached when it was last raised, less a small margin.
const RELEVANCE_FLOOR: f64 = 0.71;

struct Fixture {
    /// Runs the binary (its temp dir is unused: every call names the index).
    dir: Dir,
    index: PathBuf,
}

/// Unpacks and indexes the ten locales once per test run.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-test");
        let _ = std::fs::remove_dir_all(&root);
        let corpus = root.join("corpus");
        unpack(&corpus, LOCALES);
        let dir = Dir::new();
        let index = root.join("index");
        let out = dir.build(&index, &corpus);
        assert!(out.status.success(), "{}", stderr(&out));
        let summary = stderr(&out);
        let summary = summary.lines().last().unwrap();
        assert!(summary.contains("in 10 locales"), "{summary}");
        assert!(summary.contains("skipped 0"), "{summary}");
        Fixture { dir, index }
    })
}

fn article(locale: &str, slug: &str) -> Article {
    let f = fixture();
    let out = f.dir.run(&[
        "show",
        "--index",
        f.index.to_str().unwrap(),
        "--json",
        locale,
        slug,
    ]);
    assert!(out.status.success(), "{locale} {slug}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn every_locale_finds_articles_by_their_title() {
    let f = fixture();
    for locale in LOCALES {
        for slug in [
            "how-to-close-your-account",
            "Excel-crashing",
            "restore-deleted-user",
        ] {
            let title = article(locale, slug).title.text;
            let results = search_json(&f.dir, &f.index, &["--lang", locale, &title]);
            let top = results
                .hits
                .first()
                .unwrap_or_else(|| panic!("{locale}: no hit for {title}"));
            assert_eq!(top.locale.code(), *locale);
            // Near-identical articles share titles: any of them is right.
            assert_eq!(top.title, title, "{locale} {slug}: got {}", top.slug);
        }
    }
}

#[test]
fn every_locale_is_detected_from_a_title() {
    let f = fixture();
    for locale in LOCALES {
        let title = article(locale, "restore-deleted-user").title.text;
        let results = search_json(&f.dir, &f.index, &[&title]);
        assert_eq!(results.lang.map(|l| l.code()), Some(*locale), "{title}");
    }
}

#[test]
fn steps_are_found_in_every_locale() {
    let f = fixture();
    for locale in LOCALES {
        let a = article(locale, "how-to-close-your-account");
        let step4 = &a.steps().find(|s| s.n == 4).expect("step 4").text.text;
        // The article's title picks the article; the step's words pick the step.
        let query = format!("{} {step4}", a.title.text);
        let results = search_json(&f.dir, &f.index, &["--lang", locale, &query]);
        let top = &results.hits[0];
        assert_eq!(top.slug, "how-to-close-your-account", "{locale}: {query}");
        assert_eq!(top.step.as_ref().map(|s| s.n), Some(4), "{locale}: {query}");
    }
}

/// Machine translation writes some compounds apart ("en delad post låda", "ett arbets
/// flöde"): typed whole, as users type them, they still find the article; so do a name
/// and its number typed together ("Windows10").
#[test]
fn words_an_article_writes_apart_are_found_typed_together() {
    let f = fixture();
    for [locale, query, slug] in [
        [
            "sv-SE",
            "skapa och använda delad postlåda",
            "create-and-use-a-shared-mailbox",
        ],
        [
            "sv-SE",
            "åtkomst nekad arbetsflöde",
            "access-denied-when-viewing-a-workflow",
        ],
        [
            "ro-RO",
            "activarea abonamentelor windows10",
            "activating-windows-10-subscriptions",
        ],
        [
            "ru-RU",
            "активация windows10",
            "how-to-activate-windows-10-subscription",
        ],
    ] {
        let results = search_json(&f.dir, &f.index, &["--lang", locale, query]);
        let top = results.hits.first().expect("a hit");
        assert_eq!(top.slug, slug, "{locale}: {query}");
    }
}

/// `word` with the letters at `places` changed: an edit each, which no stemmer undoes.
fn misspelt(word: &str, places: &[usize]) -> String {
    word.chars()
        .enumerate()
        .map(|(i, c)| match c {
            _ if !places.contains(&i) => c,
            'a' => 'e',
            _ => 'a',
        })
        .collect()
}

#[test]
fn titles_with_a_typo_still_find_their_article() {
    let f = fixture();
    for locale in ["sv-SE", "lv-LV", "sl-SI", "ro-RO", "nl-NL", "ru-RU"] {
        for slug in ["how-to-close-your-account", "restore-deleted-user"] {
            let title = article(locale, slug).title.text;
            // The title's longest word (5+ letters, so one typo is corrected) misspelt. (Two
            // typos in a 9-letter word can leave a 5-letter stem two edits from a commoner
            // one: not asserted.)
            let longest = title
                .split_whitespace()
                .filter(|w| w.chars().all(char::is_alphabetic))
                .max_by_key(|w| w.chars().count())
                .unwrap();
            assert!(longest.chars().count() >= 5, "{locale}: {title}");
            // A typo inside the word, and (Latin script: the typo stays in the word's
            // script) one in its first letter, which is sought in a second, cheaper walk.
            let places: &[usize] = if locale == "ru-RU" { &[1] } else { &[1, 0] };
            for &place in places {
                let query = title.replacen(longest, &misspelt(longest, &[place]), 1);
                let results = search_json(&f.dir, &f.index, &["--lang", locale, &query]);
                let top = results.hits.first().map(|h| h.slug.as_str());
                assert_eq!(top, Some(slug), "{locale}: {query} ({title})");
            }
        }
    }
}

#[test]
fn unspaced_scripts_are_not_one_token_per_sentence() {
    let f = fixture();
    // A few characters from the middle of a title still find it.
    for locale in ["ja-JP", "zh-CN", "th-TH"] {
        let title = article(locale, "Excel-crashing").title.text;
        let chars: Vec<char> = title.chars().filter(|c| !c.is_ascii()).collect();
        let part: String = chars[..chars.len().min(4)].iter().collect();
        let results = search_json(
            &f.dir,
            &f.index,
            &["--lang", locale, "--limit", "50", &part],
        );
        assert!(
            results.hits.iter().any(|h| h.slug == "Excel-crashing"),
            "{locale}: {part} in {title}"
        );
    }
}

/// The scorer's overall s@1 for the query set `tsv`, and its whole report.
fn s_at_1(tsv: &Path) -> (f64, String) {
    let (report, overall) = score(tsv, &[]);
    (overall("s@1"), report)
}

/// The scorer's report for the query set `tsv` with the scorer's `options`, and a reader of
/// its overall figures by name.
fn score(tsv: &Path, options: &[&str]) -> (String, impl Fn(&str) -> f64) {
    let f = fixture();
    let out = Command::new("python3")
        .arg(shared().join("eval/score"))
        .args(options)
        .arg(tsv)
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_helpsearch"))
        .args(["--index", f.index.to_str().unwrap(), "--jsonl"])
        .output()
        .expect("python3 runs the scorer");
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    let overall = report.lines().last().unwrap().to_string();
    let figure = move |name: &str| -> f64 {
        overall
            .split_whitespace()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {overall}"))
    };
    (report, figure)
}

#[test]
fn relevance_does_not_regress() {
    let (s1, report) = s_at_1(&shared().join("eval/dev-queries.tsv"));
    eprintln!("{report}");
    assert!(
        s1 >= RELEVANCE_FLOOR,
        "s@1 {s1} fell below the floor {RELEVANCE_FLOOR}:\n{report}"
    );
}

/// The title queries of ../shared/eval in the ten locales indexed here (400: a title's
/// words in another order, and English titles) must not fall below this: 0.958 when it was
/// set, less a small margin.
const TITLE_FLOOR: f64 = 0.94;

/// Title queries find their article in every script indexed here (Japanese, Chinese and
/// Thai cut into character pairs at index and query time alike, Arabic, Cyrillic).
#[test]
fn title_queries_do_not_regress() {
    let tsv = std::fs::read_to_string(shared().join("eval/dev-title-queries.tsv")).unwrap();
    let mut lines = tsv.lines();
    let mut rows = vec![lines.next().unwrap()];
    rows.extend(lines.filter(|l| LOCALES.contains(&l.split('\t').nth(1).unwrap_or(""))));
    assert!(rows.len() > 300, "{} title queries", rows.len() - 1);
    let dir = Dir::new();
    let path = dir.path().join("titles.tsv");
    std::fs::write(&path, rows.join("\n") + "\n").unwrap();
    let (s1, report) = s_at_1(&path);
    eprintln!("{report}");
    assert!(
        s1 >= TITLE_FLOOR,
        "title queries s@1 {s1} fell below the floor {TITLE_FLOOR}:\n{report}"
    );
}

/// With the language left to detect (as the scorer's `--detect` sends the dev queries),
/// the answer is in the user's language nearly always and as good as with it given.
#[test]
fn detection_finds_the_language_and_keeps_relevance() {
    let tsv = shared().join("eval/dev-queries.tsv");
    let (given, _) = s_at_1(&tsv);
    let (report, detected) = score(&tsv, &["--detect"]);
    eprintln!("{report}");
    assert!(
        detected("lang") >= 0.97,
        "language right too seldom:\n{report}"
    );
    assert!(
        detected("s@1") >= given - 0.03,
        "detected s@1 {} against {given} given:\n{report}",
        detected("s@1")
    );
}

/// The dev queries that `vary` gives another text (it is handed each row's columns), as
/// they are and as varied, each set with the header first.
fn dev_queries_varied(vary: impl Fn(&[String]) -> Option<String>) -> (Vec<String>, Vec<String>) {
    let tsv = std::fs::read_to_string(shared().join("eval/dev-queries.tsv")).unwrap();
    let mut lines = tsv.lines();
    let header = lines.next().unwrap().to_string();
    let (mut typed, mut varied) = (vec![header.clone()], vec![header]);
    for line in lines {
        let mut cols: Vec<String> = line.split('\t').map(str::to_string).collect();
        if cols.len() < 5 {
            continue;
        }
        if let Some(query) = vary(&cols) {
            typed.push(line.to_string());
            cols[3] = query;
            varied.push(cols.join("\t"));
        }
    }
    (typed, varied)
}

/// The s@1 of a query set's rows (`typed`, a header first) and of their `varied` rows,
/// and the report on those.
fn s_at_1_as_typed_and_varied(typed: &[String], varied: &[String]) -> (f64, f64, String) {
    let dir = Dir::new();
    let write = |name: &str, rows: &[String]| {
        let path = dir.path().join(name);
        std::fs::write(&path, rows.join("\n") + "\n").unwrap();
        path
    };
    let (as_typed, _) = s_at_1(&write("typed.tsv", typed));
    let (as_varied, report) = s_at_1(&write("varied.tsv", varied));
    (as_typed, as_varied, report)
}

/// The dev queries typed with diacritics (English ones aside), as typed and with every
/// diacritic left out, find nearly as often: a user without the keyboard layout is not
/// a worse-served user.
#[test]
fn queries_typed_without_diacritics_do_nearly_as_well() {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let (typed, bare) = dev_queries_varied(|cols| {
        let folded: String = cols[3].nfd().filter(|c| !is_combining_mark(*c)).collect();
        (cols[2] != "en" && folded != cols[3]).then_some(folded)
    });
    assert!(typed.len() > 50, "{} queries with diacritics", typed.len());
    let (with, without, report) = s_at_1_as_typed_and_varied(&typed, &bare);
    eprintln!("with diacritics {with}, without {without}\n{report}");
    assert!(
        without >= with - 0.05,
        "typed without diacritics s@1 {without}, with them {with}:\n{report}"
    );
}

/// The dev queries of kinds natural and step with two letters swapped in the middle of
/// their longest word (6+ letters), as users mistype, find nearly as often as typed right.
#[test]
fn queries_with_a_typo_do_nearly_as_well() {
    let (typed, mistyped) = dev_queries_varied(|cols| {
        if !["natural", "step"].contains(&cols[2].as_str()) {
            return None;
        }
        let mut words: Vec<Vec<char>> = cols[3].split(' ').map(|w| w.chars().collect()).collect();
        let longest = (words.iter().enumerate())
            .filter(|(_, w)| w.len() >= 6 && w.iter().all(|c| c.is_alphabetic()))
            .max_by_key(|(i, w)| (w.len(), std::cmp::Reverse(*i)))
            .map(|(i, _)| i)?;
        let middle = words[longest].len() / 2;
        words[longest].swap(middle, middle + 1);
        let words: Vec<String> = words.iter().map(|w| w.iter().collect()).collect();
        Some(words.join(" "))
    });
    assert!(typed.len() > 80, "{} queries with a long word", typed.len());
    let (right, wrong, report) = s_at_1_as_typed_and_varied(&typed, &mistyped);
    eprintln!("typed right {right}, with a typo {wrong}\n{report}");
    assert!(
        wrong >= right - 0.05,
        "with a typo s@1 {wrong}, typed right {right}:\n{report}"
    );
}
