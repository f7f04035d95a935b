//! Backend errors, classified so the UI can say in one plain sentence what to do.

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

    /// One plain sentence for the user: what failed and what to do about it.
    pub fn advice(&self, profile: Option<&str>) -> String {
        let profile_flag = profile
            .map(|p| format!(" --profile {p}"))
            .unwrap_or_default();
        match self.kind {
            ErrorKind::AccessDenied => format!(
                "Access denied for {}: ask for ecs:{} permission or switch profile.",
                self.operation, self.operation
            ),
            ErrorKind::Throttled => format!(
                "AWS is throttling {}: ecsdeck is backing off and will retry on its own.",
                self.operation
            ),
            ErrorKind::Credentials => format!(
                "No valid AWS credentials ({}): run `aws sso login{profile_flag}` or export fresh keys, then press ctrl-r.",
                self.message
            ),
            ErrorKind::Unreachable => format!(
                "Cannot reach the ECS endpoint ({}): check the network, --region and --endpoint-url; retrying.",
                self.message
            ),
            ErrorKind::NotFound => format!("{}: check the name with :clusters.", self.message),
            ErrorKind::InvalidRequest => {
                format!(
                    "{} was refused as invalid: {}",
                    self.operation, self.message
                )
            }
            ErrorKind::Other => format!("{} failed: {}", self.operation, self.message),
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
    fn credentials_advice_names_the_profile() {
        let e = BackendError::new(ErrorKind::Credentials, "ListClusters", "token expired");
        assert!(
            e.advice(Some("prod"))
                .contains("aws sso login --profile prod")
        );
        assert!(e.advice(None).contains("aws sso login`"));
    }

    #[test]
    fn messages_are_flattened_to_one_line() {
        let e = BackendError::new(ErrorKind::Other, "ListTasks", "a\nb\r\n  c");
        assert_eq!(e.message, "a b c");
    }
}
