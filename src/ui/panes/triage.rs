//! The triage view (`:triage`, `:triage all`): services that need attention, worst first.

use chrono::{DateTime, Utc};

use crate::metrics::Thresholds;
use crate::metrics::triage::rows;
use crate::store::Store;
use crate::ui::table::{Cell, Column, Role, TableModel, TableRow};

/// Row keys are `cluster/service`, so Enter can jump to the service.
pub fn model(
    store: &Store,
    cluster: Option<&str>,
    thresholds: Thresholds,
    now: DateTime<Utc>,
) -> TableModel {
    let columns = vec![
        Column::new("CLUSTER", 24, 2),
        Column::new("SERVICE", 32, 0),
        Column::new("WHY", 200, 0),
    ];
    let clusters: Vec<String> = match cluster {
        Some(c) => vec![c.to_string()],
        None => store
            .clusters
            .value()
            .map(|v| v.iter().map(|c| c.cluster_name.clone()).collect())
            .unwrap_or_default(),
    };
    let rows = rows(store, &clusters, thresholds, now)
        .into_iter()
        .map(|r| {
            let worst = r.findings.first().map_or(0, |f| f.severity);
            let role = match worst {
                80.. => Role::Failure,
                50.. => Role::Warning,
                _ => Role::Text,
            };
            let why: Vec<String> = r.findings.iter().map(|f| f.reason.clone()).collect();
            TableRow {
                key: format!("{}/{}", r.cluster, r.service),
                cells: vec![
                    Cell::new(&r.cluster),
                    Cell::new(&r.service),
                    Cell::new(why.join("; ")),
                ],
                role,
            }
        })
        .collect();
    TableModel { columns, rows }
}
