//! The journal view (`:journal`): every action attempted from ecsdeck, newest first.

use chrono::{DateTime, Utc};

use crate::journal::JournalEntry;
use crate::store::Store;
use crate::ui::format::{age, dash};
use crate::ui::table::{Cell, Column, Role, TableModel, TableRow};

pub fn model(store: &Store, now: DateTime<Utc>) -> TableModel {
    let columns = vec![
        Column::new("TIME (UTC)", 19, 0),
        Column::new("AGO", 4, 5),
        Column::new("PROFILE", 16, 4),
        Column::new("CLUSTER", 24, 3),
        Column::new("CHANGE", 60, 0),
        Column::new("RESULT", 60, 1),
    ];
    let rows = store
        .journal
        .iter()
        .map(|e| {
            let role = if e.result == "ok" {
                Role::Success
            } else if e.result.starts_with("refused") {
                Role::Warning
            } else {
                Role::Failure
            };
            TableRow {
                key: entry_key(e),
                cells: vec![
                    Cell::new(e.time.format("%Y-%m-%d %H:%M:%S").to_string()),
                    Cell::new(age(e.time, now)),
                    Cell::new(dash(e.profile.as_deref())),
                    Cell::new(&e.cluster),
                    Cell::new(&e.change),
                    Cell::with_role(&e.result, role),
                ],
                role: Role::Text,
            }
        })
        .collect();
    TableModel { columns, rows }
}

/// A journal entry's identity: its time to the nanosecond plus its change.
pub fn entry_key(e: &JournalEntry) -> String {
    format!("{} {}", e.time.to_rfc3339(), e.change)
}
