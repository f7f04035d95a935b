//! The log pane's behaviour: opening it from a row, its keys (follow, scroll, wrap, search,
//! filter, windows, save, clear), feeding it, and what the tailer is asked to follow.

use std::path::PathBuf;
use std::time::Duration;

use crate::action::Action;
use crate::command::Command;
use crate::logs::{LogFocus, LogLine, LogScope, LogSession, Transport, WINDOWS};
use crate::store::Store;
use crate::update::selected_key;
use crate::view::{Input, InputKind, StatusLevel, UiState, ViewKind};

/// Log settings from the config file's `[logs]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct LogSettings {
    pub transport: Transport,
    /// Close the live tail after this long without a key press (it is billed per minute).
    pub idle_close: Duration,
    pub poll_every: Duration,
    pub buffer_lines: usize,
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings {
            transport: Transport::LiveTail,
            idle_close: Duration::from_secs(10 * 60),
            poll_every: Duration::from_secs(2),
            buffer_lines: 50_000,
        }
    }
}

/// How one log pane is being read.
#[derive(Debug, Clone, Default)]
pub struct LogViewState {
    /// Lines (as displayed: all, or only matches in filter mode) below the bottom of the
    /// pane; 0 means following the end.
    pub scroll: usize,
    pub wrap: bool,
    pub hide_timestamps: bool,
    /// The search term (case-insensitive), highlighted; in filter mode only matching lines
    /// are shown.
    pub search: Option<String>,
    pub filter_mode: bool,
    pub expand_json: bool,
    /// The buffer index of the match `n`/`N` moved to.
    pub current_match: Option<usize>,
}

impl LogViewState {
    pub fn following(&self) -> bool {
        self.scroll == 0
    }
}

/// Case-insensitive substring test without allocating for ASCII needles (the common case).
pub fn contains_ci(haystack: &str, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if needle_lower.is_ascii() {
        let n = needle_lower.as_bytes();
        return haystack
            .as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(needle_lower)
}

/// The lines the pane displays, as buffer indices (all of them unless filter mode is on).
pub fn displayed(session: &LogSession, view: &LogViewState) -> Vec<usize> {
    match (&view.search, view.filter_mode) {
        (Some(term), true) if !term.is_empty() => {
            let needle = term.to_lowercase();
            session
                .buffer
                .iter()
                .enumerate()
                .filter(|(_, l)| line_matches(l, &needle))
                .map(|(i, _)| i)
                .collect()
        }
        _ => (0..session.buffer.len()).collect(),
    }
}

pub fn line_matches(line: &LogLine, needle_lower: &str) -> bool {
    contains_ci(&line.message, needle_lower)
        || contains_ci(&line.task, needle_lower)
        || contains_ci(&line.container, needle_lower)
}

/// `l` on a service, a task or a container: open its logs.
pub fn open(store: &mut Store, ui: &mut UiState) {
    let Some(key) = selected_key(store, ui) else {
        return;
    };
    let scope = match &ui.top().kind {
        ViewKind::Services { cluster } => LogScope::Service {
            cluster: cluster.clone(),
            service: key,
        },
        ViewKind::Tasks { .. } => {
            let Some((cluster, filter)) = ui.top().task_filter() else {
                return;
            };
            LogScope::Task {
                cluster,
                filter,
                task_arn: key,
            }
        }
        ViewKind::Containers {
            cluster,
            filter,
            task_arn,
            ..
        } => LogScope::Container {
            cluster: cluster.clone(),
            filter: filter.clone(),
            task_arn: task_arn.clone(),
            container: key,
        },
        _ => return,
    };
    open_scope(store, ui, scope);
}

/// Opens a log pane on `scope` (from a row, or from the service detail pane).
pub fn open_scope(store: &mut Store, ui: &mut UiState, scope: LogScope) {
    start_session(store, ui, crate::logs::DEFAULT_WINDOW);
    ui.push(ViewKind::Logs { scope });
}

fn start_session(store: &mut Store, ui: &mut UiState, window: usize) {
    let generation = store.log.as_ref().map_or(1, |s| s.generation + 1);
    store.log = Some(LogSession::new(
        generation,
        ui.logs.buffer_lines,
        window,
        ui.now,
    ));
}

/// What the tailer should follow now: the top view's streams, unless it is not a log pane
/// or nobody has pressed a key for longer than the idle limit.
pub fn focus(store: &Store, ui: &UiState) -> Option<LogFocus> {
    let ViewKind::Logs { scope } = &ui.top().kind else {
        return None;
    };
    if idle(ui) {
        return None;
    }
    let session = store.log.as_ref()?;
    let targets = scope.targets(store);
    Some(LogFocus {
        generation: session.generation,
        streams: targets.streams,
        since: session.since,
        transport: ui.logs.transport,
        account: store.account.clone(),
        region: ui.connection.region.clone(),
        poll_every: ui.logs.poll_every,
        max_lines: ui.logs.buffer_lines,
    })
}

/// True when the log pane has been left alone past the idle limit.
pub fn idle(ui: &UiState) -> bool {
    let limit = chrono::Duration::from_std(ui.logs.idle_close).unwrap_or(chrono::Duration::MAX);
    ui.now - ui.last_key_at > limit
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

/// The text a line is saved (and shown) as, without colours.
pub fn plain(line: &LogLine, timestamps: bool) -> String {
    if timestamps {
        format!(
            "{} {} {} {}",
            line.timestamp.format("%Y-%m-%dT%H:%M:%S%.3fZ"),
            line.task,
            line.container,
            line.message
        )
    } else {
        format!("{} {} {}", line.task, line.container, line.message)
    }
}

fn save(store: &Store, ui: &mut UiState) -> Vec<Command> {
    let (Some(session), ViewKind::Logs { scope }) = (store.log.as_ref(), &ui.top().kind) else {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_search() {
        assert!(contains_ci("GET /Checkout 500", "checkout"));
        assert!(contains_ci("Überweisung fehlgeschlagen", "überweisung"));
        assert!(!contains_ci("ok", "error"));
        assert!(contains_ci("anything", ""));
    }
}
