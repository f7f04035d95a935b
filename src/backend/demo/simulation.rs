//! One tick (~2 s) of fleet life: tasks walk towards RUNNING, some die, services replace
//! them, rollouts progress or trip the circuit breaker, and old stopped tasks are forgotten.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::events;
use super::fleet::crash_loop_fate;
use super::fleet::{Behaviour, ClusterState, DemoFleet, DeploymentState, Rollout, ServiceState};
use super::rng::SplitMix64;
use super::taskdef;
use super::tasks::{self, Fate, SimTask, StopCause, TaskOrigin};
use crate::domain::ecs::TaskDefinition;

/// A running task's chance per tick of a random incident (OOM or failed health check): with
/// ~160 tasks, one incident every ~30 s of demo time.
const INCIDENT_ODDS: u64 = 2500;
/// Tasks a rollout starts at a time, so the replacement is visible step by step.
const ROLLOUT_STARTS_IN_FLIGHT: usize = 1;
/// Failed tasks after which a broken rollout is marked FAILED. AWS's minimum is 3; the demo
/// waits longer so the failing rollout stays on screen for about a minute.
const CIRCUIT_BREAKER_THRESHOLD: i32 = 8;
/// ECS keeps stopped tasks visible for about an hour.
const STOPPED_RETENTION_MINUTES: i64 = 60;
/// Bound on stopped tasks kept per service, so a crash loop cannot grow memory.
pub(super) const MAX_STOPPED_PER_SERVICE: usize = 50;

/// A tick's chance that some steady service starts a new release, so a long demo keeps
/// showing rollouts (about one every 10 minutes).
const RELEASE_ODDS: u64 = 300;

pub(super) const CIRCUIT_BREAKER_REASON: &str =
    "ECS deployment circuit breaker: tasks failed to start.";

/// What every per-cluster step function needs from the fleet.
struct Tick<'a> {
    rng: &'a mut SplitMix64,
    now: DateTime<Utc>,
    definitions: &'a BTreeMap<String, TaskDefinition>,
}

impl DemoFleet {
    /// Advances the simulation by one tick ending at `now`. Deterministic for the same
    /// sequence of calls on the same fleet.
    pub fn step(&mut self, now: DateTime<Utc>) {
        self.now = now;
        self.maybe_release();
        let generated_at = self.generated_at.timestamp();
        let DemoFleet {
            rng,
            clusters,
            task_definitions,
            ..
        } = self;
        let mut tick = Tick {
            rng,
            now,
            definitions: task_definitions,
        };
        for cluster in clusters.iter_mut() {
            super::capacity::follow_group(cluster, generated_at, now);
            advance_tasks(&mut tick, cluster);
            let ClusterState {
                name,
                hosts,
                services,
                tasks,
                ..
            } = cluster;
            for service in services.iter_mut() {
                let place = Place {
                    cluster: name,
                    hosts,
                };
                reconcile(&mut tick, &place, service, tasks);
            }
            prune_stopped(cluster, now);
            events::record_step(cluster, now);
        }
    }
}

impl DemoFleet {
    /// Sometimes registers a new revision for a steady service and starts rolling it out.
    fn maybe_release(&mut self) {
        if !self.rng.chance(1, RELEASE_ODDS) {
            return;
        }
        let candidates: Vec<(usize, usize)> = self
            .clusters
            .iter()
            .enumerate()
            .flat_map(|(c, cluster)| {
                let steady = cluster.services.iter().enumerate().filter(|(_, s)| {
                    s.behaviour == Behaviour::Steady
                        && s.deployments.len() == 1
                        && s.deployments
                            .iter()
                            .all(|d| d.rollout == Rollout::Completed)
                });
                steady.map(move |(s, _)| (c, s)).collect::<Vec<_>>()
            })
            .collect();
        let Some(&(c, s)) = self.rng.pick(&candidates) else {
            return;
        };
        let current = self
            .clusters
            .get(c)
            .and_then(|cluster| cluster.services.get(s))
            .and_then(|service| service.deployments.first())
            .and_then(|d| self.find_task_definition(&d.task_definition))
            .and_then(|d| self.find_task_definition(&d.family))
            .cloned();
        let Some(latest) = current else {
            return;
        };
        let mut next = taskdef::next_revision(&latest);
        next.registered_at = Some(self.now);
        self.task_definitions
            .insert(next.task_definition_arn.clone(), next.clone());
        let now = self.now;
        let mut deployment = self.deployment(&next, 0, Rollout::InProgress, now);
        if let Some(service) = self
            .clusters
            .get_mut(c)
            .and_then(|cl| cl.services.get_mut(s))
        {
            deployment.desired = service.desired;
            service.deployments.insert(0, deployment);
        }
    }
}

/// Walks starting tasks one state forward, runs fates, rolls random incidents.
fn advance_tasks(tick: &mut Tick<'_>, cluster: &mut ClusterState) {
    let mut failures: Vec<String> = Vec::new();
    let ClusterState {
        services, tasks, ..
    } = cluster;
    for sim in tasks.iter_mut().filter(|t| t.is_stopping()) {
        tasks::advance_stopping(sim, tick.now);
    }
    for sim in tasks.iter_mut().filter(|t| t.is_live()) {
        let target_group = sim
            .service_name()
            .and_then(|name| services.iter().find(|s| s.name == name))
            .and_then(|s| s.target_group.clone());
        sim.ticks_in_status += 1;
        if sim.task.last_status != "RUNNING" {
            tasks::advance_startup(tick.rng, sim, tick.now, target_group.is_some());
            continue;
        }
        if target_group.is_some() && sim.ticks_in_status == 1 {
            // Health checks pass on the first check after start (the grace period).
            tasks::set_health(&mut sim.task, "HEALTHY");
        }
        match sim.fate {
            Fate::Healthy => maybe_incident(tick.rng, sim, target_group.is_some()),
            Fate::Crash { after_ticks, cause } => {
                if cause == StopCause::ElbHealthCheck && sim.ticks_in_status + 1 == after_ticks {
                    tasks::set_health(&mut sim.task, "UNHEALTHY");
                }
                if sim.ticks_in_status >= after_ticks {
                    let detail = target_group.unwrap_or_default();
                    tasks::stop(&mut sim.task, tick.now, cause, &detail);
                    failures.push(sim.started_by().to_string());
                }
            }
        }
    }
    count_failures(services, &failures, tick.now);
}

/// Occasionally dooms a healthy running task: OOM-killed, or failing ELB health checks
/// (only for load-balanced services) a couple of ticks later.
fn maybe_incident(rng: &mut SplitMix64, sim: &mut SimTask, load_balanced: bool) {
    if !rng.chance(1, INCIDENT_ODDS) {
        return;
    }
    let cause = if load_balanced && rng.chance(1, 2) {
        StopCause::ElbHealthCheck
    } else {
        StopCause::OutOfMemory
    };
    sim.fate = Fate::Crash {
        after_ticks: sim.ticks_in_status + 2,
        cause,
    };
}

/// Counts crashes against in-progress deployments, as ECS's `failedTasks` does.
fn count_failures(services: &mut [ServiceState], deployment_ids: &[String], now: DateTime<Utc>) {
    for id in deployment_ids {
        let deployment = services
            .iter_mut()
            .flat_map(|s| s.deployments.iter_mut())
            .find(|d| &d.id == id && d.rollout == Rollout::InProgress);
        if let Some(deployment) = deployment {
            deployment.failed_tasks += 1;
            deployment.updated_at = now;
        }
    }
}

/// Where new tasks of a cluster go.
struct Place<'a> {
    cluster: &'a str,
    hosts: &'a tasks::Hosts,
}

/// Live and running task counts of one deployment.
fn counts(tasks: &[SimTask], service: &str, deployment: &str) -> (usize, usize) {
    let mine = tasks
        .iter()
        .filter(|t| t.is_live() && t.started_by() == deployment)
        .filter(|t| t.service_name() == Some(service));
    mine.fold((0, 0), |(live, running), t| {
        (live + 1, running + usize::from(t.is_running()))
    })
}

/// The service scheduler: keep the desired count, progress or fail rollouts.
fn reconcile(
    tick: &mut Tick<'_>,
    place: &Place<'_>,
    service: &mut ServiceState,
    tasks: &mut Vec<SimTask>,
) {
    let Some(primary) = service.deployments.first() else {
        return;
    };
    match primary.rollout {
        Rollout::InProgress => progress_rollout(tick, place, service, tasks),
        Rollout::Completed => keep_desired(tick, place, service, tasks, 0),
        // The circuit breaker stopped the new revision; the old one keeps serving.
        Rollout::Failed if service.deployments.len() > 1 => {
            keep_desired(tick, place, service, tasks, 1)
        }
        Rollout::Failed => {}
    }
}

fn progress_rollout(
    tick: &mut Tick<'_>,
    place: &Place<'_>,
    service: &mut ServiceState,
    tasks: &mut Vec<SimTask>,
) {
    let Some(primary) = service.deployments.first() else {
        return;
    };
    if primary.broken && primary.failed_tasks >= CIRCUIT_BREAKER_THRESHOLD {
        if let Some(primary) = service.deployments.first_mut() {
            primary.rollout = Rollout::Failed;
            primary.updated_at = tick.now;
        }
        return;
    }
    let primary_id = primary.id.clone();
    let desired = usize::try_from(service.desired).unwrap_or(0);
    let (mut live, mut running) = counts(tasks, &service.name, &primary_id);
    if live > desired {
        // Scaled in mid-rollout: the newest tasks of the new deployment go first.
        stop_newest(tick, service, tasks, Some(&primary_id), live - desired);
        (live, running) = counts(tasks, &service.name, &primary_id);
    }
    if live < desired && live - running < ROLLOUT_STARTS_IN_FLIGHT {
        let fate = rollout_fate(service, primary.broken);
        start_tasks(tick, place, service, tasks, 0, 1, fate);
    }
    // Each new task that serves replaces one old task (minimumHealthyPercent 100); behind a
    // load balancer that means healthy in its target group, so a release that fails its
    // health checks never takes the old tasks down with it.
    let serving = serving(tasks, service, &primary_id);
    let old_ids: Vec<String> = service
        .deployments
        .iter()
        .skip(1)
        .map(|d| d.id.clone())
        .collect();
    let mut old_live: usize = old_ids
        .iter()
        .map(|id| counts(tasks, &service.name, id).0)
        .sum();
    let mut excess = (serving + old_live).saturating_sub(desired);
    for sim in tasks.iter_mut() {
        if excess == 0 {
            break;
        }
        let is_old = sim.is_live() && old_ids.iter().any(|id| id == sim.started_by());
        if is_old && sim.service_name() == Some(service.name.as_str()) {
            tasks::stop(&mut sim.task, tick.now, StopCause::Scheduler, &primary_id);
            excess -= 1;
            old_live -= 1;
        }
    }
    if old_live == 0 && serving >= desired {
        service.deployments.truncate(1);
        if let Some(primary) = service.deployments.first_mut() {
            primary.rollout = Rollout::Completed;
            primary.updated_at = tick.now;
        }
    }
}

/// What becomes of a new task of the primary deployment. A broken release behind a load
/// balancer fails its health checks (unhealthy the tick after it is RUNNING, stopped the
/// next); one without a load balancer exits with code 1 as soon as it runs.
fn rollout_fate(service: &ServiceState, broken: bool) -> Fate {
    match (broken, service.target_group.is_some()) {
        (false, _) => Fate::Healthy,
        (true, true) => Fate::Crash {
            after_ticks: 2,
            cause: StopCause::ElbHealthCheck,
        },
        (true, false) => Fate::Crash {
            after_ticks: 1,
            cause: StopCause::ExitCode1,
        },
    }
}

/// Running tasks of one deployment that take traffic: healthy in the target group when the
/// service has one, merely RUNNING otherwise.
fn serving(tasks: &[SimTask], service: &ServiceState, deployment: &str) -> usize {
    let balanced = service.target_group.is_some();
    tasks
        .iter()
        .filter(|t| t.is_running() && t.started_by() == deployment)
        .filter(|t| t.service_name() == Some(service.name.as_str()))
        .filter(|t| !balanced || t.task.health_status.as_deref() == Some("HEALTHY"))
        .count()
}

/// Replaces missing tasks of deployment `deployment` (all at once, as ECS does) and stops
/// extra ones, up to what the cluster can place.
fn keep_desired(
    tick: &mut Tick<'_>,
    place: &Place<'_>,
    service: &mut ServiceState,
    tasks: &mut Vec<SimTask>,
    deployment: usize,
) {
    let mut target = usize::try_from(service.desired).unwrap_or(0);
    if let Behaviour::CapacityLimited { max_placed } = service.behaviour {
        target = target.min(usize::try_from(max_placed).unwrap_or(0));
    }
    let live = tasks
        .iter()
        .filter(|t| t.is_live() && t.service_name() == Some(service.name.as_str()))
        .count();
    if live < target {
        let fate = match service.behaviour {
            Behaviour::CrashLoop => crash_loop_fate(),
            _ => Fate::Healthy,
        };
        start_tasks(tick, place, service, tasks, deployment, target - live, fate);
        return;
    }
    stop_newest(tick, service, tasks, None, live - target);
}

/// Scale-in: stops the `count` newest live tasks of `service` (of one deployment only when
/// given), as ECS reports it: "Scaling activity initiated by (deployment ecs-svc/...)".
fn stop_newest(
    tick: &mut Tick<'_>,
    service: &ServiceState,
    tasks: &mut [SimTask],
    deployment: Option<&str>,
    count: usize,
) {
    let mut extra = count;
    let detail = service
        .deployments
        .first()
        .map(|d| d.id.clone())
        .unwrap_or_default();
    for sim in tasks.iter_mut().rev() {
        if extra == 0 {
            break;
        }
        let mine = sim.is_live()
            && sim.service_name() == Some(service.name.as_str())
            && deployment.is_none_or(|id| sim.started_by() == id);
        if mine {
            tasks::stop(&mut sim.task, tick.now, StopCause::Scheduler, &detail);
            extra -= 1;
        }
    }
}

fn start_tasks(
    tick: &mut Tick<'_>,
    place: &Place<'_>,
    service: &ServiceState,
    tasks: &mut Vec<SimTask>,
    deployment: usize,
    count: usize,
    fate: Fate,
) {
    let Some(deployment) = service.deployments.get(deployment) else {
        return;
    };
    let Some(definition) = tick.definitions.get(&deployment.task_definition) else {
        return;
    };
    let origin = TaskOrigin {
        cluster: place.cluster,
        service: &service.name,
        deployment_id: &deployment.id,
        launch: &service.launch,
    };
    for _ in 0..count {
        let task = tasks::new_task(tick.rng, &origin, place.hosts, definition, tick.now, fate);
        tasks.push(task);
    }
}

/// Forgets stopped tasks older than the retention, and all but the newest
/// [`MAX_STOPPED_PER_SERVICE`] of each service.
fn prune_stopped(cluster: &mut ClusterState, now: DateTime<Utc>) {
    let cutoff = now - Duration::minutes(STOPPED_RETENTION_MINUTES);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut keep = vec![true; cluster.tasks.len()];
    for (index, sim) in cluster.tasks.iter().enumerate().rev() {
        if sim.is_live() {
            continue;
        }
        let service = sim.service_name().unwrap_or_default().to_string();
        let count = seen.entry(service).or_default();
        *count += 1;
        let expired = sim.task.stopped_at.is_some_and(|at| at < cutoff);
        if expired || *count > MAX_STOPPED_PER_SERVICE {
            keep[index] = false;
        }
    }
    let mut flags = keep.into_iter();
    cluster.tasks.retain(|_| flags.next().unwrap_or(true));
}

/// Used by the describe view: ACTIVE deployments report what they still run as desired.
pub(super) fn deployment_counts(
    tasks: &[SimTask],
    service: &str,
    deployment: &DeploymentState,
) -> (i32, i32) {
    let (live, running) = counts(tasks, service, &deployment.id);
    let to_i32 = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    (to_i32(live), to_i32(running))
}
