//! ecsdeck: a terminal dashboard for operating Amazon ECS.
pub mod backend;
pub mod store;
