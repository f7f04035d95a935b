//! Building GetMetricData queries for many services and reading the answers back.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use crate::backend::metrics::{METRIC_QUERIES_MAX, MetricQuery, MetricSeries};
use crate::backend::{BackendError, MetricsBackend};
use crate::domain::metrics::{BalancerTarget, Range, ServiceDetail, Utilisation, UtilisationMap};

/// The lists' sparklines cover 30 minutes at one point a minute.
pub const LIST_WINDOW_MINUTES: i64 = 30;

fn query(id: String, metric: &str, dims: &[(&str, &str)], period: i32) -> MetricQuery {
    MetricQuery {
        id,
        namespace: "AWS/ECS".into(),
        metric: metric.into(),
        dimensions: dims
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        stat: "Average".into(),
        period_secs: period,
    }
}

/// Runs queries in batches of the API maximum: N queries cost ceil(N / 500) calls.
pub(super) async fn run(
    backend: &dyn MetricsBackend,
    queries: Vec<MetricQuery>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<HashMap<String, MetricSeries>, BackendError> {
    let mut out = HashMap::new();
    for batch in queries.chunks(METRIC_QUERIES_MAX) {
        for series in backend.get_metric_data(batch, start, end).await? {
            out.insert(series.id.clone(), series);
        }
    }
    Ok(out)
}

/// Ids must start with a lower-case letter: `c12` is CPU of item 12, `m12` its memory.
fn utilisation(answers: &mut HashMap<String, MetricSeries>, index: usize) -> Utilisation {
    let mut take = |prefix: &str| {
        answers
            .remove(&format!("{prefix}{index}"))
            .map(|s| s.points)
            .unwrap_or_default()
    };
    Utilisation {
        cpu: take("c"),
        memory: take("m"),
    }
}

/// CPU and memory of each item over the last 30 minutes; `dims` names an item's metrics.
async fn recent(
    backend: &dyn MetricsBackend,
    items: &[String],
    dims: impl Fn(&str) -> Vec<(&'static str, String)>,
    now: DateTime<Utc>,
) -> Result<UtilisationMap, BackendError> {
    let mut queries = Vec::with_capacity(items.len() * 2);
    for (i, item) in items.iter().enumerate() {
        let owned = dims(item);
        let dims: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
        queries.push(query(format!("c{i}"), "CPUUtilization", &dims, 60));
        queries.push(query(format!("m{i}"), "MemoryUtilization", &dims, 60));
    }
    let start = now - Duration::minutes(LIST_WINDOW_MINUTES);
    let mut answers = run(backend, queries, start, now).await?;
    Ok(items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.clone(), utilisation(&mut answers, i)))
        .collect())
}

/// CPU and memory of every named service of a cluster over the last 30 minutes.
pub async fn services(
    backend: &dyn MetricsBackend,
    cluster: &str,
    services: &[String],
    now: DateTime<Utc>,
) -> Result<UtilisationMap, BackendError> {
    let dims = |service: &str| {
        vec![
            ("ClusterName", cluster.to_string()),
            ("ServiceName", service.to_string()),
        ]
    };
    recent(backend, services, dims, now).await
}

/// CPU and memory of every named cluster over the last 30 minutes.
pub async fn clusters(
    backend: &dyn MetricsBackend,
    clusters: &[String],
    now: DateTime<Utc>,
) -> Result<UtilisationMap, BackendError> {
    recent(
        backend,
        clusters,
        |c| vec![("ClusterName", c.to_string())],
        now,
    )
    .await
}

/// The detail pane: the service over `range`, and per task (Container Insights) when on.
pub async fn service_detail(
    backend: &dyn MetricsBackend,
    cluster: &str,
    service: &str,
    range: Range,
    tasks: &[String],
    balancers: &[BalancerTarget],
    now: DateTime<Utc>,
) -> Result<ServiceDetail, BackendError> {
    let period = range.period();
    let dims = [("ClusterName", cluster), ("ServiceName", service)];
    let mut queries = vec![
        query("c0".into(), "CPUUtilization", &dims, period),
        query("m0".into(), "MemoryUtilization", &dims, period),
    ];
    for (i, task) in tasks.iter().enumerate() {
        let task_dims = [("ClusterName", cluster), ("TaskId", task.as_str())];
        let mut cpu = query(format!("tc{i}"), "CpuUtilized", &task_dims, period);
        let mut mem = query(format!("tm{i}"), "MemoryUtilized", &task_dims, period);
        cpu.namespace = "ECS/ContainerInsights".into();
        mem.namespace = "ECS/ContainerInsights".into();
        queries.push(cpu);
        queries.push(mem);
    }
    queries.extend(super::balancer_metrics::queries(balancers, period));
    let start = now - Duration::seconds(range.seconds());
    let mut answers = run(backend, queries, start, now).await?;
    let service_util = utilisation(&mut answers, 0);
    let mut per_task = Vec::new();
    for (i, task) in tasks.iter().enumerate() {
        let mut take = |p: &str| {
            answers
                .remove(&format!("{p}{i}"))
                .map(|s| s.points)
                .unwrap_or_default()
        };
        per_task.push((
            task.clone(),
            Utilisation {
                cpu: take("tc"),
                memory: take("tm"),
            },
        ));
    }
    Ok(ServiceDetail {
        service: service_util,
        tasks: per_task,
        balancers: super::balancer_metrics::answers(&mut answers, balancers),
    })
}

/// The metric alarms of the account (DescribeAlarms, all pages): those in ALARM, or all.
pub async fn alarms(
    backend: &dyn MetricsBackend,
    in_alarm: bool,
) -> Result<Vec<crate::backend::metrics::Alarm>, BackendError> {
    let mut out = Vec::new();
    let mut token = None;
    for _ in 0..1_000 {
        let page = backend.describe_alarms(in_alarm, token).await?;
        out.extend(page.alarms);
        match page.next_token {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => break,
        }
    }
    Ok(out)
}
