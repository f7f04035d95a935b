//! Messages into the UI task: terminal events, poller results, ticks.

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use crate::backend::BackendError;
use crate::store::{Payload, Resource};

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    /// The terminal was resized: redraw.
    Resize,
    /// Once a second: ages move on, and the API-budget readout is refreshed.
    Tick {
        now: DateTime<Utc>,
        api_calls_last_minute: usize,
    },
    /// A poller started fetching a resource.
    FetchStarted(Resource),
    /// A poller finished fetching a resource.
    Fetched {
        resource: Resource,
        result: Result<Payload, BackendError>,
        at: DateTime<Utc>,
    },
    /// SIGTERM / SIGINT / SIGHUP: leave cleanly.
    Terminate,
}
