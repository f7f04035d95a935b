//! The API budget and the never-blocking UI, measured with the counting wrapper:
//! complete lists at the API maximum batch sizes, only focused resources polled, one request
//! per resource in flight, and a UI that keeps working while a call hangs.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::{Notify, mpsc, watch};

use crate::fixture;
use ecsdeck::app::{App, Exit};
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
use ecsdeck::backend::{BackendError, EcsBackend, Page, ServiceUpdate, TaskFilter};
use ecsdeck::config::RefreshIntervals;
use ecsdeck::config::theme::Theme;
use ecsdeck::domain::ecs::{Cluster, Service, Task, TaskDefinition};
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

#[async_trait]
impl EcsBackend for HangingBackend {
    async fn execute_command(
        &self,
        _: &ecsdeck::backend::ExecRequest,
    ) -> Result<ecsdeck::backend::ExecSession, BackendError> {
        std::future::pending().await
    }
    async fn describe_container_instances(
        &self,
        _: &str,
        _: &[String],
    ) -> Result<Vec<ecsdeck::domain::ecs::ContainerInstance>, BackendError> {
        std::future::pending().await
    }
    async fn describe_capacity_providers(
        &self,
        _: &[String],
        _: Option<String>,
    ) -> Result<ecsdeck::backend::CapacityProviderPage, BackendError> {
        std::future::pending().await
    }
    async fn list_clusters(&self, _: Option<String>) -> Result<Page, BackendError> {
        std::future::pending().await
    }
    async fn describe_clusters(&self, _: &[String]) -> Result<Vec<Cluster>, BackendError> {
        std::future::pending().await
    }
    async fn list_services(&self, _: &str, _: Option<String>) -> Result<Page, BackendError> {
        std::future::pending().await
    }
    async fn describe_services(&self, _: &str, _: &[String]) -> Result<Vec<Service>, BackendError> {
        std::future::pending().await
    }
    async fn list_tasks(
        &self,
        _: &str,
        _: &TaskFilter,
        _: Option<String>,
    ) -> Result<Page, BackendError> {
        std::future::pending().await
    }
    async fn describe_tasks(&self, _: &str, _: &[String]) -> Result<Vec<Task>, BackendError> {
        std::future::pending().await
    }
    async fn describe_task_definition(&self, _: &str) -> Result<TaskDefinition, BackendError> {
        std::future::pending().await
    }
    async fn list_task_definition_families(&self, _: Option<String>) -> Result<Page, BackendError> {
        std::future::pending().await
    }
    async fn list_container_instances(
        &self,
        _: &str,
        _: Option<String>,
    ) -> Result<Page, BackendError> {
        std::future::pending().await
    }
    async fn update_container_instances_state(
        &self,
        _: &str,
        _: &[String],
        _: ecsdeck::backend::InstanceStatus,
    ) -> Result<Vec<ecsdeck::domain::ecs::ContainerInstance>, BackendError> {
        std::future::pending().await
    }
    async fn describe_raw(
        &self,
        _: &ecsdeck::backend::RawTarget,
    ) -> Result<serde_json::Value, BackendError> {
        std::future::pending().await
    }
    async fn list_task_definitions(
        &self,
        _: &str,
        _: Option<String>,
    ) -> Result<Page, BackendError> {
        std::future::pending().await
    }
    async fn update_service(&self, _: &ServiceUpdate) -> Result<Service, BackendError> {
        std::future::pending().await
    }
    async fn stop_task(&self, _: &str, _: &str, _: &str) -> Result<Task, BackendError> {
        std::future::pending().await
    }
}

#[async_trait]
impl ecsdeck::backend::LogsBackend for HangingBackend {
    async fn get_log_events(
        &self,
        _: &str,
        _: &str,
        _: Option<chrono::DateTime<chrono::Utc>>,
        _: Option<String>,
    ) -> Result<ecsdeck::backend::logs::LogEventsPage, BackendError> {
        std::future::pending().await
    }
    async fn filter_log_events(
        &self,
        _: &str,
        _: &[String],
        _: chrono::DateTime<chrono::Utc>,
        _: Option<chrono::DateTime<chrono::Utc>>,
        _: Option<String>,
    ) -> Result<ecsdeck::backend::logs::LogEventsPage, BackendError> {
        std::future::pending().await
    }
    async fn start_live_tail(
        &self,
        _: &ecsdeck::backend::logs::LiveTailRequest,
    ) -> Result<ecsdeck::backend::logs::LiveTailSession, BackendError> {
        std::future::pending().await
    }
}

#[async_trait]
impl ecsdeck::backend::MetricsBackend for HangingBackend {
    async fn get_metric_data(
        &self,
        _: &[ecsdeck::backend::metrics::MetricQuery],
        _: chrono::DateTime<chrono::Utc>,
        _: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<ecsdeck::backend::metrics::MetricSeries>, BackendError> {
        std::future::pending().await
    }
    async fn describe_alarms(
        &self,
        _: bool,
        _: Option<String>,
    ) -> Result<ecsdeck::backend::metrics::AlarmPage, BackendError> {
        std::future::pending().await
    }
}

#[async_trait]
impl ecsdeck::backend::ElbBackend for HangingBackend {
    async fn describe_target_groups(
        &self,
        _: &[String],
    ) -> Result<Vec<ecsdeck::domain::elb::TargetGroup>, BackendError> {
        std::future::pending().await
    }
    async fn describe_load_balancers(
        &self,
        _: &[String],
    ) -> Result<Vec<ecsdeck::domain::elb::LoadBalancer>, BackendError> {
        std::future::pending().await
    }
    async fn describe_listeners(
        &self,
        _: &str,
        _: Option<String>,
    ) -> Result<ecsdeck::backend::elb::ListenerPage, BackendError> {
        std::future::pending().await
    }
    async fn describe_target_health(
        &self,
        _: &str,
    ) -> Result<Vec<ecsdeck::domain::elb::TargetHealth>, BackendError> {
        std::future::pending().await
    }
}

#[async_trait]
impl ecsdeck::backend::SsmBackend for HangingBackend {
    async fn start_session(
        &self,
        _: &ecsdeck::backend::ssm::StartSession,
    ) -> Result<ecsdeck::backend::ExecSession, BackendError> {
        std::future::pending().await
    }
    async fn terminate_session(&self, _: &str) -> Result<(), BackendError> {
        std::future::pending().await
    }
}

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

#[async_trait]
impl ecsdeck::backend::AutoScalingBackend for HangingBackend {
    async fn describe_auto_scaling_groups(
        &self,
        _: &[String],
        _: Option<String>,
    ) -> Result<ecsdeck::backend::autoscaling::AutoScalingGroupPage, BackendError> {
        std::future::pending().await
    }
}

#[async_trait]
impl ecsdeck::backend::EcrBackend for HangingBackend {
    async fn describe_images(
        &self,
        _: &str,
        _: &str,
        _: &[String],
    ) -> Result<Vec<ecsdeck::domain::image::EcrImage>, BackendError> {
        std::future::pending().await
    }
}

#[async_trait]
impl ecsdeck::backend::ScalingBackend for HangingBackend {
    async fn describe_scalable_targets(
        &self,
        _: &str,
        _: &str,
    ) -> Result<Option<ecsdeck::backend::ScalableTarget>, BackendError> {
        std::future::pending().await
    }
    async fn describe_scaling_policies(
        &self,
        _: &str,
        _: &str,
        _: Option<String>,
    ) -> Result<
        ecsdeck::backend::scaling::Listed<ecsdeck::domain::scaling::ScalingPolicy>,
        BackendError,
    > {
        std::future::pending().await
    }
    async fn describe_scheduled_actions(
        &self,
        _: &str,
        _: &str,
        _: Option<String>,
    ) -> Result<
        ecsdeck::backend::scaling::Listed<ecsdeck::domain::scaling::ScheduledAction>,
        BackendError,
    > {
        std::future::pending().await
    }
    async fn describe_scaling_activities(
        &self,
        _: &str,
        _: &str,
        _: usize,
    ) -> Result<Vec<ecsdeck::domain::scaling::ScalingActivity>, BackendError> {
        std::future::pending().await
    }
    async fn register_scalable_target(
        &self,
        _: &str,
        _: &str,
        _: &ecsdeck::backend::scaling::TargetChange,
    ) -> Result<(), BackendError> {
        std::future::pending().await
    }
}
