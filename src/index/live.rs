//! An index that follows rebuilds: long-running embedders (the HTTP server) hold a
//! [`LiveIndex`] and get the newest generation without restarting.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use super::{HelpIndex, CURRENT};
use crate::error::Result;

/// The current generation of an index location, swapped for the new one after a rebuild.
///
/// Each caller takes an `Arc<HelpIndex>` snapshot for the duration of one request, so a
/// request in flight finishes on the generation it started on while new requests see the
/// new one: every answer comes from one generation, never a mix.
#[derive(Debug)]
pub struct LiveIndex {
    root: PathBuf,
    current: RwLock<(String, Arc<HelpIndex>)>,
}

fn read_current(root: &Path) -> String {
    std::fs::read_to_string(root.join(CURRENT))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

impl LiveIndex {
    /// Opens the index at `root`, every locale at once (so a generation replaced later is
    /// already fully open for the requests still using it).
    pub fn open(root: impl AsRef<Path>) -> Result<LiveIndex> {
        let root = root.as_ref().to_path_buf();
        let name = read_current(&root);
        let index = HelpIndex::open(&root)?;
        index.open_all()?;
        Ok(LiveIndex {
            root,
            current: RwLock::new((name, Arc::new(index))),
        })
    }

    /// The generation to answer a request with.
    pub fn get(&self) -> Arc<HelpIndex> {
        let guard = self.current.read().unwrap_or_else(|e| e.into_inner());
        Arc::clone(&guard.1)
    }

    /// Switches to a newer generation if a build has swapped one in. Returns whether it
    /// switched. A generation that fails to open is not switched to (the error is returned
    /// and the current one keeps answering).
    pub fn refresh(&self) -> Result<bool> {
        let name = read_current(&self.root);
        {
            let guard = self.current.read().unwrap_or_else(|e| e.into_inner());
            if guard.0 == name || name.is_empty() {
                return Ok(false);
            }
        }
        let index = HelpIndex::open(&self.root)?;
        index.open_all()?;
        let mut guard = self.current.write().unwrap_or_else(|e| e.into_inner());
        *guard = (name, Arc::new(index));
        Ok(true)
    }
}
