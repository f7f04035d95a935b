//! Render snapshots of every view, the help screen and the error state, on a TestBackend with
//! a fixed clock. Review changes with `cargo insta review` (or read the .snap diff).

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixture::*;
use ecsdeck::backend::{BackendError, ErrorKind};
use ecsdeck::config::theme::Theme;
use ecsdeck::msg::Msg;
use ecsdeck::state::UiState;
use ecsdeck::store::{Resource, Store};

pub(crate) fn render(store: &Store, ui: &mut UiState, width: u16, height: u16) -> String {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(e) => panic!("test terminal: {e}"),
    };
    let theme = Theme::default();
    if let Err(e) = terminal.draw(|f| ecsdeck::ui::draw(f, store, ui, &theme)) {
        panic!("draw: {e}");
    }
    terminal.backend().to_string()
}

fn at(keys: Vec<Msg>) -> (Store, UiState) {
    let (mut store, mut ui) = (store(), ui());
    feed(&mut store, &mut ui, keys);
    (store, ui)
}

#[test]
fn clusters_view() {
    let (store, mut ui) = at(vec![]);
    insta::assert_snapshot!(render(&store, &mut ui, 100, 12));
}

#[test]
fn services_view() {
    let (store, mut ui) = at(vec![key(KeyCode::Enter)]);
    insta::assert_snapshot!(render(&store, &mut ui, 120, 12));
}

#[test]
fn services_view_at_80x24() {
    let (store, mut ui) = at(vec![key(KeyCode::Enter)]);
    insta::assert_snapshot!(render(&store, &mut ui, 80, 24));
}

#[test]
fn services_view_filtered() {
    let (store, mut ui) = at(vec![key(KeyCode::Enter), ch('/'), ch('s'), ch('c')]);
    insta::assert_snapshot!(render(&store, &mut ui, 120, 10));
}

#[test]
fn tasks_of_a_service() {
    let (store, mut ui) = at(vec![key(KeyCode::Enter), key(KeyCode::Enter)]);
    insta::assert_snapshot!(render(&store, &mut ui, 120, 10));
}

#[test]
fn stopped_tasks_of_a_service() {
    let (store, mut ui) = at(vec![key(KeyCode::Enter), key(KeyCode::Enter), ch('x')]);
    let screen = render(&store, &mut ui, 120, 10);
    // The escape sequence in the stopped reason is neutralised.
    assert!(!screen.contains('\x1b'));
    insta::assert_snapshot!(screen);
}

#[test]
fn tasks_of_a_cluster() {
    let keys = command("tasks prod");
    let (store, mut ui) = at(keys);
    insta::assert_snapshot!(render(&store, &mut ui, 120, 10));
}

#[test]
fn containers_of_a_task() {
    let (store, mut ui) = at(vec![
        key(KeyCode::Enter),
        key(KeyCode::Enter),
        key(KeyCode::Enter),
    ]);
    insta::assert_snapshot!(render(&store, &mut ui, 160, 10));
}

#[test]
fn describe_service() {
    let (store, mut ui) = at(vec![key(KeyCode::Enter), ch('d')]);
    insta::assert_snapshot!(render(&store, &mut ui, 100, 24));
}

#[test]
fn task_definition_json() {
    let (store, mut ui) = at(vec![key(KeyCode::Enter), ch('t'), ch('j'), ch('j')]);
    insta::assert_snapshot!(render(&store, &mut ui, 100, 24));
}

#[test]
fn help_screen() {
    let (store, mut ui) = at(vec![ch('?')]);
    insta::assert_snapshot!(render(&store, &mut ui, 100, 30));
}

#[test]
fn error_keeps_last_good_data_with_its_age() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter)]);
    feed(
        &mut store,
        &mut ui,
        vec![Msg::Fetched {
            resource: Resource::Services {
                cluster: "prod".into(),
            },
            result: Err(BackendError::new(
                ErrorKind::Credentials,
                "ListServices",
                "the SSO session has expired",
            )),
            at: now(),
        }],
    );
    ui.now = now() + chrono::Duration::seconds(120);
    insta::assert_snapshot!(render(&store, &mut ui, 120, 12));
}

#[test]
fn unknown_command_message_and_read_only_header() {
    let keys = command("deploy");
    let (store, mut ui) = at(keys);
    ui.settings.read_only = true;
    insta::assert_snapshot!(render(&store, &mut ui, 100, 8));
}

#[test]
fn rows_are_coloured_by_health() {
    let (store, mut ui) = at(vec![key(KeyCode::Enter)]);
    let mut terminal = match Terminal::new(TestBackend::new(120, 12)) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    let theme = Theme::default();
    if let Err(e) = terminal.draw(|f| ecsdeck::ui::draw(f, &store, &mut ui, &theme)) {
        panic!("{e}");
    }
    let buffer = terminal.backend().buffer().clone();
    let row_of = |name: &str| {
        (0..buffer.area.height)
            .find(|y| {
                let line: String = (0..buffer.area.width)
                    .map(|x| buffer[(x, *y)].symbol().to_string())
                    .collect();
                line.contains(name)
            })
            .unwrap_or_else(|| panic!("{name} not on screen"))
    };
    // The name cell (x = 2) takes the row's colour.
    assert_eq!(
        buffer[(3, row_of("ledger-sync"))].fg,
        theme.failure,
        "failed rollout"
    );
    assert_eq!(
        buffer[(3, row_of("fraud-scorer"))].fg,
        theme.failure,
        "running < desired"
    );
    assert_eq!(
        buffer[(3, row_of("payments-worker"))].fg,
        theme.warning,
        "rolling out"
    );
    assert_eq!(buffer[(3, row_of("checkout-api"))].fg, theme.text, "steady");
}

fn with_scalable_target(store: &mut Store, min: i32, max: i32) {
    store.apply(
        &Resource::ScalableTarget {
            cluster: "prod".into(),
            service: "checkout-api".into(),
        },
        Ok(ecsdeck::store::Payload::ScalableTarget(Some(
            ecsdeck::backend::ScalableTarget {
                min_capacity: min,
                max_capacity: max,
                suspended: Default::default(),
            },
        ))),
        now(),
    );
}

fn scale_to(text: &str) -> Vec<Msg> {
    let mut keys = vec![key(KeyCode::Enter), ch('s'), key(KeyCode::Backspace)];
    keys.extend(type_text(text));
    keys
}

#[test]
fn scale_dialog_with_a_refused_value() {
    let mut keys = scale_to("5001");
    keys.push(key(KeyCode::Enter));
    let (mut store, mut ui) = at(keys);
    with_scalable_target(&mut store, 2, 4);
    insta::assert_snapshot!(render(&store, &mut ui, 100, 16));
}

#[test]
fn scale_confirmation_warns_about_auto_scaling() {
    let mut keys = scale_to("9");
    keys.push(key(KeyCode::Enter));
    let (mut store, mut ui) = at(keys);
    with_scalable_target(&mut store, 2, 4);
    insta::assert_snapshot!(render(&store, &mut ui, 120, 18));
}

#[test]
fn scale_to_zero_asks_for_the_name() {
    let mut keys = scale_to("0");
    keys.push(key(KeyCode::Enter));
    keys.extend(type_text("checkout"));
    let (store, mut ui) = at(keys);
    insta::assert_snapshot!(render(&store, &mut ui, 120, 18));
}

#[test]
fn stop_tasks_reason_and_confirmation() {
    let (mut store, mut ui) = at(vec![
        key(KeyCode::Enter),
        key(KeyCode::Enter),
        ch(' '),
        ch(' '),
    ]);
    ui.settings.user = "oncall".into();
    let marked = render(&store, &mut ui, 100, 10);
    assert!(marked.contains("✓"), "{marked}");
    feed(&mut store, &mut ui, vec![ctrl('k')]);
    insta::assert_snapshot!("stop_reason", render(&store, &mut ui, 100, 14));
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    insta::assert_snapshot!("stop_confirm", render(&store, &mut ui, 120, 16));
}

#[test]
fn rollback_picker_shows_the_diff() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter), ch('R')]);
    let arn = |r: u32| format!("arn:aws:ecs:eu-west-1:{ACCOUNT}:task-definition/api:{r}");
    store.apply(
        &Resource::Revisions {
            family: "api".into(),
        },
        Ok(ecsdeck::store::Payload::Revisions(
            (38..=42).rev().map(arn).collect(),
        )),
        now(),
    );
    let mut older = task_definition();
    older.task_definition_arn = arn(41);
    older.revision = 41;
    older.container_definitions[0].image =
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout-api:2026.11.1".into();
    older.container_definitions[0].memory = Some(768);
    older.container_definitions[0]
        .environment
        .push(ecsdeck::domain::ecs::EnvironmentVariable {
            name: "FEATURE_FLAGS".into(),
            value: "legacy".into(),
        });
    older.container_definitions[0].port_mappings.clear();
    store.apply(
        &Resource::TaskDefinition { arn: arn(41) },
        Ok(ecsdeck::store::Payload::TaskDefinition(Box::new(older))),
        now(),
    );
    insta::assert_snapshot!(render(&store, &mut ui, 120, 30));
}

#[test]
fn journal_view() {
    let keys = command("journal");
    let (mut store, mut ui) = at(keys);
    let entry = |secs: i64, change: &str, result: &str| ecsdeck::domain::journal::JournalEntry {
        time: now() - chrono::Duration::seconds(secs),
        profile: Some("prod-admin".into()),
        region: "eu-west-1".into(),
        account: Some(ACCOUNT.into()),
        cluster: "prod".into(),
        target: "checkout-api".into(),
        change: change.into(),
        result: ecsdeck::domain::journal::ActionResult::Recorded(result.into()),
    };
    store.journal = vec![
        entry(60, "prod/checkout-api desired 3 → 5", "ok"),
        entry(
            600,
            "prod/checkout-api force new deployment of api:42",
            ecsdeck::executor::READ_ONLY_REFUSAL,
        ),
        entry(
            3_600,
            "prod/ledger-sync task definition api:8 → api:7",
            "Access denied for UpdateService: ask for ecs:UpdateService permission or switch profile.",
        ),
    ];
    store.touch();
    insta::assert_snapshot!(render(&store, &mut ui, 140, 10));
}

fn with_events_and_metrics(store: &mut Store) {
    let mut services = services();
    let event = |id: &str, secs: i64, message: &str| ecsdeck::domain::ecs::ServiceEvent {
        id: id.into(),
        created_at: Some(now() - chrono::Duration::seconds(secs)),
        message: message.into(),
    };
    services[3].events = vec![
        event(
            "e3",
            40,
            "(service payments-worker) has started 1 tasks: (task 9b8a7c6d5e4f30211203f4e5d6c7b8a9).",
        ),
        event(
            "e1",
            7_200,
            "(service payments-worker) has reached a steady state.",
        ),
        event(
            "e2",
            300,
            "(service payments-worker) has stopped 1 running tasks: (task 0f3a9c1b2d4e5f60718293a4b5c6d7e8).",
        ),
    ];
    services[3].circuit_breaker = Some(ecsdeck::domain::ecs::CircuitBreaker {
        enable: true,
        rollback: true,
    });
    store.apply(
        &Resource::Services {
            cluster: "prod".into(),
        },
        Ok(ecsdeck::store::Payload::Services(services)),
        now(),
    );
    let series = |base: f64| -> Vec<(chrono::DateTime<chrono::Utc>, f64)> {
        (0..60)
            .map(|m| {
                (
                    now() - chrono::Duration::minutes(60 - m),
                    base + (m % 10) as f64,
                )
            })
            .collect()
    };
    let detail = ecsdeck::domain::metrics::ServiceDetail {
        service: ecsdeck::domain::metrics::Utilisation {
            cpu: series(60.0),
            memory: series(30.0),
        },
        tasks: Vec::new(),
        balancers: Vec::new(),
    };
    store.apply(
        &Resource::ServiceDetail {
            cluster: "prod".into(),
            service: "payments-worker".into(),
            range: ecsdeck::domain::metrics::Range::OneHour,
            tasks: Vec::new(),
            balancers: Vec::new(),
        },
        Ok(ecsdeck::store::Payload::ServiceDetail(Box::new(detail))),
        now(),
    );
}

#[test]
fn service_detail_with_rollout_progress() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter), ch('G'), ch('m')]);
    with_events_and_metrics(&mut store);
    insta::assert_snapshot!(render(&store, &mut ui, 130, 34));
}

#[test]
fn service_events_newest_first_with_ages() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter), ch('G'), ch('e')]);
    with_events_and_metrics(&mut store);
    insta::assert_snapshot!(render(&store, &mut ui, 120, 10));
}

#[test]
fn redeploy_confirmation() {
    let (store, mut ui) = at(vec![key(KeyCode::Enter), ch('r')]);
    insta::assert_snapshot!(render(&store, &mut ui, 120, 16));
}

#[test]
fn triage_view_worst_first() {
    let keys = command("triage prod");
    let (store, mut ui) = at(keys);
    let screen = render(&store, &mut ui, 120, 10);
    assert!(screen.contains("rollout FAILED"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// The order of the services rows, by key.
fn row_keys(store: &Store, ui: &UiState) -> Vec<String> {
    ui.top()
        .rows(&ui.row_context(store))
        .map(|m| m.rows.iter().map(|r| r.key.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn sorting_by_column_reorders_marks_the_header_and_is_remembered_per_view_kind() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter)]);
    let own_order = row_keys(&store, &ui);
    // `>` sorts by the first column (NAME, ascending); `o` reverses it.
    feed(&mut store, &mut ui, vec![ch('>'), ch('o')]);
    let mut by_name = own_order.clone();
    by_name.sort();
    by_name.reverse();
    assert_eq!(row_keys(&store, &ui), by_name);
    let screen = render(&store, &mut ui, 140, 10);
    assert!(screen.contains("NAME▼"), "{screen}");
    // The cursor stays on the same service across a re-sort.
    let selected = ui.selected_key(&store);
    feed(&mut store, &mut ui, vec![ch('o')]);
    assert_eq!(ui.selected_key(&store), selected);
    // RUN/DES sorts by how many tasks are missing, as a number.
    feed(&mut store, &mut ui, (0..5).map(|_| ch('>')).collect());
    let screen = render(&store, &mut ui, 140, 10);
    assert!(screen.contains("RUN/DES▲"), "{screen}");
    let first = row_keys(&store, &ui).first().cloned().unwrap_or_default();
    assert_eq!(first, "fraud-scorer", "2 of 4 running sorts first");
    // Remembered for the kind: leave the services list and open it again.
    feed(
        &mut store,
        &mut ui,
        vec![key(KeyCode::Esc), key(KeyCode::Enter)],
    );
    let screen = render(&store, &mut ui, 140, 10);
    assert!(screen.contains("RUN/DES▲"), "{screen}");
    // `<` back past the first column: the view's own order again, no arrow.
    feed(&mut store, &mut ui, (0..6).map(|_| ch('<')).collect());
    let screen = render(&store, &mut ui, 140, 10);
    assert!(!screen.contains('▲') && !screen.contains('▼'), "{screen}");
}

#[test]
fn read_only_offers_no_mutating_key_in_the_footer_or_the_help() {
    let offered = |read_only: bool| {
        let (mut store, mut ui) = at(vec![key(KeyCode::Enter)]);
        ui.settings.read_only = read_only;
        let footer = render(&store, &mut ui, 200, 10);
        feed(&mut store, &mut ui, vec![ch('?')]);
        let help = render(&store, &mut ui, 120, 40);
        (footer, help)
    };
    let (footer, help) = offered(false);
    assert!(footer.contains("<s> scale"), "{footer}");
    assert!(
        help.contains("roll back") && help.contains("stop task"),
        "{help}"
    );
    assert!(!help.contains("READ-ONLY"), "{help}");
    let (footer, help) = offered(true);
    for word in ["scale", "redeploy", "roll back", "stop task"] {
        assert!(!footer.contains(word), "footer offers {word}: {footer}");
        assert!(!help.contains(word), "help offers {word}: {help}");
    }
    assert!(help.contains("READ-ONLY"), "{help}");
}

#[test]
fn dialog_keys_are_rebindable_and_the_hints_follow() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter)]);
    let mut keymap = ui.settings.keymap.clone();
    let rebound = keymap
        .rebind(ecsdeck::keymap::Action::Confirm, &["ctrl-y".to_string()])
        .and_then(|()| keymap.rebind(ecsdeck::keymap::Action::Cancel, &["x".to_string()]));
    assert_eq!(rebound, Ok(()));
    ui.settings.keymap = keymap;
    feed(&mut store, &mut ui, vec![ch('r')]);
    let screen = render(&store, &mut ui, 120, 30);
    assert!(screen.contains("ctrl-y confirm · x cancel"), "{screen}");
    // The old keys do nothing now; the new ones act.
    assert!(feed(&mut store, &mut ui, vec![ch('y'), ch('n')]).is_empty());
    assert!(ui.dialog.is_some());
    let sent = feed(&mut store, &mut ui, vec![ctrl('y')]);
    assert!(
        matches!(sent.as_slice(), [ecsdeck::msg::Command::Mutate { .. }]),
        "{sent:?}"
    );
}

#[tokio::test]
async fn capacity_view_of_a_scaling_group_and_of_fargate() {
    use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
    let backend = DemoBackend::from_fleet(DemoFleet::generate(3, now()));
    let mut store = Store::default();
    let mut ui = crate::capacity::showing("batch-ec2");
    crate::capacity::settle(&backend, &mut store, &ui).await;
    let scaling = render(&store, &mut ui, 120, 8);
    insta::assert_snapshot!("capacity_view_of_a_scaling_group", scaling);
    let mut ui = crate::capacity::showing("staging");
    crate::capacity::settle(&backend, &mut store, &ui).await;
    insta::assert_snapshot!("capacity_view_of_fargate", render(&store, &mut ui, 120, 9));
}
