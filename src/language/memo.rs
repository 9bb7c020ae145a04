//! A tokenizer that remembers what each word analyzes to.
//!
//! Every analyzer of ours cuts text with the [`ScriptTokenizer`] and then rewrites each token
//! on its own (lowercasing, normalizing, stemming, folding), so a word analyzes the same
//! wherever it stands. Text repeats its words: a locale's corpus has some hundred thousand
//! distinct words among tens of millions, and hits are drawn from a few thousand articles.
//! So text is only cut into words, and each thread remembers per analyzer what each word
//! became; a word is analyzed once.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use super::folder::{DiacriticFolder, FOLDED_EXACT_SEPARATOR};
use super::token_map::TokenMap;
use super::tokenizer::ScriptTokenStream;
use super::word_ids::WordIds;
use super::{AnalyzerKind, Locale, ScriptTokenizer};

/// Words kept per analyzer and thread before the memory starts over.
const MEMO_WORDS: usize = 200_000;

/// The id of "the analyzer drops this word".
const DROPPED: u32 = u32::MAX;

/// What one analyzer made of each word it met in one thread. Tokens have ids, so that
/// finding a query's tokens in text costs one lookup a word ([`TokenFinder`]).
struct WordMemo {
    /// Word as written → the id of its token, or [`DROPPED`].
    words: WordIds,
    /// Token by id.
    tokens: Vec<Rc<str>>,
    /// By id, whether the token carries forms to hand over after its folded one
    /// ([`AnalyzerKind::FoldedWithFoldable`]): most do not, and a flag costs less to read
    /// than a token to search for a separator.
    hands_over: Vec<bool>,
    /// Token → id.
    ids: FxHashMap<Rc<str>, u32>,
    /// Names this numbering of tokens: it changes when the memory starts over, so that ids
    /// kept from before are known to be stale. Unique across memories and threads.
    generation: u64,
}

fn new_generation() -> u64 {
    static GENERATIONS: AtomicU64 = AtomicU64::new(1);
    GENERATIONS.fetch_add(1, Ordering::Relaxed)
}

impl Default for WordMemo {
    fn default() -> WordMemo {
        WordMemo {
            words: WordIds::default(),
            tokens: Vec::new(),
            hands_over: Vec::new(),
            ids: FxHashMap::default(),
            generation: new_generation(),
        }
    }
}

impl WordMemo {
    /// Starts over when full; called before a text, never while its ids are in use.
    fn make_room(&mut self) {
        if self.words.len() >= MEMO_WORDS {
            *self = WordMemo::default();
        }
    }

    /// The id of `token`, given one if new.
    fn intern(&mut self, token: &str) -> u32 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = self.tokens.len() as u32;
        let token: Rc<str> = token.into();
        let separators = [FOLDED_EXACT_SEPARATOR as u8, BARE_SEPARATOR as u8];
        (self.hands_over).push(token.bytes().any(|b| separators.contains(&b)));
        self.tokens.push(token.clone());
        self.ids.insert(token, id);
        id
    }

    /// The id of the token `analyzer` makes of `word` alone.
    fn token_of(&mut self, word: &str, analyzer: &mut TextAnalyzer) -> u32 {
        if let Some(id) = self.words.get(word) {
            return id;
        }
        let id = match token_text(word, analyzer) {
            Some(token) => self.intern(&token),
            None => DROPPED,
        };
        self.words.insert(word, id);
        id
    }

    /// As [`WordMemo::token_of`] for the build's [`AnalyzerKind::FoldedWithFoldable`]
    /// analyzer, with the folded token of the word typed bare (without its diacritics) after
    /// a [`BARE_SEPARATOR`] when that is another token: a stemmer can strip an ending only
    /// with its diacritics ("lietotājam" → "lietotaj", "lietotajam" → "lietot"), and the
    /// build records which word a bare one stands for.
    fn token_with_bare_of(&mut self, word: &str, analyzer: &mut TextAnalyzer) -> u32 {
        if let Some(id) = self.words.get(word) {
            return id;
        }
        let id = match token_text(word, analyzer) {
            Some(mut token) => {
                let folded = folded_part(&token);
                // The bare spelling's token, remembered when the text has it too.
                let bare = bare_form(word).and_then(|bare| match self.words.get(&bare) {
                    Some(DROPPED) => None,
                    Some(id) => Some(folded_part(&self.tokens[id as usize]).to_string()),
                    None => token_text(&bare, analyzer).map(|t| folded_part(&t).to_string()),
                });
                let bare = bare.filter(|bare| bare != folded);
                if let Some(bare) = bare {
                    token.push(BARE_SEPARATOR);
                    token.push_str(&bare);
                }
                self.intern(&token)
            }
            None => DROPPED,
        };
        self.words.insert(word, id);
        id
    }
}

/// What separates a [`AnalyzerKind::FoldedWithFoldable`] token from the folded token of its
/// word typed bare ([`WordMemo::token_with_bare_of`]); never part of a token.
pub(crate) const BARE_SEPARATOR: char = '\u{1}';

/// What separates the two tokens of a bare form handed over ([`HandedOver::BareForms`]):
/// the bare word's, then the word's. Never part of a token, and the least byte, so that
/// a bare token's forms come first and together in a term dictionary.
pub(crate) const BARE_FORM_SEPARATOR: char = '\0';

/// The token `analyzer` makes of `word` (the last, would it make more); `None` when it
/// drops the word.
fn token_text(word: &str, analyzer: &mut TextAnalyzer) -> Option<String> {
    let mut token = None;
    analyzer
        .token_stream(word)
        .process(&mut |t: &Token| token = Some(t.text.clone()));
    token
}

/// The folded form a token of [`AnalyzerKind::FoldedWithFoldable`] starts with.
fn folded_part(token: &str) -> &str {
    let end = token.find([FOLDED_EXACT_SEPARATOR, BARE_SEPARATOR]);
    &token[..end.unwrap_or(token.len())]
}

/// `word` lowercased and typed without its diacritics, when it has any.
fn bare_form(word: &str) -> Option<String> {
    if word.is_ascii() {
        return None;
    }
    let lower = word.to_lowercase();
    let mut bare = lower.clone();
    DiacriticFolder.map(&mut bare, &mut String::new());
    (bare != lower).then_some(bare)
}

/// One analyzer's memory in one thread, shared by its tokenizers' streams there.
type SharedMemo = Rc<RefCell<WordMemo>>;

/// One value per (locale, analyzer kind), made on first use, found by its place: detection
/// asks for every locale's, where a search through a list of them cost 2 % of a query.
struct PerAnalyzer<C>(Vec<Option<C>>);

impl<C: Default> PerAnalyzer<C> {
    const fn new() -> PerAnalyzer<C> {
        PerAnalyzer(Vec::new())
    }

    fn get(&mut self, (locale, kind): (Locale, AnalyzerKind)) -> &mut C {
        let at = locale.index() * AnalyzerKind::COUNT + kind.place();
        if self.0.len() <= at {
            self.0.resize_with(at + 1, || None);
        }
        self.0[at].get_or_insert_with(C::default)
    }
}

thread_local! {
    static MEMOS: RefCell<PerAnalyzer<SharedMemo>> = const { RefCell::new(PerAnalyzer::new()) };
}

thread_local! {
    /// The word analyzers of [`tokens_of`], built once per thread.
    static WORD_ANALYZERS: RefCell<PerAnalyzer<Option<TextAnalyzer>>> =
        const { RefCell::new(PerAnalyzer::new()) };
}

/// The thread's memory of `analyzer_of`, with room made: token ids stay valid until room
/// is made again, before another text (so the memory can pass its bound by one text's
/// words).
fn memory(analyzer_of: (Locale, AnalyzerKind)) -> SharedMemo {
    let memo = MEMOS.with(|memos| Rc::clone(memos.borrow_mut().get(analyzer_of)));
    memo.borrow_mut().make_room();
    memo
}

/// Runs `f` on the thread's memory of `analyzer_of`, with room made first, so that token
/// ids stay valid throughout `f`.
fn with_memory<R>(analyzer_of: (Locale, AnalyzerKind), f: impl FnOnce(&mut WordMemo) -> R) -> R {
    f(&mut memory(analyzer_of).borrow_mut())
}

/// The tokens the analyzer `kind` of `locale` makes of `text`, through the thread's memory:
/// for callers that analyze short texts for many locales and need only the tokens' text.
pub(super) fn tokens_of(locale: Locale, kind: AnalyzerKind, text: &str) -> Vec<Rc<str>> {
    WORD_ANALYZERS.with(|analyzers| {
        let mut analyzers = analyzers.borrow_mut();
        let words =
            (analyzers.get((locale, kind))).get_or_insert_with(|| locale.word_analyzer(kind));
        with_memory((locale, kind), |memo| {
            let mut cut = ScriptTokenizer::default();
            let mut stream = cut.token_stream(text);
            let mut tokens = Vec::new();
            while let Some((from, to)) = stream.next_range() {
                let id = memo.token_of(&text[from..to], words);
                if id != DROPPED {
                    tokens.push(memo.tokens[id as usize].clone());
                }
            }
            tokens
        })
    })
}

/// Words kept by a thread's [`AcrossLocales`] before it starts over (each a row of 4-byte
/// cells, one per language of `LANGUAGES`: some 3 MB in all).
const ACROSS_WORDS: usize = 20_000;

/// A cell of [`AcrossLocales`] not worked out yet.
const UNKNOWN: u32 = DROPPED - 1;

/// Each word's token in every locale, for detection, which analyzes a query for each of
/// them: one lookup a word finds its row, where a lookup in each locale's memory cost a
/// cache miss each (36 a word).
#[derive(Default)]
struct AcrossLocales {
    /// Word as written → its row.
    rows: WordIds,
    /// Row by row, the id of each locale's token of the word (by [`Locale::index`]), or
    /// [`DROPPED`], or [`UNKNOWN`].
    cells: Vec<u32>,
    /// Token by id, and id by token.
    tokens: Vec<Rc<str>>,
    ids: FxHashMap<Rc<str>, u32>,
}

impl AcrossLocales {
    /// The row of `word`, made (every cell unknown) if new.
    fn row(&mut self, word: &str) -> usize {
        let locales = super::LANGUAGES.len();
        if let Some(row) = self.rows.get(word) {
            return row as usize;
        }
        let row = self.cells.len() / locales;
        self.cells.resize(self.cells.len() + locales, UNKNOWN);
        self.rows.insert(word, row as u32);
        row
    }

    /// The id of `token`, given one if new.
    fn intern(&mut self, token: &Rc<str>) -> u32 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = self.tokens.len() as u32;
        self.tokens.push(Rc::clone(token));
        self.ids.insert(Rc::clone(token), id);
        id
    }
}

thread_local! {
    /// Per analyzer kind, the thread's [`AcrossLocales`].
    static ACROSS: RefCell<Vec<AcrossLocales>> = const { RefCell::new(Vec::new()) };
}

/// [`tokens_of`] for each of `locales`: the text is cut into words once, and each word's
/// tokens are looked up together ([`AcrossLocales`]), a locale's memory asked only for a
/// word it has not been asked about.
pub(super) fn tokens_of_each(
    locales: &[Locale],
    kind: AnalyzerKind,
    text: &str,
) -> Vec<Vec<Rc<str>>> {
    let mut cut = ScriptTokenizer::default();
    let mut stream = cut.token_stream(text);
    let words: Vec<&str> = std::iter::from_fn(|| stream.next_range())
        .map(|(from, to)| &text[from..to])
        .collect();
    ACROSS.with(|across| {
        let mut across = across.borrow_mut();
        if across.len() <= kind.place() {
            across.resize_with(kind.place() + 1, AcrossLocales::default);
        }
        let across = &mut across[kind.place()];
        let width = super::LANGUAGES.len();
        // Counted in rows, not in words remembered: a word too long to remember still
        // takes a row.
        if across.cells.len() >= ACROSS_WORDS * width {
            *across = AcrossLocales::default();
        }
        let rows: Vec<usize> = words.iter().map(|word| across.row(word)).collect();
        WORD_ANALYZERS.with(|analyzers| {
            let mut analyzers = analyzers.borrow_mut();
            (locales.iter())
                .map(|&locale| {
                    (words.iter().zip(&rows))
                        .filter_map(|(word, row)| {
                            let cell = row * width + locale.index();
                            if across.cells[cell] == UNKNOWN {
                                let analyzer = (analyzers.get((locale, kind)))
                                    .get_or_insert_with(|| locale.word_analyzer(kind));
                                let token = with_memory((locale, kind), |memo| {
                                    match memo.token_of(word, analyzer) {
                                        DROPPED => None,
                                        id => Some(Rc::clone(&memo.tokens[id as usize])),
                                    }
                                });
                                across.cells[cell] = match token {
                                    Some(token) => across.intern(&token),
                                    None => DROPPED,
                                };
                            }
                            match across.cells[cell] {
                                DROPPED => None,
                                id => Some(Rc::clone(&across.tokens[id as usize])),
                            }
                        })
                        .collect()
                })
                .collect()
        })
    })
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
            memo: memory(self.analyzer_of),
            text,
            cut: self.cut.token_stream(text),
            words: &mut self.words,
            token: &mut self.token,
        }
    }
}

/// The token stream of a [`MemoTokenizer`].
pub struct MemoTokenStream<'a> {
    analyzer_of: (Locale, AnalyzerKind),
    /// Looked up once a text, not once a token.
    memo: SharedMemo,
    text: &'a str,
    cut: ScriptTokenStream<'a>,
    words: &'a mut TextAnalyzer,
    token: &'a mut Token,
}

impl TokenStream for MemoTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let memo = &mut *self.memo.borrow_mut();
        let hands_over = self.analyzer_of.1 == AnalyzerKind::FoldedWithFoldable;
        while let Some((from, to)) = self.cut.next_range() {
            let word = &self.text[from..to];
            let id = if hands_over {
                memo.token_with_bare_of(word, self.words)
            } else {
                memo.token_of(word, self.words)
            };
            if id != DROPPED {
                self.token.position = self.token.position.wrapping_add(1);
                self.token.offset_from = from;
                self.token.offset_to = to;
                self.token.text.clear();
                let mut token: &str = &memo.tokens[id as usize];
                // A token pairing a folded form with an exact one, a bare one or both: the
                // stream gives the folded form and hands the others over to the fields
                // after it ([`HandedOverTokenizer`]).
                if hands_over && memo.hands_over[id as usize] {
                    token = hand_over(token);
                }
                self.token.text.push_str(token);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// What the folded fields' tokenizer hands over to the fields after them, in the thread
/// that indexes them ([`HandedOverTokenizer`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandedOver {
    /// The exact forms of the words whose folded form differs.
    ExactForms,
    /// Each word typed bare that analyzes to another token than the word, as
    /// `bare NUL folded` (both folded tokens).
    BareForms,
}

/// Forms handed over on one channel, until the field that takes them does.
#[derive(Default)]
struct Forms {
    text: String,
    /// Where each form ends in `text`.
    ends: Vec<usize>,
}

impl Forms {
    fn push(&mut self, parts: &[&str]) {
        for part in parts {
            self.text.push_str(part);
        }
        self.ends.push(self.text.len());
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }
}

thread_local! {
    /// By [`HandedOver`] channel.
    static HANDED_OVER: RefCell<[Forms; 2]> = RefCell::default();
}

/// Hands over the forms a [`AnalyzerKind::FoldedWithFoldable`] token carries besides its
/// folded one, and gives that.
fn hand_over(token: &str) -> &str {
    let bytes = token.as_bytes();
    let bare_at = memchr::memchr(BARE_SEPARATOR as u8, bytes);
    let exact_at = memchr::memchr(FOLDED_EXACT_SEPARATOR as u8, bytes);
    let folded = folded_part(token);
    HANDED_OVER.with(|forms| {
        let forms = &mut *forms.borrow_mut();
        if let Some(at) = exact_at {
            let exact = &token[at + 1..bare_at.unwrap_or(token.len())];
            forms[HandedOver::ExactForms as usize].push(&[exact]);
        }
        if let Some(at) = bare_at {
            let mut separator = [0; 1];
            let separator = BARE_FORM_SEPARATOR.encode_utf8(&mut separator);
            let pair = [&token[at + 1..], separator, folded];
            forms[HandedOver::BareForms as usize].push(&pair);
        }
    });
    folded
}

/// Forgets the forms handed over in this thread and not taken: a new index starts with
/// none, even where the last one stopped in the middle of a document.
pub(super) fn forget_handed_over() {
    HANDED_OVER.with(|forms| forms.borrow_mut().iter_mut().for_each(Forms::clear));
}

/// The tokenizer of a field after the folded ones at build time: it gives the forms that
/// the folded fields' tokenizer ([`AnalyzerKind::FoldedWithFoldable`]) handed over on its
/// channel since it last ran, whatever text it is given, so that a document's text is cut
/// into words once. tantivy indexes a document's fields in the order of the schema, so
/// such a field must come after the folded ones, and have one value.
#[derive(Clone)]
pub struct HandedOverTokenizer {
    channel: HandedOver,
    forms: Forms,
    token: Token,
}

impl HandedOverTokenizer {
    /// Gives what is handed over on `channel`.
    pub fn new(channel: HandedOver) -> HandedOverTokenizer {
        HandedOverTokenizer {
            channel,
            forms: Forms::default(),
            token: Token::default(),
        }
    }
}

impl Tokenizer for HandedOverTokenizer {
    type TokenStream<'a> = HandedOverStream<'a>;

    fn token_stream<'a>(&'a mut self, _text: &'a str) -> HandedOverStream<'a> {
        self.token.reset();
        self.forms.clear();
        // The handed-over forms are taken, their buffers given back for the next document.
        HANDED_OVER.with(|forms| {
            std::mem::swap(
                &mut forms.borrow_mut()[self.channel as usize],
                &mut self.forms,
            )
        });
        HandedOverStream {
            forms: &self.forms,
            next: 0,
            token: &mut self.token,
        }
    }
}

impl Clone for Forms {
    /// A new tokenizer's buffers: nothing is handed over to a copy.
    fn clone(&self) -> Forms {
        Forms::default()
    }
}

/// The token stream of a [`HandedOverTokenizer`].
pub struct HandedOverStream<'a> {
    forms: &'a Forms,
    next: usize,
    token: &'a mut Token,
}

impl TokenStream for HandedOverStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(&end) = self.forms.ends.get(self.next) else {
            return false;
        };
        let start = self
            .next
            .checked_sub(1)
            .map_or(0, |before| self.forms.ends[before]);
        self.next += 1;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.text.clear();
        self.token.text.push_str(&self.forms.text[start..end]);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Finds a few given tokens in texts: each word of a text costs one lookup in the thread's
/// memory of the analyzer, with no token text made (hits' texts are long, queries short).
#[derive(Clone)]
pub struct TokenFinder<T> {
    analyzer_of: (Locale, AnalyzerKind),
    cut: ScriptTokenizer,
    words: TextAnalyzer,
    /// The tokens sought, each with what the caller calls it.
    sought: Vec<(String, T)>,
    /// Their ids in the memory of `generation`.
    ids: Vec<(u32, T)>,
    generation: u64,
}

impl<T: Copy> TokenFinder<T> {
    /// Finds `sought` tokens of the analyzer `kind` of `locale`.
    pub fn new(locale: Locale, kind: AnalyzerKind, sought: Vec<(String, T)>) -> TokenFinder<T> {
        TokenFinder {
            analyzer_of: (locale, kind),
            cut: ScriptTokenizer::default(),
            words: locale.word_analyzer(kind),
            sought,
            ids: Vec::new(),
            generation: 0,
        }
    }

    /// What the caller calls each sought token.
    pub fn names(&self) -> impl Iterator<Item = T> + '_ {
        self.sought.iter().map(|(_, name)| *name)
    }

    /// What the caller calls the sought token `token`.
    pub fn name_of(&self, token: &str) -> Option<T> {
        self.sought
            .iter()
            .find(|(t, _)| t == token)
            .map(|(_, name)| *name)
    }

    /// Calls `found` with the name and byte range of each sought token in `text`, in order.
    pub fn find(&mut self, text: &str, mut found: impl FnMut(T, [usize; 2])) {
        if self.sought.is_empty() {
            return;
        }
        with_memory(self.analyzer_of, |memo| {
            if self.generation != memo.generation {
                self.ids = self
                    .sought
                    .iter()
                    .map(|(t, name)| (memo.intern(t), *name))
                    .collect();
                self.generation = memo.generation;
            }
            let mut cut = self.cut.token_stream(text);
            while let Some((from, to)) = cut.next_range() {
                let id = memo.token_of(&text[from..to], &mut self.words);
                for &(sought, name) in &self.ids {
                    if sought == id {
                        found(name, [from, to]);
                    }
                }
            }
        })
    }
}

/// Numbers the distinct tokens one analyzer makes of many texts, in the order first met:
/// for recording at build time which tokens each text holds ([`TokenFinder`] finds the same
/// tokens in the text itself). Its own memory of words, not the thread's: a build thread
/// goes through many locales, and this one is dropped with the locale.
pub(crate) struct TokenNumbering {
    cut: ScriptTokenizer,
    words: TextAnalyzer,
    /// Word as written → its token's number, or [`DROPPED`].
    word_numbers: WordIds,
    /// Token → number.
    token_numbers: FxHashMap<String, u32>,
}

impl TokenNumbering {
    /// Numbers the tokens of the analyzer `kind` of `locale`.
    pub(crate) fn new(locale: Locale, kind: AnalyzerKind) -> TokenNumbering {
        TokenNumbering {
            cut: ScriptTokenizer::default(),
            words: locale.word_analyzer(kind),
            word_numbers: WordIds::default(),
            token_numbers: FxHashMap::default(),
        }
    }

    /// Sets `numbers` to the numbers of the tokens of `text`, sorted, each once.
    pub(crate) fn numbers_of(&mut self, text: &str, numbers: &mut Vec<u32>) {
        numbers.clear();
        let mut cut = self.cut.token_stream(text);
        while let Some((from, to)) = cut.next_range() {
            let word = &text[from..to];
            let number = match self.word_numbers.get(word) {
                Some(n) => n,
                None => {
                    // As the thread's memory does: a word is what its last token is.
                    let mut token = None;
                    self.words
                        .token_stream(word)
                        .process(&mut |t: &Token| token = Some(t.text.clone()));
                    let next = self.token_numbers.len() as u32;
                    let n = token.map_or(DROPPED, |t| *self.token_numbers.entry(t).or_insert(next));
                    self.word_numbers.insert(word, n);
                    n
                }
            };
            if number != DROPPED {
                numbers.push(number);
            }
        }
        numbers.sort_unstable();
        numbers.dedup();
    }

    /// Every token numbered, with its number.
    pub(crate) fn into_tokens(self) -> FxHashMap<String, u32> {
        self.token_numbers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::LANGUAGES;

    /// Tokens as (text, from, to).
    type Tokens = Vec<(String, usize, usize)>;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Tokens {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |t: &Token| out.push((t.text.clone(), t.offset_from, t.offset_to)));
        out
    }

    #[test]
    fn each_locale_and_kind_has_a_value_of_its_own() {
        let mut values: PerAnalyzer<Vec<(Locale, AnalyzerKind)>> = PerAnalyzer::new();
        let kinds = [
            AnalyzerKind::Exact,
            AnalyzerKind::Folded,
            AnalyzerKind::Foldable,
            AnalyzerKind::FoldedWithFoldable,
            AnalyzerKind::Spelling,
            AnalyzerKind::Written,
        ];
        let mut backwards: Vec<Locale> = Locale::all().collect();
        backwards.reverse();
        for locale in backwards {
            for kind in kinds {
                assert!(kind.place() < AnalyzerKind::COUNT);
                values.get((locale, kind)).push((locale, kind));
            }
        }
        for locale in Locale::all() {
            for kind in kinds {
                assert_eq!(values.get((locale, kind)), &[(locale, kind)]);
            }
        }
    }

    #[test]
    fn a_text_analyzed_for_each_locale_gives_each_locale_its_own_tokens() {
        let locales: Vec<Locale> = ["sv-SE", "lv-LV", "ja-JP", "en-US"]
            .iter()
            .map(|l| l.parse().unwrap())
            .collect();
        // Words each analyzer stems otherwise, one a stop word somewhere, CJK pairs.
        let text = "Stänga kontot — slēgt kontu, アカウントを閉じる; the accounts";
        // Some locales first: the others' cells are worked out when first asked for.
        let some = tokens_of_each(&locales[1..3], AnalyzerKind::Folded, text);
        let each = tokens_of_each(&locales, AnalyzerKind::Folded, text);
        assert_eq!(some, each[1..3]);
        assert_eq!(each, tokens_of_each(&locales, AnalyzerKind::Folded, text));
        assert_eq!(each.len(), locales.len());
        for (locale, tokens) in locales.iter().zip(&each) {
            assert_eq!(
                *tokens,
                tokens_of(*locale, AnalyzerKind::Folded, text),
                "{locale}"
            );
        }
        assert_ne!(each[0], each[1]);
        assert!(tokens_of_each(&locales, AnalyzerKind::Folded, "")
            .iter()
            .all(Vec::is_empty));
        // Past its bound the table starts over, and gives the same tokens.
        for i in 0..ACROSS_WORDS {
            tokens_of_each(&locales[..1], AnalyzerKind::Folded, &format!("ord{i}"));
        }
        assert_eq!(each, tokens_of_each(&locales, AnalyzerKind::Folded, text));
        ACROSS.with(|a| assert!(a.borrow()[AnalyzerKind::Folded.place()].rows.len() < 100));
        // A word too long to remember takes a row each time it is asked for: the bound
        // counts rows.
        let width = crate::language::LANGUAGES.len();
        let long = "x".repeat(70_000);
        let cells = || ACROSS.with(|a| a.borrow()[AnalyzerKind::Folded.place()].cells.len());
        let before = cells();
        tokens_of_each(&locales[..1], AnalyzerKind::Folded, &long);
        tokens_of_each(&locales[..1], AnalyzerKind::Folded, &long);
        assert_eq!(cells(), before + 2 * width);
        ACROSS.with(|a| {
            let mut a = a.borrow_mut();
            a[AnalyzerKind::Folded.place()]
                .cells
                .resize(ACROSS_WORDS * width, UNKNOWN);
        });
        assert!(tokens_of_each(&locales[..1], AnalyzerKind::Folded, &long)[0].is_empty());
        assert_eq!(cells(), width);
    }

    #[test]
    fn exact_forms_go_from_the_folded_tokenizer_to_the_next_exact_forms_run_only() {
        let sv: Locale = "sv-SE".parse().unwrap();
        let texts = |tokens: Tokens| tokens.into_iter().map(|t| t.0).collect::<Vec<_>>();
        let [mut folded, mut exact, _] = sv.indexing_analyzers();
        assert_eq!(
            texts(tokens(&mut folded, "Ändra lösenord för konto")),
            ["andr", "losenord", "for", "konto"]
        );
        assert_eq!(texts(tokens(&mut folded, "Stäng")), ["stang"]);
        // Handed over in order, taken once.
        assert_eq!(
            texts(tokens(&mut exact, "")),
            ["ändr", "lösenord", "för", "stäng"]
        );
        assert!(tokens(&mut exact, "").is_empty());
        // Forms left over (a document that stopped half way) are not the next index's.
        tokens(&mut folded, "Ändra");
        let [_, mut exact, _] = sv.indexing_analyzers();
        assert!(tokens(&mut exact, "").is_empty());
    }

    #[test]
    fn words_typed_bare_that_analyze_otherwise_go_to_the_bare_forms_run() {
        let texts = |tokens: Tokens| tokens.into_iter().map(|t| t.0).collect::<Vec<_>>();
        let ro: Locale = "ro-RO".parse().unwrap();
        let [mut folded, mut exact, mut bare] = ro.indexing_analyzers();
        // "închideți" stems to "închid", "inchideti" to "inchidet"; "contul" has no
        // diacritics, "păstrați" and "pastrati" make "pastr" and "pastrat".
        let text = "Închideți contul, păstrați datele. Închideți";
        for _ in 0..2 {
            // Once to learn the words, once from memory: the same forms handed over.
            assert_eq!(
                texts(tokens(&mut folded, text)),
                ["inchid", "cont", "pastr", "dat", "inchid"]
            );
            assert_eq!(
                texts(tokens(&mut bare, "")),
                ["inchidet\0inchid", "pastrat\0pastr", "inchidet\0inchid"]
            );
            assert_eq!(texts(tokens(&mut exact, "")), ["închid", "păstr", "închid"]);
        }
        // A word whose bare form analyzes the same ("Ändra" and "Andra" → "andr") hands
        // over no bare form; one without diacritics neither.
        let sv: Locale = "sv-SE".parse().unwrap();
        let [mut folded, _, mut bare] = sv.indexing_analyzers();
        assert_eq!(texts(tokens(&mut folded, "Ändra konto")), ["andr", "konto"]);
        assert!(tokens(&mut bare, "").is_empty());
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

    #[test]
    fn a_word_too_long_to_remember_is_analyzed_each_time() {
        // Over 64 KiB: the word memory does not keep it, and the analyzer drops it (too
        // long a token); the words around it are remembered as usual.
        let sv: Locale = "sv-SE".parse().unwrap();
        let text = format!("stänga {} konto", "ä".repeat(40_000));
        let whole = tokens(&mut sv.word_analyzer(AnalyzerKind::Folded), &text);
        assert_eq!(
            whole.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
            ["stang", "konto"]
        );
        let mut remembering = sv.analyzer(AnalyzerKind::Folded);
        for _ in 0..2 {
            assert_eq!(tokens(&mut remembering, &text), whole);
        }
    }

    /// Each language's sample with letters that change when lowercased or folded, for each
    /// analyzer kind: the locale, the kind, the text and the analyzer's tokens of it.
    fn samples() -> Vec<(Locale, AnalyzerKind, String, Tokens)> {
        let mut samples = Vec::new();
        for language in LANGUAGES {
            let locale: Locale = language.locale.parse().unwrap();
            let text = format!("{} Öffnen İstanbul", language.sample.0);
            for kind in [AnalyzerKind::Exact, AnalyzerKind::Folded] {
                let whole = tokens(&mut locale.word_analyzer(kind), &text);
                samples.push((locale, kind, text.clone(), whole));
            }
        }
        samples
    }

    #[test]
    fn finder_finds_what_the_analyzer_makes() {
        for (locale, kind, text, whole) in samples() {
            // Seek every other token, named by its place in `whole`.
            let sought: Vec<(String, usize)> = whole
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(i, t)| (t.0.clone(), i))
                .collect();
            let expected: Vec<[usize; 2]> = whole
                .iter()
                .filter(|t| sought.iter().any(|s| s.0 == t.0))
                .map(|t| [t.1, t.2])
                .collect();
            let mut finder = TokenFinder::new(locale, kind, sought);
            for _ in 0..2 {
                let mut found = Vec::new();
                finder.find(&text, |_, range| found.push(range));
                assert_eq!(found, expected, "{locale}");
            }
        }
    }

    #[test]
    fn numbering_gives_each_token_of_the_analyzer_one_number() {
        for (locale, kind, text, whole) in samples() {
            let mut numbering = TokenNumbering::new(locale, kind);
            let mut numbers = Vec::new();
            numbering.numbers_of(&text, &mut numbers);
            let mut again = Vec::new();
            numbering.numbers_of(&format!("{text} {text}"), &mut again);
            assert_eq!(
                numbers, again,
                "{locale}: the same tokens, the same numbers"
            );
            let tokens = numbering.into_tokens();
            let mut named: Vec<&str> = numbers
                .iter()
                .map(|n| tokens.iter().find(|(_, m)| *m == n).unwrap().0.as_str())
                .collect();
            named.sort_unstable();
            let mut expected: Vec<&str> = whole.iter().map(|t| t.0.as_str()).collect();
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(named, expected, "{locale}");
        }
    }

    #[test]
    fn tokens_of_are_the_analyzer_s() {
        for (locale, kind, text, whole) in samples() {
            let whole: Vec<String> = whole.into_iter().map(|t| t.0).collect();
            for _ in 0..2 {
                let remembered: Vec<String> = tokens_of(locale, kind, &text)
                    .iter()
                    .map(|t| t.to_string())
                    .collect();
                assert_eq!(remembered, whole, "{locale}");
            }
        }
    }
}
