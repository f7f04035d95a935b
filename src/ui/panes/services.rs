//! The services view: the services of one cluster, coloured by health.

use chrono::{DateTime, Utc};

use crate::metrics::triage::rolling_back;
use crate::metrics::{Series, Thresholds, alarms_for, sparkline};
use crate::store::Store;
use crate::store::model::{CapacityProviderStrategyItem, Service, task_definition_short};
use crate::ui::format::age_or_dash;
use crate::ui::table::{Cell, Column, Role, TableModel, TableRow, status_role};

pub fn model(
    store: &Store,
    cluster: &str,
    now: DateTime<Utc>,
    thresholds: Thresholds,
) -> TableModel {
    let columns = vec![
        Column::new("NAME", 40, 0),
        Column::new("ALARM", 5, 1),
        Column::new("CPU", 13, 2),
        Column::new("MEM", 13, 3),
        Column::new("STATUS", 8, 7),
        // Running over desired, like k9s's READY: the number an on-call engineer reads first.
        Column::new("RUN/DES", 9, 0),
        Column::new("PEND", 4, 3),
        Column::new("TASK DEF", 32, 1),
        Column::new("LAUNCH", 30, 5),
        Column::new("DEPLOYS", 7, 6),
        Column::new("ROLLOUT", 11, 0),
        Column::new("AGE", 5, 4),
    ];
    let utilisation = store.service_metrics.get(cluster).and_then(|l| l.value());
    let alarms = store.alarms.value().map(Vec::as_slice).unwrap_or_default();
    let rows = store
        .services_of(cluster)
        .and_then(|l| l.value())
        .into_iter()
        .flatten()
        .map(|s| {
            let mut row = row(s, now);
            let firing = alarms_for(alarms, cluster, &s.service_name)
                .iter()
                .filter(|a| a.state == "ALARM")
                .count();
            let util = utilisation.and_then(|m| m.get(&s.service_name));
            let extra = [
                if firing > 0 {
                    Cell::with_role(format!("⚠ {firing}"), Role::Failure)
                } else {
                    Cell::new("-")
                },
                util_cell(util.map(|u| &u.cpu), thresholds),
                util_cell(util.map(|u| &u.memory), thresholds),
            ];
            if firing > 0 {
                row.role = Role::Failure;
            }
            row.cells.splice(1..1, extra);
            row
        })
        .collect();
    TableModel { columns, rows }
}

/// `45% ▂▃▅▆`: the latest value and the last 30 minutes, coloured by the thresholds.
pub fn util_cell(series: Option<&Series>, thresholds: Thresholds) -> Cell {
    let Some(series) = series.filter(|s| !s.is_empty()) else {
        return Cell::with_role("-", Role::Muted);
    };
    let now = series.last().map_or(0.0, |p| p.1);
    let role = if now >= thresholds.failure {
        Role::Failure
    } else if now >= thresholds.warning {
        Role::Warning
    } else {
        Role::Text
    };
    Cell::with_role(format!("{now:>3.0}% {}", sparkline(series, 8)), role)
}

/// How a service is doing, worst first; drives the row colour.
pub fn health(service: &Service) -> Role {
    let rollout = service
        .primary_deployment()
        .and_then(|d| d.rollout_state.as_deref());
    if rollout == Some("FAILED")
        || rolling_back(service)
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
    // A failed or rolling-back rollout must be unmistakable in the list.
    let rollout = match primary.and_then(|d| d.rollout_state.clone()) {
        Some(state) if state == "FAILED" => "✖ FAILED".to_string(),
        _ if rolling_back(s) => "↺ ROLLBACK".to_string(),
        Some(state) => state,
        None => "-".to_string(),
    };
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
            Cell::with_role(
                &rollout,
                if rollout.starts_with('✖') || rollout.starts_with('↺') {
                    Role::Failure
                } else {
                    status_role(&rollout)
                },
            ),
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
