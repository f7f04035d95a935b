//! End-to-end: the built binary in tmux, driven by keys, read from the screen — against a
//! moto server (the AWS path over the wire) and against the demo fleet.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::Moto;

/// The AWS settings a test's own environment may hold, never passed on implicitly.
const INHERITED_AWS_ENV: [&str; 9] = [
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
];

/// A tmux server of our own (its own socket), running one ecsdeck.
pub(crate) struct Screen {
    socket: String,
}

impl Screen {
    pub(crate) fn start(name: &str, args: &[&str], env: &[(String, String)]) -> Screen {
        let socket = format!("ecsdeck-e2e-{}-{name}", std::process::id());
        // Isolate from the developer's config and state.
        let home = std::env::temp_dir().join(&socket);
        let _ = std::fs::create_dir_all(&home);
        let mut command = vec!["env".to_string()];
        // Only what the test passes: the test process itself points the SDK at the shared
        // moto server (`install_aws_env`), and the tmux server would hand that on.
        for inherited in INHERITED_AWS_ENV {
            command.push(format!("--unset={inherited}"));
        }
        for (k, v) in env {
            command.push(format!("{k}={v}"));
        }
        command.push(format!("XDG_CONFIG_HOME={}", home.display()));
        command.push(format!("XDG_STATE_HOME={}", home.display()));
        command.push(binary().display().to_string());
        command.extend(args.iter().map(|a| a.to_string()));
        let status = Command::new("tmux")
            .args(["-L", &socket, "new-session", "-d", "-x", "100", "-y", "30"])
            .args(&command)
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => panic!("cannot start tmux (run ./scripts/test.sh to install it): {other:?}"),
        }
        Screen { socket }
    }

    /// ecsdeck against the shared moto server, with moto's environment and `args`.
    pub(crate) fn moto(name: &str, moto: &Moto, args: &[&str]) -> Screen {
        let mut all = vec!["--endpoint-url", moto.endpoint.as_str()];
        all.extend_from_slice(args);
        Screen::start(name, &all, &moto.aws_env())
    }

    pub(crate) fn tmux(&self, args: &[&str]) -> std::process::Output {
        match Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
        {
            Ok(o) => o,
            Err(e) => panic!("tmux: {e}"),
        }
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.tmux(&["send-keys", "-t", "0", key]);
        }
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "0"]).stdout).into()
    }

    /// Polls the screen until `needle` shows, or fails with the screen after the deadline.
    pub(crate) fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.text();
            if screen.contains(needle) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("\"{needle}\" never appeared. Screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Polls the screen until `done` says so, or fails with the screen after the deadline.
    pub(crate) fn wait_until(&self, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.text();
            if done(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("the screen never got there:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for ecsdeck to exit (tmux then closes the session).
    pub(crate) fn wait_for_exit(&self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.tmux(&["has-session"]).status.success() {
            if Instant::now() > deadline {
                panic!("ecsdeck did not exit. Screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ecsdeck"))
}

#[test]
fn browse_cluster_service_tasks_containers_against_moto() {
    let moto = Moto::shared();
    let fleet = moto.fixture(&[
        "fleet",
        "--cluster",
        "e2e-orbit",
        "--services",
        "3",
        "--tasks-per-service",
        "2",
        "--task-family",
        "orbit-api",
    ]);
    let tasks = fleet["tasks"]["svc-001"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(tasks.len(), 2, "{fleet}");
    let task_id: String = tasks[0]
        .as_str()
        .unwrap_or_default()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .chars()
        .take(8)
        .collect();

    let screen = Screen::moto("moto", moto, &["--region", "us-east-1"]);
    let first = screen.wait_for("e2e-orbit");
    assert!(
        first.contains("endpoint"),
        "header shows the endpoint:\n{first}"
    );
    assert!(first.contains("account 123456789012"), "{first}");

    // Filter to the cluster, open it, pick the second service.
    screen.keys(&["/", "e2e-orbit", "Enter", "Enter"]);
    screen.wait_for("services(e2e-orbit)[3]");
    screen.keys(&["j", "Enter"]);
    let tasks_screen = screen.wait_for("tasks(e2e-orbit/svc-001)[2]");
    assert!(tasks_screen.contains("orbit-api:1"), "{tasks_screen}");

    // Open the first task's containers.
    screen.keys(&["/", &task_id, "Enter", "Enter"]);
    let containers = screen.wait_for(&format!("containers({task_id})"));
    // The log group comes from the task definition: once shown, the definition is in.
    let containers = if containers.contains("/ecs/orbit-api") {
        containers
    } else {
        screen.wait_for("/ecs/orbit-api")
    };
    assert!(containers.contains("app"), "{containers}");
    assert!(
        containers.contains("/ecs/orbit-api"),
        "log group:\n{containers}"
    );

    // Describe it, come back up, and quit from the top.
    screen.keys(&["d"]);
    screen.wait_for("\"name\": \"app\"");
    screen.keys(&["Escape"]);
    screen.wait_for(&format!("┌ containers({task_id})"));
    // Esc on the tasks view first clears its filter, then goes back.
    screen.keys(&["Escape"]);
    screen.wait_for("┌ tasks(e2e-orbit/svc-001)[1] </");
    screen.keys(&["Escape"]);
    screen.wait_for("┌ tasks(e2e-orbit/svc-001)[2]");
    screen.keys(&[":", "cl", "Enter"]);
    screen.wait_for("┌ clusters");
    screen.keys(&["q"]);
    screen.wait_for_exit();
}

#[test]
fn an_unknown_cluster_says_so_and_everything_else_works() {
    let moto = Moto::shared();
    let screen = Screen::moto("unknown", moto, &["--cluster", "no-such-cluster"]);
    screen.wait_for("Cluster not found");
    screen.keys(&[":", "cl", "Enter"]);
    screen.wait_for("┌ clusters");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn demo_fleet_browse_help_commands_and_quit() {
    let screen = Screen::start("demo", &["--demo", "--seed", "3"], &[]);
    screen.wait_for("prod-payments");
    screen.keys(&[":", "svc prod-payments", "Enter"]);
    screen.wait_for("checkout-api");
    screen.keys(&["?"]);
    screen.wait_for("Commands");
    screen.keys(&["Escape", ":", "frobnicate", "Enter"]);
    screen.wait_for("Unknown command");
    screen.keys(&["/", "ledger", "Enter", "Enter"]);
    screen.wait_for("tasks(prod-payments/ledger-sync)");
    screen.keys(&["x"]);
    screen.wait_for("stopped tasks(prod-payments/ledger-sync)");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn sigterm_ends_ecsdeck_cleanly() {
    // ecsdeck runs under a shell that records its exit code once it has left.
    let status_file = std::env::temp_dir().join(format!("ecsdeck-sigterm-{}", std::process::id()));
    let _ = std::fs::remove_file(&status_file);
    let script = format!("\"$0\" --demo; echo $? > {}", status_file.display());
    let socket = format!("ecsdeck-e2e-{}-sigterm", std::process::id());
    let screen = Screen { socket };
    let started = Command::new("tmux")
        .args([
            "-L",
            &screen.socket,
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
        ])
        .args(["sh", "-c", &script])
        .arg(binary())
        .status();
    assert!(matches!(started, Ok(s) if s.success()), "{started:?}");
    screen.tmux(&["set-option", "-w", "-t", "0", "remain-on-exit", "on"]);
    screen.wait_for("prod-payments");
    let shell = String::from_utf8_lossy(
        &screen
            .tmux(&["display-message", "-p", "-t", "0", "#{pane_pid}"])
            .stdout,
    )
    .trim()
    .to_string();
    let killed = Command::new("pkill").args(["-TERM", "-P", &shell]).status();
    assert!(matches!(killed, Ok(s) if s.success()), "pkill: {killed:?}");
    let deadline = Instant::now() + Duration::from_secs(15);
    let code = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && !text.trim().is_empty()
        {
            break text.trim().to_string();
        }
        assert!(
            Instant::now() < deadline,
            "ecsdeck still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    // 0, not 143: ecsdeck handled SIGTERM and left on its own.
    assert_eq!(code, "0");
    // The alternate screen was left: the dashboard is gone from the terminal.
    let after = screen.text();
    assert!(
        !after.contains("prod-payments"),
        "terminal not restored:\n{after}"
    );
    let _ = std::fs::remove_file(&status_file);
}

/// Polls a boto3 read until `check` holds, or fails with the last value.
fn eventually(
    moto: &Moto,
    args: &[&str],
    check: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let value = moto.fixture(args);
        if check(&value) {
            return value;
        }
        if Instant::now() > deadline {
            panic!("boto3 never saw the change: {value}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Stops one task of svc-000 with the prefilled reason, and checks moto saw it.
fn stop_one_task_by_keys(screen: &Screen, moto: &Moto, fleet: &serde_json::Value) {
    // Stop one task of svc-000 with the prefilled reason.
    let task = fleet["tasks"]["svc-000"][0]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let id: String = task
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .chars()
        .take(8)
        .collect();
    screen.keys(&["k", "Enter"]);
    screen.wait_for("tasks(e2e-ops/svc-000)");
    screen.keys(&["/", &id, "Enter"]);
    // The row must be there before ctrl-k acts on it (the list may still be loading).
    screen.wait_for(&format!("▶{id}"));
    screen.keys(&["C-k"]);
    screen.wait_for("stopped from ecsdeck by");
    screen.keys(&["Enter"]);
    screen.wait_for("y confirm");
    screen.keys(&["y"]);
    let stopped = eventually(
        moto,
        &["describe-task", "--cluster", "e2e-ops", "--task", &task],
        |v| v["desiredStatus"] == "STOPPED",
    );
    assert!(
        stopped["stoppedReason"]
            .as_str()
            .is_some_and(|r| r.starts_with("stopped from ecsdeck by")),
        "{stopped}"
    );
}

#[test]
fn scale_roll_back_and_stop_through_keys_verified_with_boto3() {
    let moto = Moto::shared();
    let fleet = moto.fixture(&[
        "fleet",
        "--cluster",
        "e2e-ops",
        "--services",
        "2",
        "--tasks-per-service",
        "2",
        "--task-family",
        "ops-api",
    ]);
    // A second revision to roll to (the picker offers every other ACTIVE revision).
    moto.fixture(&[
        "register-revision",
        "--family",
        "ops-api",
        "--image",
        "nginx:1.27",
    ]);
    let screen = Screen::moto("ops", moto, &["--cluster", "e2e-ops"]);
    screen.wait_for("services(e2e-ops)[2]");

    // Scale svc-000 from 2 to 4.
    screen.keys(&["s"]);
    screen.wait_for("New desired count");
    screen.keys(&["BSpace", "4", "Enter"]);
    screen.wait_for("e2e-ops/svc-000 desired 2 → 4");
    screen.keys(&["y"]);
    eventually(
        moto,
        &[
            "describe-service",
            "--cluster",
            "e2e-ops",
            "--service",
            "svc-000",
        ],
        |v| v["desiredCount"] == 4,
    );
    screen.wait_for("Done: e2e-ops/svc-000 desired 2 → 4");

    // Roll svc-001 to the other revision; the diff shows the image change.
    screen.keys(&["j", "R"]);
    screen.wait_for("image: public.ecr.aws/nginx/nginx:1.25 → nginx:1.27");
    screen.keys(&["y"]);
    eventually(
        moto,
        &[
            "describe-service",
            "--cluster",
            "e2e-ops",
            "--service",
            "svc-001",
        ],
        |v| {
            v["taskDefinition"]
                .as_str()
                .is_some_and(|t| t.ends_with("ops-api:2"))
        },
    );

    stop_one_task_by_keys(&screen, moto, &fleet);

    // The journal lists all three, newest first.
    screen.keys(&[":", "journal", "Enter"]);
    let journal = screen.wait_for("journal[3]");
    assert!(journal.contains("stop 1 task"), "{journal}");
    assert!(journal.contains("ops-api:1 → ops-api:2"), "{journal}");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn read_only_blocks_scaling_and_nothing_changes() {
    let moto = Moto::shared();
    moto.fleet("e2e-ro", 1, 1);
    let screen = Screen::moto("ro", moto, &["--cluster", "e2e-ro", "--read-only"]);
    let first = screen.wait_for("services(e2e-ro)[1]");
    assert!(first.contains("READ-ONLY"), "{first}");
    screen.keys(&["s"]);
    screen.wait_for("Read-only: scaling is blocked");
    screen.keys(&["r"]);
    screen.wait_for("Read-only: redeploying is blocked");
    let service = moto.fixture(&[
        "describe-service",
        "--cluster",
        "e2e-ro",
        "--service",
        "svc-000",
    ]);
    assert_eq!(service["desiredCount"], 1);
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

/// A fleet with one task whose app container logs to /ecs/<family>, stream app/app/<id>.
fn logging_fleet(moto: &Moto, cluster: &str, family: &str) -> (String, String) {
    let fleet = moto.fixture(&[
        "fleet",
        "--cluster",
        cluster,
        "--services",
        "1",
        "--tasks-per-service",
        "1",
        "--task-family",
        family,
    ]);
    let task = fleet["tasks"]["svc-000"][0]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let id = task.rsplit('/').next().unwrap_or_default().to_string();
    (format!("/ecs/{family}"), format!("app/app/{id}"))
}

fn config_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("ecsdeck-e2e-{}-{name}.toml", std::process::id()));
    if let Err(e) = std::fs::write(&path, text) {
        panic!("{e}");
    }
    path.display().to_string()
}

#[test]
fn logs_written_with_put_log_events_appear_over_polling() {
    let moto = Moto::shared();
    let (group, stream) = logging_fleet(moto, "e2e-logs", "logs-api");
    moto.fixture(&[
        "put-logs",
        "--group",
        &group,
        "--stream",
        &stream,
        "--ago-ms",
        "20000",
        "--message",
        "boot: listening on :8080",
        "--message",
        "\u{1b}]0;pwned\u{7}\u{1b}[2Jtitle attack",
    ]);
    let config = config_file(
        "polling",
        "[logs]\ntransport = \"polling\"\npoll_seconds = 1\n",
    );
    let screen = Screen::moto(
        "logs",
        moto,
        &["--cluster", "e2e-logs", "--config", &config],
    );
    screen.wait_for("services(e2e-logs)[1]");
    screen.keys(&["l"]);
    screen.wait_for("boot: listening on :8080");
    // The back-fill shows first; the title says polling once the back-fill is done.
    screen.wait_for("● polling");
    // The escape sequences were neutralised: the text shows, the title did not change.
    screen.wait_for("title attack");
    let title = screen.tmux(&["display-message", "-p", "-t", "0", "#{pane_title}"]);
    assert!(!String::from_utf8_lossy(&title.stdout).contains("pwned"));
    // Written after the pane opened: appears on the next poll.
    moto.fixture(&[
        "put-logs",
        "--group",
        &group,
        "--stream",
        &stream,
        "--message",
        "written after the pane opened",
    ]);
    screen.wait_for("written after the pane opened");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn logs_over_moto_live_tail() {
    let moto = Moto::shared();
    let (group, stream) = logging_fleet(moto, "e2e-live", "live-api");
    moto.fixture(&[
        "put-logs",
        "--group",
        &group,
        "--stream",
        &stream,
        "--ago-ms",
        "5000",
        "--message",
        "GET /v1/orders 200 12ms",
    ]);
    let screen = Screen::moto("live", moto, &["--cluster", "e2e-live"]);
    screen.wait_for("services(e2e-live)[1]");
    screen.keys(&["l"]);
    screen.wait_for("GET /v1/orders 200 12ms");
    // moto's live tail sends one snapshot and closes; the pane reconnects, never duplicating.
    moto.fixture(&[
        "put-logs",
        "--group",
        &group,
        "--stream",
        &stream,
        "--message",
        "POST /v1/orders 201 30ms",
    ]);
    let screen_text = screen.wait_for("POST /v1/orders 201 30ms");
    assert_eq!(
        screen_text.matches("GET /v1/orders 200 12ms").count(),
        1,
        "{screen_text}"
    );
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn put_metric_data_and_alarm_state_show_in_the_services_list() {
    let moto = Moto::shared();
    moto.fleet("e2e-metrics", 2, 1);
    let dims = [
        "--dim",
        "ClusterName=e2e-metrics",
        "--dim",
        "ServiceName=svc-001",
    ];
    let mut cpu = vec![
        "put-metric",
        "--namespace",
        "AWS/ECS",
        "--metric",
        "CPUUtilization",
    ];
    cpu.extend(dims);
    cpu.extend(["--value", "20", "--value", "55", "--value", "93"]);
    moto.fixture(&cpu);
    let mut alarm = vec![
        "put-alarm",
        "--name",
        "e2e-svc-001-cpu",
        "--namespace",
        "AWS/ECS",
        "--metric",
        "CPUUtilization",
        "--threshold",
        "90",
    ];
    alarm.extend(dims);
    moto.fixture(&alarm);
    moto.fixture(&[
        "set-alarm-state",
        "--name",
        "e2e-svc-001-cpu",
        "--state",
        "ALARM",
        "--reason",
        "Threshold Crossed: 1 datapoint [93.0] was greater than the threshold (90.0).",
    ]);
    let screen = Screen::moto("metrics", moto, &["--cluster", "e2e-metrics"]);
    screen.wait_for("⚠ 1");
    // Alarms and utilisation are separate fetches: wait for both before reading the row.
    let list = screen.wait_for(" 93% ");
    let row = list
        .lines()
        .find(|l| l.contains("svc-001"))
        .unwrap_or_default()
        .to_string();
    assert!(row.contains(" 93% "), "current CPU %: {row}");
    assert!(row.contains('█') || row.contains('▇'), "sparkline: {row}");
    // The detail pane names the alarm and its state.
    screen.keys(&["/", "svc-001", "Enter", "m"]);
    let detail = screen.wait_for("CPU 93%");
    assert!(detail.contains("ALARM  e2e-svc-001-cpu"), "{detail}");
    // Triage puts it on the list with the reason in words.
    screen.keys(&[":", "triage", "Enter"]);
    screen.wait_for("alarm e2e-svc-001-cpu in ALARM");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn throttling_is_named_in_the_binary_keys_keep_working_and_it_recovers() {
    let moto = Moto::shared();
    moto.fleet("e2e-throttle", 1, 0);
    let proxy = crate::support::FaultProxy::start(&moto.endpoint);
    let args = [
        "--endpoint-url",
        proxy.endpoint.as_str(),
        "--region",
        "us-east-1",
        "--cluster",
        "e2e-throttle",
        "--refresh",
        "1",
    ];
    let screen = Screen::start("throttle", &args, &moto.aws_env());
    screen.wait_for("services(e2e-throttle)[1]");
    proxy.set("throttle", None, None);
    let throttled = screen.wait_for("AWS is throttling");
    assert!(throttled.contains("THROTTLED"), "{throttled}");
    // The last good rows stay, with their age and when the next try is.
    assert!(throttled.contains("svc-000"), "{throttled}");
    screen.wait_for("Next try in");
    // Keys still work while every call is refused.
    screen.keys(&["?"]);
    screen.wait_for("help ·");
    screen.keys(&["Escape"]);
    proxy.clear();
    screen.wait_until(|s| !s.contains("THROTTLED") && !s.contains("AWS is throttling"));
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

/// Writes the config file a `Screen` named `name` will read.
fn write_config(name: &str, text: &str) {
    let home = std::env::temp_dir().join(format!("ecsdeck-e2e-{}-{name}", std::process::id()));
    let dir = home.join("ecsdeck");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join("config.toml"), text);
}

#[test]
fn read_only_fails_closed_on_a_config_typo_and_follows_aws_profile() {
    let moto = Moto::shared();
    moto.fleet("e2e-closed", 1, 0);
    let args = ["--region", "us-east-1", "--cluster", "e2e-closed"];
    // read_only = true, and one typo elsewhere in the file.
    write_config("typo", "read_only = true\n[refresh]\nservices = = 5\n");
    let screen = Screen::moto("typo", moto, &args);
    let first = screen.wait_for("services(e2e-closed)[1]");
    assert!(first.contains("READ-ONLY"), "{first}");
    assert!(first.contains("Read-only: config"), "{first}");
    screen.keys(&["s"]);
    screen.wait_for("Read-only: scaling is blocked");
    // The banner is still there after keys (status messages are not).
    screen.keys(&["j", "k"]);
    let later = screen.wait_for("Read-only: config");
    assert!(later.contains("READ-ONLY"), "{later}");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();

    // AWS_PROFILE selects [profiles.prod], exactly as --profile would.
    write_config("profile", "[profiles.prod]\nread_only = true\n");
    let mut env = moto.aws_env();
    env.push(("AWS_PROFILE".to_string(), "prod".to_string()));
    let mut all = vec!["--endpoint-url", moto.endpoint.as_str()];
    all.extend(args);
    let screen = Screen::start("profile", &all, &env);
    let first = screen.wait_for("services(e2e-closed)[1]");
    assert!(first.contains("READ-ONLY"), "{first}");
    assert!(first.contains("profile prod"), "{first}");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn target_health_columns_against_moto() {
    let moto = Moto::shared();
    let fleet = moto.fixture(&["balanced-service", "--cluster", "e2e-elb"]);
    let unregistered = fleet["tasks"][2]["taskArn"]
        .as_str()
        .and_then(|arn| arn.rsplit('/').next())
        .map(|id| id.chars().take(8).collect::<String>())
        .unwrap_or_default();
    let screen = Screen::moto("elb", moto, &["--cluster", "e2e-elb"]);
    // The services list: two of the three tasks are registered, both healthy.
    let text = screen.wait_for("2/2");
    assert!(text.contains("TARGETS"), "{text}");
    screen.keys(&["Enter"]);
    screen.wait_for("tasks(e2e-elb/web)");
    let text =
        screen.wait_until(|t| t.matches("healthy").count() >= 2 && t.contains("not registered"));
    let row = text
        .lines()
        .find(|l| l.contains(&unregistered))
        .unwrap_or_else(|| panic!("no row for {unregistered}:\n{text}"));
    assert!(row.contains("not registered"), "{row}");
    screen.keys(&["q", "q", "q"]);
    screen.wait_for_exit();
}
