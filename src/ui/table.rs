//! The one table renderer for every list view. It formats only the rows on screen: the
//! model (`views::table`) was built and measured once when its data changed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell as TableCell, Paragraph, Row, Table, TableState};

use crate::config::theme::Theme;
use crate::views::table::TableModel;

/// Narrower than this, a squeezed column would say nothing useful.
const MIN_SQUEEZED_WIDTH: u16 = 12;

/// Picks which columns fit `width`, dropping the least important first.
fn fit_columns(model: &TableModel, width: u16) -> Vec<(usize, u16)> {
    let natural = |i: usize| {
        let base = model.natural_widths.get(i).copied().unwrap_or(0);
        // Room for the sort arrow on the sorted column.
        let sorted = model
            .sorted
            .is_some_and(|s| model.columns.get(i).is_some_and(|c| c.title == s.column));
        if sorted {
            base.max(model.columns[i].title.chars().count() as u16 + 1)
        } else {
            base
        }
    };
    // A column with nothing to say ("-" on every row) goes before any other.
    let drop_order: Vec<u8> = model
        .columns
        .iter()
        .enumerate()
        .map(|(i, col)| {
            if model.blank.get(i).copied().unwrap_or(false) && col.drop_order > 0 {
                u8::MAX
            } else {
                col.drop_order
            }
        })
        .collect();
    // Most important first; each column goes in if it fits, squeezed if at least a useful
    // part of it fits, and the rest are left out. Screen order stays the model's order.
    let mut by_importance: Vec<usize> = (0..model.columns.len()).collect();
    by_importance.sort_by_key(|i| (drop_order[*i], *i));
    let mut left = width;
    let mut chosen: Vec<(usize, u16)> = Vec::new();
    for i in by_importance {
        let needed = natural(i) + 1;
        if needed <= left || drop_order[i] == 0 {
            chosen.push((i, natural(i)));
            left = left.saturating_sub(needed);
        } else if left > MIN_SQUEEZED_WIDTH {
            chosen.push((i, left - 1));
            left = 0;
        }
    }
    chosen.sort_by_key(|(i, _)| *i);
    chosen
}

/// What a bordered table shows besides its rows.
pub struct TableFrame<'a> {
    pub title: Line<'a>,
    pub selected: usize,
    /// Shown instead of rows when there are none (says why, e.g. the filter hides them).
    pub empty_text: &'a str,
}

/// The first row shown: the previous one, moved just enough to keep the selection visible.
fn window_start(previous: usize, selected: usize, visible: usize, total: usize) -> usize {
    let visible = visible.max(1);
    let start = if selected < previous {
        selected
    } else if selected >= previous + visible {
        selected + 1 - visible
    } else {
        previous
    };
    start.min(total.saturating_sub(visible))
}

/// Draws a bordered table, highlighting the selected row. Returns the rows drawn (indexes
/// into `model.rows`): what the pollers treat as on screen.
pub fn render_table(
    frame: &mut Frame,
    area: Rect,
    model: &TableModel,
    chrome: TableFrame,
    state: &mut TableState,
    theme: &Theme,
) -> std::ops::Range<usize> {
    let TableFrame {
        title,
        selected,
        empty_text,
    } = chrome;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(theme.border))
        .title(title);
    if model.rows.is_empty() {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let text = Paragraph::new(Line::from(Span::styled(
            empty_text.to_string(),
            Style::default().fg(theme.muted),
        )));
        frame.render_widget(text, inner);
        return 0..0;
    }
    let columns = fit_columns(model, area.width.saturating_sub(4));
    let header = Row::new(columns.iter().map(|(i, _)| {
        let column = &model.columns[*i];
        let title = match model.sorted {
            Some(s) if s.column == column.title => {
                format!("{}{}", column.title, if s.descending { "▼" } else { "▲" })
            }
            _ => column.title.to_string(),
        };
        TableCell::from(title).style(
            Style::default()
                .fg(theme.header)
                .add_modifier(Modifier::BOLD),
        )
    }));
    // Only the rows that fit: borders and the header row take three lines.
    let visible = usize::from(area.height.saturating_sub(3));
    let start = window_start(state.offset(), selected, visible, model.rows.len());
    let rows = model.rows.iter().skip(start).take(visible).map(|row| {
        Row::new(columns.iter().map(|(i, _)| {
            let cell = row.cells.get(*i);
            let text = cell.map(|c| c.text.as_str()).unwrap_or("");
            let role = cell.and_then(|c| c.role).unwrap_or(row.role);
            TableCell::from(text).style(Style::default().fg(role.color(theme)))
        }))
    });
    let widths: Vec<Constraint> = columns
        .iter()
        .map(|(_, w)| Constraint::Length(*w))
        .collect();
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(
            Style::default()
                .bg(theme.selection)
                .add_modifier(Modifier::BOLD),
        )
        .highlight_symbol("▶");
    let mut window = TableState::default().with_selected(Some(selected - start));
    frame.render_stateful_widget(table, area, &mut window);
    // Remember where the window starts, so the next frame scrolls from there.
    *state = TableState::default()
        .with_offset(start)
        .with_selected(Some(selected));
    start..(start + visible).min(model.rows.len())
}

#[cfg(test)]
mod tests {
    use super::window_start;

    #[test]
    fn the_window_moves_only_to_keep_the_selection_visible() {
        assert_eq!(window_start(0, 5, 10, 100), 0);
        assert_eq!(window_start(0, 12, 10, 100), 3);
        assert_eq!(window_start(3, 4, 10, 100), 3);
        assert_eq!(window_start(30, 4, 10, 100), 4);
        // Never past the end: the last page stays full.
        assert_eq!(window_start(95, 99, 10, 100), 90);
        assert_eq!(window_start(0, 0, 10, 3), 0);
    }
}
