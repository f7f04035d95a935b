//! The keymap: `(context, key) -> Action`, with defaults from DESIGN.md and overrides from the
//! config file. The footer and the help screen are generated from it, so they never lie.

pub mod action;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use action::Action;

/// Where a binding applies. Lookups try the most specific context first, then `List`
/// (for table views), then `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyContext {
    Global,
    /// Any table view (clusters, services, tasks, containers).
    List,
    Clusters,
    Services,
    Tasks,
    Containers,
    /// `:instances`: a cluster's container instances.
    Instances,
    /// `:capacity`: a cluster's capacity providers.
    Capacity,
    /// The JSON describe view.
    Describe,
    Journal,
    /// `:forwards`: the port forwards of this session.
    Forwards,
    /// `:ctx`: the AWS profiles to switch to.
    Contexts,
    /// `:taskdefs`: families, revisions, and the diff of two.
    TaskDefinitions,
    /// `:budget`: API calls per operation.
    Budget,
    Logs,
    /// The service detail pane (`m`).
    Detail,
    Events,
    Triage,
    Help,
    /// An open confirmation or picker dialog: only its own keys.
    Dialog,
    /// An open dialog with a text field: submit and cancel; every other key is typing.
    DialogField,
}

impl KeyContext {
    pub fn title(self) -> &'static str {
        match self {
            KeyContext::Global => "Global",
            KeyContext::List => "Lists",
            KeyContext::Clusters => "Clusters",
            KeyContext::Services => "Services",
            KeyContext::Tasks => "Tasks",
            KeyContext::Containers => "Containers",
            KeyContext::Instances => "Container instances",
            KeyContext::Capacity => "Capacity providers",
            KeyContext::Describe => "Describe",
            KeyContext::Journal => "Journal",
            KeyContext::Forwards => "Port forwards",
            KeyContext::Contexts => "Profiles (:ctx)",
            KeyContext::TaskDefinitions => "Task definitions (:taskdefs)",
            KeyContext::Budget => "API budget (:budget)",
            KeyContext::Logs => "Logs",
            KeyContext::Detail => "Service detail",
            KeyContext::Events => "Events",
            KeyContext::Triage => "Triage",
            KeyContext::Help => "Help",
            KeyContext::Dialog => "Dialogs",
            KeyContext::DialogField => "Dialogs with a text field",
        }
    }

    /// The contexts searched for a key pressed in this one, most specific first.
    pub fn chain(self) -> Vec<KeyContext> {
        match self {
            KeyContext::Global => vec![KeyContext::Global],
            // A dialog owns the keyboard: no global key (but ctrl-c) reaches past it.
            KeyContext::Dialog | KeyContext::DialogField => vec![self],
            KeyContext::Clusters
            | KeyContext::Services
            | KeyContext::Tasks
            | KeyContext::Containers
            | KeyContext::Instances
            | KeyContext::Capacity
            | KeyContext::Journal
            | KeyContext::Forwards
            | KeyContext::Contexts
            | KeyContext::TaskDefinitions
            | KeyContext::Budget => {
                vec![self, KeyContext::List, KeyContext::Global]
            }
            KeyContext::List
            | KeyContext::Events
            | KeyContext::Triage
            | KeyContext::Describe
            | KeyContext::Logs
            | KeyContext::Detail
            | KeyContext::Help => {
                vec![self, KeyContext::Global]
            }
        }
    }
}

/// A key with its modifiers, normalised so that `G` and `shift-g` are the same chord.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyChord {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        // Terminals report `G` as Char('G') with SHIFT; the character already says it.
        let modifiers = match code {
            KeyCode::Char(_) => modifiers - KeyModifiers::SHIFT,
            _ => modifiers,
        };
        KeyChord { code, modifiers }
    }

    pub fn from_event(event: &KeyEvent) -> Self {
        KeyChord::new(event.code, event.modifiers)
    }

    /// Parses `q`, `G`, `ctrl-r`, `enter`, `esc`, `pgup`, `space`, `f5`, `alt-x` ...
    pub fn parse(text: &str) -> Result<KeyChord, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-").or(lower.strip_prefix("c-")) {
                modifiers |= KeyModifiers::CONTROL;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-") {
                modifiers |= KeyModifiers::ALT;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("shift-") {
                modifiers |= KeyModifiers::SHIFT;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pgdown" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "tab" => KeyCode::Tab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        let c = if modifiers.contains(KeyModifiers::SHIFT) {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        };
                        KeyCode::Char(c)
                    }
                    _ => return Err(format!("unknown key \"{text}\"")),
                }
            }
        };
        Ok(KeyChord::new(code, modifiers))
    }

    /// How the key is written in the footer and help: `ctrl-r`, `G`, `enter`.
    pub fn display(&self) -> String {
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push_str("ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("alt-");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            out.push_str("shift-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::Enter => out.push_str("enter"),
            KeyCode::Esc => out.push_str("esc"),
            KeyCode::Up => out.push('↑'),
            KeyCode::Down => out.push('↓'),
            KeyCode::Left => out.push('←'),
            KeyCode::Right => out.push('→'),
            KeyCode::PageUp => out.push_str("pgup"),
            KeyCode::PageDown => out.push_str("pgdn"),
            KeyCode::Home => out.push_str("home"),
            KeyCode::End => out.push_str("end"),
            KeyCode::Tab => out.push_str("tab"),
            KeyCode::F(n) => out.push_str(&format!("f{n}")),
            other => out.push_str(&format!("{other:?}").to_lowercase()),
        }
        out
    }
}

/// The default bindings (DESIGN.md's key map); `[keys]` in the config file replaces them
/// per action.
const DEFAULT_BINDINGS: &[(KeyContext, &str, Action)] = &[
    (KeyContext::Global, "ctrl-c", Action::ForceQuit),
    (KeyContext::Global, "?", Action::Help),
    (KeyContext::Global, ":", Action::CommandMode),
    (KeyContext::Global, "ctrl-r", Action::Refresh),
    (KeyContext::Global, "esc", Action::Back),
    (KeyContext::Global, "q", Action::Quit),
    (KeyContext::Global, "j", Action::Down),
    (KeyContext::Global, "down", Action::Down),
    (KeyContext::Global, "k", Action::Up),
    (KeyContext::Global, "up", Action::Up),
    (KeyContext::Global, "g", Action::Top),
    (KeyContext::Global, "home", Action::Top),
    (KeyContext::Global, "G", Action::Bottom),
    (KeyContext::Global, "end", Action::Bottom),
    (KeyContext::Global, "pgup", Action::PageUp),
    (KeyContext::Global, "ctrl-b", Action::PageUp),
    (KeyContext::Global, "pgdn", Action::PageDown),
    (KeyContext::Global, "ctrl-f", Action::PageDown),
    (KeyContext::List, "enter", Action::Open),
    (KeyContext::List, "/", Action::Filter),
    (KeyContext::List, "d", Action::Describe),
    (KeyContext::List, ">", Action::SortNext),
    (KeyContext::List, "<", Action::SortPrev),
    (KeyContext::List, "o", Action::SortReverse),
    (KeyContext::Services, "t", Action::TaskDefinition),
    (KeyContext::Services, "s", Action::Scale),
    (KeyContext::Services, "r", Action::Redeploy),
    (KeyContext::Services, "R", Action::Rollback),
    (KeyContext::Tasks, "x", Action::ToggleStopped),
    (KeyContext::Tasks, "ctrl-k", Action::StopTask),
    (KeyContext::Tasks, "space", Action::Mark),
    (KeyContext::TaskDefinitions, "space", Action::Mark),
    (KeyContext::Tasks, "s", Action::Exec),
    (KeyContext::Containers, "s", Action::Exec),
    (KeyContext::Tasks, "F", Action::PortForward),
    (KeyContext::Containers, "F", Action::PortForward),
    (KeyContext::Forwards, "ctrl-k", Action::StopForward),
    (KeyContext::Clusters, "I", Action::Instances),
    (KeyContext::Clusters, "C", Action::Capacity),
    (KeyContext::Instances, "space", Action::Mark),
    (KeyContext::Instances, "D", Action::Drain),
    (KeyContext::Instances, "U", Action::Undrain),
    (KeyContext::Services, "l", Action::Logs),
    (KeyContext::Services, "m", Action::Metrics),
    (KeyContext::Services, "e", Action::Events),
    (KeyContext::Events, "/", Action::Filter),
    (KeyContext::Triage, "enter", Action::Open),
    (KeyContext::Triage, "/", Action::Filter),
    (KeyContext::Triage, ">", Action::SortNext),
    (KeyContext::Triage, "<", Action::SortPrev),
    (KeyContext::Triage, "o", Action::SortReverse),
    (KeyContext::Events, ">", Action::SortNext),
    (KeyContext::Events, "<", Action::SortPrev),
    (KeyContext::Events, "o", Action::SortReverse),
    (KeyContext::Dialog, "y", Action::Confirm),
    (KeyContext::Dialog, "Y", Action::Confirm),
    (KeyContext::Dialog, "n", Action::Cancel),
    (KeyContext::Dialog, "N", Action::Cancel),
    (KeyContext::Dialog, "esc", Action::Cancel),
    (KeyContext::Dialog, "j", Action::Down),
    (KeyContext::Dialog, "down", Action::Down),
    (KeyContext::Dialog, "k", Action::Up),
    (KeyContext::Dialog, "up", Action::Up),
    (KeyContext::DialogField, "enter", Action::Submit),
    (KeyContext::DialogField, "esc", Action::Cancel),
    (KeyContext::Detail, "h", Action::CycleRange),
    (KeyContext::Detail, "e", Action::Events),
    (KeyContext::Detail, "l", Action::Logs),
    (KeyContext::Detail, "a", Action::ScalingRange),
    (KeyContext::Detail, "i", Action::ToggleScaleIn),
    (KeyContext::Detail, "o", Action::ToggleScaleOut),
    (KeyContext::Dialog, "w", Action::WidenRange),
    (KeyContext::Tasks, "l", Action::Logs),
    (KeyContext::Containers, "l", Action::Logs),
    (KeyContext::Logs, "/", Action::Search),
    (KeyContext::Logs, "n", Action::NextMatch),
    (KeyContext::Logs, "N", Action::PrevMatch),
    (KeyContext::Logs, "F", Action::FilterMode),
    (KeyContext::Logs, "w", Action::Wrap),
    (KeyContext::Logs, "t", Action::Timestamps),
    (KeyContext::Logs, "J", Action::ExpandJson),
    (KeyContext::Logs, "ctrl-s", Action::SaveLogs),
    (KeyContext::Logs, "c", Action::ClearLogs),
    (KeyContext::Logs, "0", Action::Window(0)),
    (KeyContext::Logs, "1", Action::Window(1)),
    (KeyContext::Logs, "2", Action::Window(2)),
    (KeyContext::Logs, "3", Action::Window(3)),
    (KeyContext::Logs, "4", Action::Window(4)),
    (KeyContext::Logs, "5", Action::Window(5)),
    (KeyContext::Logs, "6", Action::Window(6)),
    // Open in the AWS console and copy: they change nothing, so read-only allows them.
    (KeyContext::List, "O", Action::OpenConsole),
    (KeyContext::List, "c", Action::Copy),
    (KeyContext::Describe, "/", Action::Search),
    (KeyContext::Describe, "n", Action::NextMatch),
    (KeyContext::Describe, "N", Action::PrevMatch),
    (KeyContext::Describe, "O", Action::OpenConsole),
    (KeyContext::Describe, "c", Action::Copy),
    (KeyContext::Events, "O", Action::OpenConsole),
    (KeyContext::Events, "c", Action::Copy),
    (KeyContext::Triage, "O", Action::OpenConsole),
    (KeyContext::Triage, "c", Action::Copy),
    (KeyContext::Detail, "O", Action::OpenConsole),
    (KeyContext::Detail, "c", Action::Copy),
    // `c` clears a log pane; its log group opens with `O`.
    (KeyContext::Logs, "O", Action::OpenConsole),
];

/// One binding of the keymap.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub context: KeyContext,
    pub chord: KeyChord,
    pub action: Action,
}

/// All bindings; later entries never shadow earlier ones within a context.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        let defaults = DEFAULT_BINDINGS;
        let bindings = defaults
            .iter()
            .filter_map(|(context, key, action)| {
                Some(Binding {
                    context: *context,
                    chord: KeyChord::parse(key).ok()?,
                    action: *action,
                })
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The action for a key pressed in `context`, if any.
    pub fn resolve(&self, context: KeyContext, event: &KeyEvent) -> Option<Action> {
        let chord = KeyChord::from_event(event);
        context.chain().into_iter().find_map(|ctx| {
            self.bindings
                .iter()
                .find(|b| b.context == ctx && b.chord == chord)
                .map(|b| b.action)
        })
    }

    /// The bindings reachable from `context`, most specific first, for the footer.
    pub fn reachable(&self, context: KeyContext) -> Vec<&Binding> {
        let mut out: Vec<&Binding> = Vec::new();
        for ctx in context.chain() {
            for b in self.bindings.iter().filter(|b| b.context == ctx) {
                // A key shadowed by a more specific context is not reachable.
                if !out.iter().any(|o| o.chord == b.chord) {
                    out.push(b);
                }
            }
        }
        out
    }

    /// The keys that do `action` in `context` (or a context it falls back to), as shown:
    /// `n/esc` for cancel, not `n/N/esc` — an upper-case twin of a bound letter and arrow
    /// keys beside letters are left out to keep hints short (the help lists them all).
    pub fn keys_for(&self, context: KeyContext, action: Action) -> String {
        let chords: Vec<KeyChord> = self
            .reachable(context)
            .into_iter()
            .filter(|b| b.action == action)
            .map(|b| b.chord)
            .collect();
        let has_letter = chords
            .iter()
            .any(|c| matches!(c.code, KeyCode::Char(ch) if ch.is_alphanumeric()));
        let shown: Vec<String> = chords
            .iter()
            .filter(|c| match c.code {
                KeyCode::Char(ch) if ch.is_uppercase() => !chords
                    .iter()
                    .any(|o| o.code == KeyCode::Char(ch.to_ascii_lowercase())),
                KeyCode::Up | KeyCode::Down | KeyCode::Left | KeyCode::Right => !has_letter,
                _ => true,
            })
            .map(KeyChord::display)
            .collect();
        shown.join("/")
    }

    /// A hint line generated from the bindings: `y confirm · n/esc cancel`. Actions with no
    /// key in `context` are left out, so a hint never offers a key that does nothing.
    pub fn hint(&self, context: KeyContext, entries: &[(&[Action], &str)]) -> String {
        entries
            .iter()
            .filter_map(|(actions, label)| {
                let keys: Vec<String> = actions
                    .iter()
                    .map(|a| self.keys_for(context, *a))
                    .filter(|k| !k.is_empty())
                    .collect();
                (!keys.is_empty()).then(|| format!("{} {label}", keys.join("/")))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// Bindings of one context, for the help screen.
    pub fn of_context(&self, context: KeyContext) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.context == context)
    }

    /// Replaces every binding of `action` with `keys`, in the contexts the action had.
    /// Returns a message for keys that cannot be parsed (the old binding stays then).
    pub fn rebind(&mut self, action: Action, keys: &[String]) -> Result<(), String> {
        let chords = keys
            .iter()
            .map(|k| KeyChord::parse(k))
            .collect::<Result<Vec<_>, _>>()?;
        let mut contexts: Vec<KeyContext> = self
            .bindings
            .iter()
            .filter(|b| b.action == action)
            .map(|b| b.context)
            .collect();
        contexts.dedup();
        self.bindings.retain(|b| b.action != action);
        for context in contexts {
            for chord in &chords {
                // The new key wins over whatever else it meant in that context.
                self.bindings
                    .retain(|b| !(b.context == context && b.chord == *chord));
                self.bindings.insert(
                    0,
                    Binding {
                        context,
                        chord: *chord,
                        action,
                    },
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_follow_design() {
        let km = Keymap::default();
        let ctrl_r = key(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(
            km.resolve(KeyContext::Services, &ctrl_r),
            Some(Action::Refresh)
        );
        let shift_g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(
            km.resolve(KeyContext::Tasks, &shift_g),
            Some(Action::Bottom)
        );
        let t = key(KeyCode::Char('t'), KeyModifiers::NONE);
        assert_eq!(
            km.resolve(KeyContext::Services, &t),
            Some(Action::TaskDefinition)
        );
        assert_eq!(km.resolve(KeyContext::Clusters, &t), None);
        let x = key(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(
            km.resolve(KeyContext::Tasks, &x),
            Some(Action::ToggleStopped)
        );
        // A dialog owns the keyboard: `q` does not quit past it.
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.resolve(KeyContext::Dialog, &q), None);
    }

    #[test]
    fn hints_come_from_the_bindings() {
        let mut km = Keymap::default();
        assert_eq!(
            km.hint(
                KeyContext::Dialog,
                &[
                    (&[Action::Confirm], "confirm"),
                    (&[Action::Cancel], "cancel")
                ]
            ),
            "y confirm · n/esc cancel"
        );
        assert_eq!(
            km.hint(
                KeyContext::Dialog,
                &[(&[Action::Down, Action::Up], "choose")]
            ),
            "j/k choose"
        );
        km.rebind(Action::Confirm, &["ctrl-y".to_string()])
            .unwrap_or_default();
        assert_eq!(
            km.hint(KeyContext::Dialog, &[(&[Action::Confirm], "confirm")]),
            "ctrl-y confirm"
        );
        let y = key(KeyCode::Char('y'), KeyModifiers::NONE);
        assert_eq!(km.resolve(KeyContext::Dialog, &y), None);
    }

    #[test]
    fn parse_and_display_round_trip() {
        for text in [
            "q", "G", "ctrl-r", "enter", "esc", "pgup", "space", "f5", "/",
        ] {
            let chord = KeyChord::parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(chord.display(), text);
        }
        assert!(KeyChord::parse("nonsense").is_err());
        assert!(KeyChord::parse("").is_err());
    }

    #[test]
    fn rebinding_replaces_the_default_key() {
        let mut km = Keymap::default();
        km.rebind(Action::Describe, &["i".to_string()])
            .unwrap_or_default();
        let i = key(KeyCode::Char('i'), KeyModifiers::NONE);
        let d = key(KeyCode::Char('d'), KeyModifiers::NONE);
        assert_eq!(km.resolve(KeyContext::Services, &i), Some(Action::Describe));
        assert_eq!(km.resolve(KeyContext::Services, &d), None);
        assert!(km.rebind(Action::Quit, &["bogus-key".to_string()]).is_err());
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.resolve(KeyContext::Services, &q), Some(Action::Quit));
    }
}
