//! Drawing: a pure function of the store and the UI state (plus the table's scroll state).
//! Nothing here changes what the dashboard knows; `update` does that.

pub mod advice;
pub mod footer;
pub mod header;
pub mod panes;
pub mod popup;
pub mod svg;
pub mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::config::theme::Theme;
use crate::state::UiState;
use crate::store::Store;
use crate::views::format::{self, clean};
use crate::views::{Freshness, View, ViewKind};

/// Draws one frame.
pub fn draw(frame: &mut Frame, store: &Store, ui: &mut UiState, theme: &Theme) {
    let area = frame.area();
    let fresh = ui.top().freshness(store);
    // Two lines: the advice plus the age of the data still shown must fit at 80 columns.
    let problem = problem_line(&fresh, ui);
    let error_height = if problem.is_some() { 2 } else { 0 };
    let banners: Vec<&String> = ui
        .config_banner
        .iter()
        .chain(ui.journal_banner.iter())
        .collect();
    let banner_height = banners.len() as u16;
    let [
        header_area,
        banner_area,
        crumbs_area,
        error_area,
        body_area,
        status_area,
        keys_area,
    ] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner_height),
        Constraint::Length(1),
        Constraint::Length(error_height),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);

    header::render(frame, header_area, store, ui, theme);
    if !banners.is_empty() {
        let style = Style::default()
            .fg(theme.warning)
            .add_modifier(Modifier::BOLD);
        let lines: Vec<Line> = banners
            .iter()
            .map(|b| Line::from(Span::styled(format!(" ⚠ {}", clean(b)), style)))
            .collect();
        frame.render_widget(Paragraph::new(lines), banner_area);
    }
    header::render_breadcrumbs(frame, crumbs_area, ui, &fresh, theme);
    if let Some((text, failed)) = problem {
        let color = if failed { theme.failure } else { theme.warning };
        frame.render_widget(
            Paragraph::new(Span::styled(
                clean(&text),
                Style::default().fg(color).add_modifier(Modifier::BOLD),
            ))
            .wrap(ratatui::widgets::Wrap { trim: false }),
            error_area,
        );
    }
    // Rows visible in a table: the body minus its borders and header row.
    ui.page_rows = usize::from(body_area.height.saturating_sub(3)).max(1);
    draw_body(frame, body_area, store, ui, theme);
    let context = ui.top().key_context();
    footer::render_status(frame, status_area, ui, theme);
    footer::render_keys(frame, keys_area, ui, context, theme);
    if ui.dialog.is_some() {
        popup::dialog::render(frame, area, store, ui, theme);
    }
    if ui.help_open {
        let help = popup::help::HelpScreen {
            keymap: &ui.settings.keymap,
            scroll: ui.help_scroll,
            read_only: ui.settings.read_only,
        };
        popup::help::render(frame, area, help, theme);
    }
}

/// What is wrong with the data on screen, in words: the last fetch failed (with the age of
/// what is still shown and when the next try is), or only part of the list could be read.
/// The flag says it failed (red) rather than is incomplete (yellow).
fn problem_line(fresh: &Freshness, ui: &UiState) -> Option<(String, bool)> {
    let profile = ui.settings.connection.profile.as_deref();
    if let Some(error) = &fresh.error {
        let stale = match fresh.fetched_at {
            Some(at) => format!(" Showing data from {} ago.", format::age(at, ui.now)),
            None => String::new(),
        };
        let next = match fresh.next_try {
            Some(at) if at > ui.now => {
                format!(" Next try in {}.", format::age(ui.now, at))
            }
            Some(_) => " Trying again now.".to_string(),
            None => String::new(),
        };
        let text = format!(" ✖ {}{stale}{next}", advice::advice(error, profile));
        return Some((text, true));
    }
    let gap = fresh.incomplete.as_ref()?;
    let why = advice::advice(&gap.error, profile);
    let plural = if gap.skipped == 1 { "" } else { "s" };
    let text = if gap.truncated {
        format!(" ⚠ Incomplete: what was fetched is shown; the rest failed. {why}")
    } else {
        format!(
            " ⚠ {} {}{plural} could not be read and {} left out: {why}",
            gap.skipped,
            gap.noun,
            if gap.skipped == 1 { "is" } else { "are" }
        )
    };
    Some((text, false))
}

/// The body: a kind with a drawing of its own (charts, logs, JSON) or the table.
fn draw_body(frame: &mut Frame, area: Rect, store: &Store, ui: &mut UiState, theme: &Theme) {
    match &ui.top().kind {
        ViewKind::ServiceDetail(detail) => {
            let pane = panes::detail::DetailPane {
                store,
                cluster: &detail.cluster,
                service: &detail.service,
                range: ui.top().range,
                now: ui.now,
                thresholds: ui.settings.thresholds,
                profile: ui.settings.connection.profile.as_deref(),
                pending: &ui.pending,
                theme,
            };
            panes::detail::render(frame, area, pane);
        }
        ViewKind::Logs(logs) => {
            let pane = panes::logs::LogPane {
                store,
                scope: &logs.scope,
                view: &ui.top().log,
                idle: ui.log_idle(),
                profile: ui.settings.connection.profile.as_deref(),
                theme,
            };
            panes::logs::render(frame, area, pane);
        }
        ViewKind::Describe(_) => panes::describe::render(frame, area, store, ui.top_mut(), theme),
        _ => draw_table(frame, area, store, ui, theme),
    }
}

fn draw_table(frame: &mut Frame, area: Rect, store: &Store, ui: &mut UiState, theme: &Theme) {
    let ctx = ui.row_context(store);
    let Some(model) = ui.top().rows(&ctx) else {
        return;
    };
    let view = ui.top();
    let selected = model
        .selected_index(view.selected_key.as_deref(), view.selected)
        .unwrap_or(0);
    let title = table_title(view, model.rows.len(), theme);
    let empty = if view.filter.is_empty() {
        view.kind.spec().empty_text(view)
    } else {
        " nothing matches the filter (esc clears it)"
    };
    let chrome = table::TableFrame {
        title,
        selected,
        empty_text: empty,
    };
    let drawn = table::render_table(frame, area, &model, chrome, &mut ui.top_mut().table, theme);
    let on_screen = model.rows.get(drawn).unwrap_or_default();
    let view = ui.top_mut();
    if view.on_screen.len() != on_screen.len()
        || view
            .on_screen
            .iter()
            .zip(on_screen)
            .any(|(a, b)| *a != b.key)
    {
        view.on_screen = on_screen.iter().map(|r| r.key.clone()).collect();
    }
}

fn table_title(view: &View, rows: usize, theme: &Theme) -> Line<'static> {
    let mut title = vec![
        Span::styled(
            format!(" {}", clean(&view.title())),
            Style::default()
                .fg(theme.highlight)
                .add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("[{rows}] "), Style::default().fg(theme.text)),
    ];
    if !view.filter.is_empty() {
        title.push(Span::styled(
            format!("</{}> ", clean(&view.filter)),
            Style::default().fg(theme.warning),
        ));
    }
    Line::from(title)
}
