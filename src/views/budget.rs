//! `:budget`: what this session costs the account — calls per AWS operation over the last 1,
//! 5 and 60 minutes, in total, and how many AWS throttled — from the counting wrapper, every
//! region's backend summed — then the budget's buckets (level, refill, calls that waited) and
//! the poller's schedule (each polled resource's interval, next call, failures, and for the
//! big lists how many rows are described and how old the oldest is). Local data: it makes
//! no call itself.

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
            Column::new("NOTE", 70, 3),
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
                        Cell::with_role("-", Role::Muted),
                    ],
                    role: if u.throttled > 0 {
                        Role::Warning
                    } else {
                        Role::Text
                    },
                }
            })
            .collect::<Vec<TableRow>>();
        let mut rows = rows;
        rows.extend(bucket_rows(ctx.store));
        rows.extend(schedule_rows(ctx.store));
        Some(TableModel::new(columns, rows))
    }
}

/// A row with only a name and a note (the call counts do not apply).
fn note_row(key: String, name: String, note: String, role: Role) -> TableRow {
    let dash = || Cell::with_role("-", Role::Muted);
    TableRow {
        key,
        cells: vec![
            Cell::new(name),
            dash(),
            dash(),
            dash(),
            dash(),
            dash(),
            Cell::new(note),
        ],
        role,
    }
}

/// One row per token bucket: how full it is, how fast it refills, how many calls waited.
fn bucket_rows(store: &Store) -> Vec<TableRow> {
    (store.budget.buckets.iter())
        .map(|b| {
            let low = b.tokens < 1.0;
            note_row(
                format!("bucket:{}", b.name),
                format!("bucket {}", b.name),
                format!(
                    "{:.0}/{:.0} tokens, refills {:.2}/s; {} call(s) waited",
                    b.tokens.max(0.0),
                    b.limit.burst,
                    b.limit.per_second,
                    b.waited
                ),
                if low { Role::Warning } else { Role::Muted },
            )
        })
        .collect()
}

/// One row per polled resource: its interval, next call, failures and what else is known.
fn schedule_rows(store: &Store) -> Vec<TableRow> {
    (store.budget.schedule.iter())
        .map(|p| {
            let next = (p.next_in).map_or(String::new(), |d| format!(", next {}s", d.as_secs()));
            let mut note = format!("every {}s{next}", p.interval.as_secs());
            if !p.note.is_empty() {
                note = format!("{note}; {}", p.note);
            }
            let label = label(&p.resource);
            note_row(
                format!("poll:{label}"),
                format!("poll {label}"),
                note,
                if p.failures > 0 {
                    Role::Warning
                } else {
                    Role::Text
                },
            )
        })
        .collect()
}

/// A resource in a few words: `services(prod)`, `tasks(prod/api)`, else its kind.
fn label(resource: &Resource) -> String {
    match resource {
        Resource::Services { cluster } => format!("services({cluster})"),
        Resource::Tasks { cluster, filter } => match &filter.service {
            Some(service) => format!("tasks({cluster}/{service})"),
            None => format!("tasks({cluster})"),
        },
        other => {
            let debug = format!("{other:?}");
            let end = debug.find([' ', '{', '(']).unwrap_or(debug.len());
            debug[..end].to_string()
        }
    }
}
