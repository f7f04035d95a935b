//! The backend: one async trait whose methods are ECS operations with AWS's own limits.
//!
//! Paging and batching live above the trait (`fetch`), so they are written and tested once;
//! implementations only translate one call. Three implementations: `aws` (the SDK), `demo`
//! (an in-process simulated fleet that enforces the same limits), and `counting` (a wrapper
//! that records calls per operation for tests and the API-budget readout).

pub mod autoscaling;
pub mod aws;
pub mod budget;
pub mod counting;
pub mod demo;
pub mod ecr;
pub mod elb;
pub mod fetch;
pub mod fetch_balancing;
pub mod fetch_capacity;
pub mod fetch_images;
pub mod fetch_scaling;
pub mod logs;
pub mod metrics;
pub mod scaling;
pub mod ssm;

use async_trait::async_trait;

pub use crate::domain::error::{BackendError, ErrorKind};
pub use autoscaling::AutoScalingBackend;
pub use ecr::EcrBackend;
pub use elb::ElbBackend;
pub use logs::LogsBackend;
pub use metrics::MetricsBackend;
pub use scaling::ScalingBackend;
pub use ssm::SsmBackend;

/// Everything ecsdeck talks to: ECS, CloudWatch Logs, CloudWatch metrics, Elastic Load
/// Balancing, Systems Manager sessions, ECR, Application Auto Scaling and EC2 Auto Scaling.
pub trait Backend:
    MutationBackend
    + LogsBackend
    + MetricsBackend
    + ElbBackend
    + SsmBackend
    + EcrBackend
    + AutoScalingBackend
{
}

impl<
    T: MutationBackend
        + LogsBackend
        + MetricsBackend
        + ElbBackend
        + SsmBackend
        + EcrBackend
        + AutoScalingBackend,
> Backend for T
{
}

/// What the executor calls: ECS and Application Auto Scaling (the auto scaling range and
/// suspensions, and the widening a scale may ask for first).
pub trait MutationBackend: EcsBackend + ScalingBackend {}

impl<T: EcsBackend + ScalingBackend> MutationBackend for T {}

pub use crate::domain::ecs::InstanceStatus;
use crate::domain::ecs::{Cluster, ContainerInstance, Service, Task, TaskDefinition};

/// AWS's maximum page size for ListClusters / ListServices / ListTasks.
pub const LIST_PAGE_MAX: usize = 100;
/// AWS's maximum number of clusters in one DescribeClusters call.
pub const DESCRIBE_CLUSTERS_MAX: usize = 100;
/// AWS's maximum number of services in one DescribeServices call.
pub const DESCRIBE_SERVICES_MAX: usize = 10;
/// AWS's maximum number of tasks in one DescribeTasks call.
pub const DESCRIBE_TASKS_MAX: usize = 100;
/// AWS's maximum number of container instances in one DescribeContainerInstances call.
pub const DESCRIBE_CONTAINER_INSTANCES_MAX: usize = 100;
/// AWS's maximum number of names in one DescribeCapacityProviders call.
pub const DESCRIBE_CAPACITY_PROVIDERS_MAX: usize = 100;
/// AWS's maximum page of DescribeCapacityProviders (`maxResults` 1..=10): a call naming
/// more providers than this answers with a `nextToken` for the rest.
pub const CAPACITY_PROVIDERS_PAGE_MAX: usize = 10;

/// AWS's maximum number of container instances in one UpdateContainerInstancesState call.
pub use crate::domain::mutation::UPDATE_CONTAINER_INSTANCES_STATE_MAX;

/// One page of a List* call: the ARNs and the token for the next page, if any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub arns: Vec<String>,
    pub next_token: Option<String>,
}

/// One page of DescribeCapacityProviders.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CapacityProviderPage {
    pub providers: Vec<crate::domain::capacity::CapacityProvider>,
    pub next_token: Option<String>,
}

/// Which tasks ListTasks should return (default: every running task of the cluster).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskFilter {
    /// Only tasks of this service (AWS's `serviceName`). moto ignores it, so callers also
    /// filter on the task's `group`.
    pub service: Option<String>,
    /// RUNNING (the default view) or STOPPED (`x` in the tasks view).
    pub desired_status: DesiredStatus,
    /// Only tasks placed on this container instance (ARN; AWS's `containerInstance`).
    pub container_instance: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum DesiredStatus {
    #[default]
    Running,
    Stopped,
}

impl DesiredStatus {
    pub fn as_aws(self) -> &'static str {
        match self {
            DesiredStatus::Running => "RUNNING",
            DesiredStatus::Stopped => "STOPPED",
        }
    }
}

/// ECS operations, one method per AWS call, each with AWS's limits.
#[async_trait]
pub trait EcsBackend: Send + Sync {
    /// ListClusters: one page of at most [`LIST_PAGE_MAX`] cluster ARNs.
    async fn list_clusters(&self, next_token: Option<String>) -> Result<Page, BackendError>;

    /// DescribeClusters: at most [`DESCRIBE_CLUSTERS_MAX`] names or ARNs.
    async fn describe_clusters(&self, clusters: &[String]) -> Result<Vec<Cluster>, BackendError>;

    /// ListServices: one page of at most [`LIST_PAGE_MAX`] service ARNs of a cluster.
    async fn list_services(
        &self,
        cluster: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError>;

    /// DescribeServices: at most [`DESCRIBE_SERVICES_MAX`] services of one cluster.
    async fn describe_services(
        &self,
        cluster: &str,
        services: &[String],
    ) -> Result<Vec<Service>, BackendError>;

    /// ListTasks: one page of at most [`LIST_PAGE_MAX`] task ARNs.
    async fn list_tasks(
        &self,
        cluster: &str,
        filter: &TaskFilter,
        next_token: Option<String>,
    ) -> Result<Page, BackendError>;

    /// DescribeTasks: at most [`DESCRIBE_TASKS_MAX`] tasks of one cluster.
    async fn describe_tasks(
        &self,
        cluster: &str,
        tasks: &[String],
    ) -> Result<Vec<Task>, BackendError>;

    /// DescribeContainerInstances: at most [`DESCRIBE_CONTAINER_INSTANCES_MAX`] instances of
    /// one cluster.
    async fn describe_container_instances(
        &self,
        cluster: &str,
        instances: &[String],
    ) -> Result<Vec<ContainerInstance>, BackendError>;

    /// DescribeCapacityProviders of at most [`DESCRIBE_CAPACITY_PROVIDERS_MAX`] names or
    /// ARNs, one page of at most [`CAPACITY_PROVIDERS_PAGE_MAX`] (follow `next_token`).
    /// Providers that do not exist are left out (AWS lists them under `failures`).
    async fn describe_capacity_providers(
        &self,
        names: &[String],
        next_token: Option<String>,
    ) -> Result<CapacityProviderPage, BackendError>;

    /// The full describe (`d`): one resource as AWS's own JSON, every field — DescribeClusters
    /// (with ATTACHMENTS, CONFIGURATIONS, SETTINGS, STATISTICS and TAGS), DescribeServices,
    /// DescribeTasks and DescribeTaskDefinition (with TAGS) — not the subset ecsdeck maps.
    /// One resource per call: it is asked for while one describe view is open.
    async fn describe_raw(&self, target: &RawTarget) -> Result<serde_json::Value, BackendError>;

    /// ListTaskDefinitionFamilies (ACTIVE): one page of at most [`LIST_PAGE_MAX`] family
    /// names (`Page::arns` holds names here).
    async fn list_task_definition_families(
        &self,
        next_token: Option<String>,
    ) -> Result<Page, BackendError>;
    /// ListContainerInstances: one page of at most [`LIST_PAGE_MAX`] container instance ARNs
    /// of a cluster, in every status but INACTIVE (AWS's default without a status filter).
    async fn list_container_instances(
        &self,
        cluster: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError>;

    /// UpdateContainerInstancesState: DRAINING or ACTIVE for at most
    /// [`UPDATE_CONTAINER_INSTANCES_STATE_MAX`] container instances of one cluster; returns
    /// them as ECS reports them afterwards. A mutation: never retried.
    async fn update_container_instances_state(
        &self,
        cluster: &str,
        instances: &[String],
        status: InstanceStatus,
    ) -> Result<Vec<ContainerInstance>, BackendError>;

    /// DescribeTaskDefinition: one revision, by ARN or `family:revision`.
    async fn describe_task_definition(
        &self,
        task_definition: &str,
    ) -> Result<TaskDefinition, BackendError>;

    /// ListTaskDefinitions of one family, newest first (`sort = DESC`), one page of at most
    /// [`LIST_PAGE_MAX`] ARNs, ACTIVE revisions only.
    async fn list_task_definitions(
        &self,
        family: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError>;

    /// UpdateService with one change; returns the service as ECS reports it afterwards.
    async fn update_service(&self, update: &ServiceUpdate) -> Result<Service, BackendError>;

    /// StopTask with a reason (shown in the console and in DescribeTasks' stoppedReason).
    async fn stop_task(
        &self,
        cluster: &str,
        task: &str,
        reason: &str,
    ) -> Result<Task, BackendError>;

    /// ExecuteCommand: opens an ECS Exec session in a container (never retried). The session
    /// is handed to `session-manager-plugin`, which carries the shell.
    async fn execute_command(&self, request: &ExecRequest) -> Result<ExecSession, BackendError>;
}

/// One UpdateService call: exactly one of the changes is set by ecsdeck's actions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceUpdate {
    pub cluster: String,
    pub service: String,
    /// Scale: the new desired count (0..=5000).
    pub desired_count: Option<i32>,
    /// Redeploy: replace every task with a fresh one of the same task definition.
    pub force_new_deployment: bool,
    /// Roll back (or forward): the task definition ARN or `family:revision` to deploy.
    pub task_definition: Option<String>,
}

/// One ExecuteCommand call: a command in one container of a running task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecRequest {
    pub cluster: String,
    pub task: String,
    pub container: String,
    pub command: String,
}

/// What ExecuteCommand answers: the Session Manager session the plugin connects to. The
/// token is a credential for that session: never logged, never journaled.
#[derive(Clone, PartialEq, Eq)]
pub struct ExecSession {
    pub session_id: String,
    pub stream_url: String,
    pub token_value: String,
}

impl std::fmt::Debug for ExecSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecSession")
            .field("session_id", &self.session_id)
            .field("stream_url", &self.stream_url)
            .field("token_value", &"<redacted>")
            .finish()
    }
}

pub use crate::domain::scaling::ScalableTarget;

/// What the full describe shows: one resource, as AWS returns it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RawTarget {
    Cluster { cluster: String },
    Service { cluster: String, service: String },
    Task { cluster: String, task: String },
    TaskDefinition { arn: String },
}

impl RawTarget {
    /// The ECS operation that answers it (for the counting wrapper and errors).
    pub fn operation(&self) -> &'static str {
        match self {
            RawTarget::Cluster { .. } => "DescribeClusters",
            RawTarget::Service { .. } => "DescribeServices",
            RawTarget::Task { .. } => "DescribeTasks",
            RawTarget::TaskDefinition { .. } => "DescribeTaskDefinition",
        }
    }
}

/// Where a context switch (`:ctx`, `:region`) goes: a profile of the AWS files (None: the
/// default chain) and the region to use with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextTarget {
    pub profile: Option<String>,
    pub region: String,
}

/// Where the backend talks to, for the header: profile, region and endpoint.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Connection {
    pub profile: Option<String>,
    pub region: String,
    /// Set when `--endpoint-url` / `AWS_ENDPOINT_URL` points somewhere other than AWS.
    pub endpoint: Option<String>,
    /// True for the built-in demo fleet.
    pub demo: bool,
}
