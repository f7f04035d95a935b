//! Small text helpers shared by the views: ages, dashes, sparklines. Untrusted text goes
//! through [`clean`] (the one sanitiser, `domain::text`).

use chrono::{DateTime, Utc};

use crate::domain::metrics::Series;
pub use crate::domain::text::clean;

/// A compact age like k9s shows: `42s`, `7m`, `3h`, `12d`. Future times read as `0s`.
pub fn age(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3_600),
        s => format!("{}d", s / 86_400),
    }
}

pub fn age_or_dash(then: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    then.map(|t| age(t, now)).unwrap_or_else(|| "-".to_string())
}

/// An age cell that sorts by the age, not by its text.
pub fn age_cell(then: Option<DateTime<Utc>>, now: DateTime<Utc>) -> crate::views::table::Cell {
    let cell = crate::views::table::Cell::new(age_or_dash(then, now));
    match then {
        Some(t) => cell.sorted_by((now - t).num_seconds() as f64),
        None => cell,
    }
}

pub fn dash(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.is_empty() => clean(v),
        _ => "-".to_string(),
    }
}

/// Eight block characters from low to high: a sparkline in one table cell. Utilisation is
/// a percentage: scaled 0..100 so bars compare across rows.
pub fn sparkline(series: &Series, width: usize) -> String {
    sparkline_up_to(series, width, 100.0)
}

/// A sparkline of the last `width` points scaled 0..`top` (values above `top` are full).
pub fn sparkline_up_to(series: &Series, width: usize, top: f64) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = if top > 0.0 { top } else { 100.0 };
    let values: Vec<f64> = series.iter().rev().take(width).map(|p| p.1).collect();
    values
        .iter()
        .rev()
        .map(|v| {
            let level = ((v.clamp(0.0, top) / top) * 7.0).round() as usize;
            BARS[level.min(7)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_compact() {
        let now = DateTime::<Utc>::from_timestamp(1_000_000, 0).unwrap_or_default();
        let at = |secs: i64| now - chrono::Duration::seconds(secs);
        assert_eq!(age(at(5), now), "5s");
        assert_eq!(age(at(125), now), "2m");
        assert_eq!(age(at(7_300), now), "2h");
        assert_eq!(age(at(3 * 86_400 + 5), now), "3d");
        assert_eq!(age(at(-30), now), "0s");
    }

    #[test]
    fn sparkline_scales_percentages() {
        let t = DateTime::<Utc>::from_timestamp(0, 0).unwrap_or_default();
        let s: Series = [0.0, 50.0, 100.0, 120.0].iter().map(|v| (t, *v)).collect();
        assert_eq!(sparkline(&s, 8), "▁▅██");
        assert_eq!(sparkline(&s, 2), "██");
    }
}
