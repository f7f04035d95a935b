//! The one-line text fields: the `/` filter (applied as you type), the `:` command line and
//! the log pane's search. An open field receives raw keys before the keymap.

use crossterm::event::{KeyCode, KeyEvent};

use super::{command_line, log_pane};
use crate::msg::Command;
use crate::state::{InputKind, UiState};
use crate::store::Store;

/// Keys typed into the open filter, command or search field.
pub fn on_input_key(store: &mut Store, ui: &mut UiState, key: KeyEvent) -> Vec<Command> {
    let Some(input) = &mut ui.input else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => {
            match input.kind {
                InputKind::Filter => ui.top_mut().filter.clear(),
                InputKind::Search => search(store, ui, "", false),
                InputKind::Command => {}
            }
            ui.input = None;
            Vec::new()
        }
        KeyCode::Enter => {
            let text = input.text();
            let kind = input.kind;
            ui.input = None;
            match kind {
                InputKind::Filter => {
                    ui.top_mut().filter = text.trim().to_string();
                    Vec::new()
                }
                InputKind::Command => command_line::run(store, ui, &text),
                InputKind::Search => {
                    search(store, ui, text.trim(), true);
                    Vec::new()
                }
            }
        }
        // Backspace on an empty field closes it, as in k9s and vim.
        KeyCode::Backspace if input.text().is_empty() => {
            ui.input = None;
            Vec::new()
        }
        _ => {
            input.field.input(key);
            sync_live_filter(ui);
            if let Some(input) = &ui.input
                && input.kind == InputKind::Search
            {
                let text = input.text();
                search(store, ui, text.trim(), false);
            }
            Vec::new()
        }
    }
}

/// The search field belongs to the log pane or to the describe view, whichever is on screen.
fn search(store: &Store, ui: &mut UiState, text: &str, submitted: bool) {
    if matches!(ui.top().kind, crate::views::ViewKind::Describe(_)) {
        super::describe::set_search(store, ui, text, submitted);
    } else {
        log_pane::set_search(store, ui, text, submitted);
    }
}

/// Bracketed paste: into the open field or the open dialog's field.
pub fn on_paste(ui: &mut UiState, text: &str) {
    // One-line fields: a pasted newline must neither submit nor split the text, and must
    // not glue two numbers into one ("5\n6" stays refused, never 56).
    let flat: String = text
        .trim_end_matches(['\n', '\r'])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if let Some(input) = &mut ui.input {
        input.field.insert_str(flat);
        sync_live_filter(ui);
    } else if let Some(dialog) = &mut ui.dialog {
        dialog.paste(&flat);
    }
}

/// The filter applies as you type.
fn sync_live_filter(ui: &mut UiState) {
    if let Some(input) = &ui.input
        && input.kind == InputKind::Filter
    {
        let text = input.text();
        ui.top_mut().filter = text;
    }
}
