//! The lexicon: every folded term of every locale, with the set of locales that use it, in
//! one memory-mapped FST beside the locale indexes. Language detection reads it instead of
//! opening every locale's index, so a query in an unknown language costs one file.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;

use fst::{Map, MapBuilder};
use tantivy::Index;

use super::schema::Fields;
use crate::error::{Error, Result};
use crate::language::{Locale, BARE_FORM_SEPARATOR};

/// The file name of the lexicon in a generation.
pub(crate) const LEXICON: &str = "lexicon.fst";

/// Which locales use which folded terms.
pub(crate) struct Lexicon {
    map: Map<memmap2::Mmap>,
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
}

impl SortedTerms {
    /// The terms, which must come sorted and unique.
    #[cfg(test)]
    pub fn from_sorted<'a>(terms: impl IntoIterator<Item = &'a [u8]>) -> SortedTerms {
        let mut sorted = SortedTerms::default();
        for term in terms {
            sorted.push(term);
        }
        sorted
    }

    fn push(&mut self, term: &[u8]) {
        debug_assert!(self.last().is_none_or(|last| last < term), "sorted, unique");
        self.bytes.extend_from_slice(term);
        self.ends.push(self.bytes.len());
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
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.ends.len()).filter_map(|i| self.get(i))
    }

    /// The terms of both, each once.
    fn union(&self, other: &SortedTerms) -> SortedTerms {
        let mut union = SortedTerms {
            bytes: Vec::with_capacity(self.bytes.len() + other.bytes.len()),
            ends: Vec::with_capacity(self.ends.len() + other.ends.len()),
        };
        let (mut a, mut b) = (self.iter().peekable(), other.iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x < y => a.next(),
                (Some(x), Some(y)) if x > y => b.next(),
                (Some(_), Some(_)) => {
                    b.next();
                    a.next()
                }
                (Some(_), None) => a.next(),
                (None, _) => b.next(),
            };
            match next {
                Some(term) => union.push(term),
                None => return union,
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
            let mut field_terms = SortedTerms::default();
            while stream.advance() {
                let mut term = stream.key();
                if field == fields.bare {
                    let separator = BARE_FORM_SEPARATOR as u8;
                    term = term.split(|b| *b == separator).next().unwrap_or_default();
                    if field_terms.last() == Some(term) {
                        continue;
                    }
                }
                field_terms.push(term);
            }
            terms = terms.union(&field_terms);
        }
    }
    Ok(terms)
}

/// The lexicon of `locales` (each with its sorted terms), as the bytes of its file.
///
/// Each locale's terms come sorted, so one k-way merge yields every term once and in
/// order, straight into the FST (a map of all terms first took 0.36 s rather than 0.24 s,
/// in a part of the build that runs on one core).
pub(crate) fn build(locales: &[(Locale, SortedTerms)]) -> Vec<u8> {
    // The next term of each locale, smallest first: (term, locale's position in `locales`).
    let mut heads: BinaryHeap<Reverse<(&[u8], usize)>> = locales
        .iter()
        .enumerate()
        .filter_map(|(i, (_, terms))| Some(Reverse((terms.get(0)?, i))))
        .collect();
    let mut next = vec![1; locales.len()];
    let mut advance = |heads: &mut BinaryHeap<_>, i: usize| {
        if let Some(term) = locales[i].1.get(next[i]) {
            heads.push(Reverse((term, i)));
            next[i] += 1;
        }
    };
    let mut map = MapBuilder::memory();
    while let Some(Reverse((term, i))) = heads.pop() {
        let mut set = bit(locales[i].0);
        advance(&mut heads, i);
        while let Some(&Reverse((same, j))) = heads.peek() {
            if same != term {
                break;
            }
            heads.pop();
            set |= bit(locales[j].0);
            advance(&mut heads, j);
        }
        // Keys come in order, each once (terms are unique within a locale): cannot fail.
        map.insert(term, set).expect("terms in order");
    }
    map.into_inner().expect("a map in memory")
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
        let map = Map::new(mmap).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Lexicon { map })
    }

    /// The locales whose text has `term` (folded, as that locale's analyzer makes it).
    pub(crate) fn locales_of(&self, term: &str) -> LocaleSet {
        self.map.get(term).unwrap_or(0)
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
        while let Some((_, set)) = stream.next() {
            locales |= set;
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
        let bytes = build(&locales);
        // As a map of every term to the union of its locales would have it.
        let mut expected: BTreeMap<&[u8], LocaleSet> = BTreeMap::new();
        for (locale, terms) in &locales {
            for term in terms.iter() {
                *expected.entry(term).or_default() |= bit(*locale);
            }
        }
        let map = Map::new(bytes).unwrap();
        let got: Vec<(Vec<u8>, u64)> = map.stream().into_byte_vec();
        let want: Vec<(Vec<u8>, u64)> =
            expected.into_iter().map(|(t, s)| (t.to_vec(), s)).collect();
        assert_eq!(got, want);
        assert_eq!(got.len(), 7);
        assert_eq!(
            map_get(&build(&locales), "microsoft"),
            bit(sv) | bit(nl) | bit(lv)
        );
        assert_eq!(map_get(&build(&locales), "sluit"), bit(nl));
        assert!(build(&[]).len() < 64, "no locales: an empty map");
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

    fn map_get(bytes: &[u8], term: &str) -> LocaleSet {
        Map::new(bytes.to_vec()).unwrap().get(term).unwrap_or(0)
    }
}
