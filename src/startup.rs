//! Turning flags and the config file into a ready App: backend, theme, first view.

use std::path::PathBuf;
use std::sync::Arc;

use crate::app::App;
use crate::backend::aws::{AwsBackend, AwsOptions};
use crate::backend::counting::CountingBackend;
use crate::backend::demo::DemoBackend;
use crate::backend::{Backend, Connection};
use crate::cli::Cli;
use crate::config::theme::Theme;
use crate::config::{Config, config_dir};
use crate::executor::ActionContext;
use crate::journal;
use crate::store::Store;
use crate::view::{StatusLevel, UiState, View, ViewKind};

/// Builds the app from the command line. Errors are one sentence for the user.
pub async fn build_app(cli: &Cli) -> Result<App, String> {
    let config = Config::load(cli.config.as_deref())?;
    let theme_name = cli
        .theme
        .clone()
        .or_else(|| config.theme.clone())
        .unwrap_or_else(|| "default".to_string());
    let theme = Theme::load(&theme_name, config_dir().as_deref())?;

    let (backend, call_log, connection): (Arc<dyn Backend>, _, Connection) = if cli.demo {
        let counting = CountingBackend::new(DemoBackend::new(cli.seed));
        let log = counting.log();
        (Arc::new(counting), log, DemoBackend::connection())
    } else {
        let options = AwsOptions {
            profile: cli.profile.clone(),
            region: cli.region.clone(),
            endpoint_url: cli.endpoint_url.clone(),
        };
        let (aws, connection) = AwsBackend::connect(&options).await?;
        let counting = CountingBackend::new(aws);
        let log = counting.log();
        (Arc::new(counting), log, connection)
    };

    let read_only = cli.read_only || config.read_only_for(cli.profile.as_deref());
    let actions = ActionContext {
        read_only,
        profile: connection.profile.clone(),
        region: connection.region.clone(),
        journal: journal::default_path(),
    };
    let mut store = Store::default();
    if let Some(path) = &actions.journal {
        store.journal = journal::read(path);
    }
    let mut ui = UiState::new(connection, config.keymap.clone(), chrono::Utc::now());
    ui.read_only = read_only;
    ui.user = current_user();
    ui.thresholds = config.thresholds;
    ui.logs = config.logs.clone();
    if let Some(cluster) = &cli.cluster {
        ui.stack.push(View::new(ViewKind::Services {
            cluster: cluster.clone(),
        }));
    }
    if !config.warnings.is_empty() {
        ui.set_status(StatusLevel::Warning, config.warnings.join(" "));
    }
    let mut intervals = config.refresh;
    if let Some(secs) = cli.refresh {
        intervals = intervals.with_override(secs);
    }
    Ok(App {
        backend,
        call_log,
        intervals,
        theme,
        store,
        ui,
        actions,
    })
}

/// The login name for the default stop reason: `$USER`, `$LOGNAME`, what `id -un` says
/// (containers and tmux sessions often have neither variable), else "unknown".
fn current_user() -> String {
    let from_env = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty());
    let from_id = || {
        std::process::Command::new("id")
            .arg("-un")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|u| !u.is_empty())
    };
    from_env
        .or_else(from_id)
        .map(|u| crate::ui::format::clean(&u))
        .unwrap_or_else(|| "unknown".to_string())
}

/// `$XDG_STATE_HOME/ecsdeck`: the trace file (and, later, the journal) live here.
pub fn state_dir() -> Option<PathBuf> {
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .map(|d| d.join("ecsdeck"))
}

/// Sends tracing to `<state dir>/ecsdeck.log`, never to the terminal. Level from
/// `ECSDECK_LOG` (default `info`). Returns the guard that flushes on drop.
pub fn init_tracing() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = state_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::never(&dir, "ecsdeck.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("ECSDECK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
