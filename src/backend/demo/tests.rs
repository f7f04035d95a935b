//! Tests of the demo fleet: determinism, size and variety, AWS limits, and that it moves.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::simulation::MAX_STOPPED_PER_SERVICE;
use super::{DemoBackend, DemoFleet};
use crate::backend::fetch;
use crate::backend::{DesiredStatus, EcsBackend, ErrorKind, TaskFilter};
use crate::domain::ecs::Service;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 3, 0, 0)
        .single()
        .expect("valid date")
}

/// Steps `fleet` `n` times, 2 s apart, starting after `start`.
fn run(fleet: &mut DemoFleet, start: DateTime<Utc>, n: i64) -> DateTime<Utc> {
    let mut now = start;
    for _ in 0..n {
        now += Duration::seconds(2);
        fleet.step(now);
    }
    now
}

fn running_filter() -> TaskFilter {
    TaskFilter {
        service: None,
        desired_status: DesiredStatus::Running,
        container_instance: None,
    }
}

fn stopped_filter() -> TaskFilter {
    TaskFilter {
        service: None,
        desired_status: DesiredStatus::Stopped,
        container_instance: None,
    }
}

async fn all_services(backend: &DemoBackend) -> Vec<Service> {
    let mut all = Vec::new();
    for cluster in fetch::clusters(backend).await.expect("clusters") {
        all.extend(
            fetch::services(backend, &cluster.cluster_name)
                .await
                .expect("services"),
        );
    }
    all
}

fn find<'a>(services: &'a [Service], cluster: &str, name: &str) -> &'a Service {
    services
        .iter()
        .find(|s| s.service_name == name && s.cluster_arn.ends_with(&format!("/{cluster}")))
        .expect("service present")
}

#[test]
fn same_seed_and_steps_give_the_same_fleet_and_other_seeds_differ() {
    let mut a = DemoFleet::generate(7, t0());
    let mut b = DemoFleet::generate(7, t0());
    assert_eq!(a, b);
    run(&mut a, t0(), 120);
    run(&mut b, t0(), 120);
    assert_eq!(a, b);
    assert_ne!(DemoFleet::generate(7, t0()), DemoFleet::generate(8, t0()));
}

#[tokio::test]
async fn fleet_is_big_and_shows_every_state() {
    let backend = DemoBackend::from_fleet(DemoFleet::generate(1, t0()));
    let clusters = fetch::clusters(&backend).await.expect("clusters");
    assert!(clusters.len() >= 3);
    let services = all_services(&backend).await;
    assert!(services.len() >= 40, "{} services", services.len());
    let running: i32 = clusters.iter().map(|c| c.running_tasks_count).sum();
    assert!(running >= 150, "{running} running tasks");

    let under = services
        .iter()
        .filter(|s| s.running_count < s.desired_count)
        .count();
    assert!(under >= 2, "{under} under-replicated services");
    let rollout = find(&services, "prod-payments", "checkout-api");
    assert_eq!(rollout.deployments.len(), 2);
    let primary = rollout.primary_deployment().expect("primary");
    assert_eq!(primary.rollout_state.as_deref(), Some("IN_PROGRESS"));
    assert!(
        primary
            .task_definition
            .ends_with("task-definition/checkout-api:43")
    );
    let failing = find(&services, "prod-payments", "ledger-sync");
    let primary = failing.primary_deployment().expect("primary");
    assert!(primary.failed_tasks >= 1);

    let batch = clusters
        .iter()
        .find(|c| c.cluster_name == "batch-ec2")
        .expect("batch cluster");
    assert!(batch.registered_container_instances_count >= 6);
    let prod = clusters
        .iter()
        .find(|c| c.cluster_name == "prod-payments")
        .expect("prod cluster");
    assert_eq!(prod.container_insights.as_deref(), Some("enabled"));
    assert_eq!(prod.capacity_providers, vec!["FARGATE", "FARGATE_SPOT"]);
}

#[tokio::test]
async fn cluster_counters_agree_with_the_tasks() {
    let mut fleet = DemoFleet::generate(3, t0());
    run(&mut fleet, t0(), 40);
    let backend = DemoBackend::from_fleet(fleet);
    for cluster in fetch::clusters(&backend).await.expect("clusters") {
        let tasks = fetch::tasks(&backend, &cluster.cluster_name, &running_filter())
            .await
            .expect("tasks");
        let running = tasks.iter().filter(|t| t.last_status == "RUNNING").count();
        assert_eq!(cluster.running_tasks_count as usize, running);
        assert_eq!(
            cluster.pending_tasks_count as usize,
            tasks.len() - running,
            "{}",
            cluster.cluster_name
        );
        let services = fetch::services(&backend, &cluster.cluster_name)
            .await
            .expect("services");
        assert_eq!(cluster.active_services_count as usize, services.len());
        let by_services: i32 = services.iter().map(|s| s.running_count).sum();
        assert_eq!(by_services, cluster.running_tasks_count);
    }
}

#[tokio::test]
async fn tasks_look_like_ecs_tasks() {
    let backend = DemoBackend::from_fleet(DemoFleet::generate(5, t0()));
    let tasks = fetch::tasks(&backend, "prod-payments", &running_filter())
        .await
        .expect("tasks");
    for task in &tasks {
        let id = task.short_id();
        assert_eq!(id.len(), 32);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(
            task.task_arn
                .starts_with("arn:aws:ecs:eu-west-1:123456789012:task/prod-payments/")
        );
        assert!(
            task.group
                .as_deref()
                .is_some_and(|g| g.starts_with("service:"))
        );
        assert!(
            task.started_by
                .as_deref()
                .is_some_and(|s| s.starts_with("ecs-svc/"))
        );
        assert!(
            task.private_ip
                .as_deref()
                .is_some_and(|ip| ip.starts_with("10."))
        );
        assert!((1..=3).contains(&task.containers.len()));
    }
    let batch = fetch::tasks(&backend, "batch-ec2", &running_filter())
        .await
        .expect("tasks");
    let bound = batch
        .iter()
        .filter(|t| t.last_status == "RUNNING")
        .all(|t| !t.containers[0].network_bindings.is_empty());
    assert!(bound, "EC2 bridge tasks bind host ports");
    assert!(
        batch
            .iter()
            .all(|t| t.launch_type.as_deref() == Some("EC2"))
    );
}

#[tokio::test]
async fn every_task_and_deployment_has_a_task_definition() {
    let mut fleet = DemoFleet::generate(11, t0());
    run(&mut fleet, t0(), 60);
    let backend = DemoBackend::from_fleet(fleet);
    let mut drivers = std::collections::BTreeSet::new();
    for cluster in fetch::clusters(&backend).await.expect("clusters") {
        let name = cluster.cluster_name.as_str();
        for filter in [running_filter(), stopped_filter()] {
            for task in fetch::tasks(&backend, name, &filter).await.expect("tasks") {
                let td = backend
                    .describe_task_definition(&task.task_definition_arn)
                    .await
                    .expect("task definition");
                for c in &td.container_definitions {
                    if let Some(log) = &c.log_configuration {
                        drivers.insert(log.log_driver.clone());
                    }
                }
            }
        }
        for service in fetch::services(&backend, name).await.expect("services") {
            for d in &service.deployments {
                let short = crate::domain::ecs::task_definition_short(&d.task_definition);
                let td = backend
                    .describe_task_definition(short)
                    .await
                    .expect("by family:revision");
                assert_eq!(td.task_definition_arn, d.task_definition);
            }
        }
    }
    let expected = ["awsfirelens", "awslogs", "splunk"];
    assert!(expected.iter().all(|d| drivers.contains(*d)), "{drivers:?}");
    let err = backend
        .describe_task_definition("arn:aws:ecs:eu-west-1:123456789012:task-definition/nope:1")
        .await
        .expect_err("unknown revision");
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
    assert_eq!(err.message, "Unable to describe task definition.");
    let latest = backend
        .describe_task_definition("checkout-api")
        .await
        .expect("family alone");
    assert_eq!(latest.revision, 43);
    let td = backend
        .describe_task_definition("checkout-api:42")
        .await
        .expect("old revision");
    let app = td.container("checkout-api").expect("app container");
    assert!(
        app.image
            .starts_with("123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout-api:")
    );
    assert_eq!(
        app.log_configuration
            .as_ref()
            .map(|l| l.options["awslogs-group"].as_str()),
        Some("/ecs/checkout-api")
    );
    assert!(!app.secrets.is_empty() && !app.environment.is_empty());
}

#[tokio::test]
async fn describe_limits_match_aws() {
    let mut fleet = DemoFleet::generate(2, t0());
    fleet.add_cluster_with_services("perf", 20, t0());
    let backend = DemoBackend::from_fleet(fleet);
    let names: Vec<String> = (1..=11).map(|i| format!("svc-{i:04}")).collect();
    let err = backend
        .describe_services("perf", &names)
        .await
        .expect_err("11 services");
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
    assert!(err.message.contains("at most 10"), "{}", err.message);
    let ten = backend
        .describe_services("perf", &names[..10])
        .await
        .expect("10 services");
    assert_eq!(ten.len(), 10);

    let many: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    let err = backend
        .describe_tasks("perf", &many)
        .await
        .expect_err("101 tasks");
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
    let err = backend
        .describe_clusters(&many)
        .await
        .expect_err("101 clusters");
    assert_eq!(err.kind, ErrorKind::InvalidRequest);

    let err = backend
        .list_services("nope", None)
        .await
        .expect_err("unknown cluster");
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert_eq!(err.message, "Cluster not found: nope");
    let err = backend
        .list_tasks("nope", &running_filter(), None)
        .await
        .expect_err("unknown cluster");
    assert_eq!(err.kind, ErrorKind::NotFound);

    let wanted = vec!["staging".to_string(), "ghost".to_string()];
    let found = backend.describe_clusters(&wanted).await.expect("describe");
    assert_eq!(found.len(), 1, "unknown clusters are omitted");
    let err = backend
        .list_clusters(Some("banana".to_string()))
        .await
        .expect_err("bad token");
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
}

#[tokio::test]
async fn lists_page_at_100_and_fetch_gets_everything() {
    let mut fleet = DemoFleet::generate(2, t0());
    fleet.add_cluster_with_services("big", 1000, t0());
    fleet.add_cluster_with_services("mid", 250, t0());
    let backend = DemoBackend::from_fleet(fleet);

    let mut pages = 0;
    let mut token = None;
    let mut seen = 0;
    loop {
        let page = backend.list_services("big", token).await.expect("page");
        assert!(page.arns.len() <= 100);
        seen += page.arns.len();
        pages += 1;
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!((pages, seen), (10, 1000));

    let first = backend
        .list_tasks("mid", &running_filter(), None)
        .await
        .expect("page 1");
    let second = backend
        .list_tasks("mid", &running_filter(), first.next_token.clone())
        .await
        .expect("page 2");
    let third = backend
        .list_tasks("mid", &running_filter(), second.next_token.clone())
        .await
        .expect("page 3");
    assert_eq!(
        (first.arns.len(), second.arns.len(), third.arns.len()),
        (100, 100, 50)
    );
    assert_eq!(third.next_token, None);

    let services = fetch::services(&backend, "big")
        .await
        .expect("all services");
    assert_eq!(services.len(), 1000);
    let tasks = fetch::tasks(&backend, "big", &running_filter())
        .await
        .expect("all tasks");
    assert_eq!(tasks.len(), 1000);
    let filter = TaskFilter {
        service: Some("svc-0042".to_string()),
        desired_status: DesiredStatus::Running,
        container_instance: None,
    };
    let one = backend
        .list_tasks("big", &filter, None)
        .await
        .expect("page");
    assert_eq!(one.arns.len(), 1);
    let clusters = fetch::clusters(&backend).await.expect("clusters");
    assert_eq!(clusters.len(), 5);
}

#[tokio::test]
async fn the_fleet_moves_and_rollouts_finish() {
    let mut fleet = DemoFleet::generate(4, t0());
    let before = DemoBackend::from_fleet(fleet.clone());
    let old_running = fetch::tasks(&before, "prod-payments", &running_filter())
        .await
        .expect("tasks");
    // The healthy rollout needs ~25 ticks, the broken one trips the breaker in ~25.
    run(&mut fleet, t0(), 100);
    let after = DemoBackend::from_fleet(fleet);
    let new_running = fetch::tasks(&after, "prod-payments", &running_filter())
        .await
        .expect("tasks");
    let is_old = |arn: &str| old_running.iter().any(|t| t.task_arn == arn);
    assert!(
        new_running.iter().any(|t| !is_old(&t.task_arn)),
        "new tasks"
    );
    let stopped = fetch::tasks(&after, "prod-payments", &stopped_filter())
        .await
        .expect("stopped");
    assert!(
        stopped.iter().any(|t| is_old(&t.task_arn)),
        "old tasks stopped"
    );
    assert!(
        stopped
            .iter()
            .all(|t| t.stopped_at.is_some() && t.stop_code.is_some())
    );
    let oom = stopped.iter().any(|t| {
        t.containers[0].exit_code == Some(137)
            && t.containers[0].reason.as_deref()
                == Some("OutOfMemoryError: Container killed due to memory usage")
    });
    assert!(oom, "the crash loop shows OOM kills");

    let services = all_services(&after).await;
    let done = find(&services, "prod-payments", "checkout-api");
    assert_eq!(done.deployments.len(), 1);
    let primary = done.primary_deployment().expect("primary");
    assert_eq!(primary.rollout_state.as_deref(), Some("COMPLETED"));
    assert_eq!(done.running_count, done.desired_count);
    assert!(primary.task_definition.ends_with(":43"));

    let failed = find(&services, "prod-payments", "ledger-sync");
    let primary = failed.primary_deployment().expect("primary");
    assert_eq!(primary.rollout_state.as_deref(), Some("FAILED"));
    assert_eq!(
        primary.rollout_state_reason.as_deref(),
        Some("ECS deployment circuit breaker: tasks failed to start.")
    );
    // ledger-sync is behind a load balancer: its new tasks fail the health checks.
    let elb = stopped.iter().any(|t| {
        t.stop_code.as_deref() == Some("ServiceSchedulerInitiated")
            && t.stopped_reason
                .as_deref()
                .is_some_and(|r| r.starts_with("Task failed ELB health checks in (target-group "))
            && t.containers[0].exit_code == Some(143)
    });
    assert!(elb, "the failing rollout's tasks fail ELB health checks");
}

#[tokio::test]
async fn new_tasks_walk_through_the_startup_states() {
    let mut fleet = DemoFleet::generate(9, t0());
    let mut seen = std::collections::BTreeSet::new();
    let mut now = t0();
    for _ in 0..30 {
        now = run(&mut fleet, now, 1);
        let backend = DemoBackend::from_fleet(fleet.clone());
        for task in fetch::tasks(&backend, "prod-payments", &running_filter())
            .await
            .expect("tasks")
        {
            seen.insert(task.last_status);
        }
    }
    for status in ["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING"] {
        assert!(seen.contains(status), "{status} in {seen:?}");
    }
}

#[test]
fn stopped_tasks_stay_bounded() {
    let mut fleet = DemoFleet::generate(6, t0());
    let revisions = fleet.task_definitions.len();
    // Four hours of simulated life.
    run(&mut fleet, t0(), 7200);
    assert!(
        fleet.task_definitions.len() > revisions,
        "steady services get new releases over time"
    );
    let now = t0() + Duration::seconds(2 * 7200);
    for cluster in &fleet.clusters {
        for service in &cluster.services {
            let stopped: Vec<_> = cluster
                .tasks
                .iter()
                .filter(|t| !t.is_live() && t.service_name() == Some(service.name.as_str()))
                .collect();
            assert!(stopped.len() <= MAX_STOPPED_PER_SERVICE);
            let hour_ago = now - Duration::minutes(61);
            assert!(stopped.iter().all(|t| t.task.stopped_at > Some(hour_ago)));
        }
    }
    let running: usize = fleet
        .clusters
        .iter()
        .map(|c| c.tasks.iter().filter(|t| t.is_running()).count())
        .sum();
    assert!(running >= 140, "the fleet keeps replacing tasks: {running}");
}

#[tokio::test]
async fn live_backend_steps_with_the_clock_and_frozen_one_does_not() {
    let frozen = DemoBackend::from_fleet(DemoFleet::generate(1, t0()));
    let before = fetch::tasks(&frozen, "staging", &running_filter()).await;
    let again = fetch::tasks(&frozen, "staging", &running_filter()).await;
    assert_eq!(before, again);

    let live = DemoBackend::new(1);
    {
        let mut state = live.state.lock().expect("lock");
        let Some(last) = state.last_step else {
            panic!("a live backend steps")
        };
        let fleet_before = state.fleet.clone();
        let wall = state.fleet.now + Duration::seconds(300);
        state.catch_up(last + std::time::Duration::from_secs(300), wall);
        assert_ne!(state.fleet, fleet_before);
        assert_eq!(state.fleet.now, wall);
    }
    assert_eq!(DemoBackend::connection().region, "eu-west-1");
    assert!(DemoBackend::connection().demo);
}
