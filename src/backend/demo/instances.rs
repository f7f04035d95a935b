//! The EC2 cluster's container instances: generated once with stable ARNs and instance ids,
//! and described with the task counts ECS computes from what is placed on each.

use chrono::{DateTime, Duration, Utc};

use super::catalog::{self, AVAILABILITY_ZONES, BATCH_INSTANCES};
use super::fleet::{ClusterState, DemoFleet};
use super::rng::SplitMix64;
use super::tasks::{HostInstance, SimTask};
use super::{check_batch, find_cluster};
use crate::backend::{
    BackendError, DESCRIBE_CONTAINER_INSTANCES_MAX, ErrorKind, InstanceStatus,
    UPDATE_CONTAINER_INSTANCES_STATE_MAX,
};
use crate::domain::ecs::{ContainerInstance, arn_tail};

const OP: &str = "DescribeContainerInstances";

/// The batch cluster's instances, spread over the availability zones, one /20 subnet each.
/// One has lost its ECS agent's connection and one is draining, as on a real bad night.
pub(super) fn generate(
    rng: &mut SplitMix64,
    cluster: &str,
    vpc_octet: u8,
    now: DateTime<Utc>,
) -> Vec<HostInstance> {
    (0..BATCH_INSTANCES)
        .map(|index| {
            let zone = index % AVAILABILITY_ZONES.len();
            let availability_zone = AVAILABILITY_ZONES
                .get(zone)
                .copied()
                .unwrap_or("eu-west-1a")
                .to_string();
            let private_ip = format!("10.{vpc_octet}.{}.{}", zone * 16 + 1, rng.range(10, 250));
            HostInstance {
                private_ip,
                availability_zone,
                container_instance_arn: catalog::container_instance_arn(cluster, index),
                ec2_instance_id: catalog::ec2_instance_id(cluster, index),
                status: if index == DRAINING_HOST {
                    "DRAINING"
                } else {
                    "ACTIVE"
                }
                .to_string(),
                agent_connected: index != DISCONNECTED_HOST,
                instance_type: INSTANCE_TYPE.to_string(),
                registered_at: now - Duration::hours(6 + 11 * index as i64),
            }
        })
        .collect()
}

/// Which of the batch cluster's hosts starts draining, and which has lost its agent.
const DRAINING_HOST: usize = 5;
const DISCONNECTED_HOST: usize = 3;
/// What every batch host is, and what it registers (ECS keeps some memory for the agent).
const INSTANCE_TYPE: &str = "m6i.xlarge";
const REGISTERED_CPU: i32 = 4096;
const REGISTERED_MEMORY: i32 = 15_731;

impl DemoFleet {
    /// Registers `count` more hosts in a cluster: for tests of paging and batching at
    /// AWS's limits on a cluster of hundreds of instances.
    pub fn add_container_instances(&mut self, cluster: &str, count: usize, now: DateTime<Utc>) {
        let Some(state) = self.clusters.iter_mut().find(|c| c.name == cluster) else {
            return;
        };
        let start = state.hosts.instances.len();
        let octet = state.hosts.vpc_octet;
        for index in start..start + count {
            let zone = index % AVAILABILITY_ZONES.len();
            state.hosts.instances.push(HostInstance {
                private_ip: format!("10.{octet}.{}.{}", zone * 16 + 2, index % 250),
                availability_zone: AVAILABILITY_ZONES
                    .get(zone)
                    .copied()
                    .unwrap_or("eu-west-1a")
                    .to_string(),
                container_instance_arn: catalog::container_instance_arn(cluster, index),
                ec2_instance_id: catalog::ec2_instance_id(cluster, index),
                status: "ACTIVE".to_string(),
                agent_connected: true,
                instance_type: INSTANCE_TYPE.to_string(),
                registered_at: now,
            });
        }
    }

    /// DescribeContainerInstances: by full ARN or by the id after the cluster's name, as ECS
    /// accepts them. Unknown ones are left out (AWS lists them under `failures`).
    pub(super) fn container_instances(
        &self,
        cluster: &str,
        wanted: &[String],
    ) -> Result<Vec<ContainerInstance>, BackendError> {
        check_batch(
            OP,
            "containerInstances",
            wanted.len(),
            DESCRIBE_CONTAINER_INSTANCES_MAX,
        )?;
        let cluster = find_cluster(self, cluster, OP)?;
        Ok(wanted
            .iter()
            .filter_map(|wanted| cluster.hosts.instances.iter().find(|host| is(host, wanted)))
            .map(|host| describe(cluster, host))
            .collect())
    }

    /// ListContainerInstances: every instance of the cluster (none is INACTIVE), paged.
    pub(super) fn container_instance_arns(
        &self,
        cluster: &str,
    ) -> Result<Vec<String>, BackendError> {
        let cluster = find_cluster(self, cluster, "ListContainerInstances")?;
        Ok(cluster
            .hosts
            .instances
            .iter()
            .map(|h| h.container_instance_arn.clone())
            .collect())
    }

    /// UpdateContainerInstancesState: at most 10 instances, to ACTIVE or DRAINING. Unknown
    /// instances fail the call (AWS lists them under `failures`; the AWS backend makes that
    /// an error too), after the known ones changed.
    pub(super) fn set_instances_state(
        &mut self,
        cluster: &str,
        wanted: &[String],
        status: InstanceStatus,
    ) -> Result<Vec<ContainerInstance>, BackendError> {
        const UPDATE: &str = "UpdateContainerInstancesState";
        check_batch(
            UPDATE,
            "containerInstances",
            wanted.len(),
            UPDATE_CONTAINER_INSTANCES_STATE_MAX,
        )?;
        let index = self.cluster_index(cluster, UPDATE)?;
        let mut missing = Vec::new();
        if let Some(state) = self.clusters.get_mut(index) {
            for arn in wanted {
                match state.hosts.instances.iter_mut().find(|h| is(h, arn)) {
                    Some(host) => host.status = status.as_aws().to_string(),
                    None => missing.push(arn.clone()),
                }
            }
        }
        if let Some(first) = missing.first() {
            return Err(BackendError::new(
                ErrorKind::InvalidRequest,
                UPDATE,
                format!(
                    "{} of {} instances were not changed: MISSING ({first})",
                    missing.len(),
                    wanted.len()
                ),
            ));
        }
        self.container_instances(cluster, wanted)
    }
}

fn is(host: &HostInstance, wanted: &str) -> bool {
    host.container_instance_arn == wanted || arn_tail(&host.container_instance_arn) == wanted
}

/// One host as DescribeContainerInstances reports it: task counts and remaining resources
/// computed from what is placed on it, as ECS does.
fn describe(cluster: &ClusterState, host: &HostInstance) -> ContainerInstance {
    let placed: Vec<&SimTask> = cluster
        .tasks
        .iter()
        .filter(|t| {
            t.is_live()
                && t.task.container_instance_arn.as_deref()
                    == Some(host.container_instance_arn.as_str())
        })
        .collect();
    // ECS counts RUNNING tasks as running and everything still starting as pending.
    let running = placed.iter().filter(|t| t.is_running()).count();
    let pending = placed.len() - running;
    let used = |amount: fn(&SimTask) -> Option<&String>| -> i32 {
        placed
            .iter()
            .filter_map(|t| amount(t).and_then(|v| v.parse::<i32>().ok()))
            .sum()
    };
    let zone = host.availability_zone.clone();
    ContainerInstance {
        container_instance_arn: host.container_instance_arn.clone(),
        ec2_instance_id: Some(host.ec2_instance_id.clone()),
        status: host.status.clone(),
        agent_connected: host.agent_connected,
        running_tasks_count: i32::try_from(running).unwrap_or(i32::MAX),
        pending_tasks_count: i32::try_from(pending).unwrap_or(i32::MAX),
        agent_version: Some("1.89.2".to_string()),
        docker_version: Some("DockerVersion: 25.0.8".to_string()),
        registered_cpu: Some(REGISTERED_CPU),
        remaining_cpu: Some((REGISTERED_CPU - used(|t| t.task.cpu.as_ref())).max(0)),
        registered_memory: Some(REGISTERED_MEMORY),
        remaining_memory: Some((REGISTERED_MEMORY - used(|t| t.task.memory.as_ref())).max(0)),
        availability_zone: Some(zone),
        instance_type: Some(host.instance_type.clone()),
        capacity_provider_name: Some(catalog::ASG_PROVIDER.to_string()),
        registered_at: Some(host.registered_at),
        status_reason: None,
    }
}
