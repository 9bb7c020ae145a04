//! Stemming: one token filter over every stemmer a language can name.

use super::token_map::{cache_for, TokenMap};

/// The stemmer of a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stemming {
    /// No stemmer: tokens are matched as written (after normalization).
    None,
    /// A Snowball stemmer, through the frostem crate.
    Snowball(frostem::Algorithm),
    /// Our light Latvian stemmer (after Kreslins 1996, as Lucene's).
    Latvian,
    /// Our light Slovenian stemmer (after Popovič & Willett 1992).
    Slovenian,
}

/// Applies a language's [`Stemming`] to lowercased tokens.
#[derive(Clone, Copy)]
pub struct Stemmer {
    stemming: Stemming,
    snowball: Option<frostem::Stemmer>,
}

impl Stemmer {
    /// The stemmer for `stemming`.
    pub fn new(stemming: Stemming) -> Self {
        let snowball = match stemming {
            Stemming::Snowball(algorithm) => Some(frostem::Stemmer::new(algorithm)),
            _ => None,
        };
        Stemmer { stemming, snowball }
    }
}

impl Stemmer {
    fn stem_uncached(&self, word: &str) -> Option<String> {
        match (self.stemming, &self.snowball) {
            (Stemming::Snowball(_), Some(stemmer)) => {
                let stemmed = stemmer.stem(word);
                (stemmed != word).then(|| stemmed.into_owned())
            }
            (Stemming::Latvian, _) => Some(super::latvian::stem(word)),
            (Stemming::Slovenian, _) => Some(super::slovenian::stem(word)),
            _ => None,
        }
    }
}

/// Words kept per stemmer and thread before its cache starts over.
const CACHE_ENTRIES: usize = 100_000;

/// Stems by word: `None` when stemming leaves the word as it is.
type StemCache = rustc_hash::FxHashMap<String, Option<String>>;

thread_local! {
    /// A language's analyzers (exact, folded, foldable) each remember their words
    /// (`memo.rs`), but share one stemmer: each thread remembers its stems, so a word new to
    /// one analyzer is stemmed once for all of them (and once for all its spellings in case).
    static STEMS: std::cell::RefCell<Vec<(Stemming, StemCache)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

impl TokenMap for Stemmer {
    fn map(&self, text: &mut String, _scratch: &mut String) {
        if self.stemming == Stemming::None {
            return;
        }
        STEMS.with(|caches| {
            let mut caches = caches.borrow_mut();
            let cache = cache_for(&mut caches, self.stemming);
            if let Some(hit) = cache.get(text.as_str()) {
                if let Some(stemmed) = hit {
                    text.clear();
                    text.push_str(stemmed);
                }
                return;
            }
            let stemmed = self.stem_uncached(text);
            if cache.len() >= CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(text.clone(), stemmed.clone());
            if let Some(stemmed) = stemmed {
                *text = stemmed;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::test_util::mapped;
    use frostem::Algorithm;

    fn stem(stemming: Stemming, word: &str) -> String {
        mapped(&Stemmer::new(stemming), word)
    }

    #[test]
    fn snowball_stems() {
        assert_eq!(
            stem(Stemming::Snowball(Algorithm::Swedish), "prenumerationer"),
            "prenumeration"
        );
        assert_eq!(
            stem(Stemming::Snowball(Algorithm::English), "closing"),
            "close"
        );
    }

    #[test]
    fn none_keeps_the_token() {
        assert_eq!(stem(Stemming::None, "kontu"), "kontu");
    }
}
