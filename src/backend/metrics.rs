//! CloudWatch metrics and alarms, one method per AWS call, with AWS's limits.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::BackendError;

/// GetMetricData accepts at most this many queries per call.
pub const METRIC_QUERIES_MAX: usize = 500;

/// One metric to fetch: `id` ties the answer to the question (ids must be unique in a call
/// and start with a lower-case letter).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MetricQuery {
    pub id: String,
    /// `AWS/ECS`, `ECS/ContainerInsights`.
    pub namespace: String,
    /// `CPUUtilization`, `MemoryUtilization`, `CpuUtilized`, ...
    pub metric: String,
    /// Name/value pairs, e.g. ClusterName=prod, ServiceName=api.
    pub dimensions: Vec<(String, String)>,
    /// `Average`, `Maximum`, ...
    pub stat: String,
    pub period_secs: i32,
}

/// The answer to one query: points in ascending time order (possibly none).
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSeries {
    pub id: String,
    pub points: Vec<(DateTime<Utc>, f64)>,
}

/// A CloudWatch metric alarm and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    pub name: String,
    /// OK, ALARM or INSUFFICIENT_DATA.
    pub state: String,
    pub state_reason: Option<String>,
    pub state_updated: Option<DateTime<Utc>>,
    pub namespace: Option<String>,
    pub metric: Option<String>,
    pub dimensions: Vec<(String, String)>,
}

/// A page of alarms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlarmPage {
    pub alarms: Vec<Alarm>,
    pub next_token: Option<String>,
}

#[async_trait]
pub trait MetricsBackend: Send + Sync {
    /// GetMetricData for at most [`METRIC_QUERIES_MAX`] queries between `start` and `end`
    /// (one call; the backend follows GetMetricData's own NextToken if the answer is split).
    async fn get_metric_data(
        &self,
        queries: &[MetricQuery],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<MetricSeries>, BackendError>;

    /// DescribeAlarms (metric alarms), one page of at most 100; with `in_alarm`, only those in
    /// ALARM (`StateValue=ALARM`): what the lists and triage poll, a page or none on an
    /// account of thousands of alarms at rest.
    async fn describe_alarms(
        &self,
        in_alarm: bool,
        next_token: Option<String>,
    ) -> Result<AlarmPage, BackendError>;
}
