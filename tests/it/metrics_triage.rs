//! Utilisation, alarms and triage: the API cost of the lists' metrics, alarm flags, triage
//! ordering with reasons in words, and jumping from triage to the service.

use chrono::Duration;
use crossterm::event::KeyCode;

use crate::fixture::{self, *};
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
use ecsdeck::backend::metrics::Alarm;
use ecsdeck::domain::metrics::{Thresholds, Utilisation};
use ecsdeck::store::{Payload, Resource, Store};
use ecsdeck::views::ViewKind;
use ecsdeck::views::table::Role;
use ecsdeck::views::triage_rules::{rows, stopped_filter};

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("svc-{i:04}")).collect()
}

#[tokio::test]
async fn utilisation_of_200_services_costs_one_get_metric_data() {
    let mut fleet = DemoFleet::generate(7, now());
    fleet.add_cluster_with_services("load-test", 1000, now());
    let backend = CountingBackend::new(DemoBackend::from_fleet(fleet));
    let log = backend.log();
    for (services, calls) in [(200, 1), (250, 1), (251, 2), (1000, 4)] {
        log.reset();
        let resource = Resource::ServiceMetrics {
            cluster: "load-test".into(),
            services: names(services),
        };
        let result = ecsdeck::poller::fetch_resource(&backend, &resource).await;
        let Ok(Payload::Utilisation(map)) = result else {
            panic!("{result:?}");
        };
        assert_eq!(map.len(), services);
        assert_eq!(log.count("GetMetricData"), calls, "{services} services");
        assert_eq!(
            log.totals().values().sum::<u64>(),
            calls,
            "{:?}",
            log.totals()
        );
    }
}

fn alarm(name: &str, service: &str, state: &str) -> Alarm {
    Alarm {
        name: name.into(),
        state: state.into(),
        state_reason: Some("Threshold Crossed".into()),
        state_updated: Some(now() - Duration::minutes(7)),
        namespace: Some("AWS/ECS".into()),
        metric: Some("CPUUtilization".into()),
        dimensions: vec![
            ("ClusterName".into(), "prod".into()),
            ("ServiceName".into(), service.into()),
        ],
    }
}

fn series(value: f64) -> Vec<(chrono::DateTime<chrono::Utc>, f64)> {
    (0..30)
        .map(|m| (now() - Duration::minutes(30 - m), value))
        .collect()
}

/// The fixture store plus alarms, utilisation and a recent OOM kill.
fn incident_store() -> Store {
    let mut store = store();
    store.apply(
        &Resource::Alarms,
        Ok(Payload::Alarms(vec![
            alarm("checkout-api-cpu-high", "checkout-api", "ALARM"),
            alarm("fraud-scorer-cpu-high", "fraud-scorer", "OK"),
        ])),
        now(),
    );
    let mut util = ecsdeck::domain::metrics::UtilisationMap::new();
    util.insert(
        "payments-worker".into(),
        Utilisation {
            cpu: series(95.0),
            memory: series(40.0),
        },
    );
    util.insert(
        "checkout-api".into(),
        Utilisation {
            cpu: series(20.0),
            memory: series(75.0),
        },
    );
    store.apply(
        &Resource::ServiceMetrics {
            cluster: "prod".into(),
            services: vec![],
        },
        Ok(Payload::Utilisation(util)),
        now(),
    );
    let mut oom = stopped_tasks();
    oom[0].stopped_at = Some(now() - Duration::minutes(3));
    store.apply(
        &Resource::Tasks {
            cluster: "prod".into(),
            filter: stopped_filter(),
        },
        Ok(Payload::Tasks(oom)),
        now(),
    );
    store
}

#[test]
fn triage_puts_the_worst_first_with_reasons_in_words() {
    let store = incident_store();
    let triage = rows(&store, &["prod".to_string()], Thresholds::default(), now());
    let order: Vec<&str> = triage.iter().map(|r| r.service.as_str()).collect();
    assert_eq!(
        order,
        [
            "ledger-sync",
            "payments-worker",
            "fraud-scorer",
            "checkout-api"
        ]
    );
    let why = |service: &str| -> Vec<String> {
        triage
            .iter()
            .find(|r| r.service == service)
            .map(|r| r.findings.iter().map(|f| f.reason.clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        why("ledger-sync"),
        [
            "rollout FAILED: ECS deployment circuit breaker: tasks failed to start.",
            "running 1 of 2 (1 missing)"
        ]
    );
    assert_eq!(
        why("payments-worker"),
        ["running 5 of 6 (1 missing, 1 pending)", "CPU 95%"]
    );
    assert_eq!(why("fraud-scorer"), ["running 2 of 4 (2 missing)"]);
    assert_eq!(
        why("checkout-api"),
        [
            "alarm checkout-api-cpu-high in ALARM for 7m",
            "1 task(s) OOM-killed in the last 30 min",
            "memory 75%"
        ]
    );
    // Thresholds are configurable: at 96 % the busy worker is no longer called out.
    let strict = Thresholds {
        warning: 96.0,
        failure: 99.0,
        ..Thresholds::default()
    };
    let relaxed = rows(&store, &["prod".to_string()], strict, now());
    let worker = relaxed.iter().find(|r| r.service == "payments-worker");
    assert_eq!(worker.map(|r| r.findings.len()), Some(1));
}

#[test]
fn triage_view_jumps_to_the_service() {
    let (mut store, mut ui) = (incident_store(), ui());
    let mut keys = vec![ch(':')];
    keys.extend(type_text("triage prod"));
    keys.extend([key(KeyCode::Enter), ch('j'), key(KeyCode::Enter)]);
    feed(&mut store, &mut ui, keys);
    assert_eq!(ui.stack.len(), 2);
    assert_eq!(
        ui.top().kind,
        ViewKind::Services(ecsdeck::views::services::Services {
            cluster: "prod".into()
        })
    );
    assert_eq!(ui.top().selected_key.as_deref(), Some("payments-worker"));
    // Triage polls what it reads: services, their metrics, stopped tasks and alarms.
    let (mut store, mut ui) = (incident_store(), fixture::ui());
    let keys = command("triage prod");
    feed(&mut store, &mut ui, keys);
    let focus = ui.focus(&store);
    for wanted in [
        Resource::Alarms,
        Resource::Services {
            cluster: "prod".into(),
        },
        Resource::Tasks {
            cluster: "prod".into(),
            filter: stopped_filter(),
        },
    ] {
        assert!(focus.contains(&wanted), "{wanted:?} not in {focus:?}");
    }
    assert!(
        focus
            .iter()
            .any(|r| matches!(r, Resource::ServiceMetrics { .. }))
    );
}

#[test]
fn services_in_alarm_are_flagged_and_utilisation_is_shown() {
    let (store, mut ui) = (incident_store(), ui());
    let mut store = store;
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    let Some(model) = ui.top().rows(&ui.row_context(&store)) else {
        panic!("no table");
    };
    let row = |name: &str| model.rows.iter().find(|r| r.key == name).cloned();
    let checkout = row("checkout-api").unwrap_or_else(|| panic!("no checkout-api"));
    assert_eq!(checkout.cells[1].text, "⚠ 1");
    assert_eq!(checkout.role, Role::Failure);
    assert_eq!(checkout.cells[3].text, " 75% ▆▆▆▆▆▆▆▆");
    assert_eq!(checkout.cells[3].role, Some(Role::Warning));
    let worker = row("payments-worker").unwrap_or_else(|| panic!("no worker"));
    assert_eq!(worker.cells[2].text, " 95% ████████");
    assert_eq!(worker.cells[2].role, Some(Role::Failure));
    // OK alarms do not flag.
    assert_eq!(
        row("fraud-scorer").map(|r| r.cells[1].text.clone()),
        Some("-".into())
    );
    // The failed rollout is unmistakable.
    let ledger = row("ledger-sync").unwrap_or_else(|| panic!("no ledger"));
    assert!(ledger.cells.iter().any(|c| c.text == "✖ FAILED"));
}
