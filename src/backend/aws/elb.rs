//! The SDK's Elastic Load Balancing v2 backend, mapped to `domain::elb` here and nowhere else.

use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types as sdk;

use super::AwsBackend;
use super::errors::classify;
use crate::backend::BackendError;
use crate::backend::elb::{ElbBackend, ListenerPage};
use crate::domain::elb::{HealthCheck, Listener, LoadBalancer, TargetGroup, TargetHealth};

/// DescribeListeners' largest page.
const LISTENER_PAGE_MAX: i32 = 400;

fn owned(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_string)
}

fn target_group(t: &sdk::TargetGroup) -> TargetGroup {
    let matcher = t
        .matcher()
        .and_then(|m| owned(m.http_code()).or_else(|| owned(m.grpc_code())));
    TargetGroup {
        target_group_arn: t.target_group_arn().unwrap_or_default().to_string(),
        target_group_name: t.target_group_name().unwrap_or_default().to_string(),
        protocol: t.protocol().map(|p| p.as_str().to_string()),
        port: t.port(),
        target_type: t.target_type().map(|p| p.as_str().to_string()),
        load_balancer_arns: t.load_balancer_arns().to_vec(),
        health_check: HealthCheck {
            protocol: t.health_check_protocol().map(|p| p.as_str().to_string()),
            path: owned(t.health_check_path()),
            port: owned(t.health_check_port()),
            interval_seconds: t.health_check_interval_seconds(),
            timeout_seconds: t.health_check_timeout_seconds(),
            healthy_threshold: t.healthy_threshold_count(),
            unhealthy_threshold: t.unhealthy_threshold_count(),
            matcher,
        },
    }
}

fn load_balancer(l: &sdk::LoadBalancer) -> LoadBalancer {
    LoadBalancer {
        load_balancer_arn: l.load_balancer_arn().unwrap_or_default().to_string(),
        load_balancer_name: l.load_balancer_name().unwrap_or_default().to_string(),
        kind: l
            .r#type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        dns_name: owned(l.dns_name()),
        scheme: l.scheme().map(|s| s.as_str().to_string()),
        state: l
            .state()
            .and_then(|s| s.code())
            .map(|c| c.as_str().to_string()),
        listeners: Vec::new(),
    }
}

/// The target groups a listener's default actions forward to (a plain forward, or a
/// weighted forward to several).
fn listener(l: &sdk::Listener) -> Listener {
    let mut target_group_arns: Vec<String> = Vec::new();
    for action in l.default_actions() {
        target_group_arns.extend(owned(action.target_group_arn()));
        if let Some(forward) = action.forward_config() {
            target_group_arns.extend(
                forward
                    .target_groups()
                    .iter()
                    .filter_map(|t| owned(t.target_group_arn())),
            );
        }
    }
    target_group_arns.dedup();
    Listener {
        port: l.port(),
        protocol: l.protocol().map(|p| p.as_str().to_string()),
        target_group_arns,
    }
}

fn target_health(d: &sdk::TargetHealthDescription) -> TargetHealth {
    let target = d.target();
    let health = d.target_health();
    TargetHealth {
        id: target.and_then(|t| t.id()).unwrap_or_default().to_string(),
        port: target.and_then(|t| t.port()),
        availability_zone: target.and_then(|t| owned(t.availability_zone())),
        state: health
            .and_then(|h| h.state())
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        reason: health
            .and_then(|h| h.reason())
            .map(|r| r.as_str().to_string()),
        description: health.and_then(|h| owned(h.description())),
    }
}

#[async_trait]
impl ElbBackend for AwsBackend {
    async fn describe_target_groups(
        &self,
        arns: &[String],
    ) -> Result<Vec<TargetGroup>, BackendError> {
        let out = self
            .elb
            .describe_target_groups()
            .set_target_group_arns(Some(arns.to_vec()))
            .send()
            .await
            .map_err(|e| classify("DescribeTargetGroups", &e, self.ctx(None)))?;
        Ok(out.target_groups().iter().map(target_group).collect())
    }

    async fn describe_load_balancers(
        &self,
        arns: &[String],
    ) -> Result<Vec<LoadBalancer>, BackendError> {
        let out = self
            .elb
            .describe_load_balancers()
            .set_load_balancer_arns(Some(arns.to_vec()))
            .send()
            .await
            .map_err(|e| classify("DescribeLoadBalancers", &e, self.ctx(None)))?;
        Ok(out.load_balancers().iter().map(load_balancer).collect())
    }

    async fn describe_listeners(
        &self,
        load_balancer_arn: &str,
        marker: Option<String>,
    ) -> Result<ListenerPage, BackendError> {
        let out = self
            .elb
            .describe_listeners()
            .load_balancer_arn(load_balancer_arn)
            .page_size(LISTENER_PAGE_MAX)
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| classify("DescribeListeners", &e, self.ctx(None)))?;
        Ok(ListenerPage {
            listeners: out.listeners().iter().map(listener).collect(),
            next_marker: owned(out.next_marker()),
        })
    }

    async fn describe_target_health(
        &self,
        target_group_arn: &str,
    ) -> Result<Vec<TargetHealth>, BackendError> {
        let out = self
            .elb
            .describe_target_health()
            .target_group_arn(target_group_arn)
            .send()
            .await
            .map_err(|e| classify("DescribeTargetHealth", &e, self.ctx(None)))?;
        Ok(out
            .target_health_descriptions()
            .iter()
            .map(target_health)
            .collect())
    }
}
