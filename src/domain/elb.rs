//! Elastic Load Balancing: the target groups in front of services, their targets' health,
//! the load balancers and listeners, and how a task is found among the targets.
//!
//! "Are requests reaching healthy tasks?" is answered from these: a service's
//! `loadBalancers` name its target groups, DescribeTargetHealth says which targets are
//! healthy, and a task is one of those targets by its IP (awsvpc) or by its host's instance
//! id and host port (bridge and host networking).

use serde::Serialize;

use super::ecs::Task;

/// One entry of a service's `loadBalancers`: which container port a target group sends to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLoadBalancer {
    pub target_group_arn: Option<String>,
    /// Only for Classic Load Balancers, which have no target groups.
    pub load_balancer_name: Option<String>,
    pub container_name: Option<String>,
    pub container_port: Option<i32>,
}

/// A target group as DescribeTargetGroups returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TargetGroup {
    pub target_group_arn: String,
    pub target_group_name: String,
    pub protocol: Option<String>,
    pub port: Option<i32>,
    /// `ip`, `instance`, `lambda` or `alb`.
    pub target_type: Option<String>,
    pub load_balancer_arns: Vec<String>,
    pub health_check: HealthCheck,
}

/// How the load balancer decides a target is healthy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    pub protocol: Option<String>,
    pub path: Option<String>,
    /// A port number or `traffic-port`.
    pub port: Option<String>,
    pub interval_seconds: Option<i32>,
    pub timeout_seconds: Option<i32>,
    pub healthy_threshold: Option<i32>,
    pub unhealthy_threshold: Option<i32>,
    /// HTTP codes (`200-299`) or gRPC codes that count as healthy.
    pub matcher: Option<String>,
}

/// A load balancer with its listeners (DescribeLoadBalancers + DescribeListeners).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancer {
    pub load_balancer_arn: String,
    pub load_balancer_name: String,
    /// `application`, `network` or `gateway`.
    pub kind: String,
    pub dns_name: Option<String>,
    pub scheme: Option<String>,
    /// `active`, `provisioning`, `active_impaired`, `failed`.
    pub state: Option<String>,
    pub listeners: Vec<Listener>,
}

/// A listener of a load balancer: the port clients connect to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Listener {
    pub port: Option<i32>,
    pub protocol: Option<String>,
    /// The target groups its default actions forward to.
    pub target_group_arns: Vec<String>,
}

/// One target of a target group and its health (DescribeTargetHealth).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TargetHealth {
    /// An IP address (ip targets) or an EC2 instance id (instance targets).
    pub id: String,
    pub port: Option<i32>,
    pub availability_zone: Option<String>,
    /// `initial`, `healthy`, `unhealthy`, `unhealthy.draining`, `unused`, `draining`,
    /// `unavailable`.
    pub state: String,
    /// `Target.FailedHealthChecks`, `Target.Timeout`, `Target.ResponseCodeMismatch`, ...
    pub reason: Option<String>,
    pub description: Option<String>,
}

impl TargetHealth {
    pub fn is_healthy(&self) -> bool {
        self.state == "healthy"
    }

    pub fn is_unhealthy(&self) -> bool {
        self.state.starts_with("unhealthy")
    }

    /// `unhealthy (Target.Timeout)`: the state, and the reason when there is one.
    pub fn label(&self) -> String {
        match &self.reason {
            Some(reason) if !self.is_healthy() => format!("{} ({reason})", self.state),
            _ => self.state.clone(),
        }
    }
}

/// Targets of one or more target groups counted by state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetCounts {
    pub registered: usize,
    pub healthy: usize,
    pub unhealthy: usize,
    pub initial: usize,
    pub draining: usize,
    pub other: usize,
    /// The most common reason among the unhealthy targets.
    pub unhealthy_reason: Option<String>,
}

impl TargetCounts {
    pub fn of<'a>(targets: impl IntoIterator<Item = &'a TargetHealth>) -> TargetCounts {
        let mut counts = TargetCounts::default();
        let mut reasons: Vec<(&str, usize)> = Vec::new();
        for t in targets {
            // `unused` targets are not in service (deregistered, or in no enabled zone):
            // they are listed but do not count as registered capacity.
            if t.state == "unused" {
                counts.other += 1;
                continue;
            }
            counts.registered += 1;
            match t.state.as_str() {
                "healthy" => counts.healthy += 1,
                "initial" => counts.initial += 1,
                "draining" => counts.draining += 1,
                s if s.starts_with("unhealthy") => {
                    counts.unhealthy += 1;
                    let reason = t.reason.as_deref().unwrap_or("no reason given");
                    match reasons.iter_mut().find(|(r, _)| *r == reason) {
                        Some((_, n)) => *n += 1,
                        None => reasons.push((reason, 1)),
                    }
                }
                _ => counts.other += 1,
            }
        }
        counts.unhealthy_reason = reasons
            .iter()
            .max_by_key(|(_, n)| *n)
            .map(|(r, _)| r.to_string());
        counts
    }

    pub fn add(&mut self, other: &TargetCounts) {
        self.registered += other.registered;
        self.healthy += other.healthy;
        self.unhealthy += other.unhealthy;
        self.initial += other.initial;
        self.draining += other.draining;
        self.other += other.other;
        if self.unhealthy_reason.is_none() {
            self.unhealthy_reason.clone_from(&other.unhealthy_reason);
        }
    }
}

/// Where a task is reached in a target group: the target id and port to look for.
///
/// awsvpc tasks are registered by their ENI's IP and the container port; bridge and host
/// tasks by their container instance's EC2 instance id and the host port bound to the
/// container port. `instance_id` is that EC2 instance id, when known.
pub fn task_target(
    task: &Task,
    binding: &ServiceLoadBalancer,
    instance_id: Option<&str>,
) -> Option<(String, Option<i32>)> {
    if let Some(ip) = &task.private_ip {
        return Some((ip.clone(), binding.container_port));
    }
    let instance = instance_id?;
    let host_port = task
        .containers
        .iter()
        .filter(|c| binding.container_name.as_ref().is_none_or(|n| *n == c.name))
        .flat_map(|c| &c.network_bindings)
        .find(|b| b.container_port == binding.container_port)
        .and_then(|b| b.host_port);
    Some((instance.to_string(), host_port))
}

/// The target among `targets` that is this task, if it is registered.
pub fn find_target<'a>(
    targets: &'a [TargetHealth],
    wanted: &(String, Option<i32>),
) -> Option<&'a TargetHealth> {
    targets
        .iter()
        .find(|t| t.id == wanted.0 && (wanted.1.is_none() || t.port == wanted.1))
}

/// The CloudWatch dimension value of a target group: `targetgroup/NAME/ID`.
pub fn target_group_dimension(arn: &str) -> Option<&str> {
    arn.find("targetgroup/").map(|i| &arn[i..])
}

/// The CloudWatch dimension value of a load balancer: `app/NAME/ID` or `net/NAME/ID`.
pub fn load_balancer_dimension(arn: &str) -> Option<&str> {
    arn.find(":loadbalancer/")
        .map(|i| &arn[i + ":loadbalancer/".len()..])
}

/// The target group's name, from its ARN (`targetgroup/NAME/ID`).
pub fn target_group_name(arn: &str) -> &str {
    target_group_dimension(arn)
        .and_then(|d| d.split('/').nth(1))
        .unwrap_or(arn)
}

/// Application or network load balancer: which CloudWatch namespace and metrics apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BalancerKind {
    Application,
    Network,
}

impl BalancerKind {
    /// From DescribeLoadBalancers' `Type`. Not from the ARN's `app/` or `net/`: AWS's ARNs
    /// say it, but emulators do not always (moto writes `app/` for every kind).
    pub fn of(balancer: &LoadBalancer) -> Option<BalancerKind> {
        match balancer.kind.as_str() {
            "application" => Some(BalancerKind::Application),
            "network" => Some(BalancerKind::Network),
            _ => None,
        }
    }

    /// The CloudWatch namespace of its metrics.
    pub fn namespace(self) -> &'static str {
        match self {
            BalancerKind::Application => "AWS/ApplicationELB",
            BalancerKind::Network => "AWS/NetworkELB",
        }
    }
}

/// Whether a stopped task's reason says the load balancer's health checks failed it
/// ("Task failed ELB health checks in (target-group arn:...)").
pub fn stopped_by_elb(reason: &str) -> bool {
    reason.contains("ELB health checks")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ecs::{Container, PortBinding};

    const TG: &str =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg/73e2d6bc24d8a067";
    const ALB: &str =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
    const NLB: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge/0123456789abcdef";

    fn target(id: &str, state: &str, reason: Option<&str>) -> TargetHealth {
        TargetHealth {
            id: id.into(),
            port: Some(8080),
            state: state.into(),
            reason: reason.map(str::to_string),
            ..TargetHealth::default()
        }
    }

    #[test]
    fn dimensions_come_from_the_arns() {
        assert_eq!(
            target_group_dimension(TG),
            Some("targetgroup/api-tg/73e2d6bc24d8a067")
        );
        assert_eq!(target_group_name(TG), "api-tg");
        assert_eq!(
            load_balancer_dimension(ALB),
            Some("app/web/50dc6c495c0c9188")
        );
        assert_eq!(
            load_balancer_dimension(NLB),
            Some("net/edge/0123456789abcdef")
        );
        let kind = |k: &str| {
            BalancerKind::of(&LoadBalancer {
                kind: k.into(),
                ..LoadBalancer::default()
            })
        };
        assert_eq!(kind("application"), Some(BalancerKind::Application));
        assert_eq!(kind("network"), Some(BalancerKind::Network));
        assert_eq!(kind("gateway"), None);
    }

    #[test]
    fn counts_leave_unused_targets_out_of_the_registered_ones() {
        let targets = [
            target("10.0.0.1", "healthy", None),
            target("10.0.0.2", "unhealthy", Some("Target.FailedHealthChecks")),
            target("10.0.0.3", "unhealthy", Some("Target.FailedHealthChecks")),
            target("10.0.0.4", "unhealthy", Some("Target.Timeout")),
            target("10.0.0.5", "initial", Some("Elb.RegistrationInProgress")),
            target("10.0.0.6", "unused", Some("Target.NotRegistered")),
            target("10.0.0.7", "draining", None),
        ];
        let counts = TargetCounts::of(&targets);
        assert_eq!(counts.registered, 6);
        assert_eq!(counts.healthy, 1);
        assert_eq!(counts.unhealthy, 3);
        assert_eq!(counts.initial, 1);
        assert_eq!(counts.draining, 1);
        assert_eq!(
            counts.unhealthy_reason.as_deref(),
            Some("Target.FailedHealthChecks")
        );
        assert_eq!(
            targets[3].label(),
            "unhealthy (Target.Timeout)",
            "the reason goes with the state"
        );
        assert_eq!(targets[0].label(), "healthy");
    }

    #[test]
    fn an_awsvpc_task_is_its_ip_and_container_port() {
        let task = Task {
            private_ip: Some("10.0.1.5".into()),
            ..Task::default()
        };
        let binding = ServiceLoadBalancer {
            container_name: Some("web".into()),
            container_port: Some(8080),
            ..ServiceLoadBalancer::default()
        };
        let wanted = task_target(&task, &binding, None);
        assert_eq!(wanted, Some(("10.0.1.5".to_string(), Some(8080))));
        let targets = [
            target("10.0.1.4", "healthy", None),
            target("10.0.1.5", "draining", None),
        ];
        let found = wanted.as_ref().and_then(|w| find_target(&targets, w));
        assert_eq!(found.map(|t| t.state.as_str()), Some("draining"));
    }

    #[test]
    fn a_bridge_task_is_its_instance_and_host_port() {
        let task = Task {
            containers: vec![Container {
                name: "web".into(),
                network_bindings: vec![PortBinding {
                    container_port: Some(8080),
                    host_port: Some(32768),
                    protocol: Some("tcp".into()),
                }],
                ..Container::default()
            }],
            ..Task::default()
        };
        let binding = ServiceLoadBalancer {
            container_name: Some("web".into()),
            container_port: Some(8080),
            ..ServiceLoadBalancer::default()
        };
        assert_eq!(
            task_target(&task, &binding, None),
            None,
            "no instance id yet"
        );
        assert_eq!(
            task_target(&task, &binding, Some("i-0abc")),
            Some(("i-0abc".to_string(), Some(32768)))
        );
    }

    #[test]
    fn elb_stops_are_recognised() {
        assert!(stopped_by_elb(
            "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:...)"
        ));
        assert!(!stopped_by_elb("Essential container in task exited"));
    }
}
