//! The log pane (`l`): live logs of a service, a task or a container. Its behaviour is
//! `update::log_pane`; its drawing `ui::panes::logs`; its lines `store::log_session`.

use super::subject::Subject;
use super::{Freshness, Selection, View, ViewSpec};
use crate::domain::console::Page;
use crate::keymap::KeyContext;
use crate::logs::{LogScope, LogSession};
use crate::store::log_buffer::LogLine;
use crate::store::{Resource, Store};

/// Logs of a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logs {
    pub scope: LogScope,
}

impl ViewSpec for Logs {
    fn key_context(&self) -> KeyContext {
        KeyContext::Logs
    }

    fn title(&self, _view: &View) -> String {
        format!("logs({})", self.scope.title())
    }

    fn cluster(&self) -> Option<&str> {
        Some(self.scope.cluster())
    }

    /// The tasks in scope: the tail follows them as they start and stop.
    fn resources(&self, _view: &View) -> Vec<Resource> {
        vec![Resource::Tasks {
            cluster: self.scope.cluster().to_string(),
            filter: self.scope.task_filter(),
        }]
    }

    /// Their task definitions: they name the log groups and stream prefixes.
    fn derived_resources(&self, _view: &View, store: &Store) -> Vec<Resource> {
        self.scope
            .tasks(store)
            .into_iter()
            .map(|t| Resource::TaskDefinition {
                arn: t.task_definition_arn.clone(),
            })
            .collect()
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        Freshness::of(store.tasks_of(self.scope.cluster(), &self.scope.task_filter()))
    }

    /// The log stream followed when there is one, else the (first) log group; when nothing
    /// logs to CloudWatch, the service, task or container the pane is about.
    fn subject(&self, on: &Selection) -> Option<Subject> {
        let streams = self.scope.targets(on.store).streams;
        let Some(first) = streams.first() else {
            return Some(scope_subject(&self.scope, on.store));
        };
        Some(Subject {
            kind: "log group",
            name: first.group.clone(),
            arn: None,
            page: Some(Page::LogGroup {
                group: first.group.clone(),
                stream: (streams.len() == 1).then(|| first.stream.clone()),
                region: first.region.clone(),
            }),
            clip: None,
        })
    }
}

fn scope_subject(scope: &LogScope, store: &Store) -> Subject {
    match scope {
        LogScope::Service { cluster, service } => super::subject::service(store, cluster, service),
        LogScope::Task {
            cluster, task_arn, ..
        } => super::subject::task(cluster, task_arn),
        LogScope::Container {
            cluster,
            task_arn,
            container,
            ..
        } => {
            let task = scope.tasks(store).into_iter().next();
            super::containers::subject(store, cluster, task_arn, task, container)
        }
    }
}

/// How one log pane is being read.
#[derive(Debug, Clone, Default)]
pub struct LogViewState {
    /// Lines (as displayed: all, or only matches in filter mode) below the bottom of the
    /// pane; 0 means following the end.
    pub scroll: usize,
    pub wrap: bool,
    pub hide_timestamps: bool,
    /// The search term (case-insensitive), highlighted; in filter mode only matching lines
    /// are shown.
    pub search: Option<String>,
    pub filter_mode: bool,
    pub expand_json: bool,
    /// The buffer index of the match `n`/`N` moved to.
    pub current_match: Option<usize>,
}

impl LogViewState {
    pub fn following(&self) -> bool {
        self.scroll == 0
    }
}

/// Case-insensitive substring test without allocating for ASCII needles (the common case).
pub fn contains_ci(haystack: &str, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if needle_lower.is_ascii() {
        let n = needle_lower.as_bytes();
        return haystack
            .as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(needle_lower)
}

/// The lines the pane displays, as buffer indices (all of them unless filter mode is on).
pub fn displayed(session: &LogSession, view: &LogViewState) -> Vec<usize> {
    match (&view.search, view.filter_mode) {
        (Some(term), true) if !term.is_empty() => {
            let needle = term.to_lowercase();
            session
                .buffer
                .iter()
                .enumerate()
                .filter(|(_, l)| line_matches(l, &needle))
                .map(|(i, _)| i)
                .collect()
        }
        _ => (0..session.buffer.len()).collect(),
    }
}

pub fn line_matches(line: &LogLine, needle_lower: &str) -> bool {
    contains_ci(&line.message, needle_lower)
        || contains_ci(&line.task, needle_lower)
        || contains_ci(&line.container, needle_lower)
}

/// The text a line is saved (and shown) as, without colours.
pub fn plain(line: &LogLine, timestamps: bool) -> String {
    if timestamps {
        format!(
            "{} {} {} {}",
            line.timestamp.format("%Y-%m-%dT%H:%M:%S%.3fZ"),
            line.task,
            line.container,
            line.message
        )
    } else {
        format!("{} {} {}", line.task, line.container, line.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_search() {
        assert!(contains_ci("GET /Checkout 500", "checkout"));
        assert!(contains_ci("Überweisung fehlgeschlagen", "überweisung"));
        assert!(!contains_ci("ok", "error"));
        assert!(contains_ci("anything", ""));
    }
}
