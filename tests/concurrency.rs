//! Searches on several threads while the index is rebuilt and swapped again and again:
//! no search fails, and every answer comes whole from one generation, never a mix.

mod util;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use helpsearch::{build_index, HelpIndex, LiveIndex, Locale, SearchRequest, Source};
use util::{corpus, corpus_of, Dir};

#[test]
fn searches_during_rebuilds_never_fail_or_mix_generations() {
    let dir = Dir::new();
    let (a, b) = (corpus(dir.path(), "A"), corpus(dir.path(), "B"));
    let index = dir.path().join("index");
    build_index(&index, &[Source::Path(a.clone())], &()).unwrap();

    let live = Arc::new(LiveIndex::open(&index).unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let sv: Locale = "sv".parse().unwrap();
    let request = SearchRequest::new("stänga konto").lang(sv);

    let mut threads = Vec::new();
    // Long-running embedders: a live index, refreshed by a thread of its own.
    for _ in 0..3 {
        let (live, stop, seen, request) =
            (live.clone(), stop.clone(), seen.clone(), request.clone());
        threads.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let results = live.get().search(&request).expect("a search never fails");
                let titles: Vec<String> = results.hits.into_iter().map(|h| h.title).collect();
                let k = (corpus_of(&titles) == 'B') as usize;
                seen[k].fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    {
        let (live, stop) = (live.clone(), stop.clone());
        threads.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                live.refresh().expect("a new generation opens");
                std::thread::sleep(Duration::from_millis(2));
            }
        }));
    }
    // One-shot users (the CLI): open the index afresh for every search.
    {
        let (index, stop, request) = (index.clone(), stop.clone(), request.clone());
        threads.push(std::thread::spawn(move || {
            let mut searches = 0;
            while !stop.load(Ordering::Relaxed) {
                let results = HelpIndex::open(&index)
                    .and_then(|i| i.search(&request))
                    .expect("a fresh open during a rebuild works");
                let titles: Vec<String> = results.hits.into_iter().map(|h| h.title).collect();
                corpus_of(&titles);
                searches += 1;
            }
            assert!(searches > 0);
        }));
    }

    for round in 0..8 {
        let next = if round % 2 == 0 { &b } else { &a };
        build_index(&index, &[Source::Path(next.clone())], &()).unwrap();
        std::thread::sleep(Duration::from_millis(30));
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().expect("no search failed or mixed generations");
    }
    let (from_a, from_b) = (
        seen[0].load(Ordering::Relaxed),
        seen[1].load(Ordering::Relaxed),
    );
    assert!(
        from_a > 0 && from_b > 0,
        "answers from A: {from_a}, from B: {from_b}"
    );
}
