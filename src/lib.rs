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
pub mod msg;
pub mod poller;
pub mod startup;
pub mod store;
pub mod ui;
pub mod update;
pub mod view;
