//! Which layer a key goes to, most modal first: `ctrl-c` (always quits), the open text field,
//! the open dialog, the help screen, then the view on screen through the keymap.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::{input, navigation, operations};
use crate::keymap::{Action, KeyContext};
use crate::msg::Command;
use crate::state::UiState;
use crate::store::Store;

pub fn on_key(store: &mut Store, ui: &mut UiState, key: KeyEvent) -> Vec<Command> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    // Any key counts as someone watching: an idle log pane resumes its live tail.
    ui.last_key_at = ui.now;
    // ctrl-c always quits, whatever is open: the way out must never be blocked.
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return vec![Command::Quit];
    }
    if ui.input.is_some() {
        return input::on_input_key(store, ui, key);
    }
    if ui.dialog.is_some() {
        return operations::on_dialog_key(store, ui, key);
    }
    ui.status = None;
    if ui.help_open {
        return on_help_key(ui, key);
    }
    let Some(action) = ui.settings.keymap.resolve(ui.top().key_context(), &key) else {
        return Vec::new();
    };
    navigation::perform(store, ui, action)
}

fn on_help_key(ui: &mut UiState, key: KeyEvent) -> Vec<Command> {
    match ui.settings.keymap.resolve(KeyContext::Help, &key) {
        Some(Action::Down) => ui.help_scroll += 1,
        Some(Action::Up) => ui.help_scroll = ui.help_scroll.saturating_sub(1),
        Some(Action::ForceQuit) => return vec![Command::Quit],
        Some(Action::Help | Action::Back | Action::Quit) => {
            ui.help_open = false;
            ui.help_scroll = 0;
        }
        _ => {}
    }
    Vec::new()
}
