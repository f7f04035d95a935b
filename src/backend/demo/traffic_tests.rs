//! The demo's `AWS/ApplicationELB` metrics: exactly ALB's dimensions, plausible shapes,
//! checkout-api's staged 5xx and latency incident, and host counts that agree with the
//! target health.

use chrono::{DateTime, Duration, Utc};

use super::balancing_tests::{PROD, health, run, t0, target_group};
use super::catalog::load_balancer_arn;
use super::fleet::DemoFleet;
use super::traffic::ERROR_SERVICE;
use crate::backend::metrics::MetricQuery;
use crate::domain::elb::{TargetCounts, load_balancer_dimension, target_group_dimension};

fn elb_query(id: &str, metric: &str, stat: &str, dimensions: &[(&str, &str)]) -> MetricQuery {
    MetricQuery {
        id: id.to_string(),
        namespace: "AWS/ApplicationELB".to_string(),
        metric: metric.to_string(),
        dimensions: dimensions
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        stat: stat.to_string(),
        period_secs: 60,
    }
}

/// The `TargetGroup` and `LoadBalancer` dimension values of a service's target group.
fn group_dimensions(fleet: &DemoFleet, cluster: &str, service: &str) -> (String, String) {
    let group = target_group(fleet, cluster, service);
    let balancer = load_balancer_arn(cluster);
    (
        target_group_dimension(&group)
            .unwrap_or_default()
            .to_string(),
        load_balancer_dimension(&balancer)
            .unwrap_or_default()
            .to_string(),
    )
}

/// (5xx / requests, mean p99 in seconds) of one service over `[start, end)`.
fn errors_and_p99(
    fleet: &DemoFleet,
    service: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> (f64, f64) {
    let (group, balancer) = group_dimensions(fleet, PROD, service);
    let dims = [
        ("TargetGroup", group.as_str()),
        ("LoadBalancer", balancer.as_str()),
    ];
    let queries = [
        elb_query("requests", "RequestCount", "Sum", &dims),
        elb_query("errors", "HTTPCode_Target_5XX_Count", "Sum", &dims),
        elb_query("p99", "TargetResponseTime", "p99", &dims),
    ];
    let series = fleet.metric_data(&queries, start, end).expect("metrics");
    let total = |i: usize| series[i].points.iter().map(|(_, v)| v).sum::<f64>();
    let p99 = &series[2].points;
    assert!(!p99.is_empty() && total(0) > 0.0, "{service}: {series:?}");
    (
        total(1) / total(0),
        p99.iter().map(|(_, v)| v).sum::<f64>() / p99.len() as f64,
    )
}

#[test]
fn checkout_api_answers_5xx_and_slowly_and_the_others_do_not() {
    assert_eq!(ERROR_SERVICE, (PROD, "checkout-api"));
    let fleet = DemoFleet::generate(5, t0());
    let now = fleet.now;
    let recent = now - Duration::minutes(20);
    let (ratio, p99) = errors_and_p99(&fleet, "checkout-api", recent, now);
    assert!(
        (0.04..=0.06).contains(&ratio),
        "checkout-api 5xx ratio {ratio}"
    );
    assert!((1.6..=2.0).contains(&p99), "checkout-api p99 {p99}");
    let (ratio, p99) = errors_and_p99(&fleet, "web-frontend", recent, now);
    assert!(ratio < 0.01, "web-frontend 5xx ratio {ratio}");
    assert!(p99 < 0.5, "web-frontend p99 {p99}");
    let earlier = now - Duration::hours(3);
    let (ratio, p99) = errors_and_p99(
        &fleet,
        "checkout-api",
        earlier,
        earlier + Duration::minutes(60),
    );
    assert!(
        ratio < 0.01 && p99 < 0.2,
        "before the incident: {ratio} {p99}"
    );
    assert_eq!(
        errors_and_p99(&DemoFleet::generate(5, t0()), "checkout-api", recent, now),
        errors_and_p99(&fleet, "checkout-api", recent, now),
        "deterministic for the seed and the time"
    );
}

/// The points of each query over the last hour, by id.
fn last_hour(fleet: &DemoFleet, queries: &[MetricQuery]) -> Vec<(String, Vec<f64>)> {
    let now = fleet.now;
    let series = fleet
        .metric_data(queries, now - Duration::hours(1), now)
        .expect("metrics");
    series
        .into_iter()
        .map(|s| (s.id, s.points.into_iter().map(|(_, v)| v).collect()))
        .collect()
}

#[test]
fn queries_without_exactly_an_alb_metric_dimensions_answer_empty_series() {
    let fleet = DemoFleet::generate(1, t0());
    let (group, balancer) = group_dimensions(&fleet, PROD, "fraud-scorer");
    let (_, staging) = group_dimensions(&fleet, "staging", "checkout-api");
    let both = [
        ("TargetGroup", group.as_str()),
        ("LoadBalancer", balancer.as_str()),
    ];
    let unknown = "targetgroup/nope/0123456789abcdef";
    let queries = [
        elb_query(
            "only_group",
            "RequestCount",
            "Sum",
            &[("TargetGroup", &group)],
        ),
        elb_query(
            "wrong_balancer",
            "RequestCount",
            "Sum",
            &[("TargetGroup", &group), ("LoadBalancer", &staging)],
        ),
        elb_query(
            "unknown_group",
            "RequestCount",
            "Sum",
            &[("TargetGroup", unknown), ("LoadBalancer", &balancer)],
        ),
        elb_query("elb_per_group", "HTTPCode_ELB_5XX_Count", "Sum", &both),
        elb_query(
            "extra",
            "RequestCount",
            "Sum",
            &[
                ("TargetGroup", &group),
                ("LoadBalancer", &balancer),
                ("ClusterName", PROD),
            ],
        ),
        elb_query("unknown_metric", "ActiveConnectionCount", "Sum", &both),
    ];
    for (id, points) in last_hour(&fleet, &queries) {
        assert!(points.is_empty(), "{id}");
    }
    let mut network = elb_query("network", "RequestCount", "Sum", &both);
    network.namespace = "AWS/NetworkELB".to_string();
    assert!(last_hour(&fleet, &[network])[0].1.is_empty());
}

#[test]
fn alb_metrics_have_their_shapes() {
    let fleet = DemoFleet::generate(1, t0());
    let (group, balancer) = group_dimensions(&fleet, PROD, "fraud-scorer");
    let both = [
        ("TargetGroup", group.as_str()),
        ("LoadBalancer", balancer.as_str()),
    ];
    let queries = [
        elb_query("requests", "RequestCount", "Sum", &both),
        elb_query("average", "RequestCount", "Average", &both),
        elb_query("healthy", "HealthyHostCount", "Maximum", &both),
        elb_query("latency", "TargetResponseTime", "Average", &both),
        elb_query(
            "elb",
            "HTTPCode_ELB_5XX_Count",
            "Sum",
            &[("LoadBalancer", &balancer)],
        ),
    ];
    let series = last_hour(&fleet, &queries);
    let points = |id: &str| {
        let found = series.iter().find(|(i, _)| i == id);
        found.map(|(_, p)| p.clone()).unwrap_or_default()
    };
    let requests = points("requests");
    assert_eq!(requests.len(), 60, "one a minute");
    // fraud-scorer runs 8 tasks at 20-80 requests/s each, give or take the time of day.
    assert!(
        requests.iter().all(|n| (5_000.0..=60_000.0).contains(n)),
        "{requests:?}"
    );
    assert!(
        points("average").iter().all(|v| *v == 1.0),
        "ALB counts average to 1"
    );
    assert!(points("healthy").iter().all(|v| (7.0..=8.0).contains(v)));
    assert!(points("latency").iter().all(|v| (0.01..0.2).contains(v)));
    assert!(!points("elb").is_empty(), "the balancer's own 5xx");
}

#[test]
fn host_counts_now_agree_with_target_health() {
    let mut fleet = DemoFleet::generate(3, t0());
    run(&mut fleet, 12);
    let (group, balancer) = group_dimensions(&fleet, PROD, "ledger-sync");
    let both = [
        ("TargetGroup", group.as_str()),
        ("LoadBalancer", balancer.as_str()),
    ];
    let queries = [
        elb_query("healthy", "HealthyHostCount", "Maximum", &both),
        elb_query("unhealthy", "UnHealthyHostCount", "Maximum", &both),
    ];
    let now = fleet.now;
    let series = fleet
        .metric_data(&queries, now - Duration::minutes(30), now)
        .expect("metrics");
    let last = |i: usize| series[i].points.last().map(|(_, v)| *v);
    let counts = TargetCounts::of(&health(&fleet, PROD, "ledger-sync"));
    assert_eq!(last(0), Some(counts.healthy as f64));
    assert_eq!(last(1), Some(counts.unhealthy as f64));
}
