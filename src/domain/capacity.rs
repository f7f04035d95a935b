//! Where a cluster's capacity comes from: its capacity providers (Fargate, Fargate Spot, or
//! an EC2 Auto Scaling group that ECS scales) and those Auto Scaling groups as EC2 Auto
//! Scaling reports them. What `:capacity` shows when tasks sit in PENDING.

use serde::Serialize;

/// The two providers AWS runs for every account. Their settings are fixed (no managed
/// scaling, no group), so they are never described: the name says all there is.
pub const FARGATE: &str = "FARGATE";
pub const FARGATE_SPOT: &str = "FARGATE_SPOT";

/// True for FARGATE and FARGATE_SPOT, which DescribeCapacityProviders need not be asked about.
pub fn is_fargate(provider: &str) -> bool {
    provider == FARGATE || provider == FARGATE_SPOT
}

/// A capacity provider as DescribeCapacityProviders reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CapacityProvider {
    pub name: String,
    pub capacity_provider_arn: Option<String>,
    /// ACTIVE or INACTIVE.
    pub status: Option<String>,
    /// AWS's `type` when it says (EC2_AUTOSCALING, MANAGED_INSTANCES, FARGATE, ...).
    pub kind: Option<String>,
    /// What an update of the provider is doing (UPDATE_IN_PROGRESS, UPDATE_FAILED, ...).
    pub update_status: Option<String>,
    pub auto_scaling_group: Option<AutoScalingGroupProvider>,
}

/// The Auto Scaling group side of a capacity provider: how ECS scales the group.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AutoScalingGroupProvider {
    pub auto_scaling_group_arn: String,
    pub managed_scaling: Option<ManagedScaling>,
    /// ENABLED: ECS keeps the group from terminating instances that run tasks.
    pub managed_termination_protection: Option<String>,
    /// ENABLED: ECS drains an instance before the group terminates it.
    pub managed_draining: Option<String>,
}

/// ECS managed scaling: ECS keeps CapacityProviderReservation at `target_capacity` percent
/// by changing the group's desired count, at most `maximum_scaling_step_size` at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ManagedScaling {
    /// ENABLED or DISABLED.
    pub status: Option<String>,
    pub target_capacity: Option<i32>,
    pub minimum_scaling_step_size: Option<i32>,
    pub maximum_scaling_step_size: Option<i32>,
    pub instance_warmup_period: Option<i32>,
}

/// An EC2 Auto Scaling group (DescribeAutoScalingGroups): its bounds and where its
/// instances are in their life.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AutoScalingGroup {
    pub name: String,
    pub arn: Option<String>,
    pub min_size: i32,
    pub desired_capacity: i32,
    pub max_size: i32,
    /// Instances InService: what can take tasks.
    pub in_service: i32,
    /// Instances Pending (launching, warming up): capacity on its way.
    pub pending: i32,
    /// Instances in any other lifecycle state (Terminating, Standby, Detaching, ...).
    pub other: i32,
}

impl CapacityProvider {
    /// The name of the provider's Auto Scaling group, from its ARN.
    pub fn group_name(&self) -> Option<&str> {
        let arn = &self.auto_scaling_group.as_ref()?.auto_scaling_group_arn;
        group_name_of(arn)
    }
}

/// `NAME` from `arn:aws:autoscaling:REGION:ACCOUNT:autoScalingGroup:UUID:autoScalingGroupName/NAME`
/// (DescribeAutoScalingGroups takes names, capacity providers name groups by ARN). A bare
/// name is returned as it is.
pub fn group_name_of(arn: &str) -> Option<&str> {
    let name = match arn.split_once(":autoScalingGroupName/") {
        Some((_, name)) => name,
        None if !arn.starts_with("arn:") => arn,
        None => return None,
    };
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names_come_from_the_arn() {
        let arn =
            "arn:aws:autoscaling:eu-west-1:1:autoScalingGroup:0f-1a:autoScalingGroupName/ecs-batch";
        assert_eq!(group_name_of(arn), Some("ecs-batch"));
        assert_eq!(group_name_of("ecs-batch"), Some("ecs-batch"));
        assert_eq!(group_name_of("arn:aws:autoscaling:eu-west-1:1:other"), None);
        assert!(is_fargate("FARGATE_SPOT") && !is_fargate("batch-asg"));
    }
}
