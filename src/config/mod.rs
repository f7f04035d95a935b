//! The config file (`$XDG_CONFIG_HOME/ecsdeck/config.toml` or `--config FILE`): key bindings,
//! refresh intervals, theme, log buffer size and read-only per profile.
//!
//! A broken or partly unknown file never stops the dashboard: what can be understood is used,
//! the rest becomes a visible warning.

pub mod keymap;
pub mod theme;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::action::Action;
use keymap::Keymap;

/// How often each resource is polled while on screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RefreshIntervals {
    pub clusters: Duration,
    pub services: Duration,
    pub tasks: Duration,
    pub metrics: Duration,
}

impl Default for RefreshIntervals {
    fn default() -> Self {
        RefreshIntervals {
            clusters: Duration::from_secs(30),
            services: Duration::from_secs(5),
            tasks: Duration::from_secs(5),
            metrics: Duration::from_secs(60),
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
        self
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
    pub keymap: Keymap,
    /// `[logs]`: transport, idle close, polling cadence.
    pub logs: crate::log_view::LogSettings,
    /// `[thresholds]`: utilisation colours.
    pub thresholds: crate::metrics::Thresholds,
    pub read_only: bool,
    pub profiles: BTreeMap<String, ProfileConfig>,
    /// Problems found in the file, shown to the user at start.
    pub warnings: Vec<String>,
    /// The file that was read, if any.
    pub path: Option<PathBuf>,
}

/// `$XDG_CONFIG_HOME/ecsdeck` (or the platform's equivalent).
pub fn config_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("ecsdeck"))
}

impl Config {
    /// Loads `explicit` (an error if it cannot be read) or the default file (fine if absent).
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
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Config::default())
            }
            Err(e) => Err(format!(
                "Cannot read config file {}: {e}. Fix the path or drop --config.",
                path.display()
            )),
        }
    }

    /// Parses config text; never fails, problems become `warnings`.
    pub fn parse(text: &str, source: &str) -> Config {
        let mut config = Config::default();
        let table: toml::Table = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                let msg = e.message().to_string();
                config.warnings.push(format!(
                    "Config {source} is not valid TOML ({msg}); using defaults."
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
                    None => config.warn(source, "read_only", "must be true or false"),
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
                "logs" => config.parse_logs(value, source),
                "thresholds" => config.parse_thresholds(value, source),
                "keys" => config.parse_keys(value, source),
                "profiles" => config.parse_profiles(value, source),
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
                other => self.warnings.push(format!(
                    "Config {source}: unknown key \"refresh.{other}\" ignored."
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

    fn parse_profiles(&mut self, value: &toml::Value, source: &str) {
        let Some(table) = value.as_table() else {
            return self.warn(source, "profiles", "must be a table like [profiles.NAME]");
        };
        for (profile, settings) in table {
            let mut pc = ProfileConfig::default();
            for (key, v) in settings.as_table().into_iter().flatten() {
                match (key.as_str(), v.as_bool()) {
                    ("read_only", Some(b)) => pc.read_only = b,
                    _ => self.warnings.push(format!(
                        "Config {source}: profiles.{profile}.{key} ignored (known: read_only = true/false)."
                    )),
                }
            }
            self.profiles.insert(profile.clone(), pc);
        }
    }

    /// Read-only applies when set globally or for the profile in use.
    pub fn read_only_for(&self, profile: Option<&str>) -> bool {
        let name = profile.unwrap_or("default");
        self.read_only || self.profiles.get(name).is_some_and(|p| p.read_only)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use keymap::KeyContext;

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
}
