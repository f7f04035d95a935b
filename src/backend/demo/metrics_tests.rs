//! The demo's CloudWatch and service events: deterministic, within AWS's limits, and telling
//! the same story as the fleet.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::fleet::DemoFleet;
use super::signals::HOT_SERVICE;
use super::{DemoBackend, events::MAX_EVENTS};
use crate::backend::metrics::{MetricQuery, MetricSeries};
use crate::backend::{EcsBackend, ErrorKind, ServiceUpdate};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 6, 10, 30)
        .single()
        .unwrap_or_default()
}

fn service_query(id: &str, cluster: &str, service: &str, metric: &str) -> MetricQuery {
    MetricQuery {
        id: id.to_string(),
        namespace: "AWS/ECS".to_string(),
        metric: metric.to_string(),
        dimensions: vec![
            ("ClusterName".to_string(), cluster.to_string()),
            ("ServiceName".to_string(), service.to_string()),
        ],
        stat: "Average".to_string(),
        period_secs: 60,
    }
}

fn fetch(fleet: &DemoFleet, queries: &[MetricQuery]) -> Vec<MetricSeries> {
    let now = fleet.now;
    fleet
        .metric_data(queries, now - Duration::hours(3), now)
        .unwrap_or_default()
}

#[test]
fn metrics_are_deterministic_ascending_and_one_per_period() {
    let queries = [service_query(
        "a",
        "prod-payments",
        "checkout-api",
        "CPUUtilization",
    )];
    let one = fetch(&DemoFleet::generate(7, now()), &queries);
    let two = fetch(&DemoFleet::generate(7, now()), &queries);
    assert_eq!(one, two);
    let points = &one[0].points;
    assert_eq!(points.len(), 180);
    assert!(
        points
            .windows(2)
            .all(|w| w[1].0 - w[0].0 == Duration::seconds(60))
    );
    assert!(
        points.iter().all(|(_, v)| (10.0..=75.0).contains(v)),
        "{points:?}"
    );
    let other_seed = fetch(&DemoFleet::generate(8, now()), &queries);
    assert_ne!(one, other_seed);
}

#[test]
fn limits_match_cloudwatch() {
    let fleet = DemoFleet::generate(1, now());
    let many: Vec<MetricQuery> = (0..501)
        .map(|i| {
            service_query(
                &format!("q{i}"),
                "prod-payments",
                "checkout-api",
                "CPUUtilization",
            )
        })
        .collect();
    let end = fleet.now;
    let start = end - Duration::minutes(10);
    let err = fleet.metric_data(&many, start, end).err().map(|e| e.kind);
    assert_eq!(err, Some(ErrorKind::InvalidRequest));
    assert!(fleet.metric_data(&many[..500], start, end).is_ok());
    let twice = [many[0].clone(), many[0].clone()];
    let err = fleet.metric_data(&twice, start, end).err().map(|e| e.kind);
    assert_eq!(err, Some(ErrorKind::InvalidRequest));
    let unknown = service_query("u", "prod-payments", "checkout-api", "NetworkRxBytes");
    let series = fetch(&fleet, &[unknown]);
    assert!(series[0].points.is_empty());
}

#[test]
fn the_hot_service_tops_a_cpu_triage_and_ledger_sync_runs_high() {
    let fleet = DemoFleet::generate(3, now());
    let queries: Vec<MetricQuery> = fleet.clusters[0]
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| service_query(&format!("s{i}"), "prod-payments", &s.name, "CPUUtilization"))
        .collect();
    let series = fetch(&fleet, &queries);
    let latest = |s: &MetricSeries| s.points.last().map(|(_, v)| *v).unwrap_or(0.0);
    let hot_index = fleet.clusters[0]
        .services
        .iter()
        .position(|s| s.name == HOT_SERVICE.1)
        .unwrap_or(usize::MAX);
    assert!(series[hot_index].points.iter().all(|(_, v)| *v > 90.0));
    let mut ranked: Vec<(f64, &str)> = series
        .iter()
        .zip(&fleet.clusters[0].services)
        .map(|(s, svc)| (latest(s), svc.name.as_str()))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    assert_eq!(ranked[0].1, HOT_SERVICE.1, "{ranked:?}");
    assert!(
        ranked
            .iter()
            .take(3)
            .any(|(_, name)| *name == "ledger-sync"),
        "{ranked:?}"
    );
}

#[test]
fn container_insights_only_where_enabled() {
    let fleet = DemoFleet::generate(5, now());
    let task_query = |cluster: &DemoFleet, index: usize| {
        let state = &cluster.clusters[index];
        let task = state
            .tasks
            .iter()
            .find(|t| t.is_running())
            .map(|t| t.task.short_id().to_string())
            .unwrap_or_default();
        MetricQuery {
            id: format!("t{index}"),
            namespace: "ECS/ContainerInsights".to_string(),
            metric: "MemoryUtilized".to_string(),
            dimensions: vec![
                ("ClusterName".to_string(), state.name.clone()),
                ("TaskId".to_string(), task),
            ],
            stat: "Average".to_string(),
            period_secs: 60,
        }
    };
    assert_eq!(
        fleet.clusters[0].container_insights.as_deref(),
        Some("enabled")
    );
    let series = fetch(&fleet, &[task_query(&fleet, 0), task_query(&fleet, 1)]);
    assert!(!series[0].points.is_empty());
    assert!(
        series[0]
            .points
            .iter()
            .all(|(_, mib)| *mib > 0.0 && *mib <= 4096.0)
    );
    assert!(
        series[1].points.is_empty(),
        "staging has no Container Insights"
    );
}

#[test]
fn alarms_agree_with_the_curves() {
    let mut fleet = DemoFleet::generate(11, now());
    let page = fleet.alarms(false, None).unwrap_or_default();
    assert!(page.next_token.is_none());
    let hot = page
        .alarms
        .iter()
        .find(|a| a.name == "fraud-scorer-cpu-high")
        .cloned()
        .unwrap_or_else(|| panic!("no hot alarm in {page:?}"));
    assert_eq!(hot.state, "ALARM");
    assert!(
        hot.state_reason
            .as_deref()
            .is_some_and(|r| r.starts_with("Threshold Crossed: 3 datapoints [")),
        "{hot:?}"
    );
    assert_eq!(
        hot.dimensions[1],
        ("ServiceName".to_string(), "fraud-scorer".to_string())
    );
    assert!(page.alarms.iter().any(|a| a.state == "OK"));
    // The crash-looper's memory alarm flips with each climb.
    let mut states = std::collections::BTreeSet::new();
    for _ in 0..8 {
        let now = fleet.now + Duration::minutes(1);
        fleet.step(now);
        let page = fleet.alarms(false, None).unwrap_or_default();
        let memory = page
            .alarms
            .iter()
            .find(|a| a.name == "notification-sender-memory-high")
            .map(|a| a.state.clone());
        states.extend(memory);
    }
    assert_eq!(states.len(), 2, "{states:?}");
}

#[tokio::test]
async fn events_follow_the_simulation_newest_first_and_bounded() {
    let owned = DemoBackend::from_fleet(DemoFleet::generate(2, now()));
    let backend = &owned;
    let describe = |name: &'static str| prod_service(backend, name);
    let before = describe("checkout-api").await;
    assert!(!before.events.is_empty());
    let first_at = before.events.first().and_then(|e| e.created_at);
    backend
        .update_service(&ServiceUpdate {
            cluster: "prod-payments".to_string(),
            service: "payments-worker".to_string(),
            desired_count: Some(11),
            ..ServiceUpdate::default()
        })
        .await
        .unwrap_or_default();
    {
        let mut state = backend.state.lock().unwrap_or_else(|e| e.into_inner());
        for step in 1..=400 {
            let at = now() + Duration::seconds(2 * step);
            state.fleet.step(at);
        }
    }
    let after = describe("checkout-api").await;
    assert!(after.events.len() <= MAX_EVENTS);
    assert!(after.events.first().and_then(|e| e.created_at) > first_at);
    assert!(
        after
            .events
            .windows(2)
            .all(|w| w[0].created_at >= w[1].created_at)
    );
    let ids: std::collections::BTreeSet<_> = after.events.iter().map(|e| &e.id).collect();
    assert_eq!(ids.len(), after.events.len());
    assert_events_read_like_ecs(backend, &after).await;
}

/// One service of the demo's prod-payments cluster, as DescribeServices returns it.
async fn prod_service(backend: &DemoBackend, name: &str) -> crate::domain::ecs::Service {
    backend
        .describe_services("prod-payments", &[name.to_string()])
        .await
        .unwrap_or_default()
        .pop()
        .unwrap_or_default()
}

/// All of a service's event messages, one per line.
fn text(s: &crate::domain::ecs::Service) -> String {
    s.events
        .iter()
        .map(|e| e.message.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The simulation's events say what ECS would, word for word where it matters.
async fn assert_events_read_like_ecs(backend: &DemoBackend, after: &crate::domain::ecs::Service) {
    let describe = |name: &'static str| prod_service(backend, name);
    let checkout = text(after);
    assert!(
        checkout.contains("(service checkout-api) has started 1 tasks: (task "),
        "{checkout}"
    );
    assert!(
        checkout.contains("registered 1 targets in (target-group arn:"),
        "{checkout}"
    );
    assert!(checkout.contains("deployment completed."), "{checkout}");
    assert!(
        checkout.contains("(service checkout-api) has reached a steady state."),
        "{checkout}"
    );
    let ledger = text(&describe("ledger-sync").await);
    assert!(
        ledger.contains("deployment failed: tasks failed to start."),
        "{ledger}"
    );
    assert!(
        ledger.contains("(service ledger-sync) rolling back to deployment ecs-svc/"),
        "{ledger}"
    );
    let scaled = text(&describe("payments-worker").await);
    assert!(
        scaled.contains("(service payments-worker) has started 3 tasks:"),
        "{scaled}"
    );
    let oom = describe("notification-sender").await;
    assert_eq!(oom.events.len(), MAX_EVENTS);
    assert!(text(&oom).contains("has stopped 1 running tasks"));
    let batch = backend
        .describe_services("batch-ec2", &["ml-feature-builder".to_string()])
        .await
        .unwrap_or_default();
    let unplaced = batch.first().map(text).unwrap_or_default();
    assert!(
        unplaced.contains(
            "was unable to place a task because no container instance met all of its requirements."
        ),
        "{unplaced}"
    );
}
