//! The panes: each builds what one view shows from the store. Tables share one renderer
//! (`ui::table`); the describe view renders JSON lines.

pub mod clusters;
pub mod containers;
pub mod describe;
pub mod detail;
pub mod events;
pub mod journal;
pub mod logs;
pub mod services;
pub mod tasks;
pub mod triage;

use chrono::{DateTime, Utc};

use crate::backend::BackendError;
use crate::dialog::{PendingChange, PendingState};
use crate::metrics::Thresholds;
use crate::store::{Loadable, Store};
use crate::ui::table::{Role, TableModel};
use crate::view::{DescribeTarget, View, ViewKind};

/// The table a list view shows, already filtered by the view's `/` filter.
/// What list panes need besides the store and the view.
#[derive(Debug, Clone, Copy)]
pub struct TableContext<'a> {
    pub now: DateTime<Utc>,
    pub pending: &'a [PendingChange],
    pub thresholds: Thresholds,
}

impl<'a> TableContext<'a> {
    pub fn of(ui: &'a crate::view::UiState) -> TableContext<'a> {
        TableContext {
            now: ui.now,
            pending: &ui.pending,
            thresholds: ui.thresholds,
        }
    }
}

pub fn table(store: &Store, view: &View, ctx: TableContext) -> Option<TableModel> {
    let now = ctx.now;
    let mut model = match &view.kind {
        ViewKind::Journal => journal::model(store, now),
        ViewKind::Clusters => clusters::model(store, ctx.thresholds),
        ViewKind::Services { cluster } => services::model(store, cluster, now, ctx.thresholds),
        ViewKind::Events { cluster, service } => events::model(store, cluster, service, now),
        ViewKind::Triage { cluster } => {
            triage::model(store, cluster.as_deref(), ctx.thresholds, now)
        }
        ViewKind::Tasks { .. } => {
            let (cluster, filter) = view.task_filter()?;
            tasks::model(store, &cluster, &filter, now, view.show_stopped)
        }
        ViewKind::Containers {
            cluster,
            filter,
            task_arn,
            ..
        } => containers::model(
            store,
            containers::find_task(store, cluster, filter, task_arn),
        ),
        ViewKind::Describe { .. } | ViewKind::Logs { .. } | ViewKind::ServiceDetail { .. } => {
            return None;
        }
    };
    annotate(&mut model, view, ctx.pending);
    Some(model.filtered(&view.filter))
}

/// Marks rows with a change in flight (`⟳ scaling → 5`) and tasks marked for a bulk stop.
fn annotate(model: &mut TableModel, view: &View, pending: &[PendingChange]) {
    let cluster = view.cluster().unwrap_or_default();
    let applies = matches!(
        view.kind,
        ViewKind::Services { .. } | ViewKind::Tasks { .. }
    );
    for row in &mut model.rows {
        if applies
            && let Some(p) = pending
                .iter()
                .find(|p| p.cluster == cluster && p.key == row.key)
            && let Some(first) = row.cells.first_mut()
        {
            let waiting = match p.state {
                PendingState::Sending(_) => "sending",
                PendingState::Watching(_) => "⟳",
            };
            first.text = format!("{} {waiting} {}", first.text, p.label);
            row.role = Role::Info;
        }
        if view.marked.contains(&row.key)
            && let Some(first) = row.cells.first_mut()
        {
            first.text = format!("✓{}", first.text);
            row.role = Role::Info;
        }
    }
}

/// Freshness of the data behind a view: when it was fetched, whether a fetch is running,
/// and the last error.
#[derive(Debug, Clone, Default)]
pub struct Freshness {
    pub fetched_at: Option<DateTime<Utc>>,
    pub loading: bool,
    pub error: Option<BackendError>,
}

fn freshness_of<T>(l: Option<&Loadable<T>>) -> Freshness {
    match l {
        Some(l) => Freshness {
            fetched_at: l.fetched_at,
            loading: l.loading,
            error: l.error.clone(),
        },
        None => Freshness {
            loading: true,
            ..Freshness::default()
        },
    }
}

pub fn freshness(store: &Store, view: &View) -> Freshness {
    match &view.kind {
        // Local data: always current, nothing to fetch.
        ViewKind::Journal => Freshness::default(),
        ViewKind::Logs { scope } => {
            freshness_of(store.tasks_of(scope.cluster(), &scope.task_filter()))
        }
        ViewKind::ServiceDetail { cluster, .. } | ViewKind::Events { cluster, .. } => {
            freshness_of(store.services_of(cluster))
        }
        ViewKind::Triage { cluster: Some(c) } => freshness_of(store.services_of(c)),
        ViewKind::Triage { cluster: None } => freshness_of(Some(&store.clusters)),
        ViewKind::Clusters => freshness_of(Some(&store.clusters)),
        ViewKind::Services { cluster } => freshness_of(store.services_of(cluster)),
        ViewKind::Tasks { .. } => match view.task_filter() {
            Some((cluster, filter)) => freshness_of(store.tasks_of(&cluster, &filter)),
            None => Freshness::default(),
        },
        ViewKind::Containers {
            cluster, filter, ..
        } => freshness_of(store.tasks_of(cluster, filter)),
        ViewKind::Describe { target } => match target {
            DescribeTarget::Cluster { .. } => freshness_of(Some(&store.clusters)),
            DescribeTarget::Service { cluster, .. } => freshness_of(store.services_of(cluster)),
            DescribeTarget::Task {
                cluster, filter, ..
            }
            | DescribeTarget::Container {
                cluster, filter, ..
            } => freshness_of(store.tasks_of(cluster, filter)),
            DescribeTarget::TaskDefinition { arn } => freshness_of(store.task_definition(arn)),
            DescribeTarget::JournalEntry { .. } => Freshness::default(),
        },
    }
}

/// The title of a view, as the breadcrumb and the table border show it.
pub fn title(view: &View) -> String {
    match &view.kind {
        ViewKind::Journal => "journal".to_string(),
        ViewKind::Logs { scope } => format!("logs({})", scope.title()),
        ViewKind::ServiceDetail { cluster, service } => format!("detail({cluster}/{service})"),
        ViewKind::Events { cluster, service } => format!("events({cluster}/{service})"),
        ViewKind::Triage { cluster: Some(c) } => format!("triage({c})"),
        ViewKind::Triage { cluster: None } => "triage(all clusters)".to_string(),
        ViewKind::Clusters => "clusters".to_string(),
        ViewKind::Services { cluster } => format!("services({cluster})"),
        ViewKind::Tasks { cluster, service } => {
            let state = if view.show_stopped {
                "stopped tasks"
            } else {
                "tasks"
            };
            match service {
                Some(s) => format!("{state}({cluster}/{s})"),
                None => format!("{state}({cluster})"),
            }
        }
        ViewKind::Containers { task_arn, .. } => {
            let id: String = crate::store::model::arn_tail(task_arn)
                .chars()
                .take(8)
                .collect();
            format!("containers({id})")
        }
        ViewKind::Describe { target } => describe::title(target),
    }
}
