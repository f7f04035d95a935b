//! The clusters view: every cluster of the account and region — or of every region the
//! session spans (`regions = [...]`), with a REGION column; a cluster of another region is
//! opened by moving the session there.

use super::describe::DescribeTarget;
use super::services::util_cell;
use super::table::{Cell, Column, Role, TableModel, TableRow, status_role};
use super::{Effect, Freshness, RowContext, Selection, View, ViewKind, ViewSpec, cluster_names};
use crate::domain::metrics::Thresholds;
use crate::keymap::{Action, KeyContext};
use crate::store::{Resource, Store};

/// `:clusters`: every cluster of the account and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clusters;

impl ViewSpec for Clusters {
    fn key_context(&self) -> KeyContext {
        KeyContext::Clusters
    }

    fn title(&self, _view: &View) -> String {
        "clusters".to_string()
    }

    fn resources(&self, _view: &View) -> Vec<Resource> {
        vec![Resource::Clusters]
    }

    fn derived_resources(&self, _view: &View, store: &Store) -> Vec<Resource> {
        let clusters = cluster_names(store);
        if clusters.is_empty() {
            Vec::new()
        } else {
            vec![Resource::ClusterMetrics { clusters }]
        }
    }

    /// Another spanned region's clusters and their utilisation.
    fn regional_resources(&self, view: &View, regional: &Store) -> Vec<Resource> {
        let mut out = vec![Resource::Clusters];
        out.extend(self.derived_resources(view, regional));
        out
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        Freshness::of(Some(&store.clusters))
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        Some(model(ctx.store, ctx.thresholds, ctx.region))
    }

    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        let (name, elsewhere) = split_region(on.key?);
        let name = name.to_string();
        if let Some(region) = elsewhere {
            // Only opening makes sense from here: describe and the rest act on this region.
            return (action == Action::Open).then(|| Effect::OpenInRegion {
                region: region.to_string(),
                views: vec![
                    View::new(ViewKind::clusters()),
                    View::new(ViewKind::services(name)),
                ],
            });
        }
        match action {
            Action::Open => Some(Effect::Push(ViewKind::services(name))),
            Action::Instances => Some(Effect::Push(
                super::instances::Instances {
                    cluster: name,
                    provider: None,
                }
                .into(),
            )),
            Action::Capacity => Some(Effect::Push(
                super::capacity::Capacity { cluster: name }.into(),
            )),
            Action::Describe => Some(Effect::Push(ViewKind::describe(DescribeTarget::Cluster {
                name,
            }))),
            _ => None,
        }
    }

    fn subject(&self, on: &Selection) -> Option<super::Subject> {
        match split_region(on.key?) {
            (name, None) => Some(super::subject::cluster(on.store, name)),
            (_, Some(_)) => None,
        }
    }
}

/// Row keys of other regions' rows are `NAME@REGION` (`@` is never part of a cluster name).
pub fn split_region(key: &str) -> (&str, Option<&str>) {
    match key.split_once('@') {
        Some((name, region)) => (name, Some(region)),
        None => (key, None),
    }
}

/// The clusters of this region, then of each other spanned region (`store.regions`).
pub fn model(store: &Store, thresholds: Thresholds, region: &str) -> TableModel {
    let spans = !store.regions.is_empty();
    let mut columns = vec![Column::new("NAME", 40, 0)];
    if spans {
        columns.push(Column::new("REGION", 14, 1));
    }
    columns.extend([
        Column::new("CPU", 13, 2),
        Column::new("MEM", 13, 3),
        Column::new("STATUS", 12, 5),
        Column::new("SERVICES", 8, 2),
        Column::new("RUNNING", 7, 0),
        Column::new("PENDING", 7, 1),
        Column::new("INSTANCES", 9, 3),
        Column::new("CAPACITY PROVIDERS", 40, 4),
    ]);
    let mut rows = region_rows(store, thresholds, spans.then_some((region, true)));
    for (other, regional) in &store.regions {
        rows.extend(region_rows(regional, thresholds, Some((other, false))));
    }
    TableModel::new(columns, rows)
}

/// One region's rows; `region` is `(name, is the session's)` when the list spans regions.
fn region_rows(
    store: &Store,
    thresholds: Thresholds,
    region: Option<(&str, bool)>,
) -> Vec<TableRow> {
    store
        .clusters
        .value()
        .into_iter()
        .flatten()
        .map(|c| {
            let role = if c.status != "ACTIVE" {
                Role::Failure
            } else if c.pending_tasks_count > 0 {
                Role::Warning
            } else {
                Role::Text
            };
            let providers = if c.capacity_providers.is_empty() {
                "-".to_string()
            } else {
                c.capacity_providers.join(",")
            };
            let util = store
                .cluster_metrics
                .value()
                .and_then(|m| m.get(&c.cluster_name));
            let mut cells = vec![Cell::new(&c.cluster_name)];
            let key = match region {
                Some((name, home)) => {
                    cells.push(Cell::with_role(
                        name,
                        if home { Role::Info } else { Role::Text },
                    ));
                    if home {
                        c.cluster_name.clone()
                    } else {
                        format!("{}@{name}", c.cluster_name)
                    }
                }
                None => c.cluster_name.clone(),
            };
            cells.extend([
                util_cell(util.map(|u| &u.cpu), thresholds),
                util_cell(util.map(|u| &u.memory), thresholds),
                Cell::with_role(&c.status, status_role(&c.status)),
                Cell::number(c.active_services_count),
                Cell::number(c.running_tasks_count),
                Cell::number(c.pending_tasks_count),
                Cell::number(c.registered_container_instances_count),
                Cell::new(providers),
            ]);
            TableRow { key, cells, role }
        })
        .collect()
}
