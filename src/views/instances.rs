//! The container instances view (`:instances`, `I` on a cluster): the EC2 hosts of a cluster,
//! where capacity went — which agent lost its connection, which host is draining, how much
//! CPU and memory each has left for the next task. `enter` lists the tasks on a host; `D`
//! and `U` drain and undrain it (or every host marked with `space`). Opened from a capacity
//! provider's row (`:capacity`), it lists only the hosts that provider registered.

use chrono::{DateTime, Utc};

use super::format::{age_cell, dash};
use super::table::{Cell, Column, Role, TableModel, TableRow, status_role};
use super::tasks::Tasks;
use super::{Effect, Freshness, RowContext, Selection, View, ViewSpec};
use crate::domain::ecs::{ContainerInstance, arn_tail};
use crate::keymap::{Action, KeyContext};
use crate::store::{Resource, Store};

/// Every container instance of one cluster, or of one of its capacity providers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instances {
    pub cluster: String,
    /// Only the hosts of this capacity provider (`enter` on an Auto Scaling group provider).
    pub provider: Option<String>,
}

impl ViewSpec for Instances {
    fn key_context(&self) -> KeyContext {
        KeyContext::Instances
    }

    fn title(&self, _view: &View) -> String {
        match &self.provider {
            Some(provider) => format!("instances({} · {provider})", self.cluster),
            None => format!("instances({})", self.cluster),
        }
    }

    fn cluster(&self) -> Option<&str> {
        Some(&self.cluster)
    }

    /// Polled only while the view is on the stack (every 30 s by default).
    fn resources(&self, _view: &View) -> Vec<Resource> {
        vec![Resource::Instances {
            cluster: self.cluster.clone(),
        }]
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        Freshness::of(store.instances.get(&self.cluster))
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        Some(model(
            ctx.store,
            &self.cluster,
            self.provider.as_deref(),
            ctx.now,
        ))
    }

    fn empty_text(&self, _view: &View) -> &'static str {
        " no container instances (Fargate runs without them)"
    }

    /// Drains and undrains show on their rows until the new status is observed.
    fn shows_pending(&self) -> bool {
        true
    }

    fn marks_rows(&self) -> bool {
        true
    }

    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        if action != Action::Open {
            return None;
        }
        let instance = find(on.store, &self.cluster, on.key?)?.reference();
        let tasks = Tasks {
            cluster: self.cluster.clone(),
            service: None,
            instance: Some(instance),
        };
        Some(Effect::Push(tasks.into()))
    }

    fn subject(&self, on: &Selection) -> Option<super::Subject> {
        let arn = on.key?;
        let name = find(on.store, &self.cluster, arn)
            .and_then(|i| i.ec2_instance_id.clone())
            .unwrap_or_else(|| arn_tail(arn).to_string());
        Some(super::Subject {
            kind: "container instance",
            name,
            arn: Some(arn.to_string()),
            page: None,
            clip: None,
        })
    }
}

/// A container instance of a cluster as last listed, by ARN.
pub fn find<'a>(store: &'a Store, cluster: &str, arn: &str) -> Option<&'a ContainerInstance> {
    store
        .instances
        .get(cluster)?
        .value()?
        .iter()
        .find(|i| i.container_instance_arn == arn)
}

pub fn model(
    store: &Store,
    cluster: &str,
    provider: Option<&str>,
    now: DateTime<Utc>,
) -> TableModel {
    let columns = vec![
        Column::new("INSTANCE", 19, 0),
        Column::new("AGENT", 5, 1),
        Column::new("STATUS", 11, 0),
        Column::new("RUN", 4, 2),
        Column::new("PEND", 4, 3),
        Column::new("CPU USED", 19, 4),
        Column::new("MEM USED", 20, 5),
        Column::new("AZ", 10, 7),
        Column::new("TYPE", 11, 8),
        Column::new("PROVIDER", 20, 9),
        Column::new("AGENT VER", 9, 10),
        Column::new("DOCKER", 14, 11),
        Column::new("AGE", 4, 6),
    ];
    let rows = store
        .instances
        .get(cluster)
        .and_then(|l| l.value())
        .into_iter()
        .flatten()
        .filter(|i| provider.is_none() || i.capacity_provider_name.as_deref() == provider)
        .map(|i| row(i, now))
        .collect();
    TableModel::new(columns, rows)
}

fn row(i: &ContainerInstance, now: DateTime<Utc>) -> TableRow {
    let role = if !i.agent_connected || i.status != "ACTIVE" {
        Role::Failure
    } else if i.pending_tasks_count > 0 {
        Role::Warning
    } else {
        Role::Text
    };
    let agent = if i.agent_connected {
        Cell::with_role("yes", Role::Success)
    } else {
        Cell::with_role("NO", Role::Failure)
    };
    let docker = i
        .docker_version
        .as_deref()
        .map(|v| v.trim_start_matches("DockerVersion: "));
    TableRow {
        key: i.container_instance_arn.clone(),
        cells: vec![
            Cell::new(
                i.ec2_instance_id
                    .as_deref()
                    .unwrap_or_else(|| arn_tail(&i.container_instance_arn)),
            ),
            agent,
            Cell::with_role(&i.status, status_role(&i.status)),
            Cell::number(i.running_tasks_count),
            Cell::number(i.pending_tasks_count),
            used_cell(i.remaining_cpu, i.registered_cpu),
            used_cell(i.remaining_memory, i.registered_memory),
            Cell::new(dash(i.availability_zone.as_deref())),
            Cell::new(dash(i.instance_type.as_deref())),
            Cell::new(dash(i.capacity_provider_name.as_deref())),
            Cell::new(dash(i.agent_version.as_deref())),
            Cell::new(dash(docker)),
            age_cell(i.registered_at, now),
        ],
        role,
    }
}

/// Width of the bar in the CPU and memory cells.
const BAR: usize = 8;

/// What placed tasks hold of what the host registered, as a bar and the amount left:
/// `█████░░░ 1536 free`. A full host (nothing left for the next task) is red.
pub fn used_cell(remaining: Option<i32>, registered: Option<i32>) -> Cell {
    let (Some(remaining), Some(registered)) = (remaining, registered) else {
        return Cell::with_role("-", Role::Muted);
    };
    if registered <= 0 {
        return Cell::with_role("-", Role::Muted);
    }
    let used = f64::from((registered - remaining).clamp(0, registered)) / f64::from(registered);
    let filled = ((used * BAR as f64).round() as usize).min(BAR);
    let bar: String = "█".repeat(filled) + &"░".repeat(BAR - filled);
    let role = if used >= 0.95 {
        Role::Failure
    } else if used >= 0.8 {
        Role::Warning
    } else {
        Role::Text
    };
    Cell::with_role(format!("{bar} {remaining} free"), role).sorted_by(used * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_show_what_is_used_and_what_is_left() {
        assert_eq!(used_cell(Some(1024), Some(4096)).text, "██████░░ 1024 free");
        assert_eq!(used_cell(Some(0), Some(4096)).role, Some(Role::Failure));
        assert_eq!(used_cell(None, Some(4096)).text, "-");
        assert_eq!(used_cell(Some(5), Some(0)).text, "-");
    }
}
