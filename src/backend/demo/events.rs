//! The demo services' event logs, the lines DescribeServices returns under `events`, written
//! from what the simulation actually did: after each step the cluster's live and running
//! tasks and each service's deployments are compared with the previous step, and every
//! difference becomes the message ECS would have written ("has started 1 tasks", "deployment
//! failed", "has reached a steady state"). Newest first, at most 100 per service, like ECS.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use chrono::{DateTime, Duration, Utc};

use super::fleet::{Behaviour, ClusterState, Rollout, ServiceState};
use super::rng::SplitMix64;
use crate::domain::ecs::ServiceEvent;

/// ECS keeps the last 100 events of a service.
pub(super) const MAX_EVENTS: usize = 100;
/// ECS repeats "has reached a steady state" every six hours while nothing happens.
const STEADY_REPEAT_HOURS: i64 = 6;
/// How often the scheduler repeats that it cannot place a task.
const UNPLACED_REPEAT_MINUTES: i64 = 5;

/// One service's event log and what it last saw of its deployments.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ServiceLog {
    /// Newest first.
    events: VecDeque<ServiceEvent>,
    /// Events ever written, for unique deterministic ids.
    written: u64,
    /// When the last steady-state event was written, while the service stays steady.
    steady_at: Option<DateTime<Utc>>,
    last_unplaced: Option<DateTime<Utc>>,
    deployments: Vec<(String, Rollout)>,
}

impl ServiceLog {
    /// The log as DescribeServices returns it: newest first.
    pub(super) fn newest_first(&self) -> Vec<ServiceEvent> {
        self.events.iter().cloned().collect()
    }

    fn push(&mut self, service_arn: &str, at: DateTime<Utc>, message: String) {
        let mut rng = SplitMix64::from_label(&format!("{service_arn}#{}", self.written));
        let hex = rng.hex(32);
        let id = format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        );
        self.written += 1;
        self.events.push_front(ServiceEvent {
            id,
            created_at: Some(at),
            message,
        });
        self.events.truncate(MAX_EVENTS);
    }
}

/// The tasks of a cluster as the previous step left them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct SeenTasks {
    live: BTreeSet<String>,
    running: BTreeSet<String>,
}

fn task_list(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("(task {id})"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What happened to one service's tasks during a step.
#[derive(Default)]
struct TaskChanges {
    started: Vec<String>,
    stopped: Vec<String>,
    /// Of the stopped ones, those the load balancer's health checks failed.
    failed_elb: Vec<String>,
    registered: usize,
    deregistered: usize,
}

/// Whether the service runs exactly what it wants with one finished deployment, given its
/// (live, running) task counts.
fn is_steady(service: &ServiceState, (live, running): (usize, usize)) -> bool {
    let single_done = service.deployments.len() == 1
        && service
            .deployments
            .first()
            .is_some_and(|d| d.rollout == Rollout::Completed);
    if !single_done || unplaceable(service) {
        return false;
    }
    usize::try_from(service.desired).is_ok_and(|desired| live == desired && running == desired)
}

fn unplaceable(service: &ServiceState) -> bool {
    matches!(service.behaviour, Behaviour::CapacityLimited { max_placed } if service.desired > max_placed)
}

fn unplaced_message(cluster: &ClusterState, service: &ServiceState) -> String {
    let instance = SplitMix64::from_label(&format!("{}/instance", cluster.arn)).hex(32);
    format!(
        "(service {}) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance {instance}) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
        service.name
    )
}

fn deployment_snapshot(service: &ServiceState) -> Vec<(String, Rollout)> {
    service
        .deployments
        .iter()
        .map(|d| (d.id.clone(), d.rollout))
        .collect()
}

/// Writes the events of the step that just ended at `now`.
pub(super) fn record_step(cluster: &mut ClusterState, now: DateTime<Utc>) {
    let mut changes: BTreeMap<String, TaskChanges> = BTreeMap::new();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let seen = &mut cluster.seen;
    let (mut live_now, mut running_now) = (0, 0);
    for sim in &cluster.tasks {
        let Some(service) = sim.service_name() else {
            continue;
        };
        let arn = &sim.task.task_arn;
        let is_live = sim.is_live();
        let is_running = is_live && sim.is_running();
        if is_live {
            let count = counts.entry(service).or_default();
            count.0 += 1;
            count.1 += usize::from(is_running);
            live_now += 1;
        }
        running_now += usize::from(is_running);
        let was_live = seen.live.contains(arn);
        let was_running = seen.running.contains(arn);
        if is_live == was_live && is_running == was_running {
            continue;
        }
        let change = changes.entry(service.to_string()).or_default();
        if is_live && !was_live {
            change.started.push(sim.task.short_id().to_string());
            seen.live.insert(arn.clone());
        } else if !is_live && was_live {
            change.stopped.push(sim.task.short_id().to_string());
            let reason = sim.task.stopped_reason.as_deref().unwrap_or_default();
            if crate::domain::elb::stopped_by_elb(reason) {
                change.failed_elb.push(sim.task.short_id().to_string());
            }
            seen.live.remove(arn);
        }
        if is_running && !was_running {
            change.registered += 1;
            seen.running.insert(arn.clone());
        } else if !is_running && was_running {
            change.deregistered += 1;
            seen.running.remove(arn);
        }
    }
    // Tasks forgotten while still remembered as live (never expected): start afresh.
    if seen.live.len() != live_now || seen.running.len() != running_now {
        *seen = current_tasks(&cluster.tasks);
    }
    let per_service: Vec<(bool, Option<String>)> = cluster
        .services
        .iter()
        .map(|s| {
            let count = counts.get(s.name.as_str()).copied().unwrap_or_default();
            let unplaced = unplaceable(s).then(|| unplaced_message(cluster, s));
            (is_steady(s, count), unplaced)
        })
        .collect();
    for (service, (steady, unplaced)) in cluster.services.iter_mut().zip(per_service) {
        let change = changes.remove(&service.name).unwrap_or_default();
        record_service(service, change, steady, unplaced, now);
    }
}

fn current_tasks(tasks: &[super::tasks::SimTask]) -> SeenTasks {
    let mine = || {
        tasks
            .iter()
            .filter(|t| t.is_live() && t.service_name().is_some())
    };
    SeenTasks {
        live: mine().map(|t| t.task.task_arn.clone()).collect(),
        running: mine()
            .filter(|t| t.is_running())
            .map(|t| t.task.task_arn.clone())
            .collect(),
    }
}

fn record_service(
    service: &mut ServiceState,
    change: TaskChanges,
    steady: bool,
    unplaced: Option<String>,
    now: DateTime<Utc>,
) {
    record_task_changes(service, change, now);
    record_deployments(service, now);
    record_steady_and_unplaced(service, steady, unplaced, now);
}

/// Tasks started and stopped, targets registered and drained, as ECS words them.
fn record_task_changes(service: &mut ServiceState, change: TaskChanges, now: DateTime<Utc>) {
    let name = service.name.clone();
    let arn = service.arn.clone();
    let target_group = service.target_group.clone();
    let log = &mut service.events;
    if let Some(group) = &target_group {
        // As ECS words it before replacing a task the load balancer found unhealthy.
        for id in &change.failed_elb {
            log.push(
                &arn,
                now,
                format!(
                    "(service {name}) (task {id}) failed ELB health checks in (target-group {group})."
                ),
            );
        }
    }
    if !change.stopped.is_empty() {
        if target_group.is_some() {
            log.push(
                &arn,
                now,
                format!(
                    "(service {name}) has begun draining connections on {} tasks.",
                    change.stopped.len()
                ),
            );
        }
        log.push(
            &arn,
            now,
            format!(
                "(service {name}) has stopped {} running tasks: {}.",
                change.stopped.len(),
                task_list(&change.stopped)
            ),
        );
    }
    if let Some(group) = &target_group
        && change.deregistered > 0
    {
        log.push(
            &arn,
            now,
            format!(
                "(service {name}) deregistered {} targets in (target-group {group})",
                change.deregistered
            ),
        );
    }
    if !change.started.is_empty() {
        log.push(
            &arn,
            now,
            format!(
                "(service {name}) has started {} tasks: {}.",
                change.started.len(),
                task_list(&change.started)
            ),
        );
    }
    if let Some(group) = &target_group
        && change.registered > 0
    {
        log.push(
            &arn,
            now,
            format!(
                "(service {name}) registered {} targets in (target-group {group})",
                change.registered
            ),
        );
    }
}

/// Deployments that completed or failed since the last step (and the rollback that follows).
fn record_deployments(service: &mut ServiceState, now: DateTime<Utc>) {
    let name = service.name.clone();
    let arn = service.arn.clone();
    let current = deployment_snapshot(service);
    let log = &mut service.events;
    for (index, (id, rollout)) in current.iter().enumerate() {
        let before = log
            .deployments
            .iter()
            .find(|(seen, _)| seen == id)
            .map(|(_, r)| *r);
        if before == Some(*rollout) {
            continue;
        }
        match rollout {
            Rollout::Completed if before.is_some() => log.push(
                &arn,
                now,
                format!("(service {name}) (deployment {id}) deployment completed."),
            ),
            Rollout::Failed => {
                log.push(
                    &arn,
                    now,
                    format!(
                        "(service {name}) (deployment {id}) deployment failed: tasks failed to start."
                    ),
                );
                if let Some((previous, _)) = current.get(index + 1) {
                    log.push(
                        &arn,
                        now,
                        format!("(service {name}) rolling back to deployment {previous}."),
                    );
                }
            }
            _ => {}
        }
    }
    log.deployments = current;
}

/// A steady state (repeated every few hours, as ECS does) and placement failures.
fn record_steady_and_unplaced(
    service: &mut ServiceState,
    steady: bool,
    unplaced: Option<String>,
    now: DateTime<Utc>,
) {
    let name = service.name.clone();
    let arn = service.arn.clone();
    let log = &mut service.events;
    if steady {
        let due = log
            .steady_at
            .is_none_or(|at| now - at >= Duration::hours(STEADY_REPEAT_HOURS));
        if due {
            log.push(
                &arn,
                now,
                format!("(service {name}) has reached a steady state."),
            );
            log.steady_at = Some(now);
        }
    } else {
        log.steady_at = None;
    }
    if let Some(unplaced) = unplaced {
        let log = &mut service.events;
        let due = log
            .last_unplaced
            .is_none_or(|at| now - at >= Duration::minutes(UNPLACED_REPEAT_MINUTES));
        if due {
            log.push(&arn, now, unplaced);
            log.last_unplaced = Some(now);
        }
    }
}

/// A plausible past for a freshly generated cluster: the start and stop of every task it
/// remembers, each completed deployment's steady state (repeated every six hours since), and
/// the scheduler's placement complaints; then the step-to-step tracking starts from here.
pub(super) fn seed_history(cluster: &mut ClusterState, now: DateTime<Utc>) {
    let mut past: BTreeMap<String, Vec<(DateTime<Utc>, u8, String)>> = BTreeMap::new();
    for sim in &cluster.tasks {
        let Some(service) = sim.service_name() else {
            continue;
        };
        let id = sim.task.short_id();
        let entries = past.entry(service.to_string()).or_default();
        if let Some(at) = sim.task.created_at {
            entries.push((
                at,
                0,
                format!("(service {service}) has started 1 tasks: (task {id})."),
            ));
        }
        if let Some(at) = sim.task.stopped_at {
            entries.push((
                at,
                1,
                format!("(service {service}) has stopped 1 running tasks: (task {id})."),
            ));
        }
    }
    let unplaced: Vec<Option<String>> = cluster
        .services
        .iter()
        .map(|s| unplaceable(s).then(|| unplaced_message(cluster, s)))
        .collect();
    for (service, unplaced) in cluster.services.iter_mut().zip(unplaced) {
        let mut entries = past.remove(&service.name).unwrap_or_default();
        if let Some(message) = unplaced {
            let at = now - Duration::minutes(2);
            entries.push((at, 3, message));
            service.events.last_unplaced = Some(at);
        }
        let settled = service
            .deployments
            .iter()
            .find(|d| d.rollout == Rollout::Completed)
            .map(|d| d.created_at + Duration::minutes(5));
        let mut last_steady = None;
        if let Some(mut at) = settled {
            while at <= now {
                entries.push((
                    at,
                    2,
                    format!("(service {}) has reached a steady state.", service.name),
                ));
                last_steady = Some(at);
                at += Duration::hours(STEADY_REPEAT_HOURS);
            }
        }
        entries.sort();
        // Only the newest ones survive anyway.
        let skip = entries.len().saturating_sub(MAX_EVENTS);
        for (at, _, message) in entries.into_iter().skip(skip) {
            service.events.push(&service.arn.clone(), at, message);
        }
        let steady_now = service.deployments.len() == 1 && !unplaceable(service);
        service.events.steady_at = if steady_now { last_steady } else { None };
        service.events.deployments = deployment_snapshot(service);
    }
    cluster.seen = current_tasks(&cluster.tasks);
}
