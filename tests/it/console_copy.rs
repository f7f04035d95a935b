//! `O` (open in the AWS console) and `c` (copy) through `update`: the command each row and
//! view asks for, with the right URL or text, the status line, and how the app's report of
//! opening comes back. The URL shapes themselves are unit-tested in `domain::console`.

use chrono::Duration;
use crossterm::event::KeyCode;

use crate::fixture::*;
use ecsdeck::config::Config;
use ecsdeck::desktop::Report;
use ecsdeck::domain::journal::{ActionResult, JournalEntry};
use ecsdeck::domain::pending::{PendingChange, PendingState, Until};
use ecsdeck::keymap::{Action, KeyContext, Keymap};
use ecsdeck::msg::{Command, Msg};
use ecsdeck::state::{StatusLevel, UiState};
use ecsdeck::store::{Payload, Resource, Store};
use ecsdeck::views::describe::{DescribeTarget, lines};

const CONSOLE: &str = "https://eu-west-1.console.aws.amazon.com";

fn open(url: &str, what: &str) -> Vec<Command> {
    vec![Command::OpenUrl {
        url: url.to_string(),
        what: what.to_string(),
    }]
}

fn copied(text: &str, what: &str) -> Vec<Command> {
    vec![Command::Copy {
        text: text.to_string(),
        what: what.to_string(),
    }]
}

fn status(ui: &UiState) -> String {
    ui.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn arn(kind: &str, rest: &str) -> String {
    format!("arn:aws:ecs:eu-west-1:{ACCOUNT}:{kind}/{rest}")
}

/// Store and UI after `keys` from the clusters view.
fn at(keys: Vec<Msg>) -> (Store, UiState) {
    let (mut store, mut ui) = (store(), ui());
    feed(&mut store, &mut ui, keys);
    (store, ui)
}

fn press(store: &mut Store, ui: &mut UiState, c: char) -> Vec<Command> {
    feed(store, ui, vec![ch(c)])
}

#[test]
fn o_on_a_cluster_row_opens_its_services_and_c_copies_its_arn() {
    let (mut store, mut ui) = at(vec![]);
    assert_eq!(
        press(&mut store, &mut ui, 'O'),
        open(
            &format!("{CONSOLE}/ecs/v2/clusters/prod/services?region=eu-west-1"),
            "cluster prod"
        )
    );
    assert_eq!(status(&ui), "Opening cluster prod in the AWS console…");
    assert_eq!(
        press(&mut store, &mut ui, 'c'),
        copied(&arn("cluster", "prod"), "the ARN of cluster prod")
    );
    assert_eq!(status(&ui), "Copied the ARN of cluster prod.");
}

#[test]
fn o_on_a_service_row_opens_its_health_tab_and_c_copies_its_arn() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter)]);
    assert_eq!(
        press(&mut store, &mut ui, 'O'),
        open(
            &format!(
                "{CONSOLE}/ecs/v2/clusters/prod/services/checkout-api/health?region=eu-west-1"
            ),
            "service checkout-api"
        )
    );
    assert_eq!(
        press(&mut store, &mut ui, 'c'),
        copied(
            &arn("service", "prod/checkout-api"),
            "the ARN of service checkout-api"
        )
    );
    assert_eq!(status(&ui), "Copied the ARN of service checkout-api.");
}

#[test]
fn o_on_a_task_row_opens_its_configuration_and_c_copies_its_arn() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter), key(KeyCode::Enter)]);
    assert_eq!(
        press(&mut store, &mut ui, 'O'),
        open(
            &format!(
                "{CONSOLE}/ecs/v2/clusters/prod/tasks/{TASK_A}/configuration?region=eu-west-1"
            ),
            "task 0f3a9c1b"
        )
    );
    assert_eq!(
        press(&mut store, &mut ui, 'c'),
        copied(
            &arn("task", &format!("prod/{TASK_A}")),
            "the ARN of task 0f3a9c1b"
        )
    );
}

#[test]
fn a_container_opens_its_log_stream_or_its_task_and_copies_its_tasks_arn() {
    let (mut store, mut ui) = at(vec![
        key(KeyCode::Enter),
        key(KeyCode::Enter),
        key(KeyCode::Enter),
    ]);
    // `app` logs with awslogs: its own stream, `/` written `$252F`.
    assert_eq!(
        press(&mut store, &mut ui, 'O'),
        open(
            &format!(
                "{CONSOLE}/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/\
                 $252Fecs$252Fcheckout-api/log-events/ecs$252Fapp$252F{TASK_A}"
            ),
            &format!("log stream ecs/app/{TASK_A} of /ecs/checkout-api")
        )
    );
    assert_eq!(
        press(&mut store, &mut ui, 'c'),
        copied(
            &arn("task", &format!("prod/{TASK_A}")),
            "the ARN of task 0f3a9c1b (container app's task)"
        )
    );
    // `envoy` logs through FireLens: its task's page, with it selected.
    feed(&mut store, &mut ui, vec![ch('j')]);
    assert_eq!(
        press(&mut store, &mut ui, 'O'),
        open(
            &format!(
                "{CONSOLE}/ecs/v2/clusters/prod/tasks/{TASK_A}/configuration?region=eu-west-1\
                 &selectedContainer=envoy"
            ),
            "task 0f3a9c1b (container envoy)"
        )
    );
}

#[test]
fn describe_opens_what_it_shows_and_c_copies_the_json_shown() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter), ch('d')]);
    assert_eq!(
        press(&mut store, &mut ui, 'O'),
        open(
            &format!(
                "{CONSOLE}/ecs/v2/clusters/prod/services/checkout-api/health?region=eu-west-1"
            ),
            "service checkout-api"
        )
    );
    let shown = lines(
        &store,
        &DescribeTarget::Service {
            cluster: "prod".into(),
            name: "checkout-api".into(),
        },
    )
    .unwrap_or_default();
    assert!(shown.len() > 20, "{shown:?}");
    let what = format!("{} lines of JSON", shown.len());
    assert_eq!(
        press(&mut store, &mut ui, 'c'),
        copied(&shown.join("\n"), &what)
    );
    assert_eq!(status(&ui), format!("Copied {what}."));
}

#[test]
fn a_task_definition_opens_its_revision() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter), ch('t')]);
    assert_eq!(
        press(&mut store, &mut ui, 'O'),
        open(
            &format!("{CONSOLE}/ecs/v2/task-definitions/api/42/containers?region=eu-west-1"),
            "task definition api:42"
        )
    );
}

#[test]
fn triage_events_and_detail_open_the_service() {
    let service_url = |name: &str| {
        format!("{CONSOLE}/ecs/v2/clusters/prod/services/{name}/health?region=eu-west-1")
    };
    let keys = command("triage prod");
    let (mut store, mut ui) = at(keys);
    let row = ui.selected_key(&store).unwrap_or_default();
    let service = row.strip_prefix("prod/").unwrap_or_default().to_string();
    assert!(!service.is_empty(), "no triage row: {row}");
    assert_eq!(
        press(&mut store, &mut ui, 'O'),
        open(&service_url(&service), &format!("service {service}"))
    );
    assert_eq!(
        press(&mut store, &mut ui, 'c'),
        copied(
            &arn("service", &format!("prod/{service}")),
            &format!("the ARN of service {service}")
        )
    );

    for view in ['e', 'm'] {
        let (mut store, mut ui) = at(vec![key(KeyCode::Enter), ch(view)]);
        assert_eq!(
            press(&mut store, &mut ui, 'O'),
            open(&service_url("checkout-api"), "service checkout-api"),
            "view {view}"
        );
    }
}

#[test]
fn c_on_an_event_copies_its_message() {
    let (mut store, mut ui) = at(vec![]);
    let mut services = services();
    services[0].events = vec![ecsdeck::domain::ecs::ServiceEvent {
        id: "e1".into(),
        created_at: Some(now() - Duration::seconds(60)),
        message: "(service checkout-api) has reached a steady state.".into(),
    }];
    store.apply(
        &Resource::Services {
            cluster: "prod".into(),
        },
        Ok(Payload::Services(services)),
        now(),
    );
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter), ch('e')]);
    assert_eq!(
        press(&mut store, &mut ui, 'c'),
        copied(
            "(service checkout-api) has reached a steady state.",
            "an event of service checkout-api"
        )
    );
}

#[test]
fn the_log_pane_opens_its_log_group() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter), ch('l')]);
    // Two tasks, one stream each, in one group: the group.
    assert_eq!(
        press(&mut store, &mut ui, 'O'),
        open(
            &format!(
                "{CONSOLE}/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/\
                 $252Fecs$252Fcheckout-api"
            ),
            "log group /ecs/checkout-api"
        )
    );
    // `c` keeps clearing the pane there: no copy.
    assert!(press(&mut store, &mut ui, 'c').is_empty());
}

#[test]
fn a_journal_entry_has_no_console_page_and_copies_as_one_line() {
    let (mut store, mut ui) = at(vec![]);
    store.journal.push(JournalEntry {
        time: now(),
        profile: Some("prod-admin".into()),
        region: "eu-west-1".into(),
        account: Some(ACCOUNT.into()),
        cluster: "prod".into(),
        target: "checkout-api".into(),
        change: "prod/checkout-api desired 3 → 5".into(),
        result: ActionResult::Done,
    });
    let keys = command("journal");
    feed(&mut store, &mut ui, keys);
    assert!(press(&mut store, &mut ui, 'O').is_empty());
    assert_eq!(
        status(&ui),
        "A journal entry has no page in the AWS console."
    );
    let commands = press(&mut store, &mut ui, 'c');
    let [Command::Copy { text, what }] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    assert!(text.contains("prod/checkout-api desired 3 → 5"), "{text}");
    assert_eq!(what, "the journal entry");
}

#[test]
fn a_pending_change_opens_what_it_acts_on() {
    let (mut store, mut ui) = at(vec![]);
    for (id, key) in [
        (1, "checkout-api".to_string()),
        (2, arn("task", &format!("prod/{TASK_A}"))),
    ] {
        ui.pending.push(PendingChange {
            id,
            cluster: "prod".into(),
            key,
            label: "stopping".into(),
            state: PendingState::Sending(Until::TaskStopped),
            since: now(),
        });
    }
    let keys = command("pending");
    feed(&mut store, &mut ui, keys);
    let first = press(&mut store, &mut ui, 'O');
    feed(&mut store, &mut ui, vec![ch('j')]);
    let second = press(&mut store, &mut ui, 'O');
    let whats: Vec<String> = [first, second]
        .concat()
        .into_iter()
        .filter_map(|c| match c {
            Command::OpenUrl { what, .. } => Some(what),
            _ => None,
        })
        .collect();
    assert_eq!(whats, ["service checkout-api", "task 0f3a9c1b"]);
}

#[test]
fn read_only_allows_both_they_change_nothing() {
    let (mut store, mut ui) = at(vec![key(KeyCode::Enter)]);
    ui.settings.read_only = true;
    assert_eq!(press(&mut store, &mut ui, 'O').len(), 1);
    assert_eq!(press(&mut store, &mut ui, 'c').len(), 1);
}

#[test]
fn how_opening_went_comes_back_as_a_status_line() {
    let (mut store, mut ui) = at(vec![]);
    let url = format!("{CONSOLE}/ecs/v2/clusters/prod/services?region=eu-west-1");
    let what = "cluster prod".to_string();
    let report = |r: Report| vec![Msg::Desktop(r)];

    let commands = feed(
        &mut store,
        &mut ui,
        report(Report::Opened {
            what: what.clone(),
            url: url.clone(),
        }),
    );
    assert!(commands.is_empty());
    assert_eq!(status(&ui), "Opened cluster prod in the AWS console.");

    // No display (SSH): the URL is shown and copied.
    let commands = feed(
        &mut store,
        &mut ui,
        report(Report::NoDisplay {
            what: what.clone(),
            url: url.clone(),
        }),
    );
    assert_eq!(commands, copied(&url, "the console URL of cluster prod"));
    assert_eq!(
        status(&ui),
        format!("No display to open a browser on; copied the console URL: {url}")
    );

    let commands = feed(
        &mut store,
        &mut ui,
        report(Report::OpenFailed {
            what: what.clone(),
            url: url.clone(),
            error: "xdg-open failed (exit status: 3)".into(),
        }),
    );
    assert_eq!(commands, copied(&url, "the console URL of cluster prod"));
    assert!(status(&ui).starts_with("Could not open a browser (xdg-open failed"));
    assert_eq!(
        ui.status.as_ref().map(|s| s.level),
        Some(StatusLevel::Warning)
    );

    feed(
        &mut store,
        &mut ui,
        report(Report::CopyFailed {
            what,
            error: "broken pipe".into(),
        }),
    );
    assert_eq!(status(&ui), "Could not copy cluster prod: broken pipe");
}

#[test]
fn the_demo_still_opens_in_its_region_and_says_the_page_will_be_empty() {
    let connection = ecsdeck::backend::demo::DemoBackend::connection();
    assert_eq!(connection.region, "eu-west-1");
    let mut ui = UiState::new(connection, Keymap::default(), now());
    let mut store = store();
    let commands = press(&mut store, &mut ui, 'O');
    assert_eq!(
        commands,
        open(
            &format!("{CONSOLE}/ecs/v2/clusters/prod/services?region=eu-west-1"),
            "cluster prod"
        )
    );
    feed(
        &mut store,
        &mut ui,
        vec![Msg::Desktop(Report::Opened {
            what: "cluster prod".into(),
            url: String::new(),
        })],
    );
    assert!(status(&ui).contains("the demo fleet is not in AWS"));
}

#[test]
fn the_keys_are_in_the_keymap_help_and_footer_and_rebindable() {
    let keymap = Keymap::default();
    for context in [
        KeyContext::Clusters,
        KeyContext::Services,
        KeyContext::Tasks,
        KeyContext::Containers,
        KeyContext::Journal,
        KeyContext::List,
        KeyContext::Describe,
        KeyContext::Events,
        KeyContext::Triage,
        KeyContext::Detail,
    ] {
        assert_eq!(
            keymap.keys_for(context, Action::OpenConsole),
            "O",
            "{context:?}"
        );
        assert_eq!(keymap.keys_for(context, Action::Copy), "c", "{context:?}");
    }
    assert_eq!(keymap.keys_for(KeyContext::Logs, Action::OpenConsole), "O");
    assert_eq!(keymap.keys_for(KeyContext::Logs, Action::Copy), "");
    assert!(Action::OpenConsole.in_footer() && Action::Copy.in_footer());
    assert!(!Action::OpenConsole.is_mutating() && !Action::Copy.is_mutating());
    assert_eq!(Action::from_name("open_console"), Some(Action::OpenConsole));
    assert_eq!(Action::from_name("copy"), Some(Action::Copy));

    let config = Config::parse("[keys]\nopen_console = \"ctrl-o\"\ncopy = \"y\"\n", "test");
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
    assert_eq!(
        config
            .keymap
            .keys_for(KeyContext::Services, Action::OpenConsole),
        "ctrl-o"
    );
    assert_eq!(
        config.keymap.keys_for(KeyContext::Describe, Action::Copy),
        "y"
    );
}
