//! The demo fleet's cast: clusters and services an on-call engineer would recognise, with the
//! few that misbehave picked on purpose so every state the UI must show is on screen.

use super::rng::SplitMix64;

/// The account and region every demo ARN lives in.
pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "eu-west-1";
pub const AVAILABILITY_ZONES: [&str; 3] = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

/// The ASG capacity provider of the EC2 cluster.
pub const ASG_PROVIDER: &str = "batch-ec2-asg";

/// What a service does, which decides ports, health checks and commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Behind a load balancer, with a container health check.
    Api { port: i32 },
    /// Consumes a queue: no port, no load balancer.
    Worker,
    /// A batch job runner on EC2 (bridge networking).
    Batch,
}

/// The helper container next to the app container, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sidecar {
    None,
    Envoy,
    Datadog,
    /// A FireLens `log_router`; the app container then logs through `awsfirelens`.
    FireLens,
    /// No sidecar, but the app container ships its logs with the `splunk` driver.
    Splunk,
}

/// How a service behaves in the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    Steady,
    /// A rolling deployment that replaces tasks over a few ticks, then completes.
    RolloutInProgress,
    /// A rolling deployment whose new tasks fail (ELB health checks behind a load balancer,
    /// exit code 1 elsewhere) until the circuit breaker trips.
    RolloutFailing,
    /// One task slot keeps being killed by the OOM killer shortly after it starts.
    CrashLoop,
    /// Only `placed` tasks fit on the cluster's instances.
    CannotPlace {
        placed: i32,
    },
}

/// Task size (cpu units, MiB), as Fargate accepts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    S,
    M,
    L,
    Xl,
}

impl Size {
    pub fn cpu_memory(self) -> (i32, i32) {
        match self {
            Size::S => (256, 512),
            Size::M => (512, 1024),
            Size::L => (1024, 2048),
            Size::Xl => (2048, 4096),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct ServiceSpec {
    pub name: &'static str,
    pub desired: i32,
    pub workload: Workload,
    pub sidecar: Sidecar,
    pub size: Size,
    pub special: Special,
}

const fn svc(
    name: &'static str,
    desired: i32,
    workload: Workload,
    sidecar: Sidecar,
    size: Size,
) -> ServiceSpec {
    ServiceSpec {
        name,
        desired,
        workload,
        sidecar,
        size,
        special: Special::Steady,
    }
}

const fn special(spec: ServiceSpec, special: Special) -> ServiceSpec {
    ServiceSpec { special, ..spec }
}

/// How a cluster runs its tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterKind {
    /// Fargate with FARGATE + FARGATE_SPOT; half the services use launchType FARGATE.
    Production,
    /// Fargate, FARGATE_SPOT-heavy default strategy.
    Staging,
    /// EC2 instances from an Auto Scaling group, bridge networking.
    Ec2Batch,
}

#[derive(Debug, Clone, Copy)]
pub struct ClusterSpec {
    pub name: &'static str,
    pub kind: ClusterKind,
    /// Second octet of the cluster's VPC (10.X.0.0/16), so IPs tell clusters apart.
    pub vpc_octet: u8,
    pub services: &'static [ServiceSpec],
}

use Sidecar as Sc;
use Size::{L, M, S, Xl};
use Workload::{Api, Batch, Worker};

const PROD_SERVICES: &[ServiceSpec] = &[
    special(
        svc("checkout-api", 10, Api { port: 8080 }, Sc::Envoy, M),
        Special::RolloutInProgress,
    ),
    svc("payments-worker", 8, Worker, Sc::Datadog, L),
    special(
        svc("ledger-sync", 4, Api { port: 8080 }, Sc::Datadog, M),
        Special::RolloutFailing,
    ),
    svc("fraud-scorer", 8, Api { port: 9000 }, Sc::Envoy, Xl),
    svc("web-frontend", 12, Api { port: 3000 }, Sc::FireLens, M),
    special(
        svc("notification-sender", 4, Worker, Sc::None, S),
        Special::CrashLoop,
    ),
    svc("refund-processor", 3, Worker, Sc::Datadog, M),
    svc("invoice-renderer", 2, Worker, Sc::None, L),
    svc("card-tokenizer", 8, Api { port: 8443 }, Sc::Envoy, M),
    svc("payout-scheduler", 2, Worker, Sc::None, S),
    svc("webhook-dispatcher", 5, Worker, Sc::Datadog, S),
    svc("risk-rules-engine", 4, Api { port: 8080 }, Sc::Envoy, L),
    svc("currency-rates", 2, Api { port: 8080 }, Sc::None, S),
    svc("merchant-portal", 4, Api { port: 3000 }, Sc::FireLens, M),
    svc("settlement-batcher", 2, Worker, Sc::Datadog, L),
    svc("audit-log-shipper", 3, Worker, Sc::Splunk, S),
    svc("api-gateway", 12, Api { port: 8080 }, Sc::Envoy, M),
    svc("session-service", 6, Api { port: 8080 }, Sc::Datadog, S),
    svc("kyc-verifier", 4, Api { port: 8080 }, Sc::Datadog, M),
    svc("chargeback-handler", 3, Worker, Sc::None, M),
];

const STAGING_SERVICES: &[ServiceSpec] = &[
    svc("checkout-api", 2, Api { port: 8080 }, Sc::Envoy, M),
    svc("payments-worker", 2, Worker, Sc::Datadog, M),
    svc("web-frontend", 2, Api { port: 3000 }, Sc::FireLens, S),
    svc("fraud-scorer", 1, Api { port: 9000 }, Sc::None, L),
    svc("notification-sender", 1, Worker, Sc::None, S),
    svc("ledger-sync", 1, Worker, Sc::None, S),
    svc("merchant-portal", 1, Api { port: 3000 }, Sc::None, S),
    svc("api-gateway", 2, Api { port: 8080 }, Sc::Envoy, S),
    svc("session-service", 1, Api { port: 8080 }, Sc::None, S),
    svc("feature-flags", 1, Api { port: 8080 }, Sc::None, S),
    svc("search-indexer", 2, Worker, Sc::Datadog, M),
    svc("email-preview", 1, Api { port: 8025 }, Sc::None, S),
    svc("load-generator", 3, Worker, Sc::None, S),
    svc("mock-bank", 1, Api { port: 8080 }, Sc::None, S),
];

const BATCH_SERVICES: &[ServiceSpec] = &[
    svc("report-generator", 4, Batch, Sc::Datadog, L),
    svc("etl-nightly", 3, Batch, Sc::None, L),
    svc("image-resizer", 10, Batch, Sc::None, M),
    svc("pdf-exporter", 4, Batch, Sc::None, M),
    svc("data-lake-loader", 3, Batch, Sc::Datadog, L),
    svc("reconciliation-job", 2, Batch, Sc::None, M),
    special(
        svc("ml-feature-builder", 6, Batch, Sc::None, Xl),
        Special::CannotPlace { placed: 4 },
    ),
    svc("clamav-scanner", 2, Batch, Sc::None, M),
    svc("log-compactor", 2, Batch, Sc::None, S),
];

/// The three clusters of the demo account.
pub const CLUSTERS: &[ClusterSpec] = &[
    ClusterSpec {
        name: "prod-payments",
        kind: ClusterKind::Production,
        vpc_octet: 20,
        services: PROD_SERVICES,
    },
    ClusterSpec {
        name: "staging",
        kind: ClusterKind::Staging,
        vpc_octet: 30,
        services: STAGING_SERVICES,
    },
    ClusterSpec {
        name: "batch-ec2",
        kind: ClusterKind::Ec2Batch,
        vpc_octet: 40,
        services: BATCH_SERVICES,
    },
];

/// EC2 container instances registered in the batch cluster.
pub const BATCH_INSTANCES: usize = 7;

pub fn cluster_arn(cluster: &str) -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{cluster}")
}

pub fn service_arn(cluster: &str, service: &str) -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/{cluster}/{service}")
}

pub fn task_arn(cluster: &str, id: &str) -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task/{cluster}/{id}")
}

pub fn task_definition_arn(family: &str, revision: i32) -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{family}:{revision}")
}

pub fn target_group_arn(name: &str, id: &str) -> String {
    format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{name}/{id}")
}

/// The application load balancer in front of a cluster's load-balanced services. Its id is
/// derived from the cluster's name, not drawn from the fleet's generator, so the balancer is
/// the same whatever else the seed changes (as a real one outlives deployments).
pub fn load_balancer_arn(cluster: &str) -> String {
    let id = SplitMix64::from_label(&format!("loadbalancer/{cluster}")).hex(16);
    format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/{cluster}-alb/{id}")
}

/// The balancer's DNS name, as ELB forms it: `NAME-DIGITS.REGION.elb.amazonaws.com`.
pub fn load_balancer_dns_name(cluster: &str) -> String {
    let digits = SplitMix64::from_label(&format!("dns/{cluster}")).digits(10);
    format!("{cluster}-alb-{digits}.{REGION}.elb.amazonaws.com")
}

/// The `index`-th container instance of an EC2 cluster, stable for the cluster's name.
pub fn container_instance_arn(cluster: &str, index: usize) -> String {
    let id = SplitMix64::from_label(&format!("container-instance/{cluster}/{index}")).hex(32);
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:container-instance/{cluster}/{id}")
}

/// The EC2 instance id behind the `index`-th container instance of a cluster.
pub fn ec2_instance_id(cluster: &str, index: usize) -> String {
    let id = SplitMix64::from_label(&format!("ec2-instance/{cluster}/{index}")).hex(17);
    format!("i-{id}")
}
