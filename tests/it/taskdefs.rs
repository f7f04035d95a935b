//! `:taskdefs`: families (every page, against moto and paged on the demo), revisions newest
//! first with what runs them, the full JSON of one, and the diff of two marked — readable in
//! read-only.

use crossterm::event::KeyCode;

use crate::e2e_tmux::Screen;
use crate::fixture::*;
use crate::support::{backend, moto};
use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::demo::DemoBackend;
use ecsdeck::backend::fetch;
use ecsdeck::store::{Payload, Resource};
use ecsdeck::views::ViewKind;

#[tokio::test]
async fn families_are_listed_from_moto_and_every_demo_page_is_followed() {
    let moto = moto();
    moto.fixture(&[
        "fleet",
        "--cluster",
        "td-families",
        "--services",
        "0",
        "--task-family",
        "td-family-one",
    ]);
    let aws = backend(moto).await;
    let families = fetch::families(&aws).await.unwrap();
    assert!(
        families.contains(&"td-family-one".to_string()),
        "{families:?}"
    );

    // The demo pages at 100 like AWS: its 40-odd families in one page, every family once.
    let demo = CountingBackend::new(DemoBackend::new(7));
    let log = demo.log();
    let families = fetch::families(&demo).await.unwrap();
    let mut unique = families.clone();
    unique.dedup();
    assert_eq!(families, unique);
    assert!(families.len() > 20);
    assert_eq!(
        log.count("ListTaskDefinitionFamilies"),
        families.len().div_ceil(100) as u64
    );
}

fn arn(n: u32) -> String {
    format!("arn:aws:ecs:eu-west-1:123456789012:task-definition/api:{n}")
}

/// The fixture's services of `prod` (read-only), `:taskdefs`, the family `api` opened.
fn at_revisions() -> (ecsdeck::store::Store, ecsdeck::state::UiState) {
    let (mut store, mut ui) = (store(), ui());
    ui.settings.read_only = true;
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    feed(&mut store, &mut ui, command("taskdefs"));
    assert!(
        matches!(&ui.top().kind, ViewKind::Families(f) if f.cluster.as_deref() == Some("prod"))
    );
    assert!(ui.focus(&store).contains(&Resource::Families));
    feed(
        &mut store,
        &mut ui,
        vec![fetched(
            Resource::Families,
            Payload::Families(vec!["api".into(), "worker".into()]),
        )],
    );
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert!(matches!(&ui.top().kind, ViewKind::Revisions(r) if r.family == "api"));
    feed(
        &mut store,
        &mut ui,
        vec![fetched(
            Resource::Revisions {
                family: "api".into(),
            },
            Payload::Revisions(vec![arn(42), arn(41), arn(40)]),
        )],
    );
    (store, ui)
}

#[test]
fn revisions_newest_first_with_their_services_and_two_marked_open_the_diff() {
    let (mut store, mut ui) = at_revisions();
    let rows = ui.top().rows(&ui.row_context(&store)).unwrap();
    let revisions: Vec<&str> = rows.rows.iter().map(|r| r.cells[1].text.as_str()).collect();
    assert_eq!(revisions, ["api:42", "api:41", "api:40"]);
    // checkout-api runs api:42 in the fixture.
    assert!(
        rows.rows[0].cells[5].text.contains("checkout-api"),
        "{:?}",
        rows.rows[0].cells
    );
    // Marking 42 then 40 (read-only does not matter: nothing changes) opens 40 → 42.
    feed(&mut store, &mut ui, vec![ch(' '), ch('j'), ch(' ')]);
    let ViewKind::Compare(compare) = &ui.top().kind else {
        panic!("{:?}", ui.top().kind)
    };
    assert_eq!(
        (compare.from.as_str(), compare.to.as_str()),
        (arn(40).as_str(), arn(42).as_str())
    );
    let wanted = ui.focus(&store);
    for n in [40, 42] {
        assert!(wanted.contains(&Resource::TaskDefinition { arn: arn(n) }));
    }
    let mut older = task_definition();
    older.task_definition_arn = arn(40);
    older.container_definitions[0].image = "api:old".into();
    feed(
        &mut store,
        &mut ui,
        vec![fetched(
            Resource::TaskDefinition { arn: arn(40) },
            Payload::TaskDefinition(Box::new(older)),
        )],
    );
    let mut newer = task_definition();
    newer.task_definition_arn = arn(42);
    feed(
        &mut store,
        &mut ui,
        vec![fetched(
            Resource::TaskDefinition { arn: arn(42) },
            Payload::TaskDefinition(Box::new(newer)),
        )],
    );
    let diff = ui.top().rows(&ui.row_context(&store)).unwrap();
    let lines: Vec<&str> = diff.rows.iter().map(|r| r.cells[0].text.as_str()).collect();
    assert!(
        lines.iter().any(|l| l.starts_with("  ~ image: api:old →")),
        "{lines:?}"
    );
    // Back to the revisions: `d` shows one revision's full JSON.
    feed(
        &mut store,
        &mut ui,
        vec![key(KeyCode::Esc), ch('g'), ch('d')],
    );
    assert!(
        matches!(ui.top().kind, ViewKind::Describe(_)),
        "{:?}",
        ui.top().kind
    );
}

#[test]
fn taskdefs_in_tmux_against_moto() {
    let moto = moto();
    moto.fixture(&[
        "fleet",
        "--cluster",
        "td-e2e",
        "--services",
        "1",
        "--task-family",
        "td-e2e-app",
    ]);
    moto.fixture(&[
        "register-revision",
        "--family",
        "td-e2e-app",
        "--image",
        "nginx:1.27",
    ]);
    let screen = Screen::moto("taskdefs", moto, &["--cluster", "td-e2e"]);
    screen.wait_for("services(td-e2e)[1]");
    screen.keys(&[":", "taskdefs", "Enter"]);
    // Filtered before looking for it: the shared moto holds every test's families, more
    // than a 30-row screen shows.
    screen.wait_for("task definitions (in use in td-e2e)");
    screen.keys(&["/", "td-e2e-app", "Enter"]);
    screen.wait_for("(in use in td-e2e)[1]");
    screen.keys(&["Enter"]);
    let revisions = screen.wait_for("td-e2e-app:2");
    assert!(revisions.contains("td-e2e-app:1"), "{revisions}");
    screen.wait_for("nginx:1.27");
    screen.keys(&["Space", "Space"]);
    let diff = screen.wait_for("td-e2e-app:1 → td-e2e-app:2");
    assert!(diff.contains("image"), "{diff}");
    screen.keys(&["Escape", "g", "d"]);
    screen.wait_for("\"containerDefinitions\"");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}
