//! Paging above the Application Auto Scaling trait: every page of a service's scaling
//! policies and scheduled actions, written once for every backend.

use std::future::Future;

use super::BackendError;
use super::scaling::{Listed, ScalingBackend};
use crate::domain::scaling::{ScalingPolicy, ScheduledAction};

/// A guard against a backend that keeps returning a next token forever: a service has a
/// handful of policies, so this many pages means something is wrong, not a long list.
const MAX_PAGES: usize = 100;

/// Every scaling policy of the service (pages of 10).
pub async fn policies(
    backend: &dyn ScalingBackend,
    cluster: &str,
    service: &str,
) -> Result<Vec<ScalingPolicy>, BackendError> {
    every_page(|token| backend.describe_scaling_policies(cluster, service, token)).await
}

/// Every scheduled action of the service (pages of 50).
pub async fn scheduled_actions(
    backend: &dyn ScalingBackend,
    cluster: &str,
    service: &str,
) -> Result<Vec<ScheduledAction>, BackendError> {
    every_page(|token| backend.describe_scheduled_actions(cluster, service, token)).await
}

/// Follows NextToken to the end. A page that fails fails the whole list: these lists are
/// short, and a policy missing from the pane would mislead more than an error does.
async fn every_page<T, F, Fut>(mut page: F) -> Result<Vec<T>, BackendError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Listed<T>, BackendError>>,
{
    let mut items = Vec::new();
    let mut token = None;
    for _ in 0..MAX_PAGES {
        let listed = page(token).await?;
        items.extend(listed.items);
        match listed.next_token.filter(|t| !t.is_empty()) {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    Ok(items)
}

/// When the service's stopped tasks were interrupted by Fargate Spot (stop code
/// `SpotInterruption`), newest first: ListTasks (STOPPED, every page) and DescribeTasks in
/// batches of 100, kept down to the times the detail pane counts.
pub async fn spot_interruptions(
    backend: &dyn super::EcsBackend,
    cluster: &str,
    service: &str,
) -> Result<Vec<chrono::DateTime<chrono::Utc>>, BackendError> {
    let filter = super::TaskFilter {
        service: Some(service.to_string()),
        desired_status: super::DesiredStatus::Stopped,
        container_instance: None,
    };
    let stopped = super::fetch::tasks(backend, cluster, &filter).await?;
    Ok(stopped
        .iter()
        .filter(|t| t.stop_code.as_deref() == Some(SPOT_INTERRUPTION))
        .filter_map(|t| t.stopped_at.or(t.created_at))
        .collect())
}

/// The stop code ECS gives a task Fargate Spot took back.
pub const SPOT_INTERRUPTION: &str = "SpotInterruption";
