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
    /// New lines for the open log pane (dropped if `generation` is not the pane's).
    LogEvents {
        generation: u64,
        events: Vec<crate::backend::logs::LogEvent>,
    },
    /// How the log pane's feed is doing.
    LogState {
        generation: u64,
        state: crate::logs::TailState,
    },
    /// `ctrl-s` in a log pane: where the lines went, or why they could not be saved.
    LogsSaved(Result<std::path::PathBuf, String>),
    /// SIGTERM / SIGINT / SIGHUP: leave cleanly.
    Terminate,
}
