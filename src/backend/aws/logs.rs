//! The SDK's CloudWatch Logs backend. (Placeholder until the logs issue lands.)

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::AwsBackend;
use crate::backend::logs::{LiveTailRequest, LiveTailSession, LogEventsPage, LogsBackend};
use crate::backend::{BackendError, ErrorKind};

fn not_yet(operation: &'static str) -> BackendError {
    BackendError::new(ErrorKind::Other, operation, "not implemented yet")
}

#[async_trait]
impl LogsBackend for AwsBackend {
    async fn get_log_events(
        &self,
        _group: &str,
        _stream: &str,
        _start: Option<DateTime<Utc>>,
        _next_token: Option<String>,
    ) -> Result<LogEventsPage, BackendError> {
        Err(not_yet("GetLogEvents"))
    }

    async fn filter_log_events(
        &self,
        _group: &str,
        _streams: &[String],
        _start: DateTime<Utc>,
        _end: Option<DateTime<Utc>>,
        _next_token: Option<String>,
    ) -> Result<LogEventsPage, BackendError> {
        Err(not_yet("FilterLogEvents"))
    }

    async fn start_live_tail(
        &self,
        _request: &LiveTailRequest,
    ) -> Result<LiveTailSession, BackendError> {
        Err(not_yet("StartLiveTail"))
    }
}
