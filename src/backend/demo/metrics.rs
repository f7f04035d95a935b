//! The demo fleet's CloudWatch: GetMetricData over the curves of [`super::signals`] and
//! DescribeAlarms over [`super::alarms`], with CloudWatch's limits and its habit of answering
//! an unknown metric with an empty series rather than an error.
//!
//! What exists is what AWS would have: `AWS/ECS` CPUUtilization/MemoryUtilization per
//! service (ClusterName, ServiceName) and per cluster (ClusterName); `ECS/ContainerInsights`
//! CpuUtilized/MemoryUtilized/CpuReserved/MemoryReserved per task (ClusterName, TaskId) and
//! per service (ClusterName, ServiceName), only on clusters with Container Insights enabled;
//! `AWS/ApplicationELB` per target group and per load balancer (see [`super::traffic`]);
//! `AWS/ECS/ManagedScaling` CapacityProviderReservation of the EC2 cluster's Auto Scaling
//! group provider (see [`super::capacity`]).

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::fleet::{ClusterState, DemoFleet};
use super::signals::{self, Resource};
use super::traffic::{self, BalancerSource};
use super::{DemoBackend, invalid};
use crate::backend::BackendError;
use crate::backend::metrics::{
    AlarmPage, METRIC_QUERIES_MAX, MetricQuery, MetricSeries, MetricsBackend,
};

const OP: &str = "GetMetricData";
/// GetMetricData's limit on points per call; AWS pages beyond it, the demo stops there.
const POINTS_PER_CALL_MAX: usize = 100_800;
/// Samples (one per minute) aggregated into one point at most; longer periods sample sparser.
const SAMPLES_PER_POINT_MAX: i64 = 12;

/// Where one query's numbers come from, resolved against the fleet once per call.
#[derive(Debug, Clone)]
enum Source {
    /// AWS/ECS per service: percent of the reservation.
    Service {
        cluster: String,
        service: String,
        resource: Resource,
        since: i64,
    },
    /// AWS/ECS per cluster: the services' values weighted by their desired counts.
    Cluster {
        cluster: String,
        services: Vec<(String, f64)>,
        resource: Resource,
    },
    /// Container Insights per task: CPU units or MiB, only while the task lived.
    Task {
        cluster: String,
        service: String,
        task_id: String,
        resource: Resource,
        reserved: f64,
        /// Reserved rather than utilised.
        reservation: bool,
        started: i64,
        stopped: Option<i64>,
    },
    /// Container Insights per service: the sum over its desired tasks.
    InsightsService {
        cluster: String,
        service: String,
        resource: Resource,
        reserved_total: f64,
        reservation: bool,
        since: i64,
    },
    /// AWS/ApplicationELB: a target group's or a load balancer's traffic.
    Balancer(BalancerSource),
    /// AWS/ECS/ManagedScaling CapacityProviderReservation of the batch cluster's Auto
    /// Scaling group provider: the scale-out episode of [`super::capacity`].
    Reservation { generated_at: i64 },
    /// A metric CloudWatch has no data for: an empty series.
    Nothing,
}

pub(super) fn dimension<'a>(query: &'a MetricQuery, name: &str) -> Option<&'a str> {
    query
        .dimensions
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The dimension names of a query, as CloudWatch matches them: the exact set.
pub(super) fn dimension_names(query: &MetricQuery) -> Vec<&str> {
    let mut names: Vec<&str> = query.dimensions.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    names
}

fn insights_metric(metric: &str) -> Option<(Resource, bool)> {
    match metric {
        "CpuUtilized" => Some((Resource::Cpu, false)),
        "CpuReserved" => Some((Resource::Cpu, true)),
        "MemoryUtilized" => Some((Resource::Memory, false)),
        "MemoryReserved" => Some((Resource::Memory, true)),
        _ => None,
    }
}

fn ecs_metric(metric: &str) -> Option<Resource> {
    match metric {
        "CPUUtilization" => Some(Resource::Cpu),
        "MemoryUtilization" => Some(Resource::Memory),
        _ => None,
    }
}

fn parse_size(size: Option<&String>) -> f64 {
    size.and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0)
}

fn resolve(fleet: &DemoFleet, query: &MetricQuery) -> Source {
    if let Some(balancer) = traffic::resolve(fleet, query) {
        return Source::Balancer(balancer);
    }
    let Some(cluster) = dimension(query, "ClusterName")
        .and_then(|name| fleet.clusters.iter().find(|c| c.name == name))
    else {
        return Source::Nothing;
    };
    let names = dimension_names(query);
    match (query.namespace.as_str(), names.as_slice()) {
        ("AWS/ECS", ["ClusterName", "ServiceName"]) => {
            resolve_service(cluster, query, ecs_metric(&query.metric))
        }
        ("AWS/ECS", ["ClusterName"]) => match ecs_metric(&query.metric) {
            Some(resource) => Source::Cluster {
                cluster: cluster.name.clone(),
                services: cluster
                    .services
                    .iter()
                    .map(|s| (s.name.clone(), f64::from(s.desired.max(1))))
                    .collect(),
                resource,
            },
            None => Source::Nothing,
        },
        ("AWS/ECS/ManagedScaling", ["CapacityProviderName", "ClusterName"]) => {
            let provider = dimension(query, "CapacityProviderName").unwrap_or_default();
            let scaled = cluster.capacity_providers.iter().any(|p| p == provider)
                && !crate::domain::capacity::is_fargate(provider);
            if scaled && query.metric == "CapacityProviderReservation" {
                Source::Reservation {
                    generated_at: fleet.generated_at.timestamp(),
                }
            } else {
                Source::Nothing
            }
        }
        ("ECS/ContainerInsights", _) if !insights_enabled(cluster) => Source::Nothing,
        ("ECS/ContainerInsights", ["ClusterName", "TaskId"]) => resolve_task(cluster, query),
        ("ECS/ContainerInsights", ["ClusterName", "ServiceName"]) => {
            resolve_insights_service(cluster, query)
        }
        _ => Source::Nothing,
    }
}

fn insights_enabled(cluster: &ClusterState) -> bool {
    cluster.container_insights.as_deref() == Some("enabled")
}

fn resolve_service(
    cluster: &ClusterState,
    query: &MetricQuery,
    resource: Option<Resource>,
) -> Source {
    let service = dimension(query, "ServiceName")
        .and_then(|name| cluster.services.iter().find(|s| s.name == name));
    match (service, resource) {
        (Some(service), Some(resource)) => Source::Service {
            cluster: cluster.name.clone(),
            service: service.name.clone(),
            resource,
            since: service.created_at.timestamp(),
        },
        _ => Source::Nothing,
    }
}

fn resolve_task(cluster: &ClusterState, query: &MetricQuery) -> Source {
    let Some((resource, reservation)) = insights_metric(&query.metric) else {
        return Source::Nothing;
    };
    let Some(task_id) = dimension(query, "TaskId") else {
        return Source::Nothing;
    };
    let found = cluster.tasks.iter().find(|t| t.task.short_id() == task_id);
    let Some(sim) = found else {
        return Source::Nothing;
    };
    let Some(started) = sim.task.started_at else {
        // Not running yet: no samples.
        return Source::Nothing;
    };
    let reserved = match resource {
        Resource::Cpu => parse_size(sim.task.cpu.as_ref()),
        Resource::Memory => parse_size(sim.task.memory.as_ref()),
    };
    Source::Task {
        cluster: cluster.name.clone(),
        service: sim.service_name().unwrap_or_default().to_string(),
        task_id: task_id.to_string(),
        resource,
        reserved,
        reservation,
        started: started.timestamp(),
        stopped: sim.task.stopped_at.map(|t| t.timestamp()),
    }
}

fn resolve_insights_service(cluster: &ClusterState, query: &MetricQuery) -> Source {
    let Some((resource, reservation)) = insights_metric(&query.metric) else {
        return Source::Nothing;
    };
    let Some(service) = dimension(query, "ServiceName")
        .and_then(|name| cluster.services.iter().find(|s| s.name == name))
    else {
        return Source::Nothing;
    };
    let per_task = cluster
        .tasks
        .iter()
        .find(|t| t.service_name() == Some(service.name.as_str()))
        .map(|t| match resource {
            Resource::Cpu => parse_size(t.task.cpu.as_ref()),
            Resource::Memory => parse_size(t.task.memory.as_ref()),
        })
        .unwrap_or(0.0);
    Source::InsightsService {
        cluster: cluster.name.clone(),
        service: service.name.clone(),
        resource,
        reserved_total: per_task * f64::from(service.desired.max(0)),
        reservation,
        since: service.created_at.timestamp(),
    }
}

/// One sample of a source at `t`, standing for the `step` seconds from `t` (counts scale
/// with it), or `None` when it had no data then.
fn sample(seed: u64, source: &Source, t: i64, step: i64) -> Option<f64> {
    match source {
        Source::Service {
            cluster,
            service,
            resource,
            since,
        } => (t >= *since).then(|| signals::utilisation(seed, cluster, service, *resource, t)),
        Source::Cluster {
            cluster,
            services,
            resource,
        } => {
            let weight: f64 = services.iter().map(|(_, w)| w).sum();
            let total: f64 = services
                .iter()
                .map(|(name, w)| w * signals::utilisation(seed, cluster, name, *resource, t))
                .sum();
            (weight > 0.0).then(|| total / weight)
        }
        Source::Task {
            cluster,
            service,
            task_id,
            resource,
            reserved,
            reservation,
            started,
            stopped,
        } => {
            let alive = t + 60 > *started && stopped.is_none_or(|end| t < end);
            if !alive {
                return None;
            }
            if *reservation {
                return Some(*reserved);
            }
            let percent = signals::task_utilisation(
                seed,
                cluster,
                service,
                task_id,
                *resource,
                Some(*started),
                t,
            );
            Some(reserved * percent / 100.0)
        }
        Source::InsightsService {
            cluster,
            service,
            resource,
            reserved_total,
            reservation,
            since,
        } => {
            if t < *since {
                return None;
            }
            if *reservation {
                return Some(*reserved_total);
            }
            let percent = signals::utilisation(seed, cluster, service, *resource, t);
            Some(reserved_total * percent / 100.0)
        }
        Source::Balancer(source) => traffic::sample(seed, source, t, step),
        Source::Reservation { generated_at } => {
            Some(super::capacity::moment(*generated_at, t).reservation)
        }
        Source::Nothing => None,
    }
}

/// The points of one series: one per period from the first period boundary at or after
/// `start` up to `end` (exclusive) and never past the fleet's clock, ascending.
fn series_points(
    seed: u64,
    source: &Source,
    stat: &str,
    period: i64,
    start: i64,
    end: i64,
    budget: &mut usize,
) -> Vec<(DateTime<Utc>, f64)> {
    let mut points = Vec::new();
    if matches!(source, Source::Nothing) {
        return points;
    }
    let step = (period / SAMPLES_PER_POINT_MAX).max(60).min(period.max(1));
    let mut bucket = start.div_euclid(period) * period;
    if bucket < start {
        bucket += period;
    }
    let mut samples = Vec::new();
    while bucket < end && *budget > 0 {
        samples.clear();
        let mut t = bucket;
        while t < bucket + period && t < end {
            samples.extend(sample(seed, source, t, step));
            t += step;
        }
        if let (Some(value), Some(at)) = (
            signals::aggregate(stat, &samples),
            DateTime::from_timestamp(bucket, 0),
        ) {
            points.push((at, value));
            *budget -= 1;
        }
        bucket += period;
    }
    points
}

fn validate(
    queries: &[MetricQuery],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<(), BackendError> {
    if queries.len() > METRIC_QUERIES_MAX {
        return Err(invalid(
            OP,
            format!(
                "The collection MetricDataQueries must not have a size greater than {METRIC_QUERIES_MAX}."
            ),
        ));
    }
    let mut ids = HashSet::new();
    for query in queries {
        if !ids.insert(query.id.as_str()) {
            return Err(invalid(
                OP,
                format!(
                    "The values for parameter id in MetricDataQueries are not unique: {}",
                    query.id
                ),
            ));
        }
        let well_formed = query
            .id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase())
            && query
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !well_formed {
            return Err(invalid(
                OP,
                format!("Invalid metric data query id: {}", query.id),
            ));
        }
        if query.period_secs < 1 {
            return Err(invalid(OP, "The parameter Period must be greater than 0."));
        }
    }
    if start >= end {
        return Err(invalid(
            OP,
            "The parameter StartTime must be less than the parameter EndTime.",
        ));
    }
    Ok(())
}

impl DemoFleet {
    /// GetMetricData against the fleet's curves (see the module doc).
    pub(super) fn metric_data(
        &self,
        queries: &[MetricQuery],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<MetricSeries>, BackendError> {
        validate(queries, start, end)?;
        // Nothing is measured after "now": the fleet's clock.
        let end = end.min(self.now).timestamp();
        let start = start.timestamp();
        let mut budget = POINTS_PER_CALL_MAX;
        Ok(queries
            .iter()
            .map(|query| {
                let source = resolve(self, query);
                MetricSeries {
                    id: query.id.clone(),
                    points: series_points(
                        self.seed,
                        &source,
                        &query.stat,
                        i64::from(query.period_secs),
                        start,
                        end,
                        &mut budget,
                    ),
                }
            })
            .collect())
    }
}

#[async_trait]
impl MetricsBackend for DemoBackend {
    async fn get_metric_data(
        &self,
        queries: &[MetricQuery],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<MetricSeries>, BackendError> {
        self.fleet().fleet.metric_data(queries, start, end)
    }

    async fn describe_alarms(
        &self,
        in_alarm: bool,
        next_token: Option<String>,
    ) -> Result<AlarmPage, BackendError> {
        self.fleet().fleet.alarms(in_alarm, next_token)
    }
}
