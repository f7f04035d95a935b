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
