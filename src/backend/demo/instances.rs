//! The EC2 cluster's container instances: generated once with stable ARNs and instance ids,
//! and described with the task counts ECS computes from what is placed on each.

use super::catalog::{self, AVAILABILITY_ZONES, BATCH_INSTANCES};
use super::fleet::DemoFleet;
use super::rng::SplitMix64;
use super::tasks::HostInstance;
use super::{check_batch, find_cluster};
use crate::backend::{BackendError, DESCRIBE_CONTAINER_INSTANCES_MAX};
use crate::domain::ecs::{ContainerInstance, arn_tail};

const OP: &str = "DescribeContainerInstances";

/// The batch cluster's instances, spread over the availability zones, one /20 subnet each.
pub(super) fn generate(rng: &mut SplitMix64, cluster: &str, vpc_octet: u8) -> Vec<HostInstance> {
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
            }
        })
        .collect()
}

impl DemoFleet {
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
            .filter_map(|wanted| {
                cluster.hosts.instances.iter().find(|host| {
                    host.container_instance_arn == *wanted
                        || arn_tail(&host.container_instance_arn) == wanted.as_str()
                })
            })
            .map(|host| {
                let placed = cluster.tasks.iter().filter(|t| {
                    t.is_live()
                        && t.task.container_instance_arn.as_deref()
                            == Some(host.container_instance_arn.as_str())
                });
                // ECS counts RUNNING tasks as running and everything still starting as pending.
                let (running, pending) = placed.fold((0, 0), |(running, pending), t| {
                    if t.is_running() {
                        (running + 1, pending)
                    } else {
                        (running, pending + 1)
                    }
                });
                ContainerInstance {
                    container_instance_arn: host.container_instance_arn.clone(),
                    ec2_instance_id: Some(host.ec2_instance_id.clone()),
                    status: "ACTIVE".to_string(),
                    agent_connected: true,
                    running_tasks_count: running,
                    pending_tasks_count: pending,
                }
            })
            .collect())
    }
}
