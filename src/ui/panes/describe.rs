//! The describe body: the resource as JSON lines, scrollable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::config::theme::Theme;
use crate::store::Store;
use crate::views::{View, ViewKind, describe};

pub fn render(frame: &mut Frame, area: Rect, store: &Store, view: &mut View, theme: &Theme) {
    let ViewKind::Describe(kind) = &view.kind else {
        return;
    };
    let lines = describe::lines(store, &kind.target);
    let title = format!(" {} ", describe::title(&kind.target));
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
}
