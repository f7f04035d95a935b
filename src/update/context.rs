//! Switching context without restarting: another AWS profile (`:ctx`, then `Enter`) or
//! region (`:region NAME`).
//!
//! A switch is applied here, at once and before the app connects: the header shows the new
//! profile and region, the new profile's read-only setting is in force (a switch never
//! carries one profile's write access into another), and everything fetched from the
//! previous context is dropped. The view path stays where it still makes sense: views of a
//! cluster or service are kept and checked against the new context's lists (`check_path`);
//! views of one task, a log pane or a describe are closed.

use crate::backend::{Connection, ContextTarget};
use crate::domain::text::clean;
use crate::msg::{Command, Msg};
use crate::state::{PathCheck, StatusLevel, UiState};
use crate::store::Store;
use crate::views::{View, ViewKind};

/// Where the session is now, as a switch target.
pub fn current(ui: &UiState) -> ContextTarget {
    ContextTarget {
        profile: ui.settings.connection.profile.clone(),
        region: ui.settings.connection.region.clone(),
    }
}

/// `:ctx`: the profile list, on top of the current view.
pub fn open_list(ui: &mut UiState) {
    let connection = &ui.settings.connection;
    // The demo's own fleet is no profile of the files: nothing is marked current then.
    let current_profile = match (&connection.profile, connection.demo) {
        (Some(name), _) => Some(name.clone()),
        (None, false) => Some("default".to_string()),
        (None, true) => None,
    };
    let view = crate::views::contexts::Contexts {
        current_profile,
        current_region: ui.settings.connection.region.clone(),
        read_only: ui.settings.read_only_policy.clone(),
    };
    ui.push(view);
}

/// `:region NAME`: the same profile in another region. A name that is not a region changes
/// nothing.
pub fn region_command(store: &mut Store, ui: &mut UiState, arg: Option<&str>) -> Vec<Command> {
    let Some(region) = arg else {
        ui.set_status(
            StatusLevel::Warning,
            format!(
                "Which region? Type :region NAME, e.g. :region us-west-2 (now {}).",
                ui.settings.connection.region
            ),
        );
        return Vec::new();
    };
    if !crate::domain::profile::is_region_name(region) {
        ui.set_status(
            StatusLevel::Error,
            format!(
                "\"{}\" is not an AWS region name (like us-east-1 or eu-west-3): nothing changed.",
                clean(region)
            ),
        );
        return Vec::new();
    }
    let target = ContextTarget {
        profile: ui.settings.connection.profile.clone(),
        region: region.to_string(),
    };
    switch(store, ui, target)
}

/// `Enter` on a cluster (or triage row) of another spanned region: the session moves to
/// that region (same profile) with `views` open, checked against its lists like any switch.
pub fn open_in_region(
    store: &mut Store,
    ui: &mut UiState,
    region: String,
    views: Vec<View>,
) -> Vec<Command> {
    ui.replace_stack(views);
    let target = ContextTarget {
        profile: ui.settings.connection.profile.clone(),
        region,
    };
    switch(store, ui, target)
}

/// Switches to `target`: header, read-only, store and view path now; the app connects on
/// the command returned.
pub fn switch(store: &mut Store, ui: &mut UiState, target: ContextTarget) -> Vec<Command> {
    let previous = current(ui);
    if target == previous {
        ui.set_status(
            StatusLevel::Info,
            format!("Already on {}.", describe(&target)),
        );
        return Vec::new();
    }
    apply(store, ui, &target);
    ui.set_status(
        StatusLevel::Info,
        format!("Switched to {}.", describe(&target)),
    );
    vec![Command::SwitchContext { target, previous }]
}

/// The part of a switch that does not depend on the connection: also used to go back when
/// the connection cannot be made.
fn apply(store: &mut Store, ui: &mut UiState, target: &ContextTarget) {
    let profile = target.profile.as_deref();
    ui.settings.read_only = ui.settings.read_only_policy.for_profile(profile);
    ui.config_banner = ui.settings.read_only_policy.banner_for(profile);
    let connection = &mut ui.settings.connection;
    connection.profile = target.profile.clone();
    connection.region = target.region.clone();
    store.clear_for_new_context();
    // Nothing half-done carries over: a dialog was about the previous context's resources.
    ui.dialog = None;
    ui.input = None;
    ui.help_open = false;
    ui.pending.clear();
    keep_path(ui);
}

/// Keeps the views that name only a cluster or a service (they may exist in the new
/// context too) and closes the rest; the `:ctx` list closes once used.
fn keep_path(ui: &mut UiState) {
    let kept: Vec<View> = ui
        .stack
        .iter()
        .take_while(|v| survives_switch(&v.kind))
        .filter(|v| !matches!(v.kind, ViewKind::Contexts(_)))
        .map(|v| {
            let mut fresh = View::new(v.kind.clone());
            fresh.filter = v.filter.clone();
            fresh.selected_key = v.selected_key.clone();
            fresh
        })
        .collect();
    let kept = if kept.is_empty() {
        vec![View::new(ViewKind::clusters())]
    } else {
        kept
    };
    ui.path_check = kept.iter().rev().find_map(|v| {
        v.cluster().map(|cluster| PathCheck {
            cluster: cluster.to_string(),
            service: service_of(&v.kind).map(str::to_string),
        })
    });
    ui.replace_stack(kept);
}

fn survives_switch(kind: &ViewKind) -> bool {
    matches!(
        kind,
        ViewKind::Clusters(_)
            | ViewKind::Services(_)
            | ViewKind::Tasks(_)
            | ViewKind::ServiceDetail(_)
            | ViewKind::Events(_)
            | ViewKind::Triage(_)
            | ViewKind::Journal(_)
            | ViewKind::Pending(_)
            | ViewKind::Forwards(_)
            | ViewKind::Contexts(_)
            | ViewKind::Instances(_)
            | ViewKind::Capacity(_)
            | ViewKind::Families(_)
    )
}

/// The service a kept view is about, if it is about one.
fn service_of(kind: &ViewKind) -> Option<&str> {
    match kind {
        ViewKind::Tasks(t) => t.service.as_deref(),
        ViewKind::ServiceDetail(d) => Some(d.service.as_str()),
        ViewKind::Events(e) => Some(e.service.as_str()),
        _ => None,
    }
}

/// After a switch, once the new context's lists arrive: a kept cluster (or service) that
/// does not exist there is left, back to the list that shows what does.
pub fn check_path(store: &Store, ui: &mut UiState) {
    let Some(check) = ui.path_check.clone() else {
        return;
    };
    let Some(clusters) = store.clusters.value() else {
        return;
    };
    let here = describe(&current(ui));
    let cluster_found = clusters
        .iter()
        .any(|c| c.cluster_name == check.cluster || c.cluster_arn == check.cluster);
    if !cluster_found {
        ui.path_check = None;
        ui.replace_stack(vec![View::new(ViewKind::clusters())]);
        ui.set_status(
            StatusLevel::Warning,
            format!(
                "Cluster {} does not exist in {here}: showing its clusters.",
                check.cluster
            ),
        );
        return;
    }
    let Some(service) = &check.service else {
        ui.path_check = None;
        return;
    };
    let Some(services) = store.services_of(&check.cluster).and_then(|s| s.value()) else {
        return;
    };
    ui.path_check = None;
    if !services.iter().any(|s| &s.service_name == service) {
        let back = vec![
            View::new(ViewKind::clusters()),
            View::new(ViewKind::services(check.cluster.clone())),
        ];
        ui.replace_stack(back);
        ui.set_status(
            StatusLevel::Warning,
            format!(
                "Service {service} does not exist in {} in {here}: showing its services.",
                check.cluster
            ),
        );
    }
}

/// How the app's connection to the context went.
pub fn on_message(store: &mut Store, ui: &mut UiState, msg: Msg) {
    match msg {
        Msg::Regional { region, msg } => on_regional(store, &region, *msg),
        Msg::ContextSwitched(connection) => switched(ui, connection),
        Msg::ContextSwitchFailed {
            target,
            previous,
            error,
        } => failed(store, ui, &target, &previous, &error),
        _ => {}
    }
}

/// Another region's poller fetched something: it goes to that region's store.
fn on_regional(store: &mut Store, region: &str, msg: Msg) {
    let regional = store.regions.entry(region.to_string()).or_default();
    match msg {
        Msg::FetchStarted(resource) => regional.start_loading(&resource),
        Msg::Fetched {
            resource,
            result,
            at,
        } => regional.apply(&resource, result, at),
        Msg::FetchNote { resource, note } => regional.note(&resource, &note),
        _ => {}
    }
    // Rows built from the regional stores are rebuilt when this store's revision moves.
    store.touch();
}

/// The app connected: the header now shows where it talks to (endpoint, demo).
fn switched(ui: &mut UiState, connection: Connection) {
    ui.settings.connection = connection;
}

/// The app could not connect: back to where the session was, with that profile's own
/// read-only setting, and why in one sentence.
fn failed(
    store: &mut Store,
    ui: &mut UiState,
    target: &ContextTarget,
    previous: &ContextTarget,
    error: &str,
) {
    apply(store, ui, previous);
    ui.set_status(
        StatusLevel::Error,
        format!(
            "Cannot switch to {}: {}; still on {}.",
            describe(target),
            error.trim_end_matches('.'),
            describe(previous)
        ),
    );
}

/// "profile prod, region eu-west-1".
pub fn describe(target: &ContextTarget) -> String {
    let profile = target.profile.as_deref().unwrap_or("default");
    format!("profile {profile}, region {}", target.region)
}
