//! Tests of the demo's actions: each one's visible consequence after a few steps, AWS's
//! validation errors, and that the fleet stays deterministic with actions in the mix.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::fleet::DemoFleet;
use super::operations::MAX_DESIRED_COUNT;
use super::{DemoBackend, view};
use crate::backend::{DesiredStatus, EcsBackend, ErrorKind, ServiceUpdate, TaskFilter, fetch};
use crate::domain::ecs::{Service, Task};

const PROD: &str = "prod-payments";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 3, 0, 0)
        .single()
        .expect("valid date")
}

fn fleet() -> DemoFleet {
    DemoFleet::generate(1, t0())
}

/// Steps the fleet `n` times, 2 s apart, from its own clock.
fn run(fleet: &mut DemoFleet, n: usize) {
    for _ in 0..n {
        let next = fleet.now + Duration::seconds(2);
        fleet.step(next);
    }
}

fn service(fleet: &DemoFleet, cluster: &str, name: &str) -> Service {
    let cluster = fleet
        .clusters
        .iter()
        .find(|c| c.name == cluster)
        .expect("cluster");
    let state = cluster
        .services
        .iter()
        .find(|s| s.name == name)
        .expect("service");
    view::service(cluster, state)
}

/// The service's tasks that are not stopping or stopped.
fn live_tasks(fleet: &DemoFleet, cluster: &str, name: &str) -> Vec<Task> {
    let cluster = fleet
        .clusters
        .iter()
        .find(|c| c.name == cluster)
        .expect("cluster");
    cluster
        .tasks
        .iter()
        .filter(|t| t.is_live() && t.service_name() == Some(name))
        .map(|t| t.task.clone())
        .collect()
}

fn task(fleet: &DemoFleet, cluster: &str, arn: &str) -> Task {
    let cluster = fleet
        .clusters
        .iter()
        .find(|c| c.name == cluster)
        .expect("cluster");
    let found = cluster.tasks.iter().find(|t| t.task.task_arn == arn);
    found.expect("task still listed").task.clone()
}

fn change(service: &str) -> ServiceUpdate {
    ServiceUpdate {
        cluster: PROD.to_string(),
        service: service.to_string(),
        ..ServiceUpdate::default()
    }
}

fn scale(service: &str, desired: i32) -> ServiceUpdate {
    ServiceUpdate {
        desired_count: Some(desired),
        ..change(service)
    }
}

fn deploy(service: &str, task_definition: &str) -> ServiceUpdate {
    ServiceUpdate {
        task_definition: Some(task_definition.to_string()),
        ..change(service)
    }
}

/// Steps until the service's rollout is COMPLETED with one deployment; the number of steps.
/// Also checks the rolling update never dips below the desired count of running tasks once
/// it was reached.
fn steps_until_completed(fleet: &mut DemoFleet, name: &str, limit: usize) -> usize {
    for n in 1..=limit {
        run(fleet, 1);
        let now = service(fleet, PROD, name);
        if now.deployments.len() == 1
            && now.deployments[0].rollout_state.as_deref() == Some("COMPLETED")
        {
            return n;
        }
    }
    panic!(
        "{name} not COMPLETED after {limit} steps: {:?}",
        service(fleet, PROD, name).deployments
    );
}

#[test]
fn scaling_up_starts_tasks_that_walk_to_running() {
    let mut fleet = fleet();
    let before = live_tasks(&fleet, PROD, "refund-processor");
    assert_eq!(before.len(), 3);

    let updated = fleet
        .update_service(&scale("refund-processor", 5))
        .expect("scale");
    assert_eq!(updated.desired_count, 5, "the answer shows the new count");
    assert_eq!(updated.running_count, 3);

    run(&mut fleet, 1);
    let tasks = live_tasks(&fleet, PROD, "refund-processor");
    assert_eq!(tasks.len(), 5);
    let new: Vec<&Task> = tasks
        .iter()
        .filter(|t| before.iter().all(|b| b.task_arn != t.task_arn))
        .collect();
    assert_eq!(new.len(), 2);
    assert!(new.iter().all(|t| t.last_status == "PROVISIONING"));
    let arn = new[0].task_arn.clone();
    let mut seen = vec![task(&fleet, PROD, &arn).last_status];
    for _ in 0..3 {
        run(&mut fleet, 1);
        seen.push(task(&fleet, PROD, &arn).last_status);
    }
    assert_eq!(seen, ["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING"]);
    assert_eq!(service(&fleet, PROD, "refund-processor").running_count, 5);
}

#[test]
fn scaling_down_stops_the_newest_tasks_as_the_scheduler() {
    let mut fleet = fleet();
    let before = live_tasks(&fleet, PROD, "refund-processor");
    let deployment = service(&fleet, PROD, "refund-processor").deployments[0]
        .id
        .clone();
    fleet
        .update_service(&scale("refund-processor", 1))
        .expect("scale in");

    run(&mut fleet, 1);
    let after = live_tasks(&fleet, PROD, "refund-processor");
    assert_eq!(after.len(), 1);
    assert_eq!(
        after[0].task_arn, before[0].task_arn,
        "the oldest one stays"
    );
    for gone in &before[1..] {
        let stopped = task(&fleet, PROD, &gone.task_arn);
        assert_eq!(stopped.last_status, "STOPPED");
        assert_eq!(
            stopped.stop_code.as_deref(),
            Some("ServiceSchedulerInitiated")
        );
        assert_eq!(
            stopped.stopped_reason.as_deref(),
            Some(format!("Scaling activity initiated by (deployment {deployment})").as_str())
        );
    }
    fleet
        .update_service(&scale("refund-processor", 0))
        .expect("scale to zero");
    run(&mut fleet, 1);
    assert!(live_tasks(&fleet, PROD, "refund-processor").is_empty());
}

#[test]
fn invalid_updates_are_refused_like_aws_and_change_nothing() {
    let mut fleet = fleet();
    let untouched = fleet.clone();
    for desired in [-1, MAX_DESIRED_COUNT + 1] {
        let err = fleet
            .update_service(&scale("refund-processor", desired))
            .expect_err("out of range");
        assert_eq!(err.kind, ErrorKind::InvalidRequest);
        assert_eq!(err.operation, "UpdateService");
    }
    let err = fleet
        .update_service(&ServiceUpdate {
            cluster: "nope".into(),
            ..scale("refund-processor", 2)
        })
        .expect_err("unknown cluster");
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert_eq!(err.message, "Cluster not found: nope");
    let err = fleet
        .update_service(&scale("no-such-service", 2))
        .expect_err("unknown service");
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert_eq!(err.message, "Service not found: no-such-service");
    let err = fleet
        .update_service(&deploy("refund-processor", "refund-processor:9999"))
        .expect_err("unknown revision");
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
    assert_eq!(err.message, "Unable to describe task definition.");
    // Valid count plus a bad revision: nothing is applied.
    let err = fleet.update_service(&ServiceUpdate {
        desired_count: Some(4),
        ..deploy("refund-processor", "nope:1")
    });
    assert!(err.is_err());
    assert_eq!(fleet, untouched);

    let limit = fleet
        .update_service(&scale("refund-processor", MAX_DESIRED_COUNT))
        .expect("5000 is allowed");
    assert_eq!(limit.desired_count, MAX_DESIRED_COUNT);
}

#[test]
fn force_new_deployment_replaces_every_task_then_completes() {
    let mut fleet = fleet();
    let before = service(&fleet, PROD, "refund-processor");
    let old_tasks = live_tasks(&fleet, PROD, "refund-processor");
    let updated = fleet
        .update_service(&ServiceUpdate {
            force_new_deployment: true,
            ..change("refund-processor")
        })
        .expect("redeploy");
    assert_eq!(updated.deployments.len(), 2);
    let primary = &updated.deployments[0];
    assert_eq!(primary.status, "PRIMARY");
    assert_eq!(primary.rollout_state.as_deref(), Some("IN_PROGRESS"));
    assert_eq!(primary.task_definition, before.task_definition);
    assert_ne!(primary.id, before.deployments[0].id);
    assert_eq!(updated.deployments[1].status, "ACTIVE");
    assert_eq!(updated.deployments[1].id, before.deployments[0].id);

    // First new task after one step, running after four; then one old task goes.
    run(&mut fleet, 1);
    assert_eq!(
        service(&fleet, PROD, "refund-processor").deployments[0].pending_count,
        1
    );
    run(&mut fleet, 3);
    let mid = service(&fleet, PROD, "refund-processor");
    assert_eq!(mid.deployments[0].running_count, 1);
    assert_eq!(mid.deployments[1].running_count, 2);

    let steps = steps_until_completed(&mut fleet, "refund-processor", 40);
    assert!(steps <= 12, "{steps} more steps");
    let after = live_tasks(&fleet, PROD, "refund-processor");
    assert_eq!(after.len(), 3);
    assert!(
        after
            .iter()
            .all(|t| t.started_by.as_deref() == Some(primary.id.as_str()))
    );
    assert!(
        after
            .iter()
            .all(|t| old_tasks.iter().all(|o| o.task_arn != t.task_arn))
    );
}

#[test]
fn rolling_back_deploys_the_older_revision_step_by_step() {
    let mut fleet = fleet();
    let current = service(&fleet, PROD, "refund-processor").task_definition;
    let revisions = fleet.task_definition_arns("refund-processor");
    assert_eq!(revisions[0], current, "newest first");
    let previous = revisions[1].clone();
    let short = previous.rsplit_once('/').expect("an ARN").1.to_string();

    let updated = fleet
        .update_service(&deploy("refund-processor", &short))
        .expect("roll back by family:revision");
    assert_eq!(
        updated.task_definition, previous,
        "changes at once, as an ARN"
    );
    steps_until_completed(&mut fleet, "refund-processor", 40);
    let tasks = live_tasks(&fleet, PROD, "refund-processor");
    assert_eq!(tasks.len(), 3);
    assert!(tasks.iter().all(|t| t.task_definition_arn == previous));
    assert!(tasks.iter().all(|t| t.last_status == "RUNNING"));
}

#[test]
fn a_rollback_supersedes_a_rollout_in_progress() {
    let mut fleet = fleet();
    let rolling = service(&fleet, PROD, "checkout-api");
    assert_eq!(
        rolling.deployments.len(),
        2,
        "checkout-api starts mid-rollout"
    );
    let old = rolling.deployments[1].task_definition.clone();
    let updated = fleet
        .update_service(&deploy("checkout-api", &old))
        .expect("roll back mid-rollout");
    assert_eq!(updated.task_definition, old);
    assert_eq!(updated.deployments.len(), 3);
    steps_until_completed(&mut fleet, "checkout-api", 80);
    let tasks = live_tasks(&fleet, PROD, "checkout-api");
    assert_eq!(tasks.len(), 10);
    assert!(tasks.iter().all(|t| t.task_definition_arn == old));
}

#[test]
fn rolling_back_the_failing_release_lets_it_complete() {
    let mut fleet = fleet();
    let failing = service(&fleet, PROD, "ledger-sync");
    let broken = failing.task_definition.clone();
    let family = fleet.task_definitions[&broken].family.clone();
    let revisions = fleet.task_definition_arns(&family);
    let index = revisions.iter().position(|r| *r == broken).expect("listed");
    let previous = revisions[index + 1].clone();
    // Let the circuit breaker trip first, as an on-call engineer would find it.
    run(&mut fleet, 40);
    fleet
        .update_service(&deploy("ledger-sync", &previous))
        .expect("roll back");
    steps_until_completed(&mut fleet, "ledger-sync", 40);
    let after = service(&fleet, PROD, "ledger-sync");
    assert_eq!(after.task_definition, previous);
    assert_eq!(after.running_count, 4);
}

#[test]
fn stopping_a_task_shows_it_stopping_then_stopped_and_replaced() {
    let mut fleet = fleet();
    let victim = live_tasks(&fleet, PROD, "refund-processor")[0].clone();
    let reason = "Stopped by oncall via ecsdeck";
    let answered = fleet
        .stop_task(PROD, &victim.task_arn, reason)
        .expect("stop");
    assert_eq!(answered.desired_status, "STOPPED");
    assert_eq!(answered.last_status, "DEACTIVATING");
    assert_eq!(answered.stop_code.as_deref(), Some("UserInitiated"));
    assert_eq!(answered.stopped_reason.as_deref(), Some(reason));
    assert_eq!(live_tasks(&fleet, PROD, "refund-processor").len(), 2);

    run(&mut fleet, 1);
    assert_eq!(task(&fleet, PROD, &victim.task_arn).last_status, "STOPPING");
    let live = live_tasks(&fleet, PROD, "refund-processor");
    assert_eq!(live.len(), 3, "the service starts a replacement");
    assert!(live.iter().any(|t| t.last_status == "PROVISIONING"));

    run(&mut fleet, 1);
    let stopped = task(&fleet, PROD, &victim.task_arn);
    assert_eq!(stopped.last_status, "STOPPED");
    assert!(stopped.stopped_at.is_some());
    assert_eq!(stopped.stopped_reason.as_deref(), Some(reason));
    assert!(stopped.containers.iter().all(|c| c.exit_code == Some(0)));

    run(&mut fleet, 2);
    assert_eq!(service(&fleet, PROD, "refund-processor").running_count, 3);

    // Stopping it again returns it unchanged; an unknown task is refused.
    let again = fleet
        .stop_task(PROD, &victim.task_arn, "twice")
        .expect("stop a stopped task");
    assert_eq!(again.stopped_reason.as_deref(), Some(reason));
    let err = fleet
        .stop_task(PROD, "0123456789abcdef0123456789abcdef", reason)
        .expect_err("unknown task");
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
    assert_eq!(err.message, "The referenced task was not found.");
    let err = fleet
        .stop_task("nope", &victim.task_arn, reason)
        .expect_err("unknown cluster");
    assert_eq!(err.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn actions_through_the_backend_show_in_describe_and_list() {
    let backend = DemoBackend::from_fleet(fleet());
    let updated = backend
        .update_service(&scale("payments-worker", 9))
        .await
        .expect("scale");
    assert_eq!(updated.desired_count, 9);
    let described = backend
        .describe_services(PROD, &["payments-worker".to_string()])
        .await
        .expect("describe");
    assert_eq!(described[0].desired_count, 9);

    let filter = |desired_status| TaskFilter {
        service: Some("payments-worker".to_string()),
        desired_status,
        container_instance: None,
    };
    let running = fetch::tasks(&backend, PROD, &filter(DesiredStatus::Running))
        .await
        .expect("tasks");
    let stopped_task = backend
        .stop_task(PROD, running[0].short_id(), "ops")
        .await
        .expect("stop by id");
    let stopped = fetch::tasks(&backend, PROD, &filter(DesiredStatus::Stopped))
        .await
        .expect("stopped tasks");
    assert!(stopped.iter().any(|t| t.task_arn == stopped_task.task_arn));
}

#[test]
fn actions_keep_the_fleet_deterministic() {
    let script = |fleet: &mut DemoFleet| {
        fleet
            .update_service(&scale("refund-processor", 6))
            .expect("scale");
        run(fleet, 3);
        fleet
            .update_service(&ServiceUpdate {
                force_new_deployment: true,
                ..change("web-frontend")
            })
            .expect("redeploy");
        let victim = live_tasks(fleet, PROD, "fraud-scorer")[2].task_arn.clone();
        fleet.stop_task(PROD, &victim, "test").expect("stop");
        run(fleet, 30);
    };
    let mut a = fleet();
    let mut b = fleet();
    script(&mut a);
    script(&mut b);
    assert_eq!(a, b);
}
