//! The demo backend: an in-process simulated ECS fleet that moves, for `ecsdeck --demo` (no
//! AWS account needed) and for UI tests. It enforces AWS's limits (page size, describe batch
//! sizes, error kinds), so code tested against it pages and batches correctly on AWS too.
//!
//! Empty describe inputs return an empty list rather than AWS's InvalidParameterException:
//! the fetch layer never sends them, and an empty answer is the harmless reading.

mod alarms;
mod balancing;
mod capacity;
mod catalog;
mod events;
mod fleet;
mod images;
mod instances;
mod loggen;
mod logs;
mod metrics;
mod operations;
mod rng;
mod scaling;
mod signals;
mod simulation;
mod taskdef;
mod tasks;
mod traffic;
mod view;

#[cfg(test)]
mod balancing_tests;
#[cfg(test)]
mod history_tests;
#[cfg(test)]
mod instances_tests;
#[cfg(test)]
mod logs_tests;
#[cfg(test)]
mod metrics_tests;
#[cfg(test)]
mod operations_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod traffic_tests;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration as StdDuration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

pub use fleet::DemoFleet;

use super::{
    BackendError, Connection, DESCRIBE_CLUSTERS_MAX, DESCRIBE_SERVICES_MAX, DESCRIBE_TASKS_MAX,
    EcsBackend, ErrorKind, LIST_PAGE_MAX, Page, ServiceUpdate, TaskFilter,
};
use crate::domain::ecs::{Cluster, ContainerInstance, Service, Task, TaskDefinition, arn_tail};
use fleet::ClusterState;

/// Wall-clock time one simulation step stands for.
const STEP: StdDuration = StdDuration::from_secs(2);
/// Steps applied at most per call, so a dashboard left idle for an hour does not stall on
/// its next refresh; the simulation simply skips the missed time.
const MAX_STEPS_PER_CALL: u32 = 30;

/// The demo fleet behind the [`EcsBackend`] trait.
pub struct DemoBackend {
    /// Shared with the demo's live tail sessions, which read the fleet from their own task.
    state: Arc<Mutex<State>>,
}

struct State {
    fleet: DemoFleet,
    /// When the last step was accounted for; `None` for a frozen fleet.
    last_step: Option<Instant>,
}

impl DemoBackend {
    /// A live fleet generated now, stepping with the wall clock: before every call,
    /// `floor(elapsed / 2 s)` steps (at most 30) are applied.
    pub fn new(seed: u64) -> DemoBackend {
        DemoBackend {
            state: Arc::new(Mutex::new(State {
                fleet: DemoFleet::generate(seed, Utc::now()),
                last_step: Some(Instant::now()),
            })),
        }
    }

    /// A frozen fleet: it never steps by itself, so tests see stable data.
    pub fn from_fleet(fleet: DemoFleet) -> DemoBackend {
        DemoBackend {
            state: Arc::new(Mutex::new(State {
                fleet,
                last_step: None,
            })),
        }
    }

    /// What the header shows for the demo.
    pub fn connection() -> Connection {
        Connection {
            profile: None,
            region: catalog::REGION.to_string(),
            endpoint: None,
            demo: true,
        }
    }

    /// The fleet, caught up with the wall clock. Never held across an `.await`.
    fn fleet(&self) -> MutexGuard<'_, State> {
        // A poisoned lock means a panic mid-step; the fleet is still usable demo data.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.catch_up(Instant::now(), Utc::now());
        state
    }
}

impl State {
    fn catch_up(&mut self, instant: Instant, wall: DateTime<Utc>) {
        let Some(last) = self.last_step else {
            return;
        };
        let elapsed = instant.saturating_duration_since(last);
        let due = u32::try_from(elapsed.as_millis() / STEP.as_millis()).unwrap_or(u32::MAX);
        if due == 0 {
            return;
        }
        // Keep the remainder so steps stay on a 2 s grid.
        self.last_step = Some(last + STEP * due.min(1_000_000));
        let steps = due.min(MAX_STEPS_PER_CALL);
        for remaining in (0..steps).rev() {
            let at = wall - Duration::seconds(2 * i64::from(remaining));
            self.fleet.step(at);
        }
    }
}

fn invalid(operation: &'static str, message: impl Into<String>) -> BackendError {
    BackendError::new(ErrorKind::InvalidRequest, operation, message)
}

/// One page of at most [`LIST_PAGE_MAX`] ARNs; the token is the offset of the next page.
fn page(
    arns: Vec<String>,
    token: Option<String>,
    operation: &'static str,
) -> Result<Page, BackendError> {
    let (arns, next_token) = window(&arns, token, LIST_PAGE_MAX, operation)?;
    Ok(Page { arns, next_token })
}

/// At most `size` items of `all` from the offset in `token`, and the offset of the next
/// page, if any: how the demo pages every list (an unknown token is AWS's error).
fn window<T: Clone>(
    all: &[T],
    token: Option<String>,
    size: usize,
    operation: &'static str,
) -> Result<(Vec<T>, Option<String>), BackendError> {
    let start = match token.as_deref() {
        None | Some("") => 0,
        Some(token) => token
            .parse::<usize>()
            .ok()
            .filter(|offset| *offset <= all.len())
            .ok_or_else(|| invalid(operation, "The specified nextToken is invalid."))?,
    };
    let end = (start + size).min(all.len());
    let items = all.get(start..end).map(<[T]>::to_vec).unwrap_or_default();
    Ok((items, (end < all.len()).then(|| end.to_string())))
}

fn check_batch(
    operation: &'static str,
    what: &str,
    count: usize,
    max: usize,
) -> Result<(), BackendError> {
    if count > max {
        return Err(invalid(
            operation,
            format!("{what} can have at most {max} items."),
        ));
    }
    Ok(())
}

/// A cluster by name or ARN, or AWS's ClusterNotFoundException.
fn find_cluster<'a>(
    fleet: &'a DemoFleet,
    cluster: &str,
    operation: &'static str,
) -> Result<&'a ClusterState, BackendError> {
    fleet
        .clusters
        .iter()
        .find(|c| c.name == cluster || c.arn == cluster)
        .ok_or_else(|| {
            BackendError::new(
                ErrorKind::NotFound,
                operation,
                format!("Cluster not found: {cluster}"),
            )
        })
}

#[async_trait]
impl EcsBackend for DemoBackend {
    async fn list_clusters(&self, next_token: Option<String>) -> Result<Page, BackendError> {
        let state = self.fleet();
        let arns = state.fleet.clusters.iter().map(|c| c.arn.clone()).collect();
        page(arns, next_token, "ListClusters")
    }

    async fn describe_clusters(&self, clusters: &[String]) -> Result<Vec<Cluster>, BackendError> {
        check_batch(
            "DescribeClusters",
            "clusters",
            clusters.len(),
            DESCRIBE_CLUSTERS_MAX,
        )?;
        let state = self.fleet();
        // Unknown clusters are omitted (AWS lists them under `failures`).
        Ok(clusters
            .iter()
            .filter_map(|wanted| {
                let found = state
                    .fleet
                    .clusters
                    .iter()
                    .find(|c| &c.name == wanted || &c.arn == wanted);
                found.map(view::cluster)
            })
            .collect())
    }

    async fn list_services(
        &self,
        cluster: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        let state = self.fleet();
        let cluster = find_cluster(&state.fleet, cluster, "ListServices")?;
        let arns = cluster.services.iter().map(|s| s.arn.clone()).collect();
        page(arns, next_token, "ListServices")
    }

    async fn describe_services(
        &self,
        cluster: &str,
        services: &[String],
    ) -> Result<Vec<Service>, BackendError> {
        check_batch(
            "DescribeServices",
            "services",
            services.len(),
            DESCRIBE_SERVICES_MAX,
        )?;
        let state = self.fleet();
        let cluster = find_cluster(&state.fleet, cluster, "DescribeServices")?;
        Ok(services
            .iter()
            .filter_map(|wanted| {
                let found = cluster
                    .services
                    .iter()
                    .find(|s| &s.name == wanted || &s.arn == wanted);
                found.map(|s| view::service(cluster, s))
            })
            .collect())
    }

    async fn list_tasks(
        &self,
        cluster: &str,
        filter: &TaskFilter,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        let state = self.fleet();
        let cluster = find_cluster(&state.fleet, cluster, "ListTasks")?;
        let wanted_status = filter.desired_status.as_aws();
        let arns = cluster
            .tasks
            .iter()
            .filter(|t| t.task.desired_status == wanted_status)
            .filter(|t| match &filter.service {
                Some(service) => t.service_name() == Some(service.as_str()),
                None => true,
            })
            .filter(|t| match &filter.container_instance {
                Some(host) => t.task.container_instance_arn.as_ref() == Some(host),
                None => true,
            })
            .map(|t| t.task.task_arn.clone())
            .collect();
        page(arns, next_token, "ListTasks")
    }

    async fn describe_tasks(
        &self,
        cluster: &str,
        tasks: &[String],
    ) -> Result<Vec<Task>, BackendError> {
        check_batch("DescribeTasks", "tasks", tasks.len(), DESCRIBE_TASKS_MAX)?;
        let state = self.fleet();
        let cluster = find_cluster(&state.fleet, cluster, "DescribeTasks")?;
        Ok(tasks
            .iter()
            .filter_map(|wanted| {
                let found = cluster
                    .tasks
                    .iter()
                    .find(|t| &t.task.task_arn == wanted || t.task.short_id() == wanted);
                found.map(|t| t.task.clone())
            })
            .collect())
    }

    /// The demo has no containers to reach: the session is a labelled stand-in that the
    /// session runner answers with a local shell (see `session::demo`).
    async fn execute_command(
        &self,
        request: &super::ExecRequest,
    ) -> Result<super::ExecSession, BackendError> {
        let id = format!("ecs-execute-command-demo-{}", arn_tail(&request.task));
        Ok(super::ExecSession {
            stream_url: format!("demo://{id}"),
            session_id: id,
            token_value: "demo".to_string(),
        })
    }

    async fn describe_container_instances(
        &self,
        cluster: &str,
        instances: &[String],
    ) -> Result<Vec<ContainerInstance>, BackendError> {
        self.fleet().fleet.container_instances(cluster, instances)
    }

    async fn describe_capacity_providers(
        &self,
        names: &[String],
        next_token: Option<String>,
    ) -> Result<super::CapacityProviderPage, BackendError> {
        self.fleet().fleet.capacity_providers(names, next_token)
    }

    async fn list_container_instances(
        &self,
        cluster: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        let arns = self.fleet().fleet.container_instance_arns(cluster)?;
        page(arns, next_token, "ListContainerInstances")
    }

    async fn update_container_instances_state(
        &self,
        cluster: &str,
        instances: &[String],
        status: super::InstanceStatus,
    ) -> Result<Vec<ContainerInstance>, BackendError> {
        self.fleet()
            .fleet
            .set_instances_state(cluster, instances, status)
    }

    /// The demo has no AWS answer to keep: its resources as ecsdeck models them (the same
    /// camelCase names as AWS's JSON), through the same calls and limits as the lists.
    async fn describe_raw(
        &self,
        target: &super::RawTarget,
    ) -> Result<serde_json::Value, BackendError> {
        use super::RawTarget;
        let operation = target.operation();
        let missing = || BackendError::new(ErrorKind::NotFound, operation, "not found");
        let json = |v: serde_json::Result<serde_json::Value>| {
            v.map_err(|e| BackendError::new(ErrorKind::Other, operation, e.to_string()))
        };
        match target {
            RawTarget::Cluster { cluster } => {
                let found = self
                    .describe_clusters(std::slice::from_ref(cluster))
                    .await?;
                json(serde_json::to_value(found.first().ok_or_else(missing)?))
            }
            RawTarget::Service { cluster, service } => {
                let found =
                    (self.describe_services(cluster, std::slice::from_ref(service))).await?;
                json(serde_json::to_value(found.first().ok_or_else(missing)?))
            }
            RawTarget::Task { cluster, task } => {
                let found = self
                    .describe_tasks(cluster, std::slice::from_ref(task))
                    .await?;
                json(serde_json::to_value(found.first().ok_or_else(missing)?))
            }
            RawTarget::TaskDefinition { arn } => {
                let definition = self.describe_task_definition(arn).await?;
                json(serde_json::to_value(&definition))
                    .map(|d| serde_json::json!({ "taskDefinition": d, "tags": [] }))
            }
        }
    }

    async fn describe_task_definition(
        &self,
        task_definition: &str,
    ) -> Result<TaskDefinition, BackendError> {
        let state = self.fleet();
        state
            .fleet
            .find_task_definition(task_definition)
            .cloned()
            .ok_or_else(|| {
                invalid(
                    "DescribeTaskDefinition",
                    "Unable to describe task definition.",
                )
            })
    }

    async fn list_task_definitions(
        &self,
        family: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        let arns = self.fleet().fleet.task_definition_arns(family);
        page(arns, next_token, "ListTaskDefinitions")
    }

    async fn list_task_definition_families(
        &self,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        let families = self.fleet().fleet.task_definition_families();
        page(families, next_token, "ListTaskDefinitionFamilies")
    }

    async fn update_service(&self, update: &ServiceUpdate) -> Result<Service, BackendError> {
        self.fleet().fleet.update_service(update)
    }

    async fn stop_task(
        &self,
        cluster: &str,
        task: &str,
        reason: &str,
    ) -> Result<Task, BackendError> {
        self.fleet().fleet.stop_task(cluster, task, reason)
    }
}

impl DemoFleet {
    /// A revision by ARN, `family:revision`, or `family` (the latest revision), as
    /// DescribeTaskDefinition accepts them.
    fn find_task_definition(&self, wanted: &str) -> Option<&TaskDefinition> {
        if let Some(found) = self.task_definitions.get(wanted) {
            return Some(found);
        }
        let short = arn_tail(wanted);
        match short.split_once(':') {
            Some((family, revision)) => {
                let revision = revision.parse::<i32>().ok()?;
                self.task_definitions
                    .values()
                    .find(|d| d.family == family && d.revision == revision)
            }
            None => self
                .task_definitions
                .values()
                .filter(|d| d.family == short)
                .max_by_key(|d| d.revision),
        }
    }
}

/// The demo has no Session Manager: a forward's stand-in is a local echo port, run by the
/// session runner (`session::forward`), and its "session" is only a label.
#[async_trait]
impl super::SsmBackend for DemoBackend {
    async fn start_session(
        &self,
        request: &super::ssm::StartSession,
    ) -> Result<super::ExecSession, BackendError> {
        let id = format!("demo-forward-{}", request.target.replace([':', '_'], "-"));
        Ok(super::ExecSession {
            stream_url: format!("demo://{id}"),
            session_id: id,
            token_value: "demo".to_string(),
        })
    }

    async fn terminate_session(&self, _session_id: &str) -> Result<(), BackendError> {
        Ok(())
    }
}

#[async_trait]
impl super::AutoScalingBackend for DemoBackend {
    async fn describe_auto_scaling_groups(
        &self,
        names: &[String],
        next_token: Option<String>,
    ) -> Result<super::autoscaling::AutoScalingGroupPage, BackendError> {
        self.fleet().fleet.auto_scaling_groups(names, next_token)
    }
}

#[async_trait]
impl super::EcrBackend for DemoBackend {
    async fn describe_images(
        &self,
        _registry_id: &str,
        repository: &str,
        tags: &[String],
    ) -> Result<Vec<crate::domain::image::EcrImage>, BackendError> {
        let now = self.fleet().fleet.now;
        let repositories: Vec<&str> = (catalog::CLUSTERS.iter())
            .flat_map(|c| c.services.iter().map(|s| s.name))
            .collect();
        images::describe(&repositories, repository, tags, now)
    }
}

/// Application Auto Scaling does not check that the service exists: unknown ones simply
/// have no target, no policies and no history.
#[async_trait]
impl super::ScalingBackend for DemoBackend {
    async fn describe_scalable_targets(
        &self,
        cluster: &str,
        service: &str,
    ) -> Result<Option<super::ScalableTarget>, BackendError> {
        Ok(self.fleet().fleet.scalable_target(cluster, service))
    }

    async fn describe_scaling_policies(
        &self,
        cluster: &str,
        service: &str,
        next_token: Option<String>,
    ) -> Result<super::scaling::Listed<crate::domain::scaling::ScalingPolicy>, BackendError> {
        (self.fleet().fleet).scaling_policies(cluster, service, next_token)
    }

    async fn describe_scheduled_actions(
        &self,
        cluster: &str,
        service: &str,
        next_token: Option<String>,
    ) -> Result<super::scaling::Listed<crate::domain::scaling::ScheduledAction>, BackendError> {
        (self.fleet().fleet).scheduled_actions(cluster, service, next_token)
    }

    async fn describe_scaling_activities(
        &self,
        cluster: &str,
        service: &str,
        max_results: usize,
    ) -> Result<Vec<crate::domain::scaling::ScalingActivity>, BackendError> {
        (self.fleet().fleet).scaling_activities(cluster, service, max_results)
    }

    async fn register_scalable_target(
        &self,
        cluster: &str,
        service: &str,
        change: &super::scaling::TargetChange,
    ) -> Result<(), BackendError> {
        (self.fleet().fleet).register_scalable_target(cluster, service, change)
    }
}
