//! The journal view (`:journal`): every action attempted from ecsdeck, newest first.

use chrono::{DateTime, Utc};

use super::describe::DescribeTarget;
use super::format::{age, dash};
use super::table::{Cell, Column, Role, TableModel, TableRow};
use super::{Effect, Freshness, RowContext, Selection, View, ViewKind, ViewSpec};
use crate::domain::journal::JournalEntry;
use crate::keymap::{Action, KeyContext};
use crate::store::{Resource, Store};

/// `:journal`: every action attempted from ecsdeck, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal;

impl ViewSpec for Journal {
    fn key_context(&self) -> KeyContext {
        KeyContext::Journal
    }

    fn title(&self, _view: &View) -> String {
        "journal".to_string()
    }

    fn resources(&self, _view: &View) -> Vec<Resource> {
        Vec::new()
    }

    /// Local data: always current, nothing to fetch.
    fn freshness(&self, _view: &View, _store: &Store) -> Freshness {
        Freshness::default()
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        Some(model(ctx.store, ctx.now))
    }

    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        let key = on.key?.to_string();
        match action {
            Action::Open | Action::Describe => Some(Effect::Push(ViewKind::describe(
                DescribeTarget::JournalEntry { key },
            ))),
            _ => None,
        }
    }

    /// An entry has no page of its own in the console (and may be from another region or
    /// account): `c` copies it as one line.
    fn subject(&self, on: &Selection) -> Option<super::Subject> {
        let key = on.key?;
        let entry = on.store.journal.iter().find(|e| entry_key(e) == key)?;
        Some(super::Subject {
            kind: "journal entry",
            name: entry.change.clone(),
            arn: None,
            page: None,
            clip: Some(super::subject::Clip {
                text: format!(
                    "{} {}: {}",
                    entry.time.format("%Y-%m-%dT%H:%M:%SZ"),
                    entry.change,
                    entry.result
                ),
                what: "the journal entry".to_string(),
            }),
        })
    }
}

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
            let role = if e.result.is_done() {
                Role::Success
            } else if e.result.is_refused() {
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
                    Cell::with_role(e.result.to_string(), role),
                ],
                role: Role::Text,
            }
        })
        .collect();
    TableModel::new(columns, rows)
}

/// A journal entry's identity: its time to the nanosecond plus its change.
pub fn entry_key(e: &JournalEntry) -> String {
    format!("{} {}", e.time.to_rfc3339(), e.change)
}
