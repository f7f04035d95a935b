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

    /// Services, their utilisation, stopped tasks and alarms of every cluster triaged, and
    /// the target health of the rows on screen.
    fn derived_resources(&self, view: &View, store: &Store) -> Vec<Resource> {
        let clusters = match &self.cluster {
            Some(c) => vec![c.clone()],
            None => cluster_names(store),
        };
        let mut out = inputs(store, &clusters, self.cluster.is_none());
        let shown = view.on_screen.iter().filter_map(|key| {
            let (cluster, name) = key.split_once('/')?;
            super::services::find(store, cluster, name)
        });
        out.extend(super::balancing::target_health(shown));
        out
    }

    /// `:triage all` spans the other regions too: the same inputs from each (the load
    /// balancers' state there comes from their metrics, not per-row target health).
    fn regional_resources(&self, _view: &View, regional: &Store) -> Vec<Resource> {
        if self.cluster.is_some() {
            return Vec::new();
        }
        inputs(regional, &cluster_names(regional), true)
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
            ctx.region,
        ))
    }

    /// `enter` jumps to the service: its cluster's services list, with it selected (in its
    /// region, when it is another one the session spans).
    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        if action != Action::Open {
            return None;
        }
        let (key, region) = super::clusters::split_region(on.key?);
        let (cluster, service) = key.split_once('/')?;
        let mut services = View::new(ViewKind::services(cluster));
        services.selected_key = Some(service.to_string());
        let views = vec![View::new(ViewKind::clusters()), services];
        Some(match region {
            Some(region) => Effect::OpenInRegion {
                region: region.to_string(),
                views,
            },
            None => Effect::Jump(views),
        })
    }

    /// The service the row is about (in this region: another region's rows have none here).
    fn subject(&self, on: &Selection) -> Option<super::Subject> {
        let (key, None) = super::clusters::split_region(on.key?) else {
            return None;
        };
        let (cluster, service) = key.split_once('/')?;
        Some(super::subject::service(on.store, cluster, service))
    }
}

/// What triage reads of `clusters` in one region's store (with the clusters list itself for
/// `:triage all`).
fn inputs(store: &Store, clusters: &[String], all: bool) -> Vec<Resource> {
    let mut out = vec![Resource::Alarms];
    if all {
        out.push(Resource::Clusters);
    }
    for c in clusters {
        out.extend(cluster_watch(store, c));
        out.push(Resource::Tasks {
            cluster: c.clone(),
            filter: stopped_filter(),
        });
    }
    out.extend(balancing_resources(store, clusters));
    out
}

/// The load balancers' side of triage: every triaged service's target groups and load
/// balancers (cached), and their signals in one batched GetMetricData a minute.
fn balancing_resources(store: &Store, clusters: &[String]) -> Vec<Resource> {
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
    out
}

/// Row keys are `cluster/service` (`cluster/service@region` for another spanned region's),
/// so Enter can jump to the service. `:triage all` spans every region of the session.
pub fn model(
    store: &Store,
    cluster: Option<&str>,
    thresholds: Thresholds,
    now: DateTime<Utc>,
    here: &str,
) -> TableModel {
    let spans = cluster.is_none() && !store.regions.is_empty();
    // Across regions, which cluster where is part of the answer: those columns stay.
    let mut columns = vec![Column::new("CLUSTER", 24, if spans { 0 } else { 2 })];
    if spans {
        columns.push(Column::new("REGION", 14, 0));
    }
    // WHY takes what is left (squeezed rather than squeezing the others).
    let why_drop = if spans { 1 } else { 0 };
    columns.extend([
        Column::new("SERVICE", 32, 0),
        Column::new("WHY", 200, why_drop),
    ]);
    let clusters: Vec<String> = match cluster {
        Some(c) => vec![c.to_string()],
        None => cluster_names(store),
    };
    let mut found: Vec<(Option<&str>, _)> = rows(store, &clusters, thresholds, now)
        .into_iter()
        .map(|r| (None, r))
        .collect();
    if spans {
        for (region, regional) in &store.regions {
            let clusters = cluster_names(regional);
            let more = rows(regional, &clusters, thresholds, now);
            found.extend(more.into_iter().map(|r| (Some(region.as_str()), r)));
        }
        // Worst first across regions, as within one.
        found.sort_by_key(|(_, r)| std::cmp::Reverse(r.score()));
    }
    let rows = found
        .into_iter()
        .map(|(region, r)| {
            let worst = r.findings.first().map_or(0, |f| f.severity);
            let role = match worst {
                80.. => Role::Failure,
                50.. => Role::Warning,
                _ => Role::Text,
            };
            let why: Vec<String> = r.findings.iter().map(|f| f.reason.clone()).collect();
            let mut cells = vec![Cell::new(&r.cluster)];
            if spans {
                cells.push(Cell::new(region.unwrap_or(here)));
            }
            cells.extend([Cell::new(&r.service), Cell::new(why.join("; "))]);
            let key = match region {
                Some(region) => format!("{}/{}@{region}", r.cluster, r.service),
                None => format!("{}/{}", r.cluster, r.service),
            };
            TableRow { key, cells, role }
        })
        .collect();
    TableModel::new(columns, rows)
}
