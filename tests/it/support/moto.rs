//! A moto server (the AWS emulator) on loopback, one per test binary.
//!
//! Tests isolate themselves with unique cluster names instead of resetting moto, so they can
//! run in parallel against the same server. The Python launcher exits when this process dies,
//! so no server outlives the tests even when a test panics or the run is interrupted.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long moto may take to import and start (about 2 s here; generous for slow CI).
const START_DEADLINE: Duration = Duration::from_secs(60);

pub struct Moto {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    python: PathBuf,
    /// Kept so the child is not reaped early; it exits on its own when we die.
    _child: Mutex<Child>,
}

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The venv's python, or `ECSDECK_MOTO_PYTHON`.
fn python() -> PathBuf {
    if let Some(path) = std::env::var_os("ECSDECK_MOTO_PYTHON") {
        return PathBuf::from(path);
    }
    let python = repo().join(".venv/bin/python");
    if !python.exists() {
        panic!("moto venv missing: run ./scripts/test.sh (it creates .venv)");
    }
    python
}

/// A port that was free a moment ago: bind port 0 on loopback, read it, release it.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("local address").port()
}

/// True when `GET /moto-api/` answers 200.
fn answers(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 32];
    let Ok(n) = stream.read(&mut head) else {
        return false;
    };
    let status_line = String::from_utf8_lossy(&head[..n]);
    status_line.starts_with("HTTP/1.") && status_line.contains(" 200")
}

impl Moto {
    /// The server of this test binary, started on first use.
    pub fn shared() -> &'static Moto {
        static SHARED: OnceLock<Moto> = OnceLock::new();
        SHARED.get_or_init(Moto::start)
    }

    /// A server of its own, for a test that cannot share: moto 5.2's StartLiveTail resolves
    /// a log group ARN to whichever group was created last (its lookup loop has no `break`),
    /// so with other tests creating groups it tails the wrong one.
    pub fn dedicated() -> Moto {
        Moto::start()
    }

    fn start() -> Moto {
        let python = python();
        let port = free_port();
        let mut child = Command::new(&python)
            .arg(repo().join("tests/it/support/moto_launcher.py"))
            .arg(port.to_string())
            .current_dir(repo())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
        let deadline = Instant::now() + START_DEADLINE;
        while !answers(port) {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("moto exited before answering ({status}); see its output above");
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("moto did not answer on 127.0.0.1:{port} within {START_DEADLINE:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Moto {
            endpoint: format!("http://127.0.0.1:{port}"),
            python,
            _child: Mutex::new(child),
        }
    }

    /// Runs `fixtures.py --endpoint URL ARGS` (boto3) and returns its JSON output.
    pub fn fixture(&self, args: &[&str]) -> serde_json::Value {
        let output = Command::new(&self.python)
            .arg(repo().join("tests/it/support/fixtures.py"))
            .arg("--endpoint")
            .arg(&self.endpoint)
            .args(args)
            .current_dir(repo())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .unwrap_or_else(|e| panic!("cannot run fixtures.py: {e}"));
        if !output.status.success() {
            panic!(
                "fixtures.py {args:?} failed ({}):\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "fixtures.py {args:?} printed invalid JSON ({e}):\n{}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }

    /// A Fargate cluster with `services` services of `tasks` running tasks each (`fixtures.py
    /// fleet`); its JSON names the service and task ARNs.
    pub fn fleet(&self, cluster: &str, services: usize, tasks: usize) -> serde_json::Value {
        let (services, tasks) = (services.to_string(), tasks.to_string());
        self.fixture(&[
            "fleet",
            "--cluster",
            cluster,
            "--services",
            &services,
            "--tasks-per-service",
            &tasks,
        ])
    }

    /// The environment that points the SDK (or the ecsdeck binary) at this server, with fake
    /// keys and empty config files so nothing reads the developer's real AWS configuration.
    pub fn aws_env(&self) -> Vec<(String, String)> {
        let (config, credentials) = empty_aws_files();
        [
            ("AWS_ENDPOINT_URL", self.endpoint.as_str()),
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_CONFIG_FILE", config),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    /// Sets [`Moto::aws_env`] in this process, once. Every test that reads the environment
    /// (the SDK does) must call this before doing anything else.
    pub fn install_aws_env(&self) {
        static INSTALLED: OnceLock<()> = OnceLock::new();
        INSTALLED.get_or_init(|| {
            for (key, value) in self.aws_env() {
                // SAFETY: runs once, inside OnceLock initialisation; every test of the binary
                // calls this first and blocks on the OnceLock until it is done, so no other
                // thread of ours reads the environment while it is being written.
                unsafe { std::env::set_var(key, value) };
            }
            // Profiles would override the region and keys above.
            // SAFETY: as above.
            unsafe { std::env::remove_var("AWS_PROFILE") };
        });
    }
}

/// Two empty files (config, credentials), created once per test binary.
fn empty_aws_files() -> (&'static str, &'static str) {
    static FILES: OnceLock<(String, String)> = OnceLock::new();
    let (config, credentials) = FILES.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ecsdeck-aws-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let config = dir.join("config");
        let credentials = dir.join("credentials");
        std::fs::write(&config, "").expect("write empty AWS config");
        std::fs::write(&credentials, "").expect("write empty AWS credentials");
        (
            config.to_string_lossy().into_owned(),
            credentials.to_string_lossy().into_owned(),
        )
    });
    (config, credentials)
}

impl Drop for Moto {
    /// A dedicated server ends with its test (the shared one lives in a static: never dropped).
    fn drop(&mut self) {
        if let Ok(mut child) = self._child.lock() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
