//! The events view (`e`): a service's event log, newest first, with ages.

use chrono::{DateTime, Utc};

use super::format::{age_cell, dash};
use super::subject::{Clip, Subject};
use super::table::{Cell, Column, Role, TableModel, TableRow};
use super::{Freshness, RowContext, Selection, View, ViewSpec};
use crate::keymap::KeyContext;
use crate::store::{Resource, Store};

/// `e`: a service's events, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Events {
    pub cluster: String,
    pub service: String,
}

impl ViewSpec for Events {
    fn key_context(&self) -> KeyContext {
        KeyContext::Events
    }

    fn title(&self, _view: &View) -> String {
        format!("events({}/{})", self.cluster, self.service)
    }

    fn cluster(&self) -> Option<&str> {
        Some(&self.cluster)
    }

    fn resources(&self, _view: &View) -> Vec<Resource> {
        vec![Resource::Services {
            cluster: self.cluster.clone(),
        }]
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        Freshness::of(store.services_of(&self.cluster))
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        Some(model(ctx.store, &self.cluster, &self.service, ctx.now))
    }

    /// The service the events are about; `c` copies the event's message (what gets pasted
    /// into an incident channel), which has no ARN of its own.
    fn subject(&self, on: &Selection) -> Option<Subject> {
        let mut subject = super::subject::service(on.store, &self.cluster, &self.service);
        let event = super::services::find(on.store, &self.cluster, &self.service)
            .and_then(|s| s.events.iter().find(|e| Some(e.id.as_str()) == on.key));
        subject.clip = event.map(|e| Clip {
            text: e.message.clone(),
            what: format!("an event of service {}", self.service),
        });
        Some(subject)
    }
}

pub fn model(store: &Store, cluster: &str, service: &str, now: DateTime<Utc>) -> TableModel {
    let columns = vec![
        Column::new("AGE", 5, 0),
        Column::new("TIME (UTC)", 19, 0),
        // Last and longest: it takes what is left and is cut, never the time.
        Column::new("MESSAGE", 200, 1),
    ];
    let mut events: Vec<_> = store
        .services_of(cluster)
        .and_then(|l| l.value())
        .and_then(|v| v.iter().find(|s| s.service_name == service))
        .map(|s| s.events.clone())
        .unwrap_or_default();
    events.sort_by_key(|e| std::cmp::Reverse(e.created_at));
    let rows = events
        .into_iter()
        .map(|e| {
            let lower = e.message.to_lowercase();
            let role = if lower.contains("failed")
                || lower.contains("unable")
                || lower.contains("unhealthy")
            {
                Role::Failure
            } else if lower.contains("rolling back")
                || lower.contains("stopped")
                || lower.contains("draining")
            {
                Role::Warning
            } else if lower.contains("steady state") {
                Role::Success
            } else {
                Role::Text
            };
            TableRow {
                key: e.id.clone(),
                cells: vec![
                    age_cell(e.created_at, now),
                    Cell::new(dash(
                        e.created_at
                            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                            .as_deref(),
                    )),
                    Cell::new(&e.message),
                ],
                role,
            }
        })
        .collect();
    TableModel::new(columns, rows)
}
