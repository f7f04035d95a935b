//! Rendering of the operation dialogs: what will change, exactly, before anything is sent.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::config::theme::Theme;
use crate::domain::diff::{self, DiffLine};
use crate::domain::ecs::{arn_tail, task_definition_short};
use crate::domain::mutation::Mutation;
use crate::keymap::{Action, KeyContext, Keymap};
use crate::state::UiState;
use crate::state::dialog::{
    ConfirmDialog, Dialog, ForwardDialog, RollbackDialog, ScaleDialog, StopReasonDialog,
    autoscaling_warning,
};
use crate::store::Store;
use crate::views::format::clean;

/// The key hints of the dialogs, generated from the keymap so a rebinding shows.
pub(super) struct Hints {
    /// A dialog with a text field that leads to a confirmation.
    pub(super) field: String,
    /// The confirmation that asks for the service name to be typed.
    typed_confirm: String,
    confirm: String,
    rollback: String,
    /// The scale confirmation's offer to widen the auto scaling range (and to take it back).
    pub(super) widen: String,
    pub(super) unwiden: String,
}

impl Hints {
    fn of(keymap: &Keymap) -> Hints {
        let cancel: (&[Action], &str) = (&[Action::Cancel], "cancel");
        Hints {
            field: keymap.hint(
                KeyContext::DialogField,
                &[(&[Action::Submit], "continue"), cancel],
            ),
            typed_confirm: keymap.hint(
                KeyContext::DialogField,
                &[(&[Action::Submit], "confirm"), cancel],
            ),
            confirm: keymap.hint(
                KeyContext::Dialog,
                &[(&[Action::Confirm], "confirm"), cancel],
            ),
            rollback: keymap.hint(
                KeyContext::Dialog,
                &[
                    (&[Action::Down, Action::Up], "choose"),
                    (&[Action::Confirm], "roll back to it"),
                    cancel,
                ],
            ),
            widen: keymap.hint(
                KeyContext::Dialog,
                &[(&[Action::WidenRange], "widen the auto scaling range first")],
            ),
            unwiden: keymap.hint(
                KeyContext::Dialog,
                &[(&[Action::WidenRange], "scale without widening")],
            ),
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, store: &Store, ui: &mut UiState, theme: &Theme) {
    let profile = ui.settings.connection.profile.clone();
    let region = ui.settings.connection.region.clone();
    let hints = Hints::of(&ui.settings.keymap);
    let Some(dialog) = ui.dialog.as_mut() else {
        return;
    };
    match dialog {
        Dialog::Scale(d) => scale(frame, area, store, d, &hints, theme),
        Dialog::Confirm(d) => {
            let cli = d.mutation.cli(profile.as_deref(), &region);
            confirm(frame, area, store, d, cli, &hints, theme)
        }
        Dialog::StopReason(d) => stop_reason(frame, area, d, &hints, theme),
        Dialog::Rollback(d) => rollback(frame, area, store, d, &hints, theme),
        Dialog::Forward(d) => forward(frame, area, d, &hints, theme),
        Dialog::ScalingRange(d) => super::dialog_scaling::range(frame, area, d, &hints, theme),
    }
}

fn forward(frame: &mut Frame, area: Rect, d: &mut ForwardDialog, hints: &Hints, theme: &Theme) {
    let title = format!("port forward through {}", d.through.label());
    let inner = popup(frame, area, 90, 10, &title, theme);
    let before = vec![
        text(
            "PORT or LOCAL:PORT forwards localhost:LOCAL to the container's PORT;",
            theme,
        ),
        text(
            "LOCAL:HOST:PORT reaches HOST:PORT as the task does (a database only it can reach).",
            theme,
        ),
        text("Forward:", theme),
    ];
    let mut after = vec![match &d.error {
        Some(e) => styled(format!("✖ {e}"), theme.failure),
        None => Line::default(),
    }];
    after.push(keys_line(&hints.field, theme));
    with_field(frame, inner, before, &mut d.field, after, theme);
}

pub(super) fn popup(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    theme: &Theme,
) -> Rect {
    let width = width
        .min(area.width.saturating_sub(2))
        .max(20.min(area.width));
    let height = height
        .min(area.height.saturating_sub(2))
        .max(5.min(area.height));
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(theme.warning))
        .title(Span::styled(
            format!(" {} ", clean(title)),
            Style::default()
                .fg(theme.warning)
                .add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

pub(super) fn text(s: impl Into<String>, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(s.into(), Style::default().fg(theme.text)))
}

pub(super) fn styled(s: impl Into<String>, color: ratatui::style::Color) -> Line<'static> {
    Line::from(Span::styled(s.into(), Style::default().fg(color)))
}

pub(super) fn keys_line(keys: &str, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(
        keys.to_string(),
        Style::default().fg(theme.highlight),
    ))
}

/// Lines, then a one-line text field, then more lines.
pub(super) fn with_field(
    frame: &mut Frame,
    inner: Rect,
    before: Vec<Line<'static>>,
    field: &mut ratatui_textarea::TextArea<'static>,
    after: Vec<Line<'static>>,
    theme: &Theme,
) {
    // Lines wrap in the popup: count the rows they really take.
    let width = usize::from(inner.width.max(1));
    let rows: usize = before
        .iter()
        .map(|l| l.width().max(1).div_ceil(width))
        .sum();
    let [top, field_area, bottom] = Layout::vertical([
        Constraint::Length(rows as u16),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(before).wrap(Wrap { trim: false }), top);
    field.set_style(
        Style::default()
            .fg(theme.text)
            .bg(theme.selection)
            .add_modifier(Modifier::BOLD),
    );
    field.set_cursor_line_style(Style::default());
    frame.render_widget(&*field, field_area);
    frame.render_widget(Paragraph::new(after).wrap(Wrap { trim: false }), bottom);
}

pub(super) fn autoscaling_line(
    store: &Store,
    cluster: &str,
    service: &str,
    theme: &Theme,
) -> Line<'static> {
    let key = (cluster.to_string(), service.to_string());
    match store.scalable_targets.get(&key) {
        Some(l) => match (l.value(), &l.error) {
            (Some(Some(t)), _) => text(
                format!(
                    "Auto scaling: min {}, max {}",
                    t.min_capacity, t.max_capacity
                ),
                theme,
            ),
            (Some(None), _) => styled("Auto scaling: none", theme.muted),
            (None, Some(e)) => styled(
                format!("Auto scaling: unknown ({})", e.message),
                theme.muted,
            ),
            (None, None) => styled("Auto scaling: checking…", theme.muted),
        },
        None => styled("Auto scaling: checking…", theme.muted),
    }
}

fn scale(
    frame: &mut Frame,
    area: Rect,
    store: &Store,
    d: &mut ScaleDialog,
    hints: &Hints,
    theme: &Theme,
) {
    let title = format!("scale {}/{}", d.cluster, d.service);
    let inner = popup(frame, area, 70, 9, &title, theme);
    let before = vec![
        text(format!("Desired count now: {}", d.current), theme),
        autoscaling_line(store, &d.cluster, &d.service, theme),
        text("New desired count (0 to 5000):", theme),
    ];
    let mut after = Vec::new();
    if let Some(e) = &d.error {
        after.push(styled(format!("✖ {e}"), theme.failure));
    } else {
        after.push(Line::default());
    }
    after.push(keys_line(&hints.field, theme));
    with_field(frame, inner, before, &mut d.field, after, theme);
}

fn confirm(
    frame: &mut Frame,
    area: Rect,
    store: &Store,
    d: &mut ConfirmDialog,
    commands: Vec<String>,
    hints: &Hints,
    theme: &Theme,
) {
    let mut lines = vec![Line::from(Span::styled(
        clean(&d.mutation.describe()),
        Style::default().fg(theme.text).add_modifier(Modifier::BOLD),
    ))];
    match &d.mutation {
        Mutation::Scale {
            cluster,
            service,
            to,
            ..
        } => {
            lines.push(autoscaling_line(store, cluster, service, theme));
            if let Some(w) = autoscaling_warning(store, cluster, service, *to) {
                lines.push(styled(format!("⚠ {w}"), theme.warning));
                if d.typed.is_none() {
                    lines.push(keys_line(&hints.widen, theme));
                }
            }
        }
        Mutation::Redeploy { .. } => lines.push(text(
            "Every task is replaced by a new one of the same task definition.",
            theme,
        )),
        Mutation::StopTasks { reason, .. } => {
            lines.push(text(format!("Reason: {}", clean(reason)), theme));
            lines.push(text("The service scheduler starts replacements.", theme));
        }
        Mutation::Rollback { .. } => {}
        Mutation::SetScalingRange { .. }
        | Mutation::SetScalingSuspended { .. }
        | Mutation::ScaleWidening { .. } => lines.extend(super::dialog_scaling::explain(
            store,
            &d.mutation,
            hints,
            theme,
        )),
        Mutation::SetInstancesState { status, .. } => lines.push(text(
            match status {
                crate::domain::ecs::InstanceStatus::Draining => {
                    "ECS places no new tasks on them; services move their tasks elsewhere (standalone tasks keep running)."
                }
                crate::domain::ecs::InstanceStatus::Active => {
                    "ECS places tasks on them again."
                }
            },
            theme,
        )),
    }
    lines.extend(command_lines(&commands, theme));
    let height = rows_drawn(&lines, area) + if d.typed.is_some() { 7 } else { 4 };
    let inner = popup(frame, area, 110, height, "confirm", theme);
    let mut after = Vec::new();
    if let Some(e) = &d.error {
        after.push(styled(format!("✖ {e}"), theme.failure));
    }
    match &mut d.typed {
        Some(field) => {
            lines.push(styled(
                format!(
                    "Scaling to 0 stops every task. Type {} to confirm:",
                    d.mutation.target()
                ),
                theme.warning,
            ));
            after.push(keys_line(&hints.typed_confirm, theme));
            with_field(frame, inner, lines, field, after, theme);
        }
        None => {
            lines.extend(after);
            lines.push(keys_line(&hints.confirm, theme));
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
    }
}

/// The equivalent aws CLI commands (the first three, and how many more).
fn command_lines(commands: &[String], theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::default(), styled("Equivalent command:", theme.muted)];
    let shown = commands.len().min(3);
    for c in &commands[..shown] {
        lines.push(styled(format!("  {}", clean(c)), theme.info));
    }
    if commands.len() > shown {
        lines.push(styled(
            format!("  … and {} more", commands.len() - shown),
            theme.muted,
        ));
    }
    lines.push(Line::default());
    lines
}

/// Rows the confirmation's lines take as drawn: a long command wraps in the popup (110 wide,
/// 108 inside, or less on a narrow terminal), and the keys under it must still show.
fn rows_drawn(lines: &[Line<'_>], area: Rect) -> u16 {
    let inside = usize::from(area.width.saturating_sub(2).min(110).saturating_sub(2)).max(1);
    let rows: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inside))
        .sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}

fn stop_reason(
    frame: &mut Frame,
    area: Rect,
    d: &mut StopReasonDialog,
    hints: &Hints,
    theme: &Theme,
) {
    let noun = if d.tasks.len() == 1 { "task" } else { "tasks" };
    let title = format!("stop {} {noun} in {}", d.tasks.len(), d.cluster);
    let ids: Vec<String> = d
        .tasks
        .iter()
        .map(|t| arn_tail(t).chars().take(8).collect())
        .collect();
    let inner = popup(frame, area, 80, 8, &title, theme);
    let before = vec![
        text(format!("Tasks: {}", ids.join(" ")), theme),
        text("Reason (recorded by ECS as stoppedReason):", theme),
    ];
    let mut after = vec![match &d.error {
        Some(e) => styled(format!("✖ {e}"), theme.failure),
        None => Line::default(),
    }];
    after.push(keys_line(&hints.field, theme));
    with_field(frame, inner, before, &mut d.field, after, theme);
}

fn rollback(
    frame: &mut Frame,
    area: Rect,
    store: &Store,
    d: &RollbackDialog,
    hints: &Hints,
    theme: &Theme,
) {
    let title = format!("roll back {}/{}", d.cluster, d.service);
    let inner = popup(frame, area, 110, 24, &title, theme);
    let [list_area, diff_area, keys_area] = Layout::vertical([
        Constraint::Length(7),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(inner);
    let revisions = store.revisions.get(&d.family);
    let list: Vec<String> = revisions
        .and_then(|l| l.value())
        .cloned()
        .unwrap_or_default();
    let choice = d.choice(&list);
    let mut lines = vec![text(
        format!(
            "Running now: {}   Choose the revision to deploy (newest first):",
            task_definition_short(&d.current)
        ),
        theme,
    )];
    match revisions {
        Some(l) if l.value().is_some() => {
            let choices = d.choices(&list);
            if choices.is_empty() {
                lines.push(styled(
                    "No other ACTIVE revision of this family.",
                    theme.warning,
                ));
            }
            let selected = choice
                .as_deref()
                .and_then(|c| choices.iter().position(|x| *x == c))
                .unwrap_or(0);
            // Keep the selection in the 5-line window.
            let start = selected
                .saturating_sub(2)
                .min(choices.len().saturating_sub(5));
            for (i, c) in choices.iter().enumerate().skip(start).take(5) {
                let previous = d
                    .previous
                    .as_deref()
                    .is_some_and(|p| task_definition_short(p) == task_definition_short(c));
                let mut label = format!(
                    "{} {}",
                    if i == selected { "▶" } else { " " },
                    task_definition_short(c)
                );
                if previous {
                    label.push_str("  (ran before the current one)");
                }
                let style = if i == selected {
                    Style::default()
                        .fg(theme.text)
                        .bg(theme.selection)
                        .add_modifier(Modifier::BOLD)
                } else {
                    Style::default().fg(theme.text)
                };
                lines.push(Line::from(Span::styled(label, style)));
            }
        }
        Some(l) if l.error.is_some() => lines.push(styled(
            format!(
                "Cannot list revisions: {}",
                l.error
                    .as_ref()
                    .map(|e| e.message.clone())
                    .unwrap_or_default()
            ),
            theme.failure,
        )),
        _ => lines.push(styled("loading revisions…", theme.muted)),
    }
    frame.render_widget(Paragraph::new(lines), list_area);

    let diff_lines = diff_lines(store, d, choice.as_deref(), theme);
    frame.render_widget(
        Paragraph::new(diff_lines).wrap(Wrap { trim: false }),
        diff_area,
    );
    frame.render_widget(Paragraph::new(keys_line(&hints.rollback, theme)), keys_area);
}

/// The changes the chosen revision would deploy, as the confirmation reads them.
fn diff_lines(
    store: &Store,
    d: &RollbackDialog,
    choice: Option<&str>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let definition = |arn: &str| store.task_definition(arn).and_then(|l| l.value());
    match choice {
        None => Vec::new(),
        Some(to) => match (definition(&d.current), definition(to)) {
            (Some(a), Some(b)) => {
                let changes = diff::task_definitions(a, b);
                let mut out = vec![styled(
                    format!(
                        "Changes {} → {} (secret values are never shown):",
                        task_definition_short(&d.current),
                        task_definition_short(to)
                    ),
                    theme.muted,
                )];
                if changes.is_empty() {
                    out.push(text(
                        "No difference in images, resources, environment, ports or commands.",
                        theme,
                    ));
                }
                out.extend(changes.into_iter().map(|l| diff_line(l, theme)));
                out
            }
            _ => vec![styled(
                "loading task definitions for the diff…",
                theme.muted,
            )],
        },
    }
}

fn diff_line(line: DiffLine, theme: &Theme) -> Line<'static> {
    match line {
        DiffLine::Section(s) => Line::from(Span::styled(
            clean(&s),
            Style::default()
                .fg(theme.header)
                .add_modifier(Modifier::BOLD),
        )),
        DiffLine::Changed(s) => styled(format!("  ~ {}", clean(&s)), theme.warning),
        DiffLine::Added(s) => styled(format!("  + {}", clean(&s)), theme.success),
        DiffLine::Removed(s) => styled(format!("  - {}", clean(&s)), theme.failure),
    }
}
