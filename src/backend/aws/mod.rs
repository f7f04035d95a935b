//! The AWS SDK backend: one SDK call per trait method, mapped to domain types in `mapping`.

mod capacity;
mod client;
mod ecr;
mod elb;
pub mod errors;
mod logs;
pub mod mapping;
mod metrics;
mod raw;
mod scaling;
mod ssm;

use async_trait::async_trait;
use aws_sdk_ecs::types::{ClusterField, SortOrder, TaskDefinitionStatus};

use self::errors::{CallContext, classify};
use super::{
    BackendError, Connection, EcsBackend, ErrorKind, ExecRequest, ExecSession, InstanceStatus,
    LIST_PAGE_MAX, Page, ServiceUpdate, TaskFilter,
};
use crate::domain::ecs::{Cluster, ContainerInstance, Service, Task, TaskDefinition};

/// Where to connect; every field falls back to the SDK's standard chain when `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// A custom endpoint (moto, LocalStack); also read from `AWS_ENDPOINT_URL` by the SDK.
    pub endpoint_url: Option<String>,
}

/// ECS through the AWS SDK.
pub struct AwsBackend {
    ecs: aws_sdk_ecs::Client,
    /// Application Auto Scaling: the service's auto scaling. Built from the same
    /// config, so a custom endpoint (moto serves every service on one port) applies to it.
    autoscaling: aws_sdk_applicationautoscaling::Client,
    /// EC2 Auto Scaling: the groups behind capacity providers.
    ec2_autoscaling: aws_sdk_autoscaling::Client,
    /// Elastic Load Balancing v2: target groups and target health.
    elb: aws_sdk_elasticloadbalancingv2::Client,
    /// Systems Manager: port-forwarding sessions.
    ssm: aws_sdk_ssm::Client,
    /// ECR: what image tags point to now.
    ecr: aws_sdk_ecr::Client,
    /// CloudWatch Logs, with the local-endpoint fix for StartLiveTail (see `logs::client`).
    logs: aws_sdk_cloudwatchlogs::Client,
    /// Kept so CloudWatch and Logs clients share the same credentials, region and endpoint.
    pub config: aws_config::SdkConfig,
    endpoint_label: String,
}

impl AwsBackend {
    /// Builds the clients without any network call: credentials resolve lazily on the first
    /// request, so a credentials problem is reported per view instead of blocking start-up.
    /// Fails only when no region can be found.
    pub async fn connect(opts: &AwsOptions) -> Result<(AwsBackend, Connection), String> {
        let loaded = client::load(opts).await?;
        let backend = AwsBackend {
            ecs: aws_sdk_ecs::Client::new(&loaded.config),
            autoscaling: aws_sdk_applicationautoscaling::Client::new(&loaded.config),
            ec2_autoscaling: aws_sdk_autoscaling::Client::new(&loaded.config),
            elb: aws_sdk_elasticloadbalancingv2::Client::new(&loaded.config),
            ssm: aws_sdk_ssm::Client::new(&loaded.config),
            ecr: aws_sdk_ecr::Client::new(&loaded.config),
            logs: logs::client(&loaded.config),
            config: loaded.config,
            endpoint_label: loaded.endpoint_label,
        };
        Ok((backend, loaded.connection))
    }

    fn ctx<'a>(&'a self, cluster: Option<&'a str>) -> CallContext<'a> {
        CallContext {
            cluster,
            endpoint: &self.endpoint_label,
        }
    }
}

const PAGE_SIZE: i32 = LIST_PAGE_MAX as i32;

fn page(arns: &[String], next_token: Option<&str>) -> Page {
    Page {
        arns: arns.to_vec(),
        next_token: next_token.filter(|t| !t.is_empty()).map(str::to_string),
    }
}

#[async_trait]
impl EcsBackend for AwsBackend {
    async fn list_clusters(&self, next_token: Option<String>) -> Result<Page, BackendError> {
        let out = self
            .ecs
            .list_clusters()
            .max_results(PAGE_SIZE)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| classify("ListClusters", &e, self.ctx(None)))?;
        Ok(page(out.cluster_arns(), out.next_token()))
    }

    /// Clusters that do not exist come back as `failures` and are left out, as AWS does.
    async fn describe_clusters(&self, clusters: &[String]) -> Result<Vec<Cluster>, BackendError> {
        let out = self
            .ecs
            .describe_clusters()
            .set_clusters(Some(clusters.to_vec()))
            // SETTINGS carries containerInsights.
            .include(ClusterField::Settings)
            .send()
            .await
            .map_err(|e| classify("DescribeClusters", &e, self.ctx(None)))?;
        Ok(out.clusters().iter().map(mapping::cluster).collect())
    }

    async fn list_services(
        &self,
        cluster: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        let out = self
            .ecs
            .list_services()
            .cluster(cluster)
            .max_results(PAGE_SIZE)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| classify("ListServices", &e, self.ctx(Some(cluster))))?;
        Ok(page(out.service_arns(), out.next_token()))
    }

    async fn describe_services(
        &self,
        cluster: &str,
        services: &[String],
    ) -> Result<Vec<Service>, BackendError> {
        let out = self
            .ecs
            .describe_services()
            .cluster(cluster)
            .set_services(Some(services.to_vec()))
            .send()
            .await
            .map_err(|e| classify("DescribeServices", &e, self.ctx(Some(cluster))))?;
        Ok(out.services().iter().map(mapping::service).collect())
    }

    async fn list_tasks(
        &self,
        cluster: &str,
        filter: &TaskFilter,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        let out = self
            .ecs
            .list_tasks()
            .cluster(cluster)
            .set_service_name(filter.service.clone())
            .set_container_instance(filter.container_instance.clone())
            .desired_status(filter.desired_status.as_aws().into())
            .max_results(PAGE_SIZE)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| classify("ListTasks", &e, self.ctx(Some(cluster))))?;
        Ok(page(out.task_arns(), out.next_token()))
    }

    async fn describe_tasks(
        &self,
        cluster: &str,
        tasks: &[String],
    ) -> Result<Vec<Task>, BackendError> {
        let out = self
            .ecs
            .describe_tasks()
            .cluster(cluster)
            .set_tasks(Some(tasks.to_vec()))
            .send()
            .await
            .map_err(|e| classify("DescribeTasks", &e, self.ctx(Some(cluster))))?;
        Ok(out.tasks().iter().map(mapping::task).collect())
    }

    async fn describe_container_instances(
        &self,
        cluster: &str,
        instances: &[String],
    ) -> Result<Vec<ContainerInstance>, BackendError> {
        let out = self
            .ecs
            .describe_container_instances()
            .cluster(cluster)
            .set_container_instances(Some(instances.to_vec()))
            .send()
            .await
            .map_err(|e| classify("DescribeContainerInstances", &e, self.ctx(Some(cluster))))?;
        Ok(out
            .container_instances()
            .iter()
            .map(mapping::container_instance)
            .collect())
    }

    async fn describe_capacity_providers(
        &self,
        names: &[String],
        next_token: Option<String>,
    ) -> Result<super::CapacityProviderPage, BackendError> {
        self.capacity_providers(names, next_token).await
    }

    async fn list_container_instances(
        &self,
        cluster: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        let out = self
            .ecs
            .list_container_instances()
            .cluster(cluster)
            .max_results(PAGE_SIZE)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| classify("ListContainerInstances", &e, self.ctx(Some(cluster))))?;
        Ok(page(out.container_instance_arns(), out.next_token()))
    }

    async fn update_container_instances_state(
        &self,
        cluster: &str,
        instances: &[String],
        status: InstanceStatus,
    ) -> Result<Vec<ContainerInstance>, BackendError> {
        const OP: &str = "UpdateContainerInstancesState";
        let out = self
            .ecs
            .update_container_instances_state()
            .cluster(cluster)
            .set_container_instances(Some(instances.to_vec()))
            .status(status.as_aws().into())
            .customize()
            .config_override(no_retries())
            .send()
            .await
            .map_err(|e| classify(OP, &e, self.ctx(Some(cluster))))?;
        // An instance ECS could not change comes back under `failures`, not as an error.
        if let Some(failure) = out.failures().first() {
            return Err(BackendError::new(
                ErrorKind::InvalidRequest,
                OP,
                format!(
                    "{} of {} instances were not changed: {} ({})",
                    out.failures().len(),
                    instances.len(),
                    failure.reason().unwrap_or("no reason given"),
                    failure.arn().unwrap_or("?"),
                ),
            ));
        }
        Ok(out
            .container_instances()
            .iter()
            .map(mapping::container_instance)
            .collect())
    }

    async fn describe_raw(
        &self,
        target: &super::RawTarget,
    ) -> Result<serde_json::Value, BackendError> {
        self.describe_raw_json(target).await
    }

    async fn list_task_definition_families(
        &self,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        let out = self
            .ecs
            .list_task_definition_families()
            .status(aws_sdk_ecs::types::TaskDefinitionFamilyStatus::Active)
            .max_results(PAGE_SIZE)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| classify("ListTaskDefinitionFamilies", &e, self.ctx(None)))?;
        Ok(page(out.families(), out.next_token()))
    }

    async fn describe_task_definition(
        &self,
        task_definition: &str,
    ) -> Result<TaskDefinition, BackendError> {
        let out = self
            .ecs
            .describe_task_definition()
            .task_definition(task_definition)
            .send()
            .await
            .map_err(|e| classify("DescribeTaskDefinition", &e, self.ctx(None)))?;
        out.task_definition()
            .map(mapping::task_definition)
            .ok_or_else(|| {
                BackendError::new(
                    ErrorKind::NotFound,
                    "DescribeTaskDefinition",
                    format!("Task definition not found: {task_definition}"),
                )
            })
    }

    /// `familyPrefix` matches prefixes (`orbit` also lists `orbit-worker`), so only ARNs of
    /// exactly `family` are kept; a page may therefore hold fewer than 100 ARNs.
    async fn list_task_definitions(
        &self,
        family: &str,
        next_token: Option<String>,
    ) -> Result<Page, BackendError> {
        let out = self
            .ecs
            .list_task_definitions()
            .family_prefix(family)
            .status(TaskDefinitionStatus::Active)
            .sort(SortOrder::Desc)
            .max_results(PAGE_SIZE)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| classify("ListTaskDefinitions", &e, self.ctx(None)))?;
        let mut arns: Vec<String> = out
            .task_definition_arns()
            .iter()
            .filter(|arn| family_of(arn) == Some(family))
            .cloned()
            .collect();
        // AWS already sorts the page; moto ignores `sort` and answers oldest first.
        arns.sort_by_key(|arn| std::cmp::Reverse(revision_of(arn)));
        Ok(page(&arns, out.next_token()))
    }

    /// Sends only the changes that are set, so a scale never redeploys and vice versa.
    async fn update_service(&self, update: &ServiceUpdate) -> Result<Service, BackendError> {
        let mut request = self
            .ecs
            .update_service()
            .cluster(&update.cluster)
            .service(&update.service)
            .set_desired_count(update.desired_count)
            .set_task_definition(update.task_definition.clone());
        if update.force_new_deployment {
            request = request.force_new_deployment(true);
        }
        let out = request
            .customize()
            .config_override(no_retries())
            .send()
            .await
            .map_err(|e| classify("UpdateService", &e, self.ctx(Some(&update.cluster))))?;
        out.service().map(mapping::service).ok_or_else(|| {
            BackendError::new(
                ErrorKind::Other,
                "UpdateService",
                format!(
                    "ECS accepted the update of {} but returned no service",
                    update.service
                ),
            )
        })
    }

    async fn stop_task(
        &self,
        cluster: &str,
        task: &str,
        reason: &str,
    ) -> Result<Task, BackendError> {
        let out = self
            .ecs
            .stop_task()
            .cluster(cluster)
            .task(task)
            .reason(reason)
            .customize()
            .config_override(no_retries())
            .send()
            .await
            .map_err(|e| classify("StopTask", &e, self.ctx(Some(cluster))))?;
        out.task().map(mapping::task).ok_or_else(|| {
            BackendError::new(
                ErrorKind::Other,
                "StopTask",
                format!("ECS accepted stopping {task} but returned no task"),
            )
        })
    }

    async fn execute_command(&self, request: &ExecRequest) -> Result<ExecSession, BackendError> {
        // Each attempt opens a session: never retried.
        let out = self
            .ecs
            .execute_command()
            .cluster(&request.cluster)
            .task(&request.task)
            .container(&request.container)
            .command(&request.command)
            .interactive(true)
            .customize()
            .config_override(no_retries())
            .send()
            .await
            .map_err(|e| classify("ExecuteCommand", &e, self.ctx(Some(&request.cluster))))?;
        let session = out.session().ok_or_else(|| {
            BackendError::new(
                ErrorKind::Malformed,
                "ExecuteCommand",
                "the answer has no session",
            )
        })?;
        let text = |s: Option<&str>| s.unwrap_or_default().to_string();
        Ok(ExecSession {
            session_id: text(session.session_id()),
            stream_url: text(session.stream_url()),
            token_value: text(session.token_value()),
        })
    }
}

/// The family of a task definition ARN (`...:task-definition/FAMILY:REVISION`).
fn family_of(arn: &str) -> Option<&str> {
    let (_, tail) = arn.split_once(":task-definition/")?;
    tail.rsplit_once(':').map(|(family, _)| family)
}

/// The revision of a task definition ARN (0 when it has none, which AWS never returns).
fn revision_of(arn: &str) -> i64 {
    arn.rsplit_once(':')
        .and_then(|(_, revision)| revision.parse().ok())
        .unwrap_or(0)
}

/// Mutations are sent exactly once: an SDK retry of a force-new-deployment would start a
/// second deployment, and a retried scale could race a human correcting it. A failure is
/// shown to the user, who decides.
fn no_retries() -> aws_sdk_ecs::config::Builder {
    aws_sdk_ecs::config::Builder::default().retry_config(aws_config::retry::RetryConfig::disabled())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_are_never_retried() {
        let config = no_retries().build();
        let attempts = config.retry_config().map(|r| r.max_attempts());
        assert_eq!(attempts, Some(1));
    }

    #[test]
    fn family_is_read_from_the_arn_exactly() {
        let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/orbit-worker:7";
        assert_eq!(family_of(arn), Some("orbit-worker"));
        assert_eq!(
            family_of("arn:aws:ecs:us-east-1:1:task-definition/orbit:12"),
            Some("orbit")
        );
        assert_eq!(family_of("orbit:12"), None);
        assert_eq!(
            revision_of("arn:aws:ecs:us-east-1:1:task-definition/orbit:12"),
            12
        );
    }
}
