//! The capacity providers view (`:capacity`, `C` on a cluster): where a cluster's capacity
//! comes from when tasks sit in PENDING. One row per provider: its type, the cluster's
//! default strategy (base, weight), managed scaling (status, target, step sizes), managed
//! termination protection, and for Auto Scaling group providers the group's min / desired /
//! max, its instances InService and Pending, and CapacityProviderReservation over the last
//! 30 minutes (over 100 %: ECS is scaling out). `enter` on a group's row lists the
//! container instances that provider registered.

use super::format::dash;
use super::instances::Instances;
use super::table::{Cell, Column, Role, TableModel, TableRow, status_role};
use super::{Effect, Freshness, RowContext, Selection, View, ViewSpec};
use crate::backend::fetch_capacity::describable;
use crate::domain::capacity::{AutoScalingGroup, CapacityProvider, FARGATE, FARGATE_SPOT};
use crate::domain::ecs::{CapacityProviderStrategyItem, Cluster};
use crate::domain::metrics::Series;
use crate::keymap::{Action, KeyContext};
use crate::store::{Resource, Store};

/// The capacity providers of one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capacity {
    pub cluster: String,
}

impl ViewSpec for Capacity {
    fn key_context(&self) -> KeyContext {
        KeyContext::Capacity
    }

    fn title(&self, _view: &View) -> String {
        format!("capacity({})", self.cluster)
    }

    fn cluster(&self) -> Option<&str> {
        Some(&self.cluster)
    }

    /// The providers and the default strategy come with the clusters list (polled for the
    /// breadcrumb anyway): no DescribeClusters of its own.
    fn resources(&self, _view: &View) -> Vec<Resource> {
        vec![Resource::Clusters]
    }

    /// Once the cluster is known: its providers (Fargate's are never described), then the
    /// Auto Scaling groups they name and their reservation; every 60 s while open.
    fn derived_resources(&self, _view: &View, store: &Store) -> Vec<Resource> {
        let Some(cluster) = find_cluster(store, &self.cluster) else {
            return Vec::new();
        };
        let names = describable(&cluster.capacity_providers);
        if names.is_empty() {
            return Vec::new();
        }
        let scaled: Vec<&CapacityProvider> = (names.iter())
            .filter_map(|n| store.capacity_provider(n))
            .filter(|p| p.auto_scaling_group.is_some())
            .collect();
        let mut out = vec![Resource::CapacityProviders { names }];
        let groups: Vec<String> = (scaled.iter())
            .filter_map(|p| p.group_name().map(str::to_string))
            .collect();
        if !groups.is_empty() {
            out.push(Resource::AutoScalingGroups { names: groups });
        }
        let managed: Vec<String> = (scaled.iter())
            .filter(|p| managed_scaling_on(p))
            .map(|p| p.name.clone())
            .collect();
        if !managed.is_empty() {
            out.push(Resource::CapacityReservation {
                cluster: self.cluster.clone(),
                providers: managed,
            });
        }
        out
    }

    /// The clusters list's age, with the first error of the capacity calls: a missing
    /// `autoscaling:DescribeAutoScalingGroups` permission says so in the header.
    fn freshness(&self, view: &View, store: &Store) -> Freshness {
        let mut freshness = Freshness::of(Some(&store.clusters));
        for resource in self.derived_resources(view, store) {
            let part = match &resource {
                Resource::CapacityProviders { names } => {
                    Freshness::of(store.capacity_providers.get(names))
                }
                Resource::AutoScalingGroups { names } => {
                    Freshness::of(store.auto_scaling_groups.get(names))
                }
                Resource::CapacityReservation { cluster, .. } => {
                    Freshness::of(store.capacity_reservation.get(cluster))
                }
                _ => continue,
            };
            freshness.loading |= part.loading && part.fetched_at.is_none();
            if freshness.error.is_none() && part.error.is_some() {
                freshness.error = part.error;
                freshness.next_try = part.next_try;
            }
        }
        freshness
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        Some(model(ctx.store, &self.cluster))
    }

    fn empty_text(&self, _view: &View) -> &'static str {
        " no capacity providers: this cluster's tasks run by launch type"
    }

    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        if action != Action::Open {
            return None;
        }
        let provider = on.store.capacity_provider(on.key?)?;
        provider.auto_scaling_group.as_ref()?;
        let hosts = Instances {
            cluster: self.cluster.clone(),
            provider: Some(provider.name.clone()),
        };
        Some(Effect::Push(hosts.into()))
    }

    fn subject(&self, on: &Selection) -> Option<super::Subject> {
        let name = on.key?;
        Some(super::Subject {
            kind: "capacity provider",
            name: name.to_string(),
            arn: on
                .store
                .capacity_provider(name)
                .and_then(|p| p.capacity_provider_arn.clone()),
            // The cluster's page lists its providers (Infrastructure tab).
            page: Some(crate::domain::console::Page::Cluster {
                cluster: self.cluster.clone(),
            }),
            clip: None,
        })
    }
}

fn find_cluster<'a>(store: &'a Store, name: &str) -> Option<&'a Cluster> {
    (store.clusters.value()?.iter()).find(|c| c.cluster_name == name || c.cluster_arn == name)
}

fn managed_scaling_on(provider: &CapacityProvider) -> bool {
    (provider.auto_scaling_group.as_ref())
        .and_then(|g| g.managed_scaling.as_ref())
        .is_some_and(|m| m.status.as_deref() == Some("ENABLED"))
}

pub fn model(store: &Store, cluster: &str) -> TableModel {
    let columns = vec![
        Column::new("PROVIDER", 24, 0),
        Column::new("TYPE", 12, 1),
        Column::new("BASE", 4, 2),
        Column::new("WEIGHT", 6, 2),
        Column::new("SCALING", 12, 3),
        Column::new("STEP", 7, 7),
        Column::new("TERM.PROT", 9, 6),
        Column::new("GROUP", 20, 8),
        Column::new("MIN/DES/MAX", 11, 4),
        Column::new("IN SVC", 6, 4),
        Column::new("PEND", 4, 4),
        Column::new("RESERVATION", 16, 5),
        Column::new("STATUS", 8, 9),
    ];
    let Some(found) = find_cluster(store, cluster) else {
        return TableModel::new(columns, Vec::new());
    };
    // The cluster's providers, then any the strategy names that the list lacks.
    let mut names: Vec<&str> = found
        .capacity_providers
        .iter()
        .map(String::as_str)
        .collect();
    for item in &found.default_capacity_provider_strategy {
        if !names.contains(&item.capacity_provider.as_str()) {
            names.push(&item.capacity_provider);
        }
    }
    let reservation = (store.capacity_reservation.get(cluster)).and_then(|l| l.value());
    let rows = names
        .into_iter()
        .map(|name| {
            let strategy = (found.default_capacity_provider_strategy.iter())
                .find(|s| s.capacity_provider == name);
            let series = reservation.and_then(|r| r.get(name));
            row(store, name, strategy, series)
        })
        .collect();
    TableModel::new(columns, rows)
}

fn row(
    store: &Store,
    name: &str,
    strategy: Option<&CapacityProviderStrategyItem>,
    reservation: Option<&Series>,
) -> TableRow {
    let described = store.capacity_provider(name);
    let asg = described.and_then(|p| p.auto_scaling_group.as_ref());
    let group = described
        .and_then(CapacityProvider::group_name)
        .and_then(|g| store.auto_scaling_group(g));
    let scaling = asg.and_then(|a| a.managed_scaling.as_ref());
    let status = described.and_then(|p| p.status.as_deref());
    let mut cells = vec![
        Cell::new(name),
        Cell::new(kind(name, described)),
        strategy.map_or_else(
            || Cell::with_role("-", Role::Muted),
            |s| Cell::number(s.base),
        ),
        strategy.map_or_else(
            || Cell::with_role("-", Role::Muted),
            |s| Cell::number(s.weight),
        ),
        scaling_cell(scaling),
        Cell::new(steps(scaling)),
        Cell::new(dash(
            asg.and_then(|a| a.managed_termination_protection.as_deref()),
        )),
        Cell::new(dash(described.and_then(CapacityProvider::group_name))),
    ];
    cells.extend(group_cells(group));
    cells.push(reservation_cell(reservation));
    cells.push(match status {
        Some(s) => Cell::with_role(s, status_role(s)),
        None => Cell::with_role("-", Role::Muted),
    });
    TableRow {
        key: name.to_string(),
        cells,
        role: row_role(status, group),
    }
}

/// What the provider is, in the words of the console.
fn kind(name: &str, described: Option<&CapacityProvider>) -> String {
    match name {
        FARGATE => return "Fargate".to_string(),
        FARGATE_SPOT => return "Fargate Spot".to_string(),
        _ => {}
    }
    match described {
        Some(p) if p.auto_scaling_group.is_some() => "Auto Scaling".to_string(),
        Some(p) => match p.kind.as_deref() {
            Some("MANAGED_INSTANCES") => "Managed inst.".to_string(),
            other => dash(other),
        },
        None => "-".to_string(),
    }
}

/// Inactive providers and groups that cannot reach what they want stand out.
fn row_role(status: Option<&str>, group: Option<&AutoScalingGroup>) -> Role {
    if status.is_some_and(|s| s != "ACTIVE") {
        return Role::Failure;
    }
    match group {
        Some(g) if g.desired_capacity >= g.max_size && g.max_size > 0 => Role::Warning,
        Some(g) if g.pending > 0 || g.in_service < g.desired_capacity => Role::Warning,
        _ => Role::Text,
    }
}

fn scaling_cell(scaling: Option<&crate::domain::capacity::ManagedScaling>) -> Cell {
    let Some(scaling) = scaling else {
        return Cell::with_role("-", Role::Muted);
    };
    let status = scaling.status.as_deref().unwrap_or("?");
    match (status, scaling.target_capacity) {
        ("ENABLED", Some(target)) => Cell::new(format!("on → {target}%")).sorted_by(target.into()),
        ("ENABLED", None) => Cell::new("on"),
        (other, _) => Cell::with_role(other.to_ascii_lowercase(), Role::Muted),
    }
}

/// Managed scaling's minimum and maximum step: how many instances ECS adds at a time.
fn steps(scaling: Option<&crate::domain::capacity::ManagedScaling>) -> String {
    match scaling.map(|s| (s.minimum_scaling_step_size, s.maximum_scaling_step_size)) {
        Some((Some(min), Some(max))) => format!("{min}–{max}"),
        _ => "-".to_string(),
    }
}

/// MIN/DES/MAX, IN SVC and PEND of the provider's group; dashes when it has none.
fn group_cells(group: Option<&AutoScalingGroup>) -> [Cell; 3] {
    let Some(g) = group else {
        return std::array::from_fn(|_| Cell::with_role("-", Role::Muted));
    };
    let bounds = Cell::new(format!(
        "{}/{}/{}",
        g.min_size, g.desired_capacity, g.max_size
    ))
    .sorted_by(g.desired_capacity.into());
    let in_service = if g.in_service < g.desired_capacity {
        Cell::with_role(g.in_service.to_string(), Role::Warning).sorted_by(g.in_service.into())
    } else {
        Cell::number(g.in_service)
    };
    let pending = if g.pending > 0 {
        Cell::with_role(g.pending.to_string(), Role::Warning).sorted_by(g.pending.into())
    } else {
        Cell::number(g.pending)
    };
    [bounds, in_service, pending]
}

/// The last value and a sparkline scaled to 200 %, so the 100 % target sits mid-height:
/// over it ECS is adding instances, under it removing them.
fn reservation_cell(series: Option<&Series>) -> Cell {
    let Some(series) = series.filter(|s| !s.is_empty()) else {
        return Cell::with_role("-", Role::Muted);
    };
    let now = series.last().map_or(0.0, |p| p.1);
    let role = if now > 100.0 {
        Role::Warning
    } else {
        Role::Text
    };
    let line = super::format::sparkline_up_to(series, 8, 200.0);
    Cell::with_role(format!("{now:>3.0}% {line}"), role).sorted_by(now)
}
