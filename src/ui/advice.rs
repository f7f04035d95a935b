//! Errors in words: one plain sentence per error, naming the AWS service, the IAM action, the
//! HTTP status when there was one, and what to do from inside a running ecsdeck. The only
//! place errors become words; they travel typed (`BackendError`) up to here.

use crate::domain::{BackendError, ErrorKind};

/// One plain sentence for the user: what failed and what to do about it.
pub fn advice(error: &BackendError, profile: Option<&str>) -> String {
    let op = error.operation;
    let service = error.service().name();
    let status = error
        .status
        .map(|s| format!("HTTP {s}: "))
        .unwrap_or_default();
    let message = &error.message;
    match error.kind {
        // ECS Exec encrypts the session with the cluster's KMS key, if it has one: a denial
        // there is about the key, not about ecs:ExecuteCommand.
        ErrorKind::AccessDenied if message.to_ascii_lowercase().contains("kms") => format!(
            "Access denied by KMS for {op}: the cluster's ECS Exec KMS key does not let you use it (kms:GenerateDataKey, kms:Decrypt){}; ask for access to the key or switch profile. AWS said: {message}",
            profile
                .map(|p| format!(" for profile {p}"))
                .unwrap_or_default()
        ),
        ErrorKind::AccessDenied => format!(
            "Access denied for {op}: the {} permission is missing{}; ask for it or switch profile.",
            error.iam_action(),
            profile
                .map(|p| format!(" for profile {p}"))
                .unwrap_or_default()
        ),
        ErrorKind::Throttled => format!(
            "AWS is throttling {op} ({service}): ecsdeck polls it no faster than usual and keeps the last data until it answers."
        ),
        ErrorKind::Credentials => format!(
            "No valid AWS credentials ({message}): run `aws sso login{}` or update ~/.aws/credentials, then press ctrl-r (keys exported in this shell need a restart of ecsdeck).",
            profile
                .map(|p| format!(" --profile {p}"))
                .unwrap_or_default()
        ),
        ErrorKind::Unreachable => format!(
            "Cannot reach the {service} endpoint ({message}): check the network, the region and --endpoint-url; retrying."
        ),
        ErrorKind::NotFound => format!("{message}: check the name with :clusters."),
        ErrorKind::InvalidRequest => format!("{op} was refused as invalid: {status}{message}"),
        ErrorKind::Malformed => format!(
            "{service} answered {op} with something that is not an AWS response ({status}{message}); retrying."
        ),
        ErrorKind::ServerError => {
            format!("{service} failed on its side for {op} ({status}{message}); retrying.")
        }
        ErrorKind::Other => format!("{op} failed: {status}{message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_advice_names_the_profile_and_works_from_a_running_process() {
        let e = BackendError::new(ErrorKind::Credentials, "ListClusters", "token expired");
        let with = advice(&e, Some("prod"));
        assert!(with.contains("aws sso login --profile prod"), "{with}");
        assert!(with.contains("ctrl-r"), "{with}");
        assert!(!with.contains("export fresh keys"), "{with}");
        assert!(advice(&e, None).contains("aws sso login`"));
    }

    #[test]
    fn the_right_service_and_permission_are_named() {
        let e = BackendError::new(ErrorKind::AccessDenied, "GetMetricData", "not authorized");
        let text = advice(&e, Some("prod"));
        assert!(text.contains("cloudwatch:GetMetricData"), "{text}");
        assert!(!text.contains("ecs:GetMetricData"), "{text}");
        let e = BackendError::new(ErrorKind::AccessDenied, "FilterLogEvents", "no");
        assert!(advice(&e, None).contains("logs:FilterLogEvents"));
        let e = BackendError::new(ErrorKind::AccessDenied, "DescribeServices", "no");
        assert!(advice(&e, None).contains("ecs:DescribeServices"));
        let e = BackendError::new(ErrorKind::Unreachable, "DescribeAlarms", "timed out");
        let text = advice(&e, None);
        assert!(text.contains("CloudWatch endpoint"), "{text}");
        assert!(!text.contains("ECS"), "{text}");
    }

    #[test]
    fn exec_denials_name_ecs_execute_command_or_the_kms_key() {
        let e = BackendError::new(ErrorKind::AccessDenied, "ExecuteCommand", "not authorized");
        assert!(advice(&e, None).contains("ecs:ExecuteCommand"));
        let e = BackendError::new(
            ErrorKind::AccessDenied,
            "ExecuteCommand",
            "User is not authorized to perform kms:GenerateDataKey on the key",
        );
        let text = advice(&e, Some("prod"));
        assert!(text.contains("KMS key"), "{text}");
        assert!(text.contains("for profile prod"), "{text}");
    }

    #[test]
    fn the_http_status_is_shown_when_there_is_one() {
        let e = BackendError::new(ErrorKind::Malformed, "DescribeServices", "an HTML page")
            .with_status(502);
        let text = advice(&e, None);
        assert!(text.contains("HTTP 502"), "{text}");
        let e = BackendError::new(ErrorKind::ServerError, "ListTasks", "internal error")
            .with_status(500);
        assert!(advice(&e, None).contains("HTTP 500"));
    }

    #[test]
    fn throttling_is_named_as_throttling() {
        let e = BackendError::new(ErrorKind::Throttled, "DescribeServices", "Rate exceeded");
        let text = advice(&e, None);
        assert!(
            text.starts_with("AWS is throttling DescribeServices"),
            "{text}"
        );
        assert!(!text.to_lowercase().contains("network"), "{text}");
    }
}
