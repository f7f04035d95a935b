//! The log pane's behaviour: opening it, its keys (follow, scroll, wrap, search,
//! filter, windows, save, clear), feeding it, and what the tailer is asked to follow.

use std::path::PathBuf;

use crate::keymap::Action;
use crate::logs::{LogFocus, LogScope, LogSession, WINDOWS};
use crate::msg::Command;
use crate::state::{Input, InputKind, StatusLevel, UiState};
use crate::store::Store;
use crate::views::ViewKind;
use crate::views::logs::{Logs, contains_ci, displayed, line_matches, plain};

/// Opens a log pane on `scope` (from a row, or from the service detail pane).
pub fn open_scope(store: &mut Store, ui: &mut UiState, scope: LogScope) {
    start_session(store, ui, crate::logs::DEFAULT_WINDOW);
    ui.push(Logs { scope });
}

fn start_session(store: &mut Store, ui: &mut UiState, window: usize) {
    let generation = store.log.as_ref().map_or(1, |s| s.generation + 1);
    store.log = Some(LogSession::new(
        generation,
        ui.settings.logs.buffer_lines,
        window,
        ui.now,
    ));
}

/// What the tailer should follow now: the top view's streams, unless it is not a log pane
/// or nobody has pressed a key for longer than the idle limit.
pub fn focus(store: &Store, ui: &UiState) -> Option<LogFocus> {
    let ViewKind::Logs(Logs { scope }) = &ui.top().kind else {
        return None;
    };
    if ui.log_idle() {
        return None;
    }
    let session = store.log.as_ref()?;
    let targets = scope.targets(store);
    Some(LogFocus {
        generation: session.generation,
        streams: targets.streams,
        since: session.since,
        transport: ui.settings.logs.transport,
        account: store.account.clone(),
        region: ui.settings.connection.region.clone(),
        poll_every: ui.settings.logs.poll_every,
        max_lines: ui.settings.logs.buffer_lines,
    })
}

/// New lines: into the buffer, and a paused pane keeps showing the same lines.
pub fn on_events(
    store: &mut Store,
    ui: &mut UiState,
    generation: u64,
    events: Vec<crate::backend::logs::LogEvent>,
) {
    let Some(session) = store.log.as_mut().filter(|s| s.generation == generation) else {
        return;
    };
    let before = session.buffer.accepted();
    session.buffer.extend(events.iter());
    let added = (session.buffer.accepted() - before) as usize;
    if let ViewKind::Logs { .. } = ui.top().kind {
        let view = &mut ui.top_mut().log;
        if !view.following() {
            let shown = match (&view.search, view.filter_mode) {
                (Some(term), true) => {
                    let needle = term.to_lowercase();
                    events
                        .iter()
                        .filter(|e| contains_ci(&e.message, &needle))
                        .count()
                        .min(added)
                }
                _ => added,
            };
            view.scroll += shown;
        }
    }
}

pub fn on_state(store: &mut Store, generation: u64, state: crate::logs::TailState) {
    if let Some(session) = store.log.as_mut().filter(|s| s.generation == generation) {
        session.state = state;
    }
}

/// Keys of the log pane. Returns None when the action is not a log-pane action.
pub fn perform(store: &mut Store, ui: &mut UiState, action: Action) -> Option<Vec<Command>> {
    if !matches!(ui.top().kind, ViewKind::Logs { .. }) {
        return None;
    }
    let total = store
        .log
        .as_ref()
        .map(|s| displayed(s, &ui.top().log).len())
        .unwrap_or(0);
    let page = ui.page_rows.max(1);
    let view = &mut ui.top_mut().log;
    let max_scroll = total.saturating_sub(1);
    match action {
        Action::Up => view.scroll = (view.scroll + 1).min(max_scroll),
        Action::Down => view.scroll = view.scroll.saturating_sub(1),
        Action::PageUp => view.scroll = (view.scroll + page).min(max_scroll),
        Action::PageDown => view.scroll = view.scroll.saturating_sub(page),
        Action::Top => view.scroll = max_scroll,
        Action::Bottom => view.scroll = 0,
        Action::Wrap => view.wrap = !view.wrap,
        Action::Timestamps => view.hide_timestamps = !view.hide_timestamps,
        Action::ExpandJson => view.expand_json = !view.expand_json,
        Action::FilterMode => {
            view.filter_mode = !view.filter_mode;
            view.scroll = 0;
            if view.search.is_none() {
                ui.set_status(
                    StatusLevel::Info,
                    "Type / and a term: filter mode shows only the lines that match.",
                );
            }
        }
        Action::Search => {
            let current = view.search.clone().unwrap_or_default();
            ui.input = Some(Input::new(InputKind::Search, &current));
        }
        Action::NextMatch => jump(store, ui, true),
        Action::PrevMatch => jump(store, ui, false),
        Action::ClearLogs => {
            if let Some(s) = store.log.as_mut() {
                s.buffer.clear();
            }
            view.scroll = 0;
            view.current_match = None;
        }
        Action::Window(n) => {
            let window = usize::from(n).min(WINDOWS.len() - 1);
            view.scroll = 0;
            view.current_match = None;
            start_session(store, ui, window);
            ui.set_status(
                StatusLevel::Info,
                format!("Loading the last {} of logs…", WINDOWS[window].1),
            );
        }
        Action::SaveLogs => return Some(save(store, ui)),
        _ => return None,
    }
    Some(Vec::new())
}

/// Applies what was typed in the search field (live while typing, and on Enter).
pub fn set_search(store: &Store, ui: &mut UiState, text: &str, jump_to_newest: bool) {
    let view = &mut ui.top_mut().log;
    view.search = (!text.is_empty()).then(|| text.to_string());
    view.current_match = None;
    if view.filter_mode {
        view.scroll = 0;
    }
    if jump_to_newest && view.search.is_some() && !view.filter_mode {
        view.current_match = None;
        jump(store, ui, false);
    }
}

/// `n` (newer) / `N` (older): moves to the next match and scrolls it to the bottom line.
fn jump(store: &Store, ui: &mut UiState, newer: bool) {
    let Some(session) = store.log.as_ref() else {
        return;
    };
    let view = &ui.top().log;
    let Some(term) = view.search.clone().filter(|t| !t.is_empty()) else {
        ui.set_status(StatusLevel::Info, "No search: press / and type a term.");
        return;
    };
    let needle = term.to_lowercase();
    let shown = displayed(session, view);
    let matches: Vec<usize> = shown
        .iter()
        .copied()
        .filter(|i| {
            session
                .buffer
                .get(*i)
                .is_some_and(|l| line_matches(l, &needle))
        })
        .collect();
    let target = match (view.current_match, newer) {
        (Some(c), true) => matches.iter().copied().find(|m| *m > c),
        (Some(c), false) => matches.iter().rev().copied().find(|m| *m < c),
        (None, _) => matches.last().copied(),
    };
    let Some(target) = target else {
        let which = if newer { "newer" } else { "older" };
        ui.set_status(
            StatusLevel::Info,
            format!("No {which} match for \"{term}\"."),
        );
        return;
    };
    let position = shown.iter().position(|i| *i == target).unwrap_or(0);
    let view = &mut ui.top_mut().log;
    view.current_match = Some(target);
    view.scroll = shown.len().saturating_sub(1 + position);
    let n = matches.iter().position(|m| *m == target).unwrap_or(0) + 1;
    ui.set_status(
        StatusLevel::Info,
        format!("Match {n} of {} for \"{term}\".", matches.len()),
    );
}

fn save(store: &Store, ui: &mut UiState) -> Vec<Command> {
    let (Some(session), ViewKind::Logs(Logs { scope })) = (store.log.as_ref(), &ui.top().kind)
    else {
        return Vec::new();
    };
    let view = &ui.top().log;
    let lines = displayed(session, view);
    if lines.is_empty() {
        ui.set_status(StatusLevel::Info, "Nothing to save: the pane is empty.");
        return Vec::new();
    }
    let mut text = String::new();
    for i in &lines {
        if let Some(line) = session.buffer.get(*i) {
            text.push_str(&plain(line, true));
            text.push('\n');
        }
    }
    let name: String = scope
        .title()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let file = format!("ecsdeck-{name}-{}.log", ui.now.format("%Y%m%d-%H%M%S"));
    vec![Command::SaveLogs {
        path: PathBuf::from(file),
        text,
    }]
}

/// How `ctrl-s` went: where the lines are, or why they could not be written.
pub fn on_saved(ui: &mut UiState, result: Result<std::path::PathBuf, String>) {
    match result {
        Ok(path) => ui.set_status(
            StatusLevel::Info,
            format!("Saved the lines shown to {}", path.display()),
        ),
        Err(e) => ui.set_status(StatusLevel::Error, format!("Could not save the logs: {e}")),
    }
}
