//! The tailer: one tokio task that feeds the open log pane, and nothing when none is open.
//!
//! It watches the log focus (sent by the UI task like the poller's focus). For a focus it
//! back-fills the window with FilterLogEvents, then follows with StartLiveTail; when a live
//! session ends or fails it reconnects with back-off and fills the gap; when live tail is
//! unavailable (or configured off) it polls FilterLogEvents, one group per tick, so it stays
//! under about one request per second. Duplicates from overlaps are dropped by the buffer.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::streams::StreamRef;
use crate::backend::logs::{
    FILTER_MAX_STREAMS, LIVE_TAIL_MAX_GROUPS, LIVE_TAIL_MAX_STREAMS, LiveTailRequest, LogEvent,
};
use crate::backend::{BackendError, ErrorKind, LogsBackend};
use crate::msg::Msg;
use crate::store::log_session::TailState;

/// How the pane is fed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transport {
    /// StartLiveTail: about a second of latency, billed per minute while open.
    #[default]
    LiveTail,
    /// FilterLogEvents every few seconds.
    Polling,
}

/// What the open log pane wants fed. `generation` changes when the pane is reopened or its
/// window changes (the buffer is cleared then); the stream set may change within one
/// generation as tasks start and stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFocus {
    pub generation: u64,
    pub streams: Vec<StreamRef>,
    /// The start of the window to back-fill.
    pub since: DateTime<Utc>,
    pub transport: Transport,
    /// Needed for live tail's log group ARNs; without it, polling is used.
    pub account: Option<String>,
    /// The default region for groups whose task definition does not name one.
    pub region: String,
    /// Polling cadence; one FilterLogEvents per tick.
    pub poll_every: Duration,
    /// The most lines worth back-filling (the buffer size).
    pub max_lines: usize,
}

const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Halvings spent finding an unreadable event: enough to go from half a year to a second.
const MAX_UNREADABLE_SPLITS: usize = 24;
/// The pause between those calls: FilterLogEvents allows 5 per second for the account.
const SPLIT_PACE: Duration = Duration::from_millis(250);
/// A live tail that delivers neither an event nor a heartbeat for this long is dead (a
/// half-open connection, a proxy that stopped forwarding): reconnect and fill the gap.
/// AWS sends a session update about every second, so this is thirty missed updates.
pub const LIVENESS_TIMEOUT: Duration = Duration::from_secs(30);
/// Polling re-reads this much before the newest line seen: CloudWatch ingestion is not
/// instantaneous, and the buffer drops the overlap.
const POLL_OVERLAP: chrono::Duration = chrono::Duration::seconds(5);

pub fn spawn(
    backend: Arc<dyn LogsBackend>,
    mut focus: watch::Receiver<Option<LogFocus>>,
    tx: mpsc::UnboundedSender<Msg>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        // Where the previous session of the same generation got to: a new stream set (tasks
        // started or stopped) resumes there instead of re-reading the whole window.
        let mut reached: Option<(u64, DateTime<Utc>)> = None;
        loop {
            let current = focus.borrow_and_update().clone();
            match current {
                Some(mut f) => {
                    if let Some((generation, high)) = reached
                        && generation == f.generation
                    {
                        f.since = f.since.max(high - POLL_OVERLAP);
                    }
                    let generation = f.generation;
                    let mut session = Session {
                        backend: backend.as_ref(),
                        focus: f,
                        tx: &tx,
                        high_water: None,
                        skip_until: None,
                    };
                    // Returns when the focus changes (or the UI is gone).
                    let ended = session.run(&mut focus).await;
                    if let Some(high) = session.high_water {
                        reached = Some((generation, high));
                    }
                    if ended.is_err() {
                        return;
                    }
                }
                None => {
                    if focus.changed().await.is_err() {
                        return;
                    }
                }
            }
        }
    })
}

/// The UI went away: stop.
struct Gone;

struct Session<'a> {
    backend: &'a dyn LogsBackend,
    focus: LogFocus,
    tx: &'a mpsc::UnboundedSender<Msg>,
    /// The newest event timestamp delivered: where a gap fill or a poll resumes.
    high_water: Option<DateTime<Utc>>,
    /// The end of the last stretch that held an unreadable event: polls start after it, so
    /// the same event is skipped (and counted) once.
    skip_until: Option<DateTime<Utc>>,
}

impl Session<'_> {
    fn state(&self, state: TailState) -> Result<(), Gone> {
        let msg = Msg::LogState {
            generation: self.focus.generation,
            state,
        };
        self.tx.send(msg).map_err(|_| Gone)
    }

    fn deliver(&mut self, events: Vec<LogEvent>) -> Result<(), Gone> {
        if events.is_empty() {
            return Ok(());
        }
        if let Some(newest) = events.iter().map(|e| e.timestamp).max() {
            self.high_water = Some(self.high_water.map_or(newest, |h| h.max(newest)));
        }
        let msg = Msg::LogEvents {
            generation: self.focus.generation,
            events,
        };
        self.tx.send(msg).map_err(|_| Gone)
    }

    /// Streams by group, in chunks FilterLogEvents accepts.
    fn groups(&self) -> BTreeMap<String, Vec<String>> {
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for s in &self.focus.streams {
            groups
                .entry(s.group.clone())
                .or_default()
                .push(s.stream.clone());
        }
        groups
    }

    /// Runs until the focus changes; on a change within the same generation (the task set
    /// moved) the caller starts a new session that resumes from the high-water mark.
    async fn run(&mut self, focus: &mut watch::Receiver<Option<LogFocus>>) -> Result<(), Gone> {
        tokio::select! {
            r = self.feed() => r,
            changed = focus.changed() => changed.map_err(|_| Gone),
        }
    }

    async fn feed(&mut self) -> Result<(), Gone> {
        if self.focus.streams.is_empty() {
            self.state(TailState::Loading)?;
            return std::future::pending().await;
        }
        self.state(TailState::Loading)?;
        let since = self.focus.since;
        if let Err(e) = self.fill_from(since).await? {
            self.state(TailState::Reconnecting {
                attempt: 0,
                error: Some(e),
            })?;
        }
        let live = self.focus.transport == Transport::LiveTail;
        let groups = self.groups();
        let why_not_live = if !live {
            None
        } else if self.focus.account.is_none() {
            Some("the account is not known yet".to_string())
        } else if groups.len() > LIVE_TAIL_MAX_GROUPS {
            Some(format!("more than {LIVE_TAIL_MAX_GROUPS} log groups"))
        } else {
            None
        };
        if live && why_not_live.is_none() {
            // Returns only when live tail is refused for good: poll instead.
            let reason = self.follow_live().await?;
            return self.poll(Some(reason)).await;
        }
        self.poll(why_not_live).await
    }

    /// Back-fills from `since` to now over every group. The inner error is a failed call.
    async fn fill_from(&mut self, since: DateTime<Utc>) -> Result<Result<(), BackendError>, Gone> {
        let mut budget = self.focus.max_lines;
        for (group, streams) in self.groups() {
            for chunk in streams.chunks(FILTER_MAX_STREAMS) {
                let mut token = None;
                // Pages are bounded: enough to fill the buffer, never an unbounded crawl.
                for _ in 0..50 {
                    let page = match self
                        .backend
                        .filter_log_events(&group, chunk, since, None, token.clone())
                        .await
                    {
                        Ok(p) => p,
                        Err(e) if e.kind == ErrorKind::NotFound => break,
                        Err(e) => return Ok(Err(e)),
                    };
                    budget = budget.saturating_sub(page.events.len());
                    self.deliver(page.events)?;
                    match page.next_token {
                        Some(t) if budget > 0 && Some(&t) != token.as_ref() => token = Some(t),
                        _ => break,
                    }
                }
            }
        }
        Ok(Ok(()))
    }

    /// Follows with StartLiveTail, reconnecting with back-off. Returns only when live tail
    /// is refused for good (permissions, not supported), with the reason.
    async fn follow_live(&mut self) -> Result<String, Gone> {
        let wanted: std::collections::HashSet<String> = self
            .focus
            .streams
            .iter()
            .map(|s| s.stream.clone())
            .collect();
        let request = LiveTailRequest {
            groups: self.groups().into_keys().collect(),
            region: self.focus.region.clone(),
            account: self.focus.account.clone().unwrap_or_default(),
            // Over the limit, follow whole groups and keep our streams client-side.
            streams: if wanted.len() <= LIVE_TAIL_MAX_STREAMS {
                self.focus
                    .streams
                    .iter()
                    .map(|s| s.stream.clone())
                    .collect()
            } else {
                Vec::new()
            },
        };
        let mut attempt: u32 = 0;
        loop {
            match self.backend.start_live_tail(&request).await {
                Ok(mut session) => {
                    self.state(TailState::Live)?;
                    let error = self
                        .read_session(&mut session, &wanted, &mut attempt)
                        .await?;
                    attempt += 1;
                    self.state(TailState::Reconnecting { attempt, error })?;
                }
                Err(e) if matches!(e.kind, ErrorKind::AccessDenied | ErrorKind::InvalidRequest) => {
                    return Ok(format!("live tail unavailable: {}", e.message));
                }
                Err(e) => {
                    attempt += 1;
                    self.state(TailState::Reconnecting {
                        attempt,
                        error: Some(e),
                    })?;
                }
            }
            tokio::time::sleep(backoff(attempt)).await;
            // Fill what the broken session missed; the buffer drops the overlap.
            let resume = self
                .high_water
                .map_or(self.focus.since, |h| h - POLL_OVERLAP);
            if let Err(e) = self.fill_from(resume).await? {
                self.state(TailState::Reconnecting {
                    attempt,
                    error: Some(e),
                })?;
            }
        }
    }

    /// Delivers a live session's events until it ends, fails or goes quiet past the liveness
    /// limit; returns why it ended (None: the server closed it).
    async fn read_session(
        &mut self,
        session: &mut crate::backend::logs::LiveTailSession,
        wanted: &std::collections::HashSet<String>,
        attempt: &mut u32,
    ) -> Result<Option<BackendError>, Gone> {
        loop {
            let batch = match tokio::time::timeout(LIVENESS_TIMEOUT, session.events.recv()).await {
                Ok(Some(batch)) => batch,
                Ok(None) => return Ok(None),
                Err(_) => {
                    return Ok(Some(BackendError::new(
                        ErrorKind::Unreachable,
                        "StartLiveTail",
                        format!("no event or heartbeat for {} s", LIVENESS_TIMEOUT.as_secs()),
                    )));
                }
            };
            match batch {
                Ok(events) => {
                    *attempt = 0;
                    let ours: Vec<LogEvent> = events
                        .into_iter()
                        .filter(|e| wanted.contains(&e.stream))
                        .collect();
                    self.deliver(ours)?;
                }
                // One unreadable event: counted and skipped, the others keep flowing.
                Err(e) if e.kind == ErrorKind::Malformed => {
                    let msg = Msg::LogSkipped {
                        generation: self.focus.generation,
                        count: 1,
                    };
                    self.tx.send(msg).map_err(|_| Gone)?;
                }
                Err(e) => return Ok(Some(e)),
            }
        }
    }

    /// Narrows a window whose page cannot be decoded to the second that holds the bad event
    /// (halving it, delivering the readable halves), skips that second (counted), and reads
    /// on after it. Paced under FilterLogEvents' 5 requests/s; a poll window is a few seconds,
    /// so this is about three calls.
    async fn step_over_unreadable(
        &mut self,
        group: &str,
        chunk: &[String],
        since: DateTime<Utc>,
    ) -> Result<(), Gone> {
        let (mut start, mut end) = (since, Utc::now());
        for _ in 0..MAX_UNREADABLE_SPLITS {
            if end - start <= chrono::Duration::seconds(1) {
                break;
            }
            tokio::time::sleep(SPLIT_PACE).await;
            let mid = start + (end - start) / 2;
            match self
                .backend
                .filter_log_events(group, chunk, start, Some(mid), None)
                .await
            {
                Ok(page) => {
                    self.deliver(page.events)?;
                    start = mid;
                }
                Err(e) if e.kind == ErrorKind::Malformed => end = mid,
                // Something else went wrong: the next poll tries again.
                Err(_) => return Ok(()),
            }
        }
        self.skip_until = Some(end);
        let msg = Msg::LogSkipped {
            generation: self.focus.generation,
            count: 1,
        };
        self.tx.send(msg).map_err(|_| Gone)?;
        tokio::time::sleep(SPLIT_PACE).await;
        if let Ok(page) = self
            .backend
            .filter_log_events(group, chunk, end, None, None)
            .await
        {
            self.deliver(page.events)?;
        }
        Ok(())
    }

    /// Polls FilterLogEvents, one group per tick (≈ 1 request per `poll_every`).
    async fn poll(&mut self, why: Option<String>) -> Result<(), Gone> {
        self.state(TailState::Polling { why: why.clone() })?;
        let groups: Vec<(String, Vec<String>)> = self.groups().into_iter().collect();
        let mut failures: u32 = 0;
        for (group, streams) in groups.iter().cycle() {
            let wait = if failures == 0 {
                self.focus.poll_every
            } else {
                backoff(failures).max(self.focus.poll_every)
            };
            tokio::time::sleep(wait).await;
            let since = self
                .high_water
                .map_or(self.focus.since, |h| h - POLL_OVERLAP)
                .max(self.skip_until.unwrap_or(DateTime::<Utc>::MIN_UTC));
            for chunk in streams.chunks(FILTER_MAX_STREAMS) {
                match self
                    .backend
                    .filter_log_events(group, chunk, since, None, None)
                    .await
                {
                    // One event the SDK cannot decode fails the whole page: find its stretch,
                    // skip it, keep the rest.
                    Err(e) if e.kind == ErrorKind::Malformed => {
                        self.step_over_unreadable(group, chunk, since).await?;
                    }
                    Ok(page) => {
                        if failures > 0 {
                            self.state(TailState::Polling { why: why.clone() })?;
                        }
                        failures = 0;
                        self.deliver(page.events)?;
                    }
                    Err(e) => {
                        failures += 1;
                        self.state(TailState::Reconnecting {
                            attempt: failures,
                            error: Some(e),
                        })?;
                    }
                }
            }
        }
        // No group at all: nothing to poll; wait for the focus to change.
        std::future::pending().await
    }
}

/// 1 s, 2 s, 4 s ... up to 30 s.
fn backoff(attempt: u32) -> Duration {
    let secs = 1u64 << attempt.min(5);
    Duration::from_secs(secs).min(MAX_BACKOFF)
}
