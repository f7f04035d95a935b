//! The demo fleet's CloudWatch Logs: every task container that uses the `awslogs` driver
//! writes to group `/ecs/<family>`, stream `<prefix>/<container>/<task-id>`, as ECS names
//! them. Lines are generated on demand by [`loggen`](super::loggen) (nothing is stored), with
//! AWS's limits, errors and token behaviour.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration as StdDuration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::fleet::{Behaviour, DemoFleet};
use super::loggen::{self, Planned, StreamSpec, Voice};
use super::{DemoBackend, State, invalid};
use crate::backend::logs::{
    FILTER_MAX_STREAMS, LiveTailRequest, LiveTailSession, LogEvent, LogEventsPage, LogsBackend,
};
use crate::backend::{BackendError, ErrorKind};

/// Events per page (AWS allows up to 10,000 / 1 MB).
pub(super) const PAGE_MAX: usize = 1_000;
/// Live tail sends at most this many events per update; the excess is dropped, as AWS does.
pub(super) const LIVE_TAIL_MAX_EVENTS: usize = 500;
/// AWS ends a live tail session after 3 hours.
pub(super) const LIVE_TAIL_MAX_SESSION: StdDuration = StdDuration::from_secs(3 * 3600);
const LIVE_TAIL_TICK: StdDuration = StdDuration::from_secs(1);
/// Stream-seconds FilterLogEvents scans per call before it returns a partial page with a
/// token (AWS also returns partial, even empty, pages on long scans).
const FILTER_SCAN_BUDGET: usize = 200_000;

fn group_not_found(operation: &'static str) -> BackendError {
    BackendError::new(
        ErrorKind::NotFound,
        operation,
        "The specified log group does not exist.",
    )
}

fn bad_token(operation: &'static str) -> BackendError {
    invalid(operation, "The specified nextToken is invalid.")
}

impl State {
    /// The logs' "now": the wall clock for a live fleet, the simulation clock for a frozen
    /// one (so tests read stable logs).
    fn log_clock(&self) -> DateTime<Utc> {
        if self.last_step.is_some() {
            Utc::now()
        } else {
            self.fleet.now
        }
    }
}

impl DemoFleet {
    /// Every `/ecs/<family>` group some task definition logs to.
    fn log_groups(&self) -> BTreeSet<String> {
        self.task_definitions
            .values()
            .flat_map(|d| &d.container_definitions)
            .filter_map(|c| c.log_configuration.as_ref())
            .filter(|l| l.log_driver == "awslogs")
            .filter_map(|l| l.options.get("awslogs-group").cloned())
            .collect()
    }

    /// The awslogs streams of every task that has started, in fleet order.
    pub(super) fn log_streams(&self) -> Vec<StreamSpec> {
        let mut out = Vec::new();
        for cluster in &self.clusters {
            for sim in &cluster.tasks {
                let task = &sim.task;
                let Some(started) = task.started_at else {
                    continue; // awslogs creates the stream when the container starts.
                };
                let Some(definition) = self.task_definitions.get(&task.task_definition_arn) else {
                    continue;
                };
                let service = sim
                    .service_name()
                    .and_then(|name| cluster.services.iter().find(|s| s.name == name));
                let bursty = service.is_some_and(|s| {
                    s.behaviour == Behaviour::CrashLoop || s.deployments.iter().any(|d| d.broken)
                });
                // A broken release behind a load balancer fails its health checks from the start.
                let failing_checks = service.is_some_and(|s| {
                    s.target_group.is_some()
                        && s.deployments
                            .iter()
                            .any(|d| d.broken && task.started_by.as_deref() == Some(d.id.as_str()))
                });
                let service_name = sim.service_name().unwrap_or(&definition.family);
                for (index, container) in definition.container_definitions.iter().enumerate() {
                    let Some(config) = container
                        .log_configuration
                        .as_ref()
                        .filter(|l| l.log_driver == "awslogs")
                    else {
                        continue;
                    };
                    let (Some(group), Some(prefix)) = (
                        config.options.get("awslogs-group"),
                        config.options.get("awslogs-stream-prefix"),
                    ) else {
                        continue;
                    };
                    let name = format!("{prefix}/{}/{}", container.name, task.short_id());
                    let state = task.containers.iter().find(|c| c.name == container.name);
                    let voice = match container.name.as_str() {
                        "envoy" => Voice::Envoy,
                        "datadog-agent" => Voice::Datadog,
                        "log_router" => Voice::FireLens,
                        _ if !container.port_mappings.is_empty() => {
                            if loggen::key(&definition.family).is_multiple_of(3) {
                                Voice::Json
                            } else {
                                Voice::Http
                            }
                        }
                        _ if task.launch_type.as_deref() == Some("EC2") => Voice::Batch,
                        _ => Voice::Json,
                    };
                    let app = index == 0;
                    out.push(StreamSpec {
                        key: loggen::key(&name),
                        group: group.clone(),
                        name,
                        service: service_name.to_string(),
                        voice,
                        first_sec: started.timestamp(),
                        last_sec: task.stopped_at.map(|t| t.timestamp()),
                        oom: app
                            && state
                                .and_then(|c| c.reason.as_deref())
                                .is_some_and(|r| r.contains("OutOfMemory")),
                        exit1: app && state.and_then(|c| c.exit_code) == Some(1),
                        failing_checks: app && failing_checks,
                        bursty: app && bursty,
                    });
                }
            }
        }
        out
    }
}

fn to_event(spec: &StreamSpec, planned: &Planned) -> LogEvent {
    let timestamp = DateTime::from_timestamp_millis(planned.ts_ms).unwrap_or(DateTime::UNIX_EPOCH);
    LogEvent {
        timestamp,
        // The awslogs driver ships within a few hundred milliseconds.
        ingestion_time: Some(timestamp + chrono::Duration::milliseconds(150)),
        group: spec.group.clone(),
        stream: spec.name.clone(),
        message: loggen::render(spec, planned),
    }
}

/// A position in a stream (or in the interleaving of several): a second and how many of
/// its events were already returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    sec: i64,
    skip: usize,
}

fn parse_position(token: &str, prefix: &str) -> Option<Position> {
    let (sec, skip) = token.strip_prefix(prefix)?.split_once('/')?;
    Some(Position {
        sec: sec.parse().ok()?,
        skip: skip.parse().ok()?,
    })
}

/// GetLogEvents on one stream, from `pos` up to `now_ms`. Pure, for tests.
fn read_stream(spec: &StreamSpec, pos: Position, now_ms: i64) -> (Vec<LogEvent>, Position) {
    let now_sec = now_ms.div_euclid(1000);
    let end_sec = spec.last_sec.map_or(now_sec, |last| last.min(now_sec));
    let mut events = Vec::new();
    let mut sec = pos.sec.max(spec.first_sec);
    let mut skip = if sec == pos.sec { pos.skip } else { 0 };
    while sec <= end_sec {
        let planned = loggen::plan(spec, sec);
        for (i, p) in planned.iter().enumerate().skip(skip) {
            if p.ts_ms > now_ms {
                return (events, Position { sec, skip: i });
            }
            events.push(to_event(spec, p));
            if events.len() == PAGE_MAX {
                return (events, Position { sec, skip: i + 1 });
            }
        }
        if sec == now_sec {
            // More of this second may still be written.
            return (
                events,
                Position {
                    sec,
                    skip: planned.len(),
                },
            );
        }
        sec += 1;
        skip = 0;
    }
    (events, Position { sec, skip: 0 })
}

/// The events of `specs` in the half-open window (`after_ms`, `until_ms`], oldest first,
/// at most `max` of them (the rest dropped).
pub(super) fn window(
    specs: &[StreamSpec],
    after_ms: i64,
    until_ms: i64,
    max: usize,
) -> Vec<LogEvent> {
    let mut planned: Vec<(i64, usize, Planned)> = Vec::new();
    for sec in after_ms.div_euclid(1000)..=until_ms.div_euclid(1000) {
        for (index, spec) in specs.iter().enumerate() {
            planned.extend(
                loggen::plan(spec, sec)
                    .into_iter()
                    .filter(|p| p.ts_ms > after_ms && p.ts_ms <= until_ms)
                    .map(|p| (p.ts_ms, index, p)),
            );
        }
    }
    planned.sort_by_key(|(ts, index, _)| (*ts, *index));
    planned
        .iter()
        .take(max)
        .map(|(_, index, p)| to_event(&specs[*index], p))
        .collect()
}

/// Nothing is written before the first stream starts or after the last one stops: the
/// seconds worth scanning.
fn written_between(specs: &[StreamSpec]) -> (i64, i64) {
    let first = specs.iter().map(|s| s.first_sec).min().unwrap_or(i64::MAX);
    let last = if specs.iter().any(|s| s.last_sec.is_none()) {
        i64::MAX
    } else {
        specs
            .iter()
            .filter_map(|s| s.last_sec)
            .max()
            .unwrap_or(i64::MIN)
    };
    (first, last)
}

#[async_trait]
impl LogsBackend for DemoBackend {
    async fn get_log_events(
        &self,
        group: &str,
        stream: &str,
        start: Option<DateTime<Utc>>,
        next_token: Option<String>,
    ) -> Result<LogEventsPage, BackendError> {
        const OP: &str = "GetLogEvents";
        let (spec, now) = {
            let state = self.fleet();
            if !state.fleet.log_groups().contains(group) {
                return Err(group_not_found(OP));
            }
            let spec = state
                .fleet
                .log_streams()
                .into_iter()
                .find(|s| s.group == group && s.name == stream)
                .ok_or_else(|| {
                    BackendError::new(
                        ErrorKind::NotFound,
                        OP,
                        "The specified log stream does not exist.",
                    )
                })?;
            (spec, state.log_clock())
        };
        let pos = match next_token.as_deref() {
            Some(token) => parse_position(token, "f/").ok_or_else(|| bad_token(OP))?,
            None => match start {
                Some(start) => {
                    let ms = start.timestamp_millis();
                    let sec = ms.div_euclid(1000);
                    let skip = loggen::plan(&spec, sec)
                        .iter()
                        .filter(|p| p.ts_ms < ms)
                        .count();
                    Position { sec, skip }
                }
                None => Position {
                    sec: spec.first_sec,
                    skip: 0,
                },
            },
        };
        let (events, next) = read_stream(&spec, pos, now.timestamp_millis());
        // With nothing new AWS hands back the same token.
        let next_token = match next_token {
            Some(token) if events.is_empty() => token,
            _ => format!("f/{}/{}", next.sec, next.skip),
        };
        Ok(LogEventsPage {
            events,
            next_token: Some(next_token),
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
        const OP: &str = "FilterLogEvents";
        if streams.len() > FILTER_MAX_STREAMS {
            return Err(invalid(
                OP,
                format!("logStreamNames can have at most {FILTER_MAX_STREAMS} items."),
            ));
        }
        let (specs, now) = {
            let state = self.fleet();
            if !state.fleet.log_groups().contains(group) {
                return Err(group_not_found(OP));
            }
            let specs: Vec<StreamSpec> = state
                .fleet
                .log_streams()
                .into_iter()
                .filter(|s| s.group == group)
                .filter(|s| streams.is_empty() || streams.contains(&s.name))
                .collect();
            (specs, state.log_clock())
        };
        let start_ms = start.timestamp_millis();
        let end_ms = end.unwrap_or(now).min(now).timestamp_millis();
        let mut pos = match next_token.as_deref() {
            Some(token) => parse_position(token, "").ok_or_else(|| bad_token(OP))?,
            None => Position {
                sec: start_ms.div_euclid(1000),
                skip: 0,
            },
        };
        let (first, last) = written_between(&specs);
        if pos.sec < first {
            pos = Position {
                sec: first,
                skip: 0,
            };
        }
        let end_sec = end_ms.div_euclid(1000).min(last);
        let mut events = Vec::new();
        let mut scanned = 0;
        while pos.sec <= end_sec {
            let mut planned: Vec<(usize, Planned)> = Vec::new();
            for (index, spec) in specs.iter().enumerate() {
                planned.extend(
                    loggen::plan(spec, pos.sec)
                        .into_iter()
                        .filter(|p| p.ts_ms >= start_ms && p.ts_ms <= end_ms)
                        .map(|p| (index, p)),
                );
            }
            planned.sort_by_key(|(index, p)| (p.ts_ms, *index));
            for (i, (index, p)) in planned.iter().enumerate().skip(pos.skip) {
                events.push(to_event(&specs[*index], p));
                if events.len() == PAGE_MAX {
                    let token = format!("{}/{}", pos.sec, i + 1);
                    return Ok(LogEventsPage {
                        events,
                        next_token: Some(token),
                    });
                }
            }
            pos = Position {
                sec: pos.sec + 1,
                skip: 0,
            };
            scanned += specs.len().max(1);
            if scanned >= FILTER_SCAN_BUDGET && pos.sec <= end_sec {
                return Ok(LogEventsPage {
                    events,
                    next_token: Some(format!("{}/0", pos.sec)),
                });
            }
        }
        Ok(LogEventsPage {
            events,
            next_token: None,
        })
    }

    async fn start_live_tail(
        &self,
        request: &LiveTailRequest,
    ) -> Result<LiveTailSession, BackendError> {
        const OP: &str = "StartLiveTail";
        request.validate()?;
        let started = {
            let state = self.fleet();
            let groups = state.fleet.log_groups();
            if request.groups.iter().any(|g| !groups.contains(g)) {
                return Err(group_not_found(OP));
            }
            state.log_clock()
        };
        let (tx, rx) = mpsc::channel(16);
        tokio::spawn(live_tail(
            Arc::clone(&self.state),
            request.clone(),
            started,
            tokio::time::Instant::now(),
            tx,
        ));
        Ok(LiveTailSession { events: rx })
    }
}

/// The session's task: every second, the new events of the followed streams, until the
/// receiver is dropped or the session reaches AWS's maximum duration.
async fn live_tail(
    state: Arc<Mutex<State>>,
    request: LiveTailRequest,
    started: DateTime<Utc>,
    origin: tokio::time::Instant,
    tx: mpsc::Sender<Result<Vec<LogEvent>, BackendError>>,
) {
    let mut interval = tokio::time::interval_at(origin + LIVE_TAIL_TICK, LIVE_TAIL_TICK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut seen_ms = started.timestamp_millis();
    loop {
        tokio::select! {
            _ = tx.closed() => return,
            _ = interval.tick() => {}
        }
        let elapsed = origin.elapsed();
        if elapsed >= LIVE_TAIL_MAX_SESSION {
            return;
        }
        let now_ms = started.timestamp_millis() + elapsed.as_millis() as i64;
        let specs: Vec<StreamSpec> = {
            let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
            state.catch_up(Instant::now(), Utc::now());
            state
                .fleet
                .log_streams()
                .into_iter()
                .filter(|s| request.groups.contains(&s.group))
                .filter(|s| request.streams.is_empty() || request.streams.contains(&s.name))
                .collect()
        };
        // After a stall (a laptop asleep) only the last seconds are sent, as AWS would.
        let after = seen_ms.max(now_ms - 10_000);
        let batch = window(&specs, after, now_ms, LIVE_TAIL_MAX_EVENTS);
        seen_ms = now_ms;
        if !batch.is_empty() && tx.send(Ok(batch)).await.is_err() {
            return;
        }
    }
}
