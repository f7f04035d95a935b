//! The demo's Elastic Load Balancing: balancers and target groups that describe the fleet,
//! target health that follows the tasks (a broken release fails its health checks), and
//! ELB's limits and errors.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::DemoBackend;
use super::catalog::{self, load_balancer_arn};
use super::fleet::{DemoFleet, Rollout, ServiceState};
use crate::backend::elb::ElbBackend;
use crate::backend::{BackendError, ErrorKind, ServiceUpdate};
use crate::domain::ecs::Task;
use crate::domain::elb::{TargetCounts, TargetGroup, TargetHealth};

pub(super) const PROD: &str = "prod-payments";

pub(super) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 6, 10, 30)
        .single()
        .unwrap_or_default()
}

pub(super) fn run(fleet: &mut DemoFleet, steps: i64) {
    for _ in 0..steps {
        let next = fleet.now + Duration::seconds(2);
        fleet.step(next);
    }
}

pub(super) fn target_group(fleet: &DemoFleet, cluster: &str, service: &str) -> String {
    fleet
        .clusters
        .iter()
        .filter(|c| c.name == cluster)
        .flat_map(|c| &c.services)
        .find(|s| s.name == service)
        .and_then(|s| s.target_group.clone())
        .expect("a load-balanced service")
}

pub(super) fn tasks_of(fleet: &DemoFleet, cluster: &str, service: &str) -> Vec<Task> {
    fleet
        .clusters
        .iter()
        .filter(|c| c.name == cluster)
        .flat_map(|c| &c.tasks)
        .filter(|t| t.service_name() == Some(service))
        .map(|t| t.task.clone())
        .collect()
}

pub(super) fn health(fleet: &DemoFleet, cluster: &str, service: &str) -> Vec<TargetHealth> {
    fleet
        .target_health(&target_group(fleet, cluster, service))
        .expect("target health")
}

pub(super) fn kind<T>(result: Result<T, BackendError>) -> Option<(ErrorKind, &'static str)> {
    result.err().map(|e| (e.kind, e.operation))
}

/// A described target group matches its service and the demo's health check.
fn check_target_group(group: &TargetGroup, service: &ServiceState, alb: &str) {
    assert_eq!(group.port, service.container_port);
    assert_eq!(group.protocol.as_deref(), Some("HTTP"));
    assert_eq!(group.target_type.as_deref(), Some("ip"));
    assert_eq!(group.load_balancer_arns, vec![alb.to_string()]);
    let segment = format!(":targetgroup/{}/", group.target_group_name);
    assert!(group.target_group_arn.contains(&segment));
    let check = &group.health_check;
    assert_eq!(check.path.as_deref(), Some("/health"));
    assert_eq!(check.port.as_deref(), Some("traffic-port"));
    assert_eq!(
        (check.interval_seconds, check.timeout_seconds),
        (Some(30), Some(5))
    );
    assert_eq!(
        (check.healthy_threshold, check.unhealthy_threshold),
        (Some(5), Some(2))
    );
    assert_eq!(check.matcher.as_deref(), Some("200-299"));
}

/// A cluster's balancer and its listeners: HTTPS forwards to every group, HTTP redirects.
async fn check_balancer(backend: &DemoBackend, cluster: &str, groups: &[String]) {
    let alb = load_balancer_arn(cluster);
    let balancers = backend
        .describe_load_balancers(std::slice::from_ref(&alb))
        .await
        .expect("balancer");
    let balancer = &balancers[0];
    assert_eq!(balancer.load_balancer_name, format!("{cluster}-alb"));
    assert_eq!(balancer.kind, "application");
    assert_eq!(balancer.scheme.as_deref(), Some("internet-facing"));
    assert_eq!(balancer.state.as_deref(), Some("active"));
    let dns = balancer.dns_name.as_deref().unwrap_or_default();
    assert!(dns.ends_with(".eu-west-1.elb.amazonaws.com"), "{dns}");
    let page = backend
        .describe_listeners(&alb, None)
        .await
        .expect("listeners");
    assert_eq!(page.next_marker, None);
    let port = |port: i32| page.listeners.iter().find(|l| l.port == Some(port));
    let https = port(443).expect("443");
    assert_eq!(https.protocol.as_deref(), Some("HTTPS"));
    assert_eq!(https.target_group_arns, groups, "forwards to every group");
    let http = port(80).expect("80");
    assert!(
        http.target_group_arns.is_empty(),
        "a redirect forwards nowhere"
    );
}

#[tokio::test]
async fn balancers_and_target_groups_describe_the_fleet() {
    let fleet = DemoFleet::generate(1, t0());
    let backend = DemoBackend::from_fleet(fleet.clone());
    for cluster in &fleet.clusters {
        let alb = load_balancer_arn(&cluster.name);
        let groups: Vec<String> = cluster
            .services
            .iter()
            .filter_map(|s| s.target_group.clone())
            .collect();
        if cluster.name == "batch-ec2" {
            assert!(groups.is_empty());
            let none = backend.describe_load_balancers(&[alb]).await;
            assert_eq!(
                kind(none),
                Some((ErrorKind::NotFound, "DescribeLoadBalancers"))
            );
            continue;
        }
        for chunk in groups.chunks(20) {
            let described = backend.describe_target_groups(chunk).await.expect("groups");
            assert_eq!(described.len(), chunk.len());
            for group in &described {
                let service = cluster
                    .services
                    .iter()
                    .find(|s| s.target_group.as_ref() == Some(&group.target_group_arn))
                    .expect("the group's service");
                check_target_group(group, service, &alb);
            }
        }
        check_balancer(&backend, &cluster.name, &groups).await;
    }
    let alb = load_balancer_arn(PROD);
    let prefix =
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/prod-payments-alb/";
    let id = alb.strip_prefix(prefix).expect("ALB ARN");
    assert!(
        id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "{alb}"
    );
    let ledger = target_group(&fleet, PROD, "ledger-sync");
    let group = fleet.target_groups(&[ledger]).expect("ledger-sync's group");
    assert_eq!(
        group[0].port,
        Some(8080),
        "ledger-sync is load-balanced now"
    );
}

#[tokio::test]
async fn elb_limits_and_unknown_arns_fail_like_elb() {
    let fleet = DemoFleet::generate(1, t0());
    let backend = DemoBackend::from_fleet(fleet.clone());
    let known = target_group(&fleet, PROD, "checkout-api");
    let unknown = catalog::target_group_arn("prod-nothing", "0123456789abcdef");
    let many = vec![known.clone(); 21];
    assert_eq!(
        kind(backend.describe_target_groups(&many).await),
        Some((ErrorKind::InvalidRequest, "DescribeTargetGroups"))
    );
    assert!(backend.describe_target_groups(&many[..20]).await.is_ok());
    let mixed = [known.clone(), unknown.clone()];
    let err = backend
        .describe_target_groups(&mixed)
        .await
        .expect_err("fails as a whole");
    assert_eq!(
        (err.kind, err.operation),
        (ErrorKind::NotFound, "DescribeTargetGroups")
    );
    assert_eq!(err.message, "One or more target groups not found");
    let err = backend
        .describe_target_health(&unknown)
        .await
        .expect_err("unknown group");
    assert_eq!(
        (err.kind, err.operation),
        (ErrorKind::NotFound, "DescribeTargetHealth")
    );
    assert!(err.message.contains(&unknown), "{}", err.message);
    assert_eq!(
        kind(backend.describe_target_health("nope").await),
        Some((ErrorKind::InvalidRequest, "DescribeTargetHealth"))
    );

    let alb = load_balancer_arn(PROD);
    let balancers = vec![alb.clone(); 21];
    assert_eq!(
        kind(backend.describe_load_balancers(&balancers).await),
        Some((ErrorKind::InvalidRequest, "DescribeLoadBalancers"))
    );
    assert_eq!(
        backend
            .describe_load_balancers(&balancers[..20])
            .await
            .map(|b| b.len())
            .ok(),
        Some(20)
    );
    let missing = load_balancer_arn("no-such-cluster");
    let err = backend
        .describe_load_balancers(&[alb.clone(), missing.clone()])
        .await
        .expect_err("fails as a whole");
    assert_eq!(
        (err.kind, err.message.as_str()),
        (ErrorKind::NotFound, "One or more load balancers not found")
    );
    assert_eq!(
        kind(backend.describe_listeners(&missing, None).await),
        Some((ErrorKind::NotFound, "DescribeListeners"))
    );
    assert_eq!(
        kind(
            backend
                .describe_listeners(&alb, Some("elsewhere".into()))
                .await
        ),
        Some((ErrorKind::InvalidRequest, "DescribeListeners"))
    );
}

#[test]
fn target_health_follows_the_tasks() {
    let mut fleet = DemoFleet::generate(2, t0());
    let service = "web-frontend";
    let targets = health(&fleet, PROD, service);
    let running: Vec<Task> = tasks_of(&fleet, PROD, service)
        .into_iter()
        .filter(|t| t.last_status == "RUNNING" && t.desired_status == "RUNNING")
        .collect();
    assert_eq!(targets.len(), running.len());
    for (target, task) in targets.iter().zip(&running) {
        assert_eq!(Some(&target.id), task.private_ip.as_ref());
        assert_eq!(target.port, Some(3000));
        assert_eq!(target.availability_zone, task.availability_zone);
        assert!(target.is_healthy(), "{target:?}");
    }
    let victim = running[0].clone();
    let victim_ip = victim.private_ip.clone().expect("an awsvpc task");
    fleet
        .stop_task(PROD, &victim.task_arn, "oncall")
        .expect("stop");
    let draining = health(&fleet, PROD, service);
    let target = draining
        .iter()
        .find(|t| t.id == victim_ip)
        .expect("still a target");
    assert_eq!(target.state, "draining");
    assert_eq!(
        target.reason.as_deref(),
        Some("Target.DeregistrationInProgress")
    );

    // The replacement is not a target while it starts, `initial` once RUNNING, then healthy.
    let before: Vec<String> = tasks_of(&fleet, PROD, service)
        .into_iter()
        .map(|t| t.task_arn)
        .collect();
    let mut states = Vec::new();
    for _ in 0..12 {
        run(&mut fleet, 1);
        let replacement = tasks_of(&fleet, PROD, service)
            .into_iter()
            .find(|t| !before.contains(&t.task_arn))
            .expect("a replacement");
        let ip = replacement.private_ip.clone().unwrap_or_default();
        let now = health(&fleet, PROD, service);
        let state = now.iter().find(|t| t.id == ip).map(|t| t.label());
        states.push((replacement.last_status.clone(), state));
    }
    let after = health(&fleet, PROD, service);
    assert!(
        after.iter().all(|t| t.id != victim_ip),
        "the stopped task is gone"
    );
    assert!(
        states.contains(&("PENDING".to_string(), None)),
        "{states:?}"
    );
    assert!(
        states.contains(&(
            "RUNNING".to_string(),
            Some("initial (Elb.RegistrationInProgress)".to_string())
        )),
        "{states:?}"
    );
    assert_eq!(
        states.last(),
        Some(&("RUNNING".to_string(), Some("healthy".to_string())))
    );
}

#[test]
fn a_broken_ledger_sync_release_fails_elb_health_checks() {
    let mut fleet = DemoFleet::generate(3, t0());
    let group = target_group(&fleet, PROD, "ledger-sync");
    let elb_reason = format!("Task failed ELB health checks in (target-group {group})");
    let seeded = tasks_of(&fleet, PROD, "ledger-sync");
    let first = seeded
        .iter()
        .find(|t| t.last_status == "STOPPED")
        .expect("the first crash");
    assert_eq!(first.stopped_reason.as_deref(), Some(elb_reason.as_str()));
    assert_eq!(
        first.stop_code.as_deref(),
        Some("ServiceSchedulerInitiated")
    );

    let mut unhealthy = None;
    for _ in 0..30 {
        run(&mut fleet, 1);
        let targets = health(&fleet, PROD, "ledger-sync");
        if let Some(bad) = targets.iter().find(|t| t.is_unhealthy()) {
            assert_eq!(bad.reason.as_deref(), Some("Target.FailedHealthChecks"));
            assert_eq!(
                bad.description.as_deref(),
                Some("Health checks failed with these codes: [503]")
            );
            let counts = TargetCounts::of(&targets);
            assert_eq!(counts.healthy, 4, "the old tasks keep serving: {targets:?}");
            unhealthy = Some(bad.id.clone());
            break;
        }
    }
    let ip = unhealthy.expect("a new task fails its health checks");
    let mut stopped = None;
    for _ in 0..4 {
        run(&mut fleet, 1);
        stopped = tasks_of(&fleet, PROD, "ledger-sync")
            .into_iter()
            .find(|t| t.private_ip.as_deref() == Some(ip.as_str()) && t.last_status == "STOPPED");
        if stopped.is_some() {
            break;
        }
    }
    let stopped = stopped.expect("stopped a few steps later");
    let reason = stopped.stopped_reason.clone().unwrap_or_default();
    assert!(reason.contains("ELB health checks"), "{reason}");
    assert_eq!(reason, elb_reason);
    assert_eq!(stopped.health_status.as_deref(), Some("UNHEALTHY"));
    assert!(stopped.containers.iter().all(|c| c.exit_code == Some(143)));

    run(&mut fleet, 80);
    let service = fleet
        .clusters
        .iter()
        .flat_map(|c| &c.services)
        .find(|s| s.target_group.as_deref() == Some(group.as_str()))
        .expect("ledger-sync");
    let said = service.events.newest_first().iter().any(|e| {
        e.message
            .contains("failed ELB health checks in (target-group")
    });
    assert!(said, "the service's events name the ELB failures");
    assert_eq!(
        service.deployments[0].rollout,
        Rollout::Failed,
        "the circuit breaker tripped"
    );
    let healthy = health(&fleet, PROD, "ledger-sync")
        .iter()
        .filter(|t| t.is_healthy())
        .count();
    assert_eq!(healthy, 4, "the previous release still serves");
}

#[test]
fn a_broken_release_without_a_load_balancer_still_exits_1() {
    let mut fleet = DemoFleet::generate(3, t0());
    let redeploy = ServiceUpdate {
        cluster: "staging".to_string(),
        service: "ledger-sync".to_string(),
        force_new_deployment: true,
        ..ServiceUpdate::default()
    };
    fleet.update_service(&redeploy).expect("redeploy");
    let service = fleet
        .clusters
        .iter_mut()
        .filter(|c| c.name == "staging")
        .flat_map(|c| c.services.iter_mut())
        .find(|s| s.name == "ledger-sync")
        .expect("staging ledger-sync");
    assert_eq!(service.target_group, None, "a worker, not load-balanced");
    service.deployments[0].broken = true;
    let mut crashed = None;
    for _ in 0..20 {
        run(&mut fleet, 1);
        crashed = tasks_of(&fleet, "staging", "ledger-sync")
            .into_iter()
            .find(|t| t.last_status == "STOPPED" && t.containers[0].exit_code == Some(1));
        if crashed.is_some() {
            break;
        }
    }
    let crashed = crashed.expect("the app exits 1");
    assert_eq!(
        crashed.stop_code.as_deref(),
        Some("EssentialContainerExited")
    );
}
