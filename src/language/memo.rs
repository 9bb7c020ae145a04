//! A tokenizer that remembers what each word analyzes to.
//!
//! Every analyzer of ours cuts text with the [`ScriptTokenizer`] and then rewrites each token
//! on its own (lowercasing, normalizing, stemming, folding), so a word analyzes the same
//! wherever it stands. Text repeats its words: a locale's corpus has some hundred thousand
//! distinct words among tens of millions, and hits are drawn from a few thousand articles.
//! So text is only cut into words, and each thread remembers per analyzer what each word
//! became; a word is analyzed once.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use super::token_map::cache_for;
use super::tokenizer::ScriptTokenStream;
use super::{AnalyzerKind, Locale, ScriptTokenizer};

/// Words kept per analyzer and thread before the memory starts over.
const MEMO_WORDS: usize = 200_000;

/// Word as written → its token, `None` when the analyzer drops it.
type WordMemo = FxHashMap<Box<str>, Option<Box<str>>>;

thread_local! {
    static MEMOS: RefCell<Vec<((Locale, AnalyzerKind), WordMemo)>> =
        const { RefCell::new(Vec::new()) };
}

/// Cuts text into words and gives each the token `words` makes of it alone, remembered.
#[derive(Clone)]
pub struct MemoTokenizer {
    analyzer_of: (Locale, AnalyzerKind),
    cut: ScriptTokenizer,
    /// The whole analyzer, applied to one word at a time.
    words: TextAnalyzer,
    token: Token,
}

impl MemoTokenizer {
    /// Remembers `words` (the analyzer `kind` of `locale`) word by word.
    pub(super) fn new(locale: Locale, kind: AnalyzerKind, words: TextAnalyzer) -> MemoTokenizer {
        MemoTokenizer {
            analyzer_of: (locale, kind),
            cut: ScriptTokenizer::default(),
            words,
            token: Token::default(),
        }
    }
}

impl Tokenizer for MemoTokenizer {
    type TokenStream<'a> = MemoTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MemoTokenStream<'a> {
        self.token.reset();
        MemoTokenStream {
            analyzer_of: self.analyzer_of,
            cut: self.cut.token_stream(text),
            words: &mut self.words,
            token: &mut self.token,
        }
    }
}

/// The token stream of a [`MemoTokenizer`].
pub struct MemoTokenStream<'a> {
    analyzer_of: (Locale, AnalyzerKind),
    cut: ScriptTokenStream<'a>,
    words: &'a mut TextAnalyzer,
    token: &'a mut Token,
}

impl TokenStream for MemoTokenStream<'_> {
    fn advance(&mut self) -> bool {
        MEMOS.with(|memos| {
            let mut memos = memos.borrow_mut();
            let memo = cache_for(&mut memos, self.analyzer_of);
            while self.cut.advance() {
                let word = self.cut.token();
                let analyzed = match memo.get(word.text.as_str()) {
                    Some(known) => known.as_deref(),
                    None => {
                        let mut analyzed = None;
                        self.words
                            .token_stream(&word.text)
                            .process(&mut |t: &Token| analyzed = Some(t.text.as_str().into()));
                        if memo.len() >= MEMO_WORDS {
                            memo.clear();
                        }
                        memo.entry(word.text.as_str().into())
                            .or_insert(analyzed)
                            .as_deref()
                    }
                };
                if let Some(analyzed) = analyzed {
                    self.token.position = self.token.position.wrapping_add(1);
                    self.token.offset_from = word.offset_from;
                    self.token.offset_to = word.offset_to;
                    self.token.text.clear();
                    self.token.text.push_str(analyzed);
                    return true;
                }
            }
            false
        })
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::LANGUAGES;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |t: &Token| out.push((t.text.clone(), t.offset_from, t.offset_to)));
        out
    }

    #[test]
    fn remembered_words_analyze_as_the_whole_text_does() {
        for language in LANGUAGES {
            let locale: Locale = language.locale.parse().unwrap();
            // The sample, letters that change when lowercased or folded, a dropped long token.
            let text = format!(
                "{} Öffnen İstanbul ǅ x{}y",
                language.sample.0,
                "a".repeat(70)
            );
            for kind in [AnalyzerKind::Exact, AnalyzerKind::Folded] {
                let whole = tokens(&mut locale.word_analyzer(kind), &text);
                let mut remembering = locale.analyzer(kind);
                // Once to learn the words, once from memory.
                for _ in 0..2 {
                    assert_eq!(
                        tokens(&mut remembering, &text),
                        whole,
                        "{}",
                        language.locale
                    );
                }
            }
        }
    }
}
