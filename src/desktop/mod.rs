//! What ecsdeck hands to the desktop around it: a console page to the browser (`O`), text to
//! the clipboard (`c`). `update` asks for these as commands (`Command::OpenUrl`,
//! `Command::Copy`); the app runs them here, and how they went comes back as a [`Report`]
//! for the status line. Imports nothing of ours but the message types' needs.

pub mod clipboard;
pub mod opener;

/// How handing something to the desktop went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// The browser was asked to open `url` (the opener started and did not fail).
    Opened { what: String, url: String },
    /// There is no display to open a browser on (an SSH session, a console): nothing was
    /// started; the URL is shown and copied instead.
    NoDisplay { what: String, url: String },
    /// The opener could not start or failed; the URL is shown and copied instead.
    OpenFailed {
        what: String,
        url: String,
        error: String,
    },
    /// The clipboard sequence could not be written to the terminal.
    CopyFailed { what: String, error: String },
}
