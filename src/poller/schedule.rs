//! When each focused resource is next due. Pure bookkeeping, tested without a runtime.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use tokio::time::Instant;

use crate::backend::{BackendError, ErrorKind};
use crate::config::RefreshIntervals;
use crate::store::Resource;

/// The most a throttled resource's interval is stretched.
const MAX_THROTTLE_FACTOR: u32 = 8;
/// The most any other failing resource's interval is stretched.
const MAX_ERROR_FACTOR: u32 = 4;

#[derive(Debug, Clone)]
struct Slot {
    /// None: not due again (an immutable resource fetched successfully).
    next_due: Option<Instant>,
    /// Multiplies the interval after failures; 1 when healthy.
    backoff: u32,
}

#[derive(Debug)]
pub struct Schedule {
    intervals: RefreshIntervals,
    slots: HashMap<Resource, Slot>,
}

impl Schedule {
    pub fn new(intervals: RefreshIntervals) -> Schedule {
        Schedule {
            intervals,
            slots: HashMap::new(),
        }
    }

    /// The base interval of a resource; None for resources that never change.
    fn interval(&self, resource: &Resource) -> Option<Duration> {
        match resource {
            Resource::Clusters => Some(self.intervals.clusters),
            Resource::Services { .. } => Some(self.intervals.services),
            Resource::Tasks { .. } => Some(self.intervals.tasks),
            Resource::ServiceMetrics { .. }
            | Resource::ClusterMetrics { .. }
            | Resource::Alarms
            | Resource::ServiceDetail { .. } => Some(self.intervals.metrics),
            // Fetched once per dialog: immutable, or only read when a dialog opens.
            Resource::TaskDefinition { .. }
            | Resource::Revisions { .. }
            | Resource::ScalableTarget { .. } => None,
        }
    }

    /// Keeps exactly the focused resources; new ones are due now.
    pub fn set_focus(&mut self, wanted: &[Resource], now: Instant) {
        self.slots.retain(|r, _| wanted.contains(r));
        for r in wanted {
            self.slots.entry(r.clone()).or_insert(Slot {
                next_due: Some(now),
                backoff: 1,
            });
        }
    }

    /// Resources due at `now` and not in flight; they are marked not due until `finished`
    /// reschedules them.
    pub fn due(&mut self, now: Instant, in_flight: &HashSet<Resource>) -> Vec<Resource> {
        let mut due: Vec<Resource> = self
            .slots
            .iter_mut()
            .filter(|(r, s)| s.next_due.is_some_and(|d| d <= now) && !in_flight.contains(*r))
            .map(|(r, s)| {
                s.next_due = None;
                r.clone()
            })
            .collect();
        due.sort();
        due
    }

    /// Reschedules after a fetch: the next poll is one interval after this one *ended*.
    pub fn finished(&mut self, resource: &Resource, error: Option<&BackendError>, now: Instant) {
        let base = self.interval(resource);
        let Some(slot) = self.slots.get_mut(resource) else {
            return;
        };
        slot.backoff = match error.map(|e| e.kind) {
            None => 1,
            Some(ErrorKind::Throttled) => (slot.backoff * 2).min(MAX_THROTTLE_FACTOR),
            Some(_) => (slot.backoff * 2).min(MAX_ERROR_FACTOR),
        };
        // A refresh asked for while the fetch ran (`ctrl-r`) stays due right away.
        let requested = slot.next_due;
        slot.next_due = match (base, error) {
            (Some(base), _) => Some(now + base * slot.backoff),
            // An immutable resource is retried after an error, never re-polled after success.
            (None, Some(_)) => Some(now + self.intervals.services * slot.backoff),
            (None, None) => None,
        };
        if let Some(requested) = requested {
            slot.next_due = Some(slot.next_due.map_or(requested, |d| d.min(requested)));
        }
    }

    /// `ctrl-r`: everything focused is due now (in-flight ones right after they finish).
    pub fn refresh_all(&mut self, now: Instant) {
        for slot in self.slots.values_mut() {
            slot.next_due = Some(now);
        }
    }

    /// The earliest time something not in flight is due.
    pub fn next_due(&self, in_flight: &HashSet<Resource>) -> Option<Instant> {
        self.slots
            .iter()
            .filter(|(r, _)| !in_flight.contains(*r))
            .filter_map(|(_, s)| s.next_due)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> HashSet<Resource> {
        HashSet::new()
    }

    fn services(c: &str) -> Resource {
        Resource::Services {
            cluster: c.to_string(),
        }
    }

    #[test]
    fn only_focused_resources_are_due_and_once() {
        let t0 = Instant::now();
        let mut s = Schedule::new(RefreshIntervals::default());
        s.set_focus(&[Resource::Clusters, services("a")], t0);
        assert_eq!(s.due(t0, &none()), vec![Resource::Clusters, services("a")]);
        // In flight: not due again until finished.
        assert!(s.due(t0 + Duration::from_secs(60), &none()).is_empty());
        s.finished(&services("a"), None, t0 + Duration::from_secs(1));
        assert!(s.due(t0 + Duration::from_secs(5), &none()).is_empty());
        assert_eq!(
            s.due(t0 + Duration::from_secs(6), &none()),
            vec![services("a")]
        );
        // Leaving the view stops its polling.
        s.set_focus(&[Resource::Clusters], t0);
        s.finished(&services("a"), None, t0);
        assert!(s.due(t0 + Duration::from_secs(600), &none()).is_empty());
    }

    #[test]
    fn throttling_stretches_the_interval_and_success_restores_it() {
        let t0 = Instant::now();
        let mut s = Schedule::new(RefreshIntervals::default());
        s.set_focus(&[services("a")], t0);
        s.due(t0, &none());
        let throttled =
            BackendError::new(ErrorKind::Throttled, "DescribeServices", "Rate exceeded");
        s.finished(&services("a"), Some(&throttled), t0);
        assert_eq!(
            s.next_due(&HashSet::new()),
            Some(t0 + Duration::from_secs(10))
        );
        s.due(t0 + Duration::from_secs(10), &none());
        s.finished(&services("a"), Some(&throttled), t0);
        assert_eq!(
            s.next_due(&HashSet::new()),
            Some(t0 + Duration::from_secs(20))
        );
        s.due(t0 + Duration::from_secs(20), &none());
        s.finished(&services("a"), None, t0);
        assert_eq!(
            s.next_due(&HashSet::new()),
            Some(t0 + Duration::from_secs(5))
        );
    }

    #[test]
    fn task_definitions_are_fetched_once() {
        let t0 = Instant::now();
        let td = Resource::TaskDefinition {
            arn: "arn:td/api:1".to_string(),
        };
        let mut s = Schedule::new(RefreshIntervals::default());
        s.set_focus(std::slice::from_ref(&td), t0);
        assert_eq!(s.due(t0, &none()), vec![td.clone()]);
        s.finished(&td, None, t0);
        assert_eq!(s.next_due(&HashSet::new()), None);
        s.refresh_all(t0);
        assert_eq!(s.due(t0, &none()), vec![td]);
    }

    #[test]
    fn a_refresh_during_a_fetch_runs_right_after_it() {
        let t0 = Instant::now();
        let mut s = Schedule::new(RefreshIntervals::default());
        s.set_focus(&[services("a")], t0);
        assert_eq!(s.due(t0, &none()).len(), 1);
        let in_flight: HashSet<Resource> = [services("a")].into_iter().collect();
        s.refresh_all(t0);
        // Still in flight: not started twice.
        assert!(s.due(t0, &in_flight).is_empty());
        s.finished(&services("a"), None, t0 + Duration::from_secs(1));
        assert_eq!(
            s.due(t0 + Duration::from_secs(1), &none()),
            vec![services("a")]
        );
    }
}
