//! The in-memory store: everything fetched from AWS, owned by the UI task alone.

mod balancing;
mod capacity;
pub use balancing::ServiceTargets;
pub mod list_rows;
pub use capacity::ReservationMap;
mod scaling;
pub use scaling::ScalingData;
pub mod loadable;
pub mod log_buffer;
pub mod log_session;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::domain::ecs::{self as model, Cluster, Service, Task, TaskDefinition};
pub use loadable::{FetchNote, LoadState, Loadable};

use crate::backend::metrics::Alarm;
use crate::backend::{BackendError, ScalableTarget, TaskFilter};
use crate::domain::elb::{LoadBalancer, TargetGroup, TargetHealth};
use crate::domain::journal::JournalEntry;

/// Something the pollers fetch, and the key its data is stored under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    Clusters,
    Services {
        cluster: String,
    },
    Tasks {
        cluster: String,
        filter: TaskFilter,
    },
    /// Task definitions are immutable: fetched once and kept.
    TaskDefinition {
        arn: String,
    },
    /// The ACTIVE revisions of a family, newest first (for the rollback picker).
    Revisions {
        family: String,
    },
    /// The service's Application Auto Scaling target (for the scale dialog and the detail
    /// pane).
    ScalableTarget {
        cluster: String,
        service: String,
    },
    /// Every scaling policy of a service with a scalable target (detail pane).
    ScalingPolicies {
        cluster: String,
        service: String,
    },
    /// Every scheduled action of a service with a scalable target (detail pane).
    ScheduledActions {
        cluster: String,
        service: String,
    },
    /// The newest scaling activities of a service with a scalable target (detail pane).
    ScalingActivities {
        cluster: String,
        service: String,
    },
    /// The service's stopped tasks, reduced to when Fargate Spot interrupted them (detail
    /// pane of a service that runs on FARGATE_SPOT).
    SpotInterruptions {
        cluster: String,
        service: String,
    },
    /// CPU/memory of these services of a cluster (the ones listed), last 30 minutes.
    ServiceMetrics {
        cluster: String,
        services: Vec<String>,
    },
    /// CPU/memory of these clusters, last 30 minutes.
    ClusterMetrics {
        clusters: Vec<String>,
    },
    /// The metric alarms in ALARM (`StateValue=ALARM`), matched to services by dimensions:
    /// what the lists and triage show.
    Alarms,
    /// Every metric alarm of the account, whatever its state: only the service detail pane
    /// lists the OK ones too.
    AllAlarms,
    /// The service detail pane: the service over a range, and these tasks (Container
    /// Insights; empty when it is off).
    ServiceDetail {
        cluster: String,
        service: String,
        range: crate::domain::metrics::Range,
        tasks: Vec<String>,
        /// The load balancers' signals to chart next to CPU and memory.
        balancers: Vec<crate::domain::metrics::BalancerTarget>,
    },
    /// The profiles of the AWS config and credentials files (`:ctx`); read from disk, no
    /// AWS call.
    Profiles,
    /// What these tags of one ECR repository point to now (DescribeImages), for the
    /// containers on screen.
    EcrImages {
        registry: String,
        repository: String,
        tags: Vec<String>,
    },
    /// Every ACTIVE task definition family (`:taskdefs`).
    Families,
    /// One resource exactly as AWS returns it, for the describe view (`d`).
    Raw {
        target: crate::backend::RawTarget,
    },
    /// DescribeTargetHealth of one target group.
    TargetHealth {
        target_group: String,
    },
    /// DescribeTargetGroups of these target groups (cached: they rarely change).
    TargetGroups {
        arns: Vec<String>,
    },
    /// DescribeLoadBalancers and their listeners (cached like target groups).
    LoadBalancers {
        arns: Vec<String>,
    },
    /// DescribeContainerInstances of these instances of a cluster (the hosts of bridge and
    /// host tasks, which load balancers know by EC2 instance id).
    ContainerInstances {
        cluster: String,
        arns: Vec<String>,
    },
    /// Every container instance of a cluster (`:instances`): ListContainerInstances, every
    /// page, then DescribeContainerInstances in batches of 100.
    Instances {
        cluster: String,
    },
    /// The load balancers' signals of these target groups over the last minutes: what
    /// triage reads (5xx share, p99, unhealthy hosts).
    BalancerMetrics {
        targets: Vec<crate::domain::metrics::BalancerTarget>,
    },
    /// DescribeCapacityProviders of a cluster's providers (`:capacity`; FARGATE and
    /// FARGATE_SPOT are never asked about).
    CapacityProviders {
        names: Vec<String>,
    },
    /// DescribeAutoScalingGroups of the groups behind a cluster's capacity providers.
    AutoScalingGroups {
        names: Vec<String>,
    },
    /// CapacityProviderReservation of these providers of a cluster, last 30 minutes.
    CapacityReservation {
        cluster: String,
        providers: Vec<String>,
    },
}

/// What `:budget` shows besides the calls: the buckets and the poller's schedule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BudgetReport {
    pub buckets: Vec<crate::backend::budget::BucketLevel>,
    pub schedule: Vec<PollEntry>,
}

/// One polled resource as the poller schedules it, for `:budget`.
#[derive(Debug, Clone, PartialEq)]
pub struct PollEntry {
    pub resource: Resource,
    /// Its normal interval.
    pub interval: std::time::Duration,
    /// Failures in a row (0: healthy).
    pub failures: u32,
    /// How long until its next call, if one is scheduled.
    pub next_in: Option<std::time::Duration>,
    /// What else there is to say (a list's rows, a back-off).
    pub note: String,
}

/// What a fetch of a [`Resource`] returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Clusters(Vec<Cluster>),
    Services(Vec<Service>),
    Tasks(Vec<Task>),
    TaskDefinition(Box<TaskDefinition>),
    Revisions(Vec<String>),
    ScalableTarget(Option<ScalableTarget>),
    ScalingPolicies(Vec<crate::domain::scaling::ScalingPolicy>),
    ScheduledActions(Vec<crate::domain::scaling::ScheduledAction>),
    ScalingActivities(Vec<crate::domain::scaling::ScalingActivity>),
    SpotInterruptions(Vec<DateTime<Utc>>),
    Utilisation(crate::domain::metrics::UtilisationMap),
    Alarms(Vec<Alarm>),
    ServiceDetail(Box<crate::domain::metrics::ServiceDetail>),
    TargetHealth(Vec<TargetHealth>),
    TargetGroups(Vec<TargetGroup>),
    LoadBalancers(Vec<LoadBalancer>),
    ContainerInstances(Vec<model::ContainerInstance>),
    BalancerMetrics(crate::domain::metrics::BalancerSignals),
    Profiles(Vec<crate::domain::profile::AwsProfile>),
    Raw(serde_json::Value),
    EcrImages(Vec<crate::domain::image::EcrImage>),
    Families(Vec<String>),
    CapacityProviders(Vec<crate::domain::capacity::CapacityProvider>),
    AutoScalingGroups(Vec<crate::domain::capacity::AutoScalingGroup>),
    CapacityReservation(ReservationMap),
}

/// A port forward started from ecsdeck.
#[derive(Debug, Clone, PartialEq)]
pub struct Forward {
    pub id: u64,
    pub plan: crate::domain::session::ForwardPlan,
    pub session_id: String,
    pub since: DateTime<Utc>,
    pub state: ForwardState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardState {
    Starting,
    Running,
    Stopping,
    /// How it ended (`stopped`, `the plugin exited: exit status: 1`).
    Ended(String),
}

/// All data fetched so far, keyed by the resource that fetched it.
#[derive(Debug, Default)]
pub struct Store {
    pub clusters: Loadable<Vec<Cluster>>,
    pub services: HashMap<String, Loadable<Vec<Service>>>,
    pub tasks: HashMap<(String, TaskFilter), Loadable<Vec<Task>>>,
    pub task_definitions: HashMap<String, Loadable<TaskDefinition>>,
    pub revisions: HashMap<String, Loadable<Vec<String>>>,
    pub scalable_targets: HashMap<(String, String), Loadable<Option<ScalableTarget>>>,
    /// Policies, scheduled actions, activities and Spot interruptions of the services whose
    /// detail pane is open.
    pub scaling: ScalingData,
    /// Utilisation of the services of a cluster, by cluster.
    pub service_metrics: HashMap<String, Loadable<crate::domain::metrics::UtilisationMap>>,
    pub cluster_metrics: Loadable<crate::domain::metrics::UtilisationMap>,
    /// Alarms in ALARM.
    pub alarms: Loadable<Vec<Alarm>>,
    /// Every alarm, while a detail pane shows them.
    pub all_alarms: Loadable<Vec<Alarm>>,
    pub service_detail: HashMap<
        (String, String, crate::domain::metrics::Range),
        Loadable<crate::domain::metrics::ServiceDetail>,
    >,
    /// Target health by target group ARN.
    pub target_health: HashMap<String, Loadable<Vec<TargetHealth>>>,
    /// Target groups, by the batch of ARNs that fetched them (see `target_group`).
    pub target_groups: HashMap<Vec<String>, Loadable<Vec<TargetGroup>>>,
    /// Load balancers with listeners, by the batch of ARNs that fetched them.
    pub load_balancers: HashMap<Vec<String>, Loadable<Vec<LoadBalancer>>>,
    /// Container instances of a cluster, as last described.
    pub container_instances: HashMap<String, Loadable<Vec<model::ContainerInstance>>>,
    /// Every container instance of a cluster, by cluster (`:instances`).
    pub instances: HashMap<String, Loadable<Vec<model::ContainerInstance>>>,
    /// Capacity providers, by the batch of names that fetched them (see
    /// `capacity_provider`).
    pub capacity_providers:
        HashMap<Vec<String>, Loadable<Vec<crate::domain::capacity::CapacityProvider>>>,
    /// Auto Scaling groups, by the batch of names that fetched them.
    pub auto_scaling_groups:
        HashMap<Vec<String>, Loadable<Vec<crate::domain::capacity::AutoScalingGroup>>>,
    /// CapacityProviderReservation of a cluster's providers, by cluster.
    pub capacity_reservation: HashMap<String, Loadable<ReservationMap>>,
    /// Load balancer signals for triage, by target group ARN.
    pub balancer_metrics: Loadable<crate::domain::metrics::BalancerSignals>,
    /// The open log pane's lines and feed state (one pane at a time).
    pub log: Option<log_session::LogSession>,
    /// Attempted actions, newest first (read from the journal file at start).
    pub journal: Vec<JournalEntry>,
    /// Port forwards started this session, oldest first (`:forwards`).
    pub forwards: Vec<Forward>,
    /// What other regions said, when the session spans several (`regions = [...]`): the
    /// clusters list and `:triage all` read these besides this store. Keyed by region; each
    /// is filled by that region's own poller.
    pub regions: std::collections::BTreeMap<String, Store>,
    /// What ECR tags point to now, by (registry, repository): the tags of the last lookup.
    pub ecr_images: HashMap<(String, String), Loadable<Vec<crate::domain::image::EcrImage>>>,
    /// This session's calls per AWS operation (`:budget`), as the counting wrapper saw them.
    pub api_usage: Vec<crate::backend::counting::OperationUsage>,
    /// The budget's buckets and the poller's schedule, for `:budget`.
    pub budget: BudgetReport,
    /// Per list resource (services, tasks): rows not described yet and each row's age.
    pub list_rows: HashMap<Resource, std::sync::Arc<list_rows::ListRows>>,
    /// The task definition families, while `:taskdefs` is open.
    pub families: Loadable<Vec<String>>,
    /// Resources as AWS returned them, while a describe view shows them.
    pub raw: HashMap<crate::backend::RawTarget, Loadable<serde_json::Value>>,
    /// The profiles of the AWS files, while `:ctx` is open.
    pub profiles: Loadable<Vec<crate::domain::profile::AwsProfile>>,
    /// The AWS account, learned from the first ARN seen (saves an STS call).
    pub account: Option<String>,
    /// Alarm indexes in `alarms` by (cluster, service), rebuilt once per DescribeAlarms.
    alarms_by_service: HashMap<(String, String), Vec<usize>>,
    /// Bumped on every change, so views rebuild their rows only when something moved.
    revision: u64,
}

impl Store {
    pub fn services_of(&self, cluster: &str) -> Option<&Loadable<Vec<Service>>> {
        self.services.get(cluster)
    }

    pub fn tasks_of(&self, cluster: &str, filter: &TaskFilter) -> Option<&Loadable<Vec<Task>>> {
        self.tasks.get(&(cluster.to_string(), filter.clone()))
    }

    pub fn task_definition(&self, arn: &str) -> Option<&Loadable<TaskDefinition>> {
        self.task_definitions.get(arn)
    }

    /// A number that changes whenever the store does.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Says the store changed, for changes made through its public fields.
    pub fn touch(&mut self) {
        self.revision = self.revision.wrapping_add(1);
    }

    /// Adds an attempted action to the journal shown by `:journal` (newest first).
    pub fn record(&mut self, entry: JournalEntry) {
        self.journal.insert(0, entry);
        self.touch();
    }

    /// Every alarm (any state) that watches a service, for the detail pane; a linear scan of
    /// the full list, which is only fetched while a detail pane is open.
    pub fn all_alarms_for(&self, cluster: &str, service: &str) -> Vec<&Alarm> {
        let watches = |a: &&Alarm| {
            let dim = |name: &str| {
                (a.dimensions.iter())
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v)
            };
            dim("ClusterName").is_some_and(|c| c == cluster)
                && dim("ServiceName").is_some_and(|s| s == service)
        };
        (self.all_alarms.value().into_iter().flatten())
            .filter(watches)
            .collect()
    }

    /// The alarms in ALARM that watch a service: AWS/ECS metrics with its ClusterName and
    /// ServiceName.
    pub fn alarms_for(&self, cluster: &str, service: &str) -> Vec<&Alarm> {
        let Some(alarms) = self.alarms.value() else {
            return Vec::new();
        };
        self.alarms_by_service
            .get(&(cluster.to_string(), service.to_string()))
            .map(|ids| ids.iter().filter_map(|i| alarms.get(*i)).collect())
            .unwrap_or_default()
    }

    fn index_alarms(&mut self) {
        self.alarms_by_service.clear();
        for (i, alarm) in self.alarms.value().into_iter().flatten().enumerate() {
            let dim = |name: &str| {
                alarm
                    .dimensions
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            if let (Some(cluster), Some(service)) = (dim("ClusterName"), dim("ServiceName")) {
                self.alarms_by_service
                    .entry((cluster, service))
                    .or_default()
                    .push(i);
            }
        }
    }

    /// Adds the poller's note to a resource's data (what is missing, when it tries again).
    pub fn note(&mut self, resource: &Resource, note: &FetchNote) {
        self.touch();
        if let FetchNote::Rows(rows) = note {
            self.list_rows
                .insert(resource.clone(), std::sync::Arc::clone(rows));
            return;
        }
        match resource {
            Resource::Clusters => self.clusters.note(note),
            Resource::Services { cluster } => {
                if let Some(l) = self.services.get_mut(cluster) {
                    l.note(note)
                }
            }
            Resource::Tasks { cluster, filter } => {
                if let Some(l) = self.tasks.get_mut(&(cluster.clone(), filter.clone())) {
                    l.note(note)
                }
            }
            Resource::ServiceMetrics { cluster, .. } => {
                if let Some(l) = self.service_metrics.get_mut(cluster) {
                    l.note(note)
                }
            }
            Resource::ClusterMetrics { .. } => self.cluster_metrics.note(note),
            Resource::Alarms => self.alarms.note(note),
            Resource::AllAlarms => self.all_alarms.note(note),
            Resource::Profiles => self.profiles.note(note),
            Resource::Instances { cluster } => {
                if let Some(l) = self.instances.get_mut(cluster) {
                    l.note(note)
                }
            }
            Resource::Families => self.families.note(note),
            Resource::Raw { .. } | Resource::EcrImages { .. } => {}
            // Shown in a dialog, a pane or a column of their own: the error says enough.
            Resource::TaskDefinition { .. }
            | Resource::Revisions { .. }
            | Resource::ScalableTarget { .. }
            | Resource::ScalingPolicies { .. }
            | Resource::ScheduledActions { .. }
            | Resource::ScalingActivities { .. }
            | Resource::SpotInterruptions { .. }
            | Resource::ServiceDetail { .. }
            | Resource::TargetHealth { .. }
            | Resource::TargetGroups { .. }
            | Resource::LoadBalancers { .. }
            | Resource::ContainerInstances { .. }
            | Resource::BalancerMetrics { .. } => {}
            Resource::CapacityProviders { .. }
            | Resource::AutoScalingGroups { .. }
            | Resource::CapacityReservation { .. } => self.note_capacity(resource, note),
        }
    }

    /// Marks a resource as being fetched.
    pub fn start_loading(&mut self, resource: &Resource) {
        self.touch();
        match resource {
            Resource::Clusters => self.clusters.start_loading(),
            Resource::Services { cluster } => self
                .services
                .entry(cluster.clone())
                .or_default()
                .start_loading(),
            Resource::Tasks { cluster, filter } => self
                .tasks
                .entry((cluster.clone(), filter.clone()))
                .or_default()
                .start_loading(),
            Resource::TaskDefinition { arn } => self
                .task_definitions
                .entry(arn.clone())
                .or_default()
                .start_loading(),
            Resource::Revisions { family } => self
                .revisions
                .entry(family.clone())
                .or_default()
                .start_loading(),
            Resource::ScalableTarget { cluster, service } => self
                .scalable_targets
                .entry((cluster.clone(), service.clone()))
                .or_default()
                .start_loading(),
            Resource::ServiceMetrics { cluster, .. } => self
                .service_metrics
                .entry(cluster.clone())
                .or_default()
                .start_loading(),
            Resource::ClusterMetrics { .. } => self.cluster_metrics.start_loading(),
            Resource::Alarms => self.alarms.start_loading(),
            Resource::AllAlarms => self.all_alarms.start_loading(),
            Resource::Profiles => self.profiles.start_loading(),
            Resource::Instances { cluster } => self
                .instances
                .entry(cluster.clone())
                .or_default()
                .start_loading(),
            Resource::Families => self.families.start_loading(),
            Resource::Raw { target } => self.raw.entry(target.clone()).or_default().start_loading(),
            Resource::EcrImages {
                registry,
                repository,
                ..
            } => self
                .ecr_images
                .entry((registry.clone(), repository.clone()))
                .or_default()
                .start_loading(),
            Resource::ServiceDetail {
                cluster,
                service,
                range,
                ..
            } => self
                .service_detail
                .entry((cluster.clone(), service.clone(), *range))
                .or_default()
                .start_loading(),
            Resource::ScalingPolicies { .. }
            | Resource::ScheduledActions { .. }
            | Resource::ScalingActivities { .. }
            | Resource::SpotInterruptions { .. } => self.start_loading_scaling(resource),
            _ => self.start_loading_balancing(resource),
        }
    }

    /// Stores the outcome of a fetch. A payload of the wrong shape for the resource is a
    /// programming error in the poller; it is ignored rather than crashing the dashboard.
    pub fn apply(
        &mut self,
        resource: &Resource,
        result: Result<Payload, BackendError>,
        at: DateTime<Utc>,
    ) {
        self.touch();
        if let Ok(payload) = &result {
            self.learn_account(payload);
        }
        match resource {
            Resource::Clusters => {
                let result = unpack(result, |p| match p {
                    Payload::Clusters(v) => Some(v),
                    _ => None,
                });
                self.clusters.finish(result, at);
            }
            Resource::Services { cluster } => {
                let result = unpack(result, |p| match p {
                    Payload::Services(v) => Some(v),
                    _ => None,
                });
                let entry = self.services.entry(cluster.clone()).or_default();
                entry.finish(result, at);
            }
            Resource::Tasks { cluster, filter } => {
                let result = unpack(result, |p| match p {
                    Payload::Tasks(v) => Some(v),
                    _ => None,
                });
                let key = (cluster.clone(), filter.clone());
                self.tasks.entry(key).or_default().finish(result, at);
            }
            Resource::TaskDefinition { arn } => {
                let result = unpack(result, |p| match p {
                    Payload::TaskDefinition(v) => Some(*v),
                    _ => None,
                });
                let entry = self.task_definitions.entry(arn.clone()).or_default();
                entry.finish(result, at);
            }
            _ => self.apply_other(resource, result, at),
        }
    }

    /// `apply` for the resources that are not ECS lists or task definitions.
    fn apply_other(
        &mut self,
        resource: &Resource,
        result: Result<Payload, BackendError>,
        at: DateTime<Utc>,
    ) {
        match resource {
            Resource::Revisions { family } => {
                let result = unpack(result, |p| match p {
                    Payload::Revisions(v) => Some(v),
                    _ => None,
                });
                let entry = self.revisions.entry(family.clone()).or_default();
                entry.finish(result, at);
            }
            Resource::ScalableTarget { cluster, service } => {
                let result = unpack(result, |p| match p {
                    Payload::ScalableTarget(v) => Some(v),
                    _ => None,
                });
                let key = (cluster.clone(), service.clone());
                self.scalable_targets
                    .entry(key)
                    .or_default()
                    .finish(result, at);
            }
            Resource::ServiceMetrics { cluster, .. } => {
                let entry = self.service_metrics.entry(cluster.clone()).or_default();
                entry.finish(unpack(result, utilisation), at);
            }
            Resource::ClusterMetrics { .. } => {
                self.cluster_metrics.finish(unpack(result, utilisation), at);
            }
            Resource::Alarms => {
                let result = unpack(result, |p| match p {
                    Payload::Alarms(v) => Some(v),
                    _ => None,
                });
                self.alarms.finish(result, at);
                self.index_alarms();
            }
            Resource::AllAlarms => {
                let result = unpack(result, |p| match p {
                    Payload::Alarms(v) => Some(v),
                    _ => None,
                });
                self.all_alarms.finish(result, at);
            }
            _ => self.apply_lookups(resource, result, at),
        }
    }

    /// `apply` for what the profile list, the full describe and the image lookups read.
    fn apply_lookups(
        &mut self,
        resource: &Resource,
        result: Result<Payload, BackendError>,
        at: DateTime<Utc>,
    ) {
        match resource {
            Resource::Instances { cluster } => {
                let result = unpack(result, |p| match p {
                    Payload::ContainerInstances(v) => Some(v),
                    _ => None,
                });
                let entry = self.instances.entry(cluster.clone()).or_default();
                entry.finish(result, at);
            }
            Resource::Families => {
                let result = unpack(result, |p| match p {
                    Payload::Families(v) => Some(v),
                    _ => None,
                });
                self.families.finish(result, at);
            }
            Resource::Profiles => {
                let result = unpack(result, |p| match p {
                    Payload::Profiles(v) => Some(v),
                    _ => None,
                });
                self.profiles.finish(result, at);
            }
            Resource::Raw { target } => {
                let result = unpack(result, |p| match p {
                    Payload::Raw(v) => Some(v),
                    _ => None,
                });
                self.raw
                    .entry(target.clone())
                    .or_default()
                    .finish(result, at);
            }
            Resource::EcrImages {
                registry,
                repository,
                ..
            } => {
                let result = unpack(result, |p| match p {
                    Payload::EcrImages(v) => Some(v),
                    _ => None,
                });
                let key = (registry.clone(), repository.clone());
                self.ecr_images.entry(key).or_default().finish(result, at);
            }
            Resource::ServiceDetail {
                cluster,
                service,
                range,
                ..
            } => {
                let result = unpack(result, |p| match p {
                    Payload::ServiceDetail(v) => Some(*v),
                    _ => None,
                });
                let key = (cluster.clone(), service.clone(), *range);
                self.service_detail
                    .entry(key)
                    .or_default()
                    .finish(result, at);
            }
            Resource::ScalingPolicies { .. }
            | Resource::ScheduledActions { .. }
            | Resource::ScalingActivities { .. }
            | Resource::SpotInterruptions { .. } => self.apply_scaling(resource, result, at),
            _ => self.apply_balancing(resource, result, at),
        }
    }

    /// A context switch (another profile or region): everything fetched belonged to the
    /// previous account or region and goes. What this machine holds stays: the journal, the
    /// port forwards still running, the profile list.
    pub fn clear_for_new_context(&mut self) {
        let revision = self.revision.wrapping_add(1);
        *self = Store {
            journal: std::mem::take(&mut self.journal),
            forwards: std::mem::take(&mut self.forwards),
            profiles: std::mem::take(&mut self.profiles),
            revision,
            ..Store::default()
        };
    }

    fn learn_account(&mut self, payload: &Payload) {
        if self.account.is_some() {
            return;
        }
        let arn = match payload {
            Payload::Clusters(v) => v.first().map(|c| c.cluster_arn.as_str()),
            Payload::Services(v) => v.first().map(|s| s.service_arn.as_str()),
            Payload::Tasks(v) => v.first().map(|t| t.task_arn.as_str()),
            Payload::TaskDefinition(d) => Some(d.task_definition_arn.as_str()),
            Payload::Revisions(v) => v.first().map(String::as_str),
            _ => None,
        };
        self.account = arn.and_then(model::arn_account).map(str::to_string);
    }
}

/// The fetched value of the expected kind. A payload of another kind than the resource's is
/// a poller bug: an error on screen, never a crash.
pub(crate) fn unpack<T>(
    result: Result<Payload, BackendError>,
    take: fn(Payload) -> Option<T>,
) -> Result<T, BackendError> {
    result.and_then(|p| take(p).ok_or_else(wrong_payload))
}

fn utilisation(payload: Payload) -> Option<crate::domain::metrics::UtilisationMap> {
    match payload {
        Payload::Utilisation(v) => Some(v),
        _ => None,
    }
}

fn wrong_payload() -> BackendError {
    BackendError::new(
        crate::backend::ErrorKind::Other,
        "internal",
        "a fetch returned data of another kind",
    )
}
