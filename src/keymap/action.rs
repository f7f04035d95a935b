//! What a key can ask for. The keymap turns keys into actions; `update` interprets them.

/// A user intent, independent of which key produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    Back,
    Filter,
    CommandMode,
    Help,
    Refresh,
    Quit,
    ForceQuit,
    Describe,
    TaskDefinition,
    ToggleStopped,
    Scale,
    Redeploy,
    Rollback,
    StopTask,
    /// A shell in the container (ECS Exec), handed to session-manager-plugin.
    Exec,
    /// Forward a local port through the container (Session Manager port forwarding).
    PortForward,
    /// `:forwards`: stop the forward under the cursor.
    StopForward,
    Mark,
    /// A cluster's container instances (`:instances`).
    Instances,
    /// A cluster's capacity providers (`:capacity`).
    Capacity,
    /// Set the selected (or marked) container instances to DRAINING / back to ACTIVE.
    Drain,
    Undrain,
    /// Change the service's auto scaling min / max (RegisterScalableTarget).
    ScalingRange,
    /// Suspend or resume dynamic scale-in / scale-out (RegisterScalableTarget).
    ToggleScaleIn,
    ToggleScaleOut,
    /// In a scale confirmation: also widen the auto scaling range to the new count.
    WidenRange,
    Logs,
    Wrap,
    Timestamps,
    Search,
    NextMatch,
    PrevMatch,
    FilterMode,
    ExpandJson,
    SaveLogs,
    ClearLogs,
    /// Pick the log history window: 0 = tail, 1..6 = 1 m .. 3 h.
    Window(u8),
    Metrics,
    Events,
    CycleRange,
    /// Open the selected resource's page in the AWS console.
    OpenConsole,
    /// Copy the selected resource's ARN (or name; the JSON in describe) to the clipboard.
    Copy,
    /// Sort by the next / previous column; reverse the order.
    SortNext,
    SortPrev,
    SortReverse,
    /// Dialogs: confirm the change, close without it, submit what was typed.
    Confirm,
    Cancel,
    Submit,
}

impl Action {
    /// Every action, in the order the help screen lists them.
    pub const ALL: [Action; 61] = [
        Action::Up,
        Action::Down,
        Action::Top,
        Action::Bottom,
        Action::PageUp,
        Action::PageDown,
        Action::Open,
        Action::Back,
        Action::Filter,
        Action::CommandMode,
        Action::Help,
        Action::Refresh,
        Action::Quit,
        Action::ForceQuit,
        Action::Describe,
        Action::TaskDefinition,
        Action::ToggleStopped,
        Action::Scale,
        Action::Redeploy,
        Action::Rollback,
        Action::StopTask,
        Action::Exec,
        Action::PortForward,
        Action::StopForward,
        Action::Mark,
        Action::Instances,
        Action::Capacity,
        Action::Drain,
        Action::Undrain,
        Action::ScalingRange,
        Action::ToggleScaleIn,
        Action::ToggleScaleOut,
        Action::WidenRange,
        Action::Logs,
        Action::Wrap,
        Action::Timestamps,
        Action::Search,
        Action::NextMatch,
        Action::PrevMatch,
        Action::FilterMode,
        Action::ExpandJson,
        Action::SaveLogs,
        Action::ClearLogs,
        Action::Window(0),
        Action::Window(1),
        Action::Window(2),
        Action::Window(3),
        Action::Window(4),
        Action::Window(5),
        Action::Window(6),
        Action::Metrics,
        Action::Events,
        Action::CycleRange,
        Action::OpenConsole,
        Action::Copy,
        Action::SortNext,
        Action::SortPrev,
        Action::SortReverse,
        Action::Confirm,
        Action::Cancel,
        Action::Submit,
    ];

    /// The name used in the config file's `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Action::Up => "up",
            Action::Down => "down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Open => "open",
            Action::Back => "back",
            Action::Filter => "filter",
            Action::CommandMode => "command",
            Action::Help => "help",
            Action::Refresh => "refresh",
            Action::Quit => "quit",
            Action::ForceQuit => "force_quit",
            Action::Describe => "describe",
            Action::TaskDefinition => "task_definition",
            Action::ToggleStopped => "toggle_stopped",
            Action::Scale => "scale",
            Action::Redeploy => "redeploy",
            Action::Rollback => "rollback",
            Action::StopTask => "stop_task",
            Action::Exec => "exec",
            Action::PortForward => "port_forward",
            Action::StopForward => "stop_forward",
            Action::Mark => "mark",
            Action::Instances => "instances",
            Action::Capacity => "capacity",
            Action::Drain => "drain",
            Action::Undrain => "undrain",
            Action::ScalingRange => "scaling_range",
            Action::ToggleScaleIn => "toggle_scale_in",
            Action::ToggleScaleOut => "toggle_scale_out",
            Action::WidenRange => "widen_range",
            Action::Logs => "logs",
            Action::Wrap => "wrap",
            Action::Timestamps => "timestamps",
            Action::Search => "search",
            Action::NextMatch => "next_match",
            Action::PrevMatch => "previous_match",
            Action::FilterMode => "filter_mode",
            Action::ExpandJson => "expand_json",
            Action::SaveLogs => "save_logs",
            Action::ClearLogs => "clear_logs",
            Action::Window(0) => "window_tail",
            Action::Window(1) => "window_1m",
            Action::Window(2) => "window_5m",
            Action::Window(3) => "window_15m",
            Action::Window(4) => "window_30m",
            Action::Window(5) => "window_1h",
            Action::Window(_) => "window_3h",
            Action::Metrics => "metrics",
            Action::Events => "events",
            Action::CycleRange => "range",
            Action::OpenConsole => "open_console",
            Action::Copy => "copy",
            Action::SortNext => "sort_next",
            Action::SortPrev => "sort_previous",
            Action::SortReverse => "sort_reverse",
            Action::Confirm => "confirm",
            Action::Cancel => "cancel",
            Action::Submit => "submit",
        }
    }

    /// A few words for the footer and the help screen.
    pub fn label(self) -> &'static str {
        match self {
            Action::Up => "up",
            Action::Down => "down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Open => "open",
            Action::Back => "back",
            Action::Filter => "filter",
            Action::CommandMode => "command",
            Action::Help => "help",
            Action::Refresh => "refresh",
            Action::Quit => "quit",
            Action::ForceQuit => "quit anywhere",
            Action::Describe => "describe",
            Action::TaskDefinition => "task def",
            Action::ToggleStopped => "running/stopped",
            Action::Scale => "scale",
            Action::Redeploy => "redeploy",
            Action::Rollback => "roll back",
            Action::StopTask => "stop task",
            Action::Exec => "shell",
            Action::PortForward => "port forward",
            Action::StopForward => "stop forward",
            Action::Mark => "mark",
            Action::Instances => "instances",
            Action::Capacity => "capacity",
            Action::Drain => "drain",
            Action::Undrain => "undrain",
            Action::ScalingRange => "auto scaling min/max",
            Action::ToggleScaleIn => "suspend/resume scale-in",
            Action::ToggleScaleOut => "suspend/resume scale-out",
            Action::WidenRange => "widen range",
            Action::Logs => "logs",
            Action::Wrap => "wrap",
            Action::Timestamps => "timestamps",
            Action::Search => "search",
            Action::NextMatch => "next match",
            Action::PrevMatch => "previous match",
            Action::FilterMode => "only matches",
            Action::ExpandJson => "expand JSON",
            Action::SaveLogs => "save",
            Action::ClearLogs => "clear",
            Action::Window(0) => "window: tail",
            Action::Window(1) => "window: 1m",
            Action::Window(2) => "window: 5m",
            Action::Window(3) => "window: 15m",
            Action::Window(4) => "window: 30m",
            Action::Window(5) => "window: 1h",
            Action::Window(_) => "window: 3h",
            Action::Metrics => "metrics",
            Action::Events => "events",
            Action::CycleRange => "1h/6h/24h",
            Action::OpenConsole => "console",
            Action::Copy => "copy",
            Action::SortNext => "sort next",
            Action::SortPrev => "sort previous",
            Action::SortReverse => "reverse sort",
            Action::Confirm => "confirm",
            Action::Cancel => "cancel",
            Action::Submit => "continue",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Movement keys are obvious and would crowd the footer; sorting is in the help.
    pub fn in_footer(self) -> bool {
        !matches!(
            self,
            Action::Up
                | Action::Down
                | Action::Top
                | Action::Bottom
                | Action::PageUp
                | Action::PageDown
                | Action::ForceQuit
                | Action::Window(_)
                | Action::NextMatch
                | Action::PrevMatch
                | Action::SortNext
                | Action::SortPrev
                | Action::SortReverse
        )
    }
}

impl Action {
    /// True for actions that change the fleet or reach into it (a shell in a container):
    /// refused in read-only sessions, and neither the footer nor the help offers them there.
    pub fn is_mutating(self) -> bool {
        matches!(
            self,
            Action::Scale
                | Action::Redeploy
                | Action::Rollback
                | Action::StopTask
                | Action::Exec
                | Action::PortForward
                | Action::Drain
                | Action::Undrain
                | Action::ScalingRange
                | Action::ToggleScaleIn
                | Action::ToggleScaleOut
                | Action::WidenRange
        )
    }
}
