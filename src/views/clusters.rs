//! The clusters view: every cluster of the account and region.

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

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        Freshness::of(Some(&store.clusters))
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        Some(model(ctx.store, ctx.thresholds))
    }

    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        let name = on.key?.to_string();
        match action {
            Action::Open => Some(Effect::Push(ViewKind::services(name))),
            Action::Describe => Some(Effect::Push(ViewKind::describe(DescribeTarget::Cluster {
                name,
            }))),
            _ => None,
        }
    }

    fn subject(&self, on: &Selection) -> Option<super::Subject> {
        Some(super::subject::cluster(on.store, on.key?))
    }
}

pub fn model(store: &Store, thresholds: Thresholds) -> TableModel {
    let columns = vec![
        Column::new("NAME", 40, 0),
        Column::new("CPU", 13, 2),
        Column::new("MEM", 13, 3),
        Column::new("STATUS", 12, 5),
        Column::new("SERVICES", 8, 2),
        Column::new("RUNNING", 7, 0),
        Column::new("PENDING", 7, 1),
        Column::new("INSTANCES", 9, 3),
        Column::new("CAPACITY PROVIDERS", 40, 4),
    ];
    let rows = store
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
            TableRow {
                key: c.cluster_name.clone(),
                cells: vec![
                    Cell::new(&c.cluster_name),
                    util_cell(util.map(|u| &u.cpu), thresholds),
                    util_cell(util.map(|u| &u.memory), thresholds),
                    Cell::with_role(&c.status, status_role(&c.status)),
                    Cell::number(c.active_services_count),
                    Cell::number(c.running_tasks_count),
                    Cell::number(c.pending_tasks_count),
                    Cell::number(c.registered_container_instances_count),
                    Cell::new(providers),
                ],
                role,
            }
        })
        .collect();
    TableModel::new(columns, rows)
}
