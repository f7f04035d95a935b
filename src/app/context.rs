//! Context switches from the event loop: connect to the profile and region `update` switched
//! to, then restart the workers (poller, log tailer) on the new backend.
//!
//! The workers report on a channel of their own, replaced at every switch: whatever the
//! previous context's workers had already sent is dropped with it, so no data fetched from
//! the previous account or region can reach the store `update` just cleared.

use std::collections::BTreeMap;
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

/// The background workers of one context and the channel they report on: the poller and
/// log tailer of the session's region, and a poller for each other region the session spans
/// (its messages wrapped in `Msg::Regional`).
pub(super) struct Workers {
    poller: JoinHandle<()>,
    tailer: JoinHandle<()>,
    regional: Vec<RegionalPoller>,
    pub rx: mpsc::UnboundedReceiver<Msg>,
}

/// Another region's poller: what it follows, how to wake it for `ctrl-r`, and its tasks.
struct RegionalPoller {
    region: String,
    focus: watch::Sender<Vec<Resource>>,
    refresh_now: Arc<Notify>,
    tasks: [JoinHandle<()>; 2],
}

/// What the workers follow: the focus the UI publishes, and `ctrl-r`.
pub(super) struct Follow {
    pub focus: watch::Sender<Vec<Resource>>,
    /// The rows on screen of the top view's lists: described first.
    pub visible: watch::Sender<crate::store::list_rows::VisibleRows>,
    pub log_focus: watch::Sender<Option<logs::tailer::LogFocus>>,
    pub refresh_now: Arc<Notify>,
}

impl Workers {
    pub(super) fn spawn(app: &App, follow: &Follow) -> Workers {
        let (tx, rx) = mpsc::unbounded_channel();
        let poller = poller::spawn_following(
            Arc::clone(&app.backend) as _,
            app.intervals,
            follow.focus.subscribe(),
            follow.visible.subscribe(),
            Arc::clone(&follow.refresh_now),
            tx.clone(),
        );
        let tailer = logs::tailer::spawn(
            Arc::clone(&app.backend) as _,
            follow.log_focus.subscribe(),
            tx.clone(),
        );
        let mut focus = app.ui.regional_focus(&app.store);
        let regional = (app.regional.iter())
            .map(|(region, connected)| {
                let wanted = focus.remove(region).unwrap_or_default();
                RegionalPoller::spawn(region, connected, app, wanted, tx.clone())
            })
            .collect();
        Workers {
            poller,
            tailer,
            regional,
            rx,
        }
    }

    /// Tells each other region's poller what the views need from it now.
    pub(super) fn publish_regional(&self, mut focus: BTreeMap<String, Vec<Resource>>) {
        for poller in &self.regional {
            super::publish(
                &poller.focus,
                focus.remove(&poller.region).unwrap_or_default(),
            );
        }
    }

    /// `ctrl-r` reaches every region's poller.
    pub(super) fn refresh_regional(&self) {
        for poller in &self.regional {
            poller.refresh_now.notify_one();
        }
    }

    pub(super) fn stop(&self) {
        self.poller.abort();
        self.tailer.abort();
        for poller in &self.regional {
            poller.tasks.iter().for_each(JoinHandle::abort);
        }
    }
}

impl RegionalPoller {
    fn spawn(
        region: &str,
        connected: &Connected,
        app: &App,
        wanted: Vec<Resource>,
        tx: mpsc::UnboundedSender<Msg>,
    ) -> RegionalPoller {
        let (focus, focus_rx) = watch::channel(wanted);
        let refresh_now = Arc::new(Notify::new());
        let (inner_tx, mut inner_rx) = mpsc::unbounded_channel();
        let poller = poller::spawn(
            Arc::clone(&connected.backend) as _,
            app.intervals,
            focus_rx,
            Arc::clone(&refresh_now),
            inner_tx,
        );
        let name = region.to_string();
        let wrap = tokio::spawn(async move {
            while let Some(msg) = inner_rx.recv().await {
                let msg = Msg::Regional {
                    region: name.clone(),
                    msg: Box::new(msg),
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        RegionalPoller {
            region: region.to_string(),
            focus,
            refresh_now,
            tasks: [poller, wrap],
        }
    }
}

impl App {
    /// The backends of the other regions the session spans, for the profile of `here`.
    /// A region that cannot be connected is left out (and said in the trace): the list then
    /// spans the others.
    ///
    /// The regions are connected together: each reads the AWS files, and none should wait
    /// for the others while the dashboard waits for all.
    pub async fn connect_regions(&self, here: &ContextTarget) -> BTreeMap<String, Connected> {
        let connects = self.ui.other_regions().into_iter().map(|region| {
            let target = ContextTarget {
                profile: here.profile.clone(),
                region: region.clone(),
            };
            let connect = (self.connector)(target);
            async move { (region, connect.await) }
        });
        let mut out = BTreeMap::new();
        for (region, connected) in futures::future::join_all(connects).await {
            match connected {
                Ok(connected) => {
                    out.insert(region, connected);
                }
                Err(e) => tracing::warn!(%region, "cannot span region: {e}"),
            }
        }
        out
    }

    /// The session region's budget buckets (each region has its own, as AWS's quotas are
    /// per region), for `:budget`.
    pub(super) fn budget_levels(&self) -> Vec<crate::backend::budget::BucketLevel> {
        self.call_log
            .budget()
            .map(|b| b.levels())
            .unwrap_or_default()
    }

    /// Calls per operation over every region's backend, summed by operation.
    pub(super) fn api_usage(&self) -> Vec<crate::backend::counting::OperationUsage> {
        let mut by_operation: BTreeMap<&'static str, crate::backend::counting::OperationUsage> =
            BTreeMap::new();
        let logs =
            std::iter::once(&self.call_log).chain(self.regional.values().map(|c| &c.call_log));
        for usage in logs.flat_map(|log| log.usage()) {
            let sum = by_operation.entry(usage.operation).or_default();
            sum.operation = usage.operation;
            sum.last_minute += usage.last_minute;
            sum.last_5_minutes += usage.last_5_minutes;
            sum.last_hour += usage.last_hour;
            sum.total += usage.total;
            sum.throttled += usage.throttled;
        }
        by_operation.into_values().collect()
    }

    /// API calls of the last minute, over every region's backend.
    pub(super) fn calls_last_minute(&self) -> usize {
        let others: usize = self
            .regional
            .values()
            .map(|c| c.call_log.last_minute())
            .sum();
        self.call_log.last_minute() + others
    }

    /// `Command::SwitchContext`: on success the new backend replaces the old one for every
    /// worker and action from now on (forwards already running keep theirs), with the
    /// read-only setting `update` applied; on failure nothing but the message changes.
    pub(super) async fn switch_context(
        &mut self,
        target: ContextTarget,
        previous: ContextTarget,
        workers: &mut Workers,
        follow: &Follow,
    ) -> Msg {
        match (self.connector)(target.clone()).await {
            Ok(connected) => {
                workers.stop();
                self.regional = self.connect_regions(&target).await;
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
