//! The service detail pane (`m`): CPU and memory charts over 1 h / 6 h / 24 h, the alarms on
//! the service, its deployments with rollout progress, and per-task usage when Container
//! Insights is on (and a plain statement when it is not).

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap};

use crate::config::theme::Theme;
use crate::domain::ecs::{Deployment, Service, task_definition_short};
use crate::domain::metrics::{Range, Series, ServiceDetail, Thresholds};
use crate::store::Store;
use crate::ui::advice::advice;
use crate::views::format::{age_or_dash, clean};
use crate::views::table::status_role;

pub struct DetailPane<'a> {
    pub store: &'a Store,
    pub cluster: &'a str,
    pub service: &'a str,
    pub range: Range,
    pub now: DateTime<Utc>,
    pub thresholds: Thresholds,
    /// The profile in effect, for advice on errors.
    pub profile: Option<&'a str>,
    /// Changes in flight (the auto scaling section shows its own).
    pub pending: &'a [crate::domain::pending::PendingChange],
    pub theme: &'a Theme,
}

pub fn render(frame: &mut Frame, area: Rect, pane: DetailPane) {
    let theme = pane.theme;
    let service = pane
        .store
        .services_of(pane.cluster)
        .and_then(|l| l.value())
        .and_then(|v| v.iter().find(|s| s.service_name == pane.service));
    let detail = pane.store.service_detail.get(&(
        pane.cluster.to_string(),
        pane.service.to_string(),
        pane.range,
    ));
    let balanced = service.is_some_and(|s| !s.target_groups().is_empty());
    let [charts, info] = Layout::vertical([
        Constraint::Percentage(if balanced { 55 } else { 45 }),
        Constraint::Min(6),
    ])
    .areas(area);
    // Services behind a load balancer get a second row of charts: its signals.
    let [utilisation, balancer] = if balanced {
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(charts)
    } else {
        [charts, Rect::default()]
    };
    let [cpu_area, mem_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(utilisation);
    let data = detail.and_then(|l| l.value());
    let note = match detail {
        Some(l) if l.error.is_some() => l.error.as_ref().map(|e| advice(e, pane.profile)),
        Some(l) if l.value().is_none() => Some("loading…".to_string()),
        None => Some("loading…".to_string()),
        _ => None,
    };
    let empty = Series::new();
    chart(
        frame,
        cpu_area,
        "CPU",
        data.map_or(&empty, |d| &d.service.cpu),
        &pane,
        note.as_deref(),
    );
    chart(
        frame,
        mem_area,
        "memory",
        data.map_or(&empty, |d| &d.service.memory),
        &pane,
        note.as_deref(),
    );

    if balanced {
        super::balancing::charts(frame, balancer, &pane, data, note.as_deref());
    }
    let heading = |text: &str| heading(text, theme);
    let mut lines = alarm_lines(&pane);
    // Deployments.
    lines.push(Line::default());
    if let Some(s) = service {
        lines.push(heading(&format!(
            "Deployments · circuit breaker: {}",
            breaker(s)
        )));
        for d in &s.deployments {
            lines.extend(deployment(d, pane.now, theme));
        }
    }
    if let Some(s) = service {
        lines.extend(super::balancing::lines(&pane, s, data));
    }
    // Per task.
    lines.push(Line::default());
    lines.extend(per_task(&pane, data, theme));
    let scaling = super::scaling::lines(&pane);
    // Beside the rest only when there is a target to show: "none" fits on a line after it.
    let beside = info.width >= 110
        && matches!(
            pane.store.scalable_target(pane.cluster, pane.service),
            Some(Some(_))
        );
    draw_info(frame, info, lines, (scaling, beside), theme);
}

/// The text under the charts, with auto scaling beside it (`beside`), else after it.
fn draw_info(
    frame: &mut Frame,
    info: Rect,
    mut lines: Vec<Line<'static>>,
    (scaling, beside): (Vec<Line<'static>>, bool),
    theme: &Theme,
) {
    let block = |borders| {
        Block::default()
            .borders(borders)
            .border_style(Style::default().fg(theme.border))
    };
    if !beside {
        lines.push(Line::default());
        lines.extend(scaling);
        let text = Paragraph::new(lines).wrap(Wrap { trim: false });
        frame.render_widget(text.block(block(Borders::TOP)), info);
        return;
    }
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(52), Constraint::Percentage(48)]).areas(info);
    let text = Paragraph::new(lines).wrap(Wrap { trim: false });
    frame.render_widget(text.block(block(Borders::TOP)), left);
    let side = Paragraph::new(scaling).wrap(Wrap { trim: false });
    frame.render_widget(side.block(block(Borders::TOP | Borders::LEFT)), right);
}

/// A section heading of the detail pane.
fn heading<'a>(text: &str, theme: &Theme) -> Line<'a> {
    Line::from(Span::styled(
        text.to_string(),
        Style::default()
            .fg(theme.header)
            .add_modifier(Modifier::BOLD),
    ))
}

/// The alarms that watch the service, with their state and why.
fn alarm_lines<'a>(pane: &DetailPane) -> Vec<Line<'a>> {
    let theme = pane.theme;
    let mut lines: Vec<Line> = Vec::new();
    // Alarms.
    let ours = pane.store.all_alarms_for(pane.cluster, pane.service);
    lines.push(heading("Alarms", theme));
    if ours.is_empty() {
        lines.push(Line::from(Span::styled(
            "  no CloudWatch alarm watches this service's AWS/ECS metrics",
            Style::default().fg(theme.muted),
        )));
    }
    for a in ours {
        let color = match a.state.as_str() {
            "ALARM" => theme.failure,
            "OK" => theme.success,
            _ => theme.warning,
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {:<6} ", a.state),
                Style::default().fg(color).add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!("{} ", clean(&a.name)),
                Style::default().fg(theme.text),
            ),
            Span::styled(
                format!(
                    "{} ago: {}",
                    age_or_dash(a.state_updated, pane.now),
                    clean(a.state_reason.as_deref().unwrap_or("-"))
                ),
                Style::default().fg(theme.muted),
            ),
        ]));
    }
    lines
}

fn breaker(s: &Service) -> String {
    match s.circuit_breaker {
        Some(b) if b.enable && b.rollback => "on, rolls back".into(),
        Some(b) if b.enable => "on, no rollback".into(),
        Some(_) => "off".into(),
        None => "not configured".into(),
    }
}

fn deployment<'a>(d: &Deployment, now: DateTime<Utc>, theme: &Theme) -> Vec<Line<'a>> {
    let rollout = d.rollout_state.clone().unwrap_or_else(|| "-".into());
    let desired = d.desired_count.max(0) as usize;
    let running = d.running_count.max(0) as usize;
    // A 20-cell progress bar of running over desired.
    let filled = (running * 20)
        .checked_div(desired)
        .map_or(20, |f| f.min(20));
    let bar = format!("[{}{}]", "█".repeat(filled), "░".repeat(20 - filled));
    let mut out = vec![Line::from(vec![
        Span::styled(
            format!("  {:<8}", d.status),
            Style::default().fg(status_role(&d.status).color(theme)),
        ),
        Span::styled(
            format!("{:<24} ", clean(task_definition_short(&d.task_definition))),
            Style::default().fg(theme.text),
        ),
        Span::styled(bar, Style::default().fg(status_role(&rollout).color(theme))),
        Span::styled(
            format!(
                " {running}/{desired} running, {} pending, {} failed  {rollout}",
                d.pending_count, d.failed_tasks
            ),
            Style::default().fg(theme.text),
        ),
    ])];
    let mut second = format!(
        "           created {} ago, updated {} ago",
        age_or_dash(d.created_at, now),
        age_or_dash(d.updated_at, now)
    );
    if let Some(reason) = &d.rollout_state_reason {
        second.push_str(&format!(" · {}", clean(reason)));
    }
    out.push(Line::from(Span::styled(
        second,
        Style::default().fg(if rollout == "FAILED" {
            theme.failure
        } else {
            theme.muted
        }),
    )));
    out
}

fn per_task<'a>(pane: &DetailPane, data: Option<&ServiceDetail>, theme: &Theme) -> Vec<Line<'a>> {
    let insights = pane
        .store
        .clusters
        .value()
        .and_then(|v| v.iter().find(|c| c.cluster_name == pane.cluster))
        .and_then(|c| c.container_insights.clone());
    let on = insights
        .as_deref()
        .is_some_and(|s| s == "enabled" || s == "enhanced");
    let mut out = vec![Line::from(Span::styled(
        "Per task (Container Insights)",
        Style::default()
            .fg(theme.header)
            .add_modifier(Modifier::BOLD),
    ))];
    if !on {
        out.push(Line::from(Span::styled(
            format!(
                "  Container Insights is not enabled on cluster {}: per-task CPU and memory are not available. \
                 Enable it with: aws ecs update-cluster-settings --cluster {} --settings name=containerInsights,value=enabled",
                pane.cluster, pane.cluster
            ),
            Style::default().fg(theme.warning),
        )));
        return out;
    }
    let tasks = data.map(|d| d.tasks.as_slice()).unwrap_or_default();
    if tasks.is_empty() {
        out.push(Line::from(Span::styled(
            "  loading…",
            Style::default().fg(theme.muted),
        )));
    }
    for (task, u) in tasks {
        let short: String = task.chars().take(8).collect();
        let cpu = u
            .cpu_now()
            .map_or("-".to_string(), |v| format!("{v:.0} CPU units"));
        let mem = u
            .memory_now()
            .map_or("-".to_string(), |v| format!("{v:.0} MiB"));
        out.push(Line::from(Span::styled(
            format!("  {short}  cpu {cpu:<16} memory {mem}"),
            Style::default().fg(theme.text),
        )));
    }
    out
}

fn chart(
    frame: &mut Frame,
    area: Rect,
    what: &str,
    series: &Series,
    pane: &DetailPane,
    note: Option<&str>,
) {
    let theme = pane.theme;
    let now_value = series.last().map(|p| p.1);
    let color = match now_value {
        Some(v) if v >= pane.thresholds.failure => theme.failure,
        Some(v) if v >= pane.thresholds.warning => theme.warning,
        _ => theme.success,
    };
    let title = format!(
        " {what} {} · {} (h: 1h/6h/24h) ",
        now_value.map_or("-".to_string(), |v| format!("{v:.0}%")),
        pane.range.label()
    );
    let top = series.iter().map(|p| p.1).fold(100.0_f64, f64::max);
    let axis = YAxis {
        top,
        labels: ["0%".to_string(), format!("{top:.0}%")],
    };
    let empty = note.unwrap_or("no datapoints in this range");
    line_chart(frame, area, pane, (title, series, color), axis, empty);
}

/// The vertical axis of a chart: its top and the labels at 0 and at the top.
pub(super) struct YAxis {
    pub top: f64,
    pub labels: [String; 2],
}

/// A braille line chart of one series over the pane's range, or `empty` without points.
pub(super) fn line_chart(
    frame: &mut Frame,
    area: Rect,
    pane: &DetailPane,
    (title, series, color): (String, &Series, ratatui::style::Color),
    y: YAxis,
    empty: &str,
) {
    let theme = pane.theme;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(theme.border))
        .title(Span::styled(title, Style::default().fg(theme.highlight)));
    if series.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                empty.to_string(),
                Style::default().fg(theme.muted),
            ))
            .block(block),
            area,
        );
        return;
    }
    let start = pane.now.timestamp() - pane.range.seconds();
    let points: Vec<(f64, f64)> = series
        .iter()
        .map(|(t, v)| ((t.timestamp() - start) as f64, *v))
        .collect();
    let dataset = Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(Style::default().fg(color))
        .data(&points);
    let x = Axis::default()
        .bounds([0.0, pane.range.seconds() as f64])
        .labels([format!("-{}", pane.range.label()), "now".to_string()])
        .style(Style::default().fg(theme.muted));
    let y = Axis::default()
        .bounds([0.0, y.top])
        .labels(y.labels)
        .style(Style::default().fg(theme.muted));
    frame.render_widget(
        Chart::new(vec![dataset]).block(block).x_axis(x).y_axis(y),
        area,
    );
}
