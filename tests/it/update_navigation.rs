//! `update` tests: keys in, view stack / selection / commands / polling focus out.

use crate::fixture::{self, *};
use crossterm::event::KeyCode;
use ecsdeck::backend::DesiredStatus;
use ecsdeck::msg::Command;
use ecsdeck::msg::Msg;
use ecsdeck::state::StatusLevel;
use ecsdeck::store::Resource;
use ecsdeck::views::{DescribeTarget, ViewKind};

fn top_kind(ui: &ecsdeck::state::UiState) -> ViewKind {
    ui.top().kind.clone()
}

#[test]
fn enter_drills_from_clusters_to_containers_and_esc_comes_back() {
    let (mut store, mut ui) = (store(), ui());
    // Clusters are sorted by the backend; the fixture lists prod first.
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert_eq!(
        top_kind(&ui),
        ViewKind::Services(ecsdeck::views::services::Services {
            cluster: "prod".into()
        })
    );
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert_eq!(
        top_kind(&ui),
        ViewKind::Tasks(ecsdeck::views::tasks::Tasks {
            cluster: "prod".into(),
            service: Some("checkout-api".into()),
            instance: None,
        })
    );
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    let ViewKind::Containers(ecsdeck::views::containers::Containers {
        task_arn,
        task_definition_arn,
        ..
    }) = top_kind(&ui)
    else {
        panic!("expected containers, got {:?}", top_kind(&ui));
    };
    assert!(task_arn.ends_with(TASK_A));
    assert!(task_definition_arn.ends_with("api:42"));
    assert_eq!(ui.stack.len(), 4);
    feed(
        &mut store,
        &mut ui,
        vec![key(KeyCode::Esc), key(KeyCode::Esc), key(KeyCode::Esc)],
    );
    assert_eq!(top_kind(&ui), ViewKind::clusters());
    // Esc at the root stays at the root, and does not quit.
    let cmds = feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    assert!(cmds.is_empty());
    assert_eq!(ui.stack.len(), 1);
}

#[test]
fn only_the_view_on_screen_and_its_parents_are_polled() {
    let (mut store, mut ui) = (store(), ui());
    let cluster_metrics = Resource::ClusterMetrics {
        clusters: vec!["prod".into(), "batch".into()],
    };
    assert_eq!(
        ui.focus(&store),
        vec![Resource::Clusters, cluster_metrics.clone()]
    );
    feed(
        &mut store,
        &mut ui,
        vec![key(KeyCode::Enter), key(KeyCode::Enter)],
    );
    assert_eq!(
        ui.focus(&store),
        vec![
            Resource::Clusters,
            Resource::Services {
                cluster: "prod".into()
            },
            Resource::Tasks {
                cluster: "prod".into(),
                filter: service_filter("checkout-api", DesiredStatus::Running)
            },
            // Utilisation of what the parents list, and the alarms that flag services.
            cluster_metrics,
            Resource::ServiceMetrics {
                cluster: "prod".into(),
                services: vec![
                    "checkout-api".into(),
                    "fraud-scorer".into(),
                    "ledger-sync".into(),
                    "payments-worker".into()
                ],
            },
            Resource::Alarms,
        ]
    );
    // x switches the tasks view (and what is polled) to stopped tasks.
    feed(&mut store, &mut ui, vec![ch('x')]);
    assert!(ui.focus(&store).contains(&Resource::Tasks {
        cluster: "prod".into(),
        filter: service_filter("checkout-api", DesiredStatus::Stopped)
    }));
    assert!(!ui.focus(&store).contains(&Resource::Tasks {
        cluster: "prod".into(),
        filter: service_filter("checkout-api", DesiredStatus::Running)
    }));
    // Leaving stops polling the tasks.
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    let focus = ui.focus(&store);
    assert!(
        !focus.iter().any(|r| matches!(r, Resource::Tasks { .. })),
        "{focus:?}"
    );
}

#[test]
fn movement_keys_clamp_and_selection_follows_the_row_across_refreshes() {
    let (mut store, mut ui) = (store(), ui());
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    feed(&mut store, &mut ui, vec![ch('j'), ch('j')]);
    assert_eq!(ui.top().selected_key.as_deref(), Some("ledger-sync"));
    feed(&mut store, &mut ui, vec![ch('G')]);
    assert_eq!(ui.top().selected_key.as_deref(), Some("payments-worker"));
    feed(&mut store, &mut ui, vec![ch('j'), key(KeyCode::Down)]);
    assert_eq!(ui.top().selected_key.as_deref(), Some("payments-worker"));
    feed(&mut store, &mut ui, vec![ch('g'), ch('k')]);
    assert_eq!(ui.top().selected_key.as_deref(), Some("checkout-api"));
    feed(&mut store, &mut ui, vec![key(KeyCode::PageDown)]);
    assert_eq!(ui.top().selected_key.as_deref(), Some("payments-worker"));

    // A refresh that adds a service before the selected one keeps the selection on it.
    feed(&mut store, &mut ui, vec![ch('k')]);
    let mut services = services();
    let mut extra = services[0].clone();
    extra.service_name = "aaa-first".into();
    services.insert(0, extra);
    feed(
        &mut store,
        &mut ui,
        vec![fetched(
            Resource::Services {
                cluster: "prod".into(),
            },
            ecsdeck::store::Payload::Services(services),
        )],
    );
    feed(&mut store, &mut ui, vec![ch('j')]);
    assert_eq!(ui.top().selected_key.as_deref(), Some("payments-worker"));
}

#[test]
fn filter_narrows_rows_inverts_and_esc_clears() {
    let (mut store, mut ui) = (store(), ui());
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter), ch('/')]);
    assert!(ui.input.is_some());
    feed(&mut store, &mut ui, type_text("PAY"));
    // The filter applies while typing.
    assert_eq!(ui.top().filter, "PAY");
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert!(ui.input.is_none());
    let rows = ui.top().rows(&ui.row_context(&store)).map(|m| m.rows.len());
    assert_eq!(rows, Some(1));
    // Enter opens the only visible row.
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert_eq!(
        top_kind(&ui),
        ViewKind::Tasks(ecsdeck::views::tasks::Tasks {
            cluster: "prod".into(),
            service: Some("payments-worker".into()),
            instance: None,
        })
    );
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    // Esc first clears the filter, then goes back.
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    assert_eq!(ui.top().filter, "");
    assert!(matches!(top_kind(&ui), ViewKind::Services { .. }));

    feed(&mut store, &mut ui, vec![ch('/')]);
    feed(&mut store, &mut ui, type_text("!a"));
    let rows = ui.top().rows(&ui.row_context(&store)).map(|m| m.rows.len());
    // Every service has an "a" somewhere except none: all have ACTIVE → inverted: 0 rows.
    assert_eq!(rows, Some(0));
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    assert!(ui.input.is_none());
    assert_eq!(ui.top().filter, "");
}

#[test]
fn command_mode_switches_views_and_refuses_unknown_commands() {
    let (mut store, mut ui) = (store(), ui());
    let run = |store: &mut _, ui: &mut _, text: &str| {
        let msgs = command(text);
        feed(store, ui, msgs)
    };
    run(&mut store, &mut ui, "svc");
    assert_eq!(
        top_kind(&ui),
        ViewKind::Services(ecsdeck::views::services::Services {
            cluster: "prod".into()
        })
    );
    run(&mut store, &mut ui, "tasks");
    assert_eq!(
        top_kind(&ui),
        ViewKind::Tasks(ecsdeck::views::tasks::Tasks {
            cluster: "prod".into(),
            service: None,
            instance: None,
        })
    );
    assert_eq!(ui.stack.len(), 2);
    run(&mut store, &mut ui, "svc batch");
    assert_eq!(
        top_kind(&ui),
        ViewKind::Services(ecsdeck::views::services::Services {
            cluster: "batch".into()
        })
    );
    run(&mut store, &mut ui, "cl");
    assert_eq!(top_kind(&ui), ViewKind::clusters());
    assert_eq!(ui.stack.len(), 1);

    let before = ui.stack.len();
    run(&mut store, &mut ui, "deploy-everything");
    assert_eq!(ui.stack.len(), before);
    let status = ui.status.clone().map(|s| (s.level, s.text));
    assert_eq!(status.as_ref().map(|s| s.0), Some(StatusLevel::Error));
    assert!(
        status
            .map(|s| s.1)
            .unwrap_or_default()
            .contains("Unknown command \":deploy-everything\"")
    );

    let cmds = run(&mut store, &mut ui, "q");
    assert_eq!(cmds, vec![Command::Quit]);
}

#[test]
fn describe_and_task_definition_open_json_views() {
    let (mut store, mut ui) = (store(), ui());
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter), ch('t')]);
    let ViewKind::Describe(ecsdeck::views::describe::Describe {
        target: DescribeTarget::TaskDefinition { arn },
    }) = top_kind(&ui)
    else {
        panic!("expected a task definition view");
    };
    assert!(arn.ends_with("api:42"));
    assert!(ui.focus(&store).contains(&Resource::TaskDefinition { arn }));
    let lines = match &ui.top().kind {
        ViewKind::Describe(ecsdeck::views::describe::Describe { target }) => {
            ecsdeck::views::describe::lines(&store, target)
        }
        _ => None,
    }
    .unwrap_or_default();
    assert!(lines.iter().any(|l| l.contains("\"valueFrom\"")));
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc), ch('d')]);
    assert!(matches!(
        top_kind(&ui),
        ViewKind::Describe(ecsdeck::views::describe::Describe {
            target: DescribeTarget::Service { .. }
        })
    ));
    // Scrolling never goes negative.
    feed(&mut store, &mut ui, vec![ch('k'), ch('k'), ch('j')]);
    assert_eq!(ui.top().scroll, 1);
}

#[test]
fn quit_keys_and_help() {
    let (mut store, mut ui) = (store(), ui());
    feed(&mut store, &mut ui, vec![ch('?')]);
    assert!(ui.help_open);
    // Keys do not leak to the view under the help screen.
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert_eq!(ui.stack.len(), 1);
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    assert!(!ui.help_open);
    // q deeper in goes back; at the top it quits.
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert!(feed(&mut store, &mut ui, vec![ch('q')]).is_empty());
    assert_eq!(
        feed(&mut store, &mut ui, vec![ch('q')]),
        vec![Command::Quit]
    );
    // ctrl-c quits from anywhere, even with a text field open.
    let (mut store, mut ui) = (fixture::store(), fixture::ui());
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter), ch('/')]);
    assert_eq!(
        feed(&mut store, &mut ui, vec![ctrl('c')]),
        vec![Command::Quit]
    );
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    assert_eq!(
        feed(&mut store, &mut ui, vec![ctrl('r')]),
        vec![Command::RefreshNow]
    );
}

#[test]
fn pasted_text_with_newlines_stays_on_one_line() {
    let (mut store, mut ui) = (store(), ui());
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter), ch('/')]);
    feed(
        &mut store,
        &mut ui,
        vec![Msg::Paste("fraud-scorer\r\n".into())],
    );
    assert!(ui.input.is_some());
    assert_eq!(ui.top().filter, "fraud-scorer");
}

#[test]
fn errors_keep_the_last_good_data() {
    let (mut store, mut ui) = (store(), ui());
    let err = ecsdeck::backend::BackendError::new(
        ecsdeck::backend::ErrorKind::AccessDenied,
        "DescribeServices",
        "User is not authorized",
    );
    feed(
        &mut store,
        &mut ui,
        vec![Msg::Fetched {
            resource: Resource::Services {
                cluster: "prod".into(),
            },
            result: Err(err),
            at: now(),
        }],
    );
    let services = store
        .services_of("prod")
        .and_then(|l| l.value())
        .map(Vec::len);
    assert_eq!(services, Some(4));
}
