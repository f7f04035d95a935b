//! The triage view (`:triage`, `:triage all`): services that need attention, worst first.

use chrono::{DateTime, Utc};

use super::table::{Cell, Column, Role, TableModel, TableRow};
use super::triage_rules::{rows, stopped_filter};
use super::{
    Effect, Freshness, RowContext, Selection, View, ViewKind, ViewSpec, cluster_names,
    cluster_watch,
};
use crate::domain::metrics::Thresholds;
use crate::keymap::{Action, KeyContext};
use crate::store::{Resource, Store};

/// `:triage` (this cluster) or `:triage all`: services that need attention, worst first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triage {
    pub cluster: Option<String>,
}

impl ViewSpec for Triage {
    fn key_context(&self) -> KeyContext {
        KeyContext::Triage
    }

    fn title(&self, _view: &View) -> String {
        match &self.cluster {
            Some(c) => format!("triage({c})"),
            None => "triage(all clusters)".to_string(),
        }
    }

    fn cluster(&self) -> Option<&str> {
        self.cluster.as_deref()
    }

    fn resources(&self, _view: &View) -> Vec<Resource> {
        Vec::new()
    }

    /// Services, their utilisation, stopped tasks and alarms of every cluster triaged.
    fn derived_resources(&self, view: &View, store: &Store) -> Vec<Resource> {
        let clusters = match &self.cluster {
            Some(c) => vec![c.clone()],
            None => cluster_names(store),
        };
        let mut out = vec![Resource::Alarms];
        if self.cluster.is_none() {
            out.push(Resource::Clusters);
        }
        for c in &clusters {
            out.extend(cluster_watch(store, c));
            out.push(Resource::Tasks {
                cluster: c.clone(),
                filter: stopped_filter(),
            });
        }
        out.extend(balancing_resources(view, store, &clusters));
        out
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        match &self.cluster {
            Some(c) => Freshness::of(store.services_of(c)),
            None => Freshness::of(Some(&store.clusters)),
        }
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        Some(model(
            ctx.store,
            self.cluster.as_deref(),
            ctx.thresholds,
            ctx.now,
        ))
    }

    /// `enter` jumps to the service: its cluster's services list, with it selected.
    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        if action != Action::Open {
            return None;
        }
        let (cluster, service) = on.key?.split_once('/')?;
        let mut services = View::new(ViewKind::services(cluster));
        services.selected_key = Some(service.to_string());
        Some(Effect::Jump(vec![
            View::new(ViewKind::clusters()),
            services,
        ]))
    }

    /// The service the row is about.
    fn subject(&self, on: &Selection) -> Option<super::Subject> {
        let (cluster, service) = on.key?.split_once('/')?;
        Some(super::subject::service(on.store, cluster, service))
    }
}

/// The load balancers' side of triage: every triaged service's target groups and load
/// balancers (cached), their signals in one batched GetMetricData a minute, and the target
/// health of the rows on screen (for the reason in words).
fn balancing_resources(view: &View, store: &Store, clusters: &[String]) -> Vec<Resource> {
    let services: Vec<&crate::domain::ecs::Service> = clusters
        .iter()
        .filter_map(|c| store.services_of(c).and_then(|l| l.value()))
        .flatten()
        .collect();
    let mut groups: Vec<String> = services.iter().flat_map(|s| s.target_groups()).collect();
    groups.sort();
    groups.dedup();
    if groups.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Resource::TargetGroups {
        arns: groups.clone(),
    }];
    let balancers = super::balancing::load_balancer_arns(store, &groups);
    if !balancers.is_empty() {
        out.push(Resource::LoadBalancers { arns: balancers });
    }
    let targets = super::balancing::balancer_targets(store, &groups);
    if !targets.is_empty() {
        out.push(Resource::BalancerMetrics { targets });
    }
    let shown = view.on_screen.iter().filter_map(|key| {
        let (cluster, name) = key.split_once('/')?;
        super::services::find(store, cluster, name)
    });
    out.extend(super::balancing::target_health(shown));
    out
}

/// Row keys are `cluster/service`, so Enter can jump to the service.
pub fn model(
    store: &Store,
    cluster: Option<&str>,
    thresholds: Thresholds,
    now: DateTime<Utc>,
) -> TableModel {
    let columns = vec![
        Column::new("CLUSTER", 24, 2),
        Column::new("SERVICE", 32, 0),
        Column::new("WHY", 200, 0),
    ];
    let clusters: Vec<String> = match cluster {
        Some(c) => vec![c.to_string()],
        None => cluster_names(store),
    };
    let rows = rows(store, &clusters, thresholds, now)
        .into_iter()
        .map(|r| {
            let worst = r.findings.first().map_or(0, |f| f.severity);
            let role = match worst {
                80.. => Role::Failure,
                50.. => Role::Warning,
                _ => Role::Text,
            };
            let why: Vec<String> = r.findings.iter().map(|f| f.reason.clone()).collect();
            TableRow {
                key: format!("{}/{}", r.cluster, r.service),
                cells: vec![
                    Cell::new(&r.cluster),
                    Cell::new(&r.service),
                    Cell::new(why.join("; ")),
                ],
                role,
            }
        })
        .collect();
    TableModel::new(columns, rows)
}
