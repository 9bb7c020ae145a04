//! The files a build wrote and checked, recorded so that opening the index need not read
//! every byte again while the files are as written.
//!
//! Every segment file carries a checksum, and damage inside a file (a flipped byte) does not
//! fail to open: it panics deep in a search or quietly answers wrong. Checking the checksums
//! means reading the whole locale, about a millisecond and a half for a CLI query on the
//! full corpus; a file changed since the build (truncated, rewritten, copied) has another
//! length or modification time, and only then is it read whole.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use tantivy::Index;

/// The record, in each locale folder.
const VERIFIED: &str = "verified.json";

/// What identifies the version of a file that was checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FileVersion {
    len: u64,
    modified_ns: u128,
}

fn version_of(meta: &fs::Metadata) -> std::io::Result<FileVersion> {
    let modified_ns = meta
        .modified()?
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    Ok(FileVersion {
        len: meta.len(),
        modified_ns,
    })
}

/// Where the record of a single checked file is kept.
fn record_path(file: &Path) -> std::path::PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".verified");
    name.into()
}

/// Records `file` (whose checksum the caller just wrote) as checked.
pub(crate) fn record_file(file: &Path) -> std::io::Result<()> {
    let version = version_of(&fs::metadata(file)?)?;
    let json = serde_json::to_vec(&version).expect("a record always serializes");
    fs::write(record_path(file), json)
}

/// Whether `file` is still the version [`record_file`] recorded.
pub(crate) fn is_as_recorded(file: &Path) -> bool {
    let recorded: Option<FileVersion> = fs::read(record_path(file))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let now = fs::metadata(file).and_then(|m| version_of(&m)).ok();
    recorded.is_some() && recorded == now
}

fn versions(dir: &Path) -> std::io::Result<BTreeMap<String, FileVersion>> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Lock files change with every writer; the record does not describe itself.
        if name.starts_with(".tantivy") || name == VERIFIED || !entry.file_type()?.is_file() {
            continue;
        }
        out.insert(name, version_of(&entry.metadata()?)?);
    }
    Ok(out)
}

/// The files whose checksums do not match, sorted.
fn damaged_files(index: &Index) -> Result<Vec<String>, String> {
    let mut damaged: Vec<String> = index
        .validate_checksum()
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|p| p.display().to_string())
        .collect();
    damaged.sort();
    Ok(damaged)
}

fn damage_report(damaged: &[String]) -> String {
    format!("damaged files (checksum mismatch): {}", damaged.join(", "))
}

/// Checks the just-written index in `dir` and records its files.
pub(crate) fn check_and_record(dir: &Path, index: &Index) -> crate::Result<()> {
    use crate::error::IoContext;
    let corrupt = |reason| crate::Error::Corrupt {
        path: dir.to_path_buf(),
        reason,
        rebuild: "helpsearch index".into(),
    };
    let damaged = damaged_files(index).map_err(corrupt)?;
    if !damaged.is_empty() {
        return Err(corrupt(format!(
            "just written, {}",
            damage_report(&damaged)
        )));
    }
    let context = || format!("recording {}", dir.join(VERIFIED).display());
    let record = versions(dir).context(context)?;
    let json = serde_json::to_vec(&record).expect("a record always serializes");
    fs::write(dir.join(VERIFIED), json).context(context)
}

/// Checks the index in `dir` unless its files are as the build recorded them.
pub(crate) fn check(dir: &Path, index: &Index) -> Result<(), String> {
    let recorded: Option<BTreeMap<String, FileVersion>> = fs::read(dir.join(VERIFIED))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    if let (Some(recorded), Ok(now)) = (recorded, versions(dir)) {
        if recorded.iter().all(|(name, v)| now.get(name) == Some(v)) {
            return Ok(());
        }
    }
    let damaged = damaged_files(index)?;
    if damaged.is_empty() {
        Ok(())
    } else {
        Err(damage_report(&damaged))
    }
}
