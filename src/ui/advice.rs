//! Errors in words: one plain sentence per error, naming the operation, what to do and the
//! profile to do it with. Errors travel typed (`BackendError`) from the backend to here.

use crate::domain::{BackendError, ErrorKind};

/// One plain sentence for the user: what failed and what to do about it. The only place
/// errors become words, so the profile is named wherever an error is shown.
pub fn advice(error: &BackendError, profile: Option<&str>) -> String {
    let this = error;
    let profile_flag = profile
        .map(|p| format!(" --profile {p}"))
        .unwrap_or_default();
    match this.kind {
        ErrorKind::AccessDenied => format!(
            "Access denied for {}: ask for ecs:{} permission or switch profile.",
            this.operation, this.operation
        ),
        ErrorKind::Throttled => format!(
            "AWS is throttling {}: ecsdeck is backing off and will retry on its own.",
            this.operation
        ),
        ErrorKind::Credentials => format!(
            "No valid AWS credentials ({}): run `aws sso login{profile_flag}` or export fresh keys, then press ctrl-r.",
            this.message
        ),
        ErrorKind::Unreachable => format!(
            "Cannot reach the ECS endpoint ({}): check the network, --region and --endpoint-url; retrying.",
            this.message
        ),
        ErrorKind::NotFound => format!("{}: check the name with :clusters.", this.message),
        ErrorKind::InvalidRequest => {
            format!(
                "{} was refused as invalid: {}",
                this.operation, this.message
            )
        }
        ErrorKind::Other => format!("{} failed: {}", this.operation, this.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_advice_names_the_profile() {
        let e = BackendError::new(ErrorKind::Credentials, "ListClusters", "token expired");
        assert!(advice(&e, Some("prod")).contains("aws sso login --profile prod"));
        assert!(advice(&e, None).contains("aws sso login`"));
    }
}
