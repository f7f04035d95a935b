//! The view kinds: one module per kind, each holding everything that kind decides — its key
//! context, what it polls, its title, its freshness, its columns and rows, and its own keys —
//! behind the [`ViewSpec`] trait. [`ViewKind`] is generated from the one registration list
//! at the bottom of this file.
//!
//! Adding a view kind: write `views/<kind>.rs` with a struct implementing [`ViewSpec`], add
//! one line to `view_kinds!` below, bind its keys in `keymap` if it has any, and test it.
//! A table view needs nothing in `ui`: the table renderer draws every kind.

pub mod balancing;
pub mod budget;
pub mod capacity;
pub mod clusters;
pub mod containers;
pub mod contexts;
pub mod describe;
pub mod detail;
pub mod events;
pub mod format;
pub mod forwards;
pub mod images;
pub mod instances;
pub mod journal;
pub mod list_rows;
pub mod logs;
pub mod pending;
pub mod rows;
pub mod services;
pub mod subject;
pub mod table;
pub mod taskdefs;
pub mod tasks;
pub mod triage;
pub mod triage_capacity;
pub mod triage_rules;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use ratatui::widgets::TableState;

use crate::domain::metrics::{Range, Thresholds};
use crate::domain::pending::PendingChange;
use crate::domain::{BackendError, Incomplete};
use crate::keymap::{Action, KeyContext};
use crate::logs::LogScope;
use crate::store::{Loadable, Resource, Store};
pub use describe::DescribeTarget;
use rows::RowCache;
pub use subject::Subject;
pub use table::{Sort, TableModel};

/// Everything one view kind decides. Methods with a default are optional: a kind that is
/// not a table, has no cluster or no keys of its own leaves them out.
pub trait ViewSpec {
    /// Which keymap section applies (and is shown in the footer and help).
    fn key_context(&self) -> KeyContext;

    /// The breadcrumb and border title.
    fn title(&self, view: &View) -> String;

    /// The cluster this view belongs to, if any (`:svc` without argument uses it).
    fn cluster(&self) -> Option<&str> {
        None
    }

    /// What must be polled while this view is on the stack: the data it shows.
    fn resources(&self, view: &View) -> Vec<Resource>;

    /// What must be polled besides, depending on what the store holds: the utilisation of
    /// the rows listed, the inputs of triage. Polled after every view's own resources.
    fn derived_resources(&self, _view: &View, _store: &Store) -> Vec<Resource> {
        Vec::new()
    }

    /// What this view needs from another region the session spans, given what that region's
    /// store holds (the clusters list and `:triage all` span regions; nothing else does).
    fn regional_resources(&self, _view: &View, _regional: &Store) -> Vec<Resource> {
        Vec::new()
    }

    /// When the data behind the view was fetched, whether a fetch runs, the last error.
    fn freshness(&self, view: &View, store: &Store) -> Freshness;

    /// The table, before filter, sort and annotations; None for views that are not tables.
    fn table(&self, _view: &View, _ctx: &RowContext) -> Option<TableModel> {
        None
    }

    /// Shown in place of rows when there are none (and no filter hides them).
    fn empty_text(&self, _view: &View) -> &'static str {
        " nothing here yet"
    }

    /// True when rows are services or tasks that changes sent from ecsdeck act on: they
    /// show `⟳ scaling → 5` until the change is observed.
    fn shows_pending(&self) -> bool {
        false
    }

    /// True when `space` marks rows: tasks (a bulk stop), container instances (a drain),
    /// task definition revisions (two to compare).
    fn marks_rows(&self) -> bool {
        false
    }

    /// The view's own keys: what `action` on the selected row leads to. Movement, filter,
    /// command line, help and the operations are handled by `update` for every kind.
    fn on_action(&self, _action: Action, _on: &Selection) -> Option<Effect> {
        None
    }

    /// What the selected row (or the view, when it is about one thing) is: its kind, name,
    /// ARN and console page, for `O` (open in the console) and `c` (copy).
    fn subject(&self, _on: &Selection) -> Option<Subject> {
        None
    }
}

/// What a view's key handler sees: the view, the key of the row under the cursor, the store.
pub struct Selection<'a> {
    pub view: &'a View,
    pub key: Option<&'a str>,
    pub store: &'a Store,
}

/// What a view's key leads to; `update` carries it out.
pub enum Effect {
    /// Open a view on top of this one.
    Push(ViewKind),
    /// Replace the whole stack (triage jumps to the service in its services list).
    Jump(Vec<View>),
    /// Open a log pane on these streams.
    OpenLogs(LogScope),
    /// Change this view's own state (toggle stopped tasks, cycle the chart range).
    Edit(fn(&mut View)),
    /// Switch to another AWS profile or region (`:ctx`).
    SwitchContext(crate::backend::ContextTarget),
    /// Open `views` in another region the session spans: the session switches there.
    OpenInRegion { region: String, views: Vec<View> },
}

/// What rows are built from besides the store and the view.
#[derive(Debug, Clone, Copy)]
pub struct RowContext<'a> {
    pub store: &'a Store,
    pub now: DateTime<Utc>,
    pub thresholds: Thresholds,
    /// Changes in flight, shown on their rows.
    pub pending: &'a [PendingChange],
    /// The session's region: rows from other spanned regions (`store.regions`) name theirs.
    pub region: &'a str,
    /// The sort chosen for this view kind this session, if any.
    pub sort: Option<Sort>,
}

/// Freshness of the data behind a view: when it was fetched, whether a fetch is running,
/// and the last error.
#[derive(Debug, Clone, Default)]
pub struct Freshness {
    pub fetched_at: Option<DateTime<Utc>>,
    pub loading: bool,
    pub error: Option<BackendError>,
    /// What the data shown lacks, when only part of it could be fetched.
    pub incomplete: Option<Incomplete>,
    /// After a failure: when the next try is.
    pub next_try: Option<DateTime<Utc>>,
}

impl Freshness {
    /// Freshness of one stored resource; not fetched yet counts as loading.
    pub fn of<T>(l: Option<&Loadable<T>>) -> Freshness {
        match l {
            Some(l) => Freshness {
                fetched_at: l.fetched_at,
                loading: l.loading,
                error: l.error.clone(),
                incomplete: l.incomplete.clone(),
                next_try: l.next_try,
            },
            None => Freshness {
                loading: true,
                ..Freshness::default()
            },
        }
    }
}

/// Generates [`ViewKind`] (one variant per registered kind) and its dispatch to
/// [`ViewSpec`].
macro_rules! view_kinds {
    ($($variant:ident($kind:ty)),* $(,)?) => {
        /// What a view shows: one variant per kind, each a struct of its own module.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum ViewKind {
            $($variant($kind)),*
        }

        impl ViewKind {
            /// The kind's behaviour.
            pub fn spec(&self) -> &dyn ViewSpec {
                match self {
                    $(ViewKind::$variant(kind) => kind),*
                }
            }
        }

        $(impl From<$kind> for ViewKind {
            fn from(kind: $kind) -> ViewKind {
                ViewKind::$variant(kind)
            }
        })*
    };
}

// The registration list: one line per view kind.
view_kinds! {
    Clusters(clusters::Clusters),
    Services(services::Services),
    Tasks(tasks::Tasks),
    Containers(containers::Containers),
    Describe(describe::Describe),
    Journal(journal::Journal),
    Logs(logs::Logs),
    ServiceDetail(detail::Detail),
    Events(events::Events),
    Triage(triage::Triage),
    Pending(pending::Pending),
    Forwards(forwards::Forwards),
    Contexts(contexts::Contexts),
    Families(taskdefs::Families),
    Revisions(taskdefs::Revisions),
    Compare(taskdefs::Compare),
    Budget(budget::Budget),
    Instances(instances::Instances),
    Capacity(capacity::Capacity),
}

impl ViewKind {
    pub fn clusters() -> ViewKind {
        clusters::Clusters.into()
    }

    pub fn services(cluster: impl Into<String>) -> ViewKind {
        services::Services {
            cluster: cluster.into(),
        }
        .into()
    }

    pub fn describe(target: DescribeTarget) -> ViewKind {
        describe::Describe { target }.into()
    }
}

/// One entry of the view stack: a kind plus what the user did in it.
#[derive(Debug, Clone)]
pub struct View {
    pub kind: ViewKind,
    /// The key (ARN or name) of the selected row: selection follows the row across refreshes.
    pub selected_key: Option<String>,
    /// The selected row index, used when the selected key disappears.
    pub selected: usize,
    /// The table's scroll state, owned by the renderer.
    pub table: TableState,
    /// The keys of the rows the last frame drew: what per-row polling (target health)
    /// covers. Set by the renderer.
    pub on_screen: Vec<String>,
    /// The `/` filter: case-insensitive substring, `!text` inverts.
    pub filter: String,
    /// Tasks view: show STOPPED tasks instead of running ones (`x`).
    pub show_stopped: bool,
    /// Describe view: first line shown.
    pub scroll: usize,
    /// Tasks view: task ARNs marked with `space` for a bulk stop.
    pub marked: BTreeSet<String>,
    /// Logs view: follow, scroll, wrap, search.
    pub log: logs::LogViewState,
    /// Service detail view: the charts' time range.
    pub range: Range,
    /// The rows as last built, and what they were built from.
    rows: RefCell<RowCache>,
}

impl View {
    pub fn new(kind: impl Into<ViewKind>) -> View {
        View {
            kind: kind.into(),
            selected_key: None,
            selected: 0,
            table: TableState::default(),
            on_screen: Vec::new(),
            filter: String::new(),
            show_stopped: false,
            scroll: 0,
            marked: BTreeSet::new(),
            log: Default::default(),
            range: Default::default(),
            rows: RefCell::default(),
        }
    }

    pub fn key_context(&self) -> KeyContext {
        self.kind.spec().key_context()
    }

    pub fn title(&self) -> String {
        self.kind.spec().title(self)
    }

    pub fn cluster(&self) -> Option<&str> {
        self.kind.spec().cluster()
    }

    pub fn resources(&self) -> Vec<Resource> {
        self.kind.spec().resources(self)
    }

    pub fn derived_resources(&self, store: &Store) -> Vec<Resource> {
        self.kind.spec().derived_resources(self, store)
    }

    pub fn regional_resources(&self, regional: &Store) -> Vec<Resource> {
        self.kind.spec().regional_resources(self, regional)
    }

    pub fn freshness(&self, store: &Store) -> Freshness {
        self.kind.spec().freshness(self, store)
    }

    /// The rows this view shows — filtered, sorted, with pending changes and marks — built
    /// once per change of what they depend on and reused by every key press and frame until
    /// then. None for views that are not tables.
    pub fn rows(&self, ctx: &RowContext) -> Option<Rc<TableModel>> {
        rows::cached(self, &self.rows, ctx)
    }

    /// The key of the row under the cursor.
    pub fn selected_row_key(&self, ctx: &RowContext) -> Option<String> {
        let rows = self.rows(ctx)?;
        let index = rows.selected_index(self.selected_key.as_deref(), self.selected)?;
        rows.rows.get(index).map(|r| r.key.clone())
    }
}

/// The cluster names the store lists, in order.
pub fn cluster_names(store: &Store) -> Vec<String> {
    store
        .clusters
        .value()
        .map(|v| v.iter().map(|c| c.cluster_name.clone()).collect())
        .unwrap_or_default()
}

/// A cluster's services list and its services' utilisation: what a view of a cluster's
/// services needs polled.
pub fn cluster_watch(store: &Store, cluster: &str) -> Vec<Resource> {
    let services: Vec<String> = store
        .services_of(cluster)
        .and_then(|l| l.value())
        .map(|v| v.iter().map(|s| s.service_name.clone()).collect())
        .unwrap_or_default();
    let mut out = vec![Resource::Services {
        cluster: cluster.to_string(),
    }];
    if !services.is_empty() {
        out.push(Resource::ServiceMetrics {
            cluster: cluster.to_string(),
            services,
        });
    }
    out
}
