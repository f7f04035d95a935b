//! Sessions into containers: the hand-off of an ECS Exec session to `session-manager-plugin`,
//! exactly as the AWS CLI's `aws ecs execute-command` makes it, and the demo's stand-in.
//!
//! The dashboard gives the terminal to the plugin (`app.rs` leaves the alternate screen and
//! raw mode around [`run_blocking`]) and takes it back when the shell ends.

pub mod forward;

use std::path::{Path, PathBuf};
use std::process::ExitStatus;

use crate::backend::ExecSession;
use crate::domain::session::ExecPlan;

/// The AWS Session Manager plugin's executable.
pub const PLUGIN: &str = "session-manager-plugin";

/// Where to get the plugin, for the sentence shown when it is missing.
pub const INSTALL_HINT: &str = "session-manager-plugin is not on PATH: install it (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html), then press the key again.";

/// The plugin on PATH, if any.
pub fn find_plugin() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(PLUGIN))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Where the connection's API for `service` (`ecs`, `ssm`) is: the custom endpoint, or
/// AWS's regional one. The plugin is given the endpoint the session call went to.
pub fn endpoint(service: &str, region: &str, custom: Option<&str>) -> String {
    match custom {
        Some(url) => url.to_string(),
        None if region.starts_with("cn-") => format!("https://{service}.{region}.amazonaws.com.cn"),
        None => format!("https://{service}.{region}.amazonaws.com"),
    }
}

/// The plugin's arguments, as the AWS CLI passes them: the session as JSON, the region,
/// `StartSession`, the profile (empty when none), the request parameters as JSON (the
/// target) and the endpoint.
pub fn plugin_args(
    session: &ExecSession,
    plan: &ExecPlan,
    region: &str,
    profile: Option<&str>,
    endpoint: &str,
) -> Vec<String> {
    let session_json = serde_json::json!({
        "sessionId": session.session_id,
        "streamUrl": session.stream_url,
        "tokenValue": session.token_value,
    });
    let parameters = serde_json::json!({ "Target": plan.target() });
    vec![
        session_json.to_string(),
        region.to_string(),
        "StartSession".to_string(),
        profile.unwrap_or_default().to_string(),
        parameters.to_string(),
        endpoint.to_string(),
    ]
}

/// A forward's plugin arguments, as `aws ssm start-session` passes them: StartSession's
/// answer as JSON, the region, `StartSession`, the profile, the request as JSON, the
/// endpoint.
pub fn forward_args(
    session: &ExecSession,
    request: &crate::backend::ssm::StartSession,
    region: &str,
    profile: Option<&str>,
    endpoint: &str,
) -> Vec<String> {
    let answer = serde_json::json!({
        "SessionId": session.session_id,
        "StreamUrl": session.stream_url,
        "TokenValue": session.token_value,
    });
    vec![
        answer.to_string(),
        region.to_string(),
        "StartSession".to_string(),
        profile.unwrap_or_default().to_string(),
        request.as_json().to_string(),
        endpoint.to_string(),
    ]
}

/// What runs in the terminal while the dashboard is away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Foreground {
    /// `session-manager-plugin` with its arguments.
    Plugin { program: PathBuf, args: Vec<String> },
    /// The demo's stand-in: a local shell, clearly labelled, in place of the container.
    DemoShell { banner: String },
}

impl Foreground {
    /// The demo's stand-in for a shell in `plan`'s container.
    pub fn demo(plan: &ExecPlan) -> Foreground {
        Foreground::DemoShell {
            banner: format!(
                "ecsdeck demo: this is a LOCAL shell standing in for {} ({}). Nothing here runs in AWS. Type exit to go back to the dashboard.",
                plan.label(),
                plan.command
            ),
        }
    }
}

/// Runs the foreground program with the terminal's stdin, stdout and stderr, and waits.
pub fn run_blocking(foreground: &Foreground) -> std::io::Result<ExitStatus> {
    match foreground {
        Foreground::Plugin { program, args } => {
            std::process::Command::new(program).args(args).status()
        }
        Foreground::DemoShell { banner } => std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg("printf '%s\\n\\n' \"$ECSDECK_BANNER\"; exec /bin/sh -i")
            .env("ECSDECK_BANNER", banner)
            .env("PS1", "demo-container$ ")
            .status(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plugin_gets_what_the_aws_cli_gives_it() {
        let session = ExecSession {
            session_id: "ecs-execute-command-0123".into(),
            stream_url: "wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/x".into(),
            token_value: "TOKEN".into(),
        };
        let plan = ExecPlan {
            cluster: "prod".into(),
            task_arn: "arn:aws:ecs:eu-west-1:1:task/prod/abc".into(),
            service: None,
            container: "app".into(),
            runtime_id: "abc-1".into(),
            command: "/bin/sh".into(),
        };
        let args = plugin_args(
            &session,
            &plan,
            "eu-west-1",
            Some("prod-admin"),
            &endpoint("ecs", "eu-west-1", None),
        );
        assert_eq!(args.len(), 6);
        let sent: serde_json::Value = serde_json::from_str(&args[0]).unwrap_or_default();
        assert_eq!(sent["sessionId"], "ecs-execute-command-0123");
        assert_eq!(sent["tokenValue"], "TOKEN");
        assert_eq!(&args[1..4], ["eu-west-1", "StartSession", "prod-admin"]);
        assert_eq!(args[4], r#"{"Target":"ecs:prod_abc_abc-1"}"#);
        assert_eq!(args[5], "https://ecs.eu-west-1.amazonaws.com");
        let no_profile = plugin_args(&session, &plan, "eu-west-1", None, "http://127.0.0.1:5000");
        assert_eq!(no_profile[3], "", "the CLI passes an empty profile");
        assert_eq!(no_profile[5], "http://127.0.0.1:5000");
        assert_eq!(
            endpoint("ecs", "cn-north-1", None),
            "https://ecs.cn-north-1.amazonaws.com.cn"
        );
    }
}
