//! Opening a URL in a browser on this machine: `open` on macOS, `xdg-open` on Linux and the
//! BSDs when a graphical session is there (DISPLAY or WAYLAND_DISPLAY), `cmd /c start` on
//! Windows. The opener is started detached — its own process group, stdio null — so it can
//! never read keys from, write into or be interrupted with the dashboard's terminal.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long an opener may take to fail before it counts as having opened the page: openers
/// exit at once when they hand the URL to a running browser, but some become the browser.
const FAIL_WITHIN: Duration = Duration::from_secs(3);

/// The program and arguments that open a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opener {
    pub program: &'static str,
    pub args: Vec<String>,
}

/// The opener for `url` on `os` (`std::env::consts::OS`), or None when there is no display
/// to open it on. `env` says whether a variable is set to something.
pub fn opener(os: &str, env: impl Fn(&str) -> bool, url: &str) -> Option<Opener> {
    let url = url.to_string();
    match os {
        // A Mac reached over SSH would open the page on the screen of whoever sits there.
        "macos" if !env("SSH_CONNECTION") && !env("SSH_TTY") => Some(Opener {
            program: "open",
            args: vec![url],
        }),
        "macos" => None,
        // `start` takes its first quoted argument as a window title: give it an empty one.
        "windows" => Some(Opener {
            program: "cmd",
            args: vec!["/c".into(), "start".into(), String::new(), url],
        }),
        _ if env("DISPLAY") || env("WAYLAND_DISPLAY") => Some(Opener {
            program: "xdg-open",
            args: vec![url],
        }),
        _ => None,
    }
}

/// The opener for this machine and session.
pub fn for_this_session(url: &str) -> Option<Opener> {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    opener(std::env::consts::OS, set, url)
}

/// Starts `opener` on a thread of its own and calls `report` with None once it has opened
/// the page, or with why it could not; then reaps the process, however long it runs.
pub fn spawn(opener: Opener, report: impl FnOnce(Option<String>) + Send + 'static) {
    let started = std::thread::Builder::new()
        .name("ecsdeck-opener".into())
        .spawn(move || run(&opener, report));
    if let Err(e) = started {
        tracing::warn!("cannot start a thread for the URL opener: {e}");
    }
}

fn run(opener: &Opener, report: impl FnOnce(Option<String>)) {
    let mut child = match detached(opener).spawn() {
        Ok(child) => child,
        Err(e) => return report(Some(format!("{} could not start: {e}", opener.program))),
    };
    match wait_briefly(&mut child) {
        Some(Ok(status)) if status.success() => report(None),
        Some(Ok(status)) => report(Some(format!("{} failed ({status})", opener.program))),
        Some(Err(e)) => report(Some(format!("{}: {e}", opener.program))),
        None => {
            report(None);
            // The opener became the browser: wait for it so it does not linger as a zombie.
            let _ = child.wait();
        }
    }
}

/// The exit status if the child ends within [`FAIL_WITHIN`], None if it still runs.
fn wait_briefly(child: &mut Child) -> Option<std::io::Result<std::process::ExitStatus>> {
    let deadline = Instant::now() + FAIL_WITHIN;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(Ok(status)),
            Ok(None) if Instant::now() >= deadline => return None,
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Some(Err(e)),
        }
    }
}

fn detached(opener: &Opener) -> Command {
    let mut command = Command::new(opener.program);
    command
        .args(&opener.args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Its own process group: not in the terminal's foreground group, so it never reads the
    // keyboard and a signal meant for the dashboard does not reach the browser.
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services";

    fn env<'a>(set: &'a [&'a str]) -> impl Fn(&str) -> bool + 'a {
        move |name| set.contains(&name)
    }

    #[test]
    fn linux_opens_only_in_a_graphical_session() {
        let x11 = opener("linux", env(&["DISPLAY"]), URL);
        assert_eq!(
            x11,
            Some(Opener {
                program: "xdg-open",
                args: vec![URL.to_string()]
            })
        );
        assert!(opener("linux", env(&["WAYLAND_DISPLAY"]), URL).is_some());
        assert!(opener("freebsd", env(&["DISPLAY"]), URL).is_some());
        assert_eq!(opener("linux", env(&["SSH_TTY"]), URL), None);
        assert_eq!(opener("linux", env(&[]), URL), None);
    }

    #[test]
    fn macos_opens_unless_reached_over_ssh() {
        assert_eq!(
            opener("macos", env(&[]), URL).map(|o| o.program),
            Some("open")
        );
        assert_eq!(opener("macos", env(&["SSH_CONNECTION"]), URL), None);
    }

    #[test]
    fn windows_starts_with_an_empty_title() {
        let o = opener("windows", env(&[]), URL);
        assert_eq!(
            o.map(|o| o.args),
            Some(vec!["/c".into(), "start".into(), String::new(), URL.into()])
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_failing_opener_is_reported_and_a_missing_one_too() {
        let (tx, rx) = std::sync::mpsc::channel();
        let failing = Opener {
            program: "false",
            args: Vec::new(),
        };
        let sender = tx.clone();
        run(&failing, move |r| sender.send(r).unwrap_or_default());
        let failed = rx.recv().unwrap_or_default();
        assert!(failed.is_some_and(|e| e.starts_with("false failed")));
        let missing = Opener {
            program: "ecsdeck-no-such-opener",
            args: Vec::new(),
        };
        run(&missing, move |r| tx.send(r).unwrap_or_default());
        let missing = rx.recv().unwrap_or_default();
        assert!(missing.is_some_and(|e| e.contains("could not start")));
        let ok = Opener {
            program: "true",
            args: Vec::new(),
        };
        let (tx, rx) = std::sync::mpsc::channel();
        run(&ok, move |r| tx.send(r).unwrap_or_default());
        assert_eq!(rx.recv().ok(), Some(None));
    }
}
