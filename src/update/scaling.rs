//! Service auto scaling from the detail pane: `a` changes the min / max, `i` and `o`
//! suspend or resume dynamic scale-in and scale-out — with the same safety as the other
//! actions: refused in read-only here and again by the executor, confirmed with the target
//! named and the equivalent aws CLI command, journaled, pending until the target shows it.

use chrono::{DateTime, Utc};

use super::operations::{busy, refuse_if_read_only};
use crate::domain::mutation::{Mutation, scalable_resource_id};
use crate::domain::scaling::{ScalableTarget, ScalingDirection, Suspended};
use crate::state::dialog::{ConfirmDialog, Dialog, ScalingRangeDialog, one_line_field};
use crate::state::{StatusLevel, UiState};
use crate::store::Store;
use crate::views::ViewKind;

/// The detail pane's service and its scalable target, or why there is nothing to change
/// (said on the status line).
fn detail_target(store: &Store, ui: &mut UiState) -> Option<(String, String, ScalableTarget)> {
    let ViewKind::ServiceDetail(detail) = &ui.top().kind else {
        return None;
    };
    let (cluster, service) = (detail.cluster.clone(), detail.service.clone());
    match store.scalable_target(&cluster, &service) {
        Some(Some(target)) => {
            if busy(ui, &cluster, &scalable_resource_id(&cluster, &service)) {
                return None;
            }
            Some((cluster, service, target))
        }
        Some(None) => {
            ui.set_status(
                StatusLevel::Info,
                format!("{service} has no auto scaling target: there is nothing to change."),
            );
            None
        }
        None => {
            ui.set_status(
                StatusLevel::Info,
                "The auto scaling target is still being read; try again in a moment.",
            );
            None
        }
    }
}

/// `a`: type the new min / max.
pub fn start_range(store: &Store, ui: &mut UiState) {
    if refuse_if_read_only(ui, "changing auto scaling") {
        return;
    }
    let Some((cluster, service, target)) = detail_target(store, ui) else {
        return;
    };
    let current = (target.min_capacity, target.max_capacity);
    ui.dialog = Some(Dialog::ScalingRange(ScalingRangeDialog {
        cluster,
        service,
        current,
        field: one_line_field(&format!("{} {}", current.0, current.1)),
        error: None,
    }));
}

/// `i` / `o`: suspend the direction when it runs, resume it when it is suspended.
pub fn start_suspend(store: &Store, ui: &mut UiState, direction: ScalingDirection) {
    if refuse_if_read_only(ui, "suspending or resuming auto scaling") {
        return;
    }
    let Some((cluster, service, target)) = detail_target(store, ui) else {
        return;
    };
    let suspend = !direction.is_suspended(&target.suspended);
    ui.dialog = Some(Dialog::Confirm(ConfirmDialog {
        mutation: Mutation::SetScalingSuspended {
            cluster,
            service,
            direction,
            suspend,
            suspended: direction.set(target.suspended, suspend),
        },
        typed: None,
        error: None,
    }));
}

/// What an auto scaling change marks pending: the service's resource id, until its target
/// is seen with the new range or suspensions.
pub fn pending(mutation: &Mutation) -> Vec<(String, String, crate::domain::pending::Until)> {
    use crate::domain::pending::Until;
    let until = |range: (i32, i32)| Until::ScalableTarget {
        range: Some(range),
        suspended: None,
    };
    match mutation {
        Mutation::SetScalingRange {
            cluster,
            service,
            to,
            ..
        } => vec![(
            scalable_resource_id(cluster, service),
            format!("range → {}..{}", to.0, to.1),
            until(*to),
        )],
        Mutation::SetScalingSuspended {
            cluster,
            service,
            direction,
            suspend,
            suspended,
        } => vec![(
            scalable_resource_id(cluster, service),
            format!(
                "{} {}",
                if *suspend { "suspending" } else { "resuming" },
                direction.label()
            ),
            Until::ScalableTarget {
                range: None,
                suspended: Some(*suspended),
            },
        )],
        Mutation::ScaleWidening {
            cluster,
            service,
            to,
            range_to,
            ..
        } => vec![
            (
                service.clone(),
                format!("scaling → {to}"),
                Until::Running(*to),
            ),
            (
                scalable_resource_id(cluster, service),
                format!("range → {}..{}", range_to.0, range_to.1),
                until(*range_to),
            ),
        ],
        _ => Vec::new(),
    }
}

/// Observed once the service's target, fetched after the change, shows it.
pub fn observed(
    store: &Store,
    cluster: &str,
    resource_id: &str,
    (range, suspended): (Option<(i32, i32)>, Option<Suspended>),
    since: DateTime<Utc>,
) -> bool {
    let Some(service) = resource_id.rsplit('/').next() else {
        return false;
    };
    let Some(loaded) = store
        .scalable_targets
        .get(&(cluster.to_string(), service.to_string()))
    else {
        return false;
    };
    if loaded.fetched_at.is_none_or(|at| at <= since) {
        return false;
    }
    let Some(Some(target)) = loaded.value() else {
        return false;
    };
    range.is_none_or(|r| r == (target.min_capacity, target.max_capacity))
        && suspended.is_none_or(|s| s == target.suspended)
}
