//! The vocabulary shared by every layer: ECS, CloudWatch and journal types, the changes
//! ecsdeck can make, backend errors, and the one sanitiser for text that comes from AWS.
//!
//! Nothing here imports another ecsdeck module: the backend maps the SDK into these types,
//! the store keeps them, the views read them.

pub mod capacity;
pub mod console;
pub mod cron;
pub mod diff;
pub mod ecs;
pub mod elb;
pub mod error;
pub mod image;
pub mod journal;
pub mod metrics;
pub mod mutation;
pub mod pending;
pub mod profile;
pub mod scaling;
pub mod session;
pub mod text;

pub use error::{AwsService, BackendError, ErrorKind, Incomplete};
