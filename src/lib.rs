//! helpsearch: offline, embeddable, multilingual full-text search for localized help articles.

#![warn(missing_docs)]

pub mod article;
pub mod language;
