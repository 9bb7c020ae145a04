//! The index on disk: one tantivy index per locale and one of their English source inside a
//! generation folder, and the `CURRENT` file that names the generation readers open.
//!
//! ```text
//! index/
//!   CURRENT                 "gen-…": swapped atomically (rename) when a build finishes
//!   gen-…/manifest.json     format version, sources, per-locale counts
//!   gen-…/<LOCALE>/         a tantivy index
//!   gen-…/english-source/   a tantivy index: each distinct English source once, and the
//!                           tokens recorded of each (`source-terms`)
//!   gen-…/lexicon           every locale's terms, for language detection
//!   .building-…/            a build in progress (removed by the next build if abandoned)
//! ```

mod build;
pub(crate) mod lexicon;
mod live;
mod schema;
pub(crate) mod source_terms;
pub(crate) mod store;
pub(crate) mod stored;
mod verified;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::columnar::ColumnIndex;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Index, IndexReader, ReloadPolicy, Searcher, Term};

use store::StoredDocs;

use crate::error::{Error, Result};
use crate::language::Locale;
use crate::source::Source;

pub use build::{build_index, BuildObserver, BuildSummary};
#[cfg(test)]
pub(crate) use lexicon::bit as locale_bit;
pub(crate) use lexicon::TermLocales;
pub use live::LiveIndex;
pub(crate) use schema::{EnglishFields, Fields};

/// The on-disk format this helpsearch writes and reads. Bump it when the schema, the
/// analyzers, the stored article form (`src/index/stored.rs`) or the lexicon change.
pub const FORMAT_VERSION: u32 = 18;

const CURRENT: &str = "CURRENT";
/// The English index's folder in a generation (not a locale code, so never a locale's).
const ENGLISH_DIR: &str = "english-source";
const MANIFEST: &str = "manifest.json";

/// What an index records about itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT_VERSION`] of the helpsearch that wrote it.
    pub format_version: u32,
    /// The helpsearch version that wrote it.
    pub helpsearch_version: String,
    /// When it was built (seconds since the Unix epoch).
    pub built_at: u64,
    /// What it was built from (to rebuild it).
    pub sources: Vec<Source>,
    /// Articles per locale.
    pub locales: BTreeMap<Locale, usize>,
    /// CRC-32 of the lexicon file (absent in indexes built before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lexicon_crc32: Option<u32>,
}

/// The command line that rebuilds the index at `root` from `sources`.
pub fn rebuild_command(root: &Path, sources: &[Source]) -> String {
    let mut cmd = format!("helpsearch index --index {}", root.display());
    for s in sources {
        if let Source::Path(p) = s {
            cmd.push(' ');
            cmd.push_str(&p.display().to_string());
        }
    }
    cmd
}

/// Stored blocks a locale's store keeps decompressed (tantivy's default).
const LOCALE_STORE_CACHE_BLOCKS: usize = 100;
/// Stored blocks the English index's store keeps decompressed: each of its documents is
/// the source of up to 36 locales' articles, and the hits of any of them decompress it.
const ENGLISH_STORE_CACHE_BLOCKS: usize = 1024;

/// A reader of `index` (never reloaded: a built index does not change) and its stored
/// documents, keeping `store_cache_blocks` blocks decompressed. Documents are read through
/// the [`StoredDocs`], so the reader's own stores keep none.
fn open_reader(
    index: &Index,
    store_cache_blocks: usize,
) -> std::result::Result<(IndexReader, StoredDocs), String> {
    let reader: IndexReader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .doc_store_cache_num_blocks(0)
        .try_into()
        .map_err(|e: tantivy::TantivyError| e.to_string())?;
    let stored = StoredDocs::open(&reader.searcher(), store_cache_blocks)?;
    Ok((reader, stored))
}

/// The indexed fields of `searcher`'s index that hold no term in any of its segments (a
/// locale whose words no folding changes has no exact forms). Searches do not ask tantivy
/// for their terms: for such a field it builds an empty term dictionary, once a process,
/// which was a fifth of a one-query process's work in 10 of the corpus's 36 locales.
fn fields_without_terms(searcher: &Searcher) -> std::result::Result<Vec<Field>, String> {
    let mut with_terms = Vec::new();
    for segment in searcher.segment_readers() {
        let fields = segment.fields_metadata().map_err(|e| e.to_string())?;
        with_terms.extend(
            (fields.into_iter())
                .filter(|f| f.postings_size.is_some_and(|size| size.get_bytes() > 0))
                .map(|f| f.field_name),
        );
    }
    let schema = searcher.schema();
    Ok((schema.fields())
        .filter(|(_, entry)| entry.is_indexed() && !with_terms.iter().any(|n| n == entry.name()))
        .map(|(field, _)| field)
        .collect())
}

/// One locale's tantivy index, opened.
pub(crate) struct LocaleIndex {
    pub locale: Locale,
    pub reader: IndexReader,
    /// Its stored documents (the reader's segments').
    pub stored: StoredDocs,
    pub fields: Fields,
    /// Its fields that hold no term ([`fields_without_terms`]).
    pub without_terms: Vec<Field>,
    /// Its documents by English index document, made on first use.
    from_english: OnceLock<std::result::Result<EnglishMap, String>>,
}

impl LocaleIndex {
    fn open(dir: &Path, locale: Locale) -> std::result::Result<LocaleIndex, String> {
        let mut index = Index::open_in_dir(dir).map_err(|e| e.to_string())?;
        verified::check(dir, &index)?;
        schema::register_analyzers(&mut index, locale);
        let fields = Fields::of(&index.schema()).ok_or_else(|| "unexpected schema".to_string())?;
        let (reader, stored) = open_reader(&index, LOCALE_STORE_CACHE_BLOCKS)?;
        Ok(LocaleIndex {
            locale,
            without_terms: fields_without_terms(&reader.searcher())?,
            reader,
            stored,
            fields,
            from_english: OnceLock::new(),
        })
    }

    /// The document of the article `slug`, if the locale has it.
    pub(crate) fn address_of(&self, slug: &str) -> tantivy::Result<Option<DocAddress>> {
        let slug = Term::from_field_text(self.fields.slug, slug);
        let query = TermQuery::new(slug, IndexRecordOption::Basic);
        let top =
            (self.reader.searcher()).search(&query, &TopDocs::with_limit(1).order_by_score())?;
        Ok(top.first().map(|(_, address)| *address))
    }

    /// Which of this locale's documents each document of `english` is the source of.
    pub(crate) fn english_map(
        &self,
        english: &EnglishIndex,
    ) -> std::result::Result<&EnglishMap, String> {
        self.from_english
            .get_or_init(|| EnglishMap::new(&english.reader.searcher(), &self.reader.searcher()))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// The English source of every locale's articles, indexed once, opened.
pub(crate) struct EnglishIndex {
    pub reader: IndexReader,
    /// Its stored documents (the reader's segments').
    pub stored: StoredDocs,
    pub fields: EnglishFields,
    /// Its fields that hold no term ([`fields_without_terms`]).
    pub without_terms: Vec<Field>,
    dir: PathBuf,
    /// The tokens recorded of its sources, opened on first use.
    recorded: OnceLock<std::result::Result<source_terms::RecordedSources, String>>,
}

impl EnglishIndex {
    fn open(dir: &Path) -> std::result::Result<EnglishIndex, String> {
        let mut index = Index::open_in_dir(dir).map_err(|e| e.to_string())?;
        verified::check(dir, &index)?;
        schema::register_english_analyzer(&mut index);
        let fields =
            EnglishFields::of(&index.schema()).ok_or_else(|| "unexpected schema".to_string())?;
        let (reader, stored) = open_reader(&index, ENGLISH_STORE_CACHE_BLOCKS)?;
        Ok(EnglishIndex {
            without_terms: fields_without_terms(&reader.searcher())?,
            reader,
            stored,
            fields,
            dir: dir.to_path_buf(),
            recorded: OnceLock::new(),
        })
    }

    /// The tokens recorded of its sources.
    fn recorded(&self) -> std::result::Result<&source_terms::RecordedSources, String> {
        self.recorded
            .get_or_init(|| source_terms::RecordedSources::open(&self.dir.join(source_terms::FILE)))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// A locale's documents by the English index document that holds their source, and the
/// other way round: each locale document names its English one by number
/// ([`Fields::english`]).
pub(crate) struct EnglishMap {
    /// By English segment and document, the locale's document.
    local: Vec<Vec<Option<DocAddress>>>,
    /// By the locale's segment and document, the English document.
    english: Vec<Vec<Option<DocAddress>>>,
    /// How many of the locale's documents have an English source.
    pub translated: u64,
}

impl EnglishMap {
    fn new(english: &Searcher, local: &Searcher) -> std::result::Result<EnglishMap, String> {
        // The build writes the English index as one segment (or none, with no sources).
        let english_docs = match english.segment_readers() {
            [] => 0,
            [segment] => segment.max_doc(),
            more => return Err(format!("{} English segments, one expected", more.len())),
        };
        let mut by_english = vec![None; english_docs as usize];
        let mut by_local = Vec::with_capacity(local.segment_readers().len());
        let mut translated = 0;
        for (ord, segment) in local.segment_readers().iter().enumerate() {
            let column = (segment.fast_fields().u64("english"))
                .map_err(|e| format!("no english column: {e}"))?;
            if segment.max_doc() > 0 && !matches!(column.index, ColumnIndex::Full) {
                return Err("a document without an english value".into());
            }
            let mut numbers = vec![0; segment.max_doc() as usize];
            column.values.get_range(0, &mut numbers);
            let mut of_segment = vec![None; numbers.len()];
            for doc in segment.doc_ids_alive() {
                let Some(number) = numbers[doc as usize].checked_sub(1) else {
                    continue;
                };
                if number >= u64::from(english_docs) {
                    return Err(format!(
                        "document {doc} names English document {number} of {english_docs}"
                    ));
                }
                of_segment[doc as usize] = Some(DocAddress::new(0, number as DocId));
                by_english[number as usize] = Some(DocAddress::new(ord as u32, doc));
                translated += 1;
            }
            by_local.push(of_segment);
        }
        Ok(EnglishMap {
            translated,
            local: vec![by_english],
            english: by_local,
        })
    }

    /// The locale's document whose source is `doc` of the English index's segment `segment`.
    pub fn local(&self, segment: usize, doc: DocId) -> Option<DocAddress> {
        self.local
            .get(segment)?
            .get(doc as usize)
            .copied()
            .flatten()
    }

    /// The English index's document holding the source of the locale's document `local`.
    pub fn english(&self, local: DocAddress) -> Option<DocAddress> {
        self.english
            .get(local.segment_ord as usize)?
            .get(local.doc_id as usize)
            .copied()
            .flatten()
    }
}

/// An opened index: every locale's articles, searchable. Locale indexes open on first use,
/// so a search in one language touches only that language's files.
///
/// `HelpIndex` is `Send + Sync`: share one between threads (e.g. in an `Arc`).
///
/// ```
/// use std::sync::Arc;
/// use helpsearch::{build_index, HelpIndex, SearchRequest, Source};
///
/// let dir = tempfile::tempdir()?;
/// build_index(dir.path(), &[Source::BuiltinSeeds], &())?;
/// let index = Arc::new(HelpIndex::open(dir.path())?);
/// assert_eq!(index.languages().count(), 5);
///
/// let shared = Arc::clone(&index);
/// let hits = std::thread::spawn(move || {
///     let lv = "lv".parse().unwrap();
///     shared.search(&SearchRequest::new("slēgt kontu").lang(lv).limit(1))
/// })
/// .join()
/// .unwrap()?
/// .hits;
/// let article = index.article(hits[0].locale, &hits[0].slug)?;
/// assert_eq!(article.title.text, "Kā slēgt kontu");
/// assert_eq!(article.steps().count(), 5);
/// assert_eq!(article.title.source.as_deref(), Some("How to close your account"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct HelpIndex {
    root: PathBuf,
    generation: PathBuf,
    manifest: Manifest,
    locales: BTreeMap<Locale, OnceLock<std::result::Result<LocaleIndex, String>>>,
    lexicon: OnceLock<std::result::Result<lexicon::Lexicon, String>>,
    english: OnceLock<std::result::Result<EnglishIndex, String>>,
}

impl std::fmt::Debug for HelpIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HelpIndex")
            .field("generation", &self.generation)
            .field("locales", &self.manifest.locales)
            .finish()
    }
}

impl HelpIndex {
    /// Opens the index at `root` (a folder holding `CURRENT`).
    pub fn open(root: impl AsRef<Path>) -> Result<HelpIndex> {
        let root = root.as_ref().to_path_buf();
        let current = match std::fs::read_to_string(root.join(CURRENT)) {
            Ok(s) => s.trim().to_string(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NoIndex(root)),
            Err(e) => {
                return Err(Error::Io {
                    context: format!("reading {}", root.join(CURRENT).display()),
                    source: e,
                })
            }
        };
        let corrupt = |reason: String| Error::Corrupt {
            path: root.clone(),
            reason,
            rebuild: rebuild_command(&root, &[]) + " SOURCE...",
        };
        if current.is_empty() || current.contains(['/', '\\']) || current.starts_with('.') {
            return Err(corrupt(format!("{CURRENT} names no generation")));
        }
        let generation = root.join(&current);
        let manifest_path = generation.join(MANIFEST);
        let text = std::fs::read_to_string(&manifest_path)
            .map_err(|e| corrupt(format!("cannot read {}: {e}", manifest_path.display())))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| corrupt(format!("{}: {e}", manifest_path.display())))?;
        let found = value
            .get("format_version")
            .and_then(|v| v.as_u64())
            .unwrap_or(0) as u32;
        if found != FORMAT_VERSION {
            let sources: Vec<Source> = value
                .get("sources")
                .and_then(|s| serde_json::from_value(s.clone()).ok())
                .unwrap_or_default();
            return Err(Error::FormatVersion {
                rebuild: rebuild_command(&root, &sources),
                sources,
                path: root,
                found,
                expected: FORMAT_VERSION,
            });
        }
        let manifest: Manifest = serde_json::from_value(value)
            .map_err(|e| corrupt(format!("{}: {e}", manifest_path.display())))?;
        let locales = manifest
            .locales
            .keys()
            .map(|l| (*l, OnceLock::new()))
            .collect();
        Ok(HelpIndex {
            root,
            generation,
            manifest,
            locales,
            lexicon: OnceLock::new(),
            english: OnceLock::new(),
        })
    }

    /// The index's location.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What the index records about itself.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The indexed locales with their article counts.
    pub fn languages(&self) -> impl Iterator<Item = (Locale, usize)> + '_ {
        self.manifest.locales.iter().map(|(l, n)| (*l, *n))
    }

    /// The sources recorded at build time reading this index's generation.
    pub fn sources(&self) -> &[Source] {
        &self.manifest.sources
    }

    /// The name of the generation this index reads (`gen-…`).
    pub fn generation_name(&self) -> &str {
        self.generation
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
    }

    /// Opens every locale now rather than on first use (servers do, so that a generation
    /// replaced by a rebuild stays fully usable for the requests still on it).
    pub fn open_all(&self) -> Result<()> {
        let english = self.english()?;
        for locale in self.locales.keys() {
            let li = self.locale(*locale)?;
            li.english_map(english)
                .map_err(|reason| self.corrupt(*locale, reason))?;
        }
        self.lexicon()?;
        Ok(())
    }

    /// Whether `locale` has articles here.
    pub fn has_locale(&self, locale: Locale) -> bool {
        self.locales.contains_key(&locale)
    }

    /// The lexicon of every locale's terms (for language detection).
    pub(crate) fn lexicon(&self) -> Result<&lexicon::Lexicon> {
        self.lexicon
            .get_or_init(|| {
                lexicon::Lexicon::open(
                    &self.generation.join(lexicon::LEXICON),
                    self.manifest.lexicon_crc32,
                )
            })
            .as_ref()
            .map_err(|reason| Error::Corrupt {
                path: self.root.clone(),
                reason: reason.clone(),
                rebuild: rebuild_command(&self.root, &self.manifest.sources),
            })
    }

    /// The opened index of `locale`.
    pub(crate) fn locale(&self, locale: Locale) -> Result<&LocaleIndex> {
        let cell = self
            .locales
            .get(&locale)
            .ok_or_else(|| Error::LocaleNotIndexed(locale.code().to_string()))?;
        cell.get_or_init(|| LocaleIndex::open(&self.generation.join(locale.code()), locale))
            .as_ref()
            .map_err(|reason| self.corrupt(locale, reason.clone()))
    }

    /// The opened English index.
    pub(crate) fn english(&self) -> Result<&EnglishIndex> {
        self.english
            .get_or_init(|| EnglishIndex::open(&self.generation.join(ENGLISH_DIR)))
            .as_ref()
            .map_err(|reason| self.corrupt(ENGLISH_DIR, reason.clone()))
    }

    /// The tokens recorded of the English sources.
    pub(crate) fn recorded_sources(&self) -> Result<&source_terms::RecordedSources> {
        self.english()?
            .recorded()
            .map_err(|reason| self.corrupt_english(reason))
    }

    /// The error for damage to the English index.
    pub(crate) fn corrupt_english(&self, reason: String) -> Error {
        self.corrupt(ENGLISH_DIR, reason)
    }

    /// The error for a damaged part (a locale's index, the English one) of the index.
    pub(crate) fn corrupt(&self, part: impl std::fmt::Display, reason: String) -> Error {
        Error::Corrupt {
            path: self.root.clone(),
            reason: format!("{part}: {reason}"),
            rebuild: rebuild_command(&self.root, &self.manifest.sources),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_opened_index_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<HelpIndex>();
        shareable::<LiveIndex>();
    }

    #[test]
    fn each_english_source_is_indexed_and_stored_once_and_maps_to_its_translations() {
        english_sources_map_to_their_translations(&[Source::BuiltinSeeds]);
        // Two locales that share some sources and not others, in another order than their
        // articles': the English index numbers each source where it is first met.
        let corpus = tempfile::tempdir().unwrap();
        let article = |locale: &str, slug: &str, local: &str, english: &str| {
            let sxs = |id: &str, local: &str, english: &str| {
                format!(
                    "<span data-ttu-id=\"{id}\">{local}</span><span class=\"sxs-lookup\">\
                     <span data-stu-id=\"{id}\">{english}</span></span>"
                )
            };
            let text = format!(
                "---\ntitle: {local}\nms.contentlocale: {locale}\n---\n# {}\n\n1. {}\n",
                sxs("t", local, english),
                sxs(
                    "s",
                    &format!("{local}, steg ett"),
                    &format!("{english}, step one")
                ),
            );
            let folder = corpus.path().join(locale);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join(format!("{slug}.md")), text).unwrap();
        };
        article("sv-SE", "apples", "Äpplen", "Apples");
        article("sv-SE", "pears", "Päron", "Pears");
        article("sv-SE", "plums", "Plommon", "Plums");
        article("nl-NL", "pears", "Peren", "Pears");
        article("nl-NL", "plums", "Pruimen", "Plums");
        article("nl-NL", "quinces", "Kweeperen", "Quinces");
        english_sources_map_to_their_translations(&[Source::Path(corpus.path().into())]);
    }

    /// Builds an index of `sources`, all of whose articles have an English source, and
    /// checks that each source is indexed once and that the locales' documents and the
    /// English ones name each other.
    fn english_sources_map_to_their_translations(sources: &[Source]) {
        let dir = tempfile::tempdir().unwrap();
        build_index(dir.path(), sources, &()).unwrap();
        let index = HelpIndex::open(dir.path()).unwrap();
        let (files, _) = crate::source::discover(sources).unwrap();
        let mut sources: Vec<u64> = files
            .iter()
            .filter_map(|f| f.read().unwrap().0.article.source_fingerprint())
            .collect();
        sources.sort();
        sources.dedup();
        let english = index.english().unwrap();
        let english_searcher = english.reader.searcher();
        assert_eq!(english_searcher.num_docs(), sources.len() as u64);
        assert!(sources.len() < files.len(), "articles share a source");
        for (locale, articles) in index.languages() {
            let li = index.locale(locale).unwrap();
            let map = li.english_map(english).unwrap();
            assert_eq!(map.translated, articles as u64, "{locale}");
            // Every locale document is the translation of exactly one English document.
            let mut found: Vec<DocAddress> = (0..english_searcher.num_docs() as DocId)
                .filter_map(|doc| map.local(0, doc))
                .collect();
            found.sort();
            let all: Vec<DocAddress> = (0..articles as DocId)
                .map(|doc| DocAddress::new(0, doc))
                .collect();
            assert_eq!(found, all, "{locale}");
            // And back: each locale document names its English document.
            for doc in 0..english_searcher.num_docs() as DocId {
                let english_doc = DocAddress::new(0, doc);
                if let Some(local) = map.local(0, doc) {
                    assert_eq!(map.english(local), Some(english_doc), "{locale}");
                }
            }
        }
        // Each article's English document holds its source.
        let english_sources = (english_searcher.segment_reader(0).fast_fields())
            .u64("source")
            .unwrap();
        for file in &files {
            let parsed = file.read().unwrap().0.article;
            let li = index.locale(parsed.locale).unwrap();
            let local = li.address_of(&parsed.slug).unwrap().unwrap();
            let map = li.english_map(english).unwrap();
            let english_doc = map.english(local).unwrap();
            assert_eq!(
                english_sources.first(english_doc.doc_id),
                parsed.source_fingerprint(),
                "{}",
                file.path.display()
            );
        }
        // Stored without its source, an article comes back whole: the source is joined
        // from the English index.
        for file in &files {
            let parsed = file.read().unwrap().0.article;
            let stored = index.article(parsed.locale, &parsed.slug).unwrap();
            assert!(parsed.has_source());
            assert_eq!(stored, parsed, "{}", file.path.display());
        }
    }

    #[test]
    fn fields_without_terms_are_known_and_searches_still_answer() {
        // Words no folding changes: no exact forms, no bare ones.
        let corpus = tempfile::tempdir().unwrap();
        let folder = corpus.path().join("sv-SE");
        std::fs::create_dir_all(&folder).unwrap();
        let text = "---\ntitle: Konto och data\n---\n# Konto och data\n\nDu har ett konto.\n\n1. Logga in.\n";
        std::fs::write(folder.join("konto.md"), text).unwrap();
        let dir = tempfile::tempdir().unwrap();
        build_index(dir.path(), &[Source::Path(corpus.path().into())], &()).unwrap();
        let index = HelpIndex::open(dir.path()).unwrap();
        let sv: Locale = "sv-SE".parse().unwrap();
        let li = index.locale(sv).unwrap();
        let fields = li.fields;
        assert!(li.without_terms.contains(&fields.exact));
        assert!(li.without_terms.contains(&fields.bare));
        for field in [fields.title, fields.steps, fields.body] {
            assert!(!li.without_terms.contains(&field), "{field:?}");
        }
        // Typed bare, a word is looked for among the bare forms, which are not there.
        for query in ["konto", "kontö", "logga"] {
            let request = crate::SearchRequest::new(query).lang(sv);
            let hits = index.search(&request).unwrap().hits;
            assert_eq!(hits.len(), 1, "{query}");
        }
    }

    #[test]
    fn rebuild_command_names_the_location_and_sources() {
        let cmd = rebuild_command(
            Path::new("/srv/idx"),
            &[Source::Path("/docs".into()), Source::BuiltinSeeds],
        );
        assert_eq!(cmd, "helpsearch index --index /srv/idx /docs");
    }
}
