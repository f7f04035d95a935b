//! Test doubles of the backend traits, written once: every trait method's signature is here,
//! and a double says what each call does with one small macro (`$body!(self, OPERATION,
//! method(args))`), e.g. [`unused!`] (an error), [`hang!`] (never answers) or
//! [`delegate!`] (the `inner` backend answers). A new AWS call is added to a double here,
//! not in every test that has one.
//!
//! `ecs_double!(Type, body)`, `logs_double!`, `metrics_double!`, `elb_double!`,
//! `ssm_double!`, `ecr_double!`, `scaling_double!` and `autoscaling_double!` implement one
//! trait each; a test implements by hand only what it answers itself.

/// An error saying the call is not part of the test (the test asserts none is made).
pub fn unused(operation: &'static str) -> ecsdeck::backend::BackendError {
    ecsdeck::backend::BackendError::new(
        ecsdeck::backend::ErrorKind::Other,
        operation,
        "not used by this test",
    )
}

/// Body: fail with [`unused`].
macro_rules! unused {
    ($self:ident, $op:expr, $($call:tt)*) => {{
        let _ = $self;
        Err($crate::support::doubles::unused($op))
    }};
}

/// Body: never answer, as an unreachable endpoint with no timeout would.
macro_rules! hang {
    ($self:ident, $op:expr, $($call:tt)*) => {{
        let _ = ($self, $op);
        std::future::pending().await
    }};
}

/// Body: let `self.inner` answer.
macro_rules! delegate {
    ($self:ident, $op:expr, $($call:tt)*) => {{
        let _ = $op;
        $self.inner.$($call)*.await
    }};
}

macro_rules! ecs_double {
    ($t:ty, $body:ident) => {
        // Bodies that neither delegate nor answer leave the arguments unused.
        #[allow(unused_variables)]
        #[async_trait::async_trait]
        impl ecsdeck::backend::EcsBackend for $t {
            async fn list_clusters(
                &self,
                t: Option<String>,
            ) -> Result<ecsdeck::backend::Page, ecsdeck::backend::BackendError> {
                $body!(self, "ListClusters", list_clusters(t))
            }
            async fn describe_clusters(
                &self,
                c: &[String],
            ) -> Result<Vec<ecsdeck::domain::ecs::Cluster>, ecsdeck::backend::BackendError> {
                $body!(self, "DescribeClusters", describe_clusters(c))
            }
            async fn list_services(
                &self,
                c: &str,
                t: Option<String>,
            ) -> Result<ecsdeck::backend::Page, ecsdeck::backend::BackendError> {
                $body!(self, "ListServices", list_services(c, t))
            }
            async fn describe_services(
                &self,
                c: &str,
                s: &[String],
            ) -> Result<Vec<ecsdeck::domain::ecs::Service>, ecsdeck::backend::BackendError> {
                $body!(self, "DescribeServices", describe_services(c, s))
            }
            async fn list_tasks(
                &self,
                c: &str,
                f: &ecsdeck::backend::TaskFilter,
                t: Option<String>,
            ) -> Result<ecsdeck::backend::Page, ecsdeck::backend::BackendError> {
                $body!(self, "ListTasks", list_tasks(c, f, t))
            }
            async fn describe_tasks(
                &self,
                c: &str,
                t: &[String],
            ) -> Result<Vec<ecsdeck::domain::ecs::Task>, ecsdeck::backend::BackendError> {
                $body!(self, "DescribeTasks", describe_tasks(c, t))
            }
            async fn describe_container_instances(
                &self,
                c: &str,
                i: &[String],
            ) -> Result<Vec<ecsdeck::domain::ecs::ContainerInstance>, ecsdeck::backend::BackendError>
            {
                $body!(self, "DescribeContainerInstances", describe_container_instances(c, i))
            }
            async fn describe_raw(
                &self,
                t: &ecsdeck::backend::RawTarget,
            ) -> Result<serde_json::Value, ecsdeck::backend::BackendError> {
                $body!(self, t.operation(), describe_raw(t))
            }
            async fn list_task_definition_families(
                &self,
                t: Option<String>,
            ) -> Result<ecsdeck::backend::Page, ecsdeck::backend::BackendError> {
                $body!(self, "ListTaskDefinitionFamilies", list_task_definition_families(t))
            }
            async fn list_container_instances(
                &self,
                c: &str,
                t: Option<String>,
            ) -> Result<ecsdeck::backend::Page, ecsdeck::backend::BackendError> {
                $body!(self, "ListContainerInstances", list_container_instances(c, t))
            }
            async fn update_container_instances_state(
                &self,
                c: &str,
                i: &[String],
                s: ecsdeck::backend::InstanceStatus,
            ) -> Result<Vec<ecsdeck::domain::ecs::ContainerInstance>, ecsdeck::backend::BackendError>
            {
                $body!(self, "UpdateContainerInstancesState", update_container_instances_state(c, i, s))
            }
            async fn describe_task_definition(
                &self,
                t: &str,
            ) -> Result<ecsdeck::domain::ecs::TaskDefinition, ecsdeck::backend::BackendError> {
                $body!(self, "DescribeTaskDefinition", describe_task_definition(t))
            }
            async fn list_task_definitions(
                &self,
                f: &str,
                t: Option<String>,
            ) -> Result<ecsdeck::backend::Page, ecsdeck::backend::BackendError> {
                $body!(self, "ListTaskDefinitions", list_task_definitions(f, t))
            }
            async fn update_service(
                &self,
                u: &ecsdeck::backend::ServiceUpdate,
            ) -> Result<ecsdeck::domain::ecs::Service, ecsdeck::backend::BackendError> {
                $body!(self, "UpdateService", update_service(u))
            }
            async fn stop_task(
                &self,
                c: &str,
                t: &str,
                r: &str,
            ) -> Result<ecsdeck::domain::ecs::Task, ecsdeck::backend::BackendError> {
                $body!(self, "StopTask", stop_task(c, t, r))
            }
            async fn execute_command(
                &self,
                r: &ecsdeck::backend::ExecRequest,
            ) -> Result<ecsdeck::backend::ExecSession, ecsdeck::backend::BackendError> {
                $body!(self, "ExecuteCommand", execute_command(r))
            }
            async fn describe_capacity_providers(
                &self,
                n: &[String],
                t: Option<String>,
            ) -> Result<ecsdeck::backend::CapacityProviderPage, ecsdeck::backend::BackendError> {
                $body!(self, "DescribeCapacityProviders", describe_capacity_providers(n, t))
            }
        }
    };
}

macro_rules! logs_double {
    ($t:ty, $body:ident) => {
        // Bodies that neither delegate nor answer leave the arguments unused.
        #[allow(unused_variables)]
        #[async_trait::async_trait]
        impl ecsdeck::backend::LogsBackend for $t {
            async fn get_log_events(
                &self,
                g: &str,
                s: &str,
                start: Option<chrono::DateTime<chrono::Utc>>,
                t: Option<String>,
            ) -> Result<ecsdeck::backend::logs::LogEventsPage, ecsdeck::backend::BackendError> {
                $body!(self, "GetLogEvents", get_log_events(g, s, start, t))
            }
            async fn filter_log_events(
                &self,
                g: &str,
                s: &[String],
                start: chrono::DateTime<chrono::Utc>,
                end: Option<chrono::DateTime<chrono::Utc>>,
                t: Option<String>,
            ) -> Result<ecsdeck::backend::logs::LogEventsPage, ecsdeck::backend::BackendError> {
                $body!(
                    self,
                    "FilterLogEvents",
                    filter_log_events(g, s, start, end, t)
                )
            }
            async fn start_live_tail(
                &self,
                r: &ecsdeck::backend::logs::LiveTailRequest,
            ) -> Result<ecsdeck::backend::logs::LiveTailSession, ecsdeck::backend::BackendError>
            {
                $body!(self, "StartLiveTail", start_live_tail(r))
            }
        }
    };
}

macro_rules! metrics_double {
    ($t:ty, $body:ident) => {
        // Bodies that neither delegate nor answer leave the arguments unused.
        #[allow(unused_variables)]
        #[async_trait::async_trait]
        impl ecsdeck::backend::MetricsBackend for $t {
            async fn get_metric_data(
                &self,
                q: &[ecsdeck::backend::metrics::MetricQuery],
                start: chrono::DateTime<chrono::Utc>,
                end: chrono::DateTime<chrono::Utc>,
            ) -> Result<Vec<ecsdeck::backend::metrics::MetricSeries>, ecsdeck::backend::BackendError>
            {
                $body!(self, "GetMetricData", get_metric_data(q, start, end))
            }
            async fn describe_alarms(
                &self,
                a: bool,
                t: Option<String>,
            ) -> Result<ecsdeck::backend::metrics::AlarmPage, ecsdeck::backend::BackendError> {
                $body!(self, "DescribeAlarms", describe_alarms(a, t))
            }
        }
    };
}

macro_rules! elb_double {
    ($t:ty, $body:ident) => {
        // Bodies that neither delegate nor answer leave the arguments unused.
        #[allow(unused_variables)]
        #[async_trait::async_trait]
        impl ecsdeck::backend::ElbBackend for $t {
            async fn describe_target_groups(
                &self,
                a: &[String],
            ) -> Result<Vec<ecsdeck::domain::elb::TargetGroup>, ecsdeck::backend::BackendError>
            {
                $body!(self, "DescribeTargetGroups", describe_target_groups(a))
            }
            async fn describe_load_balancers(
                &self,
                a: &[String],
            ) -> Result<Vec<ecsdeck::domain::elb::LoadBalancer>, ecsdeck::backend::BackendError>
            {
                $body!(self, "DescribeLoadBalancers", describe_load_balancers(a))
            }
            async fn describe_listeners(
                &self,
                a: &str,
                m: Option<String>,
            ) -> Result<ecsdeck::backend::elb::ListenerPage, ecsdeck::backend::BackendError> {
                $body!(self, "DescribeListeners", describe_listeners(a, m))
            }
            async fn describe_target_health(
                &self,
                a: &str,
            ) -> Result<Vec<ecsdeck::domain::elb::TargetHealth>, ecsdeck::backend::BackendError>
            {
                $body!(self, "DescribeTargetHealth", describe_target_health(a))
            }
        }
    };
}

macro_rules! ssm_double {
    ($t:ty, $body:ident) => {
        // Bodies that neither delegate nor answer leave the arguments unused.
        #[allow(unused_variables)]
        #[async_trait::async_trait]
        impl ecsdeck::backend::SsmBackend for $t {
            async fn start_session(
                &self,
                r: &ecsdeck::backend::ssm::StartSession,
            ) -> Result<ecsdeck::backend::ExecSession, ecsdeck::backend::BackendError> {
                $body!(self, "StartSession", start_session(r))
            }
            async fn terminate_session(
                &self,
                id: &str,
            ) -> Result<(), ecsdeck::backend::BackendError> {
                $body!(self, "TerminateSession", terminate_session(id))
            }
        }
    };
}

macro_rules! ecr_double {
    ($t:ty, $body:ident) => {
        // Bodies that neither delegate nor answer leave the arguments unused.
        #[allow(unused_variables)]
        #[async_trait::async_trait]
        impl ecsdeck::backend::EcrBackend for $t {
            async fn describe_images(
                &self,
                r: &str,
                repo: &str,
                tags: &[String],
            ) -> Result<Vec<ecsdeck::domain::image::EcrImage>, ecsdeck::backend::BackendError> {
                $body!(self, "DescribeImages", describe_images(r, repo, tags))
            }
        }
    };
}

macro_rules! scaling_double {
    ($t:ty, $body:ident) => {
        // Bodies that neither delegate nor answer leave the arguments unused.
        #[allow(unused_variables)]
        #[async_trait::async_trait]
        impl ecsdeck::backend::ScalingBackend for $t {
            async fn describe_scalable_targets(
                &self,
                c: &str,
                s: &str,
            ) -> Result<Option<ecsdeck::backend::ScalableTarget>, ecsdeck::backend::BackendError>
            {
                $body!(
                    self,
                    "DescribeScalableTargets",
                    describe_scalable_targets(c, s)
                )
            }
            async fn describe_scaling_policies(
                &self,
                c: &str,
                s: &str,
                t: Option<String>,
            ) -> Result<
                ecsdeck::backend::scaling::Listed<ecsdeck::domain::scaling::ScalingPolicy>,
                ecsdeck::backend::BackendError,
            > {
                $body!(
                    self,
                    "DescribeScalingPolicies",
                    describe_scaling_policies(c, s, t)
                )
            }
            async fn describe_scheduled_actions(
                &self,
                c: &str,
                s: &str,
                t: Option<String>,
            ) -> Result<
                ecsdeck::backend::scaling::Listed<ecsdeck::domain::scaling::ScheduledAction>,
                ecsdeck::backend::BackendError,
            > {
                $body!(
                    self,
                    "DescribeScheduledActions",
                    describe_scheduled_actions(c, s, t)
                )
            }
            async fn describe_scaling_activities(
                &self,
                c: &str,
                s: &str,
                n: usize,
            ) -> Result<
                Vec<ecsdeck::domain::scaling::ScalingActivity>,
                ecsdeck::backend::BackendError,
            > {
                $body!(
                    self,
                    "DescribeScalingActivities",
                    describe_scaling_activities(c, s, n)
                )
            }
            async fn register_scalable_target(
                &self,
                c: &str,
                s: &str,
                change: &ecsdeck::backend::scaling::TargetChange,
            ) -> Result<(), ecsdeck::backend::BackendError> {
                $body!(
                    self,
                    "RegisterScalableTarget",
                    register_scalable_target(c, s, change)
                )
            }
        }
    };
}

macro_rules! autoscaling_double {
    ($t:ty, $body:ident) => {
        // Bodies that neither delegate nor answer leave the arguments unused.
        #[allow(unused_variables)]
        #[async_trait::async_trait]
        impl ecsdeck::backend::AutoScalingBackend for $t {
            async fn describe_auto_scaling_groups(
                &self,
                n: &[String],
                t: Option<String>,
            ) -> Result<
                ecsdeck::backend::autoscaling::AutoScalingGroupPage,
                ecsdeck::backend::BackendError,
            > {
                $body!(
                    self,
                    "DescribeAutoScalingGroups",
                    describe_auto_scaling_groups(n, t)
                )
            }
        }
    };
}
