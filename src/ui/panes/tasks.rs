//! The tasks view: tasks of a service, or of a whole cluster; running or stopped (`x`).

use chrono::{DateTime, Utc};

use crate::backend::TaskFilter;
use crate::store::Store;
use crate::store::model::{Task, task_definition_short};
use crate::ui::format::{age_or_dash, dash};
use crate::ui::table::{Cell, Column, Role, TableModel, TableRow, status_role};

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
    let rows = store
        .tasks_of(cluster, filter)
        .and_then(|l| l.value())
        .into_iter()
        .flatten()
        .map(|t| row(t, now, whole_cluster, stopped))
        .collect();
    TableModel { columns, rows }
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
            Cell::new(age_or_dash(t.stopped_at, now)),
            Cell::new(dash(t.stop_code.as_deref())),
            Cell::new(dash(t.stopped_reason.as_deref())),
        ]);
    } else {
        cells.extend([
            Cell::new(age_or_dash(t.started_at, now)),
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
