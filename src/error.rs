//! The library's errors.

use std::path::PathBuf;

use crate::language::UnknownLocale;

/// Everything that can go wrong in helpsearch, with what and where.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A source given to the indexer cannot be read.
    #[error("cannot read source {path}: {reason}")]
    Source {
        /// The source path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// No index at the location.
    #[error("no index at {0} (build one with: helpsearch index --index {0} SOURCE...)")]
    NoIndex(PathBuf),
    /// The index was written by another format version of helpsearch.
    #[error("the index at {path} has format version {found}, this helpsearch reads version {expected}; rebuild it with: {rebuild}")]
    FormatVersion {
        /// The index location.
        path: PathBuf,
        /// The version found.
        found: u32,
        /// The version this build reads.
        expected: u32,
        /// The command that rebuilds it.
        rebuild: String,
        /// The sources it was built from.
        sources: Vec<crate::source::Source>,
    },
    /// The index is damaged.
    #[error("the index at {path} is damaged ({reason}); rebuild it with: {rebuild}")]
    Corrupt {
        /// The index location.
        path: PathBuf,
        /// What is wrong.
        reason: String,
        /// The command that rebuilds it.
        rebuild: String,
    },
    /// Another build holds the index's lock.
    #[error("another helpsearch build is writing the index at {0}")]
    Locked(PathBuf),
    /// The query cannot be searched.
    #[error("bad query: {0}")]
    BadQuery(String),
    /// An unknown language was asked for.
    #[error(transparent)]
    UnknownLocale(#[from] UnknownLocale),
    /// The language is known but not in this index.
    #[error("the index has no articles in {0}")]
    LocaleNotIndexed(String),
    /// No such article.
    #[error("no article {slug} in {locale}")]
    NoArticle {
        /// The locale asked for.
        locale: String,
        /// The slug asked for.
        slug: String,
    },
    /// A file-system operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Attaches what was being done to an I/O error.
pub(crate) trait IoContext<T> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| Error::Io {
            context: context(),
            source,
        })
    }
}
