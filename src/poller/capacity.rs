//! `:capacity`'s fetches: capacity providers and Auto Scaling groups in batches, and the
//! CapacityProviderReservation queries, which ride in GetMetricData batches of 500 like
//! every other metric (`metrics::run`).

use chrono::{DateTime, Duration, Utc};

use super::metrics::{LIST_WINDOW_MINUTES, run};
use crate::backend::metrics::MetricQuery;
use crate::backend::{Backend, BackendError, ErrorKind, fetch_capacity};
use crate::store::{Payload, ReservationMap, Resource};

/// Where ECS publishes a provider's reservation: the percentage of the group's instances
/// the tasks need (over 100: ECS is scaling out; under: in).
const NAMESPACE: &str = "AWS/ECS/ManagedScaling";
const METRIC: &str = "CapacityProviderReservation";

/// The queries for these providers of a cluster, one a minute; ids `r<index>`.
pub fn queries(cluster: &str, providers: &[String]) -> Vec<MetricQuery> {
    (providers.iter().enumerate())
        .map(|(i, provider)| MetricQuery {
            id: format!("r{i}"),
            namespace: NAMESPACE.to_string(),
            metric: METRIC.to_string(),
            dimensions: vec![
                ("ClusterName".to_string(), cluster.to_string()),
                ("CapacityProviderName".to_string(), provider.clone()),
            ],
            // ECS publishes one value a minute; the maximum shows a short peak.
            stat: "Maximum".to_string(),
            period_secs: 60,
        })
        .collect()
}

/// The last 30 minutes of each provider's reservation.
async fn reservation(
    backend: &dyn Backend,
    cluster: &str,
    providers: &[String],
    now: DateTime<Utc>,
) -> Result<ReservationMap, BackendError> {
    let start = now - Duration::minutes(LIST_WINDOW_MINUTES);
    let mut answers = run(backend, queries(cluster, providers), start, now).await?;
    Ok((providers.iter().enumerate())
        .map(|(i, provider)| {
            let points = answers
                .remove(&format!("r{i}"))
                .map(|s| s.points)
                .unwrap_or_default();
            (provider.clone(), points)
        })
        .collect())
}

/// Fetches one of the capacity resources.
pub async fn fetch(
    backend: &dyn Backend,
    resource: &Resource,
    now: DateTime<Utc>,
) -> Result<Payload, BackendError> {
    match resource {
        Resource::CapacityProviders { names } => fetch_capacity::capacity_providers(backend, names)
            .await
            .map(Payload::CapacityProviders),
        Resource::AutoScalingGroups { names } => {
            fetch_capacity::auto_scaling_groups(backend, names)
                .await
                .map(Payload::AutoScalingGroups)
        }
        Resource::CapacityReservation { cluster, providers } => {
            reservation(backend, cluster, providers, now)
                .await
                .map(Payload::CapacityReservation)
        }
        _ => Err(BackendError::new(
            ErrorKind::Other,
            "internal",
            "not a capacity resource",
        )),
    }
}
