//! Operations through `update` and the executor: scale (with its bad-input matrix), redeploy,
//! roll back, stop tasks; read-only everywhere; the journal; pending rows until observed.

use crate::fixture::mutations;
use crossterm::event::KeyCode;

use crate::fixture::*;
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
use ecsdeck::domain::journal::{ActionResult, READ_ONLY_REFUSAL};
use ecsdeck::domain::mutation::Mutation;
use ecsdeck::domain::pending::PendingState;
use ecsdeck::executor::{self, ActionContext};
use ecsdeck::msg::Command;
use ecsdeck::msg::{Executed, Msg};
use ecsdeck::state::dialog::Dialog;
use ecsdeck::state::{StatusLevel, UiState};
use ecsdeck::store::{Payload, Resource, Store};

fn on_services() -> (Store, UiState) {
    let (mut store, mut ui) = (store(), ui());
    ui.settings.user = "tester".into();
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    (store, ui)
}

/// Replaces the scale field's text (select-all is not a thing in a one-line field: clear it).
fn type_in_scale(text: &str) -> Vec<Msg> {
    let mut keys = vec![key(KeyCode::End)];
    keys.extend((0..10).map(|_| key(KeyCode::Backspace)));
    keys.extend(type_text(text));
    keys
}

#[test]
fn scale_bad_input_matrix_sends_nothing() {
    let inputs = [
        "",
        "abc",
        "-1",
        "5001",
        "2.5",
        "1e3",
        "99999999999999999999",
        "+5",
        "5 tasks",
        "0x10",
    ];
    for input in inputs {
        let (mut store, mut ui) = on_services();
        let mut keys = vec![ch('s')];
        keys.extend(type_in_scale(input));
        keys.push(key(KeyCode::Enter));
        let cmds = feed(&mut store, &mut ui, keys);
        assert!(cmds.is_empty(), "{input:?} sent {cmds:?}");
        match &ui.dialog {
            Some(Dialog::Scale(d)) => assert!(d.error.is_some(), "{input:?}: no reason given"),
            other => panic!("{input:?}: expected the scale field to stay open, got {other:?}"),
        }
        // Even a `y` after the refusal sends nothing.
        assert!(mutations(&feed(&mut store, &mut ui, vec![ch('y')])).is_empty());
    }
    // Pasted text with newlines: never glued into a number, never submitted.
    for pasted in ["5\n6", "7\r\n8", "\n", "3\n\nrm -rf /"] {
        let (mut store, mut ui) = on_services();
        let mut keys = vec![ch('s')];
        keys.extend(type_in_scale(""));
        keys.push(Msg::Paste(pasted.into()));
        keys.push(key(KeyCode::Enter));
        let cmds = feed(&mut store, &mut ui, keys);
        assert!(cmds.is_empty(), "{pasted:?} sent {cmds:?}");
        assert!(
            matches!(&ui.dialog, Some(Dialog::Scale(d)) if d.error.is_some()),
            "{pasted:?}"
        );
    }
}

#[test]
fn scale_states_the_change_and_sends_exactly_once() {
    let (mut store, mut ui) = on_services();
    let mut keys = vec![ch('s')];
    keys.extend(type_in_scale("5"));
    keys.push(key(KeyCode::Enter));
    assert!(feed(&mut store, &mut ui, keys).is_empty());
    let Some(Dialog::Confirm(confirm)) = &ui.dialog else {
        panic!("expected a confirmation, got {:?}", ui.dialog);
    };
    assert_eq!(
        confirm.mutation.describe(),
        "prod/checkout-api desired 3 → 5"
    );
    let cli = confirm.mutation.cli(Some("prod-admin"), "eu-west-1");
    assert_eq!(
        cli,
        vec![
            "aws ecs update-service --cluster prod --service checkout-api --desired-count 5 --region eu-west-1 --profile prod-admin"
        ]
    );
    // `y` sends once; repeated keys send nothing more.
    let cmds = feed(&mut store, &mut ui, vec![ch('y'), ch('y'), ch('y')]);
    assert_eq!(mutations(&cmds).len(), 1);
    // A second scale of the same service while the first is being sent is refused.
    assert!(feed(&mut store, &mut ui, vec![ch('s')]).is_empty());
    assert!(
        ui.status
            .as_ref()
            .is_some_and(|s| s.text.contains("still being sent"))
    );
    assert!(ui.dialog.is_none());
}

#[test]
fn scaling_to_zero_needs_the_service_name() {
    let (mut store, mut ui) = on_services();
    let mut keys = vec![ch('s')];
    keys.extend(type_in_scale("0"));
    keys.extend([key(KeyCode::Enter), ch('y'), key(KeyCode::Enter)]);
    assert!(
        mutations(&feed(&mut store, &mut ui, keys)).is_empty(),
        "y alone must not do"
    );
    let mut keys = vec![key(KeyCode::Backspace)];
    keys.extend(type_text("checkout-api"));
    keys.push(key(KeyCode::Enter));
    let sent = mutations(&feed(&mut store, &mut ui, keys));
    assert_eq!(
        sent,
        vec![Mutation::Scale {
            cluster: "prod".into(),
            service: "checkout-api".into(),
            from: 3,
            to: 0
        }]
    );
}

#[test]
fn esc_and_n_cancel_without_sending() {
    for cancel in [key(KeyCode::Esc), ch('n')] {
        let (mut store, mut ui) = on_services();
        let cmds = feed(&mut store, &mut ui, vec![ch('r'), cancel]);
        assert!(cmds.is_empty());
        assert!(ui.dialog.is_none());
    }
}

#[test]
fn redeploy_confirms_then_sends_force_new_deployment() {
    let (mut store, mut ui) = on_services();
    let cmds = feed(&mut store, &mut ui, vec![ch('r'), ch('y')]);
    let sent = mutations(&cmds);
    assert_eq!(sent.len(), 1);
    assert!(matches!(&sent[0], Mutation::Redeploy { service, .. } if service == "checkout-api"));
}

/// ListTaskDefinitions' answer for family `api`: revisions `newest` down to 1.
fn revisions_of_api(newest: u32) -> Msg {
    let revisions: Vec<String> = (1..=newest)
        .rev()
        .map(|r| format!("arn:aws:ecs:eu-west-1:{ACCOUNT}:task-definition/api:{r}"))
        .collect();
    fetched(
        Resource::Revisions {
            family: "api".into(),
        },
        Payload::Revisions(revisions),
    )
}

#[test]
fn rollback_preselects_what_ran_before_and_sends_it() {
    let (mut store, mut ui) = on_services();
    // ledger-sync runs api:8 (failed rollout); its ACTIVE deployment is api:7.
    feed(&mut store, &mut ui, vec![ch('j'), ch('j'), ch('R')]);
    assert!(matches!(ui.dialog, Some(Dialog::Rollback(_))));
    let focus = ui.focus(&store);
    assert!(focus.contains(&Resource::Revisions {
        family: "api".into()
    }));
    feed(&mut store, &mut ui, vec![revisions_of_api(8)]);
    // The diff needs both definitions: the dialog asks for them.
    let focus = ui.focus(&store);
    assert!(
        focus
            .iter()
            .any(|r| matches!(r, Resource::TaskDefinition { arn } if arn.ends_with("api:7")))
    );
    let sent = mutations(&feed(&mut store, &mut ui, vec![ch('y')]));
    assert_eq!(sent.len(), 1);
    let Mutation::Rollback { from, to, .. } = &sent[0] else {
        panic!("{sent:?}");
    };
    assert!(
        from.ends_with("api:8") && to.ends_with("api:7"),
        "{from} → {to}"
    );

    // Moving down picks an older revision.
    let (mut store, mut ui) = on_services();
    feed(&mut store, &mut ui, vec![ch('j'), ch('j'), ch('R')]);
    feed(&mut store, &mut ui, vec![revisions_of_api(8)]);
    let sent = mutations(&feed(&mut store, &mut ui, vec![ch('j'), ch('y')]));
    assert!(
        matches!(&sent[0], Mutation::Rollback { to, .. } if to.ends_with("api:6")),
        "{sent:?}"
    );
}

#[test]
fn marked_tasks_stop_together_with_the_prefilled_reason() {
    let (mut store, mut ui) = on_services();
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    feed(&mut store, &mut ui, vec![ch(' '), ch(' ')]);
    assert_eq!(ui.top().marked.len(), 2);
    feed(&mut store, &mut ui, vec![ctrl('k')]);
    let Some(Dialog::StopReason(d)) = &ui.dialog else {
        panic!("expected the reason field, got {:?}", ui.dialog);
    };
    assert_eq!(d.field.lines().join(""), "stopped from ecsdeck by tester");
    let sent = mutations(&feed(
        &mut store,
        &mut ui,
        vec![key(KeyCode::Enter), ch('y')],
    ));
    assert_eq!(sent.len(), 1, "one confirmation, one command for all");
    let Mutation::StopTasks { tasks, reason, .. } = &sent[0] else {
        panic!("{sent:?}");
    };
    assert_eq!(tasks.len(), 2);
    assert_eq!(reason, "stopped from ecsdeck by tester");
    assert!(ui.top().marked.is_empty());
}

#[test]
fn read_only_blocks_every_mutating_key() {
    // (how many Enters from the clusters view, the action key)
    let cases = [(1, 's'), (1, 'r'), (1, 'R'), (2, 'k')];
    for (depth, letter) in cases {
        {
            let action = if letter == 'k' { ctrl('k') } else { ch(letter) };
            let (mut store, mut ui) = (store(), ui());
            ui.settings.read_only = true;
            feed(
                &mut store,
                &mut ui,
                (0..depth).map(|_| key(KeyCode::Enter)).collect(),
            );
            let cmds = feed(&mut store, &mut ui, vec![action]);
            let status = ui.status.clone();
            assert!(
                status.is_some_and(
                    |s| s.level == StatusLevel::Warning && s.text.starts_with("Read-only")
                ),
                "{letter}"
            );
            let more = feed(
                &mut store,
                &mut ui,
                vec![ch('y'), key(KeyCode::Enter), ch('y')],
            );
            assert!(cmds.is_empty() && more.is_empty(), "{cmds:?} {more:?}");
            assert!(ui.dialog.is_none());
        }
    }
}

fn every_mutation() -> Vec<Mutation> {
    vec![
        Mutation::Scale {
            cluster: "prod-payments".into(),
            service: "checkout-api".into(),
            from: 10,
            to: 12,
        },
        Mutation::Redeploy {
            cluster: "prod-payments".into(),
            service: "checkout-api".into(),
            task_definition: "checkout-api:43".into(),
        },
        Mutation::Rollback {
            cluster: "prod-payments".into(),
            service: "checkout-api".into(),
            from: "checkout-api:43".into(),
            to: "checkout-api:42".into(),
        },
        Mutation::StopTasks {
            cluster: "prod-payments".into(),
            tasks: vec!["arn:aws:ecs:eu-west-1:123456789012:task/prod-payments/0".into()],
            reason: "test".into(),
        },
    ]
}

#[tokio::test]
async fn the_executor_refuses_every_mutation_when_read_only_and_journals_it() {
    let dir = std::env::temp_dir().join(format!("ecsdeck-ro-{}", std::process::id()));
    let journal = dir.join("journal.jsonl");
    let _ = std::fs::remove_file(&journal);
    let backend = CountingBackend::new(DemoBackend::from_fleet(DemoFleet::generate(1, now())));
    let log = backend.log();
    let context = ActionContext {
        read_only: true,
        profile: Some("prod".into()),
        region: "eu-west-1".into(),
        journal: Some(journal.clone()),
    };
    for mutation in every_mutation() {
        let executed = executor::execute(&backend, &context, &mutation, Some(ACCOUNT.into())).await;
        assert_eq!(executed.entry.result, ActionResult::Refused, "{mutation:?}");
        assert_eq!(executed.entry.result.to_string(), READ_ONLY_REFUSAL);
        assert_eq!(executed.journal_error, None);
    }
    assert!(
        log.totals().is_empty(),
        "no call may reach the backend: {:?}",
        log.totals()
    );
    let entries = ecsdeck::executor::journal::read(&journal);
    assert_eq!(entries.len(), 4);
    let raw = std::fs::read_to_string(&journal).unwrap_or_default();
    let first: serde_json::Value =
        serde_json::from_str(raw.lines().next().unwrap_or("{}")).unwrap_or_default();
    for field in [
        "time", "profile", "region", "account", "cluster", "target", "change", "result",
    ] {
        assert!(
            first.get(field).is_some(),
            "journal line lacks {field}: {first}"
        );
    }
    assert_eq!(
        first["change"],
        "prod-payments/checkout-api desired 10 → 12"
    );
    assert_eq!(first["account"], ACCOUNT);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_change_stays_pending_until_it_is_observed() {
    let (mut store, mut ui) = on_services();
    let mut keys = vec![ch('s')];
    keys.extend(type_in_scale("5"));
    keys.extend([key(KeyCode::Enter), ch('y')]);
    let cmds = feed(&mut store, &mut ui, keys);
    let Some(Command::Mutate { id, mutation, .. }) = cmds.into_iter().next() else {
        panic!("no mutation");
    };
    assert!(matches!(ui.pending[0].state, PendingState::Sending(_)));
    let entry = ecsdeck::executor::journal::JournalEntry {
        time: now(),
        profile: None,
        region: "eu-west-1".into(),
        account: None,
        cluster: "prod".into(),
        target: "checkout-api".into(),
        change: mutation.describe(),
        result: ActionResult::Done,
    };
    let cmds = feed(
        &mut store,
        &mut ui,
        vec![Msg::MutationDone {
            id,
            mutation,
            executed: Executed {
                entry,
                journal_error: None,
            },
        }],
    );
    assert_eq!(cmds, vec![Command::RefreshNow], "the view re-polls at once");
    assert!(matches!(ui.pending[0].state, PendingState::Watching(_)));
    assert_eq!(store.journal.len(), 1);
    let name_cell = |store: &Store, ui: &UiState| {
        ui.top()
            .rows(&ui.row_context(store))
            .and_then(|m| {
                m.rows
                    .iter()
                    .find(|r| r.key == "checkout-api")
                    .map(|r| r.cells[0].text.clone())
            })
            .unwrap_or_default()
    };
    assert_eq!(name_cell(&store, &ui), "checkout-api ⟳ scaling → 5");

    // Desired 5 but only 4 running: still pending.
    let mut services = services();
    services[0].desired_count = 5;
    services[0].running_count = 4;
    let fetched = |services: Vec<_>| {
        fetched(
            Resource::Services {
                cluster: "prod".into(),
            },
            Payload::Services(services),
        )
    };
    feed(&mut store, &mut ui, vec![fetched(services.clone())]);
    assert_eq!(ui.pending.len(), 1);
    services[0].running_count = 5;
    feed(&mut store, &mut ui, vec![fetched(services)]);
    assert!(ui.pending.is_empty());
    assert_eq!(name_cell(&store, &ui), "checkout-api");
}

#[test]
fn a_failed_action_says_why_and_clears_the_pending_mark() {
    let (mut store, mut ui) = on_services();
    let cmds = feed(&mut store, &mut ui, vec![ch('r'), ch('y')]);
    let Some(Command::Mutate { id, mutation, .. }) = cmds.into_iter().next() else {
        panic!("no mutation");
    };
    let entry = ecsdeck::executor::journal::JournalEntry {
        time: now(),
        profile: None,
        region: "r".into(),
        account: None,
        cluster: "prod".into(),
        target: "checkout-api".into(),
        change: mutation.describe(),
        result: ActionResult::Failed(ecsdeck::backend::BackendError::new(
            ecsdeck::backend::ErrorKind::AccessDenied,
            "UpdateService",
            "User: arn:aws:iam::1:user/x is not authorized to perform: ecs:UpdateService",
        )),
    };
    let cmds = feed(
        &mut store,
        &mut ui,
        vec![Msg::MutationDone {
            id,
            mutation,
            executed: Executed {
                entry,
                journal_error: None,
            },
        }],
    );
    assert!(cmds.is_empty());
    assert!(ui.pending.is_empty());
    let Some(status) = ui.status.clone() else {
        panic!("no status");
    };
    assert_eq!(status.level, StatusLevel::Error);
    // The words are made when the line is drawn, naming the profile in effect.
    let text = ecsdeck::ui::footer::status_text(&status, Some("prod"));
    assert!(text.contains("Access denied"), "{text}");
    assert!(text.contains("ecs:UpdateService"), "{text}");
}

#[tokio::test]
async fn a_journal_that_cannot_be_written_is_a_warning_until_it_works_again() {
    let (mut store, mut ui) = on_services();
    // A journal path under a regular file: the directory cannot be created.
    let blocker =
        std::env::temp_dir().join(format!("ecsdeck-journal-blocker-{}", std::process::id()));
    let _ = std::fs::write(&blocker, "not a directory");
    let backend = CountingBackend::new(DemoBackend::from_fleet(DemoFleet::generate(1, now())));
    let context = ActionContext {
        read_only: false,
        profile: None,
        region: "eu-west-1".into(),
        journal: Some(blocker.join("journal.jsonl")),
    };
    let mutation = Mutation::Redeploy {
        cluster: "prod-payments".into(),
        service: "checkout-api".into(),
        task_definition: "checkout-api:43".into(),
    };
    let executed = executor::execute(&backend, &context, &mutation, None).await;
    assert_eq!(
        executed.entry.result,
        ActionResult::Done,
        "the action itself worked"
    );
    assert!(executed.journal_error.is_some());
    feed(
        &mut store,
        &mut ui,
        vec![Msg::MutationDone {
            id: 1,
            mutation: mutation.clone(),
            executed,
        }],
    );
    // The action's result shows, and so does the journal problem, which keys do not clear.
    let status = ui.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(status.starts_with("Done:"), "{status}");
    feed(&mut store, &mut ui, vec![ch('j'), ch('k')]);
    assert!(ui.journal_banner.is_some());
    // A write that works again clears it.
    let writable = ActionContext {
        journal: Some(
            std::env::temp_dir().join(format!("ecsdeck-journal-ok-{}.jsonl", std::process::id())),
        ),
        ..context
    };
    let executed = executor::execute(&backend, &writable, &mutation, None).await;
    assert_eq!(executed.journal_error, None);
    feed(
        &mut store,
        &mut ui,
        vec![Msg::MutationDone {
            id: 2,
            mutation,
            executed,
        }],
    );
    assert_eq!(ui.journal_banner, None);
    let _ = std::fs::remove_file(&blocker);
}

#[test]
fn pending_lists_every_change_in_flight() {
    let (mut store, mut ui) = on_services();
    let mut keys = vec![ch('s')];
    keys.extend(type_in_scale("5"));
    keys.extend([key(KeyCode::Enter), ch('y')]);
    let sent = mutations(&feed(&mut store, &mut ui, keys));
    assert_eq!(sent.len(), 1);
    let keys = command("pending");
    feed(&mut store, &mut ui, keys);
    let rows = ui
        .top()
        .rows(&ui.row_context(&store))
        .map(|m| {
            m.rows
                .iter()
                .map(|r| r.cells.iter().map(|c| c.text.clone()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][1], "checkout-api");
    assert_eq!(rows[0][2], "scaling → 5");
    assert_eq!(rows[0][3], "sending to AWS");
}
