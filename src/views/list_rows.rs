//! What the services and tasks views share about big lists synced row by row
//! (`poller::lists`): placeholder rows for what is listed but not described yet, and the
//! view's age as that of the oldest row on screen.

use super::Freshness;
use super::table::{Cell, Role, TableRow};
use crate::store::list_rows::row_key;
use crate::store::{Loadable, Resource, Store};

/// Rows for the ARNs listed but not described yet: the key and a first cell, `…` in the
/// other `columns - 1`. Rows already present (by key) are not repeated.
pub fn placeholders(
    store: &Store,
    resource: &Resource,
    columns: usize,
    present: &dyn Fn(&str) -> bool,
    first_cell: &dyn Fn(&str) -> String,
) -> Vec<TableRow> {
    let Some(rows) = store.list_rows.get(resource) else {
        return Vec::new();
    };
    (rows.undescribed.iter())
        .map(|arn| row_key(resource, arn))
        .filter(|key| !present(key))
        .map(|key| {
            let mut cells = vec![Cell::new(first_cell(key))];
            cells.extend((1..columns).map(|_| Cell::with_role("…", Role::Muted)));
            TableRow {
                key: key.to_string(),
                cells,
                role: Role::Muted,
            }
        })
        .collect()
}

/// A list view's freshness: the stored list's state, aged by the oldest row on screen (each
/// row is described on its own cadence), and loading while rows on screen await their first
/// describe.
pub fn freshness<T>(
    store: &Store,
    resource: &Resource,
    stored: Option<&Loadable<T>>,
    on_screen: &[String],
) -> Freshness {
    let mut freshness = Freshness::of(stored);
    if let Some(rows) = store.list_rows.get(resource) {
        if let Some(oldest) = rows.oldest(on_screen) {
            freshness.fetched_at = Some(oldest);
        }
        let waiting = on_screen.iter().any(|k| !rows.described_at.contains_key(k));
        freshness.loading |= waiting || !rows.listed;
    }
    freshness
}
