//! The container instances view and drain / undrain, on the demo fleet: rows, `enter` to the
//! tasks on a host, marks, the confirmation, read-only at the key and at the executor,
//! batches of 10, the pending mark until the new status is seen, and the API budget
//! (every page, batches of 100, polled every 30 s only while the view is open).

use crate::fixture::mutations;
use std::sync::Arc;

use chrono::Utc;
use crossterm::event::KeyCode;

use crate::fixture::{ch, feed, key, now, poll_for, rows, ui};
use ecsdeck::backend::InstanceStatus;
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
use ecsdeck::domain::ecs::InstanceRef;
use ecsdeck::domain::journal::ActionResult;
use ecsdeck::domain::mutation::Mutation;
use ecsdeck::domain::pending::PendingState;
use ecsdeck::executor::{self, ActionContext};
use ecsdeck::msg::{Command, Msg};
use ecsdeck::poller;
use ecsdeck::state::dialog::Dialog;
use ecsdeck::state::{StatusLevel, UiState};
use ecsdeck::store::{Payload, Resource, Store};
use ecsdeck::views::instances::Instances;
use ecsdeck::views::{View, ViewKind};

const BATCH: &str = "batch-ec2";

fn instances_resource() -> Resource {
    Resource::Instances {
        cluster: BATCH.into(),
    }
}

/// The batch cluster's instances as the poller fetches them from a frozen demo fleet.
async fn polled(backend: &DemoBackend) -> Store {
    let mut store = Store::default();
    let resource = instances_resource();
    let result = poller::fetch_resource(backend, &resource).await;
    store.apply(&resource, result, now());
    store
}

fn showing_instances() -> UiState {
    let mut ui = ui();
    ui.stack = vec![
        View::new(ViewKind::clusters()),
        View::new(Instances {
            cluster: BATCH.into(),
            provider: None,
        }),
    ];
    ui
}

#[tokio::test]
async fn hosts_show_agent_status_and_capacity_and_enter_lists_their_tasks() {
    let backend = DemoBackend::from_fleet(DemoFleet::generate(3, now()));
    let mut store = polled(&backend).await;
    let mut ui = showing_instances();
    let shown = rows(&store, &ui);
    assert_eq!(shown.len(), 7, "{shown:?}");
    // INSTANCE, AGENT, STATUS, RUN, PEND, CPU USED, MEM USED, AZ, TYPE, PROVIDER, ...
    assert_eq!(shown.iter().filter(|(_, c)| c[1] == "NO").count(), 1);
    assert_eq!(shown.iter().filter(|(_, c)| c[2] == "DRAINING").count(), 1);
    for (_, cells) in &shown {
        assert!(cells[0].starts_with("i-"), "{cells:?}");
        assert!(cells[5].ends_with(" free"), "{cells:?}");
        assert!(cells[6].ends_with(" free"), "{cells:?}");
        assert_eq!(cells[8], "m6i.xlarge");
        assert_eq!(cells[9], "batch-ec2-asg");
    }
    // The first host with tasks: enter lists exactly those.
    let (arn, _) = shown
        .iter()
        .find(|(_, c)| c[3] != "0")
        .cloned()
        .expect("a host runs tasks");
    let at = shown.iter().position(|(k, _)| *k == arn).unwrap_or(0);
    let moves: Vec<Msg> = (0..at).map(|_| ch('j')).collect();
    feed(&mut store, &mut ui, moves);
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    let ViewKind::Tasks(tasks) = &ui.top().kind else {
        panic!("enter opens the tasks: {:?}", ui.top().kind);
    };
    assert_eq!(
        tasks.instance.as_ref().map(|i| i.arn.clone()),
        Some(arn.clone())
    );
    assert!(ui.top().title().contains(" on i-"), "{}", ui.top().title());
    let filter = tasks.filter(ui.top());
    assert_eq!(filter.container_instance.as_ref(), Some(&arn));
    let resource = Resource::Tasks {
        cluster: BATCH.into(),
        filter,
    };
    let Ok(Payload::Tasks(on_host)) = poller::fetch_resource(&backend, &resource).await else {
        panic!("tasks");
    };
    assert!(!on_host.is_empty());
    assert!(
        on_host
            .iter()
            .all(|t| t.container_instance_arn.as_ref() == Some(&arn))
    );
}

#[test]
fn i_on_a_cluster_and_the_command_open_the_instances() {
    let mut store = crate::fixture::store();
    let mut ui = ui();
    feed(&mut store, &mut ui, vec![ch('I')]);
    assert!(
        matches!(&ui.top().kind, ViewKind::Instances(i) if i.cluster == "prod"),
        "{:?}",
        ui.top().kind
    );
    assert!(ui.focus(&store).contains(&Resource::Instances {
        cluster: "prod".into()
    }));
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    assert!(
        !ui.focus(&store)
            .iter()
            .any(|r| matches!(r, Resource::Instances { .. }))
    );
    ecsdeck::update::command_line::run(&mut store, &mut ui, "instances batch-ec2");
    assert!(matches!(&ui.top().kind, ViewKind::Instances(i) if i.cluster == BATCH));
}

#[tokio::test]
async fn marked_hosts_drain_together_after_a_confirmation_naming_each() {
    let backend = DemoBackend::from_fleet(DemoFleet::generate(3, now()));
    let mut store = polled(&backend).await;
    let mut ui = showing_instances();
    let shown = rows(&store, &ui);
    // Mark the first two ACTIVE hosts.
    let mut keys = Vec::new();
    let mut marked = Vec::new();
    for (arn, cells) in &shown {
        if cells[2] == "ACTIVE" && marked.len() < 2 {
            keys.push(ch(' '));
            marked.push((arn.clone(), cells[0].clone()));
        } else {
            keys.push(ch('j'));
        }
    }
    feed(&mut store, &mut ui, keys);
    assert_eq!(ui.top().marked.len(), 2);
    let cmds = feed(&mut store, &mut ui, vec![ch('D')]);
    assert!(cmds.is_empty(), "nothing is sent before the confirmation");
    let Some(Dialog::Confirm(dialog)) = &ui.dialog else {
        panic!("a confirmation: {:?}", ui.dialog);
    };
    let said = dialog.mutation.describe();
    let cli = dialog.mutation.cli(None, "eu-west-1");
    for (arn, ec2) in &marked {
        assert!(said.contains(ec2.as_str()), "{said}");
        let id = arn.rsplit('/').next().unwrap_or_default();
        assert!(cli[0].contains(id), "{cli:?}");
    }
    assert!(
        said.starts_with("batch-ec2: drain 2 container instances"),
        "{said}"
    );
    assert!(cli[0].starts_with(
        "aws ecs update-container-instances-state --cluster batch-ec2 --container-instances "
    ));
    assert!(
        cli[0].contains("--status DRAINING --region eu-west-1"),
        "{cli:?}"
    );

    let cmds = feed(&mut store, &mut ui, vec![ch('y')]);
    let sent = mutations(&cmds);
    assert_eq!(sent.len(), 1, "one mutation for both hosts");
    assert!(ui.top().marked.is_empty());
    assert_eq!(ui.pending.len(), 2);
    let cell = |store: &Store, ui: &UiState, arn: &str| {
        rows(store, ui)
            .into_iter()
            .find(|(k, _)| k == arn)
            .map(|(_, c)| c[0].clone())
            .unwrap_or_default()
    };
    let first = cell(&store, &ui, &marked[0].0);
    assert!(first.contains("sending draining"), "{first}");

    executed_then_observed(backend, &mut store, &mut ui, cmds, &marked).await;
}

/// The executor drains them on the demo; the next list shows DRAINING: no longer pending.
async fn executed_then_observed(
    backend: DemoBackend,
    store: &mut Store,
    ui: &mut UiState,
    cmds: Vec<Command>,
    marked: &[(String, String)],
) {
    let counting = CountingBackend::new(backend);
    let log = counting.log();
    let context = ActionContext {
        read_only: false,
        region: "eu-west-1".into(),
        ..ActionContext::default()
    };
    let Some(Command::Mutate { id, mutation, .. }) = cmds.into_iter().next() else {
        panic!("no mutation");
    };
    let executed = executor::execute(&counting, &context, &mutation, None).await;
    assert_eq!(executed.entry.result, ActionResult::Done);
    assert_eq!(log.count("UpdateContainerInstancesState"), 1);
    feed(
        store,
        ui,
        vec![Msg::MutationDone {
            id,
            mutation,
            executed,
        }],
    );
    assert!(matches!(ui.pending[0].state, PendingState::Watching(_)));
    ui.now = Utc::now();
    let resource = instances_resource();
    let result = poller::fetch_resource(&counting, &resource).await;
    feed(
        store,
        ui,
        vec![Msg::Fetched {
            resource,
            result,
            at: Utc::now() + chrono::Duration::seconds(1),
        }],
    );
    assert!(ui.pending.is_empty(), "{:?}", ui.pending);
    for (arn, _) in marked {
        let status = rows(store, ui)
            .into_iter()
            .find(|(k, _)| k == arn)
            .map(|(_, c)| c[2].clone());
        assert_eq!(status.as_deref(), Some("DRAINING"));
    }
}

#[tokio::test]
async fn read_only_refuses_a_drain_at_the_key_and_at_the_executor() {
    let backend = CountingBackend::new(DemoBackend::from_fleet(DemoFleet::generate(3, now())));
    let log = backend.log();
    let mut store = Store::default();
    let resource = instances_resource();
    let result = poller::fetch_resource(&backend, &resource).await;
    store.apply(&resource, result, now());
    log.reset();
    for letter in ['D', 'U'] {
        let mut ui = showing_instances();
        ui.settings.read_only = true;
        let cmds = feed(&mut store, &mut ui, vec![ch(letter)]);
        let status = ui.status.clone();
        assert!(
            status.is_some_and(|s| s.level == StatusLevel::Warning
                && s.text.starts_with("Read-only")),
            "{letter}"
        );
        let more = feed(&mut store, &mut ui, vec![ch('y')]);
        assert!(
            cmds.is_empty() && more.is_empty() && ui.dialog.is_none(),
            "{letter}"
        );
    }
    let context = ActionContext {
        read_only: true,
        region: "eu-west-1".into(),
        ..ActionContext::default()
    };
    let drain = Mutation::SetInstancesState {
        cluster: BATCH.into(),
        instances: vec![InstanceRef {
            arn: "arn:aws:ecs:eu-west-1:123456789012:container-instance/batch-ec2/0".into(),
            ec2_instance_id: None,
        }],
        status: InstanceStatus::Draining,
    };
    let executed = executor::execute(&backend, &context, &drain, None).await;
    assert_eq!(executed.entry.result, ActionResult::Refused);
    assert!(log.totals().is_empty(), "{:?}", log.totals());
}

#[tokio::test]
async fn twelve_hosts_drain_in_two_calls_never_retried() {
    let mut fleet = DemoFleet::generate(3, now());
    fleet.add_container_instances(BATCH, 5, now());
    let backend = CountingBackend::new(DemoBackend::from_fleet(fleet));
    let log = backend.log();
    let listed = ecsdeck::backend::fetch::container_instances_partial(&backend, BATCH)
        .await
        .expect("instances");
    assert_eq!(listed.items.len(), 12);
    let drain = Mutation::SetInstancesState {
        cluster: BATCH.into(),
        instances: listed.items.iter().map(|i| i.reference()).collect(),
        status: InstanceStatus::Draining,
    };
    assert_eq!(drain.cli(None, "eu-west-1").len(), 2, "one command per 10");
    let context = ActionContext {
        region: "eu-west-1".into(),
        ..ActionContext::default()
    };
    log.reset();
    let executed = executor::execute(&backend, &context, &drain, None).await;
    assert_eq!(executed.entry.result, ActionResult::Done);
    assert_eq!(log.count("UpdateContainerInstancesState"), 2);
    // A batch over AWS's limit is refused by the demo as AWS would.
    let eleven: Vec<String> = listed.items[..11]
        .iter()
        .map(|i| i.container_instance_arn.clone())
        .collect();
    use ecsdeck::backend::EcsBackend;
    let err = backend
        .update_container_instances_state(BATCH, &eleven, InstanceStatus::Active)
        .await
        .expect_err("11 is over the limit");
    assert_eq!(err.kind, ecsdeck::backend::ErrorKind::InvalidRequest);
}

#[tokio::test]
async fn a_250_host_cluster_costs_3_lists_and_3_describes() {
    let mut fleet = DemoFleet::generate(3, now());
    fleet.add_container_instances(BATCH, 243, now());
    let backend = CountingBackend::new(DemoBackend::from_fleet(fleet));
    let log = backend.log();
    let Ok(Payload::ContainerInstances(all)) =
        poller::fetch_resource(&backend, &instances_resource()).await
    else {
        panic!("instances");
    };
    assert_eq!(all.len(), 250, "every nextToken followed");
    assert_eq!(log.count("ListContainerInstances"), 3);
    assert_eq!(log.count("DescribeContainerInstances"), 3);
    assert_eq!(log.totals().values().sum::<u64>(), 6, "{:?}", log.totals());
}

#[tokio::test(start_paused = true)]
async fn instances_are_polled_every_30_seconds_only_while_open() {
    let backend = Arc::new(CountingBackend::new(DemoBackend::from_fleet(
        DemoFleet::generate(3, now()),
    )));
    let log = backend.log();
    // The instances view open for 10 minutes: once at opening, then every 30 s.
    poll_for(Arc::clone(&backend), vec![instances_resource()], 599).await;
    let lists = log.count("ListContainerInstances");
    assert_eq!(lists, 20, "{:?}", log.totals());
    assert_eq!(log.count("DescribeContainerInstances"), 20);
    // Closed (the clusters list on screen): not one more.
    poll_for(Arc::clone(&backend), vec![Resource::Clusters], 599).await;
    assert_eq!(log.count("ListContainerInstances"), lists);
    assert_eq!(log.count("ListTasks"), 0);
}
