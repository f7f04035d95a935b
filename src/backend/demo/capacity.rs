//! The demo's capacity: FARGATE / FARGATE_SPOT for the Fargate clusters, and for the EC2
//! cluster an Auto Scaling group provider with ECS managed scaling that scales out after
//! the placement failure the batch service reports.
//!
//! The scale-out is a pure function of the time since the fleet was generated, repeating
//! every half hour: the failure (staged two minutes before generation, as the service event
//! is) lifts CapacityProviderReservation to 129 % (9 hosts needed, 7 running); a minute
//! later ECS raises the group's desired count to 9 and two instances are Pending; three
//! minutes after that they are InService and the reservation settles at the 100 % target.
//! Twenty minutes in the demand falls (78 %): ECS drains the two instances (managed
//! draining) and the group scales back in to 7. The cluster's container instances follow
//! the group: the two register once InService and deregister when the group lets them go.

use chrono::{DateTime, Utc};

use super::catalog;
use super::catalog::{ACCOUNT, ASG_PROVIDER, BATCH_INSTANCES, REGION};
use super::fleet::{ClusterState, DemoFleet};
use super::tasks::{self, HostInstance, StopCause};
use super::window;
use crate::backend::autoscaling::{AutoScalingGroupPage, check_batch};
use crate::backend::{
    BackendError, CAPACITY_PROVIDERS_PAGE_MAX, CapacityProviderPage,
    DESCRIBE_CAPACITY_PROVIDERS_MAX,
};
use crate::domain::capacity::{
    AutoScalingGroup, AutoScalingGroupProvider, CapacityProvider, ManagedScaling, is_fargate,
};

/// The Auto Scaling group behind [`ASG_PROVIDER`].
pub const ASG_GROUP: &str = "ecs-batch-ec2";
/// Managed scaling's target: ECS keeps the reservation here.
const TARGET_CAPACITY: i32 = 100;
/// The group's bounds.
const MIN_SIZE: i32 = 2;
const MAX_SIZE: i32 = 10;
/// Hosts the batch work needs at the peak of an episode.
const PEAK_HOSTS: i32 = 9;

/// Seconds from the failure: the episode repeats with this period.
const EPISODE: i64 = 30 * 60;
/// The failure is staged this long before the fleet's generation (as its service event).
const FAILURE_BEFORE_GENERATION: i64 = 2 * 60;
const SCALE_OUT_AFTER: i64 = 60;
const IN_SERVICE_AFTER: i64 = 4 * 60;
const DEMAND_FALLS_AFTER: i64 = 20 * 60;
const SCALE_IN_AFTER: i64 = 22 * 60;

/// Where the group is at one moment of the episode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Moment {
    pub desired: i32,
    pub in_service: i32,
    pub pending: i32,
    /// CapacityProviderReservation, in percent.
    pub reservation: f64,
}

/// The group and the metric at `t` (seconds), for a fleet generated at `generated_at`.
pub(super) fn moment(generated_at: i64, t: i64) -> Moment {
    let into = (t - (generated_at - FAILURE_BEFORE_GENERATION)).rem_euclid(EPISODE);
    let base = i32::try_from(BATCH_INSTANCES).unwrap_or(MIN_SIZE);
    let percent = |needed: i32, running: i32| f64::from(needed) * 100.0 / f64::from(running);
    let (desired, in_service, reservation) = match into {
        i if i < SCALE_OUT_AFTER => (base, base, percent(PEAK_HOSTS, base)),
        i if i < IN_SERVICE_AFTER => (PEAK_HOSTS, base, percent(PEAK_HOSTS, base)),
        i if i < DEMAND_FALLS_AFTER => (PEAK_HOSTS, PEAK_HOSTS, f64::from(TARGET_CAPACITY)),
        i if i < SCALE_IN_AFTER => (PEAK_HOSTS, PEAK_HOSTS, percent(base, PEAK_HOSTS)),
        _ => (base, base, f64::from(TARGET_CAPACITY)),
    };
    Moment {
        desired,
        in_service,
        pending: desired.saturating_sub(in_service).max(0),
        reservation,
    }
}

/// Container instance indexes of the hosts the episode adds: apart from the catalog's and
/// from those tests add, so they are told apart by ARN.
const SCALED_HOST_INDEX: usize = 1_000;

/// Makes the cluster's container instances follow the group at `now`: the scaled-out
/// instances register once InService, drain when the demand falls, and leave with the
/// scale-in (their last tasks stopped by the scheduler, to be placed elsewhere).
pub(super) fn follow_group(cluster: &mut ClusterState, generated_at: i64, now: DateTime<Utc>) {
    if !cluster.capacity_providers.iter().any(|p| p == ASG_PROVIDER) {
        return;
    }
    let at = now.timestamp();
    let into = (at - (generated_at - FAILURE_BEFORE_GENERATION)).rem_euclid(EPISODE);
    let base = i32::try_from(BATCH_INSTANCES).unwrap_or(MIN_SIZE);
    let wanted = usize::try_from(moment(generated_at, at).in_service - base).unwrap_or(0);
    let draining = (DEMAND_FALLS_AFTER..SCALE_IN_AFTER).contains(&into);
    let scaled: Vec<String> = (0..wanted)
        .map(|k| catalog::container_instance_arn(&cluster.name, SCALED_HOST_INDEX + k))
        .collect();
    let gone: Vec<String> = (cluster.hosts.instances.iter())
        .filter(|h| is_scaled(&cluster.name, h) && !scaled.contains(&h.container_instance_arn))
        .map(|h| h.container_instance_arn.clone())
        .collect();
    for sim in cluster.tasks.iter_mut().filter(|t| t.is_live()) {
        if gone.contains(
            sim.task
                .container_instance_arn
                .as_ref()
                .unwrap_or(&String::new()),
        ) {
            tasks::stop(&mut sim.task, now, StopCause::Scheduler, ASG_GROUP);
        }
    }
    cluster
        .hosts
        .instances
        .retain(|h| !gone.contains(&h.container_instance_arn));
    for (k, arn) in scaled.iter().enumerate() {
        if !cluster
            .hosts
            .instances
            .iter()
            .any(|h| &h.container_instance_arn == arn)
        {
            let host = scaled_host(cluster, SCALED_HOST_INDEX + k, now);
            cluster.hosts.instances.push(host);
        }
    }
    for host in
        (cluster.hosts.instances.iter_mut()).filter(|h| scaled.contains(&h.container_instance_arn))
    {
        host.status = if draining { "DRAINING" } else { "ACTIVE" }.to_string();
    }
}

fn is_scaled(cluster: &str, host: &HostInstance) -> bool {
    (0..(MAX_SIZE as usize)).any(|k| {
        host.container_instance_arn
            == catalog::container_instance_arn(cluster, SCALED_HOST_INDEX + k)
    })
}

/// A freshly launched instance of the group, like the catalog's hosts.
fn scaled_host(cluster: &ClusterState, index: usize, now: DateTime<Utc>) -> HostInstance {
    let zone = index % catalog::AVAILABILITY_ZONES.len();
    let template = cluster.hosts.instances.first();
    HostInstance {
        private_ip: format!(
            "10.{}.{}.{}",
            cluster.hosts.vpc_octet,
            zone * 16 + 3,
            index % 250
        ),
        availability_zone: (catalog::AVAILABILITY_ZONES.get(zone).copied())
            .unwrap_or("eu-west-1a")
            .to_string(),
        container_instance_arn: catalog::container_instance_arn(&cluster.name, index),
        ec2_instance_id: catalog::ec2_instance_id(&cluster.name, index),
        status: "ACTIVE".to_string(),
        agent_connected: true,
        instance_type: template
            .map_or_else(|| "m6i.xlarge".to_string(), |h| h.instance_type.clone()),
        registered_at: now,
    }
}

fn group_arn() -> String {
    format!(
        "arn:aws:autoscaling:{REGION}:{ACCOUNT}:autoScalingGroup:6d1f0c2e-58b4-4f1e-9a57-3c0e2b7d9a41:autoScalingGroupName/{ASG_GROUP}"
    )
}

fn provider(name: &str) -> CapacityProvider {
    let mut provider = CapacityProvider {
        name: name.to_string(),
        capacity_provider_arn: Some(format!(
            "arn:aws:ecs:{REGION}:{ACCOUNT}:capacity-provider/{name}"
        )),
        status: Some("ACTIVE".to_string()),
        kind: Some(
            if is_fargate(name) {
                name
            } else {
                "EC2_AUTOSCALING"
            }
            .to_string(),
        ),
        update_status: None,
        auto_scaling_group: None,
    };
    if !is_fargate(name) {
        provider.auto_scaling_group = Some(AutoScalingGroupProvider {
            auto_scaling_group_arn: group_arn(),
            managed_scaling: Some(ManagedScaling {
                status: Some("ENABLED".to_string()),
                target_capacity: Some(TARGET_CAPACITY),
                minimum_scaling_step_size: Some(1),
                maximum_scaling_step_size: Some(4),
                instance_warmup_period: Some(180),
            }),
            managed_termination_protection: Some("ENABLED".to_string()),
            managed_draining: Some("ENABLED".to_string()),
        });
    }
    provider
}

impl DemoFleet {
    /// DescribeCapacityProviders: the providers of any cluster by name or ARN, 10 a page.
    pub(super) fn capacity_providers(
        &self,
        names: &[String],
        token: Option<String>,
    ) -> Result<CapacityProviderPage, BackendError> {
        const OP: &str = "DescribeCapacityProviders";
        super::check_batch(
            OP,
            "capacityProviders",
            names.len(),
            DESCRIBE_CAPACITY_PROVIDERS_MAX,
        )?;
        let known = |name: &str| {
            (self.clusters.iter()).any(|c| c.capacity_providers.iter().any(|p| p == name))
        };
        let found: Vec<CapacityProvider> = names
            .iter()
            .map(|n| n.rsplit('/').next().unwrap_or(n))
            .filter(|n| known(n) || is_fargate(n))
            .map(provider)
            .collect();
        let (providers, next_token) = window(&found, token, CAPACITY_PROVIDERS_PAGE_MAX, OP)?;
        Ok(CapacityProviderPage {
            providers,
            next_token,
        })
    }

    /// DescribeAutoScalingGroups: the batch cluster's group as the episode has it now.
    pub(super) fn auto_scaling_groups(
        &self,
        names: &[String],
        token: Option<String>,
    ) -> Result<AutoScalingGroupPage, BackendError> {
        check_batch(names)?;
        let has_group = self
            .clusters
            .iter()
            .any(|c| c.capacity_providers.iter().any(|p| p == ASG_PROVIDER));
        let found: Vec<AutoScalingGroup> = names
            .iter()
            .filter(|n| has_group && n.as_str() == ASG_GROUP)
            .map(|_| self.group(self.now))
            .collect();
        let (groups, next_token) = window(&found, token, 100, "DescribeAutoScalingGroups")?;
        Ok(AutoScalingGroupPage { groups, next_token })
    }

    fn group(&self, at: DateTime<Utc>) -> AutoScalingGroup {
        let now = moment(self.generated_at.timestamp(), at.timestamp());
        AutoScalingGroup {
            name: ASG_GROUP.to_string(),
            arn: Some(group_arn()),
            min_size: MIN_SIZE,
            desired_capacity: now.desired,
            max_size: MAX_SIZE,
            in_service: now.in_service,
            pending: now.pending,
            other: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_group_scales_out_after_the_failure_and_the_reservation_settles() {
        let generated = 1_000_000;
        let at = |minutes_after_generation: i64| {
            moment(generated, generated + minutes_after_generation * 60)
        };
        let before = at(-3);
        assert_eq!((before.desired, before.in_service), (7, 7));
        assert!((before.reservation - 100.0).abs() < 0.01);
        let failed = at(-2);
        assert!(failed.reservation > 100.0 && failed.desired == 7);
        let launching = at(0);
        assert_eq!(
            (launching.desired, launching.in_service, launching.pending),
            (9, 7, 2)
        );
        assert!(launching.reservation > 100.0);
        let settled = at(3);
        assert_eq!(
            (settled.desired, settled.in_service, settled.pending),
            (9, 9, 0)
        );
        assert!((settled.reservation - 100.0).abs() < 0.01);
        assert!(at(19).reservation < 100.0);
        assert_eq!(at(21).desired, 7);
        assert_eq!(at(28), failed, "the episode repeats every half hour");
    }

    /// The batch cluster's hosts and their statuses, minutes after generation.
    fn hosts_after(fleet: &mut DemoFleet, minutes: i64) -> Vec<String> {
        let until = fleet.generated_at + chrono::Duration::minutes(minutes);
        while fleet.now < until {
            let next = fleet.now + chrono::Duration::seconds(2);
            fleet.step(next);
        }
        (fleet.clusters.iter())
            .filter(|c| c.name == "batch-ec2")
            .flat_map(|c| c.hosts.instances.iter().map(|h| h.status.clone()))
            .collect()
    }

    #[test]
    fn the_clusters_instances_follow_the_group() {
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let mut fleet = DemoFleet::generate(4, start);
        assert_eq!(hosts_after(&mut fleet, 1).len(), 7, "still launching");
        let scaled = hosts_after(&mut fleet, 3);
        assert_eq!(scaled.len(), 9, "InService instances register");
        assert_eq!(scaled.iter().filter(|s| *s == "DRAINING").count(), 1);
        let draining = hosts_after(&mut fleet, 19);
        assert_eq!(draining.iter().filter(|s| *s == "DRAINING").count(), 3);
        assert_eq!(
            hosts_after(&mut fleet, 21).len(),
            7,
            "the scale-in deregisters them"
        );
        let placed_on_gone = (fleet.clusters.iter())
            .flat_map(|c| c.tasks.iter())
            .filter(|t| t.is_live())
            .filter_map(|t| t.task.container_instance_arn.as_deref())
            .filter(|arn| arn.contains("container-instance/batch-ec2/"))
            .filter(|arn| {
                !(fleet.clusters.iter())
                    .flat_map(|c| c.hosts.instances.iter())
                    .any(|h| h.container_instance_arn == *arn)
            })
            .count();
        assert_eq!(
            placed_on_gone, 0,
            "no live task is left on a host that left"
        );
    }
}
