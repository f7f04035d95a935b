//! The tasks view: the tasks of one service, or of a whole cluster (`:tasks`); `x` shows the
//! stopped ones with their stop code and reason.

use chrono::{DateTime, Utc};

use super::containers::{Containers, find_task};
use super::describe::DescribeTarget;
use super::format::{age_cell, dash};
use super::table::{Cell, Column, Role, TableModel, TableRow, status_role};
use super::{Effect, Freshness, RowContext, Selection, View, ViewKind, ViewSpec};
use crate::backend::{DesiredStatus, TaskFilter};
use crate::domain::ecs::{InstanceRef, Service, Task, task_definition_short};
use crate::keymap::{Action, KeyContext};
use crate::logs::LogScope;
use crate::store::{Resource, Store};

/// Tasks of one service, or of the whole cluster when `service` is None.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tasks {
    pub cluster: String,
    pub service: Option<String>,
    /// Only the tasks placed on this container instance (`enter` in `:instances`).
    pub instance: Option<InstanceRef>,
}

impl Tasks {
    /// What ListTasks is asked for: this service's (or the cluster's) running or stopped
    /// tasks, as `x` chose.
    pub fn filter(&self, view: &View) -> TaskFilter {
        TaskFilter {
            service: self.service.clone(),
            desired_status: if view.show_stopped {
                DesiredStatus::Stopped
            } else {
                DesiredStatus::Running
            },
            container_instance: self.instance.as_ref().map(|i| i.arn.clone()),
        }
    }
}

impl ViewSpec for Tasks {
    fn key_context(&self) -> KeyContext {
        KeyContext::Tasks
    }

    fn title(&self, view: &View) -> String {
        let state = if view.show_stopped {
            "stopped tasks"
        } else {
            "tasks"
        };
        match (&self.service, &self.instance) {
            (Some(s), _) => format!("{state}({}/{s})", self.cluster),
            (None, Some(host)) => format!("{state}({} on {})", self.cluster, host.label()),
            (None, None) => format!("{state}({})", self.cluster),
        }
    }

    fn cluster(&self) -> Option<&str> {
        Some(&self.cluster)
    }

    fn resources(&self, view: &View) -> Vec<Resource> {
        vec![Resource::Tasks {
            cluster: self.cluster.clone(),
            filter: self.filter(view),
        }]
    }

    /// The target health of the services of the tasks on screen, the services (for their
    /// target groups) when no parent view polls them, and the hosts of bridge tasks.
    fn derived_resources(&self, view: &View, store: &Store) -> Vec<Resource> {
        if view.show_stopped {
            return Vec::new();
        }
        let Some(services) = store.services_of(&self.cluster).and_then(|l| l.value()) else {
            return vec![Resource::Services {
                cluster: self.cluster.clone(),
            }];
        };
        let tasks = store
            .tasks_of(&self.cluster, &self.filter(view))
            .and_then(|l| l.value())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let shown: Vec<&Task> =
            super::balancing::shown(tasks, &view.on_screen, |t| t.task_arn.as_str());
        let fronted: Vec<&Service> = services
            .iter()
            .filter(|s| !s.load_balancers.is_empty())
            .filter(|s| {
                shown
                    .iter()
                    .any(|t| t.service_name() == Some(&s.service_name))
            })
            .collect();
        let mut out = super::balancing::target_health(fronted.iter().copied());
        // Bridge and host tasks are registered by their host's EC2 instance id.
        let mut hosts: Vec<String> = shown
            .iter()
            .filter(|t| t.private_ip.is_none())
            .filter(|t| {
                fronted
                    .iter()
                    .any(|s| t.service_name() == Some(&s.service_name))
            })
            .filter_map(|t| t.container_instance_arn.clone())
            .collect();
        hosts.sort();
        hosts.dedup();
        if !hosts.is_empty() {
            out.push(Resource::ContainerInstances {
                cluster: self.cluster.clone(),
                arns: hosts,
            });
        }
        out
    }

    fn freshness(&self, view: &View, store: &Store) -> Freshness {
        let filter = self.filter(view);
        let stored = store.tasks_of(&self.cluster, &filter);
        let resource = Resource::Tasks {
            cluster: self.cluster.clone(),
            filter,
        };
        super::list_rows::freshness(store, &resource, stored, &view.on_screen)
    }

    fn table(&self, view: &View, ctx: &RowContext) -> Option<TableModel> {
        let filter = self.filter(view);
        Some(model(
            ctx.store,
            &self.cluster,
            &filter,
            ctx.now,
            view.show_stopped,
        ))
    }

    fn empty_text(&self, view: &View) -> &'static str {
        if view.show_stopped {
            " no stopped tasks"
        } else {
            " no running tasks (x shows stopped ones)"
        }
    }

    fn shows_pending(&self) -> bool {
        true
    }

    fn marks_rows(&self) -> bool {
        true
    }

    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        if action == Action::ToggleStopped {
            return Some(Effect::Edit(toggle_stopped));
        }
        let task_arn = on.key?.to_string();
        let cluster = self.cluster.clone();
        let filter = self.filter(on.view);
        match action {
            Action::Open => {
                let task = find_task(on.store, &cluster, &filter, &task_arn)?;
                let containers = Containers {
                    task_definition_arn: task.task_definition_arn.clone(),
                    cluster,
                    filter,
                    task_arn,
                };
                Some(Effect::Push(containers.into()))
            }
            Action::Describe => Some(Effect::Push(ViewKind::describe(DescribeTarget::Task {
                cluster,
                filter,
                arn: task_arn,
            }))),
            Action::Logs => Some(Effect::OpenLogs(LogScope::Task {
                cluster,
                filter,
                task_arn,
            })),
            _ => None,
        }
    }

    fn subject(&self, on: &Selection) -> Option<super::Subject> {
        Some(super::subject::task(&self.cluster, on.key?))
    }
}

/// `x`: running ↔ stopped; the selection and the marks belong to the other list.
fn toggle_stopped(view: &mut View) {
    view.show_stopped = !view.show_stopped;
    view.selected = 0;
    view.selected_key = None;
    view.marked.clear();
}

pub fn model(
    store: &Store,
    cluster: &str,
    filter: &TaskFilter,
    now: DateTime<Utc>,
    stopped: bool,
) -> TableModel {
    let whole_cluster = filter.service.is_none();
    let mut columns = vec![Column::new("ID", 8, 0)];
    if whole_cluster {
        columns.push(Column::new("SERVICE", 28, 2));
    }
    columns.extend([
        Column::new("TASK DEF", 28, 3),
        Column::new("LAST", 12, 0),
        Column::new("DESIRED", 8, 8),
        Column::new("HEALTH", 9, 1),
    ]);
    if !stopped {
        // The task's state in its service's target groups.
        columns.push(Column::new("TARGET", 40, 2));
    }
    if stopped {
        columns.extend([
            Column::new("STOPPED", 7, 4),
            Column::new("STOP CODE", 24, 5),
            Column::new("REASON", 80, 0),
        ]);
    } else {
        columns.extend([
            Column::new("STARTED", 7, 4),
            Column::new("AZ", 12, 7),
            Column::new("IP", 15, 5),
            Column::new("LAUNCH", 12, 9),
        ]);
    }
    // By name, so 5,000 tasks do not each scan the services.
    let services: std::collections::HashMap<&str, &Service> = store
        .services_of(cluster)
        .and_then(|l| l.value())
        .into_iter()
        .flatten()
        .map(|s| (s.service_name.as_str(), s))
        .collect();
    let rows = store
        .tasks_of(cluster, filter)
        .and_then(|l| l.value())
        .into_iter()
        .flatten()
        .map(|t| {
            let mut row = row(t, now, whole_cluster, stopped);
            if !stopped {
                let service = t.service_name().and_then(|n| services.get(n));
                let cell = match service {
                    Some(s) => super::balancing::task_target_cell(store, cluster, s, t),
                    None => Cell::with_role("-", Role::Muted),
                };
                // After ID (and SERVICE), TASK DEF, LAST, DESIRED and HEALTH.
                row.cells.insert(if whole_cluster { 6 } else { 5 }, cell);
            }
            row
        })
        .collect();
    let mut rows: Vec<TableRow> = rows;
    let resource = Resource::Tasks {
        cluster: cluster.to_string(),
        filter: filter.clone(),
    };
    let present: std::collections::HashSet<String> = rows.iter().map(|r| r.key.clone()).collect();
    let short = |arn: &str| {
        arn.rsplit('/')
            .next()
            .unwrap_or(arn)
            .chars()
            .take(8)
            .collect()
    };
    rows.extend(super::list_rows::placeholders(
        store,
        &resource,
        columns.len(),
        &|key| present.contains(key),
        &short,
    ));
    TableModel::new(columns, rows)
}

/// The short id shown in lists (the first 8 characters, like a short git hash).
pub fn short_id(task: &Task) -> String {
    task.short_id().chars().take(8).collect()
}

fn row(t: &Task, now: DateTime<Utc>, whole_cluster: bool, stopped: bool) -> TableRow {
    let health = t.health_status.as_deref().unwrap_or("UNKNOWN");
    let role = if t.last_status == "STOPPED" || health == "UNHEALTHY" {
        Role::Failure
    } else if t.last_status != "RUNNING" {
        Role::Warning
    } else {
        Role::Text
    };
    let mut cells = vec![Cell::new(short_id(t))];
    if whole_cluster {
        cells.push(Cell::new(dash(t.service_name().or(t.group.as_deref()))));
    }
    cells.extend([
        Cell::new(task_definition_short(&t.task_definition_arn)),
        Cell::with_role(&t.last_status, status_role(&t.last_status)),
        Cell::new(&t.desired_status),
        Cell::with_role(health, status_role(health)),
    ]);
    if stopped {
        cells.extend([
            age_cell(t.stopped_at, now),
            Cell::new(dash(t.stop_code.as_deref())),
            Cell::new(dash(t.stopped_reason.as_deref())),
        ]);
    } else {
        cells.extend([
            age_cell(t.started_at, now),
            Cell::new(dash(t.availability_zone.as_deref())),
            Cell::new(dash(t.private_ip.as_deref())),
            Cell::new(dash(
                t.launch_type
                    .as_deref()
                    .or(t.capacity_provider_name.as_deref()),
            )),
        ]);
    }
    TableRow {
        key: t.task_arn.clone(),
        cells,
        role,
    }
}
