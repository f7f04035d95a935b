//! Service auto scaling on the demo fleet, through `update` and the executor: what the
//! detail pane shows (and its snapshot), the min / max bad-input matrix, suspend / resume,
//! read-only at the key and at the executor, exactly the calls expected (counting wrapper),
//! pending until the target shows the change, the scale dialog's widening, and the budget
//! (every 60 s, only while the detail pane is open).

use std::sync::Arc;

use chrono::Utc;
use crossterm::event::KeyCode;

use crate::fixture::{ch, feed, key, now, type_text, ui};
use ecsdeck::backend::Backend;
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
use ecsdeck::domain::journal::ActionResult;
use ecsdeck::domain::mutation::Mutation;
use ecsdeck::domain::pending::PendingState;
use ecsdeck::domain::scaling::{ScalingDirection, Suspended};
use ecsdeck::executor::{self, ActionContext};
use ecsdeck::msg::{Command, Msg};
use ecsdeck::poller;
use ecsdeck::state::dialog::Dialog;
use ecsdeck::state::{StatusLevel, UiState};
use ecsdeck::store::{Resource, Store};
use ecsdeck::views::View;
use ecsdeck::views::detail::Detail;
use ecsdeck::views::services::Services;

const PROD: &str = "prod-payments";
/// The demo's hot service: a 2..20 target, a CPU policy, a morning of scale-outs.
const HOT: &str = "fraud-scorer";

fn demo() -> DemoBackend {
    DemoBackend::from_fleet(DemoFleet::generate(7, now()))
}

/// Fetches what the open views ask for (their own and derived resources) until nothing new
/// is asked: what the poller would have fetched by the time the screen settles.
async fn settle(backend: &dyn Backend, store: &mut Store, ui: &UiState) {
    let mut done: Vec<Resource> = Vec::new();
    loop {
        let wanted: Vec<Resource> = (ui.focus(store).into_iter())
            .filter(|r| !done.contains(r) && !matches!(r, Resource::ServiceDetail { .. }))
            .collect();
        if wanted.is_empty() {
            return;
        }
        for resource in wanted {
            let result = poller::fetch_resource(backend, &resource).await;
            store.apply(&resource, result, Utc::now());
            done.push(resource);
        }
    }
}

fn on_detail(service: &str) -> UiState {
    let mut ui = ui();
    ui.stack = vec![
        View::new(ecsdeck::views::ViewKind::clusters()),
        View::new(Services {
            cluster: PROD.into(),
        }),
        View::new(Detail {
            cluster: PROD.into(),
            service: service.into(),
        }),
    ];
    ui
}

async fn detail_of(backend: &dyn Backend, service: &str) -> (Store, UiState) {
    let mut store = Store::default();
    let ui = on_detail(service);
    settle(backend, &mut store, &ui).await;
    (store, ui)
}

fn mutations(cmds: &[Command]) -> Vec<(u64, Mutation)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::Mutate { id, mutation, .. } => Some((*id, mutation.clone())),
            _ => None,
        })
        .collect()
}

/// `a`, the field cleared, `text` typed, enter.
fn range_typed(text: &str) -> Vec<Msg> {
    let mut keys = vec![ch('a'), key(KeyCode::End)];
    keys.extend((0..12).map(|_| key(KeyCode::Backspace)));
    keys.extend(type_text(text));
    keys.push(key(KeyCode::Enter));
    keys
}

fn writable() -> ActionContext {
    ActionContext {
        read_only: false,
        region: "eu-west-1".into(),
        ..ActionContext::default()
    }
}

#[tokio::test]
async fn the_detail_pane_asks_for_auto_scaling_only_when_there_is_a_target() {
    let backend = demo();
    let (store, ui) = detail_of(&backend, HOT).await;
    let focus = ui.focus(&store);
    for wanted in ["ScalingPolicies", "ScheduledActions", "ScalingActivities"] {
        assert!(
            focus.iter().any(|r| format!("{r:?}").starts_with(wanted)),
            "{wanted} missing from {focus:?}"
        );
    }
    // A production service without a target: the target is asked (and says none), no more.
    let (store, ui) = detail_of(&backend, "ledger-sync").await;
    assert_eq!(store.scalable_target(PROD, "ledger-sync"), Some(None));
    let focus = ui.focus(&store);
    assert!(
        !focus
            .iter()
            .any(|r| matches!(r, Resource::ScalingPolicies { .. })),
        "{focus:?}"
    );
    // Leaving the pane: nothing of it is asked any more.
    let mut ui = ui;
    ui.pop_view();
    assert!(
        !ui.focus(&store)
            .iter()
            .any(|r| matches!(r, Resource::ScalableTarget { .. })),
    );
}

#[tokio::test]
async fn the_detail_pane_shows_range_policies_schedule_and_activities() {
    let backend = demo();
    let (store, mut ui) = detail_of(&backend, "web-frontend").await;
    let screen = crate::snapshots::render(&store, &mut ui, 150, 48);
    for expected in [
        "Auto scaling min 6 · max 30 · suspended: none",
        "target tracking: ECSServiceAverageCPUUtilization",
        "business-hours-floor cron(0 7 ? * MON-FRI *) Europe/Dublin",
        "night-floor cron(0 20 ? * * *) UTC",
        "Scaling activities (newest 20)",
    ] {
        assert!(screen.contains(expected), "{expected:?} not in\n{screen}");
    }
    let (store, mut ui) = detail_of(&backend, HOT).await;
    let screen = crate::snapshots::render(&store, &mut ui, 150, 48);
    assert!(screen.contains("Failed"), "{screen}");
    assert!(screen.contains("Rate exceeded"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[tokio::test]
async fn range_bad_input_matrix_changes_nothing() {
    let backend = demo();
    let (mut store, mut ui) = detail_of(&backend, HOT).await;
    for input in [
        "", "5", "a b", "-1 4", "1 -4", "9 4", "1 2 3", "1.5 4", "2 5001", "x", "2 20",
    ] {
        let cmds = feed(&mut store, &mut ui, range_typed(input));
        assert!(cmds.is_empty(), "{input:?} sent {cmds:?}");
        match &ui.dialog {
            Some(Dialog::ScalingRange(d)) => {
                assert!(d.error.is_some(), "{input:?}: no reason given")
            }
            other => panic!("{input:?}: expected the field to stay open, got {other:?}"),
        }
        assert!(mutations(&feed(&mut store, &mut ui, vec![ch('y')])).is_empty());
        feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
        assert!(ui.dialog.is_none());
    }
    feed(&mut store, &mut ui, range_typed("9 4"));
    let Some(Dialog::ScalingRange(d)) = &ui.dialog else {
        panic!("{:?}", ui.dialog);
    };
    assert_eq!(
        d.error.as_deref(),
        Some("The minimum (9) is above the maximum (4): the minimum comes first.")
    );
}

#[tokio::test]
async fn a_range_change_is_confirmed_sent_once_and_pending_until_the_target_shows_it() {
    let backend = CountingBackend::new(demo());
    let log = backend.log();
    let (mut store, mut ui) = detail_of(&backend, HOT).await;
    feed(&mut store, &mut ui, range_typed("3 25"));
    let Some(Dialog::Confirm(confirm)) = &ui.dialog else {
        panic!("{:?}", ui.dialog);
    };
    let cli = confirm.mutation.cli(None, "eu-west-1");
    assert_eq!(
        cli,
        [
            "aws application-autoscaling register-scalable-target --service-namespace ecs --scalable-dimension ecs:service:DesiredCount --resource-id service/prod-payments/fraud-scorer --min-capacity 3 --max-capacity 25 --region eu-west-1"
        ]
    );
    let cmds = feed(&mut store, &mut ui, vec![ch('y')]);
    let sent = mutations(&cmds);
    assert_eq!(sent.len(), 1);
    assert_eq!(ui.pending.len(), 1);
    assert_eq!(ui.pending[0].key, "service/prod-payments/fraud-scorer");
    assert_eq!(ui.pending[0].label, "range → 3..25");
    // A second change on the same target while the first is being sent: refused.
    feed(&mut store, &mut ui, vec![ch('i')]);
    assert!(ui.dialog.is_none());

    log.reset();
    let (id, mutation) = sent.into_iter().next().unwrap();
    let executed = executor::execute(&backend, &writable(), &mutation, None).await;
    assert_eq!(executed.entry.result, ActionResult::Done);
    assert_eq!(log.count("RegisterScalableTarget"), 1);
    assert_eq!(log.totals().values().sum::<u64>(), 1, "{:?}", log.totals());
    feed(
        &mut store,
        &mut ui,
        vec![Msg::MutationDone {
            id,
            mutation,
            executed,
        }],
    );
    assert!(matches!(ui.pending[0].state, PendingState::Watching(_)));
    assert!(
        store.journal[0]
            .change
            .contains("auto scaling range 2..20 → 3..25")
    );
    ui.now = Utc::now();
    let resource = Resource::ScalableTarget {
        cluster: PROD.into(),
        service: HOT.into(),
    };
    let result = poller::fetch_resource(&backend, &resource).await;
    feed(
        &mut store,
        &mut ui,
        vec![Msg::Fetched {
            resource,
            result,
            at: Utc::now() + chrono::Duration::seconds(1),
        }],
    );
    assert!(ui.pending.is_empty(), "{:?}", ui.pending);
    let target = store.scalable_target(PROD, HOT).flatten().unwrap();
    assert_eq!((target.min_capacity, target.max_capacity), (3, 25));
}

#[tokio::test]
async fn suspend_and_resume_send_the_whole_state_once_each() {
    let backend = CountingBackend::new(demo());
    let log = backend.log();
    let (mut store, mut ui) = detail_of(&backend, HOT).await;
    for (letter, direction) in [('i', ScalingDirection::In), ('o', ScalingDirection::Out)] {
        let target = store.scalable_target(PROD, HOT).flatten().unwrap();
        let cmds = feed(&mut store, &mut ui, vec![ch(letter), ch('y')]);
        let sent = mutations(&cmds);
        let [(_, mutation)] = sent.as_slice() else {
            panic!("{letter}: {sent:?}");
        };
        let Mutation::SetScalingSuspended {
            suspend, suspended, ..
        } = mutation
        else {
            panic!("{mutation:?}");
        };
        assert!(*suspend, "{letter} suspends what runs");
        assert_eq!(*suspended, direction.set(target.suspended, true));
        log.reset();
        let executed = executor::execute(&backend, &writable(), mutation, None).await;
        assert_eq!(executed.entry.result, ActionResult::Done);
        assert_eq!(log.totals().values().sum::<u64>(), 1, "{:?}", log.totals());
        ui.pending.clear();
        settle_target(&backend, &mut store).await;
    }
    let both = Suspended {
        dynamic_in: true,
        dynamic_out: true,
        scheduled: false,
    };
    assert_eq!(
        store
            .scalable_target(PROD, HOT)
            .flatten()
            .unwrap()
            .suspended,
        both
    );
    // Pressed again: resume.
    let cmds = feed(&mut store, &mut ui, vec![ch('i')]);
    assert!(cmds.is_empty());
    let Some(Dialog::Confirm(confirm)) = &ui.dialog else {
        panic!("{:?}", ui.dialog);
    };
    assert!(
        confirm
            .mutation
            .describe()
            .ends_with("resume dynamic scale-in")
    );
    assert!(
        confirm.mutation.cli(None, "r")[0].contains(
            "--suspended-state DynamicScalingInSuspended=false,DynamicScalingOutSuspended=true,ScheduledScalingSuspended=false"
        )
    );
}

async fn settle_target(backend: &dyn Backend, store: &mut Store) {
    let resource = Resource::ScalableTarget {
        cluster: PROD.into(),
        service: HOT.into(),
    };
    let result = poller::fetch_resource(backend, &resource).await;
    store.apply(&resource, result, Utc::now());
}

#[tokio::test]
async fn read_only_refuses_at_the_key_and_at_the_executor() {
    let backend = CountingBackend::new(demo());
    let log = backend.log();
    let (mut store, mut ui) = detail_of(&backend, HOT).await;
    ui.settings.read_only = true;
    log.reset();
    for letter in ['a', 'i', 'o'] {
        let cmds = feed(&mut store, &mut ui, vec![ch(letter)]);
        let status = ui.status.clone().unwrap();
        assert_eq!(status.level, StatusLevel::Warning);
        assert!(status.text.starts_with("Read-only"), "{}", status.text);
        let more = feed(&mut store, &mut ui, vec![ch('y')]);
        assert!(
            cmds.is_empty() && more.is_empty() && ui.dialog.is_none(),
            "{letter}"
        );
    }
    let refused = ActionContext {
        read_only: true,
        ..writable()
    };
    let (cluster, service) = (PROD.to_string(), HOT.to_string());
    for mutation in [
        Mutation::SetScalingRange {
            cluster: cluster.clone(),
            service: service.clone(),
            from: (2, 20),
            to: (1, 2),
        },
        Mutation::SetScalingSuspended {
            cluster: cluster.clone(),
            service: service.clone(),
            direction: ScalingDirection::Out,
            suspend: true,
            suspended: ScalingDirection::Out.set(Suspended::default(), true),
        },
        Mutation::ScaleWidening {
            cluster,
            service,
            from: 8,
            to: 30,
            range_from: (2, 20),
            range_to: (2, 30),
        },
    ] {
        let executed = executor::execute(&backend, &refused, &mutation, None).await;
        assert_eq!(executed.entry.result, ActionResult::Refused, "{mutation:?}");
    }
    assert!(log.totals().is_empty(), "{:?}", log.totals());
}

/// The services list, session-service (4..6) filtered, `s`, `count` typed, enter: the
/// confirmation with its auto scaling target read.
async fn scale_session_service(backend: &dyn Backend, count: char) -> (Store, UiState) {
    let mut store = Store::default();
    let mut ui = on_detail("session-service");
    ui.pop_view();
    settle(backend, &mut store, &ui).await;
    let mut keys = vec![ch('/')];
    keys.extend(type_text("session-service"));
    keys.extend([key(KeyCode::Enter), ch('s'), key(KeyCode::End)]);
    keys.extend((0..4).map(|_| key(KeyCode::Backspace)));
    keys.extend([ch(count), key(KeyCode::Enter)]);
    feed(&mut store, &mut ui, keys);
    settle(backend, &mut store, &ui).await;
    (store, ui)
}

#[tokio::test]
async fn a_scale_outside_the_range_offers_to_widen_it_first_in_two_calls() {
    let backend = CountingBackend::new(demo());
    let log = backend.log();
    // session-service scales between 4 and 6: 9 is outside.
    let (mut store, mut ui) = scale_session_service(&backend, '9').await;
    let Some(Dialog::Confirm(confirm)) = &ui.dialog else {
        panic!("{:?}", ui.dialog);
    };
    assert!(matches!(confirm.mutation, Mutation::Scale { to: 9, .. }));
    let screen = crate::snapshots::render(&store, &mut ui, 120, 20);
    assert!(
        screen.contains("w widen the auto scaling range first"),
        "{screen}"
    );

    feed(&mut store, &mut ui, vec![ch('w')]);
    let Some(Dialog::Confirm(confirm)) = &ui.dialog else {
        panic!("{:?}", ui.dialog);
    };
    let Mutation::ScaleWidening {
        range_from,
        range_to,
        to,
        ..
    } = confirm.mutation
    else {
        panic!("{:?}", confirm.mutation);
    };
    assert_eq!((range_from, range_to, to), ((4, 6), (4, 9), 9));
    let cli = confirm.mutation.cli(None, "eu-west-1");
    assert!(cli[0].contains("register-scalable-target") && cli[0].contains("--max-capacity 9"));
    assert!(cli[1].contains("update-service") && cli[1].contains("--desired-count 9"));
    let screen = crate::snapshots::render(&store, &mut ui, 120, 24);
    insta::assert_snapshot!("widening_scale_confirmation", screen);
    // `w` again takes it back; once more widens again.
    feed(&mut store, &mut ui, vec![ch('w')]);
    let Some(Dialog::Confirm(confirm)) = &ui.dialog else {
        panic!();
    };
    assert!(matches!(confirm.mutation, Mutation::Scale { .. }));
    let cmds = feed(&mut store, &mut ui, vec![ch('w'), ch('y')]);
    let sent = mutations(&cmds);
    let [(_, mutation)] = sent.as_slice() else {
        panic!("{sent:?}");
    };
    let labels: Vec<&str> = ui.pending.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["scaling → 9", "range → 4..9"]);
    log.reset();
    let executed = executor::execute(&backend, &writable(), mutation, None).await;
    assert_eq!(executed.entry.result, ActionResult::Done);
    assert_eq!(log.count("RegisterScalableTarget"), 1);
    assert_eq!(log.count("UpdateService"), 1);
    assert_eq!(log.totals().values().sum::<u64>(), 2, "{:?}", log.totals());
}

#[tokio::test]
async fn widening_is_refused_when_the_count_is_inside_the_range() {
    let backend = demo();
    let (mut store, mut ui) = scale_session_service(&backend, '5').await;
    feed(&mut store, &mut ui, vec![ch('w')]);
    let Some(Dialog::Confirm(confirm)) = &ui.dialog else {
        panic!("{:?}", ui.dialog);
    };
    assert!(matches!(confirm.mutation, Mutation::Scale { to: 5, .. }));
    assert_eq!(
        confirm.error.as_deref(),
        Some("5 is inside the auto scaling range 4..6: nothing to widen.")
    );
}

#[tokio::test(start_paused = true)]
async fn auto_scaling_is_polled_every_60_seconds_only_while_the_detail_pane_is_open() {
    let backend = Arc::new(CountingBackend::new(demo()));
    let log = backend.log();
    let scaling = |service: &str| {
        let (cluster, service) = (PROD.to_string(), service.to_string());
        vec![
            Resource::ScalableTarget {
                cluster: cluster.clone(),
                service: service.clone(),
            },
            Resource::ScalingPolicies {
                cluster: cluster.clone(),
                service: service.clone(),
            },
            Resource::ScheduledActions {
                cluster: cluster.clone(),
                service: service.clone(),
            },
            Resource::ScalingActivities { cluster, service },
        ]
    };
    // The detail pane of a scaled service open for 10 minutes: once at opening, then every
    // 60 s — 4 calls a minute (policies and scheduled actions fit one page each).
    crate::fixture::poll_for(Arc::clone(&backend), scaling(HOT), 599).await;
    for operation in [
        "DescribeScalableTargets",
        "DescribeScalingPolicies",
        "DescribeScheduledActions",
        "DescribeScalingActivities",
    ] {
        assert_eq!(log.count(operation), 10, "{operation}: {:?}", log.totals());
    }
    assert_eq!(log.totals().values().sum::<u64>(), 40);
    // Spot interruptions of a FARGATE_SPOT service: one ListTasks (and one DescribeTasks
    // when any stopped) a minute.
    log.reset();
    let spot = Resource::SpotInterruptions {
        cluster: "staging".into(),
        service: "checkout-api".into(),
    };
    crate::fixture::poll_for(Arc::clone(&backend), vec![spot], 599).await;
    assert_eq!(log.count("ListTasks"), 10, "{:?}", log.totals());
    assert!(log.count("DescribeTasks") <= 10, "{:?}", log.totals());
    // Closed: not one more.
    log.reset();
    crate::fixture::poll_for(Arc::clone(&backend), vec![Resource::Clusters], 599).await;
    assert_eq!(log.count("DescribeScalableTargets"), 0);
    assert_eq!(log.count("ListTasks"), 0);
}

#[tokio::test]
async fn the_spot_count_is_in_the_detail_pane_of_a_spot_service() {
    let backend = demo();
    let mut store = Store::default();
    let mut ui = ui();
    ui.stack = vec![
        View::new(ecsdeck::views::ViewKind::clusters()),
        View::new(Detail {
            cluster: "staging".into(),
            service: "checkout-api".into(),
        }),
    ];
    settle(&backend, &mut store, &ui).await;
    assert!(
        ui.focus(&store)
            .iter()
            .any(|r| matches!(r, Resource::SpotInterruptions { .. }))
    );
    let screen = crate::snapshots::render(&store, &mut ui, 150, 48);
    assert!(screen.contains("interrupted in the last hour"), "{screen}");
}
