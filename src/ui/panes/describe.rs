//! The describe view: the selected resource as pretty JSON, scrollable. It renders from the
//! store on every frame, so what it shows is as fresh as the list it came from.

use serde::Serialize;

use super::containers::find_task;
use crate::store::Store;
use crate::view::DescribeTarget;

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
                container: &'a crate::store::model::Container,
                definition: Option<&'a crate::store::model::ContainerDefinition>,
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
    // serde_json escapes control characters inside strings, so AWS text cannot inject
    // terminal sequences here.
    Some(json.lines().map(str::to_string).collect())
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
            format!("task {}", crate::store::model::arn_tail(arn))
        }
        DescribeTarget::Container { name, task_arn, .. } => format!(
            "container {name} of task {}",
            crate::store::model::arn_tail(task_arn)
        ),
        DescribeTarget::TaskDefinition { arn } => format!(
            "task definition {}",
            crate::store::model::task_definition_short(arn)
        ),
        DescribeTarget::JournalEntry { .. } => "journal entry".to_string(),
    }
}
