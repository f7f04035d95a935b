//! The full describe: the Describe* call's response body exactly as AWS sent it.
//!
//! The SDK's output types hold every field but cannot be serialised back to AWS's JSON, and
//! mapping each by hand would miss the ones added next year. ECS speaks JSON, so the raw
//! response body *is* the answer: an interceptor on the one call keeps a copy of it after
//! the SDK has read it (and checked it for errors).

use std::sync::{Arc, Mutex};

use aws_sdk_ecs::config::interceptors::AfterDeserializationInterceptorContextRef;
use aws_sdk_ecs::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_ecs::error::BoxError;
use aws_sdk_ecs::types::{ClusterField, ServiceField, TaskDefinitionField, TaskField};

use super::AwsBackend;
use super::errors::classify;
use crate::backend::{BackendError, ErrorKind, RawTarget};

/// Keeps the response body of the call it is attached to.
#[derive(Debug, Clone, Default)]
struct KeepBody(Arc<Mutex<Option<Vec<u8>>>>);

impl Intercept for KeepBody {
    fn name(&self) -> &'static str {
        "KeepBody"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(bytes) = context.response().body().bytes()
            && let Ok(mut kept) = self.0.lock()
        {
            *kept = Some(bytes.to_vec());
        }
        Ok(())
    }
}

impl KeepBody {
    fn json(&self, operation: &'static str) -> Result<serde_json::Value, BackendError> {
        let body = self.0.lock().ok().and_then(|mut b| b.take());
        let unreadable = |why: String| BackendError::new(ErrorKind::Other, operation, why);
        let body = body.ok_or_else(|| unreadable("the response body was not kept".into()))?;
        serde_json::from_slice(&body).map_err(|e| unreadable(format!("not JSON: {e}")))
    }
}

impl AwsBackend {
    pub(super) async fn describe_raw_json(
        &self,
        target: &RawTarget,
    ) -> Result<serde_json::Value, BackendError> {
        let keep = KeepBody::default();
        let operation = target.operation();
        let (list, wanted) = match target {
            RawTarget::Cluster { cluster } => {
                self.ecs
                    .describe_clusters()
                    .clusters(cluster)
                    .set_include(Some(vec![
                        ClusterField::Attachments,
                        ClusterField::Configurations,
                        ClusterField::Settings,
                        ClusterField::Statistics,
                        ClusterField::Tags,
                    ]))
                    .customize()
                    .interceptor(keep.clone())
                    .send()
                    .await
                    .map_err(|e| classify(operation, &e, self.ctx(None)))?;
                ("clusters", cluster.as_str())
            }
            RawTarget::Service { cluster, service } => {
                self.ecs
                    .describe_services()
                    .cluster(cluster)
                    .services(service)
                    .include(ServiceField::Tags)
                    .customize()
                    .interceptor(keep.clone())
                    .send()
                    .await
                    .map_err(|e| classify(operation, &e, self.ctx(Some(cluster))))?;
                ("services", service.as_str())
            }
            RawTarget::Task { cluster, task } => {
                self.ecs
                    .describe_tasks()
                    .cluster(cluster)
                    .tasks(task)
                    .include(TaskField::Tags)
                    .customize()
                    .interceptor(keep.clone())
                    .send()
                    .await
                    .map_err(|e| classify(operation, &e, self.ctx(Some(cluster))))?;
                ("tasks", task.as_str())
            }
            RawTarget::TaskDefinition { arn } => {
                self.ecs
                    .describe_task_definition()
                    .task_definition(arn)
                    .include(TaskDefinitionField::Tags)
                    .customize()
                    .interceptor(keep.clone())
                    .send()
                    .await
                    .map_err(|e| classify(operation, &e, self.ctx(None)))?;
                // `taskDefinition` and `tags` side by side: the whole answer is the resource.
                return keep.json(operation);
            }
        };
        let body = keep.json(operation)?;
        first_of(body, list).ok_or_else(|| {
            BackendError::new(
                ErrorKind::NotFound,
                operation,
                format!("{wanted} is not there any more (AWS returned it under failures)."),
            )
        })
    }
}

/// `{"services": [X], "failures": []}` → X.
fn first_of(mut body: serde_json::Value, list: &str) -> Option<serde_json::Value> {
    let items = body.get_mut(list)?.as_array_mut()?;
    (!items.is_empty()).then(|| items.swap_remove(0))
}

#[cfg(test)]
mod tests {
    use super::first_of;

    #[test]
    fn the_resource_is_the_first_of_its_list_and_a_failure_is_none() {
        let body =
            serde_json::json!({"services": [{"serviceName": "api", "tags": []}], "failures": []});
        let service = first_of(body, "services").unwrap();
        assert_eq!(service["serviceName"], "api");
        let failed = serde_json::json!({"services": [], "failures": [{"reason": "MISSING"}]});
        assert!(first_of(failed, "services").is_none());
    }
}
