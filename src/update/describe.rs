//! Search in the describe view: `/` and a term highlights it, `n` / `N` scroll to the next
//! and previous line holding it (case-insensitive). The term is the view's `filter`, which
//! a describe view has no other use for.

use crate::keymap::Action;
use crate::msg::Command;
use crate::state::{Input, InputKind, StatusLevel, UiState};
use crate::store::Store;
use crate::views::{ViewKind, describe};

/// Lines kept above a match when it is scrolled to, so it is read in context.
const CONTEXT_LINES: usize = 2;

/// The describe view's own keys; None when the view on screen is not a describe.
pub fn perform(store: &Store, ui: &mut UiState, action: Action) -> Option<Vec<Command>> {
    if !matches!(ui.top().kind, ViewKind::Describe(_)) {
        return None;
    }
    match action {
        Action::Search => {
            let current = ui.top().filter.clone();
            ui.input = Some(Input::new(InputKind::Search, &current));
        }
        Action::NextMatch => jump(store, ui, true),
        Action::PrevMatch => jump(store, ui, false),
        _ => return None,
    }
    Some(Vec::new())
}

/// The term typed (live, and on `Enter`, which also scrolls to the first match below).
pub fn set_search(store: &Store, ui: &mut UiState, text: &str, jump_to_first: bool) {
    ui.top_mut().filter = text.to_string();
    if jump_to_first && !text.is_empty() {
        let scroll = ui.top().scroll;
        if let Some(line) = matches(store, ui).into_iter().find(|&i| i >= scroll) {
            ui.top_mut().scroll = line.saturating_sub(CONTEXT_LINES);
        } else {
            ui.set_status(
                StatusLevel::Info,
                format!("\"{text}\" is not in this resource."),
            );
        }
    }
}

/// The lines holding the term, by index.
pub fn matches(store: &Store, ui: &UiState) -> Vec<usize> {
    let ViewKind::Describe(kind) = &ui.top().kind else {
        return Vec::new();
    };
    let needle = ui.top().filter.to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    describe::lines(store, &kind.target)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(_, line)| line.to_lowercase().contains(&needle))
        .map(|(i, _)| i)
        .collect()
}

fn jump(store: &Store, ui: &mut UiState, forward: bool) {
    if ui.top().filter.is_empty() {
        ui.set_status(StatusLevel::Info, "No search: press / and type a term.");
        return;
    }
    // The match being read sits CONTEXT_LINES below the top line.
    let at = ui.top().scroll + CONTEXT_LINES;
    let found = matches(store, ui);
    let next = if forward {
        found.iter().copied().find(|&i| i > at)
    } else {
        found.iter().rev().copied().find(|&i| i < at)
    };
    match next {
        Some(line) => ui.top_mut().scroll = line.saturating_sub(CONTEXT_LINES),
        None if found.is_empty() => ui.set_status(StatusLevel::Info, "No line matches."),
        None => ui.set_status(
            StatusLevel::Info,
            if forward {
                "No more matches below."
            } else {
                "No more matches above."
            },
        ),
    }
}
