//! Embedding helpsearch: build an index of the seed articles in a temp dir, search it, and
//! fetch an article, as a support tool would.
//!
//! Run with `cargo run --example embed`.

use helpsearch::{build_index, HelpIndex, Locale, SearchRequest, Source};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Build: every problem with a file is in the summary; the build itself fails only
    //    when nothing can be read or written.
    let dir = tempfile::tempdir()?;
    let summary = build_index(dir.path(), &[Source::BuiltinSeeds], &())?;
    println!(
        "indexed {} articles in {} locales",
        summary.indexed,
        summary.locales.len()
    );

    // 2. Open once, share between threads (HelpIndex is Send + Sync).
    let index = std::sync::Arc::new(HelpIndex::open(dir.path())?);
    for (locale, count) in index.languages() {
        println!("  {locale}: {count} article(s)");
    }

    // 3. Search, letting helpsearch detect the language...
    let results = index.search(&SearchRequest::new("stänga konto"))?;
    println!("\n\"stänga konto\" → answered in {:?}", results.lang);
    for hit in &results.hits {
        println!("  {} ({}/{})", hit.title, hit.locale, hit.slug);
    }

    // ...or in the user's language, with the English source, from another thread.
    let worker = {
        let index = index.clone();
        std::thread::spawn(move || {
            let ro: Locale = "ro-RO".parse().expect("a known locale");
            index.search(
                &SearchRequest::new("disable multi-factor authentication")
                    .lang(ro)
                    .limit(1)
                    .with_source(true),
            )
        })
    };
    let results = worker.join().expect("the thread ran")?;
    let hit = &results.hits[0];
    if let Some(step) = &hit.step {
        println!("\n{}: step {}. {}", hit.title, step.n, step.text);
        println!("   (English: {})", step.source.as_deref().unwrap_or("-"));
    }

    // 4. Fetch a whole article, and serialize results as the JSON the CLI prints.
    let article = index.article("lv".parse()?, "how-to-close-your-account")?;
    println!(
        "\n{} has {} steps",
        article.title.text,
        article.steps().count()
    );
    println!("{}", serde_json::to_string(&results.hits[0].step)?);
    Ok(())
}
