//! The store's load balancing data: target health by target group, target groups and load
//! balancers as fetched in batches, container instances, and the lookups views use.

use chrono::{DateTime, Utc};

use super::{Payload, Resource, Store, unpack};
use crate::backend::BackendError;
use crate::domain::ecs::{Service, Task};
use crate::domain::elb::{
    LoadBalancer, TargetCounts, TargetGroup, TargetHealth, find_target, task_target,
};

/// What the load balancers say about one service, summed over its target groups.
#[derive(Debug, Clone, PartialEq)]
pub enum ServiceTargets {
    /// The service has no target group.
    None,
    /// Not fetched yet.
    Loading,
    /// A target group's health could not be read (the first error).
    Failed(BackendError),
    Counted(TargetCounts),
}

impl Store {
    pub(super) fn start_loading_balancing(&mut self, resource: &Resource) {
        match resource {
            Resource::TargetHealth { target_group } => self
                .target_health
                .entry(target_group.clone())
                .or_default()
                .start_loading(),
            Resource::TargetGroups { arns } => self
                .target_groups
                .entry(arns.clone())
                .or_default()
                .start_loading(),
            Resource::LoadBalancers { arns } => self
                .load_balancers
                .entry(arns.clone())
                .or_default()
                .start_loading(),
            Resource::ContainerInstances { cluster, .. } => self
                .container_instances
                .entry(cluster.clone())
                .or_default()
                .start_loading(),
            Resource::BalancerMetrics { .. } => self.balancer_metrics.start_loading(),
            _ => self.start_loading_capacity(resource),
        }
    }

    pub(super) fn apply_balancing(
        &mut self,
        resource: &Resource,
        result: Result<Payload, BackendError>,
        at: DateTime<Utc>,
    ) {
        match resource {
            Resource::TargetHealth { target_group } => {
                let result = unpack(result, |p| match p {
                    Payload::TargetHealth(v) => Some(v),
                    _ => None,
                });
                let entry = self.target_health.entry(target_group.clone()).or_default();
                entry.finish(result, at);
            }
            Resource::TargetGroups { arns } => {
                let result = unpack(result, |p| match p {
                    Payload::TargetGroups(v) => Some(v),
                    _ => None,
                });
                let entry = self.target_groups.entry(arns.clone()).or_default();
                entry.finish(result, at);
            }
            Resource::LoadBalancers { arns } => {
                let result = unpack(result, |p| match p {
                    Payload::LoadBalancers(v) => Some(v),
                    _ => None,
                });
                let entry = self.load_balancers.entry(arns.clone()).or_default();
                entry.finish(result, at);
            }
            Resource::ContainerInstances { cluster, .. } => {
                let result = unpack(result, |p| match p {
                    Payload::ContainerInstances(v) => Some(v),
                    _ => None,
                });
                let entry = self.container_instances.entry(cluster.clone()).or_default();
                entry.finish(result, at);
            }
            Resource::BalancerMetrics { .. } => {
                let result = unpack(result, |p| match p {
                    Payload::BalancerMetrics(v) => Some(v),
                    _ => None,
                });
                self.balancer_metrics.finish(result, at);
            }
            _ => self.apply_capacity(resource, result, at),
        }
    }

    /// A target group as last described, from whichever batch fetched it.
    pub fn target_group(&self, arn: &str) -> Option<&TargetGroup> {
        self.target_groups
            .values()
            .filter_map(|l| l.value())
            .flatten()
            .find(|t| t.target_group_arn == arn)
    }

    /// Why a target group is not known: the error of a batch that asked for it.
    pub fn target_group_error(&self, arn: &str) -> Option<&BackendError> {
        self.target_groups
            .iter()
            .filter(|(arns, _)| arns.iter().any(|a| a == arn))
            .find_map(|(_, l)| l.error.as_ref())
    }

    /// A load balancer (with listeners) as last described.
    pub fn load_balancer(&self, arn: &str) -> Option<&LoadBalancer> {
        self.load_balancers
            .values()
            .filter_map(|l| l.value())
            .flatten()
            .find(|b| b.load_balancer_arn == arn)
    }

    /// Why a load balancer is not known: the error of a batch that asked for it.
    pub fn load_balancer_error(&self, arn: &str) -> Option<&BackendError> {
        self.load_balancers
            .iter()
            .filter(|(arns, _)| arns.iter().any(|a| a == arn))
            .find_map(|(_, l)| l.error.as_ref())
    }

    /// The service's targets counted over its target groups.
    pub fn service_targets(&self, service: &Service) -> ServiceTargets {
        let groups = service.target_groups();
        if groups.is_empty() {
            return ServiceTargets::None;
        }
        let mut total = TargetCounts::default();
        for arn in &groups {
            let Some(health) = self.target_health.get(arn) else {
                return ServiceTargets::Loading;
            };
            match (health.value(), &health.error) {
                (_, Some(error)) => return ServiceTargets::Failed(error.clone()),
                (Some(targets), None) => total.add(&TargetCounts::of(targets)),
                (None, None) => return ServiceTargets::Loading,
            }
        }
        ServiceTargets::Counted(total)
    }

    /// The EC2 instance id behind a container instance ARN, if described.
    pub fn ec2_instance_id(&self, cluster: &str, container_instance: &str) -> Option<&str> {
        self.container_instances
            .get(cluster)?
            .value()?
            .iter()
            .find(|i| i.container_instance_arn == container_instance)
            .and_then(|i| i.ec2_instance_id.as_deref())
    }

    /// This task's entry in each target group of its service: (target group ARN, the
    /// target if registered). Empty when the service has no target group.
    pub fn task_targets<'a>(
        &'a self,
        cluster: &str,
        service: &'a Service,
        task: &Task,
    ) -> Vec<(&'a str, Option<&'a TargetHealth>)> {
        let instance = task
            .container_instance_arn
            .as_deref()
            .and_then(|ci| self.ec2_instance_id(cluster, ci));
        service
            .load_balancers
            .iter()
            .filter_map(|binding| {
                let arn = binding.target_group_arn.as_deref()?;
                let wanted = task_target(task, binding, instance);
                let targets = self.target_health.get(arn)?.value()?;
                Some((arn, wanted.and_then(|w| find_target(targets, &w))))
            })
            .collect()
    }
}
