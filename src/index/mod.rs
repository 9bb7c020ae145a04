//! The index on disk: one tantivy index per locale inside a generation folder, and the
//! `CURRENT` file that names the generation readers open.
//!
//! ```text
//! index/
//!   CURRENT                 "gen-…": swapped atomically (rename) when a build finishes
//!   gen-…/manifest.json     format version, sources, per-locale counts
//!   gen-…/<LOCALE>/         a tantivy index
//!   .building-…/            a build in progress (removed by the next build if abandoned)
//! ```

mod build;
mod lexicon;
mod live;
mod schema;
pub(crate) mod stored;
mod verified;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::error::{Error, Result};
use crate::language::Locale;
use crate::source::Source;

pub use build::{build_index, BuildObserver, BuildSummary};
pub(crate) use lexicon::{bit as locale_bit, LocaleSet};
pub use live::LiveIndex;
pub(crate) use schema::Fields;

/// The on-disk format this helpsearch writes and reads. Bump it when the schema, the
/// analyzers or the stored article form (`src/index/stored.rs`) change.
pub const FORMAT_VERSION: u32 = 8;

const CURRENT: &str = "CURRENT";
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

/// One locale's tantivy index, opened.
pub(crate) struct LocaleIndex {
    pub locale: Locale,
    pub reader: IndexReader,
    pub fields: Fields,
}

impl LocaleIndex {
    fn open(dir: &Path, locale: Locale) -> std::result::Result<LocaleIndex, String> {
        let index = Index::open_in_dir(dir).map_err(|e| e.to_string())?;
        verified::check(dir, &index)?;
        schema::register_analyzers(&index, locale);
        let fields = Fields::of(&index.schema()).ok_or_else(|| "unexpected schema".to_string())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| e.to_string())?;
        Ok(LocaleIndex {
            locale,
            reader,
            fields,
        })
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
        for locale in self.locales.keys() {
            self.locale(*locale)?;
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
            .map_err(|reason| Error::Corrupt {
                path: self.root.clone(),
                reason: format!("{locale}: {reason}"),
                rebuild: rebuild_command(&self.root, &self.manifest.sources),
            })
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
    fn rebuild_command_names_the_location_and_sources() {
        let cmd = rebuild_command(
            Path::new("/srv/idx"),
            &[Source::Path("/docs".into()), Source::BuiltinSeeds],
        );
        assert_eq!(cmd, "helpsearch index --index /srv/idx /docs");
    }
}
