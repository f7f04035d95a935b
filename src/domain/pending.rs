//! Changes sent from ecsdeck and not yet observed in what the pollers fetch. Their rows say
//! so (`⟳ scaling → 5`) until the change shows, so nobody acts twice on a change in flight.

use chrono::{DateTime, Utc};

/// A change made from ecsdeck that has not been observed yet; its row says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingChange {
    pub id: u64,
    pub cluster: String,
    /// The service name, the task ARN, the container instance ARN, or the service's
    /// Application Auto Scaling resource id (`service/CLUSTER/SERVICE`).
    pub key: String,
    /// Shown on the row: `scaling → 5`, `rolling back → api:41`, `stopping`.
    pub label: String,
    pub state: PendingState,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingState {
    /// Sent; the executor has not answered yet.
    Sending(Until),
    /// Accepted by ECS; waiting to see it in the next polls.
    Watching(Until),
}

/// What "observed" means for each kind of change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Until {
    /// The service runs exactly this many tasks, as desired.
    Running(i32),
    /// The service's task definition is this one and its rollout has settled.
    TaskDefinition(String),
    /// A deployment other than this primary one has taken over and settled.
    NewDeployment { replaced: Option<String> },
    /// The task is no longer running.
    TaskStopped,
    /// The container instance's status is this one (DRAINING or ACTIVE).
    InstanceStatus(String),
    /// The service's scalable target has this (min, max) range and these suspensions
    /// (None: that part is not being changed).
    ScalableTarget {
        range: Option<(i32, i32)>,
        suspended: Option<crate::domain::scaling::Suspended>,
    },
}
