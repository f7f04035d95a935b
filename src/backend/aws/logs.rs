//! The SDK's CloudWatch Logs backend: GetLogEvents, FilterLogEvents and StartLiveTail.
//!
//! StartLiveTail answers with an event stream; a tokio task reads it and forwards the
//! batches, and stops (dropping the stream, which ends the billed session) as soon as the
//! receiving [`LiveTailSession`] is dropped.

use async_trait::async_trait;
use aws_sdk_cloudwatchlogs::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_cloudwatchlogs::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_cloudwatchlogs::error::{BoxError, ProvideErrorMetadata, SdkError};
use aws_sdk_cloudwatchlogs::operation::start_live_tail::StartLiveTailOutput;
use aws_sdk_cloudwatchlogs::types::{LiveTailSessionLogEvent, StartLiveTailResponseStream};
use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::AwsBackend;
use super::errors::{CallContext, classify, classify_service};
use crate::backend::logs::{
    FILTER_MAX_STREAMS, LiveTailRequest, LiveTailSession, LogEvent, LogEventsPage, LogsBackend,
};
use crate::backend::{BackendError, ErrorKind};

/// Events per GetLogEvents / FilterLogEvents page. AWS allows 10,000 (1 MB); 1,000 keeps one
/// answer small enough to render at once.
const PAGE_LIMIT: i32 = 1_000;
/// Batches buffered between the reading task and the UI; a slow UI makes the reader wait
/// (AWS keeps at most 500 events/s per session anyway).
const LIVE_TAIL_CHANNEL: usize = 16;

/// The Logs client for `config`. Against a local endpoint (moto, LocalStack) the interceptor
/// undoes the `stream-` host prefix StartLiveTail adds, which cannot resolve for an IP.
pub(super) fn client(config: &aws_config::SdkConfig) -> aws_sdk_cloudwatchlogs::Client {
    let mut builder = aws_sdk_cloudwatchlogs::config::Builder::from(config);
    if config.endpoint_url().is_some_and(is_local_endpoint) {
        builder = builder.interceptor(StripStreamHostPrefix);
    }
    aws_sdk_cloudwatchlogs::Client::from_conf(builder.build())
}

/// The host of `url` when it has one (`scheme://host[:port]/...`).
fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split_once(']').map(|(host, _)| host);
    }
    Some(authority.split(':').next().unwrap_or(authority))
}

/// An IP address or `localhost`: an emulator, never a real AWS host.
fn is_local_endpoint(url: &str) -> bool {
    let Some(host) = host_of(url) else {
        return false;
    };
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok()
}

/// `url` with a leading `stream-` removed from its host when what remains is a local host
/// (see [`is_local_endpoint`]); `None` when nothing is to change.
fn strip_stream_prefix(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let tail = rest.strip_prefix("stream-")?;
    let stripped = format!("{scheme}://{tail}");
    is_local_endpoint(&stripped).then_some(stripped)
}

/// Rewrites `stream-127.0.0.1` back to `127.0.0.1` before the request is signed.
#[derive(Debug)]
struct StripStreamHostPrefix;

impl Intercept for StripStreamHostPrefix {
    fn name(&self) -> &'static str {
        "StripStreamHostPrefix"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        if let Some(uri) = strip_stream_prefix(request.uri()) {
            request.set_uri(uri)?;
            // The Host header, if already set, must agree with the URI.
            if let Some(host) = host_header(request.uri())
                && request.headers().contains_key("host")
            {
                request.headers_mut().insert("host", host);
            }
        }
        Ok(())
    }
}

/// `host[:port]` of a URL, as the Host header carries it.
fn host_header(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    rest.split(['/', '?', '#']).next().map(str::to_string)
}

/// The ARN StartLiveTail wants for a log group.
pub(crate) fn log_group_arn(region: &str, account: &str, group: &str) -> String {
    format!("arn:aws:logs:{region}:{account}:log-group:{group}")
}

fn time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.and_then(DateTime::from_timestamp_millis)
}

fn event(
    group: &str,
    stream: &str,
    timestamp: Option<i64>,
    ingestion: Option<i64>,
    message: Option<&str>,
) -> LogEvent {
    LogEvent {
        timestamp: time(timestamp).unwrap_or(DateTime::UNIX_EPOCH),
        ingestion_time: time(ingestion),
        group: group.to_string(),
        stream: stream.to_string(),
        message: message.unwrap_or_default().to_string(),
    }
}

/// A log group ARN's name (`...:log-group:NAME[:*]`), or the identifier as given.
fn group_name(identifier: &str) -> &str {
    match identifier.split_once(":log-group:") {
        Some((_, name)) => name.strip_suffix(":*").unwrap_or(name),
        None => identifier,
    }
}

fn live_event(e: &LiveTailSessionLogEvent) -> LogEvent {
    event(
        group_name(e.log_group_identifier().unwrap_or_default()),
        e.log_stream_name().unwrap_or_default(),
        e.timestamp(),
        e.ingestion_time(),
        e.message(),
    )
}

fn invalid(operation: &'static str, message: String) -> BackendError {
    BackendError::new(ErrorKind::InvalidRequest, operation, message)
}

impl AwsBackend {
    fn logs_ctx(&self) -> CallContext<'_> {
        CallContext {
            cluster: None,
            endpoint: &self.endpoint_label,
        }
    }
}

#[async_trait]
impl LogsBackend for AwsBackend {
    async fn get_log_events(
        &self,
        group: &str,
        stream: &str,
        start: Option<DateTime<Utc>>,
        next_token: Option<String>,
    ) -> Result<LogEventsPage, BackendError> {
        let out = self
            .logs
            .get_log_events()
            .log_group_name(group)
            .log_stream_name(stream)
            .start_from_head(true)
            .set_start_time(start.map(|t| t.timestamp_millis()))
            .set_next_token(next_token)
            .limit(PAGE_LIMIT)
            .send()
            .await
            .map_err(|e| classify("GetLogEvents", &e, self.logs_ctx()))?;
        Ok(LogEventsPage {
            events: out
                .events()
                .iter()
                .map(|e| {
                    event(
                        group,
                        stream,
                        e.timestamp(),
                        e.ingestion_time(),
                        e.message(),
                    )
                })
                .collect(),
            next_token: out.next_forward_token().map(str::to_string),
        })
    }

    async fn filter_log_events(
        &self,
        group: &str,
        streams: &[String],
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
        next_token: Option<String>,
    ) -> Result<LogEventsPage, BackendError> {
        if streams.len() > FILTER_MAX_STREAMS {
            return Err(invalid(
                "FilterLogEvents",
                format!("logStreamNames can have at most {FILTER_MAX_STREAMS} items."),
            ));
        }
        // AWS ignores `interleaved` (always true since 2019); moto interleaves only when it
        // is sent, so send it.
        #[allow(deprecated)]
        let request = self.logs.filter_log_events().interleaved(true);
        let out = request
            .log_group_name(group)
            .set_log_stream_names((!streams.is_empty()).then(|| streams.to_vec()))
            .start_time(start.timestamp_millis())
            .set_end_time(end.map(|t| t.timestamp_millis()))
            .set_next_token(next_token)
            .limit(PAGE_LIMIT)
            .send()
            .await
            .map_err(|e| classify("FilterLogEvents", &e, self.logs_ctx()))?;
        Ok(LogEventsPage {
            events: out
                .events()
                .iter()
                .map(|e| {
                    event(
                        group,
                        e.log_stream_name().unwrap_or_default(),
                        e.timestamp(),
                        e.ingestion_time(),
                        e.message(),
                    )
                })
                .collect(),
            next_token: out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        })
    }

    async fn start_live_tail(
        &self,
        request: &LiveTailRequest,
    ) -> Result<LiveTailSession, BackendError> {
        const OP: &str = "StartLiveTail";
        request.validate()?;
        let arns = request
            .groups
            .iter()
            .map(|g| log_group_arn(&request.region, &request.account, g))
            .collect();
        let out = self
            .logs
            .start_live_tail()
            .set_log_group_identifiers(Some(arns))
            .set_log_stream_names((!request.streams.is_empty()).then(|| request.streams.clone()))
            .send()
            .await
            .map_err(|e| classify(OP, &e, self.logs_ctx()))?;
        let (tx, rx) = mpsc::channel(LIVE_TAIL_CHANNEL);
        tokio::spawn(forward_live_tail(out, tx));
        Ok(LiveTailSession { events: rx })
    }
}

/// Unreadable messages in a row after which the live tail stream counts as broken.
const MAX_UNREADABLE_IN_A_ROW: usize = 10;

/// Reads the event stream until it ends, fails, or the receiver goes away. Returning drops
/// the stream, which closes the connection and so the session.
async fn forward_live_tail(
    mut output: StartLiveTailOutput,
    tx: mpsc::Sender<Result<Vec<LogEvent>, BackendError>>,
) {
    // A message that cannot be decoded is one bad event, not a dead stream: it is reported
    // (and skipped) and the stream read on; only a run of them means the stream is broken.
    let mut unreadable_in_a_row = 0;
    loop {
        let next = tokio::select! {
            _ = tx.closed() => return,
            next = output.response_stream.recv() => next,
        };
        let batch = match next {
            Ok(Some(StartLiveTailResponseStream::SessionUpdate(update))) => {
                // Empty updates are heartbeats: passed on (the tailer's liveness watchdog
                // counts them), never drawn.
                Ok(update.session_results().iter().map(live_event).collect())
            }
            Ok(Some(_)) => continue,
            Ok(None) => return,
            Err(SdkError::ResponseError(_)) if unreadable_in_a_row < MAX_UNREADABLE_IN_A_ROW => {
                unreadable_in_a_row += 1;
                let e = BackendError::new(
                    ErrorKind::Malformed,
                    "StartLiveTail",
                    "a live tail event could not be read and was skipped",
                );
                if tx.send(Err(e)).await.is_err() {
                    return;
                }
                continue;
            }
            Err(err) => {
                let e = match err.as_service_error() {
                    Some(service) => classify_service(
                        "StartLiveTail",
                        service.code(),
                        service.message(),
                        200,
                        CallContext::default(),
                    ),
                    None => BackendError::new(
                        ErrorKind::Unreachable,
                        "StartLiveTail",
                        format!("the live tail stream broke: {err}"),
                    ),
                };
                let _ = tx.send(Err(e)).await;
                return;
            }
        };
        unreadable_in_a_row = 0;
        if tx.send(batch).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_group_arns_follow_the_logs_format() {
        assert_eq!(
            log_group_arn("eu-west-1", "123456789012", "/ecs/checkout-api"),
            "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/checkout-api"
        );
        assert_eq!(
            group_name("arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/x:*"),
            "/ecs/x"
        );
        assert_eq!(
            group_name("arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/x"),
            "/ecs/x"
        );
        assert_eq!(group_name("/ecs/x"), "/ecs/x");
    }

    #[test]
    fn only_local_endpoints_count_as_local() {
        assert!(is_local_endpoint("http://127.0.0.1:5000"));
        assert!(is_local_endpoint("http://localhost:4566/"));
        assert!(is_local_endpoint("http://[::1]:5000"));
        assert!(is_local_endpoint("http://10.0.0.7"));
        assert!(!is_local_endpoint("https://logs.eu-west-1.amazonaws.com"));
        assert!(!is_local_endpoint(
            "https://vpce-123.logs.eu-west-1.vpce.amazonaws.com"
        ));
        assert!(!is_local_endpoint("https://127.0.0.1.example.com"));
    }

    #[test]
    fn the_stream_prefix_is_stripped_only_from_local_hosts() {
        assert_eq!(
            strip_stream_prefix("http://stream-127.0.0.1:5000/").as_deref(),
            Some("http://127.0.0.1:5000/")
        );
        assert_eq!(
            strip_stream_prefix("http://stream-localhost:4566").as_deref(),
            Some("http://localhost:4566")
        );
        assert_eq!(strip_stream_prefix("http://127.0.0.1:5000/"), None);
        assert_eq!(
            strip_stream_prefix("https://stream-logs.eu-west-1.amazonaws.com/"),
            None
        );
        assert_eq!(
            host_header("http://127.0.0.1:5000/").as_deref(),
            Some("127.0.0.1:5000")
        );
    }

    #[test]
    fn the_interceptor_is_installed_only_for_local_endpoints() {
        let local = aws_config::SdkConfig::builder()
            .endpoint_url("http://127.0.0.1:5000")
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        let count = |client: &aws_sdk_cloudwatchlogs::Client| {
            client
                .config()
                .interceptors()
                .filter(|i| format!("{i:?}").contains("StripStreamHostPrefix"))
                .count()
        };
        assert_eq!(count(&client(&local)), 1);
        let real = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        assert_eq!(count(&client(&real)), 0);
    }
}
