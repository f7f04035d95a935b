//! The header: where ecsdeck is connected, READ-ONLY, API use, and the age of the view's data.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::backend::ErrorKind;
use crate::config::theme::Theme;
use crate::state::UiState;
use crate::store::Store;
use crate::views::Freshness;
use crate::views::format::{age, clean};

pub fn render(frame: &mut Frame, area: Rect, store: &Store, ui: &UiState, theme: &Theme) {
    let label = Style::default().fg(theme.muted);
    let value = Style::default().fg(theme.text).add_modifier(Modifier::BOLD);
    let conn = &ui.settings.connection;
    let mut spans = vec![Span::styled(
        " ecsdeck ",
        Style::default()
            .fg(theme.header)
            .add_modifier(Modifier::BOLD),
    )];
    // The warnings first: on a narrow terminal they must not be the part that is cut off.
    if ui.settings.read_only {
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
    if ui.journal_banner.is_some() {
        spans.push(Span::styled(
            " JOURNAL NOT WRITTEN ",
            Style::default()
                .fg(theme.failure)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
        ));
        spans.push(Span::raw(" "));
    }
    // The demo is its own "profile"; switched to a profile (`:ctx`), it stays a demo fleet.
    let profile = match (conn.demo, conn.profile.as_deref()) {
        (true, None) => "demo".to_string(),
        (true, Some(name)) => format!("{} (demo)", clean(name)),
        (false, name) => clean(name.unwrap_or("default")),
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
        v.freshness(store)
            .error
            .is_some_and(|e| e.kind == ErrorKind::Throttled)
    })
}

/// The breadcrumb line: `clusters › services(prod) › tasks(prod/api)` and, on the right, the
/// age of the data in view. When space is short the oldest crumbs give way, never the age.
pub fn render_breadcrumbs(
    frame: &mut Frame,
    area: Rect,
    ui: &UiState,
    freshness: &Freshness,
    theme: &Theme,
) {
    let (age_text, age_color) = match (freshness.fetched_at, freshness.loading) {
        (Some(at), true) => (format!("updated {} ago ↻", age(at, ui.now)), theme.muted),
        (Some(at), false) => (format!("updated {} ago", age(at, ui.now)), theme.muted),
        (None, _) if freshness.error.is_some() => ("no data".to_string(), theme.failure),
        (None, true) => ("loading…".to_string(), theme.warning),
        (None, false) => (String::new(), theme.muted),
    };
    let age_width = (age_text.chars().count() + 1) as u16;
    let crumbs_width = usize::from(area.width.saturating_sub(age_width + 1));

    let titles: Vec<String> = ui.stack.iter().map(|v| clean(&v.title())).collect();
    let mut first = 0;
    let joined_len = |from: usize| -> usize {
        let len: usize = titles[from..].iter().map(|t| t.chars().count() + 3).sum();
        len + if from > 0 { 4 } else { 1 }
    };
    while first + 1 < titles.len() && joined_len(first) > crumbs_width {
        first += 1;
    }
    let mut spans = vec![Span::raw(if first > 0 { " … › " } else { " " })];
    let last = titles.len().saturating_sub(1);
    for (i, title) in titles.iter().enumerate().skip(first) {
        if i > first {
            spans.push(Span::styled(" › ", Style::default().fg(theme.muted)));
        }
        let style = if i == last {
            Style::default()
                .fg(theme.highlight)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(theme.muted)
        };
        spans.push(Span::styled(title.clone(), style));
    }
    let crumbs_area = Rect {
        width: area.width.saturating_sub(age_width),
        ..area
    };
    let age_area = Rect {
        x: area.x + crumbs_area.width,
        width: age_width.min(area.width),
        ..area
    };
    frame.render_widget(Paragraph::new(Line::from(spans)), crumbs_area);
    frame.render_widget(
        Paragraph::new(Span::styled(age_text, Style::default().fg(age_color)))
            .alignment(ratatui::layout::Alignment::Right),
        age_area,
    );
}
