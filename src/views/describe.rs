//! The describe view: the selected resource as pretty JSON, scrollable and searchable.
//!
//! What it shows is AWS's own answer — every field of DescribeClusters / DescribeServices /
//! DescribeTasks / DescribeTaskDefinition, tags included — fetched when the view opens and
//! every 30 s while it stays open (`Resource::Raw`). Until that answer arrives, or when it
//! cannot be read, ecsdeck's own summary of the resource from the list is shown, and the
//! title says so.

use serde::Serialize;

use super::containers::{find_task, task_with_definition};
use super::{Freshness, Selection, Subject, View, ViewSpec};
use crate::backend::{RawTarget, TaskFilter};
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
        let mut out = summary_resources(&self.target);
        out.extend(
            raw_targets(&self.target)
                .into_iter()
                .map(|target| Resource::Raw { target }),
        );
        out
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        match raw_targets(&self.target).first() {
            Some(first) => Freshness::of(store.raw.get(first)),
            None => Freshness::default(),
        }
    }

    /// What is described: `O` opens the page its row would. (`c` copies the JSON shown,
    /// not this: see `update::share`.)
    fn subject(&self, on: &Selection) -> Option<Subject> {
        subject(on, &self.target)
    }
}

/// What AWS is asked for to describe `target` in full (a container: its task and its task
/// definition); nothing for a journal entry, which is ecsdeck's own.
pub fn raw_targets(target: &DescribeTarget) -> Vec<RawTarget> {
    match target {
        DescribeTarget::Cluster { name } => vec![RawTarget::Cluster {
            cluster: name.clone(),
        }],
        DescribeTarget::Service { cluster, name } => vec![RawTarget::Service {
            cluster: cluster.clone(),
            service: name.clone(),
        }],
        DescribeTarget::Task { cluster, arn, .. } => vec![RawTarget::Task {
            cluster: cluster.clone(),
            task: arn.clone(),
        }],
        DescribeTarget::Container {
            cluster,
            task_arn,
            task_definition_arn,
            ..
        } => vec![
            RawTarget::Task {
                cluster: cluster.clone(),
                task: task_arn.clone(),
            },
            RawTarget::TaskDefinition {
                arn: task_definition_arn.clone(),
            },
        ],
        DescribeTarget::TaskDefinition { arn } => {
            vec![RawTarget::TaskDefinition { arn: arn.clone() }]
        }
        DescribeTarget::JournalEntry { .. } => Vec::new(),
    }
}

/// The list data ecsdeck's summary is built from (shown until AWS's full answer is in).
fn summary_resources(target: &DescribeTarget) -> Vec<Resource> {
    match target {
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

fn subject(on: &Selection, target: &DescribeTarget) -> Option<Subject> {
    use super::subject;
    Some(match target {
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

/// The JSON lines for a target — AWS's full answer when it is in, else ecsdeck's summary —
/// or None while neither is (or no longer) in the store.
pub fn lines(store: &Store, target: &DescribeTarget) -> Option<Vec<String>> {
    let json = raw_json(store, target).or_else(|| summary_json(store, target))?;
    // serde_json escapes control characters inside strings; bidi and other format
    // characters it leaves alone, so every line goes through the sanitiser too.
    Some(json.lines().map(clean).collect())
}

/// Whether the lines are AWS's full answer; if not, why, for the title.
pub fn source_note(store: &Store, target: &DescribeTarget) -> Option<String> {
    let targets = raw_targets(target);
    if targets.is_empty() || raw_value(store, target).is_some() {
        return None;
    }
    let failed = targets
        .iter()
        .filter_map(|t| store.raw.get(t))
        .find_map(|l| l.error.clone());
    Some(match failed {
        Some(e) => format!(
            "ecsdeck's summary: AWS's full answer could not be read ({} {})",
            e.operation, e.message
        ),
        None => "ecsdeck's summary while AWS's full answer loads".to_string(),
    })
}

/// AWS's answer, pretty.
fn raw_json(store: &Store, target: &DescribeTarget) -> Option<String> {
    raw_value(store, target).map(|v| to_json(v.as_ref()))
}

/// AWS's answer as it is stored; a container's is its entry in the task and in the task
/// definition, put together.
fn raw_value<'a>(
    store: &'a Store,
    target: &DescribeTarget,
) -> Option<std::borrow::Cow<'a, serde_json::Value>> {
    use std::borrow::Cow;
    let targets = raw_targets(target);
    let loaded = |t: &RawTarget| store.raw.get(t).and_then(|l| l.value());
    match target {
        DescribeTarget::Container { name, .. } => {
            let task = loaded(targets.first()?)?;
            let definition = loaded(targets.get(1)?)?;
            let named = |list: &serde_json::Value| {
                (list.as_array()?.iter())
                    .find(|c| c["name"].as_str() == Some(name.as_str()))
                    .cloned()
            };
            let container = named(&task["containers"])?;
            let definition = named(&definition["taskDefinition"]["containerDefinitions"]);
            Some(Cow::Owned(serde_json::json!({
                "container": container,
                "containerDefinition": definition,
            })))
        }
        _ => Some(Cow::Borrowed(loaded(targets.first()?)?)),
    }
}

/// ecsdeck's own model of the resource, from the lists.
fn summary_json(store: &Store, target: &DescribeTarget) -> Option<String> {
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
    Some(json)
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
