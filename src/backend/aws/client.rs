//! SDK configuration: the standard credential/region chain, one attempt per call, timeouts.
//!
//! Nothing here touches the network. Credentials are resolved lazily by the SDK on the first
//! call, so an expired SSO session shows up as an error in the view that needed it instead of
//! keeping the dashboard from starting.

use std::time::Duration;

use aws_config::meta::region::RegionProviderChain;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use super::AwsOptions;
use crate::backend::Connection;

/// Attempts per call: one. The poller is the retry loop: a failed fetch keeps the last good
/// data on screen and is tried again one interval later (with jitter), so a fault never
/// multiplies the request rate. SDK retries would: three attempts per poll against a
/// throttled account, and in adaptive mode a client-side rate limiter that delays retries
/// past the operation timeout, turning sustained throttling into "timed out" (measured:
/// within half a minute every failure read as Unreachable, and recovery took 10–40 s).
const MAX_ATTEMPTS: u32 = 1;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const OPERATION_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(15);

pub(super) const NO_REGION: &str =
    "No AWS region: pass --region or set AWS_REGION (or region in ~/.aws/config).";

/// What [`load`] resolved.
pub(super) struct Loaded {
    pub config: SdkConfig,
    pub connection: Connection,
    /// The endpoint to name in "cannot reach" messages: the custom one, or AWS's regional one.
    pub endpoint_label: String,
}

pub(super) async fn load(opts: &AwsOptions) -> Result<Loaded, String> {
    let region = resolve_region(opts)
        .await
        .ok_or_else(|| NO_REGION.to_string())?;

    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        // An explicit region means the loader never falls back to IMDS (a network call).
        .region(region.clone())
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(OPERATION_ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        );
    if let Some(profile) = &opts.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;

    let endpoint = opts
        .endpoint_url
        .clone()
        .or_else(configured_endpoint_from_env)
        .or_else(|| config.endpoint_url().map(str::to_string));
    let endpoint_label = endpoint
        .clone()
        .unwrap_or_else(|| format!("https://ecs.{region}.amazonaws.com"));
    let profile = opts
        .profile
        .clone()
        .or_else(|| non_empty_env("AWS_PROFILE"));
    let connection = Connection {
        profile,
        region: region.to_string(),
        endpoint,
        demo: false,
    };
    Ok(Loaded {
        config,
        connection,
        endpoint_label,
    })
}

/// The flag wins; otherwise the environment, then the profile file. Deliberately not IMDS:
/// on a laptop it would stall for seconds before failing.
async fn resolve_region(opts: &AwsOptions) -> Option<Region> {
    if let Some(region) = opts.region.as_deref().filter(|r| !r.is_empty()) {
        return Some(Region::new(region.to_string()));
    }
    let mut profile_region = aws_config::profile::ProfileFileRegionProvider::builder();
    if let Some(profile) = &opts.profile {
        profile_region = profile_region.profile_name(profile);
    }
    RegionProviderChain::first_try(
        aws_config::environment::EnvironmentVariableRegionProvider::new(),
    )
    .or_else(profile_region.build())
    .region()
    .await
}

/// `AWS_ENDPOINT_URL_ECS` or `AWS_ENDPOINT_URL`, as the SDK itself reads them.
fn configured_endpoint_from_env() -> Option<String> {
    if non_empty_env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return None;
    }
    non_empty_env("AWS_ENDPOINT_URL_ECS").or_else(|| non_empty_env("AWS_ENDPOINT_URL"))
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}
