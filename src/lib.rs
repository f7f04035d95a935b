//! ecsdeck: a terminal dashboard for operating Amazon ECS.
//!
//! The UI task owns the [`store::Store`] and [`view::UiState`]; pollers send owned
//! [`msg::Msg`]s; [`update::update`] is the only place state changes and returns
//! [`command::Command`]s; [`ui::draw`] renders from the store when something changed.

pub mod action;
pub mod app;
pub mod backend;
pub mod cli;
pub mod command;
pub mod config;
pub mod dialog;
pub mod diff;
pub mod executor;
pub mod journal;
pub mod log_view;
pub mod logs;
pub mod metrics;
pub mod msg;
pub mod mutation;
pub mod ops;
pub mod poller;
pub mod startup;
pub mod store;
pub mod ui;
pub mod update;
pub mod view;
