//! The bottom two lines: the status or the open text field, and the current view's keys,
//! generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::config::theme::Theme;
use crate::keymap::KeyContext;
use crate::state::{InputKind, StatusLevel, StatusMessage, UiState};
use crate::ui::advice::advice;
use crate::views::format::clean;

/// The status line's words: the message, and the advice for the error behind it (made here,
/// at draw time, so it names the profile in effect).
pub fn status_text(status: &StatusMessage, profile: Option<&str>) -> String {
    match &status.error {
        Some(e) => format!("{}: {}", status.text, advice(e, profile)),
        None => status.text.clone(),
    }
}

pub fn render_status(frame: &mut Frame, area: Rect, ui: &mut UiState, theme: &Theme) {
    if let Some(input) = &mut ui.input {
        let prompt = match input.kind {
            InputKind::Filter => "/",
            InputKind::Command => ":",
            InputKind::Search => "/",
        };
        let prompt_width = 2u16;
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!(" {prompt}"),
                Style::default()
                    .fg(theme.highlight)
                    .add_modifier(Modifier::BOLD),
            )),
            Rect {
                width: prompt_width.min(area.width),
                ..area
            },
        );
        input.field.set_style(Style::default().fg(theme.text));
        input.field.set_cursor_line_style(Style::default());
        let field_area = Rect {
            x: area.x + prompt_width,
            width: area.width.saturating_sub(prompt_width),
            ..area
        };
        frame.render_widget(&input.field, field_area);
        return;
    }
    let filter = &ui.top().filter;
    let line = if let Some(status) = &ui.status {
        let color = match status.level {
            StatusLevel::Info => theme.info,
            StatusLevel::Warning => theme.warning,
            StatusLevel::Error => theme.failure,
        };
        let profile = ui.settings.connection.profile.as_deref();
        Line::from(Span::styled(
            format!(" {}", clean(&status_text(status, profile))),
            Style::default().fg(color),
        ))
    } else if !filter.is_empty() {
        // A describe view's term is a search (n / N), not a filter.
        let what = if matches!(ui.top().kind, crate::views::ViewKind::Describe(_)) {
            " search "
        } else {
            " filter "
        };
        Line::from(vec![
            Span::styled(what, Style::default().fg(theme.muted)),
            Span::styled(
                format!("/{}", clean(filter)),
                Style::default().fg(theme.highlight),
            ),
            Span::styled("  (esc clears)", Style::default().fg(theme.muted)),
        ])
    } else {
        Line::default()
    };
    frame.render_widget(Paragraph::new(line), area);
}

pub fn render_keys(
    frame: &mut Frame,
    area: Rect,
    ui: &UiState,
    context: KeyContext,
    theme: &Theme,
) {
    let mut bindings = ui.settings.keymap.reachable(context);
    // Read-only: what would be refused is not offered.
    if ui.settings.read_only {
        bindings.retain(|b| !b.action.is_mutating());
    }
    // Help first: on a narrow terminal it is the one key that explains all the others.
    bindings.sort_by_key(|b| b.action != crate::keymap::action::Action::Help);
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1usize;
    let mut seen = Vec::new();
    for binding in bindings {
        if !binding.action.in_footer() || seen.contains(&binding.action) {
            continue;
        }
        seen.push(binding.action);
        let key = format!("<{}>", binding.chord.display());
        let label = format!(" {}  ", binding.action.label());
        let width = key.chars().count() + label.chars().count();
        // Whole entries only: a cut-off key would be misleading.
        if used + width > usize::from(area.width) + 2 {
            break;
        }
        used += width;
        spans.push(Span::styled(
            key,
            Style::default()
                .fg(theme.highlight)
                .add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(label, Style::default().fg(theme.muted)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
