//! Turning flags and the config file into a ready App: backend, theme, first view.

use std::sync::Arc;

use crate::app::{App, Connected, Connector};
use crate::backend::aws::{AwsBackend, AwsOptions};
use crate::backend::budget::{Budget, BudgetSettings};
use crate::backend::counting::CountingBackend;
use crate::backend::demo::DemoBackend;
use crate::backend::{Connection, ContextTarget};
use crate::cli::Cli;
use crate::config::theme::Theme;
use crate::config::{Config, config_dir};
use crate::executor::ActionContext;
use crate::executor::journal;
use crate::state::{StatusLevel, UiState};
use crate::store::Store;
use crate::views::{View, ViewKind};

/// Builds the app from the command line. Errors are one sentence for the user.
pub async fn build_app(cli: &Cli) -> Result<App, String> {
    let mut config = Config::load(cli.config.as_deref())?;
    let theme = choose_theme(cli, &mut config)?;
    // One profile decides both where ecsdeck connects and which settings apply.
    let profile = profile_in_effect(cli.profile.as_deref(), |name| std::env::var(name).ok());

    let (region, regions) = regions(cli.region.as_deref(), &config.regions)?;
    let Connected {
        backend,
        call_log,
        connection,
    } = if cli.demo {
        let mut connection = DemoBackend::connection();
        if let Some(region) = &region {
            connection.region = region.clone();
        }
        demo(cli.seed, connection, &config.budget)
    } else {
        aws(
            profile.clone(),
            region,
            cli.endpoint_url.clone(),
            &config.budget,
        )
        .await?
    };

    let policy = config.read_only_policy(cli.read_only);
    let read_only = policy.for_profile(profile.as_deref());
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
    ui.settings.read_only = read_only;
    ui.settings.read_only_policy = policy.clone();
    ui.settings.regions = regions;
    ui.settings.user = current_user();
    ui.settings.thresholds = config.thresholds;
    ui.settings.logs = config.logs.clone();
    ui.settings.exec = config.exec.clone();
    if let Some(cluster) = &cli.cluster {
        ui.stack
            .push(View::new(ViewKind::services(cluster.clone())));
    }
    if !config.warnings.is_empty() {
        ui.set_status(StatusLevel::Warning, config.warnings.join(" "));
    }
    // Forced read-only is not a passing remark: it stays on screen until restart.
    ui.config_banner = policy.banner_for(profile.as_deref());
    let mut intervals = config.refresh;
    if let Some(secs) = cli.refresh {
        intervals = intervals.with_override(secs);
    }
    let mut app = App {
        backend,
        call_log,
        intervals,
        theme,
        store,
        ui,
        actions,
        // The binary runs on a real terminal (a shell session leaves and restores it).
        interactive: true,
        connector: connector(cli, config.budget.clone()),
        regional: Default::default(),
    };
    let here = crate::update::context::current(&app.ui);
    app.regional = app.connect_regions(&here).await;
    Ok(app)
}

/// The session's region and the regions it spans: `--region a,b` (the first is the
/// session's), else `--region a` with the config's `regions`, else the config's `regions`
/// around the region the AWS chain finds. A name that is not a region stops with a sentence.
fn regions(
    flag: Option<&str>,
    configured: &[String],
) -> Result<(Option<String>, Vec<String>), String> {
    let listed: Vec<String> = flag
        .map(|f| f.split(',').map(|r| r.trim().to_string()).collect())
        .unwrap_or_default();
    if let Some(bad) = listed
        .iter()
        .find(|r| !crate::domain::profile::is_region_name(r))
    {
        return Err(format!(
            "--region: \"{bad}\" is not an AWS region name (like us-east-1; several: us-east-1,eu-west-1)."
        ));
    }
    let here = listed.first().cloned();
    let spanned = if listed.len() > 1 {
        listed
    } else {
        configured.to_vec()
    };
    Ok((here, spanned))
}

/// How `:ctx` and `:region` reach another context: the SDK with that profile and region (and
/// the same `--endpoint-url`), or, in the demo, another simulated fleet (never AWS).
pub fn connector(cli: &Cli, budget: BudgetSettings) -> Connector {
    let demo_seed = cli.demo.then_some(cli.seed);
    let endpoint_url = cli.endpoint_url.clone();
    Arc::new(move |target: ContextTarget| {
        let endpoint_url = endpoint_url.clone();
        let budget = budget.clone();
        Box::pin(async move {
            match demo_seed {
                Some(seed) => {
                    let connection = Connection {
                        profile: target.profile.clone(),
                        region: target.region.clone(),
                        endpoint: None,
                        demo: true,
                    };
                    // Another context, another fleet: the same seed would show the same one.
                    Ok(demo(seed ^ context_seed(&target), connection, &budget))
                }
                None => aws(target.profile, Some(target.region), endpoint_url, &budget).await,
            }
        })
    })
}

/// The demo fleet, counted and budgeted like any backend (so `:budget` shows the same).
fn demo(seed: u64, connection: Connection, budget: &BudgetSettings) -> Connected {
    let budget = Arc::new(Budget::new(budget));
    let counting = CountingBackend::budgeted(DemoBackend::new(seed), budget);
    let call_log = counting.log();
    Connected {
        backend: Arc::new(counting),
        call_log,
        connection,
    }
}

/// The SDK backend, counted and budgeted: each context (an account and region, which is
/// what AWS throttles) has buckets of its own. Fails only when no region can be found.
async fn aws(
    profile: Option<String>,
    region: Option<String>,
    endpoint_url: Option<String>,
    budget: &BudgetSettings,
) -> Result<Connected, String> {
    let options = AwsOptions {
        profile,
        region,
        endpoint_url,
    };
    let (aws, connection) = AwsBackend::connect(&options).await?;
    let counting = CountingBackend::budgeted(aws, Arc::new(Budget::new(budget)));
    let call_log = counting.log();
    Ok(Connected {
        backend: Arc::new(counting),
        call_log,
        connection,
    })
}

/// A stable number for a context (FNV-1a of its profile and region).
fn context_seed(target: &ContextTarget) -> u64 {
    let text = format!(
        "{}/{}",
        target.profile.as_deref().unwrap_or(""),
        target.region
    );
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The theme from `--theme` (must exist: the user just asked for it) or the config file (a
/// missing one falls back to the default with a warning, like every other config problem).
fn choose_theme(cli: &Cli, config: &mut Config) -> Result<Theme, String> {
    if let Some(name) = &cli.theme {
        return Theme::load(name, config_dir().as_deref());
    }
    let Some(name) = config.theme.clone() else {
        return Ok(Theme::default());
    };
    match Theme::load(&name, config_dir().as_deref()) {
        Ok(theme) => Ok(theme),
        Err(e) => {
            config
                .warnings
                .push(format!("{e} Using the default theme."));
            Ok(Theme::default())
        }
    }
}

/// The AWS profile in effect: `--profile`, else `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`
/// (as the AWS CLI reads them). It is passed to the SDK explicitly, so the profile whose
/// settings (read-only) apply is always the one ecsdeck connects with.
pub fn profile_in_effect(
    flag: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| env("AWS_PROFILE"))
        .or_else(|| env("AWS_DEFAULT_PROFILE"))
        .filter(|p| !p.is_empty())
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
        .map(|u| crate::domain::text::clean(&u))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Sends tracing to `<state dir>/ecsdeck.log`, never to the terminal. Level from
/// `ECSDECK_LOG` (default `info`). Returns the guard that flushes on drop.
pub fn init_tracing() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = crate::config::state_dir()?;
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

#[cfg(test)]
mod tests {
    use super::profile_in_effect;
    use super::regions;

    #[test]
    fn the_profile_comes_from_the_flag_then_aws_profile_then_aws_default_profile() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let both = env(&[("AWS_PROFILE", "prod"), ("AWS_DEFAULT_PROFILE", "dev")]);
        assert_eq!(profile_in_effect(Some("flag"), both), Some("flag".into()));
        assert_eq!(profile_in_effect(None, both), Some("prod".into()));
        let default_only = env(&[("AWS_DEFAULT_PROFILE", "dev")]);
        assert_eq!(profile_in_effect(None, default_only), Some("dev".into()));
        assert_eq!(profile_in_effect(None, env(&[("AWS_PROFILE", "")])), None);
        assert_eq!(profile_in_effect(None, env(&[])), None);
    }

    #[test]
    fn the_region_flag_can_list_several_and_the_first_is_the_sessions() {
        let configured = vec!["eu-west-1".to_string(), "us-east-1".to_string()];
        let (here, spanned) = regions(Some("us-west-2,eu-central-1"), &configured).unwrap();
        assert_eq!(here.as_deref(), Some("us-west-2"));
        assert_eq!(spanned, ["us-west-2", "eu-central-1"]);
        let (here, spanned) = regions(Some("us-west-2"), &configured).unwrap();
        assert_eq!(here.as_deref(), Some("us-west-2"));
        assert_eq!(spanned, configured);
        let (here, spanned) = regions(None, &[]).unwrap();
        assert_eq!((here, spanned.len()), (None, 0));
        let error = regions(Some("us-east-1,,eu-west-1"), &[]).unwrap_err();
        assert!(error.contains("is not an AWS region name"), "{error}");
    }
}
