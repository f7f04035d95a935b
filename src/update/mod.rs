//! `update`: the one place state changes. Messages in, commands out, no I/O — so every
//! behaviour of the dashboard can be tested by feeding messages.
//!
//! One room per concern: `keys` routes a key to the layer that owns it (text field, dialog,
//! help, view); `navigation` moves and opens views; `input` edits the text fields;
//! `command_line` runs `:` commands; `operations` opens dialogs, sends confirmed changes and
//! tracks them until observed; `log_pane` is the log pane's behaviour; `share` opens the
//! console (`O`) and copies (`c`).

pub mod command_line;
pub mod context;
pub mod describe;
pub mod forward;
pub mod input;
pub mod instances;
pub mod keys;
pub mod log_pane;
pub mod navigation;
pub mod operations;
pub mod scaling;
pub mod session;
pub mod share;

use crate::msg::{Command, Msg};
use crate::state::UiState;
use crate::store::Store;

/// Sets a readout of the store (`:budget`'s), touching the store only when it changed: they
/// arrive every second and must not rebuild the rows when nothing moved.
fn replace_if_changed<T: PartialEq>(
    store: &mut Store,
    field: impl Fn(&mut Store) -> &mut T,
    value: T,
) -> Vec<Command> {
    if *field(store) != value {
        *field(store) = value;
        store.touch();
    }
    Vec::new()
}

pub fn update(store: &mut Store, ui: &mut UiState, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) => keys::on_key(store, ui, key),
        Msg::Paste(text) => {
            input::on_paste(ui, &text);
            Vec::new()
        }
        Msg::Resize => Vec::new(),
        Msg::Tick {
            now,
            api_calls_last_minute,
        } => {
            ui.now = now;
            ui.api_calls_last_minute = api_calls_last_minute;
            operations::reconcile(store, ui);
            Vec::new()
        }
        Msg::ApiUsage(usage) => replace_if_changed(store, |s| &mut s.api_usage, usage),
        Msg::BudgetLevels(buckets) => replace_if_changed(store, |s| &mut s.budget.buckets, buckets),
        Msg::PollSchedule(schedule) => {
            replace_if_changed(store, |s| &mut s.budget.schedule, schedule)
        }
        Msg::FetchStarted(resource) => {
            store.start_loading(&resource);
            Vec::new()
        }
        Msg::Fetched {
            resource,
            result,
            at,
        } => {
            store.apply(&resource, result, at);
            operations::reconcile(store, ui);
            context::check_path(store, ui);
            Vec::new()
        }
        Msg::FetchNote { resource, note } => {
            store.note(&resource, &note);
            Vec::new()
        }
        Msg::MutationDone {
            id,
            mutation,
            executed,
        } => operations::on_mutation_done(store, ui, id, &mutation, executed),
        Msg::LogEvents { generation, events } => {
            log_pane::on_events(store, ui, generation, events);
            Vec::new()
        }
        Msg::LogSkipped { generation, count } => {
            if let Some(session) = store.log.as_mut().filter(|s| s.generation == generation) {
                session.skipped += count;
            }
            store.touch();
            Vec::new()
        }
        Msg::LogState { generation, state } => {
            log_pane::on_state(store, generation, state);
            Vec::new()
        }
        msg @ (Msg::ExecReady { .. }
        | Msg::SessionEnded { .. }
        | Msg::SessionUnavailable(_)
        | Msg::ForwardReady { .. }
        | Msg::ForwardStarted { .. }
        | Msg::ForwardEnded { .. }) => session::on_message(store, ui, msg),
        Msg::LogsSaved(result) => {
            log_pane::on_saved(ui, result);
            Vec::new()
        }
        Msg::Desktop(report) => share::on_report(ui, report),
        msg
        @ (Msg::Regional { .. } | Msg::ContextSwitched(_) | Msg::ContextSwitchFailed { .. }) => {
            context::on_message(store, ui, msg);
            Vec::new()
        }
        Msg::Terminate => vec![Command::Quit],
    }
}
