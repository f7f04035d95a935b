//! A wrapper that counts calls per operation: tests assert the API budget with it, and the
//! header shows the calls made in the last minute.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_trait::async_trait;

use super::{BackendError, EcsBackend, InstanceStatus, Page, ServiceUpdate, TaskFilter};
use crate::domain::ecs::{Cluster, ContainerInstance, Service, Task, TaskDefinition};
use crate::domain::elb::{LoadBalancer, TargetGroup, TargetHealth};

/// Call counters shared between the wrapper and whoever reads them.
#[derive(Debug, Default)]
pub struct CallLog {
    inner: Mutex<CallLogInner>,
    /// The session's API budget: every call waits here for its token before it is made.
    /// None in tests that count calls without pacing them.
    budget: Option<Arc<super::budget::Budget>>,
}

#[derive(Debug, Default)]
struct CallLogInner {
    totals: BTreeMap<&'static str, u64>,
    /// Times of recent calls, for the calls-per-minute readout; trimmed to the last minute.
    recent: std::collections::VecDeque<Instant>,
    /// Times of each operation's calls over the last hour, for `:budget`.
    hour: BTreeMap<&'static str, std::collections::VecDeque<Instant>>,
    /// Calls AWS answered with throttling, by operation.
    throttled: BTreeMap<&'static str, u64>,
}

/// One operation's calls over the last 1, 5 and 60 minutes, for `:budget`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OperationUsage {
    pub operation: &'static str,
    pub last_minute: usize,
    pub last_5_minutes: usize,
    pub last_hour: usize,
    pub total: u64,
    pub throttled: u64,
}

impl CallLog {
    fn record(&self, operation: &'static str) {
        // A poisoned lock only means another thread panicked mid-count: keep counting.
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *inner.totals.entry(operation).or_default() += 1;
        let now = Instant::now();
        inner.recent.push_back(now);
        trim(&mut inner.recent, now);
        let hour = inner.hour.entry(operation).or_default();
        hour.push_back(now);
        while hour
            .front()
            .is_some_and(|t| now.duration_since(*t).as_secs() >= 3600)
        {
            hour.pop_front();
        }
    }

    /// Makes one call: waits for its token in the budget (if any), counts it, and counts it
    /// again if AWS answered with throttling (which also empties the budget's bucket).
    async fn counted<T>(
        &self,
        operation: &'static str,
        call: impl std::future::Future<Output = Result<T, BackendError>>,
    ) -> Result<T, BackendError> {
        if let Some(budget) = &self.budget {
            budget.acquire(operation).await;
        }
        self.record(operation);
        let result = call.await;
        if let Err(e) = &result
            && e.kind == super::ErrorKind::Throttled
        {
            if let Some(budget) = &self.budget {
                budget.throttled(operation);
            }
            let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            *inner.throttled.entry(operation).or_default() += 1;
        }
        result
    }

    /// The budget calls wait in, if the session has one.
    pub fn budget(&self) -> Option<&Arc<super::budget::Budget>> {
        self.budget.as_ref()
    }

    /// Every operation called so far: calls in the last 1, 5 and 60 minutes, in total, and
    /// throttled.
    pub fn usage(&self) -> Vec<OperationUsage> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let within = |times: Option<&std::collections::VecDeque<Instant>>, secs: u64| {
            times.map_or(0, |t| {
                t.iter()
                    .filter(|at| now.duration_since(**at).as_secs() < secs)
                    .count()
            })
        };
        (inner.totals.iter())
            .map(|(operation, total)| {
                let times = inner.hour.get(operation);
                OperationUsage {
                    operation,
                    last_minute: within(times, 60),
                    last_5_minutes: within(times, 300),
                    last_hour: within(times, 3600),
                    total: *total,
                    throttled: inner.throttled.get(operation).copied().unwrap_or(0),
                }
            })
            .collect()
    }

    /// Calls made to `operation` since the start (or the last [`CallLog::reset`]).
    pub fn count(&self, operation: &str) -> u64 {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.totals.get(operation).copied().unwrap_or(0)
    }

    /// All counters, by operation name.
    pub fn totals(&self) -> BTreeMap<&'static str, u64> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.totals.clone()
    }

    /// Calls of any operation in the last 60 seconds.
    pub fn last_minute(&self) -> usize {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        trim(&mut inner.recent, Instant::now());
        inner.recent.len()
    }

    pub fn reset(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *inner = CallLogInner::default();
    }
}

fn trim(recent: &mut std::collections::VecDeque<Instant>, now: Instant) {
    while let Some(first) = recent.front() {
        if now.duration_since(*first).as_secs() >= 60 {
            recent.pop_front();
        } else {
            break;
        }
    }
}

/// Wraps a backend and records every call in a [`CallLog`].
pub struct CountingBackend<B> {
    inner: B,
    log: Arc<CallLog>,
}

impl<B> CountingBackend<B> {
    pub fn new(inner: B) -> Self {
        CountingBackend {
            inner,
            log: Arc::new(CallLog::default()),
        }
    }

    /// Counts every call and makes each wait for its token in `budget` first.
    pub fn budgeted(inner: B, budget: Arc<super::budget::Budget>) -> Self {
        CountingBackend {
            inner,
            log: Arc::new(CallLog {
                budget: Some(budget),
                ..CallLog::default()
            }),
        }
    }

    pub fn log(&self) -> Arc<CallLog> {
        Arc::clone(&self.log)
    }
}

#[async_trait]
impl<B: EcsBackend> EcsBackend for CountingBackend<B> {
    async fn list_clusters(&self, next_token: Option<String>) -> Result<Page, BackendError> {
        self.log
            .counted("ListClusters", self.inner.list_clusters(next_token))
            .await
    }

    async fn describe_clusters(&self, clusters: &[String]) -> Result<Vec<Cluster>, BackendError> {
        self.log
            .counted("DescribeClusters", self.inner.describe_clusters(clusters))
            .await
    }

    async fn list_services(
        &self,
        cluster: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        self.log
            .counted(
                "ListServices",
                self.inner.list_services(cluster, next_token),
            )
            .await
    }

    async fn describe_services(
        &self,
        cluster: &str,
        services: &[String],
    ) -> Result<Vec<Service>, BackendError> {
        self.log
            .counted(
                "DescribeServices",
                self.inner.describe_services(cluster, services),
            )
            .await
    }

    async fn list_tasks(
        &self,
        cluster: &str,
        filter: &TaskFilter,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        self.log
            .counted(
                "ListTasks",
                self.inner.list_tasks(cluster, filter, next_token),
            )
            .await
    }

    async fn describe_tasks(
        &self,
        cluster: &str,
        tasks: &[String],
    ) -> Result<Vec<Task>, BackendError> {
        self.log
            .counted("DescribeTasks", self.inner.describe_tasks(cluster, tasks))
            .await
    }

    async fn list_container_instances(
        &self,
        cluster: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        self.log
            .counted(
                "ListContainerInstances",
                self.inner.list_container_instances(cluster, next_token),
            )
            .await
    }

    async fn update_container_instances_state(
        &self,
        cluster: &str,
        instances: &[String],
        status: InstanceStatus,
    ) -> Result<Vec<ContainerInstance>, BackendError> {
        self.log
            .counted(
                "UpdateContainerInstancesState",
                self.inner
                    .update_container_instances_state(cluster, instances, status),
            )
            .await
    }

    async fn describe_container_instances(
        &self,
        cluster: &str,
        instances: &[String],
    ) -> Result<Vec<ContainerInstance>, BackendError> {
        self.log
            .counted(
                "DescribeContainerInstances",
                self.inner.describe_container_instances(cluster, instances),
            )
            .await
    }

    async fn describe_capacity_providers(
        &self,
        names: &[String],
        next_token: Option<String>,
    ) -> Result<super::CapacityProviderPage, BackendError> {
        self.log
            .counted(
                "DescribeCapacityProviders",
                self.inner.describe_capacity_providers(names, next_token),
            )
            .await
    }

    async fn describe_raw(
        &self,
        target: &super::RawTarget,
    ) -> Result<serde_json::Value, BackendError> {
        self.log
            .counted(target.operation(), self.inner.describe_raw(target))
            .await
    }

    async fn list_task_definition_families(
        &self,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        self.log
            .counted(
                "ListTaskDefinitionFamilies",
                self.inner.list_task_definition_families(next_token),
            )
            .await
    }

    async fn describe_task_definition(
        &self,
        task_definition: &str,
    ) -> Result<TaskDefinition, BackendError> {
        self.log
            .counted(
                "DescribeTaskDefinition",
                self.inner.describe_task_definition(task_definition),
            )
            .await
    }

    async fn list_task_definitions(
        &self,
        family: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        self.log
            .counted(
                "ListTaskDefinitions",
                self.inner.list_task_definitions(family, next_token),
            )
            .await
    }

    async fn update_service(&self, update: &ServiceUpdate) -> Result<Service, BackendError> {
        self.log
            .counted("UpdateService", self.inner.update_service(update))
            .await
    }

    async fn stop_task(
        &self,
        cluster: &str,
        task: &str,
        reason: &str,
    ) -> Result<Task, BackendError> {
        self.log
            .counted("StopTask", self.inner.stop_task(cluster, task, reason))
            .await
    }

    async fn execute_command(
        &self,
        request: &super::ExecRequest,
    ) -> Result<super::ExecSession, BackendError> {
        self.log
            .counted("ExecuteCommand", self.inner.execute_command(request))
            .await
    }
}

#[async_trait]
impl<B: super::LogsBackend> super::LogsBackend for CountingBackend<B> {
    async fn get_log_events(
        &self,
        group: &str,
        stream: &str,
        start: Option<chrono::DateTime<chrono::Utc>>,
        next_token: Option<String>,
    ) -> Result<super::logs::LogEventsPage, BackendError> {
        self.log
            .counted(
                "GetLogEvents",
                self.inner.get_log_events(group, stream, start, next_token),
            )
            .await
    }

    async fn filter_log_events(
        &self,
        group: &str,
        streams: &[String],
        start: chrono::DateTime<chrono::Utc>,
        end: Option<chrono::DateTime<chrono::Utc>>,
        next_token: Option<String>,
    ) -> Result<super::logs::LogEventsPage, BackendError> {
        self.log
            .counted(
                "FilterLogEvents",
                self.inner
                    .filter_log_events(group, streams, start, end, next_token),
            )
            .await
    }

    async fn start_live_tail(
        &self,
        request: &super::logs::LiveTailRequest,
    ) -> Result<super::logs::LiveTailSession, BackendError> {
        self.log
            .counted("StartLiveTail", self.inner.start_live_tail(request))
            .await
    }
}

#[async_trait]
impl<B: super::MetricsBackend> super::MetricsBackend for CountingBackend<B> {
    async fn get_metric_data(
        &self,
        queries: &[super::metrics::MetricQuery],
        start: chrono::DateTime<chrono::Utc>,
        end: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<super::metrics::MetricSeries>, BackendError> {
        self.log
            .counted(
                "GetMetricData",
                self.inner.get_metric_data(queries, start, end),
            )
            .await
    }

    async fn describe_alarms(
        &self,
        in_alarm: bool,
        next_token: Option<String>,
    ) -> Result<super::metrics::AlarmPage, BackendError> {
        self.log
            .counted(
                "DescribeAlarms",
                self.inner.describe_alarms(in_alarm, next_token),
            )
            .await
    }
}

#[async_trait]
impl<B: super::ElbBackend> super::ElbBackend for CountingBackend<B> {
    async fn describe_target_groups(
        &self,
        arns: &[String],
    ) -> Result<Vec<TargetGroup>, BackendError> {
        self.log
            .counted(
                "DescribeTargetGroups",
                self.inner.describe_target_groups(arns),
            )
            .await
    }

    async fn describe_load_balancers(
        &self,
        arns: &[String],
    ) -> Result<Vec<LoadBalancer>, BackendError> {
        self.log
            .counted(
                "DescribeLoadBalancers",
                self.inner.describe_load_balancers(arns),
            )
            .await
    }

    async fn describe_listeners(
        &self,
        load_balancer_arn: &str,
        marker: Option<String>,
    ) -> Result<super::elb::ListenerPage, BackendError> {
        self.log
            .counted(
                "DescribeListeners",
                self.inner.describe_listeners(load_balancer_arn, marker),
            )
            .await
    }

    async fn describe_target_health(
        &self,
        target_group_arn: &str,
    ) -> Result<Vec<TargetHealth>, BackendError> {
        self.log
            .counted(
                "DescribeTargetHealth",
                self.inner.describe_target_health(target_group_arn),
            )
            .await
    }
}

#[async_trait]
impl<B: super::SsmBackend> super::SsmBackend for CountingBackend<B> {
    async fn start_session(
        &self,
        request: &super::ssm::StartSession,
    ) -> Result<super::ExecSession, BackendError> {
        self.log
            .counted("StartSession", self.inner.start_session(request))
            .await
    }

    async fn terminate_session(&self, session_id: &str) -> Result<(), BackendError> {
        self.log
            .counted("TerminateSession", self.inner.terminate_session(session_id))
            .await
    }
}

#[async_trait]
impl<B: super::EcrBackend> super::EcrBackend for CountingBackend<B> {
    async fn describe_images(
        &self,
        registry_id: &str,
        repository: &str,
        tags: &[String],
    ) -> Result<Vec<crate::domain::image::EcrImage>, BackendError> {
        self.log
            .counted(
                "DescribeImages",
                self.inner.describe_images(registry_id, repository, tags),
            )
            .await
    }
}

#[async_trait]
impl<B: super::AutoScalingBackend> super::AutoScalingBackend for CountingBackend<B> {
    async fn describe_auto_scaling_groups(
        &self,
        names: &[String],
        next_token: Option<String>,
    ) -> Result<super::autoscaling::AutoScalingGroupPage, BackendError> {
        self.log
            .counted(
                "DescribeAutoScalingGroups",
                self.inner.describe_auto_scaling_groups(names, next_token),
            )
            .await
    }
}

#[async_trait]
impl<B: super::ScalingBackend> super::ScalingBackend for CountingBackend<B> {
    async fn describe_scalable_targets(
        &self,
        cluster: &str,
        service: &str,
    ) -> Result<Option<crate::domain::scaling::ScalableTarget>, BackendError> {
        self.log
            .counted(
                "DescribeScalableTargets",
                self.inner.describe_scalable_targets(cluster, service),
            )
            .await
    }

    async fn describe_scaling_policies(
        &self,
        cluster: &str,
        service: &str,
        next_token: Option<String>,
    ) -> Result<super::scaling::Listed<crate::domain::scaling::ScalingPolicy>, BackendError> {
        self.log
            .counted(
                "DescribeScalingPolicies",
                self.inner
                    .describe_scaling_policies(cluster, service, next_token),
            )
            .await
    }

    async fn describe_scheduled_actions(
        &self,
        cluster: &str,
        service: &str,
        next_token: Option<String>,
    ) -> Result<super::scaling::Listed<crate::domain::scaling::ScheduledAction>, BackendError> {
        self.log
            .counted(
                "DescribeScheduledActions",
                self.inner
                    .describe_scheduled_actions(cluster, service, next_token),
            )
            .await
    }

    async fn describe_scaling_activities(
        &self,
        cluster: &str,
        service: &str,
        max_results: usize,
    ) -> Result<Vec<crate::domain::scaling::ScalingActivity>, BackendError> {
        self.log
            .counted(
                "DescribeScalingActivities",
                self.inner
                    .describe_scaling_activities(cluster, service, max_results),
            )
            .await
    }

    async fn register_scalable_target(
        &self,
        cluster: &str,
        service: &str,
        change: &super::scaling::TargetChange,
    ) -> Result<(), BackendError> {
        self.log
            .counted(
                "RegisterScalableTarget",
                self.inner
                    .register_scalable_target(cluster, service, change),
            )
            .await
    }
}
