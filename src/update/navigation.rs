//! Moving around: the cursor, going back, the filter, sorting, and whatever a view kind's own
//! keys lead to (open, describe, logs, …: see `views::ViewSpec::on_action`).

use super::{log_pane, operations, share};
use crate::domain::ecs::InstanceStatus;
use crate::domain::scaling::ScalingDirection;
use crate::keymap::Action;
use crate::msg::Command;
use crate::state::{Input, InputKind, StatusLevel, UiState};
use crate::store::Store;
use crate::views::{Effect, Selection, Sort, ViewKind};

/// Carries out a keymap action on the view on screen.
pub fn perform(store: &mut Store, ui: &mut UiState, action: Action) -> Vec<Command> {
    if let Some(commands) = log_pane::perform(store, ui, action) {
        return commands;
    }
    if let Some(commands) = super::describe::perform(store, ui, action) {
        return commands;
    }
    match action {
        Action::Up => move_selection(store, ui, -1),
        Action::Down => move_selection(store, ui, 1),
        Action::PageUp => move_selection(store, ui, -(ui.page_rows as i64)),
        Action::PageDown => move_selection(store, ui, ui.page_rows as i64),
        Action::Top => move_selection(store, ui, i64::MIN / 2),
        Action::Bottom => move_selection(store, ui, i64::MAX / 2),
        Action::Back => back(store, ui),
        Action::Filter => {
            if !matches!(ui.top().kind, ViewKind::Describe(_)) {
                let current = ui.top().filter.clone();
                ui.input = Some(Input::new(InputKind::Filter, &current));
            }
        }
        Action::CommandMode => ui.input = Some(Input::new(InputKind::Command, "")),
        Action::Help => ui.help_open = true,
        Action::Refresh => return vec![Command::RefreshNow],
        Action::OpenConsole => return share::open_console(store, ui),
        Action::Copy => return share::copy(store, ui),
        Action::Quit => {
            // `q` quits from the top view; deeper in, it goes back like esc.
            if !ui.pop_view() {
                return vec![Command::Quit];
            }
            close_logs_if_left(store, ui);
        }
        Action::ForceQuit => return vec![Command::Quit],
        Action::SortNext | Action::SortPrev | Action::SortReverse => sort(store, ui, action),
        Action::Scale => operations::start_scale(store, ui),
        Action::Redeploy => operations::start_redeploy(store, ui),
        Action::Rollback => operations::start_rollback(store, ui),
        Action::StopTask => operations::start_stop(store, ui),
        Action::Drain => super::instances::start(store, ui, InstanceStatus::Draining),
        Action::Undrain => super::instances::start(store, ui, InstanceStatus::Active),
        Action::ScalingRange => super::scaling::start_range(store, ui),
        Action::ToggleScaleIn => super::scaling::start_suspend(store, ui, ScalingDirection::In),
        Action::ToggleScaleOut => super::scaling::start_suspend(store, ui, ScalingDirection::Out),
        Action::Exec => return super::session::start_exec(store, ui),
        Action::PortForward => super::forward::start_forward(store, ui),
        Action::StopForward => return super::forward::stop_forward(store, ui),
        Action::Mark => {
            if operations::toggle_mark(store, ui).is_some() {
                move_selection(store, ui, 1);
                compare_marked(ui);
            }
        }
        other => return view_action(store, ui, other),
    }
    Vec::new()
}

/// A key of the view kind's own: it says what it leads to, this carries it out.
fn view_action(store: &mut Store, ui: &mut UiState, action: Action) -> Vec<Command> {
    let key = ui.selected_key(store);
    let on = Selection {
        view: ui.top(),
        key: key.as_deref(),
        store,
    };
    let Some(effect) = ui.top().kind.spec().on_action(action, &on) else {
        return Vec::new();
    };
    match effect {
        Effect::Push(kind) => ui.push(kind),
        Effect::Jump(views) => ui.replace_stack(views),
        Effect::OpenLogs(scope) => log_pane::open_scope(store, ui, scope),
        Effect::Edit(edit) => edit(ui.top_mut()),
        Effect::SwitchContext(target) => return super::context::switch(store, ui, target),
        Effect::OpenInRegion { region, views } => {
            return super::context::open_in_region(store, ui, region, views);
        }
    }
    Vec::new()
}

/// Two revisions marked: their diff opens (and the marks clear, ready for the next pair).
fn compare_marked(ui: &mut UiState) {
    if !matches!(ui.top().kind, ViewKind::Revisions(_)) {
        return;
    }
    let marked: Vec<String> = ui.top().marked.iter().cloned().collect();
    if let Some(compare) = crate::views::taskdefs::Compare::of(&marked) {
        ui.top_mut().marked.clear();
        ui.push(compare);
    }
}

/// `esc`: clears the filter first, then goes back one view.
fn back(store: &mut Store, ui: &mut UiState) {
    if !ui.top().filter.is_empty() {
        ui.top_mut().filter.clear();
    } else {
        ui.pop_view();
        close_logs_if_left(store, ui);
    }
}

/// Leaving the log pane frees its buffer (the tailer stops with the focus).
fn close_logs_if_left(store: &mut Store, ui: &UiState) {
    if !ui.stack.iter().any(|v| matches!(v.kind, ViewKind::Logs(_))) {
        store.log = None;
    }
}

fn move_selection(store: &Store, ui: &mut UiState, delta: i64) {
    if matches!(ui.top().kind, ViewKind::Describe(_)) {
        let view = ui.top_mut();
        // The renderer clamps the scroll to the document's length.
        view.scroll = (view.scroll as i64).saturating_add(delta).max(0) as usize;
        return;
    }
    let ctx = ui.row_context(store);
    let view = ui.top();
    let Some(rows) = view.rows(&ctx) else {
        return;
    };
    let Some(current) = rows.selected_index(view.selected_key.as_deref(), view.selected) else {
        return;
    };
    let last = rows.rows.len() as i64 - 1;
    let next = (current as i64).saturating_add(delta).clamp(0, last) as usize;
    let key = rows.rows.get(next).map(|r| r.key.clone());
    let view = ui.top_mut();
    view.selected = next;
    view.selected_key = key;
}

/// `>` / `<`: sort by the next / previous column (past the last one: the view's own order
/// again); `o`: reverse. Remembered per view kind for the session.
fn sort(store: &Store, ui: &mut UiState, action: Action) {
    // The cursor stays on its row when the order changes.
    let pinned = ui.selected_key(store);
    ui.top_mut().selected_key = pinned;
    let context = ui.top().key_context();
    let ctx = ui.row_context(store);
    let Some(rows) = ui.top().rows(&ctx) else {
        return;
    };
    let titles: Vec<&'static str> = rows.columns.iter().map(|c| c.title).collect();
    let current = ui.sorts.get(&context).copied();
    let at = current.and_then(|s| titles.iter().position(|t| *t == s.column));
    let column = |i: Option<usize>| {
        i.and_then(|i| titles.get(i)).map(|column| Sort {
            column,
            descending: false,
        })
    };
    let next = match action {
        Action::SortReverse => Some(match current {
            Some(s) => Sort {
                descending: !s.descending,
                ..s
            },
            None => Sort {
                column: titles.first().copied().unwrap_or_default(),
                descending: true,
            },
        }),
        Action::SortNext => column(at.map_or(Some(0), |i| Some(i + 1))),
        _ => column(match at {
            None => titles.len().checked_sub(1),
            Some(i) => i.checked_sub(1),
        }),
    };
    match next {
        Some(sort) => {
            ui.sorts.insert(context, sort);
            let way = if sort.descending { "▼" } else { "▲" };
            ui.set_status(
                StatusLevel::Info,
                format!("Sorted by {} {way}.", sort.column),
            );
        }
        None => {
            ui.sorts.remove(&context);
            ui.set_status(StatusLevel::Info, "Back to the view's own order.");
        }
    }
}
