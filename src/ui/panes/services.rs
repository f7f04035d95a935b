//! The services view: the services of one cluster, coloured by health.

use chrono::{DateTime, Utc};

use crate::store::Store;
use crate::store::model::{CapacityProviderStrategyItem, Service, task_definition_short};
use crate::ui::format::age_or_dash;
use crate::ui::table::{Cell, Column, Role, TableModel, TableRow, status_role};

pub fn model(store: &Store, cluster: &str, now: DateTime<Utc>) -> TableModel {
    let columns = vec![
        Column::new("NAME", 40, 0),
        Column::new("STATUS", 8, 7),
        // Running over desired, like k9s's READY: the number an on-call engineer reads first.
        Column::new("RUN/DES", 9, 0),
        Column::new("PEND", 4, 3),
        Column::new("TASK DEF", 32, 1),
        Column::new("LAUNCH", 30, 5),
        Column::new("DEPLOYS", 7, 6),
        Column::new("ROLLOUT", 11, 2),
        Column::new("AGE", 5, 4),
    ];
    let rows = store
        .services_of(cluster)
        .and_then(|l| l.value())
        .into_iter()
        .flatten()
        .map(|s| row(s, now))
        .collect();
    TableModel { columns, rows }
}

/// How a service is doing, worst first; drives the row colour.
pub fn health(service: &Service) -> Role {
    let rollout = service
        .primary_deployment()
        .and_then(|d| d.rollout_state.as_deref());
    if rollout == Some("FAILED")
        || service.running_count < service.desired_count && service.pending_count == 0
        || service.status != "ACTIVE"
    {
        Role::Failure
    } else if rollout == Some("IN_PROGRESS")
        || service.running_count < service.desired_count
        || service.deployments.len() > 1
    {
        Role::Warning
    } else {
        Role::Text
    }
}

fn row(s: &Service, now: DateTime<Utc>) -> TableRow {
    let role = health(s);
    let primary = s.primary_deployment();
    let rollout = primary
        .and_then(|d| d.rollout_state.clone())
        .unwrap_or_else(|| "-".to_string());
    let running_role = if s.running_count < s.desired_count {
        Role::Failure
    } else {
        Role::Success
    };
    TableRow {
        key: s.service_name.clone(),
        cells: vec![
            Cell::new(&s.service_name),
            Cell::with_role(&s.status, status_role(&s.status)),
            Cell::with_role(
                format!("{}/{}", s.running_count, s.desired_count),
                running_role,
            ),
            Cell::new(s.pending_count.to_string()),
            Cell::new(task_definition_short(&s.task_definition)),
            Cell::new(launch(s)),
            Cell::new(s.deployments.len().to_string()),
            Cell::with_role(&rollout, status_role(&rollout)),
            Cell::new(age_or_dash(s.created_at, now)),
        ],
        role,
    }
}

/// The launch type, or the capacity provider strategy as `PROVIDER:weight` pairs.
pub fn launch(s: &Service) -> String {
    if let Some(lt) = &s.launch_type
        && s.capacity_provider_strategy.is_empty()
    {
        return lt.clone();
    }
    strategy(&s.capacity_provider_strategy)
}

pub fn strategy(items: &[CapacityProviderStrategyItem]) -> String {
    if items.is_empty() {
        return "-".to_string();
    }
    items
        .iter()
        .map(|i| {
            if i.base > 0 {
                format!("{}:{}(base {})", i.capacity_provider, i.weight, i.base)
            } else {
                format!("{}:{}", i.capacity_provider, i.weight)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
