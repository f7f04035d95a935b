//! The demo fleet's model and its generation. Plain data plus a seeded PRNG: the same seed and
//! clock give the same fleet, so demos, screenshots and tests are reproducible.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::catalog::{
    self, ASG_PROVIDER, CLUSTERS, ClusterKind, ClusterSpec, ServiceSpec, Sidecar, Size, Special,
    Workload,
};
use super::events::{self, SeenTasks, ServiceLog};
use super::instances;
use super::rng::SplitMix64;
use super::taskdef::{self, TaskDefinitionInput};
use super::tasks::{self, Fate, Hosts, Launch, SimTask, StopCause, TaskOrigin};
use crate::domain::ecs::TaskDefinition;

/// An in-process ECS fleet that moves; see [`DemoFleet::step`].
#[derive(Debug, Clone, PartialEq)]
pub struct DemoFleet {
    /// The `--seed`, kept for what must be a pure function of it (metrics).
    pub(super) seed: u64,
    pub(super) rng: SplitMix64,
    /// The simulation's clock: the `now` of the last generate/step call.
    pub(super) now: DateTime<Utc>,
    /// When the fleet was generated: staged incidents in the metrics are placed around it,
    /// so they are on screen when a demo starts and do not move as its clock runs.
    pub(super) generated_at: DateTime<Utc>,
    pub(super) clusters: Vec<ClusterState>,
    /// Every registered revision, by full ARN.
    pub(super) task_definitions: BTreeMap<String, TaskDefinition>,
    /// Application Auto Scaling's targets, policies and history, by (cluster, service).
    pub(super) scaling: BTreeMap<(String, String), super::scaling::DemoScaling>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct ClusterState {
    pub name: String,
    pub arn: String,
    pub capacity_providers: Vec<String>,
    pub default_strategy: Vec<(String, i32, i32)>,
    pub container_insights: Option<String>,
    pub hosts: Hosts,
    pub services: Vec<ServiceState>,
    /// Running and stopped tasks, oldest first.
    pub tasks: Vec<SimTask>,
    /// The tasks as the last step left them, to turn changes into service events.
    pub seen: SeenTasks,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct ServiceState {
    pub name: String,
    pub arn: String,
    pub desired: i32,
    pub launch: Launch,
    pub behaviour: Behaviour,
    /// The target group of load-balanced services (named in ELB health-check stop reasons).
    pub target_group: Option<String>,
    /// The app container's port the target group sends to (load-balanced services only).
    pub container_port: Option<i32>,
    /// Index 0 is the PRIMARY deployment; the others are ACTIVE ones being drained.
    pub deployments: Vec<DeploymentState>,
    pub created_at: DateTime<Utc>,
    /// What DescribeServices shows under `events`.
    pub events: ServiceLog,
}

/// Standing misbehaviour of a service, beyond the random incidents every service gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Behaviour {
    Steady,
    /// Every replacement task is OOM-killed shortly after it starts.
    CrashLoop,
    /// At most this many tasks can be placed (not enough memory on the instances).
    CapacityLimited {
        max_placed: i32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct DeploymentState {
    pub id: String,
    pub task_definition: String,
    pub desired: i32,
    pub failed_tasks: i32,
    pub rollout: Rollout,
    /// The revision's tasks fail: behind a load balancer its health checks, elsewhere the
    /// app exits with code 1 right after starting.
    pub broken: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rollout {
    InProgress,
    Completed,
    Failed,
}

impl Rollout {
    pub fn as_aws(self) -> &'static str {
        match self {
            Rollout::InProgress => "IN_PROGRESS",
            Rollout::Completed => "COMPLETED",
            Rollout::Failed => "FAILED",
        }
    }
}

/// The spec of the steady one-task services added by [`DemoFleet::add_cluster_with_services`].
const PROBE_SPEC: ServiceSpec = ServiceSpec {
    name: "paging-probe",
    desired: 1,
    workload: Workload::Worker,
    sidecar: Sidecar::None,
    size: Size::S,
    special: Special::Steady,
};

impl DemoFleet {
    /// The standard demo fleet: prod-payments, staging and batch-ec2. Deterministic for
    /// `(seed, now)`.
    pub fn generate(seed: u64, now: DateTime<Utc>) -> DemoFleet {
        let mut fleet = DemoFleet {
            seed,
            rng: SplitMix64::new(seed),
            now,
            generated_at: now,
            clusters: Vec::new(),
            task_definitions: BTreeMap::new(),
            scaling: super::scaling::generate(now),
        };
        for spec in CLUSTERS {
            fleet.generate_cluster(spec);
        }
        fleet
    }

    /// Adds an extra ACTIVE Fargate cluster holding `services` steady services with 1 task
    /// each, named `svc-0001`...: big enough to exercise paging and batching.
    pub fn add_cluster_with_services(&mut self, name: &str, services: usize, now: DateTime<Utc>) {
        let definition = self.register(TaskDefinitionInput {
            environment: "perf",
            family: &format!("{name}-probe"),
            revision: 1,
            spec: &PROBE_SPEC,
            ec2: false,
        });
        let mut cluster = empty_cluster(name, 50, vec!["FARGATE".to_string()], Vec::new());
        for index in 1..=services {
            let service_name = format!("svc-{index:04}");
            let created_at = now - Duration::days(2);
            let deployment = self.deployment(&definition, 1, Rollout::Completed, created_at);
            let service = ServiceState {
                arn: catalog::service_arn(name, &service_name),
                name: service_name,
                desired: 1,
                launch: Launch::Fargate,
                behaviour: Behaviour::Steady,
                target_group: None,
                container_port: None,
                deployments: vec![deployment],
                created_at,
                events: ServiceLog::default(),
            };
            let started_at = created_at + Duration::minutes(2);
            let task = self.running_task(&cluster, &service, 0, &definition, started_at);
            cluster.tasks.push(task);
            cluster.services.push(service);
        }
        events::seed_history(&mut cluster, now);
        self.clusters.push(cluster);
    }

    fn generate_cluster(&mut self, spec: &ClusterSpec) {
        let (providers, strategy) = match spec.kind {
            ClusterKind::Production => (
                vec!["FARGATE".to_string(), "FARGATE_SPOT".to_string()],
                vec![("FARGATE".to_string(), 1, 1)],
            ),
            ClusterKind::Staging => (
                vec!["FARGATE".to_string(), "FARGATE_SPOT".to_string()],
                vec![
                    ("FARGATE".to_string(), 1, 1),
                    ("FARGATE_SPOT".to_string(), 4, 0),
                ],
            ),
            ClusterKind::Ec2Batch => (
                vec![ASG_PROVIDER.to_string()],
                vec![(ASG_PROVIDER.to_string(), 1, 0)],
            ),
        };
        let mut cluster = empty_cluster(spec.name, spec.vpc_octet, providers, strategy);
        if spec.kind == ClusterKind::Production {
            cluster.container_insights = Some("enabled".to_string());
        }
        if spec.kind == ClusterKind::Ec2Batch {
            cluster.hosts.instances =
                instances::generate(&mut self.rng, spec.name, spec.vpc_octet, self.now);
        }
        for (index, service_spec) in spec.services.iter().enumerate() {
            self.generate_service(&mut cluster, spec.kind, index, service_spec);
        }
        if spec.kind == ClusterKind::Staging
            && let Some(first) = cluster.services.first().map(|s| s.name.clone())
        {
            seed_spot_interruptions(&mut cluster, &first, self.now);
        }
        events::seed_history(&mut cluster, self.now);
        self.clusters.push(cluster);
    }

    fn generate_service(
        &mut self,
        cluster: &mut ClusterState,
        kind: ClusterKind,
        index: usize,
        spec: &ServiceSpec,
    ) {
        let (environment, family) = match kind {
            ClusterKind::Production => ("prod", spec.name.to_string()),
            ClusterKind::Staging => ("staging", format!("staging-{}", spec.name)),
            ClusterKind::Ec2Batch => ("batch", spec.name.to_string()),
        };
        let ec2 = kind == ClusterKind::Ec2Batch;
        let revision = if spec.name == "checkout-api" && kind == ClusterKind::Production {
            42
        } else {
            self.rng.range(3, 60) as i32
        };
        let current = self.register(TaskDefinitionInput {
            environment,
            family: &family,
            revision,
            spec,
            ec2,
        });
        for earlier in taskdef::history(&current) {
            self.task_definitions
                .entry(earlier.task_definition_arn.clone())
                .or_insert(earlier);
        }
        let now = self.now;
        let created_at = now - Duration::hours(self.rng.range(72, 24 * 200));
        let deployed_at = now - Duration::hours(self.rng.range(2, 24 * 14));
        let deployment = self.deployment(&current, spec.desired, Rollout::Completed, deployed_at);
        let target_group = match spec.workload {
            Workload::Api { .. } => Some(catalog::target_group_arn(
                &format!("{environment}-{}", spec.name),
                &self.rng.hex(16),
            )),
            _ => None,
        };
        let behaviour = match spec.special {
            Special::CrashLoop => Behaviour::CrashLoop,
            Special::CannotPlace { placed } => Behaviour::CapacityLimited { max_placed: placed },
            _ => Behaviour::Steady,
        };
        let mut service = ServiceState {
            name: spec.name.to_string(),
            arn: catalog::service_arn(&cluster.name, spec.name),
            desired: spec.desired,
            launch: launch_for(kind, index),
            behaviour,
            container_port: match spec.workload {
                Workload::Api { port } if target_group.is_some() => Some(port),
                _ => None,
            },
            target_group,
            deployments: vec![deployment],
            created_at,
            events: ServiceLog::default(),
        };
        let running = match spec.special {
            Special::CannotPlace { placed } => placed,
            Special::CrashLoop => spec.desired - 1,
            _ => spec.desired,
        };
        for _ in 0..running {
            let started_at = deployed_at + Duration::seconds(self.rng.range(30, 600));
            let task = self.running_task(cluster, &service, 0, &current, started_at);
            cluster.tasks.push(task);
        }
        match spec.special {
            Special::RolloutInProgress | Special::RolloutFailing => {
                let failing = spec.special == Special::RolloutFailing;
                let next = self.register(TaskDefinitionInput {
                    environment,
                    family: &family,
                    revision: revision + 1,
                    spec,
                    ec2,
                });
                self.start_rollout(cluster, &mut service, &next, failing);
            }
            Special::CrashLoop => self.seed_crash_loop(cluster, &service, &current),
            _ => {}
        }
        cluster.services.push(service);
    }

    /// Puts a fresh PRIMARY deployment in front and, to show mid-rollout state from the first
    /// frame, some of its tasks already started: for a healthy release 3 replaced tasks,
    /// for a broken one a first crash.
    fn start_rollout(
        &mut self,
        cluster: &mut ClusterState,
        service: &mut ServiceState,
        next: &TaskDefinition,
        broken: bool,
    ) {
        let started = self.now - Duration::minutes(if broken { 2 } else { 4 });
        let old_id = service
            .deployments
            .first()
            .map(|d| d.id.clone())
            .unwrap_or_default();
        let mut primary = self.deployment(next, service.desired, Rollout::InProgress, started);
        primary.broken = broken;
        primary.failed_tasks = i32::from(broken);
        service.deployments.insert(0, primary);
        if broken {
            let mut crashed = self.running_task(cluster, service, 0, next, started);
            // Behind a load balancer the release fails its health checks (two at 30 s
            // intervals); elsewhere its app exits at once.
            let (cause, after, detail) = match &service.target_group {
                Some(group) => (StopCause::ElbHealthCheck, 75, group.as_str()),
                None => (StopCause::ExitCode1, 20, ""),
            };
            let crashed_at = started + Duration::seconds(after);
            tasks::stop(&mut crashed.task, crashed_at, cause, detail);
            cluster.tasks.push(crashed);
            return;
        }
        // Replace the three oldest tasks of the old deployment.
        let old_tasks: Vec<usize> = cluster
            .tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.is_live() && t.started_by() == old_id)
            .filter(|(_, t)| t.service_name() == Some(service.name.as_str()))
            .map(|(i, _)| i)
            .take(3)
            .collect();
        for (step, index) in old_tasks.into_iter().enumerate() {
            let at = started + Duration::seconds(40 * (step as i64 + 1));
            let replacement = self.running_task(cluster, service, 0, next, at);
            if let Some(old) = cluster.tasks.get_mut(index) {
                tasks::stop(&mut old.task, at, StopCause::Scheduler, &old_id);
            }
            cluster.tasks.push(replacement);
        }
    }

    /// The crash-looping service starts with a few OOM kills in its recent history and one
    /// doomed replacement on its way up.
    fn seed_crash_loop(
        &mut self,
        cluster: &mut ClusterState,
        service: &ServiceState,
        definition: &TaskDefinition,
    ) {
        for minutes_ago in [9, 6, 3] {
            let at = self.now - Duration::minutes(minutes_ago);
            let mut task = self.running_task(cluster, service, 0, definition, at);
            tasks::stop(
                &mut task.task,
                at + Duration::seconds(50),
                StopCause::OutOfMemory,
                "",
            );
            cluster.tasks.push(task);
        }
        let fate = crash_loop_fate();
        let task = self.launch(cluster, service, 0, definition, fate);
        cluster.tasks.push(task);
    }

    /// Registers a revision (idempotent) and returns it.
    pub(super) fn register(&mut self, input: TaskDefinitionInput<'_>) -> TaskDefinition {
        // Older revisions were registered longer ago: a few days per revision.
        let days_ago = i64::from((60 - input.revision).clamp(0, 60)) * 3;
        let mut definition = taskdef::build(input);
        definition.registered_at = Some(self.now - chrono::Duration::days(days_ago));
        self.task_definitions
            .entry(definition.task_definition_arn.clone())
            .or_insert_with(|| definition.clone());
        definition
    }

    pub(super) fn deployment(
        &mut self,
        definition: &TaskDefinition,
        desired: i32,
        rollout: Rollout,
        created_at: DateTime<Utc>,
    ) -> DeploymentState {
        DeploymentState {
            id: format!("ecs-svc/{}", self.rng.digits(19)),
            task_definition: definition.task_definition_arn.clone(),
            desired,
            failed_tasks: 0,
            rollout,
            broken: false,
            created_at,
            updated_at: created_at,
        }
    }

    /// A new PROVISIONING task of `service`'s deployment `deployment`.
    pub(super) fn launch(
        &mut self,
        cluster: &ClusterState,
        service: &ServiceState,
        deployment: usize,
        definition: &TaskDefinition,
        fate: Fate,
    ) -> SimTask {
        let deployment_id = service
            .deployments
            .get(deployment)
            .map(|d| d.id.as_str())
            .unwrap_or_default();
        let origin = TaskOrigin {
            cluster: &cluster.name,
            service: &service.name,
            deployment_id,
            launch: &service.launch,
        };
        tasks::new_task(
            &mut self.rng,
            &origin,
            &cluster.hosts,
            definition,
            self.now,
            fate,
        )
    }

    /// A task that has been RUNNING (and healthy when health-checked) since `started_at`.
    fn running_task(
        &mut self,
        cluster: &ClusterState,
        service: &ServiceState,
        deployment: usize,
        definition: &TaskDefinition,
        started_at: DateTime<Utc>,
    ) -> SimTask {
        let mut sim = self.launch(cluster, service, deployment, definition, Fate::Healthy);
        let created_at = started_at - Duration::seconds(self.rng.range(20, 90));
        sim.task.created_at = Some(created_at);
        let bridge = !cluster.hosts.instances.is_empty();
        tasks::mark_running(&mut self.rng, &mut sim.task, started_at, bridge);
        if service.target_group.is_some() {
            tasks::set_health(&mut sim.task, "HEALTHY");
        }
        sim.ticks_in_status = 1000;
        sim
    }
}

/// The fate of every task the crash-looping service starts: OOM-killed after 3 ticks.
pub(super) fn crash_loop_fate() -> Fate {
    Fate::Crash {
        after_ticks: 3,
        cause: StopCause::OutOfMemory,
    }
}

fn empty_cluster(
    name: &str,
    vpc_octet: u8,
    capacity_providers: Vec<String>,
    default_strategy: Vec<(String, i32, i32)>,
) -> ClusterState {
    ClusterState {
        name: name.to_string(),
        arn: catalog::cluster_arn(name),
        capacity_providers,
        default_strategy,
        container_insights: None,
        hosts: Hosts {
            vpc_octet,
            instances: Vec::new(),
        },
        services: Vec::new(),
        tasks: Vec::new(),
        seen: SeenTasks::default(),
    }
}

/// Production mixes launchType FARGATE and FARGATE/FARGATE_SPOT strategies; staging uses
/// its SPOT-heavy default; batch mixes launchType EC2 and the ASG capacity provider.
fn launch_for(kind: ClusterKind, index: usize) -> Launch {
    let even = index.is_multiple_of(2);
    match kind {
        ClusterKind::Production if even => Launch::Fargate,
        ClusterKind::Production => Launch::Strategy(vec![
            ("FARGATE".to_string(), 1),
            ("FARGATE_SPOT".to_string(), 1),
        ]),
        ClusterKind::Staging => Launch::Strategy(vec![
            ("FARGATE".to_string(), 1),
            ("FARGATE_SPOT".to_string(), 4),
        ]),
        ClusterKind::Ec2Batch if even => Launch::Ec2,
        ClusterKind::Ec2Batch => Launch::Strategy(vec![(ASG_PROVIDER.to_string(), 1)]),
    }
}

/// Staging runs on Fargate Spot: its first service lost two tasks to interruptions.
fn seed_spot_interruptions(cluster: &mut ClusterState, service: &str, now: DateTime<Utc>) {
    let first = cluster
        .tasks
        .iter()
        .find(|t| t.service_name() == Some(service) && t.is_live());
    if let Some(running) = first.cloned() {
        let interrupted = tasks::spot_interrupted(&running, now, &[38, 14]);
        cluster.tasks.extend(interrupted);
    }
}
