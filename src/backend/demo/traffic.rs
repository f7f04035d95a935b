//! The demo's load balancer traffic in CloudWatch (`AWS/ApplicationELB`): requests, 5xx and
//! response times per target group, host counts, and the balancer's own 5xx. Like
//! [`super::signals`], the curves are pure functions of (seed, cluster, service, time).
//!
//! One incident is staged so a triage by errors has something to find: checkout-api in
//! prod-payments answers ~5 % of its requests with 5xx and its p99 is ~1.8 s (against
//! ~0.12 s) from 20 minutes before the fleet was generated until 40 minutes after.
//!
//! What exists is what an ALB publishes: per target group (dimensions exactly TargetGroup
//! and LoadBalancer) RequestCount, HTTPCode_Target_5XX_Count, TargetResponseTime,
//! HealthyHostCount, UnHealthyHostCount; per balancer (LoadBalancer) RequestCount,
//! HTTPCode_Target_5XX_Count and HTTPCode_ELB_5XX_Count. Anything else is an empty series.

use std::f64::consts::TAU;

use super::balancing::{is_balanced, targets};
use super::catalog;
use super::fleet::{ClusterState, DemoFleet, ServiceState};
use super::metrics::{dimension, dimension_names};
use super::signals::{label_hash, mix, unit};
use crate::backend::metrics::MetricQuery;
use crate::domain::elb::{
    BalancerKind, TargetCounts, load_balancer_dimension, target_group_dimension,
};

/// The service with the staged 5xx and latency incident.
pub(super) const ERROR_SERVICE: (&str, &str) = ("prod-payments", "checkout-api");
/// The incident started this long before the fleet was generated...
const INCIDENT_BEFORE_SECS: i64 = 20 * 60;
/// ...and ends this long after, so a demo shows it at first and its recovery later.
const INCIDENT_AFTER_SECS: i64 = 40 * 60;

/// What one query measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Requests,
    Target5xx,
    Elb5xx,
    /// Seconds; a percentile statistic or the mean.
    ResponseTime {
        percentile: bool,
    },
    HealthyHosts,
    UnhealthyHosts,
}

/// One query's source, resolved against the fleet once per call.
#[derive(Debug, Clone)]
pub(super) struct BalancerSource {
    cluster: String,
    /// The services measured, with their desired counts: one for a target group's
    /// metric, every load-balanced one for the balancer's.
    services: Vec<(String, f64)>,
    measure: Measure,
    /// Count metrics asked for Minimum, Maximum or Average: ALB answers 1 (one per request).
    per_request: bool,
    /// The staged incident, as Unix seconds `[start, end)`.
    incident: (i64, i64),
    /// From this minute on, host counts are the targets' health now rather than the curve.
    current_minute: i64,
    /// Healthy and unhealthy targets now.
    hosts_now: (f64, f64),
}

fn measure(metric: &str, stat: &str, per_target_group: bool) -> Option<Measure> {
    Some(match (metric, per_target_group) {
        ("RequestCount", _) => Measure::Requests,
        ("HTTPCode_Target_5XX_Count", _) => Measure::Target5xx,
        ("HTTPCode_ELB_5XX_Count", false) => Measure::Elb5xx,
        ("TargetResponseTime", true) => Measure::ResponseTime {
            percentile: stat.starts_with('p'),
        },
        ("HealthyHostCount", true) => Measure::HealthyHosts,
        ("UnHealthyHostCount", true) => Measure::UnhealthyHosts,
        _ => return None,
    })
}

/// The balanced cluster whose load balancer a `LoadBalancer` dimension names.
fn balancer_cluster<'a>(fleet: &'a DemoFleet, value: &str) -> Option<&'a ClusterState> {
    fleet.clusters.iter().filter(|c| is_balanced(c)).find(|c| {
        let arn = catalog::load_balancer_arn(&c.name);
        load_balancer_dimension(&arn) == Some(value)
    })
}

/// An `AWS/ApplicationELB` query, or `None` when CloudWatch would have no such metric.
pub(super) fn resolve(fleet: &DemoFleet, query: &MetricQuery) -> Option<BalancerSource> {
    if query.namespace != BalancerKind::Application.namespace() {
        return None;
    }
    let cluster = balancer_cluster(fleet, dimension(query, "LoadBalancer")?)?;
    let names = dimension_names(query);
    let per_target_group = match names.as_slice() {
        ["LoadBalancer", "TargetGroup"] => true,
        ["LoadBalancer"] => false,
        _ => return None,
    };
    let measure = measure(&query.metric, &query.stat, per_target_group)?;
    let behind: Vec<&ServiceState> = if per_target_group {
        let wanted = dimension(query, "TargetGroup")?;
        let service = cluster
            .services
            .iter()
            .find(|s| s.target_group.as_deref().and_then(target_group_dimension) == Some(wanted))?;
        vec![service]
    } else {
        let balanced = cluster.services.iter().filter(|s| s.target_group.is_some());
        balanced.collect()
    };
    let counts = behind
        .iter()
        .map(|s| TargetCounts::of(&targets(cluster, s)))
        .fold(TargetCounts::default(), |mut all, c| {
            all.add(&c);
            all
        });
    let generated = fleet.generated_at.timestamp();
    Some(BalancerSource {
        cluster: cluster.name.clone(),
        services: behind
            .iter()
            .map(|s| (s.name.clone(), f64::from(s.desired.max(0))))
            .collect(),
        measure,
        per_request: matches!(query.stat.as_str(), "Minimum" | "Maximum" | "Average"),
        incident: (
            generated - INCIDENT_BEFORE_SECS,
            generated + INCIDENT_AFTER_SECS,
        ),
        current_minute: fleet.now.timestamp().div_euclid(60) * 60,
        hosts_now: (counts.healthy as f64, counts.unhealthy as f64),
    })
}

/// One sample at `t` standing for the `step` seconds from `t`, or `None` when ALB would
/// publish nothing (it publishes no 5xx count for a minute without any).
pub(super) fn sample(seed: u64, source: &BalancerSource, t: i64, step: i64) -> Option<f64> {
    let minutes = step as f64 / 60.0;
    let per_service = source.services.iter().map(|(service, tasks)| {
        let incident = (source.cluster.as_str(), service.as_str()) == ERROR_SERVICE
            && (source.incident.0..source.incident.1).contains(&t);
        minute(seed, &source.cluster, service, *tasks, incident, t)
    });
    let count = |f: fn(&Minute) -> f64| -> Option<f64> {
        let total = per_service.clone().map(|m| f(&m)).sum::<f64>() * minutes;
        match total.round() {
            n if n < 1.0 => None,
            _ if source.per_request => Some(1.0),
            n => Some(n),
        }
    };
    match source.measure {
        Measure::Requests => count(|m| m.requests),
        Measure::Target5xx => count(|m| m.requests * m.error_ratio),
        Measure::Elb5xx => count(|m| m.requests * m.elb_error_ratio),
        Measure::ResponseTime { percentile } => per_service
            .clone()
            .next()
            .map(|m| if percentile { m.p99 } else { m.average }),
        Measure::HealthyHosts | Measure::UnhealthyHosts => {
            let (healthy, unhealthy) = if t >= source.current_minute {
                source.hosts_now
            } else {
                let (name, tasks) = source.services.first()?;
                history_hosts(seed, &source.cluster, name, *tasks, t)
            };
            Some(match source.measure {
                Measure::HealthyHosts => healthy,
                _ => unhealthy,
            })
        }
    }
}

/// One minute of one service's traffic.
#[derive(Debug, Clone, Copy)]
struct Minute {
    /// Requests per minute.
    requests: f64,
    /// Share of the requests the targets answered with 5xx.
    error_ratio: f64,
    /// Share of the requests the balancer itself failed (502, 503, 504).
    elb_error_ratio: f64,
    /// Seconds.
    p99: f64,
    average: f64,
}

/// A number in `-1.0..1.0` that changes every minute.
fn jitter(hash: u64, t: i64) -> f64 {
    let minute = t.div_euclid(60) as u64;
    (unit(mix(hash ^ minute.wrapping_mul(0x2545_f491_4f6c_dd1d))) - 0.5) * 2.0
}

fn minute(seed: u64, cluster: &str, service: &str, tasks: f64, incident: bool, t: i64) -> Minute {
    let hash = label_hash(seed, &[cluster, service, "traffic"]);
    // Production serves tens of requests per second per task; staging only test traffic.
    let per_task = if cluster.starts_with("prod") {
        20.0 + 60.0 * unit(hash)
    } else {
        0.5 + 2.5 * unit(hash)
    };
    // Busiest in the European afternoon, quietest before dawn.
    let day = t.div_euclid(60).rem_euclid(1_440) as f64 / 1_440.0;
    let daily = 1.0 + 0.35 * (TAU * (day - 0.3)).sin();
    let requests = tasks * per_task * 60.0 * daily * (1.0 + 0.08 * jitter(hash ^ 1, t));
    let p99_base = if (cluster, service) == ERROR_SERVICE {
        0.12
    } else {
        0.08 + 0.17 * unit(mix(hash ^ 2))
    };
    let calm = Minute {
        requests,
        error_ratio: (0.0005 + 0.002 * unit(mix(hash ^ 3))) * (1.0 + 0.5 * jitter(hash ^ 4, t)),
        elb_error_ratio: 0.00005,
        p99: p99_base * (1.0 + 0.1 * jitter(hash ^ 5, t)),
        average: p99_base * 0.3 * (1.0 + 0.05 * jitter(hash ^ 6, t)),
    };
    if !incident {
        return calm;
    }
    Minute {
        error_ratio: 0.05 + 0.008 * jitter(hash ^ 7, t),
        // Targets that reset connections under load make the balancer answer 502.
        elb_error_ratio: 0.003,
        p99: 1.8 + 0.12 * jitter(hash ^ 8, t),
        average: 0.42 + 0.04 * jitter(hash ^ 9, t),
        ..calm
    }
}

/// Healthy and unhealthy hosts before now: all desired tasks healthy, but for the odd
/// ten-minute window in which one target fails its checks for two minutes and is replaced.
fn history_hosts(seed: u64, cluster: &str, service: &str, tasks: f64, t: i64) -> (f64, f64) {
    let hash = label_hash(seed, &[cluster, service, "hosts"]);
    let window = t.div_euclid(600) as u64;
    let blip = unit(mix(hash ^ window)) < 0.06 && t.rem_euclid(600) < 120;
    if blip && tasks >= 1.0 {
        (tasks - 1.0, 1.0)
    } else {
        (tasks, 0.0)
    }
}
