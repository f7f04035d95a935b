//! `F` on a task or container: forward a local port through it (Session Manager port
//! forwarding), in the background; `:forwards` lists them and `ctrl-k` stops one.

use super::operations::refuse_if_read_only;
use super::session::selected_container;
use crate::backend::ExecSession;
use crate::domain::journal::ActionResult;
use crate::domain::session::{ExecPlan, ForwardPlan, precheck};
use crate::msg::{Command, Executed};
use crate::state::dialog::{Dialog, ForwardDialog, one_line_field};
use crate::state::{StatusLevel, UiState};
use crate::store::{Forward, ForwardState, Store};
use crate::views::ViewKind;

/// `F`: refused in read-only; the same prechecks as a shell (port forwarding rides on the
/// ECS Exec agent); then the dialog, prefilled with the container's first port.
pub fn start_forward(store: &Store, ui: &mut UiState) {
    if refuse_if_read_only(ui, "port forwarding") {
        return;
    }
    let Some((cluster, task, container)) = selected_container(store, ui) else {
        super::operations::say_if_not_described(store, ui);
        return;
    };
    if let Some(problem) = precheck(&cluster, task, container) {
        ui.set_status(StatusLevel::Warning, problem);
        return;
    }
    let declared = store
        .task_definition(&task.task_definition_arn)
        .and_then(|l| l.value())
        .and_then(|d| d.container(&container.name))
        .and_then(|c| c.port_mappings.iter().find_map(|p| p.container_port));
    let bound = container
        .network_bindings
        .iter()
        .find_map(|b| b.container_port);
    let port = declared.or(bound).unwrap_or(8080);
    let through = ExecPlan {
        cluster,
        task_arn: task.task_arn.clone(),
        service: task.service_name().map(str::to_string),
        container: container.name.clone(),
        runtime_id: container.runtime_id.clone().unwrap_or_default(),
        command: String::new(),
    };
    ui.dialog = Some(Dialog::Forward(ForwardDialog {
        through,
        field: one_line_field(&format!("{port}:{port}")),
        error: None,
    }));
}

/// StartSession answered: run the plugin in the background, or say why not.
pub fn on_forward_ready(
    store: &mut Store,
    ui: &mut UiState,
    plan: ForwardPlan,
    result: Result<ExecSession, Executed>,
) -> Vec<Command> {
    match result {
        Ok(session) => {
            let id = store.forwards.iter().map(|f| f.id).max().unwrap_or(0) + 1;
            store.forwards.push(Forward {
                id,
                plan: plan.clone(),
                session_id: session.session_id.clone(),
                since: ui.now,
                state: ForwardState::Starting,
            });
            store.touch();
            vec![Command::RunForward { id, plan, session }]
        }
        Err(executed) => {
            let outcome = executed.entry.result.clone();
            super::operations::record(store, ui, executed);
            match outcome {
                ActionResult::Failed(error) => {
                    ui.set_error(format!("No forward {}", plan.label()), error)
                }
                _ => ui.set_status(
                    StatusLevel::Warning,
                    format!("Refused: {}: ecsdeck is read-only.", plan.label()),
                ),
            }
            Vec::new()
        }
    }
}

pub fn on_forward_started(store: &mut Store, ui: &mut UiState, id: u64, journal: Executed) {
    set_state(store, id, ForwardState::Running);
    if let Some(f) = store.forwards.iter().find(|f| f.id == id) {
        let text = format!("Forwarding {} (:forwards lists it).", f.plan.label());
        ui.set_status(StatusLevel::Info, text);
    }
    super::operations::record(store, ui, journal);
}

pub fn on_forward_ended(
    store: &mut Store,
    ui: &mut UiState,
    id: u64,
    outcome: String,
    journal: Executed,
) {
    if let Some(f) = store.forwards.iter().find(|f| f.id == id) {
        let text = format!("Forward {} ended: {outcome}.", f.plan.label());
        ui.set_status(StatusLevel::Info, text);
    }
    set_state(store, id, ForwardState::Ended(outcome));
    super::operations::record(store, ui, journal);
}

/// `ctrl-k` in `:forwards`: stop the forward under the cursor.
pub fn stop_forward(store: &mut Store, ui: &mut UiState) -> Vec<Command> {
    if !matches!(ui.top().kind, ViewKind::Forwards(_)) {
        return Vec::new();
    }
    let Some(id) = ui.selected_key(store).and_then(|k| k.parse::<u64>().ok()) else {
        return Vec::new();
    };
    let running = store
        .forwards
        .iter()
        .any(|f| f.id == id && matches!(f.state, ForwardState::Running | ForwardState::Starting));
    if !running {
        ui.set_status(StatusLevel::Info, "That forward has already ended.");
        return Vec::new();
    }
    set_state(store, id, ForwardState::Stopping);
    vec![Command::StopForward { id }]
}

fn set_state(store: &mut Store, id: u64, state: ForwardState) {
    if let Some(f) = store.forwards.iter_mut().find(|f| f.id == id) {
        f.state = state;
    }
    store.touch();
}
