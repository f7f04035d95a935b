//! The SDK's CloudWatch metrics backend. (Placeholder until the metrics issue lands.)

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::AwsBackend;
use crate::backend::metrics::{AlarmPage, MetricQuery, MetricSeries, MetricsBackend};
use crate::backend::{BackendError, ErrorKind};

fn not_yet(operation: &'static str) -> BackendError {
    BackendError::new(ErrorKind::Other, operation, "not implemented yet")
}

#[async_trait]
impl MetricsBackend for AwsBackend {
    async fn get_metric_data(
        &self,
        _queries: &[MetricQuery],
        _start: DateTime<Utc>,
        _end: DateTime<Utc>,
    ) -> Result<Vec<MetricSeries>, BackendError> {
        Err(not_yet("GetMetricData"))
    }

    async fn describe_alarms(
        &self,
        _next_token: Option<String>,
    ) -> Result<AlarmPage, BackendError> {
        Err(not_yet("DescribeAlarms"))
    }
}
