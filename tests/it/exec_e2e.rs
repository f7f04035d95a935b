//! ECS Exec end to end: the built binary in tmux against moto, with the two things moto
//! lacks supplied by the harness's proxy (ExecuteCommand's session, and the runtime ids and
//! ExecuteCommandAgent DescribeTasks reports), and a stub `session-manager-plugin` on PATH
//! that records what it was given. The dashboard must leave the screen for the plugin and
//! come back to the same view, with the session in the journal.

use std::path::PathBuf;

use crate::e2e_tmux::Screen;
use crate::support::{FaultProxy, Moto};

/// A directory holding a stub `session-manager-plugin` that writes its arguments, one per
/// line, to `args` beside it, and then runs `then` (shell).
fn plugin_dir(name: &str, then: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ecsdeck-plugin-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("plugin dir");
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{d}/args'\n{then}\n",
        d = dir.display()
    );
    let path = dir.join("session-manager-plugin");
    std::fs::write(&path, script).expect("plugin script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    dir
}

/// A shell's plugin: says it is open and ends when Enter is pressed (as a shell on `exit`).
fn stub_plugin(name: &str) -> PathBuf {
    plugin_dir(
        name,
        "echo 'stub session-manager-plugin: session open'\nread line\nexit 0",
    )
}

/// One service with one task in `cluster`, behind a proxy that adds what ECS Exec needs to
/// moto's DescribeTasks and answers `stubs` (operations moto lacks) itself.
fn exec_fleet(
    moto: &Moto,
    cluster: &str,
    stubs: &[(&str, &[&str])],
) -> (serde_json::Value, FaultProxy) {
    let fleet = moto.fleet(cluster, 1, 1);
    let proxy = FaultProxy::start(&moto.endpoint);
    proxy.set("exec_ready", Some(&["DescribeTasks"]), None);
    for (fault, operations) in stubs {
        proxy.set(fault, Some(operations), None);
    }
    (fleet, proxy)
}

fn with_path(moto: &Moto, dir: &std::path::Path) -> Vec<(String, String)> {
    let mut env = moto.aws_env();
    let path = std::env::var("PATH").unwrap_or_default();
    env.push(("PATH".to_string(), format!("{}:{path}", dir.display())));
    env
}

#[test]
fn a_shell_goes_through_session_manager_plugin_and_comes_back() {
    let moto = Moto::shared();
    let (fleet, proxy) = exec_fleet(moto, "e2e-exec", &[("exec_session", &["ExecuteCommand"])]);
    let task = fleet["tasks"]["svc-000"][0]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let first_id = task.rsplit('/').next().unwrap_or_default().to_string();
    let plugin = stub_plugin("exec");
    let args = [
        "--endpoint-url",
        proxy.endpoint.as_str(),
        "--cluster",
        "e2e-exec",
    ];
    let screen = Screen::start("exec", &args, &with_path(moto, &plugin));
    screen.wait_for("svc-000");
    screen.keys(&["Enter"]);
    screen.wait_for(&first_id[..8]);
    // Described, not only listed (a listed row shows its id and `…` until then).
    let tasks = screen.wait_for("RUNNING");
    // The task under the cursor is the one the shell opens in.
    let selected: String = tasks
        .lines()
        .find_map(|l| l.split('▶').nth(1))
        .map(|rest| rest.chars().take(8).collect())
        .unwrap_or_default();
    screen.keys(&["s"]);
    // The dashboard has left the screen to the plugin.
    let away = screen.wait_for("stub session-manager-plugin: session open");
    assert!(!away.contains("tasks(e2e-exec"), "{away}");
    let sent = std::fs::read_to_string(plugin.join("args")).expect("the plugin was run");
    let sent: Vec<&str> = sent.lines().collect();
    assert_eq!(sent.len(), 6, "{sent:?}");
    let session: serde_json::Value = serde_json::from_str(sent[0]).expect("session JSON");
    assert_eq!(session["sessionId"], "ecs-execute-command-stub0123456789");
    assert_eq!(session["tokenValue"], "stub-token-value");
    assert_eq!(sent[1], "us-east-1");
    assert_eq!(sent[2], "StartSession");
    let target: serde_json::Value = serde_json::from_str(sent[4]).expect("parameters JSON");
    let target = target["Target"].as_str().unwrap_or_default();
    let (cluster, rest) = target.split_once('_').unwrap_or_default();
    let (task_id, runtime) = rest.split_once('_').unwrap_or_default();
    assert_eq!(cluster, "ecs:e2e-exec", "{target}");
    assert!(task_id.starts_with(&selected), "{target} is not {selected}");
    assert_eq!(
        runtime,
        format!("{task_id}-3000000000"),
        "the container's runtime id"
    );
    assert_eq!(
        sent[5], proxy.endpoint,
        "the endpoint ExecuteCommand went to"
    );
    assert_eq!(proxy.count("ExecuteCommand"), 1, "sent once");

    // The shell ends: the same view comes back, and the journal has the session.
    screen.keys(&["Enter"]);
    let back = screen.wait_for("ended: exit 0");
    assert!(back.contains("tasks(e2e-exec/svc-000)"), "{back}");
    screen.keys(&[":", "journal", "Enter"]);
    let journal = screen.wait_for("shell `/bin/sh` ended: exit 0");
    assert!(journal.contains("shell `/bin/sh` started"), "{journal}");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn read_only_refuses_a_shell_and_sends_nothing() {
    let moto = Moto::shared();
    let (_, proxy) = exec_fleet(
        moto,
        "e2e-exec-ro",
        &[("exec_session", &["ExecuteCommand"])],
    );
    let plugin = stub_plugin("ro");
    let args = [
        "--endpoint-url",
        proxy.endpoint.as_str(),
        "--cluster",
        "e2e-exec-ro",
        "--read-only",
    ];
    let screen = Screen::start("exec-ro", &args, &with_path(moto, &plugin));
    screen.wait_for("svc-000");
    screen.keys(&["Enter"]);
    screen.wait_for("tasks(e2e-exec-ro/svc-000)");
    screen.wait_until(|t| t.contains("RUNNING") || t.contains("PENDING"));
    screen.keys(&["s"]);
    screen.wait_for("Read-only: a shell in a container is blocked");
    assert_eq!(proxy.count("ExecuteCommand"), 0);
    assert!(!plugin.join("args").exists(), "the plugin never ran");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn without_the_plugin_it_says_how_to_install_it_and_sends_nothing() {
    let moto = Moto::shared();
    let (_, proxy) = exec_fleet(moto, "e2e-exec-np", &[]);
    let args = [
        "--endpoint-url",
        proxy.endpoint.as_str(),
        "--cluster",
        "e2e-exec-np",
    ];
    // PATH without any session-manager-plugin.
    let mut env = moto.aws_env();
    env.push(("PATH".to_string(), "/usr/bin:/bin".to_string()));
    let screen = Screen::start("exec-np", &args, &env);
    screen.wait_for("svc-000");
    screen.keys(&["Enter"]);
    screen.wait_until(|t| t.contains("tasks(e2e-exec-np/svc-000)") && t.contains("RUNNING"));
    screen.keys(&["s"]);
    screen.wait_for("session-manager-plugin is not on PATH");
    assert_eq!(proxy.count("ExecuteCommand"), 0);
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

/// A forward's plugin: records its pid too, then runs until it is killed.
fn stub_forward_plugin(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ecsdeck-plugin-{}-{name}", std::process::id()));
    plugin_dir(
        name,
        &format!("echo $$ > '{}/pid'\nexec sleep 600", dir.display()),
    )
}

fn alive(pid: &str) -> bool {
    std::process::Command::new("kill")
        .args(["-0", pid.trim()])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_port_forward_runs_in_the_background_and_ends_with_ecsdeck() {
    let moto = Moto::shared();
    let stubs: &[(&str, &[&str])] = &[("ssm_session", &["StartSession", "TerminateSession"])];
    let (_, proxy) = exec_fleet(moto, "e2e-fwd", stubs);
    let plugin = stub_forward_plugin("fwd");
    let args = [
        "--endpoint-url",
        proxy.endpoint.as_str(),
        "--cluster",
        "e2e-fwd",
    ];
    let screen = Screen::start("fwd", &args, &with_path(moto, &plugin));
    screen.wait_for("svc-000");
    screen.keys(&["Enter"]);
    screen.wait_until(|t| t.contains("tasks(e2e-fwd/svc-000)") && t.contains("RUNNING"));
    screen.keys(&["F"]);
    screen.wait_for("port forward through");
    // Replace the prefilled ports: localhost 18443 to a host only the task reaches.
    screen.keys(&["C-u"]);
    for _ in 0..12 {
        screen.keys(&["BSpace"]);
    }
    screen.keys(&["18443:db.internal:5432", "Enter"]);
    screen.wait_for("Forwarding localhost:18443 → db.internal:5432");
    screen.keys(&[":", "forwards", "Enter"]);
    screen.wait_for("forwarding");
    let sent = std::fs::read_to_string(plugin.join("args")).expect("the plugin was run");
    let sent: Vec<&str> = sent.lines().collect();
    assert_eq!(sent.len(), 6, "{sent:?}");
    let answer: serde_json::Value = serde_json::from_str(sent[0]).expect("answer JSON");
    assert_eq!(answer["SessionId"], "ecsdeck-forward-stub0123456789");
    assert_eq!(&sent[1..3], ["us-east-1", "StartSession"]);
    let request: serde_json::Value = serde_json::from_str(sent[4]).expect("request JSON");
    assert_eq!(
        request["DocumentName"],
        "AWS-StartPortForwardingSessionToRemoteHost"
    );
    assert_eq!(request["Parameters"]["host"][0], "db.internal");
    assert_eq!(request["Parameters"]["portNumber"][0], "5432");
    assert_eq!(request["Parameters"]["localPortNumber"][0], "18443");
    assert!(
        request["Target"]
            .as_str()
            .is_some_and(|t| t.starts_with("ecs:e2e-fwd_")),
        "{request}"
    );
    let pid = std::fs::read_to_string(plugin.join("pid")).expect("pid");
    assert!(alive(&pid), "the forward runs in the background");

    // Quitting ends the forward and terminates its session.
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while alive(&pid) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(!alive(&pid), "the plugin was stopped with ecsdeck");
    assert_eq!(
        proxy.count("TerminateSession"),
        1,
        "its session was terminated"
    );
}
