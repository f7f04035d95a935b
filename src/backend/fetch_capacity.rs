//! Batching and paging for `:capacity`: capacity providers 100 names a call, 10 a page;
//! Auto Scaling groups 100 names a call, every page. FARGATE and FARGATE_SPOT are never
//! asked about: their settings are fixed and their names say everything.

use std::future::Future;

use super::autoscaling::{AutoScalingBackend, DESCRIBE_AUTO_SCALING_GROUPS_MAX};
use super::{BackendError, DESCRIBE_CAPACITY_PROVIDERS_MAX, EcsBackend};
use crate::domain::capacity::{AutoScalingGroup, CapacityProvider, is_fargate};

/// A guard against a backend that keeps returning a next token forever.
const MAX_PAGES: usize = 1_000;

/// The providers among `names` that are worth a call: every one but the Fargate two.
pub fn describable(names: &[String]) -> Vec<String> {
    names.iter().filter(|n| !is_fargate(n)).cloned().collect()
}

/// Every capacity provider of `names` (Fargate's left out, see [`describable`]): one
/// DescribeCapacityProviders per 100 names, each followed page by page.
pub async fn capacity_providers(
    backend: &dyn EcsBackend,
    names: &[String],
) -> Result<Vec<CapacityProvider>, BackendError> {
    let names = describable(names);
    every_page(
        &names,
        DESCRIBE_CAPACITY_PROVIDERS_MAX,
        |batch, token| async move {
            let page = backend.describe_capacity_providers(&batch, token).await?;
            Ok((page.providers, page.next_token))
        },
    )
    .await
}

/// Every Auto Scaling group of `names`: one DescribeAutoScalingGroups per 100 names, each
/// followed page by page.
pub async fn auto_scaling_groups(
    backend: &dyn AutoScalingBackend,
    names: &[String],
) -> Result<Vec<AutoScalingGroup>, BackendError> {
    every_page(
        names,
        DESCRIBE_AUTO_SCALING_GROUPS_MAX,
        |batch, token| async move {
            let page = backend.describe_auto_scaling_groups(&batch, token).await?;
            Ok((page.groups, page.next_token))
        },
    )
    .await
}

/// `call` for each batch of at most `max` names, following each batch's next token.
async fn every_page<T, F, Fut>(
    names: &[String],
    max: usize,
    mut call: F,
) -> Result<Vec<T>, BackendError>
where
    F: FnMut(Vec<String>, Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), BackendError>>,
{
    let mut out = Vec::with_capacity(names.len());
    for batch in names.chunks(max.max(1)) {
        let mut token = None;
        for _ in 0..MAX_PAGES {
            let (items, next) = call(batch.to_vec(), token).await?;
            out.extend(items);
            match next {
                Some(next) if !next.is_empty() => token = Some(next),
                _ => break,
            }
        }
    }
    Ok(out)
}
