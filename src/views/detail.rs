//! The service detail pane (`m`): utilisation charts over 1 h / 6 h / 24 h, alarms,
//! deployments with rollout progress, per-task usage. Drawn by `ui::panes::detail`.

use super::{Effect, Freshness, Selection, View, ViewSpec};
use crate::backend::{DesiredStatus, TaskFilter};
use crate::domain::ecs::Service;
use crate::keymap::{Action, KeyContext};
use crate::logs::LogScope;
use crate::store::{Resource, Store};

/// One service's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub cluster: String,
    pub service: String,
}

impl Detail {
    fn running_tasks(&self) -> TaskFilter {
        TaskFilter {
            service: Some(self.service.clone()),
            desired_status: DesiredStatus::Running,
            container_instance: None,
        }
    }
}

impl Detail {
    /// Policies, scheduled actions and activities once the service is known to have a
    /// scalable target (without one it has none of them: one call a minute says so), and
    /// its Spot interruptions when it runs on FARGATE_SPOT.
    fn scaling_resources(&self, store: &Store, service: Option<&Service>) -> Vec<Resource> {
        let (cluster, name) = (self.cluster.clone(), self.service.clone());
        let mut out = Vec::new();
        if let Some(Some(_)) = store.scalable_target(&self.cluster, &self.service) {
            out.extend([
                Resource::ScalingPolicies {
                    cluster: cluster.clone(),
                    service: name.clone(),
                },
                Resource::ScheduledActions {
                    cluster: cluster.clone(),
                    service: name.clone(),
                },
                Resource::ScalingActivities {
                    cluster: cluster.clone(),
                    service: name.clone(),
                },
            ]);
        }
        if service.is_some_and(runs_on_spot) {
            out.push(Resource::SpotInterruptions {
                cluster,
                service: name,
            });
        }
        out
    }
}

/// Whether Fargate Spot can interrupt the service's tasks: its capacity provider strategy
/// names FARGATE_SPOT.
pub fn runs_on_spot(service: &Service) -> bool {
    (service.capacity_provider_strategy.iter()).any(|item| item.capacity_provider == "FARGATE_SPOT")
}

impl ViewSpec for Detail {
    fn key_context(&self) -> KeyContext {
        KeyContext::Detail
    }

    fn title(&self, _view: &View) -> String {
        format!("detail({}/{})", self.cluster, self.service)
    }

    fn cluster(&self) -> Option<&str> {
        Some(&self.cluster)
    }

    fn resources(&self, _view: &View) -> Vec<Resource> {
        vec![
            Resource::Services {
                cluster: self.cluster.clone(),
            },
            Resource::Tasks {
                cluster: self.cluster.clone(),
                filter: self.running_tasks(),
            },
            // Every state: the pane lists the alarms that watch the service, OK ones too.
            Resource::AllAlarms,
            Resource::ScalableTarget {
                cluster: self.cluster.clone(),
                service: self.service.clone(),
            },
        ]
    }

    /// The charts over the chosen range, and per-task usage when Container Insights is on
    /// (the cluster says whether it is).
    fn derived_resources(&self, view: &View, store: &Store) -> Vec<Resource> {
        let insights = store
            .clusters
            .value()
            .and_then(|v| v.iter().find(|c| c.cluster_name == self.cluster))
            .and_then(|c| c.container_insights.as_deref())
            .is_some_and(|s| s == "enabled" || s == "enhanced");
        let tasks: Vec<String> = if insights {
            store
                .tasks_of(&self.cluster, &self.running_tasks())
                .and_then(|l| l.value())
                .map(|v| v.iter().map(|t| t.short_id().to_string()).collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let service = super::services::find(store, &self.cluster, &self.service);
        let groups = service.map(Service::target_groups).unwrap_or_default();
        let mut out = vec![
            Resource::Clusters,
            Resource::ServiceDetail {
                cluster: self.cluster.clone(),
                service: self.service.clone(),
                range: view.range,
                tasks,
                balancers: super::balancing::balancer_targets(store, &groups),
            },
        ];
        if let Some(service) = service {
            out.extend(super::balancing::detail_resources(store, service));
        }
        out.extend(self.scaling_resources(store, service));
        out
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        Freshness::of(store.services_of(&self.cluster))
    }

    fn on_action(&self, action: Action, _on: &Selection) -> Option<Effect> {
        let (cluster, service) = (self.cluster.clone(), self.service.clone());
        match action {
            Action::Logs => Some(Effect::OpenLogs(LogScope::Service { cluster, service })),
            Action::Events => Some(Effect::Push(
                super::events::Events { cluster, service }.into(),
            )),
            Action::CycleRange => Some(Effect::Edit(|view| view.range = view.range.next())),
            _ => None,
        }
    }

    /// The service. (Its alarms are lines of the pane, not rows: they have no cursor.)
    fn subject(&self, on: &Selection) -> Option<super::Subject> {
        Some(super::subject::service(
            on.store,
            &self.cluster,
            &self.service,
        ))
    }
}
