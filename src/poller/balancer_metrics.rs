//! The load balancers' CloudWatch signals for target groups: queries that ride in the same
//! GetMetricData batches as CPU and memory, and their answers read back.
//!
//! Application load balancers: RequestCount, HTTPCode_Target_5XX_Count, TargetResponseTime
//! p99 and the host counts per target group (dimensions TargetGroup + LoadBalancer), and
//! HTTPCode_ELB_5XX_Count, which CloudWatch only has per load balancer. Network load
//! balancers report the host counts only.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::metrics::run;
use crate::backend::metrics::{MetricQuery, MetricSeries};
use crate::backend::{BackendError, MetricsBackend};
use crate::domain::elb::{BalancerKind, load_balancer_dimension, target_group_dimension};
use crate::domain::metrics::{BalancerSeries, BalancerSignals, BalancerTarget};

/// Triage reads the last 15 minutes: long enough for a rate, short enough to be "now".
pub const RECENT_MINUTES: i64 = 15;

/// The six series of a target group, by id suffix; ids are `b<letter><index>`.
const SIGNALS: [(&str, &str, &str); 6] = [
    ("r", "RequestCount", "Sum"),
    ("t", "HTTPCode_Target_5XX_Count", "Sum"),
    ("e", "HTTPCode_ELB_5XX_Count", "Sum"),
    ("p", "TargetResponseTime", "p99"),
    ("u", "UnHealthyHostCount", "Maximum"),
    ("h", "HealthyHostCount", "Minimum"),
];

/// The queries for these target groups at `period`. Metrics a kind does not report are
/// not asked for (they would only come back empty, at a price).
pub fn queries(targets: &[BalancerTarget], period: i32) -> Vec<MetricQuery> {
    let mut out = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        let (Some(group), Some(balancer)) = (
            target_group_dimension(&target.target_group),
            load_balancer_dimension(&target.load_balancer),
        ) else {
            continue;
        };
        for (letter, metric, stat) in SIGNALS {
            let network_has = matches!(metric, "UnHealthyHostCount" | "HealthyHostCount");
            if target.kind == BalancerKind::Network && !network_has {
                continue;
            }
            // The order matters to emulators that match dimensions as a list: TargetGroup,
            // then LoadBalancer, as AWS publishes them.
            let mut dimensions = vec![("TargetGroup".to_string(), group.to_string())];
            if metric == "HTTPCode_ELB_5XX_Count" {
                dimensions.clear();
            }
            dimensions.push(("LoadBalancer".to_string(), balancer.to_string()));
            out.push(MetricQuery {
                id: format!("b{letter}{i}"),
                namespace: target.kind.namespace().to_string(),
                metric: metric.to_string(),
                dimensions,
                stat: stat.to_string(),
                period_secs: period,
            });
        }
    }
    out
}

/// Reads the answers of [`queries`] back, by target group ARN.
pub fn answers(
    answers: &mut HashMap<String, MetricSeries>,
    targets: &[BalancerTarget],
) -> Vec<(String, BalancerSeries)> {
    targets
        .iter()
        .enumerate()
        .map(|(i, target)| {
            let mut take = |letter: &str| {
                answers
                    .remove(&format!("b{letter}{i}"))
                    .map(|s| s.points)
                    .unwrap_or_default()
            };
            let series = BalancerSeries {
                requests: take("r"),
                target_5xx: take("t"),
                elb_5xx: take("e"),
                p99: take("p"),
                unhealthy: take("u"),
                healthy: take("h"),
            };
            (target.target_group.clone(), series)
        })
        .collect()
}

/// Triage's window: every target group's signals over the last [`RECENT_MINUTES`], one
/// point a minute, in as few calls as 500 queries a call allows.
pub async fn recent(
    backend: &dyn MetricsBackend,
    targets: &[BalancerTarget],
    now: DateTime<Utc>,
) -> Result<BalancerSignals, BackendError> {
    let start = now - Duration::minutes(RECENT_MINUTES);
    let mut got = run(backend, queries(targets, 60), start, now).await?;
    Ok(answers(&mut got, targets).into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(kind: BalancerKind) -> BalancerTarget {
        BalancerTarget {
            target_group: "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/api/abc".into(),
            load_balancer: "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/web/def"
                .into(),
            kind,
        }
    }

    #[test]
    fn application_balancers_get_six_series_network_ones_two() {
        let alb = queries(&[target(BalancerKind::Application)], 60);
        assert_eq!(alb.len(), 6);
        let p99 = alb.iter().find(|q| q.metric == "TargetResponseTime");
        assert_eq!(p99.map(|q| q.stat.as_str()), Some("p99"));
        let elb = alb.iter().find(|q| q.metric == "HTTPCode_ELB_5XX_Count");
        assert_eq!(
            elb.map(|q| q.dimensions.clone()),
            Some(vec![(
                "LoadBalancer".to_string(),
                "app/web/def".to_string()
            )]),
            "CloudWatch has ELB 5xx per load balancer only"
        );
        let requests = alb.iter().find(|q| q.metric == "RequestCount");
        assert_eq!(
            requests.map(|q| q.dimensions[0].clone()),
            Some(("TargetGroup".to_string(), "targetgroup/api/abc".to_string()))
        );
        let nlb = queries(&[target(BalancerKind::Network)], 60);
        assert_eq!(nlb.len(), 2);
        assert!(nlb.iter().all(|q| q.namespace == "AWS/NetworkELB"));
    }
}
