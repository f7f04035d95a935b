//! Elastic Load Balancing v2, one method per AWS call, with AWS's limits: the target groups
//! in front of services, their targets' health, the load balancers and their listeners.

use async_trait::async_trait;

use super::BackendError;
use crate::domain::elb::{Listener, LoadBalancer, TargetGroup, TargetHealth};

/// Target groups per DescribeTargetGroups call. AWS documents no cap on `TargetGroupArns`;
/// ecsdeck batches at DescribeLoadBalancers' documented 20 so one limit serves both.
pub const DESCRIBE_TARGET_GROUPS_MAX: usize = 20;
/// Load balancers per DescribeLoadBalancers call (AWS: "up to 20").
pub const DESCRIBE_LOAD_BALANCERS_MAX: usize = 20;

/// One page of DescribeListeners.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListenerPage {
    pub listeners: Vec<Listener>,
    pub next_marker: Option<String>,
}

#[async_trait]
pub trait ElbBackend: Send + Sync {
    /// DescribeTargetGroups for at most [`DESCRIBE_TARGET_GROUPS_MAX`] ARNs.
    async fn describe_target_groups(
        &self,
        arns: &[String],
    ) -> Result<Vec<TargetGroup>, BackendError>;

    /// DescribeLoadBalancers for at most [`DESCRIBE_LOAD_BALANCERS_MAX`] ARNs; their
    /// listeners are left empty (DescribeListeners fills them).
    async fn describe_load_balancers(
        &self,
        arns: &[String],
    ) -> Result<Vec<LoadBalancer>, BackendError>;

    /// DescribeListeners of one load balancer, one page (AWS's largest: 400).
    async fn describe_listeners(
        &self,
        load_balancer_arn: &str,
        marker: Option<String>,
    ) -> Result<ListenerPage, BackendError>;

    /// DescribeTargetHealth of every target of one target group (the API does not page).
    async fn describe_target_health(
        &self,
        target_group_arn: &str,
    ) -> Result<Vec<TargetHealth>, BackendError>;
}
