//! A table as data (`TableModel`) and one renderer for every list view. Panes build models
//! from the store; the filter, selection and column fitting are handled here once.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell as TableCell, Paragraph, Row, Table, TableState};

use super::format::clean;
use crate::config::theme::Theme;

/// The semantic colour a cell or row is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Text,
    Muted,
    Success,
    Warning,
    Failure,
    Info,
}

impl Role {
    pub fn color(self, theme: &Theme) -> ratatui::style::Color {
        match self {
            Role::Text => theme.text,
            Role::Muted => theme.muted,
            Role::Success => theme.success,
            Role::Warning => theme.warning,
            Role::Failure => theme.failure,
            Role::Info => theme.info,
        }
    }
}

/// The colour of an ECS status word, as DESIGN.md maps them.
pub fn status_role(status: &str) -> Role {
    match status {
        "RUNNING" | "ACTIVE" | "COMPLETED" | "HEALTHY" | "PRIMARY" => Role::Success,
        "PENDING" | "PROVISIONING" | "ACTIVATING" | "IN_PROGRESS" | "DEACTIVATING" | "STOPPING"
        | "DEPROVISIONING" => Role::Warning,
        "STOPPED" | "FAILED" | "DRAINING" | "INACTIVE" | "UNHEALTHY" => Role::Failure,
        _ => Role::Text,
    }
}

/// A column: its title, the most room it may take, and how important it is when the
/// terminal is narrow (columns with the highest `drop_order` go first; 0 never goes).
#[derive(Debug, Clone)]
pub struct Column {
    pub title: &'static str,
    pub max_width: u16,
    pub drop_order: u8,
}

impl Column {
    pub const fn new(title: &'static str, max_width: u16, drop_order: u8) -> Column {
        Column {
            title,
            max_width,
            drop_order,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    /// Overrides the row's role for this cell (e.g. the status column).
    pub role: Option<Role>,
}

impl Cell {
    pub fn new(text: impl AsRef<str>) -> Cell {
        Cell {
            text: clean(text.as_ref()),
            role: None,
        }
    }

    pub fn with_role(text: impl AsRef<str>, role: Role) -> Cell {
        Cell {
            text: clean(text.as_ref()),
            role: Some(role),
        }
    }
}

#[derive(Debug, Clone)]
pub struct TableRow {
    /// Stable identity (ARN or name): selection follows it across refreshes.
    pub key: String,
    pub cells: Vec<Cell>,
    pub role: Role,
}

#[derive(Debug, Clone, Default)]
pub struct TableModel {
    pub columns: Vec<Column>,
    pub rows: Vec<TableRow>,
}

impl TableModel {
    /// Keeps the rows matching a `/` filter: case-insensitive substring of any cell,
    /// `!text` keeps the rows that do not match.
    pub fn filtered(mut self, filter: &str) -> TableModel {
        let (invert, needle) = match filter.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, filter),
        };
        if needle.is_empty() {
            return self;
        }
        let needle = needle.to_lowercase();
        self.rows.retain(|row| {
            let hit = row
                .cells
                .iter()
                .any(|c| c.text.to_lowercase().contains(&needle));
            hit != invert
        });
        self
    }

    pub fn keys(&self) -> Vec<&str> {
        self.rows.iter().map(|r| r.key.as_str()).collect()
    }
}

/// Where the selection is in `rows`: on the selected key if still present, else the
/// remembered index clamped to the list.
pub fn selected_index(keys: &[&str], selected_key: Option<&str>, fallback: usize) -> usize {
    selected_key
        .and_then(|k| keys.iter().position(|x| *x == k))
        .unwrap_or_else(|| fallback.min(keys.len().saturating_sub(1)))
}

/// Picks which columns fit `width`, dropping the least important first.
fn fit_columns(model: &TableModel, width: u16) -> Vec<(usize, u16)> {
    let natural: Vec<u16> = model
        .columns
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let content = model
                .rows
                .iter()
                .map(|r| r.cells.get(i).map_or(0, |c| c.text.chars().count()))
                .max()
                .unwrap_or(0);
            (content.max(col.title.len()) as u16).min(col.max_width)
        })
        .collect();
    // A column with nothing to say ("-" on every row) goes before any other.
    let drop_order: Vec<u8> = model
        .columns
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let blank = !model.rows.is_empty()
                && model.rows.iter().all(|r| {
                    r.cells
                        .get(i)
                        .is_none_or(|c| c.text.is_empty() || c.text == "-")
                });
            if blank && col.drop_order > 0 {
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
        let needed = natural[i] + 1;
        if needed <= left || drop_order[i] == 0 {
            chosen.push((i, natural[i]));
            left = left.saturating_sub(needed);
        } else if left > MIN_SQUEEZED_WIDTH {
            chosen.push((i, left - 1));
            left = 0;
        }
    }
    chosen.sort_by_key(|(i, _)| *i);
    chosen
}

/// Narrower than this, a squeezed column would say nothing useful.
const MIN_SQUEEZED_WIDTH: u16 = 12;

/// What a bordered table shows besides its rows.
pub struct TableFrame<'a> {
    pub title: Line<'a>,
    pub selected: usize,
    /// Shown instead of rows when there are none (says why, e.g. the filter hides them).
    pub empty_text: &'a str,
}

/// Draws a bordered table, highlighting the selected row.
pub fn render_table(
    frame: &mut Frame,
    area: Rect,
    model: &TableModel,
    chrome: TableFrame,
    state: &mut TableState,
    theme: &Theme,
) {
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
        return;
    }
    let columns = fit_columns(model, area.width.saturating_sub(4));
    let header = Row::new(columns.iter().map(|(i, _)| {
        TableCell::from(model.columns[*i].title).style(
            Style::default()
                .fg(theme.header)
                .add_modifier(Modifier::BOLD),
        )
    }));
    let rows = model.rows.iter().map(|row| {
        Row::new(columns.iter().map(|(i, _)| {
            let cell = row.cells.get(*i);
            let text = cell.map(|c| c.text.as_str()).unwrap_or("");
            let role = cell.and_then(|c| c.role).unwrap_or(row.role);
            TableCell::from(text.to_string()).style(Style::default().fg(role.color(theme)))
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
    state.select(Some(selected));
    frame.render_stateful_widget(table, area, state);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(names: &[&str]) -> TableModel {
        TableModel {
            columns: vec![Column::new("NAME", 30, 0)],
            rows: names
                .iter()
                .map(|n| TableRow {
                    key: n.to_string(),
                    cells: vec![Cell::new(n)],
                    role: Role::Text,
                })
                .collect(),
        }
    }

    #[test]
    fn filter_is_case_insensitive_and_invertible() {
        let m = model(&["checkout-api", "Payments-Worker", "ledger"]);
        assert_eq!(m.clone().filtered("PAY").keys(), vec!["Payments-Worker"]);
        assert_eq!(
            m.clone().filtered("!pay").keys(),
            vec!["checkout-api", "ledger"]
        );
        assert_eq!(m.clone().filtered("").keys().len(), 3);
        assert_eq!(m.filtered("!").keys().len(), 3);
    }

    #[test]
    fn selection_follows_the_key_then_clamps() {
        let keys = ["a", "b", "c"];
        assert_eq!(selected_index(&keys, Some("c"), 0), 2);
        assert_eq!(selected_index(&keys, Some("gone"), 7), 2);
        assert_eq!(selected_index(&[], None, 3), 0);
    }
}
