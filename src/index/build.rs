//! Building an index: read every source file, write a new generation beside the current
//! one, then swap `CURRENT` to it. Until that rename, readers keep the old generation; a
//! build that fails or is killed leaves only a `.building-…` folder that the next build
//! removes.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use tantivy::directory::MmapDirectory;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Index, IndexSettings, TantivyDocument};

use super::schema::{english_analyzers, indexing_analyzers, EnglishFields, Fields};
use super::{lexicon, source_terms, verified};
use super::{Manifest, CURRENT, ENGLISH_DIR, FORMAT_VERSION, MANIFEST};
use crate::article::Article;
use crate::error::{Error, IoContext, Result};
use crate::language::Locale;
use crate::source::{self, Problem, Severity, Source};

/// Hears about a build's progress (the CLI draws a progress bar with it).
pub trait BuildObserver: Sync {
    /// The number of files found, before reading starts.
    fn files_found(&self, _count: usize) {}
    /// One more file read (indexed or skipped).
    fn file_read(&self) {}
    /// Reading is done; writing the index starts.
    fn writing(&self) {}
}

impl BuildObserver for () {}

/// What a build did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BuildSummary {
    /// Articles indexed.
    pub indexed: usize,
    /// Of those, how many had warnings.
    pub with_warnings: usize,
    /// Files not indexed.
    pub skipped: usize,
    /// Articles per locale.
    pub locales: BTreeMap<Locale, usize>,
    /// Every problem, with its file.
    pub problems: Vec<Problem>,
    /// The generation folder written.
    pub generation: PathBuf,
}

/// Threads reading and parsing files, per core.
const READS_PER_CORE: usize = 4;
/// Memory each index writer plans for (it sizes its term table by it).
const WRITER_MEMORY: usize = 64 * 1024 * 1024;
/// Stored articles are compressed in blocks of about this size; 0 makes each article a
/// block of its own. A hit decompresses its whole block: with 4 KiB blocks (three or four
/// articles) that was a tenth of a query's work, with one article 4 %, for 13 MiB more
/// index on the full corpus (116 → 130 MiB).
const DOCSTORE_BLOCK_BYTES: usize = 0;

/// Builds the index at `root` from `sources` and makes it the current one.
///
/// Problems with single files are in the summary; the build fails (leaving the previous
/// index in place) only when a source is missing, nothing could be read, or writing fails.
pub fn build_index(
    root: &Path,
    sources: &[Source],
    observer: &dyn BuildObserver,
) -> Result<BuildSummary> {
    fs::create_dir_all(root).context(|| format!("creating {}", root.display()))?;
    let _lock = lock(root)?;
    remove_abandoned_builds(root);

    let (files, mut problems) = source::discover(sources)?;
    observer.files_found(files.len());
    let read_all = || -> Vec<_> {
        files
            .par_iter()
            .map(|f| {
                let r = f.read();
                observer.file_read();
                r
            })
            .collect()
    };
    // Files are read by more threads than there are cores: when the page cache does not hold
    // them, reads wait on the disk, and the other threads parse meanwhile (a cold build of
    // the full corpus: 17.6 s with one thread a core, 15.3-16.3 s with four).
    let threads = READS_PER_CORE * rayon::current_num_threads();
    let read = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(read_all),
        Err(_) => read_all(),
    };

    let mut summary = BuildSummary {
        // Files the walk itself passed over (symbolic links, unreadable folders).
        skipped: problems
            .iter()
            .filter(|p| p.severity == Severity::Skipped)
            .count(),
        ..BuildSummary::default()
    };
    let mut by_locale: BTreeMap<Locale, Vec<Article>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for (file, result) in files.iter().zip(read) {
        match result {
            Ok((parsed, warnings)) => {
                let key = (parsed.article.locale, parsed.article.slug.clone());
                if !seen.insert(key) {
                    problems.push(Problem {
                        path: file.path.clone(),
                        severity: Severity::Skipped,
                        reason: format!(
                            "duplicate of {} in {}, already indexed from another file",
                            parsed.article.slug, parsed.article.locale
                        ),
                    });
                    summary.skipped += 1;
                    continue;
                }
                summary.indexed += 1;
                if !warnings.is_empty() {
                    summary.with_warnings += 1;
                }
                problems.extend(warnings);
                by_locale
                    .entry(parsed.article.locale)
                    .or_default()
                    .push(parsed.article);
            }
            Err(problem) => {
                summary.skipped += 1;
                problems.push(problem);
            }
        }
    }
    summary.problems = problems;
    if by_locale.is_empty() {
        return Err(Error::Source {
            path: sources
                .iter()
                .find_map(|s| match s {
                    Source::Path(p) => Some(p.clone()),
                    Source::BuiltinSeeds => None,
                })
                .unwrap_or_default(),
            reason: format!(
                "no article could be read ({} skipped); the index was not changed",
                summary.skipped
            ),
        });
    }
    observer.writing();

    let name = generation_name();
    let building = root.join(format!(".building-{name}"));
    fs::create_dir(&building).context(|| format!("creating {}", building.display()))?;
    // The locales largest first, each to the next free thread, then the English index (a
    // small one, 3 % of the writing): the first thread free takes it while the other ends the
    // last locale, so that the build does not end on one core working alone.
    enum Job<'a> {
        Locale(&'a Locale, &'a Vec<Article>),
        English,
    }
    let english = EnglishDocs::number(&by_locale);
    let mut largest_first: Vec<_> = by_locale.iter().collect();
    largest_first.sort_by_cached_key(|(_, articles)| Reverse(text_bytes(articles)));
    let jobs = (largest_first.into_iter())
        .map(|(locale, articles)| Job::Locale(locale, articles))
        .chain([Job::English]);
    let written = jobs
        .par_bridge()
        .map(|job| match job {
            Job::Locale(locale, articles) => {
                let dir = building.join(locale.code());
                let terms = write_locale(&dir, *locale, articles, &english.of_locale[locale])?;
                Ok(Some((*locale, terms)))
            }
            Job::English => write_english(&building.join(ENGLISH_DIR), &english).map(|()| None),
        })
        .collect::<Result<Vec<_>>>()?;
    // In the order the locales finished: the lexicon's merge does not depend on it.
    let terms: Vec<_> = written.into_iter().flatten().collect();
    let lexicon = lexicon::build(&terms);
    drop(terms);
    let lexicon_path = building.join(lexicon::LEXICON);
    write_synced(&lexicon_path, &lexicon)?;
    verified::record_file(&lexicon_path)
        .context(|| format!("recording {}", lexicon_path.display()))?;
    let lexicon_crc32 = crc32fast::hash(&lexicon);
    drop(lexicon);

    summary.locales = by_locale.iter().map(|(l, a)| (*l, a.len())).collect();
    let manifest = Manifest {
        format_version: FORMAT_VERSION,
        helpsearch_version: env!("CARGO_PKG_VERSION").to_string(),
        built_at: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        sources: sources.to_vec(),
        locales: summary.locales.clone(),
        lexicon_crc32: Some(lexicon_crc32),
    };
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest always serializes");
    write_synced(&building.join(MANIFEST), &json)?;
    sync_dir(&building)?;

    let generation = root.join(&name);
    fs::rename(&building, &generation)
        .context(|| format!("moving {} into place", building.display()))?;
    let previous = fs::read_to_string(root.join(CURRENT)).unwrap_or_default();
    swap_current(root, &name)?;
    remove_old_generations(root, &name, previous.trim());
    summary.generation = generation;
    Ok(summary)
}

/// The text of `articles`, in bytes: what indexing them costs, roughly.
fn text_bytes(articles: &[Article]) -> usize {
    articles
        .iter()
        .flat_map(Article::texts)
        .map(|t| t.text.len())
        .sum()
}

/// Writes one locale's tantivy index, each article's document naming its English one
/// (`english`, by article); returns its entries for the lexicon.
fn write_locale(
    dir: &Path,
    locale: Locale,
    articles: &[Article],
    english: &[Option<u32>],
) -> Result<lexicon::SortedTerms> {
    let schema = Fields::schema();
    let fields = Fields::of(&schema).expect("our own schema");
    let documents = (articles.iter().zip(english)).map(|(a, e)| fields.document(a, *e));
    let index = write_index(dir, schema, indexing_analyzers(locale), documents)?;
    lexicon::entries_of(&index, articles)
}

/// The English index's documents, numbered before either index is written: each distinct
/// English source once ([`Article::source_fingerprint`]), in the order first met over the
/// locales' articles. tantivy's single-segment writer numbers documents in the order they
/// are added, so a locale's document can name its English one by number.
struct EnglishDocs<'a> {
    /// The English index's documents in order: each source, and an article of it.
    sources: Vec<(u64, &'a Article)>,
    /// By locale, each article's English document.
    of_locale: BTreeMap<Locale, Vec<Option<u32>>>,
}

impl EnglishDocs<'_> {
    fn number(by_locale: &BTreeMap<Locale, Vec<Article>>) -> EnglishDocs<'_> {
        // Fingerprints hash every source text: on all cores, then numbered in order.
        let fingerprints: Vec<Vec<Option<u64>>> = (by_locale.par_iter())
            .map(|(_, articles)| articles.iter().map(Article::source_fingerprint).collect())
            .collect();
        let mut numbers = rustc_hash::FxHashMap::default();
        let mut sources = Vec::new();
        let of_locale = (by_locale.iter().zip(fingerprints))
            .map(|((locale, articles), fingerprints)| {
                let numbered = (articles.iter().zip(fingerprints))
                    .map(|(article, fingerprint)| {
                        let fingerprint = fingerprint?;
                        Some(*numbers.entry(fingerprint).or_insert_with(|| {
                            sources.push((fingerprint, article));
                            (sources.len() - 1) as u32
                        }))
                    })
                    .collect();
                (*locale, numbered)
            })
            .collect();
        EnglishDocs { sources, of_locale }
    }
}

/// Writes the English index: each distinct English source of the articles once, in the
/// order `english` numbered them, and the tokens recorded of each ([`source_terms`]).
fn write_english(dir: &Path, english: &EnglishDocs) -> Result<()> {
    let schema = EnglishFields::schema();
    let fields = EnglishFields::of(&schema).expect("our own schema");
    let mut recorder = source_terms::Recorder::default();
    let documents = english.sources.iter().map(|&(fingerprint, article)| {
        recorder.record(fingerprint, article);
        fields.document(article, fingerprint)
    });
    write_index(dir, schema, english_analyzers(), documents)?;
    let recorded = dir.join(source_terms::FILE);
    write_synced(&recorded, &recorder.into_file())?;
    verified::record_file(&recorded).context(|| format!("recording {}", recorded.display()))
}

/// Writes an index of `documents` in `dir` as one segment, in the calling thread, and
/// checks and records what was written.
///
/// tantivy's single-segment writer (which wants a new, empty folder: `dir` is made here)
/// indexes in the caller's thread: the build already keeps every core busy with a locale
/// each, and an `IndexWriter` would add an indexing thread per locale, fed through a
/// channel (the handing over cost 6 % of the build's time), and a merge when its memory
/// fills.
fn write_index(
    dir: &Path,
    schema: tantivy::schema::Schema,
    analyzers: TokenizerManager,
    documents: impl Iterator<Item = TantivyDocument>,
) -> Result<Index> {
    fs::create_dir(dir).context(|| format!("creating {}", dir.display()))?;
    let directory = MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
    let mut writer = Index::builder()
        .schema(schema)
        .tokenizers(analyzers)
        .settings(IndexSettings {
            docstore_blocksize: DOCSTORE_BLOCK_BYTES,
            // Nor a thread compressing stored articles: the cores are already busy.
            docstore_compress_dedicated_thread: false,
            ..IndexSettings::default()
        })
        .single_segment_index_writer(directory, WRITER_MEMORY)?;
    for document in documents {
        writer.add_document(document)?;
    }
    let index = writer.finalize()?;
    verified::check_and_record(dir, &index)?;
    Ok(index)
}

/// Holds the build lock of `root` while alive.
struct BuildLock(File);

fn lock(root: &Path) -> Result<BuildLock> {
    let path = root.join(".lock");
    let file = File::create(&path).context(|| format!("creating {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(BuildLock(file)),
        Err(fs::TryLockError::WouldBlock) => Err(Error::Locked(root.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => Err(Error::Io {
            context: format!("locking {}", path.display()),
            source: e,
        }),
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// A name that sorts by build time and is unique between processes.
fn generation_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("gen-{nanos:x}-{:x}", std::process::id())
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let context = || format!("writing {}", path.display());
    let mut file = File::create(path).context(context)?;
    file.write_all(bytes).context(context)?;
    file.sync_all().context(context)
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .context(|| format!("syncing {}", dir.display()))
}

/// Points `CURRENT` at `name` with one atomic rename.
fn swap_current(root: &Path, name: &str) -> Result<()> {
    let tmp = root.join(format!("{CURRENT}.tmp"));
    write_synced(&tmp, name.as_bytes())?;
    fs::rename(&tmp, root.join(CURRENT)).context(|| format!("updating {CURRENT}"))?;
    sync_dir(root)
}

/// Removes builds that a killed or failed process left behind (we hold the lock).
fn remove_abandoned_builds(root: &Path) {
    remove_entries(root, |name| name.starts_with(".building-"));
}

/// Removes generations older than the one just replaced. The replaced one stays for a
/// build's time, so a reader that read `CURRENT` just before the swap can still open it;
/// readers that have a generation open keep reading it even once it is removed (on Unix,
/// open and mapped files outlive their directory entry).
fn remove_old_generations(root: &Path, current: &str, previous: &str) {
    remove_entries(root, |name| {
        name.starts_with("gen-") && name != current && name != previous
    });
}

fn remove_entries(root: &Path, matches: impl Fn(&str) -> bool) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_str().is_some_and(&matches) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}
