//! Shared test support: the moto server the backend and end-to-end tests talk to.

pub mod fault_proxy;
pub mod moto;

pub use fault_proxy::FaultProxy;
pub use moto::Moto;
