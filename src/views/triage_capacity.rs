//! Triage reasons that say capacity ran out: Fargate Spot took tasks back, or ECS could not
//! place a task anywhere. Both explain a service running below desired better than the count.

use chrono::{DateTime, Duration, Utc};

use super::triage_rules::Finding;
use crate::domain::ecs::{Service, Task};

/// Spot interruptions count for this long (ECS keeps stopped tasks about an hour).
pub const SPOT_WINDOW_MINUTES: i64 = 60;
/// A placement failure older than this (and not followed by a steady state) is history.
pub const PLACEMENT_WINDOW_MINUTES: i64 = 30;
/// Longest quote of a service event in a reason.
const QUOTE_CHARS: usize = 160;

/// Tasks of the service stopped with stop code `SpotInterruption` in the last hour.
pub fn spot_interrupted(service: &str, stopped: &[Task], now: DateTime<Utc>) -> usize {
    let since = now - Duration::minutes(SPOT_WINDOW_MINUTES);
    stopped
        .iter()
        .filter(|t| t.service_name() == Some(service))
        .filter(|t| t.stop_code.as_deref() == Some("SpotInterruption"))
        .filter(|t| t.stopped_at.or(t.created_at).is_some_and(|at| at >= since))
        .count()
}

pub fn spot_interruptions(
    service: &str,
    stopped: &[Task],
    now: DateTime<Utc>,
    findings: &mut Vec<Finding>,
) {
    let count = spot_interrupted(service, stopped, now);
    if count > 0 {
        findings.push(Finding {
            severity: 45,
            reason: format!("{count} task(s) interrupted by Fargate Spot in the last hour"),
        });
    }
}

/// The newest service event saying a task could not be placed, unless the service reached
/// a steady state after it or it is older than [`PLACEMENT_WINDOW_MINUTES`].
pub fn placement_failure(service: &Service, now: DateTime<Utc>) -> Option<&str> {
    let since = now - Duration::minutes(PLACEMENT_WINDOW_MINUTES);
    let mut events: Vec<_> = service.events.iter().collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.created_at));
    for event in events {
        if event.created_at.is_some_and(|at| at < since) {
            return None;
        }
        let message = event.message.to_lowercase();
        if message.contains("has reached a steady state") {
            return None;
        }
        if message.contains("unable to place a task") {
            return Some(&event.message);
        }
    }
    None
}

pub fn placement(service: &Service, now: DateTime<Utc>, findings: &mut Vec<Finding>) {
    if let Some(message) = placement_failure(service, now) {
        let mut quote: String = message.chars().take(QUOTE_CHARS).collect();
        if message.chars().count() > QUOTE_CHARS {
            quote.push('…');
        }
        findings.push(Finding {
            severity: 75,
            reason: format!("cannot place tasks: \"{quote}\""),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ecs::ServiceEvent;

    fn event(minutes_ago: i64, message: &str, now: DateTime<Utc>) -> ServiceEvent {
        ServiceEvent {
            id: format!("{minutes_ago}"),
            created_at: Some(now - Duration::minutes(minutes_ago)),
            message: message.to_string(),
        }
    }

    #[test]
    fn a_placement_failure_is_quoted_until_a_steady_state_follows_it() {
        let now = Utc::now();
        let failed = "(service api) was unable to place a task because no container instance met all of its requirements.";
        let mut service = Service {
            events: vec![
                event(2, failed, now),
                event(40, "(service api) has reached a steady state.", now),
            ],
            ..Service::default()
        };
        let mut findings = Vec::new();
        placement(&service, now, &mut findings);
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0].reason.contains("no container instance met"),
            "{findings:?}"
        );
        service.events.insert(
            0,
            event(1, "(service api) has reached a steady state.", now),
        );
        assert_eq!(placement_failure(&service, now), None);
        service.events = vec![event(45, failed, now)];
        assert_eq!(placement_failure(&service, now), None, "too old");
    }

    #[test]
    fn spot_interruptions_of_the_last_hour_are_counted_per_service() {
        let now = Utc::now();
        let stopped = |service: &str, code: &str, minutes_ago: i64| Task {
            group: Some(format!("service:{service}")),
            stop_code: Some(code.to_string()),
            stopped_at: Some(now - Duration::minutes(minutes_ago)),
            ..Task::default()
        };
        let tasks = vec![
            stopped("web", "SpotInterruption", 5),
            stopped("web", "SpotInterruption", 50),
            stopped("web", "SpotInterruption", 90),
            stopped("web", "EssentialContainerExited", 5),
            stopped("worker", "SpotInterruption", 5),
        ];
        assert_eq!(spot_interrupted("web", &tasks, now), 2);
        let mut findings = Vec::new();
        spot_interruptions("web", &tasks, now, &mut findings);
        assert_eq!(
            findings[0].reason,
            "2 task(s) interrupted by Fargate Spot in the last hour"
        );
    }
}
