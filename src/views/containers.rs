//! The containers view: the containers of one task, with what the task definition says about
//! their resources, ports and where their logs go.

use super::describe::DescribeTarget;
use super::format::dash;
use super::subject::{Clip, Subject};
use super::table::{Cell, Column, Role, TableModel, TableRow, status_role};
use super::{Effect, Freshness, RowContext, Selection, View, ViewKind, ViewSpec};
use chrono::{DateTime, Utc};

use crate::backend::TaskFilter;
use crate::domain::console::Page;
use crate::domain::ecs::{Container, ContainerDefinition, Task, arn_tail};
use crate::keymap::{Action, KeyContext};
use crate::logs::LogScope;
use crate::store::{Resource, Store};

/// The containers of one task; `filter` is the tasks list the task was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Containers {
    pub cluster: String,
    pub filter: TaskFilter,
    pub task_arn: String,
    /// Fetched alongside the task: it says where each container logs, its ports, limits.
    pub task_definition_arn: String,
}

impl ViewSpec for Containers {
    fn key_context(&self) -> KeyContext {
        KeyContext::Containers
    }

    fn title(&self, _view: &View) -> String {
        let id: String = arn_tail(&self.task_arn).chars().take(8).collect();
        format!("containers({id})")
    }

    fn cluster(&self) -> Option<&str> {
        Some(&self.cluster)
    }

    fn resources(&self, _view: &View) -> Vec<Resource> {
        task_with_definition(&self.cluster, &self.filter, &self.task_definition_arn)
    }

    /// What the tags of its containers' ECR images point to now (all of a task's containers
    /// fit on one screen).
    fn derived_resources(&self, _view: &View, store: &Store) -> Vec<Resource> {
        let task = find_task(store, &self.cluster, &self.filter, &self.task_arn);
        super::images::lookups(task)
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        Freshness::of(store.tasks_of(&self.cluster, &self.filter))
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        let task = find_task(ctx.store, &self.cluster, &self.filter, &self.task_arn);
        Some(model(ctx.store, task, ctx.now))
    }

    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        let name = on.key?.to_string();
        match action {
            Action::Open | Action::Describe => Some(Effect::Push(ViewKind::describe(
                DescribeTarget::Container {
                    cluster: self.cluster.clone(),
                    filter: self.filter.clone(),
                    task_arn: self.task_arn.clone(),
                    task_definition_arn: self.task_definition_arn.clone(),
                    name,
                },
            ))),
            Action::Logs => Some(Effect::OpenLogs(LogScope::Container {
                cluster: self.cluster.clone(),
                filter: self.filter.clone(),
                task_arn: self.task_arn.clone(),
                container: name,
            })),
            _ => None,
        }
    }

    fn subject(&self, on: &Selection) -> Option<Subject> {
        let task = find_task(on.store, &self.cluster, &self.filter, &self.task_arn);
        Some(subject(
            on.store,
            &self.cluster,
            &self.task_arn,
            task,
            on.key?,
        ))
    }
}

/// A container: `O` opens its log stream when it logs with awslogs (its own lines, in a
/// console that searches them), else its task's page with it selected; `c` copies its
/// task's ARN — what `aws ecs execute-command --task`, `describe-tasks` and `stop-task`
/// take, where the container is named separately (its name is on the row).
pub fn subject(
    store: &Store,
    cluster: &str,
    task_arn: &str,
    task: Option<&Task>,
    name: &str,
) -> Subject {
    let id: String = arn_tail(task_arn).chars().take(8).collect();
    let logs = task.and_then(|t| {
        let definition = store.task_definition(&t.task_definition_arn)?.value()?;
        let log = definition.container(name)?.log_configuration.as_ref()?;
        if log.log_driver != "awslogs" {
            return None;
        }
        let group = log.options.get("awslogs-group")?;
        let stream = crate::logs::streams::awslogs_stream(log, name, t);
        Some(Page::LogGroup {
            group: group.clone(),
            stream: stream.map(|s| s.stream),
            region: log.options.get("awslogs-region").cloned(),
        })
    });
    Subject {
        kind: "container",
        name: name.to_string(),
        arn: None,
        page: logs.or_else(|| Some(Page::task(cluster, task_arn, Some(name)))),
        clip: Some(Clip {
            text: task_arn.to_string(),
            what: format!("the ARN of task {id} (container {name}'s task)"),
        }),
    }
}

/// A task's view needs the task (from its tasks list) and its task definition.
pub fn task_with_definition(
    cluster: &str,
    filter: &TaskFilter,
    task_definition_arn: &str,
) -> Vec<Resource> {
    vec![
        Resource::Tasks {
            cluster: cluster.to_string(),
            filter: filter.clone(),
        },
        Resource::TaskDefinition {
            arn: task_definition_arn.to_string(),
        },
    ]
}

pub fn find_task<'a>(
    store: &'a Store,
    cluster: &str,
    filter: &TaskFilter,
    task_arn: &str,
) -> Option<&'a Task> {
    store
        .tasks_of(cluster, filter)?
        .value()?
        .iter()
        .find(|t| t.task_arn == task_arn)
}

pub fn model(store: &Store, task: Option<&Task>, now: DateTime<Utc>) -> TableModel {
    let columns = vec![
        Column::new("NAME", 24, 0),
        Column::new("IMAGE", 80, 3),
        Column::new("DIGEST", 19, 4),
        Column::new("TAG NOW", 60, 1),
        Column::new("STATUS", 10, 0),
        Column::new("HEALTH", 9, 5),
        Column::new("EXIT", 4, 1),
        Column::new("REASON", 40, 4),
        Column::new("CPU", 5, 8),
        Column::new("MEM", 12, 7),
        Column::new("PORTS", 22, 9),
        Column::new("LOG", 12, 6),
        Column::new("LOG GROUP", 40, 2),
    ];
    let Some(task) = task else {
        return TableModel::new(columns, Vec::new());
    };
    let definition = store
        .task_definition(&task.task_definition_arn)
        .and_then(|l| l.value());
    let rows = task
        .containers
        .iter()
        .map(|c| {
            let mut row = row(c, definition.and_then(|d| d.container(&c.name)));
            // After IMAGE: the digest it runs and what its tag names now.
            row.cells.insert(2, super::images::digest_cell(c));
            row.cells
                .insert(3, super::images::tag_cell(store, task, c, now));
            if super::images::moved(store, task, c).is_some() {
                row.role = Role::Failure;
            }
            row
        })
        .collect();
    TableModel::new(columns, rows)
}

fn row(c: &Container, def: Option<&ContainerDefinition>) -> TableRow {
    let status = c.last_status.as_deref().unwrap_or("-");
    let health = c.health_status.as_deref().unwrap_or("UNKNOWN");
    let exit = c.exit_code.map(|e| e.to_string());
    let role = match (status, c.exit_code) {
        ("STOPPED", Some(0)) => Role::Muted,
        ("STOPPED", _) => Role::Failure,
        (_, _) if health == "UNHEALTHY" => Role::Failure,
        ("RUNNING", _) => Role::Text,
        _ => Role::Warning,
    };
    let cpu = c
        .cpu
        .clone()
        .filter(|v| v != "0")
        .or_else(|| def.map(|d| d.cpu.to_string()));
    let memory = c
        .memory
        .clone()
        .or_else(|| def.and_then(|d| d.memory.map(|m| m.to_string())))
        .or_else(|| c.memory_reservation.as_ref().map(|m| format!("{m} (soft)")));
    let (driver, group) = logging(def);
    TableRow {
        key: c.name.clone(),
        cells: vec![
            Cell::new(&c.name),
            Cell::new(dash(c.image.as_deref().or(def.map(|d| d.image.as_str())))),
            Cell::with_role(status, status_role(status)),
            Cell::with_role(health, status_role(health)),
            Cell::with_role(
                dash(exit.as_deref()),
                if c.exit_code.unwrap_or(0) != 0 {
                    Role::Failure
                } else {
                    Role::Text
                },
            ),
            Cell::new(dash(c.reason.as_deref())),
            Cell::new(dash(cpu.as_deref())),
            Cell::new(dash(memory.as_deref())),
            Cell::new(ports(c, def)),
            Cell::new(driver),
            Cell::new(group),
        ],
        role,
    }
}

/// Bound ports (`host→container/proto`) when the task reports them, else declared mappings.
fn ports(c: &Container, def: Option<&ContainerDefinition>) -> String {
    let bound: Vec<String> = c
        .network_bindings
        .iter()
        .map(|b| {
            format!(
                "{}→{}/{}",
                b.host_port.map_or("-".to_string(), |p| p.to_string()),
                b.container_port.map_or("-".to_string(), |p| p.to_string()),
                b.protocol.as_deref().unwrap_or("tcp")
            )
        })
        .collect();
    if !bound.is_empty() {
        return bound.join(",");
    }
    let declared: Vec<String> = def
        .map(|d| d.port_mappings.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|m| {
            m.container_port
                .map(|p| format!("{p}/{}", m.protocol.as_deref().unwrap_or("tcp")))
        })
        .collect();
    if declared.is_empty() {
        "-".to_string()
    } else {
        declared.join(",")
    }
}

/// The log driver and where it sends logs (the awslogs group, or the driver's destination).
fn logging(def: Option<&ContainerDefinition>) -> (String, String) {
    let Some(def) = def else {
        return ("…".to_string(), "…".to_string());
    };
    let Some(log) = &def.log_configuration else {
        return ("none".to_string(), "-".to_string());
    };
    let destination = match log.log_driver.as_str() {
        "awslogs" => log.options.get("awslogs-group").cloned(),
        "awsfirelens" => log
            .options
            .get("Name")
            .map(|n| format!("FireLens → {n}"))
            .or(Some("FireLens (see log router)".to_string())),
        "splunk" => log.options.get("splunk-url").cloned(),
        _ => None,
    };
    (
        log.log_driver.clone(),
        destination.unwrap_or_else(|| "-".to_string()),
    )
}
