//! Small text helpers shared by panes: ages, and making AWS text safe for the terminal.

use chrono::{DateTime, Utc};

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

/// Text from AWS (names, reasons, images) is untrusted: control characters (escape
/// sequences, newlines, carriage returns) must never reach the terminal. They are replaced
/// with a visible `?` so nothing silently disappears.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

pub fn dash(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.is_empty() => clean(v),
        _ => "-".to_string(),
    }
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
    fn escape_sequences_are_neutralised() {
        assert_eq!(clean("ok\x1b[2Jname\r\n"), "ok?[2Jname??");
        assert_eq!(clean("\x1b]0;pwned\x07"), "?]0;pwned?");
    }
}
