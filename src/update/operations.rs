//! The operations: opening a dialog from a row, applying what a dialog's key did, sending
//! confirmed mutations as commands, and tracking each change until it is observed.

use crossterm::event::KeyEvent;

use crate::domain::ecs::{InstanceStatus, Service, task_definition_short};
use crate::domain::journal::ActionResult;
use crate::domain::mutation::Mutation;
use crate::domain::pending::{PendingChange, PendingState, Until};
use crate::msg::Command;
use crate::msg::Executed;
use crate::state::dialog::{
    ConfirmDialog, Dialog, Outcome, RollbackDialog, ScaleDialog, StopReasonDialog, one_line_field,
};
use crate::state::{StatusLevel, UiState};
use crate::store::Store;
use crate::views::ViewKind;

/// A pending row stops being watched after this long (e.g. a rollout that never settles).
const WATCH_LIMIT_SECS: i64 = 15 * 60;

pub(super) fn refuse_if_read_only(ui: &mut UiState, what: &str) -> bool {
    if ui.settings.read_only {
        ui.set_status(
            StatusLevel::Warning,
            format!("Read-only: {what} is blocked (--read-only or read_only in the config file)."),
        );
    }
    ui.settings.read_only
}

/// The service under the cursor in a services view, with its cluster.
fn selected_service<'a>(store: &'a Store, ui: &UiState) -> Option<(String, &'a Service)> {
    let ViewKind::Services(services) = &ui.top().kind else {
        return None;
    };
    let name = ui.selected_key(store)?;
    let service = crate::views::services::find(store, &services.cluster, &name)?;
    Some((services.cluster.clone(), service))
}

/// When the selected row is listed but not described yet (a big list fills in behind the
/// screen), says so: an action on it would otherwise do nothing without a word.
pub(super) fn say_if_not_described(store: &Store, ui: &mut UiState) {
    let Some(key) = ui.selected_key(store) else {
        return;
    };
    let waiting = (ui.top().resources().iter())
        .filter_map(|r| store.list_rows.get(r).map(|rows| (r, rows)))
        .any(|(r, rows)| {
            (rows.undescribed.iter()).any(|arn| crate::store::list_rows::row_key(r, arn) == key)
        });
    if waiting {
        ui.set_status(
            StatusLevel::Info,
            format!("{key} is listed but not described yet; it will be in a moment."),
        );
    }
}

/// Refuses a second action on a target whose first is still being sent.
pub(super) fn busy(ui: &mut UiState, cluster: &str, key: &str) -> bool {
    let sending = ui.pending.iter().any(|p| {
        p.cluster == cluster && p.key == key && matches!(p.state, PendingState::Sending(_))
    });
    if sending {
        ui.set_status(
            StatusLevel::Warning,
            format!("An action on {key} is still being sent; wait for its result."),
        );
    }
    sending
}

pub fn start_scale(store: &Store, ui: &mut UiState) {
    if refuse_if_read_only(ui, "scaling") {
        return;
    }
    let Some((cluster, service)) = selected_service(store, ui) else {
        say_if_not_described(store, ui);
        return;
    };
    let (name, current) = (service.service_name.clone(), service.desired_count);
    if busy(ui, &cluster, &name) {
        return;
    }
    ui.dialog = Some(Dialog::Scale(ScaleDialog {
        cluster,
        service: name,
        current,
        field: one_line_field(&current.to_string()),
        error: None,
    }));
}

pub fn start_redeploy(store: &Store, ui: &mut UiState) {
    if refuse_if_read_only(ui, "redeploying") {
        return;
    }
    let Some((cluster, service)) = selected_service(store, ui) else {
        say_if_not_described(store, ui);
        return;
    };
    let mutation = Mutation::Redeploy {
        cluster: cluster.clone(),
        service: service.service_name.clone(),
        task_definition: service.task_definition.clone(),
    };
    if busy(ui, &cluster, &service.service_name) {
        return;
    }
    ui.dialog = Some(Dialog::Confirm(ConfirmDialog {
        mutation,
        typed: None,
        error: None,
    }));
}

pub fn start_rollback(store: &Store, ui: &mut UiState) {
    if refuse_if_read_only(ui, "rolling back") {
        return;
    }
    let Some((cluster, service)) = selected_service(store, ui) else {
        say_if_not_described(store, ui);
        return;
    };
    let current = service.task_definition.clone();
    let family = task_definition_short(&current)
        .split(':')
        .next()
        .unwrap_or_default()
        .to_string();
    // Before the current one: the newest non-primary deployment on another revision.
    let previous = service
        .deployments
        .iter()
        .filter(|d| d.status != "PRIMARY" && d.task_definition != current)
        .max_by_key(|d| d.created_at)
        .map(|d| d.task_definition.clone());
    let name = service.service_name.clone();
    if busy(ui, &cluster, &name) {
        return;
    }
    ui.dialog = Some(Dialog::Rollback(RollbackDialog {
        cluster,
        service: name,
        family,
        current,
        previous,
        selected: None,
    }));
}

pub fn start_stop(store: &Store, ui: &mut UiState) {
    if refuse_if_read_only(ui, "stopping tasks") {
        return;
    }
    let view = ui.top();
    let ViewKind::Tasks(tasks) = &view.kind else {
        return;
    };
    let cluster = &tasks.cluster;
    if view.show_stopped {
        ui.set_status(StatusLevel::Info, "These tasks are already stopped.");
        return;
    }
    let cluster = cluster.clone();
    let tasks: Vec<String> = if view.marked.is_empty() {
        ui.selected_key(store).into_iter().collect()
    } else {
        view.marked.iter().cloned().collect()
    };
    if tasks.is_empty() || tasks.iter().any(|t| busy(ui, &cluster, t)) {
        return;
    }
    let reason = format!("stopped from ecsdeck by {}", ui.settings.user);
    ui.dialog = Some(Dialog::StopReason(StopReasonDialog {
        cluster,
        tasks,
        field: one_line_field(&reason),
        error: None,
    }));
}

/// `space` in a view that marks rows (`ViewSpec::marks_rows`): mark or unmark the row.
pub fn toggle_mark(store: &Store, ui: &mut UiState) -> Option<()> {
    if !ui.top().kind.spec().marks_rows() {
        return None;
    }
    let key = ui.selected_key(store)?;
    let view = ui.top_mut();
    if !view.marked.remove(&key) {
        view.marked.insert(key);
    }
    Some(())
}

/// Keys for the open dialog: the dialog handles them; this carries out what it says.
pub fn on_dialog_key(store: &Store, ui: &mut UiState, key: KeyEvent) -> Vec<Command> {
    let Some(dialog) = ui.dialog.as_mut() else {
        return Vec::new();
    };
    let action = ui.settings.keymap.resolve(dialog.key_context(), &key);
    match dialog.on_key(action, key, store) {
        Outcome::Stay => Vec::new(),
        Outcome::Next(next) => {
            ui.dialog = Some(*next);
            Vec::new()
        }
        Outcome::Send(mutation) => {
            ui.dialog = None;
            send(store, ui, mutation)
        }
        Outcome::Forward(plan) => {
            ui.dialog = None;
            ui.set_status(StatusLevel::Info, format!("Starting {}…", plan.label()));
            vec![Command::Forward(plan)]
        }
        Outcome::Cancel => {
            ui.dialog = None;
            ui.set_status(StatusLevel::Info, "Cancelled; nothing was changed.");
            Vec::new()
        }
    }
}

/// Turns a confirmed mutation into a command, marking its rows as pending.
fn send(store: &Store, ui: &mut UiState, mutation: Mutation) -> Vec<Command> {
    ui.next_mutation_id += 1;
    let id = ui.next_mutation_id;
    let cluster = mutation.cluster().to_string();
    let changes: Vec<(String, String, Until)> = match &mutation {
        Mutation::Scale { service, to, .. } => {
            vec![(
                service.clone(),
                format!("scaling → {to}"),
                Until::Running(*to),
            )]
        }
        Mutation::Redeploy { service, .. } => {
            let replaced = store
                .services_of(&cluster)
                .and_then(|l| l.value())
                .and_then(|v| v.iter().find(|s| &s.service_name == service))
                .and_then(|s| s.primary_deployment())
                .map(|d| d.id.clone());
            vec![(
                service.clone(),
                "redeploying".into(),
                Until::NewDeployment { replaced },
            )]
        }
        Mutation::Rollback { service, to, .. } => vec![(
            service.clone(),
            format!("rolling back → {}", task_definition_short(to)),
            Until::TaskDefinition(to.clone()),
        )],
        Mutation::StopTasks { tasks, .. } => tasks
            .iter()
            .map(|t| (t.clone(), "stopping".to_string(), Until::TaskStopped))
            .collect(),
        Mutation::SetInstancesState {
            instances, status, ..
        } => instances
            .iter()
            .map(|i| {
                let label = match status {
                    InstanceStatus::Draining => "draining",
                    InstanceStatus::Active => "undraining",
                };
                let until = Until::InstanceStatus(status.as_aws().to_string());
                (i.arn.clone(), label.to_string(), until)
            })
            .collect(),
        _ => super::scaling::pending(&mutation),
    };
    for (key, label, until) in changes {
        ui.pending
            .retain(|p| !(p.cluster == cluster && p.key == key));
        ui.pending.push(PendingChange {
            id,
            cluster: cluster.clone(),
            key,
            label,
            state: PendingState::Sending(until),
            since: ui.now,
        });
    }
    if matches!(
        mutation,
        Mutation::StopTasks { .. } | Mutation::SetInstancesState { .. }
    ) {
        ui.top_mut().marked.clear();
    }
    ui.set_status(
        StatusLevel::Info,
        format!("Sending: {}", mutation.describe()),
    );
    vec![Command::Mutate {
        id,
        mutation,
        account: store.account.clone(),
    }]
}

/// The executor's answer: say how it went, watch for the change, and re-poll at once. A
/// journal that could not be written stays on screen until a write works again.
/// Adds a journaled attempt to the journal view, and keeps the banner saying whether the
/// journal file can be written.
pub fn record(store: &mut Store, ui: &mut UiState, executed: Executed) {
    ui.journal_banner = executed
        .journal_error
        .as_ref()
        .map(|e| format!("The journal cannot be written ({e}): actions are not being recorded."));
    store.record(executed.entry);
}

pub fn on_mutation_done(
    store: &mut Store,
    ui: &mut UiState,
    id: u64,
    mutation: &Mutation,
    executed: Executed,
) -> Vec<Command> {
    let result = executed.entry.result.clone();
    record(store, ui, executed);
    match result {
        ActionResult::Done | ActionResult::Recorded(_) => {
            for p in ui.pending.iter_mut().filter(|p| p.id == id) {
                if let PendingState::Sending(until) = &p.state {
                    p.state = PendingState::Watching(until.clone());
                    p.since = ui.now;
                }
            }
            ui.set_status(StatusLevel::Info, format!("Done: {}", mutation.describe()));
            reconcile(store, ui);
            vec![Command::RefreshNow]
        }
        ActionResult::Refused => {
            ui.pending.retain(|p| p.id != id);
            ui.set_status(
                StatusLevel::Warning,
                format!("Refused: {}: ecsdeck is read-only.", mutation.describe()),
            );
            Vec::new()
        }
        ActionResult::Failed(error) => {
            ui.pending.retain(|p| p.id != id);
            ui.set_error(format!("Failed: {}", mutation.describe()), error);
            Vec::new()
        }
    }
}

/// Drops the pending marks whose change is now visible in the store (or that waited too long).
pub fn reconcile(store: &Store, ui: &mut UiState) {
    let now = ui.now;
    ui.pending.retain(|p| {
        let PendingState::Watching(until) = &p.state else {
            return true;
        };
        if (now - p.since).num_seconds() > WATCH_LIMIT_SECS {
            return false;
        }
        !observed(store, &p.cluster, &p.key, until, p.since)
    });
}

fn observed(
    store: &Store,
    cluster: &str,
    key: &str,
    until: &Until,
    since: chrono::DateTime<chrono::Utc>,
) -> bool {
    let service = || {
        store
            .services_of(cluster)
            .and_then(|l| l.value())
            .and_then(|v| v.iter().find(|s| s.service_name == key))
    };
    match until {
        Until::Running(n) => service().is_some_and(|s| {
            s.desired_count == *n && s.running_count == *n && s.pending_count == 0
        }),
        Until::TaskDefinition(arn) => service().is_some_and(|s| {
            task_definition_short(&s.task_definition) == task_definition_short(arn)
                && s.deployments.len() <= 1
        }),
        Until::NewDeployment { replaced } => service().is_some_and(|s| {
            let primary = s.primary_deployment().map(|d| d.id.clone());
            primary.is_some() && primary != *replaced && s.deployments.len() <= 1
        }),
        Until::InstanceStatus(status) => {
            super::instances::observed(store, cluster, key, status, since)
        }
        Until::ScalableTarget { range, suspended } => {
            super::scaling::observed(store, cluster, key, (*range, *suspended), since)
        }
        // Stopped once the running-task lists fetched since the stop no longer show it as
        // running (lists fetched before it say nothing either way).
        Until::TaskStopped => {
            let fresh: Vec<_> = store
                .tasks
                .iter()
                .filter(|((c, filter), l)| {
                    c == cluster
                        && filter.desired_status == crate::backend::DesiredStatus::Running
                        && l.fetched_at.is_some_and(|at| at > since)
                        // A list read only in part cannot say a task is gone.
                        && l.incomplete.is_none()
                })
                .filter_map(|(_, l)| l.value())
                .collect();
            !fresh.is_empty()
                && fresh.iter().all(|tasks| {
                    tasks
                        .iter()
                        .find(|t| t.task_arn == key)
                        .is_none_or(|t| t.last_status == "STOPPED")
                })
        }
    }
}
