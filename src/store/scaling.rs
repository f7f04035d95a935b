//! The store's service auto scaling: policies, scheduled actions and activities of the
//! services whose detail pane is open, and their Spot interruptions, keyed by (cluster,
//! service). (The scalable target itself is `Store::scalable_targets`: the scale dialog reads
//! it too.)

use chrono::{DateTime, Utc};

use super::{Loadable, Payload, Resource, Store, unpack};
use crate::backend::BackendError;
use crate::domain::scaling::{ScalableTarget, ScalingActivity, ScalingPolicy, ScheduledAction};

type ByService<T> = std::collections::HashMap<(String, String), Loadable<T>>;

/// What Application Auto Scaling said about the services shown, besides their targets.
#[derive(Debug, Default)]
pub struct ScalingData {
    pub policies: ByService<Vec<ScalingPolicy>>,
    pub scheduled: ByService<Vec<ScheduledAction>>,
    /// The newest activities, newest first.
    pub activities: ByService<Vec<ScalingActivity>>,
    /// When the service's tasks stopped with `SpotInterruption` (ECS keeps stopped tasks
    /// about an hour).
    pub spot_interruptions: ByService<Vec<DateTime<Utc>>>,
}

fn key(cluster: &str, service: &str) -> (String, String) {
    (cluster.to_string(), service.to_string())
}

impl Store {
    /// The service's scalable target: None while unknown, Some(None) when it has none.
    pub fn scalable_target(&self, cluster: &str, service: &str) -> Option<Option<ScalableTarget>> {
        self.scalable_targets
            .get(&key(cluster, service))
            .and_then(|l| l.value())
            .copied()
    }

    pub(super) fn start_loading_scaling(&mut self, resource: &Resource) {
        let data = &mut self.scaling;
        match resource {
            Resource::ScalingPolicies { cluster, service } => data
                .policies
                .entry(key(cluster, service))
                .or_default()
                .start_loading(),
            Resource::ScheduledActions { cluster, service } => data
                .scheduled
                .entry(key(cluster, service))
                .or_default()
                .start_loading(),
            Resource::ScalingActivities { cluster, service } => data
                .activities
                .entry(key(cluster, service))
                .or_default()
                .start_loading(),
            Resource::SpotInterruptions { cluster, service } => data
                .spot_interruptions
                .entry(key(cluster, service))
                .or_default()
                .start_loading(),
            _ => {}
        }
    }

    pub(super) fn apply_scaling(
        &mut self,
        resource: &Resource,
        result: Result<Payload, BackendError>,
        at: DateTime<Utc>,
    ) {
        let data = &mut self.scaling;
        match resource {
            Resource::ScalingPolicies { cluster, service } => {
                let result = unpack(result, |p| match p {
                    Payload::ScalingPolicies(v) => Some(v),
                    _ => None,
                });
                let entry = data.policies.entry(key(cluster, service)).or_default();
                entry.finish(result, at);
            }
            Resource::ScheduledActions { cluster, service } => {
                let result = unpack(result, |p| match p {
                    Payload::ScheduledActions(v) => Some(v),
                    _ => None,
                });
                let entry = data.scheduled.entry(key(cluster, service)).or_default();
                entry.finish(result, at);
            }
            Resource::ScalingActivities { cluster, service } => {
                let result = unpack(result, |p| match p {
                    Payload::ScalingActivities(v) => Some(v),
                    _ => None,
                });
                let entry = data.activities.entry(key(cluster, service)).or_default();
                entry.finish(result, at);
            }
            Resource::SpotInterruptions { cluster, service } => {
                let result = unpack(result, |p| match p {
                    Payload::SpotInterruptions(v) => Some(v),
                    _ => None,
                });
                let entry = (data.spot_interruptions)
                    .entry(key(cluster, service))
                    .or_default();
                entry.finish(result, at);
            }
            _ => {}
        }
    }
}
