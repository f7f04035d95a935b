//! ecsdeck: a terminal dashboard for operating Amazon ECS.
//!
//! The UI task owns the [`store::Store`] and [`state::UiState`]; pollers and the executor
//! send owned [`msg::Msg`]s; [`update::update`] is the only place state changes and returns
//! [`msg::Command`]s; [`ui::draw`] renders from both when something changed. Each view kind
//! lives in one file under [`views`]. `ARCHITECTURE.md` has the picture and the recipes.
//!
//! Dependencies run one way (checked by `tests/it/architecture.rs`):
//! `domain` ← `backend` ← `store` ← `keymap`/`config`/`logs` ← `views` ← `state` ← `update`
//! and `ui`; the workers (`poller`, `executor`, `logs::tailer`) and `app`/`startup` on top.

pub mod app;
pub mod backend;
pub mod cli;
pub mod config;
pub mod desktop;
pub mod domain;
pub mod executor;
pub mod keymap;
pub mod logs;
pub mod msg;
pub mod poller;
pub mod screenshots;
pub mod session;
pub mod startup;
pub mod state;
pub mod store;
pub mod ui;
pub mod update;
pub mod views;
