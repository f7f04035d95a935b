//! Drawing: a pure function of the store and the UI state (plus the panes' scroll state).

pub mod footer;
pub mod format;
pub mod header;
pub mod panes;
pub mod popup;
pub mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::config::theme::Theme;
use crate::store::Store;
use crate::view::{UiState, ViewKind};

/// Draws one frame.
pub fn draw(frame: &mut Frame, store: &Store, ui: &mut UiState, theme: &Theme) {
    let area = frame.area();
    let top = ui.top();
    let fresh = panes::freshness(store, top);
    // Two lines: the advice plus the age of the data still shown must fit at 80 columns.
    let error_height = if fresh.error.is_some() { 2 } else { 0 };
    let [
        header_area,
        crumbs_area,
        error_area,
        body_area,
        status_area,
        keys_area,
    ] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(error_height),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);

    header::render(frame, header_area, store, ui, theme);
    header::render_breadcrumbs(frame, crumbs_area, ui, &fresh, theme);
    if let Some(error) = &fresh.error {
        let stale = match fresh.fetched_at {
            Some(at) => format!(" Showing data from {} ago.", format::age(at, ui.now)),
            None => String::new(),
        };
        let text = format!(
            " ✖ {}{stale}",
            format::clean(&error.advice(ui.connection.profile.as_deref()))
        );
        frame.render_widget(
            Paragraph::new(Span::styled(
                text,
                Style::default()
                    .fg(theme.failure)
                    .add_modifier(Modifier::BOLD),
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
        popup::help::render(frame, area, &ui.keymap, ui.help_scroll, theme);
    }
}

fn draw_body(frame: &mut Frame, area: Rect, store: &Store, ui: &mut UiState, theme: &Theme) {
    let now = ui.now;
    // A handful of entries at most; cloned so the view can be borrowed mutably below.
    let pending = ui.pending.clone();
    let thresholds = ui.thresholds;
    if let ViewKind::ServiceDetail { cluster, service } = &ui.top().kind {
        let pane = panes::detail::DetailPane {
            store,
            cluster,
            service,
            range: ui.top().range,
            now: ui.now,
            thresholds: ui.thresholds,
            theme,
        };
        panes::detail::render(frame, area, pane);
        return;
    }
    if let ViewKind::Logs { scope } = &ui.top().kind {
        let pane = panes::logs::LogPane {
            store,
            scope,
            view: &ui.top().log,
            idle: crate::log_view::idle(ui),
            theme,
        };
        panes::logs::render(frame, area, pane);
        return;
    }
    let view = ui.top_mut();
    if let ViewKind::Describe { target } = &view.kind {
        let lines = panes::describe::lines(store, target);
        let title = format!(" {} ", panes::describe::title(target));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(Style::default().fg(theme.border))
            .title(Span::styled(title, Style::default().fg(theme.highlight)));
        let body: Vec<Line> = match lines {
            Some(lines) => {
                let visible = usize::from(area.height.saturating_sub(2));
                view.scroll = view.scroll.min(lines.len().saturating_sub(visible));
                lines
                    .into_iter()
                    .skip(view.scroll)
                    .take(visible)
                    .map(|l| Line::from(Span::styled(l, Style::default().fg(theme.text))))
                    .collect()
            }
            None => vec![Line::from(Span::styled(
                "loading… (or no longer present)",
                Style::default().fg(theme.muted),
            ))],
        };
        frame.render_widget(Paragraph::new(body).block(block), area);
        return;
    }
    let ctx = panes::TableContext {
        now,
        pending: &pending,
        thresholds,
    };
    let Some(model) = panes::table(store, view, ctx) else {
        return;
    };
    let keys = model.keys();
    let selected = table::selected_index(&keys, view.selected_key.as_deref(), view.selected);
    let mut title = vec![
        Span::styled(
            format!(" {}", panes::title(view)),
            Style::default()
                .fg(theme.highlight)
                .add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!("[{}] ", model.rows.len()),
            Style::default().fg(theme.text),
        ),
    ];
    if !view.filter.is_empty() {
        title.push(Span::styled(
            format!("</{}> ", format::clean(&view.filter)),
            Style::default().fg(theme.warning),
        ));
    }
    let empty = if view.filter.is_empty() {
        match &view.kind {
            ViewKind::Tasks { .. } if view.show_stopped => " no stopped tasks",
            ViewKind::Tasks { .. } => " no running tasks (x shows stopped ones)",
            _ => " nothing here yet",
        }
    } else {
        " nothing matches the filter (esc clears it)"
    };
    let chrome = table::TableFrame {
        title: Line::from(title),
        selected,
        empty_text: empty,
    };
    table::render_table(frame, area, &model, chrome, &mut view.table, theme);
}
