//! Service auto scaling (Application Auto Scaling on `ecs:service:DesiredCount`): the
//! scalable target's range and suspensions, its policies, scheduled actions and the recent
//! scaling activities — what moves a service's desired count when nobody touched it.

use chrono::{DateTime, Utc};

use super::mutation::MAX_DESIRED_COUNT;

/// An Application Auto Scaling target on a service's desired count: scaling outside
/// `min..=max` would be undone by the scaler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScalableTarget {
    pub min_capacity: i32,
    pub max_capacity: i32,
    pub suspended: Suspended,
}

/// AWS's SuspendedState: which kinds of scaling are paused (all false when none is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Suspended {
    /// DynamicScalingInSuspended: policies no longer remove tasks.
    pub dynamic_in: bool,
    /// DynamicScalingOutSuspended: policies no longer add tasks.
    pub dynamic_out: bool,
    /// ScheduledScalingSuspended: scheduled actions no longer run.
    pub scheduled: bool,
}

impl Suspended {
    /// `scale-in, scheduled` or `none`, for the pane.
    pub fn label(&self) -> String {
        let names: Vec<&str> = [
            (self.dynamic_in, "scale-in"),
            (self.dynamic_out, "scale-out"),
            (self.scheduled, "scheduled"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| *name)
        .collect();
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    }
}

/// Which direction of dynamic scaling a suspend / resume acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScalingDirection {
    /// Scale-in: policies removing tasks.
    In,
    /// Scale-out: policies adding tasks.
    Out,
}

impl ScalingDirection {
    pub fn label(self) -> &'static str {
        match self {
            ScalingDirection::In => "scale-in",
            ScalingDirection::Out => "scale-out",
        }
    }

    /// Whether `suspended` pauses this direction.
    pub fn is_suspended(self, suspended: &Suspended) -> bool {
        match self {
            ScalingDirection::In => suspended.dynamic_in,
            ScalingDirection::Out => suspended.dynamic_out,
        }
    }

    /// `suspended` with this direction set to `on`, the others unchanged.
    pub fn set(self, suspended: Suspended, on: bool) -> Suspended {
        match self {
            ScalingDirection::In => Suspended {
                dynamic_in: on,
                ..suspended
            },
            ScalingDirection::Out => Suspended {
                dynamic_out: on,
                ..suspended
            },
        }
    }
}

/// One scaling policy of the target.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalingPolicy {
    pub name: String,
    pub rule: PolicyRule,
    /// The CloudWatch alarms that trigger it (target tracking creates its own pair).
    pub alarms: Vec<String>,
}

/// What a policy does.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyRule {
    /// Keeps a metric at a target value.
    TargetTracking {
        /// The predefined metric (`ECSServiceAverageCPUUtilization`) or the customized one
        /// (`AWS/SQS ApproximateNumberOfMessagesVisible`).
        metric: String,
        target: f64,
        scale_in_cooldown: Option<i32>,
        scale_out_cooldown: Option<i32>,
        disable_scale_in: bool,
    },
    /// Adds or removes tasks by steps when its alarm fires.
    Step {
        /// ChangeInCapacity, PercentChangeInCapacity or ExactCapacity.
        adjustment_type: Option<String>,
        cooldown: Option<i32>,
        steps: Vec<StepAdjustment>,
    },
    /// A policy type ecsdeck does not break down (predictive scaling): its name.
    Other(String),
}

/// One step of a step scaling policy: the adjustment when the metric minus the alarm's
/// threshold lies in `lower..upper` (an open end is None).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepAdjustment {
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub adjustment: i32,
}

impl StepAdjustment {
    /// `[0, 10) +1`, `[10, ∞) +3`.
    pub fn label(&self) -> String {
        let bound = |b: Option<f64>, open: &str| b.map_or(open.to_string(), |v| format!("{v}"));
        format!(
            "[{}, {}) {:+}",
            bound(self.lower, "-∞"),
            bound(self.upper, "∞"),
            self.adjustment
        )
    }
}

/// A scheduled action: sets min / max at a time or on a schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledAction {
    pub name: String,
    /// `at(2026-05-01T08:00:00)`, `rate(1 day)` or `cron(0 8 ? * MON-FRI *)`.
    pub schedule: String,
    /// IANA time zone of the schedule; None or `UTC` means UTC.
    pub timezone: Option<String>,
    pub min_capacity: Option<i32>,
    pub max_capacity: Option<i32>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
}

/// One scaling activity (AWS keeps six weeks of them).
#[derive(Debug, Clone, PartialEq)]
pub struct ScalingActivity {
    pub activity_id: String,
    /// `Setting desired count to 12.`
    pub description: String,
    /// `monitor alarm TargetTracking-… in state ALARM triggered policy cpu70`
    pub cause: String,
    /// Pending, InProgress, Successful, Overridden, Unfulfilled or Failed.
    pub status: String,
    pub status_message: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
}

/// The highest capacity ecsdeck sets: an ECS service runs at most this many tasks.
pub const MAX_CAPACITY: i64 = MAX_DESIRED_COUNT;

/// Parses the new range typed in the min / max field: two whole numbers, `MIN MAX`
/// (separated by spaces, a comma or `..`). Anything else is refused with the reason, so no
/// call is ever made with it.
pub fn parse_capacity_range(text: &str) -> Result<(i32, i32), String> {
    let normalised = text.trim().replace("..", " ").replace(',', " ");
    if normalised.chars().any(|c| c.is_control() && c != ' ') {
        return Err("The range must be on one line.".into());
    }
    let parts: Vec<&str> = normalised.split_whitespace().collect();
    let [min, max] = parts.as_slice() else {
        return Err(
            "Type the minimum and the maximum task count, e.g. \"2 10\" (two whole numbers)."
                .into(),
        );
    };
    let min = capacity(min, "minimum")?;
    let max = capacity(max, "maximum")?;
    if min > max {
        return Err(format!(
            "The minimum ({min}) is above the maximum ({max}): the minimum comes first."
        ));
    }
    Ok((min, max))
}

fn capacity(text: &str, what: &str) -> Result<i32, String> {
    if text.starts_with('-') {
        return Err(format!(
            "The {what} {} is negative: counts are 0 to {MAX_CAPACITY}.",
            super::text::clean(text)
        ));
    }
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "The {what} \"{}\" is not a whole number: use digits only.",
            super::text::clean(text)
        ));
    }
    match text.parse::<i64>() {
        Ok(n) if n <= MAX_CAPACITY => Ok(n as i32),
        _ => Err(format!(
            "The {what} {text} is above ECS's limit of {MAX_CAPACITY} tasks per service."
        )),
    }
}

/// The range that lets auto scaling keep `to` tasks: `(min, max)` stretched just enough.
pub fn widened(min: i32, max: i32, to: i32) -> (i32, i32) {
    (min.min(to), max.max(to))
}

/// When a schedule runs next after `now`: `at(...)` exactly, `cron(...)` when its time
/// zone is UTC (a named zone needs the zone database, which ecsdeck does not carry: None).
/// `rate(...)` counts from when the action was created, which AWS does not return: None.
pub fn next_run(
    schedule: &str,
    timezone: Option<&str>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let utc = timezone.is_none_or(|z| z.eq_ignore_ascii_case("UTC") || z == "Etc/UTC");
    if let Some(at) = schedule
        .strip_prefix("at(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let parsed = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S").ok()?;
        let at = parsed.and_utc();
        return (utc && at > now).then_some(at);
    }
    let cron = schedule.strip_prefix("cron(")?.strip_suffix(')')?;
    if !utc {
        return None;
    }
    super::cron::next(cron, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_ranges_are_refused_with_a_reason() {
        for bad in [
            "", "  ", "5", "a b", "-1 4", "1 -4", "5 2", "1 2 3", "1.5 4", "2 5001", "x", "1\n2",
            "+1 2", "0x1 2",
        ] {
            assert!(parse_capacity_range(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(parse_capacity_range(" 2 10 "), Ok((2, 10)));
        assert_eq!(parse_capacity_range("2..10"), Ok((2, 10)));
        assert_eq!(parse_capacity_range("2,10"), Ok((2, 10)));
        assert_eq!(parse_capacity_range("0 0"), Ok((0, 0)));
        assert_eq!(parse_capacity_range("3 3"), Ok((3, 3)));
        assert!(
            parse_capacity_range("5 2")
                .unwrap_err()
                .contains("minimum (5) is above the maximum (2)")
        );
    }

    #[test]
    fn widening_stretches_only_the_side_that_needs_it() {
        assert_eq!(widened(2, 4, 6), (2, 6));
        assert_eq!(widened(2, 4, 1), (1, 4));
        assert_eq!(widened(2, 4, 3), (2, 4));
    }

    #[test]
    fn suspensions_read_plainly() {
        assert_eq!(Suspended::default().label(), "none");
        let s = ScalingDirection::In.set(Suspended::default(), true);
        assert_eq!(s.label(), "scale-in");
        assert!(ScalingDirection::In.is_suspended(&s));
        assert!(!ScalingDirection::Out.is_suspended(&s));
    }

    #[test]
    fn next_run_reads_at_and_utc_cron() {
        let now = DateTime::parse_from_rfc3339("2026-05-01T10:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let at = next_run("at(2026-05-02T08:00:00)", None, now).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-05-02T08:00:00+00:00");
        assert_eq!(next_run("at(2026-04-01T08:00:00)", None, now), None);
        let cron = next_run("cron(0 7 ? * MON-FRI *)", Some("UTC"), now).unwrap();
        // 2026-05-01 is a Friday: the next weekday 07:00 is Monday the 4th.
        assert_eq!(cron.to_rfc3339(), "2026-05-04T07:00:00+00:00");
        assert_eq!(
            next_run("cron(0 7 ? * MON-FRI *)", Some("Europe/Dublin"), now),
            None
        );
        assert_eq!(next_run("rate(1 day)", None, now), None);
    }

    #[test]
    fn steps_say_their_bounds() {
        let step = StepAdjustment {
            lower: Some(0.0),
            upper: None,
            adjustment: 2,
        };
        assert_eq!(step.label(), "[0, ∞) +2");
    }
}
