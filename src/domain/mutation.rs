//! Mutations: the actions that change a fleet. Each one can say exactly what it will do, in
//! words and as the equivalent aws CLI command, before it is confirmed.

use serde::Serialize;

use crate::domain::ecs::{InstanceRef, InstanceStatus, arn_tail, task_definition_short};
use crate::domain::scaling::{ScalingDirection, Suspended};

/// The highest desired count ECS accepts for one service.
pub const MAX_DESIRED_COUNT: i64 = 5000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Mutation {
    Scale {
        cluster: String,
        service: String,
        from: i32,
        to: i32,
    },
    Redeploy {
        cluster: String,
        service: String,
        task_definition: String,
    },
    Rollback {
        cluster: String,
        service: String,
        from: String,
        to: String,
    },
    StopTasks {
        cluster: String,
        tasks: Vec<String>,
        reason: String,
    },
    /// Drain (DRAINING) or undrain (ACTIVE) container instances.
    SetInstancesState {
        cluster: String,
        instances: Vec<InstanceRef>,
        status: InstanceStatus,
    },
    /// Change the service's auto scaling range (RegisterScalableTarget min / max).
    SetScalingRange {
        cluster: String,
        service: String,
        from: (i32, i32),
        to: (i32, i32),
    },
    /// Suspend or resume one direction of dynamic scaling (RegisterScalableTarget with the
    /// whole SuspendedState: `suspended` is what is sent, the other flags as they were).
    SetScalingSuspended {
        cluster: String,
        service: String,
        direction: ScalingDirection,
        suspend: bool,
        suspended: Suspended,
    },
    /// Scale outside the auto scaling range: widen the range first (RegisterScalableTarget),
    /// then set the desired count (UpdateService) — two calls, the second only when the
    /// first succeeded, so the scaler never finds the service outside its range.
    ScaleWidening {
        cluster: String,
        service: String,
        from: i32,
        to: i32,
        range_from: (i32, i32),
        range_to: (i32, i32),
    },
}

impl Mutation {
    pub fn cluster(&self) -> &str {
        match self {
            Mutation::Scale { cluster, .. }
            | Mutation::Redeploy { cluster, .. }
            | Mutation::Rollback { cluster, .. }
            | Mutation::StopTasks { cluster, .. }
            | Mutation::SetInstancesState { cluster, .. }
            | Mutation::SetScalingRange { cluster, .. }
            | Mutation::SetScalingSuspended { cluster, .. }
            | Mutation::ScaleWidening { cluster, .. } => cluster,
        }
    }

    /// What is acted on: the service name, or the task ids.
    pub fn target(&self) -> String {
        match self {
            Mutation::Scale { service, .. }
            | Mutation::Redeploy { service, .. }
            | Mutation::Rollback { service, .. }
            | Mutation::SetScalingRange { service, .. }
            | Mutation::SetScalingSuspended { service, .. }
            | Mutation::ScaleWidening { service, .. } => service.clone(),
            Mutation::StopTasks { tasks, .. } => tasks
                .iter()
                .map(|t| arn_tail(t).to_string())
                .collect::<Vec<_>>()
                .join(","),
            Mutation::SetInstancesState { instances, .. } => instances
                .iter()
                .map(InstanceRef::label)
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// The change in one line, exactly: `payments/api desired 3 → 5`.
    pub fn describe(&self) -> String {
        match self {
            Mutation::Scale {
                cluster,
                service,
                from,
                to,
            } => format!("{cluster}/{service} desired {from} → {to}"),
            Mutation::Redeploy {
                cluster,
                service,
                task_definition,
            } => format!(
                "{cluster}/{service} force new deployment of {}",
                task_definition_short(task_definition)
            ),
            Mutation::Rollback {
                cluster,
                service,
                from,
                to,
            } => format!(
                "{cluster}/{service} task definition {} → {}",
                task_definition_short(from),
                task_definition_short(to)
            ),
            Mutation::StopTasks { cluster, tasks, .. } => {
                let ids: Vec<String> = tasks
                    .iter()
                    .map(|t| arn_tail(t).chars().take(8).collect())
                    .collect();
                let noun = if tasks.len() == 1 { "task" } else { "tasks" };
                format!("{cluster}: stop {} {noun} {}", tasks.len(), ids.join(" "))
            }
            Mutation::SetInstancesState {
                cluster,
                instances,
                status,
            } => {
                let verb = match status {
                    InstanceStatus::Draining => "drain",
                    InstanceStatus::Active => "undrain (set ACTIVE)",
                };
                let noun = if instances.len() == 1 {
                    "container instance"
                } else {
                    "container instances"
                };
                let names: Vec<&str> = instances.iter().map(InstanceRef::label).collect();
                format!(
                    "{cluster}: {verb} {} {noun} {}",
                    instances.len(),
                    names.join(" ")
                )
            }
            _ => self.describe_scaling(),
        }
    }

    /// `describe` for the auto scaling changes.
    fn describe_scaling(&self) -> String {
        match self {
            Mutation::SetScalingRange {
                cluster,
                service,
                from,
                to,
            } => format!(
                "{cluster}/{service} auto scaling range {}..{} → {}..{}",
                from.0, from.1, to.0, to.1
            ),
            Mutation::SetScalingSuspended {
                cluster,
                service,
                direction,
                suspend,
                ..
            } => format!(
                "{cluster}/{service} {} dynamic {}",
                if *suspend { "suspend" } else { "resume" },
                direction.label()
            ),
            Mutation::ScaleWidening {
                cluster,
                service,
                from,
                to,
                range_from,
                range_to,
            } => format!(
                "{cluster}/{service} auto scaling range {}..{} → {}..{}, then desired {from} → {to}",
                range_from.0, range_from.1, range_to.0, range_to.1
            ),
            _ => String::new(),
        }
    }

    /// The equivalent aws CLI command(s), for the confirmation dialog and the runbook.
    pub fn cli(&self, profile: Option<&str>, region: &str) -> Vec<String> {
        let mut common = format!(" --region {region}");
        if let Some(p) = profile {
            common.push_str(&format!(" --profile {p}"));
        }
        match self {
            Mutation::Scale {
                cluster,
                service,
                to,
                ..
            } => vec![format!(
                "aws ecs update-service --cluster {cluster} --service {service} --desired-count {to}{common}"
            )],
            Mutation::Redeploy {
                cluster, service, ..
            } => vec![format!(
                "aws ecs update-service --cluster {cluster} --service {service} --force-new-deployment{common}"
            )],
            Mutation::Rollback {
                cluster,
                service,
                to,
                ..
            } => vec![format!(
                "aws ecs update-service --cluster {cluster} --service {service} --task-definition {}{common}",
                task_definition_short(to)
            )],
            Mutation::StopTasks {
                cluster,
                tasks,
                reason,
            } => tasks
                .iter()
                .map(|t| {
                    format!(
                        "aws ecs stop-task --cluster {cluster} --task {} --reason {}{common}",
                        arn_tail(t),
                        shell_quote(reason)
                    )
                })
                .collect(),
            Mutation::SetInstancesState {
                cluster,
                instances,
                status,
            } => instances
                .chunks(UPDATE_CONTAINER_INSTANCES_STATE_MAX)
                .map(|batch| {
                    let ids: Vec<&str> = batch.iter().map(|i| arn_tail(&i.arn)).collect();
                    format!(
                        "aws ecs update-container-instances-state --cluster {cluster} --container-instances {} --status {}{common}",
                        ids.join(" "),
                        status.as_aws()
                    )
                })
                .collect(),
            _ => self.cli_scaling(&common),
        }
    }

    /// `cli` for the auto scaling changes; `common` is ` --region R [--profile P]`.
    fn cli_scaling(&self, common: &str) -> Vec<String> {
        let register = |cluster: &str, service: &str, what: String| {
            format!(
                "aws application-autoscaling register-scalable-target --service-namespace ecs \
                 --scalable-dimension ecs:service:DesiredCount --resource-id {} {what}{common}",
                scalable_resource_id(cluster, service)
            )
        };
        let range = |(min, max): (i32, i32)| format!("--min-capacity {min} --max-capacity {max}");
        match self {
            Mutation::SetScalingRange {
                cluster,
                service,
                to,
                ..
            } => vec![register(cluster, service, range(*to))],
            Mutation::SetScalingSuspended {
                cluster,
                service,
                suspended,
                ..
            } => vec![register(
                cluster,
                service,
                format!(
                    "--suspended-state DynamicScalingInSuspended={},DynamicScalingOutSuspended={},ScheduledScalingSuspended={}",
                    suspended.dynamic_in, suspended.dynamic_out, suspended.scheduled
                ),
            )],
            Mutation::ScaleWidening {
                cluster,
                service,
                to,
                range_to,
                ..
            } => vec![
                register(cluster, service, range(*range_to)),
                format!(
                    "aws ecs update-service --cluster {cluster} --service {service} --desired-count {to}{common}"
                ),
            ],
            _ => Vec::new(),
        }
    }
}

/// Application Auto Scaling's resource id of a service: `service/CLUSTER/SERVICE`, by
/// names (ARNs are reduced to their last segment).
pub fn scalable_resource_id(cluster: &str, service: &str) -> String {
    format!("service/{}/{}", arn_tail(cluster), arn_tail(service))
}

/// AWS's limit on UpdateContainerInstancesState: the executor sends batches of this many,
/// and the CLI equivalent is one command per batch.
pub const UPDATE_CONTAINER_INSTANCES_STATE_MAX: usize = 10;

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// Parses what was typed in the scale field. Anything but a whole number from 0 to 5000
/// is refused with the reason, so no call is ever made with it.
pub fn parse_desired_count(text: &str) -> Result<i32, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("Type the new desired count (a whole number from 0 to 5000).".into());
    }
    if trimmed.chars().any(|c| c.is_control()) {
        return Err("The count must be on one line.".into());
    }
    if trimmed.starts_with('-') {
        return Err(format!("{trimmed} is negative: the count is 0 to 5000."));
    }
    if !trimmed.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "\"{}\" is not a whole number: use digits only, 0 to 5000.",
            crate::domain::text::clean(trimmed)
        ));
    }
    match trimmed.parse::<i64>() {
        Ok(n) if n <= MAX_DESIRED_COUNT => Ok(n as i32),
        _ => Err(format!(
            "{trimmed} is above ECS's limit of {MAX_DESIRED_COUNT} tasks per service."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_says_exactly_what_changes() {
        let m = Mutation::Scale {
            cluster: "payments".into(),
            service: "api".into(),
            from: 3,
            to: 5,
        };
        assert_eq!(m.describe(), "payments/api desired 3 → 5");
        assert_eq!(
            m.cli(Some("prod"), "eu-west-1"),
            vec![
                "aws ecs update-service --cluster payments --service api --desired-count 5 --region eu-west-1 --profile prod"
            ]
        );
    }

    #[test]
    fn stop_reason_is_quoted_for_the_shell() {
        let m = Mutation::StopTasks {
            cluster: "c".into(),
            tasks: vec!["arn:aws:ecs:r:1:task/c/abc".into()],
            reason: "it's stuck".into(),
        };
        assert_eq!(
            m.cli(None, "r")[0],
            "aws ecs stop-task --cluster c --task abc --reason 'it'\\''s stuck' --region r"
        );
    }

    #[test]
    fn bad_counts_are_refused_with_a_reason() {
        for bad in [
            "",
            "  ",
            "abc",
            "-1",
            "5001",
            "2.5",
            "1e3",
            "99999999999999999999",
            "3\n4",
            "5 tasks",
            "+5",
            "0x10",
        ] {
            assert!(parse_desired_count(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(parse_desired_count(" 7 "), Ok(7));
        assert_eq!(parse_desired_count("0"), Ok(0));
        assert_eq!(parse_desired_count("5000"), Ok(5000));
        assert_eq!(parse_desired_count("007"), Ok(7));
    }
}
