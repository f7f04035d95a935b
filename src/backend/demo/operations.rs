//! What the demo does when the user acts: scale, redeploy, roll back, stop a task. Each
//! action changes the fleet at once the way ECS acknowledges it (the new desired count, a new
//! PRIMARY deployment, desiredStatus STOPPED); the simulation's steps then carry it out, so
//! its consequences show up on screen over the next few refreshes.

use std::cmp::Reverse;

use super::fleet::{DemoFleet, Rollout};
use super::{find_cluster, invalid, tasks, view};
use crate::backend::{BackendError, ErrorKind, ServiceUpdate};
use crate::domain::ecs::{Service, Task, TaskDefinition};

/// UpdateService's limit on desiredCount.
pub(super) const MAX_DESIRED_COUNT: i32 = 5000;

impl DemoFleet {
    /// UpdateService: validates everything first (so a refused call changes nothing), then
    /// applies the new desired count and/or starts a new deployment.
    pub(super) fn update_service(
        &mut self,
        update: &ServiceUpdate,
    ) -> Result<Service, BackendError> {
        const OP: &str = "UpdateService";
        let (c, s) = self.locate_service(&update.cluster, &update.service, OP)?;
        if let Some(desired) = update.desired_count
            && !(0..=MAX_DESIRED_COUNT).contains(&desired)
        {
            return Err(invalid(
                OP,
                format!("desiredCount must be between 0 and {MAX_DESIRED_COUNT}, not {desired}."),
            ));
        }
        let target: Option<TaskDefinition> = match &update.task_definition {
            Some(wanted) => Some(
                self.find_task_definition(wanted)
                    .cloned()
                    .ok_or_else(|| invalid(OP, "Unable to describe task definition."))?,
            ),
            None if update.force_new_deployment => self
                .clusters
                .get(c)
                .and_then(|cluster| cluster.services.get(s))
                .and_then(|service| service.deployments.first())
                .and_then(|d| self.task_definitions.get(&d.task_definition))
                .cloned(),
            None => None,
        };
        if let Some(desired) = update.desired_count
            && let Some(service) = self.service_mut(c, s)
        {
            service.desired = desired;
            if let Some(primary) = service.deployments.first_mut() {
                primary.desired = desired;
            }
        }
        if let Some(definition) = target {
            self.start_deployment(c, s, &definition);
        }
        let cluster = self.clusters.get(c).ok_or_else(|| gone(OP))?;
        let service = cluster.services.get(s).ok_or_else(|| gone(OP))?;
        Ok(view::service(cluster, service))
    }

    /// A new PRIMARY deployment of `definition`, IN_PROGRESS; the previous ones become
    /// ACTIVE and are drained by the simulation as the new tasks come up (an unfinished
    /// rollout is superseded, as ECS does).
    fn start_deployment(&mut self, c: usize, s: usize, definition: &TaskDefinition) {
        let Some(desired) = self.service_mut(c, s).map(|service| service.desired) else {
            return;
        };
        let now = self.now;
        let deployment = self.deployment(definition, desired, Rollout::InProgress, now);
        if let Some(service) = self.service_mut(c, s) {
            service.deployments.insert(0, deployment);
        }
    }

    /// StopTask: desiredStatus STOPPED now, with the reason and stop code `UserInitiated`;
    /// lastStatus reaches STOPPED within two steps and the service starts a replacement on
    /// the next one. Stopping a stopped task returns it unchanged, as ECS does.
    pub(super) fn stop_task(
        &mut self,
        cluster: &str,
        task: &str,
        reason: &str,
    ) -> Result<Task, BackendError> {
        const OP: &str = "StopTask";
        let c = self.cluster_index(cluster, OP)?;
        let sim = self
            .clusters
            .get_mut(c)
            .and_then(|cluster| {
                cluster
                    .tasks
                    .iter_mut()
                    .find(|t| t.task.task_arn == task || t.task.short_id() == task)
            })
            .ok_or_else(|| invalid(OP, "The referenced task was not found."))?;
        if sim.is_live() {
            tasks::begin_user_stop(&mut sim.task, reason);
            sim.ticks_in_status = 0;
        }
        Ok(sim.task.clone())
    }

    /// ListTaskDefinitions(familyPrefix = family exactly, ACTIVE, newest first).
    /// The families with an ACTIVE revision, by name.
    pub(super) fn task_definition_families(&self) -> Vec<String> {
        let mut families: Vec<String> = (self.task_definitions.values())
            .filter(|d| d.status.as_deref() != Some("INACTIVE"))
            .map(|d| d.family.clone())
            .collect();
        families.sort();
        families.dedup();
        families
    }

    pub(super) fn task_definition_arns(&self, family: &str) -> Vec<String> {
        let mut revisions: Vec<&TaskDefinition> = self
            .task_definitions
            .values()
            .filter(|d| d.family == family && d.status.as_deref() != Some("INACTIVE"))
            .collect();
        revisions.sort_by_key(|d| Reverse(d.revision));
        revisions
            .into_iter()
            .map(|d| d.task_definition_arn.clone())
            .collect()
    }

    pub(super) fn cluster_index(
        &self,
        cluster: &str,
        operation: &'static str,
    ) -> Result<usize, BackendError> {
        let found = find_cluster(self, cluster, operation)?;
        self.clusters
            .iter()
            .position(|c| std::ptr::eq(c, found))
            .ok_or_else(|| gone(operation))
    }

    /// (cluster index, service index), or AWS's ClusterNotFound / ServiceNotFound.
    pub(super) fn locate_service(
        &self,
        cluster: &str,
        service: &str,
        operation: &'static str,
    ) -> Result<(usize, usize), BackendError> {
        let c = self.cluster_index(cluster, operation)?;
        let s = self
            .clusters
            .get(c)
            .and_then(|cl| {
                cl.services
                    .iter()
                    .position(|sv| sv.name == service || sv.arn == service)
            })
            .ok_or_else(|| {
                BackendError::new(
                    ErrorKind::NotFound,
                    operation,
                    format!("Service not found: {service}"),
                )
            })?;
        Ok((c, s))
    }

    pub(super) fn service_mut(
        &mut self,
        c: usize,
        s: usize,
    ) -> Option<&mut super::fleet::ServiceState> {
        self.clusters
            .get_mut(c)
            .and_then(|cluster| cluster.services.get_mut(s))
    }
}

/// Cannot happen (indices were just looked up under the same lock); reported, not panicked.
fn gone(operation: &'static str) -> BackendError {
    BackendError::new(
        ErrorKind::Other,
        operation,
        "The demo fleet changed during the call.",
    )
}
