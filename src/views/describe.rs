//! The describe view: the selected resource as pretty JSON, scrollable. It renders from the
//! store on every frame, so what it shows is as fresh as the list it came from.

use serde::Serialize;

use super::containers::{find_task, task_with_definition};
use super::{Freshness, Selection, Subject, View, ViewSpec};
use crate::backend::TaskFilter;
use crate::domain::text::clean;
use crate::keymap::KeyContext;
use crate::store::{Resource, Store};

/// `d` (and `t` for a service's task definition): the resource as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Describe {
    pub target: DescribeTarget,
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
    /// One journal entry, by `journal::entry_key`.
    JournalEntry {
        key: String,
    },
}

impl ViewSpec for Describe {
    fn key_context(&self) -> KeyContext {
        KeyContext::Describe
    }

    fn title(&self, _view: &View) -> String {
        title(&self.target)
    }

    fn cluster(&self) -> Option<&str> {
        match &self.target {
            DescribeTarget::Cluster { name } => Some(name),
            DescribeTarget::Service { cluster, .. }
            | DescribeTarget::Task { cluster, .. }
            | DescribeTarget::Container { cluster, .. } => Some(cluster),
            DescribeTarget::TaskDefinition { .. } | DescribeTarget::JournalEntry { .. } => None,
        }
    }

    fn resources(&self, _view: &View) -> Vec<Resource> {
        match &self.target {
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
        }
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        match &self.target {
            DescribeTarget::Cluster { .. } => Freshness::of(Some(&store.clusters)),
            DescribeTarget::Service { cluster, .. } => Freshness::of(store.services_of(cluster)),
            DescribeTarget::Task {
                cluster, filter, ..
            }
            | DescribeTarget::Container {
                cluster, filter, ..
            } => Freshness::of(store.tasks_of(cluster, filter)),
            DescribeTarget::TaskDefinition { arn } => Freshness::of(store.task_definition(arn)),
            DescribeTarget::JournalEntry { .. } => Freshness::default(),
        }
    }

    /// What is described: `O` opens the page its row would. (`c` copies the JSON shown,
    /// not this: see `update::share`.)
    fn subject(&self, on: &Selection) -> Option<Subject> {
        use super::subject;
        Some(match &self.target {
            DescribeTarget::Cluster { name } => subject::cluster(on.store, name),
            DescribeTarget::Service { cluster, name } => subject::service(on.store, cluster, name),
            DescribeTarget::Task { cluster, arn, .. } => subject::task(cluster, arn),
            DescribeTarget::Container {
                cluster,
                filter,
                task_arn,
                name,
                ..
            } => {
                let task = find_task(on.store, cluster, filter, task_arn);
                super::containers::subject(on.store, cluster, task_arn, task, name)
            }
            DescribeTarget::TaskDefinition { arn } => subject::task_definition(arn),
            DescribeTarget::JournalEntry { .. } => return None,
        })
    }
}

/// The JSON lines for a target, or None while it is not (or no longer) in the store.
pub fn lines(store: &Store, target: &DescribeTarget) -> Option<Vec<String>> {
    let json = match target {
        DescribeTarget::Cluster { name } => to_json(
            store
                .clusters
                .value()?
                .iter()
                .find(|c| &c.cluster_name == name)?,
        ),
        DescribeTarget::Service { cluster, name } => to_json(
            store
                .services_of(cluster)?
                .value()?
                .iter()
                .find(|s| &s.service_name == name)?,
        ),
        DescribeTarget::Task {
            cluster,
            filter,
            arn,
        } => to_json(find_task(store, cluster, filter, arn)?),
        DescribeTarget::Container {
            cluster,
            filter,
            task_arn,
            name,
            ..
        } => {
            let task = find_task(store, cluster, filter, task_arn)?;
            let container = task.containers.iter().find(|c| &c.name == name)?;
            let definition = store
                .task_definition(&task.task_definition_arn)
                .and_then(|l| l.value())
                .and_then(|d| d.container(name));
            #[derive(Serialize)]
            struct ContainerDescription<'a> {
                container: &'a crate::domain::ecs::Container,
                definition: Option<&'a crate::domain::ecs::ContainerDefinition>,
            }
            to_json(&ContainerDescription {
                container,
                definition,
            })
        }
        DescribeTarget::TaskDefinition { arn } => to_json(store.task_definition(arn)?.value()?),
        DescribeTarget::JournalEntry { key } => to_json(
            store
                .journal
                .iter()
                .find(|e| &super::journal::entry_key(e) == key)?,
        ),
    };
    // serde_json escapes control characters inside strings; bidi and other format
    // characters it leaves alone, so every line goes through the sanitiser too.
    Some(json.lines().map(clean).collect())
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| format!("(cannot show this resource as JSON: {e})"))
}

/// A short title for the describe view.
pub fn title(target: &DescribeTarget) -> String {
    match target {
        DescribeTarget::Cluster { name } => format!("cluster {name}"),
        DescribeTarget::Service { cluster, name } => format!("service {cluster}/{name}"),
        DescribeTarget::Task { arn, .. } => {
            format!("task {}", crate::domain::ecs::arn_tail(arn))
        }
        DescribeTarget::Container { name, task_arn, .. } => format!(
            "container {name} of task {}",
            crate::domain::ecs::arn_tail(task_arn)
        ),
        DescribeTarget::TaskDefinition { arn } => format!(
            "task definition {}",
            crate::domain::ecs::task_definition_short(arn)
        ),
        DescribeTarget::JournalEntry { .. } => "journal entry".to_string(),
    }
}
