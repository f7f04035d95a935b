//! `s` on a task or container: a shell in the container (ECS Exec). Checks what can be
//! checked from the data on screen before anything is sent, asks the app to open the
//! session, and records how it went.

use super::operations::{record, refuse_if_read_only};
use crate::backend::ExecSession;
use crate::domain::ecs::{Container, Task};
use crate::domain::journal::ActionResult;
use crate::domain::session::{ExecPlan, precheck};
use crate::msg::{Command, Executed, Msg};
use crate::state::{StatusLevel, UiState};
use crate::store::Store;
use crate::views::ViewKind;
use crate::views::containers::find_task;

/// The task and container under the cursor: a tasks row means its first container with a
/// running ECS Exec agent (else its first), a containers row that container.
pub(super) fn selected_container<'a>(
    store: &'a Store,
    ui: &UiState,
) -> Option<(String, &'a Task, &'a Container)> {
    let key = ui.selected_key(store)?;
    match &ui.top().kind {
        ViewKind::Tasks(tasks) => {
            let task = find_task(store, &tasks.cluster, &tasks.filter(ui.top()), &key)?;
            let container = task
                .containers
                .iter()
                .find(|c| c.exec_agent.as_deref() == Some("RUNNING"))
                .or_else(|| task.containers.first())?;
            Some((tasks.cluster.clone(), task, container))
        }
        ViewKind::Containers(view) => {
            let task = find_task(store, &view.cluster, &view.filter, &view.task_arn)?;
            let container = task.containers.iter().find(|c| c.name == key)?;
            Some((view.cluster.clone(), task, container))
        }
        _ => None,
    }
}

/// `s`: refused in read-only; otherwise the prechecks, then the session is asked for.
pub fn start_exec(store: &Store, ui: &mut UiState) -> Vec<Command> {
    if refuse_if_read_only(ui, "a shell in a container") {
        return Vec::new();
    }
    let Some((cluster, task, container)) = selected_container(store, ui) else {
        super::operations::say_if_not_described(store, ui);
        return Vec::new();
    };
    if let Some(problem) = precheck(&cluster, task, container) {
        ui.set_status(StatusLevel::Warning, problem);
        return Vec::new();
    }
    let plan = ExecPlan {
        cluster,
        task_arn: task.task_arn.clone(),
        service: task.service_name().map(str::to_string),
        container: container.name.clone(),
        runtime_id: container.runtime_id.clone().unwrap_or_default(),
        command: ui.settings.exec.command_for(&container.name).to_string(),
    };
    ui.set_status(
        StatusLevel::Info,
        format!("Opening a shell in {} ({})…", plan.label(), plan.command),
    );
    vec![Command::Exec(plan)]
}

/// What comes back about shells and port forwards.
pub fn on_message(store: &mut Store, ui: &mut UiState, msg: Msg) -> Vec<Command> {
    use super::forward;
    match msg {
        Msg::ExecReady { plan, result } => on_exec_ready(store, ui, plan, result),
        Msg::SessionEnded {
            plan,
            outcome,
            journal,
        } => on_session_ended(store, ui, &plan, &outcome, journal),
        Msg::SessionUnavailable(why) => {
            ui.set_status(StatusLevel::Warning, why);
            Vec::new()
        }
        Msg::ForwardReady { plan, result } => forward::on_forward_ready(store, ui, plan, result),
        Msg::ForwardStarted { id, journal } => {
            forward::on_forward_started(store, ui, id, journal);
            Vec::new()
        }
        Msg::ForwardEnded {
            id,
            outcome,
            journal,
        } => {
            forward::on_forward_ended(store, ui, id, outcome, journal);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// ExecuteCommand answered: hand the terminal to the session, or say why not.
pub fn on_exec_ready(
    store: &mut Store,
    ui: &mut UiState,
    plan: ExecPlan,
    result: Result<ExecSession, Executed>,
) -> Vec<Command> {
    match result {
        Ok(session) => vec![Command::RunSession { plan, session }],
        Err(executed) => {
            let outcome = executed.entry.result.clone();
            record(store, ui, executed);
            match outcome {
                ActionResult::Failed(error) => {
                    ui.set_error(format!("No shell in {}", plan.label()), error)
                }
                _ => ui.set_status(
                    StatusLevel::Warning,
                    format!(
                        "Refused: a shell in {}: ecsdeck is read-only.",
                        plan.label()
                    ),
                ),
            }
            Vec::new()
        }
    }
}

/// Back from the session: the journal has its start and end, the data is refreshed.
pub fn on_session_ended(
    store: &mut Store,
    ui: &mut UiState,
    plan: &ExecPlan,
    outcome: &str,
    journal: Vec<Executed>,
) -> Vec<Command> {
    for executed in journal {
        record(store, ui, executed);
    }
    ui.set_status(
        StatusLevel::Info,
        format!("Shell in {} ended: {outcome}.", plan.label()),
    );
    vec![Command::RefreshNow]
}
