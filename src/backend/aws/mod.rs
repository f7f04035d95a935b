//! The AWS SDK backend: one SDK call per trait method, mapped to domain types in `mapping`.

mod client;
pub mod errors;
pub mod mapping;

use async_trait::async_trait;
use aws_sdk_ecs::types::ClusterField;

use self::errors::{CallContext, classify};
use super::{BackendError, Connection, EcsBackend, LIST_PAGE_MAX, Page, TaskFilter};
use crate::store::model::{Cluster, Service, Task, TaskDefinition};

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
                    super::ErrorKind::NotFound,
                    "DescribeTaskDefinition",
                    format!("Task definition not found: {task_definition}"),
                )
            })
    }
    async fn list_task_definitions(
        &self,
        _family: &str,
        _next_token: Option<String>,
    ) -> Result<crate::backend::Page, BackendError> {
        Err(not_yet("ListTaskDefinitions"))
    }

    async fn update_service(
        &self,
        _update: &crate::backend::ServiceUpdate,
    ) -> Result<crate::store::model::Service, BackendError> {
        Err(not_yet("UpdateService"))
    }

    async fn stop_task(
        &self,
        _cluster: &str,
        _task: &str,
        _reason: &str,
    ) -> Result<crate::store::model::Task, BackendError> {
        Err(not_yet("StopTask"))
    }

    async fn scalable_target(
        &self,
        _cluster: &str,
        _service: &str,
    ) -> Result<Option<crate::backend::ScalableTarget>, BackendError> {
        Err(not_yet("DescribeScalableTargets"))
    }
}

// Placeholder until the operations land (issue 3).
fn not_yet(operation: &'static str) -> BackendError {
    BackendError::new(
        crate::backend::ErrorKind::Other,
        operation,
        "not implemented yet",
    )
}
