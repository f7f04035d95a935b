//! Backend errors, classified so the UI can say in one plain sentence what to do
//! (`ui::advice`) and the poller can pick a back-off. They stay typed until drawn.

use std::fmt;

/// What went wrong, coarsely: enough to pick advice for the user and a polling back-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The credentials lack permission for the call.
    AccessDenied,
    /// AWS throttled the call (ThrottlingException, Rate exceeded, HTTP 429).
    Throttled,
    /// No credentials, or they expired (SSO session over, token expired).
    Credentials,
    /// The endpoint could not be reached (DNS, connect, timeout).
    Unreachable,
    /// The cluster, service or task does not exist.
    NotFound,
    /// The request was refused as invalid (a batching bug, or bad user input).
    InvalidRequest,
    /// The response could not be read (a garbage body, an HTML error page).
    Malformed,
    /// AWS failed on its side (HTTP 5xx).
    ServerError,
    /// Anything else.
    Other,
}

/// The AWS service an operation belongs to: it names the endpoint and the IAM action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsService {
    Ecs,
    CloudWatch,
    Logs,
    AutoScaling,
    /// EC2 Auto Scaling (the groups behind capacity providers), not Application Auto Scaling.
    Ec2AutoScaling,
    LoadBalancing,
    Ssm,
}

impl AwsService {
    /// The service an ecsdeck backend operation calls.
    pub fn of(operation: &str) -> AwsService {
        match operation {
            "GetMetricData" | "DescribeAlarms" | "PutMetricData" => AwsService::CloudWatch,
            "FilterLogEvents" | "GetLogEvents" | "StartLiveTail" | "DescribeLogGroups"
            | "DescribeLogStreams" => AwsService::Logs,
            "DescribeScalableTargets"
            | "DescribeScalingPolicies"
            | "DescribeScheduledActions"
            | "DescribeScalingActivities"
            | "RegisterScalableTarget" => AwsService::AutoScaling,
            "DescribeAutoScalingGroups" => AwsService::Ec2AutoScaling,
            "DescribeTargetGroups"
            | "DescribeTargetHealth"
            | "DescribeLoadBalancers"
            | "DescribeListeners" => AwsService::LoadBalancing,
            "StartSession" | "TerminateSession" => AwsService::Ssm,
            _ => AwsService::Ecs,
        }
    }

    /// The prefix of its IAM actions: `ecs:DescribeServices`.
    pub fn iam_prefix(self) -> &'static str {
        match self {
            AwsService::Ecs => "ecs",
            AwsService::CloudWatch => "cloudwatch",
            AwsService::Logs => "logs",
            AwsService::AutoScaling => "application-autoscaling",
            AwsService::Ec2AutoScaling => "autoscaling",
            AwsService::LoadBalancing => "elasticloadbalancing",
            AwsService::Ssm => "ssm",
        }
    }

    /// How people call it.
    pub fn name(self) -> &'static str {
        match self {
            AwsService::Ecs => "ECS",
            AwsService::CloudWatch => "CloudWatch",
            AwsService::Logs => "CloudWatch Logs",
            AwsService::AutoScaling => "Application Auto Scaling",
            AwsService::Ec2AutoScaling => "EC2 Auto Scaling",
            AwsService::LoadBalancing => "Elastic Load Balancing",
            AwsService::Ssm => "Systems Manager",
        }
    }
}

/// An error from one backend call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendError {
    pub kind: ErrorKind,
    /// The AWS operation, e.g. `DescribeServices`.
    pub operation: &'static str,
    /// What AWS (or the transport) said, already one line.
    pub message: String,
    /// The HTTP status of the answer, when there was one.
    pub status: Option<u16>,
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
            status: None,
        }
    }

    /// The same error, with the HTTP status it came with.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// The AWS service the failed call belongs to.
    pub fn service(&self) -> AwsService {
        AwsService::of(self.operation)
    }

    /// The IAM action the call needs: `cloudwatch:GetMetricData`.
    pub fn iam_action(&self) -> String {
        format!("{}:{}", self.service().iam_prefix(), self.operation)
    }
}

/// Part of a list could not be fetched: what is shown is what could be read, and the view
/// says what is missing (a bad record never blanks a view).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    /// Records AWS returned that could not be read, skipped.
    pub skipped: usize,
    /// What the records are, for the sentence: "task", "service", "cluster".
    pub noun: &'static str,
    /// Why: the error of the skipped records, or of the page or batch that failed.
    pub error: BackendError,
    /// True when a page or batch failed, so there may be more than is shown.
    pub truncated: bool,
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
