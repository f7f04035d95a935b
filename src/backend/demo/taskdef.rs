//! Task definitions of the demo fleet: what DescribeTaskDefinition returns for every revision
//! a task or deployment references, with the details engineers look for at 3 a.m. (image tag,
//! environment, secrets' sources, log routing).

use std::collections::BTreeMap;

use super::catalog::{ACCOUNT, REGION, ServiceSpec, Sidecar, Workload, task_definition_arn};
use super::rng::SplitMix64;
use crate::domain::ecs::{
    ContainerDefinition, EnvironmentVariable, LogConfiguration, PortMapping, SecretReference,
    TaskDefinition,
};

const FLUENT_BIT_IMAGE: &str = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0";
const ENVOY_IMAGE: &str = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod";
const DATADOG_IMAGE: &str = "public.ecr.aws/datadog/agent:7.58.1";

/// Everything needed to build one revision.
#[derive(Debug, Clone, Copy)]
pub struct TaskDefinitionInput<'a> {
    /// `prod`, `staging`, `batch`...: used in hostnames, secret paths and tags.
    pub environment: &'a str,
    pub family: &'a str,
    pub revision: i32,
    pub spec: &'a ServiceSpec,
    /// EC2 bridge networking instead of Fargate awsvpc.
    pub ec2: bool,
}

/// Builds a revision. Deterministic in its input alone (not in the fleet's random stream),
/// so the same `family:revision` always has the same image tag.
pub fn build(input: TaskDefinitionInput<'_>) -> TaskDefinition {
    let (cpu, memory) = input.spec.size.cpu_memory();
    let mut containers = vec![app_container(&input, cpu, memory)];
    if let Some(sidecar) = sidecar_container(&input) {
        containers.push(sidecar);
    }
    let role = |kind: &str| format!("arn:aws:iam::{ACCOUNT}:role/{}-{kind}", input.family);
    TaskDefinition {
        task_definition_arn: task_definition_arn(input.family, input.revision),
        family: input.family.to_string(),
        revision: input.revision,
        status: Some("ACTIVE".to_string()),
        cpu: Some(cpu.to_string()),
        memory: Some(memory.to_string()),
        network_mode: Some(if input.ec2 { "bridge" } else { "awsvpc" }.to_string()),
        requires_compatibilities: vec![if input.ec2 { "EC2" } else { "FARGATE" }.to_string()],
        task_role_arn: Some(role("task")),
        execution_role_arn: Some(format!("arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole")),
        container_definitions: containers,
        registered_at: None,
    }
}

/// The image tag of a revision: `2026.11.<revision>-<7 hex>`, stable per `family:revision`.
pub fn image_tag(family: &str, revision: i32) -> String {
    let mut rng = SplitMix64::from_label(&format!("{family}:{revision}"));
    let month = 1 + revision % 12;
    format!("2026.{month}.{revision}-{}", rng.hex(7))
}

fn app_container(input: &TaskDefinitionInput<'_>, cpu: i32, memory: i32) -> ContainerDefinition {
    let spec = input.spec;
    let sidecar_cpu = if spec.sidecar == Sidecar::None || spec.sidecar == Sidecar::Splunk {
        0
    } else {
        cpu / 4
    };
    // One service deploys `:latest` (see `images`: the tag is pushed over after its tasks
    // started); the others deploy a tag per build.
    let tag = if spec.name == super::images::MOVED_TAG_SERVICE {
        "latest".to_string()
    } else {
        image_tag(input.family, input.revision)
    };
    let image = format!(
        "{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{}:{tag}",
        spec.name
    );
    let port_mappings = match spec.workload {
        Workload::Api { port } => vec![PortMapping {
            container_port: Some(port),
            host_port: Some(if input.ec2 { 0 } else { port }),
            protocol: Some("tcp".to_string()),
        }],
        Workload::Batch => vec![PortMapping {
            container_port: Some(9090),
            host_port: Some(0),
            protocol: Some("tcp".to_string()),
        }],
        Workload::Worker => Vec::new(),
    };
    let (entry_point, command) = commands(spec);
    ContainerDefinition {
        name: spec.name.to_string(),
        image,
        cpu: cpu - sidecar_cpu,
        memory: Some(memory * 7 / 8),
        memory_reservation: Some(memory / 2),
        essential: Some(true),
        port_mappings,
        environment: environment(input),
        secrets: secrets(input),
        command,
        entry_point,
        log_configuration: Some(app_log_configuration(input)),
    }
}

/// Workers and batch jobs override the image's command; APIs use the image default.
fn commands(spec: &ServiceSpec) -> (Vec<String>, Vec<String>) {
    let owned = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match spec.workload {
        Workload::Api { .. } => (Vec::new(), Vec::new()),
        Workload::Worker => (
            Vec::new(),
            owned(&["node", "dist/worker.js", "--queue", spec.name]),
        ),
        Workload::Batch => (
            owned(&["/bin/sh", "-c"]),
            vec![format!(
                "exec python -m jobs.run --job {} --concurrency 4",
                spec.name
            )],
        ),
    }
}

fn environment(input: &TaskDefinitionInput<'_>) -> Vec<EnvironmentVariable> {
    let env = input.environment;
    let var = |name: &str, value: String| EnvironmentVariable {
        name: name.to_string(),
        value,
    };
    let mut vars = vec![
        var("APP_ENV", env.to_string()),
        var(
            "LOG_LEVEL",
            if env == "prod" { "info" } else { "debug" }.to_string(),
        ),
        var("AWS_REGION", REGION.to_string()),
        var(
            "DB_HOST",
            format!("{env}-payments.cluster-c9x1b2y3z4w5.{REGION}.rds.amazonaws.com"),
        ),
        var("DB_PORT", "5432".to_string()),
        var("OTEL_SERVICE_NAME", format!("{}-{}", env, input.spec.name)),
    ];
    match input.spec.workload {
        Workload::Api { port } => vars.push(var("PORT", port.to_string())),
        Workload::Worker => vars.push(var(
            "QUEUE_URL",
            format!(
                "https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{env}-{}",
                input.spec.name
            ),
        )),
        Workload::Batch => vars.push(var(
            "RESULTS_BUCKET",
            format!("s3://acme-{env}-batch-results"),
        )),
    }
    if input.spec.sidecar == Sidecar::Datadog {
        vars.push(var("DD_ENV", env.to_string()));
        vars.push(var("DD_SERVICE", input.spec.name.to_string()));
    }
    vars
}

fn secrets(input: &TaskDefinitionInput<'_>) -> Vec<SecretReference> {
    let env = input.environment;
    let name = input.spec.name;
    let mut suffix = SplitMix64::from_label(input.family);
    vec![
        SecretReference {
            name: "DB_PASSWORD".to_string(),
            value_from: format!(
                "arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{env}/{name}/db-password-{}",
                suffix.hex(6)
            ),
        },
        SecretReference {
            name: "API_SIGNING_KEY".to_string(),
            value_from: format!(
                "arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/{env}/{name}/signing-key"
            ),
        },
    ]
}

fn awslogs(family: &str, prefix: &str) -> LogConfiguration {
    let mut options = BTreeMap::new();
    options.insert("awslogs-group".to_string(), format!("/ecs/{family}"));
    options.insert("awslogs-region".to_string(), REGION.to_string());
    options.insert("awslogs-stream-prefix".to_string(), prefix.to_string());
    LogConfiguration {
        log_driver: "awslogs".to_string(),
        options,
    }
}

fn app_log_configuration(input: &TaskDefinitionInput<'_>) -> LogConfiguration {
    match input.spec.sidecar {
        Sidecar::FireLens => {
            let mut options = BTreeMap::new();
            options.insert("Name".to_string(), "cloudwatch_logs".to_string());
            options.insert("region".to_string(), REGION.to_string());
            options.insert(
                "log_group_name".to_string(),
                format!("/ecs/{}", input.family),
            );
            options.insert("log_stream_prefix".to_string(), "firelens/".to_string());
            options.insert("auto_create_group".to_string(), "false".to_string());
            LogConfiguration {
                log_driver: "awsfirelens".to_string(),
                options,
            }
        }
        Sidecar::Splunk => {
            let mut options = BTreeMap::new();
            options.insert(
                "splunk-url".to_string(),
                "https://http-inputs-acme.splunkcloud.com:443".to_string(),
            );
            options.insert("splunk-source".to_string(), input.family.to_string());
            options.insert("splunk-format".to_string(), "json".to_string());
            options.insert("splunk-index".to_string(), "audit".to_string());
            LogConfiguration {
                log_driver: "splunk".to_string(),
                options,
            }
        }
        _ => awslogs(input.family, "ecs"),
    }
}

fn sidecar_container(input: &TaskDefinitionInput<'_>) -> Option<ContainerDefinition> {
    let (cpu, _) = input.spec.size.cpu_memory();
    let base = |name: &str, image: &str| ContainerDefinition {
        name: name.to_string(),
        image: image.to_string(),
        cpu: cpu / 4,
        memory: None,
        memory_reservation: Some(128),
        essential: Some(true),
        log_configuration: Some(awslogs(input.family, name)),
        ..ContainerDefinition::default()
    };
    match input.spec.sidecar {
        Sidecar::None | Sidecar::Splunk => None,
        Sidecar::Envoy => Some(ContainerDefinition {
            port_mappings: vec![PortMapping {
                container_port: Some(9901),
                host_port: Some(if input.ec2 { 0 } else { 9901 }),
                protocol: Some("tcp".to_string()),
            }],
            environment: vec![EnvironmentVariable {
                name: "APPMESH_RESOURCE_ARN".to_string(),
                value: format!(
                    "arn:aws:appmesh:{REGION}:{ACCOUNT}:mesh/{}/virtualNode/{}",
                    input.environment, input.spec.name
                ),
            }],
            ..base("envoy", ENVOY_IMAGE)
        }),
        Sidecar::Datadog => Some(ContainerDefinition {
            essential: Some(false),
            environment: vec![
                EnvironmentVariable {
                    name: "ECS_FARGATE".to_string(),
                    value: (!input.ec2).to_string(),
                },
                EnvironmentVariable {
                    name: "DD_SITE".to_string(),
                    value: "datadoghq.eu".to_string(),
                },
            ],
            secrets: vec![SecretReference {
                name: "DD_API_KEY".to_string(),
                value_from: format!(
                    "arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/{}/datadog/api-key",
                    input.environment
                ),
            }],
            ..base("datadog-agent", DATADOG_IMAGE)
        }),
        Sidecar::FireLens => Some(base("log_router", FLUENT_BIT_IMAGE)),
    }
}

/// The next revision of a family for a new release: same settings, new image tag, as a CI
/// pipeline registers it.
pub fn next_revision(latest: &TaskDefinition) -> TaskDefinition {
    let revision = latest.revision + 1;
    let mut next = latest.clone();
    // Registered when the fleet registers it (the caller knows the fleet's clock).
    next.registered_at = None;
    next.revision = revision;
    next.task_definition_arn = task_definition_arn(&latest.family, revision);
    let tag = image_tag(&latest.family, revision);
    if let Some(app) = next.container_definitions.first_mut()
        && let Some((repository, _)) = app.image.rsplit_once(':')
    {
        app.image = format!("{repository}:{tag}");
    }
    next
}

/// How many revisions before the current one every family keeps, so a roll back has choices.
pub const HISTORY_REVISIONS: i32 = 5;

/// The revisions a family registered before `current` (oldest first, never below 1), each
/// differing the way real release histories do: every one has its own image tag;
/// `OTEL_SERVICE_NAME` was added in `current - 1`; memory was right-sized (halved) in
/// `current - 2`; `LOG_LEVEL` was quietened in `current - 3`.
pub fn history(current: &TaskDefinition) -> Vec<TaskDefinition> {
    let first = (current.revision - HISTORY_REVISIONS).max(1);
    (first..current.revision)
        .map(|revision| earlier_revision(current, revision))
        .collect()
}

fn earlier_revision(current: &TaskDefinition, revision: i32) -> TaskDefinition {
    let back = current.revision - revision;
    let mut old = current.clone();
    let back_days = i64::from(current.revision - revision) * 3;
    old.registered_at = (current.registered_at).map(|t| t - chrono::Duration::days(back_days));
    old.revision = revision;
    old.task_definition_arn = task_definition_arn(&current.family, revision);
    let double_memory = back >= 3;
    if double_memory {
        // Fargate accepts twice the minimum memory for every cpu size.
        let memory = old.memory.as_deref().and_then(|m| m.parse::<i32>().ok());
        old.memory = memory.map(|m| (m * 2).to_string());
    }
    if let Some(app) = old.container_definitions.first_mut() {
        if let Some((repository, _)) = app.image.rsplit_once(':') {
            app.image = format!("{repository}:{}", image_tag(&current.family, revision));
        }
        if back >= 2 {
            app.environment.retain(|v| v.name != "OTEL_SERVICE_NAME");
        }
        if back >= 4
            && let Some(level) = app.environment.iter_mut().find(|v| v.name == "LOG_LEVEL")
        {
            level.value = if level.value == "info" {
                "debug"
            } else {
                "trace"
            }
            .to_string();
        }
        if double_memory {
            app.memory = app.memory.map(|m| m * 2);
            app.memory_reservation = app.memory_reservation.map(|m| m * 2);
        }
    }
    old
}
