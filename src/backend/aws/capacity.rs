//! The SDK's capacity calls: ECS DescribeCapacityProviders and EC2 Auto Scaling
//! DescribeAutoScalingGroups, each mapped to domain types here (kept out of `mapping.rs`,
//! which holds the ECS task and service shapes).

use async_trait::async_trait;
use aws_sdk_autoscaling::types::{AutoScalingGroup as SdkGroup, LifecycleState};
use aws_sdk_ecs::types::CapacityProvider as SdkProvider;

use super::AwsBackend;
use super::errors::classify;
use crate::backend::autoscaling::{AutoScalingBackend, AutoScalingGroupPage, check_batch};
use crate::backend::{
    BackendError, CAPACITY_PROVIDERS_PAGE_MAX, CapacityProviderPage,
    DESCRIBE_CAPACITY_PROVIDERS_MAX, ErrorKind,
};
use crate::domain::capacity::{
    AutoScalingGroup, AutoScalingGroupProvider, CapacityProvider, ManagedScaling,
};

impl AwsBackend {
    /// DescribeCapacityProviders (see `EcsBackend::describe_capacity_providers`).
    pub(super) async fn capacity_providers(
        &self,
        names: &[String],
        next_token: Option<String>,
    ) -> Result<CapacityProviderPage, BackendError> {
        const OP: &str = "DescribeCapacityProviders";
        if names.len() > DESCRIBE_CAPACITY_PROVIDERS_MAX {
            return Err(BackendError::new(
                ErrorKind::InvalidRequest,
                OP,
                format!("at most {DESCRIBE_CAPACITY_PROVIDERS_MAX} capacity providers per call"),
            ));
        }
        let out = self
            .ecs
            .describe_capacity_providers()
            .set_capacity_providers(Some(names.to_vec()))
            .max_results(CAPACITY_PROVIDERS_PAGE_MAX as i32)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| classify(OP, &e, self.ctx(None)))?;
        // Providers that do not exist come back under `failures` (MISSING): left out.
        Ok(CapacityProviderPage {
            providers: out.capacity_providers().iter().map(provider).collect(),
            next_token: out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        })
    }
}

#[async_trait]
impl AutoScalingBackend for AwsBackend {
    async fn describe_auto_scaling_groups(
        &self,
        names: &[String],
        next_token: Option<String>,
    ) -> Result<AutoScalingGroupPage, BackendError> {
        check_batch(names)?;
        let out = self
            .ec2_autoscaling
            .describe_auto_scaling_groups()
            .set_auto_scaling_group_names(Some(names.to_vec()))
            // 100 raises the names allowed per call from 50 to 100 too.
            .max_records(crate::backend::autoscaling::DESCRIBE_AUTO_SCALING_GROUPS_MAX as i32)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| classify("DescribeAutoScalingGroups", &e, self.ctx(None)))?;
        Ok(AutoScalingGroupPage {
            groups: out.auto_scaling_groups().iter().map(group).collect(),
            next_token: out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        })
    }
}

fn provider(p: &SdkProvider) -> CapacityProvider {
    let text = |s: Option<&str>| s.map(str::to_string);
    CapacityProvider {
        name: p.name().unwrap_or_default().to_string(),
        capacity_provider_arn: text(p.capacity_provider_arn()),
        status: p.status().map(|s| s.as_str().to_string()),
        kind: p.r#type().map(|t| t.as_str().to_string()),
        update_status: p.update_status().map(|s| s.as_str().to_string()),
        auto_scaling_group: p
            .auto_scaling_group_provider()
            .map(|g| AutoScalingGroupProvider {
                auto_scaling_group_arn: g.auto_scaling_group_arn().to_string(),
                managed_scaling: g.managed_scaling().map(|m| ManagedScaling {
                    status: m.status().map(|s| s.as_str().to_string()),
                    target_capacity: m.target_capacity(),
                    minimum_scaling_step_size: m.minimum_scaling_step_size(),
                    maximum_scaling_step_size: m.maximum_scaling_step_size(),
                    instance_warmup_period: m.instance_warmup_period(),
                }),
                managed_termination_protection: g
                    .managed_termination_protection()
                    .map(|t| t.as_str().to_string()),
                managed_draining: g.managed_draining().map(|d| d.as_str().to_string()),
            }),
    }
}

fn group(g: &SdkGroup) -> AutoScalingGroup {
    let count = |wanted: &dyn Fn(&LifecycleState) -> bool| {
        let n = (g.instances().iter())
            .filter(|i| i.lifecycle_state().is_some_and(wanted))
            .count();
        i32::try_from(n).unwrap_or(i32::MAX)
    };
    let in_service = count(&|s| *s == LifecycleState::InService);
    // Pending and its warm-up sub-states (Pending:Wait, Pending:Proceed): capacity coming.
    let pending = count(&|s| s.as_str().starts_with("Pending"));
    let total = i32::try_from(g.instances().len()).unwrap_or(i32::MAX);
    AutoScalingGroup {
        name: g.auto_scaling_group_name().unwrap_or_default().to_string(),
        arn: g.auto_scaling_group_arn().map(str::to_string),
        min_size: g.min_size().unwrap_or_default(),
        desired_capacity: g.desired_capacity().unwrap_or_default(),
        max_size: g.max_size().unwrap_or_default(),
        in_service,
        pending,
        other: (total - in_service - pending).max(0),
    }
}
