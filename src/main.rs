//! The ecsdeck binary: parse flags, set up the terminal, run the app, always restore.

use clap::Parser;
use crossterm::event::EventStream;

use ecsdeck::cli::Cli;
use ecsdeck::startup;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Some(tool) = &cli.tool {
        // Completions and the man page: printed, no terminal set-up, no AWS.
        return match ecsdeck::cli::run_tool(tool, &mut std::io::stdout()) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            // `ecsdeck man | head`: the reader left, nothing went wrong.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ecsdeck: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let _trace_guard = startup::init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ecsdeck: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let app = match startup::build_app(&cli).await {
            Ok(app) => app,
            Err(message) => {
                eprintln!("ecsdeck: {message}");
                return std::process::ExitCode::from(2);
            }
        };
        // `ratatui::init` enters raw mode and the alternate screen and installs a panic hook
        // that restores the terminal before the panic message is printed.
        let mut terminal = ratatui::init();
        install_panic_exit();
        let result = app
            .run_with_events(&mut terminal, || Some(EventStream::new()))
            .await;
        ratatui::restore();
        match result {
            Ok(_) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ecsdeck: terminal error: {e}");
                std::process::ExitCode::FAILURE
            }
        }
    })
}

/// A panic anywhere (the UI task or a background task) restores the terminal, says where the
/// trace is, and ends the process: a dashboard drawing into a half-restored terminal would be
/// worse than none. `ratatui::init` already put a restoring hook in place; this wraps it.
fn install_panic_exit() {
    let restore_and_report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!("panic: {info}");
        restore_and_report(info);
        let trace = ecsdeck::config::state_dir()
            .map(|d| d.join("ecsdeck.log").display().to_string())
            .unwrap_or_else(|| "the trace file".to_string());
        eprintln!("ecsdeck stopped because of a bug; details are in {trace}. Please report it.");
        std::process::exit(101);
    }));
}
