//! Drain and undrain (`D` / `U` in `:instances`): the selected container instance, or every
//! one marked with `space`, with the same safety as the other actions — refused in
//! read-only here and again by the executor, confirmed with every instance named and the
//! equivalent aws CLI command, journaled, and marked pending until the new status is seen.

use chrono::{DateTime, Utc};

use super::operations::{busy, refuse_if_read_only};
use crate::domain::ecs::{InstanceRef, InstanceStatus};
use crate::domain::mutation::Mutation;
use crate::state::dialog::{ConfirmDialog, Dialog};
use crate::state::{StatusLevel, UiState};
use crate::store::Store;
use crate::views::ViewKind;

/// `D` (DRAINING) or `U` (ACTIVE): opens the confirmation for the marked instances, or the
/// one under the cursor.
pub fn start(store: &Store, ui: &mut UiState, status: InstanceStatus) {
    let what = match status {
        InstanceStatus::Draining => "draining container instances",
        InstanceStatus::Active => "undraining container instances",
    };
    if refuse_if_read_only(ui, what) {
        return;
    }
    let view = ui.top();
    let ViewKind::Instances(instances) = &view.kind else {
        return;
    };
    let cluster = instances.cluster.clone();
    let keys: Vec<String> = if view.marked.is_empty() {
        ui.selected_key(store).into_iter().collect()
    } else {
        view.marked.iter().cloned().collect()
    };
    let chosen: Vec<InstanceRef> = keys
        .iter()
        .map(|arn| {
            crate::views::instances::find(store, &cluster, arn).map_or_else(
                || InstanceRef {
                    arn: arn.clone(),
                    ec2_instance_id: None,
                },
                |i| i.reference(),
            )
        })
        .collect();
    if chosen.is_empty() || chosen.iter().any(|i| busy(ui, &cluster, &i.arn)) {
        return;
    }
    let already: Vec<&str> = chosen
        .iter()
        .filter(|i| {
            crate::views::instances::find(store, &cluster, &i.arn)
                .is_some_and(|found| found.status == status.as_aws())
        })
        .map(InstanceRef::label)
        .collect();
    if already.len() == chosen.len() {
        ui.set_status(
            StatusLevel::Info,
            format!("Already {}: {}.", status.as_aws(), already.join(", ")),
        );
        return;
    }
    ui.dialog = Some(Dialog::Confirm(ConfirmDialog {
        mutation: Mutation::SetInstancesState {
            cluster,
            instances: chosen,
            status,
        },
        typed: None,
        error: None,
    }));
}

/// A drain or undrain is observed once a complete list of the cluster's instances fetched
/// after it shows the instance in the new status.
pub fn observed(
    store: &Store,
    cluster: &str,
    arn: &str,
    status: &str,
    since: DateTime<Utc>,
) -> bool {
    let Some(listed) = store.instances.get(cluster) else {
        return false;
    };
    if listed.incomplete.is_some() || listed.fetched_at.is_none_or(|at| at <= since) {
        return false;
    }
    listed
        .value()
        .and_then(|v| v.iter().find(|i| i.container_instance_arn == arn))
        .is_some_and(|i| i.status == status)
}
