//! Paging and batching above the backend trait: follow every `nextToken`, describe in batches
//! of the API maximum. Written once here so every backend gets complete lists.
//!
//! A bad record never blanks a view: when AWS answers a describe with something that cannot
//! be read, the batch is split in halves until the unreadable records are found, and only
//! they are skipped (and counted). When a later page or batch fails, what was fetched before
//! is kept and the result says it is incomplete.

use std::collections::VecDeque;
use std::future::Future;

use super::{
    BackendError, DESCRIBE_CLUSTERS_MAX, DESCRIBE_CONTAINER_INSTANCES_MAX, DESCRIBE_SERVICES_MAX,
    DESCRIBE_TASKS_MAX, EcsBackend, Page, TaskFilter,
};
use crate::domain::ecs::{Cluster, ContainerInstance, Service, Task};
use crate::domain::{ErrorKind, Incomplete};

/// A guard against a backend that keeps returning a next token forever.
const MAX_PAGES: usize = 10_000;

/// Extra describe calls one fetch may spend isolating unreadable records: one bad record in
/// a batch of 100 takes about 2 × log2(100) ≈ 14. Past this, the rest of a bad batch is
/// skipped whole (and counted) rather than costing the account more calls.
const MAX_ISOLATING_CALLS: usize = 32;

/// A list as far as it could be fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched<T> {
    pub items: Vec<T>,
    /// What is missing, if anything.
    pub incomplete: Option<Incomplete>,
}

/// The ARNs of every page, or of the pages before one failed (None: the first one did).
async fn all_pages<'a, F, Fut>(
    mut list_page: F,
) -> Result<(Vec<String>, Option<BackendError>), BackendError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page, BackendError>> + 'a,
{
    let mut arns = Vec::new();
    let mut token = None;
    for page_number in 0..MAX_PAGES {
        let page = match list_page(token).await {
            Ok(page) => page,
            Err(e) if page_number == 0 => return Err(e),
            Err(e) => return Ok((arns, Some(e))),
        };
        arns.extend(page.arns);
        match page.next_token {
            Some(next) if !next.is_empty() => token = Some(next),
            _ => break,
        }
    }
    Ok((arns, None))
}

/// Whether an unreadable describe answer is split to find the bad records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Split the batch until the bad records are found, and skip only them.
    Isolate,
    /// Fail the batch as it is: the list has been failing, and a proxy's error page is not
    /// a bad record (splitting it would only multiply the calls).
    Fail,
}

/// Describes `arns` in batches of `max`; unreadable records are isolated and skipped (or,
/// with `Unreadable::Fail`, fail their batch).
async fn describe_all<T, F, Fut>(
    arns: &[String],
    max: usize,
    noun: &'static str,
    unreadable: Unreadable,
    mut describe: F,
) -> Result<Fetched<T>, BackendError>
where
    F: FnMut(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<T>, BackendError>>,
{
    let mut queue: VecDeque<Vec<String>> = arns.chunks(max).map(<[String]>::to_vec).collect();
    let mut items = Vec::with_capacity(arns.len());
    let (mut skipped, mut skip_error) = (0usize, None);
    let mut isolating_calls = 0;
    let mut readable_seen = false;
    while let Some(batch) = queue.pop_front() {
        match describe(batch.clone()).await {
            Ok(described) => {
                readable_seen = true;
                items.extend(described);
            }
            // Both halves of the first batch unreadable, nothing readable yet: the answers
            // themselves are garbage (a proxy's page), not one record. Keep the last good
            // data rather than spend calls isolating every record.
            Err(e) if e.kind == ErrorKind::Malformed && !readable_seen && isolating_calls >= 2 => {
                return Err(e);
            }
            Err(e) if e.kind == ErrorKind::Malformed && unreadable == Unreadable::Isolate => {
                if batch.len() > 1 && isolating_calls + 2 <= MAX_ISOLATING_CALLS {
                    isolating_calls += 2;
                    let (left, right) = batch.split_at(batch.len() / 2);
                    queue.push_front(right.to_vec());
                    queue.push_front(left.to_vec());
                } else {
                    skipped += batch.len();
                    skip_error.get_or_insert(e);
                }
            }
            // Nothing described yet: no data is better shown as the last good data.
            Err(e) if items.is_empty() && skipped == 0 => return Err(e),
            Err(e) => {
                let incomplete = Incomplete {
                    skipped: skipped + batch.len() + queue.iter().map(Vec::len).sum::<usize>(),
                    noun,
                    error: e,
                    truncated: true,
                };
                return Ok(Fetched {
                    items,
                    incomplete: Some(incomplete),
                });
            }
        }
    }
    if items.is_empty()
        && let Some(error) = skip_error
    {
        // Nothing could be read at all: an error, so the last good data stays on screen.
        return Err(error);
    }
    let incomplete = skip_error.map(|error| Incomplete {
        skipped,
        noun,
        error,
        truncated: false,
    });
    Ok(Fetched { items, incomplete })
}

/// A failed later page makes the result incomplete (truncated) even if every record read.
fn with_page_error<T>(
    mut fetched: Fetched<T>,
    page_error: Option<BackendError>,
    noun: &'static str,
) -> Fetched<T> {
    if let Some(error) = page_error {
        let skipped = fetched.incomplete.as_ref().map_or(0, |i| i.skipped);
        fetched.incomplete = Some(Incomplete {
            skipped,
            noun,
            error,
            truncated: true,
        });
    }
    fetched
}

/// Every cluster of the account/region, described, as far as it could be.
pub async fn clusters_partial(backend: &dyn EcsBackend) -> Result<Fetched<Cluster>, BackendError> {
    let (arns, page_error) = all_pages(|token| backend.list_clusters(token)).await?;
    let fetched = describe_all(
        &arns,
        DESCRIBE_CLUSTERS_MAX,
        "cluster",
        Unreadable::Isolate,
        |batch| async move { backend.describe_clusters(&batch).await },
    )
    .await?;
    let mut fetched = with_page_error(fetched, page_error, "cluster");
    fetched
        .items
        .sort_by(|a, b| a.cluster_name.cmp(&b.cluster_name));
    Ok(fetched)
}

/// Every service of a cluster, described, as far as it could be.
pub async fn services_partial(
    backend: &dyn EcsBackend,
    cluster: &str,
) -> Result<Fetched<Service>, BackendError> {
    let (arns, page_error) = all_pages(|token| backend.list_services(cluster, token)).await?;
    let fetched = describe_services(backend, cluster, &arns, Unreadable::Isolate).await?;
    let mut fetched = with_page_error(fetched, page_error, "service");
    sort_services(&mut fetched.items);
    Ok(fetched)
}

/// These services described, in batches of 10; unreadable records are skipped (counted).
pub async fn describe_services(
    backend: &dyn EcsBackend,
    cluster: &str,
    arns: &[String],
    unreadable: Unreadable,
) -> Result<Fetched<Service>, BackendError> {
    describe_all(
        arns,
        DESCRIBE_SERVICES_MAX,
        "service",
        unreadable,
        |batch| async move { backend.describe_services(cluster, &batch).await },
    )
    .await
}

/// The services list's order: by name.
pub fn sort_services(services: &mut [Service]) {
    services.sort_by(|a, b| a.service_name.cmp(&b.service_name));
}

/// Every task of a cluster matching `filter`, described, as far as it could be.
pub async fn tasks_partial(
    backend: &dyn EcsBackend,
    cluster: &str,
    filter: &TaskFilter,
) -> Result<Fetched<Task>, BackendError> {
    let (arns, page_error) = all_pages(|token| backend.list_tasks(cluster, filter, token)).await?;
    let fetched = describe_tasks(backend, cluster, &arns, Unreadable::Isolate).await?;
    let mut fetched = with_page_error(fetched, page_error, "task");
    keep_tasks(filter, &mut fetched.items);
    Ok(fetched)
}

/// These tasks described, in batches of 100; unreadable records are skipped (counted).
pub async fn describe_tasks(
    backend: &dyn EcsBackend,
    cluster: &str,
    arns: &[String],
    unreadable: Unreadable,
) -> Result<Fetched<Task>, BackendError> {
    describe_all(
        arns,
        DESCRIBE_TASKS_MAX,
        "task",
        unreadable,
        |batch| async move { backend.describe_tasks(cluster, &batch).await },
    )
    .await
}

/// Keeps the tasks `filter` asks for, newest first.
///
/// moto's ListTasks ignores `serviceName`, so tasks are also kept only when their `group` is
/// `service:NAME`; against real AWS this changes nothing.
pub fn keep_tasks(filter: &TaskFilter, tasks: &mut Vec<Task>) {
    if let Some(service) = &filter.service {
        tasks.retain(|t| t.service_name() == Some(service.as_str()));
    }
    if let Some(host) = &filter.container_instance {
        tasks.retain(|t| t.container_instance_arn.as_ref() == Some(host));
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
}

/// Every container instance of a cluster (every page), described in batches of 100, as far
/// as it could be; by EC2 instance id, so the list does not reshuffle between polls.
pub async fn container_instances_partial(
    backend: &dyn EcsBackend,
    cluster: &str,
) -> Result<Fetched<ContainerInstance>, BackendError> {
    let (arns, page_error) =
        all_pages(|token| backend.list_container_instances(cluster, token)).await?;
    let fetched = describe_all(
        &arns,
        DESCRIBE_CONTAINER_INSTANCES_MAX,
        "container instance",
        Unreadable::Isolate,
        |batch| async move { backend.describe_container_instances(cluster, &batch).await },
    )
    .await?;
    let mut fetched = with_page_error(fetched, page_error, "container instance");
    fetched.items.sort_by(|a, b| {
        (&a.ec2_instance_id, &a.container_instance_arn)
            .cmp(&(&b.ec2_instance_id, &b.container_instance_arn))
    });
    Ok(fetched)
}

/// Every cluster, described; what could not be read is left out (see `clusters_partial`).
pub async fn clusters(backend: &dyn EcsBackend) -> Result<Vec<Cluster>, BackendError> {
    clusters_partial(backend).await.map(|f| f.items)
}

/// Every service of a cluster, described (see `services_partial`).
pub async fn services(
    backend: &dyn EcsBackend,
    cluster: &str,
) -> Result<Vec<Service>, BackendError> {
    services_partial(backend, cluster).await.map(|f| f.items)
}

/// Every task of a cluster matching `filter`, described (see `tasks_partial`).
pub async fn tasks(
    backend: &dyn EcsBackend,
    cluster: &str,
    filter: &TaskFilter,
) -> Result<Vec<Task>, BackendError> {
    tasks_partial(backend, cluster, filter)
        .await
        .map(|f| f.items)
}

/// Every ACTIVE revision ARN of a task definition family, newest first. A page that fails
/// fails the whole list: a rollback picker must not offer a partial set as if complete.
/// Every ACTIVE task definition family, every page followed.
pub async fn families(backend: &dyn EcsBackend) -> Result<Vec<String>, BackendError> {
    match all_pages(|token| backend.list_task_definition_families(token)).await? {
        (names, None) => Ok(names),
        (_, Some(e)) => Err(e),
    }
}

pub async fn revisions(
    backend: &dyn EcsBackend,
    family: &str,
) -> Result<Vec<String>, BackendError> {
    match all_pages(|token| backend.list_task_definitions(family, token)).await? {
        (arns, None) => Ok(arns),
        (_, Some(e)) => Err(e),
    }
}
