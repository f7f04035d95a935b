//! Utilisation as ecsdeck keeps it: CPU and memory series per service or cluster, the detail
//! pane's ranges, and the colour thresholds.
//!
//! Utilisation for every service of a cluster is one GetMetricData call per 500 queries
//! (two queries a service: CPU and memory), refreshed every 60 s (`poller::metrics`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

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
}

/// Colour thresholds for utilisation, from the config file (defaults 70 % / 90 %).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub warning: f64,
    pub failure: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            warning: 70.0,
            failure: 90.0,
        }
    }
}
