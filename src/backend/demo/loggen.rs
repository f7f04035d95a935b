//! What the demo's containers write: every line is a pure function of (stream, second), so any
//! time window of any stream can be produced on demand and nothing is stored. Stream keys
//! hash the task id, which the fleet seed decides, so the same seed gives the same logs.

use chrono::{DateTime, Utc};

use super::rng::SplitMix64;

/// How a container talks, chosen from its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Voice {
    /// An API's access log plus plain-text app lines, Java stack traces.
    Http,
    /// JSON structured lines, Python tracebacks.
    Json,
    /// A batch job runner.
    Batch,
    Envoy,
    Datadog,
    FireLens,
}

/// One awslogs stream of one task's container, with what decides its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StreamSpec {
    pub group: String,
    pub name: String,
    pub service: String,
    pub voice: Voice,
    pub key: u64,
    /// The second the container starts writing (start-up lines).
    pub first_sec: i64,
    /// The second it stopped (shutdown, OOM or exit lines), if it did.
    pub last_sec: Option<i64>,
    pub oom: bool,
    pub exit1: bool,
    /// Answers the load balancer's health checks with 503 (a broken release behind one).
    pub failing_checks: bool,
    /// Writes bursts of errors (failing rollout, crash loop).
    pub bursty: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Startup(u8),
    Shutdown(u8),
    Oom(u8),
    Exit1(u8),
    MemoryWarn,
    HealthCheck503,
    Normal,
    Warn,
    Colour,
    Trace(u8),
    Burst,
}

/// One event of a second before its text is rendered (rendering is the costly part, so it
/// happens only for events that are returned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Planned {
    pub ts_ms: i64,
    kind: Kind,
    seed: u64,
}

fn mix(a: u64, b: u64) -> u64 {
    SplitMix64::new(a ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15)).next_u64()
}

pub(super) fn key(label: &str) -> u64 {
    SplitMix64::from_label(label).next_u64()
}

const STARTUP_LINES: u8 = 5;
const SHUTDOWN_LINES: u8 = 3;
const OOM_LINES: u8 = 3;
const EXIT1_LINES: u8 = 2;
const TRACE_LINES: u8 = 7;

/// The events `spec` writes during second `sec`, oldest first.
pub(super) fn plan(spec: &StreamSpec, sec: i64) -> Vec<Planned> {
    if sec < spec.first_sec || spec.last_sec.is_some_and(|last| sec > last) {
        return Vec::new();
    }
    let h = mix(spec.key, sec as u64);
    let base = sec * 1000;
    let mut out = Vec::new();
    let fixed = |out: &mut Vec<Planned>, n: u8, kind: fn(u8) -> Kind| {
        for i in 0..n {
            out.push(Planned {
                ts_ms: base + i64::from(i) * 37,
                kind: kind(i),
                seed: h,
            });
        }
    };
    if sec == spec.first_sec {
        fixed(&mut out, STARTUP_LINES, Kind::Startup);
        return out;
    }
    if spec.last_sec == Some(sec) {
        if spec.oom {
            fixed(&mut out, OOM_LINES, Kind::Oom);
        } else if spec.exit1 {
            fixed(&mut out, EXIT1_LINES, Kind::Exit1);
        } else {
            fixed(&mut out, SHUTDOWN_LINES, Kind::Shutdown);
        }
        return out;
    }
    ongoing(spec, sec, h, &mut out);
    out.sort_by_key(|p| p.ts_ms);
    out
}

/// What a running container writes in second `sec`: its usual lines, warnings, stack traces,
/// bursts of errors, and the memory warnings before an OOM kill.
fn ongoing(spec: &StreamSpec, sec: i64, h: u64, out: &mut Vec<Planned>) {
    let base = sec * 1000;
    let mut rng = SplitMix64::new(h);
    let push = |out: &mut Vec<Planned>, kind: Kind, rng: &mut SplitMix64| {
        let ts_ms = base + rng.below(1000) as i64;
        out.push(Planned {
            ts_ms,
            kind,
            seed: rng.next_u64(),
        });
    };
    if spec.oom && spec.last_sec.is_some_and(|last| last - sec <= 5) {
        push(out, Kind::MemoryWarn, &mut rng);
    }
    // The balancer's nodes check every 30 s each: about one check every 10 s.
    if spec.failing_checks && sec.rem_euclid(10) == 0 {
        push(out, Kind::HealthCheck503, &mut rng);
    }
    // Bursts: 6 s of 30-50 errors/s in one of every three 30 s windows.
    let window = sec.div_euclid(30);
    if spec.bursty && mix(spec.key, window as u64).is_multiple_of(3) && sec.rem_euclid(30) < 6 {
        for _ in 0..30 + rng.below(21) {
            push(out, Kind::Burst, &mut rng);
        }
    }
    let count = match spec.voice {
        Voice::Http | Voice::Envoy => 2 + rng.below(4),
        Voice::Json => 1 + rng.below(4),
        Voice::Batch => rng.below(3),
        Voice::Datadog | Voice::FireLens => u64::from(rng.below(4) == 0),
    };
    for _ in 0..count {
        let roll = rng.below(1000);
        let kind = match spec.voice {
            Voice::Http | Voice::Json | Voice::Batch => match roll {
                0..=29 => Kind::Warn,
                30..=37 => Kind::Colour,
                38..=41 => Kind::Trace(0),
                _ => Kind::Normal,
            },
            _ => match roll {
                0..=19 => Kind::Warn,
                _ => Kind::Normal,
            },
        };
        if kind == Kind::Trace(0) {
            // A stack trace: one event per line (awslogs has no multi-line pattern here),
            // all within the same millisecond.
            let ts_ms = base + rng.below(1000) as i64;
            let seed = rng.next_u64();
            for line in 0..TRACE_LINES {
                out.push(Planned {
                    ts_ms,
                    kind: Kind::Trace(line),
                    seed,
                });
            }
        } else {
            push(out, kind, &mut rng);
        }
    }
}

const PATHS: [&str; 8] = [
    "/v1/checkout",
    "/v1/cart/items",
    "/v1/orders",
    "/v1/orders/{id}",
    "/v1/payments/authorise",
    "/v1/customers/{id}",
    "/health",
    "/v1/search",
];
const METHODS: [&str; 5] = ["GET", "GET", "GET", "POST", "PUT"];
const JSON_MSGS: [&str; 6] = [
    "payment authorised",
    "message processed",
    "ledger entry written",
    "invoice rendered",
    "webhook delivered",
    "cache refreshed",
];

fn pick<'a>(list: &[&'a str], seed: u64) -> &'a str {
    list[(seed % list.len() as u64) as usize]
}

fn hex(seed: u64) -> String {
    format!("{:016x}", mix(seed, 0x5eed))
}

fn iso(ts_ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ts_ms)
        .unwrap_or(DateTime::UNIX_EPOCH)
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// The text of one planned event. May contain ANSI escape sequences, like real apps' logs.
pub(super) fn render(spec: &StreamSpec, p: &Planned) -> String {
    let s = p.seed;
    let svc = &spec.service;
    let java = matches!(spec.voice, Voice::Http | Voice::Batch);
    match p.kind {
        Kind::Startup(i) => startup_line(spec, p, i),
        Kind::Shutdown(0) => "Received SIGTERM, draining in-flight requests".to_string(),
        Kind::Shutdown(1) => format!("Closed {} idle connections", s % 40),
        Kind::Shutdown(_) => "Shutdown complete, exiting with code 0".to_string(),
        Kind::MemoryWarn => format!(
            "WARN heap usage {}% of container memory limit, GC pause {}ms",
            92 + s % 8,
            200 + s % 900
        ),
        Kind::Oom(0) => {
            "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space".to_string()
        }
        Kind::Oom(1) => "\tat java.util.Arrays.copyOf(Arrays.java:3512)".to_string(),
        Kind::Oom(_) => "Killed".to_string(),
        Kind::Exit1(0) => {
            format!("FATAL {svc}: required environment variable LEDGER_DB_URL is not set")
        }
        Kind::Exit1(_) => "exiting with code 1".to_string(),
        Kind::Burst => {
            if spec.exit1 || svc.contains("ledger") {
                format!(
                    "{{\"level\":\"error\",\"msg\":\"failed to sync ledger batch\",\"batch\":{},\"error\":\"connection refused (ledger-db:5432)\",\"trace_id\":\"{}\"}}",
                    40_000 + s % 10_000,
                    hex(s)
                )
            } else {
                format!(
                    "ERROR worker-{} failed to process message {}: upstream timeout after 30000ms",
                    s % 8,
                    hex(s)
                )
            }
        }
        Kind::Colour => format!(
            "\x1b[31mERROR\x1b[0m \x1b[1m{svc}\x1b[0m upstream connect error or disconnect/reset before headers request_id={}",
            hex(s)
        ),
        Kind::Trace(i) => trace_line(spec, p, i, java),
        Kind::HealthCheck503 => match spec.voice {
            Voice::Json => format!(
                "{{\"level\":\"error\",\"ts\":\"{}\",\"msg\":\"health check failed\",\"path\":\"/health\",\"status\":503,\"user_agent\":\"ELB-HealthChecker/2.0\",\"error\":\"dial tcp ledger-db:5432: connection refused\"}}",
                iso(p.ts_ms)
            ),
            _ => format!(
                "GET /health 503 {}ms user_agent=ELB-HealthChecker/2.0 request_id={}",
                1 + s % 4,
                hex(s)
            ),
        },
        Kind::Warn => match spec.voice {
            Voice::Json => format!(
                "{{\"level\":\"warn\",\"msg\":\"retrying request\",\"attempt\":{},\"backoff_ms\":{},\"trace_id\":\"{}\"}}",
                1 + s % 3,
                100 * (1 + s % 8),
                hex(s)
            ),
            Voice::Envoy | Voice::Datadog | Voice::FireLens => format!(
                "[{}] [ warn] retry {} for upstream cluster {svc}",
                iso(p.ts_ms),
                1 + s % 3
            ),
            _ => format!(
                "WARN slow query took {}ms: SELECT * FROM orders WHERE customer_id = $1 LIMIT 50",
                1000 + s % 4000
            ),
        },
        Kind::Normal => normal(spec, p),
    }
}

/// The lines a container writes as it starts, in its own voice.
fn startup_line(spec: &StreamSpec, p: &Planned, i: u8) -> String {
    let s = p.seed;
    let svc = &spec.service;
    match (spec.voice, i) {
        (Voice::Envoy, _) => format!(
            "[{}][1][info][main] [source/server/server.cc:{}] initializing epoch {i}",
            iso(p.ts_ms),
            400 + u32::from(i)
        ),
        (Voice::Datadog, _) => format!(
            "{} UTC | CORE | INFO | (pkg/agent/start.go:{}) | Starting Datadog Agent v7.52.0 step {i}",
            iso(p.ts_ms),
            100 + u32::from(i)
        ),
        (Voice::FireLens, _) => format!(
            "[{}] [ info] [fluent bit] version=2.32.2, commit=, pid=1 (step {i})",
            iso(p.ts_ms)
        ),
        (_, 0) => format!("Starting {svc} (pid 1) on {}", iso(p.ts_ms)),
        (_, 1) => "Loaded configuration from SSM parameter store (14 keys)".to_string(),
        (_, 2) => "Connected to database pool (min=2, max=20)".to_string(),
        (_, 3) => "Listening on 0.0.0.0:8080".to_string(),
        _ => format!("{svc} started in {}ms", 900 + s % 4000),
    }
}

/// One line of a stack trace: Java for the JVM services, Python for the workers.
fn trace_line(spec: &StreamSpec, p: &Planned, i: u8, java: bool) -> String {
    let s = p.seed;
    let svc = &spec.service;
    if java {
        return match i {
            0 => format!(
                "ERROR [http-nio-8080-exec-{}] c.a.{}.OrderController - Unhandled exception request_id={}",
                s % 20,
                svc.replace('-', ""),
                hex(s)
            ),
            1 => "java.lang.IllegalStateException: inventory reservation expired".to_string(),
            2 => "\tat com.acme.inventory.InventoryClient.reserve(InventoryClient.java:142)"
                .to_string(),
            3 => "\tat com.acme.checkout.OrderService.place(OrderService.java:88)".to_string(),
            4 => {
                "\tat com.acme.checkout.OrderController.create(OrderController.java:51)".to_string()
            }
            5 => "Caused by: java.net.SocketTimeoutException: Read timed out".to_string(),
            _ => "\t... 42 common frames omitted".to_string(),
        };
    }
    match i {
        0 => "Traceback (most recent call last):".to_string(),
        1 => "  File \"/app/worker/consumer.py\", line 88, in handle".to_string(),
        2 => "    result = processor.process(message)".to_string(),
        3 => "  File \"/app/worker/processor.py\", line 31, in process".to_string(),
        4 => "    account = message[\"account_id\"]".to_string(),
        5 => "KeyError: 'account_id'".to_string(),
        _ => format!("ERROR message {} moved to dead-letter queue", hex(s)),
    }
}

fn normal(spec: &StreamSpec, p: &Planned) -> String {
    let s = p.seed;
    let status = match s % 100 {
        0 => 500,
        1..=3 => 404,
        4..=9 => 201,
        10..=12 => 304,
        _ => 200,
    };
    let path = pick(&PATHS, s >> 8).replace("{id}", &(s % 100_000).to_string());
    let method = pick(&METHODS, s >> 16);
    let latency = 2 + (s >> 24) % 180;
    match spec.voice {
        Voice::Http => format!("{method} {path} {status} {latency}ms request_id={}", hex(s)),
        Voice::Json => format!(
            "{{\"level\":\"info\",\"ts\":\"{}\",\"msg\":\"{}\",\"amount\":{},\"trace_id\":\"{}\"}}",
            iso(p.ts_ms),
            pick(&JSON_MSGS, s >> 8),
            100 + s % 50_000,
            hex(s)
        ),
        Voice::Batch => format!(
            "INFO Processed batch {} ({} records) in {}ms",
            s % 100_000,
            100 + s % 900,
            latency * 10
        ),
        Voice::Envoy => format!(
            "[{}] \"{method} {path} HTTP/1.1\" {status} - 0 {} {latency} {} \"-\" \"okhttp/4.12.0\" \"{}\" \"{}\" \"127.0.0.1:8080\"",
            iso(p.ts_ms),
            200 + s % 4000,
            latency.saturating_sub(1),
            hex(s),
            spec.service
        ),
        Voice::Datadog => format!(
            "{} UTC | CORE | INFO | (pkg/forwarder/transaction.go:{}) | Successfully posted payload to \"https://7-52-0-app.agent.datadoghq.eu/api/v1/series\"",
            iso(p.ts_ms),
            300 + s % 100
        ),
        Voice::FireLens => format!(
            "[{}] [ info] [output:cloudwatch_logs:cloudwatch_logs.0] Sent {} events to CloudWatch",
            iso(p.ts_ms),
            1 + s % 40
        ),
    }
}
