//! The demo's capacity: FARGATE / FARGATE_SPOT for the Fargate clusters, and for the EC2
//! cluster an Auto Scaling group provider with ECS managed scaling that scales out after
//! the placement failure the batch service reports.
//!
//! The scale-out is a pure function of the time since the fleet was generated, repeating
//! every half hour: the failure (staged two minutes before generation, as the service event
//! is) lifts CapacityProviderReservation to 129 % (9 hosts needed, 7 running); a minute
//! later ECS raises the group's desired count to 9 and two instances are Pending; three
//! minutes after that they are InService and the reservation settles at the 100 % target.
//! Twenty minutes in the demand falls (78 %) and the group scales back in to 7.

use chrono::{DateTime, Utc};

use super::catalog::{ACCOUNT, ASG_PROVIDER, BATCH_INSTANCES, REGION};
use super::fleet::DemoFleet;
use super::paged;
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
        let (providers, next_token) = paged(&found, token, CAPACITY_PROVIDERS_PAGE_MAX, OP)?;
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
        let (groups, next_token) = paged(&found, token, 100, "DescribeAutoScalingGroups")?;
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
}
