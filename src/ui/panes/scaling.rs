//! The service detail pane's auto scaling section: the scalable target's range and
//! suspensions, its policies, scheduled actions, the newest scaling activities (failed ones
//! in red), and the Fargate Spot interruptions of the last hour.

use chrono::{DateTime, Utc};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::detail::DetailPane;
use crate::config::theme::Theme;
use crate::domain::mutation::scalable_resource_id;
use crate::domain::scaling::{PolicyRule, ScalingActivity, ScalingPolicy, ScheduledAction};
use crate::store::Loadable;
use crate::ui::advice::advice;
use crate::views::format::{age_or_dash, clean};
use crate::views::triage_capacity::SPOT_WINDOW_MINUTES;

fn heading(text: String, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(
        text,
        Style::default()
            .fg(theme.header)
            .add_modifier(Modifier::BOLD),
    ))
}

fn plain(text: String, color: ratatui::style::Color) -> Line<'static> {
    Line::from(Span::styled(text, Style::default().fg(color)))
}

/// Every line of the section.
pub fn lines(pane: &DetailPane) -> Vec<Line<'static>> {
    let theme = pane.theme;
    let key = (pane.cluster.to_string(), pane.service.to_string());
    let mut out = target_lines(pane);
    let has_target = matches!(
        pane.store.scalable_target(pane.cluster, pane.service),
        Some(Some(_))
    );
    if has_target {
        let data = &pane.store.scaling;
        let id = scalable_resource_id(pane.cluster, pane.service);
        out.push(heading("Policies".into(), theme));
        out.extend(section(
            pane,
            data.policies.get(&key),
            "no scaling policy",
            |p| policy(p, &id, theme),
        ));
        out.push(heading("Scheduled actions".into(), theme));
        out.extend(section(pane, data.scheduled.get(&key), "none", |a| {
            vec![scheduled(a, pane.now, theme)]
        }));
        out.push(heading("Scaling activities (newest 20)".into(), theme));
        out.extend(section(
            pane,
            data.activities.get(&key),
            "none in the last six weeks",
            |a| activity(a, &id, pane.now, theme),
        ));
    }
    out.extend(spot_line(pane));
    out
}

/// `Auto scaling · min 2 · max 20 · suspended: none`, with a change in flight after it.
fn target_lines(pane: &DetailPane) -> Vec<Line<'static>> {
    let theme = pane.theme;
    let key = (pane.cluster.to_string(), pane.service.to_string());
    let loaded = pane.store.scalable_targets.get(&key);
    let summary = match (
        loaded.and_then(|l| l.value()),
        loaded.and_then(|l| l.error.as_ref()),
    ) {
        (Some(Some(t)), _) => {
            let suspended = t.suspended.label();
            let color = if suspended == "none" {
                theme.text
            } else {
                theme.warning
            };
            Line::from(vec![
                Span::styled(
                    "Auto scaling ".to_string(),
                    Style::default()
                        .fg(theme.header)
                        .add_modifier(Modifier::BOLD),
                ),
                Span::styled(
                    format!("min {} · max {} · ", t.min_capacity, t.max_capacity),
                    Style::default().fg(theme.text),
                ),
                Span::styled(
                    format!("suspended: {suspended}"),
                    Style::default().fg(color),
                ),
            ])
        }
        (Some(None), _) => plain(
            "Auto scaling: none (no scalable target on this service)".into(),
            theme.muted,
        ),
        (None, Some(e)) => plain(
            format!("Auto scaling: {}", advice(e, pane.profile)),
            theme.failure,
        ),
        (None, None) => plain("Auto scaling: loading…".into(), theme.muted),
    };
    let mut out = vec![summary];
    let id = scalable_resource_id(pane.cluster, pane.service);
    for p in pane
        .pending
        .iter()
        .filter(|p| p.cluster == pane.cluster && p.key == id)
    {
        out.push(plain(format!("  ⟳ {}", p.label), theme.warning));
    }
    out
}

/// One part of the section: its rows, or why there are none.
fn section<T>(
    pane: &DetailPane,
    loaded: Option<&Loadable<Vec<T>>>,
    empty: &str,
    row: impl Fn(&T) -> Vec<Line<'static>>,
) -> Vec<Line<'static>> {
    let theme = pane.theme;
    match (
        loaded.and_then(|l| l.value()),
        loaded.and_then(|l| l.error.as_ref()),
    ) {
        (Some(items), _) if items.is_empty() => vec![plain(format!("  {empty}"), theme.muted)],
        (Some(items), _) => items.iter().flat_map(row).collect(),
        (None, Some(e)) => vec![plain(
            format!("  {}", advice(e, pane.profile)),
            theme.failure,
        )],
        (None, None) => vec![plain("  loading…".into(), theme.muted)],
    }
}

fn seconds(s: Option<i32>) -> String {
    s.map_or("-".into(), |s| format!("{s}s"))
}

/// Text from AWS, cleaned, with the service's resource id (`service/CLUSTER/SERVICE`, in
/// every target-tracking alarm name) shortened to `…`: the pane is already about it.
fn short(text: &str, id: &str) -> String {
    clean(&text.replace(id, "…"))
}

fn policy(p: &ScalingPolicy, id: &str, theme: &Theme) -> Vec<Line<'static>> {
    let what = match &p.rule {
        PolicyRule::TargetTracking {
            metric,
            target,
            scale_in_cooldown,
            scale_out_cooldown,
            disable_scale_in,
        } => format!(
            "target tracking: {} at {target} · cooldown out {} / in {}{}",
            clean(metric),
            seconds(*scale_out_cooldown),
            seconds(*scale_in_cooldown),
            if *disable_scale_in {
                " · scale-in disabled"
            } else {
                ""
            }
        ),
        PolicyRule::Step {
            adjustment_type,
            cooldown,
            steps,
        } => {
            let steps: Vec<String> = steps.iter().map(|s| s.label()).collect();
            format!(
                "step scaling ({}, cooldown {}): {}",
                clean(adjustment_type.as_deref().unwrap_or("-")),
                seconds(*cooldown),
                steps.join(" · ")
            )
        }
        PolicyRule::Other(kind) => clean(kind),
    };
    let mut out = vec![Line::from(vec![
        Span::styled(
            format!("  {} ", clean(&p.name)),
            Style::default().fg(theme.text),
        ),
        Span::styled(what, Style::default().fg(theme.info)),
    ])];
    if !p.alarms.is_empty() {
        let alarms: Vec<String> = p.alarms.iter().map(|a| short(a, id)).collect();
        out.push(plain(
            format!("    alarms: {}", alarms.join(", ")),
            theme.muted,
        ));
    }
    out
}

fn scheduled(a: &ScheduledAction, now: DateTime<Utc>, theme: &Theme) -> Line<'static> {
    let bound = |v: Option<i32>| v.map_or("-".into(), |v| v.to_string());
    let zone = a.timezone.as_deref().unwrap_or("UTC");
    let next = crate::domain::scaling::next_run(&a.schedule, a.timezone.as_deref(), now)
        .map_or_else(
            || "next: -".to_string(),
            |t| format!("next: {}", t.format("%Y-%m-%d %H:%M UTC")),
        );
    Line::from(vec![
        Span::styled(
            format!("  {} ", clean(&a.name)),
            Style::default().fg(theme.text),
        ),
        Span::styled(
            format!(
                "{} {} · min {} max {} · {next}",
                clean(&a.schedule),
                clean(zone),
                bound(a.min_capacity),
                bound(a.max_capacity)
            ),
            Style::default().fg(theme.info),
        ),
    ])
}

fn activity(
    a: &ScalingActivity,
    id: &str,
    now: DateTime<Utc>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let color = match a.status.as_str() {
        "Failed" => theme.failure,
        "Successful" => theme.success,
        "InProgress" | "Pending" => theme.warning,
        _ => theme.muted,
    };
    let mut out = vec![Line::from(vec![
        Span::styled(
            format!("  {:>4} ago ", age_or_dash(a.start, now)),
            Style::default().fg(theme.muted),
        ),
        Span::styled(
            format!("{:<10} ", clean(&a.status)),
            Style::default().fg(color).add_modifier(Modifier::BOLD),
        ),
        Span::styled(clean(&a.description), Style::default().fg(theme.text)),
    ])];
    out.push(plain(
        format!("       cause: {}", short(&a.cause, id)),
        theme.muted,
    ));
    if a.status == "Failed"
        && let Some(message) = &a.status_message
    {
        out.push(plain(format!("       {}", clean(message)), theme.failure));
    }
    out
}

/// `Fargate Spot: 2 tasks interrupted in the last hour` for a service on FARGATE_SPOT.
fn spot_line(pane: &DetailPane) -> Option<Line<'static>> {
    let theme = pane.theme;
    let key = (pane.cluster.to_string(), pane.service.to_string());
    let loaded = pane.store.scaling.spot_interruptions.get(&key)?;
    let since = pane.now - chrono::Duration::minutes(SPOT_WINDOW_MINUTES);
    Some(match (loaded.value(), &loaded.error) {
        (Some(times), _) => {
            let count = times.iter().filter(|t| **t >= since).count();
            let noun = if count == 1 { "task" } else { "tasks" };
            plain(
                format!("Fargate Spot: {count} {noun} interrupted in the last hour"),
                if count > 0 {
                    theme.warning
                } else {
                    theme.muted
                },
            )
        }
        (None, Some(e)) => plain(
            format!("Fargate Spot: {}", advice(e, pane.profile)),
            theme.failure,
        ),
        (None, None) => plain("Fargate Spot: loading…".into(), theme.muted),
    })
}
