//! ECS Exec: what a shell in a container needs, and the checks that say what to do before
//! anything is sent. The hand-off to `session-manager-plugin` is `crate::session`.

use super::ecs::{Container, Task, arn_tail};

/// A shell to open: the container, and the command run in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecPlan {
    pub cluster: String,
    pub task_arn: String,
    /// The service that started the task, for the advice on enabling ECS Exec.
    pub service: Option<String>,
    pub container: String,
    /// The container runtime id; DescribeTasks reports it once the container runs.
    pub runtime_id: String,
    pub command: String,
}

impl ExecPlan {
    /// Session Manager's target for the container: `ecs:CLUSTER_TASKID_RUNTIMEID`, with the
    /// cluster's name (as the AWS CLI builds it).
    pub fn target(&self) -> String {
        format!(
            "ecs:{}_{}_{}",
            arn_tail(&self.cluster),
            arn_tail(&self.task_arn),
            self.runtime_id
        )
    }

    /// `task 0f3a9c1b / app`: for the status line and the journal.
    pub fn label(&self) -> String {
        let id: String = arn_tail(&self.task_arn).chars().take(8).collect();
        format!("task {id} / {}", self.container)
    }
}

/// Why a shell cannot open in this container, as a sentence that says what to do; None when
/// it can.
pub fn precheck(cluster: &str, task: &Task, container: &Container) -> Option<String> {
    let id: String = task.short_id().chars().take(8).collect();
    if !task.enable_execute_command {
        let fix = match task.service_name() {
            Some(service) => format!(
                "aws ecs update-service --cluster {} --service {service} --enable-execute-command --force-new-deployment",
                arn_tail(cluster)
            ),
            None => "run it again with --enable-execute-command".to_string(),
        };
        return Some(format!(
            "Task {id} was not started with ECS Exec enabled. Turn it on with `{fix}`; running tasks keep the old setting until they are replaced."
        ));
    }
    if task.last_status != "RUNNING" {
        return Some(format!(
            "Task {id} is {}: a shell opens only in a RUNNING task.",
            task.last_status
        ));
    }
    match container.exec_agent.as_deref() {
        Some("RUNNING") => {}
        Some(status) => {
            return Some(format!(
                "The ECS Exec agent of container {} is {status}, not RUNNING: wait for it, or check that the task role allows ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel.",
                container.name
            ));
        }
        None => {
            return Some(format!(
                "Container {} reports no ECS Exec agent: it is not running, or the task role lacks the ssmmessages permissions ECS Exec needs.",
                container.name
            ));
        }
    }
    if container.runtime_id.is_none() {
        return Some(format!(
            "Container {} has no runtime id yet: it has not started.",
            container.name
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(exec: bool, status: &str, agent: Option<&str>) -> (Task, Container) {
        let container = Container {
            name: "app".into(),
            runtime_id: Some("0f3a9c1b-1234".into()),
            exec_agent: agent.map(str::to_string),
            ..Container::default()
        };
        let task = Task {
            task_arn: "arn:aws:ecs:eu-west-1:1:task/prod/0f3a9c1b2d4e5f60718293a4b5c6d7e8".into(),
            group: Some("service:checkout-api".into()),
            last_status: status.into(),
            enable_execute_command: exec,
            containers: vec![container.clone()],
            ..Task::default()
        };
        (task, container)
    }

    #[test]
    fn a_task_without_exec_gets_the_exact_command_for_its_service() {
        let (t, c) = task(false, "RUNNING", Some("RUNNING"));
        let text = precheck("arn:aws:ecs:eu-west-1:1:cluster/prod", &t, &c).unwrap_or_default();
        assert!(
            text.contains(
                "aws ecs update-service --cluster prod --service checkout-api --enable-execute-command --force-new-deployment"
            ),
            "{text}"
        );
        assert!(text.contains("replaced"), "{text}");
    }

    #[test]
    fn the_agent_must_be_running() {
        let (t, c) = task(true, "RUNNING", Some("PENDING"));
        let text = precheck("prod", &t, &c).unwrap_or_default();
        assert!(text.contains("agent of container app is PENDING"), "{text}");
        let (t, c) = task(true, "RUNNING", None);
        assert!(precheck("prod", &t, &c).is_some());
        let (t, c) = task(true, "PENDING", Some("RUNNING"));
        assert!(
            precheck("prod", &t, &c)
                .unwrap_or_default()
                .contains("PENDING")
        );
        let (t, c) = task(true, "RUNNING", Some("RUNNING"));
        assert_eq!(precheck("prod", &t, &c), None);
    }

    #[test]
    fn the_target_names_cluster_task_and_runtime_id() {
        let plan = ExecPlan {
            cluster: "arn:aws:ecs:eu-west-1:1:cluster/prod".into(),
            task_arn: "arn:aws:ecs:eu-west-1:1:task/prod/abc123".into(),
            service: None,
            container: "app".into(),
            runtime_id: "abc123-456".into(),
            command: "/bin/sh".into(),
        };
        assert_eq!(plan.target(), "ecs:prod_abc123_abc123-456");
        assert_eq!(plan.label(), "task abc123 / app");
    }
}

/// Port forwarding through a task: localhost's `local_port` to the container's
/// `remote_port`, or to `remote_host:remote_port` as the task reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardPlan {
    /// The container the session runs through (its target, its label).
    pub through: ExecPlan,
    pub local_port: u16,
    pub remote_host: Option<String>,
    pub remote_port: u16,
}

impl ForwardPlan {
    /// Session Manager's document for this kind of forward.
    pub fn document(&self) -> &'static str {
        if self.remote_host.is_some() {
            "AWS-StartPortForwardingSessionToRemoteHost"
        } else {
            "AWS-StartPortForwardingSession"
        }
    }

    /// The document's parameters (each a list, as Session Manager takes them).
    pub fn parameters(&self) -> Vec<(String, Vec<String>)> {
        let mut out = vec![
            ("portNumber".to_string(), vec![self.remote_port.to_string()]),
            (
                "localPortNumber".to_string(),
                vec![self.local_port.to_string()],
            ),
        ];
        if let Some(host) = &self.remote_host {
            out.push(("host".to_string(), vec![host.clone()]));
        }
        out
    }

    /// `localhost:15432 → db.internal:5432 via task 0f3a9c1b / app`.
    pub fn label(&self) -> String {
        let remote = match &self.remote_host {
            Some(host) => format!("{host}:{}", self.remote_port),
            None => format!("port {}", self.remote_port),
        };
        format!(
            "localhost:{} → {remote} via {}",
            self.local_port,
            self.through.label()
        )
    }
}

/// What the forward dialog accepts: `PORT` (the same port locally), `LOCAL:PORT`, or
/// `LOCAL:HOST:PORT` (a host the task can reach), as ssh -L and kubectl port-forward write it.
pub fn parse_forward(text: &str) -> Result<(u16, Option<String>, u16), String> {
    let port = |p: &str| -> Result<u16, String> {
        p.trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| format!("\"{}\" is not a port (1 to 65535).", p.trim()))
    };
    let parts: Vec<&str> = text.trim().split(':').collect();
    match parts.as_slice() {
        [remote] => port(remote).map(|p| (p, None, p)),
        [local, remote] => Ok((port(local)?, None, port(remote)?)),
        [local, host, remote] if !host.trim().is_empty() => {
            Ok((port(local)?, Some(host.trim().to_string()), port(remote)?))
        }
        _ => Err("Write PORT, LOCAL:PORT or LOCAL:HOST:PORT.".to_string()),
    }
}

#[cfg(test)]
mod forward_tests {
    use super::*;

    #[test]
    fn forwards_are_written_like_ssh_minus_l() {
        assert_eq!(parse_forward("8080"), Ok((8080, None, 8080)));
        assert_eq!(parse_forward(" 18080:8080 "), Ok((18080, None, 8080)));
        assert_eq!(
            parse_forward("15432:db.internal:5432"),
            Ok((15432, Some("db.internal".into()), 5432))
        );
        assert!(parse_forward("0").is_err());
        assert!(parse_forward("70000").is_err());
        assert!(parse_forward("a:b:c:d").is_err());
        assert!(parse_forward("1::2").is_err());
    }

    #[test]
    fn a_remote_host_picks_the_remote_host_document() {
        let through = ExecPlan {
            cluster: "prod".into(),
            task_arn: "arn:aws:ecs:eu-west-1:1:task/prod/abc".into(),
            service: None,
            container: "app".into(),
            runtime_id: "abc-1".into(),
            command: String::new(),
        };
        let mut plan = ForwardPlan {
            through,
            local_port: 15432,
            remote_host: Some("db.internal".into()),
            remote_port: 5432,
        };
        assert_eq!(
            plan.document(),
            "AWS-StartPortForwardingSessionToRemoteHost"
        );
        assert!(
            plan.parameters()
                .contains(&("host".into(), vec!["db.internal".into()]))
        );
        assert_eq!(
            plan.label(),
            "localhost:15432 → db.internal:5432 via task abc / app"
        );
        plan.remote_host = None;
        assert_eq!(plan.document(), "AWS-StartPortForwardingSession");
        assert_eq!(plan.parameters().len(), 2);
    }
}
