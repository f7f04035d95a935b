//! Alarms cost what is in ALARM, not what the account holds: the lists and triage poll
//! DescribeAlarms with `StateValue=ALARM` (one call a minute on an account of 10,000 alarms
//! at rest); only the service detail pane asks for every alarm, while it is open.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crossterm::event::KeyCode;

use crate::fixture::*;
use crate::support::{backend, moto};
use ecsdeck::backend::BackendError;
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::metrics::{Alarm, AlarmPage, MetricQuery, MetricSeries, MetricsBackend};
use ecsdeck::msg::Msg;
use ecsdeck::poller::metrics::alarms;
use ecsdeck::store::{Payload, Resource};

/// An account with 10,000 metric alarms, `firing` of them in ALARM, paged at 100 like AWS;
/// `throttled` answers ThrottlingException instead.
struct ManyAlarms {
    firing: usize,
    throttled: bool,
}

fn alarm(i: usize, state: &str) -> Alarm {
    Alarm {
        name: format!("alarm-{i:05}"),
        state: state.into(),
        state_reason: None,
        state_updated: None,
        namespace: Some("AWS/ECS".into()),
        metric: Some("CPUUtilization".into()),
        dimensions: vec![
            ("ClusterName".into(), "prod".into()),
            ("ServiceName".into(), format!("svc-{i}")),
        ],
    }
}

#[async_trait]
impl MetricsBackend for ManyAlarms {
    async fn get_metric_data(
        &self,
        _: &[MetricQuery],
        _: DateTime<Utc>,
        _: DateTime<Utc>,
    ) -> Result<Vec<MetricSeries>, BackendError> {
        Ok(Vec::new())
    }

    async fn describe_alarms(
        &self,
        in_alarm: bool,
        next_token: Option<String>,
    ) -> Result<AlarmPage, BackendError> {
        if self.throttled {
            return Err(BackendError::new(
                ecsdeck::backend::ErrorKind::Throttled,
                "DescribeAlarms",
                "Rate exceeded",
            ));
        }
        let all: Vec<Alarm> = (0..10_000)
            .map(|i| alarm(i, if i < self.firing { "ALARM" } else { "OK" }))
            .filter(|a| !in_alarm || a.state == "ALARM")
            .collect();
        let start: usize = next_token.and_then(|t| t.parse().ok()).unwrap_or(0);
        let end = (start + 100).min(all.len());
        Ok(AlarmPage {
            alarms: all[start..end].to_vec(),
            next_token: (end < all.len()).then(|| end.to_string()),
        })
    }
}

#[tokio::test]
async fn ten_thousand_alarms_at_rest_cost_one_call_and_the_full_list_a_hundred() {
    let quiet = CountingBackend::new(ManyAlarms {
        firing: 0,
        throttled: false,
    });
    let log = quiet.log();
    assert!(alarms(&quiet, true).await.unwrap().is_empty());
    assert_eq!(log.count("DescribeAlarms"), 1, "one poll a minute at rest");
    log.reset();
    assert_eq!(alarms(&quiet, false).await.unwrap().len(), 10_000);
    assert_eq!(
        log.count("DescribeAlarms"),
        100,
        "what every poll cost before"
    );

    let incident = CountingBackend::new(ManyAlarms {
        firing: 150,
        throttled: false,
    });
    let log = incident.log();
    assert_eq!(alarms(&incident, true).await.unwrap().len(), 150);
    assert_eq!(log.count("DescribeAlarms"), 2);
}

#[test]
fn lists_and_triage_ask_for_alarms_in_alarm_and_only_the_detail_for_all() {
    let (mut store, mut ui) = (store(), ui());
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    let wanted = ui.focus(&store);
    assert!(wanted.contains(&Resource::Alarms));
    assert!(!wanted.contains(&Resource::AllAlarms));
    // The detail pane lists the service's alarms in every state.
    feed(&mut store, &mut ui, vec![ch('m')]);
    assert!(
        ui.focus(&store).contains(&Resource::AllAlarms),
        "{:?}",
        ui.focus(&store)
    );
    let mut ok = alarm(1, "OK");
    ok.dimensions[1].1 = "checkout-api".into();
    feed(
        &mut store,
        &mut ui,
        vec![fetched(
            Resource::AllAlarms,
            Payload::Alarms(vec![ok, alarm(2, "ALARM")]),
        )],
    );
    let watching = store.all_alarms_for("prod", "checkout-api");
    assert_eq!(watching.len(), 1);
    assert_eq!(watching[0].state, "OK");
    assert!(
        store.alarms_for("prod", "checkout-api").is_empty(),
        "not in ALARM"
    );
    // Leaving the detail stops the full list.
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    assert!(!ui.focus(&store).contains(&Resource::AllAlarms));
}

#[tokio::test]
async fn state_value_alarm_is_sent_over_the_wire() {
    let moto = moto();
    for (name, state) in [("budget-quiet", None), ("budget-firing", Some("ALARM"))] {
        moto.fixture(&[
            "put-alarm",
            "--name",
            name,
            "--namespace",
            "AWS/ECS",
            "--metric",
            "CPUUtilization",
            "--dim",
            "ClusterName=budget",
            "--dim",
            "ServiceName=api",
            "--threshold",
            "90",
        ]);
        if let Some(state) = state {
            moto.fixture(&[
                "set-alarm-state",
                "--name",
                name,
                "--state",
                state,
                "--reason",
                "test",
            ]);
        }
    }
    let aws = backend(moto).await;
    let firing = alarms(&aws, true).await.unwrap();
    assert!(
        firing.iter().any(|a| a.name == "budget-firing"),
        "{firing:?}"
    );
    assert!(firing.iter().all(|a| a.state == "ALARM"), "{firing:?}");
    let all = alarms(&aws, false).await.unwrap();
    assert!(all.iter().any(|a| a.name == "budget-quiet"));
}

#[tokio::test]
async fn budget_counts_calls_per_operation_and_throttles() {
    let backend = CountingBackend::new(ManyAlarms {
        firing: 0,
        throttled: false,
    });
    let log = backend.log();
    alarms(&backend, false).await.unwrap();
    let throttling = CountingBackend::new(ManyAlarms {
        firing: 0,
        throttled: true,
    });
    let throttled_log = throttling.log();
    assert!(alarms(&throttling, true).await.is_err());
    let usage = log.usage();
    assert_eq!(usage.len(), 1);
    assert_eq!(usage[0].operation, "DescribeAlarms");
    assert_eq!(
        (
            usage[0].last_minute,
            usage[0].last_5_minutes,
            usage[0].last_hour,
            usage[0].total
        ),
        (100, 100, 100, 100)
    );
    assert_eq!(usage[0].throttled, 0);
    assert_eq!(throttled_log.usage()[0].throttled, 1);
}

#[test]
fn budget_view_lists_the_usage_the_app_reports() {
    let (mut store, mut ui) = (store(), ui());
    let usage = ecsdeck::backend::counting::OperationUsage {
        operation: "DescribeServices",
        last_minute: 12,
        last_5_minutes: 60,
        last_hour: 700,
        total: 900,
        throttled: 3,
    };
    let budget = ecsdeck::backend::budget::Budget::new(&Default::default());
    let poll = ecsdeck::store::PollEntry {
        resource: Resource::Services {
            cluster: "prod".into(),
        },
        interval: std::time::Duration::from_secs(5),
        failures: 2,
        next_in: Some(std::time::Duration::from_secs(4)),
        note: "4980/5000 rows described".into(),
    };
    feed(
        &mut store,
        &mut ui,
        vec![
            Msg::ApiUsage(vec![usage]),
            Msg::BudgetLevels(budget.levels()),
            Msg::PollSchedule(vec![poll]),
        ],
    );
    let msgs = command("budget");
    feed(&mut store, &mut ui, msgs);
    let rows = ui.top().rows(&ui.row_context(&store)).unwrap();
    let cells =
        |i: usize| -> Vec<String> { rows.rows[i].cells.iter().map(|c| c.text.clone()).collect() };
    assert_eq!(
        cells(0),
        ["DescribeServices", "12", "60", "700", "900", "3", "-"]
    );
    // The buckets: a quarter of AWS's sustained rate, half its burst, full at the start.
    let service_reads = (rows.rows.iter())
        .find(|r| r.key == "bucket:ecs_service_reads")
        .map(|r| r.cells[6].text.clone());
    assert_eq!(
        service_reads.as_deref(),
        Some("50/50 tokens, refills 5.00/s; 0 call(s) waited")
    );
    let polled = (rows.rows.iter())
        .find(|r| r.key == "poll:services(prod)")
        .map(|r| r.cells[6].text.clone());
    assert_eq!(
        polled.as_deref(),
        Some("every 5s, next 4s; 4980/5000 rows described")
    );
}
