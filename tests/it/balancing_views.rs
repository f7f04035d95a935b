//! The load balancers on screen: the services' TARGETS column, the tasks' TARGET column, the
//! detail pane's load balancing section and charts, and triage's reasons — rendered from a
//! store filled the way the poller fills it.

use chrono::{DateTime, Duration, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixture::{self, now};
use ecsdeck::config::theme::Theme;
use ecsdeck::domain::elb::{
    BalancerKind, HealthCheck, Listener, LoadBalancer, ServiceLoadBalancer, TargetGroup,
    TargetHealth,
};
use ecsdeck::domain::metrics::{BalancerSeries, BalancerTarget, Range, ServiceDetail};
use ecsdeck::state::UiState;
use ecsdeck::store::{Payload, Resource, Store};
use ecsdeck::views::detail::Detail;
use ecsdeck::views::tasks::Tasks;
use ecsdeck::views::{View, ViewKind};

const TG: &str = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/prod-checkout/73e2d6bc24d8a067";
const LB: &str = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/prod-alb/50dc6c495c0c9188";

fn target(ip: &str, state: &str, reason: Option<&str>) -> TargetHealth {
    TargetHealth {
        id: ip.into(),
        port: Some(8080),
        state: state.into(),
        reason: reason.map(str::to_string),
        ..TargetHealth::default()
    }
}

/// The last hour at one point a minute; the last 15 minutes at `late`.
fn series(early: f64, late: f64) -> Vec<(DateTime<Utc>, f64)> {
    (0..60)
        .map(|m| {
            let value = if m >= 45 { late } else { early };
            (now() - Duration::minutes(60 - m), value)
        })
        .collect()
}

fn signals() -> BalancerSeries {
    BalancerSeries {
        requests: series(1000.0, 1000.0),
        target_5xx: series(2.0, 45.0),
        elb_5xx: series(0.0, 3.0),
        p99: series(0.12, 1.8),
        unhealthy: series(0.0, 1.0),
        healthy: series(3.0, 2.0),
    }
}

/// The fixture's checkout-api behind an ALB: one task healthy, the pending one `initial`, a
/// third target (a task being replaced) unhealthy; 4.5 % 5xx and a 1.8 s p99 lately.
fn store() -> Store {
    let mut store = fixture::store();
    let at = now() - Duration::seconds(3);
    let mut services = fixture::services();
    for s in services
        .iter_mut()
        .filter(|s| s.service_name == "checkout-api")
    {
        s.load_balancers = vec![ServiceLoadBalancer {
            target_group_arn: Some(TG.into()),
            container_name: Some("app".into()),
            container_port: Some(8080),
            ..ServiceLoadBalancer::default()
        }];
    }
    let cluster = Resource::Services {
        cluster: "prod".into(),
    };
    store.apply(&cluster, Ok(Payload::Services(services)), at);
    let group = TargetGroup {
        target_group_arn: TG.into(),
        target_group_name: "prod-checkout".into(),
        protocol: Some("HTTP".into()),
        port: Some(8080),
        target_type: Some("ip".into()),
        load_balancer_arns: vec![LB.into()],
        health_check: HealthCheck {
            protocol: Some("HTTP".into()),
            path: Some("/health".into()),
            port: Some("traffic-port".into()),
            interval_seconds: Some(30),
            timeout_seconds: Some(5),
            healthy_threshold: Some(5),
            unhealthy_threshold: Some(2),
            matcher: Some("200-299".into()),
        },
    };
    let groups = Resource::TargetGroups {
        arns: vec![TG.into()],
    };
    store.apply(&groups, Ok(Payload::TargetGroups(vec![group])), at);
    let balancer = LoadBalancer {
        load_balancer_arn: LB.into(),
        load_balancer_name: "prod-alb".into(),
        kind: "application".into(),
        state: Some("active".into()),
        listeners: vec![Listener {
            port: Some(443),
            protocol: Some("HTTPS".into()),
            target_group_arns: vec![TG.into()],
        }],
        ..LoadBalancer::default()
    };
    let balancers = Resource::LoadBalancers {
        arns: vec![LB.into()],
    };
    store.apply(&balancers, Ok(Payload::LoadBalancers(vec![balancer])), at);
    with_health_and_signals(&mut store, at);
    store
}

fn with_health_and_signals(store: &mut Store, at: DateTime<Utc>) {
    let health = vec![
        target("10.0.1.23", "healthy", None),
        target("10.0.2.17", "initial", Some("Elb.RegistrationInProgress")),
        target("10.0.3.40", "unhealthy", Some("Target.FailedHealthChecks")),
    ];
    let resource = Resource::TargetHealth {
        target_group: TG.into(),
    };
    store.apply(&resource, Ok(Payload::TargetHealth(health)), at);
    let targets = vec![BalancerTarget {
        target_group: TG.into(),
        load_balancer: LB.into(),
        kind: BalancerKind::Application,
    }];
    let recent: ecsdeck::domain::metrics::BalancerSignals =
        [(TG.to_string(), signals())].into_iter().collect();
    let resource = Resource::BalancerMetrics {
        targets: targets.clone(),
    };
    store.apply(&resource, Ok(Payload::BalancerMetrics(recent)), at);
    let detail = ServiceDetail {
        balancers: vec![(TG.to_string(), signals())],
        ..ServiceDetail::default()
    };
    let resource = Resource::ServiceDetail {
        cluster: "prod".into(),
        service: "checkout-api".into(),
        range: Range::OneHour,
        tasks: Vec::new(),
        balancers: targets,
    };
    store.apply(&resource, Ok(Payload::ServiceDetail(Box::new(detail))), at);
}

fn showing(view: impl Into<ViewKind>) -> UiState {
    let mut ui = fixture::ui();
    ui.stack = vec![
        View::new(ViewKind::clusters()),
        View::new(ViewKind::services("prod")),
        View::new(view),
    ];
    ui
}

fn render(store: &Store, ui: &mut UiState, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| ecsdeck::ui::draw(f, store, ui, &Theme::default()))
        .expect("draw");
    terminal.backend().to_string()
}

#[test]
fn services_show_healthy_over_registered_targets() {
    let store = store();
    let mut ui = fixture::ui();
    ui.stack = vec![View::new(ViewKind::services("prod"))];
    let screen = render(&store, &mut ui, 140, 10);
    assert!(screen.contains("TARGETS"), "{screen}");
    assert!(screen.contains("1/3"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn tasks_show_their_state_in_the_target_group() {
    let store = store();
    let mut ui = showing(Tasks {
        cluster: "prod".into(),
        service: Some("checkout-api".into()),
        instance: None,
    });
    let screen = render(&store, &mut ui, 140, 10);
    assert!(screen.contains("healthy"), "{screen}");
    assert!(
        screen.contains("initial (Elb.RegistrationInProgress)"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn detail_shows_the_target_group_its_health_check_and_the_balancer_charts() {
    let store = store();
    let mut ui = showing(Detail {
        cluster: "prod".into(),
        service: "checkout-api".into(),
    });
    let screen = render(&store, &mut ui, 140, 48);
    for wanted in [
        "Load balancing",
        "prod-checkout → HTTP 8080 (ip targets)",
        "behind prod-alb (application, active), listener HTTPS 443",
        "HTTP /health on traffic-port",
        "matcher 200-299",
        "1 healthy · 1 unhealthy (Target.FailedHealthChecks) · 1 initial",
        "target 5xx",
        "p99 latency 1.80 s",
    ] {
        assert!(screen.contains(wanted), "{wanted:?} missing:\n{screen}");
    }
    insta::assert_snapshot!(screen);
}

#[test]
fn triage_says_what_the_load_balancer_sees() {
    let mut store = store();
    let stopped = ecsdeck::domain::ecs::Task {
        task_arn: "arn:aws:ecs:eu-west-1:123456789012:task/prod/e1b".into(),
        group: Some("service:checkout-api".into()),
        last_status: "STOPPED".into(),
        stopped_at: Some(now() - Duration::minutes(5)),
        stopped_reason: Some(format!(
            "Task failed ELB health checks in (target-group {TG})"
        )),
        ..Default::default()
    };
    let resource = Resource::Tasks {
        cluster: "prod".into(),
        filter: ecsdeck::views::triage_rules::stopped_filter(),
    };
    store.apply(&resource, Ok(Payload::Tasks(vec![stopped])), now());
    let rows = ecsdeck::views::triage_rules::rows(
        &store,
        &["prod".to_string()],
        Default::default(),
        now(),
    );
    let checkout = rows
        .iter()
        .find(|r| r.service == "checkout-api")
        .expect("checkout-api needs attention");
    let reasons: Vec<&str> = checkout
        .findings
        .iter()
        .map(|f| f.reason.as_str())
        .collect();
    assert!(
        reasons.contains(&"1 of 3 targets unhealthy (Target.FailedHealthChecks)"),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.starts_with("5xx 1.")),
        "{reasons:?}"
    );
    assert!(reasons.contains(&"p99 latency 1.8 s"), "{reasons:?}");
    assert!(
        reasons.contains(&"1 task(s) stopped for failing ELB health checks in the last 30 min"),
        "{reasons:?}"
    );
    // Thresholds are configurable: a lenient error rate and p99 say nothing.
    let lenient = ecsdeck::domain::metrics::Thresholds {
        error_rate: 50.0,
        p99_latency: 5.0,
        ..Default::default()
    };
    let rows = ecsdeck::views::triage_rules::rows(&store, &["prod".to_string()], lenient, now());
    let checkout = rows.iter().find(|r| r.service == "checkout-api");
    let reasons: Vec<&str> = checkout
        .map(|r| r.findings.iter().map(|f| f.reason.as_str()).collect())
        .unwrap_or_default();
    assert!(
        !reasons
            .iter()
            .any(|r| r.starts_with("5xx") || r.starts_with("p99")),
        "{reasons:?}"
    );
}
