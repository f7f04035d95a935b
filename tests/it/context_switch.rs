//! Switching profile (`:ctx`) and region (`:region`) in the app, through `update`: the store
//! is cleared, the header shows the new context at once, the new profile's read-only setting
//! is in force, and the view path is kept only where the new context has the same cluster.
//! (Against two moto servers standing for two regions: `context_switch_e2e`.)

use chrono::Duration;
use crossterm::event::KeyCode;

use crate::fixture::*;
use ecsdeck::backend::{Connection, ContextTarget};
use ecsdeck::config::ReadOnlyPolicy;
use ecsdeck::config::aws_profiles::{AwsProfile, CredentialSource};
use ecsdeck::domain::journal::{ActionResult, JournalEntry};
use ecsdeck::msg::{Command, Msg};
use ecsdeck::state::UiState;
use ecsdeck::store::{Payload, Resource, Store};
use ecsdeck::views::ViewKind;

fn profiles() -> Vec<AwsProfile> {
    let profile = |name: &str, region: Option<&str>, credentials| AwsProfile {
        name: name.into(),
        region: region.map(str::to_string),
        credentials,
    };
    vec![
        profile("audit", Some("us-west-2"), CredentialSource::Sso),
        profile("ci", None, CredentialSource::Keys),
        profile("prod-admin", Some("eu-west-1"), CredentialSource::Sso),
    ]
}

/// The fixture session (profile prod-admin, read-write) in the services of `prod`, with
/// `audit` read-only by config.
fn session() -> (Store, UiState) {
    let (mut store, mut ui) = (store(), ui());
    ui.settings.read_only_policy = ReadOnlyPolicy {
        profiles: ["audit".to_string()].into(),
        ..ReadOnlyPolicy::default()
    };
    store.record(JournalEntry {
        time: now(),
        profile: Some("prod-admin".into()),
        region: "eu-west-1".into(),
        account: None,
        cluster: "prod".into(),
        target: "checkout-api".into(),
        change: "desired 3 → 5".into(),
        result: ActionResult::Done,
    });
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert!(matches!(ui.top().kind, ViewKind::Services(_)));
    (store, ui)
}

/// `:ctx`, the profile list read, the cursor on `name`, `Enter`.
fn switch_to(store: &mut Store, ui: &mut UiState, name: &str) -> Vec<Command> {
    feed(store, ui, command("ctx"));
    assert!(
        matches!(ui.top().kind, ViewKind::Contexts(_)),
        "{:?}",
        ui.top().kind
    );
    let fetched = fetched(Resource::Profiles, Payload::Profiles(profiles()));
    feed(store, ui, vec![fetched]);
    let row = profiles().iter().position(|p| p.name == name).unwrap();
    feed(store, ui, vec![key(KeyCode::Char('g'))]);
    feed(store, ui, (0..row).map(|_| ch('j')).collect());
    feed(store, ui, vec![key(KeyCode::Enter)])
}

#[test]
fn a_profile_switch_clears_the_store_shows_the_context_and_applies_its_read_only() {
    let (mut store, mut ui) = session();
    assert!(!ui.settings.read_only);
    let commands = switch_to(&mut store, &mut ui, "audit");
    let target = ContextTarget {
        profile: Some("audit".into()),
        region: "us-west-2".into(),
    };
    let previous = ContextTarget {
        profile: Some("prod-admin".into()),
        region: "eu-west-1".into(),
    };
    assert_eq!(commands, vec![Command::SwitchContext { target, previous }]);
    // The header has the new context at once, before the app has connected.
    assert_eq!(ui.settings.connection.profile.as_deref(), Some("audit"));
    assert_eq!(ui.settings.connection.region, "us-west-2");
    assert!(ui.settings.read_only, "audit is read-only by config");
    // Nothing of the previous account is left; the journal (this machine's) is.
    assert!(store.clusters.value().is_none());
    assert!(store.services.is_empty() && store.tasks.is_empty());
    assert!(store.task_definitions.is_empty());
    assert_eq!(store.account, None);
    assert_eq!(store.journal.len(), 1);
    // The list closed; the services of `prod` stay, to be checked against the new lists.
    assert!(matches!(ui.top().kind, ViewKind::Services(_)));
    assert_eq!(ui.stack.len(), 2);
    // Scaling is refused at the key in the new, read-only context.
    feed(
        &mut store,
        &mut ui,
        vec![fetched(
            Resource::Services {
                cluster: "prod".into(),
            },
            Payload::Services(services()),
        )],
    );
    let commands = feed(&mut store, &mut ui, vec![ch('s')]);
    assert!(commands.is_empty());
    assert!(ui.dialog.is_none(), "read-only opens no scale dialog");
    let status = ui.status.clone().unwrap().text;
    assert!(status.contains("Read-only"), "{status}");
}

#[test]
fn switching_back_restores_write_access_only_where_the_config_allows_it() {
    let (mut store, mut ui) = session();
    switch_to(&mut store, &mut ui, "audit");
    assert!(ui.settings.read_only);
    switch_to(&mut store, &mut ui, "prod-admin");
    assert!(!ui.settings.read_only, "prod-admin is read-write by config");
    // --read-only holds for every profile of the session.
    let (mut store, mut ui) = session();
    ui.settings.read_only_policy.everywhere = true;
    ui.settings.read_only = true;
    switch_to(&mut store, &mut ui, "ci");
    assert!(ui.settings.read_only);
    assert_eq!(ui.settings.connection.profile.as_deref(), Some("ci"));
    // A profile without a region in the files keeps the session's region.
    assert_eq!(ui.settings.connection.region, "eu-west-1");
}

#[test]
fn a_region_switch_keeps_the_profile_and_a_bad_name_changes_nothing() {
    let (mut store, mut ui) = session();
    let commands = feed(&mut store, &mut ui, command("region us-west-2"));
    assert!(matches!(
        &commands[..],
        [Command::SwitchContext { target, .. }]
            if target.region == "us-west-2" && target.profile.as_deref() == Some("prod-admin")
    ));
    assert_eq!(ui.settings.connection.region, "us-west-2");
    assert!(!ui.settings.read_only);

    let (mut store, mut ui) = session();
    let before = store.revision();
    for bad in ["region useast", "region us-east-1;rm", "region"] {
        let commands = feed(&mut store, &mut ui, command(bad));
        assert!(commands.is_empty(), "{bad}");
        assert_eq!(ui.settings.connection.region, "eu-west-1");
        assert!(
            store.clusters.value().is_some(),
            "nothing cleared for {bad}"
        );
        assert!(ui.status.is_some(), "a sentence for {bad}");
    }
    assert_eq!(store.revision(), before);
    // The same context again is not a switch.
    let commands = feed(&mut store, &mut ui, command("region eu-west-1"));
    assert!(commands.is_empty());
    assert!(store.clusters.value().is_some());
}

#[test]
fn a_cluster_missing_in_the_new_context_goes_back_to_its_clusters() {
    let (mut store, mut ui) = session();
    feed(&mut store, &mut ui, command("region us-west-2"));
    let mut elsewhere = clusters();
    elsewhere.retain(|c| c.cluster_name != "prod");
    feed(
        &mut store,
        &mut ui,
        vec![fetched(Resource::Clusters, Payload::Clusters(elsewhere))],
    );
    assert_eq!(ui.stack.len(), 1);
    assert!(matches!(ui.top().kind, ViewKind::Clusters(_)));
    let status = ui.status.clone().unwrap().text;
    assert!(
        status.contains("Cluster prod does not exist in profile prod-admin, region us-west-2"),
        "{status}"
    );
}

#[test]
fn the_same_cluster_and_service_in_the_new_context_keep_the_path() {
    let (mut store, mut ui) = session();
    // Into the tasks of checkout-api, then its containers: a task's views close.
    feed(
        &mut store,
        &mut ui,
        vec![key(KeyCode::Enter), key(KeyCode::Enter)],
    );
    assert!(
        matches!(ui.top().kind, ViewKind::Containers(_)),
        "{:?}",
        ui.top().kind
    );
    feed(&mut store, &mut ui, command("region us-west-2"));
    assert!(
        matches!(ui.top().kind, ViewKind::Tasks(_)),
        "{:?}",
        ui.top().kind
    );
    let at = now() + Duration::seconds(1);
    feed(
        &mut store,
        &mut ui,
        vec![
            Msg::Fetched {
                resource: Resource::Clusters,
                result: Ok(Payload::Clusters(clusters())),
                at,
            },
            Msg::Fetched {
                resource: Resource::Services {
                    cluster: "prod".into(),
                },
                result: Ok(Payload::Services(services())),
                at,
            },
        ],
    );
    assert!(matches!(ui.top().kind, ViewKind::Tasks(_)));
    assert_eq!(ui.stack.len(), 3);
    assert!(ui.path_check.is_none());
}

#[test]
fn a_failed_connection_goes_back_with_the_previous_profiles_read_only() {
    let (mut store, mut ui) = session();
    ui.settings
        .read_only_policy
        .profiles
        .insert("prod-admin".into());
    ui.settings.read_only = true;
    let commands = switch_to(&mut store, &mut ui, "ci");
    let Some(Command::SwitchContext { target, previous }) = commands.first().cloned() else {
        panic!("{commands:?}");
    };
    assert!(!ui.settings.read_only, "ci is read-write");
    feed(
        &mut store,
        &mut ui,
        vec![Msg::ContextSwitchFailed {
            target,
            previous,
            error: "No AWS region.".into(),
        }],
    );
    assert_eq!(
        ui.settings.connection.profile.as_deref(),
        Some("prod-admin")
    );
    assert!(ui.settings.read_only, "back on prod-admin, read-only again");
    let status = ui.status.clone().unwrap().text;
    assert!(
        status.starts_with("Cannot switch to profile ci"),
        "{status}"
    );
}

#[test]
fn the_connection_reported_by_the_app_is_shown() {
    let (mut store, mut ui) = session();
    feed(&mut store, &mut ui, command("region us-west-2"));
    feed(
        &mut store,
        &mut ui,
        vec![Msg::ContextSwitched(Connection {
            profile: Some("prod-admin".into()),
            region: "us-west-2".into(),
            endpoint: Some("http://127.0.0.1:4566".into()),
            demo: false,
        })],
    );
    assert_eq!(
        ui.settings.connection.endpoint.as_deref(),
        Some("http://127.0.0.1:4566")
    );
}

#[test]
fn a_switch_closes_an_open_dialog() {
    let (mut store, mut ui) = session();
    feed(&mut store, &mut ui, vec![ch('s')]);
    assert!(ui.dialog.is_some());
    let commands = ecsdeck::update::context::switch(
        &mut store,
        &mut ui,
        ContextTarget {
            profile: Some("ci".into()),
            region: "eu-west-1".into(),
        },
    );
    assert_eq!(commands.len(), 1);
    assert!(
        ui.dialog.is_none(),
        "a dialog about the previous context's service closes"
    );
    assert!(ui.pending.is_empty());
}

/// The fixture session spanning eu-west-1 (its own) and us-west-2, whose poller has sent
/// its clusters and its services of `prod`.
fn spanning() -> (Store, UiState) {
    let (mut store, mut ui) = (store(), ui());
    ui.settings.regions = vec!["eu-west-1".into(), "us-west-2".into()];
    let regional = |msg| Msg::Regional {
        region: "us-west-2".into(),
        msg: Box::new(msg),
    };
    feed(
        &mut store,
        &mut ui,
        vec![
            regional(Msg::Fetched {
                resource: Resource::Clusters,
                result: Ok(Payload::Clusters(clusters())),
                at: now(),
            }),
            regional(fetched(
                Resource::Services {
                    cluster: "prod".into(),
                },
                Payload::Services(services()),
            )),
        ],
    );
    (store, ui)
}

#[test]
fn the_clusters_list_spans_the_regions_with_a_region_column() {
    let (store, ui) = spanning();
    assert!(store.regions["us-west-2"].clusters.value().is_some());
    let rows = ui.top().rows(&ui.row_context(&store)).unwrap();
    let titles: Vec<&str> = rows.columns.iter().map(|c| c.title).collect();
    assert_eq!(&titles[..2], ["NAME", "REGION"]);
    let keys: Vec<&str> = rows.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["prod", "batch", "prod@us-west-2", "batch@us-west-2"]);
    assert_eq!(rows.rows[2].cells[1].text, "us-west-2");
    // Only the other region gets a poller's focus: its clusters (and their utilisation).
    let focus = ui.regional_focus(&store);
    assert_eq!(focus.keys().collect::<Vec<_>>(), ["us-west-2"]);
    assert!(focus["us-west-2"].contains(&Resource::Clusters));
    assert!(
        focus["us-west-2"]
            .iter()
            .any(|r| matches!(r, Resource::ClusterMetrics { .. }))
    );
}

#[test]
fn opening_a_cluster_of_another_region_moves_the_session_there() {
    let (mut store, mut ui) = spanning();
    feed(&mut store, &mut ui, vec![ch('j'), ch('j')]);
    let commands = feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert!(
        matches!(
            &commands[..],
            [Command::SwitchContext { target, .. }]
                if target.region == "us-west-2" && target.profile.as_deref() == Some("prod-admin")
        ),
        "{commands:?}"
    );
    assert_eq!(ui.settings.connection.region, "us-west-2");
    assert!(matches!(&ui.top().kind, ViewKind::Services(s) if s.cluster == "prod"));
    // Now eu-west-1 is the other region, and the store starts over.
    assert_eq!(ui.other_regions(), ["eu-west-1"]);
    assert!(store.regions.is_empty());
}

#[test]
fn triage_all_spans_the_regions_and_jumps_to_the_service_where_it_runs() {
    let (mut store, mut ui) = spanning();
    feed(&mut store, &mut ui, command("triage all"));
    let rows = ui.top().rows(&ui.row_context(&store)).unwrap();
    let titles: Vec<&str> = rows.columns.iter().map(|c| c.title).collect();
    assert_eq!(titles, ["CLUSTER", "REGION", "SERVICE", "WHY"]);
    let elsewhere = rows
        .rows
        .iter()
        .position(|r| r.key.ends_with("@us-west-2"))
        .expect("a row from us-west-2");
    let focus = ui.regional_focus(&store);
    assert!(focus["us-west-2"].contains(&Resource::Alarms));
    assert!(focus["us-west-2"].contains(&Resource::Services {
        cluster: "prod".into()
    }));
    feed(&mut store, &mut ui, vec![key(KeyCode::Char('g'))]);
    feed(
        &mut store,
        &mut ui,
        (0..elsewhere).map(|_| ch('j')).collect(),
    );
    let commands = feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert!(matches!(
        &commands[..],
        [Command::SwitchContext { target, .. }] if target.region == "us-west-2"
    ));
    let service = rows.rows[elsewhere].key.split(['/', '@']).nth(1).unwrap();
    assert_eq!(ui.top().selected_key.as_deref(), Some(service));
}

#[test]
fn a_session_in_one_region_has_no_regional_polling() {
    let (store, ui) = (store(), ui());
    assert!(ui.regional_focus(&store).is_empty());
    let rows = ui.top().rows(&ui.row_context(&store)).unwrap();
    assert!(rows.columns.iter().all(|c| c.title != "REGION"));
}

#[test]
fn deeper_views_ask_other_regions_only_for_the_clusters_list_beneath_them() {
    let (mut store, mut ui) = spanning();
    feed(&mut store, &mut ui, vec![key(KeyCode::Enter)]);
    assert!(matches!(ui.top().kind, ViewKind::Services(_)));
    let focus = ui.regional_focus(&store);
    let wanted = &focus["us-west-2"];
    assert!(
        wanted
            .iter()
            .all(|r| matches!(r, Resource::Clusters | Resource::ClusterMetrics { .. })),
        "{wanted:?}"
    );
    // `:ctx` on top adds nothing for other regions.
    feed(&mut store, &mut ui, command("ctx"));
    assert_eq!(&ui.regional_focus(&store)["us-west-2"], wanted);
}

#[test]
fn a_clusters_instances_view_is_kept_across_a_switch_and_checked_like_the_others() {
    let (mut store, mut ui) = session();
    feed(&mut store, &mut ui, command("instances prod"));
    assert!(
        matches!(ui.top().kind, ViewKind::Instances(_)),
        "{:?}",
        ui.top().kind
    );
    feed(&mut store, &mut ui, command("region us-west-2"));
    assert!(
        matches!(ui.top().kind, ViewKind::Instances(_)),
        "{:?}",
        ui.top().kind
    );
    assert_eq!(
        ui.path_check.as_ref().map(|c| c.cluster.as_str()),
        Some("prod")
    );
}
