//! The demo's container instances: stable ARNs and instance ids, every EC2 task placed on
//! one, task counts that agree with the tasks, and ECS's limits.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::DemoBackend;
use super::fleet::DemoFleet;
use crate::backend::{BackendError, EcsBackend, ErrorKind};
use crate::domain::ecs::Task;

const PROD: &str = "prod-payments";
const BATCH: &str = "batch-ec2";
const PREFIX: &str = "arn:aws:ecs:eu-west-1:123456789012:container-instance/batch-ec2/";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 6, 10, 30)
        .single()
        .unwrap_or_default()
}

fn run(fleet: &mut DemoFleet, steps: i64) {
    for _ in 0..steps {
        let next = fleet.now + Duration::seconds(2);
        fleet.step(next);
    }
}

fn kind<T>(result: Result<T, BackendError>) -> Option<(ErrorKind, &'static str)> {
    result.err().map(|e| (e.kind, e.operation))
}

fn instance_arns(fleet: &DemoFleet) -> Vec<String> {
    fleet
        .clusters
        .iter()
        .filter(|c| c.name == BATCH)
        .flat_map(|c| &c.hosts.instances)
        .map(|h| h.container_instance_arn.clone())
        .collect()
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.chars().all(|c| c.is_ascii_hexdigit())
}

#[test]
fn container_instances_are_stable_and_hold_every_ec2_task() {
    let mut fleet = DemoFleet::generate(4, t0());
    run(&mut fleet, 10);
    let arns = instance_arns(&fleet);
    assert_eq!(arns.len(), 7);
    for arn in &arns {
        let id = arn.strip_prefix(PREFIX).unwrap_or_default();
        assert!(is_hex(id, 32), "{arn}");
    }
    assert_eq!(
        arns,
        instance_arns(&DemoFleet::generate(5, t0())),
        "stable for the cluster"
    );
    let batch = fleet.clusters.iter().filter(|c| c.name == BATCH);
    let placed = batch.flat_map(|c| &c.tasks).all(|t| {
        t.task.launch_type.as_deref() == Some("EC2")
            && t.task
                .container_instance_arn
                .as_ref()
                .is_some_and(|a| arns.contains(a))
    });
    assert!(placed, "every EC2 task is on one of the instances");
    let fargate = fleet.clusters.iter().filter(|c| c.name == PROD);
    let none = fargate
        .flat_map(|c| &c.tasks)
        .all(|t| t.task.container_instance_arn.is_none());
    assert!(none, "Fargate tasks have no container instance");
}

#[tokio::test]
async fn describe_container_instances_counts_the_tasks_placed_on_them() {
    let mut fleet = DemoFleet::generate(4, t0());
    run(&mut fleet, 10);
    let arns = instance_arns(&fleet);
    let live: Vec<Task> = fleet
        .clusters
        .iter()
        .filter(|c| c.name == BATCH)
        .flat_map(|c| &c.tasks)
        .filter(|t| t.is_live())
        .map(|t| t.task.clone())
        .collect();
    let running = live.iter().filter(|t| t.last_status == "RUNNING").count();
    let backend = DemoBackend::from_fleet(fleet);
    let described = backend
        .describe_container_instances(BATCH, &arns)
        .await
        .expect("instances");
    assert_eq!(described.len(), arns.len());
    // One host is draining and one has lost its agent (the demo's bad night); the rest
    // are ACTIVE and connected.
    let draining = described.iter().filter(|i| i.status == "DRAINING").count();
    let disconnected = described.iter().filter(|i| !i.agent_connected).count();
    assert_eq!((draining, disconnected), (1, 1));
    for instance in &described {
        assert!(matches!(instance.status.as_str(), "ACTIVE" | "DRAINING"));
        let ec2 = instance.ec2_instance_id.as_deref().unwrap_or_default();
        assert!(
            is_hex(ec2.strip_prefix("i-").unwrap_or_default(), 17),
            "{ec2}"
        );
    }
    let on_hosts: i32 = described.iter().map(|i| i.running_tasks_count).sum();
    let pending: i32 = described.iter().map(|i| i.pending_tasks_count).sum();
    assert_eq!(on_hosts as usize, running);
    assert_eq!((on_hosts + pending) as usize, live.len());
}

#[tokio::test]
async fn describe_container_instances_follows_ecs_limits() {
    let fleet = DemoFleet::generate(4, t0());
    let arns = instance_arns(&fleet);
    let backend = DemoBackend::from_fleet(fleet);
    let by_id = [
        arns[0].rsplit('/').next().unwrap_or_default().to_string(),
        format!("{PREFIX}{}", "0".repeat(32)),
    ];
    let found = backend
        .describe_container_instances(BATCH, &by_id)
        .await
        .expect("by id");
    assert_eq!(found.len(), 1, "unknown instances are left out");
    assert_eq!(found[0].container_instance_arn, arns[0]);
    let too_many = vec![arns[0].clone(); 101];
    assert_eq!(
        kind(backend.describe_container_instances(BATCH, &too_many).await),
        Some((ErrorKind::InvalidRequest, "DescribeContainerInstances"))
    );
    assert!(
        backend
            .describe_container_instances(BATCH, &too_many[..100])
            .await
            .is_ok()
    );
    assert_eq!(
        kind(backend.describe_container_instances("nowhere", &arns).await),
        Some((ErrorKind::NotFound, "DescribeContainerInstances"))
    );
}
