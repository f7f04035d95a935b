//! The CloudWatch backend over the wire against moto: what boto3 wrote with PutMetricData and
//! SetAlarmState is what ecsdeck reads with GetMetricData and DescribeAlarms.
//!
//! One moto server per test binary; every test uses its own cluster and alarm names, so tests
//! run in parallel without resetting moto.

use crate::support::{Moto, backend, moto};
use chrono::{Duration, Utc};
use ecsdeck::backend::ErrorKind;
use ecsdeck::backend::metrics::{METRIC_QUERIES_MAX, MetricQuery, MetricsBackend};

fn dims(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn query(id: &str, metric: &str, dimensions: &[(&str, &str)]) -> MetricQuery {
    MetricQuery {
        id: id.to_string(),
        namespace: "AWS/ECS".to_string(),
        metric: metric.to_string(),
        dimensions: dims(dimensions),
        stat: "Average".to_string(),
        period_secs: 60,
    }
}

fn put_metric(moto: &Moto, metric: &str, cluster: &str, service: &str, values: &[f64]) {
    let cluster_dim = format!("ClusterName={cluster}");
    let service_dim = format!("ServiceName={service}");
    let mut args: Vec<String> = [
        "put-metric",
        "--namespace",
        "AWS/ECS",
        "--metric",
        metric,
        "--dim",
        &cluster_dim,
        "--dim",
        &service_dim,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for value in values {
        args.push("--value".to_string());
        args.push(value.to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = moto.fixture(&args);
    assert_eq!(out["count"], values.len());
}

#[tokio::test]
async fn metric_data_written_with_boto3_comes_back_per_query_id() {
    let moto = moto();
    put_metric(
        moto,
        "CPUUtilization",
        "metrics-a",
        "api",
        &[42.5, 43.5, 44.5],
    );
    put_metric(moto, "CPUUtilization", "metrics-a", "worker", &[7.0, 8.0]);
    put_metric(moto, "MemoryUtilization", "metrics-a", "api", &[61.0]);
    let backend = backend(moto).await;

    let end = Utc::now() + Duration::minutes(1);
    let start = end - Duration::minutes(30);
    let queries = [
        query(
            "api_cpu",
            "CPUUtilization",
            &[("ClusterName", "metrics-a"), ("ServiceName", "api")],
        ),
        query(
            "worker_cpu",
            "CPUUtilization",
            &[("ClusterName", "metrics-a"), ("ServiceName", "worker")],
        ),
        query(
            "api_mem",
            "MemoryUtilization",
            &[("ClusterName", "metrics-a"), ("ServiceName", "api")],
        ),
        query(
            "nothing",
            "CPUUtilization",
            &[("ClusterName", "metrics-a"), ("ServiceName", "absent")],
        ),
    ];
    let series = backend
        .get_metric_data(&queries, start, end)
        .await
        .expect("GetMetricData");

    let values = |id: &str| -> Vec<f64> {
        let found = series
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("{id} missing from {series:?}"));
        let times: Vec<_> = found.points.iter().map(|(at, _)| *at).collect();
        let mut sorted = times.clone();
        sorted.sort();
        assert_eq!(times, sorted, "{id} is not ascending");
        found.points.iter().map(|(_, v)| *v).collect()
    };
    assert_eq!(values("api_cpu"), vec![42.5, 43.5, 44.5]);
    assert_eq!(values("worker_cpu"), vec![7.0, 8.0]);
    assert_eq!(values("api_mem"), vec![61.0]);
    assert!(values("nothing").is_empty());
}

#[tokio::test]
async fn more_than_500_queries_are_refused_without_a_call() {
    // No moto at all: a refused request must not reach the network.
    let nobody = format!("http://127.0.0.1:{}", crate::support::moto::free_port());
    let (backend, _) = crate::support::connect(&nobody).await;
    let queries: Vec<MetricQuery> = (0..=METRIC_QUERIES_MAX)
        .map(|i| query(&format!("q{i}"), "CPUUtilization", &[("ClusterName", "c")]))
        .collect();
    let end = Utc::now();
    let err = backend
        .get_metric_data(&queries, end - Duration::minutes(5), end)
        .await
        .expect_err("501 queries");
    assert_eq!(err.kind, ErrorKind::InvalidRequest, "{err:?}");
}

#[tokio::test]
async fn an_alarm_set_to_alarm_shows_its_state_reason_and_dimensions() {
    let moto = moto();
    let name = "metrics-b-api-cpu-high";
    moto.fixture(&[
        "put-alarm",
        "--name",
        name,
        "--namespace",
        "AWS/ECS",
        "--metric",
        "CPUUtilization",
        "--dim",
        "ClusterName=metrics-b",
        "--dim",
        "ServiceName=api",
        "--threshold",
        "90",
    ]);
    let reason = "Threshold Crossed: 1 datapoint [96.1 (21/11/26 06:10:00)] was greater than the threshold (90.0).";
    moto.fixture(&[
        "set-alarm-state",
        "--name",
        name,
        "--state",
        "ALARM",
        "--reason",
        reason,
    ]);
    let backend = backend(moto).await;

    let mut token = None;
    let mut alarms = Vec::new();
    loop {
        let page = backend
            .describe_alarms(false, token)
            .await
            .expect("DescribeAlarms");
        alarms.extend(page.alarms);
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    let alarm = alarms
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("{name} missing from {alarms:?}"));
    assert_eq!(alarm.state, "ALARM");
    assert_eq!(alarm.state_reason.as_deref(), Some(reason));
    assert!(alarm.state_updated.is_some());
    assert_eq!(alarm.namespace.as_deref(), Some("AWS/ECS"));
    assert_eq!(alarm.metric.as_deref(), Some("CPUUtilization"));
    assert_eq!(
        alarm.dimensions,
        dims(&[("ClusterName", "metrics-b"), ("ServiceName", "api")])
    );
}
