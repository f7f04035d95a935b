//! When each focused resource is next due. Pure bookkeeping, tested without a runtime.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use tokio::time::Instant;

use crate::backend::BackendError;
#[cfg(test)]
use crate::backend::ErrorKind;
use crate::config::RefreshIntervals;
use crate::store::Resource;

/// After a failure the next try waits the interval plus up to this share of it: jitter, so
/// ten dashboards throttled together do not retry in step; never sooner than the interval,
/// so a fault never raises the request rate; never much later, so recovery after the fault
/// ends takes about one interval. (The SDK makes one attempt per poll: this is the retry.)
pub(super) const ERROR_JITTER: f64 = 0.1;

#[derive(Debug, Clone)]
struct Slot {
    /// None: not due again (an immutable resource fetched successfully).
    next_due: Option<Instant>,
    /// Failures in a row; 0 when healthy.
    failures: u32,
}

#[derive(Debug)]
pub struct Schedule {
    intervals: RefreshIntervals,
    slots: HashMap<Resource, Slot>,
    /// When cached resources that left the focus were next due: scrolling a service off
    /// screen and back does not fetch its target health again before its interval is up.
    remembered: HashMap<Resource, Instant>,
}

/// Resources whose data is kept across focus changes (see `Schedule::remembered`): the
/// ones polled per row on screen, which scrolling moves in and out of focus.
fn kept_across_focus(resource: &Resource) -> bool {
    matches!(
        resource,
        Resource::TargetHealth { .. }
            | Resource::TargetGroups { .. }
            | Resource::LoadBalancers { .. }
            | Resource::ContainerInstances { .. }
    )
}

impl Schedule {
    pub fn new(intervals: RefreshIntervals) -> Schedule {
        Schedule {
            intervals,
            slots: HashMap::new(),
            remembered: HashMap::new(),
        }
    }

    /// The base interval of a resource; None for resources that never change.
    fn interval(&self, resource: &Resource) -> Option<Duration> {
        match resource {
            // A describe is read, not watched: the clusters cadence (30 s) or ctrl-r.
            Resource::Clusters | Resource::Profiles | Resource::Raw { .. } | Resource::Families => {
                Some(self.intervals.clusters)
            }
            Resource::Services { .. } => Some(self.intervals.services),
            Resource::Tasks { .. } => Some(self.intervals.tasks),
            Resource::ServiceMetrics { .. }
            | Resource::ClusterMetrics { .. }
            | Resource::Alarms
            | Resource::AllAlarms
            | Resource::ServiceDetail { .. } => Some(self.intervals.metrics),
            Resource::TargetHealth { .. } | Resource::ContainerInstances { .. } => {
                Some(self.intervals.targets)
            }
            // ECR lookups are cached a minute: a tag moves rarely, and a row says when.
            Resource::BalancerMetrics { .. } | Resource::EcrImages { .. } => {
                Some(self.intervals.metrics)
            }
            Resource::Instances { .. } => Some(self.intervals.instances),
            Resource::CapacityProviders { .. }
            | Resource::AutoScalingGroups { .. }
            | Resource::CapacityReservation { .. } => Some(self.intervals.capacity),
            // Polled while a detail pane shows them; the scale dialog reads the target too.
            Resource::ScalableTarget { .. }
            | Resource::ScalingPolicies { .. }
            | Resource::ScheduledActions { .. }
            | Resource::ScalingActivities { .. }
            | Resource::SpotInterruptions { .. } => Some(self.intervals.scaling),
            Resource::TargetGroups { .. } | Resource::LoadBalancers { .. } => {
                Some(self.intervals.target_groups)
            }
            // Fetched once per dialog: immutable, or only read when a dialog opens.
            Resource::TaskDefinition { .. } | Resource::Revisions { .. } => None,
        }
    }

    /// Keeps exactly the focused resources; new ones are due now.
    pub fn set_focus(&mut self, wanted: &[Resource], now: Instant) {
        let remembered = &mut self.remembered;
        remembered.retain(|_, due| *due > now);
        self.slots.retain(|r, slot| {
            let keep = wanted.contains(r);
            if !keep
                && slot.failures == 0
                && kept_across_focus(r)
                && let Some(due) = slot.next_due.filter(|d| *d > now)
            {
                remembered.insert(r.clone(), due);
            }
            keep
        });
        for r in wanted {
            if !self.slots.contains_key(r) {
                let due = self.remembered.remove(r).unwrap_or(now);
                self.slots.insert(
                    r.clone(),
                    Slot {
                        next_due: Some(due),
                        failures: 0,
                    },
                );
            }
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

    /// Reschedules after a fetch: the next poll is one interval after this one *ended*
    /// (plus jitter after a failure). Returns how long until the next try after a failure,
    /// so the view can say when it will try again.
    pub fn finished(
        &mut self,
        resource: &Resource,
        error: Option<&BackendError>,
        now: Instant,
    ) -> Option<Duration> {
        // An immutable resource is retried after an error, never re-polled after success.
        let base = self.interval(resource).unwrap_or(self.intervals.services);
        let immutable = self.interval(resource).is_none();
        let slot = self.slots.get_mut(resource)?;
        slot.failures = if error.is_some() {
            slot.failures + 1
        } else {
            0
        };
        let wait = match error {
            None if immutable => None,
            None => Some(base),
            Some(_) => Some(base.mul_f64(1.0 + ERROR_JITTER * jitter(resource, slot.failures))),
        };
        // A refresh asked for while the fetch ran (`ctrl-r`) stays due right away.
        let requested = slot.next_due;
        slot.next_due = wait.map(|w| now + w);
        if let Some(requested) = requested {
            slot.next_due = Some(slot.next_due.map_or(requested, |d| d.min(requested)));
        }
        error.and(wait)
    }

    /// True when the resource's last fetch failed with throttling or another error.
    pub fn failing(&self, resource: &Resource) -> bool {
        self.slots.get(resource).is_some_and(|s| s.failures > 0)
    }

    /// `ctrl-r`: everything focused is due now (in-flight ones right after they finish).
    pub fn refresh_all(&mut self, now: Instant) {
        self.remembered.clear();
        for slot in self.slots.values_mut() {
            slot.next_due = Some(now);
        }
    }

    /// Every focused resource's interval, failures and next call, for `:budget`.
    pub fn report(&self, now: Instant) -> Vec<crate::store::PollEntry> {
        let mut entries: Vec<crate::store::PollEntry> = (self.slots.iter())
            .map(|(resource, slot)| crate::store::PollEntry {
                resource: resource.clone(),
                interval: self.interval(resource).unwrap_or_default(),
                failures: slot.failures,
                next_in: slot.next_due.map(|d| d.saturating_duration_since(now)),
                note: match (self.interval(resource), slot.failures) {
                    (None, 0) => "fetched once (immutable or read on demand)".to_string(),
                    (_, 0) => String::new(),
                    (_, n) => format!("{n} failure(s) in a row: retried at the interval + jitter"),
                },
            })
            .collect();
        entries.sort_by(|a, b| a.resource.cmp(&b.resource));
        entries
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

/// A number in 0..1 that differs between resources and between attempts, without a random
/// source (the schedule stays a pure function, testable without a runtime).
pub(super) fn jitter(resource: &Resource, attempt: u32) -> f64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    resource.hash(&mut hasher);
    attempt.hash(&mut hasher);
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default()
        .hash(&mut hasher);
    (hasher.finish() % 10_000) as f64 / 10_000.0
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
    fn a_failing_resource_is_retried_after_the_interval_with_jitter_never_sooner() {
        let t0 = Instant::now();
        let mut s = Schedule::new(RefreshIntervals::default());
        s.set_focus(&[services("a")], t0);
        s.due(t0, &none());
        let throttled =
            BackendError::new(ErrorKind::Throttled, "DescribeServices", "Rate exceeded");
        let mut waits = Vec::new();
        for attempt in 0..20 {
            let at = t0 + Duration::from_secs(10 * attempt);
            s.due(at, &none());
            let wait = s.finished(&services("a"), Some(&throttled), at);
            let Some(wait) = wait else {
                panic!("a failure says when it tries again");
            };
            // Never faster than the normal cadence; recovery within about one interval.
            assert!(wait >= Duration::from_secs(5), "{wait:?}");
            assert!(wait <= Duration::from_millis(5_500), "{wait:?}");
            assert_eq!(s.next_due(&none()), Some(at + wait));
            assert!(s.failing(&services("a")));
            waits.push(wait);
        }
        waits.dedup();
        assert!(waits.len() > 1, "jitter spreads retries: {waits:?}");
        let at = t0 + Duration::from_secs(300);
        s.due(at, &none());
        assert_eq!(s.finished(&services("a"), None, at), None);
        assert!(!s.failing(&services("a")));
        assert_eq!(s.next_due(&none()), Some(at + Duration::from_secs(5)));
    }

    #[test]
    fn alarms_in_alarm_are_polled_once_a_minute() {
        let t0 = Instant::now();
        let mut s = Schedule::new(RefreshIntervals::default());
        s.set_focus(&[Resource::Alarms], t0);
        assert_eq!(s.due(t0, &none()), vec![Resource::Alarms]);
        s.finished(&Resource::Alarms, None, t0);
        assert!(s.due(t0 + Duration::from_secs(59), &none()).is_empty());
        assert_eq!(
            s.due(t0 + Duration::from_secs(60), &none()),
            vec![Resource::Alarms]
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

    #[test]
    fn target_health_scrolled_off_and_back_waits_for_its_interval() {
        let t0 = Instant::now();
        let health = Resource::TargetHealth {
            target_group: "arn:tg/api".to_string(),
        };
        let mut s = Schedule::new(RefreshIntervals::default());
        s.set_focus(std::slice::from_ref(&health), t0);
        assert_eq!(s.due(t0, &none()), vec![health.clone()]);
        s.finished(&health, None, t0);
        // Off screen, then back 5 s later: not fetched again until 30 s after the last.
        let t5 = t0 + Duration::from_secs(5);
        s.set_focus(&[], t5);
        s.set_focus(std::slice::from_ref(&health), t5);
        assert!(s.due(t5, &none()).is_empty());
        let t30 = t0 + Duration::from_secs(30);
        assert_eq!(s.due(t30, &none()), vec![health.clone()]);
        // A list view is not kept: reopening it fetches at once.
        s.set_focus(&[services("a")], t30);
        s.finished(&services("a"), None, t30);
        s.set_focus(&[], t30);
        s.set_focus(&[services("a")], t30);
        assert_eq!(s.due(t30, &none()), vec![services("a")]);
    }

    #[test]
    fn target_groups_are_cached_five_minutes_or_until_ctrl_r() {
        let t0 = Instant::now();
        let groups = Resource::TargetGroups {
            arns: vec!["arn:tg/api".to_string()],
        };
        let mut s = Schedule::new(RefreshIntervals::default());
        s.set_focus(std::slice::from_ref(&groups), t0);
        assert_eq!(s.due(t0, &none()), vec![groups.clone()]);
        s.finished(&groups, None, t0);
        assert!(s.due(t0 + Duration::from_secs(299), &none()).is_empty());
        assert_eq!(
            s.due(t0 + Duration::from_secs(300), &none()),
            vec![groups.clone()]
        );
        s.finished(&groups, None, t0 + Duration::from_secs(300));
        let t = t0 + Duration::from_secs(310);
        s.refresh_all(t);
        assert_eq!(s.due(t, &none()), vec![groups]);
    }
}
