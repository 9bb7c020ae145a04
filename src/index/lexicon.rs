//! The lexicon: every folded term of every locale, with the locales that use it and in how
//! many of their articles, in one memory-mapped file beside the locale indexes. Language
//! detection reads it instead of opening every locale's index, so a query in an unknown
//! language costs one file.
//!
//! The file: the length of the records (u64, little-endian), the records, then an FST from
//! each term to its record's offset. A record is the term's [`LocaleSet`] (u64,
//! little-endian), then a byte for each of its locales in the set's bit order: the
//! [`frequency_level`] of the term there. Terms with the same record share it.
//!
//! Besides the terms (stems), the words of titles and headings as spelt, each marked by
//! [`SPELLING_MARK`] before it, and those with diacritics also as written, marked by
//! [`WRITTEN_MARK`] ([`spellings_of`]).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;

use fst::{Map, MapBuilder};
use rustc_hash::FxHashMap;
use tantivy::Index;

use super::schema::Fields;
use crate::article::{Article, BlockKind};
use crate::error::{Error, Result};
use crate::language::{Locale, BARE_FORM_SEPARATOR};

/// The file name of the lexicon in a generation.
pub(crate) const LEXICON: &str = "lexicon.fst";

/// Which locales use which folded terms, and how much.
pub(crate) struct Lexicon {
    map: Map<FstPart>,
}

/// The FST of a memory-mapped lexicon file: its bytes after the records.
struct FstPart {
    file: memmap2::Mmap,
    start: usize,
}

impl AsRef<[u8]> for FstPart {
    fn as_ref(&self) -> &[u8] {
        &self.file[self.start..]
    }
}

impl FstPart {
    /// The records: the bytes between their length and the FST.
    fn records(&self) -> &[u8] {
        &self.file[RECORDS_LENGTH_BYTES..self.start]
    }
}

/// What starts the key of a word as spelt, setting it apart from the terms (text, which
/// never holds this byte).
const SPELLING_MARK: u8 = 0x02;

/// What starts the key of a word as written (with its diacritics).
const WRITTEN_MARK: u8 = 0x03;

/// The key of the word `spelling` as spelt.
pub(crate) fn spelling_key(spelling: &str) -> Vec<u8> {
    marked(SPELLING_MARK, spelling)
}

/// The key of the word `written` as written.
fn written_key(written: &str) -> Vec<u8> {
    marked(WRITTEN_MARK, written)
}

fn marked(mark: u8, word: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(1 + word.len());
    key.push(mark);
    key.extend_from_slice(word.as_bytes());
    key
}

/// The bytes of the records' length at the start of the file.
const RECORDS_LENGTH_BYTES: usize = 8;

/// A document frequency as one byte: 1 + twice its base-2 logarithm, rounded (1 for one
/// article, 3 for two, 24 for 3,000); steps of 41 % are fine enough to compare locales.
fn frequency_level(doc_freq: u32) -> u8 {
    let level = 1.0 + 2.0 * f64::from(doc_freq.max(1)).log2();
    level.round().min(f64::from(u8::MAX)) as u8
}

/// The document frequency a [`frequency_level`] stands for.
fn frequency_of_level(level: u8) -> f32 {
    ((f32::from(level.max(1)) - 1.0) * 0.5).exp2()
}

/// What the lexicon knows of one term: the locales that use it, and how much.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct TermLocales<'a> {
    /// The locales whose text has the term.
    pub set: LocaleSet,
    /// A [`frequency_level`] for each locale of `set`, in bit order.
    levels: &'a [u8],
}

impl TermLocales<'_> {
    /// The locales of `set`, each as if the term were in one of its articles.
    pub fn of_set(set: LocaleSet) -> TermLocales<'static> {
        TermLocales { set, levels: &[] }
    }

    /// In about how many articles of `locale` the term is (within 20 %); 0 where none.
    pub fn doc_freq(&self, locale: Locale) -> f32 {
        if self.set & bit(locale) == 0 {
            return 0.0;
        }
        let before = (self.set & (bit(locale) - 1)).count_ones() as usize;
        self.levels
            .get(before)
            .map_or(1.0, |&level| frequency_of_level(level))
    }
}

/// A set of locales, one bit per entry of the language table.
pub(crate) type LocaleSet = u64;

pub(crate) fn bit(locale: Locale) -> LocaleSet {
    1 << locale.index()
}

/// A locale's folded terms, sorted and unique, in one buffer: a locale has some hundred
/// thousand, and as one allocation each, freeing them all cost the build a quarter of a
/// second on one core.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct SortedTerms {
    bytes: Vec<u8>,
    /// Where each term ends in `bytes`.
    ends: Vec<usize>,
    /// In how many documents each term is.
    doc_freqs: Vec<u32>,
}

impl SortedTerms {
    /// The terms, which must come sorted and unique.
    #[cfg(test)]
    pub fn from_sorted<'a>(terms: impl IntoIterator<Item = &'a [u8]>) -> SortedTerms {
        let mut sorted = SortedTerms::default();
        for term in terms {
            sorted.push(term, 1);
        }
        sorted
    }

    fn push(&mut self, term: &[u8], doc_freq: u32) {
        debug_assert!(self.last().is_none_or(|last| last < term), "sorted, unique");
        self.bytes.extend_from_slice(term);
        self.ends.push(self.bytes.len());
        self.doc_freqs.push(doc_freq);
    }

    /// In how many documents the `i`-th term is.
    fn doc_freq(&self, i: usize) -> u32 {
        self.doc_freqs.get(i).copied().unwrap_or(0)
    }

    /// The `i`-th term.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = i.checked_sub(1).map_or(0, |before| self.ends[before]);
        Some(&self.bytes[start..end])
    }

    fn last(&self) -> Option<&[u8]> {
        self.get(self.ends.len().checked_sub(1)?)
    }

    /// The terms, in order.
    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.ends.len()).filter_map(|i| self.get(i))
    }

    /// The terms of both, each once, with the larger of its document frequencies (fields
    /// of one index: a term's documents in the field where it is most common).
    fn union(&self, other: &SortedTerms) -> SortedTerms {
        let mut union = SortedTerms {
            bytes: Vec::with_capacity(self.bytes.len() + other.bytes.len()),
            ends: Vec::with_capacity(self.ends.len() + other.ends.len()),
            doc_freqs: Vec::with_capacity(self.ends.len() + other.ends.len()),
        };
        let (mut i, mut j) = (0, 0);
        loop {
            match (self.get(i), other.get(j)) {
                (Some(x), Some(y)) if x < y => {
                    union.push(x, self.doc_freq(i));
                    i += 1;
                }
                (Some(x), Some(y)) if x > y => {
                    union.push(y, other.doc_freq(j));
                    j += 1;
                }
                (Some(x), Some(_)) => {
                    union.push(x, self.doc_freq(i).max(other.doc_freq(j)));
                    i += 1;
                    j += 1;
                }
                (Some(x), None) => {
                    union.push(x, self.doc_freq(i));
                    i += 1;
                }
                (None, Some(y)) => {
                    union.push(y, other.doc_freq(j));
                    j += 1;
                }
                (None, None) => return union,
            }
        }
    }
}

/// The folded terms of a locale index (title, steps and body), and the words typed bare
/// that stand for some of them (the first part of each bare form: a query typed without
/// diacritics tells its language as well).
pub(crate) fn terms_of(index: &Index) -> Result<SortedTerms> {
    let fields = Fields::of(&index.schema()).expect("our own schema");
    let searcher = index.reader()?.searcher();
    let mut terms = SortedTerms::default();
    for segment in searcher.segment_readers() {
        for field in [fields.title, fields.steps, fields.body, fields.bare] {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(|e| Error::Tantivy(e.into()))?;
            // A term dictionary streams its terms sorted, each once; the bare forms' first
            // parts come sorted too, a part repeated for each word it stands for.
            // A bare part gets the frequency of the commonest word it stands for.
            let mut field_terms = SortedTerms::default();
            while stream.advance() {
                let mut term = stream.key();
                let doc_freq = stream.value().doc_freq;
                if field == fields.bare {
                    let separator = BARE_FORM_SEPARATOR as u8;
                    term = term.split(|b| *b == separator).next().unwrap_or_default();
                    if field_terms.last() == Some(term) {
                        let last = field_terms.doc_freqs.last_mut().expect("a last term");
                        *last = (*last).max(doc_freq);
                        continue;
                    }
                }
                field_terms.push(term, doc_freq);
            }
            terms = terms.union(&field_terms);
        }
    }
    Ok(terms)
}

/// The words of the titles and headings of a locale's `articles` as spelt, each under its
/// [`spelling_key`], and those whose diacritics folding removed also as written, under
/// their [`written_key`] ([`Locale::spellings`]), each with the number of articles whose
/// title or headings have it. A title names its subject in the words a reader searches
/// with, and stems hide what tells close languages apart (`aplicativo`, Brazilian, and
/// `aplicación`, Spanish, are both `aplic`; Portuguese `domínios` and Spanish `dominios`
/// differ only as written); titles and headings are a small part of the text, so the build
/// cuts them again at little cost.
pub(crate) fn spellings_of(articles: &[Article]) -> SortedTerms {
    let mut doc_freqs: FxHashMap<Vec<u8>, u32> = FxHashMap::default();
    let mut in_article: Vec<Vec<u8>> = Vec::new();
    for article in articles {
        let headings = (article.blocks.iter())
            .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
            .map(|b| b.text.text.as_str());
        for text in std::iter::once(article.title.text.as_str()).chain(headings) {
            for (spelt, written) in Locale::spellings(text) {
                in_article.push(spelling_key(&spelt));
                in_article.extend(written.map(|w| written_key(&w)));
            }
        }
        in_article.sort_unstable();
        in_article.dedup();
        for key in in_article.drain(..) {
            *doc_freqs.entry(key).or_default() += 1;
        }
    }
    let mut keys: Vec<(Vec<u8>, u32)> = doc_freqs.into_iter().collect();
    keys.sort_unstable();
    let mut terms = SortedTerms::default();
    for (key, doc_freq) in keys {
        terms.push(&key, doc_freq);
    }
    terms
}

/// A locale's lexicon entries: the terms of its `index` ([`terms_of`]) and the spellings of
/// its `articles`' titles and headings ([`spellings_of`]).
pub(crate) fn entries_of(index: &Index, articles: &[Article]) -> Result<SortedTerms> {
    Ok(terms_of(index)?.union(&spellings_of(articles)))
}

/// The lexicon of `locales` (each with its sorted terms), as the bytes of its file.
///
/// Each locale's terms come sorted, so one k-way merge yields every term once and in
/// order, straight into the FST (a map of all terms first took 0.36 s rather than 0.24 s,
/// in a part of the build that runs on one core).
pub(crate) fn build(locales: &[(Locale, SortedTerms)]) -> Vec<u8> {
    // The next term of each locale, smallest first: (term, locale's position in `locales`,
    // term's position in the locale's terms).
    let mut heads: BinaryHeap<Reverse<(&[u8], usize, usize)>> = locales
        .iter()
        .enumerate()
        .filter_map(|(i, (_, terms))| Some(Reverse((terms.get(0)?, i, 0))))
        .collect();
    let advance = |heads: &mut BinaryHeap<_>, i: usize, k: usize| {
        if let Some(term) = locales[i].1.get(k + 1) {
            heads.push(Reverse((term, i, k + 1)));
        }
    };
    let level_of = |i: usize, k: usize| {
        let (locale, terms) = &locales[i];
        (locale.index() as u32, frequency_level(terms.doc_freq(k)))
    };
    let mut map = MapBuilder::memory();
    let mut records: Vec<u8> = Vec::new();
    let mut offsets: FxHashMap<Vec<u8>, u64> = FxHashMap::default();
    // (bit, level) of each locale with the term, then its record.
    let mut levels: Vec<(u32, u8)> = Vec::with_capacity(locales.len());
    let mut record: Vec<u8> = Vec::new();
    while let Some(Reverse((term, i, k))) = heads.pop() {
        levels.clear();
        levels.push(level_of(i, k));
        advance(&mut heads, i, k);
        while let Some(&Reverse((same, j, k))) = heads.peek() {
            if same != term {
                break;
            }
            heads.pop();
            levels.push(level_of(j, k));
            advance(&mut heads, j, k);
        }
        // A locale listed twice (never in a build) keeps its larger frequency.
        levels.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        levels.dedup_by_key(|(bit, _)| *bit);
        let set: LocaleSet = levels.iter().map(|(b, _)| 1 << b).fold(0, |a, b| a | b);
        record.clear();
        record.extend_from_slice(&set.to_le_bytes());
        record.extend(levels.iter().map(|(_, level)| level));
        // Most records are shared: a new one is copied only once.
        let offset = match offsets.get(&record) {
            Some(&offset) => offset,
            None => {
                let offset = records.len() as u64;
                records.extend_from_slice(&record);
                offsets.insert(record.clone(), offset);
                offset
            }
        };
        // Keys come in order, each once (terms are unique within a locale): cannot fail.
        map.insert(term, offset).expect("terms in order");
    }
    let map = map.into_inner().expect("a map in memory");
    let mut file = Vec::with_capacity(RECORDS_LENGTH_BYTES + records.len() + map.len());
    file.extend_from_slice(&(records.len() as u64).to_le_bytes());
    file.extend_from_slice(&records);
    file.extend_from_slice(&map);
    file
}

impl Lexicon {
    /// Maps the lexicon at `path`, checking it against its CRC-32 (from the manifest) unless
    /// it is the version the build recorded as checked.
    pub(crate) fn open(path: &Path, crc32: Option<u32>) -> std::result::Result<Lexicon, String> {
        let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        // Safety: generations are never modified once written (a rebuild writes a new one).
        let mmap = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| e.to_string())?;
        // A damaged lexicon would misdirect detection without a word.
        if let Some(expected) = crc32.filter(|_| !super::verified::is_as_recorded(path)) {
            if crc32fast::hash(&mmap) != expected {
                return Err(format!("{}: checksum mismatch", path.display()));
            }
        }
        let damaged = || format!("{}: damaged", path.display());
        let length: [u8; RECORDS_LENGTH_BYTES] = (mmap.get(..RECORDS_LENGTH_BYTES))
            .and_then(|b| b.try_into().ok())
            .ok_or_else(damaged)?;
        let start = (u64::from_le_bytes(length) as usize)
            .checked_add(RECORDS_LENGTH_BYTES)
            .filter(|&start| start <= mmap.len())
            .ok_or_else(damaged)?;
        let file = FstPart { file: mmap, start };
        let map = Map::new(file).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Lexicon { map })
    }

    /// The record at `offset`; empty where the file holds none there (a damaged file).
    fn record(&self, offset: u64) -> TermLocales<'_> {
        let records = self.map.as_fst().as_inner().records();
        let at = usize::try_from(offset).unwrap_or(usize::MAX);
        let Some(set) = (records.get(at..at.saturating_add(8)))
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
        else {
            return TermLocales::default();
        };
        let levels = (records.get(at + 8..))
            .and_then(|rest| rest.get(..set.count_ones() as usize))
            .unwrap_or_default();
        TermLocales { set, levels }
    }

    /// The locales whose text has `term` (folded, as that locale's analyzer makes it), and
    /// in how many articles.
    pub(crate) fn locales_of(&self, term: &str) -> TermLocales<'_> {
        self.entry(term.as_bytes())
    }

    /// The locales whose titles and headings have the word `spelling` (as
    /// [`Locale::spellings`] spells it), and in how many articles.
    pub(crate) fn locales_of_spelling(&self, spelling: &str) -> TermLocales<'_> {
        self.entry(&spelling_key(spelling))
    }

    /// As [`Lexicon::locales_of_spelling`], for a word as written, where that differs from
    /// its spelling ([`Locale::spellings`]).
    pub(crate) fn locales_of_written(&self, written: &str) -> TermLocales<'_> {
        self.entry(&written_key(written))
    }

    fn entry(&self, key: &[u8]) -> TermLocales<'_> {
        self.map
            .get(key)
            .map_or_else(TermLocales::default, |offset| self.record(offset))
    }

    /// The spellings of titles and headings whose keys ([`spelling_key`]) `near` accepts, of
    /// those that start with `first`, each with the locales whose titles and headings have
    /// it: the words a misspelt one may stand for, as spelt (a typo can change a word's
    /// stem past recognition).
    pub(crate) fn spellings_near(
        &self,
        near: impl fst::Automaton,
        first: char,
    ) -> Vec<(String, TermLocales<'_>)> {
        use fst::{IntoStreamer, Streamer};
        let low = spelling_key(&first.to_string());
        let mut high = low.clone();
        high.push(0xFF);
        let mut stream = self.map.search(near).ge(&low).lt(&high).into_stream();
        let mut spellings = Vec::new();
        while let Some((key, offset)) = stream.next() {
            if let Ok(spelling) = std::str::from_utf8(&key[1..]) {
                spellings.push((spelling.to_string(), self.record(offset)));
            }
        }
        spellings
    }

    /// The locales whose text has a term `near` accepts that starts with `first` (a
    /// misspelt word's near spellings with its first letter: a first letter is seldom the
    /// one mistyped, and the walk then reads one letter's terms, not every script's).
    pub(crate) fn locales_near(&self, near: impl fst::Automaton, first: char) -> LocaleSet {
        use fst::{IntoStreamer, Streamer};
        let low = first.to_string().into_bytes();
        let mut high = low.clone();
        high.push(0xFF);
        let mut stream = self.map.search(near).ge(&low).lt(&high).into_stream();
        let mut locales = 0;
        while let Some((_, offset)) = stream.next() {
            locales |= self.record(offset).set;
        }
        locales
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn terms(words: &[&str]) -> SortedTerms {
        SortedTerms::from_sorted(words.iter().map(|w| w.as_bytes()))
    }

    fn with_doc_freqs(terms: &[(&str, u32)]) -> SortedTerms {
        let mut sorted = SortedTerms::default();
        for (term, doc_freq) in terms {
            sorted.push(term.as_bytes(), *doc_freq);
        }
        sorted
    }

    fn open(bytes: &[u8]) -> (tempfile::TempDir, Lexicon) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LEXICON);
        std::fs::write(&path, bytes).unwrap();
        let lexicon = Lexicon::open(&path, Some(crc32fast::hash(bytes))).unwrap();
        (dir, lexicon)
    }

    #[test]
    fn each_term_lists_every_locale_that_has_it() {
        let sv: Locale = "sv-SE".parse().unwrap();
        let nl: Locale = "nl-NL".parse().unwrap();
        let lv: Locale = "lv-LV".parse().unwrap();
        let locales = vec![
            (sv, terms(&["konto", "microsoft", "stang"])),
            (nl, terms(&["account", "microsoft", "sluit"])),
            (lv, SortedTerms::default()),
            (lv, terms(&["konto", "konts", "microsoft", "zz"])),
        ];
        let (_dir, lexicon) = open(&build(&locales));
        // As a map of every term to the union of its locales would have it.
        let mut expected: BTreeMap<&[u8], LocaleSet> = BTreeMap::new();
        for (locale, terms) in &locales {
            for term in terms.iter() {
                *expected.entry(term).or_default() |= bit(*locale);
            }
        }
        let keys = lexicon.map.stream().into_str_keys().unwrap();
        let got: Vec<(String, LocaleSet)> = (keys.into_iter())
            .map(|t| (t.clone(), lexicon.locales_of(&t).set))
            .collect();
        let want: Vec<(String, LocaleSet)> = (expected.into_iter())
            .map(|(t, s)| (String::from_utf8(t.to_vec()).unwrap(), s))
            .collect();
        assert_eq!(got, want);
        assert_eq!(got.len(), 7);
        assert_eq!(
            lexicon.locales_of("microsoft").set,
            bit(sv) | bit(nl) | bit(lv)
        );
        assert_eq!(lexicon.locales_of("sluit").set, bit(nl));
        assert_eq!(lexicon.locales_of("nowhere"), TermLocales::default());
        let (_dir, empty) = open(&build(&[]));
        assert_eq!(empty.locales_of("konto").set, 0);
    }

    #[test]
    fn each_locale_of_a_term_says_in_about_how_many_articles_it_is() {
        let sv: Locale = "sv-SE".parse().unwrap();
        let da: Locale = "da-DK".parse().unwrap();
        let nb: Locale = "nb-NO".parse().unwrap();
        let locales = vec![
            (nb, with_doc_freqs(&[("skadelig", 39), ("x", 1), ("y", 1)])),
            (sv, with_doc_freqs(&[("konto", 3000)])),
            (da, with_doc_freqs(&[("skadelig", 2), ("x", 1), ("y", 1)])),
        ];
        let (_dir, lexicon) = open(&build(&locales));
        let near = |got: f32, want: f32| (got / want - 1.0).abs() < 0.2;
        let skadelig = lexicon.locales_of("skadelig");
        assert!(
            near(skadelig.doc_freq(nb), 39.0),
            "{}",
            skadelig.doc_freq(nb)
        );
        assert!(
            near(skadelig.doc_freq(da), 2.0),
            "{}",
            skadelig.doc_freq(da)
        );
        assert_eq!(skadelig.doc_freq(sv), 0.0);
        assert!(near(lexicon.locales_of("konto").doc_freq(sv), 3000.0));
        // Terms with the same locales and frequencies share one record.
        assert_eq!(lexicon.map.get("x"), lexicon.map.get("y"));
        let records = lexicon.map.as_fst().as_inner().records().len();
        assert_eq!(
            records,
            3 * 8 + 2 + 1 + 2,
            "skadelig, konto, x and y: sets and levels"
        );
    }

    #[test]
    fn a_frequency_level_stands_for_its_frequency_within_a_fifth() {
        for doc_freq in [1, 2, 3, 5, 10, 46, 368, 3000, 1 << 20, u32::MAX] {
            let back = frequency_of_level(frequency_level(doc_freq));
            let ratio = back / doc_freq as f32;
            assert!((0.8..1.2).contains(&ratio), "{doc_freq} → {back}");
        }
        assert_eq!(frequency_level(0), frequency_level(1));
    }

    #[test]
    fn a_damaged_lexicon_fails_to_open_or_answers_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LEXICON);
        let bytes = build(&[("sv-SE".parse().unwrap(), terms(&["konto"]))]);
        for damaged in [&bytes[..3], &[0xFF; 12][..]] {
            std::fs::write(&path, damaged).unwrap();
            assert!(Lexicon::open(&path, None).is_err());
        }
        // Cut short inside its FST: the checksum refuses it (fst trusts its input).
        std::fs::write(&path, &bytes[..bytes.len() - 2]).unwrap();
        assert!(Lexicon::open(&path, Some(crc32fast::hash(&bytes))).is_err());
        // An offset past the records, or inside one (from a file written wrong): no panic.
        std::fs::write(&path, &bytes).unwrap();
        let lexicon = Lexicon::open(&path, None).unwrap();
        assert_eq!(lexicon.record(1 << 40), TermLocales::default());
        lexicon.record(5).doc_freq("sv-SE".parse().unwrap());
    }

    #[test]
    fn spellings_are_counted_once_an_article_from_titles_and_headings() {
        let pt: Locale = "pt-PT".parse().unwrap();
        let md = |title: &str, body: &str| {
            let text = format!("---\ntitle: {title}\n---\n# {title}\n\n{body}\n");
            let origin = crate::article::Origin {
                slug: "x".into(),
                folder_locale: Some(pt),
            };
            let parsed = crate::article::parse_article(text.as_bytes(), &origin).unwrap();
            parsed.article
        };
        let articles = [
            md(
                "Configurar a aplicação",
                "## A aplicação\n\nAbra a aplicação móvel.",
            ),
            md("Aplicação móvel", "Texto sem títulos: móvel."),
        ];
        let spellings = spellings_of(&articles);
        let doc_freq_of = |key: Vec<u8>| {
            (0..spellings.ends.len())
                .find(|&i| spellings.get(i) == Some(&key[..]))
                .map(|i| spellings.doc_freq(i))
        };
        let of = |word: &str| doc_freq_of(spelling_key(word));
        assert_eq!(of("aplicacao"), Some(2));
        // Words with diacritics, also as written.
        let written = |word: &str| doc_freq_of(written_key(word));
        assert_eq!(written("aplicação"), Some(2));
        assert_eq!(written("móvel"), Some(1));
        assert_eq!(written("configurar"), None, "the same as spelt: once");
        assert_eq!(of("configurar"), Some(1));
        assert_eq!(of("movel"), Some(1), "the body's words are not counted");
        assert_eq!(of("abra"), None);
        assert_eq!(of("aplic"), None, "spelt, not stemmed");
        // Apart from the terms: a term and a spelling of the same text are two entries.
        let entries = terms(&["aplicacao"]).union(&spellings);
        let (_dir, lexicon) = open(&build(&[(pt, entries)]));
        assert_eq!(lexicon.locales_of("aplicacao").doc_freq(pt), 1.0);
        let spelt = lexicon.locales_of_spelling("aplicacao");
        assert!(
            (spelt.doc_freq(pt) - 2.0).abs() < 0.4,
            "{}",
            spelt.doc_freq(pt)
        );
        assert_eq!(lexicon.locales_of_spelling("configur").set, 0);
        assert!((lexicon.locales_of_written("aplicação").doc_freq(pt) - 2.0).abs() < 0.4);
        assert_eq!(lexicon.locales_of_written("aplicacao").set, 0);
    }

    #[test]
    fn a_union_holds_each_term_of_either_once_in_order() {
        let union = terms(&["a", "ab", "c", "e"]).union(&terms(&["", "ab", "b", "c", "f", "g"]));
        let got: Vec<&[u8]> = union.iter().collect();
        let want: Vec<&[u8]> = vec![b"", b"a", b"ab", b"b", b"c", b"e", b"f", b"g"];
        assert_eq!(got, want);
        assert_eq!(union.get(8), None);
        assert_eq!(terms(&[]).union(&terms(&["x"])), terms(&["x"]));
        assert_eq!(terms(&["x"]).union(&terms(&[])), terms(&["x"]));
    }

    #[test]
    fn a_union_keeps_the_larger_frequency_of_a_term_in_both() {
        let union =
            with_doc_freqs(&[("a", 3), ("b", 9)]).union(&with_doc_freqs(&[("b", 4), ("c", 1)]));
        assert_eq!(union, with_doc_freqs(&[("a", 3), ("b", 9), ("c", 1)]));
    }
}
