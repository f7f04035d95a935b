//! Elastic Load Balancing over the wire against moto: the load balancer, target group,
//! listener and targets boto3 created are what ecsdeck reads, and the services and tasks
//! lists show the health of the targets behind them.
//!
//! moto facts (5.2.5) these tests live with: registered targets are always `healthy`;
//! deregistered ones are left out of an unfiltered DescribeTargetHealth; GetMetricData with
//! an extended statistic (p99) answers HTTP 500, so the p99 query is tested on the demo.

use chrono::{Duration, Utc};
use serde_json::Value;

use crate::support::{FaultProxy, Moto, backend, connect, moto};
use ecsdeck::backend::aws::AwsBackend;
use ecsdeck::backend::{DesiredStatus, ElbBackend, ErrorKind, MetricsBackend, TaskFilter};
use ecsdeck::domain::elb::BalancerKind;
use ecsdeck::domain::metrics::BalancerTarget;
use ecsdeck::poller::{balancer_metrics, fetch_resource};
use ecsdeck::store::{Resource, Store};
use ecsdeck::ui::advice::advice;
use ecsdeck::views::table::TableModel;

struct Balanced {
    cluster: String,
    load_balancer: String,
    target_group: String,
    /// (task ARN, IP); the first two are registered.
    tasks: Vec<(String, String)>,
}

fn balanced(moto: &Moto, cluster: &str) -> Balanced {
    let out = moto.fixture(&["balanced-service", "--cluster", cluster]);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    Balanced {
        cluster: cluster.to_string(),
        load_balancer: text(&out["loadBalancerArn"]),
        target_group: text(&out["targetGroupArn"]),
        tasks: out["tasks"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| (text(&t["taskArn"]), text(&t["ip"])))
            .collect(),
    }
}

#[tokio::test]
async fn target_groups_balancers_listeners_and_health_come_back_as_created() {
    let moto = moto();
    let fleet = balanced(moto, "elb-read");
    let backend = backend(moto).await;

    let groups = backend
        .describe_target_groups(std::slice::from_ref(&fleet.target_group))
        .await
        .expect("target group");
    assert_eq!(groups.len(), 1);
    let group = &groups[0];
    assert_eq!(group.target_group_name, "elb-read-tg");
    assert_eq!(group.port, Some(8080));
    assert_eq!(group.target_type.as_deref(), Some("ip"));
    assert_eq!(group.load_balancer_arns, vec![fleet.load_balancer.clone()]);
    let check = &group.health_check;
    assert_eq!(check.path.as_deref(), Some("/health"));
    assert_eq!(check.matcher.as_deref(), Some("200-299"));
    assert_eq!(check.interval_seconds, Some(30));
    assert_eq!(check.healthy_threshold, Some(5));
    assert_eq!(check.unhealthy_threshold, Some(2));

    let balancers = backend
        .describe_load_balancers(std::slice::from_ref(&fleet.load_balancer))
        .await
        .expect("load balancer");
    assert_eq!(balancers[0].kind, "application");
    assert_eq!(
        BalancerKind::of(&balancers[0]),
        Some(BalancerKind::Application)
    );
    let listeners = backend
        .describe_listeners(&fleet.load_balancer, None)
        .await
        .expect("listeners");
    assert_eq!(listeners.listeners.len(), 1);
    assert_eq!(listeners.listeners[0].port, Some(80));
    assert_eq!(
        listeners.listeners[0].target_group_arns,
        vec![fleet.target_group.clone()]
    );

    let health = backend
        .describe_target_health(&fleet.target_group)
        .await
        .expect("target health");
    let mut ids: Vec<&str> = health.iter().map(|t| t.id.as_str()).collect();
    ids.sort();
    let mut registered: Vec<&str> = fleet.tasks[..2].iter().map(|t| t.1.as_str()).collect();
    registered.sort();
    assert_eq!(ids, registered);
    assert!(
        health
            .iter()
            .all(|t| t.is_healthy() && t.port == Some(8080))
    );
}

#[tokio::test]
async fn an_unknown_target_group_is_not_found() {
    let moto = moto();
    let backend = backend(moto).await;
    let missing =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gone/0123456789abcdef";
    let err = backend
        .describe_target_health(missing)
        .await
        .expect_err("no such target group");
    assert_eq!(err.kind, ErrorKind::NotFound, "{err:?}");
    assert_eq!(err.operation, "DescribeTargetHealth");
}

/// The store as the poller fills it for the services and tasks views of the fleet.
async fn polled(backend: &AwsBackend, fleet: &Balanced) -> Store {
    let mut store = Store::default();
    let resources = [
        Resource::Services {
            cluster: fleet.cluster.clone(),
        },
        Resource::Tasks {
            cluster: fleet.cluster.clone(),
            filter: running_tasks(),
        },
        Resource::TargetHealth {
            target_group: fleet.target_group.clone(),
        },
    ];
    for resource in resources {
        let result = fetch_resource(backend, &resource).await;
        store.apply(&resource, result, Utc::now());
    }
    store
}

fn running_tasks() -> TaskFilter {
    TaskFilter {
        service: None,
        desired_status: DesiredStatus::Running,
        container_instance: None,
    }
}

fn cell(model: &TableModel, key: &str, column: &str) -> String {
    let index = model
        .columns
        .iter()
        .position(|c| c.title == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    let row = model
        .rows
        .iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("no row {key}"));
    row.cells[index].text.clone()
}

#[tokio::test]
async fn services_and_tasks_show_the_target_health_read_over_the_wire() {
    let moto = moto();
    let fleet = balanced(moto, "elb-lists");
    let backend = backend(moto).await;
    let store = polled(&backend, &fleet).await;

    let service = ecsdeck::views::services::find(&store, &fleet.cluster, "web").expect("web");
    assert_eq!(service.target_groups(), vec![fleet.target_group.clone()]);
    assert_eq!(service.load_balancers[0].container_port, Some(8080));
    let services =
        ecsdeck::views::services::model(&store, &fleet.cluster, Utc::now(), Default::default());
    assert_eq!(cell(&services, "web", "TARGETS"), "2/2");

    let tasks =
        ecsdeck::views::tasks::model(&store, &fleet.cluster, &running_tasks(), Utc::now(), false);
    assert_eq!(cell(&tasks, &fleet.tasks[0].0, "TARGET"), "healthy");
    assert_eq!(cell(&tasks, &fleet.tasks[1].0, "TARGET"), "healthy");
    assert_eq!(
        cell(&tasks, &fleet.tasks[2].0, "TARGET"),
        "not registered",
        "a task that is not a target says so"
    );
}

#[tokio::test]
async fn balancer_signals_written_with_boto3_come_back_per_target_group() {
    let moto = moto();
    let fleet = balanced(moto, "elb-metrics");
    let group = fleet
        .target_group
        .rsplit_once(":")
        .map_or("", |(_, g)| g)
        .to_string();
    let balancer = fleet
        .load_balancer
        .split_once(":loadbalancer/")
        .map_or("", |(_, b)| b)
        .to_string();
    let put = |metric: &str, values: &[&str]| {
        let tg = format!("TargetGroup={group}");
        let lb = format!("LoadBalancer={balancer}");
        let mut args = vec![
            "put-metric",
            "--namespace",
            "AWS/ApplicationELB",
            "--metric",
            metric,
            "--dim",
            &tg,
            "--dim",
            &lb,
        ];
        for v in values {
            args.extend(["--value", v]);
        }
        moto.fixture(&args);
    };
    put("RequestCount", &["1000", "1000", "1000"]);
    put("HTTPCode_Target_5XX_Count", &["10", "40", "70"]);
    put("UnHealthyHostCount", &["0", "1", "1"]);
    let backend = backend(moto).await;
    let targets = [BalancerTarget {
        target_group: fleet.target_group.clone(),
        load_balancer: fleet.load_balancer.clone(),
        kind: BalancerKind::Application,
    }];
    // Every query ecsdeck asks for but p99, which moto cannot answer (see the module doc).
    let queries: Vec<_> = balancer_metrics::queries(&targets, 60)
        .into_iter()
        .filter(|q| q.stat != "p99")
        .collect();
    let end = Utc::now() + Duration::minutes(1);
    let answers = backend
        .get_metric_data(&queries, end - Duration::minutes(15), end)
        .await
        .expect("metric data");
    let mut by_id = answers.into_iter().map(|s| (s.id.clone(), s)).collect();
    let signals = balancer_metrics::answers(&mut by_id, &targets);
    let (arn, series) = &signals[0];
    assert_eq!(arn, &fleet.target_group);
    assert_eq!(series.requests.len(), 3);
    assert_eq!(
        series.error_rate().map(|r| r.round()),
        Some(4.0),
        "120 of 3000"
    );
    assert_eq!(series.hosts_now().map(|h| h.0), Some(1.0));
}

#[tokio::test]
async fn access_denied_on_target_health_names_the_permission_and_the_rest_works() {
    let moto = moto();
    let fleet = balanced(moto, "elb-denied");
    let proxy = FaultProxy::start(&moto.endpoint);
    let backend = connect(&proxy.endpoint).await.0;
    proxy.set("access_denied", Some(&["DescribeTargetHealth"]), None);
    let store = polled(&backend, &fleet).await;
    let health = store.target_health.get(&fleet.target_group).expect("tried");
    let err = health.error.as_ref().expect("denied");
    assert_eq!(err.kind, ErrorKind::AccessDenied, "{err:?}");
    let sentence = advice(err, None);
    assert!(
        sentence.contains("elasticloadbalancing:DescribeTargetHealth"),
        "{sentence}"
    );
    let services =
        ecsdeck::views::services::model(&store, &fleet.cluster, Utc::now(), Default::default());
    assert_eq!(
        cell(&services, "web", "TARGETS"),
        "denied: DescribeTargetHealth",
        "the column says what is missing"
    );
    assert_eq!(
        cell(&services, "web", "STATUS"),
        "ACTIVE",
        "ECS still reads"
    );
}
