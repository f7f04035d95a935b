//! Batching for the load balancing calls: target groups and load balancers 20 at a time,
//! each load balancer's listeners page by page, container instances 100 at a time.

use super::elb::{DESCRIBE_LOAD_BALANCERS_MAX, DESCRIBE_TARGET_GROUPS_MAX, ElbBackend};
use super::{BackendError, DESCRIBE_CONTAINER_INSTANCES_MAX, EcsBackend};
use crate::domain::ecs::ContainerInstance;
use crate::domain::elb::{LoadBalancer, TargetGroup};

/// A guard against a backend that keeps returning a marker forever.
const MAX_LISTENER_PAGES: usize = 100;

/// Every target group of `arns`, in batches of [`DESCRIBE_TARGET_GROUPS_MAX`].
pub async fn target_groups(
    backend: &dyn ElbBackend,
    arns: &[String],
) -> Result<Vec<TargetGroup>, BackendError> {
    let mut out = Vec::with_capacity(arns.len());
    for batch in arns.chunks(DESCRIBE_TARGET_GROUPS_MAX) {
        out.extend(backend.describe_target_groups(batch).await?);
    }
    Ok(out)
}

/// Every load balancer of `arns` with its listeners: one DescribeLoadBalancers per 20, then
/// DescribeListeners per load balancer (every page).
pub async fn load_balancers(
    backend: &dyn ElbBackend,
    arns: &[String],
) -> Result<Vec<LoadBalancer>, BackendError> {
    let mut out = Vec::with_capacity(arns.len());
    for batch in arns.chunks(DESCRIBE_LOAD_BALANCERS_MAX) {
        out.extend(backend.describe_load_balancers(batch).await?);
    }
    for balancer in &mut out {
        let mut marker = None;
        for _ in 0..MAX_LISTENER_PAGES {
            let page = backend
                .describe_listeners(&balancer.load_balancer_arn, marker)
                .await?;
            balancer.listeners.extend(page.listeners);
            marker = page.next_marker;
            if marker.is_none() {
                break;
            }
        }
    }
    Ok(out)
}

/// Every container instance of `arns`, in batches of [`DESCRIBE_CONTAINER_INSTANCES_MAX`].
pub async fn container_instances(
    backend: &dyn EcsBackend,
    cluster: &str,
    arns: &[String],
) -> Result<Vec<ContainerInstance>, BackendError> {
    let mut out = Vec::with_capacity(arns.len());
    for batch in arns.chunks(DESCRIBE_CONTAINER_INSTANCES_MAX) {
        out.extend(backend.describe_container_instances(cluster, batch).await?);
    }
    Ok(out)
}
