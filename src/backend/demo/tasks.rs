//! The life of one demo task: created PROVISIONING, walked to RUNNING one state per tick,
//! and stopped with the codes and reasons ECS really reports, so the UI is exercised on
//! realistic data (OOM kills, ELB health checks, deployments replacing tasks).

use chrono::{DateTime, Utc};

use super::catalog::{AVAILABILITY_ZONES, task_arn};
use super::rng::SplitMix64;
use crate::domain::ecs::{Container, PortBinding, Task, TaskDefinition};

/// A task plus what the simulation has decided about its future.
#[derive(Debug, Clone, PartialEq)]
pub struct SimTask {
    pub task: Task,
    pub fate: Fate,
    /// Ticks spent in the current `lastStatus`, to pace transitions.
    pub ticks_in_status: u32,
}

/// What will happen to a task once it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Runs until something (a rollout, a scale-in, a random incident) stops it.
    Healthy,
    /// Dies after running this many ticks.
    Crash { after_ticks: u32, cause: StopCause },
}

/// Why a task stopped; each maps to ECS's own stop code, reason and exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopCause {
    /// The kernel OOM killer: exit code 137.
    OutOfMemory,
    /// The app exited with code 1 right after start (a broken release).
    ExitCode1,
    /// The load balancer marked it unhealthy and ECS replaced it.
    ElbHealthCheck,
    /// A deployment or a scale-in drained it.
    Scheduler,
    /// Fargate Spot took the capacity back (two minutes' warning, then SIGTERM).
    SpotInterruption,
}

impl SimTask {
    pub fn is_live(&self) -> bool {
        self.task.desired_status == "RUNNING"
    }

    pub fn is_running(&self) -> bool {
        self.is_live() && self.task.last_status == "RUNNING"
    }

    /// Asked to stop (StopTask) but not STOPPED yet: DEACTIVATING or STOPPING.
    pub fn is_stopping(&self) -> bool {
        self.task.desired_status == "STOPPED" && self.task.last_status != "STOPPED"
    }

    pub fn started_by(&self) -> &str {
        self.task.started_by.as_deref().unwrap_or_default()
    }

    pub fn service_name(&self) -> Option<&str> {
        self.task.service_name()
    }
}

/// Where a cluster runs tasks: its VPC and, for EC2 clusters, its container instances.
#[derive(Debug, Clone, PartialEq)]
pub struct Hosts {
    /// Second octet of the cluster's 10.X.0.0/16 VPC.
    pub vpc_octet: u8,
    /// EC2 container instances; empty on Fargate.
    pub instances: Vec<HostInstance>,
}

/// One EC2 container instance of a cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct HostInstance {
    pub private_ip: String,
    pub availability_zone: String,
    pub container_instance_arn: String,
    /// What load balancers would register its bridge tasks by.
    pub ec2_instance_id: String,
    /// ACTIVE or DRAINING (UpdateContainerInstancesState changes it).
    pub status: String,
    /// False for the one host whose ECS agent lost its connection.
    pub agent_connected: bool,
    pub instance_type: String,
    pub registered_at: chrono::DateTime<chrono::Utc>,
}

impl HostInstance {
    /// ECS places new tasks only on ACTIVE instances whose agent is connected.
    pub fn takes_tasks(&self) -> bool {
        self.status == "ACTIVE" && self.agent_connected
    }
}

/// How a service asks for capacity.
#[derive(Debug, Clone, PartialEq)]
pub enum Launch {
    /// `launchType: FARGATE`.
    Fargate,
    /// `launchType: EC2`.
    Ec2,
    /// A capacity provider strategy: (provider, weight), the first one also has base 1.
    Strategy(Vec<(String, i32)>),
}

/// Everything that identifies a new task besides its task definition.
pub struct TaskOrigin<'a> {
    pub cluster: &'a str,
    pub service: &'a str,
    pub deployment_id: &'a str,
    pub launch: &'a Launch,
}

/// A new PROVISIONING task, as ECS shows it right after the scheduler placed it.
pub fn new_task(
    rng: &mut SplitMix64,
    origin: &TaskOrigin<'_>,
    hosts: &Hosts,
    definition: &TaskDefinition,
    now: DateTime<Utc>,
    fate: Fate,
) -> SimTask {
    let (availability_zone, private_ip, instance) = placement(rng, hosts);
    let (launch_type, capacity_provider_name) = capacity(rng, origin.launch);
    // Only EC2 tasks sit on a container instance; Fargate brings its own.
    let container_instance_arn = instance.filter(|_| launch_type == "EC2");
    let containers = definition
        .container_definitions
        .iter()
        .map(|c| Container {
            name: c.name.clone(),
            image: Some(c.image.clone()),
            image_digest: Some(super::images::running_digest(&c.image)),
            last_status: Some("PENDING".to_string()),
            health_status: Some("UNKNOWN".to_string()),
            cpu: Some(c.cpu.to_string()),
            memory: c.memory.map(|m| m.to_string()),
            memory_reservation: c.memory_reservation.map(|m| m.to_string()),
            ..Container::default()
        })
        .collect();
    let cluster_arn = super::catalog::cluster_arn(origin.cluster);
    let task = Task {
        task_arn: task_arn(origin.cluster, &rng.hex(32)),
        cluster_arn,
        task_definition_arn: definition.task_definition_arn.clone(),
        group: Some(format!("service:{}", origin.service)),
        started_by: Some(origin.deployment_id.to_string()),
        last_status: "PROVISIONING".to_string(),
        desired_status: "RUNNING".to_string(),
        health_status: Some("UNKNOWN".to_string()),
        created_at: Some(now),
        // Staging runs without ECS Exec, so the demo shows what ecsdeck says about it.
        enable_execute_command: origin.cluster != "staging",
        container_instance_arn,
        availability_zone: Some(availability_zone),
        private_ip: Some(private_ip),
        launch_type: Some(launch_type),
        capacity_provider_name,
        cpu: definition.cpu.clone(),
        memory: definition.memory.clone(),
        containers,
        ..Task::default()
    };
    SimTask {
        task,
        fate,
        ticks_in_status: 0,
    }
}

/// The availability zone, private IP and, on EC2, the container instance of a new task.
fn placement(rng: &mut SplitMix64, hosts: &Hosts) -> (String, String, Option<String>) {
    let open: Vec<&HostInstance> = hosts.instances.iter().filter(|h| h.takes_tasks()).collect();
    if let Some(host) = rng.pick(&open) {
        return (
            host.availability_zone.clone(),
            host.private_ip.clone(),
            Some(host.container_instance_arn.clone()),
        );
    }
    let zone = rng.below(AVAILABILITY_ZONES.len() as u64) as usize;
    let az = AVAILABILITY_ZONES
        .get(zone)
        .copied()
        .unwrap_or("eu-west-1a");
    // One /20 private subnet per availability zone, like most VPC templates.
    let third = zone as i64 * 16 + rng.range(0, 15);
    let ip = format!("10.{}.{third}.{}", hosts.vpc_octet, rng.range(4, 254));
    (az.to_string(), ip, None)
}

fn capacity(rng: &mut SplitMix64, launch: &Launch) -> (String, Option<String>) {
    match launch {
        Launch::Fargate => ("FARGATE".to_string(), None),
        Launch::Ec2 => ("EC2".to_string(), None),
        Launch::Strategy(items) => {
            let total: i32 = items.iter().map(|(_, w)| *w).sum();
            let mut draw = rng.below(total.max(1) as u64) as i32;
            let mut chosen = items.first().map(|(p, _)| p.clone());
            for (provider, weight) in items {
                if draw < *weight {
                    chosen = Some(provider.clone());
                    break;
                }
                draw -= weight;
            }
            let fargate = chosen.as_deref().is_some_and(|p| p.starts_with("FARGATE"));
            let launch_type = if fargate { "FARGATE" } else { "EC2" };
            (launch_type.to_string(), chosen)
        }
    }
}

/// The states a task walks through before RUNNING. Bridge-mode EC2 tasks have no ENI to
/// provision or activate, so they only pass through PENDING.
fn next_status(current: &str, bridge: bool) -> &'static str {
    match (current, bridge) {
        ("PROVISIONING", _) => "PENDING",
        ("PENDING", true) => "RUNNING",
        ("PENDING", false) => "ACTIVATING",
        _ => "RUNNING",
    }
}

/// Moves a starting task one state forward. Returns true when it just became RUNNING.
pub fn advance_startup(
    rng: &mut SplitMix64,
    sim: &mut SimTask,
    now: DateTime<Utc>,
    health_checked: bool,
) -> bool {
    let bridge = sim.task.launch_type.as_deref() == Some("EC2");
    let next = next_status(&sim.task.last_status, bridge);
    sim.task.last_status = next.to_string();
    sim.ticks_in_status = 0;
    if next == "PENDING" {
        for container in &mut sim.task.containers {
            container.last_status = Some("PENDING".to_string());
        }
    }
    if next != "RUNNING" {
        return false;
    }
    mark_running(rng, &mut sim.task, now, bridge);
    if !health_checked {
        sim.task.health_status = Some("UNKNOWN".to_string());
    }
    true
}

/// Sets a task RUNNING at `started_at`, with its containers running and, on EC2 bridge
/// networking, dynamic host ports bound.
pub fn mark_running(
    rng: &mut SplitMix64,
    task: &mut Task,
    started_at: DateTime<Utc>,
    bridge: bool,
) {
    task.last_status = "RUNNING".to_string();
    task.started_at = Some(started_at);
    let id = task.short_id().to_string();
    let exec = task.enable_execute_command;
    for (index, container) in task.containers.iter_mut().enumerate() {
        container.last_status = Some("RUNNING".to_string());
        // ECS's shape: the task id, a dash and a number; the ECS Exec agent runs with it.
        container.runtime_id = Some(format!("{id}-{}", 3_000_000_000 + index));
        container.exec_agent = exec.then(|| "RUNNING".to_string());
        if bridge && container.network_bindings.is_empty() {
            container.network_bindings = vec![PortBinding {
                container_port: Some(if container.name == "envoy" {
                    9901
                } else {
                    9090
                }),
                host_port: Some(rng.range(32768, 60999) as i32),
                protocol: Some("tcp".to_string()),
            }];
        }
    }
}

/// Marks a running task's health as the container health checks would report it.
pub fn set_health(task: &mut Task, status: &str) {
    task.health_status = Some(status.to_string());
    if let Some(app) = task.containers.first_mut() {
        app.health_status = Some(status.to_string());
    }
}

/// Stops a task the way ECS reports it: both statuses STOPPED, stop code, reason, and exit
/// codes on the containers.
pub fn stop(task: &mut Task, now: DateTime<Utc>, cause: StopCause, detail: &str) {
    let was_running = task.last_status == "RUNNING";
    task.desired_status = "STOPPED".to_string();
    task.last_status = "STOPPED".to_string();
    task.stopped_at = Some(now);
    let (stop_code, reason) = match cause {
        StopCause::OutOfMemory | StopCause::ExitCode1 => (
            "EssentialContainerExited",
            "Essential container in task exited".to_string(),
        ),
        StopCause::ElbHealthCheck => (
            "ServiceSchedulerInitiated",
            format!("Task failed ELB health checks in (target-group {detail})"),
        ),
        StopCause::Scheduler => (
            "ServiceSchedulerInitiated",
            format!("Scaling activity initiated by (deployment {detail})"),
        ),
        StopCause::SpotInterruption => (
            "SpotInterruption",
            "Your Spot Task was interrupted.".to_string(),
        ),
    };
    task.stop_code = Some(stop_code.to_string());
    task.stopped_reason = Some(reason);
    // A task stopped for failing (a crash, or the load balancer's checks) was last seen
    // unhealthy; only the scheduler's own stops leave its health as it was.
    if cause != StopCause::Scheduler {
        task.health_status = Some("UNHEALTHY".to_string());
    }
    for (index, container) in task.containers.iter_mut().enumerate() {
        container.last_status = Some("STOPPED".to_string());
        container.network_bindings.clear();
        if container.exec_agent.is_some() {
            container.exec_agent = Some("STOPPED".to_string());
        }
        let (exit_code, reason) = match (index, cause) {
            (0, StopCause::OutOfMemory) => (
                137,
                Some("OutOfMemoryError: Container killed due to memory usage"),
            ),
            (0, StopCause::ExitCode1) => (1, None),
            (_, StopCause::ElbHealthCheck | StopCause::SpotInterruption) => (143, None),
            _ => (0, None),
        };
        // Containers that never started have no exit code, as in ECS.
        container.exit_code = was_running.then_some(exit_code);
        container.reason = reason.map(str::to_string);
    }
}

/// Tasks of a service that Fargate Spot interrupted `minutes_ago`: copies of `running` with
/// ids of their own (from a generator of their own, so the fleet's stream is untouched).
pub fn spot_interrupted(
    running: &SimTask,
    now: DateTime<Utc>,
    minutes_ago: &[i64],
) -> Vec<SimTask> {
    minutes_ago
        .iter()
        .map(|ago| {
            let mut sim = running.clone();
            let cluster = crate::domain::ecs::arn_tail(&sim.task.cluster_arn).to_string();
            let label = format!("spot/{}/{ago}", sim.task.task_arn);
            sim.task.task_arn = task_arn(&cluster, &SplitMix64::from_label(&label).hex(32));
            sim.task.capacity_provider_name = Some("FARGATE_SPOT".to_string());
            sim.task.launch_type = Some("FARGATE".to_string());
            let at = now - chrono::Duration::minutes(*ago);
            sim.task.started_at = Some(at - chrono::Duration::hours(3));
            stop(&mut sim.task, at, StopCause::SpotInterruption, "");
            sim
        })
        .collect()
}

/// StopTask as ECS acknowledges it: desiredStatus STOPPED at once with the caller's reason,
/// and lastStatus DEACTIVATING (awsvpc tasks deregister their ENI first) or STOPPING.
/// [`advance_stopping`] finishes the job over the next steps.
pub fn begin_user_stop(task: &mut Task, reason: &str) {
    let bridge = task.launch_type.as_deref() == Some("EC2");
    let attached = matches!(task.last_status.as_str(), "RUNNING" | "ACTIVATING");
    task.desired_status = "STOPPED".to_string();
    task.stop_code = Some("UserInitiated".to_string());
    task.stopped_reason = Some(reason.to_string());
    task.last_status = if attached && !bridge {
        "DEACTIVATING"
    } else {
        "STOPPING"
    }
    .to_string();
}

/// One step of a user-initiated stop: DEACTIVATING → STOPPING → STOPPED. Containers that
/// ran exit 0 (a clean SIGTERM shutdown).
pub fn advance_stopping(sim: &mut SimTask, now: DateTime<Utc>) {
    sim.ticks_in_status = 0;
    if sim.task.last_status == "DEACTIVATING" {
        sim.task.last_status = "STOPPING".to_string();
        return;
    }
    let task = &mut sim.task;
    let was_running = task.started_at.is_some();
    task.last_status = "STOPPED".to_string();
    task.stopped_at = Some(now);
    for container in &mut task.containers {
        container.last_status = Some("STOPPED".to_string());
        container.network_bindings.clear();
        container.exit_code = was_running.then_some(0);
    }
}
