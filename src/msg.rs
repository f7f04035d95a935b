//! The UI task's two channels: [`Msg`] in (terminal events, poller and executor results,
//! ticks) and [`Command`] out (side effects `update` asks for, as data; `app` runs them).
//! What the pollers fetch is not a command: it follows the view stack (`UiState::focus`).

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use crate::backend::{BackendError, ExecSession};
use crate::domain::journal::JournalEntry;
use crate::domain::mutation::Mutation;
use crate::domain::session::{ExecPlan, ForwardPlan};
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
    /// Calls per AWS operation over the last 1, 5 and 60 minutes (from the counting wrapper,
    /// every region's), once a second with the tick: what `:budget` shows.
    ApiUsage(Vec<crate::backend::counting::OperationUsage>),
    /// The budget's buckets, with the tick (what `:budget` shows of them).
    BudgetLevels(Vec<crate::backend::budget::BucketLevel>),
    /// The poller's schedule: each resource's interval, failures and next call.
    PollSchedule(Vec<crate::store::PollEntry>),
    /// A poller started fetching a resource.
    FetchStarted(Resource),
    /// A poller finished fetching a resource.
    Fetched {
        resource: Resource,
        result: Result<Payload, BackendError>,
        at: DateTime<Utc>,
    },
    /// What the poller adds about a fetch it just reported: part of the list is missing, or
    /// when it will try again after a failure.
    FetchNote {
        resource: Resource,
        note: crate::store::FetchNote,
    },
    /// The executor finished (or refused) a mutation: how it ended, as journaled.
    MutationDone {
        id: u64,
        mutation: Mutation,
        executed: Executed,
    },
    /// New lines for the open log pane (dropped if `generation` is not the pane's).
    LogEvents {
        generation: u64,
        events: Vec<crate::backend::logs::LogEvent>,
    },
    /// Log events that could not be read and were skipped (the others keep flowing).
    LogSkipped {
        generation: u64,
        count: usize,
    },
    /// How the log pane's feed is doing.
    LogState {
        generation: u64,
        state: crate::store::log_session::TailState,
    },
    /// `ctrl-s` in a log pane: where the lines went, or why they could not be saved.
    LogsSaved(Result<std::path::PathBuf, String>),
    /// ExecuteCommand answered (or was refused, or failed; then journaled).
    ExecReady {
        plan: ExecPlan,
        result: Result<ExecSession, Executed>,
    },
    /// A shell session ended and the dashboard is back; its start and end as journaled.
    SessionEnded {
        plan: ExecPlan,
        /// `exit 0 after 2m 3s`, or why it could not run.
        outcome: String,
        journal: Vec<Executed>,
    },
    /// A session could not start before anything was sent (no plugin): why, in words.
    SessionUnavailable(String),
    /// StartSession answered for a port forward (or was refused, or failed; then journaled).
    ForwardReady {
        plan: ForwardPlan,
        result: Result<ExecSession, Executed>,
    },
    /// A forward's plugin is running in the background (its start as journaled).
    ForwardStarted {
        id: u64,
        journal: Executed,
    },
    /// A forward ended (stopped, or its plugin exited); its end as journaled.
    ForwardEnded {
        id: u64,
        outcome: String,
        journal: Executed,
    },
    /// How opening a console page (`O`) or copying (`c`) went.
    Desktop(crate::desktop::Report),
    /// A message from the poller of another region the session spans (its fetches).
    Regional {
        region: String,
        msg: Box<Msg>,
    },
    /// The app connected to the context `update` switched to: where it talks to now.
    ContextSwitched(crate::backend::Connection),
    /// The app could not connect to that context and stayed where it was (`previous`).
    ContextSwitchFailed {
        target: crate::backend::ContextTarget,
        previous: crate::backend::ContextTarget,
        error: String,
    },
    /// SIGTERM / SIGINT / SIGHUP: leave cleanly.
    Terminate,
}

/// What the executor did with one mutation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed {
    /// The journal entry, with how the action ended.
    pub entry: JournalEntry,
    /// Why the entry could not be written to the journal file, if it could not: the
    /// journal is the incident's audit trail, so this is shown until a write works again.
    pub journal_error: Option<String>,
}

/// A side effect requested by `update`. The app runs it; the outcome comes back as a `Msg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Leave the dashboard and restore the terminal.
    Quit,
    /// Poll everything on screen now (`ctrl-r`), without waiting for the interval.
    RefreshNow,
    /// Write the lines a log pane shows to a file (`ctrl-s`).
    SaveLogs {
        path: std::path::PathBuf,
        text: String,
    },
    /// Open a shell: check the plugin, then ExecuteCommand (refused in read-only).
    Exec(ExecPlan),
    /// Give the terminal to the session (the plugin, or the demo's stand-in) until it ends.
    RunSession {
        plan: ExecPlan,
        session: ExecSession,
    },
    /// Start a port forward: check the plugin and the local port, then StartSession.
    Forward(ForwardPlan),
    /// Run the forward's plugin in the background; `id` names it in `:forwards`.
    RunForward {
        id: u64,
        plan: ForwardPlan,
        session: ExecSession,
    },
    /// Stop a running forward (its plugin, then TerminateSession).
    StopForward { id: u64 },
    /// Run a confirmed mutation. `id` ties the outcome message to the pending row.
    Mutate {
        id: u64,
        mutation: Mutation,
        account: Option<String>,
    },
    /// Open `url` in the browser (`O`); without a display, show and copy it instead.
    /// `what` names the page for the status line.
    OpenUrl { url: String, what: String },
    /// Put `text` on the clipboard through the terminal (OSC 52), between two frames.
    Copy { text: String, what: String },
    /// Connect to another profile or region: a new backend, the workers restarted on it.
    /// `update` has already cleared the store and applied the profile's read-only setting.
    SwitchContext {
        target: crate::backend::ContextTarget,
        previous: crate::backend::ContextTarget,
    },
}
