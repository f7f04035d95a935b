//! EC2 Auto Scaling, one method per AWS call: the groups behind a cluster's capacity
//! providers (their min / desired / max and where their instances are), for `:capacity`.
//! Not Application Auto Scaling (a service's scalable target), which lives on `EcsBackend`.

use async_trait::async_trait;

use super::{BackendError, ErrorKind};
use crate::domain::capacity::AutoScalingGroup;

/// AWS's maximum number of group names in one DescribeAutoScalingGroups call: 50 by default,
/// 100 when `MaxRecords` is raised to 100, which ecsdeck always does.
pub const DESCRIBE_AUTO_SCALING_GROUPS_MAX: usize = 100;

/// One page of DescribeAutoScalingGroups.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AutoScalingGroupPage {
    pub groups: Vec<AutoScalingGroup>,
    pub next_token: Option<String>,
}

/// AWS's answer to a DescribeAutoScalingGroups over the limit (the SDK and the demo both
/// give it, so a batching bug fails in tests rather than in someone's account).
pub fn check_batch(names: &[String]) -> Result<(), BackendError> {
    if names.len() > DESCRIBE_AUTO_SCALING_GROUPS_MAX {
        return Err(BackendError::new(
            ErrorKind::InvalidRequest,
            "DescribeAutoScalingGroups",
            format!("at most {DESCRIBE_AUTO_SCALING_GROUPS_MAX} group names per call"),
        ));
    }
    Ok(())
}

#[async_trait]
pub trait AutoScalingBackend: Send + Sync {
    /// DescribeAutoScalingGroups of at most [`DESCRIBE_AUTO_SCALING_GROUPS_MAX`] names, one
    /// page (`MaxRecords` 100; follow `next_token`). Groups that do not exist are left out,
    /// as AWS does.
    async fn describe_auto_scaling_groups(
        &self,
        names: &[String],
        next_token: Option<String>,
    ) -> Result<AutoScalingGroupPage, BackendError>;
}
