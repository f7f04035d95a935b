//! The open log pane's data (one pane at a time): its lines, the window they were loaded
//! from, and how its feed is doing.

use chrono::{DateTime, Utc};

use super::log_buffer::LogBuffer;
use crate::domain::BackendError;

/// What the pane shows about its feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TailState {
    Loading,
    Live,
    Polling {
        why: Option<String>,
    },
    /// The feed broke; `error` is why (typed, so the pane's advice can name the profile).
    Reconnecting {
        attempt: u32,
        error: Option<BackendError>,
    },
}

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
    /// Events that could not be read and were skipped, shown in the pane title.
    pub skipped: usize,
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
            skipped: 0,
        }
    }
}
