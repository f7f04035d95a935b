//! Application Auto Scaling, one method per AWS call, each with AWS's limits: what scales a
//! service's desired count (namespace `ecs`, dimension `ecs:service:DesiredCount`, resource
//! `service/CLUSTER/SERVICE`), and the one change ecsdeck makes to it (RegisterScalableTarget).
//!
//! Every call names one service's resource id, so a call never reads another service's data.

use async_trait::async_trait;

use super::BackendError;
use crate::domain::scaling::{
    ScalableTarget, ScalingActivity, ScalingPolicy, ScheduledAction, Suspended,
};

/// DescribeScalableTargets: at most 50 results per page (and 50 resource ids per call);
/// ecsdeck asks for one resource id, so one page always holds the answer.
pub const DESCRIBE_SCALABLE_TARGETS_MAX: usize = 50;
/// DescribeScalingPolicies: at most 10 policies per page (AWS's default and maximum).
pub const DESCRIBE_SCALING_POLICIES_MAX: usize = 10;
/// DescribeScheduledActions: at most 50 actions per page.
pub const DESCRIBE_SCHEDULED_ACTIONS_MAX: usize = 50;
/// DescribeScalingActivities: at most 50 activities per page, newest first (six weeks kept).
pub const DESCRIBE_SCALING_ACTIVITIES_MAX: usize = 50;
/// The activities the detail pane shows: the newest, in one call of this MaxResults.
pub const SCALING_ACTIVITIES_SHOWN: usize = 20;

/// One page of a Describe* call that pages with NextToken.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
}

/// What one RegisterScalableTarget changes on an existing target; None leaves it as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetChange {
    pub min_capacity: Option<i32>,
    pub max_capacity: Option<i32>,
    /// The whole SuspendedState (all three flags are sent, so none is left to a default).
    pub suspended: Option<Suspended>,
}

#[async_trait]
pub trait ScalingBackend: Send + Sync {
    /// DescribeScalableTargets for the service's desired count: None when it has no target.
    async fn describe_scalable_targets(
        &self,
        cluster: &str,
        service: &str,
    ) -> Result<Option<ScalableTarget>, BackendError>;

    /// DescribeScalingPolicies of the service: one page of at most
    /// [`DESCRIBE_SCALING_POLICIES_MAX`] policies (`fetch_scaling` follows the tokens).
    async fn describe_scaling_policies(
        &self,
        cluster: &str,
        service: &str,
        next_token: Option<String>,
    ) -> Result<Listed<ScalingPolicy>, BackendError>;

    /// DescribeScheduledActions of the service: one page of at most
    /// [`DESCRIBE_SCHEDULED_ACTIONS_MAX`] actions (`fetch_scaling` follows the tokens).
    async fn describe_scheduled_actions(
        &self,
        cluster: &str,
        service: &str,
        next_token: Option<String>,
    ) -> Result<Listed<ScheduledAction>, BackendError>;

    /// DescribeScalingActivities of the service: the newest `max_results` (at most
    /// [`DESCRIBE_SCALING_ACTIVITIES_MAX`]), newest first, in one call.
    async fn describe_scaling_activities(
        &self,
        cluster: &str,
        service: &str,
        max_results: usize,
    ) -> Result<Vec<ScalingActivity>, BackendError>;

    /// RegisterScalableTarget on the service's existing target: a mutation, never retried.
    async fn register_scalable_target(
        &self,
        cluster: &str,
        service: &str,
        change: &TargetChange,
    ) -> Result<(), BackendError>;
}

/// AWS's answer to a DescribeScalingActivities over its limit (the SDK and the demo both
/// give it).
pub fn check_activities(max_results: usize) -> Result<(), BackendError> {
    if max_results == 0 || max_results > DESCRIBE_SCALING_ACTIVITIES_MAX {
        return Err(BackendError::new(
            super::ErrorKind::InvalidRequest,
            "DescribeScalingActivities",
            format!("MaxResults must be between 1 and {DESCRIBE_SCALING_ACTIVITIES_MAX}"),
        ));
    }
    Ok(())
}
