//! The poller: one tokio task that keeps what is on screen fresh, and nothing else.
//!
//! It watches the focus (the resources of the view stack, sent by the UI task), fetches each
//! at its interval, and sends owned results back as messages. Rules from DESIGN.md:
//! - only focused resources are polled; leaving a view stops its polling;
//! - at most one fetch per resource in flight: the next one is scheduled when the previous
//!   one finishes, so a slow response delays the next poll instead of stacking requests;
//! - throttling (and other errors) lengthen the interval; success restores it.

pub mod balancer_metrics;
pub mod capacity;
mod lists;
pub mod metrics;
mod schedule;

use std::collections::HashSet;
use std::sync::Arc;

use tokio::sync::{Notify, mpsc, watch};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use crate::backend::{Backend, BackendError, fetch};
use crate::config::RefreshIntervals;
use crate::domain::Incomplete;
use crate::msg::Msg;
pub use crate::store::list_rows::VisibleRows;
use crate::store::{FetchNote, Payload, Resource};
use lists::Lists;
pub use schedule::Schedule;

/// Fetches one resource completely (all pages, batched describes); a record that could not
/// be read is left out (see `fetch_resource_noting` for what is missing).
pub async fn fetch_resource(
    backend: &dyn Backend,
    resource: &Resource,
) -> Result<Payload, BackendError> {
    fetch_resource_at(backend, resource, chrono::Utc::now()).await
}

/// [`fetch_resource`] as of `now`: the metric windows end there (the screenshots fix it).
pub async fn fetch_resource_at(
    backend: &dyn Backend,
    resource: &Resource,
    now: chrono::DateTime<chrono::Utc>,
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
            .describe_scalable_targets(cluster, service)
            .await
            .map(Payload::ScalableTarget),
        Resource::ServiceMetrics { cluster, services } => {
            metrics::services(backend, cluster, services, now)
                .await
                .map(Payload::Utilisation)
        }
        Resource::ClusterMetrics { clusters } => metrics::clusters(backend, clusters, now)
            .await
            .map(Payload::Utilisation),
        Resource::Alarms => metrics::alarms(backend, true).await.map(Payload::Alarms),
        Resource::AllAlarms => metrics::alarms(backend, false).await.map(Payload::Alarms),
        Resource::Profiles => read_profiles().await.map(Payload::Profiles),
        Resource::Families => fetch::families(backend).await.map(Payload::Families),
        Resource::Raw { target } => backend.describe_raw(target).await.map(Payload::Raw),
        Resource::EcrImages {
            registry,
            repository,
            tags,
        } => crate::backend::fetch_images::images(backend, registry, repository, tags)
            .await
            .map(Payload::EcrImages),
        Resource::Instances { cluster } => fetch::container_instances_partial(backend, cluster)
            .await
            .map(|f| Payload::ContainerInstances(f.items)),
        Resource::ServiceDetail {
            cluster,
            service,
            range,
            tasks,
            balancers,
        } => metrics::service_detail(backend, cluster, service, *range, tasks, balancers, now)
            .await
            .map(|d| Payload::ServiceDetail(Box::new(d))),
        Resource::CapacityProviders { .. }
        | Resource::AutoScalingGroups { .. }
        | Resource::CapacityReservation { .. } => capacity::fetch(backend, resource, now).await,
        Resource::ScalingPolicies { .. }
        | Resource::ScheduledActions { .. }
        | Resource::ScalingActivities { .. }
        | Resource::SpotInterruptions { .. } => fetch_scaling(backend, resource).await,
        other => fetch_balancing(backend, other, now).await,
    }
}

/// A service's auto scaling (what the detail pane shows besides the target) and its Spot
/// interruptions.
async fn fetch_scaling(
    backend: &dyn Backend,
    resource: &Resource,
) -> Result<Payload, BackendError> {
    use crate::backend::fetch_scaling;
    use crate::backend::scaling::SCALING_ACTIVITIES_SHOWN;
    match resource {
        Resource::ScalingPolicies { cluster, service } => {
            fetch_scaling::policies(backend, cluster, service)
                .await
                .map(Payload::ScalingPolicies)
        }
        Resource::ScheduledActions { cluster, service } => {
            fetch_scaling::scheduled_actions(backend, cluster, service)
                .await
                .map(Payload::ScheduledActions)
        }
        Resource::ScalingActivities { cluster, service } => backend
            .describe_scaling_activities(cluster, service, SCALING_ACTIVITIES_SHOWN)
            .await
            .map(Payload::ScalingActivities),
        Resource::SpotInterruptions { cluster, service } => {
            fetch_scaling::spot_interruptions(backend, cluster, service)
                .await
                .map(Payload::SpotInterruptions)
        }
        _ => Err(BackendError::new(
            crate::backend::ErrorKind::Other,
            "internal",
            "not an auto scaling resource",
        )),
    }
}

/// The profiles of the AWS files, read off the async threads (a file on a slow home
/// directory must not stall the poller).
async fn read_profiles() -> Result<Vec<crate::domain::profile::AwsProfile>, BackendError> {
    use crate::config::aws_profiles;
    let read = tokio::task::spawn_blocking(|| {
        let (config, credentials) = aws_profiles::default_files();
        aws_profiles::read(config, credentials)
    });
    let unreadable = |message: String| {
        BackendError::new(crate::backend::ErrorKind::Other, "ReadAwsConfig", message)
    };
    match read.await {
        Ok(Ok(profiles)) => Ok(profiles),
        Ok(Err(message)) => Err(unreadable(message)),
        Err(e) => Err(unreadable(format!(
            "Cannot read the AWS config files: {e}."
        ))),
    }
}

/// The load balancing resources: target health, target groups, load balancers, the hosts
/// of bridge tasks, and the balancers' signals for triage.
async fn fetch_balancing(
    backend: &dyn Backend,
    resource: &Resource,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Payload, BackendError> {
    use crate::backend::fetch_balancing as batch;
    match resource {
        Resource::TargetHealth { target_group } => backend
            .describe_target_health(target_group)
            .await
            .map(Payload::TargetHealth),
        Resource::TargetGroups { arns } => batch::target_groups(backend, arns)
            .await
            .map(Payload::TargetGroups),
        Resource::LoadBalancers { arns } => batch::load_balancers(backend, arns)
            .await
            .map(Payload::LoadBalancers),
        Resource::ContainerInstances { cluster, arns } => {
            batch::container_instances(backend, cluster, arns)
                .await
                .map(Payload::ContainerInstances)
        }
        Resource::BalancerMetrics { targets } => balancer_metrics::recent(backend, targets, now)
            .await
            .map(Payload::BalancerMetrics),
        // The ECS and CloudWatch resources are fetched by `fetch_resource` itself.
        _ => Err(BackendError::new(
            crate::backend::ErrorKind::Other,
            "internal",
            "not a load balancing resource",
        )),
    }
}

/// Fetches one resource as far as it can be: the payload, and for the lists what it lacks
/// when a record could not be read or a later page or batch failed.
pub async fn fetch_resource_noting(
    backend: &dyn Backend,
    resource: &Resource,
) -> Result<(Payload, Option<Incomplete>), BackendError> {
    match resource {
        Resource::Clusters => fetch::clusters_partial(backend)
            .await
            .map(|f| (Payload::Clusters(f.items), f.incomplete)),
        Resource::Services { cluster } => fetch::services_partial(backend, cluster)
            .await
            .map(|f| (Payload::Services(f.items), f.incomplete)),
        Resource::Tasks { cluster, filter } => fetch::tasks_partial(backend, cluster, filter)
            .await
            .map(|f| (Payload::Tasks(f.items), f.incomplete)),
        Resource::Instances { cluster } => fetch::container_instances_partial(backend, cluster)
            .await
            .map(|f| (Payload::ContainerInstances(f.items), f.incomplete)),
        other => fetch_resource(backend, other).await.map(|p| (p, None)),
    }
}

/// Starts the poller. It ends when the UI drops the focus sender or the message receiver.
/// Lists are described in their own order (nothing says which rows are on screen).
pub fn spawn(
    backend: Arc<dyn Backend>,
    intervals: RefreshIntervals,
    focus: watch::Receiver<Vec<Resource>>,
    refresh_now: Arc<Notify>,
    tx: mpsc::UnboundedSender<Msg>,
) -> JoinHandle<()> {
    let (_, visible) = watch::channel(VisibleRows::default());
    spawn_following(backend, intervals, focus, visible, refresh_now, tx)
}

/// [`spawn`], with the rows on screen of each list (`visible`), which are described first
/// and kept freshest.
pub fn spawn_following(
    backend: Arc<dyn Backend>,
    intervals: RefreshIntervals,
    focus: watch::Receiver<Vec<Resource>>,
    visible: watch::Receiver<VisibleRows>,
    refresh_now: Arc<Notify>,
    tx: mpsc::UnboundedSender<Msg>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut poller = Poller {
            backend,
            schedule: Schedule::new(intervals),
            lists: Lists::new(intervals),
            in_flight: HashSet::new(),
            fetches: JoinSet::new(),
            list_jobs: JoinSet::new(),
            tx,
            last_report: None,
        };
        let _ = poller.run(focus, visible, refresh_now).await;
    })
}

/// The poller's state: the schedule of whole resources, the lists synced row by row, and
/// what is in flight.
struct Poller {
    backend: Arc<dyn Backend>,
    schedule: Schedule,
    lists: Lists,
    in_flight: HashSet<Resource>,
    fetches: JoinSet<(Resource, Fetch)>,
    list_jobs: JoinSet<(lists::Job, lists::Done)>,
    tx: mpsc::UnboundedSender<Msg>,
    last_report: Option<Instant>,
}

/// The UI is gone: the poller ends.
struct Gone;

impl Poller {
    async fn run(
        &mut self,
        mut focus: watch::Receiver<Vec<Resource>>,
        mut visible: watch::Receiver<VisibleRows>,
        refresh_now: Arc<Notify>,
    ) -> Result<(), Gone> {
        let mut visible_open = true;
        loop {
            let wanted = focus.borrow_and_update().clone();
            let shown = visible.borrow_and_update().clone();
            let now = Instant::now();
            self.start_due(&wanted, &shown, now)?;
            let next_due = [
                self.schedule.next_due(&self.in_flight),
                self.lists.next_wake(now, &shown),
                self.last_report.map(|t| t + REPORT_EVERY),
            ]
            .into_iter()
            .flatten()
            .min();
            tokio::select! {
                changed = focus.changed() => {
                    if changed.is_err() {
                        return Err(Gone);
                    }
                }
                changed = visible.changed(), if visible_open => visible_open = changed.is_ok(),
                _ = refresh_now.notified() => {
                    self.schedule.refresh_all(Instant::now());
                    self.lists.refresh_all();
                }
                Some(joined) = self.fetches.join_next(), if !self.fetches.is_empty() => {
                    let Ok((resource, result)) = joined else {
                        // A fetch task panicked: nothing to report for it, keep polling.
                        tracing::error!("a fetch task failed to complete");
                        continue;
                    };
                    self.in_flight.remove(&resource);
                    report(&self.tx, &mut self.schedule, resource, result).map_err(|_| Gone)?;
                }
                Some(joined) = self.list_jobs.join_next(), if !self.list_jobs.is_empty() => {
                    let Ok((job, done)) = joined else {
                        tracing::error!("a list call failed to complete");
                        continue;
                    };
                    let msgs = self.lists.finished(job, done, Instant::now());
                    self.send(msgs)?;
                }
                _ = sleep_until(next_due) => {}
            }
        }
    }

    /// Starts every fetch and list call that is due, sends coalesced list updates, and the
    /// schedule for `:budget` once a second.
    fn start_due(
        &mut self,
        wanted: &[Resource],
        shown: &VisibleRows,
        now: Instant,
    ) -> Result<(), Gone> {
        let (list_resources, whole): (Vec<Resource>, Vec<Resource>) =
            wanted.iter().cloned().partition(lists::is_list);
        self.schedule.set_focus(&whole, now);
        self.lists.set_focus(&list_resources, now);
        for resource in self.schedule.due(now, &self.in_flight) {
            self.in_flight.insert(resource.clone());
            self.send(vec![Msg::FetchStarted(resource.clone())])?;
            let backend = Arc::clone(&self.backend);
            self.fetches.spawn(async move {
                let result = fetch_resource_noting(backend.as_ref(), &resource).await;
                (resource, result)
            });
        }
        for job in self.lists.due(now, shown) {
            if matches!(job.work, lists::Work::Page(None)) {
                self.send(vec![Msg::FetchStarted(job.resource.clone())])?;
            }
            self.list_jobs
                .spawn(lists::run(Arc::clone(&self.backend), job));
        }
        let flushed = self.lists.flush(now);
        self.send(flushed)?;
        if self.last_report.is_none_or(|t| t + REPORT_EVERY <= now) {
            self.last_report = Some(now);
            let mut entries = self.schedule.report(now);
            entries.extend(self.lists.report(now));
            self.send(vec![Msg::PollSchedule(entries)])?;
        }
        Ok(())
    }

    fn send(&self, msgs: Vec<Msg>) -> Result<(), Gone> {
        for msg in msgs {
            self.tx.send(msg).map_err(|_| Gone)?;
        }
        Ok(())
    }
}

/// How often the poller tells `:budget` its schedule.
const REPORT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// A fetch's outcome: the payload and what it lacks, or the error.
type Fetch = Result<(Payload, Option<Incomplete>), BackendError>;

/// Reschedules a finished fetch and tells the UI: the result, then what is missing or when
/// the next try is. Err when the UI is gone.
fn report(
    tx: &mpsc::UnboundedSender<Msg>,
    schedule: &mut Schedule,
    resource: Resource,
    fetch: Fetch,
) -> Result<(), ()> {
    if let Err(e) = &fetch {
        tracing::warn!(operation = e.operation, kind = ?e.kind, "fetch failed");
    }
    let retry_in = schedule.finished(&resource, fetch.as_ref().err(), Instant::now());
    let now = chrono::Utc::now();
    let (result, incomplete) = match fetch {
        Ok((payload, incomplete)) => (Ok(payload), incomplete),
        Err(e) => (Err(e), None),
    };
    let notes = incomplete.map(FetchNote::Incomplete).into_iter().chain(
        retry_in
            .and_then(|d| chrono::Duration::from_std(d).ok())
            .map(|d| FetchNote::NextTry(now + d)),
    );
    let mut msgs = vec![Msg::Fetched {
        resource: resource.clone(),
        result,
        at: now,
    }];
    msgs.extend(notes.map(|note| Msg::FetchNote {
        resource: resource.clone(),
        note,
    }));
    for msg in msgs {
        tx.send(msg).map_err(|_| ())?;
    }
    Ok(())
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
