//! Container instances over the wire against moto: the hosts boto3 registered are what
//! ecsdeck lists and describes (versions, resources, attributes), `enter`'s ListTasks filter
//! finds the tasks placed on one, and a drain sent through the executor is what boto3 then
//! reports — as is the undrain after it.
//!
//! moto facts (5.2.5): RegisterContainerInstance needs a real moto EC2 instance (its
//! attributes come from it); remaining resources never go down as tasks are placed;
//! ListContainerInstances ignores `maxResults` (paging is tested on the demo).

use serde_json::Value;

use crate::support::{Moto, backend, moto};
use ecsdeck::backend::{DesiredStatus, EcsBackend, InstanceStatus, TaskFilter, fetch};
use ecsdeck::domain::ecs::InstanceRef;
use ecsdeck::domain::journal::ActionResult;
use ecsdeck::domain::mutation::Mutation;
use ecsdeck::executor::{self, ActionContext};

pub(crate) struct Hosts {
    /// (container instance ARN, EC2 instance id)
    pub(crate) instances: Vec<(String, String)>,
    /// (task ARN, container instance ARN)
    pub(crate) tasks: Vec<(String, String)>,
}

/// Registers `count` EC2-backed hosts in a new cluster (boto3), `tasks` placed on them.
pub(crate) fn hosts(moto: &Moto, cluster: &str, count: usize, tasks: usize) -> Hosts {
    let out = moto.fixture(&[
        "ec2-hosts",
        "--cluster",
        cluster,
        "--count",
        &count.to_string(),
        "--tasks",
        &tasks.to_string(),
    ]);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let pairs = |list: &Value, a: &str, b: &str| -> Vec<(String, String)> {
        list.as_array()
            .into_iter()
            .flatten()
            .map(|v| (text(&v[a]), text(&v[b])))
            .collect()
    };
    Hosts {
        instances: pairs(&out["instances"], "containerInstanceArn", "ec2InstanceId"),
        tasks: pairs(&out["tasks"], "taskArn", "containerInstanceArn"),
    }
}

/// Each instance's status as boto3 reads it, by container instance ARN.
pub(crate) fn statuses(moto: &Moto, cluster: &str) -> Vec<(String, String)> {
    let out = moto.fixture(&["describe-instances", "--cluster", cluster]);
    let mut found: Vec<(String, String)> = out
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            let text = |k: &str| i[k].as_str().unwrap_or_default().to_string();
            (text("containerInstanceArn"), text("status"))
        })
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn registered_hosts_are_listed_with_versions_resources_and_attributes() {
    let moto = moto();
    let fleet = hosts(moto, "hosts-read", 3, 2);
    let backend = backend(moto).await;

    let listed = fetch::container_instances_partial(&backend, "hosts-read")
        .await
        .expect("instances");
    assert!(listed.incomplete.is_none());
    assert_eq!(listed.items.len(), 3);
    for (arn, ec2) in &fleet.instances {
        let host = listed
            .items
            .iter()
            .find(|i| &i.container_instance_arn == arn)
            .unwrap_or_else(|| panic!("{arn} not listed"));
        assert_eq!(host.ec2_instance_id.as_deref(), Some(ec2.as_str()));
        assert_eq!(host.status, "ACTIVE");
        assert!(host.agent_connected);
        assert_eq!(host.agent_version.as_deref(), Some("1.0.0"));
        assert_eq!(host.docker_version.as_deref(), Some("DockerVersion: 1.5.0"));
        assert_eq!(host.registered_cpu, Some(4096));
        assert_eq!(host.registered_memory, Some(7482));
        assert!(host.remaining_cpu.is_some() && host.remaining_memory.is_some());
        assert_eq!(host.instance_type.as_deref(), Some("m5.large"));
        assert_eq!(host.availability_zone.as_deref(), Some("us-east-1a"));
        assert!(host.registered_at.is_some());
    }

    // `enter` on a host: ListTasks with containerInstance finds exactly the tasks on it.
    let (task, on) = fleet.tasks.first().expect("a task was placed");
    let filter = TaskFilter {
        desired_status: DesiredStatus::Running,
        container_instance: Some(on.clone()),
        ..TaskFilter::default()
    };
    let tasks = fetch::tasks(&backend, "hosts-read", &filter)
        .await
        .expect("tasks");
    assert!(tasks.iter().any(|t| &t.task_arn == task), "{tasks:?}");
    assert!(
        tasks
            .iter()
            .all(|t| t.container_instance_arn.as_ref() == Some(on))
    );
    let empty = fleet
        .instances
        .iter()
        .find(|(arn, _)| fleet.tasks.iter().all(|(_, on)| on != arn));
    if let Some((idle, _)) = empty {
        let filter = TaskFilter {
            container_instance: Some(idle.clone()),
            ..filter
        };
        let none = fetch::tasks(&backend, "hosts-read", &filter).await;
        assert_eq!(none.map(|t| t.len()).ok(), Some(0));
    }
}

#[tokio::test]
async fn a_drain_sent_by_the_executor_is_what_boto3_sees_then_the_undrain() {
    let moto = moto();
    let fleet = hosts(moto, "hosts-drain", 2, 0);
    let backend = backend(moto).await;
    let context = ActionContext {
        read_only: false,
        region: "us-east-1".into(),
        ..ActionContext::default()
    };
    let (first, ec2) = fleet.instances[0].clone();
    let other = fleet.instances[1].0.clone();
    let drain = Mutation::SetInstancesState {
        cluster: "hosts-drain".into(),
        instances: vec![InstanceRef {
            arn: first.clone(),
            ec2_instance_id: Some(ec2),
        }],
        status: InstanceStatus::Draining,
    };
    let executed = executor::execute(&backend, &context, &drain, None).await;
    assert_eq!(executed.entry.result, ActionResult::Done, "{executed:?}");
    let seen = statuses(moto, "hosts-drain");
    assert!(
        seen.contains(&(first.clone(), "DRAINING".into())),
        "{seen:?}"
    );
    assert!(seen.contains(&(other.clone(), "ACTIVE".into())), "{seen:?}");

    let Mutation::SetInstancesState { instances, .. } = drain else {
        unreachable!()
    };
    let undrain = Mutation::SetInstancesState {
        cluster: "hosts-drain".into(),
        instances,
        status: InstanceStatus::Active,
    };
    let executed = executor::execute(&backend, &context, &undrain, None).await;
    assert_eq!(executed.entry.result, ActionResult::Done, "{executed:?}");
    assert!(statuses(moto, "hosts-drain").contains(&(first, "ACTIVE".into())));
}

#[tokio::test]
async fn an_unknown_instance_is_a_failure_not_a_silent_success() {
    let moto = moto();
    hosts(moto, "hosts-missing", 1, 0);
    let backend = backend(moto).await;
    let gone = "arn:aws:ecs:us-east-1:123456789012:container-instance/hosts-missing/0000";
    let err = backend
        .update_container_instances_state(
            "hosts-missing",
            &[gone.to_string()],
            InstanceStatus::Draining,
        )
        .await
        .expect_err("MISSING comes back as a failure");
    assert_eq!(err.operation, "UpdateContainerInstancesState");
    assert!(err.message.contains("MISSING"), "{err:?}");
}
