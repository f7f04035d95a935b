//! Target health follows the screen, measured with the counting wrapper: DescribeTargetHealth
//! once per target group per 30 s, only for the services whose rows are drawn.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::{Notify, mpsc, watch};

use crate::fixture;
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::elb::ListenerPage;
use ecsdeck::backend::{BackendError, ElbBackend};
use ecsdeck::config::RefreshIntervals;
use ecsdeck::config::theme::Theme;
use ecsdeck::domain::ecs::Service;
use ecsdeck::domain::elb::{LoadBalancer, ServiceLoadBalancer, TargetGroup, TargetHealth};
use ecsdeck::store::{Payload, Resource, Store};
use ecsdeck::views::{View, ViewKind};

const SERVICES: usize = 200;

fn target_group(i: usize) -> String {
    format!("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/svc-{i:03}/{i:016x}")
}

/// A cluster of 200 services, each behind a target group of its own.
fn store() -> Store {
    let services: Vec<Service> = (0..SERVICES)
        .map(|i| Service {
            service_name: format!("svc-{i:03}"),
            status: "ACTIVE".into(),
            load_balancers: vec![ServiceLoadBalancer {
                target_group_arn: Some(target_group(i)),
                container_name: Some("app".into()),
                container_port: Some(8080),
                ..ServiceLoadBalancer::default()
            }],
            ..Service::default()
        })
        .collect();
    let mut store = Store::default();
    store.apply(
        &Resource::Services {
            cluster: "big".into(),
        },
        Ok(Payload::Services(services)),
        fixture::now(),
    );
    store
}

fn target_health_in(focus: &[Resource]) -> BTreeSet<String> {
    focus
        .iter()
        .filter_map(|r| match r {
            Resource::TargetHealth { target_group } => Some(target_group.clone()),
            _ => None,
        })
        .collect()
}

/// The target groups polled after drawing the services view at this size.
fn polled_after_drawing(store: &Store, ui: &mut ecsdeck::state::UiState) -> BTreeSet<String> {
    let mut terminal = Terminal::new(TestBackend::new(120, 46)).expect("terminal");
    terminal
        .draw(|frame| ecsdeck::ui::draw(frame, store, ui, &Theme::default()))
        .expect("draw");
    target_health_in(&ui.focus(store))
}

#[test]
fn only_the_target_groups_of_rows_on_screen_are_polled() {
    let mut store = store();
    let mut ui = fixture::ui();
    ui.stack = vec![View::new(ViewKind::services("big"))];
    // Before the first frame nothing is on screen, so nothing is asked.
    assert!(target_health_in(&ui.focus(&store)).is_empty());
    let first = polled_after_drawing(&store, &mut ui);
    let drawn = ui.top().on_screen.clone();
    assert!(
        drawn.len() >= 30,
        "a 46-line terminal shows {} rows",
        drawn.len()
    );
    let expected: BTreeSet<String> = drawn
        .iter()
        .filter_map(|name| name.strip_prefix("svc-")?.parse::<usize>().ok())
        .map(target_group)
        .collect();
    assert_eq!(first, expected, "exactly the drawn rows' target groups");
    // Off screen, none: the last service is not drawn and not polled.
    assert!(!first.contains(&target_group(SERVICES - 1)));

    // Jump to the bottom: the polled set moves with the rows drawn.
    ecsdeck::update::update(&mut store, &mut ui, fixture::ch('G'));
    let last = polled_after_drawing(&store, &mut ui);
    assert!(last.contains(&target_group(SERVICES - 1)));
    assert!(
        last.is_disjoint(&first),
        "the first page is no longer polled"
    );
}

/// Answers DescribeTargetHealth with one healthy target and records which groups were
/// asked; every other call is an error (none is made: only target health is focused).
#[derive(Default)]
struct TargetsOnly {
    /// Shared with the test, which reads it once the poller has run.
    asked: Arc<Mutex<BTreeSet<String>>>,
}

use crate::support::doubles::unused;

ecs_double!(TargetsOnly, unused);
logs_double!(TargetsOnly, unused);
metrics_double!(TargetsOnly, unused);
ssm_double!(TargetsOnly, unused);
ecr_double!(TargetsOnly, unused);
scaling_double!(TargetsOnly, unused);
autoscaling_double!(TargetsOnly, unused);

#[async_trait]
impl ElbBackend for TargetsOnly {
    async fn describe_target_groups(&self, _: &[String]) -> Result<Vec<TargetGroup>, BackendError> {
        Err(unused("DescribeTargetGroups"))
    }
    async fn describe_load_balancers(
        &self,
        _: &[String],
    ) -> Result<Vec<LoadBalancer>, BackendError> {
        Err(unused("DescribeLoadBalancers"))
    }
    async fn describe_listeners(
        &self,
        _: &str,
        _: Option<String>,
    ) -> Result<ListenerPage, BackendError> {
        Err(unused("DescribeListeners"))
    }
    async fn describe_target_health(&self, arn: &str) -> Result<Vec<TargetHealth>, BackendError> {
        self.asked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(arn.to_string());
        Ok(vec![TargetHealth {
            id: "10.0.0.1".into(),
            port: Some(8080),
            state: "healthy".into(),
            ..TargetHealth::default()
        }])
    }
}

#[tokio::test(start_paused = true)]
async fn forty_target_groups_on_screen_cost_forty_calls_per_30_seconds() {
    let on_screen: Vec<Resource> = (0..40)
        .map(|i| Resource::TargetHealth {
            target_group: target_group(i),
        })
        .collect();
    let targets = TargetsOnly::default();
    let asked = Arc::clone(&targets.asked);
    let backend = CountingBackend::new(targets);
    let log = backend.log();
    let (_focus_tx, focus_rx) = watch::channel(on_screen);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = ecsdeck::poller::spawn(
        Arc::new(backend),
        RefreshIntervals::default(),
        focus_rx,
        Arc::new(Notify::new()),
        tx,
    );
    // Keep the messages flowing so the poller is never blocked on them.
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    // On tokio's paused clock: 0, 30, 60 and 90 s are inside 100 s.
    tokio::time::sleep(Duration::from_secs(100)).await;
    assert_eq!(
        log.count("DescribeTargetHealth"),
        40 * 4,
        "{:?}",
        log.totals()
    );
    assert_eq!(
        log.totals().len(),
        1,
        "nothing else is called: {:?}",
        log.totals()
    );
    let asked = asked.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let expected: BTreeSet<String> = (0..40).map(target_group).collect();
    assert_eq!(asked, expected, "none for the 160 services off screen");
    handle.abort();
    drain.abort();
}
