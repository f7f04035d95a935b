//! ECS Exec through `update` and the executor: the prechecks speak before anything is sent,
//! read-only refuses at the key and again at the executor, and the outcome is journaled.

use std::sync::Arc;

use crossterm::event::KeyCode;
use tokio::sync::mpsc;

use crate::fixture::{self, ch, feed, key};
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
use ecsdeck::domain::journal::ActionResult;
use ecsdeck::domain::session::ExecPlan;
use ecsdeck::executor::{self, ActionContext};
use ecsdeck::msg::{Command, Msg};
use ecsdeck::store::{Payload, Resource};

/// The fixture's checkout-api tasks, opened from the services list.
fn at_tasks(exec_ready: bool) -> (ecsdeck::store::Store, ecsdeck::state::UiState) {
    let (mut store, mut ui) = (fixture::store(), fixture::ui());
    let mut tasks = fixture::running_tasks();
    for task in &mut tasks {
        task.enable_execute_command = exec_ready;
        let id = task.short_id().to_string();
        for (i, c) in task.containers.iter_mut().enumerate() {
            c.runtime_id = Some(format!("{id}-{i}"));
            c.exec_agent = Some("RUNNING".into());
        }
    }
    let resource = Resource::Tasks {
        cluster: "prod".into(),
        filter: fixture::service_filter("checkout-api", ecsdeck::backend::DesiredStatus::Running),
    };
    store.apply(&resource, Ok(Payload::Tasks(tasks)), fixture::now());
    // clusters → prod's services → checkout-api's tasks.
    feed(
        &mut store,
        &mut ui,
        vec![key(KeyCode::Enter), key(KeyCode::Enter)],
    );
    assert!(ui.top().title().starts_with("tasks(prod/checkout-api)"));
    (store, ui)
}

fn status(ui: &ecsdeck::state::UiState) -> String {
    ui.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn s_opens_a_shell_in_the_first_container_with_a_running_agent() {
    let (mut store, mut ui) = at_tasks(true);
    let commands = feed(&mut store, &mut ui, vec![ch('s')]);
    let [Command::Exec(plan)] = commands.as_slice() else {
        panic!("expected one Exec command, got {commands:?}");
    };
    assert_eq!(plan.container, "app");
    assert_eq!(plan.command, "/bin/sh");
    assert!(
        plan.target().starts_with("ecs:prod_0f3a9c1b"),
        "{}",
        plan.target()
    );
    assert!(status(&ui).contains("Opening a shell"), "{}", status(&ui));
}

#[test]
fn a_task_without_ecs_exec_says_the_exact_fix_and_sends_nothing() {
    let (mut store, mut ui) = at_tasks(false);
    let commands = feed(&mut store, &mut ui, vec![ch('s')]);
    assert!(commands.is_empty(), "{commands:?}");
    let text = status(&ui);
    assert!(
        text.contains(
            "aws ecs update-service --cluster prod --service checkout-api --enable-execute-command --force-new-deployment"
        ),
        "{text}"
    );
}

#[test]
fn read_only_refuses_at_the_key() {
    let (mut store, mut ui) = at_tasks(true);
    ui.settings.read_only = true;
    let commands = feed(&mut store, &mut ui, vec![ch('s')]);
    assert!(commands.is_empty(), "{commands:?}");
    assert!(status(&ui).contains("Read-only"), "{}", status(&ui));
}

#[tokio::test]
async fn read_only_refuses_at_the_executor_too_and_journals_it() {
    let fleet = DemoFleet::generate(3, fixture::now());
    let backend = CountingBackend::new(DemoBackend::from_fleet(fleet));
    let log = backend.log();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let context = ActionContext {
        read_only: true,
        ..ActionContext::default()
    };
    let plan = ExecPlan {
        cluster: "prod-payments".into(),
        task_arn: "arn:aws:ecs:eu-west-1:123456789012:task/prod-payments/abc".into(),
        service: None,
        container: "app".into(),
        runtime_id: "abc-1".into(),
        command: "/bin/sh".into(),
    };
    executor::spawn_exec(Arc::new(backend), context, plan, None, tx);
    let Some(Msg::ExecReady { result, .. }) = rx.recv().await else {
        panic!("no answer from the executor");
    };
    let executed = result.expect_err("refused");
    assert_eq!(executed.entry.result, ActionResult::Refused);
    assert!(executed.entry.change.contains("shell `/bin/sh`"));
    assert_eq!(log.count("ExecuteCommand"), 0, "nothing was sent");
}

#[test]
fn ctrl_k_in_forwards_stops_the_forward_under_the_cursor() {
    let (mut store, mut ui) = (fixture::store(), fixture::ui());
    let through = ExecPlan {
        cluster: "prod".into(),
        task_arn: "arn:aws:ecs:eu-west-1:123456789012:task/prod/abc".into(),
        service: None,
        container: "app".into(),
        runtime_id: "abc-1".into(),
        command: String::new(),
    };
    store.forwards.push(ecsdeck::store::Forward {
        id: 7,
        plan: ecsdeck::domain::session::ForwardPlan {
            through,
            local_port: 18080,
            remote_host: None,
            remote_port: 8080,
        },
        session_id: "s-7".into(),
        since: fixture::now(),
        state: ecsdeck::store::ForwardState::Running,
    });
    let keys = fixture::command("forwards");
    feed(&mut store, &mut ui, keys);
    assert_eq!(ui.top().title(), "port forwards");
    let commands = feed(&mut store, &mut ui, vec![fixture::ctrl('k')]);
    assert_eq!(commands, vec![Command::StopForward { id: 7 }]);
    assert_eq!(
        store.forwards[0].state,
        ecsdeck::store::ForwardState::Stopping
    );
    // Once ended, ctrl-k has nothing to stop.
    store.forwards[0].state = ecsdeck::store::ForwardState::Ended("stopped".into());
    store.touch();
    let commands = feed(&mut store, &mut ui, vec![fixture::ctrl('k')]);
    assert!(commands.is_empty());
}
