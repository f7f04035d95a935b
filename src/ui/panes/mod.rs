//! Bodies that are not tables: the service detail charts, the log pane, the JSON describe.
//! Every table view is drawn by `ui::table`.

pub mod balancing;
pub mod describe;
pub mod detail;
pub mod logs;
pub mod scaling;
