//! The header: where ecsdeck is connected, READ-ONLY, API use, and the age of the view's data.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{age, clean};
use super::panes::{self, Freshness};
use crate::backend::ErrorKind;
use crate::config::theme::Theme;
use crate::store::Store;
use crate::view::UiState;

pub fn render(frame: &mut Frame, area: Rect, store: &Store, ui: &UiState, theme: &Theme) {
    let label = Style::default().fg(theme.muted);
    let value = Style::default().fg(theme.text).add_modifier(Modifier::BOLD);
    let conn = &ui.connection;
    let mut spans = vec![Span::styled(
        " ecsdeck ",
        Style::default()
            .fg(theme.header)
            .add_modifier(Modifier::BOLD),
    )];
    // The warnings first: on a narrow terminal they must not be the part that is cut off.
    if ui.read_only {
        spans.push(Span::styled(
            " READ-ONLY ",
            Style::default()
                .fg(theme.warning)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
        ));
        spans.push(Span::raw(" "));
    }
    if throttled(store, ui) {
        spans.push(Span::styled(
            " THROTTLED: backing off ",
            Style::default()
                .fg(theme.failure)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
        ));
        spans.push(Span::raw(" "));
    }
    let profile = if conn.demo {
        "demo".to_string()
    } else {
        clean(conn.profile.as_deref().unwrap_or("default"))
    };
    let mut fields = vec![
        ("profile", profile),
        ("region", clean(&conn.region)),
        (
            "account",
            store.account.clone().unwrap_or_else(|| "?".to_string()),
        ),
    ];
    fields.push(("api", format!("{}/min", ui.api_calls_last_minute)));
    if let Some(endpoint) = &conn.endpoint {
        fields.push(("endpoint", clean(endpoint)));
    }
    for (i, (name, text)) in fields.into_iter().enumerate() {
        let sep = if i == 0 { "" } else { "  " };
        spans.push(Span::styled(format!("{sep}{name} "), label));
        spans.push(Span::styled(text, value));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// True when any resource being polled was last refused with a throttling error.
fn throttled(store: &Store, ui: &UiState) -> bool {
    ui.stack.iter().any(|v| {
        panes::freshness(store, v)
            .error
            .is_some_and(|e| e.kind == ErrorKind::Throttled)
    })
}

/// The breadcrumb line: `clusters › services(prod) › tasks(prod/api)` and the data age.
pub fn render_breadcrumbs(
    frame: &mut Frame,
    area: Rect,
    ui: &UiState,
    freshness: &Freshness,
    theme: &Theme,
) {
    let mut spans = vec![Span::raw(" ")];
    let last = ui.stack.len().saturating_sub(1);
    for (i, view) in ui.stack.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", Style::default().fg(theme.muted)));
        }
        let style = if i == last {
            Style::default()
                .fg(theme.highlight)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(theme.muted)
        };
        spans.push(Span::styled(clean(&panes::title(view)), style));
    }
    spans.push(Span::styled("   ", Style::default()));
    let (text, role) = match (freshness.fetched_at, freshness.loading) {
        (Some(at), true) => (
            format!("updated {} ago · refreshing", age(at, ui.now)),
            theme.muted,
        ),
        (Some(at), false) => (format!("updated {} ago", age(at, ui.now)), theme.muted),
        (None, _) if freshness.error.is_some() => ("no data".to_string(), theme.failure),
        (None, _) => ("loading…".to_string(), theme.warning),
    };
    spans.push(Span::styled(text, Style::default().fg(role)));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
