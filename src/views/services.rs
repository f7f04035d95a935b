//! The services view: the services of one cluster, coloured by health.

use chrono::{DateTime, Utc};

use super::describe::DescribeTarget;
use super::format::{age_cell, sparkline};
use super::table::{Cell, Column, Role, TableModel, TableRow, status_role};
use super::triage_rules::rolling_back;
use super::{Effect, Freshness, RowContext, Selection, View, ViewKind, ViewSpec, cluster_watch};
use crate::domain::ecs::{CapacityProviderStrategyItem, Service, task_definition_short};
use crate::domain::metrics::{Series, Thresholds};
use crate::keymap::{Action, KeyContext};
use crate::logs::LogScope;
use crate::store::{Resource, Store};

/// The services of one cluster, coloured by health, with utilisation and alarms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Services {
    pub cluster: String,
}

impl ViewSpec for Services {
    fn key_context(&self) -> KeyContext {
        KeyContext::Services
    }

    fn title(&self, _view: &View) -> String {
        format!("services({})", self.cluster)
    }

    fn cluster(&self) -> Option<&str> {
        Some(&self.cluster)
    }

    fn resources(&self, _view: &View) -> Vec<Resource> {
        vec![Resource::Services {
            cluster: self.cluster.clone(),
        }]
    }

    fn derived_resources(&self, view: &View, store: &Store) -> Vec<Resource> {
        let mut out = cluster_watch(store, &self.cluster);
        out.push(Resource::Alarms);
        let shown = super::balancing::on_screen(store, &self.cluster, &view.on_screen);
        out.extend(super::balancing::target_health(shown));
        out
    }

    fn freshness(&self, view: &View, store: &Store) -> Freshness {
        let resource = Resource::Services {
            cluster: self.cluster.clone(),
        };
        let stored = store.services_of(&self.cluster);
        super::list_rows::freshness(store, &resource, stored, &view.on_screen)
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        Some(model(ctx.store, &self.cluster, ctx.now, ctx.thresholds))
    }

    fn shows_pending(&self) -> bool {
        true
    }

    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        let service = on.key?.to_string();
        let cluster = self.cluster.clone();
        let push = |kind: ViewKind| Some(Effect::Push(kind));
        match action {
            Action::Open => push(
                super::tasks::Tasks {
                    cluster,
                    service: Some(service),
                    instance: None,
                }
                .into(),
            ),
            Action::Describe => push(ViewKind::describe(DescribeTarget::Service {
                cluster,
                name: service,
            })),
            Action::TaskDefinition => {
                let arn = find(on.store, &cluster, &service)?.task_definition.clone();
                push(ViewKind::describe(DescribeTarget::TaskDefinition { arn }))
            }
            Action::Logs => Some(Effect::OpenLogs(LogScope::Service { cluster, service })),
            Action::Metrics => push(super::detail::Detail { cluster, service }.into()),
            Action::Events => push(super::events::Events { cluster, service }.into()),
            _ => None,
        }
    }

    fn subject(&self, on: &Selection) -> Option<super::Subject> {
        Some(super::subject::service(on.store, &self.cluster, on.key?))
    }
}

/// A service of a cluster, as last fetched.
pub fn find<'a>(store: &'a Store, cluster: &str, name: &str) -> Option<&'a Service> {
    store
        .services_of(cluster)?
        .value()?
        .iter()
        .find(|s| s.service_name == name)
}

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
        // Healthy over registered targets in the service's target groups.
        Column::new("TARGETS", 30, 2),
        Column::new("PEND", 4, 3),
        Column::new("TASK DEF", 32, 1),
        Column::new("LAUNCH", 30, 5),
        Column::new("DEPLOYS", 7, 6),
        Column::new("ROLLOUT", 11, 0),
        Column::new("AGE", 5, 4),
    ];
    let utilisation = store.service_metrics.get(cluster).and_then(|l| l.value());
    let rows = store
        .services_of(cluster)
        .and_then(|l| l.value())
        .into_iter()
        .flatten()
        .map(|s| {
            let mut row = row(s, now);
            let firing = store
                .alarms_for(cluster, &s.service_name)
                .iter()
                .filter(|a| a.state == "ALARM")
                .count();
            let util = utilisation.and_then(|m| m.get(&s.service_name));
            let extra = [
                if firing > 0 {
                    Cell::with_role(format!("⚠ {firing}"), Role::Failure).sorted_by(firing as f64)
                } else {
                    Cell::new("-").sorted_by(0.0)
                },
                util_cell(util.map(|u| &u.cpu), thresholds),
                util_cell(util.map(|u| &u.memory), thresholds),
            ];
            if firing > 0 {
                row.role = Role::Failure;
            }
            row.cells.splice(1..1, extra);
            // After NAME, ALARM, CPU, MEM, STATUS and RUN/DES.
            row.cells
                .insert(6, super::balancing::targets_cell(store, s));
            row
        })
        .collect();
    let rows = with_placeholders(store, cluster, columns.len(), rows);
    TableModel::new(columns, rows)
}

/// The services listed but not described yet, as name-only rows (a big cluster shows every
/// name within seconds; the rows on screen are described first).
fn with_placeholders(
    store: &Store,
    cluster: &str,
    columns: usize,
    mut rows: Vec<TableRow>,
) -> Vec<TableRow> {
    let resource = Resource::Services {
        cluster: cluster.to_string(),
    };
    let present: std::collections::HashSet<String> = rows.iter().map(|r| r.key.clone()).collect();
    let waiting = super::list_rows::placeholders(
        store,
        &resource,
        columns,
        &|key| present.contains(key),
        &|key| key.to_string(),
    );
    if !waiting.is_empty() {
        rows.extend(waiting);
        // Interleaved by name, the list's order, so the top of the list is the top.
        rows.sort_by(|a, b| a.key.cmp(&b.key));
    }
    rows
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
    Cell::with_role(format!("{now:>3.0}% {}", sparkline(series, 8)), role).sorted_by(now)
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
            )
            .sorted_by(f64::from(s.running_count - s.desired_count)),
            Cell::number(s.pending_count),
            Cell::new(task_definition_short(&s.task_definition)),
            Cell::new(launch(s)),
            Cell::number(s.deployments.len() as u32),
            Cell::with_role(
                &rollout,
                if rollout.starts_with('✖') || rollout.starts_with('↺') {
                    Role::Failure
                } else {
                    status_role(&rollout)
                },
            ),
            age_cell(s.created_at, now),
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
