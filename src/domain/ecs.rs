//! Domain types: what ecsdeck knows about ECS resources, independent of the AWS SDK.
//!
//! The SDK's types are mapped into these in exactly one place (`backend::aws::mapping`), so
//! the store, the panes and the demo fleet never depend on SDK details. They serialise to the
//! JSON shown by the describe view, with AWS's own camelCase field names.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// An ECS cluster with the counters the clusters view shows.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    pub cluster_arn: String,
    pub cluster_name: String,
    pub status: String,
    pub active_services_count: i32,
    pub running_tasks_count: i32,
    pub pending_tasks_count: i32,
    pub registered_container_instances_count: i32,
    pub capacity_providers: Vec<String>,
    pub default_capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    /// `containerInsights` setting ("enabled", "enhanced", "disabled"), when known.
    pub container_insights: Option<String>,
}

/// One entry of a capacity provider strategy (cluster default or service override).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CapacityProviderStrategyItem {
    pub capacity_provider: String,
    pub weight: i32,
    pub base: i32,
}

/// An ECS service with its counts and deployments.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub service_arn: String,
    pub service_name: String,
    pub cluster_arn: String,
    pub status: String,
    pub desired_count: i32,
    pub running_count: i32,
    pub pending_count: i32,
    /// Full task definition ARN of the primary deployment.
    pub task_definition: String,
    pub launch_type: Option<String>,
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    pub deployments: Vec<Deployment>,
    pub created_at: Option<DateTime<Utc>>,
    /// The deployment circuit breaker (deploymentConfiguration), when configured.
    pub circuit_breaker: Option<CircuitBreaker>,
    /// The service's event log as DescribeServices returns it (newest first, up to 100).
    pub events: Vec<ServiceEvent>,
    /// The target groups (or Classic Load Balancers) in front of the service.
    pub load_balancers: Vec<crate::domain::elb::ServiceLoadBalancer>,
}

/// ECS's deployment circuit breaker settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct CircuitBreaker {
    pub enable: bool,
    pub rollback: bool,
}

/// One entry of a service's event log ("(service api) has reached a steady state.").
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEvent {
    pub id: String,
    pub created_at: Option<DateTime<Utc>>,
    pub message: String,
}

/// One deployment of a service (PRIMARY is the one being rolled out or steady).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub id: String,
    pub status: String,
    pub task_definition: String,
    pub desired_count: i32,
    pub pending_count: i32,
    pub running_count: i32,
    pub failed_tasks: i32,
    /// COMPLETED, IN_PROGRESS or FAILED (absent for services without the rolling controller).
    pub rollout_state: Option<String>,
    pub rollout_state_reason: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// An ECS task (running or stopped) with its containers.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub task_arn: String,
    pub cluster_arn: String,
    pub task_definition_arn: String,
    /// `service:NAME` for tasks started by a service.
    pub group: Option<String>,
    pub started_by: Option<String>,
    pub last_status: String,
    pub desired_status: String,
    pub health_status: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
    pub stop_code: Option<String>,
    pub stopped_reason: Option<String>,
    /// The EC2 container instance the task runs on (EC2 launch type; none on Fargate).
    pub container_instance_arn: Option<String>,
    pub availability_zone: Option<String>,
    pub private_ip: Option<String>,
    pub launch_type: Option<String>,
    pub capacity_provider_name: Option<String>,
    pub cpu: Option<String>,
    pub memory: Option<String>,
    /// Started with ECS Exec enabled (`enableExecuteCommand`): only then can a shell open.
    pub enable_execute_command: bool,
    pub containers: Vec<Container>,
}

/// A container of a task, as DescribeTasks reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    pub image: Option<String>,
    /// The digest of the image the container runs (`imageDigest`; set once it is pulled).
    pub image_digest: Option<String>,
    pub last_status: Option<String>,
    pub health_status: Option<String>,
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
    pub cpu: Option<String>,
    pub memory: Option<String>,
    pub memory_reservation: Option<String>,
    pub network_bindings: Vec<PortBinding>,
    /// The container runtime's id: ECS Exec and port forwarding target
    /// `ecs:CLUSTER_TASKID_RUNTIMEID`.
    pub runtime_id: Option<String>,
    /// `lastStatus` of the container's ExecuteCommandAgent (RUNNING when a shell can open).
    pub exec_agent: Option<String>,
}

/// A port binding (container port → host port) reported on a running container.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PortBinding {
    pub container_port: Option<i32>,
    pub host_port: Option<i32>,
    pub protocol: Option<String>,
}

/// An EC2 host registered in a cluster (DescribeContainerInstances).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ContainerInstance {
    pub container_instance_arn: String,
    /// What load balancers register bridge and host tasks by.
    pub ec2_instance_id: Option<String>,
    /// ACTIVE, DRAINING, REGISTERING, ...
    pub status: String,
    pub agent_connected: bool,
    pub running_tasks_count: i32,
    pub pending_tasks_count: i32,
    /// Why the status is what it is (e.g. a failed registration), when ECS says.
    pub status_reason: Option<String>,
    pub agent_version: Option<String>,
    pub docker_version: Option<String>,
    /// CPU units and MiB the instance registered, and what placed tasks left of them:
    /// where "no container instance met all of its requirements" comes from.
    pub registered_cpu: Option<i32>,
    pub remaining_cpu: Option<i32>,
    pub registered_memory: Option<i32>,
    pub remaining_memory: Option<i32>,
    /// From the `ecs.availability-zone` and `ecs.instance-type` attributes.
    pub availability_zone: Option<String>,
    pub instance_type: Option<String>,
    pub capacity_provider_name: Option<String>,
    pub registered_at: Option<DateTime<Utc>>,
}

/// The states ecsdeck sets a container instance to (UpdateContainerInstancesState).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum InstanceStatus {
    /// Accepts new tasks again (undrain).
    Active,
    /// Takes no new tasks; services replace the ones on it elsewhere.
    Draining,
}

impl InstanceStatus {
    pub fn as_aws(self) -> &'static str {
        match self {
            InstanceStatus::Active => "ACTIVE",
            InstanceStatus::Draining => "DRAINING",
        }
    }
}

/// A container instance named for people: its ARN (what ECS calls take) and its EC2
/// instance id (what the console and the on-call engineer know it by).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct InstanceRef {
    pub arn: String,
    pub ec2_instance_id: Option<String>,
}

impl InstanceRef {
    /// The EC2 instance id, or the container instance id when there is none.
    pub fn label(&self) -> &str {
        self.ec2_instance_id
            .as_deref()
            .unwrap_or_else(|| arn_tail(&self.arn))
    }
}

impl ContainerInstance {
    /// The instance as named in dialogs and titles.
    pub fn reference(&self) -> InstanceRef {
        InstanceRef {
            arn: self.container_instance_arn.clone(),
            ec2_instance_id: self.ec2_instance_id.clone(),
        }
    }
}

/// A task definition revision. Secret *values* are never fetched: only their names and the
/// ARN they come from, which is what DescribeTaskDefinition returns anyway.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinition {
    pub task_definition_arn: String,
    pub family: String,
    pub revision: i32,
    pub status: Option<String>,
    pub cpu: Option<String>,
    pub memory: Option<String>,
    pub network_mode: Option<String>,
    pub requires_compatibilities: Vec<String>,
    pub task_role_arn: Option<String>,
    pub execution_role_arn: Option<String>,
    pub container_definitions: Vec<ContainerDefinition>,
    /// When the revision was registered (`registeredAt`).
    pub registered_at: Option<DateTime<Utc>>,
}

/// One container of a task definition.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    pub name: String,
    pub image: String,
    pub cpu: i32,
    pub memory: Option<i32>,
    pub memory_reservation: Option<i32>,
    pub essential: Option<bool>,
    pub port_mappings: Vec<PortMapping>,
    pub environment: Vec<EnvironmentVariable>,
    pub secrets: Vec<SecretReference>,
    pub command: Vec<String>,
    pub entry_point: Vec<String>,
    pub log_configuration: Option<LogConfiguration>,
}

/// A port mapping declared in a container definition.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    pub container_port: Option<i32>,
    pub host_port: Option<i32>,
    pub protocol: Option<String>,
}

/// A plain environment variable of a container definition.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct EnvironmentVariable {
    pub name: String,
    pub value: String,
}

/// A secret injected into a container: its name and where it comes from, never its value.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SecretReference {
    pub name: String,
    pub value_from: String,
}

/// Where a container's logs go (`awslogs`, `awsfirelens`, `splunk`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LogConfiguration {
    pub log_driver: String,
    pub options: BTreeMap<String, String>,
}

/// The last path segment of an ARN: `arn:...:task/cluster/abc123` → `abc123`.
pub fn arn_tail(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// `family:revision` from a task definition ARN (or the input when it is not an ARN).
pub fn task_definition_short(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The region inside an ARN (`arn:aws:ecs:REGION:ACCOUNT:...`), if present.
pub fn arn_region(arn: &str) -> Option<&str> {
    let region = arn.split(':').nth(3)?;
    (!region.is_empty()).then_some(region)
}

/// The account id inside an ARN (`arn:aws:ecs:REGION:ACCOUNT:...`), if present.
pub fn arn_account(arn: &str) -> Option<&str> {
    let account = arn.split(':').nth(4)?;
    (!account.is_empty()).then_some(account)
}

impl Service {
    /// The target group ARNs in front of the service, in its order, without repeats.
    pub fn target_groups(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for arn in self
            .load_balancers
            .iter()
            .filter_map(|l| l.target_group_arn.clone())
        {
            if !out.contains(&arn) {
                out.push(arn);
            }
        }
        out
    }

    /// The PRIMARY deployment, the one ECS is rolling out (or has finished rolling out).
    pub fn primary_deployment(&self) -> Option<&Deployment> {
        self.deployments.iter().find(|d| d.status == "PRIMARY")
    }
}

impl Task {
    /// The short id shown in lists: the last segment of the task ARN.
    pub fn short_id(&self) -> &str {
        arn_tail(&self.task_arn)
    }

    /// The service that started this task, from its `service:NAME` group.
    pub fn service_name(&self) -> Option<&str> {
        self.group.as_deref()?.strip_prefix("service:")
    }
}

impl TaskDefinition {
    pub fn container(&self, name: &str) -> Option<&ContainerDefinition> {
        self.container_definitions.iter().find(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_helpers_cut_the_right_segments() {
        let task = "arn:aws:ecs:us-east-1:123456789012:task/prod/0f3a9c";
        assert_eq!(arn_tail(task), "0f3a9c");
        assert_eq!(arn_account(task), Some("123456789012"));
        let td = "arn:aws:ecs:us-east-1:123456789012:task-definition/api:42";
        assert_eq!(task_definition_short(td), "api:42");
        assert_eq!(arn_account("not-an-arn"), None);
    }
}
