//! Side effects requested by `update`, as data. The app runs them; outcomes come back as
//! messages. (What the pollers fetch is derived from the view stack, see `UiState::focus`.)

use crate::mutation::Mutation;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Leave the dashboard and restore the terminal.
    Quit,
    /// Poll everything on screen now (`ctrl-r`), without waiting for the interval.
    RefreshNow,
    /// Write the lines a log pane shows to a file (`ctrl-s`).
    SaveLogs {
        path: std::path::PathBuf,
        text: String,
    },
    /// Run a confirmed mutation. `id` ties the outcome message to the pending row.
    Mutate {
        id: u64,
        mutation: Mutation,
        account: Option<String>,
    },
}
