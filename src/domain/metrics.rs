//! Utilisation as ecsdeck keeps it: CPU and memory series per service or cluster, the detail
//! pane's ranges, and the colour thresholds.
//!
//! Utilisation for every service of a cluster is one GetMetricData call per 500 queries
//! (two queries a service: CPU and memory), refreshed every 60 s (`poller::metrics`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::elb::BalancerKind;

/// A metric over time, ascending.
pub type Series = Vec<(DateTime<Utc>, f64)>;

/// CPU and memory utilisation (%) of one service or cluster.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Utilisation {
    pub cpu: Series,
    pub memory: Series,
}

impl Utilisation {
    pub fn cpu_now(&self) -> Option<f64> {
        self.cpu.last().map(|p| p.1)
    }
    pub fn memory_now(&self) -> Option<f64> {
        self.memory.last().map(|p| p.1)
    }
}

/// Utilisation by name (service name, or cluster name).
pub type UtilisationMap = HashMap<String, Utilisation>;

/// The detail pane's time ranges (`h` cycles them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Range {
    #[default]
    OneHour,
    SixHours,
    OneDay,
}

impl Range {
    pub fn seconds(self) -> i64 {
        match self {
            Range::OneHour => 3_600,
            Range::SixHours => 6 * 3_600,
            Range::OneDay => 24 * 3_600,
        }
    }

    /// A period that keeps a chart near 60–100 points.
    pub fn period(self) -> i32 {
        match self {
            Range::OneHour => 60,
            Range::SixHours => 300,
            Range::OneDay => 900,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Range::OneHour => "1h",
            Range::SixHours => "6h",
            Range::OneDay => "24h",
        }
    }

    pub fn next(self) -> Range {
        match self {
            Range::OneHour => Range::SixHours,
            Range::SixHours => Range::OneDay,
            Range::OneDay => Range::OneHour,
        }
    }
}

/// The service detail pane's metrics: the service's, and per task when Container Insights
/// is on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceDetail {
    pub service: Utilisation,
    /// Per task id: CPU and memory *used* (CPU units, MiB) from ECS/ContainerInsights.
    pub tasks: Vec<(String, Utilisation)>,
    /// Per target group ARN: the load balancer's signals over the same range.
    pub balancers: Vec<(String, BalancerSeries)>,
}

/// A target group behind a load balancer: what names its CloudWatch metrics.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BalancerTarget {
    pub target_group: String,
    pub load_balancer: String,
    pub kind: BalancerKind,
}

/// A load balancer's signals for one target group. Application load balancers report all
/// of them; network load balancers only the host counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BalancerSeries {
    /// RequestCount (Sum per period).
    pub requests: Series,
    /// HTTPCode_Target_5XX_Count (Sum): errors the tasks answered.
    pub target_5xx: Series,
    /// HTTPCode_ELB_5XX_Count (Sum, per load balancer): errors the load balancer answered
    /// itself, e.g. when no target was healthy.
    pub elb_5xx: Series,
    /// TargetResponseTime p99, seconds.
    pub p99: Series,
    pub unhealthy: Series,
    pub healthy: Series,
}

impl BalancerSeries {
    /// Target 5xx as a percentage of requests over the series; None without requests.
    pub fn error_rate(&self) -> Option<f64> {
        let requests: f64 = self.requests.iter().map(|p| p.1).sum();
        let errors: f64 = self.target_5xx.iter().map(|p| p.1).sum();
        (requests > 0.0).then(|| 100.0 * errors / requests)
    }

    /// The highest p99 over the series, in seconds.
    pub fn worst_p99(&self) -> Option<f64> {
        self.p99.iter().map(|p| p.1).reduce(f64::max)
    }

    /// The latest (unhealthy, healthy) host counts.
    pub fn hosts_now(&self) -> Option<(f64, f64)> {
        let unhealthy = self.unhealthy.last().map(|p| p.1)?;
        let healthy = self.healthy.last().map_or(0.0, |p| p.1);
        Some((unhealthy, healthy))
    }
}

/// Load balancer signals by target group ARN (triage's recent window).
pub type BalancerSignals = std::collections::BTreeMap<String, BalancerSeries>;

/// Thresholds from the config file's `[thresholds]`: utilisation colours (defaults 70 % /
/// 90 %) and when a load balancer's signals become a triage reason.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub warning: f64,
    pub failure: f64,
    /// Target 5xx responses as a percentage of requests (default 1 %).
    pub error_rate: f64,
    /// Target response time p99, in seconds (default 1 s).
    pub p99_latency: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            warning: 70.0,
            failure: 90.0,
            error_rate: 1.0,
            p99_latency: 1.0,
        }
    }
}
