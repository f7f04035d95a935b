//! AWS Systems Manager sessions, one method per AWS call: port forwarding to a container
//! (StartSession with a port-forwarding document) and ending it (TerminateSession).

use std::collections::BTreeMap;

use async_trait::async_trait;

use super::{BackendError, ExecSession};

/// One StartSession call: the target, the Session Manager document and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartSession {
    /// `ecs:CLUSTER_TASKID_RUNTIMEID` for a container.
    pub target: String,
    /// `AWS-StartPortForwardingSession` or `AWS-StartPortForwardingSessionToRemoteHost`.
    pub document: String,
    /// Document parameters: `portNumber`, `localPortNumber`, `host`.
    pub parameters: BTreeMap<String, Vec<String>>,
}

impl StartSession {
    /// The session a port forward asks for: through its container, with its document.
    pub fn for_forward(plan: &crate::domain::session::ForwardPlan) -> StartSession {
        StartSession {
            target: plan.through.target(),
            document: plan.document().to_string(),
            parameters: plan.parameters().into_iter().collect(),
        }
    }

    /// The request as the plugin is given it (the AWS CLI passes its request parameters).
    pub fn as_json(&self) -> serde_json::Value {
        serde_json::json!({
            "Target": self.target,
            "DocumentName": self.document,
            "Parameters": self.parameters,
        })
    }
}

#[async_trait]
pub trait SsmBackend: Send + Sync {
    /// StartSession (never retried: each attempt opens a session).
    async fn start_session(&self, request: &StartSession) -> Result<ExecSession, BackendError>;

    /// TerminateSession: ends a session for good (its plugin may already be gone).
    async fn terminate_session(&self, session_id: &str) -> Result<(), BackendError>;
}
