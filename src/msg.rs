//! Messages into the UI task: terminal events, poller results, ticks.

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use crate::backend::BackendError;
use crate::journal::JournalEntry;
use crate::mutation::Mutation;
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
    /// The executor finished (or refused) a mutation; `entry` is what the journal got.
    MutationDone {
        id: u64,
        mutation: Mutation,
        result: Result<(), String>,
        entry: JournalEntry,
    },
    /// SIGTERM / SIGINT / SIGHUP: leave cleanly.
    Terminate,
}
