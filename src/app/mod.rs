//! The event loop: the UI task. It owns the store and the UI state, turns terminal events,
//! poller results and ticks into messages for `update`, runs the commands that come back,
//! tells the poller what is on screen, and redraws only when something changed (≤ 60 fps).

mod context;

use context::{Follow, Workers};
mod session;

pub use context::{Connected, Connector};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::Event;
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use tokio::sync::{Notify, mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};

use crate::backend::Backend;
use crate::backend::counting::CallLog;
use crate::config::RefreshIntervals;
use crate::config::theme::Theme;
use crate::desktop::Report;
use crate::executor::{self, ActionContext};
use crate::msg::Command;
use crate::msg::Msg;
use crate::state::UiState;
use crate::store::Store;
use crate::ui;
use crate::update::log_pane;
use crate::update::update;

/// The shortest time between two frames: about 60 fps.
const FRAME: Duration = Duration::from_millis(16);

/// Everything the loop needs besides the terminal and its events.
pub struct App {
    pub backend: Arc<dyn Backend>,
    pub call_log: Arc<CallLog>,
    pub intervals: RefreshIntervals,
    pub theme: Theme,
    pub store: Store,
    pub ui: UiState,
    /// Read-only flag, profile, region and journal path for the executor.
    pub actions: ActionContext,
    /// True with a real terminal: a shell session then leaves the alternate screen and raw
    /// mode while it runs. False under a test backend.
    pub interactive: bool,
    /// Builds the backend of another profile or region (`:ctx`, `:region`).
    pub connector: Connector,
    /// The backends of the other regions the session spans (`regions = [...]`), by region.
    pub regional: std::collections::BTreeMap<String, Connected>,
}

/// Why the loop ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    /// The user quit (or a signal asked us to).
    Quit,
    /// The terminal's event stream ended.
    EventsClosed,
}

impl App {
    /// Runs until the user quits, on one stream of terminal events (a channel in tests).
    pub async fn run<B, E>(
        self,
        terminal: &mut Terminal<B>,
        events: E,
    ) -> std::io::Result<(Exit, App)>
    where
        B: ratatui::backend::Backend,
        E: Stream<Item = std::io::Result<Event>> + Unpin,
        B::Error: std::fmt::Display,
    {
        let mut once = Some(events);
        self.run_with_events(terminal, move || once.take()).await
    }

    /// Runs until the user quits. `make_events` gives the terminal's events (crossterm's
    /// `EventStream` in the binary); it is called again after a shell session, because the
    /// stream is dropped while the session has the terminal (its reader would otherwise
    /// take the shell's keystrokes). SIGTERM/SIGINT/SIGHUP arrive as `Msg::Terminate`.
    pub async fn run_with_events<B, E, F>(
        mut self,
        terminal: &mut Terminal<B>,
        mut make_events: F,
    ) -> std::io::Result<(Exit, App)>
    where
        B: ratatui::backend::Backend,
        E: Stream<Item = std::io::Result<Event>> + Unpin,
        F: FnMut() -> Option<E>,
        B::Error: std::fmt::Display,
    {
        let mut events = make_events();
        let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
        let follow = Follow {
            focus: watch::channel(self.ui.focus(&self.store)).0,
            log_focus: watch::channel(log_pane::focus(&self.store, &self.ui)).0,
            visible: watch::channel(self.ui.visible_rows()).0,
            refresh_now: Arc::new(Notify::new()),
        };
        let mut workers = Workers::spawn(&self, &follow);
        let in_session = Arc::new(AtomicBool::new(false));
        let mut forwards = crate::session::forward::Running::default();
        let signals = spawn_signal_forwarder(tx.clone(), Arc::clone(&in_session));

        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut dirty = true;
        let mut last_draw: Option<Instant> = None;

        let exit = loop {
            let now = Instant::now();
            let draw_at = last_draw.map_or(now, |t| t + FRAME);
            if dirty && draw_at <= now {
                self.draw(terminal)?;
                dirty = false;
                last_draw = Some(now);
                // Drawing decides which rows are on screen, and so what per-row data to poll.
                self.publish_focus(&follow, &workers);
            }
            let msg = tokio::select! {
                event = next_event(&mut events) => match event {
                    Some(Ok(Event::Key(key))) => Msg::Key(key),
                    Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                    Some(Ok(Event::Resize(..))) => Msg::Resize,
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => {
                        tracing::error!("terminal event error: {e}");
                        break Exit::EventsClosed;
                    }
                    None => break Exit::EventsClosed,
                },
                Some(msg) = rx.recv() => msg,
                Some(msg) = workers.rx.recv() => msg,
                _ = tick.tick() => self.tick(&tx),
                _ = tokio::time::sleep_until(draw_at), if dirty => continue,
            };
            dirty = true;
            let commands = update(&mut self.store, &mut self.ui, msg);
            self.publish_focus(&follow, &workers);
            if commands.contains(&Command::Quit) {
                break Exit::Quit;
            }
            for command in commands {
                if let Command::RunSession { plan, session } = command {
                    // The session has the terminal: no event reader, no quitting on ctrl-c.
                    drop(events.take());
                    in_session.store(true, Ordering::SeqCst);
                    let ended = self.run_session(terminal, &plan, &session);
                    in_session.store(false, Ordering::SeqCst);
                    events = make_events();
                    dirty = true;
                    let _ = tx.send(ended?);
                } else if let Command::SwitchContext { target, previous } = command {
                    let outcome = self
                        .switch_context(target, previous, &mut workers, &follow)
                        .await;
                    let _ = tx.send(outcome);
                } else if let Some(command) = self.forward_command(command, &mut forwards, &tx) {
                    if command == Command::RefreshNow {
                        workers.refresh_regional();
                    }
                    self.run_command(command, &follow.refresh_now, &tx);
                }
            }
        };
        // Forwards end with ecsdeck, their sessions terminated (waiting a few seconds at most).
        forwards.stop_all().await;
        workers.stop();
        signals.abort();
        Ok((exit, self))
    }
}

impl App {
    /// Tells every worker what the screen needs now: the poller, the log tailer, and the
    /// other regions' pollers.
    fn publish_focus(&self, follow: &Follow, workers: &Workers) {
        publish(&follow.focus, self.ui.focus(&self.store));
        publish(&follow.log_focus, log_pane::focus(&self.store, &self.ui));
        publish(&follow.visible, self.ui.visible_rows());
        workers.publish_regional(self.ui.regional_focus(&self.store));
    }

    /// Once a second: the clock and the API readouts (the header's calls per minute now, and
    /// `:budget`'s per-operation usage right behind it).
    fn tick(&self, tx: &mpsc::UnboundedSender<Msg>) -> Msg {
        let _ = tx.send(Msg::ApiUsage(self.api_usage()));
        let _ = tx.send(Msg::BudgetLevels(self.budget_levels()));
        Msg::Tick {
            now: chrono::Utc::now(),
            api_calls_last_minute: self.calls_last_minute(),
        }
    }

    fn draw<B>(&mut self, terminal: &mut Terminal<B>) -> std::io::Result<()>
    where
        B: ratatui::backend::Backend,
        B::Error: std::fmt::Display,
    {
        terminal
            .draw(|frame| ui::draw(frame, &self.store, &mut self.ui, &self.theme))
            .map(|_| ())
            .map_err(|e| std::io::Error::other(e.to_string()))
    }

    /// Carries out one command from `update`: its outcome comes back as a message.
    fn run_command(&self, command: Command, refresh_now: &Notify, tx: &mpsc::UnboundedSender<Msg>) {
        match command {
            Command::RefreshNow => refresh_now.notify_one(),
            Command::SaveLogs { path, text } => save_logs(path, text, tx.clone()),
            Command::Mutate {
                id,
                mutation,
                account,
            } => executor::spawn(
                Arc::clone(&self.backend) as Arc<dyn crate::backend::MutationBackend>,
                self.actions.clone(),
                id,
                mutation,
                account,
                tx.clone(),
            ),
            Command::OpenUrl { url, what } => open_url(url, what, tx.clone()),
            Command::Copy { text, what } => {
                // Between frames: the sequence never lands inside a frame's output.
                if let Err(e) = crate::desktop::clipboard::copy(&mut std::io::stdout(), &text) {
                    let error = e.to_string();
                    let _ = tx.send(Msg::Desktop(Report::CopyFailed { what, error }));
                }
            }
            Command::Exec(plan) => self.start_session(plan, tx),
            // Run by the loop itself: it needs the terminal, the running forwards, or the
            // workers.
            Command::RunSession { .. }
            | Command::SwitchContext { .. }
            | Command::Forward(_)
            | Command::RunForward { .. }
            | Command::StopForward { .. }
            | Command::Quit => {}
        }
    }
}

/// The next terminal event, or never while there is no event stream (a session runs).
async fn next_event<E>(events: &mut Option<E>) -> Option<std::io::Result<Event>>
where
    E: Stream<Item = std::io::Result<Event>> + Unpin,
{
    match events.as_mut() {
        Some(stream) => stream.next().await,
        None => std::future::pending().await,
    }
}

/// Opens a console page in the browser when this session has a display; the outcome comes
/// back as a message (without a display, at once: `update` then copies the URL).
fn open_url(url: String, what: String, tx: mpsc::UnboundedSender<Msg>) {
    let Some(opener) = crate::desktop::opener::for_this_session(&url) else {
        let _ = tx.send(Msg::Desktop(Report::NoDisplay { what, url }));
        return;
    };
    crate::desktop::opener::spawn(opener, move |failure| {
        let report = match failure {
            None => Report::Opened { what, url },
            Some(error) => Report::OpenFailed { what, url, error },
        };
        let _ = tx.send(Msg::Desktop(report));
    });
}

/// Tells a worker what to follow now, waking it only when that changed.
fn publish<T: PartialEq>(channel: &watch::Sender<T>, value: T) {
    channel.send_if_modified(|current| {
        let changed = *current != value;
        if changed {
            *current = value;
        }
        changed
    });
}

/// Forwards termination signals to the loop so the terminal is restored on SIGTERM too.
/// While a shell session has the terminal, the keys that signal the foreground process
/// group (ctrl-c, ctrl-\\, ctrl-z) belong to the session: ecsdeck neither quits nor stops on
/// them, as the AWS CLI ignores them around the plugin.
fn spawn_signal_forwarder(
    tx: mpsc::UnboundedSender<Msg>,
    in_session: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let (Ok(mut term), Ok(mut int), Ok(mut hup), Ok(mut quit), Ok(mut stop)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::interrupt()),
                signal(SignalKind::hangup()),
                signal(SignalKind::quit()),
                signal(SignalKind::from_raw(libc::SIGTSTP)),
            ) else {
                tracing::warn!("cannot listen for signals");
                return;
            };
            loop {
                let keyboard = tokio::select! {
                    _ = term.recv() => false,
                    _ = hup.recv() => false,
                    _ = int.recv() => true,
                    _ = quit.recv() => continue,
                    _ = stop.recv() => continue,
                };
                if keyboard && in_session.load(Ordering::SeqCst) {
                    continue;
                }
                let _ = tx.send(Msg::Terminate);
                return;
            }
        }
        #[cfg(not(unix))]
        {
            let _ = in_session;
            let _ = tokio::signal::ctrl_c().await;
            let _ = tx.send(Msg::Terminate);
        }
    })
}

/// Writes saved log lines off the UI task; the outcome comes back as a message. Falls back
/// to the state directory when the current directory is not writable.
fn save_logs(path: std::path::PathBuf, text: String, tx: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let first = std::fs::write(&path, &text).map(|_| {
            std::env::current_dir()
                .map(|d| d.join(&path))
                .unwrap_or(path.clone())
        });
        let result = first.or_else(|e| {
            let dir = crate::config::state_dir().ok_or_else(|| e.to_string())?;
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let fallback = dir.join(&path);
            std::fs::write(&fallback, &text)
                .map(|_| fallback)
                .map_err(|e| e.to_string())
        });
        let _ = tx.send(Msg::LogsSaved(result));
    });
}
