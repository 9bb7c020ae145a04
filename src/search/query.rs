//! A query's words → a tantivy query over one locale's fields.
//!
//! Query text is never parsed as query syntax: quotes, colons, `AND`, `-` are analyzed like
//! any other text, so no query can fail to parse. Each word is weighed against what the
//! locale's index knows of it: a word of the English source (an English query, or English
//! words typed into a localized one) is matched against the English source, a word found
//! nowhere is taken for a typo and replaced by its most frequent near spelling, or, with
//! none, for a word cut short ("webbplatsinfo") and replaced by its commonest completion.

use std::rc::Rc;

use tantivy::schema::Field;
use tantivy::tokenizer::Token;
use tantivy::Searcher;

use super::edits::WithinEdits;
use super::rank::{
    Alternative, Clauses, English, TermInfos, FIRST_PART, IN_BODY, IN_STEPS, SECOND_PART, WHOLE,
};

use crate::index::lexicon::{spelling_key, Lexicon};
use crate::index::{EnglishFields, Fields, HelpIndex, TermLocales};
use crate::language::{fold_text, AnalyzerKind, Locale, BARE_FORM_SEPARATOR};

/// At most this many query tokens are searched; the rest are ignored.
pub(crate) const MAX_QUERY_TERMS: usize = 32;

/// Field weights: the title says most about an article, then its steps, then the body.
const TITLE: f32 = 2.0;
const STEPS: f32 = 1.5;
const BODY: f32 = 1.0;
/// Bonus for the exact form (diacritics as typed) over the folded one.
const EXACT: f32 = 0.3;
/// Weight of the English source for a word that is not English at all.
const ENGLISH_BASE: f32 = 0.3;
/// Bonus for articles that contain every word of the query, as a share of their word
/// scores; and for articles whose title contains every word, as a share of their title
/// scores. A title with them all tells more than a body that mentions them somewhere: with
/// 1.0 and 1.0, a word the user adds that many articles have (the product's name, a
/// question's verb) favoured those that mention it. With 0.4 and 2.0 (2026-12-07), on
/// variants of the dev queries (`bench/query-variants`), the product named at the end went
/// 0.618 → 0.637, opened by a question 0.633 → 0.638, a typo 0.712/0.686/0.686 →
/// 0.721/0.695/0.686; the title queries 0.950 → 0.953 (detected 0.930 → 0.933), typed bare
/// 0.886 → 0.895, with a typo 0.888/0.902 → 0.896/0.905; the dev queries kept 0.722 (mrr
/// 0.793 → 0.795). An all-words bonus of 0.3 or 0.35 did as well (0.3 also won a dev
/// query, 0.25 and 0.35 did not), 0.5 less well on the product variants, 0.2 and 0.25 lost
/// dev queries; title bonuses of 1.5 and 3.0 did within a title query or two.
const ALL_WORDS: f32 = 0.4;
/// Bonus for articles whose title contains every word of the query (see [`ALL_WORDS`]).
const ALL_IN_TITLE: f32 = 2.0;
/// The unstemmed form of a word counts this much of its stem.
const UNSTEMMED: f32 = 0.8;
/// A word typed bare is sought as at most this many words it stands for.
const MAX_BARE_OF: usize = 2;
/// Two words found written as one count this much of each word: the joined word counts
/// once in all.
pub(crate) const JOINED: f32 = 0.5;
/// A word found written apart ("post låda" for "postlåda": machine translation splits
/// compounds, in Swedish, Norwegian and Finnish articles most) counts this much of the
/// mean of its parts' scores. Titles with such a pair, typed with the word whole (six
/// locales, 1,879 titles): s@1 0.784 without, 0.903 with 0.5, 0.920 with 1.0; the dev and
/// title queries score the same with any of these.
pub(crate) const WRITTEN_APART: f32 = 1.0;
/// Words shorter than this (in letters) are not sought written apart.
const MIN_APART_LETTERS: usize = 7;
/// Nor words longer than this (nor cut between letters and digits): each place a word
/// can be cut costs a lookup, and longer words are not compounds of the texts
/// ("sähköpostiosoitteiden" has 21 letters).
const MAX_APART_LETTERS: usize = 32;
/// The shortest part of a word written apart, in letters.
const MIN_PART_LETTERS: usize = 3;
/// The shortest run of letters or digits a word is cut into ("windows10" → "windows 10").
const MIN_RUN_LETTERS: usize = 2;
/// A corrected typo counts this much of a correctly typed word. 0.85 since corrections
/// seek title spellings too: on typo variants of the dev queries 0.644/0.648/0.638 → 0.673/
/// 0.667/0.667 (seeds 7/11/13) against 0.7; on those of the title queries ±2 of 660 each.
const CORRECTED: f32 = 0.85;
/// A mistyped word is sought as this many of its nearest spellings, the commonest first,
/// when they are equally near: the commonest is not always the word meant, and the query's
/// other words tell which was (with two, Norwegian "skaselig" for "skadelig" and Slovak
/// "hellom" for "heslom" find their articles). Two did better than one on every typo
/// variant of the title set (+1 to +4 queries of 660 each), three no better than two.
const NEAR_SPELLINGS: usize = 2;
/// Words shorter than this (in letters) are never corrected: too many near spellings. Four:
/// one typo in a word of five letters can leave a letter out ("pwer" for "power"); five
/// did less well on every typo variant set (0 to 2 points of s@1).
const MIN_TYPO_LETTERS: usize = 4;
/// Words at least this long may have two typos.
const TWO_TYPO_LETTERS: usize = 9;
/// In choosing a hit's step, a function word ("how", "the") counts this much of a word that
/// names what is sought.
const FUNCTION_WORD: f32 = 0.25;

/// One query word as each analyzer of a locale makes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QueryWord {
    /// Exact-form analyzer's token.
    pub exact: String,
    /// Folded analyzer's token.
    pub folded: String,
    /// English analyzer's token.
    pub english: String,
    /// Letters in the word as typed.
    pub letters: usize,
    /// The word folded but not stemmed, when it differs from `folded` (and, once planned,
    /// is an indexed term): a word's stem can differ from the stem its other forms get
    /// (Swedish "licens" → "lic", "licenser" → "licens"), and a word typed without its
    /// diacritics can stem differently from the word with them ("utelast" → "utel",
    /// "utelåst" → "utelast").
    pub unstemmed: Option<String>,
    /// The word as typed is one of the locale's function words; one of English's.
    pub function_word: bool,
    pub english_function_word: bool,
    /// The folded token of this word written together with the next one ("privé kanaal" →
    /// "privekanaal"), when only spaces or hyphens part them and it is one token.
    pub joined_with_next: Option<String>,
    /// The word was typed bare: without diacritics (it has none, or they were left out).
    pub typed_bare: bool,
    /// The word as typed, when it may be sought written apart as two words
    /// ([`written_apart`]): a compound of a language that writes them as one, which
    /// machine translation writes apart at times ("post låda" for "postlåda"), or letters
    /// and digits typed together ("windows10").
    pub compound: Option<String>,
    /// Once planned, other folded tokens this word may stand for, sought as it is: the
    /// tokens of the locale's words that, typed bare, are this word (Latvian "lietotajam" →
    /// "lietotaj", the token of "lietotājam"), the commonest first, as a stemmer can strip
    /// an ending only with its diacritics; or, for a mistyped word, the other spellings as
    /// near as the one it is corrected to.
    pub stands_for: Vec<String>,
}

/// A query's words, position by position.
#[derive(Debug, Clone)]
pub(crate) struct QueryTerms {
    pub locale: Locale,
    pub words: Vec<QueryWord>,
}

impl QueryTerms {
    pub fn new(locale: Locale, query: &str) -> QueryTerms {
        let exact = locale.analyze(AnalyzerKind::Exact, query);
        let folded = locale.analyze(AnalyzerKind::Folded, query);
        let english = Locale::ENGLISH.analyze(AnalyzerKind::Exact, query);
        // Each token written together with the next one.
        // Only the words searched: a long query's rest is cut off below.
        let joined_with_next: Vec<Option<String>> = (exact.windows(2))
            .take(MAX_QUERY_TERMS)
            .map(|pair| joined(locale, query, &pair[0], &pair[1]))
            .chain([None])
            .collect();
        // One tokenizer under all three: the same tokens at the same places.
        let words = exact
            .into_iter()
            .zip(joined_with_next)
            .zip(folded)
            .zip(english)
            .take(MAX_QUERY_TERMS)
            .map(|(((e, joined_with_next), f), en)| {
                let typed = query.get(e.offset_from..e.offset_to);
                let typed_folded = typed.map(fold_text);
                let typed_bare = typed
                    .zip(typed_folded.as_deref())
                    .is_some_and(|(t, f)| t.to_lowercase() == f);
                QueryWord {
                    letters: typed.map_or(0, |t| t.chars().count()),
                    function_word: typed_folded
                        .as_deref()
                        .is_some_and(|t| locale.is_function_word(t)),
                    english_function_word: typed_folded
                        .as_deref()
                        .is_some_and(|t| Locale::ENGLISH.is_function_word(t)),
                    unstemmed: typed_folded.filter(|u| *u != f.text),
                    exact: e.text,
                    folded: f.text,
                    english: en.text,
                    joined_with_next,
                    typed_bare,
                    compound: typed
                        .filter(|t| !cuts(locale, t).is_empty())
                        .map(str::to_string),
                    stands_for: Vec::new(),
                }
            })
            .collect();
        QueryTerms { locale, words }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// The folded tokens of the two words `word` is written apart as: of the places [`cuts`]
/// gives, the one whose rarer part the most articles have (by `doc_freq`, which must be
/// above 0 for both). Each part must make one token and not be a function word ("förnya"
/// is not "för nya").
fn written_apart(
    locale: Locale,
    word: &str,
    doc_freq: impl Fn(&str) -> u64,
) -> Option<[String; 2]> {
    // A part's token and its document frequency, when it is a word the articles have.
    let known = |part: &str| -> Option<(Rc<str>, u64)> {
        let [token] =
            <[Rc<str>; 1]>::try_from(locale.token_texts(AnalyzerKind::Folded, part)).ok()?;
        let df = doc_freq(&token);
        (df > 0 && !locale.is_function_word(&fold_text(part))).then_some((token, df))
    };
    cuts(locale, word)
        .into_iter()
        // The second part first: most places a word can be cut leave no word there.
        .filter_map(|at| {
            let (second, df_second) = known(&word[at..])?;
            let (first, df_first) = known(&word[..at])?;
            Some((df_first.min(df_second), [first, second]))
        })
        .max_by_key(|(df, _)| *df)
        .map(|(_, parts)| parts.map(|t| t.to_string()))
}

/// The byte offsets where `word` (as typed) may be cut into two words written apart:
/// between its letters and its digits in any language ("windows10", "100gb"; parts of
/// [`MIN_RUN_LETTERS`] or more), and, in a language that writes compounds as one, anywhere
/// in a word of [`MIN_APART_LETTERS`] or more (parts of [`MIN_PART_LETTERS`] or more).
fn cuts(locale: Locale, word: &str) -> Vec<usize> {
    let letters = word.chars().count();
    let compound = locale.language().closed_compounds && letters >= MIN_APART_LETTERS;
    let mixed = || word.chars().any(char::is_numeric) && !word.chars().all(char::is_numeric);
    if letters > MAX_APART_LETTERS
        || !(compound || mixed())
        || !word.chars().all(char::is_alphanumeric)
    {
        return Vec::new();
    }
    let longer = |k: usize, least: usize| k >= least && letters - k >= least;
    let numeric: Vec<bool> = word.chars().map(char::is_numeric).collect();
    (word.char_indices().enumerate().skip(1))
        .filter(|&(k, _)| {
            (numeric[k - 1] != numeric[k] && longer(k, MIN_RUN_LETTERS))
                || (compound && longer(k, MIN_PART_LETTERS))
        })
        .map(|(_, (at, _))| at)
        .collect()
}

/// The folded token of the words `first` and `second` of `query` written as one, when only
/// spaces or hyphens part them and the two make a single token.
fn joined(locale: Locale, query: &str, first: &Token, second: &Token) -> Option<String> {
    let gap = query.get(first.offset_to..second.offset_from)?;
    if gap.is_empty() || !gap.chars().all(|c| c.is_whitespace() || c == '-') {
        return None;
    }
    let written = [
        query.get(first.offset_from..first.offset_to)?,
        query.get(second.offset_from..second.offset_to)?,
    ]
    .concat();
    let mut tokens = locale.analyze(AnalyzerKind::Folded, &written).into_iter();
    match (tokens.next(), tokens.next()) {
        (Some(token), None) => Some(token.text),
        _ => None,
    }
}

/// How each word is searched.
#[derive(Debug, Clone)]
pub(crate) struct PlannedWord {
    pub word: QueryWord,
    /// Multiplies the locale's own fields.
    pub locale_weight: f32,
    /// Multiplies the English source fields.
    pub english_weight: f32,
    /// A function word of the language it is weighed in most, in a query with other words:
    /// it is sought in titles only (where it counts in full in a title with every word of
    /// the query: a title is a name the user may quote, and titles differ by such words:
    /// "Sign in to or out of Outlook.com"; in other titles it adds at most a share of what
    /// the other words score, `rank::OPTIONAL_SHARE`), counts
    /// [`FUNCTION_WORD`] in choosing a hit's step, and an article need not have it to have
    /// all words. In the text of articles it says nothing, and it is in nearly all of them:
    /// its postings were a tenth of a query's work, and of an English query's a quarter.
    pub function_word: bool,
    /// Sought as the correction of a typo: a guess.
    pub corrected: bool,
}

impl PlannedWord {
    /// Whether the word is a function word of the language it is weighed in most.
    fn is_function_word(&self) -> bool {
        if self.locale_weight >= self.english_weight {
            self.word.function_word
        } else {
            self.word.english_function_word
        }
    }

    /// What the word counts for in choosing a hit's step, as a share of its weights.
    pub fn in_steps_choice(&self) -> f32 {
        if self.function_word {
            FUNCTION_WORD
        } else {
            1.0
        }
    }
}

/// The words of a query with their weights and corrections.
#[derive(Debug, Clone)]
pub(crate) struct QueryPlan {
    pub words: Vec<PlannedWord>,
    /// Word `i` and word `i + 1` written as one word the locale's articles have: either
    /// word is found where it is.
    pub joins: Vec<(usize, String)>,
    /// Word `i` written apart as two words of the locale's titles (of the places it can be
    /// cut, the one whose rarer part is commonest): an article with both parts, in its
    /// title or steps, has it.
    pub apart: Vec<(usize, [String; 2])>,
}

fn doc_freq(terms: &TermInfos, fields: &[Field], text: &str) -> u64 {
    fields
        .iter()
        .map(|&f| terms.doc_freq(f, text).unwrap_or(0))
        .sum()
}

/// A misspelt word's automata (an adjacent swap is one edit), walked over several fields'
/// term dictionaries.
struct NearSpelling<'a> {
    text: &'a str,
    /// The fewest letters of `text` a term must stand for: all of them, or with
    /// [`NearSpelling::of_start`] a start of it.
    shortest: usize,
    /// One edit at most.
    one_edit: WithinEdits,
    /// Every edit the word's length allows; `None` when that is one.
    more_edits: Option<WithinEdits>,
    /// Terms sharing the word's first letter: `[low, high)` in byte order.
    low: Vec<u8>,
    high: Vec<u8>,
}

/// A range of terms, in byte order: from (inclusive), to (exclusive); `None` is open.
type Bounds<'b> = (Option<&'b [u8]>, Option<&'b [u8]>);

/// A near spelling: (edits, −letters of the word it stands for, −document frequency,
/// −letters shared at the start, term). The least is the best: the nearest, then the one
/// that stands for more of the word (of a word's start), then the commonest, then (typos
/// being likelier late in a word than early) the one that keeps more of the word's start.
type Candidate = (usize, i64, i64, i64, String);

/// How many letters `a` and `b` share at their start.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// The least byte string above every string that starts with `prefix` (UTF-8 never has
/// a 0xFF byte).
fn past_prefix(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    end.push(0xFF);
    end
}

impl<'a> NearSpelling<'a> {
    fn new(text: &'a str, distance: u8) -> Option<NearSpelling<'a>> {
        NearSpelling::of_start(text, distance, text.chars().count())
    }

    /// Near spellings of a start of `text` at least `shortest` letters long: the stem of a
    /// word whose ending is mistyped, which the stemmer then does not strip ("plitica" for
    /// "politica", stem "polit").
    fn of_start(text: &'a str, distance: u8, shortest: usize) -> Option<NearSpelling<'a>> {
        let first = text.chars().next()?;
        let low = first.to_string().into_bytes();
        let high = past_prefix(&low);
        let shortest = shortest.min(text.chars().count());
        let within = |edits| WithinEdits::of_start(text, edits, shortest);
        Some(NearSpelling {
            text,
            shortest,
            one_edit: within(distance.min(1)),
            more_edits: (distance > 1).then(|| within(distance)),
            low,
            high,
        })
    }

    /// The nearest term of `field`, or with the word's first letter of `also` (a word of
    /// titles only), the most frequent of equally near ones: a word one edit away is what
    /// was meant rather than a commoner one two edits away.
    ///
    /// Terms with the word's first letter are walked with all the edits the word's length
    /// allows; the others, unless one with the first letter is a single edit away, with one
    /// edit. A first letter is seldom the one mistyped, and with two edits allowed a walk
    /// from the root visits a large part of the dictionary (the slowest queries were such
    /// walks); from one first letter, or with one edit, it visits a small part.
    fn nearest(&self, searcher: &Searcher, field: Field, also: Option<Field>) -> Option<String> {
        self.nearest_few(searcher, field, also).into_iter().next()
    }

    /// As [`NearSpelling::nearest`], with the next most frequent as near as it, up to
    /// [`NEAR_SPELLINGS`] in all.
    fn nearest_few(&self, searcher: &Searcher, field: Field, also: Option<Field>) -> Vec<String> {
        let far = |best: &[Candidate]| best.first().is_none_or(|b| b.0 > 1);
        let mut best = self.same_first_letter(searcher, field);
        // `also` is walked only when it could give a nearer spelling.
        if let Some(also) = also.filter(|_| far(&best)) {
            best.extend(self.same_first_letter(searcher, also));
            best.sort_unstable();
            best.dedup_by(|a, b| a.4 == b.4);
        }
        if far(&best) {
            let others: [Bounds; 2] = [(None, Some(&self.low)), (Some(&self.high), None)];
            best.extend(self.walk(searcher, field, &self.one_edit, &others));
            best.sort_unstable();
        }
        let Some(first) = best.first().map(|b| (b.0, b.1)) else {
            return Vec::new();
        };
        best.into_iter()
            .filter(|b| (b.0, b.1) == first)
            .take(NEAR_SPELLINGS)
            .map(|(_, _, _, _, t)| t)
            .collect()
    }

    /// The nearest term with the word's first letter only (see [`NearSpelling::nearest`]).
    fn nearest_same_first_letter(&self, searcher: &Searcher, field: Field) -> Option<String> {
        self.same_first_letter(searcher, field)
            .into_iter()
            .next()
            .map(|(_, _, _, _, t)| t)
    }

    fn same_first_letter(&self, searcher: &Searcher, field: Field) -> Vec<Candidate> {
        let same_first: [Bounds; 1] = [(Some(&self.low), Some(&self.high))];
        // Two edits only when one finds nothing: a term one edit away is nearer than any
        // further one.
        let one = self.walk(searcher, field, &self.one_edit, &same_first);
        match &self.more_edits {
            Some(more) if one.is_empty() => self.walk(searcher, field, more, &same_first),
            _ => one,
        }
    }

    /// The edits from `term` to the word (or to the start of it nearest, the longest of
    /// equally near ones), and how many letters of the word that is.
    fn distance(&self, term: &str) -> (usize, usize) {
        let ends = self
            .text
            .char_indices()
            .map(|(i, _)| i)
            .chain([self.text.len()]);
        (ends.enumerate().skip(self.shortest))
            .map(|(letters, end)| (strsim::osa_distance(&self.text[..end], term), letters))
            .min_by_key(|&(edits, letters)| (edits, std::cmp::Reverse(letters)))
            .unwrap_or((usize::MAX, 0))
    }

    /// The best [`NEAR_SPELLINGS`] candidates of `field` that `automaton` accepts within
    /// `ranges`, the best first.
    fn walk(
        &self,
        searcher: &Searcher,
        field: Field,
        automaton: &WithinEdits,
        ranges: &[Bounds],
    ) -> Vec<Candidate> {
        let mut best: Vec<Candidate> = Vec::new();
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                return best;
            };
            let dictionary = inverted.terms();
            for &(from, to) in ranges {
                let mut stream = dictionary.search(automaton);
                if let Some(from) = from {
                    stream = stream.ge(from);
                }
                if let Some(to) = to {
                    stream = stream.lt(to);
                }
                let Ok(mut stream) = stream.into_stream() else {
                    return best;
                };
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    // The word itself, when it is a term: its near spellings are sought.
                    if term == self.text {
                        continue;
                    }
                    let (edits, letters) = self.distance(term);
                    let candidate = (
                        edits,
                        -(letters as i64),
                        -i64::from(stream.value().doc_freq),
                        -(common_prefix(self.text, term) as i64),
                        term,
                    );
                    if best.len() < NEAR_SPELLINGS
                        || best
                            .last()
                            .is_some_and(|b| candidate < (b.0, b.1, b.2, b.3, b.4.as_str()))
                    {
                        let (edits, letters, df, prefix, term) = candidate;
                        best.push((edits, letters, df, prefix, term.to_string()));
                        best.sort_unstable();
                        best.truncate(NEAR_SPELLINGS);
                    }
                }
            }
        }
        best
    }
}

impl QueryPlan {
    /// Weighs each word by where the locale's index has seen it, and corrects words it has
    /// not seen anywhere.
    pub fn new(
        searcher: &Searcher,
        fields: &Fields,
        english: Option<&English>,
        terms: &QueryTerms,
        term_infos: &TermInfos,
        spellings: &TitleSpellings,
    ) -> QueryPlan {
        let local = [fields.title, fields.steps, fields.body];
        // The English index holds every locale's sources: its document frequencies, scaled
        // to the share of them this locale's articles are, compare with the locale's own.
        let english_df = |text: &str| -> f32 {
            let Some(e) = english else { return 0.0 };
            let docs = e.searcher.num_docs();
            let df = doc_freq(&e.terms, &[e.fields.title_en, e.fields.source_en], text);
            if df == 0 || docs == 0 {
                return 0.0;
            }
            df as f32 * e.map.translated as f32 / docs as f32
        };
        let seen: Vec<Seen> = terms
            .words
            .iter()
            .map(|w| {
                // The word as typed, folded.
                let typed = w.unstemmed.as_ref().unwrap_or(&w.folded);
                let mut w = w.clone();
                let mut df_local = doc_freq(term_infos, &local, &w.folded);
                let df_unstemmed = w
                    .unstemmed
                    .as_ref()
                    .map_or(0, |u| doc_freq(term_infos, &local, u));
                if df_unstemmed == 0 {
                    w.unstemmed = None;
                } else if df_local == 0 {
                    // Only the unstemmed form is known: it is the word.
                    w.folded = w.unstemmed.take().unwrap_or_default();
                    df_local = df_unstemmed;
                }
                if w.typed_bare && term_infos.has_terms(fields.bare) {
                    w.stands_for = bare_of(searcher, fields.bare, &w.folded);
                    w.stands_for.retain(|t| w.unstemmed.as_ref() != Some(t));
                    if df_local == 0 && !w.stands_for.is_empty() {
                        // Only the word with diacritics is known: it is the word.
                        w.folded = w.stands_for.remove(0);
                        df_local = doc_freq(term_infos, &local, &w.folded);
                    }
                }
                let df_english = english_df(&w.english);
                if df_local == 0 && df_english == 0.0 {
                    let planned =
                        correct(searcher, fields, term_infos, english, spellings, &w, typed);
                    return Seen::Corrected(planned);
                }
                let df = df_local + df_english.round() as u64;
                if let Some(popular) = more_popular(searcher, fields, term_infos, &w, df) {
                    w.stands_for.push(popular);
                }
                Seen::Known {
                    english_share: df_english / (df_local as f32 + df_english),
                    in_english: df_english > 0.0,
                    word: w,
                }
            })
            .collect();
        // A query is written in one language: each word's English share is drawn halfway
        // to the query's (in an English query "office" is the English word, in a Dutch
        // one the product's name).
        let shares: Vec<f32> = (seen.iter())
            .filter_map(|s| match s {
                Seen::Known { english_share, .. } => Some(*english_share),
                Seen::Corrected(_) => None,
            })
            .collect();
        let query_share = shares.iter().sum::<f32>() / shares.len().max(1) as f32;
        let mut words = seen
            .into_iter()
            .map(|s| {
                let (word, english_share, in_english) = match s {
                    Seen::Known {
                        word,
                        english_share,
                        in_english,
                    } => (word, english_share, in_english),
                    Seen::Corrected(planned) => return planned,
                };
                let english_share = (english_share + query_share) / 2.0;
                PlannedWord {
                    word,
                    function_word: false,
                    corrected: false,
                    locale_weight: 1.0 - english_share * english_share,
                    // Not sought where the index has never seen it (ranking and hits).
                    english_weight: if in_english {
                        ENGLISH_BASE + (1.0 - ENGLISH_BASE) * english_share
                    } else {
                        0.0
                    },
                }
            })
            .collect::<Vec<_>>();
        // A query of function words only ("how to"), or whose other words the index lacks,
        // is about them.
        let sought = |p: &PlannedWord| p.locale_weight > 0.0 || p.english_weight > 0.0;
        if words.iter().any(|p| sought(p) && !p.is_function_word()) {
            for p in words.iter_mut() {
                p.function_word = p.is_function_word();
            }
        }
        let joins = (terms.words.iter().enumerate())
            .filter_map(|(i, w)| Some((i, w.joined_with_next.clone()?)))
            .filter(|(i, joined)| {
                // Not a word and its ending ("for en" → "foren" → "for"), nor a function
                // word ("sign in to" → "into").
                let Some(pair) = terms.words.get(*i..=*i + 1) else {
                    return false;
                };
                pair.iter().all(|w| {
                    !w.function_word
                        && !w.english_function_word
                        && w.folded != *joined
                        && w.unstemmed.as_ref() != Some(joined)
                })
            })
            .filter(|(_, joined)| doc_freq(term_infos, &local, joined) > 0)
            .collect();
        let title_terms = std::cell::OnceCell::new();
        let apart = (terms.words.iter().zip(&words).enumerate())
            .filter(|(_, (_, p))| p.locale_weight > 0.0 && !p.function_word)
            .filter_map(|(i, (w, _))| {
                // Both parts must be words of the titles, whose term dictionary is the
                // smallest, asked directly (most places a word can be cut give no word,
                // which planning and ranking need not remember). Titles written apart
                // typed whole (`bench/compounds-apart`) do as well as with the body's
                // words (0.920), and Swedish and Dutch queries took 146 µs (p50) against
                // 153–163 µs, 135 µs without parts.
                let titles = title_terms.get_or_init(|| {
                    (searcher.segment_readers().iter())
                        .filter_map(|segment| segment.inverted_index(fields.title).ok())
                        .collect::<Vec<_>>()
                });
                let df = |t: &str| -> u64 {
                    (titles.iter())
                        .filter_map(|terms| terms.terms().get(t).ok().flatten())
                        .map(|info| u64::from(info.doc_freq))
                        .sum()
                };
                Some((i, written_apart(terms.locale, w.compound.as_ref()?, df)?))
            })
            .collect();
        QueryPlan {
            words,
            joins,
            apart,
        }
    }
}

/// A query word as the locale's index has seen it.
enum Seen {
    /// In the locale's texts or their English source: `english_share` of its occurrences
    /// are in the English source.
    Known {
        word: QueryWord,
        english_share: f32,
        in_english: bool,
    },
    /// Seen nowhere: planned as its correction.
    Corrected(PlannedWord),
}

/// The folded tokens of the words that, typed bare, are the token `bare` (the bare forms
/// of `field`), the commonest first.
fn bare_of(searcher: &Searcher, field: Field, bare: &str) -> Vec<String> {
    let mut prefix = bare.as_bytes().to_vec();
    prefix.push(BARE_FORM_SEPARATOR as u8);
    let mut found: Vec<(u32, String)> = Vec::new();
    terms_starting_with(searcher, field, &prefix, |term, df| {
        let Ok(word) = std::str::from_utf8(&term[prefix.len()..]) else {
            return;
        };
        match found.iter_mut().find(|(_, w)| w == word) {
            Some(known) => known.0 += df,
            None => found.push((df, word.to_string())),
        }
    });
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    found.truncate(MAX_BARE_OF);
    found.into_iter().map(|(_, w)| w).collect()
}

/// Calls `each` with every term of `field` that starts with `prefix`, and its document
/// frequency, segment by segment; `None` when a segment's dictionary cannot be read.
fn terms_starting_with(
    searcher: &Searcher,
    field: Field,
    prefix: &[u8],
    mut each: impl FnMut(&[u8], u32),
) -> Option<()> {
    let high = past_prefix(prefix);
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field).ok()?;
        let terms = inverted.terms();
        let mut stream = terms.range().ge(prefix).lt(&high).into_stream().ok()?;
        while stream.advance() {
            each(stream.key(), stream.value().doc_freq);
        }
    }
    Some(())
}

/// Words at least this long with no near spelling may be the start of a longer word.
const MIN_PREFIX_LETTERS: usize = 6;

/// The most frequent term of `field` that starts with `prefix` (a word cut short:
/// "webbplatsinfo" for "webbplatsinformation").
fn completion(searcher: &Searcher, field: Field, prefix: &str) -> Option<String> {
    let mut best: Option<(u32, String)> = None;
    terms_starting_with(searcher, field, prefix.as_bytes(), |term, df| {
        if best.as_ref().is_none_or(|(f, _)| df > *f) {
            if let Ok(term) = std::str::from_utf8(term) {
                best = Some((df, term.to_string()));
            }
        }
    })?;
    best.map(|(_, t)| t)
}

/// A word the index has never seen: search its nearest spelling instead, at a discount.
fn correct(
    searcher: &Searcher,
    fields: &Fields,
    terms: &TermInfos,
    english: Option<&English>,
    spellings: &TitleSpellings,
    w: &QueryWord,
    typed: &str,
) -> PlannedWord {
    let mut word = w.clone();
    let distance = match w.letters {
        n if n >= TWO_TYPO_LETTERS => 2,
        n if n >= MIN_TYPO_LETTERS => 1,
        _ => 0,
    };
    let (mut locale_weight, mut english_weight) = (0.0, 0.0);
    if distance > 0 {
        let by_stem = NearSpelling::new(&w.folded, distance);
        let mut near = by_stem
            .as_ref()
            .map(|near| near.nearest_few(searcher, fields.body, Some(fields.title)))
            .unwrap_or_default();
        // The word as typed near a word of the locale's titles and headings first: a typo
        // can change what the stemmer makes of a word ("pemayaran" → "payar", whose nearest
        // stem is not "bayar", of "pembayaran").
        let local = [fields.title, fields.steps, fields.body];
        let spelt = spellings.lexicon().and_then(|lexicon| {
            let (spelling, stem) = nearest_spelling(lexicon, spellings.locale, typed, distance)?;
            (doc_freq(terms, &local, &stem) > 0).then_some((spelling, stem))
        });
        // The word found is sought as a word typed right is: its stem, and the spelling
        // unstemmed where that is a term too (Swedish "licens" stems to "lic", "licenser"
        // to "licens").
        word.unstemmed = None;
        if let Some((spelling, stem)) = spelt {
            near.retain(|n| *n != stem);
            near.insert(0, stem);
            near.truncate(NEAR_SPELLINGS);
            let is_term = spelling != near[0] && doc_freq(terms, &local, &spelling) > 0;
            word.unstemmed = is_term.then_some(spelling);
        }
        if !near.is_empty() {
            word.folded = near.remove(0);
            word.stands_for = near;
            locale_weight = CORRECTED;
        }
        // A word is misspelt in one language: the English source is searched for a near
        // spelling only when the locale's text has none (an English word in the query), and
        // only for a word in English's letters.
        let english = english
            .filter(|e| locale_weight == 0.0 && e.map.translated > 0 && w.english.is_ascii());
        let corrected = english.and_then(|e| {
            NearSpelling::new(&w.english, distance)?
                .nearest_same_first_letter(&e.searcher, e.fields.source_en)
        });
        if let Some(t) = corrected {
            word.english = t;
            english_weight = CORRECTED * ENGLISH_BASE;
        }
    }
    if locale_weight == 0.0 && english_weight == 0.0 && w.letters >= MIN_PREFIX_LETTERS {
        if let Some(t) = completion(searcher, fields.body, &w.folded) {
            word.folded = t;
            locale_weight = CORRECTED;
        }
    }
    // Nothing near the stem, nor a word it starts: the typo may be in the ending, which the
    // stemmer then did not strip ("plitica" → "plitic", not "polit"). The stem is near a
    // start of the word as typed, of at least half its letters.
    if locale_weight == 0.0 && english_weight == 0.0 && distance > 0 {
        let shortest = w.letters.div_ceil(2).max(MIN_TYPO_LETTERS - 1);
        let start = NearSpelling::of_start(typed, distance, shortest);
        if let Some(t) =
            start.and_then(|near| near.nearest(searcher, fields.body, Some(fields.title)))
        {
            word.folded = t;
            locale_weight = CORRECTED;
        }
    }
    PlannedWord {
        word,
        locale_weight,
        english_weight,
        corrected: locale_weight > 0.0 || english_weight > 0.0,
        function_word: false,
    }
}

/// The title and heading spellings of a locale, for correcting typos: the lexicon is opened
/// only when a word needs them (a query whose words the index has never reads it).
pub(crate) struct TitleSpellings<'i> {
    index: &'i HelpIndex,
    locale: Locale,
}

impl<'i> TitleSpellings<'i> {
    pub fn new(index: &'i HelpIndex, locale: Locale) -> TitleSpellings<'i> {
        TitleSpellings { index, locale }
    }

    /// The lexicon; `None` when it does not open (a damaged file): typos are then corrected
    /// without it, and detection, which needs it, reports the damage.
    fn lexicon(&self) -> Option<&'i Lexicon> {
        self.index.lexicon().ok()
    }
}

/// A word the locale's texts and their English source have in at most this many articles
/// (together) may be a typo that is a term too (a mistyped URL of the corpus, "microosft"),
/// when a near spelling is far commoner ([`more_popular`]).
const RARE_DF: u64 = 3;
/// How many times more articles than a rare word's its near spelling must be in to be
/// sought beside it.
const MORE_POPULAR: u64 = 30;

/// The commonest near spelling of a word the locale's articles (and their English source)
/// have, but seldom (`df` of them), when it is far commoner: the word may be a typo (what
/// Lucene's spell checker calls suggesting the more popular). The word itself is still
/// sought: it is a term.
fn more_popular(
    searcher: &Searcher,
    fields: &Fields,
    terms: &TermInfos,
    w: &QueryWord,
    df: u64,
) -> Option<String> {
    if df > RARE_DF || w.letters < MIN_TYPO_LETTERS || !w.stands_for.is_empty() {
        return None;
    }
    // One edit, with the word's first letter, in the text: the walk a query can afford for
    // a word it has.
    let near = NearSpelling::new(&w.folded, 1)?;
    let (.., popular) = near
        .same_first_letter(searcher, fields.body)
        .into_iter()
        .next()?;
    let local = [fields.title, fields.steps, fields.body];
    (doc_freq(terms, &local, &popular) >= MORE_POPULAR * df.max(1)).then_some(popular)
}

/// The spellings of titles and headings within `edits` of `spelt` (a word folded,
/// unstemmed) with its first letter, the word itself aside, each with the locales whose
/// titles and headings have it.
pub(super) fn title_spellings_near<'l>(
    lexicon: &'l Lexicon,
    spelt: &str,
    edits: u8,
) -> Vec<(String, TermLocales<'l>)> {
    let (Some(first), Ok(key)) = (spelt.chars().next(), String::from_utf8(spelling_key(spelt)))
    else {
        return Vec::new();
    };
    let mut near = lexicon.spellings_near(WithinEdits::new(&key, edits), first);
    near.retain(|(spelling, _)| spelling != spelt);
    near
}

/// The spelling of `locale`'s titles and headings nearest to `typed` (a word folded,
/// unstemmed), within `distance` edits, and its stem: the nearest, then the commonest, then
/// the one that keeps more of the word's start; only with its first letter.
fn nearest_spelling(
    lexicon: &Lexicon,
    locale: Locale,
    typed: &str,
    distance: u8,
) -> Option<(String, String)> {
    let within = |edits| {
        (title_spellings_near(lexicon, typed, edits).into_iter())
            .map(|(spelling, locales)| (spelling, locales.doc_freq(locale)))
            .filter(|(_, df)| *df > 0.0)
            .map(|(spelling, df): (String, f32)| {
                let edits = strsim::osa_distance(typed, &spelling);
                let prefix = common_prefix(typed, &spelling);
                (
                    edits,
                    std::cmp::Reverse(df.to_bits()),
                    std::cmp::Reverse(prefix),
                    spelling,
                )
            })
            .min()
    };
    // Two edits only when one finds nothing: a walk with two visits far more of the lexicon.
    let best = within(1).or_else(|| (distance > 1).then(|| within(distance)).flatten())?;
    let spelling = best.3;
    let mut tokens = locale.analyze(AnalyzerKind::Folded, &spelling).into_iter();
    match (tokens.next(), tokens.next()) {
        (Some(token), None) => Some((spelling, token.text)),
        _ => None,
    }
}

/// A term of the locale in its title, steps and body, in that order, weighted by `weight`;
/// `marked`: it is the form a hit looks for in its steps and paragraphs.
fn local_alternatives<'f>(
    fields: &'f Fields,
    text: &'f str,
    weight: f32,
    marked: bool,
) -> impl Iterator<Item = Alternative> + 'f {
    [
        (fields.title, TITLE, true, 0),
        (fields.steps, STEPS, false, IN_STEPS),
        (fields.body, BODY, false, IN_BODY),
    ]
    .into_iter()
    .map(move |(field, boost, in_title, mark)| Alternative {
        field,
        text: text.to_string(),
        boost: boost * weight,
        in_title,
        english: false,
        marks: if marked { mark } else { 0 },
        part: WHOLE,
    })
}

/// One word's alternatives over the fields: its folded form (and unstemmed form) in the
/// title, steps and body, its English form in the English source.
fn alternatives(
    fields: &Fields,
    english: Option<&EnglishFields>,
    p: &PlannedWord,
) -> Vec<Alternative> {
    let (l, e) = (p.locale_weight, p.english_weight);
    let w = &p.word;
    let alternative = |field, text: &str, boost, in_title| Alternative {
        field,
        text: text.to_string(),
        boost,
        in_title,
        english: false,
        marks: 0,
        part: WHOLE,
    };
    let mut alternatives = Vec::new();
    if l > 0.0 {
        let forms = [(&w.folded, l)].into_iter().chain(
            (w.unstemmed.iter().map(|u| (u, l * UNSTEMMED)))
                .chain(w.stands_for.iter().map(|b| (b, l))),
        );
        for (text, weight) in forms {
            // The folded form and the other words it stands for are what a hit looks for in
            // its steps and paragraphs.
            let marked = w.unstemmed.as_ref() != Some(text);
            let local = local_alternatives(fields, text, weight, marked);
            alternatives.extend(local.filter(|a| a.in_title || !p.function_word));
        }
    }
    if let Some(english) = english.filter(|_| e > 0.0) {
        let in_english = |alt: Alternative| Alternative {
            english: true,
            ..alt
        };
        alternatives.push(in_english(alternative(
            english.title_en,
            &w.english,
            TITLE * e,
            true,
        )));
        if !p.function_word {
            alternatives.push(in_english(alternative(
                english.source_en,
                &w.english,
                e,
                false,
            )));
        }
    }
    alternatives
}

/// One clause per word, bonuses for articles that have them all and for those whose title
/// has them all, and the exact form of each word where folding loses something.
pub(crate) fn clauses(
    fields: &Fields,
    english: Option<&EnglishFields>,
    plan: &QueryPlan,
) -> Clauses {
    let mut words: Vec<Vec<Alternative>> = plan
        .words
        .iter()
        .map(|p| alternatives(fields, english, p))
        .collect();
    for (i, joined) in &plan.joins {
        for alternative in local_alternatives(fields, joined, JOINED, true) {
            words[*i].push(alternative.clone());
            words[*i + 1].push(alternative);
        }
    }
    for (i, parts) in &plan.apart {
        let weight = WRITTEN_APART * plan.words[*i].locale_weight;
        for (part, text) in [FIRST_PART, SECOND_PART].into_iter().zip(parts) {
            // In titles and steps: two common words somewhere in a body say little (and
            // their postings are the longest to read).
            let alternatives = local_alternatives(fields, text, weight, true)
                .filter(|a| a.field != fields.body)
                .map(|a| Alternative { part, ..a });
            words[*i].extend(alternatives);
        }
    }
    let extra = plan
        .words
        .iter()
        .filter(|p| p.word.exact != p.word.folded && p.locale_weight > 0.0 && !p.function_word)
        .map(|p| Alternative {
            field: fields.exact,
            text: p.word.exact.clone(),
            boost: EXACT * p.locale_weight,
            in_title: false,
            english: false,
            marks: 0,
            part: WHOLE,
        })
        .collect();
    let mask = |of: fn(&PlannedWord) -> bool| {
        (plan.words.iter().enumerate())
            .filter(|(_, p)| of(p))
            .fold(0, |mask, (i, _)| mask | 1 << i)
    };
    Clauses {
        optional: mask(|p| p.function_word),
        guessed: mask(|p| p.corrected),
        words,
        extra,
        all_words: ALL_WORDS,
        all_in_title: ALL_IN_TITLE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    /// The seed articles' index, in a temporary folder (removed when dropped).
    fn seeds_index() -> (tempfile::TempDir, crate::HelpIndex) {
        let dir = tempfile::tempdir().unwrap();
        crate::build_index(dir.path(), &[crate::Source::BuiltinSeeds], &()).unwrap();
        let index = crate::HelpIndex::open(dir.path()).unwrap();
        (dir, index)
    }

    /// A searcher over one `body` field with a document per text.
    fn body_index(texts: &[&str]) -> (Searcher, Field) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer(15_000_000).unwrap();
        for text in texts {
            writer.add_document(doc!(body => *text)).unwrap();
        }
        writer.commit().unwrap();
        (index.reader().unwrap().searcher(), body)
    }

    #[test]
    fn near_spelling_is_the_nearest_then_the_most_frequent() {
        // "password" once; "passwords" (two edits from "pasword") and "massword" (a first
        // letter away) three times each.
        let three = "passwords massword";
        let (searcher, body) = body_index(&["password aasswo", three, three, three]);
        let near =
            |text, distance| NearSpelling::new(text, distance)?.nearest(&searcher, body, None);
        assert_eq!(near("pasword", 2).as_deref(), Some("password"));
        assert_eq!(near("paswords", 1).as_deref(), Some("passwords"));
        // A word with another first letter is found when none with the typed one is a
        // single edit away.
        assert_eq!(near("nassword", 1).as_deref(), Some("massword"));
        assert_eq!(near("passwore", 1).as_deref(), Some("password"));
        // "aasswo" is two edits away, "massword" one.
        assert_eq!(near("aassword", 2).as_deref(), Some("massword"));
        assert_eq!(near("", 1), None);

        // Equally near and common: the one that keeps more of the word's start.
        let (searcher, body) = body_index(&["crear creeer"]);
        let near = NearSpelling::new("creer", 1).and_then(|n| n.nearest(&searcher, body, None));
        assert_eq!(near.as_deref(), Some("creeer"));
    }

    #[test]
    fn a_mistyped_word_stands_for_its_equally_near_spellings_commonest_first() {
        // "payar": "pakar" three times, "payir" twice and "paya" once, all one edit away;
        // "payyarr" two edits.
        let (searcher, body) = body_index(&[
            "pakar payir paya bayar",
            "pakar payir bayar mayar",
            "pakar payyarr",
        ]);
        let few = |text, distance| {
            NearSpelling::new(text, distance)
                .map(|n| n.nearest_few(&searcher, body, None))
                .unwrap_or_default()
        };
        assert_eq!(few("payar", 1), ["pakar", "payir"], "{NEAR_SPELLINGS} kept");
        assert_eq!(
            few("payar", 2),
            ["pakar", "payir"],
            "one edit is nearer than two"
        );
        // With no spelling one edit away under the typed first letter, the others'.
        assert_eq!(few("qayar", 1), ["bayar", "mayar"]);
        // A single nearest spelling stands alone.
        assert_eq!(few("pakarr", 2), ["pakar"]);
        assert_eq!(few("zzzzz", 1), Vec::<String>::new());
    }

    #[test]
    fn a_word_is_not_its_own_near_spelling() {
        // "microosft", a typo the texts have too (in a URL), and "microsoft" one swap away.
        let mut texts = vec!["microosft"];
        texts.extend(["microsoft"; 40]);
        let (searcher, body) = body_index(&texts);
        let near = NearSpelling::new("microosft", 1).map(|n| n.nearest_few(&searcher, body, None));
        assert_eq!(near.unwrap(), ["microsoft"]);
    }

    #[test]
    fn a_mistyped_word_is_near_a_spelling_of_its_locales_titles() {
        let (_dir, index) = seeds_index();
        let lexicon = index.lexicon().unwrap();
        let [sv, nl]: [Locale; 2] = ["sv", "nl"].map(|l| l.parse().unwrap());
        let stem = |locale: Locale, word: &str| {
            let tokens = locale.analyze(AnalyzerKind::Folded, word);
            Some((word.to_string(), tokens[0].text.clone()))
        };
        // "stagner": "stanger" (of "stänger") one swap away, and its stem, as the locale's.
        let near = |locale, typed| nearest_spelling(lexicon, locale, typed, 1);
        assert_eq!(near(sv, "stagner"), stem(sv, "stanger"));
        // Only the locale's own titles: "sluiten" is Dutch.
        assert_eq!(near(sv, "sluitne"), None);
        assert_eq!(near(nl, "sluitne"), stem(nl, "sluiten"));
        // Two edits only where allowed.
        assert_eq!(near(nl, "sluetin"), None);
        assert_eq!(
            nearest_spelling(lexicon, nl, "sluetin", 2),
            stem(nl, "sluiten")
        );
    }

    #[test]
    fn a_word_mistyped_in_its_ending_is_near_a_start_of_it() {
        // "plitica" (for "politica") stems to "plitic", two edits from the stem "polit"; a
        // start of it, "plit", is one, as from "plat", which is rarer.
        let (searcher, body) = body_index(&["polit plat", "polit", "polit"]);
        let near = |start: Option<NearSpelling>| start?.nearest(&searcher, body, None);
        assert_eq!(near(NearSpelling::new("plitic", 1)), None);
        assert_eq!(
            near(NearSpelling::of_start("plitica", 1, 4)).as_deref(),
            Some("polit")
        );
        // Not from a start shorter than asked for.
        assert_eq!(near(NearSpelling::of_start("plitica", 1, 6)), None);
        // Of equally near ones, the one that stands for more of the word: "politic" is one
        // edit from "plitic".
        let (searcher, body) = body_index(&["polit plat", "polit", "polit", "politic"]);
        let start = NearSpelling::of_start("plitica", 1, 4);
        let near = start.and_then(|near| near.nearest(&searcher, body, None));
        assert_eq!(near.as_deref(), Some("politic"));
    }

    #[test]
    fn a_word_cut_short_completes_to_its_commonest_longer_word() {
        let twice = "webbplatsinformation webbplats";
        let (searcher, body) = body_index(&["webbplatsinfon", twice, twice]);
        assert_eq!(
            completion(&searcher, body, "webbplatsinfo").as_deref(),
            Some("webbplatsinformation")
        );
        assert_eq!(completion(&searcher, body, "webbsida"), None);
    }

    #[test]
    fn function_words_are_sought_in_titles_only_unless_the_query_has_nothing_else() {
        let (_dir, index) = seeds_index();
        let sv: Locale = "sv".parse().unwrap();
        // Each word: its folded form, whether it is a function word, its weight in choosing
        // a step, and whether it is sought only in titles; and the optional words.
        let plan = |query| {
            let ranked = index.rank_locale(sv, query, 10).unwrap().unwrap();
            let english = ranked.english.as_ref().map(|e| &e.fields);
            let clauses = clauses(&ranked.li.fields, english, &ranked.plan);
            let words: Vec<(String, bool, f32, bool)> = (ranked.plan.words.iter())
                .zip(&clauses.words)
                .map(|(p, alternatives)| {
                    let titles_only = alternatives.iter().all(|a| a.in_title);
                    let choice = p.in_steps_choice();
                    (p.word.folded.clone(), p.function_word, choice, titles_only)
                })
                .collect();
            (words, clauses.optional)
        };
        // The seed article's title: "Så stänger du ditt konto".
        let (words, optional) = plan("stänga du ditt konto");
        let flags: Vec<(&str, bool, f32, bool)> = words
            .iter()
            .map(|w| (w.0.as_str(), w.1, w.2, w.3))
            .collect();
        assert_eq!(
            flags,
            [
                ("stang", false, 1.0, false),
                ("du", true, FUNCTION_WORD, true),
                ("ditt", true, FUNCTION_WORD, true),
                ("konto", false, 1.0, false)
            ]
        );
        assert_eq!(optional, 0b0110);
        let (alone, optional) = plan("du ditt");
        assert_eq!(optional, 0);
        for (word, function_word, choice, titles_only) in &alone {
            assert!(!function_word && !titles_only, "{word}");
            assert_eq!(*choice, 1.0, "{word}");
        }
        // Nor with words the index lacks beside them.
        let (words, optional) = plan("du ditt qqqqxz");
        assert_eq!(optional, 0, "{words:?}");
        // Typed without diacritics, a function word is still one.
        let (words, _) = plan("stanga konto pa datorn");
        assert!(words[2].1, "{words:?}");
        // English words are weighed in English, as English's function words ("to", "your")
        // or not ("close", "account").
        let (words, optional) = plan("how to close your account");
        let flags: Vec<bool> = words.iter().map(|w| w.1).collect();
        assert_eq!(flags, [true, true, false, true, false], "{words:?}");
        assert_eq!(optional, 0b01011);
    }

    #[test]
    fn a_word_in_both_languages_leans_to_the_language_of_the_query() {
        let (_dir, index) = seeds_index();
        let sv: Locale = "sv".parse().unwrap();
        // (locale weight, English weight) of the query's last word.
        let weights = |query| {
            let plan = index.rank_locale(sv, query, 10).unwrap().unwrap().plan;
            let last = plan.words.last().unwrap();
            (last.locale_weight, last.english_weight)
        };
        // "Microsoft" is in the Swedish text and in its English source.
        let alone = weights("microsoft");
        assert!(alone.0 > 0.0 && alone.1 > 0.0, "{alone:?}");
        let swedish = weights("stänga microsoft");
        let english = weights("close microsoft");
        assert!(
            swedish.0 > alone.0 && swedish.1 < alone.1,
            "{swedish:?} {alone:?}"
        );
        assert!(
            english.0 < alone.0 && english.1 > alone.1,
            "{english:?} {alone:?}"
        );
    }

    #[test]
    fn two_words_are_also_sought_written_as_one() {
        let nl: Locale = "nl".parse().unwrap();
        let joined_forms = |query| -> Vec<Option<String>> {
            (QueryTerms::new(nl, query).words.into_iter())
                .map(|w| w.joined_with_next)
                .collect()
        };
        let whole = |word| nl.analyze(AnalyzerKind::Folded, word)[0].text.clone();
        // Parted by spaces or a hyphen: the folded (and stemmed) token of the whole.
        assert_eq!(
            joined_forms("prive  kanaal maken"),
            [Some(whole("privekanaal")), Some(whole("kanaalmaken")), None]
        );
        assert_eq!(
            joined_forms("app-wachtwoord")[0],
            Some(whole("appwachtwoord"))
        );
        // Parted by anything else, or touching (a script change): not one word.
        assert_eq!(joined_forms("prive, kanaal"), [None, None]);
        assert_eq!(joined_forms("prive/kanaal"), [None, None]);

        // Planned, a joined form is kept only where the locale's articles have it.
        let (_dir, index) = seeds_index();
        let sv: Locale = "sv".parse().unwrap();
        let joins = |query| {
            index
                .rank_locale(sv, query, 10)
                .unwrap()
                .unwrap()
                .plan
                .joins
        };
        let whole = sv.analyze(AnalyzerKind::Folded, "multifaktorautentisering");
        assert_eq!(
            joins("inaktivera multifaktor autentisering"),
            [(1, whole[0].text.clone())]
        );
        assert_eq!(joins("stänga konto"), []);
        // Not where the whole stems to one of its parts ("kontot" → "konto"), nor with a
        // function word: "avslutar" is in the article, "av" a function word.
        assert_eq!(joins("konto t"), []);
        assert!(!index
            .rank_locale(sv, "avslutar", 1)
            .unwrap()
            .unwrap()
            .top
            .is_empty());
        assert_eq!(joins("av slutar"), []);
        assert_eq!(
            joins("du multifaktor autentisering"),
            [(1, whole[0].text.clone())]
        );
    }

    #[test]
    fn a_word_keeps_its_unstemmed_form_where_stemming_changed_it() {
        let sv: Locale = "sv".parse().unwrap();
        let terms = QueryTerms::new(sv, "utelast Konto licens");
        let words: Vec<(&str, Option<&str>)> = terms
            .words
            .iter()
            .map(|w| (w.folded.as_str(), w.unstemmed.as_deref()))
            .collect();
        // "utelåst" stems to itself ("utelast" once folded), the typed "utelast" to "utel";
        // "licens" to "lic", its plural "licenser" to "licens".
        assert_eq!(
            words,
            [
                ("utel", Some("utelast")),
                ("konto", None),
                ("lic", Some("licens"))
            ]
        );
    }

    #[test]
    fn a_word_is_written_apart_where_both_parts_are_words() {
        let sv: Locale = "sv".parse().unwrap();
        // Document frequencies of folded tokens ("låda" is "lad", "lösen" and "löse" "los").
        let known = |known: &'static [(&'static str, u64)]| {
            move |t: &str| known.iter().find(|(k, _)| *k == t).map_or(0, |(_, df)| *df)
        };
        let apart = |word, df: &'static [(&'static str, u64)]| written_apart(sv, word, known(df));
        let parts = |a: &str, b: &str| Some([a.to_string(), b.to_string()]);
        assert_eq!(
            apart("postlåda", &[("post", 40), ("lad", 9)]),
            parts("post", "lad")
        );
        assert_eq!(
            apart("Postlåda", &[("post", 40), ("lad", 9)]),
            parts("post", "lad")
        );
        // Both parts must be words the articles have.
        assert_eq!(apart("postlåda", &[("post", 40)]), None);
        // Of the places it can be cut, the one whose rarer part is commonest.
        let lösenord = &[("los", 30), ("ord", 50), ("nord", 2)];
        assert_eq!(apart("lösenord", lösenord), parts("los", "ord"));
        // Not into a function word ("för nya" is not "förnya"), nor parts under 3 letters.
        assert_eq!(apart("förnya", &[("for", 99), ("nya", 99)]), None);
        assert_eq!(apart("inkorgen", &[("in", 99), ("korg", 9)]), None);
        // Sought only in languages that write compounds as one word, for words of 7+
        // letters.
        let compound = |locale: &str, query| {
            let terms = QueryTerms::new(locale.parse().unwrap(), query);
            terms
                .words
                .into_iter()
                .map(|w| w.compound)
                .collect::<Vec<_>>()
        };
        let postlåda = Some("Postlåda".to_string());
        assert_eq!(compound("sv", "Postlåda konto"), [postlåda, None]);
        assert_eq!(compound("ro", "administrare"), [None]);
        // In any language, between letters and digits.
        assert_eq!(compound("ro", "windows10"), [Some("windows10".to_string())]);
        let ro: Locale = "ro".parse().unwrap();
        assert_eq!(cuts(ro, "windows10"), [7]);
        assert_eq!(cuts(ro, "100gb"), [3]);
        assert_eq!(cuts(ro, "m365"), [] as [usize; 0], "a part of one letter");
        assert_eq!(cuts(sv, "office365"), [3, 4, 5, 6]);
        let windows = written_apart(ro, "Windows10", known(&[("windows", 9), ("10", 99)]));
        assert_eq!(windows, parts("windows", "10"));
        assert_eq!(compound("sv", &"postlåda".repeat(5)), [None]);
    }
}
