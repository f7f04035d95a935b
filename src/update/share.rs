//! `O` and `c`: handing the selected resource to what is outside the terminal — its page in
//! the AWS console to the browser, its ARN (or the JSON on screen) to the clipboard. Neither
//! changes anything in AWS, so read-only allows both. The side effects are commands the app
//! runs (`desktop`); how they went comes back as `Msg::Desktop`, for the status line.

use crate::desktop::Report;
use crate::desktop::clipboard::LARGE;
use crate::msg::Command;
use crate::state::{StatusLevel, UiState};
use crate::store::Store;
use crate::views::describe::{DescribeTarget, lines};
use crate::views::{Selection, Subject, ViewKind};

/// `O`: the selected resource's page in the AWS console, in the connection's region.
pub fn open_console(store: &Store, ui: &mut UiState) -> Vec<Command> {
    let Some(subject) = selected(store, ui) else {
        ui.set_status(
            StatusLevel::Info,
            "Nothing selected to open in the AWS console.",
        );
        return Vec::new();
    };
    let Some(page) = subject.page else {
        ui.set_status(
            StatusLevel::Info,
            format!("A {} has no page in the AWS console.", subject.kind),
        );
        return Vec::new();
    };
    let what = page.describe();
    ui.set_status(
        StatusLevel::Info,
        format!("Opening {what} in the AWS console…"),
    );
    vec![Command::OpenUrl {
        url: page.url(&ui.settings.connection.region),
        what,
    }]
}

/// `c`: the selected row's ARN (else its name); in the describe view, the JSON shown.
pub fn copy(store: &Store, ui: &mut UiState) -> Vec<Command> {
    if let ViewKind::Describe(describe) = &ui.top().kind {
        let target = describe.target.clone();
        return copy_json(store, ui, &target);
    }
    let Some(subject) = selected(store, ui) else {
        ui.set_status(StatusLevel::Info, "Nothing selected to copy.");
        return Vec::new();
    };
    let clip = subject.clip();
    clipboard(ui, clip.text, clip.what)
}

/// How opening or copying went: a status line, and without a browser the URL on the
/// clipboard instead (it is on the status line too, for terminals that ignore OSC 52).
pub fn on_report(ui: &mut UiState, report: Report) -> Vec<Command> {
    match report {
        Report::Opened { what, .. } => {
            let caveat = caveat(ui);
            ui.set_status(
                StatusLevel::Info,
                format!("Opened {what} in the AWS console{caveat}."),
            );
            Vec::new()
        }
        Report::NoDisplay { what, url } => {
            ui.set_status(
                StatusLevel::Info,
                format!("No display to open a browser on; copied the console URL: {url}"),
            );
            copy_url(url, &what)
        }
        Report::OpenFailed { what, url, error } => {
            ui.set_status(
                StatusLevel::Warning,
                format!("Could not open a browser ({error}); copied the console URL: {url}"),
            );
            copy_url(url, &what)
        }
        Report::CopyFailed { what, error } => {
            ui.set_status(
                StatusLevel::Error,
                format!("Could not copy {what}: {error}"),
            );
            Vec::new()
        }
    }
}

fn copy_url(url: String, what: &str) -> Vec<Command> {
    vec![Command::Copy {
        text: url,
        what: format!("the console URL of {what}"),
    }]
}

/// The lines the describe view shows, as they are shown (sanitised), one per line.
fn copy_json(store: &Store, ui: &mut UiState, target: &DescribeTarget) -> Vec<Command> {
    let Some(lines) = lines(store, target) else {
        ui.set_status(
            StatusLevel::Info,
            "Nothing to copy yet: the resource is not loaded.",
        );
        return Vec::new();
    };
    let what = format!("{} lines of JSON", lines.len());
    clipboard(ui, lines.join("\n"), what)
}

/// Asks the app to copy, and says so — with a warning when the text is large enough for
/// tmux or the terminal to drop it (nothing tells ecsdeck whether they did).
fn clipboard(ui: &mut UiState, text: String, what: String) -> Vec<Command> {
    let sequence = 4 * text.len().div_ceil(3) + 8;
    if sequence > LARGE {
        ui.set_status(
            StatusLevel::Warning,
            format!(
                "Copied {what} ({} KB): tmux and some terminals drop clipboard writes over \
                 about {} KB.",
                sequence / 1000,
                LARGE / 1000
            ),
        );
    } else {
        ui.set_status(StatusLevel::Info, format!("Copied {what}."));
    }
    vec![Command::Copy { text, what }]
}

/// What the selected row (or the view) is about, as its view kind says.
fn selected(store: &Store, ui: &UiState) -> Option<Subject> {
    let key = ui.selected_key(store);
    let on = Selection {
        view: ui.top(),
        key: key.as_deref(),
        store,
    };
    ui.top().kind.spec().subject(&on)
}

/// The console shows AWS: what the demo fleet or an emulator holds is not there.
fn caveat(ui: &UiState) -> &'static str {
    let connection = &ui.settings.connection;
    if connection.demo {
        " (the demo fleet is not in AWS: the page will not find it)"
    } else if connection.endpoint.is_some() {
        " (the endpoint is not AWS: the page shows AWS's own resources)"
    } else {
        ""
    }
}
