//! Command-line flags.

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

/// `--version`: the version and the commit it was built from (see build.rs).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("ECSDECK_COMMIT"), ")");

/// ecsdeck: a terminal dashboard for Amazon ECS. Browse clusters, services, tasks and
/// containers; read their state live. Credentials come from the standard AWS chain.
#[derive(Debug, Parser, Clone, Default)]
#[command(name = "ecsdeck", version = VERSION, about, long_about = None)]
pub struct Cli {
    /// Print something about ecsdeck instead of starting the dashboard.
    #[command(subcommand)]
    pub tool: Option<Tool>,
    /// AWS profile from ~/.aws/config (default: the standard chain, AWS_PROFILE).
    #[arg(long)]
    pub profile: Option<String>,
    /// AWS region (default: AWS_REGION or the profile's region). Several, comma-separated
    /// (us-east-1,eu-west-1): the clusters list and `:triage all` span them; the first is
    /// where the session starts.
    #[arg(long, value_name = "REGION[,REGION...]")]
    pub region: Option<String>,
    /// Talk to another endpoint (e.g. a local emulator) instead of AWS.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Open this cluster's services directly.
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,
    /// Use the built-in demo fleet instead of AWS.
    #[arg(long)]
    pub demo: bool,
    /// Seed of the demo fleet (same seed, same fleet).
    #[arg(long, requires = "demo", default_value_t = 42)]
    pub seed: u64,
    /// Block every action that changes something.
    #[arg(long)]
    pub read_only: bool,
    /// Refresh interval in seconds for services and tasks (clusters stay at ≥ 30 s).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub refresh: Option<u64>,
    /// Theme: a built-in (default, light), a name in the config dir's themes/, or a file.
    #[arg(long)]
    pub theme: Option<String>,
    /// Config file (default: $XDG_CONFIG_HOME/ecsdeck/config.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// What ecsdeck prints instead of starting the dashboard.
#[derive(Debug, Subcommand, Clone, PartialEq, Eq)]
pub enum Tool {
    /// Print the completion script for a shell (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `ecsdeck man > ecsdeck.1`.
    Man,
}

/// Writes what `tool` asks for to `out`.
pub fn run_tool(tool: &Tool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut command = Cli::command();
    match tool {
        Tool::Completions { shell } => {
            clap_complete::generate(*shell, &mut command, "ecsdeck", out);
            Ok(())
        }
        Tool::Man => clap_mangen::Man::new(command).render(out),
    }
}
