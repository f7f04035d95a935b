//! What the views ask of the load balancers and how they show it: the TARGETS column of the
//! services list, the TARGET column of the tasks list, and the resources behind them.
//!
//! Cost follows the screen: target health is polled only for the target groups of the rows
//! drawn (and of the service in detail), once per `refresh.targets`; target groups and load
//! balancers only where their details are shown, cached for `refresh.target_groups`.

use super::table::{Cell, Role};
use crate::domain::ErrorKind;
use crate::domain::ecs::{Service, Task};
use crate::domain::elb::{BalancerKind, TargetHealth};
use crate::domain::metrics::BalancerTarget;
use crate::store::{Resource, ServiceTargets, Store};

/// DescribeTargetHealth for each target group of these services, once each.
pub fn target_health<'a>(services: impl IntoIterator<Item = &'a Service>) -> Vec<Resource> {
    let mut out: Vec<Resource> = Vec::new();
    for service in services {
        for target_group in service.target_groups() {
            let resource = Resource::TargetHealth { target_group };
            if !out.contains(&resource) {
                out.push(resource);
            }
        }
    }
    out
}

/// The services of a cluster whose rows are on screen, as last fetched.
pub fn on_screen<'a>(store: &'a Store, cluster: &str, keys: &[String]) -> Vec<&'a Service> {
    let Some(services) = store.services_of(cluster).and_then(|l| l.value()) else {
        return Vec::new();
    };
    shown(services, keys, |s| &s.service_name)
}

/// The items whose key is among the rows drawn, in one pass over the items: the focus is
/// worked out after every message, and a list may hold 5,000 of them.
pub fn shown<'a, T>(items: &'a [T], keys: &[String], key: impl Fn(&T) -> &str) -> Vec<&'a T> {
    if keys.is_empty() {
        return Vec::new();
    }
    let keys: std::collections::HashSet<&str> = keys.iter().map(String::as_str).collect();
    items
        .iter()
        .filter(|item| keys.contains(key(item)))
        .collect()
}

/// Everything the detail pane shows about a service's load balancing: its target groups
/// (described), their health, and their load balancers (with listeners) once known.
pub fn detail_resources(store: &Store, service: &Service) -> Vec<Resource> {
    let groups = service.target_groups();
    if groups.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Resource::TargetGroups {
        arns: groups.clone(),
    }];
    out.extend(target_health([service]));
    let balancers = load_balancer_arns(store, &groups);
    if !balancers.is_empty() {
        out.push(Resource::LoadBalancers { arns: balancers });
    }
    out
}

/// The load balancers in front of these target groups, as far as they are described.
pub fn load_balancer_arns(store: &Store, groups: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for arn in groups {
        for balancer in store
            .target_group(arn)
            .map(|t| t.load_balancer_arns.as_slice())
            .unwrap_or_default()
        {
            if !out.contains(balancer) {
                out.push(balancer.clone());
            }
        }
    }
    out.sort();
    out
}

/// The target groups whose load balancer (and so its metrics' names) is known.
pub fn balancer_targets(store: &Store, groups: &[String]) -> Vec<BalancerTarget> {
    groups
        .iter()
        .filter_map(|arn| {
            let group = store.target_group(arn)?;
            let balancer = store.load_balancer(group.load_balancer_arns.first()?)?;
            Some(BalancerTarget {
                target_group: arn.clone(),
                load_balancer: balancer.load_balancer_arn.clone(),
                kind: BalancerKind::of(balancer)?,
            })
        })
        .collect()
}

/// `8/8` healthy over registered; red with any unhealthy target, `-` without a load
/// balancer, and the missing permission when the health cannot be read.
pub fn targets_cell(store: &Store, service: &Service) -> Cell {
    match store.service_targets(service) {
        ServiceTargets::None => Cell::with_role("-", Role::Muted).sorted_by(-1.0),
        ServiceTargets::Loading => Cell::with_role("…", Role::Muted).sorted_by(-1.0),
        ServiceTargets::Failed(e) if e.kind == ErrorKind::AccessDenied => {
            Cell::with_role(format!("denied: {}", e.operation), Role::Warning).sorted_by(-1.0)
        }
        ServiceTargets::Failed(_) => Cell::with_role("?", Role::Warning).sorted_by(-1.0),
        ServiceTargets::Counted(c) => {
            // No target at all while tasks are wanted: nothing serves the traffic.
            let starved = c.registered == 0 && service.desired_count > 0;
            let role = if c.unhealthy > 0 || starved {
                Role::Failure
            } else if c.healthy < c.registered {
                Role::Warning
            } else {
                Role::Success
            };
            // Sorted by the share that is not healthy: the worst service first (descending).
            let unhealthy_share = if c.registered == 0 {
                if starved { 1.0 } else { 0.0 }
            } else {
                1.0 - c.healthy as f64 / c.registered as f64
            };
            Cell::with_role(format!("{}/{}", c.healthy, c.registered), role)
                .sorted_by(unhealthy_share)
        }
    }
}

/// The task's health in its service's target groups: `healthy`, `unhealthy
/// (Target.Timeout)`, `draining`, `initial`, `not registered`; `-` without a load balancer.
pub fn task_target_cell(store: &Store, cluster: &str, service: &Service, task: &Task) -> Cell {
    let entries = store.task_targets(cluster, service, task);
    if entries.is_empty() {
        let pending = !service.target_groups().is_empty() && task.last_status == "RUNNING";
        return Cell::with_role(if pending { "…" } else { "-" }, Role::Muted);
    }
    // With several target groups, the worst state is what matters.
    let worst = entries
        .iter()
        .min_by_key(|(_, t)| t.map_or(1, severity))
        .and_then(|(_, t)| *t);
    match worst {
        Some(target) => Cell::with_role(target.label(), target_role(target)),
        // Target health is read every 30 s: a task younger than the last reading has not
        // been looked for yet, which is not the same as missing.
        None if started_after_reading(store, &entries, task) => Cell::with_role("…", Role::Muted),
        None => Cell::with_role("not registered", Role::Muted),
    }
}

fn started_after_reading(
    store: &Store,
    entries: &[(&str, Option<&TargetHealth>)],
    task: &Task,
) -> bool {
    // Without a start time (emulators leave it out) there is nothing to compare.
    let Some(started) = task.started_at.or(task.created_at) else {
        return false;
    };
    entries.iter().any(|(arn, _)| {
        store
            .target_health
            .get(*arn)
            .and_then(|l| l.fetched_at)
            .is_none_or(|read| read < started)
    })
}

/// Lower is worse.
fn severity(target: &TargetHealth) -> u8 {
    match target.state.as_str() {
        s if s.starts_with("unhealthy") => 0,
        "unavailable" => 0,
        "draining" | "initial" | "unused" => 2,
        _ => 3,
    }
}

fn target_role(target: &TargetHealth) -> Role {
    match target.state.as_str() {
        "healthy" => Role::Success,
        s if s.starts_with("unhealthy") || s == "unavailable" => Role::Failure,
        "initial" | "draining" => Role::Warning,
        _ => Role::Muted,
    }
}
