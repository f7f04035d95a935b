//! The tailer on fake log streams: back-fill, live tail sessions that end and reconnect
//! (with overlapping events, as a gap fill produces), switching to polling, and the polling
//! request rate — measured on tokio's paused clock, not wall time.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, watch};

use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::logs::{LiveTailRequest, LiveTailSession, LogEvent, LogEventsPage};
use ecsdeck::backend::{BackendError, ErrorKind, LogsBackend};
use ecsdeck::logs::{LogBuffer, LogFocus, StreamRef, TailState, Transport};
use ecsdeck::msg::Msg;

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_795_000_000 + secs, 0).unwrap_or_default()
}

fn event(secs: i64, message: &str) -> LogEvent {
    LogEvent {
        timestamp: at(secs),
        ingestion_time: None,
        group: "/ecs/api".into(),
        stream: "ecs/app/0f3a9c1b2d4e".into(),
        message: message.into(),
    }
}

/// Each live tail session sends its scripted batches, then ends (as moto's does, and as AWS's
/// does after 3 hours or on a network error). FilterLogEvents returns everything up to now.
struct FakeLogs {
    sessions: Mutex<VecDeque<Vec<Vec<LogEvent>>>>,
    history: Vec<LogEvent>,
    live_refused: bool,
    /// After its batches a session stays open and says nothing (a dead connection), or sends
    /// a heartbeat every second.
    after_batches: AfterBatches,
}

#[derive(Clone, Copy, PartialEq)]
enum AfterBatches {
    End,
    Silence,
    Heartbeats,
}

#[async_trait]
impl LogsBackend for FakeLogs {
    async fn get_log_events(
        &self,
        _: &str,
        _: &str,
        _: Option<DateTime<Utc>>,
        _: Option<String>,
    ) -> Result<LogEventsPage, BackendError> {
        Ok(LogEventsPage::default())
    }

    async fn filter_log_events(
        &self,
        _: &str,
        _: &[String],
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
        _: Option<String>,
    ) -> Result<LogEventsPage, BackendError> {
        let events: Vec<LogEvent> = self
            .history
            .iter()
            .filter(|e| e.timestamp >= start && end.is_none_or(|end| e.timestamp < end))
            .cloned()
            .collect();
        // An "<unreadable>" event fails the whole page, as the SDK does with a bad record.
        if events.iter().any(|e| e.message == "<unreadable>") {
            return Err(BackendError::new(
                ErrorKind::Malformed,
                "FilterLogEvents",
                "failed to parse the response",
            ));
        }
        Ok(LogEventsPage {
            events,
            next_token: None,
        })
    }

    async fn start_live_tail(&self, _: &LiveTailRequest) -> Result<LiveTailSession, BackendError> {
        if self.live_refused {
            return Err(BackendError::new(
                ErrorKind::AccessDenied,
                "StartLiveTail",
                "not authorized to perform logs:StartLiveTail",
            ));
        }
        let batches = self
            .sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop_front()
            .unwrap_or_default();
        let (tx, rx) = mpsc::channel(16);
        let after = self.after_batches;
        tokio::spawn(async move {
            for batch in batches {
                // A batch that is just "<unreadable>" stands for an event the SDK cannot decode.
                let item = if batch.len() == 1 && batch[0].message == "<unreadable>" {
                    Err(BackendError::new(
                        ErrorKind::Malformed,
                        "StartLiveTail",
                        "an event could not be read",
                    ))
                } else {
                    Ok(batch)
                };
                if tx.send(item).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            match after {
                AfterBatches::End => {}
                AfterBatches::Silence => tokio::time::sleep(Duration::from_secs(86_400)).await,
                AfterBatches::Heartbeats => loop {
                    if tx.send(Ok(Vec::new())).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                },
            }
        });
        Ok(LiveTailSession { events: rx })
    }
}

fn focus(transport: Transport) -> LogFocus {
    LogFocus {
        generation: 1,
        streams: vec![StreamRef {
            group: "/ecs/api".into(),
            region: None,
            stream: "ecs/app/0f3a9c1b2d4e".into(),
        }],
        since: at(0),
        transport,
        account: Some("123456789012".into()),
        region: "eu-west-1".into(),
        poll_every: Duration::from_secs(2),
        max_lines: 50_000,
    }
}

/// Runs the tailer for `seconds` of (paused, virtual) time and collects what it sent.
async fn run(
    backend: Arc<dyn LogsBackend>,
    transport: Transport,
    seconds: u64,
) -> (LogBuffer, Vec<TailState>, Vec<usize>) {
    let (focus_tx, focus_rx) = watch::channel(Some(focus(transport)));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = ecsdeck::logs::tailer::spawn(backend, focus_rx, tx);
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    focus_tx.send_replace(None);
    handle.abort();
    let mut buffer = LogBuffer::new(1_000);
    let mut states = Vec::new();
    let mut skipped = Vec::new();
    while let Ok(msg) = rx.try_recv() {
        match msg {
            Msg::LogEvents { events, .. } => {
                buffer.extend(events.iter());
            }
            Msg::LogState { state, .. } => states.push(state),
            Msg::LogSkipped { count, .. } => skipped.push(count),
            _ => {}
        }
    }
    (buffer, states, skipped)
}

#[tokio::test(start_paused = true)]
async fn live_tail_reconnects_and_never_shows_a_line_twice() {
    let history = vec![event(1, "boot"), event(2, "ready"), event(3, "GET / 200")];
    let sessions = VecDeque::from(vec![
        // The first session repeats a history line, then ends.
        vec![vec![event(3, "GET / 200"), event(4, "GET /a 200")]],
        // The second starts with an overlap too (a reconnect races the gap fill).
        vec![
            vec![event(4, "GET /a 200"), event(5, "GET /b 500")],
            vec![event(6, "GET /c 200")],
        ],
    ]);
    let fake = FakeLogs {
        sessions: Mutex::new(sessions),
        history,
        live_refused: false,
        after_batches: AfterBatches::End,
    };
    let backend = Arc::new(CountingBackend::new(fake));
    let log = backend.log();
    let (buffer, states, _) = run(backend, Transport::LiveTail, 20).await;
    let messages: Vec<&str> = buffer.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "boot",
            "ready",
            "GET / 200",
            "GET /a 200",
            "GET /b 500",
            "GET /c 200"
        ]
    );
    assert!(
        buffer.duplicates() >= 2,
        "overlaps were delivered and dropped"
    );
    assert!(
        states
            .iter()
            .any(|s| matches!(s, TailState::Reconnecting { .. })),
        "{states:?}"
    );
    assert!(log.count("StartLiveTail") >= 2, "{:?}", log.totals());
    // Reconnects back off: not a tight loop even though sessions keep ending at once.
    assert!(log.count("StartLiveTail") <= 8, "{:?}", log.totals());
}

#[tokio::test(start_paused = true)]
async fn refused_live_tail_falls_back_to_polling_under_one_request_per_second() {
    let fake = FakeLogs {
        sessions: Mutex::new(VecDeque::new()),
        history: vec![event(1, "boot")],
        live_refused: true,
        after_batches: AfterBatches::End,
    };
    let backend = Arc::new(CountingBackend::new(fake));
    let log = backend.log();
    let (buffer, states, _) = run(backend, Transport::LiveTail, 60).await;
    assert_eq!(buffer.len(), 1);
    assert!(
        states.iter().any(|s| matches!(s, TailState::Polling { why: Some(w) } if w.contains("live tail unavailable"))),
        "{states:?}"
    );
    let calls = log.count("FilterLogEvents");
    // One back-fill plus one poll every 2 s: about 31 in 60 s, never more than 1/s.
    assert!(
        (25..=35).contains(&calls),
        "{calls} FilterLogEvents in 60 s"
    );
}

#[tokio::test(start_paused = true)]
async fn polling_transport_from_config() {
    let fake = FakeLogs {
        sessions: Mutex::new(VecDeque::new()),
        history: vec![event(1, "boot"), event(2, "ready")],
        live_refused: false,
        after_batches: AfterBatches::End,
    };
    let backend = Arc::new(CountingBackend::new(fake));
    let log = backend.log();
    let (buffer, states, _) = run(backend, Transport::Polling, 10).await;
    assert_eq!(buffer.len(), 2);
    assert_eq!(log.count("StartLiveTail"), 0);
    assert!(
        states.contains(&TailState::Polling { why: None }),
        "{states:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_live_tail_that_goes_silent_is_noticed_reconnected_and_the_gap_filled() {
    let history = vec![event(1, "boot"), event(2, "ready")];
    let sessions = VecDeque::from(vec![vec![vec![event(3, "GET / 200")]]]);
    let fake = FakeLogs {
        sessions: Mutex::new(sessions),
        history,
        live_refused: false,
        after_batches: AfterBatches::Silence,
    };
    let backend = Arc::new(CountingBackend::new(fake));
    let log = backend.log();
    // The first session delivers one line, then the connection goes quiet forever.
    let (_, states, _) = run(backend, Transport::LiveTail, 40).await;
    assert!(
        states.iter().any(|s| matches!(
            s,
            TailState::Reconnecting { error: Some(e), .. } if e.message.contains("no event or heartbeat")
        )),
        "{states:?}"
    );
    assert!(log.count("StartLiveTail") >= 2, "{:?}", log.totals());
    // The gap is filled: a FilterLogEvents after the back-fill.
    assert!(log.count("FilterLogEvents") >= 2, "{:?}", log.totals());
}

#[tokio::test(start_paused = true)]
async fn heartbeats_keep_a_quiet_live_tail_alive() {
    let fake = FakeLogs {
        sessions: Mutex::new(VecDeque::from(vec![vec![vec![event(3, "one line")]]])),
        history: vec![event(1, "boot")],
        live_refused: false,
        after_batches: AfterBatches::Heartbeats,
    };
    let backend = Arc::new(CountingBackend::new(fake));
    let log = backend.log();
    let (buffer, states, _) = run(backend, Transport::LiveTail, 120).await;
    assert_eq!(buffer.len(), 2);
    assert_eq!(log.count("StartLiveTail"), 1, "{states:?}");
    assert!(
        !states
            .iter()
            .any(|s| matches!(s, TailState::Reconnecting { .. })),
        "{states:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unreadable_event_is_skipped_and_the_stream_keeps_flowing() {
    let sessions = VecDeque::from(vec![vec![
        vec![event(3, "before")],
        vec![event(4, "<unreadable>")],
        vec![event(5, "after")],
    ]]);
    let fake = FakeLogs {
        sessions: Mutex::new(sessions),
        history: vec![event(1, "boot")],
        live_refused: false,
        after_batches: AfterBatches::Heartbeats,
    };
    let backend = Arc::new(CountingBackend::new(fake));
    let log = backend.log();
    let (buffer, states, skipped) = run(backend, Transport::LiveTail, 20).await;
    let messages: Vec<&str> = buffer.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(messages, ["boot", "before", "after"]);
    assert_eq!(skipped, [1], "the skip is counted for the pane title");
    assert_eq!(
        log.count("StartLiveTail"),
        1,
        "no reconnect for one bad event"
    );
    assert!(
        !states
            .iter()
            .any(|s| matches!(s, TailState::Reconnecting { .. })),
        "{states:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn polling_steps_over_an_unreadable_event_and_keeps_the_others() {
    // Recent events (the bisection narrows a window that ends now).
    let recent = |ago: i64, message: &str| LogEvent {
        timestamp: Utc::now() - chrono::Duration::seconds(ago),
        ..event(0, message)
    };
    let fake = FakeLogs {
        sessions: Mutex::new(VecDeque::new()),
        history: vec![
            recent(40, "first"),
            recent(30, "<unreadable>"),
            recent(20, "last"),
        ],
        live_refused: false,
        after_batches: AfterBatches::End,
    };
    let backend = Arc::new(CountingBackend::new(fake));
    let log = backend.log();
    let (buffer, states, skipped) = run(backend, Transport::Polling, 60).await;
    let messages: Vec<&str> = buffer.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(messages, ["first", "last"], "{states:?}");
    assert_eq!(skipped, [1], "skipped once, not on every poll");
    // Bounded: the polls of 60 s plus one bisection.
    assert!(
        log.count("FilterLogEvents") <= 31 + 30,
        "{:?}",
        log.totals()
    );
}
