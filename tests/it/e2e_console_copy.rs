//! End-to-end: `c` and `O` in the built binary under tmux, against the demo fleet. What
//! ecsdeck copies with OSC 52 lands in tmux's paste buffer (tmux with `set-clipboard on`,
//! as the README asks); the browser opener is a stand-in `xdg-open` first on the PATH.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::e2e_tmux::Screen;

const CONSOLE: &str = "https://eu-west-1.console.aws.amazon.com";

/// Polls tmux's newest paste buffer until `done` accepts it.
fn clipboard(screen: &Screen, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let out = screen.tmux(&["show-buffer"]);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if done(&text) {
            return text;
        }
        if Instant::now() > deadline {
            panic!("the clipboard never got there: {text:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The demo's services of prod-payments, with checkout-api selected.
fn on_checkout_api(name: &str, env: &[(String, String)]) -> Screen {
    let screen = Screen::start(name, &["--demo", "--seed", "3"], env);
    screen.tmux(&["set-option", "-g", "set-clipboard", "on"]);
    screen.wait_for("prod-payments");
    screen.keys(&[":", "svc prod-payments", "Enter"]);
    screen.wait_for("checkout-api");
    screen.keys(&["/", "checkout-api", "Enter"]);
    screen.wait_for("/checkout-api");
    screen
}

#[test]
fn copies_reach_tmuxs_clipboard_and_without_a_display_the_url_does() {
    let no_display = [
        ("DISPLAY".to_string(), String::new()),
        ("WAYLAND_DISPLAY".to_string(), String::new()),
    ];
    let screen = on_checkout_api("copy", &no_display);
    screen.keys(&["c"]);
    screen.wait_for("Copied the ARN of service checkout-api.");
    let arn = clipboard(&screen, |t| t.ends_with("/checkout-api"));
    assert!(
        arn.starts_with("arn:aws:ecs:eu-west-1:") && arn.contains(":service/"),
        "{arn}"
    );

    screen.keys(&["O"]);
    screen.wait_for("No display to open a browser on; copied the console URL");
    let url = clipboard(&screen, |t| t.starts_with("https://"));
    assert_eq!(
        url,
        format!(
            "{CONSOLE}/ecs/v2/clusters/prod-payments/services/checkout-api/health\
             ?region=eu-west-1"
        )
    );

    screen.keys(&["d"]);
    screen.wait_for("service prod-payments/checkout-api");
    screen.keys(&["c"]);
    screen.wait_for("lines of JSON.");
    let json = clipboard(&screen, |t| t.starts_with('{'));
    assert!(json.contains("\"serviceName\": \"checkout-api\""), "{json}");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

/// A stand-in `xdg-open` that records the URL it was given and exits with `code`.
fn fake_opener(dir: &Path, code: u8) -> PathBuf {
    let _ = std::fs::create_dir_all(dir);
    let record = dir.join("opened.txt");
    let script = format!(
        "#!/bin/sh\nprintf '%s' \"$1\" > '{}'\nexit {code}\n",
        record.display()
    );
    let path = dir.join("xdg-open");
    std::fs::write(&path, script).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755));
    }
    record
}

#[test]
fn o_hands_the_url_to_the_opener_and_says_when_it_fails() {
    let dir = std::env::temp_dir().join(format!("ecsdeck-opener-{}", std::process::id()));
    let record = fake_opener(&dir, 0);
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = [
        ("DISPLAY".to_string(), ":99".to_string()),
        ("PATH".to_string(), path),
    ];
    let screen = on_checkout_api("open", &env);
    screen.keys(&["O"]);
    screen.wait_for("Opened service checkout-api in the AWS console");
    let opened = std::fs::read_to_string(&record).unwrap_or_default();
    assert_eq!(
        opened,
        format!(
            "{CONSOLE}/ecs/v2/clusters/prod-payments/services/checkout-api/health\
             ?region=eu-west-1"
        )
    );

    fake_opener(&dir, 3);
    screen.keys(&["O"]);
    screen.wait_for("Could not open a browser (xdg-open failed");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
    let _ = std::fs::remove_dir_all(&dir);
}
