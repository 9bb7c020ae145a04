//! The JSON-lines batch protocol (`helpsearch --jsonl`, `POST /search` with JSON lines),
//! exactly that of the relevance harness `shared/eval/score`.
//!
//! Each input line is a [`SearchRequest`] with an `id`:
//! `{"id": "sv-SE-001", "query": "stänga konto", "lang": "sv-SE"}`. Each output line is
//! the [`SearchResults`] with the same `id`, or `{"id": …, "error": "…"}` for a line that
//! is not a valid request; the batch goes on either way.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::index::HelpIndex;
use crate::search::{SearchRequest, SearchResults};

/// One input line.
#[derive(Debug, Clone, Deserialize)]
pub struct BatchRequest {
    /// The caller's id, echoed back (any JSON value).
    #[serde(default)]
    pub id: Value,
    /// The request.
    #[serde(flatten)]
    pub request: SearchRequest,
}

/// One output line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BatchAnswer {
    /// The results.
    Results {
        /// The request's id.
        id: Value,
        /// The results.
        #[serde(flatten)]
        results: SearchResults,
    },
    /// Why the line got no results.
    Error {
        /// The request's id, when it could be read.
        id: Value,
        /// What was wrong.
        error: String,
    },
}

impl HelpIndex {
    /// Answers one line of the batch protocol. `None` for a blank line.
    pub fn answer_line(&self, line: &str) -> Option<BatchAnswer> {
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        let batch: BatchRequest = match serde_json::from_str(line) {
            Ok(b) => b,
            Err(e) => {
                let id = serde_json::from_str::<Value>(line)
                    .ok()
                    .and_then(|v| v.get("id").cloned())
                    .unwrap_or(Value::Null);
                return Some(BatchAnswer::Error {
                    id,
                    error: format!("bad request line: {e}"),
                });
            }
        };
        Some(match self.search(&batch.request) {
            Ok(results) => BatchAnswer::Results {
                id: batch.id,
                results,
            },
            Err(e) => BatchAnswer::Error {
                id: batch.id,
                error: e.to_string(),
            },
        })
    }
}
