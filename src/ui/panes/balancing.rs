//! The detail pane's load balancing: each target group with its load balancer, listener
//! and health check, its targets by state, the new deployment's tasks among them during a
//! rollout, recent stops for failing health checks, and the load balancer's signals.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::detail::DetailPane;
use crate::backend::{DesiredStatus, TaskFilter};
use crate::config::theme::Theme;
use crate::domain::ecs::{Service, Task};
use crate::domain::elb::{
    HealthCheck, TargetCounts, TargetGroup, stopped_by_elb, target_group_name,
};
use crate::domain::metrics::{BalancerSeries, ServiceDetail};
use crate::ui::advice::advice;
use crate::views::format::clean;

/// The "Load balancing" section; empty for a service without target groups.
pub fn lines<'a>(
    pane: &DetailPane,
    service: &Service,
    data: Option<&ServiceDetail>,
) -> Vec<Line<'a>> {
    let groups = service.target_groups();
    if groups.is_empty() {
        return Vec::new();
    }
    let theme = pane.theme;
    let mut out = vec![Line::default(), heading("Load balancing", theme)];
    let tasks = running_tasks(pane);
    for arn in &groups {
        out.push(group_line(pane, arn));
        match pane.store.target_group(arn) {
            Some(group) => out.push(muted(
                format!("    health check {}", health_check(group)),
                theme,
            )),
            None => {
                if let Some(e) = pane.store.target_group_error(arn) {
                    out.push(warn(format!("    {}", advice(e, pane.profile)), theme));
                }
            }
        }
        out.extend(targets_line(pane, arn));
        if let Some(line) = rollout_line(pane, service, arn, tasks) {
            out.push(line);
        }
        let signals = data.and_then(|d| d.balancers.iter().find(|(a, _)| a == arn));
        if let Some((_, series)) = signals {
            out.push(signals_line(series, theme));
        }
    }
    if let Some(line) = elb_stops(service, theme) {
        out.push(line);
    }
    out
}

fn heading<'a>(text: &str, theme: &Theme) -> Line<'a> {
    Line::from(Span::styled(
        text.to_string(),
        Style::default()
            .fg(theme.header)
            .add_modifier(Modifier::BOLD),
    ))
}

fn muted<'a>(text: String, theme: &Theme) -> Line<'a> {
    Line::from(Span::styled(text, Style::default().fg(theme.muted)))
}

fn warn<'a>(text: String, theme: &Theme) -> Line<'a> {
    Line::from(Span::styled(text, Style::default().fg(theme.warning)))
}

/// `prod-checkout-api → HTTP 8080 · behind prod-payments-alb (application), listener HTTPS 443`.
fn group_line<'a>(pane: &DetailPane, arn: &str) -> Line<'a> {
    let theme = pane.theme;
    let group = pane.store.target_group(arn);
    let name = group.map_or(target_group_name(arn), |g| g.target_group_name.as_str());
    let mut text = format!("  {}", clean(name));
    if let Some(g) = group {
        text.push_str(&format!(
            " → {} {} ({} targets)",
            g.protocol.as_deref().unwrap_or("-"),
            g.port.map_or("-".to_string(), |p| p.to_string()),
            g.target_type.as_deref().unwrap_or("-")
        ));
    }
    let balancer = group
        .and_then(|g| g.load_balancer_arns.first())
        .map(|lb| (lb, pane.store.load_balancer(lb)));
    let mut spans = vec![Span::styled(text, Style::default().fg(theme.text))];
    match balancer {
        Some((_, Some(lb))) => {
            let forwarding: Vec<String> = lb
                .listeners
                .iter()
                .filter(|l| l.target_group_arns.iter().any(|t| t == arn))
                .map(|l| {
                    format!(
                        "{} {}",
                        l.protocol.as_deref().unwrap_or("-"),
                        l.port.map_or("-".to_string(), |p| p.to_string())
                    )
                })
                .collect();
            let listeners = if forwarding.is_empty() {
                "no listener forwards to it by default (rules may)".to_string()
            } else {
                format!("listener {}", forwarding.join(", "))
            };
            spans.push(Span::styled(
                format!(
                    " · behind {} ({}, {}), {listeners}",
                    clean(&lb.load_balancer_name),
                    lb.kind,
                    lb.state.as_deref().unwrap_or("-")
                ),
                Style::default().fg(theme.muted),
            ));
        }
        Some((lb, None)) => {
            if let Some(e) = pane.store.load_balancer_error(lb) {
                spans.push(Span::styled(
                    format!(" · {}", advice(e, pane.profile)),
                    Style::default().fg(theme.warning),
                ));
            }
        }
        None => {}
    }
    Line::from(spans)
}

/// `HTTP /health on traffic-port · every 30 s, timeout 5 s · healthy after 5, unhealthy
/// after 2 · matcher 200-299`.
fn health_check(group: &TargetGroup) -> String {
    let h: &HealthCheck = &group.health_check;
    let n = |v: Option<i32>| v.map_or("-".to_string(), |v| v.to_string());
    let mut text = format!(
        "{} {} on {}",
        h.protocol.as_deref().unwrap_or("-"),
        h.path.as_deref().unwrap_or(""),
        h.port.as_deref().unwrap_or("-")
    );
    text.push_str(&format!(
        " · every {} s, timeout {} s · healthy after {}, unhealthy after {}",
        n(h.interval_seconds),
        n(h.timeout_seconds),
        n(h.healthy_threshold),
        n(h.unhealthy_threshold)
    ));
    if let Some(m) = &h.matcher {
        text.push_str(&format!(" · matcher {m}"));
    }
    clean(&text)
}

/// `targets: 6 healthy · 2 unhealthy (Target.FailedHealthChecks) · 1 initial`.
fn targets_line<'a>(pane: &DetailPane, arn: &str) -> Option<Line<'a>> {
    let theme = pane.theme;
    let health = pane.store.target_health.get(arn)?;
    if let Some(e) = &health.error {
        return Some(warn(
            format!("    targets: {}", advice(e, pane.profile)),
            theme,
        ));
    }
    let Some(targets) = health.value() else {
        return Some(muted("    targets: loading…".to_string(), theme));
    };
    let c = TargetCounts::of(targets);
    let mut parts = vec![format!("{} healthy", c.healthy)];
    if c.unhealthy > 0 {
        parts.push(format!(
            "{} unhealthy ({})",
            c.unhealthy,
            c.unhealthy_reason.as_deref().unwrap_or("no reason given")
        ));
    }
    for (n, word) in [
        (c.initial, "initial"),
        (c.draining, "draining"),
        (c.other, "other"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    let color = if c.unhealthy > 0 {
        theme.failure
    } else if c.healthy < c.registered {
        theme.warning
    } else {
        theme.success
    };
    Some(Line::from(Span::styled(
        clean(&format!("    targets: {}", parts.join(" · "))),
        Style::default().fg(color),
    )))
}

fn running_tasks<'a>(pane: &DetailPane<'a>) -> &'a [Task] {
    let filter = TaskFilter {
        service: Some(pane.service.to_string()),
        desired_status: DesiredStatus::Running,
        container_instance: None,
    };
    pane.store
        .tasks_of(pane.cluster, &filter)
        .and_then(|l| l.value())
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// While a rollout runs: how many of the new deployment's tasks this group finds healthy.
fn rollout_line<'a>(
    pane: &DetailPane,
    service: &Service,
    arn: &str,
    tasks: &[Task],
) -> Option<Line<'a>> {
    let primary = service.primary_deployment()?;
    if primary.rollout_state.as_deref() != Some("IN_PROGRESS") || service.deployments.len() < 2 {
        return None;
    }
    let new_tasks: Vec<&Task> = tasks
        .iter()
        .filter(|t| t.started_by.as_deref() == Some(primary.id.as_str()))
        .collect();
    let healthy = new_tasks
        .iter()
        .filter(|t| {
            pane.store
                .task_targets(pane.cluster, service, t)
                .iter()
                .any(|(a, target)| *a == arn && target.is_some_and(|t| t.is_healthy()))
        })
        .count();
    let color = if healthy < new_tasks.len() {
        pane.theme.warning
    } else {
        pane.theme.success
    };
    Some(Line::from(Span::styled(
        format!(
            "    new deployment {}: {healthy} of {} tasks healthy here (desired {})",
            clean(&primary.id),
            new_tasks.len(),
            primary.desired_count
        ),
        Style::default().fg(color),
    )))
}

/// `last 15 min: 12,345 requests · target 5xx 4.2 % · ELB 5xx 3 · p99 1.80 s`.
fn signals_line<'a>(series: &BalancerSeries, theme: &Theme) -> Line<'a> {
    let requests: f64 = series.requests.iter().map(|p| p.1).sum();
    let elb: f64 = series.elb_5xx.iter().map(|p| p.1).sum();
    let mut parts = vec![format!("{requests:.0} requests")];
    if let Some(rate) = series.error_rate() {
        parts.push(format!("target 5xx {rate:.1} %"));
    }
    parts.push(format!("ELB 5xx {elb:.0}"));
    if let Some(p99) = series.p99.last().map(|p| p.1) {
        parts.push(format!("p99 now {p99:.2} s"));
    }
    muted(
        format!("    over the chart's range: {}", parts.join(" · ")),
        theme,
    )
}

/// Stops for failing load balancer health checks, as the service's events report them.
fn elb_stops<'a>(service: &Service, theme: &Theme) -> Option<Line<'a>> {
    let stops: Vec<&str> = service
        .events
        .iter()
        .map(|e| e.message.as_str())
        .filter(|m| stopped_by_elb(m) || m.contains("is unhealthy in (target-group"))
        .collect();
    let latest = stops.first()?;
    Some(Line::from(Span::styled(
        clean(&format!(
            "  {} recent events of tasks failing ELB health checks; latest: {latest}",
            stops.len()
        )),
        Style::default().fg(theme.failure),
    )))
}

/// The load balancer's charts under CPU and memory: target 5xx as a share of requests and
/// p99 response time (application load balancers), or unhealthy and healthy hosts (network
/// ones, which report nothing else). The first target group's, when there are several.
pub fn charts(
    frame: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    pane: &DetailPane,
    data: Option<&ServiceDetail>,
    note: Option<&str>,
) {
    use ratatui::layout::{Constraint, Layout};
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let series = data.and_then(|d| d.balancers.first()).map(|(_, s)| s);
    let network = series.is_some_and(|s| s.requests.is_empty() && s.p99.is_empty())
        && series.is_some_and(|s| !s.healthy.is_empty());
    let empty = Vec::new();
    if network {
        let s = series.map_or(&empty, |s| &s.unhealthy);
        value_chart(
            frame,
            left,
            pane,
            ("unhealthy hosts", s, ""),
            note,
            pane.theme.failure,
        );
        let s = series.map_or(&empty, |s| &s.healthy);
        value_chart(
            frame,
            right,
            pane,
            ("healthy hosts", s, ""),
            note,
            pane.theme.success,
        );
        return;
    }
    let rate = series.map(error_rate_series).unwrap_or_default();
    let color = match rate.last().map(|p| p.1) {
        Some(v) if v >= pane.thresholds.error_rate => pane.theme.failure,
        _ => pane.theme.success,
    };
    value_chart(frame, left, pane, ("target 5xx", &rate, "%"), note, color);
    let p99 = series.map_or(&empty, |s| &s.p99);
    let color = match p99.last().map(|p| p.1) {
        Some(v) if v >= pane.thresholds.p99_latency => pane.theme.failure,
        _ => pane.theme.success,
    };
    value_chart(frame, right, pane, ("p99 latency", p99, " s"), note, color);
}

/// Target 5xx over requests, per point, in percent.
fn error_rate_series(s: &BalancerSeries) -> crate::domain::metrics::Series {
    s.requests
        .iter()
        .filter(|(_, requests)| *requests > 0.0)
        .map(|(t, requests)| {
            let errors = s
                .target_5xx
                .iter()
                .find(|(at, _)| at == t)
                .map_or(0.0, |p| p.1);
            (*t, 100.0 * errors / requests)
        })
        .collect()
}

/// A chart of one of the load balancer's series, its latest value in the title and its axis
/// fitted to the series (counts and seconds have no fixed top, unlike percentages).
fn value_chart(
    frame: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    pane: &DetailPane,
    (what, series, unit): (&str, &crate::domain::metrics::Series, &str),
    note: Option<&str>,
    color: ratatui::style::Color,
) {
    let now_value = series.last().map(|p| p.1);
    let title = format!(
        " {what} {} · {} ",
        now_value.map_or("-".to_string(), |v| format!("{v:.2}{unit}")),
        pane.range.label()
    );
    let top = series.iter().map(|p| p.1).fold(f64::MIN_POSITIVE, f64::max) * 1.1;
    let axis = super::detail::YAxis {
        top,
        labels: ["0".to_string(), format!("{top:.2}{unit}")],
    };
    let empty = note.unwrap_or("no datapoints in this range (no requests?)");
    super::detail::line_chart(frame, area, pane, (title, series, color), axis, empty);
}
