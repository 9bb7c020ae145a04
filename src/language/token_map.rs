//! A token filter that rewrites each token's text in place.
//!
//! tantivy's `TokenFilter` needs three types (the filter, its tokenizer wrapper and its token
//! stream); every filter of ours only rewrites token text, so they share these three and
//! each implements the one-method [`TokenMap`] instead.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Rewrites a token's text, or drops the token; what a filter of ours decides.
pub trait TokenMap: Clone + Send + Sync + 'static {
    /// Rewrites `text` in place. `scratch` is a reusable buffer.
    fn map(&self, text: &mut String, scratch: &mut String);

    /// Whether the token (once rewritten) is kept.
    fn keep(&self, _text: &str) -> bool {
        true
    }
}

/// Turns a [`TokenMap`] into a tantivy [`TokenFilter`].
#[derive(Clone, Debug)]
pub struct MapFilter<M>(pub M);

impl<M: TokenMap> TokenFilter for MapFilter<M> {
    type Tokenizer<T: Tokenizer> = MapTokenizer<M, T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MapTokenizer<M, T> {
        MapTokenizer { map: self.0, inner }
    }
}

/// The tokenizer a [`MapFilter`] wraps around another one.
#[derive(Clone, Debug)]
pub struct MapTokenizer<M, T> {
    map: M,
    inner: T,
}

impl<M: TokenMap, T: Tokenizer> Tokenizer for MapTokenizer<M, T> {
    type TokenStream<'a> = MapTokenStream<'a, M, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapTokenStream {
            map: &self.map,
            tail: self.inner.token_stream(text),
            scratch: String::new(),
        }
    }
}

/// The token stream of a [`MapTokenizer`].
pub struct MapTokenStream<'a, M, S> {
    map: &'a M,
    tail: S,
    scratch: String,
}

impl<M: TokenMap, S: TokenStream> TokenStream for MapTokenStream<'_, M, S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let text = &mut self.tail.token_mut().text;
            self.map.map(text, &mut self.scratch);
            if self.map.keep(text) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The entry for `key` in a thread's list of caches (one per stemmer, per analyzer), made
/// empty on first use. A list, not a map: a thread meets a handful of keys.
pub(crate) fn cache_for<K: PartialEq + Copy, C: Default>(
    caches: &mut Vec<(K, C)>,
    key: K,
) -> &mut C {
    // From the end: the latest key is the likeliest (a build thread's current locale).
    let i = match caches.iter().rposition(|(k, _)| *k == key) {
        Some(i) => i,
        None => {
            caches.push((key, C::default()));
            caches.len() - 1
        }
    };
    &mut caches[i].1
}
