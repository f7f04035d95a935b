//! Triage: which services need attention, worst first, each with the reason in words.

use chrono::{DateTime, Duration, Utc};

use super::format::age;
use crate::backend::{DesiredStatus, TaskFilter};
use crate::domain::ecs::{Service, Task};
use crate::domain::elb::stopped_by_elb;
use crate::domain::metrics::Thresholds;
use crate::store::{ServiceTargets, Store};

/// Stopped tasks count as "recent" for this long.
pub const RECENT_STOPS_MINUTES: i64 = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Higher is worse.
    pub severity: u32,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TriageRow {
    pub cluster: String,
    pub service: String,
    pub findings: Vec<Finding>,
}

impl TriageRow {
    pub fn score(&self) -> u32 {
        // The worst finding decides; more findings break ties.
        let worst = self.findings.iter().map(|f| f.severity).max().unwrap_or(0);
        worst * 10 + self.findings.len() as u32
    }
}

/// The stopped-tasks resource triage reads for a cluster.
pub fn stopped_filter() -> TaskFilter {
    TaskFilter {
        service: None,
        desired_status: DesiredStatus::Stopped,
        container_instance: None,
    }
}

/// Services of `clusters` that need attention, worst first.
pub fn rows(
    store: &Store,
    clusters: &[String],
    thresholds: Thresholds,
    now: DateTime<Utc>,
) -> Vec<TriageRow> {
    let mut out = Vec::new();
    for cluster in clusters {
        let Some(services) = store.services_of(cluster).and_then(|l| l.value()) else {
            continue;
        };
        let utilisation = store.service_metrics.get(cluster).and_then(|l| l.value());
        let stopped: &[Task] = store
            .tasks_of(cluster, &stopped_filter())
            .and_then(|l| l.value())
            .map(Vec::as_slice)
            .unwrap_or_default();
        for service in services {
            let mut findings = Vec::new();
            rollout(service, &mut findings);
            capacity(service, &mut findings);
            for alarm in store.alarms_for(cluster, &service.service_name) {
                if alarm.state == "ALARM" {
                    let since = alarm
                        .state_updated
                        .map(|t| format!(" for {}", age(t, now)))
                        .unwrap_or_default();
                    findings.push(Finding {
                        severity: 70,
                        reason: format!("alarm {} in ALARM{since}", alarm.name),
                    });
                }
            }
            recent_stops(&service.service_name, stopped, now, &mut findings);
            moved_tags(store, cluster, &service.service_name, now, &mut findings);
            super::triage_capacity::spot_interruptions(
                &service.service_name,
                stopped,
                now,
                &mut findings,
            );
            super::triage_capacity::placement(service, now, &mut findings);
            balancing(store, service, thresholds, &mut findings);
            if let Some(u) = utilisation.and_then(|m| m.get(&service.service_name)) {
                for (what, value) in [("CPU", u.cpu_now()), ("memory", u.memory_now())] {
                    match value {
                        Some(v) if v >= thresholds.failure => findings.push(Finding {
                            severity: 50,
                            reason: format!("{what} {v:.0}%"),
                        }),
                        Some(v) if v >= thresholds.warning => findings.push(Finding {
                            severity: 30,
                            reason: format!("{what} {v:.0}%"),
                        }),
                        _ => {}
                    }
                }
            }
            if !findings.is_empty() {
                findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
                out.push(TriageRow {
                    cluster: cluster.clone(),
                    service: service.service_name.clone(),
                    findings,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        b.score()
            .cmp(&a.score())
            .then_with(|| a.cluster.cmp(&b.cluster))
            .then_with(|| a.service.cmp(&b.service))
    });
    out
}

/// A tag pushed over since the service's tasks started: they run another build than the
/// tag names, and the next task started will run the new one. Known for the tasks ecsdeck
/// has looked at (their containers' ECR lookups), not fetched for triage: describing every
/// running task of every service to find it would cost far more than it saves.
fn moved_tags(
    store: &Store,
    cluster: &str,
    service: &str,
    now: DateTime<Utc>,
    findings: &mut Vec<Finding>,
) {
    // Nothing looked up yet (no containers view opened): nothing can be known to have moved.
    if store.ecr_images.is_empty() {
        return;
    }
    let running = |service: Option<&str>| {
        let filter = TaskFilter {
            service: service.map(str::to_string),
            desired_status: DesiredStatus::Running,
            container_instance: None,
        };
        (store.tasks_of(cluster, &filter))
            .and_then(|l| l.value())
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    let group = format!("service:{service}");
    let of_cluster = running(None)
        .iter()
        .filter(|t| t.group.as_deref() == Some(group.as_str()));
    let mut tasks = running(Some(service)).iter().chain(of_cluster);
    let moved = tasks.find_map(|t| {
        (t.containers.iter()).find_map(|c| super::images::moved(store, t, c).map(|m| (c, m)))
    });
    if let Some((container, m)) = moved {
        findings.push(Finding {
            severity: 45,
            reason: format!("{}: {}", container.name, super::images::moved_text(&m, now)),
        });
    }
}

/// What the load balancers say: unhealthy targets (with the reason when their health is
/// described), the share of 5xx answers and a slow p99, over the last 15 minutes.
fn balancing(
    store: &Store,
    service: &Service,
    thresholds: Thresholds,
    findings: &mut Vec<Finding>,
) {
    let signals = store.balancer_metrics.value();
    let mut unhealthy_found = false;
    let counted = store.service_targets(service);
    if let ServiceTargets::Counted(c) = &counted
        && c.registered == 0
        && service.running_count > 0
    {
        unhealthy_found = true;
        findings.push(Finding {
            severity: 80,
            reason: "no target registered: the load balancer reaches no task".into(),
        });
    }
    if let ServiceTargets::Counted(c) = counted
        && c.unhealthy > 0
    {
        unhealthy_found = true;
        findings.push(Finding {
            severity: 80,
            reason: format!(
                "{} of {} targets unhealthy ({})",
                c.unhealthy,
                c.registered,
                c.unhealthy_reason.as_deref().unwrap_or("no reason given")
            ),
        });
    }
    for arn in service.target_groups() {
        let Some(series) = signals.and_then(|s| s.get(&arn)) else {
            continue;
        };
        if !unhealthy_found
            && let Some((unhealthy, healthy)) = series.hosts_now()
            && unhealthy >= 1.0
        {
            unhealthy_found = true;
            findings.push(Finding {
                severity: 80,
                reason: format!(
                    "{unhealthy:.0} of {:.0} targets unhealthy",
                    unhealthy + healthy
                ),
            });
        }
        if let Some(rate) = series.error_rate()
            && rate >= thresholds.error_rate
        {
            findings.push(Finding {
                severity: 60,
                reason: format!("5xx {rate:.1} % of requests"),
            });
        }
        if let Some(p99) = series.p99.last().map(|p| p.1)
            && p99 >= thresholds.p99_latency
        {
            findings.push(Finding {
                severity: 40,
                reason: format!("p99 latency {p99:.1} s"),
            });
        }
    }
}

/// True when a deployment's reason says ECS is rolling back (circuit breaker rollback).
pub fn rolling_back(service: &Service) -> bool {
    service.deployments.iter().any(|d| {
        d.rollout_state_reason
            .as_deref()
            .is_some_and(|r| r.to_lowercase().contains("rolling back"))
    })
}

fn rollout(service: &Service, findings: &mut Vec<Finding>) {
    let primary = service.primary_deployment();
    if primary.and_then(|d| d.rollout_state.as_deref()) == Some("FAILED") {
        let reason = primary
            .and_then(|d| d.rollout_state_reason.clone())
            .unwrap_or_else(|| "no reason given".into());
        findings.push(Finding {
            severity: 100,
            reason: format!("rollout FAILED: {reason}"),
        });
    } else if rolling_back(service) {
        findings.push(Finding {
            severity: 95,
            reason: "rolling back after a failed deployment".into(),
        });
    }
}

fn capacity(service: &Service, findings: &mut Vec<Finding>) {
    let (running, desired) = (service.running_count, service.desired_count);
    if running < desired {
        let missing = desired - running;
        // Nothing running at all is as bad as a failed rollout.
        let severity = if running == 0 { 98 } else { 80 };
        let pending = if service.pending_count > 0 {
            format!(", {} pending", service.pending_count)
        } else {
            String::new()
        };
        findings.push(Finding {
            severity,
            reason: format!("running {running} of {desired} ({missing} missing{pending})"),
        });
    }
}

fn recent_stops(service: &str, stopped: &[Task], now: DateTime<Utc>, findings: &mut Vec<Finding>) {
    let since = now - Duration::minutes(RECENT_STOPS_MINUTES);
    let (mut oom, mut crashed, mut elb) = (0, 0, 0);
    for task in stopped.iter().filter(|t| t.service_name() == Some(service)) {
        if task.stopped_at.is_none_or(|at| at < since) {
            continue;
        }
        // ECS stops them itself (exit 143 from its SIGTERM): the cause is the health check.
        if task.stopped_reason.as_deref().is_some_and(stopped_by_elb) {
            elb += 1;
            continue;
        }
        let oom_kill = task.containers.iter().any(|c| {
            c.exit_code == Some(137)
                || c.reason
                    .as_deref()
                    .is_some_and(|r| r.contains("OutOfMemory"))
        });
        if oom_kill {
            oom += 1;
        } else if task
            .containers
            .iter()
            .any(|c| c.exit_code.is_some_and(|e| e != 0))
        {
            crashed += 1;
        }
    }
    if elb > 0 {
        findings.push(Finding {
            severity: 65,
            reason: format!(
                "{elb} task(s) stopped for failing ELB health checks in the last {RECENT_STOPS_MINUTES} min"
            ),
        });
    }
    if oom > 0 {
        findings.push(Finding {
            severity: 60,
            reason: format!("{oom} task(s) OOM-killed in the last {RECENT_STOPS_MINUTES} min"),
        });
    }
    if crashed > 0 {
        findings.push(Finding {
            severity: 55,
            reason: format!(
                "{crashed} task(s) exited non-zero in the last {RECENT_STOPS_MINUTES} min"
            ),
        });
    }
}
