//! `:budget`: what this session costs the account — calls per AWS operation over the last 1,
//! 5 and 60 minutes, in total, and how many AWS throttled — from the counting wrapper, every
//! region's backend summed. Local data: it makes no call itself.

use super::table::{Cell, Column, Role, TableModel, TableRow};
use super::{Freshness, RowContext, View, ViewSpec};
use crate::keymap::KeyContext;
use crate::store::{Resource, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget;

impl ViewSpec for Budget {
    fn key_context(&self) -> KeyContext {
        KeyContext::Budget
    }

    fn title(&self, _view: &View) -> String {
        "api budget (this session)".to_string()
    }

    fn resources(&self, _view: &View) -> Vec<Resource> {
        Vec::new()
    }

    fn freshness(&self, _view: &View, _store: &Store) -> Freshness {
        Freshness::default()
    }

    fn empty_text(&self, _view: &View) -> &'static str {
        " no AWS call yet"
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        let columns = vec![
            Column::new("OPERATION", 32, 0),
            Column::new("1 MIN", 6, 0),
            Column::new("5 MIN", 6, 1),
            Column::new("60 MIN", 7, 1),
            Column::new("TOTAL", 8, 2),
            Column::new("THROTTLED", 9, 0),
        ];
        let rows = (ctx.store.api_usage.iter())
            .map(|u| {
                let count = |n: usize| Cell::number(u32::try_from(n).unwrap_or(u32::MAX));
                TableRow {
                    key: u.operation.to_string(),
                    cells: vec![
                        Cell::new(u.operation),
                        count(u.last_minute),
                        count(u.last_5_minutes),
                        count(u.last_hour),
                        count(usize::try_from(u.total).unwrap_or(usize::MAX)),
                        Cell::with_role(
                            u.throttled.to_string(),
                            if u.throttled > 0 {
                                Role::Failure
                            } else {
                                Role::Muted
                            },
                        ),
                    ],
                    role: if u.throttled > 0 {
                        Role::Warning
                    } else {
                        Role::Text
                    },
                }
            })
            .collect();
        Some(TableModel::new(columns, rows))
    }
}
