//! Shared test support: the moto server the backend and end-to-end tests talk to.

pub mod moto;

pub use moto::Moto;
