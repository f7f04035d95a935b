//! The API budget and the never-blocking UI, measured with the counting wrapper:
//! complete lists at the API maximum batch sizes, only focused resources polled, one request
//! per resource in flight, and a UI that keeps working while a call hangs.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::{Notify, mpsc, watch};

use crate::fixture;
use ecsdeck::app::{App, Exit};
use ecsdeck::backend::TaskFilter;
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
use ecsdeck::config::RefreshIntervals;
use ecsdeck::config::theme::Theme;
use ecsdeck::msg::Msg;
use ecsdeck::poller;
use ecsdeck::store::{Payload, Resource};

#[tokio::test]
async fn a_1000_service_cluster_costs_10_lists_and_100_describes() {
    let mut fleet = DemoFleet::generate(7, fixture::now());
    fleet.add_cluster_with_services("load-test", 1000, fixture::now());
    let backend = CountingBackend::new(DemoBackend::from_fleet(fleet));
    let log = backend.log();
    let resource = Resource::Services {
        cluster: "load-test".into(),
    };
    let payload = poller::fetch_resource(&backend, &resource).await;
    let Ok(Payload::Services(services)) = payload else {
        panic!("fetch failed: {payload:?}");
    };
    assert_eq!(services.len(), 1000, "every nextToken followed");
    assert_eq!(log.count("ListServices"), 10);
    assert_eq!(log.count("DescribeServices"), 100);
    assert_eq!(
        log.totals().values().sum::<u64>(),
        110,
        "{:?}",
        log.totals()
    );

    // The tasks of that cluster: 1,000 tasks → 10 ListTasks + 10 DescribeTasks.
    log.reset();
    let resource = Resource::Tasks {
        cluster: "load-test".into(),
        filter: TaskFilter::default(),
    };
    let Ok(Payload::Tasks(tasks)) = poller::fetch_resource(&backend, &resource).await else {
        panic!("tasks fetch failed");
    };
    assert_eq!(tasks.len(), 1000);
    assert_eq!(log.count("ListTasks"), 10);
    assert_eq!(log.count("DescribeTasks"), 10);
}

/// Waits for the next Fetched message of `resource`, with a deadline (never a fixed sleep).
async fn next_fetched(rx: &mut mpsc::UnboundedReceiver<Msg>, resource: &Resource) {
    let wait = async {
        while let Some(msg) = rx.recv().await {
            if let Msg::Fetched {
                resource: r,
                result,
                ..
            } = msg
                && &r == resource
            {
                assert!(result.is_ok(), "{result:?}");
                return;
            }
        }
        panic!("poller stopped");
    };
    if tokio::time::timeout(Duration::from_secs(20), wait)
        .await
        .is_err()
    {
        panic!("no fetch of {resource:?} within the deadline");
    }
}

#[tokio::test]
async fn the_poller_fetches_only_what_is_focused() {
    let backend = CountingBackend::new(DemoBackend::from_fleet(DemoFleet::generate(
        7,
        fixture::now(),
    )));
    let log = backend.log();
    let services = Resource::Services {
        cluster: "staging".into(),
    };
    let (focus_tx, focus_rx) = watch::channel(vec![services.clone()]);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let refresh = Arc::new(Notify::new());
    let intervals = RefreshIntervals::default().with_override(1);
    let handle = poller::spawn(Arc::new(backend), intervals, focus_rx, refresh.clone(), tx);
    next_fetched(&mut rx, &services).await;
    refresh.notify_one();
    next_fetched(&mut rx, &services).await;
    assert_eq!(log.count("ListClusters"), 0, "clusters are not on screen");
    assert_eq!(log.count("ListTasks"), 0, "tasks are not on screen");
    assert!(log.count("ListServices") >= 2);

    // Switching focus to the clusters stops the services polling.
    focus_tx.send_replace(vec![Resource::Clusters]);
    next_fetched(&mut rx, &Resource::Clusters).await;
    let services_calls = log.count("ListServices");
    refresh.notify_one();
    next_fetched(&mut rx, &Resource::Clusters).await;
    assert_eq!(log.count("ListServices"), services_calls);
    handle.abort();
}

/// A backend whose every call hangs, as an unreachable endpoint with no timeout would.
struct HangingBackend;

ecs_double!(HangingBackend, hang);
logs_double!(HangingBackend, hang);
metrics_double!(HangingBackend, hang);
elb_double!(HangingBackend, hang);
ssm_double!(HangingBackend, hang);
ecr_double!(HangingBackend, hang);
scaling_double!(HangingBackend, hang);
autoscaling_double!(HangingBackend, hang);

fn key(code: KeyCode, modifiers: KeyModifiers) -> std::io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(code, modifiers)))
}

#[tokio::test]
async fn keys_work_and_quit_quits_while_every_call_hangs() {
    let backend = CountingBackend::new(HangingBackend);
    let log = backend.log();
    let app = App {
        backend: Arc::new(backend),
        call_log: log.clone(),
        intervals: RefreshIntervals::default(),
        theme: Theme::default(),
        store: fixture::store(),
        ui: fixture::ui(),
        actions: ecsdeck::executor::ActionContext::default(),
        interactive: false,
        connector: Arc::new(|_| Box::pin(async { Err("no other context here".to_string()) })),
        regional: Default::default(),
    };
    let (events_tx, events_rx) = futures::channel::mpsc::unbounded();
    let plain = KeyModifiers::NONE;
    for event in [
        key(KeyCode::Enter, plain),
        key(KeyCode::Char('j'), plain),
        key(KeyCode::Char('j'), plain),
        key(KeyCode::Char('r'), KeyModifiers::CONTROL),
        key(KeyCode::Char('r'), KeyModifiers::CONTROL),
        key(KeyCode::Char('r'), KeyModifiers::CONTROL),
        key(KeyCode::Char('c'), KeyModifiers::CONTROL),
    ] {
        if events_tx.unbounded_send(event).is_err() {
            panic!("event channel closed");
        }
    }
    let mut terminal = match Terminal::new(TestBackend::new(100, 20)) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    let run = app.run(&mut terminal, events_rx);
    let (exit, app) = match tokio::time::timeout(Duration::from_secs(30), run).await {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => panic!("app error: {e}"),
        Err(_) => panic!("the UI did not quit while the backend hung"),
    };
    assert_eq!(exit, Exit::Quit);
    assert_eq!(app.ui.top().selected_key.as_deref(), Some("ledger-sync"));
    // Three ctrl-r presses while the first calls hang never stack a second request.
    assert!(log.count("ListClusters") <= 1, "{:?}", log.totals());
    assert!(log.count("ListServices") <= 1, "{:?}", log.totals());
}
