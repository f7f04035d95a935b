//! The demo's CloudWatch Logs: realistic content, determinism, AWS's paging, tokens and
//! limits, and live tail sessions that end when nobody listens.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::logs::{LIVE_TAIL_MAX_EVENTS, PAGE_MAX, window};
use super::{DemoBackend, DemoFleet};
use crate::backend::ErrorKind;
use crate::backend::logs::{LiveTailRequest, LogEvent, LogsBackend};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 3, 0, 0).unwrap()
}

fn fleet() -> DemoFleet {
    DemoFleet::generate(7, now())
}

fn backend() -> DemoBackend {
    DemoBackend::from_fleet(fleet())
}

/// The last `secs` seconds of every stream.
fn recent(fleet: &DemoFleet, secs: i64) -> Vec<LogEvent> {
    let specs = fleet.log_streams();
    let until = fleet.now.timestamp_millis();
    window(&specs, until - secs * 1000, until, usize::MAX)
}

#[test]
fn streams_follow_the_awslogs_naming() {
    let specs = fleet().log_streams();
    assert!(specs.len() > 20, "{}", specs.len());
    for spec in &specs {
        assert!(spec.group.starts_with("/ecs/"), "{}", spec.group);
        let parts: Vec<&str> = spec.name.split('/').collect();
        assert_eq!(parts.len(), 3, "{}", spec.name);
        assert_eq!(parts[2].len(), 32, "{}", spec.name);
    }
}

#[test]
fn content_is_realistic() {
    let events = recent(&fleet(), 120);
    let has = |pred: &dyn Fn(&str) -> bool| events.iter().any(|e| pred(&e.message));
    assert!(has(&|m| m.starts_with("GET /") && m.contains("request_id=")));
    assert!(has(&|m| m.starts_with("{\"level\":\"info\"")
        && serde_json::from_str::<serde_json::Value>(m).is_ok()));
    assert!(has(
        &|m| m.starts_with("WARN ") || m.contains("\"level\":\"warn\"")
    ));
    assert!(has(
        &|m| m.starts_with("\tat ") || m == "Traceback (most recent call last):"
    ));
    assert!(has(&|m| m.contains("\x1b[31m")), "an ANSI-coloured line");
    // The failing rollout bursts errors: some second holds 30+ events of one stream.
    let mut per_second: BTreeMap<(&str, i64), usize> = BTreeMap::new();
    for e in &events {
        *per_second
            .entry((e.stream.as_str(), e.timestamp.timestamp()))
            .or_default() += 1;
    }
    assert!(per_second.values().any(|n| *n >= 30));
    assert!(per_second.values().all(|n| *n <= 60));
    // A few lines per second per stream on average, not hundreds.
    let streams = events
        .iter()
        .map(|e| &e.stream)
        .collect::<std::collections::BTreeSet<_>>();
    let rate = events.len() as f64 / 120.0 / streams.len() as f64;
    assert!((0.3..10.0).contains(&rate), "{rate}");
}

#[test]
fn lifecycle_lines_are_written() {
    let specs = fleet().log_streams();
    let around = |spec: &super::loggen::StreamSpec, sec: i64| {
        window(
            std::slice::from_ref(spec),
            sec * 1000 - 1,
            sec * 1000 + 999,
            usize::MAX,
        )
    };
    let mut lines = Vec::new();
    for spec in &specs {
        lines.extend(around(spec, spec.first_sec));
        if let Some(last) = spec.last_sec {
            lines.extend(around(spec, last));
        }
    }
    let has = |needle: &str| lines.iter().any(|e| e.message.contains(needle));
    assert!(has("Starting "));
    assert!(has("Received SIGTERM"));
    assert!(has("OutOfMemoryError"), "the crash loop is OOM-killed");
}

#[test]
fn the_failing_release_answers_its_health_checks_with_503() {
    let specs = fleet().log_streams();
    let failing: Vec<_> = specs.iter().filter(|s| s.failing_checks).collect();
    assert!(!failing.is_empty());
    assert!(failing.iter().all(|s| s.service == "ledger-sync"));
    let lines: Vec<LogEvent> = failing
        .iter()
        .flat_map(|spec| {
            let end = spec.last_sec.unwrap_or(spec.first_sec + 120);
            window(
                std::slice::from_ref(*spec),
                spec.first_sec * 1000,
                end * 1000 + 999,
                usize::MAX,
            )
        })
        .collect();
    let checks = lines
        .iter()
        .filter(|e| e.message.contains("503") && e.message.contains("ELB-HealthChecker/2.0"))
        .count();
    assert!(
        checks >= 3,
        "{checks} failed checks in {} lines",
        lines.len()
    );
    assert!(
        lines.iter().any(|e| e.message.contains("Received SIGTERM")),
        "ECS stops it with SIGTERM"
    );
}

#[test]
fn logs_are_deterministic() {
    assert_eq!(recent(&fleet(), 20), recent(&fleet(), 20));
    let other = DemoFleet::generate(8, now());
    assert_ne!(recent(&fleet(), 20), recent(&other, 20));
}

fn busiest_stream(fleet: &DemoFleet) -> (String, String) {
    let events = recent(fleet, 20);
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for e in events {
        *counts.entry((e.group, e.stream)).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(_, n)| *n).unwrap().0
}

#[tokio::test]
async fn get_log_events_pages_without_duplicates_and_repeats_the_token_when_idle() {
    let backend = backend();
    let (group, stream) = busiest_stream(&fleet());
    let start = now() - Duration::minutes(30);
    let mut token = None;
    let mut all: Vec<LogEvent> = Vec::new();
    let mut pages = 0;
    loop {
        let page = backend
            .get_log_events(&group, &stream, Some(start), token.clone())
            .await
            .unwrap();
        assert!(page.events.len() <= PAGE_MAX);
        pages += 1;
        let next = page
            .next_token
            .clone()
            .expect("GetLogEvents always has a token");
        if page.events.is_empty() {
            assert_eq!(Some(next), token, "same token when nothing is new");
            break;
        }
        all.extend(page.events);
        token = Some(next);
        assert!(pages < 100);
    }
    assert!(pages > 2, "{pages} pages");
    assert!(all.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));
    let expected = window(
        &fleet()
            .log_streams()
            .into_iter()
            .filter(|s| s.name == stream)
            .collect::<Vec<_>>(),
        start.timestamp_millis() - 1,
        now().timestamp_millis(),
        usize::MAX,
    );
    assert_eq!(all, expected, "every event exactly once, in order");
    assert!(all.iter().all(|e| e.group == group && e.stream == stream));
}

#[tokio::test]
async fn filter_log_events_interleaves_and_pages() {
    let backend = backend();
    let fleet = fleet();
    let (group, _) = busiest_stream(&fleet);
    let streams: Vec<String> = fleet
        .log_streams()
        .into_iter()
        .filter(|s| s.group == group)
        .map(|s| s.name)
        .take(100)
        .collect();
    assert!(streams.len() > 1);
    let start = now() - Duration::minutes(10);
    let mut token = None;
    let mut all: Vec<LogEvent> = Vec::new();
    loop {
        let page = backend
            .filter_log_events(&group, &streams, start, None, token)
            .await
            .unwrap();
        assert!(page.events.len() <= PAGE_MAX);
        all.extend(page.events);
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert!(all.len() > PAGE_MAX, "{}", all.len());
    assert!(all.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));
    let distinct: std::collections::BTreeSet<_> = all.iter().map(|e| &e.stream).collect();
    assert!(distinct.len() > 1);
    let mut keys: Vec<_> = all
        .iter()
        .map(|e| (e.timestamp, e.stream.clone(), e.message.clone()))
        .collect();
    let before = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), before, "no duplicates across pages");
}

#[tokio::test]
async fn limits_and_unknown_names_are_refused_as_aws_does() {
    let backend = backend();
    let (group, _) = busiest_stream(&fleet());
    let too_many: Vec<String> = (0..101).map(|i| format!("s{i}")).collect();
    let err = backend
        .filter_log_events(&group, &too_many, now(), None, None)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidRequest);

    let err = backend
        .get_log_events("/ecs/nope", "x", None, None)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert_eq!(err.message, "The specified log group does not exist.");
    let err = backend
        .get_log_events(&group, "ecs/app/nope", None, None)
        .await
        .unwrap_err();
    assert_eq!(err.message, "The specified log stream does not exist.");
    let err = backend
        .get_log_events(&group, "x", None, Some("garbage".into()))
        .await
        .unwrap_err();
    assert!(matches!(
        err.kind,
        ErrorKind::NotFound | ErrorKind::InvalidRequest
    ));

    let request = |groups: Vec<String>, streams: Vec<String>| LiveTailRequest {
        groups,
        region: "eu-west-1".into(),
        account: "123456789012".into(),
        streams,
    };
    let eleven = (0..11).map(|_| group.clone()).collect();
    let err = backend
        .start_live_tail(&request(eleven, vec![]))
        .await
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
    let err = backend
        .start_live_tail(&request(vec![group.clone()], too_many))
        .await
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
    let err = backend
        .start_live_tail(&request(vec!["/ecs/nope".into()], vec![]))
        .await
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::NotFound);
}

#[tokio::test(start_paused = true)]
async fn live_tail_sends_batches_and_stops_when_dropped() {
    let backend = backend();
    let (group, _) = busiest_stream(&fleet());
    let mut session = backend
        .start_live_tail(&LiveTailRequest {
            groups: vec![group.clone()],
            region: "eu-west-1".into(),
            account: "123456789012".into(),
            streams: vec![],
        })
        .await
        .unwrap();
    let mut last = None;
    for _ in 0..3 {
        let batch = session.events.recv().await.unwrap().unwrap();
        assert!(!batch.is_empty() && batch.len() <= LIVE_TAIL_MAX_EVENTS);
        assert!(batch.iter().all(|e| e.group == group));
        assert!(batch.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));
        if let Some(last) = last {
            assert!(batch[0].timestamp >= last, "batches follow each other");
        }
        last = batch.last().map(|e| e.timestamp);
    }
    // The session's task holds the fleet; dropping the receiver ends it.
    assert_eq!(Arc::strong_count(&backend.state), 2);
    drop(session);
    for _ in 0..50 {
        if Arc::strong_count(&backend.state) == 1 {
            return;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    panic!("the live tail task outlived its receiver");
}

#[tokio::test(start_paused = true)]
async fn live_tail_ends_after_the_maximum_session_length() {
    let backend = backend();
    let (group, stream) = busiest_stream(&fleet());
    let mut session = backend
        .start_live_tail(&LiveTailRequest {
            groups: vec![group],
            region: "eu-west-1".into(),
            account: "123456789012".into(),
            streams: vec![stream],
        })
        .await
        .unwrap();
    // Skip ahead almost three hours, then drain: the channel must close.
    tokio::time::advance(StdDuration::from_secs(3 * 3600 - 5)).await;
    let mut batches = 0;
    while let Some(batch) = session.events.recv().await {
        batch.unwrap();
        batches += 1;
        assert!(batches < 100);
    }
}
