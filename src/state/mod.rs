//! The UI state: everything the UI task knows that is not AWS data. Settings fixed at start
//! (keymap, connection, read-only, thresholds, log settings) are kept apart from what moves:
//! the view stack (the breadcrumbs), the open text field or dialog, the changes in flight.
//! Owned by the UI task; mutated only by `update`.

pub mod dialog;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use ratatui_textarea::TextArea;

use crate::backend::Connection;
use crate::config::LogSettings;
use crate::domain::metrics::Thresholds;
use crate::domain::pending::PendingChange;
use crate::keymap::{KeyContext, Keymap};
use crate::store::{Resource, Store};
use crate::views::{RowContext, Sort, View, ViewKind};

/// What does not change while ecsdeck runs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: Keymap,
    pub connection: Connection,
    /// Mutations are refused (at the key and again at the executor).
    pub read_only: bool,
    /// The regions the clusters list and `:triage all` span (`regions = [...]`,
    /// `--region a,b`); empty: only the session's region.
    pub regions: Vec<String>,
    /// Which profiles are read-only: asked again at every context switch.
    pub read_only_policy: crate::config::ReadOnlyPolicy,
    /// Utilisation colours (config `[thresholds]`).
    pub thresholds: Thresholds,
    /// Log pane settings (transport, idle close, polling cadence, buffer size).
    pub logs: LogSettings,
    /// Who is at the keyboard, for the default stop reason.
    pub user: String,
    /// `[exec]`: what a shell in a container runs.
    pub exec: crate::config::ExecSettings,
}

impl Settings {
    pub fn new(connection: Connection, keymap: Keymap) -> Settings {
        Settings {
            keymap,
            connection,
            read_only: false,
            read_only_policy: crate::config::ReadOnlyPolicy::default(),
            regions: Vec::new(),
            thresholds: Thresholds::default(),
            logs: LogSettings::default(),
            user: "unknown".to_string(),
            exec: crate::config::ExecSettings::default(),
        }
    }
}

/// Which text field is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Filter,
    Command,
    /// `/` in a log pane: highlight matches (and hide the rest in filter mode).
    Search,
}

/// An open one-line text field. It receives raw keys before the keymap.
pub struct Input {
    pub kind: InputKind,
    pub field: TextArea<'static>,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("kind", &self.kind)
            .field("text", &self.text())
            .finish()
    }
}

impl Input {
    pub fn new(kind: InputKind, initial: &str) -> Input {
        let mut field = TextArea::new(vec![initial.to_string()]);
        field.move_cursor(ratatui_textarea::CursorMove::End);
        Input { kind, field }
    }

    pub fn text(&self) -> String {
        self.field.lines().join("")
    }
}

/// How serious a status-line message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusLevel {
    Info,
    Warning,
    Error,
}

/// A one-line message under the view ("Unknown command ...", config warnings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMessage {
    pub level: StatusLevel,
    pub text: String,
    /// The error behind it, kept typed: the UI turns it into advice that names the
    /// profile (`ui::advice`) when it draws the line.
    pub error: Option<crate::domain::BackendError>,
}

/// Everything the UI knows that is not AWS data.
#[derive(Debug)]
pub struct UiState {
    pub settings: Settings,
    /// The breadcrumbs; never empty.
    pub stack: Vec<View>,
    pub input: Option<Input>,
    pub help_open: bool,
    pub help_scroll: usize,
    pub status: Option<StatusMessage>,
    /// Why read-only was forced (a config that could not be read): on screen until restart.
    pub config_banner: Option<String>,
    /// Why the journal cannot be written: on screen (and in the header) until a write works.
    pub journal_banner: Option<String>,
    /// The clock for ages, advanced by ticks (fixed in tests).
    pub now: DateTime<Utc>,
    /// Rows the body showed last frame, for page up / page down.
    pub page_rows: usize,
    /// API calls made in the last minute (from the counting wrapper).
    pub api_calls_last_minute: usize,
    /// The open operation dialog, if any; it gets keys before the keymap.
    pub dialog: Option<dialog::Dialog>,
    /// Changes sent from ecsdeck and not yet observed; their rows say so.
    pub pending: Vec<PendingChange>,
    pub next_mutation_id: u64,
    /// The last key press: a log pane nobody looks at closes its (billed) live tail.
    pub last_key_at: DateTime<Utc>,
    /// The sort chosen per view kind (by its key context), for the session.
    pub sorts: HashMap<KeyContext, Sort>,
    /// After a context switch: the cluster (and service) the kept views name, to be found
    /// in the new context's lists, or the view path is cut back to what exists.
    pub path_check: Option<PathCheck>,
}

/// What a context switch kept of the view path, until the new context's lists confirm it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathCheck {
    pub cluster: String,
    pub service: Option<String>,
}

impl UiState {
    pub fn new(connection: Connection, keymap: Keymap, now: DateTime<Utc>) -> UiState {
        UiState {
            settings: Settings::new(connection, keymap),
            stack: vec![View::new(ViewKind::clusters())],
            input: None,
            help_open: false,
            help_scroll: 0,
            status: None,
            config_banner: None,
            journal_banner: None,
            now,
            page_rows: 10,
            api_calls_last_minute: 0,
            dialog: None,
            pending: Vec::new(),
            next_mutation_id: 0,
            last_key_at: now,
            sorts: HashMap::new(),
            path_check: None,
        }
    }

    pub fn top(&self) -> &View {
        // The stack is never empty: `pop_view` keeps the root, replacements are non-empty.
        &self.stack[self.stack.len() - 1]
    }

    pub fn top_mut(&mut self) -> &mut View {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    pub fn push(&mut self, kind: impl Into<ViewKind>) {
        // The view underneath is no longer drawn: its rows stop counting as on screen (and
        // their per-row polling stops) until it is drawn again.
        self.top_mut().on_screen.clear();
        self.stack.push(View::new(kind));
    }

    /// Goes back one view; the root view stays.
    pub fn pop_view(&mut self) -> bool {
        if self.stack.len() > 1 {
            self.stack.pop();
            true
        } else {
            false
        }
    }

    /// Replaces the stack; an empty replacement is refused (the stack is never empty).
    pub fn replace_stack(&mut self, views: Vec<View>) {
        if !views.is_empty() {
            self.stack = views;
        }
    }

    /// What the top view's rows are built from.
    pub fn row_context<'a>(&'a self, store: &'a Store) -> RowContext<'a> {
        RowContext {
            store,
            now: self.now,
            thresholds: self.settings.thresholds,
            pending: &self.pending,
            region: &self.settings.connection.region,
            sort: self.sorts.get(&self.top().key_context()).copied(),
        }
    }

    /// The key of the row under the cursor in the top view.
    pub fn selected_key(&self, store: &Store) -> Option<String> {
        self.top().selected_row_key(&self.row_context(store))
    }

    /// The other regions the session spans (every listed region but the session's own).
    pub fn other_regions(&self) -> Vec<String> {
        let here = &self.settings.connection.region;
        (self.settings.regions.iter())
            .filter(|r| *r != here)
            .cloned()
            .collect()
    }

    /// What each other spanned region's poller follows: what the views on the stack need
    /// from that region (its clusters for the clusters list, its services, utilisation,
    /// alarms and balancers for `:triage all`). Empty unless the session spans regions.
    pub fn regional_focus(&self, store: &Store) -> BTreeMap<String, Vec<Resource>> {
        let empty = Store::default();
        self.other_regions()
            .into_iter()
            .map(|region| {
                let regional = store.regions.get(&region).unwrap_or(&empty);
                let mut wanted: Vec<Resource> = Vec::new();
                for r in self
                    .stack
                    .iter()
                    .flat_map(|v| v.regional_resources(regional))
                {
                    if !wanted.contains(&r) {
                        wanted.push(r);
                    }
                }
                (region, wanted)
            })
            .collect()
    }

    /// Resources to poll: the view on screen, its breadcrumb parents, and what an open
    /// dialog needs; nothing else.
    pub fn focus(&self, store: &Store) -> Vec<Resource> {
        let dialog = self.dialog.as_ref().map(|d| d.resources(store));
        let own = self.stack.iter().flat_map(View::resources);
        let derived = self.stack.iter().flat_map(|v| v.derived_resources(store));
        let mut out: Vec<Resource> = Vec::new();
        for r in own.chain(dialog.into_iter().flatten()).chain(derived) {
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }

    /// The rows on screen of the top view's lists (services, tasks), by row key: the poller
    /// describes them first and keeps them freshest.
    pub fn visible_rows(&self) -> crate::store::list_rows::VisibleRows {
        let Some(top) = self.stack.last() else {
            return Default::default();
        };
        (top.resources().into_iter())
            .filter(|r| matches!(r, Resource::Services { .. } | Resource::Tasks { .. }))
            .map(|r| (r, top.on_screen.iter().cloned().collect()))
            .collect()
    }

    /// True when the log pane has been left alone past the idle limit: its (billed) live
    /// tail closes until a key is pressed.
    pub fn log_idle(&self) -> bool {
        let limit = chrono::Duration::from_std(self.settings.logs.idle_close)
            .unwrap_or(chrono::Duration::MAX);
        self.now - self.last_key_at > limit
    }

    /// The cluster the user is working in, from the deepest view that has one.
    pub fn current_cluster(&self) -> Option<&str> {
        self.stack.iter().rev().find_map(|v| v.cluster())
    }

    pub fn set_status(&mut self, level: StatusLevel, text: impl Into<String>) {
        self.status = Some(StatusMessage {
            level,
            text: text.into(),
            error: None,
        });
    }

    /// An error on the status line: `text` says what failed, the error why (in words at
    /// draw time).
    pub fn set_error(&mut self, text: impl Into<String>, error: crate::domain::BackendError) {
        self.status = Some(StatusMessage {
            level: StatusLevel::Error,
            text: text.into(),
            error: Some(error),
        });
    }
}
