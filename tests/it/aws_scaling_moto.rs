//! Service auto scaling over the wire against moto: the target, policies and scheduled
//! actions boto3 made are what ecsdeck reads; the range, suspensions and widening scales
//! sent through the executor are what boto3 then reports; read-only sends nothing.
//!
//! moto facts (5.2.5): DescribeScalableTargets, DescribeScalingPolicies,
//! DescribeScheduledActions and RegisterScalableTarget are implemented (RegisterScalableTarget
//! replaces SuspendedState whole and does not check min <= max); DescribeScalingActivities is
//! not, so the fault proxy answers just that operation (`scaling_activities`) and the SDK's
//! request and decoding still run over the wire.

use serde_json::{Value, json};

use crate::support::fault_proxy::FaultProxy;
use crate::support::{Moto, connect, moto};
use ecsdeck::backend::scaling::ScalingBackend;
use ecsdeck::domain::journal::ActionResult;
use ecsdeck::domain::mutation::Mutation;
use ecsdeck::domain::scaling::{PolicyRule, ScalingDirection, Suspended};
use ecsdeck::executor::{self, ActionContext};
use ecsdeck::poller;
use ecsdeck::store::{Payload, Resource};

/// A cluster with two services, the first with a 2..20 target, two policies and a
/// scheduled action.
pub(crate) fn scaled_fleet(moto: &Moto, cluster: &str) {
    moto.fleet(cluster, 2, 0);
    moto.fixture(&[
        "register-scalable-target",
        "--cluster",
        cluster,
        "--service",
        "svc-000",
        "--min",
        "2",
        "--max",
        "20",
    ]);
    moto.fixture(&[
        "scaling-policies",
        "--cluster",
        cluster,
        "--service",
        "svc-000",
    ]);
}

/// svc-000's target as boto3 reads it.
pub(crate) fn target_of(moto: &Moto, cluster: &str) -> Value {
    moto.fixture(&[
        "describe-scalable-target",
        "--cluster",
        cluster,
        "--service",
        "svc-000",
    ])
}

fn writable() -> ActionContext {
    ActionContext {
        read_only: false,
        region: "us-east-1".into(),
        ..ActionContext::default()
    }
}

/// What AWS answers DescribeScalingActivities with, for the stub: one failed, one done.
fn activities(cluster: &str) -> Value {
    let id = format!("service/{cluster}/svc-000");
    let activity = |n: i32, status: &str, message: &str, start: f64| {
        json!({
            "ActivityId": format!("act-{n}"),
            "ServiceNamespace": "ecs",
            "ResourceId": id,
            "ScalableDimension": "ecs:service:DesiredCount",
            "Description": format!("Setting desired count to {n}."),
            "Cause": "monitor alarm TargetTracking-high in state ALARM triggered policy cpu60",
            "StartTime": start,
            "EndTime": start + 40.0,
            "StatusCode": status,
            "StatusMessage": message,
        })
    };
    json!([
        activity(
            5,
            "Successful",
            "Successfully set desired count to 5.",
            1_767_225_600.0
        ),
        activity(
            6,
            "Failed",
            "Failed to set desired count to 6. Reason: Rate exceeded",
            1_767_222_000.0
        ),
    ])
}

/// The target-tracking and step policies `scaling-policies` made, as ecsdeck reads them.
fn assert_policies(mut policies: Vec<ecsdeck::domain::scaling::ScalingPolicy>) {
    policies.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(policies.len(), 2);
    assert_eq!(
        policies[0].rule,
        PolicyRule::TargetTracking {
            metric: "ECSServiceAverageCPUUtilization".into(),
            target: 60.0,
            scale_in_cooldown: Some(300),
            scale_out_cooldown: Some(60),
            disable_scale_in: false,
        }
    );
    let PolicyRule::Step {
        steps, cooldown, ..
    } = &policies[1].rule
    else {
        panic!("{:?}", policies[1]);
    };
    assert_eq!(*cooldown, Some(120));
    let labels: Vec<String> = steps.iter().map(|s| s.label()).collect();
    assert_eq!(labels, ["[0, 500) +1", "[500, ∞) +3"]);
}

#[tokio::test]
async fn what_boto3_configured_is_what_the_detail_pane_reads() {
    let moto = moto();
    let cluster = "scaling-read";
    scaled_fleet(moto, cluster);
    let proxy = FaultProxy::start(&moto.endpoint);
    proxy.scaling_activities(&activities(cluster));
    let (backend, _) = connect(&proxy.endpoint).await;
    let fetch = |resource: Resource| {
        let backend = &backend;
        async move { poller::fetch_resource(backend, &resource).await }
    };
    let (c, s) = (cluster.to_string(), "svc-000".to_string());

    let target = fetch(Resource::ScalableTarget {
        cluster: c.clone(),
        service: s.clone(),
    })
    .await;
    let Ok(Payload::ScalableTarget(Some(target))) = target else {
        panic!("{target:?}");
    };
    assert_eq!((target.min_capacity, target.max_capacity), (2, 20));
    assert_eq!(target.suspended, Suspended::default());

    let policies = fetch(Resource::ScalingPolicies {
        cluster: c.clone(),
        service: s.clone(),
    })
    .await;
    let Ok(Payload::ScalingPolicies(policies)) = policies else {
        panic!("{policies:?}");
    };
    assert_policies(policies);

    let scheduled = fetch(Resource::ScheduledActions {
        cluster: c.clone(),
        service: s.clone(),
    })
    .await;
    let Ok(Payload::ScheduledActions(scheduled)) = scheduled else {
        panic!("{scheduled:?}");
    };
    assert_eq!(scheduled.len(), 1);
    assert_eq!(scheduled[0].schedule, "cron(0 7 ? * MON-FRI *)");
    assert_eq!(
        (scheduled[0].min_capacity, scheduled[0].max_capacity),
        (Some(4), Some(12))
    );

    let listed = fetch(Resource::ScalingActivities {
        cluster: c,
        service: s,
    })
    .await;
    let Ok(Payload::ScalingActivities(listed)) = listed else {
        panic!("{listed:?}");
    };
    let statuses: Vec<&str> = listed.iter().map(|a| a.status.as_str()).collect();
    assert_eq!(statuses, ["Successful", "Failed"]);
    assert!(
        listed[1]
            .status_message
            .as_deref()
            .unwrap_or("")
            .contains("Rate exceeded")
    );
    assert!(listed[0].start.is_some());
    assert_eq!(proxy.count("DescribeScalingActivities"), 1);
    // The stub checks AWS's limit too.
    let err = backend
        .describe_scaling_activities(cluster, "svc-000", 51)
        .await
        .expect_err("over the limit");
    assert_eq!(err.kind, ecsdeck::backend::ErrorKind::InvalidRequest);
}

#[tokio::test]
async fn a_service_without_a_target_has_none() {
    let moto = moto();
    let cluster = "scaling-none";
    scaled_fleet(moto, cluster);
    let (backend, _) = connect(&moto.endpoint).await;
    let none = backend
        .describe_scalable_targets(cluster, "svc-001")
        .await
        .expect("describe");
    assert_eq!(none, None);
}

#[tokio::test]
async fn range_and_suspensions_sent_by_the_executor_are_what_boto3_sees() {
    let moto = moto();
    let cluster = "scaling-write";
    scaled_fleet(moto, cluster);
    let (backend, _) = connect(&moto.endpoint).await;
    let range = Mutation::SetScalingRange {
        cluster: cluster.into(),
        service: "svc-000".into(),
        from: (2, 20),
        to: (3, 30),
    };
    let executed = executor::execute(&backend, &writable(), &range, None).await;
    assert_eq!(executed.entry.result, ActionResult::Done);
    let seen = target_of(moto, cluster);
    assert_eq!(
        (seen["minCapacity"].clone(), seen["maxCapacity"].clone()),
        (json!(3), json!(30))
    );

    let suspended = ScalingDirection::In.set(Suspended::default(), true);
    let suspend = Mutation::SetScalingSuspended {
        cluster: cluster.into(),
        service: "svc-000".into(),
        direction: ScalingDirection::In,
        suspend: true,
        suspended,
    };
    let executed = executor::execute(&backend, &writable(), &suspend, None).await;
    assert_eq!(executed.entry.result, ActionResult::Done);
    let seen = target_of(moto, cluster);
    assert_eq!(
        seen["suspendedState"],
        json!({
            "DynamicScalingInSuspended": true,
            "DynamicScalingOutSuspended": false,
            "ScheduledScalingSuspended": false
        })
    );
    assert_eq!(
        seen["minCapacity"], 3,
        "a suspension leaves the range alone"
    );
    let read = backend
        .describe_scalable_targets(cluster, "svc-000")
        .await
        .expect("describe");
    assert_eq!(read.map(|t| t.suspended), Some(suspended));
}

#[tokio::test]
async fn a_widening_scale_sends_the_range_then_the_count_and_read_only_sends_nothing() {
    let moto = moto();
    let cluster = "scaling-widen";
    scaled_fleet(moto, cluster);
    let proxy = FaultProxy::start(&moto.endpoint);
    let (backend, _) = connect(&proxy.endpoint).await;
    let widen = Mutation::ScaleWidening {
        cluster: cluster.into(),
        service: "svc-000".into(),
        from: 1,
        to: 25,
        range_from: (2, 20),
        range_to: (2, 25),
    };
    let refused = ActionContext {
        read_only: true,
        ..writable()
    };
    let executed = executor::execute(&backend, &refused, &widen, None).await;
    assert_eq!(executed.entry.result, ActionResult::Refused);
    assert!(proxy.stats().is_empty(), "{:?}", proxy.stats());

    let executed = executor::execute(&backend, &writable(), &widen, None).await;
    assert_eq!(executed.entry.result, ActionResult::Done);
    let order: Vec<String> = proxy
        .stats()
        .iter()
        .filter_map(|s| s["operation"].as_str().map(str::to_string))
        .collect();
    assert_eq!(order, ["RegisterScalableTarget", "UpdateService"]);
    assert_eq!(target_of(moto, cluster)["maxCapacity"], 25);
    let service = moto.fixture(&[
        "describe-service",
        "--cluster",
        cluster,
        "--service",
        "svc-000",
    ]);
    assert_eq!(service["desiredCount"], 25);
}

#[tokio::test]
async fn when_the_scale_fails_after_the_widening_the_journal_says_the_range_changed() {
    let moto = moto();
    let cluster = "scaling-half";
    scaled_fleet(moto, cluster);
    let proxy = FaultProxy::start(&moto.endpoint);
    proxy.set("server_error", Some(&["UpdateService"]), None);
    let (backend, _) = connect(&proxy.endpoint).await;
    let widen = Mutation::ScaleWidening {
        cluster: cluster.into(),
        service: "svc-000".into(),
        from: 1,
        to: 24,
        range_from: (2, 20),
        range_to: (2, 24),
    };
    let executed = executor::execute(&backend, &writable(), &widen, None).await;
    let ActionResult::Failed(error) = &executed.entry.result else {
        panic!("{:?}", executed.entry.result);
    };
    assert!(
        error.message.contains("widened to 2..24") && error.message.contains("still wants 1"),
        "{}",
        error.message
    );
    assert_eq!(proxy.count("UpdateService"), 1, "never retried");
    assert_eq!(target_of(moto, cluster)["maxCapacity"], 24);
}
