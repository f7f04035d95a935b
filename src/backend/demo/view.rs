//! Turns the simulation's state into the domain types DescribeClusters / DescribeServices /
//! DescribeTasks return. Counters are computed from the tasks, so they always agree.

use super::fleet::{ClusterState, Rollout, ServiceState};
use super::simulation::{CIRCUIT_BREAKER_REASON, deployment_counts};
use super::tasks::Launch;
use crate::domain::ecs::{CapacityProviderStrategyItem, Cluster, Deployment, Service};
use crate::domain::elb::ServiceLoadBalancer;

fn to_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

pub(super) fn cluster(state: &ClusterState) -> Cluster {
    let live = state.tasks.iter().filter(|t| t.is_live());
    let (running, pending) = live.fold((0, 0), |(running, pending), t| {
        if t.is_running() {
            (running + 1, pending)
        } else {
            (running, pending + 1)
        }
    });
    Cluster {
        cluster_arn: state.arn.clone(),
        cluster_name: state.name.clone(),
        status: "ACTIVE".to_string(),
        active_services_count: to_i32(state.services.len()),
        running_tasks_count: running,
        pending_tasks_count: pending,
        registered_container_instances_count: to_i32(state.hosts.instances.len()),
        capacity_providers: state.capacity_providers.clone(),
        default_capacity_provider_strategy: state
            .default_strategy
            .iter()
            .map(|(provider, weight, base)| CapacityProviderStrategyItem {
                capacity_provider: provider.clone(),
                weight: *weight,
                base: *base,
            })
            .collect(),
        container_insights: state.container_insights.clone(),
    }
}

pub(super) fn service(cluster: &ClusterState, state: &ServiceState) -> Service {
    let deployments: Vec<Deployment> = state
        .deployments
        .iter()
        .enumerate()
        .map(|(index, d)| {
            let (live, running) = deployment_counts(&cluster.tasks, &state.name, d);
            let primary = index == 0;
            Deployment {
                id: d.id.clone(),
                status: if primary { "PRIMARY" } else { "ACTIVE" }.to_string(),
                task_definition: d.task_definition.clone(),
                // Old deployments are scaled down as the new one comes up.
                desired_count: if primary { state.desired } else { live },
                pending_count: live - running,
                running_count: running,
                failed_tasks: d.failed_tasks,
                rollout_state: Some(d.rollout.as_aws().to_string()),
                rollout_state_reason: rollout_reason(d.rollout, &d.id),
                created_at: Some(d.created_at),
                updated_at: Some(d.updated_at),
            }
        })
        .collect();
    let running = deployments.iter().map(|d| d.running_count).sum();
    let pending = deployments.iter().map(|d| d.pending_count).sum();
    let (launch_type, strategy) = launch(&state.launch);
    Service {
        service_arn: state.arn.clone(),
        service_name: state.name.clone(),
        cluster_arn: cluster.arn.clone(),
        status: "ACTIVE".to_string(),
        desired_count: state.desired,
        running_count: running,
        pending_count: pending,
        task_definition: state
            .deployments
            .first()
            .map(|d| d.task_definition.clone())
            .unwrap_or_default(),
        launch_type,
        capacity_provider_strategy: strategy,
        deployments,
        created_at: Some(state.created_at),
        // Every demo service runs with the circuit breaker, as recommended.
        circuit_breaker: Some(crate::domain::ecs::CircuitBreaker {
            enable: true,
            rollback: true,
        }),
        events: state.events.newest_first(),
        // The app container (named after the service) behind the service's target group.
        load_balancers: state
            .target_group
            .iter()
            .map(|arn| ServiceLoadBalancer {
                target_group_arn: Some(arn.clone()),
                load_balancer_name: None,
                container_name: Some(state.name.clone()),
                container_port: state.container_port,
            })
            .collect(),
    }
}

fn rollout_reason(rollout: Rollout, id: &str) -> Option<String> {
    match rollout {
        Rollout::Completed => Some(format!("ECS deployment {id} completed.")),
        Rollout::InProgress => None,
        Rollout::Failed => Some(CIRCUIT_BREAKER_REASON.to_string()),
    }
}

/// A service has either a launch type or a capacity provider strategy, never both.
fn launch(launch: &Launch) -> (Option<String>, Vec<CapacityProviderStrategyItem>) {
    match launch {
        Launch::Fargate => (Some("FARGATE".to_string()), Vec::new()),
        Launch::Ec2 => (Some("EC2".to_string()), Vec::new()),
        Launch::Strategy(items) => {
            let several = items.len() > 1;
            let strategy = items
                .iter()
                .enumerate()
                .map(|(index, (provider, weight))| CapacityProviderStrategyItem {
                    capacity_provider: provider.clone(),
                    weight: *weight,
                    // The on-demand provider guarantees one task when mixed with SPOT.
                    base: i32::from(several && index == 0),
                })
                .collect();
            (None, strategy)
        }
    }
}
