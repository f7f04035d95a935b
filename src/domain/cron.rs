//! The next run of an AWS cron expression (`minutes hours day-of-month month day-of-week
//! year`, as scheduled actions write them), in UTC. Enough of the syntax for the detail
//! pane's "next": `*`, `?`, numbers, names (JAN, MON), lists, ranges and `/` steps. `L`, `W`
//! and `#` are not read: such an expression has no "next" shown rather than a wrong one.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};

/// How far ahead to look: a schedule that does not run within this many days shows none.
const HORIZON_DAYS: i64 = 400;

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
/// AWS numbers days of the week 1 (SUN) to 7 (SAT).
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// The allowed values of one field: bit `v` set when `v` matches (`None`: any, `*` or `?`).
type Field = Option<Vec<u32>>;

/// The first minute after `now` the expression matches, within [`HORIZON_DAYS`].
pub fn next(expression: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let parts: Vec<&str> = expression.split_whitespace().collect();
    let [minutes, hours, days, months, weekdays, years] = parts.as_slice() else {
        return None;
    };
    let minutes = field(minutes, 0, 59, &[])?;
    let hours = field(hours, 0, 23, &[])?;
    let days = field(days, 1, 31, &[])?;
    let months = field(months, 1, 12, &MONTHS)?;
    let weekdays = field(weekdays, 1, 7, &DAYS)?;
    let years = field(years, 1970, 2199, &[])?;
    // The first whole minute after `now`.
    let start = now
        - Duration::seconds(i64::from(now.second()))
        - Duration::nanoseconds(i64::from(now.nanosecond()))
        + Duration::minutes(1);
    for offset in 0..HORIZON_DAYS {
        let date = start.date_naive() + Duration::days(offset);
        let weekday = date.weekday().num_days_from_sunday() + 1;
        if !(allows(&days, date.day())
            && allows(&months, date.month())
            && allows(&weekdays, weekday)
            && allows(&years, date.year().max(0) as u32))
        {
            continue;
        }
        if let Some(at) = first_time(date, &hours, &minutes, start) {
            return Some(at);
        }
    }
    None
}

/// The first hour:minute of `date` the fields allow, not before `start`.
fn first_time(
    date: NaiveDate,
    hours: &Field,
    minutes: &Field,
    start: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    for hour in 0..24 {
        if !allows(hours, hour) {
            continue;
        }
        for minute in 0..60 {
            if !allows(minutes, minute) {
                continue;
            }
            let time = NaiveTime::from_hms_opt(hour, minute, 0)?;
            let at = Utc.from_utc_datetime(&date.and_time(time));
            if at >= start {
                return Some(at);
            }
        }
    }
    None
}

fn allows(field: &Field, value: u32) -> bool {
    field.as_ref().is_none_or(|values| values.contains(&value))
}

/// One field: None for `*` / `?`, else its values; an unreadable field fails the whole.
fn field(text: &str, low: u32, high: u32, names: &[&str]) -> Option<Field> {
    if text == "*" || text == "?" {
        return Some(None);
    }
    let mut values = Vec::new();
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, step.parse::<u32>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let (from, to) = match range {
            "*" => (low, high),
            _ => match range.split_once('-') {
                Some((a, b)) => (value(a, low, names)?, value(b, low, names)?),
                None => {
                    let v = value(range, low, names)?;
                    (v, if part.contains('/') { high } else { v })
                }
            },
        };
        if from < low || to > high || from > to {
            return None;
        }
        values.extend((from..=to).step_by(step as usize));
    }
    Some(Some(values))
}

/// A number, or a name counted from `low` (JAN = 1, SUN = 1).
fn value(text: &str, low: u32, names: &[&str]) -> Option<u32> {
    if let Ok(n) = text.parse::<u32>() {
        return Some(n);
    }
    let upper = text.to_ascii_uppercase();
    let index = names.iter().position(|n| *n == upper)?;
    Some(low + index as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn weekday_mornings_skip_the_weekend() {
        let now = at("2026-05-01T10:30:00Z"); // a Friday
        assert_eq!(
            next("0 7 ? * MON-FRI *", now),
            Some(at("2026-05-04T07:00:00Z"))
        );
        assert_eq!(next("0 20 ? * * *", now), Some(at("2026-05-01T20:00:00Z")));
        assert_eq!(
            next("*/15 * * * ? *", now),
            Some(at("2026-05-01T10:45:00Z"))
        );
        assert_eq!(
            next("0 9 1 JAN ? 2027", now),
            Some(at("2027-01-01T09:00:00Z"))
        );
    }

    #[test]
    fn what_it_cannot_read_has_no_next() {
        let now = at("2026-05-01T10:30:00Z");
        assert_eq!(next("0 7 L * ? *", now), None);
        assert_eq!(next("0 7 ? * 2#1 *", now), None);
        assert_eq!(next("0 7 * *", now), None);
        assert_eq!(next("61 7 * * ? *", now), None);
        assert_eq!(next("0 7 1 1 ? 2020", now), None);
    }
}
