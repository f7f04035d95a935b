//! ecsdeck's integration tests, as one test binary: the AWS SDK is linked once, and the
//! shared support (moto, fixtures) is compiled once.
//!
//! - `update_navigation`, `operations`, `logs_pane`, `metrics_triage`, `console_copy`:
//!   messages through `update`, state and commands out.
//! - `snapshots`: every view and dialog rendered on a `TestBackend` (insta).
//! - `aws_*_moto`: the AWS backend over the wire against moto.
//! - `polling_budget`, `log_tailer`: API cost, measured with the counting wrapper.
//! - `e2e_tmux`, `e2e_console_copy`: the built binary in tmux, driven by keys.
//! - `faults`: a fault-injecting proxy between ecsdeck and moto (throttling, 5xx, hangs,
//!   resets, garbage, the endpoint down, expired credentials, access denied).
//! - `partial`: a bad record or a failed later page never blanks a view.
//! - `properties`: random keys, config text and log lines over many seeded inputs.
//! - `architecture`: the module layering stays one-way.
//! - `screenshots`: the README's screenshots (`screenshots/*.svg`) are what the code draws.

// Tests may unwrap and panic: a failed expectation is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod fixture;
#[macro_use]
mod support;

mod alarms_budget;
mod architecture;
mod aws_backend_moto;
mod aws_capacity_moto;
mod aws_elb_moto;
mod aws_instances_moto;
mod aws_logs_moto;
mod aws_metrics_moto;
mod aws_scaling_moto;
mod balancing_views;
mod capacity;
mod capacity_e2e;
mod cli;
mod console_copy;
mod context_switch;
mod context_switch_e2e;
mod describe_full;
mod e2e_console_copy;
mod e2e_tmux;
mod exec_e2e;
mod exec_update;
mod faults;
mod images_ecr;
mod instances;
mod instances_e2e;
mod list_budget;
mod log_tailer;
mod logs_pane;
mod metrics_triage;
mod operations;
mod partial;
mod polling_budget;
mod properties;
mod scaling;
mod scaling_e2e;
mod screenshots;
mod snapshots;
mod targets_budget;
mod taskdefs;
mod update_navigation;
