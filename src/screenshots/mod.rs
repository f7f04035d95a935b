//! The README's screenshots, made by the product itself: the demo fleet at a fixed seed and
//! clock, fetched the way the poller and the log tailer fetch it, driven by key presses
//! through `update`, drawn by `ui::draw` on a `TestBackend` and written as SVG
//! (`ui::svg`). `examples/screenshots.rs` writes them (and PNGs); a test in `tests/it`
//! fails when a committed SVG no longer matches, so the pictures cannot drift from the code.
//!
//! Nothing here reads the wall clock: the fleet is generated and stepped at fixed times,
//! metrics are asked "as of" the fixed clock, and the UI's clock is set to it, so the same
//! code gives the same bytes.

mod scenes;

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use crate::backend::LogsBackend;
use crate::backend::counting::{CallLog, CountingBackend};
use crate::backend::demo::{DemoBackend, DemoFleet};
use crate::config::theme::Theme;
use crate::keymap::Keymap;
use crate::msg::Msg;
use crate::poller::fetch_resource_at;
use crate::state::UiState;
use crate::store::{Resource, Store};
use crate::ui::svg::{Canvas, to_svg};
use crate::update::{log_pane, update};

pub use scenes::{SCENES, Scene};

/// Every screenshot has this size, in terminal cells.
pub const WIDTH: u16 = 120;
pub const HEIGHT: u16 = 36;
/// The demo fleet's seed: `ecsdeck --demo`'s default.
pub const SEED: u64 = 42;
/// Simulation steps (2 s each) between the fleet's creation and the picture, so rollouts
/// have progressed, a crash-looping task has stopped and logs have flowed.
const WARM_UP_STEPS: i64 = 20;
/// Rounds of "fetch what is on screen, draw" before a scene is taken as it is.
const MAX_SETTLE_ROUNDS: usize = 8;
/// FilterLogEvents pages read when back-filling the log pane.
const MAX_LOG_PAGES: usize = 20;

/// The fixed "now" of every screenshot: 21 November 2026, 09:41:00 UTC.
pub fn clock() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_795_254_060, 0).unwrap_or_default()
}

/// One rendered screenshot.
#[derive(Debug, Clone)]
pub struct Shot {
    /// The file name without extension (`services`).
    pub name: &'static str,
    /// What it shows, for the README's alt text.
    pub caption: &'static str,
    pub svg: String,
    /// The screen as plain text, one line per row (what tests read).
    pub text: String,
}

/// The terminal background behind a theme (themes have no role for it; the terminal owns
/// it): dark behind the default theme, white behind the light one.
pub fn canvas(theme: &Theme, light: bool) -> Canvas {
    Canvas {
        foreground: theme.text,
        background: if light {
            Color::Rgb(0xff, 0xff, 0xff)
        } else {
            Color::Rgb(0x1f, 0x23, 0x2b)
        },
    }
}

/// Renders every scene, in README order.
pub fn render_all() -> Result<Vec<Shot>, String> {
    SCENES.iter().map(|scene| scene.render()).collect()
}

/// A dashboard on the frozen demo fleet, without the event loop: what the poller and the
/// tailer would send is fetched and fed to `update` directly.
pub(crate) struct Session {
    backend: CountingBackend<DemoBackend>,
    calls: std::sync::Arc<CallLog>,
    runtime: tokio::runtime::Runtime,
    pub(crate) store: Store,
    pub(crate) ui: UiState,
    pub(crate) theme: Theme,
    /// Resources fetched once already: a picture needs no second poll.
    fetched: HashSet<Resource>,
    /// The log pane generation already back-filled.
    logs_filled: Option<u64>,
}

impl Session {
    pub(crate) fn new(theme: Theme) -> Result<Session, String> {
        let start = clock() - Duration::seconds(2 * WARM_UP_STEPS);
        let mut fleet = DemoFleet::generate(SEED, start);
        for step in 1..=WARM_UP_STEPS {
            fleet.step(start + Duration::seconds(2 * step));
        }
        let backend = CountingBackend::new(DemoBackend::from_fleet(fleet));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .map_err(|e| format!("Could not start a runtime for the demo backend: {e}."))?;
        let mut ui = UiState::new(DemoBackend::connection(), Keymap::default(), clock());
        ui.settings.user = "oncall".into();
        Ok(Session {
            calls: backend.log(),
            backend,
            runtime,
            store: Store::default(),
            ui,
            theme,
            fetched: HashSet::new(),
            logs_filled: None,
        })
    }

    /// Feeds one message to `update`. Commands (mutations, refreshes) are not run: a
    /// picture never changes the fleet.
    pub(crate) fn send(&mut self, msg: Msg) {
        let _ = update(&mut self.store, &mut self.ui, msg);
    }

    /// Presses keys: each character is a key, `\n` is Enter and `\u{8}` Backspace.
    pub(crate) fn keys(&mut self, keys: &str) -> Result<(), String> {
        for c in keys.chars() {
            let code = match c {
                '\n' => KeyCode::Enter,
                '\u{8}' => KeyCode::Backspace,
                c => KeyCode::Char(c),
            };
            self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
            self.settle()?;
        }
        Ok(())
    }

    /// Moves the cursor of the top table to the row with this key, pressing `j`/`k`.
    pub(crate) fn select(&mut self, key: &str) -> Result<(), String> {
        let ctx = self.ui.row_context(&self.store);
        let rows = self.ui.top().rows(&ctx);
        let keys: Vec<String> = rows
            .map(|m| m.rows.iter().map(|r| r.key.clone()).collect())
            .unwrap_or_default();
        let target = keys
            .iter()
            .position(|k| k == key)
            .ok_or_else(|| format!("no row {key} on screen (rows: {keys:?})"))?;
        let current = self
            .ui
            .selected_key(&self.store)
            .and_then(|k| keys.iter().position(|r| *r == k))
            .unwrap_or(0);
        let (presses, key) = if target >= current {
            (target - current, "j")
        } else {
            (current - target, "k")
        };
        self.keys(&key.repeat(presses))
    }

    /// Fetches what the screen asks for until it asks for nothing new, as the poller and
    /// the tailer would after a key press (drawing in between: rows on screen decide
    /// per-row data).
    pub(crate) fn settle(&mut self) -> Result<(), String> {
        for _ in 0..MAX_SETTLE_ROUNDS {
            self.draw()?;
            let wanted: Vec<Resource> = self
                .ui
                .focus(&self.store)
                .into_iter()
                .filter(|r| !self.fetched.contains(r))
                .collect();
            let logs = self.fill_logs();
            if wanted.is_empty() && !logs {
                return Ok(());
            }
            for resource in wanted {
                let result =
                    self.runtime
                        .block_on(fetch_resource_at(&self.backend, &resource, clock()));
                self.fetched.insert(resource.clone());
                self.send(Msg::Fetched {
                    resource,
                    result,
                    at: clock(),
                });
            }
        }
        Ok(())
    }

    /// Back-fills an open log pane once, as the tailer does when it opens: the pane's
    /// window of every stream it follows, in time order. True when it fed anything.
    fn fill_logs(&mut self) -> bool {
        let Some(focus) = log_pane::focus(&self.store, &self.ui) else {
            return false;
        };
        if self.logs_filled == Some(focus.generation) || focus.streams.is_empty() {
            return false;
        }
        self.logs_filled = Some(focus.generation);
        let mut groups: Vec<&str> = focus.streams.iter().map(|s| s.group.as_str()).collect();
        groups.dedup();
        let mut events = Vec::new();
        for group in groups {
            let streams: Vec<String> = focus
                .streams
                .iter()
                .filter(|s| s.group == group)
                .map(|s| s.stream.clone())
                .take(crate::backend::logs::FILTER_MAX_STREAMS)
                .collect();
            let mut token = None;
            for _ in 0..MAX_LOG_PAGES {
                let page = self.runtime.block_on(self.backend.filter_log_events(
                    group,
                    &streams,
                    focus.since,
                    Some(clock()),
                    token,
                ));
                let Ok(page) = page else { break };
                events.extend(page.events);
                token = page.next_token;
                if token.is_none() {
                    break;
                }
            }
        }
        events.sort_by_key(|e| e.timestamp);
        let generation = focus.generation;
        self.send(Msg::LogEvents { generation, events });
        self.send(Msg::LogState {
            generation,
            state: crate::logs::TailState::Live,
        });
        true
    }

    /// Draws the current screen on a fresh `TestBackend`.
    fn draw(&mut self) -> Result<Terminal<TestBackend>, String> {
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT))
            .map_err(|e| format!("test terminal: {e}"))?;
        let (store, ui, theme) = (&self.store, &mut self.ui, &self.theme);
        terminal
            .draw(|frame| crate::ui::draw(frame, store, ui, theme))
            .map_err(|e| format!("draw: {e}"))?;
        Ok(terminal)
    }

    /// The screen as it stands (SVG and plain text), after the clock's tick (which also
    /// carries the API calls the scene cost, for the header's readout).
    pub(crate) fn picture(&mut self, light: bool) -> Result<(String, String), String> {
        self.settle()?;
        let calls = self.calls.totals().values().sum::<u64>();
        self.send(Msg::Tick {
            now: clock(),
            api_calls_last_minute: usize::try_from(calls).unwrap_or(usize::MAX),
        });
        let terminal = self.draw()?;
        let buffer = terminal.backend().buffer();
        let text = (0..buffer.area.height)
            .map(|y| {
                let row: String = (0..buffer.area.width)
                    .filter_map(|x| buffer.cell((x, y)).map(|c| c.symbol().to_string()))
                    .collect();
                format!("{}\n", row.trim_end())
            })
            .collect();
        Ok((to_svg(buffer, &canvas(&self.theme, light)), text))
    }
}
