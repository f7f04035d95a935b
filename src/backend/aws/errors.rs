//! SDK errors → [`BackendError`]: a coarse kind the UI turns into advice, and one short line.

use aws_sdk_ecs::config::http::HttpResponse;
use aws_sdk_ecs::error::{ProvideErrorMetadata, SdkError};

use crate::backend::{BackendError, ErrorKind};

/// The longest message kept: the UI shows errors on one line.
const MAX_MESSAGE: usize = 160;

/// What a call was about, to make messages specific ("Cluster not found: prod").
#[derive(Debug, Clone, Copy, Default)]
pub struct CallContext<'a> {
    /// The cluster argument of the call, if it had one.
    pub cluster: Option<&'a str>,
    /// The endpoint the client talks to, for "cannot reach" messages.
    pub endpoint: &'a str,
}

/// Classifies any ECS operation's error.
pub fn classify<E>(
    operation: &'static str,
    err: &SdkError<E, HttpResponse>,
    ctx: CallContext<'_>,
) -> BackendError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(service) => {
            let status = service.raw().status().as_u16();
            classify_service(
                operation,
                service.err().code(),
                service.err().message(),
                status,
                ctx,
            )
        }
        SdkError::TimeoutError(_) => BackendError::new(
            ErrorKind::Unreachable,
            operation,
            format!("timed out talking to {}", ctx.endpoint),
        ),
        SdkError::DispatchFailure(dispatch) => {
            let chain = chain(err);
            if looks_like_credentials(&chain) {
                BackendError::new(
                    ErrorKind::Credentials,
                    operation,
                    credentials_message(&chain),
                )
            } else if dispatch.is_timeout() {
                BackendError::new(
                    ErrorKind::Unreachable,
                    operation,
                    short(&format!("timed out connecting to {}", ctx.endpoint)),
                )
            } else {
                BackendError::new(
                    ErrorKind::Unreachable,
                    operation,
                    short(&format!("{}: {}", ctx.endpoint, strip_prefixes(&chain))),
                )
            }
        }
        // An answer that could not be read as the operation's response or error: a garbage
        // body, a proxy's HTML page.
        SdkError::ResponseError(response) => {
            let status = response.raw().status().as_u16();
            let chain = chain(err);
            let error = if status >= 500 {
                BackendError::new(
                    ErrorKind::ServerError,
                    operation,
                    short(strip_prefixes(&chain)),
                )
            } else {
                BackendError::new(
                    ErrorKind::Malformed,
                    operation,
                    short(strip_prefixes(&chain)),
                )
            };
            error.with_status(status)
        }
        _ => {
            let chain = chain(err);
            if looks_like_credentials(&chain) {
                BackendError::new(
                    ErrorKind::Credentials,
                    operation,
                    credentials_message(&chain),
                )
            } else {
                BackendError::new(ErrorKind::Other, operation, short(strip_prefixes(&chain)))
            }
        }
    }
}

/// Classifies an error AWS answered with, from its code, message and HTTP status.
pub fn classify_service(
    operation: &'static str,
    code: Option<&str>,
    message: Option<&str>,
    status: u16,
    ctx: CallContext<'_>,
) -> BackendError {
    let code = code.unwrap_or_default();
    let message = message.unwrap_or_default();
    let lower = message.to_ascii_lowercase();
    let said = |fallback: &str| {
        let text = if message.is_empty() {
            fallback.to_string()
        } else {
            message.to_string()
        };
        short(&text)
    };
    let (kind, text) = match code {
        "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation" => {
            (ErrorKind::AccessDenied, said(code))
        }
        "ClientException" if lower.contains("not authorized") => {
            (ErrorKind::AccessDenied, said(code))
        }
        "ThrottlingException"
        | "Throttling"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "LimitExceededException" => (ErrorKind::Throttled, said("Rate exceeded")),
        _ if status == 429 || lower.contains("rate exceeded") => {
            (ErrorKind::Throttled, said("Rate exceeded"))
        }
        "ExpiredToken"
        | "ExpiredTokenException"
        | "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "InvalidSignatureException"
        | "MissingAuthenticationToken" => (ErrorKind::Credentials, said(code)),
        _ if lower.contains("security token included in the request is") => {
            (ErrorKind::Credentials, said(code))
        }
        "ClusterNotFoundException" => {
            let text = match ctx.cluster {
                Some(cluster) => format!("Cluster not found: {cluster}"),
                None => "Cluster not found".to_string(),
            };
            (ErrorKind::NotFound, short(&text))
        }
        "ServiceNotFoundException" => (ErrorKind::NotFound, said("Service not found")),
        // Elastic Load Balancing: a target group or load balancer deleted under a service.
        "TargetGroupNotFound"
        | "LoadBalancerNotFound"
        | "ListenerNotFound"
        | "ImageNotFoundException"
        | "RepositoryNotFoundException" => (ErrorKind::NotFound, said(code)),
        // CloudWatch Logs: an unknown log group or stream.
        "ResourceNotFoundException" => (
            ErrorKind::NotFound,
            said("The specified resource does not exist."),
        ),
        "InvalidParameterException" | "ClientException" | "ValidationException" => {
            (ErrorKind::InvalidRequest, said(code))
        }
        // No AWS error code: not an AWS error document (a load balancer's 502 page, say).
        "" if status >= 500 => (ErrorKind::ServerError, said("no AWS error in the answer")),
        "" => (ErrorKind::Malformed, said("no AWS error in the answer")),
        _ if status >= 500 && message.is_empty() => (ErrorKind::ServerError, short(code)),
        _ if status >= 500 => (ErrorKind::ServerError, short(&format!("{code}: {message}"))),
        _ if message.is_empty() => (ErrorKind::Other, short(code)),
        _ => (ErrorKind::Other, short(&format!("{code}: {message}"))),
    };
    BackendError::new(kind, operation, text).with_status(status)
}

/// The whole source chain on one line (the SDK's top-level Display is just "dispatch
/// failure"). Not `DisplayErrorContext`: it appends the full `Debug` dump, far too long for
/// a status line.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        // Wrappers often repeat their cause's text; keep each piece once.
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

/// The SDK's wrapper words ("dispatch failure: other: ...") say nothing to a user.
fn strip_prefixes(chain: &str) -> &str {
    let mut rest = chain.trim();
    loop {
        let before = rest;
        for prefix in ["dispatch failure:", "other:", "io error:", "io:"] {
            if let Some(tail) = rest.strip_prefix(prefix) {
                rest = tail.trim_start();
            }
        }
        if rest == before {
            return rest;
        }
    }
}

fn credentials_message(chain: &str) -> String {
    let lower = chain.to_ascii_lowercase();
    if lower.contains("no credentials found") || lower.contains("no providers in chain") {
        return "no credentials found in the environment, profile, SSO cache or instance role"
            .to_string();
    }
    short(strip_prefixes(chain))
}

fn looks_like_credentials(chain: &str) -> bool {
    let lower = chain.to_ascii_lowercase();
    // "sso" only as a word: "association" or "processor" say nothing about credentials.
    let sso_word = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word == "sso");
    sso_word
        || [
            "credential",
            "expiredtoken",
            "token is expired",
            "token has expired",
            "failed to resolve identity",
        ]
        .iter()
        .any(|marker| lower.contains(marker))
}

/// One line, at most [`MAX_MESSAGE`] characters, cut on a character boundary.
fn short(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= MAX_MESSAGE {
        return line;
    }
    let cut: String = line.chars().take(MAX_MESSAGE - 1).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod credential_words {
    use super::looks_like_credentials;

    #[test]
    fn sso_is_matched_as_a_word_only() {
        assert!(looks_like_credentials("the SSO session has expired"));
        assert!(looks_like_credentials("failed to load sso token"));
        assert!(!looks_like_credentials("task association failed"));
        assert!(!looks_like_credentials("processor pool exhausted: lasso"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecs::error::{ConnectorError, ErrorMetadata};
    use aws_sdk_ecs::operation::list_services::ListServicesError;
    use aws_sdk_ecs::types::error::ClusterNotFoundException;
    use aws_smithy_types::body::SdkBody;

    const CTX: CallContext<'static> = CallContext {
        cluster: Some("prod"),
        endpoint: "http://127.0.0.1:5000",
    };

    fn response(status: u16) -> HttpResponse {
        HttpResponse::new(status.try_into().unwrap(), SdkBody::empty())
    }

    fn service_error(code: &str, message: &str, status: u16) -> BackendError {
        let err = ListServicesError::generic(
            ErrorMetadata::builder().code(code).message(message).build(),
        );
        classify(
            "ListServices",
            &SdkError::service_error(err, response(status)),
            CTX,
        )
    }

    #[test]
    fn service_codes_map_to_kinds() {
        let cases = [
            (
                "AccessDeniedException",
                "User is not authorized",
                ErrorKind::AccessDenied,
            ),
            (
                "ClientException",
                "User: x is not authorized to perform",
                ErrorKind::AccessDenied,
            ),
            ("ThrottlingException", "Rate exceeded", ErrorKind::Throttled),
            ("SomethingElse", "Rate exceeded", ErrorKind::Throttled),
            (
                "ExpiredTokenException",
                "The security token included in the request is expired",
                ErrorKind::Credentials,
            ),
            (
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
                ErrorKind::Credentials,
            ),
            ("InvalidClientTokenId", "bad", ErrorKind::Credentials),
            (
                "ServiceNotFoundException",
                "Service not found.",
                ErrorKind::NotFound,
            ),
            (
                "InvalidParameterException",
                "services cannot be more than 10",
                ErrorKind::InvalidRequest,
            ),
            ("ClientException", "bad input", ErrorKind::InvalidRequest),
            ("ServerException", "boom", ErrorKind::Other),
            (
                "ResourceNotFoundException",
                "The specified log group does not exist.",
                ErrorKind::NotFound,
            ),
            (
                "LimitExceededException",
                "Too many live tail sessions",
                ErrorKind::Throttled,
            ),
        ];
        for (code, message, kind) in cases {
            assert_eq!(
                service_error(code, message, 400).kind,
                kind,
                "{code}: {message}"
            );
        }
        assert_eq!(service_error("", "", 429).kind, ErrorKind::Throttled);
        let other = service_error("ServerException", "boom", 500);
        assert_eq!(other.message, "ServerException: boom");
        assert_eq!(other.kind, ErrorKind::ServerError);
        assert_eq!(other.status, Some(500));
        // No AWS error code at all: a proxy's page, with its status kept.
        let page = service_error("", "", 502);
        assert_eq!(
            (page.kind, page.status),
            (ErrorKind::ServerError, Some(502))
        );
        let garbage = service_error("", "", 200);
        assert_eq!(garbage.kind, ErrorKind::Malformed);
    }

    #[test]
    fn cluster_not_found_names_the_cluster() {
        let err = ListServicesError::ClusterNotFoundException(
            ClusterNotFoundException::builder()
                .message("Cluster not found.")
                .meta(
                    ErrorMetadata::builder()
                        .code("ClusterNotFoundException")
                        .build(),
                )
                .build(),
        );
        let e = classify(
            "ListServices",
            &SdkError::service_error(err, response(400)),
            CTX,
        );
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(e.message, "Cluster not found: prod");
    }

    #[test]
    fn transport_failures_are_unreachable_with_the_endpoint() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
        let err: SdkError<ListServicesError, HttpResponse> =
            SdkError::dispatch_failure(ConnectorError::io(Box::new(io)));
        let e = classify("ListServices", &err, CTX);
        assert_eq!(e.kind, ErrorKind::Unreachable);
        assert!(e.message.contains("http://127.0.0.1:5000"), "{}", e.message);
        assert!(e.message.contains("Connection refused"), "{}", e.message);

        let err: SdkError<ListServicesError, HttpResponse> = SdkError::timeout_error("slow");
        assert_eq!(
            classify("ListServices", &err, CTX).kind,
            ErrorKind::Unreachable
        );
    }

    #[test]
    fn missing_credentials_are_not_reported_as_network_errors() {
        let cause = std::io::Error::other("no providers in chain provided credentials");
        let err: SdkError<ListServicesError, HttpResponse> =
            SdkError::dispatch_failure(ConnectorError::other(Box::new(cause), None));
        let e = classify("ListServices", &err, CTX);
        assert_eq!(e.kind, ErrorKind::Credentials);
        assert!(e.message.chars().count() <= MAX_MESSAGE);
    }

    #[test]
    fn long_messages_are_cut_to_one_line() {
        let long = "word ".repeat(100);
        let s = short(&long);
        assert!(s.chars().count() <= MAX_MESSAGE);
        assert!(!s.contains('\n'));
    }
}
