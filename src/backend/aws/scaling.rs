//! The SDK's Application Auto Scaling: the service's scalable target, policies, scheduled
//! actions and activities, and RegisterScalableTarget (never retried). Every request names
//! the service's resource id and the desired-count dimension.

use async_trait::async_trait;
use aws_sdk_applicationautoscaling::types::{
    ScalableDimension, ServiceNamespace, StepScalingPolicyConfiguration, SuspendedState,
    TargetTrackingScalingPolicyConfiguration,
};

use super::AwsBackend;
use super::errors::classify;
use super::mapping::time;
use crate::backend::BackendError;
use crate::backend::scaling::{
    DESCRIBE_SCALING_POLICIES_MAX, DESCRIBE_SCHEDULED_ACTIONS_MAX, Listed, ScalingBackend,
    TargetChange, check_activities,
};
use crate::domain::mutation::scalable_resource_id;
use crate::domain::scaling::{
    PolicyRule, ScalableTarget, ScalingActivity, ScalingPolicy, ScheduledAction, StepAdjustment,
    Suspended,
};

#[async_trait]
impl ScalingBackend for AwsBackend {
    async fn describe_scalable_targets(
        &self,
        cluster: &str,
        service: &str,
    ) -> Result<Option<ScalableTarget>, BackendError> {
        let out = self
            .autoscaling
            .describe_scalable_targets()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_ids(scalable_resource_id(cluster, service))
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .send()
            .await
            .map_err(|e| classify("DescribeScalableTargets", &e, self.ctx(Some(cluster))))?;
        Ok(out.scalable_targets().first().map(|target| ScalableTarget {
            min_capacity: target.min_capacity(),
            max_capacity: target.max_capacity(),
            suspended: target.suspended_state().map(suspended).unwrap_or_default(),
        }))
    }

    async fn describe_scaling_policies(
        &self,
        cluster: &str,
        service: &str,
        next_token: Option<String>,
    ) -> Result<Listed<ScalingPolicy>, BackendError> {
        let out = self
            .autoscaling
            .describe_scaling_policies()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id(scalable_resource_id(cluster, service))
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .max_results(DESCRIBE_SCALING_POLICIES_MAX as i32)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| classify("DescribeScalingPolicies", &e, self.ctx(Some(cluster))))?;
        let items = out.scaling_policies().iter().map(policy).collect();
        Ok(Listed {
            items,
            next_token: out.next_token().map(str::to_string),
        })
    }

    async fn describe_scheduled_actions(
        &self,
        cluster: &str,
        service: &str,
        next_token: Option<String>,
    ) -> Result<Listed<ScheduledAction>, BackendError> {
        let out = self
            .autoscaling
            .describe_scheduled_actions()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id(scalable_resource_id(cluster, service))
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .max_results(DESCRIBE_SCHEDULED_ACTIONS_MAX as i32)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| classify("DescribeScheduledActions", &e, self.ctx(Some(cluster))))?;
        let items = out
            .scheduled_actions()
            .iter()
            .map(|a| ScheduledAction {
                name: a.scheduled_action_name().to_string(),
                schedule: a.schedule().to_string(),
                timezone: a.timezone().map(str::to_string),
                min_capacity: a.scalable_target_action().and_then(|t| t.min_capacity()),
                max_capacity: a.scalable_target_action().and_then(|t| t.max_capacity()),
                start: time(a.start_time()),
                end: time(a.end_time()),
            })
            .collect();
        Ok(Listed {
            items,
            next_token: out.next_token().map(str::to_string),
        })
    }

    async fn describe_scaling_activities(
        &self,
        cluster: &str,
        service: &str,
        max_results: usize,
    ) -> Result<Vec<ScalingActivity>, BackendError> {
        check_activities(max_results)?;
        let out = self
            .autoscaling
            .describe_scaling_activities()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id(scalable_resource_id(cluster, service))
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .max_results(max_results as i32)
            .send()
            .await
            .map_err(|e| classify("DescribeScalingActivities", &e, self.ctx(Some(cluster))))?;
        Ok(out
            .scaling_activities()
            .iter()
            .map(|a| ScalingActivity {
                activity_id: a.activity_id().to_string(),
                description: a.description().to_string(),
                cause: a.cause().to_string(),
                status: a.status_code().as_str().to_string(),
                status_message: a.status_message().map(str::to_string),
                start: time(Some(a.start_time())),
                end: time(a.end_time()),
            })
            .collect())
    }

    async fn register_scalable_target(
        &self,
        cluster: &str,
        service: &str,
        change: &TargetChange,
    ) -> Result<(), BackendError> {
        // A mutation: one attempt, whatever the client's retry settings.
        let no_retries = aws_sdk_applicationautoscaling::config::Builder::default()
            .retry_config(aws_config::retry::RetryConfig::disabled());
        let state = change.suspended.map(|s| {
            SuspendedState::builder()
                .dynamic_scaling_in_suspended(s.dynamic_in)
                .dynamic_scaling_out_suspended(s.dynamic_out)
                .scheduled_scaling_suspended(s.scheduled)
                .build()
        });
        self.autoscaling
            .register_scalable_target()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id(scalable_resource_id(cluster, service))
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .set_min_capacity(change.min_capacity)
            .set_max_capacity(change.max_capacity)
            .set_suspended_state(state)
            .customize()
            .config_override(no_retries)
            .send()
            .await
            .map(drop)
            .map_err(|e| classify("RegisterScalableTarget", &e, self.ctx(Some(cluster))))
    }
}

fn suspended(state: &SuspendedState) -> Suspended {
    Suspended {
        dynamic_in: state.dynamic_scaling_in_suspended().unwrap_or(false),
        dynamic_out: state.dynamic_scaling_out_suspended().unwrap_or(false),
        scheduled: state.scheduled_scaling_suspended().unwrap_or(false),
    }
}

fn policy(p: &aws_sdk_applicationautoscaling::types::ScalingPolicy) -> ScalingPolicy {
    let rule = match (
        p.target_tracking_scaling_policy_configuration(),
        p.step_scaling_policy_configuration(),
    ) {
        (Some(tracking), _) => target_tracking(tracking),
        (None, Some(step)) => step_scaling(step),
        (None, None) => PolicyRule::Other(p.policy_type().as_str().to_string()),
    };
    ScalingPolicy {
        name: p.policy_name().to_string(),
        rule,
        alarms: p
            .alarms()
            .iter()
            .map(|a| a.alarm_name().to_string())
            .collect(),
    }
}

fn target_tracking(c: &TargetTrackingScalingPolicyConfiguration) -> PolicyRule {
    let metric = match (
        c.predefined_metric_specification(),
        c.customized_metric_specification(),
    ) {
        (Some(predefined), _) => predefined.predefined_metric_type().as_str().to_string(),
        (None, Some(custom)) => match (custom.namespace(), custom.metric_name()) {
            (Some(namespace), Some(name)) => format!("{namespace} {name}"),
            // Metric math (`metrics`) has no single name.
            _ => "a customized metric".to_string(),
        },
        (None, None) => "an unnamed metric".to_string(),
    };
    PolicyRule::TargetTracking {
        metric,
        target: c.target_value(),
        scale_in_cooldown: c.scale_in_cooldown(),
        scale_out_cooldown: c.scale_out_cooldown(),
        disable_scale_in: c.disable_scale_in().unwrap_or(false),
    }
}

fn step_scaling(c: &StepScalingPolicyConfiguration) -> PolicyRule {
    PolicyRule::Step {
        adjustment_type: c.adjustment_type().map(|t| t.as_str().to_string()),
        cooldown: c.cooldown(),
        steps: c
            .step_adjustments()
            .iter()
            .map(|s| StepAdjustment {
                lower: s.metric_interval_lower_bound(),
                upper: s.metric_interval_upper_bound(),
                adjustment: s.scaling_adjustment(),
            })
            .collect(),
    }
}
