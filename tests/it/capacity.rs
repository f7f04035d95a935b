//! The capacity providers view on the demo fleet: rows (type, default strategy, managed
//! scaling, the Auto Scaling group's bounds and instances, the reservation), `C` and
//! `:capacity`, `enter` to a provider's hosts, and the API budget (Fargate providers never
//! described; the rest every 60 s, only while the view is open; batches at AWS's limits).

use std::sync::Arc;

use crossterm::event::KeyCode;

use crate::fixture::{ch, command, feed, key, now, poll_for, rows, ui};
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
use ecsdeck::backend::{Backend, fetch_capacity};
use ecsdeck::poller;
use ecsdeck::state::UiState;
use ecsdeck::store::{Resource, Store};
use ecsdeck::views::capacity::Capacity;
use ecsdeck::views::{View, ViewKind};

const BATCH: &str = "batch-ec2";

pub(crate) fn showing(cluster: &str) -> UiState {
    let mut ui = ui();
    ui.stack = vec![
        View::new(ViewKind::clusters()),
        View::new(Capacity {
            cluster: cluster.into(),
        }),
    ];
    ui
}

/// Fetches what the view asks for until it asks for nothing new (the providers name the
/// groups, the groups' providers the reservation queries).
pub(crate) async fn settle(backend: &dyn Backend, store: &mut Store, ui: &UiState) {
    for _ in 0..4 {
        for resource in ui.focus(store) {
            let result = poller::fetch_resource_at(backend, &resource, now()).await;
            store.apply(&resource, result, now());
        }
    }
}

#[tokio::test]
async fn an_auto_scaling_provider_shows_strategy_scaling_group_and_reservation() {
    let backend = DemoBackend::from_fleet(DemoFleet::generate(3, now()));
    let mut store = Store::default();
    let ui = showing(BATCH);
    settle(&backend, &mut store, &ui).await;
    let shown = rows(&store, &ui);
    assert_eq!(shown.len(), 1, "{shown:?}");
    let (key, cells) = &shown[0];
    assert_eq!(key, "batch-ec2-asg");
    // PROVIDER TYPE BASE WEIGHT SCALING STEP TERM.PROT GROUP MIN/DES/MAX IN SVC PEND
    // RESERVATION STATUS
    assert_eq!(
        cells[..11],
        [
            "batch-ec2-asg",
            "Auto Scaling",
            "0",
            "1",
            "on → 100%",
            "1–4",
            "ENABLED",
            "ecs-batch-ec2",
            "2/9/10",
            "7",
            "2"
        ]
    );
    // Two minutes after the placement failure: over the target, instances on their way.
    assert!(cells[11].starts_with("129% "), "{cells:?}");
    assert_eq!(cells[12], "ACTIVE");
}

#[tokio::test]
async fn fargate_providers_show_the_strategy_and_are_never_described() {
    let backend = CountingBackend::new(DemoBackend::from_fleet(DemoFleet::generate(3, now())));
    let log = backend.log();
    let mut store = Store::default();
    let ui = showing("staging");
    settle(&backend, &mut store, &ui).await;
    let shown = rows(&store, &ui);
    let cells: Vec<&[String]> = shown.iter().map(|(_, c)| &c[..4]).collect();
    assert_eq!(
        cells,
        [
            ["FARGATE", "Fargate", "1", "1"],
            ["FARGATE_SPOT", "Fargate Spot", "0", "4"]
        ]
    );
    assert_eq!(log.count("DescribeCapacityProviders"), 0);
    assert_eq!(log.count("DescribeAutoScalingGroups"), 0);
}

#[tokio::test]
async fn c_and_the_command_open_capacity_and_enter_lists_the_providers_hosts() {
    let backend = DemoBackend::from_fleet(DemoFleet::generate(3, now()));
    let mut store = crate::fixture::store();
    let mut ui = ui();
    feed(&mut store, &mut ui, vec![ch('C')]);
    assert!(
        matches!(&ui.top().kind, ViewKind::Capacity(c) if c.cluster == "prod"),
        "{:?}",
        ui.top().kind
    );
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    feed(&mut store, &mut ui, command("capacity batch-ec2"));
    assert!(matches!(&ui.top().kind, ViewKind::Capacity(c) if c.cluster == BATCH));
    assert_eq!(ui.stack.len(), 2, "under the clusters list");

    let mut store = Store::default();
    settle(&backend, &mut store, &ui).await;
    let resource = Resource::Instances {
        cluster: BATCH.into(),
    };
    let hosts = poller::fetch_resource(&backend, &resource).await;
    store.apply(&resource, hosts, now());
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    let ViewKind::Instances(instances) = &ui.top().kind else {
        panic!("enter opens the hosts: {:?}", ui.top().kind);
    };
    assert_eq!(instances.provider.as_deref(), Some("batch-ec2-asg"));
    assert_eq!(ui.top().title(), "instances(batch-ec2 · batch-ec2-asg)");
    assert_eq!(rows(&store, &ui).len(), 7);
}

#[tokio::test]
async fn enter_on_a_fargate_provider_opens_nothing() {
    let backend = DemoBackend::from_fleet(DemoFleet::generate(3, now()));
    let mut store = Store::default();
    let mut ui = showing("staging");
    settle(&backend, &mut store, &ui).await;
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert!(matches!(&ui.top().kind, ViewKind::Capacity(_)));
}

#[tokio::test]
async fn batches_stay_within_aws_limits() {
    let backend = CountingBackend::new(DemoBackend::from_fleet(DemoFleet::generate(3, now())));
    let log = backend.log();
    // 121 names: FARGATE is never asked about, the other 120 go in two
    // DescribeCapacityProviders calls (100 + 20); the demo knows one of them.
    let mut names: Vec<String> = (0..119).map(|i| format!("missing-{i}")).collect();
    names.push("batch-ec2-asg".into());
    names.push("FARGATE".into());
    let found = fetch_capacity::capacity_providers(&backend, &names)
        .await
        .expect("providers");
    assert_eq!(found.len(), 1);
    assert_eq!(
        log.count("DescribeCapacityProviders"),
        2,
        "{:?}",
        log.totals()
    );
    // A page holds 10 providers, as AWS's maxResults allows; the token leads to the rest.
    use ecsdeck::backend::EcsBackend;
    let twelve = vec!["FARGATE_SPOT".to_string(); 12];
    let first = backend
        .describe_capacity_providers(&twelve, None)
        .await
        .expect("a page");
    assert_eq!(first.providers.len(), 10);
    let rest = backend
        .describe_capacity_providers(&twelve, first.next_token)
        .await
        .expect("the next page");
    assert_eq!((rest.providers.len(), rest.next_token), (2, None));
    let groups: Vec<String> = (0..150).map(|i| format!("group-{i}")).collect();
    fetch_capacity::auto_scaling_groups(&backend, &groups)
        .await
        .expect("groups");
    assert_eq!(log.count("DescribeAutoScalingGroups"), 2);
    let too_many = vec!["batch-ec2-asg".to_string(); 101];
    assert!(
        backend
            .describe_capacity_providers(&too_many, None)
            .await
            .is_err()
    );
}

#[tokio::test(start_paused = true)]
async fn capacity_is_polled_every_60_seconds_only_while_open() {
    let backend = Arc::new(CountingBackend::new(DemoBackend::from_fleet(
        DemoFleet::generate(3, now()),
    )));
    let log = backend.log();
    let mut store = Store::default();
    let ui = showing(BATCH);
    settle(backend.as_ref(), &mut store, &ui).await;
    let focus = ui.focus(&store);
    assert!(focus.contains(&Resource::AutoScalingGroups {
        names: vec!["ecs-batch-ec2".into()]
    }));
    let before = log.totals();
    let count = |op: &str| log.count(op) - before.get(op).copied().unwrap_or(0);
    // Open for 10 minutes: each capacity call once at opening, then once a minute.
    poll_for(Arc::clone(&backend), focus, 599).await;
    assert_eq!(count("DescribeCapacityProviders"), 10, "{:?}", log.totals());
    assert_eq!(count("DescribeAutoScalingGroups"), 10);
    // The reservation's query and the clusters list's CPU/memory: one call a minute each.
    assert_eq!(count("GetMetricData"), 20);
    assert_eq!(
        count("DescribeClusters"),
        20,
        "the clusters list's, every 30 s"
    );
    // Closed (the clusters list on screen): not one more capacity call.
    let open = log.totals();
    poll_for(Arc::clone(&backend), vec![Resource::Clusters], 599).await;
    for op in ["DescribeCapacityProviders", "DescribeAutoScalingGroups"] {
        assert_eq!(log.count(op), open.get(op).copied().unwrap_or(0), "{op}");
    }
}

#[tokio::test]
async fn a_denied_auto_scaling_call_keeps_the_providers_and_names_the_permission() {
    use ecsdeck::backend::{BackendError, ErrorKind};
    let backend = DemoBackend::from_fleet(DemoFleet::generate(3, now()));
    let mut store = Store::default();
    let ui = showing(BATCH);
    settle(&backend, &mut store, &ui).await;
    let groups = Resource::AutoScalingGroups {
        names: vec!["ecs-batch-ec2".into()],
    };
    let denied = BackendError::new(
        ErrorKind::AccessDenied,
        "DescribeAutoScalingGroups",
        "User is not authorized to perform: autoscaling:DescribeAutoScalingGroups",
    );
    store.apply(&groups, Err(denied), now());
    let shown = rows(&store, &ui);
    assert_eq!(shown.len(), 1, "the provider stays: {shown:?}");
    assert_eq!(shown[0].1[4], "on → 100%");
    let freshness = ui.top().freshness(&store);
    let error = freshness.error.expect("the header names the failure");
    assert_eq!(error.operation, "DescribeAutoScalingGroups");
}
