//! CloudWatch Logs operations, one method per AWS call, with AWS's limits.
//!
//! Budget facts (DESIGN.md): FilterLogEvents is limited to 5 TPS per account, GetLogEvents to
//! 25 TPS; StartLiveTail streams up to 500 events/s with ~1 s latency but is billed per
//! minute, so a session is closed as soon as nobody looks at it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::BackendError;

/// StartLiveTail accepts at most this many log groups...
pub const LIVE_TAIL_MAX_GROUPS: usize = 10;
/// ...and at most this many log stream names (or prefixes).
pub const LIVE_TAIL_MAX_STREAMS: usize = 100;
/// FilterLogEvents accepts at most this many stream names.
pub const FILTER_MAX_STREAMS: usize = 100;

/// One log line as CloudWatch Logs stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEvent {
    /// When the application wrote it (the event timestamp), millisecond precision.
    pub timestamp: DateTime<Utc>,
    /// When CloudWatch received it, when known.
    pub ingestion_time: Option<DateTime<Utc>>,
    pub group: String,
    pub stream: String,
    /// Untrusted text: may contain escape sequences. Never print it unescaped.
    pub message: String,
}

/// A page of events and the token to continue from (GetLogEvents' nextForwardToken, or
/// FilterLogEvents' nextToken).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogEventsPage {
    pub events: Vec<LogEvent>,
    pub next_token: Option<String>,
}

/// What a live tail session follows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveTailRequest {
    /// Log group names (at most [`LIVE_TAIL_MAX_GROUPS`]); the backend builds the ARNs
    /// StartLiveTail wants from `region` and `account`.
    pub groups: Vec<String>,
    pub region: String,
    pub account: String,
    /// Exact stream names (at most [`LIVE_TAIL_MAX_STREAMS`]); empty: every stream.
    pub streams: Vec<String>,
}

impl LiveTailRequest {
    /// StartLiveTail's own limits, checked before any call (AWS answers the same with an
    /// InvalidParameterException).
    pub fn validate(&self) -> Result<(), BackendError> {
        let invalid = |message: String| {
            BackendError::new(super::ErrorKind::InvalidRequest, "StartLiveTail", message)
        };
        if self.groups.is_empty() || self.groups.len() > LIVE_TAIL_MAX_GROUPS {
            return Err(invalid(format!(
                "logGroupIdentifiers must have 1 to {LIVE_TAIL_MAX_GROUPS} items."
            )));
        }
        if self.streams.len() > LIVE_TAIL_MAX_STREAMS {
            return Err(invalid(format!(
                "logStreamNames can have at most {LIVE_TAIL_MAX_STREAMS} items."
            )));
        }
        if !self.streams.is_empty() && self.groups.len() != 1 {
            return Err(invalid(
                "logStreamNames can only be used with a single log group.".to_string(),
            ));
        }
        Ok(())
    }
}

/// A running live tail. Batches of events arrive on `events` (an update about every second;
/// an empty batch is a heartbeat); the channel closes when the session ends (server side,
/// error, or after the last batch).
/// Dropping the session closes the stream, which stops the billing.
pub struct LiveTailSession {
    pub events: mpsc::Receiver<Result<Vec<LogEvent>, BackendError>>,
}

#[async_trait]
pub trait LogsBackend: Send + Sync {
    /// GetLogEvents on one stream, oldest first (`startFromHead`), from `start` or from
    /// `next_token` (a nextForwardToken from a previous page).
    async fn get_log_events(
        &self,
        group: &str,
        stream: &str,
        start: Option<DateTime<Utc>>,
        next_token: Option<String>,
    ) -> Result<LogEventsPage, BackendError>;

    /// FilterLogEvents over up to [`FILTER_MAX_STREAMS`] streams of one group, interleaved in
    /// time order, between `start` and `end` (None: now).
    async fn filter_log_events(
        &self,
        group: &str,
        streams: &[String],
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
        next_token: Option<String>,
    ) -> Result<LogEventsPage, BackendError>;

    /// StartLiveTail: opens a session; see [`LiveTailSession`].
    async fn start_live_tail(
        &self,
        request: &LiveTailRequest,
    ) -> Result<LiveTailSession, BackendError>;
}
