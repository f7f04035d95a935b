//! Shared test support: the moto server the backend and end-to-end tests talk to.

#[macro_use]
pub mod doubles;
pub mod fault_proxy;
pub mod moto;

pub use fault_proxy::FaultProxy;
pub use moto::Moto;

use ecsdeck::backend::Connection;
use ecsdeck::backend::aws::{AwsBackend, AwsOptions};

/// The shared moto server, with the process environment (credentials, config files)
/// pointed at it.
pub fn moto() -> &'static Moto {
    let moto = Moto::shared();
    moto.install_aws_env();
    moto
}

/// The AWS backend against `endpoint` (moto, or a fault proxy in front of it), in us-east-1.
pub async fn connect(endpoint: &str) -> (AwsBackend, Connection) {
    AwsBackend::connect(&AwsOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.to_string()),
    })
    .await
    .expect("connect needs no network")
}

/// The AWS backend against a moto server.
pub async fn backend(moto: &Moto) -> AwsBackend {
    connect(&moto.endpoint).await.0
}
