//! Faults between ecsdeck and AWS, injected by a proxy of our own in front of moto: each
//! fault is named rightly (service, IAM action, HTTP status), the last good data stays, the
//! request rate during a fault stays at the normal rate, recovery takes one poll, and a
//! mutation cut off by a connection reset reaches AWS at most once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::{Notify, mpsc, watch};

use crate::support::{FaultProxy, Moto, connect, moto};
use ecsdeck::backend::aws::AwsBackend;
use ecsdeck::backend::metrics::{MetricQuery, MetricsBackend};
use ecsdeck::backend::{ErrorKind, fetch};
use ecsdeck::config::RefreshIntervals;
use ecsdeck::domain::journal::ActionResult;
use ecsdeck::domain::mutation::Mutation;
use ecsdeck::executor::{self, ActionContext};
use ecsdeck::msg::Msg;
use ecsdeck::store::Resource;
use ecsdeck::ui::advice::advice;

async fn backend_via(proxy: &FaultProxy) -> AwsBackend {
    connect(&proxy.endpoint).await.0
}

fn fleet(moto: &Moto, cluster: &str) {
    moto.fleet(cluster, 2, 0);
}

fn cpu_query() -> MetricQuery {
    MetricQuery {
        id: "cpu".into(),
        namespace: "AWS/ECS".into(),
        metric: "CPUUtilization".into(),
        dimensions: vec![("ClusterName".into(), "faults".into())],
        stat: "Average".into(),
        period_secs: 60,
    }
}

/// One fault on DescribeServices: what `fetch::services` reports, and its advice sentence.
async fn services_under(
    proxy: &FaultProxy,
    backend: &AwsBackend,
    cluster: &str,
    fault: &str,
) -> (ErrorKind, String, Option<u16>) {
    proxy.clear();
    proxy.set(fault, Some(&["DescribeServices"]), None);
    let err = fetch::services(backend, cluster)
        .await
        .expect_err("the fault reaches the caller");
    proxy.clear();
    (err.kind, advice(&err, Some("prod")), err.status)
}

#[tokio::test]
async fn every_fault_gets_the_right_sentence() {
    let moto = moto();
    fleet(moto, "faults-words");
    let proxy = FaultProxy::start(&moto.endpoint);
    let backend = backend_via(&proxy).await;
    let cases: [(&str, ErrorKind, &str); 6] = [
        (
            "throttle",
            ErrorKind::Throttled,
            "AWS is throttling DescribeServices",
        ),
        ("server_error", ErrorKind::ServerError, "HTTP 500"),
        ("bad_gateway", ErrorKind::ServerError, "HTTP 502"),
        ("garbage", ErrorKind::Malformed, "not an AWS response"),
        (
            "expired_token",
            ErrorKind::Credentials,
            "aws sso login --profile prod",
        ),
        (
            "access_denied",
            ErrorKind::AccessDenied,
            "ecs:DescribeServices",
        ),
    ];
    for (fault, kind, words) in cases {
        let (got, sentence, _) = services_under(&proxy, &backend, "faults-words", fault).await;
        assert_eq!(got, kind, "{fault}: {sentence}");
        assert!(sentence.contains(words), "{fault}: {sentence}");
        assert!(!sentence.contains("export fresh keys"), "{sentence}");
    }
    // A reset connection: unreachable, and it says which service.
    let (kind, sentence, _) = services_under(&proxy, &backend, "faults-words", "reset").await;
    assert_eq!(kind, ErrorKind::Unreachable, "{sentence}");
    assert!(
        sentence.contains("Cannot reach the ECS endpoint"),
        "{sentence}"
    );
    // And once the fault is gone, the same call works.
    let services = fetch::services(&backend, "faults-words").await;
    assert_eq!(services.map(|s| s.len()), Ok(2));
}

#[tokio::test]
async fn access_denied_on_cloudwatch_names_cloudwatch_and_ecs_keeps_working() {
    let moto = moto();
    fleet(moto, "faults-cw");
    let proxy = FaultProxy::start(&moto.endpoint);
    let backend = backend_via(&proxy).await;
    proxy.set("access_denied", None, Some(&["monitoring"]));
    let now = Utc::now();
    let err = backend
        .get_metric_data(&[cpu_query()], now - chrono::Duration::minutes(30), now)
        .await
        .expect_err("CloudWatch is denied");
    assert_eq!(err.kind, ErrorKind::AccessDenied, "{err:?}");
    let sentence = advice(&err, None);
    assert!(sentence.contains("cloudwatch:GetMetricData"), "{sentence}");
    assert!(!sentence.contains("ecs:GetMetricData"), "{sentence}");
    let services = fetch::services(&backend, "faults-cw").await;
    assert_eq!(services.map(|s| s.len()), Ok(2), "ECS is not affected");
}

#[tokio::test]
async fn the_endpoint_down_and_back() {
    let moto = moto();
    fleet(moto, "faults-down");
    let proxy = FaultProxy::start(&moto.endpoint);
    let backend = backend_via(&proxy).await;
    proxy.down();
    let err = fetch::services(&backend, "faults-down")
        .await
        .expect_err("nothing listens");
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err:?}");
    proxy.up();
    let services = fetch::services(&backend, "faults-down").await;
    assert_eq!(services.map(|s| s.len()), Ok(2));
}

#[tokio::test]
async fn a_hang_longer_than_the_timeouts_ends_as_a_timeout_not_a_freeze() {
    let moto = moto();
    fleet(moto, "faults-hang");
    let proxy = FaultProxy::start(&moto.endpoint);
    let backend = backend_via(&proxy).await;
    proxy.set("hang", Some(&["ListServices"]), None);
    let started = Instant::now();
    let err = fetch::services(&backend, "faults-hang")
        .await
        .expect_err("the hang times out");
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err:?}");
    // Bounded by the SDK's timeouts (10 s per attempt, 15 s per operation), not by the hang
    // (120 s): a structural bound, not a speed measurement.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        proxy.count("ListServices"),
        1,
        "one attempt, no retry storm"
    );
}

#[tokio::test]
async fn a_mutation_cut_off_by_a_reset_reaches_aws_at_most_once() {
    let moto = moto();
    fleet(moto, "faults-reset");
    let proxy = FaultProxy::start(&moto.endpoint);
    let backend = backend_via(&proxy).await;
    proxy.set("reset_after_forward", Some(&["UpdateService"]), None);
    let context = ActionContext {
        read_only: false,
        profile: None,
        region: "us-east-1".into(),
        journal: None,
    };
    let scale = Mutation::Scale {
        cluster: "faults-reset".into(),
        service: "svc-000".into(),
        from: 1,
        to: 3,
    };
    let executed = executor::execute(&backend, &context, &scale, None).await;
    assert!(
        matches!(executed.entry.result, ActionResult::Failed(_)),
        "the client saw the reset: {:?}",
        executed.entry.result
    );
    assert_eq!(proxy.count("UpdateService"), 1, "{:?}", proxy.stats());
    let service = moto.fixture(&[
        "describe-service",
        "--cluster",
        "faults-reset",
        "--service",
        "svc-000",
    ]);
    assert_eq!(service["desiredCount"], 3, "moto got it exactly once");
}

/// Runs the real poller on one services list (interval `every`) and returns its messages.
struct Polling {
    rx: mpsc::UnboundedReceiver<Msg>,
    _focus: watch::Sender<Vec<Resource>>,
    _visible: watch::Sender<ecsdeck::poller::VisibleRows>,
    handle: tokio::task::JoinHandle<()>,
}

impl Polling {
    fn start(backend: Arc<AwsBackend>, cluster: &str, every: Duration) -> Polling {
        let intervals = RefreshIntervals {
            services: every,
            ..RefreshIntervals::default()
        };
        let services = Resource::Services {
            cluster: cluster.to_string(),
        };
        let (focus, focus_rx) = watch::channel(vec![services.clone()]);
        // The two services of `fleet` are on screen, so they are polled at `every`.
        let on_screen = ["svc-000", "svc-001"]
            .map(String::from)
            .into_iter()
            .collect();
        let (visible, visible_rx) = watch::channel([(services, on_screen)].into_iter().collect());
        let (tx, rx) = mpsc::unbounded_channel();
        let handle = ecsdeck::poller::spawn_following(
            backend,
            intervals,
            focus_rx,
            visible_rx,
            Arc::new(Notify::new()),
            tx,
        );
        Polling {
            rx,
            _focus: focus,
            _visible: visible,
            handle,
        }
    }

    /// The next fetch result: Ok(()) or the error kind.
    async fn next_result(&mut self) -> Result<(), ErrorKind> {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(60), self.rx.recv())
                .await
                .expect("a fetch within 60 s")
                .expect("the poller runs");
            if let Msg::Fetched { result, .. } = msg {
                return result.map(drop).map_err(|e| e.kind);
            }
        }
    }
}

impl Drop for Polling {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

#[tokio::test]
async fn a_minute_of_throttling_is_named_throttling_at_the_normal_rate_and_recovers_in_one_poll() {
    let moto = moto();
    fleet(moto, "faults-throttle");
    let proxy = FaultProxy::start(&moto.endpoint);
    let backend = Arc::new(backend_via(&proxy).await);
    let every = Duration::from_secs(2);
    let mut polling = Polling::start(backend, "faults-throttle", every);
    assert_eq!(polling.next_result().await, Ok(()));
    proxy.set("throttle", None, None);
    proxy.reset_stats();
    let started = Instant::now();
    // A call already answered when the throttling starts may still be reported.
    let mut in_flight_ok = 0;
    while polling.next_result().await == Ok(()) {
        in_flight_ok += 1;
        assert!(in_flight_ok <= 2, "still succeeding under throttling");
    }
    let mut throttled = 1;
    while started.elapsed() < Duration::from_secs(60) {
        // Every failure, from the first to the last, is throttling: never "unreachable".
        assert_eq!(polling.next_result().await, Err(ErrorKind::Throttled));
        throttled += 1;
    }
    let elapsed = started.elapsed();
    let requests = proxy.stats().len();
    // One request per poll (no SDK retries), one poll per interval at most: the rows on
    // screen every `every`, the list's ARNs every 30 s.
    let polls_possible = (elapsed.as_secs_f64() / every.as_secs_f64()).ceil() as usize + 1;
    let polls_possible = polls_possible + (elapsed.as_secs_f64() / 30.0).ceil() as usize + 1;
    assert!(
        requests <= polls_possible,
        "{requests} requests in {elapsed:?}"
    );
    assert!(throttled >= 15, "polled on throughout: {throttled}");
    proxy.clear();
    // The very next poll after the throttling ends succeeds.
    assert_eq!(polling.next_result().await, Ok(()));
}

#[tokio::test]
async fn one_record_the_sdk_cannot_decode_is_skipped_and_counted_over_the_wire() {
    let moto = moto();
    moto.fleet("faults-corrupt", 12, 0);
    let proxy = FaultProxy::start(&moto.endpoint);
    let backend = backend_via(&proxy).await;
    proxy.corrupt("DescribeServices", "svc-007");
    let fetched = fetch::services_partial(&backend, "faults-corrupt")
        .await
        .expect("one bad record does not fail the list");
    let names: Vec<&str> = fetched
        .items
        .iter()
        .map(|s| s.service_name.as_str())
        .collect();
    assert_eq!(names.len(), 11, "{names:?}");
    assert!(!names.contains(&"svc-007"));
    let gap = fetched.incomplete.expect("the skip is said");
    assert_eq!(
        (gap.skipped, gap.error.kind),
        (1, ErrorKind::Malformed),
        "{gap:?}"
    );
    // Two describes of 10 and 2, then halving the bad batch: 10 → 5 → 3 → 2 → 1.
    let describes = proxy.count("DescribeServices");
    assert!(
        (2..=10).contains(&describes),
        "{describes} DescribeServices"
    );
}

/// What one fault did to a poller on a services list.
struct FaultMeasure {
    fault: &'static str,
    normal_rps: f64,
    fault_rps: f64,
    results: Vec<Result<(), ErrorKind>>,
    /// Requests the proxy saw while the fault held.
    requests_during: usize,
    recovery: Duration,
    /// Failed polls after the fault was cleared (one may have been in flight then).
    failures_after_clear: usize,
}

/// Polls a two-service list every `every` through a proxy: a normal phase, the fault for
/// `hold`, then the time from clearing it to the first good fetch.
async fn measure_fault(fault: &'static str, every: Duration, hold: Duration) -> FaultMeasure {
    let moto = moto();
    let cluster = format!("faults-measure-{fault}");
    fleet(moto, &cluster);
    let proxy = FaultProxy::start(&moto.endpoint);
    let backend = Arc::new(backend_via(&proxy).await);
    let mut polling = Polling::start(backend, &cluster, every);
    let _ = polling.next_result().await;
    proxy.reset_stats();
    let started = Instant::now();
    while started.elapsed() < hold {
        let _ = polling.next_result().await;
    }
    let normal_rps = proxy.stats().len() as f64 / started.elapsed().as_secs_f64();
    match fault {
        "down" => proxy.down(),
        other => proxy.set(other, None, None),
    }
    proxy.reset_stats();
    let started = Instant::now();
    let mut results = Vec::new();
    while started.elapsed() < hold {
        results.push(polling.next_result().await);
    }
    let requests_during = proxy.stats().len();
    let fault_rps = requests_during as f64 / started.elapsed().as_secs_f64();
    match fault {
        "down" => proxy.up(),
        _ => proxy.clear(),
    }
    let cleared = Instant::now();
    let mut failures_after_clear = 0;
    while polling.next_result().await.is_err() {
        failures_after_clear += 1;
    }
    FaultMeasure {
        fault,
        normal_rps,
        fault_rps,
        results,
        requests_during,
        recovery: cleared.elapsed(),
        failures_after_clear,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_fault_keeps_the_normal_cadence_and_recovers_on_the_next_poll() {
    let every = Duration::from_secs(1);
    let hold = Duration::from_secs(6);
    let faults = [
        ("server_error", ErrorKind::ServerError),
        ("bad_gateway", ErrorKind::ServerError),
        ("garbage", ErrorKind::Malformed),
        ("expired_token", ErrorKind::Credentials),
        ("access_denied", ErrorKind::AccessDenied),
        ("reset", ErrorKind::Unreachable),
        ("down", ErrorKind::Unreachable),
    ];
    let runs = faults.map(|(f, _)| measure_fault(f, every, hold));
    let measured = futures::future::join_all(runs).await;
    for (m, (_, kind)) in measured.iter().zip(faults) {
        // Every failure is named as the fault it is.
        assert!(
            !m.results.is_empty(),
            "{}: no poll during the fault",
            m.fault
        );
        assert!(
            m.results.iter().all(|r| *r == Err(kind)),
            "{}: {:?}",
            m.fault,
            m.results
        );
        // One request per poll, never more polls than the cadence allows; an unreadable
        // answer costs two more calls once, splitting the first failing batch to find a bad
        // record (`fetch::describe_all`), then one per poll while it lasts.
        assert!(
            m.requests_during <= m.results.len() + 3,
            "{}: {} requests for {} polls",
            m.fault,
            m.requests_during,
            m.results.len()
        );
        // The poll after the fault ends succeeds (one already in flight may still fail).
        assert!(
            m.failures_after_clear <= 1,
            "{}: {}",
            m.fault,
            m.failures_after_clear
        );
    }
}

/// The table of faults for the notes: `scripts/measure-faults.sh` runs it. A measurement
/// (wall-clock rates and times), so it is not part of the test run.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a measurement: run with scripts/measure-faults.sh"]
async fn measure_faults() {
    let every = Duration::from_secs(2);
    let hold = Duration::from_secs(30);
    let faults = [
        "throttle",
        "server_error",
        "bad_gateway",
        "garbage",
        "expired_token",
        "access_denied",
        "reset",
        "down",
        "hang",
    ];
    let runs = faults.map(|f| measure_fault(f, every, hold));
    let measured = futures::future::join_all(runs).await;
    println!("interval {every:?}, fault held {hold:?}");
    println!("| fault | requests/s normal | requests/s during | failures seen as | recovery |");
    println!("|---|---|---|---|---|");
    for m in measured {
        let mut kinds: Vec<String> = m
            .results
            .iter()
            .filter_map(|r| r.err().map(|k| format!("{k:?}")))
            .collect();
        kinds.dedup();
        println!(
            "| {} | {:.2} | {:.2} | {} ({} polls) | {:.1} s |",
            m.fault,
            m.normal_rps,
            m.fault_rps,
            kinds.join(", "),
            m.results.len(),
            m.recovery.as_secs_f64()
        );
    }
}
