//! The SDK's CloudWatch metrics backend: GetMetricData and DescribeAlarms.
//!
//! The client is built from the backend's `SdkConfig` on each call, so it shares the ECS
//! client's credentials, region, retry mode and endpoint override (moto serves every service
//! on one port). Building it is cheap next to a network call made once a minute.

use std::collections::HashSet;

use async_trait::async_trait;
use aws_sdk_cloudwatch::types as cw;
use aws_smithy_types::DateTime as SdkDateTime;
use chrono::{DateTime, Utc};

use super::AwsBackend;
use super::errors::classify;
use super::mapping::time;
use crate::backend::metrics::{
    Alarm, AlarmPage, METRIC_QUERIES_MAX, MetricQuery, MetricSeries, MetricsBackend,
};
use crate::backend::{BackendError, ErrorKind};

/// DescribeAlarms' largest page.
const ALARM_PAGE_MAX: i32 = 100;
/// GetMetricData pages the answer itself when it is large (over 100,800 points); the loop
/// that follows its NextToken stops here in case a server keeps answering with a token.
const METRIC_PAGES_MAX: usize = 50;

impl AwsBackend {
    fn cloudwatch(&self) -> aws_sdk_cloudwatch::Client {
        aws_sdk_cloudwatch::Client::new(&self.config)
    }
}

/// Refuses what CloudWatch would refuse, without spending a call on it.
pub(crate) fn validate_queries(queries: &[MetricQuery]) -> Result<(), BackendError> {
    const OP: &str = "GetMetricData";
    if queries.len() > METRIC_QUERIES_MAX {
        return Err(BackendError::new(
            ErrorKind::InvalidRequest,
            OP,
            format!(
                "The collection MetricDataQueries must not have a size greater than {METRIC_QUERIES_MAX}."
            ),
        ));
    }
    let mut seen = HashSet::new();
    for query in queries {
        if !seen.insert(query.id.as_str()) {
            return Err(BackendError::new(
                ErrorKind::InvalidRequest,
                OP,
                format!(
                    "The values for parameter id in MetricDataQueries are not unique: {}",
                    query.id
                ),
            ));
        }
    }
    Ok(())
}

fn sdk_time(t: DateTime<Utc>) -> SdkDateTime {
    SdkDateTime::from_secs_and_nanos(t.timestamp(), t.timestamp_subsec_nanos())
}

fn data_query(query: &MetricQuery) -> cw::MetricDataQuery {
    let dimensions = query
        .dimensions
        .iter()
        .map(|(name, value)| cw::Dimension::builder().name(name).value(value).build())
        .collect();
    let metric = cw::Metric::builder()
        .namespace(&query.namespace)
        .metric_name(&query.metric)
        .set_dimensions(Some(dimensions))
        .build();
    let stat = cw::MetricStat::builder()
        .metric(metric)
        .period(query.period_secs)
        .stat(&query.stat)
        .build();
    cw::MetricDataQuery::builder()
        .id(&query.id)
        .metric_stat(stat)
        .return_data(true)
        .build()
}

/// Pairs timestamps with values (CloudWatch sends them as two parallel lists) and appends
/// them to the series of the result's id.
fn add_points(series: &mut [MetricSeries], result: &cw::MetricDataResult) {
    let Some(target) = result
        .id()
        .and_then(|id| series.iter_mut().find(|s| s.id == id))
    else {
        return;
    };
    let points = result
        .timestamps()
        .iter()
        .zip(result.values())
        .filter_map(|(at, value)| time(Some(at)).map(|at| (at, *value)));
    target.points.extend(points);
}

pub(crate) fn alarm(alarm: &cw::MetricAlarm) -> Alarm {
    Alarm {
        name: alarm.alarm_name().unwrap_or_default().to_string(),
        state: alarm
            .state_value()
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|| "INSUFFICIENT_DATA".to_string()),
        state_reason: alarm
            .state_reason()
            .filter(|r| !r.is_empty())
            .map(str::to_string),
        state_updated: time(alarm.state_updated_timestamp()),
        namespace: alarm.namespace().map(str::to_string),
        metric: alarm.metric_name().map(str::to_string),
        dimensions: alarm
            .dimensions()
            .iter()
            .map(|d| {
                (
                    d.name().unwrap_or_default().to_string(),
                    d.value().unwrap_or_default().to_string(),
                )
            })
            .collect(),
    }
}

#[async_trait]
impl MetricsBackend for AwsBackend {
    async fn get_metric_data(
        &self,
        queries: &[MetricQuery],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<MetricSeries>, BackendError> {
        validate_queries(queries)?;
        let mut series: Vec<MetricSeries> = queries
            .iter()
            .map(|q| MetricSeries {
                id: q.id.clone(),
                points: Vec::new(),
            })
            .collect();
        if queries.is_empty() {
            return Ok(series);
        }
        let client = self.cloudwatch();
        let data_queries: Vec<cw::MetricDataQuery> = queries.iter().map(data_query).collect();
        let mut next_token: Option<String> = None;
        for _ in 0..METRIC_PAGES_MAX {
            let out = client
                .get_metric_data()
                .set_metric_data_queries(Some(data_queries.clone()))
                .start_time(sdk_time(start))
                .end_time(sdk_time(end))
                .scan_by(cw::ScanBy::TimestampAscending)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|e| classify("GetMetricData", &e, self.ctx(None)))?;
            for result in out.metric_data_results() {
                add_points(&mut series, result);
            }
            match out.next_token().filter(|t| !t.is_empty()) {
                Some(token) => next_token = Some(token.to_string()),
                None => break,
            }
        }
        // Ascending even if a server ignores ScanBy or splits a series across pages.
        for s in &mut series {
            s.points.sort_by_key(|(at, _)| *at);
        }
        Ok(series)
    }

    async fn describe_alarms(
        &self,
        in_alarm: bool,
        next_token: Option<String>,
    ) -> Result<AlarmPage, BackendError> {
        let out = self
            .cloudwatch()
            .describe_alarms()
            .alarm_types(cw::AlarmType::MetricAlarm)
            .set_state_value(in_alarm.then_some(cw::StateValue::Alarm))
            .max_records(ALARM_PAGE_MAX)
            .set_next_token(next_token.filter(|t| !t.is_empty()))
            .send()
            .await
            .map_err(|e| classify("DescribeAlarms", &e, self.ctx(None)))?;
        Ok(AlarmPage {
            alarms: out.metric_alarms().iter().map(alarm).collect(),
            next_token: out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(id: &str) -> MetricQuery {
        MetricQuery {
            id: id.to_string(),
            namespace: "AWS/ECS".to_string(),
            metric: "CPUUtilization".to_string(),
            dimensions: vec![("ClusterName".to_string(), "prod".to_string())],
            stat: "Average".to_string(),
            period_secs: 60,
        }
    }

    #[test]
    fn too_many_or_duplicate_queries_are_refused() {
        let many: Vec<MetricQuery> = (0..=METRIC_QUERIES_MAX)
            .map(|i| query(&format!("q{i}")))
            .collect();
        let err = validate_queries(&many).err().map(|e| e.kind);
        assert_eq!(err, Some(ErrorKind::InvalidRequest));
        assert!(validate_queries(&many[..METRIC_QUERIES_MAX]).is_ok());
        let err = validate_queries(&[query("a"), query("a")])
            .err()
            .map(|e| e.kind);
        assert_eq!(err, Some(ErrorKind::InvalidRequest));
    }

    #[test]
    fn results_pair_timestamps_with_values_by_id() {
        let mut series = vec![
            MetricSeries {
                id: "a".to_string(),
                points: Vec::new(),
            },
            MetricSeries {
                id: "b".to_string(),
                points: Vec::new(),
            },
        ];
        let result = cw::MetricDataResult::builder()
            .id("b")
            .timestamps(SdkDateTime::from_secs(60))
            .timestamps(SdkDateTime::from_secs(120))
            .values(1.5)
            .values(2.5)
            .build();
        add_points(&mut series, &result);
        assert!(series[0].points.is_empty());
        let values: Vec<f64> = series[1].points.iter().map(|(_, v)| *v).collect();
        assert_eq!(values, vec![1.5, 2.5]);
    }

    #[test]
    fn alarms_map_state_and_dimensions() {
        let sdk = cw::MetricAlarm::builder()
            .alarm_name("api-cpu-high")
            .state_value(cw::StateValue::Alarm)
            .state_reason("Threshold Crossed")
            .namespace("AWS/ECS")
            .metric_name("CPUUtilization")
            .dimensions(
                cw::Dimension::builder()
                    .name("ClusterName")
                    .value("c")
                    .build(),
            )
            .build();
        let mapped = alarm(&sdk);
        assert_eq!(mapped.state, "ALARM");
        assert_eq!(
            mapped.dimensions,
            vec![("ClusterName".to_string(), "c".to_string())]
        );
        assert_eq!(mapped.state_reason.as_deref(), Some("Threshold Crossed"));
    }
}
