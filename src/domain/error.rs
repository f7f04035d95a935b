//! Backend errors, classified so the UI can say in one plain sentence what to do
//! (`ui::advice`) and the poller can pick a back-off. They stay typed until drawn.

use std::fmt;

/// What went wrong, coarsely: enough to pick advice for the user and a polling back-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The credentials lack permission for the call.
    AccessDenied,
    /// AWS throttled us even after the SDK's retries.
    Throttled,
    /// No credentials, or they expired (SSO session over, token expired).
    Credentials,
    /// The endpoint could not be reached (DNS, connect, timeout).
    Unreachable,
    /// The cluster, service or task does not exist.
    NotFound,
    /// The request was refused as invalid (a batching bug, or bad user input).
    InvalidRequest,
    /// Anything else.
    Other,
}

/// An error from one backend call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendError {
    pub kind: ErrorKind,
    /// The AWS operation, e.g. `DescribeServices`.
    pub operation: &'static str,
    /// What AWS (or the transport) said, already one line.
    pub message: String,
}

impl BackendError {
    pub fn new(kind: ErrorKind, operation: &'static str, message: impl Into<String>) -> Self {
        let message: String = message.into();
        // Messages from AWS are untrusted and may span lines; the UI shows one line.
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        BackendError {
            kind,
            operation,
            message,
        }
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.message)
    }
}

impl std::error::Error for BackendError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_flattened_to_one_line() {
        let e = BackendError::new(ErrorKind::Other, "ListTasks", "a\nb\r\n  c");
        assert_eq!(e.message, "a b c");
    }
}
