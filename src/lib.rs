//! helpsearch: offline, embeddable, multilingual full-text search for localized help
//! articles.
//!
//! Data flows one way: source files ([`source`]) → parsed [`article`]s → documents analyzed
//! per [`language`] → the on-disk [`index`] → ranked hits ([`search`]) → rendering (the
//! binary's printers, or your own over the serializable results).
//!
//! ```
//! use helpsearch::{build_index, HelpIndex, Locale, SearchRequest, Source};
//!
//! let dir = tempfile::tempdir()?;
//! build_index(dir.path(), &[Source::BuiltinSeeds], &())?;
//! let index = HelpIndex::open(dir.path())?;
//!
//! let results = index.search(&SearchRequest::new("stänga konto"))?;
//! assert_eq!(results.lang, Some("sv-SE".parse::<Locale>()?));
//! let top = &results.hits[0];
//! assert_eq!(top.title, "Så stänger du ditt konto");
//!
//! let sv: Locale = "sv".parse()?;
//! let results = index.search(&SearchRequest::new("inaktivera multifaktorautentisering").lang(sv))?;
//! let step = results.hits[0].step.as_ref().unwrap();
//! assert_eq!((step.n, step.text.as_str()), (4, "Inaktivera multifaktorautentisering."));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod article;
pub mod error;
pub mod index;
pub mod language;
pub mod protocol;
pub mod render;
pub mod search;
pub mod serve;
pub mod source;

pub use article::Article;
pub use error::{Error, Result};
pub use index::{build_index, BuildObserver, BuildSummary, HelpIndex, LiveIndex};
pub use language::Locale;
pub use search::{Hit, SearchRequest, SearchResults, Snippet, StepMatch, StepText};
pub use source::{Problem, Severity, Source};
