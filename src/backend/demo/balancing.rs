//! The demo fleet's Elastic Load Balancing: target groups in front of the web-facing
//! services, one application load balancer per cluster, and target health that follows the
//! tasks (new tasks `initial`, draining ones `draining`, failing ones `unhealthy`).
//!
//! Like ELB, a describe naming any unknown ARN fails as a whole (NotFound), unlike ECS's
//! describes, which list the unknown ones as failures.

use async_trait::async_trait;

use super::fleet::{ClusterState, DemoFleet, ServiceState};
use super::tasks::SimTask;
use super::{DemoBackend, catalog, check_batch, invalid};
use crate::backend::elb::{
    DESCRIBE_LOAD_BALANCERS_MAX, DESCRIBE_TARGET_GROUPS_MAX, ElbBackend, ListenerPage,
};
use crate::backend::{BackendError, ErrorKind};
use crate::domain::elb::{
    HealthCheck, Listener, LoadBalancer, TargetGroup, TargetHealth, load_balancer_dimension,
    target_group_dimension, target_group_name,
};

const TARGET_GROUPS_NOT_FOUND: &str = "One or more target groups not found";
const LOAD_BALANCERS_NOT_FOUND: &str = "One or more load balancers not found";

fn not_found(operation: &'static str, message: impl Into<String>) -> BackendError {
    BackendError::new(ErrorKind::NotFound, operation, message)
}

/// ELB's ValidationError for an ARN that is not one of a target group at all.
fn check_target_group_arn(operation: &'static str, arn: &str) -> Result<(), BackendError> {
    match target_group_dimension(arn) {
        Some(_) if arn.starts_with("arn:") => Ok(()),
        _ => Err(invalid(
            operation,
            format!("'{arn}' is not a valid target group ARN"),
        )),
    }
}

fn check_load_balancer_arn(operation: &'static str, arn: &str) -> Result<(), BackendError> {
    match load_balancer_dimension(arn) {
        Some(_) if arn.starts_with("arn:") => Ok(()),
        _ => Err(invalid(
            operation,
            format!("'{arn}' is not a valid load balancer ARN"),
        )),
    }
}

/// Whether a cluster has a load balancer: only clusters with load-balanced services do.
pub(super) fn is_balanced(cluster: &ClusterState) -> bool {
    cluster.services.iter().any(|s| s.target_group.is_some())
}

impl DemoFleet {
    /// The cluster and service behind a target group.
    pub(super) fn target_group_owner(&self, arn: &str) -> Option<(&ClusterState, &ServiceState)> {
        self.clusters.iter().find_map(|cluster| {
            let service = cluster
                .services
                .iter()
                .find(|s| s.target_group.as_deref() == Some(arn));
            service.map(|s| (cluster, s))
        })
    }

    /// The cluster a load balancer is in front of.
    pub(super) fn load_balancer_owner(&self, arn: &str) -> Option<&ClusterState> {
        self.clusters
            .iter()
            .filter(|c| is_balanced(c))
            .find(|c| catalog::load_balancer_arn(&c.name) == arn)
    }

    pub(super) fn target_groups(&self, arns: &[String]) -> Result<Vec<TargetGroup>, BackendError> {
        const OP: &str = "DescribeTargetGroups";
        check_batch(
            OP,
            "TargetGroupArns",
            arns.len(),
            DESCRIBE_TARGET_GROUPS_MAX,
        )?;
        arns.iter()
            .map(|arn| {
                check_target_group_arn(OP, arn)?;
                self.target_group_owner(arn)
                    .map(|(cluster, service)| target_group(cluster, service, arn))
                    .ok_or_else(|| not_found(OP, TARGET_GROUPS_NOT_FOUND))
            })
            .collect()
    }

    pub(super) fn load_balancers(
        &self,
        arns: &[String],
    ) -> Result<Vec<LoadBalancer>, BackendError> {
        const OP: &str = "DescribeLoadBalancers";
        check_batch(
            OP,
            "LoadBalancerArns",
            arns.len(),
            DESCRIBE_LOAD_BALANCERS_MAX,
        )?;
        arns.iter()
            .map(|arn| {
                check_load_balancer_arn(OP, arn)?;
                self.load_balancer_owner(arn)
                    .map(load_balancer)
                    .ok_or_else(|| not_found(OP, LOAD_BALANCERS_NOT_FOUND))
            })
            .collect()
    }

    /// Every demo balancer has two listeners, far below the page size of 400: one page.
    pub(super) fn listeners(
        &self,
        load_balancer_arn: &str,
        marker: Option<String>,
    ) -> Result<ListenerPage, BackendError> {
        const OP: &str = "DescribeListeners";
        check_load_balancer_arn(OP, load_balancer_arn)?;
        if marker.as_deref().is_some_and(|m| !m.is_empty()) {
            // The demo never hands out a marker, so any marker is one ELB would not know.
            return Err(invalid(OP, "The specified marker is not valid"));
        }
        let cluster = self
            .load_balancer_owner(load_balancer_arn)
            .ok_or_else(|| not_found(OP, LOAD_BALANCERS_NOT_FOUND))?;
        Ok(ListenerPage {
            listeners: listeners(cluster),
            next_marker: None,
        })
    }

    pub(super) fn target_health(
        &self,
        target_group_arn: &str,
    ) -> Result<Vec<TargetHealth>, BackendError> {
        const OP: &str = "DescribeTargetHealth";
        check_target_group_arn(OP, target_group_arn)?;
        let (cluster, service) = self.target_group_owner(target_group_arn).ok_or_else(|| {
            not_found(OP, format!("Target groups '{target_group_arn}' not found"))
        })?;
        Ok(targets(cluster, service))
    }
}

/// A target group as the demo's services are registered: IP targets (awsvpc), HTTP on the
/// app container's port, and the health check most ECS web services use.
fn target_group(cluster: &ClusterState, service: &ServiceState, arn: &str) -> TargetGroup {
    TargetGroup {
        target_group_arn: arn.to_string(),
        target_group_name: target_group_name(arn).to_string(),
        protocol: Some("HTTP".to_string()),
        port: service.container_port,
        target_type: Some("ip".to_string()),
        load_balancer_arns: vec![catalog::load_balancer_arn(&cluster.name)],
        health_check: HealthCheck {
            protocol: Some("HTTP".to_string()),
            path: Some("/health".to_string()),
            port: Some("traffic-port".to_string()),
            interval_seconds: Some(30),
            timeout_seconds: Some(5),
            healthy_threshold: Some(5),
            unhealthy_threshold: Some(2),
            matcher: Some("200-299".to_string()),
        },
    }
}

/// The cluster's application load balancer; DescribeLoadBalancers leaves listeners out.
fn load_balancer(cluster: &ClusterState) -> LoadBalancer {
    LoadBalancer {
        load_balancer_arn: catalog::load_balancer_arn(&cluster.name),
        load_balancer_name: format!("{}-alb", cluster.name),
        kind: "application".to_string(),
        dns_name: Some(catalog::load_balancer_dns_name(&cluster.name)),
        scheme: Some("internet-facing".to_string()),
        state: Some("active".to_string()),
        listeners: Vec::new(),
    }
}

/// HTTPS 443 forwards to every target group of the cluster (the host and path rules that
/// split traffic between them are not modelled); HTTP 80 only redirects to HTTPS.
fn listeners(cluster: &ClusterState) -> Vec<Listener> {
    let groups = cluster
        .services
        .iter()
        .filter_map(|s| s.target_group.clone())
        .collect();
    vec![
        Listener {
            port: Some(443),
            protocol: Some("HTTPS".to_string()),
            target_group_arns: groups,
        },
        Listener {
            port: Some(80),
            protocol: Some("HTTP".to_string()),
            target_group_arns: Vec::new(),
        },
    ]
}

/// The targets of a service's target group: its tasks that ECS has registered, in the
/// state their lifecycle implies.
pub(super) fn targets(cluster: &ClusterState, service: &ServiceState) -> Vec<TargetHealth> {
    cluster
        .tasks
        .iter()
        .filter(|t| t.service_name() == Some(service.name.as_str()))
        .filter_map(|sim| {
            let (state, reason, description) = target_state(sim)?;
            Some(TargetHealth {
                id: sim.task.private_ip.clone()?,
                port: service.container_port,
                availability_zone: sim.task.availability_zone.clone(),
                state: state.to_string(),
                reason: reason.map(str::to_string),
                description: description.map(str::to_string),
            })
        })
        .collect()
}

type TargetState = (&'static str, Option<&'static str>, Option<&'static str>);

/// A task's target state, reason and description, or `None` when it is not registered:
/// ECS registers a task once it is RUNNING and deregisters it when asked to stop (the
/// target drains until the task is STOPPED, then disappears).
fn target_state(sim: &SimTask) -> Option<TargetState> {
    let task = &sim.task;
    if sim.is_stopping() {
        // A task stopped before it ever ran was never registered.
        task.started_at?;
        return Some((
            "draining",
            Some("Target.DeregistrationInProgress"),
            Some("Target deregistration is in progress"),
        ));
    }
    if !sim.is_running() {
        return None;
    }
    Some(match task.health_status.as_deref() {
        Some("HEALTHY") => ("healthy", None, None),
        Some("UNHEALTHY") => (
            "unhealthy",
            Some("Target.FailedHealthChecks"),
            Some("Health checks failed with these codes: [503]"),
        ),
        _ => (
            "initial",
            Some("Elb.RegistrationInProgress"),
            Some("Target registration is in progress"),
        ),
    })
}

#[async_trait]
impl ElbBackend for DemoBackend {
    async fn describe_target_groups(
        &self,
        arns: &[String],
    ) -> Result<Vec<TargetGroup>, BackendError> {
        self.fleet().fleet.target_groups(arns)
    }

    async fn describe_load_balancers(
        &self,
        arns: &[String],
    ) -> Result<Vec<LoadBalancer>, BackendError> {
        self.fleet().fleet.load_balancers(arns)
    }

    async fn describe_listeners(
        &self,
        load_balancer_arn: &str,
        marker: Option<String>,
    ) -> Result<ListenerPage, BackendError> {
        self.fleet().fleet.listeners(load_balancer_arn, marker)
    }

    async fn describe_target_health(
        &self,
        target_group_arn: &str,
    ) -> Result<Vec<TargetHealth>, BackendError> {
        self.fleet().fleet.target_health(target_group_arn)
    }
}
