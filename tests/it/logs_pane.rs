//! The log pane through `update` and the renderer: which streams it follows, follow/pause,
//! search, filter, windows, save, clear, idle close, and escape-sequence injection.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixture::*;
use ecsdeck::backend::logs::LogEvent;
use ecsdeck::config::theme::Theme;
use ecsdeck::msg::Command;
use ecsdeck::msg::Msg;
use ecsdeck::state::UiState;
use ecsdeck::store::{Resource, Store};
use ecsdeck::update::log_pane as log_view;
use ecsdeck::views::ViewKind;

const STREAM_A: &str = "ecs/app/0f3a9c1b2d4e5f60718293a4b5c6d7e8";
const STREAM_B: &str = "ecs/app/9b8a7c6d5e4f30211203f4e5d6c7b8a9";

fn event(stream: &str, secs: i64, message: &str) -> LogEvent {
    LogEvent {
        timestamp: now() - Duration::seconds(120) + Duration::seconds(secs),
        ingestion_time: None,
        group: "/ecs/checkout-api".into(),
        stream: stream.into(),
        message: message.into(),
    }
}

/// Services → checkout-api → `l`.
fn open_service_logs() -> (Store, UiState) {
    let (mut store, mut ui) = (store(), ui());
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter), ch('l')]);
    (store, ui)
}

fn generation(store: &Store) -> u64 {
    store.log.as_ref().map_or(0, |s| s.generation)
}

fn lines(n: usize) -> Msg {
    Msg::LogEvents {
        generation: 1,
        events: (0..n)
            .map(|i| {
                let stream = if i % 2 == 0 { STREAM_A } else { STREAM_B };
                event(stream, i as i64, &format!("GET /v1/checkout/{i} 200 12ms"))
            })
            .collect(),
    }
}

fn render(store: &Store, ui: &mut UiState, width: u16, height: u16) -> String {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    let theme = Theme::default();
    if let Err(e) = terminal.draw(|f| ecsdeck::ui::draw(f, store, ui, &theme)) {
        panic!("{e}");
    }
    terminal.backend().to_string()
}

#[test]
fn l_on_a_service_follows_the_awslogs_streams_of_its_tasks() {
    let (store, ui) = open_service_logs();
    assert!(matches!(ui.top().kind, ViewKind::Logs { .. }));
    // The tasks and their task definition are polled while the pane is open.
    let focus = ui.focus(&store);
    assert!(
        focus
            .iter()
            .any(|r| matches!(r, Resource::TaskDefinition { arn } if arn.ends_with("api:42")))
    );
    let Some(log_focus) = log_view::focus(&store, &ui) else {
        panic!("no log focus");
    };
    let streams: Vec<&str> = log_focus
        .streams
        .iter()
        .map(|s| s.stream.as_str())
        .collect();
    assert_eq!(streams, vec![STREAM_A, STREAM_B]);
    assert!(
        log_focus
            .streams
            .iter()
            .all(|s| s.group == "/ecs/checkout-api")
    );
    // The FireLens sidecar is named with where its logs go.
    let ViewKind::Logs(ecsdeck::views::logs::Logs { scope }) = &ui.top().kind else {
        panic!()
    };
    let notes = scope.targets(&store).notes;
    assert_eq!(
        notes,
        vec!["envoy logs through FireLens to datadog (see the log router's destination)"]
    );
}

#[test]
fn the_tail_follows_tasks_as_they_start_and_stop() {
    let (mut store, mut ui) = open_service_logs();
    let mut tasks = running_tasks();
    tasks.remove(1);
    feed(
        &mut store,
        &mut ui,
        vec![fetched(
            Resource::Tasks {
                cluster: "prod".into(),
                filter: service_filter("checkout-api", ecsdeck::backend::DesiredStatus::Running),
            },
            ecsdeck::store::Payload::Tasks(tasks),
        )],
    );
    let focus = log_view::focus(&store, &ui).map(|f| (f.generation, f.streams.len()));
    // Same pane (same generation), one stream fewer: no reopen.
    assert_eq!(focus, Some((1, 1)));
}

#[test]
fn follow_pause_and_resume() {
    let (mut store, mut ui) = open_service_logs();
    feed(&mut store, &mut ui, vec![lines(100)]);
    let screen = render(&store, &mut ui, 100, 20);
    assert!(screen.contains("GET /v1/checkout/99 200"), "{screen}");
    assert!(screen.contains("FOLLOWING"));
    // Scrolling up pauses; new lines keep the view where it was.
    feed(&mut store, &mut ui, vec![ch('k'), ch('k')]);
    let paused = render(&store, &mut ui, 100, 20);
    assert!(paused.contains("PAUSED"), "{paused}");
    assert!(!paused.contains("checkout/99 "), "{paused}");
    let top_line_before = paused.lines().nth(3).map(str::to_string);
    feed(
        &mut store,
        &mut ui,
        vec![Msg::LogEvents {
            generation: 1,
            events: vec![event(STREAM_A, 200, "GET /v1/checkout/new 201 3ms")],
        }],
    );
    let still = render(&store, &mut ui, 100, 20);
    assert_eq!(still.lines().nth(3).map(str::to_string), top_line_before);
    // G resumes following and shows the newest line.
    feed(&mut store, &mut ui, vec![ch('G')]);
    let resumed = render(&store, &mut ui, 100, 20);
    assert!(
        resumed.contains("FOLLOWING") && resumed.contains("checkout/new"),
        "{resumed}"
    );
}

#[test]
fn stale_generations_are_dropped_and_windows_reload() {
    let (mut store, mut ui) = open_service_logs();
    feed(&mut store, &mut ui, vec![lines(10)]);
    assert_eq!(store.log.as_ref().map(|s| s.buffer.len()), Some(10));
    feed(&mut store, &mut ui, vec![ch('5')]);
    assert_eq!(generation(&store), 2);
    assert_eq!(store.log.as_ref().map(|s| s.buffer.len()), Some(0));
    let since = store.log.as_ref().map(|s| s.since);
    assert_eq!(since, Some(now() - Duration::hours(1)));
    // Lines from the old window arrive late: ignored.
    feed(&mut store, &mut ui, vec![lines(10)]);
    assert_eq!(store.log.as_ref().map(|s| s.buffer.len()), Some(0));
    feed(&mut store, &mut ui, vec![ch('c')]);
    assert_eq!(store.log.as_ref().map(|s| s.buffer.len()), Some(0));
}

#[test]
fn search_highlights_n_and_n_move_and_filter_mode_hides() {
    let (mut store, mut ui) = open_service_logs();
    let events = vec![
        event(STREAM_A, 1, "GET /health 200"),
        event(STREAM_B, 2, "payment FAILED: card declined"),
        event(STREAM_A, 3, "GET /health 200"),
        event(STREAM_B, 4, "payment failed: timeout"),
        event(STREAM_A, 5, "GET /health 200"),
    ];
    feed(
        &mut store,
        &mut ui,
        vec![Msg::LogEvents {
            generation: 1,
            events,
        }],
    );
    let mut keys = vec![ch('/')];
    keys.extend(type_text("failed"));
    keys.push(key(KeyCode::Enter));
    feed(&mut store, &mut ui, keys);
    // Enter jumps to the newest match.
    assert_eq!(ui.top().log.current_match, Some(3));
    feed(&mut store, &mut ui, vec![ch('N')]);
    assert_eq!(ui.top().log.current_match, Some(1));
    feed(&mut store, &mut ui, vec![ch('N')]);
    assert_eq!(ui.top().log.current_match, Some(1), "no older match: stays");
    feed(&mut store, &mut ui, vec![ch('n')]);
    assert_eq!(ui.top().log.current_match, Some(3));
    // Filter mode shows only matches.
    feed(&mut store, &mut ui, vec![ch('F'), ch('G')]);
    let screen = render(&store, &mut ui, 100, 12);
    assert!(
        screen.contains("card declined") && screen.contains("timeout"),
        "{screen}"
    );
    assert!(!screen.contains("/health"), "{screen}");
    // Esc in the search field clears the search.
    feed(&mut store, &mut ui, vec![ch('/'), key(KeyCode::Esc)]);
    assert_eq!(ui.top().log.search, None);
}

#[test]
fn ctrl_s_saves_what_is_shown() {
    let (mut store, mut ui) = open_service_logs();
    feed(&mut store, &mut ui, vec![lines(3)]);
    let cmds = feed(&mut store, &mut ui, vec![ctrl('s')]);
    let Some(Command::SaveLogs { path, text }) = cmds.into_iter().next() else {
        panic!("no save command");
    };
    assert!(
        path.to_string_lossy()
            .starts_with("ecsdeck-prod_checkout-api-"),
        "{path:?}"
    );
    assert_eq!(text.lines().count(), 3);
    assert!(
        text.contains("0f3a9c1b app GET /v1/checkout/0 200"),
        "{text}"
    );
}

#[test]
fn an_idle_pane_closes_its_live_tail_until_a_key_is_pressed() {
    let (mut store, mut ui) = open_service_logs();
    assert!(log_view::focus(&store, &ui).is_some());
    let later: DateTime<Utc> = now() + Duration::minutes(11);
    feed(
        &mut store,
        &mut ui,
        vec![Msg::Tick {
            now: later,
            api_calls_last_minute: 0,
        }],
    );
    assert!(log_view::focus(&store, &ui).is_none(), "idle: no session");
    let screen = render(&store, &mut ui, 100, 10);
    assert!(screen.contains("idle"), "{screen}");
    feed(&mut store, &mut ui, vec![ch('w')]);
    assert!(log_view::focus(&store, &ui).is_some(), "a key resumes");
    // Leaving the pane frees the buffer and stops the feed.
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    assert!(store.log.is_none());
    assert!(log_view::focus(&store, &ui).is_none());
}

#[test]
fn escape_sequences_in_log_lines_never_reach_the_terminal() {
    let (mut store, mut ui) = open_service_logs();
    let hostile = [
        "\x1b[2J\x1b[Hscreen cleared?",
        "\x1b]0;owned\x07title changed?",
        "\x1b]52;c;ZXZpbA==\x07clipboard?",
        "\x1b[31mred\x1b[0m ok",
        "bell\x07 and backspace\x08",
    ];
    let events = hostile
        .iter()
        .enumerate()
        .map(|(i, m)| event(STREAM_A, i as i64, m))
        .collect();
    feed(
        &mut store,
        &mut ui,
        vec![Msg::LogEvents {
            generation: 1,
            events,
        }],
    );
    let mut terminal = match Terminal::new(TestBackend::new(100, 12)) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    let theme = Theme::default();
    if let Err(e) = terminal.draw(|f| ecsdeck::ui::draw(f, &store, &mut ui, &theme)) {
        panic!("{e}");
    }
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "a control character reached the screen: {:?}",
            cell.symbol()
        );
    }
    let screen = terminal.backend().to_string();
    assert!(
        screen.contains("screen cleared?") && screen.contains("red ok"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn wrap_timestamps_and_json_expansion() {
    let (mut store, mut ui) = open_service_logs();
    let long = format!("{} END", "x".repeat(150));
    let events = vec![
        event(STREAM_A, 1, &long),
        event(
            STREAM_B,
            2,
            r#"{"level":"error","msg":"payment declined","amount":1299}"#,
        ),
    ];
    feed(
        &mut store,
        &mut ui,
        vec![Msg::LogEvents {
            generation: 1,
            events,
        }],
    );
    let plain = render(&store, &mut ui, 100, 12);
    assert!(!plain.contains("END"), "no wrap by default:\n{plain}");
    assert!(plain.contains(r#"{"level":"error","msg":"payment declined","amount":1299}"#));
    feed(&mut store, &mut ui, vec![ch('w'), ch('J'), ch('t')]);
    let expanded = render(&store, &mut ui, 100, 16);
    insta::assert_snapshot!(expanded);
    assert!(expanded.contains("END"), "{expanded}");
    assert!(
        expanded.contains(r#""msg": "payment declined","#),
        "{expanded}"
    );
}
