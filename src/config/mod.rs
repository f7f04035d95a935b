//! The config file (`$XDG_CONFIG_HOME/ecsdeck/config.toml` or `--config FILE`): key bindings,
//! refresh intervals, theme, log buffer size and read-only per profile.
//!
//! A broken or partly unknown file never stops the dashboard: what can be understood is used,
//! the rest becomes a visible warning.

pub mod aws_profiles;
pub mod read_only;
pub mod theme;

pub use read_only::ReadOnlyPolicy;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::keymap::Action;
use crate::keymap::Keymap;
use crate::logs::Transport;

/// How often each resource is polled while on screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RefreshIntervals {
    pub clusters: Duration,
    pub services: Duration,
    pub tasks: Duration,
    pub metrics: Duration,
    /// Target health (DescribeTargetHealth) of the target groups on screen.
    pub targets: Duration,
    /// Target groups and load balancers: they change rarely, so they are cached this long
    /// (or until `ctrl-r`).
    pub target_groups: Duration,
    /// The container instances view (ListContainerInstances + DescribeContainerInstances).
    pub instances: Duration,
    /// A big list's ARNs (ListServices / ListTasks, every page): new and removed rows.
    pub lists: Duration,
    /// A big list's rows off screen: re-described this often (on-screen rows follow
    /// `services` / `tasks`), as far as the idle budget allows.
    pub offscreen: Duration,
    /// Describe calls of one list in flight at once (`[budget] in_flight`).
    pub in_flight: usize,
    /// `:capacity`: capacity providers, their Auto Scaling groups and the reservation metric.
    pub capacity: Duration,
    /// Service auto scaling in the detail pane (the scalable target, its policies, scheduled
    /// actions and activities) and its Spot interruptions: they move in minutes.
    pub scaling: Duration,
}

impl Default for RefreshIntervals {
    fn default() -> Self {
        RefreshIntervals {
            clusters: Duration::from_secs(30),
            services: Duration::from_secs(5),
            tasks: Duration::from_secs(5),
            metrics: Duration::from_secs(60),
            targets: Duration::from_secs(30),
            target_groups: Duration::from_secs(300),
            instances: Duration::from_secs(30),
            lists: Duration::from_secs(30),
            offscreen: Duration::from_secs(60),
            in_flight: 4,
            capacity: Duration::from_secs(60),
            scaling: Duration::from_secs(60),
        }
    }
}

impl RefreshIntervals {
    /// `--refresh SECS`: one interval for the fast-moving views; clusters and metrics keep
    /// their slower cadence unless the flag asks for something slower still.
    pub fn with_override(mut self, secs: u64) -> Self {
        let d = Duration::from_secs(secs.max(1));
        self.services = d;
        self.tasks = d;
        self.clusters = self.clusters.max(d);
        self.metrics = self.metrics.max(d);
        self.targets = self.targets.max(d);
        self.target_groups = self.target_groups.max(d);
        self.instances = self.instances.max(d);
        self.lists = self.lists.max(d);
        self.offscreen = self.offscreen.max(d);
        self.capacity = self.capacity.max(d);
        self.scaling = self.scaling.max(d);
        self
    }
}

/// Log settings from the config file's `[logs]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct LogSettings {
    pub transport: Transport,
    /// Close the live tail after this long without a key press (it is billed per minute).
    pub idle_close: Duration,
    pub poll_every: Duration,
    pub buffer_lines: usize,
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings {
            transport: Transport::LiveTail,
            idle_close: Duration::from_secs(10 * 60),
            poll_every: Duration::from_secs(2),
            buffer_lines: 50_000,
        }
    }
}

/// `[exec]`: the command ECS Exec runs, globally and per container name.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecSettings {
    pub command: String,
    /// `[exec.containers]`: a command per container name (`app = "/bin/bash"`).
    pub containers: BTreeMap<String, String>,
}

impl Default for ExecSettings {
    fn default() -> Self {
        ExecSettings {
            command: "/bin/sh".to_string(),
            containers: BTreeMap::new(),
        }
    }
}

impl ExecSettings {
    /// The command for a container: its own, else the global one.
    pub fn command_for(&self, container: &str) -> &str {
        self.containers
            .get(container)
            .map_or(self.command.as_str(), String::as_str)
    }
}

/// Settings that apply to one AWS profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileConfig {
    pub read_only: bool,
}

/// The merged configuration: defaults, then the file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    pub theme: Option<String>,
    pub refresh: RefreshIntervals,
    /// `[budget]`: the token bucket of each API family, and the idle rate.
    pub budget: crate::backend::budget::BudgetSettings,
    pub keymap: Keymap,
    /// `[logs]`: transport, idle close, polling cadence.
    pub logs: LogSettings,
    /// `[thresholds]`: utilisation colours.
    pub thresholds: crate::domain::metrics::Thresholds,
    /// `[exec]`: what a shell in a container runs.
    pub exec: ExecSettings,
    pub read_only: bool,
    /// `regions = [...]`: the regions the clusters list and `:triage all` span.
    pub regions: Vec<String>,
    pub profiles: BTreeMap<String, ProfileConfig>,
    /// Why the safety settings could not be read, if they could not: the session is then
    /// read-only, whatever the profile (fail closed), with a banner that stays.
    pub unreadable: Option<String>,
    /// Profiles whose settings could not be read: read-only when in effect.
    pub unreadable_profiles: Vec<String>,
    /// Problems found in the file, shown to the user at start.
    pub warnings: Vec<String>,
    /// The file that was read, if any.
    pub path: Option<PathBuf>,
}

/// `$XDG_CONFIG_HOME/ecsdeck` (or the platform's equivalent).
pub fn config_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("ecsdeck"))
}

/// `$XDG_STATE_HOME/ecsdeck`: the trace file and the journal live here.
pub fn state_dir() -> Option<PathBuf> {
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .map(|d| d.join("ecsdeck"))
}

impl Config {
    /// Loads `explicit` (an error if it does not exist) or the default file (fine if absent).
    /// A file that exists but cannot be read or parsed never stops ecsdeck: it starts on
    /// defaults, read-only, and says why.
    pub fn load(explicit: Option<&Path>) -> Result<Config, String> {
        let (path, required) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => match config_dir() {
                Some(dir) => (dir.join("config.toml"), false),
                None => return Ok(Config::default()),
            },
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let mut config = Config::parse(&text, &path.display().to_string());
                config.path = Some(path);
                Ok(config)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if required {
                    Err(format!(
                        "Config file {} does not exist: fix the path or drop --config.",
                        path.display()
                    ))
                } else {
                    Ok(Config::default())
                }
            }
            // Unreadable or not UTF-8: what it says about read-only is unknown, so assume it.
            Err(e) => {
                let mut config = Config::default();
                config.fail_closed(format!(
                    "Read-only: config {} cannot be read ({e}); defaults apply until it is fixed.",
                    path.display()
                ));
                config.path = Some(path);
                Ok(config)
            }
        }
    }

    /// Parses config text; never fails, problems become `warnings`.
    pub fn parse(text: &str, source: &str) -> Config {
        let mut config = Config::default();
        let table: toml::Table = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                let msg = e.message().to_string();
                config.fail_closed(format!(
                    "Read-only: config {source} is not valid TOML ({msg}); defaults apply until it is fixed."
                ));
                return config;
            }
        };
        for (key, value) in &table {
            match key.as_str() {
                "theme" => match value.as_str() {
                    Some(name) => config.theme = Some(name.to_string()),
                    None => config.warn(source, "theme", "must be a string"),
                },
                "read_only" => match value.as_bool() {
                    Some(b) => config.read_only = b,
                    None => config.fail_closed(format!(
                        "Read-only: config {source}: read_only must be true or false."
                    )),
                },
                "log_buffer_lines" => match value.as_integer() {
                    Some(n) if (100..=10_000_000).contains(&n) => {
                        config.logs.buffer_lines = n as usize
                    }
                    _ => config.warn(
                        source,
                        "log_buffer_lines",
                        "must be a number from 100 to 10000000",
                    ),
                },
                "refresh" => config.parse_refresh(value, source),
                "budget" => config.parse_budget(value, source),
                "logs" => config.parse_logs(value, source),
                "thresholds" => config.parse_thresholds(value, source),
                "exec" => config.parse_exec(value, source),
                "keys" => config.parse_keys(value, source),
                "profiles" => config.parse_profiles(value, source),
                "regions" => config.parse_regions(value, source),
                other => config
                    .warnings
                    .push(format!("Config {source}: unknown key \"{other}\" ignored.")),
            }
        }
        config
    }

    fn warn(&mut self, source: &str, key: &str, what: &str) {
        self.warnings
            .push(format!("Config {source}: {key} {what}; default kept."));
    }

    fn parse_refresh(&mut self, value: &toml::Value, source: &str) {
        let Some(table) = value.as_table() else {
            return self.warn(source, "refresh", "must be a table like [refresh]");
        };
        for (key, v) in table {
            let secs = match v.as_integer() {
                Some(n) if (1..=3600).contains(&n) => Duration::from_secs(n as u64),
                _ => {
                    self.warn(
                        source,
                        &format!("refresh.{key}"),
                        "must be 1 to 3600 seconds",
                    );
                    continue;
                }
            };
            match key.as_str() {
                "clusters" => self.refresh.clusters = secs,
                "services" => self.refresh.services = secs,
                "tasks" => self.refresh.tasks = secs,
                "metrics" => self.refresh.metrics = secs,
                "targets" => self.refresh.targets = secs,
                "target_groups" => self.refresh.target_groups = secs,
                "instances" => self.refresh.instances = secs,
                "lists" => self.refresh.lists = secs,
                "offscreen" => self.refresh.offscreen = secs,
                "capacity" => self.refresh.capacity = secs,
                "scaling" => self.refresh.scaling = secs,
                other => self.warnings.push(format!(
                    "Config {source}: unknown key \"refresh.{other}\" ignored."
                )),
            }
        }
    }

    /// `[budget]`: `in_flight = 4`, `idle_rate = 1.0` (ECS reads/s), and per family
    /// `ecs_service_reads = 5.0` (requests/s) or `ecs_service_reads_burst = 50`.
    fn parse_budget(&mut self, value: &toml::Value, source: &str) {
        use crate::backend::budget::Family;
        let Some(table) = value.as_table() else {
            return self.warn(source, "budget", "must be a table like [budget]");
        };
        for (key, v) in table {
            let number = v.as_float().or_else(|| v.as_integer().map(|n| n as f64));
            let family = |suffix: &str| {
                Family::ALL
                    .into_iter()
                    .find(|f| key.strip_suffix(suffix) == Some(f.key()))
            };
            match (key.as_str(), number) {
                ("in_flight", Some(n)) if (1.0..=16.0).contains(&n) && n.fract() == 0.0 => {
                    self.refresh.in_flight = n as usize
                }
                ("in_flight", _) => self.warn(source, "budget.in_flight", "must be 1 to 16"),
                ("idle_rate", Some(n)) if (0.05..=20.0).contains(&n) => {
                    self.budget.idle_per_second = n
                }
                ("idle_rate", _) => self.warn(
                    source,
                    "budget.idle_rate",
                    "must be 0.05 to 20 requests per second",
                ),
                _ => {
                    let (burst, rate) = (family("_burst"), family(""));
                    let limit = (burst.or(rate)).and_then(|f| self.budget.limits.get_mut(&f));
                    match (limit, number) {
                        (Some(l), Some(n)) if burst.is_some() && (1.0..=1000.0).contains(&n) => {
                            l.burst = n
                        }
                        (Some(l), Some(n)) if rate.is_some() && n > 0.0 && n <= 100.0 => {
                            l.per_second = n
                        }
                        (Some(_), _) => self.warn(
                            source,
                            &format!("budget.{key}"),
                            "must be a number of requests per second above 0 (bursts: 1 to 1000)",
                        ),
                        (None, _) => self.warnings.push(format!(
                            "Config {source}: unknown key \"budget.{key}\" ignored."
                        )),
                    }
                }
            }
        }
    }

    fn parse_exec(&mut self, value: &toml::Value, source: &str) {
        let Some(table) = value.as_table() else {
            return self.warn(source, "exec", "must be a table like [exec]");
        };
        for (key, v) in table {
            match (key.as_str(), v) {
                ("command", toml::Value::String(c)) if !c.trim().is_empty() => {
                    self.exec.command = c.clone()
                }
                ("containers", toml::Value::Table(per)) => {
                    for (name, command) in per {
                        match command.as_str().filter(|c| !c.trim().is_empty()) {
                            Some(c) => {
                                self.exec.containers.insert(name.clone(), c.to_string());
                            }
                            None => self.warn(
                                source,
                                &format!("exec.containers.{name}"),
                                "must be a command",
                            ),
                        }
                    }
                }
                ("command" | "containers", _) => {
                    self.warn(source, &format!("exec.{key}"), "must be a command")
                }
                (other, _) => self.warnings.push(format!(
                    "Config {source}: unknown key \"exec.{other}\" ignored."
                )),
            }
        }
    }

    fn parse_thresholds(&mut self, value: &toml::Value, source: &str) {
        let Some(table) = value.as_table() else {
            return self.warn(source, "thresholds", "must be a table like [thresholds]");
        };
        let mut t = self.thresholds;
        for (key, v) in table {
            let number = v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
            match (key.as_str(), number) {
                ("warning", Some(n)) if (0.0..=100.0).contains(&n) => t.warning = n,
                ("failure", Some(n)) if (0.0..=100.0).contains(&n) => t.failure = n,
                ("warning" | "failure", _) => self.warn(
                    source,
                    &format!("thresholds.{key}"),
                    "must be a percentage 0 to 100",
                ),
                ("error_rate", Some(n)) if (0.0..=100.0).contains(&n) => t.error_rate = n,
                ("error_rate", _) => self.warn(
                    source,
                    "thresholds.error_rate",
                    "must be a percentage 0 to 100",
                ),
                ("p99_latency", Some(n)) if n > 0.0 && n <= 3600.0 => t.p99_latency = n,
                ("p99_latency", _) => {
                    self.warn(source, "thresholds.p99_latency", "must be seconds above 0")
                }
                (other, _) => self.warnings.push(format!(
                    "Config {source}: unknown key \"thresholds.{other}\" ignored."
                )),
            }
        }
        if t.warning > t.failure {
            self.warn(source, "thresholds", "warning must not be above failure");
        } else {
            self.thresholds = t;
        }
    }

    fn parse_logs(&mut self, value: &toml::Value, source: &str) {
        let Some(table) = value.as_table() else {
            return self.warn(source, "logs", "must be a table like [logs]");
        };
        for (key, v) in table {
            match (key.as_str(), v) {
                ("transport", toml::Value::String(t)) if t == "live" || t == "live_tail" => {
                    self.logs.transport = crate::logs::Transport::LiveTail
                }
                ("transport", toml::Value::String(t)) if t == "polling" => {
                    self.logs.transport = crate::logs::Transport::Polling
                }
                ("transport", _) => {
                    self.warn(source, "logs.transport", "must be \"live\" or \"polling\"")
                }
                ("idle_minutes", toml::Value::Integer(n)) if (1..=1440).contains(n) => {
                    self.logs.idle_close = Duration::from_secs(*n as u64 * 60)
                }
                ("idle_minutes", _) => self.warn(source, "logs.idle_minutes", "must be 1 to 1440"),
                ("poll_seconds", toml::Value::Integer(n)) if (1..=60).contains(n) => {
                    self.logs.poll_every = Duration::from_secs(*n as u64)
                }
                ("poll_seconds", _) => self.warn(source, "logs.poll_seconds", "must be 1 to 60"),
                (other, _) => self.warnings.push(format!(
                    "Config {source}: unknown key \"logs.{other}\" ignored."
                )),
            }
        }
    }

    fn parse_keys(&mut self, value: &toml::Value, source: &str) {
        let Some(table) = value.as_table() else {
            return self.warn(source, "keys", "must be a table like [keys]");
        };
        for (name, v) in table {
            let Some(action) = Action::from_name(name) else {
                self.warnings.push(format!(
                    "Config {source}: unknown action \"keys.{name}\" ignored."
                ));
                continue;
            };
            let keys: Option<Vec<String>> = match v {
                toml::Value::String(s) => Some(vec![s.clone()]),
                toml::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect(),
                _ => None,
            };
            match keys {
                Some(keys) if !keys.is_empty() => {
                    if let Err(e) = self.keymap.rebind(action, &keys) {
                        self.warnings
                            .push(format!("Config {source}: keys.{name}: {e}; default kept."));
                    }
                }
                _ => self.warn(
                    source,
                    &format!("keys.{name}"),
                    "must be a key or a list of keys",
                ),
            }
        }
    }

    /// `regions = ["us-east-1", "eu-west-1"]`: the clusters list and `:triage all` span them.
    fn parse_regions(&mut self, value: &toml::Value, source: &str) {
        let names: Option<Vec<String>> = value.as_array().and_then(|items| {
            items
                .iter()
                .map(|v| {
                    v.as_str()
                        .filter(|n| crate::domain::profile::is_region_name(n))
                })
                .map(|n| n.map(str::to_string))
                .collect()
        });
        match names {
            Some(names) => self.regions = names,
            None => self.warn(
                source,
                "regions",
                "must be a list of region names like [\"us-east-1\", \"eu-west-1\"]",
            ),
        }
    }

    fn parse_profiles(&mut self, value: &toml::Value, source: &str) {
        let Some(table) = value.as_table() else {
            return self.fail_closed(format!(
                "Read-only: config {source}: profiles must be a table like [profiles.NAME]."
            ));
        };
        for (profile, settings) in table {
            let mut pc = ProfileConfig::default();
            let Some(settings) = settings.as_table() else {
                self.unreadable_profile(source, profile, "must be a table");
                continue;
            };
            for (key, v) in settings {
                match (key.as_str(), v.as_bool()) {
                    ("read_only", Some(b)) => pc.read_only = b,
                    ("read_only", None) => {
                        self.unreadable_profile(source, profile, "read_only must be true or false")
                    }
                    _ => self.warnings.push(format!(
                        "Config {source}: profiles.{profile}.{key} ignored (known: read_only = true/false)."
                    )),
                }
            }
            self.profiles.insert(profile.clone(), pc);
        }
    }

    /// The safety settings cannot be trusted: read-only for every profile.
    fn fail_closed(&mut self, why: String) {
        self.warnings.push(why.clone());
        self.unreadable.get_or_insert(why);
    }

    fn unreadable_profile(&mut self, source: &str, profile: &str, what: &str) {
        self.warnings.push(format!(
            "Config {source}: profiles.{profile}: {what}; {profile} is read-only until fixed."
        ));
        self.unreadable_profiles.push(profile.to_string());
    }

    /// The read-only rules of the session: `--read-only` (`forced`), the file's global
    /// switch and per-profile settings, and fail-closed for what could not be read.
    pub fn read_only_policy(&self, forced: bool) -> ReadOnlyPolicy {
        ReadOnlyPolicy {
            everywhere: forced || self.read_only,
            unreadable: self.unreadable.clone(),
            profiles: (self.profiles.iter())
                .filter(|(_, p)| p.read_only)
                .map(|(name, _)| name.clone())
                .collect(),
            unreadable_profiles: self.unreadable_profiles.iter().cloned().collect(),
        }
    }

    /// Read-only applies when set globally or for the profile in use, and whenever the
    /// settings that would say otherwise could not be read.
    pub fn read_only_for(&self, profile: Option<&str>) -> bool {
        self.read_only_policy(false).for_profile(profile)
    }

    /// Why read-only was forced on `profile`, for the banner that stays until restart.
    pub fn forced_read_only(&self, profile: Option<&str>) -> Option<String> {
        self.read_only_policy(false).banner_for(profile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::KeyContext;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn regions_are_a_list_of_region_names() {
        let c = Config::parse("regions = [\"us-east-1\", \"eu-west-1\"]\n", "c.toml");
        assert_eq!(c.regions, ["us-east-1", "eu-west-1"]);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        for bad in [
            "regions = \"us-east-1\"\n",
            "regions = [\"us-east-1\", \"moon\"]\n",
        ] {
            let c = Config::parse(bad, "c.toml");
            assert!(c.regions.is_empty(), "{bad}");
            assert!(c.warnings[0].contains("regions"), "{:?}", c.warnings);
            assert!(!c.read_only_for(None), "not a safety setting");
        }
    }

    #[test]
    fn a_full_file_is_understood() {
        let text = r#"
            theme = "light"
            log_buffer_lines = 20000
            [refresh]
            services = 10
            clusters = 60
            [keys]
            describe = ["i", "ctrl-d"]
            [profiles.prod]
            read_only = true
        "#;
        let c = Config::parse(text, "test.toml");
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        assert_eq!(c.theme.as_deref(), Some("light"));
        assert_eq!(c.refresh.services, Duration::from_secs(10));
        assert_eq!(c.refresh.clusters, Duration::from_secs(60));
        assert_eq!(c.refresh.tasks, Duration::from_secs(5));
        assert_eq!(c.logs.buffer_lines, 20_000);
        assert!(c.read_only_for(Some("prod")));
        assert!(!c.read_only_for(Some("dev")));
        let i = KeyEvent::new(KeyCode::Char('i'), KeyModifiers::NONE);
        assert_eq!(
            c.keymap.resolve(KeyContext::Tasks, &i),
            Some(Action::Describe)
        );
    }

    #[test]
    fn problems_become_warnings_and_change_nothing() {
        let c = Config::parse("theme = [", "broken.toml");
        assert_eq!(c.warnings.len(), 1);
        assert!(c.warnings[0].contains("not valid TOML"));
        assert_eq!(c.refresh, RefreshIntervals::default());
        // A file that does not parse may have said read_only: fail closed.
        assert!(c.read_only_for(None));
        assert!(c.read_only_for(Some("dev")));

        let text = r#"
            colour = "blue"
            [refresh]
            services = 0
            tasks = "fast"
            [keys]
            teleport = "t"
            quit = "hyper-q"
        "#;
        let c = Config::parse(text, "odd.toml");
        assert_eq!(c.warnings.len(), 5, "{:?}", c.warnings);
        assert_eq!(c.refresh, RefreshIntervals::default());
        assert_eq!(c.keymap, Keymap::default());
    }

    #[test]
    fn exec_commands_globally_and_per_container() {
        let text = "[exec]\ncommand = \"/bin/bash\"\n[exec.containers]\nenvoy = \"/bin/sh\"\n";
        let c = Config::parse(text, "test.toml");
        assert_eq!(c.exec.command_for("app"), "/bin/bash");
        assert_eq!(c.exec.command_for("envoy"), "/bin/sh");
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        assert_eq!(ExecSettings::default().command_for("app"), "/bin/sh");
    }

    #[test]
    fn refresh_flag_overrides_fast_views() {
        let r = RefreshIntervals::default().with_override(2);
        assert_eq!(r.services, Duration::from_secs(2));
        assert_eq!(r.clusters, Duration::from_secs(30));
        let r = RefreshIntervals::default().with_override(120);
        assert_eq!(r.clusters, Duration::from_secs(120));
    }

    #[test]
    fn an_explicit_missing_file_is_an_error() {
        let e = Config::load(Some(Path::new("/nonexistent/ecsdeck.toml")));
        assert!(e.is_err());
    }

    #[test]
    fn read_only_with_a_typo_elsewhere_stays_read_only() {
        let text = "read_only = true\n[refresh]\nservices = 5\ntasks = = 3\n";
        let c = Config::parse(text, "typo.toml");
        assert!(c.read_only_for(Some("prod")));
        assert!(c.forced_read_only(Some("prod")).is_some());
    }

    #[test]
    fn unreadable_safety_settings_fail_closed_per_profile() {
        let c = Config::parse("[profiles.prod]\nread_only = \"yes\"\n", "p.toml");
        assert!(c.read_only_for(Some("prod")));
        assert!(c.forced_read_only(Some("prod")).is_some());
        assert!(
            !c.read_only_for(Some("dev")),
            "other profiles are unaffected"
        );
        let c = Config::parse("profiles = 3\n", "p.toml");
        assert!(c.read_only_for(Some("dev")));
        let c = Config::parse("read_only = \"true\"\n", "p.toml");
        assert!(c.read_only_for(None));
    }

    #[test]
    fn an_unreadable_default_file_is_read_only_not_fatal() {
        let dir = std::env::temp_dir().join(format!("ecsdeck-cfg-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("latin1.toml");
        let _ = std::fs::write(&path, [b'r', b'e', b'a', b'd', 0xff, 0xfe, b'\n']);
        let c = Config::load(Some(&path)).unwrap_or_default();
        assert!(c.read_only_for(None), "{:?}", c.warnings);
        assert!(
            c.warnings.iter().all(|w| !w.contains("drop --config")),
            "{:?}",
            c.warnings
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
