//! Dialog state for the operations: scale input, confirmation, stop reason, rollback picker.
//! A dialog that is open receives raw keys before the keymap (see `ops::on_dialog_key`).

use chrono::{DateTime, Utc};
use ratatui_textarea::{CursorMove, TextArea};

use crate::mutation::Mutation;
use crate::store::Resource;
use crate::store::model::task_definition_short;

pub enum Dialog {
    Scale(ScaleDialog),
    Confirm(ConfirmDialog),
    StopReason(StopReasonDialog),
    Rollback(RollbackDialog),
}

impl std::fmt::Debug for Dialog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Dialog::Scale(d) => write!(f, "Scale({}/{})", d.cluster, d.service),
            Dialog::Confirm(d) => write!(f, "Confirm({})", d.mutation.describe()),
            Dialog::StopReason(d) => write!(f, "StopReason({} tasks)", d.tasks.len()),
            Dialog::Rollback(d) => write!(f, "Rollback({}/{})", d.cluster, d.service),
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
    /// What the dialog needs fetched while it is open.
    pub fn resources(&self, revisions: Option<&[String]>) -> Vec<Resource> {
        match self {
            Dialog::Scale(d) => vec![Resource::ScalableTarget {
                cluster: d.cluster.clone(),
                service: d.service.clone(),
            }],
            Dialog::Confirm(ConfirmDialog {
                mutation:
                    Mutation::Scale {
                        cluster, service, ..
                    },
                ..
            }) => vec![Resource::ScalableTarget {
                cluster: cluster.clone(),
                service: service.clone(),
            }],
            Dialog::Confirm(_) | Dialog::StopReason(_) => Vec::new(),
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

/// A change made from ecsdeck that has not been observed yet; its row says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingChange {
    pub id: u64,
    pub cluster: String,
    /// The service name, or the task ARN.
    pub key: String,
    /// Shown on the row: `scaling → 5`, `rolling back → api:41`, `stopping`.
    pub label: String,
    pub state: PendingState,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingState {
    /// Sent; the executor has not answered yet.
    Sending(Until),
    /// Accepted by ECS; waiting to see it in the next polls.
    Watching(Until),
}

/// What "observed" means for each kind of change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Until {
    /// The service runs exactly this many tasks, as desired.
    Running(i32),
    /// The service's task definition is this one and its rollout has settled.
    TaskDefinition(String),
    /// A deployment other than this primary one has taken over and settled.
    NewDeployment { replaced: Option<String> },
    /// The task is no longer running.
    TaskStopped,
}
