//! A fault-injecting HTTP proxy between ecsdeck and moto (`fault_proxy.py`, standard library
//! Python): one per test, so faults never leak into other tests sharing the moto server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::moto::repo;

pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`: point the SDK here instead of at moto.
    pub endpoint: String,
    control_port: u16,
    child: Child,
}

impl FaultProxy {
    /// Starts a proxy in front of `upstream` (the moto endpoint).
    pub fn start(upstream: &str) -> FaultProxy {
        let mut child = Command::new("python3")
            .arg(repo().join("tests/it/support/fault_proxy.py"))
            .args(["--upstream", upstream, "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the fault proxy: {e}"));
        let stdout = child.stdout.take().expect("proxy stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut port_of = |word: &str| -> u16 {
            let line = lines
                .next()
                .and_then(Result::ok)
                .unwrap_or_else(|| panic!("the fault proxy printed no {word} line"));
            line.strip_prefix(word)
                .and_then(|p| p.trim().parse().ok())
                .unwrap_or_else(|| panic!("unexpected proxy line {line:?}"))
        };
        let port = port_of("PORT");
        let control_port = port_of("CONTROL");
        FaultProxy {
            endpoint: format!("http://127.0.0.1:{port}"),
            control_port,
            child,
        }
    }

    /// Adds a fault rule: `fault` on `operations` (None: every operation) of `services`.
    pub fn set(&self, fault: &str, operations: Option<&[&str]>, services: Option<&[&str]>) {
        let body = serde_json::json!({
            "fault": fault,
            "operations": operations,
            "services": services,
            "count": null,
        });
        self.control("POST", "/__fault/set", &body.to_string());
    }

    /// Garbles every record of `operation`'s answers whose JSON contains `needle` (a field
    /// of the wrong type), as a record the SDK cannot decode.
    pub fn corrupt(&self, operation: &str, needle: &str) {
        let body = serde_json::json!({
            "fault": "corrupt_record",
            "operations": [operation],
            "match": needle,
        });
        self.control("POST", "/__fault/set", &body.to_string());
    }

    /// Every container in DescribeTasks answers reports `digest` as the image it runs
    /// (moto leaves imageDigest out).
    pub fn image_digest(&self, digest: &str) {
        let body = serde_json::json!({
            "fault": "image_digest",
            "operations": ["DescribeTasks"],
            "match": digest,
        });
        self.control("POST", "/__fault/set", &body.to_string());
    }

    /// Answers DescribeScalingActivities (moto has none) with `activities`, a JSON list in
    /// AWS's shape, newest first; the rest still goes to moto.
    pub fn scaling_activities(&self, activities: &serde_json::Value) {
        let body = serde_json::json!({
            "fault": "scaling_activities",
            "operations": ["DescribeScalingActivities"],
            "match": activities.to_string(),
        });
        self.control("POST", "/__fault/set", &body.to_string());
    }

    /// Removes every fault.
    pub fn clear(&self) {
        self.control("POST", "/__fault/clear", "{}");
    }

    /// Refuses connections on the data port until `up`.
    pub fn down(&self) {
        self.control("POST", "/__fault/down", "{}");
    }

    pub fn up(&self) {
        self.control("POST", "/__fault/up", "{}");
    }

    pub fn reset_stats(&self) {
        self.control("POST", "/__fault/reset-stats", "{}");
    }

    /// Every request seen since the last reset: `{"operation", "fault", "status", ...}`.
    pub fn stats(&self) -> Vec<serde_json::Value> {
        let body = self.control("GET", "/__fault/stats", "");
        serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
    }

    /// Requests of `operation` seen since the last reset.
    pub fn count(&self, operation: &str) -> usize {
        self.stats()
            .iter()
            .filter(|r| r["operation"] == operation)
            .count()
    }

    fn control(&self, method: &str, path: &str, body: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.control_port))
            .unwrap_or_else(|e| panic!("fault proxy control port: {e}"));
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let request = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .unwrap_or_else(|e| panic!("fault proxy control: {e}"));
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        assert!(
            response.starts_with("HTTP/1.") && response.contains(" 200"),
            "fault proxy refused {method} {path}: {response}"
        );
        response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
