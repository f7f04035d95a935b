//! The log pane: the end of the buffer (or wherever the user scrolled), lines prefixed with
//! a short task id and container coloured per task, search matches highlighted, and a title
//! that says how the feed is doing and whether the pane follows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::config::theme::Theme;
use crate::logs::{LogLine, LogScope, LogSession, TailState, WINDOWS};
use crate::store::Store;
use crate::ui::advice::advice;
use crate::views::format::clean;
use crate::views::logs::{self as log_view, LogViewState, contains_ci};

/// A colour per task, from the theme's roles, so lines of one task read as one column.
fn task_color(task: &str, theme: &Theme) -> Color {
    let palette = [
        theme.highlight,
        theme.success,
        theme.info,
        theme.warning,
        theme.header,
        theme.text,
    ];
    let hash = task
        .bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
    palette[hash % palette.len()]
}

pub struct LogPane<'a> {
    pub store: &'a Store,
    pub scope: &'a LogScope,
    pub view: &'a LogViewState,
    pub idle: bool,
    /// The profile in effect, for the advice when the feed breaks.
    pub profile: Option<&'a str>,
    pub theme: &'a Theme,
}

pub fn render(frame: &mut Frame, area: Rect, pane: LogPane) {
    let theme = pane.theme;
    let session = pane.store.log.as_ref();
    let targets = pane.scope.targets(pane.store);
    let title = title_line(
        pane.scope,
        session,
        pane.view,
        pane.idle,
        pane.profile,
        theme,
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(theme.border))
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let mut notes: Vec<Line> = targets
        .notes
        .iter()
        .map(|n| {
            Line::from(Span::styled(
                format!("ℹ {}", clean(n)),
                Style::default().fg(theme.info),
            ))
        })
        .collect();
    if targets.streams.is_empty() && !targets.incomplete && notes.is_empty() {
        notes.push(Line::from(Span::styled(
            "No running task in scope logs to CloudWatch yet.",
            Style::default().fg(theme.muted),
        )));
    }
    let notes_height = (notes.len() as u16).min(inner.height / 3);
    let body = Rect {
        y: inner.y + notes_height,
        height: inner.height - notes_height,
        ..inner
    };
    if notes_height > 0 {
        frame.render_widget(
            Paragraph::new(notes),
            Rect {
                height: notes_height,
                ..inner
            },
        );
    }
    let Some(session) = session else {
        return;
    };
    let lines = visible_lines(session, pane.view, body.width, body.height, theme);
    frame.render_widget(Paragraph::new(lines), body);
}

fn title_line<'a>(
    scope: &LogScope,
    session: Option<&LogSession>,
    view: &LogViewState,
    idle: bool,
    profile: Option<&str>,
    theme: &Theme,
) -> Line<'a> {
    let mut spans = vec![Span::styled(
        format!(" logs({})", clean(&scope.title())),
        Style::default()
            .fg(theme.highlight)
            .add_modifier(Modifier::BOLD),
    )];
    if let Some(s) = session {
        spans.push(Span::styled(
            format!("[{}] ", s.buffer.len()),
            Style::default().fg(theme.text),
        ));
        let (text, color) = if idle {
            (
                "⏸ idle: live tail closed, press a key".to_string(),
                theme.muted,
            )
        } else {
            match &s.state {
                TailState::Loading => ("loading…".to_string(), theme.warning),
                TailState::Live => ("● live tail".to_string(), theme.success),
                TailState::Polling { why: None } => ("● polling".to_string(), theme.success),
                TailState::Polling { why: Some(w) } => {
                    (format!("● polling ({})", clean(w)), theme.warning)
                }
                TailState::Reconnecting { attempt, error } => (
                    match error {
                        Some(e) => {
                            format!("↻ reconnecting ({attempt}): {}", clean(&advice(e, profile)))
                        }
                        None => format!("↻ reconnecting ({attempt})"),
                    },
                    theme.warning,
                ),
            }
        };
        spans.push(Span::styled(text, Style::default().fg(color)));
        if s.skipped > 0 {
            let plural = if s.skipped == 1 { "" } else { "s" };
            spans.push(Span::styled(
                format!(" · {} unreadable event{plural} skipped", s.skipped),
                Style::default().fg(theme.warning),
            ));
        }
        spans.push(Span::styled(
            format!(" · window {} ", WINDOWS[s.window].1),
            Style::default().fg(theme.muted),
        ));
    }
    if view.following() {
        spans.push(Span::styled(
            " FOLLOWING ",
            Style::default()
                .fg(theme.success)
                .add_modifier(Modifier::BOLD),
        ));
    } else {
        spans.push(Span::styled(
            format!(" PAUSED +{} (G follows) ", view.scroll),
            Style::default()
                .fg(theme.warning)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
        ));
    }
    if let Some(term) = &view.search {
        let mode = if view.filter_mode { "only" } else { "find" };
        spans.push(Span::styled(
            format!(" {mode} /{} ", clean(term)),
            Style::default().fg(theme.highlight),
        ));
    }
    if view.wrap {
        spans.push(Span::styled(" wrap ", Style::default().fg(theme.muted)));
    }
    Line::from(spans)
}

/// Builds the rows that fit, from the bottom up (following) or from where the user scrolled.
fn visible_lines<'a>(
    session: &'a LogSession,
    view: &LogViewState,
    width: u16,
    height: u16,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let width = usize::from(width.max(1));
    let height = usize::from(height);
    let needle = view.search.as_ref().map(|s| s.to_lowercase());
    let filtering = view.filter_mode && needle.as_deref().is_some_and(|n| !n.is_empty());
    // Walk back from the newest displayed line, skipping `scroll` of them.
    let candidates = session.buffer.iter().enumerate().rev().filter(|(_, l)| {
        !filtering
            || needle
                .as_deref()
                .is_some_and(|n| log_view::line_matches(l, n))
    });
    let mut rows: Vec<Line<'a>> = Vec::new();
    for (index, line) in candidates.skip(view.scroll) {
        if rows.len() >= height {
            break;
        }
        let current = view.current_match == Some(index);
        let room = height - rows.len();
        let mut rendered =
            render_line(line, view, needle.as_deref(), current, (width, room), theme);
        // Keep the newest at the bottom: prepend this line's rows.
        rendered.reverse();
        rows.extend(rendered);
    }
    rows.truncate(height);
    rows.reverse();
    rows
}

/// One log line as one or more rows (wrapped, or a JSON object expanded): only its last
/// `max_rows` rows, the ones that can be on screen. A 1 MB line wrapped at 80 columns would
/// be 13,000 rows; building them all for a screen of 40 made every key press wait on it.
fn render_line<'a>(
    line: &'a LogLine,
    view: &LogViewState,
    needle: Option<&str>,
    current: bool,
    (width, max_rows): (usize, usize),
    theme: &Theme,
) -> Vec<Line<'a>> {
    let color = task_color(&line.task, theme);
    let mut prefix = vec![Span::styled(
        format!("{} {} ", line.task, line.container),
        Style::default().fg(color),
    )];
    if !view.hide_timestamps {
        prefix.push(Span::styled(
            format!("{} ", line.timestamp.format("%H:%M:%S%.3f")),
            Style::default().fg(theme.muted),
        ));
    }
    let prefix_width: usize = prefix.iter().map(|s| s.content.chars().count()).sum();
    let base = if current {
        Style::default().fg(theme.text).bg(theme.selection)
    } else {
        Style::default().fg(theme.text)
    };
    let texts: Vec<std::borrow::Cow<str>> = if view.expand_json && line.json {
        match serde_json::from_str::<serde_json::Value>(&line.message)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
        {
            // serde_json escapes control characters, so the pretty form stays safe.
            Some(pretty) => pretty.lines().map(|l| l.to_string().into()).collect(),
            None => vec![line.message.as_str().into()],
        }
    } else {
        vec![line.message.as_str().into()]
    };
    let room = width.saturating_sub(prefix_width).max(1);
    // Bottom-up: the last text's last rows first, until the screen is full.
    let mut pieces: Vec<(usize, usize, String)> = Vec::new();
    for (i, text) in texts.iter().enumerate().rev() {
        let left = max_rows.saturating_sub(pieces.len());
        if left == 0 {
            break;
        }
        let rows = if view.wrap {
            tail_chunks(text, room, left)
        } else {
            vec![(0, text.chars().take(room).collect())]
        };
        pieces.extend(rows.into_iter().rev().map(|(j, piece)| (i, j, piece)));
    }
    pieces.reverse();
    pieces
        .into_iter()
        .map(|(i, j, piece)| {
            let mut spans = if i == 0 && j == 0 {
                prefix.clone()
            } else {
                vec![Span::raw(" ".repeat(prefix_width))]
            };
            spans.extend(highlight(piece, needle, base, theme));
            Line::from(spans)
        })
        .collect()
}

/// The last `max` chunks of `room` characters of `text`, each with its index among all the
/// chunks: only they are built, however long the text.
fn tail_chunks(text: &str, room: usize, max: usize) -> Vec<(usize, String)> {
    // Most log lines are ASCII: slice by byte, without walking a megabyte of characters.
    if text.is_ascii() {
        let chunks = text.len().div_ceil(room).max(1);
        let first = chunks.saturating_sub(max);
        return (first..chunks)
            .map(|index| {
                let from = (index * room).min(text.len());
                let to = (from + room).min(text.len());
                (index, text[from..to].to_string())
            })
            .collect();
    }
    let total = text.chars().count();
    if total == 0 {
        return vec![(0, String::new())];
    }
    let chunks = total.div_ceil(room);
    let first = chunks.saturating_sub(max);
    let mut chars = text.chars().skip(first * room);
    (first..chunks)
        .map(|index| (index, chars.by_ref().take(room).collect()))
        .collect()
}

/// Splits a row into plain and highlighted spans for the search term.
fn highlight<'a>(text: String, needle: Option<&str>, base: Style, theme: &Theme) -> Vec<Span<'a>> {
    let Some(needle) = needle.filter(|n| !n.is_empty() && contains_ci(&text, n)) else {
        return vec![Span::styled(text, base)];
    };
    let lower = text.to_lowercase();
    // Byte offsets only line up when lowercasing kept lengths (ASCII, most logs).
    if lower.len() != text.len() {
        return vec![Span::styled(text, base)];
    }
    let mut spans = Vec::new();
    let mut start = 0;
    while let Some(found) = lower[start..].find(needle) {
        let at = start + found;
        let end = at + needle.len();
        if !text.is_char_boundary(at) || !text.is_char_boundary(end) {
            break;
        }
        if at > start {
            spans.push(Span::styled(text[start..at].to_string(), base));
        }
        spans.push(Span::styled(
            text[at..end].to_string(),
            Style::default()
                .fg(theme.selection)
                .bg(theme.warning)
                .add_modifier(Modifier::BOLD),
        ));
        start = end;
    }
    if start < text.len() {
        spans.push(Span::styled(text[start..].to_string(), base));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::tail_chunks;

    #[test]
    fn only_the_last_chunks_of_a_long_line_are_built() {
        let text = "abcdefghij".repeat(100_000);
        let tail = tail_chunks(&text, 80, 3);
        assert_eq!(tail.len(), 3);
        assert_eq!(tail[2].0, 12_499);
        assert_eq!(tail[2].1.len(), 80);
        assert_eq!(
            tail_chunks("abc", 2, 10),
            vec![(0, "ab".to_string()), (1, "c".to_string())]
        );
        assert_eq!(tail_chunks("", 5, 3), vec![(0, String::new())]);
    }
}
