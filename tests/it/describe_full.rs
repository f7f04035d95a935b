//! The full describe (`d`): AWS's own answer with every field, over the wire against moto;
//! search inside it with `/`, `n`, `N`; polled only while the view is open.

use crossterm::event::KeyCode;

use crate::fixture::*;
use crate::support::{backend, moto};
use ecsdeck::backend::{EcsBackend, ErrorKind, RawTarget};
use ecsdeck::store::{Payload, Resource};
use ecsdeck::views::ViewKind;

#[tokio::test]
async fn every_field_aws_returns_is_kept_tags_included() {
    let moto = moto();
    let fleet = moto.fleet("raw-describe", 1, 1);
    let aws = backend(moto).await;
    let service = aws
        .describe_raw(&RawTarget::Service {
            cluster: "raw-describe".into(),
            service: "svc-000".into(),
        })
        .await
        .unwrap();
    assert_eq!(service["serviceName"], "svc-000");
    // Fields ecsdeck does not map come through as AWS sent them.
    for field in [
        "networkConfiguration",
        "schedulingStrategy",
        "serviceRegistries",
        "tags",
    ] {
        assert!(service.get(field).is_some(), "{field} missing: {service:#}");
    }
    let task_arn = fleet["tasks"]["svc-000"][0].as_str().unwrap().to_string();
    let task = aws
        .describe_raw(&RawTarget::Task {
            cluster: "raw-describe".into(),
            task: task_arn.clone(),
        })
        .await
        .unwrap();
    assert_eq!(task["taskArn"], task_arn.as_str());
    assert!(task.get("attachments").is_some(), "{task:#}");
    let definition = aws
        .describe_raw(&RawTarget::TaskDefinition {
            arn: fleet["taskDefinitionArn"].as_str().unwrap().into(),
        })
        .await
        .unwrap();
    let containers = &definition["taskDefinition"]["containerDefinitions"];
    assert_eq!(containers[0]["entryPoint"][0], "/docker-entrypoint.sh");
    let cluster = aws
        .describe_raw(&RawTarget::Cluster {
            cluster: "raw-describe".into(),
        })
        .await
        .unwrap();
    assert_eq!(cluster["clusterName"], "raw-describe");
    // A resource that is not there is NotFound, not an empty describe.
    let missing = aws
        .describe_raw(&RawTarget::Service {
            cluster: "raw-describe".into(),
            service: "no-such-service".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound, "{missing:?}");
}

/// The services view of the fixture, `d` on checkout-api, and AWS's answer for it.
fn describing() -> (ecsdeck::store::Store, ecsdeck::state::UiState) {
    let (mut store, mut ui) = (store(), ui());
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter), ch('d')]);
    assert!(matches!(ui.top().kind, ViewKind::Describe(_)));
    let target = RawTarget::Service {
        cluster: "prod".into(),
        service: "checkout-api".into(),
    };
    assert!(ui.focus(&store).contains(&Resource::Raw {
        target: target.clone()
    }));
    let mut answer = serde_json::json!({"serviceName": "checkout-api", "tags": [{"key": "team", "value": "payments"}]});
    for i in 0..40 {
        answer[format!("field{i:02}")] =
            serde_json::json!(if i % 10 == 0 { "needle" } else { "hay" });
    }
    feed(
        &mut store,
        &mut ui,
        vec![fetched(Resource::Raw { target }, Payload::Raw(answer))],
    );
    (store, ui)
}

#[test]
fn the_describe_shows_awss_answer_and_searches_it() {
    let (mut store, mut ui) = describing();
    let ViewKind::Describe(view) = &ui.top().kind else {
        unreachable!()
    };
    let lines = ecsdeck::views::describe::lines(&store, &view.target).unwrap();
    assert!(lines.iter().any(|l| l.contains("\"team\"")), "tags shown");
    assert!(ecsdeck::views::describe::source_note(&store, &view.target).is_none());
    let needles: Vec<usize> = (lines.iter().enumerate())
        .filter(|(_, l)| l.contains("needle"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(needles.len(), 4);
    let mut msgs = vec![ch('/')];
    msgs.extend(type_text("NEEDLE"));
    msgs.push(key(KeyCode::Enter));
    feed(&mut store, &mut ui, msgs);
    // The first match is scrolled to, two lines of context above it.
    assert_eq!(ui.top().scroll, needles[0] - 2);
    feed(&mut store, &mut ui, vec![ch('n')]);
    assert_eq!(ui.top().scroll, needles[1] - 2);
    feed(&mut store, &mut ui, vec![ch('n'), ch('n'), ch('n')]);
    assert_eq!(ui.top().scroll, needles[3] - 2, "stops at the last");
    assert!(
        ui.status
            .clone()
            .unwrap()
            .text
            .contains("No more matches below")
    );
    feed(&mut store, &mut ui, vec![ch('N')]);
    assert_eq!(ui.top().scroll, needles[2] - 2);
}

#[test]
fn the_describe_is_polled_only_while_open() {
    let (mut store, mut ui) = describing();
    feed(&mut store, &mut ui, vec![key(KeyCode::Esc)]);
    assert!(
        ui.focus(&store)
            .iter()
            .all(|r| !matches!(r, Resource::Raw { .. }))
    );
}

#[test]
fn until_awss_answer_arrives_the_summary_says_what_it_is() {
    let (mut store, mut ui) = (store(), ui());
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter), ch('d')]);
    let ViewKind::Describe(view) = &ui.top().kind else {
        unreachable!()
    };
    let target = view.target.clone();
    assert!(ecsdeck::views::describe::lines(&store, &target).is_some());
    let note = ecsdeck::views::describe::source_note(&store, &target).unwrap();
    assert!(note.contains("summary"), "{note}");
}
