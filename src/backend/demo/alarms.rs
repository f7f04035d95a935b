//! The demo account's CloudWatch metric alarms on `AWS/ECS` service metrics. Their states are
//! evaluated from the same curves GetMetricData serves, so an alarm in ALARM always agrees
//! with the graph next to it: the hot service's CPU alarm stays in ALARM, the crash-looper's
//! memory alarm flips between OK and ALARM with each OOM climb.

use chrono::{DateTime, Utc};

use super::fleet::DemoFleet;
use super::signals::{self, HOT_SERVICE, Resource};
use crate::backend::BackendError;
use crate::backend::metrics::{Alarm, AlarmPage};

/// DescribeAlarms' page size.
const ALARM_PAGE_MAX: usize = 100;
/// How far back (minutes) an alarm's last transition is looked for; an alarm that has not
/// changed state for that long reports this as its age.
const LOOKBACK_MINUTES: i64 = 12 * 60;

struct AlarmSpec {
    name: &'static str,
    cluster: &'static str,
    service: &'static str,
    resource: Resource,
    threshold: f64,
    /// Datapoints (1 minute each) that must all cross the threshold.
    evaluation_periods: usize,
}

const fn alarm(
    name: &'static str,
    cluster: &'static str,
    service: &'static str,
    resource: Resource,
    threshold: f64,
    evaluation_periods: usize,
) -> AlarmSpec {
    AlarmSpec {
        name,
        cluster,
        service,
        resource,
        threshold,
        evaluation_periods,
    }
}

/// The demo account's alarms, in DescribeAlarms order (alphabetical, as AWS returns them).
const ALARMS: &[AlarmSpec] = &[
    alarm(
        "api-gateway-cpu-high",
        "prod-payments",
        "api-gateway",
        Resource::Cpu,
        80.0,
        3,
    ),
    alarm(
        "checkout-api-cpu-high",
        "prod-payments",
        "checkout-api",
        Resource::Cpu,
        80.0,
        3,
    ),
    alarm(
        "checkout-api-memory-high",
        "prod-payments",
        "checkout-api",
        Resource::Memory,
        85.0,
        3,
    ),
    alarm(
        "fraud-scorer-cpu-high",
        HOT_SERVICE.0,
        HOT_SERVICE.1,
        Resource::Cpu,
        90.0,
        3,
    ),
    alarm(
        "ledger-sync-cpu-high",
        "prod-payments",
        "ledger-sync",
        Resource::Cpu,
        90.0,
        3,
    ),
    alarm(
        "notification-sender-memory-high",
        "prod-payments",
        "notification-sender",
        Resource::Memory,
        90.0,
        1,
    ),
    alarm(
        "staging-checkout-api-cpu-high",
        "staging",
        "checkout-api",
        Resource::Cpu,
        80.0,
        3,
    ),
    alarm(
        "web-frontend-memory-high",
        "prod-payments",
        "web-frontend",
        Resource::Memory,
        85.0,
        3,
    ),
];

fn datapoint(seed: u64, spec: &AlarmSpec, minute: i64) -> f64 {
    signals::utilisation(seed, spec.cluster, spec.service, spec.resource, minute * 60)
}

/// ALARM when the last `evaluation_periods` datapoints up to `minute` all crossed.
fn breaching(seed: u64, spec: &AlarmSpec, minute: i64) -> bool {
    (0..spec.evaluation_periods as i64)
        .all(|back| datapoint(seed, spec, minute - back) > spec.threshold)
}

/// "21/11/26 06:10:00", the way alarm reasons print datapoint times.
fn reason_time(minute: i64) -> String {
    DateTime::from_timestamp(minute * 60, 0)
        .map(|t| t.format("%d/%m/%y %H:%M:%S").to_string())
        .unwrap_or_default()
}

fn reason(seed: u64, spec: &AlarmSpec, minute: i64, alarm: bool) -> String {
    let periods = spec.evaluation_periods;
    let listed: Vec<String> = (0..periods as i64)
        .map(|back| {
            let at = minute - back;
            format!("{:.1} ({})", datapoint(seed, spec, at), reason_time(at))
        })
        .collect();
    let plural = |n: usize| if n == 1 { "datapoint" } else { "datapoints" };
    if alarm {
        let verb = if periods == 1 { "was" } else { "were" };
        format!(
            "Threshold Crossed: {periods} {} [{}] {verb} greater than the threshold ({:.1}) (minimum {periods} {} for OK -> ALARM transition).",
            plural(periods),
            listed.join(", "),
            spec.threshold,
            plural(periods),
        )
    } else {
        let first = listed.first().cloned().unwrap_or_default();
        format!(
            "Threshold Crossed: 1 out of the last {periods} datapoints [{first}] was not greater than the threshold ({:.1}) (minimum 1 datapoint for ALARM -> OK transition).",
            spec.threshold,
        )
    }
}

fn evaluate(seed: u64, spec: &AlarmSpec, now: DateTime<Utc>) -> Alarm {
    // The last complete minute is the newest datapoint an alarm sees.
    let latest = now.timestamp().div_euclid(60) - 1;
    let alarm = breaching(seed, spec, latest);
    // The transition: the oldest minute of the current run of the same state.
    let mut since = latest;
    while latest - since < LOOKBACK_MINUTES && breaching(seed, spec, since - 1) == alarm {
        since -= 1;
    }
    let state = if alarm { "ALARM" } else { "OK" };
    Alarm {
        name: spec.name.to_string(),
        state: state.to_string(),
        state_reason: Some(reason(seed, spec, since, alarm)),
        // Evaluated shortly after the minute's datapoint was complete.
        state_updated: DateTime::from_timestamp((since + 1) * 60 + 17, 0),
        namespace: Some("AWS/ECS".to_string()),
        metric: Some(
            match spec.resource {
                Resource::Cpu => "CPUUtilization",
                Resource::Memory => "MemoryUtilization",
            }
            .to_string(),
        ),
        dimensions: vec![
            ("ClusterName".to_string(), spec.cluster.to_string()),
            ("ServiceName".to_string(), spec.service.to_string()),
        ],
    }
}

impl DemoFleet {
    /// DescribeAlarms (metric alarms), evaluated at the fleet's clock; the token is the offset
    /// of the next page.
    pub(super) fn alarms(
        &self,
        in_alarm: bool,
        next_token: Option<String>,
    ) -> Result<AlarmPage, BackendError> {
        // Evaluated first, then filtered and paged, as AWS filters before it pages.
        let evaluated: Vec<Alarm> = (ALARMS.iter())
            .map(|spec| evaluate(self.seed, spec, self.now))
            .filter(|a| !in_alarm || a.state == "ALARM")
            .collect();
        let (alarms, next_token) =
            super::window(&evaluated, next_token, ALARM_PAGE_MAX, "DescribeAlarms")?;
        Ok(AlarmPage { alarms, next_token })
    }
}
