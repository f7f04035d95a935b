//! Context switches from the event loop: connect to the profile and region `update` switched
//! to, then restart the workers (poller, log tailer) on the new backend.
//!
//! The workers report on a channel of their own, replaced at every switch: whatever the
//! previous context's workers had already sent is dropped with it, so no data fetched from
//! the previous account or region can reach the store `update` just cleared.

use std::sync::Arc;

use futures::future::BoxFuture;
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinHandle;

use super::App;
use crate::backend::counting::CallLog;
use crate::backend::{Backend, Connection, ContextTarget};
use crate::logs;
use crate::msg::Msg;
use crate::poller;
use crate::store::Resource;

/// A backend for a context, ready to use (no network call made yet).
pub struct Connected {
    pub backend: Arc<dyn Backend>,
    pub call_log: Arc<CallLog>,
    pub connection: Connection,
}

/// Builds the backend of a context: the SDK with that profile and region, or a demo fleet.
/// Errors are one sentence for the user.
pub type Connector =
    Arc<dyn Fn(ContextTarget) -> BoxFuture<'static, Result<Connected, String>> + Send + Sync>;

/// The background workers of one context and the channel they report on.
pub(super) struct Workers {
    poller: JoinHandle<()>,
    tailer: JoinHandle<()>,
    pub rx: mpsc::UnboundedReceiver<Msg>,
}

/// What the workers follow: the focus the UI publishes, and `ctrl-r`.
pub(super) struct Follow<'a> {
    pub focus: &'a watch::Sender<Vec<Resource>>,
    pub log_focus: &'a watch::Sender<Option<logs::tailer::LogFocus>>,
    pub refresh_now: &'a Arc<Notify>,
}

impl Workers {
    pub(super) fn spawn(app: &App, follow: &Follow) -> Workers {
        let (tx, rx) = mpsc::unbounded_channel();
        let poller = poller::spawn(
            Arc::clone(&app.backend) as _,
            app.intervals,
            follow.focus.subscribe(),
            Arc::clone(follow.refresh_now),
            tx.clone(),
        );
        let tailer = logs::tailer::spawn(
            Arc::clone(&app.backend) as _,
            follow.log_focus.subscribe(),
            tx,
        );
        Workers { poller, tailer, rx }
    }

    pub(super) fn stop(&self) {
        self.poller.abort();
        self.tailer.abort();
    }
}

impl App {
    /// `Command::SwitchContext`: on success the new backend replaces the old one for every
    /// worker and action from now on (forwards already running keep theirs), with the
    /// read-only setting `update` applied; on failure nothing but the message changes.
    pub(super) async fn switch_context(
        &mut self,
        target: ContextTarget,
        previous: ContextTarget,
        workers: &mut Workers,
        follow: &Follow<'_>,
    ) -> Msg {
        match (self.connector)(target.clone()).await {
            Ok(connected) => {
                workers.stop();
                self.backend = connected.backend;
                self.call_log = connected.call_log;
                self.actions.read_only = self.ui.settings.read_only;
                self.actions.profile = connected.connection.profile.clone();
                self.actions.region = connected.connection.region.clone();
                *workers = Workers::spawn(self, follow);
                tracing::info!(
                    profile = ?connected.connection.profile,
                    region = %connected.connection.region,
                    "context switched"
                );
                Msg::ContextSwitched(connected.connection)
            }
            Err(error) => Msg::ContextSwitchFailed {
                target,
                previous,
                error,
            },
        }
    }
}
