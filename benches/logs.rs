//! Log pane speed: lines ingested per second into the bounded buffer, and the time to render
//! one frame with 50,000 lines buffered (following, and paused deep in the buffer with a
//! search highlighted). Goals (issue 4): ≥ 100,000 lines/s ingested, a frame under 2 ms.
//!
//! Run: `cargo bench --bench logs`.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // benchmark setup

use std::hint::black_box;

use chrono::{DateTime, Duration, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use ecsdeck::backend::logs::LogEvent;
use ecsdeck::backend::{Connection, TaskFilter};
use ecsdeck::config::theme::Theme;
use ecsdeck::keymap::Keymap;
use ecsdeck::logs::{LogBuffer, LogScope, LogSession};
use ecsdeck::msg::Msg;
use ecsdeck::state::UiState;
use ecsdeck::store::Store;
use ecsdeck::views::ViewKind;

fn events(n: usize) -> Vec<LogEvent> {
    let start = DateTime::<Utc>::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    (0..n)
        .map(|i| LogEvent {
            timestamp: start + Duration::milliseconds(i as i64),
            ingestion_time: None,
            group: "/ecs/checkout-api".into(),
            stream: format!("ecs/app/{:032x}", i % 12),
            message: format!(
                "GET /v1/checkout/{i} 200 {}ms request_id={:016x} user_agent=okhttp/4.12.0",
                i % 300,
                i * 7919
            ),
        })
        .collect()
}

fn ingest(c: &mut Criterion) {
    let batch = events(100_000);
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(batch.len() as u64));
    group.bench_function("100k lines into a 50k buffer", |b| {
        b.iter(|| {
            let mut buffer = LogBuffer::new(50_000);
            buffer.extend(black_box(&batch).iter());
            black_box(buffer.len())
        })
    });
    group.finish();
}

fn ui_with_logs(scroll: usize, search: Option<&str>) -> (Store, UiState) {
    let mut store = Store::default();
    let now = DateTime::<Utc>::from_timestamp(1_795_000_100, 0).unwrap_or_default();
    let mut session = LogSession::new(1, 50_000, 2, now);
    session.buffer.extend(events(50_000).iter());
    store.log = Some(session);
    let connection = Connection {
        region: "eu-west-1".into(),
        ..Connection::default()
    };
    let mut ui = UiState::new(connection, Keymap::default(), now);
    ui.push(ViewKind::Logs(ecsdeck::views::logs::Logs {
        scope: LogScope::Task {
            cluster: "prod".into(),
            filter: TaskFilter::default(),
            task_arn: "arn:aws:ecs:eu-west-1:1:task/prod/0".into(),
        },
    }));
    ui.top_mut().log.scroll = scroll;
    ui.top_mut().log.search = search.map(str::to_string);
    (store, ui)
}

fn render(c: &mut Criterion) {
    let theme = Theme::default();
    let mut group = c.benchmark_group("frame with 50k lines");
    for (name, scroll, search) in [
        ("following", 0, None),
        ("paused at 25k with a search", 25_000, Some("checkout/2")),
    ] {
        let (store, mut ui) = ui_with_logs(scroll, search);
        let mut terminal = match Terminal::new(TestBackend::new(200, 60)) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let result = terminal.draw(|f| ecsdeck::ui::draw(f, &store, &mut ui, &theme));
                black_box(result.is_ok())
            })
        });
    }
    group.finish();
}

/// One key press (`k`, scroll up a line) and a frame at 80x24 with wrap on, when the newest
/// line is 1 MB long versus when it is short: wrapping builds only the rows on screen, so the
/// two should cost about the same (issue 13: it was up to half a second per key).
fn huge_line(c: &mut Criterion) {
    let theme = Theme::default();
    let mut group = c.benchmark_group("wrap on at 80x24, key press + frame");
    for (name, length) in [("short newest line", 80), ("1 MB newest line", 1 << 20)] {
        let (mut store, mut ui) = ui_with_logs(0, None);
        if let Some(session) = store.log.as_mut() {
            let mut line = events(1).remove(0);
            line.timestamp = DateTime::<Utc>::from_timestamp(1_795_000_099, 0).unwrap_or_default();
            line.message = "x".repeat(length);
            session.buffer.extend(std::iter::once(&line));
        }
        ui.top_mut().log.wrap = true;
        let mut terminal = match Terminal::new(TestBackend::new(80, 24)) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        let keys = [KeyCode::Char('k'), KeyCode::Char('j')];
        let mut n = 0usize;
        group.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                let key = KeyEvent::new(keys[n % 2], KeyModifiers::NONE);
                ecsdeck::update::update(&mut store, &mut ui, Msg::Key(key));
                let result = terminal.draw(|f| ecsdeck::ui::draw(f, &store, &mut ui, &theme));
                black_box(result.is_ok())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, ingest, render, huge_line);
criterion_main!(benches);
