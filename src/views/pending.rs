//! `:pending`: the changes sent from ecsdeck and not yet observed — what is in flight right
//! now, where, and for how long. The same entries mark their rows in the services and tasks
//! lists (`⟳ scaling → 5`); here they are all in one place, across clusters.

use super::format::age_cell;
use super::table::{Cell, Column, Role, TableModel, TableRow};
use super::{Freshness, RowContext, Selection, Subject, View, ViewSpec};
use crate::domain::ecs::arn_tail;
use crate::domain::pending::PendingState;
use crate::keymap::KeyContext;
use crate::store::{Resource, Store};

/// Every change in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending;

impl ViewSpec for Pending {
    fn key_context(&self) -> KeyContext {
        KeyContext::List
    }

    fn title(&self, _view: &View) -> String {
        "pending changes".to_string()
    }

    /// Local data: the changes are watched by the views of their rows.
    fn resources(&self, _view: &View) -> Vec<Resource> {
        Vec::new()
    }

    fn freshness(&self, _view: &View, _store: &Store) -> Freshness {
        Freshness::default()
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        let columns = vec![
            Column::new("CLUSTER", 24, 1),
            Column::new("TARGET", 40, 0),
            Column::new("CHANGE", 40, 0),
            Column::new("STATE", 24, 0),
            Column::new("SINCE", 6, 2),
        ];
        let rows = ctx
            .pending
            .iter()
            .map(|p| {
                let (state, role) = match p.state {
                    PendingState::Sending(_) => ("sending to AWS", Role::Warning),
                    PendingState::Watching(_) => ("accepted, not seen yet", Role::Info),
                };
                TableRow {
                    // `id:cluster/target`: cluster names hold no `/`, so the target (what
                    // `O` and `c` act on) is read back from the key.
                    key: format!("{}:{}/{}", p.id, p.cluster, p.key),
                    cells: vec![
                        Cell::new(&p.cluster),
                        Cell::new(arn_tail(&p.key)),
                        Cell::new(&p.label),
                        Cell::with_role(state, role),
                        age_cell(Some(p.since), ctx.now),
                    ],
                    role: Role::Text,
                }
            })
            .collect();
        Some(TableModel::new(columns, rows))
    }

    fn empty_text(&self, _view: &View) -> &'static str {
        " nothing in flight: every change sent from ecsdeck has been observed"
    }

    /// The service or task the change acts on (row keys are `id:target`).
    fn subject(&self, on: &Selection) -> Option<Subject> {
        let (_, target) = on.key?.split_once(':')?;
        let (cluster, target) = target.split_once('/')?;
        Some(if target.starts_with("arn:") {
            super::subject::task(cluster, target)
        } else {
            super::subject::service(on.store, cluster, target)
        })
    }
}
