//! Printers over search results: plain text for people, JSON for programs. They know
//! nothing of how hits were found.

mod text;

pub use text::{write_article, write_results, TextStyle};

use std::io::{self, Write};

use serde::Serialize;

/// Writes `value` as one line of JSON.
pub fn write_json_line<T: Serialize>(out: &mut impl Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
