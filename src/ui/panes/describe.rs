//! The describe body: the resource as JSON lines, scrollable, with the search term
//! highlighted. The title says when the lines are ecsdeck's summary rather than AWS's answer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
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
    let mut title = format!(" {} ", describe::title(&kind.target));
    if let Some(note) = describe::source_note(store, &kind.target) {
        title.push_str(&format!("· {note} "));
    }
    let term = view.filter.to_lowercase();
    if !term.is_empty() {
        let count = (lines.iter().flatten())
            .filter(|l| l.to_lowercase().contains(&term))
            .count();
        title.push_str(&format!("· /{} {count} lines ", view.filter));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(theme.border))
        .title(Span::styled(title, Style::default().fg(theme.highlight)));
    let text = Style::default().fg(theme.text);
    let found = Style::default()
        .fg(theme.highlight)
        .add_modifier(Modifier::REVERSED | Modifier::BOLD);
    let body: Vec<Line> = match lines {
        Some(lines) => {
            let visible = usize::from(area.height.saturating_sub(2));
            view.scroll = view.scroll.min(lines.len().saturating_sub(visible));
            lines
                .into_iter()
                .skip(view.scroll)
                .take(visible)
                .map(|l| highlighted(l, &term, text, found))
                .collect()
        }
        None => vec![Line::from(Span::styled(
            "loading… (or no longer present)",
            Style::default().fg(theme.muted),
        ))],
    };
    frame.render_widget(Paragraph::new(body).block(block), area);
}

/// One line with every case-insensitive occurrence of `term` (already lower-case) marked.
fn highlighted(line: String, term: &str, text: Style, found: Style) -> Line<'static> {
    let lower = line.to_lowercase();
    // Lower-casing can change byte lengths outside ASCII: mark only when offsets agree.
    if term.is_empty() || lower.len() != line.len() {
        return Line::from(Span::styled(line, text));
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for (start, _) in lower.match_indices(term) {
        if start < at {
            continue;
        }
        spans.push(Span::styled(line[at..start].to_string(), text));
        spans.push(Span::styled(
            line[start..start + term.len()].to_string(),
            found,
        ));
        at = start + term.len();
    }
    spans.push(Span::styled(line[at..].to_string(), text));
    Line::from(spans)
}
