//! Shell sessions from the event loop: the plugin check before anything is sent, and the
//! hand-over of the terminal while the session runs (then back to the same view).

use std::time::Instant;

use ratatui::Terminal;
use tokio::sync::mpsc;

use super::App;
use crate::backend::ExecSession;
use crate::domain::journal::ActionResult;
use crate::domain::session::ExecPlan;
use crate::executor;
use crate::msg::{Command, Msg};
use crate::session::forward::{ForwardProcess, Journaling, Running, port_free};
use crate::session::{self, Foreground};

impl App {
    /// `Command::Exec`: without `session-manager-plugin` nothing is sent (the demo needs
    /// none); otherwise the executor asks ECS for the session.
    pub(super) fn start_session(&self, plan: ExecPlan, tx: &mpsc::UnboundedSender<Msg>) {
        let demo = self.ui.settings.connection.demo;
        if !demo && session::find_plugin().is_none() {
            let _ = tx.send(Msg::SessionUnavailable(session::INSTALL_HINT.to_string()));
            return;
        }
        executor::spawn_exec(
            std::sync::Arc::clone(&self.backend) as _,
            self.actions.clone(),
            plan,
            self.store.account.clone(),
            tx.clone(),
        );
    }

    /// Gives the terminal to the session until it ends, journals its start and end, and
    /// takes the terminal back. Blocks the UI task: the dashboard is not on screen meanwhile.
    pub(super) fn run_session<B>(
        &self,
        terminal: &mut Terminal<B>,
        plan: &ExecPlan,
        exec: &ExecSession,
    ) -> std::io::Result<Msg>
    where
        B: ratatui::backend::Backend,
        B::Error: std::fmt::Display,
    {
        let foreground = match self.foreground(plan, exec) {
            Ok(f) => f,
            Err(why) => return Ok(Msg::SessionUnavailable(why)),
        };
        let account = self.store.account.clone();
        let what = format!("started (session {})", exec.session_id);
        let started = executor::journal_session(
            &self.actions,
            plan,
            account.clone(),
            &what,
            ActionResult::Done,
        );
        let begun = Instant::now();
        if self.interactive {
            ratatui::restore();
        }
        let status = session::run_blocking(&foreground);
        if self.interactive {
            crossterm::terminal::enable_raw_mode()?;
            crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
        }
        terminal
            .clear()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let now = chrono::Utc::now();
        let elapsed = chrono::Duration::from_std(begun.elapsed()).unwrap_or_default();
        let took = crate::views::format::age(now - elapsed, now);
        let (outcome, result) = match status {
            Ok(s) if s.success() => (format!("exit 0 after {took}"), ActionResult::Done),
            Ok(s) => (
                format!("{s} after {took}"),
                ActionResult::Recorded(format!("ended: {s}")),
            ),
            Err(e) => (
                format!("could not run it: {e}"),
                ActionResult::Recorded(format!("could not run: {e}")),
            ),
        };
        let ended = executor::journal_session(
            &self.actions,
            plan,
            account,
            &format!("ended: {outcome} (session {})", exec.session_id),
            result,
        );
        Ok(Msg::SessionEnded {
            plan: plan.clone(),
            outcome,
            journal: vec![started, ended],
        })
    }

    /// The port-forward commands (they need the running forwards); any other is given back.
    pub(super) fn forward_command(
        &self,
        command: Command,
        forwards: &mut Running,
        tx: &mpsc::UnboundedSender<Msg>,
    ) -> Option<Command> {
        match command {
            Command::Forward(plan) => {
                let demo = self.ui.settings.connection.demo;
                let problem = if !demo && session::find_plugin().is_none() {
                    Some(session::INSTALL_HINT.to_string())
                } else if !port_free(plan.local_port) {
                    Some(format!(
                        "Local port {} is in use on this machine: press F again and pick another.",
                        plan.local_port
                    ))
                } else {
                    None
                };
                match problem {
                    Some(why) => {
                        let _ = tx.send(Msg::SessionUnavailable(why));
                    }
                    None => executor::spawn_forward(
                        std::sync::Arc::clone(&self.backend) as _,
                        self.actions.clone(),
                        plan,
                        self.store.account.clone(),
                        tx.clone(),
                    ),
                }
                None
            }
            Command::RunForward { id, plan, session } => {
                let process = self.forward_process(&plan, &session);
                let journaling = Journaling {
                    context: self.actions.clone(),
                    account: self.store.account.clone(),
                };
                forwards.start(
                    id,
                    plan,
                    session.session_id,
                    process,
                    journaling,
                    std::sync::Arc::clone(&self.backend) as _,
                    tx.clone(),
                );
                None
            }
            Command::StopForward { id } => {
                forwards.stop(id);
                None
            }
            other => Some(other),
        }
    }

    /// The plugin with `aws ssm start-session`'s arguments, or the demo's echo port.
    fn forward_process(
        &self,
        plan: &crate::domain::session::ForwardPlan,
        exec: &ExecSession,
    ) -> ForwardProcess {
        let connection = &self.ui.settings.connection;
        if connection.demo {
            return ForwardProcess::DemoEcho {
                port: plan.local_port,
            };
        }
        // Checked before StartSession; if it went away since, starting it fails in words.
        let program =
            session::find_plugin().unwrap_or_else(|| std::path::PathBuf::from(session::PLUGIN));
        let request = crate::backend::ssm::StartSession::for_forward(plan);
        let endpoint = session::endpoint("ssm", &connection.region, connection.endpoint.as_deref());
        let args = session::forward_args(
            exec,
            &request,
            &connection.region,
            connection.profile.as_deref(),
            &endpoint,
        );
        ForwardProcess::Plugin { program, args }
    }

    /// The plugin with the AWS CLI's arguments, or the demo's local stand-in.
    fn foreground(&self, plan: &ExecPlan, exec: &ExecSession) -> Result<Foreground, String> {
        let connection = &self.ui.settings.connection;
        if connection.demo {
            return Ok(Foreground::demo(plan));
        }
        let program = session::find_plugin().ok_or_else(|| session::INSTALL_HINT.to_string())?;
        let endpoint = session::endpoint("ecs", &connection.region, connection.endpoint.as_deref());
        let args = session::plugin_args(
            exec,
            plan,
            &connection.region,
            connection.profile.as_deref(),
            &endpoint,
        );
        Ok(Foreground::Plugin { program, args })
    }
}
