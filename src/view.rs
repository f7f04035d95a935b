//! The UI state: a stack of views (the breadcrumbs), each with its own selection, filter and
//! scroll, plus what is typed in the input line. Owned by the UI task; mutated only by `update`.

use chrono::{DateTime, Utc};
use ratatui::widgets::TableState;
use ratatui_textarea::TextArea;

use crate::backend::{Connection, DesiredStatus, TaskFilter};
use crate::config::keymap::{KeyContext, Keymap};
use crate::store::Resource;

/// What a view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewKind {
    Clusters,
    Services {
        cluster: String,
    },
    /// Tasks of one service, or of the whole cluster (`:tasks`) when `service` is None.
    Tasks {
        cluster: String,
        service: Option<String>,
    },
    /// Containers of one task; `filter` is the tasks resource the task was found in.
    Containers {
        cluster: String,
        filter: TaskFilter,
        task_arn: String,
        /// Fetched alongside the task: it says where each container logs, its ports, limits.
        task_definition_arn: String,
    },
    Describe {
        target: DescribeTarget,
    },
    /// `:journal`: every action attempted from ecsdeck, newest first.
    Journal,
    /// `l`: live logs of a service, a task or a container.
    Logs {
        scope: crate::logs::LogScope,
    },
    /// `m`: a service's utilisation charts, alarms, deployments and per-task metrics.
    ServiceDetail {
        cluster: String,
        service: String,
    },
    /// `e`: a service's events, newest first.
    Events {
        cluster: String,
        service: String,
    },
    /// `:triage` (this cluster) or `:triage all`: services that need attention, worst first.
    Triage {
        cluster: Option<String>,
    },
}

/// What a describe view shows as JSON. It renders from the live store, so it stays current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DescribeTarget {
    Cluster {
        name: String,
    },
    Service {
        cluster: String,
        name: String,
    },
    Task {
        cluster: String,
        filter: TaskFilter,
        arn: String,
    },
    Container {
        cluster: String,
        filter: TaskFilter,
        task_arn: String,
        task_definition_arn: String,
        name: String,
    },
    TaskDefinition {
        arn: String,
    },
    /// One journal entry, by `panes::journal::entry_key`.
    JournalEntry {
        key: String,
    },
}

/// One entry of the view stack.
#[derive(Debug, Clone)]
pub struct View {
    pub kind: ViewKind,
    /// The key (ARN or name) of the selected row: selection follows the row across refreshes.
    pub selected_key: Option<String>,
    /// The selected row index, used when the selected key disappears.
    pub selected: usize,
    /// The table's scroll state, owned by the pane that renders it.
    pub table: TableState,
    /// The `/` filter: case-insensitive substring, `!text` inverts.
    pub filter: String,
    /// Tasks view: show STOPPED tasks instead of running ones (`x`).
    pub show_stopped: bool,
    /// Describe view: first line shown.
    pub scroll: usize,
    /// Tasks view: task ARNs marked with `space` for a bulk stop.
    pub marked: std::collections::BTreeSet<String>,
    /// Logs view: follow, scroll, wrap, search.
    pub log: crate::log_view::LogViewState,
    /// Service detail view: the charts' time range.
    pub range: crate::metrics::Range,
}

impl View {
    pub fn new(kind: ViewKind) -> View {
        View {
            kind,
            selected_key: None,
            selected: 0,
            table: TableState::default(),
            filter: String::new(),
            show_stopped: false,
            scroll: 0,
            marked: Default::default(),
            log: Default::default(),
            range: Default::default(),
        }
    }

    /// The key context for the keymap.
    pub fn key_context(&self) -> KeyContext {
        match self.kind {
            ViewKind::Clusters => KeyContext::Clusters,
            ViewKind::Services { .. } => KeyContext::Services,
            ViewKind::Tasks { .. } => KeyContext::Tasks,
            ViewKind::Containers { .. } => KeyContext::Containers,
            ViewKind::Describe { .. } => KeyContext::Describe,
            ViewKind::Journal => KeyContext::Journal,
            ViewKind::Logs { .. } => KeyContext::Logs,
            ViewKind::ServiceDetail { .. } => KeyContext::Detail,
            ViewKind::Events { .. } => KeyContext::Events,
            ViewKind::Triage { .. } => KeyContext::Triage,
        }
    }

    /// The task filter a tasks view polls with.
    pub fn task_filter(&self) -> Option<(String, TaskFilter)> {
        match &self.kind {
            ViewKind::Tasks { cluster, service } => Some((
                cluster.clone(),
                TaskFilter {
                    service: service.clone(),
                    desired_status: if self.show_stopped {
                        DesiredStatus::Stopped
                    } else {
                        DesiredStatus::Running
                    },
                },
            )),
            _ => None,
        }
    }

    /// What this view needs polled to stay current.
    pub fn resources(&self) -> Vec<Resource> {
        match &self.kind {
            ViewKind::Clusters => vec![Resource::Clusters],
            ViewKind::Services { cluster } => vec![Resource::Services {
                cluster: cluster.clone(),
            }],
            ViewKind::Tasks { .. } => self
                .task_filter()
                .map(|(cluster, filter)| Resource::Tasks { cluster, filter })
                .into_iter()
                .collect(),
            ViewKind::Containers {
                cluster,
                filter,
                task_definition_arn,
                ..
            } => task_with_definition(cluster, filter, task_definition_arn),
            ViewKind::Journal | ViewKind::Triage { .. } => Vec::new(),
            ViewKind::ServiceDetail { cluster, service } => vec![
                Resource::Services {
                    cluster: cluster.clone(),
                },
                Resource::Tasks {
                    cluster: cluster.clone(),
                    filter: TaskFilter {
                        service: Some(service.clone()),
                        desired_status: DesiredStatus::Running,
                    },
                },
                Resource::Alarms,
            ],
            ViewKind::Events { cluster, .. } => vec![Resource::Services {
                cluster: cluster.clone(),
            }],
            // The tasks in scope (the tail follows them as they start and stop); their task
            // definitions are added by `UiState::focus`, which sees the store.
            ViewKind::Logs { scope } => vec![Resource::Tasks {
                cluster: scope.cluster().to_string(),
                filter: scope.task_filter(),
            }],
            ViewKind::Describe { target } => match target {
                DescribeTarget::Cluster { .. } => vec![Resource::Clusters],
                DescribeTarget::Service { cluster, .. } => vec![Resource::Services {
                    cluster: cluster.clone(),
                }],
                DescribeTarget::Task {
                    cluster, filter, ..
                } => vec![Resource::Tasks {
                    cluster: cluster.clone(),
                    filter: filter.clone(),
                }],
                DescribeTarget::Container {
                    cluster,
                    filter,
                    task_definition_arn,
                    ..
                } => task_with_definition(cluster, filter, task_definition_arn),
                DescribeTarget::TaskDefinition { arn } => {
                    vec![Resource::TaskDefinition { arn: arn.clone() }]
                }
                DescribeTarget::JournalEntry { .. } => Vec::new(),
            },
        }
    }

    /// The cluster this view belongs to, if any.
    pub fn cluster(&self) -> Option<&str> {
        match &self.kind {
            ViewKind::Clusters | ViewKind::Journal => None,
            ViewKind::Logs { scope } => Some(scope.cluster()),
            ViewKind::ServiceDetail { cluster, .. } | ViewKind::Events { cluster, .. } => {
                Some(cluster)
            }
            ViewKind::Triage { cluster } => cluster.as_deref(),
            ViewKind::Services { cluster }
            | ViewKind::Tasks { cluster, .. }
            | ViewKind::Containers { cluster, .. } => Some(cluster),
            ViewKind::Describe { target } => match target {
                DescribeTarget::Cluster { name } => Some(name),
                DescribeTarget::Service { cluster, .. }
                | DescribeTarget::Task { cluster, .. }
                | DescribeTarget::Container { cluster, .. } => Some(cluster),
                DescribeTarget::TaskDefinition { .. } | DescribeTarget::JournalEntry { .. } => None,
            },
        }
    }
}

/// A task's view needs the task (from its tasks list) and its task definition.
fn task_with_definition(
    cluster: &str,
    filter: &TaskFilter,
    task_definition_arn: &str,
) -> Vec<Resource> {
    vec![
        Resource::Tasks {
            cluster: cluster.to_string(),
            filter: filter.clone(),
        },
        Resource::TaskDefinition {
            arn: task_definition_arn.to_string(),
        },
    ]
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
}

/// Everything the UI knows that is not AWS data.
#[derive(Debug)]
pub struct UiState {
    /// The breadcrumbs; never empty.
    pub stack: Vec<View>,
    pub input: Option<Input>,
    pub help_open: bool,
    pub help_scroll: usize,
    pub status: Option<StatusMessage>,
    pub keymap: Keymap,
    pub connection: Connection,
    pub read_only: bool,
    /// The clock for ages, advanced by ticks (fixed in tests).
    pub now: DateTime<Utc>,
    /// Rows the body showed last frame, for page up / page down.
    pub page_rows: usize,
    /// API calls made in the last minute (from the counting wrapper).
    pub api_calls_last_minute: usize,
    /// The open operation dialog, if any; it gets keys before the keymap.
    pub dialog: Option<crate::dialog::Dialog>,
    /// Changes sent from ecsdeck and not yet observed; their rows say so.
    pub pending: Vec<crate::dialog::PendingChange>,
    pub next_mutation_id: u64,
    /// Who is at the keyboard, for the default stop reason.
    pub user: String,
    /// Log pane settings (transport, idle close, polling cadence, buffer size).
    pub logs: crate::log_view::LogSettings,
    /// The last key press: a log pane nobody looks at closes its (billed) live tail.
    pub last_key_at: DateTime<Utc>,
    /// Utilisation colours (config `[thresholds]`).
    pub thresholds: crate::metrics::Thresholds,
}

impl UiState {
    pub fn new(connection: Connection, keymap: Keymap, now: DateTime<Utc>) -> UiState {
        UiState {
            stack: vec![View::new(ViewKind::Clusters)],
            input: None,
            help_open: false,
            help_scroll: 0,
            status: None,
            keymap,
            connection,
            read_only: false,
            now,
            page_rows: 10,
            api_calls_last_minute: 0,
            dialog: None,
            pending: Vec::new(),
            next_mutation_id: 0,
            user: "unknown".to_string(),
            logs: Default::default(),
            last_key_at: now,
            thresholds: Default::default(),
        }
    }

    pub fn top(&self) -> &View {
        // The stack is never empty: `pop_view` keeps the root.
        &self.stack[self.stack.len() - 1]
    }

    pub fn top_mut(&mut self) -> &mut View {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    pub fn push(&mut self, kind: ViewKind) {
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

    /// Resources to poll: the view on screen, its breadcrumb parents, and what an open
    /// dialog needs; nothing else.
    pub fn focus(&self, store: &crate::store::Store) -> Vec<Resource> {
        let mut out: Vec<Resource> = Vec::new();
        let dialog = self.dialog.as_ref().map(|d| {
            let revisions = match d {
                crate::dialog::Dialog::Rollback(r) => store
                    .revisions
                    .get(&r.family)
                    .and_then(|l| l.value())
                    .map(Vec::as_slice),
                _ => None,
            };
            d.resources(revisions)
        });
        // A log pane needs the task definitions of its tasks (they name the log streams).
        let log_definitions: Vec<Resource> = match &self.top().kind {
            ViewKind::Logs { scope } => scope
                .tasks(store)
                .into_iter()
                .map(|t| Resource::TaskDefinition {
                    arn: t.task_definition_arn.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let derived: Vec<Resource> = self
            .stack
            .iter()
            .flat_map(|v| derived_resources(v, store))
            .collect();
        for r in self
            .stack
            .iter()
            .flat_map(View::resources)
            .chain(dialog.into_iter().flatten())
            .chain(log_definitions)
            .chain(derived)
        {
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }

    /// The cluster the user is working in, from the deepest view that has one.
    pub fn current_cluster(&self) -> Option<&str> {
        self.stack.iter().rev().find_map(|v| v.cluster())
    }

    pub fn set_status(&mut self, level: StatusLevel, text: impl Into<String>) {
        self.status = Some(StatusMessage {
            level,
            text: text.into(),
        });
    }
}

/// Resources a view needs that depend on what the store holds: the utilisation of the
/// services (or clusters) it lists, the service detail's per-task metrics, triage's inputs.
fn derived_resources(view: &View, store: &crate::store::Store) -> Vec<Resource> {
    let service_names = |cluster: &str| -> Vec<String> {
        store
            .services_of(cluster)
            .and_then(|l| l.value())
            .map(|v| v.iter().map(|s| s.service_name.clone()).collect())
            .unwrap_or_default()
    };
    let cluster_watch = |cluster: &str| -> Vec<Resource> {
        let services = service_names(cluster);
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
    };
    match &view.kind {
        ViewKind::Clusters => {
            let clusters: Vec<String> = store
                .clusters
                .value()
                .map(|v| v.iter().map(|c| c.cluster_name.clone()).collect())
                .unwrap_or_default();
            if clusters.is_empty() {
                Vec::new()
            } else {
                vec![Resource::ClusterMetrics { clusters }]
            }
        }
        ViewKind::Services { cluster } => {
            let mut out = cluster_watch(cluster);
            out.push(Resource::Alarms);
            out
        }
        ViewKind::ServiceDetail { cluster, service } => {
            let insights = store
                .clusters
                .value()
                .and_then(|v| v.iter().find(|c| &c.cluster_name == cluster))
                .and_then(|c| c.container_insights.as_deref())
                .is_some_and(|s| s == "enabled" || s == "enhanced");
            let tasks: Vec<String> = if insights {
                let filter = TaskFilter {
                    service: Some(service.clone()),
                    desired_status: DesiredStatus::Running,
                };
                store
                    .tasks_of(cluster, &filter)
                    .and_then(|l| l.value())
                    .map(|v| v.iter().map(|t| t.short_id().to_string()).collect())
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            vec![
                Resource::Clusters,
                Resource::ServiceDetail {
                    cluster: cluster.clone(),
                    service: service.clone(),
                    range: view.range,
                    tasks,
                },
            ]
        }
        ViewKind::Triage { cluster } => {
            let clusters: Vec<String> = match cluster {
                Some(c) => vec![c.clone()],
                None => store
                    .clusters
                    .value()
                    .map(|v| v.iter().map(|c| c.cluster_name.clone()).collect())
                    .unwrap_or_default(),
            };
            let mut out = vec![Resource::Alarms];
            if cluster.is_none() {
                out.push(Resource::Clusters);
            }
            for c in &clusters {
                out.extend(cluster_watch(c));
                out.push(Resource::Tasks {
                    cluster: c.clone(),
                    filter: crate::metrics::triage::stopped_filter(),
                });
            }
            out
        }
        _ => Vec::new(),
    }
}
