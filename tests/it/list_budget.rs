//! Cost follows the screen, measured: a 5,000-service cluster and a 5,000-task list behind
//! 80 ms of latency per call, on tokio's paused clock, with the session's real budget and a
//! screen that draws as the app does (its drawn rows are what the poller describes first).
//!
//! These are measurements that fail when the budget is broken: first screen within three
//! round trips, every row listed within 5 s, on-screen rows never older than their interval,
//! and at most 1 ECS request/s on average while the view sits idle.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::{Notify, mpsc, watch};
use tokio::time::Instant;

use crate::fixture;
use ecsdeck::backend::TaskFilter;
use ecsdeck::backend::budget::{Budget, BudgetSettings};
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
use ecsdeck::config::RefreshIntervals;
use ecsdeck::config::theme::Theme;
use ecsdeck::msg::Msg;
use ecsdeck::poller::{self, VisibleRows};
use ecsdeck::state::UiState;
use ecsdeck::store::{Resource, Store};
use ecsdeck::views::{View, ViewKind};

/// The added latency of every ECS call: one round trip.
const ROUND_TRIP: Duration = Duration::from_millis(80);

type Wall = chrono::DateTime<chrono::Utc>;

/// ECS calls by when they were made (tokio time), to measure rates on the paused clock.
type Calls = Arc<Mutex<Vec<(Instant, &'static str)>>>;

/// The demo fleet behind 80 ms per ECS call, recording each call's time.
struct Slow {
    inner: DemoBackend,
    calls: Calls,
}

impl Slow {
    async fn call<T>(&self, op: &'static str, work: impl std::future::Future<Output = T>) -> T {
        self.calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((Instant::now(), op));
        tokio::time::sleep(ROUND_TRIP).await;
        work.await
    }
}

// The other services answer at once: the measurement is of ECS.
/// Body: the call waits one round trip (ECS reads are recorded with their time).
macro_rules! slow {
    ($self:ident, $op:expr, $($call:tt)*) => {
        $self.call($op, $self.inner.$($call)*).await
    };
}

ecs_double!(Slow, slow);
// The other services answer at once: the measurement is of ECS.
logs_double!(Slow, delegate);
metrics_double!(Slow, delegate);
elb_double!(Slow, delegate);
ssm_double!(Slow, delegate);
ecr_double!(Slow, delegate);
scaling_double!(Slow, delegate);
autoscaling_double!(Slow, delegate);

/// The app's side of the measurement: a store fed by the poller's messages, a view drawn on
/// a 120×40 terminal after each one, and the drawn rows published to the poller.
struct Screen {
    /// The wall clock of the poller's ages, moved by tokio's (paused) clock.
    wall: Wall,
    started: Instant,
    store: Store,
    ui: UiState,
    terminal: Terminal<TestBackend>,
    theme: Theme,
    visible: watch::Sender<VisibleRows>,
}

impl Screen {
    fn new(view: ViewKind, visible: watch::Sender<VisibleRows>) -> Screen {
        let mut ui = fixture::ui();
        ui.stack.push(View::new(view));
        Screen {
            wall: chrono::Utc::now(),
            started: Instant::now(),
            store: Store::default(),
            ui,
            terminal: Terminal::new(TestBackend::new(120, 40)).unwrap_or_else(|e| panic!("{e}")),
            theme: Theme::default(),
            visible,
        }
    }

    fn take(&mut self, msg: Msg) {
        // Only what the list says changes the screen's rows (the schedule comes each second);
        // each list update ends with its rows note.
        let redraw = matches!(msg, Msg::FetchNote { .. });
        ecsdeck::update::update(&mut self.store, &mut self.ui, msg);
        if !redraw {
            return;
        }
        let (store, ui, theme) = (&self.store, &mut self.ui, &self.theme);
        let _ = self
            .terminal
            .draw(|frame| ecsdeck::ui::draw(frame, store, ui, theme));
        self.visible.send_replace(self.ui.visible_rows());
    }

    fn on_screen(&self) -> &[String] {
        self.ui.stack.last().map_or(&[], |v| v.on_screen.as_slice())
    }

    /// True when every row drawn has been described (not a placeholder).
    fn screen_described(&self, list: &Resource) -> bool {
        let Some(rows) = self.store.list_rows.get(list) else {
            return false;
        };
        let shown = self.on_screen();
        !shown.is_empty() && shown.iter().all(|k| rows.described_at.contains_key(k))
    }

    /// Rows of the list known (described or listed).
    fn rows_known(&self, list: &Resource) -> usize {
        self.store
            .list_rows
            .get(list)
            .filter(|r| r.listed)
            .map_or(0, |r| r.described_at.len() + r.undescribed.len())
    }

    fn now(&self) -> Wall {
        self.wall + chrono::Duration::from_std(self.started.elapsed()).unwrap_or_default()
    }

    /// True when every row of every list polled (the view's, and the services a tasks
    /// view reads for target groups) has been described once.
    fn all_described(&self, list: &Resource) -> bool {
        self.store.list_rows.contains_key(list)
            && (self.store.list_rows.values()).all(|r| r.listed && r.undescribed.is_empty())
    }

    /// The age in seconds of the oldest row drawn, and of the oldest row of all.
    fn ages(&self, list: &Resource) -> (f64, f64) {
        let now = self.now();
        let Some(rows) = self.store.list_rows.get(list) else {
            return (f64::MAX, f64::MAX);
        };
        let age = |at: Option<chrono::DateTime<chrono::Utc>>| {
            at.map_or(f64::MAX, |t| (now - t).num_milliseconds() as f64 / 1000.0)
        };
        let on_screen = age(rows.oldest(self.on_screen()));
        let all = age(rows.described_at.values().min().copied());
        (on_screen, all)
    }
}

/// Runs the poller on `view` of a 5,000-service cluster until `until` (tokio time after the
/// start); `watch` sees the screen after every message.
struct Run {
    calls: Calls,
    screen: Screen,
    start: Instant,
    rx: mpsc::UnboundedReceiver<Msg>,
    handle: tokio::task::JoinHandle<()>,
}

impl Run {
    fn start(view: ViewKind) -> Run {
        let mut fleet = DemoFleet::generate(7, fixture::now());
        fleet.add_cluster_with_services("big", 5000, fixture::now());
        let calls: Calls = Arc::default();
        let slow = Slow {
            inner: DemoBackend::from_fleet(fleet),
            calls: Arc::clone(&calls),
        };
        let budget = Arc::new(Budget::new(&BudgetSettings::default()));
        let backend = Arc::new(CountingBackend::budgeted(slow, budget));
        let (visible_tx, visible_rx) = watch::channel(VisibleRows::default());
        let screen = Screen::new(view, visible_tx);
        let (_focus_tx, focus_rx) = watch::channel(screen.ui.focus(&screen.store));
        std::mem::forget(_focus_tx);
        let (tx, rx) = mpsc::unbounded_channel();
        let handle = poller::spawn_following(
            backend,
            RefreshIntervals::default(),
            focus_rx,
            visible_rx,
            Arc::new(Notify::new()),
            tx,
        );
        Run {
            calls,
            screen,
            start: Instant::now(),
            rx,
            handle,
        }
    }

    /// Feeds messages to the screen until `done` holds or `limit` has passed; returns when.
    async fn until(
        &mut self,
        limit: Duration,
        mut done: impl FnMut(&Screen) -> bool,
    ) -> Option<Duration> {
        let deadline = self.start + limit;
        loop {
            if done(&self.screen) {
                return Some(self.start.elapsed());
            }
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(msg)) => {
                    // Looked at as the message arrives, before it is applied: the moment a
                    // row is oldest.
                    if done(&self.screen) {
                        return Some(self.start.elapsed());
                    }
                    self.screen.take(msg)
                }
                _ => return None,
            }
        }
    }

    /// ECS calls made in [from, to) after the start, by operation.
    fn calls_between(&self, from: Duration, to: Duration) -> BTreeMap<&'static str, usize> {
        let calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = BTreeMap::new();
        for (at, op) in calls.iter() {
            let t = at.duration_since(self.start);
            if t >= from && t < to {
                *out.entry(*op).or_default() += 1;
            }
        }
        out
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

#[tokio::test(start_paused = true)]
async fn a_5000_service_cluster_draws_its_first_screen_in_three_round_trips() {
    let services = Resource::Services {
        cluster: "big".into(),
    };
    let mut run = Run::start(ViewKind::services("big".to_string()));
    let first_screen = run
        .until(Duration::from_secs(5), |s| s.screen_described(&services))
        .await
        .unwrap_or_else(|| panic!("the first screen was not described within 5 s"));
    println!("first screen of 5,000 services described after {first_screen:?}");
    assert!(
        first_screen <= ROUND_TRIP * 3 + Duration::from_millis(20),
        "first screen after {first_screen:?}, more than 3 round trips"
    );
    let listed = run
        .until(Duration::from_secs(5), |s| s.rows_known(&services) == 5000)
        .await
        .unwrap_or_else(|| panic!("the list was not complete within 5 s"));
    println!("all 5,000 services listed after {listed:?}");
}

/// Fills the list, then leaves the view idle for five minutes: the ECS request rate, the age
/// of the rows on screen (sampled as each message arrives), and of the oldest row.
async fn idle_five_minutes(view: ViewKind, list: &Resource) -> (f64, f64, f64) {
    let mut run = Run::start(view);
    let filled = run
        .until(Duration::from_secs(1800), |s| s.all_described(list))
        .await
        .unwrap_or_else(|| panic!("not every row was described within 30 minutes"));
    println!("{list:?}: every row described once after {filled:?}");
    let from = run.start.elapsed();
    let mut worst_on_screen: f64 = 0.0;
    let mut worst_all: f64 = 0.0;
    run.until(from + Duration::from_secs(300), |s| {
        let (on_screen, all) = s.ages(list);
        worst_on_screen = worst_on_screen.max(on_screen);
        worst_all = worst_all.max(all);
        false
    })
    .await;
    let calls = run.calls_between(from, from + Duration::from_secs(300));
    let total: usize = calls.values().sum();
    let rate = total as f64 / 300.0;
    println!(
        "{list:?} idle 5 min: {total} ECS calls ({rate:.2}/s) {calls:?}; oldest row on screen \
         {worst_on_screen:.1} s, oldest row of all {worst_all:.0} s"
    );
    (rate, worst_on_screen, worst_all)
}

#[tokio::test(start_paused = true)]
async fn a_5000_service_view_left_idle_costs_at_most_one_ecs_request_a_second() {
    let services = Resource::Services {
        cluster: "big".into(),
    };
    let (rate, on_screen, _) =
        idle_five_minutes(ViewKind::services("big".to_string()), &services).await;
    assert!(rate <= 1.0, "{rate:.2} ECS requests/s while idle");
    // The interval (5 s), plus the round trip and the wait for the next message.
    assert!(
        on_screen <= 5.0 + 1.2,
        "a row on screen was {on_screen:.1} s old"
    );
}

#[tokio::test(start_paused = true)]
async fn a_5000_task_view_left_idle_costs_at_most_one_ecs_request_a_second() {
    let tasks = Resource::Tasks {
        cluster: "big".into(),
        filter: TaskFilter::default(),
    };
    let view = ecsdeck::views::tasks::Tasks {
        cluster: "big".into(),
        service: None,
        instance: None,
    };
    let (rate, on_screen, all) = idle_five_minutes(view.into(), &tasks).await;
    assert!(rate <= 1.0, "{rate:.2} ECS requests/s while idle");
    assert!(
        on_screen <= 5.0 + 1.2,
        "a row on screen was {on_screen:.1} s old"
    );
    // 5,000 tasks are 50 pages and 50 describes a round, which the idle rate (shared with
    // the 5,000 services the view reads for target groups) affords in a few minutes: no row
    // is left behind. (60 s for every row would take ~1.7 requests/s for the tasks alone.)
    assert!(all <= 600.0, "the oldest task was {all:.0} s old");
}

#[test]
fn a_row_listed_but_not_described_is_drawn_as_a_placeholder_and_says_so_when_acted_on() {
    use ecsdeck::store::list_rows::ListRows;
    use ecsdeck::store::{FetchNote, Payload};
    let services = Resource::Services {
        cluster: "big".into(),
    };
    let mut store = Store::default();
    store.apply(&services, Ok(Payload::Services(Vec::new())), fixture::now());
    let rows = ListRows {
        undescribed: vec!["arn:aws:ecs:eu-west-1:123456789012:service/big/svc-0001".into()],
        described_at: Default::default(),
        listed: false,
    };
    store.note(&services, &FetchNote::Rows(Arc::new(rows)));
    let mut ui = fixture::ui();
    ui.stack
        .push(View::new(ViewKind::services("big".to_string())));
    let table = ui.top().rows(&ui.row_context(&store)).expect("a table");
    let cells: Vec<&str> = table.rows[0]
        .cells
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(cells[0], "svc-0001");
    assert!(cells[1..].iter().all(|c| *c == "…"), "{cells:?}");
    // Still loading: the list is not complete and the row on screen is not described.
    let freshness = ui.top().freshness(&store);
    assert!(freshness.loading);
    // Scaling it says why nothing opens.
    fixture::feed(&mut store, &mut ui, vec![fixture::ch('s')]);
    let status = ui
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        status.contains("svc-0001 is listed but not described yet"),
        "{status}"
    );
    assert!(ui.dialog.is_none());
}
