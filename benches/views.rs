//! Cost of one key press on big list views: `j` (move down) through `update::update`, then
//! one frame drawn with `ui::draw` on a 200x60 `TestBackend`.
//!
//! Scenarios:
//! - services view of one cluster with 100 / 1,000 / 5,000 services, utilisation (30 points
//!   of CPU and memory) for every service, and 2,000 metric alarms in the account (every
//!   10th one firing; 90 % carry ECS ClusterName/ServiceName dimensions, 10 % are ALB
//!   alarms that match no service);
//! - tasks view of the whole cluster (`:tasks`) with 100 / 1,000 / 5,000 running tasks.
//!
//! `key press` measures update + draw; `update only` and `draw only` split the same press.
//! The cursor starts at the top; when it reaches the last row it is put back at the top
//! outside the timed part, so every timed press is a real move down.
//!
//! Run: `cargo bench --bench views -- --warm-up-time 1 --measurement-time 3`.
//! (Figures before and after the row cache are in the note of the layout issue.)
//!
//! The fixture builders (`services_fixture`, `tasks_fixture` and what they call) only
//! construct plain model structs and put them in the store; the measured part is
//! `press_down` + `draw_frame`.

#![allow(clippy::panic)] // a benchmark that cannot set up has nothing to measure

use std::hint::black_box;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::TableState;

use ecsdeck::backend::metrics::Alarm;
use ecsdeck::backend::{Connection, TaskFilter};
use ecsdeck::config::theme::Theme;
use ecsdeck::domain::ecs::{
    CapacityProviderStrategyItem, CircuitBreaker, Cluster, Container, Deployment, PortBinding,
    Service, Task,
};
use ecsdeck::domain::elb::ServiceLoadBalancer;
use ecsdeck::domain::metrics::{Utilisation, UtilisationMap};
use ecsdeck::keymap::Keymap;
use ecsdeck::msg::Msg;
use ecsdeck::state::UiState;
use ecsdeck::store::Store;
use ecsdeck::views::tasks::Tasks;
use ecsdeck::views::{View, ViewKind};

const CLUSTER: &str = "prod";
const ACCOUNT: &str = "123456789012";
const REGION: &str = "eu-west-1";
const ALARMS: usize = 2_000;
const SIZES: [usize; 3] = [100, 1_000, 5_000];

// ---------------------------------------------------------------------------------------
// Fixtures: plain data, no timing.
// ---------------------------------------------------------------------------------------

/// The fixed clock of every fixture.
fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_795_000_000, 0).unwrap_or_default()
}

fn service_name(i: usize) -> String {
    const KINDS: [&str; 6] = ["api", "worker", "web", "consumer", "cron", "gateway"];
    format!("svc-{i:05}-{}", KINDS[i % KINDS.len()])
}

fn cluster() -> Cluster {
    Cluster {
        cluster_arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{CLUSTER}"),
        cluster_name: CLUSTER.into(),
        status: "ACTIVE".into(),
        active_services_count: 5_000,
        running_tasks_count: 5_000,
        pending_tasks_count: 0,
        registered_container_instances_count: 0,
        capacity_providers: vec!["FARGATE".into(), "FARGATE_SPOT".into()],
        default_capacity_provider_strategy: Vec::new(),
        container_insights: Some("enabled".into()),
    }
}

/// The primary deployment, and the one it replaces while a rollout is in progress.
fn deployments(
    i: usize,
    name: &str,
    task_definition: &str,
    revision: usize,
    desired: i32,
    running: i32,
    rollout: &str,
) -> Vec<Deployment> {
    let now = now();
    let mut deployments = vec![Deployment {
        id: format!("ecs-svc/{:019}", i * 7919),
        status: "PRIMARY".into(),
        task_definition: task_definition.to_string(),
        desired_count: desired,
        pending_count: 0,
        running_count: running,
        failed_tasks: 0,
        rollout_state: Some(rollout.into()),
        rollout_state_reason: None,
        created_at: Some(now - Duration::hours(1 + (i % 300) as i64)),
        updated_at: Some(now - Duration::minutes(5)),
    }];
    if rollout == "IN_PROGRESS" {
        deployments.push(Deployment {
            id: format!("ecs-svc/{:019}", i * 7919 + 1),
            status: "ACTIVE".into(),
            task_definition: format!(
                "arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{name}:{}",
                revision - 1
            ),
            desired_count: desired,
            pending_count: 0,
            running_count: desired,
            failed_tasks: 0,
            rollout_state: Some("COMPLETED".into()),
            rollout_state_reason: None,
            created_at: Some(now - Duration::days(3)),
            updated_at: Some(now - Duration::days(3)),
        });
    }
    deployments
}

/// `n` services: mostly steady, some rolling out, some short of tasks, a few failed.
fn services(n: usize) -> Vec<Service> {
    let now = now();
    (0..n)
        .map(|i| {
            let name = service_name(i);
            let revision = 10 + i % 40;
            let task_definition =
                format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{name}:{revision}");
            let desired = 2 + (i % 5) as i32;
            let running = if i % 17 == 0 { desired - 1 } else { desired };
            let rollout = match i % 23 {
                0 => "IN_PROGRESS",
                1 => "FAILED",
                _ => "COMPLETED",
            };
            let deployments = deployments(
                i,
                &name,
                &task_definition,
                revision,
                desired,
                running,
                rollout,
            );
            let (launch_type, strategy) = if i % 3 == 0 {
                (Some("FARGATE".to_string()), Vec::new())
            } else {
                (
                    None,
                    vec![
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
                    ],
                )
            };
            Service {
                service_arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/{CLUSTER}/{name}"),
                service_name: name.clone(),
                cluster_arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{CLUSTER}"),
                status: "ACTIVE".into(),
                desired_count: desired,
                running_count: running,
                pending_count: if running < desired && i % 2 == 0 {
                    1
                } else {
                    0
                },
                task_definition,
                launch_type,
                capacity_provider_strategy: strategy,
                deployments,
                created_at: Some(now - Duration::days(1 + (i % 400) as i64)),
                circuit_breaker: Some(CircuitBreaker {
                    enable: true,
                    rollback: true,
                }),
                events: Vec::new(),
                // Every other service is behind a target group, as web-facing ones are.
                load_balancers: (i % 2 == 0)
                    .then(|| ServiceLoadBalancer {
                        target_group_arn: Some(format!(
                            "arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{name}/{i:016x}"
                        )),
                        load_balancer_name: None,
                        container_name: Some("app".into()),
                        container_port: Some(8080),
                    })
                    .into_iter()
                    .collect(),
            }
        })
        .collect()
}

/// 30 one-minute points of CPU and memory for every service.
fn utilisation(n: usize) -> UtilisationMap {
    let now = now();
    (0..n)
        .map(|i| {
            let series = |base: f64| {
                (0..30)
                    .map(|p| {
                        let t = now - Duration::minutes(30 - p as i64);
                        let v = base + ((i * 31 + p * 7) % 20) as f64;
                        (t, v.min(100.0))
                    })
                    .collect()
            };
            let u = Utilisation {
                cpu: series((i % 9) as f64 * 10.0),
                memory: series((i % 7) as f64 * 12.0),
            };
            (service_name(i), u)
        })
        .collect()
}

/// `count` alarms spread over `n` services; every 10th is firing; every 10th (offset 5) is
/// an ALB alarm that matches no service.
fn alarms(n: usize, count: usize) -> Vec<Alarm> {
    let now = now();
    (0..count)
        .map(|j| {
            let state = if j % 10 == 0 { "ALARM" } else { "OK" };
            if j % 10 == 5 {
                return Alarm {
                    name: format!("alb-5xx-{j}"),
                    state: state.into(),
                    state_reason: Some("Threshold Crossed".into()),
                    state_updated: Some(now - Duration::minutes(j as i64 % 600)),
                    namespace: Some("AWS/ApplicationELB".into()),
                    metric: Some("HTTPCode_ELB_5XX_Count".into()),
                    dimensions: vec![("LoadBalancer".into(), format!("app/lb-{j}/0123456789"))],
                };
            }
            let service = service_name((j * 7) % n);
            let metric = if j % 2 == 0 {
                "CPUUtilization"
            } else {
                "MemoryUtilization"
            };
            Alarm {
                name: format!("{service}-{metric}-high"),
                state: state.into(),
                state_reason: Some("Threshold Crossed: 3 datapoints were greater".into()),
                state_updated: Some(now - Duration::minutes(j as i64 % 600)),
                namespace: Some("AWS/ECS".into()),
                metric: Some(metric.into()),
                dimensions: vec![
                    ("ClusterName".into(), CLUSTER.into()),
                    ("ServiceName".into(), service),
                ],
            }
        })
        .collect()
}

/// `n` running tasks of the cluster, spread over 50 services, two containers each.
fn tasks(n: usize) -> Vec<Task> {
    let now = now();
    const AZS: [&str; 3] = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
    (0..n)
        .map(|i| {
            let service = service_name(i % 50);
            let id = format!("{:032x}", (i as u128 + 1) * 0x9e37_79b9_7f4a_7c15);
            let task_definition_arn = format!(
                "arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{service}:{}",
                10 + i % 40
            );
            let ip = format!("10.{}.{}.{}", i % 4, (i / 250) % 256, i % 250 + 2);
            let container = |name: &str, port: i32| Container {
                name: name.into(),
                image: Some(format!(
                    "{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{service}:{}",
                    i % 40
                )),
                image_digest: Some(format!("sha256:{i:064x}")),
                last_status: Some("RUNNING".into()),
                health_status: Some("HEALTHY".into()),
                runtime_id: Some(format!("{i:032x}-{name}")),
                exec_agent: Some("RUNNING".into()),
                exit_code: None,
                reason: None,
                cpu: Some("256".into()),
                memory: Some("512".into()),
                memory_reservation: None,
                network_bindings: vec![PortBinding {
                    container_port: Some(port),
                    host_port: Some(port),
                    protocol: Some("tcp".into()),
                }],
            };
            Task {
                task_arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task/{CLUSTER}/{id}"),
                cluster_arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{CLUSTER}"),
                task_definition_arn,
                group: Some(format!("service:{service}")),
                started_by: Some("ecs-svc/1234567890123456789".into()),
                last_status: if i % 31 == 0 { "PENDING" } else { "RUNNING" }.into(),
                desired_status: "RUNNING".into(),
                health_status: Some(if i % 29 == 0 { "UNHEALTHY" } else { "HEALTHY" }.into()),
                created_at: Some(now - Duration::minutes(10 + (i % 5000) as i64)),
                started_at: Some(now - Duration::minutes(9 + (i % 5000) as i64)),
                stopped_at: None,
                stop_code: None,
                stopped_reason: None,
                container_instance_arn: None,
                availability_zone: Some(AZS[i % 3].into()),
                private_ip: Some(ip),
                launch_type: Some("FARGATE".into()),
                capacity_provider_name: Some("FARGATE".into()),
                cpu: Some("512".into()),
                memory: Some("1024".into()),
                enable_execute_command: true,
                containers: vec![container("app", 8080), container("envoy", 9901)],
            }
        })
        .collect()
}

fn ui_with(stack: Vec<View>) -> UiState {
    let connection = Connection {
        region: REGION.into(),
        ..Connection::default()
    };
    let mut ui = UiState::new(connection, Keymap::default(), now());
    ui.stack = stack;
    ui
}

/// A store with the cluster loaded, and the account learned.
fn base_store() -> Store {
    let mut store = Store::default();
    store.clusters.finish(Ok(vec![cluster()]), now());
    store.account = Some(ACCOUNT.into());
    store
}

/// Services view of `n` services, utilisation for each, 2,000 alarms in the account.
fn services_fixture(n: usize) -> (Store, UiState) {
    let at = now();
    let mut store = base_store();
    store
        .services
        .entry(CLUSTER.into())
        .or_default()
        .finish(Ok(services(n)), at);
    store
        .service_metrics
        .entry(CLUSTER.into())
        .or_default()
        .finish(Ok(utilisation(n)), at);
    store.alarms.finish(Ok(alarms(n, ALARMS)), at);
    let ui = ui_with(vec![
        View::new(ViewKind::clusters()),
        View::new(ViewKind::services(CLUSTER)),
    ]);
    store.touch();
    (store, ui)
}

/// Tasks view of the whole cluster (`:tasks`) with `n` running tasks.
fn tasks_fixture(n: usize) -> (Store, UiState) {
    let at = now();
    let mut store = base_store();
    store
        .tasks
        .entry((CLUSTER.into(), TaskFilter::default()))
        .or_default()
        .finish(Ok(tasks(n)), at);
    let ui = ui_with(vec![
        View::new(ViewKind::clusters()),
        View::new(Tasks {
            cluster: CLUSTER.into(),
            service: None,
            instance: None,
        }),
    ]);
    store.touch();
    (store, ui)
}

fn terminal() -> Terminal<TestBackend> {
    match Terminal::new(TestBackend::new(200, 60)) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    }
}

fn theme() -> Theme {
    match Theme::load("default", None) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    }
}

// ---------------------------------------------------------------------------------------
// The measured part.
// ---------------------------------------------------------------------------------------

/// One `j` through the update function.
fn press_down(store: &mut Store, ui: &mut UiState) {
    let key = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    let commands = ecsdeck::update::update(store, ui, Msg::Key(key));
    black_box(commands);
}

/// One frame.
fn draw_frame(
    terminal: &mut Terminal<TestBackend>,
    store: &Store,
    ui: &mut UiState,
    theme: &Theme,
) {
    let result = terminal.draw(|f| ecsdeck::ui::draw(f, store, ui, theme));
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Puts the cursor back on the first row when it is on the last (`rows` rows); untimed.
fn wrap_at_bottom(ui: &mut UiState, rows: usize) {
    let view = ui.top_mut();
    if view.selected + 1 >= rows {
        view.selected = 0;
        view.selected_key = None;
        view.table = TableState::default();
    }
}

#[derive(Clone, Copy)]
enum Part {
    /// `j` then a frame: what the user waits for.
    KeyPress,
    UpdateOnly,
    /// A frame with the cursor moved by an untimed `j` before it.
    DrawOnly,
    /// A frame after a fetch landed (the rows are rebuilt): what a poll costs the UI task.
    Rebuild,
}

fn run(
    b: &mut criterion::Bencher,
    fixture: &mut (Store, UiState),
    rows: usize,
    part: Part,
    terminal: &mut Terminal<TestBackend>,
    theme: &Theme,
) {
    let (store, ui) = fixture;
    // Draw once so the terminal's previous buffer is a realistic one (diffing included).
    draw_frame(terminal, store, ui, theme);
    b.iter_custom(|iters| {
        let mut total = StdDuration::ZERO;
        for _ in 0..iters {
            wrap_at_bottom(ui, rows);
            match part {
                Part::KeyPress => {
                    let start = Instant::now();
                    press_down(store, ui);
                    draw_frame(terminal, store, ui, theme);
                    total += start.elapsed();
                }
                Part::UpdateOnly => {
                    let start = Instant::now();
                    press_down(store, ui);
                    total += start.elapsed();
                }
                Part::DrawOnly => {
                    press_down(store, ui);
                    let start = Instant::now();
                    draw_frame(terminal, store, ui, theme);
                    total += start.elapsed();
                }
                Part::Rebuild => {
                    store.touch();
                    let start = Instant::now();
                    draw_frame(terminal, store, ui, theme);
                    total += start.elapsed();
                }
            }
        }
        total
    });
}

fn bench_view(
    c: &mut Criterion,
    group_name: &str,
    fixture: fn(usize) -> (Store, UiState),
    parts: &[(&str, Part)],
) {
    let theme = theme();
    let mut group = c.benchmark_group(group_name);
    // The 5,000-row cases take tens of milliseconds per press: flat sampling keeps the run
    // near the measurement time instead of criterion's linear ramp (5,050 iterations).
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    for n in SIZES {
        let mut data = fixture(n);
        let mut terminal = terminal();
        for (label, part) in parts {
            group.bench_with_input(BenchmarkId::new(*label, n), &n, |b, &n| {
                run(b, &mut data, n, *part, &mut terminal, &theme)
            });
        }
    }
    group.finish();
}

const PARTS: [(&str, Part); 4] = [
    ("key press", Part::KeyPress),
    ("update only", Part::UpdateOnly),
    ("draw only", Part::DrawOnly),
    ("rebuild after a fetch", Part::Rebuild),
];

fn services_view(c: &mut Criterion) {
    bench_view(c, "services view", services_fixture, &PARTS);
}

fn tasks_view(c: &mut Criterion) {
    bench_view(c, "tasks view", tasks_fixture, &PARTS);
}

criterion_group!(benches, services_view, tasks_view);
criterion_main!(benches);
