//! Which build is running: ECR over the wire against moto (DescribeImages by tag; a second
//! push under the same tag moves it), and the digest a container runs read from DescribeTasks
//! — which moto leaves out, so the fault proxy adds it to moto's answer (`image_digest`).

use crossterm::event::KeyCode;

use crate::fixture::*;
use crate::support::{FaultProxy, backend, connect, moto};
use ecsdeck::backend::{DesiredStatus, EcrBackend, ErrorKind, TaskFilter, fetch, fetch_images};
use ecsdeck::store::{Payload, Resource, Store};

fn push(tag: &str, build: &str) -> serde_json::Value {
    moto().fixture(&[
        "ecr-push",
        "--repository",
        "shop",
        "--tag",
        tag,
        "--build",
        build,
    ])
}

#[tokio::test]
async fn describe_images_tells_what_a_tag_points_to_now() {
    let moto = moto();
    let first = push("v1", "build 1");
    let registry = first["registryId"].as_str().unwrap().to_string();
    push("stable", "build 2");
    let aws = backend(moto).await;
    let found = aws
        .describe_images(&registry, "shop", &["v1".into(), "stable".into()])
        .await
        .unwrap();
    let v1 = found.iter().find(|i| i.tag == "v1").unwrap();
    assert_eq!(v1.digest, first["digest"].as_str().unwrap());
    assert!(v1.pushed_at.is_some() && v1.size_bytes.is_some(), "{v1:?}");
    // Pushed over: the tag now names the new image.
    let moved = push("stable", "build 3");
    let now = aws
        .describe_images(&registry, "shop", &["stable".into()])
        .await
        .unwrap();
    assert_eq!(now[0].digest, moved["digest"].as_str().unwrap());
    // A tag that is gone costs only itself; a repository that is gone is an error.
    let tags = vec!["v1".to_string(), "deleted".to_string()];
    let some = fetch_images::images(&aws, &registry, "shop", &tags)
        .await
        .unwrap();
    assert_eq!(some.len(), 1);
    let missing = aws
        .describe_images(&registry, "no-such-repository", &["v1".into()])
        .await
        .unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn a_container_whose_tag_was_pushed_over_says_so() {
    let moto = moto();
    let built = push("release", "release build A");
    let registry = built["registryId"].as_str().unwrap().to_string();
    let image = format!("{registry}.dkr.ecr.us-east-1.amazonaws.com/shop:release");
    let fleet = moto.fixture(&[
        "fleet",
        "--cluster",
        "ecr-moved",
        "--services",
        "1",
        "--tasks-per-service",
        "1",
        "--image",
        &image,
    ]);
    let running = built["digest"].as_str().unwrap().to_string();
    let rebuilt = push("release", "release build B");
    // moto's tasks carry no imageDigest: the proxy adds the digest the task was started with.
    let proxy = FaultProxy::start(&moto.endpoint);
    proxy.image_digest(&running);
    let (aws, _) = connect(&proxy.endpoint).await;
    let filter = TaskFilter {
        service: Some("svc-000".into()),
        desired_status: DesiredStatus::Running,
        container_instance: None,
    };
    let tasks = fetch::tasks(&aws, "ecr-moved", &filter).await.unwrap();
    let app = tasks[0]
        .containers
        .iter()
        .find(|c| c.name == "app")
        .unwrap();
    assert_eq!(app.image_digest.as_deref(), Some(running.as_str()));
    assert_eq!(
        tasks[0].task_arn,
        fleet["tasks"]["svc-000"][0].as_str().unwrap()
    );

    // What the containers view asks for, fetched as the poller would, and what it shows.
    let mut store = Store::default();
    let at = now();
    store.apply(
        &Resource::Tasks {
            cluster: "ecr-moved".into(),
            filter: filter.clone(),
        },
        Ok(Payload::Tasks(tasks.clone())),
        at,
    );
    let lookups = ecsdeck::views::images::lookups(&tasks);
    assert_eq!(
        lookups,
        vec![Resource::EcrImages {
            registry: registry.clone(),
            repository: "shop".into(),
            tags: vec!["release".into()],
        }]
    );
    for resource in lookups {
        let result = ecsdeck::poller::fetch_resource(&aws, &resource).await;
        store.apply(&resource, result, at);
    }
    let moved = ecsdeck::views::images::moved(&store, &tasks[0], app).expect("tag moved");
    assert_eq!(moved.now, rebuilt["digest"].as_str().unwrap());
    let model = ecsdeck::views::containers::model(&store, Some(&tasks[0]), at);
    let row = model.rows.iter().find(|r| r.key == "app").unwrap();
    let texts: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
    assert!(
        texts.iter().any(|t| t.starts_with("tag :release moved")),
        "{texts:?}"
    );
}

#[test]
fn lookups_follow_the_containers_view_and_stop_when_it_closes() {
    let (mut store, mut ui) = (store(), ui());
    // Into checkout-api's tasks, then the first task's containers.
    feed(
        &mut store,
        &mut ui,
        vec![key(KeyCode::Enter), key(KeyCode::Enter)],
    );
    let before: Vec<Resource> = ui.focus(&store);
    assert!(
        before
            .iter()
            .all(|r| !matches!(r, Resource::EcrImages { .. }))
    );
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    let wanted = ui.focus(&store);
    let ecr: Vec<&Resource> = wanted
        .iter()
        .filter(|r| matches!(r, Resource::EcrImages { .. }))
        .collect();
    assert_eq!(
        ecr.len(),
        1,
        "one lookup for the app's repository: {wanted:?}"
    );
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    assert!(
        ui.focus(&store)
            .iter()
            .all(|r| !matches!(r, Resource::EcrImages { .. }))
    );
}
