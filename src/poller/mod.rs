//! The poller: one tokio task that keeps what is on screen fresh, and nothing else.
//!
//! It watches the focus (the resources of the view stack, sent by the UI task), fetches each
//! at its interval, and sends owned results back as messages. Rules from DESIGN.md:
//! - only focused resources are polled; leaving a view stops its polling;
//! - at most one fetch per resource in flight: the next one is scheduled when the previous
//!   one finishes, so a slow response delays the next poll instead of stacking requests;
//! - throttling (and other errors) lengthen the interval; success restores it.

pub mod metrics;
mod schedule;

use std::collections::HashSet;
use std::sync::Arc;

use tokio::sync::{Notify, mpsc, watch};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use crate::backend::{Backend, BackendError, fetch};
use crate::config::RefreshIntervals;
use crate::msg::Msg;
use crate::store::{Payload, Resource};
pub use schedule::Schedule;

/// Fetches one resource completely (all pages, batched describes).
pub async fn fetch_resource(
    backend: &dyn Backend,
    resource: &Resource,
) -> Result<Payload, BackendError> {
    match resource {
        Resource::Clusters => fetch::clusters(backend).await.map(Payload::Clusters),
        Resource::Services { cluster } => fetch::services(backend, cluster)
            .await
            .map(Payload::Services),
        Resource::Tasks { cluster, filter } => fetch::tasks(backend, cluster, filter)
            .await
            .map(Payload::Tasks),
        Resource::TaskDefinition { arn } => backend
            .describe_task_definition(arn)
            .await
            .map(|d| Payload::TaskDefinition(Box::new(d))),
        Resource::Revisions { family } => fetch::revisions(backend, family)
            .await
            .map(Payload::Revisions),
        Resource::ScalableTarget { cluster, service } => backend
            .scalable_target(cluster, service)
            .await
            .map(Payload::ScalableTarget),
        Resource::ServiceMetrics { cluster, services } => {
            metrics::services(backend, cluster, services, chrono::Utc::now())
                .await
                .map(Payload::Utilisation)
        }
        Resource::ClusterMetrics { clusters } => {
            metrics::clusters(backend, clusters, chrono::Utc::now())
                .await
                .map(Payload::Utilisation)
        }
        Resource::Alarms => metrics::alarms(backend).await.map(Payload::Alarms),
        Resource::ServiceDetail {
            cluster,
            service,
            range,
            tasks,
        } => metrics::service_detail(backend, cluster, service, *range, tasks, chrono::Utc::now())
            .await
            .map(|d| Payload::ServiceDetail(Box::new(d))),
    }
}

/// Starts the poller. It ends when the UI drops the focus sender or the message receiver.
pub fn spawn(
    backend: Arc<dyn Backend>,
    intervals: RefreshIntervals,
    mut focus: watch::Receiver<Vec<Resource>>,
    refresh_now: Arc<Notify>,
    tx: mpsc::UnboundedSender<Msg>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut schedule = Schedule::new(intervals);
        let mut in_flight: HashSet<Resource> = HashSet::new();
        let mut fetches: JoinSet<(Resource, Result<Payload, BackendError>)> = JoinSet::new();
        loop {
            let wanted = focus.borrow_and_update().clone();
            schedule.set_focus(&wanted, Instant::now());
            for resource in schedule.due(Instant::now(), &in_flight) {
                in_flight.insert(resource.clone());
                if tx.send(Msg::FetchStarted(resource.clone())).is_err() {
                    return;
                }
                let backend = Arc::clone(&backend);
                fetches.spawn(async move {
                    let result = fetch_resource(backend.as_ref(), &resource).await;
                    (resource, result)
                });
            }
            let next_due = schedule.next_due(&in_flight);
            tokio::select! {
                changed = focus.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
                _ = refresh_now.notified() => schedule.refresh_all(Instant::now()),
                Some(joined) = fetches.join_next(), if !fetches.is_empty() => {
                    let Ok((resource, result)) = joined else {
                        // A fetch task panicked: nothing to report for it, keep polling.
                        tracing::error!("a fetch task failed to complete");
                        continue;
                    };
                    in_flight.remove(&resource);
                    if let Err(e) = &result {
                        tracing::warn!(operation = e.operation, kind = ?e.kind, "fetch failed");
                    }
                    schedule.finished(&resource, result.as_ref().err(), Instant::now());
                    let msg = Msg::Fetched { resource, result, at: chrono::Utc::now() };
                    if tx.send(msg).is_err() {
                        return;
                    }
                }
                _ = sleep_until(next_due) => {}
            }
        }
    })
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
