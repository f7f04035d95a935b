//! Rows built once per change. A view's rows depend on the store, the clock (ages), its
//! filter, the sort, the changes in flight and its marks; while none of those moves, every
//! key press and every frame reuses the same rows. Moving the cursor on a 5,000-row view
//! costs what the screen shows, not what the fleet holds.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use chrono::{DateTime, Utc};

use super::table::{Role, Sort, TableModel};
use super::{RowContext, View};
use crate::domain::pending::{PendingChange, PendingState};

/// The last rows built for a view and what they were built from.
#[derive(Debug, Clone, Default)]
pub struct RowCache {
    stamp: Option<Stamp>,
    model: Option<Rc<TableModel>>,
}

/// Everything rows depend on besides the view kind (which never changes for a view).
#[derive(Debug, Clone, PartialEq)]
struct Stamp {
    store_revision: u64,
    now: DateTime<Utc>,
    filter: String,
    sort: Option<Sort>,
    pending: Vec<PendingChange>,
    marked: BTreeSet<String>,
    show_stopped: bool,
}

impl Stamp {
    fn of(view: &View, ctx: &RowContext) -> Stamp {
        Stamp {
            store_revision: ctx.store.revision(),
            now: ctx.now,
            filter: view.filter.clone(),
            sort: ctx.sort,
            pending: ctx.pending.to_vec(),
            marked: view.marked.clone(),
            show_stopped: view.show_stopped,
        }
    }
}

/// The view's rows: the cached ones if nothing they depend on moved, else built anew.
pub fn cached(view: &View, cache: &RefCell<RowCache>, ctx: &RowContext) -> Option<Rc<TableModel>> {
    let stamp = Stamp::of(view, ctx);
    if let Ok(cached) = cache.try_borrow()
        && cached.stamp.as_ref() == Some(&stamp)
    {
        return cached.model.clone();
    }
    let model = build(view, ctx).map(Rc::new);
    // The cache is only borrowed inside this function, so this cannot fail; if it ever did,
    // the rows are still right, only not kept.
    if let Ok(mut slot) = cache.try_borrow_mut() {
        *slot = RowCache {
            stamp: Some(stamp),
            model: model.clone(),
        };
    }
    model
}

fn build(view: &View, ctx: &RowContext) -> Option<TableModel> {
    let spec = view.kind.spec();
    let mut model = spec.table(view, ctx)?;
    if spec.shows_pending() {
        annotate_pending(&mut model, view.cluster().unwrap_or_default(), ctx.pending);
    }
    annotate_marks(&mut model, &view.marked);
    let mut model = model.filtered(&view.filter);
    if let Some(sort) = ctx.sort {
        model.sort(sort);
    }
    model.finish();
    Some(model)
}

/// Marks rows with a change in flight (`⟳ scaling → 5`).
fn annotate_pending(model: &mut TableModel, cluster: &str, pending: &[PendingChange]) {
    if pending.is_empty() {
        return;
    }
    for row in &mut model.rows {
        if let Some(p) = pending
            .iter()
            .find(|p| p.cluster == cluster && p.key == row.key)
            && let Some(first) = row.cells.first_mut()
        {
            let waiting = match p.state {
                PendingState::Sending(_) => "sending",
                PendingState::Watching(_) => "⟳",
            };
            first.text = format!("{} {waiting} {}", first.text, p.label);
            row.role = Role::Info;
        }
    }
}

/// Marks tasks chosen with `space` for a bulk stop.
fn annotate_marks(model: &mut TableModel, marked: &BTreeSet<String>) {
    if marked.is_empty() {
        return;
    }
    for row in &mut model.rows {
        if marked.contains(&row.key)
            && let Some(first) = row.cells.first_mut()
        {
            first.text = format!("✓{}", first.text);
            row.role = Role::Info;
        }
    }
}
