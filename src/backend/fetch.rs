//! Paging and batching above the backend trait: follow every `nextToken`, describe in batches
//! of the API maximum. Written once here so every backend gets complete lists.

use super::{
    BackendError, DESCRIBE_CLUSTERS_MAX, DESCRIBE_SERVICES_MAX, DESCRIBE_TASKS_MAX, EcsBackend,
    Page, TaskFilter,
};
use crate::domain::ecs::{Cluster, Service, Task};

/// A guard against a backend that keeps returning a next token forever.
const MAX_PAGES: usize = 10_000;

async fn all_pages<'a, F, Fut>(mut list_page: F) -> Result<Vec<String>, BackendError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page, BackendError>> + 'a,
{
    let mut arns = Vec::new();
    let mut token = None;
    for _ in 0..MAX_PAGES {
        let page = list_page(token).await?;
        arns.extend(page.arns);
        match page.next_token {
            Some(next) if !next.is_empty() => token = Some(next),
            _ => break,
        }
    }
    Ok(arns)
}

/// Every cluster of the account/region, described.
pub async fn clusters(backend: &dyn EcsBackend) -> Result<Vec<Cluster>, BackendError> {
    let arns = all_pages(|token| backend.list_clusters(token)).await?;
    let mut clusters = Vec::with_capacity(arns.len());
    for batch in arns.chunks(DESCRIBE_CLUSTERS_MAX) {
        clusters.extend(backend.describe_clusters(batch).await?);
    }
    clusters.sort_by(|a, b| a.cluster_name.cmp(&b.cluster_name));
    Ok(clusters)
}

/// Every service of a cluster, described.
pub async fn services(
    backend: &dyn EcsBackend,
    cluster: &str,
) -> Result<Vec<Service>, BackendError> {
    let arns = all_pages(|token| backend.list_services(cluster, token)).await?;
    let mut services = Vec::with_capacity(arns.len());
    for batch in arns.chunks(DESCRIBE_SERVICES_MAX) {
        services.extend(backend.describe_services(cluster, batch).await?);
    }
    services.sort_by(|a, b| a.service_name.cmp(&b.service_name));
    Ok(services)
}

/// Every task of a cluster matching `filter`, described.
///
/// moto's ListTasks ignores `serviceName`, so tasks are also kept only when their `group` is
/// `service:NAME`; against real AWS this changes nothing.
pub async fn tasks(
    backend: &dyn EcsBackend,
    cluster: &str,
    filter: &TaskFilter,
) -> Result<Vec<Task>, BackendError> {
    let arns = all_pages(|token| backend.list_tasks(cluster, filter, token)).await?;
    let mut tasks = Vec::with_capacity(arns.len());
    for batch in arns.chunks(DESCRIBE_TASKS_MAX) {
        tasks.extend(backend.describe_tasks(cluster, batch).await?);
    }
    if let Some(service) = &filter.service {
        tasks.retain(|t| t.service_name() == Some(service.as_str()));
    }
    let wanted = filter.desired_status.as_aws();
    tasks.retain(|t| t.desired_status.is_empty() || t.desired_status == wanted);
    // Newest first: during an incident the task that just started (or died) matters most.
    tasks.sort_by(|a, b| {
        let key = |t: &Task| t.started_at.or(t.created_at);
        key(b)
            .cmp(&key(a))
            .then_with(|| a.task_arn.cmp(&b.task_arn))
    });
    Ok(tasks)
}

/// Every ACTIVE revision ARN of a task definition family, newest first.
pub async fn revisions(
    backend: &dyn EcsBackend,
    family: &str,
) -> Result<Vec<String>, BackendError> {
    all_pages(|token| backend.list_task_definitions(family, token)).await
}
