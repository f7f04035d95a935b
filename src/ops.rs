//! The operations part of `update`: opening dialogs from a row, handling their keys, sending
//! confirmed mutations as commands, and tracking each change until it is observed.

use crossterm::event::{KeyCode, KeyEvent};

use crate::command::Command;
use crate::dialog::{
    ConfirmDialog, Dialog, PendingChange, PendingState, RollbackDialog, ScaleDialog,
    StopReasonDialog, Until, field_text, one_line_field,
};
use crate::journal::JournalEntry;
use crate::mutation::{Mutation, parse_desired_count};
use crate::store::Store;
use crate::store::model::{Service, task_definition_short};
use crate::update::selected_key;
use crate::view::{StatusLevel, UiState, ViewKind};

/// AWS's limit on StopTask's reason.
const MAX_REASON_LEN: usize = 255;

/// A pending row stops being watched after this long (e.g. a rollout that never settles).
const WATCH_LIMIT_SECS: i64 = 15 * 60;

fn refuse_if_read_only(ui: &mut UiState, what: &str) -> bool {
    if ui.read_only {
        ui.set_status(
            StatusLevel::Warning,
            format!("Read-only: {what} is blocked (--read-only or read_only in the config file)."),
        );
    }
    ui.read_only
}

/// The service under the cursor in a services view, with its cluster.
fn selected_service<'a>(store: &'a Store, ui: &UiState) -> Option<(String, &'a Service)> {
    let ViewKind::Services { cluster } = &ui.top().kind else {
        return None;
    };
    let name = selected_key(store, ui)?;
    let service = store
        .services_of(cluster)?
        .value()?
        .iter()
        .find(|s| s.service_name == name)?;
    Some((cluster.clone(), service))
}

/// Refuses a second action on a target whose first is still being sent.
fn busy(ui: &mut UiState, cluster: &str, key: &str) -> bool {
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
    let ViewKind::Tasks { cluster, .. } = &view.kind else {
        return;
    };
    if view.show_stopped {
        ui.set_status(StatusLevel::Info, "These tasks are already stopped.");
        return;
    }
    let cluster = cluster.clone();
    let tasks: Vec<String> = if view.marked.is_empty() {
        selected_key(store, ui).into_iter().collect()
    } else {
        view.marked.iter().cloned().collect()
    };
    if tasks.is_empty() || tasks.iter().any(|t| busy(ui, &cluster, t)) {
        return;
    }
    let reason = format!("stopped from ecsdeck by {}", ui.user);
    ui.dialog = Some(Dialog::StopReason(StopReasonDialog {
        cluster,
        tasks,
        field: one_line_field(&reason),
        error: None,
    }));
}

/// `space` in a tasks view: mark the task for a bulk stop and move to the next one.
pub fn toggle_mark(store: &Store, ui: &mut UiState) -> Option<()> {
    if !matches!(ui.top().kind, ViewKind::Tasks { .. }) {
        return None;
    }
    let key = selected_key(store, ui)?;
    let view = ui.top_mut();
    if !view.marked.remove(&key) {
        view.marked.insert(key);
    }
    Some(())
}

/// A warning when the new count is outside the service's auto scaling range.
pub fn autoscaling_warning(store: &Store, cluster: &str, service: &str, to: i32) -> Option<String> {
    let target = store
        .scalable_targets
        .get(&(cluster.to_string(), service.to_string()))?
        .value()?
        .as_ref()?;
    let (min, max) = (target.min_capacity, target.max_capacity);
    (to < min || to > max).then(|| {
        format!("Auto scaling keeps this service between {min} and {max}: it will undo {to}.")
    })
}

/// Pasted text goes into the open dialog's text field, if it has one.
pub fn on_paste(ui: &mut UiState, text: &str) {
    let field = match &mut ui.dialog {
        Some(Dialog::Scale(d)) => {
            d.error = None;
            &mut d.field
        }
        Some(Dialog::StopReason(d)) => &mut d.field,
        Some(Dialog::Confirm(ConfirmDialog {
            typed: Some(field), ..
        })) => field,
        _ => return,
    };
    field.insert_str(text);
}

/// Keys for the open dialog. Returns the commands of a confirmed action.
pub fn on_dialog_key(store: &Store, ui: &mut UiState, key: KeyEvent) -> Vec<Command> {
    let Some(dialog) = ui.dialog.take() else {
        return Vec::new();
    };
    if key.code == KeyCode::Esc {
        ui.set_status(StatusLevel::Info, "Cancelled; nothing was changed.");
        return Vec::new();
    }
    match dialog {
        Dialog::Scale(mut d) => {
            if key.code == KeyCode::Enter {
                match parse_desired_count(&field_text(&d.field)) {
                    Ok(to) if to == d.current => {
                        d.error = Some(format!("{} already wants {to} tasks.", d.service));
                    }
                    Ok(to) => {
                        let typed = (to == 0).then(|| one_line_field(""));
                        ui.dialog = Some(Dialog::Confirm(ConfirmDialog {
                            mutation: Mutation::Scale {
                                cluster: d.cluster,
                                service: d.service,
                                from: d.current,
                                to,
                            },
                            typed,
                            error: None,
                        }));
                        return Vec::new();
                    }
                    Err(reason) => d.error = Some(reason),
                }
            } else {
                d.error = None;
                d.field.input(key);
            }
            ui.dialog = Some(Dialog::Scale(d));
            Vec::new()
        }
        Dialog::Confirm(mut d) => {
            if let Some(field) = &mut d.typed {
                if key.code == KeyCode::Enter {
                    let expected = d.mutation.target();
                    if field_text(field).trim() == expected {
                        return send(store, ui, d.mutation);
                    }
                    d.error = Some(format!("Type {expected} exactly to confirm, or esc."));
                } else {
                    d.error = None;
                    field.input(key);
                }
            } else {
                match key.code {
                    KeyCode::Char('y') | KeyCode::Char('Y') => return send(store, ui, d.mutation),
                    KeyCode::Char('n') | KeyCode::Char('N') => {
                        ui.set_status(StatusLevel::Info, "Cancelled; nothing was changed.");
                        return Vec::new();
                    }
                    _ => {}
                }
            }
            ui.dialog = Some(Dialog::Confirm(d));
            Vec::new()
        }
        Dialog::StopReason(mut d) => {
            if key.code == KeyCode::Enter {
                let reason = field_text(&d.field).trim().to_string();
                if reason.chars().count() > MAX_REASON_LEN {
                    d.error = Some(format!(
                        "The reason is limited to {MAX_REASON_LEN} characters."
                    ));
                } else {
                    ui.dialog = Some(Dialog::Confirm(ConfirmDialog {
                        mutation: Mutation::StopTasks {
                            cluster: d.cluster,
                            tasks: d.tasks,
                            reason,
                        },
                        typed: None,
                        error: None,
                    }));
                    return Vec::new();
                }
            } else {
                d.error = None;
                d.field.input(key);
            }
            ui.dialog = Some(Dialog::StopReason(d));
            Vec::new()
        }
        Dialog::Rollback(mut d) => {
            let revisions = store
                .revisions
                .get(&d.family)
                .and_then(|l| l.value())
                .cloned()
                .unwrap_or_default();
            let choices = d.choices(&revisions);
            let current = d.choice(&revisions);
            let index = current
                .as_deref()
                .and_then(|c| choices.iter().position(|x| *x == c))
                .unwrap_or(0);
            match key.code {
                KeyCode::Char('j') | KeyCode::Down => {
                    d.selected = choices
                        .get((index + 1).min(choices.len().saturating_sub(1)))
                        .map(|s| s.to_string());
                }
                KeyCode::Char('k') | KeyCode::Up => {
                    d.selected = choices.get(index.saturating_sub(1)).map(|s| s.to_string());
                }
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    if let Some(to) = current {
                        let mutation = Mutation::Rollback {
                            cluster: d.cluster,
                            service: d.service,
                            from: d.current,
                            to,
                        };
                        return send(store, ui, mutation);
                    }
                }
                KeyCode::Char('n') | KeyCode::Char('N') => {
                    ui.set_status(StatusLevel::Info, "Cancelled; nothing was changed.");
                    return Vec::new();
                }
                _ => {}
            }
            ui.dialog = Some(Dialog::Rollback(d));
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
    if matches!(mutation, Mutation::StopTasks { .. }) {
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

/// The executor's answer: say how it went, watch for the change, and re-poll at once.
pub fn on_mutation_done(
    store: &mut Store,
    ui: &mut UiState,
    id: u64,
    mutation: &Mutation,
    result: Result<(), String>,
    entry: JournalEntry,
) -> Vec<Command> {
    store.journal.insert(0, entry);
    match result {
        Ok(()) => {
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
        Err(reason) => {
            ui.pending.retain(|p| p.id != id);
            ui.set_status(
                StatusLevel::Error,
                format!("Failed: {}: {reason}", mutation.describe()),
            );
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
