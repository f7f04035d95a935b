//! SDK types → domain types, in exactly one place, so nothing else depends on SDK details.
//!
//! Every field the SDK leaves out maps to an empty string, `None` or an empty list: a partial
//! answer from AWS (or moto) must never fail a whole view.

use std::collections::BTreeMap;

use aws_sdk_ecs::types as sdk;
use aws_smithy_types::DateTime as SdkDateTime;
use chrono::{DateTime, Utc};

use crate::domain::ecs::{
    CapacityProviderStrategyItem, CircuitBreaker, Cluster, Container, ContainerDefinition,
    ContainerInstance, Deployment, EnvironmentVariable, LogConfiguration, PortBinding, PortMapping,
    SecretReference, Service, ServiceEvent, Task, TaskDefinition,
};
use crate::domain::elb::ServiceLoadBalancer;

/// SDK timestamps carry seconds + nanoseconds; out-of-range values (never seen) become `None`.
pub fn time(t: Option<&SdkDateTime>) -> Option<DateTime<Utc>> {
    let t = t?;
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

fn text(s: Option<&str>) -> String {
    s.unwrap_or_default().to_string()
}

/// Optional text; AWS (and moto) sometimes send `""` for "none", e.g. a running task's
/// `stoppedReason`.
fn owned(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_string)
}

fn strategy(items: &[sdk::CapacityProviderStrategyItem]) -> Vec<CapacityProviderStrategyItem> {
    items
        .iter()
        .map(|i| CapacityProviderStrategyItem {
            capacity_provider: i.capacity_provider().to_string(),
            weight: i.weight(),
            base: i.base(),
        })
        .collect()
}

pub fn cluster(c: &sdk::Cluster) -> Cluster {
    let container_insights = c
        .settings()
        .iter()
        .find(|s| s.name() == Some(&sdk::ClusterSettingName::ContainerInsights))
        .and_then(|s| owned(s.value()));
    Cluster {
        cluster_arn: text(c.cluster_arn()),
        cluster_name: text(c.cluster_name()),
        status: text(c.status()),
        active_services_count: c.active_services_count(),
        running_tasks_count: c.running_tasks_count(),
        pending_tasks_count: c.pending_tasks_count(),
        registered_container_instances_count: c.registered_container_instances_count(),
        capacity_providers: c.capacity_providers().to_vec(),
        default_capacity_provider_strategy: strategy(c.default_capacity_provider_strategy()),
        container_insights,
    }
}

pub fn deployment(d: &sdk::Deployment) -> Deployment {
    Deployment {
        id: text(d.id()),
        status: text(d.status()),
        task_definition: text(d.task_definition()),
        desired_count: d.desired_count(),
        pending_count: d.pending_count(),
        running_count: d.running_count(),
        failed_tasks: d.failed_tasks(),
        rollout_state: d.rollout_state().map(|r| r.as_str().to_string()),
        rollout_state_reason: owned(d.rollout_state_reason()),
        created_at: time(d.created_at()),
        updated_at: time(d.updated_at()),
    }
}

pub fn service(s: &sdk::Service) -> Service {
    Service {
        service_arn: text(s.service_arn()),
        service_name: text(s.service_name()),
        cluster_arn: text(s.cluster_arn()),
        status: text(s.status()),
        desired_count: s.desired_count(),
        running_count: s.running_count(),
        pending_count: s.pending_count(),
        task_definition: text(s.task_definition()),
        launch_type: s.launch_type().map(|l| l.as_str().to_string()),
        capacity_provider_strategy: strategy(s.capacity_provider_strategy()),
        deployments: s.deployments().iter().map(deployment).collect(),
        created_at: time(s.created_at()),
        circuit_breaker: s
            .deployment_configuration()
            .and_then(|c| c.deployment_circuit_breaker())
            .map(|b| CircuitBreaker {
                enable: b.enable(),
                rollback: b.rollback(),
            }),
        events: s
            .events()
            .iter()
            .map(|e| ServiceEvent {
                id: text(e.id()),
                created_at: time(e.created_at()),
                message: text(e.message()),
            })
            .collect(),
        load_balancers: s
            .load_balancers()
            .iter()
            .map(|l| ServiceLoadBalancer {
                target_group_arn: owned(l.target_group_arn()),
                load_balancer_name: owned(l.load_balancer_name()),
                container_name: owned(l.container_name()),
                container_port: l.container_port(),
            })
            .collect(),
    }
}

pub fn container_instance(i: &sdk::ContainerInstance) -> ContainerInstance {
    ContainerInstance {
        container_instance_arn: text(i.container_instance_arn()),
        ec2_instance_id: owned(i.ec2_instance_id()),
        status: text(i.status()),
        agent_connected: i.agent_connected(),
        running_tasks_count: i.running_tasks_count(),
        pending_tasks_count: i.pending_tasks_count(),
        status_reason: owned(i.status_reason()),
        agent_version: i.version_info().and_then(|v| owned(v.agent_version())),
        docker_version: i.version_info().and_then(|v| owned(v.docker_version())),
        registered_cpu: resource(i.registered_resources(), "CPU"),
        remaining_cpu: resource(i.remaining_resources(), "CPU"),
        registered_memory: resource(i.registered_resources(), "MEMORY"),
        remaining_memory: resource(i.remaining_resources(), "MEMORY"),
        availability_zone: attribute(i.attributes(), "ecs.availability-zone"),
        instance_type: attribute(i.attributes(), "ecs.instance-type"),
        capacity_provider_name: owned(i.capacity_provider_name()),
        registered_at: time(i.registered_at()),
    }
}

/// An INTEGER resource (CPU, MEMORY) of a container instance's registered or remaining set.
fn resource(resources: &[sdk::Resource], name: &str) -> Option<i32> {
    resources
        .iter()
        .find(|r| r.name() == Some(name))
        .map(|r| r.integer_value())
}

/// A container instance attribute's value (`ecs.instance-type` → `m6i.large`).
fn attribute(attributes: &[sdk::Attribute], name: &str) -> Option<String> {
    attributes
        .iter()
        .find(|a| a.name() == name)
        .and_then(|a| owned(a.value()))
}

fn port_binding(b: &sdk::NetworkBinding) -> PortBinding {
    PortBinding {
        container_port: b.container_port(),
        host_port: b.host_port(),
        protocol: b.protocol().map(|p| p.as_str().to_string()),
    }
}

pub fn container(c: &sdk::Container) -> Container {
    Container {
        name: text(c.name()),
        image: owned(c.image()),
        image_digest: owned(c.image_digest()),
        last_status: owned(c.last_status()),
        health_status: c.health_status().map(|h| h.as_str().to_string()),
        exit_code: c.exit_code(),
        reason: owned(c.reason()),
        cpu: owned(c.cpu()),
        memory: owned(c.memory()),
        memory_reservation: owned(c.memory_reservation()),
        network_bindings: c.network_bindings().iter().map(port_binding).collect(),
        runtime_id: owned(c.runtime_id()),
        exec_agent: c
            .managed_agents()
            .iter()
            .find(|a| a.name().map(|n| n.as_str()) == Some("ExecuteCommandAgent"))
            .and_then(|a| owned(a.last_status())),
    }
}

/// The task's private IPv4: from its ENI attachment (awsvpc), else from a container's
/// network interface.
fn private_ip(t: &sdk::Task) -> Option<String> {
    let from_attachment = t
        .attachments()
        .iter()
        .flat_map(|a| a.details())
        .find(|kv| kv.name() == Some("privateIPv4Address"))
        .and_then(|kv| owned(kv.value()));
    from_attachment.or_else(|| {
        t.containers()
            .iter()
            .flat_map(|c| c.network_interfaces())
            .find_map(|n| owned(n.private_ipv4_address()))
    })
}

pub fn task(t: &sdk::Task) -> Task {
    Task {
        task_arn: text(t.task_arn()),
        cluster_arn: text(t.cluster_arn()),
        task_definition_arn: text(t.task_definition_arn()),
        group: owned(t.group()),
        started_by: owned(t.started_by()),
        last_status: text(t.last_status()),
        desired_status: text(t.desired_status()),
        health_status: t.health_status().map(|h| h.as_str().to_string()),
        created_at: time(t.created_at()),
        started_at: time(t.started_at()),
        stopped_at: time(t.stopped_at()),
        stop_code: t.stop_code().map(|c| c.as_str().to_string()),
        stopped_reason: owned(t.stopped_reason()),
        container_instance_arn: owned(t.container_instance_arn()),
        availability_zone: owned(t.availability_zone()),
        private_ip: private_ip(t),
        launch_type: t.launch_type().map(|l| l.as_str().to_string()),
        capacity_provider_name: owned(t.capacity_provider_name()),
        cpu: owned(t.cpu()),
        memory: owned(t.memory()),
        enable_execute_command: t.enable_execute_command(),
        containers: t.containers().iter().map(container).collect(),
    }
}

fn port_mapping(p: &sdk::PortMapping) -> PortMapping {
    PortMapping {
        container_port: p.container_port(),
        host_port: p.host_port(),
        protocol: p.protocol().map(|p| p.as_str().to_string()),
    }
}

fn log_configuration(l: &sdk::LogConfiguration) -> LogConfiguration {
    let options: BTreeMap<String, String> = l
        .options()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    LogConfiguration {
        log_driver: l.log_driver().as_str().to_string(),
        options,
    }
}

pub fn container_definition(c: &sdk::ContainerDefinition) -> ContainerDefinition {
    ContainerDefinition {
        name: text(c.name()),
        image: text(c.image()),
        cpu: c.cpu(),
        memory: c.memory(),
        memory_reservation: c.memory_reservation(),
        essential: c.essential(),
        port_mappings: c.port_mappings().iter().map(port_mapping).collect(),
        environment: c
            .environment()
            .iter()
            .map(|kv| EnvironmentVariable {
                name: text(kv.name()),
                value: text(kv.value()),
            })
            .collect(),
        // Only the name and the ARN the value comes from: DescribeTaskDefinition never
        // returns secret values, and ecsdeck never fetches them.
        secrets: c
            .secrets()
            .iter()
            .map(|s| SecretReference {
                name: s.name().to_string(),
                value_from: s.value_from().to_string(),
            })
            .collect(),
        command: c.command().to_vec(),
        entry_point: c.entry_point().to_vec(),
        log_configuration: c.log_configuration().map(log_configuration),
    }
}

pub fn task_definition(td: &sdk::TaskDefinition) -> TaskDefinition {
    TaskDefinition {
        task_definition_arn: text(td.task_definition_arn()),
        family: text(td.family()),
        revision: td.revision(),
        status: td.status().map(|s| s.as_str().to_string()),
        cpu: owned(td.cpu()),
        memory: owned(td.memory()),
        network_mode: td.network_mode().map(|n| n.as_str().to_string()),
        requires_compatibilities: td
            .requires_compatibilities()
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
        task_role_arn: owned(td.task_role_arn()),
        execution_role_arn: owned(td.execution_role_arn()),
        registered_at: time(td.registered_at()),
        container_definitions: td
            .container_definitions()
            .iter()
            .map(container_definition)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(secs: i64) -> SdkDateTime {
        SdkDateTime::from_secs(secs)
    }

    #[test]
    fn cluster_maps_counts_strategy_and_container_insights() {
        let c = sdk::Cluster::builder()
            .cluster_arn("arn:aws:ecs:us-east-1:123456789012:cluster/prod")
            .cluster_name("prod")
            .status("ACTIVE")
            .active_services_count(3)
            .running_tasks_count(7)
            .pending_tasks_count(1)
            .registered_container_instances_count(2)
            .capacity_providers("FARGATE")
            .default_capacity_provider_strategy(
                sdk::CapacityProviderStrategyItem::builder()
                    .capacity_provider("FARGATE")
                    .weight(2)
                    .base(1)
                    .build()
                    .unwrap(),
            )
            .settings(
                sdk::ClusterSetting::builder()
                    .name(sdk::ClusterSettingName::ContainerInsights)
                    .value("enhanced")
                    .build(),
            )
            .build();
        let m = cluster(&c);
        assert_eq!(m.cluster_name, "prod");
        assert_eq!(m.status, "ACTIVE");
        assert_eq!(
            (
                m.active_services_count,
                m.running_tasks_count,
                m.pending_tasks_count
            ),
            (3, 7, 1)
        );
        assert_eq!(m.registered_container_instances_count, 2);
        assert_eq!(m.capacity_providers, vec!["FARGATE"]);
        assert_eq!(
            m.default_capacity_provider_strategy,
            vec![CapacityProviderStrategyItem {
                capacity_provider: "FARGATE".into(),
                weight: 2,
                base: 1
            }]
        );
        assert_eq!(m.container_insights.as_deref(), Some("enhanced"));
        assert_eq!(
            cluster(&sdk::Cluster::builder().build()),
            Cluster::default()
        );
    }

    #[test]
    fn service_maps_deployments_with_rollout_state() {
        let s = sdk::Service::builder()
            .service_name("api")
            .service_arn("arn:svc/api")
            .cluster_arn("arn:cluster/prod")
            .status("ACTIVE")
            .desired_count(4)
            .running_count(3)
            .pending_count(1)
            .task_definition("arn:td/api:7")
            .launch_type(sdk::LaunchType::Fargate)
            .created_at(ts(1_700_000_000))
            .deployments(
                sdk::Deployment::builder()
                    .id("ecs-svc/1")
                    .status("PRIMARY")
                    .task_definition("arn:td/api:7")
                    .desired_count(4)
                    .running_count(3)
                    .pending_count(1)
                    .failed_tasks(2)
                    .rollout_state(sdk::DeploymentRolloutState::InProgress)
                    .rollout_state_reason("ECS deployment ecs-svc/1 in progress.")
                    .updated_at(ts(1_700_000_100))
                    .build(),
            )
            .build();
        let m = service(&s);
        assert_eq!(m.service_name, "api");
        assert_eq!(
            (m.desired_count, m.running_count, m.pending_count),
            (4, 3, 1)
        );
        assert_eq!(m.launch_type.as_deref(), Some("FARGATE"));
        assert_eq!(m.created_at.map(|t| t.timestamp()), Some(1_700_000_000));
        let d = m.primary_deployment().unwrap();
        assert_eq!(d.failed_tasks, 2);
        assert_eq!(d.rollout_state.as_deref(), Some("IN_PROGRESS"));
        assert_eq!(
            d.rollout_state_reason.as_deref(),
            Some("ECS deployment ecs-svc/1 in progress.")
        );
        assert_eq!(d.updated_at.map(|t| t.timestamp()), Some(1_700_000_100));
        assert_eq!(d.created_at, None);
    }

    #[test]
    fn task_maps_containers_bindings_and_private_ip() {
        let t = sdk::Task::builder()
            .task_arn("arn:aws:ecs:us-east-1:1:task/prod/abc")
            .group("service:api")
            .last_status("STOPPED")
            .desired_status("STOPPED")
            .stop_code(sdk::TaskStopCode::EssentialContainerExited)
            .stopped_reason("Essential container in task exited")
            .launch_type(sdk::LaunchType::Fargate)
            .cpu("256")
            .memory("512")
            .started_at(SdkDateTime::from_secs_and_nanos(1_700_000_000, 500_000_000))
            .attachments(
                sdk::Attachment::builder()
                    .r#type("ElasticNetworkInterface")
                    .details(
                        sdk::KeyValuePair::builder()
                            .name("privateIPv4Address")
                            .value("10.0.1.5")
                            .build(),
                    )
                    .build(),
            )
            .containers(
                sdk::Container::builder()
                    .name("app")
                    .image("nginx:1.25")
                    .last_status("STOPPED")
                    .exit_code(137)
                    .reason("OutOfMemoryError")
                    .cpu("128")
                    .memory("256")
                    .health_status(sdk::HealthStatus::Unhealthy)
                    .network_bindings(
                        sdk::NetworkBinding::builder()
                            .container_port(80)
                            .host_port(32768)
                            .protocol(sdk::TransportProtocol::Tcp)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let m = task(&t);
        assert_eq!(m.short_id(), "abc");
        assert_eq!(m.service_name(), Some("api"));
        assert_eq!(m.stop_code.as_deref(), Some("EssentialContainerExited"));
        assert_eq!(m.private_ip.as_deref(), Some("10.0.1.5"));
        assert_eq!(
            m.started_at.map(|t| t.timestamp_millis()),
            Some(1_700_000_000_500)
        );
        let c = &m.containers[0];
        assert_eq!(c.name, "app");
        assert_eq!(c.exit_code, Some(137));
        assert_eq!(c.reason.as_deref(), Some("OutOfMemoryError"));
        assert_eq!(c.health_status.as_deref(), Some("UNHEALTHY"));
        assert_eq!(
            (c.cpu.as_deref(), c.memory.as_deref()),
            (Some("128"), Some("256"))
        );
        assert_eq!(
            c.network_bindings,
            vec![PortBinding {
                container_port: Some(80),
                host_port: Some(32768),
                protocol: Some("tcp".into())
            }]
        );
    }

    #[test]
    fn task_definition_maps_ports_env_secret_refs_and_logs() {
        let td = sdk::TaskDefinition::builder()
            .task_definition_arn("arn:aws:ecs:us-east-1:1:task-definition/api:7")
            .family("api")
            .revision(7)
            .status(sdk::TaskDefinitionStatus::Active)
            .network_mode(sdk::NetworkMode::Awsvpc)
            .requires_compatibilities(sdk::Compatibility::Fargate)
            .cpu("256")
            .memory("512")
            .container_definitions(
                sdk::ContainerDefinition::builder()
                    .name("app")
                    .image("nginx")
                    .cpu(128)
                    .memory(256)
                    .essential(true)
                    .port_mappings(
                        sdk::PortMapping::builder()
                            .container_port(8080)
                            .protocol(sdk::TransportProtocol::Tcp)
                            .build(),
                    )
                    .environment(
                        sdk::KeyValuePair::builder()
                            .name("MODE")
                            .value("prod")
                            .build(),
                    )
                    .secrets(
                        sdk::Secret::builder()
                            .name("DB_PASSWORD")
                            .value_from("arn:aws:ssm:us-east-1:1:parameter/db")
                            .build()
                            .unwrap(),
                    )
                    .command("serve")
                    .entry_point("/bin/app")
                    .log_configuration(
                        sdk::LogConfiguration::builder()
                            .log_driver(sdk::LogDriver::Awslogs)
                            .options("awslogs-group", "/ecs/api")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .build();
        let m = task_definition(&td);
        assert_eq!(m.family, "api");
        assert_eq!(m.revision, 7);
        assert_eq!(m.status.as_deref(), Some("ACTIVE"));
        assert_eq!(m.network_mode.as_deref(), Some("awsvpc"));
        assert_eq!(m.requires_compatibilities, vec!["FARGATE"]);
        let c = m.container("app").unwrap();
        assert_eq!((c.cpu, c.memory, c.essential), (128, Some(256), Some(true)));
        assert_eq!(c.port_mappings[0].container_port, Some(8080));
        assert_eq!(c.port_mappings[0].protocol.as_deref(), Some("tcp"));
        assert_eq!(c.environment[0].name, "MODE");
        assert_eq!(c.secrets[0].name, "DB_PASSWORD");
        assert_eq!(
            c.secrets[0].value_from,
            "arn:aws:ssm:us-east-1:1:parameter/db"
        );
        assert_eq!(c.command, vec!["serve"]);
        assert_eq!(c.entry_point, vec!["/bin/app"]);
        let log = c.log_configuration.as_ref().unwrap();
        assert_eq!(log.log_driver, "awslogs");
        assert_eq!(log.options["awslogs-group"], "/ecs/api");
    }
}
