//! A table as data: what every list view builds from the store. Filtering, sorting, the
//! selection and the columns' natural widths are handled here once for every kind; drawing
//! is `ui::table`, which formats only the rows on screen.

use std::cmp::Ordering;
use std::collections::HashMap;

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
    /// What the column sorts by when the text would sort wrongly (`9` after `10`, `2h`
    /// after `5m`): a count, a percentage, an age in seconds.
    pub sort: Option<f64>,
}

impl Cell {
    pub fn new(text: impl AsRef<str>) -> Cell {
        Cell {
            text: clean(text.as_ref()),
            role: None,
            sort: None,
        }
    }

    pub fn with_role(text: impl AsRef<str>, role: Role) -> Cell {
        Cell {
            text: clean(text.as_ref()),
            role: Some(role),
            sort: None,
        }
    }

    /// A number, sorted as one.
    pub fn number(value: impl Into<f64> + ToString + Copy) -> Cell {
        Cell::new(value.to_string()).sorted_by(value.into())
    }

    /// The same cell, sorted by `key` instead of its text.
    pub fn sorted_by(mut self, key: f64) -> Cell {
        self.sort = Some(key);
        self
    }
}

/// A column to sort by, remembered per view kind for the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The column's title: titles are stable where positions are not (the tasks view has
    /// other columns for stopped tasks).
    pub column: &'static str,
    pub descending: bool,
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
    /// The sort applied, if any: the header marks its column.
    pub sorted: Option<Sort>,
    /// Per column: the widest cell (or title), capped at the column's maximum.
    pub natural_widths: Vec<u16>,
    /// Per column: true when no row has anything to say in it (`-` everywhere).
    pub blank: Vec<bool>,
    /// Row index by key, so the selection is found without a scan per key press.
    index: HashMap<String, usize>,
}

impl TableModel {
    pub fn new(columns: Vec<Column>, rows: Vec<TableRow>) -> TableModel {
        TableModel {
            columns,
            rows,
            ..TableModel::default()
        }
    }

    /// Sorts by a column (stable, so equal cells keep the kind's own order). A column the
    /// model does not have leaves the order as it is.
    pub fn sort(&mut self, sort: Sort) {
        let Some(column) = self.columns.iter().position(|c| c.title == sort.column) else {
            return;
        };
        self.rows.sort_by(|a, b| {
            let order = compare_cells(a.cells.get(column), b.cells.get(column));
            if sort.descending {
                order.reverse()
            } else {
                order
            }
        });
        self.sorted = Some(sort);
    }

    /// Measures the columns and indexes the keys: done once per build, so drawing and key
    /// presses cost what is on screen, not what is in the fleet.
    pub fn finish(&mut self) {
        self.natural_widths = (0..self.columns.len())
            .map(|i| {
                let content = self
                    .rows
                    .iter()
                    .map(|r| r.cells.get(i).map_or(0, |c| c.text.chars().count()))
                    .max()
                    .unwrap_or(0);
                let title = self.columns[i].title.chars().count();
                (content.max(title) as u16).min(self.columns[i].max_width)
            })
            .collect();
        self.blank = (0..self.columns.len())
            .map(|i| {
                !self.rows.is_empty()
                    && self.rows.iter().all(|r| {
                        r.cells
                            .get(i)
                            .is_none_or(|c| c.text.is_empty() || c.text == "-")
                    })
            })
            .collect();
        self.index = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key.clone(), i))
            .collect();
    }

    /// Where the selection is: on the selected key if still present, else the remembered
    /// index clamped to the list; None when there are no rows.
    pub fn selected_index(&self, selected_key: Option<&str>, fallback: usize) -> Option<usize> {
        if self.rows.is_empty() {
            return None;
        }
        let by_key = selected_key.and_then(|k| match self.index.get(k) {
            Some(i) => Some(*i),
            // Not measured yet (a model built by hand): scan.
            None if self.index.is_empty() => self.rows.iter().position(|r| r.key == k),
            None => None,
        });
        Some(by_key.unwrap_or_else(|| fallback.min(self.rows.len() - 1)))
    }

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

/// Numbers before text, numbers by value, text case-insensitively; missing cells last.
fn compare_cells(a: Option<&Cell>, b: Option<&Cell>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match (a.sort, b.sort) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => a.text.to_lowercase().cmp(&b.text.to_lowercase()),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(names: &[&str]) -> TableModel {
        TableModel::new(
            vec![Column::new("NAME", 30, 0)],
            names
                .iter()
                .map(|n| TableRow {
                    key: n.to_string(),
                    cells: vec![Cell::new(n)],
                    role: Role::Text,
                })
                .collect(),
        )
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
        let mut m = model(&["a", "b", "c"]);
        assert_eq!(m.selected_index(Some("c"), 0), Some(2));
        m.finish();
        assert_eq!(m.selected_index(Some("c"), 0), Some(2));
        assert_eq!(m.selected_index(Some("gone"), 7), Some(2));
        assert_eq!(model(&[]).selected_index(None, 3), None);
    }

    #[test]
    fn sorting_uses_numbers_as_numbers_and_is_stable() {
        let row = |key: &str, count: i32, name: &str| TableRow {
            key: key.into(),
            cells: vec![Cell::new(name), Cell::number(count)],
            role: Role::Text,
        };
        let mut m = TableModel::new(
            vec![Column::new("NAME", 10, 0), Column::new("COUNT", 5, 0)],
            vec![row("a", 10, "b"), row("b", 9, "a"), row("c", 10, "c")],
        );
        m.sort(Sort {
            column: "COUNT",
            descending: false,
        });
        assert_eq!(m.keys(), vec!["b", "a", "c"]);
        m.sort(Sort {
            column: "NAME",
            descending: true,
        });
        assert_eq!(m.keys(), vec!["c", "a", "b"]);
        assert_eq!(m.sorted.map(|s| s.column), Some("NAME"));
    }
}
