//! The journal: every attempted action, appended as one JSON line to
//! `$XDG_STATE_HOME/ecsdeck/journal.jsonl`, so what was done during an incident can be read
//! back (`:journal`) and pasted into the postmortem.

use std::io::Write;
use std::path::{Path, PathBuf};

pub use crate::domain::journal::JournalEntry;

pub fn default_path() -> Option<PathBuf> {
    crate::config::state_dir().map(|d| d.join("journal.jsonl"))
}

/// Appends one line. Errors are returned, not hidden: a journal that silently stops
/// recording is worse than one that says it cannot write.
pub fn append(path: &Path, entry: &JournalEntry) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let line = serde_json::to_string(entry).map_err(|e| format!("cannot encode entry: {e}"))?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    writeln!(file, "{line}").map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Reads the journal, newest first. Lines that do not parse (a torn write, a hand edit) are
/// skipped rather than hiding every other entry.
pub fn read(path: &Path) -> Vec<JournalEntry> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let mut entries: Vec<JournalEntry> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    entries.reverse();
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::journal::ActionResult;
    use chrono::{DateTime, Utc};

    #[test]
    fn entries_round_trip_newest_first() {
        let dir = std::env::temp_dir().join(format!("ecsdeck-journal-{}", std::process::id()));
        let path = dir.join("journal.jsonl");
        let _ = std::fs::remove_file(&path);
        let entry = |n: i64, result: &str| JournalEntry {
            time: DateTime::<Utc>::from_timestamp(1_700_000_000 + n, 0).unwrap_or_default(),
            profile: Some("prod".into()),
            region: "eu-west-1".into(),
            account: Some("123456789012".into()),
            cluster: "payments".into(),
            target: "api".into(),
            change: format!("payments/api desired {n} → {}", n + 1),
            result: match result {
                "ok" => ActionResult::Done,
                other => ActionResult::Recorded(other.into()),
            },
        };
        assert_eq!(append(&path, &entry(1, "ok")), Ok(()));
        assert_eq!(append(&path, &entry(2, "AccessDenied")), Ok(()));
        // A torn line does not hide the others.
        let _ = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| writeln!(f, "{{\"time\": broken"));
        let read_back = read(&path);
        assert_eq!(read_back, vec![entry(2, "AccessDenied"), entry(1, "ok")]);
        let raw = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(raw.lines().count(), 3);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
