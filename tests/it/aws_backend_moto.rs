//! The AWS backend over the wire against moto: what boto3 created is what ecsdeck reads.
//!
//! One moto server per test binary; every test uses its own cluster names, so tests run in
//! parallel without resetting moto.

use std::time::Duration;

use crate::support::{Moto, connect, moto};
use ecsdeck::backend::aws::{AwsBackend, AwsOptions};
use ecsdeck::backend::{DesiredStatus, EcsBackend, ErrorKind, ServiceUpdate, TaskFilter, fetch};
use serde_json::Value;

async fn backend(moto: &Moto) -> AwsBackend {
    let (backend, connection) = connect(&moto.endpoint).await;
    assert_eq!(connection.region, "us-east-1");
    assert_eq!(connection.endpoint.as_deref(), Some(moto.endpoint.as_str()));
    backend
}

fn fleet(moto: &Moto, cluster: &str, services: usize, tasks_per_service: usize) -> Value {
    moto.fixture(&[
        "fleet",
        "--cluster",
        cluster,
        "--services",
        &services.to_string(),
        "--tasks-per-service",
        &tasks_per_service.to_string(),
    ])
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|v| v.as_str().expect("a JSON string").to_string())
        .collect()
}

fn service_filter(service: &str, desired_status: DesiredStatus) -> TaskFilter {
    TaskFilter {
        service: Some(service.to_string()),
        desired_status,
        container_instance: None,
    }
}

#[tokio::test]
async fn clusters_created_with_boto3_are_listed_with_their_counters() {
    let moto = moto();
    fleet(moto, "clusters-a", 1, 2);
    fleet(moto, "clusters-b", 0, 0);
    let backend = backend(moto).await;

    let clusters = fetch::clusters(&backend).await.expect("list clusters");
    for name in ["clusters-a", "clusters-b"] {
        let cluster = clusters
            .iter()
            .find(|c| c.cluster_name == name)
            .unwrap_or_else(|| panic!("{name} missing from {clusters:?}"));
        // moto's counters are its own (see DESIGN.md); what matters is that we read the
        // same numbers boto3 reads.
        let boto = moto.fixture(&["describe-cluster", "--cluster", name]);
        assert_eq!(cluster.cluster_arn, boto["clusterArn"].as_str().unwrap());
        assert_eq!(cluster.status, "ACTIVE");
        assert_eq!(
            i64::from(cluster.running_tasks_count),
            boto["runningTasksCount"].as_i64().unwrap()
        );
        assert_eq!(
            i64::from(cluster.pending_tasks_count),
            boto["pendingTasksCount"].as_i64().unwrap()
        );
        assert_eq!(
            i64::from(cluster.active_services_count),
            boto["activeServicesCount"].as_i64().unwrap()
        );
        assert_eq!(cluster.container_insights.as_deref(), Some("disabled"));
    }
    let pos = |n: &str| clusters.iter().position(|c| c.cluster_name == n).unwrap();
    assert!(pos("clusters-a") < pos("clusters-b"), "sorted by name");
}

#[tokio::test]
async fn all_120_services_of_a_cluster_are_listed_and_described() {
    let moto = moto();
    let created = fleet(moto, "many-services", 120, 0);
    let backend = backend(moto).await;

    let services = fetch::services(&backend, "many-services")
        .await
        .expect("list services");
    let mut names: Vec<String> = services.iter().map(|s| s.service_name.clone()).collect();
    names.sort();
    assert_eq!(names, strings(&created["services"]));
}

#[tokio::test]
async fn service_fields_are_mapped() {
    let moto = moto();
    let created = fleet(moto, "service-fields", 2, 2);
    let backend = backend(moto).await;

    let services = fetch::services(&backend, "service-fields")
        .await
        .expect("list services");
    assert_eq!(services.len(), 2);
    let service = &services[0];
    let boto = moto.fixture(&[
        "describe-service",
        "--cluster",
        "service-fields",
        "--service",
        "svc-000",
    ]);
    assert_eq!(service.service_name, "svc-000");
    assert_eq!(service.status, "ACTIVE");
    assert_eq!(service.desired_count, 2);
    assert_eq!(
        service.task_definition,
        boto["taskDefinition"].as_str().unwrap()
    );
    assert_eq!(
        service.task_definition,
        created["taskDefinitionArn"].as_str().unwrap()
    );
    assert_eq!(service.launch_type.as_deref(), Some("FARGATE"));
    assert!(service.cluster_arn.ends_with(":cluster/service-fields"));
    // moto leaves out the service's createdAt (its deployments have one).
    assert!(service.deployments.iter().all(|d| d.created_at.is_some()));
    let primary = service.primary_deployment().expect("a PRIMARY deployment");
    assert_eq!(primary.task_definition, service.task_definition);
    assert_eq!(primary.desired_count, 2);
    assert_eq!(primary.rollout_state.as_deref(), Some("IN_PROGRESS"));
    assert!(primary.rollout_state_reason.is_some());
}

#[tokio::test]
async fn tasks_of_a_service_are_only_that_services_tasks() {
    let moto = moto();
    let created = fleet(moto, "service-tasks", 2, 3);
    let backend = backend(moto).await;

    let filter = service_filter("svc-000", DesiredStatus::Running);
    let tasks = fetch::tasks(&backend, "service-tasks", &filter)
        .await
        .expect("list tasks");
    let mut arns: Vec<String> = tasks.iter().map(|t| t.task_arn.clone()).collect();
    arns.sort();
    let mut expected = strings(&created["tasks"]["svc-000"]);
    expected.sort();
    assert_eq!(arns, expected);

    let task = &tasks[0];
    assert_eq!(task.service_name(), Some("svc-000"));
    assert_eq!(task.desired_status, "RUNNING");
    assert_eq!(task.launch_type.as_deref(), Some("FARGATE"));
    assert_eq!(
        task.task_definition_arn,
        created["taskDefinitionArn"].as_str().unwrap()
    );
    assert!(task.private_ip.is_some(), "awsvpc ENI address: {task:?}");
    assert_eq!(task.stopped_reason, None);
    // moto gives every task only the first container of its task definition.
    let names: Vec<&str> = task.containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["app"]);
    let app = &task.containers[0];
    assert_eq!(
        app.image.as_deref(),
        Some("public.ecr.aws/nginx/nginx:1.25")
    );
    assert!(app.last_status.is_some());
    assert_eq!(app.cpu.as_deref(), Some("128"));
    assert_eq!(app.memory.as_deref(), Some("256"));
}

#[tokio::test]
async fn task_definition_maps_containers_ports_env_secrets_and_logs() {
    let moto = moto();
    let created = fleet(moto, "task-definition", 1, 0);
    let backend = backend(moto).await;

    let arn = created["taskDefinitionArn"].as_str().unwrap();
    let td = backend
        .describe_task_definition(arn)
        .await
        .expect("describe task definition");
    assert_eq!(td.task_definition_arn, arn);
    assert_eq!(td.family, "task-definition-app");
    assert_eq!(td.revision, 1);
    assert_eq!(td.network_mode.as_deref(), Some("awsvpc"));
    assert_eq!(td.requires_compatibilities, ["FARGATE"]);
    assert_eq!(
        (td.cpu.as_deref(), td.memory.as_deref()),
        (Some("256"), Some("512"))
    );
    assert_eq!(td.container_definitions.len(), 2);

    let app = td.container("app").expect("app container");
    assert_eq!(app.image, "public.ecr.aws/nginx/nginx:1.25");
    assert_eq!(app.port_mappings.len(), 1);
    assert_eq!(app.port_mappings[0].container_port, Some(8080));
    assert_eq!(app.port_mappings[0].protocol.as_deref(), Some("tcp"));
    let env: Vec<&str> = app.environment.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(env, ["MODE", "LOG_LEVEL"]);
    assert_eq!(app.secrets.len(), 1);
    assert_eq!(app.secrets[0].name, "DB_PASSWORD");
    assert_eq!(
        app.secrets[0].value_from,
        "arn:aws:ssm:us-east-1:123456789012:parameter/db-password"
    );
    assert_eq!(app.command, ["serve", "--port", "8080"]);
    assert_eq!(app.entry_point, ["/docker-entrypoint.sh"]);
    let logs = app.log_configuration.as_ref().expect("log configuration");
    assert_eq!(logs.log_driver, "awslogs");
    assert_eq!(logs.options["awslogs-group"], "/ecs/task-definition-app");
    assert_eq!(logs.options["awslogs-stream-prefix"], "app");

    let sidecar = td.container("sidecar").expect("sidecar container");
    assert_eq!(sidecar.essential, Some(false));
    assert!(sidecar.log_configuration.is_none());

    // By family:revision too, as the task definition view asks for it.
    let by_name = backend
        .describe_task_definition("task-definition-app:1")
        .await
        .expect("describe by family:revision");
    assert_eq!(by_name, td);
}

#[tokio::test]
async fn a_stopped_task_shows_under_the_stopped_filter_with_its_reason() {
    let moto = moto();
    let created = fleet(moto, "stopped-task", 1, 2);
    let victim = strings(&created["tasks"]["svc-000"]).remove(0);
    moto.fixture(&[
        "stop-task",
        "--cluster",
        "stopped-task",
        "--task",
        &victim,
        "--reason",
        "Scaling activity initiated by ops",
    ]);
    let backend = backend(moto).await;

    let stopped = fetch::tasks(
        &backend,
        "stopped-task",
        &service_filter("svc-000", DesiredStatus::Stopped),
    )
    .await
    .expect("list stopped tasks");
    assert_eq!(stopped.len(), 1, "{stopped:?}");
    assert_eq!(stopped[0].task_arn, victim);
    assert_eq!(stopped[0].desired_status, "STOPPED");
    assert_eq!(
        stopped[0].stopped_reason.as_deref(),
        Some("Scaling activity initiated by ops")
    );

    let running = fetch::tasks(
        &backend,
        "stopped-task",
        &service_filter("svc-000", DesiredStatus::Running),
    )
    .await
    .expect("list running tasks");
    assert_eq!(running.len(), 1);
    assert_ne!(running[0].task_arn, victim);
}

#[tokio::test]
async fn an_unknown_cluster_is_not_found() {
    let moto = moto();
    let backend = backend(moto).await;

    let err = backend
        .list_services("no-such-cluster", None)
        .await
        .expect_err("unknown cluster");
    assert_eq!(err.kind, ErrorKind::NotFound, "{err:?}");
    assert_eq!(err.message, "Cluster not found: no-such-cluster");
    assert_eq!(err.operation, "ListServices");

    let err = fetch::services(&backend, "no-such-cluster")
        .await
        .expect_err("unknown cluster");
    assert_eq!(err.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn an_endpoint_where_nothing_listens_is_unreachable_in_bounded_time() {
    let _ = moto();
    let endpoint = format!("http://127.0.0.1:{}", crate::support::moto::free_port());
    let (backend, _) = AwsBackend::connect(&AwsOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.clone()),
    })
    .await
    .expect("connect needs no network");

    // Bounded by the SDK's own timeouts and retries; the outer limit only keeps a
    // regression from hanging the suite.
    let err = tokio::time::timeout(Duration::from_secs(60), backend.list_clusters(None))
        .await
        .expect("the SDK gave up on its own")
        .expect_err("nothing listens there");
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err:?}");
    assert!(err.message.contains(&endpoint), "{}", err.message);
}

fn update(cluster: &str, service: &str) -> ServiceUpdate {
    ServiceUpdate {
        cluster: cluster.to_string(),
        service: service.to_string(),
        ..ServiceUpdate::default()
    }
}

fn describe_service(moto: &Moto, cluster: &str, service: &str) -> Value {
    moto.fixture(&[
        "describe-service",
        "--cluster",
        cluster,
        "--service",
        service,
    ])
}

#[tokio::test]
async fn scaling_a_service_is_what_boto3_then_sees() {
    let moto = moto();
    fleet(moto, "ops-scale", 1, 2);
    let backend = backend(moto).await;

    let updated = backend
        .update_service(&ServiceUpdate {
            desired_count: Some(5),
            ..update("ops-scale", "svc-000")
        })
        .await
        .expect("update desired count");
    assert_eq!(updated.service_name, "svc-000");
    assert_eq!(updated.desired_count, 5);
    let boto = describe_service(moto, "ops-scale", "svc-000");
    assert_eq!(boto["desiredCount"].as_i64(), Some(5));
}

#[tokio::test]
async fn rolling_back_changes_the_services_task_definition() {
    let moto = moto();
    let created = fleet(moto, "ops-rollback", 1, 1);
    let first = created["taskDefinitionArn"].as_str().unwrap().to_string();
    let second = moto.fixture(&[
        "register-revision",
        "--family",
        "ops-rollback-app",
        "--image",
        "public.ecr.aws/nginx/nginx:1.27",
    ]);
    let second = second["taskDefinitionArn"].as_str().unwrap().to_string();
    let backend = backend(moto).await;

    // Roll forward by ARN, then back by family:revision.
    let updated = backend
        .update_service(&ServiceUpdate {
            task_definition: Some(second.clone()),
            ..update("ops-rollback", "svc-000")
        })
        .await
        .expect("roll forward");
    assert_eq!(updated.task_definition, second);
    let boto = describe_service(moto, "ops-rollback", "svc-000");
    assert_eq!(boto["taskDefinition"].as_str(), Some(second.as_str()));

    let updated = backend
        .update_service(&ServiceUpdate {
            task_definition: Some("ops-rollback-app:1".to_string()),
            ..update("ops-rollback", "svc-000")
        })
        .await
        .expect("roll back");
    // AWS answers with the full ARN; moto keeps the `family:revision` it was sent.
    assert!(
        first.ends_with(&format!("task-definition/{}", updated.task_definition))
            || updated.task_definition == first,
        "{} is not {first}",
        updated.task_definition
    );
    let boto = describe_service(moto, "ops-rollback", "svc-000");
    assert_eq!(
        boto["taskDefinition"].as_str(),
        Some(updated.task_definition.as_str())
    );
    assert_eq!(
        boto["desiredCount"].as_i64(),
        Some(1),
        "only the revision changed"
    );
}

#[tokio::test]
async fn force_new_deployment_is_accepted() {
    let moto = moto();
    fleet(moto, "ops-redeploy", 1, 1);
    let backend = backend(moto).await;

    // moto does not roll deployments: the call succeeding and the service coming back is
    // all that can be checked over the wire.
    let updated = backend
        .update_service(&ServiceUpdate {
            force_new_deployment: true,
            ..update("ops-redeploy", "svc-000")
        })
        .await
        .expect("force new deployment");
    assert_eq!(updated.service_name, "svc-000");
    assert_eq!(updated.desired_count, 1);
}

#[tokio::test]
async fn updating_an_unknown_service_is_not_found() {
    let moto = moto();
    fleet(moto, "ops-unknown", 1, 0);
    let backend = backend(moto).await;

    let err = backend
        .update_service(&ServiceUpdate {
            desired_count: Some(2),
            ..update("ops-unknown", "no-such-service")
        })
        .await
        .expect_err("unknown service");
    assert_eq!(err.kind, ErrorKind::NotFound, "{err:?}");
    assert_eq!(err.operation, "UpdateService");

    let err = backend
        .update_service(&ServiceUpdate {
            desired_count: Some(2),
            ..update("ops-no-such-cluster", "svc-000")
        })
        .await
        .expect_err("unknown cluster");
    assert_eq!(err.kind, ErrorKind::NotFound, "{err:?}");
}

#[tokio::test]
async fn a_stopped_task_is_seen_stopped_by_boto3_with_the_reason() {
    let moto = moto();
    let created = fleet(moto, "ops-stop", 1, 2);
    let victim = strings(&created["tasks"]["svc-000"]).remove(0);
    let backend = backend(moto).await;

    let task = backend
        .stop_task("ops-stop", &victim, "Stopped by alice via ecsdeck")
        .await
        .expect("stop task");
    assert_eq!(task.task_arn, victim);
    assert_eq!(task.desired_status, "STOPPED");

    let boto = moto.fixture(&["describe-task", "--cluster", "ops-stop", "--task", &victim]);
    assert_eq!(boto["desiredStatus"].as_str(), Some("STOPPED"));
    assert_eq!(
        boto["stoppedReason"].as_str(),
        Some("Stopped by alice via ecsdeck")
    );
}

#[tokio::test]
async fn task_definition_revisions_are_listed_newest_first_for_that_family_only() {
    let moto = moto();
    fleet(moto, "orbit", 0, 0);
    fleet(moto, "orbit-worker", 0, 0);
    // Families `orbit-app`, `orbit-worker-app` and `orbit-app-canary-app`; the last one
    // starts with `orbit-app`. (moto matches familyPrefix exactly and ignores sort=DESC; real AWS matches
    // prefixes and sorts: the backend filters and orders either way.)
    moto.fixture(&[
        "register-revision",
        "--family",
        "orbit-app",
        "--env",
        "LOG_LEVEL=debug",
    ]);
    moto.fixture(&[
        "register-revision",
        "--family",
        "orbit-app",
        "--cpu",
        "512",
        "--memory",
        "1024",
    ]);
    moto.fixture(&["register-revision", "--family", "orbit-worker-app"]);
    fleet(moto, "orbit-app-canary", 0, 0);
    let backend = backend(moto).await;

    let page = backend
        .list_task_definitions("orbit-app", None)
        .await
        .expect("list task definitions");
    let revisions: Vec<&str> = page
        .arns
        .iter()
        .map(|arn| arn.rsplit_once("task-definition/").unwrap().1)
        .collect();
    assert_eq!(revisions, ["orbit-app:3", "orbit-app:2", "orbit-app:1"]);
    assert_eq!(page.next_token, None);

    let newest = backend
        .describe_task_definition(&page.arns[0])
        .await
        .expect("describe newest");
    assert_eq!(newest.cpu.as_deref(), Some("512"));
    let middle = backend
        .describe_task_definition(&page.arns[1])
        .await
        .expect("describe middle");
    let app = middle.container("app").expect("app container");
    assert!(
        app.environment
            .iter()
            .any(|e| e.name == "LOG_LEVEL" && e.value == "debug")
    );

    let none = backend
        .list_task_definitions("orbit-nothing", None)
        .await
        .expect("list an unknown family");
    assert!(none.arns.is_empty());
}
