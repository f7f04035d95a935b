//! Which CloudWatch Logs streams a log pane follows: from each task's task definition
//! (awslogs group, region, stream prefix → stream `prefix/container/task-id`), and in words,
//! where the containers that do not log to CloudWatch send their logs instead.

use crate::backend::TaskFilter;
use crate::domain::ecs::{LogConfiguration, Task, TaskDefinition};
use crate::store::Store;

/// What a log pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogScope {
    /// Every running task of a service, merged.
    Service { cluster: String, service: String },
    /// One task, all its containers.
    Task {
        cluster: String,
        filter: TaskFilter,
        task_arn: String,
    },
    /// One container of one task.
    Container {
        cluster: String,
        filter: TaskFilter,
        task_arn: String,
        container: String,
    },
}

/// One CloudWatch Logs stream to follow.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StreamRef {
    pub group: String,
    pub region: Option<String>,
    pub stream: String,
}

/// The streams of a scope, plus notes for the containers that cannot be followed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogTargets {
    pub streams: Vec<StreamRef>,
    /// "envoy logs through FireLens (Name=datadog)", ...
    pub notes: Vec<String>,
    /// Some tasks' definitions are not loaded yet (their streams are still unknown).
    pub incomplete: bool,
}

impl LogScope {
    pub fn cluster(&self) -> &str {
        match self {
            LogScope::Service { cluster, .. }
            | LogScope::Task { cluster, .. }
            | LogScope::Container { cluster, .. } => cluster,
        }
    }

    /// The tasks resource the scope's tasks come from.
    pub fn task_filter(&self) -> TaskFilter {
        match self {
            LogScope::Service { service, .. } => TaskFilter {
                service: Some(service.clone()),
                ..TaskFilter::default()
            },
            LogScope::Task { filter, .. } | LogScope::Container { filter, .. } => filter.clone(),
        }
    }

    /// A short title: `prod/api`, `task 0f3a9c1b`, `app of 0f3a9c1b`.
    pub fn title(&self) -> String {
        let short =
            |arn: &str| -> String { crate::domain::ecs::arn_tail(arn).chars().take(8).collect() };
        match self {
            LogScope::Service { cluster, service } => format!("{cluster}/{service}"),
            LogScope::Task { task_arn, .. } => format!("task {}", short(task_arn)),
            LogScope::Container {
                task_arn,
                container,
                ..
            } => format!("{container} of {}", short(task_arn)),
        }
    }

    /// The tasks in scope, as the store has them now.
    pub fn tasks<'a>(&self, store: &'a Store) -> Vec<&'a Task> {
        let tasks = store
            .tasks_of(self.cluster(), &self.task_filter())
            .and_then(|l| l.value());
        let tasks = tasks.map(Vec::as_slice).unwrap_or_default();
        match self {
            LogScope::Service { .. } => tasks.iter().collect(),
            LogScope::Task { task_arn, .. } | LogScope::Container { task_arn, .. } => {
                tasks.iter().filter(|t| &t.task_arn == task_arn).collect()
            }
        }
    }

    /// The streams to follow and the notes to show, from the store.
    pub fn targets(&self, store: &Store) -> LogTargets {
        let mut out = LogTargets::default();
        for task in self.tasks(store) {
            let Some(definition) = store
                .task_definition(&task.task_definition_arn)
                .and_then(|l| l.value())
            else {
                out.incomplete = true;
                continue;
            };
            collect(self, task, definition, &mut out);
        }
        out.streams.sort();
        out.streams.dedup();
        out.notes.sort();
        out.notes.dedup();
        out
    }
}

fn collect(scope: &LogScope, task: &Task, definition: &TaskDefinition, out: &mut LogTargets) {
    for container in &definition.container_definitions {
        if let LogScope::Container {
            container: only, ..
        } = scope
            && &container.name != only
        {
            continue;
        }
        match &container.log_configuration {
            Some(log) if log.log_driver == "awslogs" => {
                match awslogs_stream(log, &container.name, task) {
                    Some(stream) => out.streams.push(stream),
                    None => out.notes.push(format!(
                        "{} logs to {} without a stream prefix: its stream name cannot be derived",
                        container.name,
                        log.options
                            .get("awslogs-group")
                            .map_or("CloudWatch", String::as_str)
                    )),
                }
            }
            Some(log) => out.notes.push(elsewhere(&container.name, log)),
            None => out.notes.push(format!(
                "{} has no log configuration (logs are not kept)",
                container.name
            )),
        }
    }
}

/// awslogs names streams `prefix/container-name/task-id`.
pub fn awslogs_stream(log: &LogConfiguration, container: &str, task: &Task) -> Option<StreamRef> {
    let group = log.options.get("awslogs-group")?;
    let prefix = log.options.get("awslogs-stream-prefix")?;
    Some(StreamRef {
        group: group.clone(),
        region: log.options.get("awslogs-region").cloned(),
        stream: format!("{prefix}/{container}/{}", task.short_id()),
    })
}

/// Where a container that does not use awslogs sends its logs, in words.
fn elsewhere(container: &str, log: &LogConfiguration) -> String {
    let option = |k: &str| log.options.get(k).map(String::as_str);
    match log.log_driver.as_str() {
        "awsfirelens" => format!(
            "{container} logs through FireLens{} (see the log router's destination)",
            option("Name")
                .map(|n| format!(" to {n}"))
                .unwrap_or_default()
        ),
        "splunk" => format!(
            "{container} logs to Splunk{}",
            option("splunk-url")
                .map(|u| format!(" at {u}"))
                .unwrap_or_default()
        ),
        "fluentd" => format!(
            "{container} logs to fluentd{}",
            option("fluentd-address")
                .map(|a| format!(" at {a}"))
                .unwrap_or_default()
        ),
        "syslog" => format!("{container} logs to syslog"),
        driver => format!("{container} logs with the {driver} driver, not to CloudWatch"),
    }
}
