//! Shared test support. Each integration test binary includes it with `mod support;` and uses
//! only part of it, hence `dead_code` is allowed.
#![allow(dead_code)]

pub mod moto;

pub use moto::Moto;
