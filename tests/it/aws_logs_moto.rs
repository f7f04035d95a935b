//! The AWS backend's CloudWatch Logs calls over the wire against moto: what boto3 wrote with
//! PutLogEvents is what ecsdeck reads. Every test uses its own log group.

use std::time::Duration;

use crate::support::{Moto, backend, moto};
use ecsdeck::backend::logs::{LiveTailRequest, LogsBackend};
use ecsdeck::backend::{ErrorKind, logs::LogEvent};

/// moto's default account.
const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// PutLogEvents through boto3, 1 ms apart, the first `ago_ms` ago.
fn put_logs(moto: &Moto, group: &str, stream: &str, messages: &[&str], ago_ms: i64) {
    let mut args = vec![
        "put-logs".to_string(),
        "--group".into(),
        group.into(),
        "--stream".into(),
        stream.into(),
        "--ago-ms".into(),
        ago_ms.to_string(),
    ];
    for message in messages {
        args.push("--message".into());
        args.push((*message).into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = moto.fixture(&args);
    assert_eq!(out["count"], messages.len());
}

fn messages(events: &[LogEvent]) -> Vec<&str> {
    events.iter().map(|e| e.message.as_str()).collect()
}

#[tokio::test]
async fn get_log_events_reads_in_order_and_resumes_after_the_forward_token() {
    let moto = moto();
    let backend = backend(moto).await;
    let group = "/ecs/get-events";
    let stream = "ecs/app/0a1b2c";
    put_logs(moto, group, stream, &["one", "two", "three"], 10_000);

    let first = backend
        .get_log_events(group, stream, None, None)
        .await
        .expect("GetLogEvents");
    assert_eq!(messages(&first.events), ["one", "two", "three"]);
    assert!(
        first
            .events
            .iter()
            .all(|e| e.group == group && e.stream == stream)
    );
    assert!(
        first
            .events
            .windows(2)
            .all(|w| w[0].timestamp < w[1].timestamp)
    );
    assert!(first.events[0].ingestion_time.is_some());
    let token = first.next_token.clone().expect("a forward token");

    // Nothing new: no events, and a token that still resumes at the same place.
    let idle = backend
        .get_log_events(group, stream, None, Some(token.clone()))
        .await
        .expect("GetLogEvents with token");
    assert!(idle.events.is_empty(), "{:?}", idle.events);
    let token = idle.next_token.expect("a forward token");

    put_logs(moto, group, stream, &["four", "five"], 0);
    let next = backend
        .get_log_events(group, stream, None, Some(token))
        .await
        .expect("GetLogEvents with token");
    assert_eq!(messages(&next.events), ["four", "five"]);
}

#[tokio::test]
async fn get_log_events_honours_the_start_time() {
    let moto = moto();
    let backend = backend(moto).await;
    let group = "/ecs/get-start";
    let stream = "ecs/app/start";
    put_logs(moto, group, stream, &["old"], 60_000);
    put_logs(moto, group, stream, &["new"], 0);
    let since = chrono::Utc::now() - chrono::Duration::seconds(30);
    let page = backend
        .get_log_events(group, stream, Some(since), None)
        .await
        .expect("GetLogEvents");
    assert_eq!(messages(&page.events), ["new"]);
}

#[tokio::test]
async fn filter_log_events_interleaves_streams_in_time_order() {
    let moto = moto();
    let backend = backend(moto).await;
    let group = "/ecs/filter-interleave";
    // a1 a2 a3 at -10 s, b1 b2 at -5 s, a4 now: interleaved by time, not by stream.
    put_logs(moto, group, "ecs/app/a", &["a1", "a2", "a3"], 10_000);
    put_logs(moto, group, "ecs/app/b", &["b1", "b2"], 5_000);
    put_logs(moto, group, "ecs/app/a", &["a4"], 0);
    let streams = vec!["ecs/app/a".to_string(), "ecs/app/b".to_string()];
    let start = chrono::Utc::now() - chrono::Duration::minutes(5);
    let page = backend
        .filter_log_events(group, &streams, start, None, None)
        .await
        .expect("FilterLogEvents");
    assert_eq!(messages(&page.events), ["a1", "a2", "a3", "b1", "b2", "a4"]);
    let stream_of = |m: &str| {
        page.events
            .iter()
            .find(|e| e.message == m)
            .map(|e| e.stream.clone())
    };
    assert_eq!(stream_of("b1").as_deref(), Some("ecs/app/b"));
    assert_eq!(stream_of("a4").as_deref(), Some("ecs/app/a"));
    assert!(
        page.events
            .windows(2)
            .all(|w| w[0].timestamp <= w[1].timestamp)
    );

    let only_b = backend
        .filter_log_events(group, &streams[1..], start, None, None)
        .await
        .expect("FilterLogEvents");
    assert_eq!(messages(&only_b.events), ["b1", "b2"]);
}

#[tokio::test]
async fn live_tail_returns_the_snapshot_then_closes() {
    let _shared = moto(); // the AWS environment
    let dedicated = Moto::dedicated();
    let moto = &dedicated;
    let backend = backend(moto).await;
    let group = "/ecs/live-tail";
    put_logs(moto, group, "ecs/app/x", &["hello", "world"], 1_000);
    let request = LiveTailRequest {
        groups: vec![group.to_string()],
        region: REGION.to_string(),
        account: ACCOUNT.to_string(),
        streams: Vec::new(),
    };
    // Reaching moto at all proves the `stream-` host prefix was stripped.
    let mut session = backend
        .start_live_tail(&request)
        .await
        .expect("StartLiveTail");
    // Collect until the session ends; empty batches are heartbeats.
    let mut ours: Vec<LogEvent> = Vec::new();
    loop {
        let next = tokio::time::timeout(Duration::from_secs(10), session.events.recv())
            .await
            .expect("a batch or the end within 10 s");
        let Some(batch) = next else {
            break;
        };
        let batch = batch.expect("no error");
        ours.extend(batch);
    }
    assert_eq!(messages(&ours), ["hello", "world"]);
    assert!(
        ours.iter()
            .all(|e| e.group == group && e.stream == "ecs/app/x")
    );
}

#[tokio::test]
async fn unknown_groups_and_streams_are_not_found() {
    let moto = moto();
    let backend = backend(moto).await;
    let err = backend
        .get_log_events("/ecs/no-such-group", "s", None, None)
        .await
        .expect_err("no such group");
    assert_eq!(err.kind, ErrorKind::NotFound, "{err:?}");
    let err = backend
        .filter_log_events(
            "/ecs/no-such-group",
            &[],
            chrono::Utc::now() - chrono::Duration::minutes(1),
            None,
            None,
        )
        .await
        .expect_err("no such group");
    assert_eq!(err.kind, ErrorKind::NotFound, "{err:?}");

    put_logs(moto, "/ecs/known-group", "ecs/app/known", &["x"], 0);
    let err = backend
        .get_log_events("/ecs/known-group", "ecs/app/missing", None, None)
        .await
        .expect_err("no such stream");
    assert_eq!(err.kind, ErrorKind::NotFound, "{err:?}");
}

#[tokio::test]
async fn too_many_streams_are_refused_before_any_call() {
    let moto = moto();
    let backend = backend(moto).await;
    let streams: Vec<String> = (0..101).map(|i| format!("s{i}")).collect();
    let err = backend
        .filter_log_events("/ecs/any", &streams, chrono::Utc::now(), None, None)
        .await
        .expect_err("101 streams");
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
    let request = LiveTailRequest {
        groups: (0..11).map(|i| format!("/ecs/g{i}")).collect(),
        region: REGION.into(),
        account: ACCOUNT.into(),
        streams: Vec::new(),
    };
    let err = backend
        .start_live_tail(&request)
        .await
        .err()
        .expect("11 groups");
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
}
