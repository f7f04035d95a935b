//! A journal entry: one attempted action and how it ended. The file it is written to is the
//! executor's business (`executor::journal`); the entry itself is shared by the store, the
//! executor and the journal view.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::BackendError;

/// One attempted action and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub time: DateTime<Utc>,
    pub profile: Option<String>,
    pub region: String,
    pub account: Option<String>,
    pub cluster: String,
    pub target: String,
    /// The change in words: `payments/api desired 3 → 5`.
    pub change: String,
    /// How it ended. Written to the file as one string: `ok`, `refused: …` or the error.
    pub result: ActionResult,
}

/// How an attempted action ended. Typed, so the status line and the journal view can tell a
/// refusal from a failure without parsing words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionResult {
    /// ECS accepted the change.
    Done,
    /// ecsdeck did not send it: the session is read-only.
    Refused,
    /// AWS refused it, or it could not be sent.
    Failed(BackendError),
    /// Read back from the journal file: the words recorded then.
    Recorded(String),
}

/// What the journal records for a refused action.
pub const READ_ONLY_REFUSAL: &str =
    "refused: ecsdeck is read-only (--read-only or read_only in the config file)";

impl ActionResult {
    pub fn is_done(&self) -> bool {
        matches!(self, ActionResult::Done) || matches!(self, ActionResult::Recorded(r) if r == "ok")
    }

    pub fn is_refused(&self) -> bool {
        matches!(self, ActionResult::Refused)
            || matches!(self, ActionResult::Recorded(r) if r.starts_with("refused"))
    }
}

impl std::fmt::Display for ActionResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActionResult::Done => f.write_str("ok"),
            ActionResult::Refused => f.write_str(READ_ONLY_REFUSAL),
            ActionResult::Failed(e) => {
                write!(f, "{:?} from {}: {}", e.kind, e.operation, e.message)
            }
            ActionResult::Recorded(text) => f.write_str(text),
        }
    }
}

impl Serialize for ActionResult {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ActionResult {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(match text.as_str() {
            "ok" => ActionResult::Done,
            READ_ONLY_REFUSAL => ActionResult::Refused,
            _ => ActionResult::Recorded(text),
        })
    }
}
