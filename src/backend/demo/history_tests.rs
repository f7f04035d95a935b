//! Tests of what the demo offers the rollback and scale dialogs: task definition history
//! (several revisions per family that differ, newest first, paged) and scalable targets.

use chrono::{DateTime, TimeZone, Utc};

use super::catalog::task_definition_arn;
use super::fleet::DemoFleet;
use super::{DemoBackend, taskdef, view};
use crate::backend::{EcsBackend, LIST_PAGE_MAX, ScalableTarget, ScalingBackend, fetch};

const PROD: &str = "prod-payments";

fn fleet() -> DemoFleet {
    let t0: DateTime<Utc> = Utc
        .with_ymd_and_hms(2026, 11, 21, 3, 0, 0)
        .single()
        .expect("valid date");
    DemoFleet::generate(1, t0)
}

#[test]
fn every_family_has_several_revisions_that_differ() {
    let fleet = fleet();
    for cluster in fleet.clusters.iter().filter(|c| c.name != "perf") {
        for state in &cluster.services {
            let current = view::service(cluster, state).task_definition;
            let family = fleet.task_definitions[&current].family.clone();
            let arns = fleet.task_definition_arns(&family);
            assert!(arns.len() >= 3, "{family}: {arns:?}");
            let revisions: Vec<i32> = arns
                .iter()
                .map(|a| fleet.task_definitions[a].revision)
                .collect();
            assert!(
                revisions.windows(2).all(|w| w[0] == w[1] + 1),
                "{revisions:?}"
            );
            let images: std::collections::BTreeSet<&str> = arns
                .iter()
                .map(|a| {
                    fleet.task_definitions[a].container_definitions[0]
                        .image
                        .as_str()
                })
                .collect();
            assert_eq!(
                images.len(),
                arns.len(),
                "{family}: one image tag per revision"
            );
        }
    }
    // checkout-api 37..=43: env and sizing changed along the way.
    let def = |r: i32| &fleet.task_definitions[&task_definition_arn("checkout-api", r)];
    let env = |r: i32| def(r).container_definitions[0].environment.clone();
    assert!(env(42).iter().any(|v| v.name == "OTEL_SERVICE_NAME"));
    assert!(env(40).iter().all(|v| v.name != "OTEL_SERVICE_NAME"));
    assert_ne!(def(39).memory, def(42).memory);
    assert_eq!(def(40).memory, def(42).memory);
    assert_ne!(
        env(38).iter().find(|v| v.name == "LOG_LEVEL"),
        env(42).iter().find(|v| v.name == "LOG_LEVEL")
    );
    assert!(fleet.task_definition_arns("no-such-family").is_empty());
}

#[tokio::test]
async fn task_definitions_page_at_100_newest_first() {
    let mut fleet = fleet();
    let latest = fleet.task_definitions[&task_definition_arn("checkout-api", 43)].clone();
    let mut next = latest;
    for _ in 0..150 {
        next = taskdef::next_revision(&next);
        fleet
            .task_definitions
            .insert(next.task_definition_arn.clone(), next.clone());
    }
    let backend = DemoBackend::from_fleet(fleet);
    let first = backend
        .list_task_definitions("checkout-api", None)
        .await
        .expect("page 1");
    assert_eq!(first.arns.len(), LIST_PAGE_MAX);
    assert!(first.arns[0].ends_with(":193"));
    let second = backend
        .list_task_definitions("checkout-api", first.next_token.clone())
        .await
        .expect("page 2");
    assert_eq!(second.next_token, None);
    assert_eq!(first.arns.len() + second.arns.len(), 157);
    assert!(second.arns.last().expect("oldest").ends_with(":37"));
}

#[tokio::test]
async fn about_a_third_of_production_has_a_scalable_target_that_fits_its_count() {
    let backend = DemoBackend::from_fleet(fleet());
    let mut with_target = 0;
    let services = fetch::services(&backend, PROD).await.expect("services");
    for svc in &services {
        if let Some(target) = backend
            .describe_scalable_targets(PROD, &svc.service_name)
            .await
            .expect("describe scalable targets")
        {
            with_target += 1;
            let range = target.min_capacity..=target.max_capacity;
            assert!(range.contains(&svc.desired_count), "{}", svc.service_name);
        }
    }
    assert!(
        (5..=8).contains(&with_target),
        "{with_target} of {}",
        services.len()
    );
    let narrow = backend
        .describe_scalable_targets(&services[0].cluster_arn, "session-service")
        .await
        .expect("by cluster ARN");
    assert_eq!(
        narrow,
        Some(ScalableTarget {
            min_capacity: 4,
            max_capacity: 6,
            suspended: Default::default(),
        })
    );
    let none = backend
        .describe_scalable_targets("staging", "checkout-api")
        .await
        .expect("staging");
    assert_eq!(none, None);
}
