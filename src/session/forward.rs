//! Port forwards in the background: each runs `session-manager-plugin` (or, in the demo, a
//! local echo port) without touching the terminal, until it is stopped or its plugin exits.
//! When ecsdeck quits, every forward is stopped and its Session Manager session terminated.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};

use crate::backend::SsmBackend;
use crate::domain::journal::ActionResult;
use crate::domain::session::ForwardPlan;
use crate::executor::{self, ActionContext};
use crate::msg::Msg;

/// How long quitting waits for TerminateSession calls, all together.
const TERMINATE_WAIT: Duration = Duration::from_secs(3);

/// What carries a forward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardProcess {
    /// `session-manager-plugin` with its arguments, in the background.
    Plugin { program: PathBuf, args: Vec<String> },
    /// The demo's stand-in: a local port that echoes what it is sent.
    DemoEcho { port: u16 },
}

/// Whether a local port can be listened on (127.0.0.1), before a forward is asked for.
pub fn port_free(port: u16) -> bool {
    std::net::TcpListener::bind(("127.0.0.1", port)).is_ok()
}

/// The forwards running now: how to stop each, its session to terminate, and the Session
/// Manager client of the context it was started in (a forward outlives a context switch,
/// and its session belongs to the account and region that started it).
#[derive(Default)]
pub struct Running {
    forwards: HashMap<u64, RunningForward>,
}

struct RunningForward {
    stop: oneshot::Sender<()>,
    session_id: String,
    ssm: Arc<dyn SsmBackend>,
}

/// What a forward's background task journals with.
pub struct Journaling {
    pub context: ActionContext,
    pub account: Option<String>,
}

impl Running {
    /// Starts a forward; `Msg::ForwardStarted` and later `Msg::ForwardEnded` report it.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        &mut self,
        id: u64,
        plan: ForwardPlan,
        session_id: String,
        process: ForwardProcess,
        journaling: Journaling,
        ssm: Arc<dyn SsmBackend>,
        tx: mpsc::UnboundedSender<Msg>,
    ) {
        let (stop_tx, stop_rx) = oneshot::channel();
        let running = RunningForward {
            stop: stop_tx,
            session_id: session_id.clone(),
            ssm,
        };
        self.forwards.insert(id, running);
        tokio::spawn(async move {
            let what = format!("started (session {session_id})");
            let started = journal(&journaling, &plan, &what, ActionResult::Done);
            let _ = tx.send(Msg::ForwardStarted {
                id,
                journal: started,
            });
            let outcome = match process {
                ForwardProcess::Plugin { program, args } => plugin(program, args, stop_rx).await,
                ForwardProcess::DemoEcho { port } => echo(port, stop_rx).await,
            };
            let what = format!("ended: {outcome} (session {session_id})");
            let ended = journal(&journaling, &plan, &what, ActionResult::Done);
            let _ = tx.send(Msg::ForwardEnded {
                id,
                outcome,
                journal: ended,
            });
        });
    }

    /// Stops one forward and terminates its session.
    pub fn stop(&mut self, id: u64) {
        if let Some(RunningForward {
            stop,
            session_id,
            ssm,
        }) = self.forwards.remove(&id)
        {
            let _ = stop.send(());
            tokio::spawn(async move {
                if let Err(e) = ssm.terminate_session(&session_id).await {
                    tracing::warn!(operation = e.operation, "terminate session: {}", e.message);
                }
            });
        }
    }

    /// Quitting: every forward stops and every session is terminated (waiting a little).
    pub async fn stop_all(&mut self) {
        let forwards: Vec<RunningForward> =
            self.forwards.drain().map(|(_, forward)| forward).collect();
        let sessions: Vec<(String, Arc<dyn SsmBackend>)> = forwards
            .into_iter()
            .map(|f| {
                // The receiver may be gone already (its plugin exited): nothing to stop.
                let _ = f.stop.send(());
                (f.session_id, f.ssm)
            })
            .collect();
        let terminate = futures::future::join_all(
            sessions
                .iter()
                .map(|(session_id, ssm)| ssm.terminate_session(session_id)),
        );
        let _ = tokio::time::timeout(TERMINATE_WAIT, terminate).await;
    }
}

fn journal(
    journaling: &Journaling,
    plan: &ForwardPlan,
    what: &str,
    result: ActionResult,
) -> crate::msg::Executed {
    executor::journal_forward(
        &journaling.context,
        plan,
        journaling.account.clone(),
        what,
        result,
    )
}

/// Runs the plugin until it exits or the forward is stopped (then it is killed).
async fn plugin(program: PathBuf, args: Vec<String>, stop: oneshot::Receiver<()>) -> String {
    let child = tokio::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => return format!("the plugin could not start: {e}"),
    };
    tokio::select! {
        status = child.wait() => match status {
            Ok(s) => format!("the plugin exited ({s})"),
            Err(e) => format!("the plugin failed: {e}"),
        },
        _ = stop => {
            let _ = child.kill().await;
            "stopped".to_string()
        }
    }
}

/// The demo's stand-in: echoes whatever a client sends to 127.0.0.1:`port`.
async fn echo(port: u16, mut stop: oneshot::Receiver<()>) -> String {
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(l) => l,
        Err(e) => return format!("could not listen on {port}: {e}"),
    };
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((mut socket, _)) = accepted {
                    tokio::spawn(async move {
                        let mut buffer = [0u8; 4096];
                        while let Ok(n) = socket.read(&mut buffer).await {
                            if n == 0 || socket.write_all(&buffer[..n]).await.is_err() {
                                break;
                            }
                        }
                    });
                }
            }
            _ = &mut stop => return "stopped".to_string(),
        }
    }
}
