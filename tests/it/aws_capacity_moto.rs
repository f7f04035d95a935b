//! Capacity providers over the wire against moto: the Auto Scaling group, capacity provider
//! and cluster strategy boto3 created are what ecsdeck reads — DescribeClusters' providers
//! and default strategy, DescribeCapacityProviders' managed scaling, DescribeAutoScalingGroups'
//! bounds and instances (EC2 Auto Scaling's awsQuery protocol through aws-sdk-autoscaling),
//! and CapacityProviderReservation through GetMetricData.
//!
//! moto facts (5.2.5): CreateCapacityProvider and PutClusterCapacityProviders work with an
//! Auto Scaling group's ARN; DescribeCapacityProviders answers FARGATE / FARGATE_SPOT as
//! `failures` (MISSING), where AWS describes them (ecsdeck never asks), and fails (HTTP
//! 500) when no names are given (ecsdeck always names them); the group's instances are
//! InService at once; neither call pages, so paging is tested on the demo.

use crate::support::{backend, moto};
use ecsdeck::backend::{fetch, fetch_capacity};
use ecsdeck::poller;
use ecsdeck::store::{Payload, Resource};

#[tokio::test]
async fn providers_groups_and_the_reservation_boto3_created_are_read() {
    let moto = moto();
    let made = moto.fixture(&[
        "capacity",
        "--cluster",
        "cap-read",
        "--provider",
        "cap-read-asg",
    ]);
    let backend = backend(moto).await;

    let clusters = fetch::clusters(&backend).await.expect("clusters");
    let cluster = (clusters.iter())
        .find(|c| c.cluster_name == "cap-read")
        .expect("the cluster");
    assert_eq!(
        cluster.capacity_providers,
        ["cap-read-asg", "FARGATE", "FARGATE_SPOT"]
    );
    let strategy: Vec<(&str, i32, i32)> = (cluster.default_capacity_provider_strategy.iter())
        .map(|s| (s.capacity_provider.as_str(), s.base, s.weight))
        .collect();
    assert_eq!(strategy, [("cap-read-asg", 1, 2), ("FARGATE_SPOT", 0, 1)]);

    let providers = fetch_capacity::capacity_providers(&backend, &cluster.capacity_providers)
        .await
        .expect("providers");
    assert_eq!(
        providers.len(),
        1,
        "Fargate's are not asked about: {providers:?}"
    );
    let provider = &providers[0];
    assert_eq!(provider.name, "cap-read-asg");
    assert_eq!(provider.status.as_deref(), Some("ACTIVE"));
    assert_eq!(
        provider.capacity_provider_arn.as_deref(),
        made["providerArn"].as_str()
    );
    let asg = provider
        .auto_scaling_group
        .as_ref()
        .expect("an ASG provider");
    assert_eq!(
        Some(asg.auto_scaling_group_arn.as_str()),
        made["groupArn"].as_str()
    );
    assert_eq!(
        asg.managed_termination_protection.as_deref(),
        Some("DISABLED")
    );
    let scaling = asg.managed_scaling.as_ref().expect("managed scaling");
    assert_eq!(scaling.status.as_deref(), Some("ENABLED"));
    assert_eq!(scaling.target_capacity, Some(90));
    assert_eq!(
        (
            scaling.minimum_scaling_step_size,
            scaling.maximum_scaling_step_size
        ),
        (Some(1), Some(10))
    );

    let group_name = provider.group_name().expect("the group's name").to_string();
    assert_eq!(Some(group_name.as_str()), made["groupName"].as_str());
    let groups = fetch_capacity::auto_scaling_groups(&backend, &[group_name, "nope".into()])
        .await
        .expect("groups");
    assert_eq!(groups.len(), 1, "an unknown group is left out: {groups:?}");
    let group = &groups[0];
    assert_eq!(
        (group.min_size, group.desired_capacity, group.max_size),
        (1, 2, 4)
    );
    assert_eq!((group.in_service, group.pending, group.other), (2, 0, 0));
}

#[tokio::test]
async fn the_reservation_comes_back_per_provider() {
    let moto = moto();
    moto.fixture(&[
        "put-metric",
        "--namespace",
        "AWS/ECS/ManagedScaling",
        "--metric",
        "CapacityProviderReservation",
        "--dim",
        "ClusterName=cap-metric",
        "--dim",
        "CapacityProviderName=cap-metric-asg",
        "--value",
        "100",
        "--value",
        "150",
    ]);
    let backend = backend(moto).await;
    let resource = Resource::CapacityReservation {
        cluster: "cap-metric".into(),
        providers: vec!["cap-metric-asg".into()],
    };
    let Ok(Payload::CapacityReservation(got)) = poller::fetch_resource(&backend, &resource).await
    else {
        panic!("the reservation");
    };
    let values: Vec<f64> = got["cap-metric-asg"].iter().map(|p| p.1).collect();
    assert_eq!(values, [100.0, 150.0]);
}
