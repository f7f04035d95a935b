//! The SDK's Systems Manager sessions: StartSession and TerminateSession.

use async_trait::async_trait;

use super::AwsBackend;
use super::errors::classify;
use crate::backend::ssm::{SsmBackend, StartSession};
use crate::backend::{BackendError, ErrorKind, ExecSession};

#[async_trait]
impl SsmBackend for AwsBackend {
    async fn start_session(&self, request: &StartSession) -> Result<ExecSession, BackendError> {
        let no_retries = aws_sdk_ssm::config::Builder::default()
            .retry_config(aws_config::retry::RetryConfig::disabled());
        let out = self
            .ssm
            .start_session()
            .target(&request.target)
            .document_name(&request.document)
            .set_parameters(Some(request.parameters.clone().into_iter().collect()))
            .customize()
            .config_override(no_retries)
            .send()
            .await
            .map_err(|e| classify("StartSession", &e, self.ctx(None)))?;
        match (out.session_id(), out.stream_url(), out.token_value()) {
            (Some(id), Some(url), Some(token)) => Ok(ExecSession {
                session_id: id.to_string(),
                stream_url: url.to_string(),
                token_value: token.to_string(),
            }),
            _ => Err(BackendError::new(
                ErrorKind::Malformed,
                "StartSession",
                "the answer lacks the session id, stream URL or token",
            )),
        }
    }

    async fn terminate_session(&self, session_id: &str) -> Result<(), BackendError> {
        self.ssm
            .terminate_session()
            .session_id(session_id)
            .send()
            .await
            .map(drop)
            .map_err(|e| classify("TerminateSession", &e, self.ctx(None)))
    }
}
