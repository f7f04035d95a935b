//! Hand-made ECS data and helpers shared by the update and snapshot tests. Small on purpose:
//! each row exists to show one state (steady, under-replicated, rolling out, failed rollout,
//! stopped task, hostile text).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use ecsdeck::backend::{Connection, DesiredStatus, TaskFilter};
use ecsdeck::domain::ecs::*;
use ecsdeck::keymap::Keymap;
use ecsdeck::msg::Msg;
use ecsdeck::state::UiState;
use ecsdeck::store::{Payload, Resource, Store};
use ecsdeck::update::update;

pub const ACCOUNT: &str = "123456789012";

pub fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_795_000_000, 0).unwrap_or_default()
}

fn ago(secs: i64) -> Option<DateTime<Utc>> {
    Some(now() - Duration::seconds(secs))
}

fn arn(kind: &str, rest: &str) -> String {
    format!("arn:aws:ecs:eu-west-1:{ACCOUNT}:{kind}/{rest}")
}

pub fn clusters() -> Vec<Cluster> {
    vec![
        Cluster {
            cluster_arn: arn("cluster", "prod"),
            cluster_name: "prod".into(),
            status: "ACTIVE".into(),
            active_services_count: 4,
            running_tasks_count: 11,
            pending_tasks_count: 1,
            registered_container_instances_count: 0,
            capacity_providers: vec!["FARGATE".into(), "FARGATE_SPOT".into()],
            ..Default::default()
        },
        Cluster {
            cluster_arn: arn("cluster", "batch"),
            cluster_name: "batch".into(),
            status: "ACTIVE".into(),
            active_services_count: 1,
            running_tasks_count: 2,
            registered_container_instances_count: 3,
            capacity_providers: vec!["batch-asg".into()],
            ..Default::default()
        },
    ]
}

fn deployment(status: &str, rev: u32, desired: i32, running: i32, rollout: &str) -> Deployment {
    Deployment {
        id: format!("ecs-svc/{rev}000"),
        status: status.into(),
        task_definition: arn("task-definition", &format!("api:{rev}")),
        desired_count: desired,
        running_count: running,
        rollout_state: Some(rollout.into()),
        created_at: ago(600),
        updated_at: ago(30),
        ..Default::default()
    }
}

fn service(name: &str, desired: i32, running: i32, pending: i32, deps: Vec<Deployment>) -> Service {
    Service {
        service_arn: arn("service", &format!("prod/{name}")),
        service_name: name.into(),
        cluster_arn: arn("cluster", "prod"),
        status: "ACTIVE".into(),
        desired_count: desired,
        running_count: running,
        pending_count: pending,
        task_definition: deps
            .first()
            .map(|d| d.task_definition.clone())
            .unwrap_or_default(),
        launch_type: Some("FARGATE".into()),
        deployments: deps,
        created_at: ago(86_400 * 40),
        ..Default::default()
    }
}

pub fn services() -> Vec<Service> {
    let mut spot = service(
        "checkout-api",
        3,
        3,
        0,
        vec![deployment("PRIMARY", 42, 3, 3, "COMPLETED")],
    );
    spot.launch_type = None;
    spot.capacity_provider_strategy = vec![
        CapacityProviderStrategyItem {
            capacity_provider: "FARGATE".into(),
            weight: 1,
            base: 1,
        },
        CapacityProviderStrategyItem {
            capacity_provider: "FARGATE_SPOT".into(),
            weight: 3,
            base: 0,
        },
    ];
    let mut failed = service(
        "ledger-sync",
        2,
        1,
        0,
        vec![
            deployment("PRIMARY", 8, 2, 0, "FAILED"),
            deployment("ACTIVE", 7, 2, 1, "COMPLETED"),
        ],
    );
    failed.deployments[0].failed_tasks = 4;
    failed.deployments[0].rollout_state_reason =
        Some("ECS deployment circuit breaker: tasks failed to start.".into());
    vec![
        spot,
        service(
            "fraud-scorer",
            4,
            2,
            0,
            vec![deployment("PRIMARY", 17, 4, 2, "COMPLETED")],
        ),
        failed,
        service(
            "payments-worker",
            6,
            5,
            1,
            vec![
                deployment("PRIMARY", 5, 6, 2, "IN_PROGRESS"),
                deployment("ACTIVE", 4, 6, 3, "COMPLETED"),
            ],
        ),
    ]
}

fn container(name: &str, image: &str, status: &str, exit: Option<i32>) -> Container {
    Container {
        name: name.into(),
        image: Some(image.into()),
        last_status: Some(status.into()),
        health_status: Some("HEALTHY".into()),
        exit_code: exit,
        ..Default::default()
    }
}

pub const TASK_A: &str = "0f3a9c1b2d4e5f60718293a4b5c6d7e8";
pub const TASK_B: &str = "9b8a7c6d5e4f30211203f4e5d6c7b8a9";
pub const TASK_STOPPED: &str = "5d5d5d5d1111222233334444aaaabbbb";

fn task(id: &str, status: &str, started: i64, ip: &str) -> Task {
    Task {
        task_arn: arn("task", &format!("prod/{id}")),
        cluster_arn: arn("cluster", "prod"),
        task_definition_arn: arn("task-definition", "api:42"),
        group: Some("service:checkout-api".into()),
        last_status: status.into(),
        desired_status: "RUNNING".into(),
        health_status: Some("HEALTHY".into()),
        started_at: ago(started),
        created_at: ago(started + 30),
        availability_zone: Some("eu-west-1a".into()),
        private_ip: Some(ip.into()),
        launch_type: Some("FARGATE".into()),
        containers: vec![
            container(
                "app",
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout-api:2026.11.3",
                status,
                None,
            ),
            container(
                "envoy",
                "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29",
                status,
                None,
            ),
        ],
        ..Default::default()
    }
}

pub fn running_tasks() -> Vec<Task> {
    let mut pending = task(TASK_B, "PENDING", 20, "10.0.2.17");
    pending.health_status = Some("UNKNOWN".into());
    pending.started_at = None;
    vec![task(TASK_A, "RUNNING", 7_200, "10.0.1.23"), pending]
}

pub fn stopped_tasks() -> Vec<Task> {
    let mut t = task(TASK_STOPPED, "STOPPED", 9_000, "10.0.3.9");
    t.desired_status = "STOPPED".into();
    t.stopped_at = ago(300);
    t.stop_code = Some("EssentialContainerExited".into());
    // Hostile text from AWS: escape sequences must never reach the terminal.
    t.stopped_reason = Some("Essential container in task exited\x1b[2J".into());
    t.containers[0].exit_code = Some(137);
    t.containers[0].last_status = Some("STOPPED".into());
    t.containers[0].reason = Some("OutOfMemoryError: Container killed due to memory usage".into());
    vec![t]
}

pub fn task_definition() -> TaskDefinition {
    let mut log_options = BTreeMap::new();
    log_options.insert("awslogs-group".to_string(), "/ecs/checkout-api".to_string());
    log_options.insert("awslogs-stream-prefix".to_string(), "ecs".to_string());
    TaskDefinition {
        task_definition_arn: arn("task-definition", "api:42"),
        family: "api".into(),
        revision: 42,
        cpu: Some("512".into()),
        memory: Some("1024".into()),
        network_mode: Some("awsvpc".into()),
        requires_compatibilities: vec!["FARGATE".into()],
        container_definitions: vec![
            ContainerDefinition {
                name: "app".into(),
                image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout-api:2026.11.3".into(),
                cpu: 448,
                memory: Some(896),
                essential: Some(true),
                port_mappings: vec![PortMapping {
                    container_port: Some(8080),
                    host_port: Some(8080),
                    protocol: Some("tcp".into()),
                }],
                environment: vec![EnvironmentVariable {
                    name: "LOG_LEVEL".into(),
                    value: "info".into(),
                }],
                secrets: vec![SecretReference {
                    name: "DB_PASSWORD".into(),
                    value_from: "arn:aws:ssm:eu-west-1:123456789012:parameter/db".into(),
                }],
                log_configuration: Some(LogConfiguration {
                    log_driver: "awslogs".into(),
                    options: log_options,
                }),
                ..Default::default()
            },
            ContainerDefinition {
                name: "envoy".into(),
                image: "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29".into(),
                cpu: 64,
                memory: Some(128),
                log_configuration: Some(LogConfiguration {
                    log_driver: "awsfirelens".into(),
                    options: BTreeMap::from([("Name".to_string(), "datadog".to_string())]),
                }),
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}

pub fn service_filter(service: &str, status: DesiredStatus) -> TaskFilter {
    TaskFilter {
        service: Some(service.into()),
        desired_status: status,
        container_instance: None,
    }
}

/// A store as the pollers would leave it after one round on the `prod` cluster.
pub fn store() -> Store {
    let mut store = Store::default();
    let at = now() - Duration::seconds(3);
    store.apply(&Resource::Clusters, Ok(Payload::Clusters(clusters())), at);
    store.apply(
        &Resource::Services {
            cluster: "prod".into(),
        },
        Ok(Payload::Services(services())),
        at,
    );
    store.apply(
        &Resource::Tasks {
            cluster: "prod".into(),
            filter: service_filter("checkout-api", DesiredStatus::Running),
        },
        Ok(Payload::Tasks(running_tasks())),
        at,
    );
    store.apply(
        &Resource::Tasks {
            cluster: "prod".into(),
            filter: service_filter("checkout-api", DesiredStatus::Stopped),
        },
        Ok(Payload::Tasks(stopped_tasks())),
        at,
    );
    let mut all = running_tasks();
    all[1].group = Some("service:fraud-scorer".into());
    store.apply(
        &Resource::Tasks {
            cluster: "prod".into(),
            filter: TaskFilter {
                service: None,
                desired_status: DesiredStatus::Running,
                container_instance: None,
            },
        },
        Ok(Payload::Tasks(all)),
        at,
    );
    store.apply(
        &Resource::TaskDefinition {
            arn: arn("task-definition", "api:42"),
        },
        Ok(Payload::TaskDefinition(Box::new(task_definition()))),
        at,
    );
    store
}

pub fn connection() -> Connection {
    Connection {
        profile: Some("prod-admin".into()),
        region: "eu-west-1".into(),
        endpoint: None,
        demo: false,
    }
}

pub fn ui() -> UiState {
    UiState::new(connection(), Keymap::default(), now())
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Feeds messages to `update`, returning every command produced.
pub fn feed(store: &mut Store, ui: &mut UiState, msgs: Vec<Msg>) -> Vec<ecsdeck::msg::Command> {
    msgs.into_iter()
        .flat_map(|m| update(store, ui, m))
        .collect()
}

/// A `:` command typed and submitted.
pub fn command(text: &str) -> Vec<Msg> {
    let mut msgs = vec![ch(':')];
    msgs.extend(type_text(text));
    msgs.push(key(KeyCode::Enter));
    msgs
}

/// What the poller sends when `resource` was fetched now.
pub fn fetched(resource: Resource, payload: Payload) -> Msg {
    Msg::Fetched {
        resource,
        result: Ok(payload),
        at: now(),
    }
}

/// Types text into whatever field is open.
pub fn type_text(text: &str) -> Vec<Msg> {
    text.chars().map(ch).collect()
}

/// Runs the poller on `focus` for `seconds` of (paused, auto-advanced) tokio time: what a
/// view open that long costs, counted by the wrapper.
pub async fn poll_for(
    backend: std::sync::Arc<
        ecsdeck::backend::counting::CountingBackend<ecsdeck::backend::demo::DemoBackend>,
    >,
    focus: Vec<Resource>,
    seconds: u64,
) {
    use std::sync::Arc;
    use tokio::sync::{Notify, mpsc, watch};
    let (_focus_tx, focus_rx) = watch::channel(focus);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = ecsdeck::poller::spawn(
        backend,
        ecsdeck::config::RefreshIntervals::default(),
        focus_rx,
        Arc::new(Notify::new()),
        tx,
    );
    let drain = async { while rx.recv().await.is_some() {} };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(seconds), drain).await;
    handle.abort();
}

/// The top view's rows as drawn: each row's key and its cells' text.
pub fn rows(store: &Store, ui: &UiState) -> Vec<(String, Vec<String>)> {
    ui.top()
        .rows(&ui.row_context(store))
        .map(|m| {
            (m.rows.iter())
                .map(|r| {
                    (
                        r.key.clone(),
                        r.cells.iter().map(|c| c.text.clone()).collect(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The mutations among `update`'s commands, in order.
pub fn mutations(cmds: &[ecsdeck::msg::Command]) -> Vec<ecsdeck::domain::mutation::Mutation> {
    cmds.iter()
        .filter_map(|c| match c {
            ecsdeck::msg::Command::Mutate { mutation, .. } => Some(mutation.clone()),
            _ => None,
        })
        .collect()
}
