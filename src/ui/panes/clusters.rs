//! The clusters view: every cluster of the account and region.

use super::services::util_cell;
use crate::metrics::Thresholds;
use crate::store::Store;
use crate::ui::table::{Cell, Column, Role, TableModel, TableRow, status_role};

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
                    Cell::new(c.active_services_count.to_string()),
                    Cell::new(c.running_tasks_count.to_string()),
                    Cell::new(c.pending_tasks_count.to_string()),
                    Cell::new(c.registered_container_instances_count.to_string()),
                    Cell::new(providers),
                ],
                role,
            }
        })
        .collect();
    TableModel { columns, rows }
}
