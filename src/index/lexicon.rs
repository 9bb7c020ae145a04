//! The lexicon: every folded term of every locale, with the set of locales that use it, in
//! one memory-mapped FST beside the locale indexes. Language detection reads it instead of
//! opening every locale's index, so a query in an unknown language costs one file.

use std::collections::BTreeMap;
use std::path::Path;

use fst::Map;
use tantivy::Index;

use super::schema::Fields;
use crate::error::{Error, Result};
use crate::language::Locale;

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

/// The folded terms of a locale index (title, steps and body), sorted and unique.
pub(crate) fn terms_of(index: &Index) -> Result<Vec<Vec<u8>>> {
    let fields = Fields::of(&index.schema()).expect("our own schema");
    let searcher = index.reader()?.searcher();
    let mut terms = Vec::new();
    for segment in searcher.segment_readers() {
        for field in [fields.title, fields.steps, fields.body] {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(|e| Error::Tantivy(e.into()))?;
            while stream.advance() {
                terms.push(stream.key().to_vec());
            }
        }
    }
    terms.sort_unstable();
    terms.dedup();
    Ok(terms)
}

/// The lexicon of `locales` (each with its sorted terms), as the bytes of its file.
pub(crate) fn build(locales: &[(Locale, Vec<Vec<u8>>)]) -> Vec<u8> {
    let mut merged: BTreeMap<&[u8], LocaleSet> = BTreeMap::new();
    for (locale, terms) in locales {
        for term in terms {
            *merged.entry(term.as_slice()).or_default() |= bit(*locale);
        }
    }
    // In memory, keys in order: neither can fail.
    Map::from_iter(merged)
        .expect("sorted keys build a map")
        .into_fst()
        .into_inner()
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
}
