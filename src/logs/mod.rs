//! Live log tailing: the buffer the pane reads, the streams a scope follows, and the tailer
//! task that feeds them from CloudWatch Logs.

pub mod buffer;
pub mod sanitize;
pub mod streams;
pub mod tailer;

use chrono::{DateTime, Utc};

pub use buffer::{LogBuffer, LogLine};
pub use streams::{LogScope, StreamRef};
pub use tailer::{LogFocus, TailState, Transport};

/// The history windows `0`–`6` pick: tail (the last 30 s and what follows), 1 m, 5 m, 15 m,
/// 30 m, 1 h, 3 h.
pub const WINDOWS: [(i64, &str); 7] = [
    (30, "tail"),
    (60, "1m"),
    (300, "5m"),
    (900, "15m"),
    (1_800, "30m"),
    (3_600, "1h"),
    (10_800, "3h"),
];

/// The window a pane opens with: enough context to see what led up to now.
pub const DEFAULT_WINDOW: usize = 2;

/// The log data of the open pane (one at a time), owned by the store.
#[derive(Debug)]
pub struct LogSession {
    /// Bumped on every (re)open or window change: messages of older generations are dropped.
    pub generation: u64,
    pub buffer: LogBuffer,
    pub state: TailState,
    /// The window start the history was loaded from.
    pub since: DateTime<Utc>,
    pub window: usize,
}

impl LogSession {
    pub fn new(generation: u64, capacity: usize, window: usize, now: DateTime<Utc>) -> LogSession {
        let window = window.min(WINDOWS.len() - 1);
        LogSession {
            generation,
            buffer: LogBuffer::new(capacity),
            state: TailState::Loading,
            since: now - chrono::Duration::seconds(WINDOWS[window].0),
            window,
        }
    }
}
