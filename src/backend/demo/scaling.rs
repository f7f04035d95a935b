//! The demo's service auto scaling: about a third of production has a scalable target with a
//! CPU target-tracking policy; the hot service (fraud-scorer) scaled out during the morning's
//! load, once failing on a throttled UpdateService; payments-worker scales by steps on its
//! queue; web-frontend raises its floor on a schedule. RegisterScalableTarget changes them
//! as Application Auto Scaling does (a new minimum above the desired count raises it).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::DemoFleet;
use super::signals::HOT_SERVICE;
use crate::backend::scaling::{
    DESCRIBE_SCALING_POLICIES_MAX, DESCRIBE_SCHEDULED_ACTIONS_MAX, Listed, TargetChange,
    check_activities,
};
use crate::backend::{BackendError, ErrorKind, ServiceUpdate};
use crate::domain::ecs::arn_tail;
use crate::domain::mutation::scalable_resource_id;
use crate::domain::scaling::{
    PolicyRule, ScalableTarget, ScalingActivity, ScalingPolicy, ScheduledAction, StepAdjustment,
};

/// (cluster, service, min, max, CPU target) of the services that auto scale: about a third
/// of production; session-service's narrow 4..=6 range lets the UI show its "the scaler
/// will undo this" warning on an ordinary scale.
const SCALABLE_TARGETS: &[(&str, &str, i32, i32, f64)] = &[
    ("prod-payments", "checkout-api", 4, 20, 70.0),
    ("prod-payments", "payments-worker", 2, 16, 75.0),
    ("prod-payments", "fraud-scorer", 2, 20, 60.0),
    ("prod-payments", "web-frontend", 6, 30, 70.0),
    ("prod-payments", "card-tokenizer", 2, 12, 70.0),
    ("prod-payments", "api-gateway", 6, 40, 65.0),
    ("prod-payments", "session-service", 4, 6, 70.0),
];

/// One service's auto scaling, as Application Auto Scaling holds it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DemoScaling {
    pub target: ScalableTarget,
    pub policies: Vec<ScalingPolicy>,
    pub scheduled: Vec<ScheduledAction>,
    /// Newest first, as DescribeScalingActivities returns them.
    pub activities: Vec<ScalingActivity>,
}

/// The demo account's targets, by (cluster, service), with their history up to `now`.
pub(super) fn generate(now: DateTime<Utc>) -> BTreeMap<(String, String), DemoScaling> {
    SCALABLE_TARGETS
        .iter()
        .map(|&(cluster, service, min, max, cpu)| {
            let scaling = DemoScaling {
                target: ScalableTarget {
                    min_capacity: min,
                    max_capacity: max,
                    suspended: Default::default(),
                },
                policies: policies(cluster, service, cpu),
                scheduled: scheduled(service),
                activities: activities(cluster, service, min, now),
            };
            ((cluster.to_string(), service.to_string()), scaling)
        })
        .collect()
}

fn policies(cluster: &str, service: &str, cpu: f64) -> Vec<ScalingPolicy> {
    let id = scalable_resource_id(cluster, service);
    let mut out = vec![ScalingPolicy {
        name: format!("{service}-cpu{cpu:.0}"),
        rule: PolicyRule::TargetTracking {
            metric: "ECSServiceAverageCPUUtilization".into(),
            target: cpu,
            scale_in_cooldown: Some(300),
            scale_out_cooldown: Some(60),
            disable_scale_in: false,
        },
        alarms: vec![
            format!("TargetTracking-{id}-AlarmHigh-4f1c9a2e"),
            format!("TargetTracking-{id}-AlarmLow-b83d0e71"),
        ],
    }];
    if service == "payments-worker" {
        out.push(ScalingPolicy {
            name: "payments-worker-queue-depth".into(),
            rule: PolicyRule::Step {
                adjustment_type: Some("ChangeInCapacity".into()),
                cooldown: Some(120),
                steps: vec![
                    StepAdjustment {
                        lower: Some(0.0),
                        upper: Some(500.0),
                        adjustment: 1,
                    },
                    StepAdjustment {
                        lower: Some(500.0),
                        upper: None,
                        adjustment: 3,
                    },
                ],
            },
            alarms: vec!["payments-queue-backlog".into()],
        });
    }
    out
}

fn scheduled(service: &str) -> Vec<ScheduledAction> {
    if service != "web-frontend" {
        return Vec::new();
    }
    let action = |name: &str, schedule: &str, zone: Option<&str>, min: i32| ScheduledAction {
        name: name.into(),
        schedule: schedule.into(),
        timezone: zone.map(str::to_string),
        min_capacity: Some(min),
        max_capacity: Some(30),
        start: None,
        end: None,
    };
    vec![
        action(
            "business-hours-floor",
            "cron(0 7 ? * MON-FRI *)",
            Some("Europe/Dublin"),
            10,
        ),
        action("night-floor", "cron(0 20 ? * * *)", None, 6),
    ]
}

/// The hot service's morning: scale-outs on CPU, one throttled, then its retry; the other
/// targets have one quiet scale-in from the night before.
fn activities(cluster: &str, service: &str, min: i32, now: DateTime<Utc>) -> Vec<ScalingActivity> {
    let id = scalable_resource_id(cluster, service);
    let alarm = |high: bool| {
        let (name, hash) = if high {
            ("AlarmHigh", "4f1c9a2e")
        } else {
            ("AlarmLow", "b83d0e71")
        };
        format!(
            "monitor alarm TargetTracking-{id}-{name}-{hash} in state ALARM triggered policy {service}-cpu"
        )
    };
    let activity = |minutes_ago: i64, count: i32, high: bool, failure: Option<&str>| {
        let start = now - Duration::minutes(minutes_ago);
        ScalingActivity {
            activity_id: format!("{:08x}-demo-{service}-{minutes_ago}", count),
            description: format!("Setting desired count to {count}."),
            cause: alarm(high),
            status: if failure.is_some() { "Failed" } else { "Successful" }.into(),
            status_message: Some(failure.map_or_else(
                || format!("Successfully set desired count to {count}. Change successfully fulfilled by ecs."),
                |reason| format!("Failed to set desired count to {count}. Reason: {reason}"),
            )),
            start: Some(start),
            end: Some(start + Duration::seconds(if failure.is_some() { 2 } else { 48 })),
        }
    };
    if (cluster, service) != HOT_SERVICE {
        return vec![activity(14 * 60, min, false, None)];
    }
    let throttled =
        "Rate exceeded (Service: AmazonECS; Status Code: 400; Error Code: ThrottlingException)";
    vec![
        activity(38, 8, true, None),
        activity(41, 8, true, Some(throttled)),
        activity(52, 7, true, None),
        activity(71, 6, true, None),
        activity(95, 5, true, None),
        activity(9 * 60, 4, false, None),
    ]
}

/// AWS's ValidationException.
fn validation(operation: &'static str, message: impl Into<String>) -> BackendError {
    BackendError::new(ErrorKind::InvalidRequest, operation, message)
}

impl DemoFleet {
    fn scaling_of(&self, cluster: &str, service: &str) -> Option<&DemoScaling> {
        let key = (arn_tail(cluster).to_string(), arn_tail(service).to_string());
        self.scaling.get(&key)
    }

    pub(super) fn scalable_target(&self, cluster: &str, service: &str) -> Option<ScalableTarget> {
        self.scaling_of(cluster, service).map(|s| s.target)
    }

    pub(super) fn scaling_policies(
        &self,
        cluster: &str,
        service: &str,
        next_token: Option<String>,
    ) -> Result<Listed<ScalingPolicy>, BackendError> {
        let all = (self.scaling_of(cluster, service)).map_or(&[][..], |s| &s.policies[..]);
        page(
            all,
            next_token,
            DESCRIBE_SCALING_POLICIES_MAX,
            "DescribeScalingPolicies",
        )
    }

    pub(super) fn scheduled_actions(
        &self,
        cluster: &str,
        service: &str,
        next_token: Option<String>,
    ) -> Result<Listed<ScheduledAction>, BackendError> {
        let all = (self.scaling_of(cluster, service)).map_or(&[][..], |s| &s.scheduled[..]);
        page(
            all,
            next_token,
            DESCRIBE_SCHEDULED_ACTIONS_MAX,
            "DescribeScheduledActions",
        )
    }

    pub(super) fn scaling_activities(
        &self,
        cluster: &str,
        service: &str,
        max_results: usize,
    ) -> Result<Vec<ScalingActivity>, BackendError> {
        check_activities(max_results)?;
        let all = (self.scaling_of(cluster, service)).map_or(&[][..], |s| &s.activities[..]);
        Ok(all.iter().take(max_results).cloned().collect())
    }

    /// RegisterScalableTarget on an existing target: validated whole before anything
    /// changes; a desired count left outside the new range is moved into it, with the
    /// activity Application Auto Scaling records for that.
    pub(super) fn register_scalable_target(
        &mut self,
        cluster: &str,
        service: &str,
        change: &TargetChange,
    ) -> Result<(), BackendError> {
        const OP: &str = "RegisterScalableTarget";
        let key = (arn_tail(cluster).to_string(), arn_tail(service).to_string());
        let Some(current) = self.scaling.get(&key).map(|s| s.target) else {
            return Err(validation(
                OP,
                "ecsdeck's demo changes existing scalable targets only: this service has none.",
            ));
        };
        let min = change.min_capacity.unwrap_or(current.min_capacity);
        let max = change.max_capacity.unwrap_or(current.max_capacity);
        if min < 0 || max < 0 {
            return Err(validation(OP, "Capacities must be 0 or more."));
        }
        if min > max {
            return Err(validation(
                OP,
                "Minimum capacity cannot be greater than maximum capacity",
            ));
        }
        let (c, s) = self.locate_service(cluster, service, OP)?;
        let desired = self.service_mut(c, s).map_or(min, |sv| sv.desired);
        let clamped = desired.clamp(min, max);
        if clamped != desired {
            self.update_service(&ServiceUpdate {
                cluster: key.0.clone(),
                service: key.1.clone(),
                desired_count: Some(clamped),
                ..ServiceUpdate::default()
            })?;
        }
        let now = self.now;
        let Some(scaling) = self.scaling.get_mut(&key) else {
            return Ok(());
        };
        scaling.target.min_capacity = min;
        scaling.target.max_capacity = max;
        if let Some(suspended) = change.suspended {
            scaling.target.suspended = suspended;
        }
        if clamped != desired {
            let activity = range_activity(&key.1, clamped, min, max, now);
            scaling.activities.insert(0, activity);
        }
        Ok(())
    }
}

/// What Application Auto Scaling records when a new range moves the desired count.
fn range_activity(
    service: &str,
    count: i32,
    min: i32,
    max: i32,
    now: DateTime<Utc>,
) -> ScalingActivity {
    ScalingActivity {
        activity_id: format!("range-{service}-{}", now.timestamp()),
        description: format!("Setting desired count to {count}."),
        cause: format!("minimum capacity was set to {min} and maximum capacity to {max}"),
        status: "Successful".into(),
        status_message: Some(format!(
            "Successfully set desired count to {count}. Change successfully fulfilled by ecs."
        )),
        start: Some(now),
        end: Some(now),
    }
}

/// One page of `all`: the token is the offset of the next page.
fn page<T: Clone>(
    all: &[T],
    token: Option<String>,
    size: usize,
    operation: &'static str,
) -> Result<Listed<T>, BackendError> {
    let (items, next_token) = super::window(all, token, size, operation)?;
    Ok(Listed { items, next_token })
}
