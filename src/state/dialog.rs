//! The operation dialogs — scale input, confirmation, stop reason, rollback picker — each a
//! type that handles its own keys and says what happened as an [`Outcome`]. Keys reach a
//! dialog through the keymap's dialog contexts (`y`, `n`, `esc`, `enter`, `j`, `k` are
//! rebindable); a dialog with a text field gets every other key as typing.

use crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea};

use crate::domain::ecs::task_definition_short;
use crate::domain::mutation::{Mutation, parse_desired_count};
use crate::domain::scaling::{parse_capacity_range, widened};
use crate::keymap::{Action, KeyContext};
use crate::store::{Resource, Store};

/// AWS's limit on StopTask's reason.
pub const MAX_REASON_LEN: usize = 255;

/// What a key did to the open dialog.
#[derive(Debug)]
pub enum Outcome {
    /// Still open (its text, choice or error may have changed).
    Stay,
    /// The next step replaces it (the scale input leads to the confirmation).
    Next(Box<Dialog>),
    /// Confirmed: send this change.
    Send(Mutation),
    /// Start this port forward.
    Forward(crate::domain::session::ForwardPlan),
    /// Closed; nothing changes.
    Cancel,
}

// One dialog is open at a time, so boxing the larger variants would save nothing.
#[allow(clippy::large_enum_variant)]
pub enum Dialog {
    Scale(ScaleDialog),
    Confirm(ConfirmDialog),
    StopReason(StopReasonDialog),
    Rollback(RollbackDialog),
    Forward(ForwardDialog),
    ScalingRange(ScalingRangeDialog),
}

impl std::fmt::Debug for Dialog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Dialog::Scale(d) => write!(f, "Scale({}/{})", d.cluster, d.service),
            Dialog::Confirm(d) => write!(f, "Confirm({})", d.mutation.describe()),
            Dialog::StopReason(d) => write!(f, "StopReason({} tasks)", d.tasks.len()),
            Dialog::Rollback(d) => write!(f, "Rollback({}/{})", d.cluster, d.service),
            Dialog::Forward(d) => write!(f, "Forward({})", d.through.label()),
            Dialog::ScalingRange(d) => write!(f, "ScalingRange({}/{})", d.cluster, d.service),
        }
    }
}

/// `s`: type the new desired count.
pub struct ScaleDialog {
    pub cluster: String,
    pub service: String,
    pub current: i32,
    pub field: TextArea<'static>,
    /// Why the last Enter was refused.
    pub error: Option<String>,
}

/// `a` in the detail pane: type the auto scaling range, `MIN MAX`.
pub struct ScalingRangeDialog {
    pub cluster: String,
    pub service: String,
    /// (min, max) now.
    pub current: (i32, i32),
    pub field: TextArea<'static>,
    /// Why the last Enter was refused.
    pub error: Option<String>,
}

impl ScalingRangeDialog {
    fn on_key(&mut self, action: Option<Action>, key: KeyEvent) -> Outcome {
        let (cluster, service, current) = (&self.cluster, &self.service, self.current);
        field_key(&mut self.field, &mut self.error, (action, key), |text| {
            match parse_capacity_range(text)? {
                to if to == current => Err(format!(
                    "{service} already scales between {} and {}.",
                    to.0, to.1
                )),
                to => Ok(Dialog::Confirm(ConfirmDialog {
                    mutation: Mutation::SetScalingRange {
                        cluster: cluster.clone(),
                        service: service.clone(),
                        from: current,
                        to,
                    },
                    typed: None,
                    error: None,
                })),
            }
        })
    }
}

/// Keys in a text field that leads to a confirmation: enter submits what was typed (a
/// refusal stays on screen with its reason), other bound keys do nothing, the rest types.
fn field_key(
    field: &mut TextArea<'static>,
    error: &mut Option<String>,
    (action, key): (Option<Action>, KeyEvent),
    submit: impl FnOnce(&str) -> Result<Dialog, String>,
) -> Outcome {
    match action {
        Some(Action::Submit) => match submit(&field_text(field)) {
            Ok(next) => Outcome::Next(Box::new(next)),
            Err(reason) => {
                *error = Some(reason);
                Outcome::Stay
            }
        },
        Some(_) => Outcome::Stay,
        None => {
            *error = None;
            field.input(key);
            Outcome::Stay
        }
    }
}

/// The last step before a mutation: states the change and the equivalent aws CLI command.
pub struct ConfirmDialog {
    pub mutation: Mutation,
    /// For scaling to 0: the service name must be typed here to confirm.
    pub typed: Option<TextArea<'static>>,
    pub error: Option<String>,
}

/// `ctrl-k`: the reason StopTask records, prefilled and editable.
pub struct StopReasonDialog {
    pub cluster: String,
    pub tasks: Vec<String>,
    pub field: TextArea<'static>,
    pub error: Option<String>,
}

/// `F`: which ports to forward through the container, written `LOCAL:PORT` or
/// `LOCAL:HOST:PORT`, prefilled with the container's first port on the same local port.
pub struct ForwardDialog {
    pub through: crate::domain::session::ExecPlan,
    pub field: TextArea<'static>,
    pub error: Option<String>,
}

impl ForwardDialog {
    fn on_key(&mut self, action: Option<Action>, key: KeyEvent) -> Outcome {
        match action {
            Some(Action::Submit) => {
                match crate::domain::session::parse_forward(&field_text(&self.field)) {
                    Ok((local_port, remote_host, remote_port)) => {
                        Outcome::Forward(crate::domain::session::ForwardPlan {
                            through: self.through.clone(),
                            local_port,
                            remote_host,
                            remote_port,
                        })
                    }
                    Err(e) => {
                        self.error = Some(e);
                        Outcome::Stay
                    }
                }
            }
            Some(_) => Outcome::Stay,
            None => {
                self.error = None;
                self.field.input(key);
                Outcome::Stay
            }
        }
    }
}

/// `R`: pick a revision of the family; the diff against the current one is the confirmation.
pub struct RollbackDialog {
    pub cluster: String,
    pub service: String,
    pub family: String,
    /// The task definition the service runs now.
    pub current: String,
    /// What the service ran before the current one, from its deployments, if known.
    pub previous: Option<String>,
    /// The revision the user moved to; None means the pre-selected one.
    pub selected: Option<String>,
}

/// A one-line text field with the cursor at the end.
pub fn one_line_field(text: &str) -> TextArea<'static> {
    let mut field = TextArea::new(vec![text.to_string()]);
    field.move_cursor(CursorMove::End);
    field
}

pub fn field_text(field: &TextArea<'_>) -> String {
    field.lines().join("")
}

impl ScaleDialog {
    fn on_key(&mut self, action: Option<Action>, key: KeyEvent) -> Outcome {
        let (cluster, service, current) = (&self.cluster, &self.service, self.current);
        field_key(&mut self.field, &mut self.error, (action, key), |text| {
            match parse_desired_count(text)? {
                to if to == current => Err(format!("{service} already wants {to} tasks.")),
                to => Ok(Dialog::Confirm(ConfirmDialog {
                    mutation: Mutation::Scale {
                        cluster: cluster.clone(),
                        service: service.clone(),
                        from: current,
                        to,
                    },
                    // Scaling to zero takes the service down: the name must be typed.
                    typed: (to == 0).then(|| one_line_field("")),
                    error: None,
                })),
            }
        })
    }
}

impl ConfirmDialog {
    fn on_key(&mut self, action: Option<Action>, key: KeyEvent, store: &Store) -> Outcome {
        let Some(field) = &mut self.typed else {
            return match action {
                Some(Action::Confirm) => Outcome::Send(self.mutation.clone()),
                Some(Action::WidenRange) => {
                    self.toggle_widening(store);
                    Outcome::Stay
                }
                _ => Outcome::Stay,
            };
        };
        match action {
            Some(Action::Submit) => {
                let expected = self.mutation.target();
                if field_text(field).trim() == expected {
                    return Outcome::Send(self.mutation.clone());
                }
                self.error = Some(format!("Type {expected} exactly to confirm, or esc."));
            }
            Some(_) => {}
            None => {
                self.error = None;
                field.input(key);
            }
        }
        Outcome::Stay
    }
}

impl ConfirmDialog {
    /// `w` on a scale outside the auto scaling range: widen the range first (a second,
    /// separate call, shown in the dialog) — or, pressed again, go back to the plain scale.
    fn toggle_widening(&mut self, store: &Store) {
        self.error = None;
        match &self.mutation {
            Mutation::Scale {
                cluster,
                service,
                from,
                to,
            } => {
                let Some(Some(target)) = store.scalable_target(cluster, service) else {
                    self.error = Some(format!("{service} has no auto scaling range to widen."));
                    return;
                };
                let range_from = (target.min_capacity, target.max_capacity);
                let range_to = widened(range_from.0, range_from.1, *to);
                if range_to == range_from {
                    self.error = Some(format!(
                        "{to} is inside the auto scaling range {}..{}: nothing to widen.",
                        range_from.0, range_from.1
                    ));
                    return;
                }
                self.mutation = Mutation::ScaleWidening {
                    cluster: cluster.clone(),
                    service: service.clone(),
                    from: *from,
                    to: *to,
                    range_from,
                    range_to,
                };
            }
            Mutation::ScaleWidening {
                cluster,
                service,
                from,
                to,
                ..
            } => {
                self.mutation = Mutation::Scale {
                    cluster: cluster.clone(),
                    service: service.clone(),
                    from: *from,
                    to: *to,
                };
            }
            _ => {}
        }
    }
}

impl StopReasonDialog {
    fn on_key(&mut self, action: Option<Action>, key: KeyEvent) -> Outcome {
        match action {
            Some(Action::Submit) => {
                let reason = field_text(&self.field).trim().to_string();
                if reason.chars().count() > MAX_REASON_LEN {
                    self.error = Some(format!(
                        "The reason is limited to {MAX_REASON_LEN} characters."
                    ));
                    return Outcome::Stay;
                }
                Outcome::Next(Box::new(Dialog::Confirm(ConfirmDialog {
                    mutation: Mutation::StopTasks {
                        cluster: self.cluster.clone(),
                        tasks: self.tasks.clone(),
                        reason,
                    },
                    typed: None,
                    error: None,
                })))
            }
            Some(_) => Outcome::Stay,
            None => {
                self.error = None;
                self.field.input(key);
                Outcome::Stay
            }
        }
    }
}

impl RollbackDialog {
    fn on_key(&mut self, action: Option<Action>, store: &Store) -> Outcome {
        let revisions = store
            .revisions
            .get(&self.family)
            .and_then(|l| l.value())
            .cloned()
            .unwrap_or_default();
        let choices = self.choices(&revisions);
        let current = self.choice(&revisions);
        let index = current
            .as_deref()
            .and_then(|c| choices.iter().position(|x| *x == c))
            .unwrap_or(0);
        match action {
            Some(Action::Down) => {
                let next = (index + 1).min(choices.len().saturating_sub(1));
                self.selected = choices.get(next).map(|s| s.to_string());
            }
            Some(Action::Up) => {
                self.selected = choices.get(index.saturating_sub(1)).map(|s| s.to_string());
            }
            Some(Action::Confirm) => {
                if let Some(to) = current {
                    return Outcome::Send(Mutation::Rollback {
                        cluster: self.cluster.clone(),
                        service: self.service.clone(),
                        from: self.current.clone(),
                        to,
                    });
                }
            }
            _ => {}
        }
        Outcome::Stay
    }
}

impl RollbackDialog {
    /// The revisions offered: every known revision but the current one, newest first.
    pub fn choices<'a>(&self, revisions: &'a [String]) -> Vec<&'a str> {
        revisions
            .iter()
            .map(String::as_str)
            .filter(|r| task_definition_short(r) != task_definition_short(&self.current))
            .collect()
    }

    /// The chosen revision: the user's pick, else the previous one, else the newest older
    /// than the current one.
    pub fn choice(&self, revisions: &[String]) -> Option<String> {
        let choices = self.choices(revisions);
        if let Some(s) = &self.selected
            && choices.contains(&s.as_str())
        {
            return Some(s.clone());
        }
        if let Some(p) = &self.previous
            && let Some(found) = choices
                .iter()
                .find(|c| task_definition_short(c) == task_definition_short(p))
        {
            return Some(found.to_string());
        }
        let current_rev = revision_number(&self.current);
        choices
            .iter()
            .find(|c| revision_number(c) < current_rev)
            .or(choices.first())
            .map(|c| c.to_string())
    }
}

/// The revision number at the end of a task definition ARN (`...:42` → 42).
pub fn revision_number(arn: &str) -> i64 {
    arn.rsplit(':')
        .next()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

impl Dialog {
    /// Which keymap section reads keys for this dialog: one with a text field takes every
    /// key but submit and cancel as typing.
    pub fn key_context(&self) -> KeyContext {
        match self {
            Dialog::Scale(_)
            | Dialog::StopReason(_)
            | Dialog::Forward(_)
            | Dialog::ScalingRange(_) => KeyContext::DialogField,
            Dialog::Confirm(d) if d.typed.is_some() => KeyContext::DialogField,
            Dialog::Confirm(_) | Dialog::Rollback(_) => KeyContext::Dialog,
        }
    }

    /// Handles one key: `action` is what the keymap made of it in [`Dialog::key_context`];
    /// None means a key with no binding there (typing, in a text field).
    pub fn on_key(&mut self, action: Option<Action>, key: KeyEvent, store: &Store) -> Outcome {
        if action == Some(Action::Cancel) {
            return Outcome::Cancel;
        }
        match self {
            Dialog::Scale(d) => d.on_key(action, key),
            Dialog::Confirm(d) => d.on_key(action, key, store),
            Dialog::StopReason(d) => d.on_key(action, key),
            Dialog::ScalingRange(d) => d.on_key(action, key),
            Dialog::Forward(d) => d.on_key(action, key),
            Dialog::Rollback(d) => d.on_key(action, store),
        }
    }

    /// Pasted text goes into the dialog's text field, if it has one.
    pub fn paste(&mut self, text: &str) {
        let field = match self {
            Dialog::Scale(d) => {
                d.error = None;
                &mut d.field
            }
            Dialog::StopReason(d) => &mut d.field,
            Dialog::ScalingRange(d) => {
                d.error = None;
                &mut d.field
            }
            Dialog::Forward(d) => {
                d.error = None;
                &mut d.field
            }
            Dialog::Confirm(ConfirmDialog {
                typed: Some(field), ..
            }) => field,
            _ => return,
        };
        field.insert_str(text);
    }

    /// What the dialog needs fetched while it is open.
    pub fn resources(&self, store: &Store) -> Vec<Resource> {
        let revisions = match self {
            Dialog::Rollback(r) => store
                .revisions
                .get(&r.family)
                .and_then(|l| l.value())
                .map(Vec::as_slice),
            _ => None,
        };
        match self {
            Dialog::Scale(d) => vec![Resource::ScalableTarget {
                cluster: d.cluster.clone(),
                service: d.service.clone(),
            }],
            Dialog::Confirm(ConfirmDialog {
                mutation:
                    Mutation::Scale {
                        cluster, service, ..
                    }
                    | Mutation::ScaleWidening {
                        cluster, service, ..
                    },
                ..
            }) => vec![Resource::ScalableTarget {
                cluster: cluster.clone(),
                service: service.clone(),
            }],
            Dialog::Confirm(_)
            | Dialog::StopReason(_)
            | Dialog::Forward(_)
            | Dialog::ScalingRange(_) => Vec::new(),
            Dialog::Rollback(d) => {
                let mut out = vec![
                    Resource::Revisions {
                        family: d.family.clone(),
                    },
                    Resource::TaskDefinition {
                        arn: d.current.clone(),
                    },
                ];
                if let Some(choice) = revisions.and_then(|r| d.choice(r)) {
                    out.push(Resource::TaskDefinition { arn: choice });
                }
                out
            }
        }
    }
}

/// A warning when the new count is outside the service's auto scaling range.
pub fn autoscaling_warning(store: &Store, cluster: &str, service: &str, to: i32) -> Option<String> {
    let target = store
        .scalable_targets
        .get(&(cluster.to_string(), service.to_string()))?
        .value()?
        .as_ref()?;
    let (min, max) = (target.min_capacity, target.max_capacity);
    (to < min || to > max).then(|| {
        format!("Auto scaling keeps this service between {min} and {max}: it will undo {to}.")
    })
}
