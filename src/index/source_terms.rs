//! The tokens of each English source text, recorded when the index is built.
//!
//! English words in a query (product names, an English query with `--lang`) are sought in
//! the English source of a hit's steps and title, to choose its best step. Finding them
//! meant reading the hit's English source from the store and cutting every step's source
//! into words: a tenth of a query's work. The English index holds each distinct source
//! once (3,658 for the corpus's 104,926 articles), so the build records, for each, the
//! numbers of the tokens of its title and of each block, and numbers each distinct token in
//! a vocabulary. A hit then compares numbers.
//!
//! One file beside the English index holds both: the vocabulary (an FST), a table of the
//! recorded sources by [`Article::source_fingerprint`], their tokens, and a CRC-32 of all
//! that (its integers little-endian):
//!
//! ```text
//! u32 FST length, the FST, u32 count, count × (u64 fingerprint, u32 offset, u32 length)
//! sorted by fingerprint, the tokens of each (offsets from the table's end), u32 CRC-32
//! ```
//!
//! A source's tokens: numbers in groups of six bits, low group first, each group but the
//! last a byte below 0x40 and the last one 0x40 or above. First the number of texts (the
//! title, then every block), then for each text 0 when it has no source, else one more
//! than the length in bytes of its tokens' numbers, and those: sorted, each as its
//! difference from the one before.

use std::path::Path;

use fst::{Map, MapBuilder};

use crate::article::Article;
use crate::language::{AnalyzerKind, Locale, TokenNumbering};

/// The file's name in the English index's folder.
pub(crate) const FILE: &str = "source-terms";

/// The analyzer whose tokens are recorded: the one the English index and the hits'
/// matcher use.
const ANALYZER: (Locale, AnalyzerKind) = (Locale::ENGLISH, AnalyzerKind::Exact);

/// Records the tokens of articles' English sources, numbering them as it goes.
pub(crate) struct Recorder {
    numbering: TokenNumbering,
    numbers: Vec<u32>,
    encoded: Vec<u8>,
    /// (fingerprint, recorded tokens) of each source.
    sources: Vec<(u64, Vec<u8>)>,
}

impl Default for Recorder {
    fn default() -> Recorder {
        Recorder {
            numbering: TokenNumbering::new(ANALYZER.0, ANALYZER.1),
            numbers: Vec::new(),
            encoded: Vec::new(),
            sources: Vec::new(),
        }
    }
}

impl Recorder {
    /// Records the tokens of `article`'s English source, whose fingerprint is `fingerprint`.
    pub(crate) fn record(&mut self, fingerprint: u64, article: &Article) {
        let recorded = self.encode(article);
        self.sources.push((fingerprint, recorded));
    }

    /// The recorded form of the tokens of `article`'s English source.
    fn encode(&mut self, article: &Article) -> Vec<u8> {
        let mut out = Vec::with_capacity(512);
        put(&mut out, 1 + article.blocks.len() as u32);
        for text in article.texts() {
            let Some(source) = &text.source else {
                put(&mut out, 0);
                continue;
            };
            self.numbering.numbers_of(source, &mut self.numbers);
            self.encoded.clear();
            let mut previous = 0;
            for &n in &self.numbers {
                put(&mut self.encoded, n - previous);
                previous = n;
            }
            put(&mut out, 1 + self.encoded.len() as u32);
            out.extend_from_slice(&self.encoded);
        }
        out
    }

    /// The file's bytes.
    pub(crate) fn into_file(self) -> Vec<u8> {
        let mut tokens: Vec<(String, u32)> = self.numbering.into_tokens().into_iter().collect();
        tokens.sort_unstable();
        let mut map = MapBuilder::memory();
        for (token, number) in tokens {
            // Sorted and unique (a map's keys): cannot fail.
            map.insert(token, u64::from(number))
                .expect("tokens in order");
        }
        let fst = map.into_inner().expect("a map in memory");
        let mut sources = self.sources;
        sources.sort_unstable_by_key(|(fingerprint, _)| *fingerprint);
        sources.dedup_by_key(|(fingerprint, _)| *fingerprint);
        let data: usize = sources.iter().map(|(_, r)| r.len()).sum();
        let mut out = Vec::with_capacity(12 + fst.len() + 16 * sources.len() + data);
        out.extend_from_slice(&(fst.len() as u32).to_le_bytes());
        out.extend_from_slice(&fst);
        out.extend_from_slice(&(sources.len() as u32).to_le_bytes());
        let mut offset = 0u32;
        for (fingerprint, recorded) in &sources {
            out.extend_from_slice(&fingerprint.to_le_bytes());
            out.extend_from_slice(&offset.to_le_bytes());
            out.extend_from_slice(&(recorded.len() as u32).to_le_bytes());
            offset += recorded.len() as u32;
        }
        for (_, recorded) in &sources {
            out.extend_from_slice(recorded);
        }
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }
}

fn put(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x40 {
        out.push((n & 0x3f) as u8);
        n >>= 6;
    }
    out.push(0x40 | n as u8);
}

/// Reads a number [`put`] wrote from the front of `bytes`; `None` when there is none.
fn take(bytes: &mut &[u8]) -> Option<u32> {
    let mut n: u64 = 0;
    for (i, &b) in bytes.iter().enumerate().take(6) {
        if b >= 0x80 {
            return None;
        }
        n |= u64::from(b & 0x3f) << (6 * i);
        if b >= 0x40 {
            *bytes = &bytes[i + 1..];
            return u32::try_from(n).ok();
        }
    }
    None
}

/// The recorded tokens of an article's English source texts, read in place.
#[derive(Debug, Default)]
pub(crate) struct SourceTerms<'a> {
    /// The title's, then each block's; `None` for a text without a source.
    texts: Vec<Option<TokenSet<'a>>>,
}

/// The numbers of one text's tokens, as recorded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenSet<'a>(&'a [u8]);

impl<'a> SourceTerms<'a> {
    /// Reads what [`Recorder::encode`] wrote for an article of `texts` texts (its title and
    /// blocks); `Err` says what is wrong.
    pub(crate) fn decode(recorded: &'a [u8], texts: usize) -> Result<SourceTerms<'a>, String> {
        let damaged = || "the recorded source tokens are damaged".to_string();
        let mut bytes = recorded;
        let count = take(&mut bytes).ok_or_else(damaged)? as usize;
        if count != texts {
            return Err(format!(
                "source tokens recorded for {count} texts of an article of {texts}"
            ));
        }
        let mut sets = Vec::with_capacity(count);
        for _ in 0..count {
            let len = take(&mut bytes).ok_or_else(damaged)? as usize;
            if len == 0 {
                sets.push(None);
                continue;
            }
            let (set, rest) = bytes.split_at_checked(len - 1).ok_or_else(damaged)?;
            sets.push(Some(TokenSet(set)));
            bytes = rest;
        }
        if !bytes.is_empty() {
            return Err(damaged());
        }
        Ok(SourceTerms { texts: sets })
    }

    /// The tokens of the title's source.
    pub(crate) fn title(&self) -> Option<TokenSet<'a>> {
        self.texts.first().copied().flatten()
    }

    /// The tokens of block `i`'s source.
    pub(crate) fn block(&self, i: usize) -> Option<TokenSet<'a>> {
        self.texts.get(i + 1).copied().flatten()
    }
}

impl<'a> TokenSet<'a> {
    /// The numbers, ascending (damaged bytes end them early).
    pub(crate) fn numbers(self) -> impl Iterator<Item = u32> + 'a {
        let mut bytes = self.0;
        let mut n = 0u32;
        std::iter::from_fn(move || {
            n = n.checked_add(take(&mut bytes)?)?;
            Some(n)
        })
    }
}

/// The file a build wrote: each English source's recorded tokens, and the vocabulary that
/// numbers them.
pub(crate) struct RecordedSources {
    vocabulary: Map<Region>,
    /// Where the table and the recorded tokens are in the file.
    table: std::ops::Range<usize>,
    data: std::ops::Range<usize>,
}

/// A part of the mapped file.
struct Region {
    file: memmap2::Mmap,
    range: std::ops::Range<usize>,
}

impl AsRef<[u8]> for Region {
    fn as_ref(&self) -> &[u8] {
        &self.file[self.range.clone()]
    }
}

/// Bytes of one entry of the table.
const ENTRY: usize = 16;

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

impl RecordedSources {
    /// Maps the file at `path`, checking its CRC-32 unless it is the version the build
    /// recorded as checked.
    pub(crate) fn open(path: &Path) -> Result<RecordedSources, String> {
        let error = |reason: &str| format!("{}: {reason}", path.display());
        let file = std::fs::File::open(path).map_err(|e| error(&e.to_string()))?;
        // Safety: generations are never modified once written (a rebuild writes a new one).
        let mmap = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| error(&e.to_string()))?;
        let body = mmap
            .len()
            .checked_sub(4)
            .ok_or_else(|| error("truncated"))?;
        if !super::verified::is_as_recorded(path) {
            let (checked, crc) = mmap.split_at(body);
            if crc32fast::hash(checked).to_le_bytes() != crc {
                return Err(error("checksum mismatch"));
            }
        }
        let layout = (|| {
            let fst_len = u32_at(&mmap, 0)? as usize;
            let fst = 4..4usize.checked_add(fst_len)?;
            let count = u32_at(&mmap, fst.end)? as usize;
            let table = fst.end + 4..(fst.end + 4).checked_add(count.checked_mul(ENTRY)?)?;
            let data = table.end..body;
            (table.end <= body).then_some((fst, table, data))
        })();
        let (fst, table, data) = layout.ok_or_else(|| error("damaged layout"))?;
        let vocabulary = Map::new(Region {
            file: mmap,
            range: fst,
        })
        .map_err(|e| error(&e.to_string()))?;
        Ok(RecordedSources {
            vocabulary,
            table,
            data,
        })
    }

    fn file(&self) -> &[u8] {
        &self.vocabulary.as_fst().as_inner().file
    }

    /// The number of `token`; `None` when no source holds it.
    pub(crate) fn number(&self, token: &str) -> Option<u32> {
        self.vocabulary
            .get(token)
            .and_then(|n| u32::try_from(n).ok())
    }

    /// The tokens recorded of the source whose fingerprint is `fingerprint`.
    pub(crate) fn recorded(&self, fingerprint: u64) -> Option<&[u8]> {
        let file = self.file();
        let table = file.get(self.table.clone())?;
        let entries = table.len() / ENTRY;
        let (mut low, mut high) = (0, entries);
        while low < high {
            let middle = (low + high) / 2;
            let at = middle * ENTRY;
            match u64_at(table, at)?.cmp(&fingerprint) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => {
                    let offset = u32_at(table, at + 8)? as usize;
                    let len = u32_at(table, at + 12)? as usize;
                    let data = file.get(self.data.clone())?;
                    return data.get(offset..offset.checked_add(len)?);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::seed_article as seed;

    #[test]
    fn numbers_round_trip() {
        for n in [0, 1, 63, 64, 4095, 4096, 262_143, 262_144, u32::MAX] {
            let mut bytes = Vec::new();
            put(&mut bytes, n);
            let mut read = &bytes[..];
            assert_eq!(take(&mut read), Some(n));
            assert!(read.is_empty());
        }
        assert_eq!(take(&mut &b"\x01\x02"[..]), None, "no last group");
        assert_eq!(take(&mut &b"\xc3\xa5"[..]), None, "not ours");
    }

    /// Writes the file of `articles` (fingerprints 1, 2, …) and opens it.
    fn written(articles: &[&Article]) -> (tempfile::TempDir, RecordedSources) {
        let mut recorder = Recorder::default();
        for (i, article) in articles.iter().enumerate().rev() {
            recorder.record(i as u64 + 1, article);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        std::fs::write(&path, recorder.into_file()).unwrap();
        let opened = RecordedSources::open(&path).unwrap();
        (dir, opened)
    }

    #[test]
    fn each_source_s_tokens_come_back_as_the_analyzer_makes_them() {
        let (sv, nl) = (seed("sv-SE"), seed("nl-NL"));
        let (_dir, file) = written(&[&sv, &nl]);
        let numbers_of = |text: &str| -> Vec<u32> {
            let mut numbers: Vec<u32> = ANALYZER
                .0
                .token_texts(ANALYZER.1, text)
                .iter()
                .map(|t| file.number(t).expect("every token is numbered"))
                .collect();
            numbers.sort_unstable();
            numbers.dedup();
            numbers
        };
        for (fingerprint, article) in [(1, &sv), (2, &nl)] {
            let recorded = file.recorded(fingerprint).unwrap();
            let terms = SourceTerms::decode(recorded, 1 + article.blocks.len()).unwrap();
            let mut with_source = 0;
            for (i, text) in article.texts().enumerate() {
                let set = if i == 0 {
                    terms.title()
                } else {
                    terms.block(i - 1)
                };
                match (&text.source, set) {
                    (Some(source), Some(set)) => {
                        assert_eq!(set.numbers().collect::<Vec<_>>(), numbers_of(source));
                        with_source += 1;
                    }
                    (None, None) => {}
                    (source, set) => panic!("text {i}: source {source:?}, recorded {set:?}"),
                }
            }
            assert!(with_source >= 6, "the seed is side by side");
        }
        assert!(file.recorded(0).is_none() && file.recorded(3).is_none());
        assert_eq!(file.number("zzzzz"), None);
    }

    #[test]
    fn damage_is_an_error_never_a_panic() {
        let article = seed("nl-NL");
        let recorded = Recorder::default().encode(&article);
        let texts = 1 + article.blocks.len();
        assert!(SourceTerms::decode(&recorded, texts).is_ok());
        assert!(SourceTerms::decode(&recorded, texts + 1).is_err());
        for cut in 0..recorded.len() {
            assert!(
                SourceTerms::decode(&recorded[..cut], texts).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = recorded.clone();
        longer.push(0x41);
        assert!(SourceTerms::decode(&longer, texts).is_err());
        // Damage inside a text's numbers ends them early, never wraps around.
        let set = TokenSet(&[0x7f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x7f, 0x41]);
        assert!(set.numbers().count() <= 2);
    }

    #[test]
    fn a_damaged_file_is_refused() {
        let article = seed("lv-LV");
        let mut recorder = Recorder::default();
        recorder.record(7, &article);
        let bytes = recorder.into_file();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        for at in [0, 5, bytes.len() / 2, bytes.len() - 10, bytes.len() - 1] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 1;
            std::fs::write(&path, &damaged).unwrap();
            let error = RecordedSources::open(&path).err().unwrap();
            assert!(error.contains("checksum"), "{error}");
        }
        for len in [0, 2, 4, 9] {
            std::fs::write(&path, &bytes[..len]).unwrap();
            assert!(RecordedSources::open(&path).is_err());
        }
        // A layout that does not add up, under a right checksum.
        let mut forged = bytes[..bytes.len() - 4].to_vec();
        forged[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        let crc = crc32fast::hash(&forged);
        forged.extend_from_slice(&crc.to_le_bytes());
        std::fs::write(&path, &forged).unwrap();
        let error = RecordedSources::open(&path).err().unwrap();
        assert!(error.contains("layout"), "{error}");
        std::fs::write(&path, &bytes).unwrap();
        assert!(RecordedSources::open(&path).unwrap().recorded(7).is_some());
    }
}
