//! Live log tailing: the streams a scope follows, and the tailer task that feeds the open
//! pane from CloudWatch Logs. The lines themselves live in the store (`store::log_session`).

pub mod streams;
pub mod tailer;

pub use crate::store::log_buffer::{LogBuffer, LogLine};
pub use crate::store::log_session::{DEFAULT_WINDOW, LogSession, TailState, WINDOWS};
pub use streams::{LogScope, StreamRef};
pub use tailer::{LogFocus, Transport};
